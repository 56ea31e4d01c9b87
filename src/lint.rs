//! `msvc lint`: everything `msvc render` would reject, and what a reviewer
//! would ask about in output it accepts.
//!
//! Errors are the render pipeline's own: lint runs it once per
//! ModelService (the other ModelServices of the inputs blanked out, lines
//! kept) so that one bad ModelService, or two that clash, do not hide the
//! problems of the rest. Warnings are render's warnings plus the checks of
//! this module on the rendered objects, each with a rule name:
//!
//! | rule | finding |
//! |---|---|
//! | `duplicate-name` | two ModelServices with one name in one namespace (error) |
//! | `duplicate-model-name` | one `routing.modelName` twice in one namespace (as `render` warns) |
//! | `hpa-replicas` | an input HPA scales a prefill/decode Deployment that still has `spec.replicas` (`decoupleScaling: false`) |
//! | `tensor-parallelism` | tensor (x pipeline x data) parallelism differs from the container's accelerator count, or `parallelism.tensor` from `--tensor-parallel-size` |
//! | `model-cache-size` | a `hf://` model cached in an `emptyDir` without `sizeLimit` |
//! | `image-tag` | an image that is untagged or `:latest` |
//! | `image-missing` | a container without an image (the API server rejects it; error) |
//! | `render` | anything else render reports |

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::json;

use crate::artifacts::ModelUri;
use crate::error::{Diagnostic, Error, Span};
use crate::load::{Source, classify};
use crate::modelservice::{self, ModelService};
use crate::naming::Names;
use crate::objects::{Manifest, ObjectExt};
use crate::yaml::{Node, Origin, Value, parse_documents_lenient};
use crate::{RenderOptions, RenderRequest, hardware};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding: a located message with its rule.
#[derive(Clone, Debug)]
pub struct Finding {
    pub severity: Severity,
    pub rule: &'static str,
    pub span: Span,
    /// The YAML path of the offending field, when one applies.
    pub path: Option<String>,
    pub message: String,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

impl Finding {
    fn from_diagnostic(severity: Severity, d: &Diagnostic) -> Self {
        Finding {
            severity,
            rule: "render",
            span: d.span.clone(),
            path: d.path.clone(),
            message: d.message.clone(),
            help: d.help.clone(),
            notes: d.notes.to_vec(),
        }
    }

    fn warning(rule: &'static str, span: Span, message: String) -> Self {
        Finding {
            severity: Severity::Warning,
            rule,
            span,
            path: None,
            message,
            help: None,
            notes: Vec::new(),
        }
    }

    fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// What lint found, errors first within a file, in file and line order.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == s).count()
    }

    fn push(&mut self, f: Finding) {
        let dup = self.findings.iter().any(|o| {
            o.message == f.message
                && o.span.file == f.span.file
                && o.span.line == f.span.line
                && o.span.col == f.span.col
        });
        if !dup {
            self.findings.push(f);
        }
    }

    fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            let key = |f: &Finding| {
                (
                    !f.span.is_known(),
                    f.span.file.clone(),
                    f.span.line,
                    f.span.col,
                    f.severity,
                )
            };
            key(a).cmp(&key(b))
        });
    }
}

/// A ModelService document: which source, where, and as decoded.
struct MsDoc {
    source: usize,
    line: u32,
    node: Node,
    ms: ModelService,
}

/// Lints the inputs of `req` (as `msvc render` would take them).
pub fn lint(req: &RenderRequest) -> Report {
    let mut report = Report::default();

    // Each source on its own, and each document of a source that fails on
    // its own, so that every broken document is reported; the rest goes on.
    let mut inputs: Vec<Source> = Vec::new();
    for src in &req.inputs {
        let (kept, errs) = clean(src);
        for e in &errs {
            errors(&mut report, e);
        }
        inputs.extend(kept);
    }
    let mut bases_ok = true;
    for src in &req.base_files {
        if let Err(e) = classify(std::slice::from_ref(src)) {
            errors(&mut report, &e);
            bases_ok = false;
        }
    }
    if !bases_ok {
        report.sort();
        return report;
    }

    let (docs, hpas, bounds) = documents(&inputs, &req.base_files);
    duplicates(&docs, &req.options, &mut report);

    // Every BaseConfig compiles, used or not.
    for src in inputs.iter().chain(&req.base_files) {
        if let Ok(found) = classify(std::slice::from_ref(src)) {
            for b in found.base_configs {
                if let Err(d) = b.compile() {
                    report.push(Finding::from_diagnostic(Severity::Error, &d));
                }
            }
        }
    }

    let hpa_spans: HashSet<(Arc<str>, u32)> = hpas
        .iter()
        .map(|h| (h.span.file.clone(), h.span.line))
        .collect();
    // One render per ModelService, the others blanked out (one render
    // when there is at most one).
    let runs: Vec<Option<usize>> = if docs.len() <= 1 {
        vec![None]
    } else {
        (0..docs.len()).map(Some).collect()
    };
    for run in runs {
        let sources = match run {
            Some(keep) => keep_one(&inputs, &docs, keep, &bounds),
            None => inputs.clone(),
        };
        if sources.is_empty() {
            continue;
        }
        let one = RenderRequest {
            inputs: sources,
            ..req.clone()
        };
        match crate::render(&one) {
            Err(e) => errors(&mut report, &e),
            Ok(rendered) => {
                for w in &rendered.warnings {
                    if !hpa_spans.contains(&(w.span.file.clone(), w.span.line)) {
                        report.push(Finding::from_diagnostic(Severity::Warning, w));
                    }
                }
                for m in &rendered.manifests {
                    let doc = match run {
                        Some(k) => Some(&docs[k]).filter(|d| d.ms.name == m.name),
                        None => docs.iter().find(|d| d.ms.name == m.name),
                    };
                    if let Some(doc) = doc {
                        check_manifest(doc, m, &hpas, &req.options, &mut report);
                    }
                }
            }
        }
    }
    report.sort();
    report
}

fn errors(report: &mut Report, e: &Error) {
    match e {
        Error::Input(list) => {
            for d in list {
                report.push(Finding::from_diagnostic(Severity::Error, d));
            }
        }
        other => report.push(Finding {
            severity: Severity::Error,
            rule: "render",
            span: Span::none(),
            path: None,
            message: other.to_string(),
            help: None,
            notes: Vec::new(),
        }),
    }
}

/// The start lines of the documents of `text` (empty documents left out),
/// or `None` when it is not YAML.
fn starts(src: &Source) -> Option<Vec<u32>> {
    let docs = parse_documents_lenient(
        &src.text,
        &Origin::file(Arc::clone(&src.name)),
        &mut Vec::new(),
    )
    .ok()?;
    let mut lines: Vec<u32> = docs
        .iter()
        .filter(|d| !d.is_null())
        .map(|d| d.span.line)
        .collect();
    lines.sort_unstable();
    Some(lines)
}

/// `src` with the documents starting at `remove` turned into blank lines
/// (document markers kept), so that positions stay.
fn blank(src: &Source, starts: &[u32], remove: &[u32]) -> Source {
    let mut lines: Vec<&str> = src.text.lines().collect();
    for &s in remove {
        let end = starts.iter().copied().find(|x| *x > s).unwrap_or(u32::MAX);
        for (n, line) in lines.iter_mut().enumerate() {
            let n = n as u32 + 1;
            if n >= s && n < end && !line.starts_with("---") && !line.starts_with("...") {
                *line = "";
            }
        }
    }
    Source::new(Arc::clone(&src.name), lines.join("\n") + "\n")
}

/// A source as far as it loads: itself when it does; else, when it parses,
/// without the documents that fail to load, each failure reported.
fn clean(src: &Source) -> (Option<Source>, Vec<Error>) {
    let Err(whole) = classify(std::slice::from_ref(src)) else {
        return (Some(src.clone()), Vec::new());
    };
    let Some(starts) = starts(src).filter(|s| s.len() > 1) else {
        return (None, vec![whole]);
    };
    let mut errs = Vec::new();
    let mut bad = Vec::new();
    for &s in &starts {
        let others: Vec<u32> = starts.iter().copied().filter(|x| *x != s).collect();
        if let Err(e) = classify(&[blank(src, &starts, &others)]) {
            errs.push(e);
            bad.push(s);
        }
    }
    if bad.is_empty() {
        return (None, vec![whole]);
    }
    let kept = (bad.len() < starts.len()).then(|| blank(src, &starts, &bad));
    (kept, errs)
}

/// The ModelService documents and HPAs of the sources, and the document
/// start lines of each input source (by index).
fn documents(
    inputs: &[Source],
    bases: &[Source],
) -> (Vec<MsDoc>, Vec<Node>, HashMap<usize, Vec<u32>>) {
    let mut docs = Vec::new();
    let mut hpas = Vec::new();
    let mut bounds = HashMap::new();
    let sources = inputs
        .iter()
        .enumerate()
        .map(|(i, s)| (Some(i), s))
        .chain(bases.iter().map(|s| (None, s)));
    for (idx, src) in sources {
        let parsed = parse_documents_lenient(
            &src.text,
            &Origin::file(Arc::clone(&src.name)),
            &mut Vec::new(),
        )
        .unwrap_or_default();
        for doc in parsed.into_iter().filter(|d| d.as_map().is_some()) {
            match (doc.api_version(), doc.kind()) {
                (modelservice::API_VERSION, modelservice::KIND) => {
                    if let (Some(i), Ok(ms)) = (idx, ModelService::from_node(&doc)) {
                        docs.push(MsDoc {
                            source: i,
                            line: doc.span.line,
                            node: doc,
                            ms,
                        });
                    }
                }
                (api, "HorizontalPodAutoscaler") if api.starts_with("autoscaling/") => {
                    hpas.push(doc);
                }
                _ => {}
            }
        }
        if let Some(i) = idx {
            bounds.insert(i, starts(src).unwrap_or_default());
        }
    }
    (docs, hpas, bounds)
}

/// The inputs with every ModelService document but `keep` blanked out;
/// sources left without a document are dropped.
fn keep_one(
    inputs: &[Source],
    docs: &[MsDoc],
    keep: usize,
    bounds: &HashMap<usize, Vec<u32>>,
) -> Vec<Source> {
    let mut out = Vec::new();
    for (i, src) in inputs.iter().enumerate() {
        let remove: Vec<u32> = docs
            .iter()
            .enumerate()
            .filter(|(j, d)| *j != keep && d.source == i)
            .map(|(_, d)| d.line)
            .collect();
        let starts = bounds.get(&i).cloned().unwrap_or_default();
        if remove.is_empty() {
            out.push(src.clone());
        } else if remove.len() < starts.len() {
            out.push(blank(src, &starts, &remove));
        }
    }
    out
}

fn namespace_of(ms: &ModelService, opts: &RenderOptions) -> String {
    opts.namespace
        .clone()
        .or_else(|| ms.namespace.clone())
        .or_else(|| opts.default_namespace.clone())
        .unwrap_or_else(|| "default".into())
}

/// Every ModelService name and `routing.modelName` used twice in a namespace.
fn duplicates(docs: &[MsDoc], opts: &RenderOptions, report: &mut Report) {
    let mut names: HashMap<(String, String), &ModelService> = HashMap::new();
    let mut models: HashMap<(String, String), &ModelService> = HashMap::new();
    for d in docs {
        let ms = &d.ms;
        let ns = namespace_of(ms, opts);
        let name_key = (ns.clone(), ms.name.clone());
        if let Some(first) = names.get(&name_key) {
            report.push(Finding {
                severity: Severity::Error,
                rule: "duplicate-name",
                span: ms.span.clone(),
                path: Some("metadata.name".into()),
                message: format!(
                    "ModelService `{}` in namespace `{ns}` is defined twice (first at {})",
                    ms.name, first.span
                ),
                help: Some("rename one of them or put it in another namespace".into()),
                notes: Vec::new(),
            });
        } else {
            names.insert(name_key, ms);
        }
        let model_key = (ns.clone(), ms.routing.model_name.clone());
        if let Some(first) = models.get(&model_key) {
            report.push(Finding {
                severity: Severity::Warning,
                rule: "duplicate-model-name",
                span: ms.routing.model_name_span.clone(),
                path: Some("spec.routing.modelName".into()),
                message: format!(
                    "ModelServices `{}` ({}) and `{}` both serve modelName `{}` in namespace `{ns}`: the gateway cannot tell their routes apart",
                    first.name, first.routing.model_name_span, ms.name, ms.routing.model_name
                ),
                help: Some("give each ModelService in a namespace its own routing.modelName".into()),
                notes: Vec::new(),
            });
        } else {
            models.insert(model_key, ms);
        }
    }
}

/// The span of a ModelService field, else of the nearest parent that is set.
fn ms_span(doc: &MsDoc, path: &[&str]) -> Span {
    (0..=path.len())
        .rev()
        .find_map(|n| {
            doc.node
                .get_path(&path[..n])
                .map(|x| x.span.clone())
                .filter(Span::is_known)
        })
        .unwrap_or_else(|| doc.ms.span.clone())
}

fn check_manifest(
    doc: &MsDoc,
    m: &Manifest,
    hpas: &[Node],
    opts: &RenderOptions,
    report: &mut Report,
) {
    let names = Names::new(&doc.ms.name);
    let ns = namespace_of(&doc.ms, opts);
    for obj in &m.objects {
        let role = match (obj.kind(), obj.name()) {
            ("Deployment", n) if n == names.decode_deployment => Some("decode"),
            ("Deployment", n) if n == names.prefill_deployment => Some("prefill"),
            _ => None,
        };
        if let Some(role) = role {
            check_hpa(doc, obj, role, hpas, &ns, report);
            check_parallelism(doc, obj, role, report);
            check_model_cache(doc, obj, report);
        }
        check_images(doc, obj, report);
    }
}

fn check_hpa(doc: &MsDoc, dep: &Node, role: &str, hpas: &[Node], ns: &str, report: &mut Report) {
    let Some(replicas) = dep.get_path(&["spec", "replicas"]) else {
        return;
    };
    for hpa in hpas {
        let target = hpa.get_path(&["spec", "scaleTargetRef"]);
        let kind = target.and_then(|t| t.get("kind")).and_then(Node::as_str);
        let name = target.and_then(|t| t.get("name")).and_then(Node::as_str);
        if kind != Some("Deployment")
            || name != Some(dep.name())
            || hpa.namespace().is_some_and(|n| n != ns)
        {
            continue;
        }
        let at = target
            .and_then(|t| t.get("name"))
            .map_or_else(|| hpa.span.clone(), |n| n.span.clone());
        report.push(
            Finding::warning(
                "hpa-replicas",
                ms_span(doc, &["spec", "decoupleScaling"]),
                format!(
                    "HorizontalPodAutoscaler `{}` ({at}) scales Deployment `{}`, but decoupleScaling is false: every `kubectl apply` of this output resets spec.replicas to {} under the autoscaler",
                    hpa.name(),
                    dep.name(),
                    replicas.scalar_text().unwrap_or_default()
                ),
            )
            .with_path("spec.decoupleScaling")
            .with_help(format!(
                "set spec.decoupleScaling: true, or let msvc emit the HPA with spec.{role}.autoscaling"
            )),
        );
    }
}

/// A count flag's value in `args` (`--flag N` or `--flag=N`).
fn flag(args: &[Node], names: &[&str]) -> Option<(i64, Span)> {
    for (i, a) in args.iter().enumerate() {
        let Some(s) = a.as_str() else { continue };
        for n in names {
            if s == *n {
                let v = args.get(i + 1)?;
                return v
                    .scalar_text()
                    .and_then(|t| t.trim().parse().ok())
                    .map(|x| (x, a.span.clone()));
            }
            if let Some(v) = s.strip_prefix(n).and_then(|r| r.strip_prefix('='))
                && let Ok(x) = v.trim().parse()
            {
                return Some((x, a.span.clone()));
            }
        }
    }
    None
}

/// An accelerator count: an integer or an integer string.
fn count(node: &Node) -> Option<i64> {
    match &node.value {
        Value::Int(i) => Some(*i),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The accelerator resources msvc knows, TPUs left out (a TPU slice's
/// chip count is not its tensor parallelism).
fn device_resources() -> Vec<String> {
    hardware::names()
        .iter()
        .filter_map(|t| hardware::resource(t))
        .filter(|r| !r.contains("tpu"))
        .collect()
}

fn check_parallelism(doc: &MsDoc, dep: &Node, role: &str, report: &mut Report) {
    let Some(containers) = dep
        .get_path(&crate::objects::workload::CONTAINERS)
        .and_then(Node::as_seq)
    else {
        return;
    };
    let declared = doc
        .node
        .get_path(&["spec", role, "parallelism", "tensor"])
        .filter(|n| !n.is_null());
    let resources = device_resources();
    for c in containers {
        let cname = c.get("name").and_then(Node::as_str).unwrap_or("");
        let mut args: Vec<Node> = c
            .get("command")
            .and_then(Node::as_seq)
            .cloned()
            .unwrap_or_default();
        args.extend(
            c.get("args")
                .and_then(Node::as_seq)
                .cloned()
                .unwrap_or_default(),
        );
        let tp_flag = flag(
            &args,
            &["--tensor-parallel-size", "-tp", "--tp-size", "--tp"],
        );
        let pp = flag(
            &args,
            &["--pipeline-parallel-size", "-pp", "--pp-size", "--pp"],
        )
        .map_or(1, |f| f.0);
        let dp = flag(&args, &["--data-parallel-size-local", "-dpl"])
            .or_else(|| flag(&args, &["--data-parallel-size", "-dp", "--dp-size", "--dp"]))
            .map_or(1, |f| f.0);
        let device = resources.iter().find_map(|r| {
            ["limits", "requests"].iter().find_map(|k| {
                c.get_path(&["resources", k, r])
                    .and_then(|n| count(n).map(|x| (r.clone(), x, n.span.clone())))
            })
        });
        if let (Some(d), Some((tp, at))) = (declared, &tp_flag)
            && count(d).is_some_and(|t| t != *tp)
        {
            report.push(
                Finding::warning(
                    "tensor-parallelism",
                    d.span.clone(),
                    format!(
                        "spec.{role}.parallelism.tensor is {} but container `{cname}` of Deployment `{}` passes tensor parallelism {tp} in its args ({at})",
                        count(d).unwrap_or_default(),
                        dep.name()
                    ),
                )
                .with_path(format!("spec.{role}.parallelism.tensor"))
                .with_help("say it once: set parallelism.tensor and let the preset pass --tensor-parallel-size, or make both agree"),
            );
        }
        let Some((resource, devices, dev_span)) = device else {
            continue;
        };
        let (tp, tp_from, tp_span) =
            match (&tp_flag, declared.and_then(|d| count(d).map(|t| (t, d)))) {
                (Some((t, s)), _) => (*t, "its args".to_string(), s.clone()),
                (None, Some((t, d))) => {
                    (t, format!("spec.{role}.parallelism.tensor"), d.span.clone())
                }
                (None, None) => (1, "the default".to_string(), Span::none()),
            };
        let want = tp * pp * dp;
        if want == devices {
            continue;
        }
        let mut why = format!("tensor parallelism {tp} ({tp_from})");
        if pp > 1 {
            why.push_str(&format!(" x pipeline parallelism {pp}"));
        }
        if dp > 1 {
            why.push_str(&format!(" x data parallelism {dp}"));
        }
        let at = [
            declared.map(|d| d.span.clone()),
            Some(tp_span),
            Some(dev_span),
        ]
        .into_iter()
        .flatten()
        .find(Span::is_known)
        .unwrap_or_else(|| ms_span(doc, &["spec", role]));
        report.push(
            Finding::warning(
                "tensor-parallelism",
                at,
                format!(
                    "container `{cname}` of Deployment `{}` requests {devices} {resource}, but {why} needs {want}",
                    dep.name()
                ),
            )
            .with_path(format!("spec.{role}.parallelism.tensor"))
            .with_help(format!(
                "set spec.{role}.parallelism.tensor to the device count (msvc then requests that many), or make --tensor-parallel-size and the {resource} limit agree"
            )),
        );
    }
}

fn check_model_cache(doc: &MsDoc, dep: &Node, report: &mut Report) {
    if !matches!(doc.ms.artifacts.model_uri, ModelUri::HuggingFace { .. }) {
        return;
    }
    let Some(volumes) = dep
        .get_path(&["spec", "template", "spec", "volumes"])
        .and_then(Node::as_seq)
    else {
        return;
    };
    let Some(vol) = volumes
        .iter()
        .find(|v| v.get("name").and_then(Node::as_str) == Some(crate::artifacts::VOLUME_NAME))
    else {
        return;
    };
    let Some(dir) = vol.get("emptyDir") else {
        return;
    };
    if dir.get("sizeLimit").is_some_and(|s| !s.is_empty()) {
        return;
    }
    report.push(
        Finding::warning(
            "model-cache-size",
            ms_span(doc, &["spec", "modelArtifacts"]),
            format!(
                "`{}` is downloaded into an emptyDir without sizeLimit (Deployment `{}`): a large model can fill the node's disk and get pods evicted",
                doc.ms.artifacts.uri,
                dep.name()
            ),
        )
        .with_path("spec.modelArtifacts.size")
        .with_help("set spec.modelArtifacts.size to the model's size plus headroom, e.g. size: 100Gi"),
    );
}

/// `(untagged, latest)` for an image reference; digests are pinned.
fn image_tag(image: &str) -> Option<&'static str> {
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => Some("has no tag, so it means `:latest`"),
        Some((_, "latest")) => Some("uses the `:latest` tag"),
        Some(_) => None,
    }
}

fn check_images(doc: &MsDoc, obj: &Node, report: &mut Report) {
    let mut found = Vec::new();
    containers_in(obj, &mut found);
    for (list, c) in found {
        let cname = c.get("name").and_then(Node::as_str).unwrap_or("?");
        match c.get("image").filter(|i| !i.is_empty()) {
            None => report.push(Finding {
                severity: Severity::Error,
                rule: "image-missing",
                span: if c.span.is_known() {
                    c.span.clone()
                } else {
                    doc.ms.span.clone()
                },
                path: None,
                message: format!(
                    "{list} entry `{cname}` of {} `{}` has no image; the API server rejects it",
                    obj.kind(),
                    obj.name()
                ),
                help: Some("set image in the BaseConfig or in the ModelService's container".into()),
                notes: Vec::new(),
            }),
            Some(i) => {
                let image = i.scalar_text().unwrap_or_default();
                if let Some(what) = image_tag(&image) {
                    let at = if i.span.is_known() {
                        i.span.clone()
                    } else {
                        doc.ms.span.clone()
                    };
                    report.push(
                        Finding::warning(
                            "image-tag",
                            at,
                            format!(
                                "image `{image}` of container `{cname}` ({} `{}`) {what}: nodes may pull different builds, and a restart can change what runs",
                                obj.kind(),
                                obj.name()
                            ),
                        )
                        .with_help("pin a version tag (e.g. :v0.3.0) or a digest (@sha256:...)"),
                    );
                }
            }
        }
    }
    // The model as an OCI image volume.
    if let Some(volumes) = obj
        .get_path(&["spec", "template", "spec", "volumes"])
        .and_then(Node::as_seq)
    {
        for v in volumes {
            if let Some(r) = v.get_path(&["image", "reference"]).and_then(Node::as_str)
                && let Some(what) = image_tag(r)
            {
                report.push(
                    Finding::warning(
                        "image-tag",
                        ms_span(doc, &["spec", "modelArtifacts", "uri"]),
                        format!("model image `{r}` {what}: pods may load different model builds"),
                    )
                    .with_path("spec.modelArtifacts.uri")
                    .with_help(
                        "pin a tag or digest: oci://<image>:<tag> or oci://<image>@sha256:...",
                    ),
                );
            }
        }
    }
}

/// Every container map in lists named `containers`, `initContainers` or
/// `ephemeralContainers`, anywhere in `node`.
fn containers_in<'a>(node: &'a Node, out: &mut Vec<(&'static str, &'a Node)>) {
    if let Some(m) = node.as_map() {
        for (k, v) in m {
            let list = match k.as_str() {
                "containers" => Some("container"),
                "initContainers" => Some("initContainer"),
                "ephemeralContainers" => Some("ephemeralContainer"),
                _ => None,
            };
            match (list, v.as_seq()) {
                (Some(l), Some(items)) => {
                    out.extend(
                        items
                            .iter()
                            .filter(|i| i.as_map().is_some())
                            .map(|i| (l, i)),
                    );
                }
                _ => containers_in(v, out),
            }
        }
    } else if let Some(items) = node.as_seq() {
        for i in items {
            containers_in(i, out);
        }
    }
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

/// Compiler style: `file:line:col: severity: message [rule]`, then
/// `  help: ...`, and a summary line.
pub fn to_text(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        if f.span.is_known() {
            out.push_str(&format!("{}: ", f.span));
        }
        out.push_str(&format!("{}: {}", f.severity.as_str(), f.message));
        if let Some(p) = &f.path {
            out.push_str(&format!(" (at {p})"));
        }
        out.push_str(&format!(" [{}]\n", f.rule));
        if let Some(h) = &f.help {
            out.push_str(&format!("  help: {h}\n"));
        }
        for n in &f.notes {
            out.push_str(&format!("  note: {n}\n"));
        }
    }
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    out.push_str(&format!(
        "msvc lint: {}, {}\n",
        plural(report.errors(), "error"),
        plural(report.warnings(), "warning")
    ));
    out
}

/// A JSON array for CI annotations: `{severity, file, line, column,
/// message, help, rule, path}`; `file` is null for findings without a
/// position.
pub fn to_json(report: &Report) -> serde_json::Value {
    serde_json::Value::Array(
        report
            .findings
            .iter()
            .map(|f| {
                let known = f.span.is_known();
                json!({
                    "severity": f.severity.as_str(),
                    "file": known.then(|| f.span.file.to_string()),
                    "line": known.then_some(f.span.line),
                    "column": known.then_some(f.span.col),
                    "message": f.message,
                    "help": f.help,
                    "rule": f.rule,
                    "path": f.path,
                    "notes": f.notes,
                })
            })
            .collect(),
    )
}

/// GitHub Actions workflow commands (`::warning file=...::message`).
pub fn to_github(report: &Report) -> String {
    let esc = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| esc(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for f in &report.findings {
        let mut props = Vec::new();
        if f.span.is_known() {
            props.push(format!("file={}", prop(&f.span.file)));
            props.push(format!("line={}", f.span.line));
            props.push(format!("col={}", f.span.col));
        }
        props.push(format!(
            "title={}",
            prop(&format!("msvc lint [{}]", f.rule))
        ));
        let mut msg = f.message.clone();
        if let Some(h) = &f.help {
            msg.push_str(&format!("\nhelp: {h}"));
        }
        for n in &f.notes {
            msg.push_str(&format!("\nnote: {n}"));
        }
        out.push_str(&format!(
            "::{} {}::{}\n",
            f.severity.as_str(),
            props.join(","),
            esc(&msg)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A BaseConfig without a model-storage sizeLimit (the presets have one).
    const BASE: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\n  annotations:\n    msvc.llm-d.ai/accelerator: nvidia\ndata:\n  decodeDeployment: |\n    spec:\n      template:\n        spec:\n          containers:\n            - name: vllm\n              image: vllm/vllm-openai:v0.10.0\n              args: [--port, \"8000\"]\n---\n";
    const MS: &str = "apiVersion: llm-d.ai/v1alpha1\nkind: ModelService\nmetadata:\n  name: NAME\nspec:\n  baseConfigMapRef:\n    name: base\n  routing:\n    modelName: MODEL\n    ports:\n      - name: app_port\n        port: 8000\n  modelArtifacts:\n    uri: hf://org/model\n    size: 20Gi\n  decode:\n    replicas: 1\n    containers:\n      - name: vllm\n        args: [\"{{ .HFModelName }}\"]\n        mountModelVolume: true\n";

    fn ms(name: &str, model: &str) -> String {
        MS.replace("NAME", name).replace("MODEL", model)
    }

    fn run(text: &str) -> Report {
        lint(&RenderRequest {
            inputs: vec![Source::new("in.yaml", format!("{BASE}{text}"))],
            ..Default::default()
        })
    }

    /// The 1-based line of the `nth` line containing `needle` in `BASE + text`.
    fn line(text: &str, needle: &str, nth: usize) -> u32 {
        let all = format!("{BASE}{text}");
        let n = all
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains(needle))
            .nth(nth)
            .unwrap_or_else(|| panic!("no {needle}"))
            .0;
        n as u32 + 1
    }

    fn rules(r: &Report) -> Vec<&str> {
        r.findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn a_clean_modelservice_has_no_findings() {
        let r = run(&ms("a", "org/model"));
        assert!(r.findings.is_empty(), "{}", to_text(&r));
    }

    #[test]
    fn duplicate_model_names_are_warnings_and_the_rest_is_still_linted() {
        let two = format!(
            "{}---\n{}",
            ms("a", "org/model"),
            ms("b", "org/model").replace("    size: 20Gi\n", "")
        );
        let r = run(&two);
        assert_eq!(
            rules(&r),
            ["duplicate-model-name", "model-cache-size"],
            "{}",
            to_text(&r)
        );
        let dup = &r.findings[0];
        assert_eq!(dup.severity, Severity::Warning);
        assert_eq!(
            dup.span.line,
            line(&two, "modelName", 1),
            "the second modelName"
        );
        let first = format!("in.yaml:{}:16", line(&two, "modelName", 0));
        assert!(dup.message.contains(&first), "{}", dup.message);
    }

    #[test]
    fn every_broken_modelservice_is_reported() {
        let two = format!(
            "{}---\n{}",
            ms("a", "m1").replace("replicas: 1", "replica: 1"),
            ms("b", "m2").replace("hf://org/model", "s3://x")
        );
        let r = run(&two);
        assert_eq!(r.errors(), 2, "{}", to_text(&r));
        let split = lint(&RenderRequest {
            inputs: vec![
                Source::new("base.yaml", BASE),
                Source::new("a.yaml", ms("a", "m1").replace("replicas: 1", "replica: 1")),
                Source::new("b.yaml", ms("b", "m2").replace("hf://org/model", "s3://x")),
            ],
            ..Default::default()
        });
        assert_eq!(split.errors(), 2, "{}", to_text(&split));
    }

    #[test]
    fn hpa_against_replicas() {
        let hpa = "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: a-decode\n  maxReplicas: 3\n";
        let text = format!("{}{hpa}", ms("a", "m"));
        let r = run(&text);
        assert_eq!(rules(&r), ["hpa-replicas"], "{}", to_text(&r));
        let at = format!("in.yaml:{}:11", line(&text, "name: a-decode", 0));
        assert!(
            r.findings[0].message.contains(&at),
            "{}",
            r.findings[0].message
        );
        let decoupled = ms("a", "m").replace("  decode:\n", "  decoupleScaling: true\n  decode:\n");
        let r = run(&format!("{decoupled}{hpa}"));
        assert!(r.findings.is_empty(), "{}", to_text(&r));
    }

    #[test]
    fn parallelism_against_devices() {
        let tp = ms("a", "m").replace(
            "    replicas: 1\n",
            "    replicas: 1\n    parallelism:\n      tensor: 2\n",
        );
        // The preset requests parallelism.tensor devices: consistent.
        assert!(run(&tp).findings.is_empty());
        let over = tp.replace(
            "mountModelVolume: true\n",
            "mountModelVolume: true\n        resources:\n          limits:\n            nvidia.com/gpu: \"1\"\n          requests:\n            nvidia.com/gpu: \"1\"\n",
        );
        let r = run(&over);
        assert_eq!(rules(&r), ["tensor-parallelism"], "{}", to_text(&r));
        assert_eq!(
            r.findings[0].span.line,
            line(&over, "tensor: 2", 0),
            "points at parallelism.tensor"
        );
        let args = ms("a", "m").replace(
            "args: [\"{{ .HFModelName }}\"]",
            "args: [\"{{ .HFModelName }}\", --tensor-parallel-size, \"4\"]",
        );
        let r = run(&args);
        assert_eq!(rules(&r), ["tensor-parallelism"], "{}", to_text(&r));
        assert!(
            r.findings[0].message.contains("requests 1 nvidia.com/gpu"),
            "{}",
            r.findings[0].message
        );
    }

    #[test]
    fn images() {
        assert_eq!(
            image_tag("vllm/vllm-openai"),
            Some("has no tag, so it means `:latest`")
        );
        assert_eq!(
            image_tag("localhost:5000/vllm"),
            Some("has no tag, so it means `:latest`")
        );
        assert_eq!(
            image_tag("vllm/vllm-openai:latest"),
            Some("uses the `:latest` tag")
        );
        assert_eq!(image_tag("vllm/vllm-openai:v0.10.0"), None);
        assert_eq!(image_tag("vllm/vllm-openai@sha256:abc"), None);
        let text = ms("a", "m").replace(
            "        mountModelVolume: true\n",
            "        mountModelVolume: true\n        image: vllm/vllm-openai:latest\n",
        );
        let r = run(&text);
        assert_eq!(rules(&r), ["image-tag"], "{}", to_text(&r));
        assert_eq!(r.findings[0].span.line, line(&text, ":latest", 0));
    }

    #[test]
    fn output_formats() {
        let input = ms("a", "m").replace("    size: 20Gi\n", "");
        let r = run(&input);
        let at = line(&input, "modelArtifacts:", 0);
        let text = to_text(&r);
        assert!(
            text.starts_with(&format!(
                "in.yaml:{at}:3: warning: `hf://org/model` is downloaded into an emptyDir"
            )),
            "{text}"
        );
        assert!(
            text.contains("[model-cache-size]\n  help: set spec.modelArtifacts.size"),
            "{text}"
        );
        assert!(text.ends_with("msvc lint: 0 errors, 1 warning\n"), "{text}");
        let j = to_json(&r);
        assert_eq!(j[0]["severity"], "warning");
        assert_eq!(j[0]["file"], "in.yaml");
        assert_eq!(j[0]["line"], at);
        assert_eq!(j[0]["column"], 3);
        assert_eq!(j[0]["rule"], "model-cache-size");
        let gh = to_github(&r);
        let want = format!(
            "::warning file=in.yaml,line={at},col=3,title=msvc lint [model-cache-size]::`hf"
        );
        assert!(gh.starts_with(&want), "{gh}");
    }
}
