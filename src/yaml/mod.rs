//! YAML: spanned nodes, a bounded parser and a deterministic printer.

pub mod de;
pub mod go_read;
pub mod node;
pub mod parse;
pub mod print;

pub use node::{Mapping, Node, Value};
pub use parse::{Origin, parse_documents, parse_documents_lenient, parse_one, parse_one_lenient};
