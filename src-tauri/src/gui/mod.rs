//! The desktop wizard (feature "gui"): tauri commands over the core, nothing more.
//!
//! One command module per wizard step, named like the step in `ui/src/steps/`:
//! sign-in, pick-files, preview, test-write, upload, catalog. Every command is `async`
//! (tauri runs non-async commands on the main thread) and does its blocking work with
//! `spawn_blocking`, so the window never freezes. Errors reach the UI as the core's
//! `{code, message, hint}`.

mod about;
pub mod catalog;
pub mod credentials;
mod dialog;
mod google;
mod job;
pub mod pick_files;
pub mod preview;
pub mod sign_in;
pub mod test_write;
pub mod upload;

use crate::error::{Code, Error, Result};
use crate::inspect::Inspection;
use std::process::ExitCode;
use std::sync::atomic::AtomicU64;
use std::sync::Mutex;

/// What the wizard keeps between commands: the last inspection (Preview re-plans it).
#[derive(Default)]
pub struct AppState {
    /// The inspection of the latest scan that was not cancelled, with its generation.
    pub inspection: Mutex<Option<Inspection>>,
    /// Bumped by every scan and by `cancel_scan`: a scan whose number is stale is discarded.
    pub scan_generation: AtomicU64,
    /// The credentials of this session (sign-in), in memory only.
    pub session: Mutex<Option<credentials::Session>>,
    /// Cancels the test write or upload that is running.
    pub cancel: Mutex<Option<tokio_util::sync::CancellationToken>>,
    /// The last finished upload: the catalog step drafts from it.
    pub uploaded: Mutex<Option<upload::Uploaded>>,
    /// Cancels a browser sign-in that is waiting for Google's answer.
    pub google_sign_in: Mutex<Option<tokio_util::sync::CancellationToken>>,
}

/// Lock a mutex even if a panicking thread poisoned it (the data are plain values).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Run blocking work (file system, libnetcdf) off the main thread and the async workers.
pub(crate) async fn blocking<T, F>(f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| Error::new(Code::Internal, format!("a background task failed: {e}"), "This is a bug in Ferry: please report it with what you were doing."))?
}

pub fn run() -> ExitCode {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .manage(AppState::default())
        .invoke_handler(tauri::generate_handler![
            sign_in::destination_defaults,
            sign_in::validate_destination,
            sign_in::check_destination,
            sign_in::remember_destination,
            sign_in::pick_destination_folder,
            sign_in::store_url,
            sign_in::credential_sources,
            sign_in::sign_in,
            sign_in::sign_out,
            sign_in::delete_credentials_file,
            pick_files::pick_files_dialog,
            pick_files::pick_folder_dialog,
            pick_files::describe_paths,
            pick_files::bundled_sample,
            pick_files::scan,
            pick_files::cancel_scan,
            preview::replan,
            preview::quicklook_variables,
            preview::quicklook,
            test_write::run_test_write,
            test_write::cancel_write,
            upload::start_upload,
            upload::interrupted_uploads,
            upload::forget_interrupted,
            sign_in::renew_token,
            google::oauth_client_file,
            google::choose_oauth_client,
            google::sign_in_with_google,
            google::cancel_google_sign_in,
            google::remembered_google,
            google::sign_in_remembered,
            google::forget_google,
            upload::delete_store,
            catalog::catalog_form,
            catalog::draft_catalog,
            catalog::render_issue,
            catalog::render_catalog_files,
            catalog::save_text,
            catalog::open_link,
            about::about,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error[gui]: the window could not be opened: {e}");
            eprintln!("  hint: on a machine without a display, use the commands instead: `ferry --help`.");
            ExitCode::FAILURE
        }
    }
}
