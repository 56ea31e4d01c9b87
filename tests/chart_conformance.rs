//! `msvc template` against `helm template`: every call in the chart's
//! `CASES` (../shared/upstream/chart) and every case under `tests/chart/`,
//! run through the real binary and compared with `manifests-equal`.
//!
//! A case folder holds `args` (one argument per line, paths relative to the
//! folder) and either `expected.yaml` (rendered by `helm template` of chart
//! v0.4.12 and reviewed; `oci-vllm-serve` is msvc's own, the chart refuses
//! it) or `expected-error` (lines stderr must contain; exit code 2).
//!
//! Comparing with `expected.yaml` needs `../shared/tools/manifests-equal`
//! and python3 with PyYAML; without them those cases (and the chart's
//! CASES, which are in `../shared`) skip, saying so, unless
//! `MSVC_REQUIRE_SHARED` / `MSVC_REQUIRE_TOOLS` make that a failure. The
//! `expected-error` cases need msvc alone.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use msvc::yaml::{Node, Origin, Value, parse_documents, print};

/// The dual-pod annotation carries a pod spec as YAML text; msvc writes the
/// same YAML document, not the chart's byte-for-byte whitespace.
const SERVER_PATCH: &str = "dual-pod.llm-d.ai/server-patch";

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `manifests-equal` and the python3 that runs it.
struct Compare {
    python: PathBuf,
    tool: PathBuf,
}

/// `None` (after the skip line) when the tool or PyYAML is missing.
fn compare() -> Option<Compare> {
    let tool = common::require_shared("tools/manifests-equal")?;
    let python = common::require_pyyaml()?;
    Some(Compare { python, tool })
}

fn manifests_equal(cmp: &Compare, expected: &Path, actual: &Path) -> Result<(), String> {
    let tool = &cmp.tool;
    let out = Command::new(&cmp.python)
        .arg(tool)
        .arg(expected)
        .arg(actual)
        .output()
        .map_err(|e| format!("running {}: {e}", tool.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn msvc_template(args: &[String], cwd: &Path) -> Run {
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_msvc"))
        .arg("template")
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the msvc binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Renders and compares; `Err` says why they differ.
fn check_output(
    cmp: &Compare,
    name: &str,
    args: &[String],
    cwd: &Path,
    expected: &Path,
) -> Result<(), String> {
    let run = msvc_template(args, cwd);
    if run.code != Some(0) {
        return Err(format!(
            "{name}: msvc exited {:?}\n{}",
            run.code, run.stderr
        ));
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let actual = dir.path().join("actual.yaml");
    let want = dir.path().join("expected.yaml");
    let expected_text =
        std::fs::read_to_string(expected).map_err(|e| format!("{}: {e}", expected.display()))?;
    std::fs::write(&want, normalize(&expected_text)).map_err(|e| e.to_string())?;
    std::fs::write(&actual, normalize(&run.stdout)).map_err(|e| e.to_string())?;
    manifests_equal(cmp, &want, &actual)
        .map_err(|d| format!("{name}: differs from {}:\n{d}", expected.display()))
}

/// Replaces each server-patch annotation by a canonical form of its YAML.
fn normalize(text: &str) -> String {
    if !text.contains(SERVER_PATCH) {
        return text.to_string();
    }
    let docs = parse_documents(text, &Origin::file("output")).expect("output is YAML");
    let mut out = String::new();
    for mut doc in docs.into_iter().filter(|d| !d.is_null()) {
        if let Some(ann) = doc
            .as_map_mut()
            .and_then(|m| m.get_mut("spec"))
            .and_then(|n| n.get_mut("template"))
            .and_then(|n| n.get_mut("metadata"))
            .and_then(|n| n.get_mut("annotations"))
            .and_then(|n| n.get_mut(SERVER_PATCH))
        {
            let patch = msvc::yaml::parse_one(ann.as_str().unwrap_or(""), &Origin::file("patch"))
                .expect("the patch is YAML");
            *ann = Node::string(canonical(&patch).to_string());
        }
        out.push_str("---\n");
        out.push_str(&print::to_string(&doc));
    }
    out
}

/// JSON with sorted keys, without nulls and empties, named lists sorted.
fn canonical(n: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &n.value {
        Value::Map(m) => {
            let mut sorted: Vec<(&String, J)> = m
                .iter()
                .map(|(k, v)| (k, canonical(v)))
                .filter(|(k, v)| !(v.is_null() || (is_empty(v) && k.as_str() != "emptyDir")))
                .collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            J::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        Value::Seq(items) => {
            let mut list: Vec<J> = items.iter().map(canonical).collect();
            if list.iter().all(|i| i.get("name").is_some()) {
                list.sort_by_key(|i| i.get("name").map(ToString::to_string));
            }
            J::Array(list)
        }
        _ => n.to_json(),
    }
}

fn is_empty(v: &serde_json::Value) -> bool {
    matches!(v, serde_json::Value::Array(a) if a.is_empty())
        || matches!(v, serde_json::Value::Object(o) if o.is_empty())
}

#[test]
fn upstream_cases() {
    let Some(chart) = common::require_shared("upstream/chart") else {
        return;
    };
    let Some(cmp) = compare() else {
        return;
    };
    let cases = std::fs::read_to_string(chart.join("CASES"))
        .expect("../shared/upstream/chart/CASES is readable");
    let examples = chart.join("examples");
    let mut failures = Vec::new();
    let mut count = 0;
    for line in cases
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.split('|').collect();
        let [release, values, set, output] = fields[..] else {
            panic!("malformed CASES line: {line}");
        };
        let mut args = vec![release.to_string(), "-f".into(), values.to_string()];
        if !set.is_empty() {
            args.extend(["--set".into(), set.to_string()]);
        }
        count += 1;
        if let Err(e) = check_output(&cmp, release, &args, &examples, &examples.join(output)) {
            failures.push(e);
        }
    }
    assert_eq!(count, 8, "CASES lists eight calls");
    assert!(
        failures.is_empty(),
        "{} of {count} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn own_cases() {
    let cmp = compare();
    let root = crate_root().join("tests/chart");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/chart exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("args").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 15, "tests/chart holds the cases");
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let args: Vec<String> = std::fs::read_to_string(dir.join("args"))
            .expect("args is readable")
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        let result = if dir.join("expected.yaml").is_file() {
            let Some(cmp) = &cmp else {
                continue;
            };
            check_output(cmp, &name, &args, dir, &dir.join("expected.yaml"))
        } else {
            check_error(&name, &args, dir)
        };
        if let Err(e) = result {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}

fn check_error(name: &str, args: &[String], dir: &Path) -> Result<(), String> {
    let wanted =
        std::fs::read_to_string(dir.join("expected-error")).map_err(|e| format!("{name}: {e}"))?;
    let run = msvc_template(args, dir);
    if run.code != Some(2) {
        return Err(format!(
            "{name}: expected exit 2, got {:?}\nstdout: {}\nstderr: {}",
            run.code, run.stdout, run.stderr
        ));
    }
    for want in wanted.lines().filter(|l| !l.is_empty()) {
        if !run.stderr.contains(want) {
            return Err(format!("{name}: stderr lacks `{want}`:\n{}", run.stderr));
        }
    }
    Ok(())
}
