//! Services for prefill, decode and the endpoint picker.

use super::{Labels, add_labels, add_metadata_labels, identify, strip_server_fields};
use crate::yaml::Node;

/// The Service from its BaseConfig template, named and selecting `selector`
/// (added to any selector the base has).
pub fn service(
    base: Node,
    name: &str,
    namespace: &str,
    metadata_labels: &Labels,
    selector: &Labels,
) -> Node {
    let mut obj = base;
    strip_server_fields(&mut obj);
    identify(&mut obj, "v1", "Service", name, Some(namespace));
    add_metadata_labels(&mut obj, metadata_labels);
    add_labels(&mut obj, &["spec", "selector"], selector);
    obj
}
