//! Kubernetes objects as msvc builds them: plain [`Node`] trees with
//! `apiVersion`, `kind` and `metadata`, grouped per ModelService (or chart
//! release) into a [`Manifest`].

use crate::yaml::Node;

/// The objects rendered for one ModelService or one chart release, in
/// apply order.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// The ModelService name (or the chart release name): the `-o` subdirectory.
    pub name: String,
    pub objects: Vec<Node>,
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
