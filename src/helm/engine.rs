//! The Go template engine ([`crate::gotemplate`]) as the chart executor,
//! with Helm's functions (`pkg/engine/funcs.go`): `include`, `tpl`,
//! `required`, `fail`, `toYaml`, `fromYaml`, `fromYamlArray`, `lookup`
//! (empty, as `helm template` has no cluster) and `semverCompare`.
//! Helm runs with `missingkey=zero`.
//!
//! Not served yet (the engine has no methods on values): `.Files.Get` and
//! its siblings, `.Capabilities.APIVersions.Has`; `.Files` is given as a
//! map of names to contents, `.Capabilities.APIVersions` as a list.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use crate::gotemplate::{self as gt, FuncError, MissingKey, Options, TemplateSet, Ty, Value};

use super::error::TemplateError;
use super::frame::{Executor, RenderFrame};

/// Helm's cap on nested `include`/`tpl` calls.
const MAX_INCLUDE_DEPTH: usize = 1000;

#[derive(Default)]
struct Shared {
    set: RefCell<Weak<TemplateSet>>,
    depth: Cell<usize>,
    /// The chart's sources, for a `tpl` text that names their templates.
    sources: RefCell<Vec<(String, String)>>,
}

/// The engine with Helm's functions.
#[derive(Default)]
pub struct GoTemplates {
    shared: Rc<Shared>,
    set: Option<Rc<TemplateSet>>,
    /// Per scope, the top-level object without `.Template`.
    scopes: Vec<Value>,
}

impl std::fmt::Debug for GoTemplates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GoTemplates").finish_non_exhaustive()
    }
}

fn options() -> Options {
    Options {
        missing_key: MissingKey::Zero,
        ..Options::default()
    }
}

fn go(e: impl std::fmt::Display) -> FuncError {
    FuncError::Go(e.to_string())
}

/// A set with sprig's and Helm's functions.
fn helm_set(shared: &Rc<Shared>) -> TemplateSet {
    let mut set = TemplateSet::standard();
    let s = Rc::clone(shared);
    set.add_func(
        "include",
        gt::Func::new(&[Ty::Str, Ty::Any], None, move |_, a| {
            let name = a[0].as_str().unwrap_or_default().to_string();
            let set = s
                .set
                .borrow()
                .upgrade()
                .ok_or_else(|| go("include: no templates"))?;
            nested(&s, || set.execute(&name, &a[1], &options()))
        }),
    );
    let s = Rc::clone(shared);
    set.add_func(
        "tpl",
        gt::Func::new(&[Ty::Str, Ty::Any], None, move |_, a| {
            let text = a[0].as_str().unwrap_or_default().to_string();
            if !text.contains("{{") {
                return Ok(Value::str(text));
            }
            let name = template_name(&a[1]);
            // `include` inside reaches the chart's templates through the
            // shared set; a `template` or `block` action needs them parsed
            // beside the text, as Helm's clone of the set has them.
            let mut one = helm_set(&s);
            if text.contains("template") || text.contains("block") {
                for (n, t) in s.sources.borrow().iter() {
                    one.parse(n, t).map_err(|e| go(e.message))?;
                }
            }
            one.parse(&name, &text).map_err(|e| go(e.message))?;
            nested(&s, || one.execute(&name, &a[1], &options()))
        }),
    );
    set.add_func(
        "required",
        gt::Func::new(&[Ty::Str, Ty::Any], None, |_, a| match &a[1] {
            Value::Missing | Value::Nil => Err(go(warn_wrap(a[0].as_str().unwrap_or_default()))),
            Value::String(s) if s.is_empty() => {
                Err(go(warn_wrap(a[0].as_str().unwrap_or_default())))
            }
            v => Ok(v.clone()),
        }),
    );
    set.add_func(
        "fail",
        gt::Func::new(&[Ty::Str], None, |_, a| {
            Err(go(warn_wrap(a[0].as_str().unwrap_or_default())))
        }),
    );
    set.add_func(
        "toYaml",
        gt::Func::new(&[Ty::Any], None, |_, a| Ok(Value::str(to_yaml(&a[0])))),
    );
    set.add_func(
        "mustToYaml",
        gt::Func::new(&[Ty::Any], None, |_, a| Ok(Value::str(to_yaml(&a[0])))),
    );
    set.add_func(
        "fromYaml",
        gt::Func::new(&[Ty::Str], None, |_, a| {
            Ok(from_yaml(a[0].as_str().unwrap_or_default(), false))
        }),
    );
    set.add_func(
        "fromYamlArray",
        gt::Func::new(&[Ty::Str], None, |_, a| {
            Ok(from_yaml(a[0].as_str().unwrap_or_default(), true))
        }),
    );
    set.add_func(
        "lookup",
        gt::Func::new(&[Ty::Str, Ty::Str, Ty::Str, Ty::Str], None, |_, _| {
            Ok(Value::map(BTreeMap::new()))
        }),
    );
    set.add_func(
        "semverCompare",
        gt::Func::new(&[Ty::Str, Ty::Str], None, |_, a| {
            let (c, v) = (
                a[0].as_str().unwrap_or_default(),
                a[1].as_str().unwrap_or_default(),
            );
            if super::version::parse_loose(v).is_none() {
                return Err(go("Invalid Semantic Version"));
            }
            Ok(Value::Bool(super::version::is_compatible_range(c, v)))
        }),
    );
    set
}

fn nested(s: &Shared, run: impl FnOnce() -> Result<String, gt::Error>) -> gt::FResult {
    if s.depth.get() >= MAX_INCLUDE_DEPTH {
        return Err(go(
            "rendering template has a nested reference name: exceeded max depth",
        ));
    }
    s.depth.set(s.depth.get() + 1);
    let out = run();
    s.depth.set(s.depth.get() - 1);
    out.map(Value::str).map_err(|e| go(e.message))
}

/// `.Template.Name` of the data `tpl` runs on (Helm names the text so).
fn template_name(data: &Value) -> String {
    if let Value::Map(m, _) = data
        && let Some(Value::Map(t, _)) = m.borrow().get("Template")
        && let Some(Value::String(n)) = t.borrow().get("Name")
    {
        return n.to_string();
    }
    "tpl".into()
}

/// JSON data into the engine's values: Helm's float64 and int64 kept.
pub fn to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) if n.is_f64() => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::int64(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::str(s.as_str()),
        serde_json::Value::Array(a) => Value::list(a.iter().map(to_value).collect()),
        serde_json::Value::Object(m) => {
            Value::map(m.iter().map(|(k, v)| (k.clone(), to_value(v))).collect())
        }
    }
}

fn to_yaml(v: &Value) -> String {
    super::goyaml::to_yaml(v)
}

/// Helm's `fromYaml` / `fromYamlArray`: errors come back as `Error`.
fn from_yaml(text: &str, array: bool) -> Value {
    let wrapped = format!(
        "v:\n{}",
        text.lines().map(|l| format!("  {l}\n")).collect::<String>()
    );
    match super::values::read_values("fromYaml", &wrapped) {
        Ok(m) => {
            let v = m.get("v").cloned().unwrap_or(serde_json::Value::Null);
            match (&v, array) {
                (serde_json::Value::Object(_), false) | (serde_json::Value::Array(_), true) => {
                    to_value(&v)
                }
                (serde_json::Value::Null, false) => Value::map(BTreeMap::new()),
                (serde_json::Value::Null, true) => Value::list(Vec::new()),
                _ => error_value(array, "cannot unmarshal into the expected type"),
            }
        }
        Err(e) => error_value(array, &e.to_string()),
    }
}

fn error_value(array: bool, message: &str) -> Value {
    if array {
        Value::list(vec![Value::str(message)])
    } else {
        let mut m = BTreeMap::new();
        m.insert("Error".to_string(), Value::str(message));
        Value::map(m)
    }
}

const WARN_START: &str = "HELM_ERR_START";
const WARN_END: &str = "HELM_ERR_END";

/// Helm marks `required` and `fail` messages so that the final error can
/// show them alone.
fn warn_wrap(msg: &str) -> String {
    format!("{WARN_START}{msg}{WARN_END}")
}

/// Helm's `reformatExecErrorMsg` for `required`/`fail`: `execution error
/// at (FILE:LINE:COL): MESSAGE`, at the outermost template's position.
fn error(e: gt::Error) -> TemplateError {
    let mut message = e.message;
    if let (Some(a), Some(b)) = (message.find(WARN_START), message.rfind(WARN_END))
        && a < b
    {
        let inner = message[a + WARN_START.len()..b].to_string();
        let location = message.split(": ").nth(1).unwrap_or_default().to_string();
        message = format!("execution error at ({location}): {inner}");
    }
    TemplateError {
        template: e.template.clone(),
        line: e.line,
        column: e.column,
        message,
    }
}

impl Executor for GoTemplates {
    fn parse(&mut self, frame: &RenderFrame) -> Result<(), TemplateError> {
        let mut set = helm_set(&self.shared);
        for t in &frame.templates {
            set.parse(&t.name, &t.text).map_err(error)?;
        }
        let set = Rc::new(set);
        *self.shared.set.borrow_mut() = Rc::downgrade(&set);
        *self.shared.sources.borrow_mut() = frame
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.text.clone()))
            .collect();
        self.set = Some(set);
        self.scopes = (0..frame.scopes.len())
            .map(|i| {
                let mut v = frame.scope_value(i);
                // `.Files` as name -> text (the engine has no methods).
                v["Files"] = serde_json::Value::Object(
                    frame.scopes[i]
                        .files
                        .0
                        .iter()
                        .map(|(k, d)| {
                            (
                                k.clone(),
                                serde_json::Value::String(String::from_utf8_lossy(d).into_owned()),
                            )
                        })
                        .collect(),
                );
                // `GitVersion` is a method in Helm; a field serves templates.
                v["Capabilities"]["KubeVersion"]["GitVersion"] =
                    v["Capabilities"]["KubeVersion"]["Version"].clone();
                let mut value = to_value(&v);
                if let Value::Map(m, _) = &mut value
                    && let Some(Value::Map(r, _)) = m.borrow().get("Release")
                {
                    r.borrow_mut().insert("Revision".into(), Value::int(1));
                }
                value
            })
            .collect();
        Ok(())
    }

    fn execute(&mut self, frame: &RenderFrame, index: usize) -> Result<String, TemplateError> {
        let t = &frame.templates[index];
        let Some(set) = &self.set else {
            return Err(TemplateError {
                template: t.name.clone(),
                line: 0,
                column: 0,
                message: "templates were not parsed".into(),
            });
        };
        let data = match &self.scopes[t.scope] {
            Value::Map(m, e) => {
                let mut copy = m.borrow().clone();
                let mut tm = BTreeMap::new();
                tm.insert("Name".to_string(), Value::str(t.name.as_str()));
                tm.insert("BasePath".to_string(), Value::str(t.base_path.as_str()));
                copy.insert("Template".into(), Value::map(tm));
                Value::Map(Rc::new(RefCell::new(copy)), *e)
            }
            other => other.clone(),
        };
        set.execute(&t.name, &data, &options()).map_err(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_functions() {
        let shared = Rc::new(Shared::default());
        let mut set = helm_set(&shared);
        set.parse("h", r#"{{ define "x" }}X{{ .a }}{{ end }}"#)
            .unwrap();
        set.parse(
            "t",
            r#"{{ include "x" . }}|{{ tpl "{{ .a }}-{{ include \"x\" . }}" . }}|{{ toYaml .m }}|{{ (fromYaml "b: 2").b }}|{{ semverCompare ">=1.20" "v1.36.0" }}|{{ .missing }}"#,
        )
        .unwrap();
        let set = Rc::new(set);
        *shared.set.borrow_mut() = Rc::downgrade(&set);
        let data = to_value(&serde_json::json!({"a": 1, "m": {"k": [1, "x"], "f": 0.5}}));
        let out = set.execute("t", &data, &options()).unwrap();
        assert_eq!(out, "X1|1-X1|f: 0.5\nk:\n- 1\n- x|2|true|<no value>");
        shared
            .sources
            .borrow_mut()
            .push(("h".into(), r#"{{ define "x" }}X{{ .a }}{{ end }}"#.into()));
        let mut t2 = helm_set(&shared);
        t2.parse("t2", r#"{{ tpl "{{ template \"x\" . }}" . }}"#)
            .unwrap();
        assert_eq!(t2.execute("t2", &data, &options()).unwrap(), "X1");
        let mut req = helm_set(&shared);
        req.parse("r", r#"{{ required "a is required" .nope }}"#)
            .unwrap();
        let e = error(req.execute("r", &data, &options()).unwrap_err());
        assert_eq!(e.message, "execution error at (r:1:3): a is required");
    }
}
