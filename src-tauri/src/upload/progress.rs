//! Progress of a write: the same events for the terminal bar, `--progress json` and the wizard.

use serde::Serialize;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Phase {
    Preparing,
    Metadata,
    Chunks,
    Consolidating,
    Verifying,
    Done,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Progress {
    pub phase: Phase,
    /// Uncompressed bytes written so far, and in all.
    #[ts(type = "number")]
    pub bytes_done: u64,
    #[ts(type = "number")]
    pub bytes_total: u64,
    #[ts(type = "number")]
    pub chunks_done: u64,
    #[ts(type = "number")]
    pub chunks_total: u64,
    /// Chunks found already written by an interrupted run (counted in `chunks_done`).
    #[ts(type = "number")]
    pub chunks_skipped: u64,
    /// Bytes actually stored (compressed).
    #[ts(type = "number")]
    pub bytes_stored: u64,
    pub elapsed_s: f64,
    /// Uncompressed MB/s since the chunks started.
    pub mb_per_s: f64,
    pub eta_s: Option<f64>,
    /// The endpoint stopped answering: retrying ("waiting for network").
    pub waiting_for_network: bool,
}

/// Counters shared by the pipeline's tasks.
pub struct Tracker {
    pub bytes_done: AtomicU64,
    pub chunks_done: AtomicU64,
    pub chunks_skipped: AtomicU64,
    pub bytes_skipped: AtomicU64,
    pub bytes_stored: AtomicU64,
    pub waiting: AtomicBool,
    pub bytes_total: u64,
    pub chunks_total: u64,
    phase: std::sync::Mutex<Phase>,
    started: Instant,
    chunks_started: std::sync::Mutex<Option<Instant>>,
}

pub type Sink = Arc<dyn Fn(&Progress) + Send + Sync>;

impl Tracker {
    pub fn new(bytes_total: u64, chunks_total: u64) -> Arc<Tracker> {
        Arc::new(Tracker {
            bytes_done: AtomicU64::new(0),
            chunks_done: AtomicU64::new(0),
            chunks_skipped: AtomicU64::new(0),
            bytes_skipped: AtomicU64::new(0),
            bytes_stored: AtomicU64::new(0),
            waiting: AtomicBool::new(false),
            bytes_total,
            chunks_total,
            phase: std::sync::Mutex::new(Phase::Preparing),
            started: Instant::now(),
            chunks_started: std::sync::Mutex::new(None),
        })
    }

    pub fn set_phase(&self, p: Phase) {
        if p == Phase::Chunks {
            *self.chunks_started.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Instant::now());
        }
        *self.phase.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = p;
    }

    pub fn chunk_done(&self, raw: u64, stored: u64) {
        self.bytes_done.fetch_add(raw, Ordering::Relaxed);
        self.bytes_stored.fetch_add(stored, Ordering::Relaxed);
        self.chunks_done.fetch_add(1, Ordering::Relaxed);
    }

    /// A chunk an interrupted run already wrote: counted as done, not as sent.
    pub fn chunk_skipped(&self, raw: u64) {
        self.bytes_done.fetch_add(raw, Ordering::Relaxed);
        self.chunks_done.fetch_add(1, Ordering::Relaxed);
        self.chunks_skipped.fetch_add(1, Ordering::Relaxed);
        self.bytes_skipped.fetch_add(raw, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> Progress {
        let done = self.bytes_done.load(Ordering::Relaxed);
        let since = self.chunks_started.lock().unwrap_or_else(std::sync::PoisonError::into_inner).map(|t| t.elapsed().as_secs_f64());
        // Speed counts what was sent, not what an interrupted run had already written.
        let sent = done.saturating_sub(self.bytes_skipped.load(Ordering::Relaxed));
        let mb_per_s = since.filter(|s| *s > 0.0).map_or(0.0, |s| sent as f64 / 1e6 / s);
        let eta_s = (mb_per_s > 0.0).then(|| (self.bytes_total.saturating_sub(done)) as f64 / 1e6 / mb_per_s);
        Progress {
            phase: *self.phase.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
            bytes_done: done,
            bytes_total: self.bytes_total,
            chunks_done: self.chunks_done.load(Ordering::Relaxed),
            chunks_total: self.chunks_total,
            chunks_skipped: self.chunks_skipped.load(Ordering::Relaxed),
            bytes_stored: self.bytes_stored.load(Ordering::Relaxed),
            elapsed_s: self.started.elapsed().as_secs_f64(),
            mb_per_s,
            eta_s,
            waiting_for_network: self.waiting.load(Ordering::Relaxed),
        }
    }
}
