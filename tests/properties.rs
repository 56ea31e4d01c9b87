//! Properties of the pipeline over generated inputs (proptest).
//!
//! * render is deterministic: the same ModelService and presets give the
//!   same bytes twice, and a set of ModelServices gives the same bytes
//!   whatever the order of the input files, whether they come as one
//!   stream or one file each, and on one thread or several;
//! * merge is idempotent: laying an overlay over a base twice is laying
//!   it once (but for container `args`, prepended by design);
//! * every emitted object passes the structural checks of its kind: core
//!   kinds read into their k8s-openapi type without losing a field, the
//!   CRD kinds a ModelService renders (InferencePool v1 and v1alpha2,
//!   InferenceModel, HTTPRoute) satisfy their published CRD schema in
//!   `../shared/schemas` (checked when `../shared` is there), and names
//!   and labels are what the API server accepts. (LeaderWorkerSet comes only from chart values: the chart
//!   cases in `tests/validate.rs` check it against its schema.)
//!
//! Generated ModelServices vary the name, namespace, labels, model URI
//! (hf://, pvc://, oci://), replicas, prefill/decode, parallelism, ports,
//! env, args, accelerator types, autoscaling and disruption budgets, over
//! the built-in presets, layered with hardware and size presets. They are
//! all valid, so every render must succeed.

mod common;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use msvc::load::Source;
use msvc::merge::merge;
use msvc::objects::ObjectExt;
use msvc::objects::inference::GieApi;
use msvc::yaml::{Mapping, Node, Origin, Value, parse_documents};
use msvc::{RenderOptions, RenderRequest, emit};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value as J;

const CASES: u32 = 64;

fn config() -> Config {
    Config::with_cases(CASES)
}

// ---------------------------------------------------------------------
// Generated ModelServices.

#[derive(Clone, Copy, Debug, PartialEq)]
enum UriForm {
    Hf,
    Pvc,
    Oci,
}

/// A preset stack msvc supports, and what a ModelService needs for it.
#[derive(Clone, Debug)]
struct Stack {
    presets: Vec<&'static str>,
    uri: UriForm,
    /// Prefill/decode disaggregation: prefill and a `decode_port` needed.
    pd: bool,
    container: &'static str,
}

const BASES: &[(&str, UriForm, bool, &str)] = &[
    ("vllm-hf", UriForm::Hf, false, "vllm"),
    ("vllm-pvc", UriForm::Pvc, false, "vllm"),
    ("vllm-oci", UriForm::Oci, false, "vllm"),
    ("vllm-pd-nixl", UriForm::Hf, true, "vllm"),
    ("sglang", UriForm::Pvc, false, "sglang"),
];
const HARDWARE: &[&str] = &[
    "nvidia",
    "amd-rocm",
    "aws-efa",
    "cpu",
    "google-tpu",
    "intel-gaudi",
    "intel-xpu",
    "intel-xpu-xe",
];
const SIZES: &[&str] = &["small", "medium", "large"];

/// One preset, as `spec.baseConfigMapRef.name` can name it.
fn single_stack() -> impl Strategy<Value = Stack> {
    (0..BASES.len()).prop_map(|i| {
        let (p, uri, pd, container) = BASES[i];
        Stack {
            presets: vec![p],
            uri,
            pd,
            container,
        }
    })
}

/// A base preset, maybe with a hardware and a size preset over it.
fn stack() -> impl Strategy<Value = Stack> {
    (
        single_stack(),
        proptest::option::of(0..HARDWARE.len()),
        proptest::option::of(0..SIZES.len()),
    )
        .prop_map(|(mut s, hw, size)| {
            // vllm-hf, -pvc, -oci are hardware-neutral; the others name theirs.
            if let Some(h) = hw.filter(|_| s.presets[0].starts_with("vllm-") && !s.pd) {
                s.presets.push(HARDWARE[h]);
            }
            if let Some(z) = size {
                s.presets.push(SIZES[z]);
            }
            s
        })
}

#[derive(Clone, Debug)]
struct Role {
    replicas: Option<u8>,
    tensor: Option<u8>,
    image: Option<String>,
    args: Vec<String>,
    env: BTreeMap<String, String>,
    mount: bool,
    autoscaling: Option<(u8, u8)>,
    budget: Option<u8>,
}

#[derive(Clone, Debug)]
struct Model {
    name: String,
    namespace: Option<String>,
    labels: BTreeMap<String, String>,
    org: String,
    model: String,
    /// pvc claim or oci repository, and path or tag.
    location: (String, String),
    auth: Option<String>,
    size: Option<u16>,
    app_port: u16,
    extra_ports: BTreeMap<String, u16>,
    accelerators: Option<Vec<String>>,
    decode: Role,
    prefill: Option<Role>,
}

fn dns_label(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[a-z]([a-z0-9-]{{0,{}}}[a-z0-9])?", max - 2)).unwrap()
}

fn arg() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{{ .HFModelName }}".to_string()),
        Just("--served-model-name={{ .ModelName }}".to_string()),
        Just("--enable-prefix-caching".to_string()),
        Just("--max-model-len".to_string()),
        "[0-9]{1,5}",
        "--[a-z][a-z-]{0,10}(=[a-zA-Z0-9._/]{0,8})?",
    ]
}

fn env_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ._/:=-]{0,12}",
        Just("{{ .ModelName }}".to_string()),
        Just("{{ .ModelServiceNamespace }}-x".to_string()),
    ]
}

fn role(needs_image: bool) -> impl Strategy<Value = Role> {
    (
        (
            proptest::option::of(0u8..5),
            proptest::option::of(1u8..9),
            proptest::option::of("[a-z]{1,8}/[a-z-]{1,10}:v[0-9]{1,2}"),
        ),
        proptest::collection::vec(arg(), 0..4),
        proptest::collection::btree_map("[A-Z][A-Z0-9_]{0,7}", env_value(), 0..4),
        any::<bool>(),
        proptest::option::of((1u8..4, 0u8..8)),
        proptest::option::of(0u8..3),
    )
        .prop_map(
            move |((replicas, tensor, image), args, env, mount, autoscaling, budget)| Role {
                replicas,
                tensor,
                image: if needs_image {
                    Some(image.unwrap_or_else(|| "vllm/vllm-openai:v0.10.0".into()))
                } else {
                    image
                },
                args,
                env,
                mount,
                // min, max = min + extra
                autoscaling: autoscaling.map(|(min, extra)| (min, min + extra)),
                budget,
            },
        )
}

fn model(stack: &Stack) -> impl Strategy<Value = Model> + use<> {
    let pd = stack.pd;
    let uri = stack.uri;
    (
        (
            dns_label(16),
            proptest::option::of(dns_label(12)),
            proptest::collection::btree_map("[a-z][a-z0-9]{0,5}", "[a-z0-9]{1,6}", 0..3),
            "[a-z][a-z0-9-]{0,8}",
            "[A-Za-z0-9][A-Za-z0-9._-]{0,15}",
        ),
        (
            dns_label(12),
            "[a-z0-9]{1,8}(/[a-z0-9][a-z0-9._-]{0,7}){0,2}",
            proptest::option::of(dns_label(10)),
            proptest::option::of(1u16..999),
        ),
        (
            1u16..=65535,
            proptest::collection::btree_map("[a-z]{1,6}_port", 1u16..=65535, 0..2),
            proptest::option::of(proptest::collection::vec("[A-Z][A-Za-z0-9-]{0,10}", 1..3)),
        ),
        role(false),
        proptest::option::of(role(true)),
    )
        .prop_map(
            move |(
                (name, namespace, labels, org, model),
                (claim, path, auth, size),
                (app_port, extra_ports, accelerators),
                decode,
                prefill,
            )| {
                let prefill = match (pd, prefill) {
                    (true, None) => Some(Role {
                        replicas: Some(1),
                        tensor: None,
                        image: None,
                        args: vec![],
                        env: BTreeMap::new(),
                        mount: true,
                        autoscaling: None,
                        budget: None,
                    }),
                    // A prefill role the preset does not define is the
                    // ModelService's own container, which must be handed the
                    // model: generated (as args) for hf:// only.
                    (false, Some(_)) if uri != UriForm::Hf => None,
                    (_, p) => p,
                };
                Model {
                    name,
                    namespace,
                    labels,
                    org,
                    model,
                    location: (claim, path),
                    auth,
                    size,
                    app_port,
                    extra_ports,
                    accelerators,
                    decode,
                    prefill,
                }
            },
        )
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

impl Model {
    fn model_name(&self) -> String {
        format!("{}/{}", self.org, self.model)
    }

    /// The ModelService as YAML; `base` names its BaseConfig.
    fn yaml(&self, stack: &Stack, base: Option<&str>) -> String {
        use std::fmt::Write;
        let mut y = String::new();
        let w = &mut y;
        writeln!(
            w,
            "apiVersion: llm-d.ai/v1alpha1\nkind: ModelService\nmetadata:"
        )
        .unwrap();
        writeln!(w, "  name: {}", self.name).unwrap();
        if let Some(ns) = &self.namespace {
            writeln!(w, "  namespace: {ns}").unwrap();
        }
        if !self.labels.is_empty() {
            writeln!(w, "  labels:").unwrap();
            for (k, v) in &self.labels {
                writeln!(w, "    {k}: {}", quoted(v)).unwrap();
            }
        }
        writeln!(w, "spec:").unwrap();
        if let Some(b) = base {
            writeln!(w, "  baseConfigMapRef:\n    name: {b}").unwrap();
        }
        writeln!(
            w,
            "  routing:\n    modelName: {}",
            quoted(&self.model_name())
        )
        .unwrap();
        writeln!(w, "    ports:").unwrap();
        writeln!(w, "      - name: app_port\n        port: {}", self.app_port).unwrap();
        let mut ports = self.extra_ports.clone();
        if stack.pd {
            ports
                .entry("decode_port".into())
                .or_insert(self.app_port.wrapping_add(1).max(1));
        }
        for (n, p) in ports.iter().filter(|(n, _)| *n != "app_port") {
            writeln!(w, "      - name: {n}\n        port: {p}").unwrap();
        }
        let uri = match stack.uri {
            UriForm::Hf => format!("hf://{}", self.model_name()),
            UriForm::Pvc => format!("pvc://{}/{}", self.location.0, self.location.1),
            UriForm::Oci => format!(
                "oci://registry.example.com/{}:{}",
                self.location.0,
                self.location.1.replace(['/', '.'], "-")
            ),
        };
        writeln!(w, "  modelArtifacts:\n    uri: {}", quoted(&uri)).unwrap();
        if let Some(a) = &self.auth {
            writeln!(w, "    authSecretName: {a}").unwrap();
        }
        if let Some(s) = self.size {
            writeln!(w, "    size: {s}Gi").unwrap();
        }
        let roles = [
            ("decode", Some(&self.decode)),
            ("prefill", self.prefill.as_ref()),
        ];
        for (key, r) in roles {
            let Some(r) = r else { continue };
            writeln!(w, "  {key}:").unwrap();
            if let Some(n) = r.replicas {
                writeln!(w, "    replicas: {n}").unwrap();
            }
            if let Some(t) = r.tensor {
                writeln!(w, "    parallelism:\n      tensor: {t}").unwrap();
            }
            if let Some(values) = &self.accelerators {
                writeln!(
                    w,
                    "    acceleratorTypes:\n      labelKey: nvidia.com/gpu.product"
                )
                .unwrap();
                writeln!(w, "      labelValues:").unwrap();
                for v in values {
                    writeln!(w, "        - {}", quoted(v)).unwrap();
                }
            }
            if let Some((min, max)) = r.autoscaling {
                writeln!(
                    w,
                    "    autoscaling:\n      minReplicas: {min}\n      maxReplicas: {max}\n      metrics:\n        - type: Pods\n          pods:\n            metric:\n              name: vllm:num_requests_waiting\n            target:\n              type: AverageValue\n              averageValue: \"{}\"",
                    max + 1
                )
                .unwrap();
            }
            if let Some(b) = r.budget {
                writeln!(w, "    disruptionBudget:\n      maxUnavailable: {b}").unwrap();
            }
            writeln!(w, "    containers:\n      - name: {}", stack.container).unwrap();
            if let Some(i) = &r.image {
                writeln!(w, "        image: {i}").unwrap();
            }
            // The vLLM presets for hf:// take the model from the
            // ModelService's args; without it the pods would serve nothing.
            let mut args = r.args.clone();
            let model = "{{ .HFModelName }}";
            if stack.uri == UriForm::Hf
                && stack.container == "vllm"
                && !args.iter().any(|a| a == model)
            {
                args.insert(0, model.to_string());
            }
            if !args.is_empty() {
                writeln!(w, "        args:").unwrap();
                for a in &args {
                    writeln!(w, "          - {}", quoted(a)).unwrap();
                }
            }
            if !r.env.is_empty() {
                writeln!(w, "        env:").unwrap();
                for (k, v) in &r.env {
                    writeln!(w, "          - name: {k}\n            value: {}", quoted(v)).unwrap();
                }
            }
            writeln!(w, "        mountModelVolume: {}", r.mount).unwrap();
        }
        y
    }
}

fn model_and_stack() -> impl Strategy<Value = (Model, Stack)> {
    stack().prop_flat_map(|s| (model(&s), Just(s)))
}

/// Several ModelServices, each naming its own preset, with distinct names
/// and model names (one namespace may hold them all). Up to 12, so that
/// about half the sets are large enough to be split over threads
/// (`parallel::map` keeps fewer than 8 items on one).
fn model_set() -> impl Strategy<Value = Vec<(Model, Stack)>> {
    proptest::collection::vec(
        single_stack().prop_flat_map(|s| (model(&s), Just(s))),
        2..13,
    )
    .prop_map(|mut set| {
        for (i, (m, _)) in set.iter_mut().enumerate() {
            m.name = format!(
                "{}-{i}",
                m.name
                    .trim_end_matches(|c: char| c.is_ascii_digit() || c == '-')
            );
            m.model = format!("{}-{i}", m.model);
        }
        set
    })
}

fn request(sources: Vec<Source>, presets: &[&str], options: RenderOptions) -> RenderRequest {
    RenderRequest {
        inputs: sources,
        presets: presets.iter().map(|p| p.to_string()).collect(),
        options,
        ..Default::default()
    }
}

/// The stream and the warnings of a render, or its error.
fn render_text(req: &RenderRequest) -> Result<(String, Vec<String>), String> {
    match msvc::render(req) {
        Ok(r) => Ok((
            emit::to_stream(&r.manifests),
            r.warnings.iter().map(|w| w.to_string()).collect(),
        )),
        Err(e) => Err(e.to_string()),
    }
}

fn options(gie_v1alpha2: bool, jobs: usize) -> RenderOptions {
    RenderOptions {
        gie_api: Some(if gie_v1alpha2 {
            GieApi::V1Alpha2
        } else {
            GieApi::V1
        }),
        jobs: Some(jobs),
        ..Default::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn render_is_deterministic((m, s) in model_and_stack(), alpha in any::<bool>()) {
        let text = m.yaml(&s, None);
        let req = request(vec![Source::new("model.yaml", text.clone())], &s.presets, options(alpha, 1));
        let first = render_text(&req);
        prop_assert!(first.is_ok(), "a valid ModelService does not render with {:?}: {}\n{text}", s.presets, first.unwrap_err());
        // A fresh request from the same bytes.
        let again = request(vec![Source::new("model.yaml", text.clone())], &s.presets, options(alpha, 1));
        prop_assert_eq!(&first, &render_text(&again));
        prop_assert_eq!(&first, &render_text(&req));
    }

    #[test]
    fn every_object_passes_its_kinds_checks((m, s) in model_and_stack(), alpha in any::<bool>()) {
        let text = m.yaml(&s, None);
        let req = request(vec![Source::new("model.yaml", text.clone())], &s.presets, options(alpha, 1));
        let rendered = msvc::render(&req);
        prop_assert!(rendered.is_ok(), "{}\n{text}", rendered.unwrap_err());
        let mut problems = Vec::new();
        for obj in rendered.unwrap().manifests.iter().flat_map(|m| &m.objects) {
            for p in structural_problems(obj) {
                problems.push(format!("{} {}: {p}", obj.kind(), obj.name()));
            }
        }
        prop_assert!(problems.is_empty(), "{}\nfor {:?}\n{text}", problems.join("\n"), s.presets);
    }
}

proptest! {
    // Three renders of up to twelve ModelServices each: a quarter of the cases.
    #![proptest_config(Config::with_cases(CASES / 4))]

    #[test]
    fn render_ignores_input_order(set in model_set(), seed in any::<u64>(), alpha in any::<bool>()) {
        let docs: Vec<String> = set.iter().map(|(m, s)| m.yaml(s, Some(s.presets[0]))).collect();
        let files = |order: &[usize]| -> Vec<Source> {
            order.iter().map(|&i| Source::new(format!("m{i}.yaml"), docs[i].clone())).collect()
        };
        let order: Vec<usize> = (0..docs.len()).collect();
        let want = render_text(&request(files(&order), &[], options(alpha, 1)));
        prop_assert!(want.is_ok(), "valid ModelServices do not render: {}\n{}", want.clone().unwrap_err(), docs.join("---\n"));
        let want = want.unwrap().0;

        // Shuffled (a permutation from the seed), on several threads.
        let mut shuffled = order.clone();
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let got = render_text(&request(files(&shuffled), &[], options(alpha, 3)));
        prop_assert_eq!(&want, &got.map(|r| r.0).unwrap_or_default(), "order {:?}", shuffled);

        // All in one stream, in reverse.
        let stream: Vec<&str> = docs.iter().rev().map(String::as_str).collect();
        let one = Source::new("all.yaml", stream.join("---\n"));
        let got = render_text(&request(vec![one], &[], options(alpha, 2)));
        prop_assert_eq!(&want, &got.map(|r| r.0).unwrap_or_default(), "one stream");
    }
}

// ---------------------------------------------------------------------
// Structural checks of emitted objects.

fn structural_problems(obj: &Node) -> Vec<String> {
    use k8s_openapi::api;
    let json = obj.to_json();
    let mut out = Vec::new();
    let typed = match (obj.api_version(), obj.kind()) {
        ("apps/v1", "Deployment") => Some(roundtrip::<api::apps::v1::Deployment>(&json)),
        ("v1", "Service") => Some(roundtrip::<api::core::v1::Service>(&json)),
        ("v1", "ServiceAccount") => Some(roundtrip::<api::core::v1::ServiceAccount>(&json)),
        ("v1", "ConfigMap") => Some(roundtrip::<api::core::v1::ConfigMap>(&json)),
        ("rbac.authorization.k8s.io/v1", "Role") => Some(roundtrip::<api::rbac::v1::Role>(&json)),
        ("rbac.authorization.k8s.io/v1", "RoleBinding") => {
            Some(roundtrip::<api::rbac::v1::RoleBinding>(&json))
        }
        ("autoscaling/v2", "HorizontalPodAutoscaler") => Some(roundtrip::<
            api::autoscaling::v2::HorizontalPodAutoscaler,
        >(&json)),
        ("policy/v1", "PodDisruptionBudget") => {
            Some(roundtrip::<api::policy::v1::PodDisruptionBudget>(&json))
        }
        _ => None,
    };
    match typed {
        Some(Err(e)) => out.push(e),
        Some(Ok(())) => {}
        None => {
            // A custom resource: its CRD's schema, and metadata as ObjectMeta.
            match crd_schema(obj.api_version(), obj.kind()) {
                Some(schema) => {
                    let mut spec_only = json.clone();
                    if let Some(m) = spec_only.as_object_mut() {
                        m.remove("metadata");
                    }
                    check_schema(&spec_only, schema, "", &mut out);
                }
                None => {
                    for k in ["spec"] {
                        if obj.get(k).is_none() {
                            out.push(format!("no `{k}`"));
                        }
                    }
                }
            }
            if let Err(e) = roundtrip::<k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>(
                &json["metadata"],
            ) {
                out.push(format!("metadata: {e}"));
            }
        }
    }
    check_names_and_labels(obj, &json, &mut out);
    out
}

/// Reads `json` as `T` and writes it back: an error, or a field the type
/// does not have (k8s-openapi skips unknown fields silently), is a problem.
fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &J) -> Result<(), String> {
    let typed: T = serde_path_to_error::deserialize(json)
        .map_err(|e| format!("does not read as its type at {}: {}", e.path(), e.inner()))?;
    let back = serde_json::to_value(&typed).unwrap();
    let mut lost = Vec::new();
    dropped(json, &back, &mut String::new(), &mut lost);
    if lost.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "fields the schema lacks or reads otherwise: {}",
            lost.join(", ")
        ))
    }
}

/// Paths where `orig` holds something `back` does not (nulls count as absent).
fn dropped(orig: &J, back: &J, path: &mut String, out: &mut Vec<String>) {
    match (orig, back) {
        (J::Object(o), J::Object(b)) => {
            for (k, v) in o {
                let len = path.len();
                path.push('.');
                path.push_str(k);
                match b.get(k) {
                    _ if v.is_null() => {}
                    Some(bv) => dropped(v, bv, path, out),
                    None => out.push(path.clone()),
                }
                path.truncate(len);
            }
        }
        (J::Array(o), J::Array(b)) if o.len() == b.len() => {
            for (i, (v, bv)) in o.iter().zip(b).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                dropped(v, bv, path, out);
                path.truncate(len);
            }
        }
        (o, b) if o == b => {}
        _ => out.push(format!("{path} ({orig} read as {back})")),
    }
}

/// The CRDs of `../shared/schemas`, by `(apiVersion, kind)`; none (and
/// the CRD kinds get only the checks of any custom resource) when
/// `../shared` is missing.
fn crds() -> &'static BTreeMap<(String, String), J> {
    static CRDS: OnceLock<BTreeMap<(String, String), J>> = OnceLock::new();
    CRDS.get_or_init(|| {
        let mut out = BTreeMap::new();
        let Some(dir) = common::require_shared("schemas") else {
            return out;
        };
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let text = common::read(&path);
            for doc in parse_documents(&text, &Origin::file(path.display().to_string())).unwrap() {
                let crd = doc.to_json();
                let group = crd["spec"]["group"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let kind = crd["spec"]["names"]["kind"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                for v in crd["spec"]["versions"].as_array().into_iter().flatten() {
                    let name = v["name"].as_str().unwrap_or_default();
                    out.insert(
                        (format!("{group}/{name}"), kind.clone()),
                        v["schema"]["openAPIV3Schema"].clone(),
                    );
                }
            }
        }
        assert!(
            out.len() >= 5,
            "CRD schemas in {}: {:?}",
            dir.display(),
            out.keys()
        );
        out
    })
}

fn crd_schema(api_version: &str, kind: &str) -> Option<&'static J> {
    crds().get(&(api_version.to_string(), kind.to_string()))
}

/// The OpenAPI v3 subset CRDs use: types, required, properties (unknown
/// fields refused, as the API server's strict field validation does),
/// additionalProperties, items, enum, bounds. Not checked: `pattern`,
/// `format` and CEL rules.
fn check_schema(v: &J, s: &J, path: &str, out: &mut Vec<String>) {
    let at = if path.is_empty() { "." } else { path };
    let int_or_string = s["x-kubernetes-int-or-string"] == J::Bool(true);
    if int_or_string {
        if !(v.is_i64() || v.is_u64() || v.is_string()) {
            out.push(format!("{at}: {v} is not an integer or a string"));
        }
    } else if let Some(t) = s["type"].as_str() {
        let ok = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            _ => true,
        };
        if !ok {
            out.push(format!("{at}: {v} is not of type {t}"));
            return;
        }
    }
    if let Some(values) = s["enum"].as_array()
        && !values.contains(v)
    {
        out.push(format!("{at}: {v} is not one of {values:?}"));
    }
    if let Some(n) = v.as_f64() {
        if let Some(min) = s["minimum"].as_f64()
            && n < min
        {
            out.push(format!("{at}: {n} < minimum {min}"));
        }
        if let Some(max) = s["maximum"].as_f64()
            && n > max
        {
            out.push(format!("{at}: {n} > maximum {max}"));
        }
    }
    if let Some(text) = v.as_str() {
        let len = text.chars().count() as u64;
        if s["maxLength"].as_u64().is_some_and(|m| len > m) {
            out.push(format!("{at}: longer than {}", s["maxLength"]));
        }
        if s["minLength"].as_u64().is_some_and(|m| len < m) {
            out.push(format!("{at}: shorter than {}", s["minLength"]));
        }
    }
    if let Some(items) = v.as_array() {
        if s["maxItems"]
            .as_u64()
            .is_some_and(|m| items.len() as u64 > m)
        {
            out.push(format!("{at}: more than {} items", s["maxItems"]));
        }
        if s["minItems"]
            .as_u64()
            .is_some_and(|m| (items.len() as u64) < m)
        {
            out.push(format!("{at}: fewer than {} items", s["minItems"]));
        }
        for (i, item) in items.iter().enumerate() {
            check_schema(item, &s["items"], &format!("{path}[{i}]"), out);
        }
    }
    if let Some(map) = v.as_object() {
        for r in s["required"].as_array().into_iter().flatten() {
            if let Some(r) = r.as_str()
                && !map.contains_key(r)
            {
                out.push(format!("{at}: required field `{r}` is missing"));
            }
        }
        let props = s["properties"].as_object();
        let preserve = s["x-kubernetes-preserve-unknown-fields"] == J::Bool(true);
        for (k, child) in map {
            let p = format!("{path}.{k}");
            match props.and_then(|ps| ps.get(k)) {
                Some(cs) => check_schema(child, cs, &p, out),
                None if s["additionalProperties"].is_object() => {
                    check_schema(child, &s["additionalProperties"], &p, out)
                }
                None if preserve || s["additionalProperties"] == J::Bool(true) => {}
                None if props.is_none() && s["type"] != "object" => {}
                None => out.push(format!("{p}: unknown field")),
            }
        }
    }
}

/// Names and labels as the API server checks them.
fn check_names_and_labels(obj: &Node, json: &J, out: &mut Vec<String>) {
    let name = obj.name();
    let label_ok = |s: &str| {
        s.len() <= 63
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.is_empty()
    };
    let subdomain_ok = |s: &str| s.len() <= 253 && s.split('.').all(label_ok);
    // Services need a DNS-1035 label (a letter first); every other kind
    // here a DNS-1123 subdomain.
    let name_ok = if obj.kind() == "Service" {
        label_ok(name) && name.starts_with(|c: char| c.is_ascii_lowercase())
    } else {
        subdomain_ok(name)
    };
    if !name_ok {
        out.push(format!("name `{name}` is not valid for a {}", obj.kind()));
    }
    if let Some(ns) = obj.namespace()
        && !label_ok(ns)
    {
        out.push(format!("namespace `{ns}` is not a DNS label"));
    }
    let value_ok = |v: &str| {
        v.is_empty()
            || (v.len() <= 63
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                && v.starts_with(|c: char| c.is_ascii_alphanumeric())
                && v.ends_with(|c: char| c.is_ascii_alphanumeric()))
    };
    let key_ok = |k: &str| {
        let (prefix, name) = k.rsplit_once('/').map_or((None, k), |(p, n)| (Some(p), n));
        prefix.is_none_or(subdomain_ok) && !name.is_empty() && value_ok(name)
    };
    let mut label_maps = vec![
        ("metadata.labels", &json["metadata"]["labels"]),
        (
            "spec.selector.matchLabels",
            &json["spec"]["selector"]["matchLabels"],
        ),
        (
            "spec.template.metadata.labels",
            &json["spec"]["template"]["metadata"]["labels"],
        ),
    ];
    if obj.kind() == "Service" {
        label_maps.push(("spec.selector", &json["spec"]["selector"]));
    }
    for (path, labels) in label_maps {
        for (k, v) in labels.as_object().into_iter().flatten() {
            let v = v.as_str().unwrap_or("\u{0}");
            if !key_ok(k) || !value_ok(v) {
                out.push(format!("{path}: label `{k}: {v}` is not valid"));
            }
        }
    }
}

// ---------------------------------------------------------------------
// Merge over richer trees than src/merge.rs's own laws: the keyed lists of
// pods (containers, env, ports, volumes, volumeMounts), args, command,
// nulls (removals), empty values and repeated keys.

fn scalar() -> impl Strategy<Value = Node> {
    prop_oneof![
        any::<bool>().prop_map(Node::bool),
        (-3i64..3).prop_map(Node::int),
        "[a-c]{0,2}".prop_map(Node::string),
        Just(Node::null()),
    ]
}

fn entry(key: &'static str, inner: BoxedStrategy<Node>) -> impl Strategy<Value = Node> {
    (
        prop_oneof![
            "[a-c]".prop_map(Node::string),
            (1i64..3).prop_map(Node::int),
            Just(Node::null())
        ],
        proptest::collection::btree_map("[a-c]|value|image", inner, 0..3),
    )
        .prop_map(move |(k, rest)| {
            let mut m = Mapping::new();
            m.insert(key.to_string(), k);
            m.extend(rest);
            Node::synth(Value::Map(m))
        })
}

fn list_of(item: impl Strategy<Value = Node>) -> impl Strategy<Value = Node> {
    proptest::collection::vec(item, 0..4).prop_map(Node::seq)
}

/// A map whose fields are list fields the merge rules know, or others.
fn map_of(inner: BoxedStrategy<Node>) -> impl Strategy<Value = Node> {
    let field = prop_oneof![
        Just("containers"),
        Just("initContainers"),
        Just("env"),
        Just("ports"),
        Just("volumes"),
        Just("volumeMounts"),
        Just("args"),
        Just("command"),
        Just("parentRefs"),
        Just("a"),
        Just("b"),
        Just("value"),
    ];
    let value = prop_oneof![
        3 => inner.clone(),
        1 => list_of(scalar()),
        1 => list_of(entry("name", inner.clone())),
        1 => list_of(entry("containerPort", inner.clone())),
        1 => list_of(entry("port", inner.clone())),
        1 => list_of(entry("mountPath", inner)),
    ];
    proptest::collection::vec((field, value), 0..5).prop_map(|pairs| {
        let mut m = Mapping::new();
        for (k, v) in pairs {
            m.insert(k.to_string(), v);
        }
        Node::synth(Value::Map(m))
    })
}

/// A document: a map of such trees.
fn tree() -> impl Strategy<Value = Node> {
    let inner = scalar().prop_recursive(3, 32, 4, |inner| map_of(inner.boxed()));
    map_of(inner.boxed())
}

/// `node` with every container's `args` taken out (where merge's list
/// rule prepends them: a field `args` under `containers` or
/// `initContainers`, list indices not counted), and the args found.
fn without_args(node: &Node, path: &mut Vec<String>, args: &mut Vec<Node>) -> Node {
    let mut out = node.clone();
    match &mut out.value {
        Value::Map(m) => {
            let in_container = path
                .last()
                .is_some_and(|p| p == "containers" || p == "initContainers");
            if in_container && let Some(a) = m.shift_remove("args") {
                args.push(a);
            }
            for (k, v) in m.iter_mut() {
                path.push(k.clone());
                *v = without_args(v, path, args);
                path.pop();
            }
        }
        Value::Seq(items) => {
            for v in items.iter_mut() {
                *v = without_args(v, path, args);
            }
        }
        _ => {}
    }
    out
}

fn has_container_args(node: &Node) -> bool {
    let mut found = Vec::new();
    without_args(node, &mut Vec::new(), &mut found);
    !found.is_empty()
}

proptest! {
    #![proptest_config(Config::with_cases(CASES * 4))]

    #[test]
    fn merge_is_idempotent(base in tree(), overlay in tree()) {
        let mut once = base.clone();
        merge(&mut once, &overlay);
        let mut twice = once.clone();
        merge(&mut twice, &overlay);
        if has_container_args(&overlay) {
            // Args are prepended on every merge: all but the args agree.
            let (mut a, mut b) = (Vec::new(), Vec::new());
            prop_assert_eq!(
                without_args(&twice, &mut Vec::new(), &mut a),
                without_args(&once, &mut Vec::new(), &mut b)
            );
        } else {
            prop_assert_eq!(&twice, &once);
        }
    }

    #[test]
    fn merge_of_an_empty_overlay_is_identity(base in tree()) {
        let mut b = base.clone();
        merge(&mut b, &Node::map());
        prop_assert_eq!(b, base);
    }

    #[test]
    fn merge_never_emits_a_null_it_was_given(base in tree(), overlay in tree()) {
        // The base's own nulls stay; the overlay's remove or vanish.
        fn nulls(n: &Node) -> usize {
            match &n.value {
                Value::Map(m) => m.values().map(|v| usize::from(v.is_null()) + nulls(v)).sum(),
                Value::Seq(s) => s.iter().map(nulls).sum(),
                _ => 0,
            }
        }
        let mut b = base.clone();
        merge(&mut b, &overlay);
        prop_assert!(nulls(&b) <= nulls(&base), "{b:?}");
    }
}
