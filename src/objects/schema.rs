//! Checking finished objects against their Kubernetes schema.
//!
//! Core kinds go through k8s-openapi: a field the schema lacks is dropped
//! with a warning (the controller silently ignored such fields; the spec's
//! "sloppy inputs"), and a value of the wrong type is an error. Custom
//! resources are checked at the top level only.

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Span, Stage};
use crate::objects::ObjectExt;
use crate::yaml::Node;

/// Checks `obj` and drops unknown fields; `source` names where the object
/// came from (a BaseConfig data key) for messages.
pub fn check(
    obj: &mut Node,
    source: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    use k8s_openapi::api;
    let unknown = match (obj.api_version(), obj.kind()) {
        ("apps/v1", "Deployment") => typed::<api::apps::v1::Deployment>(obj)?,
        ("v1", "Service") => typed::<api::core::v1::Service>(obj)?,
        ("v1", "ConfigMap") => typed::<api::core::v1::ConfigMap>(obj)?,
        ("v1", "ServiceAccount") => typed::<api::core::v1::ServiceAccount>(obj)?,
        ("autoscaling/v2", "HorizontalPodAutoscaler") => {
            typed::<api::autoscaling::v2::HorizontalPodAutoscaler>(obj)?
        }
        ("policy/v1", "PodDisruptionBudget") => typed::<api::policy::v1::PodDisruptionBudget>(obj)?,
        // Below the top level the CRD's own schema decides; keep it all.
        _ => obj
            .as_map()
            .into_iter()
            .flatten()
            .filter(|(k, v)| {
                !matches!(k.as_str(), "apiVersion" | "kind" | "metadata" | "spec") && !v.is_null()
            })
            .map(|(k, v)| (k.clone(), v.field_span().clone()))
            .collect(),
    };
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

/// Reads `obj` as `T`; the fields `T` does not have, as `(path, span)`.
fn typed<T: DeserializeOwned>(obj: &Node) -> Result<Vec<(String, Span)>, Diagnostic> {
    match crate::yaml::de::from_node::<T>(obj) {
        Ok((_, unknown)) => Ok(unknown),
        Err(e) => {
            let span = span_at(obj, &e.path).unwrap_or_else(|| obj.span.clone());
            Err(Diagnostic::new(
                Stage::Build,
                span,
                format!("{} {}: {}", obj.kind(), obj.name(), e.message),
            )
            .with_path(if e.path.is_empty() {
                ".".to_string()
            } else {
                e.path
            }))
        }
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
