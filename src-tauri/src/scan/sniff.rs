//! What a file is, from its first bytes: NetCDF classic/64-bit/CDF5, HDF5 (NetCDF-4),
//! or something else we can name in an error (HDF4, GRIB, text, empty).

use crate::error::{display_path, Code, Error, Result};
use std::io::Read;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Classic,
    Offset64,
    Cdf5,
    Hdf5,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Classic => "classic",
            Kind::Offset64 => "64bit_offset",
            Kind::Cdf5 => "cdf5",
            Kind::Hdf5 => "netcdf4",
        }
    }
}

const HDF5_MAGIC: &[u8; 8] = b"\x89HDF\r\n\x1a\n";
const HDF4_MAGIC: &[u8; 4] = b"\x0e\x03\x13\x01";

/// The NetCDF flavour of `bytes` (a file's first 8 bytes), if any.
pub fn kind_of(bytes: &[u8]) -> Option<Kind> {
    match bytes {
        [b'C', b'D', b'F', 1, ..] => Some(Kind::Classic),
        [b'C', b'D', b'F', 2, ..] => Some(Kind::Offset64),
        [b'C', b'D', b'F', 5, ..] => Some(Kind::Cdf5),
        b if b.starts_with(HDF5_MAGIC) => Some(Kind::Hdf5),
        _ => None,
    }
}

/// Read the head of `path` and say what it is, or why it is not NetCDF.
pub fn sniff(path: &Path) -> Result<Kind> {
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, &e))?;
    let mut head = [0u8; 512];
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io(path, &e)),
        }
    }
    let head = &head[..n];
    if let Some(kind) = kind_of(head) {
        return Ok(kind);
    }
    let p = display_path(path);
    if head.is_empty() {
        return Err(Error::new(
            Code::EmptyFile,
            format!("{p}: the file is empty (0 bytes)"),
            "The download or copy probably failed: fetch this file again, or remove it from the selection.",
        ));
    }
    let what = if head.starts_with(HDF4_MAGIC) {
        "an HDF4 file, which NetCDF cannot read".to_string()
    } else if head.starts_with(b"GRIB") {
        "a GRIB file".to_string()
    } else if head.starts_with(b"CDF") {
        format!("a NetCDF classic file of unknown version {}", head.get(3).copied().unwrap_or(0))
    } else if std::str::from_utf8(head).is_ok() {
        "a text file".to_string()
    } else {
        "not a NetCDF file (unknown binary content)".to_string()
    };
    let hint = if head.starts_with(b"GRIB") {
        "Convert it to NetCDF first (e.g. `grib_to_netcdf` or `cdo -f nc4 copy`), or remove it from the selection."
    } else if head.starts_with(HDF4_MAGIC) {
        "Convert it with `h4tonccf` (HDF-EOS tools) or remove it from the selection."
    } else {
        "Remove it from the selection; Ferry reads NetCDF-3 and NetCDF-4 files only."
    };
    Err(Error::new(Code::NotNetcdf, format!("{p}: {what}"), hint))
}
