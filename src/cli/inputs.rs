//! Flags shared by the subcommands that read ModelServices the way
//! `render` does (`explain`, `lint`).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use msvc::error::{Error, Span};
use msvc::load::{read_inputs, read_paths};
use msvc::objects::inference::GieApi;
use msvc::{RenderOptions, RenderRequest};

#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// ModelService files, directories (every *.yaml/*.yml below, sorted) or - for stdin
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub filenames: Vec<PathBuf>,
    /// A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig
    #[arg(
        short = 'b',
        long = "baseconfig",
        value_name = "FILE",
        conflicts_with = "preset"
    )]
    pub baseconfig: Vec<PathBuf>,
    /// A built-in preset (see `msvc presets list`); repeat to layer presets, later over earlier
    #[arg(long, value_name = "NAME", value_parser = super::args::PresetName, hide_possible_values = true)]
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
    /// Inference Extension API of the InferencePool: v1 (current, the default) or v1alpha2 (the controller's, with InferenceModel)
    #[arg(long, value_name = "API", value_parser = ["v1", "v1alpha2"])]
    pub gie_api: Option<String>,
}

impl InputArgs {
    /// Reads the inputs into the request `render` would make.
    pub fn request(&self, command: &str) -> Result<RenderRequest> {
        let inputs: Vec<PathBuf> = self.inputs.iter().chain(&self.filenames).cloned().collect();
        if inputs.is_empty() {
            bail!(
                "no input: name ModelService files or directories, or - for stdin (see `msvc {command} --help`)"
            );
        }
        // An unknown preset is a mistake on the command line: say so there.
        if let Some(name) = self
            .preset
            .iter()
            .find(|name| msvc::preset::get(name).is_none())
        {
            let at = Span::new("--preset".into(), 0, 0);
            return Err(Error::input(msvc::preset::unknown(name, at)).into());
        }
        Ok(RenderRequest {
            inputs: read_inputs(&inputs)?,
            base_files: read_paths(&self.baseconfig).context("the BaseConfig given with -b")?,
            presets: self.preset.clone(),
            options: RenderOptions {
                namespace: self.namespace.clone(),
                default_namespace: self.default_namespace.clone(),
                epp_cluster_role: self.epp_cluster_role.clone(),
                pd_pull_secrets: trimmed(&self.pd_pull_secrets),
                epp_pull_secrets: trimmed(&self.epp_pull_secrets),
                gie_api: self.gie_api.as_deref().map(parse_api),
                ..RenderOptions::default()
            },
        })
    }
}

/// `--gie-api`, whose values clap has checked.
pub fn parse_api(api: &str) -> GieApi {
    match api {
        "v1alpha2" => GieApi::V1Alpha2,
        _ => GieApi::V1,
    }
}

/// `--pd-pull-secrets "a, b"`: names without the spaces around them, and
/// no empty names.
fn trimmed(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `--format`.
#[derive(ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// For people
    #[default]
    Text,
    /// For programs and CI
    Json,
}
