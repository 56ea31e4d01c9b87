//! Replays every saved fuzz input on stable, through the very functions the
//! `cargo fuzz` targets call (`msvc::fuzzing`): the seed corpus in
//! `fuzz/seeds/<target>/` and the inputs that once crashed, hung or broke an
//! invariant in `fuzz/regressions/<target>/`. A panic is a failure.
//!
//! An input that once ran for ever or took gigabytes does not panic when
//! the bug is back, it hangs; so such a file says how its render must end,
//! in `# expect: TEXT` lines at its top (the error holds each TEXT), and
//! the replay checks that before running it as the fuzzer does.

use std::path::{Path, PathBuf};

use msvc::RenderRequest;

type Target = fn(&[u8]);
type Request = fn(&str) -> RenderRequest;

/// Each target, and the render it runs (for `# expect:`).
const TARGETS: &[(&str, Target, Option<Request>)] = &[
    (
        "modelservice",
        msvc::fuzzing::modelservice,
        Some(msvc::fuzzing::modelservice_request),
    ),
    (
        "baseconfig",
        msvc::fuzzing::baseconfig,
        Some(msvc::fuzzing::baseconfig_request),
    ),
    ("merge", msvc::fuzzing::merge, None),
    ("yaml_print", msvc::fuzzing::yaml_print, None),
    ("gotemplate", msvc::fuzzing::gotemplate, None),
];

/// The `# expect:` lines at the top of `text`.
fn expectations(text: &str) -> Vec<&str> {
    text.lines()
        .map_while(|l| l.strip_prefix("# expect: "))
        .collect()
}

/// Whether the render of `text` ends in an error holding every `expect`.
fn check_outcome(
    request: fn(&str) -> RenderRequest,
    text: &str,
    expect: &[&str],
) -> Result<(), String> {
    match msvc::render(&request(text)) {
        Ok(_) => Err(format!("rendered, but expected an error with {expect:?}")),
        Err(e) => {
            let e = e.to_string();
            match expect.iter().find(|x| !e.contains(**x)) {
                Some(x) => Err(format!("the error does not say `{x}`: {e}")),
                None => Ok(()),
            }
        }
    }
}

fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    files
}

/// Runs every file of `fuzz/<kind>/<target>/`, reporting all failures at once.
fn replay(kind: &str) {
    let mut failed = Vec::new();
    let mut count = 0;
    for (target, run, request) in TARGETS {
        for path in inputs(kind, target) {
            let data = std::fs::read(&path).unwrap();
            count += 1;
            let text = String::from_utf8_lossy(&data);
            let expect = expectations(&text);
            if !expect.is_empty() {
                let outcome = match request {
                    Some(request) => check_outcome(*request, &text, &expect),
                    None => Err(format!("target {target} has no render to expect of")),
                };
                if let Err(e) = outcome {
                    failed.push(format!("{}: {e}", path.display()));
                    continue;
                }
            }
            if let Err(e) = std::panic::catch_unwind(|| run(&data)) {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failed.push(format!("{}: panicked: {msg}", path.display()));
            }
        }
    }
    assert!(count > 0, "no inputs in fuzz/{kind}");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn seeds() {
    replay("seeds");
}

#[test]
fn regressions() {
    replay("regressions");
}

/// Every target has its directories, so a new input has a place to go.
#[test]
fn every_target_has_seeds_and_a_regressions_dir() {
    for (target, ..) in TARGETS {
        assert!(!inputs("seeds", target).is_empty(), "fuzz/seeds/{target}");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/regressions")
            .join(target);
        assert!(dir.is_dir(), "{}", dir.display());
    }
}
