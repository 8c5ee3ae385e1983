//! `inspect`: files → merged dataset + chunk plan. The CLI's `ferry inspect` and the
//! wizard's Preview step both call [`inspect`].

use crate::error::Result;
use crate::merge::{self, Dataset, MergeOptions};
use crate::plan::{self, ChunkOverride, Plan};
use crate::scan;
use serde::Serialize;
use std::path::PathBuf;
use ts_rs::TS;

#[derive(Debug, Clone)]
pub struct InspectOptions {
    pub paths: Vec<PathBuf>,
    pub group: Option<String>,
    pub concat_dim: Option<String>,
    pub target_chunk_mb: f64,
    pub chunks: Vec<ChunkOverride>,
}

impl InspectOptions {
    pub fn new(paths: Vec<PathBuf>) -> Self {
        InspectOptions { paths, group: None, concat_dim: None, target_chunk_mb: plan::DEFAULT_TARGET_MB, chunks: Vec::new() }
    }
}

/// The merged dataset and its chunk plan.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Inspection {
    pub dataset: Dataset,
    pub plan: Plan,
}

/// Scan, merge and plan. `progress(done, total)` reports header reads.
pub fn inspect(opts: &InspectOptions, progress: &mut dyn FnMut(usize, usize)) -> Result<Inspection> {
    let found = scan::find(&opts.paths)?;
    let results = scan::read_headers(&found.files, opts.group.as_deref(), progress);
    let dataset = merge::merge(
        results,
        found.skipped,
        &MergeOptions { concat_dim: opts.concat_dim.as_deref(), group: opts.group.as_deref() },
    )?;
    let plan = plan::plan(&dataset, opts.target_chunk_mb, &opts.chunks)?;
    Ok(Inspection { dataset, plan })
}
