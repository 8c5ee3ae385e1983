//! `ferry login gcs`: signing in to Google Cloud Storage on a machine without a browser (an HPC
//! login node). Ferry cannot keep a sign-in there (no keychain), so it guides the one flow that
//! works: gcloud's `--no-browser` login, which finishes on another computer that has a browser,
//! and leaves application default credentials that Ferry then uses. It says what it finds now.

use crate::auth::{gcs_credentials, google_oauth::SCOPE, s3_credentials};
use crate::error::Result;
use clap::{Args, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Service {
    /// Google Cloud Storage.
    Gcs,
}

#[derive(Args, Debug)]
pub struct LoginArgs {
    /// Where to sign in (gcs). For S3 (the OSN pod), use keys: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or --profile.
    pub service: Service,
}

/// What Ferry would use now: the application default credentials file, and its kind.
fn status() -> String {
    let Some(path) = gcs_credentials::adc_file() else {
        return "Not signed in yet: no application default credentials on this machine.".into();
    };
    let shown = path.display();
    let Ok(text) = std::fs::read_to_string(&path) else {
        return format!("{shown} is named by GOOGLE_APPLICATION_CREDENTIALS but cannot be read: fix the variable or the file.");
    };
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let kind = match (v.get("type").and_then(|t| t.as_str()), v.get("client_email").and_then(|e| e.as_str())) {
        (Some("authorized_user"), _) => "a user sign-in (authorized_user; Ferry renews its token as it goes)".to_string(),
        (Some("service_account"), Some(email)) => format!("the service account {email}"),
        (Some(t), _) => format!("credentials of type {t}"),
        _ => "a file Ferry does not recognise as Google credentials".to_string(),
    };
    let mut out = format!("Signed in: Ferry will use {shown}, {kind}.");
    if let Some(w) = s3_credentials::readable_by_others(&path) {
        out.push_str(&format!("\nWarning: {w}"));
    }
    out
}

pub fn run(args: &LoginArgs) -> Result<ExitCode> {
    let Service::Gcs = args.service;
    let adc = gcs_credentials::adc_file().map(|p| p.display().to_string()).unwrap_or_else(|| "~/.config/gcloud/application_default_credentials.json".into());
    println!(
        "Sign in to Google Cloud Storage on a machine without a browser:\n\n\
         1. Run this here:\n\n   gcloud auth application-default login --no-browser --scopes={SCOPE}\n\n   \
         gcloud prints a command: run that on a computer that has a web browser (and gcloud), sign in\n   \
         there, and paste the URL it gives back into this terminal. Access is to Cloud Storage only.\n\n\
         2. Ferry then uses the file gcloud wrote ({adc}; GOOGLE_APPLICATION_CREDENTIALS overrides it).\n   \
         Check it with: ferry check gs://BUCKET/YOUR-FOLDER/\n\n\
         3. After the upload, delete it (the usual advice for borrowed access):\n\n   \
         gcloud auth application-default revoke    (or: rm {adc})\n\n\
         On a computer with a browser, the wizard (`ferry` with no arguments) can sign in with Google directly.\n\n{}",
        status()
    );
    Ok(ExitCode::SUCCESS)
}
