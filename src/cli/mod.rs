//! Command-line interface. Each subcommand has a file that declares its
//! arguments and turns them into a library call; only [`report`] prints
//! errors, and only [`main`] picks the exit code.

mod args;
mod explain;
mod inputs;
mod krm;
mod kustomize_plugin;
mod lint;
#[cfg(test)]
mod man;
mod output;
mod presets;
mod render;
mod report;
mod schema;
mod template;
mod version;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// Exit codes, as `diff` and `kubectl diff` use them.
pub const EXIT_OK: u8 = 0;
pub const EXIT_DIFFERENT: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "msvc",
    version,
    about = "Render llm-d ModelServices into Kubernetes manifests, offline and deterministically",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Render ModelServices (and their BaseConfigs) into Kubernetes objects
    Render(render::RenderArgs),
    /// Render llm-d-modelservice Helm chart values, as `helm template` does
    Template(template::TemplateArgs),
    /// List or show the built-in BaseConfig presets
    #[command(subcommand)]
    Presets(presets::PresetsCommand),
    /// Run as a KRM function: a ResourceList on stdin, rendered objects appended on stdout
    Krm(krm::KrmArgs),
    /// Install msvc as kustomize's generator plugin for ModelServices
    #[command(subcommand)]
    KustomizePlugin(kustomize_plugin::KustomizePluginCommand),
    /// Show where each field of the rendered output came from: ModelService, BaseConfig or an msvc rule
    Explain(explain::ExplainArgs),
    /// Check ModelServices: everything render rejects, plus a reviewer's warnings
    Lint(lint::LintArgs),
    /// Print the JSON Schema of the ModelService or the BaseConfig, for editors
    Schema(schema::SchemaArgs),
    /// Print a shell completion script
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
}

pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match parse(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { EXIT_OK });
        }
    };
    let result = match cli.command {
        Command::Render(args) => render::exec(args),
        Command::Template(args) => template::exec(args),
        Command::Presets(cmd) => presets::exec(cmd),
        Command::Krm(args) => krm::exec(args),
        Command::KustomizePlugin(cmd) => kustomize_plugin::exec(cmd),
        Command::Explain(args) => explain::exec(args),
        Command::Lint(args) => lint::exec(args),
        Command::Schema(args) => schema::exec(args),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "msvc", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            report::error(&e);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Parses the command line. The long version lists every preset's images,
/// which means reading all of them: only done when `--version` is asked.
fn parse(args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
    use clap::FromArgMatches;
    let mut cmd = Cli::command();
    if args.iter().skip(1).any(|a| a == "--version") {
        cmd = cmd.long_version(version::long_version());
    }
    Cli::from_arg_matches(&cmd.try_get_matches_from(args)?)
}

/// The completion script for `shell` (used to keep `completions/` current).
#[cfg(test)]
pub fn completion_script(shell: clap_complete::Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "msvc", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// `completions/` holds the generated scripts; regenerate them with
    /// `MSVC_UPDATE_COMPLETIONS=1 cargo test completions`.
    #[test]
    fn completions_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
        for (shell, file) in [
            (clap_complete::Shell::Bash, "msvc.bash"),
            (clap_complete::Shell::Zsh, "_msvc"),
            (clap_complete::Shell::Fish, "msvc.fish"),
            (clap_complete::Shell::PowerShell, "_msvc.ps1"),
            (clap_complete::Shell::Elvish, "msvc.elv"),
        ] {
            let want = completion_script(shell);
            let path = dir.join(file);
            if std::env::var_os("MSVC_UPDATE_COMPLETIONS").is_some() {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &want).unwrap();
            }
            let have = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                have == want,
                "{} is stale: run MSVC_UPDATE_COMPLETIONS=1 cargo test completions",
                path.display()
            );
        }
    }
}
