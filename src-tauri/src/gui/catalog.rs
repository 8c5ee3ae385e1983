//! Step 6, catalog: the data-management "New Dataset" issue and the feedstock's catalog files,
//! drafted by `ferry::catalog` from the scan and the finished upload; the user edits, Ferry
//! re-renders (live Markdown preview, validation, the prefilled GitHub link).

use super::{blocking, dialog, lock, AppState};
use crate::catalog::{self, draft_feedstock, draft_issue, render, render_feedstock, DraftOptions, FeedstockOptions, IssueDraft, Maintainer, RenderedFeedstock, RenderedIssue, StoreInfo};
use crate::error::{Code, Error, Result};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use ts_rs::TS;

/// Who maintains the dataset, and where the request goes.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct CatalogPeople {
    /// `owner/name`; empty means leap-stc/data-management.
    pub repo: String,
    pub maintainer_name: String,
    /// GitHub user name, without `@`.
    pub github_user: String,
}

impl CatalogPeople {
    fn feedstock(&self) -> FeedstockOptions {
        let (name, github) = (self.maintainer_name.trim(), self.github_user.trim().trim_start_matches('@'));
        let maintainers = if name.is_empty() && github.is_empty() {
            vec![]
        } else {
            vec![Maintainer { name: if name.is_empty() { github.to_string() } else { name.to_string() }, github: (!github.is_empty()).then(|| github.to_string()) }]
        };
        FeedstockOptions { maintainers, ..Default::default() }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CatalogDraft {
    pub issue: IssueDraft,
    pub rendered: RenderedIssue,
    pub store: StoreInfo,
    pub feedstock: RenderedFeedstock,
}

/// The uploaded store, read back (complete or not, its size): from the last upload.
async fn uploaded_store(state: &AppState) -> Result<StoreInfo> {
    let Some(up) = lock(&state.uploaded).clone() else {
        return Err(Error::new(Code::StoreIncomplete, "nothing has been uploaded in this session", "Run the upload first: the request describes the finished store."));
    };
    blocking(move || catalog::store::store_status_with(&up.url, &crate::store::DestOptions { fail_fast: true, ..up.opts })).await
}

/// Draft the request from the scan and the finished upload.
#[tauri::command]
pub async fn draft_catalog(state: State<'_, AppState>, people: CatalogPeople) -> Result<CatalogDraft> {
    let store = uploaded_store(&state).await?;
    let ins = lock(&state.inspection).clone();
    let repo = Some(people.repo.trim().to_string()).filter(|r| !r.is_empty());
    let issue = draft_issue(ins.as_ref(), &store, &DraftOptions { repo });
    let rendered = render(&issue);
    let feedstock = render_feedstock(&draft_feedstock(&issue, ins.as_ref(), &store, &people.feedstock()));
    Ok(CatalogDraft { issue, rendered, store, feedstock })
}

/// Re-render the edited draft: Markdown, the link, and what the form would refuse.
#[tauri::command]
pub async fn render_issue(issue: IssueDraft) -> Result<RenderedIssue> {
    Ok(render(&issue))
}

/// The catalog files for the edited draft.
#[tauri::command]
pub async fn render_catalog_files(state: State<'_, AppState>, issue: IssueDraft, store: StoreInfo, people: CatalogPeople) -> Result<RenderedFeedstock> {
    let ins = lock(&state.inspection).clone();
    Ok(render_feedstock(&draft_feedstock(&issue, ins.as_ref(), &store, &people.feedstock())))
}

/// "Save as…": the native save dialog, then the text. `None` when the user cancels.
#[tauri::command]
pub async fn save_text(app: AppHandle, file_name: String, text: String) -> Result<Option<String>> {
    let Some(path) = dialog::save_file(&app, "Save the draft", file_name).await? else { return Ok(None) };
    let shown = path.to_string_lossy().into_owned();
    blocking(move || std::fs::write(&path, text).map_err(|e| Error::io(&path, &e))).await?;
    Ok(Some(shown))
}

/// Open a GitHub page (the prefilled new-issue link, documentation) in the user's browser.
#[tauri::command]
pub async fn open_link(app: AppHandle, url: String) -> Result<()> {
    use tauri_plugin_opener::OpenerExt;
    let allowed = ["https://github.com/", "https://zarr.readthedocs.io/", "https://docs.xarray.dev/", "https://leap-stc.github.io/", "https://zarr.dev/"];
    if !allowed.iter().any(|p| url.starts_with(p)) {
        return Err(Error::bad_argument(format!("{url}: not a link Ferry opens"), "Copy the link instead."));
    }
    app.opener().open_url(url, None::<&str>).map_err(|e| Error::new(Code::Internal, format!("the browser could not be opened: {e}"), "Copy the link and paste it into your browser."))
}

/// The "New Dataset" form's fields, in its order (labels, kinds, options, help).
#[tauri::command]
pub async fn catalog_form() -> Vec<catalog::form::FormField> {
    catalog::form::FIELDS.to_vec()
}
