//! GCS credentials: a bare access token from a file (`gcloud auth print-access-token`), else
//! application default credentials (`GOOGLE_APPLICATION_CREDENTIALS`, else gcloud's default file).

use super::Secret;
use crate::error::{Code, Error, Result};
use object_store::gcp::GoogleCloudStorageBuilder;
use std::path::{Path, PathBuf};

/// Read a token file: one line, no surrounding whitespace.
pub fn read_token(path: &Path) -> Result<Secret> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
    let token = text.trim();
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err(Error::new(Code::AccessDenied, format!("{}: does not hold an access token", path.display()), "Write the output of `gcloud auth print-access-token` into it (one line)."));
    }
    super::s3_credentials::warn_if_readable_by_others(path);
    Ok(Secret::new(token))
}

/// The application default credentials file in use, if any.
pub fn adc_file() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("GOOGLE_APPLICATION_CREDENTIALS") {
        return Some(PathBuf::from(p));
    }
    let p = dirs::config_dir()?.join("gcloud/application_default_credentials.json");
    p.exists().then_some(p)
}

pub fn apply(b: GoogleCloudStorageBuilder, token_file: Option<&Path>) -> Result<GoogleCloudStorageBuilder> {
    if let Some(f) = token_file {
        return Ok(b.with_bearer_token(read_token(f)?.expose()));
    }
    if let Some(adc) = adc_file() {
        if !adc.exists() {
            return Err(Error::new(Code::AccessDenied, format!("GOOGLE_APPLICATION_CREDENTIALS names {}, which does not exist", adc.display()), "Point it at your credentials JSON, or use --token-file."));
        }
        super::s3_credentials::warn_if_readable_by_others(&adc);
        // A user sign-in (authorized_user) is renewed by Ferry's own OAuth client code, which
        // honours the file's token_uri; service accounts stay with object_store.
        let v: serde_json::Value = std::fs::read(&adc).ok().and_then(|t| serde_json::from_slice(&t).ok()).unwrap_or_default();
        if v.get("type").and_then(|t| t.as_str()) == Some("authorized_user") {
            let (client, refresh) = super::google_oauth::OAuthClient::from_authorized_user(&adc, &v)?;
            return Ok(b.with_credentials(std::sync::Arc::new(super::google_oauth::GoogleSession::lazy(client, refresh))));
        }
        return Ok(b.with_application_credentials(adc.to_string_lossy()));
    }
    Err(Error::new(
        Code::AccessDenied,
        "no Google Cloud credentials: no --token-file and no application default credentials",
        "Run `gcloud auth print-access-token > token.txt` and pass --token-file token.txt, or set GOOGLE_APPLICATION_CREDENTIALS.",
    ))
}
