//! Go's value model, as far as templates see it: what `reflect` would say
//! about the data a template runs on and the values functions return.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// A Go map: shared and mutable, as sprig's `set`, `unset` and `merge`
/// change the map they are given.
pub type MapRef = Rc<RefCell<BTreeMap<String, Value>>>;

/// Which Go integer type an integer is; it shows in type names and errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntKind {
    Int,
    Int64,
    Int32,
    /// A byte, as `index` of a string gives.
    Uint8,
}

/// The element type of a slice or map: `interface {}` or `string`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Elem {
    Any,
    Str,
    /// `[]int` (sprig's `until`); maps never have it.
    Int,
}

/// A struct, such as the controller's `TemplateVars`: named fields in order.
#[derive(Debug, PartialEq)]
pub struct Record {
    /// Go's type name, e.g. `main.TemplateVars`.
    pub type_name: String,
    pub fields: Vec<(String, Value)>,
}

/// One Go value. Maps iterate in key order, as `text/template` ranges and
/// `fmt` prints them. Big values are shared, never copied.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// No value at all (Go's invalid `reflect.Value`): a missing map key.
    /// Prints as `<no value>`.
    Missing,
    /// A nil interface, e.g. JSON `null` in a map. Prints as `<nil>`.
    Nil,
    Bool(bool),
    Int(i64, IntKind),
    Float(f64),
    String(Rc<str>),
    List(Rc<Vec<Value>>, Elem),
    Map(MapRef, Elem),
    Record(Rc<Record>),
}

impl Value {
    pub fn str(s: impl Into<Rc<str>>) -> Value {
        Value::String(s.into())
    }

    pub fn int(i: i64) -> Value {
        Value::Int(i, IntKind::Int)
    }

    pub fn int64(i: i64) -> Value {
        Value::Int(i, IntKind::Int64)
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(items), Elem::Any)
    }

    pub fn strings(items: Vec<String>) -> Value {
        Value::List(
            Rc::new(items.into_iter().map(Value::str).collect()),
            Elem::Str,
        )
    }

    pub fn map(m: BTreeMap<String, Value>) -> Value {
        Value::Map(Rc::new(RefCell::new(m)), Elem::Any)
    }

    /// Reads JSON as Go's `encoding/json` does into `interface{}`: numbers
    /// are float64.
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::str(s.as_str()),
            serde_json::Value::Array(a) => Value::list(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(m) => Value::map(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Go's type name, as `%T` and error messages print it.
    pub fn type_name(&self) -> String {
        match self {
            Value::Missing | Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_, IntKind::Int) => "int".into(),
            Value::Int(_, IntKind::Int64) => "int64".into(),
            Value::Int(_, IntKind::Int32) => "int32".into(),
            Value::Int(_, IntKind::Uint8) => "uint8".into(),
            Value::Float(_) => "float64".into(),
            Value::String(_) => "string".into(),
            Value::List(_, Elem::Any) => "[]interface {}".into(),
            Value::List(_, Elem::Str) => "[]string".into(),
            Value::List(_, Elem::Int) => "[]int".into(),
            Value::Map(_, Elem::Any) => "map[string]interface {}".into(),
            Value::Map(_, _) => "map[string]string".into(),
            Value::Record(r) => r.type_name.clone(),
        }
    }

    /// Go's `reflect.Kind` name, as sprig's `kindOf` prints it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Missing | Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_, IntKind::Int) => "int",
            Value::Int(_, IntKind::Int64) => "int64",
            Value::Int(_, IntKind::Int32) => "int32",
            Value::Int(_, IntKind::Uint8) => "uint8",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::List(..) => "slice",
            Value::Map(..) => "map",
            Value::Record(_) => "struct",
        }
    }

    /// Go's truth: false, 0, nil, and empty strings, slices and maps are
    /// false; structs are true.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Missing | Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i, _) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::List(l, _) => !l.is_empty(),
            Value::Map(m, _) => !m.borrow().is_empty(),
            Value::Record(_) => true,
        }
    }

    /// Whether a slot of this value's container is typed `interface {}`,
    /// which shows in Go's messages about its elements.
    pub fn elem_boxed(&self) -> bool {
        matches!(self, Value::List(_, Elem::Any) | Value::Map(_, Elem::Any))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Dropping takes nested lists and maps apart with a work list, not by
/// recursion, so that no depth of nesting can overflow the stack.
impl Drop for Value {
    fn drop(&mut self) {
        let mut stack: Vec<Value> = Vec::new();
        take_children(self, &mut stack);
        while let Some(mut v) = stack.pop() {
            take_children(&mut v, &mut stack);
        }
    }
}

/// Moves the children of `v` into `stack` when `v` holds the last
/// reference to them.
fn take_children(v: &mut Value, stack: &mut Vec<Value>) {
    match v {
        Value::List(l, _) => {
            if let Some(items) = Rc::get_mut(l) {
                stack.append(items);
            }
        }
        Value::Map(m, _) => {
            if let Some(cell) = Rc::get_mut(m) {
                let map = std::mem::take(cell.get_mut());
                stack.extend(map.into_values());
            }
        }
        _ => {}
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::str(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
