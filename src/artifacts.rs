//! Model artifacts: what a `hf://`, `pvc://` or `oci://` URI means for the
//! pod (the `model-storage` volume) and for containers that mount it.

use crate::error::{Diagnostic, Span, Stage};
use crate::yaml::Node;

pub const VOLUME_NAME: &str = "model-storage";
pub const MOUNT_PATH: &str = "/model-cache";

/// The accepted URI forms, as the help of every URI error.
pub const FORMS: &str =
    "expected hf://<repo>/<model>, pvc://<claim>/<path> or oci://<image>[:<tag>]";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelUri {
    /// `hf://repo/model`
    HuggingFace { repo: String, model: String },
    /// `pvc://claim/path...`; `path` as written after the claim's `/`
    /// (empty for the claim's root), as the controller took it.
    Pvc { claim: String, path: String },
    /// `oci://image:tag`
    Oci { reference: String },
}

/// An image reference as the container runtime reads it:
/// `[host[:port]/]path[:tag][@algorithm:digest]`, each path component
/// non-empty.
fn check_image_reference(r: &str) -> Result<(), &'static str> {
    if r.is_empty() {
        return Err("nothing after oci://");
    }
    if r.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it holds a space or control character");
    }
    let (name, digest) = match r.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (r, None),
    };
    if let Some(d) = digest {
        let ok = d.split_once(':').is_some_and(|(alg, hex)| {
            !alg.is_empty() && !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit())
        });
        if !ok {
            return Err("the digest after `@` is not `algorithm:hex`");
        }
    }
    // A tag follows the last `:` after the last `/` (an earlier `:` is a
    // registry port).
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match name[last_slash..].rfind(':') {
        Some(i) => (&name[..last_slash + i], Some(&name[last_slash + i + 1..])),
        None => (name, None),
    };
    if let Some(t) = tag {
        let ok = !t.is_empty()
            && t.len() <= 128
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
            && !t.starts_with(['.', '-']);
        if !ok {
            return Err(
                "the tag after `:` is empty or holds characters other than letters, digits, `_`, `.` and `-`",
            );
        }
    }
    if path.is_empty() || path.split('/').any(str::is_empty) {
        return Err("the image name is empty or has an empty `/` part");
    }
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '/');
    if !path.chars().all(valid) {
        return Err(
            "the image name holds characters other than letters, digits, `.`, `_`, `-`, `:` and `/`",
        );
    }
    Ok(())
}

impl ModelUri {
    pub fn parse(uri: &str, span: &Span) -> Result<Self, Diagnostic> {
        let bad = |why: &str| {
            Diagnostic::new(
                Stage::Decode,
                span.clone(),
                format!("model URI `{uri}` {why}"),
            )
            .with_path("spec.modelArtifacts.uri")
            .with_help(FORMS)
        };
        let Some((scheme, rest)) = uri.split_once("://") else {
            return Err(bad("has no scheme"));
        };
        let valid_segment = |s: &str| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        };
        match scheme {
            "hf" => {
                let parts: Vec<&str> = rest.split('/').collect();
                match parts.as_slice() {
                    [repo, model] if valid_segment(repo) && valid_segment(model) => {
                        Ok(ModelUri::HuggingFace {
                            repo: (*repo).to_string(),
                            model: (*model).to_string(),
                        })
                    }
                    _ => Err(bad("must name exactly <repo>/<model>")),
                }
            }
            "pvc" => {
                let Some((claim, path)) = rest.split_once('/') else {
                    return Err(bad(
                        "needs a path after the claim name (`/` alone for the claim's root)",
                    ));
                };
                let claim_ok = !claim.is_empty()
                    && claim.len() <= 253
                    && claim.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'
                    })
                    && !claim.starts_with(['-', '.'])
                    && !claim.ends_with(['-', '.']);
                if !claim_ok {
                    return Err(bad(
                        "has an invalid claim name (lower-case letters, digits, `-`, `.`)",
                    ));
                }
                // Any file name goes (`+`, `@`, ...), but not a way out of
                // the mount, nor what would change the meaning of the
                // templates and YAML the path is written into.
                if path.split('/').any(|s| s == "." || s == "..") {
                    return Err(bad("has a `.` or `..` part in its path"));
                }
                if let Some(c) = path
                    .chars()
                    .find(|c| c.is_control() || c.is_whitespace() || "\"'\\`{}#".contains(*c))
                {
                    return Err(bad(&format!(
                        "holds the character {c:?} in its path (spaces, quotes, `\\`, `` ` ``, `{{`, `}}` and `#` are refused)"
                    )));
                }
                Ok(ModelUri::Pvc {
                    claim: claim.to_string(),
                    path: path.to_string(),
                })
            }
            "oci" => {
                if let Err(why) = check_image_reference(rest) {
                    return Err(bad(&format!("must name an image: {why}")));
                }
                Ok(ModelUri::Oci {
                    reference: rest.to_string(),
                })
            }
            other => Err(bad(&format!("has an unsupported scheme `{other}`"))),
        }
    }

    /// `HFModelName`: `repo/model` for Hugging Face, else empty.
    pub fn hf_model_name(&self) -> String {
        match self {
            ModelUri::HuggingFace { repo, model } => format!("{repo}/{model}"),
            _ => String::new(),
        }
    }

    /// `ModelPath`: `repo/model` (hf), the path in the claim (pvc), empty (oci).
    pub fn model_path(&self) -> String {
        match self {
            ModelUri::HuggingFace { .. } => self.hf_model_name(),
            ModelUri::Pvc { path, .. } => path.clone(),
            ModelUri::Oci { .. } => String::new(),
        }
    }

    /// `MountedModelPath`: where the model is inside the container, as the
    /// controller wrote it (`/model-cache/` for a claim's root).
    pub fn mounted_model_path(&self) -> String {
        match self {
            ModelUri::Pvc { path, .. } => format!("{MOUNT_PATH}/{path}"),
            _ => MOUNT_PATH.to_string(),
        }
    }

    fn read_only(&self) -> bool {
        !matches!(self, ModelUri::HuggingFace { .. })
    }

    /// The pod volume's source, keyed as in a Kubernetes `Volume`.
    pub fn volume_source(&self, size: Option<&Node>) -> (&'static str, Node) {
        match self {
            ModelUri::HuggingFace { .. } => {
                let mut dir = Node::map();
                if let Some(size) = size {
                    dir.set_path(&["sizeLimit"], size.clone());
                }
                ("emptyDir", dir)
            }
            ModelUri::Pvc { claim, .. } => (
                "persistentVolumeClaim",
                Node::from_pairs([
                    ("claimName", Node::string(claim.clone())),
                    ("readOnly", Node::bool(true)),
                ]),
            ),
            ModelUri::Oci { reference } => (
                "image",
                Node::from_pairs([
                    ("reference", Node::string(reference.clone())),
                    ("pullPolicy", Node::string("IfNotPresent")),
                ]),
            ),
        }
    }

    /// Merges the `model-storage` volume into a pod spec's `volumes`: the
    /// URI decides the source; a base `emptyDir.sizeLimit` stays unless the
    /// ModelService sets `size`.
    pub fn apply_volume(&self, volumes: &mut Vec<Node>, size: Option<&Node>) {
        let (kind, mut source) = self.volume_source(size);
        let existing = volumes
            .iter()
            .position(|v| v.get("name").and_then(Node::as_str) == Some(VOLUME_NAME));
        if let Some(i) = existing {
            if kind == "emptyDir"
                && size.is_none()
                && let Some(limit) = volumes[i].get_path(&["emptyDir", "sizeLimit"])
            {
                source.set_path(&["sizeLimit"], limit.clone());
            }
            volumes[i] = Node::from_pairs([("name", Node::string(VOLUME_NAME)), (kind, source)]);
        } else {
            volumes.push(Node::from_pairs([
                ("name", Node::string(VOLUME_NAME)),
                (kind, source),
            ]));
        }
    }

    /// Mount and env for a container with `mountModelVolume: true`.
    /// `HF_HOME` and `HF_TOKEN` replace the BaseConfig's entries of those
    /// names (as the controller's did: a model cached outside the mounted
    /// volume fills the node's disk), unless the ModelService's container
    /// sets them itself (`own_env`, the names it sets).
    pub fn apply_to_container(
        &self,
        container: &mut Node,
        auth_secret: Option<&str>,
        own_env: &[&str],
    ) {
        let mut mount = Node::from_pairs([
            ("name", Node::string(VOLUME_NAME)),
            ("mountPath", Node::string(MOUNT_PATH)),
        ]);
        if self.read_only() {
            mount.set_path(&["readOnly"], Node::bool(true));
        }
        let mounts = container.ensure_seq(&["volumeMounts"]);
        mounts.retain(|m| m.get("mountPath").and_then(Node::as_str) != Some(MOUNT_PATH));
        mounts.push(mount);

        if let ModelUri::HuggingFace { .. } = self {
            let mut extra = vec![Node::from_pairs([
                ("name", Node::string("HF_HOME")),
                ("value", Node::string(MOUNT_PATH)),
            ])];
            if let Some(secret) = auth_secret {
                extra.push(Node::from_pairs([
                    ("name", Node::string("HF_TOKEN")),
                    (
                        "valueFrom",
                        Node::from_pairs([(
                            "secretKeyRef",
                            Node::from_pairs([
                                ("name", Node::string(secret)),
                                ("key", Node::string("HF_TOKEN")),
                            ]),
                        )]),
                    ),
                ]));
            }
            let env = container.ensure_seq(&["env"]);
            for e in extra {
                let name = e.get("name").and_then(Node::as_str).unwrap_or("");
                if own_env.contains(&name) {
                    continue;
                }
                match env
                    .iter_mut()
                    .find(|x| x.get("name").and_then(Node::as_str) == Some(name))
                {
                    Some(base) => *base = e,
                    None => env.push(e),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(uri: &str) -> Result<ModelUri, Diagnostic> {
        ModelUri::parse(uri, &Span::none())
    }

    #[test]
    fn accepted_forms_and_variables() {
        let hf = parse("hf://meta-llama/Llama-2-7b-hf").unwrap();
        assert_eq!(hf.hf_model_name(), "meta-llama/Llama-2-7b-hf");
        assert_eq!(hf.mounted_model_path(), "/model-cache");
        let pvc = parse("pvc://llama2-70b-pvc/models/llama2-70b").unwrap();
        assert_eq!(pvc.model_path(), "models/llama2-70b");
        assert_eq!(pvc.mounted_model_path(), "/model-cache/models/llama2-70b");
        assert_eq!(pvc.hf_model_name(), "");
        // The claim's root, and file names with `+` and `@`, as the
        // controller took them.
        let root = parse("pvc://models/").unwrap();
        assert_eq!(root.model_path(), "");
        assert_eq!(root.mounted_model_path(), "/model-cache/");
        let odd = parse("pvc://models/org/Llama+3.1@v2/").unwrap();
        assert_eq!(odd.model_path(), "org/Llama+3.1@v2/");
        assert_eq!(odd.mounted_model_path(), "/model-cache/org/Llama+3.1@v2/");
        let oci = parse("oci://registry.example/models/llama:v1").unwrap();
        assert_eq!(oci.mounted_model_path(), "/model-cache");
        for ok in [
            "oci://llama",
            "oci://localhost:5000/models/llama",
            "oci://ghcr.io/org/model:v1.0-rc_1",
            "oci://ghcr.io/org/model@sha256:0123abcd",
            "oci://ghcr.io/org/model:v1@sha256:0123abcd",
        ] {
            parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
    }

    #[test]
    fn malformed_uris_quote_the_uri_and_show_the_forms() {
        for bad in [
            "meta-llama/Llama",
            "s3://bucket/model",
            "hf://just-one",
            "hf://a/b/c",
            "hf:///b",
            "pvc://claim",
            "pvc:///path",
            "pvc://Claim/path",
            "pvc://claim/../etc",
            "pvc://claim/a/./b",
            "pvc://claim/my model",
            "pvc://claim/a\"b",
            "pvc://claim/{{x}}",
            "oci://",
            "oci://:latest",
            "oci://registry.example.com/",
            "oci://registry.example.com//model:v1",
            "oci://model:",
            "oci://model@sha256:",
            "oci://model name:v1",
            "hf://",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.message.contains(&format!("`{bad}`")), "{e}");
            assert!(
                e.help.as_deref().unwrap().contains("hf://<repo>/<model>"),
                "{e}"
            );
        }
    }
}
