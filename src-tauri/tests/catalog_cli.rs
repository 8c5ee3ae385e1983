//! `ferry draft-issue` as a user runs it: the real binary, real fixtures, a local store.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/derived").join(name).to_string_lossy().into_owned()
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn ferry(args: &[&str]) -> Out {
    let o = Command::new(env!("CARGO_BIN_EXE_ferry")).arg("draft-issue").args(args).output().expect("run ferry");
    let out = Out { code: o.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&o.stdout).into(), stderr: String::from_utf8_lossy(&o.stderr).into() };
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out
}

/// A Zarr v2 store folder; with consolidated metadata when `complete`.
fn store(dir: &Path, complete: bool) -> PathBuf {
    let p = dir.join("winds.zarr");
    std::fs::create_dir_all(&p).unwrap();
    std::fs::write(p.join(".zgroup"), r#"{"zarr_format":2}"#).unwrap();
    if complete {
        std::fs::write(
            p.join(".zmetadata"),
            r#"{"metadata":{".zgroup":{"zarr_format":2},".zattrs":{},"UWND/.zarray":{"shape":[36,73,144],"chunks":[36,73,144],"compressor":null},"UWND/.zattrs":{"_ARRAY_DIMENSIONS":["TIME","FNOCY","FNOCX"]}},"zarr_consolidated_format":1}"#,
        )
        .unwrap();
    }
    p
}

#[test]
fn markdown_on_stdout_link_and_notes_on_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), true);
    let o = ferry(&["--store", s.to_str().unwrap(), &fixture("navy_winds_by_year")]);
    // A local store: the access protocol is left empty (required), so the draft is not ready.
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.starts_with("# New Dataset [winds]\n\n### Dataset Name\n\nwinds\n"), "{}", o.stdout);
    assert!(o.stdout.contains("One file per year: 3 NetCDF files from 1982 to 1984"));
    assert!(o.stdout.contains("Written as Zarr v2, uncompressed, with consolidated metadata. Chunks:\n\n- `UWND`: TIME=36, FNOCY=73, FNOCX=144"), "{}", o.stdout);
    assert!(!o.stdout.contains("https://github.com/"));
    assert!(o.stderr.contains("note[local_store] (location)"), "{}", o.stderr);
    assert!(o.stderr.contains("note[license_unknown] (license)"));
    assert!(o.stderr.contains("https://github.com/leap-stc/data-management/issues/new?template=new_dataset.yaml&title=New%20Dataset%20%5Bwinds%5D&labels=dataset&name=winds"));
    assert!(o.stderr.trim_end().ends_with("hint: Fill them in on GitHub, or pass --set ID=VALUE."), "{}", o.stderr);
    assert!(o.stderr.contains("error[draft_incomplete]: 1 field(s)"));

    let o = ferry(&["--store", s.to_str().unwrap(), "--set", "location=S3", "--set", "license=CC-BY-4.0", "--repo", "me/test-repo", &fixture("navy_winds_by_year")]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("### License\n\nCC-BY-4.0\n"));
    assert!(!o.stderr.contains("license_unknown"));
    assert!(o.stderr.contains("https://github.com/me/test-repo/issues/new?template=new_dataset.yaml"));
}

#[test]
fn json_has_the_fields_by_id_the_link_and_the_catalog_files() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), true);
    let out_dir = tmp.path().join("feedstock");
    let o = ferry(&[
        "--json",
        "--store",
        &format!("file://{}", s.display()),
        "--set",
        "location=S3",
        "--maintainer",
        "Bob Example",
        "--github",
        "@bob",
        "--feedstock",
        out_dir.to_str().unwrap(),
        &fixture("navy_winds_by_year"),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", o.stdout));
    let fields = &v["issue"]["fields"];
    assert_eq!(fields["name"], "winds");
    assert_eq!(fields["format"], "NetCDF");
    assert_eq!(fields["target-format"], "Zarr");
    assert_eq!(fields["format-other"], "");
    assert_eq!(v["rendered"]["title"], "New Dataset [winds]");
    assert_eq!(v["rendered"]["labels"], serde_json::json!(["dataset"]));
    assert_eq!(v["rendered"]["link"]["prefilled"], true);
    assert_eq!(v["store"]["complete"], true);
    assert_eq!(v["store"]["kind"]["type"], "local");
    let meta = std::fs::read_to_string(out_dir.join("meta.yaml")).unwrap();
    assert_eq!(meta, v["feedstock"]["meta_yaml"].as_str().unwrap());
    assert!(meta.contains("maintainers:\n  - name: \"Bob Example\"\n    github: \"bob\"\n"), "{meta}");
    let catalog = std::fs::read_to_string(out_dir.join("catalog.yaml")).unwrap();
    assert!(catalog.contains("\"ncviewjs:meta_yaml_url\": \"https://github.com/leap-stc/winds_feedstock/blob/main/feedstock/meta.yaml\""), "{catalog}");
    assert!(v["feedstock"]["instructions"].as_str().unwrap().contains("catalog/input.yaml"));
}

#[test]
fn an_incomplete_store_fails_and_the_draft_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), false);
    let o = ferry(&["--store", s.to_str().unwrap(), "--set", "location=S3"]);
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("**The store is not complete yet:**"), "{}", o.stdout);
    assert!(o.stderr.contains("error[store_incomplete]"), "{}", o.stderr);
}

#[test]
fn bad_input_says_what_to_do() {
    // No network in tests: a closed loopback endpoint must be named as unreachable, quickly.
    let o = ferry(&["--store", "s3://leap-pangeo-inbox/x/a.zarr", "--endpoint", "http://127.0.0.1:9"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("error[store_unreachable]: s3://leap-pangeo-inbox/x/a.zarr"), "{}", o.stderr);

    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), true);
    let o = ferry(&["--store", s.to_str().unwrap(), "--set", "colour=blue"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("error[bad_argument]: --set colour: the form has no field colour"), "{}", o.stderr);

    let o = ferry(&["--store", tmp.path().to_str().unwrap()]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("error[not_a_store]"), "{}", o.stderr);
}
