//! BaseConfig: a ConfigMap whose data values are templated objects.

use std::sync::Arc;

use crate::decode::{req_str, strict_map, suggest, type_error};
use crate::error::{Diagnostic, Span, Stage};
use crate::template::TemplateSet;
use crate::yaml::{Node, Origin, Value, parse_one_lenient};

/// The data keys a BaseConfig may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataKey {
    DecodeDeployment,
    PrefillDeployment,
    DecodeService,
    PrefillService,
    EppDeployment,
    EppService,
    InferencePool,
    InferenceModel,
    HttpRoute,
    ConfigMaps,
    PodMonitor,
    EppServiceMonitor,
}

impl DataKey {
    pub const ALL: [DataKey; 12] = [
        DataKey::DecodeDeployment,
        DataKey::PrefillDeployment,
        DataKey::DecodeService,
        DataKey::PrefillService,
        DataKey::EppDeployment,
        DataKey::EppService,
        DataKey::InferencePool,
        DataKey::InferenceModel,
        DataKey::HttpRoute,
        DataKey::ConfigMaps,
        DataKey::PodMonitor,
        DataKey::EppServiceMonitor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DataKey::DecodeDeployment => "decodeDeployment",
            DataKey::PrefillDeployment => "prefillDeployment",
            DataKey::DecodeService => "decodeService",
            DataKey::PrefillService => "prefillService",
            DataKey::EppDeployment => "eppDeployment",
            DataKey::EppService => "eppService",
            DataKey::InferencePool => "inferencePool",
            DataKey::InferenceModel => "inferenceModel",
            DataKey::HttpRoute => "httpRoute",
            DataKey::ConfigMaps => "configMaps",
            DataKey::PodMonitor => "podMonitor",
            DataKey::EppServiceMonitor => "eppServiceMonitor",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The `(apiVersion, kind)` an object of this key gets when the
    /// template leaves them out.
    pub fn default_type(self) -> (&'static str, &'static str) {
        match self {
            DataKey::DecodeDeployment | DataKey::PrefillDeployment | DataKey::EppDeployment => {
                ("apps/v1", "Deployment")
            }
            DataKey::DecodeService | DataKey::PrefillService | DataKey::EppService => {
                ("v1", "Service")
            }
            DataKey::InferencePool => ("inference.networking.k8s.io/v1", "InferencePool"),
            DataKey::InferenceModel => ("inference.networking.x-k8s.io/v1alpha2", "InferenceModel"),
            DataKey::HttpRoute => ("gateway.networking.k8s.io/v1", "HTTPRoute"),
            DataKey::ConfigMaps => ("v1", "ConfigMap"),
            DataKey::PodMonitor => ("monitoring.coreos.com/v1", "PodMonitor"),
            DataKey::EppServiceMonitor => ("monitoring.coreos.com/v1", "ServiceMonitor"),
        }
    }
}

/// A BaseConfig as read: its templates, not yet compiled.
#[derive(Clone, Debug)]
pub struct BaseConfig {
    pub name: String,
    /// `metadata.namespace`: an input BaseConfig with one serves only
    /// ModelServices that look it up there; without one, every namespace.
    pub namespace: Option<String>,
    pub span: Span,
    pub data: Vec<(DataKey, String, Origin)>,
    /// `msvc.llm-d.ai/accelerator`: the accelerator type this BaseConfig
    /// is for; msvc then adds the device count and env (see `render`).
    pub accelerator: Option<String>,
    /// `msvc.llm-d.ai/hardware-default`: the hardware preset to lay under
    /// this one when no layer of the stack names an accelerator.
    pub hardware_default: Option<String>,
    /// `msvc.llm-d.ai/patch-only: "true"`: in a stack, this layer's data
    /// keys only patch objects another layer defines, never create one
    /// (hardware and size presets).
    pub patch_only: bool,
    /// `msvc.llm-d.ai/model-uri-schemes`: the model URI schemes (`hf`,
    /// `pvc`, `oci`) this BaseConfig loads, when it says; see [`crate::fit`].
    pub model_uri_schemes: Option<Vec<String>>,
    /// `msvc.llm-d.ai/loads-no-model: "true"`: the model server this layer
    /// sets up loads no weights (a simulator), so no container is expected
    /// to mention the model.
    pub loads_no_model: bool,
    /// `msvc.llm-d.ai/scheduling-profile`: this BaseConfig's EPP reads
    /// `/config/{{ .EPPConfigFile }}` from a ConfigMap msvc writes, with
    /// this profile unless the ModelService names another; its RBAC is the
    /// inferencepool chart's (see [`crate::epp_config`]).
    pub scheduling_profile: Option<String>,
    /// `msvc.llm-d.ai/tracing: "true"`: the template variable `Tracing` is
    /// `true` (else `false`), for the EPP's `--tracing={{ .Tracing }}`.
    pub tracing: bool,
    /// A preset built into msvc (not a user's file).
    pub builtin: bool,
    /// Where each data key is named in its file.
    pub key_spans: std::collections::HashMap<DataKey, Span>,
}

/// Annotation marking a layer that only patches.
pub const ANNOTATION_PATCH_ONLY: &str = "msvc.llm-d.ai/patch-only";

/// Annotation naming a BaseConfig's accelerator type.
pub const ANNOTATION_ACCELERATOR: &str = "msvc.llm-d.ai/accelerator";
/// Annotation naming the hardware preset a hardware-neutral preset needs.
pub const ANNOTATION_HARDWARE_DEFAULT: &str = "msvc.llm-d.ai/hardware-default";
/// Annotation of a layer that turns tracing on.
pub const ANNOTATION_TRACING: &str = "msvc.llm-d.ai/tracing";

impl BaseConfig {
    /// Reads a `v1 ConfigMap` document. `text` is the whole file the
    /// document came from, used to place data values on the file's lines.
    pub fn from_node(doc: &Node, text: &str) -> Result<Self, Diagnostic> {
        let top = strict_map(
            doc,
            "",
            &[
                "apiVersion",
                "kind",
                "metadata",
                "data",
                "immutable",
                "binaryData",
            ],
        )?;
        let meta_node = top.get("metadata").ok_or_else(|| {
            Diagnostic::new(
                Stage::Decode,
                doc.span.clone(),
                "missing required field `metadata`",
            )
            .with_path("metadata")
        })?;
        let meta = meta_node
            .as_map()
            .ok_or_else(|| type_error(meta_node, "metadata", "a map"))?;
        let name = req_str(meta, "name", "metadata", meta_node)?;
        let mut data = Vec::new();
        let mut key_spans = std::collections::HashMap::new();
        let lines: Vec<&str> = text.lines().collect();
        if let Some(d) = top.get("data").filter(|d| !d.is_null()) {
            let map = d.as_map().ok_or_else(|| type_error(d, "data", "a map"))?;
            for (key, value) in map {
                let Some(k) = DataKey::from_name(key) else {
                    let names: Vec<&str> = DataKey::ALL.iter().map(|k| k.as_str()).collect();
                    let d = Diagnostic::new(
                        Stage::Decode,
                        value.field_span().clone(),
                        format!("unknown BaseConfig data key `{key}`"),
                    )
                    .with_path(format!("data.{key}"));
                    return Err(match suggest(key, &names) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => d.with_help(format!("expected one of: {}", names.join(", "))),
                    });
                };
                let source = match &value.value {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    _ => {
                        return Err(type_error(value, &format!("data.{key}"), "a string")
                            .with_help("write the object as a block string: `key: |` then the YAML, indented"));
                    }
                };
                if source.trim().is_empty() {
                    continue;
                }
                key_spans.insert(k, value.field_span().clone());
                data.push((k, source, value_origin(value, &lines)));
            }
        }
        let annotation = |key: &str| -> Result<Option<String>, Diagnostic> {
            match meta.get("annotations").and_then(|a| a.get(key)) {
                None => Ok(None),
                Some(v) => v.as_str().map(|s| Some(s.to_string())).ok_or_else(|| {
                    type_error(v, &format!("metadata.annotations.{key}"), "a string")
                }),
            }
        };
        let accelerator = annotation(ANNOTATION_ACCELERATOR)?;
        if let Some(a) = &accelerator
            && crate::hardware::resource(a).is_none()
            && a != crate::hardware::CPU
        {
            let span = meta
                .get("annotations")
                .and_then(|n| n.get(ANNOTATION_ACCELERATOR))
                .map_or_else(|| doc.span.clone(), |n| n.span.clone());
            return Err(Diagnostic::new(
                Stage::Decode,
                span,
                format!("unknown accelerator type `{a}`"),
            )
            .with_path(format!("metadata.annotations.{ANNOTATION_ACCELERATOR}"))
            .with_help(format!(
                "expected one of: {}",
                crate::hardware::names().join(", ")
            )));
        }
        let namespace = meta
            .get("namespace")
            .and_then(Node::as_str)
            .filter(|ns| !ns.is_empty())
            .map(str::to_string);
        let model_uri_schemes = match meta
            .get("annotations")
            .and_then(|a| a.get(crate::fit::ANNOTATION_SCHEMES))
        {
            None => None,
            Some(n) => Some(crate::fit::read_schemes(n)?),
        };
        let scheduling_profile = annotation(crate::epp_config::ANNOTATION)?;
        if let Some(p) = &scheduling_profile
            && !crate::epp_config::PROFILES.iter().any(|(n, _, _)| n == p)
        {
            let path = format!("metadata.annotations.{}", crate::epp_config::ANNOTATION);
            let span = meta
                .get("annotations")
                .and_then(|n| n.get(crate::epp_config::ANNOTATION))
                .map_or_else(|| doc.span.clone(), |n| n.span.clone());
            // The same message as on a ModelService.
            crate::epp_config::Choice::parse(p, &span, &path)?;
            return Err(Diagnostic::new(
                Stage::Decode,
                span,
                format!("a BaseConfig names a built-in scheduling profile, not `{p}`"),
            )
            .with_path(path)
            .with_help("put your own EndpointPickerConfig in the ModelService's annotation"));
        }
        Ok(BaseConfig {
            model_uri_schemes,
            loads_no_model: annotation(crate::fit::ANNOTATION_LOADS_NO_MODEL)?
                .is_some_and(|v| v == "true"),
            name,
            namespace,
            span: doc.span.clone(),
            data,
            accelerator,
            hardware_default: annotation(ANNOTATION_HARDWARE_DEFAULT)?,
            patch_only: annotation(ANNOTATION_PATCH_ONLY)?.is_some_and(|v| v == "true"),
            scheduling_profile,
            tracing: annotation(ANNOTATION_TRACING)?.is_some_and(|v| v == "true"),
            builtin: false,
            key_spans,
        })
    }

    /// Compiles the templates; the BaseConfig travels with them.
    pub fn compile(self) -> Result<CompiledBase, Diagnostic> {
        let templates = TemplateSet::compile(
            self.data
                .iter()
                .map(|(k, src, origin)| (k.as_str(), src.as_str(), origin.clone())),
        )?;
        Ok(CompiledBase {
            config: self,
            templates,
        })
    }
}

/// Places a data value's text on its file's lines: a block scalar starts on
/// the line after its `|` at the block's indentation; a flow scalar where
/// it stands.
fn value_origin(value: &Node, lines: &[&str]) -> Origin {
    let file = Arc::clone(&value.span.file);
    let line = value.span.line as usize;
    let col = value.span.col.saturating_sub(1) as usize;
    let here = lines.get(line.wrapping_sub(1)).copied().unwrap_or("");
    let at = here.get(col..).unwrap_or("");
    if at.starts_with(['|', '>']) {
        let indent = lines
            .iter()
            .skip(line)
            .find(|l| !l.trim().is_empty())
            .map_or(0, |l| l.len() - l.trim_start().len());
        Origin {
            file,
            line_offset: line as u32,
            col_offset: indent as u32,
        }
    } else {
        let quoted = at.starts_with(['"', '\'']);
        Origin {
            file,
            line_offset: (line as u32).saturating_sub(1),
            col_offset: col as u32 + u32::from(quoted),
        }
    }
}

/// A BaseConfig whose templates are compiled, ready to render for many
/// ModelServices.
pub struct CompiledBase {
    /// What was read: name, annotations, where each data key stands.
    pub config: BaseConfig,
    templates: TemplateSet,
}

impl CompiledBase {
    pub fn has(&self, key: DataKey) -> bool {
        self.templates.contains(key.as_str())
    }

    /// Renders one data key and parses the result. `None` when the key is
    /// absent or renders to nothing.
    pub fn render(
        &self,
        key: DataKey,
        ctx: &tera::Context,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Option<Node>, Diagnostic> {
        if !self.has(key) {
            return Ok(None);
        }
        let text = self.templates.render(key.as_str(), ctx)?;
        let origin = self
            .templates
            .origin(key.as_str())
            .cloned()
            .unwrap_or_else(|| Origin::file(""));
        // `{% if %}` and `{% for %}` blocks change the number of lines:
        // positions in the rendered text are put back on the source's lines.
        let lines = self
            .templates
            .source(key.as_str())
            .filter(|src| src.contains("{%"))
            .map(|src| line_map(src, &text));
        let at = warnings.len();
        let mut node = parse_one_lenient(&text, &origin, warnings).map_err(|d| {
            let message = format!(
                "data key `{}` is not valid YAML after rendering: {}",
                key.as_str(),
                d.message
            );
            let mut span = d.span.clone();
            if let Some(map) = &lines {
                remap_span(&mut span, map, origin.line_offset);
            }
            // An error at the end of the text (an open bracket) is on the
            // value's last line, not on the file's next key.
            let last = origin.line_offset
                + self
                    .templates
                    .source(key.as_str())
                    .map_or(1, |s| s.lines().count().max(1)) as u32;
            if span.line > last {
                span.line = last;
            }
            Diagnostic { message, span, ..d }
        })?;
        if let Some(map) = &lines {
            for w in &mut warnings[at..] {
                remap_span(&mut w.span, map, origin.line_offset);
            }
            remap_node(&mut node, map, origin.line_offset);
        }
        match &node.value {
            Value::Null => Ok(None),
            Value::Map(_) if key != DataKey::ConfigMaps => Ok(Some(node)),
            Value::Seq(_) if key == DataKey::ConfigMaps => Ok(Some(node)),
            _ => Err(Diagnostic::new(
                Stage::Decode,
                node.span.clone(),
                format!(
                    "data key `{}` renders to {}",
                    key.as_str(),
                    node.type_name()
                ),
            )
            .with_help(if key == DataKey::ConfigMaps {
                "expected a list of ConfigMap objects"
            } else {
                "expected one Kubernetes object (a map)"
            })),
        }
    }
}

/// For each line of `rendered` (0-based), the line of `source` it came
/// from. Lines both share match. A rendered line found nowhere in the
/// source came from a template line (one holding `{{`): the one among the
/// differing source lines (in order, a loop's line reused) that shares the
/// longest start with it, e.g. its indentation and key.
pub fn line_map(source: &str, rendered: &str) -> Vec<u32> {
    use similar::{DiffOp, TextDiff};
    let old_lines: Vec<&str> = source.lines().collect();
    let new_lines: Vec<&str> = rendered.lines().collect();
    let common = |a: &str, b: &str| a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let mut map = vec![0u32; new_lines.len() + 1];
    let diff = TextDiff::from_lines(source, rendered);
    let mut last = 0usize;
    for op in diff.ops() {
        match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for i in 0..len {
                    if let Some(slot) = map.get_mut(new_index + i) {
                        *slot = (old_index + i) as u32;
                    }
                }
                last = old_index + len.saturating_sub(1);
            }
            DiffOp::Delete { .. } => {}
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            }
            | DiffOp::Replace {
                old_index,
                new_index,
                new_len,
                ..
            } => {
                let old_len = match *op {
                    DiffOp::Replace { old_len, .. } => old_len,
                    _ => 0,
                };
                // Where to look: the differing source lines, or for an
                // insertion the lines just before it.
                let (lo, hi) = if old_len > 0 {
                    (old_index, old_index + old_len)
                } else {
                    (
                        old_index.saturating_sub(8).max(last.min(old_index)),
                        old_index,
                    )
                };
                let mut from = lo;
                for i in 0..new_len {
                    let line = new_lines.get(new_index + i).copied().unwrap_or("");
                    let pick = (from..hi)
                        .filter(|j| old_lines.get(*j).is_some_and(|l| l.contains("{{")))
                        .max_by_key(|j| (common(old_lines[*j], line), std::cmp::Reverse(*j)))
                        .unwrap_or_else(|| (lo + i).min(hi.saturating_sub(1)).max(lo.min(hi)));
                    if let Some(slot) = map.get_mut(new_index + i) {
                        *slot = pick as u32;
                    }
                    from = pick;
                }
                last = from;
            }
        }
    }
    // Past the end (where an error about an unclosed bracket is found)
    // stays past the end.
    if let Some(end) = map.last_mut() {
        *end = old_lines.len() as u32;
    }
    map
}

fn remap_span(span: &mut Span, map: &[u32], line_offset: u32) {
    if let Some(rendered) = span.line.checked_sub(line_offset + 1)
        && let Some(src) = map.get(rendered as usize)
    {
        span.line = line_offset + src + 1;
    }
}

fn remap_node(node: &mut Node, map: &[u32], line_offset: u32) {
    remap_span(&mut node.span, map, line_offset);
    if let Some(k) = node.key_span.as_deref_mut() {
        remap_span(k, map, line_offset);
    }
    match &mut node.value {
        Value::Map(m) => {
            for v in m.values_mut() {
                remap_node(v, map, line_offset);
            }
        }
        Value::Seq(items) => {
            for v in items {
                remap_node(v, map, line_offset);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Vars;
    use crate::yaml::parse_one;

    const BASE: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  decodeService: |\n    spec:\n      ports:\n      - port: {{ \"app_port\" | getPort }}\n";

    fn base(text: &str) -> Result<BaseConfig, Diagnostic> {
        BaseConfig::from_node(&parse_one(text, &Origin::file("base.yaml")).unwrap(), text)
    }

    #[test]
    fn renders_a_data_key() {
        let b = base(BASE).unwrap().compile().unwrap();
        let mut vars = Vars::default();
        vars.ports.insert("app_port".into(), 8000);
        let svc = b
            .render(DataKey::DecodeService, &vars.context(), &mut Vec::new())
            .unwrap()
            .unwrap();
        let port = svc.get_path(&["spec", "ports"]).unwrap().as_seq().unwrap()[0]
            .get("port")
            .unwrap();
        assert_eq!(port.as_i64(), Some(8000));
        // The rendered node points at the file's own line and column.
        assert_eq!((port.span.line, port.span.col), (9, 15));
    }

    #[test]
    fn errors_inside_data_values_point_at_file_lines() {
        let b = base(BASE).unwrap().compile().unwrap();
        let e = b
            .render(
                DataKey::DecodeService,
                &Vars::default().context(),
                &mut Vec::new(),
            )
            .unwrap_err();
        assert!(e.message.contains("unknown port `app_port`"), "{e}");
        assert_eq!(e.span.line, 9, "{e}");
        let broken = BASE.replace("      ports:", "      ports: [");
        let e = base(&broken).unwrap().compile().unwrap().render(
            DataKey::DecodeService,
            &{
                let mut v = Vars::default();
                v.ports.insert("app_port".into(), 1);
                v.context()
            },
            &mut Vec::new(),
        );
        let e = e.unwrap_err();
        assert!(e.message.contains("not valid YAML after rendering"), "{e}");
        assert!(e.span.line >= 8, "{e}");
    }

    #[test]
    fn positions_after_a_block_are_the_source_lines() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  decodeService: |\n    spec:\n      ports:\n        - port: 1\n        {%- if false %}\n        - port: 2\n        - port: 3\n        {%- endif %}\n        {%- for p in [7, 8] %}\n        - port: {{ p }}\n        {%- endfor %}\n      type: ClusterIP\n";
        let b = base(text).unwrap().compile().unwrap();
        let svc = b
            .render(
                DataKey::DecodeService,
                &Vars::default().context(),
                &mut Vec::new(),
            )
            .unwrap()
            .unwrap();
        let ports = svc.get_path(&["spec", "ports"]).unwrap().as_seq().unwrap();
        let lines: Vec<u32> = ports
            .iter()
            .map(|p| p.get("port").unwrap().span.line)
            .collect();
        assert_eq!(lines, [9, 15, 15]);
        assert_eq!(svc.get_path(&["spec", "type"]).unwrap().span.line, 17);
        assert_eq!(line_map("a\nb\nc\n", "a\nc\n"), [0, 2, 3]);
    }

    #[test]
    fn unknown_data_keys_are_errors() {
        let e = base(&BASE.replace("decodeService", "decodeServce")).unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `decodeService`?"));
    }
}

/// Patches name the model server container `vllm`; in a workload whose
/// model server has another name (e.g. `sglang`), the patch goes to that
/// container: the one named `vllm`, else the first.
fn aim_at_model_server(patch: &mut Node, base: &Node) {
    let Some(containers) = base
        .get_path(&crate::objects::workload::CONTAINERS)
        .and_then(Node::as_seq)
    else {
        return;
    };
    let Some(main) = crate::objects::workload::model_server(containers)
        .and_then(|i| containers[i].get("name"))
        .and_then(Node::as_str)
        .map(str::to_string)
    else {
        return;
    };
    if main == "vllm" {
        return;
    }
    let Some(items) = patch
        .get_path_mut(&crate::objects::workload::CONTAINERS)
        .and_then(Node::as_seq_mut)
    else {
        return;
    };
    for c in items {
        if c.get("name").and_then(Node::as_str) == Some("vllm")
            && let Some(m) = c.as_map_mut()
        {
            m.insert("name".into(), Node::string(main.clone()));
        }
    }
}

/// Compiled BaseConfigs laid over each other, later over earlier, with the
/// same merge rules as the ModelService overlay (`--preset a --preset b`).
#[derive(Clone)]
pub struct BaseStack {
    pub layers: Vec<std::sync::Arc<CompiledBase>>,
}

impl BaseStack {
    pub fn name(&self) -> String {
        self.layers
            .iter()
            .map(|l| l.config.name.as_str())
            .collect::<Vec<_>>()
            .join("+")
    }

    /// Whether a layer that may create objects has `key`.
    pub fn has(&self, key: DataKey) -> bool {
        self.layers
            .iter()
            .any(|l| l.has(key) && !l.config.patch_only)
    }

    /// The scheduling profile of the stack: the last layer that names one.
    pub fn scheduling_profile(&self) -> Option<&str> {
        self.layers
            .iter()
            .rev()
            .find_map(|l| l.config.scheduling_profile.as_deref())
    }

    /// Whether a layer turns tracing on.
    pub fn tracing(&self) -> bool {
        self.layers.iter().any(|l| l.config.tracing)
    }

    /// The accelerator type of the stack: the last layer that names one.
    pub fn accelerator(&self) -> Option<&str> {
        self.layers
            .iter()
            .rev()
            .find_map(|l| l.config.accelerator.as_deref())
    }

    pub fn render(
        &self,
        key: DataKey,
        ctx: &tera::Context,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Option<Node>, Diagnostic> {
        if !self.has(key) {
            return Ok(None);
        }
        // The layers that define objects first, in order; then the patches
        // (hardware, sizes), in order, so a patch wins wherever it is named.
        let (defining, patches): (Vec<_>, Vec<_>) =
            self.layers.iter().partition(|l| !l.config.patch_only);
        let mut out: Option<Node> = None;
        for layer in defining {
            if let Some(node) = layer.render(key, ctx, warnings)? {
                match &mut out {
                    None => out = Some(node),
                    Some(base) => crate::merge::merge(base, &node),
                }
            }
        }
        if let Some(base) = &mut out {
            for layer in patches {
                if let Some(mut node) = layer.render(key, ctx, warnings)? {
                    aim_at_model_server(&mut node, base);
                    crate::merge::merge(base, &node);
                }
            }
        }
        Ok(out)
    }
}
