//! `msvc template`: llm-d-modelservice chart values -> Kubernetes objects,
//! as `helm template RELEASE llm-d-modelservice -f VALUES` renders them.

use std::io::Read;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use msvc::chart::{CHART_NAME, CHART_VERSION, ChartRequest, render_chart, version};
use msvc::error::{Diagnostic, Error, Span, Stage};

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
