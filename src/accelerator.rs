//! Accelerators: the extended resource a type is requested by, its env,
//! the counts added to container resources, and the warning when a user's
//! explicit limit disagrees with parallelism. The tables (type -> resource
//! name, type -> env) come from the caller (chart values or a preset).

use crate::yaml::{Mapping, Node};

/// Accelerator types that request no device.
pub const CPU: &str = "cpu";
/// Images that simulate a model server and need no device.
pub const SIMULATOR_IMAGE: &str = "llm-d-inference-sim";
/// The resource name of a type missing from the table.
pub const DEFAULT_RESOURCE: &str = "nvidia.com/gpu";

/// The extended resource name to request for `ty`, or `None` when the
/// container needs no device (CPU, or the inference simulator image).
pub fn resource_name(resources: Option<&Mapping>, ty: &str, image: Option<&str>) -> Option<String> {
    if image.is_some_and(|i| i.contains(SIMULATOR_IMAGE)) || ty == CPU {
        return None;
    }
    match resources.and_then(|r| r.get(ty)) {
        Some(n) => Some(n.scalar_text().unwrap_or_default()),
        None => Some(DEFAULT_RESOURCE.to_string()),
    }
}

/// The env entries of `ty` (each value as a string).
pub fn env(table: Option<&Mapping>, ty: &str) -> Vec<Node> {
    if ty == CPU {
        return Vec::new();
    }
    let Some(items) = table.and_then(|t| t.get(ty)).and_then(Node::as_seq) else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| {
            let text = |k: &str| item.get(k).and_then(Node::scalar_text).unwrap_or_default();
            Node::from_pairs([
                ("name", Node::string(text("name"))),
                ("value", Node::string(text("value"))),
            ])
        })
        .collect()
}

/// Adds `resource: "count"` to limits and requests where the user did not
/// set it (a TPU may need fewer chips than its tensor parallelism).
pub fn fill_resources(limits: &mut Mapping, requests: &mut Mapping, resource: &str, count: i64) {
    if count < 1 || resource.is_empty() {
        return;
    }
    for m in [limits, requests] {
        if !m.contains_key(resource) {
            m.insert(resource.to_string(), Node::string(count.to_string()));
        }
    }
}

/// The warning for a limit that differs from the computed count, if any.
pub fn mismatch_warning(resource: &str, limits: Option<&Mapping>, count: i64) -> Option<String> {
    if count < 1 || resource.is_empty() {
        return None;
    }
    let user = quantity_int(limits?.get(resource)?);
    (user != count).then(|| {
        format!("Accelerator mismatch: {resource} is set to {user} but parallelism calculates {count}. Using {user}.")
    })
}

/// A quantity as a whole number the way Helm's `int` reads it: integers,
/// truncated floats, strings in base 10 (or 0x/0 prefixed); anything else 0.
pub fn quantity_int(n: &Node) -> i64 {
    use crate::yaml::Value;
    match &n.value {
        Value::Int(i) => *i,
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => {
            let s = s.trim();
            let s = s
                .split_once('.')
                .filter(|(_, frac)| frac.bytes().all(|b| b == b'0'))
                .map_or(s, |(int, _)| int);
            let (neg, digits) = match s.strip_prefix('-') {
                Some(d) => (true, d),
                None => (false, s.strip_prefix('+').unwrap_or(s)),
            };
            let v = if let Some(h) = digits
                .strip_prefix("0x")
                .or_else(|| digits.strip_prefix("0X"))
            {
                i64::from_str_radix(h, 16).ok()
            } else if digits.len() > 1 && digits.starts_with('0') {
                i64::from_str_radix(&digits[1..], 8).ok()
            } else {
                digits.parse().ok()
            };
            v.map_or(0, |v| if neg { -v } else { v })
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Origin, parse_one};

    fn table() -> Node {
        parse_one(
            "nvidia: nvidia.com/gpu\ngoogle: google.com/tpu\nintel-xe: gpu.intel.com/xe\n",
            &Origin::file("t"),
        )
        .unwrap()
    }

    #[test]
    fn resource_names() {
        let t = table();
        let r = t.as_map();
        assert_eq!(
            resource_name(r, "google", Some("vllm/tpu")).as_deref(),
            Some("google.com/tpu")
        );
        assert_eq!(
            resource_name(r, "unknown", None).as_deref(),
            Some("nvidia.com/gpu")
        );
        assert_eq!(resource_name(r, "cpu", None), None);
        assert_eq!(
            resource_name(r, "nvidia", Some("ghcr.io/llm-d/llm-d-inference-sim:v1")),
            None
        );
    }

    #[test]
    fn fill_keeps_explicit_limits() {
        let mut limits = Mapping::new();
        limits.insert("google.com/tpu".into(), Node::int(4));
        let mut requests = Mapping::new();
        fill_resources(&mut limits, &mut requests, "google.com/tpu", 8);
        assert_eq!(limits.get("google.com/tpu"), Some(&Node::int(4)));
        assert_eq!(requests.get("google.com/tpu"), Some(&Node::string("8")));
        assert_eq!(
            mismatch_warning("google.com/tpu", Some(&limits), 8).as_deref(),
            Some(
                "Accelerator mismatch: google.com/tpu is set to 4 but parallelism calculates 8. Using 4."
            )
        );
        assert_eq!(mismatch_warning("google.com/tpu", Some(&limits), 4), None);
    }

    #[test]
    fn quantities() {
        for (n, want) in [
            (Node::string("4"), 4),
            (Node::string("2.0"), 2),
            (Node::int(3), 3),
            (Node::string("x"), 0),
            (Node::string("010"), 8),
        ] {
            assert_eq!(quantity_int(&n), want, "{n:?}");
        }
    }
}
