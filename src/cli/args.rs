//! Flags shared by the subcommands that render (`render`, `template`).

use std::path::PathBuf;

use clap::Args;

#[derive(Args, Debug, Clone, Default)]
pub struct OutputArgs {
    /// Write one file per object to DIR/<name>/<kind>-<name>.yaml (replaces DIR atomically)
    #[arg(short = 'o', long = "output-dir", value_name = "DIR", value_parser = output_dir)]
    pub output_dir: Option<PathBuf>,
    /// Compare with a previous render (a file or an -o directory) and print a diff per object; exit 1 when different
    #[arg(long, value_name = "PATH")]
    pub diff: Option<PathBuf>,
    /// Like --diff, but write nothing and end with a summary: for CI (exit 1 when different). Compares with --diff PATH, else with -o DIR
    #[arg(long)]
    pub check: bool,
}

/// `-o DIR`, refusing the output formats of `kubectl -o` and `helm -o`:
/// `-o yaml` would otherwise write a directory named `yaml` and print nothing.
fn output_dir(value: &str) -> Result<PathBuf, String> {
    let format = match value {
        "yaml" | "json" | "name" | "wide" | "table" => Some(value),
        "-" => None,
        _ => match value.split_once('=') {
            Some((f @ ("jsonpath" | "go-template" | "custom-columns" | "template"), _)) => Some(f),
            _ => return Ok(PathBuf::from(value)),
        },
    };
    Err(match format {
        None => {
            "-o takes a directory; the rendered YAML goes to standard output when -o is left out"
                .into()
        }
        Some(f) => format!(
            "-o takes a directory, not an output format as in `kubectl -o {f}`: msvc prints YAML to standard output when -o is left out{}; to write into a directory named `{value}`, give -o ./{value}",
            if f == "yaml" {
                ""
            } else {
                " (it writes YAML only)"
            }
        ),
    })
}

/// A preset name: any string is accepted (an unknown one gets msvc's own
/// error with a suggestion), but the built-in names are the possible values,
/// so shell completions offer them.
#[derive(Clone, Debug)]
pub struct PresetName;

impl clap::builder::TypedValueParser for PresetName {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(msvc::preset::PRESETS.iter().map(
            |(name, text)| {
                clap::builder::PossibleValue::new(*name).help(msvc::preset::description(text))
            },
        )))
    }
}
