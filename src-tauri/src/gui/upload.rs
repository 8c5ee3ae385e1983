//! Step 5, upload: the whole store (`ferry::upload::write_store`) with progress over a channel,
//! cancel, and resume of an interrupted upload; a failed or unwanted store can be deleted.

use super::job::{self, WriteChoices};
use super::preview::ChunkEdit;
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

/// How the files were joined and the chunks planned (Pick files' advanced options, Preview's edits).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanInputs {
    /// Empty: found automatically.
    pub concat_dim: String,
    /// Empty: the root group.
    pub group: String,
    pub target_mb: f64,
    pub overrides: Vec<ChunkEdit>,
}

/// Everything the wizard needs to rebuild an upload after a restart: no secret (a typed key or
/// pasted token is asked for again), kept in this computer's upload record only.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WizardSession {
    pub destination: Destination,
    pub store: String,
    pub files: Vec<String>,
    pub plan: PlanInputs,
    pub choices: WriteChoices,
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn start_upload(
    app: AppHandle,
    state: State<'_, AppState>,
    destination: Destination,
    store: String,
    choices: WriteChoices,
    plan: PlanInputs,
    mode: UploadMode,
    on_progress: Channel<Progress>,
) -> Result<WriteSummary> {
    let ins = job::scanned(&state)?;
    let mut opts = choices.options(mode == UploadMode::Overwrite, mode == UploadMode::Resume)?;
    let session = WizardSession { destination: destination.clone(), store: store.clone(), files: ins.dataset.files.iter().map(|f| f.path.clone()).collect(), plan, choices };
    opts.wizard = serde_json::to_value(&session).ok();
    let (url, dest_opts) = sign_in::target(&app, &state, &destination, &store, false)?;
    let open_opts = dest_opts.clone();
    let open_url = url.clone();
    let dest = blocking(move || Store::open(&open_url, &open_opts)).await?;
    let running = job::begin(&state)?;
    if mode != UploadMode::Resume {
        upload::prepare_target(&dest, mode == UploadMode::Overwrite).await?;
    }
    let result = upload::write_store(&ins, &dest, &opts, job::sink(on_progress), running.token.clone()).await;
    notify(&app, &dest.name(), &result);
    let summary = result?;
    *lock(&state.uploaded) = Some(Uploaded { url, opts: dest_opts, summary: summary.clone() });
    Ok(summary)
}

/// Uploads take hours and people look away: say how it ended on the desktop (not for a cancel,
/// which the user just did). The text names the store and never holds a secret (errors never do).
fn notify(app: &AppHandle, store: &str, result: &Result<WriteSummary>) {
    use tauri_plugin_notification::NotificationExt;
    let (title, body) = match result {
        Ok(s) => (format!("Upload finished: {store}"), format!("{} chunks, {:.1} MB stored at {}", s.chunks, s.bytes_stored as f64 / 1e6, s.url)),
        Err(e) if e.code == Code::Cancelled => return,
        Err(e) => (format!("Upload stopped: {store}"), format!("{} Open Ferry to resume it.", short(&e.message))),
    };
    let _ = app.notification().builder().title(title).body(body).show();
}

/// The gist of an error for a notification: up to its first parenthesis (the service's own
/// words), at most 140 characters.
fn short(message: &str) -> String {
    let gist = message.split(" (").next().unwrap_or(message).trim_end_matches(['.', ':']);
    match gist.char_indices().nth(140) {
        Some((i, _)) => format!("{}….", &gist[..i]),
        None => format!("{gist}."),
    }
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
    /// Set when the wizard started it: what "Resume" restores (CLI uploads resume from the CLI).
    pub session: Option<WizardSession>,
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
                session: r.wizard.and_then(|v| serde_json::from_value(v).ok()),
            })
            .collect())
    })
    .await
}

/// "Forget it": this computer stops offering to resume the upload to `url`. The partial store
/// stays where it is (Replace or `ferry rm` deletes it).
#[tauri::command]
pub async fn forget_interrupted(url: String) -> Result<()> {
    blocking(move || {
        record::remove_local(&url);
        Ok(())
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

#[cfg(test)]
mod tests {
    #[test]
    fn notification_text_is_the_gist() {
        assert_eq!(super::short("gs://b/x.zarr: not signed in, or the token has expired (The operation lacked valid authentication credentials for path …)"), "gs://b/x.zarr: not signed in, or the token has expired.");
        assert_eq!(super::short("the endpoint does not answer."), "the endpoint does not answer.");
        assert!(super::short(&"x".repeat(500)).chars().count() <= 142);
    }
}
