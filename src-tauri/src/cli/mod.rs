//! `ferry <subcommand>`: the headless shell over the core (HPC nodes have no display).

mod inspect;
mod render;

use crate::error::Error;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "ferry", version, about = "From a folder of NetCDF files to an analysis-ready Zarr store in object storage.", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Show the merged dataset of NetCDF files (like `ncdump -h`) and its Zarr chunk plan.
    Inspect(inspect::InspectArgs),
}

/// Run a subcommand; the exit code says whether it worked.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Inspect(args) => inspect::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            print_error(&e);
            ExitCode::FAILURE
        }
    }
}

/// The last lines on stderr: what failed (with its stable code) and what to do.
pub fn print_error(e: &Error) {
    eprintln!("error[{}]: {}", e.code.as_str(), e.message);
    if !e.hint.is_empty() {
        eprintln!("  hint: {}", e.hint);
    }
}
