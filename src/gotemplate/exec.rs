//! The executor: walks a tree as Go's `text/template` does, with its
//! argument conversion rules, error texts and positions, inside budgets.

use std::collections::HashMap;
use std::rc::Rc;

use super::funcs::{Ctx, Func, Ty};
use super::parse::{Arg, Command, Control, Node, Pipe, Tree};
use super::value::Value;
use super::{Error, ErrorKind, Limit, MissingKey, Options};

/// A value as it sits in a variable or in dot: `boxed` when its static type
/// is `interface {}` (an element of a map or slice of `interface {}`),
/// which Go's messages show.
#[derive(Clone, Debug)]
pub struct Slot {
    pub v: Value,
    pub boxed: bool,
}

impl Slot {
    fn plain(v: Value) -> Slot {
        Slot { v, boxed: false }
    }
}

/// The node Go would name in an error (`s.at(node)`).
#[derive(Clone, Copy)]
enum At<'a> {
    None,
    Node(&'a Node),
    Pipe(&'a Pipe),
    Cmd(&'a Command),
    Arg(&'a Arg),
}

impl At<'_> {
    fn pos(&self) -> Option<usize> {
        match self {
            At::None => None,
            At::Node(n) => Some(match n {
                Node::Text { pos, .. }
                | Node::Action { pos, .. }
                | Node::Control { pos, .. }
                | Node::Template { pos, .. }
                | Node::Break { pos }
                | Node::Continue { pos } => *pos,
                Node::Comment => 0,
            }),
            At::Pipe(p) => Some(p.pos),
            At::Cmd(c) => Some(c.pos),
            At::Arg(a) => Some(a.pos()),
        }
    }

    fn text(&self) -> String {
        match self {
            At::None => String::new(),
            At::Node(n) => n.to_string(),
            At::Pipe(p) => p.to_string(),
            At::Cmd(c) => c.to_string(),
            At::Arg(a) => a.to_string(),
        }
    }
}

pub(super) enum Flow {
    Err(Box<Error>),
    Break,
    Continue,
}

type R<T> = Result<T, Flow>;

pub(super) struct State<'a> {
    pub trees: &'a HashMap<String, Rc<Tree>>,
    pub funcs: &'a HashMap<String, Rc<Func>>,
    pub opts: &'a Options,
    pub tree: &'a Tree,
    vars: Vec<(String, Slot)>,
    pub out: String,
    at: At<'a>,
    template_depth: usize,
    nesting: usize,
    pub iterations: u64,
}

/// How deep control structures, parentheses and template calls may nest
/// in one execution: the executor recurses along them.
const MAX_NESTING: usize = 1000;

impl<'a> State<'a> {
    pub fn new(
        trees: &'a HashMap<String, Rc<Tree>>,
        funcs: &'a HashMap<String, Rc<Func>>,
        opts: &'a Options,
        tree: &'a Tree,
        dot: &Value,
    ) -> State<'a> {
        State {
            trees,
            funcs,
            opts,
            tree,
            vars: vec![("$".into(), Slot::plain(dot.clone()))],
            out: String::new(),
            at: At::None,
            template_depth: 0,
            nesting: 0,
            iterations: 0,
        }
    }

    pub fn run(&mut self, dot: &Value) -> Result<(), Error> {
        let tree = self.tree;
        match self.walk_list(&Slot::plain(dot.clone()), &tree.root) {
            Ok(()) => Ok(()),
            Err(Flow::Err(e)) => Err(*e),
            Err(_) => Ok(()),
        }
    }

    fn location(&self) -> Option<(usize, usize)> {
        let pos = self.at.pos()?;
        let text = &self.tree.text[..pos.min(self.tree.text.len())];
        let line = 1 + text.matches('\n').count();
        let col = match text.rfind('\n') {
            Some(i) => pos - (i + 1),
            None => pos,
        };
        Some((line, col))
    }

    /// Go's `s.errorf`: `template: NAME:LINE:COL: executing "NAME" at <NODE>: MSG`.
    fn err(&self, msg: impl Into<String>) -> Flow {
        self.err_kind(msg.into(), ErrorKind::Exec)
    }

    fn err_kind(&self, msg: String, kind: ErrorKind) -> Flow {
        let (message, line, col) = match self.location() {
            Some((line, col)) => {
                let ctx = self.at.text();
                (
                    format!(
                        "template: {}:{line}:{col}: executing {} at <{ctx}>: {msg}",
                        self.tree.parse_name,
                        super::fmt::quote(&self.tree.name)
                    ),
                    line,
                    col,
                )
            }
            None => (format!("template: {}: {msg}", self.tree.name), 0, 0),
        };
        Flow::Err(Box::new(Error {
            message,
            kind,
            template: self.tree.parse_name.clone(),
            line,
            column: col,
        }))
    }

    fn budget(&self, limit: Limit) -> Flow {
        self.err_kind(limit.to_string(), ErrorKind::Budget(limit))
    }

    fn write(&mut self, s: &str) -> R<()> {
        if self.out.len() + s.len() > self.opts.limits.output {
            return Err(self.budget(Limit::Output(self.opts.limits.output)));
        }
        self.out.push_str(s);
        Ok(())
    }

    fn walk_list(&mut self, dot: &Slot, list: &'a [Node]) -> R<()> {
        for n in list {
            self.walk(dot, n)?;
        }
        Ok(())
    }

    fn nest<T>(&mut self, f: impl FnOnce(&mut Self) -> R<T>) -> R<T> {
        if self.nesting >= MAX_NESTING {
            return Err(self.budget(Limit::Nesting(MAX_NESTING)));
        }
        self.nesting += 1;
        let r = f(self);
        self.nesting -= 1;
        r
    }

    fn walk(&mut self, dot: &Slot, node: &'a Node) -> R<()> {
        self.at = At::Node(node);
        match node {
            Node::Text { text, .. } => self.write(text),
            Node::Action { pipe, .. } => {
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.at = At::Node(node);
                    self.print_value(&v)?;
                }
                Ok(())
            }
            Node::Comment => Ok(()),
            Node::Break { .. } => Err(Flow::Break),
            Node::Continue { .. } => Err(Flow::Continue),
            Node::Control {
                kind,
                pipe,
                list,
                else_list,
                ..
            } => self.nest(|s| match kind {
                Control::Range => s.walk_range(dot, pipe, list, else_list.as_deref()),
                _ => {
                    let mark = s.vars.len();
                    let r = (|| {
                        let v = s.eval_pipeline(dot, pipe)?;
                        if v.truthy() {
                            if *kind == Control::With {
                                s.walk_list(&Slot::plain(v), list)
                            } else {
                                s.walk_list(dot, list)
                            }
                        } else if let Some(e) = else_list {
                            s.walk_list(dot, e)
                        } else {
                            Ok(())
                        }
                    })();
                    s.vars.truncate(mark);
                    r
                }
            }),
            Node::Template { name, pipe, .. } => {
                let Some(tree) = self.trees.get(name) else {
                    return Err(
                        self.err(format!("template {} not defined", super::fmt::quote(name)))
                    );
                };
                if self.template_depth >= self.opts.limits.template_depth {
                    return Err(self.budget(Limit::TemplateDepth(self.opts.limits.template_depth)));
                }
                let new_dot = match pipe {
                    Some(p) => self.eval_pipeline(dot, p)?,
                    None => Value::Missing,
                };
                let tree: &'a Tree = tree;
                self.nest(|s| {
                    let saved_vars = std::mem::replace(
                        &mut s.vars,
                        vec![("$".into(), Slot::plain(new_dot.clone()))],
                    );
                    let saved_tree = std::mem::replace(&mut s.tree, tree);
                    s.template_depth += 1;
                    let r = s.walk_list(&Slot::plain(new_dot), &tree.root);
                    s.template_depth -= 1;
                    s.tree = saved_tree;
                    s.vars = saved_vars;
                    r
                })
            }
        }
    }

    fn walk_range(
        &mut self,
        dot: &Slot,
        pipe: &'a Pipe,
        list: &'a [Node],
        else_list: Option<&'a [Node]>,
    ) -> R<()> {
        let mark = self.vars.len();
        let r = self.walk_range_inner(dot, pipe, list, else_list);
        self.vars.truncate(mark);
        match r {
            Err(Flow::Break) => Ok(()),
            r => r,
        }
    }

    fn walk_range_inner(
        &mut self,
        dot: &Slot,
        pipe: &'a Pipe,
        list: &'a [Node],
        else_list: Option<&'a [Node]>,
    ) -> R<()> {
        let val = self.eval_pipeline(dot, pipe)?;
        let mark = self.vars.len();
        let boxed = val.elem_boxed();
        let items: Vec<(Value, Value)> = match &val {
            Value::List(l, _) => l
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::int(i as i64), v.clone()))
                .collect(),
            Value::Map(m, _) => m
                .borrow()
                .iter()
                .map(|(k, v)| (Value::str(k.as_str()), v.clone()))
                .collect(),
            Value::Missing | Value::Nil => Vec::new(),
            other => {
                return Err(self.err(format!(
                    "range can't iterate over {}",
                    super::fmt::sprint_value(other)
                )));
            }
        };
        if items.is_empty() {
            if let Some(e) = else_list {
                return self.walk_list(dot, e);
            }
            return Ok(());
        }
        for (index, elem) in items {
            self.iterations += 1;
            if self.iterations > self.opts.limits.iterations {
                return Err(self.budget(Limit::Iterations(self.opts.limits.iterations)));
            }
            let elem = Slot { v: elem, boxed };
            if !pipe.decl.is_empty() {
                let n = self.vars.len();
                self.vars[n - 1].1 = elem.clone();
            }
            if pipe.decl.len() > 1 {
                let n = self.vars.len();
                self.vars[n - 2].1 = Slot::plain(index);
            }
            let r = self.walk_list(&elem, list);
            self.vars.truncate(mark);
            match r {
                Ok(()) | Err(Flow::Continue) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn print_value(&mut self, v: &Value) -> R<()> {
        match v {
            Value::Missing => self.write("<no value>"),
            Value::String(s) => self.write(s),
            v => {
                let s = super::fmt::sprint_value(v);
                self.write(&s)
            }
        }
    }

    fn eval_pipeline(&mut self, dot: &Slot, pipe: &'a Pipe) -> R<Value> {
        self.at = At::Pipe(pipe);
        let mut value: Option<Slot> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            // Go unboxes interface values between commands; a nil
            // interface becomes no value.
            value = Some(Slot::plain(match v.v {
                Value::Nil => Value::Missing,
                x => x,
            }));
        }
        let value = value.map(|s| s.v).unwrap_or(Value::Missing);
        for name in &pipe.decl {
            if pipe.is_assign {
                match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = Slot::plain(value.clone()),
                    None => return Err(self.err(format!("undefined variable: {name}"))),
                }
            } else {
                self.vars.push((name.clone(), Slot::plain(value.clone())));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], fin: &Option<Slot>) -> R<()> {
        if args.len() > 1 || fin.is_some() {
            return Err(self.err(format!("can't give argument to non-function {}", args[0])));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Slot, cmd: &'a Command, fin: Option<Slot>) -> R<Slot> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { ident, .. } => {
                self.at = At::Arg(first);
                self.eval_field_chain(dot, dot.clone(), first, ident, &cmd.args, fin)
            }
            Arg::Chain { node, fields, .. } => {
                self.eval_chain(dot, first, node, fields, &cmd.args, fin)
            }
            Arg::Identifier { name, .. } => {
                self.eval_function(dot, first, name, &cmd.args[1..], At::Cmd(cmd), fin)
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &fin)?;
                let v = self.nest(|s| s.eval_pipeline(dot, p))?;
                Ok(Slot::plain(v))
            }
            Arg::Variable { ident, .. } => self.eval_variable(dot, first, ident, &cmd.args, fin),
            _ => {
                self.at = At::Arg(first);
                self.not_a_function(&cmd.args, &fin)?;
                match first {
                    Arg::Bool { val, .. } => Ok(Slot::plain(Value::Bool(*val))),
                    Arg::Dot { .. } => Ok(dot.clone()),
                    Arg::Nil { .. } => Err(self.err("nil is not a command")),
                    Arg::Number { num, .. } => Ok(Slot::plain(self.ideal_constant(num)?)),
                    Arg::String { text, .. } => Ok(Slot::plain(Value::String(text.clone()))),
                    _ => Err(self.err(format!(
                        "can't evaluate command {}",
                        super::fmt::quote(&first.to_string())
                    ))),
                }
            }
        }
    }

    fn ideal_constant(&self, num: &super::parse::Number) -> R<Value> {
        let t = &num.text;
        let is_hex_int = t.len() > 2
            && t.starts_with('0')
            && (t.as_bytes()[1] == b'x' || t.as_bytes()[1] == b'X')
            && !t.contains(['p', 'P']);
        let is_rune = t.starts_with('\'');
        if num.is_float && !is_hex_int && !is_rune && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Value::Float(num.float));
        }
        if num.is_int {
            return Ok(Value::int(num.int));
        }
        if num.is_uint {
            return Err(self.err(format!("{t} overflows int")));
        }
        Ok(Value::Missing)
    }

    fn eval_chain(
        &mut self,
        dot: &Slot,
        chain: &'a Arg,
        node: &'a Arg,
        fields: &'a [String],
        args: &'a [Arg],
        fin: Option<Slot>,
    ) -> R<Slot> {
        self.at = At::Arg(chain);
        if let Arg::Nil { .. } = node {
            return Err(self.err(format!("indirection through explicit nil in {chain}")));
        }
        let recv = self.eval_arg(dot, Ty::Reflect, node)?;
        let recv = Slot::plain(recv.v);
        // Go reports a field error here at the last node evaluated.
        self.eval_field_chain(dot, recv, chain, fields, args, fin)
    }

    fn var_value(&self, name: &str) -> R<Slot> {
        match self.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => Err(self.err(format!("undefined variable: {name}"))),
        }
    }

    fn eval_variable(
        &mut self,
        dot: &Slot,
        node: &'a Arg,
        ident: &'a [String],
        args: &'a [Arg],
        fin: Option<Slot>,
    ) -> R<Slot> {
        self.at = At::Arg(node);
        let value = self.var_value(&ident[0])?;
        if ident.len() == 1 {
            self.not_a_function(args, &fin)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, node, &ident[1..], args, fin)
    }

    fn eval_field_chain(
        &mut self,
        _dot: &Slot,
        mut recv: Slot,
        _node: &'a Arg,
        ident: &'a [String],
        args: &'a [Arg],
        fin: Option<Slot>,
    ) -> R<Slot> {
        let n = ident.len();
        for name in &ident[..n - 1] {
            recv = self.eval_field(name, &[], &None, &recv)?;
        }
        self.eval_field(&ident[n - 1], args, &fin, &recv)
    }

    fn eval_field(&mut self, name: &str, args: &[Arg], fin: &Option<Slot>, recv: &Slot) -> R<Slot> {
        let typ = if recv.boxed {
            "interface {}".to_string()
        } else {
            recv.v.type_name()
        };
        let has_args = args.len() > 1 || fin.is_some();
        match &recv.v {
            Value::Missing => {
                if self.opts.missing_key == MissingKey::Error {
                    return Err(self.err(format!(
                        "nil data; no entry for key {}",
                        super::fmt::quote(name)
                    )));
                }
                Ok(Slot::plain(Value::Missing))
            }
            Value::Nil => Err(self.err(format!("nil pointer evaluating {typ}.{name}"))),
            Value::Record(r) => match r.fields.iter().find(|(k, _)| k == name) {
                Some((_, v)) => {
                    if has_args {
                        return Err(self.err(format!(
                            "{name} has arguments but cannot be invoked as function"
                        )));
                    }
                    Ok(Slot::plain(v.clone()))
                }
                None => Err(self.err(format!("can't evaluate field {name} in type {typ}"))),
            },
            Value::Map(m, elem) => {
                if has_args {
                    return Err(self.err(format!("{name} is not a method but has arguments")));
                }
                let boxed = *elem == super::value::Elem::Any;
                let found = m.borrow().get(name).cloned();
                match found {
                    Some(v) => Ok(Slot { v, boxed }),
                    None => match self.opts.missing_key {
                        MissingKey::Default => Ok(Slot::plain(Value::Missing)),
                        MissingKey::Zero => Ok(Slot {
                            v: if boxed { Value::Nil } else { Value::str("") },
                            boxed,
                        }),
                        MissingKey::Error => Err(self.err(format!(
                            "map has no entry for key {}",
                            super::fmt::quote(name)
                        ))),
                    },
                }
            }
            _ => Err(self.err(format!("can't evaluate field {name} in type {typ}"))),
        }
    }

    /// Calls function `name` with `args` (and the piped `fin`); an error
    /// from the function itself is reported at `call_at`.
    fn eval_function(
        &mut self,
        dot: &Slot,
        node: &'a Arg,
        name: &str,
        args: &'a [Arg],
        call_at: At<'a>,
        fin: Option<Slot>,
    ) -> R<Slot> {
        self.at = At::Arg(node);
        let Some(func) = self.funcs.get(name).cloned() else {
            return Err(self.err(format!(
                "{} is not a defined function",
                super::fmt::quote(name)
            )));
        };
        let num_in = args.len() + usize::from(fin.is_some());
        let fixed = func.params.len();
        if func.variadic.is_some() {
            if num_in < fixed {
                return Err(self.err(format!(
                    "wrong number of args for {name}: want at least {fixed} got {}",
                    args.len()
                )));
            }
        } else if num_in != fixed {
            return Err(self.err(format!(
                "wrong number of args for {name}: want {fixed} got {num_in}"
            )));
        }
        if name == "and" || name == "or" {
            let want = name == "or";
            let mut v = Value::Missing;
            for a in args {
                v = self.eval_arg(dot, Ty::Reflect, a)?.v;
                if v.truthy() == want {
                    return Ok(Slot::plain(v));
                }
            }
            if let Some(f) = fin {
                v = f.v;
            }
            return Ok(Slot::plain(v));
        }
        let mut argv = Vec::with_capacity(num_in);
        for (i, a) in args.iter().enumerate() {
            let ty = if i < fixed {
                func.params[i]
            } else {
                func.variadic.unwrap_or(Ty::Any)
            };
            argv.push(self.eval_arg(dot, ty, a)?.v);
        }
        if let Some(f) = fin {
            let ty = if argv.len() < fixed {
                func.params[argv.len()]
            } else {
                func.variadic.unwrap_or(Ty::Any)
            };
            argv.push(self.validate_type(f, ty)?.v);
        }
        let ctx = Ctx {
            limits: &self.opts.limits,
        };
        match (func.imp)(&ctx, &argv) {
            Ok(v) => Ok(Slot::plain(v)),
            Err(e) => {
                self.at = call_at;
                match e {
                    super::funcs::FuncError::Go(msg) => {
                        Err(self.err(format!("error calling {name}: {msg}")))
                    }
                    super::funcs::FuncError::Budget(l) => Err(self.budget(l)),
                    super::funcs::FuncError::Refused(msg) => {
                        Err(self
                            .err_kind(format!("error calling {name}: {msg}"), ErrorKind::Refused))
                    }
                }
            }
        }
    }

    fn validate_type(&self, v: Slot, ty: Ty) -> R<Slot> {
        match (&v.v, ty) {
            (_, Ty::Reflect) => Ok(v),
            (Value::Missing, Ty::Any) => Ok(Slot::plain(Value::Nil)),
            (Value::Missing, Ty::List) => Ok(Slot::plain(Value::list(Vec::new()))),
            (Value::Missing, Ty::Map) => Ok(Slot::plain(Value::map(Default::default()))),
            (Value::Missing, _) => {
                Err(self.err(format!("invalid value; expected {}", ty.go_name())))
            }
            (_, Ty::Any) => Ok(v),
            (x, _) if ty.accepts(x) => Ok(v),
            (Value::Nil, _) => Err(self.err(format!(
                "wrong type for value; expected {}; got interface {{}}",
                ty.go_name()
            ))),
            (x, _) => Err(self.err(format!(
                "wrong type for value; expected {}; got {}",
                ty.go_name(),
                x.type_name()
            ))),
        }
    }

    fn eval_arg(&mut self, dot: &Slot, ty: Ty, n: &'a Arg) -> R<Slot> {
        self.at = At::Arg(n);
        match n {
            Arg::Dot { .. } => return self.validate_type(dot.clone(), ty),
            Arg::Nil { .. } => {
                return match ty {
                    Ty::Any => Ok(Slot::plain(Value::Nil)),
                    // reflect.Zero of reflect.Value: no value at all.
                    Ty::Reflect => Ok(Slot::plain(Value::Missing)),
                    Ty::List => Ok(Slot::plain(Value::list(Vec::new()))),
                    Ty::Map => Ok(Slot::plain(Value::map(Default::default()))),
                    _ => Err(self.err(format!("cannot assign nil to {}", ty.go_name()))),
                };
            }
            Arg::Field { ident, .. } => {
                let v = self.eval_field_chain(
                    dot,
                    dot.clone(),
                    n,
                    ident,
                    std::slice::from_ref(n),
                    None,
                )?;
                return self.validate_type(v, ty);
            }
            Arg::Variable { ident, .. } => {
                let v = self.eval_variable(dot, n, ident, &[], None)?;
                return self.validate_type(v, ty);
            }
            Arg::Pipe(p) => {
                let v = self.nest(|s| s.eval_pipeline(dot, p))?;
                return self.validate_type(Slot::plain(v), ty);
            }
            Arg::Identifier { name, .. } => {
                // A lone function name is a call without arguments.
                let v = self.eval_function(dot, n, name, &[], At::Arg(n), None)?;
                return self.validate_type(v, ty);
            }
            Arg::Chain { node, fields, .. } => {
                let v = self.eval_chain(dot, n, node, fields, &[], None)?;
                return self.validate_type(v, ty);
            }
            _ => {}
        }
        let v = match (ty, n) {
            (Ty::Bool, Arg::Bool { val, .. }) => Value::Bool(*val),
            (Ty::Bool, _) => return Err(self.err(format!("expected bool; found {n}"))),
            (Ty::Float, Arg::Number { num, .. }) if num.is_float => Value::Float(num.float),
            (Ty::Float, _) => return Err(self.err(format!("expected float; found {n}"))),
            (Ty::Int | Ty::Int64, Arg::Number { num, .. }) if num.is_int => {
                if ty == Ty::Int {
                    Value::int(num.int)
                } else {
                    Value::int64(num.int)
                }
            }
            (Ty::Int | Ty::Int64, _) => {
                return Err(self.err(format!("expected integer; found {n}")));
            }
            (Ty::Str, Arg::String { text, .. }) => Value::String(text.clone()),
            (Ty::Str, _) => return Err(self.err(format!("expected string; found {n}"))),
            (Ty::Any | Ty::Reflect, Arg::Bool { val, .. }) => Value::Bool(*val),
            (Ty::Any | Ty::Reflect, Arg::Number { num, .. }) => self.ideal_constant(num)?,
            (Ty::Any | Ty::Reflect, Arg::String { text, .. }) => Value::String(text.clone()),
            _ => {
                return Err(self.err(format!("can't handle {n} for arg of type {}", ty.go_name())));
            }
        };
        Ok(Slot::plain(v))
    }
}
