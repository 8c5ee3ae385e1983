//! CF time: `<unit> since <date>` in every CF calendar.
//!
//! Hand-written because the one Rust crate for this (cftime-rs) is AGPL and
//! pulls in pyo3; the arithmetic is small and every calendar is tested here.

use std::fmt;

/// The CF calendars. Aliases (`gregorian`, `365_day`, `366_day`) map onto these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Calendar {
    /// Julian before 1582-10-15, Gregorian from then on.
    Standard,
    ProlepticGregorian,
    Julian,
    NoLeap,
    AllLeap,
    Day360,
}

impl Calendar {
    /// Parse a `calendar` attribute; a missing attribute means `standard` (CF default).
    pub fn parse(attr: Option<&str>) -> Result<Calendar, String> {
        let Some(s) = attr else { return Ok(Calendar::Standard) };
        match s.trim().to_ascii_lowercase().as_str() {
            "standard" | "gregorian" | "" => Ok(Calendar::Standard),
            "proleptic_gregorian" => Ok(Calendar::ProlepticGregorian),
            "julian" => Ok(Calendar::Julian),
            "noleap" | "365_day" => Ok(Calendar::NoLeap),
            "all_leap" | "366_day" => Ok(Calendar::AllLeap),
            "360_day" => Ok(Calendar::Day360),
            other => Err(format!("unknown calendar \"{other}\"")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Calendar::Standard => "standard",
            Calendar::ProlepticGregorian => "proleptic_gregorian",
            Calendar::Julian => "julian",
            Calendar::NoLeap => "noleap",
            Calendar::AllLeap => "all_leap",
            Calendar::Day360 => "360_day",
        }
    }

    fn has_year_zero(self) -> bool {
        // cftime's defaults: the real-world calendars have no year 0.
        !matches!(self, Calendar::Standard | Calendar::Julian)
    }

    /// Day number of a date in this calendar's own continuous count.
    fn day_number(self, y: i64, m: u32, d: u32) -> i64 {
        match self {
            Calendar::ProlepticGregorian => gregorian_jdn(y, m, d),
            Calendar::Julian => julian_jdn(y, m, d),
            Calendar::Standard => {
                if (y, m, d) >= (1582, 10, 15) {
                    gregorian_jdn(y, m, d)
                } else {
                    julian_jdn(y, m, d)
                }
            }
            Calendar::NoLeap => y * 365 + NOLEAP_CUM[(m - 1) as usize] + i64::from(d) - 1,
            Calendar::AllLeap => y * 366 + LEAP_CUM[(m - 1) as usize] + i64::from(d) - 1,
            Calendar::Day360 => y * 360 + i64::from(m - 1) * 30 + i64::from(d) - 1,
        }
    }

    /// Inverse of [`Calendar::day_number`].
    fn date_of(self, n: i64) -> (i64, u32, u32) {
        match self {
            Calendar::ProlepticGregorian => gregorian_from_jdn(n),
            Calendar::Julian => julian_from_jdn(n),
            Calendar::Standard => {
                if n >= GREGORIAN_START_JDN {
                    gregorian_from_jdn(n)
                } else {
                    julian_from_jdn(n)
                }
            }
            Calendar::NoLeap => from_cumulative(n, 365, &NOLEAP_CUM),
            Calendar::AllLeap => from_cumulative(n, 366, &LEAP_CUM),
            Calendar::Day360 => {
                let y = n.div_euclid(360);
                let r = n.rem_euclid(360);
                (y, (r / 30) as u32 + 1, (r % 30) as u32 + 1)
            }
        }
    }

    /// Milliseconds since this calendar's day 0: a total order for dates of one calendar.
    pub fn absolute_ms(self, d: &CfDate) -> i64 {
        self.day_number(d.year, d.month, d.day) * 86_400_000 + i64::from(d.ms)
    }

    fn month_len(self, y: i64, m: u32) -> u32 {
        const LEN: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        let leap = match self {
            Calendar::Day360 => return 30,
            Calendar::NoLeap => false,
            Calendar::AllLeap => true,
            Calendar::Julian => y.rem_euclid(4) == 0,
            Calendar::ProlepticGregorian => is_gregorian_leap(y),
            Calendar::Standard => {
                if y > 1582 { is_gregorian_leap(y) } else { y.rem_euclid(4) == 0 }
            }
        };
        if m == 2 && leap { 29 } else { LEN[(m - 1) as usize] }
    }
}

const GREGORIAN_START_JDN: i64 = 2_299_161; // 1582-10-15
const NOLEAP_CUM: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const LEAP_CUM: [i64; 12] = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];

fn is_gregorian_leap(y: i64) -> bool {
    y.rem_euclid(4) == 0 && (y.rem_euclid(100) != 0 || y.rem_euclid(400) == 0)
}

fn gregorian_jdn(y: i64, m: u32, d: u32) -> i64 {
    let a = (14 - i64::from(m)) / 12;
    let yy = y + 4800 - a;
    let mm = i64::from(m) + 12 * a - 3;
    i64::from(d) + (153 * mm + 2) / 5 + 365 * yy + yy.div_euclid(4) - yy.div_euclid(100)
        + yy.div_euclid(400)
        - 32045
}

fn julian_jdn(y: i64, m: u32, d: u32) -> i64 {
    let a = (14 - i64::from(m)) / 12;
    let yy = y + 4800 - a;
    let mm = i64::from(m) + 12 * a - 3;
    i64::from(d) + (153 * mm + 2) / 5 + 365 * yy + yy.div_euclid(4) - 32083
}

fn gregorian_from_jdn(j: i64) -> (i64, u32, u32) {
    let a = j + 32044;
    let b = (4 * a + 3).div_euclid(146_097);
    let c = a - (146_097 * b).div_euclid(4);
    finish_from_jdn(b * 100, c)
}

fn julian_from_jdn(j: i64) -> (i64, u32, u32) {
    finish_from_jdn(0, j + 32082)
}

fn finish_from_jdn(century_years: i64, c: i64) -> (i64, u32, u32) {
    let d = (4 * c + 3).div_euclid(1461);
    let e = c - (1461 * d).div_euclid(4);
    let m = (5 * e + 2).div_euclid(153);
    let day = e - (153 * m + 2).div_euclid(5) + 1;
    let month = m + 3 - 12 * (m / 10);
    let year = century_years + d - 4800 + m / 10;
    (year, month as u32, day as u32)
}

fn from_cumulative(n: i64, year_len: i64, cum: &[i64; 12]) -> (i64, u32, u32) {
    let y = n.div_euclid(year_len);
    let r = n.rem_euclid(year_len);
    let m = cum.iter().rposition(|&c| c <= r).unwrap_or(0);
    (y, m as u32 + 1, (r - cum[m]) as u32 + 1)
}

/// A calendar date and time of day, to the millisecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CfDate {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    /// Milliseconds since midnight.
    pub ms: u32,
}

impl CfDate {
    /// Months since year 0: consecutive monthly steps differ by exactly 1.
    pub fn month_index(&self) -> i64 {
        self.year * 12 + i64::from(self.month) - 1
    }
}

impl fmt::Display for CfDate {
    /// ISO 8601 as xarray/cftime print it: `1850-01-16T12:00:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.ms / 1000;
        let (h, mi, se) = (s / 3600, (s / 60) % 60, s % 60);
        if self.year < 0 {
            write!(f, "-{:04}", -self.year)?;
        } else {
            write!(f, "{:04}", self.year)?;
        }
        write!(f, "-{:02}-{:02}T{h:02}:{mi:02}:{se:02}", self.month, self.day)?;
        if !self.ms.is_multiple_of(1000) {
            write!(f, ".{:03}", self.ms % 1000)?;
        }
        Ok(())
    }
}

/// Parsed `<unit> since <epoch>` for one calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeUnits {
    /// The unit as written ("days", "Hour"...), for messages.
    pub unit: String,
    /// Seconds per unit.
    pub seconds: f64,
    pub calendar: Calendar,
    /// The epoch as a day number in `calendar` plus milliseconds into that day.
    epoch_day: i64,
    epoch_ms: i64,
}

impl TimeUnits {
    /// Parse CF time units. Errors are short phrases for a warning ("year 0 does not exist ...").
    pub fn parse(units: &str, calendar: Calendar) -> Result<TimeUnits, String> {
        let lower = units.trim().to_ascii_lowercase();
        let Some((unit, epoch)) = lower.split_once(" since ") else {
            return Err(format!("\"{units}\" is not of the form \"<unit> since <date>\""));
        };
        let unit = unit.trim();
        let seconds = match unit {
            "days" | "day" | "d" => 86_400.0,
            "hours" | "hour" | "hrs" | "hr" | "h" => 3_600.0,
            "minutes" | "minute" | "mins" | "min" => 60.0,
            "seconds" | "second" | "secs" | "sec" | "s" => 1.0,
            "milliseconds" | "millisecond" | "msecs" | "msec" | "ms" => 1e-3,
            "microseconds" | "microsecond" | "usecs" | "usec" | "us" => 1e-6,
            // Only well defined where every month and year has the same length.
            "months" | "month" if calendar == Calendar::Day360 => 30.0 * 86_400.0,
            "years" | "year" if calendar == Calendar::Day360 => 360.0 * 86_400.0,
            other => return Err(format!("unit \"{other}\" cannot be decoded in the {} calendar", calendar.name())),
        };
        let (y, m, d, ms, tz_minutes) = parse_epoch(epoch.trim())?;
        if y == 0 && !calendar.has_year_zero() {
            return Err(format!("year 0 does not exist in the {} calendar", calendar.name()));
        }
        if m == 0 || m > 12 || d == 0 || d > calendar.month_len(y, m) {
            return Err(format!("\"{}\" is not a date in the {} calendar", epoch.trim(), calendar.name()));
        }
        let epoch_ms = i64::from(ms) - i64::from(tz_minutes) * 60_000;
        Ok(TimeUnits {
            unit: unit.to_string(),
            seconds,
            calendar,
            epoch_day: calendar.day_number(y, m, d),
            epoch_ms,
        })
    }

    /// Decode one raw value. `None` for NaN/inf or dates out of range.
    pub fn decode(&self, value: f64) -> Option<CfDate> {
        if !value.is_finite() {
            return None;
        }
        let offset_ms = (value * self.seconds * 1000.0).round();
        if offset_ms.abs() > 1e17 {
            return None;
        }
        let total = self.epoch_ms + offset_ms as i64;
        let day = self.epoch_day + total.div_euclid(86_400_000);
        let ms = total.rem_euclid(86_400_000) as u32;
        let (year, month, day) = self.calendar.date_of(day);
        Some(CfDate { year, month, day, ms })
    }

    /// Encode a date in these units (the inverse of `decode`), for re-encoding files
    /// whose units differ from the first file's.
    pub fn encode(&self, date: &CfDate) -> f64 {
        let day = self.calendar.day_number(date.year, date.month, date.day);
        let ms = (day - self.epoch_day) as f64 * 86_400_000.0 + f64::from(date.ms) - self.epoch_ms as f64;
        ms / 1000.0 / self.seconds
    }

    /// Milliseconds between two decoded dates in this calendar.
    pub fn span_ms(&self, a: &CfDate, b: &CfDate) -> i64 {
        let da = self.calendar.day_number(a.year, a.month, a.day);
        let db = self.calendar.day_number(b.year, b.month, b.day);
        (db - da) * 86_400_000 + i64::from(b.ms) - i64::from(a.ms)
    }
}

/// `1850-01-01`, `2018-09-14T00:00:00Z`, `1-1-1 00:00:0.0`, `1970-01-01 00:00:00 UTC`, `2000-01-01 00:00 +05:30`.
/// Returns (year, month, day, ms of day, timezone offset in minutes).
fn parse_epoch(s: &str) -> Result<(i64, u32, u32, u32, i32), String> {
    let bad = || format!("\"{s}\" is not a date");
    let s = s.trim_end_matches(|c: char| c.is_whitespace());
    let s = s.strip_suffix("utc").or_else(|| s.strip_suffix("gmt")).unwrap_or(s).trim_end();
    let s = s.strip_suffix('z').unwrap_or(s);
    let (neg_year, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (date, rest) = match body.find(['t', ' ']) {
        Some(i) => (&body[..i], body[i + 1..].trim()),
        None => (body, ""),
    };
    let mut parts = date.split('-');
    let year: i64 = parts.next().ok_or_else(bad)?.parse().map_err(|_| bad())?;
    let month: u32 = parts.next().map_or(Ok(1), str::parse).map_err(|_| bad())?;
    let day: u32 = parts.next().map_or(Ok(1), str::parse).map_err(|_| bad())?;
    if parts.next().is_some() {
        return Err(bad());
    }
    let year = if neg_year { -year } else { year };

    // Time of day, then an optional offset like +05:30, -0800 or +5.
    let (clock, tz) = match rest.find(['+', '-']) {
        Some(i) => (rest[..i].trim(), rest[i..].trim()),
        None => (rest, ""),
    };
    let mut ms: u32 = 0;
    if !clock.is_empty() {
        let mut f = clock.split(':');
        let h: u32 = f.next().unwrap_or("0").trim().parse().map_err(|_| bad())?;
        let mi: u32 = f.next().map_or(Ok(0), |x| x.trim().parse()).map_err(|_| bad())?;
        let sec: f64 = f.next().map_or(Ok(0.0), |x| x.trim().parse()).map_err(|_| bad())?;
        if h > 24 || mi > 59 || !(0.0..61.0).contains(&sec) {
            return Err(bad());
        }
        ms = h * 3_600_000 + mi * 60_000 + (sec * 1000.0).round() as u32;
    }
    let tz_minutes = if tz.is_empty() {
        0
    } else {
        let sign = if tz.starts_with('-') { -1 } else { 1 };
        let digits = &tz[1..];
        let (h, m) = match digits.split_once(':') {
            Some((h, m)) => (h.parse::<i32>().map_err(|_| bad())?, m.parse::<i32>().map_err(|_| bad())?),
            None if digits.len() == 4 => (digits[..2].parse().map_err(|_| bad())?, digits[2..].parse().map_err(|_| bad())?),
            None => (digits.parse().map_err(|_| bad())?, 0),
        };
        sign * (h * 60 + m)
    };
    Ok((year, month, day, ms, tz_minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(units: &str, cal: &str, v: f64) -> String {
        let cal = Calendar::parse(Some(cal)).unwrap();
        TimeUnits::parse(units, cal).unwrap().decode(v).unwrap().to_string()
    }

    #[test]
    fn unit_spellings() {
        assert_eq!(d("days since 1850-01-01", "standard", 0.5), "1850-01-01T12:00:00");
        assert_eq!(d("Hour since 2018-09-14T00:00:00Z", "gregorian", 25.0), "2018-09-15T01:00:00");
        assert_eq!(d("hours since 1-1-1 00:00:0.0", "julian", 24.0), "0001-01-02T00:00:00");
        assert_eq!(d("seconds since 1970-01-01 00:00:00 UTC", "standard", 86_400.0), "1970-01-02T00:00:00");
        assert_eq!(d("minutes since 2000-01-01 00:00 +01:00", "standard", 0.0), "1999-12-31T23:00:00");
    }

    #[test]
    fn calendars_differ_where_they_should() {
        // 2000-02-28 + 1 day.
        assert_eq!(d("days since 2000-02-28", "standard", 1.0), "2000-02-29T00:00:00");
        assert_eq!(d("days since 2000-02-28", "noleap", 1.0), "2000-03-01T00:00:00");
        assert_eq!(d("days since 2001-02-28", "all_leap", 1.0), "2001-02-29T00:00:00");
        assert_eq!(d("days since 2000-02-28", "360_day", 2.0), "2000-02-30T00:00:00");
        assert_eq!(d("days since 1900-02-28", "julian", 1.0), "1900-02-29T00:00:00");
        assert_eq!(d("days since 1900-02-28", "proleptic_gregorian", 1.0), "1900-03-01T00:00:00");
        // The Gregorian reform: 1582-10-04 is followed by 1582-10-15 in the standard calendar.
        assert_eq!(d("days since 1582-10-04", "standard", 1.0), "1582-10-15T00:00:00");
        assert_eq!(d("days since 1582-10-04", "proleptic_gregorian", 1.0), "1582-10-05T00:00:00");
        // 360_day months of 30 days.
        assert_eq!(d("days since 1970-01-01", "360_day", 360.0 + 15.0), "1971-01-16T00:00:00");
        assert_eq!(d("months since 1970-01-01", "360_day", 13.0), "1971-02-01T00:00:00");
    }

    #[test]
    fn negative_values_and_round_trip() {
        assert_eq!(d("days since 2000-01-01", "standard", -1.0), "1999-12-31T00:00:00");
        for cal in ["standard", "proleptic_gregorian", "julian", "noleap", "all_leap", "360_day"] {
            let c = Calendar::parse(Some(cal)).unwrap();
            let u = TimeUnits::parse("hours since 1850-01-01", c).unwrap();
            for v in [-1e6, -3.0, 0.0, 17.5, 1e6, 2.5e6] {
                let date = u.decode(v).unwrap();
                assert!((u.encode(&date) - v).abs() < 1e-6, "{cal} {v} -> {date}");
            }
        }
    }

    #[test]
    fn undecodable_units_are_errors_not_panics() {
        assert!(TimeUnits::parse("days since 0000-01-01", Calendar::Standard).is_err());
        assert!(TimeUnits::parse("days since 0000-01-01", Calendar::NoLeap).is_ok());
        assert!(TimeUnits::parse("months since 2000-01-01", Calendar::Standard).is_err());
        assert!(TimeUnits::parse("days after 2000", Calendar::Standard).is_err());
        assert!(TimeUnits::parse("days since yesterday", Calendar::Standard).is_err());
        assert!(TimeUnits::parse("days since 2001-02-29", Calendar::Standard).is_err());
        assert!(Calendar::parse(Some("lunar")).is_err());
        let u = TimeUnits::parse("days since 2000-01-01", Calendar::Standard).unwrap();
        assert!(u.decode(f64::NAN).is_none());
        assert!(u.decode(1e300).is_none());
    }
}
