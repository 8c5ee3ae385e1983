//! `ferry draft-issue --store URL [FILES...]`: the catalog request for LEAP-Pangeo's
//! data-management repository, and the feedstock's meta.yaml/catalog.yaml.

use crate::catalog::{self, draft_feedstock, draft_issue, render, render_feedstock, DraftOptions, FeedstockOptions, Maintainer};
use crate::error::{Code, Error, Result};
use crate::inspect::{inspect, InspectOptions};
use crate::plan;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
#[command(after_help = "The Markdown goes to stdout (redirect it to a .md file); notes, problems and the link to open go to stderr. \
With --json, everything goes to stdout as one JSON object. Exit code 0 when the request can be submitted as it is, 1 when something must be fixed first.")]
pub struct DraftIssueArgs {
    /// The Zarr store: a local folder (or file:// URL), s3://BUCKET/PATH or gs://BUCKET/PATH.
    #[arg(long, value_name = "URL")]
    pub store: String,
    /// The NetCDF files the store was made from (files, folders or globs), to describe them.
    #[arg(value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// S3 endpoint for s3:// stores (default: the OSN pod, https://nyu1.osn.mghpcc.org).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// A profile from ~/.aws/credentials, to read an s3:// store that is not public.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// A file holding a GCS access token, to read a gs:// store.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Repository to open the issue in.
    #[arg(long, value_name = "OWNER/NAME", default_value = catalog::form::DEFAULT_REPO)]
    pub repo: String,
    /// Set a form field by its id, e.g. --set license=CC-BY-4.0 --set "description=…" (repeatable).
    #[arg(long = "set", value_name = "ID=VALUE")]
    pub set: Vec<String>,
    /// Maintainer's name for meta.yaml.
    #[arg(long, value_name = "NAME")]
    pub maintainer: Option<String>,
    /// Maintainer's GitHub user name for meta.yaml.
    #[arg(long, value_name = "USER")]
    pub github: Option<String>,
    /// Feedstock repository for catalog.yaml's link to meta.yaml (default leap-stc/<store>_feedstock).
    #[arg(long, value_name = "OWNER/NAME")]
    pub feedstock_repo: Option<String>,
    /// Write meta.yaml and catalog.yaml into this folder.
    #[arg(long, value_name = "DIR")]
    pub feedstock: Option<PathBuf>,
    /// Read this group of the files instead of the root group.
    #[arg(long, value_name = "PATH")]
    pub group: Option<String>,
    /// The dimension the files were concatenated along (default: the unlimited one).
    #[arg(long, value_name = "DIM")]
    pub concat_dim: Option<String>,
    /// Target chunk size the store was planned with, in MB.
    #[arg(long, value_name = "N", default_value_t = plan::DEFAULT_TARGET_MB)]
    pub target_chunk_mb: f64,
    /// Chunk lengths the store was written with, e.g. time=24,lat=-1.
    #[arg(long, value_name = "DIM=N,...")]
    pub chunks: Option<String>,
    /// Print the draft (fields, Markdown, link, catalog files) as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    issue: &'a catalog::IssueDraft,
    rendered: &'a catalog::RenderedIssue,
    store: &'a catalog::StoreInfo,
    feedstock: &'a catalog::RenderedFeedstock,
}

pub fn run(args: &DraftIssueArgs) -> Result<ExitCode> {
    let endpoint = args.endpoint.clone().or_else(|| args.store.starts_with("s3://").then(|| catalog::store::OSN_ENDPOINT.to_string()));
    let opts = crate::store::DestOptions { endpoint, profile: args.profile.clone(), token_file: args.token_file.clone(), fail_fast: true, ..Default::default() };
    let store = catalog::store::store_status_with(&args.store, &opts)?;
    let inspection = if args.files.is_empty() {
        None
    } else {
        let opts = InspectOptions {
            paths: args.files.clone(),
            group: args.group.clone(),
            concat_dim: args.concat_dim.clone(),
            target_chunk_mb: args.target_chunk_mb,
            chunks: args.chunks.as_deref().map(plan::parse_overrides).transpose()?.unwrap_or_default(),
        };
        Some(inspect(&opts, &mut |_, _| {})?)
    };
    let mut issue = draft_issue(inspection.as_ref(), &store, &DraftOptions { repo: Some(args.repo.clone()) });
    for kv in &args.set {
        let (id, value) = kv.split_once('=').ok_or_else(|| Error::bad_argument(format!("--set {kv}: not ID=VALUE"), "Write e.g. --set license=CC-BY-4.0."))?;
        let value = value.replace("\\n", "\n");
        if !issue.fields.set(id.trim(), value) {
            let ids: Vec<&str> = catalog::form::FIELDS.iter().map(|f| f.id).collect();
            return Err(Error::bad_argument(format!("--set {id}: the form has no field {id}"), format!("The field ids are {}.", ids.join(", "))));
        }
        issue.notes.retain(|n| n.field.as_deref() != Some(id.trim()));
    }
    let rendered = render(&issue);
    let maintainers = match (&args.maintainer, &args.github) {
        (None, None) => vec![],
        (name, github) => vec![Maintainer { name: name.clone().or_else(|| github.clone()).unwrap_or_default(), github: github.clone() }],
    };
    let fs = draft_feedstock(&issue, inspection.as_ref(), &store, &FeedstockOptions { maintainers, repo: args.feedstock_repo.clone(), tags: vec![] });
    let feedstock = render_feedstock(&fs);

    let mut out = std::io::stdout().lock();
    if args.json {
        let j = serde_json::to_string_pretty(&JsonOut { issue: &issue, rendered: &rendered, store: &store, feedstock: &feedstock })
            .map_err(|e| Error::new(Code::Internal, e.to_string(), ""))?;
        let _ = writeln!(out, "{j}");
    } else {
        let _ = write!(out, "{}", rendered.document);
        for n in &issue.notes {
            let on = n.field.as_deref().map(|f| format!(" ({f})")).unwrap_or_default();
            eprintln!("note[{}]{on}: {}", n.code, n.message);
        }
        for p in &rendered.problems {
            eprintln!("problem[{}] ({}): {}", p.code, p.field, p.message);
        }
        match &rendered.link.message {
            Some(m) => eprintln!("\n{m}\nOpen: {}", rendered.link.url),
            None => eprintln!("\nOpen this link to file the request on GitHub:\n{}", rendered.link.url),
        }
    }
    if let Some(dir) = &args.feedstock {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
        for (name, text) in [("meta.yaml", &feedstock.meta_yaml), ("catalog.yaml", &feedstock.catalog_yaml)] {
            let p = dir.join(name);
            std::fs::write(&p, text).map_err(|e| Error::io(&p, &e))?;
        }
        if !args.json {
            eprintln!("\nWrote meta.yaml and catalog.yaml to {}.", dir.display());
            for p in &feedstock.problems {
                eprintln!("catalog problem ({} {}): {}", p.file, p.path, p.message);
            }
            eprintln!("\n{}", feedstock.instructions.trim_end());
        }
    }
    if !store.complete {
        super::print_error(&Error::new(
            Code::StoreIncomplete,
            format!("{}: no consolidated metadata, so the upload did not finish; the draft says so", store.url),
            "Finish the upload (run the same `ferry upload` again with --resume), then draft again.",
        ));
        return Ok(ExitCode::FAILURE);
    }
    if !rendered.problems.is_empty() {
        super::print_error(&Error::new(
            Code::DraftIncomplete,
            format!("{} field(s) must be fixed before the request can be submitted (listed above)", rendered.problems.len()),
            "Fill them in on GitHub, or pass --set ID=VALUE.",
        ));
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
