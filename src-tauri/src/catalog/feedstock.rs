//! The catalog entry: `meta.yaml` and `catalog.yaml` in the LEAP feedstock format, ready for
//! the pull request.
//!
//! Format and required fields follow the catalog schema of leap-stc/leap-data-management-utils
//! (`leap_data_management_utils/catalog.py`, pydantic models `Feedstock`, `Maintainer`,
//! `Provider`, `Provenance`, `LicenseLink`, `Store`; documented in its `docs/catalog.md`) and
//! the files of leap-stc/LEAP_template_feedstock (`feedstock/meta.yaml`, `feedstock/catalog.yaml`).
//! `catalog.yaml` points at `meta.yaml` with the `"ncviewjs:meta_yaml_url"` key, the one the
//! schema's alias and the template use; `leap-catalog validate` merges the two files.

use super::draft::{global_attrs, single_line, IssueDraft};
use super::redact::redact;
use super::store::{StoreInfo, StoreKind};
use crate::inspect::Inspection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Maintainer {
    pub name: String,
    /// GitHub user name, without `@`.
    pub github: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Provider {
    pub name: String,
    pub description: Option<String>,
    /// `producer`, `licensor`, `processor`, `host`.
    pub roles: Vec<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LicenseLink {
    pub title: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Provenance {
    pub providers: Vec<Provider>,
    pub license: String,
    pub license_link: Option<LicenseLink>,
}

/// `meta.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Meta {
    pub title: String,
    pub description: String,
    pub maintainers: Vec<Maintainer>,
    pub provenance: Provenance,
}

/// One entry of `catalog.yaml`'s `stores`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogStore {
    pub id: String,
    pub name: Option<String>,
    pub url: String,
}

/// `catalog.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Catalog {
    /// Where `meta.yaml` will be on GitHub (`"ncviewjs:meta_yaml_url"`).
    pub meta_yaml_url: String,
    pub tags: Vec<String>,
    pub stores: Vec<CatalogStore>,
}

/// Both files, and the feedstock repository they belong in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FeedstockDraft {
    /// `owner/name` of the feedstock repository, e.g. `leap-stc/a1b_feedstock`.
    pub repo: String,
    pub meta: Meta,
    pub catalog: Catalog,
    /// Whether the store was complete when drafted.
    pub store_complete: bool,
    /// Whether the store is on this computer only.
    pub store_local: bool,
}

#[derive(Debug, Clone, Default)]
pub struct FeedstockOptions {
    pub maintainers: Vec<Maintainer>,
    /// Feedstock repository; `None` means `leap-stc/<store id>_feedstock`.
    pub repo: Option<String>,
    /// Extra tags.
    pub tags: Vec<String>,
}

/// Lowercase letters, digits and `-`: `A1B North America` → `a1b-north-america`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    out.chars().take(64).collect::<String>().trim_end_matches('-').to_string()
}

/// Draft both files from the (possibly edited) issue draft, the scan and the store.
pub fn draft_feedstock(issue: &IssueDraft, inspection: Option<&Inspection>, store: &StoreInfo, opts: &FeedstockOptions) -> FeedstockDraft {
    let attrs = global_attrs(inspection, store);
    let f = &issue.fields;
    let name = single_line(&f.name);
    let id = store.name().map(|n| slug(&n)).filter(|s| !s.is_empty()).unwrap_or_else(|| slug(&name));
    let id = if id.is_empty() { "dataset".to_string() } else { id };

    let mut providers = Vec::new();
    let producer = ["institution", "creator_institution", "creator_name", "publisher_name", "institution_id"].iter().find_map(|k| attrs.get(*k).map(|v| single_line(v)).filter(|v| !v.is_empty()));
    if let Some(p) = producer {
        let url = ["creator_url", "institution_url", "publisher_url"].iter().find_map(|k| attrs.get(*k).map(|v| v.trim().to_string()).filter(|v| v.starts_with("http")));
        let description = attrs.get("source").map(|v| single_line(v)).filter(|v| !v.is_empty());
        providers.push(Provider { name: p, description, roles: vec!["producer".into(), "licensor".into()], url });
    }
    match &store.kind {
        StoreKind::S3 { .. } if store.is_osn() => providers.push(Provider {
            name: "Open Storage Network".into(),
            description: Some("The OSN pod that hosts the Zarr store.".into()),
            roles: vec!["host".into()],
            url: Some("https://www.openstoragenetwork.org".into()),
        }),
        StoreKind::S3 { .. } => providers.push(Provider { name: "S3 object storage".into(), description: Some("Hosts the Zarr store.".into()), roles: vec!["host".into()], url: None }),
        StoreKind::Gcs { .. } => providers.push(Provider {
            name: "Google Cloud Storage".into(),
            description: Some("Hosts the Zarr store.".into()),
            roles: vec!["host".into()],
            url: Some("https://cloud.google.com/storage".into()),
        }),
        StoreKind::Local => {}
    }

    let license = single_line(&f.license);
    let license_link = if license.starts_with("https://") || license.starts_with("http://") {
        Some(LicenseLink { title: "License".into(), url: Some(license.clone()) })
    } else if is_spdx_like(&license) {
        Some(LicenseLink { title: license.clone(), url: Some(format!("https://spdx.org/licenses/{license}.html")) })
    } else {
        None
    };

    let mut tags = vec!["zarr".to_string()];
    let mut add = |t: &str| {
        let t = slug(t);
        if !t.is_empty() && !tags.contains(&t) && tags.len() < 12 {
            tags.push(t);
        }
    };
    for k in ["realm", "keywords"] {
        if let Some(v) = attrs.get(k) {
            v.split([',', ';']).filter(|t| t.len() <= 40).for_each(&mut add);
        }
    }
    opts.tags.iter().for_each(|t| add(t));

    let repo = opts.repo.clone().filter(|r| !r.trim().is_empty()).unwrap_or_else(|| format!("leap-stc/{}_feedstock", id.replace('-', "_")));
    let store_url = match store.kind {
        StoreKind::Local => store.url.clone(),
        _ => store.open_url().to_string(),
    };
    FeedstockDraft {
        meta: Meta {
            title: name.clone(),
            description: f.description.trim().to_string(),
            maintainers: opts.maintainers.clone(),
            provenance: Provenance { providers, license, license_link },
        },
        catalog: Catalog {
            meta_yaml_url: format!("https://github.com/{}/blob/main/feedstock/meta.yaml", repo.trim()),
            tags,
            stores: vec![CatalogStore { id, name: Some(name).filter(|n| !n.is_empty()), url: redact(&store_url) }],
        },
        repo: repo.trim().to_string(),
        store_complete: store.complete,
        store_local: store.kind == StoreKind::Local,
    }
}

/// An SPDX-looking id: one word of letters, digits, `-`, `.`, `+` (`CC-BY-4.0`, `MIT`).
fn is_spdx_like(s: &str) -> bool {
    !s.is_empty() && s != "Unknown" && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '+')) && s.chars().any(|c| c.is_ascii_alphabetic())
}

/// A YAML scalar: a literal block for multi-line text, else a double-quoted string
/// (JSON's escapes are valid YAML).
fn scalar(s: &str, indent: usize) -> String {
    let s = s.replace("\r\n", "\n");
    let plain_lines = s.lines().all(|l| !l.chars().any(|c| c.is_control() && c != '\t'));
    if s.contains('\n') && plain_lines && !s.starts_with([' ', '\t', '\n']) && !s.contains('\t') {
        let pad = " ".repeat(indent);
        let body = s.trim_end().lines().map(|l| if l.is_empty() { String::new() } else { format!("{pad}{l}") }).collect::<Vec<_>>().join("\n");
        format!("|-\n{body}")
    } else {
        serde_json::to_string(&s).unwrap_or_else(|_| "\"\"".into())
    }
}

/// `meta.yaml`, with comments saying what each part is for.
pub fn meta_yaml(d: &FeedstockDraft) -> String {
    let m = &d.meta;
    let mut y = String::new();
    y.push_str("# meta.yaml: the dataset's description for the LEAP-Pangeo catalog (drafted by Ferry).\n");
    y.push_str(&format!("# It belongs in {} as feedstock/meta.yaml.\n", d.repo));
    y.push_str(&format!("title: {}\n", scalar(&m.title, 2)));
    if m.description.trim().is_empty() {
        y.push_str("description: \"\" # TODO: a few sentences on what the data are and what they are good for\n");
    } else {
        y.push_str(&format!("description: {}\n", scalar(&m.description, 2)));
    }
    y.push_str("provenance:\n");
    if !m.provenance.providers.iter().any(|p| p.roles.iter().any(|r| r == "producer")) {
        y.push_str("  # TODO: add who produced the data: - name: \"…\", roles: [producer, licensor], url: \"…\"\n");
    }
    if m.provenance.providers.is_empty() {
        y.push_str("  providers: []\n");
    } else {
        y.push_str("  providers:\n");
    }
    for p in &m.provenance.providers {
        y.push_str(&format!("    - name: {}\n", scalar(&p.name, 8)));
        if let Some(desc) = &p.description {
            y.push_str(&format!("      description: {}\n", scalar(desc, 8)));
        }
        if !p.roles.is_empty() {
            y.push_str("      roles:\n");
            for r in &p.roles {
                y.push_str(&format!("        - {r}\n"));
            }
        }
        if let Some(u) = &p.url {
            y.push_str(&format!("      url: {}\n", scalar(u, 8)));
        }
    }
    let license = m.provenance.license.trim();
    let todo = if license.is_empty() || license == "Unknown" { " # TODO: the data's license: an SPDX name (e.g. CC-BY-4.0) or a link" } else { "" };
    y.push_str(&format!("  license: {}{todo}\n", scalar(&m.provenance.license, 4)));
    if let Some(l) = &m.provenance.license_link {
        y.push_str(&format!("  license_link:\n    title: {}\n", scalar(&l.title, 6)));
        if let Some(u) = &l.url {
            y.push_str(&format!("    url: {}\n", scalar(u, 6)));
        }
    }
    if m.maintainers.is_empty() {
        y.push_str("maintainers: [] # TODO: add yourself: - name: \"Your Name\"  github: your-github-handle\n");
    } else {
        y.push_str("maintainers:\n");
        for mt in &m.maintainers {
            y.push_str(&format!("  - name: {}\n", scalar(&mt.name, 4)));
            if let Some(g) = &mt.github {
                y.push_str(&format!("    github: {}\n", scalar(g.trim_start_matches('@'), 4)));
            }
        }
    }
    redact(&y)
}

/// `catalog.yaml`, with comments saying what each part is for.
pub fn catalog_yaml(d: &FeedstockDraft) -> String {
    let c = &d.catalog;
    let mut y = String::new();
    y.push_str("# catalog.yaml: the LEAP-Pangeo catalog entry (drafted by Ferry). It belongs in\n");
    y.push_str(&format!("# {} as feedstock/catalog.yaml, next to meta.yaml.\n", d.repo));
    if !d.store_complete {
        y.push_str("# NOT READY: the store has no consolidated metadata yet (its upload did not finish).\n");
    }
    y.push_str(&format!("\"ncviewjs:meta_yaml_url\": {}\n", scalar(&c.meta_yaml_url, 2)));
    y.push_str("tags:\n");
    for t in &c.tags {
        y.push_str(&format!("  - {}\n", scalar(t, 4)));
    }
    y.push_str("stores:\n");
    for s in &c.stores {
        y.push_str(&format!("  - id: {}\n", scalar(&s.id, 6)));
        if let Some(n) = &s.name {
            y.push_str(&format!("    name: {}\n", scalar(n, 6)));
        }
        y.push_str(&format!("    url: {}\n", scalar(&s.url, 6)));
    }
    redact(&y)
}

/// A field the catalog schema requires that is missing, or a value LEAP's catalog cannot use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SchemaProblem {
    /// `meta.yaml` or `catalog.yaml`.
    pub file: String,
    /// Dotted path of the field, e.g. `provenance.license`, `stores[0].url`.
    pub path: String,
    pub message: String,
}

/// Check the draft against the schema's required fields (pydantic `Feedstock` and friends)
/// and against what LEAP's catalog needs to show the data.
pub fn validate_feedstock(d: &FeedstockDraft) -> Vec<SchemaProblem> {
    let mut out = Vec::new();
    let mut p = |file: &str, path: &str, message: &str| out.push(SchemaProblem { file: file.into(), path: path.into(), message: message.into() });
    let m = &d.meta;
    if m.title.trim().is_empty() {
        p("meta.yaml", "title", "The title is required.");
    }
    if m.description.trim().is_empty() {
        p("meta.yaml", "description", "The description is required: a few sentences on what the data are.");
    }
    if m.maintainers.is_empty() {
        p("meta.yaml", "maintainers", "Add at least one maintainer (name and GitHub user name).");
    }
    for (i, mt) in m.maintainers.iter().enumerate() {
        if mt.name.trim().is_empty() {
            p("meta.yaml", &format!("maintainers[{i}].name"), "Each maintainer needs a name.");
        }
    }
    if m.provenance.providers.is_empty() {
        p("meta.yaml", "provenance.providers", "Name at least one provider: who produced the data.");
    }
    for (i, pr) in m.provenance.providers.iter().enumerate() {
        if pr.name.trim().is_empty() {
            p("meta.yaml", &format!("provenance.providers[{i}].name"), "Each provider needs a name.");
        }
    }
    if m.provenance.license.trim().is_empty() {
        p("meta.yaml", "provenance.license", "The license is required (an SPDX name such as CC-BY-4.0, or a link).");
    } else if m.provenance.license.trim() == "Unknown" {
        p("meta.yaml", "provenance.license", "The license is \"Unknown\": find the data's license before cataloguing them.");
    }
    let c = &d.catalog;
    if !(c.meta_yaml_url.starts_with("https://") || c.meta_yaml_url.starts_with("http://")) {
        p("catalog.yaml", "ncviewjs:meta_yaml_url", "Must be the https:// URL of meta.yaml on GitHub.");
    }
    if c.stores.is_empty() {
        p("catalog.yaml", "stores", "List the store.");
    }
    for (i, s) in c.stores.iter().enumerate() {
        if s.id.trim().is_empty() {
            p("catalog.yaml", &format!("stores[{i}].id"), "Each store needs an id.");
        }
        if s.url.trim().is_empty() {
            p("catalog.yaml", &format!("stores[{i}].url"), "Each store needs a URL.");
        } else if d.store_local {
            p("catalog.yaml", &format!("stores[{i}].url"), "The store is on this computer: upload it to the OSN pod or GCS and use that URL.");
        }
    }
    if !d.store_complete {
        p("catalog.yaml", "stores[0].url", "The store has no consolidated metadata yet: finish the upload first.");
    }
    out
}

/// What to do with the two files, in Markdown.
pub fn instructions(d: &FeedstockDraft) -> String {
    let repo = &d.repo;
    let (owner, name) = repo.split_once('/').unwrap_or(("leap-stc", repo));
    let cat = d.catalog.meta_yaml_url.replace("/meta.yaml", "/catalog.yaml");
    format!(
        "## What to do with meta.yaml and catalog.yaml

1. Create the feedstock repository `{repo}` from the template
   https://github.com/leap-stc/LEAP_template_feedstock (\"Use this template\"): make it public,
   under the `{owner}` organization, named `{name}`.
2. Replace `feedstock/meta.yaml` and `feedstock/catalog.yaml` with these two files, fill in
   what is marked TODO, and commit them to `main`. `catalog.yaml` points at
   {meta} — change it if the repository is named differently.
3. Check them: `pip install \"leap-data-management-utils[catalog]\"`, then
   `leap-catalog validate --single {cat}`.
4. Open a pull request on https://github.com/leap-stc/data-management that adds
   `  - {cat}` under `feedstocks:` in `catalog/input.yaml`, and mention the \"New Dataset\" issue in it.
",
        meta = d.catalog.meta_yaml_url,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_scalars() {
        assert_eq!(slug("A1B North-America (v2)"), "a1b-north-america-v2");
        assert_eq!(slug("__x__"), "x");
        assert_eq!(scalar("plain", 2), "\"plain\"");
        assert_eq!(scalar("a \"q\" \\", 2), "\"a \\\"q\\\" \\\\\"");
        assert_eq!(scalar("one\n\ntwo\n", 2), "|-\n  one\n\n  two");
        assert_eq!(scalar(" lead\nx", 2), "\" lead\\nx\"");
        assert!(is_spdx_like("CC-BY-4.0") && !is_spdx_like("Unknown") && !is_spdx_like("see terms"));
    }
}
