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
    if let Some(w) = readable_by_others(path) {
        eprintln!("warning: {w}");
    }
}

/// The warning for a credentials file that users other than its owner may read, if it is one.
pub fn readable_by_others(path: &std::path::Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let m = std::fs::metadata(path).ok()?;
        if m.permissions().mode() & 0o077 != 0 {
            return Some(format!("{} is readable by other users of this computer; run: chmod 600 {}", path.display(), path.display()));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    None
}

/// The shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`), if it exists.
pub fn credentials_file() -> Option<PathBuf> {
    home_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials").filter(|p| p.exists())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_file_others_can_read_is_named_with_its_fix() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("credentials");
        std::fs::write(&f, "[osn]\naws_access_key_id = A\naws_secret_access_key = canary-secret\n").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        let w = readable_by_others(&f).expect("0644 is readable by others");
        assert!(w.contains("chmod 600") && w.contains("credentials") && !w.contains("canary-secret"), "{w}");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(readable_by_others(&f), None);
        assert_eq!(readable_by_others(&dir.path().join("missing")), None);
    }
}
