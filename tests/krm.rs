//! `msvc krm` through the binary: a table of ResourceLists on stdin and
//! what must come back on stdout, with the exit status.
//!
//! Every case checks the two promises of KRM mode: items that were in the
//! input come back byte for byte in their place (the output is the input
//! with insertions only), and on error nothing is appended while `results`
//! say what is wrong, where.

mod tools;

use msvc::objects::ObjectExt;
use msvc::yaml::Node;
use tools::*;

const HEAD: &str = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n";

/// Items that have nothing to do with msvc, in kustomize's and kpt's
/// spelling: comments, flow maps, odd quoting, a block scalar, kpt's path
/// annotations, a ConfigMap that is not a BaseConfig, a CRD object.
const UNRELATED: &str = r#"- apiVersion: v1
  kind: ConfigMap   # not a BaseConfig: nothing names it
  metadata:
    name: app-settings
    annotations:
      config.kubernetes.io/path: 'base/settings.yaml'
      config.kubernetes.io/index: '0'
  data: {LOG_LEVEL: "debug", "weird key": 'it''s'}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, labels: {app: web}}
  spec:
    replicas: 0x2   # hex stays hex
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers:
        - name: web
          image: nginx:1.27
          args:
          - |
            line one
              indented line
- apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata:
    name: inference-gateway
  spec:
    gatewayClassName: istio
    listeners: [{name: http, port: 80, protocol: HTTP}]
"#;

fn ms(name: &str, extra_meta: &str) -> String {
    example("llama2-7b.yaml")
        .replacen(
            "  name: llama2-7b\n",
            &format!("  name: {name}\n{extra_meta}"),
            1,
        )
        .replace(
            "modelName: meta-llama/Llama-2-7b-hf",
            &format!("modelName: org/{name}"),
        )
}

/// The ModelService as a block sequence item.
fn item(text: &str) -> String {
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    format!("- {}", indent(&body, 2).trim_start())
}

fn function_config(text: &str) -> String {
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    format!("functionConfig:\n{}", indent(&body, 2))
}

/// Whether `output` is `input` with text inserted at one place.
fn one_insertion(input: &str, output: &str) -> bool {
    let prefix = input
        .bytes()
        .zip(output.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = input[prefix..]
        .bytes()
        .rev()
        .zip(output[prefix..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    prefix + suffix == input.len()
}

fn list_items(out: &str) -> Vec<Node> {
    let d = docs(out);
    assert_eq!(d.len(), 1, "one document: {out}");
    d[0].get("items")
        .and_then(Node::as_seq)
        .cloned()
        .unwrap_or_default()
}

fn list_results(out: &str) -> Vec<Node> {
    docs(out)[0]
        .get("results")
        .and_then(Node::as_seq)
        .cloned()
        .unwrap_or_default()
}

/// What `msvc render` makes of these ModelServices (with these flags).
fn render(inputs: &[String], flags: &[&str]) -> Vec<Node> {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["render".to_string()];
    for (i, text) in inputs.iter().enumerate() {
        let f = format!("in{i}.yaml");
        std::fs::write(dir.path().join(&f), text).unwrap();
        args.push(f);
    }
    args.extend(flags.iter().map(|f| f.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = msvc_in(dir.path(), &args);
    r.expect_ok("msvc render");
    docs(&r.stdout)
}

struct Case {
    name: &'static str,
    input: String,
    /// Exit status.
    code: i32,
    /// What `msvc render` makes of the same ModelServices: the items that
    /// must be appended, in order (empty on error).
    appended: Vec<Node>,
    /// Substrings of the results' messages, in order; `severity: error`
    /// each when `code` is 1.
    results: Vec<&'static str>,
}

fn cases() -> Vec<Case> {
    let a = ms("alpha", "");
    let b = ms("bravo", "  namespace: team\n");
    let pd = example("opt-125m-nixl-pd.yaml");
    let base = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: my-base\n  annotations:\n    config.kubernetes.io/path: bases/my-base.yaml\ndata:\n  decodeDeployment: |\n    apiVersion: apps/v1\n    kind: Deployment\n    spec:\n      template:\n        spec:\n          containers:\n          - name: vllm\n            image: registry.example.com/vllm:base\n            command: [vllm, serve]\n";
    let with_base = ms("charlie", "").replacen(
        "spec:\n",
        "spec:\n  baseConfigMapRef:\n    name: my-base\n",
        1,
    );
    let annotated = ms(
        "delta",
        "  annotations:\n    msvc.llm-d.ai/epp-cluster-role: pod-read\n    msvc.llm-d.ai/gie-api: v1alpha2\n",
    );
    let bad = ms(
        "echo",
        "  annotations:\n    config.kubernetes.io/path: models/echo.yaml\n    config.kubernetes.io/index: '1'\n",
    )
    .replacen("    replicas: 1\n", "    replicas: one\n", 1);
    vec![
        Case {
            name: "ModelService as functionConfig, unrelated items",
            input: format!("{HEAD}items:\n{UNRELATED}{}", function_config(&a)),
            code: 0,
            appended: render(std::slice::from_ref(&a), &[]),
            results: vec![],
        },
        Case {
            name: "ModelServices among items, around unrelated ones",
            input: format!("{HEAD}items:\n{}{UNRELATED}{}", item(&b), item(&a)),
            code: 0,
            appended: render(&[a.clone(), b.clone()], &[]),
            results: vec![],
        },
        Case {
            name: "indented items, functionConfig first",
            input: format!(
                "{HEAD}{}items:\n{}",
                function_config(&pd),
                indent(UNRELATED, 2)
            ),
            code: 0,
            appended: render(std::slice::from_ref(&pd), &[]),
            results: vec![],
        },
        Case {
            name: "no items key",
            input: format!("{HEAD}{}", function_config(&a)),
            code: 0,
            appended: render(std::slice::from_ref(&a), &[]),
            results: vec![],
        },
        Case {
            name: "BaseConfig among items is read and kept",
            input: format!(
                "{HEAD}items:\n{}{}{UNRELATED}",
                item(base),
                item(&with_base)
            ),
            code: 0,
            appended: render(&[base.to_string(), with_base.clone()], &[]),
            results: vec![],
        },
        Case {
            name: "settings from annotations",
            input: format!("{HEAD}items: []\n{}", function_config(&annotated)),
            code: 0,
            appended: render(
                std::slice::from_ref(&annotated),
                &["--epp-cluster-role", "pod-read", "--gie-api", "v1alpha2"],
            ),
            results: vec![],
        },
        Case {
            name: "nothing to render",
            input: format!("{HEAD}items:\n{UNRELATED}"),
            code: 0,
            appended: vec![],
            results: vec![],
        },
        Case {
            name: "a bad ModelService: results, nothing appended",
            input: format!("{HEAD}items:\n{UNRELATED}{}", item(&bad)),
            code: 1,
            appended: vec![],
            results: vec!["spec.decode.replicas"],
        },
        Case {
            name: "BaseConfig that is not there",
            input: format!("{HEAD}items:\n{}", item(&with_base)),
            code: 1,
            appended: vec![],
            results: vec!["BaseConfig `my-base` not found"],
        },
        Case {
            name: "functionConfig of another kind",
            input: format!(
                "{HEAD}items:\n{UNRELATED}functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: settings\n"
            ),
            code: 1,
            appended: vec![],
            results: vec!["not a ModelService"],
        },
    ]
}

#[test]
fn table() {
    let mut failures = Vec::new();
    for case in cases() {
        let r = msvc_stdin(&["krm"], &case.input);
        let mut fail = |m: String| failures.push(format!("{}: {m}\n{}", case.name, r.stdout));
        if r.code != Some(case.code) {
            fail(format!(
                "exit {:?}, want {} ({})",
                r.code, case.code, r.stderr
            ));
            continue;
        }
        if !one_insertion(&case.input, &r.stdout) {
            fail("the input is not kept byte for byte".into());
            continue;
        }
        let input_items = list_items(&case.input);
        let items = list_items(&r.stdout);
        let new = &items[input_items.len()..];
        if new.len() != case.appended.len() {
            fail(format!(
                "appended {:?}, want {:?}",
                ids(new),
                ids(&case.appended)
            ));
            continue;
        }
        for (g, w) in new.iter().zip(&case.appended) {
            if g.to_json() != w.to_json() {
                fail(format!(
                    "{}/{} differs from msvc render",
                    w.kind(),
                    w.name()
                ));
            }
        }
        let results = list_results(&r.stdout);
        if results.len() != case.results.len() {
            fail(format!(
                "{} results, want {}",
                results.len(),
                case.results.len()
            ));
            continue;
        }
        for (res, want) in results.iter().zip(&case.results) {
            let text = format!(
                "{} {}",
                str_at(res, &["message"]).unwrap_or(""),
                str_at(res, &["field", "path"]).unwrap_or("")
            );
            if !text.contains(want) {
                fail(format!("result {text:?} lacks {want:?}"));
            }
            if case.code == 1 && str_at(res, &["severity"]) != Some("error") {
                fail("severity is not error".into());
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The result of a bad item names its file and index (kpt/kustomize
/// annotations), the object and the field.
#[test]
fn error_result_names_file_object_and_field() {
    let bad = ms(
        "echo",
        "  namespace: team\n  annotations:\n    config.kubernetes.io/path: models/echo.yaml\n    config.kubernetes.io/index: '1'\n",
    )
    .replacen("    replicas: 1\n", "    replicas: one\n", 1);
    let input = format!("{HEAD}items:\n{UNRELATED}{}", item(&bad));
    let r = msvc_stdin(&["krm"], &input);
    assert_eq!(r.code, Some(1));
    let results = list_results(&r.stdout);
    let res = &results[0];
    assert_eq!(str_at(res, &["severity"]), Some("error"));
    assert_eq!(str_at(res, &["file", "path"]), Some("models/echo.yaml"));
    assert_eq!(
        res.get_path(&["file", "index"]).and_then(Node::as_i64),
        Some(1)
    );
    assert_eq!(
        str_at(res, &["field", "path"]),
        Some("spec.decode.replicas")
    );
    assert_eq!(
        str_at(res, &["resourceRef", "apiVersion"]),
        Some("llm-d.ai/v1alpha1")
    );
    assert_eq!(str_at(res, &["resourceRef", "kind"]), Some("ModelService"));
    assert_eq!(str_at(res, &["resourceRef", "name"]), Some("echo"));
    assert_eq!(str_at(res, &["resourceRef", "namespace"]), Some("team"));
}

#[test]
fn warnings_are_results_and_exit_zero() {
    // The upstream test BaseConfig has a field outside its object's schema:
    // a warning for `msvc render`, a warning result here.
    let Some(samples) = require_shared("upstream/operator/samples/test") else {
        return;
    };
    let base = read(&samples.join("baseconfig.yaml"));
    let model = read(&samples.join("msvc.yaml"));
    let input = format!("{HEAD}items:\n{}{}", item(&base), item(&model));
    let r = msvc_stdin(&["krm"], &input);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    let results = list_results(&r.stdout);
    assert!(!results.is_empty());
    assert!(
        results
            .iter()
            .all(|res| str_at(res, &["severity"]) == Some("warning"))
    );
    assert!(list_items(&r.stdout).len() > 2);
}

#[test]
fn not_a_resource_list_is_an_error_list() {
    for input in ["", "kind: [", &example("llama2-7b.yaml")] {
        let r = msvc_stdin(&["krm"], input);
        assert_eq!(r.code, Some(1), "{input}");
        let d = docs(&r.stdout);
        assert_eq!(d[0].kind(), "ResourceList");
        let results = list_results(&r.stdout);
        assert_eq!(str_at(&results[0], &["severity"]), Some("error"));
    }
}
