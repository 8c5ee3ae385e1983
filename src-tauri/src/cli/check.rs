//! `ferry check --to DEST`: who am I, and can I list, write and delete there?

use super::write_args::DestArgs;
use crate::auth::{gcs_credentials, s3_credentials};
use crate::error::{Code, Error, Result};
use crate::store::{check_access, Destination, Kind};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The destination: a local folder, s3://bucket/prefix/name.zarr or gs://bucket/prefix/name.zarr.
    #[arg(long, value_name = "DEST")]
    pub to: String,
    #[command(flatten)]
    pub dest: DestArgs,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let dest = Destination::open(&args.to, &args.dest.options(true))?;
    let who = match dest.kind {
        Kind::Local => Some(format!("local user {}", std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "of this machine".into()))),
        Kind::S3 => s3_credentials::resolve(args.dest.profile.as_deref()).ok().map(|c| if c.source.is_empty() { "no credentials (anonymous)".into() } else { c.source }),
        Kind::Gcs => args.dest.token_file.as_ref().map(|p| format!("access token from {}", p.display())).or_else(|| gcs_credentials::adc_file().map(|p| format!("application default credentials {}", p.display()))),
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| Error::new(Code::Internal, e.to_string(), ""))?;
    let c = rt.block_on(check_access(&dest, who));
    if args.json {
        println!("{}", serde_json::to_string_pretty(&c).unwrap_or_default());
    } else {
        println!("{}", c.url);
        println!("  signed in as: {}", c.who.as_deref().unwrap_or("unknown"));
        let yes = |b: bool| if b { "yes" } else { "NO" };
        println!("  list: {}   write: {}   delete: {}", yes(c.can_list), yes(c.can_write), yes(c.can_delete));
        for w in &c.warnings {
            println!("  warning: {w}");
        }
    }
    match c.errors.first() {
        Some(e) if !c.ok() => Err(e.clone()),
        _ => Ok(ExitCode::SUCCESS),
    }
}
