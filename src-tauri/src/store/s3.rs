//! S3 and S3-compatible services (Ceph RGW on the OSN pod, MinIO, AWS).
//! Path-style requests, no bucket creation, no ACL calls: only put/get/head/list/delete under the prefix.

use super::{root_path, DestOptions, Destination, Kind};
use crate::auth::s3_credentials;
use crate::error::Result;
use object_store::aws::AmazonS3Builder;
use object_store::{ClientOptions, RetryConfig};
use std::sync::Arc;
use std::time::Duration;

pub fn open(url: &str, bucket: &str, parts: Vec<&str>, opts: &DestOptions) -> Result<Destination> {
    let creds = match &opts.s3_keys {
        Some((id, secret)) => s3_credentials::S3Credentials { keys: Some((id.clone(), secret.clone(), None)), source: "keys entered in Ferry".into(), ..Default::default() },
        None => s3_credentials::resolve(opts.profile.as_deref())?,
    };
    let endpoint = opts.endpoint.clone().or_else(|| std::env::var("AWS_ENDPOINT_URL").ok()).or(creds.endpoint.clone()).filter(|e| !e.is_empty());
    let region = opts
        .region
        .clone()
        .or_else(|| std::env::var("AWS_REGION").ok())
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
        .or(creds.region.clone())
        .unwrap_or_else(|| "us-east-1".into());
    let mut b = AmazonS3Builder::new()
        .with_bucket_name(bucket)
        .with_region(region)
        .with_virtual_hosted_style_request(false)
        .with_client_options(client_options(opts.fail_fast))
        .with_retry(retry(opts.fail_fast));
    if let Some(ep) = &endpoint {
        b = b.with_endpoint(ep.trim_end_matches('/')).with_allow_http(ep.starts_with("http://"));
    }
    // Over TLS the body is already protected on the wire: signing it would cost a SHA-256 pass over
    // every byte uploaded (botocore also sends UNSIGNED-PAYLOAD over https). Over http it is signed.
    b = b.with_unsigned_payload(endpoint.as_deref().is_none_or(|e| e.starts_with("https://")));
    match &creds.keys {
        Some((id, secret, token)) => {
            b = b.with_access_key_id(id).with_secret_access_key(secret.expose());
            if let Some(t) = token {
                b = b.with_token(t.expose());
            }
        }
        // Public buckets can still be read; writes will answer 403 with a clear message.
        None => b = b.with_skip_signature(true),
    }
    let store = b.build().map_err(|e| super::store_error(url, &e))?;
    Ok(Destination {
        store: Arc::new(store),
        root: root_path(url, &parts)?,
        kind: Kind::S3,
        url: format!("s3://{bucket}/{}", parts.join("/")),
        bucket: Some(bucket.to_string()),
        endpoint,
        opts: opts.clone(),
    })
}

pub(super) fn client_options(fail_fast: bool) -> ClientOptions {
    let o = ClientOptions::new().with_connect_timeout(Duration::from_secs(if fail_fast { 3 } else { 10 }));
    if fail_fast {
        o.with_timeout(Duration::from_secs(8))
    } else {
        o.with_timeout(Duration::from_secs(120))
    }
}

pub(super) fn retry(fail_fast: bool) -> RetryConfig {
    let mut r = RetryConfig::default();
    if fail_fast {
        r.max_retries = 1;
        r.retry_timeout = Duration::from_secs(6);
    }
    r
}
