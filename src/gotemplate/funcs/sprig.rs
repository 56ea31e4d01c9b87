//! sprig 3.2.3's `TxtFuncMap`, less `env` and `expandenv`, with Go's
//! parameter types and sprig's results (and its panics' texts as errors).
//! Functions whose result depends on the clock, randomness or the network
//! are refused by name: msvc's output must be the same on every run.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

use super::super::fmt::{float_g, quote, sprint_value, sprintf};
use super::super::parse::parse_int;
use super::super::value::{Elem, Value};
use super::{Ctx, FResult, FuncError, FuncMap, Ty, add};

const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";

/// Functions sprig has that msvc refuses, and why.
pub const REFUSED: &[(&str, &str)] = &[
    ("now", "the clock"),
    ("date", "the clock"),
    ("dateInZone", "the clock"),
    ("date_in_zone", "the clock"),
    ("dateModify", "the clock"),
    ("date_modify", "the clock"),
    ("mustDateModify", "the clock"),
    ("must_date_modify", "the clock"),
    ("ago", "the clock"),
    ("htmlDate", "the clock"),
    ("htmlDateInZone", "the clock"),
    ("toDate", "the clock"),
    ("mustToDate", "the clock"),
    ("unixEpoch", "the clock"),
    ("duration", "the clock"),
    ("durationRound", "the clock"),
    ("randAlphaNum", "randomness"),
    ("randAlpha", "randomness"),
    ("randAscii", "randomness"),
    ("randNumeric", "randomness"),
    ("randInt", "randomness"),
    ("randBytes", "randomness"),
    ("shuffle", "randomness"),
    ("uuidv4", "randomness"),
    ("bcrypt", "randomness"),
    ("htpasswd", "randomness"),
    ("genPrivateKey", "randomness"),
    ("genCA", "randomness"),
    ("genCAWithKey", "randomness"),
    ("genSelfSignedCert", "randomness"),
    ("genSelfSignedCertWithKey", "randomness"),
    ("genSignedCert", "randomness"),
    ("genSignedCertWithKey", "randomness"),
    ("buildCustomCert", "randomness"),
    ("encryptAES", "randomness"),
    ("getHostByName", "the network"),
];

/// Deterministic sprig functions msvc does not implement yet.
pub const UNSUPPORTED: &[&str] = &[
    "decryptAES",
    "derivePassword",
    "semver",
    "semverCompare",
    "urlParse",
    "urlJoin",
    "wrap",
    "wrapWith",
    "snakecase",
    "camelcase",
    "kebabcase",
];

fn go(s: impl Into<String>) -> FuncError {
    FuncError::Go(s.into())
}

/// sprig's strval: strings as they are, anything else as `%v`.
pub fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        v => sprint_value(v),
    }
}

fn trim_zero_decimal(s: &str) -> &str {
    let b = s.as_bytes();
    let mut found_zero = false;
    for i in (1..=b.len()).rev() {
        match b[i - 1] {
            b'.' => {
                if found_zero {
                    return &s[..i - 1];
                }
            }
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// 2^63 as a float.
const TWO_63: f64 = 9_223_372_036_854_775_808.0;

/// Go's float64 → int64 conversion on amd64: out of range is MinInt64.
fn f2i(f: f64) -> i64 {
    if f.is_nan() || !(-TWO_63..TWO_63).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// spf13/cast's ToInt64 (errors are 0).
pub fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(n, _) => *n,
        Value::Float(f) => f2i(*f),
        Value::String(s) => parse_int(trim_zero_decimal(s))
            .filter(|v| *v >= i64::MIN as i128 && *v <= i64::MAX as i128)
            .map_or(0, |v| v as i64),
        Value::Bool(b) => i64::from(*b),
        _ => 0,
    }
}

/// Go's strconv.ParseFloat, near enough: decimal, `inf`, `nan`.
fn parse_float(s: &str) -> Option<f64> {
    let t = s.to_ascii_lowercase();
    let t = t.trim_start_matches(['+', '-']);
    if t == "inf" || t == "infinity" || t == "nan" {
        return s.parse().ok().or(Some(if s.starts_with('-') {
            f64::NEG_INFINITY
        } else if t == "nan" {
            f64::NAN
        } else {
            f64::INFINITY
        }));
    }
    if s.contains('_')
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        return None;
    }
    s.parse().ok()
}

/// spf13/cast's ToFloat64 (errors are 0).
pub fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(n, _) => *n as f64,
        Value::Float(f) => *f,
        Value::String(s) => parse_float(s).unwrap_or(0.0),
        Value::Bool(b) => f64::from(u8::from(*b)),
        _ => 0.0,
    }
}

/// sprig's empty.
pub fn empty(v: &Value) -> bool {
    match v {
        Value::Missing | Value::Nil => true,
        Value::String(s) => s.is_empty(),
        Value::List(l, _) => l.is_empty(),
        Value::Map(m, _) => m.borrow().is_empty(),
        Value::Bool(b) => !b,
        Value::Int(n, _) => *n == 0,
        Value::Float(f) => *f == 0.0,
        Value::Record(_) => false,
    }
}

/// `reflect.TypeOf(v).Kind()` as sprig's list functions use it: a panic
/// for nil, a list, or the kind's name for their error.
fn list_of(v: &Value) -> Result<Result<Rc<Vec<Value>>, &'static str>, FuncError> {
    match v {
        Value::Missing | Value::Nil => Err(go(NIL_DEREF)),
        Value::List(l, _) => Ok(Ok(l.clone())),
        v => Ok(Err(v.kind_name())),
    }
}

/// A list function: `f` on the items, or sprig's "Cannot NAME on type K".
fn with_list(v: &Value, what: &str, f: impl FnOnce(&[Value]) -> FResult) -> FResult {
    match list_of(v)? {
        Ok(l) => f(&l),
        Err(kind) => Err(go(format!("Cannot {what} on type {kind}"))),
    }
}

/// sprig's strslice.
fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(l, Elem::Str) => l.iter().map(strval).collect(),
        Value::List(l, _) => l
            .iter()
            .filter(|x| !matches!(x, Value::Nil | Value::Missing))
            .map(strval)
            .collect(),
        Value::Nil | Value::Missing => Vec::new(),
        v => vec![strval(v)],
    }
}

/// Bytes as text, each byte that is not UTF-8 a U+FFFD (as Go's
/// encoders replace them).
fn bytes_lossy(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    let mut rest = b;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (ok, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(ok).unwrap_or_default());
                out.push('\u{FFFD}');
                rest = &bad[1..];
            }
        }
    }
}

fn out_of_range(detail: String) -> FuncError {
    go(format!("runtime error: slice bounds out of range {detail}"))
}

/// s[a:b] as Go slices bytes, with its panics.
fn byte_slice(s: &str, a: Option<i64>, b: Option<i64>) -> Result<String, FuncError> {
    let len = s.len() as i64;
    let lo = a.unwrap_or(0);
    let hi = b.unwrap_or(len);
    if let Some(b) = b
        && (b < 0 || b > len)
    {
        return Err(out_of_range(if b < 0 {
            format!("[:{b}]")
        } else {
            format!("[:{b}] with length {len}")
        }));
    }
    if lo < 0 || lo > hi {
        return Err(out_of_range(format!("[{lo}:{hi}]")));
    }
    Ok(bytes_lossy(&s.as_bytes()[lo as usize..hi as usize]))
}

fn go_upper(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut u = c.to_uppercase();
            match (u.next(), u.next()) {
                (Some(x), None) => x,
                _ => c,
            }
        })
        .collect()
}

fn go_lower(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut u = c.to_lowercase();
            match (u.next(), u.next()) {
                (Some(x), None) => x,
                _ => c,
            }
        })
        .collect()
}

fn is_go_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\x0b' | '\x0c' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    ) || (c as u32 > 0xff && c.is_whitespace())
}

fn title(s: &str) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let sep = if (prev as u32) <= 0x7f {
                !(prev.is_ascii_alphanumeric() || prev == '_')
            } else if prev.is_alphabetic() || prev.is_numeric() {
                false
            } else {
                is_go_space(prev)
            };
            prev = c;
            if sep {
                go_upper(&c.to_string()).chars().next().unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

fn repeat(ctx: &Ctx, s: &str, n: i64) -> FResult {
    if n < 0 {
        return Err(go("strings: negative Repeat count"));
    }
    ctx.check_size(
        (s.len() as u64)
            .saturating_mul(n as u64)
            .min(usize::MAX as u64) as usize,
    )?;
    Ok(Value::str(s.repeat(n as usize)))
}

fn indent(ctx: &Ctx, n: i64, s: &str) -> Result<String, FuncError> {
    if n < 0 {
        return Err(go("strings: negative Repeat count"));
    }
    let lines = s.matches('\n').count() as u64 + 1;
    ctx.check_size(
        (n as u64)
            .saturating_mul(lines)
            .saturating_add(s.len() as u64)
            .min(usize::MAX as u64) as usize,
    )?;
    let pad = " ".repeat(n as usize);
    Ok(format!("{pad}{}", s.replace('\n', &format!("\n{pad}"))))
}

/// json.Marshal of a float64.
fn json_float(f: f64) -> Result<String, String> {
    if !f.is_finite() {
        return Err(format!("json: unsupported value: {}", float_g(f)));
    }
    let a = f.abs();
    if a != 0.0 && !(1e-6..1e21).contains(&a) {
        let s = format!("{f:e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let e: i32 = e.parse().unwrap_or(0);
        let sign = if e < 0 { "-" } else { "+" };
        let mut out = format!("{m}e{sign}{:02}", e.abs());
        // Go writes e-07 as e-7.
        if let Some(i) = out.find("e-0") {
            out.replace_range(i..i + 3, "e-");
        } else if let Some(i) = out.find("e+0") {
            out.replace_range(i..i + 3, "e+");
        }
        return Ok(out);
    }
    let s = format!("{f}");
    Ok(s)
}

fn json_string(out: &mut String, s: &str, escape_html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if escape_html => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// encoding/json's Marshal (or MarshalIndent with "  " when `indent`).
pub fn to_json(v: &Value, escape_html: bool, indent: bool) -> Result<String, String> {
    let mut out = String::new();
    write_json(&mut out, v, escape_html, indent.then_some(0), 0)?;
    Ok(out)
}

fn newline(out: &mut String, level: Option<usize>) {
    if let Some(l) = level {
        out.push('\n');
        for _ in 0..l {
            out.push_str("  ");
        }
    }
}

fn write_json(
    out: &mut String,
    v: &Value,
    html: bool,
    level: Option<usize>,
    depth: usize,
) -> Result<(), String> {
    if depth > 1000 {
        return Err("json: unsupported value: encountered a cycle".into());
    }
    let inner = level.map(|l| l + 1);
    match v {
        Value::Missing | Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n, _) => {
            let _ = write!(out, "{n}");
        }
        Value::Float(f) => out.push_str(&json_float(*f)?),
        Value::String(s) => json_string(out, s, html),
        Value::List(l, _) => {
            if l.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                write_json(out, x, html, inner, depth + 1)?;
            }
            newline(out, level);
            out.push(']');
        }
        Value::Map(m, _) => {
            let m = m.borrow();
            if m.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                json_string(out, k, html);
                out.push(':');
                if level.is_some() {
                    out.push(' ');
                }
                write_json(out, x, html, inner, depth + 1)?;
            }
            newline(out, level);
            out.push('}');
        }
        Value::Record(r) => {
            out.push('{');
            for (i, (k, x)) in r.fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                json_string(out, k, html);
                out.push(':');
                if level.is_some() {
                    out.push(' ');
                }
                write_json(out, x, html, inner, depth + 1)?;
            }
            if !r.fields.is_empty() {
                newline(out, level);
            }
            out.push('}');
        }
    }
    Ok(())
}

/// encoding/json's Unmarshal into `interface{}`.
pub fn from_json(s: &str) -> Result<Value, String> {
    match serde_json::from_str::<serde_json::Value>(s) {
        Ok(v) => Ok(Value::from_json(&v)),
        Err(e) => Err(json_error(s, &e)),
    }
}

/// Go's text for the common JSON syntax errors.
fn json_error(s: &str, e: &serde_json::Error) -> String {
    if s.trim().is_empty() || e.is_eof() {
        return eof_error(s);
    }
    let msg = e.to_string();
    if msg.starts_with("trailing characters") {
        let rest = s.trim_start();
        let c = rest
            .chars()
            .nth(e.column().saturating_sub(1))
            .unwrap_or(' ');
        return format!("invalid character {} after top-level value", quote_char(c));
    }
    // The offending character.
    let line = s.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
    let c = line
        .chars()
        .nth(e.column().saturating_sub(1))
        .unwrap_or(' ');
    format!(
        "invalid character {} looking for beginning of value",
        quote_char(c)
    )
}

/// What Go's scanner says at the end of truncated JSON: it feeds a space,
/// which ends a string or structure "unexpectedly" but is an invalid
/// character inside a literal or number.
fn eof_error(s: &str) -> String {
    let t = s.trim_end_matches([' ', '\t', '\n', '\r']);
    let mut in_string = false;
    let mut escaped = false;
    for c in t.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        }
    }
    if !in_string && t.len() == s.len() {
        let word: String = t
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || "+-.".contains(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        for lit in ["true", "false", "null"] {
            if !word.is_empty() && lit.starts_with(&word) && word.len() < lit.len() {
                let next = &lit[word.len()..=word.len()];
                return format!("invalid character ' ' in literal {lit} (expecting '{next}')");
            }
        }
        if word.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) {
            if word.ends_with('-') && word.len() == 1 {
                return "invalid character ' ' in numeric literal".into();
            }
            if word.ends_with('.') {
                return "invalid character ' ' after decimal point in numeric literal".into();
            }
            if word.ends_with(['e', 'E', '+', '-']) {
                return "invalid character ' ' in exponent of numeric literal".into();
            }
        }
    }
    "unexpected end of JSON input".into()
}

fn quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '"' => "'\"'".into(),
        c => format!("'{c}'"),
    }
}

/// A copy sharing nothing mutable with `v` (below 200 levels; deeper
/// values are shared).
fn deep_copy(v: &Value) -> Value {
    copy_at(v, 0)
}

fn copy_at(v: &Value, depth: usize) -> Value {
    if depth > 200 {
        return v.clone();
    }
    match v {
        Value::List(l, e) => Value::List(
            Rc::new(l.iter().map(|x| copy_at(x, depth + 1)).collect()),
            *e,
        ),
        Value::Map(m, e) => Value::Map(
            Rc::new(RefCell::new(
                m.borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), copy_at(v, depth + 1)))
                    .collect(),
            )),
            *e,
        ),
        v => v.clone(),
    }
}

/// Whether `v` holds the map `target` (so that storing it there would make
/// a cycle).
fn contains_map(v: &Value, target: &Rc<RefCell<BTreeMap<String, Value>>>, depth: usize) -> bool {
    if depth > 200 {
        return true;
    }
    match v {
        Value::Map(m, _) => {
            Rc::ptr_eq(m, target)
                || m.borrow()
                    .values()
                    .any(|x| contains_map(x, target, depth + 1))
        }
        Value::List(l, _) => l.iter().any(|x| contains_map(x, target, depth + 1)),
        _ => false,
    }
}

fn map_arg(v: &Value) -> Option<&Rc<RefCell<BTreeMap<String, Value>>>> {
    match v {
        Value::Map(m, _) => Some(m),
        _ => None,
    }
}

/// mergo's Merge of `src` into `dst`: missing or empty keys are filled,
/// maps merged deeply; with `overwrite`, non-empty source values win.
fn merge_into(
    dst: &Rc<RefCell<BTreeMap<String, Value>>>,
    src: &BTreeMap<String, Value>,
    overwrite: bool,
    depth: usize,
) -> Result<(), FuncError> {
    if depth > 100 {
        return Err(go("msvc: maps nest too deep to merge"));
    }
    for (k, sv) in src {
        if contains_map(sv, dst, 0) {
            return Err(go("msvc: merging a map into itself"));
        }
        let dv = dst.borrow().get(k).cloned();
        match (&dv, sv) {
            (Some(Value::Map(dm, Elem::Any)), Value::Map(sm, Elem::Any)) => {
                let sm = sm.borrow().clone();
                merge_into(dm, &sm, overwrite, depth + 1)?;
            }
            (None, _) => {
                dst.borrow_mut().insert(k.clone(), sv.clone());
            }
            (Some(d), _) => {
                if (empty(d) && !matches!(d, Value::Map(..)))
                    || (overwrite && !matches!(sv, Value::Nil))
                {
                    dst.borrow_mut().insert(k.clone(), sv.clone());
                }
            }
        }
    }
    Ok(())
}

fn go_quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn regex(re: &str) -> Result<regex::Regex, FuncError> {
    regex::RegexBuilder::new(re)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            // Go's wording for the common mistakes; the regex crate's otherwise.
            let text = e.to_string();
            let msg = if text.contains("unclosed group") {
                format!("missing closing ): `{re}`")
            } else if text.contains("unopened group") {
                format!("unexpected ): `{re}`")
            } else {
                text.lines()
                    .last()
                    .unwrap_or("invalid regexp")
                    .trim()
                    .trim_start_matches("error: ")
                    .to_string()
            };
            go(format!("error parsing regexp: {msg}"))
        })
}

fn path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

fn path_base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

fn path_dir(p: &str) -> String {
    let dir = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    path_clean(dir)
}

fn path_ext(p: &str) -> String {
    for (i, c) in p.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return p[i..].to_string();
        }
    }
    String::new()
}

fn sha1_hex(data: &[u8]) -> String {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 80];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                chunk[4 * i],
                chunk[4 * i + 1],
                chunk[4 * i + 2],
                chunk[4 * i + 3],
            ]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | ((!b) & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn b32enc(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for i in 0..8 {
            if i < chars {
                out.push(B32[((n >> (35 - 5 * i)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// encoding/base32's StdEncoding.DecodeString, error offsets included.
fn b32dec(s: &str) -> Result<Vec<u8>, String> {
    let bad = |i: usize| format!("illegal base32 data at input byte {i}");
    let src: Vec<u8> = s.bytes().filter(|&b| b != b'\r' && b != b'\n').collect();
    let olen = src.len();
    let mut rest: &[u8] = &src;
    let mut out = Vec::new();
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut dbuf = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            if rest.is_empty() {
                return Err(bad(olen - j));
            }
            let c = rest[0];
            rest = &rest[1..];
            if c == b'=' && j >= 2 && rest.len() < 8 {
                if rest.len() + j < 7 {
                    return Err(bad(olen));
                }
                for k in 0..7 - j {
                    if rest.len() > k && rest[k] != b'=' {
                        return Err(bad(olen - rest.len() + k - 1));
                    }
                }
                dlen = j;
                end = true;
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(bad(olen - rest.len() - 1));
                }
                break;
            }
            match B32.iter().position(|&x| x == c) {
                Some(v) => dbuf[j] = v as u8,
                None => return Err(bad(olen - rest.len() - 1)),
            }
            j += 1;
        }
        let d = dbuf;
        let bytes = [
            d[0] << 3 | d[1] >> 2,
            d[1] << 6 | d[2] << 1 | d[3] >> 4,
            d[3] << 4 | d[4] >> 1,
            d[4] << 7 | d[5] << 2 | d[6] >> 3,
            d[6] << 5 | d[7],
        ];
        let n = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&bytes[..n]);
    }
    Ok(out)
}

/// encoding/base64's StdEncoding.DecodeString, error offsets included.
fn b64dec(s: &str) -> Result<Vec<u8>, String> {
    let bad = |i: usize| format!("illegal base64 data at input byte {i}");
    let src = s.as_bytes();
    let decode = |c: u8| -> Option<u8> {
        match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    };
    let mut out = Vec::new();
    let mut si = 0;
    while si < src.len() {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0;
        let mut err = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(bad(si - j));
            }
            let c = src[si];
            si += 1;
            if let Some(v) = decode(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(bad(si - 1));
            }
            match j {
                0 | 1 => return Err(bad(si - 1)),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(bad(src.len()));
                    }
                    if src[si] != b'=' {
                        return Err(bad(si - 1));
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                err = Some(bad(si));
            }
            dlen = j;
            break;
        }
        let val = u32::from(dbuf[0]) << 18
            | u32::from(dbuf[1]) << 12
            | u32::from(dbuf[2]) << 6
            | u32::from(dbuf[3]);
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen.saturating_sub(1)]);
        if let Some(e) = err {
            return Err(e);
        }
    }
    Ok(out)
}

fn until_step(ctx: &Ctx, start: i64, stop: i64, step: i64) -> Result<Vec<i64>, FuncError> {
    let mut v = Vec::new();
    let count = if stop < start {
        if step >= 0 {
            return Ok(v);
        }
        ((start as i128 - stop as i128 - 1) / -(step as i128)) + 1
    } else {
        if step <= 0 {
            return Ok(v);
        }
        ((stop as i128 - start as i128 - 1) / step as i128) + 1
    };
    ctx.check_items(count.max(0) as usize)?;
    let mut i = start;
    if stop < start {
        while i > stop {
            v.push(i);
            i = match i.checked_add(step) {
                Some(x) => x,
                None => break,
            };
        }
    } else {
        while i < stop {
            v.push(i);
            i = match i.checked_add(step) {
                Some(x) => x,
                None => break,
            };
        }
    }
    Ok(v)
}

fn ints(v: Vec<i64>) -> Value {
    Value::List(Rc::new(v.into_iter().map(Value::int).collect()), Elem::Int)
}

fn abbreviate(s: &str, offset: i64, max: i64) -> Result<String, ()> {
    let len = s.len() as i64;
    if s.is_empty() {
        return Ok(String::new());
    }
    if max < 4 {
        return Err(());
    }
    if len <= max {
        return Ok(s.to_string());
    }
    let mut offset = offset.min(len);
    if len - offset < max - 3 {
        offset = len - (max - 3);
    }
    let b = s.as_bytes();
    if offset <= 4 {
        return Ok(format!("{}...", bytes_lossy(&b[..(max - 3) as usize])));
    }
    if max < 7 {
        return Err(());
    }
    if offset + max - 3 < len {
        let rest = bytes_lossy(&b[offset as usize..]);
        return Ok(format!("...{}", abbreviate(&rest, 0, max - 3)?));
    }
    Ok(format!(
        "...{}",
        bytes_lossy(&b[(len - (max - 3)) as usize..])
    ))
}

/// A list of values as `[]interface {}`.
fn list(v: Vec<Value>) -> Value {
    Value::list(v)
}

/// How deeply lists and maps built by templates may nest: printing,
/// comparing and dropping them recurse.
pub const MAX_VALUE_DEPTH: usize = 64;

/// Whether `v` nests lists and maps `limit` or more levels deep.
fn too_deep(v: &Value, limit: usize) -> bool {
    if limit == 0 {
        return matches!(v, Value::List(..) | Value::Map(..));
    }
    match v {
        Value::List(l, _) => l.iter().any(|x| too_deep(x, limit - 1)),
        Value::Map(m, _) => m.borrow().values().any(|x| too_deep(x, limit - 1)),
        _ => false,
    }
}

/// Refuses to put `args` into a new container when that would nest past
/// [`MAX_VALUE_DEPTH`].
fn check_depth(args: &[Value]) -> Result<(), FuncError> {
    if args.iter().any(|a| too_deep(a, MAX_VALUE_DEPTH - 1)) {
        return Err(FuncError::Budget(super::super::Limit::ValueDepth(
            MAX_VALUE_DEPTH,
        )));
    }
    Ok(())
}

/// Registers `name` with a body that first checks [`check_depth`] of all
/// its arguments: for functions that nest values.
fn add_nesting(
    m: &mut FuncMap,
    name: &str,
    params: &[Ty],
    variadic: Option<Ty>,
    imp: impl Fn(&Ctx, &[Value]) -> FResult + 'static,
) {
    add(m, name, params, variadic, move |ctx, a| {
        check_depth(a)?;
        imp(ctx, a)
    });
}

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    for (name, why) in REFUSED {
        let msg = format!(
            "msvc does not run `{name}`: it reads {why}, and a render must give the same output every time"
        );
        add(m, name, &[], Some(Any), move |_, _| {
            Err(FuncError::Refused(msg.clone()))
        });
    }
    for name in UNSUPPORTED {
        let msg = format!("msvc does not support the sprig function `{name}` yet");
        add(m, name, &[], Some(Any), move |_, _| {
            Err(FuncError::Refused(msg.clone()))
        });
    }
    add(m, "hello", &[], None, |_, _| Ok(Value::str("Hello!")));

    // Strings.
    add(m, "abbrev", &[Int, Str], None, |_, a| {
        let (w, s) = (to_int64(&a[0]), a[1].as_str().unwrap_or_default());
        if w < 4 {
            return Ok(a[1].clone());
        }
        Ok(Value::str(abbreviate(s, 0, w).unwrap_or_default()))
    });
    add(m, "abbrevboth", &[Int, Int, Str], None, |_, a| {
        let (l, r, s) = (
            to_int64(&a[0]),
            to_int64(&a[1]),
            a[2].as_str().unwrap_or_default(),
        );
        if r < 4 || l > 0 && r < 7 {
            return Ok(a[2].clone());
        }
        Ok(Value::str(abbreviate(s, l, r).unwrap_or_default()))
    });
    add(m, "trunc", &[Int, Str], None, |_, a| {
        let (c, s) = (to_int64(&a[0]), a[1].as_str().unwrap_or_default());
        let len = s.len() as i64;
        Ok(Value::str(if c < 0 && len + c > 0 {
            bytes_lossy(&s.as_bytes()[(len + c) as usize..])
        } else if c >= 0 && len > c {
            bytes_lossy(&s.as_bytes()[..c as usize])
        } else {
            s.to_string()
        }))
    });
    add(m, "trim", &[Str], None, |_, a| {
        Ok(Value::str(
            a[0].as_str().unwrap_or_default().trim_matches(is_go_space),
        ))
    });
    add(m, "upper", &[Str], None, |_, a| {
        Ok(Value::str(go_upper(a[0].as_str().unwrap_or_default())))
    });
    add(m, "lower", &[Str], None, |_, a| {
        Ok(Value::str(go_lower(a[0].as_str().unwrap_or_default())))
    });
    add(m, "title", &[Str], None, |_, a| {
        Ok(Value::str(title(a[0].as_str().unwrap_or_default())))
    });
    add(m, "untitle", &[Str], None, |_, a| {
        let mut next = true;
        let s: String = a[0]
            .as_str()
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if is_go_space(c) {
                    next = true;
                    c
                } else if next {
                    next = false;
                    go_lower(&c.to_string()).chars().next().unwrap_or(c)
                } else {
                    c
                }
            })
            .collect();
        Ok(Value::str(s))
    });
    add(m, "substr", &[Int, Int, Str], None, |_, a| {
        let (start, end, s) = (
            to_int64(&a[0]),
            to_int64(&a[1]),
            a[2].as_str().unwrap_or_default(),
        );
        let r = if start < 0 {
            byte_slice(s, None, Some(end))?
        } else if end < 0 || end > s.len() as i64 {
            if start > s.len() as i64 {
                return Err(out_of_range(format!("[{start}:{}]", s.len())));
            }
            byte_slice(s, Some(start), None)?
        } else {
            byte_slice(s, Some(start), Some(end))?
        };
        Ok(Value::str(r))
    });
    add(m, "repeat", &[Int, Str], None, |ctx, a| {
        repeat(ctx, a[1].as_str().unwrap_or_default(), to_int64(&a[0]))
    });
    for name in ["trimall", "trimAll"] {
        add(m, name, &[Str, Str], None, |_, a| {
            let cut: Vec<char> = a[0].as_str().unwrap_or_default().chars().collect();
            Ok(Value::str(
                a[1].as_str()
                    .unwrap_or_default()
                    .trim_matches(cut.as_slice()),
            ))
        });
    }
    add(m, "trimSuffix", &[Str, Str], None, |_, a| {
        let (x, s) = (
            a[0].as_str().unwrap_or_default(),
            a[1].as_str().unwrap_or_default(),
        );
        Ok(Value::str(s.strip_suffix(x).unwrap_or(s)))
    });
    add(m, "trimPrefix", &[Str, Str], None, |_, a| {
        let (x, s) = (
            a[0].as_str().unwrap_or_default(),
            a[1].as_str().unwrap_or_default(),
        );
        Ok(Value::str(s.strip_prefix(x).unwrap_or(s)))
    });
    add(m, "nospace", &[Str], None, |_, a| {
        // goutils works on bytes, each read as a Latin-1 character, and
        // gives the string back as it was when it removed nothing.
        let s = a[0].as_str().unwrap_or_default();
        let kept: String = s
            .bytes()
            .map(char::from)
            .filter(|c| !is_go_space(*c))
            .collect();
        Ok(if kept.chars().count() == s.len() {
            a[0].clone()
        } else {
            Value::str(kept)
        })
    });
    add(m, "initials", &[Str], None, |_, a| {
        let mut gap = true;
        let mut out = String::new();
        for b in a[0].as_str().unwrap_or_default().bytes() {
            let c = char::from(b);
            if is_go_space(c) {
                gap = true;
            } else if gap {
                out.push(c);
                gap = false;
            }
        }
        Ok(Value::str(out))
    });
    add(m, "swapcase", &[Str], None, |_, a| {
        let s: String = a[0]
            .as_str()
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_uppercase() {
                    go_lower(&c.to_string())
                } else if c.is_lowercase() {
                    go_upper(&c.to_string())
                } else {
                    c.to_string()
                }
            })
            .collect();
        Ok(Value::str(s))
    });
    add(m, "contains", &[Str, Str], None, |_, a| {
        Ok(Value::Bool(
            a[1].as_str()
                .unwrap_or_default()
                .contains(a[0].as_str().unwrap_or_default()),
        ))
    });
    add(m, "hasPrefix", &[Str, Str], None, |_, a| {
        Ok(Value::Bool(
            a[1].as_str()
                .unwrap_or_default()
                .starts_with(a[0].as_str().unwrap_or_default()),
        ))
    });
    add(m, "hasSuffix", &[Str, Str], None, |_, a| {
        Ok(Value::Bool(
            a[1].as_str()
                .unwrap_or_default()
                .ends_with(a[0].as_str().unwrap_or_default()),
        ))
    });
    add(m, "quote", &[], Some(Any), |ctx, a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !matches!(v, Value::Nil | Value::Missing))
            .map(|v| quote(&strval(v)))
            .collect();
        let s = parts.join(" ");
        ctx.check_size(s.len())?;
        Ok(Value::str(s))
    });
    add(m, "squote", &[], Some(Any), |ctx, a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !matches!(v, Value::Nil | Value::Missing))
            .map(|v| format!("'{}'", sprint_value(v)))
            .collect();
        let s = parts.join(" ");
        ctx.check_size(s.len())?;
        Ok(Value::str(s))
    });
    add(m, "cat", &[], Some(Any), |ctx, a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !matches!(v, Value::Nil | Value::Missing))
            .map(sprint_value)
            .collect();
        let s = parts.join(" ");
        ctx.check_size(s.len())?;
        Ok(Value::str(s))
    });
    add(m, "indent", &[Int, Str], None, |ctx, a| {
        Ok(Value::str(indent(
            ctx,
            to_int64(&a[0]),
            a[1].as_str().unwrap_or_default(),
        )?))
    });
    add(m, "nindent", &[Int, Str], None, |ctx, a| {
        Ok(Value::str(format!(
            "\n{}",
            indent(ctx, to_int64(&a[0]), a[1].as_str().unwrap_or_default())?
        )))
    });
    add(m, "replace", &[Str, Str, Str], None, |ctx, a| {
        let (old, new, src) = (
            a[0].as_str().unwrap_or_default(),
            a[1].as_str().unwrap_or_default(),
            a[2].as_str().unwrap_or_default(),
        );
        let n = if old.is_empty() {
            src.chars().count() + 1
        } else {
            src.matches(old).count()
        };
        ctx.check_size(src.len().saturating_add(n.saturating_mul(new.len())))?;
        if old.is_empty() {
            // Go inserts `new` before every character and at the end.
            let mut out = String::new();
            for c in src.chars() {
                out.push_str(new);
                out.push(c);
            }
            out.push_str(new);
            return Ok(Value::str(out));
        }
        Ok(Value::str(src.replace(old, new)))
    });
    add(m, "plural", &[Str, Str, Int], None, |_, a| {
        Ok(if to_int64(&a[2]) == 1 {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
    add(m, "sha1sum", &[Str], None, |_, a| {
        Ok(Value::str(sha1_hex(
            a[0].as_str().unwrap_or_default().as_bytes(),
        )))
    });
    add(m, "sha256sum", &[Str], None, |_, a| {
        use sha2::Digest as _;
        let d = sha2::Sha256::digest(a[0].as_str().unwrap_or_default().as_bytes());
        Ok(Value::str(
            d.iter().map(|b| format!("{b:02x}")).collect::<String>(),
        ))
    });
    add(m, "adler32sum", &[Str], None, |_, a| {
        Ok(Value::str(
            adler32(a[0].as_str().unwrap_or_default().as_bytes()).to_string(),
        ))
    });
    add(m, "toString", &[Any], None, |_, a| {
        Ok(Value::str(strval(&a[0])))
    });
    add(m, "atoi", &[Str], None, |_, a| {
        let s = a[0].as_str().unwrap_or_default();
        let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
        let ok = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        Ok(Value::int(if ok { s.parse().unwrap_or(0) } else { 0 }))
    });
    add(m, "int64", &[Any], None, |_, a| {
        Ok(Value::int64(to_int64(&a[0])))
    });
    add(m, "int", &[Any], None, |_, a| {
        Ok(Value::int(to_int64(&a[0])))
    });
    add(m, "float64", &[Any], None, |_, a| {
        Ok(Value::Float(to_float64(&a[0])))
    });
    add(m, "toDecimal", &[Any], None, |_, a| {
        let s = sprint_value(&a[0]);
        let digits = s.strip_prefix(['+', '-']).unwrap_or(&s);
        let ok = !digits.is_empty() && digits.bytes().all(|b| (b'0'..=b'7').contains(&b));
        Ok(Value::int64(if ok {
            i64::from_str_radix(&s, 8).unwrap_or(0)
        } else {
            0
        }))
    });
    add(m, "seq", &[], Some(Int), |ctx, a| {
        let p: Vec<i64> = a.iter().map(to_int64).collect();
        let v = match p.len() {
            1 => {
                let (start, end) = (1, p[0]);
                let inc = if end < start { -1 } else { 1 };
                until_step(ctx, start, end.saturating_add(inc), inc)?
            }
            2 => {
                let (start, end) = (p[0], p[1]);
                let step = if end < start { -1 } else { 1 };
                until_step(ctx, start, end.saturating_add(step), step)?
            }
            3 => {
                let (start, step, end) = (p[0], p[1], p[2]);
                let mut inc = 1;
                if end < start {
                    inc = -1;
                    if step > 0 {
                        return Ok(Value::str(""));
                    }
                }
                until_step(ctx, start, end.saturating_add(inc), step)?
            }
            _ => Vec::new(),
        };
        let s: Vec<String> = v.iter().map(i64::to_string).collect();
        Ok(Value::str(s.join(" ")))
    });
    add(m, "split", &[Str, Str], None, |_, a| {
        let (sep, s) = (
            a[0].as_str().unwrap_or_default(),
            a[1].as_str().unwrap_or_default(),
        );
        let parts = go_split(s, sep, -1);
        let map: BTreeMap<String, Value> = parts
            .into_iter()
            .enumerate()
            .map(|(i, p)| (format!("_{i}"), Value::str(p)))
            .collect();
        Ok(Value::Map(Rc::new(RefCell::new(map)), Elem::Str))
    });
    add(m, "splitn", &[Str, Int, Str], None, |_, a| {
        let (sep, n, s) = (
            a[0].as_str().unwrap_or_default(),
            to_int64(&a[1]),
            a[2].as_str().unwrap_or_default(),
        );
        let parts = go_split(s, sep, n);
        let map: BTreeMap<String, Value> = parts
            .into_iter()
            .enumerate()
            .map(|(i, p)| (format!("_{i}"), Value::str(p)))
            .collect();
        Ok(Value::Map(Rc::new(RefCell::new(map)), Elem::Str))
    });
    add(m, "splitList", &[Str, Str], None, |_, a| {
        let (sep, s) = (
            a[0].as_str().unwrap_or_default(),
            a[1].as_str().unwrap_or_default(),
        );
        Ok(Value::strings(go_split(s, sep, -1)))
    });
    add(m, "toStrings", &[Any], None, |_, a| {
        Ok(Value::strings(strslice(&a[0])))
    });
    add(m, "until", &[Int], None, |ctx, a| {
        let n = to_int64(&a[0]);
        Ok(ints(until_step(ctx, 0, n, if n < 0 { -1 } else { 1 })?))
    });
    add(m, "untilStep", &[Int, Int, Int], None, |ctx, a| {
        Ok(ints(until_step(
            ctx,
            to_int64(&a[0]),
            to_int64(&a[1]),
            to_int64(&a[2]),
        )?))
    });

    // Integer arithmetic, as int64 after cast.ToInt64.
    add(m, "add1", &[Any], None, |_, a| {
        Ok(Value::int64(to_int64(&a[0]).wrapping_add(1)))
    });
    add(m, "add", &[], Some(Any), |_, a| {
        Ok(Value::int64(
            a.iter().fold(0i64, |s, x| s.wrapping_add(to_int64(x))),
        ))
    });
    add(m, "sub", &[Any, Any], None, |_, a| {
        Ok(Value::int64(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))))
    });
    add(m, "div", &[Any, Any], None, |_, a| {
        let (x, y) = (to_int64(&a[0]), to_int64(&a[1]));
        if y == 0 {
            return Err(go("runtime error: integer divide by zero"));
        }
        Ok(Value::int64(x.wrapping_div(y)))
    });
    add(m, "mod", &[Any, Any], None, |_, a| {
        let (x, y) = (to_int64(&a[0]), to_int64(&a[1]));
        if y == 0 {
            return Err(go("runtime error: integer divide by zero"));
        }
        Ok(Value::int64(x.wrapping_rem(y)))
    });
    add(m, "mul", &[Any], Some(Any), |_, a| {
        Ok(Value::int64(
            a[1..]
                .iter()
                .fold(to_int64(&a[0]), |s, x| s.wrapping_mul(to_int64(x))),
        ))
    });
    for name in ["max", "biggest"] {
        add(m, name, &[Any], Some(Any), |_, a| {
            Ok(Value::int64(
                a[1..].iter().map(to_int64).fold(to_int64(&a[0]), i64::max),
            ))
        });
    }
    add(m, "min", &[Any], Some(Any), |_, a| {
        Ok(Value::int64(
            a[1..].iter().map(to_int64).fold(to_int64(&a[0]), i64::min),
        ))
    });
    add(m, "maxf", &[Any], Some(Any), |_, a| {
        Ok(Value::Float(
            a[1..]
                .iter()
                .map(to_float64)
                .fold(to_float64(&a[0]), go_max),
        ))
    });
    add(m, "minf", &[Any], Some(Any), |_, a| {
        Ok(Value::Float(
            a[1..]
                .iter()
                .map(to_float64)
                .fold(to_float64(&a[0]), go_min),
        ))
    });
    add(m, "ceil", &[Any], None, |_, a| {
        Ok(Value::Float(to_float64(&a[0]).ceil()))
    });
    add(m, "floor", &[Any], None, |_, a| {
        Ok(Value::Float(to_float64(&a[0]).floor()))
    });
    add(m, "round", &[Any, Int], Some(Float), |_, a| {
        let round_on = a.get(2).map_or(0.5, to_float64);
        let val = to_float64(&a[0]);
        let pow = 10f64.powf(to_int64(&a[1]) as f64);
        let digit = pow * val;
        let div = digit.fract();
        let r = if div >= round_on {
            digit.ceil()
        } else {
            digit.floor()
        };
        Ok(Value::Float(r / pow))
    });
    // Float arithmetic through decimals, as sprig does with shopspring/decimal.
    add(m, "add1f", &[Any], None, |_, a| {
        Ok(Value::Float(decimal_op(&a[0], &[Value::int(1)], '+')))
    });
    add(m, "addf", &[], Some(Any), |_, a| {
        Ok(Value::Float(decimal_op(&Value::Float(0.0), a, '+')))
    });
    add(m, "subf", &[Any], Some(Any), |_, a| {
        Ok(Value::Float(decimal_op(&a[0], &a[1..], '-')))
    });
    add(m, "mulf", &[Any], Some(Any), |_, a| {
        Ok(Value::Float(decimal_op(&a[0], &a[1..], '*')))
    });
    add(m, "divf", &[Any], Some(Any), |_, a| {
        if a[1..].iter().any(|x| to_float64(x) == 0.0) {
            return Err(go("decimal division by 0"));
        }
        Ok(Value::Float(decimal_op(&a[0], &a[1..], '/')))
    });

    add(m, "join", &[Str, Any], None, |ctx, a| {
        let s = strslice(&a[1]).join(a[0].as_str().unwrap_or_default());
        ctx.check_size(s.len())?;
        Ok(Value::str(s))
    });
    add(m, "sortAlpha", &[Any], None, |_, a| {
        Ok(Value::strings(match &a[0] {
            Value::List(..) => {
                let mut v = strslice(&a[0]);
                v.sort();
                v
            }
            v => vec![strval(v)],
        }))
    });

    // Defaults and flow.
    add(m, "default", &[Any], Some(Any), |_, a| {
        Ok(if a.len() < 2 || empty(&a[1]) {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
    add(m, "empty", &[Any], None, |_, a| {
        Ok(Value::Bool(empty(&a[0])))
    });
    add(m, "coalesce", &[], Some(Any), |_, a| {
        Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil))
    });
    add(m, "all", &[], Some(Any), |_, a| {
        Ok(Value::Bool(a.iter().all(|v| !empty(v))))
    });
    add(m, "any", &[], Some(Any), |_, a| {
        Ok(Value::Bool(a.iter().any(|v| !empty(v))))
    });
    add(m, "compact", &[Any], None, |_, a| {
        with_list(&a[0], "compact", |l| {
            Ok(list(l.iter().filter(|v| !empty(v)).cloned().collect()))
        })
    });
    add(m, "mustCompact", &[Any], None, |_, a| {
        with_list(&a[0], "compact", |l| {
            Ok(list(l.iter().filter(|v| !empty(v)).cloned().collect()))
        })
    });
    add(m, "fromJson", &[Str], None, |_, a| {
        Ok(from_json(a[0].as_str().unwrap_or_default()).unwrap_or(Value::Nil))
    });
    add(m, "mustFromJson", &[Str], None, |_, a| {
        from_json(a[0].as_str().unwrap_or_default()).map_err(go)
    });
    add(m, "toJson", &[Any], None, |_, a| {
        Ok(Value::str(to_json(&a[0], true, false).unwrap_or_default()))
    });
    add(m, "mustToJson", &[Any], None, |_, a| {
        to_json(&a[0], true, false).map(Value::str).map_err(go)
    });
    add(m, "toPrettyJson", &[Any], None, |_, a| {
        Ok(Value::str(to_json(&a[0], true, true).unwrap_or_default()))
    });
    add(m, "mustToPrettyJson", &[Any], None, |_, a| {
        to_json(&a[0], true, true).map(Value::str).map_err(go)
    });
    add(m, "toRawJson", &[Any], None, |_, a| {
        to_json(&a[0], false, false).map(Value::str).map_err(go)
    });
    add(m, "mustToRawJson", &[Any], None, |_, a| {
        to_json(&a[0], false, false).map(Value::str).map_err(go)
    });
    add(m, "ternary", &[Any, Any, Bool], None, |_, a| {
        Ok(if a[2].truthy() {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
    for name in ["deepCopy", "mustDeepCopy"] {
        add(m, name, &[Any], None, |_, a| match &a[0] {
            Value::Nil | Value::Missing => {
                Err(go("reflect: call of reflect.Value.Type on zero Value"))
            }
            v => Ok(deep_copy(v)),
        });
    }
    add(m, "fail", &[Str], None, |_, a| {
        Err(go(a[0].as_str().unwrap_or_default()))
    });

    // Reflection.
    add(m, "typeOf", &[Any], None, |_, a| {
        Ok(Value::str(sprintf("%T", &a[..1])))
    });
    add(m, "typeIs", &[Str, Any], None, |_, a| {
        Ok(Value::Bool(a[0].as_str() == Some(&sprintf("%T", &a[1..2]))))
    });
    add(m, "typeIsLike", &[Str, Any], None, |_, a| {
        let t = sprintf("%T", &a[1..2]);
        let target = a[0].as_str().unwrap_or_default();
        Ok(Value::Bool(target == t || format!("*{target}") == t))
    });
    add(m, "kindOf", &[Any], None, |_, a| {
        Ok(Value::str(a[0].kind_name()))
    });
    add(m, "kindIs", &[Str, Any], None, |_, a| {
        Ok(Value::Bool(a[0].as_str() == Some(a[1].kind_name())))
    });
    add(m, "deepEqual", &[Any, Any], None, |_, a| {
        Ok(Value::Bool(deep_equal(&a[0], &a[1])))
    });

    // Paths.
    for (name, f) in [
        ("base", path_base as fn(&str) -> String),
        ("dir", path_dir),
        ("clean", path_clean),
        ("ext", path_ext),
    ] {
        add(m, name, &[Str], None, move |_, a| {
            Ok(Value::str(f(a[0].as_str().unwrap_or_default())))
        });
        let os = format!("os{}{}", name[..1].to_uppercase(), &name[1..]);
        add(m, &os, &[Str], None, move |_, a| {
            Ok(Value::str(f(a[0].as_str().unwrap_or_default())))
        });
    }
    add(m, "isAbs", &[Str], None, |_, a| {
        Ok(Value::Bool(
            a[0].as_str().unwrap_or_default().starts_with('/'),
        ))
    });
    add(m, "osIsAbs", &[Str], None, |_, a| {
        Ok(Value::Bool(
            a[0].as_str().unwrap_or_default().starts_with('/'),
        ))
    });

    // Encodings.
    add(m, "b64enc", &[Str], None, |_, a| {
        use base64::Engine as _;
        Ok(Value::str(
            base64::engine::general_purpose::STANDARD.encode(a[0].as_str().unwrap_or_default()),
        ))
    });
    add(m, "b64dec", &[Str], None, |_, a| {
        Ok(Value::str(
            match b64dec(a[0].as_str().unwrap_or_default()) {
                Ok(b) => bytes_lossy(&b),
                Err(e) => e,
            },
        ))
    });
    add(m, "b32enc", &[Str], None, |_, a| {
        Ok(Value::str(b32enc(
            a[0].as_str().unwrap_or_default().as_bytes(),
        )))
    });
    add(m, "b32dec", &[Str], None, |_, a| {
        Ok(Value::str(
            match b32dec(a[0].as_str().unwrap_or_default()) {
                Ok(b) => bytes_lossy(&b),
                Err(e) => e,
            },
        ))
    });

    // Lists and dicts.
    for name in ["list", "tuple"] {
        add_nesting(m, name, &[], Some(Any), |_, a| Ok(list(a.to_vec())));
    }
    add_nesting(m, "dict", &[], Some(Any), |_, a| {
        let mut d = BTreeMap::new();
        for pair in a.chunks(2) {
            let k = strval(&pair[0]);
            d.insert(k, pair.get(1).cloned().unwrap_or_else(|| Value::str("")));
        }
        Ok(Value::map(d))
    });
    add(m, "get", &[Map, Str], None, |_, a| {
        let d = map_arg(&a[0]);
        Ok(
            d.and_then(|d| d.borrow().get(a[1].as_str().unwrap_or_default()).cloned())
                .unwrap_or_else(|| Value::str("")),
        )
    });
    add_nesting(m, "set", &[Map, Str, Any], None, |_, a| {
        let Some(d) = map_arg(&a[0]) else {
            return Ok(a[0].clone());
        };
        if contains_map(&a[2], d, 0) {
            return Err(go("msvc: a map cannot contain itself"));
        }
        d.borrow_mut()
            .insert(a[1].as_str().unwrap_or_default().to_string(), a[2].clone());
        Ok(a[0].clone())
    });
    add(m, "unset", &[Map, Str], None, |_, a| {
        if let Some(d) = map_arg(&a[0]) {
            d.borrow_mut().remove(a[1].as_str().unwrap_or_default());
        }
        Ok(a[0].clone())
    });
    add(m, "hasKey", &[Map, Str], None, |_, a| {
        Ok(Value::Bool(map_arg(&a[0]).is_some_and(|d| {
            d.borrow().contains_key(a[1].as_str().unwrap_or_default())
        })))
    });
    add(m, "pluck", &[Str], Some(Map), |_, a| {
        let k = a[0].as_str().unwrap_or_default();
        Ok(list(
            a[1..]
                .iter()
                .filter_map(|d| map_arg(d).and_then(|d| d.borrow().get(k).cloned()))
                .collect(),
        ))
    });
    add(m, "keys", &[], Some(Map), |_, a| {
        Ok(Value::strings(
            a.iter()
                .filter_map(map_arg)
                .flat_map(|d| d.borrow().keys().cloned().collect::<Vec<_>>())
                .collect(),
        ))
    });
    add(m, "values", &[Map], None, |_, a| {
        Ok(list(
            map_arg(&a[0])
                .map(|d| d.borrow().values().cloned().collect())
                .unwrap_or_default(),
        ))
    });
    add(m, "pick", &[Map], Some(Str), |_, a| {
        let d = map_arg(&a[0])
            .map(|d| d.borrow().clone())
            .unwrap_or_default();
        Ok(Value::map(
            a[1..]
                .iter()
                .filter_map(|k| {
                    let k = k.as_str().unwrap_or_default();
                    d.get(k).map(|v| (k.to_string(), v.clone()))
                })
                .collect(),
        ))
    });
    add(m, "omit", &[Map], Some(Str), |_, a| {
        let mut d = map_arg(&a[0])
            .map(|d| d.borrow().clone())
            .unwrap_or_default();
        for k in &a[1..] {
            d.remove(k.as_str().unwrap_or_default());
        }
        Ok(Value::map(d))
    });
    for (name, overwrite) in [
        ("merge", false),
        ("mustMerge", false),
        ("mergeOverwrite", true),
        ("mustMergeOverwrite", true),
    ] {
        add_nesting(m, name, &[Map], Some(Map), move |_, a| {
            let Some(dst) = map_arg(&a[0]) else {
                return Ok(a[0].clone());
            };
            for src in &a[1..] {
                if let Some(s) = map_arg(src) {
                    if Rc::ptr_eq(s, dst) {
                        continue;
                    }
                    let s = s.borrow().clone();
                    merge_into(dst, &s, overwrite, 0)?;
                }
            }
            Ok(a[0].clone())
        });
    }
    for (name, must) in [
        ("append", false),
        ("push", false),
        ("mustAppend", true),
        ("mustPush", true),
    ] {
        let _ = must;
        add_nesting(m, name, &[Any, Any], None, |ctx, a| {
            with_list(&a[0], "push", |l| {
                ctx.check_items(l.len() + 1)?;
                let mut v = l.to_vec();
                v.push(a[1].clone());
                Ok(list(v))
            })
        });
    }
    for name in ["prepend", "mustPrepend"] {
        add_nesting(m, name, &[Any, Any], None, |ctx, a| {
            with_list(&a[0], "prepend", |l| {
                ctx.check_items(l.len() + 1)?;
                let mut v = Vec::with_capacity(l.len() + 1);
                v.push(a[1].clone());
                v.extend_from_slice(l);
                Ok(list(v))
            })
        });
    }
    for name in ["first", "mustFirst"] {
        add(m, name, &[Any], None, |_, a| {
            with_list(&a[0], "find first", |l| {
                Ok(l.first().cloned().unwrap_or(Value::Nil))
            })
        });
    }
    for name in ["last", "mustLast"] {
        add(m, name, &[Any], None, |_, a| {
            with_list(&a[0], "find last", |l| {
                Ok(l.last().cloned().unwrap_or(Value::Nil))
            })
        });
    }
    for name in ["rest", "mustRest"] {
        add(m, name, &[Any], None, |_, a| {
            with_list(&a[0], "find rest", |l| {
                Ok(list(l.get(1..).unwrap_or_default().to_vec()))
            })
        });
    }
    for name in ["initial", "mustInitial"] {
        add(m, name, &[Any], None, |_, a| {
            with_list(&a[0], "find initial", |l| {
                Ok(list(
                    l.get(..l.len().saturating_sub(1))
                        .unwrap_or_default()
                        .to_vec(),
                ))
            })
        });
    }
    for name in ["reverse", "mustReverse"] {
        add(m, name, &[Any], None, |_, a| {
            with_list(&a[0], "find reverse", |l| {
                Ok(list(l.iter().rev().cloned().collect()))
            })
        });
    }
    for name in ["uniq", "mustUniq"] {
        add(m, name, &[Any], None, |_, a| {
            with_list(&a[0], "find uniq", |l| {
                let mut out: Vec<Value> = Vec::new();
                for x in l {
                    if !out.iter().any(|y| deep_equal(x, y)) {
                        out.push(x.clone());
                    }
                }
                Ok(list(out))
            })
        });
    }
    for name in ["without", "mustWithout"] {
        add(m, name, &[Any], Some(Any), |_, a| {
            with_list(&a[0], "find without", |l| {
                Ok(list(
                    l.iter()
                        .filter(|x| !a[1..].iter().any(|o| deep_equal(o, x)))
                        .cloned()
                        .collect(),
                ))
            })
        });
    }
    for name in ["has", "mustHas"] {
        add(m, name, &[Any, Any], None, |_, a| {
            if matches!(a[1], Value::Nil | Value::Missing) {
                return Ok(Value::Bool(false));
            }
            with_list(&a[1], "find has", |l| {
                Ok(Value::Bool(l.iter().any(|x| deep_equal(&a[0], x))))
            })
        });
    }
    for name in ["slice", "mustSlice"] {
        add(m, name, &[Any], Some(Any), |_, a| match list_of(&a[0])? {
            Err(kind) => Err(go(format!(
                "list should be type of slice or array but {kind}"
            ))),
            Ok(l) => {
                if l.is_empty() {
                    return Ok(Value::Nil);
                }
                let start = a.get(1).map_or(0, to_int64);
                let end = a.get(2).map_or(l.len() as i64, to_int64);
                if start < 0 || end < start || end > l.len() as i64 {
                    return Err(go("reflect.Value.Slice: slice index out of bounds"));
                }
                let elem = match &a[0] {
                    Value::List(_, e) => *e,
                    _ => Elem::Any,
                };
                Ok(Value::List(
                    Rc::new(l[start as usize..end as usize].to_vec()),
                    elem,
                ))
            }
        });
    }
    add(m, "concat", &[], Some(Any), |ctx, a| {
        let mut out = Vec::new();
        for x in a {
            match list_of(x)? {
                Ok(l) => {
                    ctx.check_items(out.len() + l.len())?;
                    out.extend(l.iter().cloned());
                }
                Err(kind) => return Err(go(format!("Cannot concat type {kind} as list"))),
            }
        }
        Ok(list(out))
    });
    add(m, "dig", &[], Some(Any), |_, a| {
        if a.len() < 3 {
            return Err(go("dig needs at least three arguments"));
        }
        let mut d = match &a[a.len() - 1] {
            Value::Map(m, Elem::Any) => m.clone(),
            v => {
                return Err(go(format!(
                    "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
                    conv_type(v)
                )));
            }
        };
        let def = a[a.len() - 2].clone();
        let keys = &a[..a.len() - 2];
        for (i, k) in keys.iter().enumerate() {
            let Value::String(k) = k else {
                return Err(go(format!(
                    "interface conversion: interface {{}} is {}, not string",
                    conv_type(k)
                )));
            };
            let step = d.borrow().get(&**k).cloned();
            let Some(step) = step else { return Ok(def) };
            if i == keys.len() - 1 {
                return Ok(step);
            }
            d = match &step {
                Value::Map(m, Elem::Any) => m.clone(),
                v => {
                    return Err(go(format!(
                        "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
                        conv_type(v)
                    )));
                }
            };
        }
        Ok(def)
    });
    for name in ["chunk", "mustChunk"] {
        add_nesting(m, name, &[Int, Any], None, |_, a| {
            let size = to_int64(&a[0]);
            with_list(&a[1], "chunk", |l| {
                if size <= 0 {
                    return Err(go("msvc: chunk size must be positive"));
                }
                Ok(list(
                    l.chunks(size as usize).map(|c| list(c.to_vec())).collect(),
                ))
            })
            .map_err(|e| match e {
                FuncError::Go(s) if s.starts_with("Cannot chunk on type") => {
                    go(s.replace("Cannot chunk on type", "Cannot chunk type"))
                }
                e => e,
            })
        });
    }

    // Regular expressions.
    add(m, "regexMatch", &[Str, Str], None, |_, a| {
        Ok(Value::Bool(
            regex(a[0].as_str().unwrap_or_default())
                .is_ok_and(|r| r.is_match(a[1].as_str().unwrap_or_default())),
        ))
    });
    add(m, "mustRegexMatch", &[Str, Str], None, |_, a| {
        Ok(Value::Bool(
            regex(a[0].as_str().unwrap_or_default())?.is_match(a[1].as_str().unwrap_or_default()),
        ))
    });
    for name in ["regexFindAll", "mustRegexFindAll"] {
        add(m, name, &[Str, Str, Int], None, |_, a| {
            let r = regex(a[0].as_str().unwrap_or_default())?;
            let n = to_int64(&a[2]);
            let s = a[1].as_str().unwrap_or_default();
            let it = r.find_iter(s).map(|m| m.as_str().to_string());
            Ok(Value::strings(if n < 0 {
                it.collect()
            } else {
                it.take(n as usize).collect()
            }))
        });
    }
    for name in ["regexFind", "mustRegexFind"] {
        add(m, name, &[Str, Str], None, |_, a| {
            let r = regex(a[0].as_str().unwrap_or_default())?;
            Ok(Value::str(
                r.find(a[1].as_str().unwrap_or_default())
                    .map_or("", |m| m.as_str()),
            ))
        });
    }
    for name in ["regexReplaceAll", "mustRegexReplaceAll"] {
        add(m, name, &[Str, Str, Str], None, |ctx, a| {
            let r = regex(a[0].as_str().unwrap_or_default())?;
            let s = r
                .replace_all(
                    a[1].as_str().unwrap_or_default(),
                    a[2].as_str().unwrap_or_default(),
                )
                .into_owned();
            ctx.check_size(s.len())?;
            Ok(Value::str(s))
        });
    }
    for name in ["regexReplaceAllLiteral", "mustRegexReplaceAllLiteral"] {
        add(m, name, &[Str, Str, Str], None, |ctx, a| {
            let r = regex(a[0].as_str().unwrap_or_default())?;
            let s = r
                .replace_all(
                    a[1].as_str().unwrap_or_default(),
                    regex::NoExpand(a[2].as_str().unwrap_or_default()),
                )
                .into_owned();
            ctx.check_size(s.len())?;
            Ok(Value::str(s))
        });
    }
    for name in ["regexSplit", "mustRegexSplit"] {
        add(m, name, &[Str, Str, Int], None, |_, a| {
            let r = regex(a[0].as_str().unwrap_or_default())?;
            let n = to_int64(&a[2]);
            let s = a[1].as_str().unwrap_or_default();
            Ok(Value::strings(regex_split(&r, s, n)))
        });
    }
    add(m, "regexQuoteMeta", &[Str], None, |_, a| {
        Ok(Value::str(go_quote_meta(a[0].as_str().unwrap_or_default())))
    });
}

/// Go's Regexp.Split.
fn regex_split(re: &regex::Regex, s: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if !re.as_str().is_empty() && s.is_empty() {
        return vec![String::new()];
    }
    let mut out = Vec::new();
    let (mut beg, mut end) = (0, 0);
    let mut prev_end = None;
    let mut count = 0i64;
    for m in re.find_iter(s) {
        // Go ignores an empty match right after a match.
        if m.start() == m.end() && prev_end == Some(m.start()) {
            continue;
        }
        prev_end = Some(m.end());
        if n > 0 && count >= n {
            break;
        }
        count += 1;
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = m.start();
        if m.end() != 0 {
            out.push(s[beg..end].to_string());
        }
        beg = m.end();
    }
    if end != s.len() {
        out.push(s[beg..].to_string());
    }
    out
}

/// The dynamic type Go names in an interface conversion panic.
fn conv_type(v: &Value) -> String {
    match v {
        Value::Nil | Value::Missing => "nil".into(),
        v => v.type_name(),
    }
}

fn go_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

fn go_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

/// reflect.DeepEqual: same types and same contents (values nested over
/// 200 levels compare unequal).
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    equal_at(a, b, 0)
}

fn equal_at(a: &Value, b: &Value, depth: usize) -> bool {
    if depth > 200 {
        return false;
    }
    match (a, b) {
        (Value::Nil | Value::Missing, Value::Nil | Value::Missing) => true,
        (Value::List(x, ex), Value::List(y, ey)) => {
            ex == ey
                && x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| equal_at(p, q, depth + 1))
        }
        (Value::Map(x, ex), Value::Map(y, ey)) => {
            if Rc::ptr_eq(x, y) {
                return ex == ey;
            }
            let (x, y) = (x.borrow(), y.borrow());
            ex == ey
                && x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((kp, p), (kq, q))| kp == kq && equal_at(p, q, depth + 1))
        }
        _ => a == b,
    }
}

/// strings.SplitN (n < 0: all).
fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<String> = s.chars().map(String::from).collect();
        if n > 0 && (n as usize) < chars.len() {
            let mut v: Vec<String> = chars[..n as usize - 1].to_vec();
            let used: usize = v.iter().map(String::len).sum();
            v.push(s[used..].to_string());
            return v;
        }
        return chars;
    }
    if n < 0 {
        s.split(sep).map(str::to_string).collect()
    } else {
        s.splitn(n as usize, sep).map(str::to_string).collect()
    }
}

/// A decimal number: mantissa × 10^exp.
#[derive(Clone, Copy)]
struct Dec {
    m: i128,
    e: i32,
}

fn to_dec(v: &Value) -> Option<Dec> {
    let f = to_float64(v);
    if !f.is_finite() {
        return None;
    }
    // The shortest decimal that reads back as f, as decimal.NewFromFloat.
    let s = format!("{f:e}");
    let (mant, exp) = s.split_once('e')?;
    let exp: i32 = exp.parse().ok()?;
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let frac = mant.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
    let m: i128 = digits.parse().ok()?;
    Some(Dec {
        m: if neg { -m } else { m },
        e: exp - frac,
    })
}

fn align(a: Dec, b: Dec) -> Option<(i128, i128, i32)> {
    let e = a.e.min(b.e);
    let sa = 10i128.checked_pow((a.e - e) as u32)?;
    let sb = 10i128.checked_pow((b.e - e) as u32)?;
    Some((a.m.checked_mul(sa)?, b.m.checked_mul(sb)?, e))
}

fn dec_f64(d: Dec) -> f64 {
    format!("{}e{}", d.m, d.e).parse().unwrap_or(0.0)
}

/// sprig's execDecimalOp: exact decimal arithmetic, then float64.
fn decimal_op(first: &Value, rest: &[Value], op: char) -> f64 {
    let float = || {
        rest.iter()
            .map(to_float64)
            .fold(to_float64(first), |acc, x| match op {
                '+' => acc + x,
                '-' => acc - x,
                '*' => acc * x,
                _ => acc / x,
            })
    };
    let Some(mut acc) = to_dec(first) else {
        return float();
    };
    for x in rest {
        let Some(d) = to_dec(x) else { return float() };
        let next = match op {
            '+' | '-' => align(acc, d).and_then(|(a, b, e)| {
                let m = if op == '+' {
                    a.checked_add(b)
                } else {
                    a.checked_sub(b)
                }?;
                Some(Dec { m, e })
            }),
            '*' => acc.m.checked_mul(d.m).map(|m| Dec { m, e: acc.e + d.e }),
            _ => (|| {
                // Sixteen decimal places, as decimal.DivisionPrecision.
                let (a, b, _) = align(acc, d)?;
                let s = a.checked_mul(10i128.pow(16))?;
                let (q, r) = (s / b, s % b);
                let away = if (s < 0) != (b < 0) { -1 } else { 1 };
                let q = if r.abs().checked_mul(2)? >= b.abs() {
                    q + away
                } else {
                    q
                };
                Some(Dec { m: q, e: -16 })
            })(),
        };
        match next {
            Some(n) => acc = n,
            None => return float(),
        }
    }
    dec_f64(acc)
}
