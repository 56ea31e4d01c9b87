//! serde's view of a [`Node`], for typed checks (k8s-openapi).
//!
//! Reading the tree directly, rather than through a JSON copy, also tells
//! which fields a type ignored: derived `Deserialize` impls skip a field
//! they do not know with `deserialize_ignored_any`, and that call is where
//! an unknown field is seen.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use super::{Node, Value};
use crate::error::Span;

/// Deserializes `node` as `T`. On success, the fields `T` ignored (not
/// counting null ones), in document order, as `(path, span)`.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<(T, Vec<(String, Span)>), Error> {
    let state = State::default();
    let value = T::deserialize(NodeDe {
        node,
        state: &state,
    })?;
    Ok((value, state.ignored.into_inner()))
}

/// A type mismatch, with the path of the value it is about.
#[derive(Debug)]
pub struct Error {
    pub message: String,
    /// `spec.template.spec.containers[0].ports`; empty at the top.
    pub path: String,
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
            path: String::new(),
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
    ignored: RefCell<Vec<(String, Span)>>,
    /// Set once an error has its path, so outer levels leave it alone.
    located: RefCell<bool>,
}

impl<'a> State<'a> {
    fn path(&self) -> String {
        let mut out = String::new();
        for seg in self.path.borrow().iter() {
            match seg {
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
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
            if !*self.located.borrow() {
                e.path = self.path();
                *self.located.borrow_mut() = true;
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
        if !self.node.is_null() {
            self.state
                .ignored
                .borrow_mut()
                .push((self.state.path(), self.node.field_span().clone()));
        }
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
        let found: Vec<(&str, u32)> = ignored.iter().map(|(p, s)| (p.as_str(), s.line)).collect();
        assert_eq!(found, [("ports[0].bogus", 4), ("extra", 6)]);
    }

    #[test]
    fn errors_carry_the_deepest_path() {
        let n = node("ports:\n  - containerPort: 80\n  - containerPort: eighty\n");
        let e = from_node::<Spec>(&n).unwrap_err();
        assert_eq!(e.path, "ports[1].containerPort");
        assert!(e.message.contains("expected i32"), "{}", e.message);
        let e = from_node::<Spec>(&node("ports:\n  - containerPort: 99999999999\n")).unwrap_err();
        assert_eq!(e.path, "ports[0].containerPort");
    }
}
