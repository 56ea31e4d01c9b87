//! The gate of `tests/common/gate.rs`, which every conformance test goes
//! through: a missing need is a skip that shows in `cargo test`'s output
//! (libtest captures a passing test's `eprintln!`), and a failure when
//! required. The test runs its own binary again as the child that asks.

mod common;

use std::process::Command;

use common::{REQUIRE_SHARED, REQUIRE_TOOLS, require_kpt, require_shared};

const TEST: &str = "a_missing_need_is_a_visible_skip_or_when_required_a_failure";

/// This test binary, running only this test as a child asking for `need`
/// (as libtest runs it: output captured): whether it passed, and its
/// stdout and stderr.
fn child(need: &str, env: &[(&str, &str)]) -> (bool, String) {
    let exe = std::env::current_exe().expect("the test binary");
    let out = Command::new(exe)
        .args(["--exact", TEST, "--test-threads=1"])
        .env("MSVC_GATE_CHILD", need)
        .env_remove(REQUIRE_SHARED)
        .env_remove(REQUIRE_TOOLS)
        .envs(env.iter().copied())
        .output()
        .expect("running the test binary");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn a_missing_need_is_a_visible_skip_or_when_required_a_failure() {
    if let Ok(need) = std::env::var("MSVC_GATE_CHILD") {
        let ask = || match need.as_str() {
            "shared" => require_shared("no-such-reference"),
            _ => require_kpt(),
        };
        assert_eq!(ask(), None);
        // Asked again, it says nothing more.
        assert_eq!(ask(), None);
        return;
    }

    let (ok, out) = child("shared", &[]);
    assert!(ok, "a missing ../shared/... is a skip:\n{out}");
    let line = format!("skipped: {TEST}: what needs ../shared/no-such-reference (");
    assert_eq!(out.matches(&line).count(), 1, "one skip line:\n{out}");
    assert!(
        out.contains("MSVC_REQUIRE_SHARED=1 makes this a failure"),
        "{out}"
    );
    let (ok, out) = child("shared", &[(REQUIRE_SHARED, "1")]);
    assert!(!ok, "MSVC_REQUIRE_SHARED=1: a failure:\n{out}");
    assert!(out.contains("needs ../shared/no-such-reference"), "{out}");
    assert!(
        out.contains("MSVC_REQUIRE_SHARED is set, so this is a failure"),
        "{out}"
    );
    // A missing tool is not a missing ../shared.
    let (ok, out) = child("shared", &[(REQUIRE_TOOLS, "1")]);
    assert!(ok, "{out}");

    let kpt = [("MSVC_KPT", "/nonexistent/kpt")];
    let (ok, out) = child("kpt", &kpt);
    assert!(ok, "a missing tool is a skip:\n{out}");
    let line = format!(
        "skipped: {TEST}: what needs kpt (MSVC_KPT names /nonexistent/kpt, which does not exist; \
         MSVC_REQUIRE_TOOLS=1 makes this a failure)"
    );
    assert_eq!(out.matches(&line).count(), 1, "one skip line:\n{out}");
    let (ok, out) = child("kpt", &[kpt[0], (REQUIRE_TOOLS, "1")]);
    assert!(!ok, "MSVC_REQUIRE_TOOLS=1: a failure:\n{out}");
    assert!(
        out.contains("MSVC_REQUIRE_TOOLS is set, so this is a failure"),
        "{out}"
    );
}
