//! The topology presets' endpoint picker against the Gateway API Inference
//! Extension's `inferencepool` chart, as llm-d's guides install it.
//!
//! Conformance tests: each reads Helm's rendering of a case of
//! `../shared/upstream/charts/cases/` (the chart with llm-d's scheduler
//! recipe values), and skips without `../shared` unless
//! `MSVC_REQUIRE_SHARED=1` (CI) makes that a failure. A ModelService is
//! rendered with a preset through the binary, and each object the chart
//! renders for the scheduler is compared with msvc's field by field, after
//! mapping names and labels:
//!
//! * names: the chart names everything after its release (`R-epp`, `R`);
//!   msvc after the ModelService (`<ms>-epp`, `<ms>-epp-service`,
//!   `<ms>-epp-sa`, `<ms>-inference-pool`, `<ms>-epp-monitor`). msvc's
//!   names are written back as the chart's, wherever they appear (args,
//!   references, volumes).
//! * labels: each side's own identity labels (the chart's
//!   `app.kubernetes.io/name|version`, `inferencepool`, `llm-d.ai/guide`;
//!   msvc's `llm-d.ai/*` and `app.kubernetes.io/managed-by`) are set
//!   aside and every other label must be equal; that msvc's selectors
//!   select what they should is checked on msvc's own objects.
//! * RBAC: the chart's two Roles (`-epp-non-sa`, `-epp-sa`) and their
//!   bindings are msvc's one Role and RoleBinding: the rules, in order,
//!   must be the chart's. The ClusterRole and ClusterRoleBinding the chart
//!   adds for `/metrics` token reviews are not rendered (msvc's EPP serves
//!   metrics without auth, `--metrics-endpoint-auth=false`, as the case
//!   does): [`NOT_RENDERED`] lists them, so a new object in a future chart
//!   fails until it is mapped or listed.
//!
//! A future chart version's change to any of these objects fails here.

mod common;

use std::collections::BTreeMap;

use common::*;
use msvc::yaml::{Node, Origin, parse_documents};
use serde_json::Value as J;

/// Chart objects msvc does not render, and why.
const NOT_RENDERED: &[(&str, &str)] = &[
    (
        "ClusterRole",
        "token reviews for /metrics auth, which is off",
    ),
    ("ClusterRoleBinding", "binds that ClusterRole"),
    (
        "Secret",
        "a metrics-reader token for /metrics auth, which is off",
    ),
    (
        "DestinationRule",
        "Istio provider objects belong to the gateway",
    ),
];

/// Labels each side uses to name its own objects.
const CHART_LABELS: &[&str] = &[
    "app.kubernetes.io/name",
    "app.kubernetes.io/version",
    "inferencepool",
    "llm-d.ai/guide",
    "llm-d.ai/inference-serving",
];
const MSVC_LABELS: &[&str] = &[
    "app.kubernetes.io/managed-by",
    "llm-d.ai/epp",
    "llm-d.ai/model",
    "llm-d.ai/model-service",
    "llm-d.ai/inferenceServing",
    "llm-d.ai/role",
];

/// A chart case: its file, release and namespace, and how msvc's EPP
/// config file is named where the case names another.
#[derive(Clone, Copy)]
struct Case {
    file: &'static str,
    release: &'static str,
    namespace: &'static str,
    /// `(the chart's --config-file, msvc's)` when they differ.
    config_file: Option<(&'static str, &'static str)>,
}

const IS_NONE: Case = Case {
    file: "ip-v1.4.0-is-none.yaml",
    release: "inference-scheduling-scheduler",
    namespace: "llm-d-inference-scheduling",
    config_file: None,
};

const MS: &str = "qwen";

/// A ModelService `qwen` of Qwen3-32B from `uri`, in `namespace`.
fn model_service(namespace: &str, uri: &str) -> String {
    let args = if uri.starts_with("hf://") {
        "    containers:\n      - name: vllm\n        args: [\"{{ .HFModelName }}\"]\n"
    } else {
        ""
    };
    format!(
        "apiVersion: llm-d.ai/v1alpha1
kind: ModelService
metadata:
  name: {MS}
  namespace: {namespace}
spec:
  routing:
    modelName: Qwen/Qwen3-32B
    ports:
      - name: app_port
        port: 8000
      - name: decode_port
        port: 8200
  modelArtifacts:
    uri: {uri}
  decode:
    replicas: 1
{args}"
    )
}

/// `msvc render` of `ms` with `presets`, through the binary.
fn render(ms: &str, presets: &[&str]) -> Vec<Node> {
    let dir = Sandbox::new("scheduler-chart");
    dir.write("m.yaml", ms);
    let mut args = vec!["render", "m.yaml"];
    for p in presets {
        args.extend(["--preset", p]);
    }
    let run = dir.run(&args);
    assert_eq!(run.code, Some(0), "{presets:?}: {}", run.stderr);
    parse(&run.stdout)
}

/// The cases' directory in `../shared`, or `None` (after the skip line).
#[track_caller]
fn cases() -> Option<std::path::PathBuf> {
    require_shared("upstream/charts/cases")
}

fn chart_objects(file: &str) -> Vec<Node> {
    let case = file.trim_end_matches(".yaml");
    let path = shared_root()
        .join("upstream/charts/cases")
        .join(case)
        .join("expected.yaml");
    let text = read(&path);
    parse_documents(&text, &Origin::file(file))
        .expect("the chart's output parses")
        .into_iter()
        .filter(|d| d.as_map().is_some_and(|m| !m.is_empty()))
        .collect()
}

/// msvc's names, with the chart's name each stands for.
fn name_map(case: &Case) -> Vec<(String, String)> {
    let r = case.release;
    let epp = format!("{r}-epp");
    vec![
        (format!("{MS}-epp-service"), epp.clone()),
        (format!("{MS}-epp-sa"), epp.clone()),
        (format!("{MS}-epp-monitor"), format!("{epp}-monitor")),
        (format!("{MS}-epp"), epp),
        (format!("{MS}-inference-pool"), r.to_string()),
    ]
}

/// `node` as JSON, every string equal to one of msvc's names written as
/// the chart's, the identity labels in `drop` removed from label maps and
/// selectors, and maps left empty by that removed.
fn normalize(node: &Node, names: &[(String, String)], drop: &[&str]) -> J {
    fn walk(v: &mut J, names: &[(String, String)], drop: &[&str], key: &str) {
        match v {
            J::String(s) => {
                if let Some((_, to)) = names.iter().find(|(from, _)| from == s) {
                    *s = to.clone();
                }
            }
            J::Array(items) => items.iter_mut().for_each(|i| walk(i, names, drop, "")),
            J::Object(m) => {
                if matches!(key, "labels" | "matchLabels" | "selector") {
                    for d in drop {
                        m.remove(*d);
                    }
                }
                for (k, v) in m.iter_mut() {
                    walk(v, names, drop, k);
                }
                m.retain(|k, v| {
                    !(matches!(
                        k.as_str(),
                        "labels" | "matchLabels" | "selector" | "metadata"
                    ) && v.as_object().is_some_and(|o| o.is_empty()))
                });
            }
            _ => {}
        }
    }
    let mut j = node.to_json();
    walk(&mut j, names, drop, "");
    j
}

fn kind_name(n: &Node) -> (String, String) {
    let s = |path: &[&str]| {
        n.get_path(path)
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string()
    };
    (s(&["kind"]), s(&["metadata", "name"]))
}

/// The differences between two trees, as `path: chart has X, msvc has Y`.
fn diff(path: &str, want: &J, got: &J, out: &mut Vec<String>) {
    match (want, got) {
        (J::Object(a), J::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let p = format!("{path}.{k}");
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => diff(&p, x, y, out),
                    (Some(x), None) => out.push(format!("{p}: chart has {x}, msvc none")),
                    (None, Some(y)) => out.push(format!("{p}: msvc has {y}, the chart none")),
                    (None, None) => {}
                }
            }
        }
        (J::Array(a), J::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff(&format!("{path}[{i}]"), x, y, out);
            }
        }
        _ if want != got => out.push(format!("{path}: chart has {want}, msvc has {got}")),
        _ => {}
    }
}

fn replace_string(v: &mut J, from: &str, to: &str) {
    match v {
        J::String(s) if s.contains(from) => *s = s.replace(from, to),
        J::Array(items) => items.iter_mut().for_each(|i| replace_string(i, from, to)),
        J::Object(m) => m.values_mut().for_each(|i| replace_string(i, from, to)),
        _ => {}
    }
}

fn yaml_of(text: &str) -> J {
    parse_documents(text, &Origin::file("config"))
        .expect("an EndpointPickerConfig parses")
        .first()
        .map(Node::to_json)
        .unwrap_or(J::Null)
}

/// Every object the chart renders for `case`, against msvc's `ours`, as
/// the module says; the differences found.
fn compare(case: &Case, ours: &[Node]) -> Vec<String> {
    let names = name_map(case);
    let epp = format!("{}-epp", case.release);
    let ours_by: BTreeMap<(String, String), &Node> =
        ours.iter().map(|o| (kind_name(o), o)).collect();
    let find = |kind: &str, suffix: &str| {
        ours_by
            .get(&(kind.to_string(), format!("{MS}{suffix}")))
            .copied()
    };
    let mut problems = Vec::new();
    let mut chart_rules: Vec<J> = Vec::new();
    for obj in chart_objects(case.file) {
        let (kind, name) = kind_name(&obj);
        if NOT_RENDERED.iter().any(|(k, _)| *k == kind) {
            continue;
        }
        let mut want = normalize(&obj, &[], CHART_LABELS);
        let ours = match kind.as_str() {
            "ConfigMap" | "Deployment" if name == epp => find(&kind, "-epp"),
            "Service" if name == epp => find(&kind, "-epp-service"),
            "ServiceAccount" if name == epp => find(&kind, "-epp-sa"),
            "ServiceMonitor" => find(&kind, "-epp-monitor"),
            "InferencePool" if name == case.release => find(&kind, "-inference-pool"),
            "Role" => {
                // Both chart Roles' rules, in order, are msvc's one Role's.
                chart_rules.extend(want["rules"].as_array().cloned().unwrap_or_default());
                continue;
            }
            "RoleBinding" => match find(&kind, "-epp-rolebinding") {
                Some(b) => {
                    let got = normalize(b, &names, MSVC_LABELS);
                    diff(&name, &want["subjects"], &got["subjects"], &mut problems);
                    diff(
                        &name,
                        &want["roleRef"]["kind"],
                        &got["roleRef"]["kind"],
                        &mut problems,
                    );
                    continue;
                }
                None => None,
            },
            _ => {
                problems.push(format!(
                    "the chart renders {kind} {name}: map it to msvc's, or list it in NOT_RENDERED"
                ));
                continue;
            }
        };
        let Some(ours) = ours else {
            problems.push(format!("msvc renders no counterpart of {kind} {name}"));
            continue;
        };
        let got = normalize(ours, &names, MSVC_LABELS);
        if kind == "ConfigMap" {
            // msvc writes the default file and the chosen one, the chart
            // every file of its values: each of msvc's is the chart's.
            // A file this case does not have (`config_file`) is compared
            // by the test that names it.
            let elsewhere = case
                .config_file
                .map(|(_, f)| f.trim_start_matches("/config/"));
            for (file, text) in got["data"].as_object().into_iter().flatten() {
                if Some(file.as_str()) == elsewhere {
                    continue;
                }
                match want["data"].get(file) {
                    Some(t)
                        if yaml_of(text.as_str().unwrap_or(""))
                            == yaml_of(t.as_str().unwrap_or("")) => {}
                    Some(t) => problems.push(format!(
                        "ConfigMap {file}: chart has\n{t}\nmsvc has\n{text}"
                    )),
                    None => problems.push(format!("ConfigMap {file}: the chart has no such file")),
                }
            }
            continue;
        }
        if let Some((chart_file, ours_file)) = case.config_file {
            replace_string(&mut want, chart_file, ours_file);
        }
        diff(&format!("{kind} {name}"), &want, &got, &mut problems);
    }
    match find("Role", "-epp-role") {
        Some(role) => {
            let got = normalize(role, &names, MSVC_LABELS);
            diff(
                "Role rules",
                &J::Array(chart_rules),
                &got["rules"],
                &mut problems,
            );
        }
        None => problems.push("msvc renders no EPP Role".into()),
    }
    problems
}

/// msvc's own labels do what the chart's do: the EPP Deployment and
/// Service select the EPP pods, the ServiceMonitor the Service, the pool
/// the model servers.
fn check_selectors(ours: &[Node], ns: &str) {
    let epp = find(ours, "Deployment", &format!("{MS}-epp"));
    let pod = labels_at(epp, "spec.template.metadata.labels");
    let sel = labels_at(epp, "spec.selector.matchLabels");
    assert!(!sel.is_empty() && is_subset(&sel, &pod), "{sel:?} {pod:?}");
    let svc = find(ours, "Service", &format!("{MS}-epp-service"));
    let svc_sel = string_map(at(svc, "spec.selector"));
    assert!(!svc_sel.is_empty() && is_subset(&svc_sel, &pod));
    let sm = find(ours, "ServiceMonitor", &format!("{MS}-epp-monitor"));
    let sm_sel = labels_at(sm, "spec.selector.matchLabels");
    assert!(!sm_sel.is_empty() && is_subset(&sm_sel, &labels_at(svc, "metadata.labels")));
    let names = list(sm, "spec.namespaceSelector.matchNames");
    assert_eq!(names.len(), 1);
    assert_eq!(names[0].as_str(), Some(ns));
    let pool = find(ours, "InferencePool", &format!("{MS}-inference-pool"));
    let pool_sel = labels_at(pool, "spec.selector.matchLabels");
    let decode = find(ours, "Deployment", &format!("{MS}-decode"));
    let servers = labels_at(decode, "spec.template.metadata.labels");
    assert!(!pool_sel.is_empty() && is_subset(&pool_sel, &servers));
}

fn assert_same(case: &Case, ours: &[Node], what: &str) {
    let problems = compare(case, ours);
    assert!(
        problems.is_empty(),
        "{what}: msvc's scheduler differs from the chart's {}:\n{}",
        case.file,
        problems.join("\n")
    );
    check_selectors(ours, case.namespace);
}

/// The inference-scheduling guide's scheduler (inferencepool chart v1.4.0,
/// scheduler v0.7.0, monitoring on) is vllm-hf's with the monitoring layer.
#[test]
fn vllm_hf_epp_is_the_inference_scheduling_guides() {
    if cases().is_none() {
        return;
    }
    let ms = model_service(IS_NONE.namespace, "hf://Qwen/Qwen3-32B");
    let ours = render(&ms, &["vllm-hf", "monitoring"]);
    assert_same(&IS_NONE, &ours, "vllm-hf");
    let epp = find(&ours, "Deployment", &format!("{MS}-epp"));
    assert_eq!(
        text(container(epp, "epp"), "image"),
        "ghcr.io/llm-d/llm-d-inference-scheduler:v0.7.0"
    );
}

/// The comparison finds a change: an arg, a probe, a rule.
#[test]
fn the_comparison_sees_a_changed_field() {
    if cases().is_none() {
        return;
    }
    let ms = model_service(IS_NONE.namespace, "hf://Qwen/Qwen3-32B");
    let ours = render(&ms, &["vllm-hf", "monitoring"]);
    for (from, to) in [
        ("- \"2\"", "- \"3\""),
        ("service: inference-extension", "service: liveness"),
        ("- watch", "- update"),
        ("failureMode: FailOpen", "failureMode: FailClose"),
        ("weight: 3", "weight: 4"),
    ] {
        let text: String = ours
            .iter()
            .map(|o| format!("---\n{}", msvc::yaml::print::to_string(o)))
            .collect();
        assert!(text.contains(from), "{from}");
        let changed = parse(&text.replacen(from, to, 1));
        assert!(
            !compare(&IS_NONE, &changed).is_empty(),
            "changing `{from}` went unseen"
        );
    }
}

/// The other topology presets' EPP is the same chart's: vllm-pvc and
/// vllm-oci as is, sglang with SGLang's metric names, vllm-pd-nixl with
/// the P/D guide's config (the P/D profile handler, prefill and decode
/// filters) in `/config/pd-config.yaml`.
#[test]
fn every_topology_presets_epp_is_the_charts() {
    if cases().is_none() {
        return;
    }
    for (preset, uri) in [
        ("vllm-pvc", "pvc://models/Qwen/Qwen3-32B"),
        ("vllm-oci", "oci://registry.example.com/models/qwen3-32b:1"),
        ("sglang", "hf://Qwen/Qwen3-32B"),
    ] {
        let mut ms = model_service(IS_NONE.namespace, uri);
        if preset == "sglang" {
            // Its model server container is `sglang`.
            ms = ms.replace("- name: vllm", "- name: sglang");
        }
        let mut ours = render(&ms, &[preset, "monitoring"]);
        if preset == "sglang" {
            let epp = ours
                .iter_mut()
                .find(|o| kind_name(o) == ("Deployment".into(), format!("{MS}-epp")))
                .unwrap();
            let args = epp
                .get_path_mut(&["spec", "template", "spec", "containers"])
                .and_then(|c| c.as_seq_mut())
                .and_then(|c| c[0].get_mut("args"))
                .and_then(Node::as_seq_mut)
                .unwrap();
            let before = args.len();
            args.retain(|a| !a.as_str().is_some_and(|s| s.contains("=sglang:")));
            assert_eq!(before - args.len(), 2, "sglang's two metric flags");
        }
        assert_same(&IS_NONE, &ours, preset);
    }
    let pd = Case {
        config_file: Some(("/config/default-plugins.yaml", "/config/pd-config.yaml")),
        ..IS_NONE
    };
    let ms = model_service(pd.namespace, "hf://Qwen/Qwen3-32B")
        + "  prefill:\n    replicas: 1\n    containers:\n      - name: vllm\n        args: [\"{{ .HFModelName }}\"]\n";
    let ours = render(&ms, &["vllm-pd-nixl", "monitoring"]);
    assert_same(&pd, &ours, "vllm-pd-nixl");
    // The P/D file is the guide's (inferencepool case of the P/D guide).
    let cm = find(&ours, "ConfigMap", &format!("{MS}-epp"));
    let chart_pd = chart_objects("ip-v1.3.0-pd-istio.yaml");
    let chart_cm = chart_pd
        .iter()
        .find(|o| kind_name(o).0 == "ConfigMap")
        .unwrap();
    let file = |n: &Node| {
        n.get_path(&["data", "pd-config.yaml"])
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(yaml_of(&file(cm)), yaml_of(&file(chart_cm)));
    assert!(file(cm).contains("- type: pd-profile-handler"));
}

/// With the tracing layer the EPP is the chart's with its tracing values
/// (the optimized-baseline guide with the tracing feature), and vLLM
/// exports traces too.
#[test]
fn tracing_layer_is_the_charts_tracing() {
    if cases().is_none() {
        return;
    }
    let case = Case {
        file: "ip-v1.4.0-ob-tracing-istio.yaml",
        release: "optimized-baseline",
        namespace: "llm-d-optimized-baseline",
        config_file: Some((
            "/config/optimized-baseline-plugins.yaml",
            "/config/default-plugins.yaml",
        )),
    };
    let ms = model_service(case.namespace, "hf://Qwen/Qwen3-32B");
    let ours = render(&ms, &["vllm-hf", "monitoring", "tracing"]);
    // This guide's Service adds an `http` port for its gateway: only the
    // Deployment is compared.
    let want = chart_objects(case.file)
        .into_iter()
        .find(|o| kind_name(o) == ("Deployment".into(), format!("{}-epp", case.release)))
        .expect("the chart's EPP Deployment");
    let mut w = normalize(&want, &[], CHART_LABELS);
    if let Some((from, to)) = case.config_file {
        replace_string(&mut w, from, to);
    }
    let got = normalize(
        find(&ours, "Deployment", &format!("{MS}-epp")),
        &name_map(&case),
        MSVC_LABELS,
    );
    let mut problems = Vec::new();
    diff("Deployment", &w, &got, &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let vllm = container(find(&ours, "Deployment", &format!("{MS}-decode")), "vllm");
    assert!(strings(vllm, "args").contains(&"--collect-detailed-traces=all".to_string()));
    assert_eq!(
        env_value(vllm, "OTEL_EXPORTER_OTLP_ENDPOINT").as_deref(),
        Some("http://otel-collector:4317")
    );
}
