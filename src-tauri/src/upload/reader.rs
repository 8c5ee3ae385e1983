//! A reader: assembles each chunk from the source files (a chunk may span several files
//! of unequal length). libnetcdf serialises every call behind one lock; raw chunk reads (`direct`) keep the decoding outside it.

use super::direct::{DirectFile, DirectVar};
use crate::error::{display_path, Code, Error, Result};
use crate::merge::Dataset;
use crate::scan::cftime::{Calendar, TimeUnits};
use crate::scan::DType;
use crate::write::{ArrayMeta, RawChunk};
use std::collections::HashMap;
use std::path::PathBuf;

/// Open files kept at once: chunks along time touch a few neighbouring files in turn.
const OPEN_FILES: usize = 16;

struct Source {
    path: PathBuf,
    offset: u64,
    steps: u64,
}

/// One file's share of a chunk: (file, start in file, count, offset in the chunk along the concat axis).
type Part = (usize, Vec<u64>, Vec<u64>, u64);

pub struct Reader {
    sources: Vec<Source>,
    group: Option<String>,
    concat_dim: Option<String>,
    open: HashMap<usize, netcdf::File>,
    /// Time variables (and their bounds) whose per-file units may differ: name → the time variable
    /// whose units apply, plus the first file's units, the target of the re-encoding.
    time_vars: HashMap<String, String>,
    target_units: Option<TimeUnits>,
    /// Chunks read raw and decoded outside the HDF5 lock where possible (see [`super::direct`]);
    /// `FERRY_DIRECT_CHUNKS=0` turns it off. Variables before files: closed first.
    direct: bool,
    direct_vars: HashMap<(usize, String), Option<DirectVar>>,
    direct_files: HashMap<usize, Option<DirectFile>>,
}

impl Reader {
    pub fn new(ds: &Dataset) -> Reader {
        let mut time_vars = HashMap::new();
        let mut target_units = None;
        if let Some(t) = &ds.time {
            if let Some(v) = ds.var(&t.variable) {
                time_vars.insert(v.name.clone(), v.name.clone());
                if let Some(b) = v.attr_text("bounds") {
                    time_vars.insert(b.to_string(), v.name.clone());
                }
            }
            target_units = Calendar::parse(Some(&t.calendar)).ok().and_then(|c| TimeUnits::parse(&t.units, c).ok());
        }
        Reader {
            sources: ds.files.iter().map(|f| Source { path: PathBuf::from(&f.path), offset: f.offset, steps: f.steps }).collect(),
            group: (ds.group != "/").then(|| ds.group.trim_matches('/').to_string()),
            concat_dim: ds.concat_dim.clone(),
            open: HashMap::new(),
            time_vars,
            target_units,
            direct: std::env::var("FERRY_DIRECT_CHUNKS").map_or(true, |v| v != "0"),
            direct_vars: HashMap::new(),
            direct_files: HashMap::new(),
        }
    }

    /// Are the chunks of `meta` read raw (in the first file)? Decides whether more reader threads help.
    pub fn reads_raw(&mut self, meta: &ArrayMeta) -> bool {
        !meta.is_strings() && !self.sources.is_empty() && self.direct_var(0, &meta.name, meta.shape.len(), meta.fill_element.len().max(1)).is_some()
    }

    /// Variable `name` of file `fi`, if its chunks can be read raw as `item`-byte numbers.
    fn direct_var(&mut self, fi: usize, name: &str, rank: usize, item: usize) -> Option<&DirectVar> {
        if !self.direct {
            return None;
        }
        let key = (fi, name.to_string());
        if !self.direct_vars.contains_key(&key) {
            if !self.direct_files.contains_key(&fi) {
                if self.direct_files.len() >= OPEN_FILES {
                    let k = *self.direct_files.keys().next().unwrap_or(&0);
                    self.direct_vars.retain(|(f, _), _| *f != k);
                    self.direct_files.remove(&k);
                }
                self.direct_files.insert(fi, DirectFile::open(&self.sources[fi].path));
            }
            let var = self.direct_files[&fi].as_ref().and_then(|f| f.var(self.group.as_deref(), name, rank, item));
            self.direct_vars.insert(key.clone(), var);
        }
        self.direct_vars[&key].as_ref()
    }

    fn file(&mut self, i: usize) -> Result<&netcdf::File> {
        if !self.open.contains_key(&i) {
            if self.open.len() >= OPEN_FILES {
                let k = *self.open.keys().next().unwrap_or(&0);
                self.open.remove(&k);
            }
            let path = &self.sources[i].path;
            let f = netcdf::open(path).map_err(|e| source_error(path, &e.to_string()))?;
            self.open.insert(i, f);
        }
        Ok(&self.open[&i])
    }

    /// Which files hold which part of chunk `idx`, and the concat axis of the array.
    fn parts(&self, meta: &ArrayMeta, idx: &[u64]) -> (Vec<Part>, Option<usize>) {
        let n = meta.chunks.len();
        let start: Vec<u64> = (0..n).map(|d| idx[d] * meta.chunks[d]).collect();
        let count: Vec<u64> = (0..n).map(|d| meta.chunks[d].min(meta.shape[d].saturating_sub(start[d]))).collect();
        let axis = self.concat_dim.as_ref().and_then(|c| meta.dims.iter().position(|d| d == c));
        let mut parts = Vec::new();
        match axis {
            Some(a) => {
                let (lo, hi) = (start[a], start[a] + count[a]);
                for (i, s) in self.sources.iter().enumerate() {
                    let (flo, fhi) = (lo.max(s.offset), hi.min(s.offset + s.steps));
                    if flo < fhi {
                        let mut st = start.clone();
                        let mut ct = count.clone();
                        st[a] = flo - s.offset;
                        ct[a] = fhi - flo;
                        parts.push((i, st, ct, flo - lo));
                    }
                }
            }
            None => parts.push((0, start, count, 0)),
        }
        (parts, axis)
    }

    /// Can this chunk be read as a sequence of contiguous byte ranges (leading concat axis, full
    /// extent on the other dimensions)? Then it can be compressed while it is being read.
    pub fn streamable(&self, meta: &ArrayMeta, idx: &[u64]) -> bool {
        if meta.is_strings() {
            return false;
        }
        let (parts, axis) = self.parts(meta, idx);
        axis.is_none_or(|a| a == 0) && parts.iter().all(|(_, _, ct, _)| !ct.contains(&0) && ct.iter().skip(1).zip(meta.chunks.iter().skip(1)).all(|(c, k)| c == k))
    }

    /// Read a streamable chunk as consecutive byte pieces (fill where no file has data), handing
    /// each to `emit` as soon as it is read: one file's share in memory at a time.
    pub fn read_chunk_pieces(&mut self, meta: &ArrayMeta, idx: &[u64], emit: &mut dyn FnMut(Vec<u8>) -> Result<()>) -> Result<()> {
        let (parts, _) = self.parts(meta, idx);
        let item = meta.fill_element.len().max(1);
        let row = meta.chunks.iter().skip(1).product::<u64>() as usize * item;
        let total = meta.chunks.iter().product::<u64>() as usize * item;
        let mut at = 0usize;
        for (fi, st, ct, off) in parts {
            let from = off as usize * row;
            if from > at {
                emit(meta.fill_element.repeat((from - at) / item))?;
            }
            let len = ct.iter().product::<u64>() as usize * item;
            let mut piece = vec![0u8; len];
            self.read_raw_into(fi, &meta.name, &st, &ct, &mut piece)?;
            if self.time_vars.contains_key(&meta.name) {
                self.reencode_time(fi, meta, &mut piece)?;
            }
            emit(piece)?;
            at = from + len;
        }
        if total > at {
            emit(meta.fill_element.repeat((total - at) / item))?;
        }
        Ok(())
    }

    /// Read chunk `idx` of `meta`, padded to the full chunk shape with the fill value.
    pub fn read_chunk(&mut self, meta: &ArrayMeta, idx: &[u64]) -> Result<RawChunk> {
        let n = meta.chunks.len();
        let (parts, axis) = self.parts(meta, idx);
        if meta.is_strings() {
            return self.read_strings(meta, &parts, axis);
        }
        let item = meta.fill_element.len().max(1);
        let total: u64 = meta.chunks.iter().product();
        let mut buf = meta.fill_element.repeat(total as usize);
        for (fi, st, ct, off) in parts {
            // Where the block is contiguous in the chunk (leading concat axis, full extent on the
            // others), libnetcdf decompresses straight into the chunk: no second copy in memory.
            if ct.iter().skip(1).zip(meta.chunks.iter().skip(1)).all(|(c, k)| c == k) && axis.is_none_or(|a| a == 0) && !ct.contains(&0) {
                let row = meta.chunks.iter().skip(1).product::<u64>() as usize * item;
                let from = off as usize * row;
                let len = ct.iter().product::<u64>() as usize * item;
                self.read_raw_into(fi, &meta.name, &st, &ct, &mut buf[from..from + len])?;
                if self.time_vars.contains_key(&meta.name) {
                    self.reencode_time(fi, meta, &mut buf[from..from + len])?;
                }
                continue;
            }
            let mut bytes = self.read_raw(fi, &meta.name, &st, &ct, item)?;
            if self.time_vars.contains_key(&meta.name) {
                self.reencode_time(fi, meta, &mut bytes)?;
            }
            let mut dst_off = vec![0u64; n];
            if let Some(a) = axis {
                dst_off[a] = off;
            }
            copy_block(&mut buf, &meta.chunks, &dst_off, &bytes, &ct, item);
        }
        Ok(RawChunk::Fixed(buf))
    }

    fn read_raw(&mut self, fi: usize, name: &str, st: &[u64], ct: &[u64], item: usize) -> Result<Vec<u8>> {
        let mut out = vec![0u8; ct.iter().product::<u64>() as usize * item];
        if !out.is_empty() {
            self.read_raw_into(fi, name, st, ct, &mut out)?;
        }
        Ok(out)
    }

    fn read_raw_into(&mut self, fi: usize, name: &str, st: &[u64], ct: &[u64], out: &mut [u8]) -> Result<()> {
        let count = ct.iter().product::<u64>() as usize;
        if count > 0 && out.len().is_multiple_of(count) {
            if let Some(v) = self.direct_var(fi, name, st.len(), out.len() / count) {
                // A chunk that cannot be decoded here goes through libnetcdf, which then
                // reports the problem in its own words (or reads what we could not).
                if let Ok(true) = v.read_into(st, ct, out) {
                    return Ok(());
                }
            }
        }
        let group = self.group.clone();
        let path = self.sources[fi].path.clone();
        let st: Vec<usize> = st.iter().map(|&x| x as usize).collect();
        let ct: Vec<usize> = ct.iter().map(|&x| x as usize).collect();
        let f = self.file(fi)?;
        let r = with_var(f, group.as_deref(), name, |var| if st.is_empty() { var.get_raw_values_into(out, ..) } else { var.get_raw_values_into(out, (st.as_slice(), ct.as_slice())) })
            .ok_or_else(|| source_error(&path, &format!("variable {name} is missing")))?;
        r.map_err(|e| source_error(&path, &format!("reading {name}: {e}")))
    }

    /// Files whose time units differ from the first file's: decode and re-encode exactly.
    fn reencode_time(&mut self, fi: usize, meta: &ArrayMeta, bytes: &mut [u8]) -> Result<()> {
        let Some(target) = self.target_units.clone() else { return Ok(()) };
        let owner = self.time_vars[&meta.name].clone();
        let group = self.group.clone();
        let path = self.sources[fi].path.clone();
        let f = self.file(fi)?;
        let Some((units, cal)) = with_var(f, group.as_deref(), &owner, |tv| (text_attr(tv, "units"), text_attr(tv, "calendar"))) else { return Ok(()) };
        let Some(units) = units else { return Ok(()) };
        let Ok(cal) = Calendar::parse(cal.as_deref()) else { return Ok(()) };
        let Ok(src) = TimeUnits::parse(&units, cal) else { return Ok(()) };
        if src == target {
            return Ok(());
        }
        let size = meta.dtype.size() as usize;
        for el in bytes.chunks_exact_mut(size) {
            let v = read_num(meta.dtype, el);
            let Some(date) = src.decode(v) else { continue };
            let new = target.encode(&date);
            if !meta.dtype.is_numeric() || (!matches!(meta.dtype, DType::Float32 | DType::Float64) && new.fract() != 0.0) {
                return Err(Error::new(
                    Code::CannotMerge,
                    format!("{}: {} = {v} {units} is not a whole number in the first file's units ({new})", display_path(&path), meta.name),
                    "Convert the time axis of the files to one unit (e.g. with `cdo settunits`) before uploading.",
                ));
            }
            write_num(meta.dtype, el, new);
        }
        Ok(())
    }

    fn read_strings(&mut self, meta: &ArrayMeta, parts: &[Part], axis: Option<usize>) -> Result<RawChunk> {
        let total: u64 = meta.chunks.iter().product();
        let mut cells = vec![String::new(); total as usize];
        let strides = strides(&meta.chunks);
        for (fi, st, ct, off) in parts {
            let group = self.group.clone();
            let path = self.sources[*fi].path.clone();
            let f = self.file(*fi)?;
            let n: u64 = ct.iter().product();
            for k in 0..n {
                let local = unravel(k, ct);
                let src: Vec<usize> = local.iter().zip(st).map(|(l, s)| (l + s) as usize).collect();
                let s = with_var(f, group.as_deref(), &meta.name, |var| var.get_string(src.as_slice()))
                    .ok_or_else(|| source_error(&path, &format!("variable {} is missing", meta.name)))?
                    .map_err(|e| source_error(&path, &format!("reading {}: {e}", meta.name)))?;
                let mut dst = 0u64;
                for d in 0..local.len() {
                    let o = if Some(d) == axis { *off } else { 0 };
                    dst += (local[d] + o) * strides[d];
                }
                cells[dst as usize] = s;
            }
        }
        let mut bytes = Vec::new();
        let mut offsets = Vec::with_capacity(cells.len() + 1);
        offsets.push(0);
        for c in &cells {
            bytes.extend_from_slice(c.as_bytes());
            offsets.push(bytes.len());
        }
        Ok(RawChunk::Strings(bytes, offsets))
    }
}

/// Run `op` on variable `name` of `group` (root if `None`); `None` if there is no such variable.
fn with_var<T>(f: &netcdf::File, group: Option<&str>, name: &str, op: impl FnOnce(&netcdf::Variable<'_>) -> T) -> Option<T> {
    match group {
        None => f.variable(name).map(|v| op(&v)),
        Some(g) => {
            let g = f.group(g).ok().flatten()?;
            let v = g.variable(name)?;
            Some(op(&v))
        }
    }
}

fn text_attr(v: &netcdf::Variable<'_>, name: &str) -> Option<String> {
    match v.attribute_value(name)?.ok()? {
        netcdf::AttributeValue::Str(s) => Some(s),
        _ => None,
    }
}

fn source_error(path: &std::path::Path, what: &str) -> Error {
    Error::new(
        Code::UnreadableFile,
        format!("{}: {what}", display_path(path)),
        "The file changed or became unreadable since the scan: check it, then resume the upload (ferry upload ... --resume).",
    )
}

fn read_num(d: DType, b: &[u8]) -> f64 {
    let a = |n: usize| -> [u8; 8] {
        let mut x = [0u8; 8];
        x[..n].copy_from_slice(&b[..n]);
        x
    };
    match d {
        DType::Float64 => f64::from_ne_bytes(a(8)),
        DType::Float32 => f64::from(f32::from_ne_bytes([b[0], b[1], b[2], b[3]])),
        DType::Int64 => i64::from_ne_bytes(a(8)) as f64,
        DType::Uint64 => u64::from_ne_bytes(a(8)) as f64,
        DType::Int32 => f64::from(i32::from_ne_bytes([b[0], b[1], b[2], b[3]])),
        DType::Uint32 => f64::from(u32::from_ne_bytes([b[0], b[1], b[2], b[3]])),
        DType::Int16 => f64::from(i16::from_ne_bytes([b[0], b[1]])),
        DType::Uint16 => f64::from(u16::from_ne_bytes([b[0], b[1]])),
        DType::Int8 => f64::from(b[0] as i8),
        _ => f64::from(b[0]),
    }
}

fn write_num(d: DType, b: &mut [u8], v: f64) {
    match d {
        DType::Float64 => b.copy_from_slice(&v.to_ne_bytes()),
        DType::Float32 => b.copy_from_slice(&(v as f32).to_ne_bytes()),
        DType::Int64 => b.copy_from_slice(&(v as i64).to_ne_bytes()),
        DType::Uint64 => b.copy_from_slice(&(v as u64).to_ne_bytes()),
        DType::Int32 => b.copy_from_slice(&(v as i32).to_ne_bytes()),
        DType::Uint32 => b.copy_from_slice(&(v as u32).to_ne_bytes()),
        DType::Int16 => b.copy_from_slice(&(v as i16).to_ne_bytes()),
        DType::Uint16 => b.copy_from_slice(&(v as u16).to_ne_bytes()),
        DType::Int8 => b[0] = v as i8 as u8,
        _ => b[0] = v as u8,
    }
}

/// Elements between neighbours along each dimension of a C-order array.
fn strides(shape: &[u64]) -> Vec<u64> {
    let mut s = vec![1u64; shape.len()];
    for d in (0..shape.len().saturating_sub(1)).rev() {
        s[d] = s[d + 1] * shape[d + 1];
    }
    s
}

fn unravel(mut k: u64, shape: &[u64]) -> Vec<u64> {
    let mut idx = vec![0; shape.len()];
    for d in (0..shape.len()).rev() {
        idx[d] = k % shape[d];
        k /= shape[d];
    }
    idx
}

/// Copy a C-order block of shape `src_shape` into `dst` (shape `dst_shape`) at `dst_off`.
pub fn copy_block(dst: &mut [u8], dst_shape: &[u64], dst_off: &[u64], src: &[u8], src_shape: &[u64], item: usize) {
    if src_shape.is_empty() {
        let len = src.len().min(dst.len());
        dst[..len].copy_from_slice(&src[..len]);
        return;
    }
    copy_region(src, src_shape, &vec![0; src_shape.len()], dst, dst_shape, dst_off, src_shape, item);
}

/// Copy the region of shape `count` at `src_off` in `src` (C order, shape `src_shape`) to
/// `dst_off` in `dst` (shape `dst_shape`), a row of the last dimension at a time.
#[allow(clippy::too_many_arguments)]
pub(super) fn copy_region(src: &[u8], src_shape: &[u64], src_off: &[u64], dst: &mut [u8], dst_shape: &[u64], dst_off: &[u64], count: &[u64], item: usize) {
    let n = count.len();
    if n == 0 || count.contains(&0) {
        return;
    }
    let (ss, ds) = (strides(src_shape), strides(dst_shape));
    let row = count[n - 1] as usize * item;
    let mut i = vec![0u64; n];
    loop {
        let from: u64 = (0..n).map(|d| (i[d] + src_off[d]) * ss[d]).sum();
        let to: u64 = (0..n).map(|d| (i[d] + dst_off[d]) * ds[d]).sum();
        let (from, to) = (from as usize * item, to as usize * item);
        dst[to..to + row].copy_from_slice(&src[from..from + row]);
        // Next row: the last dimension is copied whole, so count from the one before it.
        let mut d = n - 1;
        loop {
            if d == 0 {
                return;
            }
            d -= 1;
            if i[d] + 1 < count[d] {
                i[d] += 1;
                break;
            }
            i[d] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::copy_block;

    #[test]
    fn block_lands_at_its_offset() {
        // A 2x2 block into a 3x4 chunk at (1, 2).
        let mut dst = vec![0u8; 12];
        copy_block(&mut dst, &[3, 4], &[1, 2], &[1, 2, 3, 4], &[2, 2], 1);
        assert_eq!(dst, vec![0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4]);
    }
}
