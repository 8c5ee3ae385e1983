//! Options shared by `test-write` and `upload`: the files, the destination, the format.

use super::inspect::InspectArgs;
use crate::error::{Error, Result};
use crate::store::DestOptions;
use crate::upload::WriteOptions;
use crate::write::{Compression, ZarrFormat};

#[derive(clap::Args, Debug)]
pub struct WriteArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Destination: a local folder, s3://bucket/prefix/name.zarr or gs://bucket/prefix/name.zarr.
    #[arg(long, value_name = "DEST")]
    pub to: String,
    #[command(flatten)]
    pub dest: DestArgs,
    /// Zarr format: 2 (default, with .zmetadata) or 3.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(2..=3))]
    pub zarr_format: u8,
    /// zstd:N (default zstd:3), blosc-zstd:N, gzip:N or none.
    #[arg(long, default_value = "zstd:3")]
    pub compression: String,
    /// Puts in flight at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// How to show progress: bar (default on a terminal), json (one line per update), none.
    #[arg(long, value_name = "bar|json|none")]
    pub progress: Option<String>,
    /// Seconds to wait for an endpoint that stopped answering before giving up (the upload stays resumable).
    #[arg(long, value_name = "SECS", default_value_t = 600)]
    pub network_wait: u64,
}

/// How to reach the destination.
#[derive(clap::Args, Debug)]
pub struct DestArgs {
    /// S3 endpoint (e.g. https://nyu1.osn.mghpcc.org); default AWS_ENDPOINT_URL, else AWS.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// S3 region (default us-east-1).
    #[arg(long)]
    pub region: Option<String>,
    /// A profile from ~/.aws/credentials.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// A file holding a GCS access token (`gcloud auth print-access-token > token.txt`).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<std::path::PathBuf>,
}

/// The scanner's options, as in `ferry inspect`.
#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// NetCDF files, folders or glob patterns.
    #[arg(required = true, value_name = "FILES")]
    pub paths: Vec<std::path::PathBuf>,
    #[arg(long, value_name = "PATH")]
    pub group: Option<String>,
    #[arg(long, value_name = "DIM")]
    pub concat_dim: Option<String>,
    #[arg(long, value_name = "N", default_value_t = crate::plan::DEFAULT_TARGET_MB)]
    pub target_chunk_mb: f64,
    #[arg(long, value_name = "DIM=N,...")]
    pub chunks: Option<String>,
}

impl ScanArgs {
    pub fn inspect_args(&self) -> InspectArgs {
        InspectArgs {
            paths: self.paths.clone(),
            group: self.group.clone(),
            concat_dim: self.concat_dim.clone(),
            target_chunk_mb: self.target_chunk_mb,
            chunks: self.chunks.clone(),
            json: false,
        }
    }
}

impl DestArgs {
    pub fn options(&self, fail_fast: bool) -> DestOptions {
        DestOptions {
            endpoint: self.endpoint.clone(),
            region: self.region.clone(),
            profile: self.profile.clone(),
            token_file: self.token_file.clone(),
            fail_fast,
            ..Default::default()
        }
    }
}

impl WriteArgs {
    pub fn dest_options(&self, fail_fast: bool) -> DestOptions {
        self.dest.options(fail_fast)
    }

    pub fn write_options(&self, overwrite: bool, resume: bool) -> Result<WriteOptions> {
        if self.concurrency == 0 {
            return Err(Error::bad_argument("--concurrency 0: at least one put must be in flight", "Try the default, 8."));
        }
        Ok(WriteOptions {
            format: if self.zarr_format == 3 { ZarrFormat::V3 } else { ZarrFormat::V2 },
            compression: Compression::parse(&self.compression)?,
            concurrency: self.concurrency,
            overwrite,
            resume,
            inputs: std::env::args().skip(1).collect(),
            network_wait: std::time::Duration::from_secs(self.network_wait),
            ..WriteOptions::default()
        })
    }
}
