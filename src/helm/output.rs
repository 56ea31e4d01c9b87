//! The rendered files as `helm template` prints them (Helm v4's
//! `releaseutil.SortManifests`, `renderResources` and `cmd/template.go`):
//! each file split at `---` lines, empty documents dropped, manifests
//! sorted by kind in install order (stable: file name, then position),
//! CRDs first with `--include-crds`, then hooks (`helm.sh/hook`), each
//! under `# Source: <template>`; `--show-only` picks by template path.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::yaml::{Origin, Value as Y, parse_one};

use super::error::HelmError;
use super::glob::path_match;

/// Helm's `InstallOrder`.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

/// One document of a rendered file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// The template it came from.
    pub path: String,
    pub content: String,
    pub kind: String,
}

/// A document annotated `helm.sh/hook`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hook {
    pub path: String,
    pub manifest: String,
    pub kind: String,
    pub events: Vec<String>,
    pub weight: i64,
}

impl Hook {
    fn is_test(&self) -> bool {
        self.events
            .iter()
            .any(|e| e == "test" || e == "test-success")
    }
}

/// Helm's `SplitManifests`: split at lines starting with `---`, blank
/// documents dropped, leading space trimmed.
pub fn split_manifests(big: &str) -> Vec<String> {
    static SEP: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?m)^---[ \t]*").unwrap_or_else(|_| unreachable!()));
    SEP.split(big.trim_start())
        .filter(|d| !d.trim().is_empty())
        .map(|d| d.trim_start().to_string())
        .collect()
}

/// Helm's `SortManifests` in install order: `files` by name (partials and
/// blank files skipped), their documents split, hooks apart.
pub fn sort_manifests(
    files: &BTreeMap<String, String>,
) -> Result<(Vec<Hook>, Vec<Manifest>), HelmError> {
    let mut hooks = Vec::new();
    let mut generic = Vec::new();
    for (path, content) in files {
        if path.rsplit('/').next().is_some_and(|b| b.starts_with('_')) || content.trim().is_empty()
        {
            continue;
        }
        for doc in split_manifests(content) {
            let head =
                parse_one(&doc, &Origin::file(path.as_str())).map_err(|d| HelmError::Manifest {
                    file: path.clone(),
                    message: format!("line {}: {}", d.span.line, d.message),
                })?;
            let kind = head
                .get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or_default()
                .to_string();
            let annotations =
                head.get_path(&["metadata", "annotations"])
                    .and_then(|a| match &a.value {
                        Y::Map(m) => Some(m.clone()),
                        _ => None,
                    });
            let hook = annotations
                .as_ref()
                .and_then(|a| a.get("helm.sh/hook"))
                .map(|h| h.as_str().unwrap_or_default().to_string());
            let Some(hook_types) = hook else {
                generic.push(Manifest {
                    path: path.clone(),
                    content: doc,
                    kind,
                });
                continue;
            };
            let events: Vec<String> = hook_types
                .split(',')
                .map(|e| e.trim().to_lowercase())
                .collect();
            if events.iter().any(|e| !HOOK_EVENTS.contains(&e.as_str())) {
                // Helm skips a document with an unknown hook.
                continue;
            }
            let weight = annotations
                .as_ref()
                .and_then(|a| a.get("helm.sh/hook-weight"))
                .and_then(|w| {
                    w.as_str()
                        .and_then(|s| s.trim().parse().ok())
                        .or(w.as_i64())
                })
                .unwrap_or(0);
            hooks.push(Hook {
                path: path.clone(),
                manifest: doc,
                kind,
                events,
                weight,
            });
        }
    }
    generic.sort_by(|a, b| kind_order(&a.kind, &b.kind));
    hooks.sort_by(|a, b| kind_order(&a.kind, &b.kind));
    Ok((hooks, generic))
}

/// Helm's `lessByKind` as an ordering: known kinds in install order, then
/// unknown kinds by name.
fn kind_order(a: &str, b: &str) -> std::cmp::Ordering {
    let pos = |k: &str| INSTALL_ORDER.iter().position(|x| *x == k);
    match (pos(a), pos(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// What the printer needs beyond the files.
#[derive(Clone, Debug, Default)]
pub struct PrintOptions {
    /// `--include-crds`: `(output name, text)` of every `crds/` file.
    pub crds: Vec<(String, String)>,
    pub skip_tests: bool,
    pub show_only: Vec<String>,
}

/// `helm template`'s standard output for the rendered `files` (NOTES
/// already removed).
pub fn print(files: &BTreeMap<String, String>, opts: &PrintOptions) -> Result<String, HelmError> {
    let (hooks, manifests) = sort_manifests(files)?;
    let mut b = String::new();
    for (name, text) in &opts.crds {
        b.push_str(&format!("---\n# Source: {name}\n{text}\n"));
    }
    for m in &manifests {
        b.push_str(&format!("---\n# Source: {}\n{}\n", m.path, m.content));
    }
    let mut out = format!("{}\n", b.trim());
    for h in &hooks {
        if opts.skip_tests && h.is_test() {
            continue;
        }
        out.push_str(&format!("---\n# Source: {}\n{}\n", h.path, h.manifest));
    }
    if opts.show_only.is_empty() {
        return Ok(out);
    }
    static SOURCE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"# Source: [^/]+/(.+)").unwrap_or_else(|_| unreachable!()));
    let docs = split_manifests(&out);
    let mut shown = String::new();
    for pattern in &opts.show_only {
        let mut missing = true;
        for doc in &docs {
            let Some(path) = SOURCE.captures(doc).and_then(|c| c.get(1)) else {
                continue;
            };
            if path_match(pattern, path.as_str()) {
                shown.push_str(&format!("---\n{doc}\n"));
                missing = false;
            }
        }
        if missing {
            return Err(HelmError::ShowOnly {
                pattern: pattern.clone(),
            });
        }
    }
    Ok(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn split_drops_empty_documents() {
        assert_eq!(
            split_manifests("\n---\na: 1\n---\n\n---   \nb: 2\n--- # x\n"),
            ["a: 1\n", "b: 2\n", "# x\n"]
        );
    }

    #[test]
    fn a_separator_glued_to_the_next_line_still_splits() {
        // inferencepool v1.3.0's gke.yaml renders `---apiVersion: v1`.
        assert_eq!(
            split_manifests("kind: A\n---apiVersion: v1\nkind: B\n"),
            ["kind: A\n", "apiVersion: v1\nkind: B\n"]
        );
    }

    #[test]
    fn install_order_then_file_order() {
        let f = files(&[
            (
                "c/templates/a.yaml",
                "kind: Deployment\nmetadata: {name: d}\n---\nkind: Service\nmetadata: {name: s}\n",
            ),
            (
                "c/templates/b.yaml",
                "kind: ServiceAccount\nmetadata: {name: sa}\n---\nkind: Zeta\n---\nkind: Alpha\n",
            ),
            ("c/templates/_h.tpl", "kind: Secret\n"),
            ("c/templates/empty.yaml", "\n  \n"),
        ]);
        let out = print(&f, &PrintOptions::default()).unwrap();
        let kinds: Vec<&str> = out
            .lines()
            .filter_map(|l| l.strip_prefix("kind: "))
            .collect();
        assert_eq!(
            kinds,
            ["ServiceAccount", "Service", "Deployment", "Alpha", "Zeta"]
        );
        assert!(
            out.starts_with("---\n# Source: c/templates/b.yaml\nkind: ServiceAccount\n"),
            "{out}"
        );
    }

    #[test]
    fn hooks_after_manifests_and_skip_tests() {
        let f = files(&[
            (
                "c/templates/t.yaml",
                "kind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n",
            ),
            (
                "c/templates/j.yaml",
                "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install,post-upgrade\n",
            ),
            (
                "c/templates/u.yaml",
                "kind: Job\nmetadata:\n  name: u\n  annotations:\n    helm.sh/hook: nonsense\n",
            ),
            (
                "c/templates/z.yaml",
                "kind: ConfigMap\nmetadata: {name: z}\n",
            ),
        ]);
        let out = print(&f, &PrintOptions::default()).unwrap();
        let z = out.find("name: z").unwrap();
        let j = out.find("name: j").unwrap();
        let t = out.find("name: t").unwrap();
        assert!(
            z < t && t < j,
            "manifests, then hooks by kind (Pod before Job):\n{out}"
        );
        assert!(!out.contains("name: u"), "unknown hooks are skipped");
        let out = print(
            &f,
            &PrintOptions {
                skip_tests: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(!out.contains("name: t") && out.contains("name: j"));
    }

    #[test]
    fn crds_first_and_show_only() {
        let f = files(&[
            (
                "c/templates/a.yaml",
                "kind: ConfigMap\nmetadata: {name: a}\n",
            ),
            (
                "c/templates/sub/b.yaml",
                "kind: Secret\nmetadata: {name: b}\n",
            ),
        ]);
        let opts = PrintOptions {
            crds: vec![(
                "c/crds/x.yaml".into(),
                "kind: CustomResourceDefinition\n".into(),
            )],
            ..Default::default()
        };
        let out = print(&f, &opts).unwrap();
        assert!(
            out.starts_with("---\n# Source: c/crds/x.yaml\nkind: CustomResourceDefinition\n"),
            "{out}"
        );
        let only = PrintOptions {
            show_only: vec!["templates/sub/*.yaml".into()],
            ..Default::default()
        };
        let out = print(&f, &only).unwrap();
        // Helm keeps a document's trailing newlines and adds one.
        assert_eq!(
            out,
            "---\n# Source: c/templates/sub/b.yaml\nkind: Secret\nmetadata: {name: b}\n\n\n"
        );
        let missing = PrintOptions {
            show_only: vec!["templates/nope.yaml".into()],
            ..Default::default()
        };
        let e = print(&f, &missing).unwrap_err();
        assert_eq!(
            e.to_string(),
            "could not find template templates/nope.yaml in chart"
        );
    }

    #[test]
    fn bad_yaml_names_the_template() {
        let f = files(&[("c/templates/a.yaml", "a: [\n")]);
        let e = print(&f, &PrintOptions::default()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("YAML parse error on c/templates/a.yaml"),
            "{e}"
        );
    }
}
