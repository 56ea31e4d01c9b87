//! The Helm chart machinery (`msvc::helm`) against Helm: the seven real
//! charts of `../shared/upstream/charts` load with their dependencies, and
//! for each of the 54 cases the `.Values` msvc computes (files, `--set`,
//! subchart coalescing, aliases, globals) equal what Helm computed
//! (`tests/helm/values/<case>.json`, recorded by
//! `scripts/helm-values-oracle`), and schema refusals are refused naming
//! the same key. The charts are reference material, not the project's:
//! without `../shared` these tests say so and pass, unless
//! `MSVC_REQUIRE_SHARED=1` (CI) makes that a failure.

use std::path::{Path, PathBuf};

use msvc::helm::{self, Chart, HelmError, TemplateOptions, ValueOptions};
use serde_json::Value;

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/upstream/charts`, or `None` (the test is skipped, loudly).
fn charts_dir() -> Option<PathBuf> {
    let dir = crate_root().join("../shared/upstream/charts");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("MSVC_REQUIRE_SHARED").is_none(),
        "{} is missing and MSVC_REQUIRE_SHARED is set",
        dir.display()
    );
    eprintln!(
        "SKIPPED: {} is missing (set MSVC_REQUIRE_SHARED=1 to fail instead)",
        dir.display()
    );
    None
}

const CHARTS: &[(&str, &str, &[&str])] = &[
    (
        "llm-d-modelservice-v0.2.7",
        "llm-d-modelservice",
        &["common"],
    ),
    (
        "llm-d-modelservice-v0.4.5",
        "llm-d-modelservice",
        &["common"],
    ),
    (
        "llm-d-modelservice-v0.4.12",
        "llm-d-modelservice",
        &["common"],
    ),
    ("inferencepool-v1.3.0", "inferencepool", &[]),
    (
        "inferencepool-v1.4.0",
        "inferencepool",
        &["inferenceExtension"],
    ),
    ("standalone-v1.4.0", "standalone", &["inferenceExtension"]),
    ("llm-d-infra-v1.3.6", "llm-d-infra", &["common"]),
];

#[test]
fn the_seven_charts_load_with_their_dependencies() {
    let Some(dir) = charts_dir() else { return };
    for (folder, name, deps) in CHARTS {
        let chart = Chart::load(&dir.join(folder), &Default::default())
            .unwrap_or_else(|e| panic!("{folder}: {e}"));
        assert_eq!(chart.name(), *name, "{folder}");
        assert!(!chart.templates.is_empty(), "{folder} has templates");
        let opts = TemplateOptions {
            release_name: "r".into(),
            ..Default::default()
        };
        let prepared = helm::prepare(chart, &opts).unwrap_or_else(|e| panic!("{folder}: {e}"));
        let got: Vec<&str> = prepared
            .chart
            .dependencies
            .iter()
            .map(Chart::name)
            .collect();
        assert_eq!(got, *deps, "{folder}: subcharts after alias and tags");
        for d in &prepared.chart.dependencies {
            assert!(
                d.metadata.is_library(),
                "{folder}: {} is a library",
                d.name()
            );
        }
        // Library templates are parsed (partials), never rendered; the
        // root's NOTES.txt and partials are not rendered either.
        for t in &prepared.frame.templates {
            let sub = t.name.contains("/charts/");
            let partial = t
                .name
                .rsplit('/')
                .next()
                .is_some_and(|b| b.starts_with('_'));
            assert_eq!(t.render, !partial, "{}", t.name);
            assert!(
                !sub || partial,
                "{}: a library chart's template is rendered",
                t.name
            );
            assert!(t.name.starts_with(&format!("{name}/")), "{}", t.name);
        }
        // The bitnami library comes from a .tgz, the GAIE one from a folder.
        if deps.contains(&"common") {
            assert!(
                prepared
                    .frame
                    .templates
                    .iter()
                    .any(|t| t.name == format!("{name}/charts/common/templates/_labels.tpl")),
                "{folder}: common's partials are in the set"
            );
        }
    }
}

/// A case's flags: values files in name order, then `args`.
fn case_options(case: &Path) -> TemplateOptions {
    let mut files: Vec<PathBuf> = std::fs::read_dir(case)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("values") && n.ends_with(".yaml")
        })
        .collect();
    files.sort();
    let mut values = ValueOptions {
        files: files
            .iter()
            .map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap()))
            .collect(),
        ..Default::default()
    };
    let args = std::fs::read_to_string(case.join("args")).unwrap_or_default();
    let mut words = args.split_whitespace();
    let mut namespace = None;
    while let Some(w) = words.next() {
        match w {
            "--set" => values.set.push(words.next().unwrap().to_string()),
            "-n" | "--namespace" => namespace = words.next().map(str::to_string),
            other => panic!("{}: unexpected argument {other}", case.display()),
        }
    }
    TemplateOptions {
        release_name: std::fs::read_to_string(case.join("release"))
            .unwrap()
            .trim()
            .to_string(),
        namespace,
        values,
        ..Default::default()
    }
}

/// Equal as Helm's JSON: numbers by value (Helm's float64 2 is JSON 2).
fn same(a: &Value, b: &Value, path: &str, diffs: &mut Vec<String>) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => {}
        (Value::Object(x), Value::Object(y)) => {
            for k in x
                .keys()
                .chain(y.keys())
                .collect::<std::collections::BTreeSet<_>>()
            {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => same(p, q, &format!("{path}.{k}"), diffs),
                    (p, q) => diffs.push(format!("{path}.{k}: helm {p:?}, msvc {q:?}")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                same(p, q, &format!("{path}[{i}]"), diffs);
            }
        }
        (x, y) if x == y => {}
        (x, y) => diffs.push(format!("{path}: helm {x}, msvc {y}")),
    }
}

#[test]
fn values_equal_what_helm_computes_in_every_case() {
    let Some(dir) = charts_dir() else { return };
    let recorded = crate_root().join("tests/helm/values");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 54, "the upstream cases");
    let mut failures = Vec::new();
    let mut compared = 0;
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let chart_dir = dir.join(std::fs::read_to_string(case.join("chart")).unwrap().trim());
        let chart = Chart::load(&chart_dir, &Default::default()).unwrap();
        let result = helm::prepare(chart, &case_options(case));
        let json = recorded.join(format!("{name}.json"));
        let refused = recorded.join(format!("{name}.refused"));
        if json.is_file() {
            let want: Value =
                serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
            match result {
                Ok(p) => {
                    let mut diffs = Vec::new();
                    same(&want, &Value::Object(p.values), "", &mut diffs);
                    if !diffs.is_empty() {
                        failures.push(format!("{name}:\n  {}", diffs.join("\n  ")));
                    }
                }
                Err(e) => failures.push(format!("{name}: refused, Helm was not: {e}")),
            }
            compared += 1;
        } else if refused.is_file() {
            let key = std::fs::read_to_string(case.join("refused.key")).unwrap();
            match result {
                Err(e @ HelmError::Schema { .. }) => {
                    let text = e.to_string();
                    let helm_text = std::fs::read_to_string(&refused).unwrap();
                    assert!(text.contains(key.trim()), "{name}: {text}");
                    assert_eq!(text.trim(), helm_text.trim(), "{name}: Helm's words");
                }
                other => failures.push(format!("{name}: Helm refused the values, msvc: {other:?}")),
            }
            compared += 1;
        } else {
            failures.push(format!(
                "{name}: no recorded answer (run scripts/helm-values-oracle {name})"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {compared} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
