//! Replays every saved fuzz input on stable, through the very functions the
//! `cargo fuzz` targets call (`msvc::fuzzing`): the seed corpus in
//! `fuzz/seeds/<target>/` and the inputs that once crashed, hung or broke an
//! invariant in `fuzz/regressions/<target>/`. A panic is a failure.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Target = fn(&[u8]);

const TARGETS: &[(&str, Target)] = &[
    ("modelservice", msvc::fuzzing::modelservice),
    ("baseconfig", msvc::fuzzing::baseconfig),
    ("merge", msvc::fuzzing::merge),
];

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
    for (target, run) in TARGETS {
        for path in inputs(kind, target) {
            let data = std::fs::read(&path).unwrap();
            let start = Instant::now();
            let result = std::panic::catch_unwind(|| run(&data));
            count += 1;
            let took = start.elapsed();
            if let Err(e) = result {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failed.push(format!("{}: panicked: {msg}", path.display()));
            } else if took > Duration::from_secs(10) {
                // The fuzzer's timeout is 5 s in release; a debug build is slower.
                failed.push(format!("{}: took {took:?}", path.display()));
            }
        }
    }
    assert!(
        count > 0 || kind == "regressions",
        "no inputs in fuzz/{kind}"
    );
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
    for (target, _) in TARGETS {
        assert!(!inputs("seeds", target).is_empty(), "fuzz/seeds/{target}");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/regressions")
            .join(target);
        assert!(dir.is_dir(), "{}", dir.display());
    }
}
