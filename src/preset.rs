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
