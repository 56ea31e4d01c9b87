//! Go's `text/template` builtins, with their error texts.

use std::fmt::Write as _;
use std::rc::Rc;

use super::super::fmt::{is_print, sprint, sprint_value, sprintf, sprintf_limited, sprintln};
use super::super::value::{Elem, IntKind, Value};
use super::{FResult, FuncError, FuncMap, Ty, add};

const ZERO_TYPE: &str = "reflect: call of reflect.Value.Type on zero Value";

pub fn register(m: &mut FuncMap) {
    // `and` and `or` are evaluated lazily by the executor; these bodies
    // are never called.
    add(m, "and", &[Ty::Reflect], Some(Ty::Reflect), |_, a| {
        Ok(a[0].clone())
    });
    add(m, "or", &[Ty::Reflect], Some(Ty::Reflect), |_, a| {
        Ok(a[0].clone())
    });
    add(m, "not", &[Ty::Reflect], None, |_, a| {
        Ok(Value::Bool(!a[0].truthy()))
    });
    add(m, "len", &[Ty::Reflect], None, |_, a| length(&a[0]));
    add(m, "index", &[Ty::Reflect], Some(Ty::Reflect), |_, a| {
        index(&a[0], &a[1..])
    });
    add(m, "slice", &[Ty::Reflect], Some(Ty::Reflect), |ctx, a| {
        let _ = ctx;
        slice(&a[0], &a[1..])
    });
    add(m, "eq", &[Ty::Reflect], Some(Ty::Reflect), |_, a| {
        eq(&a[0], &a[1..]).map(Value::Bool)
    });
    add(m, "ne", &[Ty::Reflect, Ty::Reflect], None, |_, a| {
        eq(&a[0], &a[1..2]).map(|b| Value::Bool(!b))
    });
    add(m, "lt", &[Ty::Reflect, Ty::Reflect], None, |_, a| {
        lt(&a[0], &a[1]).map(Value::Bool)
    });
    add(m, "le", &[Ty::Reflect, Ty::Reflect], None, |_, a| {
        le(&a[0], &a[1]).map(Value::Bool)
    });
    add(m, "gt", &[Ty::Reflect, Ty::Reflect], None, |_, a| {
        le(&a[0], &a[1]).map(|b| Value::Bool(!b))
    });
    add(m, "ge", &[Ty::Reflect, Ty::Reflect], None, |_, a| {
        lt(&a[0], &a[1]).map(|b| Value::Bool(!b))
    });
    add(m, "print", &[], Some(Ty::Any), |ctx, a| {
        let s = sprint(a);
        ctx.check_size(s.len())?;
        Ok(Value::str(s))
    });
    add(m, "println", &[], Some(Ty::Any), |ctx, a| {
        let s = sprintln(a);
        ctx.check_size(s.len())?;
        Ok(Value::str(s))
    });
    add(m, "printf", &[Ty::Str], Some(Ty::Any), |ctx, a| {
        let f = a[0].as_str().unwrap_or_default();
        match sprintf_limited(f, &a[1..], ctx.limits.output) {
            Some(s) if s.len() <= ctx.limits.output => Ok(Value::str(s)),
            _ => Err(FuncError::Budget(super::super::Limit::Output(
                ctx.limits.output,
            ))),
        }
    });
    add(m, "html", &[], Some(Ty::Any), |_, a| {
        Ok(Value::str(html_escape(&eval_args(a))))
    });
    add(m, "js", &[], Some(Ty::Any), |_, a| {
        Ok(Value::str(js_escape(&eval_args(a))))
    });
    add(m, "urlquery", &[], Some(Ty::Any), |_, a| {
        Ok(Value::str(query_escape(&eval_args(a))))
    });
    add(
        m,
        "call",
        &[Ty::Reflect],
        Some(Ty::Reflect),
        |_, a| match &a[0] {
            Value::Missing | Value::Nil => Err("call of nil".into()),
            v => Err(format!("non-function of type {}", v.type_name()).into()),
        },
    );
}

fn length(v: &Value) -> FResult {
    Ok(Value::int(match v {
        Value::Missing => return Err(ZERO_TYPE.into()),
        Value::Nil => return Err("len of nil pointer".into()),
        Value::String(s) => s.len() as i64,
        Value::List(l, _) => l.len() as i64,
        Value::Map(m, _) => m.borrow().len() as i64,
        v => return Err(format!("len of type {}", v.type_name()).into()),
    }))
}

fn index_arg(i: &Value, cap: usize) -> Result<usize, FuncError> {
    let x = match i {
        Value::Int(n, _) => *n,
        Value::Missing | Value::Nil => return Err("cannot index slice/array with nil".into()),
        v => return Err(format!("cannot index slice/array with type {}", v.type_name()).into()),
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}").into());
    }
    Ok(x as usize)
}

fn index(item: &Value, indexes: &[Value]) -> FResult {
    if matches!(item, Value::Missing | Value::Nil) {
        return Err("index of untyped nil".into());
    }
    let mut item = item.clone();
    for i in indexes {
        item = match &item {
            Value::Nil => return Err("index of nil pointer".into()),
            Value::List(l, _) => {
                let x = index_arg(i, l.len())?;
                match l.get(x) {
                    Some(v) => v.clone(),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::String(s) => {
                let x = index_arg(i, s.len())?;
                match s.as_bytes().get(x) {
                    Some(b) => Value::Int(i64::from(*b), IntKind::Uint8),
                    None => return Err("reflect: string index out of range".into()),
                }
            }
            Value::Map(m, elem) => {
                let key = match i {
                    Value::String(k) => k.clone(),
                    Value::Missing | Value::Nil => {
                        return Err("value is nil; should be of type string".into());
                    }
                    v => {
                        return Err(
                            format!("value has type {}; should be string", v.type_name()).into(),
                        );
                    }
                };
                let found = m.borrow().get(&*key).cloned();
                match found {
                    Some(v) => v,
                    None if *elem == Elem::Str => Value::str(""),
                    None => Value::Nil,
                }
            }
            Value::Missing => return Err(ZERO_TYPE.into()),
            v => return Err(format!("can't index item of type {}", v.type_name()).into()),
        };
    }
    Ok(item)
}

fn slice(item: &Value, indexes: &[Value]) -> FResult {
    if matches!(item, Value::Missing | Value::Nil) {
        return Err("slice of untyped nil".into());
    }
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()).into());
    }
    let len = match item {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            s.len()
        }
        Value::List(l, _) => l.len(),
        v => return Err(format!("can't slice item of type {}", v.type_name()).into()),
    };
    let mut idx = [0, len, len];
    for (k, i) in indexes.iter().enumerate() {
        idx[k] = index_arg(i, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]).into());
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]).into());
    }
    Ok(match item {
        Value::String(s) => {
            Value::str(String::from_utf8_lossy(&s.as_bytes()[idx[0]..idx[1]]).into_owned())
        }
        Value::List(l, e) => Value::List(Rc::new(l[idx[0]..idx[1]].to_vec()), *e),
        _ => Value::Missing,
    })
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Basic {
    Invalid,
    Bool,
    Int,
    Float,
    Str,
}

fn basic(v: &Value) -> Basic {
    match v {
        Value::Bool(_) => Basic::Bool,
        Value::Int(..) => Basic::Int,
        Value::Float(_) => Basic::Float,
        Value::String(_) => Basic::Str,
        _ => Basic::Invalid,
    }
}

fn is_zero(v: &Value) -> bool {
    matches!(v, Value::Missing | Value::Nil)
}

fn kind_of(v: &Value) -> u8 {
    match v {
        Value::Missing | Value::Nil => 0,
        Value::List(..) => 1,
        Value::Map(..) => 2,
        Value::Record(_) => 3,
        _ => 4,
    }
}

fn eq(a: &Value, rest: &[Value]) -> Result<bool, FuncError> {
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic(a);
    for b in rest {
        let k2 = basic(b);
        let truth = if k1 != k2 {
            if !is_zero(a) && !is_zero(b) {
                return Err("incompatible types for comparison".into());
            }
            false
        } else {
            match (a, b) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Int(x, _), Value::Int(y, _)) => x == y,
                (Value::Float(x), Value::Float(y)) => x == y,
                (Value::String(x), Value::String(y)) => x == y,
                _ => {
                    let (ka, kb) = (kind_of(a), kind_of(b));
                    if ka != kb && ka != 0 && kb != 0 {
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            sprintf("%s", std::slice::from_ref(a)),
                            a.type_name(),
                            b.type_name(),
                            sprint_value(b)
                        )
                        .into());
                    }
                    if is_zero(a) || is_zero(b) {
                        is_zero(a) == is_zero(b)
                    } else if matches!(b, Value::List(..) | Value::Map(..)) {
                        return Err(format!(
                            "non-comparable type {}: {}",
                            sprintf("%s", std::slice::from_ref(b)),
                            b.type_name()
                        )
                        .into());
                    } else {
                        a == b
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(a: &Value, b: &Value) -> Result<bool, FuncError> {
    let (k1, k2) = (basic(a), basic(b));
    if k1 == Basic::Invalid || k2 == Basic::Invalid {
        return Err("invalid type for comparison".into());
    }
    if k1 != k2 {
        return Err("incompatible types for comparison".into());
    }
    Ok(match (a, b) {
        (Value::Int(x, _), Value::Int(y, _)) => x < y,
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::String(x), Value::String(y)) => x < y,
        _ => return Err("invalid type for comparison".into()),
    })
}

fn le(a: &Value, b: &Value) -> Result<bool, FuncError> {
    if lt(a, b)? {
        return Ok(true);
    }
    eq(a, std::slice::from_ref(b))
}

/// Go's evalArgs: one string as is, else fmt.Sprint of the arguments.
fn eval_args(a: &[Value]) -> String {
    if let [Value::String(s)] = a {
        return s.to_string();
    }
    let printable: Vec<Value> = a
        .iter()
        .map(|v| match v {
            Value::Nil | Value::Missing => Value::str("<no value>"),
            v => v.clone(),
        })
        .collect();
    sprint(&printable)
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u00{:02X}", c as u32);
            }
            c if (c as u32) < 0x80 => out.push(c),
            c if is_print(c) => out.push(c),
            c => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
        }
    }
    out
}

/// url.QueryEscape.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}
