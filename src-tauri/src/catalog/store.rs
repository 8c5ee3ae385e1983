//! Where the Zarr store is, how others reach it, and whether it is complete.
//!
//! A store is complete when its consolidated metadata is there: `.zmetadata` (Zarr v2) or a
//! `consolidated_metadata` member in the root `zarr.json` (Zarr v3). Writers add it last, so
//! without it the upload did not finish and a draft must say so.

use super::redact::redact;
use crate::error::{Code, Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// The S3 endpoint of LEAP-Pangeo's pod on the Open Storage Network.
pub const OSN_ENDPOINT: &str = "https://nyu1.osn.mghpcc.org";
/// Public HTTPS base of Google Cloud Storage.
pub const GCS_PUBLIC: &str = "https://storage.googleapis.com";

/// The kind of storage a store lives in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum StoreKind {
    /// A folder on this machine (nobody else can read it).
    Local,
    /// An S3-compatible bucket. `endpoint` is the service URL (the OSN pod's by default);
    /// `None` means Amazon S3 itself.
    S3 { endpoint: Option<String>, bucket: String },
    /// A Google Cloud Storage bucket.
    Gcs { bucket: String },
}

/// One array of the store, from its consolidated metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StoreArray {
    pub name: String,
    pub dims: Vec<String>,
    #[ts(type = "Array<number>")]
    pub shape: Vec<u64>,
    /// The chunk (Zarr v3 with sharding: the shard) shape.
    #[ts(type = "Array<number>")]
    pub chunks: Vec<u64>,
    /// Zarr v3 sharding: the inner chunk shape readers fetch.
    #[ts(type = "Array<number> | null")]
    pub inner_chunks: Option<Vec<u64>>,
    /// The compression codec (`zstd`, `blosc/lz4`, …); `None` when uncompressed or unknown.
    pub compressor: Option<String>,
}

/// What a draft needs to know about the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StoreInfo {
    /// The store's URL as people write it (`s3://bucket/path`, `gs://bucket/path`, or a local
    /// path with the home directory as `~`), without credentials.
    pub url: String,
    /// The URL anyone can open over HTTPS, for object storage.
    pub public_url: Option<String>,
    pub kind: StoreKind,
    /// Consolidated metadata is present: the upload finished.
    pub complete: bool,
    /// Bytes the store takes, where known.
    #[ts(type = "number | null")]
    pub zarr_bytes: Option<u64>,
    /// 2 or 3, where known.
    pub zarr_format: Option<u8>,
    /// The arrays and their chunks, from the consolidated metadata (empty when unknown).
    pub arrays: Vec<StoreArray>,
    /// The store's global text attributes, from the consolidated metadata.
    pub attrs: BTreeMap<String, String>,
}

impl StoreInfo {
    /// The path inside the bucket (object storage) or the folder path (local), no slashes around.
    pub fn key(&self) -> &str {
        let rest = self.url.split_once("://").map_or(self.url.as_str(), |(_, r)| r);
        match &self.kind {
            StoreKind::Local => self.url.trim_end_matches('/'),
            _ => rest.split_once('/').map_or("", |(_, k)| k).trim_matches('/'),
        }
    }

    /// The store's own name: its last path segment without `.zarr` (`a1b` for `…/a1b.zarr`).
    pub fn name(&self) -> Option<String> {
        let key = self.key().trim_end_matches('/');
        let last = key.rsplit(['/', '\\']).next().unwrap_or("");
        let name = last.strip_suffix(".zarr").or_else(|| last.split_once(".zarr").map(|(a, _)| a)).unwrap_or(last);
        (!name.is_empty() && name != "~").then(|| name.to_string())
    }

    /// Whether it lives on the Open Storage Network pod.
    pub fn is_osn(&self) -> bool {
        matches!(&self.kind, StoreKind::S3 { endpoint: Some(e), .. } if e.contains("osn.mghpcc.org") || e.contains("osn.xsede.org"))
    }

    /// The URL a catalog entry and `xr.open_dataset` should use: the public HTTPS one for S3
    /// pods (LEAP's catalog turns `s3://` into Amazon URLs), `gs://` for GCS, else `url`.
    pub fn open_url(&self) -> &str {
        match &self.kind {
            StoreKind::S3 { .. } => self.public_url.as_deref().unwrap_or(&self.url),
            _ => &self.url,
        }
    }
}

/// Where `url` points, without looking at it: kind, public URL, credentials removed.
/// `complete` is false and nothing is known about the contents.
/// `endpoint` applies to `s3://` URLs; `None` means the OSN pod.
pub fn store_location(url: &str, endpoint: Option<&str>) -> Result<StoreInfo> {
    let url = url.trim();
    if url.is_empty() {
        return Err(Error::bad_argument("the store URL is empty", "Give the store as s3://bucket/path.zarr, gs://bucket/path.zarr or a folder path."));
    }
    let info = |url: String, public_url: Option<String>, kind: StoreKind| StoreInfo {
        url,
        public_url,
        kind,
        complete: false,
        zarr_bytes: None,
        zarr_format: None,
        arrays: Vec::new(),
        attrs: BTreeMap::new(),
    };
    if let Some((scheme, rest)) = url.split_once("://") {
        let scheme = scheme.to_ascii_lowercase();
        // Drop user-info (`s3://key:secret@bucket`), query and fragment: never part of a draft.
        let rest = rest.split(['?', '#']).next().unwrap_or("");
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r).trim_end_matches('/');
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        let key = key.trim_matches('/');
        let bad = || {
            Error::new(
                Code::BadDestination,
                format!("{}: no bucket in the store URL", redact(url)),
                format!("Write it as {scheme}://BUCKET/PATH/NAME.zarr."),
            )
        };
        let join = |base: &str| if key.is_empty() { format!("{base}/{bucket}") } else { format!("{base}/{bucket}/{key}") };
        let plain = if key.is_empty() { format!("{scheme}://{bucket}") } else { format!("{scheme}://{bucket}/{key}") };
        match scheme.as_str() {
            "s3" => {
                if bucket.is_empty() {
                    return Err(bad());
                }
                let endpoint = endpoint.unwrap_or(OSN_ENDPOINT).trim().trim_end_matches('/');
                let endpoint = redact(endpoint);
                let (public, endpoint) = if endpoint.is_empty() || endpoint.contains("amazonaws.com") && !endpoint.contains(bucket) {
                    let k = if key.is_empty() { String::new() } else { format!("/{key}") };
                    (format!("https://{bucket}.s3.amazonaws.com{k}"), None)
                } else {
                    (join(&endpoint), Some(endpoint))
                };
                return Ok(info(plain, Some(public), StoreKind::S3 { endpoint, bucket: bucket.to_string() }));
            }
            "gs" | "gcs" => {
                if bucket.is_empty() {
                    return Err(bad());
                }
                let plain = plain.replacen("gcs://", "gs://", 1);
                return Ok(info(plain, Some(join(GCS_PUBLIC)), StoreKind::Gcs { bucket: bucket.to_string() }));
            }
            "https" | "http" => {
                // A public URL of a known service: recognise it.
                let host = bucket.to_ascii_lowercase();
                if host == "storage.googleapis.com" {
                    let (b, k) = key.split_once('/').unwrap_or((key, ""));
                    return store_location(&format!("gs://{b}/{k}"), None);
                }
                if host.ends_with("osn.mghpcc.org") || host.ends_with("osn.xsede.org") {
                    let (b, k) = key.split_once('/').unwrap_or((key, ""));
                    return store_location(&format!("s3://{b}/{k}"), Some(&format!("https://{host}")));
                }
                return Err(Error::new(
                    Code::Unsupported,
                    format!("{}: Ferry drafts catalog requests for s3://, gs:// and local stores", redact(url)),
                    "Give the store as s3://BUCKET/PATH (OSN pod or other S3) or gs://BUCKET/PATH.",
                ));
            }
            "file" => {
                let path = rest_path(url);
                return Ok(info(redact(&path.to_string_lossy()), None, StoreKind::Local));
            }
            _ => {
                return Err(Error::new(
                    Code::Unsupported,
                    format!("{}: unknown kind of store URL ({scheme}://)", redact(url)),
                    "Give the store as s3://BUCKET/PATH, gs://BUCKET/PATH or a folder path.",
                ));
            }
        }
    }
    let path = expand_tilde(url);
    let shown = std::path::absolute(&path).unwrap_or(path);
    Ok(info(redact(&shown.to_string_lossy()), None, StoreKind::Local))
}

fn rest_path(url: &str) -> PathBuf {
    // file:///abs/path or file://localhost/abs/path
    let rest = &url[url.find("://").map_or(0, |i| i + 3)..];
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    PathBuf::from(percent_decode(rest))
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn expand_tilde(p: &str) -> PathBuf {
    match p.strip_prefix("~/").or_else(|| (p == "~").then_some("")) {
        Some(rest) => match std::env::var_os("HOME") {
            Some(h) => Path::new(&h).join(rest),
            None => PathBuf::from(p),
        },
        None => PathBuf::from(p),
    }
}

/// The local folder a store URL names, if it is local.
pub fn local_path(url: &str) -> Option<PathBuf> {
    let url = url.trim();
    match url.split_once("://") {
        Some((s, _)) if s.eq_ignore_ascii_case("file") => Some(rest_path(url)),
        Some(_) => None,
        None => Some(expand_tilde(url)),
    }
}

/// Where the store is and whether it is complete. Local folders (and `file://` URLs) are read
/// now; `s3://` and `gs://` stores answer `Code::Unsupported` until the store layer provides
/// remote reads (then: same checks over object storage).
pub fn store_status(url: &str, endpoint: Option<&str>) -> Result<StoreInfo> {
    let opts = crate::store::DestOptions { endpoint: endpoint.map(str::to_string), fail_fast: true, ..Default::default() };
    store_status_with(url, &opts)
}

/// [`store_status`] with full access options (profile, token file) for remote stores.
pub fn store_status_with(url: &str, opts: &crate::store::DestOptions) -> Result<StoreInfo> {
    let mut info = store_location(url, opts.endpoint.as_deref())?;
    if let Some(path) = local_path(url).filter(|_| info.kind == StoreKind::Local) {
        read_local(&path, &mut info)?;
        return Ok(info);
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(Code::Internal, format!("cannot start the async runtime: {e}"), ""))?;
    rt.block_on(read_remote(url, opts, &mut info))?;
    Ok(info)
}

/// Read the root metadata through the destination layer and size the store by listing it.
pub async fn read_remote(url: &str, opts: &crate::store::DestOptions, info: &mut StoreInfo) -> Result<()> {
    use futures::TryStreamExt;
    use object_store::{ObjectStore, ObjectStoreExt};
    let dest = crate::store::Destination::open(url, opts)?;
    let get = |key: &'static str| {
        let dest = dest.clone();
        async move {
            match dest.store.get(&dest.key(key)).await {
                Ok(r) => r.bytes().await.map(|b| Some(b.to_vec())).map_err(|e| crate::store::store_error(&dest.url, &e)),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(crate::store::store_error(&dest.url, &e)),
            }
        }
    };
    let root = RootMetadata { zarr_json: get("zarr.json").await?, zmetadata: get(".zmetadata").await?, zattrs: get(".zattrs").await?, zgroup: get(".zgroup").await?.is_some() };
    if root.zarr_json.is_none() && root.zmetadata.is_none() && root.zattrs.is_none() && !root.zgroup {
        return Err(Error::new(Code::NotAStore, format!("{}: no Zarr store there", dest.url), "Check the store's URL (bucket, prefix and name)."));
    }
    fill_from_metadata(info, &root)?;
    let sizes: Vec<u64> = dest.store.list(Some(&dest.root)).map_ok(|m| m.size).try_collect().await.map_err(|e| crate::store::store_error(&dest.url, &e))?;
    info.zarr_bytes = Some(sizes.iter().sum());
    Ok(())
}

/// The root metadata objects of a store, as raw bytes (`None` when absent). Local folders and
/// object stores both read these four keys, then call [`fill_from_metadata`].
#[derive(Debug, Clone, Default)]
pub struct RootMetadata {
    /// `zarr.json` (Zarr v3).
    pub zarr_json: Option<Vec<u8>>,
    /// `.zmetadata` (Zarr v2 consolidated metadata).
    pub zmetadata: Option<Vec<u8>>,
    /// `.zattrs` (Zarr v2 group attributes).
    pub zattrs: Option<Vec<u8>>,
    /// Whether `.zgroup` exists (Zarr v2).
    pub zgroup: bool,
}

/// Fill `info` (format, completeness, arrays, attributes) from the root metadata. Sizes are
/// the caller's: [`read_local`] sums the folder, a remote reader lists the prefix.
pub fn fill_from_metadata(info: &mut StoreInfo, root: &RootMetadata) -> Result<()> {
    let parse = |name: &str, bytes: &Option<Vec<u8>>| -> Result<Option<serde_json::Value>> {
        bytes
            .as_deref()
            .map(|b| {
                serde_json::from_slice(b).map_err(|e| {
                    Error::new(Code::NotAStore, format!("{}/{name}: not valid JSON ({e})", info.url), "The store's metadata is damaged: write the store again.")
                })
            })
            .transpose()
    };
    let v3 = parse("zarr.json", &root.zarr_json)?;
    let zmeta = parse(".zmetadata", &root.zmetadata)?;
    let zattrs = parse(".zattrs", &root.zattrs)?;
    if let Some(r) = v3.filter(|r| r.get("zarr_format").and_then(|f| f.as_u64()) == Some(3)) {
        info.zarr_format = Some(3);
        info.attrs = text_attrs(r.get("attributes"));
        let consolidated = r.get("consolidated_metadata").and_then(|c| c.get("metadata")).and_then(|m| m.as_object());
        info.complete = consolidated.is_some();
        info.arrays = consolidated.map(|m| m.iter().filter_map(|(name, a)| v3_array(name, a)).collect()).unwrap_or_default();
    } else if zmeta.is_some() || root.zgroup || zattrs.is_some() {
        info.zarr_format = Some(2);
        if let Some(m) = zmeta.as_ref().and_then(|z| z.get("metadata")).and_then(|m| m.as_object()) {
            info.complete = true;
            info.attrs = text_attrs(m.get(".zattrs"));
            info.arrays = m
                .iter()
                .filter_map(|(k, a)| {
                    let name = k.strip_suffix("/.zarray")?;
                    let dims = m.get(&format!("{name}/.zattrs")).and_then(|z| z.get("_ARRAY_DIMENSIONS"));
                    Some(StoreArray {
                        name: name.to_string(),
                        dims: strings(dims),
                        shape: u64s(a.get("shape")),
                        chunks: u64s(a.get("chunks")),
                        inner_chunks: None,
                        compressor: a.get("compressor").and_then(codec_name),
                    })
                })
                .collect();
        } else {
            info.complete = false;
            info.attrs = text_attrs(zattrs.as_ref());
            info.arrays = Vec::new();
        }
    } else {
        return Err(Error::new(
            Code::NotAStore,
            format!("{}: not a Zarr store (no zarr.json, .zgroup or .zmetadata)", info.url),
            "Give the Zarr store itself, e.g. …/dataset.zarr.",
        ));
    }
    info.arrays.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(())
}

/// Fill `info` from a local store folder: completeness, format, size, arrays, attributes.
pub fn read_local(path: &Path, info: &mut StoreInfo) -> Result<()> {
    if !path.is_dir() {
        let what = if path.exists() { "not a folder" } else { "no such folder" };
        return Err(Error::new(
            if path.exists() { Code::NotAStore } else { Code::PathNotFound },
            format!("{}: {what}", info.url),
            "Give the Zarr store's folder (the one holding .zgroup/.zmetadata or zarr.json).",
        ));
    }
    let read = |name: &str| -> Result<Option<Vec<u8>>> {
        let p = path.join(name);
        match std::fs::read(&p) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(Path::new(&redact(&p.to_string_lossy())), &e)),
        }
    };
    let root = RootMetadata { zarr_json: read("zarr.json")?, zmetadata: read(".zmetadata")?, zattrs: read(".zattrs")?, zgroup: path.join(".zgroup").is_file() };
    fill_from_metadata(info, &root)?;
    info.zarr_bytes = Some(walkdir::WalkDir::new(path).into_iter().filter_map(|e| e.ok()).filter(|e| e.file_type().is_file()).filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum());
    Ok(())
}

fn v3_array(name: &str, a: &serde_json::Value) -> Option<StoreArray> {
    if a.get("node_type").and_then(|t| t.as_str()) != Some("array") {
        return None;
    }
    let chunks = u64s(a.pointer("/chunk_grid/configuration/chunk_shape"));
    let inner = a
        .get("codecs")
        .and_then(|c| c.as_array())
        .and_then(|cs| cs.iter().find(|c| c.get("name").and_then(|n| n.as_str()) == Some("sharding_indexed")))
        .map(|s| u64s(s.pointer("/configuration/chunk_shape")));
    let compressor = v3_compressor(a.get("codecs"));
    Some(StoreArray { name: name.to_string(), dims: strings(a.get("dimension_names")), shape: u64s(a.get("shape")), chunks, inner_chunks: inner, compressor })
}

/// `{"id": "blosc", "cname": "zstd"}` (v2) or `{"name": "blosc", "configuration": {"cname": "zstd"}}` (v3) → `blosc/zstd`.
fn codec_name(c: &serde_json::Value) -> Option<String> {
    let name = c.get("id").or_else(|| c.get("name")).and_then(|n| n.as_str())?;
    let cname = c.get("cname").or_else(|| c.pointer("/configuration/cname")).and_then(|n| n.as_str());
    Some(match cname {
        Some(cn) => format!("{name}/{cn}"),
        None => name.to_string(),
    })
}

/// The first bytes-to-bytes codec of a v3 codec chain (inside sharding too).
fn v3_compressor(codecs: Option<&serde_json::Value>) -> Option<String> {
    for c in codecs?.as_array()? {
        match c.get("name").and_then(|n| n.as_str())? {
            "sharding_indexed" => return v3_compressor(c.pointer("/configuration/codecs")),
            "bytes" | "transpose" | "crc32c" | "vlen-utf8" | "vlen-bytes" => continue,
            _ => return codec_name(c),
        }
    }
    None
}

fn u64s(v: Option<&serde_json::Value>) -> Vec<u64> {
    v.and_then(|v| v.as_array()).map(|a| a.iter().filter_map(|x| x.as_u64()).collect()).unwrap_or_default()
}

fn strings(v: Option<&serde_json::Value>) -> Vec<String> {
    v.and_then(|v| v.as_array()).map(|a| a.iter().map(|x| x.as_str().unwrap_or("").to_string()).collect()).unwrap_or_default()
}

fn text_attrs(v: Option<&serde_json::Value>) -> BTreeMap<String, String> {
    v.and_then(|v| v.as_object())
        .map(|o| o.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string()))).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        let s = store_location("s3://leap-pangeo-inbox/alice/a1b.zarr", None).unwrap();
        assert_eq!(s.url, "s3://leap-pangeo-inbox/alice/a1b.zarr");
        assert_eq!(s.public_url.as_deref(), Some("https://nyu1.osn.mghpcc.org/leap-pangeo-inbox/alice/a1b.zarr"));
        assert_eq!(s.kind, StoreKind::S3 { endpoint: Some(OSN_ENDPOINT.into()), bucket: "leap-pangeo-inbox".into() });
        assert!(s.is_osn());
        assert_eq!(s.key(), "alice/a1b.zarr");
        assert_eq!(s.name().as_deref(), Some("a1b"));
        assert_eq!(s.open_url(), "https://nyu1.osn.mghpcc.org/leap-pangeo-inbox/alice/a1b.zarr");

        let g = store_location("gs://leap-persistent/bob/winds.zarr/", None).unwrap();
        assert_eq!(g.url, "gs://leap-persistent/bob/winds.zarr");
        assert_eq!(g.public_url.as_deref(), Some("https://storage.googleapis.com/leap-persistent/bob/winds.zarr"));
        assert_eq!(g.open_url(), "gs://leap-persistent/bob/winds.zarr");

        let a = store_location("s3://KEY:SECRET@b/x.zarr?X-Amz-Signature=1", Some("")).unwrap();
        assert_eq!(a.url, "s3://b/x.zarr");
        assert_eq!(a.public_url.as_deref(), Some("https://b.s3.amazonaws.com/x.zarr"));
        assert_eq!(a.kind, StoreKind::S3 { endpoint: None, bucket: "b".into() });

        let h = store_location("https://nyu1.osn.mghpcc.org/leap-pangeo-manual/x.zarr", None).unwrap();
        assert_eq!(h.url, "s3://leap-pangeo-manual/x.zarr");
        assert!(h.is_osn());
        assert!(store_location("s3:///x", None).is_err());
        assert_eq!(store_location("ftp://x/y", None).unwrap_err().code, Code::Unsupported);
        // Remote stores are read through the destination layer: a closed loopback port is unreachable.
        assert_eq!(store_status("s3://b/x.zarr", Some("http://127.0.0.1:9")).unwrap_err().code, Code::StoreUnreachable);
    }

    #[test]
    fn local_v2_and_v3() {
        let d = tempfile::tempdir().unwrap();
        let v2 = d.path().join("a.zarr");
        std::fs::create_dir_all(v2.join("t")).unwrap();
        std::fs::write(v2.join(".zgroup"), r#"{"zarr_format":2}"#).unwrap();
        let s = store_status(v2.to_str().unwrap(), None).unwrap();
        assert!(!s.complete);
        assert_eq!(s.zarr_format, Some(2));
        std::fs::write(
            v2.join(".zmetadata"),
            r#"{"metadata":{".zattrs":{"title":"T"},".zgroup":{"zarr_format":2},"t/.zarray":{"shape":[10],"chunks":[5]},"t/.zattrs":{"_ARRAY_DIMENSIONS":["time"]}},"zarr_consolidated_format":1}"#,
        )
        .unwrap();
        let s = store_status(&format!("file://{}", v2.display()), None).unwrap();
        assert!(s.complete);
        assert_eq!(s.attrs.get("title").map(String::as_str), Some("T"));
        assert_eq!(s.arrays, vec![StoreArray { name: "t".into(), dims: vec!["time".into()], shape: vec![10], chunks: vec![5], inner_chunks: None, compressor: None }]);
        assert!(s.zarr_bytes.unwrap() > 100);

        let v3 = d.path().join("b.zarr");
        std::fs::create_dir_all(&v3).unwrap();
        std::fs::write(v3.join("zarr.json"), r#"{"zarr_format":3,"node_type":"group","attributes":{}}"#).unwrap();
        assert!(!store_status(v3.to_str().unwrap(), None).unwrap().complete);
        std::fs::write(
            v3.join("zarr.json"),
            r#"{"zarr_format":3,"node_type":"group","attributes":{},"consolidated_metadata":{"kind":"inline","must_understand":false,"metadata":{"u":{"node_type":"array","zarr_format":3,"shape":[4,6],"dimension_names":["y","x"],"chunk_grid":{"name":"regular","configuration":{"chunk_shape":[4,6]}},"codecs":[{"name":"sharding_indexed","configuration":{"chunk_shape":[2,3],"codecs":[{"name":"bytes"},{"name":"zstd","configuration":{"level":3}}]}}]}}}}"#,
        )
        .unwrap();
        let s = store_status(v3.to_str().unwrap(), None).unwrap();
        assert!(s.complete);
        assert_eq!(s.arrays[0].inner_chunks, Some(vec![2, 3]));
        assert_eq!(s.arrays[0].compressor.as_deref(), Some("zstd"));

        let empty = d.path().join("c");
        std::fs::create_dir_all(&empty).unwrap();
        assert_eq!(store_status(empty.to_str().unwrap(), None).unwrap_err().code, Code::NotAStore);
        assert_eq!(store_status(d.path().join("nope").to_str().unwrap(), None).unwrap_err().code, Code::PathNotFound);
    }
}
