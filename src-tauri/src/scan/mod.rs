//! Find NetCDF files and read their headers (never their bulk data).

pub mod cftime;
mod classic;
pub mod find;
mod header;
pub mod model;
pub mod quiet;
pub mod sniff;
pub mod workers;

pub use find::{find, Found, Skipped};
pub use header::read_header;
pub use model::{Attr, AttrValue, CoordPool, DType, Dim, FileHeader, Var};

use crate::error::Result;
use std::path::PathBuf;

/// Read every header, in order. One failure does not stop the others: each file gets its own answer.
/// `progress(done, total)` is called after each file.
pub fn read_headers(
    files: &[PathBuf],
    group: Option<&str>,
    progress: &mut dyn FnMut(usize, usize),
) -> Vec<(PathBuf, Result<FileHeader>)> {
    let pool = std::sync::Arc::new(CoordPool::default());
    // Many files, several cores: one process per core (libnetcdf is single-threaded).
    if let Some(all) = workers::read_parallel(files, group, progress, &pool) {
        return all;
    }
    quiet::silence_hdf5_on_this_thread();
    let total = files.len();
    files
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let r = read_header(p, group).map(|h| pool.shared(h));
            progress(i + 1, total);
            (p.clone(), r)
        })
        .collect()
}
