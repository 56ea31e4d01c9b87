//! `msvc render`: ModelServices + BaseConfigs -> Kubernetes objects.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use msvc::applyset::ApplySet;
use msvc::error::Error;

use super::args::OutputArgs;
use super::inputs::InputArgs;
use super::{output, report};

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  msvc render examples/llama2-7b.yaml | kubectl apply -f -\n  msvc render models/ -o manifests/\n  msvc render models/ --check --diff manifests/"
)]
pub struct RenderArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// A ModelService file (the old controller's `generate -m`)
    #[arg(short = 'm', long = "modelservice", value_name = "FILE")]
    pub modelservice: Vec<PathBuf>,
    /// Label objects as members of this kubectl ApplySet ([KIND/]NAME, as `kubectl apply --prune --applyset` takes it; in --namespace, else --default-namespace, else `default`)
    #[arg(long, value_name = "NAME")]
    pub applyset: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Render on N threads (default: one per CPU); the output is the same for any N
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Treat warnings (e.g. BaseConfig fields outside the object's schema) as errors
    #[arg(long)]
    pub strict: bool,
}

pub fn exec(args: RenderArgs) -> Result<u8> {
    let mut input = args.input.clone();
    input.inputs.extend(args.modelservice.iter().cloned());
    let mut request = input.request("render")?;
    if let Some(a) = args.applyset.as_deref() {
        let ns = input
            .namespace
            .as_deref()
            .or(input.default_namespace.as_deref())
            .unwrap_or("default");
        request.options.applyset = Some(ApplySet::parse(a, ns).map_err(Error::input)?);
    }
    request.options.jobs = args.jobs.map(usize::from);
    let rendered = msvc::render_printed(&request)?;
    if args.strict && !rendered.warnings.is_empty() {
        return Err(Error::Input(rendered.warnings).into());
    }
    report::warnings(&rendered.warnings);
    output::deliver(&rendered.manifests, &args.output, request.options.jobs)
}
