//! What a store holds: the group and array metadata documents (v2 or v3), the consolidated
//! metadata that marks a store complete, and chunk encoding.

pub mod codec;
pub mod encode;
pub mod json;
pub mod meta;

pub use codec::Compression;
pub use encode::{Encoder, RawChunk};
pub use meta::{ArrayMeta, ZarrFormat};

use crate::inspect::Inspection;
use crate::scan::DType;
use serde_json::{json, Map, Value};

/// The whole store's metadata, before anything is written.
#[derive(Debug, Clone)]
pub struct Layout {
    pub format: ZarrFormat,
    pub arrays: Vec<ArrayMeta>,
    pub global_attrs: Map<String, Value>,
}

/// A metadata object: its key relative to the store root and its text.
pub struct Doc {
    pub key: String,
    pub text: String,
}

impl Layout {
    pub fn new(ins: &Inspection, compression: Compression, format: ZarrFormat) -> Layout {
        let arrays = ins
            .dataset
            .variables
            .iter()
            .filter(|v| v.dtype.is_supported())
            .filter_map(|v| ins.plan.var(&v.name).map(|p| meta::array_meta(v, p, compression, format)))
            .collect();
        Layout { format, arrays, global_attrs: meta::attrs_json(&ins.dataset.attrs, &[]) }
    }

    /// The metadata to write before any chunk: the root group (without consolidated metadata) and every array.
    pub fn documents(&self) -> Vec<Doc> {
        let mut docs = Vec::new();
        match self.format {
            ZarrFormat::V2 => {
                docs.push(Doc { key: ".zgroup".into(), text: json::to_text(&json!({"zarr_format": 2})) });
                docs.push(Doc { key: ".zattrs".into(), text: json::to_text(&Value::Object(self.global_attrs.clone())) });
                for a in &self.arrays {
                    docs.push(Doc { key: format!("{}/.zarray", a.name), text: json::to_text(&a.array_doc) });
                    docs.push(Doc { key: format!("{}/.zattrs", a.name), text: json::to_text(&Value::Object(a.attrs_doc.clone())) });
                }
            }
            ZarrFormat::V3 => {
                docs.push(Doc { key: "zarr.json".into(), text: json::to_text(&self.root_v3(false)) });
                for a in &self.arrays {
                    docs.push(Doc { key: format!("{}/zarr.json", a.name), text: json::to_text(&a.array_doc) });
                }
            }
        }
        docs
    }

    fn root_v3(&self, consolidated: bool) -> Value {
        let mut root = json!({"zarr_format": 3, "node_type": "group", "attributes": Value::Object(self.global_attrs.clone())});
        if consolidated {
            let md: Map<String, Value> = self.arrays.iter().map(|a| (a.name.clone(), a.array_doc.clone())).collect();
            root["consolidated_metadata"] = json!({"kind": "inline", "must_understand": false, "metadata": md});
        }
        root
    }

    /// Written last: its presence says the store is complete (`.zmetadata`, or v3's root with inline consolidated metadata).
    pub fn consolidated(&self) -> Doc {
        match self.format {
            ZarrFormat::V2 => {
                let mut md = Map::new();
                md.insert(".zgroup".into(), json!({"zarr_format": 2}));
                md.insert(".zattrs".into(), Value::Object(self.global_attrs.clone()));
                for a in &self.arrays {
                    md.insert(format!("{}/.zarray", a.name), a.array_doc.clone());
                    md.insert(format!("{}/.zattrs", a.name), Value::Object(a.attrs_doc.clone()));
                }
                Doc { key: ".zmetadata".into(), text: json::to_text(&json!({"metadata": md, "zarr_consolidated_format": 1})) }
            }
            ZarrFormat::V3 => Doc { key: "zarr.json".into(), text: json::to_text(&self.root_v3(true)) },
        }
    }

    /// The key of a chunk relative to the store root.
    pub fn chunk_key(&self, array: &ArrayMeta, idx: &[u64]) -> String {
        let joined = |sep: &str| idx.iter().map(u64::to_string).collect::<Vec<_>>().join(sep);
        match self.format {
            ZarrFormat::V2 if idx.is_empty() => format!("{}/0", array.name),
            ZarrFormat::V2 => format!("{}/{}", array.name, joined(".")),
            ZarrFormat::V3 if idx.is_empty() => format!("{}/c", array.name),
            ZarrFormat::V3 => format!("{}/c/{}", array.name, joined("/")),
        }
    }
}

impl ArrayMeta {
    /// Number of chunks along each dimension.
    pub fn grid(&self) -> Vec<u64> {
        self.shape.iter().zip(&self.chunks).map(|(&s, &c)| s.div_ceil(c.max(1))).collect()
    }

    /// Every chunk index, in C order (the order the reader reads best).
    pub fn chunk_indices(&self) -> Vec<Vec<u64>> {
        let grid = self.grid();
        if grid.contains(&0) {
            return Vec::new();
        }
        let total: u64 = grid.iter().product();
        (0..total)
            .map(|mut n| {
                let mut idx = vec![0; grid.len()];
                for d in (0..grid.len()).rev() {
                    idx[d] = n % grid[d];
                    n /= grid[d];
                }
                idx
            })
            .collect()
    }

    pub fn is_strings(&self) -> bool {
        self.dtype == DType::String
    }
}
