//! `msvc krm`: run as a KRM function (kustomize, kpt): a ResourceList on
//! stdin, the same ResourceList with the rendered objects on stdout
//! (replacing those of an earlier run).

use std::io::Read;

use anyhow::{Context, Result};
use clap::Args;

use super::output::write_stdout;

#[derive(Args, Debug)]
#[command(
    after_help = "Reads a config.kubernetes.io/v1 ResourceList on standard input: the ModelService as functionConfig, or ModelServices among the items (ConfigMaps they name in spec.baseConfigMapRef are their BaseConfigs). Writes it back with the rendered objects in items as block YAML, replacing the objects an earlier run generated (labels app.kubernetes.io/managed-by: msvc and llm-d.ai/model-service), so a second run changes nothing; other items are kept byte for byte. Errors go into results; the exit status is then 1.\n\nSettings come from each ModelService's annotations: msvc.llm-d.ai/preset, msvc.llm-d.ai/baseconfig (a file relative to the working directory), msvc.llm-d.ai/epp-cluster-role, msvc.llm-d.ai/pd-pull-secrets, msvc.llm-d.ai/epp-pull-secrets, msvc.llm-d.ai/gie-api.\n\nExamples:\n  kpt fn eval models/ --exec \"msvc krm\" --fn-config model.yaml\n  kustomize build --enable-alpha-plugins --enable-exec .   # with a config.kubernetes.io/function exec annotation"
)]
pub struct KrmArgs {}

pub fn exec(_args: KrmArgs) -> Result<u8> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading the ResourceList from standard input")?;
    let env = msvc::krm::Env {
        root: std::env::current_dir().ok(),
        ..msvc::krm::Env::default()
    };
    let outcome = msvc::krm::run(&input, &env);
    write_stdout(&outcome.output)?;
    Ok(outcome.exit_code)
}
