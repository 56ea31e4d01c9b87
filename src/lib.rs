//! msvc: render llm-d ModelServices and BaseConfigs into Kubernetes objects.

pub mod artifacts;
pub mod decode;
pub mod error;
pub mod merge;
pub mod modelservice;
pub mod naming;
pub mod objects;
pub mod template;
pub mod yaml;
pub mod values;
