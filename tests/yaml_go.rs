//! What Go reads back from msvc's YAML. kubectl, Helm, kustomize and Argo
//! CD read YAML with go-yaml v2 (YAML 1.1: `yes`, `on`, `0o17`, `1_000`,
//! line breaks U+2028 ...), msvc writes and reads YAML 1.2. Two checks:
//!
//! * `msvc::yaml::go_read`, msvc's model of go-yaml's reading, answers as
//!   go-yaml v2 does on a corpus of scalars where YAML 1.1 and 1.2 differ
//!   (`tests/yaml_go/resolve.jsonl`: go-yaml's own answers, made with
//!   `scripts/go-yaml-resolve`);
//! * a property: any tree of strings, numbers, booleans, nulls, nested keys
//!   and multi-line text that msvc prints reads back as the same tree both
//!   through that model and through msvc's own reader.

use msvc::yaml::go_read::{self, GoValue};
use msvc::yaml::{Mapping, Node, Origin, Value, parse_documents, print};
use proptest::prelude::*;

#[test]
fn resolution_matches_go_yaml_v2() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/yaml_go/resolve.jsonl");
    let corpus = std::fs::read_to_string(path).expect("the go-yaml corpus");
    let mut wrong = Vec::new();
    let mut count = 0;
    for line in corpus.lines() {
        let case: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let text = case["text"].as_str().expect("text");
        let go_type = case["type"].as_str().expect("type");
        let go_value = case["value"].as_str().expect("value");
        count += 1;
        let ours = go_read::resolve_plain(text);
        let agrees = match (&ours, go_type) {
            (GoValue::Null, "<nil>") => true,
            (GoValue::Bool(b), "bool") => b.to_string() == go_value,
            (GoValue::Int(i), "int" | "uint64") => i.to_string() == go_value,
            (GoValue::Float(f), "float64") => {
                let theirs: f64 = go_value
                    .replace("+Inf", "inf")
                    .replace("-Inf", "-inf")
                    .parse()
                    .expect("Go's float");
                *f == theirs || (f.is_nan() && theirs.is_nan())
            }
            (GoValue::String(s), "string") => s == go_value,
            // v2 keeps a timestamp's text in interface{}.
            (GoValue::Timestamp(s), "string") => s == go_value,
            _ => false,
        };
        if !agrees {
            wrong.push(format!(
                "{text:?}: go-yaml {go_type} {go_value}, ours {ours:?}"
            ));
        }
    }
    assert!(count > 500, "the corpus has {count} cases");
    assert!(
        wrong.is_empty(),
        "{} of {count} differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// Strings where YAML readers part ways, and arbitrary text around them.
fn string() -> impl Strategy<Value = String> {
    static CORPUS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/yaml_go/resolve.jsonl"
        ))
        .expect("the go-yaml corpus")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect()
    });
    let corpus = CORPUS.clone();
    let chars = prop::sample::select(vec![
        'a',
        'Z',
        '0',
        '9',
        ' ',
        ' ',
        ':',
        '#',
        '-',
        '.',
        '_',
        '\n',
        '\n',
        '\t',
        '"',
        '\'',
        '\\',
        '{',
        '[',
        ',',
        '&',
        '*',
        '!',
        '|',
        '>',
        '%',
        '@',
        '`',
        '?',
        '=',
        '~',
        'é',
        '\u{85}',
        '\u{2028}',
        '\u{2029}',
        '\u{feff}',
        '\r',
        '\u{7f}',
        '\u{1f600}',
    ]);
    prop_oneof![
        prop::sample::select(corpus),
        prop::collection::vec(chars, 0..12).prop_map(|c| c.into_iter().collect()),
        "[a-z]{1,8}(-[a-z0-9]{1,4}){0,2}",
        "(---|\\.\\.\\.)( .*)?",
        "[a-z]+\n[a-z ]*\n?\n?",
    ]
}

fn scalar() -> impl Strategy<Value = Node> {
    prop_oneof![
        Just(Node::null()),
        any::<bool>().prop_map(Node::bool),
        any::<i64>().prop_map(Node::int),
        prop_oneof![
            any::<f64>(),
            Just(0.5),
            Just(2.0),
            Just(1e21),
            Just(f64::INFINITY),
            Just(f64::NAN),
        ]
        .prop_map(|f| Node::synth(Value::Float(f))),
        string().prop_map(Node::string),
    ]
}

fn tree() -> impl Strategy<Value = Node> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Node::seq),
            prop::collection::vec((string(), inner), 0..4).prop_map(|pairs| {
                let mut m = Mapping::new();
                for (k, v) in pairs {
                    m.insert(k, v);
                }
                Node::synth(Value::Map(m))
            }),
        ]
    })
}

fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        (x, y) => x == y,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn printed_yaml_reads_back_in_go_and_in_msvc(node in tree()) {
        let text = print::to_string(&node);
        let go = go_read::read(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(go.len(), 1, "{}", text);
        prop_assert!(go_read::reads_as(&node, &go[0]), "Go reads\n{}\nas {:?}", text, go[0]);
        let ours = parse_documents(&text, &Origin::file("printed"))
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert!(ours.len() == 1 && same(&node, &ours[0]), "msvc reads\n{}\notherwise", text);
    }
}

/// Cases the property found: YAML 1.1 line breaks in a quoted key and in
/// multi-line text.
#[test]
fn yaml_1_1_line_breaks_are_escaped() {
    for s in ["\u{2028}", "a\nb\u{2028}c\n", "p\u{85}q", "x\u{2029}"] {
        let mut m = Mapping::new();
        m.insert(s.to_string(), Node::string(s));
        let node = Node::synth(Value::Map(m));
        let text = print::to_string(&node);
        let go = go_read::read(&text).expect("Go reads it");
        assert!(
            go_read::reads_as(&node, &go[0]),
            "Go reads\n{text}\nas {go:?}"
        );
    }
}
