//! An upload split across processes (HPC job arrays): `--init` writes the metadata and the
//! record, each `--part I/N` writes a disjoint, contiguous share of the chunks, `--finalize`
//! checks that every chunk is there and writes the consolidated metadata. Zarr chunks are
//! independent objects, so the shares need no coordination beyond the record beside the store.

use crate::error::{Code, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stage {
    /// Everything in one process (the usual upload).
    #[default]
    Whole,
    /// Metadata and record only.
    Init,
    /// Chunks `share(total)` only: part `index` (1-based) of `count`.
    Part { index: u32, count: u32 },
    /// Check every chunk, then the consolidated metadata.
    Finalize,
}

impl Stage {
    /// `I/N` as typed after `--part`, 1 ≤ I ≤ N.
    pub fn parse_part(s: &str) -> Result<Stage> {
        let bad = || Error::bad_argument(format!("--part {s}: expected I/N with 1 ≤ I ≤ N, e.g. --part 3/8"), "In a SLURM array use --part $SLURM_ARRAY_TASK_ID/N with --array=1-N.");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Stage::Part { index, count })
    }

    /// Does this stage write the chunk whose uncompressed bytes start `before` bytes into the
    /// dataset (all chunks in write order) and are `len` long, of `total`? Parts are contiguous
    /// runs of about equal bytes: each process reads its own run of source files, and a part
    /// of small coordinate chunks does not finish long before one of big data chunks.
    pub fn writes(self, before: u64, len: u64, total: u64) -> bool {
        match self {
            Stage::Whole => true,
            // Finalize writes no chunk: it checks that the parts wrote them all.
            Stage::Init | Stage::Finalize => false,
            Stage::Part { index, count } => part_of(before, len, total, count) == index,
        }
    }

    /// Does this stage read an existing record beside the store rather than start one?
    pub fn continues(self) -> bool {
        matches!(self, Stage::Part { .. } | Stage::Finalize)
    }
}

/// The part (1-based, of `count`) that owns a chunk: the one where the chunk's middle byte falls.
pub fn part_of(before: u64, len: u64, total: u64, count: u32) -> u32 {
    if total == 0 || count <= 1 {
        return 1;
    }
    let mid = u128::from(before) * 2 + u128::from(len);
    let part = mid * u128::from(count) / (u128::from(total) * 2);
    (part as u32).min(count - 1) + 1
}

/// `--finalize` while chunks are missing: name them (and, when the record knows how many parts
/// there were, the parts that owe them) so the user re-runs exactly those.
pub fn missing_chunks(url: &str, missing: &[(u32, String)], total: u64, parts: Option<u32>) -> Error {
    let shown: Vec<&str> = missing.iter().take(8).map(|(_, k)| k.as_str()).collect();
    let more = if missing.len() > shown.len() { format!(" and {} more", missing.len() - shown.len()) } else { String::new() };
    let hint = match parts {
        Some(n) => {
            let mut owners: Vec<u32> = missing.iter().map(|&(p, _)| p).collect();
            owners.sort_unstable();
            owners.dedup();
            let list: Vec<String> = owners.iter().map(|i| format!("{i}/{n}")).collect();
            format!("Run these parts again: --part {} (each skips what it already wrote), then --finalize.", list.join(", --part "))
        }
        None => "Run the parts that failed again (each skips what it already wrote), then --finalize; or finish in one process with --resume.".into(),
    };
    Error::new(Code::StoreIncomplete, format!("{url}: {} of {total} chunks are missing: {}{more}", missing.len(), shown.join(", ")), hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chunks of uneven sizes: every chunk goes to exactly one part, parts are contiguous and
    /// in order, and no part holds much more than its share of the bytes.
    #[test]
    fn parts_cover_every_chunk_once_balanced_by_bytes() {
        let sizes: Vec<u64> = [8u64, 8, 8, 1440].iter().copied().chain(std::iter::repeat_n(4_000_000, 97)).chain([1_000_000]).collect();
        let total: u64 = sizes.iter().sum();
        for n in 1..=9u32 {
            let mut before = 0;
            let mut last = 1;
            let mut bytes = vec![0u64; n as usize];
            for &len in &sizes {
                let owners: Vec<u32> = (1..=n).filter(|&i| Stage::Part { index: i, count: n }.writes(before, len, total)).collect();
                assert_eq!(owners.len(), 1, "chunk at {before} of {n} parts");
                assert!(owners[0] >= last, "parts are contiguous");
                last = owners[0];
                bytes[last as usize - 1] += len;
                before += len;
            }
            let fair = total / u64::from(n);
            assert!(bytes.iter().all(|&b| b <= fair + 4_000_000), "{n} parts: {bytes:?}");
        }
        assert!(!Stage::Init.writes(0, 1, 1) && !Stage::Finalize.writes(0, 1, 1) && Stage::Whole.writes(0, 1, 1));
        assert_eq!(part_of(0, 0, 0, 4), 1);
    }

    #[test]
    fn part_syntax() {
        assert_eq!(Stage::parse_part("3/8").unwrap(), Stage::Part { index: 3, count: 8 });
        for bad in ["0/4", "5/4", "3", "a/b", "-1/4", "1/0"] {
            assert_eq!(Stage::parse_part(bad).unwrap_err().code, Code::BadArgument, "{bad}");
        }
    }

    #[test]
    fn missing_chunks_name_their_parts() {
        let e = missing_chunks("s3://b/x.zarr", &[(4, "pr/9.0.0".into()), (1, "pr/0.0.0".into())], 10, Some(4));
        assert_eq!(e.code, Code::StoreIncomplete);
        assert!(e.message.contains("2 of 10 chunks are missing: pr/9.0.0, pr/0.0.0"), "{}", e.message);
        assert!(e.hint.contains("--part 1/4, --part 4/4"), "{}", e.hint);
    }
}
