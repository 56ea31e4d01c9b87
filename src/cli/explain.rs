//! `msvc explain`: where each field of the rendered output came from.

use anyhow::{Result, anyhow};
use clap::Args;
use msvc::explain::{self, Query};

use super::inputs::{Format, InputArgs};
use super::output::write_stdout;
use super::{EXIT_OK, report};

#[derive(Args, Debug)]
#[command(
    after_help = "Each line is `Kind/name:path = value  <- origin`; the origin is the ModelService or \
BaseConfig (file:line:col) the value was written in, or the msvc rule that made it.\n\n\
Examples:\n  msvc explain examples/llama2-7b.yaml\n  msvc explain model.yaml --path spec.replicas\n  \
msvc explain model.yaml --preset vllm-hf --path 'Deployment/llama2-7b-decode:spec.template.spec.containers[vllm].args'\n  \
msvc explain model.yaml --format json | jq '.[] | select(.origin.source == \"msvc\")'"
)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Only fields under this path: `Kind/name:path`, `Kind/name`, or a path in every object (e.g. `spec.replicas`). Repeatable
    #[arg(long, value_name = "PATH")]
    pub path: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn exec(args: ExplainArgs) -> Result<u8> {
    let queries = args
        .path
        .iter()
        .map(|p| Query::parse(p).map_err(|e| anyhow!("--path `{p}`: {e}")))
        .collect::<Result<Vec<_>>>()?;
    let request = args.input.request("explain")?;
    let explained = explain::explain(&request)?;
    report::warnings(&explained.warnings);
    let fields: Vec<&explain::Field> = if queries.is_empty() {
        explained.fields.iter().collect()
    } else {
        let mut out: Vec<&explain::Field> = Vec::new();
        for q in &queries {
            for f in explain::select(&explained.fields, q).map_err(|e| anyhow!(e))? {
                if !out.iter().any(|o| std::ptr::eq(*o, f)) {
                    out.push(f);
                }
            }
        }
        out
    };
    match args.format {
        Format::Text => write_stdout(&explain::to_text(&fields))?,
        Format::Json => write_stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&explain::to_json(&fields))?
        ))?,
    }
    Ok(EXIT_OK)
}
