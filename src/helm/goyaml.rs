//! `toYaml` as Helm prints it: sigs.k8s.io/yaml's `Marshal` (JSON, then
//! go-yaml v2's emitter): keys sorted, lists at their key's indent, whole
//! numbers as integers, and go-yaml's choice of scalar style (plain where
//! libyaml allows it, else single-quoted, else double-quoted; text with
//! newlines as a literal block). Not modelled: go-yaml's folding of plain
//! text with spaces past 80 columns.

use crate::gotemplate::Value;
use crate::gotemplate::fmt::float_g;
use crate::yaml::go_read::{GoValue, resolve_plain};

/// The document, without the final newline (Helm trims it).
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Map(m, _) if !m.borrow().is_empty() => map(&mut out, v, 0),
        Value::List(l, _) if !l.is_empty() => list(&mut out, v, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out.strip_suffix('\n').unwrap_or(&out).to_string()
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn map(out: &mut String, v: &Value, indent: usize) {
    let entries: Vec<(String, Value)> = match v {
        Value::Map(m, _) => m
            .borrow()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        Value::Record(r) => r.fields.clone(),
        _ => Vec::new(),
    };
    let mut first = true;
    for (k, val) in entries {
        if !first || !out.ends_with("- ") {
            pad(out, indent);
        }
        first = false;
        out.push_str(&string(&k, indent));
        out.push(':');
        value_after_key(out, &val, indent);
    }
}

fn value_after_key(out: &mut String, val: &Value, indent: usize) {
    match val {
        Value::Map(m, _) if !m.borrow().is_empty() => {
            out.push('\n');
            map(out, val, indent + 2);
        }
        Value::Record(r) if !r.fields.is_empty() => {
            out.push('\n');
            map(out, val, indent + 2);
        }
        Value::List(l, _) if !l.is_empty() => {
            out.push('\n');
            list(out, val, indent);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, indent));
            out.push('\n');
        }
    }
}

fn list(out: &mut String, v: &Value, indent: usize) {
    let Value::List(items, _) = v else { return };
    for item in items.iter() {
        pad(out, indent);
        out.push_str("- ");
        match item {
            Value::Map(m, _) if !m.borrow().is_empty() => map(out, item, indent + 2),
            Value::List(l, _) if !l.is_empty() => {
                // go-yaml writes a nested list's first item on the dash line.
                let mut inner = String::new();
                list(&mut inner, item, indent + 2);
                out.push_str(inner.trim_start());
            }
            other => {
                out.push_str(&scalar(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn scalar(v: &Value, indent: usize) -> String {
    match v {
        Value::Missing | Value::Nil => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i, _) => i.to_string(),
        // Through JSON, a whole float reads back as an integer.
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e21 => format!("{}", *f as i64),
        Value::Float(f) => float_g(*f),
        Value::String(s) => string(s, indent),
        Value::Map(..) | Value::Record(_) => "{}".into(),
        Value::List(..) => "[]".into(),
    }
}

/// libyaml's analysis of a scalar for block context.
fn string(s: &str, indent: usize) -> String {
    // go-yaml quotes what would read back as another type.
    let resolves_other = !matches!(resolve_plain(s), GoValue::String(_)) || s.is_empty();
    if s.contains('\n') && !s.starts_with(' ') && literal_ok(s) {
        return literal(s, indent);
    }
    let special = s.chars().any(|c| {
        (c.is_control() && c != '\n') || c == '\u{feff}' || !(c.is_ascii() || is_printable(c))
    });
    if special || s.contains('\n') {
        return double(s);
    }
    if resolves_other || base60_float(s) {
        return double(s);
    }
    let leading_space = s.starts_with(' ');
    let trailing_space = s.ends_with(' ');
    if !leading_space && !trailing_space && plain_ok(s) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "''"))
}

/// YAML 1.1's sexagesimal floats (`1:20`), which go-yaml v2 quotes.
fn base60_float(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (head, rest) = match t.split_once(':') {
        Some(x) => x,
        None => return false,
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if !digits(head) || !head.as_bytes()[0].is_ascii_digit() {
        return false;
    }
    let (parts, frac) = match rest.split_once('.') {
        Some((p, f)) => (p, Some(f)),
        None => (rest, None),
    };
    parts.split(':').all(|p| {
        !p.is_empty()
            && p.len() <= 2
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u8>().is_ok_and(|n| n < 60)
    }) && frac.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit() || b == b'_'))
}

fn is_printable(c: char) -> bool {
    !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
}

/// libyaml's block-plain rules: no indicator where it would start or end
/// a token.
fn plain_ok(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let first = chars[0];
    if "#,[]{}&*!|>'\"%@`".contains(first) {
        return false;
    }
    if matches!(first, '-' | '?' | ':') && chars.get(1).is_none_or(|c| *c == ' ') {
        return false;
    }
    for (i, c) in chars.iter().enumerate() {
        let next = chars.get(i + 1);
        if *c == ':' && next.is_none_or(|n| *n == ' ') {
            return false;
        }
        if *c == '#' && i > 0 && chars[i - 1] == ' ' {
            return false;
        }
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    true
}

/// A literal block keeps the text only if no line has trailing spaces
/// before a break (libyaml refuses those) and no line is indented past a
/// tab.
fn literal_ok(s: &str) -> bool {
    !s.split('\n')
        .any(|l| l.ends_with(' ') && !l.trim().is_empty())
}

fn literal(s: &str, indent: usize) -> String {
    let chomp = if !s.ends_with('\n') {
        "-"
    } else if s.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    let body = s.strip_suffix('\n').unwrap_or(s);
    let mut out = format!("|{chomp}\n");
    let lines: Vec<&str> = body.split('\n').collect();
    for (i, l) in lines.iter().enumerate() {
        if !l.is_empty() {
            pad(&mut out, indent + 2);
            out.push_str(l);
        }
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
    if chomp == "+" {
        out.push('\n');
    }
    out
}

fn double(s: &str) -> String {
    let mut out = String::new();
    crate::yaml::print::write_double_quoted(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helm::engine::to_value;
    use serde_json::json;

    #[test]
    fn as_go_yaml_prints() {
        // `N` and `n` are YAML 1.1 booleans to go-yaml v2, so quoted.
        let v = to_value(&json!({
            "env": [{"name": "UCX_TLS", "value": "cuda_ipc,cuda_copy,tcp"}, {"name": "N", "value": "5600"}],
            "args": ["--kv-transfer-config", "{\"kv_connector\":\"NixlConnector\"}", "a: b", "yes", "", " x", "it's", "1:20", "2001-12-14"],
            "nested": {"list": [[1, 2], {"a": 1, "b": [true]}], "empty": {}, "none": [], "n": null},
            "f": 0.8, "w": 2000000.0, "script": "line1\nline2\n", "nonl": "a\nb",
        }));
        let want = "\
args:
- --kv-transfer-config
- '{\"kv_connector\":\"NixlConnector\"}'
- 'a: b'
- \"yes\"
- \"\"
- ' x'
- it's
- \"1:20\"
- \"2001-12-14\"
env:
- name: UCX_TLS
  value: cuda_ipc,cuda_copy,tcp
- name: \"N\"
  value: \"5600\"
f: 0.8
nested:
  empty: {}
  list:
  - - 1
    - 2
  - a: 1
    b:
    - true
  \"n\": null
  none: []
nonl: |-
  a
  b
script: |
  line1
  line2
w: 2000000";
        assert_eq!(to_yaml(&v), want);
    }
}
