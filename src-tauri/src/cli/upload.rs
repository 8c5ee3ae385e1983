//! `ferry upload FILES... --to DEST` and `ferry test-write FILES... --to DEST`.

use super::render::human_bytes;
use super::write_args::WriteArgs;
use crate::error::{Code, Error, Result};
use crate::inspect::{inspect, Inspection};
use crate::store::Destination;
use crate::upload::{self, test_write};
use std::process::ExitCode;
use tokio_util::sync::CancellationToken;

#[derive(clap::Args, Debug)]
pub struct UploadArgs {
    #[command(flatten)]
    pub write: WriteArgs,
    /// Replace a store that already exists at the destination.
    #[arg(long, conflicts_with = "resume")]
    pub overwrite: bool,
    /// Finish an interrupted upload: check the sources, skip the chunks already written.
    #[arg(long, conflicts_with_all = ["init", "part", "finalize"])]
    pub resume: bool,
    /// Split the upload across processes (HPC): write only the metadata and the upload record.
    /// Then run the --part jobs, then --finalize. `ferry plan --slurm N` writes the job script.
    #[arg(long, conflicts_with_all = ["part", "finalize"], help_heading = "Split across processes")]
    pub init: bool,
    /// Write share I of N of the chunks (1 ≤ I ≤ N) after --init; skips chunks already there.
    #[arg(long, value_name = "I/N", conflicts_with_all = ["finalize", "overwrite"], help_heading = "Split across processes")]
    pub part: Option<String>,
    /// Check that every chunk is there (naming the missing ones), then write the consolidated metadata.
    #[arg(long, conflicts_with = "overwrite", help_heading = "Split across processes")]
    pub finalize: bool,
    /// With --init: how many parts will share the chunks (so --finalize can say which to re-run).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..), help_heading = "Split across processes")]
    pub parts: Option<u32>,
}

impl UploadArgs {
    pub fn stage(&self) -> Result<upload::Stage> {
        Ok(match (self.init, self.part.as_deref(), self.finalize) {
            (true, _, _) => upload::Stage::Init,
            (_, Some(p), _) => upload::Stage::parse_part(p)?,
            (_, _, true) => upload::Stage::Finalize,
            _ => upload::Stage::Whole,
        })
    }
}

#[derive(clap::Args, Debug)]
pub struct TestWriteArgs {
    #[command(flatten)]
    pub write: WriteArgs,
    /// Keep the test store (named NAME.ferry-test.zarr, beside the real one) instead of deleting it.
    #[arg(long)]
    pub keep: bool,
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(Code::Internal, format!("cannot start the async runtime: {e}"), ""))
}

fn scan(args: &WriteArgs) -> Result<Inspection> {
    let ins = inspect(&args.scan.inspect_args().options()?, &mut |_, _| {})?;
    if ins.dataset.has_errors() {
        for p in ins.dataset.problems.iter().filter(|p| p.severity == crate::merge::Severity::Error) {
            eprintln!("error[{}]: {}\n    -> {}", p.code, p.message, p.hint);
        }
        return Err(Error::new(Code::CannotMerge, "the files cannot be written as one store (problems listed above)", "Fix or remove the files named above; `ferry inspect` shows every problem."));
    }
    Ok(ins)
}

/// Ctrl-C cancels cleanly: in-flight puts finish, then the command says what was written.
fn cancel_on_ctrl_c(rt: &tokio::runtime::Runtime) -> CancellationToken {
    let token = CancellationToken::new();
    let t = token.clone();
    rt.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nstopping: finishing the chunks in flight…");
            t.cancel();
        }
    });
    token
}

pub fn run_upload(args: &UploadArgs) -> Result<ExitCode> {
    let ins = scan(&args.write)?;
    let stage = args.stage()?;
    let opts = upload::WriteOptions { stage, parts: args.parts, ..args.write.write_options(args.overwrite, args.resume)? };
    let rt = runtime()?;
    let dest = Destination::open(&args.write.to, &args.write.dest_options(false))?;
    let cancel = cancel_on_ctrl_c(&rt);
    let (sink, bar) = super::progress::sink(args.write.progress.as_deref())?;
    let json = args.write.progress.as_deref() == Some("json");
    let result = rt.block_on(async {
        if !opts.resume && matches!(stage, upload::Stage::Whole | upload::Stage::Init) {
            upload::prepare_target(&dest, opts.overwrite).await?;
        }
        upload::write_store(&ins, &dest, &opts, sink, cancel).await
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let s = match result {
        Ok(s) => s,
        Err(e) if stage == upload::Stage::Whole && (e.code == Code::Cancelled || e.code == Code::AccessDenied || e.code == Code::StoreUnreachable) => {
            // Nothing is lost: say how to continue.
            return Err(Error::new(e.code, e.message, format!("{} To continue where it stopped: ferry {} --resume", e.hint, resume_args())));
        }
        Err(e) => return Err(e),
    };
    if json {
        println!("{}", serde_json::json!({"summary": s}));
    } else if stage != upload::Stage::Whole {
        print_stage(stage, &s);
    } else if s.objects == 0 && s.chunks_skipped == s.chunks {
        println!("nothing to resume: {} is already complete and holds these files' dataset\nopen it with:\n  {}", s.url, s.snippet);
    } else {
        println!(
            "wrote {} ({} uncompressed, {} stored, ratio {:.2}) in {} objects, {:.1} s, {:.1} MB/s",
            s.url,
            human_bytes(s.bytes),
            human_bytes(s.bytes_stored),
            s.compression_ratio,
            s.objects,
            s.seconds,
            s.mb_per_s
        );
        if s.chunks_skipped > 0 {
            println!("resumed: {} of {} chunks were already written by the interrupted run", s.chunks_skipped, s.chunks);
        }
        println!("open it with:\n  {}", s.snippet);
    }
    Ok(ExitCode::SUCCESS)
}

/// What one stage of a split upload did, and what comes next.
fn print_stage(stage: upload::Stage, s: &upload::WriteSummary) {
    match stage {
        upload::Stage::Init => println!("initialised {}: metadata and upload record written ({} objects); now run the --part jobs, then --finalize", s.url, s.objects),
        upload::Stage::Part { index, count } => println!(
            "part {index}/{count} of {}: {} chunks written ({} uncompressed, {} stored){}, {:.1} s, {:.1} MB/s",
            s.url,
            s.chunks - s.chunks_skipped,
            human_bytes(s.bytes),
            human_bytes(s.bytes_stored),
            if s.chunks_skipped > 0 { format!(", {} already there", s.chunks_skipped) } else { String::new() },
            s.seconds,
            s.mb_per_s
        ),
        _ => println!("finalized {}: every chunk is there, consolidated metadata written\nopen it with:\n  {}", s.url, s.snippet),
    }
}

/// The user's own command line, minus --overwrite/--resume, for "how to resume" hints.
fn resume_args() -> String {
    std::env::args().skip(1).filter(|a| a != "--overwrite" && a != "--resume").collect::<Vec<_>>().join(" ")
}

pub fn run_test_write(args: &TestWriteArgs) -> Result<ExitCode> {
    let ins = scan(&args.write)?;
    // A test must answer within seconds: no waiting for a network that is not there.
    let opts = crate::upload::WriteOptions { network_wait: std::time::Duration::ZERO, ..args.write.write_options(true, false)? };
    let rt = runtime()?;
    let dest = Destination::open(&args.write.to, &args.write.dest_options(true))?;
    let cancel = cancel_on_ctrl_c(&rt);
    let (sink, bar) = super::progress::sink(args.write.progress.as_deref())?;
    let json = args.write.progress.as_deref() == Some("json");
    let result = rt.block_on(test_write::test_write(&ins, &dest, &opts, args.keep, sink, cancel));
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let r = result?;
    if json {
        println!("{}", serde_json::json!({"test_write": r}));
    } else {
        println!("test write OK: {} steps written to {} and read back identical ({} objects)", r.steps, r.test_url, r.objects);
        println!("  latency {:.0} ms, throughput {:.1} MB/s, compression ratio {:.2}", r.latency_ms, r.mb_per_s, r.compression_ratio);
        println!(
            "  the full upload: about {} stored, {:.0} s at this speed{}",
            human_bytes(r.projected_bytes_stored),
            r.projected_seconds,
            if r.kept { format!("; test store kept at {}", r.test_url) } else { "; test store deleted".into() }
        );
    }
    Ok(ExitCode::SUCCESS)
}
