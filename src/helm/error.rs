//! What can go wrong between a chart on disk and `helm template`'s output.
//! Each variant says what failed and where (file, key path, template
//! position); [`HelmError::help`] says how to fix it.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum HelmError {
    #[error("{path}: {reason}")]
    Io { path: PathBuf, reason: String },
    #[error("{origin}: {message}")]
    Archive { origin: String, message: String },
    #[error("{origin}: the chart passes msvc's limit of {limit}")]
    Limit { origin: String, limit: String },
    #[error("{file}: {message}")]
    ChartYaml { file: String, message: String },
    #[error("{file}: {message}")]
    Values { file: String, message: String },
    #[error("{flag} {arg}: {message}")]
    SetFlag {
        flag: &'static str,
        arg: String,
        message: String,
    },
    #[error("chart `{chart}`: found in Chart.yaml, but missing in charts/ directory: {missing}")]
    MissingDependency { chart: String, missing: String },
    #[error(
        "values don't meet the specifications of the schema(s) in the following chart(s):\n{report}"
    )]
    Schema { report: String },
    #[error(
        "chart requires kubeVersion: {required} which is incompatible with Kubernetes {actual}"
    )]
    KubeVersion { required: String, actual: String },
    #[error("--kube-version `{given}`: {message}")]
    BadKubeVersion { given: String, message: String },
    #[error("--version {wanted}: the chart is version {actual}")]
    ChartVersion { wanted: String, actual: String },
    #[error("--version {wanted}: {message}")]
    BadChartVersion { wanted: String, message: String },
    #[error("chart `{chart}` is a library chart: library charts are not installable")]
    LibraryChart { chart: String },
    #[error("{0}")]
    Template(#[from] TemplateError),
    #[error("YAML parse error on {file}: {message}")]
    Manifest { file: String, message: String },
    #[error("could not find template {pattern} in chart")]
    ShowOnly { pattern: String },
}

impl HelmError {
    /// How to fix it, when there is more to say than the message.
    pub fn help(&self) -> Option<String> {
        Some(match self {
            HelmError::Limit { .. } => {
                "a chart this big is unusual; check that CHART is the chart and not a folder holding it".into()
            }
            HelmError::MissingDependency { .. } => {
                "run `helm dependency build` in the chart folder (it needs the network once), or copy the dependency under charts/".into()
            }
            HelmError::Schema { .. } => {
                "fix the values named above (the chart's values.schema.json says what they may be)".into()
            }
            HelmError::KubeVersion { .. } => {
                "pass the cluster's version with --kube-version (e.g. --kube-version 1.30)".into()
            }
            HelmError::ChartVersion { .. } => {
                "drop --version, or point CHART at the chart of that version".into()
            }
            HelmError::LibraryChart { .. } => {
                "render a chart that depends on the library instead".into()
            }
            HelmError::ShowOnly { .. } => {
                "name a file under templates/ as the chart has it, e.g. -s templates/deployment.yaml".into()
            }
            _ => return None,
        })
    }
}

/// An error from the template engine, positioned in a chart file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    /// Helm's template name, e.g. `mychart/templates/deployment.yaml`.
    pub template: String,
    /// 1-based; 0 when unknown.
    pub line: usize,
    pub column: usize,
    /// The engine's text (Helm prints it as the engine words it).
    pub message: String,
}
