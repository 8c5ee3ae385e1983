//! Shared helpers for the integration tests: where the fixtures are, and loopback storage
//! servers — S3 (the `s3s-fs` binary, which checks SigV4 signatures) and GCS (the XML-API stub
//! `tests/servers/gcs_stub.py`, which checks the bearer token). Each server is a child process
//! killed when its handle drops.
//!
//! Use from a test file with `mod common;`.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

/// The repository's root (the folder holding `src-tauri/` and `tests/`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// Say why a test does nothing, so a skip never passes silently.
pub fn skip(why: &str) {
    eprintln!("SKIPPED: {why}");
}

/// The `s3s-fs` executable: `$S3S_FS`, else on PATH, else `~/.cargo/bin/s3s-fs`.
pub fn s3s_fs() -> Option<PathBuf> {
    let mut cands: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("S3S_FS") {
        cands.push(p.into());
    }
    if let Some(path) = std::env::var_os("PATH") {
        cands.extend(std::env::split_paths(&path).map(|d| d.join("s3s-fs")));
    }
    if let Some(h) = std::env::var_os("HOME") {
        cands.push(Path::new(&h).join(".cargo/bin/s3s-fs"));
    }
    cands.into_iter().find(|p| p.is_file())
}

pub const S3S_MISSING: &str =
    "s3s-fs is not installed (scripts/install-deps installs it: cargo install s3s-fs@0.14.1 --features binary --locked)";

/// A port nothing listens on (bound, then released). Its number holds no "401"/"403"/"404", which
/// an error classifier could mistake for a status code (tests that want such ports pick them).
pub fn closed_port() -> u16 {
    loop {
        let p = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        if !["401", "403", "404"].iter().any(|d| p.to_string().contains(d)) {
            return p;
        }
    }
}

fn wait_for_port(port: u16, child: &mut Child, timeout: Duration) -> bool {
    let t0 = Instant::now();
    while t0.elapsed() < timeout {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return false;
        }
        if TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(30));
    }
    false
}

/// A running loopback server; killed on drop.
pub struct Server {
    child: Child,
    /// Held open so the stub exits if this process dies (--exit-on-stdin-eof).
    _stdin: Option<ChildStdin>,
    _tmp: tempfile::TempDir,
    pub endpoint: String,
    pub port: u16,
    /// S3: the data folder (buckets are its sub-folders). GCS: the stub's request log.
    pub dir: PathBuf,
    pub log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// GCS stub only: every request so far as (method, path with query, status).
    pub fn requests(&self) -> Vec<(String, String, u16)> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| (v["method"].as_str().unwrap_or("").to_string(), v["path"].as_str().unwrap_or("").to_string(), v["status"].as_u64().unwrap_or(0) as u16))
            .collect()
    }
}

/// s3s-fs on a free port, with one sub-folder per bucket. `None` if the binary is missing.
pub fn start_s3(access_key: &str, secret_key: &str, buckets: &[&str]) -> Option<Server> {
    let bin = s3s_fs()?;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    for b in buckets {
        std::fs::create_dir_all(data.join(b)).unwrap();
    }
    let mut last = String::new();
    // The port may be taken between the probe and s3s-fs's bind: try a few.
    for _ in 0..5 {
        let port = closed_port();
        let mut child = Command::new(&bin)
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--access-key", access_key, "--secret-key", secret_key])
            .arg(&data)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        if wait_for_port(port, &mut child, Duration::from_secs(15)) {
            return Some(Server { child, _stdin: None, _tmp: tmp, endpoint: format!("http://127.0.0.1:{port}"), port, dir: data, log: PathBuf::new() });
        }
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        last = String::from_utf8_lossy(&out.stderr).into_owned();
    }
    panic!("s3s-fs did not start: {last}");
}

/// The Python that runs the GCS stub (stdlib only): `$FERRY_PYTHON`, else python3.
pub fn python() -> String {
    std::env::var("FERRY_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// tests/servers/gcs_stub.py on a free port. `extra`: e.g. ["--page-size", "3"], ["--fail-after", "5"].
pub fn start_gcs(token: &str, buckets: &[&str], extra: &[&str]) -> Server {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("requests.jsonl");
    let mut cmd = Command::new(python());
    cmd.arg(repo().join("tests/servers/gcs_stub.py")).args(["--port", "0", "--token", token, "--exit-on-stdin-eof", "--log"]).arg(&log);
    for b in buckets {
        cmd.args(["--bucket", b]);
    }
    let mut child = cmd
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start the GCS stub with {}: {e}", python()));
    let stdin = child.stdin.take();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port: u16 = line.trim().parse().unwrap_or_else(|_| panic!("the GCS stub printed {line:?} instead of its port"));
    assert!(wait_for_port(port, &mut child, Duration::from_secs(10)), "the GCS stub does not answer on {port}");
    Server { child, _stdin: stdin, dir: tmp.path().to_path_buf(), _tmp: tmp, endpoint: format!("http://127.0.0.1:{port}"), port, log }
}

/// S3 keys every loopback server of these tests accepts, and a wrong secret for the same key.
pub const S3_KEY: &str = "ferry-test-key";
pub const S3_SECRET: &str = "ferry-test-secret-0123456789";
pub const S3_GOOD_PROFILE: &str = "ferry-test-good";
pub const S3_BAD_PROFILE: &str = "ferry-test-bad";

/// Point `AWS_SHARED_CREDENTIALS_FILE` at a file with the two profiles above (and
/// `AWS_CONFIG_FILE` at an empty one), once per test process: tests then pick keys with
/// `DestOptions { profile: Some(..) }` and never change the environment while others run.
/// Call it first in every test that opens an S3 destination.
pub fn s3_profiles() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // One folder per test process; those of finished processes are removed here.
        let tmp = std::env::temp_dir();
        for e in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("ferry-test-aws-") {
                if !Path::new("/proc").join(pid).exists() {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = tmp.join(format!("ferry-test-aws-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let creds = dir.join("credentials");
        std::fs::write(
            &creds,
            format!(
                "[{S3_GOOD_PROFILE}]\naws_access_key_id = {S3_KEY}\naws_secret_access_key = {S3_SECRET}\n\n\
                 [{S3_BAD_PROFILE}]\naws_access_key_id = {S3_KEY}\naws_secret_access_key = wrong-secret-0000\n"
            ),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&creds, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let config = dir.join("config");
        std::fs::write(&config, "").unwrap();
        std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", &creds);
        std::env::set_var("AWS_CONFIG_FILE", &config);
    });
}

/// A file holding a GCS token (mode 600), kept as long as the returned guard lives.
pub fn token_file(token: &str) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), format!("{token}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(f.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    f
}
