//! Prefill the "New Dataset" form from what Ferry knows: the scan (files, attributes, time
//! axis, chunk plan) and the store (where, complete or not, its size and chunks).

use super::form::{self, FIELDS};
use super::redact::redact;
use super::store::{StoreInfo, StoreKind};
use crate::inspect::Inspection;
use crate::merge::{Dataset, Role};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// The form's values, one per field, keyed by the form's field ids. Empty means no response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct IssueFields {
    pub name: String,
    pub url: String,
    pub description: String,
    pub size: String,
    pub license: String,
    pub format: String,
    #[serde(rename = "format-other")]
    pub format_other: String,
    pub location: String,
    pub organization: String,
    pub examples: String,
    pub authorization: String,
    pub transformation: String,
    #[serde(rename = "target-format")]
    pub target_format: String,
    pub comments: String,
}

impl IssueFields {
    /// The value of the field with this form id.
    pub fn get(&self, id: &str) -> Option<&str> {
        Some(match id {
            "name" => &self.name,
            "url" => &self.url,
            "description" => &self.description,
            "size" => &self.size,
            "license" => &self.license,
            "format" => &self.format,
            "format-other" => &self.format_other,
            "location" => &self.location,
            "organization" => &self.organization,
            "examples" => &self.examples,
            "authorization" => &self.authorization,
            "transformation" => &self.transformation,
            "target-format" => &self.target_format,
            "comments" => &self.comments,
            _ => return None,
        })
    }

    /// Set the field with this form id; false if the form has no such field.
    pub fn set(&mut self, id: &str, value: impl Into<String>) -> bool {
        let slot = match id {
            "name" => &mut self.name,
            "url" => &mut self.url,
            "description" => &mut self.description,
            "size" => &mut self.size,
            "license" => &mut self.license,
            "format" => &mut self.format,
            "format-other" => &mut self.format_other,
            "location" => &mut self.location,
            "organization" => &mut self.organization,
            "examples" => &mut self.examples,
            "authorization" => &mut self.authorization,
            "transformation" => &mut self.transformation,
            "target-format" => &mut self.target_format,
            "comments" => &mut self.comments,
            _ => return false,
        };
        *slot = value.into();
        true
    }

    /// `(id, value)` in the form's order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        FIELDS.iter().map(move |f| (f.id, self.get(f.id).unwrap_or("")))
    }
}

/// Something the user should look at before submitting, tied to a field where it concerns one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftNote {
    /// The form field id, or `None` for the draft as a whole.
    pub field: Option<String>,
    /// Stable code, e.g. `license_unknown`, `store_incomplete`, `local_store`.
    pub code: String,
    pub message: String,
}

/// The request as Ferry drafted it; the wizard edits `fields`, then renders and validates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IssueDraft {
    /// `owner/name` of the repository the issue goes to.
    pub repo: String,
    pub fields: IssueFields,
    pub notes: Vec<DraftNote>,
}

impl IssueDraft {
    pub fn title(&self) -> String {
        form::title(&single_line(&self.fields.name))
    }
    pub fn labels(&self) -> Vec<String> {
        vec![form::LABEL.to_string()]
    }
}

/// What to draft from beyond the scan and the store.
#[derive(Debug, Clone, Default)]
pub struct DraftOptions {
    /// Target repository; `None` means [`form::DEFAULT_REPO`].
    pub repo: Option<String>,
}

/// Global attributes that name a dataset, best first.
pub const NAME_ATTRS: &[&str] = &["title", "dataset_title", "source_id", "dataset_id", "id", "short_name"];
/// Global attributes that describe it, best first.
pub const DESCRIPTION_ATTRS: &[&str] = &["summary", "abstract", "description", "comment", "title"];

/// The dataset's global text attributes: the files' (merged), else the store's.
pub(crate) fn global_attrs(inspection: Option<&Inspection>, store: &StoreInfo) -> BTreeMap<String, String> {
    let mut attrs = store.attrs.clone();
    if let Some(i) = inspection {
        for a in &i.dataset.attrs {
            if let Some(t) = a.value.as_text() {
                attrs.insert(a.name.clone(), t.to_string());
            }
        }
    }
    attrs
}

fn note(field: Option<&str>, code: &str, message: impl Into<String>) -> DraftNote {
    DraftNote { field: field.map(str::to_string), code: code.to_string(), message: message.into() }
}

/// Prefill the form. `inspection` is the scan of the source files (absent when only the store
/// is known). Every value is cleaned with [`redact`]: no home path, no credential.
pub fn draft_issue(inspection: Option<&Inspection>, store: &StoreInfo, opts: &DraftOptions) -> IssueDraft {
    let attrs = global_attrs(inspection, store);
    let mut f = IssueFields::default();
    let mut notes = Vec::new();

    // Name: a naming attribute, else the store's name, else the first file's.
    let from_attr = NAME_ATTRS.iter().find_map(|n| attrs.get(*n).map(|v| single_line(v)).filter(|v| !v.is_empty()));
    let named_by_attr = from_attr.is_some();
    f.name = match from_attr {
        Some(v) => v,
        None => store
            .name()
            .or_else(|| inspection.and_then(|i| i.dataset.files.first()).map(|f| file_name(&f.path).split('.').next().unwrap_or("").to_string()))
            .unwrap_or_default(),
    };
    if !named_by_attr {
        notes.push(note(Some("name"), "name_from_store", "No title attribute in the data: the name is the store's. Give the dataset's official name."));
    }
    f.url = dataset_url(&attrs).unwrap_or_default();

    f.description = DESCRIPTION_ATTRS.iter().filter_map(|n| attrs.get(*n)).map(|v| v.trim()).find(|v| !v.is_empty()).unwrap_or("").to_string();
    if f.description.is_empty() {
        notes.push(note(
            Some("description"),
            "description_missing",
            "No summary or comment attribute in the data: write a few sentences on why this dataset is useful to LEAP research.",
        ));
    }

    f.size = size_text(inspection.map(|i| &i.dataset), inspection.map(|i| i.plan.total_bytes), store);

    let (license, license_note) = license_from(&attrs);
    f.license = license;
    if let Some(n) = license_note {
        notes.push(n);
    }

    f.format = "NetCDF".to_string();
    f.location = match &store.kind {
        StoreKind::S3 { .. } => "S3".to_string(),
        StoreKind::Gcs { .. } => "Other cloud storage (GCS, ADLFS)".to_string(),
        StoreKind::Local => {
            notes.push(note(
                Some("location"),
                "local_store",
                "The store is a folder on this computer: nobody else can read it. Upload it to the OSN pod or GCS, then draft again.",
            ));
            String::new()
        }
    };
    if let Some(i) = inspection {
        f.organization = organization(&i.dataset);
        f.transformation = transformation(i, store);
    } else if !store.arrays.is_empty() {
        f.transformation = chunks_from_store(store, None);
    }
    if let Some(u) = &store.public_url {
        f.examples = u.clone();
    }
    f.target_format = "Zarr".to_string();
    f.comments = comments(store);
    if !store.complete {
        notes.push(note(
            None,
            "store_incomplete",
            "The store has no consolidated metadata: its upload did not finish. Finish (resume) the upload before submitting; the draft says so meanwhile.",
        ));
    }

    // Nothing private leaves the machine, whatever the attributes held.
    for fld in FIELDS {
        let v = redact(f.get(fld.id).unwrap_or(""));
        f.set(fld.id, v);
    }
    let repo = opts.repo.clone().filter(|r| !r.trim().is_empty()).unwrap_or_else(|| form::DEFAULT_REPO.to_string());
    IssueDraft { repo: repo.trim().to_string(), fields: f, notes }
}

/// One line, runs of whitespace collapsed.
pub fn single_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A link to the dataset's official page, from `references`, `url`, `doi`… when one is a URL.
fn dataset_url(attrs: &BTreeMap<String, String>) -> Option<String> {
    for key in ["doi", "DOI"] {
        if let Some(v) = attrs.get(key) {
            let v = v.trim();
            if let Some(d) = v.strip_prefix("doi:").or(Some(v)).filter(|d| d.starts_with("10.")) {
                return Some(format!("https://doi.org/{d}"));
            }
        }
    }
    for key in ["url", "source_url", "further_info_url", "infoUrl", "references", "creator_url", "institution_url"] {
        if let Some(u) = attrs.get(key).and_then(|v| first_url(v)) {
            return Some(u);
        }
    }
    None
}

fn first_url(text: &str) -> Option<String> {
    text.split_whitespace()
        .find(|w| w.starts_with("https://") || w.starts_with("http://"))
        .map(|w| w.trim_end_matches(['.', ',', ';', ')', ']', '>']).to_string())
}

/// Bytes for people: `702.1 kB`, `3.0 MB`, `120.35 GB`.
pub fn human_bytes(b: u64) -> String {
    let f = b as f64;
    if f >= 1e12 {
        format!("{:.2} TB", f / 1e12)
    } else if f >= 1e9 {
        format!("{:.2} GB", f / 1e9)
    } else if f >= 1e6 {
        format!("{:.1} MB", f / 1e6)
    } else if f >= 1e3 {
        format!("{:.1} kB", f / 1e3)
    } else {
        format!("{b} B")
    }
}

fn size_text(ds: Option<&Dataset>, uncompressed: Option<u64>, store: &StoreInfo) -> String {
    let mut parts = Vec::new();
    if let Some(ds) = ds {
        let n = ds.files.len();
        let disk: u64 = ds.files.iter().map(|f| f.size).sum();
        let each = if n > 1 {
            let (lo, hi) = (ds.files.iter().map(|f| f.size).min().unwrap_or(0), ds.files.iter().map(|f| f.size).max().unwrap_or(0));
            if human_bytes(lo) == human_bytes(hi) {
                format!(" ({} each)", human_bytes(lo))
            } else {
                format!(" ({} to {} each)", human_bytes(lo), human_bytes(hi))
            }
        } else {
            String::new()
        };
        parts.push(format!("{n} NetCDF file{} totalling {} on disk{each}", if n == 1 { "" } else { "s" }, human_bytes(disk)));
    }
    if let Some(u) = uncompressed {
        parts.push(format!("{} uncompressed", human_bytes(u)));
    }
    match (store.complete, store.zarr_bytes) {
        (true, Some(z)) => parts.push(format!("{} as Zarr", human_bytes(z))),
        (true, None) => {}
        (false, _) => parts.push("Zarr size not known yet (the upload is not complete)".to_string()),
    }
    parts.join("; ")
}

/// The license field: the `license` attribute (as an SPDX id when it names a Creative Commons
/// license at length), else the form's default `Unknown`, flagged.
fn license_from(attrs: &BTreeMap<String, String>) -> (String, Option<DraftNote>) {
    let text = ["license", "licence", "License", "license_id"].iter().filter_map(|k| attrs.get(*k)).map(|v| single_line(v)).find(|v| !v.is_empty());
    match text {
        None => (
            "Unknown".to_string(),
            Some(note(
                Some("license"),
                "license_unknown",
                "No license attribute in the data: the license is \"Unknown\". Give its SPDX name (e.g. CC-BY-4.0) or a link to it.",
            )),
        ),
        Some(t) => match spdx_of(&t) {
            Some(id) if t.len() > 40 => (id.clone(), Some(note(Some("license"), "license_shortened", format!("The license attribute reads as {id}: check it against the data's terms.")))),
            _ => (t, None),
        },
    }
}

/// The SPDX id of a Creative Commons license named by URL or by name in `text`.
pub fn spdx_of(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    if lower.contains("publicdomain/zero/1.0") || lower.contains("cc0") {
        return Some("CC0-1.0".to_string());
    }
    if let Some(i) = lower.find("creativecommons.org/licenses/") {
        let rest = &lower[i + "creativecommons.org/licenses/".len()..];
        let mut it = rest.split('/');
        let (kind, ver) = (it.next()?, it.next()?);
        let ok = ["by", "by-sa", "by-nc", "by-nd", "by-nc-sa", "by-nc-nd"].contains(&kind) && ["1.0", "2.0", "2.5", "3.0", "4.0"].contains(&ver);
        return ok.then(|| format!("CC-{}-{ver}", kind.to_ascii_uppercase()));
    }
    for (name, id) in [("attribution 4.0 international", "CC-BY-4.0"), ("cc-by-4.0", "CC-BY-4.0"), ("cc by 4.0", "CC-BY-4.0")] {
        if lower.contains(name) {
            return Some(id.to_string());
        }
    }
    None
}

/// Date part of an ISO timestamp when the time is midnight: `1860-06-01T00:00:00` → `1860-06-01`.
fn short_date(t: &str) -> &str {
    t.strip_suffix("T00:00:00").unwrap_or(t)
}

/// Year, month, day.
type Ymd = (i64, u32, u32);

fn ymd(t: &str) -> Option<Ymd> {
    let t = t.trim_start_matches('+');
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t),
    };
    let mut it = t.split(['-', 'T', ' ']);
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    Some((if neg { -y } else { y }, m, d))
}

/// "One file per year: 65 NetCDF files from 1950 to 2014, each with 12 monthly time steps." …
pub fn organization(ds: &Dataset) -> String {
    let n = ds.files.len();
    let mut s = Vec::new();
    let steps: Vec<u64> = ds.files.iter().map(|f| f.steps).collect();
    let (lo, hi) = (steps.iter().copied().min().unwrap_or(0), steps.iter().copied().max().unwrap_or(0));
    let step_word = ds.time.as_ref().map(|t| t.step.as_str()).filter(|w| !w.is_empty() && *w != "irregular");
    let steps_text = |k: u64| {
        let unit = if k == 1 { "time step" } else { "time steps" };
        match step_word {
            Some(w) if k > 1 => format!("{k} {unit} ({w})"),
            _ => format!("{k} {unit}"),
        }
    };
    let each = if lo == hi { format!("each with {}", steps_text(lo)) } else { format!("with {lo} to {hi} time steps each") };
    let dates: Option<Vec<(Ymd, Ymd)>> = ds.files.iter().map(|f| Some((ymd(f.first.as_deref()?)?, ymd(f.last.as_deref()?)?))).collect();
    let has_time = ds.time.is_some() && dates.is_some();
    if n == 1 {
        let f = &ds.files[0];
        let range = match (&f.first, &f.last) {
            (Some(a), Some(b)) if has_time => format!(" from {} to {}", short_date(a), short_date(b)),
            _ => String::new(),
        };
        s.push(format!("A single NetCDF file ({}) with {}{range}.", file_name(&f.path), steps_text(f.steps)));
    } else {
        let period = dates.as_ref().filter(|_| has_time).and_then(|d| {
            let consecutive = |key: &dyn Fn(&Ymd) -> i64| d.iter().all(|(a, b)| key(a) == key(b)) && d.windows(2).all(|w| key(&w[1].0) == key(&w[0].0) + 1);
            if consecutive(&|x| x.0) {
                Some(("year", format!("{}", d[0].0 .0), format!("{}", d[n - 1].0 .0)))
            } else if consecutive(&|x| x.0 * 12 + x.1 as i64) {
                Some(("month", format!("{}-{:02}", d[0].0 .0, d[0].0 .1), format!("{}-{:02}", d[n - 1].0 .0, d[n - 1].0 .1)))
            } else {
                None
            }
        });
        match period {
            Some((unit, a, b)) => s.push(format!("One file per {unit}: {n} NetCDF files from {a} to {b}, {each}.")),
            None => {
                let range = match ds.time.as_ref().and_then(|t| Some((t.first.as_deref()?, t.last.as_deref()?))) {
                    Some((a, b)) => format!(", from {} to {}", short_date(a), short_date(b)),
                    None => String::new(),
                };
                let total = ds.time.as_ref().map(|t| t.steps).unwrap_or_else(|| steps.iter().sum());
                match &ds.concat_dim {
                    Some(_) => s.push(format!("{n} NetCDF files, {each}: {total} time steps in all{range}.")),
                    None => s.push(format!("{n} NetCDF files.")),
                }
            }
        }
        s.push(format!("The files are named {} to {}.", file_name(&ds.files[0].path), file_name(&ds.files[n - 1].path)));
    }
    if let Some(t) = &ds.time {
        let cal = t.calendar.as_str();
        if !["standard", "gregorian", "proleptic_gregorian", ""].contains(&cal) {
            s.push(format!("The time axis uses the {cal} calendar."));
        }
    }
    let data: Vec<String> = data_vars(ds)
        .into_iter()
        .map(|v| {
            let desc = [v.attr_text("long_name"), v.attr_text("standard_name")].into_iter().flatten().map(single_line).find(|d| !d.is_empty() && *d != v.name);
            let units = v.attr_text("units").map(single_line).filter(|u| !u.is_empty());
            let dims = if v.dims.is_empty() { String::new() } else { format!(" ({})", v.dims.join(", ")) };
            match (desc, units) {
                (Some(d), Some(u)) => format!("`{}`{dims}: {d}, in {u}", v.name),
                (Some(d), None) => format!("`{}`{dims}: {d}", v.name),
                (None, Some(u)) => format!("`{}`{dims}, in {u}", v.name),
                (None, None) => format!("`{}`{dims}", v.name),
            }
        })
        .collect();
    if !data.is_empty() {
        let shown = data.len().min(20);
        let more = if data.len() > shown { format!("\n- … and {} more", data.len() - shown) } else { String::new() };
        s.push(format!("Data variables:\n\n- {}{more}", data[..shown].join("\n- ")));
    }
    let grid: Vec<String> = ds.dims.iter().map(|d| format!("{}={}", d.name, d.len)).collect();
    if !grid.is_empty() {
        s.push(format!("Dimensions after merging: {}.", grid.join(", ")));
    }
    s.join("\n\n").replace(".\n\nThe files", ". The files").replace(".\n\nThe time axis", ". The time axis")
}

/// Variables that describe others rather than hold data: cell bounds, grid mappings.
fn auxiliary(ds: &Dataset) -> Vec<String> {
    let mut aux: Vec<String> = Vec::new();
    for v in &ds.variables {
        for key in ["bounds", "climatology", "grid_mapping"] {
            if let Some(t) = v.attr_text(key) {
                // grid_mapping may read "crs: x y"; keep the variable names.
                aux.extend(t.split_whitespace().map(|w| w.trim_end_matches(':').to_string()));
            }
        }
        if v.attr_text("grid_mapping_name").is_some() {
            aux.push(v.name.clone());
        }
    }
    aux
}

/// The data variables worth describing, in file order.
fn data_vars(ds: &Dataset) -> Vec<&crate::merge::MergedVar> {
    let aux = auxiliary(ds);
    ds.variables.iter().filter(|v| v.role == Role::Data && !aux.contains(&v.name)).collect()
}

/// How the files became one store, and its chunks.
fn transformation(i: &Inspection, store: &StoreInfo) -> String {
    let ds = &i.dataset;
    let mut s = Vec::new();
    match (&ds.concat_dim, ds.files.len()) {
        (Some(d), n) if n > 1 => {
            let order = if ds.order.note.is_empty() { String::new() } else { format!(" ({})", ds.order.note) };
            s.push(format!(
                "Ferry concatenated the {n} files along `{d}`{order} into one Zarr store, combining them as `xr.open_mfdataset(files, combine=\"by_coords\", data_vars=\"minimal\", coords=\"minimal\", compat=\"override\")` does."
            ));
        }
        _ => s.push("Ferry wrote the file as one Zarr store.".to_string()),
    }
    let names: Vec<String> = data_vars(ds).iter().map(|v| v.name.clone()).collect();
    if !store.arrays.is_empty() {
        s.push(chunks_from_store(store, Some(&names)));
    } else {
        // The store's own chunks are not known (remote or incomplete): the plan Ferry wrote with.
        let groups = group_chunks(
            i.plan.variables.iter().filter(|p| names.contains(&p.name)).map(|p| (p.name.clone(), p.dims.clone(), p.chunks.clone(), None, Some(p.chunk_bytes))),
        );
        if !groups.is_empty() {
            s.push(format!("Chunks (about {} MB uncompressed per chunk targeted; coordinates in one chunk each):\n\n{groups}", fmt_mb(i.plan.target_mb)));
        }
    }
    s.join("\n\n")
}

fn fmt_mb(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// The store's format, compression and data-variable chunks, from its consolidated metadata.
/// `data` names the data variables when the scan is known; else arrays of two or more
/// dimensions (and 1-D arrays that are not coordinates or bounds) count as data.
fn chunks_from_store(store: &StoreInfo, data: Option<&[String]>) -> String {
    let arrays: Vec<&super::store::StoreArray> = store
        .arrays
        .iter()
        .filter(|a| match data {
            Some(names) => names.contains(&a.name),
            None => a.dims.len() > 1 || (a.dims.len() == 1 && a.dims[0] != a.name && !a.name.ends_with("_bnds") && !a.name.ends_with("_bounds")),
        })
        .collect();
    let rows = group_chunks(arrays.iter().map(|a| (a.name.clone(), a.dims.clone(), a.chunks.clone(), a.inner_chunks.clone(), None)));
    let fmt = store.zarr_format.map(|f| format!("Zarr v{f}")).unwrap_or_else(|| "Zarr".to_string());
    let mut codecs: Vec<Option<&str>> = arrays.iter().map(|a| a.compressor.as_deref()).collect();
    codecs.dedup();
    let compression = match codecs.as_slice() {
        [Some(c)] => format!(", compressed with {c}"),
        [None] => ", uncompressed".to_string(),
        _ => String::new(),
    };
    if rows.is_empty() {
        format!("Written as {fmt}{compression}, with consolidated metadata.")
    } else {
        format!("Written as {fmt}{compression}, with consolidated metadata. Chunks:\n\n{rows}")
    }
}

type ChunkRow = (String, Vec<String>, Vec<u64>, Option<Vec<u64>>, Option<u64>);

/// Variables with the same chunking on one line: ``- `UWND`, `VWND`: TIME=36, FNOCY=73, FNOCX=144 (1.5 MB)``.
#[allow(clippy::type_complexity)]
fn group_chunks(rows: impl Iterator<Item = ChunkRow>) -> String {
    // Like ChunkRow, with the names of every variable chunked that way.
    let mut groups: Vec<(Vec<String>, Vec<String>, Vec<u64>, Option<Vec<u64>>, Option<u64>)> = Vec::new();
    for (name, dims, chunks, inner, bytes) in rows {
        match groups.iter_mut().find(|g| g.1 == dims && g.2 == chunks && g.3 == inner) {
            Some(g) => g.0.push(name),
            None => groups.push((vec![name], dims, chunks, inner, bytes)),
        }
    }
    groups
        .iter()
        .map(|(names, dims, chunks, inner, bytes)| {
            let shape = |c: &[u64]| {
                if dims.len() == c.len() {
                    dims.iter().zip(c).map(|(d, n)| format!("{d}={n}")).collect::<Vec<_>>().join(", ")
                } else {
                    c.iter().map(u64::to_string).collect::<Vec<_>>().join(" × ")
                }
            };
            let names = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            let inner = inner.as_ref().map(|i| format!(" in shards, chunks of {}", shape(i))).unwrap_or_default();
            let size = bytes.map(|b| format!(" ({} per chunk)", human_bytes(b))).unwrap_or_default();
            format!("- {names}: {}{inner}{size}", shape(chunks))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where the store is and how to open it; an incomplete store says so first.
fn comments(store: &StoreInfo) -> String {
    let mut s = Vec::new();
    if !store.complete {
        s.push("**The store is not complete yet:** it has no consolidated metadata, so its upload has not finished.".to_string());
    }
    let open = store.open_url();
    let where_ = match &store.kind {
        StoreKind::S3 { endpoint, .. } => {
            let on = if store.is_osn() {
                "on the OSN pod".to_string()
            } else {
                match endpoint {
                    Some(e) => format!("on the S3 endpoint {e}"),
                    None => "on Amazon S3".to_string(),
                }
            };
            format!("The Zarr store is at {open} (`{}` {on}).", store.url)
        }
        StoreKind::Gcs { .. } => format!("The Zarr store is at `{}` ({}).", store.url, store.public_url.as_deref().unwrap_or("")),
        StoreKind::Local => format!("The Zarr store is still on the submitter's computer (`{}`) and will be uploaded.", store.url),
    };
    s.push(where_);
    if store.kind != StoreKind::Local {
        s.push(format!("Open it with:\n\n```python\nimport xarray as xr\n\nds = xr.open_dataset(\"{open}\", engine=\"zarr\", chunks={{}})\n```"));
    }
    s.push("Drafted with Ferry.".to_string());
    s.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licenses() {
        assert_eq!(spdx_of("Creative Commons Attribution 4.0 International License (https://creativecommons.org/licenses/by/4.0/)").as_deref(), Some("CC-BY-4.0"));
        assert_eq!(spdx_of("see https://creativecommons.org/licenses/by-nc-sa/3.0/").as_deref(), Some("CC-BY-NC-SA-3.0"));
        assert_eq!(spdx_of("CC0").as_deref(), Some("CC0-1.0"));
        assert_eq!(spdx_of("MIT"), None);
        let mut a = BTreeMap::new();
        assert_eq!(license_from(&a).0, "Unknown");
        a.insert("license".into(), "CC-BY-4.0".into());
        assert_eq!(license_from(&a), ("CC-BY-4.0".into(), None));
    }

    #[test]
    fn fields_by_id() {
        let mut f = IssueFields::default();
        for (i, fld) in FIELDS.iter().enumerate() {
            assert!(f.set(fld.id, i.to_string()), "{}", fld.id);
        }
        assert!(!f.set("nope", "x"));
        for (i, (id, v)) in f.iter().enumerate() {
            assert_eq!(v, i.to_string(), "{id}");
        }
        let json = serde_json::to_value(&f).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        for fld in FIELDS {
            assert!(keys.contains(&fld.id), "{}", fld.id);
        }
    }

    #[test]
    fn dataset_urls() {
        let mut a = BTreeMap::new();
        a.insert("references".to_string(), "See Smith (2020), https://example.org/paper.".to_string());
        assert_eq!(dataset_url(&a).as_deref(), Some("https://example.org/paper"));
        a.insert("doi".to_string(), "doi:10.5065/D6".to_string());
        assert_eq!(dataset_url(&a).as_deref(), Some("https://doi.org/10.5065/D6"));
    }
}
