//! Nothing private leaves the machine in a draft: no home-directory path, no credential in a
//! URL, no token. Every rendered draft (Markdown, URL, YAML) passes through [`redact`], so even
//! text the user typed or pasted is cleaned.

use std::path::Path;

/// What [`redact`] writes in place of a secret.
pub const REDACTED: &str = "REDACTED";

/// Query parameters whose values are credentials (compared case-insensitively).
const SECRET_PARAMS: &[&str] = &[
    "token",
    "access_token",
    "id_token",
    "refresh_token",
    "auth",
    "authorization",
    "key",
    "apikey",
    "api_key",
    "api-key",
    "password",
    "passwd",
    "pwd",
    "secret",
    "client_secret",
    "sig",
    "signature",
    "sas",
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential",
    "awsaccesskeyid",
    "googleaccessid",
    "sv", // Azure SAS
    "se",
    "sp",
];

/// Prefixes of well-known token formats: the whole word that starts with one is a secret.
const TOKEN_PREFIXES: &[(&str, usize)] = &[
    ("ghp_", 20),
    ("gho_", 20),
    ("ghu_", 20),
    ("ghs_", 20),
    ("ghr_", 20),
    ("github_pat_", 20),
    ("glpat-", 20),
    ("xox", 20), // Slack
    ("AKIA", 16),
    ("ASIA", 16),
    ("AIza", 30), // Google API key
    ("ya29.", 20), // Google OAuth access token
    ("sk-", 32),
    ("hf_", 30),
];

/// Clean `text` for a draft, with the home directory taken from the environment.
pub fn redact(text: &str) -> String {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"));
    redact_with_home(text, home.as_deref().map(Path::new))
}

/// Clean `text`: the home directory (given, and any `/home/<user>`, `/Users/<user>`,
/// `C:\Users\<user>`) becomes `~`; URL user-info and secret query values, token-like words
/// and private-key blocks become `REDACTED`.
pub fn redact_with_home(text: &str, home: Option<&Path>) -> String {
    let mut s = strip_private_keys(text);
    if let Some(h) = home.and_then(|h| h.to_str()) {
        let h = h.trim_end_matches(['/', '\\']);
        // "/" or "C:" as a home would turn every path into "~": not a home worth hiding.
        if h.len() > 3 {
            s = replace_path_prefix(&s, h);
        }
    }
    s = replace_user_dirs(&s);
    s = words(&s, redact_word);
    s
}

/// `prefix` followed by a path separator or the end of a path becomes `~`.
fn replace_path_prefix(s: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(prefix) {
        let after = &rest[i + prefix.len()..];
        let boundary = after.chars().next().is_none_or(|c| c == '/' || c == '\\' || !is_path_char(c));
        let before = format!("{out}{}", &rest[..i]);
        let before_ok = starts_path(&before);
        out.push_str(&rest[..i]);
        if boundary && before_ok {
            // file:///home/alice/x -> file://~/x reads oddly but hides the name; keep it simple.
            out.push('~');
        } else {
            out.push_str(prefix);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Whether a path may start right after `before`: at the start, after a non-path character,
/// or right after `scheme://`.
fn starts_path(before: &str) -> bool {
    before.ends_with("://") || before.chars().next_back().is_none_or(|c| !is_path_char(c))
}

fn is_path_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '\\' | '~' | '+' | '@' | '%')
}

/// `/home/<user>`, `/Users/<user>`, `C:\Users\<user>` (and `/root`) become `~`.
fn replace_user_dirs(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let b = s.as_bytes();
    while i < s.len() {
        let rest = &s[i..];
        let prev_ok = starts_path(&s[..i]);
        let mut matched = None;
        if prev_ok {
            for root in ["/home/", "/Users/", "/users/"] {
                if let Some(after) = rest.strip_prefix(root) {
                    let user_len = after.find(|c: char| c == '/' || !is_path_char(c)).unwrap_or(after.len());
                    if user_len > 0 {
                        matched = Some(root.len() + user_len);
                    }
                }
            }
            if rest.starts_with("/root") && rest[5..].chars().next().is_none_or(|c| c == '/' || !is_path_char(c)) {
                matched = Some(5);
            }
        }
        // C:\Users\name (drive letter before us)
        if matched.is_none() && rest.len() > 9 && b[i].is_ascii_alphabetic() && rest[1..].starts_with(":\\Users\\") {
            let start = 9;
            let user_len = rest[start..].find(|c: char| c == '\\' || !is_path_char(c)).unwrap_or(rest.len() - start);
            if user_len > 0 {
                matched = Some(start + user_len);
            }
        }
        match matched {
            Some(n) => {
                out.push('~');
                i += n;
            }
            None => {
                let c = rest.chars().next().unwrap_or(' ');
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// Apply `f` to every whitespace-separated word, keeping the whitespace as it was.
fn words(s: &str, f: fn(&str) -> String) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    for c in s.chars() {
        if c.is_whitespace() {
            if !word.is_empty() {
                out.push_str(&f(&word));
                word.clear();
            }
            out.push(c);
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push_str(&f(&word));
    }
    out
}

fn redact_word(w: &str) -> String {
    let mut w = w.to_string();
    if let Some(i) = w.find("://") {
        w = format!("{}{}", &w[..i + 3], redact_url_rest(&w[i + 3..]));
    }
    redact_tokens(&w)
}

/// The part of a URL after `scheme://`: drop user-info, blank secret query values.
fn redact_url_rest(rest: &str) -> String {
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(auth_end);
    let authority = match authority.rfind('@') {
        Some(at) => &authority[at + 1..],
        None => authority,
    };
    let Some(q) = path.find('?') else { return format!("{authority}{path}") };
    let (p, query) = path.split_at(q);
    let (query, frag) = match query.find('#') {
        Some(h) => query.split_at(h),
        None => (query, ""),
    };
    let parts: Vec<String> = query[1..]
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) if !v.is_empty() && SECRET_PARAMS.iter().any(|s| s.eq_ignore_ascii_case(k)) => format!("{k}={REDACTED}"),
            _ => kv.to_string(),
        })
        .collect();
    format!("{authority}{p}?{}{frag}", parts.join("&"))
}

/// Token-shaped runs (`ghp_…`, `AKIA…`, …) inside a word become `REDACTED`.
fn redact_tokens(w: &str) -> String {
    let is_tok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let mut out = String::with_capacity(w.len());
    let mut i = 0;
    'outer: while i < w.len() {
        let rest = &w[i..];
        let prev_tok = w[..i].chars().next_back().is_some_and(is_tok);
        if !prev_tok {
            for (prefix, min) in TOKEN_PREFIXES {
                if rest.starts_with(prefix) {
                    let len = rest.find(|c: char| !is_tok(c)).unwrap_or(rest.len());
                    let body = &rest[prefix.len()..len];
                    // Real tokens mix letters and digits; ordinary words do not.
                    let mixed = body.chars().any(|c| c.is_ascii_digit()) && body.chars().any(|c| c.is_ascii_alphabetic());
                    if len - prefix.len() >= *min && mixed {
                        out.push_str(REDACTED);
                        i += len;
                        continue 'outer;
                    }
                }
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn strip_private_keys(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("-----BEGIN ") {
        let head = &rest[i..];
        let Some(eol) = head.find("-----\n").or_else(|| head[11..].find("-----").map(|j| j + 11)) else { break };
        if !head[..eol].contains("PRIVATE KEY") {
            out.push_str(&rest[..i + 11]);
            rest = &rest[i + 11..];
            continue;
        }
        out.push_str(&rest[..i]);
        out.push_str(REDACTED);
        match head.find("-----END ").and_then(|e| head[e + 9..].find("-----").map(|k| e + 9 + k + 5)) {
            Some(end) => rest = &head[end..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> String {
        redact_with_home(s, Some(Path::new("/home/alice")))
    }

    #[test]
    fn home_paths() {
        assert_eq!(r("/home/alice/data/x.zarr"), "~/data/x.zarr");
        assert_eq!(r("see /home/alice"), "see ~");
        assert_eq!(r("/home/alicex/y"), "~/y"); // another user: hidden too
        assert_eq!(r("/Users/bob/Desktop/a.nc and C:\\Users\\carol\\a.nc"), "~/Desktop/a.nc and ~\\a.nc");
        assert_eq!(r("file:///home/alice/x.zarr"), "file://~/x.zarr");
        assert_eq!(r("/root/x"), "~/x");
        assert_eq!(r("/rooted/x and /work/home/x"), "/rooted/x and /work/home/x");
        assert_eq!(redact_with_home("/data/u1/x", Some(Path::new("/data/u1"))), "~/x");
        assert_eq!(redact_with_home("/data/u10/x", Some(Path::new("/data/u1"))), "/data/u10/x");
    }

    #[test]
    fn credentials_in_urls() {
        assert_eq!(r("s3://AKEY:SECRET@bucket/a.zarr"), "s3://bucket/a.zarr");
        assert_eq!(r("https://user:pw@host.org/p?a=1&X-Amz-Signature=abc&token=t#f"), "https://host.org/p?a=1&X-Amz-Signature=REDACTED&token=REDACTED#f");
        assert_eq!(r("https://nyu1.osn.mghpcc.org/leap-pangeo-inbox/a.zarr"), "https://nyu1.osn.mghpcc.org/leap-pangeo-inbox/a.zarr");
    }

    #[test]
    fn tokens() {
        assert_eq!(r("token ghp_abcdEFGH1234567890abcdEFGH12 here"), "token REDACTED here");
        assert_eq!(r("AKIAIOSFODNN7EXAMPLE1"), "REDACTED");
        assert_eq!(r("AKIA is a prefix; ASIAN food"), "AKIA is a prefix; ASIAN food");
        assert_eq!(r("a\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\nb"), "a\nREDACTED\nb");
        assert_eq!(r("sk-proj and skies"), "sk-proj and skies");
    }
}
