//! [`Node`] trees to YAML text: block style, two-space indentation, keys in
//! the tree's order, strings quoted whenever a YAML 1.1 or 1.2 reader could
//! take them for anything but a string. The same tree always gives the same
//! bytes.

use std::fmt::Write;

use super::node::{Node, Value};

/// One document, ending in a newline.
pub fn to_string(node: &Node) -> String {
    let mut out = String::new();
    write_document(&mut out, node);
    out
}

pub fn write_document(out: &mut String, node: &Node) {
    match &node.value {
        Value::Map(m) if !m.is_empty() => write_map(out, node, 0),
        Value::Seq(s) if !s.is_empty() => write_seq(out, node, 0),
        _ => {
            // A literal block indented, so that no line of it can read as
            // a `---` or `...` document marker.
            write_scalar(out, node, 2);
            out.push('\n');
        }
    }
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn write_map(out: &mut String, node: &Node, level: usize) {
    let Value::Map(m) = &node.value else { return };
    for (key, value) in m {
        indent(out, level);
        write_key(out, key, level);
        write_child(out, value, level);
    }
}

/// `key:`. A key is plain or double-quoted, never a literal block, so it
/// stays on one line. YAML allows an implicit key of at most 1,024
/// characters; a longer one is written in the explicit form, `? key` with
/// the `:` on the next line.
fn write_key(out: &mut String, key: &str, level: usize) {
    let start = out.len();
    if is_plain_safe(key) {
        out.push_str(key);
    } else {
        write_double_quoted(out, key);
    }
    if out.len() - start > 1000 {
        out.insert_str(start, "? ");
        out.push('\n');
        indent(out, level);
    }
    out.push(':');
}

fn write_seq(out: &mut String, node: &Node, level: usize) {
    let Value::Seq(s) = &node.value else { return };
    for item in s {
        indent(out, level);
        out.push('-');
        match &item.value {
            Value::Map(m) if !m.is_empty() => {
                // First key on the dash line, the rest aligned under it.
                out.push(' ');
                let mut first = true;
                for (key, value) in m {
                    if !first {
                        indent(out, level + 2);
                    }
                    first = false;
                    write_key(out, key, level + 2);
                    write_child(out, value, level + 2);
                }
            }
            Value::Seq(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, item, level + 2);
            }
            _ => {
                out.push(' ');
                write_scalar(out, item, level + 2);
                out.push('\n');
            }
        }
    }
}

/// Writes what follows `key:`.
fn write_child(out: &mut String, value: &Node, level: usize) {
    match &value.value {
        Value::Map(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, value, level + 2);
        }
        Value::Seq(s) if !s.is_empty() => {
            out.push('\n');
            write_seq(out, value, level + 2);
        }
        _ => {
            out.push(' ');
            write_scalar(out, value, level + 2);
            out.push('\n');
        }
    }
}

fn write_scalar(out: &mut String, node: &Node, level: usize) {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&float_text(*f)),
        Value::String(s) => write_string(out, s, level),
        Value::Map(_) => out.push_str("{}"),
        Value::Seq(_) => out.push_str("[]"),
    }
}

/// A float as YAML writes it (always with a `.` or exponent, so it stays a float).
pub fn float_text(f: f64) -> String {
    if f.is_nan() {
        ".nan".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        }
    } else {
        let s = format!("{f:?}");
        if s.contains(['.', 'e', 'E']) {
            s
        } else {
            format!("{s}.0")
        }
    }
}

fn write_string(out: &mut String, s: &str, level: usize) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if use_literal_block(s) {
        write_literal(out, s, level);
    } else {
        write_double_quoted(out, s);
    }
}

/// Multi-line text reads best as a literal block, when it can round-trip.
fn use_literal_block(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\t', '\n'])
        && s.chars().all(|c| {
            c == '\n' || (!c.is_control() && !matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}'))
        })
        && s.lines().all(|l| !l.ends_with([' ', '\t']))
}

fn write_literal(out: &mut String, s: &str, level: usize) {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    out.push('|');
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    for line in s[..body.len() + trailing.saturating_sub(1)].split('\n') {
        out.push('\n');
        if !line.is_empty() {
            indent(out, level);
            out.push_str(line);
        }
    }
}

/// `s` as a YAML double-quoted scalar.
pub fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // NEL, LS and PS are line breaks to YAML 1.1 (Go's readers
            // fold, split or refuse them), text to YAML 1.2: escaped, both
            // read them as the character.
            c if c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether `s` can be written without quotes and still read back as this
/// exact string by YAML 1.1 and 1.2 readers (Go's yaml.v2 as well as ours).
pub fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.ends_with([' ', ':']) || first == ' ' {
        return false;
    }
    // `---` and `...` open and close documents where they start a line.
    if (s.starts_with("---") || s.starts_with("..."))
        && s[3..].chars().next().is_none_or(char::is_whitespace)
    {
        return false;
    }
    let dash_word = first == '-' && s.len() > 1 && !s[1..].starts_with(' ');
    if !(first.is_ascii_alphanumeric() || dash_word || matches!(first, '/' | '.' | '_' | '$' | '('))
    {
        return false;
    }
    // Byte by byte: a non-ASCII byte is not graphic ASCII, so multi-byte
    // characters are refused as they would be char by char. `#` is refused
    // anywhere, which covers ` #` (a comment).
    let mut prev = 0u8;
    for c in s.bytes() {
        let bad = !(c.is_ascii_graphic() || c == b' ')
            || matches!(
                c,
                b'#' | b'`'
                    | b'"'
                    | b'\''
                    | b'{'
                    | b'}'
                    | b'['
                    | b']'
                    | b','
                    | b'&'
                    | b'*'
                    | b'!'
                    | b'|'
                    | b'>'
                    | b'%'
                    | b'@'
                    | b'\\'
            )
            || (prev == b':' && c == b' ');
        if bad {
            return false;
        }
        prev = c;
    }
    !looks_like_non_string(s)
}

/// Values a YAML 1.1 or 1.2 reader would not read as a string.
fn looks_like_non_string(s: &str) -> bool {
    const WORDS: [&str; 14] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ".inf", "-.inf", "+.inf",
        ".nan",
    ];
    if s.len() <= 5 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return true;
    }
    if super::parse::plain_scalar(s).is_some() {
        return true;
    }
    // YAML 1.1 timestamps: `2024-01-01`, `2024-01-01T00:00:00Z`, ...
    let b = s.as_bytes();
    if b.len() >= 8
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5].is_ascii_digit()
    {
        return true;
    }
    // YAML 1.1 extras: sexagesimal numbers, `_` in numbers, leading `.5`, dates.
    let numeric_ish = b.iter().all(|c| {
        c.is_ascii_digit()
            || matches!(
                c,
                b'_' | b':' | b'.' | b'-' | b'+' | b'e' | b'E' | b'x' | b'o' | b'b'
            )
    });
    if numeric_ish && b.iter().any(u8::is_ascii_digit) {
        return true;
    }
    // Go's YAML readers (kubectl's) drop `_` and read integers with any
    // base prefix in either case: `0XFF`, `0B101`, `0xdead_beef`.
    let digits = b
        .strip_prefix(b"-")
        .or_else(|| b.strip_prefix(b"+"))
        .unwrap_or(b);
    digits.first().is_some_and(u8::is_ascii_digit)
        && digits.iter().all(|c| {
            c.is_ascii_hexdigit() || matches!(c, b'_' | b'x' | b'X' | b'o' | b'O' | b'b' | b'B')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::{Origin, parse_one};

    fn round_trip(s: &str) {
        let node = Node::from_pairs([("k", Node::string(s))]);
        let text = to_string(&node);
        let back = parse_one(&text, &Origin::file("t")).unwrap();
        assert_eq!(
            back.get("k").unwrap().as_str(),
            Some(s),
            "text was:\n{text}"
        );
    }

    #[test]
    fn keys_too_long_for_an_implicit_key_are_explicit() {
        let long = "k".repeat(1500);
        let node = Node::from_pairs([
            (long.as_str(), Node::from_pairs([("a", Node::string("b"))])),
            (
                "list",
                Node::seq(vec![Node::from_pairs([(long.as_str(), Node::int(1))])]),
            ),
        ]);
        let text = to_string(&node);
        assert!(text.contains(&format!("? {long}\n:")), "{text}");
        let back = parse_one(&text, &Origin::file("t")).unwrap();
        assert_eq!(back, node, "{text}");
    }

    #[test]
    fn document_markers_and_multi_line_keys_round_trip() {
        // `---`/`...` at the start of a line open/close a document; a key
        // is never a literal block (its lines would need indenting).
        for s in [
            "---",
            "--- x",
            "---  -",
            "...",
            "... x",
            "a\n---\nb",
            "a\nb\n",
        ] {
            for node in [
                Node::string(s),
                Node::from_pairs([(s, Node::int(1))]),
                Node::seq(vec![Node::from_pairs([(s, Node::string(s))])]),
            ] {
                let text = to_string(&node);
                let back = parse_one(&text, &Origin::file("t"));
                assert_eq!(back.as_ref().ok(), Some(&node), "{s:?} printed as:\n{text}");
            }
        }
        assert!(is_plain_safe("---x") && is_plain_safe("...x"));
    }

    #[test]
    fn strings_that_look_like_other_things_are_quoted() {
        for s in [
            "true",
            "yes",
            "No",
            "on",
            "null",
            "~",
            "8000",
            "0.85",
            "1e3",
            "0x1f",
            "0XFF",
            "0B101",
            "0O17",
            "-0xdead_beef",
            "1_000",
            "12:30",
            "",
            " lead",
            "trail ",
            "a: b",
            "#c",
            "- x",
            "{\"a\":1}",
            "[x]",
            "*x",
            "&x",
            "!x",
            "%x",
            "@x",
            "`x",
            "a #b",
            "x:",
            "2024-01-01",
            "-",
            "?",
            "|",
            ">",
        ] {
            assert!(!is_plain_safe(s), "{s:?} must be quoted");
            round_trip(s);
        }
    }

    #[test]
    fn ordinary_strings_stay_plain() {
        for s in [
            "vllm",
            "--port",
            "ghcr.io/llm-d/llm-d:0.0.8",
            "nvidia.com/gpu",
            "16Gi",
            "/model-cache",
            "meta-llama/Llama-2-7b-hf",
            "-v=6",
            "--port",
            "vllm serve x",
        ] {
            round_trip(s);
        }
        assert!(is_plain_safe("ghcr.io/llm-d/llm-d:0.0.8"));
        assert!(is_plain_safe("16Gi"));
        assert!(is_plain_safe("--port"));
        assert!(!is_plain_safe("-1"));
    }

    #[test]
    fn multiline_strings_round_trip() {
        for s in [
            "a\nb\n",
            "a\nb",
            "a\n\nb\n\n",
            "  lead\nx",
            "x \ny",
            "{\n  \"a\": 1\n}\n",
        ] {
            round_trip(s);
        }
    }

    #[test]
    fn layout() {
        let doc = parse_one(
            "a:\n  b: [1, {c: d, e: []}]\n  f: {}\n  g:\n  - - x\n",
            &Origin::file("t"),
        )
        .unwrap();
        assert_eq!(
            to_string(&doc),
            "a:\n  b:\n    - 1\n    - c: d\n      e: []\n  f: {}\n  g:\n    -\n      - x\n"
        );
    }
}
