//! kubectl ApplySets (KEP-3659): labels that let `kubectl apply --prune
//! --applyset=...` delete the objects of a ModelService that was removed or
//! shrank, and nothing else.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::{Diagnostic, Span, Stage};

/// The label every member carries: the ApplySet's ID.
pub const PART_OF: &str = "applyset.kubernetes.io/part-of";

/// An ApplySet parent: `[KIND/]NAME` as `kubectl --applyset` takes it
/// (kind `secret` by default, or `configmaps`), in `namespace`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplySet {
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

impl ApplySet {
    /// Parses kubectl's `--applyset` value.
    pub fn parse(spec: &str, namespace: &str) -> Result<Self, Diagnostic> {
        let (kind, name) = match spec.split_once('/') {
            None => ("Secret", spec),
            Some(("secret" | "secrets" | "Secret", n)) => ("Secret", n),
            Some(("configmap" | "configmaps" | "ConfigMap", n)) => ("ConfigMap", n),
            Some((other, _)) => {
                return Err(Diagnostic::new(
                    Stage::Resolve,
                    Span::none(),
                    format!("--applyset kind `{other}` is not supported"),
                )
                .with_help("use NAME, secret/NAME or configmaps/NAME, as kubectl does"));
            }
        };
        let valid = !name.is_empty()
            && name.len() <= 253
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        if !valid {
            return Err(Diagnostic::new(
                Stage::Resolve,
                Span::none(),
                format!("--applyset name `{name}` is not a valid object name"),
            )
            .with_help("use lower-case letters, digits, `-` and `.`"));
        }
        Ok(ApplySet {
            kind: kind.to_string(),
            name: name.to_string(),
            namespace: namespace.to_string(),
        })
    }

    /// The ID kubectl computes for this parent:
    /// `applyset-<base64url(sha256(name.namespace.kind.group))>-v1`.
    pub fn id(&self) -> String {
        // Secret and ConfigMap are in the core group ("").
        let unencoded = format!("{}.{}.{}.", self.name, self.namespace, self.kind);
        let hash = Sha256::digest(unencoded.as_bytes());
        format!(
            "applyset-{}-v1",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hash)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_kubectls() {
        let set = ApplySet::parse("models", "llm-d").unwrap();
        let unencoded = "models.llm-d.Secret.";
        let want = format!(
            "applyset-{}-v1",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(unencoded))
        );
        assert_eq!(set.id(), want);
        assert_eq!(set.id().len(), "applyset-".len() + 43 + "-v1".len());
        assert!(set.id().len() <= 63, "a label value");
        assert_eq!(
            ApplySet::parse("configmaps/x", "ns").unwrap().kind,
            "ConfigMap"
        );
        assert!(ApplySet::parse("deployments/x", "ns").is_err());
        assert!(ApplySet::parse("Bad_Name", "ns").is_err());
    }
}
