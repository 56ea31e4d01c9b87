//! `msvc template`: llm-d-modelservice chart values -> Kubernetes objects,
//! as `helm template RELEASE llm-d-modelservice -f VALUES` renders them.
//! With CHART (a chart folder or `.tgz`), any chart, by its own templates
//! on msvc's Go template engine ([`msvc::helm`]).

use std::io::Read;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use msvc::chart::{CHART_NAME, CHART_VERSION, ChartRequest, render_chart, version};
use msvc::error::{Diagnostic, Error, Span, Stage};
use msvc::helm;
use msvc::objects::{ObjectKey, PrintedManifest, PrintedObject};
use msvc::yaml::{Origin, parse_one, print};

use super::args::OutputArgs;
use super::output;

#[derive(Args, Debug)]
#[command(
    disable_version_flag = true,
    after_help = "Examples:\n  msvc template my-model -f values.yaml | kubectl apply -f -\n  msvc template my-model -f values.yaml --set decode.replicas=2 -o manifests/"
)]
pub struct TemplateArgs {
    /// The release name (as in `helm template RELEASE`)
    #[arg(value_name = "RELEASE")]
    pub release: String,
    /// A Helm chart (folder or packaged .tgz) to render by its own templates; without it, msvc's built-in llm-d-modelservice v0.4.12
    #[arg(value_name = "CHART")]
    pub chart: Option<PathBuf>,
    /// A values file of the llm-d-modelservice chart (- for stdin); repeat to layer, later over earlier
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<PathBuf>,
    /// Set a value in Helm's syntax (a.b=c, a[0].b=c, a={x,y}); repeat, later over earlier
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// The release namespace (`.Release.Namespace`, default `default`)
    #[arg(short = 'n', long, value_name = "NS")]
    pub namespace: Option<String>,
    /// The chart version to render, as in `helm template --version` (exact, or a range such as ^0.4); checked against the chart's
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
    /// With CHART: set a value as a string (no typing); repeat
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,
    /// With CHART: set a value to JSON (a.b={"x":1}); repeat
    #[arg(long = "set-json", value_name = "KEY=JSON")]
    pub set_json: Vec<String>,
    /// With CHART: set a value to a file's text; repeat
    #[arg(long = "set-file", value_name = "KEY=PATH")]
    pub set_file: Vec<String>,
    /// With CHART: set a value to the literal text after `=`; repeat
    #[arg(long = "set-literal", value_name = "KEY=VALUE")]
    pub set_literal: Vec<String>,
    /// With CHART: only the manifests of these templates (templates/x.yaml, globs as Helm's); repeat
    #[arg(short = 's', long = "show-only", value_name = "TEMPLATE")]
    pub show_only: Vec<String>,
    /// With CHART: print the chart's crds/ files first
    #[arg(long)]
    pub include_crds: bool,
    /// With CHART: leave out test hooks
    #[arg(long)]
    pub skip_tests: bool,
    /// With CHART: the Kubernetes version (.Capabilities.KubeVersion, the chart's kubeVersion check); default v1.36.0 as Helm v4.2
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// With CHART: API versions added to .Capabilities.APIVersions; comma-separated, repeat
    #[arg(
        short = 'a',
        long = "api-versions",
        value_name = "GROUP/VERSION",
        value_delimiter = ','
    )]
    pub api_versions: Vec<String>,
    /// With CHART: set .Release.IsUpgrade instead of .Release.IsInstall
    #[arg(long)]
    pub is_upgrade: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn read(path: &PathBuf) -> Result<(String, String), Error> {
    let read_err = |source| Error::Read {
        path: path.clone(),
        source,
    };
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(read_err)?;
        return Ok(("<stdin>".into(), text));
    }
    let text = std::fs::read_to_string(path).map_err(read_err)?;
    Ok((path.display().to_string(), text))
}

pub fn exec(args: TemplateArgs) -> Result<u8> {
    if let Some(chart) = &args.chart {
        return exec_chart(chart, &args);
    }
    let chart_only = [
        ("--set-string", !args.set_string.is_empty()),
        ("--set-json", !args.set_json.is_empty()),
        ("--set-file", !args.set_file.is_empty()),
        ("--set-literal", !args.set_literal.is_empty()),
        ("--show-only", !args.show_only.is_empty()),
        ("--include-crds", args.include_crds),
        ("--skip-tests", args.skip_tests),
        ("--kube-version", args.kube_version.is_some()),
        ("--api-versions", !args.api_versions.is_empty()),
        ("--is-upgrade", args.is_upgrade),
    ];
    if let Some((flag, _)) = chart_only.iter().find(|(_, used)| *used) {
        anyhow::bail!(
            "{flag} needs a CHART (msvc template RELEASE CHART {flag} ...); the built-in llm-d-modelservice v0.4.12 takes -f, --set, -n and --version"
        );
    }
    if let Some(wanted) = &args.version {
        check_version(wanted)?;
    }
    let request = ChartRequest {
        release: args.release.clone(),
        namespace: args.namespace.clone(),
        values: args.values.iter().map(read).collect::<Result<_, _>>()?,
        sets: args.set.clone(),
    };
    let manifest = render_chart(&request)?;
    output::deliver(&[manifest.print()], &args.output, None)
}

/// `--version`: msvc renders one chart version natively; another is an
/// error, never a silent render of the wrong chart.
fn check_version(wanted: &str) -> Result<()> {
    let at = || Span::new("--version".into(), 0, 0);
    match version::satisfies(wanted, CHART_VERSION) {
        Ok(true) => Ok(()),
        Ok(false) => Err(Error::input(
            Diagnostic::new(
                Stage::Resolve,
                at(),
                format!("{CHART_NAME} {wanted} is not the chart msvc renders ({CHART_NAME} {CHART_VERSION})"),
            )
            .with_help(format!(
                "render that version with `helm template`, or leave --version out to render {CHART_VERSION}"
            )),
        )
        .into()),
        Err(e) => Err(Error::input(Diagnostic::new(Stage::Resolve, at(), e)).into()),
    }
}

/// `msvc template RELEASE CHART`: the chart's own templates, as
/// `helm template` renders them.
fn exec_chart(chart_path: &std::path::Path, args: &TemplateArgs) -> Result<u8> {
    let fail = |e: helm::HelmError| match e.help() {
        Some(h) => anyhow::anyhow!("{}\nhelp: {h}", e.to_string().trim_end()),
        None => anyhow::anyhow!("{}", e.to_string().trim_end()),
    };
    let chart = helm::Chart::load(chart_path, &Default::default()).map_err(fail)?;
    let opts = helm::TemplateOptions {
        release_name: args.release.clone(),
        namespace: args.namespace.clone(),
        is_upgrade: args.is_upgrade,
        kube_version: args.kube_version.clone(),
        api_versions: args.api_versions.clone(),
        show_only: args.show_only.clone(),
        include_crds: args.include_crds,
        skip_tests: args.skip_tests,
        version: args.version.clone(),
        values: helm::ValueOptions {
            files: args.values.iter().map(read).collect::<Result<_, _>>()?,
            set_json: args.set_json.clone(),
            set: args.set.clone(),
            set_string: args.set_string.clone(),
            set_file: args.set_file.clone(),
            set_literal: args.set_literal.clone(),
        },
    };
    let mut engine = helm::engine::GoTemplates::default();
    let (text, warnings) = helm::template(chart, &opts, &mut engine).map_err(fail)?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let out = &args.output;
    if out.output_dir.is_none() && out.diff.is_none() && !out.check {
        output::write_stdout(&text)?;
        return Ok(super::EXIT_OK);
    }
    let manifest = printed(&args.release, &text)?;
    output::deliver(&[manifest], out, None)
}

/// The stream as objects, for -o, --diff and --check.
fn printed(release: &str, text: &str) -> Result<PrintedManifest> {
    let mut objects = Vec::new();
    for doc in helm::output::split_manifests(text) {
        let node = parse_one(&doc, &Origin::file("<rendered>"))
            .map_err(|d| anyhow::anyhow!("the chart rendered a document that is not YAML: {d}"))?;
        if node.is_null() {
            continue;
        }
        // Printed as msvc prints objects, so a later --diff/--check
        // compares like with like.
        objects.push(PrintedObject {
            key: ObjectKey::of(&node),
            text: print::to_string(&node),
        });
    }
    Ok(PrintedManifest {
        name: release.to_string(),
        objects,
    })
}
