//! Step 4, test-write: a few steps of the real dataset, written beside the store and read back
//! (`ferry::upload::test_write`), with the measured speed and the projected upload.

use super::job::{self, WriteChoices};
use super::sign_in::{self, Destination};
use super::{blocking, AppState};
use crate::error::Result;
use crate::store::Destination as Store;
use crate::upload::test_write::{test_write, TestWriteReport};
use crate::upload::Progress;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

#[tauri::command]
pub async fn run_test_write(
    app: AppHandle,
    state: State<'_, AppState>,
    destination: Destination,
    store: String,
    choices: WriteChoices,
    on_progress: Channel<Progress>,
) -> Result<TestWriteReport> {
    let ins = job::scanned(&state)?;
    // A test answers within seconds: no waiting for a network that is not there.
    let opts = crate::upload::WriteOptions { network_wait: std::time::Duration::ZERO, ..choices.options(true, false)? };
    let (url, dest_opts) = sign_in::target(&app, &state, &destination, &store, true)?;
    let dest = blocking(move || Store::open(&url, &dest_opts)).await?;
    let running = job::begin(&state)?;
    test_write(&ins, &dest, &opts, false, job::sink(on_progress), running.token.clone()).await
}

/// Cancel the running test write or upload. False when nothing runs.
#[tauri::command]
pub async fn cancel_write(state: State<'_, AppState>) -> Result<bool> {
    Ok(job::cancel(&state))
}
