//! Prometheus Operator PodMonitor and ServiceMonitor from a BaseConfig's
//! `podMonitor` / `eppServiceMonitor` template: the template's endpoints,
//! msvc's name, labels, selector and namespace.

use super::{Labels, add_labels, add_metadata_labels, identify, strip_server_fields};
use crate::yaml::Node;

/// `kind` is `PodMonitor` or `ServiceMonitor`; `selector` picks the pods
/// (or the Services) by msvc's labels, in `namespace` only.
pub fn monitor(
    base: Node,
    kind: &str,
    name: &str,
    namespace: &str,
    labels: &Labels,
    selector: &Labels,
) -> Node {
    let mut obj = base;
    strip_server_fields(&mut obj);
    identify(
        &mut obj,
        super::pod_monitor::API_VERSION,
        kind,
        name,
        Some(namespace),
    );
    add_metadata_labels(&mut obj, labels);
    obj.remove_path(&["spec", "selector"]);
    add_labels(&mut obj, &["spec", "selector", "matchLabels"], selector);
    obj.set_path(
        &["spec", "namespaceSelector"],
        Node::from_pairs([("matchNames", Node::seq(vec![Node::string(namespace)]))]),
    );
    obj
}
