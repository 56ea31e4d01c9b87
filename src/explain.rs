//! `msvc explain`: where each field of the rendered output came from.
//!
//! Nothing is recorded during rendering: every [`Node`] already carries a
//! [`Span`]. Nodes read from a ModelService keep that file's positions,
//! nodes rendered from a BaseConfig data value point at the BaseConfig
//! file's lines, and nodes msvc made itself have no span. So explaining is
//! rendering, walking each object's tree, and telling apart:
//!
//! * a span inside a ModelService document -> that ModelService, file:line;
//! * a span inside a BaseConfig (a ConfigMap input, a `-b` file or a
//!   preset) -> that BaseConfig, file:line;
//! * no span -> the msvc rule that made the value, found by the field's
//!   path in [`RULES`] (naming, labels, model artifacts, accelerator, ...),
//!   citing the ModelService field the rule read when there is one.
//!
//! Fields msvc removed on purpose are listed too (`spec.replicas` of a
//! prefill/decode Deployment under `decoupleScaling: true`).
//!
//! Field paths name list items by their `name` when it is unique among
//! their siblings (`containers[vllm].env[HF_HOME].value`), by index
//! otherwise (`args[0]`); keys that hold `.` or brackets are quoted
//! (`labels["llm-d.ai/model"]`). [`FieldPath::parse`] reads the same syntax.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde_json::json;

use crate::error::{Diagnostic, Error, Span};
use crate::load::Source;
use crate::modelservice;
use crate::naming::Names;
use crate::objects::ObjectExt;
use crate::yaml::{Node, Origin as YamlOrigin, Value, parse_documents_lenient};
use crate::{RenderRequest, preset};

// ---------------------------------------------------------------------------
// Field paths
// ---------------------------------------------------------------------------

/// One step of a [`FieldPath`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A map key (`spec`, `["llm-d.ai/model"]`).
    Key(String),
    /// A list item as found in output: its index, and its `name` when that
    /// names it uniquely among its siblings.
    Item { name: Option<String>, index: usize },
    /// A list item as asked for (`[vllm]`, `[0]`): a name, or an index
    /// when all digits.
    Select(String),
}

/// A path to a field inside one object, e.g.
/// `spec.template.spec.containers[vllm].args[0]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Segment>);

impl FieldPath {
    /// Reads the path syntax [`fmt::Display`] writes: keys separated by
    /// `.`, `[name]` or `[index]` for list items, `["key"]` for keys with
    /// dots or brackets in them.
    pub fn parse(text: &str) -> Result<FieldPath, String> {
        let mut segs = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        let mut expect_key = true;
        while i < chars.len() {
            match chars[i] {
                '.' => {
                    if expect_key {
                        return Err(format!("empty key before `.` at character {}", i + 1));
                    }
                    expect_key = true;
                    i += 1;
                    if i == chars.len() {
                        return Err("the path ends with `.`".into());
                    }
                }
                '[' => {
                    let (seg, next) = bracket(&chars, i)?;
                    segs.push(seg);
                    i = next;
                    expect_key = false;
                }
                _ => {
                    if !expect_key {
                        return Err(format!(
                            "expected `.` or `[` at character {} of `{text}`",
                            i + 1
                        ));
                    }
                    let start = i;
                    while i < chars.len() && chars[i] != '.' && chars[i] != '[' {
                        if chars[i] == ']' {
                            return Err(format!("unmatched `]` at character {}", i + 1));
                        }
                        i += 1;
                    }
                    segs.push(Segment::Key(chars[start..i].iter().collect()));
                    expect_key = false;
                }
            }
        }
        Ok(FieldPath(segs))
    }

    /// Whether `self` (a path asked for) is `field` or one of its parents.
    pub fn is_prefix_of(&self, field: &FieldPath) -> bool {
        self.0.len() <= field.0.len()
            && self
                .0
                .iter()
                .zip(&field.0)
                .all(|(q, f)| segment_matches(q, f))
    }

    fn push(&self, seg: Segment) -> FieldPath {
        let mut p = self.clone();
        p.0.push(seg);
        p
    }

    /// The map keys of the path, list items left out (`containers[vllm].env`
    /// -> `containers.env`).
    pub fn keys(&self) -> Vec<&str> {
        self.0
            .iter()
            .filter_map(|s| match s {
                Segment::Key(k) => Some(k.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Follows the path in `node`.
    pub fn lookup<'a>(&self, node: &'a Node) -> Option<&'a Node> {
        let mut at = node;
        for seg in &self.0 {
            at = match (&at.value, seg) {
                (Value::Map(m), Segment::Key(k) | Segment::Select(k)) => m.get(k)?,
                (Value::Seq(items), _) => {
                    let probe = |i: usize, item: &Node| {
                        let name = item.get("name").and_then(Node::as_str).map(str::to_string);
                        segment_matches(seg, &Segment::Item { name, index: i })
                    };
                    items
                        .iter()
                        .enumerate()
                        .find(|(i, item)| probe(*i, item))
                        .map(|(_, n)| n)?
                }
                _ => return None,
            };
        }
        Some(at)
    }
}

fn bracket(chars: &[char], open: usize) -> Result<(Segment, usize), String> {
    let mut i = open + 1;
    if chars.get(i) == Some(&'"') {
        let start = i;
        i += 1;
        while i < chars.len() && chars[i] != '"' {
            if chars[i] == '\\' {
                i += 1;
            }
            i += 1;
        }
        if i >= chars.len() {
            return Err(format!("unclosed `\"` at character {}", start + 1));
        }
        let quoted: String = chars[start..=i].iter().collect();
        let key: String =
            serde_json::from_str(&quoted).map_err(|e| format!("bad quoted key {quoted}: {e}"))?;
        if chars.get(i + 1) != Some(&']') {
            return Err(format!("expected `]` at character {}", i + 2));
        }
        return Ok((Segment::Key(key), i + 2));
    }
    let start = i;
    while i < chars.len() && chars[i] != ']' {
        i += 1;
    }
    if i >= chars.len() {
        return Err(format!("unclosed `[` at character {}", open + 1));
    }
    let sel: String = chars[start..i].iter().collect();
    if sel.is_empty() {
        return Err(format!("empty `[]` at character {}", open + 1));
    }
    Ok((Segment::Select(sel), i + 1))
}

/// Whether `q` (asked for, or a pattern step) selects `f` (found).
fn segment_matches(q: &Segment, f: &Segment) -> bool {
    match (q, f) {
        (Segment::Key(a), Segment::Key(b)) => a == b,
        (Segment::Key(a) | Segment::Select(a), Segment::Item { name, index }) => {
            name.as_deref() == Some(a.as_str()) || a.parse::<usize>().ok() == Some(*index)
        }
        (Segment::Select(a), Segment::Key(b) | Segment::Select(b)) => a == b,
        (
            Segment::Item { name, index },
            Segment::Item {
                name: n2,
                index: i2,
            },
        ) => name == n2 && index == i2,
        _ => false,
    }
}

fn plain_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '$' | '@'))
}

fn plain_name(n: &str) -> bool {
    !n.is_empty()
        && !n.chars().all(|c| c.is_ascii_digit())
        && !n.contains(['[', ']', '"'])
        && n.trim() == n
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Segment::Key(k) if plain_key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Segment::Key(k) => write!(f, "[{}]", serde_json::Value::from(k.as_str()))?,
                Segment::Item {
                    name: Some(n),
                    index: _,
                }
                | Segment::Select(n) => {
                    if plain_name(n) || matches!(seg, Segment::Select(_)) {
                        write!(f, "[{n}]")?;
                    } else {
                        write!(f, "[{}]", serde_json::Value::from(n.as_str()))?;
                    }
                }
                Segment::Item { name: None, index } => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Queries: `Kind/name:path`
// ---------------------------------------------------------------------------

/// What `--path` asks for: `Kind/name:path`, `Kind/name`, `Kind:path`, or
/// a bare `path` (in every object). Kinds match without regard to case.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pub kind: Option<String>,
    pub name: Option<String>,
    pub path: FieldPath,
}

impl Query {
    pub fn parse(text: &str) -> Result<Query, String> {
        let text = text.trim();
        let (object, path) = match text.split_once(':') {
            Some((o, p)) => (Some(o), p),
            None if !text.contains(['.', '[']) && text.contains('/') => (Some(text), ""),
            None if text.chars().next().is_some_and(char::is_uppercase)
                && !text.contains(['.', '[']) =>
            {
                (Some(text), "")
            }
            None => (None, text),
        };
        let (kind, name) = match object.map(str::trim).filter(|o| !o.is_empty()) {
            None => (None, None),
            Some(o) => match o.split_once('/') {
                Some((k, n)) => (Some(k.to_string()), Some(n.to_string())),
                None => (Some(o.to_string()), None),
            },
        };
        Ok(Query {
            kind: kind.filter(|k| !k.is_empty()),
            name: name.filter(|n| !n.is_empty()),
            path: FieldPath::parse(path.trim())?,
        })
    }

    pub fn selects(&self, field: &Field) -> bool {
        self.kind
            .as_ref()
            .is_none_or(|k| k.eq_ignore_ascii_case(&field.kind))
            && self.name.as_ref().is_none_or(|n| *n == field.name)
            && self.path.is_prefix_of(&field.path)
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(k) = &self.kind {
            f.write_str(k)?;
            if let Some(n) = &self.name {
                write!(f, "/{n}")?;
            }
            f.write_str(":")?;
        }
        write!(f, "{}", self.path)
    }
}

// ---------------------------------------------------------------------------
// Origins and the rule table
// ---------------------------------------------------------------------------

/// The msvc rule that made a value no input holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// `apiVersion` and `kind` of an object msvc builds.
    ObjectType,
    /// Object names derived from the ModelService's name.
    Naming,
    /// `--namespace`, the ModelService's namespace, or `default`.
    Namespace,
    /// `llm-d.ai/*` labels and selectors, the ownership label.
    Labels,
    /// `replicas` copied from the ModelService.
    Replicas,
    /// `decoupleScaling: true` (or `autoscaling`) leaves `spec.replicas` out.
    DecoupleScaling,
    /// The HorizontalPodAutoscaler of a role's `autoscaling`.
    Autoscaling,
    /// The `model-storage` volume, its mount and the `HF_*` env.
    ModelArtifacts,
    /// Device count and env of the BaseConfig's accelerator type.
    Accelerator,
    /// `acceleratorTypes` as a required node affinity.
    Affinity,
    /// The ServiceAccounts and `serviceAccountName`.
    ServiceAccount,
    /// The endpoint picker's Role and RoleBinding.
    Rbac,
    /// InferencePool, InferenceModel and HTTPRoute wiring.
    Routing,
    /// Anything else msvc set.
    Other,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::ObjectType => "object type",
            Rule::Naming => "naming",
            Rule::Namespace => "namespace",
            Rule::Labels => "labels",
            Rule::Replicas => "replicas",
            Rule::DecoupleScaling => "decoupleScaling",
            Rule::Autoscaling => "autoscaling",
            Rule::ModelArtifacts => "model artifacts",
            Rule::Accelerator => "accelerator",
            Rule::Affinity => "acceleratorTypes affinity",
            Rule::ServiceAccount => "service accounts",
            Rule::Rbac => "RBAC",
            Rule::Routing => "routing",
            Rule::Other => "msvc",
        }
    }
}

/// A ModelService field a rule read, and where it is (when it is set).
#[derive(Clone, Debug)]
pub struct Cite {
    pub path: String,
    pub span: Option<Span>,
}

/// Where a field's value came from.
#[derive(Clone, Debug)]
pub enum Origin {
    /// Written in this ModelService. `copied` names the ModelService field
    /// msvc copied the value from when msvc put it at another path.
    ModelService {
        name: String,
        span: Span,
        copied: Option<String>,
        template: Option<String>,
    },
    /// Written in this BaseConfig (a ConfigMap input, `-b` file or preset).
    BaseConfig {
        name: String,
        span: Span,
        template: Option<String>,
    },
    /// Made by msvc by `rule`.
    Msvc {
        rule: Rule,
        why: String,
        cite: Option<Cite>,
    },
    /// A position in an input that is neither (should not happen).
    Input { span: Span },
}

/// One field of the output and its origin. `value` is `None` for a field
/// msvc left out on purpose.
#[derive(Clone, Debug)]
pub struct Field {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    /// The ModelService the object was rendered for.
    pub model_service: String,
    pub path: FieldPath,
    pub value: Option<Node>,
    pub origin: Origin,
}

/// One row of the rule table: objects of `kinds` (`*` for any, else
/// `|`-separated), a path `pattern` (`*` one key, `[*]` one list item,
/// `**` any steps), the rule, why, and the ModelService field the rule
/// reads. `{role}` is `decode`, `prefill` or `endpointPicker` (from the
/// object's name), `{list}`/`{container}` the enclosing container list and
/// container name. A row with `copies` reports the cited field as the
/// origin (the value is the ModelService's, moved by msvc).
pub struct RuleRow {
    pub kinds: &'static str,
    pub pattern: &'static str,
    pub rule: Rule,
    pub why: &'static str,
    pub cite: Option<&'static str>,
    pub copies: bool,
}

const fn row(
    kinds: &'static str,
    pattern: &'static str,
    rule: Rule,
    why: &'static str,
    cite: Option<&'static str>,
) -> RuleRow {
    RuleRow {
        kinds,
        pattern,
        rule,
        why,
        cite,
        copies: false,
    }
}

const fn copy(
    kinds: &'static str,
    pattern: &'static str,
    rule: Rule,
    cite: &'static str,
) -> RuleRow {
    RuleRow {
        kinds,
        pattern,
        rule,
        why: "",
        cite: Some(cite),
        copies: true,
    }
}

/// The table naming the rule behind every field msvc makes itself. The
/// first row whose kind and pattern match wins.
pub const RULES: &[RuleRow] = &[
    row(
        "*",
        "apiVersion",
        Rule::ObjectType,
        "msvc sets apiVersion and kind of every object it builds",
        None,
    ),
    row(
        "*",
        "kind",
        Rule::ObjectType,
        "msvc sets apiVersion and kind of every object it builds",
        None,
    ),
    row(
        "*",
        "metadata.name",
        Rule::Naming,
        "derived from the ModelService's name: <ms>-decode, <ms>-epp-service, ...",
        Some("metadata.name"),
    ),
    row(
        "*",
        "metadata.namespace",
        Rule::Namespace,
        "--namespace, else the ModelService's metadata.namespace, else `default`",
        Some("metadata.namespace"),
    ),
    row(
        "*",
        "**[\"app.kubernetes.io/managed-by\"]",
        Rule::Labels,
        "msvc's ownership label, on metadata only (never in a selector)",
        None,
    ),
    row(
        "*",
        "**[\"llm-d.ai/model\"]",
        Rule::Labels,
        "spec.routing.modelName, sanitized to a label value",
        Some("spec.routing.modelName"),
    ),
    row(
        "*",
        "**[\"llm-d.ai/inferenceServing\"]",
        Rule::Labels,
        "marks the model server pods the InferencePool selects",
        None,
    ),
    row(
        "*",
        "**[\"llm-d.ai/role\"]",
        Rule::Labels,
        "the role of the pods: prefill or decode",
        Some("spec.{role}"),
    ),
    row(
        "*",
        "**[\"llm-d.ai/epp\"]",
        Rule::Labels,
        "selects the endpoint picker's pods: <ms>-epp",
        None,
    ),
    row(
        "*",
        "metadata.labels[\"llm-d.ai/model-service\"]",
        Rule::Labels,
        "ownership label: the ModelService the object was rendered for",
        None,
    ),
    row(
        "*",
        "metadata.labels[\"applyset.kubernetes.io/part-of\"]",
        Rule::Labels,
        "--applyset: the kubectl ApplySet the object belongs to",
        None,
    ),
    copy(
        "Deployment|LeaderWorkerSet",
        "spec.replicas",
        Rule::Replicas,
        "spec.{role}.replicas",
    ),
    row(
        "Deployment|LeaderWorkerSet",
        "**.serviceAccountName",
        Rule::ServiceAccount,
        "the pods run as the ServiceAccount msvc creates: <ms>-sa (prefill/decode), <ms>-epp-sa (endpoint picker)",
        None,
    ),
    row(
        "Deployment|LeaderWorkerSet",
        "**.volumes[model-storage].**",
        Rule::ModelArtifacts,
        "the model-storage volume for spec.modelArtifacts.uri (hf: emptyDir, pvc: persistentVolumeClaim, oci: image)",
        Some("spec.modelArtifacts.uri"),
    ),
    row(
        "Deployment|LeaderWorkerSet",
        "**.volumeMounts[model-storage].**",
        Rule::ModelArtifacts,
        "mounted at /model-cache because the container sets mountModelVolume: true",
        Some("spec.{role}.{list}[{container}].mountModelVolume"),
    ),
    row(
        "Deployment|LeaderWorkerSet",
        "**.env[HF_HOME].**",
        Rule::ModelArtifacts,
        "HF_HOME=/model-cache for a hf:// model, because the container sets mountModelVolume: true",
        Some("spec.{role}.{list}[{container}].mountModelVolume"),
    ),
    row(
        "Deployment|LeaderWorkerSet",
        "**.env[HF_TOKEN].**",
        Rule::ModelArtifacts,
        "HF_TOKEN from the Secret spec.modelArtifacts.authSecretName (key HF_TOKEN)",
        Some("spec.modelArtifacts.authSecretName"),
    ),
    row(
        "Deployment|LeaderWorkerSet",
        "**.affinity.**",
        Rule::Affinity,
        "spec.{role}.acceleratorTypes as a required node affinity: labelKey In labelValues",
        Some("spec.{role}.acceleratorTypes"),
    ),
    row(
        "Deployment|LeaderWorkerSet",
        "**.containers[*].resources.*.*",
        Rule::Accelerator,
        "devices of the BaseConfig's accelerator type (annotation msvc.llm-d.ai/accelerator): parallelism.tensor, default 1",
        Some("spec.{role}.parallelism.tensor"),
    ),
    row(
        "Deployment|LeaderWorkerSet",
        "**.containers[*].env[*].**",
        Rule::Accelerator,
        "env the BaseConfig's accelerator type needs",
        None,
    ),
    row(
        "HorizontalPodAutoscaler",
        "spec.scaleTargetRef.**",
        Rule::Autoscaling,
        "scales the role's Deployment",
        Some("spec.{role}.autoscaling"),
    ),
    copy(
        "HorizontalPodAutoscaler",
        "spec.minReplicas",
        Rule::Autoscaling,
        "spec.{role}.autoscaling.minReplicas",
    ),
    copy(
        "HorizontalPodAutoscaler",
        "spec.maxReplicas",
        Rule::Autoscaling,
        "spec.{role}.autoscaling.maxReplicas",
    ),
    row(
        "HorizontalPodAutoscaler",
        "spec.minReplicas",
        Rule::Autoscaling,
        "minReplicas defaults to 1",
        Some("spec.{role}.autoscaling"),
    ),
    row(
        "PodDisruptionBudget",
        "spec.selector.**",
        Rule::Labels,
        "the budget covers the role's pods",
        None,
    ),
    row(
        "ServiceAccount",
        "imagePullSecrets.**",
        Rule::ServiceAccount,
        "--pd-pull-secrets / --epp-pull-secrets",
        None,
    ),
    row(
        "ServiceAccount",
        "**",
        Rule::ServiceAccount,
        "msvc creates <ms>-sa for prefill/decode pods and <ms>-epp-sa for the endpoint picker",
        None,
    ),
    row(
        "Role",
        "**",
        Rule::Rbac,
        "least privilege for the endpoint picker: get, list, watch on pods and the inference kinds (--epp-cluster-role binds a ClusterRole instead)",
        None,
    ),
    row(
        "RoleBinding",
        "**",
        Rule::Rbac,
        "binds <ms>-epp-sa to <ms>-epp-role, or to --epp-cluster-role",
        None,
    ),
    row(
        "Service",
        "spec.selector.**",
        Rule::Labels,
        "the Service selects its Deployment's pod labels",
        None,
    ),
    copy(
        "InferenceModel",
        "spec.modelName",
        Rule::Routing,
        "spec.routing.modelName",
    ),
    row(
        "InferenceModel",
        "spec.poolRef.**",
        Rule::Routing,
        "the InferencePool msvc names <ms>-inference-pool",
        None,
    ),
    row(
        "InferencePool",
        "spec.selector.**",
        Rule::Labels,
        "the pool selects the model server pods: llm-d.ai/inferenceServing and llm-d.ai/model",
        None,
    ),
    row(
        "InferencePool",
        "spec.extensionRef.**",
        Rule::Routing,
        "the endpoint picker's Service: <ms>-epp-service",
        None,
    ),
    row(
        "InferencePool",
        "spec.endpointPickerRef.**",
        Rule::Routing,
        "the endpoint picker's Service: <ms>-epp-service and its port",
        None,
    ),
    row(
        "InferencePool",
        "spec.targetPorts.**",
        Rule::Routing,
        "the pool's target port, from the BaseConfig's inferencePool",
        None,
    ),
    row(
        "HTTPRoute",
        "spec.parentRefs.**",
        Rule::Routing,
        "spec.routing.gatewayRefs",
        Some("spec.routing.gatewayRefs"),
    ),
    row(
        "HTTPRoute",
        "spec.rules[*].backendRefs[*].group",
        Rule::Routing,
        "the InferencePool's API group (--gie-api)",
        None,
    ),
    row(
        "HTTPRoute",
        "spec.rules.**",
        Rule::Routing,
        "without an httpRoute in the BaseConfig, one rule sends everything to the InferencePool",
        None,
    ),
    row("*", "**", Rule::Other, "made by msvc", None),
];

fn pattern_matches(pattern: &[Segment], path: &[Segment]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((Segment::Key(k), rest)) if k == "**" => {
            (0..=path.len()).any(|i| pattern_matches(rest, &path[i..]))
        }
        Some((p, rest)) => {
            let Some((f, tail)) = path.split_first() else {
                return false;
            };
            let ok = match (p, f) {
                (Segment::Key(k), Segment::Key(_)) if k == "*" => true,
                (Segment::Select(s), Segment::Item { .. }) if s == "*" => true,
                _ => segment_matches(p, f),
            };
            ok && pattern_matches(rest, tail)
        }
    }
}

fn kind_matches(kinds: &str, kind: &str) -> bool {
    kinds == "*" || kinds.split('|').any(|k| k == kind)
}

/// The row of [`RULES`] for a field msvc made.
pub fn rule_for(kind: &str, path: &FieldPath) -> &'static RuleRow {
    RULES
        .iter()
        .find(|r| {
            kind_matches(r.kinds, kind)
                && FieldPath::parse(r.pattern).is_ok_and(|p| pattern_matches(&p.0, &path.0))
        })
        .unwrap_or(&RULES[RULES.len() - 1])
}

// ---------------------------------------------------------------------------
// Where the inputs' documents are
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DocKind {
    ModelService,
    BaseConfig,
    Other,
}

struct Doc {
    line: u32,
    kind: DocKind,
    name: String,
    node: Node,
}

/// The documents of every input, by file, to place a span in one.
#[derive(Default)]
struct Index {
    files: HashMap<Arc<str>, (String, Vec<Doc>)>,
}

impl Index {
    fn new(req: &RenderRequest) -> Index {
        let mut index = Index::default();
        let mut sources: Vec<Source> = req.inputs.clone();
        sources.extend(req.base_files.iter().cloned());
        for (name, text) in preset::PRESETS {
            sources.push(Source::new(preset::file_name(name), *text));
        }
        for src in sources {
            let docs = parse_documents_lenient(
                &src.text,
                &YamlOrigin::file(Arc::clone(&src.name)),
                &mut Vec::new(),
            )
            .unwrap_or_default();
            let mut list: Vec<Doc> = docs
                .into_iter()
                .filter(|d| d.as_map().is_some())
                .map(|d| {
                    let kind = match (d.api_version(), d.kind()) {
                        (modelservice::API_VERSION, modelservice::KIND) => DocKind::ModelService,
                        ("v1", "ConfigMap") => DocKind::BaseConfig,
                        _ => DocKind::Other,
                    };
                    Doc {
                        line: d.span.line,
                        kind,
                        name: d.name().to_string(),
                        node: d,
                    }
                })
                .collect();
            list.sort_by_key(|d| d.line);
            index.files.insert(src.name, (src.text, list));
        }
        index
    }

    fn doc(&self, span: &Span) -> Option<&Doc> {
        let (_, docs) = self.files.get(&span.file)?;
        docs.iter().rev().find(|d| d.line <= span.line)
    }

    /// The ModelService document named `name` (in `namespace` when several).
    fn model_service(&self, name: &str, namespace: Option<&str>) -> Option<&Doc> {
        let all: Vec<&Doc> = self
            .files
            .values()
            .flat_map(|(_, docs)| docs)
            .filter(|d| d.kind == DocKind::ModelService && d.name == name)
            .collect();
        if all.len() <= 1 {
            return all.into_iter().next();
        }
        all.iter()
            .find(|d| d.node.namespace().unwrap_or("default") == namespace.unwrap_or("default"))
            .or(all.first())
            .copied()
    }

    /// The template text at `span`, when the source there holds one.
    fn template_at(&self, span: &Span) -> Option<String> {
        let (text, _) = self.files.get(&span.file)?;
        let line = text.lines().nth(span.line.checked_sub(1)? as usize)?;
        let token = scalar_at(line, span.col.saturating_sub(1) as usize);
        token
            .contains("{{")
            .then(|| token.trim_matches(['"', '\'']).to_string())
    }
}

/// The scalar that starts at character `col` of `line`: up to a `,`, `]`
/// or `}` outside `{{ }}` in a flow collection, else to the end of the
/// line (a comment left out).
fn scalar_at(line: &str, col: usize) -> String {
    let chars: Vec<char> = line.chars().collect();
    let before: String = chars.iter().take(col).collect();
    let flow = before.contains(['[', '{']);
    let mut out = String::new();
    let mut depth = 0usize;
    let mut i = col;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '{' && matches!(next, Some('{' | '%')) {
            depth += 1;
            out.push(c);
            out.push(next.unwrap_or(c));
            i += 2;
            continue;
        }
        if matches!(c, '}' | '%') && next == Some('}') && depth > 0 {
            depth -= 1;
            out.push(c);
            out.push('}');
            i += 2;
            continue;
        }
        if depth == 0 && (flow && matches!(c, ',' | ']' | '}') || c == '#' && out.ends_with(' ')) {
            break;
        }
        out.push(c);
        i += 1;
    }
    out.trim().to_string()
}

// ---------------------------------------------------------------------------
// Explaining
// ---------------------------------------------------------------------------

/// The fields of the rendered output with their origins, and the
/// warnings rendering gave.
#[derive(Debug, Default)]
pub struct Explanation {
    pub fields: Vec<Field>,
    pub warnings: Vec<Diagnostic>,
}

/// Renders `req` and explains every field of the output.
pub fn explain(req: &RenderRequest) -> Result<Explanation, Error> {
    let rendered = crate::render(req)?;
    let index = Index::new(req);
    let mut fields = Vec::new();
    for manifest in &rendered.manifests {
        let ns = manifest.objects.iter().find_map(|o| o.namespace());
        let ms = index.model_service(&manifest.name, ns);
        let names = Names::new(&manifest.name);
        for obj in &manifest.objects {
            let ctx = ObjectCtx {
                kind: obj.kind(),
                name: obj.name(),
                namespace: obj.namespace(),
                model_service: &manifest.name,
                role: role_of(obj.kind(), obj.name(), &names),
                ms: ms.map(|d| &d.node),
                index: &index,
            };
            let start = fields.len();
            walk(obj, &FieldPath::default(), &ctx, &mut fields);
            removed(&ctx, start, &mut fields);
        }
    }
    Ok(Explanation {
        fields,
        warnings: rendered.warnings,
    })
}

struct ObjectCtx<'a> {
    kind: &'a str,
    name: &'a str,
    namespace: Option<&'a str>,
    model_service: &'a str,
    role: Option<&'static str>,
    ms: Option<&'a Node>,
    index: &'a Index,
}

impl ObjectCtx<'_> {
    fn field(&self, path: FieldPath, value: Option<Node>, origin: Origin) -> Field {
        Field {
            kind: self.kind.to_string(),
            name: self.name.to_string(),
            namespace: self.namespace.map(str::to_string),
            model_service: self.model_service.to_string(),
            path,
            value,
            origin,
        }
    }

    /// The ModelService field `template` names (placeholders filled from
    /// `path`), and its span when it is set.
    fn cite(&self, template: &str, path: &FieldPath) -> Option<Cite> {
        let mut text = template.to_string();
        if text.contains("{role}") {
            text = text.replace("{role}", self.role?);
        }
        if text.contains("{list}") || text.contains("{container}") {
            let (list, container) = container_of(path)?;
            text = text
                .replace("{list}", &list)
                .replace("{container}", &container);
        }
        let span = self.ms.and_then(|ms| {
            FieldPath::parse(&text)
                .ok()?
                .lookup(ms)
                .map(|n| n.span.clone())
                .filter(Span::is_known)
        });
        Some(Cite { path: text, span })
    }
}

fn role_of(kind: &str, name: &str, names: &Names) -> Option<&'static str> {
    match kind {
        "Deployment" | "LeaderWorkerSet" | "Service" | "HorizontalPodAutoscaler" => {}
        "PodDisruptionBudget" => {
            return role_of("Deployment", name.strip_suffix("-pdb")?, names);
        }
        _ => return None,
    }
    if name == names.decode_deployment || name == names.decode_service {
        Some("decode")
    } else if name == names.prefill_deployment || name == names.prefill_service {
        Some("prefill")
    } else if name == names.epp_deployment || name == names.epp_service {
        Some("endpointPicker")
    } else {
        None
    }
}

/// The container list and container name a path is inside of.
fn container_of(path: &FieldPath) -> Option<(String, String)> {
    path.0.windows(2).find_map(|w| match (&w[0], &w[1]) {
        (Segment::Key(list), Segment::Item { name: Some(n), .. })
            if list == "containers" || list == "initContainers" =>
        {
            Some((list.clone(), n.clone()))
        }
        _ => None,
    })
}

fn walk(node: &Node, path: &FieldPath, ctx: &ObjectCtx<'_>, out: &mut Vec<Field>) {
    match &node.value {
        Value::Map(m) if !m.is_empty() => {
            for (k, v) in m {
                walk(v, &path.push(Segment::Key(k.clone())), ctx, out);
            }
        }
        Value::Seq(items) if !items.is_empty() => {
            let names: Vec<Option<&str>> = items
                .iter()
                .map(|i| i.get("name").and_then(Node::as_str))
                .collect();
            for (i, item) in items.iter().enumerate() {
                let name = names[i]
                    .filter(|n| names.iter().filter(|m| **m == Some(*n)).count() == 1)
                    .map(str::to_string);
                walk(item, &path.push(Segment::Item { name, index: i }), ctx, out);
            }
        }
        _ => {
            let origin = origin_of(node, path, ctx);
            out.push(ctx.field(path.clone(), Some(node.clone()), origin));
        }
    }
}

fn origin_of(node: &Node, path: &FieldPath, ctx: &ObjectCtx<'_>) -> Origin {
    let span = &node.span;
    if span.is_known() && &*span.file != crate::values::DEFAULTS_FILE {
        let template = ctx.index.template_at(span);
        return match ctx.index.doc(span) {
            Some(d) if d.kind == DocKind::ModelService => Origin::ModelService {
                name: d.name.clone(),
                span: span.clone(),
                copied: None,
                template,
            },
            Some(d) if d.kind == DocKind::BaseConfig => Origin::BaseConfig {
                name: d.name.clone(),
                span: span.clone(),
                template,
            },
            _ => Origin::Input { span: span.clone() },
        };
    }
    let row = if span.is_known() {
        // The accelerator table (the chart defaults' `accelerator.env`).
        RULES
            .iter()
            .find(|r| r.rule == Rule::Accelerator && r.cite.is_none())
            .unwrap_or(&RULES[RULES.len() - 1])
    } else {
        rule_for(ctx.kind, path)
    };
    let cite = row.cite.and_then(|c| ctx.cite(c, path));
    if row.copies
        && let Some(Cite {
            path: field,
            span: Some(span),
        }) = &cite
    {
        return Origin::ModelService {
            name: ctx.model_service.to_string(),
            span: span.clone(),
            copied: Some(field.clone()),
            template: None,
        };
    }
    Origin::Msvc {
        rule: row.rule,
        why: if row.why.is_empty() {
            format!("copied from the ModelService's {}", row.cite.unwrap_or(""))
        } else {
            row.why.to_string()
        },
        cite,
    }
}

/// Fields msvc leaves out on purpose, placed where they would be.
fn removed(ctx: &ObjectCtx<'_>, start: usize, out: &mut Vec<Field>) {
    let Some(ms) = ctx.ms else { return };
    let Some(role @ ("decode" | "prefill")) = ctx.role else {
        return;
    };
    if ctx.kind != "Deployment" {
        return;
    }
    let path = FieldPath(vec![
        Segment::Key("spec".into()),
        Segment::Key("replicas".into()),
    ]);
    if path.lookup_in(out, start).is_some() {
        return;
    }
    let decoupled = ms
        .get_path(&["spec", "decoupleScaling"])
        .and_then(Node::as_bool)
        .unwrap_or(false);
    let autoscaled = ms
        .get_path(&["spec", role, "autoscaling"])
        .is_some_and(|a| !a.is_null());
    let origin = if decoupled {
        Origin::Msvc {
            rule: Rule::DecoupleScaling,
            why: "decoupleScaling: true leaves spec.replicas to an autoscaler, so kubectl apply never resets it".into(),
            cite: ctx.cite("spec.decoupleScaling", &path),
        }
    } else if autoscaled {
        Origin::Msvc {
            rule: Rule::Autoscaling,
            why: "the role's HorizontalPodAutoscaler owns spec.replicas, so kubectl apply never resets it".into(),
            cite: ctx.cite("spec.{role}.autoscaling", &path),
        }
    } else {
        return;
    };
    let at = out[start..]
        .iter()
        .position(|f| f.path.0.first() == Some(&Segment::Key("spec".into())))
        .map_or(out.len(), |i| start + i);
    out.insert(at, ctx.field(path, None, origin));
}

impl FieldPath {
    /// The field at exactly this path among `fields[start..]`.
    fn lookup_in(&self, fields: &[Field], start: usize) -> Option<usize> {
        fields[start..].iter().position(|f| f.path == *self)
    }
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

/// A scalar as YAML would show it; `{}` / `[]` for empty collections.
pub fn value_text(node: &Node) -> String {
    match &node.value {
        Value::String(s) if crate::yaml::print::is_plain_safe(s) => s.clone(),
        Value::String(s) => serde_json::Value::from(s.as_str()).to_string(),
        Value::Map(_) => "{}".into(),
        Value::Seq(_) => "[]".into(),
        Value::Null => "null".into(),
        _ => node.scalar_text().unwrap_or_default(),
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::ModelService {
                name,
                span,
                copied,
                template,
            } => {
                write!(f, "ModelService {name} ({span}")?;
                if let Some(c) = copied {
                    write!(f, ", {c}, copied by msvc")?;
                }
                if let Some(t) = template {
                    write!(f, ", template {t}")?;
                }
                f.write_str(")")
            }
            Origin::BaseConfig {
                name,
                span,
                template,
            } => {
                write!(f, "BaseConfig {name} ({span}")?;
                if let Some(t) = template {
                    write!(f, ", template {t}")?;
                }
                f.write_str(")")
            }
            Origin::Msvc { rule, why, cite } => {
                write!(f, "msvc {}: {why}", rule.as_str())?;
                match cite {
                    Some(Cite {
                        path,
                        span: Some(s),
                    }) => write!(f, " ({path} at {s})"),
                    Some(Cite { path, span: None }) if path.contains("parallelism") => {
                        write!(f, " ({path} not set)")
                    }
                    _ => Ok(()),
                }
            }
            Origin::Input { span } => write!(f, "{span}"),
        }
    }
}

impl Field {
    /// `Kind/name:path`, the `--path` syntax.
    pub fn address(&self) -> String {
        format!("{}/{}:{}", self.kind, self.name, self.path)
    }
}

/// One line per field: `Kind/name:path = value  <- origin`.
pub fn to_text(fields: &[&Field]) -> String {
    let mut out = String::new();
    for f in fields {
        match &f.value {
            Some(v) => out.push_str(&format!("{} = {}", f.address(), value_text(v))),
            None => out.push_str(&format!("{} (absent)", f.address())),
        }
        out.push_str(&format!("  <- {}\n", f.origin));
    }
    out
}

fn span_json(span: &Span) -> serde_json::Value {
    json!({ "file": &*span.file, "line": span.line, "column": span.col })
}

/// A JSON array: one object per field.
pub fn to_json(fields: &[&Field]) -> serde_json::Value {
    let items = fields
        .iter()
        .map(|f| {
            let origin = match &f.origin {
                Origin::ModelService {
                    name,
                    span,
                    copied,
                    template,
                } => json!({
                    "source": "modelservice", "name": name, "location": span_json(span),
                    "copiedFrom": copied, "template": template,
                }),
                Origin::BaseConfig {
                    name,
                    span,
                    template,
                } => json!({
                    "source": "baseconfig", "name": name, "location": span_json(span),
                    "template": template,
                }),
                Origin::Msvc { rule, why, cite } => json!({
                    "source": "msvc", "rule": rule.as_str(), "why": why,
                    "cite": cite.as_ref().map(|c| json!({
                        "path": c.path,
                        "location": c.span.as_ref().map(span_json),
                    })),
                }),
                Origin::Input { span } => json!({ "source": "input", "location": span_json(span) }),
            };
            json!({
                "object": format!("{}/{}", f.kind, f.name),
                "kind": f.kind,
                "name": f.name,
                "namespace": f.namespace,
                "modelService": f.model_service,
                "path": f.path.to_string(),
                "absent": f.value.is_none(),
                "value": f.value.as_ref().map(Node::to_json),
                "origin": origin,
            })
        })
        .collect();
    serde_json::Value::Array(items)
}

/// The fields `query` selects, or a message naming close addresses when
/// it selects none.
pub fn select<'a>(fields: &'a [Field], query: &Query) -> Result<Vec<&'a Field>, String> {
    let hits: Vec<&Field> = fields.iter().filter(|f| query.selects(f)).collect();
    if !hits.is_empty() {
        return Ok(hits);
    }
    let asked = query.to_string();
    // Compare like with like: a bare path with field paths, an address
    // with addresses.
    let bare = query.kind.is_none() && query.name.is_none();
    let wanted = if bare {
        query.path.to_string()
    } else {
        asked.clone()
    };
    let mut close: Vec<(f64, String)> = fields
        .iter()
        .map(|f| {
            let a = f.address();
            let against = if bare { f.path.to_string() } else { a.clone() };
            (strsim::jaro_winkler(&wanted, &against), a)
        })
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    close.dedup_by(|a, b| a.1 == b.1);
    let mut objects: Vec<String> = fields
        .iter()
        .map(|f| format!("{}/{}", f.kind, f.name))
        .collect();
    objects.dedup();
    let mut msg = format!("no field of the output matches `{asked}`");
    if let Some((_, best)) = close.first() {
        msg.push_str(&format!("; closest: `{best}`"));
    }
    msg.push_str(&format!("; objects: {}", objects.join(", ")));
    Err(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> FieldPath {
        FieldPath::parse(s).unwrap()
    }

    #[test]
    fn paths_round_trip() {
        for s in [
            "spec.template.spec.containers[vllm].args[0]",
            "metadata.labels[\"llm-d.ai/model\"]",
            "spec.template.spec.containers[vllm].resources.limits[\"nvidia.com/gpu\"]",
            "spec.replicas",
        ] {
            assert_eq!(p(s).to_string(), s);
        }
        assert!(FieldPath::parse("spec..x").is_err());
        assert!(FieldPath::parse("a[b").is_err());
        assert!(FieldPath::parse("a[\"b\"").is_err());
        assert!(FieldPath::parse("a]").is_err());
    }

    #[test]
    fn items_by_name_or_index() {
        let found = FieldPath(vec![
            Segment::Key("containers".into()),
            Segment::Item {
                name: Some("vllm".into()),
                index: 1,
            },
            Segment::Key("args".into()),
            Segment::Item {
                name: None,
                index: 0,
            },
        ]);
        assert_eq!(found.to_string(), "containers[vllm].args[0]");
        assert!(p("containers[vllm]").is_prefix_of(&found));
        assert!(p("containers[1].args").is_prefix_of(&found));
        assert!(p("containers[\"vllm\"].args[0]").is_prefix_of(&found));
        assert!(!p("containers[epp]").is_prefix_of(&found));
        assert!(!p("containers[vllm].args[1]").is_prefix_of(&found));
    }

    #[test]
    fn queries() {
        let q =
            Query::parse("Deployment/m-decode:spec.template.spec.containers[vllm].args").unwrap();
        assert_eq!(q.kind.as_deref(), Some("Deployment"));
        assert_eq!(q.name.as_deref(), Some("m-decode"));
        assert_eq!(q.path.0.len(), 6);
        let q = Query::parse("Deployment/m-decode").unwrap();
        assert!(q.path.0.is_empty() && q.name.is_some());
        let q = Query::parse("spec.replicas").unwrap();
        assert!(q.kind.is_none() && q.path.0.len() == 2);
        let q = Query::parse("metadata.labels[\"llm-d.ai/model\"]").unwrap();
        assert!(q.kind.is_none() && q.path.0.len() == 3);
        let q = Query::parse("Service").unwrap();
        assert_eq!(q.kind.as_deref(), Some("Service"));
    }

    const INPUT: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: base
data:
  decodeDeployment: |
    spec:
      replicas: 3
      template:
        spec:
          containers:
            - name: vllm
              image: vllm/vllm-openai:v0.10.0
              args: [--port, \"{{ \"app_port\" | getPort }}\"]
---
apiVersion: llm-d.ai/v1alpha1
kind: ModelService
metadata:
  name: m
spec:
  baseConfigMapRef:
    name: base
  routing:
    modelName: org/model
    ports:
      - name: app_port
        port: 8000
  modelArtifacts:
    uri: hf://org/model
  decode:
    replicas: 2
    containers:
      - name: vllm
        args: [\"{{ .HFModelName }}\"]
        mountModelVolume: true
";

    fn fields(input: &str) -> Vec<Field> {
        explain(&RenderRequest {
            inputs: vec![Source::new("in.yaml", input)],
            ..Default::default()
        })
        .unwrap()
        .fields
    }

    fn one<'a>(fields: &'a [Field], q: &str) -> &'a Field {
        let hits = select(fields, &Query::parse(q).unwrap()).unwrap();
        assert_eq!(hits.len(), 1, "{q}: {}", to_text(&hits));
        hits[0]
    }

    #[test]
    fn origins_of_a_render() {
        let f = fields(INPUT);
        let c = "Deployment/m-decode:spec.template.spec.containers[vllm]";
        // The ModelService's replicas win over the base's 3.
        let r = one(&f, "Deployment/m-decode:spec.replicas");
        assert_eq!(r.value.as_ref().and_then(Node::as_i64), Some(2));
        assert!(
            matches!(&r.origin, Origin::ModelService { span, copied: Some(c), .. } if span.line == 31 && c == "spec.decode.replicas"),
            "{:?}",
            r.origin
        );
        let image = one(&f, &format!("{c}.image"));
        assert!(
            matches!(&image.origin, Origin::BaseConfig { name, span, .. } if name == "base" && (span.line, span.col) == (13, 22)),
            "{:?}",
            image.origin
        );
        let arg = one(&f, &format!("{c}.args[0]"));
        assert_eq!(arg.value.as_ref().and_then(Node::as_str), Some("org/model"));
        assert!(
            matches!(&arg.origin, Origin::ModelService { template: Some(t), .. } if t == "{{ .HFModelName }}"),
            "{:?}",
            arg.origin
        );
        let port = one(&f, &format!("{c}.args[2]"));
        assert!(
            matches!(&port.origin, Origin::BaseConfig { template: Some(t), span, .. } if t == "{{ \"app_port\" | getPort }}" && span.line == 14),
            "{:?}",
            port.origin
        );
        let home = one(&f, &format!("{c}.env[HF_HOME].value"));
        assert!(
            matches!(&home.origin, Origin::Msvc { rule: Rule::ModelArtifacts, cite: Some(Cite { span: Some(s), .. }), .. } if s.line == 35),
            "{:?}",
            home.origin
        );
        let name = one(&f, "Deployment/m-decode:metadata.name");
        assert!(matches!(
            &name.origin,
            Origin::Msvc {
                rule: Rule::Naming,
                ..
            }
        ));
        let text = to_text(&[r]);
        assert_eq!(
            text,
            "Deployment/m-decode:spec.replicas = 2  <- ModelService m (in.yaml:31:15, spec.decode.replicas, copied by msvc)\n"
        );
        let j = to_json(&[image]);
        assert_eq!(j[0]["origin"]["source"], "baseconfig");
        assert_eq!(j[0]["origin"]["location"]["line"], 13);
        assert_eq!(j[0]["path"], "spec.template.spec.containers[vllm].image");
    }

    #[test]
    fn removed_replicas_are_explained() {
        let f = fields(&INPUT.replace("  decode:\n", "  decoupleScaling: true\n  decode:\n"));
        let r = one(&f, "Deployment/m-decode:spec.replicas");
        assert!(r.value.is_none());
        assert!(
            to_text(&[r]).starts_with(
                "Deployment/m-decode:spec.replicas (absent)  <- msvc decoupleScaling: decoupleScaling: true leaves spec.replicas to an autoscaler"
            ),
            "{}",
            to_text(&[r])
        );
        let e = select(
            &f,
            &Query::parse("Deployment/m-decode:spec.replica").unwrap(),
        )
        .unwrap_err();
        assert!(
            e.contains("closest: `Deployment/m-decode:spec.replicas`"),
            "{e}"
        );
    }

    #[test]
    fn scalars_in_source_lines() {
        let line = r#"      args: ["--port", "{{ "prefill_port" | getPort }}"]"#;
        assert_eq!(scalar_at(line, 13), r#""--port""#);
        assert_eq!(scalar_at(line, 23), r#""{{ "prefill_port" | getPort }}""#);
        assert_eq!(scalar_at("  port: {{ x }} # the port", 8), "{{ x }}");
        assert_eq!(scalar_at("  - --a=b,c", 4), "--a=b,c");
    }

    #[test]
    fn rule_table() {
        let rule = |kind, path| rule_for(kind, &p(path)).rule;
        assert_eq!(rule("Deployment", "metadata.name"), Rule::Naming);
        assert_eq!(
            rule(
                "Deployment",
                "spec.selector.matchLabels[\"llm-d.ai/model\"]"
            ),
            Rule::Labels
        );
        assert_eq!(
            rule(
                "Deployment",
                "spec.template.spec.volumes[model-storage].emptyDir.sizeLimit"
            ),
            Rule::ModelArtifacts
        );
        // Items are named in found paths; the table's `[*]` matches any.
        let found = FieldPath(vec![
            Segment::Key("spec".into()),
            Segment::Key("template".into()),
            Segment::Key("spec".into()),
            Segment::Key("containers".into()),
            Segment::Item {
                name: Some("vllm".into()),
                index: 0,
            },
            Segment::Key("resources".into()),
            Segment::Key("limits".into()),
            Segment::Key("nvidia.com/gpu".into()),
        ]);
        assert_eq!(rule_for("Deployment", &found).rule, Rule::Accelerator);
        assert_eq!(rule("RoleBinding", "roleRef.name"), Rule::Rbac);
        assert_eq!(rule("ConfigMap", "data.x"), Rule::Other);
        for r in RULES {
            assert!(FieldPath::parse(r.pattern).is_ok(), "{}", r.pattern);
        }
    }
}
