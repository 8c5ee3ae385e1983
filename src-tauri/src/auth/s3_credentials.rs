//! S3 keys: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, or a profile of `~/.aws/credentials`
//! (`AWS_SHARED_CREDENTIALS_FILE`), with endpoint and region from `~/.aws/config` (`AWS_CONFIG_FILE`).

use super::Secret;
use crate::error::{Code, Error, Result};
use ini::Ini;
use std::path::PathBuf;

#[derive(Debug, Default)]
pub struct S3Credentials {
    /// (access key id, secret, session token)
    pub keys: Option<(String, Secret, Option<Secret>)>,
    pub region: Option<String>,
    pub endpoint: Option<String>,
    /// Where they came from, for "signed in with ..." lines. Never the secret.
    pub source: String,
}

fn home_file(env: &str, rel: &str) -> Option<PathBuf> {
    std::env::var_os(env).map(PathBuf::from).or_else(|| dirs::home_dir().map(|h| h.join(rel)))
}

/// Profiles listed in the shared credentials file (for the wizard's choice).
pub fn profiles() -> Vec<String> {
    home_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials")
        .and_then(|p| Ini::load_from_file(p).ok())
        .map(|ini| ini.sections().flatten().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Resolve keys: an explicit profile wins (`rclone:NAME` names an rclone remote), then the
/// environment, then `AWS_PROFILE` or `default`.
pub fn resolve(profile: Option<&str>) -> Result<S3Credentials> {
    if let Some(name) = profile.and_then(|p| p.strip_prefix("rclone:")) {
        let r = super::rclone::remote(name)?;
        let (Some(id), Some(secret)) = (r.access_key_id, r.secret_access_key) else {
            return Err(Error::new(Code::AccessDenied, format!("rclone remote {name} has no access_key_id/secret_access_key (env_auth?)"), "Give the keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY instead."));
        };
        return Ok(S3Credentials { keys: Some((id, secret, None)), region: r.region, endpoint: r.endpoint, source: format!("rclone remote {name}") });
    }
    if profile.is_none() {
        if let (Ok(id), Ok(secret)) = (std::env::var("AWS_ACCESS_KEY_ID"), std::env::var("AWS_SECRET_ACCESS_KEY")) {
            let token = std::env::var("AWS_SESSION_TOKEN").ok().map(Secret::new);
            return Ok(S3Credentials { keys: Some((id, Secret::new(secret), token)), source: "AWS_ACCESS_KEY_ID".into(), ..Default::default() });
        }
    }
    let explicit = profile.is_some() || std::env::var("AWS_PROFILE").is_ok();
    let name = profile.map(str::to_string).or_else(|| std::env::var("AWS_PROFILE").ok()).unwrap_or_else(|| "default".into());
    let Some(path) = home_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials") else { return Ok(S3Credentials::default()) };
    if !path.exists() {
        if explicit {
            return Err(Error::new(Code::AccessDenied, format!("profile {name}: {} does not exist", path.display()), "Create it (aws configure --profile NAME) or give the keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY."));
        }
        return Ok(S3Credentials::default());
    }
    warn_if_readable_by_others(&path);
    let ini = Ini::load_from_file(&path).map_err(|e| Error::new(Code::BadArgument, format!("{}: cannot be parsed: {e}", path.display()), "Fix the file's INI syntax ([profile] then key = value lines)."))?;
    let Some(sec) = ini.section(Some(name.as_str())) else {
        if explicit {
            return Err(Error::new(Code::AccessDenied, format!("profile {name} is not in {}", path.display()), format!("Profiles there: {}.", profiles().join(", "))));
        }
        return Ok(S3Credentials::default());
    };
    let (Some(id), Some(secret)) = (sec.get("aws_access_key_id"), sec.get("aws_secret_access_key")) else {
        return Err(Error::new(Code::AccessDenied, format!("profile {name} in {} has no aws_access_key_id/aws_secret_access_key", path.display()), "Add both keys to the profile."));
    };
    let token = sec.get("aws_session_token").map(Secret::new);
    let mut c = S3Credentials { keys: Some((id.to_string(), Secret::new(secret), token)), source: format!("profile {name}"), ..Default::default() };
    // ~/.aws/config names sections "profile NAME" (except "default").
    if let Some(cfg) = home_file("AWS_CONFIG_FILE", ".aws/config").and_then(|p| Ini::load_from_file(p).ok()) {
        let section = if name == "default" { "default".to_string() } else { format!("profile {name}") };
        if let Some(s) = cfg.section(Some(section.as_str())) {
            c.region = s.get("region").map(str::to_string);
            c.endpoint = s.get("endpoint_url").map(str::to_string);
        }
    }
    Ok(c)
}

/// A credentials file others can read is a leak waiting to happen: say so (on stderr, without its content).
pub fn warn_if_readable_by_others(path: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(m) = std::fs::metadata(path) {
            if m.permissions().mode() & 0o077 != 0 {
                eprintln!("warning: {} is readable by other users; run: chmod 600 {}", path.display(), path.display());
            }
        }
    }
}
