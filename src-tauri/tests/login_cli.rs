//! `ferry login gcs` on a machine without a browser: the steps (the exact gcloud command, with the
//! Cloud Storage scope only) and what Ferry finds now, in a throwaway HOME.

use std::process::Command;

fn login(home: &std::path::Path, adc: Option<&std::path::Path>) -> (i32, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ferry"));
    c.args(["login", "gcs"]).env("HOME", home).env("XDG_CONFIG_HOME", home.join(".config")).env_remove("GOOGLE_APPLICATION_CREDENTIALS");
    if let Some(a) = adc {
        c.env("GOOGLE_APPLICATION_CREDENTIALS", a);
    }
    let o = c.output().unwrap();
    (o.status.code().unwrap_or(-1), format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
}

#[test]
fn login_gcs_guides_the_no_browser_flow_and_says_what_it_finds() {
    let home = tempfile::tempdir().unwrap();
    let (code, out) = login(home.path(), None);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("gcloud auth application-default login --no-browser --scopes=https://www.googleapis.com/auth/devstorage.read_write\n"), "{out}");
    assert!(!out.contains("cloud-platform"), "nothing broader than Cloud Storage: {out}");
    assert!(out.contains("Not signed in yet"), "{out}");

    // gcloud has written the file (a user sign-in, mode 0644 as a careless copy would be).
    let dir = home.path().join(".config/gcloud");
    std::fs::create_dir_all(&dir).unwrap();
    let adc = dir.join("application_default_credentials.json");
    std::fs::write(&adc, r#"{"type":"authorized_user","client_id":"x.apps.googleusercontent.com","client_secret":"d-canary","refresh_token":"1//canary-refresh"}"#).unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&adc, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let (code, out) = login(home.path(), None);
    assert_eq!(code, 0);
    assert!(out.contains(&format!("Signed in: Ferry will use {}, a user sign-in (authorized_user", adc.display())), "{out}");
    assert!(out.contains(&format!("chmod 600 {}", adc.display())), "{out}");
    assert!(!out.contains("canary"), "a secret was printed: {out}");

    // GOOGLE_APPLICATION_CREDENTIALS wins; a service account is named by its e-mail.
    let sa = home.path().join("sa.json");
    std::fs::write(&sa, r#"{"type":"service_account","client_email":"uploader@proj.iam.gserviceaccount.com","private_key":"-----BEGIN canary"}"#).unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&sa, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let (_, out) = login(home.path(), Some(&sa));
    assert!(out.contains("the service account uploader@proj.iam.gserviceaccount.com"), "{out}");
    assert!(!out.contains("chmod 600") && !out.contains("canary"), "{out}");
}
