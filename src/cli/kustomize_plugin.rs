//! `msvc kustomize-plugin`: kustomize's legacy exec generator plugin.
//!
//! `install` writes an executable wrapper where kustomize looks for the
//! plugin of `llm-d.ai/v1alpha1` `ModelService`; kustomize runs it with the
//! path of a file holding the generator's config (the ModelService) and
//! the kustomization's directory as working directory, and reads the
//! objects from its standard output. The wrapper calls the hidden `run`.
//!
//! That file is kustomize's re-serialization of the user's ModelService
//! (keys sorted, comments gone), so its lines are nobody's. `run` looks the
//! document up among the kustomization's `generators:` files and renders
//! the user's own text, so that errors point at the user's file and line;
//! when it cannot be found, errors name the ModelService and a YAML path,
//! without a line.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use msvc::annotations::FileRoot;
use msvc::error::{Diagnostic, Error, Span, Stage};
use msvc::load::Source;
use msvc::objects::ObjectExt;
use msvc::yaml::{Node, Origin, parse_documents};
use msvc::{RenderOptions, RenderRequest, emit};

use super::output::write_stdout;
use super::{EXIT_ERROR, EXIT_OK, report};

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
    let Some(config_doc) = docs.iter().find(|d| !d.is_null()) else {
        return Err(Error::input(Diagnostic::new(
            Stage::Decode,
            Span::new(name.into(), 0, 0),
            "the generator config is empty",
        ))
        .into());
    };
    let root = std::env::var_os("KUSTOMIZE_PLUGIN_CONFIG_ROOT")
        .filter(|r| !r.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok());
    let input = match root.as_deref().and_then(|r| user_document(r, config_doc)) {
        Some(found) => found,
        None => Input::unlocated(config_doc, text, root.as_deref()),
    };
    let rendered = match render_input(&input, root.as_deref()) {
        Ok(r) => r,
        Err(e @ Error::Input(_)) => {
            report::error(&input.locate(e).into());
            eprintln!("note: {}", input.note);
            return Ok(EXIT_ERROR);
        }
        Err(e) => return Err(e.into()),
    };
    let warnings: Vec<Diagnostic> = rendered
        .warnings
        .iter()
        .cloned()
        .map(|d| input.locate_one(d))
        .collect();
    report::warnings(&warnings);
    write_stdout(&emit::to_stream(&rendered.manifests))?;
    Ok(EXIT_OK)
}

/// The ModelService to render, named for messages.
struct Input {
    /// The user's file as the kustomization names it, or the ModelService.
    name: String,
    text: String,
    /// Lines and columns in `text` are the user's.
    located: bool,
    /// Which generator this is, for the line after the errors.
    note: String,
}

impl Input {
    /// kustomize's copy: its positions are dropped from messages.
    fn unlocated(doc: &Node, text: String, root: Option<&Path>) -> Self {
        let mut name = format!("kustomize generator ModelService `{}`", doc.name());
        if let Some(ns) = doc.namespace() {
            name.push_str(&format!(" in namespace `{ns}`"));
        }
        let root = root.map_or(String::new(), |r| format!(" in {}", r.display()));
        Input {
            note: format!(
                "no file under `generators:` of the kustomization{root} holds this ModelService as kustomize passed it, so the messages give YAML paths, not lines (kustomize rewrites the config it passes)"
            ),
            name,
            text,
            located: false,
        }
    }

    fn locate_one(&self, mut d: Diagnostic) -> Diagnostic {
        if !self.located && *d.span.file == *self.name {
            d.span = Span::new(d.span.file.clone(), 0, 0);
        }
        d
    }

    fn locate(&self, e: Error) -> Error {
        match e {
            Error::Input(diags) => {
                Error::Input(diags.into_iter().map(|d| self.locate_one(d)).collect())
            }
            other => other,
        }
    }
}

fn render_input(input: &Input, root: Option<&Path>) -> Result<msvc::Rendered, Error> {
    // The renderer reads the ModelService's annotations, as `msvc render`
    // does; BaseConfig files are relative to the kustomization.
    let request = RenderRequest {
        inputs: vec![Source::new(input.name.as_str(), input.text.clone())],
        options: RenderOptions {
            file_root: FileRoot::Dir(root.map(Path::to_path_buf)),
            ..RenderOptions::default()
        },
        ..RenderRequest::default()
    };
    msvc::render(&request)
}

/// Names of the kustomization file, as kustomize looks for them.
const KUSTOMIZATION_FILES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// The user's document that kustomize copied into `config`: among the files
/// under `generators:` of the kustomization in `root`, the document with
/// the same data. Its file keeps only that document's lines (the others
/// blank), so positions are the file's own.
fn user_document(root: &Path, config: &Node) -> Option<Input> {
    let kustomization = KUSTOMIZATION_FILES
        .iter()
        .map(|n| root.join(n))
        .find(|p| p.is_file())?;
    let k_text = std::fs::read_to_string(&kustomization).ok()?;
    let k_docs = parse_documents(&k_text, &Origin::file("kustomization")).ok()?;
    let generators = k_docs.first()?.get("generators")?.as_seq()?;
    let want = comparable(config);
    let here = std::env::current_dir().ok();
    for entry in generators.iter().filter_map(Node::as_str) {
        let path = root.join(entry);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // Named as the user would open it from here.
        let name = match &here {
            Some(h) if h == root => entry.to_string(),
            _ => path.display().to_string(),
        };
        let Ok(docs) = parse_documents(&text, &Origin::file(name.as_str())) else {
            continue;
        };
        if let Some(doc) = docs.iter().find(|d| comparable(d) == want) {
            return Some(Input {
                note: format!(
                    "in the kustomize generator ModelService `{}`, `{entry}` under `generators:` of {}",
                    doc.name(),
                    kustomization.display()
                ),
                name,
                text: only_document(&text, doc.span.line as usize),
                located: true,
            });
        }
    }
    None
}

/// A ModelService's data without the annotations kustomize and kpt add.
fn comparable(doc: &Node) -> serde_json::Value {
    let mut json = doc.to_json();
    if let Some(meta) = json.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        if let Some(a) = meta.get_mut("annotations").and_then(|a| a.as_object_mut()) {
            a.retain(|k, _| {
                !k.starts_with("config.kubernetes.io/")
                    && !k.starts_with("internal.config.kubernetes.io/")
                    && !k.starts_with("kustomize.config.k8s.io/")
            });
        }
        if meta
            .get("annotations")
            .is_some_and(|a| a.as_object().is_some_and(|a| a.is_empty()) || a.is_null())
        {
            meta.remove("annotations");
        }
    }
    json
}

/// `text` with the lines of every document but the one at `line` (1-based)
/// blanked, so that the others are not rendered and lines keep their
/// numbers.
fn only_document(text: &str, line: usize) -> String {
    let separator = |l: &str| {
        l == "..."
            || (l.starts_with("---") && l[3..].chars().next().is_none_or(char::is_whitespace))
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let at = line.saturating_sub(1);
    let start = lines[..at.min(lines.len())]
        .iter()
        .rposition(|l| separator(l))
        .map_or(0, |i| i + 1);
    let end = lines[at.min(lines.len())..]
        .iter()
        .position(|l| separator(l))
        .map_or(lines.len(), |i| at + i);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| if (start..end).contains(&i) { *l } else { "" })
        .collect::<Vec<_>>()
        .join("\n")
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
    fn only_document_blanks_the_others_and_keeps_lines() {
        let text = "a: 1\n---\n# c\nb: 2\nc: 3\n--- \nd: 4\n";
        assert_eq!(only_document(text, 4), "\n\n# c\nb: 2\nc: 3\n\n\n");
        assert_eq!(only_document(text, 1), "a: 1\n\n\n\n\n\n\n");
        assert_eq!(only_document(text, 7), "\n\n\n\n\n\nd: 4\n");
        assert_eq!(only_document("---\na: 1\n...\n", 2), "\na: 1\n\n");
    }

    #[test]
    fn comparable_ignores_what_kustomize_adds() {
        let doc = |t: &str| parse_documents(t, &Origin::file("t")).unwrap().remove(0);
        let user = doc("kind: K\nmetadata:\n  name: x\nspec: {a: 1}\n");
        let copy = doc(
            "metadata:\n  annotations:\n    config.kubernetes.io/origin: 'path: x.yaml'\n  name: x\nkind: K\nspec:\n  a: 1\n",
        );
        assert_eq!(comparable(&user), comparable(&copy));
        let other = doc("kind: K\nmetadata:\n  name: x\n  annotations: {k: v}\nspec: {a: 1}\n");
        assert_ne!(comparable(&user), comparable(&other));
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
