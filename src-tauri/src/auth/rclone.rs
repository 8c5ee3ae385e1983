//! S3 remotes from rclone's config (`RCLONE_CONFIG`, else `~/.config/rclone/rclone.conf`):
//! `type = s3` with `provider`, `endpoint`, `access_key_id`, `secret_access_key`.
//! An encrypted config is detected and explained, never misread.

use super::Secret;
use crate::error::{Code, Error, Result};
use ini::Ini;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct RcloneRemote {
    pub name: String,
    pub provider: Option<String>,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<Secret>,
}

pub fn config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("RCLONE_CONFIG") {
        return Some(PathBuf::from(p));
    }
    let candidates = [dirs::config_dir().map(|d| d.join("rclone/rclone.conf")), dirs::home_dir().map(|h| h.join(".rclone.conf"))];
    candidates.into_iter().flatten().find(|p| p.exists())
}

/// The S3 remotes of the rclone config (empty if there is no config).
pub fn s3_remotes() -> Result<Vec<RcloneRemote>> {
    let Some(path) = config_path() else { return Ok(Vec::new()) };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&path, &e)),
    };
    if text.lines().any(|l| l.trim_start().starts_with("RCLONE_ENCRYPT_V")) {
        return Err(Error::new(
            Code::AccessDenied,
            format!("{}: this rclone config is encrypted", path.display()),
            "Ferry does not decrypt rclone configs: run `rclone config show NAME` and type the keys into Ferry, or use an AWS profile.",
        ));
    }
    super::s3_credentials::warn_if_readable_by_others(&path);
    let ini = Ini::load_from_str(&text).map_err(|e| Error::new(Code::BadArgument, format!("{}: cannot be parsed: {e}", path.display()), "Fix the file with `rclone config`."))?;
    Ok(ini
        .iter()
        .filter_map(|(name, sec)| {
            let name = name?;
            (sec.get("type") == Some("s3")).then(|| RcloneRemote {
                name: name.to_string(),
                provider: sec.get("provider").map(str::to_string),
                endpoint: sec.get("endpoint").map(str::to_string),
                region: sec.get("region").map(str::to_string),
                access_key_id: sec.get("access_key_id").map(str::to_string),
                secret_access_key: sec.get("secret_access_key").map(Secret::new),
            })
        })
        .collect())
}

pub fn remote(name: &str) -> Result<RcloneRemote> {
    let all = s3_remotes()?;
    let names: Vec<_> = all.iter().map(|r| r.name.clone()).collect();
    all.into_iter().find(|r| r.name == name).ok_or_else(|| {
        Error::new(
            Code::AccessDenied,
            format!("rclone remote {name} is not an S3 remote in {}", config_path().map_or_else(|| "(no rclone config)".into(), |p| p.display().to_string())),
            if names.is_empty() { "Create one with `rclone config`.".to_string() } else { format!("S3 remotes there: {}.", names.join(", ")) },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_s3_remotes_and_refuses_encrypted() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("rclone.conf");
        std::fs::write(&p, "[osn]\ntype = s3\nprovider = Ceph\nendpoint = https://nyu1.osn.mghpcc.org\naccess_key_id = AKIA1\nsecret_access_key = s3cr3t\n\n[drive]\ntype = drive\n").unwrap();
        // SAFETY of the test: tests touching RCLONE_CONFIG run in this one test only.
        temp_env(&p, || {
            let r = s3_remotes().unwrap();
            assert_eq!(r.len(), 1);
            assert_eq!(r[0].endpoint.as_deref(), Some("https://nyu1.osn.mghpcc.org"));
            assert_eq!(format!("{:?}", r[0].secret_access_key), "Some(Secret(***))");
            assert!(remote("drive").is_err());
        });
        std::fs::write(&p, "# Encrypted rclone configuration File\n\nRCLONE_ENCRYPT_V0:\nXXXX\n").unwrap();
        temp_env(&p, || {
            let e = s3_remotes().unwrap_err();
            assert!(e.message.contains("encrypted"), "{}", e.message);
        });
    }

    fn temp_env(p: &std::path::Path, f: impl FnOnce()) {
        #[allow(unsafe_code)]
        // SAFETY: single-threaded use within this test; no other test reads RCLONE_CONFIG.
        unsafe {
            std::env::set_var("RCLONE_CONFIG", p);
        }
        f();
        #[allow(unsafe_code)]
        // SAFETY: as above.
        unsafe {
            std::env::remove_var("RCLONE_CONFIG");
        }
    }
}
