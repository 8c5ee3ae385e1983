//! A local folder (or `file://` URL) as a destination.

use super::{bad, root_path, DestOptions, Destination, Kind};
use crate::error::{Code, Error, Result};
use object_store::local::LocalFileSystem;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn open(url: &str, opts: &DestOptions) -> Result<Destination> {
    let raw = url.strip_prefix("file://").unwrap_or(url);
    let path = expand_home(raw);
    let abs = if path.is_absolute() { path } else { std::env::current_dir().map_err(|e| Error::io(Path::new("."), &e))?.join(path) };
    // Normalise `.` segments; refuse `..` rather than guess where it leads.
    let mut clean = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => return Err(bad(url, "\"..\" is not allowed in a destination path; give the folder plainly")),
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    let Some(name) = clean.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
        return Err(bad(url, "the path has no store name (or it is not UTF-8)"));
    };
    let parent = clean.parent().unwrap_or(Path::new("/")).to_path_buf();
    if clean.is_file() {
        return Err(Error::new(
            Code::BadDestination,
            format!("{}: exists and is a file, not a folder", clean.display()),
            "Choose another store name, e.g. add .zarr to it.",
        ));
    }
    std::fs::create_dir_all(&parent).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied => Error::new(
            Code::AccessDenied,
            format!("{}: permission denied: cannot create this folder", parent.display()),
            "Choose a folder you can write to, e.g. in your home directory.",
        ),
        _ => Error::io(&parent, &e),
    })?;
    if parent.is_file() {
        return Err(Error::new(Code::BadDestination, format!("{}: is a file, not a folder", parent.display()), "Choose a folder as the store's parent."));
    }
    let fs = LocalFileSystem::new_with_prefix(&parent).map_err(|e| super::store_error(url, &e))?;
    Ok(Destination {
        store: Arc::new(fs),
        root: root_path(url, &[name.as_str()])?,
        kind: Kind::Local,
        url: clean.to_string_lossy().into_owned(),
        bucket: None,
        endpoint: None,
        opts: opts.clone(),
    })
}

fn expand_home(p: &str) -> PathBuf {
    match p.strip_prefix("~/") {
        Some(rest) => dirs::home_dir().map_or_else(|| PathBuf::from(p), |h| h.join(rest)),
        None => PathBuf::from(p),
    }
}
