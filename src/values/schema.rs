//! Validation of merged chart values against the chart's constraints
//! (`chart/values.schema.yaml`, a JSON-Schema subset msvc reads itself).
//! Every problem names the dotted key, its file:line, and what was expected.

use std::sync::OnceLock;

use crate::error::{Diagnostic, Stage};
use crate::yaml::de::from_node;
use crate::yaml::{Node, Origin, Value, parse_one};

const SCHEMA_TEXT: &str = include_str!("../../chart/values.schema.yaml");

fn schema() -> &'static Node {
    static SCHEMA: OnceLock<Node> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        // The schema is ours and tested; a broken one is a build bug.
        parse_one(SCHEMA_TEXT, &Origin::file("chart/values.schema.yaml"))
            .unwrap_or_else(|e| panic!("chart/values.schema.yaml: {e}"))
    })
}

/// Checks `values`; returns every violation found.
pub fn validate(values: &Node) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    check(values, schema(), "", &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn resolve(s: &Node) -> &Node {
    match s
        .get("$ref")
        .and_then(Node::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        Some(name) => schema().get_path(&["$defs", name]).unwrap_or(s),
        None => s,
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn type_ok(v: &Node, ty: &str) -> bool {
    match (ty, &v.value) {
        ("string", Value::String(_)) => true,
        ("integer", Value::Int(_)) => true,
        ("integer", Value::Float(f)) => f.fract() == 0.0,
        ("number", Value::Int(_) | Value::Float(_)) => true,
        ("boolean", Value::Bool(_)) => true,
        ("object", Value::Map(_)) => true,
        ("array", Value::Seq(_)) => true,
        ("null", Value::Null) => true,
        _ => false,
    }
}

fn article(ty: &str) -> String {
    match ty {
        "integer" | "array" | "object" => format!("an {ty}"),
        _ => format!("a {ty}"),
    }
}

fn shown(v: &Node) -> String {
    match v.scalar_text() {
        Some(t) if !matches!(v.value, Value::Null) => format!("{} ({t:?})", v.type_name()),
        _ => v.type_name().to_string(),
    }
}

fn diag(v: &Node, path: &str, message: String, help: String) -> Diagnostic {
    Diagnostic::new(Stage::Values, v.span.clone(), message)
        .with_path(path)
        .with_help(help)
}

fn check(v: &Node, s: &Node, path: &str, errors: &mut Vec<Diagnostic>) {
    let s = resolve(s);
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match &t.value {
            Value::String(one) => vec![one.as_str()],
            Value::Seq(many) => many.iter().filter_map(Node::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.iter().any(|ty| type_ok(v, ty)) {
            let want: Vec<String> = types.iter().map(|t| article(t)).collect();
            errors.push(diag(
                v,
                path,
                format!("`{path}` must be {}, not {}", want.join(" or "), shown(v)),
                format!("set `{path}` to {}", want.join(" or ")),
            ));
            return;
        }
    }
    if let Some(allowed) = s.get("enum").and_then(Node::as_seq)
        && !allowed.iter().any(|a| a == v)
    {
        let names: Vec<String> = allowed.iter().filter_map(Node::scalar_text).collect();
        errors.push(diag(
            v,
            path,
            format!("`{path}` is {}, not one of the allowed values", shown(v)),
            format!("use one of: {}", names.join(", ")),
        ));
    }
    if let Some(any) = s.get("anyOf").and_then(Node::as_seq) {
        let fits = any.iter().any(|alt| {
            let mut e = Vec::new();
            check(v, alt, path, &mut e);
            e.is_empty()
        });
        if !fits && let Some(first) = any.first() {
            check(v, first, path, errors);
        }
    }
    if let Value::Map(m) = &v.value {
        if let Some(req) = s.get("required").and_then(Node::as_seq) {
            for r in req.iter().filter_map(Node::as_str) {
                if !m.contains_key(r) {
                    errors.push(diag(
                        v,
                        path,
                        format!("`{path}` needs the key `{r}`"),
                        format!("add `{r}` under `{path}`"),
                    ));
                }
            }
        }
        let props = s.get("properties").and_then(Node::as_map);
        let extra = s.get("additionalProperties");
        for (k, item) in m {
            let p = child(path, k);
            if let Some(ps) = props.and_then(|p| p.get(k)) {
                check(item, ps, &p, errors);
                continue;
            }
            match extra.map(|e| &e.value) {
                Some(Value::Bool(false)) => {
                    let known: Vec<&str> = props
                        .map(|p| p.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    let help = match suggest(k, &known) {
                        Some(s) => format!(
                            "did you mean `{}`? `{path}` takes: {}",
                            child(path, s),
                            known.join(", ")
                        ),
                        None if known.is_empty() => format!("`{path}` takes no keys"),
                        None => format!("`{path}` takes: {}", known.join(", ")),
                    };
                    errors.push(diag(item, &p, format!("unknown key `{p}`"), help));
                }
                Some(Value::Map(_)) => {
                    if let Some(e) = extra {
                        check(item, e, &p, errors);
                    }
                }
                _ => {}
            }
        }
        if s.get("x-kubernetes").and_then(Node::as_str) == Some("Container") {
            check_container(v, path, errors);
        }
    }
    if let (Value::Seq(items), Some(is)) = (&v.value, s.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(item, is, &format!("{path}[{i}]"), errors);
        }
    }
}

fn suggest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(key, k), *k))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// An init container must read as a Kubernetes Container.
fn check_container(v: &Node, path: &str, errors: &mut Vec<Diagnostic>) {
    if let Err(e) = from_node::<k8s_openapi::api::core::v1::Container>(v) {
        let inner = e.path.to_string();
        let p = if inner.is_empty() {
            path.to_string()
        } else {
            child(path, &inner)
        };
        errors.push(diag(
            e.path.get(v).unwrap_or(v),
            &p,
            format!("`{p}` is not valid in a Kubernetes Container: {e}"),
            "see `kubectl explain pod.spec.initContainers`".to_string(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errs(values: &str) -> Vec<Diagnostic> {
        let v = parse_one(values, &Origin::file("v.yaml")).unwrap();
        validate(&v).err().unwrap_or_default()
    }

    #[test]
    fn defaults_are_valid() {
        let d = parse_one(include_str!("../../chart/values.yaml"), &Origin::file("d")).unwrap();
        assert!(validate(&d).is_ok(), "{:?}", validate(&d).err());
    }

    #[test]
    fn violations_name_the_key_and_line() {
        let cases = [
            (
                "decode:\n  replicas: two\n",
                "decode.replicas",
                2,
                "integer",
            ),
            (
                "accelerator:\n  typo: 1\n",
                "accelerator.typo",
                2,
                "unknown",
            ),
            (
                "routing:\n  proxy:\n    zapEncoder: xml\n",
                "routing.proxy.zapEncoder",
                3,
                "allowed",
            ),
            (
                "prefill:\n  parallelism:\n    tensor: \"2\"\n",
                "prefill.parallelism.tensor",
                3,
                "integer",
            ),
            (
                "decode:\n  resourceClaims:\n  - name: x\n",
                "decode.resourceClaims[0]",
                3,
                "resourceClaimTemplateName",
            ),
            (
                "decode:\n  initContainers:\n  - name: x\n    args: [1]\n",
                "decode.initContainers[0].args[0]",
                4,
                "Container",
            ),
            (
                // A key with dots is one step of the path, not three.
                "decode:\n  initContainers:\n  - name: x\n    resources:\n      limits:\n        nvidia.com/gpu: [1]\n",
                "decode.initContainers[0].resources.limits.nvidia.com/gpu",
                6,
                "Container",
            ),
            (
                "modelArtifacts:\n  imagePullPolicy: Always\n",
                "modelArtifacts.imagePullPolicy",
                2,
                "unknown",
            ),
        ];
        for (text, key, line, word) in cases {
            let e = errs(text);
            assert_eq!(e.len(), 1, "{text}: {e:?}");
            assert_eq!(e[0].path.as_deref(), Some(key), "{text}: {}", e[0]);
            assert_eq!(e[0].span.line, line, "{text}: {}", e[0]);
            assert!(e[0].to_string().contains(word), "{}", e[0]);
        }
    }

    #[test]
    fn suggests_near_keys() {
        let e = errs("accelerator:\n  tpye: nvidia\n");
        assert!(
            e[0].help
                .as_deref()
                .unwrap_or("")
                .contains("did you mean `accelerator.type`"),
            "{:?}",
            e[0]
        );
    }
}
