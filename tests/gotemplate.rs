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
    let opts = Options {
        missing_key: match c.get("missingkey").and_then(Json::as_str) {
            Some("zero") => MissingKey::Zero,
            Some("error") => MissingKey::Error,
            _ => MissingKey::Default,
        },
        ..Default::default()
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
    assert_eq!(
        cases.len(),
        expected.len(),
        "cases.jsonl and expected.jsonl differ in length"
    );
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
    eprintln!(
        "gotemplate corpus: {matched} of {} cases match Go",
        cases.len()
    );
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
        assert!(
            !required,
            "MSVC_REQUIRE_SHARED=1 but {} is missing",
            oracle.display()
        );
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

fn render(template: &str) -> Result<String, msvc::gotemplate::Error> {
    let mut set = TemplateSet::standard();
    set.parse("t", template)?;
    set.execute("t", &Value::map(Default::default()), &Options::default())
}

#[test]
fn clock_randomness_and_network_functions_are_refused_by_name() {
    use msvc::gotemplate::ErrorKind;
    for (t, name) in [
        ("{{ now }}", "now"),
        ("{{ date \"2006\" 0 }}", "date"),
        ("{{ randAlphaNum 5 }}", "randAlphaNum"),
        ("{{ uuidv4 }}", "uuidv4"),
        ("{{ genPrivateKey \"rsa\" }}", "genPrivateKey"),
        ("{{ getHostByName \"example.com\" }}", "getHostByName"),
        ("{{ list 1 | shuffle }}", "shuffle"),
    ] {
        let e = render(t).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Refused, "{t}: {e}");
        assert!(e.message.contains(&format!("`{name}`")), "{t}: {e}");
    }
    // As in Helm and the controller, the environment is not there at all.
    for t in ["{{ env \"HOME\" }}", "{{ expandenv \"$HOME\" }}"] {
        let e = render(t).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Parse, "{t}");
        assert!(e.message.contains("not defined"), "{e}");
    }
}

#[test]
fn budgets_end_runaway_templates_with_a_typed_error() {
    use msvc::gotemplate::{ErrorKind, Limit};
    let cases = [
        (
            "{{ range until 1000 }}{{ range until 1000 }}{{ end }}{{ end }}",
            Limit::Iterations(100_000),
        ),
        ("{{ until 100001 }}", Limit::Iterations(100_000)),
        (
            "{{ range until 60000 }}0123456789abcdefghij{{ end }}",
            Limit::Output(1 << 20),
        ),
        ("{{ repeat 2000000 \"x\" }}", Limit::Output(1 << 20)),
        (
            "{{ printf \"%999999d%999999d\" 1 2 }}",
            Limit::Output(1 << 20),
        ),
        ("{{ indent 1048577 \"x\" }}", Limit::Output(1 << 20)),
        (
            "{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" }}",
            Limit::TemplateDepth(100),
        ),
    ];
    for (t, limit) in cases {
        let e = render(t).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Budget(limit), "{t}: {e}");
    }
    let e = render("{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" }}")
        .unwrap_err();
    assert!(
        e.message.contains("exceeded maximum template depth (100)"),
        "{e}"
    );
}

#[test]
fn deep_nesting_is_refused_or_survived_without_a_crash() {
    let parens = format!("{{{{ {}1{} }}}}", "(".repeat(500), ")".repeat(500));
    let e = render(&parens).unwrap_err();
    assert!(e.message.contains("nest deeper than 100"), "{e}");
    let ifs = format!(
        "{}x{}",
        "{{ if true }}".repeat(300),
        "{{ end }}".repeat(300)
    );
    assert!(render(&ifs).is_err());
    let lists = format!("{{{{ {}1{} }}}}", "(list ".repeat(90), ")".repeat(90));
    assert!(
        render(&lists)
            .unwrap_err()
            .message
            .contains("nest deeper than 64")
    );
    // Maps changed in place can nest without bound; printing, JSON,
    // comparing and dropping them must not overflow the stack.
    let chain = "{{ $top := dict }}{{ $cur := $top }}{{ range until 50000 }}{{ $n := dict }}\
                 {{ $_ := set $cur \"x\" $n }}{{ $cur = $n }}{{ end }}\
                 {{ $top | len }}{{ toJson $top | len }}{{ deepEqual $top $top }}{{ deepCopy $top | len }}";
    let out = render(chain).unwrap();
    assert!(out.starts_with('1'), "{out}");
    let printed = render(&chain.replace("{{ $top | len }}", "{{ $top }}")).unwrap();
    assert!(printed.contains("..."), "{}", &printed[..100]);
}

#[test]
fn defines_are_shared_across_sources_and_later_ones_win() {
    let mut set = TemplateSet::standard();
    set.parse("_helpers.tpl", "{{ define \"name\" }}old-{{ .n }}{{ end }}")
        .unwrap();
    set.parse("b.yaml", "name: {{ template \"name\" . }}")
        .unwrap();
    let data = Value::from_json(&serde_json::json!({"n": "x"}));
    let opts = Options::default();
    assert_eq!(set.execute("b.yaml", &data, &opts).unwrap(), "name: old-x");
    set.parse("c.tpl", "{{ define \"name\" }}new-{{ .n }}{{ end }}")
        .unwrap();
    assert_eq!(set.execute("b.yaml", &data, &opts).unwrap(), "name: new-x");
    // An empty redefinition keeps the old body, as in Go.
    set.parse("d.tpl", "{{ define \"name\" }} {{ end }}")
        .unwrap();
    assert_eq!(set.execute("b.yaml", &data, &opts).unwrap(), "name: new-x");
    // Errors name the file the failing template came from.
    set.parse("e.tpl", "{{ define \"bad\" }}\n  {{ .n.x }}{{ end }}")
        .unwrap();
    set.parse("f.yaml", "{{ template \"bad\" . }}").unwrap();
    let e = set.execute("f.yaml", &data, &opts).unwrap_err();
    assert_eq!(
        e.message,
        "template: e.tpl:2:7: executing \"bad\" at <.n.x>: can't evaluate field x in type interface {}"
    );
    assert_eq!((e.template.as_str(), e.line, e.column), ("e.tpl", 2, 7));
}

#[test]
fn literal_text_outside_actions_is_never_template_syntax() {
    let t = "--chat-template={% if x %}{{ .m }}{% endif %} ${#ARR[@]} {# c #}";
    let data = Value::from_json(&serde_json::json!({"m": "M"}));
    let mut set = TemplateSet::standard();
    set.parse("t", t).unwrap();
    assert_eq!(
        set.execute("t", &data, &Options::default()).unwrap(),
        "--chat-template={% if x %}M{% endif %} ${#ARR[@]} {# c #}"
    );
}
