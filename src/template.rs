//! The template engine: Tera 2 in a sandbox, reading Go-template spelling.
//!
//! BaseConfig data values, ModelService args and chart values are templates.
//! Existing files use Go-template spelling (`{{ .HFModelName }}`,
//! `{{ "app_port" | getPort }}`); native Tera spelling works as well. The
//! sandbox: Tera 2 ships no function that reads the environment or the file
//! system, msvc registers none, and templates are only ever added from
//! strings, so `include`/`extends` can only reach templates of the same
//! BaseConfig.

use std::collections::BTreeMap;
use std::sync::Arc;

use indexmap::IndexMap;
use tera::{Context, ErrorKind, Kwargs, State, Tera};

use crate::error::{Diagnostic, Span, Stage};
use crate::yaml::Origin;

/// The context key under which the ports of `getPort` travel.
const PORTS_KEY: &str = "__msvc_ports";

/// Template variables for one render: names as the controller spelled them.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    pub strings: IndexMap<&'static str, String>,
    pub ports: BTreeMap<String, i64>,
    /// Extra structured values (chart `.Values`, `.Release`, `.Chart`).
    pub values: IndexMap<String, serde_json::Value>,
}

impl Vars {
    pub fn context(&self) -> Context {
        let mut ctx = Context::new();
        for (k, v) in &self.strings {
            ctx.insert(*k, v);
        }
        for (k, v) in &self.values {
            ctx.insert(k.clone(), v);
        }
        ctx.insert(PORTS_KEY, &self.ports);
        ctx
    }
}

/// A sandboxed engine with msvc's filters and functions.
pub fn engine() -> Tera {
    let mut tera = Tera::default();
    tera.autoescape_on(Vec::<&'static str>::new());
    crate::sprig::register(&mut tera);
    tera.register_filter("getPort", |name: &str, _: Kwargs, state: &State| {
        get_port(name, state)
    });
    tera.register_function("getPort", |kwargs: Kwargs, state: &State| {
        let name: String = kwargs.must_get("name")?;
        get_port(&name, state)
    });
    tera
}

fn get_port(name: &str, state: &State) -> tera::TeraResult<i64> {
    let ports: Option<tera::Map> = state.get(PORTS_KEY)?;
    let ports = ports.unwrap_or_default();
    let found = ports
        .iter()
        .find(|(k, _)| k.as_str() == Some(name))
        .and_then(|(_, v)| v.as_i64());
    found.ok_or_else(|| {
        let known: Vec<String> = ports.keys().map(ToString::to_string).collect();
        tera::Error::message(format!(
            "unknown port `{name}`; spec.routing.ports names {}",
            if known.is_empty() {
                "no ports".to_string()
            } else {
                known.join(", ")
            }
        ))
    })
}

/// Whether `text` needs rendering at all (saves compiling plain strings).
pub fn is_template(text: &str) -> bool {
    text.contains("{{") || text.contains("{%") || text.contains("{#")
}

/// A set of named templates compiled once and rendered many times.
pub struct TemplateSet {
    tera: Tera,
    origins: IndexMap<String, Origin>,
    /// The sources as compiled (Go spelling translated, lines and columns kept).
    sources: IndexMap<String, String>,
}

impl TemplateSet {
    /// Compiles `(name, source, origin)` templates, translating Go spelling.
    pub fn compile<'a>(
        templates: impl IntoIterator<Item = (&'a str, &'a str, Origin)>,
    ) -> Result<Self, Diagnostic> {
        let mut tera = engine();
        let mut origins = IndexMap::new();
        let mut sources = Vec::new();
        for (name, source, origin) in templates {
            let translated = translate_go(source, &origin)?;
            sources.push((name.to_string(), translated));
            origins.insert(name.to_string(), origin);
        }
        if let Err(all) =
            tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        {
            // Compile one at a time to say which template is wrong.
            for (name, source) in &sources {
                if let (Err(e), Some(origin)) =
                    (engine().add_raw_template(name, source), origins.get(name))
                {
                    return Err(tera_error(&e, name, origin));
                }
            }
            return Err(Diagnostic::new(
                Stage::Template,
                Span::none(),
                all.to_string(),
            ));
        }
        Ok(TemplateSet {
            tera,
            origins,
            sources: sources.into_iter().collect(),
        })
    }

    /// The source of template `name` as compiled.
    pub fn source(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(String::as_str)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.origins.contains_key(name)
    }

    pub fn origin(&self, name: &str) -> Option<&Origin> {
        self.origins.get(name)
    }

    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        let origin = self.origins.get(name).ok_or_else(|| {
            Diagnostic::new(
                Stage::Template,
                Span::none(),
                format!("no template `{name}`"),
            )
        })?;
        self.tera
            .render(name, ctx)
            .map_err(|e| tera_error(&e, name, origin))
    }
}

/// Renders a one-off template (a ModelService arg, a chart value).
pub fn render_str(
    tera: &Tera,
    source: &str,
    ctx: &Context,
    what: &str,
    origin: &Origin,
) -> Result<String, Diagnostic> {
    if !is_template(source) {
        return Ok(source.to_string());
    }
    let translated = translate_go(source, origin)?;
    tera.render_str(&translated, ctx, false)
        .map_err(|e| tera_error(&e, what, origin))
}

/// Turns a Tera error into a diagnostic pointing into the file.
fn tera_error(err: &tera::Error, what: &str, origin: &Origin) -> Diagnostic {
    let (message, span) = match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let s = r.span();
            let line = origin.line_offset + s.start_line as u32;
            let col = origin.col_offset + s.start_col as u32 + 1;
            (
                r.message().to_string(),
                Span::new(origin.file.clone(), line, col),
            )
        }
        _ => located_message(&err.to_string(), origin).unwrap_or_else(|| {
            (
                err.to_string(),
                Span::new(
                    origin.file.clone(),
                    origin.line_offset.max(1),
                    origin.col_offset + 1,
                ),
            )
        }),
    };
    let message = message.replace("__tera_one_off", what);
    let help = if message.contains("not found in context") || message.contains("undefined") {
        Some(format!(
            "template variables are: {}",
            crate::template::VARIABLES.join(", ")
        ))
    } else {
        None
    };
    let d = Diagnostic::new(
        Stage::Template,
        span,
        format!("in template {what}: {message}"),
    );
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// Some Tera errors (an unknown function or filter found while a template
/// set is finalised) arrive as a rendered report: `error: MESSAGE` and
/// ` --> NAME:LINE:COL`. Recovers the message and the position.
fn located_message(report: &str, origin: &Origin) -> Option<(String, Span)> {
    let message = report
        .lines()
        .next()?
        .trim_start_matches("error: ")
        .to_string();
    let arrow = report
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = arrow.rsplitn(3, ':');
    let col: u32 = parts.next()?.trim().parse().ok()?;
    let line: u32 = parts.next()?.trim().parse().ok()?;
    Some((
        message,
        Span::new(
            origin.file.clone(),
            origin.line_offset + line,
            origin.col_offset + col,
        ),
    ))
}

/// The variables every BaseConfig template may use.
pub const VARIABLES: &[&str] = &[
    "ModelServiceName",
    "ModelServiceNamespace",
    "ModelName",
    "SanitizedModelName",
    "HFModelName",
    "ModelPath",
    "MountedModelPath",
    "AuthSecretName",
    "EPPServiceName",
    "EPPDeploymentName",
    "PrefillDeploymentName",
    "DecodeDeploymentName",
    "PrefillServiceName",
    "DecodeServiceName",
    "InferencePoolName",
    "InferenceModelName",
    "DecodeTensorParallelism",
    "PrefillTensorParallelism",
    "AcceleratorType",
    "AcceleratorResource",
];

/// Rewrites Go-template spelling into Tera spelling, keeping every byte
/// offset (so error columns stay true): a field reference `.Name` becomes
/// ` Name`. Go constructs Tera cannot express are errors that say what to
/// write instead.
pub fn translate_go(source: &str, origin: &Origin) -> Result<String, Diagnostic> {
    if !source.contains("{{") {
        return Ok(source.to_string());
    }
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    let mut offset = 0usize;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = find_action_end(after) else {
            let at = offset + start;
            return Err(Diagnostic::new(
                Stage::Template,
                position(source, at, origin),
                "unclosed `{{`",
            )
            .with_help("close the expression with `}}`"));
        };
        let action = &after[..end];
        let at = offset + start;
        out.push_str("{{");
        out.push_str(&translate_action(action, source, at, origin)?);
        out.push_str("}}");
        let consumed = start + 2 + end + 2;
        rest = &rest[consumed..];
        offset += consumed;
    }
    out.push_str(rest);
    Ok(out)
}

/// Index of the `}}` closing an action, skipping string literals.
fn find_action_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        match quote {
            Some(q) => {
                if b[i] == b'\\' {
                    i += 1;
                } else if b[i] == q {
                    quote = None;
                }
            }
            None => match b[i] {
                b'"' | b'\'' | b'`' => quote = Some(b[i]),
                b'}' if b.get(i + 1) == Some(&b'}') => return Some(i),
                b'{' if b.get(i + 1) == Some(&b'{') => return None,
                _ => {}
            },
        }
        i += 1;
    }
    None
}

fn translate_action(
    action: &str,
    source: &str,
    at: usize,
    origin: &Origin,
) -> Result<String, Diagnostic> {
    let body = action.trim_start_matches('-').trim_end_matches('-').trim();
    let first = body
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let unsupported = |construct: &str, instead: &str| {
        Diagnostic::new(
            Stage::Template,
            position(source, at, origin),
            format!("Go-template construct `{construct}` is not supported"),
        )
        .with_help(format!("write {instead}"))
    };
    match first {
        "if" => {
            return Err(unsupported(
                "{{ if }}",
                "`{% if X %}...{% endif %}` (Tera syntax)",
            ));
        }
        "else" => return Err(unsupported("{{ else }}", "`{% else %}` (Tera syntax)")),
        "end" => {
            return Err(unsupported(
                "{{ end }}",
                "`{% endif %}` or `{% endfor %}` (Tera syntax)",
            ));
        }
        "range" => {
            return Err(unsupported(
                "{{ range }}",
                "`{% for item in LIST %}...{% endfor %}` (Tera syntax)",
            ));
        }
        "with" => {
            return Err(unsupported(
                "{{ with }}",
                "the full variable name, e.g. `{{ ModelName }}`",
            ));
        }
        "define" | "template" | "block" => {
            return Err(unsupported(
                &format!("{{{{ {first} }}}}"),
                "the text inline: BaseConfig templates cannot include other templates",
            ));
        }
        "printf" => {
            return Err(unsupported(
                "printf",
                "string concatenation with `~`, e.g. `{{ \"http://\" ~ EPPServiceName }}`",
            ));
        }
        "index" => return Err(unsupported("index", "a subscript, e.g. `{{ X[\"key\"] }}`")),
        "." => {
            return Err(unsupported(
                "{{ . }}",
                "a variable name, e.g. `{{ .ModelName }}`",
            ));
        }
        _ => {}
    }
    if body.starts_with('$') {
        return Err(unsupported(
            "$variable",
            "`{% set name = value %}` (Tera syntax)",
        ));
    }
    // Replace the dot of every leading field reference with a space.
    let mut out = String::with_capacity(action.len());
    let b = action.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &c) in b.iter().enumerate() {
        if let Some(q) = quote {
            if c == q && (i == 0 || b[i - 1] != b'\\') {
                quote = None;
            }
            out.push(c as char);
            continue;
        }
        if c == b'"' || c == b'\'' {
            quote = Some(c);
        }
        let prev = if i == 0 { b' ' } else { b[i - 1] };
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        if c == b'.'
            && (prev.is_ascii_whitespace() || matches!(prev, b'(' | b'|' | b','))
            && (next.is_ascii_alphabetic() || next == b'_')
        {
            out.push(' ');
        } else {
            // Multi-byte chars: copy the raw bytes back below.
            out.push(c as char);
        }
    }
    // The loop above pushed bytes as chars; rebuild exactly for non-ASCII text.
    if !action.is_ascii() {
        let mut bytes = action.as_bytes().to_vec();
        for (i, c) in out.chars().enumerate() {
            if c == ' ' && bytes[i] == b'.' {
                bytes[i] = b' ';
            }
        }
        return Ok(String::from_utf8(bytes).unwrap_or_else(|_| action.to_string()));
    }
    Ok(out)
}

/// Span of byte offset `at` of `source`, placed through `origin`.
fn position(source: &str, at: usize, origin: &Origin) -> Span {
    let before = &source[..at.min(source.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before
        .rfind('\n')
        .map_or(before.len(), |i| before.len() - i - 1) as u32;
    Span::new(
        Arc::clone(&origin.file),
        origin.line_offset + line,
        origin.col_offset + col + 1,
    )
}

/// One shared engine for one-off templates (ModelService args and env).
pub fn shared_engine() -> &'static Tera {
    static ENGINE: std::sync::LazyLock<Tera> = std::sync::LazyLock::new(engine);
    &ENGINE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        let mut v = Vars::default();
        v.strings
            .insert("HFModelName", "meta-llama/Llama-2-7b-hf".into());
        v.strings
            .insert("InferencePoolName", "m-inference-pool".into());
        v.ports.insert("app_port".into(), 8000);
        v
    }

    fn render(src: &str) -> Result<String, Diagnostic> {
        let set = TemplateSet::compile([("t", src, Origin::file("base.yaml"))])?;
        set.render("t", &vars().context())
    }

    #[test]
    fn go_and_tera_spellings_render_alike() {
        assert_eq!(
            render("{{ .HFModelName }}").unwrap(),
            "meta-llama/Llama-2-7b-hf"
        );
        assert_eq!(
            render("{{ HFModelName }}").unwrap(),
            "meta-llama/Llama-2-7b-hf"
        );
        assert_eq!(
            render("--port={{ \"app_port\" | getPort }}").unwrap(),
            "--port=8000"
        );
        assert_eq!(render("{{ getPort(name=\"app_port\") }}").unwrap(), "8000");
        assert_eq!(
            render("{{- .InferencePoolName -}}").unwrap(),
            "m-inference-pool"
        );
    }

    #[test]
    fn unknown_port_names_the_port() {
        let e = render("a: 1\nport: {{ \"nope\" | getPort }}").unwrap_err();
        assert!(e.message.contains("unknown port `nope`"), "{e}");
        assert!(e.message.contains("app_port"), "{e}");
        assert_eq!(e.span.line, 2, "{e}");
    }

    #[test]
    fn unknown_variable_is_an_error() {
        let e = render("{{ .NoSuchThing }}").unwrap_err();
        assert!(e.to_string().contains("NoSuchThing"), "{e}");
    }

    #[test]
    fn unclosed_braces_are_located() {
        let e = render("x\n  y: {{ .HFModelName\n").unwrap_err();
        assert!(e.message.contains("unclosed"), "{e}");
        assert_eq!((e.span.line, e.span.col), (2, 6));
    }

    #[test]
    fn go_constructs_say_what_to_write() {
        let e = render("{{ if .HFModelName }}x{{ end }}").unwrap_err();
        assert!(e.message.contains("`{{ if }}`"), "{e}");
        assert!(e.help.unwrap().contains("{% if"));
        assert!(render("{{ range .X }}{{ end }}").is_err());
        assert!(render("{{ $x := 1 }}").is_err());
    }

    #[test]
    fn sandbox_has_no_env_or_files() {
        for src in [
            "{{ get_env(name=\"HOME\") }}",
            "{% include \"/etc/passwd\" %}",
            "{{ now() }}",
            "{{ read_file(path=\"/etc/passwd\") }}",
        ] {
            assert!(render(src).is_err(), "{src} must fail");
        }
    }

    #[test]
    fn unknown_functions_are_located() {
        let e = render("a\nb {{ now() }}\n").unwrap_err();
        assert!(e.message.contains("Unknown function `now`"), "{e}");
        assert_eq!((e.span.line, e.span.col), (2, 6), "{e}");
    }

    #[test]
    fn dots_inside_strings_stay() {
        assert_eq!(render("{{ \"a .b\" }}").unwrap(), "a .b");
    }
}
