//! object_store errors → Ferry errors with a code and a fix. The service's answer (status code)
//! decides: 403 is the key's fault, 404 on the bucket is its name's, a refused connection the endpoint's.

use crate::error::{Code, Error};

pub fn store_error(url: &str, e: &object_store::Error) -> Error {
    let text = e.to_string();
    let lower = text.to_ascii_lowercase();
    let has = |s: &str| lower.contains(s);
    if has("nosuchbucket") || has("the specified bucket does not exist") || (has("404") && has("bucket")) {
        return Error::new(Code::NoSuchBucket, format!("{url}: the bucket does not exist"), "Check the bucket name (and the endpoint: the bucket may live on another service). Ferry never creates buckets.");
    }
    if has("403") || has("accessdenied") || has("access denied") || has("signaturedoesnotmatch") || has("invalidaccesskeyid") || has("forbidden") {
        return Error::new(Code::AccessDenied, format!("{url}: access denied ({})", first_line(&text)), "Check the access key and secret (or the token): they may be wrong, expired, or not allowed to write under this prefix.");
    }
    if has("401") || has("unauthorized") || has("invalid_grant") || has("expired") {
        return Error::new(Code::AccessDenied, format!("{url}: not signed in, or the token has expired ({})", first_line(&text)), "Sign in again (a fresh `gcloud auth print-access-token`, or check the credentials file), then resume.");
    }
    if has("connection refused") || has("dns error") || has("error sending request") || has("timed out") || has("timeout") || has("connect error") || has("tcp connect") {
        return Error::new(Code::StoreUnreachable, format!("{url}: the storage endpoint does not answer ({})", first_line(&text)), "Check the endpoint URL and your network connection (VPN, proxy), then try again.");
    }
    if matches!(e, object_store::Error::NotFound { .. }) {
        return Error::new(Code::StoreError, format!("{url}: not found ({})", first_line(&text)), "Check the path.");
    }
    Error::new(Code::StoreError, format!("{url}: the storage service answered with an error: {}", first_line(&text)), "Try again; if it persists, check the destination and credentials.")
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or(s);
    // Keep messages short; long service bodies help nobody on the terminal.
    if line.len() > 300 { format!("{}…", &line[..line.char_indices().nth(300).map_or(line.len(), |c| c.0)]) } else { line.to_string() }
}
