//! Native file dialogs (rfd, GTK on Linux) that never block the window.
//!
//! The dialog is built on the main thread (GTK wants that) as a future; the command awaits
//! it on the async runtime, so the webview keeps painting while the dialog is open.

use crate::error::{Code, Error, Result};
use rfd::{AsyncFileDialog, FileHandle};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use tauri::{AppHandle, Manager};

type Pending<T> = Pin<Box<dyn Future<Output = T> + Send>>;

fn dialog_failed(e: impl std::fmt::Display) -> Error {
    Error::new(Code::Internal, format!("the file dialog could not be opened: {e}"), "Type the path instead, or drag the files onto the window.")
}

async fn on_main<T: Send + 'static>(app: &AppHandle, open: impl FnOnce(AsyncFileDialog) -> Pending<T> + Send + 'static) -> Result<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let window = app.get_webview_window("main");
    app.run_on_main_thread(move || {
        let mut d = AsyncFileDialog::new().set_can_create_directories(true);
        if let Some(w) = &window {
            d = d.set_parent(w);
        }
        if let Some(home) = std::env::var_os("HOME") {
            d = d.set_directory(home);
        }
        let pending = open(d);
        tauri::async_runtime::spawn(async move {
            let _ = tx.send(pending.await);
        });
    })
    .map_err(dialog_failed)?;
    rx.await.map_err(dialog_failed)
}

fn paths(handles: Option<Vec<FileHandle>>) -> Vec<PathBuf> {
    handles.unwrap_or_default().iter().map(|h| h.path().to_path_buf()).collect()
}

/// Several files; an empty list when the user cancels.
pub async fn pick_files(app: &AppHandle, title: &'static str) -> Result<Vec<PathBuf>> {
    let picked = on_main(app, move |d| {
        Box::pin(d.set_title(title).add_filter("NetCDF", &["nc", "nc4", "cdf", "netcdf"]).add_filter("All files", &["*"]).pick_files())
    })
    .await?;
    Ok(paths(picked))
}

/// One file of a kind; `None` when the user cancels.
pub async fn pick_file(app: &AppHandle, title: &'static str, kind: &'static str, extensions: &'static [&'static str]) -> Result<Option<PathBuf>> {
    let picked = on_main(app, move |d| Box::pin(d.set_title(title).add_filter(kind, extensions).add_filter("All files", &["*"]).pick_file())).await?;
    Ok(picked.map(|h| h.path().to_path_buf()))
}

/// One folder; `None` when the user cancels.
pub async fn pick_folder(app: &AppHandle, title: &'static str) -> Result<Option<PathBuf>> {
    let picked = on_main(app, move |d| Box::pin(d.set_title(title).pick_folder())).await?;
    Ok(picked.map(|h| h.path().to_path_buf()))
}

/// A file to save; `None` when the user cancels.
pub async fn save_file(app: &AppHandle, title: &'static str, file_name: String) -> Result<Option<PathBuf>> {
    let picked = on_main(app, move |d| Box::pin(d.set_title(title).set_file_name(file_name).save_file())).await?;
    Ok(picked.map(|h| h.path().to_path_buf()))
}
