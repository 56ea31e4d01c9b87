//! HorizontalPodAutoscalers and PodDisruptionBudgets for prefill/decode
//! (msvc extensions of the ModelService: `autoscaling`, `disruptionBudget`).

use super::{Labels, add_labels, add_metadata_labels, identify};
use crate::modelservice::{Autoscaling, DisruptionBudget};
use crate::yaml::Node;

/// An autoscaling/v2 HPA named like the Deployment it scales.
pub fn horizontal_pod_autoscaler(
    deployment: &str,
    namespace: &str,
    labels: &Labels,
    a: &Autoscaling,
) -> Node {
    let mut obj = Node::map();
    identify(
        &mut obj,
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
        deployment,
        Some(namespace),
    );
    add_metadata_labels(&mut obj, labels);
    obj.set_path(
        &["spec", "scaleTargetRef"],
        Node::from_pairs([
            ("apiVersion", Node::string("apps/v1")),
            ("kind", Node::string("Deployment")),
            ("name", Node::string(deployment)),
        ]),
    );
    obj.set_path(&["spec", "minReplicas"], Node::int(a.min_replicas));
    obj.set_path(&["spec", "maxReplicas"], Node::int(a.max_replicas));
    obj.set_path(&["spec", "metrics"], Node::seq(a.metrics.clone()));
    if let Some(b) = &a.behavior {
        obj.set_path(&["spec", "behavior"], b.clone());
    }
    obj
}

/// A policy/v1 PDB named like the Deployment, over the role's pods.
pub fn pod_disruption_budget(
    deployment: &str,
    namespace: &str,
    labels: &Labels,
    selector: &Labels,
    b: &DisruptionBudget,
) -> Node {
    let mut obj = Node::map();
    identify(
        &mut obj,
        "policy/v1",
        "PodDisruptionBudget",
        deployment,
        Some(namespace),
    );
    add_metadata_labels(&mut obj, labels);
    obj.set_path(&["spec", b.field], b.value.clone());
    add_labels(&mut obj, &["spec", "selector", "matchLabels"], selector);
    obj
}
