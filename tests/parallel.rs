//! A render on many threads gives the bytes of a serial one: stdout,
//! warnings and errors, for any `-j`, over a corpus from
//! `scripts/gen-corpus` large enough to be split between threads (a
//! Python script: without python3 these tests skip, saying so).

mod common;

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use common::{crate_root, require_python3};

/// A BaseConfig with a field outside the Deployment schema, named after
/// the ModelService, and ModelServices that use it: each one's render
/// warns in its own words.
const SLOPPY_BASE: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: sloppy
data:
  decodeDeployment: |
    apiVersion: apps/v1
    kind: Deployment
    spec:
      bogus-{{ .ModelServiceName }}: 1
      template:
        spec:
          containers:
            - name: vllm
              image: vllm/vllm-openai:v0.10.0
"#;

fn sloppy_model(i: usize) -> String {
    format!(
        r#"apiVersion: llm-d.ai/v1alpha1
kind: ModelService
metadata:
  name: sloppy-{i}
spec:
  baseConfigMapRef:
    name: sloppy
  routing:
    modelName: org/sloppy-{i}
    ports:
      - name: app_port
        port: {port}
  modelArtifacts:
    uri: hf://org/sloppy-{i}
  decode:
    replicas: 1
    containers:
      - name: vllm
        args: ["{{{{ .HFModelName }}}}"]
"#,
        port = 8000 + i
    )
}

/// `n` ModelServices from `scripts/gen-corpus`; `None` (a skip) without python3.
fn corpus(dir: &Path, n: usize) -> Option<()> {
    let python = require_python3()?;
    let status = Command::new(python)
        .arg(crate_root().join("scripts/gen-corpus"))
        .arg(n.to_string())
        .arg(dir)
        .status()
        .expect("python3 runs scripts/gen-corpus");
    assert!(status.success());
    Some(())
}

fn render(dir: &Path, jobs: &str) -> (Option<i32>, Vec<u8>, Vec<u8>) {
    let out = Command::cargo_bin("msvc")
        .unwrap()
        .args(["render", "-j", jobs, "."])
        .current_dir(dir)
        .output()
        .unwrap();
    (out.status.code(), out.stdout, out.stderr)
}

#[test]
fn output_and_warnings_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    if corpus(dir.path(), 60).is_none() {
        return;
    }
    std::fs::write(dir.path().join("sloppy-base.yaml"), SLOPPY_BASE).unwrap();
    for i in 0..12 {
        std::fs::write(dir.path().join(format!("sloppy-{i}.yaml")), sloppy_model(i)).unwrap();
    }
    let serial = render(dir.path(), "1");
    assert_eq!(serial.0, Some(0), "{}", String::from_utf8_lossy(&serial.2));
    let stderr = String::from_utf8_lossy(&serial.2);
    // Each ModelService warns about its own field, in input order.
    let at: Vec<usize> = (0..12)
        .map(|i| {
            stderr
                .find(&format!("field `spec.bogus-sloppy-{i}` is not part"))
                .unwrap_or_else(|| panic!("no warning for sloppy-{i}:\n{stderr}"))
        })
        .collect();
    let mut by_name: Vec<(String, usize)> =
        (0..12).map(|i| (format!("sloppy-{i}"), at[i])).collect();
    by_name.sort();
    assert!(
        by_name.windows(2).all(|w| w[0].1 < w[1].1),
        "warnings out of input order:\n{stderr}"
    );
    assert_eq!(
        String::from_utf8_lossy(&serial.1)
            .matches("\nkind: ModelService")
            .count(),
        0
    );
    for jobs in ["2", "3", "7"] {
        let parallel = render(dir.path(), jobs);
        assert!(parallel == serial, "-j {jobs} differs from -j 1");
    }
}

#[test]
fn errors_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    if corpus(dir.path(), 40).is_none() {
        return;
    }
    // Three broken ModelServices spread through the corpus: all three are
    // reported, in input order, whichever thread met them.
    for name in [
        "ns-01/aaa-broken.yaml",
        "ns-05/mmm-broken.yaml",
        "ns-09/zzz-broken.yaml",
    ] {
        let stem = Path::new(name).file_stem().unwrap().to_string_lossy();
        let text = sloppy_model(0).replace("sloppy-0", &stem).replace(
            "baseConfigMapRef:\n    name: sloppy",
            "baseConfigMapRef:\n    name: no-such-base",
        );
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let serial = render(dir.path(), "1");
    assert_eq!(serial.0, Some(2));
    assert!(serial.1.is_empty(), "nothing on stdout after an error");
    let stderr = String::from_utf8_lossy(&serial.2);
    let at: Vec<usize> = ["aaa-broken", "mmm-broken", "zzz-broken"]
        .iter()
        .map(|n| {
            stderr
                .find(n)
                .unwrap_or_else(|| panic!("{n} not reported:\n{stderr}"))
        })
        .collect();
    assert!(at.is_sorted(), "{stderr}");
    for jobs in ["2", "5"] {
        assert!(
            render(dir.path(), jobs) == serial,
            "-j {jobs} differs from -j 1"
        );
    }
}
