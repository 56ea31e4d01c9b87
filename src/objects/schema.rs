//! Checking finished objects against their Kubernetes schema.
//!
//! Core kinds go through k8s-openapi: a field the schema lacks is dropped
//! with a warning (the controller silently ignored such fields; the spec's
//! "sloppy inputs"), and a value of the wrong type is an error. Custom
//! resources are checked at the top level only.

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Span, Stage};
use crate::objects::ObjectExt;
use crate::yaml::{Node, Value};

/// Checks `obj` and drops unknown fields; `source` names where the object
/// came from (a BaseConfig data key) for messages.
pub fn check(
    obj: &mut Node,
    source: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    let typed = match (obj.api_version(), obj.kind()) {
        ("apps/v1", "Deployment") => roundtrip::<k8s_openapi::api::apps::v1::Deployment>(obj)?,
        ("v1", "Service") => roundtrip::<k8s_openapi::api::core::v1::Service>(obj)?,
        ("v1", "ConfigMap") => roundtrip::<k8s_openapi::api::core::v1::ConfigMap>(obj)?,
        ("v1", "ServiceAccount") => roundtrip::<k8s_openapi::api::core::v1::ServiceAccount>(obj)?,
        ("autoscaling/v2", "HorizontalPodAutoscaler") => {
            roundtrip::<k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler>(obj)?
        }
        ("policy/v1", "PodDisruptionBudget") => {
            roundtrip::<k8s_openapi::api::policy::v1::PodDisruptionBudget>(obj)?
        }
        _ => {
            let mut top = serde_json::Map::new();
            for k in ["apiVersion", "kind", "metadata", "spec"] {
                if let Some(v) = obj.get(k) {
                    top.insert(k.to_string(), v.to_json());
                }
            }
            // Below the top level the CRD's own schema decides; keep it all.
            for (k, v) in top.iter_mut() {
                if k == "spec" || k == "metadata" {
                    *v = serde_json::Value::Null;
                }
            }
            serde_json::Value::Object(top)
        }
    };
    let mut unknown = Vec::new();
    find_unknown(obj, &typed, &mut String::new(), &mut unknown);
    for (path, span) in unknown.into_iter().rev() {
        warnings.push(
            Diagnostic::new(
                Stage::Build,
                span,
                format!(
                    "{source}: field `{path}` is not part of a {} and was dropped",
                    obj.kind()
                ),
            )
            .with_path(path.clone())
            .with_help("move it to where the Kubernetes schema has it, or remove it"),
        );
        remove(obj, &path);
    }
    Ok(())
}

fn roundtrip<T: DeserializeOwned + serde::Serialize>(
    obj: &Node,
) -> Result<serde_json::Value, Diagnostic> {
    let json = obj.to_json();
    let typed: T = serde_path_to_error::deserialize(&json).map_err(|e| {
        let path = e.path().to_string();
        let span = span_at(obj, &path).unwrap_or_else(|| obj.span.clone());
        Diagnostic::new(
            Stage::Build,
            span,
            format!("{} {}: {}", obj.kind(), obj.name(), e.inner()),
        )
        .with_path(path)
    })?;
    serde_json::to_value(&typed)
        .map_err(|e| Diagnostic::new(Stage::Build, obj.span.clone(), e.to_string()))
}

/// Collects fields of `node` that `typed` (the schema's view) lacks.
/// A `Null` in `typed` means "not checked below here".
fn find_unknown(
    node: &Node,
    typed: &serde_json::Value,
    path: &mut String,
    out: &mut Vec<(String, Span)>,
) {
    match (&node.value, typed) {
        (_, serde_json::Value::Null) => {}
        (Value::Map(m), serde_json::Value::Object(t)) => {
            for (k, v) in m {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                match t.get(k) {
                    Some(tv) => find_unknown(v, tv, path, out),
                    None if v.is_null() => {}
                    None => out.push((path.clone(), v.field_span().clone())),
                }
                path.truncate(len);
            }
        }
        (Value::Seq(s), serde_json::Value::Array(t)) => {
            for (i, (v, tv)) in s.iter().zip(t).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                find_unknown(v, tv, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        if !name.is_empty() {
            out.push(Segment::Key(name));
        }
        for idx in rest.split('[') {
            if let Ok(i) = idx.trim_end_matches(']').parse::<usize>() {
                out.push(Segment::Index(i));
            }
        }
    }
    out
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn span_at(obj: &Node, path: &str) -> Option<Span> {
    let mut node = obj;
    for seg in segments(path) {
        node = match seg {
            Segment::Key(k) => node.get(k)?,
            Segment::Index(i) => node.as_seq()?.get(i)?,
        };
    }
    Some(node.span.clone())
}

fn remove(obj: &mut Node, path: &str) {
    let segs = segments(path);
    let Some((last, parents)) = segs.split_last() else {
        return;
    };
    let mut node = obj;
    for seg in parents {
        let next = match seg {
            Segment::Key(k) => node.get_mut(k),
            Segment::Index(i) => node.as_seq_mut().and_then(|s| s.get_mut(*i)),
        };
        let Some(n) = next else { return };
        node = n;
    }
    if let (Segment::Key(k), Some(m)) = (last, node.as_map_mut()) {
        m.shift_remove(*k);
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
