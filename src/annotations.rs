//! Render settings a ModelService carries in its own annotations, for the
//! places that have no command line: the kustomize generator plugin and the
//! KRM function (`msvc krm`).
//!
//! ```yaml
//! metadata:
//!   annotations:
//!     msvc.llm-d.ai/preset: vllm-hf            # or a list: nvidia,vllm-hf
//!     msvc.llm-d.ai/baseconfig: base.yaml      # or a list; relative to the kustomization
//!     msvc.llm-d.ai/epp-cluster-role: pod-read
//!     msvc.llm-d.ai/pd-pull-secrets: ghcr,nvcr
//!     msvc.llm-d.ai/epp-pull-secrets: ghcr
//!     msvc.llm-d.ai/gie-api: v1alpha2
//!     msvc.llm-d.ai/scheduling-profile: pd     # or a .yaml file, or the config
//! ```
//!
//! Each is the `msvc render` flag of the same name. An unknown annotation
//! under `msvc.llm-d.ai/` is an error (a typo must not silently change
//! what is rendered).

use std::path::{Component, Path};

use crate::decode::suggest;
use crate::error::{Diagnostic, Span, Stage};
use crate::load::Source;
use crate::objects::inference::GieApi;
use crate::render::RenderOptions;
use crate::yaml::Node;

/// The prefix of msvc's annotations.
pub const PREFIX: &str = "msvc.llm-d.ai/";
pub const PRESET: &str = "msvc.llm-d.ai/preset";
pub const BASECONFIG: &str = "msvc.llm-d.ai/baseconfig";
pub const EPP_CLUSTER_ROLE: &str = "msvc.llm-d.ai/epp-cluster-role";
pub const PD_PULL_SECRETS: &str = "msvc.llm-d.ai/pd-pull-secrets";
pub const EPP_PULL_SECRETS: &str = "msvc.llm-d.ai/epp-pull-secrets";
pub const GIE_API: &str = "msvc.llm-d.ai/gie-api";
/// The EPP's scheduling profile ([`crate::epp_config`]), read at decode by
/// [`scheduling_profile`]: it belongs to the ModelService, not to a run.
pub const SCHEDULING_PROFILE: &str = crate::epp_config::ANNOTATION;

const KNOWN: &[&str] = &[
    PRESET,
    BASECONFIG,
    EPP_CLUSTER_ROLE,
    PD_PULL_SECRETS,
    EPP_PULL_SECRETS,
    GIE_API,
    SCHEDULING_PROFILE,
];

/// The settings of one ModelService. Two ModelServices with equal settings
/// render together (and are checked against each other for conflicts).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// `--preset`, in layering order.
    pub presets: Vec<String>,
    /// `-b` files, relative to the kustomization's directory.
    pub base_files: Vec<String>,
    pub epp_cluster_role: Option<String>,
    pub pd_pull_secrets: Vec<String>,
    pub epp_pull_secrets: Vec<String>,
    pub gie_api: Option<GieApi>,
}

impl Settings {
    /// Reads the `msvc.llm-d.ai/*` annotations of an object.
    pub fn from_object(obj: &Node) -> Result<Self, Diagnostic> {
        let mut s = Settings::default();
        let Some(annotations) = obj
            .get_path(&["metadata", "annotations"])
            .and_then(Node::as_map)
        else {
            return Ok(s);
        };
        for (key, value) in annotations {
            if !key.starts_with(PREFIX) {
                continue;
            }
            let path = format!("metadata.annotations.{key}");
            let text = value.scalar_text().ok_or_else(|| {
                Diagnostic::new(
                    Stage::Decode,
                    value.span.clone(),
                    format!("annotation `{key}` is {}", value.type_name()),
                )
                .with_path(path.clone())
                .with_help("annotation values are strings")
            })?;
            match key.as_str() {
                PRESET => s.presets = list(&text),
                BASECONFIG => s.base_files = list(&text),
                EPP_CLUSTER_ROLE => {
                    s.epp_cluster_role = Some(text.trim().to_string()).filter(|t| !t.is_empty())
                }
                PD_PULL_SECRETS => s.pd_pull_secrets = list(&text),
                SCHEDULING_PROFILE => {}
                EPP_PULL_SECRETS => s.epp_pull_secrets = list(&text),
                GIE_API => {
                    s.gie_api = Some(match text.trim() {
                        "v1" => GieApi::V1,
                        "v1alpha2" => GieApi::V1Alpha2,
                        other => {
                            return Err(Diagnostic::new(
                                Stage::Decode,
                                value.span.clone(),
                                format!("annotation `{key}` is `{other}`"),
                            )
                            .with_path(path)
                            .with_help("expected v1 or v1alpha2"));
                        }
                    })
                }
                _ => {
                    let d = Diagnostic::new(
                        Stage::Decode,
                        value.span.clone(),
                        format!("unknown annotation `{key}`"),
                    )
                    .with_path(path);
                    return Err(match suggest(key, KNOWN) {
                        Some(k) => d.with_help(format!("did you mean `{k}`?")),
                        None => d.with_help(format!("msvc reads {}", KNOWN.join(", "))),
                    });
                }
            }
        }
        if !s.presets.is_empty() && !s.base_files.is_empty() {
            let at = annotations
                .get(BASECONFIG)
                .map_or_else(Span::none, |n| n.span.clone());
            return Err(Diagnostic::new(
                Stage::Decode,
                at,
                format!("annotations `{PRESET}` and `{BASECONFIG}` are both set"),
            )
            .with_path(format!("metadata.annotations.{BASECONFIG}"))
            .with_help("name a preset or BaseConfig files, not both (as with --preset and -b)"));
        }
        Ok(s)
    }

    /// Lays the settings over `opts`.
    pub fn apply(&self, opts: &mut RenderOptions) {
        if self.epp_cluster_role.is_some() {
            opts.epp_cluster_role = self.epp_cluster_role.clone();
        }
        if !self.pd_pull_secrets.is_empty() {
            opts.pd_pull_secrets = self.pd_pull_secrets.clone();
        }
        if !self.epp_pull_secrets.is_empty() {
            opts.epp_pull_secrets = self.epp_pull_secrets.clone();
        }
        if let Some(api) = self.gie_api {
            opts.gie_api = api;
        }
    }

    /// Reads the BaseConfig files, relative to `root`. Like kustomize's
    /// default load restrictor, a file must lie inside `root`: no absolute
    /// path, no `..`.
    pub fn read_base_files(&self, root: Option<&Path>) -> Result<Vec<Source>, Diagnostic> {
        let mut out = Vec::new();
        for file in &self.base_files {
            let path = format!("metadata.annotations.{BASECONFIG}");
            let Some(root) = root else {
                return Err(Diagnostic::new(
                    Stage::Resolve,
                    Span::none(),
                    format!("BaseConfig file `{file}` cannot be read here"),
                )
                .with_path(path)
                .with_help("put the BaseConfig ConfigMap among the items instead"));
            };
            let rel = Path::new(file);
            if rel
                .components()
                .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
            {
                return Err(Diagnostic::new(
                    Stage::Resolve,
                    Span::none(),
                    format!("BaseConfig file `{file}` is outside the kustomization directory"),
                )
                .with_path(path)
                .with_help(
                    "name a file below the directory of the kustomization (no absolute path, no `..`), as kustomize's load restrictor requires",
                ));
            }
            let text = std::fs::read_to_string(root.join(rel)).map_err(|e| {
                Diagnostic::new(
                    Stage::Resolve,
                    Span::none(),
                    format!("cannot read BaseConfig file `{file}`: {e}"),
                )
                .with_path(path.clone())
                .with_help(format!(
                    "the path is relative to the kustomization directory {}",
                    root.display()
                ))
            })?;
            out.push(Source::new(file.as_str(), text));
        }
        Ok(out)
    }
}

/// The ModelService's `msvc.llm-d.ai/scheduling-profile`, and where it is.
pub fn scheduling_profile(
    obj: &Node,
) -> Result<Option<(crate::epp_config::Choice, Span)>, Diagnostic> {
    let Some(value) = obj.get_path(&["metadata", "annotations", SCHEDULING_PROFILE]) else {
        return Ok(None);
    };
    let path = format!("metadata.annotations.{SCHEDULING_PROFILE}");
    let text = value.as_str().ok_or_else(|| {
        Diagnostic::new(
            Stage::Decode,
            value.span.clone(),
            format!("annotation `{SCHEDULING_PROFILE}` is {}", value.type_name()),
        )
        .with_path(path.clone())
        .with_help("annotation values are strings")
    })?;
    let mut span = value.span.clone();
    if text.contains('\n')
        && let Some(key) = value.key_span.as_deref()
    {
        // A block's text starts on the line after its key, indented two
        // past it: positions in it are then the file's.
        span.line = key.line;
        span.col = key.col + 2;
    }
    let choice = crate::epp_config::Choice::parse(text, &span, &path)?;
    Ok(Some((choice, span)))
}

/// A comma-separated list, entries trimmed, empty ones dropped.
fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Origin, parse_one};

    fn settings(annotations: &str) -> Result<Settings, Diagnostic> {
        let text = format!("metadata:\n  name: m\n  annotations:\n{annotations}");
        Settings::from_object(&parse_one(&text, &Origin::file("t")).unwrap())
    }

    #[test]
    fn reads_every_annotation() {
        let s = settings(
            "    msvc.llm-d.ai/preset: ' nvidia, vllm-hf ,'\n    msvc.llm-d.ai/epp-cluster-role: pod-read\n    msvc.llm-d.ai/pd-pull-secrets: a,b\n    msvc.llm-d.ai/epp-pull-secrets: c\n    msvc.llm-d.ai/gie-api: v1alpha2\n    other.io/x: y\n",
        )
        .unwrap();
        assert_eq!(s.presets, ["nvidia", "vllm-hf"]);
        assert_eq!(s.epp_cluster_role.as_deref(), Some("pod-read"));
        assert_eq!(s.pd_pull_secrets, ["a", "b"]);
        assert_eq!(s.epp_pull_secrets, ["c"]);
        assert_eq!(s.gie_api, Some(GieApi::V1Alpha2));
        let mut opts = RenderOptions::default();
        s.apply(&mut opts);
        assert_eq!(opts.epp_cluster_role.as_deref(), Some("pod-read"));
        assert_eq!(opts.gie_api, GieApi::V1Alpha2);
    }

    #[test]
    fn scheduling_profile_is_read_at_decode_and_accepted_here() {
        let text =
            "metadata:\n  name: m\n  annotations:\n    msvc.llm-d.ai/scheduling-profile: pd\n";
        let node = parse_one(text, &Origin::file("t")).unwrap();
        // Known to the settings (krm, kustomize), read by its own function.
        assert!(Settings::from_object(&node).is_ok());
        let (choice, span) = scheduling_profile(&node).unwrap().unwrap();
        assert_eq!(choice, crate::epp_config::Choice::Builtin("pd"));
        assert_eq!(span.line, 4);
        let bad = text.replace(": pd", ": [pd]");
        let e = scheduling_profile(&parse_one(&bad, &Origin::file("t")).unwrap()).unwrap_err();
        assert!(
            e.help.as_deref() == Some("annotation values are strings"),
            "{e}"
        );
    }

    #[test]
    fn no_annotations_no_settings() {
        let node = parse_one("metadata:\n  name: m\n", &Origin::file("t")).unwrap();
        assert_eq!(Settings::from_object(&node).unwrap(), Settings::default());
    }

    #[test]
    fn typo_is_an_error_with_a_hint() {
        let e = settings("    msvc.llm-d.ai/presets: vllm-hf\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("did you mean `msvc.llm-d.ai/preset`"),
            "{e}"
        );
        assert_eq!(
            e.path.as_deref(),
            Some("metadata.annotations.msvc.llm-d.ai/presets")
        );
    }

    #[test]
    fn preset_and_baseconfig_conflict() {
        let e =
            settings("    msvc.llm-d.ai/preset: vllm-hf\n    msvc.llm-d.ai/baseconfig: b.yaml\n")
                .unwrap_err();
        assert!(e.message.contains("both set"), "{e}");
    }

    #[test]
    fn bad_gie_api() {
        let e = settings("    msvc.llm-d.ai/gie-api: v2\n").unwrap_err();
        assert!(e.to_string().contains("expected v1 or v1alpha2"), "{e}");
    }

    #[test]
    fn base_files_stay_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.yaml"), "x: 1\n").unwrap();
        for bad in ["../b.yaml", "/etc/passwd", "sub/../../b.yaml"] {
            let s = Settings {
                base_files: vec![bad.into()],
                ..Settings::default()
            };
            let e = s.read_base_files(Some(dir.path())).unwrap_err();
            assert!(e.message.contains("outside"), "{bad}: {e}");
        }
        let s = Settings {
            base_files: vec!["./b.yaml".into()],
            ..Settings::default()
        };
        let got = s.read_base_files(Some(dir.path())).unwrap();
        assert_eq!(got[0].text, "x: 1\n");
        assert!(s.read_base_files(None).is_err());
        let missing = Settings {
            base_files: vec!["nope.yaml".into()],
            ..Settings::default()
        };
        let e = missing.read_base_files(Some(dir.path())).unwrap_err();
        assert!(e.message.contains("cannot read"), "{e}");
    }
}
