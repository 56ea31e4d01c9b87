//! msvc: render llm-d ModelServices and BaseConfigs into Kubernetes objects.

pub mod error;
pub mod objects;
pub mod template;
pub mod yaml;
