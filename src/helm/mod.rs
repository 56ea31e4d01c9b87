//! Any Helm chart as `helm template` renders it, around a pluggable Go
//! template engine: [`chart`] loads a chart (directory or `.tgz`, subcharts
//! recursively), [`setflags`] and [`values`] read the user's values as
//! Helm does, [`coalesce`] computes `.Values` with the subcharts
//! (`condition`, `tags`, `alias`, `import-values`, globals), [`schema`]
//! checks `values.schema.json`, [`frame`] builds what the engine gets, and
//! [`output`] prints Helm's stream. Nothing here knows the template
//! language: an [`Executor`] renders the sources.

pub mod archive;
pub mod chart;
pub mod coalesce;
pub mod engine;
pub mod error;
pub mod frame;
pub mod glob;
pub mod goyaml;
pub mod output;
pub mod schema;
pub mod setflags;
pub mod values;
pub mod version;

use std::collections::BTreeMap;
use std::sync::LazyLock;

pub use chart::Chart;
pub use error::{HelmError, TemplateError};
pub use frame::{Capabilities, Executor, Files, Release, RenderFrame, TemplateSource, TextOnly};
pub use setflags::ValueOptions;
pub use values::Values;

/// `helm template`'s options.
#[derive(Clone, Debug, Default)]
pub struct TemplateOptions {
    pub release_name: String,
    /// `-n`; Helm's default is `default`.
    pub namespace: Option<String>,
    pub is_upgrade: bool,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub show_only: Vec<String>,
    pub include_crds: bool,
    pub skip_tests: bool,
    /// `--version`: a constraint the chart's version must meet.
    pub version: Option<String>,
    pub values: ValueOptions,
}

/// A chart ready to execute: dependencies processed, values computed and
/// checked, the frame built.
#[derive(Debug)]
pub struct Prepared {
    pub chart: Chart,
    pub values: Values,
    pub frame: RenderFrame,
    /// What Helm would log (coalescing conflicts, ignored imports).
    pub warnings: Vec<String>,
}

/// Helm's release name rule (`ValidateReleaseName`).
fn check_release_name(name: &str) -> Result<(), HelmError> {
    static RE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
            .unwrap_or_else(|_| unreachable!())
    });
    if name.is_empty() || name.len() > 53 || !RE.is_match(name) {
        return Err(HelmError::Values {
            file: "RELEASE".into(),
            message: format!(
                "invalid release name `{name}`: it must be at most 53 characters of lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit"
            ),
        });
    }
    Ok(())
}

/// Everything `helm template` does before running templates, in Helm's
/// order: `--version`, installability, user values, dependencies,
/// coalescing, the schema, then the chart's `kubeVersion`.
pub fn prepare(mut chart: Chart, opts: &TemplateOptions) -> Result<Prepared, HelmError> {
    check_release_name(&opts.release_name)?;
    if let Some(wanted) = &opts.version {
        let ok = crate::chart::version::satisfies(wanted, &chart.metadata.version).map_err(
            |message| HelmError::BadChartVersion {
                wanted: wanted.clone(),
                message,
            },
        )?;
        if !ok {
            return Err(HelmError::ChartVersion {
                wanted: wanted.clone(),
                actual: chart.metadata.version.clone(),
            });
        }
    }
    if chart.metadata.is_library() {
        return Err(HelmError::LibraryChart {
            chart: chart.name().to_string(),
        });
    }
    let capabilities = Capabilities::new(opts.kube_version.as_deref(), &opts.api_versions)?;
    let user = opts.values.merge()?;
    let mut warnings = Vec::new();
    coalesce::process_dependencies(&mut chart, &user, &mut warnings)?;
    let values = coalesce::coalesce_values(&chart, &user, &mut warnings)?;
    schema::validate(&chart, &values)?;
    let required = &chart.metadata.kube_version;
    if !required.is_empty()
        && !version::is_compatible_range(required, &capabilities.kube_version.version)
    {
        return Err(HelmError::KubeVersion {
            required: required.clone(),
            actual: capabilities.kube_version.version.clone(),
        });
    }
    let release = Release {
        name: opts.release_name.clone(),
        namespace: opts.namespace.clone().unwrap_or_else(|| "default".into()),
        is_upgrade: opts.is_upgrade,
    };
    let frame = RenderFrame::build(&chart, &values, release, capabilities);
    Ok(Prepared {
        chart,
        values,
        frame,
        warnings,
    })
}

/// Executes every renderable template: Helm's name to text, `<no value>`
/// removed as Helm removes it.
pub fn execute(
    frame: &RenderFrame,
    exec: &mut dyn Executor,
) -> Result<BTreeMap<String, String>, HelmError> {
    exec.parse(frame)?;
    let mut out = BTreeMap::new();
    for (i, t) in frame.templates.iter().enumerate() {
        if !t.render {
            continue;
        }
        let text = exec.execute(frame, i)?;
        out.insert(t.name.clone(), text.replace("<no value>", ""));
    }
    Ok(out)
}

/// `helm template RELEASE CHART` with `opts`, templates run by `exec`.
pub fn template(
    chart: Chart,
    opts: &TemplateOptions,
    exec: &mut dyn Executor,
) -> Result<(String, Vec<String>), HelmError> {
    let prepared = prepare(chart, opts)?;
    let mut files = execute(&prepared.frame, exec)?;
    // NOTES.txt is rendered (its errors count) but not printed.
    files.retain(|name, _| !name.ends_with("NOTES.txt"));
    let crds = if opts.include_crds {
        prepared.chart.crd_objects(prepared.chart.name())
    } else {
        Vec::new()
    };
    let print = output::PrintOptions {
        crds,
        skip_tests: opts.skip_tests,
        show_only: opts.show_only.clone(),
    };
    Ok((output::print(&files, &print)?, prepared.warnings))
}
