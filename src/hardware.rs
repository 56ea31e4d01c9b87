//! The accelerator types msvc knows: the extended resource each is
//! requested by and the env it needs. One table for both render paths: it
//! is the chart's `accelerator.resources` / `accelerator.env` defaults.

use std::sync::LazyLock;

use crate::yaml::{Mapping, Node};

/// The type that requests no device.
pub const CPU: &str = "cpu";

static TABLE: LazyLock<Node> = LazyLock::new(|| {
    crate::values::defaults()
        .get("accelerator")
        .cloned()
        .unwrap_or_else(Node::map)
});

fn resources() -> Option<&'static Mapping> {
    TABLE.get("resources").and_then(Node::as_map)
}

/// The resource name of `ty` (`nvidia` -> `nvidia.com/gpu`), if known.
pub fn resource(ty: &str) -> Option<String> {
    resources()?.get(ty).and_then(Node::scalar_text)
}

/// Every known type, `cpu` included.
pub fn names() -> Vec<String> {
    let mut out: Vec<String> = resources()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default();
    out.push(CPU.to_string());
    out
}

/// The env entries `ty` needs.
pub fn env(ty: &str) -> Vec<Node> {
    TABLE
        .get_path(&["env", ty])
        .and_then(Node::as_seq)
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_types() {
        assert_eq!(resource("nvidia").as_deref(), Some("nvidia.com/gpu"));
        assert_eq!(resource("intel-gaudi").as_deref(), Some("habana.ai/gaudi"));
        assert_eq!(resource("google").as_deref(), Some("google.com/tpu"));
        assert!(resource("cpu").is_none());
        assert!(names().contains(&"amd".to_string()));
        assert!(!env("intel-xe").is_empty());
    }
}
