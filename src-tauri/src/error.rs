//! One error type for the whole core. Every failure carries a stable `code`
//! (for programs, tests and the UI), a `message` that names the file or
//! variable, and a `hint` that says what to do.

use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

/// Stable machine-readable error codes. Never rename one: scripts and the UI match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Code {
    /// A path given on the command line or picked in the UI does not exist.
    PathNotFound,
    /// The paths hold no NetCDF file.
    NoNetcdfFiles,
    /// A file has zero bytes.
    EmptyFile,
    /// A NetCDF file ends before its header says it should.
    TruncatedFile,
    /// A file is not NetCDF (text, GRIB, HDF4, random bytes...).
    NotNetcdf,
    /// A file exists but cannot be read (permissions, I/O error).
    UnreadableFile,
    /// A file name is not valid UTF-8.
    NonUtf8Path,
    /// The files cannot be combined into one dataset.
    CannotMerge,
    /// The requested group does not exist, or the root group holds no variables.
    GroupNotFound,
    /// A command-line or UI option is malformed.
    BadArgument,
    /// libnetcdf reported an error we could not classify further.
    Netcdf,
    /// An operating-system I/O error.
    Io,
    /// A bug in Ferry: the message says where.
    Internal,
    /// The destination URL or path cannot be used as given.
    BadDestination,
    /// The endpoint does not answer (DNS, connection refused, timeout).
    StoreUnreachable,
    /// The credentials are missing, wrong or not allowed to do this.
    AccessDenied,
    /// The bucket does not exist.
    NoSuchBucket,
    /// A store already exists there and neither --overwrite nor --resume was given.
    StoreExists,
    /// The destination prefix holds objects that are not a Ferry/Zarr store.
    NotAStore,
    /// Any other error from the storage service.
    StoreError,
    /// The user stopped the operation.
    Cancelled,
    /// Read-back of written data did not match what was written.
    VerifyFailed,
    /// The sources or options differ from those of the interrupted upload being resumed.
    SourcesChanged,
    /// `--resume` was asked for where no interrupted upload exists.
    NothingToResume,
    /// A Zarr store has no consolidated metadata yet: its upload did not finish.
    StoreIncomplete,
    /// The operation is not available yet for this kind of input (the message says which).
    Unsupported,
    /// A catalog draft misses required fields or holds values the form does not accept.
    DraftIncomplete,
}

impl Code {
    /// The code as it appears in JSON and on the terminal.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::PathNotFound => "path_not_found",
            Code::NoNetcdfFiles => "no_netcdf_files",
            Code::EmptyFile => "empty_file",
            Code::TruncatedFile => "truncated_file",
            Code::NotNetcdf => "not_netcdf",
            Code::UnreadableFile => "unreadable_file",
            Code::NonUtf8Path => "non_utf8_path",
            Code::CannotMerge => "cannot_merge",
            Code::GroupNotFound => "group_not_found",
            Code::BadArgument => "bad_argument",
            Code::Netcdf => "netcdf",
            Code::Io => "io",
            Code::Internal => "internal",
            Code::BadDestination => "bad_destination",
            Code::StoreUnreachable => "store_unreachable",
            Code::AccessDenied => "access_denied",
            Code::NoSuchBucket => "no_such_bucket",
            Code::StoreExists => "store_exists",
            Code::NotAStore => "not_a_store",
            Code::StoreError => "store_error",
            Code::Cancelled => "cancelled",
            Code::VerifyFailed => "verify_failed",
            Code::SourcesChanged => "sources_changed",
            Code::NothingToResume => "nothing_to_resume",
            Code::StoreIncomplete => "store_incomplete",
            Code::Unsupported => "unsupported",
            Code::DraftIncomplete => "draft_incomplete",
        }
    }
}

/// The error every core function returns. Serialises to `{code, message, hint}` for the UI.
#[derive(Debug, Clone, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct Error {
    pub code: Code,
    pub message: String,
    pub hint: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: Code, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error { code, message: message.into(), hint: hint.into() }
    }

    pub fn bad_argument(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::new(Code::BadArgument, message, hint)
    }

    /// An I/O error on `path`, classified so the hint fits (permission, missing, other).
    pub fn io(path: &Path, err: &std::io::Error) -> Self {
        let p = display_path(path);
        match err.kind() {
            std::io::ErrorKind::NotFound => Error::new(
                Code::PathNotFound,
                format!("{p}: no such file or folder"),
                "Check the spelling, or pick the file again: it may have been moved or deleted.",
            ),
            std::io::ErrorKind::PermissionDenied => Error::new(
                Code::UnreadableFile,
                format!("{p}: permission denied"),
                "Ferry needs read access: fix the permissions (chmod u+r) or copy the file somewhere readable.",
            ),
            _ => Error::new(
                Code::Io,
                format!("{p}: {err}"),
                "Check that the disk or network share holding the file is available, then try again.",
            ),
        }
    }
}

/// Paths in messages: lossy, so a non-UTF-8 name still prints something recognisable.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
