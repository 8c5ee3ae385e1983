//! The desktop wizard (feature "gui"): tauri commands over the core, nothing more.
//!
//! One command module per wizard step, named like the step in `ui/src/steps/`:
//! sign-in, pick-files, preview, test-write, upload, catalog. Every command is `async`
//! (tauri runs non-async commands on the main thread) and does its blocking work with
//! `spawn_blocking`, so the window never freezes. Errors reach the UI as the core's
//! `{code, message, hint}`.

pub mod catalog;
mod dialog;
pub mod pick_files;
pub mod preview;
pub mod sign_in;
pub mod test_write;
pub mod upload;

use crate::error::{Code, Error, Result};
use crate::inspect::Inspection;
use serde::Serialize;
use std::process::ExitCode;
use std::sync::atomic::AtomicU64;
use std::sync::Mutex;
use ts_rs::TS;

/// What the wizard keeps between commands: the last inspection (Preview re-plans it).
#[derive(Default)]
pub struct AppState {
    /// The inspection of the latest scan that was not cancelled, with its generation.
    pub inspection: Mutex<Option<Inspection>>,
    /// Bumped by every scan and by `cancel_scan`: a scan whose number is stale is discarded.
    pub scan_generation: AtomicU64,
}

/// Whether a step can do its work in this build. Steps 4–6 say no until the upload engine lands.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StepStatus {
    pub available: bool,
    pub message: String,
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
        .manage(AppState::default())
        .invoke_handler(tauri::generate_handler![
            sign_in::destination_defaults,
            sign_in::validate_destination,
            sign_in::check_destination,
            sign_in::remember_destination,
            sign_in::pick_destination_folder,
            sign_in::store_url,
            pick_files::pick_files_dialog,
            pick_files::pick_folder_dialog,
            pick_files::describe_paths,
            pick_files::bundled_sample,
            pick_files::scan,
            pick_files::cancel_scan,
            preview::replan,
            test_write::test_write_status,
            upload::upload_status,
            catalog::catalog_status,
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
