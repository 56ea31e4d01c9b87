//! YAML text to [`Node`] trees, with positions and hard limits.
//!
//! Built on saphyr-parser's event stream so that we own the limits: alias
//! expansion is budgeted (no "billion laughs"), nesting depth is capped,
//! duplicate keys are errors (as in `kubectl --validate=strict`), and scalars
//! resolve with the YAML 1.2 core schema.

use std::collections::HashMap;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::node::{Mapping, Node, Value};
use crate::error::{Diagnostic, Span, Stage};

/// Deepest nesting accepted; Kubernetes objects stay well below it.
pub const MAX_DEPTH: usize = 64;
/// Most nodes that alias expansion may add to one input.
pub const MAX_ALIAS_NODES: usize = 10_000;

/// Where a piece of text sits in its file, so that positions in text cut
/// out of a file (a BaseConfig data value) point at the file's own lines.
#[derive(Clone, Debug)]
pub struct Origin {
    pub file: Arc<str>,
    /// Added to every line (0 for a whole file).
    pub line_offset: u32,
    /// Added to every column (the block scalar's indentation).
    pub col_offset: u32,
}

impl Origin {
    pub fn file(name: impl Into<Arc<str>>) -> Self {
        Origin {
            file: name.into(),
            line_offset: 0,
            col_offset: 0,
        }
    }

    fn span(&self, line: usize, col: usize) -> Span {
        Span::new(
            self.file.clone(),
            line as u32 + self.line_offset,
            col as u32 + 1 + self.col_offset,
        )
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        span: Span,
        anchor: usize,
    },
    Map {
        map: Mapping,
        /// The key waiting for its value; `true` for a merge key `<<`.
        key: Option<(String, Span, bool)>,
        /// `<<` values in order, each with the number of entries before it
        /// (where its keys go).
        merges: Vec<(usize, Node)>,
        span: Span,
        anchor: usize,
    },
}

struct Anchored {
    node: Node,
    size: usize,
}

/// Parses every document of `text`. Empty documents come back as null nodes.
/// Every duplicate key is an error.
pub fn parse_documents(text: &str, origin: &Origin) -> Result<Vec<Node>, Diagnostic> {
    parse_impl(text, origin, None)
}

/// Like [`parse_documents`], but a key repeated with the *same* value (a
/// slip found in real BaseConfigs) is kept once and reported in `warnings`;
/// a key repeated with another value is still an error.
pub fn parse_documents_lenient(
    text: &str,
    origin: &Origin,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Node>, Diagnostic> {
    parse_impl(text, origin, Some(warnings))
}

fn parse_impl(
    text: &str,
    origin: &Origin,
    mut warnings: Option<&mut Vec<Diagnostic>>,
) -> Result<Vec<Node>, Diagnostic> {
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Anchored> = HashMap::new();
    let mut alias_nodes = 0usize;
    let mut current: Option<Node> = None;
    // Whether the last node finished was an untagged plain scalar: only
    // such a `<<` is a merge key (a quoted "<<" is a string).
    let mut plain = false;

    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let m = e.marker();
            // The parser's own guard against deep flow nesting: the same
            // limit as ours, in the same words.
            if e.info().contains("recursion limit") {
                return too_deep(origin.span(m.line(), m.col()));
            }
            Diagnostic::new(
                Stage::Parse,
                origin.span(m.line(), m.col()),
                yaml_message(e.info()),
            )
            .with_help(if e.info().contains("tab") {
                "indent with spaces; YAML does not allow tabs for indentation"
            } else {
                "expected valid YAML: check the indentation, brackets and quotes around this point"
            })
        })?;
        let here = origin.span(span.start.line(), span.start.col());
        let finished: Option<(Node, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                current = None;
                None
            }
            Event::DocumentEnd => {
                docs.push(
                    current
                        .take()
                        .unwrap_or_else(|| Node::new(Value::Null, here)),
                );
                anchors.clear();
                None
            }
            Event::Alias(id) => {
                let Some(a) = anchors.get(&id) else {
                    return Err(Diagnostic::new(
                        Stage::Parse,
                        here,
                        "alias refers to an unknown anchor",
                    ));
                };
                alias_nodes += a.size;
                if alias_nodes > MAX_ALIAS_NODES {
                    return Err(Diagnostic::new(
                        Stage::Parse,
                        here,
                        format!("YAML aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                    )
                    .with_help("write the values out instead of repeating anchors (is this a \"billion laughs\" document?)"));
                }
                let mut node = a.node.clone();
                node.span = here;
                plain = false;
                Some((node, 0))
            }
            Event::Scalar(text, style, anchor, tag) => {
                plain = style == ScalarStyle::Plain && tag.is_none();
                let node = Node::new(
                    resolve_scalar(text.as_ref(), style, tag.as_deref(), &here)?,
                    here,
                );
                Some((node, anchor))
            }
            Event::SequenceStart(anchor, tag) => {
                check_collection_tag(tag.as_deref(), "seq", &here)?;
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep(here));
                }
                stack.push(Frame::Seq {
                    items: Vec::new(),
                    span: here,
                    anchor,
                });
                None
            }
            Event::MappingStart(anchor, tag) => {
                check_collection_tag(tag.as_deref(), "map", &here)?;
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep(here));
                }
                stack.push(Frame::Map {
                    map: Mapping::new(),
                    key: None,
                    merges: Vec::new(),
                    span: here,
                    anchor,
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq {
                    items,
                    span,
                    anchor,
                }) => {
                    plain = false;
                    Some((Node::new(Value::Seq(items), span), anchor))
                }
                _ => {
                    return Err(Diagnostic::new(
                        Stage::Parse,
                        here,
                        "unbalanced YAML sequence",
                    ));
                }
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    map,
                    merges,
                    span,
                    anchor,
                    ..
                }) => {
                    plain = false;
                    Some((
                        Node::new(Value::Map(with_merges(map, merges)), span),
                        anchor,
                    ))
                }
                _ => {
                    return Err(Diagnostic::new(
                        Stage::Parse,
                        here,
                        "unbalanced YAML mapping",
                    ));
                }
            },
        };

        let Some((node, anchor)) = finished else {
            continue;
        };
        if anchor != 0 {
            let size = count_nodes(&node);
            anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    size,
                },
            );
        }
        match stack.last_mut() {
            None => current = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                map, key, merges, ..
            }) => match key.take() {
                None if plain && node.value == Value::String("<<".into()) => {
                    *key = Some(("<<".into(), node.span, true));
                }
                Some((_, key_span, true)) => {
                    merge_sources(node, &key_span, map.len(), merges)?;
                }
                None => {
                    let k = match &node.value {
                        Value::String(s) => s.clone(),
                        Value::Map(_) | Value::Seq(_) => {
                            return Err(Diagnostic::new(
                                Stage::Parse,
                                node.span,
                                "a mapping key must be a scalar",
                            ));
                        }
                        _ => node.scalar_text().unwrap_or_default(),
                    };
                    if map.contains_key(&k) {
                        if warnings.is_some() {
                            // Decided when the value arrives.
                            *key = Some((k, node.span, false));
                            continue;
                        }
                        return Err(Diagnostic::new(
                            Stage::Parse,
                            node.span,
                            format!("duplicate key `{k}`"),
                        )
                        .with_help("each key may appear once in a mapping; remove one of them"));
                    }
                    *key = Some((k, node.span, false));
                }
                Some((k, key_span, false)) => {
                    let mut node = node;
                    if let Some(first) = map.get(&k) {
                        if *first != node {
                            return Err(Diagnostic::new(
                                Stage::Parse,
                                key_span,
                                format!("duplicate key `{k}` with a different value"),
                            )
                            .with_help(
                                "each key may appear once in a mapping; remove one of them",
                            ));
                        }
                        if let Some(w) = warnings.as_deref_mut() {
                            w.push(
                                Diagnostic::new(
                                    Stage::Parse,
                                    key_span,
                                    format!("duplicate key `{k}` (same value)"),
                                )
                                .with_help("remove one of them"),
                            );
                        }
                        continue;
                    }
                    // Point at the key: errors about a nested map or list read
                    // best on the line that names it.
                    if matches!(node.value, Value::Map(_) | Value::Seq(_)) {
                        node.span = key_span.clone();
                    }
                    node.key_span = Some(Box::new(key_span));
                    map.insert(k, node);
                }
            },
        }
    }
    Ok(docs)
}

/// Takes the value of a merge key `<<`: a mapping, or a list of mappings
/// (earlier ones win), as go-yaml (kubectl, Helm, kustomize) reads it.
fn merge_sources(
    value: Node,
    key_span: &Span,
    at: usize,
    merges: &mut Vec<(usize, Node)>,
) -> Result<(), Diagnostic> {
    let refuse = || {
        Diagnostic::new(
            Stage::Parse,
            key_span.clone(),
            "a merge key `<<` takes a mapping or a list of mappings",
        )
        .with_help("merge an anchored mapping (`<<: *defaults`) or a list of them (`<<: [*a, *b]`); quote the key (`\"<<\"`) to mean the text")
    };
    match value.value {
        Value::Map(_) => merges.push((at, value)),
        Value::Seq(items) => {
            for item in items {
                if !matches!(item.value, Value::Map(_)) {
                    return Err(refuse());
                }
                merges.push((at, item));
            }
        }
        _ => return Err(refuse()),
    }
    Ok(())
}

/// `map` with the keys of its `<<` sources that it does not set itself,
/// each where its `<<` stood; among sources, the earlier one wins.
fn with_merges(map: Mapping, merges: Vec<(usize, Node)>) -> Mapping {
    if merges.is_empty() {
        return map;
    }
    let own: std::collections::HashSet<String> = map.keys().cloned().collect();
    let mut out = Mapping::with_capacity(map.len());
    let add = |out: &mut Mapping, source: Node| {
        if let Value::Map(source) = source.value {
            for (k, v) in source {
                if !own.contains(&k) && !out.contains_key(&k) {
                    out.insert(k, v);
                }
            }
        }
    };
    let mut merges = merges.into_iter().peekable();
    for (i, (k, v)) in map.into_iter().enumerate() {
        while let Some((_, source)) = merges.next_if(|(at, _)| *at <= i) {
            add(&mut out, source);
        }
        out.insert(k, v);
    }
    for (_, source) in merges {
        add(&mut out, source);
    }
    out
}

/// Parses text that must hold exactly one document.
pub fn parse_one(text: &str, origin: &Origin) -> Result<Node, Diagnostic> {
    one_document(parse_documents(text, origin)?, origin)
}

/// [`parse_one`] with [`parse_documents_lenient`]'s duplicate keys.
pub fn parse_one_lenient(
    text: &str,
    origin: &Origin,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Node, Diagnostic> {
    one_document(parse_documents_lenient(text, origin, warnings)?, origin)
}

fn one_document(mut docs: Vec<Node>, origin: &Origin) -> Result<Node, Diagnostic> {
    match docs.len() {
        0 => Ok(Node::new(Value::Null, origin.span(1, 0))),
        1 => Ok(docs.remove(0)),
        n => Err(Diagnostic::new(
            Stage::Parse,
            docs[1].span.clone(),
            format!("expected one YAML document, found {n}"),
        )
        .with_help("remove the `---` separator")),
    }
}

fn too_deep(span: Span) -> Diagnostic {
    Diagnostic::new(
        Stage::Parse,
        span,
        format!("YAML nested deeper than {MAX_DEPTH} levels"),
    )
    .with_help("expected a Kubernetes object, which nests far less; is a bracket left open?")
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(s) => s.iter().map(count_nodes).sum(),
        Value::Map(m) => m.values().map(count_nodes).sum(),
        _ => 0,
    }
}

fn yaml_message(info: &str) -> String {
    format!("invalid YAML: {}", info.trim())
}

fn check_collection_tag(tag: Option<&Tag>, want: &str, span: &Span) -> Result<(), Diagnostic> {
    match tag {
        None => Ok(()),
        Some(t) if t.is_yaml_core_schema() && t.suffix == want => Ok(()),
        Some(t) => Err(unsupported_tag(t, span)),
    }
}

fn unsupported_tag(tag: &Tag, span: &Span) -> Diagnostic {
    Diagnostic::new(
        Stage::Parse,
        span.clone(),
        format!("unsupported YAML tag `{tag}`"),
    )
    .with_help("use plain values; Kubernetes objects need no custom tags")
}

fn resolve_scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    span: &Span,
) -> Result<Value, Diagnostic> {
    if let Some(tag) = tag {
        if !tag.is_yaml_core_schema() {
            return Err(unsupported_tag(tag, span));
        }
        let bad = |what: &str| {
            Diagnostic::new(
                Stage::Parse,
                span.clone(),
                format!("`{text}` is not a valid {what} for tag `{tag}`"),
            )
        };
        return match tag.suffix.as_str() {
            "str" => Ok(Value::String(text.to_string())),
            "int" => plain_scalar(text)
                .filter(|v| matches!(v, Value::Int(_)))
                .ok_or_else(|| bad("integer")),
            "float" => match plain_scalar(text) {
                Some(Value::Int(i)) => Ok(Value::Float(i as f64)),
                Some(v @ Value::Float(_)) => Ok(v),
                _ => Err(bad("float")),
            },
            "bool" => plain_scalar(text)
                .filter(|v| matches!(v, Value::Bool(_)))
                .ok_or_else(|| bad("boolean")),
            "null" => Ok(Value::Null),
            _ => Err(unsupported_tag(tag, span)),
        };
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(text.to_string()));
    }
    Ok(plain_scalar(text).unwrap_or_else(|| Value::String(text.to_string())))
}

/// YAML 1.2 core schema resolution of a plain scalar; `None` means string.
pub fn plain_scalar(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Some(Value::Float(f64::INFINITY));
        }
        "-.inf" | "-.Inf" | "-.INF" => return Some(Value::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Some(Value::Float(f64::NAN)),
        _ => {}
    }
    let bytes = text.as_bytes();
    let (sign, digits) = match bytes[0] {
        b'-' | b'+' => (&text[..1], &text[1..]),
        _ => ("", text),
    };
    if let Some(hex) = digits.strip_prefix("0x") {
        if sign.is_empty() && !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return i64::from_str_radix(hex, 16).ok().map(Value::Int);
        }
        return None;
    }
    if let Some(oct) = digits.strip_prefix("0o") {
        if sign.is_empty() && !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return i64::from_str_radix(oct, 8).ok().map(Value::Int);
        }
        return None;
    }
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<i64>() {
            Ok(i) => Some(Value::Int(i)),
            Err(_) => text.parse::<f64>().ok().map(Value::Float),
        };
    }
    if is_core_float(digits) {
        return text.parse::<f64>().ok().map(Value::Float);
    }
    None
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        parse_one(text, &Origin::file("t.yaml")).unwrap()
    }

    #[test]
    fn resolves_core_schema_scalars() {
        let n = one("a: 1\nb: \"1\"\nc: true\nd: yes\ne: 0.85\nf: ~\ng: 1e3\nh: 0x1F\ni: 1.2.3\n");
        assert_eq!(n.get("a").unwrap().value, Value::Int(1));
        assert_eq!(n.get("b").unwrap().value, Value::String("1".into()));
        assert_eq!(n.get("c").unwrap().value, Value::Bool(true));
        assert_eq!(n.get("d").unwrap().value, Value::String("yes".into()));
        assert_eq!(n.get("e").unwrap().value, Value::Float(0.85));
        assert_eq!(n.get("f").unwrap().value, Value::Null);
        assert_eq!(n.get("g").unwrap().value, Value::Float(1000.0));
        assert_eq!(n.get("h").unwrap().value, Value::Int(31));
        assert_eq!(n.get("i").unwrap().value, Value::String("1.2.3".into()));
    }

    #[test]
    fn positions_are_one_based() {
        let n = one("a:\n  b: 1\n");
        let b = n.get_path(&["a", "b"]).unwrap();
        assert_eq!((b.span.line, b.span.col), (2, 6));
    }

    #[test]
    fn offsets_apply() {
        let origin = Origin {
            file: "f".into(),
            line_offset: 10,
            col_offset: 4,
        };
        let n = parse_one("x: 1\n", &origin).unwrap();
        let x = n.get("x").unwrap();
        assert_eq!((x.span.line, x.span.col), (11, 8));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = parse_one("a: 1\na: 2\n", &Origin::file("t")).unwrap_err();
        assert!(e.message.contains("duplicate key `a`"), "{e}");
        assert_eq!(e.span.line, 2);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse_one(&text, &Origin::file("t")).unwrap_err();
        assert!(e.message.contains("aliases expand"), "{e}");
    }

    #[test]
    fn identical_duplicates_can_be_warnings() {
        let mut w = Vec::new();
        let n = parse_one_lenient("a: 1\nb: 2\na: 1\n", &Origin::file("t"), &mut w).unwrap();
        assert_eq!(n.as_map().unwrap().len(), 2);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].span.line, 3);
        let e = parse_one_lenient("a: 1\na: 2\n", &Origin::file("t"), &mut w).unwrap_err();
        assert!(e.message.contains("different value"), "{e}");
    }

    #[test]
    fn small_aliases_work() {
        let n = one("a: &x {k: v}\nb: *x\n");
        assert_eq!(n.get("a"), n.get("b"));
    }

    /// Merge keys as go-yaml applies them: explicit keys win, earlier
    /// sources win over later ones, merged keys stand where `<<` stood.
    #[test]
    fn merge_keys_follow_go_yaml() {
        let n = one("base: &b {replicas: 3, image: a, port: 1}\n\
             other: &o {image: b, extra: x}\n\
             one:\n  name: d\n  <<: *b\n  image: mine\n\
             list:\n  <<: [*o, *b]\n\
             inline:\n  <<: {k: v}\n");
        let keys = |p: &str| -> Vec<String> {
            match &n.get(p).unwrap().value {
                Value::Map(m) => m.keys().cloned().collect(),
                _ => panic!(),
            }
        };
        assert_eq!(keys("one"), ["name", "replicas", "port", "image"]);
        let one_ = n.get("one").unwrap();
        assert_eq!(
            one_.get("image").unwrap().value,
            Value::String("mine".into())
        );
        assert_eq!(one_.get("replicas").unwrap().value, Value::Int(3));
        // The merged value keeps the position of the text it came from.
        assert_eq!(one_.get("replicas").unwrap().span.line, 1);
        let list = n.get("list").unwrap();
        assert_eq!(list.get("image").unwrap().value, Value::String("b".into()));
        assert_eq!(keys("list"), ["image", "extra", "replicas", "port"]);
        assert_eq!(
            n.get("inline").unwrap().get("k").unwrap().value,
            Value::String("v".into())
        );
    }

    #[test]
    fn a_quoted_merge_key_is_text() {
        let n = one("a:\n  \"<<\": {k: v}\n");
        assert!(n.get("a").unwrap().get("<<").is_some());
    }

    #[test]
    fn merging_a_non_mapping_is_an_error_at_its_line() {
        for text in [
            "a:\n  <<: 3\n",
            "x: &s [1]\na:\n  <<: *s\n",
            "a:\n  <<: [{k: v}, 3]\n",
        ] {
            let e = parse_one(text, &Origin::file("t")).unwrap_err();
            assert!(
                e.to_string()
                    .contains("a merge key `<<` takes a mapping or a list of mappings"),
                "{e}"
            );
            let want = text.lines().position(|l| l.contains("<<")).unwrap() + 1;
            assert_eq!(e.span.line as usize, want, "{text}: {e}");
        }
    }

    #[test]
    fn merged_aliases_count_against_the_budget() {
        let keys: String = (0..3000).map(|i| format!("k{i}: {i}, ")).collect();
        let text = format!("big: &b {{{keys}}}\nm:\n  <<: [*b, *b, *b, *b]\n");
        let e = parse_one(&text, &Origin::file("t")).unwrap_err();
        assert!(e.to_string().contains("aliases expand to more than"), "{e}");
        assert!(parse_one(&text.replace(", *b, *b, *b", ""), &Origin::file("t")).is_ok());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(200) + &"]".repeat(200);
        let e = parse_one(&text, &Origin::file("t")).unwrap_err();
        assert!(e.message.contains("nested deeper"), "{e}");
    }

    #[test]
    fn tabs_are_errors_with_position() {
        let e = parse_one("a:\n\tb: 1\n", &Origin::file("t")).unwrap_err();
        assert_eq!(e.span.line, 2, "{e}");
    }
}
