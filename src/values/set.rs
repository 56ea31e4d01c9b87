//! `--set` in Helm's syntax (`pkg/strvals`): `a.b=c`, `a[0].b=c`,
//! `a={x,y}`, several pairs split by `,`, `\` escaping the next character.
//! Values are typed as Helm types them: `true`/`false`/`null` in any case,
//! integers without a leading zero, everything else (floats too) a string.
//! Each `--set` parses into the values merged so far, so an index reaches
//! into a list a `-f` file gave.

use std::sync::Arc;

use crate::error::{Diagnostic, Span, Stage};
use crate::yaml::{Mapping, Node, Value};

/// Helm's caps on list indexes and key nesting.
pub const MAX_INDEX: usize = 65536;
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// Parses one `--set` argument into `base` (a map).
pub fn parse_into(arg: &str, base: &mut Node) -> Result<(), Diagnostic> {
    parse_with(arg, base, "--set", false)
}

/// Parses one `--set-string` argument into `base`: every value a string.
pub fn parse_string_into(arg: &str, base: &mut Node) -> Result<(), Diagnostic> {
    parse_with(arg, base, "--set-string", true)
}

fn parse_with(arg: &str, base: &mut Node, flag: &str, strings: bool) -> Result<(), Diagnostic> {
    let span = Span::new(Arc::from(format!("{flag} {arg}")), 0, 0);
    let mut p = Parser {
        chars: arg.chars().collect(),
        pos: 0,
        span: span.clone(),
        strings,
    };
    if base.as_map().is_none() {
        base.value = Value::Map(Mapping::new());
    }
    let Value::Map(data) = &mut base.value else {
        return Ok(());
    };
    loop {
        match p.key(data, 0, &[]) {
            Ok(()) => continue,
            Err(Stop::Eof) => return Ok(()),
            Err(Stop::Error {
                path,
                message,
                help,
            }) => {
                let mut d = Diagnostic::new(Stage::Values, span, message).with_path(path.join("."));
                d.help = Some(help.unwrap_or_else(|| {
                    "write --set KEY=VALUE, KEY.SUB=VALUE, KEY[0]=VALUE or KEY={A,B}; escape , . = [ with \\".into()
                }));
                return Err(d);
            }
        }
    }
}

/// Helm's typing of an unquoted `--set` value.
pub fn typed_value(s: &str) -> Value {
    if s.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if s.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if s.eq_ignore_ascii_case("null") {
        return Value::Null;
    }
    if s == "0" {
        return Value::Int(0);
    }
    if !s.is_empty() && !s.starts_with('0') {
        // Go's ParseInt: optional sign, decimal digits, no `_`.
        let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
        if !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && let Ok(i) = s.parse::<i64>()
        {
            return Value::Int(i);
        }
    }
    Value::String(s.to_string())
}

enum Stop {
    /// Input ended: the pairs so far stand.
    Eof,
    Error {
        path: Vec<String>,
        message: String,
        help: Option<String>,
    },
}

fn err(path: &[String], message: impl Into<String>) -> Stop {
    Stop::Error {
        path: path.to_vec(),
        message: message.into(),
        help: None,
    }
}

enum ListErr {
    NotList,
    Stop(Stop),
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    span: Span,
    /// `--set-string`: no typing of values.
    strings: bool,
}

impl Parser {
    fn typed(&self, s: &str) -> Value {
        if self.strings {
            Value::String(s.to_string())
        } else {
            typed_value(s)
        }
    }

    fn node(&self, value: Value) -> Node {
        Node::new(value, self.span.clone())
    }

    /// Reads up to one of `stop`, unescaping `\x`. `Err` carries what was
    /// read when the input ended first.
    fn runes_until(&mut self, stop: &[char]) -> Result<(String, char), String> {
        let mut v = String::new();
        loop {
            let Some(&c) = self.chars.get(self.pos) else {
                return Err(v);
            };
            self.pos += 1;
            if stop.contains(&c) {
                return Ok((v, c));
            }
            if c == '\\' {
                let Some(&next) = self.chars.get(self.pos) else {
                    return Err(v);
                };
                self.pos += 1;
                v.push(next);
            } else {
                v.push(c);
            }
        }
    }

    fn key(&mut self, data: &mut Mapping, level: usize, path: &[String]) -> Result<(), Stop> {
        let (k, last) = match self.runes_until(&['=', '[', ',', '.']) {
            Err(k) if k.is_empty() => return Err(Stop::Eof),
            Err(k) => {
                let p = join(path, &k);
                return Err(Stop::Error {
                    message: format!("key `{}` has no value", p.join(".")),
                    path: p,
                    help: Some("write KEY=VALUE".into()),
                });
            }
            Ok(x) => x,
        };
        let here = join(path, &k);
        match last {
            '[' => {
                let i = self.key_index(&here)?;
                let list = match data.get(&k) {
                    None => Vec::new(),
                    Some(n) => match &n.value {
                        Value::Seq(s) => s.clone(),
                        _ => {
                            return Err(err(
                                &here,
                                format!(
                                    "cannot index `{}`: it is {}, not a list",
                                    here.join("."),
                                    n.type_name()
                                ),
                            ));
                        }
                    },
                };
                let (list, res) = self.list_item(list, i, level, &here);
                set(data, &k, self.node(Value::Seq(list)));
                res
            }
            '=' => match self.val_list(&here) {
                Ok(vl) => {
                    set(data, &k, self.node(Value::Seq(vl)));
                    Ok(())
                }
                Err(ListErr::Stop(Stop::Eof)) => {
                    set(data, &k, self.node(Value::String(String::new())));
                    Err(Stop::Eof)
                }
                Err(ListErr::NotList) => {
                    let (rs, _) = self.val();
                    let v = self.typed(&rs);
                    set(data, &k, self.node(v));
                    Ok(())
                }
                Err(ListErr::Stop(e)) => Err(e),
            },
            ',' => {
                set(data, &k, self.node(Value::String(String::new())));
                Err(Stop::Error {
                    message: format!("key `{}` has no value (cannot end with ,)", here.join(".")),
                    path: here,
                    help: Some("write KEY=VALUE; a literal comma in a value is `\\,`".into()),
                })
            }
            _ => {
                // '.'
                if level + 1 > MAX_NESTED_NAME_LEVEL {
                    return Err(err(
                        &here,
                        format!("key nesting is deeper than {MAX_NESTED_NAME_LEVEL} levels"),
                    ));
                }
                let mut inner = match data.get(&k) {
                    None => Mapping::new(),
                    Some(n) => match &n.value {
                        Value::Map(m) => m.clone(),
                        _ => {
                            return Err(err(
                                &here,
                                format!(
                                    "cannot set a key under `{}`: it is {}, not a map",
                                    here.join("."),
                                    n.type_name()
                                ),
                            ));
                        }
                    },
                };
                let e = self.key(&mut inner, level + 1, &here);
                if e.is_ok() && inner.is_empty() {
                    return Err(err(
                        &here,
                        format!("key map `{}` has no value", here.join(".")),
                    ));
                }
                if !inner.is_empty() {
                    set(data, &k, self.node(Value::Map(inner)));
                }
                e
            }
        }
    }

    fn key_index(&mut self, path: &[String]) -> Result<i64, Stop> {
        let bad = |what: String| Stop::Error {
            path: path.to_vec(),
            message: format!("error parsing index of `{}`: {what}", path.join(".")),
            help: Some("write KEY[N] with N a number from 0".into()),
        };
        match self.runes_until(&[']']) {
            Err(_) => Err(bad("no closing `]`".into())),
            Ok((v, _)) => v
                .parse::<i64>()
                .map_err(|_| bad(format!("`{v}` is not a number"))),
        }
    }

    fn list_item(
        &mut self,
        mut list: Vec<Node>,
        i: i64,
        level: usize,
        path: &[String],
    ) -> (Vec<Node>, Result<(), Stop>) {
        let ipath = join(path, &format!("[{i}]"));
        if i < 0 {
            return (
                list,
                Err(err(path, format!("negative {i} index not allowed"))),
            );
        }
        let i = i as usize;
        let (k, last) = match self.runes_until(&['[', '.', '=']) {
            Ok((k, _)) | Err(k) if !k.is_empty() => {
                return (
                    list,
                    Err(err(
                        &ipath,
                        format!("unexpected data at end of array index: `{k}`"),
                    )),
                );
            }
            Err(_) => return (list, Err(Stop::Eof)),
            Ok(x) => x,
        };
        debug_assert!(k.is_empty());
        match last {
            '=' => {
                let value = match self.val_list(&ipath) {
                    Ok(vl) => Value::Seq(vl),
                    Err(ListErr::Stop(Stop::Eof)) => Value::String(String::new()),
                    Err(ListErr::NotList) => {
                        let (rs, _) = self.val();
                        self.typed(&rs)
                    }
                    Err(ListErr::Stop(e)) => return (list, Err(e)),
                };
                let node = self.node(value);
                let r = set_index(&mut list, i, node, path);
                (list, r)
            }
            '[' => {
                let next = match self.key_index(&ipath) {
                    Ok(n) => n,
                    Err(e) => return (list, Err(e)),
                };
                let current = match list.get(i) {
                    Some(n) if !n.is_null() => match &n.value {
                        Value::Seq(s) => s.clone(),
                        _ => {
                            let e = err(
                                &ipath,
                                format!(
                                    "cannot index `{}`: it is {}, not a list",
                                    ipath.join("."),
                                    n.type_name()
                                ),
                            );
                            return (list, Err(e));
                        }
                    },
                    _ => Vec::new(),
                };
                let (inner, r) = self.list_item(current, next, level, &ipath);
                if let Err(e) = r {
                    return (list, Err(e));
                }
                let node = self.node(Value::Seq(inner));
                let r = set_index(&mut list, i, node, path);
                (list, r)
            }
            _ => {
                // '.'
                let existed = i < list.len();
                let mut inner = match list.get(i).map(|n| &n.value) {
                    Some(Value::Map(m)) => m.clone(),
                    _ => Mapping::new(),
                };
                let e = self.key(&mut inner, level, &ipath);
                if let Err(e) = e {
                    // Helm edits an existing item in place even when the
                    // rest of the pair fails or ends early.
                    if existed {
                        list[i] = self.node(Value::Map(inner));
                    }
                    return (list, Err(e));
                }
                let node = self.node(Value::Map(inner));
                let r = set_index(&mut list, i, node, path);
                (list, r)
            }
        }
    }

    fn val_list(&mut self, path: &[String]) -> Result<Vec<Node>, ListErr> {
        let Some(&c) = self.chars.get(self.pos) else {
            return Err(ListErr::Stop(Stop::Eof));
        };
        if c != '{' {
            return Err(ListErr::NotList);
        }
        self.pos += 1;
        let mut list = Vec::new();
        loop {
            match self.runes_until(&[',', '}']) {
                Err(_) => {
                    return Err(ListErr::Stop(Stop::Error {
                        path: path.to_vec(),
                        message: format!("list value of `{}` must end with `}}`", path.join(".")),
                        help: Some("write KEY={A,B}".into()),
                    }));
                }
                Ok((rs, '}')) => {
                    if self.chars.get(self.pos) == Some(&',') {
                        self.pos += 1;
                    }
                    let v = self.typed(&rs);
                    list.push(self.node(v));
                    return Ok(list);
                }
                Ok((rs, _)) => {
                    let v = self.typed(&rs);
                    list.push(self.node(v));
                }
            }
        }
    }

    /// The value up to the next unescaped `,`; `true` when input ended.
    fn val(&mut self) -> (String, bool) {
        match self.runes_until(&[',']) {
            Ok((v, _)) => (v, false),
            Err(v) => (v, true),
        }
    }
}

fn join(path: &[String], key: &str) -> Vec<String> {
    let mut p = path.to_vec();
    if key.starts_with('[')
        && let Some(last) = p.last_mut()
    {
        last.push_str(key);
        return p;
    }
    p.push(key.to_string());
    p
}

fn set(data: &mut Mapping, key: &str, value: Node) {
    if !key.is_empty() {
        data.insert(key.to_string(), value);
    }
}

fn set_index(list: &mut Vec<Node>, index: usize, value: Node, path: &[String]) -> Result<(), Stop> {
    if index > MAX_INDEX {
        return Err(err(
            path,
            format!("index of {index} is greater than maximum supported index of {MAX_INDEX}"),
        ));
    }
    while list.len() <= index {
        list.push(Node::null());
    }
    list[index] = value;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Origin, parse_one};

    fn y(s: &str) -> Node {
        parse_one(s, &Origin::file("t.yaml")).unwrap()
    }

    fn set_all(base: &str, sets: &[&str]) -> Result<Node, Diagnostic> {
        let mut b = y(base);
        for s in sets {
            parse_into(s, &mut b)?;
        }
        Ok(b)
    }

    #[test]
    fn parses_like_helm() {
        // (--set argument, expected values)
        let cases = [
            ("name=value", "name: value"),
            ("a.b=c", "a: {b: c}"),
            ("a=1,b=2", "{a: 1, b: 2}"),
            ("a=true", "a: true"),
            ("a=TRUE", "a: true"),
            ("a=False", "a: false"),
            ("a=null", "a: null"),
            ("a=0", "a: 0"),
            ("a=007", "a: '007'"),
            ("a=-12", "a: -12"),
            ("a=1.5", "a: '1.5'"),
            ("a=", "a: ''"),
            ("a={x,y}", "a: [x, y]"),
            ("a={1,true}", "a: [1, true]"),
            ("a={}", "a: ['']"),
            ("a={x},b=1", "{a: [x], b: 1}"),
            ("a[0]=x", "a: [x]"),
            ("a[2]=x", "a: [null, null, x]"),
            ("a[0].b=c", "a: [{b: c}]"),
            ("a[0][1]=c", "a: [[null, c]]"),
            ("a\\.b=c", "'a.b': c"),
            ("a=b\\,c", "a: 'b,c'"),
            ("a=b=c", "a: 'b=c'"),
            (
                "uri=pvc+hf://model-pvc/meta-llama/Llama-3.1-8B-Instruct",
                "uri: 'pvc+hf://model-pvc/meta-llama/Llama-3.1-8B-Instruct'",
            ),
            ("", "{}"),
        ];
        for (arg, want) in cases {
            assert_eq!(set_all("{}", &[arg]).unwrap(), y(want), "--set {arg}");
        }
    }

    #[test]
    fn reaches_into_values_so_far() {
        let got = set_all("a: [{b: 1, c: 2}]", &["a[0].b=9"]).unwrap();
        assert_eq!(got, y("a: [{b: 9, c: 2}]"));
        let got = set_all("a: {x: 1}", &["a.y=2"]).unwrap();
        assert_eq!(got, y("a: {x: 1, y: 2}"));
    }

    #[test]
    fn errors_name_the_key() {
        let cases = [
            ("decode.replicas", "decode.replicas"),
            ("a.b", "a.b"),
            ("a=1,b", "b"),
            ("a,b=1", "a"),
            ("a={x", "a"),
            ("a[x]=1", "a"),
            ("a[0]x=1", "a[0]"),
            ("a[-1]=1", "a"),
            ("s.t=1", "s"),
        ];
        for (arg, key) in cases {
            let e = set_all("s: str", &[arg]).unwrap_err();
            assert_eq!(e.path.as_deref(), Some(key), "--set {arg}: {e}");
            assert!(e.to_string().contains(arg), "{e}");
        }
        assert!(set_all("{}", &["a[70000]=1"]).is_err());
    }
}
