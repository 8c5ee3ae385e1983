//! The "New Dataset" issue form of the LEAP-Pangeo data-management repository, as a table.
//!
//! Copied from `.github/ISSUE_TEMPLATE/new_dataset.yaml` in
//! <https://github.com/leap-stc/data-management> (last changed upstream in commit
//! 2f3897a212cd514d49db0aa21ef5e8d1b7da123a, 2023-06-05; checked against the repository's
//! head of 2026-07). Field ids, labels, options and `required` flags are verbatim: GitHub
//! matches prefilled URL parameters by id and dropdown values by their exact text, and the
//! data-management bots read the submitted issue by its `### Label` headings.
//! If the form upstream changes, change this table (and the golden files) with it.

use serde::Serialize;
use ts_rs::TS;

/// The repository whose issue form Ferry fills in, unless the user picks another.
pub const DEFAULT_REPO: &str = "leap-stc/data-management";
/// The form's file name under `.github/ISSUE_TEMPLATE/` (the `template=` URL parameter).
pub const TEMPLATE: &str = "new_dataset.yaml";
/// The label the form puts on every issue it opens.
pub const LABEL: &str = "dataset";
/// What GitHub writes for an optional field left empty.
pub const NO_RESPONSE: &str = "_No response_";

/// The issue title the form asks for: `New Dataset [<dataset name>]`.
pub fn title(name: &str) -> String {
    format!("New Dataset [{}]", name.trim())
}

/// The kind of form element, which decides how a value is entered and rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum FieldKind {
    /// One line of text.
    Input,
    /// Several lines of Markdown.
    Textarea,
    /// One of `options`, exactly as written.
    Dropdown,
}

/// One field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FormField {
    /// The field's `id`: its key in prefilled URLs and in Ferry's JSON.
    pub id: &'static str,
    /// The heading GitHub renders (`### <label>`).
    pub label: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    /// The dropdown's options (empty for other kinds).
    pub options: &'static [&'static str],
    /// The form's own default value (`value:`), if any.
    pub default: Option<&'static str>,
    /// Set for textareas rendered as a code block (`render: shell`).
    pub render: Option<&'static str>,
    /// The form's help text, shortened, for the wizard.
    pub help: &'static str,
}

const fn field(id: &'static str, label: &'static str, kind: FieldKind, required: bool, help: &'static str) -> FormField {
    FormField { id, label, kind, required, options: &[], default: None, render: None, help }
}

/// `Data Format` options; the last one is "Other (describe below)" upstream, not "Other".
pub const FORMAT_OPTIONS: &[&str] =
    &["NetCDF", "HDF", "OPeNDAP", "Zarr", "Grib", "GeoTIFF / COG", "Parquet", "CSV / TSV etc.", "Other (describe below)"];
pub const LOCATION_OPTIONS: &[&str] = &["HTTP(S)", "FTP", "S3", "Other cloud storage (GCS, ADLFS)", "Globus", "scp", "Other"];
pub const AUTHORIZATION_OPTIONS: &[&str] =
    &["No; data are fully public", "Username / Password", "NASA Earthdata Login", "API Token", "Globus login", "Other authorization"];
pub const TARGET_FORMAT_OPTIONS: &[&str] = &["Zarr", "Reference Filesystem (Kerchunk)", "Parquet", "Other"];

/// The form's fields, in the form's order.
pub const FIELDS: &[FormField] = &[
    field("name", "Dataset Name", FieldKind::Input, true, "The official name of the dataset"),
    field("url", "Dataset URL", FieldKind::Input, false, "Link to the official version of the dataset (if it exists)"),
    field(
        "description",
        "Description",
        FieldKind::Textarea,
        false,
        "A few sentences describing why this dataset is interesting / important / useful and to which LEAP research it would be useful.",
    ),
    field("size", "Size", FieldKind::Input, false, "How large is the full dataset and is it split over multiple files"),
    FormField {
        default: Some("Unknown"),
        ..field(
            "license",
            "License",
            FieldKind::Input,
            true,
            "The usage license of the data: an official name from the SPDX license list, or a URL pointing at the official license.",
        )
    },
    FormField { options: FORMAT_OPTIONS, ..field("format", "Data Format", FieldKind::Dropdown, true, "") },
    field("format-other", "Data Format (other)", FieldKind::Input, false, "Only fill this out if you chose \"Other\" in the previous question"),
    FormField {
        options: LOCATION_OPTIONS,
        ..field("location", "Access protocol", FieldKind::Dropdown, true, "How will Pangeo Forge Cloud access your data?")
    },
    field(
        "organization",
        "Source File Organization",
        FieldKind::Textarea,
        false,
        "Describe how the source files are organized in as much detail as possible.",
    ),
    FormField {
        render: Some("shell"),
        ..field("examples", "Example URLs", FieldKind::Textarea, false, "If possible, give some examples of some actual URLs that point to the data")
    },
    FormField {
        options: AUTHORIZATION_OPTIONS,
        ..field("authorization", "Authorization", FieldKind::Dropdown, false, "Is any authorization required to access the data?")
    },
    field(
        "transformation",
        "Transformation / Processing",
        FieldKind::Textarea,
        false,
        "Describe how the files should be combined into one analysis-ready dataset, and any transformations or cleaning.",
    ),
    FormField { options: TARGET_FORMAT_OPTIONS, ..field("target-format", "Target Format", FieldKind::Dropdown, true, "") },
    field("comments", "Comments", FieldKind::Textarea, false, "Any other comments you wish to share about the dataset."),
];

/// The field with this id.
pub fn field_by_id(id: &str) -> Option<&'static FormField> {
    FIELDS.iter().find(|f| f.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_dropdowns_have_options() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(FIELDS[..i].iter().all(|g| g.id != f.id && g.label != f.label), "{}", f.id);
            assert_eq!(f.kind == FieldKind::Dropdown, !f.options.is_empty(), "{}", f.id);
            assert!(f.render.is_none() || f.kind == FieldKind::Textarea);
        }
        assert_eq!(FIELDS.len(), 14);
        assert_eq!(title(" x "), "New Dataset [x]");
    }
}
