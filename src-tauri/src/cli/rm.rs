//! `ferry rm STORE`: delete a Zarr store (a failed or test upload) after showing what goes.

use super::write_args::DestArgs;
use crate::error::{Code, Error, Result};
use crate::store::Destination;
use crate::upload::target;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct RmArgs {
    /// The store: a local folder, s3://bucket/prefix/name.zarr or gs://bucket/prefix/name.zarr.
    pub store: String,
    #[command(flatten)]
    pub dest: DestArgs,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub fn run(args: &RmArgs) -> Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| Error::new(Code::Internal, e.to_string(), ""))?;
    let dest = Destination::open(&args.store, &args.dest.options(false))?;
    rt.block_on(async {
        let keys = target::list_store(&dest).await?;
        if keys.is_empty() {
            return Err(Error::new(Code::PathNotFound, format!("{}: nothing there", dest.url), "Check the store's URL."));
        }
        if !target::looks_like_store(&dest, &keys) {
            return Err(Error::new(Code::NotAStore, format!("{}: is not a Zarr store ({} objects)", dest.url, keys.len()), "Ferry deletes Zarr stores only; remove other data with your storage provider's tools."));
        }
        eprintln!("{}: {} objects will be deleted", dest.url, keys.len());
        if !args.yes {
            if !std::io::stdin().is_terminal() {
                return Err(Error::bad_argument("refusing to delete without confirmation (no terminal to ask)", "Add --yes to delete without asking."));
            }
            eprint!("Delete this store? [y/N] ");
            let _ = std::io::stderr().flush();
            let mut line = String::new();
            let _ = std::io::stdin().lock().read_line(&mut line);
            if !matches!(line.trim(), "y" | "Y" | "yes") {
                eprintln!("nothing deleted");
                return Ok(ExitCode::from(1));
            }
        }
        target::delete_all(&dest, keys).await?;
        crate::upload::record::remove_local(&dest.url);
        println!("deleted {}", dest.url);
        Ok(ExitCode::SUCCESS)
    })
}
