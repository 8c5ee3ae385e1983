//! The catalog request drafted from real fixtures: golden Markdown, URL and YAML, parsed back
//! against the form's field ids and options and the catalog schema's required fields.
//!
//! `UPDATE_GOLDEN=1 cargo test --test catalog_draft` rewrites the files under tests/golden/catalog/.

use ferry::catalog::{
    self, draft_feedstock, draft_issue, form, markdown, render, render_feedstock, store_location, store_status, DraftOptions, FeedstockOptions, IssueDraft,
    Maintainer, StoreInfo,
};
use ferry::{inspect, InspectOptions, Inspection};
use serde_json::json;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn inspect_fixture(name: &str) -> Inspection {
    let dir = root().join("tests/fixtures/derived").join(name);
    inspect(&InspectOptions::new(vec![dir]), &mut |_, _| {}).expect("inspect fixture")
}

/// A local Zarr store folder with the arrays of `ins` planned chunks: v2 (.zmetadata) or v3
/// (consolidated zarr.json), complete or not. Stands in for the uploaded copy.
fn fake_store(dir: &Path, ins: &Inspection, version: u8, complete: bool) -> PathBuf {
    let path = dir.join(format!("store-v{version}.zarr"));
    std::fs::create_dir_all(&path).unwrap();
    let arrays: Vec<_> = ins.plan.variables.iter().map(|v| (v.name.clone(), v.dims.clone(), v.shape.clone(), v.chunks.clone())).collect();
    if version == 2 {
        std::fs::write(path.join(".zgroup"), r#"{"zarr_format":2}"#).unwrap();
        std::fs::write(path.join(".zattrs"), "{}").unwrap();
        if complete {
            let mut meta = serde_json::Map::new();
            meta.insert(".zgroup".into(), json!({"zarr_format": 2}));
            meta.insert(".zattrs".into(), json!({}));
            for (name, dims, shape, chunks) in &arrays {
                meta.insert(
                    format!("{name}/.zarray"),
                    json!({"shape": shape, "chunks": chunks, "zarr_format": 2, "compressor": {"id": "blosc", "cname": "zstd", "clevel": 5, "shuffle": 1}}),
                );
                meta.insert(format!("{name}/.zattrs"), json!({"_ARRAY_DIMENSIONS": dims}));
            }
            let z = json!({"metadata": meta, "zarr_consolidated_format": 1});
            std::fs::write(path.join(".zmetadata"), serde_json::to_string_pretty(&z).unwrap()).unwrap();
        }
    } else {
        let mut meta = serde_json::Map::new();
        for (name, dims, shape, chunks) in &arrays {
            meta.insert(
                name.clone(),
                json!({"zarr_format": 3, "node_type": "array", "shape": shape, "dimension_names": dims,
                       "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": chunks}},
                       "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "zstd", "configuration": {"level": 3}}]}),
            );
        }
        let mut root = json!({"zarr_format": 3, "node_type": "group", "attributes": {}});
        if complete {
            root["consolidated_metadata"] = json!({"kind": "inline", "must_understand": false, "metadata": meta});
        }
        std::fs::write(path.join("zarr.json"), serde_json::to_string_pretty(&root).unwrap()).unwrap();
    }
    path
}

/// The remote store `url` as if uploaded: location from the URL, contents from the local copy.
fn uploaded(url: &str, local: &Path) -> StoreInfo {
    let copy = store_status(local.to_str().unwrap(), None).expect("local store status");
    StoreInfo { complete: copy.complete, zarr_bytes: copy.zarr_bytes, zarr_format: copy.zarr_format, arrays: copy.arrays, attrs: copy.attrs, ..store_location(url, None).unwrap() }
}

struct Case {
    issue: IssueDraft,
    rendered: catalog::RenderedIssue,
    feedstock: catalog::RenderedFeedstock,
}

fn case(fixture: &str, url: &str, version: u8, complete: bool) -> Case {
    let ins = inspect_fixture(fixture);
    let tmp = tempfile::tempdir().unwrap();
    let local = fake_store(tmp.path(), &ins, version, complete);
    let store = uploaded(url, &local);
    let issue = draft_issue(Some(&ins), &store, &DraftOptions::default());
    let rendered = render(&issue);
    let fs = draft_feedstock(
        &issue,
        Some(&ins),
        &store,
        &FeedstockOptions { maintainers: vec![Maintainer { name: "Alice Example".into(), github: Some("alice-example".into()) }], ..Default::default() },
    );
    Case { issue, rendered, feedstock: render_feedstock(&fs) }
}

fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden/catalog").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 to create it)", path.display()));
    if expected != actual {
        let line = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n(UPDATE_GOLDEN=1 rewrites it after review)\n--- actual ---\n{actual}",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

fn check_golden(dir: &str, c: &Case) {
    golden(&format!("{dir}/issue.md"), &c.rendered.document);
    golden(&format!("{dir}/url.txt"), &format!("{}\n", c.rendered.link.url));
    golden(&format!("{dir}/meta.yaml"), &c.feedstock.meta_yaml);
    golden(&format!("{dir}/catalog.yaml"), &c.feedstock.catalog_yaml);
}

/// Every output of a case, to search for things that must never be there.
fn all_text(c: &Case) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n{}",
        c.rendered.document,
        c.rendered.link.url,
        c.feedstock.meta_yaml,
        c.feedstock.catalog_yaml,
        c.feedstock.instructions,
        serde_json::to_string(&c.issue).unwrap(),
        serde_json::to_string(&c.feedstock.draft).unwrap()
    )
}

fn assert_private_free(c: &Case) {
    let text = all_text(c);
    if let Some(home) = std::env::var_os("HOME").and_then(|h| h.into_string().ok()).filter(|h| h.len() > 3) {
        assert!(!text.contains(&home), "the machine's home {home} appears in a draft");
    }
    assert!(!text.contains("/tmp/"), "a temporary path leaked:\n{text}");
    assert!(!text.contains(&root().canonicalize().unwrap().to_string_lossy().to_string()), "a local path leaked");
}

/// The body parses back to the same fields, and every value is one the form accepts.
fn assert_parses_back(c: &Case) {
    let back = markdown::parse_body(&c.rendered.body).expect("parse body back");
    for f in form::FIELDS {
        let drafted = c.issue.fields.get(f.id).unwrap().trim();
        let drafted = if f.kind == form::FieldKind::Textarea { drafted.to_string() } else { catalog::draft::single_line(drafted) };
        assert_eq!(back.get(f.id).unwrap(), drafted, "field {}", f.id);
        if f.kind == form::FieldKind::Dropdown && !drafted.is_empty() {
            assert!(f.options.contains(&drafted.as_str()), "{}: {drafted:?} is not an option", f.id);
        }
    }
    // The sections are exactly the form's labels, in order.
    let headings: Vec<&str> = c.rendered.body.lines().filter_map(|l| l.strip_prefix("### ")).collect();
    let labels: Vec<&str> = form::FIELDS.iter().map(|f| f.label).collect();
    assert_eq!(headings, labels);
}

/// The prefilled URL carries the template, title, label and each non-empty field by id.
fn assert_url_carries_fields(c: &Case) {
    let url = &c.rendered.link.url;
    assert!(c.rendered.link.prefilled);
    assert!(url.len() <= catalog::url::MAX_URL_BYTES);
    let (base, query) = url.split_once('?').unwrap();
    assert_eq!(base, "https://github.com/leap-stc/data-management/issues/new");
    let params: Vec<(String, String)> = query
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            assert!(v.bytes().all(|b| b.is_ascii_alphanumeric() || b"%-._~".contains(&b)), "unescaped byte in {k}={v}");
            (k.to_string(), percent_encoding::percent_decode_str(v).decode_utf8().unwrap().into_owned())
        })
        .collect();
    let get = |k: &str| params.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    assert_eq!(get("template"), Some("new_dataset.yaml"));
    assert_eq!(get("labels"), Some("dataset"));
    assert_eq!(get("title"), Some(c.issue.title().as_str()));
    for (k, _) in &params {
        assert!(["template", "title", "labels"].contains(&k.as_str()) || form::field_by_id(k).is_some(), "unknown parameter {k}");
    }
    for f in form::FIELDS {
        let v = c.issue.fields.get(f.id).unwrap().trim();
        if v.is_empty() {
            assert_eq!(get(f.id), None);
        } else if f.kind == form::FieldKind::Textarea {
            assert_eq!(get(f.id), Some(v), "{}", f.id);
        }
    }
}

/// The YAML parses, and has every field the catalog schema requires.
fn assert_schema(c: &Case) {
    let meta: serde_norway::Value = serde_norway::from_str(&c.feedstock.meta_yaml).expect("meta.yaml parses");
    let cat: serde_norway::Value = serde_norway::from_str(&c.feedstock.catalog_yaml).expect("catalog.yaml parses");
    let s = |v: &serde_norway::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let d = &c.feedstock.draft;
    assert_eq!(s(&meta, "title").as_deref(), Some(d.meta.title.as_str()));
    assert_eq!(s(&meta, "description").as_deref(), Some(d.meta.description.as_str()));
    let maint = meta.get("maintainers").and_then(|m| m.as_sequence()).expect("maintainers list");
    for m in maint {
        assert!(s(m, "name").is_some_and(|n| !n.is_empty()));
    }
    let prov = meta.get("provenance").expect("provenance");
    assert!(s(prov, "license").is_some_and(|l| !l.is_empty()));
    for p in prov.get("providers").and_then(|p| p.as_sequence()).expect("providers list") {
        assert!(s(p, "name").is_some());
        if let Some(r) = p.get("roles") {
            assert!(r.as_sequence().unwrap().iter().all(|x| ["producer", "licensor", "processor", "host"].contains(&x.as_str().unwrap())));
        }
    }
    for k in meta.as_mapping().unwrap().keys() {
        assert!(["title", "description", "maintainers", "provenance"].contains(&k.as_str().unwrap()), "{k:?}");
    }
    let url = s(&cat, "ncviewjs:meta_yaml_url").expect("ncviewjs:meta_yaml_url");
    assert!(url.starts_with("https://github.com/") && url.ends_with("/feedstock/meta.yaml"));
    assert!(cat.get("tags").and_then(|t| t.as_sequence()).is_some_and(|t| t.iter().any(|x| x.as_str() == Some("zarr"))));
    let stores = cat.get("stores").and_then(|t| t.as_sequence()).expect("stores");
    assert_eq!(stores.len(), 1);
    assert!(s(&stores[0], "id").is_some_and(|i| !i.is_empty()) && s(&stores[0], "url").is_some_and(|u| !u.is_empty()));
}

#[test]
fn a1b_on_the_osn_pod() {
    let c = case("A1B_by_year", "s3://leap-pangeo-inbox/alice/a1b.zarr", 2, true);
    check_golden("a1b_osn", &c);
    let f = &c.issue.fields;
    assert_eq!(c.issue.title(), "New Dataset [a1b]");
    assert_eq!(f.location, "S3");
    assert_eq!(f.format, "NetCDF");
    assert_eq!(f.target_format, "Zarr");
    assert_eq!(f.license, "Unknown");
    assert!(c.issue.notes.iter().any(|n| n.code == "license_unknown"));
    assert!(f.size.starts_with("6 NetCDF files totalling 702.1 kB on disk (117.0 kB each); 524.5 kB uncompressed; "), "{}", f.size);
    assert!(f.organization.starts_with("6 NetCDF files, each with 12 time steps (yearly)"), "{}", f.organization);
    assert!(f.transformation.contains("along `time`") && f.transformation.contains("`air_temperature`: time=72, latitude=37, longitude=49"), "{}", f.transformation);
    assert!(f.comments.contains("xr.open_dataset(\"https://nyu1.osn.mghpcc.org/leap-pangeo-inbox/alice/a1b.zarr\", engine=\"zarr\", chunks={})"));
    assert!(c.rendered.problems.is_empty(), "{:?}", c.rendered.problems);
    let store = &c.feedstock.draft.catalog.stores[0];
    assert_eq!(store.url, "https://nyu1.osn.mghpcc.org/leap-pangeo-inbox/alice/a1b.zarr");
    // Unknown license: the catalog entry is not ready, and says why.
    assert!(c.feedstock.problems.iter().any(|p| p.path == "provenance.license"));
    assert_parses_back(&c);
    assert_url_carries_fields(&c);
    assert_schema(&c);
    assert_private_free(&c);
}

#[test]
fn navy_winds_on_gcs_one_file_per_year() {
    let c = case("navy_winds_by_year", "gs://leap-persistent/bob/navy_winds.zarr", 3, true);
    check_golden("navy_winds_gcs", &c);
    let f = &c.issue.fields;
    assert_eq!(f.location, "Other cloud storage (GCS, ADLFS)");
    assert!(f.organization.starts_with("One file per year: 3 NetCDF files from 1982 to 1984, each with 12 time steps (monthly)."), "{}", f.organization);
    assert!(f.transformation.contains("Zarr v3, compressed with zstd") && f.transformation.contains("`UWND`, `VWND`: TIME=36, FNOCY=73, FNOCX=144"), "{}", f.transformation);
    assert_eq!(f.examples, "https://storage.googleapis.com/leap-persistent/bob/navy_winds.zarr");
    assert_eq!(c.feedstock.draft.catalog.stores[0].url, "gs://leap-persistent/bob/navy_winds.zarr");
    assert_parses_back(&c);
    assert_url_carries_fields(&c);
    assert_schema(&c);
    assert_private_free(&c);
}

#[test]
fn an_incomplete_store_says_so() {
    let c = case("navy_winds_by_year", "s3://leap-pangeo-inbox/bob/navy_winds.zarr", 2, false);
    check_golden("navy_winds_incomplete", &c);
    let f = &c.issue.fields;
    assert!(f.comments.starts_with("**The store is not complete yet:**"), "{}", f.comments);
    assert!(f.size.ends_with("Zarr size not known yet (the upload is not complete)"), "{}", f.size);
    assert!(c.issue.notes.iter().any(|n| n.code == "store_incomplete"));
    assert!(c.feedstock.catalog_yaml.contains("NOT READY"));
    assert!(c.feedstock.problems.iter().any(|p| p.message.contains("consolidated metadata")));
    // Without the store's own chunks, the chunking described is the plan's.
    assert!(f.transformation.contains("Chunks (about 100 MB uncompressed per chunk targeted"), "{}", f.transformation);
    assert_parses_back(&c);
    assert_schema(&c);
    assert_private_free(&c);
}

#[test]
fn secrets_and_home_paths_never_reach_a_draft() {
    let ins = inspect_fixture("A1B_by_year");
    let mut store = store_location("s3://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI@leap-pangeo-inbox/x/a1b.zarr?X-Amz-Signature=deadbeef", None).unwrap();
    store.complete = true;
    let home = std::env::var("HOME").unwrap_or_else(|_| "/home/alice".into());
    store.attrs.insert("summary".into(), format!("Made in {home}/projects/a1b from /home/alice/raw with token ghp_abcdefghijklmnopqrstuvwxyz0123456789."));
    store.attrs.insert("references".into(), "https://bob:hunter2@data.example.org/a1b?token=s3cr3t".into());
    let issue = draft_issue(Some(&ins), &store, &DraftOptions::default());
    let rendered = render(&issue);
    let fs = render_feedstock(&draft_feedstock(&issue, Some(&ins), &store, &FeedstockOptions::default()));
    let c = Case { issue, rendered, feedstock: fs };
    let text = all_text(&c);
    for secret in ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "deadbeef", "ghp_", "hunter2", "s3cr3t", "/home/alice"] {
        assert!(!text.contains(secret), "{secret} leaked:\n{text}");
    }
    assert!(c.issue.fields.description.contains("~/projects/a1b"), "{}", c.issue.fields.description);
    assert_eq!(c.issue.fields.url, "https://data.example.org/a1b?token=REDACTED");
    assert_private_free(&c);

    // Whatever the user types in the wizard is cleaned when rendered, too.
    let mut edited = c.issue.clone();
    edited.fields.comments = format!("see {home}/notes.txt and https://u:p@h.org/x?sig=abc");
    let r = render(&edited);
    assert!(!r.body.contains(&home) && !r.link.url.contains("u%3Ap") && !r.body.contains("sig=abc"), "{}", r.body);
}

#[test]
fn a_local_store_under_home_is_shown_with_a_tilde() {
    let Some(home) = std::env::var_os("HOME").map(PathBuf::from).filter(|h| h.is_dir() && h.to_string_lossy().len() > 3) else { return };
    let cache = home.join(".cache");
    if std::fs::create_dir_all(&cache).is_err() {
        return;
    }
    let Ok(tmp) = tempfile::Builder::new().prefix("ferry-catalog-test").tempdir_in(&cache) else { return };
    let ins = inspect_fixture("navy_winds_by_year");
    let local = fake_store(tmp.path(), &ins, 2, true);
    let store = store_status(local.to_str().unwrap(), None).unwrap();
    assert!(store.url.starts_with("~/.cache/ferry-catalog-test"), "{}", store.url);
    let issue = draft_issue(Some(&ins), &store, &DraftOptions::default());
    let rendered = render(&issue);
    // A local store cannot be catalogued: the access protocol is left for the user, flagged.
    assert!(issue.notes.iter().any(|n| n.code == "local_store"));
    assert!(rendered.problems.iter().any(|p| p.field == "location" && p.code == "required"));
    let fs = render_feedstock(&draft_feedstock(&issue, Some(&ins), &store, &FeedstockOptions::default()));
    assert!(fs.problems.iter().any(|p| p.path == "stores[0].url"));
    assert_private_free(&Case { issue, rendered, feedstock: fs });
}

#[test]
fn long_drafts_open_with_the_title_and_put_the_body_on_the_clipboard() {
    let mut c = case("A1B_by_year", "s3://leap-pangeo-inbox/alice/a1b.zarr", 2, true);
    c.issue.fields.description = "A long description. ".repeat(500);
    let r = render(&c.issue);
    assert!(!r.link.prefilled);
    assert!(r.link.full_length > catalog::url::MAX_URL_BYTES);
    assert_eq!(r.link.url, "https://github.com/leap-stc/data-management/issues/new?title=New%20Dataset%20%5Ba1b%5D&labels=dataset");
    assert_eq!(r.link.clipboard.as_deref(), Some(r.body.as_str()));
    assert!(r.link.message.as_deref().unwrap().contains("clipboard"));
    // Another repository, as configured.
    c.issue.repo = "my-org/my-data".into();
    assert!(render(&c.issue).link.url.starts_with("https://github.com/my-org/my-data/issues/new?title="));
}
