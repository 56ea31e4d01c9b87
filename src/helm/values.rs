//! Values as Helm holds them: `map[string]interface{}` trees, here
//! [`serde_json::Value`] (maps sorted by key, as Go prints and ranges
//! them). Numbers keep Helm's types: a values file's numbers are float64
//! (sigs.k8s.io/yaml reads YAML through JSON), `--set` integers int64;
//! `serde_json::Number::is_f64` tells them apart.
//!
//! The merges are Helm's `pkg/chart/common/util/coalesce.go`, ported
//! with its quirks: maps merge, everything else replaces, and in
//! coalescing (not merging) a null removes the default.

use serde_json::{Map, Number, Value};

use crate::yaml::go_read::{GoValue, resolve_plain};
use crate::yaml::{Node, Origin, Value as Y, parse_documents_lenient};

use super::error::HelmError;

pub type Values = Map<String, Value>;

/// Reads a values file as Helm's `LoadValues`: every YAML document merged
/// in turn (maps deep, the rest replaced), numbers as float64, YAML 1.1
/// scalars (`yes`, `on`, `0755`) as go-yaml v2 reads them, merge keys
/// applied.
pub fn read_values(name: &str, text: &str) -> Result<Values, HelmError> {
    // A key repeated with the same value is read once (charts have them:
    // llm-d-modelservice v0.4.5's `resourceClaims`); Helm reads them too.
    let mut repeated = Vec::new();
    let docs = parse_documents_lenient(text, &Origin::file(name), &mut repeated).map_err(|d| {
        HelmError::Values {
            file: name.to_string(),
            message: format!("{}:{}: {}", d.span.line, d.span.col, d.message),
        }
    })?;
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Values::new();
    for doc in docs {
        match to_json(&doc, &lines, name)? {
            Value::Object(m) => out = merge_maps(out, m),
            Value::Null => {}
            other => {
                return Err(HelmError::Values {
                    file: name.to_string(),
                    message: format!(
                        "cannot unmarshal {} into the values map: a values file must be a map of keys",
                        json_type(&other)
                    ),
                });
            }
        }
    }
    Ok(out)
}

/// Helm's `MergeMaps` of two documents: b over a, maps deep.
pub fn merge_maps(mut a: Values, b: Values) -> Values {
    for (k, v) in b {
        match (a.get_mut(&k), v) {
            (Some(Value::Object(av)), Value::Object(bv)) => {
                let merged = merge_maps(std::mem::take(av), bv);
                *av = merged;
            }
            (_, v) => {
                a.insert(k, v);
            }
        }
    }
    a
}

/// A node as Go sees it after YAML -> JSON -> `interface{}`.
fn to_json(node: &Node, lines: &[&str], file: &str) -> Result<Value, HelmError> {
    Ok(match &node.value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Int(i) => float(*i as f64, node, file)?,
        Y::Float(f) => float(*f, node, file)?,
        Y::String(s) => {
            if is_plain(node, lines) {
                match resolve_plain(s) {
                    GoValue::Null => Value::Null,
                    GoValue::Bool(b) => Value::Bool(b),
                    GoValue::Int(i) => float(i as f64, node, file)?,
                    GoValue::Float(f) => float(f, node, file)?,
                    _ => Value::String(s.clone()),
                }
            } else {
                Value::String(s.clone())
            }
        }
        Y::Seq(items) => Value::Array(
            items
                .iter()
                .map(|n| to_json(n, lines, file))
                .collect::<Result<_, _>>()?,
        ),
        Y::Map(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match v.key_span.as_deref() {
                    Some(span) if plain_at(span.line, span.col, lines) => go_key(k),
                    _ => k.clone(),
                };
                out.insert(key, to_json(v, lines, file)?);
            }
            Value::Object(out)
        }
    })
}

/// A plain map key as sigs.k8s.io/yaml turns it into a JSON key: `off:` is
/// go-yaml v2's `false`, so the key is "false".
fn go_key(k: &str) -> String {
    go_scalar_text(k).unwrap_or_else(|| k.to_string())
}

/// The text Go gives a plain scalar that YAML 1.1 reads as no string;
/// `None` if it is a string.
pub fn go_scalar_text(s: &str) -> Option<String> {
    match resolve_plain(s) {
        GoValue::Null => Some("null".into()),
        GoValue::Bool(b) => Some(b.to_string()),
        GoValue::Int(i) => Some(i.to_string()),
        GoValue::Float(f) => Some(f.to_string()),
        _ => None,
    }
}

/// Whether a string node was written as a plain scalar (YAML 1.2 took it
/// as a string where YAML 1.1 may not): its first character is no quote
/// and no block indicator.
pub fn is_plain(node: &Node, lines: &[&str]) -> bool {
    plain_at(node.span.line, node.span.col, lines)
}

fn plain_at(line: u32, col: u32, lines: &[&str]) -> bool {
    let (l, c) = (line as usize, col as usize);
    if l == 0 || c == 0 {
        return false;
    }
    let first = lines.get(l - 1).and_then(|line| line.chars().nth(c - 1));
    !matches!(first, Some('"' | '\'' | '|' | '>' | '!' | '&' | '*') | None)
}

fn float(f: f64, node: &Node, file: &str) -> Result<Value, HelmError> {
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| HelmError::Values {
            file: file.to_string(),
            message: format!(
                "{}:{}: {f} cannot be written as JSON, which Helm reads values through",
                node.span.line, node.span.col
            ),
        })
}

pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// Go's `%v` of a value in a warning; enough for messages.
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 60 {
        format!("{}...", &s[..57])
    } else {
        s
    }
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// Helm's `coalesceTablesFullKey`: `src` (defaults) into `dst` (what wins).
/// With `merge`, nulls are kept; without, a null in `dst` removes the
/// default. Warnings (Helm logs them) go to `warn`.
pub fn coalesce_tables(
    dst: &mut Values,
    mut src: Values,
    prefix: &str,
    merge: bool,
    warn: &mut Vec<String>,
) {
    let src_non_nil: std::collections::BTreeSet<String> = src
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, _)| k.clone())
        .collect();
    for (k, v) in dst.iter() {
        if v.is_null() {
            src.insert(k.clone(), Value::Null);
        }
    }
    for (key, val) in src {
        let full = concat_prefix(prefix, &key);
        match dst.get_mut(&key) {
            Some(dv) if !merge && dv.is_null() && src_non_nil.contains(&key) => {
                dst.remove(&key);
            }
            None => {
                dst.insert(key, val);
            }
            Some(dv) => match (dv, val) {
                (Value::Object(d), Value::Object(s)) => coalesce_tables(d, s, &full, merge, warn),
                (dv, Value::Object(_)) => warn.push(format!(
                    "warning: cannot overwrite table with non table for {full} ({})",
                    short(dv)
                )),
                (Value::Object(_), val) if !val.is_null() => warn.push(format!(
                    "warning: destination for {full} is a table. Ignoring non-table value ({})",
                    short(&val)
                )),
                _ => {}
            },
        }
    }
}

/// Helm's `cleanNilValues`.
pub fn clean_nils(m: &mut Values) {
    m.retain(|_, v| !v.is_null());
    for v in m.values_mut() {
        if let Value::Object(sub) = v {
            clean_nils(sub);
        }
    }
}

/// Helm's `Values.Table`: the map at a dotted path.
pub fn table<'a>(v: &'a Values, path: &str) -> Option<&'a Values> {
    let mut cur = v;
    for part in path.split('.') {
        match cur.get(part) {
            Some(Value::Object(m)) => cur = m,
            _ => return None,
        }
    }
    Some(cur)
}

/// Helm's `Values.PathValue`: the value at a dotted path (the last key
/// must be present).
pub fn path_value<'a>(v: &'a Values, path: &str) -> Option<&'a Value> {
    let (head, last) = match path.rsplit_once('.') {
        Some((h, l)) => (Some(h), l),
        None => (None, path),
    };
    let t = match head {
        Some(h) => table(v, h)?,
        None => v,
    };
    t.get(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Values {
        match v {
            Value::Object(m) => m,
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn values_files_read_as_helm_reads_them() {
        let v = read_values(
            "v.yaml",
            "off: 1\n'on': 2\na: 2\nb: yes\nc: \"yes\"\nd: 0.80\ne: on\nf: 'on'\ng: 2000000\nbase: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n---\na: 3\nh: ~\n",
        )
        .unwrap();
        assert_eq!(
            Value::Object(v.clone()),
            json!({"false": 1.0, "on": 2.0, "a": 3.0, "b": true, "c": "yes", "d": 0.8, "e": true, "f": "on",
                   "g": 2000000.0, "base": {"x": 1.0}, "m": {"x": 1.0, "true": 2.0}, "h": null})
        );
        // `y:` is go-yaml v2's `true` (Helm gave the same in tests/helm/family.frame.json).
        assert!(v["a"].is_f64(), "values-file numbers are float64");
        let e = read_values("l.yaml", "- a\n").unwrap_err();
        assert!(e.to_string().starts_with("l.yaml:"), "{e}");
        let e = read_values("bad.yaml", "a: [\n").unwrap_err();
        assert!(e.to_string().starts_with("bad.yaml:"), "{e}");
    }

    #[test]
    fn coalesce_tables_table() {
        // (dst, src, merge, expected)
        let cases = [
            (
                json!({"a": 1}),
                json!({"a": 2, "b": 3}),
                false,
                json!({"a": 1, "b": 3}),
            ),
            (json!({"a": null}), json!({"a": 2}), false, json!({})),
            (
                json!({"a": null}),
                json!({"a": 2}),
                true,
                json!({"a": null}),
            ),
            (json!({"a": null}), json!({}), false, json!({"a": null})),
            (
                json!({"a": {"x": 1}}),
                json!({"a": {"y": 2}}),
                false,
                json!({"a": {"x": 1, "y": 2}}),
            ),
            (
                json!({"a": 1}),
                json!({"a": {"y": 2}}),
                false,
                json!({"a": 1}),
            ),
            (
                json!({"a": {"x": 1}}),
                json!({"a": 5}),
                false,
                json!({"a": {"x": 1}}),
            ),
            (
                json!({"a": [1]}),
                json!({"a": [2, 3]}),
                false,
                json!({"a": [1]}),
            ),
        ];
        for (dst, src, merge, want) in cases {
            let mut d = obj(dst.clone());
            let mut w = Vec::new();
            coalesce_tables(&mut d, obj(src.clone()), "", merge, &mut w);
            assert_eq!(Value::Object(d), want, "dst {dst} src {src} merge {merge}");
        }
    }

    #[test]
    fn paths() {
        let v = obj(json!({"a": {"b": {"c": true}}, "s": 1}));
        assert_eq!(path_value(&v, "a.b.c"), Some(&json!(true)));
        assert_eq!(path_value(&v, "s"), Some(&json!(1)));
        assert_eq!(path_value(&v, "a.x.c"), None);
        assert!(table(&v, "a.b").is_some());
        assert!(table(&v, "s").is_none());
    }
}
