//! InferencePool and InferenceModel (Gateway API Inference Extension).

use super::{Labels, ObjectExt, add_labels, add_metadata_labels, identify, strip_server_fields};
use crate::yaml::Node;

const X_K8S: &str = "inference.networking.x-k8s.io/v1alpha2";

/// The pool from its template: selects the model's pods and points at the
/// endpoint picker's Service. Both API versions are understood:
/// `v1alpha2` (`selector`, `extensionRef`) and `v1` (`selector.matchLabels`,
/// `endpointPickerRef`).
pub fn inference_pool(
    base: Node,
    name: &str,
    namespace: &str,
    selector: &Labels,
    epp_service: &str,
    epp_port: Option<i64>,
) -> Node {
    let mut obj = base;
    strip_server_fields(&mut obj);
    let api = match obj.api_version() {
        "" => X_K8S.to_string(),
        v => v.to_string(),
    };
    identify(&mut obj, &api, "InferencePool", name, Some(namespace));
    add_metadata_labels(&mut obj, &Vec::new());
    if api == X_K8S {
        add_labels(&mut obj, &["spec", "selector"], selector);
        obj.set_path(&["spec", "extensionRef", "name"], Node::string(epp_service));
    } else {
        add_labels(&mut obj, &["spec", "selector", "matchLabels"], selector);
        obj.set_path(
            &["spec", "endpointPickerRef", "name"],
            Node::string(epp_service),
        );
        if obj
            .get_path(&["spec", "endpointPickerRef", "port"])
            .is_none()
            && let Some(p) = epp_port
        {
            obj.set_path(
                &["spec", "endpointPickerRef", "port", "number"],
                Node::int(p),
            );
        }
    }
    obj
}

pub fn inference_model(
    base: Node,
    name: &str,
    namespace: &str,
    labels: &Labels,
    model_name: &str,
    pool: &str,
) -> Node {
    let mut obj = base;
    strip_server_fields(&mut obj);
    let api = match obj.api_version() {
        "" => X_K8S.to_string(),
        v => v.to_string(),
    };
    identify(&mut obj, &api, "InferenceModel", name, Some(namespace));
    add_metadata_labels(&mut obj, labels);
    obj.set_path(&["spec", "modelName"], Node::string(model_name));
    obj.set_path(&["spec", "poolRef", "name"], Node::string(pool));
    obj
}
