//! The chunk plan: about 100 MB uncompressed per chunk, the same chunk shape everywhere
//! (whatever each file's length), full extent on the non-concat dimensions where it fits.

use crate::error::{Error, Result};
use crate::merge::{Dataset, Role};
use serde::Serialize;
use ts_rs::TS;

pub const MB: u64 = 1_000_000;
pub const DEFAULT_TARGET_MB: f64 = 100.0;
/// Outside this range the UI warns: tiny chunks mean millions of objects, huge ones slow reads.
pub const GOOD_CHUNK_MB: (f64, f64) = (10.0, 200.0);

/// A user's chunk length for one dimension; `None` means the full extent (`-1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ChunkOverride {
    pub dim: String,
    #[ts(type = "number | null")]
    pub len: Option<u64>,
}

/// Parse `time=24,lat=-1`.
pub fn parse_overrides(spec: &str) -> Result<Vec<ChunkOverride>> {
    let bad = |part: &str| Error::bad_argument(format!("--chunks: \"{part}\" is not DIM=LENGTH"), "Write e.g. --chunks time=24,lat=-1 (-1 means the whole dimension).");
    spec.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|part| {
            let (dim, len) = part.split_once('=').ok_or_else(|| bad(part))?;
            let len: i64 = len.trim().parse().map_err(|_| bad(part))?;
            let len = match len {
                -1 => None,
                n if n >= 1 => Some(n as u64),
                _ => return Err(bad(part)),
            };
            Ok(ChunkOverride { dim: dim.trim().to_string(), len })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct VarPlan {
    pub name: String,
    pub dims: Vec<String>,
    #[ts(type = "Array<number>")]
    pub shape: Vec<u64>,
    #[ts(type = "Array<number>")]
    pub chunks: Vec<u64>,
    #[ts(type = "number")]
    pub chunk_bytes: u64,
    #[ts(type = "number")]
    pub n_chunks: u64,
    #[ts(type = "number")]
    pub total_bytes: u64,
    /// Set when the chunk size is outside 10–200 MB for a variable big enough to matter.
    pub warning: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Plan {
    pub target_mb: f64,
    pub overrides: Vec<ChunkOverride>,
    pub variables: Vec<VarPlan>,
    #[ts(type = "number")]
    pub total_bytes: u64,
    #[ts(type = "number")]
    pub total_chunks: u64,
}

impl Plan {
    pub fn var(&self, name: &str) -> Option<&VarPlan> {
        self.variables.iter().find(|v| v.name == name)
    }
}

/// The chunk shape for one array. Never more than `target` bytes unless one element is.
pub fn chunk_shape(shape: &[u64], dims: &[String], itemsize: u64, concat_dim: Option<&str>, target: u64, overrides: &[ChunkOverride]) -> Vec<u64> {
    let full: Vec<u64> = shape.iter().map(|&s| s.max(1)).collect();
    let mut chunks = full.clone();
    let mut free = vec![true; shape.len()];
    for (i, d) in dims.iter().enumerate() {
        if let Some(o) = overrides.iter().find(|o| &o.dim == d) {
            chunks[i] = o.len.map_or(full[i], |n| n.min(full[i]));
            free[i] = false;
        }
    }
    let c = concat_dim.and_then(|cd| dims.iter().position(|d| d == cd));
    if let Some(c) = c.filter(|&c| free[c]) {
        chunks[c] = 1; // sized last, from what the other dimensions leave
    }
    let bytes = |chunks: &[u64]| chunks.iter().product::<u64>().saturating_mul(itemsize);
    // Split the slowest-varying free dimensions (other than concat) until one step fits.
    for i in 0..chunks.len() {
        if bytes(&chunks) <= target {
            break;
        }
        if !free[i] || Some(i) == c {
            continue;
        }
        let rest = bytes(&chunks) / chunks[i];
        chunks[i] = (target / rest.max(1)).clamp(1, full[i]);
    }
    if let Some(c) = c.filter(|&c| free[c]) {
        let per_step = bytes(&chunks);
        chunks[c] = (target / per_step.max(1)).clamp(1, full[c]);
    }
    chunks
}

/// Plan every variable of `ds`: data variables by target size, coordinates in one chunk.
pub fn plan(ds: &Dataset, target_mb: f64, overrides: &[ChunkOverride]) -> Result<Plan> {
    if !(target_mb > 0.0 && target_mb.is_finite()) {
        return Err(Error::bad_argument(format!("--target-chunk-mb {target_mb}: must be a positive number"), "Try the default, 100."));
    }
    for o in overrides {
        if !ds.dims.iter().any(|d| d.name == o.dim) {
            let names: Vec<_> = ds.dims.iter().map(|d| d.name.as_str()).collect();
            return Err(Error::bad_argument(format!("--chunks: the dataset has no dimension {}", o.dim), format!("Its dimensions are {}.", names.join(", "))));
        }
    }
    let target = (target_mb * MB as f64) as u64;
    let mut variables = Vec::new();
    for v in &ds.variables {
        let size = v.dtype.size();
        let chunks = if v.role == Role::Coordinate {
            v.shape.iter().map(|&s| s.max(1)).collect()
        } else {
            chunk_shape(&v.shape, &v.dims, size, ds.concat_dim.as_deref(), target, overrides)
        };
        let chunk_bytes = chunks.iter().product::<u64>() * size;
        let n_chunks = v.shape.iter().zip(&chunks).map(|(&s, &c)| s.div_ceil(c)).product::<u64>();
        let total_bytes = v.shape.iter().product::<u64>() * size;
        let mb = chunk_bytes as f64 / MB as f64;
        let warning = if v.role == Role::Data && mb > GOOD_CHUNK_MB.1 {
            Some(format!("{mb:.0} MB per chunk is large: readers fetch whole chunks; aim for 10–200 MB"))
        } else if v.role == Role::Data && mb < GOOD_CHUNK_MB.0 && total_bytes as f64 > GOOD_CHUNK_MB.0 * MB as f64 && n_chunks > 1 {
            Some(format!("{mb:.1} MB per chunk is small: {n_chunks} objects slow uploads and reads; aim for 10–200 MB"))
        } else {
            None
        };
        variables.push(VarPlan { name: v.name.clone(), dims: v.dims.clone(), shape: v.shape.clone(), chunks, chunk_bytes, n_chunks, total_bytes, warning });
    }
    Ok(Plan {
        target_mb,
        overrides: overrides.to_vec(),
        total_bytes: variables.iter().map(|v| v.total_bytes).sum(),
        total_chunks: variables.iter().map(|v| v.n_chunks).sum(),
        variables,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dims(n: usize) -> Vec<String> {
        (0..n).map(|i| if i == 0 { "time".to_string() } else { format!("d{i}") }).collect()
    }

    #[test]
    fn daily_global_field() {
        // 366/365/365 days of 720x1440 float32: whole grid per chunk, 24 steps of 4.1 MB = 99.5 MB.
        let c = chunk_shape(&[1096, 720, 1440], &dims(3), 4, Some("time"), 100 * MB, &[]);
        assert_eq!(c, vec![24, 720, 1440]);
    }

    #[test]
    fn one_step_too_big_splits_slowest_dims() {
        let c = chunk_shape(&[10, 100, 20_000, 20_000], &dims(4), 4, Some("time"), 100 * MB, &[]);
        assert_eq!(c[0], 1);
        assert_eq!(c[1], 1);
        assert!(c[2] < 20_000 && c[3] == 20_000);
    }

    #[test]
    fn overrides() {
        let o = parse_overrides("time=24, d1=-1").unwrap();
        let c = chunk_shape(&[1000, 10, 10], &dims(3), 8, Some("time"), 100 * MB, &o);
        assert_eq!(c, vec![24, 10, 10]);
        assert!(parse_overrides("time").is_err());
        assert!(parse_overrides("time=0").is_err());
        assert!(parse_overrides("time=x").is_err());
    }

    proptest! {
        #[test]
        fn plan_properties(shape in prop::collection::vec(0u64..5000, 0..5), item in prop::sample::select(vec![1u64, 2, 4, 8]), target in 1u64..400_000_000, has_concat: bool) {
            let d = dims(shape.len());
            let concat = if has_concat { Some("time") } else { None };
            let c = chunk_shape(&shape, &d, item, concat, target, &[]);
            prop_assert_eq!(c.len(), shape.len());
            let bytes = c.iter().product::<u64>() * item;
            // Never over the target unless a single element is.
            prop_assert!(bytes <= target.max(item), "{c:?} of {shape:?} = {bytes} > {target}");
            for (ci, si) in c.iter().zip(&shape) {
                prop_assert!(*ci >= 1 && *ci <= (*si).max(1));
                // Chunks cover the whole shape.
                prop_assert!(si.div_ceil(*ci) * ci >= *si);
            }
            // Full extent on non-concat dimensions whenever one step of the full grid fits.
            let step: u64 = shape.iter().skip(usize::from(has_concat)).map(|&s| s.max(1)).product::<u64>() * item;
            if step <= target {
                for i in usize::from(has_concat)..shape.len() {
                    prop_assert_eq!(c[i], shape[i].max(1));
                }
            }
        }
    }
}
