//! Helpers for the tests that run msvc with real tools beside it: kubectl
//! (its built-in kustomize), kpt, Argo CD's plugin commands and the
//! validators of `tests/validate.rs`.
//!
//! A test that needs a tool or `../shared` starts with a `require_*` of
//! `tests/common/gate.rs` (re-exported here), which skips or fails it when
//! the tool is missing.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use msvc::objects::ObjectExt;
use msvc::yaml::{Node, Origin, parse_documents};

#[path = "../common/gate.rs"]
mod gate;
#[allow(unused_imports)] // not every test target needs them
pub use gate::*;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn msvc() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_msvc"))
}

/// What a finished command left.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.code == Some(0)
    }

    /// Panics with the command's output unless it succeeded.
    #[track_caller]
    pub fn expect_ok(&self, what: &str) -> &Self {
        assert!(
            self.ok(),
            "{what} failed ({:?})\n--- stderr\n{}\n--- stdout\n{}",
            self.code,
            self.stderr,
            self.stdout
        );
        self
    }
}

/// Runs `cmd` with stdin closed (as Argo CD and CI do) unless it was set.
pub fn run(cmd: &mut Command) -> Run {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `msvc ARGS` in `cwd`, stdin closed.
pub fn msvc_in(cwd: &Path, args: &[&str]) -> Run {
    run(Command::new(msvc())
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null()))
}

/// `msvc ARGS` with `input` on stdin.
pub fn msvc_stdin(args: &[&str], input: &str) -> Run {
    use std::io::Write;
    let mut child = Command::new(msvc())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("msvc starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let text = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(text.as_bytes());
    });
    let out = child.wait_with_output().expect("msvc finishes");
    writer.join().expect("stdin writer");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// kubectl, in a test that checked `require_kubectl()` first.
#[track_caller]
pub fn kubectl() -> PathBuf {
    require_kubectl().expect("kubectl is missing: start the test with `require_kubectl()`")
}

/// kubectl whose kustomize runs plugins, in a test that checked
/// `require_kubectl_with_plugins()` first.
#[track_caller]
pub fn kubectl_with_plugins() -> PathBuf {
    require_kubectl_with_plugins().expect(
        "kubectl with kustomize plugins is missing: start the test with `require_kubectl_with_plugins()`",
    )
}

/// `kubectl kustomize --help`, to see which flags this kubectl's kustomize has.
pub fn kustomize_help() -> String {
    let r = run(Command::new(kubectl())
        .args(["kustomize", "--help"])
        .stdin(Stdio::null()));
    r.stdout + &r.stderr
}

/// `KUSTOMIZE_PLUGIN_HOME=plugins kubectl kustomize --enable-alpha-plugins dir`.
pub fn kustomize_build(plugins: &Path, dir: &Path) -> Run {
    run(Command::new(kubectl_with_plugins())
        .args(["kustomize", "--enable-alpha-plugins"])
        .arg(dir)
        .env("KUSTOMIZE_PLUGIN_HOME", plugins)
        .stdin(Stdio::null()))
}

/// Installs the generator plugin into `plugins` with msvc itself.
pub fn install_plugin(plugins: &Path) -> PathBuf {
    let r = run(Command::new(msvc())
        .args(["kustomize-plugin", "install", "--dir"])
        .arg(plugins)
        .stdin(Stdio::null()));
    r.expect_ok("msvc kustomize-plugin install");
    PathBuf::from(r.stdout.trim())
}

/// The documents of a YAML stream, nulls dropped.
#[track_caller]
pub fn docs(text: &str) -> Vec<Node> {
    parse_documents(text, &Origin::file("output"))
        .unwrap_or_else(|e| panic!("output is not YAML: {e}\n{text}"))
        .into_iter()
        .filter(|d| !d.is_null())
        .collect()
}

/// `kind/name` of each object.
pub fn ids(objects: &[Node]) -> Vec<String> {
    objects
        .iter()
        .map(|o| format!("{}/{}", o.kind(), o.name()))
        .collect()
}

/// The object of that kind and name.
#[track_caller]
pub fn find<'a>(objects: &'a [Node], kind: &str, name: &str) -> &'a Node {
    objects
        .iter()
        .find(|o| o.kind() == kind && o.name() == name)
        .unwrap_or_else(|| panic!("no {kind}/{name} among {:?}", ids(objects)))
}

/// A string at a path of a node.
pub fn str_at<'a>(node: &'a Node, path: &[&str]) -> Option<&'a str> {
    node.get_path(path).and_then(Node::as_str)
}

/// `text` with every line indented by `n` spaces.
pub fn indent(text: &str, n: usize) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{}{l}", " ".repeat(n))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Writes `files` (relative path, text) below `dir`.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, text).unwrap();
    }
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The Llama 2 7B example: one decode role on the default preset.
pub fn example(name: &str) -> String {
    read(&root().join("examples").join(name))
}
