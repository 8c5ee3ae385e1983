//! What the test write and the upload share: the user's write choices, the scanned dataset,
//! progress over a channel, and one cancellable job at a time.

use super::{lock, AppState};
use crate::error::{Code, Error, Result};
use crate::inspect::Inspection;
use crate::upload::{Progress, Sink, WriteOptions};
use crate::write::{Compression, ZarrFormat};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tauri::ipc::Channel;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// The advanced options of the wizard (defaults: Zarr v2, zstd:3, 8 puts in flight).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WriteChoices {
    /// 2 (the compatible default, with `.zmetadata`) or 3.
    pub zarr_format: u8,
    /// `zstd:N`, `blosc-zstd:N`, `gzip:N` or `none`.
    pub compression: String,
    /// Chunks uploaded at once.
    pub concurrency: u32,
}

impl WriteChoices {
    pub fn options(&self, overwrite: bool, resume: bool) -> Result<WriteOptions> {
        if self.concurrency == 0 || self.concurrency > 64 {
            return Err(Error::bad_argument(format!("{} uploads at once", self.concurrency), "Choose from 1 to 64; 8 suits most connections."));
        }
        let format = match self.zarr_format {
            2 => ZarrFormat::V2,
            3 => ZarrFormat::V3,
            n => return Err(Error::bad_argument(format!("Zarr format {n}"), "Choose 2 (the default, readable everywhere) or 3.")),
        };
        Ok(WriteOptions {
            format,
            compression: Compression::parse(&self.compression)?,
            concurrency: self.concurrency as usize,
            overwrite,
            resume,
            inputs: vec!["wizard".into()],
            ..WriteOptions::default()
        })
    }
}

/// The dataset of the last scan, with the chunk plan as edited in Preview.
pub fn scanned(state: &AppState) -> Result<Inspection> {
    let ins = lock(&state.inspection).clone().ok_or_else(|| Error::new(Code::BadArgument, "no files have been scanned yet", "Go back to Pick files and press Next."))?;
    if ins.dataset.has_errors() {
        return Err(Error::new(Code::CannotMerge, "the files have problems that stop them from being written", "Preview lists them, each with what to do: fix or remove those files, then scan again."));
    }
    Ok(ins)
}

/// Forward progress to the webview (the core sends about ten updates a second).
pub fn sink(channel: Channel<Progress>) -> Sink {
    Arc::new(move |p: &Progress| {
        let _ = channel.send(p.clone());
    })
}

/// The running job's cancel token; released when dropped.
pub struct Running<'a> {
    state: &'a AppState,
    pub token: CancellationToken,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        *lock(&self.state.cancel) = None;
    }
}

/// Start a job, or refuse while another one runs (one store write at a time).
pub fn begin(state: &AppState) -> Result<Running<'_>> {
    let mut slot = lock(&state.cancel);
    if slot.is_some() {
        return Err(Error::bad_argument("a write is already running", "Wait for it to finish, or cancel it first."));
    }
    let token = CancellationToken::new();
    *slot = Some(token.clone());
    Ok(Running { state, token })
}

/// Cancel what runs: chunks in flight finish, then the job stops (resumable).
pub fn cancel(state: &AppState) -> bool {
    match &*lock(&state.cancel) {
        Some(t) => {
            t.cancel();
            true
        }
        None => false,
    }
}
