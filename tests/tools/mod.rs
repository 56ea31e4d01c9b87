//! Helpers for the tests that run msvc with real tools beside it: kubectl
//! (its built-in kustomize), kpt, Argo CD's plugin commands and the
//! validators of `tests/validate.rs`.
//!
//! A tool the tests need and cannot find is a failure that says how to get
//! it (`.ci/run` installs kubectl and the Python tools), never a skip.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use msvc::objects::ObjectExt;
use msvc::yaml::{Node, Origin, parse_documents};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `shared/` beside the crate (CI clones the repository next to it).
pub fn shared() -> PathBuf {
    let dir = root().join("../shared");
    assert!(
        dir.is_dir(),
        "{} is missing: these tests need the `shared/` folder beside the crate",
        dir.display()
    );
    dir
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

/// An executable on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// kubectl: `$MSVC_KUBECTL`, else `kubectl` on PATH. Fails the test when
/// there is none.
pub fn kubectl() -> PathBuf {
    if let Some(p) = std::env::var_os("MSVC_KUBECTL").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "MSVC_KUBECTL names {}, which does not exist",
            p.display()
        );
        return p;
    }
    which("kubectl").unwrap_or_else(|| {
        panic!(
            "kubectl is not installed: the kustomize and Argo CD tests run the real kubectl. \
             .ci/run installs it (apt-get install kubernetes-client when no kubectl is on PATH); \
             or point MSVC_KUBECTL at one"
        )
    })
}

/// `kubectl kustomize --help`, to see which flags this kubectl's kustomize has.
pub fn kustomize_help() -> String {
    let r = run(Command::new(kubectl())
        .args(["kustomize", "--help"])
        .stdin(Stdio::null()));
    r.stdout + &r.stderr
}

/// kubectl whose kustomize runs plugins (`--enable-alpha-plugins`, kustomize
/// v3+, kubectl 1.21+). Fails the test otherwise, saying why.
pub fn kubectl_with_plugins() -> PathBuf {
    let k = kubectl();
    let help = kustomize_help();
    assert!(
        help.contains("--enable-alpha-plugins"),
        "{} has no `kubectl kustomize --enable-alpha-plugins` (Debian bookworm's kubernetes-client \
         is kubectl 1.20 with kustomize v2.0.3, which cannot run plugins); these tests need \
         kubectl >= 1.21. .ci/run installs kubectl when there is none; put a newer one on PATH \
         or name it with MSVC_KUBECTL",
        k.display()
    );
    k
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
