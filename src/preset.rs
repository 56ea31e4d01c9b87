//! BaseConfig presets built into the binary (`presets/*.yaml`).

include!(concat!(env!("OUT_DIR"), "/presets.rs"));

/// The preset used when a ModelService names no BaseConfig and none is given.
pub const DEFAULT: &str = "vllm-hf";

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
