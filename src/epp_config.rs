//! The endpoint picker's `EndpointPickerConfig`: the scheduling profile a
//! ModelService picks (`msvc.llm-d.ai/scheduling-profile`) and the
//! ConfigMap the EPP reads it from, as the Gateway API Inference
//! Extension's `inferencepool` chart v1.4.0 writes it.
//!
//! A preset whose EPP reads `/config/{{ .EPPConfigFile }}` names its own
//! profile in the same annotation on the BaseConfig; the ModelService's
//! wins. The ConfigMap, named like the EPP Deployment, always holds the
//! chart's `default-plugins.yaml` and, for another profile, that file too.

use std::path::{Component, Path};

use crate::error::{Diagnostic, Span, Stage};
use crate::objects::{Labels, add_metadata_labels, identify};
use crate::yaml::{Node, Origin, Value, parse_one};

/// The annotation, on a ModelService or a BaseConfig.
pub const ANNOTATION: &str = "msvc.llm-d.ai/scheduling-profile";

/// The chart's `default-plugins.yaml` (inferencepool v1.4.0, latency
/// predictor off): queue, kv-cache utilization and prefix-cache scorers.
pub const DEFAULT_FILE: &str = "default-plugins.yaml";
pub const DEFAULT_CONFIG: &str = "apiVersion: inference.networking.x-k8s.io/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: queue-scorer
- type: kv-cache-utilization-scorer
- type: prefix-cache-scorer
schedulingProfiles:
- name: default
  plugins:
  - pluginRef: queue-scorer
    weight: 2
  - pluginRef: kv-cache-utilization-scorer
    weight: 2
  - pluginRef: prefix-cache-scorer
    weight: 3
";

/// The P/D guide's `pd-config.yaml`: the P/D profile handler (threshold 0:
/// every request is disaggregated), prefill and decode filters.
pub const PD_FILE: &str = "pd-config.yaml";
pub const PD_CONFIG: &str = "apiVersion: inference.networking.x-k8s.io/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: prefill-header-handler
- type: prefill-filter
- type: decode-filter
- type: queue-scorer
- type: pd-profile-handler
  parameters:
    threshold: 0
    hashBlockSize: 5
schedulingProfiles:
- name: prefill
  plugins:
  - pluginRef: prefill-filter
  - pluginRef: queue-scorer
    weight: 1.0
- name: decode
  plugins:
  - pluginRef: decode-filter
  - pluginRef: queue-scorer
    weight: 1.0
";

/// The precise-prefix-cache-aware guide's config, central mode: the
/// scorer binds tcp://*:5556 and each vLLM publishes its KV-cache events
/// there (the `precise-prefix-cache` preset wires both sides). The
/// tokenizer runs in the EPP for the ModelService's model.
pub const PRECISE_FILE: &str = "precise-prefix-cache-aware-plugins.yaml";
pub const PRECISE_CONFIG: &str = "apiVersion: inference.networking.x-k8s.io/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: single-profile-handler
- type: decode-filter
- type: precise-prefix-cache-scorer
  parameters:
    tokenProcessorConfig:
      blockSize: 64
    indexerConfig:
      speculativeIndexing: true
      tokenizersPoolConfig:
        modelName: MODEL_NAME
      kvBlockIndexConfig:
        enableMetrics: true
    kvEventsConfig:
      topicFilter: \"kv@\"
      concurrency: 4
      discoverPods: false
      zmqEndpoint: \"tcp://*:5556\"
- type: kv-cache-utilization-scorer
- type: queue-scorer
- type: max-score-picker
schedulingProfiles:
- name: default
  plugins:
  - pluginRef: decode-filter
  - pluginRef: precise-prefix-cache-scorer
    weight: 2.0
  - pluginRef: kv-cache-utilization-scorer
    weight: 1.0
  - pluginRef: queue-scorer
    weight: 1.0
  - pluginRef: max-score-picker
";

/// Where a built-in profile names the ModelService's model.
const MODEL_NAME: &str = "MODEL_NAME";

/// The file a user's own config is written to.
pub const CUSTOM_FILE: &str = "custom-plugins.yaml";

/// The built-in profiles, by the name the annotation takes.
pub const PROFILES: &[(&str, &str, &str)] = &[
    ("default", DEFAULT_FILE, DEFAULT_CONFIG),
    ("pd", PD_FILE, PD_CONFIG),
    ("precise-prefix-cache", PRECISE_FILE, PRECISE_CONFIG),
];

/// What the annotation says: a built-in profile, a file, or the config itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    Builtin(&'static str),
    /// A path, relative to the ModelService's file.
    File(String),
    /// An `EndpointPickerConfig` written in the annotation.
    Inline(String),
}

impl Choice {
    /// Reads an annotation value: text over one line is a config, a
    /// `.yaml`/`.yml` name a file, anything else a profile name.
    pub fn parse(text: &str, span: &Span, path: &str) -> Result<Self, Diagnostic> {
        let t = text.trim();
        if t.contains('\n') {
            return Ok(Choice::Inline(text.to_string()));
        }
        if t.ends_with(".yaml") || t.ends_with(".yml") {
            return Ok(Choice::File(t.to_string()));
        }
        if let Some((name, _, _)) = PROFILES.iter().find(|(n, _, _)| *n == t) {
            return Ok(Choice::Builtin(name));
        }
        let names: Vec<&str> = PROFILES.iter().map(|(n, _, _)| *n).collect();
        let d = Diagnostic::new(
            Stage::Decode,
            span.clone(),
            format!("annotation `{ANNOTATION}`: unknown scheduling profile `{t}`"),
        )
        .with_path(path);
        Err(match crate::decode::suggest(t, &names) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!(
                "expected {}, a file name ending in .yaml, or an EndpointPickerConfig written out (a block: `|` then the YAML)",
                names.join(", ")
            )),
        })
    }
}

/// The config an EPP reads: its file name under `/config` and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EppConfig {
    pub file: String,
    pub text: String,
}

/// Resolves a choice made at `span` (the ModelService's annotation) into
/// the config, checked; `model` is the ModelService's model name.
pub fn resolve(choice: &Choice, span: &Span, model: &str) -> Result<EppConfig, Diagnostic> {
    let path = format!("metadata.annotations.{ANNOTATION}");
    let (text, origin) = match choice {
        Choice::Builtin(name) => {
            let (_, file, text) = PROFILES
                .iter()
                .find(|(n, _, _)| n == name)
                .copied()
                .unwrap_or(PROFILES[0]);
            return Ok(EppConfig {
                file: file.to_string(),
                text: text.replace(MODEL_NAME, &quote(model)),
            });
        }
        // A block's text starts on the line after its key, at `span`'s column.
        Choice::Inline(text) => (
            text.clone(),
            Origin {
                file: span.file.clone(),
                line_offset: span.line,
                col_offset: span.col.saturating_sub(1),
            },
        ),
        Choice::File(rel) => {
            // As for BaseConfig files named in annotations (kustomize's load
            // restrictor): below the ModelService's directory only.
            if Path::new(rel)
                .components()
                .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
            {
                return Err(Diagnostic::new(
                    Stage::Resolve,
                    span.clone(),
                    format!(
                        "EndpointPickerConfig file `{rel}` is outside the ModelService's directory"
                    ),
                )
                .with_path(path)
                .with_help("name a file below that directory (no absolute path, no `..`)"));
            }
            let dir = Path::new(&*span.file)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let full = dir.join(rel);
            let text = std::fs::read_to_string(&full).map_err(|e| {
                Diagnostic::new(
                    Stage::Resolve,
                    span.clone(),
                    format!(
                        "cannot read EndpointPickerConfig file `{}`: {}",
                        full.display(),
                        crate::error::io_text(&e)
                    ),
                )
                .with_path(path.clone())
                .with_help("the path is relative to the ModelService's file")
            })?;
            (text, Origin::file(full.display().to_string().as_str()))
        }
    };
    check(&text, &origin, span)?;
    Ok(EppConfig {
        file: CUSTOM_FILE.to_string(),
        text,
    })
}

/// `s` as a YAML double-quoted scalar.
fn quote(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// An `EndpointPickerConfig` must parse, be one, and every `pluginRef` in it
/// (scheduling profiles, data layer) must name a plugin it declares (by
/// `name`, which defaults to its `type`). `at` is where it was chosen.
pub fn check(text: &str, origin: &Origin, at: &Span) -> Result<(), Diagnostic> {
    let doc = parse_one(text, origin).map_err(|d| {
        Diagnostic {
            message: format!("EndpointPickerConfig: {}", d.message),
            ..d
        }
        .with_help("write one EndpointPickerConfig document")
    })?;
    let kind = doc.get("kind").and_then(Node::as_str).unwrap_or("");
    if kind != "EndpointPickerConfig" {
        let span = if doc.span.is_known() {
            doc.span.clone()
        } else {
            at.clone()
        };
        return Err(Diagnostic::new(
            Stage::Decode,
            span,
            format!("the scheduling config is `{kind}`, not an EndpointPickerConfig"),
        )
        .with_path("kind")
        .with_help(
            "set `kind: EndpointPickerConfig` (apiVersion inference.networking.x-k8s.io/v1alpha1)",
        ));
    }
    let declared: Vec<String> = doc
        .get("plugins")
        .and_then(Node::as_seq)
        .map(|items| {
            items
                .iter()
                .filter_map(|p| {
                    p.get("name")
                        .or_else(|| p.get("type"))
                        .and_then(Node::as_str)
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    let mut refs = Vec::new();
    plugin_refs(&doc, &mut String::new(), &mut refs);
    for (path, node) in refs {
        let name = node.as_str().unwrap_or("");
        if !declared.iter().any(|d| d == name) {
            let names: Vec<&str> = declared.iter().map(String::as_str).collect();
            let d = Diagnostic::new(
                Stage::Decode,
                node.span.clone(),
                format!("pluginRef `{name}` names no plugin of this EndpointPickerConfig"),
            )
            .with_path(path);
            return Err(match crate::decode::suggest(name, &names) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!(
                    "declare it under `plugins` (`- type: {name}`), or name one of: {}",
                    names.join(", ")
                )),
            });
        }
    }
    Ok(())
}

/// Every `pluginRef` value under `node`, with its YAML path.
fn plugin_refs<'a>(node: &'a Node, path: &mut String, out: &mut Vec<(String, &'a Node)>) {
    match &node.value {
        Value::Map(m) => {
            for (k, v) in m {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                if k == "pluginRef" {
                    out.push((path.clone(), v));
                } else {
                    plugin_refs(v, path, out);
                }
                path.truncate(len);
            }
        }
        Value::Seq(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                plugin_refs(v, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// The ConfigMap the EPP mounts at `/config`: the chart's default file and
/// `config`'s own when it is another.
pub fn config_map(name: &str, namespace: &str, labels: &Labels, config: &EppConfig) -> Node {
    let mut data = Node::from_pairs([(DEFAULT_FILE, Node::string(DEFAULT_CONFIG))]);
    if config.file != DEFAULT_FILE {
        data.set_path(&[config.file.as_str()], Node::string(config.text.clone()));
    }
    let mut obj = Node::from_pairs([("data", data)]);
    identify(&mut obj, "v1", "ConfigMap", name, Some(namespace));
    add_metadata_labels(&mut obj, labels);
    obj
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span() -> Span {
        Span::new("m.yaml".into(), 3, 5)
    }

    #[test]
    fn the_builtin_profiles_resolve_and_pass_their_own_check() {
        for (name, file, text) in PROFILES {
            let c = Choice::parse(name, &span(), "p").unwrap();
            let got = resolve(&c, &span(), "Qwen/Qwen3-32B").unwrap();
            assert_eq!(got.file, *file);
            assert_eq!(got.text, text.replace(MODEL_NAME, "\"Qwen/Qwen3-32B\""));
            check(&got.text, &Origin::file("t"), &span()).unwrap();
        }
    }

    #[test]
    fn an_unknown_profile_suggests_one() {
        let e = Choice::parse("pdd", &span(), "p").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `pd`?"));
        assert_eq!(
            Choice::parse("mine.yaml", &span(), "p").unwrap(),
            Choice::File("mine.yaml".into())
        );
    }

    #[test]
    fn files_stay_below_the_model_services_directory() {
        for bad in ["../x.yaml", "/etc/x.yaml", "a/../../x.yaml"] {
            let e = resolve(&Choice::File(bad.into()), &span(), "m").unwrap_err();
            assert!(e.message.contains("outside"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_dangling_plugin_ref_is_an_error_at_its_line() {
        let text = "kind: EndpointPickerConfig\nplugins:\n- type: queue-scorer\n- type: x\n  name: mine\nschedulingProfiles:\n- name: default\n  plugins:\n  - pluginRef: mine\n  - pluginRef: queue-scorrer\n";
        let c = Choice::Inline(text.into());
        let e = resolve(&c, &span(), "m").unwrap_err();
        assert!(e.message.contains("pluginRef `queue-scorrer`"), "{e}");
        assert_eq!(e.help.as_deref(), Some("did you mean `queue-scorer`?"));
        assert_eq!(
            e.path.as_deref(),
            Some("schedulingProfiles[0].plugins[1].pluginRef")
        );
        // Line 10 of the text, below the annotation on line 3, indented 4.
        assert_eq!((e.span.line, e.span.col), (13, 20));
        let ok = text.replace("queue-scorrer", "queue-scorer");
        assert_eq!(
            resolve(&Choice::Inline(ok), &span(), "m").unwrap().file,
            CUSTOM_FILE
        );
        let e = check("kind: ConfigMap\n", &Origin::file("t"), &span()).unwrap_err();
        assert!(e.message.contains("not an EndpointPickerConfig"), "{e}");
    }
}
