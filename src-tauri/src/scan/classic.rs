//! Just enough of the NetCDF classic header (CDF-1/2/5) to know how long the file must be.
//! libnetcdf opens a classic file whose data was cut off and fails later, or reads fill.

use crate::error::{display_path, Code, Error, Result};
use std::io::{BufReader, Read, Seek};
use std::path::Path;

struct Header<R> {
    r: R,
    version: u8,
}

impl<R: Read + Seek> Header<R> {
    fn u32(&mut self) -> std::io::Result<u32> {
        let mut b = [0; 4];
        self.r.read_exact(&mut b)?;
        Ok(u32::from_be_bytes(b))
    }
    fn u64(&mut self) -> std::io::Result<u64> {
        let mut b = [0; 8];
        self.r.read_exact(&mut b)?;
        Ok(u64::from_be_bytes(b))
    }
    /// NON_NEG: 4 bytes in CDF-1/2, 8 in CDF-5.
    fn count(&mut self) -> std::io::Result<u64> {
        if self.version == 5 { self.u64() } else { self.u32().map(u64::from) }
    }
    fn offset(&mut self) -> std::io::Result<u64> {
        if self.version == 1 { self.u32().map(u64::from) } else { self.u64() }
    }
    fn skip(&mut self, n: u64) -> std::io::Result<()> {
        let n = i64::try_from(n).map_err(|_| std::io::Error::other("length overflow"))?;
        self.r.seek_relative(n)
    }
    fn skip_name(&mut self) -> std::io::Result<()> {
        let n = self.count()?;
        self.skip(n.next_multiple_of(4))
    }
    /// A list header: tag (or ABSENT) and element count.
    fn list(&mut self) -> std::io::Result<u64> {
        let _tag = self.u32()?;
        self.count()
    }
    fn skip_attrs(&mut self) -> std::io::Result<()> {
        for _ in 0..self.list()? {
            self.skip_name()?;
            let t = self.u32()?;
            let n = self.count()?;
            self.skip((n * type_size(t)).next_multiple_of(4))?;
        }
        Ok(())
    }
}

fn type_size(t: u32) -> u64 {
    match t {
        3 | 8 => 2,
        4 | 5 | 9 => 4,
        6 | 10 | 11 => 8,
        _ => 1,
    }
}

/// The minimum length the file must have, or `None` where it cannot be known (streaming).
pub fn expected_len(path: &Path) -> Result<Option<u64>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, &e))?;
    let mut magic = [0u8; 4];
    let mut r = BufReader::with_capacity(64 << 10, f);
    r.read_exact(&mut magic).map_err(|e| Error::io(path, &e))?;
    let mut h = Header { r, version: magic[3] };
    parse(&mut h).map_err(|_| {
        Error::new(
            Code::TruncatedFile,
            format!("{}: the NetCDF header is cut off or damaged", display_path(path)),
            "Download or copy this file again, or remove it from the selection.",
        )
    })
}

fn parse<R: Read + Seek>(h: &mut Header<R>) -> std::io::Result<Option<u64>> {
    let numrecs = h.count()?;
    let streaming = (h.version == 5 && numrecs == u64::MAX) || (h.version != 5 && numrecs == u64::from(u32::MAX));
    let mut dims = Vec::new();
    for _ in 0..h.list()? {
        h.skip_name()?;
        dims.push(h.count()?);
    }
    h.skip_attrs()?;
    let mut end = 0u64;
    let mut record_vars = Vec::new();
    for _ in 0..h.list()? {
        h.skip_name()?;
        let ndims = h.count()?;
        let mut ids = Vec::new();
        for _ in 0..ndims {
            ids.push(h.count()?);
        }
        h.skip_attrs()?;
        let t = h.u32()?;
        let _vsize = h.count()?;
        let begin = h.offset()?;
        let lens: Vec<u64> = ids.iter().map(|&i| dims.get(i as usize).copied().unwrap_or(0)).collect();
        let is_record = lens.first() == Some(&0);
        let per = lens.iter().skip(usize::from(is_record)).product::<u64>() * type_size(t);
        if is_record {
            record_vars.push((begin, per));
        } else {
            end = end.max(begin + per);
        }
    }
    if streaming {
        return Ok(None);
    }
    if !record_vars.is_empty() && numrecs > 0 {
        // Records interleave all record variables; one record var has no padding.
        let recsize: u64 = if record_vars.len() == 1 {
            record_vars[0].1
        } else {
            record_vars.iter().map(|(_, s)| s.next_multiple_of(4)).sum()
        };
        for (begin, per) in record_vars {
            end = end.max(begin + (numrecs - 1) * recsize + per);
        }
    }
    Ok(Some(end))
}
