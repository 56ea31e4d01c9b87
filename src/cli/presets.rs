//! `msvc presets`: the built-in BaseConfigs.

use anyhow::{Result, bail};
use clap::Subcommand;
use msvc::preset;

use super::{EXIT_OK, output::write_stdout};

#[derive(Subcommand, Debug)]
pub enum PresetsCommand {
    /// Name and one-line description of every preset
    List,
    /// Print a preset's YAML, to copy and adapt
    Show {
        /// The preset's name
        name: String,
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
        PresetsCommand::Show { name } => match preset::get(&name) {
            Some(text) => write_stdout(text)?,
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
