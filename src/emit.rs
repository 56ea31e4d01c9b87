//! Output: one YAML stream, or a directory with a file per object, written
//! atomically.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, io_text};
use crate::objects::{Manifest, PrintedManifest};
use crate::yaml::print;

/// The file msvc leaves in every directory it writes, so that it never
/// replaces a directory it did not make.
pub const MARKER: &str = ".msvc-output";
const MARKER_TEXT: &str =
    "This directory is written by `msvc render -o` and replaced on every render.\n";

/// All objects as one multi-document stream, each document opened by `---`.
pub fn to_stream(manifests: &[Manifest]) -> String {
    let mut out = String::new();
    for m in manifests {
        for obj in &m.objects {
            out.push_str("---\n");
            print::write_document(&mut out, obj);
        }
    }
    out
}

/// The stream of [`to_stream`], from printed objects, written to `w` as it
/// goes rather than gathered into one string first.
pub fn write_stream(
    w: &mut impl std::io::Write,
    manifests: &[PrintedManifest],
) -> std::io::Result<()> {
    for obj in manifests.iter().flat_map(|m| &m.objects) {
        w.write_all(b"---\n")?;
        w.write_all(obj.text.as_bytes())?;
    }
    w.flush()
}

/// Relative path of each object's file: `<manifest>/<kind>-<name>.yaml`,
/// with the file's text.
pub fn files(manifests: &[PrintedManifest]) -> Result<Vec<(PathBuf, &str)>, Error> {
    let mut out: Vec<(PathBuf, &str)> = Vec::new();
    let mut names = HashSet::new();
    let mut paths = HashSet::new();
    for m in manifests {
        if !names.insert(m.name.as_str()) {
            return Err(Error::Write {
                path: PathBuf::from(&m.name),
                message: format!(
                    "two ModelServices are named `{}` (in different namespaces) and -o writes both to this directory; give them distinct names, or render each namespace to its own -o directory",
                    m.name
                ),
            });
        }
    }
    for m in manifests {
        let dir = safe_component(&m.name).ok_or_else(|| unsafe_name(&m.name))?;
        for obj in &m.objects {
            let stem = format!("{}-{}", obj.key.kind.to_ascii_lowercase(), obj.key.name);
            let file = safe_component(&stem).ok_or_else(|| unsafe_name(&stem))?;
            let path = Path::new(&dir).join(format!("{file}.yaml"));
            if !paths.insert(path.clone()) {
                return Err(Error::Write {
                    path,
                    message:
                        "two objects map to this file (same kind and name in one ModelService)"
                            .into(),
                });
            }
            out.push((path, obj.text.as_str()));
        }
    }
    Ok(out)
}

fn unsafe_name(name: &str) -> Error {
    Error::Write {
        path: PathBuf::from(name),
        message: "this name cannot be used as a file name under -o; expected a Kubernetes object name (lower-case letters, digits, `-` and `.`)".into(),
    }
}

/// A name as a single path component: `[A-Za-z0-9._-]` only, never `.`/`..`,
/// so that no object name can reach outside the output directory.
pub fn safe_component(name: &str) -> Option<String> {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.starts_with('.')
        && name.len() <= 255
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    ok.then(|| name.to_string())
}

/// Writes the files into `dir`, replacing what msvc wrote there before.
/// The new tree is built in a sibling directory and swapped in, so a
/// failure leaves the old files as they were.
pub fn write_dir(dir: &Path, files: &[(PathBuf, &str)]) -> Result<(), Error> {
    let err = |path: &Path, message: String| Error::Write {
        path: path.to_path_buf(),
        message,
    };
    // `.` or `..` cannot be renamed; swap the directory by its real name.
    let resolved;
    let dir = if dir.file_name().is_none() && dir.exists() {
        resolved = fs::canonicalize(dir).map_err(|e| err(dir, io_text(&e)))?;
        resolved.as_path()
    } else {
        dir
    };
    if dir.exists() {
        if !dir.is_dir() {
            return Err(err(
                dir,
                "exists and is not a directory; -o expects a directory (msvc creates it): name another path or remove the file".into(),
            ));
        }
        let not_ours = fs::read_dir(dir)
            .map_err(|e| {
                err(
                    dir,
                    format!("cannot read the output directory: {}", io_text(&e)),
                )
            })?
            .next()
            .is_some()
            && !dir.join(MARKER).is_file();
        if not_ours {
            return Err(err(
                dir,
                format!(
                    "refusing to replace a non-empty directory that msvc did not create (no {MARKER} file); name an empty or new directory"
                ),
            ));
        }
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // Errors name the directory the user gave, and say which step failed.
    let cannot = |what: String, e: std::io::Error| {
        err(
            dir,
            format!(
                "cannot create the output directory: {what}: {}; expected a path where msvc may create the directory and a sibling to build it in",
                io_text(&e)
            ),
        )
    };
    if let Some(blocker) = parent.ancestors().find(|a| a.is_file()) {
        return Err(err(
            dir,
            format!(
                "cannot create the output directory: `{}` is a file; -o expects a directory path",
                blocker.display()
            ),
        ));
    }
    fs::create_dir_all(&parent).map_err(|e| cannot(format!("`{}`", parent.display()), e))?;
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = parent.join(format!(".{base}.msvc-tmp-{}", std::process::id()));
    let old = parent.join(format!(".{base}.msvc-old-{}", std::process::id()));

    let build = || -> Result<(), Error> {
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir(&tmp).map_err(|e| {
            cannot(
                format!("cannot make a staging directory in `{}`", parent.display()),
                e,
            )
        })?;
        for (rel, text) in files {
            let path = tmp.join(rel);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p)
                    .map_err(|e| cannot(format!("staging `{}`", rel.display()), e))?;
            }
            fs::write(&path, text)
                .map_err(|e| cannot(format!("staging `{}`", rel.display()), e))?;
        }
        fs::write(tmp.join(MARKER), MARKER_TEXT)
            .map_err(|e| cannot(format!("staging `{MARKER}`"), e))?;
        Ok(())
    };
    if let Err(e) = build() {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let existed = dir.exists();
    if existed && let Err(e) = fs::rename(dir, &old) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(cannot("cannot move the previous render aside".into(), e));
    }
    if let Err(e) = fs::rename(&tmp, dir) {
        if existed {
            let _ = fs::rename(&old, dir);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(cannot("cannot move the new render in place".into(), e));
    }
    if existed {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names_cannot_escape() {
        for bad in [
            "", ".", "..", "../x", "a/b", ".hidden", "a\\b", "a b", "x\0y",
        ] {
            assert!(safe_component(bad).is_none(), "{bad:?}");
        }
        assert_eq!(
            safe_component("deployment-m-decode").as_deref(),
            Some("deployment-m-decode")
        );
    }
}
