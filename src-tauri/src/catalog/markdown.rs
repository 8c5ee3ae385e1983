//! The issue body exactly as GitHub renders a submitted issue form (`### <Label>`, a blank
//! line, the value or `_No response_`), its parse back, and the form's validations.

use super::draft::{single_line, IssueDraft, IssueFields};
use super::form::{FieldKind, FormField, FIELDS, NO_RESPONSE};
use super::redact::redact;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The value as the submitted form shows it.
fn render_value(f: &FormField, value: &str) -> String {
    let v = match f.kind {
        FieldKind::Input | FieldKind::Dropdown => single_line(value),
        FieldKind::Textarea => value.replace("\r\n", "\n").trim_matches('\n').trim_end().to_string(),
    };
    if v.trim().is_empty() {
        return NO_RESPONSE.to_string();
    }
    match f.render {
        Some(lang) => format!("```{lang}\n{v}\n```"),
        None => v,
    }
}

/// The issue body in Markdown, as GitHub shows the submitted form. Cleaned with `redact`.
pub fn render_body(fields: &IssueFields) -> String {
    let body = FIELDS.iter().map(|f| format!("### {}\n\n{}", f.label, render_value(f, fields.get(f.id).unwrap_or("")))).collect::<Vec<_>>().join("\n\n");
    redact(&body)
}

/// The Markdown for "Save as .md" and the terminal: the title as a heading, then the body.
pub fn render_document(draft: &IssueDraft) -> String {
    format!("# {}\n\n{}\n", redact(&draft.title()), render_body(&draft.fields))
}

/// Read a body in the submitted-form layout back into fields. Headings must appear in the
/// form's order; a value runs to the next expected heading.
pub fn parse_body(body: &str) -> Result<IssueFields, String> {
    let body = body.replace("\r\n", "\n");
    let mut fields = IssueFields::default();
    let heading = |f: &FormField| format!("### {}\n", f.label);
    let mut pos = match body.find(&heading(&FIELDS[0])) {
        Some(0) => 0,
        Some(p) if body[..p].ends_with('\n') => p,
        _ => return Err(format!("no \"### {}\" heading at the start", FIELDS[0].label)),
    };
    for (i, f) in FIELDS.iter().enumerate() {
        let h = heading(f);
        if !body[pos..].starts_with(&h) {
            return Err(format!("expected \"### {}\" at byte {pos}", f.label));
        }
        let start = pos + h.len();
        let end = match FIELDS.get(i + 1) {
            Some(next) => {
                let nh = format!("\n{}", heading(next));
                start + body[start..].find(&nh).ok_or_else(|| format!("no \"### {}\" heading after \"### {}\"", next.label, f.label))? + 1
            }
            None => body.len(),
        };
        let raw = body[start..end].trim_matches('\n').trim_end();
        let mut v = if raw == NO_RESPONSE { "" } else { raw };
        if let Some(lang) = f.render {
            let open = format!("```{lang}\n");
            if let Some(inner) = v.strip_prefix(open.as_str()).and_then(|r| r.strip_suffix("\n```")) {
                v = inner;
            }
        }
        fields.set(f.id, v);
        pos = end;
    }
    Ok(fields)
}

/// A value the form would refuse, or that a reviewer would bounce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldProblem {
    /// The form field id.
    pub field: String,
    /// `required`, `not_an_option`, `format_other_missing`, `not_a_url`.
    pub code: String,
    pub message: String,
}

/// The form's own validations (required fields, dropdown options) and a few obvious ones.
pub fn validate(fields: &IssueFields) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    let mut push = |f: &FormField, code: &str, message: String| out.push(FieldProblem { field: f.id.to_string(), code: code.to_string(), message });
    for f in FIELDS {
        let v = fields.get(f.id).unwrap_or("").trim();
        if f.required && v.is_empty() {
            push(f, "required", format!("{} is required.", f.label));
            continue;
        }
        if f.kind == FieldKind::Dropdown && !v.is_empty() && !f.options.contains(&v) {
            push(f, "not_an_option", format!("{}: \"{v}\" is not one of the form's options ({}).", f.label, f.options.join(" | ")));
        }
        if f.id == "url" && !v.is_empty() && !(v.starts_with("https://") || v.starts_with("http://")) {
            push(f, "not_a_url", format!("{}: \"{v}\" is not a link (https://…).", f.label));
        }
    }
    if fields.format.starts_with("Other") && fields.format_other.trim().is_empty() {
        let f = super::form::field_by_id("format-other").expect("form has format-other");
        push(f, "format_other_missing", "Data Format is \"Other\": say which format in Data Format (other).".to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_awkward_values() {
        let f = IssueFields {
            name: "A [test]\nname".into(),
            description: "Line one\n\n### not a heading\n\nline three".into(),
            examples: "https://a/b.nc\nhttps://a/c.nc".into(),
            license: "Unknown".into(),
            format: "NetCDF".into(),
            location: "S3".into(),
            target_format: "Zarr".into(),
            comments: "```python\nx = 1\n```".into(),
            ..Default::default()
        };
        let md = render_body(&f);
        assert!(md.starts_with("### Dataset Name\n\nA [test] name\n\n### Dataset URL\n\n_No response_\n\n"));
        assert!(md.contains("### Example URLs\n\n```shell\nhttps://a/b.nc\nhttps://a/c.nc\n```\n\n### Authorization"));
        let back = parse_body(&md).unwrap();
        let mut expect = f.clone();
        expect.name = "A [test] name".into();
        assert_eq!(back, expect);
        assert!(validate(&back).is_empty(), "{:?}", validate(&back));
    }

    #[test]
    fn validation() {
        let p = validate(&IssueFields { format: "Other (describe below)".into(), location: "Dropbox".into(), url: "www.x".into(), ..Default::default() });
        let codes: Vec<(&str, &str)> = p.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect();
        assert_eq!(
            codes,
            vec![
                ("name", "required"),
                ("url", "not_a_url"),
                ("license", "required"),
                ("location", "not_an_option"),
                ("target-format", "required"),
                ("format-other", "format_other_missing")
            ]
        );
    }
}
