//! The bad input catalogue: every case in `tests/bad_inputs/` runs through
//! the built binary and must fail the way a user can act on.
//!
//! A case is one file or one folder; adding a case is adding one:
//!
//! * `NAME.yaml`: the input, opened by `# key: value` comment lines;
//! * `NAME/`: the input files, and an `expect` file of `key: value` lines.
//!
//! Keys (one per line, `expect` repeatable):
//!
//! * `expect: TEXT`: stderr holds TEXT (at least one: what was expected,
//!   the hint);
//! * `at: LOCATION`: the first error line starts `error: LOCATION:` (or
//!   `error: LOCATION ` for a location without a line): the file (or flag)
//!   and, for an input file, the line and where one applies the column;
//! * `absent: TEXT`: stderr does not hold TEXT (repeatable; e.g. an
//!   internal name that must not leak);
//! * `args: ARGS`: the command line, split on spaces (default: `render` and
//!   the case's YAML files, sorted).
//!
//! A folder may hold a `stdin` file, piped to msvc (default: empty stdin).
//!
//! Every case must exit 2 with nothing on stdout, stderr starting
//! `error: `, no `panicked`, and the case's folder unchanged (no partial
//! output). All failing cases are listed, not only the first.

mod common;

use std::path::{Path, PathBuf};

/// At least this many cases (the hardening issue asks for 40).
const MIN_CASES: usize = 45;

fn catalogue_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

#[derive(Debug)]
struct Case {
    name: String,
    /// The case's source: a file or a folder.
    source: PathBuf,
    expects: Vec<String>,
    absents: Vec<String>,
    at: String,
    args: Vec<String>,
}

/// The `key: value` lines of a case.
#[derive(Default)]
struct Keys {
    expects: Vec<String>,
    absents: Vec<String>,
    at: Option<String>,
    args: Option<Vec<String>>,
}

/// Reads the `key: value` lines of a case; `Err` says what is wrong.
fn parse_keys(lines: impl Iterator<Item = String>) -> Result<Keys, String> {
    let mut k = Keys::default();
    for line in lines {
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!("line `{line}` is not `key: value`"));
        };
        let value = value.trim().to_string();
        match key.trim() {
            "expect" if !value.is_empty() => k.expects.push(value),
            "absent" if !value.is_empty() => k.absents.push(value),
            "at" if k.at.is_none() && !value.is_empty() => k.at = Some(value),
            "args" if k.args.is_none() => {
                k.args = Some(value.split_whitespace().map(str::to_string).collect())
            }
            other => return Err(format!("unknown, empty or repeated key `{other}`")),
        }
    }
    Ok(k)
}

fn load_case(path: &Path) -> Result<Case, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (keys, default_args) = if path.is_dir() {
        let expect = path.join("expect");
        let text = std::fs::read_to_string(&expect)
            .map_err(|e| format!("no `expect` file in the case folder ({e})"))?;
        let lines = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string);
        let mut files: Vec<String> = std::fs::read_dir(path)
            .map_err(|e| e.to_string())?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|f| f.ends_with(".yaml") || f.ends_with(".yml"))
            .collect();
        files.sort();
        let mut args = vec!["render".to_string()];
        args.extend(files);
        (parse_keys(lines)?, args)
    } else if name.ends_with(".yaml") {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&bytes);
        let lines = text
            .lines()
            .map_while(|l| l.strip_prefix("# "))
            .map(str::to_string)
            .collect::<Vec<_>>();
        (
            parse_keys(lines.into_iter())?,
            vec!["render".to_string(), name.clone()],
        )
    } else {
        return Err("a case is a `.yaml` file or a folder".into());
    };
    if keys.expects.is_empty() {
        return Err("no `expect:` line: say what the error must tell the user".into());
    }
    let at = keys
        .at
        .ok_or("no `at:` line: say where the error must point")?;
    Ok(Case {
        name,
        source: path.to_path_buf(),
        expects: keys.expects,
        absents: keys.absents,
        at,
        args: keys.args.unwrap_or(default_args),
    })
}

fn copy_tree(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).expect("reading a case folder") {
        let e = e.expect("case folder entry");
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            std::fs::create_dir_all(&target).expect("creating a folder");
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copying a case file");
        }
    }
}

/// Runs one case in a fresh copy of it; returns what is wrong, if anything.
fn run_case(case: &Case) -> Vec<String> {
    let tmp = tempfile::Builder::new()
        .prefix("msvc-bad-")
        .tempdir()
        .expect("temp dir");
    let mut stdin = Vec::new();
    if case.source.is_dir() {
        copy_tree(&case.source, tmp.path());
        if let Ok(s) = std::fs::read(case.source.join("stdin")) {
            stdin = s;
        }
    } else {
        std::fs::copy(&case.source, tmp.path().join(&case.name)).expect("copying the case");
    }
    let before = common::snapshot(tmp.path());
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_msvc"))
        .args(&case.args)
        .current_dir(tmp.path())
        .write_stdin(stdin)
        .output()
        .expect("running msvc");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems = Vec::new();
    if out.status.code() != Some(2) {
        problems.push(format!("exit code {:?}, expected 2", out.status.code()));
    }
    if !stdout.is_empty() {
        let head: String = stdout.chars().take(200).collect();
        problems.push(format!("stdout is not empty: {head:?}..."));
    }
    if !stderr.starts_with("error: ") {
        problems.push("stderr does not start with `error: `".into());
    }
    if stderr.contains("panicked") {
        problems.push("msvc panicked".into());
    }
    let first = stderr.lines().next().unwrap_or("");
    let located = [':', ' ']
        .iter()
        .any(|sep| first.starts_with(&format!("error: {}{sep}", case.at)));
    if !located {
        problems.push(format!(
            "the first line does not start with `error: {}:`",
            case.at
        ));
    }
    // An input file of the case must be cited with a line.
    let at_file = case.at.split(':').next().unwrap_or("");
    let is_input = tmp.path().join(at_file).is_file()
        && (at_file.ends_with(".yaml") || at_file.ends_with(".yml"));
    let has_line = case
        .at
        .split(':')
        .nth(1)
        .is_some_and(|l| l.parse::<u32>().is_ok_and(|l| l > 0));
    if is_input && !has_line {
        problems.push(format!(
            "`at: {}` names an input file without a line",
            case.at
        ));
    }
    for e in &case.expects {
        if !stderr.contains(e.as_str()) {
            problems.push(format!("stderr lacks `{e}`"));
        }
    }
    for a in &case.absents {
        if stderr.contains(a.as_str()) {
            problems.push(format!("stderr holds `{a}`"));
        }
    }
    let after = common::snapshot(tmp.path());
    if after != before {
        let added: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
        problems.push(format!(
            "the case folder changed (partial output?): new {added:?}"
        ));
    }
    if !problems.is_empty() {
        problems.push(format!("stderr was:\n{stderr}"));
    }
    problems
}

fn cases() -> Vec<Result<Case, (String, String)>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(catalogue_dir())
        .expect("tests/bad_inputs/ exists")
        .map(|e| e.expect("catalogue entry").path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            load_case(p).map_err(|e| {
                let name = p.file_name().unwrap_or_default().to_string_lossy();
                (name.into_owned(), e)
            })
        })
        .collect()
}

#[test]
fn every_bad_input_is_refused_with_a_precise_error() {
    let all = cases();
    assert!(
        all.len() >= MIN_CASES,
        "the catalogue has {} cases, at least {MIN_CASES} wanted",
        all.len()
    );
    let mut failures = Vec::new();
    for case in &all {
        match case {
            Err((name, why)) => failures.push(format!("{name}: malformed case: {why}")),
            Ok(case) => {
                let problems = run_case(case);
                if !problems.is_empty() {
                    failures.push(format!(
                        "{} (msvc {}):\n  {}",
                        case.name,
                        case.args.join(" "),
                        problems.join("\n  ")
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad input cases fail:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
}

/// The harness itself: a case without an expectation is refused, not
/// passed.
#[test]
fn a_case_without_an_expectation_is_malformed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let folder = tmp.path().join("no-expect");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("ms.yaml"), "a: 1\n").unwrap();
    assert!(load_case(&folder).unwrap_err().contains("no `expect` file"));
    std::fs::write(folder.join("expect"), "at: ms.yaml:1\n").unwrap();
    assert!(load_case(&folder).unwrap_err().contains("no `expect:`"));
    std::fs::write(folder.join("expect"), "expect: x\nexpcet: y\n").unwrap();
    assert!(load_case(&folder).unwrap_err().contains("expcet"));
    let file = tmp.path().join("bare.yaml");
    std::fs::write(&file, "# at: bare.yaml:1\na: 1\n").unwrap();
    assert!(load_case(&file).unwrap_err().contains("no `expect:`"));
    std::fs::write(&file, "# expect: x\na: 1\n").unwrap();
    assert!(load_case(&file).unwrap_err().contains("no `at:`"));
    // A well-formed case whose message does not match is reported.
    std::fs::write(&file, "# expect: no such words\n# at: bare.yaml:3\n- a\n").unwrap();
    let problems = run_case(&load_case(&file).unwrap());
    assert!(
        problems.iter().any(|p| p.contains("lacks `no such words`")),
        "{problems:?}"
    );
}

/// The counterpart of `routing-conflict`: one `routing.modelName` in two
/// namespaces is two routes, and renders.
#[test]
fn one_model_name_in_two_namespaces_is_allowed() {
    let case = catalogue_dir().join("routing-conflict");
    let tmp = tempfile::tempdir().expect("temp dir");
    for (file, ns) in [("a.yaml", "team-a"), ("b.yaml", "team-b")] {
        let text = std::fs::read_to_string(case.join(file)).expect("case file");
        let text = text.replacen("metadata:\n", &format!("metadata:\n  namespace: {ns}\n"), 1);
        std::fs::write(tmp.path().join(file), text).unwrap();
    }
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_msvc"))
        .args(["render", "a.yaml", "b.yaml"])
        .current_dir(tmp.path())
        .output()
        .expect("running msvc");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    for ns in ["team-a", "team-b"] {
        assert!(
            stdout.contains(&format!("namespace: {ns}")),
            "no object in {ns}:\n{stdout}"
        );
    }
}
