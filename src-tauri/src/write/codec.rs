//! `--compression zstd:N|blosc-zstd:N|gzip:N|none` → Zarr v2 compressor / v3 codecs.

use crate::error::{Error, Result};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Zstd(i32),
    BloscZstd(i32),
    Gzip(u32),
    None,
}

impl Default for Compression {
    fn default() -> Self {
        Compression::Zstd(3)
    }
}

impl Compression {
    pub fn parse(s: &str) -> Result<Compression> {
        let bad = || Error::bad_argument(format!("--compression {s}: not understood"), "Use zstd:N (1-22), blosc-zstd:N (1-9), gzip:N (1-9) or none; the default is zstd:3.");
        let (name, level) = s.split_once(':').map_or((s, None), |(n, l)| (n, Some(l)));
        let level = |default: i64, max: i64| -> Result<i64> {
            match level {
                None => Ok(default),
                Some(l) => l.parse::<i64>().ok().filter(|n| (1..=max).contains(n)).ok_or_else(bad),
            }
        };
        match name.trim().to_ascii_lowercase().as_str() {
            "zstd" => Ok(Compression::Zstd(level(3, 22)? as i32)),
            "blosc-zstd" | "blosc" => Ok(Compression::BloscZstd(level(5, 9)? as i32)),
            "gzip" | "zlib" => Ok(Compression::Gzip(level(5, 9)? as u32)),
            "none" => Ok(Compression::None),
            _ => Err(bad()),
        }
    }

    /// The v2 `compressor` object (numcodecs ids).
    pub fn v2(self, itemsize: u64) -> Value {
        match self {
            Compression::Zstd(l) => json!({"id": "zstd", "level": l, "checksum": false}),
            Compression::BloscZstd(l) => json!({"id": "blosc", "cname": "zstd", "clevel": l, "shuffle": if itemsize > 1 { 1 } else { 0 }, "blocksize": 0}),
            Compression::Gzip(l) => json!({"id": "gzip", "level": l}),
            Compression::None => Value::Null,
        }
    }

    /// The v3 bytes-to-bytes codec, if any.
    pub fn v3(self, itemsize: u64) -> Option<Value> {
        match self {
            Compression::Zstd(l) => Some(json!({"name": "zstd", "configuration": {"level": l, "checksum": false}})),
            Compression::BloscZstd(l) => Some(json!({"name": "blosc", "configuration": {"cname": "zstd", "clevel": l, "shuffle": if itemsize > 1 { "shuffle" } else { "noshuffle" }, "typesize": itemsize, "blocksize": 0}})),
            Compression::Gzip(l) => Some(json!({"name": "gzip", "configuration": {"level": l}})),
            Compression::None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Compression as C;

    #[test]
    fn parse() {
        assert_eq!(C::parse("zstd").unwrap(), C::Zstd(3));
        assert_eq!(C::parse("zstd:9").unwrap(), C::Zstd(9));
        assert_eq!(C::parse("blosc-zstd:5").unwrap(), C::BloscZstd(5));
        assert_eq!(C::parse("gzip:4").unwrap(), C::Gzip(4));
        assert_eq!(C::parse("none").unwrap(), C::None);
        assert!(C::parse("zstd:0").is_err());
        assert!(C::parse("lz77").is_err());
    }
}
