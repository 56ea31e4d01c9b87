//! `msvc kustomize-plugin`: kustomize's legacy exec generator plugin.
//!
//! `install` writes an executable wrapper where kustomize looks for the
//! plugin of `llm-d.ai/v1alpha1` `ModelService`; kustomize runs it with the
//! path of a file holding the generator's config (the ModelService) and
//! the kustomization's directory as working directory, and reads the
//! objects from its standard output. The wrapper calls the hidden `run`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use msvc::annotations::FileRoot;
use msvc::error::{Diagnostic, Error, Span, Stage};
use msvc::load::Source;
use msvc::yaml::{Origin, parse_documents};
use msvc::{RenderOptions, RenderRequest, emit};

use super::output::write_stdout;
use super::{EXIT_OK, report};

/// Where the plugin goes below the plugin home: group/version/kind.
pub const PLUGIN_PATH: &str = "llm-d.ai/v1alpha1/modelservice/ModelService";

#[derive(Subcommand, Debug)]
pub enum KustomizePluginCommand {
    /// Install the generator plugin for kustomize (`generators:` listing a ModelService file)
    #[command(
        after_help = "The plugin goes to DIR/llm-d.ai/v1alpha1/modelservice/ModelService, DIR being --dir, else $KUSTOMIZE_PLUGIN_HOME, else $XDG_CONFIG_HOME/kustomize/plugin, else ~/.config/kustomize/plugin (kustomize's own search order).\n\nThen:\n  kustomize build --enable-alpha-plugins DIR\n  kubectl kustomize --enable-alpha-plugins DIR"
    )]
    Install {
        /// Plugin home directory
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// The msvc binary the plugin runs (default: this one)
        #[arg(long, value_name = "PATH")]
        msvc: Option<PathBuf>,
    },
    /// Render a generator config file (what the installed plugin runs)
    #[command(hide = true)]
    Run {
        /// The file kustomize wrote the ModelService to
        config: PathBuf,
        /// Further arguments from the config's argsOneLiner (none are taken)
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        rest: Vec<String>,
    },
}

pub fn exec(cmd: KustomizePluginCommand) -> Result<u8> {
    match cmd {
        KustomizePluginCommand::Install { dir, msvc } => install(dir, msvc),
        KustomizePluginCommand::Run { config, rest } => {
            if !rest.is_empty() {
                bail!(
                    "the ModelService generator takes no arguments (got {}); set msvc.llm-d.ai/* annotations instead",
                    rest.join(" ")
                );
            }
            run(&config)
        }
    }
}

/// The plugin home, as kustomize finds it.
pub fn plugin_home(
    dir: Option<PathBuf>,
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Result<PathBuf> {
    let set = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = dir.or_else(|| set("KUSTOMIZE_PLUGIN_HOME")) {
        return Ok(d);
    }
    if let Some(x) = set("XDG_CONFIG_HOME") {
        return Ok(x.join("kustomize").join("plugin"));
    }
    match set("HOME") {
        Some(h) => Ok(h.join(".config").join("kustomize").join("plugin")),
        None => bail!(
            "cannot find the kustomize plugin directory: set --dir, KUSTOMIZE_PLUGIN_HOME, XDG_CONFIG_HOME or HOME"
        ),
    }
}

/// The wrapper script that runs `msvc` as the plugin.
pub fn wrapper(msvc: &Path) -> String {
    let quoted = msvc.display().to_string().replace('\'', r"'\''");
    format!(
        "#!/bin/sh\n# kustomize generator plugin for llm-d.ai/v1alpha1 ModelService,\n# written by `msvc kustomize-plugin install`.\nexec '{quoted}' kustomize-plugin run \"$@\"\n"
    )
}

fn install(dir: Option<PathBuf>, msvc: Option<PathBuf>) -> Result<u8> {
    let home = plugin_home(dir, |v| std::env::var_os(v))?;
    let msvc = match msvc {
        Some(p) => p,
        None => std::env::current_exe()
            .and_then(|p| p.canonicalize())
            .context("finding the msvc binary (name it with --msvc)")?,
    };
    let target = home.join(PLUGIN_PATH);
    let parent = target.parent().unwrap_or(&home);
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    // Write aside and rename, so a kustomize build never sees half a file.
    let tmp = parent.join(".ModelService.msvc-tmp");
    std::fs::write(&tmp, wrapper(&msvc)).with_context(|| format!("writing {}", tmp.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("making {} executable", tmp.display()))?;
    }
    std::fs::rename(&tmp, &target).with_context(|| format!("writing {}", target.display()))?;
    write_stdout(&format!("{}\n", target.display()))?;
    Ok(EXIT_OK)
}

/// Renders the generator config: one ModelService, settings from its
/// annotations, BaseConfig files relative to the kustomization.
fn run(config: &Path) -> Result<u8> {
    let text = std::fs::read_to_string(config).map_err(|source| Error::Read {
        path: config.to_path_buf(),
        source,
    })?;
    // kustomize passes a temporary file; name the input by what it is.
    let name = "kustomize generator config";
    let docs = parse_documents(&text, &Origin::file(name)).map_err(Error::input)?;
    if docs.iter().all(|d| d.is_null()) {
        return Err(Error::input(Diagnostic::new(
            Stage::Decode,
            Span::new(name.into(), 0, 0),
            "the generator config is empty",
        ))
        .into());
    }
    // The renderer reads the ModelService's annotations, as `msvc render`
    // does; BaseConfig files are relative to the kustomization.
    let root = std::env::var_os("KUSTOMIZE_PLUGIN_CONFIG_ROOT")
        .filter(|r| !r.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok());
    let request = RenderRequest {
        inputs: vec![Source::new(name, text)],
        options: RenderOptions {
            file_root: FileRoot::Dir(root),
            ..RenderOptions::default()
        },
        ..RenderRequest::default()
    };
    let rendered = msvc::render(&request)?;
    report::warnings(&rendered.warnings);
    write_stdout(&emit::to_stream(&rendered.manifests))?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn plugin_home_follows_kustomize() {
        let all = [
            ("KUSTOMIZE_PLUGIN_HOME", "/k"),
            ("XDG_CONFIG_HOME", "/x"),
            ("HOME", "/h"),
        ];
        assert_eq!(
            plugin_home(Some("/d".into()), env(&all)).unwrap(),
            Path::new("/d")
        );
        assert_eq!(plugin_home(None, env(&all)).unwrap(), Path::new("/k"));
        assert_eq!(
            plugin_home(None, env(&all[1..])).unwrap(),
            Path::new("/x/kustomize/plugin")
        );
        assert_eq!(
            plugin_home(None, env(&[("KUSTOMIZE_PLUGIN_HOME", ""), ("HOME", "/h")])).unwrap(),
            Path::new("/h/.config/kustomize/plugin")
        );
        assert!(plugin_home(None, env(&[])).is_err());
    }

    #[test]
    fn wrapper_quotes_the_path() {
        let w = wrapper(Path::new("/opt/it's/msvc"));
        assert!(w.starts_with("#!/bin/sh\n"));
        assert!(
            w.ends_with("exec '/opt/it'\\''s/msvc' kustomize-plugin run \"$@\"\n"),
            "{w}"
        );
    }
}
