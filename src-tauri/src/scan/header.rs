//! Read one file's header, and the few small coordinate variables the merge needs.

use super::model::{Attr, AttrValue, CoordData, DType, Dim, FileHeader, Var};
use super::sniff::{self, Kind};
use crate::error::{display_path, Code, Error, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Static coordinates larger than this are not checksummed (it would mean reading bulk data).
const CHECKSUM_LIMIT_BYTES: usize = 16 << 20;

/// Read the header of `path` (group `group`, root if `None`).
pub fn read_header(path: &Path, group: Option<&str>) -> Result<FileHeader> {
    let kind = sniff::sniff(path)?;
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    let file = netcdf::open(path).map_err(|e| open_error(path, kind, &e))?;
    if matches!(kind, Kind::Classic | Kind::Offset64 | Kind::Cdf5) {
        check_classic_length(path, meta.len())?;
    }

    let p = display_path(path);
    let group = group.map(|g| g.trim_matches('/')).filter(|g| !g.is_empty());
    let mut header = match group {
        None => {
            let groups = match file.root() {
                Some(root) => list_groups(root.groups(), ""),
                None => Vec::new(),
            };
            let vars: Vec<_> = file.variables().collect();
            if vars.is_empty() && !groups.is_empty() {
                return Err(Error::new(
                    Code::GroupNotFound,
                    format!("{p}: the root group holds no variables; its groups are {}", groups.join(", ")),
                    format!("Choose one with --group, e.g. --group {}", groups.last().map_or("/", String::as_str)),
                ));
            }
            collect(path, kind, meta.len(), mtime, file.dimensions(), vars, file.attributes(), groups)?
        }
        Some(g) => {
            let found = file.group(g).ok().flatten().ok_or_else(|| {
                let all = file.root().map(|r| list_groups(r.groups(), "")).unwrap_or_default();
                Error::new(
                    Code::GroupNotFound,
                    format!("{p}: no group /{g} in this file"),
                    if all.is_empty() {
                        "This file has no groups: leave out --group.".to_string()
                    } else {
                        format!("Its groups are {}.", all.join(", "))
                    },
                )
            })?;
            let groups = list_groups(found.groups(), &format!("/{g}"));
            collect(path, kind, meta.len(), mtime, found.dimensions(), found.variables().collect(), found.attributes(), groups)?
        }
    };
    header.path = path.to_path_buf();
    Ok(header)
}

fn list_groups<'a>(groups: impl Iterator<Item = netcdf::Group<'a>>, parent: &str) -> Vec<String> {
    let mut out = Vec::new();
    for g in groups {
        let path = format!("{parent}/{}", g.name());
        out.push(path.clone());
        out.extend(list_groups(g.groups(), &path));
    }
    out
}

fn open_error(path: &Path, kind: Kind, err: &netcdf::Error) -> Error {
    let p = display_path(path);
    let what = match kind {
        Kind::Hdf5 => "NetCDF-4/HDF5",
        _ => "NetCDF classic",
    };
    Error::new(
        Code::TruncatedFile,
        format!("{p}: starts like a {what} file but cannot be opened ({err}); it is probably truncated or damaged"),
        "Download or copy this file again (compare its size with the original), or remove it from the selection.",
    )
}

fn read_attrs<'a>(attrs: impl Iterator<Item = netcdf::Attribute<'a>>) -> Vec<Attr> {
    attrs
        .map(|a| {
            let name = a.name().to_string();
            match a.value() {
                Ok(v) => {
                    let (dtype, value) = AttrValue::from_nc(v);
                    Attr { name, dtype, value }
                }
                // Types the crate cannot read (compound/enum attributes) are kept visible, not fatal.
                Err(e) => Attr { name, dtype: DType::Opaque, value: AttrValue::Text(format!("<unreadable attribute: {e}>")) },
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn collect<'a>(
    path: &Path,
    kind: Kind,
    size: u64,
    mtime: i64,
    own_dims: impl Iterator<Item = netcdf::Dimension<'a>>,
    vars: Vec<netcdf::Variable<'a>>,
    attrs: impl Iterator<Item = netcdf::Attribute<'a>>,
    groups: Vec<String>,
) -> Result<FileHeader> {
    // Definition order first (as ncdump lists them), then dimensions inherited from parent groups.
    let mut dims: Vec<Dim> = own_dims.map(|d| Dim { name: d.name(), len: d.len() as u64, unlimited: d.is_unlimited() }).collect();
    let mut out_vars = Vec::with_capacity(vars.len());
    for v in &vars {
        let vdims = v.dimensions();
        for d in vdims {
            let name = d.name();
            if !dims.iter().any(|x| x.name == name) {
                dims.push(Dim { name, len: d.len() as u64, unlimited: d.is_unlimited() });
            }
        }
        let dtype = DType::from_nc(&v.vartype());
        out_vars.push(Var {
            name: v.name(),
            dtype,
            dims: vdims.iter().map(netcdf::Dimension::name).collect(),
            shape: vdims.iter().map(|d| d.len() as u64).collect(),
            attrs: read_attrs(v.attributes()),
            disk_chunks: v.chunking().ok().flatten().map(|c| c.into_iter().map(|x| x as u64).collect()),
        });
    }

    // Coordinate-like names: dimension coordinates, `coordinates` and `bounds` targets.
    let mut coord_names: BTreeSet<String> = dims.iter().map(|d| d.name.clone()).collect();
    for v in &out_vars {
        for key in ["coordinates", "bounds", "climatology"] {
            if let Some(list) = v.attr_text(key) {
                coord_names.extend(list.split_whitespace().map(str::to_string));
            }
        }
    }

    let mut coords = BTreeMap::new();
    for (v, info) in vars.iter().zip(&out_vars) {
        let time_like = info.attr_text("units").is_some_and(|u| u.to_ascii_lowercase().contains(" since "));
        let is_coord = coord_names.contains(&info.name);
        if !is_coord && !time_like {
            continue;
        }
        let mut data = CoordData::default();
        if info.dims.len() == 1 && info.dtype.is_numeric() {
            // get_values converts any numeric type to f64; 1-D coordinates are small.
            data.values = v.get_values::<f64, _>(..).ok().map(std::sync::Arc::from);
            if data.values.is_none() && info.shape[0] > 0 {
                return Err(unreadable_var(path, &info.name));
            }
        }
        let unlimited = info.dims.iter().any(|d| dims.iter().any(|x| &x.name == d && x.unlimited));
        let bytes = info.shape.iter().product::<u64>() * info.dtype.size();
        if is_coord && !unlimited && info.dtype.is_supported() && info.dtype != DType::String && bytes as usize <= CHECKSUM_LIMIT_BYTES {
            match v.get_raw_values(..) {
                Ok(raw) => data.checksum = Some(fnv1a(&raw)),
                Err(_) if bytes == 0 => {}
                Err(_) => return Err(unreadable_var(path, &info.name)),
            }
        }
        coords.insert(info.name.clone(), data);
    }

    Ok(FileHeader {
        path: path.to_path_buf(),
        size,
        mtime,
        format: kind.name(),
        dims,
        vars: out_vars,
        attrs: read_attrs(attrs),
        groups,
        coords,
    })
}

fn unreadable_var(path: &Path, var: &str) -> Error {
    Error::new(
        Code::TruncatedFile,
        format!("{}: variable {var} cannot be read; the file is probably truncated or damaged", display_path(path)),
        "Download or copy this file again, or remove it from the selection.",
    )
}

/// FNV-1a: fast, dependency-free, and enough to notice that two grids differ.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// libnetcdf opens a classic file whose data section was cut off and only fails (or reads
/// zeros) later. The header states where the data ends; compare with the real size.
fn check_classic_length(path: &Path, actual: u64) -> Result<()> {
    let Some(expected) = super::classic::expected_len(path)? else { return Ok(()) };
    if actual < expected {
        return Err(Error::new(
            Code::TruncatedFile,
            format!("{}: the file is truncated: its header describes {expected} bytes but it holds {actual}", display_path(path)),
            "Download or copy this file again (the transfer was cut short), or remove it from the selection.",
        ));
    }
    Ok(())
}
