//! Reading inputs: files, directories and stdin, split into ModelServices
//! and BaseConfigs.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::baseconfig::BaseConfig;
use crate::decode::suggest;
use crate::error::{Diagnostic, Error, Span, Stage};
use crate::modelservice::{self, ModelService};
use crate::objects::ObjectExt;
use crate::yaml::{Origin, parse_documents_lenient};

/// One input text and the name errors call it by.
#[derive(Clone, Debug)]
pub struct Source {
    pub name: Arc<str>,
    pub text: String,
}

impl Source {
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// Reads ModelService inputs as [`read_paths`] does, refusing a directory
/// msvc rendered into (`-o DIR`): it holds output, not input.
pub fn read_inputs(paths: &[PathBuf]) -> Result<Vec<Source>, Error> {
    for path in paths {
        if path.is_dir() && path.join(crate::emit::MARKER).exists() {
            return Err(Error::input(
                Diagnostic::new(
                    Stage::Parse,
                    Span::new(path.display().to_string().into(), 0, 0),
                    format!(
                        "this directory is msvc's own output (it holds {}), not an input",
                        crate::emit::MARKER
                    ),
                )
                .with_help(
                    "name the ModelService files or directories; to compare with this render, use --diff",
                ),
            ));
        }
    }
    read_paths(paths)
}

/// Reads each path: `-` is stdin, a directory gives every `*.yaml`/`*.yml`
/// below it (sorted), a file itself.
pub fn read_paths(paths: &[PathBuf]) -> Result<Vec<Source>, Error> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?;
            let text = utf8(bytes, &Arc::from("<stdin>"))?;
            if text.trim().is_empty() {
                return Err(Error::input(
                    Diagnostic::new(
                        Stage::Parse,
                        Span::new("<stdin>".into(), 0, 0),
                        "standard input is empty",
                    )
                    .with_help("pipe a ModelService into msvc, or name files or directories"),
                ));
            }
            out.push(Source::new("<stdin>", text));
        } else if path.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files)?;
            files.sort();
            if files.is_empty() {
                return Err(Error::input(
                    Diagnostic::new(
                        Stage::Parse,
                        Span::new(path.display().to_string().into(), 0, 0),
                        "directory holds no *.yaml or *.yml file",
                    )
                    .with_help("name a directory of ModelService files"),
                ));
            }
            for f in files {
                out.push(read_file(&f)?);
            }
        } else {
            out.push(read_file(path)?);
        }
    }
    Ok(out)
}

fn read_file(path: &Path) -> Result<Source, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let name: Arc<str> = path.display().to_string().into();
    let text = utf8(bytes, &name)?;
    Ok(Source::new(name, text))
}

/// The text of an input, or an error at the first byte that is not UTF-8.
pub fn utf8(bytes: Vec<u8>, name: &Arc<str>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = &bytes[..valid];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // Columns count characters, as the YAML reader's do.
        let col = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Error::input(
            Diagnostic::new(
                Stage::Parse,
                Span::new(Arc::clone(name), line as u32, col as u32),
                format!(
                    "the file is not UTF-8 text (byte 0x{:02X})",
                    bytes.get(valid).copied().unwrap_or(0)
                ),
            )
            .with_help("expected YAML in UTF-8; convert the file, e.g. `iconv -f LATIN1 -t UTF-8`"),
        )
    })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let mut visited = std::collections::HashSet::new();
    walk_dir(dir, out, &mut visited)
}

/// Follows symlinked directories too (a repo may link shared models in),
/// each real directory once, so a link loop ends.
fn walk_dir(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    visited: &mut std::collections::HashSet<PathBuf>,
) -> Result<(), Error> {
    let read_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Read { path, source }
    };
    let real = std::fs::canonicalize(dir).map_err(read_err(dir))?;
    if !visited.insert(real) {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).map_err(read_err(dir))? {
        let entry = entry.map_err(read_err(dir))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        // `metadata` follows symlinks: a linked directory is walked, a
        // linked file read.
        let meta = std::fs::metadata(&path).map_err(read_err(&path))?;
        if meta.is_dir() {
            // A render's `-o DIR` inside the inputs (`msvc render . -o
            // manifests`) is output, not input.
            if !path.join(crate::emit::MARKER).exists() {
                walk_dir(&path, out, visited)?;
            }
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

/// What the inputs hold.
#[derive(Debug, Default)]
pub struct Inputs {
    pub model_services: Vec<ModelService>,
    pub base_configs: Vec<BaseConfig>,
    /// ConfigMaps that are not valid BaseConfigs, by name, with the reason.
    pub other_config_maps: Vec<(String, Diagnostic)>,
    pub warnings: Vec<Diagnostic>,
}

/// Parses every source and sorts its documents into ModelServices and
/// BaseConfigs (ConfigMaps). Documents of other kinds are skipped with a
/// warning; errors of all sources are collected.
pub fn classify(sources: &[Source]) -> Result<Inputs, Error> {
    classify_on(sources, None)
}

/// [`classify`] on up to `jobs` threads (`None`: one per CPU); the result
/// is the same for any number.
pub fn classify_on(sources: &[Source], jobs: Option<usize>) -> Result<Inputs, Error> {
    let parts = crate::parallel::map(sources, jobs, |src| {
        let mut part = Inputs::default();
        let result = classify_one(src, &mut part);
        (part, result)
    });
    let mut inputs = Inputs::default();
    let mut errors = Vec::new();
    for (part, result) in parts {
        let Inputs {
            model_services,
            base_configs,
            other_config_maps,
            warnings,
        } = part;
        inputs.model_services.extend(model_services);
        inputs.base_configs.extend(base_configs);
        inputs.other_config_maps.extend(other_config_maps);
        inputs.warnings.extend(warnings);
        if let Err(d) = result {
            errors.push(d);
        }
    }
    if errors.is_empty() {
        Ok(inputs)
    } else {
        Err(Error::Input(errors))
    }
}

fn classify_one(src: &Source, inputs: &mut Inputs) -> Result<(), Diagnostic> {
    let docs = parse_documents_lenient(
        &src.text,
        &Origin::file(Arc::clone(&src.name)),
        &mut inputs.warnings,
    )?;
    let mut any = false;
    for doc in docs {
        if doc.is_null() {
            continue;
        }
        any = true;
        if doc.as_map().is_none() {
            return Err(Diagnostic::new(
                Stage::Decode,
                doc.span.clone(),
                format!(
                    "the document is {}, expected a Kubernetes object (a map)",
                    doc.type_name()
                ),
            )
            .with_help("each document needs apiVersion, kind, metadata and spec"));
        }
        let api = doc.api_version().to_string();
        let kind = doc.kind().to_string();
        if api.is_empty() || kind.is_empty() {
            let missing = if api.is_empty() { "apiVersion" } else { "kind" };
            return Err(Diagnostic::new(
                Stage::Decode,
                doc.span.clone(),
                format!("the document has no `{missing}`"),
            )
            .with_help(format!(
                "expected apiVersion: {} with kind: {}, or apiVersion: v1 with kind: ConfigMap (a BaseConfig)",
                modelservice::API_VERSION,
                modelservice::KIND
            )));
        }
        let ours = api.starts_with("llm-d.ai/") || suggest(&kind, &[modelservice::KIND]).is_some();
        if api == modelservice::API_VERSION && kind == modelservice::KIND {
            inputs.model_services.push(ModelService::from_node(&doc)?);
        } else if api == "v1" && kind == "ConfigMap" {
            // A ConfigMap that is not a BaseConfig (an app's config beside
            // the models) matters only if a ModelService names it.
            match BaseConfig::from_node(&doc, &src.text) {
                Ok(b) => inputs.base_configs.push(b),
                Err(d) => inputs.other_config_maps.push((doc.name().to_string(), d)),
            }
        } else if ours {
            // Point at the field that is wrong: the kind when it is not
            // ModelService, else the apiVersion.
            let field = if kind == modelservice::KIND {
                "apiVersion"
            } else {
                "kind"
            };
            let at = doc.get(field).map_or(doc.span.clone(), |k| k.span.clone());
            let hint = match suggest(&kind, &[modelservice::KIND]) {
                Some(k) if k != kind => format!("did you mean kind: {k}? "),
                _ => String::new(),
            };
            return Err(Diagnostic::new(
                Stage::Decode,
                at,
                format!("unsupported apiVersion/kind `{api}` `{kind}`"),
            )
            .with_path(field)
            .with_help(format!(
                "{hint}expected apiVersion: {} and kind: {}",
                modelservice::API_VERSION,
                modelservice::KIND
            )));
        } else {
            inputs.warnings.push(
                Diagnostic::new(
                    Stage::Decode,
                    doc.span.clone(),
                    format!(
                        "skipping {kind} `{}`: not a ModelService or a BaseConfig ConfigMap",
                        doc.name()
                    ),
                )
                .with_help("msvc renders ModelServices; other objects are left to kubectl"),
            );
        }
    }
    if !any {
        return Err(Diagnostic::new(
            Stage::Parse,
            Span::new(Arc::clone(&src.name), 1, 1),
            "the input holds no YAML document",
        )
        .with_help("expected a ModelService or a BaseConfig ConfigMap"));
    }
    Ok(())
}
