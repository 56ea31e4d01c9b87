//! A Go `text/template` engine with sprig, behaving as Go 1.19's does:
//! the same output, the same error texts and positions
//! (`template: NAME:LINE:COL: executing "NAME" at <.a>: ...`).
//!
//! Parse once into a [`TemplateSet`] (several named sources share their
//! `define`s, as a Helm chart's files do), then execute any named template
//! on a [`Value`] as often as needed. Sandboxed: no function reads the
//! environment, files, the network, the clock or randomness; loops, output
//! and nesting run within [`Limits`].
//!
//! ```
//! use msvc::gotemplate::{Options, TemplateSet, Value};
//! let mut set = TemplateSet::standard();
//! set.parse("t", r#"{{ .name | upper | printf "%s-x" }}"#).unwrap();
//! let data = Value::from_json(&serde_json::json!({"name": "llama"}));
//! assert_eq!(set.execute("t", &data, &Options::default()).unwrap(), "LLAMA-x");
//! ```

use std::collections::HashMap;
use std::rc::Rc;

mod exec;
pub mod fmt;
pub mod funcs;
mod lex;
pub mod parse;
pub mod value;

pub use funcs::{Ctx, FResult, Func, FuncError, FuncMap, Ty};
pub use parse::ParseError;
pub use value::{Elem, IntKind, Record, Value};

/// What a missing map key gives (Go's `missingkey=` option).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingKey {
    /// `<no value>` when printed (Go's `default` and `invalid`).
    #[default]
    Default,
    /// The zero value of the map's element type.
    Zero,
    /// An error naming the key.
    Error,
}

/// The budgets one execution runs within.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// `range` iterations in all, and items in a list a function builds.
    pub iterations: u64,
    /// Bytes of output, and of any string a function builds.
    pub output: usize,
    /// Nested `template` calls (Go allows 100,000; msvc's stack does not).
    pub template_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            iterations: 100_000,
            output: 1 << 20,
            template_depth: 100,
        }
    }
}

/// A budget that was exceeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Limit {
    #[error("the template ran more than {0} loop iterations (msvc's limit)")]
    Iterations(u64),
    #[error("the template's output passed {0} bytes (msvc's limit)")]
    Output(usize),
    #[error("exceeded maximum template depth ({0})")]
    TemplateDepth(usize),
    #[error("templates, control structures and parentheses nest deeper than {0} (msvc's limit)")]
    Nesting(usize),
    #[error("lists and maps nest deeper than {0} levels (msvc's limit)")]
    ValueDepth(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Parse,
    /// An execution error Go would report too.
    Exec,
    /// A function msvc refuses (clock, randomness, network).
    Refused,
    Budget(Limit),
    /// No template of that name.
    NotDefined,
}

/// An error from parsing or executing, with Go's text in `message` and its
/// position (line, and for execution the 0-based byte column, as Go
/// counts) in the named source.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub message: String,
    pub kind: ErrorKind,
    /// The source (parse name) the position is in.
    pub template: String,
    pub line: usize,
    pub column: usize,
}

impl From<ParseError> for Error {
    fn from(e: ParseError) -> Self {
        Error {
            message: e.message,
            kind: ErrorKind::Parse,
            template: e.name,
            line: e.line,
            column: 0,
        }
    }
}

/// How to execute.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub missing_key: MissingKey,
    pub limits: Limits,
}

/// Parsed templates by name, and the functions they may call.
#[derive(Debug)]
pub struct TemplateSet {
    trees: HashMap<String, Rc<parse::Tree>>,
    funcs: FuncMap,
}

impl TemplateSet {
    /// A set with the given functions only.
    pub fn with_funcs(funcs: FuncMap) -> TemplateSet {
        TemplateSet {
            trees: HashMap::new(),
            funcs,
        }
    }

    /// Go's builtins and sprig's functions (less `env` and `expandenv`),
    /// as Helm and the ModelService controller register them.
    pub fn standard() -> TemplateSet {
        TemplateSet::with_funcs(funcs::standard())
    }

    /// The controller's set: [`TemplateSet::standard`] and `getPort`, which
    /// looks names up in `ports` (-1 when absent).
    pub fn controller(ports: HashMap<String, i32>) -> TemplateSet {
        let mut f = funcs::standard();
        funcs::get_port(&mut f, ports);
        TemplateSet::with_funcs(f)
    }

    /// Adds (or replaces) a function; templates parsed later may call it.
    pub fn add_func(&mut self, name: &str, f: Func) {
        self.funcs.insert(name.to_string(), Rc::new(f));
    }

    /// Parses `text` as the template `name`; its `define`s and `block`s
    /// join the set. As in Go, a later non-empty definition of a name
    /// replaces an earlier one, and an empty one does not.
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let funcs = &self.funcs;
        let trees = parse::parse(name, text, &|f| funcs.contains_key(f))?;
        for t in trees {
            if parse::is_empty(&t.root) && t.name != name && self.trees.contains_key(&t.name) {
                continue;
            }
            self.trees.insert(t.name.clone(), Rc::new(t));
        }
        Ok(())
    }

    /// Whether a template of this name exists.
    pub fn has(&self, name: &str) -> bool {
        self.trees.contains_key(name)
    }

    /// The names of the templates, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.trees.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// Executes template `name` on `data`.
    pub fn execute(&self, name: &str, data: &Value, opts: &Options) -> Result<String, Error> {
        let Some(tree) = self.trees.get(name) else {
            return Err(Error {
                message: format!(
                    "template: no template {} associated with template {}",
                    fmt::quote(name),
                    fmt::quote(name)
                ),
                kind: ErrorKind::NotDefined,
                template: name.to_string(),
                line: 0,
                column: 0,
            });
        };
        let mut state = exec::State::new(&self.trees, &self.funcs, opts, tree, data);
        state.run(data)?;
        Ok(state.out)
    }
}

/// Go's `Template.Execute` for one source: parses `text` as `name` and
/// executes it on `data` with the standard functions.
pub fn render(name: &str, text: &str, data: &Value, opts: &Options) -> Result<String, Error> {
    let mut set = TemplateSet::standard();
    set.parse(name, text)?;
    set.execute(name, data, opts)
}
