//! `ferry inspect` as a user runs it: real files, the real binary, exit codes and messages.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn ferry(args: &[&str]) -> Out {
    let o = Command::new(env!("CARGO_BIN_EXE_ferry")).args(args).output().expect("run ferry");
    Out { code: o.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&o.stdout).into(), stderr: String::from_utf8_lossy(&o.stderr).into() }
}

fn json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut a = vec!["inspect", "--json"];
    a.extend_from_slice(args);
    let o = ferry(&a);
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
    (o.code, serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", o.stdout, o.stderr)))
}

#[test]
fn a1b_by_year_merges_along_time_in_the_360_day_calendar() {
    let dir = fixtures().join("derived/A1B_by_year");
    let (code, v) = json(&[dir.to_str().unwrap()]);
    assert_eq!(code, 0);
    let ds = &v["dataset"];
    assert_eq!(ds["concat_dim"], "time");
    assert_eq!(ds["order"]["method"], "concat_coordinate");
    let files = ds["files"].as_array().unwrap();
    assert_eq!(files.len(), 6);
    let time = ds["dims"].as_array().unwrap().iter().find(|d| d["name"] == "time").unwrap();
    assert_eq!(time["len"], 72);
    assert_eq!(ds["time"]["calendar"], "360_day");
    assert_eq!(ds["time"]["step"], "yearly");
    // Offsets follow the merged order.
    for (i, f) in files.iter().enumerate() {
        assert_eq!(f["offset"], 12 * i as u64);
    }
    assert!(ds["problems"].as_array().unwrap().iter().all(|p| p["severity"] != "error"));
    let plan = v["plan"]["variables"].as_array().unwrap().iter().find(|p| p["name"] == "air_temperature").unwrap();
    assert_eq!(plan["chunks"], serde_json::json!([72, 37, 49]));
}

#[test]
fn nemo_is_ordered_by_time_centered_where_xarray_fails() {
    let dir = fixtures().join("iris-sample-data/NEMO");
    let (code, v) = json(&[dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{v}");
    let ds = &v["dataset"];
    assert_eq!(ds["concat_dim"], "time_counter");
    assert_eq!(ds["order"]["method"], "auxiliary_coordinate");
    assert_eq!(ds["order"]["variable"], "time_centered");
    let firsts: Vec<_> = ds["files"].as_array().unwrap().iter().map(|f| f["first"].as_str().unwrap().to_string()).collect();
    let mut sorted = firsts.clone();
    sorted.sort();
    assert_eq!(firsts, sorted);
}

#[test]
fn text_output_reads_like_ncdump() {
    let dir = fixtures().join("derived/navy_winds_by_year");
    let o = ferry(&["inspect", dir.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("dimensions:"));
    assert!(o.stdout.contains("TIME = UNLIMITED ; // (36 currently, concat dimension, 3 files)"), "{}", o.stdout);
    assert!(o.stdout.contains("float UWND(TIME, FNOCY, FNOCX) ;"));
    assert!(o.stdout.contains("chunk plan"));
}

#[test]
fn groups_are_listed_and_selectable() {
    let f = fixtures().join("compliance-checker/lateral_search_example.nc");
    let o = ferry(&["inspect", f.to_str().unwrap()]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("error[group_not_found]"), "{}", o.stderr);
    assert!(o.stderr.contains("/region1/subgroup1"), "{}", o.stderr);
    let (code, v) = json(&["--group", "/region1/subgroup1", f.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(v["dataset"]["variables"].as_array().unwrap().iter().any(|x| x["name"] == "temperature"));
}

#[test]
fn missing_path_names_it() {
    let o = ferry(&["inspect", "/no/such/folder"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("error[path_not_found]: /no/such/folder"), "{}", o.stderr);
    assert!(o.stderr.contains("hint:"));
}

#[test]
fn chunk_override_and_bad_override() {
    let dir = fixtures().join("derived/A1B_by_year");
    let (code, v) = json(&["--chunks", "time=24", dir.to_str().unwrap()]);
    assert_eq!(code, 0);
    let plan = v["plan"]["variables"].as_array().unwrap().iter().find(|p| p["name"] == "air_temperature").unwrap();
    assert_eq!(plan["chunks"], serde_json::json!([24, 37, 49]));
    assert_eq!(plan["n_chunks"], 3);
    let o = ferry(&["inspect", "--chunks", "depth=3", dir.to_str().unwrap()]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("error[bad_argument]: --chunks: the dataset has no dimension depth"), "{}", o.stderr);
}

/// `ferry about | head`, `ferry inspect … | head`: the reader goes away; Ferry ends quietly (141
/// where println! met the closed pipe, as `cat` would under a shell), never with a panic.
#[test]
fn a_closed_stdout_ends_quietly() {
    let dir = fixtures().join("derived/A1B_by_year");
    for (args, codes) in [(vec!["about"], vec![141]), (vec!["inspect", dir.to_str().unwrap()], vec![0, 141])] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ferry")).args(&args).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        drop(child.stdout.take()); // the reader is gone before the first line
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "ferry {args:?}: {stderr}");
        assert!(out.status.code().is_some_and(|c| codes.contains(&c)), "ferry {args:?}: {:?} {stderr}", out.status);
    }
}
