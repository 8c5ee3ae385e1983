//! Step 1, sign-in: the credentials part. The form sends what the user chose; the secret stays
//! here, in memory, for the session. The webview gets back only "signed in as …" — never a key.

use super::sign_in::{url_for, Destination, OSN_BUCKET, OSN_ENDPOINT};
use crate::auth::{gcs_credentials, rclone, s3_credentials, Secret};
use crate::error::{Code, Error, Result};
use crate::store::DestOptions;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// How the user signs in, as the form sends it. Deserialize only: it never travels back.
#[derive(Clone, Deserialize, TS)]
#[serde(tag = "method", rename_all = "snake_case")]
#[ts(export)]
pub enum Credentials {
    /// A local folder needs none.
    None,
    /// Access key and secret typed into the form.
    S3Keys { access_key_id: String, secret_access_key: String },
    /// A profile of `~/.aws/credentials`, or `rclone:NAME` for an rclone remote.
    S3Profile { profile: String },
    /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` from Ferry's environment.
    S3Environment,
    /// A temporary access token pasted into the form (`gcloud auth print-access-token`).
    GcsToken { token: String },
    /// A file holding such a token.
    GcsTokenFile { path: String },
    /// `GOOGLE_APPLICATION_CREDENTIALS`, else gcloud's default file.
    GcsApplicationDefault,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.method()) // never the values
    }
}

impl Credentials {
    fn method(&self) -> &'static str {
        match self {
            Credentials::None => "none",
            Credentials::S3Keys { .. } => "s3_keys",
            Credentials::S3Profile { .. } => "s3_profile",
            Credentials::S3Environment => "s3_environment",
            Credentials::GcsToken { .. } => "gcs_token",
            Credentials::GcsTokenFile { .. } => "gcs_token_file",
            Credentials::GcsApplicationDefault => "gcs_application_default",
        }
    }
}

/// What the sign-in form may show: where credentials were found. Names and paths only.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CredentialSources {
    /// Profiles in `~/.aws/credentials` (or `AWS_SHARED_CREDENTIALS_FILE`).
    pub aws_profiles: Vec<String>,
    /// S3 remotes of rclone's config, as `rclone:NAME`.
    pub rclone_remotes: Vec<String>,
    /// Why rclone's config could not be used (encrypted, unparsable), if so.
    pub rclone_problem: Option<String>,
    /// Whether `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` are set.
    pub aws_environment: bool,
    /// The application default credentials file in use, if any.
    pub gcs_adc_file: Option<String>,
    /// Credentials files that other users of this computer can read (with the chmod that fixes it).
    pub file_warnings: Vec<String>,
}

pub fn sources() -> CredentialSources {
    let (rclone_remotes, rclone_problem) = match rclone::s3_remotes() {
        Ok(r) => (r.into_iter().map(|r| format!("rclone:{}", r.name)).collect(), None),
        Err(e) => (Vec::new(), Some(format!("{} {}", e.message, e.hint))),
    };
    CredentialSources {
        aws_profiles: s3_credentials::profiles(),
        rclone_remotes,
        rclone_problem,
        aws_environment: std::env::var_os("AWS_ACCESS_KEY_ID").is_some() && std::env::var_os("AWS_SECRET_ACCESS_KEY").is_some(),
        gcs_adc_file: gcs_credentials::adc_file().map(|p| p.to_string_lossy().into_owned()),
        file_warnings: [s3_credentials::credentials_file(), rclone::config_path(), gcs_credentials::adc_file()]
            .into_iter()
            .flatten()
            .filter_map(|p| s3_credentials::readable_by_others(&p))
            .collect(),
    }
}

/// The credentials of this session, ready for the core's destinations.
#[derive(Debug, Clone, Default)]
pub struct Session {
    opts: DestOptions,
    /// "access key AKIA…", "profile osn", "temporary access token": shown as "signed in as".
    pub who: String,
    /// The credentials file in use (shown, and offered for deletion after an upload).
    pub file: Option<PathBuf>,
    /// A pasted or file token lives about an hour.
    pub short_lived: bool,
    /// The keychain entry this sign-in is remembered under ("remember me"): Sign out removes it.
    pub remembered: Option<String>,
}

fn blank(what: &str) -> Error {
    Error::bad_argument(format!("the {what} is empty"), format!("Enter the {what}, or choose another way to sign in."))
}

/// Turn the form's choice into a session. Nothing is contacted here; the check does that.
pub fn session(creds: Credentials, home: &Path) -> Result<Session> {
    let mut s = Session::default();
    match creds {
        Credentials::None => s.who = "this computer's user".into(),
        Credentials::S3Keys { access_key_id, secret_access_key } => {
            let id = access_key_id.trim();
            if id.is_empty() {
                return Err(blank("access key ID"));
            }
            if secret_access_key.trim().is_empty() {
                return Err(blank("secret access key"));
            }
            // Key IDs are not secret (they appear in every signed request), but show only their start.
            s.who = format!("access key {}…", id.chars().take(4).collect::<String>());
            s.opts.s3_keys = Some((id.to_string(), Secret::new(secret_access_key.trim())));
        }
        Credentials::S3Profile { profile } => {
            let p = profile.trim();
            if p.is_empty() {
                return Err(blank("profile"));
            }
            let c = s3_credentials::resolve(Some(p))?;
            if c.keys.is_none() {
                return Err(Error::new(Code::AccessDenied, format!("{p}: no keys found"), "Choose another profile, or type the keys."));
            }
            s.who = c.source;
            s.opts.profile = Some(p.to_string());
        }
        Credentials::S3Environment => {
            let c = s3_credentials::resolve(None)?;
            if c.source != "AWS_ACCESS_KEY_ID" {
                return Err(Error::new(Code::AccessDenied, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set", "Set both before starting Ferry, or type the keys."));
            }
            s.who = "keys from AWS_ACCESS_KEY_ID".into();
        }
        Credentials::GcsToken { token } => {
            let t = token.trim();
            if t.is_empty() {
                return Err(blank("access token"));
            }
            if t.contains(char::is_whitespace) {
                return Err(Error::bad_argument("the access token contains spaces or line breaks", "Paste only what `gcloud auth print-access-token` prints (one line)."));
            }
            s.who = "a temporary access token".into();
            s.short_lived = true;
            s.opts.gcs_token = Some(Secret::new(t));
        }
        Credentials::GcsTokenFile { path } => {
            let p = super::sign_in::expand_home(&path, home);
            gcs_credentials::read_token(&p)?; // fail now, with the file named, not at the first put
            s.who = format!("the access token in {}", crate::error::display_path(&p));
            s.short_lived = true;
            s.opts.token_file = Some(p.clone());
            s.file = Some(p);
        }
        Credentials::GcsApplicationDefault => {
            let Some(f) = gcs_credentials::adc_file() else {
                return Err(Error::new(
                    Code::AccessDenied,
                    "no application default credentials on this computer",
                    "Run `gcloud auth application-default login --scopes=https://www.googleapis.com/auth/devstorage.read_write`, or paste an access token.",
                ));
            };
            s.who = format!("application default credentials ({})", adc_kind(&f));
            s.file = Some(f);
        }
    }
    Ok(s)
}

/// `authorized_user` or `service_account <email>`: never a key.
fn adc_kind(path: &Path) -> String {
    let Ok(text) = std::fs::read_to_string(path) else { return crate::error::display_path(path) };
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    match (v.get("type").and_then(|t| t.as_str()), v.get("client_email").and_then(|t| t.as_str())) {
        (Some("service_account"), Some(email)) => format!("service account {email}"),
        (Some(t), _) => format!("{t}, {}", crate::error::display_path(path)),
        _ => crate::error::display_path(path),
    }
}

impl Session {
    /// The core's URL and options for store `name` at `dest` (`fail_fast` for checks and tests).
    pub fn target(&self, dest: &Destination, name: &str, home: &Path, fail_fast: bool) -> Result<(String, DestOptions)> {
        let mut opts = DestOptions { fail_fast, ..self.opts.clone() };
        let shown = url_for(dest, name, home)?;
        let join = |bucket: &str, prefix: &str| {
            let file = shown.rsplit('/').next().unwrap_or_default().to_string();
            let p = prefix.trim().trim_matches('/');
            if p.is_empty() { format!("{bucket}/{file}") } else { format!("{bucket}/{p}/{file}") }
        };
        let url = match dest {
            Destination::Local { .. } => shown,
            Destination::Gcs { bucket, prefix } => {
                // Tests point the wizard at a local GCS stub.
                opts.endpoint = std::env::var("FERRY_GCS_BASE_URL").ok();
                format!("gs://{}", join(bucket.trim(), prefix))
            }
            Destination::Osn { prefix } => {
                opts.endpoint = Some(OSN_ENDPOINT.into());
                format!("s3://{}", join(OSN_BUCKET, prefix))
            }
            Destination::S3 { endpoint, bucket, prefix } => {
                opts.endpoint = Some(endpoint.trim().trim_end_matches('/').to_string());
                format!("s3://{}", join(bucket.trim(), prefix))
            }
        };
        Ok((url, opts))
    }

    /// A browser sign-in to Google: renews its own token, so it is not short-lived.
    pub fn google(g: crate::auth::google_oauth::GoogleSession) -> Session {
        let who = match &g.email {
            Some(e) => format!("{e} (Google, in the browser)"),
            None => "a Google account (signed in with the browser)".into(),
        };
        Session { who, opts: DestOptions { gcs_session: Some(std::sync::Arc::new(g)), ..DestOptions::default() }, file: None, short_lived: false, remembered: None }
    }

    /// The browser sign-in's refresh token (for the keychain).
    pub async fn google_refresh_token(&self) -> Option<Secret> {
        match &self.opts.gcs_session {
            Some(g) => g.refresh_token().await,
            None => None,
        }
    }

    /// A new temporary GCS token (pasted, or the token file read again); other sign-ins refuse.
    pub fn renew_token(&mut self, token: Option<String>) -> Result<()> {
        if !self.short_lived {
            return Err(Error::bad_argument("this sign-in does not use a temporary access token", "Sign in again on the Sign in step."));
        }
        let fresh = match token {
            Some(t) => {
                let t = t.trim();
                if t.is_empty() {
                    return Err(blank("access token"));
                }
                if t.contains(char::is_whitespace) {
                    return Err(Error::bad_argument("the access token contains spaces or line breaks", "Paste only what `gcloud auth print-access-token` prints (one line)."));
                }
                Secret::new(t)
            }
            None => match &self.opts.token_file {
                Some(f) => gcs_credentials::read_token(f)?,
                None => return Err(blank("access token")),
            },
        };
        self.opts.gcs_token = Some(fresh);
        Ok(())
    }

    /// Whether these credentials fit this kind of destination.
    pub fn fits(&self, dest: &Destination) -> bool {
        let gcs = self.opts.gcs_token.is_some() || self.opts.token_file.is_some() || self.opts.gcs_session.is_some() || (self.file.is_some() && !self.short_lived);
        match dest {
            Destination::Local { .. } => true,
            Destination::Gcs { .. } => gcs,
            Destination::Osn { .. } | Destination::S3 { .. } => !gcs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let c = Credentials::S3Keys { access_key_id: "AKIAEXAMPLE".into(), secret_access_key: "canary-secret-42".into() };
        assert!(!format!("{c:?}").contains("canary"));
        let s = session(c, Path::new("/home/me")).unwrap();
        assert!(!format!("{s:?}").contains("canary-secret-42"));
        assert_eq!(s.who, "access key AKIA…");
    }

    #[test]
    fn targets() {
        let home = Path::new("/home/me");
        let s = session(Credentials::S3Keys { access_key_id: "k".into(), secret_access_key: "s".into() }, home).unwrap();
        let (url, o) = s.target(&Destination::Osn { prefix: "me/".into() }, "tas", home, false).unwrap();
        assert_eq!(url, "s3://leap-pangeo-inbox/me/tas.zarr");
        assert_eq!(o.endpoint.as_deref(), Some(OSN_ENDPOINT));
        let (url, o) = s.target(&Destination::S3 { endpoint: "http://127.0.0.1:9/".into(), bucket: "b".into(), prefix: "".into() }, "x.zarr", home, true).unwrap();
        assert_eq!((url.as_str(), o.endpoint.as_deref(), o.fail_fast), ("s3://b/x.zarr", Some("http://127.0.0.1:9"), true));
        assert!(s.fits(&Destination::Osn { prefix: "me".into() }));
        assert!(!s.fits(&Destination::Gcs { bucket: "leap-persistent".into(), prefix: "me".into() }));
        let g = session(Credentials::GcsToken { token: "ya29.x".into() }, home).unwrap();
        assert!(g.fits(&Destination::Gcs { bucket: "b-b".into(), prefix: "".into() }) && g.short_lived);
        assert!(session(Credentials::GcsToken { token: "a b".into() }, home).is_err());
        let mut g = g;
        g.renew_token(Some(" ya29.fresh\n".into())).unwrap();
        assert_eq!(g.opts.gcs_token.as_ref().map(|t| t.expose().to_string()).as_deref(), Some("ya29.fresh"));
        assert!(g.renew_token(Some("two words".into())).is_err() && g.renew_token(None).is_err());
        assert!(s.clone().renew_token(Some("ya29.x".into())).is_err(), "keys are not renewed with a token");
        assert!(session(Credentials::S3Keys { access_key_id: " ".into(), secret_access_key: "s".into() }, home).is_err());
    }
}
