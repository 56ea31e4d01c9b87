//! `monitoring.coreos.com/v1 PodMonitor`: Prometheus Operator scraping of
//! model server pods.

use crate::yaml::{Mapping, Node, Value};

pub const API_VERSION: &str = "monitoring.coreos.com/v1";

#[derive(Clone, Debug, Default)]
pub struct PodMonitor {
    pub name: String,
    pub namespace: Option<String>,
    pub labels: Mapping,
    pub annotations: Mapping,
    pub selector: Mapping,
    /// The one `podMetricsEndpoints` entry (port, path, interval, ...).
    pub endpoint: Mapping,
    pub namespace_selector: Option<Node>,
}

impl PodMonitor {
    pub fn to_node(&self) -> Node {
        let mut metadata = Node::from_pairs([("name", Node::string(&self.name))]);
        if let Some(m) = metadata.as_map_mut() {
            if let Some(ns) = &self.namespace {
                m.insert("namespace".into(), Node::string(ns));
            }
            if !self.labels.is_empty() {
                m.insert(
                    "labels".into(),
                    Node::synth(Value::Map(self.labels.clone())),
                );
            }
            if !self.annotations.is_empty() {
                m.insert(
                    "annotations".into(),
                    Node::synth(Value::Map(self.annotations.clone())),
                );
            }
        }
        let mut spec = Node::from_pairs([
            (
                "selector",
                Node::from_pairs([(
                    "matchLabels",
                    Node::synth(Value::Map(self.selector.clone())),
                )]),
            ),
            (
                "podMetricsEndpoints",
                Node::seq(vec![Node::synth(Value::Map(self.endpoint.clone()))]),
            ),
        ]);
        if let (Some(ns), Some(m)) = (&self.namespace_selector, spec.as_map_mut()) {
            m.insert("namespaceSelector".into(), ns.clone());
        }
        Node::from_pairs([
            ("apiVersion", Node::string(API_VERSION)),
            ("kind", Node::string("PodMonitor")),
            ("metadata", metadata),
            ("spec", spec),
        ])
    }
}
