//! The lexer: Go's `text/template/parse` lexer, state for state, so that
//! trimming, positions and error texts come out as Go's do.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl Kind {
    pub fn is_keyword(self) -> bool {
        self as u8 >= Kind::Block as u8
    }
}

#[derive(Clone, Debug)]
pub struct Item {
    pub kind: Kind,
    pub pos: usize,
    pub val: String,
    pub line: usize,
}

impl std::fmt::Display for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            Kind::Eof => f.write_str("EOF"),
            Kind::Error => f.write_str(&self.val),
            k if k.is_keyword() => write!(f, "<{}>", self.val),
            _ if self.val.chars().count() > 10 => {
                write!(f, "{}...", super::fmt::quote_trunc(&self.val, 10))
            }
            _ => f.write_str(&super::fmt::quote(&self.val)),
        }
    }
}

fn keyword(word: &str) -> Option<Kind> {
    Some(match word {
        "." => Kind::Dot,
        "block" => Kind::Block,
        "break" => Kind::Break,
        "continue" => Kind::Continue,
        "define" => Kind::Define,
        "else" => Kind::Else,
        "end" => Kind::End,
        "if" => Kind::If,
        "range" => Kind::Range,
        "nil" => Kind::Nil,
        "template" => Kind::Template,
        "with" => Kind::With,
        _ => return None,
    })
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
/// Go's eof rune; U+10FFFF (a noncharacter) in an action reads as the end.
const EOF: char = '\u{10FFFF}';

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Identifier,
    Field,
    Variable,
    Char,
    Number,
    Quote,
    RawQuote,
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    at_eof: bool,
    items: Vec<Item>,
    paren_depth: i32,
    line: usize,
    start_line: usize,
}

/// Scans `input` whole; the last item is `Eof` or `Error`.
pub fn lex(input: &str) -> Vec<Item> {
    let mut l = Lexer {
        input,
        pos: 0,
        start: 0,
        at_eof: false,
        items: Vec::new(),
        paren_depth: 0,
        line: 1,
        start_line: 1,
    };
    let mut state = Some(State::Text);
    while let Some(s) = state {
        state = l.step(s);
    }
    l.items
}

impl Lexer<'_> {
    fn next(&mut self) -> char {
        match self.input[self.pos..].chars().next() {
            None => {
                self.at_eof = true;
                EOF
            }
            Some(c) => {
                self.pos += c.len_utf8();
                if c == '\n' {
                    self.line += 1;
                }
                c
            }
        }
    }

    fn peek(&mut self) -> char {
        let c = self.next();
        self.backup();
        c
    }

    fn backup(&mut self) {
        if !self.at_eof
            && self.pos > 0
            && let Some(c) = self.input[..self.pos].chars().next_back()
        {
            {
                self.pos -= c.len_utf8();
                if c == '\n' {
                    self.line -= 1;
                }
            }
        }
        // Go's backup after EOF does nothing but keeps at_eof; later reads
        // return EOF again.
    }

    fn emit(&mut self, kind: Kind) {
        self.items.push(Item {
            kind,
            pos: self.start,
            val: self.input[self.start..self.pos].to_string(),
            line: self.start_line,
        });
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn ignore(&mut self) {
        self.line += self.input[self.start..self.pos].matches('\n').count();
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn accept(&mut self, valid: &str) -> bool {
        let c = self.next();
        if c != EOF && valid.contains(c) {
            return true;
        }
        self.backup();
        false
    }

    fn accept_run(&mut self, valid: &str) {
        loop {
            let c = self.next();
            if c == EOF || !valid.contains(c) {
                break;
            }
        }
        self.backup();
    }

    fn errorf(&mut self, msg: String) -> Option<State> {
        self.items.push(Item {
            kind: Kind::Error,
            pos: self.start,
            val: msg,
            line: self.start_line,
        });
        None
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.input[self.pos..];
        if has_right_trim(rest) && rest[2..].starts_with(RIGHT) {
            return (true, true);
        }
        (rest.starts_with(RIGHT), false)
    }

    fn at_terminator(&mut self) -> bool {
        let c = self.peek();
        if is_space(c) {
            return true;
        }
        if matches!(c, EOF | '.' | ',' | '|' | ':' | ')' | '(') {
            return true;
        }
        self.input[self.pos..].starts_with(RIGHT)
    }

    fn step(&mut self, s: State) -> Option<State> {
        match s {
            State::Text => {
                if let Some(x) = self.input[self.pos..].find(LEFT) {
                    self.pos += x;
                    let mut trim = 0;
                    if has_left_trim(&self.input[self.pos + LEFT.len()..]) {
                        let t = &self.input[self.start..self.pos];
                        trim = t.len() - t.trim_end_matches([' ', '\t', '\r', '\n']).len();
                    }
                    self.pos -= trim;
                    if self.pos > self.start {
                        self.line += self.input[self.start..self.pos].matches('\n').count();
                        self.emit(Kind::Text);
                    }
                    self.pos += trim;
                    self.ignore();
                    return Some(State::LeftDelim);
                }
                self.pos = self.input.len();
                if self.pos > self.start {
                    self.line += self.input[self.start..self.pos].matches('\n').count();
                    self.emit(Kind::Text);
                }
                self.emit(Kind::Eof);
                None
            }
            State::LeftDelim => {
                self.pos += LEFT.len();
                let trim = has_left_trim(&self.input[self.pos..]);
                let after = if trim { 2 } else { 0 };
                if self.input[self.pos + after..].starts_with(LEFT_COMMENT) {
                    self.pos += after;
                    self.ignore();
                    return Some(State::Comment);
                }
                self.emit(Kind::LeftDelim);
                self.pos += after;
                self.ignore();
                self.paren_depth = 0;
                Some(State::InsideAction)
            }
            State::Comment => {
                self.pos += LEFT_COMMENT.len();
                let Some(i) = self.input[self.pos..].find(RIGHT_COMMENT) else {
                    return self.errorf("unclosed comment".into());
                };
                self.pos += i + RIGHT_COMMENT.len();
                let (delim, trim) = self.at_right_delim();
                if !delim {
                    return self.errorf("comment ends before closing delimiter".into());
                }
                if trim {
                    self.pos += 2;
                }
                self.pos += RIGHT.len();
                if trim {
                    let r = &self.input[self.pos..];
                    self.pos += r.len() - r.trim_start_matches([' ', '\t', '\r', '\n']).len();
                }
                self.ignore();
                Some(State::Text)
            }
            State::RightDelim => {
                let trim = has_right_trim(&self.input[self.pos..]);
                if trim {
                    self.pos += 2;
                    self.ignore();
                }
                self.pos += RIGHT.len();
                self.emit(Kind::RightDelim);
                if trim {
                    let r = &self.input[self.pos..];
                    self.pos += r.len() - r.trim_start_matches([' ', '\t', '\r', '\n']).len();
                    self.ignore();
                }
                Some(State::Text)
            }
            State::InsideAction => {
                let (delim, _) = self.at_right_delim();
                if delim {
                    if self.paren_depth == 0 {
                        return Some(State::RightDelim);
                    }
                    return self.errorf("unclosed left paren".into());
                }
                let c = self.next();
                match c {
                    EOF => return self.errorf("unclosed action".into()),
                    c if is_space(c) => {
                        self.backup();
                        return Some(State::Space);
                    }
                    '=' => self.emit(Kind::Assign),
                    ':' => {
                        if self.next() != '=' {
                            return self.errorf("expected :=".into());
                        }
                        self.emit(Kind::Declare);
                    }
                    '|' => self.emit(Kind::Pipe),
                    '"' => return Some(State::Quote),
                    '`' => return Some(State::RawQuote),
                    '$' => return Some(State::Variable),
                    '\'' => return Some(State::Char),
                    '.' => {
                        let nb = self.input.as_bytes().get(self.pos).copied();
                        if nb.is_some_and(|b| !b.is_ascii_digit()) {
                            return Some(State::Field);
                        }
                        self.backup();
                        return Some(State::Number);
                    }
                    '+' | '-' | '0'..='9' => {
                        self.backup();
                        return Some(State::Number);
                    }
                    c if is_alnum(c) => {
                        self.backup();
                        return Some(State::Identifier);
                    }
                    '(' => {
                        self.emit(Kind::LeftParen);
                        self.paren_depth += 1;
                    }
                    ')' => {
                        self.emit(Kind::RightParen);
                        self.paren_depth -= 1;
                        if self.paren_depth < 0 {
                            return self
                                .errorf(format!("unexpected right paren {}", unicode_plus(c)));
                        }
                    }
                    c if c.is_ascii() && (' '..='~').contains(&c) => self.emit(Kind::Char),
                    c => {
                        return self.errorf(format!(
                            "unrecognized character in action: {}",
                            unicode_plus(c)
                        ));
                    }
                }
                Some(State::InsideAction)
            }
            State::Space => {
                let mut n = 0;
                while is_space(self.peek()) {
                    self.next();
                    n += 1;
                }
                let rest = &self.input[self.pos - 1..];
                if has_right_trim(rest) && rest[2..].starts_with(RIGHT) {
                    self.backup();
                    if n == 1 {
                        return Some(State::RightDelim);
                    }
                }
                self.emit(Kind::Space);
                Some(State::InsideAction)
            }
            State::Identifier => {
                loop {
                    let c = self.next();
                    if is_alnum(c) {
                        continue;
                    }
                    self.backup();
                    let word = &self.input[self.start..self.pos];
                    if !self.at_terminator() {
                        return self.errorf(format!("bad character {}", unicode_plus(c)));
                    }
                    let kind = match keyword(word) {
                        Some(k) => k,
                        None if word.starts_with('.') => Kind::Field,
                        None if word == "true" || word == "false" => Kind::Bool,
                        None => Kind::Identifier,
                    };
                    self.emit(kind);
                    break;
                }
                Some(State::InsideAction)
            }
            State::Variable => {
                if self.at_terminator() {
                    self.emit(Kind::Variable);
                    return Some(State::InsideAction);
                }
                self.field_or_variable(Kind::Variable)
            }
            State::Field => self.field_or_variable(Kind::Field),
            State::Char => {
                loop {
                    match self.next() {
                        '\\' => {
                            let r = self.next();
                            if r != EOF && r != '\n' {
                                continue;
                            }
                            return self.errorf("unterminated character constant".into());
                        }
                        EOF | '\n' => return self.errorf("unterminated character constant".into()),
                        '\'' => break,
                        _ => {}
                    }
                }
                self.emit(Kind::CharConstant);
                Some(State::InsideAction)
            }
            State::Number => {
                if !self.scan_number() {
                    let t = self.input[self.start..self.pos].to_string();
                    return self.errorf(format!("bad number syntax: {}", super::fmt::quote(&t)));
                }
                let sign = self.peek();
                if sign == '+' || sign == '-' {
                    if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                        let t = self.input[self.start..self.pos].to_string();
                        return self
                            .errorf(format!("bad number syntax: {}", super::fmt::quote(&t)));
                    }
                    self.emit(Kind::Complex);
                } else {
                    self.emit(Kind::Number);
                }
                Some(State::InsideAction)
            }
            State::Quote => {
                loop {
                    match self.next() {
                        '\\' => {
                            let r = self.next();
                            if r != EOF && r != '\n' {
                                continue;
                            }
                            return self.errorf("unterminated quoted string".into());
                        }
                        EOF | '\n' => return self.errorf("unterminated quoted string".into()),
                        '"' => break,
                        _ => {}
                    }
                }
                self.emit(Kind::String);
                Some(State::InsideAction)
            }
            State::RawQuote => {
                loop {
                    match self.next() {
                        EOF => return self.errorf("unterminated raw quoted string".into()),
                        '`' => break,
                        _ => {}
                    }
                }
                self.emit(Kind::RawString);
                Some(State::InsideAction)
            }
        }
    }

    fn field_or_variable(&mut self, kind: Kind) -> Option<State> {
        if self.at_terminator() {
            self.emit(if kind == Kind::Variable {
                Kind::Variable
            } else {
                Kind::Dot
            });
            return Some(State::InsideAction);
        }
        let mut c;
        loop {
            c = self.next();
            if !is_alnum(c) {
                self.backup();
                break;
            }
        }
        if !self.at_terminator() {
            return self.errorf(format!("bad character {}", unicode_plus(c)));
        }
        self.emit(kind);
        Some(State::InsideAction)
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if is_alnum(self.peek()) {
            self.next();
            return false;
        }
        true
    }
}

/// Go's `%#U`: `U+0041 'A'`.
pub fn unicode_plus(c: char) -> String {
    if c == EOF {
        return "U+FFFFFFFF".into();
    }
    if super::fmt::is_print(c) {
        format!("U+{:04X} '{c}'", c as u32)
    } else {
        format!("U+{:04X}", c as u32)
    }
}
