//! The prefilled "new issue" URL: `https://github.com/<repo>/issues/new?template=…&title=…&labels=…&<field id>=…`.
//! GitHub answers URLs longer than about 8 KB with an error page, so a draft too long for one
//! opens with the title only and its body goes to the clipboard.

use super::draft::IssueDraft;
use super::form::{FieldKind, FIELDS, TEMPLATE};
use super::markdown::render_body;
use super::redact::redact;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The longest URL Ferry opens: GitHub refuses those past about 8 KB (8,192 bytes); keep a margin.
pub const MAX_URL_BYTES: usize = 8000;

/// Everything but RFC 3986's unreserved characters is escaped (spaces as `%20`).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encode one query value or key.
pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// How to deliver the draft through the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IssueLink {
    /// The URL to open.
    pub url: String,
    /// True when every field travels in the URL; false when the URL carries the title only
    /// and the body must be pasted (`clipboard` holds it).
    pub prefilled: bool,
    /// The text to put on the clipboard when `prefilled` is false.
    pub clipboard: Option<String>,
    /// What to tell the user, when there is something to tell.
    pub message: Option<String>,
    /// Length in bytes of the fully prefilled URL (whether used or not).
    #[ts(type = "number")]
    pub full_length: usize,
}

fn base(repo: &str) -> String {
    let repo = repo.trim().trim_matches('/');
    let repo = repo.strip_prefix("https://github.com/").unwrap_or(repo);
    format!("https://github.com/{}/issues/new", repo.split('/').map(encode).collect::<Vec<_>>().join("/"))
}

/// The URL with every field prefilled by id (empty fields left out), however long it is.
pub fn full_url(draft: &IssueDraft) -> String {
    let mut q = vec![("template".to_string(), TEMPLATE.to_string()), ("title".to_string(), draft.title()), ("labels".to_string(), draft.labels().join(","))];
    for f in FIELDS {
        let v = draft.fields.get(f.id).unwrap_or("");
        let v = match f.kind {
            FieldKind::Textarea => v.replace("\r\n", "\n").trim().to_string(),
            _ => super::draft::single_line(v),
        };
        if !v.is_empty() {
            q.push((f.id.to_string(), v));
        }
    }
    let query = q.iter().map(|(k, v)| format!("{}={}", encode(k), encode(&redact(v)))).collect::<Vec<_>>().join("&");
    format!("{}?{query}", base(&draft.repo))
}

/// The URL with the title only (and the label), for drafts too long to prefill.
pub fn title_only_url(draft: &IssueDraft) -> String {
    format!("{}?title={}&labels={}", base(&draft.repo), encode(&redact(&draft.title())), encode(&draft.labels().join(",")))
}

/// The link to open: prefilled when it fits in [`MAX_URL_BYTES`], else title only with the body for the clipboard.
pub fn issue_link(draft: &IssueDraft) -> IssueLink {
    issue_link_with_limit(draft, MAX_URL_BYTES)
}

pub fn issue_link_with_limit(draft: &IssueDraft, limit: usize) -> IssueLink {
    let full = full_url(draft);
    let full_length = full.len();
    if full_length <= limit {
        return IssueLink { url: full, prefilled: true, clipboard: None, message: None, full_length };
    }
    IssueLink {
        url: title_only_url(draft),
        prefilled: false,
        clipboard: Some(render_body(&draft.fields)),
        message: Some(format!(
            "The draft is too long for a prefilled link ({} KB; GitHub takes about 8 KB), so the issue opens with its title only. The text of the request is on the clipboard: paste it as the issue's description.",
            full_length.div_ceil(1000)
        )),
        full_length,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::draft::IssueFields;

    fn draft(comments: &str) -> IssueDraft {
        IssueDraft {
            repo: "leap-stc/data-management".into(),
            fields: IssueFields { name: "a & b / c?".into(), license: "Unknown".into(), comments: comments.into(), ..Default::default() },
            notes: vec![],
        }
    }

    #[test]
    fn encoding() {
        assert_eq!(encode("a b&c=d/é~_.-"), "a%20b%26c%3Dd%2F%C3%A9~_.-");
        let u = full_url(&draft("line 1\nline 2 #x"));
        assert_eq!(
            u,
            "https://github.com/leap-stc/data-management/issues/new?template=new_dataset.yaml&title=New%20Dataset%20%5Ba%20%26%20b%20%2F%20c%3F%5D&labels=dataset&name=a%20%26%20b%20%2F%20c%3F&license=Unknown&comments=line%201%0Aline%202%20%23x"
        );
    }

    #[test]
    fn long_drafts_fall_back_to_title_only() {
        let d = draft(&"word ".repeat(3000));
        let l = issue_link(&d);
        assert!(!l.prefilled);
        assert!(l.full_length > MAX_URL_BYTES);
        assert_eq!(l.url, "https://github.com/leap-stc/data-management/issues/new?title=New%20Dataset%20%5Ba%20%26%20b%20%2F%20c%3F%5D&labels=dataset");
        assert!(l.clipboard.as_deref().unwrap().contains("### Comments\n\nword word"));
        assert!(l.message.unwrap().contains("clipboard"));
        let short = issue_link(&draft("short"));
        assert!(short.prefilled && short.clipboard.is_none() && short.url.len() <= MAX_URL_BYTES);
    }
}
