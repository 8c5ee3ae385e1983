//! The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows):
//! the only place Ferry keeps a secret beyond its own memory, and only when the user ticks
//! "remember me". Blocking calls: run them off the async workers.

use super::Secret;
use crate::error::{Code, Error, Result};

const SERVICE: &str = "org.leap-pangeo.ferry";

/// The keychain entry of a Google browser sign-in with this OAuth client.
pub fn google_account(client_id: &str) -> String {
    format!("google-oauth:{client_id}")
}

fn unavailable(e: &keyring::Error) -> Error {
    // The error text names the platform's failure, never the secret.
    Error::new(
        Code::Unsupported,
        format!("the system keychain is not available ({e})"),
        "Start your desktop's keyring (GNOME Keyring, KWallet) and try again, or sign in without \"remember me\".",
    )
}

fn entry(account: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, account).map_err(|e| unavailable(&e))
}

pub fn save(account: &str, secret: &Secret) -> Result<()> {
    entry(account)?.set_password(secret.expose()).map_err(|e| unavailable(&e))
}

/// The remembered secret, if any.
pub fn load(account: &str) -> Result<Option<Secret>> {
    match entry(account)?.get_password() {
        Ok(s) => Ok(Some(Secret::new(s))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(unavailable(&e)),
    }
}

/// Remove it; `false` if there was nothing to remove.
pub fn forget(account: &str) -> Result<bool> {
    match entry(account)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(unavailable(&e)),
    }
}
