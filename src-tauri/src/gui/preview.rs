//! Step 3, preview: the merged dataset and its chunk plan. The UI shows the dataset from the
//! scan; edits to the chunk lengths re-plan here, with the core's planner.

use super::AppState;
use crate::error::{Code, Error, Result};
use crate::plan::{self, ChunkOverride, Plan};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

/// A chunk length typed by the user: `null` means the whole dimension.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChunkEdit {
    pub dim: String,
    #[ts(type = "number | null")]
    pub len: Option<u64>,
}

/// Re-plan the last scanned dataset with `target_mb` and `overrides` (one per dimension).
#[tauri::command]
pub async fn replan(state: State<'_, AppState>, target_mb: f64, overrides: Vec<ChunkEdit>) -> Result<Plan> {
    let mut guard = state.inspection.lock().unwrap_or_else(|e| e.into_inner());
    let Some(inspection) = guard.as_mut() else {
        return Err(Error::new(Code::BadArgument, "there is no scanned dataset to plan", "Go back to Pick files and press Next to scan them."));
    };
    if overrides.iter().any(|o| o.len == Some(0)) {
        return Err(Error::bad_argument("a chunk length of 0", "Chunk lengths are whole numbers from 1 up; leave the field empty for the whole dimension."));
    }
    let overrides: Vec<ChunkOverride> = overrides.into_iter().map(|o| ChunkOverride { dim: o.dim, len: o.len }).collect();
    let p = plan::plan(&inspection.dataset, target_mb, &overrides)?;
    inspection.plan = p.clone();
    Ok(p)
}

/// The data variables the quick look can draw.
#[tauri::command]
pub async fn quicklook_variables(state: State<'_, AppState>) -> Result<Vec<String>> {
    let guard = state.inspection.lock().unwrap_or_else(|e| e.into_inner());
    Ok(guard.as_ref().map(|i| crate::quicklook::drawable(&i.dataset)).unwrap_or_default())
}

/// One 2-D slice of `variable` at `step`, read from the real data (off the main thread).
#[tauri::command]
pub async fn quicklook(state: State<'_, AppState>, variable: String, step: u64) -> Result<crate::quicklook::Slice> {
    let ds = state.inspection.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|i| i.dataset.clone());
    let Some(ds) = ds else {
        return Err(Error::new(Code::BadArgument, "there is no scanned dataset to look at", "Go back to Pick files and press Next to scan them."));
    };
    super::blocking(move || crate::quicklook::slice(&ds, &variable, step)).await
}
