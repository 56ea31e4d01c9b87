//! Kubernetes objects as msvc builds them: plain [`Node`] trees with
//! `apiVersion`, `kind` and `metadata`, grouped per ModelService (or chart
//! release) into a [`Manifest`]. A file per kind of object.

pub mod autoscaling;
pub mod config_map;
pub mod dra;
pub mod http_route;
pub mod inference;
pub mod leader_worker_set;
pub mod monitor;
pub mod pod_monitor;
pub mod rbac;
pub mod schema;
pub mod service;
pub mod workload;

use crate::yaml::Node;

/// Label every object msvc renders carries in its metadata (never in a
/// selector: selectors are immutable in a cluster).
pub const MANAGED_BY: (&str, &str) = ("app.kubernetes.io/managed-by", "msvc");
pub const LABEL_SERVING: &str = "llm-d.ai/inferenceServing";
pub const LABEL_MODEL: &str = "llm-d.ai/model";
pub const LABEL_ROLE: &str = "llm-d.ai/role";
pub const LABEL_EPP: &str = "llm-d.ai/epp";
/// Ownership label: the ModelService an object was rendered for (metadata only).
pub const LABEL_MODEL_SERVICE: &str = "llm-d.ai/model-service";

/// The objects rendered for one ModelService or one chart release, in
/// apply order.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// The ModelService name (or the chart release name): the `-o` subdirectory.
    pub name: String,
    pub objects: Vec<Node>,
}

impl Manifest {
    /// The objects as they are written out.
    pub fn print(&self) -> PrintedManifest {
        PrintedManifest {
            name: self.name.clone(),
            objects: self
                .objects
                .iter()
                .map(|obj| PrintedObject {
                    key: ObjectKey::of(obj),
                    text: crate::yaml::print::to_string(obj),
                })
                .collect(),
        }
    }
}

/// A [`Manifest`] as text. Holding text instead of trees keeps a large
/// render's memory close to the size of its output.
#[derive(Clone, Debug)]
pub struct PrintedManifest {
    pub name: String,
    pub objects: Vec<PrintedObject>,
}

/// One object as it is written out.
#[derive(Clone, Debug)]
pub struct PrintedObject {
    pub key: ObjectKey,
    /// The YAML document, without the `---` line.
    pub text: String,
}

/// An object's identity: kind, namespace and name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    pub fn of(obj: &Node) -> Self {
        ObjectKey {
            kind: obj.kind().to_string(),
            namespace: obj.namespace().unwrap_or("").to_string(),
            name: obj.name().to_string(),
        }
    }
}

impl std::fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{} {}", self.kind, self.name)
        } else {
            write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// Read access to the identifying fields of an object node.
pub trait ObjectExt {
    fn api_version(&self) -> &str;
    fn kind(&self) -> &str;
    fn name(&self) -> &str;
    fn namespace(&self) -> Option<&str>;
}

impl ObjectExt for Node {
    fn api_version(&self) -> &str {
        self.get("apiVersion").and_then(Node::as_str).unwrap_or("")
    }
    fn kind(&self) -> &str {
        self.get("kind").and_then(Node::as_str).unwrap_or("")
    }
    fn name(&self) -> &str {
        self.get_path(&["metadata", "name"])
            .and_then(Node::as_str)
            .unwrap_or("")
    }
    fn namespace(&self) -> Option<&str> {
        self.get_path(&["metadata", "namespace"])
            .and_then(Node::as_str)
    }
}

/// Labels as ordered `(key, value)` pairs.
pub type Labels = Vec<(String, String)>;

/// Sets the type and identity of `obj`, keeping any other metadata, and
/// puts `apiVersion`, `kind`, `metadata` first.
pub fn identify(
    obj: &mut Node,
    api_version: &str,
    kind: &str,
    name: &str,
    namespace: Option<&str>,
) {
    let mut head = Node::from_pairs([
        ("apiVersion", Node::string(api_version)),
        ("kind", Node::string(kind)),
    ]);
    let mut meta = obj
        .remove_path(&["metadata"])
        .filter(|m| m.as_map().is_some())
        .unwrap_or_else(Node::map);
    let meta_map = meta.ensure_map(&[]);
    meta_map.shift_remove("name");
    meta_map.shift_remove("namespace");
    let mut ordered = Node::from_pairs([("name", Node::string(name))]);
    if let Some(ns) = namespace {
        ordered.set_path(&["namespace"], Node::string(ns));
    }
    if let (Some(o), Some(rest)) = (ordered.as_map_mut(), meta.as_map()) {
        for (k, v) in rest {
            o.insert(k.clone(), v.clone());
        }
    }
    head.set_path(&["metadata"], ordered);
    let body = std::mem::replace(obj, head);
    if let (Some(h), Some(b)) = (obj.as_map_mut(), body.as_map()) {
        for (k, v) in b {
            if k != "apiVersion" && k != "kind" {
                h.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Adds `labels` to the map at `path` (created when missing); msvc's win.
pub fn add_labels(obj: &mut Node, path: &[&str], labels: &Labels) {
    let map = obj.ensure_map(path);
    for (k, v) in labels {
        map.insert(k.clone(), Node::string(v.clone()));
    }
}

/// Metadata labels: `labels` plus msvc's ownership label.
pub fn add_metadata_labels(obj: &mut Node, labels: &Labels) {
    add_labels(obj, &["metadata", "labels"], labels);
    add_labels(
        obj,
        &["metadata", "labels"],
        &vec![(MANAGED_BY.0.to_string(), MANAGED_BY.1.to_string())],
    );
}

/// Drops what an offline render must not emit.
pub fn strip_server_fields(obj: &mut Node) {
    obj.remove_path(&["status"]);
    for k in [
        "ownerReferences",
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "managedFields",
    ] {
        obj.remove_path(&["metadata", k]);
    }
}

pub fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}
