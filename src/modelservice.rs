//! The ModelService (`llm-d.ai/v1alpha1`), decoded strictly from its YAML.

use std::collections::HashSet;

use crate::decode::{
    join, opt_bool, opt_int, opt_seq, opt_str, opt_str_list, present, req_str, strict_map,
    type_error,
};
use crate::error::{Diagnostic, Span, Stage};
use crate::yaml::{Mapping, Node, Value};

pub const API_VERSION: &str = "llm-d.ai/v1alpha1";
pub const KIND: &str = "ModelService";

#[derive(Clone, Debug)]
pub struct ModelService {
    pub name: String,
    /// Position of `metadata.name`, for messages about derived names.
    pub name_span: Span,
    pub namespace: Option<String>,
    /// Position of the document, for messages about the whole object.
    pub span: Span,
    pub base_config: Option<(String, Span)>,
    /// `spec.baseConfigMapRef.namespace`: where the BaseConfig is looked up
    /// (else the ModelService's own namespace).
    pub base_config_namespace: Option<String>,
    /// Render settings from its `msvc.llm-d.ai/*` annotations.
    pub settings: crate::annotations::Settings,
    pub routing: Routing,
    pub artifacts: ModelArtifacts,
    pub decouple_scaling: bool,
    pub decode: Option<Role>,
    pub prefill: Option<Role>,
    pub endpoint_picker: Option<Role>,
    /// `msvc.llm-d.ai/scheduling-profile`: the EPP's config, and where it was chosen.
    pub scheduling_profile: Option<(crate::epp_config::Choice, Span)>,
}

#[derive(Clone, Debug)]
pub struct Routing {
    pub model_name: String,
    pub model_name_span: Span,
    pub ports: Vec<Port>,
    /// Where `ports` is (or `routing`, without it).
    pub ports_span: Span,
    /// `gatewayRefs`, as HTTPRoute `parentRefs` entries.
    pub gateway_refs: Vec<Node>,
}

#[derive(Clone, Debug)]
pub struct Port {
    pub name: String,
    pub port: i64,
}

#[derive(Clone, Debug)]
pub struct ModelArtifacts {
    /// As written.
    pub uri: String,
    pub uri_span: Span,
    /// `uri` read, checked at decode so that every command refuses a bad
    /// one alike.
    pub model_uri: crate::artifacts::ModelUri,
    pub auth_secret_name: Option<String>,
    /// A Kubernetes quantity (`5Gi`), as written.
    pub size: Option<Node>,
}

/// `decode`, `prefill` or `endpointPicker`.
#[derive(Clone, Debug, Default)]
pub struct Role {
    pub replicas: Option<i64>,
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    pub tensor_parallelism: Option<i64>,
    pub accelerator_types: Option<AcceleratorTypes>,
    /// msvc extension: a HorizontalPodAutoscaler for the role.
    pub autoscaling: Option<Autoscaling>,
    /// msvc extension: a PodDisruptionBudget for the role.
    pub disruption_budget: Option<DisruptionBudget>,
}

/// `autoscaling`: the fields of an autoscaling/v2 HPA spec msvc passes on.
#[derive(Clone, Debug)]
pub struct Autoscaling {
    pub min_replicas: i64,
    pub max_replicas: i64,
    /// autoscaling/v2 `MetricSpec`s, as written.
    pub metrics: Vec<Node>,
    /// autoscaling/v2 `HorizontalPodAutoscalerBehavior`, as written.
    pub behavior: Option<Node>,
}

/// `disruptionBudget`: exactly one of `minAvailable` / `maxUnavailable`
/// (an integer or a percentage).
#[derive(Clone, Debug)]
pub struct DisruptionBudget {
    pub field: &'static str,
    pub value: Node,
}

#[derive(Clone, Debug)]
pub struct AcceleratorTypes {
    pub label_key: String,
    pub label_values: Vec<String>,
    pub span: Span,
}

/// A container overlay: the Kubernetes fields as a node, plus msvc's own flag.
#[derive(Clone, Debug)]
pub struct Container {
    pub name: String,
    /// `name`, `image`, `command`, `args`, `env`, `envFrom`, `resources`.
    pub fields: Node,
    pub mount_model_volume: bool,
}

const SPEC_FIELDS: &[&str] = &[
    "baseConfigMapRef",
    "routing",
    "modelArtifacts",
    "decoupleScaling",
    "decode",
    "prefill",
    "endpointPicker",
];
const CONTAINER_FIELDS: &[&str] = &[
    "name",
    "image",
    "command",
    "args",
    "env",
    "envFrom",
    "resources",
    "mountModelVolume",
];

impl ModelService {
    /// Decodes one document whose `apiVersion`/`kind` were already checked.
    pub fn from_node(doc: &Node) -> Result<Self, Diagnostic> {
        let top = strict_map(
            doc,
            "",
            &["apiVersion", "kind", "metadata", "spec", "status"],
        )?;
        let meta_node = present(top, "metadata").ok_or_else(|| missing(doc, "", "metadata"))?;
        let meta = strict_map(
            meta_node,
            "metadata",
            &[
                "name",
                "namespace",
                "labels",
                "annotations",
                "uid",
                "resourceVersion",
                "generation",
                "creationTimestamp",
                "managedFields",
                "finalizers",
            ],
        )?;
        let settings = crate::annotations::Settings::from_object(doc)?;
        let name = req_str(meta, "name", "metadata", meta_node)?;
        check_dns_subdomain(&name, &meta["name"], "metadata.name")?;
        let namespace = opt_str(meta, "namespace", "metadata")?;
        if let Some(ns) = &namespace {
            check_dns_label(ns, &meta["namespace"], "metadata.namespace")?;
        }

        let spec_node = present(top, "spec").ok_or_else(|| missing(doc, "", "spec"))?;
        let spec = strict_map(spec_node, "spec", SPEC_FIELDS)?;

        let mut base_config_namespace = None;
        let base_config = match present(spec, "baseConfigMapRef") {
            None => None,
            Some(r) => {
                let m = strict_map(
                    r,
                    "spec.baseConfigMapRef",
                    &[
                        "name",
                        "namespace",
                        "kind",
                        "apiVersion",
                        "fieldPath",
                        "resourceVersion",
                        "uid",
                    ],
                )?;
                let name = req_str(m, "name", "spec.baseConfigMapRef", r)?;
                base_config_namespace =
                    opt_str(m, "namespace", "spec.baseConfigMapRef")?.filter(|ns| !ns.is_empty());
                if let Some(ns) = &base_config_namespace {
                    check_dns_label(ns, &m["namespace"], "spec.baseConfigMapRef.namespace")?;
                }
                Some((name, m["name"].span.clone()))
            }
        };

        let routing_node =
            present(spec, "routing").ok_or_else(|| missing(spec_node, "spec", "routing"))?;
        let routing = decode_routing(routing_node)?;

        let art_node = present(spec, "modelArtifacts")
            .ok_or_else(|| missing(spec_node, "spec", "modelArtifacts"))?;
        let art = strict_map(
            art_node,
            "spec.modelArtifacts",
            &["uri", "authSecretName", "size"],
        )?;
        let uri = match present(art, "uri") {
            Some(n) if n.as_str() == Some("") => {
                return Err(
                    Diagnostic::new(Stage::Decode, n.span.clone(), "model URI is empty")
                        .with_path("spec.modelArtifacts.uri")
                        .with_help(crate::artifacts::FORMS),
                );
            }
            _ => req_str(art, "uri", "spec.modelArtifacts", art_node)?,
        };
        let model_uri = crate::artifacts::ModelUri::parse(&uri, &art["uri"].span)?;
        let size = match present(art, "size") {
            None => None,
            Some(n) => Some(check_quantity(n, "spec.modelArtifacts.size")?),
        };
        let artifacts = ModelArtifacts {
            uri,
            uri_span: art["uri"].span.clone(),
            model_uri,
            auth_secret_name: match opt_str(art, "authSecretName", "spec.modelArtifacts")? {
                Some(s) if !s.is_empty() => {
                    check_dns_subdomain(
                        &s,
                        &art["authSecretName"],
                        "spec.modelArtifacts.authSecretName",
                    )?;
                    Some(s)
                }
                _ => None,
            },
            size,
        };

        let decode_role = |key: &str, workload: bool| -> Result<Option<Role>, Diagnostic> {
            present(spec, key)
                .map(|n| decode_role(n, &join("spec", key), workload))
                .transpose()
        };

        Ok(ModelService {
            name_span: meta["name"].span.clone(),
            name,
            namespace,
            span: doc.span.clone(),
            base_config,
            base_config_namespace,
            settings,
            routing,
            artifacts,
            decouple_scaling: opt_bool(spec, "decoupleScaling", "spec")?.unwrap_or(false),
            decode: decode_role("decode", true)?,
            prefill: decode_role("prefill", true)?,
            endpoint_picker: decode_role("endpointPicker", false)?,
            scheduling_profile: crate::annotations::scheduling_profile(doc)?,
        })
    }
}

fn missing(parent: &Node, path: &str, key: &str) -> Diagnostic {
    let place = if path.is_empty() {
        "to the document".to_string()
    } else {
        format!("under `{path}`")
    };
    Diagnostic::new(
        Stage::Decode,
        parent.span.clone(),
        format!("missing required field `{key}`"),
    )
    .with_path(join(path, key))
    .with_help(format!("add `{key}:` {place}"))
}

fn decode_routing(node: &Node) -> Result<Routing, Diagnostic> {
    let path = "spec.routing";
    let m = strict_map(node, path, &["modelName", "ports", "gatewayRefs"])?;
    let model_name = req_str(m, "modelName", path, node)?;
    // The name lands inside templates and YAML strings; keep out what
    // would change their meaning.
    if let Some(bad) = model_name
        .chars()
        .find(|c| c.is_control() || matches!(c, '"' | '\'' | '\\' | '`' | '{' | '}' | '#'))
    {
        return Err(Diagnostic::new(
            Stage::Decode,
            m["modelName"].span.clone(),
            format!(
                "routing.modelName `{}` holds the character {bad:?}",
                model_name.escape_default()
            ),
        )
        .with_path(format!("{path}.modelName"))
        .with_help(
            "use the model's name as clients send it, e.g. `meta-llama/Llama-3.1-8B-Instruct`",
        ));
    }
    let mut ports = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (i, p) in opt_seq(m, "ports", path)?.iter().enumerate() {
        let ppath = format!("{path}.ports[{i}]");
        let pm = strict_map(p, &ppath, &["name", "port"])?;
        let name = req_str(pm, "name", &ppath, p)?;
        let port =
            opt_int(pm, "port", &ppath, 1, 65535)?.ok_or_else(|| missing(p, &ppath, "port"))?;
        if !seen.insert(name.clone()) {
            return Err(Diagnostic::new(
                Stage::Decode,
                pm["name"].span.clone(),
                format!("duplicate port name `{name}`"),
            )
            .with_path(format!("{ppath}.name"))
            .with_help("each entry of spec.routing.ports needs its own name"));
        }
        ports.push(Port { name, port });
    }
    let mut gateway_refs = Vec::new();
    for (i, g) in opt_seq(m, "gatewayRefs", path)?.iter().enumerate() {
        let gpath = format!("{path}.gatewayRefs[{i}]");
        let gm = strict_map(
            g,
            &gpath,
            &["group", "kind", "name", "namespace", "port", "sectionName"],
        )?;
        req_str(gm, "name", &gpath, g)?;
        for k in ["group", "kind", "namespace", "sectionName"] {
            opt_str(gm, k, &gpath)?;
        }
        opt_int(gm, "port", &gpath, 1, 65535)?;
        gateway_refs.push(g.clone());
    }
    Ok(Routing {
        model_name,
        model_name_span: m["modelName"].span.clone(),
        ports,
        ports_span: m
            .get("ports")
            .map_or_else(|| node.field_span().clone(), |p| p.field_span().clone()),
        gateway_refs,
    })
}

fn decode_role(node: &Node, path: &str, workload: bool) -> Result<Role, Diagnostic> {
    let allowed: &[&str] = if workload {
        &[
            "replicas",
            "containers",
            "initContainers",
            "parallelism",
            "acceleratorTypes",
            "autoscaling",
            "disruptionBudget",
        ]
    } else {
        &["replicas", "containers", "initContainers"]
    };
    let m = strict_map(node, path, allowed)?;
    let replicas = opt_int(m, "replicas", path, 0, i64::from(i32::MAX))?;
    let containers = decode_containers(m, "containers", path)?;
    let init_containers = decode_containers(m, "initContainers", path)?;
    let mut tensor_parallelism = None;
    if let Some(p) = present(m, "parallelism") {
        let ppath = join(path, "parallelism");
        let pm = strict_map(p, &ppath, &["tensor"])?;
        tensor_parallelism = opt_int(pm, "tensor", &ppath, 0, i64::from(i32::MAX))?;
    }
    let accelerator_types = match present(m, "acceleratorTypes") {
        None => None,
        Some(a) => Some(decode_accelerators(a, &join(path, "acceleratorTypes"))?),
    };
    let autoscaling = present(m, "autoscaling")
        .map(|a| decode_autoscaling(a, &join(path, "autoscaling")))
        .transpose()?;
    let disruption_budget = present(m, "disruptionBudget")
        .map(|d| decode_budget(d, &join(path, "disruptionBudget")))
        .transpose()?;
    Ok(Role {
        replicas,
        containers,
        init_containers,
        tensor_parallelism,
        accelerator_types,
        autoscaling,
        disruption_budget,
    })
}

fn decode_autoscaling(node: &Node, path: &str) -> Result<Autoscaling, Diagnostic> {
    let m = strict_map(
        node,
        path,
        &["minReplicas", "maxReplicas", "metrics", "behavior"],
    )?;
    let max = opt_int(m, "maxReplicas", path, 1, i64::from(i32::MAX))?
        .ok_or_else(|| missing(node, path, "maxReplicas"))?;
    let min = opt_int(m, "minReplicas", path, 1, i64::from(i32::MAX))?.unwrap_or(1);
    if min > max {
        return Err(Diagnostic::new(
            Stage::Decode,
            m.get("minReplicas")
                .map_or(node.span.clone(), |n| n.span.clone()),
            format!("minReplicas ({min}) is greater than maxReplicas ({max})"),
        )
        .with_path(join(path, "minReplicas"))
        .with_help("expected minReplicas <= maxReplicas"));
    }
    let metrics = opt_seq(m, "metrics", path)?.to_vec();
    if metrics.is_empty() {
        return Err(missing(node, path, "metrics").with_help(
            "name what to scale on, e.g. metrics: [{type: Pods, pods: {metric: {name: vllm:num_requests_waiting}, target: {type: AverageValue, averageValue: \"5\"}}}]",
        ));
    }
    let behavior = present(m, "behavior").cloned();
    if let Some(b) = &behavior
        && b.as_map().is_none()
    {
        return Err(type_error(b, &join(path, "behavior"), "a map"));
    }
    Ok(Autoscaling {
        min_replicas: min,
        max_replicas: max,
        metrics,
        behavior,
    })
}

fn decode_budget(node: &Node, path: &str) -> Result<DisruptionBudget, Diagnostic> {
    let m = strict_map(node, path, &["minAvailable", "maxUnavailable"])?;
    let set: Vec<(&'static str, &Node)> = ["minAvailable", "maxUnavailable"]
        .into_iter()
        .filter_map(|k| present(m, k).map(|v| (k, v)))
        .collect();
    let [(field, value)] = set.as_slice() else {
        return Err(Diagnostic::new(
            Stage::Decode,
            node.span.clone(),
            "disruptionBudget needs exactly one of minAvailable and maxUnavailable",
        )
        .with_path(path)
        .with_help("e.g. disruptionBudget: {maxUnavailable: 1}"));
    };
    let ok = match &value.value {
        Value::Int(i) => *i >= 0,
        Value::String(s) => s
            .strip_suffix('%')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
        _ => false,
    };
    if !ok {
        return Err(type_error(
            value,
            &join(path, field),
            "a non-negative integer or a percentage like \"25%\"",
        ));
    }
    Ok(DisruptionBudget {
        field,
        value: (*value).clone(),
    })
}

fn decode_accelerators(node: &Node, path: &str) -> Result<AcceleratorTypes, Diagnostic> {
    let m = strict_map(node, path, &["labelKey", "labelValues"])?;
    let label_key = opt_str(m, "labelKey", path)?.unwrap_or_default();
    if label_key.is_empty() {
        return Err(Diagnostic::new(
            Stage::Decode,
            m.get("labelKey")
                .map_or(node.span.clone(), |n| n.span.clone()),
            "acceleratorTypes.labelKey is empty",
        )
        .with_path(join(path, "labelKey"))
        .with_help("expected a node label key, e.g. `nvidia.com/gpu.product`"));
    }
    let values = opt_str_list(m, "labelValues", path)?.unwrap_or_default();
    if values.is_empty() {
        return Err(Diagnostic::new(
            Stage::Decode,
            m.get("labelValues")
                .map_or(node.span.clone(), |n| n.span.clone()),
            "acceleratorTypes.labelValues is empty",
        )
        .with_path(join(path, "labelValues"))
        .with_help("expected at least one node label value, e.g. `[A100-80GB]`"));
    }
    Ok(AcceleratorTypes {
        label_key,
        label_values: values
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect(),
        span: node.span.clone(),
    })
}

fn decode_containers(m: &Mapping, key: &str, path: &str) -> Result<Vec<Container>, Diagnostic> {
    let mut out: Vec<Container> = Vec::new();
    let lpath = join(path, key);
    for (i, c) in opt_seq(m, key, path)?.iter().enumerate() {
        let cpath = format!("{lpath}[{i}]");
        let cm = strict_map(c, &cpath, CONTAINER_FIELDS)?;
        let name = req_str(cm, "name", &cpath, c)?;
        check_dns_label(&name, &cm["name"], &format!("{cpath}.name")).map_err(|d| Diagnostic {
            message: format!("`{name}` is not a valid container name"),
            ..d
        })?;
        if out.iter().any(|o| o.name == name) {
            return Err(Diagnostic::new(
                Stage::Decode,
                cm["name"].span.clone(),
                format!("duplicate container name `{name}`"),
            )
            .with_path(format!("{cpath}.name"))
            .with_help(format!("each entry of {lpath} needs its own name")));
        }
        opt_str(cm, "image", &cpath)?;
        opt_str_list(cm, "command", &cpath)?;
        opt_str_list(cm, "args", &cpath)?;
        check_env(cm, &cpath)?;
        opt_seq(cm, "envFrom", &cpath)?;
        if let Some(r) = present(cm, "resources") {
            let rpath = join(&cpath, "resources");
            let rm = strict_map(r, &rpath, &["limits", "requests", "claims"])?;
            for k in ["limits", "requests"] {
                if let Some(l) = present(rm, k) {
                    let lp = join(&rpath, k);
                    let lm = l
                        .as_map()
                        .ok_or_else(|| type_error(l, &lp, "a map of quantities"))?;
                    for (res, q) in lm {
                        check_quantity(q, &join(&lp, res))?;
                    }
                }
            }
        }
        let mount_model_volume = opt_bool(cm, "mountModelVolume", &cpath)?.unwrap_or(false);
        let mut fields = Mapping::new();
        for (k, v) in cm {
            if k != "mountModelVolume" && !v.is_empty() {
                fields.insert(k.clone(), v.clone());
            }
        }
        out.push(Container {
            name,
            fields: Node::new(Value::Map(fields), c.span.clone()),
            mount_model_volume,
        });
    }
    Ok(out)
}

fn check_env(cm: &Mapping, cpath: &str) -> Result<(), Diagnostic> {
    let mut seen = HashSet::new();
    for (i, e) in opt_seq(cm, "env", cpath)?.iter().enumerate() {
        let epath = format!("{cpath}.env[{i}]");
        let em = strict_map(e, &epath, &["name", "value", "valueFrom"])?;
        let name = req_str(em, "name", &epath, e)?;
        if name.contains('=') || name.chars().any(char::is_control) {
            return Err(Diagnostic::new(
                Stage::Decode,
                em["name"].span.clone(),
                format!("`{name}` is not a valid env var name"),
            )
            .with_path(format!("{epath}.name"))
            .with_help("use letters, digits, `_`, `-` and `.`, without `=`"));
        }
        if let Some(v) = present(em, "value")
            && v.as_str().is_none()
        {
            return Err(
                type_error(v, &join(&epath, "value"), "a string").with_help(format!(
                    "quote it: \"{}\"",
                    v.scalar_text().unwrap_or_default()
                )),
            );
        }
        if let Some(v) = present(em, "valueFrom") {
            strict_map(
                v,
                &join(&epath, "valueFrom"),
                &[
                    "configMapKeyRef",
                    "fieldRef",
                    "resourceFieldRef",
                    "secretKeyRef",
                    "fileKeyRef",
                ],
            )?;
        }
        if !seen.insert(name.clone()) {
            return Err(Diagnostic::new(
                Stage::Decode,
                em["name"].span.clone(),
                format!("duplicate env name `{name}`"),
            )
            .with_path(format!("{epath}.name")));
        }
    }
    Ok(())
}

/// A Kubernetes resource quantity: an integer or a string like `16Gi`.
pub fn check_quantity(node: &Node, path: &str) -> Result<Node, Diagnostic> {
    let ok = match &node.value {
        Value::Int(i) => *i >= 0,
        Value::Float(f) => *f >= 0.0,
        Value::String(s) => is_quantity(s),
        _ => false,
    };
    if ok {
        Ok(node.clone())
    } else {
        Err(Diagnostic::new(
            Stage::Decode,
            node.span.clone(),
            format!(
                "`{}` is not a resource quantity",
                node.scalar_text()
                    .unwrap_or_else(|| node.type_name().to_string())
            ),
        )
        .with_path(path)
        .with_help("expected a number with an optional unit, e.g. 16Gi, 500M, 2, 0.5"))
    }
}

fn is_quantity(s: &str) -> bool {
    let num_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(num_end);
    let num = num.trim_start_matches(['+', '-']);
    if num.is_empty() || num == "." || num.matches('.').count() > 1 || num.contains(['+', '-']) {
        return false;
    }
    matches!(
        suffix,
        "" | "Ki"
            | "Mi"
            | "Gi"
            | "Ti"
            | "Pi"
            | "Ei"
            | "n"
            | "u"
            | "m"
            | "k"
            | "M"
            | "G"
            | "T"
            | "P"
            | "E"
    ) || (suffix.starts_with(['e', 'E'])
        && suffix[1..]
            .trim_start_matches(['+', '-'])
            .chars()
            .all(|c| c.is_ascii_digit())
        && suffix.len() > 1)
}

/// RFC 1123 subdomain (object names): lower-case alphanumerics, `-` and
/// `.`, starting and ending alphanumeric, at most 253 characters.
pub fn check_dns_subdomain(name: &str, node: &Node, path: &str) -> Result<(), Diagnostic> {
    let ok = name.len() <= 253
        && name.split('.').all(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
    if ok {
        Ok(())
    } else {
        Err(Diagnostic::new(
            Stage::Decode,
            node.span.clone(),
            format!("`{name}` is not a valid object name"),
        )
        .with_path(path)
        .with_help("expected lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit"))
    }
}

/// RFC 1123 label (namespaces).
pub fn check_dns_label(name: &str, node: &Node, path: &str) -> Result<(), Diagnostic> {
    if name.len() <= 63 && !name.contains('.') && check_dns_subdomain(name, node, path).is_ok() {
        Ok(())
    } else {
        Err(Diagnostic::new(
            Stage::Decode,
            node.span.clone(),
            format!("`{name}` is not a valid namespace"),
        )
        .with_path(path)
        .with_help("expected at most 63 lower-case letters, digits and `-`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Origin, parse_one};

    fn decode(text: &str) -> Result<ModelService, Diagnostic> {
        ModelService::from_node(&parse_one(text, &Origin::file("ms.yaml")).unwrap())
    }

    const OK: &str = "apiVersion: llm-d.ai/v1alpha1\nkind: ModelService\nmetadata:\n  name: m\nspec:\n  routing:\n    modelName: a/b\n    ports:\n    - name: app_port\n      port: 8000\n  modelArtifacts:\n    uri: hf://a/b\n";

    #[test]
    fn decodes_a_minimal_modelservice() {
        let ms = decode(OK).unwrap();
        assert_eq!(ms.name, "m");
        assert_eq!(ms.routing.ports[0].port, 8000);
        assert!(ms.decode.is_none());
    }

    #[test]
    fn unknown_fields_name_the_line_and_suggest() {
        let text = format!("{OK}  decode:\n    replica: 2\n");
        let e = decode(&text).unwrap_err();
        assert_eq!(e.message, "unknown field `replica`");
        assert_eq!(e.path.as_deref(), Some("spec.decode.replica"));
        assert_eq!(e.help.as_deref(), Some("did you mean `replicas`?"));
        assert_eq!(e.span.line, 14);
    }

    #[test]
    fn wrong_types_and_ranges() {
        let e = decode(&format!("{OK}  decode:\n    replicas: \"three\"\n")).unwrap_err();
        assert!(e.message.contains("expected an integer"), "{e}");
        let e = decode(&format!("{OK}  decode:\n    replicas: -1\n")).unwrap_err();
        assert!(e.message.contains("out of range"), "{e}");
        let e = decode(&OK.replace("8000", "99999")).unwrap_err();
        assert!(e.help.unwrap().contains("1 to 65535"));
    }

    #[test]
    fn autoscaling_and_budgets() {
        let ok = format!(
            "{OK}  decode:\n    autoscaling:\n      maxReplicas: 4\n      metrics: [{{type: Resource}}]\n    disruptionBudget: {{maxUnavailable: \"25%\"}}\n"
        );
        let ms = decode(&ok).unwrap();
        let d = ms.decode.unwrap();
        assert_eq!(d.autoscaling.unwrap().min_replicas, 1);
        assert_eq!(d.disruption_budget.unwrap().field, "maxUnavailable");

        let e = decode(&ok.replace("maxReplicas: 4", "maxReplicas: 4\n      minReplicas: 5"))
            .unwrap_err();
        assert!(e.message.contains("greater than maxReplicas"), "{e}");
        let e = decode(&ok.replace("      metrics: [{type: Resource}]\n", "")).unwrap_err();
        assert!(e.message.contains("`metrics`"), "{e}");
        let e = decode(&ok.replace(
            "{maxUnavailable: \"25%\"}",
            "{maxUnavailable: 1, minAvailable: 1}",
        ))
        .unwrap_err();
        assert!(e.message.contains("exactly one"), "{e}");
        let e = decode(&ok.replace("\"25%\"", "\"lots\"")).unwrap_err();
        assert!(e.message.contains("percentage"), "{e}");
    }

    #[test]
    fn quantities() {
        for ok in ["16Gi", "500m", "1", "0.5", "1e3", "2Ti"] {
            assert!(is_quantity(ok), "{ok}");
        }
        for bad in ["", "Gi", "16GB", "1.2.3", "abc", "-"] {
            assert!(!is_quantity(bad), "{bad}");
        }
    }
}
