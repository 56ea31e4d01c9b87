//! The HTTPRoute that sends a gateway's traffic to the InferencePool.

use super::{Labels, add_metadata_labels, identify, strip_server_fields};
use crate::merge::merge;
use crate::yaml::Node;

/// The route from its template (or a minimal one), with the ModelService's
/// `gatewayRefs` merged into `parentRefs` by name (ModelService wins per field).
/// Without a template, the route sends everything to `pool` when there is one.
pub fn http_route(
    base: Option<Node>,
    name: &str,
    namespace: &str,
    labels: &Labels,
    gateway_refs: &[Node],
    pool: Option<(&str, &str)>,
) -> Node {
    let had_base = base.is_some();
    let mut obj = base.unwrap_or_else(Node::map);
    strip_server_fields(&mut obj);
    if !had_base && let Some((group, pool_name)) = pool {
        obj.set_path(
            &["spec", "rules"],
            Node::seq(vec![Node::from_pairs([(
                "backendRefs",
                Node::seq(vec![Node::from_pairs([
                    ("group", Node::string(group)),
                    ("kind", Node::string("InferencePool")),
                    ("name", Node::string(pool_name)),
                ])]),
            )])]),
        );
    }
    if !gateway_refs.is_empty() {
        let overlay = Node::from_pairs([(
            "spec",
            Node::from_pairs([("parentRefs", Node::seq(gateway_refs.to_vec()))]),
        )]);
        merge(&mut obj, &overlay);
    }
    identify(
        &mut obj,
        "gateway.networking.k8s.io/v1",
        "HTTPRoute",
        name,
        Some(namespace),
    );
    add_metadata_labels(&mut obj, labels);
    obj
}
