//! object_store errors → Ferry errors with a code and a fix. Decided from the error's structure
//! (variant, HTTP error kind, status phrase), never from stray digits: a port 40300 or a request
//! that took 403 ms must not read as "access denied".

use crate::error::{Code, Error};
use object_store::client::{HttpError, HttpErrorKind};

/// Did the request never get an answer (refused, DNS, timeout, reset)?
fn unreachable(e: &object_store::Error) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(h) = err.downcast_ref::<HttpError>() {
            return matches!(h.kind(), HttpErrorKind::Connect | HttpErrorKind::Timeout | HttpErrorKind::Request | HttpErrorKind::Interrupted);
        }
        cur = err.source();
    }
    false
}

pub fn store_error(url: &str, e: &object_store::Error) -> Error {
    let text = e.to_string();
    let status = |code: &str| text.contains(&format!("status code: {code}")) || text.contains(&format!("{code} {}", reason(code)));
    if unreachable(e) {
        return Error::new(Code::StoreUnreachable, format!("{url}: the storage endpoint does not answer ({})", first_line(&text)), "Check the endpoint URL and your network connection (VPN, proxy), then try again.");
    }
    if text.contains("NoSuchBucket") || text.contains("The specified bucket does not exist") {
        return Error::new(Code::NoSuchBucket, format!("{url}: the bucket does not exist"), "Check the bucket name (and the endpoint: the bucket may live on another service). Ferry never creates buckets.");
    }
    let denied = matches!(e, object_store::Error::PermissionDenied { .. }) || status("403") || text.contains("AccessDenied") || text.contains("SignatureDoesNotMatch") || text.contains("InvalidAccessKeyId");
    if denied {
        return Error::new(Code::AccessDenied, format!("{url}: access denied ({})", first_line(&text)), "Check the access key and secret (or the token): they may be wrong, expired, or not allowed to write under this prefix.");
    }
    if matches!(e, object_store::Error::Unauthenticated { .. }) || status("401") {
        return Error::new(Code::AccessDenied, format!("{url}: not signed in, or the token has expired ({})", first_line(&text)), "Sign in again (a fresh `gcloud auth print-access-token`, or check the credentials file), then resume.");
    }
    if matches!(e, object_store::Error::NotFound { .. }) {
        return Error::new(Code::PathNotFound, format!("{url}: not found ({})", first_line(&text)), "Check the path.");
    }
    Error::new(Code::StoreError, format!("{url}: the storage service answered with an error: {}", first_line(&text)), "Try again; if it persists, check the destination and credentials.")
}

fn reason(code: &str) -> &'static str {
    match code {
        "401" => "Unauthorized",
        "403" => "Forbidden",
        _ => "Not Found",
    }
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or(s);
    // Keep messages short; long service bodies help nobody on the terminal.
    match line.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}
