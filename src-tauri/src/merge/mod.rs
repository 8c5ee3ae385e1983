//! Combine per-file headers into one dataset description, the way
//! `xr.open_mfdataset(files, combine="by_coords", data_vars="minimal", coords="minimal", compat="override")`
//! does: concatenate what has the record dimension, take the rest from the first file.

mod concat;
pub mod model;
mod order;

pub use model::*;

use crate::error::{Code, Error, Result};
use crate::scan::{FileHeader, Skipped};
use std::collections::BTreeSet;
use std::path::PathBuf;

pub struct MergeOptions<'a> {
    pub concat_dim: Option<&'a str>,
    pub group: Option<&'a str>,
}

/// Merge headers (some may have failed to read: they become per-file problems).
pub fn merge(results: Vec<(PathBuf, Result<FileHeader>)>, skipped: Vec<Skipped>, opts: &MergeOptions) -> Result<Dataset> {
    let total = results.len();
    let mut problems = Vec::new();
    let mut headers = Vec::new();
    let mut first_err: Option<Error> = None;
    for (path, r) in results {
        match r {
            Ok(h) => headers.push(h),
            Err(e) => {
                problems.push(Problem {
                    severity: Severity::Error,
                    code: e.code.as_str().into(),
                    file: Some(path.display().to_string()),
                    variable: None,
                    message: e.message.clone(),
                    hint: e.hint.clone(),
                });
                first_err.get_or_insert(e);
            }
        }
    }
    if headers.is_empty() {
        let e = first_err.unwrap_or_else(|| Error::new(Code::NoNetcdfFiles, "no NetCDF file to read", "Pick some NetCDF files."));
        if total == 1 {
            return Err(e);
        }
        return Err(Error::new(e.code, format!("none of the {total} files can be read; the first: {}", e.message), e.hint));
    }

    let refs: Vec<&FileHeader> = headers.iter().collect();
    let concat_dim = concat::choose(&refs, opts.concat_dim)?;
    if concat_dim.is_none() && refs.len() > 1 {
        problems.push(Problem {
            severity: Severity::Error,
            code: "no_concat_dim".into(),
            file: None,
            variable: None,
            message: format!("{} files share every dimension and coordinate: there is no dimension to concatenate them along", refs.len()),
            hint: "Name the dimension with --concat-dim, or pick only one of these files.".into(),
        });
    }
    let ordered = order::order(&refs, concat_dim.as_deref());
    problems.extend(ordered.problems);
    let sorted: Vec<&FileHeader> = ordered.order.iter().map(|&i| refs[i]).collect();
    check_consistency(&sorted, concat_dim.as_deref(), &mut problems);

    let first = sorted[0];
    let cdim = concat_dim.as_deref();
    let steps = |h: &FileHeader| cdim.and_then(|d| h.dim(d)).map_or(0, |d| d.len);
    let mut offset = 0;
    let files = ordered
        .order
        .iter()
        .map(|&i| {
            let h = refs[i];
            let n = steps(h);
            let f = SourceFile {
                path: h.path.display().to_string(),
                size: h.size,
                mtime: h.mtime,
                format: h.format.to_string(),
                offset,
                steps: n,
                first: ordered.first_last[i].0.clone(),
                last: ordered.first_last[i].1.clone(),
            };
            offset += n;
            f
        })
        .collect();
    let concat_len = offset;

    let coord_names = coordinate_names(first);
    let dims = first
        .dims
        .iter()
        .map(|d| {
            let concat = Some(d.name.as_str()) == cdim;
            MergedDim { name: d.name.clone(), len: if concat { concat_len } else { d.len }, concat, unlimited: d.unlimited }
        })
        .collect();
    let variables = first
        .vars
        .iter()
        .map(|v| {
            let concat = cdim.is_some_and(|d| v.dims.iter().any(|x| x == d));
            let shape = v.dims.iter().zip(&v.shape).map(|(d, &s)| if Some(d.as_str()) == cdim { concat_len } else { s }).collect();
            MergedVar {
                name: v.name.clone(),
                dtype: v.dtype,
                dims: v.dims.clone(),
                shape,
                attrs: v.attrs.clone(),
                role: if coord_names.contains(&v.name) { Role::Coordinate } else { Role::Data },
                concat,
            }
        })
        .collect();
    for v in &first.vars {
        if !v.dtype.is_supported() {
            problems.push(Problem {
                severity: Severity::Error,
                code: "unsupported_type".into(),
                file: Some(first.path.display().to_string()),
                variable: Some(v.name.clone()),
                message: format!("{}: variable {} has a NetCDF-4 {} type, which Zarr cannot hold", first.path.display(), v.name, v.dtype.cdl()),
                hint: "Drop this variable before uploading (e.g. `ncks -x -v NAME`), or convert it to plain numbers.".into(),
            });
        }
    }
    problems.sort_by_key(|p| std::cmp::Reverse(p.severity));

    Ok(Dataset {
        group: opts.group.map_or_else(|| "/".to_string(), |g| format!("/{}", g.trim_matches('/'))),
        files,
        concat_dim,
        order: ordered.ordering,
        dims,
        variables,
        attrs: first.attrs.clone(),
        time: ordered.time,
        problems,
        skipped,
    })
}

/// Dimension coordinates and everything named by `coordinates`, `bounds` or `climatology`.
fn coordinate_names(h: &FileHeader) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = h.vars.iter().filter(|v| h.dim(&v.name).is_some()).map(|v| v.name.clone()).collect();
    for v in &h.vars {
        for key in ["coordinates", "bounds", "climatology"] {
            if let Some(list) = v.attr_text(key) {
                names.extend(list.split_whitespace().filter(|n| h.var(n).is_some()).map(str::to_string));
            }
        }
    }
    names
}

/// Every file against the first (in merged order): variables, dimensions, types, static coordinates, attributes.
fn check_consistency(files: &[&FileHeader], cdim: Option<&str>, problems: &mut Vec<Problem>) {
    let first = files[0];
    let f0 = first.path.display().to_string();
    for h in &files[1..] {
        let f = h.path.display().to_string();
        let mut push = |severity, code: &str, variable: Option<&str>, message: String, hint: &str| {
            problems.push(Problem { severity, code: code.into(), file: Some(f.clone()), variable: variable.map(Into::into), message, hint: hint.into() });
        };
        let missing: Vec<_> = first.vars.iter().filter(|v| h.var(&v.name).is_none()).map(|v| v.name.as_str()).collect();
        if !missing.is_empty() {
            push(Severity::Error, "missing_variable", missing.first().copied(), format!("{f}: lacks variable(s) {} that {f0} has", missing.join(", ")), "All files must hold the same variables: remove this file, or add the variables to it.");
        }
        let extra: Vec<_> = h.vars.iter().filter(|v| first.var(&v.name).is_none()).map(|v| v.name.as_str()).collect();
        if !extra.is_empty() {
            push(Severity::Error, "extra_variable", extra.first().copied(), format!("{f}: has variable(s) {} that {f0} lacks", extra.join(", ")), "All files must hold the same variables: remove this file, or drop the extra variables (ncks -x -v).");
        }
        for d in &first.dims {
            if Some(d.name.as_str()) == cdim {
                continue;
            }
            match h.dim(&d.name) {
                Some(x) if x.len != d.len => push(Severity::Error, "dimension_size", None, format!("{f}: dimension {} has length {}, {f0} has {}", d.name, x.len, d.len), "The files are on different grids: regrid them to one grid, or upload them as separate stores."),
                None if !missing.is_empty() => {}
                None => push(Severity::Error, "dimension_size", None, format!("{f}: has no dimension {} ({f0} has it, length {})", d.name, d.len), "The files are on different grids: upload them as separate stores."),
                _ => {}
            }
        }
        for v in &first.vars {
            let Some(x) = h.var(&v.name) else { continue };
            if x.dtype != v.dtype {
                push(Severity::Error, "dtype_change", Some(&v.name), format!("{f}: variable {} is {}, in {f0} it is {}", v.name, x.dtype.cdl(), v.dtype.cdl()), "A store holds one type per variable: convert the files to one type (e.g. `ncap2` or xarray astype) first.");
            } else if x.dims != v.dims {
                push(Severity::Error, "dimension_size", Some(&v.name), format!("{f}: variable {} has dimensions ({}), in {f0} ({})", v.name, x.dims.join(", "), v.dims.join(", ")), "The files are laid out differently: upload them as separate stores.");
            } else if !cdim.is_some_and(|d| v.dims.iter().any(|x| x == d)) {
                let a = first.coords.get(&v.name).and_then(|c| c.checksum);
                let b = h.coords.get(&v.name).and_then(|c| c.checksum);
                if a.is_some() && b.is_some() && a != b {
                    push(Severity::Warning, "static_differs", Some(&v.name), format!("{f}: static variable {} differs from {f0}; the first file's values are kept", v.name), "Check that all files are on the same grid; if not, upload them as separate stores.");
                }
            }
        }
        let differing: Vec<&str> = first
            .attrs
            .iter()
            .filter(|a| h.attrs.iter().find(|b| b.name == a.name).is_none_or(|b| b.value != a.value))
            .map(|a| a.name.as_str())
            .chain(h.attrs.iter().filter(|b| first.attrs.iter().all(|a| a.name != b.name)).map(|b| b.name.as_str()))
            .collect();
        if !differing.is_empty() {
            push(Severity::Info, "global_attrs_differ", None, format!("{f}: global attribute(s) {} differ from {f0}; the first file's are kept", differing.join(", ")), "Nothing to do unless those attributes matter; edit the first file's to change what the store carries.");
        }
    }
}
