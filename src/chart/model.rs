//! `modelArtifacts.uri`: the `model-storage` volume, its mount, the Hugging
//! Face env and the model argument, by scheme (`hf://`, `pvc://`,
//! `pvc+hf://`, `oci://`).
//!
//! `oci://`: the chart mounts the image volume but refuses to build the
//! model argument. msvc passes the mount path (`modelArtifacts.mountPath`),
//! where the image's files appear, so vLLM loads the model from there.

use crate::error::Diagnostic;
use crate::yaml::Node;

use super::tpl::{Scope, render_text};
use super::{Chart, go_text, printed, reread, truthy, values_error};

/// Where the chart points `HF_HUB_CACHE` for `pvc+hf://` (fixed in the chart).
const HF_CACHE_ROOT: &str = "/model-cache";

pub(crate) struct ModelUri {
    /// Before the first `://`.
    pub protocol: String,
    /// After the last `://`.
    pub rest: String,
}

impl ModelUri {
    pub fn of(chart: &Chart) -> Self {
        let raw = chart
            .get(&["modelArtifacts", "uri"])
            .map(go_text)
            .unwrap_or_default();
        let mut parts = raw.split("://");
        let protocol = parts.next().unwrap_or("").to_string();
        let rest = raw.split("://").last().unwrap_or("").to_string();
        ModelUri { protocol, rest }
    }

    fn is_pvc(&self) -> bool {
        self.protocol.starts_with("pvc")
    }

    /// The `model-storage` volume, when the scheme has one.
    pub fn volume(&self, chart: &Chart) -> Option<Node> {
        let art = |k: &str| chart.get(&["modelArtifacts", k]);
        let source = if self.protocol == "hf" {
            let size = art("size")
                .filter(|n| truthy(Some(n)))
                .map_or_else(|| reread("0"), printed);
            ("emptyDir", Node::from_pairs([("sizeLimit", size)]))
        } else if self.is_pvc() {
            let claim = self.rest.split('/').next().unwrap_or("");
            let read_only = art("readOnly").map_or_else(Node::null, printed);
            (
                "persistentVolumeClaim",
                Node::from_pairs([("claimName", reread(claim)), ("readOnly", read_only)]),
            )
        } else if self.protocol == "oci" {
            let policy = art("imagePullPolicy")
                .filter(|n| truthy(Some(n)))
                .map_or_else(|| Node::string("Always"), printed);
            (
                "image",
                Node::from_pairs([("reference", reread(&self.rest)), ("pullPolicy", policy)]),
            )
        } else {
            return None;
        };
        Some(Node::from_pairs([
            ("name", Node::string("model-storage")),
            source,
        ]))
    }

    /// The container's mount of `model-storage`.
    pub fn mount(&self, chart: &Chart) -> Node {
        let mount_path = chart
            .get(&["modelArtifacts", "mountPath"])
            .map_or_else(Node::null, printed);
        let mut m = Node::from_pairs([
            ("name", Node::string("model-storage")),
            ("mountPath", mount_path),
        ]);
        let read_only = if self.protocol == "oci" {
            Some(Node::bool(true))
        } else if self.is_pvc() {
            chart.get(&["modelArtifacts", "readOnly"]).map(printed)
        } else {
            None
        };
        if let (Some(ro), Some(map)) = (read_only, m.as_map_mut()) {
            map.insert("readOnly".into(), ro);
        }
        m
    }

    fn pvc_hf_parts(&self, chart: &Chart) -> Result<Vec<&str>, Diagnostic> {
        let parts: Vec<&str> = self.rest.split('/').collect();
        if parts.len() < 3 {
            return Err(values_error(
                chart.get(&["modelArtifacts", "uri"]),
                "modelArtifacts.uri",
                format!(
                    "`pvc+hf://{}` needs a claim, a cache path and a model id",
                    self.rest
                ),
                "write pvc+hf://CLAIM/CACHE_PATH/NAMESPACE/MODEL",
            ));
        }
        Ok(parts)
    }

    /// `HF_HOME` / `HF_HUB_CACHE` for a container that mounts the model,
    /// then `HF_TOKEN` when `authSecretName` is set.
    pub fn env(&self, chart: &Chart, mounts_model: bool) -> Result<Vec<Node>, Diagnostic> {
        let mut env = Vec::new();
        let var = |name: &str, value: Node| {
            Node::from_pairs([("name", Node::string(name)), ("value", value)])
        };
        if self.protocol == "hf" && mounts_model {
            let mount_path = chart
                .get(&["modelArtifacts", "mountPath"])
                .map_or_else(Node::null, printed);
            env.push(var("HF_HOME", mount_path));
        }
        if self.protocol == "pvc+hf" {
            let parts = self.pvc_hf_parts(chart)?;
            if mounts_model {
                let cache = parts[1..parts.len() - 2].join("/");
                env.push(var(
                    "HF_HUB_CACHE",
                    reread(&format!("{HF_CACHE_ROOT}/{cache}")),
                ));
            }
        }
        if let Some(secret) = chart
            .get(&["modelArtifacts", "authSecretName"])
            .filter(|n| truthy(Some(n)))
        {
            env.push(Node::from_pairs([
                ("name", Node::string("HF_TOKEN")),
                (
                    "valueFrom",
                    Node::from_pairs([(
                        "secretKeyRef",
                        Node::from_pairs([
                            ("name", printed(secret)),
                            ("key", Node::string("HF_TOKEN")),
                        ]),
                    )]),
                ),
            ]));
        }
        Ok(env)
    }

    /// The model argument for `vllm serve` (no `--model` flag here).
    pub fn model_arg(&self, chart: &Chart, scope: Scope) -> Result<Option<Node>, Diagnostic> {
        let mount_path = || {
            chart
                .get(&["modelArtifacts", "mountPath"])
                .map(go_text)
                .unwrap_or_default()
        };
        Ok(Some(match self.protocol.as_str() {
            "hf" => {
                let span = chart
                    .get(&["modelArtifacts", "uri"])
                    .map(|n| n.span.clone())
                    .unwrap_or_default();
                reread(&render_text(
                    chart,
                    &self.rest,
                    "modelArtifacts.uri",
                    &span,
                    scope,
                )?)
            }
            "pvc" => {
                let path = self
                    .rest
                    .split_once('/')
                    .map_or(self.rest.as_str(), |(_, p)| p);
                reread(&format!("{}/{path}", mount_path()))
            }
            "pvc+hf" => {
                let parts = self.pvc_hf_parts(chart)?;
                reread(&format!(
                    "{}/{}",
                    parts[parts.len() - 2],
                    parts[parts.len() - 1]
                ))
            }
            "oci" => reread(&mount_path()),
            _ => return Ok(None),
        }))
    }
}
