//! Turn what the user gave (files, folders, globs) into a sorted list of NetCDF files.

use super::sniff;
use crate::error::{display_path, Code, Error, Result};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use ts_rs::TS;

const EXTENSIONS: [&str; 4] = ["nc", "nc4", "cdf", "netcdf"];

/// Something skipped while walking folders; shown as a warning, not an error.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

fn has_netcdf_extension(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Inside folders a file counts if its extension says NetCDF or its magic bytes do.
fn looks_like_netcdf(p: &Path) -> bool {
    if has_netcdf_extension(p) {
        return true;
    }
    let mut head = [0u8; 8];
    std::fs::File::open(p)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| sniff::kind_of(&head).is_some())
}

fn check_utf8(p: &Path) -> Result<()> {
    if p.to_str().is_none() {
        return Err(Error::new(
            Code::NonUtf8Path,
            format!("{}: the file name is not valid UTF-8", display_path(p)),
            "Rename the file (or folder) using UTF-8 characters only: stores and catalogs need UTF-8 names.",
        ));
    }
    Ok(())
}

/// Expand `inputs` into NetCDF files. Explicit files are kept whatever their extension
/// (the header read will say if they are not NetCDF); folders are walked recursively.
pub fn find(inputs: &[PathBuf]) -> Result<Found> {
    if inputs.is_empty() {
        return Err(Error::bad_argument("no input files given", "Name NetCDF files, folders or globs, e.g. `ferry inspect data/*.nc`."));
    }
    let mut found = Found::default();
    let mut files = BTreeSet::new();
    for input in inputs {
        let s = input.to_string_lossy();
        if !input.exists() && input.symlink_metadata().is_err() && is_glob(&s) {
            let matches = glob::glob(&s).map_err(|e| Error::bad_argument(format!("bad glob pattern \"{s}\": {e}"), "Quote the pattern and check its brackets."))?;
            let mut any = false;
            for m in matches {
                match m {
                    Ok(p) => {
                        any = true;
                        add_path(&p, &mut files, &mut found.skipped)?;
                    }
                    Err(e) => found.skipped.push(Skipped { path: display_path(e.path()), reason: e.error().to_string() }),
                }
            }
            if !any {
                return Err(Error::new(Code::PathNotFound, format!("{s}: no file matches this pattern"), "Check the folder and the pattern; quote it so the shell does not expand it first."));
            }
        } else {
            add_path(input, &mut files, &mut found.skipped)?;
        }
    }
    if files.is_empty() {
        let list = inputs.iter().map(|p| display_path(p)).collect::<Vec<_>>().join(", ");
        return Err(Error::new(
            Code::NoNetcdfFiles,
            format!("no NetCDF file found in {list}"),
            "Ferry looks for .nc, .nc4, .cdf and .netcdf files (or files whose first bytes say NetCDF); pick a folder that holds some.",
        ));
    }
    found.files = files.into_iter().collect();
    Ok(found)
}

fn add_path(p: &Path, files: &mut BTreeSet<PathBuf>, skipped: &mut Vec<Skipped>) -> Result<()> {
    let meta = std::fs::metadata(p).map_err(|e| Error::io(p, &e))?;
    if meta.is_file() {
        check_utf8(p)?;
        files.insert(p.to_path_buf());
        return Ok(());
    }
    // follow_links: data folders are often symlink farms; walkdir detects loops for us.
    for entry in walkdir::WalkDir::new(p).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let path = e.path();
                if looks_like_netcdf(path) {
                    check_utf8(path)?;
                    files.insert(path.to_path_buf());
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map(display_path).unwrap_or_default();
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop, not followed".to_string()
                } else {
                    e.io_error().map_or_else(|| e.to_string(), ToString::to_string)
                };
                skipped.push(Skipped { path, reason });
            }
        }
    }
    Ok(())
}
