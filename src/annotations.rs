//! Render settings a ModelService carries in its own annotations. Every
//! door reads them the same way, at decode ([`crate::modelservice`]):
//! `msvc render`, `lint`, `explain`, the kustomize generator plugin and
//! the KRM function (`msvc krm`), so that one file renders alike whichever
//! runs it.
//!
//! ```yaml
//! metadata:
//!   annotations:
//!     msvc.llm-d.ai/preset: vllm-hf            # or a list: nvidia,vllm-hf
//!     msvc.llm-d.ai/baseconfig: base.yaml      # or a list; relative to the ModelService's file
//!     msvc.llm-d.ai/epp-cluster-role: pod-read
//!     msvc.llm-d.ai/pd-pull-secrets: ghcr,nvcr
//!     msvc.llm-d.ai/epp-pull-secrets: ghcr
//!     msvc.llm-d.ai/gie-api: v1alpha2
//!     msvc.llm-d.ai/scheduling-profile: pd     # or a .yaml file, or the config
//! ```
//!
//! Each is the `msvc render` flag of the same name. An unknown annotation
//! under `msvc.llm-d.ai/` is an error (a typo must not silently change
//! what is rendered). A flag given as well must agree with the annotation:
//! a different value is an error naming both, never a silent override.

use std::path::{Component, Path, PathBuf};

use crate::decode::suggest;
use crate::error::{Diagnostic, Span, Stage};
use crate::load::Source;
use crate::objects::inference::GieApi;
use crate::render::RenderOptions;
use crate::yaml::Node;
use crate::{modelservice, preset};

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

/// Where `msvc.llm-d.ai/baseconfig` files are read from.
#[derive(Clone, Debug, Default)]
pub enum FileRoot {
    /// The directory of the ModelService's file (`msvc render`, `lint`,
    /// `explain`; the working directory for standard input).
    #[default]
    BesideInput,
    /// One directory for every ModelService: the kustomization's, where
    /// kustomize runs its plugins and functions. `None`: files cannot be read.
    Dir(Option<PathBuf>),
}

/// The settings of one ModelService.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `--preset`, in layering order.
    pub presets: Vec<String>,
    /// `-b` files, relative to the [`FileRoot`].
    pub base_files: Vec<String>,
    pub epp_cluster_role: Option<String>,
    pub pd_pull_secrets: Vec<String>,
    pub epp_pull_secrets: Vec<String>,
    pub gie_api: Option<GieApi>,
    /// Where each annotation read was written, for errors about it.
    spans: Vec<(&'static str, Span)>,
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
            let Some(known) = KNOWN.iter().copied().find(|k| k == key) else {
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
            };
            s.spans.push((known, value.span.clone()));
            let bad = |why: String| {
                Diagnostic::new(
                    Stage::Decode,
                    value.span.clone(),
                    format!("annotation `{key}`: {why}"),
                )
                .with_path(path.clone())
            };
            match known {
                PRESET => {
                    s.presets = list(&text);
                    if let Some(name) = s.presets.iter().find(|n| preset::get(n).is_none()) {
                        let d = preset::unknown(name, value.span.clone());
                        return Err(Diagnostic {
                            message: format!("annotation `{key}`: {}", d.message),
                            ..d
                        }
                        .with_path(path));
                    }
                }
                BASECONFIG => s.base_files = list(&text),
                EPP_CLUSTER_ROLE => {
                    s.epp_cluster_role = Some(text.trim().to_string()).filter(|t| !t.is_empty());
                    if let Some(cr) = &s.epp_cluster_role
                        && !is_cluster_role_name(cr)
                    {
                        return Err(bad(format!("`{cr}` is not a valid ClusterRole name"))
                            .with_help("name an existing ClusterRole"));
                    }
                }
                PD_PULL_SECRETS | EPP_PULL_SECRETS => {
                    let secrets = list(&text);
                    for secret in &secrets {
                        modelservice::check_dns_subdomain(secret, value, &path).map_err(|d| {
                            Diagnostic {
                                message: format!("annotation `{key}`: {}", d.message),
                                ..d
                            }
                        })?;
                    }
                    if known == PD_PULL_SECRETS {
                        s.pd_pull_secrets = secrets;
                    } else {
                        s.epp_pull_secrets = secrets;
                    }
                }
                // Read at decode (`scheduling_profile`), for the file it names.
                SCHEDULING_PROFILE => {}
                _ => {
                    s.gie_api = Some(match text.trim() {
                        "v1" => GieApi::V1,
                        "v1alpha2" => GieApi::V1Alpha2,
                        other => {
                            return Err(
                                bad(format!("`{other}`")).with_help("expected v1 or v1alpha2")
                            );
                        }
                    })
                }
            }
        }
        if !s.presets.is_empty() && !s.base_files.is_empty() {
            return Err(Diagnostic::new(
                Stage::Decode,
                s.span(BASECONFIG),
                format!("annotations `{PRESET}` and `{BASECONFIG}` are both set"),
            )
            .with_path(format!("metadata.annotations.{BASECONFIG}"))
            .with_help("name a preset or BaseConfig files, not both (as with --preset and -b)"));
        }
        Ok(s)
    }

    /// Where the annotation `key` was written.
    pub fn span(&self, key: &str) -> Span {
        self.spans
            .iter()
            .find(|(k, _)| *k == key)
            .map_or_else(Span::none, |(_, s)| s.clone())
    }

    /// The error for an annotation that a command-line flag contradicts.
    pub fn conflict(&self, key: &str, own: &str, flag: &str, given: &str) -> Diagnostic {
        Diagnostic::new(
            Stage::Resolve,
            self.span(key),
            format!("annotation `{key}: {own}` conflicts with `{flag} {given}`"),
        )
        .with_path(format!("metadata.annotations.{key}"))
        .with_help(format!(
            "the annotation applies through every door (render, lint, explain, krm, kustomize); drop {flag}, or change the annotation"
        ))
    }

    /// `opts` with these settings laid over it. A setting that `opts`
    /// (the command line) also sets, to another value, is an error.
    pub fn options(&self, opts: &RenderOptions) -> Result<RenderOptions, Diagnostic> {
        let mut out = opts.clone();
        if let Some(own) = &self.epp_cluster_role {
            match &opts.epp_cluster_role {
                Some(given) if given != own => {
                    return Err(self.conflict(EPP_CLUSTER_ROLE, own, "--epp-cluster-role", given));
                }
                _ => out.epp_cluster_role = Some(own.clone()),
            }
        }
        for (key, flag, own, given, slot) in [
            (
                PD_PULL_SECRETS,
                "--pd-pull-secrets",
                &self.pd_pull_secrets,
                &opts.pd_pull_secrets,
                &mut out.pd_pull_secrets,
            ),
            (
                EPP_PULL_SECRETS,
                "--epp-pull-secrets",
                &self.epp_pull_secrets,
                &opts.epp_pull_secrets,
                &mut out.epp_pull_secrets,
            ),
        ] {
            if own.is_empty() {
                continue;
            }
            if !given.is_empty() && given != own {
                return Err(self.conflict(key, &own.join(","), flag, &given.join(",")));
            }
            slot.clone_from(own);
        }
        if let Some(own) = self.gie_api {
            match opts.gie_api {
                Some(given) if given != own => {
                    return Err(self.conflict(
                        GIE_API,
                        gie_name(own),
                        "--gie-api",
                        gie_name(given),
                    ));
                }
                _ => out.gie_api = Some(own),
            }
        }
        Ok(out)
    }

    /// Reads the BaseConfig files of a ModelService read from `input`,
    /// relative to `root`. Like kustomize's default load restrictor, a file
    /// must lie inside that directory: no absolute path, no `..`.
    pub fn read_base_files(&self, root: &FileRoot, input: &str) -> Result<Vec<Source>, Diagnostic> {
        // Sources are named as the user would name them: below the
        // ModelService's directory, or as written (kustomize).
        let (root, shown, within) = match root {
            FileRoot::Dir(dir) => (dir.clone(), PathBuf::new(), "the kustomization directory"),
            FileRoot::BesideInput => {
                let dir = Path::new(input)
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                (Some(dir.clone()), dir, "the ModelService's directory")
            }
        };
        let mut out = Vec::new();
        let at = self.span(BASECONFIG);
        for file in &self.base_files {
            let path = format!("metadata.annotations.{BASECONFIG}");
            let Some(root) = root.as_deref() else {
                return Err(Diagnostic::new(
                    Stage::Resolve,
                    at.clone(),
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
                    at.clone(),
                    format!("BaseConfig file `{file}` is outside {within}"),
                )
                .with_path(path)
                .with_help(
                    "name a file below that directory (no absolute path, no `..`), as kustomize's load restrictor requires",
                ));
            }
            let text = std::fs::read_to_string(root.join(rel)).map_err(|e| {
                Diagnostic::new(
                    Stage::Resolve,
                    at.clone(),
                    format!(
                        "cannot read BaseConfig file `{file}`: {}",
                        crate::error::io_text(&e)
                    ),
                )
                .with_path(path.clone())
                .with_help(format!(
                    "the path is relative to the directory {}",
                    if root.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        root
                    }
                    .display()
                ))
            })?;
            let clean: PathBuf = rel
                .components()
                .filter(|c| matches!(c, Component::Normal(_)))
                .collect();
            out.push(Source::new(shown.join(clean).display().to_string(), text));
        }
        Ok(out)
    }
}

fn gie_name(api: GieApi) -> &'static str {
    match api {
        GieApi::V1 => "v1",
        GieApi::V1Alpha2 => "v1alpha2",
    }
}

/// A ClusterRole name as `--epp-cluster-role` and the annotation take it.
pub fn is_cluster_role_name(name: &str) -> bool {
    !(name.is_empty() || name.contains('/') || name.chars().any(char::is_whitespace))
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
        let opts = s.options(&RenderOptions::default()).unwrap();
        assert_eq!(opts.epp_cluster_role.as_deref(), Some("pod-read"));
        assert_eq!(opts.gie_api, Some(GieApi::V1Alpha2));
        // The same value on the command line agrees; another one conflicts.
        let same = RenderOptions {
            gie_api: Some(GieApi::V1Alpha2),
            ..RenderOptions::default()
        };
        assert!(s.options(&same).is_ok());
        let other = RenderOptions {
            pd_pull_secrets: vec!["z".into()],
            ..RenderOptions::default()
        };
        let e = s.options(&other).unwrap_err();
        assert!(
            e.message.contains("conflicts with `--pd-pull-secrets z`"),
            "{e}"
        );
        assert_eq!(e.span.line, 6, "{e}");
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
        let s = Settings::from_object(&node).unwrap();
        assert!(s.presets.is_empty() && s.base_files.is_empty() && s.gie_api.is_none());
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
    fn unknown_preset_and_bad_names_are_errors_at_the_annotation() {
        let e = settings("    msvc.llm-d.ai/preset: vllm-hf,vllm-ocy\n").unwrap_err();
        assert!(e.to_string().contains("did you mean `vllm-oci`"), "{e}");
        assert_eq!(e.span.line, 4, "{e}");
        let e = settings("    msvc.llm-d.ai/pd-pull-secrets: ok,Bad_Name\n").unwrap_err();
        assert!(e.message.contains("pd-pull-secrets"), "{e}");
        let e = settings("    msvc.llm-d.ai/epp-cluster-role: a/b\n").unwrap_err();
        assert!(e.message.contains("not a valid ClusterRole"), "{e}");
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
        let root = FileRoot::Dir(Some(dir.path().to_path_buf()));
        for bad in ["../b.yaml", "/etc/passwd", "sub/../../b.yaml"] {
            let s = Settings {
                base_files: vec![bad.into()],
                ..Settings::default()
            };
            let e = s.read_base_files(&root, "").unwrap_err();
            assert!(e.message.contains("outside"), "{bad}: {e}");
        }
        let s = Settings {
            base_files: vec!["./b.yaml".into()],
            ..Settings::default()
        };
        let got = s.read_base_files(&root, "").unwrap();
        assert_eq!(got[0].text, "x: 1\n");
        assert_eq!(&*got[0].name, "b.yaml");
        assert!(s.read_base_files(&FileRoot::Dir(None), "").is_err());
        // Beside the input: named below the ModelService's directory.
        let input = dir.path().join("m.yaml").display().to_string();
        let got = s.read_base_files(&FileRoot::BesideInput, &input).unwrap();
        assert_eq!(
            *got[0].name,
            *dir.path().join("b.yaml").display().to_string()
        );
        let missing = Settings {
            base_files: vec!["nope.yaml".into()],
            ..Settings::default()
        };
        let e = missing.read_base_files(&root, "").unwrap_err();
        assert!(e.message.contains("cannot read"), "{e}");
    }
}
