//! Terminal progress: a bar (bytes, chunks, MB/s, ETA), JSON lines for other programs, or nothing.

use crate::error::{Error, Result};
use crate::upload::{Phase, Progress, Sink};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;

pub fn sink(mode: Option<&str>) -> Result<(Sink, Option<ProgressBar>)> {
    let mode = mode.unwrap_or(if std::io::stderr().is_terminal() { "bar" } else { "none" });
    match mode {
        "none" => Ok((Arc::new(|_: &Progress| {}), None)),
        "json" => Ok((
            Arc::new(|p: &Progress| {
                if let Ok(s) = serde_json::to_string(p) {
                    println!("{s}");
                }
            }),
            None,
        )),
        "bar" => {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg:14} [{bar:30}] {bytes}/{total_bytes} {prefix} ETA {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            let b = bar.clone();
            let s: Sink = Arc::new(move |p: &Progress| {
                b.set_length(p.bytes_total);
                b.set_position(p.bytes_done);
                b.set_message(match p.phase {
                    _ if p.waiting_for_network => "waiting for network",
                    Phase::Preparing => "preparing",
                    Phase::Metadata => "metadata",
                    Phase::Chunks => "chunks",
                    Phase::Consolidating => "consolidating",
                    Phase::Verifying => "verifying",
                    Phase::Done => "done",
                });
                b.set_prefix(format!("{}/{} chunks {:.1} MB/s", p.chunks_done, p.chunks_total, p.mb_per_s));
            });
            Ok((s, Some(bar)))
        }
        other => Err(Error::bad_argument(format!("--progress {other}: not understood"), "Use bar, json or none.")),
    }
}
