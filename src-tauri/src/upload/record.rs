//! The upload record: what an interrupted upload needs to resume. It lives beside the store's
//! metadata (`.ferry-upload.json` inside the store, removed when the store completes) and in the
//! app's data folder (with full source paths, so the wizard can offer "Resume").
//!
//! Which chunks are confirmed is not kept here: the store itself says it. Every put is atomic
//! (S3/GCS objects, local write-then-rename), so a chunk object that is listed is complete; at most
//! the chunks in flight when the upload died are sent again.

use crate::error::{Code, Error, Result};
use crate::merge::Dataset;
use crate::store::{store_error, Destination};
use crate::write::Layout;
use object_store::ObjectStoreExt;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub const RECORD_KEY: &str = ".ferry-upload.json";

/// A source file's fingerprint: a change in size or modification time means it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// File name only in the copy beside the store (no home paths in a bucket); full path locally.
    pub path: String,
    pub size: u64,
    pub mtime: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub version: u32,
    pub url: String,
    pub zarr_format: u8,
    /// FNV-1a of every metadata document: the plan, codec and attributes in one number.
    pub layout_hash: String,
    pub chunks_total: u64,
    pub sources: Vec<Fingerprint>,
    /// The command line or wizard inputs that produced this upload (local copy only).
    #[serde(default)]
    pub inputs: Vec<String>,
    /// How many processes share the chunks (`--init --parts N`), so --finalize can name the missing parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parts: Option<u32>,
    /// What the wizard needs to offer "Resume interrupted upload" at launch (local copy only;
    /// opaque here: the GUI owns its shape). Never holds a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wizard: Option<serde_json::Value>,
}

fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

pub fn layout_hash(layout: &Layout) -> String {
    let mut h = 0xcbf2_9ce4_8422_2325;
    for d in layout.documents() {
        h = fnv(d.key.as_bytes(), h);
        h = fnv(d.text.as_bytes(), h);
    }
    format!("{h:016x}")
}

fn base_name(p: &str) -> String {
    std::path::Path::new(p).file_name().map_or_else(|| p.to_string(), |n| n.to_string_lossy().into_owned())
}

impl Record {
    pub fn new(dest: &Destination, ds: &Dataset, layout: &Layout, chunks_total: u64, inputs: Vec<String>) -> Record {
        Record {
            version: 1,
            url: dest.url.clone(),
            zarr_format: if layout.format == crate::write::ZarrFormat::V3 { 3 } else { 2 },
            layout_hash: layout_hash(layout),
            chunks_total,
            sources: ds.files.iter().map(|f| Fingerprint { path: f.path.clone(), size: f.size, mtime: f.mtime }).collect(),
            inputs,
            parts: None,
            wizard: None,
        }
    }

    /// The copy for the bucket: file names instead of local paths, no inputs.
    fn public(&self) -> Record {
        let mut r = self.clone();
        r.inputs.clear();
        r.wizard = None;
        for s in &mut r.sources {
            s.path = base_name(&s.path);
        }
        r
    }

    /// Does the interrupted upload match what would be written now? Names what changed.
    pub fn check(&self, now: &Record) -> Result<()> {
        let mut changed = Vec::new();
        for (old, new) in self.sources.iter().zip(&now.sources) {
            if base_name(&old.path) != base_name(&new.path) || old.size != new.size || old.mtime != new.mtime {
                changed.push(new.path.clone());
            }
        }
        if self.sources.len() != now.sources.len() {
            changed.push(format!("{} files then, {} now", self.sources.len(), now.sources.len()));
        }
        if !changed.is_empty() {
            return Err(Error::new(
                Code::SourcesChanged,
                format!("the source files changed since the interrupted upload: {}", changed.join(", ")),
                "Start again from scratch, which replaces the partial store (--overwrite on the command line, \"Start again\" in the wizard).",
            ));
        }
        if self.layout_hash != now.layout_hash || self.zarr_format != now.zarr_format {
            return Err(Error::new(
                Code::SourcesChanged,
                format!("{}: the interrupted upload used other options (chunks, format, compression or attributes)", now.url),
                "Resume with the same options as the interrupted run, or start again from scratch (--overwrite on the command line, \"Start again\" in the wizard).",
            ));
        }
        Ok(())
    }
}

/// The copy beside the store: no local paths.
pub fn remote_text(rec: &Record) -> Vec<u8> {
    serde_json::to_string_pretty(&rec.public()).unwrap_or_default().into_bytes()
}

pub async fn load_remote(dest: &Destination) -> Result<Option<Record>> {
    match dest.store.get(&dest.key(RECORD_KEY)).await {
        Ok(r) => {
            let bytes = r.bytes().await.map_err(|e| store_error(&dest.url, &e))?;
            Ok(serde_json::from_slice(&bytes).ok())
        }
        Err(object_store::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(store_error(&dest.url, &e)),
    }
}

/// `~/.local/share/ferry/uploads/` (or `FERRY_DATA_DIR/uploads`).
pub fn local_dir() -> Option<PathBuf> {
    std::env::var_os("FERRY_DATA_DIR").map(PathBuf::from).or_else(|| dirs::data_dir().map(|d| d.join("ferry"))).map(|d| d.join("uploads"))
}

fn local_file(url: &str) -> Option<PathBuf> {
    let name: String = url.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect();
    local_dir().map(|d| d.join(format!("{name}.json")))
}

pub fn save_local(rec: &Record) -> Result<()> {
    let Some(path) = local_file(&rec.url) else { return Ok(()) };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(rec).unwrap_or_default()).map_err(|e| Error::io(&tmp, &e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, &e))
}

/// Forget an interrupted upload on this computer (the partial store itself is left alone).
pub fn remove_local(url: &str) {
    if let Some(p) = local_file(url) {
        let _ = std::fs::remove_file(p);
    }
}

/// Interrupted uploads known on this machine (for the wizard's "Resume interrupted upload").
pub fn list_local() -> Vec<Record> {
    let Some(dir) = local_dir() else { return Vec::new() };
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| std::fs::read(e.path()).ok().and_then(|b| serde_json::from_slice(&b).ok()))
        .collect()
}
