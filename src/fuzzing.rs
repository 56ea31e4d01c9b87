//! Fuzz target bodies, shared by the `cargo fuzz` targets in `fuzz/` and by
//! `tests/fuzz_regressions.rs`, which replays every saved input on stable.
//!
//! Each function takes arbitrary bytes and must never panic on its own: a
//! panic here is a bug, either in msvc (a crash) or an invariant below that
//! does not hold, and the fuzzer reports it.

use crate::load::Source;
use crate::objects::Manifest;
use crate::yaml::{Mapping, Node, Origin, Value, parse_documents, print};
use crate::{RenderRequest, emit, merge as merge_mod};

/// The ModelService the `baseconfig` target renders the fuzzed BaseConfig
/// for: both roles, an EPP, ports, env, args, a template in an arg.
pub const FIXED_MODEL_SERVICE: &str = r#"apiVersion: llm-d.ai/v1alpha1
kind: ModelService
metadata:
  name: fuzz-model
  namespace: fuzz
spec:
  routing:
    modelName: org/fuzz-model
    ports:
      - name: app_port
        port: 8000
      - name: internal_port
        port: 8200
      - name: decode_port
        port: 8300
      - name: inport
        port: 8400
      - name: outport
        port: 8500
  modelArtifacts:
    uri: hf://org/fuzz-model
    authSecretName: hf-token
    size: 10Gi
  decode:
    replicas: 2
    parallelism:
      tensor: 2
    containers:
      - name: vllm
        image: vllm/vllm-openai:fuzz
        args:
          - "{{ .HFModelName }}"
          - --port
          - "{{ \"internal_port\" | getPort }}"
        env:
          - name: LOG_LEVEL
            value: debug
        mountModelVolume: true
  prefill:
    replicas: 1
    containers:
      - name: vllm
        image: vllm/vllm-openai:fuzz
        args:
          - "{{ .HFModelName }}"
        mountModelVolume: true
"#;

/// `msvc render FILE`: the bytes as one input file, rendered with the
/// BaseConfig it names (by default the built-in default preset).
pub fn modelservice(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        render_and_check(&modelservice_request(text));
    }
}

/// What [`modelservice`] renders.
pub fn modelservice_request(text: &str) -> RenderRequest {
    RenderRequest {
        inputs: vec![Source::new("fuzz.yaml", text)],
        options: options_for(text.as_bytes()),
        ..Default::default()
    }
}

/// `msvc render model.yaml -b FILE`: the bytes as a BaseConfig file,
/// compiled and rendered for [`FIXED_MODEL_SERVICE`].
pub fn baseconfig(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        render_and_check(&baseconfig_request(text));
    }
}

/// What [`baseconfig`] renders.
pub fn baseconfig_request(text: &str) -> RenderRequest {
    RenderRequest {
        inputs: vec![Source::new("model.yaml", FIXED_MODEL_SERVICE)],
        base_files: vec![Source::new("base.yaml", text)],
        options: options_for(text.as_bytes()),
        ..Default::default()
    }
}

/// Both API shapes of the InferencePool, picked by the input so that one
/// run covers both.
fn options_for(data: &[u8]) -> crate::RenderOptions {
    let mut options = crate::RenderOptions {
        // One thread: the fuzzer runs one input at a time.
        jobs: Some(1),
        ..Default::default()
    };
    if data.len() % 2 == 1 {
        options.gie_api = Some(crate::objects::inference::GieApi::V1Alpha2);
    }
    options
}

/// Renders, then checks what a render promises: errors print, and the
/// stream and the `-o` files read back as the objects rendered.
fn render_and_check(req: &RenderRequest) {
    match crate::render(req) {
        Ok(rendered) => {
            for w in &rendered.warnings {
                let _ = w.to_string();
            }
            let stream = check_stream(&rendered.manifests);
            // What `render_printed` hands the CLI: the same text.
            let printed: Vec<_> = rendered.manifests.iter().map(Manifest::print).collect();
            let mut written = Vec::new();
            emit::write_stream(&mut written, &printed).expect("writing to a Vec");
            assert!(written == stream.as_bytes(), "printed stream differs");
            // `-o` writes the stream's documents, one file each, at safe paths.
            if let Ok(files) = emit::files(&printed) {
                let mut joined = String::new();
                for (path, text) in files {
                    assert!(
                        path.components().count() == 2
                            && path
                                .components()
                                .all(|c| matches!(c, std::path::Component::Normal(_))),
                        "unsafe -o path {path:?}"
                    );
                    joined.push_str("---\n");
                    joined.push_str(text);
                }
                assert!(joined == stream, "-o files differ from the stream");
            }
        }
        Err(e) => {
            let _ = e.to_string();
            for d in e.diagnostics() {
                let _ = d.to_string();
            }
        }
    }
}

/// The output stream parses back to the very objects rendered.
fn check_stream(manifests: &[Manifest]) -> String {
    let stream = emit::to_stream(manifests);
    let docs = parse_documents(&stream, &Origin::file("out"))
        .unwrap_or_else(|e| panic!("rendered output does not parse back: {e}\n{stream}"));
    let objects: Vec<&Node> = manifests.iter().flat_map(|m| &m.objects).collect();
    assert_eq!(docs.len(), objects.len(), "documents in\n{stream}");
    for (doc, obj) in docs.iter().zip(objects) {
        assert!(
            same(doc, obj),
            "an object does not read back as rendered:\n{}\nread back as\n{}",
            print::to_string(obj),
            print::to_string(doc)
        );
    }
    stream
}

/// Equality where NaN equals NaN (a `.nan` is one value to YAML).
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

fn has_nan(n: &Node) -> bool {
    match &n.value {
        Value::Float(f) => f.is_nan(),
        Value::Seq(s) => s.iter().any(has_nan),
        Value::Map(m) => m.values().any(has_nan),
        _ => false,
    }
}

fn has_key(n: &Node, key: &str) -> bool {
    match &n.value {
        Value::Seq(s) => s.iter().any(|i| has_key(i, key)),
        Value::Map(m) => m.iter().any(|(k, v)| k == key || has_key(v, key)),
        _ => false,
    }
}

/// Two trees, base and overlay, laid over each other with
/// [`crate::merge::merge`]. The first byte picks how the trees are read:
/// `0xff` decodes the rest as a compact tree description (field names
/// from the merge rules' table), anything else reads two YAML documents.
pub fn merge(data: &[u8]) {
    let (base, overlay) = match data.split_first() {
        Some((0xff, rest)) => {
            let mut r = TreeReader { data: rest };
            (r.node(0), r.node(0))
        }
        _ => {
            let Ok(text) = std::str::from_utf8(data) else {
                return;
            };
            let Ok(mut docs) = parse_documents(text, &Origin::file("merge.yaml")) else {
                return;
            };
            let overlay = if docs.len() > 1 {
                docs.swap_remove(1)
            } else {
                Node::map()
            };
            let base = docs.into_iter().next().unwrap_or_else(Node::map);
            // The printer reads back what the parser read.
            for n in [&base, &overlay] {
                let text = print::to_string(n);
                let back = parse_documents(&text, &Origin::file("printed"))
                    .unwrap_or_else(|e| panic!("printed YAML does not parse: {e}\n{text}"));
                assert!(
                    back.len() == 1 && same(&back[0], n),
                    "printed YAML reads back otherwise:\n{text}"
                );
            }
            (base, overlay)
        }
    };
    check_merge(&base, &overlay);
}

fn check_merge(base: &Node, overlay: &Node) {
    let mut once = base.clone();
    merge_mod::merge(&mut once, overlay);
    let _ = print::to_string(&once);

    // An empty overlay changes nothing.
    let mut same_base = base.clone();
    merge_mod::merge(&mut same_base, &Node::map());
    if base.as_map().is_some() {
        assert!(same(&same_base, base), "merging {{}} changed the base");
    }

    // Idempotence, except for `args`, which are prepended on every merge by
    // design, and NaN, which is never equal to itself in a list.
    if !has_key(overlay, "args") && !has_nan(overlay) && !has_nan(base) {
        let mut twice = once.clone();
        merge_mod::merge(&mut twice, overlay);
        assert!(
            same(&twice, &once),
            "merge is not idempotent:\nbase:\n{}overlay:\n{}once:\n{}twice:\n{}",
            print::to_string(base),
            print::to_string(overlay),
            print::to_string(&once),
            print::to_string(&twice)
        );
    }
}

/// Field names the merge rules know, and a few others.
const KEYS: &[&str] = &[
    "containers",
    "initContainers",
    "name",
    "image",
    "env",
    "value",
    "valueFrom",
    "args",
    "command",
    "ports",
    "containerPort",
    "port",
    "volumes",
    "volumeMounts",
    "mountPath",
    "parentRefs",
    "namespace",
    "imagePullSecrets",
    "hostAliases",
    "ip",
    "resources",
    "limits",
    "spec",
    "a",
];

const STRINGS: &[&str] = &["", "a", "b", "vllm", "X", "8000", "--port", "null"];

/// Reads a tree from bytes: each node takes a byte for its type, then its
/// contents; missing bytes read as zero (null).
struct TreeReader<'a> {
    data: &'a [u8],
}

impl TreeReader<'_> {
    /// Up to `max` bytes as text (invalid UTF-8 replaced).
    fn text(&mut self, max: usize) -> String {
        let n = (self.byte() as usize % (max + 1)).min(self.data.len());
        let (text, rest) = self.data.split_at(n);
        self.data = rest;
        String::from_utf8_lossy(text).into_owned()
    }

    /// A node of any scalar (numbers from 8 bytes, strings of any text)
    /// and any key.
    fn text_node(&mut self, depth: usize) -> Node {
        let b = self.byte();
        let kind = if depth >= 5 { b % 6 } else { b % 8 };
        match kind {
            0 => Node::null(),
            1 => Node::bool(b & 0x80 != 0),
            2 => Node::int(i64::from_le_bytes(self.eight())),
            3 => Node::synth(Value::Float(f64::from_le_bytes(self.eight()))),
            4 | 5 => Node::string(self.text(24)),
            6 => {
                let mut m = Mapping::new();
                for _ in 0..(b >> 3) % 5 {
                    let k = self.text(12);
                    let v = self.text_node(depth + 1);
                    m.insert(k, v);
                }
                Node::synth(Value::Map(m))
            }
            _ => {
                let items = (0..(b >> 3) % 5)
                    .map(|_| self.text_node(depth + 1))
                    .collect();
                Node::seq(items)
            }
        }
    }

    fn eight(&mut self) -> [u8; 8] {
        let mut out = [0u8; 8];
        for o in &mut out {
            *o = self.byte();
        }
        out
    }

    fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((b, rest)) => {
                self.data = rest;
                *b
            }
            None => 0,
        }
    }

    fn node(&mut self, depth: usize) -> Node {
        let b = self.byte();
        let kind = if depth >= 6 { b % 4 } else { b % 8 };
        let arg = b >> 3;
        match kind {
            0 => Node::null(),
            1 => Node::bool(arg & 1 == 1),
            2 => Node::int(i64::from(arg % 4)),
            3 => Node::string(STRINGS[arg as usize % STRINGS.len()]),
            4 | 5 => {
                let mut m = Mapping::new();
                for _ in 0..arg % 5 {
                    let k = KEYS[self.byte() as usize % KEYS.len()];
                    let v = self.node(depth + 1);
                    m.insert(k.to_string(), v);
                }
                Node::synth(Value::Map(m))
            }
            _ => {
                let items = (0..arg % 5).map(|_| self.node(depth + 1)).collect();
                Node::seq(items)
            }
        }
    }
}

/// A tree from the bytes, printed: msvc's reader and Go's (modelled by
/// [`crate::yaml::go_read`]) must both read back the very tree.
pub fn yaml_print(data: &[u8]) {
    let node = TreeReader { data }.text_node(0);
    let text = print::to_string(&node);
    let back = parse_documents(&text, &Origin::file("printed"))
        .unwrap_or_else(|e| panic!("printed YAML does not parse: {e}\n{text}"));
    assert!(
        back.len() == 1 && same(&back[0], &node),
        "printed YAML reads back otherwise:\n{text}"
    );
    let go = crate::yaml::go_read::read(&text)
        .unwrap_or_else(|e| panic!("Go's reader refuses the printed YAML: {e}\n{text}"));
    assert!(
        go.len() == 1 && crate::yaml::go_read::reads_as(&node, &go[0]),
        "Go reads the printed YAML otherwise:\n{text}\nas {go:?}"
    );
}

/// Helpers every `gotemplate` input may call with `template` or `block`.
const FUZZ_HELPERS: &str = r#"{{ define "name" }}{{ .name | default "x" | trunc 63 | trimSuffix "-" }}{{ end }}
{{- define "list" }}{{ range $i, $e := . }}{{ $i }}={{ $e }};{{ end }}{{ end }}
{{- define "rec" }}{{ if . }}{{ template "rec" (sub . 1) }}{{ end }}{{ end }}"#;

/// The Go template engine ([`crate::gotemplate`]): the bytes as a
/// template next to a helpers file, parsed with the controller's functions
/// and executed on map data (missing keys print) and on the controller's
/// struct (missing keys are errors), within the default budgets. Errors
/// must print; output must keep to the output budget.
pub fn gotemplate(data: &[u8]) {
    use crate::gotemplate::{MissingKey, Options, Record, TemplateSet, Value};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ports = [("app_port", 8000), ("internal_port", 8200)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let mut set = TemplateSet::controller(ports);
    set.parse("_helpers.tpl", FUZZ_HELPERS)
        .expect("the fuzz helpers parse");
    if let Err(e) = set.parse("fuzz.tpl", text) {
        let _ = e.to_string();
        return;
    }
    let map = Value::from_json(&serde_json::json!({
        "name": "fuzz-model", "n": 3, "f": 2.5, "big": 2e6, "t": true, "null": null,
        "list": ["a", 1, null, [1, 2], {"k": "v"}], "map": {"b": 1, "a": {"c": [true]}},
    }));
    let record = Value::Record(std::rc::Rc::new(Record {
        type_name: "main.TemplateVars".into(),
        fields: ["ModelName", "HFModelName", "ModelServiceName"]
            .iter()
            .map(|f| (f.to_string(), Value::str("org/fuzz")))
            .collect(),
    }));
    for (data, missing_key) in [(map, MissingKey::Default), (record, MissingKey::Error)] {
        let opts = Options {
            missing_key,
            ..Default::default()
        };
        match set.execute("fuzz.tpl", &data, &opts) {
            Ok(out) => assert!(
                out.len() <= opts.limits.output,
                "output of {} bytes passed the budget",
                out.len()
            ),
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}
