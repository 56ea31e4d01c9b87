//! Helpers shared by the integration tests: where things are, and read
//! access to rendered objects.
//!
//! Rendered output is parsed with msvc's own YAML reader
//! (`msvc::yaml::parse_documents`) and inspected through
//! `msvc::objects::ObjectExt`, so a test states a property of the objects
//! rather than of the text. [`Sandbox`] and [`Run`] run the built binary
//! in a temporary directory. [`gate`] is what a conformance test does when
//! `../shared` or a tool is missing.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use msvc::objects::ObjectExt;
use msvc::yaml::{Node, Origin, parse_documents};

pub mod gate;
#[allow(unused_imports)] // not every test target needs them
pub use gate::*;

/// The crate root; golden `cmd` files and CLI fixtures are relative to it.
pub fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The documents of a rendered stream (empty documents dropped).
pub fn parse(text: &str) -> Vec<Node> {
    parse_documents(text, &Origin::file("<rendered>"))
        .unwrap_or_else(|d| panic!("rendered output is not valid YAML: {d}\n{text}"))
        .into_iter()
        .filter(|d| !d.is_null())
        .collect()
}

/// `(kind, name)` of every object, in order.
pub fn kinds_and_names(objs: &[Node]) -> Vec<(String, String)> {
    objs.iter()
        .map(|o| (o.kind().to_string(), o.name().to_string()))
        .collect()
}

pub fn try_find<'a>(objs: &'a [Node], kind: &str, name: &str) -> Option<&'a Node> {
    objs.iter().find(|o| o.kind() == kind && o.name() == name)
}

/// The object of that kind and name; panics listing what is there.
pub fn find<'a>(objs: &'a [Node], kind: &str, name: &str) -> &'a Node {
    try_find(objs, kind, name).unwrap_or_else(|| {
        panic!(
            "no {kind} `{name}` in the output; found: {:?}",
            kinds_and_names(objs)
        )
    })
}

/// Every object of a kind.
pub fn all<'a>(objs: &'a [Node], kind: &str) -> Vec<&'a Node> {
    objs.iter().filter(|o| o.kind() == kind).collect()
}

/// The node at a dotted path of map keys.
pub fn at<'a>(node: &'a Node, path: &str) -> Option<&'a Node> {
    let keys: Vec<&str> = path.split('.').collect();
    node.get_path(&keys)
}

/// The scalar at `path` as text; panics when missing.
pub fn text(node: &Node, path: &str) -> String {
    at(node, path)
        .and_then(Node::scalar_text)
        .unwrap_or_else(|| panic!("no scalar at `{path}` in\n{}", show(node)))
}

/// The list at `path` (empty when missing).
pub fn list<'a>(node: &'a Node, path: &str) -> Vec<&'a Node> {
    at(node, path)
        .and_then(Node::as_seq)
        .map(|s| s.iter().collect())
        .unwrap_or_default()
}

/// A map of scalars (labels, selectors) as sorted `key -> text` pairs.
pub fn string_map(node: Option<&Node>) -> BTreeMap<String, String> {
    node.and_then(Node::as_map)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.scalar_text().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default()
}

pub fn labels_at(node: &Node, path: &str) -> BTreeMap<String, String> {
    string_map(at(node, path))
}

/// `pairs` as a label map.
pub fn label_map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

/// Whether every pair of `small` is in `big`.
pub fn is_subset(small: &BTreeMap<String, String>, big: &BTreeMap<String, String>) -> bool {
    small.iter().all(|(k, v)| big.get(k) == Some(v))
}

/// The pod spec of a Deployment.
pub fn pod_spec(dep: &Node) -> &Node {
    at(dep, "spec.template.spec")
        .unwrap_or_else(|| panic!("{} has no spec.template.spec", dep.name()))
}

/// Names of the containers (not initContainers) of a Deployment, in order.
pub fn container_names(dep: &Node) -> Vec<String> {
    list(pod_spec(dep), "containers")
        .iter()
        .map(|c| text(c, "name"))
        .collect()
}

/// Containers and initContainers of a Deployment.
pub fn all_containers(dep: &Node) -> Vec<&Node> {
    let pod = pod_spec(dep);
    let mut out = list(pod, "initContainers");
    out.extend(list(pod, "containers"));
    out
}

/// The container (or initContainer) of that name.
pub fn container<'a>(dep: &'a Node, name: &str) -> &'a Node {
    all_containers(dep)
        .into_iter()
        .find(|c| at(c, "name").and_then(Node::as_str) == Some(name))
        .unwrap_or_else(|| panic!("{} has no container `{name}`", dep.name()))
}

/// A list of scalars as text (args, command).
pub fn strings(node: &Node, path: &str) -> Vec<String> {
    list(node, path)
        .iter()
        .map(|n| {
            n.scalar_text()
                .unwrap_or_else(|| panic!("`{path}` holds a non-scalar"))
        })
        .collect()
}

/// The env entry of that name.
pub fn env<'a>(container: &'a Node, name: &str) -> Option<&'a Node> {
    list(container, "env")
        .into_iter()
        .find(|e| at(e, "name").and_then(Node::as_str) == Some(name))
}

/// The literal `value` of an env entry.
pub fn env_value(container: &Node, name: &str) -> Option<String> {
    env(container, name)
        .and_then(|e| at(e, "value"))
        .and_then(Node::scalar_text)
}

/// The pod volume of that name.
pub fn volume<'a>(dep: &'a Node, name: &str) -> Option<&'a Node> {
    list(pod_spec(dep), "volumes")
        .into_iter()
        .find(|v| at(v, "name").and_then(Node::as_str) == Some(name))
}

/// The volumeMount of a container at that path.
pub fn mount_at<'a>(container: &'a Node, mount_path: &str) -> Option<&'a Node> {
    list(container, "volumeMounts")
        .into_iter()
        .find(|m| at(m, "mountPath").and_then(Node::as_str) == Some(mount_path))
}

/// The node affinity's match expressions as `(key, operator, values)`.
pub fn node_affinity(dep: &Node) -> Vec<(String, String, Vec<String>)> {
    let terms = list(
        pod_spec(dep),
        "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms",
    );
    terms
        .iter()
        .flat_map(|t| list(t, "matchExpressions"))
        .map(|e| (text(e, "key"), text(e, "operator"), strings(e, "values")))
        .collect()
}

/// An object printed back, for failure messages.
pub fn show(node: &Node) -> String {
    msvc::yaml::print::to_string(node)
}

/// Whether an example renders on built-in presets named by `--preset` in a
/// header command or by `baseConfigMapRef` (and carries no BaseConfig of its
/// own). Such examples are checked by tests/presets.rs; the rest by
/// tests/golden.rs.
#[allow(dead_code)]
pub fn uses_builtin_presets(text: &str) -> bool {
    let by_flag = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .any(|l| l.contains("msvc render ") && l.contains("--preset"));
    let by_ref = text.contains("baseConfigMapRef") && !text.contains("kind: ConfigMap");
    by_flag || by_ref
}

/// Every file below `root` with its bytes, by relative path (directories as
/// empty entries), to show that a run left a tree as it was.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
            if p.is_dir() {
                out.insert(rel.join(""), Vec::new());
                walk(root, &p, out);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// A temporary working directory for one test, where msvc runs.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new(name: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("msvc-{name}-"))
            .tempdir()
            .expect("temp dir");
        Sandbox { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders) and returns its path.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path().join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).expect("creating a folder");
        }
        std::fs::write(&path, text).expect("writing a file");
        path
    }

    pub fn read(&self, rel: &str) -> String {
        read(&self.path().join(rel))
    }

    /// `msvc ARGS` here, with stdin closed.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_msvc"));
        cmd.args(args).current_dir(self.path()).stdin(Stdio::null());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).output().expect("running msvc"))
    }

    /// `msvc ARGS` with `stdin` piped in.
    pub fn run_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("running msvc");
        let mut pipe = child.stdin.take().expect("msvc's stdin");
        let text = stdin.to_string();
        // Written on its own thread, so a full stdout pipe cannot stall it.
        let writer = std::thread::spawn(move || pipe.write_all(text.as_bytes()));
        let out = child.wait_with_output().expect("running msvc");
        // msvc may stop reading early (an error): a closed pipe is fine.
        let _ = writer.join().expect("the stdin writer");
        Run::from(out)
    }

    /// Every file below `rel`, as sorted relative paths with `/`.
    pub fn tree(&self, rel: &str) -> Vec<String> {
        snapshot(&self.path().join(rel))
            .into_iter()
            .filter(|(p, _)| !p.as_os_str().to_string_lossy().ends_with('/'))
            .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
            .collect()
    }

    /// Every file below `rel` with its bytes (directories as empty entries).
    pub fn snapshot(&self, rel: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(&self.path().join(rel))
    }
}

/// One run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        Run {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }
}

impl Run {
    /// Exit 0; stdout.
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, Some(0), "msvc failed:\n{}", self.stderr);
        &self.stdout
    }

    /// Exit 0; the objects on stdout.
    pub fn objects(&self) -> Vec<Node> {
        parse(self.ok())
    }

    /// Exit 2, nothing on stdout, stderr starting `error: ` with every
    /// needle, and no panic.
    pub fn error(&self, needles: &[&str]) {
        assert_eq!(
            self.code,
            Some(2),
            "expected exit 2; stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        assert!(
            self.stdout.is_empty(),
            "stdout is not empty on error:\n{}",
            self.stdout
        );
        assert!(
            self.stderr.starts_with("error: "),
            "stderr:\n{}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        for n in needles {
            assert!(
                self.stderr.contains(n),
                "stderr lacks `{n}`:\n{}",
                self.stderr
            );
        }
    }
}

/// The 1-based number of the first line of `text` holding `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in the text"))
        + 1
}
