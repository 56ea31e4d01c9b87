//! Deployments: prefill, decode and the endpoint picker.

use super::{Labels, add_labels, add_metadata_labels, identify, strip_server_fields};
use crate::artifacts::ModelUri;
use crate::merge::merge;
use crate::modelservice::{AcceleratorTypes, Container};
use crate::yaml::{Node, Value};

/// What the ModelService (and msvc) contribute to one Deployment.
pub struct Workload<'a> {
    pub name: &'a str,
    pub namespace: &'a str,
    /// Labels on the object's metadata.
    pub metadata_labels: &'a Labels,
    /// Labels on the selector and the pod template.
    pub pod_labels: &'a Labels,
    pub service_account: &'a str,
    pub replicas: Option<i64>,
    /// `decoupleScaling: true`: leave `spec.replicas` to an autoscaler.
    pub omit_replicas: bool,
    pub containers: &'a [Container],
    pub init_containers: &'a [Container],
    /// The model volume, for prefill and decode pods.
    pub model: Option<ModelVolume<'a>>,
    pub accelerators: Option<&'a AcceleratorTypes>,
}

pub struct ModelVolume<'a> {
    pub uri: &'a ModelUri,
    pub size: Option<&'a Node>,
    pub auth_secret_name: Option<&'a str>,
}

/// The Deployment: `base` (rendered from the BaseConfig, or empty) with the
/// ModelService laid over it and msvc's rules applied.
pub fn deployment(base: Option<Node>, w: &Workload<'_>) -> Node {
    let mut obj = base.unwrap_or_else(Node::map);
    strip_server_fields(&mut obj);

    let mut overlay = Node::map();
    if let Some(r) = w.replicas {
        overlay.set_path(&["spec", "replicas"], Node::int(r));
    }
    let to_nodes = |cs: &[Container]| cs.iter().map(|c| c.fields.clone()).collect::<Vec<_>>();
    if !w.init_containers.is_empty() {
        overlay.set_path(
            &["spec", "template", "spec", "initContainers"],
            Node::seq(to_nodes(w.init_containers)),
        );
    }
    if !w.containers.is_empty() {
        overlay.set_path(&CONTAINERS, Node::seq(to_nodes(w.containers)));
    }
    merge(&mut obj, &overlay);

    identify(&mut obj, "apps/v1", "Deployment", w.name, Some(w.namespace));
    add_metadata_labels(&mut obj, w.metadata_labels);
    if w.omit_replicas {
        obj.remove_path(&["spec", "replicas"]);
    }
    add_labels(&mut obj, &["spec", "selector", "matchLabels"], w.pod_labels);
    add_labels(
        &mut obj,
        &["spec", "template", "metadata", "labels"],
        w.pod_labels,
    );

    let pod = obj.ensure_map(&["spec", "template", "spec"]);
    pod.insert("serviceAccountName".into(), Node::string(w.service_account));
    let mut pod_node = Node::synth(Value::Map(std::mem::take(pod)));

    if let Some(m) = &w.model {
        m.uri
            .apply_volume(pod_node.ensure_seq(&["volumes"]), m.size);
        // Each mounting container, with the env names the ModelService
        // sets on it itself.
        let mounting: Vec<(&str, Vec<&str>)> = w
            .containers
            .iter()
            .chain(w.init_containers)
            .filter(|c| c.mount_model_volume)
            .map(|c| {
                let own = c
                    .fields
                    .get("env")
                    .and_then(Node::as_seq)
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e.get("name").and_then(Node::as_str))
                    .collect();
                (c.name.as_str(), own)
            })
            .collect();
        for list in ["initContainers", "containers"] {
            if let Some(items) = pod_node.get_mut(list).and_then(Node::as_seq_mut) {
                for c in items.iter_mut() {
                    let name = c.get("name").and_then(Node::as_str).unwrap_or("");
                    if let Some((_, own)) = mounting.iter().find(|(n, _)| *n == name) {
                        m.uri.apply_to_container(c, m.auth_secret_name, own);
                    }
                }
            }
        }
    }
    if let Some(a) = w.accelerators {
        require_node_labels(&mut pod_node, a);
    }
    obj.set_path(&["spec", "template", "spec"], pod_node);
    // Read top-down whatever order the layers built it in: replicas,
    // selector, ..., template; a template's metadata before its spec;
    // initContainers before containers.
    if let Some(spec) = obj.get_mut("spec") {
        order_keys(spec, &["replicas", "selector"], &["template"]);
        if let Some(tpl) = spec.get_mut("template") {
            order_keys(tpl, &["metadata"], &[]);
            for list in ["initContainers", "containers"] {
                let items = tpl
                    .get_mut("spec")
                    .and_then(|p| p.get_mut(list))
                    .and_then(Node::as_seq_mut);
                for c in items.into_iter().flatten() {
                    order_keys(c, &["name", "image"], &[]);
                }
            }
            if let Some(pod) = tpl.get_mut("spec").and_then(Node::as_map_mut)
                && let (Some(init), Some(main)) = (
                    pod.get_index_of("initContainers"),
                    pod.get_index_of("containers"),
                )
                && init > main
            {
                pod.move_index(init, main);
            }
        }
    }
    obj
}

/// Where a Deployment's (or ReplicaSet's) pod containers are.
pub const CONTAINERS: [&str; 4] = ["spec", "template", "spec", "containers"];

/// The model server among `containers`: the one named `vllm`, else the
/// first. Hardware and size presets address it as `vllm`.
pub fn model_server(containers: &[Node]) -> Option<usize> {
    if containers.is_empty() {
        return None;
    }
    Some(
        containers
            .iter()
            .position(|c| c.get("name").and_then(Node::as_str) == Some("vllm"))
            .unwrap_or(0),
    )
}

/// Moves `first` keys (those present) to the front and `last` to the end,
/// in the given order; the others keep theirs.
fn order_keys(node: &mut Node, first: &[&str], last: &[&str]) {
    let Some(map) = node.as_map_mut() else { return };
    let mut next = 0;
    for key in first {
        if let Some(at) = map.get_index_of(*key) {
            map.move_index(at, next);
            next += 1;
        }
    }
    for key in last {
        if let Some(at) = map.get_index_of(*key) {
            let end = map.len() - 1;
            map.move_index(at, end);
        }
    }
}

/// `labelKey In labelValues` as a required node affinity, added to every
/// existing node selector term (terms are ORed, expressions ANDed).
fn require_node_labels(pod: &mut Node, a: &AcceleratorTypes) {
    let expr = Node::from_pairs([
        ("key", Node::string(a.label_key.clone())),
        ("operator", Node::string("In")),
        (
            "values",
            Node::seq(
                a.label_values
                    .iter()
                    .map(|v| Node::string(v.clone()))
                    .collect(),
            ),
        ),
    ]);
    let terms = pod.ensure_seq(&[
        "affinity",
        "nodeAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution",
        "nodeSelectorTerms",
    ]);
    if terms.is_empty() {
        terms.push(Node::map());
    }
    for term in terms.iter_mut() {
        let exprs = term.ensure_seq(&["matchExpressions"]);
        if !exprs.contains(&expr) {
            exprs.push(expr.clone());
        }
    }
}
