//! `ferry inspect PATH...`

use super::render;
use crate::error::{Code, Error, Result};
use crate::inspect::{inspect, InspectOptions};
use crate::plan;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct InspectArgs {
    /// NetCDF files, folders (searched recursively) or glob patterns.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Read this group instead of the root group, e.g. /region1/subgroup1.
    #[arg(long, value_name = "PATH")]
    pub group: Option<String>,
    /// Concatenate along this dimension (default: the unlimited one).
    #[arg(long, value_name = "DIM")]
    pub concat_dim: Option<String>,
    /// Target uncompressed size of one chunk, in MB.
    #[arg(long, value_name = "N", default_value_t = plan::DEFAULT_TARGET_MB)]
    pub target_chunk_mb: f64,
    /// Chunk lengths per dimension, e.g. time=24,lat=-1 (-1: the whole dimension).
    #[arg(long, value_name = "DIM=N,...")]
    pub chunks: Option<String>,
    /// Print JSON (the same structure the wizard receives) instead of text.
    #[arg(long)]
    pub json: bool,
}

impl InspectArgs {
    pub fn options(&self) -> Result<InspectOptions> {
        Ok(InspectOptions {
            paths: self.paths.clone(),
            group: self.group.clone(),
            concat_dim: self.concat_dim.clone(),
            target_chunk_mb: self.target_chunk_mb,
            chunks: self.chunks.as_deref().map(plan::parse_overrides).transpose()?.unwrap_or_default(),
        })
    }
}

pub fn run(args: &InspectArgs) -> Result<ExitCode> {
    let opts = args.options()?;
    let show_progress = std::io::stderr().is_terminal();
    let mut progress = |done: usize, total: usize| {
        if show_progress && total >= 50 && (done.is_multiple_of(25) || done == total) {
            eprint!("\rreading headers: {done}/{total}");
            if done == total {
                eprint!("\r\x1b[K");
            }
        }
    };
    let result = inspect(&opts, &mut progress)?;
    let mut out = std::io::stdout().lock();
    let text = if args.json {
        serde_json::to_string_pretty(&result).map_err(|e| Error::new(Code::Internal, e.to_string(), ""))?
    } else {
        render::inspection(&result)
    };
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = writeln!(out, "{text}");
    let errors = result.dataset.problems.iter().filter(|p| p.severity == crate::merge::Severity::Error).count();
    if errors > 0 {
        super::print_error(&Error::new(
            Code::CannotMerge,
            format!("{errors} problem(s) stop these files from being written as one store (listed above)"),
            "Fix or remove the files named above, then run again.",
        ));
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
