//! `msvc lint`: render's errors and a reviewer's warnings, like a compiler.

use anyhow::Result;
use clap::{Args, ValueEnum};
use msvc::lint;

use super::inputs::InputArgs;
use super::output::write_stdout;
use super::{EXIT_DIFFERENT, EXIT_ERROR, EXIT_OK};

#[derive(ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LintFormat {
    /// `file:line:col: warning: message [rule]`, for people and editors
    #[default]
    Text,
    /// An array of {severity, file, line, column, message, help, rule, path}
    Json,
    /// GitHub Actions annotations (`::warning file=...::message`)
    Github,
}

#[derive(Args, Debug)]
#[command(
    after_help = "Exit status: 0 no errors (warnings allowed), 1 warnings with --deny-warnings, 2 errors.\n\n\
Rules: render (what msvc render rejects or warns about), duplicate-name, duplicate-model-name, \
hpa-replicas, tensor-parallelism, model-cache-size, image-tag, image-missing.\n\n\
Examples:\n  msvc lint models/\n  msvc lint models/ hpas/ --deny-warnings\n  msvc lint models/ --format json"
)]
pub struct LintArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,
    /// Exit 1 when there are warnings (and no errors)
    #[arg(long)]
    pub deny_warnings: bool,
}

pub fn exec(args: LintArgs) -> Result<u8> {
    let request = args.input.request("lint")?;
    let report = lint::lint(&request);
    match args.format {
        LintFormat::Text => write_stdout(&lint::to_text(&report))?,
        LintFormat::Json => write_stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&lint::to_json(&report))?
        ))?,
        LintFormat::Github => write_stdout(&lint::to_github(&report))?,
    }
    Ok(if report.errors() > 0 {
        EXIT_ERROR
    } else if args.deny_warnings && report.warnings() > 0 {
        EXIT_DIFFERENT
    } else {
        EXIT_OK
    })
}
