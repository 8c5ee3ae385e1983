//! The check that ends sign-in: can these credentials list, write and delete under this prefix?

use super::{store_error, Destination, Kind};
use crate::error::Error;
use futures::TryStreamExt;
use object_store::{ObjectStore, ObjectStoreExt};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AccessCheck {
    pub url: String,
    /// Where the credentials came from ("profile osn", "token file", ...): never a secret.
    pub who: Option<String>,
    pub can_list: bool,
    pub can_write: bool,
    pub can_delete: bool,
    /// The first failure of each step, with its code and fix.
    pub errors: Vec<Error>,
    /// LEAP's rules: write under your own name; leap-scratch is emptied after 7 days.
    pub warnings: Vec<String>,
}

impl AccessCheck {
    pub fn ok(&self) -> bool {
        self.can_list && self.can_write && self.can_delete
    }
}

pub fn prefix_warnings(dest: &Destination) -> Vec<String> {
    let mut w = Vec::new();
    let depth = dest.root.parts().count();
    if let Some(bucket) = &dest.bucket {
        if bucket == "leap-scratch" {
            w.push("leap-scratch is emptied after 7 days: use leap-persistent for data you want to keep.".to_string());
        }
        if bucket.starts_with("leap-") && depth < 2 {
            // No store name in the example: the wizard checks access with a probe name of its own.
            w.push(format!("{bucket} is shared: write under a folder of your own, e.g. {}://{bucket}/<github-username>/", if dest.kind == Kind::Gcs { "gs" } else { "s3" }));
        }
    }
    w
}

/// List the store's parent prefix, then write and delete one small object inside the store's path.
pub async fn check_access(dest: &Destination, who: Option<String>) -> AccessCheck {
    let mut c = AccessCheck { url: dest.url.clone(), who, can_list: false, can_write: false, can_delete: false, errors: Vec::new(), warnings: prefix_warnings(dest) };
    let listing: Result<Vec<_>, _> = dest.store.list(Some(&dest.root)).try_collect().await;
    match listing {
        Ok(_) | Err(object_store::Error::NotFound { .. }) => c.can_list = true,
        Err(e) => c.errors.push(store_error(&dest.url, &e)),
    }
    let probe = dest.key(".ferry-access-check");
    match dest.store.put(&probe, bytes::Bytes::from_static(b"ferry access check").into()).await {
        Ok(_) => c.can_write = true,
        Err(e) => c.errors.push(store_error(&dest.url, &e)),
    }
    if c.can_write {
        match dest.store.delete(&probe).await {
            Ok(()) => c.can_delete = true,
            Err(e) => c.errors.push(store_error(&dest.url, &e)),
        }
        if let Some(dir) = dest.local_path() {
            let _ = std::fs::remove_dir(dir); // only if the probe left it empty
        }
    }
    c
}
