//! BaseConfig presets built into the binary (`presets/*.yaml`).

include!(concat!(env!("OUT_DIR"), "/presets.rs"));

/// The preset used when a ModelService names no BaseConfig and none is
/// given, for a `hf://` model.
pub const DEFAULT: &str = "vllm-hf";

/// The preset used when a ModelService names no BaseConfig and none is
/// given: the vLLM preset that loads models of its URI's scheme.
pub fn default_for(uri: &crate::artifacts::ModelUri) -> &'static str {
    use crate::artifacts::ModelUri;
    match uri {
        ModelUri::HuggingFace { .. } => DEFAULT,
        ModelUri::Pvc { .. } => "vllm-pvc",
        ModelUri::Oci { .. } => "vllm-oci",
    }
}

/// The text of the preset `name`.
pub fn get(name: &str) -> Option<&'static str> {
    PRESETS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

pub fn names() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().map(|(n, _)| *n)
}

/// The error for a preset name that is not built in, with the nearest
/// name or the list; `span` is where the name was given.
pub fn unknown(name: &str, span: crate::error::Span) -> crate::error::Diagnostic {
    let d = crate::error::Diagnostic::new(
        crate::error::Stage::Resolve,
        span,
        format!("unknown preset `{name}`"),
    );
    let names: Vec<&str> = names().collect();
    match crate::decode::suggest(name, &names) {
        Some(s) => d.with_help(format!(
            "did you mean `{s}`? (`msvc presets list` shows them all)"
        )),
        None => d.with_help(format!("built-in presets: {}", names.join(", "))),
    }
}

/// The preset as `msvc presets show` prints it for the Inference Extension
/// API `api`: with `v1`, which has no InferenceModel, without the
/// `inferenceModel` entry (and its comment), so a copy renders as the
/// preset does, with no warning.
pub fn show(name: &str, api: crate::objects::inference::GieApi) -> Option<String> {
    let text = get(name)?;
    if api != crate::objects::inference::GieApi::V1 {
        return Some(text.to_string());
    }
    Some(without_data_key(text, "inferenceModel"))
}

/// `text` without the top-level `data` entry `key` (a block at two spaces
/// of indentation), the comment lines just above it and the blank line
/// after it.
fn without_data_key(text: &str, key: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let entry = format!("  {key}:");
    let Some(start) = lines.iter().position(|l| l.starts_with(&entry)) else {
        return text.to_string();
    };
    let mut first = start;
    while first > 0
        && lines[first - 1].trim_start().starts_with('#')
        && lines[first - 1].starts_with("  ")
    {
        first -= 1;
    }
    let mut end = start + 1;
    while end < lines.len() && (lines[end].trim().is_empty() || lines[end].starts_with("   ")) {
        end += 1;
    }
    let mut out: String = lines[..first].concat();
    out.push_str(&lines[end..].concat());
    out
}

/// The file name a preset's positions are reported against
/// (`presets/<version>/<name>.yaml` for `<name>@<version>`).
pub fn file_name(name: &str) -> String {
    match name.split_once('@') {
        Some((name, version)) => format!("presets/{version}/{name}.yaml"),
        None => format!("presets/{name}.yaml"),
    }
}

/// The preset's one-line description: its first comment line.
pub fn description(text: &str) -> &str {
    text.lines()
        .find_map(|l| l.strip_prefix('#').map(str::trim))
        .filter(|l| !l.is_empty())
        .unwrap_or("")
}

/// A diagnostic met in a built-in preset while rendering `ms` over
/// `stack`, told against the ModelService: the preset is no file of the
/// user's (an editor or `lint --format github` could not open it), and
/// what the user can change is the ModelService. The preset line follows
/// as a note. Others are returned as they are.
pub fn blame_model_service(
    d: crate::error::Diagnostic,
    ms: &crate::modelservice::ModelService,
    stack: &crate::baseconfig::BaseStack,
) -> crate::error::Diagnostic {
    let Some(layer) = stack
        .layers
        .iter()
        .find(|l| l.config.builtin && *d.span.file == *file_name(&l.config.name))
    else {
        return d;
    };
    let name = &layer.config.name;
    let place = format!(
        "preset {name} (`msvc presets show {name}`) line {}:{}",
        d.span.line, d.span.col
    );
    // The template engine's message for a port the ModelService does not name.
    let port = d
        .message
        .split("unknown port `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .map(str::to_string);
    let mut out = match &port {
        Some(port) => crate::error::Diagnostic {
            span: ms.routing.ports_span.clone(),
            path: Some("spec.routing.ports".into()),
            ..d
        }
        .with_note(format!("{place} uses port `{port}`")),
        None => {
            let at = d
                .path
                .as_ref()
                .map(|p| format!(" (at {p})"))
                .unwrap_or_default();
            crate::error::Diagnostic {
                span: ms.span.clone(),
                path: None,
                ..d
            }
            .with_note(format!("{place}{at} is where it was met"))
        }
    };
    if let Some(port) = port {
        out.help.get_or_insert_with(|| {
            format!(
                "name a port `{port}` in spec.routing.ports (the preset refers to it by that name)"
            )
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Diagnostic, Span, Stage};

    fn ms_and_stack() -> (
        crate::modelservice::ModelService,
        crate::baseconfig::BaseStack,
    ) {
        let text = "apiVersion: llm-d.ai/v1alpha1\nkind: ModelService\nmetadata:\n  name: m\nspec:\n  routing:\n    modelName: a/b\n  modelArtifacts:\n    uri: hf://a/b\n";
        let inputs = crate::load::classify(&[crate::load::Source::new("m.yaml", text)]).unwrap();
        let base = crate::load_preset("vllm-hf").unwrap().compile().unwrap();
        let stack = crate::baseconfig::BaseStack {
            layers: vec![std::sync::Arc::new(base)],
        };
        (inputs.model_services.into_iter().next().unwrap(), stack)
    }

    #[test]
    fn a_preset_position_moves_to_the_model_service_with_a_note() {
        let (ms, stack) = ms_and_stack();
        let d = Diagnostic::new(
            Stage::Template,
            Span::new(file_name("vllm-hf").into(), 40, 7),
            "bad",
        )
        .with_path("data.decodeDeployment");
        let got = blame_model_service(d, &ms, &stack);
        assert_eq!(got.span.to_string(), "m.yaml:1:1");
        assert_eq!(got.path, None);
        assert_eq!(
            *got.notes,
            [
                "preset vllm-hf (`msvc presets show vllm-hf`) line 40:7 (at data.decodeDeployment) is where it was met"
            ]
        );
        // Routing has no ports: the port error points at routing.
        let d = Diagnostic::new(
            Stage::Template,
            Span::new(file_name("vllm-hf").into(), 36, 36),
            "unknown port `app_port`; spec.routing.ports names no ports",
        );
        let got = blame_model_service(d, &ms, &stack);
        assert_eq!(got.span.to_string(), "m.yaml:6:3");
        // Positions in other files stay.
        let d = Diagnostic::new(Stage::Template, Span::new("base.yaml".into(), 3, 1), "bad");
        assert_eq!(
            blame_model_service(d, &ms, &stack).span.to_string(),
            "base.yaml:3:1"
        );
    }
}
