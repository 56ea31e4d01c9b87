//! One error type for the library. Each variant names the stage that failed;
//! positions travel as data ([`Span`]) and are only turned into text by the
//! CLI's reporter.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a node or an error sits in an input: file name, 1-based line and column.
#[derive(Clone, Debug, Default)]
pub struct Span {
    pub file: Arc<str>,
    pub line: u32,
    pub col: u32,
}

impl Span {
    pub fn new(file: Arc<str>, line: u32, col: u32) -> Self {
        Span { file, line, col }
    }

    /// A span for things msvc made itself (no source position).
    pub fn none() -> Self {
        Span::default()
    }

    pub fn is_known(&self) -> bool {
        !self.file.is_empty()
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.col)
        }
    }
}

/// The pipeline stage a diagnostic comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading YAML text.
    Parse,
    /// Checking a document against the ModelService / BaseConfig schema.
    Decode,
    /// Resolving BaseConfig references.
    Resolve,
    /// Rendering a template.
    Template,
    /// Building Kubernetes objects.
    Build,
    /// Chart values (`msvc template`).
    Values,
}

/// A located message about an input: what is wrong, where, and how to fix it.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub stage: Stage,
    pub span: Span,
    /// Dotted YAML path of the offending field, when one applies.
    pub path: Option<String>,
    pub message: String,
    /// What was expected, or how to fix it.
    pub help: Option<String>,
    /// Further context, each printed on a line of its own after the
    /// message (e.g. the preset line that an error in a ModelService meets).
    /// (A boxed slice: diagnostics travel in `Result`s, keep them small.)
    pub notes: Box<[String]>,
}

impl Diagnostic {
    pub fn new(stage: Stage, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            stage,
            span,
            path: None,
            message: message.into(),
            help: None,
            notes: Box::default(),
        }
    }

    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        if !path.is_empty() {
            self.path = Some(path);
        }
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        let mut notes = std::mem::take(&mut self.notes).into_vec();
        notes.push(note.into());
        self.notes = notes.into_boxed_slice();
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.span.is_known() {
            write!(f, "{}: ", self.span)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(path) = &self.path {
            write!(f, " (at {path})")?;
        }
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more problems with the inputs (exit code 2).
    #[error("{}", .0.first().map(ToString::to_string).unwrap_or_default())]
    Input(Vec<Diagnostic>),
    /// Reading an input failed.
    #[error("{}: cannot read: {}", .path.display(), io_reason(.source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Writing output failed.
    #[error("{}: {message}", .path.display())]
    Write { path: PathBuf, message: String },
}

impl Error {
    pub fn input(d: Diagnostic) -> Self {
        Error::Input(vec![d])
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Input(d) => d,
            _ => &[],
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::input(d)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An I/O error for people: the OS's words, lower-case, without
/// `(os error N)`.
pub fn io_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// [`io_text`] of a failed read, and what to do about the common ones.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let text = io_text(e);
    match e.kind() {
        ErrorKind::NotFound => format!("{text}; expected an existing file or directory"),
        ErrorKind::PermissionDenied => format!("{text}; check its permissions"),
        _ => text,
    }
}
