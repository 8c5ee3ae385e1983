//! The test write every upload starts with: a few steps of the real dataset, with the real plan
//! and codec, first to a local temporary folder, then next to the real store; read back through
//! the destination and compared byte for byte; projected to the full upload.

use super::target::{delete_all, list_store, prepare_target};
use super::{write_store, Sink, WriteOptions};
use crate::error::{Code, Error, Result};
use crate::inspect::Inspection;
use crate::merge::Role;
use crate::store::{store_error, DestOptions, Destination};
use futures::future::try_join_all;
use object_store::ObjectStoreExt;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Instant;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TestWriteReport {
    /// Where the test store was written (beside the real one).
    pub test_url: String,
    /// Steps of the concat dimension written.
    #[ts(type = "number")]
    pub steps: u64,
    #[ts(type = "number")]
    pub objects: u64,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub bytes_stored: u64,
    pub compression_ratio: f64,
    /// Round trip of one small object (put + get), in milliseconds.
    pub latency_ms: f64,
    /// Uncompressed MB/s of the test write to the destination.
    pub mb_per_s: f64,
    /// Projection for the whole dataset.
    #[ts(type = "number")]
    pub projected_bytes_stored: u64,
    pub projected_seconds: f64,
    pub kept: bool,
}

/// The name of the test store beside `name`: `a1b.zarr` → `a1b.ferry-test.zarr`.
pub fn test_name(name: &str) -> String {
    match name.strip_suffix(".zarr") {
        Some(stem) => format!("{stem}.ferry-test.zarr"),
        None => format!("{name}.ferry-test"),
    }
}

/// The first `steps` steps along the concat dimension (the whole dataset if it has none).
pub fn first_steps(ins: &Inspection, steps: u64) -> Inspection {
    let mut out = ins.clone();
    let Some(cdim) = ins.dataset.concat_dim.clone() else { return out };
    let total = ins.dataset.dims.iter().find(|d| d.name == cdim).map_or(0, |d| d.len);
    let k = steps.min(total);
    for d in &mut out.dataset.dims {
        if d.name == cdim {
            d.len = k;
        }
    }
    out.dataset.files.retain(|f| f.offset < k || (k == 0 && f.offset == 0));
    for f in &mut out.dataset.files {
        f.steps = f.steps.min(k - f.offset.min(k));
    }
    for v in &mut out.dataset.variables {
        for (d, s) in v.dims.iter().zip(v.shape.iter_mut()) {
            if *d == cdim {
                *s = k;
            }
        }
    }
    for p in &mut out.plan.variables {
        for (i, d) in p.dims.iter().enumerate() {
            if *d == cdim {
                p.shape[i] = k;
            }
        }
        p.total_bytes = p.shape.iter().product::<u64>() * p.chunk_bytes / p.chunks.iter().product::<u64>().max(1);
        p.n_chunks = p.shape.iter().zip(&p.chunks).map(|(&s, &c)| s.div_ceil(c)).product();
    }
    out
}

/// Enough steps for one full chunk of every data variable.
pub fn steps_for_test(ins: &Inspection) -> u64 {
    let Some(cdim) = &ins.dataset.concat_dim else { return 0 };
    ins.plan
        .variables
        .iter()
        .filter(|p| ins.dataset.var(&p.name).is_some_and(|v| v.role == Role::Data))
        .filter_map(|p| p.dims.iter().position(|d| d == cdim).map(|i| p.chunks[i]))
        .max()
        .unwrap_or(1)
}

async fn read_all(dest: &Destination) -> Result<BTreeMap<String, bytes::Bytes>> {
    let keys = list_store(dest).await?;
    let root = dest.root.as_ref().to_string();
    let gets = keys.into_iter().map(|k| {
        let store = dest.store.clone();
        let url = dest.url.clone();
        let root = root.clone();
        async move {
            let b = store.get(&k).await.map_err(|e| store_error(&url, &e))?.bytes().await.map_err(|e| store_error(&url, &e))?;
            Ok::<_, Error>((k.as_ref().strip_prefix(&root).unwrap_or(k.as_ref()).to_string(), b))
        }
    });
    Ok(try_join_all(gets).await?.into_iter().collect())
}

pub async fn test_write(ins: &Inspection, dest: &Destination, opts: &WriteOptions, keep: bool, sink: Sink, cancel: CancellationToken) -> Result<TestWriteReport> {
    let steps = steps_for_test(ins);
    let small = first_steps(ins, steps);
    let quiet: Sink = std::sync::Arc::new(|_| {});

    // 1. Locally, where nothing can go wrong but our own writer.
    let tmp = tempfile::tempdir().map_err(|e| Error::new(Code::Io, format!("cannot create a temporary folder: {e}"), "Free some disk space in the temporary folder (TMPDIR)."))?;
    let local = Destination::open(&tmp.path().join(dest.name()).to_string_lossy(), &DestOptions::default())?;
    write_store(&small, &local, &WriteOptions { overwrite: true, ..opts.clone() }, quiet, cancel.clone()).await?;
    let reference = read_all(&local).await?;

    // 2. Beside the real store: latency of one small object, then the same store.
    let test = dest.sibling(&test_name(&dest.name()))?;
    prepare_target(&test, true).await?;
    let probe = test.key(".ferry-probe");
    let t0 = Instant::now();
    test.store.put(&probe, bytes::Bytes::from_static(b"ferry").into()).await.map_err(|e| store_error(&test.url, &e))?;
    test.store.get(&probe).await.map_err(|e| store_error(&test.url, &e))?.bytes().await.map_err(|e| store_error(&test.url, &e))?;
    let latency_ms = t0.elapsed().as_secs_f64() * 1e3;
    test.store.delete(&probe).await.map_err(|e| store_error(&test.url, &e))?;
    let summary = write_store(&small, &test, &WriteOptions { overwrite: true, ..opts.clone() }, sink, cancel).await?;

    // 3. Read everything back through the destination; it must equal the local write, byte for byte.
    let remote = read_all(&test).await?;
    if remote != reference {
        let missing: Vec<_> = reference.keys().filter(|k| !remote.contains_key(*k)).take(5).cloned().collect();
        let differ: Vec<_> = reference.iter().filter(|(k, v)| remote.get(*k).is_some_and(|r| r != *v)).map(|(k, _)| k.clone()).take(5).collect();
        return Err(Error::new(
            Code::VerifyFailed,
            format!("{}: what was read back differs from what was written (missing: {missing:?}, different: {differ:?})", test.url),
            "The storage service altered or lost objects: check the endpoint (proxies, gateways) and try again.",
        ));
    }
    if !keep {
        let keys = list_store(&test).await?;
        delete_all(&test, keys).await?;
    }

    let ratio = summary.compression_ratio;
    let total = ins.plan.total_bytes;
    let mb_per_s = summary.mb_per_s;
    Ok(TestWriteReport {
        test_url: test.url.clone(),
        steps: small.dataset.dims.iter().find(|d| d.concat).map_or(0, |d| d.len),
        objects: reference.len() as u64,
        bytes: summary.bytes,
        bytes_stored: summary.bytes_stored,
        compression_ratio: ratio,
        latency_ms,
        mb_per_s,
        projected_bytes_stored: (total as f64 / ratio.max(1e-9)) as u64,
        projected_seconds: if mb_per_s > 0.0 { total as f64 / 1e6 / mb_per_s } else { 0.0 },
        kept: keep,
    })
}
