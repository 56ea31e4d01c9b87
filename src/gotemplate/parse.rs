//! The parser: Go's `text/template/parse` grammar into an AST whose nodes
//! keep their byte offsets, with Go's error texts.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use super::lex::{Item, Kind, lex};

/// A number literal, read as Go reads it: one text, several possible types.
#[derive(Clone, Debug)]
pub struct Number {
    pub text: String,
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int: i64,
    pub uint: u64,
    pub float: f64,
}

/// An operand: the words of a command.
#[derive(Clone, Debug)]
pub enum Arg {
    Field {
        pos: usize,
        ident: Vec<String>,
    },
    Variable {
        pos: usize,
        ident: Vec<String>,
    },
    Identifier {
        pos: usize,
        name: String,
    },
    Dot {
        pos: usize,
    },
    Nil {
        pos: usize,
    },
    Bool {
        pos: usize,
        val: bool,
    },
    Number {
        pos: usize,
        num: Box<Number>,
    },
    String {
        pos: usize,
        quoted: String,
        text: Rc<str>,
    },
    Pipe(Box<Pipe>),
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Vec<String>,
    },
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::String { pos, .. }
            | Arg::Chain { pos, .. } => *pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

#[derive(Clone, Debug)]
pub struct Pipe {
    pub pos: usize,
    pub line: usize,
    pub is_assign: bool,
    pub decl: Vec<String>,
    pub cmds: Vec<Command>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    If,
    Range,
    With,
}

#[derive(Clone, Debug)]
pub enum Node {
    Text {
        pos: usize,
        text: Rc<str>,
    },
    Action {
        pos: usize,
        pipe: Pipe,
    },
    Control {
        kind: Control,
        pos: usize,
        pipe: Pipe,
        list: Vec<Node>,
        else_list: Option<Vec<Node>>,
    },
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break {
        pos: usize,
    },
    Continue {
        pos: usize,
    },
    Comment,
}

/// One named template: its nodes and the source it was parsed from.
#[derive(Debug)]
pub struct Tree {
    pub name: String,
    /// The name of the source the tree was read from, for positions.
    pub parse_name: String,
    pub text: Rc<str>,
    pub root: Vec<Node>,
}

/// A parse error, with Go's text (`template: NAME:LINE: ...`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub message: String,
    pub name: String,
    pub line: usize,
}

type PResult<T> = Result<T, ParseError>;

/// How deep `if`/`range`/`with`/`block` and parentheses may nest.
pub const MAX_DEPTH: usize = 100;

fn fmt_list(f: &mut fmt::Formatter<'_>, list: &[Node]) -> fmt::Result {
    for n in list {
        write!(f, "{n}")?;
    }
    Ok(())
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text { text, .. } => f.write_str(&super::fmt::quote(text)),
            Node::Action { pipe, .. } => write!(f, "{{{{{pipe}}}}}"),
            Node::Control {
                kind,
                pipe,
                list,
                else_list,
                ..
            } => {
                let name = match kind {
                    Control::If => "if",
                    Control::Range => "range",
                    Control::With => "with",
                };
                write!(f, "{{{{{name} {pipe}}}}}")?;
                fmt_list(f, list)?;
                if let Some(e) = else_list {
                    f.write_str("{{else}}")?;
                    fmt_list(f, e)?;
                }
                f.write_str("{{end}}")
            }
            Node::Template { name, pipe, .. } => match pipe {
                None => write!(f, "{{{{template {}}}}}", super::fmt::quote(name)),
                Some(p) => write!(f, "{{{{template {} {p}}}}}", super::fmt::quote(name)),
            },
            Node::Break { .. } => f.write_str("{{break}}"),
            Node::Continue { .. } => f.write_str("{{continue}}"),
            Node::Comment => Ok(()),
        }
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { ident, .. } => {
                for i in ident {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Variable { ident, .. } => f.write_str(&ident.join(".")),
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Dot { .. } => f.write_str("."),
            Arg::Nil { .. } => f.write_str("nil"),
            Arg::Bool { val, .. } => write!(f, "{val}"),
            Arg::Number { num, .. } => f.write_str(&num.text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(p) => write!(f, "{p}"),
            Arg::Chain { node, fields, .. } => {
                if let Arg::Pipe(p) = node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for x in fields {
                    write!(f, ".{x}")?;
                }
                Ok(())
            }
        }
    }
}

/// What `itemList` stops at.
enum End {
    End,
    Else { pos: usize },
}

enum Item2 {
    Node(Node),
    End(End),
}

struct Parser<'a> {
    parse_name: &'a str,
    text: Rc<str>,
    items: Vec<Item>,
    i: usize,
    furthest: usize,
    vars: Vec<String>,
    action_line: usize,
    range_depth: usize,
    /// Open control structures and parentheses, bounded by [`MAX_DEPTH`].
    depth: usize,
    has_func: &'a dyn Fn(&str) -> bool,
    trees: &'a mut Vec<Tree>,
    /// Names defined in this parse, to refuse a second non-empty definition.
    defined: &'a mut HashMap<String, bool>,
}

/// Parses `text` (named `name`) into its trees: the main one, then each
/// `define` and `block`. `has_func` says which function names exist.
pub fn parse(name: &str, text: &str, has_func: &dyn Fn(&str) -> bool) -> PResult<Vec<Tree>> {
    let text: Rc<str> = Rc::from(text);
    let mut trees = Vec::new();
    let mut defined = HashMap::new();
    let mut p = Parser {
        parse_name: name,
        text: text.clone(),
        items: lex(&text),
        i: 0,
        furthest: 0,
        vars: vec!["$".into()],
        action_line: 0,
        range_depth: 0,
        depth: 0,
        has_func,
        trees: &mut trees,
        defined: &mut defined,
    };
    let root = p.parse_top()?;
    let main = Tree {
        name: name.to_string(),
        parse_name: name.to_string(),
        text,
        root,
    };
    trees.insert(0, main);
    Ok(trees)
}

/// Go's parse.IsEmptyTree: only space, comments and definitions.
pub fn is_empty(list: &[Node]) -> bool {
    list.iter().all(|n| match n {
        Node::Text { text, .. } => text.trim_matches([' ', '\t', '\r', '\n']).is_empty(),
        Node::Comment => true,
        _ => false,
    })
}

impl Parser<'_> {
    fn item(&self, i: usize) -> &Item {
        &self.items[i.min(self.items.len() - 1)]
    }

    fn next(&mut self) -> Item {
        let last = self.items.len() - 1;
        let it = self.item(self.i).clone();
        self.furthest = self.furthest.max(self.i.min(last));
        self.i += 1;
        it
    }

    fn backup(&mut self) {
        self.i -= 1;
    }

    fn peek(&mut self) -> Item {
        self.furthest = self.furthest.max(self.i.min(self.items.len() - 1));
        self.item(self.i).clone()
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let t = self.next();
            if t.kind != Kind::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let t = self.next_non_space();
        self.backup_to(&t);
        t
    }

    /// Puts `t` back: the index of the item just read.
    fn backup_to(&mut self, _t: &Item) {
        self.i -= 1;
    }

    fn errorf(&self, msg: impl Into<String>) -> ParseError {
        let line = self.item(self.furthest).line;
        ParseError {
            message: format!("template: {}:{}: {}", self.parse_name, line, msg.into()),
            name: self.parse_name.to_string(),
            line,
        }
    }

    fn unexpected(&self, token: &Item, context: &str) -> ParseError {
        if token.kind == Kind::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != token.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.action_line
                );
                if token.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{token}{extra}"));
        }
        self.errorf(format!("unexpected {token} in {context}"))
    }

    fn expect(&mut self, kind: Kind, context: &str) -> PResult<Item> {
        let t = self.next_non_space();
        if t.kind != kind {
            return Err(self.unexpected(&t, context));
        }
        Ok(t)
    }

    fn parse_top(&mut self) -> PResult<Vec<Node>> {
        let mut root = Vec::new();
        while self.peek().kind != Kind::Eof {
            if self.peek().kind == Kind::LeftDelim {
                let at = self.i;
                self.next();
                if self.next_non_space().kind == Kind::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.i = at;
            }
            match self.text_or_action()? {
                Item2::End(End::End) => return Err(self.errorf("unexpected {{end}}")),
                Item2::End(End::Else { .. }) => return Err(self.errorf("unexpected {{else}}")),
                Item2::Node(n) => root.push(n),
            }
        }
        Ok(root)
    }

    fn sub_tree<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let depth = std::mem::replace(&mut self.range_depth, 0);
        let r = f(self);
        self.vars = vars;
        self.range_depth = depth;
        r
    }

    fn add_tree(&mut self, name: String, root: Vec<Node>) -> PResult<()> {
        let empty = is_empty(&root);
        match self.defined.get(&name) {
            Some(false) if !empty => {
                return Err(self.errorf(format!(
                    "template: multiple definition of template {}",
                    super::fmt::quote(&name)
                )));
            }
            Some(false) => return Ok(()),
            _ => {}
        }
        self.defined.insert(name.clone(), empty);
        self.trees.retain(|t| t.name != name);
        self.trees.push(Tree {
            name,
            parse_name: self.parse_name.to_string(),
            text: self.text.clone(),
            root,
        });
        Ok(())
    }

    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        self.sub_tree(|p| {
            let t = p.next_non_space();
            if t.kind != Kind::String && t.kind != Kind::RawString {
                return Err(p.unexpected(&t, CONTEXT));
            }
            let name = unquote(&t.val).map_err(|e| p.errorf(e))?;
            p.expect(Kind::RightDelim, CONTEXT)?;
            let (root, end) = p.item_list()?;
            if let End::Else { .. } = end {
                return Err(p.errorf(format!("unexpected {{{{else}}}} in {CONTEXT}")));
            }
            p.add_tree(name, root)
        })
    }

    fn item_list(&mut self) -> PResult<(Vec<Node>, End)> {
        let mut list = Vec::new();
        while self.peek_non_space().kind != Kind::Eof {
            match self.text_or_action()? {
                Item2::End(e) => return Ok((list, e)),
                Item2::Node(n) => list.push(n),
            }
        }
        Err(self.errorf("unexpected EOF"))
    }

    fn text_or_action(&mut self) -> PResult<Item2> {
        let t = self.next_non_space();
        match t.kind {
            Kind::Text => Ok(Item2::Node(Node::Text {
                pos: t.pos,
                text: Rc::from(t.val.as_str()),
            })),
            Kind::LeftDelim => {
                self.action_line = t.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => Err(self.unexpected(&t, "input")),
        }
    }

    fn action(&mut self) -> PResult<Item2> {
        let t = self.next_non_space();
        match t.kind {
            Kind::Block => return self.block_control().map(Item2::Node),
            Kind::Break | Kind::Continue => {
                let word = if t.kind == Kind::Break {
                    "{{break}}"
                } else {
                    "{{continue}}"
                };
                let n = self.next_non_space();
                if n.kind != Kind::RightDelim {
                    return Err(self.unexpected(&n, word));
                }
                if self.range_depth == 0 {
                    return Err(self.errorf(format!("{word} outside {{{{range}}}}")));
                }
                return Ok(Item2::Node(if t.kind == Kind::Break {
                    Node::Break { pos: t.pos }
                } else {
                    Node::Continue { pos: t.pos }
                }));
            }
            Kind::Else => {
                let peek = self.peek_non_space();
                if peek.kind == Kind::If {
                    return Ok(Item2::End(End::Else { pos: peek.pos }));
                }
                let t = self.expect(Kind::RightDelim, "else")?;
                return Ok(Item2::End(End::Else { pos: t.pos }));
            }
            Kind::End => {
                self.expect(Kind::RightDelim, "end")?;
                return Ok(Item2::End(End::End));
            }
            Kind::If => return self.control(Control::If).map(Item2::Node),
            Kind::Range => return self.control(Control::Range).map(Item2::Node),
            Kind::With => return self.control(Control::With).map(Item2::Node),
            Kind::Template => return self.template_control().map(Item2::Node),
            _ => {}
        }
        self.backup();
        let t = self.peek();
        let pipe = self.pipeline("command", Kind::RightDelim)?;
        Ok(Item2::Node(Node::Action { pos: t.pos, pipe }))
    }

    /// Runs `f` one level deeper, refusing templates nested past
    /// [`MAX_DEPTH`] (the parser and executor recurse along them).
    fn deeper<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH {
            return Err(self.errorf(format!(
                "control structures and parentheses nest deeper than {MAX_DEPTH} (msvc's limit)"
            )));
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn control(&mut self, kind: Control) -> PResult<Node> {
        let mark = self.vars.len();
        let r = self.deeper(|p| p.control_inner(kind));
        self.vars.truncate(mark);
        r
    }

    fn control_inner(&mut self, kind: Control) -> PResult<Node> {
        let context = match kind {
            Control::If => "if",
            Control::Range => "range",
            Control::With => "with",
        };
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        if kind == Control::Range {
            self.range_depth += 1;
        }
        let r = self.item_list();
        if kind == Control::Range {
            self.range_depth -= 1;
        }
        let (list, end) = r?;
        let mut else_list = None;
        if let End::Else { pos, .. } = end {
            if kind == Control::If && self.peek().kind == Kind::If {
                self.next();
                let nested = self.control(Control::If)?;
                let _ = pos;
                else_list = Some(vec![nested]);
            } else {
                let (l, end) = self.item_list()?;
                if let End::Else { .. } = end {
                    return Err(self.errorf("expected end; found {{else}}"));
                }
                else_list = Some(l);
            }
        }
        Ok(Node::Control {
            kind,
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        })
    }

    fn template_name(&mut self, t: &Item, context: &str) -> PResult<String> {
        match t.kind {
            Kind::String | Kind::RawString => unquote(&t.val).map_err(|e| self.errorf(e)),
            _ => Err(self.unexpected(t, context)),
        }
    }

    fn block_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, Kind::RightDelim)?;
        self.deeper(|p| {
            p.sub_tree(|p| {
                let (root, end) = p.item_list()?;
                if let End::Else { .. } = end {
                    return Err(p.errorf(format!("unexpected {{{{else}}}} in {CONTEXT}")));
                }
                p.add_tree(name.clone(), root)
            })
        })?;
        Ok(Node::Template {
            pos: t.pos,
            name,
            pipe: Some(pipe),
        })
    }

    fn template_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().kind != Kind::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, Kind::RightDelim)?);
        }
        Ok(Node::Template {
            pos: t.pos,
            name,
            pipe,
        })
    }

    fn pipeline(&mut self, context: &str, end: Kind) -> PResult<Pipe> {
        let t = self.peek_non_space();
        let mut pipe = Pipe {
            pos: t.pos,
            line: t.line,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        'decls: loop {
            let v = self.peek_non_space();
            if v.kind != Kind::Variable {
                break;
            }
            let at = self.i;
            self.next_non_space();
            let next = self.peek_non_space();
            if next.kind == Kind::Assign || next.kind == Kind::Declare {
                pipe.is_assign = next.kind == Kind::Assign;
                self.next_non_space();
                pipe.decl.push(v.val.clone());
                self.vars.push(v.val.clone());
            } else if next.kind == Kind::Char && next.val == "," {
                self.next_non_space();
                pipe.decl.push(v.val.clone());
                self.vars.push(v.val.clone());
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek_non_space().kind {
                        Kind::Variable | Kind::RightDelim | Kind::RightParen => continue 'decls,
                        _ => return Err(self.errorf("range can only initialize variables")),
                    }
                }
                return Err(self.errorf(format!("too many declarations in {context}")));
            } else {
                // Not a declaration: the variable starts a command.
                self.i = at;
            }
            break;
        }
        loop {
            let t = self.next_non_space();
            if t.kind == end {
                self.check_pipeline(&pipe, context)?;
                return Ok(pipe);
            }
            match t.kind {
                Kind::Bool
                | Kind::CharConstant
                | Kind::Complex
                | Kind::Dot
                | Kind::Field
                | Kind::Identifier
                | Kind::Number
                | Kind::Nil
                | Kind::RawString
                | Kind::String
                | Kind::Variable
                | Kind::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return Err(self.unexpected(&t, context)),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return Err(self.errorf(format!("missing value for {context}")));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args[0],
                Arg::Bool { .. }
                    | Arg::Dot { .. }
                    | Arg::Nil { .. }
                    | Arg::Number { .. }
                    | Arg::String { .. }
            ) {
                return Err(self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let mut cmd = Command {
            pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let t = self.next();
            match t.kind {
                Kind::Space => continue,
                Kind::RightDelim | Kind::RightParen => self.backup(),
                Kind::Pipe => {}
                _ => return Err(self.unexpected(&t, "operand")),
            }
            break;
        }
        if cmd.args.is_empty() {
            return Err(self.errorf("empty command"));
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().kind != Kind::Field {
            return Ok(Some(node));
        }
        let pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().kind == Kind::Field {
            let f = self.next();
            fields.push(f.val[1..].to_string());
        }
        Ok(Some(match node {
            Arg::Field { mut ident, .. } => {
                ident.extend(fields);
                Arg::Field { pos, ident }
            }
            Arg::Variable { mut ident, .. } => {
                ident.extend(fields);
                Arg::Variable { pos, ident }
            }
            Arg::Bool { .. }
            | Arg::String { .. }
            | Arg::Number { .. }
            | Arg::Nil { .. }
            | Arg::Dot { .. } => {
                return Err(self.errorf(format!(
                    "unexpected . after term {}",
                    super::fmt::quote(&node.to_string())
                )));
            }
            other => Arg::Chain {
                pos,
                node: Box::new(other),
                fields,
            },
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let t = self.next_non_space();
        Ok(Some(match t.kind {
            Kind::Identifier => {
                if !(self.has_func)(&t.val) {
                    return Err(self.errorf(format!(
                        "function {} not defined",
                        super::fmt::quote(&t.val)
                    )));
                }
                Arg::Identifier {
                    pos: t.pos,
                    name: t.val,
                }
            }
            Kind::Dot => Arg::Dot { pos: t.pos },
            Kind::Nil => Arg::Nil { pos: t.pos },
            Kind::Variable => {
                let ident: Vec<String> = t.val.split('.').map(str::to_string).collect();
                if !self.vars.iter().any(|v| *v == ident[0]) {
                    return Err(self.errorf(format!(
                        "undefined variable {}",
                        super::fmt::quote(&ident[0])
                    )));
                }
                Arg::Variable { pos: t.pos, ident }
            }
            Kind::Field => Arg::Field {
                pos: t.pos,
                ident: t.val[1..].split('.').map(str::to_string).collect(),
            },
            Kind::Bool => Arg::Bool {
                pos: t.pos,
                val: t.val == "true",
            },
            Kind::CharConstant | Kind::Complex | Kind::Number => {
                let num = number(&t.val, t.kind).map_err(|e| self.errorf(e))?;
                Arg::Number {
                    pos: t.pos,
                    num: Box::new(num),
                }
            }
            Kind::LeftParen => {
                let p = self.deeper(|p| p.pipeline("parenthesized pipeline", Kind::RightParen))?;
                Arg::Pipe(Box::new(p))
            }
            Kind::String | Kind::RawString => {
                let s = unquote(&t.val).map_err(|e| self.errorf(e))?;
                Arg::String {
                    pos: t.pos,
                    quoted: t.val,
                    text: Rc::from(s),
                }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

/// strconv.Unquote for "..." and `...`; `'...'` is read by [`unquote_char`].
pub fn unquote(s: &str) -> Result<String, String> {
    const BAD: &str = "invalid syntax";
    if s.len() < 2 {
        return Err(BAD.into());
    }
    let q = s.as_bytes()[0];
    if !matches!(q, b'"' | b'`') || s.as_bytes()[s.len() - 1] != q {
        return Err(BAD.into());
    }
    let body = &s[1..s.len() - 1];
    match q {
        b'`' => {
            if body.contains('`') {
                return Err(BAD.into());
            }
            Ok(body.replace('\r', ""))
        }
        b'"' => {
            let mut out = String::new();
            let mut rest = body;
            while !rest.is_empty() {
                let (c, tail) = unquote_char(rest, '"')?;
                out.push(c);
                rest = tail;
            }
            Ok(out)
        }
        _ => Err(BAD.into()),
    }
}

/// strconv.UnquoteChar: one character of a quoted literal and the rest.
/// Byte escapes that do not form UTF-8 read as U+FFFD.
pub fn unquote_char(s: &str, quote: char) -> Result<(char, &str), String> {
    const BAD: &str = "invalid syntax";
    let mut chars = s.chars();
    let c = chars.next().ok_or(BAD)?;
    if c == quote && (quote == '\'' || quote == '"') {
        return Err(BAD.into());
    }
    if c == '\n' {
        return Err(BAD.into());
    }
    if c != '\\' {
        return Ok((c, chars.as_str()));
    }
    let e = chars.next().ok_or(BAD)?;
    let rest = chars.as_str();
    let simple = match e {
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'f' => Some('\x0c'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\x0b'),
        '\\' => Some('\\'),
        '\'' | '"' => {
            if e != quote {
                return Err(BAD.into());
            }
            Some(e)
        }
        _ => None,
    };
    if let Some(c) = simple {
        return Ok((c, rest));
    }
    let (n, radix) = match e {
        'x' => (2, 16),
        'u' => (4, 16),
        'U' => (8, 16),
        '0'..='7' => (2, 8),
        _ => return Err(BAD.into()),
    };
    if radix == 8 {
        let digits = format!("{e}{}", rest.get(..2).ok_or(BAD)?);
        let v = u32::from_str_radix(&digits, 8).map_err(|_| BAD)?;
        if v > 255 {
            return Err(BAD.into());
        }
        let c = if v < 0x80 {
            char::from(v as u8)
        } else {
            '\u{fffd}'
        };
        return Ok((c, &rest[2..]));
    }
    let digits = rest.get(..n).ok_or(BAD)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(BAD.into());
    }
    let v = u32::from_str_radix(digits, 16).map_err(|_| BAD)?;
    let c = if e == 'x' {
        if v < 0x80 {
            char::from(v as u8)
        } else {
            '\u{fffd}'
        }
    } else {
        char::from_u32(v).ok_or(BAD)?
    };
    Ok((c, &rest[n..]))
}

/// strconv.ParseInt(text, 0, _) before the range check: signs, base
/// prefixes, underscores.
pub fn parse_int(text: &str) -> Option<i128> {
    let (neg, t) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits, prefixed) =
        if let Some(r) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            (16, r, true)
        } else if let Some(r) = t.strip_prefix("0o").or_else(|| t.strip_prefix("0O")) {
            (8, r, true)
        } else if let Some(r) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
            (2, r, true)
        } else if t.len() > 1 && t.starts_with('0') {
            (8, &t[1..], true)
        } else {
            (10, t, false)
        };
    // Underscores only between digits or after a base prefix.
    if digits.contains('_') {
        let ok = !digits.ends_with('_')
            && !digits.contains("__")
            && (prefixed || !digits.starts_with('_'));
        if !ok {
            return None;
        }
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() {
        return None;
    }
    let v = i128::from_str_radix(&clean, radix).ok()?;
    Some(if neg { -v } else { v })
}

/// strconv.ParseFloat(text, 64): decimal, or hexadecimal with a `p`
/// exponent; underscores only after a base prefix.
fn parse_float(text: &str) -> Option<f64> {
    let (neg, t) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let f = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        let h: String = h.chars().filter(|&c| c != '_').collect();
        let (mant, exp) = h.split_once(['p', 'P'])?;
        let exp: i32 = exp.parse().ok()?;
        let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let mut v = 0f64;
        for c in int.chars().chain(frac.chars()) {
            v = v * 16.0 + f64::from(c.to_digit(16)?);
        }
        v * 2f64.powi(exp - 4 * frac.len() as i32)
    } else {
        if t.contains('_') || t.contains(['x', 'X', 'p', 'P', 'i', 'n', 'N']) {
            return None;
        }
        t.parse::<f64>().ok()?
    };
    Some(if neg { -f } else { f })
}

/// Go's parse.newNumber: which types a number literal can be.
pub fn number(text: &str, kind: Kind) -> Result<Number, String> {
    let mut n = Number {
        text: text.to_string(),
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int: 0,
        uint: 0,
        float: 0.0,
    };
    if kind == Kind::CharConstant {
        let (c, tail) = unquote_char(&text[1..], '\'')?;
        if tail != "'" {
            return Err(format!("malformed character constant: {text}"));
        }
        n.int = c as i64;
        n.uint = c as u64;
        n.float = c as u32 as f64;
        n.is_int = true;
        n.is_uint = true;
        n.is_float = true;
        return Ok(n);
    }
    if kind == Kind::Complex || text.ends_with('i') {
        return Err(format!(
            "complex numbers are not supported: {}",
            super::fmt::quote(text)
        ));
    }
    if let Some(v) = parse_int(text) {
        if v >= 0 && v <= u64::MAX as i128 {
            n.is_uint = !text.starts_with(['+', '-']);
            n.uint = v as u64;
        }
        if v >= i64::MIN as i128 && v <= i64::MAX as i128 {
            n.is_int = true;
            n.int = v as i64;
            if v == 0 {
                n.is_uint = true;
                n.uint = 0;
            }
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float = n.int as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float = n.uint as f64;
    } else {
        if let Some(f) = parse_float(text) {
            if !text.contains(['.', 'e', 'E', 'p', 'P']) {
                return Err(format!("integer overflow: {}", super::fmt::quote(text)));
            }
            if f.is_finite() {
                n.is_float = true;
                n.float = f;
                if f.fract() == 0.0
                    && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f)
                {
                    n.is_int = true;
                    n.int = f as i64;
                }
                if f.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&f) {
                    n.is_uint = true;
                    n.uint = f as u64;
                }
            }
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!(
            "illegal number syntax: {}",
            super::fmt::quote(text)
        ));
    }
    Ok(n)
}
