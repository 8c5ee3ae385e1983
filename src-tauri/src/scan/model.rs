//! What one file's header says: dimensions, variables, attributes, typed exactly.

use serde::{Deserialize, Serialize, Serializer};
use ts_rs::TS;

/// NetCDF variable types, named like numpy so the JSON reads like xarray.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum DType {
    Int8,
    Uint8,
    Int16,
    Uint16,
    Int32,
    Uint32,
    Int64,
    Uint64,
    Float32,
    Float64,
    /// NetCDF `char` (numpy `S1`).
    Char,
    /// NetCDF-4 variable-length string.
    String,
    /// NetCDF-4 user-defined types Zarr cannot hold.
    Compound,
    Enum,
    Vlen,
    Opaque,
}

impl DType {
    pub fn from_nc(t: &netcdf::types::NcVariableType) -> DType {
        use netcdf::types::{FloatType as F, IntType as I, NcVariableType as T};
        match t {
            T::Int(I::I8) => DType::Int8,
            T::Int(I::U8) => DType::Uint8,
            T::Int(I::I16) => DType::Int16,
            T::Int(I::U16) => DType::Uint16,
            T::Int(I::I32) => DType::Int32,
            T::Int(I::U32) => DType::Uint32,
            T::Int(I::I64) => DType::Int64,
            T::Int(I::U64) => DType::Uint64,
            T::Float(F::F32) => DType::Float32,
            T::Float(F::F64) => DType::Float64,
            T::Char => DType::Char,
            T::String => DType::String,
            T::Compound(_) => DType::Compound,
            T::Enum(_) => DType::Enum,
            T::Vlen(_) => DType::Vlen,
            T::Opaque(_) => DType::Opaque,
        }
    }

    /// Bytes per element as stored in Zarr (vlen strings: a planning estimate).
    pub fn size(self) -> u64 {
        match self {
            DType::Int8 | DType::Uint8 | DType::Char => 1,
            DType::Int16 | DType::Uint16 => 2,
            DType::Int32 | DType::Uint32 | DType::Float32 => 4,
            DType::Int64 | DType::Uint64 | DType::Float64 => 8,
            DType::String | DType::Compound | DType::Enum | DType::Vlen | DType::Opaque => 16,
        }
    }

    /// The CDL type name, for the `ncdump -h`-like listing.
    pub fn cdl(self) -> &'static str {
        match self {
            DType::Int8 => "byte",
            DType::Uint8 => "ubyte",
            DType::Int16 => "short",
            DType::Uint16 => "ushort",
            DType::Int32 => "int",
            DType::Uint32 => "uint",
            DType::Int64 => "int64",
            DType::Uint64 => "uint64",
            DType::Float32 => "float",
            DType::Float64 => "double",
            DType::Char => "char",
            DType::String => "string",
            DType::Compound => "compound",
            DType::Enum => "enum",
            DType::Vlen => "vlen",
            DType::Opaque => "opaque",
        }
    }

    pub fn is_numeric(self) -> bool {
        !matches!(self, DType::Char | DType::String | DType::Compound | DType::Enum | DType::Vlen | DType::Opaque)
    }

    pub fn is_supported(self) -> bool {
        !matches!(self, DType::Compound | DType::Enum | DType::Vlen | DType::Opaque)
    }
}

/// An attribute value, typed exactly as in the file.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Text(String),
    Strings(Vec<String>),
    Int(Vec<i64>),
    UInt(Vec<u64>),
    Float(Vec<f64>),
}

/// JSON numbers are exact only up to 2^53 in JavaScript: larger integers travel as strings.
const JS_SAFE: u64 = (1 << 53) - 1;

fn json_float(v: f64) -> serde_json::Value {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity".into() } else { "-Infinity".into() }
    } else {
        v.into()
    }
}

impl AttrValue {
    /// The value as JSON: text as a string, numbers as an array (exact: big integers and NaN as strings).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            AttrValue::Text(s) => J::String(s.clone()),
            AttrValue::Strings(v) => J::Array(v.iter().cloned().map(J::String).collect()),
            AttrValue::Int(v) => J::Array(
                v.iter().map(|&x| if x.unsigned_abs() > JS_SAFE { J::String(x.to_string()) } else { x.into() }).collect(),
            ),
            AttrValue::UInt(v) => J::Array(v.iter().map(|&x| if x > JS_SAFE { J::String(x.to_string()) } else { x.into() }).collect()),
            AttrValue::Float(v) => J::Array(v.iter().copied().map(json_float).collect()),
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            AttrValue::Text(s) => Some(s),
            AttrValue::Strings(v) if v.len() == 1 => Some(&v[0]),
            _ => None,
        }
    }

    /// CDL rendering: `"text"`, `1.5, 2.5`, `"a", "b"`.
    pub fn cdl(&self, dtype: DType) -> String {
        let suffix = match dtype {
            DType::Float32 => "f",
            DType::Int16 => "s",
            DType::Int8 => "b",
            DType::Int64 => "LL",
            DType::Uint64 => "ULL",
            DType::Uint8 => "UB",
            DType::Uint16 => "US",
            DType::Uint32 => "U",
            _ => "",
        };
        let join = |v: Vec<String>| v.join(", ");
        match self {
            AttrValue::Text(s) => format!("{s:?}"),
            AttrValue::Strings(v) => join(v.iter().map(|s| format!("{s:?}")).collect()),
            AttrValue::Int(v) => join(v.iter().map(|x| format!("{x}{suffix}")).collect()),
            AttrValue::UInt(v) => join(v.iter().map(|x| format!("{x}{suffix}")).collect()),
            AttrValue::Float(v) => join(v.iter().map(|x| format!("{x}{suffix}")).collect()),
        }
    }

    /// Convert from the netcdf crate's value, remembering the element type.
    pub fn from_nc(v: netcdf::AttributeValue) -> (DType, AttrValue) {
        use netcdf::AttributeValue as N;
        let ints = |v: Vec<i64>| AttrValue::Int(v);
        match v {
            N::Uchar(x) => (DType::Uint8, AttrValue::UInt(vec![x.into()])),
            N::Uchars(x) => (DType::Uint8, AttrValue::UInt(x.into_iter().map(u64::from).collect())),
            N::Schar(x) => (DType::Int8, ints(vec![x.into()])),
            N::Schars(x) => (DType::Int8, ints(x.into_iter().map(i64::from).collect())),
            N::Ushort(x) => (DType::Uint16, AttrValue::UInt(vec![x.into()])),
            N::Ushorts(x) => (DType::Uint16, AttrValue::UInt(x.into_iter().map(u64::from).collect())),
            N::Short(x) => (DType::Int16, ints(vec![x.into()])),
            N::Shorts(x) => (DType::Int16, ints(x.into_iter().map(i64::from).collect())),
            N::Uint(x) => (DType::Uint32, AttrValue::UInt(vec![x.into()])),
            N::Uints(x) => (DType::Uint32, AttrValue::UInt(x.into_iter().map(u64::from).collect())),
            N::Int(x) => (DType::Int32, ints(vec![x.into()])),
            N::Ints(x) => (DType::Int32, ints(x.into_iter().map(i64::from).collect())),
            N::Ulonglong(x) => (DType::Uint64, AttrValue::UInt(vec![x])),
            N::Ulonglongs(x) => (DType::Uint64, AttrValue::UInt(x)),
            N::Longlong(x) => (DType::Int64, ints(vec![x])),
            N::Longlongs(x) => (DType::Int64, ints(x)),
            N::Float(x) => (DType::Float32, AttrValue::Float(vec![x.into()])),
            N::Floats(x) => (DType::Float32, AttrValue::Float(x.into_iter().map(f64::from).collect())),
            N::Double(x) => (DType::Float64, AttrValue::Float(vec![x])),
            N::Doubles(x) => (DType::Float64, AttrValue::Float(x)),
            N::Str(s) => (DType::Char, AttrValue::Text(s)),
            N::Strs(v) => (DType::String, AttrValue::Strings(v)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Attr {
    pub name: String,
    pub dtype: DType,
    #[serde(serialize_with = "ser_attr_value")]
    #[ts(type = "string | Array<string> | Array<number | string>")]
    pub value: AttrValue,
}

fn ser_attr_value<S: Serializer>(v: &AttrValue, s: S) -> Result<S::Ok, S::Error> {
    v.to_json().serialize(s)
}

pub fn find_attr<'a>(attrs: &'a [Attr], name: &str) -> Option<&'a Attr> {
    attrs.iter().find(|a| a.name == name)
}

pub fn attr_text<'a>(attrs: &'a [Attr], name: &str) -> Option<&'a str> {
    find_attr(attrs, name).and_then(|a| a.value.as_text())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Dim {
    pub name: String,
    pub len: u64,
    pub unlimited: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Var {
    pub name: String,
    pub dtype: DType,
    pub dims: Vec<String>,
    #[ts(type = "Array<number>")]
    pub shape: Vec<u64>,
    pub attrs: Vec<Attr>,
    /// On-disk chunking (NetCDF-4), for information.
    #[ts(type = "Array<number> | null")]
    pub disk_chunks: Option<Vec<u64>>,
}

impl Var {
    pub fn attr_text(&self, name: &str) -> Option<&str> {
        attr_text(&self.attrs, name)
    }
}

/// Values read from the small variables the merge needs (never the bulk data).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CoordData {
    /// Values of 1-D numeric variables along a dimension (coordinates, time-like variables).
    /// Shared between files where equal (see [`CoordPool`]).
    pub values: Option<std::sync::Arc<[f64]>>,
    /// A cheap checksum of the raw bytes, to see whether static coordinates differ between files.
    pub checksum: Option<u64>,
}

/// Coordinate values equal to those the first file had are shared with it rather than kept once
/// per file: 4800 daily files of a 720x1440 grid held 83 MB of the same latitudes and longitudes.
#[derive(Default)]
pub struct CoordPool(std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<[f64]>>>);

impl CoordPool {
    /// `h`, its coordinate arrays shared with the first file's where equal.
    pub fn shared(&self, mut h: FileHeader) -> FileHeader {
        self.share(&mut h);
        h
    }

    fn share(&self, h: &mut FileHeader) {
        let mut first = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for (name, c) in &mut h.coords {
            let Some(v) = &c.values else { continue };
            match first.get(name) {
                // Bit for bit (NaN included): a shared array must read exactly as the file's own.
                Some(f) if f.len() == v.len() && f.iter().zip(v.iter()).all(|(a, b)| a.to_bits() == b.to_bits()) => c.values = Some(f.clone()),
                Some(_) => {}
                None => {
                    first.insert(name.clone(), v.clone());
                }
            }
        }
    }
}

/// One file's header and the coordinate values the merge needs.
#[derive(Debug, Clone)]
pub struct FileHeader {
    pub path: std::path::PathBuf,
    pub size: u64,
    /// Modification time (seconds since the Unix epoch): with the size, the file's fingerprint.
    pub mtime: i64,
    pub format: &'static str,
    pub dims: Vec<Dim>,
    pub vars: Vec<Var>,
    pub attrs: Vec<Attr>,
    /// Child groups of the group that was read, as full paths.
    pub groups: Vec<String>,
    pub coords: std::collections::BTreeMap<String, CoordData>,
}

impl FileHeader {
    pub fn var(&self, name: &str) -> Option<&Var> {
        self.vars.iter().find(|v| v.name == name)
    }
    pub fn dim(&self, name: &str) -> Option<&Dim> {
        self.dims.iter().find(|d| d.name == name)
    }
    pub fn values(&self, name: &str) -> Option<&[f64]> {
        self.coords.get(name).and_then(|c| c.values.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(coords: &[(&str, Vec<f64>)]) -> FileHeader {
        FileHeader {
            path: "f.nc".into(),
            size: 0,
            mtime: 0,
            format: "netCDF-4",
            dims: vec![],
            vars: vec![],
            attrs: vec![],
            groups: vec![],
            coords: coords.iter().map(|(n, v)| (n.to_string(), CoordData { values: Some(v.clone().into()), checksum: None })).collect(),
        }
    }

    #[test]
    fn equal_coordinates_are_shared_and_read_the_same() {
        let pool = CoordPool::default();
        let lat = vec![0.0, f64::NAN, 1.0];
        let mut a = header(&[("lat", lat.clone()), ("time", vec![0.0])]);
        let mut b = header(&[("lat", lat.clone()), ("time", vec![1.0])]);
        let mut c = header(&[("lat", vec![0.0, f64::NAN, 2.0]), ("time", vec![0.0])]);
        let mut d = header(&[("lat", vec![-0.0, f64::NAN, 1.0])]);
        for h in [&mut a, &mut b, &mut c, &mut d] {
            pool.share(h);
        }
        let arc = |h: &FileHeader, n: &str| h.coords[n].values.clone().unwrap();
        assert!(std::sync::Arc::ptr_eq(&arc(&a, "lat"), &arc(&b, "lat")), "equal values (NaN included) are one array");
        assert!(!std::sync::Arc::ptr_eq(&arc(&a, "lat"), &arc(&c, "lat")), "different values keep their own");
        assert!(!std::sync::Arc::ptr_eq(&arc(&a, "lat"), &arc(&d, "lat")), "-0.0 equals 0.0 but is other bits: not shared");
        assert_eq!(d.values("lat").unwrap()[0].to_bits(), (-0.0f64).to_bits());
        assert_eq!(b.values("time"), Some(&[1.0][..]));
        assert!(std::sync::Arc::ptr_eq(&arc(&a, "time"), &arc(&c, "time")));
        assert_eq!(c.values("lat").unwrap()[2], 2.0);
    }
}
