//! Values that are templates, rendered as the chart renders them (its
//! `common.tplvalues.render`): through the msvc template engine in Helm's
//! dialect, against `.Values`, `.Release`, `.Chart` and the scope the chart
//! gives (`.role`, `.container`, ...). A string that Helm's YAML writer
//! would print unquoted is read back as YAML after rendering (so
//! `1{{ "0" }}` is the number 10), as it is in Helm.

use serde_json::json;

use crate::error::{Diagnostic, Span, Stage};
use crate::yaml::{Node, Value, parse::plain_scalar};

use super::{APP_VERSION, CHART_NAME, CHART_VERSION, Chart, naming};

pub(crate) fn base_context(chart: &Chart) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("Values", &chart.values.to_json());
    ctx.insert(
        "Release",
        &json!({
            "Name": chart.release, "Namespace": chart.namespace, "Service": "Helm",
            "IsInstall": true, "IsUpgrade": false, "Revision": 1,
        }),
    );
    ctx.insert(
        "Chart",
        &json!({
            "Name": CHART_NAME, "Version": CHART_VERSION, "AppVersion": APP_VERSION,
            "Type": "application", "APIVersion": "v2",
            "Description": "A Helm chart for ModelService in llm-d",
        }),
    );
    let helper = |h: &str| format!("{CHART_NAME}.{h}");
    ctx.insert(
        crate::sprig::HELPERS_KEY,
        &json!({
            helper("name"): naming::name(&chart.values),
            helper("fullname"): chart.fullname,
            helper("chart"): naming::chart_label(),
            helper("prefillName"): format!("{}-prefill", chart.fullname),
            helper("decodeName"): format!("{}-decode", chart.fullname),
            helper("pdServiceAccountName"): chart.service_account_name(),
            helper("sanitizedModelName"): naming::sanitized_model_name(&chart.release),
        }),
    );
    ctx
}

/// Variables a chart scope adds to the base context (`role`, `container`...).
pub(crate) type Scope<'a> = &'a [(&'static str, serde_json::Value)];

fn has_template(n: &Node) -> bool {
    match &n.value {
        Value::String(s) => s.contains("{{"),
        Value::Seq(items) => items.iter().any(has_template),
        Value::Map(m) => m.values().any(has_template),
        _ => false,
    }
}

/// Renders every templated string in `node`.
pub(crate) fn render_tree(
    chart: &Chart,
    node: &Node,
    path: &str,
    scope: Scope,
) -> Result<Node, Diagnostic> {
    if !has_template(node) {
        return Ok(node.clone());
    }
    let mut ctx = chart.base_context.clone();
    for (k, v) in scope {
        ctx.insert(*k, v);
    }
    walk(chart, node, path, &ctx)
}

fn walk(chart: &Chart, node: &Node, path: &str, ctx: &tera::Context) -> Result<Node, Diagnostic> {
    Ok(match &node.value {
        Value::String(s) if s.contains("{{") => {
            let text = render_with(chart, s, path, &node.span, ctx)?;
            let value = if yaml_writes_plain(s) {
                plain_scalar(&text).unwrap_or(Value::String(text))
            } else {
                Value::String(text)
            };
            Node::new(value, node.span.clone())
        }
        Value::Seq(items) => Node::new(
            Value::Seq(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, n)| walk(chart, n, &format!("{path}[{i}]"), ctx))
                    .collect::<Result<_, _>>()?,
            ),
            node.span.clone(),
        ),
        Value::Map(m) => {
            let mut out = crate::yaml::Mapping::new();
            for (k, v) in m {
                out.insert(k.clone(), walk(chart, v, &format!("{path}.{k}"), ctx)?);
            }
            Node::new(Value::Map(out), node.span.clone())
        }
        _ => node.clone(),
    })
}

/// Renders one template string.
pub(crate) fn render_text(
    chart: &Chart,
    text: &str,
    path: &str,
    span: &Span,
    scope: Scope,
) -> Result<String, Diagnostic> {
    if !text.contains("{{") {
        return Ok(text.to_string());
    }
    let mut ctx = chart.base_context.clone();
    for (k, v) in scope {
        ctx.insert(*k, v);
    }
    render_with(chart, text, path, span, &ctx)
}

fn render_with(
    chart: &Chart,
    text: &str,
    path: &str,
    span: &Span,
    ctx: &tera::Context,
) -> Result<String, Diagnostic> {
    let fail = |message: String| {
        Diagnostic::new(
            Stage::Template,
            span.clone(),
            format!("in the template at `{path}`: {message}"),
        )
        .with_path(path)
        .with_help(format!(
            "chart values may use .Values, .Release, .Chart and the functions {}",
            crate::sprig::FUNCTIONS.join(", ")
        ))
    };
    let translated = crate::sprig::translate_helm(text).map_err(|(_, m)| fail(m))?;
    chart.tera.render_str(&translated, ctx, false).map_err(|e| {
        let message = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                r.message().to_string()
            }
            _ => e.to_string(),
        };
        fail(message)
    })
}

/// Whether Go's YAML writer prints `s` without quotes in block context.
fn yaml_writes_plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let second = s.chars().nth(1);
    let spaced = |c: Option<char>| c.is_none_or(char::is_whitespace);
    if s.contains('\n')
        || first.is_whitespace()
        || s.ends_with(char::is_whitespace)
        || s.ends_with(':')
    {
        return false;
    }
    if matches!(
        first,
        '#' | ','
            | '['
            | ']'
            | '{'
            | '}'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
    ) {
        return false;
    }
    if matches!(first, '-' | '?' | ':') && spaced(second) {
        return false;
    }
    !(s.contains(": ") || s.contains(" #"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_detection() {
        assert!(yaml_writes_plain("1{{ .x }}"));
        assert!(yaml_writes_plain("prefix-{{ .Release.Name }}"));
        assert!(!yaml_writes_plain("{{ .Release.Name }}"));
        assert!(!yaml_writes_plain("a: {{ .b }}"));
    }
}
