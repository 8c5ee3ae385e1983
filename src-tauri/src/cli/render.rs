//! Text rendering of an inspection: `ncdump -h` for the merged dataset, then time, problems, plan.

use crate::inspect::Inspection;
use crate::merge::Severity;
use crate::plan::MB;
use std::fmt::Write;

fn name_of(path: &str) -> &str {
    std::path::Path::new(path).file_stem().and_then(|s| s.to_str()).unwrap_or(path)
}

pub fn inspection(r: &Inspection) -> String {
    let ds = &r.dataset;
    let mut s = String::new();
    let title = match ds.files.as_slice() {
        [one] => name_of(&one.path).to_string(),
        files => format!("{} ({} files)", name_of(&files[0].path), files.len()),
    };
    let _ = writeln!(s, "netcdf {title} {{");
    if ds.group != "/" {
        let _ = writeln!(s, "// group: {}", ds.group);
    }
    let _ = writeln!(s, "dimensions:");
    for d in &ds.dims {
        let concat = if d.concat { format!("concat dimension, {} files", ds.files.len()) } else { String::new() };
        if d.unlimited {
            let sep = if concat.is_empty() { "" } else { ", " };
            let _ = writeln!(s, "\t{} = UNLIMITED ; // ({} currently{sep}{concat})", d.name, d.len);
        } else if d.concat {
            let _ = writeln!(s, "\t{} = {} ; // {concat}", d.name, d.len);
        } else {
            let _ = writeln!(s, "\t{} = {} ;", d.name, d.len);
        }
    }
    let _ = writeln!(s, "variables:");
    for v in &ds.variables {
        let dims = if v.dims.is_empty() { String::new() } else { format!("({})", v.dims.join(", ")) };
        let _ = writeln!(s, "\t{} {}{dims} ;", v.dtype.cdl(), v.name);
        for a in &v.attrs {
            let _ = writeln!(s, "\t\t{}:{} = {} ;", v.name, a.name, clip(&a.value.cdl(a.dtype)));
        }
    }
    if !ds.attrs.is_empty() {
        let _ = writeln!(s, "\n// global attributes:");
        for a in &ds.attrs {
            let _ = writeln!(s, "\t\t:{} = {} ;", a.name, clip(&a.value.cdl(a.dtype)));
        }
    }
    let _ = writeln!(s, "}}\n");

    let _ = writeln!(s, "files: {} ({}), {}", ds.files.len(), human_bytes(ds.files.iter().map(|f| f.size).sum()), ds.order.note);
    if let Some(t) = &ds.time {
        let range = match (&t.first, &t.last) {
            (Some(a), Some(b)) => format!("{a} to {b}"),
            _ => "empty".into(),
        };
        let _ = writeln!(s, "time: {} {range}, {} steps, {}, calendar {}, units \"{}\"", t.variable, t.steps, t.step, t.calendar, t.units);
    }
    if !ds.skipped.is_empty() {
        let _ = writeln!(s, "skipped while searching folders:");
        for k in &ds.skipped {
            let _ = writeln!(s, "  {}: {}", k.path, k.reason);
        }
    }
    if !ds.problems.is_empty() {
        let _ = writeln!(s, "\nproblems:");
        for p in &ds.problems {
            let sev = match p.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            let _ = writeln!(s, "  {sev}[{}]: {}\n    -> {}", p.code, p.message, p.hint);
        }
    }

    let plan = &r.plan;
    let _ = writeln!(s, "\nchunk plan (target {} MB per chunk):", plan.target_mb);
    let w = plan.variables.iter().map(|v| v.name.len()).max().unwrap_or(8).max(8);
    let _ = writeln!(s, "  {:w$}  {:>24}  {:>10}  {:>8}  {:>12}", "variable", "chunk shape", "MB/chunk", "chunks", "total MB");
    for v in &plan.variables {
        let shape = v.chunks.iter().map(u64::to_string).collect::<Vec<_>>().join("x");
        let _ = writeln!(
            s,
            "  {:w$}  {:>24}  {:>10.2}  {:>8}  {:>12.2}{}",
            v.name,
            shape,
            v.chunk_bytes as f64 / MB as f64,
            v.n_chunks,
            v.total_bytes as f64 / MB as f64,
            v.warning.as_deref().map(|w| format!("  ! {w}")).unwrap_or_default()
        );
    }
    let _ = write!(s, "  total: {} uncompressed in {} chunks", human_bytes(plan.total_bytes), plan.total_chunks);
    s
}

/// Long attributes (whole histories, embedded files) are cut for the terminal; `--json` has them whole.
fn clip(s: &str) -> String {
    const MAX: usize = 400;
    if s.len() <= MAX {
        return s.to_string();
    }
    let cut = (0..=MAX).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
    format!("{}… ({} characters; --json shows all)", &s[..cut], s.chars().count())
}

pub fn human_bytes(b: u64) -> String {
    let b = b as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} kB", b / 1e3)
    } else {
        format!("{b} B")
    }
}
