//! Destinations: a local folder, S3 (Ceph/OSN included) and Google Cloud Storage, all as one
//! `object_store::ObjectStore` plus the store's root path inside it. Every key Ferry writes is
//! built here, under that root, so nothing can land outside the chosen store.

mod check;
mod errors;
mod gcs;
mod local;
mod s3;

pub use check::{check_access, prefix_warnings, AccessCheck};
pub use errors::store_error;

use crate::error::{Code, Error, Result};
use object_store::path::{Path, PathPart};
use object_store::ObjectStore;
use std::sync::Arc;

/// How to reach a destination, beyond its URL.
#[derive(Debug, Clone, Default)]
pub struct DestOptions {
    /// S3 endpoint (`--endpoint`, else `AWS_ENDPOINT_URL`); for `gs://`, a base URL (tests, emulators).
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// A profile of `~/.aws/credentials` (`--profile`, else `AWS_PROFILE`).
    pub profile: Option<String>,
    /// A file holding a bare GCS access token (`gcloud auth print-access-token`).
    pub token_file: Option<std::path::PathBuf>,
    /// Fail fast: few retries, short timeouts (test writes and sign-in checks).
    pub fail_fast: bool,
    /// Keys typed into the wizard (access key id, secret): held in memory only, never written.
    pub s3_keys: Option<(String, crate::auth::Secret)>,
    /// A GCS access token pasted into the wizard: held in memory only.
    pub gcs_token: Option<crate::auth::Secret>,
    /// A browser sign-in to Google (renews its own token): held in memory only.
    pub gcs_session: Option<Arc<crate::auth::google_oauth::GoogleSession>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Kind {
    Local,
    S3,
    Gcs,
}

/// A store location that can be written: the object store and the store's root inside it.
#[derive(Debug, Clone)]
pub struct Destination {
    pub store: Arc<dyn ObjectStore>,
    pub root: Path,
    pub kind: Kind,
    /// The URL as the user gave it, normalised (`s3://bucket/a/b.zarr`, `/abs/path/b.zarr`). Never holds a secret.
    pub url: String,
    pub bucket: Option<String>,
    pub endpoint: Option<String>,
    /// Remembered so a sibling (the test store) can be opened the same way.
    opts: DestOptions,
}

/// One TLS provider (ring; see Cargo.toml) for every https connection, installed before the
/// first HTTP client is built (reqwest needs it, and the library has no `main` to do it in).
pub(crate) fn ensure_tls() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl Destination {
    /// Parse a destination: a local path, `file://`, `s3://bucket/prefix`, or `gs://bucket/prefix`.
    pub fn open(url: &str, opts: &DestOptions) -> Result<Destination> {
        ensure_tls();
        let url = url.trim();
        if url.is_empty() {
            return Err(bad(url, "the destination is empty"));
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, parts) = split_bucket(url, rest)?;
            return s3::open(url, bucket, parts, opts);
        }
        if let Some(rest) = url.strip_prefix("gs://").or_else(|| url.strip_prefix("gcs://")) {
            let (bucket, parts) = split_bucket(url, rest)?;
            return gcs::open(url, bucket, parts, opts);
        }
        if let Some((scheme, _)) = url.split_once("://") {
            if scheme != "file" {
                return Err(Error::new(
                    Code::BadDestination,
                    format!("{url}: Ferry cannot write to {scheme}:// destinations"),
                    "Use a local folder, s3://bucket/prefix/name.zarr or gs://bucket/prefix/name.zarr.",
                ));
            }
        }
        local::open(url, opts)
    }

    /// The key of `rel` (e.g. `tas/.zarray`, `tas/0.0.0`) inside the store. Each segment is
    /// escaped by object_store (`..`, `/` and `%` cannot escape the root).
    pub fn key(&self, rel: &str) -> Path {
        let mut p = self.root.clone();
        for seg in rel.split('/') {
            p = p.join(PathPart::from(seg));
        }
        p
    }

    /// The key of one variable's file: `name` is escaped as one path segment.
    pub fn var_key(&self, var: &str, rel: &str) -> Path {
        let mut p = self.root.clone().join(PathPart::from(var));
        for seg in rel.split('/') {
            p = p.join(PathPart::from(seg));
        }
        p
    }

    /// A store beside this one (same parent, other name): where the test write goes.
    pub fn sibling(&self, name: &str) -> Result<Destination> {
        let parent = match self.url.rfind('/') {
            Some(i) => &self.url[..i],
            None => ".",
        };
        Destination::open(&format!("{parent}/{name}"), &self.opts)
    }

    /// The store's folder, for a local destination.
    pub fn local_path(&self) -> Option<std::path::PathBuf> {
        (self.kind == Kind::Local).then(|| std::path::PathBuf::from(&self.url))
    }

    /// The store's name (last path segment), e.g. `a1b.zarr`.
    pub fn name(&self) -> String {
        self.root.filename().unwrap_or("store").to_string()
    }

    /// The https form readers can use without credentials where the bucket is public (OSN, GCS).
    pub fn public_url(&self) -> String {
        match self.kind {
            Kind::Local => self.url.clone(),
            Kind::S3 => {
                let ep = self.endpoint.clone().unwrap_or_else(|| "https://s3.amazonaws.com".into());
                format!("{}/{}/{}", ep.trim_end_matches('/'), self.bucket.as_deref().unwrap_or(""), self.root)
            }
            Kind::Gcs => format!("https://storage.googleapis.com/{}/{}", self.bucket.as_deref().unwrap_or(""), self.root),
        }
    }

    /// The line a reader types: `xr.open_dataset(url, engine="zarr", chunks={})`.
    pub fn open_snippet(&self) -> String {
        match self.kind {
            Kind::Local => format!("xr.open_dataset({:?}, engine=\"zarr\", chunks={{}})", self.url),
            Kind::Gcs => format!("xr.open_dataset({:?}, engine=\"zarr\", chunks={{}})", self.url),
            Kind::S3 => match &self.endpoint {
                Some(ep) => format!(
                    "xr.open_dataset({:?}, engine=\"zarr\", chunks={{}}, storage_options={{\"anon\": True, \"client_kwargs\": {{\"endpoint_url\": {:?}}}}})",
                    self.url, ep
                ),
                None => format!("xr.open_dataset({:?}, engine=\"zarr\", chunks={{}})", self.url),
            },
        }
    }
}

fn bad(url: &str, why: &str) -> Error {
    Error::new(
        Code::BadDestination,
        format!("{url}: {why}"),
        "Give a local folder, s3://bucket/prefix/name.zarr or gs://bucket/prefix/name.zarr.",
    )
}

/// `bucket/a/b.zarr` → ("bucket", ["a", "b.zarr"]). Refuses `..`, `.`, empty segments and escapes.
fn split_bucket<'a>(url: &str, rest: &'a str) -> Result<(&'a str, Vec<&'a str>)> {
    let mut it = rest.trim_end_matches('/').split('/');
    let bucket = it.next().unwrap_or_default();
    if bucket.is_empty() {
        return Err(bad(url, "no bucket name"));
    }
    let parts: Vec<&str> = it.collect();
    if parts.is_empty() {
        return Err(bad(url, "no store name after the bucket (write into a prefix, e.g. s3://bucket/you/name.zarr)"));
    }
    for p in &parts {
        check_segment(url, p)?;
    }
    Ok((bucket, parts))
}

/// One path segment of a destination the user typed.
pub(crate) fn check_segment(url: &str, seg: &str) -> Result<()> {
    if seg.is_empty() || seg == "." || seg == ".." {
        return Err(bad(url, &format!("the path segment \"{seg}\" is not allowed")));
    }
    if seg.contains('%') || seg.contains('\\') || seg.chars().any(char::is_control) {
        return Err(bad(url, &format!("the path segment \"{seg}\" holds %, \\ or control characters")));
    }
    Ok(())
}

fn root_path(url: &str, parts: &[&str]) -> Result<Path> {
    let mut p = Path::default();
    for seg in parts {
        check_segment(url, seg)?;
        p = p.join(PathPart::from(*seg));
    }
    Ok(p)
}
