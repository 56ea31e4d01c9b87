//! Flags shared by the subcommands that render (`render`, `template`).

use std::path::PathBuf;

use clap::Args;

#[derive(Args, Debug, Clone, Default)]
pub struct OutputArgs {
    /// Write one file per object to DIR/<name>/<kind>-<name>.yaml (replaces DIR atomically)
    #[arg(short = 'o', long = "output-dir", value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Compare with a previous render (a file or an -o directory) and print a diff per object; exit 1 when different
    #[arg(long, value_name = "PATH")]
    pub diff: Option<PathBuf>,
    /// Like --diff, but write nothing and end with a summary: for CI (exit 1 when different). Compares with --diff PATH, else with -o DIR
    #[arg(long)]
    pub check: bool,
}
