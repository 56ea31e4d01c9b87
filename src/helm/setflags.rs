//! User values as `helm template` layers them (`pkg/cli/values`
//! `Options.MergeValues`): `-f` files in order, then every `--set-json`,
//! `--set`, `--set-string`, `--set-file` and `--set-literal`, in that
//! order of flags whatever their order on the command line. `--set` and
//! `--set-string` use Helm's strvals rules ([`crate::values::set`]);
//! `--set` integers are int64, everything a values file gives float64.

use std::path::PathBuf;

use serde_json::{Number, Value};

use crate::values::set;
use crate::yaml::{Node, Value as Y};

use super::error::HelmError;
use super::values::{Values, merge_maps, read_values};

/// The value flags of `helm template`.
#[derive(Clone, Debug, Default)]
pub struct ValueOptions {
    /// `-f`: (name for messages, text).
    pub files: Vec<(String, String)>,
    pub set_json: Vec<String>,
    pub set: Vec<String>,
    pub set_string: Vec<String>,
    /// `--set-file KEY=PATH`; paths relative to the working directory.
    pub set_file: Vec<String>,
    pub set_literal: Vec<String>,
}

impl ValueOptions {
    /// The user's values, before the chart's defaults.
    pub fn merge(&self) -> Result<Values, HelmError> {
        let mut base = Values::new();
        for (name, text) in &self.files {
            base = merge_maps(base, read_values(name, text)?);
        }
        for arg in &self.set_json {
            for (key, value) in split_json(arg)? {
                let tree = keyed("--set-json", arg, &key, value)?;
                base = merge_maps(base, tree);
            }
        }
        let mut node = to_node(&base);
        for arg in &self.set {
            set::parse_into(arg, &mut node).map_err(|d| flag_error("--set", arg, d))?;
        }
        for arg in &self.set_string {
            set::parse_string_into(arg, &mut node)
                .map_err(|d| flag_error("--set-string", arg, d))?;
        }
        let Value::Object(mut base) = from_node(&node) else {
            return Ok(Values::new());
        };
        for arg in &self.set_file {
            let mut tree = Node::map();
            set::parse_string_into(arg, &mut tree).map_err(|d| flag_error("--set-file", arg, d))?;
            let mut v = from_node(&tree);
            read_files(&mut v, arg)?;
            if let Value::Object(m) = v {
                base = merge_maps(base, m);
            }
        }
        for arg in &self.set_literal {
            let (key, value) = split_key(arg).ok_or_else(|| HelmError::SetFlag {
                flag: "--set-literal",
                arg: arg.clone(),
                message: "key has no value (write KEY=VALUE)".into(),
            })?;
            let tree = keyed("--set-literal", arg, &key, Value::String(value.to_string()))?;
            base = merge_maps(base, tree);
        }
        Ok(base)
    }
}

fn flag_error(flag: &'static str, arg: &str, d: crate::error::Diagnostic) -> HelmError {
    let mut message = d.message;
    if let Some(h) = d.help {
        message = format!("{message} ({h})");
    }
    HelmError::SetFlag {
        flag,
        arg: arg.to_string(),
        message,
    }
}

/// The key before the first unescaped `=`, and the rest.
fn split_key(arg: &str) -> Option<(String, &str)> {
    let mut escaped = false;
    for (i, c) in arg.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '=' if !escaped => return Some((arg[..i].to_string(), &arg[i + 1..])),
            _ => escaped = false,
        }
    }
    None
}

/// `KEY=JSON[,KEY=JSON...]`: each value one JSON text.
fn split_json(arg: &str) -> Result<Vec<(String, Value)>, HelmError> {
    let bad = |message: String| HelmError::SetFlag {
        flag: "--set-json",
        arg: arg.to_string(),
        message,
    };
    let mut out = Vec::new();
    let mut rest = arg;
    while !rest.is_empty() {
        let (key, after) =
            split_key(rest).ok_or_else(|| bad("key has no value (write KEY=JSON)".into()))?;
        let mut stream = serde_json::Deserializer::from_str(after).into_iter::<Value>();
        let value = match stream.next() {
            Some(Ok(v)) => v,
            Some(Err(e)) => return Err(bad(format!("the value of `{key}` is not JSON: {e}"))),
            None => return Err(bad(format!("`{key}` has no value"))),
        };
        let used = stream.byte_offset();
        out.push((key, json_numbers_as_go(value)));
        rest = after[used..].trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r;
        } else if !rest.is_empty() {
            return Err(bad(format!(
                "unexpected `{rest}` after a JSON value (pairs are separated by ,)"
            )));
        }
    }
    Ok(out)
}

/// Go's `json.Unmarshal` into `interface{}`: every number a float64.
fn json_numbers_as_go(v: Value) -> Value {
    match v {
        Value::Number(n) => n
            .as_f64()
            .and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Value::Array(a) => Value::Array(a.into_iter().map(json_numbers_as_go).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, json_numbers_as_go(v)))
                .collect(),
        ),
        v => v,
    }
}

const SLOT: &str = "\u{0}msvc-slot\u{0}";

/// A tree holding `value` at `key` (strvals key syntax: dots, `[i]`).
fn keyed(flag: &'static str, arg: &str, key: &str, value: Value) -> Result<Values, HelmError> {
    let mut tree = Node::map();
    let spec = format!("{key}={}", SLOT.replace(',', "\\,"));
    set::parse_string_into(&spec, &mut tree).map_err(|d| flag_error(flag, arg, d))?;
    let mut v = from_node(&tree);
    fill(&mut v, &value);
    match v {
        Value::Object(m) => Ok(m),
        _ => Ok(Values::new()),
    }
}

fn fill(v: &mut Value, with: &Value) {
    match v {
        Value::String(s) if s == SLOT => *v = with.clone(),
        Value::Array(a) => a.iter_mut().for_each(|x| fill(x, with)),
        Value::Object(m) => m.values_mut().for_each(|x| fill(x, with)),
        _ => {}
    }
}

fn read_files(v: &mut Value, arg: &str) -> Result<(), HelmError> {
    match v {
        Value::String(path) => {
            let p = PathBuf::from(path.as_str());
            let data = std::fs::read(&p).map_err(|e| HelmError::SetFlag {
                flag: "--set-file",
                arg: arg.to_string(),
                message: format!("{}: {}", p.display(), crate::error::io_reason(&e)),
            })?;
            *v = Value::String(String::from_utf8_lossy(&data).into_owned());
        }
        Value::Array(a) => {
            for x in a {
                read_files(x, arg)?;
            }
        }
        Value::Object(m) => {
            for x in m.values_mut() {
                read_files(x, arg)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Values to the strvals parser's tree (numbers keep their kind).
fn to_node(v: &Values) -> Node {
    fn one(v: &Value) -> Node {
        Node::synth(match v {
            Value::Null => Y::Null,
            Value::Bool(b) => Y::Bool(*b),
            Value::Number(n) if n.is_f64() => Y::Float(n.as_f64().unwrap_or(0.0)),
            Value::Number(n) => Y::Int(n.as_i64().unwrap_or(0)),
            Value::String(s) => Y::String(s.clone()),
            Value::Array(a) => Y::Seq(a.iter().map(one).collect()),
            Value::Object(m) => Y::Map(m.iter().map(|(k, v)| (k.clone(), one(v))).collect()),
        })
    }
    one(&Value::Object(v.clone()))
}

/// The parser's tree back: its integers are `--set`'s int64, its floats
/// the values files' float64.
fn from_node(n: &Node) -> Value {
    match &n.value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Int(i) => Value::Number((*i).into()),
        Y::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Y::String(s) => Value::String(s.clone()),
        Y::Seq(items) => Value::Array(items.iter().map(from_node).collect()),
        Y::Map(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), from_node(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn layers_in_helm_order() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("script.sh");
        std::fs::write(&f, "echo ${#A[@]}\n").unwrap();
        let opts = ValueOptions {
            files: vec![("v.yaml".into(), "a: 1\nl: [{x: 1}]\nkeep: 2\n".into())],
            set: vec!["a=2,b=0.5,c=true,l[0].y=3".into()],
            set_string: vec!["s=true,n=10".into()],
            set_json: vec![r#"j={"k":[1,"x"]},a=7"#.into()],
            set_file: vec![format!("script={}", f.display())],
            set_literal: vec!["lit=a,b={c}".into()],
        };
        let v = Value::Object(opts.merge().unwrap());
        assert_eq!(
            v,
            json!({"a": 2, "b": "0.5", "c": true, "l": [{"x": 1.0, "y": 3}], "keep": 2.0,
                   "s": "true", "n": "10", "j": {"k": [1.0, "x"]},
                   "script": "echo ${#A[@]}\n", "lit": "a,b={c}"})
        );
        assert!(v["a"].is_i64(), "--set integers are int64");
        assert!(v["keep"].is_f64(), "values-file numbers are float64");
    }

    #[test]
    fn bad_flags_name_the_flag() {
        let o = ValueOptions {
            set_json: vec!["a={x".into()],
            ..Default::default()
        };
        let e = o.merge().unwrap_err().to_string();
        assert!(e.starts_with("--set-json a={x:"), "{e}");
        let o = ValueOptions {
            set_file: vec!["a=/nonexistent/f".into()],
            ..Default::default()
        };
        let e = o.merge().unwrap_err().to_string();
        assert!(
            e.contains("--set-file") && e.contains("/nonexistent/f"),
            "{e}"
        );
    }
}
