//! `msvc krm` through the binary: a table of ResourceLists on stdin and
//! what must come back on stdout, with the exit status.
//!
//! Every case checks the promises of KRM mode: items that were in the input
//! come back byte for byte in their place (the output is the input with
//! insertions only, `items: []` turning into a block list), on error
//! nothing is appended while `results` say what is wrong, where, and a run
//! on its own output changes nothing.

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
        // A flow list becomes a block list: `items: []` to `items:` + items.
        let input = case.input.replace("items: []\n", "items:\n");
        if !one_insertion(&input, &r.stdout) {
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
        if case.code == 0 {
            let again = msvc_stdin(&["krm"], &r.stdout);
            if again.stdout != r.stdout || again.code != Some(0) {
                fail(format!(
                    "a second run changes the output:\n{}",
                    again.stdout
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

/// The objects among `items` that msvc generated for this ModelService.
fn generated_for<'a>(items: &'a [Node], model_service: &str) -> Vec<&'a Node> {
    items
        .iter()
        .filter(|o| {
            str_at(o, &["metadata", "labels", "llm-d.ai/model-service"]) == Some(model_service)
        })
        .collect()
}

/// kpt's first call on an empty package: `items: []`. The objects come back
/// as block YAML, and feeding the output back (kpt's second call, a pipe)
/// replaces them instead of adding a copy.
#[test]
fn flow_items_give_block_yaml_and_piping_back_does_not_grow() {
    let a = ms("alpha", "");
    let input = format!("{HEAD}items: []\n{}", function_config(&a));
    let first = msvc_stdin(&["krm"], &input);
    assert_eq!(first.code, Some(0), "{}", first.stdout);
    let items_text = first
        .stdout
        .split_once("items:\n")
        .and_then(|(_, rest)| rest.split_once("functionConfig:\n"))
        .map(|(items, _)| items)
        .unwrap_or_else(|| panic!("no block items list:\n{}", first.stdout));
    assert!(items_text.starts_with("- apiVersion: "), "{items_text}");
    assert!(
        items_text
            .lines()
            .all(|l| l.starts_with("- ") || l.starts_with("  ")),
        "not block YAML:\n{items_text}"
    );
    assert!(!items_text.contains("{\""), "{items_text}");
    let want = render(std::slice::from_ref(&a), &[]);
    assert_eq!(ids(&list_items(&first.stdout)), ids(&want));
    let mut out = first.stdout.clone();
    for _ in 0..2 {
        let next = msvc_stdin(&["krm"], &out);
        assert_eq!(next.code, Some(0), "{}", next.stdout);
        assert_eq!(
            next.stdout, first.stdout,
            "the output changed on a later run"
        );
        out = next.stdout;
    }
}

/// Unrelated items in a flow list keep their text as block items.
#[test]
fn flow_list_of_unrelated_items_becomes_block_keeping_them() {
    let cm = "{apiVersion: v1, kind: ConfigMap, metadata: {name: other}, data: {k: 'v'}}";
    let input = format!("{HEAD}items: [{cm}]\n{}", function_config(&ms("alpha", "")));
    let r = msvc_stdin(&["krm"], &input);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    assert!(
        r.stdout
            .contains(&format!("items:\n- {cm}\n- apiVersion: ")),
        "{}",
        r.stdout
    );
    assert_eq!(list_items(&r.stdout)[0].name(), "other");
}

/// ModelServices among the items, each from its file: a file that now
/// holds another ModelService, or is gone, takes its old objects with it;
/// the other ModelService's objects and the unrelated items stay as they
/// were.
#[test]
fn objects_of_a_removed_model_service_go_and_others_stay() {
    let from = |name: &str, file: &str| {
        ms(
            name,
            &format!("  annotations:\n    config.kubernetes.io/path: {file}\n"),
        )
    };
    let (a, b) = (
        from("alpha", "models/a.yaml"),
        from("bravo", "models/b.yaml"),
    );
    let input = format!("{HEAD}items:\n{}{UNRELATED}{}", item(&a), item(&b));
    let first = msvc_stdin(&["krm"], &input);
    assert_eq!(first.code, Some(0), "{}", first.stdout);
    let items = list_items(&first.stdout);
    let alpha = generated_for(&items, "alpha");
    assert!(!alpha.is_empty());
    assert!(alpha.iter().all(|o| {
        str_at(
            o,
            &["metadata", "annotations", "msvc.llm-d.ai/generated-from"],
        ) == Some("models/a.yaml")
    }));
    let alpha_ids = ids(&alpha.into_iter().cloned().collect::<Vec<_>>());

    // models/b.yaml is deleted.
    let without_b = first.stdout.replacen(&item(&b), "", 1);
    let second = msvc_stdin(&["krm"], &without_b);
    assert_eq!(second.code, Some(0), "{}", second.stdout);
    let items = list_items(&second.stdout);
    assert!(
        generated_for(&items, "bravo").is_empty(),
        "{}",
        second.stdout
    );
    let alpha: Vec<Node> = generated_for(&items, "alpha")
        .into_iter()
        .cloned()
        .collect();
    assert_eq!(ids(&alpha), alpha_ids);
    assert!(second.stdout.contains(UNRELATED));

    // models/a.yaml now names its ModelService alpha2.
    let renamed = a.replacen("  name: alpha\n", "  name: alpha2\n", 1);
    let third = msvc_stdin(
        &["krm"],
        &second.stdout.replacen(&item(&a), &item(&renamed), 1),
    );
    assert_eq!(third.code, Some(0), "{}", third.stdout);
    let items = list_items(&third.stdout);
    assert!(
        generated_for(&items, "alpha").is_empty(),
        "{}",
        third.stdout
    );
    assert_eq!(generated_for(&items, "alpha2").len(), alpha_ids.len());
    assert!(third.stdout.contains(UNRELATED));
}

/// `kpt fn eval --fn-config` with one ModelService, then with another, on
/// the same package: the second leaves the first one's objects alone (kpt
/// does not say which file a functionConfig came from, so they cannot be
/// told from a renamed one's), and each run replaces its own.
#[test]
fn another_function_config_leaves_the_first_ones_objects() {
    let (a, b) = (ms("alpha", ""), ms("bravo", ""));
    let first = msvc_stdin(
        &["krm"],
        &format!("{HEAD}items: []\n{}", function_config(&a)),
    );
    assert_eq!(first.code, Some(0), "{}", first.stdout);
    let with_b = first
        .stdout
        .replacen(&function_config(&a), &function_config(&b), 1);
    let second = msvc_stdin(&["krm"], &with_b);
    assert_eq!(second.code, Some(0), "{}", second.stdout);
    // The first run's objects keep their bytes; bravo's follow.
    let first_items = first.stdout.split_once("functionConfig:").unwrap().0;
    assert!(second.stdout.starts_with(first_items), "{}", second.stdout);
    let items = list_items(&second.stdout);
    let n = render(std::slice::from_ref(&a), &[]).len();
    assert_eq!(generated_for(&items, "alpha").len(), n);
    assert_eq!(generated_for(&items, "bravo").len(), n);
    // Back to alpha: the same objects, none twice.
    let back = second
        .stdout
        .replacen(&function_config(&b), &function_config(&a), 1);
    let third = msvc_stdin(&["krm"], &back);
    assert_eq!(third.code, Some(0), "{}", third.stdout);
    let mut got = ids(&list_items(&third.stdout));
    let mut want = ids(&items);
    got.sort();
    want.sort();
    assert_eq!(got, want);
}
