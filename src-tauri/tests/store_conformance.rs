//! One conformance suite for every kind of destination — a local folder, S3 (`s3s-fs` on
//! loopback, which checks signatures) and GCS (`tests/servers/gcs_stub.py`, an XML-API server that
//! checks the bearer token) — through the core's public API: `Destination::open`, `key`/`var_key`,
//! `upload::put`, `upload::write_store`, `upload::prepare_target`, `test_write`, and the error codes.
//!
//! Run: `cargo test --test store_conformance` (S3 tests skip, saying so, if s3s-fs is missing;
//! scripts/install-deps installs it).

mod common;

use common::*;
use ferry::store::{DestOptions, Destination, Kind};
use ferry::upload::{self, prepare_target, test_write, Existing, Sink, WriteOptions};
use ferry::write::ZarrFormat;
use ferry::{inspect, Code, InspectOptions, Inspection};
use futures::stream::BoxStream;
use futures::TryStreamExt;
use object_store::path::Path as Key;
use object_store::{
    CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore, ObjectStoreExt, PutMultipartOptions, PutOptions, PutPayload,
    PutResult,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

const BUCKET: &str = "ferry-conformance";
const TOKEN: &str = "ya29.ferry-test-token";

// ---------------------------------------------------------------------------------------------
// Targets: how to open a store NAME in one shared parent, and how to see the whole container.
// ---------------------------------------------------------------------------------------------

struct Target {
    label: &'static str,
    /// The parent every store of the suite goes in: a folder, s3://BUCKET/runs, gs://BUCKET/runs.
    base: String,
    opts: DestOptions,
    /// Local only: the temporary folder that holds `parent/` (walked to find every file).
    top: Option<PathBuf>,
    /// GCS only: the stub, whose request log shows what was sent.
    gcs: Option<Arc<Server>>,
    _keep: Vec<Box<dyn std::any::Any + Send + Sync>>,
}

impl Target {
    fn open(&self, name: &str) -> Destination {
        let url = format!("{}/{name}", self.base);
        Destination::open(&url, &self.opts).unwrap_or_else(|e| panic!("[{}] open {url}: {e:?}", self.label))
    }

    /// Every object (file) in the whole container — the bucket, or the temp folder above the
    /// parent — as a path relative to the container.
    async fn everything(&self) -> BTreeSet<String> {
        match &self.top {
            Some(top) => walkdir::WalkDir::new(top)
                .into_iter()
                .map(|e| e.unwrap())
                .filter(|e| !e.file_type().is_dir())
                .map(|e| e.path().strip_prefix(top).unwrap().to_string_lossy().into_owned())
                .collect(),
            None => {
                let d = self.open("any.zarr");
                d.store.list(None).map_ok(|m| m.location.to_string()).try_collect().await.unwrap_or_else(|e| panic!("[{}] list the bucket: {e}", self.label))
            }
        }
    }

    /// Where `dest`'s objects must be, in the frame of [`Target::everything`].
    fn prefix_of(&self, dest: &Destination) -> String {
        match &self.top {
            Some(_) => format!("parent/{}/", dest.root),
            None => format!("{}/", dest.root),
        }
    }
}

fn local_target() -> Target {
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path().join("parent");
    std::fs::create_dir_all(&parent).unwrap();
    Target { label: "local", base: parent.to_string_lossy().into_owned(), opts: DestOptions::default(), top: Some(tmp.path().to_path_buf()), gcs: None, _keep: vec![Box::new(tmp)] }
}

fn s3_opts(endpoint: &str, profile: &str) -> DestOptions {
    s3_profiles();
    DestOptions { endpoint: Some(endpoint.to_string()), profile: Some(profile.to_string()), ..Default::default() }
}

fn s3_target() -> Option<Target> {
    s3_profiles();
    let Some(srv) = start_s3(S3_KEY, S3_SECRET, &[BUCKET]) else {
        skip(S3S_MISSING);
        return None;
    };
    let opts = s3_opts(&srv.endpoint, S3_GOOD_PROFILE);
    Some(Target { label: "s3", base: format!("s3://{BUCKET}/runs"), opts, top: None, gcs: None, _keep: vec![Box::new(srv)] })
}

fn gcs_target(extra: &[&str]) -> Target {
    let srv = Arc::new(start_gcs(TOKEN, &[BUCKET], extra));
    let tok = token_file(TOKEN);
    let opts = DestOptions { endpoint: Some(srv.endpoint.clone()), token_file: Some(tok.path().to_path_buf()), ..Default::default() };
    Target { label: "gcs", base: format!("gs://{BUCKET}/runs"), opts, top: None, gcs: Some(srv), _keep: vec![Box::new(tok)] }
}

// ---------------------------------------------------------------------------------------------
// A store wrapper that records when each put starts and ends: ".zmetadata is written last".
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct Recorder {
    inner: Arc<dyn ObjectStore>,
    puts: Mutex<Vec<(String, Instant, Instant)>>,
}

impl std::fmt::Display for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Recorder({})", self.inner)
    }
}

#[async_trait::async_trait]
impl ObjectStore for Recorder {
    async fn put_opts(&self, location: &Key, payload: PutPayload, opts: PutOptions) -> object_store::Result<PutResult> {
        let t0 = Instant::now();
        let r = self.inner.put_opts(location, payload, opts).await;
        self.puts.lock().unwrap().push((location.to_string(), t0, Instant::now()));
        r
    }
    async fn put_multipart_opts(&self, location: &Key, opts: PutMultipartOptions) -> object_store::Result<Box<dyn MultipartUpload>> {
        // Big chunks: counted from the start of the upload (the fixtures' chunks are small).
        let t0 = Instant::now();
        self.puts.lock().unwrap().push((location.to_string(), t0, t0));
        self.inner.put_multipart_opts(location, opts).await
    }
    async fn get_opts(&self, location: &Key, options: GetOptions) -> object_store::Result<GetResult> {
        self.inner.get_opts(location, options).await
    }
    fn delete_stream(&self, locations: BoxStream<'static, object_store::Result<Key>>) -> BoxStream<'static, object_store::Result<Key>> {
        self.inner.delete_stream(locations)
    }
    fn list(&self, prefix: Option<&Key>) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        self.inner.list(prefix)
    }
    async fn list_with_delimiter(&self, prefix: Option<&Key>) -> object_store::Result<ListResult> {
        self.inner.list_with_delimiter(prefix).await
    }
    async fn copy_opts(&self, from: &Key, to: &Key, options: CopyOptions) -> object_store::Result<()> {
        self.inner.copy_opts(from, to, options).await
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn a1b() -> Inspection {
    let dir = fixtures().join("derived/A1B_by_year");
    inspect(&InspectOptions::new(vec![dir]), &mut |_, _| {}).expect("inspect A1B_by_year")
}

fn quiet() -> Sink {
    Arc::new(|_| {})
}

async fn list_root(dest: &Destination) -> BTreeSet<String> {
    dest.store.list(Some(&dest.root)).map_ok(|m| m.location.to_string()).try_collect().await.unwrap_or_else(|e| panic!("list {}: {e}", dest.url))
}

async fn get(dest: &Destination, key: &Key) -> Vec<u8> {
    dest.store.get(key).await.unwrap_or_else(|e| panic!("get {key}: {e}")).bytes().await.unwrap().to_vec()
}

/// Deterministic bytes that do not compress (so a multipart upload really has 3 parts).
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// The keys a complete store of `ins` must hold, relative to its root, computed from the plan
/// (not from the writer): metadata, one object per chunk, and the consolidated metadata.
fn expected_keys(ins: &Inspection, format: ZarrFormat) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    match format {
        ZarrFormat::V2 => keys.extend([".zgroup", ".zattrs", ".zmetadata"].map(String::from)),
        ZarrFormat::V3 => {
            keys.insert("zarr.json".into());
        }
    }
    for p in &ins.plan.variables {
        match format {
            ZarrFormat::V2 => {
                keys.insert(format!("{}/.zarray", p.name));
                keys.insert(format!("{}/.zattrs", p.name));
            }
            ZarrFormat::V3 => {
                keys.insert(format!("{}/zarr.json", p.name));
            }
        }
        let grid: Vec<u64> = p.shape.iter().zip(&p.chunks).map(|(&s, &c)| s.div_ceil(c.max(1))).collect();
        let total: u64 = grid.iter().product();
        for mut n in 0..total {
            let mut idx = vec![0u64; grid.len()];
            for d in (0..grid.len()).rev() {
                idx[d] = n % grid[d];
                n /= grid[d];
            }
            let j = |sep: &str| idx.iter().map(u64::to_string).collect::<Vec<_>>().join(sep);
            keys.insert(match (format, idx.is_empty()) {
                (ZarrFormat::V2, true) => format!("{}/0", p.name),
                (ZarrFormat::V2, false) => format!("{}/{}", p.name, j(".")),
                (ZarrFormat::V3, true) => format!("{}/c", p.name),
                (ZarrFormat::V3, false) => format!("{}/c/{}", p.name, j("/")),
            });
        }
    }
    keys
}

fn rel(dest: &Destination, keys: &BTreeSet<String>) -> BTreeSet<String> {
    let root = format!("{}/", dest.root);
    keys.iter().map(|k| k.strip_prefix(&root).unwrap_or_else(|| panic!("{k} is not under {root}")).to_string()).collect()
}

fn assert_code<T: std::fmt::Debug>(label: &str, what: &str, r: ferry::Result<T>, code: Code) -> ferry::Error {
    match r {
        Ok(v) => panic!("[{label}] {what}: expected error[{}], got Ok({v:?})", code.as_str()),
        Err(e) => {
            assert_eq!(e.code, code, "[{label}] {what}: expected error[{}], got {e:?}", code.as_str());
            e
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------

async fn conformance(t: &Target) {
    let t0 = Instant::now();
    let mut step = Instant::now();
    let mut lap = |what: &str| {
        eprintln!("[{}] {what}: {:.2} s", t.label, step.elapsed().as_secs_f64());
        step = Instant::now();
    };
    basic_objects(t).await;
    lap("put/get/list/delete");
    awkward_keys_stay_under_the_root(t).await;
    lap("awkward keys");
    multipart(t).await;
    lap("multipart");
    write_store_then_list(t, ZarrFormat::V2).await;
    write_store_then_list(t, ZarrFormat::V3).await;
    lap("write_store v2+v3");
    prepare_target_refuses(t).await;
    lap("prepare_target");
    test_write_leaves_nothing(t).await;
    lap("test_write");
    eprintln!("[{}] conformance suite passed in {:.1} s", t.label, t0.elapsed().as_secs_f64());
}

async fn basic_objects(t: &Target) {
    let d = t.open("basic.zarr");
    assert!(d.url.ends_with("/basic.zarr"), "{}", d.url);
    assert_eq!(d.name(), "basic.zarr");
    let a = d.key(".zgroup");
    let b = d.key("tas/.zarray");
    let c = d.var_key("tas", "0.0.0");
    assert_eq!(b.as_ref(), format!("{}/tas/.zarray", d.root));
    assert_eq!(c.as_ref(), format!("{}/tas/0.0.0", d.root));
    for (k, body) in [(&a, &b"{\"zarr_format\":2}"[..]), (&b, b"{}"), (&c, b"0123456789")] {
        d.store.put(k, body.to_vec().into()).await.unwrap_or_else(|e| panic!("[{}] put {k}: {e}", t.label));
        assert_eq!(get(&d, k).await, body, "[{}] get {k}", t.label);
    }
    assert_eq!(d.store.head(&c).await.unwrap().size, 10, "[{}] head", t.label);
    let range = d.store.get_range(&c, 2..5).await.unwrap();
    assert_eq!(&range[..], b"234", "[{}] ranged get", t.label);
    let listed = list_root(&d).await;
    assert_eq!(listed, [&a, &b, &c].iter().map(|k| k.to_string()).collect(), "[{}] list under the root", t.label);
    // A sibling whose name extends this one's is not part of it.
    let near = t.open("basic.zarrx");
    near.store.put(&near.key("keep"), b"x".to_vec().into()).await.unwrap();
    assert_eq!(list_root(&d).await.len(), 3, "[{}] list of basic.zarr must not include basic.zarrx", t.label);
    for k in [&a, &b, &c] {
        d.store.delete(k).await.unwrap();
    }
    assert!(list_root(&d).await.is_empty(), "[{}] delete", t.label);
    assert!(matches!(d.store.get(&a).await, Err(object_store::Error::NotFound { .. })), "[{}] get after delete", t.label);
    near.store.delete(&near.key("keep")).await.unwrap();
}

/// Names a NetCDF variable or a hostile caller could use: each must stay one segment under the root.
const AWKWARD: &[&str] = &[
    "..",
    ".",
    "../../escape",
    "..%2F..%2Fescape",
    "%2F",
    "%2e%2e",
    "a/b",
    "a/../../b",
    "\u{2024}\u{2024}",                    // ONE DOT LEADER x2 (looks like "..")
    "\u{2024}\u{2024}/\u{2024}\u{2024}/escape",
    "\u{2215}",                            // DIVISION SLASH (looks like "/")
    "..\u{2215}..\u{2215}escape",
    "\u{ff0f}",                            // FULLWIDTH SOLIDUS
    "\u{ff0e}\u{ff0e}",                    // FULLWIDTH FULL STOP x2
    "\\..\\escape",
    "~",
    "*?<>|#[]{}^`\"",
    "with space",
    "caf\u{e9}",
    "cafe\u{301}",                         // the same, decomposed
    "\u{202e}txt.exe",                     // RIGHT-TO-LEFT OVERRIDE
    ".zmetadata",
    "zarr.json",
];

async fn awkward_keys_stay_under_the_root(t: &Target) {
    let before = t.everything().await;
    // One store per name and use, so that no key is both an object and a "folder" of another
    // (a file system, or s3s-fs, cannot hold both): key(name) in awkward-kN.zarr, var_key(name, ..)
    // in awkward-vN.zarr.
    let mut stores: Vec<(Destination, BTreeMap<String, Vec<u8>>)> = Vec::new();
    for (i, name) in AWKWARD.iter().enumerate() {
        let dk = t.open(&format!("awkward-k{i}.zarr"));
        let dv = t.open(&format!("awkward-v{i}.zarr"));
        for (d, keys) in [(dk.clone(), vec![dk.key(name)]), (dv.clone(), vec![dv.var_key(name, ".zarray"), dv.var_key(name, "0.0")])] {
            let mut written = BTreeMap::new();
            for k in keys {
                let body = format!("{i}:{k}").into_bytes();
                assert!(k.as_ref().starts_with(&format!("{}/", d.root)), "[{}] the key for {name:?} = {k} is not under {}", t.label, d.root);
                d.store.put(&k, body.clone().into()).await.unwrap_or_else(|e| panic!("[{}] put the key for {name:?} ({k}): {e}", t.label));
                written.insert(k.to_string(), body);
            }
            stores.push((d, written));
        }
    }
    // Nothing outside the prefixes of the stores written to, in the whole container.
    let after = t.everything().await;
    let new: Vec<&String> = after.difference(&before).collect();
    let prefixes: Vec<String> = stores.iter().map(|(d, _)| t.prefix_of(d)).collect();
    let outside: Vec<&&String> = new.iter().filter(|k| !prefixes.iter().any(|p| k.starts_with(p))).collect();
    assert!(outside.is_empty(), "[{}] objects landed outside their store: {outside:?}", t.label);
    let total: usize = stores.iter().map(|(_, w)| w.len()).sum();
    assert_eq!(new.len(), total, "[{}] {total} distinct keys written, {} new objects: {new:?}", t.label, new.len());
    // Each store lists exactly its keys, each of which reads back what was written to it.
    for (d, written) in &stores {
        assert_eq!(list_root(d).await, written.keys().cloned().collect(), "[{}] list under {}", t.label, d.root);
        for (k, body) in written {
            let back = get(d, &Key::parse(k).unwrap()).await;
            assert_eq!(&back, body, "[{}] read back {k}", t.label);
        }
    }
    for (d, written) in &stores {
        for k in written.keys() {
            d.store.delete(&Key::parse(k).unwrap()).await.unwrap();
        }
        assert!(list_root(d).await.is_empty());
    }
}

async fn multipart(t: &Target) {
    let d = t.open("multipart.zarr");
    let k = d.var_key("big", "0.0.0");
    let bytes = noise(20 << 20, 7);
    let started = Instant::now();
    upload::put_in_parts(d.store.as_ref(), &k, bytes.clone().into()).await.unwrap_or_else(|e| panic!("[{}] multipart put of 20 MB: {e}", t.label));
    eprintln!("[{}] 20 MB multipart put in {:.2} s", t.label, started.elapsed().as_secs_f64());
    assert_eq!(d.store.head(&k).await.unwrap().size, bytes.len() as u64, "[{}] size after multipart", t.label);
    let back = get(&d, &k).await;
    assert!(back == bytes, "[{}] the 20 MB object read back differs", t.label);
    let tail = d.store.get_range(&k, (20 << 20) - 5..(20 << 20)).await.unwrap();
    assert_eq!(&tail[..], &bytes[bytes.len() - 5..]);
    if let Some(srv) = &t.gcs {
        let reqs = srv.requests();
        assert!(reqs.iter().any(|(m, p, s)| m == "POST" && p.contains("?uploads") && *s == 200), "[gcs] no multipart initiation in {reqs:?}");
        let parts = reqs.iter().filter(|(m, p, _)| m == "PUT" && p.contains("partNumber=")).count();
        assert_eq!(parts, 3, "[gcs] 20 MB in 8 MB parts");
    }
    d.store.delete(&k).await.unwrap();
    assert!(list_root(&d).await.is_empty());
}

async fn write_store_then_list(t: &Target, format: ZarrFormat) {
    let ins = a1b();
    let name = format!("a1b-{}.zarr", if format == ZarrFormat::V2 { "v2" } else { "v3" });
    let plain = t.open(&name);
    let before = t.everything().await;
    let rec = Arc::new(Recorder { inner: plain.store.clone(), puts: Mutex::new(Vec::new()) });
    let mut d = plain.clone();
    d.store = rec.clone();
    assert_eq!(prepare_target(&d, false).await.unwrap(), Existing::Nothing, "[{}] a fresh name", t.label);
    let opts = WriteOptions { format, ..Default::default() };
    let started = Instant::now();
    let s = upload::write_store(&ins, &d, &opts, quiet(), CancellationToken::new()).await.unwrap_or_else(|e| panic!("[{}] write_store {name}: {e:?}", t.label));
    eprintln!("[{}] write_store A1B {format:?}: {} objects in {:.2} s", t.label, s.objects, started.elapsed().as_secs_f64());

    let listed = rel(&d, &list_root(&d).await);
    let want = expected_keys(&ins, format);
    assert_eq!(listed, want, "[{}] {format:?} keys: missing {:?}, extra {:?}", t.label, want.difference(&listed).collect::<Vec<_>>(), listed.difference(&want).collect::<Vec<_>>());
    assert_eq!(s.objects, listed.len() as u64, "[{}] summary.objects", t.label);
    assert_eq!(s.chunks, want.iter().filter(|k| !k.ends_with(".zarray") && !k.ends_with(".zattrs") && !k.ends_with("zarr.json") && !k.starts_with(".z")).count() as u64);
    let after = t.everything().await;
    let prefix = t.prefix_of(&d);
    assert!(after.difference(&before).all(|k| k.starts_with(&prefix)), "[{}] write_store wrote outside {prefix}", t.label);

    // The consolidated metadata is written last: its put starts after every other put ended.
    let consolidated = d.key(if format == ZarrFormat::V2 { ".zmetadata" } else { "zarr.json" }).to_string();
    let puts = rec.puts.lock().unwrap().clone();
    let (last_i, last) = puts.iter().enumerate().rfind(|(_, p)| p.0 == consolidated).unwrap_or_else(|| panic!("[{}] {consolidated} never written", t.label));
    for (i, p) in puts.iter().enumerate() {
        if i != last_i {
            assert!(p.2 <= last.1, "[{}] {} ended after {consolidated} started", t.label, p.0);
        }
    }
    // And the record and the metadata documents first: every chunk's put starts after they ended
    // (they go up while the first chunks are being read).
    let is_head = |k: &str| [".zarray", ".zattrs", ".zgroup", "zarr.json", upload::record::RECORD_KEY].iter().any(|e| k.ends_with(e));
    let head_end = puts.iter().enumerate().filter(|(i, p)| *i != last_i && is_head(&p.0)).map(|(_, p)| p.2).max().expect("metadata documents written");
    let chunk_puts: Vec<_> = puts.iter().filter(|p| !is_head(&p.0)).collect();
    assert!(!chunk_puts.is_empty(), "[{}] no chunk put recorded", t.label);
    for p in chunk_puts {
        assert!(p.1 >= head_end, "[{}] chunk {} was put before the metadata documents were all stored", t.label, p.0);
    }
    let text = get(&d, &Key::parse(&consolidated).unwrap()).await;
    let doc: serde_json::Value = serde_json::from_slice(&text).unwrap();
    for p in &ins.plan.variables {
        match format {
            ZarrFormat::V2 => assert!(doc["metadata"].get(format!("{}/.zarray", p.name)).is_some(), "[{}] .zmetadata lacks {}", t.label, p.name),
            ZarrFormat::V3 => assert!(doc["consolidated_metadata"]["metadata"].get(&p.name).is_some(), "[{}] zarr.json lacks {}", t.label, p.name),
        }
    }
    // Overwrite replaces exactly what was there.
    assert_eq!(prepare_target(&plain, true).await.unwrap(), Existing::Replaced(listed.len() as u64), "[{}] --overwrite", t.label);
    assert!(list_root(&plain).await.is_empty());
}

async fn prepare_target_refuses(t: &Target) {
    let ins = a1b();
    // An existing store: refused without overwrite, and left intact.
    let d = t.open("exists.zarr");
    upload::write_store(&ins, &d, &WriteOptions::default(), quiet(), CancellationToken::new()).await.unwrap();
    let n = list_root(&d).await.len();
    assert_code(t.label, "prepare_target on a store, no --overwrite", prepare_target(&d, false).await, Code::StoreExists);
    assert_eq!(list_root(&d).await.len(), n, "[{}] a refused target must be left intact", t.label);
    // An incomplete store (no .zmetadata yet) is a store too.
    d.store.delete(&d.key(".zmetadata")).await.unwrap();
    assert_code(t.label, "prepare_target on an incomplete store", prepare_target(&d, false).await, Code::StoreExists);
    assert_eq!(prepare_target(&d, true).await.unwrap(), Existing::Replaced(n as u64 - 1));

    // Objects that are not a Zarr store: refused with or without overwrite, never deleted.
    let other = t.open("not-a-store.zarr");
    for k in ["README.md", "data/table.csv", "sub/.zarray-not"] {
        other.store.put(&other.key(k), b"not zarr".to_vec().into()).await.unwrap();
    }
    let e = assert_code(t.label, "prepare_target on non-store objects", prepare_target(&other, false).await, Code::NotAStore);
    assert!(e.message.contains("3 object"), "[{}] {}", t.label, e.message);
    assert_code(t.label, "prepare_target --overwrite on non-store objects", prepare_target(&other, true).await, Code::NotAStore);
    assert_eq!(list_root(&other).await.len(), 3, "[{}] non-store objects must never be deleted", t.label);
    for k in ["README.md", "data/table.csv", "sub/.zarray-not"] {
        other.store.delete(&other.key(k)).await.unwrap();
    }
}

async fn test_write_leaves_nothing(t: &Target) {
    let ins = a1b();
    let before = t.everything().await;
    let d = t.open("tw.zarr");
    let r = test_write::test_write(&ins, &d, &WriteOptions::default(), false, quiet(), CancellationToken::new())
        .await
        .unwrap_or_else(|e| panic!("[{}] test_write: {e:?}", t.label));
    assert!(r.test_url.ends_with("/tw.ferry-test.zarr"), "[{}] {}", t.label, r.test_url);
    assert!(r.objects > 0 && r.bytes > 0 && !r.kept, "[{}] {r:?}", t.label);
    assert_eq!(t.everything().await, before, "[{}] test_write without --keep must leave nothing behind", t.label);
    // --keep leaves the test store, beside the real one, and nothing else.
    let r = test_write::test_write(&ins, &d, &WriteOptions::default(), true, quiet(), CancellationToken::new()).await.unwrap();
    let kept = t.open("tw.ferry-test.zarr");
    assert_eq!(list_root(&kept).await.len() as u64, r.objects, "[{}] kept test store", t.label);
    assert!(list_root(&d).await.is_empty(), "[{}] test_write must not touch the real store", t.label);
    prepare_target(&kept, true).await.unwrap();
    assert_eq!(t.everything().await, before);
}

// ---------------------------------------------------------------------------------------------
// The suite, once per kind
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_folder_conforms() {
    let t = local_target();
    assert_eq!(t.open("x.zarr").kind, Kind::Local);
    conformance(&t).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_conforms() {
    let Some(t) = s3_target() else { return };
    assert_eq!(t.open("x.zarr").kind, Kind::S3);
    conformance(&t).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gcs_conforms() {
    // Small list pages: every listing crosses continuation tokens.
    let t = gcs_target(&["--page-size", "7"]);
    assert_eq!(t.open("x.zarr").kind, Kind::Gcs);
    conformance(&t).await;
    let reqs = t.gcs.as_ref().unwrap().requests();
    assert!(reqs.iter().any(|(m, p, _)| m == "GET" && p.contains("continuation-token=")), "[gcs] no paginated listing happened");
}

// ---------------------------------------------------------------------------------------------
// Errors: each maps to its code, quickly.
// ---------------------------------------------------------------------------------------------

/// prepare_target (a list) and, if `put`, one put, on `url`: both must fail with `code`, within `limit`.
async fn expect_error(label: &str, url: &str, opts: &DestOptions, code: Code, limit: Duration, put: bool) {
    let d = Destination::open(url, opts).unwrap_or_else(|e| panic!("[{label}] open {url}: {e:?}"));
    let t0 = Instant::now();
    let e = assert_code(label, &format!("prepare_target {url}"), prepare_target(&d, false).await, code);
    let took = t0.elapsed();
    assert!(took < limit, "[{label}] prepare_target took {took:?} to fail ({})", e.message);
    assert!(!e.hint.is_empty(), "[{label}] no hint: {e:?}");
    if !put {
        return;
    }
    let t0 = Instant::now();
    let r = upload::put(d.store.as_ref(), &d.key(".zgroup"), b"{}".to_vec()).await.map_err(|e| ferry::store::store_error(&d.url, &e));
    assert_code(label, &format!("put into {url}"), r, code);
    assert!(t0.elapsed() < limit, "[{label}] put took {:?} to fail", t0.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_errors_have_codes() {
    let Some(srv) = start_s3(S3_KEY, S3_SECRET, &[BUCKET]) else {
        return skip(S3S_MISSING);
    };
    let good = s3_opts(&srv.endpoint, S3_GOOD_PROFILE);
    let bad = s3_opts(&srv.endpoint, S3_BAD_PROFILE);
    let url = format!("s3://{BUCKET}/runs/e.zarr");
    expect_error("s3 wrong secret", &url, &bad, Code::AccessDenied, Duration::from_secs(10), true).await;
    // Only the list: s3s-fs accepts a put into a missing bucket (it creates the folder), where
    // AWS and Ceph answer NoSuchBucket. The GCS test below checks the put too.
    expect_error("s3 missing bucket", "s3://no-such-bucket/runs/e.zarr", &good, Code::NoSuchBucket, Duration::from_secs(10), false).await;
    let closed = DestOptions { endpoint: Some(format!("http://127.0.0.1:{}", closed_port())), fail_fast: true, ..good.clone() };
    expect_error("s3 unreachable", &url, &closed, Code::StoreUnreachable, Duration::from_secs(10), true).await;
    // Nothing was written by any of them.
    assert!(std::fs::read_dir(srv.dir.join(BUCKET)).unwrap().next().is_none(), "the failed attempts left objects behind");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gcs_errors_have_codes() {
    let srv = start_gcs(TOKEN, &[BUCKET], &[]);
    let good_tok = token_file(TOKEN);
    let bad_tok = token_file("ya29.not-the-token");
    let good = DestOptions { endpoint: Some(srv.endpoint.clone()), token_file: Some(good_tok.path().into()), ..Default::default() };
    let bad = DestOptions { token_file: Some(bad_tok.path().into()), ..good.clone() };
    let url = format!("gs://{BUCKET}/runs/e.zarr");
    expect_error("gcs wrong token", &url, &bad, Code::AccessDenied, Duration::from_secs(10), true).await;
    expect_error("gcs missing bucket", "gs://no-such-bucket/runs/e.zarr", &good, Code::NoSuchBucket, Duration::from_secs(10), true).await;
    let closed = DestOptions { endpoint: Some(format!("http://127.0.0.1:{}", closed_port())), fail_fast: true, ..good.clone() };
    expect_error("gcs unreachable", &url, &closed, Code::StoreUnreachable, Duration::from_secs(10), true).await;
    assert!(srv.requests().iter().all(|(m, _, s)| m == "GET" || *s >= 400), "a failed attempt wrote something: {:?}", srv.requests());
}

/// A token that expires mid-upload (the stub answers 401 after N requests) stops the write with
/// access_denied, promptly, and without the consolidated metadata (the store is visibly incomplete).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gcs_token_expiring_mid_upload_is_access_denied() {
    let t = gcs_target(&["--fail-after", "6"]);
    let d = t.open("expiring.zarr");
    let t0 = Instant::now();
    let r = upload::write_store(&a1b(), &d, &WriteOptions::default(), quiet(), CancellationToken::new()).await;
    let e = assert_code("gcs expiring token", "write_store", r, Code::AccessDenied);
    assert!(t0.elapsed() < Duration::from_secs(30), "took {:?}", t0.elapsed());
    assert!(e.hint.to_lowercase().contains("sign in") || e.hint.to_lowercase().contains("token"), "{e:?}");
    let reqs = t.gcs.as_ref().unwrap().requests();
    assert!(!reqs.iter().any(|(m, p, s)| m == "PUT" && p.ends_with("/.zmetadata") && *s == 200), "the consolidated metadata was written: {reqs:?}");
}

/// A closed port whose number contains `digits` (e.g. 403 → 40300..40399): error texts hold the
/// URL, so a classifier that looks for "403" anywhere in them mistakes the port for a status.
fn closed_port_containing(digits: u16) -> u16 {
    (digits * 100..digits * 100 + 100)
        .find(|&p| std::net::TcpListener::bind(("127.0.0.1", p)).is_ok())
        .expect("a free port in the range")
}

/// The endpoint does not answer, whatever digits its port has: store_unreachable, not
/// access_denied (port 403xx or 401xx) or no_such_bucket (port 404xx and a bucket named *bucket*).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_is_unreachable_whatever_the_port_number() {
    s3_profiles();
    let tok = token_file(TOKEN);
    let mut wrong = Vec::new();
    for digits in [403u16, 401, 404] {
        let ep = format!("http://127.0.0.1:{}", closed_port_containing(digits));
        let s3 = DestOptions { endpoint: Some(ep.clone()), profile: Some(S3_GOOD_PROFILE.into()), fail_fast: true, ..Default::default() };
        let gcs = DestOptions { endpoint: Some(ep.clone()), token_file: Some(tok.path().into()), fail_fast: true, ..Default::default() };
        for (url, opts) in [("s3://my-bucket/runs/e.zarr", &s3), ("gs://my-bucket/runs/e.zarr", &gcs)] {
            let d = Destination::open(url, opts).unwrap();
            let t0 = Instant::now();
            match prepare_target(&d, false).await {
                Err(e) if e.code == Code::StoreUnreachable && t0.elapsed() < Duration::from_secs(10) => {}
                Err(e) => wrong.push(format!("{url} via {ep}: error[{}] in {:?}: {}", e.code.as_str(), t0.elapsed(), e.message)),
                Ok(v) => wrong.push(format!("{url} via {ep}: Ok({v:?})")),
            }
        }
    }
    assert!(wrong.is_empty(), "expected error[store_unreachable] for a closed port, got:\n{}", wrong.join("\n"));
}

/// A missing object in a bucket that exists is not a missing bucket, whatever the bucket is called
/// (here "my-bucket": the error text holds the URL, and with it the word "bucket").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_object_is_not_a_missing_bucket() {
    s3_profiles();
    let gcs = start_gcs(TOKEN, &["my-bucket"], &[]);
    let tok = token_file(TOKEN);
    let s3 = start_s3(S3_KEY, S3_SECRET, &["my-bucket"]);
    let mut cases = vec![("gs://my-bucket/runs/m.zarr", DestOptions { endpoint: Some(gcs.endpoint.clone()), token_file: Some(tok.path().into()), ..Default::default() })];
    match &s3 {
        Some(s) => cases.push(("s3://my-bucket/runs/m.zarr", s3_opts(&s.endpoint, S3_GOOD_PROFILE))),
        None => skip(S3S_MISSING),
    }
    let mut wrong = Vec::new();
    for (url, opts) in &cases {
        let d = Destination::open(url, opts).unwrap();
        let e = d.store.get(&d.key(".zmetadata")).await.map(|_| ()).expect_err("the object does not exist");
        assert!(matches!(e, object_store::Error::NotFound { .. }), "{url}: {e}");
        let fe = ferry::store::store_error(&d.url, &e);
        if fe.code == Code::NoSuchBucket {
            wrong.push(format!("{url}: a missing object became error[no_such_bucket]: {} (from: {e})", fe.message));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
