//! `msvc presets`: the built-in BaseConfigs.

use anyhow::{Result, bail};
use clap::Subcommand;
use msvc::preset;

use super::inputs::parse_api;
use super::{EXIT_OK, output::write_stdout};

#[derive(Subcommand, Debug)]
pub enum PresetsCommand {
    /// Name and one-line description of every preset
    List,
    /// Print a preset's YAML, to copy and adapt
    Show {
        /// The preset's name
        #[arg(value_parser = super::args::PresetName, hide_possible_values = true)]
        name: String,
        /// Inference Extension API the copy is for: v1 leaves out the InferenceModel, which only v1alpha2 has
        #[arg(long, value_name = "API", default_value = "v1", value_parser = ["v1", "v1alpha2"])]
        gie_api: String,
    },
}

pub fn exec(cmd: PresetsCommand) -> Result<u8> {
    match cmd {
        PresetsCommand::List => {
            let width = preset::names().map(str::len).max().unwrap_or(0);
            let mut out = String::new();
            for (name, text) in preset::PRESETS {
                out.push_str(&format!("{name:width$}  {}\n", preset::description(text)));
            }
            write_stdout(&out)?;
        }
        PresetsCommand::Show { name, gie_api } => match preset::show(&name, parse_api(&gie_api)) {
            Some(text) => write_stdout(&text)?,
            None => {
                if let Err(e) = msvc::load_preset(&name) {
                    return Err(e.into());
                }
                bail!("unknown preset `{name}`");
            }
        },
    }
    Ok(EXIT_OK)
}
