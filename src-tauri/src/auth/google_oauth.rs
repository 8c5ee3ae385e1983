//! "Sign in with Google in the browser": the OAuth 2.0 installed-app flow with a loopback
//! redirect and PKCE (S256), for the scope `devstorage.read_write` and nothing broader, with an
//! OAuth client the organisation provides (`client_secret.json`). The tokens live in memory, in a
//! [`GoogleSession`] that object_store asks before each request; it refreshes the access token
//! before it runs out, so an upload of many hours never stops for it.
//!
//! The `oauth2` crate builds the authorization URL (PKCE, state) and speaks to the token endpoint;
//! yup-oauth2, the other candidate, has no PKCE.

use super::Secret;
use crate::error::{Code, Error, Result};
use oauth2::basic::BasicClient;
use oauth2::{AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge, RedirectUrl, RefreshToken, Scope, TokenResponse, TokenUrl};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

pub const SCOPE: &str = "https://www.googleapis.com/auth/devstorage.read_write";
const TOKENINFO: &str = "https://oauth2.googleapis.com/tokeninfo";
/// How long the browser may take (the user reads the consent screen, maybe signs in first).
pub const BROWSER_TIMEOUT: Duration = Duration::from_secs(300);

/// The organisation's OAuth client ("Desktop app" type), from its `client_secret.json`.
#[derive(Clone)]
pub struct OAuthClient {
    pub client_id: String,
    client_secret: Secret,
    pub auth_uri: String,
    pub token_uri: String,
    /// Where "who is signed in" is asked (Google's tokeninfo; a test server in tests).
    pub tokeninfo_uri: String,
    /// The file it came from, shown in the UI.
    pub file: PathBuf,
}

impl std::fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OAuthClient({})", self.file.display())
    }
}

fn client_error(path: &Path, why: &str) -> Error {
    Error::new(
        Code::BadArgument,
        format!("{}: not an OAuth client file ({why})", crate::error::display_path(path)),
        "Choose the client_secret.json of a \"Desktop app\" OAuth client, as downloaded from the Google Cloud console (your organisation provides it).",
    )
}

impl OAuthClient {
    /// Read a `client_secret.json` (`{"installed": {...}}`, or `{"web": {...}}`).
    pub fn from_file(path: &Path) -> Result<OAuthClient> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|_| client_error(path, "not JSON"))?;
        let c = v.get("installed").or_else(|| v.get("web")).ok_or_else(|| client_error(path, "no \"installed\" section"))?;
        let field = |k: &str| c.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let client_id = field("client_id").ok_or_else(|| client_error(path, "no client_id"))?;
        let client_secret = field("client_secret").unwrap_or_default();
        super::s3_credentials::warn_if_readable_by_others(path);
        Ok(OAuthClient {
            client_id,
            client_secret: Secret::new(client_secret),
            auth_uri: field("auth_uri").unwrap_or_else(|| "https://accounts.google.com/o/oauth2/auth".into()),
            token_uri: field("token_uri").unwrap_or_else(|| "https://oauth2.googleapis.com/token".into()),
            tokeninfo_uri: field("tokeninfo_uri").unwrap_or_else(|| TOKENINFO.into()),
            file: path.to_path_buf(),
        })
    }

    /// The client and refresh token of gcloud's application default credentials of type
    /// `authorized_user` (what `gcloud auth application-default login` writes). Its `token_uri`,
    /// where present, is honoured, as Google's own libraries do.
    pub fn from_authorized_user(path: &Path, v: &serde_json::Value) -> Result<(OAuthClient, Secret)> {
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let bad = |what: &str| {
            Error::new(
                Code::AccessDenied,
                format!("{}: application default credentials without {what}", crate::error::display_path(path)),
                "Run `gcloud auth application-default login --scopes=https://www.googleapis.com/auth/devstorage.read_write` again.",
            )
        };
        let client_id = field("client_id").ok_or_else(|| bad("a client_id"))?;
        let refresh = field("refresh_token").ok_or_else(|| bad("a refresh_token"))?;
        let client = OAuthClient {
            client_id,
            client_secret: Secret::new(field("client_secret").unwrap_or_default()),
            auth_uri: "https://accounts.google.com/o/oauth2/auth".into(),
            token_uri: field("token_uri").unwrap_or_else(|| "https://oauth2.googleapis.com/token".into()),
            tokeninfo_uri: field("tokeninfo_uri").unwrap_or_else(|| TOKENINFO.into()),
            file: path.to_path_buf(),
        };
        Ok((client, Secret::new(refresh)))
    }

    /// `FERRY_OAUTH_CLIENT` names the client file; else the one chosen in the wizard's settings.
    pub fn configured(chosen: Option<PathBuf>) -> Option<PathBuf> {
        std::env::var_os("FERRY_OAUTH_CLIENT").map(PathBuf::from).filter(|p| !p.as_os_str().is_empty()).or(chosen)
    }

    fn oauth(&self, redirect: Option<String>) -> Result<Client> {
        let bad = |what: &str, e: oauth2::url::ParseError| Error::new(Code::BadArgument, format!("{}: the {what} is not a URL ({e})", self.file.display()), "Download the client file again from the Google Cloud console.");
        let mut c = BasicClient::new(ClientId::new(self.client_id.clone()))
            .set_client_secret(ClientSecret::new(self.client_secret.expose().to_string()))
            .set_auth_type(AuthType::RequestBody)
            .set_auth_uri(AuthUrl::new(self.auth_uri.clone()).map_err(|e| bad("auth_uri", e))?)
            .set_token_uri(TokenUrl::new(self.token_uri.clone()).map_err(|e| bad("token_uri", e))?);
        if let Some(r) = redirect {
            c = c.set_redirect_uri(RedirectUrl::new(r).map_err(|e| bad("redirect", e))?);
        }
        Ok(c)
    }
}

type Client = oauth2::Client<
    oauth2::basic::BasicErrorResponse,
    oauth2::basic::BasicTokenResponse,
    oauth2::basic::BasicTokenIntrospectionResponse,
    oauth2::StandardRevocableToken,
    oauth2::basic::BasicRevocationErrorResponse,
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

/// The HTTP client the token requests go through: object_store's reqwest, no redirects.
fn http() -> reqwest::Client {
    crate::store::ensure_tls();
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(Duration::from_secs(30)).build().unwrap_or_default()
}

type Sent = std::pin::Pin<Box<dyn std::future::Future<Output = std::result::Result<oauth2::HttpResponse, std::io::Error>> + Send>>;

/// The same client in the shape the oauth2 crate calls (it owns what it needs: no borrowed futures).
fn oauth_http() -> impl Fn(oauth2::HttpRequest) -> Sent {
    let client = http();
    move |req| {
        let c = client.clone();
        Box::pin(async move { send(&c, req).await })
    }
}

async fn send(client: &reqwest::Client, req: oauth2::HttpRequest) -> std::result::Result<oauth2::HttpResponse, std::io::Error> {
    let r = client.execute(reqwest::Request::try_from(req).map_err(std::io::Error::other)?).await.map_err(std::io::Error::other)?;
    let mut b = oauth2::http::Response::builder().status(r.status());
    for (k, v) in r.headers() {
        b = b.header(k, v);
    }
    b.body(r.bytes().await.map_err(std::io::Error::other)?.to_vec()).map_err(std::io::Error::other)
}

/// A token endpoint's refusal, without its secrets (the error body holds none, but the request did).
fn token_error<E: std::error::Error>(client: &OAuthClient, e: oauth2::RequestTokenError<E, oauth2::basic::BasicErrorResponse>) -> Error {
    let why = match &e {
        oauth2::RequestTokenError::ServerResponse(r) => format!("{}{}", r.error(), r.error_description().map(|d| format!(": {d}")).unwrap_or_default()),
        oauth2::RequestTokenError::Request(r) => format!("no answer ({r})"),
        oauth2::RequestTokenError::Parse(_, _) => "an answer Ferry does not understand".into(),
        oauth2::RequestTokenError::Other(o) => o.clone(),
    };
    let unreachable = matches!(e, oauth2::RequestTokenError::Request(_));
    Error::new(
        if unreachable { Code::StoreUnreachable } else { Code::AccessDenied },
        format!("Google sign-in: the token endpoint {} refused: {why}", client.token_uri),
        if unreachable { "Check the network connection, then sign in again." } else { "Sign in again with the browser; if it keeps failing, check the OAuth client file with whoever gave it to you." },
    )
}

struct Tokens {
    access: Secret,
    refresh: Option<Secret>,
    /// When the access token runs out, and how long it was good for.
    expires_at: Instant,
    lifetime: Duration,
}

impl Tokens {
    fn from(t: &oauth2::basic::BasicTokenResponse, keep_refresh: Option<Secret>) -> Tokens {
        let lifetime = t.expires_in().unwrap_or(Duration::from_secs(3600));
        Tokens {
            access: Secret::new(t.access_token().secret().clone()),
            refresh: t.refresh_token().map(|r| Secret::new(r.secret().clone())).or(keep_refresh),
            expires_at: Instant::now() + lifetime,
            lifetime,
        }
    }

    /// Renew a minute before the end (half-way for tokens shorter than two minutes).
    fn due(&self) -> bool {
        let margin = Duration::from_secs(60).min(self.lifetime / 2);
        Instant::now() + margin >= self.expires_at
    }
}

/// A signed-in Google account: the access token (renewed when due) for object_store's requests.
pub struct GoogleSession {
    client: OAuthClient,
    tokens: tokio::sync::Mutex<Tokens>,
    /// The account's e-mail, where the token lets Ferry ask (tokeninfo).
    pub email: Option<String>,
}

impl std::fmt::Debug for GoogleSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GoogleSession({})", self.email.as_deref().unwrap_or("a Google account"))
    }
}

impl GoogleSession {
    /// The access token now, renewed first if it is due.
    pub async fn access_token(&self) -> Result<Secret> {
        let mut t = self.tokens.lock().await;
        if t.due() {
            let Some(refresh) = t.refresh.clone() else {
                return Err(Error::new(Code::AccessDenied, "the Google sign-in has expired (no refresh token was granted)", "Sign in with the browser again, then resume."));
            };
            let c = self.client.oauth(None)?;
            let r = c.exchange_refresh_token(&RefreshToken::new(refresh.expose().to_string())).request_async(&oauth_http()).await.map_err(|e| token_error(&self.client, e))?;
            *t = Tokens::from(&r, Some(refresh));
        }
        Ok(t.access.clone())
    }

    /// The refresh token (for the OS keychain, when the user asks to be remembered).
    pub async fn refresh_token(&self) -> Option<Secret> {
        self.tokens.lock().await.refresh.clone()
    }

    /// A session from a refresh token, renewed at its first use (application default credentials).
    pub fn lazy(client: OAuthClient, refresh: Secret) -> GoogleSession {
        let tokens = Tokens { access: Secret::new(""), refresh: Some(refresh), expires_at: Instant::now(), lifetime: Duration::ZERO };
        GoogleSession { client, tokens: tokio::sync::Mutex::new(tokens), email: None }
    }

    /// A session from a refresh token kept in the keychain: renewed at once (which also checks it).
    pub async fn from_refresh_token(client: OAuthClient, refresh: Secret) -> Result<GoogleSession> {
        let mut s = GoogleSession::lazy(client, refresh);
        let access = s.access_token().await?;
        s.email = email(&s.client, &access).await;
        Ok(s)
    }
}

#[async_trait::async_trait]
impl object_store::CredentialProvider for GoogleSession {
    type Credential = object_store::gcp::GcpCredential;

    async fn get_credential(&self) -> object_store::Result<Arc<Self::Credential>> {
        match self.access_token().await {
            Ok(t) => Ok(Arc::new(object_store::gcp::GcpCredential { bearer: t.expose().to_string() })),
            Err(e) => Err(object_store::Error::Unauthenticated { path: String::new(), source: format!("{} {}", e.message, e.hint).into() }),
        }
    }
}

/// Ask tokeninfo whose token this is. None where the scope does not allow it or it does not answer.
async fn email(client: &OAuthClient, access: &Secret) -> Option<String> {
    let url = oauth2::url::Url::parse_with_params(&client.tokeninfo_uri, &[("access_token", access.expose())]).ok()?;
    let r = http().get(url).send().await.ok()?;
    if !r.status().is_success() {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&r.bytes().await.ok()?).ok()?;
    v.get("email").and_then(|e| e.as_str()).map(str::to_string)
}

/// The page the browser shows after the redirect.
fn page(ok: bool, detail: &str) -> String {
    let (title, text) = if ok { ("Signed in", "Ferry is signed in. You can close this tab and go back to Ferry.") } else { ("Not signed in", "The sign-in did not complete. Go back to Ferry to try again.") };
    let body = format!("<!doctype html><meta charset=utf-8><title>Ferry: {title}</title><body style=\"font-family:sans-serif;margin:3em\"><h1>{title}</h1><p>{text}</p><p style=\"color:#666\">{}</p>", html_escape(detail));
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n{body}", body.len())
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// What came back to the loopback address: the query of `GET /?...`.
async fn wait_for_redirect(listener: tokio::net::TcpListener, state: &str) -> Result<String> {
    loop {
        let (mut sock, _) = listener.accept().await.map_err(|e| Error::new(Code::Io, format!("the sign-in's loopback listener failed: {e}"), "Try again."))?;
        let mut buf = vec![0u8; 16 << 10];
        let mut n = 0;
        while n < buf.len() && !buf[..n].windows(4).any(|w| w == b"\r\n\r\n") {
            match tokio::time::timeout(Duration::from_secs(10), sock.read(&mut buf[n..])).await {
                Ok(Ok(0)) | Err(_) | Ok(Err(_)) => break,
                Ok(Ok(k)) => n += k,
            }
        }
        let head = String::from_utf8_lossy(&buf[..n]);
        let target = head.lines().next().and_then(|l| l.split_whitespace().nth(1)).unwrap_or("/").to_string();
        let query = target.split_once('?').map(|(_, q)| q.to_string()).unwrap_or_default();
        let params: Vec<(String, String)> = oauth2::url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if get("state").is_none() {
            // A favicon or a stray request: not the redirect.
            let _ = sock.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").await;
            continue;
        }
        if get("state").as_deref() != Some(state) {
            let _ = sock.write_all(page(false, "The answer did not belong to this sign-in.").as_bytes()).await;
            return Err(Error::new(Code::AccessDenied, "Google sign-in: the browser answered for another sign-in (state mismatch)", "Sign in with the browser again."));
        }
        if let Some(err) = get("error") {
            let _ = sock.write_all(page(false, &err).as_bytes()).await;
            let hint = if err == "access_denied" { "You declined in the browser. To upload, sign in again and allow access to Cloud Storage." } else { "Sign in with the browser again." };
            return Err(Error::new(Code::AccessDenied, format!("Google sign-in was not completed: {err}"), hint));
        }
        let Some(code) = get("code") else {
            let _ = sock.write_all(page(false, "No authorization code.").as_bytes()).await;
            return Err(Error::new(Code::AccessDenied, "Google sign-in: the browser came back without an authorization code", "Sign in with the browser again."));
        };
        let _ = sock.write_all(page(true, "").as_bytes()).await;
        let _ = sock.shutdown().await;
        return Ok(code);
    }
}

/// The installed-app flow: listen on a loopback port, have `open` show the authorization URL in
/// the browser, wait for the redirect (up to `timeout`, or until `cancel`), trade the code and the
/// PKCE verifier for tokens.
pub async fn sign_in_with_browser(client: &OAuthClient, open: impl FnOnce(&str) -> Result<()>, cancel: CancellationToken, timeout: Duration) -> Result<GoogleSession> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| Error::new(Code::Io, format!("cannot listen on a loopback port for the sign-in: {e}"), "Check that this computer allows local connections, then try again."))?;
    let port = listener.local_addr().map_err(|e| Error::new(Code::Io, format!("loopback listener: {e}"), "Try again."))?.port();
    let redirect = format!("http://127.0.0.1:{port}/");
    let c = client.oauth(Some(redirect))?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = c
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new(SCOPE.into()))
        .add_extra_param("access_type", "offline")
        .set_pkce_challenge(challenge)
        .url();
    open(url.as_str())?;
    let code = tokio::select! {
        r = tokio::time::timeout(timeout, wait_for_redirect(listener, state.secret())) => match r {
            Ok(r) => r?,
            Err(_) => return Err(Error::new(Code::AccessDenied, format!("Google sign-in: no answer from the browser within {} minutes", timeout.as_secs() / 60), "Sign in with the browser again, and finish it in the browser tab that opens.")),
        },
        () = cancel.cancelled() => return Err(Error::new(Code::Cancelled, "Google sign-in cancelled", "Sign in again when you are ready.")),
    };
    let t = c.exchange_code(AuthorizationCode::new(code)).set_pkce_verifier(verifier).request_async(&oauth_http()).await.map_err(|e| token_error(client, e))?;
    let tokens = Tokens::from(&t, None);
    let email = email(client, &tokens.access).await;
    Ok(GoogleSession { client: client.clone(), tokens: tokio::sync::Mutex::new(tokens), email })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_desktop_client_file_and_refuses_others() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("client_secret.json");
        std::fs::write(&f, r#"{"installed":{"client_id":"123.apps.googleusercontent.com","client_secret":"GOCSPX-canary","auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":"https://oauth2.googleapis.com/token","redirect_uris":["http://localhost"]}}"#).unwrap();
        let c = OAuthClient::from_file(&f).unwrap();
        assert_eq!(c.client_id, "123.apps.googleusercontent.com");
        assert_eq!(c.tokeninfo_uri, TOKENINFO);
        assert!(!format!("{c:?}").contains("canary"));
        std::fs::write(&f, r#"{"type":"service_account"}"#).unwrap();
        assert_eq!(OAuthClient::from_file(&f).unwrap_err().code, Code::BadArgument);
        std::fs::write(&f, "not json").unwrap();
        assert!(OAuthClient::from_file(&f).unwrap_err().message.contains("not JSON"));
    }

    #[test]
    fn renews_a_minute_early_or_half_way() {
        let t = |left: u64, life: u64| Tokens { access: Secret::new("a"), refresh: None, expires_at: Instant::now() + Duration::from_secs(left), lifetime: Duration::from_secs(life) };
        assert!(!t(3000, 3600).due());
        assert!(t(59, 3600).due());
        // A 10 s token is renewed with 5 s left.
        assert!(!t(7, 10).due());
        assert!(t(4, 10).due());
    }
}
