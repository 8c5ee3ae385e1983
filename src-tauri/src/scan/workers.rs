//! Reading many headers on several cores. libnetcdf and HDF5 are not thread-safe (the netcdf
//! crate holds one global lock), and opening a NetCDF-4 file costs about half a millisecond inside
//! HDF5 alone, so the parallelism is across processes: `ferry` runs itself as
//! `ferry __read-headers`, one child per extra core, each reading a contiguous share of the files
//! and sending the headers back as JSON lines; the parent reads its own share meanwhile.
//!
//! Only a program that says so uses this ([`enable`]: the `ferry` binary at start), never a test
//! binary or another program linking the library: for them `current_exe` is not `ferry`.

use super::model::{Attr, AttrValue, CoordData, DType, Dim, FileHeader, Var};
use crate::error::{Code, Error, Result};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Below this many files one process is quick enough (starting a child costs ~10 ms).
pub const MIN_FILES: usize = 200;
/// The hidden subcommand a child runs.
pub const SUBCOMMAND: &str = "__read-headers";

static EXE: OnceLock<PathBuf> = OnceLock::new();

/// Let the scanner start copies of this program (`exe`, which must understand [`SUBCOMMAND`]).
pub fn enable(exe: PathBuf) {
    let _ = EXE.set(exe);
}

/// How many processes to use for `n` files: 1 unless enabled, worth it, and cores to spare.
/// `FERRY_SCAN_PROCESSES` overrides (1 turns it off).
fn processes(n: usize) -> usize {
    if EXE.get().is_none() || !cfg!(unix) {
        return 1;
    }
    if let Some(p) = std::env::var("FERRY_SCAN_PROCESSES").ok().and_then(|v| v.parse::<usize>().ok()) {
        return p.clamp(1, 64).min(n.max(1));
    }
    if n < MIN_FILES {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |c| c.get()).min(8)
}

#[derive(Serialize, Deserialize)]
enum WireValue {
    Text(String),
    Strings(Vec<String>),
    Int(Vec<i64>),
    UInt(Vec<u64>),
    /// f64 bits: JSON has no NaN or infinity, and the merge compares values exactly.
    Float(Vec<u64>),
}

#[derive(Serialize, Deserialize)]
struct WireAttr {
    name: String,
    dtype: DType,
    value: WireValue,
}

#[derive(Serialize, Deserialize)]
struct WireVar {
    name: String,
    dtype: DType,
    dims: Vec<String>,
    shape: Vec<u64>,
    attrs: Vec<WireAttr>,
    disk_chunks: Option<Vec<u64>>,
}

#[derive(Serialize, Deserialize)]
struct WireHeader {
    size: u64,
    mtime: i64,
    format: String,
    dims: Vec<(String, u64, bool)>,
    vars: Vec<WireVar>,
    attrs: Vec<WireAttr>,
    groups: Vec<String>,
    coords: Vec<(String, Option<Vec<u64>>, Option<u64>)>,
}

#[derive(Serialize, Deserialize)]
enum Answer {
    Ok(WireHeader),
    Err { code: Code, message: String, hint: String },
}

fn attr_out(a: &Attr) -> WireAttr {
    let value = match &a.value {
        AttrValue::Text(s) => WireValue::Text(s.clone()),
        AttrValue::Strings(v) => WireValue::Strings(v.clone()),
        AttrValue::Int(v) => WireValue::Int(v.clone()),
        AttrValue::UInt(v) => WireValue::UInt(v.clone()),
        AttrValue::Float(v) => WireValue::Float(v.iter().map(|x| x.to_bits()).collect()),
    };
    WireAttr { name: a.name.clone(), dtype: a.dtype, value }
}

fn attr_in(a: WireAttr) -> Attr {
    let value = match a.value {
        WireValue::Text(s) => AttrValue::Text(s),
        WireValue::Strings(v) => AttrValue::Strings(v),
        WireValue::Int(v) => AttrValue::Int(v),
        WireValue::UInt(v) => AttrValue::UInt(v),
        WireValue::Float(v) => AttrValue::Float(v.into_iter().map(f64::from_bits).collect()),
    };
    Attr { name: a.name, dtype: a.dtype, value }
}

fn header_out(h: &FileHeader) -> WireHeader {
    WireHeader {
        size: h.size,
        mtime: h.mtime,
        format: h.format.to_string(),
        dims: h.dims.iter().map(|d| (d.name.clone(), d.len, d.unlimited)).collect(),
        vars: h
            .vars
            .iter()
            .map(|v| WireVar { name: v.name.clone(), dtype: v.dtype, dims: v.dims.clone(), shape: v.shape.clone(), attrs: v.attrs.iter().map(attr_out).collect(), disk_chunks: v.disk_chunks.clone() })
            .collect(),
        attrs: h.attrs.iter().map(attr_out).collect(),
        groups: h.groups.clone(),
        coords: h.coords.iter().map(|(k, c)| (k.clone(), c.values.as_ref().map(|v| v.iter().map(|x| x.to_bits()).collect()), c.checksum)).collect(),
    }
}

/// The formats [`super::sniff::Kind::name`] gives, as the `&'static str` the header holds.
fn format_name(s: &str) -> &'static str {
    use super::sniff::Kind;
    [Kind::Classic, Kind::Offset64, Kind::Cdf5, Kind::Hdf5].into_iter().map(Kind::name).find(|n| *n == s).unwrap_or("unknown")
}

fn header_in(path: &Path, w: WireHeader) -> FileHeader {
    FileHeader {
        path: path.to_path_buf(),
        size: w.size,
        mtime: w.mtime,
        format: format_name(&w.format),
        dims: w.dims.into_iter().map(|(name, len, unlimited)| Dim { name, len, unlimited }).collect(),
        vars: w
            .vars
            .into_iter()
            .map(|v| Var { name: v.name, dtype: v.dtype, dims: v.dims, shape: v.shape, attrs: v.attrs.into_iter().map(attr_in).collect(), disk_chunks: v.disk_chunks })
            .collect(),
        attrs: w.attrs.into_iter().map(attr_in).collect(),
        groups: w.groups,
        coords: w.coords.into_iter().map(|(k, v, checksum)| (k, CoordData { values: v.map(|v| v.into_iter().map(f64::from_bits).collect()), checksum })).collect(),
    }
}

#[cfg(unix)]
fn path_bytes(p: &Path) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes()
}

#[cfg(unix)]
fn path_from(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_bytes(p: &Path) -> &[u8] {
    p.to_str().unwrap_or_default().as_bytes()
}

#[cfg(not(unix))]
fn path_from(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// The child: NUL-separated paths on stdin, one JSON answer per file on stdout, in order.
pub fn serve(group: Option<&str>) -> std::process::ExitCode {
    super::quiet::silence_hdf5_on_this_thread();
    let mut input = Vec::new();
    if std::io::stdin().read_to_end(&mut input).is_err() {
        return std::process::ExitCode::FAILURE;
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for raw in input.split(|&b| b == 0).filter(|b| !b.is_empty()) {
        let answer = match super::read_header(&path_from(raw), group) {
            Ok(h) => Answer::Ok(header_out(&h)),
            Err(e) => Answer::Err { code: e.code, message: e.message, hint: e.hint },
        };
        let line = serde_json::to_string(&answer).unwrap_or_default();
        if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
            return std::process::ExitCode::FAILURE; // the parent went away
        }
    }
    std::process::ExitCode::SUCCESS
}

fn child_failed(path: &Path, why: &str) -> Error {
    Error::new(Code::Internal, format!("{}: the helper process reading headers failed ({why})", crate::error::display_path(path)), "Run again; if it repeats, set FERRY_SCAN_PROCESSES=1 and report it.")
}

/// Read the headers of `files` with several processes, or `None` when one is best (few files,
/// one core, not enabled). The answers are in the order of `files`; `progress` as in
/// [`super::read_headers`].
pub fn read_parallel(files: &[PathBuf], group: Option<&str>, progress: &mut dyn FnMut(usize, usize), pool: &std::sync::Arc<super::CoordPool>) -> Option<Vec<(PathBuf, Result<FileHeader>)>> {
    let n = processes(files.len());
    if n < 2 {
        return None;
    }
    let exe = EXE.get()?;
    let total = files.len();
    // Share 0 stays here; shares 1.. go to children.
    let bounds: Vec<usize> = (0..=n).map(|i| i * total / n).collect();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut children = Vec::new();
    for i in 1..n {
        let share = files[bounds[i]..bounds[i + 1]].to_vec();
        let mut cmd = std::process::Command::new(exe);
        cmd.arg(SUBCOMMAND);
        if let Some(g) = group {
            cmd.args(["--group", g]);
        }
        let spawned = cmd.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null()).spawn();
        let Ok(mut child) = spawned else { return None }; // cannot start it: read everything here
        let mut stdin = child.stdin.take()?;
        let stdout = child.stdout.take()?;
        let done = done.clone();
        let pool = pool.clone();
        children.push(std::thread::spawn(move || -> Vec<(PathBuf, Result<FileHeader>)> {
            let mut list = Vec::new();
            for p in &share {
                list.extend_from_slice(path_bytes(p));
                list.push(0);
            }
            let writer = std::thread::spawn(move || {
                let _ = stdin.write_all(&list);
            });
            let mut out = Vec::with_capacity(share.len());
            for (p, line) in share.iter().zip(std::io::BufReader::new(stdout).lines()) {
                let r = match line.ok().and_then(|l| serde_json::from_str::<Answer>(&l).ok()) {
                    Some(Answer::Ok(w)) => Ok(pool.shared(header_in(p, w))),
                    Some(Answer::Err { code, message, hint }) => Err(Error::new(code, message, hint)),
                    None => Err(child_failed(p, "unreadable answer")),
                };
                out.push((p.clone(), r));
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            let _ = writer.join();
            let _ = child.wait();
            // A child that died early (killed, crashed on a file) leaves the rest unanswered: say so per file.
            for p in &share[out.len()..] {
                out.push((p.clone(), Err(child_failed(p, "it stopped early"))));
            }
            out
        }));
    }
    let mut mine = Vec::with_capacity(bounds[1]);
    for p in &files[..bounds[1]] {
        mine.push((p.clone(), super::read_header(p, group).map(|h| pool.shared(h))));
        progress(mine.len() + done.load(std::sync::atomic::Ordering::Relaxed), total);
    }
    let mut all = mine;
    for c in children {
        match c.join() {
            Ok(list) => all.extend(list),
            Err(_) => return None,
        }
    }
    progress(total, total);
    Some(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What crosses between processes comes back exactly: NaN and infinities, integers beyond
    /// 2^53, strings, shapes and coordinate values.
    #[test]
    fn headers_cross_processes_exactly() {
        let attr = |name: &str, dtype, value| Attr { name: name.into(), dtype, value };
        let h = FileHeader {
            path: PathBuf::from("/d/a.nc"),
            size: 123,
            mtime: -5,
            format: "netcdf4",
            dims: vec![Dim { name: "time".into(), len: 3, unlimited: true }],
            vars: vec![Var {
                name: "t".into(),
                dtype: DType::Float64,
                dims: vec!["time".into()],
                shape: vec![3],
                attrs: vec![attr("_FillValue", DType::Float64, AttrValue::Float(vec![f64::NAN, f64::INFINITY, -0.0, 1e-310]))],
                disk_chunks: Some(vec![1024]),
            }],
            attrs: vec![
                attr("big", DType::Uint64, AttrValue::UInt(vec![u64::MAX])),
                attr("neg", DType::Int64, AttrValue::Int(vec![i64::MIN])),
                attr("title", DType::Char, AttrValue::Text("Zürich \u{1F30D}".into())),
                attr("names", DType::String, AttrValue::Strings(vec!["a".into(), String::new()])),
            ],
            groups: vec!["/g".into()],
            coords: [("t".to_string(), CoordData { values: Some(vec![0.5, f64::NAN].into()), checksum: Some(7) })].into_iter().collect(),
        };
        let line = serde_json::to_string(&Answer::Ok(header_out(&h))).unwrap();
        let Answer::Ok(w) = serde_json::from_str::<Answer>(&line).unwrap() else { panic!("not ok") };
        let back = header_in(Path::new("/d/a.nc"), w);
        // PartialEq on f64 says NaN != NaN: compare the bits through the wire form again.
        assert_eq!(serde_json::to_string(&Answer::Ok(header_out(&back))).unwrap(), line);
        assert_eq!(back.format, "netcdf4");
        assert_eq!(back.attrs[..], h.attrs[..]);
        assert_eq!((back.size, back.mtime, &back.dims, &back.groups), (h.size, h.mtime, &h.dims, &h.groups));
        let AttrValue::Float(f) = &back.vars[0].attrs[0].value else { panic!("not float") };
        assert!(f[0].is_nan() && f[1] == f64::INFINITY && f[2].to_bits() == (-0.0f64).to_bits());
    }

    #[test]
    fn errors_keep_their_code() {
        let line = serde_json::to_string(&Answer::Err { code: Code::TruncatedFile, message: "x.nc: truncated".into(), hint: "h".into() }).unwrap();
        let Answer::Err { code, .. } = serde_json::from_str::<Answer>(&line).unwrap() else { panic!("not err") };
        assert_eq!(code, Code::TruncatedFile);
    }

    /// Not enabled (a test binary): always one process, whatever the count.
    #[test]
    fn off_unless_enabled() {
        assert_eq!(processes(100_000), 1);
    }
}
