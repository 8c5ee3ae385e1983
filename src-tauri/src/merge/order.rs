//! Put the files in time order and check the time axis: duplicates, overlaps, gaps.

use super::model::{OrderMethod, Ordering, Problem, Severity, TimeSummary};
use crate::scan::cftime::{Calendar, CfDate, TimeUnits};
use crate::scan::FileHeader;

/// How one file's values along the concat dimension decode.
struct Axis {
    /// Sort keys: milliseconds in the calendar for time, the raw value otherwise.
    keys: Vec<f64>,
    dates: Option<Vec<Option<CfDate>>>,
    units: Option<String>,
    calendar: Option<Calendar>,
    undecodable: Option<String>,
}

fn axis(h: &FileHeader, var: &str) -> Option<Axis> {
    let values = h.values(var)?;
    let v = h.var(var)?;
    let units = v.attr_text("units").map(str::to_string);
    let time_like = units.as_deref().is_some_and(|u| u.to_ascii_lowercase().contains(" since "));
    if !time_like {
        return Some(Axis { keys: values.to_vec(), dates: None, units, calendar: None, undecodable: None });
    }
    let parsed = Calendar::parse(v.attr_text("calendar"))
        .and_then(|c| TimeUnits::parse(units.as_deref().unwrap_or_default(), c).map(|u| (c, u)));
    match parsed {
        Ok((cal, tu)) => {
            let dates: Vec<_> = values.iter().map(|&x| tu.decode(x)).collect();
            // Sort keys from the date itself, so files in different calendars still sort by date.
            let keys = dates.iter().map(|d| d.map_or(f64::NAN, |d| date_key(&d))).collect();
            Some(Axis { keys, dates: Some(dates), units, calendar: Some(cal), undecodable: None })
        }
        Err(why) => Some(Axis { keys: values.to_vec(), dates: None, units, calendar: None, undecodable: Some(why) }),
    }
}

/// A number that sorts like the date (year, month, day, time), whatever the calendar.
fn date_key(d: &CfDate) -> f64 {
    (((d.year * 12 + i64::from(d.month) - 1) * 31 + i64::from(d.day) - 1) as f64) * DAY_MS + f64::from(d.ms)
}

/// Can this variable order the files? Every file needs a first value, and they must not all
/// be equal (NEMO's `time_counter` is 0.0 everywhere). Ties between some files are allowed:
/// they are duplicates, reported by the step checks.
fn orders(axes: &[Option<Axis>]) -> bool {
    let mut firsts = Vec::with_capacity(axes.len());
    for a in axes {
        match a.as_ref().and_then(|a| a.keys.first()) {
            Some(k) if k.is_finite() => firsts.push(*k),
            _ => return false,
        }
    }
    firsts.sort_by(f64::total_cmp);
    firsts.first() != firsts.last()
}

pub struct Ordered {
    /// Indices into the headers, in merged order.
    pub order: Vec<usize>,
    pub ordering: Ordering,
    pub time: Option<TimeSummary>,
    pub problems: Vec<Problem>,
    /// Decoded (or raw) first and last value per header index.
    pub first_last: Vec<(Option<String>, Option<String>)>,
}

/// Candidates to order by: the concat coordinate, then time-like variables along the dimension.
fn candidates(first: &FileHeader, dim: &str) -> Vec<(String, OrderMethod)> {
    let mut out = Vec::new();
    if first.var(dim).is_some() {
        out.push((dim.to_string(), OrderMethod::ConcatCoordinate));
    }
    for v in &first.vars {
        let time_like = v.attr_text("units").is_some_and(|u| u.to_ascii_lowercase().contains(" since "));
        if v.name != dim && v.dims == [dim] && time_like {
            out.push((v.name.clone(), OrderMethod::AuxiliaryCoordinate));
        }
    }
    out
}

fn name_of(h: &FileHeader) -> String {
    h.path.display().to_string()
}

fn fmt_value(a: &Axis, i: usize) -> Option<String> {
    match &a.dates {
        Some(d) => d.get(i).map(|x| x.map_or_else(|| "NaN".into(), |x| x.to_string())),
        None => a.keys.get(i).map(|x| format!("{x}")),
    }
}

pub fn order(headers: &[&FileHeader], dim: Option<&str>) -> Ordered {
    let n = headers.len();
    let mut problems = Vec::new();
    let by_name = || (0..n).collect::<Vec<_>>();
    let Some(dim) = dim else {
        let note = if n == 1 { "a single file" } else { "nothing to concatenate" };
        return Ordered {
            order: by_name(),
            ordering: Ordering { method: OrderMethod::Single, variable: None, note: note.into() },
            time: None,
            problems,
            first_last: vec![(None, None); n],
        };
    };

    let cands = candidates(headers[0], dim);
    let mut chosen: Option<(String, OrderMethod, Vec<Option<Axis>>)> = None;
    let mut rejected = Vec::new();
    for (var, method) in cands {
        let axes: Vec<_> = headers.iter().map(|h| axis(h, &var)).collect();
        if n == 1 || orders(&axes) {
            chosen = Some((var, method, axes));
            break;
        }
        rejected.push(var);
    }

    let Some((var, method, axes)) = chosen else {
        let why = if rejected.is_empty() {
            format!("no coordinate along {dim} can order them")
        } else {
            format!("{} cannot order them (equal or missing first values)", rejected.join(", "))
        };
        problems.push(Problem {
            severity: Severity::Warning,
            code: "ordered_by_name".into(),
            file: None,
            variable: rejected.first().cloned(),
            message: format!("files ordered by file name: {why}"),
            hint: "Check that the file names sort in time order; xarray's combine by coordinates fails on these files.".into(),
        });
        return Ordered {
            order: by_name(),
            ordering: Ordering { method: OrderMethod::FileName, variable: None, note: format!("ordered by file name: {why}") },
            time: None,
            problems,
            first_last: vec![(None, None); n],
        };
    };

    let mut order = by_name();
    // Stable sort: equal keys (only possible for n == 1) keep name order.
    order.sort_by(|&a, &b| {
        let ka = axes[a].as_ref().and_then(|x| x.keys.first()).copied().unwrap_or(f64::NAN);
        let kb = axes[b].as_ref().and_then(|x| x.keys.first()).copied().unwrap_or(f64::NAN);
        ka.total_cmp(&kb)
    });
    let first_last = axes
        .iter()
        .map(|a| match a {
            Some(a) if !a.keys.is_empty() => (fmt_value(a, 0), fmt_value(a, a.keys.len() - 1)),
            _ => (None, None),
        })
        .collect();

    let note = match method {
        OrderMethod::ConcatCoordinate => format!("ordered by {var}"),
        _ => format!("{} cannot order the files: ordered by {var}", rejected.join(", ")),
    };
    if method == OrderMethod::AuxiliaryCoordinate {
        problems.push(Problem {
            severity: Severity::Info,
            code: "ordered_by_auxiliary".into(),
            file: None,
            variable: Some(var.clone()),
            message: note.clone(),
            hint: "Nothing to do; xarray's combine by coordinates fails on such files, Ferry does not.".into(),
        });
    }

    check_units(headers, &axes, &order, &var, &mut problems);
    let time = check_steps(headers, &axes, &order, &var, &mut problems);
    Ordered { order, ordering: Ordering { method, variable: Some(var), note }, time, problems, first_last }
}

/// Per-file units and calendar against the first file's.
fn check_units(headers: &[&FileHeader], axes: &[Option<Axis>], order: &[usize], var: &str, problems: &mut Vec<Problem>) {
    let first = order[0];
    let Some(a0) = axes[first].as_ref() else { return };
    for &i in &order[1..] {
        let Some(a) = axes[i].as_ref() else { continue };
        if a.calendar.is_some() && a0.calendar.is_some() && a.calendar != a0.calendar {
            problems.push(Problem {
                severity: Severity::Error,
                code: "mixed_calendars".into(),
                file: Some(name_of(headers[i])),
                variable: Some(var.into()),
                message: format!(
                    "{}: {var} uses the {} calendar, the first file ({}) the {} calendar",
                    name_of(headers[i]),
                    a.calendar.map_or("", Calendar::name),
                    name_of(headers[first]),
                    a0.calendar.map_or("", Calendar::name)
                ),
                hint: "Dates cannot be converted exactly between calendars: upload these files as separate stores.".into(),
            });
        } else if a.units != a0.units {
            problems.push(Problem {
                severity: Severity::Warning,
                code: "time_units_differ".into(),
                file: Some(name_of(headers[i])),
                variable: Some(var.into()),
                message: format!(
                    "{}: {var} has units \"{}\", the first file \"{}\"",
                    name_of(headers[i]),
                    a.units.as_deref().unwrap_or(""),
                    a0.units.as_deref().unwrap_or("")
                ),
                hint: "Nothing to do: Ferry re-encodes these values exactly to the first file's units.".into(),
            });
        }
    }
}

const DAY_MS: f64 = 86_400_000.0;

fn describe_step(ms: f64) -> String {
    let units = [(DAY_MS, "day"), (3_600_000.0, "hour"), (60_000.0, "minute"), (1000.0, "second")];
    for (size, name) in units {
        if ms >= size && (ms / size).fract() == 0.0 {
            let k = ms / size;
            return if k == 1.0 { format!("1 {name}") } else { format!("{k} {name}s") };
        }
    }
    format!("{ms} ms")
}

#[derive(Clone, Copy, PartialEq)]
enum Regular {
    Fixed(f64),
    Monthly,
    Yearly,
}

/// The sequence of steps across files: duplicates, overlaps, non-monotonic steps, gaps.
fn check_steps(headers: &[&FileHeader], axes: &[Option<Axis>], order: &[usize], var: &str, problems: &mut Vec<Problem>) -> Option<TimeSummary> {
    let a0 = axes[order[0]].as_ref()?;
    // (file index, key, date)
    let mut seq: Vec<(usize, f64, Option<CfDate>)> = Vec::new();
    for &i in order {
        let Some(a) = axes[i].as_ref() else { continue };
        for (k, key) in a.keys.iter().enumerate() {
            let date = a.dates.as_ref().and_then(|d| d[k]);
            // Calendar-true milliseconds where the calendar is the first file's, so steps measure real spans.
            let key = match (date, a0.calendar) {
                (Some(d), Some(c)) if a.calendar == Some(c) => c.absolute_ms(&d) as f64,
                _ => *key,
            };
            seq.push((i, key, date));
        }
    }
    let mut nan_files: Vec<usize> = seq.iter().filter(|s| !s.1.is_finite()).map(|s| s.0).collect();
    nan_files.dedup();
    for i in nan_files {
        problems.push(Problem {
            severity: Severity::Warning,
            code: "nan_in_coordinate".into(),
            file: Some(name_of(headers[i])),
            variable: Some(var.into()),
            message: format!("{}: {var} holds NaN (or undecodable) values", name_of(headers[i])),
            hint: "A coordinate should have a value at every step: fix the file, or expect NaT/NaN in the time axis.".into(),
        });
    }

    let diffs: Vec<f64> = seq.windows(2).map(|w| w[1].1 - w[0].1).filter(|d| d.is_finite() && *d > 0.0).collect();
    let regular = if diffs.is_empty() {
        None
    } else {
        let mut sorted = diffs.clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        Some(if a0.dates.is_some() && (28.0 * DAY_MS..=31.0 * DAY_MS).contains(&median) {
            Regular::Monthly
        } else if a0.dates.is_some() && (360.0 * DAY_MS..=366.0 * DAY_MS).contains(&median) {
            Regular::Yearly
        } else {
            Regular::Fixed(median)
        })
    };

    // Count each kind of irregularity per file, with the first example.
    let mut found: Vec<(usize, &'static str, usize, String)> = Vec::new();
    let mut note = |file: usize, code: &'static str, example: String| {
        if let Some(e) = found.iter_mut().find(|e| e.0 == file && e.1 == code) {
            e.2 += 1;
        } else {
            found.push((file, code, 1, example));
        }
    };
    let show = |s: &(usize, f64, Option<CfDate>)| s.2.map_or_else(|| format!("{}", s.1), |d| d.to_string());
    // First key of each file, to tell a repeated file (duplicate) from a partial overlap.
    let mut file_first: Vec<(usize, f64)> = Vec::new();
    for s in &seq {
        if file_first.last().is_none_or(|f| f.0 != s.0) {
            file_first.push((s.0, s.1));
        }
    }
    let first_of = |i: usize| file_first.iter().find(|f| f.0 == i).map(|f| f.1);
    for w in seq.windows(2) {
        let (prev, cur) = (&w[0], &w[1]);
        if !prev.1.is_finite() || !cur.1.is_finite() {
            continue;
        }
        let across = prev.0 != cur.0;
        if cur.1 == prev.1 || (across && cur.1 < prev.1 && first_of(cur.0) == first_of(prev.0)) {
            note(cur.0, "duplicate_steps", format!("{} appears twice", show(cur)));
        } else if cur.1 < prev.1 {
            let code = if across { "overlapping_steps" } else { "non_monotonic" };
            note(cur.0, code, format!("{} comes after {}", show(cur), show(prev)));
        } else if let Some(r) = regular {
            let ok = match (r, prev.2, cur.2) {
                (Regular::Monthly, Some(a), Some(b)) => b.month_index() - a.month_index() == 1,
                (Regular::Yearly, Some(a), Some(b)) => b.year - a.year == 1,
                (Regular::Fixed(step), _, _) => cur.1 - prev.1 == step,
                _ => true,
            };
            if !ok {
                note(cur.0, "gap", format!("{} to {}", show(prev), show(cur)));
            }
        }
    }
    let step_name = match regular {
        None => "single step".to_string(),
        Some(Regular::Monthly) => "monthly".into(),
        Some(Regular::Yearly) => "yearly".into(),
        Some(Regular::Fixed(ms)) if a0.dates.is_some() => describe_step(ms),
        Some(Regular::Fixed(v)) => format!("{v}"),
    };
    for (file, code, count, example) in found {
        let f = name_of(headers[file]);
        let times = if count > 1 { format!(" ({count} times)") } else { String::new() };
        let (severity, message, hint) = match code {
            "duplicate_steps" => (Severity::Error, format!("{f}: duplicate {var} steps: {example}{times}"), "Remove the file that repeats these steps (often a re-downloaded or overlapping file)."),
            "overlapping_steps" => (Severity::Error, format!("{f}: overlaps the previous file: {example}{times}"), "Remove or trim the overlapping file: every step must appear once."),
            "non_monotonic" => (Severity::Error, format!("{f}: {var} goes backwards: {example}{times}"), "Sort the time axis inside this file (e.g. `ncks` or xarray sortby) before uploading."),
            _ => (Severity::Warning, format!("{f}: gap in {var} against the dataset's {step_name} step: {example}{times}"), "Check whether a file is missing; irregular steps are allowed but worth knowing."),
        };
        problems.push(Problem { severity, code: code.into(), file: Some(f), variable: Some(var.into()), message, hint: hint.into() });
    }

    let time_like = a0.dates.is_some() || a0.undecodable.is_some();
    if let Some(why) = &a0.undecodable {
        problems.push(Problem {
            severity: Severity::Warning,
            code: "undecodable_time".into(),
            file: Some(name_of(headers[order[0]])),
            variable: Some(var.into()),
            message: format!("{var}: units \"{}\" cannot be decoded ({why}); values are shown raw", a0.units.as_deref().unwrap_or("")),
            hint: "The store keeps the raw values and units; readers will see numbers, not dates. Fix the units attribute to get dates.".into(),
        });
    }
    if !time_like {
        return None;
    }
    let first = seq.first().map(show);
    let last = seq.last().map(show);
    Some(TimeSummary {
        variable: var.into(),
        units: a0.units.clone().unwrap_or_default(),
        calendar: a0.calendar.map_or_else(|| headers[order[0]].var(var).and_then(|v| v.attr_text("calendar")).unwrap_or("standard").to_string(), |c| c.name().to_string()),
        first,
        last,
        steps: seq.len() as u64,
        step: step_name,
        undecodable: a0.undecodable.clone(),
    })
}
