//! Which dimension the files are concatenated along.

use crate::error::{Error, Result};
use crate::scan::FileHeader;

/// The record dimension: `--concat-dim`, else the unlimited one, else the one whose
/// coordinate varies between files. `None` for a single file without a record dimension.
pub fn choose(headers: &[&FileHeader], forced: Option<&str>) -> Result<Option<String>> {
    let first = headers[0];
    if let Some(name) = forced {
        if first.dim(name).is_none() {
            let dims: Vec<_> = first.dims.iter().map(|d| d.name.as_str()).collect();
            return Err(Error::bad_argument(
                // Worded for both shells: the CLI's --concat-dim and the wizard's "Join along dimension".
                format!("the join dimension {name} (--concat-dim): {} has no dimension {name}", first.path.display()),
                format!("Its dimensions are {}. Name one of them, or leave it empty to let Ferry find it.", dims.join(", ")),
            ));
        }
        return Ok(Some(name.to_string()));
    }
    let unlimited: Vec<_> = first.dims.iter().filter(|d| d.unlimited).collect();
    if let [only] = unlimited.as_slice() {
        return Ok(Some(only.name.clone()));
    }
    if unlimited.len() > 1 {
        // NetCDF-4 allows several: prefer the one with a coordinate, used by the most variables.
        let best = unlimited
            .iter()
            .max_by_key(|d| {
                let used = first.vars.iter().filter(|v| v.dims.contains(&d.name)).count();
                (first.var(&d.name).is_some(), used)
            })
            .map(|d| d.name.clone());
        return Ok(best);
    }
    if headers.len() < 2 {
        return Ok(None);
    }
    // No record dimension: the dimension whose coordinate's first value differs between files.
    for d in &first.dims {
        let Some(v0) = first.values(&d.name).and_then(|v| v.first()) else { continue };
        if headers[1..].iter().any(|h| h.values(&d.name).and_then(|v| v.first()).is_some_and(|x| x != v0)) {
            return Ok(Some(d.name.clone()));
        }
    }
    // Or whose length differs between files.
    for d in &first.dims {
        if headers[1..].iter().any(|h| h.dim(&d.name).is_some_and(|x| x.len != d.len)) {
            return Ok(Some(d.name.clone()));
        }
    }
    Ok(None)
}
