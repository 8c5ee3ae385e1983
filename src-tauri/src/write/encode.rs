//! Chunk encoding through zarrs' codec pipeline (zstd, blosc, gzip; v2 and v3), built from the
//! same metadata we write. Writing the encoded bytes is the uploader's job, not zarrs'.

use super::meta::{ArrayMeta, ZarrFormat};
use crate::error::{Code, Error, Result};
use std::num::NonZeroU64;
use std::sync::Arc;
use zarrs::array::{Array, ArrayBytes, ArrayBytesOffsets, ArrayMetadata, ArrayMetadataV2, ArrayMetadataV3, ArrayToBytesCodecTraits, CodecOptions};
use zarrs::storage::store::MemoryStore;

/// Raw chunk contents, in native byte order, padded to the full chunk shape.
pub enum RawChunk {
    Fixed(Vec<u8>),
    /// Variable-length strings: UTF-8 bytes and `n + 1` offsets.
    Strings(Vec<u8>, Vec<usize>),
}

impl RawChunk {
    pub fn len(&self) -> usize {
        match self {
            RawChunk::Fixed(b) | RawChunk::Strings(b, _) => b.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Encodes chunks of one array. Cheap to clone; safe to use from many threads.
#[derive(Clone)]
pub struct Encoder {
    array: Arc<Array<MemoryStore>>,
    shape: Vec<NonZeroU64>,
}

fn internal(name: &str, what: impl std::fmt::Display) -> Error {
    Error::new(Code::Internal, format!("variable {name}: cannot set up the Zarr codecs: {what}"), "This is a bug in Ferry: please report it with the output of `ferry inspect`.")
}

impl Encoder {
    pub fn new(meta: &ArrayMeta, format: ZarrFormat) -> Result<Encoder> {
        let md = match format {
            ZarrFormat::V2 => ArrayMetadata::V2(serde_json::from_value::<ArrayMetadataV2>(meta.codec_doc.clone()).map_err(|e| internal(&meta.name, e))?),
            ZarrFormat::V3 => ArrayMetadata::V3(serde_json::from_value::<ArrayMetadataV3>(meta.codec_doc.clone()).map_err(|e| internal(&meta.name, e))?),
        };
        let array = Array::new_with_metadata(Arc::new(MemoryStore::new()), "/", md).map_err(|e| internal(&meta.name, e))?;
        let shape = meta.chunks.iter().map(|&c| NonZeroU64::new(c.max(1)).unwrap_or(NonZeroU64::MIN)).collect();
        Ok(Encoder { array: Arc::new(array), shape })
    }

    /// Encode one full-size chunk.
    pub fn encode(&self, raw: RawChunk) -> Result<Vec<u8>> {
        let bytes = match raw {
            RawChunk::Fixed(b) => ArrayBytes::new_flen(b),
            RawChunk::Strings(b, offsets) => {
                let offsets = ArrayBytesOffsets::new(offsets).map_err(|e| internal("(strings)", e))?;
                ArrayBytes::new_vlen(b, offsets).map_err(|e| internal("(strings)", e))?
            }
        };
        let out = self
            .array
            .codecs()
            .encode(bytes, &self.shape, self.array.data_type(), self.array.fill_value(), &CodecOptions::default())
            .map_err(|e| Error::new(Code::Internal, format!("encoding a chunk failed: {e}"), "This is a bug in Ferry: please report it."))?;
        Ok(out.into_owned())
    }
}
