//! Dynamic Resource Allocation: `resource.k8s.io/v1 ResourceClaimTemplate`
//! per role, and the names pods and containers use to claim from it.

use crate::yaml::{Mapping, Node, Value};

pub const API_VERSION: &str = "resource.k8s.io/v1";
const TEMPLATE_SUFFIX: &str = "-claim-template";

/// The pod's claim name: `CONFIGNAME-minus-suffix-ROLE-claim`, else `TYPE-ROLE-claim`.
pub fn claim_name(config_name: Option<&str>, ty: &str, role: &str) -> String {
    match config_name.filter(|n| !n.is_empty()) {
        Some(n) => format!(
            "{}-{role}-claim",
            n.strip_suffix(TEMPLATE_SUFFIX).unwrap_or(n)
        ),
        None => format!("{ty}-{role}-claim"),
    }
}

/// The template a pod claims from: `CONFIGNAME-ROLE`, else `TYPE-ROLE-claim-template`.
pub fn claim_template_name(config_name: Option<&str>, ty: &str, role: &str) -> String {
    match config_name {
        Some(n) => format!("{n}-{role}"),
        None => format!("{ty}-{role}{TEMPLATE_SUFFIX}"),
    }
}

/// One pod-level claim entry.
pub fn pod_claim(name: &str, template: &str) -> Node {
    Node::from_pairs([
        ("name", Node::string(name)),
        ("resourceClaimTemplateName", Node::string(template)),
    ])
}

#[derive(Clone, Debug)]
pub struct ResourceClaimTemplate {
    pub name: String,
    pub labels: Mapping,
    /// The device request's name (the accelerator type).
    pub request: String,
    /// Allocation mode key, `exactly` by default.
    pub allocation: String,
    pub device_class: Node,
    pub count: Node,
    pub selectors: Option<Node>,
}

impl ResourceClaimTemplate {
    pub fn to_node(&self) -> Node {
        let mut exact = Node::from_pairs([
            ("deviceClassName", self.device_class.clone()),
            ("count", self.count.clone()),
        ]);
        if let (Some(s), Some(m)) = (&self.selectors, exact.as_map_mut()) {
            m.insert("selectors".into(), s.clone());
        }
        let request = Node::from_pairs([
            ("name", Node::string(&self.request)),
            (self.allocation.as_str(), exact),
        ]);
        let mut metadata = Node::from_pairs([("name", Node::string(&self.name))]);
        if let (false, Some(m)) = (self.labels.is_empty(), metadata.as_map_mut()) {
            m.insert(
                "labels".into(),
                Node::synth(Value::Map(self.labels.clone())),
            );
        }
        Node::from_pairs([
            ("apiVersion", Node::string(API_VERSION)),
            ("kind", Node::string("ResourceClaimTemplate")),
            ("metadata", metadata),
            (
                "spec",
                Node::from_pairs([(
                    "spec",
                    Node::from_pairs([(
                        "devices",
                        Node::from_pairs([("requests", Node::seq(vec![request]))]),
                    )]),
                )]),
            ),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            claim_name(Some("intel-gaudi-claim-template"), "intel-gaudi", "decode"),
            "intel-gaudi-decode-claim"
        );
        assert_eq!(claim_name(None, "foo", "prefill"), "foo-prefill-claim");
        assert_eq!(claim_name(Some(""), "foo", "prefill"), "foo-prefill-claim");
        assert_eq!(
            claim_template_name(Some("intel-gaudi-claim-template"), "x", "decode"),
            "intel-gaudi-claim-template-decode"
        );
        assert_eq!(
            claim_template_name(None, "foo", "decode"),
            "foo-decode-claim-template"
        );
    }
}
