//! Does a BaseConfig fit the ModelService's model? A preset made for one
//! kind of model URI renders pods that serve nothing, or the wrong thing,
//! for another (`vllm serve` with no model; `HF_HUB_OFFLINE=1` and a
//! Hugging Face name). Two checks, both errors:
//!
//! * a BaseConfig that declares the schemes it loads
//!   (`msvc.llm-d.ai/model-uri-schemes: hf`, as the built-in presets do)
//!   is not used for a model of another scheme;
//! * a prefill/decode Deployment in which no container's command, args or
//!   env mentions the model (the outputs of the model template variables:
//!   `HFModelName` for `hf://`, `ModelPath` for `pvc://`,
//!   `MountedModelPath` for `oci://`) serves no model, unless a layer says
//!   its server loads none (`msvc.llm-d.ai/loads-no-model: "true"`, the
//!   simulator of the `cpu` preset).

use crate::artifacts::ModelUri;
use crate::baseconfig::BaseStack;
use crate::decode::{suggest, type_error};
use crate::error::{Diagnostic, Stage};
use crate::modelservice::ModelService;
use crate::objects::ObjectExt;
use crate::preset;
use crate::yaml::Node;

/// The BaseConfig annotation naming the schemes it loads, comma-separated.
pub const ANNOTATION_SCHEMES: &str = "msvc.llm-d.ai/model-uri-schemes";
/// The BaseConfig annotation (`"true"`) of a model server that loads no
/// weights, such as the inference simulator of the `cpu` preset.
pub const ANNOTATION_LOADS_NO_MODEL: &str = "msvc.llm-d.ai/loads-no-model";

const SCHEMES: &[&str] = &["hf", "pvc", "oci"];

/// The scheme of a model URI, as written before `://`.
pub fn scheme(uri: &ModelUri) -> &'static str {
    match uri {
        ModelUri::HuggingFace { .. } => "hf",
        ModelUri::Pvc { .. } => "pvc",
        ModelUri::Oci { .. } => "oci",
    }
}

/// Reads the annotation's value: known schemes, at least one.
pub fn read_schemes(node: &Node) -> Result<Vec<String>, Diagnostic> {
    let path = format!("metadata.annotations.{ANNOTATION_SCHEMES}");
    let text = node
        .as_str()
        .ok_or_else(|| type_error(node, &path, "a string"))?;
    let list: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let bad = list.iter().find(|s| !SCHEMES.contains(&s.as_str()));
    if list.is_empty() || bad.is_some() {
        let what = bad.map_or("no scheme".to_string(), |b| format!("unknown scheme `{b}`"));
        let d = Diagnostic::new(
            Stage::Decode,
            node.span.clone(),
            format!("{ANNOTATION_SCHEMES}: {what}"),
        )
        .with_path(path);
        return Err(match bad.and_then(|b| suggest(b, SCHEMES)) {
            Some(s) => d.with_help(format!(
                "did you mean `{s}`? (a comma-separated list of hf, pvc, oci)"
            )),
            None => d.with_help("a comma-separated list of hf, pvc, oci"),
        });
    }
    Ok(list)
}

/// How to name a stack's layer in a message.
fn layer_name(builtin: bool, name: &str) -> String {
    if builtin {
        format!("preset `{name}`")
    } else {
        format!("BaseConfig `{name}`")
    }
}

/// Every layer that declares its schemes must load the model's.
pub fn check_schemes(ms: &ModelService, stack: &BaseStack) -> Result<(), Diagnostic> {
    let uri = &ms.artifacts.model_uri;
    let have = scheme(uri);
    for layer in &stack.layers {
        let config = &layer.config;
        let Some(schemes) = &config.model_uri_schemes else {
            continue;
        };
        if schemes.iter().any(|s| s == have) {
            continue;
        }
        let loads = schemes
            .iter()
            .map(|s| format!("{s}://"))
            .collect::<Vec<_>>()
            .join(", ");
        let fits = preset::default_for(uri);
        let help = if config.builtin {
            format!(
                "use preset `{fits}` for {have}:// models (--preset {fits}, the msvc.llm-d.ai/preset annotation, or baseConfigMapRef.name: {fits})"
            )
        } else {
            format!(
                "use a BaseConfig for {have}:// models (built in: preset `{fits}`), or add {have} to {ANNOTATION_SCHEMES} of `{}` ({}) if it loads them",
                config.name, config.span
            )
        };
        let d = Diagnostic::new(
            Stage::Resolve,
            ms.artifacts.uri_span.clone(),
            format!(
                "{} loads {loads} models, not `{}`",
                layer_name(config.builtin, &config.name),
                ms.artifacts.uri
            ),
        )
        .with_path("spec.modelArtifacts.uri")
        .with_help(help);
        return Err(d);
    }
    Ok(())
}

/// What a container that serves `uri` mentions, and the template variable
/// that gives it.
fn model_mention(uri: &ModelUri) -> (String, &'static str) {
    match uri {
        ModelUri::HuggingFace { .. } => (uri.hf_model_name(), "HFModelName"),
        ModelUri::Pvc { .. } => (uri.model_path(), "ModelPath"),
        ModelUri::Oci { .. } => (uri.mounted_model_path(), "MountedModelPath"),
    }
}

/// Whether a container's command, args or env values mention `needle`.
fn mentions(container: &Node, needle: &str) -> bool {
    let strings = |key: &str| -> Vec<&str> {
        container
            .get(key)
            .and_then(Node::as_seq)
            .map(|l| l.iter().filter_map(Node::as_str).collect())
            .unwrap_or_default()
    };
    let env = container
        .get("env")
        .and_then(Node::as_seq)
        .map(|l| {
            l.iter()
                .filter_map(|e| e.get("value").and_then(Node::as_str))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    strings("command")
        .into_iter()
        .chain(strings("args"))
        .chain(env)
        .any(|s| s.contains(needle))
}

/// A prefill/decode Deployment must hand the model to one of its
/// containers (init containers count: they may fetch it).
pub fn check_serves_model(
    dep: &Node,
    ms: &ModelService,
    stack: &BaseStack,
) -> Result<(), Diagnostic> {
    if stack.layers.iter().any(|l| l.config.loads_no_model) {
        return Ok(());
    }
    let uri = &ms.artifacts.model_uri;
    let (needle, var) = model_mention(uri);
    let containers: Vec<&Node> = ["containers", "initContainers"]
        .iter()
        .filter_map(|k| {
            dep.get_path(&["spec", "template", "spec", k])
                .and_then(Node::as_seq)
        })
        .flatten()
        .collect();
    if containers.is_empty() || containers.iter().any(|c| mentions(c, &needle)) {
        return Ok(());
    }
    let top = stack.layers.iter().rev().find(|l| !l.config.patch_only);
    let used = top.map_or_else(
        || stack.name(),
        |l| layer_name(l.config.builtin, &l.config.name),
    );
    let fits = preset::default_for(uri);
    let top_is_fit = top.is_some_and(|l| l.config.builtin && l.config.name == fits);
    let how = match (uri, top_is_fit) {
        (ModelUri::HuggingFace { .. }, true) => format!(
            "pass it to the model server: `args: [\"{{{{ .HFModelName }}}}\"]` on the ModelService's vllm container (`msvc presets show {fits}` says what it expects)"
        ),
        (ModelUri::HuggingFace { .. }, false) => format!(
            "pass it to the model server, e.g. `args: [\"{{{{ .HFModelName }}}}\"]` on the ModelService's container, or use preset `{fits}`"
        ),
        (_, true) => format!(
            "preset `{fits}` serves it in the Deployments it defines (`msvc presets show {fits}`); pass `{{{{ .MountedModelPath }}}}` to this one's model server in the ModelService"
        ),
        (_, false) => format!(
            "use preset `{fits}`, which serves {{{{ .MountedModelPath }}}}, or pass `{{{{ .{var} }}}}` to the model server"
        ),
    };
    Err(Diagnostic::new(
        Stage::Build,
        ms.artifacts.uri_span.clone(),
        format!(
            "Deployment `{}` serves no model: with {used}, no container's command, args or env mentions `{needle}` ({var} of `{}`)",
            dep.name(),
            ms.artifacts.uri
        ),
    )
    .with_path("spec.modelArtifacts.uri")
    .with_help(how))
}
