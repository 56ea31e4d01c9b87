//! What Helm hands its template engine: every template source under its
//! Helm name in the order Helm parses them, and for each the top-level
//! object (`.Values` scoped to its chart, `.Chart`, `.Release`,
//! `.Capabilities`, `.Files`, `.Template`, `.Subcharts`), as plain data.
//! The engine is any [`Executor`]; [`TextOnly`] serves tests of charts
//! without actions.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::{Value, json};

use super::chart::Chart;
use super::error::{HelmError, TemplateError};
use super::glob::files_glob;
use super::values::Values;

/// `.Release`.
#[derive(Clone, Debug)]
pub struct Release {
    pub name: String,
    pub namespace: String,
    pub is_upgrade: bool,
}

impl Release {
    pub fn to_value(&self) -> Value {
        json!({
            "Name": self.name, "Namespace": self.namespace,
            "IsInstall": !self.is_upgrade, "IsUpgrade": self.is_upgrade,
            "Revision": 1, "Service": "Helm",
        })
    }
}

/// `.Capabilities.KubeVersion`: prints as `Version` (`v1.36.0`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeVersion {
    pub version: String,
    pub major: String,
    pub minor: String,
}

impl KubeVersion {
    /// Helm's `ParseKubeVersion`: `1.30`, `v1.30.2` -> `v1.30.0`, `v1.30.2`.
    pub fn parse(s: &str) -> Result<KubeVersion, HelmError> {
        let v = super::version::parse_loose(s).ok_or_else(|| HelmError::BadKubeVersion {
            given: s.to_string(),
            message: "not a version (write e.g. 1.30 or v1.30.2)".into(),
        })?;
        Ok(KubeVersion {
            version: format!("v{v}"),
            major: v.major.to_string(),
            minor: v.minor.to_string(),
        })
    }
}

/// The Kubernetes version `helm template` assumes without
/// `--kube-version`: Helm v4.2's default (the reference's).
pub const DEFAULT_KUBE_VERSION: &str = "v1.36.0";

/// Helm v4.2's default `.Capabilities.APIVersions` (client-go's scheme).
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// `.Capabilities`.
#[derive(Clone, Debug)]
pub struct Capabilities {
    pub kube_version: KubeVersion,
    pub api_versions: Vec<String>,
}

impl Capabilities {
    /// `--kube-version` (default [`DEFAULT_KUBE_VERSION`]) and
    /// `--api-versions` added to the defaults.
    pub fn new(kube_version: Option<&str>, extra_apis: &[String]) -> Result<Self, HelmError> {
        let kube_version = KubeVersion::parse(kube_version.unwrap_or(DEFAULT_KUBE_VERSION))?;
        let mut api_versions: Vec<String> =
            DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect();
        api_versions.extend(extra_apis.iter().cloned());
        Ok(Capabilities {
            kube_version,
            api_versions,
        })
    }

    /// `.Capabilities.APIVersions.Has`: a group/version, or
    /// group/version/Kind.
    pub fn has(&self, api: &str) -> bool {
        self.api_versions.iter().any(|a| a == api)
    }

    pub fn to_value(&self) -> Value {
        json!({
            "KubeVersion": {"Version": self.kube_version.version, "Major": self.kube_version.major,
                            "Minor": self.kube_version.minor},
            "APIVersions": self.api_versions,
            "HelmVersion": {"version": "v4.2", "go_version": "", "kube_client_version": "v1.36"},
        })
    }
}

/// `.Files`: a chart's files other than templates, values and Chart.yaml.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Files(pub BTreeMap<String, Vec<u8>>);

impl Files {
    pub fn of(chart: &Chart) -> Files {
        Files(
            chart
                .files
                .iter()
                .map(|f| (f.name.clone(), f.data.clone()))
                .collect(),
        )
    }

    /// `.Files.Get`: the text, empty when absent.
    pub fn get(&self, name: &str) -> String {
        self.0
            .get(name)
            .map(|d| String::from_utf8_lossy(d).into_owned())
            .unwrap_or_default()
    }

    /// `.Files.GetBytes`.
    pub fn get_bytes(&self, name: &str) -> Vec<u8> {
        self.0.get(name).cloned().unwrap_or_default()
    }

    /// `.Files.Glob`: the files whose names match (gobwas/glob, `/`).
    pub fn glob(&self, pattern: &str) -> Files {
        Files(
            self.0
                .iter()
                .filter(|(k, _)| files_glob(pattern, k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        )
    }

    fn by_base(&self, f: impl Fn(&[u8]) -> String) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let mut m: BTreeMap<String, crate::yaml::Node> = BTreeMap::new();
        for (k, v) in &self.0 {
            let base = k.rsplit('/').next().unwrap_or(k).to_string();
            m.insert(base, crate::yaml::Node::string(f(v)));
        }
        let node = crate::yaml::Node::from_pairs(m);
        let text = crate::yaml::print::to_string(&node);
        text.strip_suffix('\n').unwrap_or(&text).to_string()
    }

    /// `.Files.AsConfig`: a YAML map of base name to text (a ConfigMap's
    /// `data`).
    pub fn as_config(&self) -> String {
        self.by_base(|d| String::from_utf8_lossy(d).into_owned())
    }

    /// `.Files.AsSecrets`: base name to base64 (a Secret's `data`).
    pub fn as_secrets(&self) -> String {
        self.by_base(|d| base64::engine::general_purpose::STANDARD.encode(d))
    }

    /// `.Files.Lines`: the text split at newlines, a final newline dropped.
    pub fn lines(&self, name: &str) -> Vec<String> {
        match self.0.get(name) {
            None => Vec::new(),
            Some(d) if d.is_empty() => Vec::new(),
            Some(d) => {
                let s = String::from_utf8_lossy(d);
                let s = s.strip_suffix('\n').unwrap_or(&s);
                s.split('\n').map(str::to_string).collect()
            }
        }
    }

    /// As `toJson .Files` prints it: name to base64 (Go's `[]byte`).
    pub fn to_value(&self) -> Value {
        Value::Object(
            self.0
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        Value::String(base64::engine::general_purpose::STANDARD.encode(v)),
                    )
                })
                .collect(),
        )
    }
}

/// One chart's share of the frame: what its templates see.
#[derive(Clone, Debug)]
pub struct Scope {
    /// Helm's `ChartFullPath`: `parent/charts/sub`.
    pub full_path: String,
    /// `.Chart`, with `IsRoot`.
    pub chart: Value,
    /// `.Values`: the whole tree for the root, the subchart's section
    /// (or empty) for a subchart.
    pub values: Value,
    pub files: Files,
    /// `.Subcharts`: each direct subchart's scope.
    pub subcharts: Vec<(String, usize)>,
}

/// One template file under its Helm name.
#[derive(Clone, Debug)]
pub struct TemplateSource {
    /// `mychart/templates/x.yaml`, `mychart/charts/sub/templates/y.yaml`.
    pub name: String,
    pub text: String,
    /// `.Template.BasePath`: `mychart/templates`.
    pub base_path: String,
    /// Index into [`RenderFrame::scopes`].
    pub scope: usize,
    /// Rendered (false for `_` partials, which are only parsed).
    pub render: bool,
}

/// Everything a template engine needs to render a chart as Helm does.
#[derive(Clone, Debug)]
pub struct RenderFrame {
    pub release: Release,
    pub capabilities: Capabilities,
    pub scopes: Vec<Scope>,
    /// In Helm's parse order (deepest paths first, then names descending),
    /// so that a parent's `define` replaces a subchart's of the same name.
    pub templates: Vec<TemplateSource>,
}

impl RenderFrame {
    /// `chart` after dependency processing, `values` coalesced.
    pub fn build(
        chart: &Chart,
        values: &Values,
        release: Release,
        capabilities: Capabilities,
    ) -> Self {
        let mut frame = RenderFrame {
            release,
            capabilities,
            scopes: Vec::new(),
            templates: Vec::new(),
        };
        frame.add(
            chart,
            Value::Object(values.clone()),
            chart.name().to_string(),
            true,
        );
        frame.templates.sort_by(|a, b| {
            let (ca, cb) = (a.name.matches('/').count(), b.name.matches('/').count());
            cb.cmp(&ca).then_with(|| b.name.cmp(&a.name))
        });
        frame
    }

    fn add(&mut self, chart: &Chart, values: Value, full_path: String, is_root: bool) -> usize {
        let index = self.scopes.len();
        self.scopes.push(Scope {
            full_path: full_path.clone(),
            chart: {
                let mut c = chart.metadata.to_value(is_root);
                c["IsRoot"] = Value::Bool(is_root);
                c
            },
            values: values.clone(),
            files: Files::of(chart),
            subcharts: Vec::new(),
        });
        let mut subs = Vec::new();
        for d in &chart.dependencies {
            let sub_values = match values.get(d.name()) {
                Some(v @ Value::Object(_)) => v.clone(),
                _ => Value::Object(Values::new()),
            };
            let i = self.add(
                d,
                sub_values,
                format!("{full_path}/charts/{}", d.name()),
                false,
            );
            subs.push((d.name().to_string(), i));
        }
        self.scopes[index].subcharts = subs;
        let library = chart.metadata.is_library();
        for t in &chart.templates {
            let partial = t
                .name
                .rsplit('/')
                .next()
                .is_some_and(|b| b.starts_with('_'));
            if library && !partial {
                continue;
            }
            self.templates.push(TemplateSource {
                name: format!("{full_path}/{}", t.name),
                text: String::from_utf8_lossy(&t.data).into_owned(),
                base_path: format!("{full_path}/templates"),
                scope: index,
                render: !partial,
            });
        }
        index
    }

    /// The top-level object of a scope as plain data, shaped as
    /// `toJson` prints Helm's (`.Files` as base64, `.Subcharts` nested).
    pub fn scope_value(&self, scope: usize) -> Value {
        let s = &self.scopes[scope];
        let subcharts: serde_json::Map<String, Value> = s
            .subcharts
            .iter()
            .map(|(n, i)| (n.clone(), self.scope_value(*i)))
            .collect();
        json!({
            "Values": s.values,
            "Chart": s.chart,
            "Release": self.release.to_value(),
            "Capabilities": self.capabilities.to_value(),
            "Files": s.files.to_value(),
            "Subcharts": subcharts,
        })
    }

    /// The top-level object for one template, `.Template` included.
    pub fn data_for(&self, t: &TemplateSource) -> Value {
        let mut v = self.scope_value(t.scope);
        v["Template"] = json!({"Name": t.name, "BasePath": t.base_path});
        v
    }
}

/// A Go `text/template` engine with Helm's functions, as Helm's
/// `engine.render` uses it: all sources parsed into one set (so `include`
/// reaches every `define`), then each renderable one executed with its
/// top-level object, missing keys printing as Go's zero (`missingkey=zero`).
pub trait Executor {
    /// Parses `frame.templates`, in their order (later definitions win).
    fn parse(&mut self, frame: &RenderFrame) -> Result<(), TemplateError>;
    /// Executes `frame.templates[index]` on [`RenderFrame::data_for`]'s
    /// object; `include`, `tpl` and `.Files`/`.Capabilities` calls are
    /// the executor's to serve from `frame`.
    fn execute(&mut self, frame: &RenderFrame, index: usize) -> Result<String, TemplateError>;
}

/// An executor for templates without actions: text is returned as written;
/// a `{{` is an error saying the engine is needed.
#[derive(Debug, Default)]
pub struct TextOnly;

impl Executor for TextOnly {
    fn parse(&mut self, _frame: &RenderFrame) -> Result<(), TemplateError> {
        Ok(())
    }

    fn execute(&mut self, frame: &RenderFrame, index: usize) -> Result<String, TemplateError> {
        let t = &frame.templates[index];
        if let Some(at) = t.text.find("{{") {
            let line = t.text[..at].matches('\n').count() + 1;
            let column = at - t.text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
            return Err(TemplateError {
                template: t.name.clone(),
                line,
                column,
                message: format!(
                    "{}:{line}:{column}: template actions need the Go template engine, which this build does not have",
                    t.name
                ),
            });
        }
        Ok(t.text.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Files {
        Files(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
                .collect(),
        )
    }

    #[test]
    fn files_methods() {
        let f = files(&[
            ("files/a.txt", "hello\n"),
            ("files/b.conf", "x=1\ny=2\n"),
            ("README.md", "r"),
        ]);
        assert_eq!(f.get("files/a.txt"), "hello\n");
        assert_eq!(f.get("nope"), "");
        assert_eq!(f.lines("files/b.conf"), ["x=1", "y=2"]);
        assert!(f.lines("nope").is_empty());
        let g = f.glob("files/*");
        assert_eq!(g.0.len(), 2);
        assert_eq!(g.as_secrets(), "a.txt: aGVsbG8K\nb.conf: eD0xCnk9Mgo=");
        assert!(
            g.as_config().starts_with("a.txt: |\n  hello\n"),
            "{}",
            g.as_config()
        );
        assert_eq!(Files::default().as_config(), "");
        assert_eq!(f.to_value()["files/a.txt"], "aGVsbG8K");
    }

    #[test]
    fn kube_versions() {
        let k = KubeVersion::parse("1.30").unwrap();
        assert_eq!(
            (k.version.as_str(), k.major.as_str(), k.minor.as_str()),
            ("v1.30.0", "1", "30")
        );
        assert!(KubeVersion::parse("latest").is_err());
        let c = Capabilities::new(None, &["example.com/v1".into()]).unwrap();
        assert_eq!(c.kube_version.version, "v1.36.0");
        assert!(c.has("apps/v1") && c.has("example.com/v1") && !c.has("example.com/v2"));
    }
}
