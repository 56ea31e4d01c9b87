//! InferencePool and InferenceModel (Gateway API Inference Extension).
//!
//! Upstream serves InferencePool `inference.networking.k8s.io/v1`
//! (`selector.matchLabels`, `targetPorts[].number`, `endpointPickerRef`);
//! the controller emitted the now-deprecated
//! `inference.networking.x-k8s.io/v1alpha2` (`selector`, `targetPortNumber`,
//! `extensionRef`) with an InferenceModel, which v1 no longer has. A
//! BaseConfig may be written in either shape; msvc reads both and writes
//! the one asked for.

use super::{Labels, add_metadata_labels, identify, strip_server_fields};
use crate::yaml::{Mapping, Node, Value};

/// Which Gateway API Inference Extension API to emit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GieApi {
    /// `inference.networking.k8s.io/v1` (current).
    #[default]
    V1,
    /// `inference.networking.x-k8s.io/v1alpha2` (the controller's).
    V1Alpha2,
}

impl GieApi {
    pub fn group(self) -> &'static str {
        match self {
            GieApi::V1 => "inference.networking.k8s.io",
            GieApi::V1Alpha2 => "inference.networking.x-k8s.io",
        }
    }

    pub fn pool_api_version(self) -> &'static str {
        match self {
            GieApi::V1 => "inference.networking.k8s.io/v1",
            GieApi::V1Alpha2 => "inference.networking.x-k8s.io/v1alpha2",
        }
    }

    /// The API of an InferencePool `apiVersion`, if it is one.
    pub fn of_group(group: &str) -> Option<Self> {
        match group {
            "inference.networking.k8s.io" => Some(GieApi::V1),
            "inference.networking.x-k8s.io" => Some(GieApi::V1Alpha2),
            _ => None,
        }
    }
}

/// The pool: the template's spec in either shape, rewritten in `api`'s
/// shape, selecting the model's pods and pointing at the EPP Service.
pub fn inference_pool(
    base: Node,
    name: &str,
    namespace: &str,
    selector: &Labels,
    epp_service: &str,
    epp_port: Option<i64>,
    api: GieApi,
) -> Node {
    let mut obj = base;
    strip_server_fields(&mut obj);
    let mut spec = obj
        .remove_path(&["spec"])
        .and_then(|s| s.as_map().cloned())
        .unwrap_or_default();

    // Read whichever shape the template used.
    let mut ports: Vec<Node> = Vec::new();
    if let Some(p) = spec.shift_remove("targetPortNumber") {
        ports.push(p);
    }
    if let Some(list) = spec.shift_remove("targetPorts")
        && let Some(items) = list.as_seq()
    {
        ports.extend(items.iter().filter_map(|i| i.get("number").cloned()));
    }
    let mut match_labels = Mapping::new();
    if let Some(sel) = spec.shift_remove("selector")
        && let Some(m) = sel.as_map()
    {
        match m.get("matchLabels").and_then(Node::as_map) {
            Some(ml) => match_labels.extend(ml.clone()),
            None => match_labels.extend(m.clone()),
        }
    }
    for (k, v) in selector {
        match_labels.insert(k.clone(), Node::string(v.clone()));
    }
    let mut epp = spec
        .shift_remove("extensionRef")
        .or_else(|| spec.shift_remove("endpointPickerRef"))
        .and_then(|r| r.as_map().cloned())
        .unwrap_or_default();
    let template_port = epp
        .shift_remove("portNumber")
        .and_then(|p| p.as_i64())
        .or_else(|| {
            epp.shift_remove("port")
                .and_then(|p| p.get("number").and_then(Node::as_i64))
        });
    epp.insert("name".into(), Node::string(epp_service));
    // The group and kind of the EPP reference stay; so does failureMode.

    let mut out = Mapping::new();
    match api {
        GieApi::V1 => {
            out.insert(
                "selector".into(),
                Node::from_pairs([("matchLabels", Node::synth(Value::Map(match_labels)))]),
            );
            out.insert(
                "targetPorts".into(),
                Node::seq(
                    ports
                        .into_iter()
                        .map(|p| Node::from_pairs([("number", p)]))
                        .collect(),
                ),
            );
            // v1 requires the port of a Service reference; the EPP Service's is it.
            if let Some(p) = template_port.or(epp_port) {
                epp.insert("port".into(), Node::from_pairs([("number", Node::int(p))]));
            }
            out.insert("endpointPickerRef".into(), Node::synth(Value::Map(epp)));
        }
        GieApi::V1Alpha2 => {
            out.insert("selector".into(), Node::synth(Value::Map(match_labels)));
            if let Some(first) = ports.into_iter().next() {
                out.insert("targetPortNumber".into(), first);
            }
            spec.shift_remove("appProtocol");
            if let Some(p) = template_port {
                epp.insert("portNumber".into(), Node::int(p));
            }
            out.insert("extensionRef".into(), Node::synth(Value::Map(epp)));
        }
    }
    // Anything else the template set stays.
    out.extend(spec);
    obj.set_path(&["spec"], Node::synth(Value::Map(out)));
    identify(
        &mut obj,
        api.pool_api_version(),
        "InferencePool",
        name,
        Some(namespace),
    );
    add_metadata_labels(&mut obj, selector);
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
    identify(
        &mut obj,
        "inference.networking.x-k8s.io/v1alpha2",
        "InferenceModel",
        name,
        Some(namespace),
    );
    add_metadata_labels(&mut obj, labels);
    obj.set_path(&["spec", "modelName"], Node::string(model_name));
    obj.set_path(&["spec", "poolRef", "name"], Node::string(pool));
    obj
}

/// Points every InferencePool backendRef of an HTTPRoute at `api`'s group.
pub fn retarget_backend_refs(route: &mut Node, api: GieApi) {
    let Some(rules) = route
        .get_path_mut(&["spec", "rules"])
        .and_then(Node::as_seq_mut)
    else {
        return;
    };
    for rule in rules {
        let Some(refs) = rule.get_mut("backendRefs").and_then(Node::as_seq_mut) else {
            continue;
        };
        for r in refs {
            if r.get("kind").and_then(Node::as_str) == Some("InferencePool")
                && r.get("group")
                    .and_then(Node::as_str)
                    .and_then(GieApi::of_group)
                    .is_some()
                && let Some(m) = r.as_map_mut()
            {
                m.insert("group".into(), Node::string(api.group()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::labels;
    use crate::yaml::{Origin, parse_one, print::to_string};

    fn pool(base: &str, api: GieApi) -> String {
        let base = parse_one(base, &Origin::file("t")).unwrap();
        to_string(&inference_pool(
            base,
            "m-inference-pool",
            "ns",
            &labels(&[("llm-d.ai/model", "x")]),
            "m-epp-service",
            Some(9002),
            api,
        ))
    }

    const ALPHA: &str = "apiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferencePool\nspec:\n  targetPortNumber: 8000\n";
    const V1: &str = "apiVersion: inference.networking.k8s.io/v1\nkind: InferencePool\nspec:\n  targetPorts:\n  - number: 8000\n  endpointPickerRef:\n    failureMode: FailOpen\n";

    #[test]
    fn either_shape_in_v1_out() {
        let want = "apiVersion: inference.networking.k8s.io/v1\nkind: InferencePool\nmetadata:\n  name: m-inference-pool\n  namespace: ns\n  labels:\n    llm-d.ai/model: x\n    app.kubernetes.io/managed-by: msvc\nspec:\n  selector:\n    matchLabels:\n      llm-d.ai/model: x\n  targetPorts:\n    - number: 8000\n  endpointPickerRef:\n    name: m-epp-service\n    port:\n      number: 9002\n";
        assert_eq!(pool(ALPHA, GieApi::V1), want);
        assert_eq!(
            pool(V1, GieApi::V1),
            want.replace(
                "    name: m-epp-service\n",
                "    failureMode: FailOpen\n    name: m-epp-service\n"
            )
        );
    }

    #[test]
    fn either_shape_in_v1alpha2_out() {
        let want = "apiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferencePool\nmetadata:\n  name: m-inference-pool\n  namespace: ns\n  labels:\n    llm-d.ai/model: x\n    app.kubernetes.io/managed-by: msvc\nspec:\n  selector:\n    llm-d.ai/model: x\n  targetPortNumber: 8000\n  extensionRef:\n    name: m-epp-service\n";
        assert_eq!(pool(ALPHA, GieApi::V1Alpha2), want);
        assert_eq!(
            pool(V1, GieApi::V1Alpha2),
            want.replace(
                "    name: m-epp-service\n",
                "    failureMode: FailOpen\n    name: m-epp-service\n"
            )
        );
    }
}
