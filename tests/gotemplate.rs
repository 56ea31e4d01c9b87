//! The Go text/template engine against Go itself: every case of
//! `tests/gotemplate/cases.jsonl` (made by `scripts/gotemplate-cases`) must
//! render as Go 1.19 with sprig 3.2.3 rendered it (`expected.jsonl`, the
//! oracle's answers): the same output, or the same error text. Cases in
//! `known-differences.txt` are the listed exceptions (see
//! docs/template-engine.md); one of them that starts matching fails too,
//! so the list stays true.
//!
//! `live_oracle` re-runs Go's own engine on the corpus when
//! `../shared/tools/go-template` is there (or MSVC_REQUIRE_SHARED=1 says it
//! must be) and checks that `expected.jsonl` is still its answer.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use msvc::gotemplate::{MissingKey, Options, Record, TemplateSet, Value};
use serde_json::Value as Json;

/// The controller's TemplateVars fields, in declaration order.
const TEMPLATE_VARS: &[&str] = &[
    "ModelServiceName",
    "ModelServiceNamespace",
    "ModelName",
    "HFModelName",
    "ModelPath",
    "MountedModelPath",
    "AuthSecretName",
    "EPPServiceName",
    "EPPDeploymentName",
    "PrefillDeploymentName",
    "DecodeDeploymentName",
    "PrefillServiceName",
    "DecodeServiceName",
    "InferencePoolName",
    "InferenceModelName",
    "SanitizedModelName",
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gotemplate")
}

fn lines(name: &str) -> Vec<Json> {
    let text = std::fs::read_to_string(dir().join(name)).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}: {e}: {l}")))
        .collect()
}

/// A case with its data filled in, as the oracle reads it.
fn full_cases() -> Vec<Json> {
    let data: Json =
        serde_json::from_str(&std::fs::read_to_string(dir().join("data.json")).unwrap()).unwrap();
    lines("cases.jsonl")
        .into_iter()
        .map(|mut c| {
            if c.get("data").is_none() {
                c["data"] = data.clone();
            }
            c
        })
        .collect()
}

/// What Go's json.Unmarshal puts into the TemplateVars struct: string
/// values of fields matched case-insensitively, the rest empty.
fn template_vars(data: &Json) -> Value {
    let fields = TEMPLATE_VARS
        .iter()
        .map(|f| {
            let v = data
                .as_object()
                .and_then(|m| {
                    m.get(*f).or_else(|| {
                        m.iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case(f))
                            .map(|(_, v)| v)
                    })
                })
                .and_then(Json::as_str)
                .unwrap_or("");
            (f.to_string(), Value::str(v))
        })
        .collect();
    Value::Record(std::rc::Rc::new(Record {
        type_name: "main.TemplateVars".into(),
        fields,
    }))
}

/// Runs one case as go-template.d/main.go does.
fn run(c: &Json) -> Json {
    let ports: HashMap<String, i32> = c
        .get("ports")
        .and_then(Json::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_i64().unwrap_or(0) as i32))
                .collect()
        })
        .unwrap_or_default();
    let mut opts = Options::default();
    opts.missing_key = match c.get("missingkey").and_then(Json::as_str) {
        Some("zero") => MissingKey::Zero,
        Some("error") => MissingKey::Error,
        _ => MissingKey::Default,
    };
    let data = c.get("data").cloned().unwrap_or(Json::Null);
    let value = if c.get("mode").and_then(Json::as_str) == Some("controller") {
        template_vars(&data)
    } else {
        Value::from_json(&data)
    };
    let mut set = TemplateSet::controller(ports);
    let template = c["template"].as_str().unwrap();
    let r = set
        .parse("t", template)
        .and_then(|()| set.execute("t", &value, &opts));
    match r {
        Ok(out) => serde_json::json!({ "output": out }),
        Err(e) => serde_json::json!({ "error": e.message }),
    }
}

fn key(c: &Json) -> String {
    let mut k = c.clone();
    if let Some(m) = k.as_object_mut() {
        m.remove("data");
    }
    k.to_string()
}

fn known_differences() -> BTreeSet<String> {
    let text = std::fs::read_to_string(dir().join("known-differences.txt")).unwrap_or_default();
    text.lines()
        .filter(|l| l.starts_with('{'))
        .map(str::to_string)
        .collect()
}

#[test]
fn corpus_matches_go() {
    let cases = full_cases();
    let expected = lines("expected.jsonl");
    assert_eq!(cases.len(), expected.len(), "cases.jsonl and expected.jsonl differ in length");
    assert!(cases.len() >= 5000, "the corpus has {} cases", cases.len());
    let known = known_differences();
    let mut matched = 0;
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut report = String::new();
    for (i, (c, want)) in cases.iter().zip(&expected).enumerate() {
        let got = run(c);
        let k = key(c);
        if &got == want {
            matched += 1;
            if known.contains(&k) {
                fixed.push(k);
            }
        } else {
            report.push_str(&format!("#{} {k}\n  go:   {want}\n  msvc: {got}\n", i + 1));
            if !known.contains(&k) {
                unexpected.push(i + 1);
            }
        }
    }
    eprintln!("gotemplate corpus: {matched} of {} cases match Go", cases.len());
    if let Ok(path) = std::env::var("MSVC_GOTEMPLATE_REPORT") {
        std::fs::write(path, &report).unwrap();
    }
    assert!(
        fixed.is_empty(),
        "these known differences now match Go; remove them from known-differences.txt:\n{}",
        fixed.join("\n")
    );
    assert!(
        unexpected.is_empty(),
        "{} cases differ from Go (set MSVC_GOTEMPLATE_REPORT=FILE for all):\n{}",
        unexpected.len(),
        report.lines().take(60).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn live_oracle() {
    let oracle = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/go-template");
    let required = std::env::var("MSVC_REQUIRE_SHARED").is_ok_and(|v| v == "1");
    if !oracle.exists() {
        assert!(!required, "MSVC_REQUIRE_SHARED=1 but {} is missing", oracle.display());
        eprintln!("skipping: no {}", oracle.display());
        return;
    }
    let input: String = full_cases().iter().map(|c| format!("{c}\n")).collect();
    let mut child = std::process::Command::new(&oracle)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write as _;
        stdin.write_all(input.as_bytes()).unwrap();
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(out.status.success(), "the oracle failed");
    let got: Vec<Json> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let expected = lines("expected.jsonl");
    let stale: Vec<usize> = got
        .iter()
        .zip(&expected)
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(got.len(), expected.len());
    assert!(
        stale.is_empty(),
        "expected.jsonl is not Go's answer for cases {stale:?}: rerun scripts/gotemplate-cases --oracle"
    );
}
