//! The catalog request: the "New Dataset" issue of LEAP-Pangeo's data-management repository
//! and the feedstock's `meta.yaml`/`catalog.yaml`, prefilled from the scan and the store.
//!
//! Flow: [`store::store_status`] (or the uploader's own [`StoreInfo`]) → [`draft::draft_issue`]
//! → the user edits [`IssueFields`] → [`render`] for the live preview, validation and the
//! browser link → [`feedstock::draft_feedstock`] for the catalog files. Every rendered text
//! passes through [`redact::redact`]: no home path, credential or token leaves the machine.

pub mod draft;
pub mod feedstock;
pub mod form;
pub mod markdown;
pub mod redact;
pub mod store;
pub mod url;

pub use draft::{draft_issue, DraftNote, DraftOptions, IssueDraft, IssueFields};
pub use feedstock::{draft_feedstock, FeedstockDraft, FeedstockOptions, Maintainer, SchemaProblem};
pub use markdown::FieldProblem;
pub use store::{store_location, store_status, StoreArray, StoreInfo, StoreKind};
pub use url::IssueLink;

use serde::Serialize;
use ts_rs::TS;

/// Everything the wizard's preview shows for one state of the draft.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RenderedIssue {
    pub repo: String,
    pub title: String,
    pub labels: Vec<String>,
    /// The issue body, as GitHub will show it ("Copy Markdown").
    pub body: String,
    /// Title as a heading, then the body ("Save as .md").
    pub document: String,
    /// "Open in browser".
    pub link: IssueLink,
    /// Values the form would refuse; empty when the draft can be submitted.
    pub problems: Vec<FieldProblem>,
}

/// Render, link and validate a draft (the user's edits included).
pub fn render(issue: &IssueDraft) -> RenderedIssue {
    RenderedIssue {
        repo: issue.repo.clone(),
        title: redact::redact(&issue.title()),
        labels: issue.labels(),
        body: markdown::render_body(&issue.fields),
        document: markdown::render_document(issue),
        link: url::issue_link(issue),
        problems: markdown::validate(&issue.fields),
    }
}

/// The two catalog files, their problems and what to do with them.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RenderedFeedstock {
    pub draft: FeedstockDraft,
    pub meta_yaml: String,
    pub catalog_yaml: String,
    pub problems: Vec<SchemaProblem>,
    /// Markdown: where the files go and how to propose them.
    pub instructions: String,
}

pub fn render_feedstock(d: &FeedstockDraft) -> RenderedFeedstock {
    RenderedFeedstock {
        draft: d.clone(),
        meta_yaml: feedstock::meta_yaml(d),
        catalog_yaml: feedstock::catalog_yaml(d),
        problems: feedstock::validate_feedstock(d),
        instructions: redact::redact(&feedstock::instructions(d)),
    }
}
