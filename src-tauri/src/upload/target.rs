//! Before writing: is something already at the store's path? Never overwrite without being asked,
//! and never delete anything that is not a Zarr store.

use crate::error::{Code, Error, Result};
use crate::store::{store_error, Destination};
use futures::{StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::ObjectStore;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    Nothing,
    /// An earlier store was deleted (`--overwrite`): this many objects.
    Replaced(u64),
}

/// Every object under the store's root.
pub async fn list_store(dest: &Destination) -> Result<Vec<Path>> {
    match dest.store.list(Some(&dest.root)).map_ok(|m| m.location).try_collect::<Vec<_>>().await {
        Ok(v) => Ok(v),
        Err(object_store::Error::NotFound { .. }) => Ok(Vec::new()),
        Err(e) => Err(store_error(&dest.url, &e)),
    }
}

/// Zarr metadata at the root (or one level down): the mark of a store.
pub fn looks_like_store(dest: &Destination, keys: &[Path]) -> bool {
    let root = dest.root.as_ref();
    keys.iter().any(|k| {
        let rel = k.as_ref().strip_prefix(root).unwrap_or("").trim_start_matches('/');
        matches!(rel, ".zgroup" | ".zmetadata" | "zarr.json" | ".zarray" | super::record::RECORD_KEY) || rel.ends_with("/.zarray") || (rel.ends_with("/zarr.json") && rel.matches('/').count() == 1)
    })
}

pub async fn prepare_target(dest: &Destination, overwrite: bool) -> Result<Existing> {
    let keys = list_store(dest).await?;
    if keys.is_empty() {
        return Ok(Existing::Nothing);
    }
    if !looks_like_store(dest, &keys) {
        return Err(Error::new(
            Code::NotAStore,
            format!("{}: already holds {} object(s) that are not a Zarr store", dest.url, keys.len()),
            "Choose another store name: Ferry never deletes data that is not a Zarr store.",
        ));
    }
    if !overwrite {
        let interrupted = keys.iter().any(|k| k.as_ref().ends_with(super::record::RECORD_KEY));
        let (what, hint) = if interrupted {
            ("an interrupted upload (incomplete store)", "Add --resume to finish it, --overwrite to start again, or `ferry rm` it.")
        } else {
            ("a store", "Choose another name, or add --overwrite to replace it.")
        };
        return Err(Error::new(Code::StoreExists, format!("{}: {what} already exists here ({} objects)", dest.url, keys.len()), hint));
    }
    delete_all(dest, keys).await
}

/// Delete `keys` (all under the store's root; checked again here).
pub async fn delete_all(dest: &Destination, keys: Vec<Path>) -> Result<Existing> {
    let root = format!("{}/", dest.root.as_ref());
    let n = keys.len() as u64;
    if let Some(k) = keys.iter().find(|k| !k.as_ref().starts_with(&root)) {
        return Err(Error::new(Code::Internal, format!("refusing to delete {k}: outside {}", dest.url), "This is a bug in Ferry: please report it."));
    }
    let stream = futures::stream::iter(keys.into_iter().map(Ok)).boxed();
    dest.store.delete_stream(stream).try_collect::<Vec<_>>().await.map_err(|e| store_error(&dest.url, &e))?;
    // A local folder keeps the emptied directories: remove those (and only empty ones).
    if let Some(dir) = dest.local_path() {
        remove_empty_dirs(&dir);
    }
    Ok(Existing::Replaced(n))
}

fn remove_empty_dirs(dir: &std::path::Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_empty_dirs(&e.path());
            }
        }
    }
    let _ = std::fs::remove_dir(dir); // fails, as it should, if anything is left
}
