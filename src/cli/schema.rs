//! `msvc schema`: the JSON Schema of the ModelService or the BaseConfig.

use anyhow::Result;
use clap::{Args, ValueEnum};
use msvc::json_schema::Document;

use super::EXIT_OK;
use super::output::write_stdout;

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// llm-d.ai/v1alpha1 ModelService
    Modelservice,
    /// A BaseConfig ConfigMap
    Baseconfig,
}

#[derive(Args, Debug)]
#[command(
    after_help = "The same schemas ship in the repository as schemas/*.schema.json. For editors with \
yaml-language-server (VS Code's YAML extension, Neovim, Helix), start a file with:\n  \
# yaml-language-server: $schema=https://raw.githubusercontent.com/<org>/msvc/main/schemas/modelservice.schema.json\n\
or point it at a local copy:\n  msvc schema modelservice > .msvc/modelservice.schema.json"
)]
pub struct SchemaArgs {
    /// Which document's schema
    #[arg(value_enum, default_value_t = Which::Modelservice)]
    pub which: Which,
}

pub fn exec(args: SchemaArgs) -> Result<u8> {
    let doc = match args.which {
        Which::Modelservice => Document::ModelService,
        Which::Baseconfig => Document::BaseConfig,
    };
    write_stdout(&doc.text())?;
    Ok(EXIT_OK)
}
