//! Every stream msvc renders is valid Kubernetes, checked by real
//! validators rather than by msvc's own idea of the schemas:
//!
//! * core kinds (Deployment, Service, RBAC, HPA, PDB, ResourceClaimTemplate,
//!   ...) with `kubernetes-validate --strict` (PyPI; ships the Kubernetes
//!   JSON schemas and runs offline) at Kubernetes 1.34, the first release
//!   serving `resource.k8s.io/v1` (DRA) and the one whose schemas hold
//!   every field msvc writes (image volumes among them);
//! * CRD kinds (HTTPRoute, InferencePool v1 and v1alpha2, InferenceModel,
//!   LeaderWorkerSet) against the CRDs' OpenAPI schemas in
//!   `../shared/schemas/`, unknown fields forbidden (`validators/crd_schema.py`
//!   with python-jsonschema), plus the CEL rules those CRDs carry that a
//!   rendered object can hit, checked here by hand;
//! * PodMonitor and ServiceMonitor (no CRD at hand) and
//!   ResourceClaimTemplate: the fields their APIs require, checked here.
//!
//! The streams: every example (both Inference Extension APIs), every
//! built-in preset on a minimal ModelService, the upstream operator
//! samples, the chart's CASES and msvc's own chart cases.
//!
//! The Python tools live in a virtualenv made by `.ci/tools-venv`
//! (`target/tools-venv`, or `$MSVC_TOOLS_VENV`); `.ci/run` makes it, and
//! these tests make it themselves when it is missing. Without it (no
//! python3, no package index), or without `../shared`, the tests that need
//! them skip, saying so, unless `MSVC_REQUIRE_TOOLS` / `MSVC_REQUIRE_SHARED`
//! make that a failure (`tests/common/gate.rs`); the streams of the upstream
//! samples and chart CASES are then left out of the others.

mod tools;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use msvc::objects::ObjectExt;
use msvc::yaml::{Node, Origin, parse_one};
use tools::*;

/// The Kubernetes version kubernetes-validate checks against.
const KUBERNETES_VERSION: &str = "1.34.0";

/// Rendered output that is invalid on purpose, with the one error each
/// must show. `extras` templates `containerPort` as a quoted string in its
/// values, as `helm template` renders it too.
const KNOWN_INVALID: &[(&str, &str)] = &[(
    "chart-own-extras",
    "containerPort: '9200' is not of type 'integer'",
)];

struct Stream {
    label: String,
    text: String,
}

fn msvc_ok(cwd: &Path, args: &[&str]) -> String {
    let r = msvc_in(cwd, args);
    r.expect_ok(&format!("msvc {}", args.join(" ")));
    r.stdout
}

const MINIMAL: &str = "apiVersion: llm-d.ai/v1alpha1\nkind: ModelService\nmetadata:\n  name: minimal\nspec:\n  routing:\n    modelName: org/model\n    ports:\n    - name: app_port\n      port: 8000\n    - name: decode_port\n      port: 8200\n  modelArtifacts:\n    uri: hf://org/model\n  prefill:\n    replicas: 1\n    containers:\n    - name: vllm\n      mountModelVolume: true\n  decode:\n    replicas: 1\n    containers:\n    - name: vllm\n      mountModelVolume: true\n";

fn streams() -> &'static [Stream] {
    static STREAMS: OnceLock<Vec<Stream>> = OnceLock::new();
    STREAMS.get_or_init(|| {
        let root = root();
        let mut out = Vec::new();
        let mut push = |label: String, text: String| out.push(Stream { label, text });

        // Each example with the command its header gives.
        let mut examples: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        examples.sort();
        assert!(examples.len() >= 3, "examples/ holds the examples");
        for ex in &examples {
            let stem = ex.file_stem().unwrap().to_string_lossy().into_owned();
            let text = read(ex);
            let command = text
                .lines()
                .find_map(|l| l.strip_prefix("#   msvc render "))
                .unwrap_or_else(|| panic!("{} names its msvc render command", ex.display()));
            let command = command.split('|').next().unwrap();
            for api in ["v1", "v1alpha2"] {
                let mut args = vec!["render"];
                args.extend(command.split_whitespace());
                args.extend(["--gie-api", api]);
                push(format!("example-{stem}-{api}"), msvc_ok(&root, &args));
            }
        }

        // Each preset on a minimal ModelService (with a model URI of the
        // kind the preset is for): a preset that defines workloads alone and
        // under each patch-only one (hardware, size), which cannot stand
        // alone; patch-only ones over vllm-pd-nixl.
        let list = msvc_ok(&root, &["presets", "list"]);
        let presets: Vec<&str> = list
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert!(presets.len() >= 3, "presets: {list}");
        // Patch-only presets, and layers that define no workload (such as
        // `monitoring`), are rendered over a topology.
        let patch_only = |p: &str| {
            let text = msvc_ok(&root, &["presets", "show", p]);
            text.contains("msvc.llm-d.ai/patch-only: \"true\"")
                || !text.contains("\n  decodeDeployment:")
        };
        let dir = tempfile::tempdir().unwrap();
        let mut rendered_alone = 0;
        for p in &presets {
            let uri = if p.contains("oci") {
                "oci://registry.example.com/models/org-model:1.0"
            } else if p.contains("pvc") {
                "pvc://models/org/model"
            } else {
                "hf://org/model"
            };
            let file = format!("minimal-{p}.yaml");
            // SGLang's model server is named `sglang`; a ModelService for
            // it names that container.
            let mut text = MINIMAL.replace("hf://org/model", uri);
            if p.starts_with("sglang") {
                text = text.replace("- name: vllm", "- name: sglang");
            } else if uri.starts_with("hf://") {
                // vLLM presets for hf:// take the model from the ModelService.
                text = text.replace(
                    "      mountModelVolume: true\n",
                    "      args: [\"{{ .HFModelName }}\"]\n      mountModelVolume: true\n",
                );
            }
            // A topology without prefill gets a ModelService without it.
            if !patch_only(p)
                && !msvc_ok(&root, &["presets", "show", p]).contains("prefillDeployment:")
            {
                let start = text.find("  prefill:\n").unwrap();
                let end = text.find("  decode:\n").unwrap();
                text.replace_range(start..end, "");
            }
            std::fs::write(dir.path().join(&file), text).unwrap();
            if patch_only(p) {
                // Over a topology that defines both roles the MINIMAL
                // ModelService uses.
                push(
                    format!("preset-vllm-pd-nixl-{p}"),
                    msvc_ok(
                        dir.path(),
                        &["render", &file, "--preset", "vllm-pd-nixl", "--preset", p],
                    ),
                );
                continue;
            }
            rendered_alone += 1;
            for api in ["v1", "v1alpha2"] {
                push(
                    format!("preset-{p}-{api}"),
                    msvc_ok(
                        dir.path(),
                        &["render", &file, "--preset", p, "--gie-api", api],
                    ),
                );
            }
        }
        assert!(rendered_alone >= 3, "presets that define workloads");

        if let Some(samples) = require_shared("upstream/operator/samples") {
            upstream_sample_streams(&samples, &mut push);
        }
        if let Some(chart) = require_shared("upstream/chart") {
            upstream_chart_streams(&chart, &mut push);
        }

        let own = root.join("tests/chart");
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&own)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("args").is_file() && p.join("expected.yaml").is_file())
            .collect();
        cases.sort();
        assert!(cases.len() >= 10, "msvc's own chart cases");
        for c in &cases {
            let args = read(&c.join("args"));
            let mut argv = vec!["template"];
            argv.extend(args.lines().filter(|l| !l.is_empty()));
            let name = c.file_name().unwrap().to_string_lossy().into_owned();
            push(format!("chart-own-{name}"), msvc_ok(c, &argv));
        }
        out
    })
}

/// The upstream operator samples, under both Inference Extension APIs.
fn upstream_sample_streams(samples: &Path, push: &mut impl FnMut(String, String)) {
    let root = root();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(samples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 3, "upstream samples");

    // Each ModelService file with the BaseConfig files of its folder
    // (`test/` holds two ModelServices of one name).
    for d in &dirs {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<PathBuf> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        files.sort();
        let is_ms = |p: &PathBuf| read(p).contains("kind: ModelService");
        let bases: Vec<String> = files
            .iter()
            .filter(|p| !is_ms(p))
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        for ms in files.iter().filter(|p| is_ms(p)) {
            let stem = ms.file_stem().unwrap().to_string_lossy().into_owned();
            for api in ["v1", "v1alpha2"] {
                let f = ms.to_string_lossy().into_owned();
                let mut args = vec!["render", f.as_str()];
                args.extend(bases.iter().map(String::as_str));
                args.extend(["--gie-api", api]);
                push(
                    format!("upstream-{name}-{stem}-{api}"),
                    msvc_ok(&root, &args),
                );
            }
        }
    }
}

/// Each call in the chart's CASES.
fn upstream_chart_streams(chart: &Path, push: &mut impl FnMut(String, String)) {
    let cases = read(&chart.join("CASES"));
    let examples_dir = chart.join("examples");
    let mut n = 0;
    for line in cases
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split('|').collect();
        let mut args = vec!["template", f[0], "-f", f[1]];
        if !f[2].is_empty() {
            args.extend(["--set", f[2]]);
        }
        push(format!("chart-{}", f[0]), msvc_ok(&examples_dir, &args));
        n += 1;
    }
    assert_eq!(n, 8, "the chart's CASES");
}

/// The documents of a stream as text, split at `---` lines.
fn doc_texts(stream: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut cur = String::new();
    for line in stream.lines() {
        if line == "---" {
            if !cur.trim().is_empty() {
                docs.push(std::mem::take(&mut cur));
            }
            cur.clear();
        } else {
            cur.push_str(line);
            cur.push('\n');
        }
    }
    if !cur.trim().is_empty() {
        docs.push(cur);
    }
    docs
}

/// Which validator an object goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Validator {
    Core,
    Crd,
    /// PodMonitor and ServiceMonitor (Prometheus Operator; no CRD at hand).
    PodMonitor,
}

/// `../shared/schemas`, in a test that checked `require_shared("schemas")`
/// first.
fn schemas() -> PathBuf {
    require_shared("schemas").expect("the test checks `require_shared(\"schemas\")` first")
}

fn crd_kinds() -> &'static BTreeSet<(String, String)> {
    static KINDS: OnceLock<BTreeSet<(String, String)>> = OnceLock::new();
    KINDS.get_or_init(|| {
        let mut set = BTreeSet::new();
        let schemas = schemas();
        for e in std::fs::read_dir(schemas).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|x| x != "yaml") {
                continue;
            }
            let crd = parse_one(&read(&p), &Origin::file("crd")).unwrap();
            let group = str_at(&crd, &["spec", "group"]).unwrap().to_string();
            let kind = str_at(&crd, &["spec", "names", "kind"])
                .unwrap()
                .to_string();
            for v in crd
                .get_path(&["spec", "versions"])
                .and_then(Node::as_seq)
                .unwrap()
            {
                let name = str_at(v, &["name"]).unwrap();
                set.insert((format!("{group}/{name}"), kind.clone()));
            }
        }
        assert!(set.len() >= 6, "CRDs in ../shared/schemas: {set:?}");
        set
    })
}

fn validator(obj: &Node) -> Validator {
    let key = (obj.api_version().to_string(), obj.kind().to_string());
    if crd_kinds().contains(&key) {
        Validator::Crd
    } else if obj.api_version().starts_with("monitoring.coreos.com/")
        && matches!(obj.kind(), "PodMonitor" | "ServiceMonitor")
    {
        Validator::PodMonitor
    } else {
        Validator::Core
    }
}

/// Every object of every stream: (stream label, its text, the object).
fn objects() -> &'static [(String, String, Node)] {
    static OBJECTS: OnceLock<Vec<(String, String, Node)>> = OnceLock::new();
    OBJECTS.get_or_init(|| {
        let mut out = Vec::new();
        for s in streams() {
            for text in doc_texts(&s.text) {
                let node = parse_one(&text, &Origin::file(s.label.as_str()))
                    .unwrap_or_else(|e| panic!("{}: {e}", s.label));
                out.push((s.label.clone(), text, node));
            }
        }
        out
    })
}

/// Writes the objects of each stream that go to `v` into `dir`, a file per
/// stream named after it; returns the files.
fn write_for(v: Validator, dir: &Path) -> Vec<PathBuf> {
    let mut per_stream: BTreeMap<&str, String> = BTreeMap::new();
    for (label, text, node) in objects() {
        if validator(node) == v {
            let s = per_stream.entry(label).or_default();
            s.push_str("---\n");
            s.push_str(text);
        }
    }
    per_stream
        .into_iter()
        .map(|(label, text)| {
            let p = dir.join(format!("{label}.yaml"));
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect()
}

/// The virtualenv with kubernetes-validate, jsonschema and PyYAML, in a
/// test that checked `require_tools_venv()` first.
fn venv() -> PathBuf {
    require_tools_venv().expect("the test checks `require_tools_venv()` first")
}

/// What the validator tests need: the CRD schemas (which also sort the
/// objects) and the Python validators. `false`: skip.
fn validators_at_hand() -> bool {
    require_shared("schemas").is_some() && require_tools_venv().is_some()
}

fn kubernetes_validate(files: &[PathBuf]) -> Run {
    run(Command::new(venv().join("bin/kubernetes-validate"))
        .args(["--strict", "--quiet", "-k", KUBERNETES_VERSION])
        .args(files)
        .stdin(Stdio::null()))
}

fn crd_schema(files: &[PathBuf]) -> Run {
    run(Command::new(venv().join("bin/python"))
        .arg(root().join("tests/validators/crd_schema.py"))
        .arg(schemas())
        .args(files)
        .stdin(Stdio::null()))
}

#[test]
fn core_kinds_pass_kubernetes_validate_strict() {
    if !validators_at_hand() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files = write_for(Validator::Core, dir.path());
    assert!(
        files.len() >= 20,
        "{} streams with core objects",
        files.len()
    );
    let r = kubernetes_validate(&files);
    let report = format!("{}{}", r.stdout, r.stderr);
    let mut unexpected = Vec::new();
    let mut seen = vec![false; KNOWN_INVALID.len()];
    for line in report.lines().filter(|l| !l.trim().is_empty()) {
        match KNOWN_INVALID
            .iter()
            .position(|(label, msg)| line.contains(&format!("{label}.yaml")) && line.contains(msg))
        {
            Some(i) => seen[i] = true,
            None => unexpected.push(line),
        }
    }
    assert!(
        unexpected.is_empty(),
        "kubernetes-validate --strict -k {KUBERNETES_VERSION} (a WARN means a kind it has no schema for):\n{}",
        unexpected.join("\n")
    );
    for ((label, msg), seen) in KNOWN_INVALID.iter().zip(seen) {
        assert!(
            seen,
            "{label} no longer fails with {msg:?}: take it off KNOWN_INVALID"
        );
    }
}

#[test]
fn crd_kinds_pass_their_crd_schemas() {
    if !validators_at_hand() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files = write_for(Validator::Crd, dir.path());
    assert!(
        files.len() >= 15,
        "{} streams with CRD objects",
        files.len()
    );
    let r = crd_schema(&files);
    assert!(
        r.ok(),
        "objects that do not match their CRD's schema:\n{}{}",
        r.stdout,
        r.stderr
    );
    // Every CRD kind msvc can emit was seen (or nothing would be checked).
    let seen: BTreeSet<(String, String)> = objects()
        .iter()
        .filter(|(_, _, n)| validator(n) == Validator::Crd)
        .map(|(_, _, n)| (n.api_version().to_string(), n.kind().to_string()))
        .collect();
    for want in [
        ("gateway.networking.k8s.io/v1", "HTTPRoute"),
        ("inference.networking.k8s.io/v1", "InferencePool"),
        ("inference.networking.x-k8s.io/v1alpha2", "InferencePool"),
        ("inference.networking.x-k8s.io/v1alpha2", "InferenceModel"),
        ("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet"),
    ] {
        assert!(
            seen.contains(&(want.0.to_string(), want.1.to_string())),
            "no {want:?} among the rendered streams: {seen:?}"
        );
    }
}

/// The validators reject what they must: without this, a setup that
/// validated nothing would pass.
#[test]
fn validators_reject_broken_objects() {
    if !validators_at_hand() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let deployment = dir.path().join("deployment.yaml");
    std::fs::write(
        &deployment,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replica: 1\n  selector:\n    matchLabels: {a: b}\n  template:\n    metadata:\n      labels: {a: b}\n    spec:\n      containers:\n      - name: c\n        image: i\n",
    )
    .unwrap();
    let r = kubernetes_validate(std::slice::from_ref(&deployment));
    assert!(
        !r.ok() && format!("{}{}", r.stdout, r.stderr).contains("replica"),
        "kubernetes-validate --strict must reject an unknown field: {r:?}"
    );
    let pool = dir.path().join("pool.yaml");
    std::fs::write(
        &pool,
        "apiVersion: inference.networking.k8s.io/v1\nkind: InferencePool\nmetadata:\n  name: p\nspec:\n  selector:\n    matchLabels: {a: b}\n  targetPorts:\n  - number: 8000\n  endpointPickerRef:\n    name: epp\n    port: {number: 9002}\n  extensionRef: {name: old}\n",
    )
    .unwrap();
    let r = crd_schema(std::slice::from_ref(&pool));
    assert!(
        !r.ok() && r.stdout.contains("extensionRef"),
        "the CRD check must reject an unknown field: {r:?}"
    );
    let bad_meta = dir.path().join("meta.yaml");
    std::fs::write(
        &bad_meta,
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: Not_A_Name\n  labels: {a: \"x y\"}\nspec: {}\n",
    )
    .unwrap();
    let r = crd_schema(std::slice::from_ref(&bad_meta));
    assert!(!r.ok() && r.stdout.contains("metadata.name"), "{r:?}");
    assert!(r.stdout.contains("metadata.labels.a"), "{r:?}");
}

// ---------------------------------------------------------------------------
// CEL rules (x-kubernetes-validations) of the CRDs, by hand.

fn seq(node: Option<&Node>) -> &[Node] {
    node.and_then(Node::as_seq).map_or(&[], Vec::as_slice)
}

fn text_or<'a>(node: &'a Node, key: &str, default: &'a str) -> &'a str {
    node.get(key).and_then(Node::as_str).unwrap_or(default)
}

/// The CEL rules of the CRDs that rendered objects can meet; each problem
/// as a line.
fn cel_problems(obj: &Node) -> Vec<String> {
    let mut p = Vec::new();
    match (obj.api_version(), obj.kind()) {
        ("inference.networking.k8s.io/v1", "InferencePool") => {
            if let Some(r) = obj.get_path(&["spec", "endpointPickerRef"])
                && text_or(r, "kind", "Service") == "Service"
                && r.get("port").is_none()
            {
                p.push(
                    "endpointPickerRef: port is required when kind is 'Service' or unspecified"
                        .into(),
                );
            }
            let ports: Vec<i64> = seq(obj.get_path(&["spec", "targetPorts"]))
                .iter()
                .filter_map(|t| t.get("number").and_then(Node::as_i64))
                .collect();
            let unique: BTreeSet<i64> = ports.iter().copied().collect();
            if unique.len() != ports.len() {
                p.push(format!(
                    "targetPorts: port numbers must be unique: {ports:?}"
                ));
            }
        }
        ("inference.networking.x-k8s.io/v1alpha2", "InferenceModel") => {
            let targets = seq(obj.get_path(&["spec", "targetModels"]));
            let weighted = targets.iter().filter(|t| t.get("weight").is_some()).count();
            if weighted != 0 && weighted != targets.len() {
                p.push("targetModels: weights for all models or none".into());
            }
        }
        ("gateway.networking.k8s.io/v1", "HTTPRoute") => http_route(obj, &mut p),
        _ => {}
    }
    p
}

fn http_route(obj: &Node, p: &mut Vec<String>) {
    // parentRefs naming the same parent need distinct, set sectionNames.
    let parents = seq(obj.get_path(&["spec", "parentRefs"]));
    let key = |r: &Node| {
        (
            text_or(r, "group", "gateway.networking.k8s.io").to_string(),
            text_or(r, "kind", "Gateway").to_string(),
            text_or(r, "name", "").to_string(),
            text_or(r, "namespace", "").to_string(),
        )
    };
    for (i, a) in parents.iter().enumerate() {
        for b in &parents[i + 1..] {
            if key(a) != key(b) {
                continue;
            }
            let (sa, sb) = (text_or(a, "sectionName", ""), text_or(b, "sectionName", ""));
            if sa.is_empty() != sb.is_empty() {
                p.push("parentRefs: sectionName must be specified when parentRefs includes 2 or more references to the same parent".into());
            } else if sa == sb {
                p.push("parentRefs: sectionName must be unique when parentRefs includes 2 or more references to the same parent".into());
            }
        }
    }
    for (ri, rule) in seq(obj.get_path(&["spec", "rules"])).iter().enumerate() {
        let backends = seq(rule.get("backendRefs"));
        for b in backends {
            backend_port(b, &format!("rules[{ri}].backendRefs"), p);
            filters(
                seq(b.get("filters")),
                &format!("rules[{ri}].backendRefs.filters"),
                p,
            );
        }
        let fs = seq(rule.get("filters"));
        filters(fs, &format!("rules[{ri}].filters"), p);
        if !backends.is_empty() && fs.iter().any(|f| f.get("requestRedirect").is_some()) {
            p.push(format!(
                "rules[{ri}]: RequestRedirect filter must not be used together with backendRefs"
            ));
        }
        for m in seq(rule.get("matches")) {
            if let Some(path) = m.get("path") {
                path_match(path, &format!("rules[{ri}].matches.path"), p);
            }
        }
    }
}

fn backend_port(b: &Node, at: &str, p: &mut Vec<String>) {
    if text_or(b, "group", "").is_empty()
        && text_or(b, "kind", "Service") == "Service"
        && b.get("port").is_none()
    {
        p.push(format!("{at}: Must have port for Service reference"));
    }
}

const FILTER_FIELDS: &[(&str, &str)] = &[
    ("CORS", "cors"),
    ("RequestHeaderModifier", "requestHeaderModifier"),
    ("ResponseHeaderModifier", "responseHeaderModifier"),
    ("RequestMirror", "requestMirror"),
    ("RequestRedirect", "requestRedirect"),
    ("URLRewrite", "urlRewrite"),
    ("ExtensionRef", "extensionRef"),
];

fn filters(list: &[Node], at: &str, p: &mut Vec<String>) {
    for f in list {
        let ty = text_or(f, "type", "");
        for (t, field) in FILTER_FIELDS {
            if f.get(field).is_some() != (ty == *t) {
                p.push(format!(
                    "{at}: filter.{field} must be set exactly for filter.type {t}"
                ));
            }
        }
        for field in ["requestRedirect", "urlRewrite"] {
            if let Some(path) = f.get(field).and_then(|x| x.get("path")) {
                let ty = text_or(path, "type", "");
                for (t, k) in [
                    ("ReplaceFullPath", "replaceFullPath"),
                    ("ReplacePrefixMatch", "replacePrefixMatch"),
                ] {
                    if path.get(k).is_some() != (ty == t) {
                        p.push(format!(
                            "{at}: {field}.path.{k} must be set exactly for type {t}"
                        ));
                    }
                }
            }
        }
        if let Some(mirror) = f.get("requestMirror") {
            if let Some(b) = mirror.get("backendRef") {
                backend_port(b, &format!("{at}.requestMirror.backendRef"), p);
            }
            if mirror.get("percent").is_some() && mirror.get("fraction").is_some() {
                p.push(format!("{at}: requestMirror has both percent and fraction"));
            }
        }
        if let Some(cors) = f.get("cors") {
            for k in [
                "allowOrigins",
                "allowMethods",
                "allowHeaders",
                "exposeHeaders",
            ] {
                let l = seq(cors.get(k));
                if l.len() > 1 && l.iter().any(|x| x.as_str() == Some("*")) {
                    p.push(format!("{at}: cors.{k} holds '*' beside other values"));
                }
            }
        }
    }
    for (t, _) in FILTER_FIELDS {
        let n = list.iter().filter(|f| text_or(f, "type", "") == *t).count();
        if n > 1 && *t != "RequestMirror" && *t != "ExtensionRef" {
            p.push(format!("{at}: {t} filter cannot be repeated"));
        }
    }
    let has = |t: &str| list.iter().any(|f| text_or(f, "type", "") == t);
    if has("RequestRedirect") && has("URLRewrite") {
        p.push(format!(
            "{at}: RequestRedirect and URLRewrite filters cannot be used together"
        ));
    }
}

fn path_match(path: &Node, at: &str, p: &mut Vec<String>) {
    let ty = text_or(path, "type", "PathPrefix");
    let value = text_or(path, "value", "/");
    if !["Exact", "PathPrefix", "RegularExpression"].contains(&ty) {
        p.push(format!(
            "{at}: type must be one of Exact, PathPrefix, RegularExpression"
        ));
    }
    if ty == "RegularExpression" {
        return;
    }
    let valid_chars = {
        let b = value.as_bytes();
        let mut i = 0;
        let mut ok = !b.is_empty();
        while ok && i < b.len() {
            let c = b[i];
            if c == b'%' {
                ok = b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
                i += 3;
            } else {
                ok = c.is_ascii_alphanumeric() || b"-/._~!$&'()*+,;=:@".contains(&c);
                i += 1;
            }
        }
        ok
    };
    let bad = !value.starts_with('/')
        || ["//", "/./", "/../", "%2f", "%2F", "#"]
            .iter()
            .any(|s| value.contains(s))
        || value.ends_with("/..")
        || value.ends_with("/.")
        || !valid_chars;
    if bad {
        p.push(format!("{at}: `{value}` is not a valid {ty} path"));
    }
}

#[test]
fn crd_cel_rules_hold() {
    // The CRD schemas tell CRD kinds from core ones.
    if require_shared("schemas").is_none() {
        return;
    }
    let mut problems = Vec::new();
    let mut checked = 0;
    for (label, _, obj) in objects() {
        if validator(obj) != Validator::Crd {
            continue;
        }
        checked += 1;
        for problem in cel_problems(obj) {
            problems.push(format!("{label}: {}/{}: {problem}", obj.kind(), obj.name()));
        }
    }
    assert!(checked >= 20, "{checked} CRD objects");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn cel_checks_catch_what_they_check() {
    let bad = [
        "apiVersion: inference.networking.k8s.io/v1\nkind: InferencePool\nmetadata: {name: p}\nspec:\n  targetPorts: [{number: 8000}, {number: 8000}]\n  endpointPickerRef: {name: epp}\n",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  parentRefs: [{name: gw}, {name: gw, sectionName: http}]\n  rules:\n  - backendRefs: [{name: svc}]\n    matches: [{path: {type: PathPrefix, value: /a//b}}]\n    filters: [{type: URLRewrite}]\n",
        "apiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferenceModel\nmetadata: {name: m}\nspec:\n  modelName: m\n  poolRef: {name: p}\n  targetModels: [{name: a, weight: 1}, {name: b}]\n",
    ];
    let want = [2, 4, 1];
    for (text, n) in bad.iter().zip(want) {
        let obj = parse_one(text, &Origin::file("t")).unwrap();
        let p = cel_problems(&obj);
        assert_eq!(p.len(), n, "{p:#?}");
    }
}

// ---------------------------------------------------------------------------
// Kinds with no schema at hand: the fields their APIs require.

#[test]
fn pod_monitors_and_resource_claim_templates_have_required_fields() {
    let mut monitors = 0;
    let mut service_monitors = 0;
    let mut claims = 0;
    let mut problems = Vec::new();
    for (label, _, obj) in objects() {
        let mut need = |ok: bool, what: &str| {
            if !ok {
                problems.push(format!("{label}: {}/{}: {what}", obj.kind(), obj.name()));
            }
        };
        match obj.kind() {
            "PodMonitor" => {
                monitors += 1;
                need(
                    obj.api_version() == "monitoring.coreos.com/v1",
                    "apiVersion monitoring.coreos.com/v1",
                );
                // The namespace may be left to kubectl (chart output is).
                need(!obj.name().is_empty(), "metadata.name");
                let selector = obj.get_path(&["spec", "selector"]);
                need(
                    selector.is_some_and(|s| {
                        s.get("matchLabels")
                            .and_then(Node::as_map)
                            .is_some_and(|m| !m.is_empty())
                            || !seq(s.get("matchExpressions")).is_empty()
                    }),
                    "spec.selector with matchLabels or matchExpressions",
                );
                let endpoints = seq(obj.get_path(&["spec", "podMetricsEndpoints"]));
                need(!endpoints.is_empty(), "spec.podMetricsEndpoints");
                for e in endpoints {
                    need(
                        e.get("port")
                            .and_then(Node::as_str)
                            .is_some_and(|p| !p.is_empty())
                            || e.get("portNumber").and_then(Node::as_i64).is_some()
                            || e.get("targetPort").is_some(),
                        "each endpoint names a port (port, portNumber or targetPort)",
                    );
                    if let Some(path) = e.get("path").and_then(Node::as_str) {
                        need(path.starts_with('/'), "endpoint path starts with /");
                    }
                }
            }
            "ServiceMonitor" => {
                service_monitors += 1;
                need(
                    obj.api_version() == "monitoring.coreos.com/v1",
                    "apiVersion monitoring.coreos.com/v1",
                );
                need(!obj.name().is_empty(), "metadata.name");
                need(
                    obj.get_path(&["spec", "selector", "matchLabels"])
                        .and_then(Node::as_map)
                        .is_some_and(|m| !m.is_empty()),
                    "spec.selector.matchLabels",
                );
                let endpoints = seq(obj.get_path(&["spec", "endpoints"]));
                need(!endpoints.is_empty(), "spec.endpoints");
                for e in endpoints {
                    need(
                        e.get("port")
                            .and_then(Node::as_str)
                            .is_some_and(|p| !p.is_empty())
                            || e.get("targetPort").is_some(),
                        "each endpoint names a Service port (port or targetPort)",
                    );
                }
            }
            "ResourceClaimTemplate" => {
                claims += 1;
                need(
                    obj.api_version().starts_with("resource.k8s.io/"),
                    "apiVersion resource.k8s.io",
                );
                // The namespace may be left to kubectl (chart output is).
                need(!obj.name().is_empty(), "metadata.name");
                let requests = seq(obj.get_path(&["spec", "spec", "devices", "requests"]));
                need(!requests.is_empty(), "spec.spec.devices.requests");
                for r in requests {
                    need(
                        r.get("name").and_then(Node::as_str).is_some(),
                        "each request has a name",
                    );
                    let class = r
                        .get_path(&["exactly", "deviceClassName"])
                        .or_else(|| r.get("deviceClassName"))
                        .and_then(Node::as_str);
                    need(
                        class.is_some_and(|c| !c.is_empty()) || r.get("firstAvailable").is_some(),
                        "each request names a deviceClassName (exactly) or firstAvailable",
                    );
                }
            }
            _ => {}
        }
    }
    assert!(monitors >= 1, "a PodMonitor is rendered by some case");
    assert!(
        service_monitors >= 1,
        "a ServiceMonitor is rendered by some case"
    );
    assert!(
        claims >= 1,
        "a ResourceClaimTemplate is rendered by some case"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every object went to a validator that knows its kind: core kinds are
/// checked by kubernetes-validate (which warns, failing the test above, on
/// a kind it has no schema for), the rest here.
#[test]
fn every_object_is_validated() {
    // The CRD schemas tell CRD kinds from core ones.
    if require_shared("schemas").is_none() {
        return;
    }
    let mut by: BTreeMap<String, Validator> = BTreeMap::new();
    for (_, _, obj) in objects() {
        by.insert(
            format!("{} {}", obj.api_version(), obj.kind()),
            validator(obj),
        );
    }
    let core: Vec<&String> = by
        .iter()
        .filter(|(_, v)| **v == Validator::Core)
        .map(|(k, _)| k)
        .collect();
    for k in &core {
        let group = k.split('/').next().unwrap_or("");
        assert!(
            !group.contains('.') || (group.ends_with(".k8s.io") && !group.contains("x-k8s")),
            "{k} is not a built-in Kubernetes kind but has no CRD schema in ../shared/schemas"
        );
    }
    assert!(core.len() >= 8, "{core:?}");
}
