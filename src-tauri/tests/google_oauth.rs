//! "Sign in with Google in the browser" against loopback servers: tests/servers/oauth_server.py
//! (authorization + token + tokeninfo endpoints; it insists on PKCE S256, the exact
//! devstorage.read_write scope and a loopback redirect) and the GCS stub, which accepts the first
//! access token until it is expired and the renewed one after. The "browser" is Python's urllib,
//! which follows the authorization redirect to Ferry's loopback listener like a browser would.

mod common;

use common::{fixtures, python, repo, start_gcs};
use ferry::auth::google_oauth::{sign_in_with_browser, GoogleSession, OAuthClient};
use ferry::error::Code;
use ferry::inspect::{inspect, InspectOptions, Inspection};
use ferry::store::{DestOptions, Destination};
use ferry::upload::{self, WriteOptions};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

const CLIENT_ID: &str = "1234-ferry-test.apps.googleusercontent.com";
const CLIENT_SECRET: &str = "GOCSPX-client-canary-5521";
const FIRST: &str = "ya29.first-canary-7781";
const RENEWED: &str = "ya29.renewed-canary-9932";
const EMAIL: &str = "researcher@example.org";

struct OAuthServer {
    child: Child,
    _stdin: Option<std::process::ChildStdin>,
    url: String,
}

impl Drop for OAuthServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl OAuthServer {
    fn start(extra: &[&str]) -> OAuthServer {
        let mut child = Command::new(python())
            .arg(repo().join("tests/servers/oauth_server.py"))
            .args(["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET, "--access-token", FIRST, "--refreshed-token", RENEWED, "--email", EMAIL, "--exit-on-stdin-eof"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start tests/servers/oauth_server.py");
        let stdin = child.stdin.take();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port: u16 = line.trim().parse().unwrap_or_else(|_| panic!("the OAuth server printed {line:?}"));
        OAuthServer { child, _stdin: stdin, url: format!("http://127.0.0.1:{port}") }
    }

    /// The grants asked for so far (authorization_code, refresh_token).
    fn grants(&self) -> Vec<String> {
        let out = Command::new(python()).args(["-c", "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())", &format!("{}/_log", self.url)]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()).filter_map(|v| v["grant_type"].as_str().map(str::to_string)).collect()
    }

    fn client(&self, dir: &std::path::Path) -> OAuthClient {
        let f = dir.join("client_secret.json");
        let json = serde_json::json!({"installed": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "auth_uri": format!("{}/authorize", self.url), "token_uri": format!("{}/token", self.url), "tokeninfo_uri": format!("{}/tokeninfo", self.url), "redirect_uris": ["http://localhost"]}});
        std::fs::write(&f, json.to_string()).unwrap();
        OAuthClient::from_file(&f).unwrap()
    }
}

/// The "browser": fetches the authorization URL, follows the redirect to Ferry's listener, and
/// keeps the page it ends on.
fn browser(page: Arc<Mutex<String>>) -> impl FnOnce(&str) -> ferry::error::Result<()> {
    move |url: &str| {
        let url = url.to_string();
        std::thread::spawn(move || {
            let out = Command::new(python()).args(["-c", "import sys, urllib.request\ntry:\n    print(urllib.request.urlopen(sys.argv[1]).read().decode())\nexcept Exception as e:\n    print('ERROR', e)", &url]).output().unwrap();
            *page.lock().unwrap() = String::from_utf8_lossy(&out.stdout).into_owned();
        });
        Ok(())
    }
}

fn a1b() -> Inspection {
    inspect(&InspectOptions::new(vec![fixtures().join("derived/A1B_by_year")]), &mut |_, _| {}).expect("inspect A1B_by_year")
}

async fn write(session: &Arc<GoogleSession>, endpoint: &str, name: &str) -> ferry::error::Result<upload::WriteSummary> {
    let opts = DestOptions { endpoint: Some(endpoint.to_string()), gcs_session: Some(session.clone()), ..Default::default() };
    let d = Destination::open(&format!("gs://ferry-test/me/{name}"), &opts)?;
    upload::write_store(&a1b(), &d, &WriteOptions::default(), Arc::new(|_| {}), CancellationToken::new()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sign_in_uploads_and_renews_its_token() {
    let oauth = OAuthServer::start(&["--expires-in", "6"]);
    let gcs = start_gcs(FIRST, &["ferry-test"], &["--next-token", RENEWED]);
    let dir = tempfile::tempdir().unwrap();
    let client = oauth.client(dir.path());
    let page = Arc::new(Mutex::new(String::new()));
    let session = sign_in_with_browser(&client, browser(page.clone()), CancellationToken::new(), Duration::from_secs(30)).await.expect("sign in");
    assert_eq!(session.email.as_deref(), Some(EMAIL), "who is signed in");
    for _ in 0..50 {
        if !page.lock().unwrap().is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(page.lock().unwrap().contains("Ferry is signed in"), "the browser shows: {}", page.lock().unwrap());
    assert!(!format!("{session:?}").contains("canary"));
    let session = Arc::new(session);
    write(&session, &gcs.endpoint, "first.zarr").await.expect("upload with the first token");
    assert_eq!(oauth.grants(), vec!["authorization_code"]);
    // The first token runs out (6 s; renewed half-way): the next upload renews it, unasked.
    std::thread::sleep(Duration::from_millis(3200));
    Command::new(python()).args(["-c", "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method='POST'))", &format!("{}/_stub/expire", gcs.endpoint)]).status().unwrap();
    let s = write(&session, &gcs.endpoint, "second.zarr").await.expect("upload after the renewal");
    assert!(s.chunks > 0);
    assert_eq!(oauth.grants(), vec!["authorization_code", "refresh_token"]);
    assert!(gcs.requests().iter().all(|(_, _, status)| *status != 401), "a request went out with an expired token: {:?}", gcs.requests().iter().filter(|r| r.2 == 401).collect::<Vec<_>>());
    // Remembered sessions start from the refresh token alone.
    let again = GoogleSession::from_refresh_token(client, session.refresh_token().await.expect("a refresh token")).await.expect("from the refresh token");
    assert_eq!(again.email.as_deref(), Some(EMAIL));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declining_in_the_browser_is_a_clear_error() {
    let oauth = OAuthServer::start(&["--deny"]);
    let dir = tempfile::tempdir().unwrap();
    let page = Arc::new(Mutex::new(String::new()));
    let e = sign_in_with_browser(&oauth.client(dir.path()), browser(page), CancellationToken::new(), Duration::from_secs(30)).await.unwrap_err();
    assert_eq!(e.code, Code::AccessDenied);
    assert!(e.message.contains("access_denied") && e.hint.contains("declined"), "{e:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_can_be_cancelled_and_times_out() {
    let oauth = OAuthServer::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let client = oauth.client(dir.path());
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        c2.cancel();
    });
    // The user never finishes in the browser.
    let e = sign_in_with_browser(&client, |_| Ok(()), cancel, Duration::from_secs(30)).await.unwrap_err();
    assert_eq!(e.code, Code::Cancelled);
    let e = sign_in_with_browser(&client, |_| Ok(()), CancellationToken::new(), Duration::from_millis(500)).await.unwrap_err();
    assert_eq!(e.code, Code::AccessDenied);
    assert!(e.message.contains("no answer from the browser"), "{e:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_refresh_token_is_refused_clearly() {
    let oauth = OAuthServer::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let e = GoogleSession::from_refresh_token(oauth.client(dir.path()), ferry::auth::Secret::new("1//revoked")).await.unwrap_err();
    assert_eq!(e.code, Code::AccessDenied);
    assert!(e.message.contains("invalid_grant"), "{e:?}");
    assert!(!e.message.contains("1//revoked") && !e.message.contains(CLIENT_SECRET));
}

/// gcloud's application default credentials of a user (authorized_user): Ferry renews the token
/// itself at the file's token_uri, and uploads with it (the CLI and the wizard both come here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn application_default_credentials_of_a_user_upload() {
    let oauth = OAuthServer::start(&["--refresh-token", "1//adc-refresh-canary"]);
    let gcs = start_gcs(RENEWED, &["ferry-test"], &[]);
    let dir = tempfile::tempdir().unwrap();
    let adc = dir.path().join("application_default_credentials.json");
    let json = serde_json::json!({"type": "authorized_user", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "refresh_token": "1//adc-refresh-canary", "token_uri": format!("{}/token", oauth.url)});
    std::fs::write(&adc, json.to_string()).unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&adc, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    // The only test of this binary that reads the environment's credentials.
    std::env::set_var("GOOGLE_APPLICATION_CREDENTIALS", &adc);
    let opts = DestOptions { endpoint: Some(gcs.endpoint.clone()), ..Default::default() };
    let d = Destination::open("gs://ferry-test/me/adc.zarr", &opts).unwrap();
    let s = upload::write_store(&a1b(), &d, &WriteOptions::default(), Arc::new(|_| {}), CancellationToken::new()).await.expect("upload with ADC");
    assert!(s.chunks > 0);
    assert_eq!(oauth.grants(), vec!["refresh_token"], "renewed once, at the file's token_uri");
    // A revoked one: a clear access_denied naming the sign-in, no secret in it.
    std::fs::write(&adc, json.to_string().replace("1//adc-refresh-canary", "1//revoked")).unwrap();
    let d = Destination::open("gs://ferry-test/me/adc2.zarr", &opts).unwrap();
    let e = upload::write_store(&a1b(), &d, &WriteOptions::default(), Arc::new(|_| {}), CancellationToken::new()).await.unwrap_err();
    std::env::remove_var("GOOGLE_APPLICATION_CREDENTIALS");
    assert_eq!(e.code, Code::AccessDenied, "{e:?}");
    assert!(e.message.contains("invalid_grant"), "{e:?}");
    assert!(!format!("{e:?}").contains("1//revoked") && !format!("{e:?}").contains(CLIENT_SECRET), "{e:?}");
}
