//! Step 1, sign-in: where the store goes. A local folder is checked live as it is typed; a cloud
//! destination is checked when the user signs in (credentials.rs): who am I, and can I list,
//! write and delete under this prefix.

use super::credentials::{self, CredentialSources, Credentials};
use super::{blocking, dialog, AppState};
use crate::store::check_access;
use crate::error::{display_path, Code, Error, Result};
use crate::merge::Severity;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

pub const OSN_ENDPOINT: &str = "https://nyu1.osn.mghpcc.org";
pub const OSN_BUCKET: &str = "leap-pangeo-inbox";
pub const GCS_PERSISTENT_BUCKET: &str = "leap-persistent";
pub const GCS_SCRATCH_BUCKET: &str = "leap-scratch";
/// The first-launch destination, under the home folder.
pub const DEFAULT_LOCAL_FOLDER: &str = "ferry-stores";
const SETTINGS_FILE: &str = "settings.json";

/// Where the Zarr store is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Destination {
    /// A folder on this computer (or a mounted share). `~` means the home folder.
    Local { path: String },
    /// Google Cloud Storage: `gs://bucket/prefix`.
    Gcs { bucket: String, prefix: String },
    /// The OSN pod: endpoint and bucket are fixed, the prefix is the user's.
    Osn { prefix: String },
    /// Any S3-compatible service (path-style addressing).
    S3 { endpoint: String, bucket: String, prefix: String },
}

/// A problem with one field of the form, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldIssue {
    /// `path`, `bucket`, `prefix` or `endpoint`.
    pub field: String,
    pub severity: Severity,
    pub message: String,
}

/// What the live check found (a failed check is an `Err` with code, message and hint).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CheckOutcome {
    /// True when the check really ran and passed; false when it cannot run in this build.
    pub checked: bool,
    pub message: String,
}

/// The presets the form shows, and the destination to start from.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DestinationDefaults {
    /// The remembered destination, else the first-launch default (a local folder).
    pub initial: Destination,
    /// Whether `initial` was remembered from an earlier session.
    pub remembered: bool,
    pub default_local: String,
    pub osn_endpoint: String,
    pub osn_bucket: String,
    pub gcs_persistent_bucket: String,
    pub gcs_scratch_bucket: String,
}

fn issue(field: &str, severity: Severity, message: impl Into<String>) -> FieldIssue {
    FieldIssue { field: field.into(), severity, message: message.into() }
}

/// S3 and GCS bucket names: 3–63 characters of lowercase letters, digits, `-`, `.` (GCS: `_` too),
/// starting and ending with a letter or digit.
fn check_bucket(bucket: &str, allow_underscore: bool, out: &mut Vec<FieldIssue>) {
    let b = bucket.trim();
    if b.is_empty() {
        out.push(issue("bucket", Severity::Error, "Enter the bucket name."));
        return;
    }
    if b.len() < 3 || b.len() > 63 {
        out.push(issue("bucket", Severity::Error, format!("A bucket name has 3 to 63 characters; this one has {}.", b.len())));
    }
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' || (allow_underscore && c == '_');
    if let Some(c) = b.chars().find(|&c| !ok_char(c)) {
        let allowed = if allow_underscore { "lowercase letters, digits, '-', '_' and '.'" } else { "lowercase letters, digits, '-' and '.'" };
        let what = if c.is_ascii_uppercase() { "uppercase letters".to_string() } else if c == '/' { "'/' (put folders in the prefix)".to_string() } else { format!("'{c}'") };
        out.push(issue("bucket", Severity::Error, format!("Bucket names cannot contain {what}: use {allowed}.")));
    } else if !b.starts_with(|c: char| c.is_ascii_alphanumeric()) || !b.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        out.push(issue("bucket", Severity::Error, "A bucket name starts and ends with a letter or digit."));
    }
}

fn check_prefix(prefix: &str, required: bool, out: &mut Vec<FieldIssue>) {
    let p = prefix.trim();
    if p.is_empty() {
        if required {
            out.push(issue("prefix", Severity::Error, "Enter a prefix (a folder in the bucket), e.g. your GitHub username followed by /."));
        }
        return;
    }
    if p.starts_with('/') {
        out.push(issue("prefix", Severity::Error, "The prefix is relative to the bucket: remove the leading '/'."));
    } else if p.split('/').any(|s| s == ".." || s == ".") {
        out.push(issue("prefix", Severity::Error, "The prefix cannot contain '.' or '..' folders."));
    } else if p.contains("//") {
        out.push(issue("prefix", Severity::Error, "The prefix has an empty folder ('//')."));
    } else if p.contains(['\\', '\n', '\t']) || p.contains("://") {
        out.push(issue("prefix", Severity::Error, "The prefix is a path inside the bucket, like user/project/ (no URL, no backslashes)."));
    }
}

/// Field-by-field validation, the same for the form and (later) the upload engine.
pub fn validate(dest: &Destination) -> Vec<FieldIssue> {
    let mut out = Vec::new();
    match dest {
        Destination::Local { path } => {
            let p = path.trim();
            if p.is_empty() {
                out.push(issue("path", Severity::Error, "Enter a folder, or choose one."));
            } else if !(p.starts_with('/') || p == "~" || p.starts_with("~/")) {
                out.push(issue("path", Severity::Error, "Use a full path, starting with / or ~/."));
            }
        }
        Destination::Gcs { bucket, prefix } => {
            check_bucket(bucket, true, &mut out);
            check_prefix(prefix, false, &mut out);
            if bucket.trim() == GCS_SCRATCH_BUCKET {
                out.push(issue("bucket", Severity::Warning, format!("{GCS_SCRATCH_BUCKET} is emptied after 7 days: use it for trials only; {GCS_PERSISTENT_BUCKET} keeps data.")));
            }
        }
        Destination::Osn { prefix } => check_prefix(prefix, true, &mut out),
        Destination::S3 { endpoint, bucket, prefix } => {
            let e = endpoint.trim();
            if e.is_empty() {
                out.push(issue("endpoint", Severity::Error, "Enter the endpoint URL, e.g. https://s3.example.org."));
            } else {
                match tauri::Url::parse(e) {
                    Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                        if u.scheme() == "http" && !matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]")) {
                            out.push(issue("endpoint", Severity::Warning, "Plain http sends your keys and data unencrypted: prefer https."));
                        }
                        if !u.path().trim_matches('/').is_empty() {
                            out.push(issue("endpoint", Severity::Error, "The endpoint is the server only (https://host[:port]): put the bucket and folders in their own fields."));
                        }
                    }
                    _ => out.push(issue("endpoint", Severity::Error, "The endpoint is a URL starting with https:// (or http://)."))
                }
            }
            check_bucket(bucket, false, &mut out);
            check_prefix(prefix, false, &mut out);
        }
    }
    out
}

/// `~` and `~/x` relative to `home`.
pub fn expand_home(path: &str, home: &Path) -> PathBuf {
    let p = path.trim();
    if p == "~" {
        home.to_path_buf()
    } else if let Some(rest) = p.strip_prefix("~/") {
        home.join(rest)
    } else {
        PathBuf::from(p)
    }
}

fn not_writable(dir: &Path, err: &std::io::Error) -> Error {
    let d = display_path(dir);
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => Error::new(
            Code::Io,
            format!("{d}: Ferry cannot write here (permission denied)"),
            "Choose a folder you own, for example one in your home folder.",
        ),
        std::io::ErrorKind::ReadOnlyFilesystem => {
            Error::new(Code::Io, format!("{d}: the disk is read-only"), "Choose a folder on a writable disk.")
        }
        _ => Error::new(Code::Io, format!("{d}: a test file could not be written: {err}"), "Check that the disk is mounted and has free space, or choose another folder."),
    }
}

/// Write and delete a small file in `dir`.
fn probe(dir: &Path) -> Result<()> {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let file = dir.join(format!(".ferry-write-check-{}-{nanos}", std::process::id()));
    std::fs::write(&file, b"ferry write check\n").map_err(|e| not_writable(dir, &e))?;
    std::fs::remove_file(&file).map_err(|e| not_writable(dir, &e))
}

/// The live check of a local folder: it exists (or can be created) and is writable.
/// Nothing is created: a missing folder is checked through its nearest existing parent.
pub fn check_local(path: &Path) -> Result<CheckOutcome> {
    let shown = display_path(path);
    if path.is_dir() {
        probe(path)?;
        return Ok(CheckOutcome { checked: true, message: format!("{shown} exists and is writable.") });
    }
    if path.exists() {
        return Err(Error::new(Code::BadArgument, format!("{shown} is a file, not a folder"), "Choose a folder: the store is written inside it."));
    }
    let mut parent = path.parent();
    while let Some(p) = parent {
        if p.is_dir() {
            probe(p)?;
            return Ok(CheckOutcome {
                checked: true,
                message: format!("{shown} does not exist yet: it will be created (in {}, which is writable).", display_path(p)),
            });
        }
        if p.exists() {
            return Err(Error::new(Code::BadArgument, format!("{} is a file, not a folder", display_path(p)), "Choose a path whose parents are folders."));
        }
        parent = p.parent();
    }
    Err(Error::new(Code::PathNotFound, format!("{shown}: no existing parent folder"), "Use a full path, starting with / or ~/."))
}

fn not_signed_in(service: &str) -> CheckOutcome {
    CheckOutcome { checked: false, message: format!("Choose how you sign in to {service}, then press \"Sign in and check\".") }
}

/// What signing in found: who, and what the credentials may do under the prefix.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SignedIn {
    /// "access key AKIA…", "profile osn", "a temporary access token": never a secret.
    pub who: String,
    /// Where the check wrote its probe (the prefix, as a URL).
    pub url: String,
    pub can_list: bool,
    pub can_write: bool,
    pub can_delete: bool,
    /// LEAP's rules (your own prefix, leap-scratch emptied after 7 days).
    pub warnings: Vec<String>,
    /// A token that lives about an hour: long uploads will outlast it.
    pub short_lived: bool,
    /// The credentials file in use, if any (offered for deletion after an upload).
    pub file: Option<String>,
}

/// The name of the probe store under the prefix: the check writes and deletes one object in it.
const PROBE_STORE: &str = "ferry-sign-in-check";

fn invalid(issues: &[FieldIssue]) -> Option<Error> {
    let first = issues.iter().find(|i| i.severity == Severity::Error)?;
    Some(Error::bad_argument(format!("{}: {}", first.field, first.message), "Fix the highlighted field, then check again."))
}

fn home(app: &AppHandle) -> PathBuf {
    app.path().home_dir().unwrap_or_else(|_| PathBuf::from("/"))
}

/// The store's address as Python's xarray opens it: a path, `gs://…` or the https URL of an S3 pod.
pub fn url_for(dest: &Destination, store: &str, home: &Path) -> Result<String> {
    let name = store.trim();
    if name.is_empty() {
        return Err(Error::bad_argument("the store name is empty", "Name the store, e.g. after the dataset."));
    }
    if name.starts_with('.') || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(Error::bad_argument(
            format!("\"{name}\" is not a usable store name"),
            "Use letters, digits, '-', '_' and '.', not starting with '.'.",
        ));
    }
    let name = if name.ends_with(".zarr") { name.to_string() } else { format!("{name}.zarr") };
    let join = |prefix: &str| {
        let p = prefix.trim().trim_matches('/');
        if p.is_empty() { name.clone() } else { format!("{p}/{name}") }
    };
    Ok(match dest {
        Destination::Local { path } => expand_home(path, home).join(&name).to_string_lossy().into_owned(),
        Destination::Gcs { bucket, prefix } => format!("gs://{}/{}", bucket.trim(), join(prefix)),
        Destination::Osn { prefix } => format!("{OSN_ENDPOINT}/{OSN_BUCKET}/{}", join(prefix)),
        Destination::S3 { endpoint, bucket, prefix } => format!("{}/{}/{}", endpoint.trim().trim_end_matches('/'), bucket.trim(), join(prefix)),
    })
}

fn settings_path(app: &AppHandle) -> Option<PathBuf> {
    app.path().app_config_dir().ok().map(|d| d.join(SETTINGS_FILE))
}

#[derive(Default, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Destination>,
    /// The organisation's OAuth client file for "Sign in with Google" (a path; not a secret store).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth_client: Option<String>,
}

pub fn read_settings(app: &AppHandle) -> Settings {
    settings_path(app).and_then(|p| std::fs::read(p).ok()).and_then(|b| serde_json::from_slice::<Settings>(&b).ok()).unwrap_or_default()
}

/// Change the settings file (read, edit, write back whole).
pub fn edit_settings(app: &AppHandle, edit: impl FnOnce(&mut Settings)) -> Result<()> {
    let Some(path) = settings_path(app) else { return Ok(()) };
    let mut settings = read_settings(app);
    edit(&mut settings);
    let json = serde_json::to_vec_pretty(&settings).map_err(|e| Error::new(Code::Internal, e.to_string(), "This is a bug in Ferry."))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
    }
    std::fs::write(&path, json).map_err(|e| Error::io(&path, &e))
}

#[tauri::command]
pub async fn destination_defaults(app: AppHandle) -> Result<DestinationDefaults> {
    let default_local = format!("~/{DEFAULT_LOCAL_FOLDER}");
    let a = app.clone();
    let remembered = blocking(move || Ok(read_settings(&a).destination)).await?;
    Ok(DestinationDefaults {
        remembered: remembered.is_some(),
        initial: remembered.unwrap_or(Destination::Local { path: default_local.clone() }),
        default_local,
        osn_endpoint: OSN_ENDPOINT.into(),
        osn_bucket: OSN_BUCKET.into(),
        gcs_persistent_bucket: GCS_PERSISTENT_BUCKET.into(),
        gcs_scratch_bucket: GCS_SCRATCH_BUCKET.into(),
    })
}

#[tauri::command]
pub async fn validate_destination(destination: Destination) -> Vec<FieldIssue> {
    validate(&destination)
}

/// The live check. `Ok` with `checked: false` means it cannot run in this build (cloud kinds).
#[tauri::command]
pub async fn check_destination(app: AppHandle, destination: Destination) -> Result<CheckOutcome> {
    if let Some(e) = invalid(&validate(&destination)) {
        return Err(e);
    }
    match destination {
        Destination::Local { path } => {
            let p = expand_home(&path, &home(&app));
            blocking(move || check_local(&p)).await
        }
        Destination::Gcs { .. } => Ok(not_signed_in("Google Cloud Storage")),
        Destination::Osn { .. } => Ok(not_signed_in("the OSN pod")),
        Destination::S3 { .. } => Ok(not_signed_in("this S3-compatible service")),
    }
}

/// Where credentials were found on this computer (names and paths, never values).
#[tauri::command]
pub async fn credential_sources() -> Result<CredentialSources> {
    blocking(|| Ok(credentials::sources())).await
}

/// Sign in to a cloud destination and check it: list the prefix, write and delete one object.
/// On success the credentials are kept in memory for this session; the webview gets `SignedIn`.
#[tauri::command]
pub async fn sign_in(app: AppHandle, state: State<'_, AppState>, destination: Destination, credentials: Credentials) -> Result<SignedIn> {
    if let Some(e) = invalid(&validate(&destination)) {
        return Err(e);
    }
    let session = credentials::session(credentials, &home(&app))?;
    check_and_keep(&app, &state, &destination, session).await
}

/// Check a new session against `destination` (list, write and delete one object under the
/// prefix) and keep it for this run of the app; the webview gets `SignedIn`, never a secret.
pub async fn check_and_keep(app: &AppHandle, state: &AppState, destination: &Destination, session: credentials::Session) -> Result<SignedIn> {
    let home = home(app);
    if !session.fits(destination) {
        return Err(Error::bad_argument("these credentials are for another kind of storage", "Choose a sign-in method listed for this destination."));
    }
    let (url, opts) = session.target(destination, PROBE_STORE, &home, true)?;
    let dest = blocking(move || crate::store::Destination::open(&url, &opts)).await?;
    let c = check_access(&dest, Some(session.who.clone())).await;
    if !c.ok() {
        let e = c.errors.first().cloned().unwrap_or_else(|| Error::new(Code::AccessDenied, format!("{}: access was refused", c.url), "Check the credentials and the prefix."));
        return Err(e);
    }
    let parent = c.url.trim_end_matches(PROBE_STORE).to_string();
    let out = SignedIn {
        who: session.who.clone(),
        url: parent,
        can_list: c.can_list,
        can_write: c.can_write,
        can_delete: c.can_delete,
        warnings: c.warnings,
        short_lived: session.short_lived,
        file: session.file.as_ref().map(|p| p.to_string_lossy().into_owned()),
    };
    *state.session.lock().unwrap_or_else(|e| e.into_inner()) = Some(session);
    Ok(out)
}

/// Forget the credentials of this session.
#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Result<()> {
    // Also called when the destination changes; the Sign out button then forgets a remembered
    // Google sign-in with `forget_google`.
    *state.session.lock().unwrap_or_else(|e| e.into_inner()) = None;
    Ok(())
}

/// A temporary GCS access token expired (they live about an hour): take a new one and keep the
/// session, so the upload resumes where it stopped. `token`: pasted; none: read the session's
/// token file again (after `gcloud auth print-access-token > FILE`). Nothing is contacted here.
#[tauri::command]
pub async fn renew_token(state: State<'_, AppState>, token: Option<String>) -> Result<()> {
    let mut guard = super::lock(&state.session);
    let Some(session) = guard.as_mut() else {
        return Err(Error::new(Code::AccessDenied, "not signed in", "Go back to Sign in and sign in again."));
    };
    session.renew_token(token)
}

/// After an upload: delete the credentials file this session signed in with (the usual advice for
/// borrowed access), then sign out. Only that file — the path never comes from the webview — and
/// only once an upload has finished. Returns the deleted file's path.
#[tauri::command]
pub async fn delete_credentials_file(state: State<'_, AppState>) -> Result<String> {
    if super::lock(&state.uploaded).is_none() {
        return Err(Error::bad_argument("no upload has finished in this session", "Delete the credentials file after the upload, when you no longer need it."));
    }
    let file = super::lock(&state.session).as_ref().and_then(|s| s.file.clone());
    let Some(file) = file else {
        return Err(Error::bad_argument("this sign-in used no credentials file", "Nothing to delete: Ferry keeps pasted keys and tokens in memory only."));
    };
    crate::auth::forget_file(&file)?;
    *super::lock(&state.session) = None;
    Ok(file.to_string_lossy().into_owned())
}

/// The session's URL and options for `store` at `destination` (a local folder needs no sign-in).
pub fn target(app: &AppHandle, state: &AppState, destination: &Destination, store: &str, fail_fast: bool) -> Result<(String, crate::store::DestOptions)> {
    if let Some(e) = invalid(&validate(destination)) {
        return Err(e);
    }
    let home = home(app);
    let guard = state.session.lock().unwrap_or_else(|e| e.into_inner());
    match (&*guard, destination) {
        (_, Destination::Local { .. }) => credentials::Session::default().target(destination, store, &home, fail_fast),
        (Some(s), d) if s.fits(d) => s.target(d, store, &home, fail_fast),
        _ => Err(Error::new(Code::AccessDenied, "not signed in to this destination", "Go back to Sign in and press \"Sign in and check\".")),
    }
}

/// Remember the destination for the next launch (only once it validates).
#[tauri::command]
pub async fn remember_destination(app: AppHandle, destination: Destination) -> Result<()> {
    if let Some(e) = invalid(&validate(&destination)) {
        return Err(e);
    }
    blocking(move || edit_settings(&app, |s| s.destination = Some(destination))).await
}

#[tauri::command]
pub async fn pick_destination_folder(app: AppHandle) -> Result<Option<String>> {
    let picked = dialog::pick_folder(&app, "Choose the folder for the Zarr store").await?;
    Ok(picked.map(|p| p.to_string_lossy().into_owned()))
}

#[tauri::command]
pub async fn store_url(app: AppHandle, destination: Destination, store: String) -> Result<String> {
    url_for(&destination, &store, &home(&app))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(d: &Destination) -> Vec<String> {
        validate(d).into_iter().filter(|i| i.severity == Severity::Error).map(|i| i.field).collect()
    }

    #[test]
    fn validation() {
        assert!(errors(&Destination::Local { path: "~/ferry-stores".into() }).is_empty());
        assert_eq!(errors(&Destination::Local { path: "stores".into() }), ["path"]);
        assert!(errors(&Destination::Gcs { bucket: "leap-persistent".into(), prefix: "octocat/".into() }).is_empty());
        assert_eq!(errors(&Destination::Gcs { bucket: "Leap".into(), prefix: "/x".into() }), ["bucket", "prefix"]);
        let scratch = validate(&Destination::Gcs { bucket: "leap-scratch".into(), prefix: "me/".into() });
        assert!(scratch.iter().any(|i| i.severity == Severity::Warning && i.message.contains("7 days")));
        assert_eq!(errors(&Destination::Osn { prefix: "".into() }), ["prefix"]);
        assert_eq!(errors(&Destination::S3 { endpoint: "s3.example.org".into(), bucket: "ab".into(), prefix: "".into() }), ["endpoint", "bucket"]);
        assert!(errors(&Destination::S3 { endpoint: "https://s3.example.org:9000".into(), bucket: "my.bucket-1".into(), prefix: "a/b/".into() }).is_empty());
    }

    #[test]
    fn urls() {
        let home = Path::new("/home/me");
        assert_eq!(url_for(&Destination::Local { path: "~/ferry-stores".into() }, "tas", home).unwrap(), "/home/me/ferry-stores/tas.zarr");
        assert_eq!(url_for(&Destination::Gcs { bucket: "leap-persistent".into(), prefix: "me/".into() }, "tas.zarr", home).unwrap(), "gs://leap-persistent/me/tas.zarr");
        assert_eq!(url_for(&Destination::Osn { prefix: "me".into() }, "x", home).unwrap(), "https://nyu1.osn.mghpcc.org/leap-pangeo-inbox/me/x.zarr");
        assert_eq!(url_for(&Destination::S3 { endpoint: "http://127.0.0.1:9000/".into(), bucket: "b".into(), prefix: "".into() }, "x", home).unwrap(), "http://127.0.0.1:9000/b/x.zarr");
        assert!(url_for(&Destination::Osn { prefix: "me".into() }, "../x", home).is_err());
        assert!(url_for(&Destination::Osn { prefix: "me".into() }, " ", home).is_err());
    }

    #[test]
    fn local_check() {
        let tmp = tempfile::tempdir().unwrap();
        let ok = check_local(tmp.path()).unwrap();
        assert!(ok.checked && ok.message.contains("writable"));
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "the probe file is removed");
        let later = tmp.path().join("a/b");
        assert!(check_local(&later).unwrap().message.contains("will be created"));
        assert!(!later.exists(), "the check creates nothing");
        let file = tmp.path().join("f");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(check_local(&file).unwrap_err().code, Code::BadArgument);
        assert_eq!(check_local(&file.join("sub")).unwrap_err().code, Code::BadArgument);
    }
}
