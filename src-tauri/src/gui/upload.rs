//! Step 5, upload: the whole store (`ferry::upload::write_store`) with progress over a channel,
//! cancel, and resume of an interrupted upload; a failed or unwanted store can be deleted.

use super::job::{self, WriteChoices};
use super::sign_in::{self, Destination};
use super::{blocking, lock, AppState};
use crate::error::{Code, Error, Result};
use crate::store::{DestOptions, Destination as Store};
use crate::upload::{self, record, target, Progress, WriteSummary};
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use ts_rs::TS;

/// What to do about a store that may already exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum UploadMode {
    /// Refuse if anything is there (the error says whether it is an interrupted upload).
    New,
    /// Delete the Zarr store that is there, then write.
    Overwrite,
    /// Finish an interrupted upload: check the sources, skip the chunks already written.
    Resume,
}

/// The last finished upload, for the catalog step (its options may hold the session's keys).
#[derive(Debug, Clone)]
pub struct Uploaded {
    pub url: String,
    pub opts: DestOptions,
    pub summary: WriteSummary,
}

#[tauri::command]
pub async fn start_upload(
    app: AppHandle,
    state: State<'_, AppState>,
    destination: Destination,
    store: String,
    choices: WriteChoices,
    mode: UploadMode,
    on_progress: Channel<Progress>,
) -> Result<WriteSummary> {
    let ins = job::scanned(&state)?;
    let opts = choices.options(mode == UploadMode::Overwrite, mode == UploadMode::Resume)?;
    let (url, dest_opts) = sign_in::target(&app, &state, &destination, &store, false)?;
    let open_opts = dest_opts.clone();
    let open_url = url.clone();
    let dest = blocking(move || Store::open(&open_url, &open_opts)).await?;
    let running = job::begin(&state)?;
    if mode != UploadMode::Resume {
        upload::prepare_target(&dest, mode == UploadMode::Overwrite).await?;
    }
    let summary = upload::write_store(&ins, &dest, &opts, job::sink(on_progress), running.token.clone()).await?;
    *lock(&state.uploaded) = Some(Uploaded { url, opts: dest_opts, summary: summary.clone() });
    Ok(summary)
}

/// An upload that did not finish, as recorded on this computer.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct InterruptedUpload {
    pub url: String,
    #[ts(type = "number")]
    pub chunks_total: u64,
    /// The source files' names.
    pub files: Vec<String>,
}

#[tauri::command]
pub async fn interrupted_uploads() -> Result<Vec<InterruptedUpload>> {
    blocking(|| {
        Ok(record::list_local()
            .into_iter()
            .map(|r| InterruptedUpload {
                url: r.url,
                chunks_total: r.chunks_total,
                files: r.sources.iter().map(|f| f.path.rsplit('/').next().unwrap_or(&f.path).to_string()).collect(),
            })
            .collect())
    })
    .await
}

/// Delete the Zarr store `store` at `destination` (the UI asks first). Refuses anything that
/// is not a Zarr store. Returns the number of objects deleted.
#[tauri::command]
pub async fn delete_store(app: AppHandle, state: State<'_, AppState>, destination: Destination, store: String) -> Result<u64> {
    let (url, opts) = sign_in::target(&app, &state, &destination, &store, true)?;
    let dest = blocking(move || Store::open(&url, &opts)).await?;
    let keys = target::list_store(&dest).await?;
    if keys.is_empty() {
        return Ok(0);
    }
    if !target::looks_like_store(&dest, &keys) {
        return Err(Error::new(Code::NotAStore, format!("{}: is not a Zarr store ({} objects)", dest.url, keys.len()), "Ferry deletes Zarr stores only; remove other data with your storage provider's tools."));
    }
    let n = keys.len() as u64;
    target::delete_all(&dest, keys).await?;
    record::remove_local(&dest.url);
    Ok(n)
}
