//! The template engine: Tera 2 in a sandbox, reading Go-template spelling.
//!
//! BaseConfig data values, ModelService args and chart values are templates.
//! Existing files use Go-template spelling (`{{ .HFModelName }}`,
//! `{{ "app_port" | getPort }}`); native Tera spelling works as well. The
//! sandbox: Tera 2 ships no function that reads the environment or the file
//! system, msvc registers none, templates are only ever added from strings,
//! and the tags that reach other templates (`include`, `extends`, `import`,
//! `macro`, `block`, `component`) are refused.
//!
//! The budget, per render of one template ([`TemplateSet::render`],
//! [`render_str`]): at most [`MAX_TEMPLATE_STEPS`] loop iterations and
//! `range()` items; at most [`MAX_TEMPLATE_OUTPUT`] bytes written; no value
//! kept (`set`), made by a list comprehension, written out as a list or
//! map, or joined with `~` over [`MAX_VALUE_BYTES`] or
//! [`MAX_TEMPLATE_STEPS`] items (weighed before it is kept, item by item
//! for a comprehension); the filters that multiply text capped likewise;
//! at most [`MAX_CONCATENATIONS`] `~` per tag. [`sandbox`] inserts the calls
//! that count and weigh, reading the text as Tera's lexer does so that no
//! loop escapes them. The budget bounds memory and iterations, not the time
//! one iteration takes (a filter over a 1 MiB value in a 100,000-pass loop
//! is slow, not large).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use indexmap::IndexMap;
use tera::{Context, ErrorKind, Kwargs, State, Tera};

use crate::error::{Diagnostic, Span, Stage};
use crate::yaml::Origin;

/// The context key under which the ports of `getPort` travel.
const PORTS_KEY: &str = "__msvc_ports";

/// Most loop iterations (`{% for %}` and list comprehensions), `range()`
/// items included, that one render of one template may take.
pub const MAX_TEMPLATE_STEPS: u64 = 100_000;
/// Most bytes one rendered template may produce.
pub const MAX_TEMPLATE_OUTPUT: usize = 1 << 20;

/// The function every loop's iterable is passed through, to count it
/// against the budget (inserted by [`sandbox`]).
const LOOP_FN: &str = "__msvc_loop";
/// The function every `{% set %}` value is passed through, to weigh it.
const VALUE_FN: &str = "__msvc_value";
/// The function every item of a list comprehension is passed through, to
/// weigh the list as it grows.
const ITEM_FN: &str = "__msvc_item";
/// The function every operand of `~` is passed through, to weigh it before
/// it is copied.
const JOIN_FN: &str = "__msvc_join";
/// The function every list or map written out with names in it
/// (`[a, a, a]`) is passed through, to weigh it.
const LITERAL_FN: &str = "__msvc_literal";
/// What names of msvc's own start with; templates may not use them.
const RESERVED_PREFIX: &str = "__msvc";

/// Most bytes a string made by a template (a `set` value, a filter's
/// result) may have: as much as a whole rendered template.
const MAX_VALUE_BYTES: usize = MAX_TEMPLATE_OUTPUT;

fn value_too_large(what: &str) -> tera::Error {
    tera::Error::message(format!(
        "template budget exceeded: {what} is larger than {MAX_VALUE_BYTES} bytes or {MAX_TEMPLATE_STEPS} items"
    ))
}

/// Whether `v` stays within [`MAX_VALUE_BYTES`] of text and
/// [`MAX_TEMPLATE_STEPS`] items.
fn weigh(v: &tera::Value) -> bool {
    weight(v, MAX_VALUE_BYTES, MAX_TEMPLATE_STEPS).is_some()
}

/// [`weigh`] for a list held as a slice (no copy to make it a value).
fn weigh_items(items: &[tera::Value]) -> bool {
    // The list itself counts as one item, as `weigh` counts it.
    let mut room = (MAX_VALUE_BYTES, MAX_TEMPLATE_STEPS.saturating_sub(1));
    items.iter().all(|x| match weight(x, room.0, room.1) {
        Some((b, i)) => {
            room = (room.0 - b, room.1 - i);
            true
        }
        None => false,
    })
}

/// The bytes of text and the items (values, nested ones included) of `v`,
/// or `None` past `max_bytes` or `max_items`. Stops counting at the limit,
/// so a value that shares one list many times costs no more than the
/// limit to weigh.
fn weight(v: &tera::Value, max_bytes: usize, max_items: u64) -> Option<(usize, u64)> {
    let mut bytes = 0usize;
    let mut items = 0u64;
    let mut todo = vec![v];
    while let Some(v) = todo.pop() {
        items += 1;
        if items > max_items {
            return None;
        }
        if let Some(s) = v.as_str() {
            bytes += s.len();
        } else if let Some(a) = v.as_array() {
            todo.extend(a.iter());
        } else if let Some(m) = v.as_map() {
            for (k, v) in m.iter() {
                bytes += k.as_str().map_or_else(|| k.to_string().len(), str::len);
                todo.push(v);
            }
        }
        if bytes > max_bytes {
            return None;
        }
    }
    Some((bytes, items))
}

/// `text`, the result of `what`, if within [`MAX_VALUE_BYTES`]: for
/// filters whose result can outgrow their input (sprig's `quote` doubles
/// every backslash, so a chain of them grows exponentially).
pub(crate) fn capped_result(text: String, what: &str) -> tera::TeraResult<String> {
    if text.len() > MAX_VALUE_BYTES {
        return Err(value_too_large(&format!("the result of `{what}`")));
    }
    Ok(text)
}

/// A `fmt::Write` that stops at [`MAX_VALUE_BYTES`].
#[derive(Default)]
struct CappedText(String);

impl std::fmt::Write for CappedText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.0.len() + s.len() > MAX_VALUE_BYTES {
            return Err(std::fmt::Error);
        }
        self.0.push_str(s);
        Ok(())
    }
}

/// `v` as text, as `{{ v }}` prints it, within [`MAX_VALUE_BYTES`]. (Tera
/// prints a value whole before handing it on: it is weighed first.)
fn capped_text(v: &tera::Value, what: &str) -> tera::TeraResult<String> {
    use std::fmt::Write as _;
    if !weigh(v) {
        return Err(value_too_large(what));
    }
    let mut out = CappedText::default();
    write!(out, "{v}").map_err(|_| value_too_large(what))?;
    Ok(out.0)
}

/// The filters that can multiply their input (`replace`, `indent`, `join`,
/// `str`), as Tera's, but refusing results over [`MAX_VALUE_BYTES`].
fn register_capped_filters(tera: &mut Tera) {
    tera.register_filter(
        "replace",
        |v: String, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let from: String = kw.must_get("from")?;
            let to: String = kw.must_get("to")?;
            let hits = if from.is_empty() {
                v.chars().count() + 1
            } else {
                v.matches(from.as_str()).count()
            };
            let len = hits
                .saturating_mul(to.len())
                .saturating_add(v.len())
                .saturating_sub(hits * from.len());
            if len > MAX_VALUE_BYTES {
                return Err(value_too_large("the result of `replace`"));
            }
            Ok(v.replace(from.as_str(), &to))
        },
    );
    tera.register_filter(
        "indent",
        |v: String, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let width = kw.get::<usize>("width")?.unwrap_or(4).min(1000);
            let with: Option<String> = kw.get("indentation")?;
            let first = kw.get::<bool>("first")?.unwrap_or(false);
            let blank = kw.get::<bool>("blank")?.unwrap_or(false);
            let indent = match with {
                Some(i) if i.chars().count() != 1 => {
                    return Err(tera::Error::message(
                        "The `indentation` argument must contain exactly one character",
                    ));
                }
                Some(i) => i.repeat(width),
                None => " ".repeat(width),
            };
            let lines = v.lines().count().max(1);
            if v.len().saturating_add(lines.saturating_mul(indent.len())) > MAX_VALUE_BYTES {
                return Err(value_too_large("the result of `indent`"));
            }
            let mut res = String::with_capacity(v.len() * 2);
            for (i, line) in v.lines().enumerate() {
                if i == 0 {
                    if first {
                        res.push_str(&indent);
                    }
                } else {
                    res.push('\n');
                    if !line.is_empty() || blank {
                        res.push_str(&indent);
                    }
                }
                res.push_str(line);
            }
            if v.ends_with('\n') {
                res.push('\n');
            }
            Ok(res)
        },
    );
    tera.register_filter(
        "join",
        |v: Vec<tera::Value>, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let sep: String = kw.get("sep")?.unwrap_or_default();
            if !weigh_items(&v) {
                return Err(value_too_large("the result of `join`"));
            }
            let mut out = CappedText::default();
            for (i, x) in v.iter().enumerate() {
                use std::fmt::Write as _;
                let ok = (i == 0 || out.write_str(&sep).is_ok()) && write!(out, "{x}").is_ok();
                if !ok {
                    return Err(value_too_large("the result of `join`"));
                }
            }
            Ok(out.0)
        },
    );
    tera.register_filter("str", |v: tera::Value, _: Kwargs, _: &State| {
        capped_text(&v, "the result of `str`")
    });
}

thread_local! {
    /// Steps taken by the render in progress on this thread; `None` outside
    /// a budgeted render.
    static STEPS: std::cell::Cell<Option<u64>> = const { std::cell::Cell::new(None) };
    /// For each list comprehension of the render in progress (by its number
    /// in the template), the bytes and items of what it has made so far.
    static LISTS: std::cell::RefCell<HashMap<u64, (usize, u64)>> =
        std::cell::RefCell::new(HashMap::new());
}

/// A list comprehension starts (again): nothing made yet but the list.
fn start_list(id: u64) {
    LISTS.with(|l| l.borrow_mut().insert(id, (0, 1)));
}

/// Adds `item` to list comprehension `id`, which may not grow past
/// [`MAX_VALUE_BYTES`] and [`MAX_TEMPLATE_STEPS`] items: weighed item by
/// item, the list is refused before it is made, not after.
fn add_item(id: u64, item: &tera::Value) -> tera::TeraResult<()> {
    LISTS.with(|l| {
        let mut lists = l.borrow_mut();
        let (bytes, items) = lists.get(&id).copied().unwrap_or((0, 1));
        let room = (
            MAX_VALUE_BYTES.saturating_sub(bytes),
            MAX_TEMPLATE_STEPS.saturating_sub(items),
        );
        let (b, i) = weight(item, room.0, room.1)
            .ok_or_else(|| value_too_large("the list a comprehension makes"))?;
        lists.insert(id, (bytes + b, items + i));
        Ok(())
    })
}

/// Counts `n` steps against the budget of the render in progress.
fn spend(n: u64) -> tera::TeraResult<()> {
    STEPS.with(|steps| match steps.get() {
        None => Ok(()),
        Some(used) => {
            let used = used.saturating_add(n);
            steps.set(Some(used));
            if used > MAX_TEMPLATE_STEPS {
                Err(tera::Error::message(format!(
                    "template budget exceeded: more than {MAX_TEMPLATE_STEPS} loop iterations and range() items in one render"
                )))
            } else {
                Ok(())
            }
        }
    })
}

/// A budget for one render: set on creation, cleared on drop.
struct Budget;

impl Budget {
    fn start() -> Self {
        STEPS.with(|s| s.set(Some(0)));
        LISTS.with(|l| l.borrow_mut().clear());
        Budget
    }
}

impl Drop for Budget {
    fn drop(&mut self) {
        STEPS.with(|s| s.set(None));
        LISTS.with(|l| l.borrow_mut().clear());
    }
}

/// `range(end=, start=, step_by=)` as Tera's, counted against the budget
/// before the list is made.
fn range(kwargs: Kwargs, _: &State) -> tera::TeraResult<Vec<i128>> {
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message(
            "Function `range` was called with a `step_by` argument of 0",
        ));
    }
    if start > end && step > 0 {
        return Err(tera::Error::message(
            "Function `range` was called with a `start` argument greater than the `end` one",
        ));
    }
    let overflow =
        || tera::Error::message("Function `range` was called with arguments that overflow");
    let ceil_div = |span: i128, step: i128| {
        span.checked_add(step - 1)
            .map(|s| s / step)
            .ok_or_else(overflow)
    };
    let len = if step > 0 {
        ceil_div(end.checked_sub(start).ok_or_else(overflow)?, step)?
    } else if start <= end {
        0
    } else {
        let step = step.checked_neg().ok_or_else(overflow)?;
        ceil_div(start.checked_sub(end).ok_or_else(overflow)?, step)?
    };
    let len = u64::try_from(len).unwrap_or(u64::MAX);
    spend(len)?;
    // Outside a budgeted render (chart values), Tera's own cap per call.
    if len > MAX_TEMPLATE_STEPS {
        return Err(tera::Error::message(format!(
            "Function `range` would produce {len} elements, which exceeds the limit of {MAX_TEMPLATE_STEPS}"
        )));
    }
    Ok((0..i128::from(len)).map(|i| start + i * step).collect())
}

/// An `io::Write` that refuses to grow past [`MAX_TEMPLATE_OUTPUT`].
#[derive(Default)]
struct Capped {
    buf: Vec<u8>,
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + data.len() > MAX_TEMPLATE_OUTPUT {
            self.over = true;
            return Err(std::io::Error::other("template output limit"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn output_too_large(what: &str, origin: &Origin) -> Diagnostic {
    Diagnostic::new(
        Stage::Template,
        Span::new(
            Arc::clone(&origin.file),
            origin.line_offset + 1,
            origin.col_offset + 1,
        ),
        format!(
            "in template {what}: the rendered text is larger than {MAX_TEMPLATE_OUTPUT} bytes (1 MiB), the limit of one rendered template"
        ),
    )
    .with_help("a Kubernetes object is far smaller; check the template's loops")
}

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
    tera.register_function("range", range);
    register_capped_filters(&mut tera);
    tera.register_function(VALUE_FN, weigher("a value kept with `set`"));
    tera.register_function(LOOP_FN, |kwargs: Kwargs, _: &State| {
        let v: tera::Value = kwargs.must_get("v")?;
        spend(v.len().unwrap_or(0) as u64)?;
        // The iterable of list comprehension `c`: the list starts.
        if let Some(id) = kwargs.get::<u64>("c")? {
            start_list(id);
        }
        Ok::<_, tera::Error>(v)
    });
    tera.register_function(ITEM_FN, |kwargs: Kwargs, _: &State| {
        let v: tera::Value = kwargs.must_get("v")?;
        add_item(kwargs.must_get::<u64>("c")?, &v)?;
        Ok::<_, tera::Error>(v)
    });
    tera.register_function(JOIN_FN, weigher("an operand of `~`"));
    tera.register_function(LITERAL_FN, weigher("a list or map written in the template"));
    tera
}

/// A sandbox function that passes its `v` through if it is within
/// [`MAX_VALUE_BYTES`]; `what` names it in the error.
fn weigher(
    what: &'static str,
) -> impl Fn(Kwargs, &State) -> tera::TeraResult<tera::Value> + Send + Sync + 'static {
    move |kwargs: Kwargs, _: &State| {
        let v: tera::Value = kwargs.must_get("v")?;
        if !weigh(&v) {
            return Err(value_too_large(what));
        }
        Ok(v)
    }
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
    templates: IndexMap<String, Prepared>,
}

/// A template as handed to Tera: Go spelling translated, loops and values
/// guarded by the sandbox.
struct Prepared {
    origin: Origin,
    source: String,
    /// Where [`sandbox`] inserted text, to put columns back.
    shifts: Vec<Shift>,
}

impl Prepared {
    fn new(source: &str, what: &str, origin: Origin) -> Result<Self, Diagnostic> {
        let in_template = |d: Diagnostic| Diagnostic {
            message: format!("in template {what}: {}", d.message),
            ..d
        };
        let translated = translate_go(source, &origin).map_err(in_template)?;
        let (source, shifts) = sandbox(&translated, &origin).map_err(in_template)?;
        Ok(Prepared {
            origin,
            source,
            shifts,
        })
    }
}

impl TemplateSet {
    /// Compiles `(name, source, origin)` templates, translating Go spelling.
    pub fn compile<'a>(
        templates: impl IntoIterator<Item = (&'a str, &'a str, Origin)>,
    ) -> Result<Self, Diagnostic> {
        let mut tera = engine();
        let mut prepared = IndexMap::new();
        for (name, source, origin) in templates {
            prepared.insert(name.to_string(), Prepared::new(source, name, origin)?);
        }
        if let Err(all) = tera.add_raw_templates(
            prepared
                .iter()
                .map(|(n, t)| (n.as_str(), t.source.as_str())),
        ) {
            // Compile one at a time to say which template is wrong.
            for (name, t) in &prepared {
                if let Err(e) = engine().add_raw_template(name, &t.source) {
                    return Err(tera_error(&e, name, &t.origin, &t.shifts));
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
            templates: prepared,
        })
    }

    /// The source of template `name` as compiled.
    pub fn source(&self, name: &str) -> Option<&str> {
        self.templates.get(name).map(|t| t.source.as_str())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }

    pub fn origin(&self, name: &str) -> Option<&Origin> {
        self.templates.get(name).map(|t| &t.origin)
    }

    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        let t = self.templates.get(name).ok_or_else(|| {
            Diagnostic::new(
                Stage::Template,
                Span::none(),
                format!("no template `{name}`"),
            )
        })?;
        render_capped(name, &t.origin, &t.shifts, |out| {
            self.tera.render_to(name, ctx, out)
        })
    }
}

/// Runs `render` within a fresh budget, writing into a buffer that stops at
/// [`MAX_TEMPLATE_OUTPUT`] (so that a template never builds more text than
/// that, even for a moment).
fn render_capped(
    what: &str,
    origin: &Origin,
    moved: &[Shift],
    render: impl FnOnce(&mut Capped) -> tera::TeraResult<()>,
) -> Result<String, Diagnostic> {
    let _budget = Budget::start();
    let mut out = Capped::default();
    let result = render(&mut out);
    if out.over {
        return Err(output_too_large(what, origin));
    }
    result.map_err(|e| tera_error(&e, what, origin, moved))?;
    String::from_utf8(out.buf).map_err(|_| {
        Diagnostic::new(
            Stage::Template,
            Span::new(Arc::clone(&origin.file), origin.line_offset.max(1), 1),
            format!("in template {what}: the rendered text is not UTF-8"),
        )
    })
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
    let t = Prepared::new(source, what, origin.clone())?;
    render_capped(what, origin, &t.shifts, |out| {
        tera.render_str_to(&t.source, ctx, false, out)
    })
}

/// Turns a Tera error into a diagnostic pointing into the file.
fn tera_error(err: &tera::Error, what: &str, origin: &Origin, moved: &[Shift]) -> Diagnostic {
    let (message, span) = match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let s = r.span();
            let line = origin.line_offset + s.start_line as u32;
            let col =
                origin.col_offset + unshift(moved, s.start_line as u32, s.start_col as u32) + 1;
            (
                r.message().to_string(),
                Span::new(origin.file.clone(), line, col),
            )
        }
        _ => located_message(&err.to_string(), origin, moved).unwrap_or_else(|| {
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
    let mut message = message.replace("__tera_one_off", what);
    let help = if message.contains("not found in context")
        || message.contains("undefined")
        || message.contains("is not defined")
    {
        // Tera lists the context's keys, msvc's own among them: say it once,
        // with the public names and the closest one.
        if let Some(i) = message.find(" Available variables:") {
            message.truncate(i);
            message = message.trim_end_matches('.').to_string();
        }
        if message.starts_with("Field `") {
            None
        } else {
            let name = message.split('`').nth(1).unwrap_or("");
            let close = crate::decode::suggest(name, VARIABLES)
                .map(|v| format!("did you mean `{v}`? "))
                .unwrap_or_default();
            Some(format!(
                "{close}template variables are: {}",
                VARIABLES.join(", ")
            ))
        }
    } else if let Some(f) = message
        .strip_prefix("Unknown function `")
        .or_else(|| message.strip_prefix("Unknown filter `"))
        .and_then(|m| m.split('`').next())
    {
        Some(if SANDBOXED.contains(&f) {
            format!(
                "templates cannot read the environment, files or the clock (`{f}` does not exist in msvc); put the value in the ModelService or the BaseConfig"
            )
        } else {
            "expected one of Tera's built-in filters and functions, or msvc's getPort".to_string()
        })
    } else if message.contains("template budget exceeded") {
        Some(
            "a Kubernetes object needs far less; check the template's loops and the values it builds"
                .to_string(),
        )
    } else {
        None
    };
    let message = message
        .replace(LOOP_FN, "loop")
        .replace(VALUE_FN, "set")
        .replace(ITEM_FN, "item")
        .replace(JOIN_FN, "join")
        .replace(LITERAL_FN, "literal");
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
fn located_message(report: &str, origin: &Origin, moved: &[Shift]) -> Option<(String, Span)> {
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
            origin.col_offset + unshift(moved, line, col.saturating_sub(1)) + 1,
        ),
    ))
}

/// Names of functions that read the machine in other template engines
/// (Tera 1, Jinja, Helm/sprig): msvc has none of them, and says why.
const SANDBOXED: &[&str] = &[
    "get_env",
    "env",
    "expandenv",
    "getenv",
    "read_file",
    "readFile",
    "load_data",
    "file",
    "files",
    "now",
    "get_random",
    "lookup",
    "getHostByName",
];

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
    let unclosed = |at: usize| {
        Diagnostic::new(
            Stage::Template,
            position(source, at, origin),
            "unclosed `{{`",
        )
        .with_help("close the expression with `}}`")
    };
    // Only expressions are Go spelling: tags, comments and raw blocks
    // stay as written.
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    let mut i = 0;
    while let Some(piece) = next_piece(source, i) {
        match piece {
            Piece::Skipped { next } => i = next,
            Piece::Unclosed { kind: b'{', start } => return Err(unclosed(start)),
            Piece::Unclosed { .. } => break, // Tera reports it
            Piece::Tag {
                kind: b'%', end, ..
            } => i = end + 2,
            Piece::Tag { start, end, .. } => {
                // A `{{` before the `}}`: the first one is left open.
                if find_close(source, start + 2, "{{", true).is_some_and(|open| open < end) {
                    return Err(unclosed(start));
                }
                out.push_str(&source[copied..start + 2]);
                out.push_str(&translate_action(
                    &source[start + 2..end],
                    source,
                    start,
                    origin,
                )?);
                copied = end;
                i = end + 2;
            }
        }
    }
    out.push_str(&source[copied..]);
    Ok(out)
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
        "define" | "template" | "block" | "include" | "tpl" => {
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

/// Text [`sandbox`] inserted: on `line` (1-based) at byte column `col`
/// (0-based) of the output, `len` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shift {
    line: u32,
    col: u32,
    len: u32,
}

/// A column (0-based) of sandboxed text put back on the text as written: a
/// column inside inserted text becomes the column it was inserted at.
fn unshift(moved: &[Shift], line: u32, col: u32) -> u32 {
    let mut before = 0;
    for s in moved.iter().filter(|s| s.line == line) {
        if col >= s.col + s.len {
            before += s.len;
        } else if col >= s.col {
            return s.col - before;
        }
    }
    col - before
}

/// Tags that reach other templates: none may be used.
const REFUSED_TAGS: &[&str] = &[
    "include",
    "extends",
    "import",
    "macro",
    "block",
    "component",
];

/// Most `~` (string joins) one template expression may hold.
const MAX_CONCATENATIONS: usize = 32;

/// Checks the tags of a template (Tera spelling) and routes what can grow
/// through the budget, with calls to msvc's functions:
///
/// * every loop's iterable: `{% for x in EXPR %}` becomes
///   `{% for x in __msvc_loop(v=EXPR) %}`;
/// * a list comprehension `[E for x in T]` becomes
///   `[__msvc_item(v=E, c=N) for x in __msvc_loop(v=T, c=N)]`: its
///   iterations are counted and the list is weighed as it grows;
/// * `{% set x = EXPR %}` becomes `{% set x = __msvc_value(v=EXPR) %}`;
/// * each operand of `~` (`a ~ b` becomes
///   `__msvc_join(v=a) ~ __msvc_join(v=b)`), and each list or map written
///   out with names in it (`__msvc_literal(v=[a, a])`), is weighed.
///
/// Refuses the tags that reach other templates, the block forms of `set`
/// and `filter` (Tera builds their body in memory unweighed), more than
/// [`MAX_CONCATENATIONS`] `~` in one tag, and names starting `__msvc`.
/// Returns the text and where it was changed.
///
/// The text is read as Tera's lexer reads it (`tera-2` `parsing/lexer.rs`):
/// the same delimiters, the same raw blocks, comments, strings and
/// tokens, so that every loop Tera runs is one this function has seen.
/// Where Tera's lexer would fail, the scan stops: Tera refuses the template.
pub fn sandbox(source: &str, origin: &Origin) -> Result<(String, Vec<Shift>), Diagnostic> {
    if !source.contains("{{") && !source.contains("{%") {
        return Ok((source.to_string(), Vec::new()));
    }
    let mut rewrite = Rewrite::default();
    let mut i = 0;
    while let Some(piece) = next_piece(source, i) {
        let (kind, start, inner, body_end) = match piece {
            Piece::Skipped { next } => {
                i = next;
                continue;
            }
            Piece::Unclosed { .. } => break, // Tera reports it
            Piece::Tag {
                kind,
                start,
                inner,
                end,
            } => (kind, start, inner, end),
        };
        i = body_end + 2;
        let mut toks = Toks::lex(source, inner, body_end);
        // `-%}`, `-}}`: whitespace control.
        if toks
            .list
            .last()
            .is_some_and(|t| t.end == body_end && toks.text(toks.list.len() - 1) == "-")
        {
            toks.list.pop();
        }
        let joins = (0..toks.list.len()).filter(|&k| toks.is(k, "~")).count();
        // Each operand of `~` is weighed (at most 1 MiB) before it is
        // copied: with at most 32 `~`, one expression copies at most 33 MiB
        // on its way to a value that is weighed again where it is kept.
        if joins > MAX_CONCATENATIONS {
            return Err(Diagnostic::new(
                Stage::Template,
                position(source, start, origin),
                format!("more than {MAX_CONCATENATIONS} `~` in one expression"),
            )
            .with_help("build the text in steps with `{% set part = ... %}`, or write it out"));
        }
        // The calls inserted below must be the only ones to msvc's own
        // functions: a template calling them could reset its own budget.
        if let Some(k) = (0..toks.list.len())
            .find(|&k| toks.is_ident(k) && toks.text(k).starts_with(RESERVED_PREFIX))
        {
            return Err(Diagnostic::new(
                Stage::Template,
                position(source, toks.list[k].start, origin),
                format!(
                    "`{}` is reserved: names that start with `{RESERVED_PREFIX}` are msvc's own",
                    toks.text(k)
                ),
            )
            .with_help("rename the variable"));
        }
        if kind == b'{' {
            rewrite.expression(&toks, 0, toks.list.len());
            continue;
        }
        let name = if toks.list.first().is_some_and(|t| t.kind == Kind::Ident) {
            toks.text(0)
        } else {
            ""
        };
        if REFUSED_TAGS.contains(&name) {
            return Err(Diagnostic::new(
                Stage::Template,
                position(source, start, origin),
                format!(
                    "`{{% {name} %}}` is not supported: templates cannot include, import or define other templates"
                ),
            )
            .with_help("write the text inline; each data value is one template"));
        }
        if name == "filter" {
            // Tera builds the whole body in memory before filtering it.
            return Err(Diagnostic::new(
                Stage::Template,
                position(source, start, origin),
                "the block form `{% filter NAME %}...{% endfilter %}` is not supported",
            )
            .with_help("apply the filter to a value: `{{ VALUE | NAME }}`"));
        }
        let n = toks.list.len();
        match name {
            "for" => {
                // `{% for x in EXPR %}`, `{% for k, v in EXPR %}`.
                if let Some(target) = toks.loop_target(1, n) {
                    toks.start = target;
                    rewrite.wrap(&toks, target, n, LOOP_OPEN, ")".into());
                }
            }
            "set" | "set_global" => {
                // `{% set x = EXPR %}`: the value is weighed before it is
                // kept, so that no value doubles its way to gigabytes.
                // Anything else after the name is the block form.
                if !toks.is(2, "=") {
                    return Err(Diagnostic::new(
                        Stage::Template,
                        position(source, start, origin),
                        format!(
                            "the block form `{{% {name} NAME %}}...{{% endset %}}` is not supported"
                        ),
                    )
                    .with_help(format!("write `{{% {name} NAME = VALUE %}}`")));
                }
                toks.start = 3;
                rewrite.wrap(&toks, 3, n, VALUE_OPEN, ")".into());
            }
            _ => {
                toks.start = 1;
                rewrite.expression(&toks, 1, n);
            }
        }
    }
    Ok(rewrite.apply(source))
}

/// A delimited piece of a template, as Tera's lexer finds them.
enum Piece {
    /// `{{ ... }}` (`kind` `{`) or `{% ... %}` (`kind` `%`) opening at
    /// `start`; the body runs from `inner` (after whitespace control) to
    /// `end`, where the closing delimiter starts.
    Tag {
        kind: u8,
        start: usize,
        inner: usize,
        end: usize,
    },
    /// A comment or a raw block; the text goes on at `next`.
    Skipped { next: usize },
    /// An opening without its closing (Tera refuses the template).
    Unclosed { kind: u8, start: usize },
}

/// The first piece at or after byte `from` (a char boundary), found as
/// Tera's lexer finds it (`tera-2` `parsing/lexer.rs`): `{{`, `{%` or `{#`
/// wherever they are in text; a comment ends at the first `#}`; a tag or
/// an expression at the first closing outside string literals; a raw block
/// (`{% raw %}`) at the first `{%` that opens `endraw`, nothing else in
/// it read, quotes and `{{` included.
fn next_piece(source: &str, from: usize) -> Option<Piece> {
    let b = source.as_bytes();
    let mut i = from;
    loop {
        let start = i + source[i..].find('{')?;
        let kind = match b.get(start + 1) {
            Some(&k @ (b'#' | b'%' | b'{')) => k,
            _ => {
                i = start + 1;
                continue;
            }
        };
        // `{{-`, `{%-`, `{#-`: whitespace control, not part of the body.
        let inner = start + 2 + usize::from(b.get(start + 2) == Some(&b'-'));
        let unclosed = Piece::Unclosed { kind, start };
        if kind == b'#' {
            return Some(match find_close(source, inner, "#}", false) {
                Some(end) => Piece::Skipped { next: end + 2 },
                None => unclosed,
            });
        }
        if kind == b'%'
            && let Some(len) = skip_tag(&b[inner..], "raw")
        {
            let mut at = inner + len;
            while let Some(rel) = source[at..].find("{%") {
                let tag = at + rel + 2;
                if let Some(len) = skip_tag(&b[tag..], "endraw") {
                    return Some(Piece::Skipped { next: tag + len });
                }
                at = tag;
            }
            return Some(unclosed);
        }
        let close = if kind == b'%' { "%}" } else { "}}" };
        return Some(match find_close(source, start + 2, close, true) {
            Some(end) => Piece::Tag {
                kind,
                start,
                inner,
                end,
            },
            None => unclosed,
        });
    }
}

/// Whether `b` opens with the tag `name` as Tera's lexer spots `raw` and
/// `endraw` (its `skip_tag`): an optional `-`, spaces, the name, spaces, an
/// optional `-`, `%}`. The length of that text.
fn skip_tag(b: &[u8], name: &str) -> Option<usize> {
    let spaces = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let mut i = spaces(usize::from(b.first() == Some(&b'-')));
    if !b.get(i..)?.starts_with(name.as_bytes()) {
        return None;
    }
    i = spaces(i + name.len());
    i += usize::from(b.get(i) == Some(&b'-'));
    b.get(i..)?.starts_with(b"%}").then_some(i + 2)
}

/// The index of `close` at or after `from`, skipping string literals when
/// `strings` is set.
fn find_close(s: &str, from: usize, close: &str, strings: bool) -> Option<usize> {
    let b = s.as_bytes();
    let c = close.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = from;
    while i < b.len() {
        match quote {
            Some(q) => {
                if b[i] == b'\\' {
                    i += 1;
                } else if b[i] == q {
                    quote = None;
                }
            }
            None => {
                if strings && matches!(b[i], b'"' | b'\'' | b'`') {
                    quote = Some(b[i]);
                } else if b[i] == c[0] && b.get(i + 1) == Some(&c[1]) {
                    return Some(i);
                }
            }
        }
        i += 1;
    }
    None
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// What a token of a tag is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ident,
    Str,
    Num,
    Punct,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
}

/// The tokens of one tag body, as Tera's lexer cuts them.
struct Toks<'a> {
    src: &'a str,
    list: Vec<Tok>,
    /// For each opening bracket, the index of its closing one (or the
    /// number of tokens when it is not closed).
    closes: Vec<usize>,
    /// Where the expression starts (after `for x in`, `set x =`, a tag name).
    start: usize,
}

/// Tera's operators of two characters.
const TWO_BYTE_OPERATORS: [&[u8]; 9] = [
    b"//", b"**", b"==", b"!=", b">=", b"<=", b"</", b"?.", b"?[",
];

/// Words that are operators, not values.
const KEYWORDS: &[&str] = &["and", "or", "not", "in", "is", "if", "else", "for"];

impl<'a> Toks<'a> {
    /// Cuts `src[from..to]` into tokens, by the rules of Tera's lexer; stops
    /// at a character Tera's lexer refuses (Tera then refuses the template).
    fn lex(src: &'a str, from: usize, to: usize) -> Self {
        let b = &src.as_bytes()[..to];
        let mut list = Vec::new();
        let mut i = from;
        while i < to {
            let c = b[i];
            if c.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let start = i;
            let two = b.get(i..i + 2).unwrap_or_default();
            let kind = if b[i..].starts_with(b"...") {
                i += 3;
                Kind::Punct
            } else if TWO_BYTE_OPERATORS.contains(&two) {
                i += 2;
                Kind::Punct
            } else if b"+-*/%!.,:~|=><()[]{}@".contains(&c) {
                i += 1;
                Kind::Punct
            } else if matches!(c, b'"' | b'\'' | b'`') {
                i += 1;
                while i < to && b[i] != c {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if i >= to {
                    break;
                }
                i += 1;
                Kind::Str
            } else if c.is_ascii_digit() {
                let mut dot = false;
                while i < to && (b[i].is_ascii_digit() || (b[i] == b'.' && !dot)) {
                    dot |= b[i] == b'.';
                    i += 1;
                }
                Kind::Num
            } else if c.is_ascii_alphabetic() || c == b'_' {
                while i < to && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                Kind::Ident
            } else {
                break;
            };
            list.push(Tok {
                kind,
                start,
                end: i,
            });
        }
        let mut closes = vec![list.len(); list.len()];
        let mut open = Vec::new();
        for (k, t) in list.iter().enumerate() {
            if t.kind != Kind::Punct {
                continue;
            }
            match &src[t.start..t.end] {
                "(" | "[" | "{" | "?[" => open.push(k),
                ")" | "]" | "}" => {
                    if let Some(o) = open.pop() {
                        closes[o] = k;
                    }
                }
                _ => {}
            }
        }
        Toks {
            src,
            list,
            closes,
            start: 0,
        }
    }

    fn text(&self, k: usize) -> &'a str {
        self.list.get(k).map_or("", |t| &self.src[t.start..t.end])
    }

    /// Whether token `k` is the punctuation or word `s`.
    fn is(&self, k: usize, s: &str) -> bool {
        self.list.get(k).is_some_and(|t| t.kind != Kind::Str) && self.text(k) == s
    }

    fn is_ident(&self, k: usize) -> bool {
        self.list.get(k).is_some_and(|t| t.kind == Kind::Ident)
    }

    fn opens(&self, k: usize) -> bool {
        ["(", "[", "{", "?["].iter().any(|s| self.is(k, s))
    }

    /// Whether token `k` ends a value, so that a `[` or `-` after it is a
    /// subscript or a minus rather than a list or a negation.
    fn ends_value(&self, k: usize) -> bool {
        match self.list.get(k).map(|t| t.kind) {
            Some(Kind::Str | Kind::Num) => true,
            Some(Kind::Ident) => !self.is_keyword(k),
            Some(Kind::Punct) => [")", "]", "}"].contains(&self.text(k)),
            None => false,
        }
    }

    /// Whether token `k` is one of [`KEYWORDS`] used as one (`x.in` is an
    /// attribute, `x | in` a filter).
    fn is_keyword(&self, k: usize) -> bool {
        self.is_ident(k)
            && KEYWORDS.contains(&self.text(k))
            && !(k > 0 && [".", "?.", "|"].contains(&self.text(k - 1)))
    }

    /// Whether token `k` is the keyword `word`.
    fn keyword(&self, k: usize, word: &str) -> bool {
        self.is_keyword(k) && self.text(k) == word
    }

    /// Whether token `k` is an operator that binds looser than `~` (or
    /// separates expressions): what ends an operand of `~`.
    fn splits(&self, k: usize) -> bool {
        match self.list.get(k).map(|t| t.kind) {
            Some(Kind::Ident) => self.is_keyword(k),
            Some(Kind::Punct) => match self.text(k) {
                // A minus after a value subtracts; before one, it negates.
                "-" => !self.at_value_start(k),
                "." | "?." | "|" | "**" | "(" | "[" | "{" | "?[" => false,
                _ => true,
            },
            _ => false,
        }
    }

    /// Whether token `k` starts a value (rather than continuing one).
    fn at_value_start(&self, k: usize) -> bool {
        k <= self.start || !self.ends_value(k - 1)
    }

    /// After a `for`: `x in` or `k, v in` (as Tera's parser wants them)
    /// from token `k`; the index of the token after `in`, if before `hi`.
    fn loop_target(&self, k: usize, hi: usize) -> Option<usize> {
        if !self.is_ident(k) {
            return None;
        }
        let mut k = k + 1;
        if self.is(k, ",") {
            if !self.is_ident(k + 1) {
                return None;
            }
            k += 2;
        }
        (self.is_ident(k) && self.is(k, "in") && k + 1 < hi).then_some(k + 1)
    }
}

// The openings of the calls [`sandbox`] inserts (`concat!` takes only
// literals; a test holds them to the function names).
const LOOP_OPEN: &str = "__msvc_loop(v=";
const VALUE_OPEN: &str = "__msvc_value(v=";
const ITEM_OPEN: &str = "__msvc_item(v=";
const JOIN_OPEN: &str = "__msvc_join(v=";
const LITERAL_OPEN: &str = "__msvc_literal(v=";

/// Text to insert into a template, by byte offset.
#[derive(Default)]
struct Rewrite {
    inserts: Vec<(usize, Cow<'static, str>)>,
    /// List comprehensions numbered so far.
    lists: u64,
}

impl Rewrite {
    /// Opens a call with `open` before token `k`.
    fn open(&mut self, t: &Toks, k: usize, open: &'static str) {
        let at = t.list[k].start;
        // `in(x)` -> `in __msvc_loop(v=(x))`, not `in__msvc_loop(...)`.
        let glued = at > 0 && is_word_byte(t.src.as_bytes()[at - 1]);
        let open = if glued {
            Cow::Owned(format!(" {open}"))
        } else {
            open.into()
        };
        self.inserts.push((at, open));
    }

    /// Closes a call with `close` after token `k`.
    fn close(&mut self, t: &Toks, k: usize, close: Cow<'static, str>) {
        self.inserts.push((t.list[k].end, close));
    }

    /// Puts tokens `lo..hi` inside `open` ... `close`, and rewrites them.
    fn wrap(
        &mut self,
        t: &Toks,
        lo: usize,
        hi: usize,
        open: &'static str,
        close: Cow<'static, str>,
    ) {
        if lo >= hi {
            return;
        }
        self.open(t, lo, open);
        self.expression(t, lo, hi);
        self.close(t, hi - 1, close);
    }

    /// Rewrites tokens `lo..hi`: one level of an expression, and the
    /// brackets nested in it.
    fn expression(&mut self, t: &Toks, lo: usize, hi: usize) {
        // The units of this level: a token, or a bracket and what it holds.
        let mut units = Vec::new();
        let mut k = lo;
        while k < hi {
            if !t.opens(k) {
                units.push((k, k));
                k += 1;
                continue;
            }
            let close = t.closes[k].min(hi);
            if t.is(k, "[") && t.at_value_start(k) {
                self.list(t, k, close);
            } else if t.is(k, "{") && t.at_value_start(k) {
                self.literal(t, k, close);
            } else {
                self.expression(t, k + 1, close);
            }
            units.push((k, close.min(hi - 1)));
            k = close + 1;
        }
        self.joins(t, &units);
    }

    /// A list or a map written out, from token `k` to its closing bracket
    /// at `close`: weighed when it holds names (what it holds is then not
    /// bounded by the template's length: `[a, a, a]`).
    fn literal(&mut self, t: &Toks, k: usize, close: usize) {
        let named = (k + 1..close).any(|j| t.is_ident(j));
        if named && close < t.list.len() {
            self.open(t, k, LITERAL_OPEN);
            self.expression(t, k + 1, close);
            self.close(t, close, ")".into());
        } else {
            self.expression(t, k + 1, close);
        }
    }

    /// A list `[...]` from token `k` to its `]` at `close`. A comprehension
    /// `[e for x in T if c]` has its `T` counted against the budget (which
    /// starts the list) and each `e` weighed as the list grows.
    fn list(&mut self, t: &Toks, k: usize, close: usize) {
        // Tera reads a comprehension where a `for` follows the first item.
        let mut j = k + 1;
        let mut found = None;
        while j < close {
            if t.opens(j) {
                j = t.closes[j] + 1;
                continue;
            }
            if t.keyword(j, "for") {
                found = Some(j);
                break;
            }
            j += 1;
        }
        let Some((item_end, target)) = found
            .filter(|&f| f > k + 1)
            .and_then(|f| Some((f, t.loop_target(f + 1, close)?)))
        else {
            self.literal(t, k, close);
            return;
        };
        let id = self.lists;
        self.lists += 1;
        let end_call = || Cow::Owned(format!(", c={id})"));
        self.wrap(t, k + 1, item_end, ITEM_OPEN, end_call());
        // The iterable ends at the condition's `if`, or at the `]`.
        let mut j = target;
        while j < close && !t.keyword(j, "if") {
            j = if t.opens(j) { t.closes[j] + 1 } else { j + 1 };
        }
        let end = j.min(close);
        self.wrap(t, target, end, LOOP_OPEN, end_call());
        if end < close {
            self.expression(t, end + 1, close);
        }
    }

    /// Weighs the operands of each `~` among `units` (one level of an
    /// expression) before Tera copies them. An operand is a run of units
    /// between operators that bind looser than `~` (Tera's binding powers:
    /// `~` is as tight as `*`; `|`, `**`, unary `-`, `.` and subscripts
    /// are tighter), so wrapping it in a call leaves the parse as it was.
    fn joins(&mut self, t: &Toks, units: &[(usize, usize)]) {
        if !units.iter().any(|&(k, _)| t.is(k, "~")) {
            return;
        }
        let splits = |u: usize| units[u].0 == units[u].1 && t.splits(units[u].0);
        let is_join = |u: usize| t.is(units[u].0, "~");
        let mut u = 0;
        // After `is` (and `not`): a test's name, which is not a value.
        let mut test = false;
        while u < units.len() {
            if splits(u) {
                let k = units[u].0;
                test = t.keyword(k, "is") || (test && t.keyword(k, "not"));
                u += 1;
                continue;
            }
            let first = u;
            while u + 1 < units.len() && !splits(u + 1) {
                u += 1;
            }
            let after_join = first > 0 && is_join(first - 1);
            let joined = after_join || (u + 1 < units.len() && is_join(u + 1));
            // Tera refuses `~ -x` (a negation right after `~`) and `not -x`:
            // left as written, it still does. (What it accepts, `~ -1` or
            // `~ -x | f`, starts from a number: nothing large.)
            let negated = first > 0
                && (after_join || t.keyword(units[first - 1].0, "not"))
                && t.is(units[first].0, "-");
            // `x ** not y`: Tera reads `not y...` as the right side of
            // `**`; the run is not a whole operand (it makes a number).
            let open = ["**", "|", ".", "?.", "-"]
                .iter()
                .any(|op| units[u].0 == units[u].1 && t.is(units[u].0, op));
            if joined && !test && !negated && !open {
                self.open(t, units[first].0, JOIN_OPEN);
                self.close(t, units[u].1, ")".into());
            }
            test = false;
            u += 1;
        }
    }

    /// The text with the inserts made, and where they were made.
    fn apply(mut self, source: &str) -> (String, Vec<Shift>) {
        if self.inserts.is_empty() {
            return (source.to_string(), Vec::new());
        }
        // Stable: at one offset, the order of discovery (an opening before
        // what it encloses, a closing after).
        self.inserts.sort_by_key(|(at, _)| *at);
        let mut out = String::with_capacity(source.len() + self.inserts.len() * 16);
        let mut moved = Vec::new();
        let mut from = 0;
        let mut line = 1u32;
        // The column of the end of `out`, in characters (as Tera counts).
        let mut col = 0usize;
        for (at, text) in self.inserts {
            let chunk = &source[from..at];
            match chunk.rfind('\n') {
                Some(nl) => {
                    line += chunk.matches('\n').count() as u32;
                    col = chunk[nl + 1..].chars().count();
                }
                None => col += chunk.chars().count(),
            }
            out.push_str(chunk);
            moved.push(Shift {
                line,
                col: col as u32,
                len: text.len() as u32,
            });
            out.push_str(&text);
            col += text.len();
            from = at;
        }
        out.push_str(&source[from..]);
        (out, moved)
    }
}

/// Span of byte offset `at` of `source`, placed through `origin`.
fn position(source: &str, at: usize, origin: &Origin) -> Span {
    let before = &source[..at.min(source.len())];
    let line = before.matches('\n').count() as u32 + 1;
    // In characters, as Tera and the YAML reader count columns.
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count() as u32;
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

    #[test]
    fn inserted_calls_open_the_registered_functions() {
        for (name, open) in [
            (LOOP_FN, LOOP_OPEN),
            (VALUE_FN, VALUE_OPEN),
            (ITEM_FN, ITEM_OPEN),
            (JOIN_FN, JOIN_OPEN),
            (LITERAL_FN, LITERAL_OPEN),
        ] {
            assert_eq!(open, format!("{name}(v="));
            assert!(name.starts_with(RESERVED_PREFIX), "{name}");
        }
    }

    #[test]
    fn a_slice_weighs_as_the_list_it_makes() {
        let half = tera::Value::from("x".repeat(MAX_VALUE_BYTES / 2));
        let step = usize::try_from(MAX_TEMPLATE_STEPS).unwrap_or(usize::MAX);
        for items in [
            vec![],
            vec![half.clone()],
            vec![half.clone(), half.clone()],
            vec![half.clone(), half.clone(), tera::Value::from("x")],
            vec![tera::Value::from(1); step - 1],
            vec![tera::Value::from(1); step],
        ] {
            let list = tera::Value::from(items.clone());
            assert_eq!(weigh_items(&items), weigh(&list), "{} items", items.len());
        }
        // The cases straddle both limits.
        assert!(!weigh_items(&[
            half.clone(),
            half.clone(),
            tera::Value::from("x")
        ]));
        assert!(weigh_items(&vec![tera::Value::from(1); step - 1]));
        assert!(!weigh_items(&vec![tera::Value::from(1); step]));
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
        // A `{{` inside leaves the first one open; one in a string does not.
        let e = render("a {{ .HFModelName {{ .HFModelName }}").unwrap_err();
        assert!(e.message.contains("unclosed"), "{e}");
        assert_eq!((e.span.line, e.span.col), (1, 3));
        assert_eq!(render("{{ \"{{\" }}").unwrap(), "{{");
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
    fn loops_render_as_written_and_errors_keep_their_columns() {
        assert_eq!(
            render("{% for x in [1, 2] %}{{ x }}{% endfor %}").unwrap(),
            "12"
        );
        assert_eq!(
            render("{%- for k, v in {\"a\": 1} -%}{{ k }}={{ v }}{%- endfor %}").unwrap(),
            "a=1"
        );
        assert_eq!(
            render("{{ [x * 2 for x in range(end=3) if x > 0] }}").unwrap(),
            "[2, 4]"
        );
        assert_eq!(render("{{ [x for x in [[1], [2]][0]] }}").unwrap(), "[1]");
        // Raw text is left alone, loops and refused tags included.
        assert_eq!(
            render("{% raw %}{% for a in b %}{% include \"x\" %}{% endraw %}").unwrap(),
            "{% for a in b %}{% include \"x\" %}"
        );
        // The error after a rewritten loop is where it is written.
        let src = "a\n{% for x in [1] %}{{ nosuch }}{% endfor %}";
        let e = render(src).unwrap_err();
        assert_eq!((e.span.line, e.span.col), (2, 22), "{e}");
        assert!(!e.to_string().contains(LOOP_FN), "{e}");
    }

    #[test]
    fn nested_loops_run_out_of_budget_where_they_are_written() {
        let e = render(
            "x\n{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% for c in range(end=100000) %}{% endfor %}{% endfor %}{% endfor %}",
        )
        .unwrap_err();
        assert!(e.message.contains("template budget exceeded"), "{e}");
        assert!(e.message.contains("100000"), "{e}");
        assert_eq!(e.span.line, 2, "{e}");
        // A list made once and looped over many times is counted per loop.
        let e = render(
            "{% set r = range(end=1000) %}{% for a in r %}{% for b in r %}{% endfor %}{% endfor %}",
        )
        .unwrap_err();
        assert!(e.message.contains("template budget exceeded"), "{e}");
        let e = render("{{ [[y for y in range(end=1000)] for x in range(end=1000)] | length }}")
            .unwrap_err();
        assert!(e.message.contains("template budget exceeded"), "{e}");
        // The budget is per render: the same template renders again.
        let ok = "{% for a in range(end=40000) %}{% endfor %}";
        let set = TemplateSet::compile([("t", ok, Origin::file("b"))]).unwrap();
        for _ in 0..3 {
            set.render("t", &vars().context()).unwrap();
        }
    }

    #[test]
    fn range_is_capped_outside_a_budgeted_render_too() {
        let e = engine()
            .render_str("{{ range(end=200000) | length }}", &Context::new(), false)
            .unwrap_err();
        assert!(
            format!("{e:?}").contains("exceeds the limit of 100000"),
            "{e:?}"
        );
        let ok = engine()
            .render_str(
                "{{ range(start=10, end=0, step_by=-3) }}",
                &Context::new(),
                false,
            )
            .unwrap();
        assert_eq!(ok, "[10, 7, 4, 1]");
    }

    #[test]
    fn values_cannot_double_their_way_to_gigabytes() {
        let doubling = format!(
            "{{% set a = \"xxxxxxxx\" %}}{}",
            "{% set a = a ~ a %}".repeat(30)
        );
        let e = render(&doubling).unwrap_err();
        assert!(e.message.contains("a value kept with `set`"), "{e}");
        let e = render(
            "{% set a = \"xx\" %}{% for i in range(end=40) %}{% set_global a = a ~ a %}{% endfor %}",
        )
        .unwrap_err();
        assert!(e.message.contains("template budget exceeded"), "{e}");
        let nested = format!("{{% set a = [1] %}}{}", "{% set a = [a, a] %}".repeat(40));
        let e = render(&nested).unwrap_err();
        assert!(e.message.contains("template budget exceeded"), "{e}");
        let replace = format!(
            "{{{{ \"a\" {} }}}}",
            "| replace(from=\"a\", to=\"aaaaaaaaaa\") ".repeat(12)
        );
        let e = render(&replace).unwrap_err();
        assert!(e.message.contains("the result of `replace`"), "{e}");
        let e = render("{% set a %}x{% endset %}").unwrap_err();
        assert!(e.message.contains("block form"), "{e}");
        let chain = format!("{{% set a = \"x\" %}}{{{{ a{} }}}}", " ~ a".repeat(33));
        let e = render(&chain).unwrap_err();
        assert!(e.message.contains("more than 32 `~`"), "{e}");
        assert!(
            render(&format!(
                "{{% set a = \"x\" %}}{{{{ a{} }}}}",
                " ~ \"~\" ~ a".repeat(16)
            ))
            .is_ok()
        );
        // The filters keep Tera's meaning.
        assert_eq!(
            render("{{ [\"a\", 1] | join(sep=\"-\") }}|{{ \"abc\" | replace(from=\"b\", to=\"XY\") }}|{{ [1, 2] | str }}|{{ \"ab\" | replace(from=\"\", to=\"-\") }}")
                .unwrap(),
            "a-1|aXYc|[1, 2]|-a-b-"
        );
        assert_eq!(
            render("{{ \"a\n\nb\n\" | indent(width=2) }}|{{ \"\nb\" | indent(first=true, blank=true, indentation=\"*\") }}")
                .unwrap(),
            "a\n\n  b\n|****\n****b"
        );
        assert_eq!(render("{% set x = [1, 2] %}{{ x | length }}").unwrap(), "2");
    }

    #[test]
    fn output_is_capped() {
        let e = render(&format!(
            "{{% for a in range(end=40000) %}}{}{{% endfor %}}",
            "x".repeat(40)
        ))
        .unwrap_err();
        assert!(e.message.contains("larger than 1048576 bytes"), "{e}");
        let e = render_str(
            shared_engine(),
            &format!(
                "{{% for a in range(end=40000) %}}{}{{% endfor %}}",
                "x".repeat(40)
            ),
            &vars().context(),
            "spec.decode.containers[0].args[0]",
            &Origin::file("ms.yaml"),
        )
        .unwrap_err();
        assert!(e.message.contains("args[0]"), "{e}");
        assert!(e.message.contains("larger than"), "{e}");
    }

    #[test]
    fn tags_that_reach_other_templates_are_refused() {
        for (src, tag) in [
            ("{% include \"t\" %}", "include"),
            ("{% extends \"t\" %}", "extends"),
            ("{% import \"t\" as m %}", "import"),
            ("{% macro m() %}{% endmacro %}", "macro"),
            ("{% block b %}{% endblock %}", "block"),
            ("{%- component c() %}{% endcomponent %}", "component"),
        ] {
            let e = render(src).unwrap_err();
            assert!(e.message.contains(&format!("`{{% {tag} %}}`")), "{e}");
        }
        let e = render("{{ include \"x\" . }}").unwrap_err();
        assert!(e.message.contains("`{{ include }}`"), "{e}");
        let e = render("{{ get_env(name=\"HOME\") }}").unwrap_err();
        assert!(e.help.unwrap().contains("cannot read the environment"));
    }

    #[test]
    fn dots_inside_strings_stay() {
        assert_eq!(render("{{ \"a .b\" }}").unwrap(), "a .b");
    }

    fn budget_exceeded(src: &str) {
        let e = render(src).unwrap_err();
        assert!(e.message.contains("template budget exceeded"), "{src}: {e}");
    }

    #[test]
    fn non_ascii_text_is_read_by_characters() {
        // Tera refuses a non-ASCII character outside strings; msvc says so
        // rather than stopping mid-character.
        for src in [
            "# {{ [é] }}{% if true %}{% endif %}",
            "{{ [ü] }} for",
            "{{ [ü for x in y] }}",
            "{% for é in [1] %}{% endfor %}",
            "{{ x ~ ü }}",
        ] {
            let e = render(src).unwrap_err();
            assert!(e.message.contains("Unexpected character"), "{src}: {e}");
        }
        assert_eq!(
            render(
                "ü{% for x in [\"é\", \"ü\"] %}{{ x ~ \"·\" }}{% endfor %}{{ [x for x in \"éü\"] }}"
            )
            .unwrap(),
            "üé·ü·[\"é\", \"ü\"]"
        );
        // Columns count characters, before and after inserted text.
        let e = render("é {{ nosuch }}").unwrap_err();
        assert_eq!((e.span.line, e.span.col), (1, 6), "{e}");
        let e = render("é{% for x in [1] %}{{ nosuch }}{% endfor %}").unwrap_err();
        assert_eq!((e.span.line, e.span.col), (1, 23), "{e}");
    }

    #[test]
    fn every_loop_tera_runs_is_counted() {
        // 99,990 steps spent: ten more are fine, a hundred more are not.
        let r = "{% set big = range(end=99980) %}{% set r = range(end=10) %}";
        assert!(render(&format!("{r}{{% for a in r %}}{{% endfor %}}")).is_ok());
        for src in [
            // No space after `in`.
            format!("{r}{{% for a in(r) %}}{{% for b in(r) %}}{{% endfor %}}{{% endfor %}}"),
            format!("{r}{{% for a in[r, r][0] %}}{{% for b in(r) %}}{{% endfor %}}{{% endfor %}}"),
            format!("{r}{{{{ [[y for y in(r)] for x in(r)] | length }}}}"),
            format!("{r}{{{{ [[y for y in r]for x in r] | length }}}}"),
            // A number glued to `for`, as Tera's lexer cuts it.
            format!("{r}{{{{ [[1for y in r] for x in r] | length }}}}"),
            format!("{r}{{{{ [[1.5for y in r] for x in r] | length }}}}"),
            // Line breaks and whitespace control.
            format!(
                "{r}{{%-for\na\nin\nr-%}}{{%for b in r|reverse-%}}{{% endfor %}}{{% endfor %}}"
            ),
            format!("{r}{{%- for a in r %}}{{{{- [b for b in r] | length -}}}}{{% endfor %}}"),
            // Comprehensions in every kind of tag.
            format!("{r}{{% if [[y for y in r] for x in r] %}}{{% endif %}}"),
            format!("{r}{{% set x = [[y for y in r] for x in r] %}}"),
            format!("{r}{{% for a in [[y for y in r] for x in r] %}}{{% endfor %}}"),
            format!("{r}{{{{ 1 + ([[y for y in r] for x in r] | length) }}}}"),
        ] {
            budget_exceeded(&src);
        }
        assert_eq!(
            render("{% for a in[1, 2] %}{{ a }}{% endfor %}{% for a in(\"xy\") %}{{ a }}{% endfor %}{{ [1for x in [1, 2]] }}")
                .unwrap(),
            "12xy[1, 1]"
        );
    }

    #[test]
    fn raw_blocks_end_where_tera_ends_them() {
        // Inside raw text, quotes and `{{` mean nothing: the loops after
        // `{% endraw %}` run, and are counted.
        let loops =
            "{% for a in r %}{% for b in r %}{% for c in r %}{% endfor %}{% endfor %}{% endfor %}";
        for raw in [
            "{% raw %}{{ \"{% endraw %}",
            "{% raw %}'{% endraw %}",
            "{%- raw -%}{# {%- endraw -%}",
            "{%raw%}{% endraw x %}\"{%endraw%}",
        ] {
            budget_exceeded(&format!(
                "{{%- set r = range(end=1000) %}}{raw}{loops}{{# \" #}}"
            ));
        }
        assert_eq!(
            render("{% raw %}{{ \"{% endraw %}{% for a in range(end=3) %}{{ a }}{% endfor %}")
                .unwrap(),
            "{{ \"012"
        );
        // Go spelling is read in expressions only: raw text, comments and
        // strings in tags stay as written.
        assert_eq!(
            render("{% raw %}{{ .X }}{{ if }}{% endraw %}{# {{ if }} #}{% set x = \"{{ end }}\" %}{{ x }}")
                .unwrap(),
            "{{ .X }}{{ if }}{{ end }}"
        );
        // `{% raw x %}` is not a raw block: Tera refuses it.
        assert!(render("{% raw x %}{% for a in r %}{% endfor %}").is_err());
    }

    /// The calls the sandbox inserts leave what a template means as it
    /// was: each of these expressions renders (or fails) as plain Tera
    /// renders it, and the ones that fail are listed.
    #[test]
    fn the_sandbox_keeps_what_templates_mean() {
        let ctx = vars().context();
        let mut refused = Vec::new();
        for src in [
            // Operands of `~` next to tighter and looser operators.
            "{{ \"a\" ~ -1 }}|{{ -1 ~ -2 }}|{{ \"a\"~\"b\"~\"c\" }}",
            "{{ 2 * 3 ~ \"x\" }}|{{ 10 // 3 ~ \"\" }}|{{ (1 + 2) ~ 3 }}",
            "{{ 1 + 2 ~ 3 }}",
            "{{ 7 - 2 ~ 1 }}",
            "{{ \"x\" ~ 2 * 3 }}",
            "{{ \"a\" ~ \"b\" | upper }}|{{ \"a\" ~ 2 ** 3 }}|{{ \"a\" ~ \"b\" if true else \"c\" }}",
            "{{ \"a\" ~ \"b\" in \"xaby\" }}|{{ \"a\" ~ 1 == \"a1\" }}|{{ \"a\" ~ true and false }}",
            "{{ 1 is odd ~ \"x\" }}|{{ 2 is not odd ~ \"x\" }}|{{ 6 is divisible_by(3) ~ \"x\" }}",
            "{{ \"a\" ~ \"b\" is string }}|{{ not \"a\" ~ \"\" }}|{{ (\"a\" ~ \"b\") ~ (\"c\" ~ \"d\") }}",
            "{{ HFModelName ~ [1, 2][0] ~ range(end=2) | length }}",
            "{{ \"ab\" | replace(from=\"a\", to=\"x\" ~ \"y\") }}|{{ [HFModelName] | join(sep=\"-\" ~ \"-\") }}",
            "{{ [1,2]~\"\" }}|{{ [1, 2] ~ [3] }}|{{ nosuch ~ \"x\" }}|{{ nosuch?.y ~ \"z\" }}",
            // Lists and maps written out, subscripted, spread.
            "{{ {\"a\": HFModelName}[\"a\"] }}|{{ {\"a\": HFModelName}.a }}|{{ [HFModelName, \"b\"][0] }}",
            "{{ [...[1, 2], HFModelName] }}|{{ [[x, HFModelName] for x in [1]] }}",
            "{% set a = [1, HFModelName] %}{{ a | length ~ a[1] }}",
            // Comprehensions.
            "{{ [k ~ \"=\" ~ v for k, v in {\"a\": 1, \"b\": 2}] | join(sep=\",\") }}",
            "{{ [x for x in range(end=5) if x is odd] }}|{{ [not x for x in [true]] }}",
            "{{ [x ~ \"\" for x in[1]] }}|{{ [x for x in [[1], [2]][0]] }}|{{ [x if x else 0 for x in [1]] }}",
            "{{ [[y for y in range(end=x)] for x in range(end=3)] }}",
            "{% for x in [1, 2] %}{{ loop.index ~ x }}{% endfor %}",
            // Keywords as attribute names; `not` inside a tighter operand;
            // the negations Tera refuses after `~` and `not`.
            "{{ {\"in\": 1}.in ~ \"x\" }}|{{ [x.for ~ x.if for x in [{\"for\": 1, \"if\": 2}]] }}",
            "{{ \"a\" ~ 2 ** not false }}",
            "{{ \"a\" ~ -[1] }}",
            "{{ not -1 ~ \"a\" }}",
        ] {
            // One expression at a time: a failing one would hide the rest.
            let parts: Vec<&str> = src.split("}}|{{").collect();
            for (i, part) in parts.iter().enumerate() {
                let open = if i > 0 { "{{" } else { "" };
                let close = if i + 1 < parts.len() { "}}" } else { "" };
                let src = format!("{open}{part}{close}");
                let src = src.as_str();
                let plain = engine()
                    .render_str(src, &ctx, false)
                    .map_err(|e| e.to_string());
                let sandboxed = render(src).map_err(|e| e.to_string());
                match (&plain, &sandboxed) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{src}"),
                    (Err(_), Err(_)) => refused.push(src.to_string()),
                    _ => panic!("{src}:\nplain Tera: {plain:?}\nsandboxed: {sandboxed:?}"),
                }
            }
        }
        // What plain Tera refuses, the sandbox refuses too.
        assert_eq!(
            refused,
            [
                "{{ 1 + 2 ~ 3 }}",
                "{{ 7 - 2 ~ 1 }}",
                "{{ \"x\" ~ 2 * 3 }}",
                "{{ 6 is divisible_by(3) ~ \"x\" }}",
                "{{ {\"a\": HFModelName}.a }}",
                "{{ {\"in\": 1}.in ~ \"x\" }}",
                "{{ \"a\" ~ 2 ** not false }}",
                "{{ \"a\" ~ -[1] }}",
                "{{ not -1 ~ \"a\" }}",
            ]
        );
    }

    #[test]
    fn values_made_without_set_are_weighed() {
        let mib = format!(
            "{{% set a = \"xxxxxxxx\" %}}{}",
            "{% set a = a ~ a %}".repeat(17)
        );
        let many_a = vec!["a"; 2000].join(", ");
        for (expr, what) in [
            (
                "{{ [a ~ a for x in range(end=1500)] | length }}".to_string(),
                "the list a comprehension makes",
            ),
            (
                "{{ ([a for x in range(end=1500)] ~ \"\") | length }}".to_string(),
                "the list a comprehension makes",
            ),
            (
                "{{ [[a, a][0] for x in range(end=3)] | length }}".to_string(),
                "a list or map written in the template",
            ),
            (
                format!("{{{{ [{many_a}] | length }}}}"),
                "a list or map written in the template",
            ),
            (
                format!("{{{{ {{\"k\": [{many_a}]}} | length }}}}"),
                "a list or map written in the template",
            ),
            (
                "{{ ((a ~ a) ~ \"\") | length }}".to_string(),
                "an operand of `~`",
            ),
        ] {
            let e = render(&format!("{mib}{expr}")).unwrap_err();
            assert!(
                e.message.contains(&format!(
                    "template budget exceeded: {what} is larger than 1048576 bytes"
                )),
                "{expr}: {e}"
            );
        }
        // A list that stays small is made again and again: each time it
        // starts from nothing.
        assert_eq!(
            render(&format!(
                "{mib}{{% for i in range(end=50) %}}{{% set_global b = [a for x in [i]] %}}{{% endfor %}}{{{{ b | length }}}}"
            ))
            .unwrap(),
            "1"
        );
        // sprig's `quote` doubles backslashes: 25 of them make 32 MiB of one.
        let e = render(&format!("{{{{ \"\\\\\" {}}}}}", "| quote ".repeat(25))).unwrap_err();
        assert!(e.message.contains("the result of `quote` is larger"), "{e}");
        let e = render("{% filter upper %}x{% endfilter %}").unwrap_err();
        assert!(
            e.message
                .contains("`{% filter NAME %}...{% endfilter %}` is not supported"),
            "{e}"
        );
        for src in [
            "{{ __msvc_loop(v=[]) }}",
            "{% set __msvc_x = 1 %}",
            "{{ [__msvc_item(v=1, c=0) for x in [1]] }}",
        ] {
            let e = render(src).unwrap_err();
            assert!(e.message.contains("is reserved"), "{src}: {e}");
        }
    }

    #[test]
    fn the_block_form_of_set_is_refused_however_spelled() {
        for src in [
            "{% set a %}x{% endset %}",
            "{% set a | upper %}x{% endset %}",
            "{% set_global a | replace(from=\"a\", to=\"b\") %}x{% endset %}",
        ] {
            let e = render(src).unwrap_err();
            assert!(e.message.contains("block form"), "{src}: {e}");
        }
    }
}
