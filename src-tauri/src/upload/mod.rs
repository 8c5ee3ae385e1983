//! The write job: metadata first, then chunks (reader threads → encoders on the other cores
//! → concurrent puts), then the consolidated metadata last, so a store without it is visibly
//! incomplete. Memory stays at about (concurrency + readers + 1) chunks whatever the dataset's size.

pub mod progress;
mod compress;
mod direct;
mod reader;
mod shares;
pub mod record;
pub mod stage;
pub mod target;
pub mod test_write;

pub use progress::{Phase, Progress, Sink, Tracker};
pub use stage::Stage;
pub use target::{prepare_target, Existing};

use crate::error::{Code, Error, Result};
use crate::inspect::Inspection;
use crate::store::{store_error, Destination};
use crate::write::{Compression, Encoder, Layout, RawChunk, ZarrFormat};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// Chunks above this go up in parts. Below, one PUT is one request and one copy on the server
/// (a part upload is copied again when completed): at ~100 MB chunks this halved the loopback S3
/// server's CPU and made uploads ~15% faster. S3 itself advises parts from about 100 MB.
const MULTIPART_OVER: usize = 128 << 20;
const PART_SIZE: usize = 8 << 20;

#[derive(Debug, Clone)]
pub struct WriteOptions {
    pub format: ZarrFormat,
    pub compression: Compression,
    pub concurrency: usize,
    pub overwrite: bool,
    /// Continue an interrupted upload: skip the chunks the store already holds.
    pub resume: bool,
    /// What the user gave (paths, destination), kept in the local resume record.
    pub inputs: Vec<String>,
    /// How long to wait for an endpoint that stopped answering before giving up (resumable).
    pub network_wait: Duration,
    /// All of it, or one stage of an upload split across processes.
    pub stage: Stage,
    /// How many parts the upload is split in (kept in the record, so --finalize can name them).
    pub parts: Option<u32>,
    /// The wizard's inputs, kept in the local record so it can offer to resume at launch.
    pub wizard: Option<serde_json::Value>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions { format: ZarrFormat::V2, compression: Compression::default(), concurrency: 8, overwrite: false, resume: false, inputs: Vec::new(), network_wait: Duration::from_secs(600), stage: Stage::Whole, parts: None, wizard: None }
    }
}

/// What a finished write reports.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct WriteSummary {
    pub url: String,
    pub public_url: String,
    pub snippet: String,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub bytes_stored: u64,
    #[ts(type = "number")]
    pub chunks: u64,
    /// Chunks an interrupted run had already written (resume).
    #[ts(type = "number")]
    pub chunks_skipped: u64,
    #[ts(type = "number")]
    pub objects: u64,
    pub seconds: f64,
    pub mb_per_s: f64,
    /// Uncompressed / stored.
    pub compression_ratio: f64,
}

struct Job {
    array: usize,
    key: Path,
    payload: Payload,
    raw_len: u64,
}

enum Payload {
    /// A whole raw chunk, encoded by zarrs' codec chain on a blocking thread.
    Raw(RawChunk),
    /// zstd, compressed while it was read (see [`compress`]).
    Encoded(tokio::sync::oneshot::Receiver<Result<Vec<u8>>>),
}

pub async fn put(store: &dyn ObjectStore, key: &Path, bytes: impl Into<bytes::Bytes>) -> object_store::Result<()> {
    let bytes: bytes::Bytes = bytes.into();
    if bytes.len() > MULTIPART_OVER {
        put_in_parts(store, key, bytes).await
    } else {
        store.put(key, bytes.into()).await.map(|_| ())
    }
}

/// A multipart upload in parts of [`PART_SIZE`], sent concurrently.
pub async fn put_in_parts(store: &dyn ObjectStore, key: &Path, bytes: bytes::Bytes) -> object_store::Result<()> {
    let upload = store.put_multipart(key).await?;
    let mut w = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
    w.write(&bytes);
    w.finish().await?;
    Ok(())
}

/// A put that rides through outages: object_store already retries each request with backoff
/// (5xx, 429, resets, timeouts) for a few minutes; beyond that the endpoint is considered gone and
/// we wait ("waiting for network") up to `window`, then give up with the store resumable.
async fn put_patiently(store: &dyn ObjectStore, url: &str, key: &Path, bytes: bytes::Bytes, window: Duration, tracker: &Tracker, cancel: &CancellationToken) -> Result<()> {
    patiently(window, tracker, cancel, || put(store, key, bytes.clone()), |e| store_error(url, &e)).await
}

/// What a request abandoned by Ctrl-C or the Cancel button returns; the job then says what was written.
fn abandoned() -> Error {
    Error::new(Code::Cancelled, "stopped", "Run the same upload again with --resume to finish it.")
}

/// Run a store request until it succeeds, a permanent error comes back, or `window` has passed
/// while the endpoint kept failing. Every request of an upload goes through here: metadata,
/// chunks, the consolidated metadata and the record's removal alike.
async fn patiently<T, F, Fut>(window: Duration, tracker: &Tracker, cancel: &CancellationToken, mut op: F, to_error: impl Fn(object_store::Error) -> Error) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = object_store::Result<T>>,
{
    let started = Instant::now();
    let mut pause = Duration::from_secs(1);
    // With no window (test writes), a request that failed on a reset still gets a second chance;
    // with one, the window alone decides (no extra retry cycle after it has passed).
    let mut spare = u8::from(window.is_zero());
    loop {
        // A cancel does not wait for a request that may hang until the network is back.
        let outcome = tokio::select! {
            r = op() => r,
            () = cancel.cancelled() => return Err(abandoned()),
        };
        match outcome {
            Ok(v) => {
                tracker.waiting.store(false, std::sync::atomic::Ordering::Relaxed);
                return Ok(v);
            }
            Err(e) => {
                let err = to_error(e);
                let transient = matches!(err.code, Code::StoreUnreachable | Code::StoreError);
                if !transient || (started.elapsed() >= window && spare == 0) {
                    return Err(err);
                }
                if started.elapsed() >= window {
                    spare -= 1;
                    continue;
                }
                tracker.waiting.store(true, std::sync::atomic::Ordering::Relaxed);
                tokio::select! {
                    () = tokio::time::sleep(pause) => {}
                    () = cancel.cancelled() => return Err(abandoned()),
                }
                pause = (pause * 2).min(Duration::from_secs(15));
            }
        }
    }
}

/// Reader threads: one per core (up to 4) for chunks read raw, else one; `FERRY_READERS=N` to choose.
fn reader_threads(raw: bool) -> usize {
    if let Some(n) = std::env::var("FERRY_READERS").ok().and_then(|v| v.parse::<usize>().ok()) {
        return n.clamp(1, 16);
    }
    if !raw {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |c| c.get()).min(4)
}

/// Write the dataset described by `ins` to `dest`. `sink` receives progress about ten times a second.
pub async fn write_store(ins: &Inspection, dest: &Destination, opts: &WriteOptions, sink: Sink, cancel: CancellationToken) -> Result<WriteSummary> {
    if ins.dataset.has_errors() {
        return Err(Error::new(Code::CannotMerge, "the files have problems that stop them from being written (see `ferry inspect`)", "Fix or remove the files named by `ferry inspect`, then run again."));
    }
    let layout = Layout::new(ins, opts.compression, opts.format);
    let encoders: Vec<Encoder> = layout.arrays.iter().map(|a| Encoder::new(a, opts.format)).collect::<Result<_>>()?;
    let chunks = Chunks::of(&layout);
    // Progress counts this process's share (all of it, unless it is one part of a split upload).
    let share = chunks.list.iter().filter(|c| chunks.written_by(c, opts.stage));
    let (bytes_total, share_chunks) = share.fold((0, 0), |(b, n), c| (b + c.len, n + 1));
    let tracker = Tracker::new(bytes_total, share_chunks);
    let ticker = spawn_ticker(tracker.clone(), sink.clone());
    let started = Instant::now();
    let result = run(ins, dest, opts, &layout, &chunks, encoders, &tracker, cancel).await;
    ticker.abort();
    let objects = result?;
    tracker.set_phase(Phase::Done);
    let p = tracker.snapshot();
    sink(&p);
    let seconds = started.elapsed().as_secs_f64();
    let sent = p.bytes_done - tracker.bytes_skipped.load(std::sync::atomic::Ordering::Relaxed);
    Ok(WriteSummary {
        url: dest.url.clone(),
        public_url: dest.public_url(),
        snippet: dest.open_snippet(),
        bytes: p.bytes_done,
        bytes_stored: p.bytes_stored,
        chunks: p.chunks_done,
        chunks_skipped: p.chunks_skipped,
        objects,
        seconds,
        mb_per_s: if seconds > 0.0 { sent as f64 / 1e6 / seconds } else { 0.0 },
        compression_ratio: if p.bytes_stored > 0 { sent as f64 / p.bytes_stored as f64 } else { 1.0 },
    })
}

/// One chunk of the dataset, in write order.
struct Chunk {
    array: usize,
    idx: Vec<u64>,
    /// Its key relative to the store root.
    rel: String,
    /// Uncompressed bytes of the chunks before it, and its own (edge chunks are cut to the shape):
    /// where it falls when the upload is split into parts of equal bytes.
    before: u64,
    len: u64,
}

/// Every chunk of the dataset, enumerated once per write.
struct Chunks {
    list: Vec<Chunk>,
    /// Uncompressed bytes of the whole dataset.
    bytes: u64,
}

impl Chunks {
    fn of(layout: &Layout) -> Chunks {
        let mut list = Vec::new();
        let mut before = 0;
        for (array, a) in layout.arrays.iter().enumerate() {
            for idx in a.chunk_indices() {
                let len = a.chunks.iter().zip(&a.shape).zip(&idx).map(|((&c, &s), &i)| c.min(s - i * c)).product::<u64>() * a.dtype.size();
                list.push(Chunk { array, rel: layout.chunk_key(a, &idx), idx, before, len });
                before += len;
            }
        }
        Chunks { list, bytes: before }
    }

    fn written_by(&self, c: &Chunk, stage: Stage) -> bool {
        stage.writes(c.before, c.len, self.bytes)
    }
}

fn spawn_ticker(tracker: Arc<Tracker>, sink: Sink) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            tick.tick().await;
            sink(&tracker.snapshot());
        }
    })
}

#[allow(clippy::too_many_arguments)]
async fn run(ins: &Inspection, dest: &Destination, opts: &WriteOptions, layout: &Layout, chunks: &Chunks, encoders: Vec<Encoder>, tracker: &Arc<Tracker>, cancel: CancellationToken) -> Result<u64> {
    let chunks_total = chunks.list.len() as u64;
    let store = dest.store.clone();
    tracker.set_phase(Phase::Metadata);
    let stage = opts.stage;
    let mut rec = record::Record::new(dest, &ins.dataset, layout, chunks_total, opts.inputs.clone());
    rec.parts = opts.parts;
    rec.wizard = opts.wizard.clone();
    // Chunks already in the store (resume, a part, finalize): listed, so only complete objects count.
    let mut existing = std::collections::HashSet::new();
    if opts.resume || stage.continues() {
        match record::load_remote(dest).await? {
            Some(old) => {
                old.check(&rec)?;
                rec.parts = rec.parts.or(old.parts);
            }
            None if stage.continues() => {
                return Err(Error::new(
                    Code::NothingToResume,
                    format!("{}: no record of `ferry upload --init` there (or the store was already finalized)", dest.url),
                    "Run the same command with --init first (one job), then the --part jobs, then --finalize.",
                ))
            }
            None if target::list_store(dest).await?.is_empty() => {}
            None if finished_here(dest, layout, chunks).await? => {
                // Resuming what already finished (a second run of the same command): nothing to do.
                for c in &chunks.list {
                    tracker.chunk_skipped(c.len);
                }
                return Ok(0);
            }
            None => {
                return Err(Error::new(
                    Code::NothingToResume,
                    format!("{}: holds a store but no record of an interrupted Ferry upload", dest.url),
                    "This store was finished or not written by Ferry: use --overwrite to replace it, or another name.",
                ))
            }
        }
        let root = format!("{}/", dest.root.as_ref());
        existing = target::list_store(dest).await?.into_iter().filter_map(|k| k.as_ref().strip_prefix(&root).map(str::to_string)).collect();
    }
    let window = opts.network_wait;
    let record_key = dest.key(record::RECORD_KEY);
    let mut objects = 0u64;
    // The record and the metadata documents go up while the first chunks are read and compressed
    // (one after the other they took 100 ms to the loopback server, a round trip each); no chunk is
    // put before they are all stored (`head_done`).
    let head_done = Arc::new(Semaphore::new(0));
    let head = if matches!(stage, Stage::Whole | Stage::Init) {
        // The record goes first: from here on, a killed upload can be resumed.
        record::save_local(&rec)?;
        let record_text = bytes::Bytes::from(record::remote_text(&rec));
        let docs: Vec<(Path, bytes::Bytes)> = layout.documents().into_iter().map(|d| (dest.key(&d.key), bytes::Bytes::from(d.text.into_bytes()))).collect();
        let (store, record_key, url, tracker, cancel, done) = (store.clone(), record_key.clone(), dest.url.clone(), tracker.clone(), cancel.clone(), head_done.clone());
        let at_once = opts.concurrency.max(1);
        Some(tokio::spawn(async move {
            let r = write_head(store.as_ref(), &record_key, record_text, docs, at_once, &url, window, &tracker, &cancel).await;
            match r {
                Ok(_) => done.add_permits(Semaphore::MAX_PERMITS),
                Err(_) => {
                    done.close();
                    cancel.cancel();
                }
            }
            r
        }))
    } else {
        head_done.add_permits(Semaphore::MAX_PERMITS);
        None
    };
    if stage == Stage::Init {
        return flatten(head.expect("init writes the head").await);
    }
    if stage == Stage::Finalize {
        let parts = rec.parts.unwrap_or(1);
        let missing: Vec<(u32, String)> =
            chunks.list.iter().filter(|c| !existing.contains(&c.rel)).map(|c| (stage::part_of(c.before, c.len, chunks.bytes, parts), c.rel.clone())).collect();
        if !missing.is_empty() {
            return Err(stage::missing_chunks(&dest.url, &missing, chunks_total, rec.parts));
        }
    }

    tracker.set_phase(Phase::Chunks);
    // Channel of one: the readers stay at most one chunk each ahead of the encoders.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Job>(1);
    let reader_cancel = cancel.clone();
    let ds = ins.dataset.clone();
    let arrays = layout.arrays.clone();
    // (array, chunk index, key, uncompressed bytes, already written): this stage's share only
    // (none for finalize, which has checked that nothing is left).
    let jobs: Vec<(usize, Vec<u64>, Path, u64, bool)> =
        chunks.list.iter().filter(|c| chunks.written_by(c, stage)).map(|c| (c.array, c.idx.clone(), dest.key(&c.rel), c.len, existing.contains(&c.rel))).collect();
    let reader_tracker = tracker.clone();
    let runtime = tokio::runtime::Handle::current();
    // Stream-compress where the codec is plain zstd and the host is little-endian like Zarr's bytes.
    let zstd_level = match opts.compression {
        Compression::Zstd(l) if cfg!(target_endian = "little") => Some(l),
        _ => None,
    };
    // Several readers: with chunks decoded outside the HDF5 lock (see `direct`), each inflates
    // on its own core; through libnetcdf they take turns. Each holds its own open files and
    // takes a contiguous run of chunks (see `shares`).
    // Through libnetcdf, readers of the same file share one HDF5 chunk cache and evict each
    // other's chunks (2 readers took 3x the CPU of one): more than one only for raw reads.
    let largest = arrays.iter().max_by_key(|a| a.shape.iter().product::<u64>() * a.dtype.size());
    let raw = largest.is_some_and(|a| reader::Reader::new(&ds).reads_raw(a));
    let n_readers = reader_threads(raw);
    // Chunks already written cost nothing to skip.
    let queue = Arc::new(shares::Shares::new(jobs, n_readers, |j| if j.4 { 0 } else { j.3 }));
    let failed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let arrays = Arc::new(arrays);
    let mut readers = Vec::new();
    for n in 0..n_readers {
        let (queue, failed, arrays, ds, tx, runtime) = (queue.clone(), failed.clone(), arrays.clone(), ds.clone(), tx.clone(), runtime.clone());
        let (reader_cancel, reader_tracker) = (reader_cancel.clone(), reader_tracker.clone());
        let stop = failed.clone();
        let work = move || -> Result<()> {
            crate::scan::quiet::silence_hdf5_on_this_thread();
            let mut r = reader::Reader::new(&ds);
            loop {
                if reader_cancel.is_cancelled() || failed.load(std::sync::atomic::Ordering::Relaxed) {
                    return Ok(());
                }
                let next = queue.next(n);
                let Some((ai, idx, key, raw_len, done)) = next else { return Ok(()) };
                let a = &arrays[ai];
                let idx = &idx;
                if done {
                    reader_tracker.chunk_skipped(raw_len);
                    continue;
                }
                let payload = match zstd_level {
                    Some(level) if r.streamable(a, idx) => {
                        let total = a.chunks.iter().product::<u64>() as usize * a.fill_element.len().max(1);
                        let (ptx, prx) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
                        let (otx, orx) = tokio::sync::oneshot::channel();
                        runtime.spawn_blocking(move || {
                            let _ = otx.send(compress::compress_stream(prx, level, total));
                        });
                        r.read_chunk_pieces(a, idx, &mut |piece| {
                            ptx.send(piece).map_err(|_| Error::new(Code::Internal, "the compressor stopped early", "This is a bug in Ferry: please report it."))
                        })?;
                        Payload::Encoded(orx)
                    }
                    _ => Payload::Raw(r.read_chunk(a, idx)?),
                };
                if tx.blocking_send(Job { array: ai, key, payload, raw_len }).is_err() {
                    return Ok(()); // the writer stopped (error or cancel): it reports why
                }
            }
        };
        let reader = std::thread::Builder::new()
            .name(format!("ferry-reader-{n}"))
            .spawn(move || {
                let r = work();
                if r.is_err() {
                    // The others stop too: the first error is the one reported.
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                r
            })
            .map_err(|e| Error::new(Code::Internal, format!("cannot start a reader thread: {e}"), ""))?;
        readers.push(reader);
    }
    drop(tx);

    let permits = Arc::new(Semaphore::new(opts.concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    let mut failure: Option<Error> = None;
    let encoders = Arc::new(encoders);
    loop {
        let job = tokio::select! {
            j = rx.recv() => j,
            () = cancel.cancelled() => None,
        };
        let Some(job) = job else { break };
        let Ok(permit) = permits.clone().acquire_owned().await else { break };
        let store = store.clone();
        let encoders = encoders.clone();
        let tracker = tracker.clone();
        let url = dest.url.clone();
        let window = opts.network_wait;
        let task_cancel = cancel.clone();
        let head_done = head_done.clone();
        tasks.spawn(async move {
            let _permit = permit;
            let bytes = match job.payload {
                Payload::Raw(raw) => {
                    let enc = encoders[job.array].clone();
                    tokio::task::spawn_blocking(move || enc.encode(raw)).await.map_err(|e| Error::new(Code::Internal, format!("encoder failed: {e}"), ""))??
                }
                Payload::Encoded(rx) => rx.await.map_err(|_| Error::new(Code::Internal, "the compressor stopped early", "This is a bug in Ferry: please report it."))??,
            };
            let stored = bytes.len() as u64;
            // Closed when the head failed: that error is the one reported.
            let Ok(_head) = head_done.acquire().await else { return Err(abandoned()) };
            put_patiently(store.as_ref(), &url, &job.key, bytes.into(), window, &tracker, &task_cancel).await?;
            tracker.chunk_done(job.raw_len, stored);
            Ok::<(), Error>(())
        });
        while let Some(r) = tasks.try_join_next() {
            match flatten(r) {
                Err(e) if e.code != Code::Cancelled => {
                    failure.get_or_insert(e);
                    cancel.cancel();
                }
                _ => {}
            }
        }
        if failure.is_some() {
            break;
        }
    }
    drop(rx);
    while let Some(r) = tasks.join_next().await {
        match flatten(r) {
            Err(e) if e.code != Code::Cancelled => {
                failure.get_or_insert(e);
            }
            _ => {}
        }
    }
    let mut read = Ok(());
    for reader in readers {
        let r = reader.join().map_err(|_| Error::new(Code::Internal, "a reader thread panicked", "This is a bug in Ferry: please report it."))?;
        if read.is_ok() {
            read = r;
        }
    }
    if let Some(head) = head {
        match flatten(head.await) {
            Ok(n) => objects += n,
            // Stopped by a cancel (the user's, or after a failure below): reported below.
            Err(e) if e.code == Code::Cancelled => {}
            Err(e) => return Err(e),
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    read?;
    if cancel.is_cancelled() {
        let p = tracker.snapshot();
        return Err(Error::new(
            Code::Cancelled,
            format!("stopped: {} of {} chunks were written; the store is incomplete (no consolidated metadata)", p.chunks_done, p.chunks_total),
            "Run the same command again with --resume to finish it, or delete it with `ferry rm`.",
        ));
    }
    objects += tracker.snapshot().chunks_done;
    if let Stage::Part { .. } = stage {
        // The other parts may still be writing: consolidation is --finalize's job.
        return Ok(objects);
    }

    tracker.set_phase(Phase::Consolidating);
    let doc = layout.consolidated();
    let key = dest.key(&doc.key);
    let text = bytes::Bytes::from(doc.text.into_bytes());
    patiently(window, tracker, &cancel, || store.put(&key, text.clone().into()), |e| store_error(&dest.url, &e)).await?;
    // Complete: nothing left to resume.
    patiently(
        window,
        tracker,
        &cancel,
        || async {
            match store.delete(&record_key).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(e),
            }
        },
        |e| store_error(&dest.url, &e),
    )
    .await?;
    record::remove_local(&dest.url);
    Ok(objects + u64::from(layout.format == ZarrFormat::V2))
}

/// The record, then the metadata documents (`at_once` puts in flight): the head of a store.
/// Returns how many documents were written.
#[allow(clippy::too_many_arguments)]
async fn write_head(store: &dyn ObjectStore, record_key: &Path, record: bytes::Bytes, docs: Vec<(Path, bytes::Bytes)>, at_once: usize, url: &str, window: Duration, tracker: &Tracker, cancel: &CancellationToken) -> Result<u64> {
    use futures::{StreamExt, TryStreamExt};
    patiently(window, tracker, cancel, || store.put(record_key, record.clone().into()), |e| store_error(url, &e)).await?;
    let n = docs.len() as u64;
    futures::stream::iter(docs)
        .map(|(key, text)| async move { patiently(window, tracker, cancel, || store.put(&key, text.clone().into()), |e| store_error(url, &e)).await.map(|_| ()) })
        .buffer_unordered(at_once)
        .try_collect::<()>()
        .await?;
    Ok(n)
}

/// Is the store at `dest` this very dataset, complete: the consolidated metadata Ferry would write
/// now, and every chunk listed?
async fn finished_here(dest: &Destination, layout: &Layout, chunks: &Chunks) -> Result<bool> {
    let doc = layout.consolidated();
    let stored = match dest.store.get(&dest.key(&doc.key)).await {
        Ok(r) => r.bytes().await.map_err(|e| store_error(&dest.url, &e))?,
        Err(object_store::Error::NotFound { .. }) => return Ok(false),
        Err(e) => return Err(store_error(&dest.url, &e)),
    };
    if stored.as_ref() != doc.text.as_bytes() {
        return Ok(false);
    }
    let root = format!("{}/", dest.root.as_ref());
    let listed: std::collections::HashSet<String> = target::list_store(dest).await?.into_iter().filter_map(|k| k.as_ref().strip_prefix(&root).map(str::to_string)).collect();
    Ok(chunks.list.iter().all(|c| listed.contains(&c.rel)))
}

fn flatten<T>(r: std::result::Result<Result<T>, tokio::task::JoinError>) -> Result<T> {
    r.map_err(|e| Error::new(Code::Internal, format!("an upload task failed: {e}"), ""))?
}
