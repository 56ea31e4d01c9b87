//! Checking finished objects against their Kubernetes schema.
//!
//! Core kinds go through k8s-openapi: a field the schema lacks is dropped
//! with a warning (the controller silently ignored such fields; the spec's
//! "sloppy inputs"), and a value of the wrong type is an error. Custom
//! resources are checked at the top level only.

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Stage};
use crate::objects::ObjectExt;
use crate::yaml::de::{Ignored, Path, PathSegment, from_node, non_finite_message};
use crate::yaml::{Node, Value};

/// Checks `obj` and drops unknown fields; `source` names where the object
/// came from (a BaseConfig data key) for messages.
pub fn check(
    obj: &mut Node,
    source: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    use k8s_openapi::api;
    let ignored = match (obj.api_version(), obj.kind()) {
        ("apps/v1", "Deployment") => typed::<api::apps::v1::Deployment>(obj)?,
        ("v1", "Service") => typed::<api::core::v1::Service>(obj)?,
        ("v1", "ConfigMap") => typed::<api::core::v1::ConfigMap>(obj)?,
        ("v1", "ServiceAccount") => typed::<api::core::v1::ServiceAccount>(obj)?,
        ("autoscaling/v2", "HorizontalPodAutoscaler") => {
            typed::<api::autoscaling::v2::HorizontalPodAutoscaler>(obj)?
        }
        ("policy/v1", "PodDisruptionBudget") => typed::<api::policy::v1::PodDisruptionBudget>(obj)?,
        // Below the top level the CRD's own schema decides; keep it all.
        _ => {
            check_finite(obj)?;
            obj.as_map()
                .into_iter()
                .flatten()
                .filter(|(k, _)| !matches!(k.as_str(), "apiVersion" | "kind" | "metadata" | "spec"))
                .map(|(k, v)| Ignored {
                    path: Path(vec![PathSegment::Key(k.clone())]),
                    span: v.field_span().clone(),
                    null: v.is_null(),
                })
                .collect()
        }
    };
    // A null unknown field says nothing; it goes without a word (kubectl's
    // strict field validation would still refuse it).
    for field in ignored.into_iter().rev() {
        if !field.null {
            warnings.push(
                Diagnostic::new(
                    Stage::Build,
                    field.span,
                    format!(
                        "{source}: field `{}` is not part of a {} and was dropped",
                        field.path,
                        obj.kind()
                    ),
                )
                .with_path(field.path.to_string())
                .with_help("move it to where the Kubernetes schema has it, or remove it"),
            );
        }
        field.path.remove(obj);
    }
    Ok(())
}

/// Reads `obj` as `T`; the fields `T` does not have.
fn typed<T: DeserializeOwned>(obj: &Node) -> Result<Vec<Ignored>, Diagnostic> {
    match from_node::<T>(obj) {
        Ok((_, ignored)) => Ok(ignored),
        Err(e) => Err(error_at(obj, &e.path, e.message)),
    }
}

fn error_at(obj: &Node, path: &Path, message: String) -> Diagnostic {
    let span = path
        .get(obj)
        .map_or_else(|| obj.span.clone(), |n| n.span.clone());
    let shown = if path.0.is_empty() {
        ".".to_string()
    } else {
        path.to_string()
    };
    Diagnostic::new(
        Stage::Build,
        span,
        format!("{} {}: {message}", obj.kind(), obj.name()),
    )
    .with_path(shown)
}

/// JSON, and so the API server, has no NaN or infinity: a custom resource
/// (not read through a typed schema) is searched for them.
fn check_finite(obj: &Node) -> Result<(), Diagnostic> {
    /// The first one below `node`, with its path from `node` reversed
    /// (built on the way out, so a clean tree allocates nothing).
    fn find(node: &Node) -> Option<(&Node, Vec<PathSegment>)> {
        let (found, mut path, seg) = match &node.value {
            Value::Float(f) if !f.is_finite() => return Some((node, Vec::new())),
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, v)| find(v).map(|(n, p)| (n, p, PathSegment::Index(i))))?,
            Value::Map(m) => m
                .iter()
                .find_map(|(k, v)| find(v).map(|(n, p)| (n, p, PathSegment::Key(k.clone()))))?,
            _ => return None,
        };
        path.push(seg);
        Some((found, path))
    }
    match find(obj) {
        None => Ok(()),
        Some((node, mut path)) => {
            path.reverse();
            Err(error_at(obj, &Path(path), non_finite_message(node)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Origin, parse_one};

    #[test]
    fn sloppy_fields_are_dropped_with_a_warning() {
        let mut svc = parse_one(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 1\n    bogus: x\ntype: ClusterIP\n",
            &Origin::file("b.yaml"),
        )
        .unwrap();
        let mut w = Vec::new();
        check(&mut svc, "data.eppService", &mut w).unwrap();
        assert_eq!(w.len(), 2);
        assert!(svc.get("type").is_none());
        assert!(
            w.iter()
                .any(|d| d.path.as_deref() == Some("type") && d.span.line == 9)
        );
        assert!(
            w.iter()
                .any(|d| d.path.as_deref() == Some("spec.ports[0].bogus") && d.span.line == 8)
        );
        assert!(
            svc.get_path(&["spec", "ports"]).unwrap().as_seq().unwrap()[0]
                .get("bogus")
                .is_none()
        );
    }

    #[test]
    fn null_unknown_fields_go_silently_and_dotted_keys_really_go() {
        let mut svc = parse_one(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  bogus: null\n  \"a.b\": 1\n",
            &Origin::file("b.yaml"),
        )
        .unwrap();
        let mut w = Vec::new();
        check(&mut svc, "data.eppService", &mut w).unwrap();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].path.as_deref(), Some("spec.a.b"));
        let spec = svc.get("spec").unwrap().as_map().unwrap();
        assert!(spec.is_empty(), "{spec:?}");
    }

    #[test]
    fn nan_and_infinity_are_errors_in_every_kind() {
        for (text, path) in [
            (
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector: {}\n  template:\n    spec:\n      containers:\n        - name: c\n          resources:\n            limits:\n              memory: .inf\n",
                "spec.template.spec.containers[0].resources.limits.memory",
            ),
            (
                "apiVersion: inference.networking.k8s.io/v1\nkind: InferencePool\nmetadata:\n  name: p\nspec:\n  targetPorts:\n    - number: .nan\n",
                "spec.targetPorts[0].number",
            ),
        ] {
            let mut obj = parse_one(text, &Origin::file("b.yaml")).unwrap();
            let e = check(&mut obj, "x", &mut Vec::new()).unwrap_err();
            assert_eq!(e.path.as_deref(), Some(path));
            assert!(
                e.message.contains("JSON has no NaN or infinity"),
                "{}",
                e.message
            );
            assert_eq!(e.span.line, text.lines().count() as u32);
        }
    }

    #[test]
    fn wrong_types_are_errors_with_position() {
        let mut d = parse_one(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector: {}\n  replicas: many\n  template: {}\n",
            &Origin::file("b.yaml"),
        )
        .unwrap();
        let e = check(&mut d, "decodeDeployment", &mut Vec::new()).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("spec.replicas"));
        assert_eq!(e.span.line, 7);
    }
}
