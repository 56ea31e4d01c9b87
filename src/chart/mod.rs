//! `msvc template`: the llm-d-modelservice Helm chart's values rendered
//! natively into the objects `helm template` gives, except that
//! `app.kubernetes.io/managed-by` says `msvc`.
//!
//! [`crate::values`] builds the values; this module reads them the way the
//! chart's templates do (Go-template truthiness, values printed then read
//! back as YAML) and builds objects from the shared building blocks
//! ([`crate::accelerator`], [`crate::parallelism`], [`crate::routing_proxy`],
//! [`crate::tracing`], [`crate::objects`]).

pub mod model;
pub mod naming;
mod pod;
pub mod tpl;
pub mod version;
mod workloads;

use crate::error::{Diagnostic, Error, Span, Stage};
use crate::objects::{Manifest, ObjectExt};
use crate::yaml::{Mapping, Node, Value, parse::plain_scalar};

pub const CHART_NAME: &str = "llm-d-modelservice";
pub const CHART_VERSION: &str = "v0.4.12";
pub const APP_VERSION: &str = "v0.4.0";
/// What msvc writes in `app.kubernetes.io/managed-by` (Helm writes `Helm`).
pub const MANAGED_BY: &str = "msvc";
/// The namespace `helm template` assumes without `--namespace`.
pub const DEFAULT_NAMESPACE: &str = "default";

/// One `msvc template` call.
#[derive(Clone, Debug, Default)]
pub struct ChartRequest {
    /// The release name (`helm template RELEASE`).
    pub release: String,
    pub namespace: Option<String>,
    /// `-f` files in order: (file name, text).
    pub values: Vec<(String, String)>,
    /// `--set` arguments in order.
    pub sets: Vec<String>,
}

/// Renders the chart for `req`: the objects of one release.
pub fn render_chart(req: &ChartRequest) -> Result<Manifest, Error> {
    naming::check_release(&req.release)?;
    let values = crate::values::load(&req.values, &req.sets)?;
    let chart = Chart::new(req, values);
    let mut objects = workloads::objects(&chart)?;
    objects.sort_by_key(|o| install_order(o.kind()));
    Ok(Manifest {
        name: req.release.clone(),
        objects,
    })
}

/// The read-only state of one render.
pub(crate) struct Chart {
    pub values: Node,
    pub release: String,
    pub namespace: String,
    pub fullname: String,
    pub tera: tera::Tera,
    /// `Values`, `Release`, `Chart` and the `include` helpers, for templates.
    pub base_context: tera::Context,
}

impl Chart {
    fn new(req: &ChartRequest, values: Node) -> Self {
        let namespace = req
            .namespace
            .clone()
            .unwrap_or_else(|| DEFAULT_NAMESPACE.to_string());
        let fullname = naming::fullname(&values, &req.release);
        let mut chart = Chart {
            values,
            release: req.release.clone(),
            namespace,
            fullname,
            tera: crate::template::engine(),
            base_context: tera::Context::new(),
        };
        chart.base_context = tpl::base_context(&chart);
        chart
    }

    /// The value at a dotted path of keys.
    pub fn get(&self, path: &[&str]) -> Option<&Node> {
        self.values.get_path(path)
    }

    /// The chart's common metadata labels.
    pub fn labels(&self) -> Mapping {
        let mut m = Mapping::new();
        m.insert("helm.sh/chart".into(), Node::string(naming::chart_label()));
        m.insert(
            "app.kubernetes.io/version".into(),
            Node::string(APP_VERSION),
        );
        m.insert(
            "app.kubernetes.io/managed-by".into(),
            Node::string(MANAGED_BY),
        );
        m
    }

    /// `modelArtifacts.labels` plus the role label: pod labels and selectors.
    pub fn role_labels(&self, role: &str) -> Mapping {
        let mut m = self
            .get(&["modelArtifacts", "labels"])
            .and_then(Node::as_map)
            .cloned()
            .unwrap_or_default();
        m.insert("llm-d.ai/role".into(), Node::string(role));
        m
    }

    pub fn service_account_name(&self) -> String {
        match self.get(&["serviceAccountOverride"]) {
            Some(n) if truthy(Some(n)) => go_text(n),
            _ => self.fullname.clone(),
        }
    }
}

/// Go-template truth: false, 0, null, and empty strings, lists and maps are false.
pub fn truthy(n: Option<&Node>) -> bool {
    match n.map(|n| &n.value) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Int(i)) => *i != 0,
        Some(Value::Float(f)) => *f != 0.0,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Seq(s)) => !s.is_empty(),
        Some(Value::Map(m)) => !m.is_empty(),
    }
}

/// A value as `{{ . }}` prints it.
pub fn go_text(n: &Node) -> String {
    match &n.value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => crate::sprig::go_float(*f),
        Value::String(s) => s.clone(),
        Value::Seq(_) | Value::Map(_) => {
            let v = tera::Value::from_serializable(&n.to_json());
            crate::sprig::go_string(&v)
        }
    }
}

/// Text the chart prints into its YAML, read back as YAML reads it: a
/// quoted or plain scalar (`"x"` is the string x, `8000` a number).
pub fn reread(text: &str) -> Node {
    let t = text.trim();
    if t.starts_with(['"', '\''])
        && let Ok(n) = crate::yaml::parse_one(t, &crate::yaml::Origin::file(""))
        && n.as_str().is_some()
    {
        return Node::synth(n.value);
    }
    if t.is_empty() {
        return Node::null();
    }
    Node::synth(plain_scalar(t).unwrap_or_else(|| Value::String(t.to_string())))
}

/// `{{ .x }}` in a YAML value position: printed, then read back.
pub fn printed(n: &Node) -> Node {
    match &n.value {
        Value::String(s) => reread(s),
        Value::Float(f) => reread(&crate::sprig::go_float(*f)),
        _ => Node::synth(n.value.clone()),
    }
}

/// An error about the values, at `path`, located at `node` when known.
pub fn values_error(
    node: Option<&Node>,
    path: &str,
    message: impl Into<String>,
    help: impl Into<String>,
) -> Diagnostic {
    let span = node.map_or_else(Span::none, |n| n.span.clone());
    Diagnostic::new(Stage::Values, span, message)
        .with_path(path)
        .with_help(help)
}

/// Helm's install order by kind; others after, in render order.
fn install_order(kind: &str) -> usize {
    let order = crate::helm::output::INSTALL_ORDER;
    order.iter().position(|k| *k == kind).unwrap_or(order.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reread_reads_like_yaml() {
        assert_eq!(reread("8000"), Node::int(8000));
        assert_eq!(
            reread("\"facebook/opt-125m\""),
            Node::string("facebook/opt-125m")
        );
        assert_eq!(reread("5Mi"), Node::string("5Mi"));
        assert_eq!(reread("true"), Node::bool(true));
        assert!(reread("").is_null());
    }

    #[test]
    fn truth() {
        assert!(!truthy(Some(&Node::string(""))));
        assert!(!truthy(Some(&Node::int(0))));
        assert!(truthy(Some(&Node::string("false"))));
        assert!(!truthy(None));
    }
}
