//! Step 2, pick-files: native dialogs, dropped paths, the bundled sample, and the scan
//! (`ferry::inspect::inspect`) in the background with throttled progress over a channel.

use super::{blocking, dialog, AppState};
use crate::error::{Code, Error, Result};
use crate::inspect::{inspect, InspectOptions, Inspection};
use crate::scan::{self, Skipped};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

/// One NetCDF file in the list.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PickedFile {
    pub path: String,
    #[ts(type = "number")]
    pub size: u64,
}

/// What picked or dropped paths expand to: folders become the NetCDF files inside them.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Listing {
    pub files: Vec<PickedFile>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ScanPhase {
    /// Reading headers: `done` of `total` files.
    Reading,
    /// All headers read: merging and planning.
    Merging,
}

/// Scan progress, sent at most about ten times a second (and always for the last file).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ScanProgress {
    pub phase: ScanPhase,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

pub const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// The bundled sample: six yearly files of monthly air temperature over North America
/// (360-day calendar), from Iris's sample data; see tests/fixtures for provenance.
macro_rules! sample {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/derived/A1B_by_year/", $name)) as &[u8])),*]
    };
}
pub const SAMPLE_NAME: &str = "A1B_by_year";
pub static SAMPLE_FILES: &[(&str, &[u8])] = sample!(
    "A1B_north_america_year00.nc",
    "A1B_north_america_year01.nc",
    "A1B_north_america_year02.nc",
    "A1B_north_america_year03.nc",
    "A1B_north_america_year04.nc",
    "A1B_north_america_year05.nc",
);

fn to_listing(paths: &[PathBuf]) -> Result<Listing> {
    let found = scan::find(paths)?;
    let files = found
        .files
        .iter()
        .map(|p| {
            let size = std::fs::metadata(p).map_err(|e| Error::io(p, &e))?.len();
            Ok(PickedFile { path: p.to_string_lossy().into_owned(), size })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Listing { files, skipped: found.skipped })
}

/// Write the bundled sample into `dir` (again only where a file is missing or differs in size).
pub fn extract_sample(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
    SAMPLE_FILES
        .iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            let current = std::fs::metadata(&path).map(|m| m.len()).ok();
            if current != Some(bytes.len() as u64) {
                let tmp = dir.join(format!(".{name}.part"));
                std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, &e))?;
                std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, &e))?;
            }
            Ok(path)
        })
        .collect()
}

/// A progress callback that forwards at most one update per `interval`, plus the last one.
pub fn throttled(interval: Duration, mut send: impl FnMut(ScanProgress)) -> impl FnMut(usize, usize) {
    let mut last: Option<Instant> = None;
    move |done, total| {
        let now = Instant::now();
        if done == total || last.is_none_or(|t| now.duration_since(t) >= interval) {
            last = Some(now);
            send(ScanProgress { phase: ScanPhase::Reading, done: done as u64, total: total as u64 });
        }
    }
}

#[tauri::command]
pub async fn pick_files_dialog(app: AppHandle) -> Result<Vec<String>> {
    let picked = dialog::pick_files(&app, "Choose NetCDF files").await?;
    Ok(picked.into_iter().map(|p| p.to_string_lossy().into_owned()).collect())
}

#[tauri::command]
pub async fn pick_folder_dialog(app: AppHandle) -> Result<Option<String>> {
    let picked = dialog::pick_folder(&app, "Choose a folder of NetCDF files").await?;
    Ok(picked.map(|p| p.to_string_lossy().into_owned()))
}

/// Files (with sizes) for picked or dropped paths; folders are searched recursively.
#[tauri::command]
pub async fn describe_paths(paths: Vec<String>) -> Result<Listing> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    blocking(move || to_listing(&paths)).await
}

/// The bundled sample, extracted to the app's cache folder on demand.
#[tauri::command]
pub async fn bundled_sample(app: AppHandle) -> Result<Listing> {
    let dir = app
        .path()
        .app_cache_dir()
        .map_err(|e| Error::new(Code::Io, format!("no cache folder for the sample data: {e}"), "Set HOME (or XDG_CACHE_HOME) to a writable folder."))?
        .join("sample")
        .join(SAMPLE_NAME);
    blocking(move || to_listing(&extract_sample(&dir)?)).await
}

/// Scan, merge and plan `paths` in the background. Progress goes to `on_progress`.
/// A scan overtaken by `cancel_scan` (or a newer scan) stops reporting and its result is not kept.
#[tauri::command]
pub async fn scan(
    state: State<'_, AppState>,
    paths: Vec<String>,
    target_chunk_mb: Option<f64>,
    concat_dim: Option<String>,
    group: Option<String>,
    on_progress: Channel<ScanProgress>,
) -> Result<Inspection> {
    let generation = state.scan_generation.fetch_add(1, Ordering::SeqCst) + 1;
    let mut opts = InspectOptions::new(paths.into_iter().map(PathBuf::from).collect());
    if let Some(mb) = target_chunk_mb {
        opts.target_chunk_mb = mb;
    }
    // Advanced (Pick files): empty means "found automatically" / "the root group", as in the CLI.
    let given = |o: Option<String>| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    opts.concat_dim = given(concat_dim);
    opts.group = given(group);
    let channel = on_progress.clone();
    let live = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let live_task = live.clone();
    let result = blocking(move || {
        let mut progress = throttled(PROGRESS_INTERVAL, |p| {
            if live_task.load(Ordering::Relaxed) {
                let _ = channel.send(p);
            }
        });
        inspect(&opts, &mut |done, total| {
            progress(done, total);
            if done == total && live_task.load(Ordering::Relaxed) {
                let _ = channel.send(ScanProgress { phase: ScanPhase::Merging, done: done as u64, total: total as u64 });
            }
        })
    });
    // Stop forwarding progress as soon as the scan is overtaken.
    let watch = async {
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if state.scan_generation.load(Ordering::SeqCst) != generation {
                live.store(false, Ordering::Relaxed);
                break;
            }
        }
    };
    let inspection = tokio::select! {
        r = result => r?,
        () = watch => return Err(cancelled()),
    };
    if state.scan_generation.load(Ordering::SeqCst) != generation {
        return Err(cancelled());
    }
    *state.inspection.lock().unwrap_or_else(|e| e.into_inner()) = Some(inspection.clone());
    Ok(inspection)
}

fn cancelled() -> Error {
    Error::new(Code::Cancelled, "the scan was cancelled", "Press Next to scan again.")
}

#[tauri::command]
pub async fn cancel_scan(state: State<'_, AppState>) -> Result<()> {
    state.scan_generation.fetch_add(1, Ordering::SeqCst);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_extracts_and_inspects() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = extract_sample(tmp.path()).unwrap();
        assert_eq!(paths.len(), 6);
        // A second extraction rewrites nothing.
        let before = std::fs::metadata(&paths[0]).unwrap().modified().unwrap();
        extract_sample(tmp.path()).unwrap();
        assert_eq!(std::fs::metadata(&paths[0]).unwrap().modified().unwrap(), before);
        let listing = to_listing(&[tmp.path().to_path_buf()]).unwrap();
        assert_eq!(listing.files.len(), 6);
        assert!(listing.files.iter().all(|f| f.size > 100_000));
        let r = inspect(&InspectOptions::new(paths), &mut |_, _| {}).unwrap();
        assert_eq!(r.dataset.dims.iter().find(|d| d.name == "time").map(|d| d.len), Some(72));
    }

    #[test]
    fn progress_is_throttled() {
        let mut sent = Vec::new();
        {
            let mut p = throttled(Duration::from_secs(3600), |x| sent.push(x.done));
            for i in 1..=1000 {
                p(i, 1000);
            }
        }
        assert_eq!(sent, vec![1, 1000]);
    }
}
