//! Chart values as `helm template` builds them: the chart defaults (built
//! into the binary), each `-f` file merged in order, each `--set` parsed
//! into the result, then coalesced over the defaults and validated.

pub mod coalesce;
pub mod schema;
pub mod set;

use crate::error::{Diagnostic, Error, Span, Stage};
use crate::yaml::{Node, Origin, Value, parse_documents, parse_one};

/// The chart's defaults (`chart/values.yaml`).
pub const DEFAULTS: &str = include_str!("../../chart/values.yaml");

/// The name positions in the defaults point at.
pub const DEFAULTS_FILE: &str = "<chart defaults>";

/// The chart defaults as a tree.
pub fn defaults() -> Node {
    // Our own file, checked by the tests; it cannot fail at run time.
    parse_one(DEFAULTS, &Origin::file(DEFAULTS_FILE)).unwrap_or_else(|_| Node::map())
}

/// Merged, coalesced and validated values from `(file name, text)` pairs
/// and `--set` arguments.
pub fn load(files: &[(String, String)], sets: &[String]) -> Result<Node, Error> {
    let mut user = Node::map();
    for (name, text) in files {
        coalesce::merge_user(&mut user, read_file(name, text)?);
    }
    for arg in sets {
        set::parse_into(arg, &mut user)?;
    }
    let values = coalesce::coalesce(user, &defaults());
    schema::validate(&values).map_err(Error::Input)?;
    Ok(values)
}

/// One values file: its first document, which must be a map (or empty).
fn read_file(name: &str, text: &str) -> Result<Node, Diagnostic> {
    let docs = parse_documents(text, &Origin::file(name)).map_err(|mut d| {
        d.stage = Stage::Values;
        d
    })?;
    let doc = docs.into_iter().next().unwrap_or_else(Node::null);
    match doc.value {
        Value::Null => Ok(Node::new(Value::Map(Default::default()), doc.span)),
        Value::Map(_) => Ok(doc),
        _ => Err(Diagnostic::new(
            Stage::Values,
            if doc.span.is_known() {
                doc.span.clone()
            } else {
                Span::new(name.into(), 1, 1)
            },
            format!(
                "a values file must be a map of keys, not {}",
                doc.type_name()
            ),
        )
        .with_help("start the file with top-level keys such as `modelArtifacts:` or `decode:`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let d = parse_one(DEFAULTS, &Origin::file(DEFAULTS_FILE)).unwrap();
        assert_eq!(
            d.get_path(&["routing", "servicePort"])
                .and_then(Node::as_i64),
            Some(8000)
        );
    }

    #[test]
    fn files_then_sets_then_defaults() {
        let files = vec![
            (
                "a.yaml".to_string(),
                "decode:\n  replicas: 3\nmultinode: true\n".to_string(),
            ),
            (
                "b.yaml".to_string(),
                "decode:\n  create: false\n".to_string(),
            ),
        ];
        let v = load(
            &files,
            &["decode.replicas=5".into(), "multinode=null".into()],
        )
        .unwrap();
        assert_eq!(
            v.get_path(&["decode", "replicas"]).and_then(Node::as_i64),
            Some(5)
        );
        assert_eq!(
            v.get_path(&["decode", "create"]).and_then(Node::as_bool),
            Some(false)
        );
        assert!(v.get("multinode").is_none(), "null deletes the default");
        assert_eq!(
            v.get_path(&["prefill", "replicas"]).and_then(Node::as_i64),
            Some(0)
        );
    }

    #[test]
    fn non_map_file_is_an_error() {
        let e = load(&[("l.yaml".into(), "- a\n".into())], &[]).unwrap_err();
        assert!(e.to_string().contains("l.yaml"), "{e}");
        assert!(load(&[("e.yaml".into(), "".into())], &[]).is_ok());
    }
}
