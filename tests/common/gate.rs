//! What a test needs from outside the repository, decided in one place.
//!
//! Project tests need the repository alone. Conformance tests also need
//! `../shared` (the upstream operator samples, chart and Helm reference,
//! CRD schemas and comparison tools, checked out beside the repository as
//! CI has it) or a tool on the machine (kubectl, kpt, python3 with PyYAML,
//! the Python validators of `.ci/tools-venv`, GNU time). Each `require_*`
//! gives what was asked for, or, when it is missing, `None` after one line
//! on stderr saying what is skipped and how to get it; with
//! `MSVC_REQUIRE_SHARED=1` (for `../shared`) or `MSVC_REQUIRE_TOOLS=1`
//! (for tools), as `.ci/run` sets, a missing one fails the test instead.
//!
//! A test skips with `let Some(x) = require_...(..) else { return };` (or
//! `if require_...().is_none() { return; }`), a part of one with `if let`.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock, PoisonError};

/// Set: a missing `../shared` fails the tests that need it.
pub const REQUIRE_SHARED: &str = "MSVC_REQUIRE_SHARED";
/// Set: a missing tool fails the tests that need it.
pub const REQUIRE_TOOLS: &str = "MSVC_REQUIRE_TOOLS";

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `shared/` beside the crate, there or not.
pub fn shared_root() -> PathBuf {
    let root = crate_root();
    root.parent().unwrap_or(&root).join("shared")
}

fn required(var: &str) -> bool {
    std::env::var_os(var).is_some_and(|v| !v.is_empty() && v != "0")
}

/// The skip (one line on stderr, once per test and need; `None`) or, when
/// `var` is set, the failure.
#[track_caller]
fn missing<T>(var: &str, needs: &str, why: &str) -> Option<T> {
    static SAID: Mutex<BTreeSet<(String, String)>> = Mutex::new(BTreeSet::new());
    let current = std::thread::current();
    let test = current.name().unwrap_or("a test");
    if required(var) {
        panic!("{test} needs {needs}: {why} ({var} is set, so this is a failure, not a skip)");
    }
    let first = SAID
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert((test.to_string(), needs.to_string()));
    if first {
        // Straight to the process's stderr: libtest captures `eprintln!` of
        // a passing test, and a skip must show in `cargo test`.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: {test}: what needs {needs} ({why}; {var}=1 makes this a failure)"
        );
    }
    None
}

/// `../shared/<rel>` (e.g. `upstream/operator/samples/test`), or `None`
/// after the skip line when it is missing.
#[track_caller]
pub fn require_shared(rel: &str) -> Option<PathBuf> {
    let path = shared_root().join(rel);
    if path.exists() {
        return Some(path);
    }
    let why = if shared_root().is_dir() {
        format!("{} is missing", path.display())
    } else {
        format!(
            "no {}: check the reference material (upstream samples, chart, schemas, tools) \
             out there, beside the repository, as CI has it",
            shared_root().display()
        )
    };
    missing(REQUIRE_SHARED, &format!("../shared/{rel}"), &why)
}

/// A tool probed once per test process: its path, or why it is missing.
type Probe = OnceLock<Result<PathBuf, String>>;

#[track_caller]
fn require_tool(
    probe: &'static Probe,
    needs: &str,
    find: fn() -> Result<PathBuf, String>,
) -> Option<PathBuf> {
    match probe.get_or_init(find) {
        Ok(p) => Some(p.clone()),
        Err(why) => missing(REQUIRE_TOOLS, needs, why),
    }
}

/// An executable on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// `$var` when set (a path that must exist), else `name` on PATH.
fn named_or_on_path(var: &str, name: &str, fix: &str) -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("{var} names {}, which does not exist", p.display()))
        };
    }
    which(name).ok_or_else(|| format!("no {name} on PATH; {fix}, or name one with {var}"))
}

/// kubectl: `$MSVC_KUBECTL`, else `kubectl` on PATH.
#[track_caller]
pub fn require_kubectl() -> Option<PathBuf> {
    static PROBE: Probe = OnceLock::new();
    require_tool(&PROBE, "kubectl", find_kubectl)
}

fn find_kubectl() -> Result<PathBuf, String> {
    named_or_on_path(
        "MSVC_KUBECTL",
        "kubectl",
        "install kubectl >= 1.21 (.ci/run installs the Google Cloud CLI's)",
    )
}

/// kubectl whose kustomize runs plugins (`--enable-alpha-plugins`: kustomize
/// v3 and later, kubectl 1.21 and later).
#[track_caller]
pub fn require_kubectl_with_plugins() -> Option<PathBuf> {
    static PROBE: Probe = OnceLock::new();
    require_tool(&PROBE, "kubectl whose kustomize runs plugins", || {
        let k = find_kubectl()?;
        let help = kustomize_help(&k);
        if help.contains("--enable-alpha-plugins") {
            Ok(k)
        } else {
            Err(format!(
                "{} has no `kubectl kustomize --enable-alpha-plugins` (Debian bookworm's \
                 kubernetes-client is kubectl 1.20, whose kustomize v2 cannot run plugins); \
                 put kubectl >= 1.21 on PATH or name it with MSVC_KUBECTL",
                k.display()
            ))
        }
    })
}

/// `kubectl kustomize --help`, to see which flags its kustomize has.
fn kustomize_help(kubectl: &Path) -> String {
    match Command::new(kubectl)
        .args(["kustomize", "--help"])
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) => {
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr)
        }
        Err(_) => String::new(),
    }
}

/// kpt: `$MSVC_KPT`, else `kpt` on PATH.
#[track_caller]
pub fn require_kpt() -> Option<PathBuf> {
    static PROBE: Probe = OnceLock::new();
    require_tool(&PROBE, "kpt", || {
        named_or_on_path(
            "MSVC_KPT",
            "kpt",
            "install kpt (.ci/run installs the Google Cloud CLI's, google-cloud-cli-kpt)",
        )
    })
}

/// GNU time (`-f %M` for peak memory): `$MSVC_TIME`, else `/usr/bin/time`.
#[track_caller]
pub fn require_gnu_time() -> Option<PathBuf> {
    static PROBE: Probe = OnceLock::new();
    require_tool(&PROBE, "GNU time, to measure peak memory", || {
        let p = std::env::var_os("MSVC_TIME")
            .filter(|p| !p.is_empty())
            .map_or_else(|| PathBuf::from("/usr/bin/time"), PathBuf::from);
        if p.is_file() {
            Ok(p)
        } else {
            Err(format!(
                "{} is missing; install GNU time (Debian: apt-get install time) or name it with MSVC_TIME",
                p.display()
            ))
        }
    })
}

/// python3 (`$MSVC_PYTHON`, else on PATH).
#[track_caller]
pub fn require_python3() -> Option<PathBuf> {
    static PROBE: Probe = OnceLock::new();
    require_tool(&PROBE, "python3", find_python3)
}

fn find_python3() -> Result<PathBuf, String> {
    named_or_on_path("MSVC_PYTHON", "python3", "install python3")
}

/// python3 that imports PyYAML (for `../shared/tools/manifests-equal`).
#[track_caller]
pub fn require_pyyaml() -> Option<PathBuf> {
    static PROBE: Probe = OnceLock::new();
    require_tool(&PROBE, "python3 with PyYAML", || {
        let py = find_python3()?;
        let out = Command::new(&py)
            .args(["-c", "import yaml"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", py.display()))?;
        if out.status.success() {
            Ok(py)
        } else {
            Err(format!(
                "{} cannot import yaml; install PyYAML (`python3 -m pip install pyyaml`, \
                 Debian: python3-yaml)",
                py.display()
            ))
        }
    })
}

/// The virtualenv of `.ci/tools-venv` (kubernetes-validate, jsonschema,
/// PyYAML), made on first use: `$MSVC_TOOLS_VENV` or `target/tools-venv`.
#[track_caller]
pub fn require_tools_venv() -> Option<PathBuf> {
    static PROBE: Probe = OnceLock::new();
    require_tool(&PROBE, "the Python validators of .ci/tools-venv", || {
        find_python3()?;
        let script = crate_root().join(".ci/tools-venv");
        let out = Command::new("bash")
            .arg(&script)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && dir.join("bin/kubernetes-validate").is_file() {
            Ok(dir)
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr);
            Err(format!(
                "{} could not make them (it needs python3 with venv and the Python package index): {}",
                script.display(),
                stderr.trim().lines().last().unwrap_or("no output")
            ))
        }
    })
}
