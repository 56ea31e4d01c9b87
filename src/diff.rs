//! Comparing a render with a previous one (a stream file or an `-o`
//! directory), object by object.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

use similar::{ChangeTag, TextDiff};

use crate::error::Error;
use crate::load::read_paths;
use crate::objects::PrintedManifest;
use crate::yaml::{Origin, parse_documents, print};

pub use crate::objects::ObjectKey;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Added {
        key: ObjectKey,
        new: String,
    },
    Removed {
        key: ObjectKey,
        old: String,
    },
    Changed {
        key: ObjectKey,
        old: String,
        new: String,
    },
}

impl Change {
    pub fn key(&self) -> &ObjectKey {
        match self {
            Change::Added { key, .. }
            | Change::Removed { key, .. }
            | Change::Changed { key, .. } => key,
        }
    }
}

/// Objects of a previous render, as `(key, normalised text)`: re-printed
/// through msvc's printer, so only content differences count.
/// Files are parsed on up to `jobs` threads (`None`: one per CPU).
pub fn load_previous(path: &Path, jobs: Option<usize>) -> Result<Vec<(ObjectKey, String)>, Error> {
    if !path.exists() {
        return Err(Error::Read {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no previous render here (render with -o first)",
            ),
        });
    }
    let sources = read_paths(&[path.to_path_buf()])?;
    // An -o directory of a large repository holds tens of thousands of files.
    let parsed = crate::parallel::map(&sources, jobs, |src| {
        let docs = parse_documents(&src.text, &Origin::file(Arc::clone(&src.name)))?;
        Ok(docs
            .into_iter()
            .filter(|d| !d.is_null())
            .map(|doc| (ObjectKey::of(&doc), print::to_string(&doc)))
            .collect::<Vec<_>>())
    });
    let mut out = Vec::new();
    for objects in parsed {
        out.extend(objects.map_err(Error::input)?);
    }
    Ok(out)
}

/// The differences, in the current render's order, then removed objects.
pub fn compare(previous: &[(ObjectKey, String)], current: &[PrintedManifest]) -> Vec<Change> {
    // Indexed: a repository's --check compares tens of thousands of objects.
    let before: HashMap<&ObjectKey, &String> = previous.iter().map(|(k, t)| (k, t)).collect();
    let mut changes = Vec::new();
    let mut seen = HashSet::new();
    for obj in current.iter().flat_map(|m| &m.objects) {
        let key = &obj.key;
        match before.get(key).copied() {
            None => changes.push(Change::Added {
                key: key.clone(),
                new: obj.text.clone(),
            }),
            Some(old) if *old != obj.text => changes.push(Change::Changed {
                key: key.clone(),
                old: old.clone(),
                new: obj.text.clone(),
            }),
            Some(_) => {}
        }
        seen.insert(key);
    }
    for (key, old) in previous {
        if !seen.contains(key) {
            changes.push(Change::Removed {
                key: key.clone(),
                old: old.clone(),
            });
        }
    }
    changes
}

/// A unified diff of one change; ANSI colours when `color`.
pub fn unified(change: &Change, color: bool) -> String {
    let (old, new, label) = match change {
        Change::Added { key, new } => ("", new.as_str(), key),
        Change::Removed { key, old } => (old.as_str(), "", key),
        Change::Changed { key, old, new } => (old.as_str(), new.as_str(), key),
    };
    let name = label.to_string();
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::new();
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let _ = writeln!(out, "{}", paint("1", &format!("--- a: {name}")));
    let _ = writeln!(out, "{}", paint("1", &format!("+++ b: {name}")));
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        let _ = writeln!(out, "{}", paint("36", &hunk.header().to_string()));
        for ch in hunk.iter_changes() {
            let (sign, code) = match ch.tag() {
                ChangeTag::Delete => ("-", "31"),
                ChangeTag::Insert => ("+", "32"),
                ChangeTag::Equal => (" ", ""),
            };
            let line = format!("{sign}{}", ch.value().trim_end_matches('\n'));
            if code.is_empty() {
                let _ = writeln!(out, "{line}");
            } else {
                let _ = writeln!(out, "{}", paint(code, &line));
            }
        }
    }
    out
}

/// One line per change: `changed: Deployment ns/name`.
pub fn summary(changes: &[Change]) -> String {
    let mut out = String::new();
    let (mut a, mut r, mut c) = (0, 0, 0);
    for ch in changes {
        let what = match ch {
            Change::Added { .. } => {
                a += 1;
                "added"
            }
            Change::Removed { .. } => {
                r += 1;
                "removed"
            }
            Change::Changed { .. } => {
                c += 1;
                "changed"
            }
        };
        let _ = writeln!(out, "{what}: {}", ch.key());
    }
    let _ = writeln!(out, "{c} changed, {a} added, {r} removed");
    out
}
