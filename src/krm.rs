//! KRM function mode (`msvc krm`): a `config.kubernetes.io/v1`
//! `ResourceList` in, the same `ResourceList` out, with the objects of its
//! ModelServices in `items`.
//!
//! ModelServices are the `functionConfig` (kustomize `generators:` with a
//! `config.kubernetes.io/function` annotation, `kpt fn eval --fn-config`)
//! and any ModelService among the `items` (the functionConfig once when it
//! is an item too, as `kpt fn render` sends a `configPath` in the package).
//! A ConfigMap among the items that a ModelService names in
//! `spec.baseConfigMapRef` is read as its BaseConfig. Render settings come
//! from each ModelService's `msvc.llm-d.ai/*` annotations
//! ([`crate::annotations`]).
//!
//! A run is idempotent: the items an earlier run generated are replaced, not
//! added to (`InputList::stale` says which). Every other item keeps its exact
//! bytes (comments, quoting, key order) and its place; new objects go in as
//! block YAML (a JSON ResourceList stays JSON).
//!
//! Problems go into `results` as the KRM functions specification says
//! (`severity`, `message`, `resourceRef`, `field.path`, and `file.path` /
//! `file.index` from the item's `config.kubernetes.io/path` and `index`
//! annotations), and the exit status is 1. On error `items` stay as they
//! were.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::annotations::FileRoot;
use crate::error::{Diagnostic, Error, Span, Stage};
use crate::load::Source;
use crate::modelservice;
use crate::objects::{LABEL_MODEL_SERVICE, MANAGED_BY, Manifest, ObjectExt};
use crate::render::RenderOptions;
use crate::yaml::{Node, Origin, parse_documents_lenient, print};
use crate::{RenderRequest, render};

mod edit;

use edit::Layout;

/// The ResourceList `apiVersion` msvc writes when it has to start a list.
pub const API_VERSION: &str = "config.kubernetes.io/v1";
/// The versions read (kustomize and kpt have sent both).
const API_VERSIONS: &[&str] = &["config.kubernetes.io/v1", "config.kubernetes.io/v1alpha1"];
pub const KIND: &str = "ResourceList";

/// Annotations that name the file an item came from, and its document index
/// there, newest spelling first.
const PATH_ANNOTATIONS: &[&str] = &[
    "internal.config.kubernetes.io/path",
    "config.kubernetes.io/path",
];
const INDEX_ANNOTATIONS: &[&str] = &[
    "internal.config.kubernetes.io/index",
    "config.kubernetes.io/index",
];

/// Annotation on a generated object: the file of its ModelService when that
/// file is among the items (`config.kubernetes.io/path`), so that a later
/// run can tell the ModelService was renamed or removed.
pub const GENERATED_FROM: &str = "msvc.llm-d.ai/generated-from";

/// Exit status on success (warnings included) and on failure.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILED: u8 = 1;

/// What a run may use besides its input.
#[derive(Clone, Debug, Default)]
pub struct Env {
    /// Directory that `msvc.llm-d.ai/baseconfig` files are relative to (the
    /// working directory, which kustomize sets to the kustomization's).
    /// `None`: such files cannot be read.
    pub root: Option<PathBuf>,
    /// Settings of every ModelService, as flags are for `msvc render`: its
    /// annotations must agree with them.
    pub options: RenderOptions,
}

/// The ResourceList to write and the exit status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub output: String,
    pub exit_code: u8,
}

/// Runs the function on a ResourceList's text.
pub fn run(input: &str, env: &Env) -> Outcome {
    let mut parse_warnings = Vec::new();
    let list = match parse_list(input, &mut parse_warnings) {
        Ok(list) => list,
        Err(d) => return fresh_failure(&d),
    };
    let layout = match Layout::scan(input) {
        Ok(l) => l,
        Err(d) => return fresh_failure(&d),
    };
    let input_list = match InputList::read(&list) {
        Ok(l) => l,
        Err(d) => return fresh_failure(&d),
    };
    let ctx = &input_list.infos;
    match render_list(&input_list, env) {
        Ok((mut objects, warnings)) => {
            let stale = input_list.stale();
            input_list.keep_places(&stale, &mut objects);
            let results: Vec<Node> = parse_warnings
                .iter()
                .chain(&warnings)
                .map(|w| result(w, "warning", ctx))
                .collect();
            Outcome {
                output: layout.splice(input, &stale, &objects, &results),
                exit_code: EXIT_OK,
            }
        }
        Err(errors) => {
            let results: Vec<Node> = errors.iter().map(|e| result(e, "error", ctx)).collect();
            Outcome {
                output: layout.splice(input, &HashSet::new(), &[], &results),
                exit_code: EXIT_FAILED,
            }
        }
    }
}

const INPUT_NAME: &str = "<ResourceList>";

fn list_error(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Stage::Decode, span, message).with_help(format!(
        "msvc krm reads a `{API_VERSION}` `{KIND}` on standard input, as kustomize and kpt send it"
    ))
}

/// Parses the input: exactly one document, a ResourceList.
fn parse_list(input: &str, warnings: &mut Vec<Diagnostic>) -> Result<Node, Diagnostic> {
    let docs = parse_documents_lenient(input, &Origin::file(INPUT_NAME), warnings)?;
    let mut docs = docs.into_iter().filter(|d| !d.is_null());
    let Some(doc) = docs.next() else {
        return Err(list_error(
            Span::new(INPUT_NAME.into(), 0, 0),
            "standard input holds no ResourceList",
        ));
    };
    if let Some(extra) = docs.next() {
        return Err(list_error(
            extra.span.clone(),
            "standard input holds more than one YAML document",
        ));
    }
    if doc.as_map().is_none() || !API_VERSIONS.contains(&doc.api_version()) || doc.kind() != KIND {
        return Err(list_error(
            doc.span.clone(),
            format!(
                "the input is not a ResourceList (apiVersion `{}`, kind `{}`)",
                doc.api_version(),
                doc.kind()
            ),
        ));
    }
    Ok(doc)
}

/// An input object: the ModelService functionConfig or an item.
#[derive(Clone, Debug)]
struct Info {
    /// The name its [`Source`] goes by: `items[3]` or `functionConfig`.
    source: String,
    api_version: String,
    kind: String,
    name: String,
    namespace: Option<String>,
    /// From `config.kubernetes.io/path` and `.../index`.
    file: Option<String>,
    index: Option<i64>,
}

impl Info {
    fn of(source: String, obj: &Node) -> Self {
        let annotation = |keys: &[&str]| {
            keys.iter().find_map(|k| {
                obj.get_path(&["metadata", "annotations"])
                    .and_then(|a| a.get(k))
                    .and_then(Node::scalar_text)
            })
        };
        Info {
            source,
            api_version: obj.api_version().to_string(),
            kind: obj.kind().to_string(),
            name: obj.name().to_string(),
            namespace: obj.namespace().map(String::from),
            file: annotation(PATH_ANNOTATIONS),
            index: annotation(INDEX_ANNOTATIONS).and_then(|i| i.trim().parse().ok()),
        }
    }

    /// The same object from the same place in the same file.
    fn same_place(&self, other: &Info) -> bool {
        self.file == other.file
            && self.index.unwrap_or(0) == other.index.unwrap_or(0)
            && self.kind == other.kind
            && self.name == other.name
            && self.namespace == other.namespace
    }
}

/// An item an earlier run of msvc generated (both ownership labels).
struct Generated {
    /// Index in `items`.
    index: usize,
    /// Its `llm-d.ai/model-service` label.
    model_service: String,
    /// Its [`GENERATED_FROM`] annotation.
    from: Option<String>,
    kind: String,
    name: String,
    /// Its path and index annotations: where kpt keeps it.
    place: Vec<(String, Node)>,
}

impl Generated {
    fn of(index: usize, obj: &Node) -> Option<Self> {
        let meta = |key: &str, name: &str| {
            obj.get_path(&["metadata", key])
                .and_then(|m| m.get(name))
                .and_then(Node::as_str)
        };
        if meta("labels", MANAGED_BY.0) != Some(MANAGED_BY.1) {
            return None;
        }
        let place = obj
            .get_path(&["metadata", "annotations"])
            .and_then(Node::as_map)
            .into_iter()
            .flatten()
            .filter(|(k, _)| {
                PATH_ANNOTATIONS.contains(&k.as_str()) || INDEX_ANNOTATIONS.contains(&k.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Some(Generated {
            index,
            model_service: meta("labels", LABEL_MODEL_SERVICE)?.to_string(),
            from: meta("annotations", GENERATED_FROM).map(String::from),
            kind: obj.kind().to_string(),
            name: obj.name().to_string(),
            place,
        })
    }
}

/// The ModelServices and BaseConfigs of a ResourceList.
struct InputList {
    model_services: Vec<(Info, Node)>,
    base_configs: Vec<(Info, Node)>,
    infos: Vec<Info>,
    generated: Vec<Generated>,
    /// Items msvc cannot take (a wrong functionConfig, a typo in our API).
    errors: Vec<Diagnostic>,
}

impl InputList {
    fn read(list: &Node) -> Result<Self, Diagnostic> {
        let mut model_services = Vec::new();
        let mut config_maps = Vec::new();
        let mut infos = Vec::new();
        let mut errors = Vec::new();
        let mut generated = Vec::new();
        if let Some(fc) = list.get("functionConfig").filter(|f| !f.is_empty()) {
            let info = Info::of("functionConfig".into(), fc);
            infos.push(info.clone());
            if is_model_service(fc) {
                model_services.push((info, fc.clone()));
            } else {
                errors.push(
                    Diagnostic::new(
                        Stage::Decode,
                        fc.span.clone(),
                        format!(
                            "functionConfig is `{}` `{}`, not a ModelService",
                            fc.api_version(),
                            fc.kind()
                        ),
                    )
                    .in_source("functionConfig")
                    .with_help(format!(
                        "give a ModelService ({} {}) as functionConfig, or none to render the ModelServices among the items",
                        modelservice::API_VERSION,
                        modelservice::KIND
                    )),
                );
            }
        }
        match list.get("items").filter(|i| !i.is_null()) {
            None => {}
            Some(items) => {
                let Some(items) = items.as_seq() else {
                    return Err(list_error(
                        items.span.clone(),
                        format!("`items` is {}, expected a list", items.type_name()),
                    ));
                };
                for (i, item) in items.iter().enumerate() {
                    if item.as_map().is_none() {
                        continue;
                    }
                    let info = Info::of(format!("items[{i}]"), item);
                    infos.push(info.clone());
                    if let Some(g) = Generated::of(i, item) {
                        generated.push(g);
                    } else if is_model_service(item) {
                        // kpt fn render sends a configPath in the package as
                        // functionConfig and as an item.
                        let is_function_config = info.file.is_some()
                            && model_services.iter().any(|(fc, _)| {
                                fc.source == "functionConfig" && fc.same_place(&info)
                            });
                        if !is_function_config {
                            model_services.push((info, item.clone()));
                        }
                    } else if info.api_version.starts_with("llm-d.ai/") {
                        errors.push(
                            Diagnostic::new(
                                Stage::Decode,
                                item.span.clone(),
                                format!(
                                    "unsupported apiVersion/kind `{}` `{}`",
                                    info.api_version, info.kind
                                ),
                            )
                            .with_path("kind")
                            .with_help(format!(
                                "expected apiVersion: {} and kind: {}",
                                modelservice::API_VERSION,
                                modelservice::KIND
                            ))
                            .in_source(&info.source),
                        );
                    } else if info.api_version == "v1" && info.kind == "ConfigMap" {
                        config_maps.push((info, item.clone()));
                    }
                }
            }
        }
        // A ConfigMap is a BaseConfig when a ModelService names it.
        let wanted: HashSet<&str> = model_services
            .iter()
            .filter_map(|(_, ms)| {
                ms.get_path(&["spec", "baseConfigMapRef", "name"])
                    .and_then(Node::as_str)
            })
            .collect();
        let base_configs = config_maps
            .into_iter()
            .filter(|(info, _)| wanted.contains(info.name.as_str()))
            .collect();
        Ok(InputList {
            model_services,
            base_configs,
            infos,
            generated,
            errors,
        })
    }

    /// The items to drop because this run generates them anew: those
    /// generated for a ModelService of this run (by name: a later
    /// transformer may have changed their namespace), and those generated
    /// from a ModelService in the package ([`GENERATED_FROM`]) that is no
    /// longer there. Items of another ModelService whose file msvc does not
    /// know (a `kpt fn eval --fn-config` of an earlier run) stay: they
    /// cannot be told from a renamed functionConfig's.
    fn stale(&self) -> HashSet<usize> {
        let names: HashSet<&str> = self
            .model_services
            .iter()
            .map(|(i, _)| i.name.as_str())
            .collect();
        self.generated
            .iter()
            .filter(|g| names.contains(g.model_service.as_str()) || g.from.is_some())
            .map(|g| g.index)
            .collect()
    }

    /// Gives each new object the file and index of the item it replaces, so
    /// that kpt writes it back where it was (a user may have moved it).
    fn keep_places(&self, stale: &HashSet<usize>, objects: &mut [Node]) {
        for o in objects {
            let old = self
                .generated
                .iter()
                .find(|g| stale.contains(&g.index) && g.kind == o.kind() && g.name == o.name());
            if let Some(old) = old.filter(|g| !g.place.is_empty()) {
                let annotations = o.ensure_map(&["metadata", "annotations"]);
                for (k, v) in &old.place {
                    annotations.insert(k.clone(), v.clone());
                }
            }
        }
    }
}

trait InSource {
    fn in_source(self, source: &str) -> Self;
}

impl InSource for Diagnostic {
    /// Attributes the diagnostic to an input object.
    fn in_source(mut self, source: &str) -> Self {
        self.span = Span::new(source.into(), 0, 0);
        self
    }
}

fn is_model_service(obj: &Node) -> bool {
    obj.api_version() == modelservice::API_VERSION && obj.kind() == modelservice::KIND
}

/// Renders the ModelServices: the objects to append and the warnings, or
/// every error.
fn render_list(
    list: &InputList,
    env: &Env,
) -> Result<(Vec<Node>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let bases: Vec<Source> = list
        .base_configs
        .iter()
        .map(|(info, node)| Source::new(info.source.as_str(), print::to_string(node)))
        .collect();
    // Each ModelService's annotations are read by the renderer itself, as
    // `msvc render` reads them; BaseConfig files are relative to `root`.
    let mut errors = list.errors.clone();
    let mut inputs: Vec<Source> = list
        .model_services
        .iter()
        .map(|(info, node)| Source::new(info.source.as_str(), print::to_string(node)))
        .collect();
    inputs.extend(bases);
    let mut options = env.options.clone();
    options.file_root = FileRoot::Dir(env.root.clone());
    let request = RenderRequest {
        inputs,
        options,
        ..RenderRequest::default()
    };
    let mut manifests: Vec<Manifest> = Vec::new();
    let mut warnings = Vec::new();
    match render(&request) {
        Ok(r) => {
            manifests.extend(r.manifests);
            warnings.extend(r.warnings);
        }
        Err(Error::Input(diags)) => errors.extend(diags),
        Err(e) => errors.push(Diagnostic::new(Stage::Resolve, Span::none(), e.to_string())),
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    manifests.sort_by(|a, b| {
        let ns = |m: &Manifest| {
            m.objects
                .first()
                .and_then(|o| o.namespace().map(String::from))
        };
        (ns(a), &a.name).cmp(&(ns(b), &b.name))
    });
    let mut seen = HashSet::new();
    warnings.retain(|w| seen.insert(w.to_string()));
    // Only a file in the package: where the input has no items (a kustomize
    // generator), the annotation would just end up in the cluster.
    let package: HashSet<&str> = list
        .infos
        .iter()
        .filter(|i| i.source != "functionConfig")
        .filter_map(|i| i.file.as_deref())
        .collect();
    for m in &mut manifests {
        let file = list
            .model_services
            .iter()
            .find(|(info, _)| info.name == m.name)
            .and_then(|(info, _)| info.file.as_deref())
            .filter(|f| package.contains(f));
        if let Some(file) = file {
            for o in &mut m.objects {
                o.ensure_map(&["metadata", "annotations"])
                    .insert(GENERATED_FROM.into(), Node::string(file));
            }
        }
    }
    Ok((
        manifests.into_iter().flat_map(|m| m.objects).collect(),
        warnings,
    ))
}

/// A `results` entry for a diagnostic.
fn result(d: &Diagnostic, severity: &str, infos: &[Info]) -> Node {
    let info = infos.iter().find(|i| *i.source == *d.span.file);
    let mut message = match info {
        // The position is in the ResourceList's text, not the user's file.
        Some(_) => d.message.clone(),
        None if d.span.is_known() => format!("{}: {}", d.span, d.message),
        None => d.message.clone(),
    };
    if let Some(help) = &d.help {
        message.push_str("; ");
        message.push_str(help);
    }
    let mut pairs = vec![
        ("message", Node::string(message)),
        ("severity", Node::string(severity)),
    ];
    if let Some(info) = info {
        let mut r = vec![
            ("apiVersion", Node::string(&info.api_version)),
            ("kind", Node::string(&info.kind)),
            ("name", Node::string(&info.name)),
        ];
        if let Some(ns) = &info.namespace {
            r.push(("namespace", Node::string(ns)));
        }
        pairs.push(("resourceRef", Node::from_pairs(r)));
    }
    if let Some(path) = &d.path {
        pairs.push(("field", Node::from_pairs([("path", Node::string(path))])));
    }
    let file = match info {
        Some(info) => info.file.clone().map(|f| (f, info.index)),
        // A BaseConfig file named by an annotation.
        None if d.span.is_known() && *d.span.file != *INPUT_NAME => {
            Some((d.span.file.to_string(), None))
        }
        None => None,
    };
    if let Some((path, index)) = file {
        let mut f = vec![("path", Node::string(path))];
        if let Some(i) = index {
            f.push(("index", Node::int(i)));
        }
        pairs.push(("file", Node::from_pairs(f)));
    }
    Node::from_pairs(pairs)
}

/// A new ResourceList holding only `results`, for input that cannot be
/// edited (not YAML, not a ResourceList).
fn fresh_failure(d: &Diagnostic) -> Outcome {
    let r = result(d, "error", &[]);
    let list = Node::from_pairs([
        ("apiVersion", Node::string(API_VERSION)),
        ("kind", Node::string(KIND)),
        ("items", Node::seq(Vec::new())),
        ("results", Node::seq(vec![r])),
    ]);
    Outcome {
        output: print::to_string(&list),
        exit_code: EXIT_FAILED,
    }
}

#[cfg(test)]
mod tests {
    use super::edit::flow_text;
    use super::*;
    use crate::yaml::parse_one;

    const MS: &str = "apiVersion: llm-d.ai/v1alpha1\nkind: ModelService\nmetadata:\n  name: m\nspec:\n  routing:\n    modelName: org/model\n    ports:\n    - name: app_port\n      port: 8000\n  modelArtifacts:\n    uri: hf://org/model\n  decode:\n    replicas: 1\n    containers:\n    - name: vllm\n      args: [\"{{ .HFModelName }}\"]\n      mountModelVolume: true\n";

    fn indent(text: &str, n: usize) -> String {
        text.lines()
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("{}{l}", " ".repeat(n))
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    }

    fn parse(text: &str) -> Node {
        parse_one(text, &Origin::file("out")).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn items(out: &str) -> Vec<Node> {
        parse(out)
            .get("items")
            .and_then(Node::as_seq)
            .cloned()
            .unwrap_or_default()
    }

    fn kinds(out: &str) -> Vec<String> {
        items(out).iter().map(|i| i.kind().to_string()).collect()
    }

    #[test]
    fn model_service_as_function_config() {
        let input = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n{}",
            indent(MS, 2)
        );
        let out = run(&input, &Env::default());
        assert_eq!(out.exit_code, EXIT_OK, "{}", out.output);
        let kinds = kinds(&out.output);
        assert!(kinds.contains(&"Deployment".to_string()), "{kinds:?}");
        assert!(kinds.contains(&"InferencePool".to_string()), "{kinds:?}");
        // `items: []` becomes a block list; the rest of the input is kept.
        assert!(
            out.output.starts_with(
                "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: "
            ),
            "{}",
            out.output
        );
        assert!(
            out.output
                .ends_with(&format!("\nfunctionConfig:\n{}", indent(MS, 2)))
        );
        assert!(parse(&out.output).get("results").is_none());
        // Run again on its own output: nothing changes.
        assert_eq!(run(&out.output, &Env::default()), out);
    }

    #[test]
    fn same_objects_as_render() {
        let input = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n{}",
            indent(&format!("- {}", indent(MS, 2).trim_start()), 0)
        );
        let out = run(&input, &Env::default());
        assert_eq!(out.exit_code, EXIT_OK, "{}", out.output);
        let rendered = render(&RenderRequest {
            inputs: vec![Source::new("ms", MS)],
            ..RenderRequest::default()
        })
        .unwrap();
        let want: Vec<Node> = rendered
            .manifests
            .into_iter()
            .flat_map(|m| m.objects)
            .collect();
        let got = items(&out.output);
        assert_eq!(got.len(), want.len() + 1);
        assert!(is_model_service(&got[0]));
        for (g, w) in got[1..].iter().zip(&want) {
            assert_eq!(print::to_string(g), print::to_string(w));
        }
    }

    #[test]
    fn layouts_of_items() {
        // items: indented dashes, compact dashes, no trailing newline,
        // flow, empty flow, null, missing, JSON.
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other # keep me\ndata:\n  k: '1'\n";
        let fc = format!("functionConfig:\n{}", indent(MS, 2));
        let cases = [
            format!(
                "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n{}{fc}",
                indent(&format!("- {}", indent(cm, 2).trim_start()), 2)
            ),
            format!(
                "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n{fc}items:\n- {}",
                indent(cm, 2).trim_start().trim_end()
            ),
            format!(
                "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [{{apiVersion: v1, kind: ConfigMap, metadata: {{name: other}}}}]\n{fc}"
            ),
            format!("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n{fc}"),
            format!("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n{fc}"),
            format!("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: ~\n{fc}"),
            format!("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n{fc}"),
            format!(
                "{{\"apiVersion\": \"config.kubernetes.io/v1\", \"kind\": \"ResourceList\", \"functionConfig\": {}}}",
                flow_text(&parse(MS))
            ),
            format!(
                "{{\"apiVersion\": \"config.kubernetes.io/v1\", \"kind\": \"ResourceList\", \"items\": [], \"functionConfig\": {}}}",
                flow_text(&parse(MS))
            ),
        ];
        let want = {
            let out = run(&cases[3], &Env::default());
            items(&out.output)
        };
        assert!(want.len() > 5);
        for case in &cases {
            let out = run(case, &Env::default());
            assert_eq!(out.exit_code, EXIT_OK, "{case}\n---\n{}", out.output);
            let got = items(&out.output);
            let skip = got.len() - want.len();
            assert!(skip <= 1, "{}", out.output);
            if skip == 1 {
                assert_eq!(got[0].name(), "other");
            }
            for (g, w) in got[skip..].iter().zip(&want) {
                assert_eq!(print::to_string(g), print::to_string(w), "{case}");
            }
            if case.starts_with('{') {
                // JSON stays JSON: the input with one insertion.
                assert!(
                    is_insertion(case, &out.output),
                    "{case}\n---\n{}",
                    out.output
                );
            } else {
                // Block YAML: the unrelated item keeps its text.
                assert!(!out.output.contains("- {\"apiVersion\""), "{}", out.output);
                assert!(
                    skip == 0
                        || out.output.contains("name: other # keep me")
                        || out.output.contains(
                            "- {apiVersion: v1, kind: ConfigMap, metadata: {name: other}}\n"
                        ),
                    "{}",
                    out.output
                );
            }
            // Idempotent: a second run changes nothing.
            assert_eq!(run(&out.output, &Env::default()), out, "{case}");
        }
    }

    fn is_insertion(input: &str, output: &str) -> bool {
        let prefix = input
            .bytes()
            .zip(output.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let suffix = input[prefix..]
            .bytes()
            .rev()
            .zip(output[prefix..].bytes().rev())
            .take_while(|(a, b)| a == b)
            .count();
        prefix + suffix == input.len()
    }

    #[test]
    fn unrelated_items_pass_through_byte_for_byte() {
        let items_text = "- apiVersion: v1\n  kind: ConfigMap   # a comment\n  metadata:\n    name: plain\n    annotations:\n      config.kubernetes.io/path: 'cm.yaml'\n  data: {a: \"1\", b: 'two'}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web}\n  spec:\n    replicas: 0x1F\n    template:\n      metadata:\n        labels: {app: web}\n      spec:\n        containers:\n        - name: c\n          image: nginx\n          args:\n          - |\n            multi\n              line\n";
        let ms_item = format!("- {}", indent(MS, 2).trim_start());
        let input = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n{items_text}{ms_item}# trailing comment\nfunctionConfig: null\n"
        );
        let out = run(&input, &Env::default());
        assert_eq!(out.exit_code, EXIT_OK, "{}", out.output);
        assert!(
            out.output
                .starts_with(&format!("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n{items_text}{ms_item}# trailing comment\n")),
            "{}",
            out.output
        );
        assert!(out.output.ends_with("functionConfig: null\n"));
        let got = items(&out.output);
        assert_eq!(got[0].name(), "plain");
        assert_eq!(got[1].name(), "web");
        assert!(is_model_service(&got[2]));
        assert!(got.len() > 5);
        // Nothing is rendered from unrelated items.
        assert!(got[3..].iter().all(|o| o.name().starts_with("m")));
    }

    #[test]
    fn base_config_items_are_read_and_kept() {
        let base = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: my-base\ndata:\n  decodeDeployment: |\n    apiVersion: apps/v1\n    kind: Deployment\n    spec:\n      template:\n        spec:\n          containers:\n          - name: vllm\n            image: example.com/vllm:marker\n";
        let ms = MS.replace(
            "spec:\n  routing",
            "spec:\n  baseConfigMapRef:\n    name: my-base\n  routing",
        );
        let input = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {}- {}",
            indent(base, 2).trim_start(),
            indent(&ms, 2).trim_start()
        );
        let out = run(&input, &Env::default());
        assert_eq!(out.exit_code, EXIT_OK, "{}", out.output);
        assert!(out.output.starts_with(&input));
        let got = items(&out.output);
        assert_eq!(got[0].name(), "my-base");
        let kinds: Vec<&str> = got.iter().map(|o| o.kind()).collect();
        assert_eq!(
            kinds.iter().filter(|k| **k == "Deployment").count(),
            1,
            "{kinds:?}"
        );
        assert!(out.output.contains("example.com/vllm:marker"));
        // Only the base's objects: no preset EPP.
        assert!(!kinds.contains(&"InferencePool"), "{kinds:?}");
    }

    #[test]
    fn an_unnamed_config_map_is_not_a_base_config() {
        // Its data keys are not BaseConfig keys; it must pass through.
        let input = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: app-settings\n  data:\n    LOG_LEVEL: debug\nfunctionConfig:\n{}",
            indent(MS, 2)
        );
        let out = run(&input, &Env::default());
        assert_eq!(out.exit_code, EXIT_OK, "{}", out.output);
    }

    #[test]
    fn annotations_choose_the_preset() {
        let ms = MS
            .replace(
                "  name: m\n",
                "  name: m\n  annotations:\n    msvc.llm-d.ai/preset: vllm-pd-nixl\n",
            )
            .replace(
                "  decode:",
                "  prefill:\n    replicas: 1\n    containers:\n    - name: vllm\n      args: [\"{{ .HFModelName }}\"]\n  decode:",
            )
            .replace(
                "      port: 8000\n",
                "      port: 8000\n    - name: decode_port\n      port: 8200\n",
            );
        let input = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig:\n{}",
            indent(&ms, 2)
        );
        let out = run(&input, &Env::default());
        assert_eq!(out.exit_code, EXIT_OK, "{}", out.output);
        let names: Vec<String> = items(&out.output)
            .iter()
            .map(|o| o.name().to_string())
            .collect();
        assert!(names.contains(&"m-prefill".to_string()), "{names:?}");
    }

    #[test]
    fn baseconfig_file_annotation_reads_from_the_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("base.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: file-base\ndata:\n  decodeService: |\n    apiVersion: v1\n    kind: Service\n    spec:\n      ports:\n      - port: 8000\n  decodeDeployment: |\n    apiVersion: apps/v1\n    kind: Deployment\n    spec:\n      template:\n        spec:\n          containers:\n          - name: vllm\n            image: vllm/vllm-openai:v0.10.0\n",
        )
        .unwrap();
        let ms = MS.replace(
            "  name: m\n",
            "  name: m\n  annotations:\n    msvc.llm-d.ai/baseconfig: base.yaml\n",
        );
        let input = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig:\n{}",
            indent(&ms, 2)
        );
        let env = Env {
            root: Some(dir.path().to_path_buf()),
            ..Env::default()
        };
        let out = run(&input, &env);
        assert_eq!(out.exit_code, EXIT_OK, "{}", out.output);
        assert!(kinds(&out.output).contains(&"Service".to_string()));
        // Without a root the file cannot be read: an error result.
        let out = run(&input, &Env::default());
        assert_eq!(out.exit_code, EXIT_FAILED);
        assert!(out.output.contains("cannot be read here"), "{}", out.output);
    }

    fn results(out: &str) -> Vec<Node> {
        parse(out)
            .get("results")
            .and_then(Node::as_seq)
            .cloned()
            .unwrap_or_default()
    }

    #[test]
    fn errors_become_results_with_file_and_field() {
        let bad = MS
            .replace("  name: m\n", "  name: m\n  annotations:\n    config.kubernetes.io/path: models/m.yaml\n    config.kubernetes.io/index: '2'\n")
            .replace("    replicas: 1\n", "    replica: 1\n");
        let other = "- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: s\n";
        let input = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n{other}- {}",
            indent(&bad, 2).trim_start()
        );
        let out = run(&input, &Env::default());
        assert_eq!(out.exit_code, EXIT_FAILED, "{}", out.output);
        // Items unchanged, nothing appended; results added.
        assert!(out.output.starts_with(&input));
        assert_eq!(items(&out.output).len(), 2);
        let r = results(&out.output);
        assert_eq!(r.len(), 1, "{}", out.output);
        let r = &r[0];
        assert_eq!(r.get("severity").and_then(Node::as_str), Some("error"));
        let msg = r.get("message").and_then(Node::as_str).unwrap();
        assert!(msg.contains("unknown field `replica`"), "{msg}");
        assert!(msg.contains("did you mean `replicas`"), "{msg}");
        assert_eq!(
            r.get_path(&["field", "path"]).and_then(Node::as_str),
            Some("spec.decode.replica")
        );
        assert_eq!(
            r.get_path(&["file", "path"]).and_then(Node::as_str),
            Some("models/m.yaml")
        );
        assert_eq!(
            r.get_path(&["file", "index"]).and_then(Node::as_i64),
            Some(2)
        );
        assert_eq!(
            r.get_path(&["resourceRef", "kind"]).and_then(Node::as_str),
            Some("ModelService")
        );
        assert_eq!(
            r.get_path(&["resourceRef", "name"]).and_then(Node::as_str),
            Some("m")
        );
    }

    #[test]
    fn internal_path_annotation_is_read_too() {
        let bad = MS
            .replace(
                "  name: m\n",
                "  name: m\n  annotations:\n    internal.config.kubernetes.io/path: a/b.yaml\n",
            )
            .replace("uri: hf://org/model", "uri: s3://bucket/model");
        let input = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {}",
            indent(&bad, 2).trim_start()
        );
        let out = run(&input, &Env::default());
        assert_eq!(out.exit_code, EXIT_FAILED);
        let r = &results(&out.output)[0];
        assert_eq!(
            r.get_path(&["file", "path"]).and_then(Node::as_str),
            Some("a/b.yaml")
        );
        assert!(r.get_path(&["file", "index"]).is_none());
    }

    #[test]
    fn existing_results_are_kept_and_extended() {
        let input = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nresults:\n- message: earlier\n  severity: info\nfunctionConfig:\n{}",
            indent(
                &MS.replace("  decode:", "  decoupleScaling: maybe\n  decode:"),
                2
            )
        );
        let out = run(&input, &Env::default());
        assert_eq!(out.exit_code, EXIT_FAILED, "{}", out.output);
        let r = results(&out.output);
        assert_eq!(r.len(), 2, "{}", out.output);
        assert_eq!(r[0].get("message").and_then(Node::as_str), Some("earlier"));
        assert_eq!(
            r[1].get_path(&["resourceRef", "name"])
                .and_then(Node::as_str),
            Some("m")
        );
        assert_eq!(
            r[1].get_path(&["field", "path"]).and_then(Node::as_str),
            Some("spec.decoupleScaling")
        );
    }

    #[test]
    fn bad_annotation_is_an_error_result() {
        let ms = MS.replace(
            "  name: m\n",
            "  name: m\n  annotations:\n    msvc.llm-d.ai/prest: vllm-hf\n",
        );
        let input = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig:\n{}",
            indent(&ms, 2)
        );
        let out = run(&input, &Env::default());
        assert_eq!(out.exit_code, EXIT_FAILED);
        let r = &results(&out.output)[0];
        assert!(
            r.get("message")
                .and_then(Node::as_str)
                .unwrap()
                .contains("did you mean `msvc.llm-d.ai/preset`")
        );
        assert_eq!(
            r.get_path(&["resourceRef", "kind"]).and_then(Node::as_str),
            Some("ModelService")
        );
    }

    #[test]
    fn wrong_function_config_kind() {
        let input = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: fn\n";
        let out = run(input, &Env::default());
        assert_eq!(out.exit_code, EXIT_FAILED);
        assert!(out.output.starts_with(input));
        let r = &results(&out.output)[0];
        assert!(
            r.get("message")
                .and_then(Node::as_str)
                .unwrap()
                .contains("not a ModelService")
        );
    }

    #[test]
    fn typo_in_our_api_is_an_error() {
        let input = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: llm-d.ai/v1alpha2\n  kind: ModelService\n  metadata:\n    name: x\n";
        let out = run(input, &Env::default());
        assert_eq!(out.exit_code, EXIT_FAILED);
        assert!(out.output.contains("unsupported apiVersion/kind"));
    }

    #[test]
    fn no_model_service_changes_nothing() {
        let input = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: x\n";
        let out = run(input, &Env::default());
        assert_eq!(
            out,
            Outcome {
                output: input.to_string(),
                exit_code: EXIT_OK
            }
        );
    }

    #[test]
    fn not_a_resource_list() {
        for input in ["", "just: [text", MS, "a: 1\n---\nb: 2\n"] {
            let out = run(input, &Env::default());
            assert_eq!(out.exit_code, EXIT_FAILED, "{input}");
            let list = parse(&out.output);
            assert_eq!(list.kind(), KIND);
            assert_eq!(list.api_version(), API_VERSION);
            let r = results(&out.output);
            assert_eq!(r[0].get("severity").and_then(Node::as_str), Some("error"));
        }
    }

    #[test]
    fn duplicate_model_services_conflict() {
        let input = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {}functionConfig:\n{}",
            indent(MS, 2).trim_start(),
            indent(MS, 2)
        );
        let out = run(&input, &Env::default());
        assert_eq!(out.exit_code, EXIT_FAILED, "{}", out.output);
        assert!(out.output.contains("defined twice"), "{}", out.output);
        // Same name, different settings: one render, still caught.
        let other = MS.replace(
            "  name: m\n",
            "  name: m\n  annotations:\n    msvc.llm-d.ai/epp-cluster-role: r\n",
        );
        let input = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {}functionConfig:\n{}",
            indent(&other, 2).trim_start(),
            indent(MS, 2)
        );
        let out = run(&input, &Env::default());
        assert_eq!(out.exit_code, EXIT_FAILED, "{}", out.output);
        assert!(out.output.contains("defined twice"), "{}", out.output);
    }

    mod idempotence {
        use super::*;
        use proptest::prelude::*;

        /// Unrelated items as block text (before indenting) and as flow text.
        const BLOCK: &[&str] = &[
            "- apiVersion: v1\n  kind: ConfigMap   # a comment\n  metadata:\n    name: b0\n  data: {k: 'v'}\n",
            "-\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: b1}\n  spec:\n    template:\n      spec:\n        containers:\n        - name: c\n          args:\n          - |\n            two\n              lines\n",
        ];
        const FLOW: &[&str] = &[
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: f0}}",
            "&a {\"apiVersion\": \"v1\", \"kind\": \"Secret\",\n  \"metadata\": {\"name\": \"f1\"}}",
        ];

        /// A ResourceList in one of the layouts kpt, kustomize and people
        /// write, and the texts of its unrelated items.
        fn list(
            style: u8,
            unrelated: usize,
            deep: bool,
            ms_item: bool,
            fc_first: bool,
        ) -> (String, Vec<String>) {
            let mut kept = Vec::new();
            let fc = if ms_item {
                "functionConfig: {}\n".to_string()
            } else {
                format!("functionConfig:\n{}", indent(MS, 2))
            };
            let items = match style {
                // Absent, null, `~`: only when there is nothing to list.
                0..=2 if unrelated == 0 && !ms_item => {
                    ["", "items:\n", "items: ~\n"][style as usize].to_string()
                }
                3 => {
                    let mut texts: Vec<String> =
                        FLOW[..unrelated].iter().map(|t| t.to_string()).collect();
                    // Further lines go under the dash of the block list.
                    kept = texts.iter().map(|t| t.replace('\n', "\n  ")).collect();
                    if ms_item {
                        texts.push(flow_text(&parse(MS)));
                    }
                    format!("items: [{}]\n", texts.join(", "))
                }
                _ => {
                    let pad = if deep { 2 } else { 0 };
                    let mut text = String::from("items:\n");
                    for t in &BLOCK[..unrelated] {
                        let t = indent(t, pad);
                        kept.push(t.clone());
                        text.push_str(&t);
                    }
                    if ms_item {
                        text.push_str(&indent(&format!("- {}", indent(MS, 2).trim_start()), pad));
                    }
                    text
                }
            };
            let head = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n";
            let text = if fc_first {
                format!("{head}{fc}{items}")
            } else {
                format!("{head}{items}{fc}")
            };
            (text, kept)
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(48))]

            #[test]
            fn a_second_run_changes_nothing(
                style in 0u8..5,
                unrelated in 0usize..3,
                deep: bool,
                ms_item: bool,
                fc_first: bool,
            ) {
                let (input, kept) = list(style, unrelated, deep, ms_item, fc_first);
                let out = run(&input, &Env::default());
                prop_assert_eq!(out.exit_code, EXIT_OK, "{}\n---\n{}", input, out.output);
                // Block YAML for what msvc writes; the other items as they were.
                prop_assert!(!out.output.contains("\"app.kubernetes.io/managed-by\""), "{}", out.output);
                for k in &kept {
                    prop_assert!(out.output.contains(k.as_str()), "{k}\n---\n{}", out.output);
                }
                let got = items(&out.output);
                let generated = got.iter().filter(|o| Generated::of(0, o).is_some()).count();
                prop_assert_eq!(generated + kept.len() + usize::from(ms_item), got.len());
                prop_assert!(generated > 5);
                let again = run(&out.output, &Env::default());
                prop_assert_eq!(&again, &out, "{}", input);
            }
        }
    }
}
