//! A YAML document as a tree of nodes that remember where they came from.
//! Equality ignores positions, so merged or rebuilt trees compare by content.

use indexmap::IndexMap;

use crate::error::Span;

pub type Mapping = IndexMap<String, Node>;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    Map(Mapping),
}

#[derive(Clone, Debug)]
pub struct Node {
    pub value: Value,
    pub span: Span,
    /// For a map value read from text: where its key stands (errors about
    /// a field point at the field's name).
    pub key_span: Option<Box<Span>>,
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Node {
    pub fn new(value: Value, span: Span) -> Self {
        Node {
            value,
            span,
            key_span: None,
        }
    }

    /// A node msvc made itself.
    pub fn synth(value: Value) -> Self {
        Node {
            value,
            span: Span::none(),
            key_span: None,
        }
    }

    pub fn null() -> Self {
        Node::synth(Value::Null)
    }

    pub fn string(s: impl Into<String>) -> Self {
        Node::synth(Value::String(s.into()))
    }

    pub fn int(i: i64) -> Self {
        Node::synth(Value::Int(i))
    }

    pub fn bool(b: bool) -> Self {
        Node::synth(Value::Bool(b))
    }

    pub fn map() -> Self {
        Node::synth(Value::Map(Mapping::new()))
    }

    pub fn seq(items: Vec<Node>) -> Self {
        Node::synth(Value::Seq(items))
    }

    /// Builds a map from `(key, node)` pairs, in order.
    pub fn from_pairs<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Node)>) -> Self {
        Node::synth(Value::Map(
            pairs.into_iter().map(|(k, v)| (k.into(), v)).collect(),
        ))
    }

    /// Where the field holding this value is named: its key if known,
    /// else the value itself.
    pub fn field_span(&self) -> &Span {
        self.key_span.as_deref().unwrap_or(&self.span)
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// Null, an empty string, an empty list or an empty map.
    pub fn is_empty(&self) -> bool {
        match &self.value {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Seq(s) => s.is_empty(),
            Value::Map(m) => m.is_empty(),
            _ => false,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Mapping> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_map_mut(&mut self) -> Option<&mut Mapping> {
        match &mut self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&Vec<Node>> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The child at `key` of a map node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// Follows a dotted path of map keys.
    pub fn get_path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// Follows a path of map keys, for changing what is there.
    pub fn get_path_mut(&mut self, path: &[&str]) -> Option<&mut Node> {
        path.iter().try_fold(self, |node, key| node.get_mut(key))
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.as_map_mut().and_then(|m| m.get_mut(key))
    }

    /// The map at `path`, created (replacing any non-map value) when missing.
    pub fn ensure_map(&mut self, path: &[&str]) -> &mut Mapping {
        let mut node = self;
        for key in path {
            if node.as_map().is_none() {
                node.value = Value::Map(Mapping::new());
            }
            let Value::Map(m) = &mut node.value else {
                unreachable!("made a map above")
            };
            node = m.entry((*key).to_string()).or_insert_with(Node::map);
        }
        if node.as_map().is_none() {
            node.value = Value::Map(Mapping::new());
        }
        match &mut node.value {
            Value::Map(m) => m,
            _ => unreachable!("made a map above"),
        }
    }

    /// The list at `path`, created (replacing any non-list value) when missing.
    pub fn ensure_seq(&mut self, path: &[&str]) -> &mut Vec<Node> {
        let (last, parents) = path.split_last().expect("ensure_seq needs a path");
        let parent = self.ensure_map(parents);
        let node = parent
            .entry((*last).to_string())
            .or_insert_with(|| Node::seq(Vec::new()));
        if node.as_seq().is_none() {
            node.value = Value::Seq(Vec::new());
        }
        match &mut node.value {
            Value::Seq(s) => s,
            _ => unreachable!("made a list above"),
        }
    }

    /// Sets `path` (creating maps on the way) to `value`.
    pub fn set_path(&mut self, path: &[&str], value: Node) {
        let (last, parents) = path.split_last().expect("set_path needs a path");
        self.ensure_map(parents).insert((*last).to_string(), value);
    }

    /// Removes the key at `path`, if there.
    pub fn remove_path(&mut self, path: &[&str]) -> Option<Node> {
        let (last, parents) = path.split_last()?;
        let mut node = self;
        for key in parents {
            node = node.get_mut(key)?;
        }
        node.as_map_mut()?.shift_remove(*last)
    }

    /// A short name of the node's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
        }
    }

    /// The scalar as text (what a template or a label would show).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Null => Some(String::new()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(crate::yaml::print::float_text(*f)),
            Value::String(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// Converts to JSON (used to hand objects to k8s-openapi and to tera).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.clone()),
            Value::Seq(s) => J::Array(s.iter().map(Node::to_json).collect()),
            Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }
}

impl From<&str> for Node {
    fn from(s: &str) -> Self {
        Node::string(s)
    }
}

impl From<String> for Node {
    fn from(s: String) -> Self {
        Node::string(s)
    }
}
