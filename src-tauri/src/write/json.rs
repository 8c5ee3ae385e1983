//! JSON text as zarr-python and xarray write it: non-finite floats as the bare tokens
//! `NaN`, `Infinity`, `-Infinity` (serde_json would turn them into `null`).

use serde_json::Value;

const MARK: char = '\u{1}';

/// A float as JSON: finite numbers as numbers, others as a marked string that [`to_text`] unquotes.
pub fn float(v: f64) -> Value {
    if v.is_nan() {
        Value::String(format!("{MARK}NaN{MARK}"))
    } else if v.is_infinite() {
        Value::String(format!("{MARK}{}Infinity{MARK}", if v < 0.0 { "-" } else { "" }))
    } else {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

/// Pretty JSON with the marked non-finite floats written as bare tokens.
pub fn to_text(v: &Value) -> String {
    let s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.replace("\"\\u0001NaN\\u0001\"", "NaN")
        .replace("\"\\u0001-Infinity\\u0001\"", "-Infinity")
        .replace("\"\\u0001Infinity\\u0001\"", "Infinity")
}

#[cfg(test)]
mod tests {
    #[test]
    fn non_finite_tokens() {
        let v = serde_json::json!({"a": super::float(f64::NAN), "b": [super::float(f64::NEG_INFINITY), super::float(1.5)]});
        let t = super::to_text(&v);
        assert!(t.contains("\"a\": NaN"), "{t}");
        assert!(t.contains("-Infinity"), "{t}");
        assert!(t.contains("1.5"), "{t}");
    }
}
