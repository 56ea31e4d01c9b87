//! Go's `fmt` printing of template values: `%v` of maps (`map[a:1 b:2]`),
//! slices (`[a b]`), floats (`2e+06`, `0.8`, `2`), nil (`<nil>`), and the
//! `printf` verbs templates use, with Go's `%!verb(type=value)` for a
//! mismatch.

use std::fmt::Write as _;

use super::value::{IntKind, Value};

/// strconv.FormatFloat(f, 'g', -1, 64): the shortest text that reads back.
pub fn float_g(f: f64) -> String {
    float_g_prec(f, None, false)
}

/// The shortest (or `prec`-digit) decimal digits of `f` and its decimal
/// point position: `f = 0.DIGITS × 10^dp`.
fn digits(f: f64, prec: Option<usize>) -> (String, i32) {
    let s = match prec {
        Some(p) => format!("{:.*e}", p.max(1) - 1, f.abs()),
        None => format!("{:e}", f.abs()),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut d: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    while d.len() > 1 && d.ends_with('0') {
        d.pop();
    }
    if d == "0" {
        return (d, 1);
    }
    (d, exp + 1)
}

fn special(f: f64, plus: bool) -> Option<String> {
    if f.is_nan() {
        Some("NaN".into())
    } else if f.is_infinite() {
        let _ = plus;
        Some(if f < 0.0 {
            "-Inf".into()
        } else {
            "+Inf".into()
        })
    } else {
        None
    }
}

fn float_g_prec(f: f64, prec: Option<usize>, upper: bool) -> String {
    if let Some(s) = special(f, false) {
        return s;
    }
    let neg = f.is_sign_negative();
    let (d, dp) = digits(f, prec);
    let nd = d.len() as i32;
    let mut eprec = prec.map_or(nd, |p| p.max(1) as i32);
    if eprec > nd && nd >= dp {
        eprec = nd;
    }
    if prec.is_none() {
        eprec = 6;
    }
    let exp = dp - 1;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if exp < -4 || exp >= eprec {
        out.push_str(&d[..1]);
        if nd > 1 {
            out.push('.');
            out.push_str(&d[1..]);
        }
        out.push(if upper { 'E' } else { 'e' });
        push_exp(&mut out, exp);
    } else if dp <= 0 {
        out.push_str("0.");
        for _ in 0..-dp {
            out.push('0');
        }
        out.push_str(&d);
    } else if dp >= nd {
        out.push_str(&d);
        for _ in 0..dp - nd {
            out.push('0');
        }
    } else {
        out.push_str(&d[..dp as usize]);
        out.push('.');
        out.push_str(&d[dp as usize..]);
    }
    out
}

fn push_exp(out: &mut String, exp: i32) {
    out.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        out.push('0');
    }
    let _ = write!(out, "{e}");
}

fn float_e(f: f64, prec: usize, upper: bool) -> String {
    if let Some(s) = special(f, false) {
        return s;
    }
    let s = format!("{:.*e}", prec, f);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut out = mant.to_string();
    out.push(if upper { 'E' } else { 'e' });
    push_exp(&mut out, exp);
    out
}

fn float_f(f: f64, prec: usize) -> String {
    if let Some(s) = special(f, false) {
        return s;
    }
    format!("{:.*}", prec, f)
}

/// strconv.Quote: Go's double-quoted string with escapes.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    quote_into(&mut out, s, '"', false);
    out.push('"');
    out
}

/// strconv.QuoteToASCII.
pub fn quote_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    quote_into(&mut out, s, '"', true);
    out.push('"');
    out
}

fn quote_into(out: &mut String, s: &str, q: char, ascii: bool) {
    for c in s.chars() {
        match c {
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if ascii && (c as u32) >= 0x80 || !is_print(c) => {
                if (c as u32) < 0x10000 {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                } else {
                    let _ = write!(out, "\\U{:08x}", c as u32);
                }
            }
            c => out.push(c),
        }
    }
}

/// Go's unicode.IsPrint, near enough: graphic characters and the ASCII space.
pub fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    // Format characters and private use, unassigned surrogates: not printable.
    !matches!(u, 0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x200b..=0x200f | 0x202a..=0x202e
        | 0x2060..=0x206f | 0xfeff | 0xfff9..=0xfffb | 0xe000..=0xf8ff | 0xf0000..=0x10ffff | 0xfffe | 0xffff)
}

/// Go's `%.Nq` of the first `n` characters, as the parser quotes tokens.
pub fn quote_trunc(s: &str, n: usize) -> String {
    let t: String = s.chars().take(n).collect();
    quote(&t)
}

/// `fmt.Sprint(v)` of one value: `%v`.
pub fn sprint_value(v: &Value) -> String {
    let mut out = String::new();
    write_v(&mut out, v, false, 0);
    out
}

/// How deep printing descends into lists and maps; deeper ones print as
/// `...` (only maps changed in place with `set` can be built that deep).
pub const MAX_PRINT_DEPTH: usize = 200;

fn write_v(out: &mut String, v: &Value, plus: bool, depth: usize) {
    if depth > MAX_PRINT_DEPTH && matches!(v, Value::List(..) | Value::Map(..) | Value::Record(_)) {
        out.push_str("...");
        return;
    }
    match v {
        Value::Missing | Value::Nil => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i, _) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&float_g(*f)),
        Value::String(s) => out.push_str(s),
        Value::List(l, _) => {
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_v(out, x, plus, depth + 1);
            }
            out.push(']');
        }
        Value::Map(m, _) => {
            out.push_str("map[");
            for (i, (k, x)) in m.borrow().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_v(out, x, plus, depth + 1);
            }
            out.push(']');
        }
        Value::Record(r) => {
            out.push('{');
            for (i, (k, x)) in r.fields.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                if plus {
                    out.push_str(k);
                    out.push(':');
                }
                write_v(out, x, plus, depth + 1);
            }
            out.push('}');
        }
    }
}

/// fmt.Sprint: operands separated by a space when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        let is_str = matches!(a, Value::String(_));
        if i > 0 && !is_str && !matches!(args[i - 1], Value::String(_)) {
            out.push(' ');
        }
        write_v(&mut out, a, false, 0);
    }
    out
}

/// fmt.Sprintln: operands always separated by a space, then a newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write_v(&mut out, a, false, 0);
    }
    out.push('\n');
    out
}

#[derive(Default, Clone, Copy)]
struct Flags {
    minus: bool,
    plus: bool,
    /// `%+v`: struct field names.
    plus_v: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
    depth: usize,
}

/// fmt.Sprintf.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    sprintf_limited(format, args, usize::MAX).unwrap_or_default()
}

/// Go's parsenum: digits up to 1e6 (more is Go's "too large").
fn parse_num(b: &[u8], mut i: usize) -> (Option<usize>, usize, bool) {
    let start = i;
    let mut n: usize = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        if n > 1_000_000 {
            return (None, b.len(), true);
        }
        n = n * 10 + usize::from(b[i] - b'0');
        i += 1;
    }
    ((i > start).then_some(n), i, false)
}

/// Go's explicit argument index `[n]` at `b[*i]`, if there is one.
fn arg_index(
    b: &[u8],
    i: &mut usize,
    argi: &mut usize,
    nargs: usize,
    bad: &mut bool,
    reordered: &mut bool,
) {
    if b.get(*i) != Some(&b'[') {
        return;
    }
    *reordered = true;
    let rest = &b[*i..];
    if rest.len() < 3 {
        *i += 1;
        *bad = true;
        return;
    }
    match rest.iter().position(|&c| c == b']') {
        Some(close) => {
            let digits = &rest[1..close];
            let n = std::str::from_utf8(digits)
                .ok()
                .filter(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()) && d.len() < 8)
                .and_then(|d| d.parse::<usize>().ok());
            *i += close + 1;
            match n {
                Some(n) if n >= 1 && n <= nargs => *argi = n - 1,
                _ => *bad = true,
            }
        }
        None => {
            *i += 1;
            *bad = true;
        }
    }
}

/// fmt.Sprintf, or None once the text passes `limit` bytes.
pub fn sprintf_limited(format: &str, args: &[Value], limit: usize) -> Option<String> {
    let mut out = String::new();
    let mut reordered = false;
    let mut argi = 0;
    let b = format.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if out.len() > limit {
            return None;
        }
        let start = i;
        while i < b.len() && b[i] != b'%' {
            i += 1;
        }
        out.push_str(&format[start..i]);
        if i >= b.len() {
            break;
        }
        i += 1; // the %
        let mut f = Flags::default();
        let mut bad_index = false;
        while i < b.len() {
            match b[i] {
                b'-' => {
                    f.minus = true;
                    f.zero = false;
                }
                b'+' => f.plus = true,
                b'#' => f.sharp = true,
                b' ' => f.space = true,
                b'0' => f.zero = !f.minus,
                _ => break,
            }
            i += 1;
        }
        arg_index(
            b,
            &mut i,
            &mut argi,
            args.len(),
            &mut bad_index,
            &mut reordered,
        );
        if i < b.len() && b[i] == b'*' {
            i += 1;
            match args.get(argi) {
                Some(Value::Int(n, _)) if n.unsigned_abs() <= 1_000_000 => {
                    argi += 1;
                    if *n < 0 {
                        f.minus = true;
                        f.zero = false;
                    }
                    f.width = Some(n.unsigned_abs() as usize);
                }
                _ => {
                    argi += 1;
                    out.push_str("%!(BADWIDTH)");
                }
            }
        } else {
            let (w, next, too_large) = parse_num(b, i);
            i = next;
            if too_large {
                out.push_str("%!(NOVERB)");
                break;
            }
            f.width = w;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            if i < b.len() && b[i] == b'*' {
                i += 1;
                match args.get(argi) {
                    Some(Value::Int(n, _)) if (0..=1_000_000).contains(n) => {
                        f.prec = Some(*n as usize)
                    }
                    _ => out.push_str("%!(BADPREC)"),
                }
                argi += 1;
            } else {
                let (p, next, too_large) = parse_num(b, i);
                i = next;
                if too_large {
                    out.push_str("%!(NOVERB)");
                    break;
                }
                f.prec = Some(p.unwrap_or(0));
            }
        }
        arg_index(
            b,
            &mut i,
            &mut argi,
            args.len(),
            &mut bad_index,
            &mut reordered,
        );
        let Some(verb) = format[i..].chars().next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        i += verb.len_utf8();
        if verb == '%' {
            out.push('%');
            continue;
        }
        if bad_index {
            let _ = write!(out, "%!{verb}(BADINDEX)");
            continue;
        }
        let Some(arg) = args.get(argi) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        argi += 1;
        format_one(&mut out, arg, verb, f);
    }
    if !reordered && argi < args.len() {
        out.push_str("%!(EXTRA ");
        for (k, a) in args[argi..].iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            if matches!(a, Value::Nil | Value::Missing) {
                out.push_str("<nil>");
            } else {
                let _ = write!(out, "{}={}", a.type_name(), sprint_value(a));
            }
        }
        out.push(')');
    }
    Some(out)
}

/// Pads `s` to the width: zeros with `0` (after the sign when `numeric`;
/// no zeros when `numeric` is None, as for Go's infinities and ints with
/// a precision), spaces otherwise.
fn pad(out: &mut String, s: &str, f: Flags, numeric: bool) {
    pad_with(out, s, f, Some(numeric))
}

fn pad_with(out: &mut String, s: &str, f: Flags, numeric: Option<bool>) {
    let n = s.chars().count();
    let w = f.width.unwrap_or(0);
    if n >= w {
        out.push_str(s);
    } else if f.minus {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', w - n));
    } else if f.zero && numeric == Some(false) {
        out.extend(std::iter::repeat_n('0', w - n));
        out.push_str(s);
    } else if f.zero && numeric == Some(true) {
        // Zeros go after the sign.
        let (sign, rest) = match s.as_bytes().first() {
            Some(b'-' | b'+' | b' ') => s.split_at(1),
            _ => ("", s),
        };
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', w - n));
        out.push_str(rest);
    } else {
        out.extend(std::iter::repeat_n(' ', w - n));
        out.push_str(s);
    }
}

fn bad_verb(out: &mut String, v: &Value, verb: char, f: Flags) {
    match v {
        Value::Nil | Value::Missing => {
            let _ = write!(out, "%!{verb}(<nil>)");
        }
        _ => {
            let _ = write!(out, "%!{verb}({}=", v.type_name());
            format_one(out, v, 'v', Flags { plus: false, ..f });
            out.push(')');
        }
    }
}

/// strconv.FormatFloat(f, 'b', -1, 64): mantissa `p` binary exponent.
fn float_b(x: f64) -> String {
    if let Some(s) = special(x, false) {
        return s;
    }
    let bits = x.to_bits();
    let neg = bits >> 63 == 1;
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    let e = if exp == 0 {
        -1074
    } else {
        mant |= 1u64 << 52;
        exp - 1075
    };
    format!(
        "{}{mant}p{}{}",
        if neg { "-" } else { "" },
        if e < 0 { "-" } else { "+" },
        e.abs()
    )
}

/// strconv.FormatFloat(f, 'x', -1, 64).
fn float_x(x: f64, upper: bool, sharp: bool) -> String {
    if let Some(s) = special(x, false) {
        return s;
    }
    let neg = x.is_sign_negative();
    let bits = x.abs().to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i32;
    let mut mant = bits & ((1u64 << 52) - 1);
    let s = if exp == 0 && mant == 0 {
        "0x0p+00".to_string()
    } else {
        if exp == 0 {
            // Subnormal: shift until the leading bit is the implicit one.
            exp = 1;
            while mant & (1u64 << 52) == 0 {
                mant <<= 1;
                exp -= 1;
            }
            mant &= (1u64 << 52) - 1;
        }
        let e = exp - 1023;
        let mut hex = format!("{mant:013x}");
        while hex.ends_with('0') {
            hex.pop();
        }
        // `#` keeps at least four digits.
        while sharp && hex.len() < 4 {
            hex.push('0');
        }
        let mut s = String::from("0x1");
        if !hex.is_empty() {
            s.push('.');
            s.push_str(&hex);
        }
        s.push('p');
        push_exp(&mut s, e);
        s
    };
    let s = if neg { format!("-{s}") } else { s };
    if upper { s.to_uppercase() } else { s }
}

fn sign(s: String, f: Flags, neg: bool) -> String {
    if neg {
        s
    } else if f.plus {
        format!("+{s}")
    } else if f.space {
        format!(" {s}")
    } else {
        s
    }
}

fn format_one(out: &mut String, v: &Value, verb: char, f: Flags) {
    if f.depth > MAX_PRINT_DEPTH && matches!(v, Value::List(..) | Value::Map(..) | Value::Record(_))
    {
        out.push_str("...");
        return;
    }
    let inner = Flags {
        depth: f.depth + 1,
        ..f
    };
    if verb == 'T' {
        let t = match v {
            Value::Nil | Value::Missing => "<nil>".to_string(),
            _ => v.type_name(),
        };
        pad(out, &t, f, false);
        return;
    }
    if verb == 'v' && f.sharp {
        go_syntax(out, v, f.depth);
        return;
    }
    // %+v means field names, not signs.
    let f = if verb == 'v' && f.plus {
        Flags {
            plus: false,
            plus_v: true,
            ..f
        }
    } else {
        f
    };
    match v {
        Value::Missing | Value::Nil => match verb {
            'v' => pad(out, "<nil>", f, false),
            _ => bad_verb(out, v, verb, f),
        },
        Value::Bool(b) => match verb {
            'v' | 't' => pad(out, if *b { "true" } else { "false" }, f, false),
            _ => bad_verb(out, v, verb, f),
        },
        Value::Int(n, _) => format_int(out, *n, v, verb, f),
        Value::Float(x) => {
            let neg = x.is_sign_negative() && !x.is_nan();
            let s = match verb {
                'v' | 'g' => float_g_prec(*x, f.prec, false),
                'G' => float_g_prec(*x, f.prec, true),
                'e' => float_e(*x, f.prec.unwrap_or(6), false),
                'E' => float_e(*x, f.prec.unwrap_or(6), true),
                'f' | 'F' => float_f(*x, f.prec.unwrap_or(6)),
                'x' => float_x(*x, false, f.sharp),
                'X' => float_x(*x, true, f.sharp),
                'b' => float_b(*x),
                _ => return bad_verb(out, v, verb, f),
            };
            let s = sign(s, f, neg);
            if x.is_finite() {
                pad(out, &s, f, true);
            } else {
                pad_with(out, &s, f, None);
            }
        }
        Value::String(s) => match verb {
            'v' | 's' => {
                let t: String = match f.prec {
                    Some(p) => s.chars().take(p).collect(),
                    None => s.to_string(),
                };
                pad(out, &t, f, false)
            }
            'q' => {
                let t: String = match f.prec {
                    Some(p) => s.chars().take(p).collect(),
                    None => s.to_string(),
                };
                let q = if f.sharp
                    && !t.contains('`')
                    && t.chars().all(|c| c != '\n' && is_print(c) || c == '\t')
                {
                    format!("`{t}`")
                } else if f.plus {
                    quote_ascii(&t)
                } else {
                    quote(&t)
                };
                pad(out, &q, f, false)
            }
            'x' | 'X' => {
                let mut h = String::new();
                if f.sharp {
                    h.push_str(if verb == 'x' { "0x" } else { "0X" });
                }
                for (i, byte) in s.bytes().enumerate() {
                    if f.space && i > 0 {
                        h.push(' ');
                    }
                    if verb == 'x' {
                        let _ = write!(h, "{byte:02x}");
                    } else {
                        let _ = write!(h, "{byte:02X}");
                    }
                }
                pad(out, &h, f, false)
            }
            _ => bad_verb(out, v, verb, f),
        },
        Value::List(l, _) => {
            if verb == 'T' {
                return;
            }
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                elem(out, x, verb, inner);
            }
            out.push(']');
        }
        Value::Map(m, _) => {
            out.push_str("map[");
            for (i, (k, x)) in m.borrow().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                format_one(out, &Value::str(k.as_str()), verb, f);
                out.push(':');
                elem(out, x, verb, inner);
            }
            out.push(']');
        }
        Value::Record(r) => {
            out.push('{');
            for (i, (k, x)) in r.fields.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                if f.plus_v {
                    out.push_str(k);
                    out.push(':');
                }
                format_one(out, x, verb, inner);
            }
            out.push('}');
        }
    }
}

/// `%#v`: the value as Go source.
fn go_syntax(out: &mut String, v: &Value, depth: usize) {
    if depth > MAX_PRINT_DEPTH {
        out.push_str("...");
        return;
    }
    match v {
        Value::Missing | Value::Nil => out.push_str("<nil>"),
        Value::String(s) => out.push_str(&quote(s)),
        Value::List(l, _) => {
            out.push_str(&v.type_name());
            out.push('{');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match x {
                    Value::Nil | Value::Missing => out.push_str("interface {}(nil)"),
                    x => go_syntax(out, x, depth + 1),
                }
            }
            out.push('}');
        }
        Value::Map(m, _) => {
            out.push_str(&v.type_name());
            out.push('{');
            for (i, (k, x)) in m.borrow().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quote(k));
                out.push(':');
                match x {
                    Value::Nil | Value::Missing => out.push_str("interface {}(nil)"),
                    x => go_syntax(out, x, depth + 1),
                }
            }
            out.push('}');
        }
        Value::Record(r) => {
            out.push_str(&r.type_name);
            out.push('{');
            for (i, (k, x)) in r.fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push(':');
                go_syntax(out, x, depth + 1);
            }
            out.push('}');
        }
        v => write_v(out, v, false, depth),
    }
}

/// An element of a slice or map: a nil interface is `<nil>` whatever the
/// verb, unpadded.
fn elem(out: &mut String, x: &Value, verb: char, f: Flags) {
    match x {
        Value::Nil | Value::Missing => out.push_str("<nil>"),
        x => format_one(out, x, verb, f),
    }
}

fn format_int(out: &mut String, n: i64, v: &Value, verb: char, f: Flags) {
    let neg = n < 0;
    let a = n.unsigned_abs();
    let body = match verb {
        'v' | 'd' => a.to_string(),
        'x' => format!("{}{a:x}", if f.sharp { "0x" } else { "" }),
        'X' => format!("{}{a:X}", if f.sharp { "0X" } else { "" }),
        'o' => format!("{}{a:o}", if f.sharp { "0" } else { "" }),
        'O' => format!("0o{a:o}"),
        'b' => format!("{a:b}"),
        'c' => {
            let c = char::from_u32(n as u32).unwrap_or('\u{fffd}');
            return pad(out, &c.to_string(), f, false);
        }
        'q' => {
            let c = char::from_u32(n as u32).unwrap_or('\u{fffd}');
            let mut s = String::from("'");
            quote_into(&mut s, &c.to_string(), '\'', false);
            s.push('\'');
            return pad(out, &s, f, false);
        }
        'U' => {
            let mut s = format!("U+{a:04X}");
            if f.sharp
                && let Some(c) = char::from_u32(n as u32)
            {
                s.push_str(&format!(" '{c}'"));
            }
            return pad(out, &s, f, false);
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => return bad_verb(out, v, verb, f),
        _ => return bad_verb(out, v, verb, f),
    };
    let mut body = body;
    if let Some(p) = f.prec {
        let digits = body.trim_start_matches("0x").trim_start_matches("0X");
        if digits.len() < p {
            let prefix = &body[..body.len() - digits.len()];
            body = format!("{prefix}{}{digits}", "0".repeat(p - digits.len()));
        }
    }
    let s = if neg { format!("-{body}") } else { body };
    if f.prec.is_none() {
        pad(out, &sign(s, f, neg), f, true);
    } else {
        pad_with(out, &sign(s, f, neg), f, None);
    }
    let _ = IntKind::Int;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_go() {
        for (f, want) in [
            (2e6, "2e+06"),
            (0.8, "0.8"),
            (2.0, "2"),
            (100000.0, "100000"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-0.0, "-0"),
            (1.5e300, "1.5e+300"),
        ] {
            assert_eq!(float_g(f), want, "{f}");
        }
    }

    #[test]
    fn printf_verbs() {
        let v = [Value::Float(3.25), Value::str("x"), Value::int(42)];
        assert_eq!(sprintf("%.2f|%s|%05d|%d", &v), "3.25|x|00042|%!d(MISSING)");
        assert_eq!(sprintf("%d", &[Value::str("a")]), "%!d(string=a)");
        assert_eq!(sprintf("x", &[Value::int(1)]), "x%!(EXTRA int=1)");
    }
}
