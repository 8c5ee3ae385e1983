//! Credentials: where they come from, and how they stay out of logs, errors and events.

pub mod gcs_credentials;
pub mod google_oauth;
#[cfg(feature = "keychain")]
pub mod keychain;
pub mod rclone;
pub mod s3_credentials;
mod secret;

pub use secret::Secret;

/// Delete a credentials file the user no longer needs (after an upload with borrowed access).
/// Refuses a folder; a file already gone counts as deleted.
pub fn forget_file(path: &std::path::Path) -> crate::error::Result<()> {
    use crate::error::{Code, Error};
    if path.is_dir() {
        return Err(Error::bad_argument(format!("{}: is a folder, not a credentials file", crate::error::display_path(path)), "Nothing was deleted."));
    }
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::new(Code::Io, format!("{}: cannot delete it: {e}", crate::error::display_path(path)), "Delete it by hand (e.g. `rm` in a terminal), or check its folder's permissions.")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn forget_file_deletes_a_file_and_refuses_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("application_default_credentials.json");
        std::fs::write(&f, "{}").unwrap();
        super::forget_file(&f).unwrap();
        assert!(!f.exists());
        super::forget_file(&f).unwrap(); // gone already: fine
        assert_eq!(super::forget_file(dir.path()).unwrap_err().code, crate::error::Code::BadArgument);
        assert!(dir.path().exists());
    }
}
