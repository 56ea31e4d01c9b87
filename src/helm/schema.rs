//! `values.schema.json` checked as Helm checks it (`ValidateAgainstSchema`):
//! the chart's schema against its values, each enabled subchart's against
//! its section, and one report naming each chart and each failing key path
//! in the words Helm's validator (santhosh-tekuri/jsonschema) uses.
//!
//! The validator is the `jsonschema` crate: maintained, drafts 4 to
//! 2020-12 (2020-12 when `$schema` is absent, as Helm's), `$ref` within the
//! file; formats are not asserted (as Helm's default). msvc's own
//! `json_schema` module only writes schemas. Remote `$ref`s would need the
//! network and are refused.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use super::chart::Chart;
use super::error::HelmError;
use super::values::Values;

/// Checks `values` (coalesced) against the schemas of `chart` and its
/// subcharts.
pub fn validate(chart: &Chart, values: &Values) -> Result<(), HelmError> {
    let report = report(chart, values);
    if report.is_empty() {
        Ok(())
    } else {
        Err(HelmError::Schema { report })
    }
}

fn report(chart: &Chart, values: &Values) -> String {
    let mut sb = String::new();
    if let Some(schema) = &chart.schema {
        let errors = check_one(schema, values);
        if !errors.is_empty() {
            sb.push_str(&format!("{}:\n", chart.name()));
            for e in errors {
                sb.push_str(&e);
                sb.push('\n');
            }
        }
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Null) => {}
            Some(Value::Object(m)) => sb.push_str(&report(sub, m)),
            Some(other) => sb.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                super::values::json_type(other)
            )),
        }
    }
    sb
}

/// The errors of one schema, each `- at '/json/pointer': message`.
fn check_one(schema: &[u8], values: &Values) -> Vec<String> {
    let schema: Value = match serde_json::from_slice(schema) {
        Ok(s) => s,
        Err(e) => return vec![format!("- values.schema.json is not JSON: {e}")],
    };
    let validator = match jsonschema::options()
        .should_validate_formats(false)
        .build(&schema)
    {
        Ok(v) => v,
        Err(e) => {
            return vec![format!(
                "- values.schema.json cannot be used: {e} (msvc resolves `$ref` within the file only)"
            )];
        }
    };
    let instance = Value::Object(values.clone());
    let mut errors: Vec<(usize, String)> = validator
        .iter_errors(&instance)
        .map(|e| {
            let path = e.instance_path().as_str().to_string();
            let depth = path.matches('/').count();
            (depth, format!("- at '{path}': {}", message(&e)))
        })
        .collect();
    // Helm's validator reports a key's own problems before its parent's.
    errors.sort_by_key(|e| std::cmp::Reverse(e.0));
    errors.dedup();
    errors.into_iter().map(|(_, e)| e).collect()
}

fn quoted(items: impl IntoIterator<Item = String>) -> String {
    items
        .into_iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// santhosh-tekuri's wording where it differs from the crate's.
fn message(e: &jsonschema::ValidationError) -> String {
    match e.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            format!(
                "additional properties {} not allowed",
                quoted(unexpected.iter().cloned())
            )
        }
        ValidationErrorKind::Required { property } => {
            let p = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_string);
            format!("missing property '{p}'")
        }
        ValidationErrorKind::Type {
            kind: TypeKind::Single(t),
        } => format!("got {}, want {t}", json_kind(e.instance())),
        ValidationErrorKind::Enum { options } => {
            let opts = match options.as_ref() {
                Value::Array(a) => a
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            format!("value must be one of {opts}")
        }
        ValidationErrorKind::Minimum { limit } => {
            format!("must be >= {limit} but found {}", e.instance())
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("must be <= {limit} but found {}", e.instance())
        }
        ValidationErrorKind::Pattern { pattern } => {
            format!("{} does not match pattern '{pattern}'", e.instance())
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chart_with(schema: Value) -> Chart {
        let mut c = Chart::from_files(
            vec![super::super::archive::BufferedFile {
                name: "Chart.yaml".into(),
                data: b"apiVersion: v2\nname: c\nversion: 1.0.0\n".to_vec(),
            }],
            "c",
            &Default::default(),
            0,
        )
        .unwrap();
        c.schema = Some(serde_json::to_vec(&schema).unwrap());
        c
    }

    fn check(schema: Value, values: Value) -> Result<(), String> {
        let Value::Object(v) = values else { panic!() };
        validate(&chart_with(schema), &v).map_err(|e| e.to_string())
    }

    #[test]
    fn keywords_helm_charts_use() {
        let schema = json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "additionalProperties": false,
            "required": ["name"],
            "definitions": {"port": {"type": "integer", "minimum": 1, "maximum": 65535}},
            "properties": {
                "name": {"type": "string", "pattern": "^[a-z]+$"},
                "mode": {"enum": ["a", "b"]},
                "port": {"$ref": "#/definitions/port"},
                "list": {"type": "array", "items": {"type": "string"}},
                "sub": {"type": "object", "properties": {"x": {"type": "boolean"}}, "additionalProperties": false}
            }
        });
        assert_eq!(
            check(
                schema.clone(),
                json!({"name": "ok", "port": 80.0, "mode": "a"})
            ),
            Ok(())
        );
        let e = check(
            schema,
            json!({"name": "No", "port": 0, "mode": "c", "list": [1], "sub": {"x": "y", "sizee": 1}, "extra": 1}),
        )
        .unwrap_err();
        for want in [
            "values don't meet the specifications of the schema(s) in the following chart(s):\nc:\n",
            "- at '/sub': additional properties 'sizee' not allowed",
            "- at '/sub/x': got string, want boolean",
            "- at '': additional properties 'extra' not allowed",
            "- at '/port': must be >= 1 but found 0",
            "- at '/mode': value must be one of \"a\", \"b\"",
            "- at '/list/0': got integer, want string",
            "- at '/name': \"No\" does not match pattern '^[a-z]+$'",
        ] {
            assert!(e.contains(want), "missing {want:?} in\n{e}");
        }
        let e = check(json!({"required": ["name"]}), json!({})).unwrap_err();
        assert!(e.contains("- at '': missing property 'name'"), "{e}");
    }

    #[test]
    fn the_child_before_its_parent() {
        let schema = json!({"type": "object", "properties": {"gateway": {
            "type": "object", "additionalProperties": false,
            "properties": {"p": {"type": "object", "additionalProperties": false}}}}});
        let e = check(
            schema,
            json!({"gateway": {"p": {"istio": 1}, "provider": 2}}),
        )
        .unwrap_err();
        let child = e.find("'/gateway/p'").unwrap();
        let parent = e.find("'/gateway'").unwrap();
        assert!(child < parent, "{e}");
    }
}
