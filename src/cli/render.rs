//! `msvc render`: ModelServices + BaseConfigs -> Kubernetes objects.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use msvc::applyset::ApplySet;
use msvc::error::Error;
use msvc::load::read_paths;
use msvc::objects::inference::GieApi;
use msvc::{RenderOptions, RenderRequest};

use super::args::OutputArgs;
use super::{output, report};

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  msvc render examples/llama2-7b.yaml | kubectl apply -f -\n  msvc render models/ -o manifests/\n  msvc render models/ --check --diff manifests/"
)]
pub struct RenderArgs {
    /// ModelService files, directories (every *.yaml/*.yml below, sorted) or - for stdin
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// A ModelService file (the old controller's `generate -m`)
    #[arg(short = 'm', long = "modelservice", value_name = "FILE")]
    pub modelservice: Vec<PathBuf>,
    /// A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig
    #[arg(
        short = 'b',
        long = "baseconfig",
        value_name = "FILE",
        conflicts_with = "preset"
    )]
    pub baseconfig: Vec<PathBuf>,
    /// A built-in preset (see `msvc presets list`); repeat to layer presets, later over earlier
    #[arg(long, value_name = "NAME")]
    pub preset: Vec<String>,
    /// Namespace of every rendered object (default: the ModelService's, else `default`)
    #[arg(short = 'n', long, value_name = "NS")]
    pub namespace: Option<String>,
    /// Namespace of ModelServices that name none, instead of `default` (--namespace still wins)
    #[arg(long, value_name = "NS")]
    pub default_namespace: Option<String>,
    /// Bind the endpoint picker to this ClusterRole instead of a Role msvc emits
    #[arg(long, value_name = "NAME")]
    pub epp_cluster_role: Option<String>,
    /// imagePullSecrets for the prefill/decode ServiceAccount
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub pd_pull_secrets: Vec<String>,
    /// imagePullSecrets for the endpoint picker's ServiceAccount
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub epp_pull_secrets: Vec<String>,
    /// Inference Extension API of the InferencePool: v1 (current) or v1alpha2 (the controller's, with InferenceModel)
    #[arg(long, value_name = "API", default_value = "v1", value_parser = ["v1", "v1alpha2"])]
    pub gie_api: String,
    /// Label objects as members of this kubectl ApplySet ([KIND/]NAME, as `kubectl apply --prune --applyset` takes it; in --namespace, else `default`)
    #[arg(long, value_name = "NAME")]
    pub applyset: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Treat warnings (e.g. BaseConfig fields outside the object's schema) as errors
    #[arg(long)]
    pub strict: bool,
}

pub fn exec(args: RenderArgs) -> Result<u8> {
    let mut paths = args.inputs.clone();
    paths.extend(args.modelservice.iter().cloned());
    if paths.is_empty() {
        anyhow::bail!(
            "no input: name ModelService files or directories, or - for stdin (see `msvc render --help`)"
        );
    }
    let request = RenderRequest {
        inputs: read_paths(&paths)?,
        base_files: read_paths(&args.baseconfig)?,
        presets: args.preset.clone(),
        options: RenderOptions {
            namespace: args.namespace.clone(),
            default_namespace: args.default_namespace.clone(),
            epp_cluster_role: args.epp_cluster_role.clone(),
            pd_pull_secrets: trimmed(&args.pd_pull_secrets),
            epp_pull_secrets: trimmed(&args.epp_pull_secrets),
            gie_api: match args.gie_api.as_str() {
                "v1alpha2" => GieApi::V1Alpha2,
                _ => GieApi::V1,
            },
            applyset: args
                .applyset
                .as_deref()
                .map(|a| {
                    let ns = args
                        .namespace
                        .as_deref()
                        .or(args.default_namespace.as_deref());
                    ApplySet::parse(a, ns.unwrap_or("default"))
                })
                .transpose()
                .map_err(Error::input)?,
        },
    };
    let rendered = msvc::render(&request)?;
    if args.strict && !rendered.warnings.is_empty() {
        return Err(Error::Input(rendered.warnings).into());
    }
    report::warnings(&rendered.warnings);
    output::deliver(&rendered.manifests, &args.output)
}

/// `--pd-pull-secrets "a, b"`: names without the spaces around them, and
/// no empty names.
fn trimmed(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}
