//! `leaderworkerset.x-k8s.io/v1 LeaderWorkerSet`: a multi-node model server,
//! one group of `size` pods (leader and workers) per replica.

use crate::yaml::{Mapping, Node, Value};

pub const API_VERSION: &str = "leaderworkerset.x-k8s.io/v1";
/// Keeps each subgroup on one node.
pub const EXCLUSIVE_TOPOLOGY_ANNOTATION: &str =
    "leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology";

#[derive(Clone, Debug)]
pub struct LeaderWorkerSet {
    pub name: String,
    pub labels: Mapping,
    pub annotations: Mapping,
    /// `None` leaves replicas to an autoscaler.
    pub replicas: Option<Node>,
    /// Pods per group: the number of workers.
    pub size: i64,
    pub sub_group_policy: Option<Node>,
    pub pod_labels: Mapping,
    pub pod_annotations: Mapping,
    pub pod_spec: Node,
}

fn map_or_none(m: &Mapping) -> Option<Node> {
    (!m.is_empty()).then(|| Node::synth(Value::Map(m.clone())))
}

impl LeaderWorkerSet {
    pub fn to_node(&self) -> Node {
        let mut metadata = Node::from_pairs([("name", Node::string(&self.name))]);
        let mut spec = Node::map();
        let mut lwt = Node::from_pairs([("size", Node::int(self.size))]);
        let mut pod_meta = Node::map();
        if let Some(m) = metadata.as_map_mut() {
            m.extend(map_or_none(&self.labels).map(|l| ("labels".to_string(), l)));
            m.extend(map_or_none(&self.annotations).map(|a| ("annotations".to_string(), a)));
        }
        if let Some(m) = pod_meta.as_map_mut() {
            m.extend(map_or_none(&self.pod_labels).map(|l| ("labels".to_string(), l)));
            m.extend(map_or_none(&self.pod_annotations).map(|a| ("annotations".to_string(), a)));
        }
        if let Some(m) = lwt.as_map_mut() {
            if let Some(p) = &self.sub_group_policy {
                m.insert("subGroupPolicy".into(), p.clone());
            }
            m.insert(
                "workerTemplate".into(),
                Node::from_pairs([("metadata", pod_meta), ("spec", self.pod_spec.clone())]),
            );
        }
        if let Some(m) = spec.as_map_mut() {
            if let Some(r) = &self.replicas {
                m.insert("replicas".into(), r.clone());
            }
            m.insert("leaderWorkerTemplate".into(), lwt);
        }
        Node::from_pairs([
            ("apiVersion", Node::string(API_VERSION)),
            ("kind", Node::string("LeaderWorkerSet")),
            ("metadata", metadata),
            ("spec", spec),
        ])
    }
}
