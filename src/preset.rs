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

/// The file name a preset's positions are reported against.
pub fn file_name(name: &str) -> String {
    format!("presets/{name}.yaml")
}

/// The preset's one-line description: its first comment line.
pub fn description(text: &str) -> &str {
    text.lines()
        .find_map(|l| l.strip_prefix('#').map(str::trim))
        .filter(|l| !l.is_empty())
        .unwrap_or("")
}
