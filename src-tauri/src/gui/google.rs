//! Step 1, sign-in: "Sign in with Google in the browser" (src/auth/google_oauth.rs). The OAuth
//! client file is chosen once (settings) or named by `FERRY_OAUTH_CLIENT`; the browser opens on
//! Google's consent page; the tokens stay in this process, and the webview sees only "signed in
//! as <e-mail>".

use super::credentials::Session;
use super::sign_in::{self, Destination, SignedIn};
use super::{blocking, dialog, lock, AppState};
use crate::auth::google_oauth::{sign_in_with_browser, GoogleSession, OAuthClient, BROWSER_TIMEOUT};
use crate::auth::keychain;
use crate::error::{Code, Error, Result};
use std::path::PathBuf;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use tokio_util::sync::CancellationToken;

fn configured(app: &AppHandle) -> Option<PathBuf> {
    OAuthClient::configured(sign_in::read_settings(app).oauth_client.map(PathBuf::from))
}

/// The OAuth client file in use, if one is set (shown beside "Sign in with Google").
#[tauri::command]
pub async fn oauth_client_file(app: AppHandle) -> Result<Option<String>> {
    blocking(move || Ok(configured(&app).map(|p| p.to_string_lossy().into_owned()))).await
}

/// Choose the organisation's `client_secret.json` (checked, then remembered in the settings).
/// `None` when the dialog is cancelled.
#[tauri::command]
pub async fn choose_oauth_client(app: AppHandle) -> Result<Option<String>> {
    let Some(path) = dialog::pick_file(&app, "Choose your organisation's OAuth client file (client_secret.json)", "JSON", &["json"]).await? else {
        return Ok(None);
    };
    blocking(move || {
        OAuthClient::from_file(&path)?;
        let shown = path.to_string_lossy().into_owned();
        sign_in::edit_settings(&app, |s| s.oauth_client = Some(shown.clone()))?;
        Ok(Some(shown))
    })
    .await
}

/// Open the browser on Google's consent page, wait for the answer (up to 5 minutes, or until
/// `cancel_google_sign_in`), then check the destination like any sign-in.
/// `remember`: keep the refresh token in the OS keychain, so the next launch signs in without
/// the browser ("Continue with Google"); Sign out removes it.
#[tauri::command]
pub async fn sign_in_with_google(app: AppHandle, state: State<'_, AppState>, destination: Destination, remember: bool) -> Result<SignedIn> {
    let client = client_for(&app, &destination).await?;
    let cancel = CancellationToken::new();
    *lock(&state.google_sign_in) = Some(cancel.clone());
    let opener = app.clone();
    let open = move |url: &str| {
        opener.opener().open_url(url, None::<&str>).map_err(|e| Error::new(Code::Internal, format!("the browser could not be opened: {e}"), "Set a default web browser, or sign in with a token instead."))
    };
    let result = sign_in_with_browser(&client, open, cancel, BROWSER_TIMEOUT).await;
    *lock(&state.google_sign_in) = None;
    let session = Session::google(result?);
    let refresh = session.google_refresh_token().await;
    let mut out = sign_in::check_and_keep(&app, &state, &destination, session).await?;
    if remember {
        // Only once the destination checked out: a failed sign-in leaves nothing behind.
        let account = keychain::google_account(&client.client_id);
        let kept = match refresh {
            Some(rt) => {
                let a = account.clone();
                blocking(move || keychain::save(&a, &rt)).await.map_err(|e| format!("Not remembered: {} {}", e.message, e.hint))
            }
            None => Err("Not remembered: Google granted no refresh token for this sign-in.".to_string()),
        };
        match kept {
            Ok(()) => {
                if let Some(s) = lock(&state.session).as_mut() {
                    s.remembered = Some(account);
                }
            }
            Err(note) => out.warnings.push(note),
        }
    }
    Ok(out)
}

async fn client_for(app: &AppHandle, destination: &Destination) -> Result<OAuthClient> {
    if !matches!(destination, Destination::Gcs { .. }) {
        return Err(Error::bad_argument("Sign in with Google is for Google Cloud Storage", "Choose another sign-in method for this destination."));
    }
    let a = app.clone();
    blocking(move || match configured(&a) {
        Some(p) => OAuthClient::from_file(&p),
        None => Err(Error::new(Code::BadArgument, "no OAuth client file is set", "Choose the client_secret.json your organisation provides (or set FERRY_OAUTH_CLIENT), or sign in with a token.")),
    })
    .await
}

/// Whether a browser sign-in with the configured OAuth client is remembered in the keychain.
/// False where there is no keychain (nothing to offer then).
#[tauri::command]
pub async fn remembered_google(app: AppHandle) -> Result<bool> {
    blocking(move || {
        let Some(client) = configured(&app).and_then(|p| OAuthClient::from_file(&p).ok()) else { return Ok(false) };
        Ok(keychain::load(&keychain::google_account(&client.client_id)).ok().flatten().is_some())
    })
    .await
}

/// "Continue with Google": sign in from the remembered refresh token, no browser. A token Google
/// no longer accepts (revoked, expired) is forgotten, and the user signs in with the browser.
#[tauri::command]
pub async fn sign_in_remembered(app: AppHandle, state: State<'_, AppState>, destination: Destination) -> Result<SignedIn> {
    let client = client_for(&app, &destination).await?;
    let account = keychain::google_account(&client.client_id);
    let a = account.clone();
    let Some(refresh) = blocking(move || keychain::load(&a)).await? else {
        return Err(Error::new(Code::AccessDenied, "no Google sign-in is remembered on this computer", "Sign in with the browser (tick \"remember me\" to skip it next time)."));
    };
    let g = match GoogleSession::from_refresh_token(client, refresh).await {
        Ok(g) => g,
        Err(e) if e.code == Code::AccessDenied => {
            let a = account.clone();
            let _ = blocking(move || keychain::forget(&a)).await;
            return Err(Error::new(Code::AccessDenied, format!("the remembered Google sign-in is no longer valid ({})", e.message), "It was forgotten. Sign in with the browser again."));
        }
        Err(e) => return Err(e),
    };
    let mut session = Session::google(g);
    session.remembered = Some(account);
    sign_in::check_and_keep(&app, &state, &destination, session).await
}

/// "Forget": remove the remembered Google sign-in from the keychain (and sign out of it).
#[tauri::command]
pub async fn forget_google(app: AppHandle, state: State<'_, AppState>) -> Result<bool> {
    let Some(client) = ({
        let a = app.clone();
        blocking(move || Ok(configured(&a).and_then(|p| OAuthClient::from_file(&p).ok()))).await?
    }) else {
        return Ok(false);
    };
    let account = keychain::google_account(&client.client_id);
    {
        let mut s = lock(&state.session);
        if s.as_ref().is_some_and(|x| x.remembered.as_deref() == Some(account.as_str())) {
            *s = None;
        }
    }
    blocking(move || keychain::forget(&account)).await
}

/// Stop waiting for the browser.
#[tauri::command]
pub async fn cancel_google_sign_in(state: State<'_, AppState>) -> Result<bool> {
    Ok(match lock(&state.google_sign_in).take() {
        Some(t) => {
            t.cancel();
            true
        }
        None => false,
    })
}
