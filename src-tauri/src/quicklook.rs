//! A quick look at the real data, the way people sanity-check in Panoply or ncview: one 2-D slice
//! (the last two dimensions) of a data variable at one step of the concat dimension, decoded
//! (scale/offset applied, fill values masked) and thinned to at most `MAX_SIDE` per side.
//! It reads one slice of one file, nothing more.

use crate::error::{display_path, Code, Error, Result};
use crate::merge::{Dataset, MergedVar};
use crate::scan::AttrValue;
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

/// The picture's longest side, in values: enough to see a field, small for the window.
pub const MAX_SIDE: u64 = 360;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Slice {
    pub variable: String,
    /// Step along the concat dimension (0 when the variable has none).
    #[ts(type = "number")]
    pub step: u64,
    #[ts(type = "number")]
    pub steps: u64,
    /// The two dimensions shown: rows (y), then columns (x).
    pub dims: [String; 2],
    #[ts(type = "number")]
    pub width: u64,
    #[ts(type = "number")]
    pub height: u64,
    /// Every `stride`-th value along each axis.
    #[ts(type = "number")]
    pub stride: u64,
    /// Row-major decoded values; `null` where missing (fill value, NaN).
    pub values: Vec<Option<f32>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub units: Option<String>,
    /// The file the slice came from (its name only).
    pub file: String,
}

fn floats(v: &MergedVar, name: &str) -> Vec<f64> {
    match v.attrs.iter().find(|a| a.name == name).map(|a| &a.value) {
        Some(AttrValue::Float(f)) => f.clone(),
        Some(AttrValue::Int(i)) => i.iter().map(|&x| x as f64).collect(),
        Some(AttrValue::UInt(u)) => u.iter().map(|&x| x as f64).collect(),
        _ => Vec::new(),
    }
}

/// The data variables that can be drawn: numeric, two dimensions or more.
pub fn drawable(ds: &Dataset) -> Vec<String> {
    ds.variables
        .iter()
        .filter(|v| v.role == crate::merge::Role::Data && v.dims.len() >= 2 && v.dtype.is_numeric())
        .map(|v| v.name.clone())
        .collect()
}

pub fn slice(ds: &Dataset, variable: &str, step: u64) -> Result<Slice> {
    let v = ds.var(variable).ok_or_else(|| Error::bad_argument(format!("no variable {variable} in the dataset"), "Choose one of the data variables listed."))?;
    if v.dims.len() < 2 || !v.dtype.is_numeric() {
        return Err(Error::new(Code::Unsupported, format!("{variable}: not a numeric field of two dimensions or more"), "Choose another variable to look at."));
    }
    let n = v.dims.len();
    let concat_axis = ds.concat_dim.as_ref().and_then(|c| v.dims.iter().position(|d| d == c)).filter(|&i| i < n - 2);
    let steps = concat_axis.map_or(1, |i| v.shape[i]);
    let step = step.min(steps.saturating_sub(1));
    // Which file holds this step, and where in it.
    let (file, local) = match concat_axis {
        Some(_) => {
            let f = ds.files.iter().find(|f| step >= f.offset && step < f.offset + f.steps).or(ds.files.first());
            let f = f.ok_or_else(|| Error::bad_argument("the dataset has no files", "Pick the files again."))?;
            (f, step - f.offset.min(step))
        }
        None => (ds.files.first().ok_or_else(|| Error::bad_argument("the dataset has no files", "Pick the files again."))?, 0),
    };
    let (h, w) = (v.shape[n - 2], v.shape[n - 1]);
    let stride = h.max(w).div_ceil(MAX_SIDE).max(1);
    let mut start = vec![0usize; n];
    let mut count = vec![1usize; n];
    if let Some(i) = concat_axis {
        start[i] = local as usize;
    }
    count[n - 2] = h as usize;
    count[n - 1] = w as usize;
    let path = Path::new(&file.path);
    let raw: Vec<f64> = {
        crate::scan::quiet::silence_hdf5_on_this_thread();
        let f = netcdf::open(path).map_err(|e| Error::new(Code::UnreadableFile, format!("{}: cannot be opened: {e}", display_path(path)), "Check that the file is still there and readable."))?;
        let group = (ds.group != "/").then(|| ds.group.trim_matches('/').to_string());
        let read = |var: &netcdf::Variable<'_>| var.get_values::<f64, _>((start.as_slice(), count.as_slice()));
        let got = match &group {
            None => f.variable(variable).map(|var| read(&var)),
            Some(g) => f.group(g).ok().flatten().and_then(|g| g.variable(variable).map(|var| read(&var))),
        };
        got.ok_or_else(|| Error::new(Code::CannotMerge, format!("{}: has no variable {variable}", display_path(path)), "Scan the files again."))?
            .map_err(|e| Error::new(Code::Netcdf, format!("{}: {variable} cannot be read: {e}", display_path(path)), "The file may be damaged: check it with ncdump."))?
    };
    let fills: Vec<f64> = floats(v, "_FillValue").into_iter().chain(floats(v, "missing_value")).collect();
    let scale = floats(v, "scale_factor").first().copied().unwrap_or(1.0);
    let offset = floats(v, "add_offset").first().copied().unwrap_or(0.0);
    let (width, height) = (w.div_ceil(stride), h.div_ceil(stride));
    let mut values = Vec::with_capacity((width * height) as usize);
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    for y in (0..h).step_by(stride as usize) {
        for x in (0..w).step_by(stride as usize) {
            let r = raw[(y * w + x) as usize];
            if r.is_nan() || fills.contains(&r) {
                values.push(None);
                continue;
            }
            let d = r * scale + offset;
            min = min.min(d);
            max = max.max(d);
            values.push(Some(d as f32));
        }
    }
    Ok(Slice {
        variable: variable.to_string(),
        step,
        steps,
        dims: [v.dims[n - 2].clone(), v.dims[n - 1].clone()],
        width,
        height,
        stride,
        values,
        min: min.is_finite().then_some(min),
        max: max.is_finite().then_some(max),
        units: v.attr_text("units").map(str::to_string),
        file: path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::{inspect, InspectOptions};
    use std::path::PathBuf;

    #[test]
    fn a_slice_of_the_sample() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/derived/A1B_by_year");
        let ins = inspect(&InspectOptions::new(vec![dir]), &mut |_, _| {}).unwrap();
        assert_eq!(drawable(&ins.dataset), ["air_temperature"]);
        let s = slice(&ins.dataset, "air_temperature", 13).unwrap();
        assert_eq!((s.width, s.height, s.steps, s.step), (49, 37, 72, 13));
        assert_eq!(s.values.len(), 49 * 37);
        // Air temperature in kelvin over North America.
        let (lo, hi) = (s.min.unwrap(), s.max.unwrap());
        assert!(lo > 180.0 && hi < 330.0 && lo < hi, "{lo}..{hi}");
        assert_eq!(s.file, "A1B_north_america_year01.nc");
        // Out-of-range steps clamp to the last; unknown variables are refused.
        assert_eq!(slice(&ins.dataset, "air_temperature", 999).unwrap().step, 71);
        assert!(slice(&ins.dataset, "nope", 0).is_err());
    }
}
