//! ServiceAccounts and the endpoint picker's Role and RoleBinding.

use super::{Labels, add_metadata_labels, identify};
use crate::yaml::Node;

pub fn service_account(
    name: &str,
    namespace: &str,
    labels: &Labels,
    pull_secrets: &[String],
) -> Node {
    let mut obj = Node::map();
    identify(&mut obj, "v1", "ServiceAccount", name, Some(namespace));
    add_metadata_labels(&mut obj, labels);
    if !pull_secrets.is_empty() {
        obj.set_path(
            &["imagePullSecrets"],
            Node::seq(
                pull_secrets
                    .iter()
                    .map(|s| Node::from_pairs([("name", Node::string(s.clone()))]))
                    .collect(),
            ),
        );
    }
    obj
}

/// A rule granting `verbs` on `resources` of `groups`.
fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> Node {
    let strings = |xs: &[&str]| Node::seq(xs.iter().map(|x| Node::string(*x)).collect());
    Node::from_pairs([
        ("apiGroups", strings(groups)),
        ("resources", strings(resources)),
        ("verbs", strings(verbs)),
    ])
}

/// A Role holding `rules`.
fn role(name: &str, namespace: &str, labels: &Labels, rules: Vec<Node>) -> Node {
    let mut obj = Node::map();
    identify(
        &mut obj,
        "rbac.authorization.k8s.io/v1",
        "Role",
        name,
        Some(namespace),
    );
    add_metadata_labels(&mut obj, labels);
    obj.set_path(&["rules"], Node::seq(rules));
    obj
}

/// The least-privilege Role the endpoint picker needs: read pods and the
/// inference pools (both API groups), and InferenceModels when emitted.
pub fn epp_role(name: &str, namespace: &str, labels: &Labels, with_inference_model: bool) -> Node {
    const READ: &[&str] = &["get", "list", "watch"];
    let mut x_k8s = vec!["inferencepools"];
    if with_inference_model {
        x_k8s.push("inferencemodels");
    }
    let rules = vec![
        rule(&[""], &["pods"], READ),
        rule(&["inference.networking.k8s.io"], &["inferencepools"], READ),
        rule(&["inference.networking.x-k8s.io"], &x_k8s, READ),
    ];
    role(name, namespace, labels, rules)
}

/// The Role of the GAIE inferencepool chart v1.4.0's EPP (its `-non-sa`
/// and `-sa` Roles' rules, in order): InferenceObjectives and
/// InferenceModelRewrites, the pools of `pool_group`, pods; and
/// InferenceModels when emitted.
pub fn epp_role_chart(
    name: &str,
    namespace: &str,
    labels: &Labels,
    pool_group: &str,
    with_inference_model: bool,
) -> Node {
    // The chart's order of verbs.
    const READ: &[&str] = &["get", "watch", "list"];
    let mut x_k8s = vec!["inferenceobjectives", "inferencemodelrewrites"];
    if with_inference_model {
        x_k8s.push("inferencemodels");
    }
    let rules = vec![
        rule(&["inference.networking.x-k8s.io"], &x_k8s, READ),
        rule(&[pool_group], &["inferencepools"], READ),
        rule(&[""], &["pods"], READ),
    ];
    role(name, namespace, labels, rules)
}

/// Binds the EPP ServiceAccount to `role_kind`/`role_name` (a ClusterRole
/// named on the command line, or the Role above).
pub fn role_binding(
    name: &str,
    namespace: &str,
    labels: &Labels,
    service_account: &str,
    role_kind: &str,
    role_name: &str,
) -> Node {
    let mut obj = Node::map();
    identify(
        &mut obj,
        "rbac.authorization.k8s.io/v1",
        "RoleBinding",
        name,
        Some(namespace),
    );
    add_metadata_labels(&mut obj, labels);
    obj.set_path(
        &["subjects"],
        Node::seq(vec![Node::from_pairs([
            ("kind", Node::string("ServiceAccount")),
            ("name", Node::string(service_account)),
            ("namespace", Node::string(namespace)),
        ])]),
    );
    obj.set_path(
        &["roleRef"],
        Node::from_pairs([
            ("apiGroup", Node::string("rbac.authorization.k8s.io")),
            ("kind", Node::string(role_kind)),
            ("name", Node::string(role_name)),
        ]),
    );
    obj
}
