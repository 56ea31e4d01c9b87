//! The Go-template and sprig subset that chart values use, on the Tera
//! engine of [`crate::template`]: Helm-dialect translation of `{{ ... }}`
//! actions (pipelines, function calls with Go's argument order, `$`) and the
//! sprig functions as Tera filters and functions. Nothing here reads the
//! environment or files.

use std::fmt::Write as _;

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::template::capped_result;

/// The context key holding the chart's named helpers for `include`.
pub const HELPERS_KEY: &str = "__msvc_helpers";

/// Go/sprig functions a chart value may call.
pub const FUNCTIONS: &[&str] = &[
    "default",
    "quote",
    "squote",
    "upper",
    "lower",
    "trim",
    "title",
    "toString",
    "trunc",
    "trimSuffix",
    "trimPrefix",
    "replace",
    "include",
    "printf",
    "lower",
    "contains",
];

/// Registers the sprig filters and functions on `tera`. Those whose result
/// can outgrow their input refuse results over 1 MiB, as the template
/// budget's filters do ([`capped_result`]).
pub fn register(tera: &mut Tera) {
    tera.register_filter("go_print", |v: Value, _: Kwargs, _: &State| {
        capped_result(go_string(&v), "go_print")
    });
    tera.register_filter("quote", |v: Value, _: Kwargs, _: &State| {
        capped_result(quote(&v, '"'), "quote")
    });
    tera.register_filter("squote", |v: Value, _: Kwargs, _: &State| {
        capped_result(quote(&v, '\''), "squote")
    });
    tera.register_filter(
        "trunc",
        |v: Value, kw: Kwargs, _: &State| -> TeraResult<String> {
            let n: i64 = kw.must_get("n")?;
            let s = go_string(&v);
            Ok(trunc(&s, n))
        },
    );
    tera.register_filter(
        "trim_suffix",
        |v: Value, kw: Kwargs, _: &State| -> TeraResult<String> {
            let suffix: String = kw.must_get("suffix")?;
            let s = go_string(&v);
            Ok(s.strip_suffix(suffix.as_str()).unwrap_or(&s).to_string())
        },
    );
    tera.register_filter(
        "trim_prefix",
        |v: Value, kw: Kwargs, _: &State| -> TeraResult<String> {
            let prefix: String = kw.must_get("prefix")?;
            let s = go_string(&v);
            Ok(s.strip_prefix(prefix.as_str()).unwrap_or(&s).to_string())
        },
    );
    tera.register_filter(
        "go_contains",
        |v: Value, kw: Kwargs, _: &State| -> TeraResult<bool> {
            let needle: String = kw.must_get("needle")?;
            Ok(go_string(&v).contains(needle.as_str()))
        },
    );
    tera.register_function("printf", |kw: Kwargs, _: &State| -> TeraResult<String> {
        let format: String = kw.must_get("format")?;
        let args: Vec<Value> = kw.get("args")?.unwrap_or_default();
        capped_result(printf(&format, &args), "printf")
    });
    tera.register_function(
        "include",
        |kw: Kwargs, state: &State| -> TeraResult<String> {
            let name: String = kw.must_get("name")?;
            let helpers: Option<tera::Map> = state.get(HELPERS_KEY)?;
            let helpers = helpers.unwrap_or_default();
            let found = helpers
                .iter()
                .find(|(k, _)| k.as_str() == Some(name.as_str()))
                .map(|(_, v)| v);
            match found {
                Some(v) => Ok(go_string(v)),
                None => {
                    let known: Vec<String> = helpers.keys().map(ToString::to_string).collect();
                    Err(tera::Error::message(format!(
                        "include: no helper `{name}`; msvc knows {}",
                        if known.is_empty() {
                            "none here".into()
                        } else {
                            known.join(", ")
                        }
                    )))
                }
            }
        },
    );
}

/// A value as Go's `fmt` prints it in a template (`<no value>` is empty, as Helm makes it).
pub fn go_string(v: &Value) -> String {
    let mut out = String::new();
    write_go(&mut out, v);
    out
}

fn write_go(out: &mut String, v: &Value) {
    if v.is_undefined() || v.is_none() {
        return;
    }
    if let Some(s) = v.as_str() {
        out.push_str(s);
    } else if let Some(b) = v.as_bool() {
        out.push_str(if b { "true" } else { "false" });
    } else if v.is_f64() {
        out.push_str(&go_float(v.as_f64().unwrap_or(0.0)));
    } else if let Some(i) = v.as_i128() {
        let _ = write!(out, "{i}");
    } else if let Some(items) = v.as_array() {
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            write_go(out, item);
        }
        out.push(']');
    } else if let Some(map) = v.as_map() {
        let mut entries: Vec<(String, &Value)> =
            map.iter().map(|(k, v)| (k.to_string(), v)).collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        out.push_str("map[");
        for (i, (k, v)) in entries.into_iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&k);
            out.push(':');
            write_go(out, v);
        }
        out.push(']');
    } else {
        let _ = write!(out, "{v}");
    }
}

/// Go's `%v` of a float64: shortest digits, exponent form below 1e-4 or from 1e6.
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    let s = format!("{f}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

fn quote(v: &Value, q: char) -> String {
    if v.is_undefined() || v.is_none() {
        return String::new();
    }
    let s = go_string(v);
    if q == '\'' {
        return format!("'{s}'");
    }
    // Go's %q: escapes for quotes, backslashes and control characters.
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// sprig's `trunc`: the first `n` bytes, or the last `-n`.
pub fn trunc(s: &str, n: i64) -> String {
    let len = s.len() as i64;
    let cut = |from: usize, to: usize| {
        s.get(from..to)
            .map(str::to_string)
            .unwrap_or_else(|| s.to_string())
    };
    if n < 0 && -n < len {
        cut((len + n) as usize, s.len())
    } else if n >= 0 && n < len {
        cut(0, n as usize)
    } else {
        s.to_string()
    }
}

/// Go's `Sprintf` for the verbs charts use (`%s %d %v %q %%`).
fn printf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(verb) => match args.next() {
                Some(a) if verb == 'q' => out.push_str(&quote(a, '"')),
                Some(a) => out.push_str(&go_string(a)),
                None => {
                    let _ = write!(out, "%!{verb}(MISSING)");
                }
            },
            None => out.push_str("%!(NOVERB)"),
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// `.A.B`, `$.A`, `$`, `.`
    Field(String),
    Ident(String),
    /// A literal as Tera reads it (strings, numbers, booleans).
    Lit(String),
    Pipe,
    Open,
    Close,
}

fn tokenize(body: &str) -> Result<Vec<Tok>, String> {
    let b: Vec<char> = body.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '|' => {
                out.push(Tok::Pipe);
                i += 1;
            }
            '(' => {
                out.push(Tok::Open);
                i += 1;
            }
            ')' => {
                out.push(Tok::Close);
                i += 1;
            }
            '"' | '`' | '\'' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != c {
                    if b[i] == '\\' && c != '`' {
                        i += 1;
                    }
                    i += 1;
                }
                if i >= b.len() {
                    return Err("unterminated string".into());
                }
                i += 1;
                let lit: String = b[start..i].iter().collect();
                out.push(Tok::Lit(if c == '\'' {
                    // A Go rune literal: its number, as Go prints it.
                    lit.chars()
                        .nth(1)
                        .map(|r| (r as u32).to_string())
                        .unwrap_or_default()
                } else {
                    lit
                }));
            }
            _ => {
                let start = i;
                while i < b.len() && !b[i].is_whitespace() && !matches!(b[i], '|' | '(' | ')') {
                    i += 1;
                }
                let word: String = b[start..i].iter().collect();
                let first = word.chars().next().unwrap_or(' ');
                if first == '.' || first == '$' {
                    out.push(Tok::Field(word));
                } else if first.is_ascii_digit()
                    || matches!(first, '-' | '+')
                    || matches!(word.as_str(), "true" | "false")
                {
                    out.push(Tok::Lit(word));
                } else if word == "nil" {
                    out.push(Tok::Lit("none".into()));
                } else {
                    out.push(Tok::Ident(word));
                }
            }
        }
    }
    Ok(out)
}

/// Translates one Go action body (between `{{` and `}}`, trim markers
/// removed) into a Tera expression.
pub fn translate_pipeline(body: &str) -> Result<String, String> {
    let toks = tokenize(body)?;
    let mut pos = 0;
    let expr = pipeline(&toks, &mut pos)?;
    if pos != toks.len() {
        return Err("unexpected `)`".into());
    }
    Ok(expr)
}

fn pipeline(toks: &[Tok], pos: &mut usize) -> Result<String, String> {
    let mut acc: Option<String> = None;
    loop {
        let mut operands = Vec::new();
        while *pos < toks.len() && !matches!(toks[*pos], Tok::Pipe | Tok::Close) {
            operands.push(operand(toks, pos)?);
        }
        if operands.is_empty() {
            return Err("empty command in pipeline".into());
        }
        acc = Some(command(operands, acc)?);
        if *pos < toks.len() && toks[*pos] == Tok::Pipe {
            *pos += 1;
            continue;
        }
        break;
    }
    acc.ok_or_else(|| "empty action".into())
}

#[derive(Debug)]
enum Operand {
    Fn(String),
    /// The dot or `$`: the whole context.
    Dot,
    Expr(String),
}

fn operand(toks: &[Tok], pos: &mut usize) -> Result<Operand, String> {
    let t = toks[*pos].clone();
    *pos += 1;
    Ok(match t {
        Tok::Ident(name) => Operand::Fn(name),
        Tok::Lit(l) => Operand::Expr(l),
        Tok::Field(f) => {
            let path = f.strip_prefix('$').unwrap_or(&f);
            let path = path.strip_prefix('.').unwrap_or(path);
            if path.is_empty() {
                Operand::Dot
            } else if path.starts_with('$') || path.contains("..") {
                return Err(format!("variables like `{f}` are not supported"));
            } else {
                Operand::Expr(path.to_string())
            }
        }
        Tok::Open => {
            let inner = pipeline(toks, pos)?;
            if toks.get(*pos) != Some(&Tok::Close) {
                return Err("missing `)`".into());
            }
            *pos += 1;
            Operand::Expr(format!("({inner})"))
        }
        Tok::Pipe | Tok::Close => return Err("unexpected token".into()),
    })
}

fn command(operands: Vec<Operand>, piped: Option<String>) -> Result<String, String> {
    let mut it = operands.into_iter();
    let head = it.next().ok_or("empty command")?;
    let mut args: Vec<Operand> = it.collect();
    let name = match head {
        Operand::Fn(name) => name,
        Operand::Expr(e) if args.is_empty() && piped.is_none() => return Ok(e),
        Operand::Dot if args.is_empty() && piped.is_none() => {
            return Err(
                "`{{ . }}` prints the whole context; name a value such as `.Values.x`".into(),
            );
        }
        _ => return Err("only a function can take arguments or a piped value".into()),
    };
    if let Some(p) = piped {
        args.push(Operand::Expr(p));
    }
    let exprs = |args: &[Operand]| -> Result<Vec<String>, String> {
        args.iter()
            .map(|a| match a {
                Operand::Expr(e) => Ok(e.clone()),
                Operand::Dot => Err(format!("`{name}` cannot take the whole context `.`")),
                Operand::Fn(f) => Err(format!(
                    "`{f}` needs parentheses to be an argument: `({f} ...)`"
                )),
            })
            .collect()
    };
    let want = |n: usize| -> Result<Vec<String>, String> {
        if args.len() != n {
            return Err(format!(
                "`{name}` takes {n} argument{}, got {}",
                if n == 1 { "" } else { "s" },
                args.len()
            ));
        }
        exprs(&args)
    };
    Ok(match name.as_str() {
        "quote" | "squote" | "upper" | "lower" | "trim" | "title" => {
            let a = want(1)?;
            format!("({} | {name})", a[0])
        }
        "toString" => format!("({} | go_print)", want(1)?[0]),
        "default" => {
            let a = want(2)?;
            format!("({} | default(value={}, boolean=true))", a[1], a[0])
        }
        "trunc" => {
            let a = want(2)?;
            format!("({} | trunc(n={}))", a[1], a[0])
        }
        "trimSuffix" => {
            let a = want(2)?;
            format!("({} | trim_suffix(suffix={}))", a[1], a[0])
        }
        "trimPrefix" => {
            let a = want(2)?;
            format!("({} | trim_prefix(prefix={}))", a[1], a[0])
        }
        "contains" => {
            let a = want(2)?;
            format!("({} | go_contains(needle={}))", a[1], a[0])
        }
        "replace" => {
            let a = want(3)?;
            format!(
                "({} | go_print | replace(from={}, to={}))",
                a[2], a[0], a[1]
            )
        }
        "include" => {
            if args.len() != 2 || !matches!(args[1], Operand::Dot) {
                return Err("write `include \"NAME\" .`".into());
            }
            let a = exprs(&args[..1])?;
            format!("include(name={})", a[0])
        }
        "printf" => {
            let a = exprs(&args)?;
            let (f, rest) = a.split_first().ok_or("`printf` needs a format")?;
            format!("printf(format={f}, args=[{}])", rest.join(", "))
        }
        other => {
            return Err(format!(
                "Go-template function `{other}` is not supported; msvc knows: {}",
                FUNCTIONS.join(", ")
            ));
        }
    })
}

/// Rewrites a Helm-dialect template into Tera: each `{{ pipeline }}`
/// becomes `{{ (expr) | go_print }}`, so output reads as Helm prints it.
/// Control structures are refused with the byte offset of the action.
pub fn translate_helm(source: &str) -> Result<String, (usize, String)> {
    let mut out = String::with_capacity(source.len() + 16);
    let mut rest = source;
    let mut offset = 0;
    while let Some(start) = rest.find("{{") {
        push_text(&mut out, &rest[..start]);
        let at = offset + start;
        let after = &rest[start + 2..];
        let end = action_end(after).ok_or((at, "unclosed `{{`".to_string()))?;
        let raw = &after[..end];
        let (ltrim, body) = match raw.strip_prefix("- ") {
            Some(b) => (true, b),
            None => (false, raw),
        };
        let (rtrim, body) = match body.strip_suffix(" -") {
            Some(b) => (true, b),
            None => (false, body),
        };
        let body = body.trim();
        if body.starts_with("/*") {
            // A Go comment renders nothing.
            out.push_str(if ltrim { "{#-" } else { "{#" });
            out.push_str(&body.replace("#}", "# }"));
            out.push_str(if rtrim { "-#}" } else { "#}" });
        } else {
            let first = body.split_whitespace().next().unwrap_or("");
            if matches!(
                first,
                "if" | "else" | "end" | "range" | "with" | "define" | "template" | "block"
            ) || body.contains(":=")
                || body.contains(" = ")
            {
                return Err((
                    at,
                    format!(
                        "Go-template control `{{{{ {first} }}}}` is not supported in chart values"
                    ),
                ));
            }
            let expr = translate_pipeline(body).map_err(|e| (at, e))?;
            out.push_str(if ltrim { "{{- " } else { "{{ " });
            out.push_str(&format!("({expr}) | go_print"));
            out.push_str(if rtrim { " -}}" } else { " }}" });
        }
        let consumed = start + 2 + end + 2;
        rest = &rest[consumed..];
        offset += consumed;
    }
    push_text(&mut out, rest);
    Ok(out)
}

/// Text between actions, which Helm prints as it is: Tera's `{%` and `{#`
/// in it become text too (written as expressions that print them), so a
/// chart value cannot open a Tera tag (a loop, which nothing would count)
/// or comment. The text holds no `{{`: it ends at the next action.
fn push_text(out: &mut String, text: &str) {
    let b = text.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'{' && matches!(b[i + 1], b'%' | b'#') {
            out.push_str(&text[from..i]);
            out.push_str(if b[i + 1] == b'%' {
                "{{ \"{%\" }}"
            } else {
                "{{ \"{#\" }}"
            });
            i += 2;
            from = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[from..]);
}

fn action_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        match quote {
            Some(q) => {
                if b[i] == b'\\' && q != b'`' {
                    i += 1;
                } else if b[i] == q {
                    quote = None;
                }
            }
            None => match b[i] {
                b'"' | b'`' => quote = Some(b[i]),
                b'}' if b.get(i + 1) == Some(&b'}') => return Some(i),
                _ => {}
            },
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(src: &str) -> Result<String, String> {
        let tera = crate::template::engine();
        let mut ctx = tera::Context::new();
        ctx.insert(
            "Values",
            &serde_json::json!({"a": {"b": "x"}, "n": 3, "f": 1.5, "big": 1e6, "empty": "", "on": true}),
        );
        ctx.insert(
            "Release",
            &serde_json::json!({"Name": "rel", "Namespace": "ns"}),
        );
        ctx.insert(
            HELPERS_KEY,
            &serde_json::json!({"llm-d-modelservice.fullname": "rel-llm-d-modelservice"}),
        );
        let t = translate_helm(src).map_err(|e| e.1)?;
        tera.render_str(&t, &ctx, false)
            .map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn helm_dialect_renders_like_helm() {
        let cases = [
            ("{{ .Values.a.b }}", "x"),
            ("{{ .Values.missing }}", ""),
            ("{{ .Values.n }}", "3"),
            ("{{ .Values.f }}", "1.5"),
            ("{{ .Values.big }}", "1e+06"),
            ("{{ .Values.on }}", "true"),
            ("{{ $.Release.Name }}-x", "rel-x"),
            ("{{ .Values.a.b | quote }}", "\"x\""),
            ("{{ quote .Values.a.b }}", "\"x\""),
            ("{{ .Values.empty | default \"d\" }}", "d"),
            ("{{ default \"d\" .Values.missing }}", "d"),
            ("{{ default \"d\" .Values.a.b }}", "x"),
            ("{{ .Release.Name | upper | quote }}", "\"REL\""),
            (
                "{{ include \"llm-d-modelservice.fullname\" . }}-cm",
                "rel-llm-d-modelservice-cm",
            ),
            ("{{ printf \"%s-%d\" .Release.Name .Values.n }}", "rel-3"),
            ("{{ trunc 2 .Release.Name }}", "re"),
            ("{{ .Release.Name | trimSuffix \"l\" }}", "re"),
            ("{{ replace \"e\" \"E\" .Release.Name }}", "rEl"),
            ("{{- .Release.Name -}}", "rel"),
            ("a{{/* note */}}b", "ab"),
            ("{{ (.Values.a.b) | upper }}", "X"),
            // Tera's tags and comments are text in a chart value, as in
            // Helm: no loop runs.
            (
                "{% for x in range(end=100000) %}{% for y in range(end=100000) %}{% endfor %}{% endfor %}",
                "{% for x in range(end=100000) %}{% for y in range(end=100000) %}{% endfor %}{% endfor %}",
            ),
            ("a {# b #} {{ .Values.n }}{%", "a {# b #} 3{%"),
            ("{{ .Values.n -}}  {% x  {{- .Values.n }}", "3{% x3"),
        ];
        for (src, want) in cases {
            assert_eq!(render(src).as_deref(), Ok(want), "{src}");
        }
    }

    #[test]
    fn unsupported_go_is_an_error() {
        for src in [
            "{{ if .Values.a }}x{{ end }}",
            "{{ $x := 1 }}",
            "{{ toYaml .Values.a }}",
            "{{ include \"x\" .Values }}",
        ] {
            assert!(render(src).is_err(), "{src}");
        }
        assert!(
            render("{{ .Values.a.zz.q }}").is_err(),
            "a missing map in the middle fails as in Go"
        );
    }

    #[test]
    fn go_floats() {
        assert_eq!(go_float(5.0), "5");
        assert_eq!(go_float(0.5), "0.5");
        assert_eq!(go_float(1e21), "1e+21");
        assert_eq!(go_float(0.00001), "1e-05");
    }
}
