//! Step 1, sign-in: "Sign in with Google in the browser" (src/auth/google_oauth.rs). The OAuth
//! client file is chosen once (settings) or named by `FERRY_OAUTH_CLIENT`; the browser opens on
//! Google's consent page; the tokens stay in this process, and the webview sees only "signed in
//! as <e-mail>".

use super::credentials::Session;
use super::sign_in::{self, Destination, SignedIn};
use super::{blocking, dialog, lock, AppState};
use crate::auth::google_oauth::{sign_in_with_browser, OAuthClient, BROWSER_TIMEOUT};
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
#[tauri::command]
pub async fn sign_in_with_google(app: AppHandle, state: State<'_, AppState>, destination: Destination) -> Result<SignedIn> {
    if !matches!(destination, Destination::Gcs { .. }) {
        return Err(Error::bad_argument("Sign in with Google is for Google Cloud Storage", "Choose another sign-in method for this destination."));
    }
    let a = app.clone();
    let client = blocking(move || match configured(&a) {
        Some(p) => OAuthClient::from_file(&p),
        None => Err(Error::new(Code::BadArgument, "no OAuth client file is set", "Choose the client_secret.json your organisation provides (or set FERRY_OAUTH_CLIENT), or sign in with a token.")),
    })
    .await?;
    let cancel = CancellationToken::new();
    *lock(&state.google_sign_in) = Some(cancel.clone());
    let opener = app.clone();
    let open = move |url: &str| {
        opener.opener().open_url(url, None::<&str>).map_err(|e| Error::new(Code::Internal, format!("the browser could not be opened: {e}"), "Set a default web browser, or sign in with a token instead."))
    };
    let result = sign_in_with_browser(&client, open, cancel, BROWSER_TIMEOUT).await;
    *lock(&state.google_sign_in) = None;
    sign_in::check_and_keep(&app, &state, &destination, Session::google(result?)).await
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
