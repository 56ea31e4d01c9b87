//! serde's view of a [`Node`], for typed checks (k8s-openapi).
//!
//! Reading the tree directly, rather than through a JSON copy, also tells
//! which fields a type ignored: derived `Deserialize` impls skip a field
//! they do not know with `deserialize_ignored_any`, and that call is where
//! an unknown field is seen.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use super::{Node, Value};
use crate::error::Span;

/// Deserializes `node` as `T`. On success, the fields `T` ignored, in
/// document order.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<(T, Vec<Ignored>), Error> {
    let state = State::default();
    let value = T::deserialize(NodeDe {
        node,
        state: &state,
    })?;
    Ok((value, state.ignored.into_inner()))
}

/// What is wrong with a NaN or infinity in an object.
pub(crate) fn non_finite_message(node: &Node) -> String {
    format!(
        "`{}` is not a number Kubernetes can store (JSON has no NaN or infinity)",
        super::print::to_string(node).trim_end()
    )
}

/// A field the type does not have.
#[derive(Clone, Debug)]
pub struct Ignored {
    pub path: Path,
    /// Where its key stands.
    pub span: Span,
    /// Its value is null: nothing a reader would miss.
    pub null: bool,
}

/// A place in a tree: keys and list indexes from the top.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Path(pub Vec<PathSegment>);

#[derive(Clone, Debug, PartialEq)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

impl fmt::Display for Path {
    /// `spec.template.spec.containers[0].ports`; empty at the top.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, seg) in self.0.iter().enumerate() {
            match seg {
                PathSegment::Key(k) if n == 0 => f.write_str(k)?,
                PathSegment::Key(k) => write!(f, ".{k}")?,
                PathSegment::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

impl Path {
    /// The node at this path below `root`.
    pub fn get<'a>(&self, root: &'a Node) -> Option<&'a Node> {
        self.0.iter().try_fold(root, |node, seg| match seg {
            PathSegment::Key(k) => node.get(k),
            PathSegment::Index(i) => node.as_seq()?.get(*i),
        })
    }

    /// Removes the map entry this path ends at, if there is one.
    pub fn remove(&self, root: &mut Node) {
        let Some((PathSegment::Key(last), parents)) = self.0.split_last() else {
            return;
        };
        let mut node = root;
        for seg in parents {
            let next = match seg {
                PathSegment::Key(k) => node.get_mut(k),
                PathSegment::Index(i) => node.as_seq_mut().and_then(|s| s.get_mut(*i)),
            };
            let Some(n) = next else { return };
            node = n;
        }
        if let Some(m) = node.as_map_mut() {
            m.shift_remove(last);
        }
    }
}

/// A type mismatch, with the path of the value it is about.
#[derive(Debug)]
pub struct Error {
    pub message: String,
    pub path: Path,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error {
            message: msg.to_string(),
            path: Path::default(),
        }
    }

    /// YAML's word for a missing value, as serde_json says it.
    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        match unexp {
            de::Unexpected::Unit => {
                Self::custom(format_args!("invalid type: null, expected {exp}"))
            }
            _ => Self::custom(format_args!("invalid type: {unexp}, expected {exp}")),
        }
    }
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

#[derive(Default)]
struct State<'a> {
    path: RefCell<Vec<Segment<'a>>>,
    ignored: RefCell<Vec<Ignored>>,
    /// Set once an error has its path, so outer levels leave it alone.
    located: Cell<bool>,
}

impl<'a> State<'a> {
    fn path(&self) -> Path {
        Path(
            self.path
                .borrow()
                .iter()
                .map(|seg| match seg {
                    Segment::Key(k) => PathSegment::Key(k.to_string()),
                    Segment::Index(i) => PathSegment::Index(*i),
                })
                .collect(),
        )
    }

    /// Runs `f` one level down at `seg`; an error from below gets the
    /// deepest path.
    fn descend<T>(
        &self,
        seg: Segment<'a>,
        f: impl FnOnce() -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.path.borrow_mut().push(seg);
        let result = f().map_err(|mut e| {
            if !self.located.replace(true) {
                e.path = self.path();
            }
            e
        });
        self.path.borrow_mut().pop();
        result
    }
}

#[derive(Clone, Copy)]
struct NodeDe<'a, 's> {
    node: &'a Node,
    state: &'s State<'a>,
}

impl<'de, 's> de::Deserializer<'de> for NodeDe<'de, 's> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            // JSON, and so the API server, has no NaN or infinity.
            Value::Float(f) if !f.is_finite() => {
                Err(de::Error::custom(non_finite_message(self.node)))
            }
            Value::Float(f) => visitor.visit_f64(*f),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Seq(items) => visitor.visit_seq(SeqDe {
                items: items.iter().enumerate(),
                state: self.state,
            }),
            Value::Map(map) => visitor.visit_map(MapDe {
                entries: map.iter(),
                value: None,
                state: self.state,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let ignored = Ignored {
            path: self.state.path(),
            span: self.node.field_span().clone(),
            null: self.node.is_null(),
        };
        self.state.ignored.borrow_mut().push(ignored);
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            _ => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

struct SeqDe<'a, 's> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Node>>,
    state: &'s State<'a>,
}

impl<'de, 's> de::SeqAccess<'de> for SeqDe<'de, 's> {
    type Error = Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some((i, node)) = self.items.next() else {
            return Ok(None);
        };
        let state = self.state;
        state
            .descend(Segment::Index(i), || {
                seed.deserialize(NodeDe { node, state })
            })
            .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'a, 's> {
    entries: indexmap::map::Iter<'a, String, Node>,
    value: Option<(&'a str, &'a Node)>,
    state: &'s State<'a>,
}

impl<'de, 's> de::MapAccess<'de> for MapDe<'de, 's> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, node)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some((key, node));
        let key: de::value::BorrowedStrDeserializer<'de, Error> =
            de::value::BorrowedStrDeserializer::new(key);
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, node)) = self.value.take() else {
            return Err(de::Error::custom(
                "a map value was asked for before its key",
            ));
        };
        let state = self.state;
        state.descend(Segment::Key(key), || {
            seed.deserialize(NodeDe { node, state })
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Origin, parse_one};

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Port {
        name: Option<String>,
        container_port: i32,
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Spec {
        ports: Vec<Port>,
        tag: Option<String>,
    }

    fn node(text: &str) -> Node {
        parse_one(text, &Origin::file("t.yaml")).unwrap()
    }

    #[test]
    fn reads_typed_values_and_reports_ignored_fields_with_their_place() {
        let n = node(
            "ports:\n  - name: http\n    containerPort: 80\n    bogus: 1\n    nothing: null\nextra: x\n",
        );
        let (spec, ignored) = from_node::<Spec>(&n).unwrap();
        assert_eq!(
            spec,
            Spec {
                ports: vec![Port {
                    name: Some("http".into()),
                    container_port: 80
                }],
                tag: None,
            }
        );
        let found: Vec<(String, u32, bool)> = ignored
            .iter()
            .map(|i| (i.path.to_string(), i.span.line, i.null))
            .collect();
        assert_eq!(
            found,
            [
                ("ports[0].bogus".to_string(), 4, false),
                ("ports[0].nothing".to_string(), 5, true),
                ("extra".to_string(), 6, false)
            ]
        );
    }

    #[test]
    fn errors_carry_the_deepest_path() {
        let n = node("ports:\n  - containerPort: 80\n  - containerPort: eighty\n");
        let e = from_node::<Spec>(&n).unwrap_err();
        assert_eq!(e.path.to_string(), "ports[1].containerPort");
        assert!(e.message.contains("expected i32"), "{}", e.message);
        let e = from_node::<Spec>(&node("ports:\n  - containerPort: 99999999999\n")).unwrap_err();
        assert_eq!(e.path.to_string(), "ports[0].containerPort");
    }

    #[test]
    fn null_is_called_null_and_nan_is_refused() {
        let e = from_node::<Spec>(&node("ports:\n  - containerPort: null\n")).unwrap_err();
        assert_eq!(e.message, "invalid type: null, expected i32");
        let e = from_node::<Spec>(&node("ports: []\ntag: .inf\n")).unwrap_err();
        assert_eq!(e.path.to_string(), "tag");
        assert!(
            e.message.contains("`.inf` is not a number"),
            "{}",
            e.message
        );
    }

    #[test]
    fn paths_keep_keys_with_dots_whole() {
        let mut n = node("ports: []\n\"a.b[0]\": 1\n");
        let (_, ignored) = from_node::<Spec>(&n).unwrap();
        assert_eq!(
            ignored[0].path,
            Path(vec![PathSegment::Key("a.b[0]".into())])
        );
        assert!(ignored[0].path.get(&n).is_some());
        ignored[0].path.remove(&mut n);
        assert!(n.get("a.b[0]").is_none());
    }
}
