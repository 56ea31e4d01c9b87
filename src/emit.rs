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
/// The new tree is built in a hidden sibling directory and swapped in, so
/// a failure leaves the old files as they were. When `dir` is a symbolic
/// link, the directory it points to is replaced, and the link kept.
///
/// Returns warnings: what went wrong after the new files were in place
/// (the previous render could not be deleted).
pub fn write_dir(dir: &Path, files: &[(PathBuf, &str)]) -> Result<Vec<String>, Error> {
    // Errors name the directory the user gave, and say which step failed.
    let err = |message: String| Error::Write {
        path: dir.to_path_buf(),
        message,
    };
    let given = dir;
    // A link is followed (renaming it would replace the link, not the
    // directory it names); `.` and `..` cannot be renamed: both are swapped
    // by their real name.
    let is_link = fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink());
    let resolved;
    let dir = if is_link || (dir.file_name().is_none() && dir.exists()) {
        resolved = fs::canonicalize(dir).map_err(|e| {
            let target = fs::read_link(dir)
                .map(|t| format!(" to `{}`", t.display()))
                .unwrap_or_default();
            err(format!(
                "is a symbolic link{target} that does not lead to a directory ({}); point -o at a directory, or create the link's target",
                io_text(&e)
            ))
        })?;
        resolved.as_path()
    } else {
        dir
    };
    if dir.exists() {
        if !dir.is_dir() {
            return Err(err(
                "exists and is not a directory; -o expects a directory (msvc creates it): name another path or remove the file".into(),
            ));
        }
        let not_ours = fs::read_dir(dir)
            .map_err(|e| err(format!("cannot read the output directory: {}", io_text(&e))))?
            .next()
            .is_some()
            && !dir.join(MARKER).is_file();
        if not_ours {
            return Err(err(format!(
                "refusing to replace a non-empty directory that msvc did not create (no {MARKER} file); name an empty or new directory"
            )));
        }
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if let Some(blocker) = parent.ancestors().find(|a| a.is_file()) {
        return Err(err(format!(
            "cannot create the output directory: `{}` is a file; -o expects a directory path",
            blocker.display()
        )));
    }
    fs::create_dir_all(&parent).map_err(|e| {
        err(format!(
            "cannot create the directory `{}` to hold the output: {}",
            parent.display(),
            io_text(&e)
        ))
    })?;
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = reserve(&parent, &base, "tmp").map_err(|e| {
        err(format!(
            "cannot create a staging directory in `{}` ({}); msvc writes the new files next to the output directory, then swaps them in",
            parent.display(),
            io_text(&e)
        ))
    })?;
    let build = || -> Result<(), (PathBuf, std::io::Error)> {
        for (rel, text) in files {
            let path = tmp.join(rel);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p).map_err(|e| (rel.clone(), e))?;
            }
            fs::write(&path, text).map_err(|e| (rel.clone(), e))?;
        }
        fs::write(tmp.join(MARKER), MARKER_TEXT).map_err(|e| (PathBuf::from(MARKER), e))
    };
    if let Err((rel, e)) = build() {
        let _ = fs::remove_dir_all(&tmp);
        return Err(err(format!(
            "{} while writing `{}`; the output directory was left as it was",
            io_text(&e),
            rel.display()
        )));
    }
    let mut warnings = Vec::new();
    if !dir.exists() {
        if let Err(e) = fs::rename(&tmp, dir) {
            let _ = fs::remove_dir_all(&tmp);
            return Err(err(format!(
                "cannot move the new files into place: {}",
                io_text(&e)
            )));
        }
        return Ok(warnings);
    }
    // `tmp` holds the previous render once swapped.
    let previous = match exchange(&tmp, dir) {
        Ok(()) => tmp,
        Err(e) if !exchange_unsupported(&e) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(err(format!(
                "cannot swap the new files into place: {}; the output directory was left as it was",
                io_text(&e)
            )));
        }
        Err(_) => {
            let old = reserve(&parent, &base, "old").map_err(|e| {
                let _ = fs::remove_dir_all(&tmp);
                err(format!(
                    "cannot create a directory in `{}` to move the previous render aside ({}); the output directory was left as it was",
                    parent.display(),
                    io_text(&e)
                ))
            })?;
            swap_by_renames(dir, &tmp, &old, |from, to| fs::rename(from, to)).map_err(err)?;
            old
        }
    };
    if let Err(e) = fs::remove_dir_all(&previous) {
        warnings.push(format!(
            "{}: the new files are in place, but the previous render could not be deleted from `{}` ({}); delete it",
            given.display(),
            previous.display(),
            io_text(&e)
        ));
    }
    Ok(warnings)
}

/// Creates a new, empty hidden directory `.<base>.msvc-<what>-<pid>-<n>`
/// in `parent`, for a name no other run uses (one that a run with the same
/// process id left behind, killed, is skipped, not reused).
fn reserve(parent: &Path, base: &str, what: &str) -> std::io::Result<PathBuf> {
    let pid = std::process::id();
    let mut n = 0u32;
    loop {
        let path = parent.join(format!(".{base}.msvc-{what}-{pid}-{n}"));
        match fs::create_dir(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            other => return other.map(|()| path),
        }
    }
}

/// Swaps two directories in one step, so that `b` never stops existing:
/// Linux's `renameat2(RENAME_EXCHANGE)`.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt as _;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are NUL-terminated strings that outlive the call;
    // the raw system call (not glibc's wrapper, which needs glibc 2.28)
    // reads them and nothing else.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Whether [`exchange`] failed because the system or the file system
/// cannot exchange (rather than because of the paths).
fn exchange_unsupported(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(
        e.raw_os_error(),
        Some(libc::ENOSYS | libc::EINVAL | libc::EPERM)
    ) {
        return true;
    }
    e.kind() == std::io::ErrorKind::Unsupported
}

/// Where [`exchange`] cannot be used: moves `dir` aside to `old` (an empty
/// directory, which the rename replaces) and `tmp` into its place. Between
/// the two renames `dir` does not exist: a reader in that moment, or a
/// crash, finds no output directory (the previous render is then in
/// `old`). When the second rename fails, the first is undone; when that
/// fails too, the message says where both renders are.
fn swap_by_renames(
    dir: &Path,
    tmp: &Path,
    old: &Path,
    rename: impl Fn(&Path, &Path) -> std::io::Result<()>,
) -> Result<(), String> {
    if let Err(e) = rename(dir, old) {
        let _ = fs::remove_dir_all(tmp);
        let _ = fs::remove_dir(old);
        return Err(format!(
            "cannot move the previous render aside to `{}`: {}; the output directory was left as it was",
            old.display(),
            io_text(&e)
        ));
    }
    if let Err(e) = rename(tmp, dir) {
        return Err(match rename(old, dir) {
            Ok(()) => {
                let _ = fs::remove_dir_all(tmp);
                format!(
                    "cannot move the new files into place: {}; the previous render is back in place",
                    io_text(&e)
                )
            }
            Err(back) => format!(
                "cannot move the new files into place ({}), nor the previous render back ({}): the previous render is in `{}`, the new one in `{}`",
                io_text(&e),
                io_text(&back),
                old.display(),
                tmp.display()
            ),
        });
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

    fn files(text: &str) -> Vec<(PathBuf, &str)> {
        vec![(PathBuf::from("m/deployment-m.yaml"), text)]
    }

    #[test]
    fn staging_names_skip_those_in_use() {
        let root = tempfile::tempdir().unwrap();
        let pid = std::process::id();
        std::fs::create_dir_all(root.path().join(format!(".out.msvc-tmp-{pid}-0/x"))).unwrap();
        let got = reserve(root.path(), "out", "tmp").unwrap();
        assert_eq!(got, root.path().join(format!(".out.msvc-tmp-{pid}-1")));
        assert!(got.is_dir());
        assert!(
            root.path()
                .join(format!(".out.msvc-tmp-{pid}-0/x"))
                .is_dir()
        );
    }

    /// The output directory exists at every moment of a swap.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_output_directory_never_disappears_during_a_swap() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        write_dir(&out, &files("a")).unwrap();
        let done = AtomicBool::new(false);
        let missing = std::thread::scope(|s| {
            let watcher = s.spawn(|| {
                let mut missing = 0;
                while !done.load(Ordering::Relaxed) {
                    if std::fs::symlink_metadata(&out).is_err() {
                        missing += 1;
                    }
                }
                missing
            });
            for i in 0..300 {
                let w = write_dir(&out, &files(if i % 2 == 0 { "b" } else { "c" })).unwrap();
                assert!(w.is_empty(), "{w:?}");
            }
            done.store(true, Ordering::Relaxed);
            watcher.join().unwrap()
        });
        assert_eq!(
            missing, 0,
            "the output directory was missing {missing} times"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("m/deployment-m.yaml")).unwrap(),
            "c"
        );
        let names: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out"]);
    }

    /// Where the system cannot exchange: two renames, undone on failure,
    /// and a message that says where the renders are when undoing fails.
    #[test]
    fn a_swap_by_renames_says_where_the_renders_are() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let tmp = root.path().join(".out.msvc-tmp");
        let old = root.path().join(".out.msvc-old");
        let setup = || {
            for d in [&dir, &tmp, &old] {
                let _ = std::fs::remove_dir_all(d);
            }
            std::fs::create_dir(&dir).unwrap();
            std::fs::write(dir.join("f"), "previous").unwrap();
            std::fs::create_dir(&tmp).unwrap();
            std::fs::write(tmp.join("f"), "new").unwrap();
            std::fs::create_dir(&old).unwrap();
        };
        let read = |d: &Path| std::fs::read_to_string(d.join("f")).unwrap();
        let refuse = |from: &Path, to: &Path, bad: &Path| {
            if from == bad {
                Err(std::io::Error::other("refused"))
            } else {
                std::fs::rename(from, to)
            }
        };

        setup();
        swap_by_renames(&dir, &tmp, &old, |a, b| std::fs::rename(a, b)).unwrap();
        assert_eq!(read(&dir), "new");
        assert_eq!(read(&old), "previous");

        // The new render cannot move in: the previous one goes back.
        setup();
        let e = swap_by_renames(&dir, &tmp, &old, |a, b| refuse(a, b, &tmp)).unwrap_err();
        assert!(e.contains("the previous render is back in place"), "{e}");
        assert_eq!(read(&dir), "previous");
        assert!(!tmp.exists());

        // Nor can the previous one move back: the message says where each is.
        setup();
        let calls = std::cell::Cell::new(0);
        let e = swap_by_renames(&dir, &tmp, &old, |a, b| {
            calls.set(calls.get() + 1);
            if calls.get() == 1 {
                std::fs::rename(a, b)
            } else {
                Err(std::io::Error::other("refused"))
            }
        })
        .unwrap_err();
        assert!(
            e.contains(&format!("the previous render is in `{}`", old.display()))
                && e.contains(&format!("the new one in `{}`", tmp.display())),
            "{e}"
        );
        assert_eq!(read(&old), "previous");
        assert_eq!(read(&tmp), "new");

        // The previous render cannot move aside: nothing changes.
        setup();
        let e = swap_by_renames(&dir, &tmp, &old, |a, b| refuse(a, b, &dir)).unwrap_err();
        assert!(e.contains("cannot move the previous render aside"), "{e}");
        assert!(e.contains("the output directory was left as it was"), "{e}");
        assert_eq!(read(&dir), "previous");
    }
}
