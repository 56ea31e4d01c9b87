//! Strict decoding helpers: read typed fields out of [`Node`] maps, reject
//! unknown fields with a "did you mean" hint, and say where and what was
//! expected (as `kubectl apply --validate=strict` does).

use crate::error::{Diagnostic, Stage};
use crate::yaml::{Mapping, Node, Value};

/// Joins a YAML path and a key: `spec.decode` + `replicas`.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub fn type_error(node: &Node, path: &str, expected: &str) -> Diagnostic {
    Diagnostic::new(
        Stage::Decode,
        node.span.clone(),
        format!("expected {expected}, found {}", node.type_name()),
    )
    .with_path(path)
}

/// The closest of `candidates` to `word`, if close enough to be a typo.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&word.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                *c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A map node whose keys must all be in `allowed`.
pub fn strict_map<'a>(
    node: &'a Node,
    path: &str,
    allowed: &[&str],
) -> Result<&'a Mapping, Diagnostic> {
    let map = node
        .as_map()
        .ok_or_else(|| type_error(node, path, "a map"))?;
    for (key, value) in map {
        if !allowed.contains(&key.as_str()) {
            let mut d = Diagnostic::new(
                Stage::Decode,
                value.field_span().clone(),
                format!("unknown field `{key}`"),
            )
            .with_path(join(path, key));
            d = match suggest(key, allowed) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!("expected one of: {}", allowed.join(", "))),
            };
            return Err(d);
        }
    }
    Ok(map)
}

/// A present, non-null value.
pub fn present<'a>(map: &'a Mapping, key: &str) -> Option<&'a Node> {
    map.get(key).filter(|n| !n.is_null())
}

pub fn opt_str(map: &Mapping, key: &str, path: &str) -> Result<Option<String>, Diagnostic> {
    match present(map, key) {
        None => Ok(None),
        Some(n) => n
            .as_str()
            .map(|s| Some(s.to_string()))
            .ok_or_else(|| type_error(n, &join(path, key), "a string")),
    }
}

pub fn req_str(map: &Mapping, key: &str, path: &str, parent: &Node) -> Result<String, Diagnostic> {
    match opt_str(map, key, path)? {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(Diagnostic::new(
            Stage::Decode,
            map.get(key)
                .map_or_else(|| parent.span.clone(), |n| n.span.clone()),
            format!("missing required field `{key}`"),
        )
        .with_path(join(path, key))
        .with_help("expected a non-empty string")),
    }
}

pub fn opt_bool(map: &Mapping, key: &str, path: &str) -> Result<Option<bool>, Diagnostic> {
    match present(map, key) {
        None => Ok(None),
        Some(n) => n
            .as_bool()
            .map(Some)
            .ok_or_else(|| type_error(n, &join(path, key), "true or false")),
    }
}

/// An integer in `min..=max`.
pub fn opt_int(
    map: &Mapping,
    key: &str,
    path: &str,
    min: i64,
    max: i64,
) -> Result<Option<i64>, Diagnostic> {
    let Some(n) = present(map, key) else {
        return Ok(None);
    };
    let full = join(path, key);
    let i = n
        .as_i64()
        .ok_or_else(|| type_error(n, &full, "an integer"))?;
    if i < min || i > max {
        let range = if max == i64::from(i32::MAX) {
            format!("an integer >= {min}")
        } else {
            format!("an integer from {min} to {max}")
        };
        return Err(Diagnostic::new(
            Stage::Decode,
            n.span.clone(),
            format!("{i} is out of range"),
        )
        .with_path(full)
        .with_help(format!("expected {range}")));
    }
    Ok(Some(i))
}

/// A list of strings. Numbers and booleans are refused (Kubernetes would
/// refuse them too), with a hint to quote them.
pub fn opt_str_list(map: &Mapping, key: &str, path: &str) -> Result<Option<Vec<Node>>, Diagnostic> {
    let Some(n) = present(map, key) else {
        return Ok(None);
    };
    let full = join(path, key);
    let items = n
        .as_seq()
        .ok_or_else(|| type_error(n, &full, "a list of strings"))?;
    for (i, item) in items.iter().enumerate() {
        if item.as_str().is_none() {
            let d = type_error(item, &format!("{full}[{i}]"), "a string");
            return Err(match &item.value {
                Value::Int(_) | Value::Float(_) | Value::Bool(_) => d.with_help(format!(
                    "quote it: \"{}\"",
                    item.scalar_text().unwrap_or_default()
                )),
                _ => d,
            });
        }
    }
    Ok(Some(items.clone()))
}

pub fn opt_seq<'a>(map: &'a Mapping, key: &str, path: &str) -> Result<&'a [Node], Diagnostic> {
    match present(map, key) {
        None => Ok(&[]),
        Some(n) => n
            .as_seq()
            .map(Vec::as_slice)
            .ok_or_else(|| type_error(n, &join(path, key), "a list")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(
            suggest("replica", &["replicas", "containers"]),
            Some("replicas")
        );
        assert_eq!(
            suggest("modelname", &["modelName", "ports"]),
            Some("modelName")
        );
        assert_eq!(suggest("zzz", &["replicas", "containers"]), None);
    }
}
