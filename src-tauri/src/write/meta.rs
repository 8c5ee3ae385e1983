//! Zarr metadata for each variable, written by hand so every byte is what xarray expects:
//! `_ARRAY_DIMENSIONS`, CF attributes as in the files, fill values right for each format.

use super::codec::Compression;
use super::json as zjson;
use crate::merge::MergedVar;
use crate::plan::VarPlan;
use crate::scan::{Attr, AttrValue, DType};
use base64::Engine;
use serde_json::{json, Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZarrFormat {
    V2,
    V3,
}

/// Everything needed to write one array: its metadata documents and how to pad its chunks.
#[derive(Debug, Clone)]
pub struct ArrayMeta {
    pub name: String,
    pub dtype: DType,
    pub dims: Vec<String>,
    pub shape: Vec<u64>,
    pub chunks: Vec<u64>,
    /// v2: the `.zarray` document; v3: the array's `zarr.json` (attributes included).
    pub array_doc: Value,
    /// v2 only: `.zattrs`.
    pub attrs_doc: Map<String, Value>,
    /// The metadata zarrs encodes with: the same codecs, with a stand-in dtype where zarrs has none (char).
    pub codec_doc: Value,
    /// One element of fill, in native byte order, to pad edge chunks.
    pub fill_element: Vec<u8>,
}

/// Attribute value → JSON, as xarray's netCDF backend shows it (scalars unwrapped, lists otherwise).
pub fn attr_json(v: &AttrValue) -> Value {
    fn one_or_many(mut items: Vec<Value>) -> Value {
        if items.len() == 1 { items.pop().unwrap_or(Value::Null) } else { Value::Array(items) }
    }
    match v {
        AttrValue::Text(s) => Value::String(s.clone()),
        AttrValue::Strings(v) => one_or_many(v.iter().cloned().map(Value::String).collect()),
        AttrValue::Int(v) => one_or_many(v.iter().map(|&x| x.into()).collect()),
        AttrValue::UInt(v) => one_or_many(v.iter().map(|&x| x.into()).collect()),
        AttrValue::Float(v) => one_or_many(v.iter().map(|&x| zjson::float(x)).collect()),
    }
}

pub fn attrs_json(attrs: &[Attr], skip: &[&str]) -> Map<String, Value> {
    attrs.iter().filter(|a| !skip.contains(&a.name.as_str())).map(|a| (a.name.clone(), attr_json(&a.value))).collect()
}

fn v2_dtype(d: DType) -> &'static str {
    match d {
        DType::Int8 => "|i1",
        DType::Uint8 => "|u1",
        DType::Int16 => "<i2",
        DType::Uint16 => "<u2",
        DType::Int32 => "<i4",
        DType::Uint32 => "<u4",
        DType::Int64 => "<i8",
        DType::Uint64 => "<u8",
        DType::Float32 => "<f4",
        DType::Float64 => "<f8",
        DType::Char => "|S1",
        _ => "|O",
    }
}

fn v3_dtype(d: DType) -> Value {
    match d {
        DType::Char => json!({"name": "null_terminated_bytes", "configuration": {"length_bytes": 1}}),
        DType::String => json!("string"),
        other => json!(format!("{other:?}").to_ascii_lowercase()),
    }
}

/// A float `fill_value`: the spec's strings for non-finite values (attributes use bare tokens instead).
fn fill_float(v: f64) -> Value {
    if v.is_nan() {
        json!("NaN")
    } else if v.is_infinite() {
        json!(if v > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

/// The `_FillValue` as a number of the variable's type, if it has one.
fn fill_number(var: &MergedVar) -> Option<f64> {
    let a = var.attrs.iter().find(|a| a.name == "_FillValue")?;
    match &a.value {
        AttrValue::Int(v) => v.first().map(|&x| x as f64),
        AttrValue::UInt(v) => v.first().map(|&x| x as f64),
        AttrValue::Float(v) => v.first().copied(),
        _ => None,
    }
}

fn fill_int(var: &MergedVar) -> Option<Value> {
    let a = var.attrs.iter().find(|a| a.name == "_FillValue")?;
    match &a.value {
        AttrValue::Int(v) => v.first().map(|&x| x.into()),
        AttrValue::UInt(v) => v.first().map(|&x| x.into()),
        AttrValue::Float(v) => v.first().map(|&x| (x as i64).into()),
        _ => None,
    }
}

fn fill_char(var: &MergedVar) -> Option<u8> {
    let a = var.attrs.iter().find(|a| a.name == "_FillValue")?;
    match &a.value {
        AttrValue::Text(s) => Some(s.as_bytes().first().copied().unwrap_or(0)),
        AttrValue::Int(v) => v.first().map(|&x| x as u8),
        AttrValue::UInt(v) => v.first().map(|&x| x as u8),
        _ => None,
    }
}

/// One element of `value` in `dtype`, native byte order.
fn element_bytes(dtype: DType, value: f64) -> Vec<u8> {
    match dtype {
        DType::Int8 => (value as i8).to_ne_bytes().to_vec(),
        DType::Uint8 | DType::Char => (value as u8).to_ne_bytes().to_vec(),
        DType::Int16 => (value as i16).to_ne_bytes().to_vec(),
        DType::Uint16 => (value as u16).to_ne_bytes().to_vec(),
        DType::Int32 => (value as i32).to_ne_bytes().to_vec(),
        DType::Uint32 => (value as u32).to_ne_bytes().to_vec(),
        DType::Int64 => (value as i64).to_ne_bytes().to_vec(),
        DType::Uint64 => (value as u64).to_ne_bytes().to_vec(),
        DType::Float32 => (value as f32).to_ne_bytes().to_vec(),
        DType::Float64 => value.to_ne_bytes().to_vec(),
        _ => Vec::new(),
    }
}

pub fn array_meta(var: &MergedVar, plan: &VarPlan, compression: Compression, format: ZarrFormat) -> ArrayMeta {
    let itemsize = var.dtype.size();
    let numeric_fill = fill_number(var);
    let fill_element = match var.dtype {
        DType::Char => vec![fill_char(var).unwrap_or(0)],
        DType::String => Vec::new(),
        d => element_bytes(d, numeric_fill.unwrap_or(0.0)),
    };
    let (array_doc, attrs_doc, codec_doc) = match format {
        ZarrFormat::V2 => v2(var, plan, compression, itemsize, numeric_fill),
        ZarrFormat::V3 => v3(var, plan, compression, itemsize, numeric_fill),
    };
    ArrayMeta {
        name: var.name.clone(),
        dtype: var.dtype,
        dims: var.dims.clone(),
        shape: var.shape.clone(),
        chunks: plan.chunks.clone(),
        array_doc,
        attrs_doc,
        codec_doc,
        fill_element,
    }
}

fn v2(var: &MergedVar, plan: &VarPlan, compression: Compression, itemsize: u64, numeric_fill: Option<f64>) -> (Value, Map<String, Value>, Value) {
    // v2: the CF _FillValue *is* the array's fill_value; xarray reads it from there.
    let fill = match var.dtype {
        DType::Float32 | DType::Float64 => numeric_fill.map_or(Value::Null, fill_float),
        DType::Char => fill_char(var).map_or(Value::Null, |b| Value::String(base64::engine::general_purpose::STANDARD.encode([b]))),
        DType::String => Value::Null,
        _ => fill_int(var).unwrap_or(Value::Null),
    };
    let filters = if var.dtype == DType::String { json!([{"id": "vlen-utf8"}]) } else { Value::Null };
    let doc = json!({
        "zarr_format": 2,
        "shape": var.shape,
        "chunks": plan.chunks,
        "dtype": v2_dtype(var.dtype),
        "compressor": compression.v2(itemsize),
        "fill_value": fill,
        "order": "C",
        "filters": filters,
        "dimension_separator": ".",
    });
    let mut attrs = attrs_json(&var.attrs, &["_FillValue"]);
    attrs.insert("_ARRAY_DIMENSIONS".into(), json!(var.dims));
    // zarrs has no char type: it encodes the same bytes as uint8.
    let mut codec = doc.clone();
    if var.dtype == DType::Char {
        codec["dtype"] = json!("|u1");
        codec["fill_value"] = json!(0);
    }
    if codec["fill_value"].is_string() && var.dtype.is_numeric() && !matches!(var.dtype, DType::Float32 | DType::Float64) {
        codec["fill_value"] = json!(0);
    }
    (doc, attrs, codec)
}

fn v3(var: &MergedVar, plan: &VarPlan, compression: Compression, itemsize: u64, numeric_fill: Option<f64>) -> (Value, Map<String, Value>, Value) {
    let mut codecs = Vec::new();
    match var.dtype {
        DType::String => codecs.push(json!({"name": "vlen-utf8"})),
        DType::Char | DType::Int8 | DType::Uint8 => codecs.push(json!({"name": "bytes"})),
        _ => codecs.push(json!({"name": "bytes", "configuration": {"endian": "little"}})),
    }
    codecs.extend(compression.v3(itemsize));
    let fill = match var.dtype {
        DType::Float32 | DType::Float64 => fill_float(numeric_fill.unwrap_or(f64::NAN)),
        DType::String => json!(""),
        DType::Char => json!(base64::engine::general_purpose::STANDARD.encode([fill_char(var).unwrap_or(0)])),
        _ => fill_int(var).unwrap_or(json!(0)),
    };
    let mut attrs = attrs_json(&var.attrs, &["_FillValue"]);
    // v3: xarray masks on the _FillValue attribute (floats as base64 of the float64 bytes, as xarray writes).
    if var.dtype != DType::Char {
        if let Some(f) = numeric_fill {
            let v = match var.dtype {
                DType::Float32 | DType::Float64 => json!(base64::engine::general_purpose::STANDARD.encode(f.to_le_bytes())),
                _ => fill_int(var).unwrap_or(Value::Null),
            };
            attrs.insert("_FillValue".into(), v);
        }
    }
    let doc = json!({
        "zarr_format": 3,
        "node_type": "array",
        "shape": var.shape,
        "data_type": v3_dtype(var.dtype),
        "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": plan.chunks}},
        "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
        "fill_value": fill,
        "codecs": codecs,
        "attributes": Value::Object(attrs),
        "dimension_names": var.dims,
        "storage_transformers": [],
    });
    let mut codec = doc.clone();
    codec["attributes"] = json!({});
    if var.dtype == DType::Char {
        codec["data_type"] = json!("uint8");
        codec["fill_value"] = json!(0);
    }
    (doc, Map::new(), codec)
}
