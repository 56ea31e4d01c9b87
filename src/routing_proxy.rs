//! The llm-d routing proxy: a restartable init container (sidecar) in
//! decode pods that listens on the service port and forwards to vLLM.

use crate::yaml::{Node, Value, parse::plain_scalar};

/// Where the proxy listens when nothing says otherwise.
pub const DEFAULT_PORT: i64 = 8000;
/// Where vLLM listens behind the proxy when nothing says otherwise.
pub const DEFAULT_VLLM_PORT: i64 = 8200;
pub const DEFAULT_CONNECTOR: &str = "nixlv2";
pub const CONTAINER_NAME: &str = "routing-proxy";

#[derive(Clone, Debug, PartialEq)]
pub struct RoutingProxy {
    pub image: String,
    pub image_pull_policy: String,
    /// The port it listens on (the service port), as written.
    pub port: String,
    /// vLLM's port behind it, as written.
    pub vllm_port: String,
    pub connector: String,
    /// Further `--flag=value` arguments, in order.
    pub flags: Vec<(String, String)>,
    pub env: Vec<Node>,
}

impl RoutingProxy {
    /// The init container.
    pub fn container(&self) -> Node {
        let mut args = vec![
            Node::string(format!("--port={}", self.port)),
            Node::string(format!("--vllm-port={}", self.vllm_port)),
            Node::string(format!("--connector={}", self.connector)),
        ];
        args.extend(
            self.flags
                .iter()
                .map(|(f, v)| Node::string(format!("--{f}={v}"))),
        );
        let port = Node::synth(
            plain_scalar(&self.port).unwrap_or_else(|| Value::String(self.port.clone())),
        );
        let mut c = Node::from_pairs([
            ("name", Node::string(CONTAINER_NAME)),
            ("args", Node::seq(args)),
            ("image", Node::string(&self.image)),
            ("imagePullPolicy", Node::string(&self.image_pull_policy)),
        ]);
        if let Some(m) = c.as_map_mut() {
            if !self.env.is_empty() {
                m.insert("env".into(), Node::seq(self.env.clone()));
            }
            m.insert(
                "ports".into(),
                Node::seq(vec![Node::from_pairs([("containerPort", port)])]),
            );
            m.insert("resources".into(), Node::map());
            m.insert("restartPolicy".into(), Node::string("Always"));
            m.insert(
                "securityContext".into(),
                Node::from_pairs([
                    ("allowPrivilegeEscalation", Node::bool(false)),
                    ("runAsNonRoot", Node::bool(true)),
                ]),
            );
        }
        c
    }
}
