//! The merged dataset: what `xr.open_mfdataset(files)` would show, plus per-file problems.

use crate::scan::{Attr, DType, Skipped};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Severity {
    /// Shown for information: nothing to do.
    Info,
    /// The store can be written, but the user should know.
    Warning,
    /// The files cannot be written as one store until this is fixed.
    Error,
}

/// One thing wrong or noteworthy, naming the file (and variable) it concerns.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Problem {
    pub severity: Severity,
    /// Stable code, e.g. `missing_variable`, `gap`, `truncated_file`.
    pub code: String,
    pub file: Option<String>,
    pub variable: Option<String>,
    pub message: String,
    pub hint: String,
}

/// One source file in merged order.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SourceFile {
    pub path: String,
    #[ts(type = "number")]
    pub size: u64,
    /// Milliseconds since the Unix epoch; with `size`, the fingerprint resume checks.
    #[ts(type = "number")]
    pub mtime: i64,
    pub format: String,
    /// Index of this file's first step along the concat dimension.
    #[ts(type = "number")]
    pub offset: u64,
    /// Its number of steps along the concat dimension.
    #[ts(type = "number")]
    pub steps: u64,
    /// Decoded first and last value of the ordering coordinate.
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OrderMethod {
    /// By the first value of the concat dimension's coordinate (xarray's way).
    ConcatCoordinate,
    /// By another time coordinate along the concat dimension (e.g. NEMO's `time_centered`).
    AuxiliaryCoordinate,
    /// By file name, where no coordinate can order the files.
    FileName,
    /// A single file, or nothing to concatenate.
    Single,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Ordering {
    pub method: OrderMethod,
    pub variable: Option<String>,
    /// A sentence for people: "ordered by time", "time_counter is 0.0 in every file: ordered by time_centered".
    pub note: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MergedDim {
    pub name: String,
    #[ts(type = "number")]
    pub len: u64,
    pub concat: bool,
    pub unlimited: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Role {
    Coordinate,
    Data,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MergedVar {
    pub name: String,
    pub dtype: DType,
    pub dims: Vec<String>,
    #[ts(type = "Array<number>")]
    pub shape: Vec<u64>,
    pub attrs: Vec<Attr>,
    pub role: Role,
    /// Whether it is concatenated along the concat dimension (else taken from the first file).
    pub concat: bool,
}

impl MergedVar {
    pub fn attr_text(&self, name: &str) -> Option<&str> {
        crate::scan::model::attr_text(&self.attrs, name)
    }
}

/// The time axis as people read it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TimeSummary {
    pub variable: String,
    pub units: String,
    pub calendar: String,
    pub first: Option<String>,
    pub last: Option<String>,
    #[ts(type = "number")]
    pub steps: u64,
    /// "1 day", "monthly", "6 hours", "irregular"...
    pub step: String,
    /// Set when the units cannot be decoded: values are shown raw.
    pub undecodable: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Dataset {
    pub group: String,
    pub files: Vec<SourceFile>,
    pub concat_dim: Option<String>,
    pub order: Ordering,
    pub dims: Vec<MergedDim>,
    pub variables: Vec<MergedVar>,
    pub attrs: Vec<Attr>,
    pub time: Option<TimeSummary>,
    pub problems: Vec<Problem>,
    pub skipped: Vec<Skipped>,
}

impl Dataset {
    pub fn var(&self, name: &str) -> Option<&MergedVar> {
        self.variables.iter().find(|v| v.name == name)
    }
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}
