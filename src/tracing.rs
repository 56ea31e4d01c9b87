//! OpenTelemetry tracing for vLLM and the routing proxy: the OTEL env
//! every traced container gets, and vLLM's own tracing flags.

use crate::yaml::Node;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tracing {
    /// OTLP gRPC endpoint.
    pub endpoint: String,
    pub sampler: String,
    pub sampler_arg: String,
    /// vLLM's `--collect-detailed-traces`.
    pub collect_detailed_traces: String,
}

fn env_var(name: &str, value: &str) -> Node {
    Node::from_pairs([("name", Node::string(name)), ("value", Node::string(value))])
}

impl Tracing {
    /// The OTEL env for a container reporting as `service`.
    pub fn env(&self, service: &str) -> Vec<Node> {
        vec![
            env_var("OTEL_SERVICE_NAME", service),
            env_var("OTEL_EXPORTER_OTLP_ENDPOINT", &self.endpoint),
            env_var("OTEL_TRACES_EXPORTER", "otlp"),
            env_var("OTEL_TRACES_SAMPLER", &self.sampler),
            env_var("OTEL_TRACES_SAMPLER_ARG", &self.sampler_arg),
        ]
    }

    /// `vllm serve` arguments that turn tracing on.
    pub fn vllm_args(&self) -> Vec<Node> {
        vec![
            Node::string("--otlp-traces-endpoint"),
            Node::string(&self.endpoint),
            Node::string("--collect-detailed-traces"),
            Node::string(&self.collect_detailed_traces),
        ]
    }
}
