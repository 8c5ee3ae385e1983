//! `ferry <subcommand>`: the headless shell over the core (HPC nodes have no display).

mod draft_issue;
mod check;
mod inspect;
mod login;
mod plan;
mod progress;
mod render;
mod rm;
mod upload;
mod write_args;

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
    /// Draft the catalog request for LEAP-Pangeo (the "New Dataset" issue, meta.yaml, catalog.yaml) from a store.
    DraftIssue(draft_issue::DraftIssueArgs),
    /// Write a few steps to a local folder and beside the destination store, read them back, and project the upload.
    TestWrite(upload::TestWriteArgs),
    /// Write the merged dataset as a Zarr store: a local folder, s3://... or gs://...
    Upload(upload::UploadArgs),
    /// Ferry's version, licence, the libraries it uses and the origin of the bundled sample data.
    About,
    /// Internal: read the headers of the NUL-separated paths on stdin (the scanner's helper process).
    #[command(name = "__read-headers", hide = true)]
    ReadHeaders {
        #[arg(long)]
        group: Option<String>,
    },
    /// Plan an upload for an HPC cluster: `--slurm N` prints a SLURM job-array script (init, N parts, finalize).
    Plan(plan::PlanArgs),
    /// Check the credentials for a destination: who am I, can I list, write and delete there?
    Check(check::CheckArgs),
    /// Delete a Zarr store (a failed, interrupted or test upload) after showing what will go.
    Rm(rm::RmArgs),
    /// Sign in on a machine without a browser (`ferry login gcs`): the steps, and what Ferry finds now.
    Login(login::LoginArgs),
}

/// `ferry inspect … | head`: when the reader goes away, end quietly with 141 (128 + SIGPIPE, what
/// a shell reports for `cat` in that case) instead of a panic from `println!`. SIGPIPE itself stays
/// ignored: the same process talks to servers and its helpers, where a closed pipe or socket must
/// be an error it handles, not a signal that kills it.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let p = info.payload();
        let msg = p.downcast_ref::<String>().map(String::as_str).or_else(|| p.downcast_ref::<&str>().copied()).unwrap_or("");
        if msg.starts_with("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

/// Run a subcommand; the exit code says whether it worked.
pub fn run(command: Command) -> ExitCode {
    quiet_on_closed_stdout();
    let result = match command {
        Command::Inspect(args) => inspect::run(&args),
        Command::DraftIssue(args) => draft_issue::run(&args),
        Command::TestWrite(args) => upload::run_test_write(&args),
        Command::Upload(args) => upload::run_upload(&args),
        Command::Rm(args) => rm::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Plan(args) => plan::run(&args),
        Command::Login(args) => login::run(&args),
        Command::ReadHeaders { group } => return crate::scan::workers::serve(group.as_deref()),
        Command::About => {
            let a = crate::about::about();
            println!("{} {} ({}), licence {}\n{}\n\nBundled data:", a.name, a.version, a.identifier, a.licence, a.homepage);
            for c in a.bundled_data.iter() {
                println!("  {}: {}\n    licence: {} <{}>", c.name, c.detail, c.licence, c.url);
            }
            println!("Libraries:");
            for c in a.libraries.iter() {
                println!("  {}: {} — {} <{}>", c.name, c.detail, c.licence, c.url);
            }
            Ok(ExitCode::SUCCESS)
        }
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
