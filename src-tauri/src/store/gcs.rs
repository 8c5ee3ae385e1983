//! Google Cloud Storage through its XML API (what object_store speaks).

use super::{root_path, DestOptions, Destination, Kind};
use crate::auth::gcs_credentials;
use crate::error::Result;
use object_store::gcp::GoogleCloudStorageBuilder;
use std::sync::Arc;

pub fn open(url: &str, bucket: &str, parts: Vec<&str>, opts: &DestOptions) -> Result<Destination> {
    let mut b = GoogleCloudStorageBuilder::new()
        .with_bucket_name(bucket)
        .with_retry(super::s3::retry(opts.fail_fast));
    let mut client = super::s3::client_options(opts.fail_fast);
    if let Some(base) = &opts.endpoint {
        b = b.with_base_url(base.trim_end_matches('/'));
        client = client.with_allow_http(base.starts_with("http://"));
    }
    b = b.with_client_options(client);
    b = match (&opts.gcs_token, &opts.gcs_session) {
        // A token pasted later (after the first one expired) wins over what was signed in with.
        (Some(t), _) => b.with_bearer_token(t.expose()),
        (None, Some(s)) => b.with_credentials(s.clone()),
        (None, None) => gcs_credentials::apply(b, opts.token_file.as_deref())?,
    };
    let store = b.build().map_err(|e| super::store_error(url, &e))?;
    Ok(Destination {
        store: Arc::new(store),
        root: root_path(url, &parts)?,
        kind: Kind::Gcs,
        url: format!("gs://{bucket}/{}", parts.join("/")),
        bucket: Some(bucket.to_string()),
        endpoint: opts.endpoint.clone(),
        opts: opts.clone(),
    })
}
