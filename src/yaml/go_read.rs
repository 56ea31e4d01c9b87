//! What Go's YAML reader makes of a text: go-yaml v2 (`gopkg.in/yaml.v2`,
//! under `sigs.k8s.io/yaml`, so kubectl, Helm, kustomize and Argo CD),
//! which reads YAML 1.1. It is an oracle for the printer: whatever msvc
//! prints must read back, through Go's eyes, as the tree it printed.
//!
//! Structure comes from the YAML 1.2 event parser, which agrees with go-yaml
//! on the block and flow forms the printer writes. What YAML 1.1 reads
//! otherwise is modelled here:
//! * plain scalars resolve by go-yaml v2's table (`resolve.go`): `yes`,
//!   `on`, `y` are booleans, `0o17`, `017`, `0x1F`, `0b101`, `1_000` are
//!   integers, `08` and `1e3` floats, `.inf`/`.nan` floats, dates
//!   timestamps;
//! * NEL, LS and PS (U+0085, U+2028, U+2029) are line breaks in YAML 1.1
//!   but not in 1.2, so a scalar holding one unescaped reads otherwise in
//!   Go: such a scalar is reported as [`GoValue::Broken`].

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::node::{Node, Value};

/// A value as go-yaml v2 decodes it into `interface{}`.
#[derive(Clone, Debug, PartialEq)]
pub enum GoValue {
    Null,
    Bool(bool),
    /// `int`, `int64` or `uint64`.
    Int(i128),
    Float(f64),
    String(String),
    /// A plain scalar go-yaml reads as a `time.Time` with a `!!timestamp`
    /// tag (into `interface{}` v2 keeps the text, v3 does not).
    Timestamp(String),
    Seq(Vec<GoValue>),
    /// Keys in document order.
    Map(Vec<(GoValue, GoValue)>),
    /// A scalar holding a YAML 1.1 line break, which Go does not read as
    /// the text it holds.
    Broken(String),
}

/// Reads every document of `text` as go-yaml would. `Err` is a text the
/// parser refuses.
pub fn read(text: &str) -> Result<Vec<GoValue>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut docs = Vec::new();
    let mut stack: Vec<(GoValue, Option<GoValue>)> = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| e.to_string())?;
        let node = match event {
            Event::Scalar(value, style, _, tag) => {
                let raw: String = chars
                    .get(span.start.index()..span.end.index())
                    .map(|c| c.iter().collect())
                    .unwrap_or_default();
                let raw_break = raw.contains(['\u{85}', '\u{2028}', '\u{2029}']);
                let value = value.into_owned();
                if raw_break {
                    GoValue::Broken(value)
                } else if style == ScalarStyle::Plain && tag.is_none() {
                    resolve_plain(&value)
                } else {
                    GoValue::String(value)
                }
            }
            Event::SequenceStart(..) => {
                stack.push((GoValue::Seq(Vec::new()), None));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push((GoValue::Map(Vec::new()), None));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some((node, _)) => node,
                None => return Err("unbalanced collection".into()),
            },
            Event::Alias(_) => return Err("aliases are not modelled".into()),
            _ => continue,
        };
        match stack.last_mut() {
            None => docs.push(node),
            Some((GoValue::Seq(items), _)) => items.push(node),
            Some((GoValue::Map(entries), key)) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
            Some(_) => return Err("a scalar cannot hold children".into()),
        }
    }
    Ok(docs)
}

/// Whether Go reading `go` gets the tree `node`: strings stay strings
/// (keys too), numbers keep their type and value, NaN is NaN.
pub fn reads_as(node: &Node, go: &GoValue) -> bool {
    match (&node.value, go) {
        (Value::Null, GoValue::Null) => true,
        (Value::Bool(a), GoValue::Bool(b)) => a == b,
        (Value::Int(a), GoValue::Int(b)) => i128::from(*a) == *b,
        (Value::Float(a), GoValue::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
        (Value::String(a), GoValue::String(b)) => a == b,
        (Value::Seq(a), GoValue::Seq(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| reads_as(x, y))
        }
        (Value::Map(a), GoValue::Map(b)) => {
            a.len() == b.len()
                && a.iter().zip(b).all(|((ka, va), (kb, vb))| {
                    matches!(kb, GoValue::String(k) if k == ka) && reads_as(va, vb)
                })
        }
        _ => false,
    }
}

/// go-yaml v2's resolution of an untagged plain scalar.
pub fn resolve_plain(s: &str) -> GoValue {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return GoValue::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return GoValue::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return GoValue::Bool(false);
        }
        ".nan" | ".NaN" | ".NAN" => return GoValue::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return GoValue::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return GoValue::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match s.as_bytes()[0] {
        // Not in the table above: maybe a float such as `.5`.
        b'.' => match go_parse_float(s) {
            Some(f) => GoValue::Float(f),
            None => GoValue::String(s.into()),
        },
        b'+' | b'-' | b'0'..=b'9' => {
            if is_timestamp(s) {
                return GoValue::Timestamp(s.into());
            }
            let plain = s.replace('_', "");
            if let Some(i) = go_parse_int(&plain) {
                return GoValue::Int(i);
            }
            if is_yaml_style_float(&plain)
                && let Some(f) = go_parse_float(&plain)
            {
                return GoValue::Float(f);
            }
            for (prefix, sign) in [("0b", 1), ("-0b", -1)] {
                if let Some(digits) = plain.strip_prefix(prefix)
                    && let Ok(i) = i64::from_str_radix(digits, 2)
                    && !digits.starts_with(['+', '-'])
                {
                    return GoValue::Int(i128::from(i) * sign);
                }
            }
            GoValue::String(s.into())
        }
        _ => GoValue::String(s.into()),
    }
}

/// `strconv.ParseInt(s, 0, 64)`, then `ParseUint(s, 0, 64)`: an optional
/// sign (ParseInt only), then `0x`/`0o`/`0b`/`0` prefixes, no underscores
/// left (the caller removed them).
fn go_parse_int(s: &str) -> Option<i128> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let signed = body.len() != s.len();
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    if neg {
        (magnitude <= 1u128 << 63).then(|| -(magnitude as i128))
    } else if magnitude <= i64::MAX as u128 {
        Some(magnitude as i128)
    } else if !signed && magnitude <= u128::from(u64::MAX) {
        // ParseUint takes no sign.
        Some(magnitude as i128)
    } else {
        None
    }
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `strconv.ParseFloat(s, 64)` for the decimal forms go-yaml hands it (an
/// overflow is an error in Go, as it is here).
fn go_parse_float(s: &str) -> Option<f64> {
    let ok = s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    let f: f64 = if ok { s.parse().ok()? } else { return None };
    f.is_finite().then_some(f)
}

/// go-yaml's timestamp forms: `2006-1-2`, then optionally `T` or `t` or
/// spaces and `15:4:5` with fraction and zone.
fn is_timestamp(s: &str) -> bool {
    let date_end = s.find(['T', 't', ' ']).unwrap_or(s.len());
    let date: Vec<&str> = s[..date_end].split('-').collect();
    let n = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if date.len() != 3 || !n(date[0], 4, 4) || !n(date[1], 1, 2) || !n(date[2], 1, 2) {
        return false;
    }
    if date_end == s.len() {
        return true;
    }
    let rest = s[date_end..].trim_start_matches([' ', 'T', 't']);
    let time = rest.split(['Z', '+', '-', ' ']).next().unwrap_or("");
    let hms: Vec<&str> = time.split(':').collect();
    hms.len() == 3
        && n(hms[0], 1, 2)
        && n(hms[1], 1, 2)
        && n(hms[2].split('.').next().unwrap_or(""), 1, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// go-yaml v2's answers for scalars where YAML 1.1 and 1.2 part ways
    /// (checked against gopkg.in/yaml.v2 2.4.0, see scripts/go-yaml-resolve).
    #[test]
    fn plain_scalars_resolve_as_go_yaml_v2_does() {
        use GoValue::*;
        for (text, want) in [
            ("yes", Bool(true)),
            ("On", Bool(true)),
            ("y", Bool(true)),
            ("NO", Bool(false)),
            ("off", Bool(false)),
            ("~", Null),
            ("017", Int(15)),
            ("0o17", Int(15)),
            ("0x1F", Int(31)),
            ("0b101", Int(5)),
            ("-0b101", Int(-5)),
            ("1_000", Int(1000)),
            ("+12", Int(12)),
            ("18446744073709551615", Int(18446744073709551615)),
            ("08", Float(8.0)),
            ("1e3", Float(1000.0)),
            (".5", Float(0.5)),
            ("+.5", Float(0.5)),
            ("1.", Float(1.0)),
            ("2001-12-14", Timestamp("2001-12-14".into())),
            (
                "2001-12-14t21:59:43.10-05:00",
                Timestamp("2001-12-14t21:59:43.10-05:00".into()),
            ),
            ("12:30", String("12:30".into())),
            ("1_2_", Int(12)),
            ("0x", String("0x".into())),
            ("Yes please", String("Yes please".into())),
            ("1.2.3", String("1.2.3".into())),
        ] {
            assert_eq!(resolve_plain(text), want, "{text}");
        }
    }

    #[test]
    fn yaml_1_1_line_breaks_break_a_scalar() {
        let docs = read("a: \"x\u{2028}y\"\nb: |\n  p\u{85}q\n").unwrap();
        let GoValue::Map(m) = &docs[0] else { panic!() };
        assert!(matches!(m[0].1, GoValue::Broken(_)));
        assert!(matches!(m[1].1, GoValue::Broken(_)));
        let escaped = read("a: \"x\\Ly\"\n").unwrap();
        let GoValue::Map(m) = &escaped[0] else {
            panic!()
        };
        assert_eq!(m[0].1, GoValue::String("x\u{2028}y".into()));
    }
}
