//! The Helm chart machinery (`msvc::helm`) against Helm: the seven real
//! charts of `../shared/upstream/charts` load with their dependencies, and
//! for each of the 54 cases the `.Values` msvc computes (files, `--set`,
//! subchart coalescing, aliases, globals) equal what Helm computed
//! (`tests/helm/values/<case>.json`, recorded by
//! `scripts/helm-values-oracle`), and schema refusals are refused naming
//! the same key. The charts are reference material, not the project's:
//! without `../shared` these tests say so and pass, unless
//! `MSVC_REQUIRE_SHARED=1` (CI) makes that a failure.

mod common;

use std::path::{Path, PathBuf};

use common::*;

use msvc::helm::{self, Chart, HelmError, TemplateOptions, ValueOptions};
use serde_json::Value;

/// `../shared/upstream/charts`, or `None` (after the skip line).
#[track_caller]
fn charts_dir() -> Option<PathBuf> {
    require_shared("upstream/charts")
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

/// `tests/helm/charts/family` with `tests/helm/family-user.yaml`,
/// `--set twin.n=5 -n ns`: the flags `scripts/helm-frame-oracle` used.
fn family_options() -> TemplateOptions {
    let user = crate_root().join("tests/helm/family-user.yaml");
    TemplateOptions {
        release_name: "rel".into(),
        namespace: Some("ns".into()),
        values: ValueOptions {
            files: vec![(
                user.display().to_string(),
                std::fs::read_to_string(&user).unwrap(),
            )],
            set: vec!["twin.n=5".into()],
            ..Default::default()
        },
        ..Default::default()
    }
}

fn family() -> Chart {
    Chart::load(
        &crate_root().join("tests/helm/charts/family"),
        &Default::default(),
    )
    .unwrap()
}

/// What each template sees equals what Helm gave the probe templates:
/// `.Values` per scope (aliases, conditions, tags, import-values, globals,
/// a null removing a default, YAML 1.1 keys), `.Chart`, `.Release`,
/// `.Files` and its methods, `.Capabilities.KubeVersion`, `.Template`,
/// `.Subcharts`.
#[test]
fn the_frame_equals_what_helm_gives_templates() {
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(crate_root().join("tests/helm/family.frame.json")).unwrap(),
    )
    .unwrap();
    let p = helm::prepare(family(), &family_options()).unwrap();
    let mut seen = 0;
    for (probe, helm_says) in want.as_object().unwrap() {
        let base = probe.trim_end_matches("/probe.json");
        let scope = p
            .frame
            .scopes
            .iter()
            .position(|s| format!("{}/templates", s.full_path) == base)
            .unwrap_or_else(|| panic!("no scope for {probe}"));
        let s = &p.frame.scopes[scope];
        let t = helm::TemplateSource {
            name: probe.clone(),
            text: String::new(),
            base_path: base.to_string(),
            scope,
            render: true,
        };
        let data = p.frame.data_for(&t);
        let glob = s.files.glob("files/*");
        let mine = serde_json::json!({
            "Values": data["Values"], "Chart": data["Chart"], "Release": data["Release"],
            "Template": data["Template"], "Files": data["Files"],
            "KubeVersion": data["Capabilities"]["KubeVersion"],
            "Subcharts": data["Subcharts"].as_object().unwrap().keys().collect::<Vec<_>>(),
            "HasApps": p.frame.capabilities.has("apps/v1"),
            "AsConfig": if glob.0.is_empty() { "{}".to_string() } else { glob.as_config() },
            "Lines": s.files.lines("files/b.conf"),
        });
        let mut diffs = Vec::new();
        same(helm_says, &mine, probe, &mut diffs);
        assert!(diffs.is_empty(), "{probe}:\n{}", diffs.join("\n"));
        seen += 1;
    }
    assert_eq!(seen, 3, "root, kid and twin");
}

/// The family chart's templates have no actions, so the text-only
/// executor renders it whole: Helm's order, hooks last, NOTES, partials,
/// the library's templates and the disabled subchart absent.
#[test]
fn action_free_chart_renders_in_helm_order() {
    let mut exec = helm::TextOnly;
    let (out, _) = helm::template(family(), &family_options(), &mut exec).unwrap();
    let golden = crate_root().join("tests/helm/family.expected.yaml");
    if std::env::var_os("MSVC_UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &out).unwrap();
    }
    assert_eq!(out, std::fs::read_to_string(&golden).unwrap());
    let sources: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("# Source: "))
        .collect();
    assert_eq!(
        sources,
        [
            "family/templates/configmap.yaml",
            "family/templates/configmap.yaml",
            "family/templates/service.yaml",
            "family/charts/kid/templates/deployment.yaml",
            "family/charts/twin/templates/deployment.yaml",
            "family/templates/configmap.yaml",
            "family/templates/test.yaml",
            "family/templates/hook.yaml",
        ]
    );

    let crds = TemplateOptions {
        include_crds: true,
        skip_tests: true,
        // Documents come in the order of the patterns.
        show_only: vec!["crds/*".into(), "templates/*.yaml".into()],
        ..family_options()
    };
    let (out, _) = helm::template(family(), &crds, &mut exec).unwrap();
    let sources: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("# Source: "))
        .collect();
    assert_eq!(
        sources,
        [
            "family/crds/thing.yaml",
            "family/templates/configmap.yaml",
            "family/templates/configmap.yaml",
            "family/templates/service.yaml",
            "family/templates/configmap.yaml",
            "family/templates/hook.yaml",
        ]
    );
}

#[test]
fn chart_level_refusals_say_what_to_do() {
    let refuse = |opts: TemplateOptions| helm::prepare(family(), &opts).unwrap_err();
    let e = refuse(TemplateOptions {
        kube_version: Some("1.19".into()),
        ..family_options()
    });
    assert_eq!(
        e.to_string(),
        "chart requires kubeVersion: >= 1.20.0-0 which is incompatible with Kubernetes v1.19.0"
    );
    assert!(e.help().unwrap().contains("--kube-version"));
    let e = refuse(TemplateOptions {
        version: Some("^2".into()),
        ..family_options()
    });
    assert_eq!(e.to_string(), "--version ^2: the chart is version 1.2.3");
    let mut opts = family_options();
    opts.values.set.push("replicas=0,mode=c".into());
    let e = refuse(opts).to_string();
    assert!(
        e.contains("family:\n- at '/mode': value must be one of \"a\", \"b\""),
        "{e}"
    );
    assert!(
        e.contains("- at '/replicas': must be >= 1 but found 0"),
        "{e}"
    );
    let mut opts = family_options();
    opts.values.set.push("kid=1".into());
    let e = refuse(opts).to_string();
    assert!(e.contains("type mismatch on kid"), "{e}");
    let e = refuse(TemplateOptions {
        release_name: "Bad_Name".into(),
        ..family_options()
    });
    assert!(
        e.to_string().contains("invalid release name `Bad_Name`"),
        "{e}"
    );
}

/// The same chart packaged as a `.tgz` loads to the same chart.
#[test]
fn a_packaged_chart_loads_as_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let tgz = dir.path().join("family-1.2.3.tgz");
    let status = std::process::Command::new("tar")
        .arg("-czf")
        .arg(&tgz)
        .arg("-C")
        .arg(crate_root().join("tests/helm/charts"))
        .arg("family")
        .status()
        .unwrap();
    assert!(status.success());
    let mut packed = Chart::load(&tgz, &Default::default()).unwrap();
    let mut folder = family();
    packed.origin.clear();
    folder.origin.clear();
    fn clear(c: &mut Chart) {
        c.origin.clear();
        c.dependencies.iter_mut().for_each(clear);
        c.dependencies.sort_by(|a, b| a.name().cmp(b.name()));
        c.files.sort_by(|a, b| a.name.cmp(&b.name));
        c.templates.sort_by(|a, b| a.name.cmp(&b.name));
    }
    clear(&mut packed);
    clear(&mut folder);
    assert_eq!(packed, folder);
}

/// Every upstream case through the Go template engine, compared with
/// Helm's rendering by `manifests-equal` (refused cases: refused, naming
/// `refused.key`). Prints the pass count; fails below the count reached
/// (`PASSING`), so a regression shows.
#[test]
fn upstream_cases_through_the_engine() {
    // The other two (ip-v1.3.0-*-gke) are the reference's: its files are
    // concatenated unsplit, so `---apiVersion: v1` (a template's trimmed
    // separator) joins two objects that `helm template` prints apart.
    const PASSING: usize = 52;
    let Some(dir) = charts_dir() else { return };
    let tool = dir.join("../../tools/manifests-equal");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let tmp = tempfile::tempdir().unwrap();
    let mut passed = Vec::new();
    let mut failed = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let chart_dir = dir.join(std::fs::read_to_string(case.join("chart")).unwrap().trim());
        let chart = Chart::load(&chart_dir, &Default::default()).unwrap();
        let mut exec = helm::engine::GoTemplates::default();
        let result = helm::template(chart, &case_options(case), &mut exec);
        let expected = case.join("expected.yaml");
        match result {
            Ok((out, _)) if expected.is_file() => {
                let actual = tmp.path().join(format!("{name}.yaml"));
                std::fs::write(&actual, out).unwrap();
                let o = std::process::Command::new("python3")
                    .arg(&tool)
                    .arg(&expected)
                    .arg(&actual)
                    .output()
                    .unwrap();
                if o.status.success() {
                    passed.push(name);
                } else {
                    let diff = String::from_utf8_lossy(&o.stdout);
                    let first: Vec<&str> = diff.lines().take(3).collect();
                    failed.push(format!("{name}: differs: {}", first.join(" | ")));
                }
            }
            Ok(_) => failed.push(format!("{name}: rendered, Helm refused")),
            Err(e) if !expected.is_file() => {
                let key = std::fs::read_to_string(case.join("refused.key")).unwrap();
                let helm_says = std::fs::read_to_string(case.join("expected.refused")).unwrap();
                let helm_says = helm_says.trim().trim_start_matches("Error: ");
                if e.to_string().trim() != helm_says {
                    failed.push(format!("{name}: refused in other words: {e}"));
                } else if e.to_string().contains(key.trim()) {
                    passed.push(name);
                } else {
                    failed.push(format!(
                        "{name}: refused without naming {}: {e}",
                        key.trim()
                    ));
                }
            }
            Err(e) => {
                let text = e.to_string();
                failed.push(format!(
                    "{name}: {}",
                    text.lines().next().unwrap_or_default()
                ));
            }
        }
    }
    eprintln!(
        "{} of {} cases pass through the engine",
        passed.len(),
        cases.len()
    );
    for f in &failed {
        eprintln!("  {f}");
    }
    assert!(
        passed.len() >= PASSING,
        "{} passed, fewer than {PASSING}",
        passed.len()
    );
}

/// Through the binary: `msvc template RELEASE CHART` prints Helm's stream,
/// `-o` and `--check` work on it, refusals exit 2 saying what to do.
#[test]
fn cli_renders_a_chart_folder() {
    let sb = common::Sandbox::new("helm-chart");
    let chart = crate_root().join("tests/helm/charts/family");
    let user = crate_root().join("tests/helm/family-user.yaml");
    let (chart, user) = (chart.to_str().unwrap(), user.to_str().unwrap());
    let args = [
        "template", "rel", chart, "-f", user, "--set", "twin.n=5", "-n", "ns",
    ];
    let run = sb.run(&args);
    let golden =
        std::fs::read_to_string(crate_root().join("tests/helm/family.expected.yaml")).unwrap();
    assert_eq!(
        run.ok(),
        golden,
        "the engine renders the action-free chart as the text-only executor"
    );

    // kid and twin both render Deployment `child`: Helm prints both, -o
    // refuses two objects for one file; the parent's templates only.
    let mut to_dir = args.to_vec();
    to_dir.extend(["-s", "templates/*.yaml", "-o", "out"]);
    sb.run(&to_dir).ok();
    assert!(
        sb.tree("out").iter().any(|f| f.contains("service")),
        "{:?}",
        sb.tree("out")
    );
    assert!(
        !sb.tree("out").iter().any(|f| f.contains("child")),
        "{:?}",
        sb.tree("out")
    );
    let mut check = to_dir.clone();
    check.push("--check");
    assert_eq!(
        sb.run(&check).code,
        Some(0),
        "an unchanged render checks clean"
    );

    let mut old = args.to_vec();
    old.extend(["--kube-version", "1.19"]);
    sb.run(&old)
        .error(&["chart requires kubeVersion: >= 1.20.0-0", "--kube-version"]);
    sb.run(&["template", "rel", "--include-crds"])
        .error(&["--include-crds needs a CHART"]);
    sb.run(&["template", "rel", "no-such-chart"])
        .error(&["no-such-chart"]);
}

/// The native port's conformance cases (`tests/chart/`, and the eight
/// calls of `../shared/upstream/chart/CASES`) through the engine and the
/// chart's own templates (llm-d-modelservice v0.4.12): every rendering
/// case equal, except `oci-vllm-serve`, msvc's own, which the chart
/// refuses. The error cases are refused too, in the chart's words.
#[test]
fn native_port_cases_through_the_engine() {
    let Some(dir) = charts_dir() else { return };
    let chart = dir.join("llm-d-modelservice-v0.4.12");
    let chart = chart.to_str().unwrap();
    let tool = dir.join("../../tools/manifests-equal");
    let tmp = tempfile::tempdir().unwrap();
    let run = |name: &str, args: Vec<String>, cwd: &Path| {
        let mut full = vec!["template".to_string(), args[0].clone(), chart.to_string()];
        full.extend(args[1..].iter().cloned());
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_msvc"))
            .args(&full)
            .current_dir(cwd)
            .output()
            .unwrap();
        let path = tmp.path().join(format!("{name}.yaml"));
        std::fs::write(&path, &out.stdout).unwrap();
        (
            out.status.code(),
            path,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let equal = |expected: &Path, actual: &Path| {
        std::process::Command::new("python3")
            .arg(&tool)
            .arg(expected)
            .arg(actual)
            .status()
            .unwrap()
            .success()
    };
    let mut failures = Vec::new();
    let mut own = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(crate_root().join("tests/chart"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("args").is_file())
        .collect();
    dirs.sort();
    for d in &dirs {
        let name = d.file_name().unwrap().to_string_lossy().to_string();
        let args: Vec<String> = std::fs::read_to_string(d.join("args"))
            .unwrap()
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        let (code, out, err) = run(&name, args, d);
        let expected = d.join("expected.yaml");
        let ok = match (name.as_str(), expected.is_file()) {
            ("oci-vllm-serve", _) => code == Some(2) && err.contains("oci"),
            (_, true) => code == Some(0) && equal(&expected, &out),
            (_, false) => code == Some(2) && err.starts_with("error: "),
        };
        own += 1;
        if !ok {
            failures.push(format!("{name}: exit {code:?}: {err}"));
        }
    }
    let upstream = dir.join("../chart");
    let cases = std::fs::read_to_string(upstream.join("CASES")).unwrap();
    let examples = upstream.join("examples");
    let mut calls = 0;
    for line in cases
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let f: Vec<&str> = line.split('|').collect();
        let mut args = vec![f[0].to_string(), "-f".into(), f[1].to_string()];
        if !f[2].is_empty() {
            args.extend(["--set".into(), f[2].to_string()]);
        }
        let (code, out, err) = run(f[0], args, &examples);
        calls += 1;
        if code != Some(0) || !equal(&examples.join(f[3]), &out) {
            failures.push(format!("CASES {}: exit {code:?}: {err}", f[0]));
        }
    }
    assert_eq!((own, calls), (19, 8));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A dependency missing from `charts/` and a library chart as CHART are
/// refused, saying what to do.
#[test]
fn missing_dependencies_and_library_charts_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("family");
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(crate_root().join("tests/helm/charts/family"))
        .arg(&copy)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::remove_dir_all(copy.join("charts/exporter")).unwrap();
    let chart = Chart::load(&copy, &Default::default()).unwrap();
    let e = helm::prepare(chart, &family_options()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "chart `family`: found in Chart.yaml, but missing in charts/ directory: exporter"
    );
    assert!(e.help().unwrap().contains("helm dependency build"));

    let lib = Chart::load(&copy.join("charts/lib-1.0.0.tgz"), &Default::default()).unwrap();
    assert!(lib.metadata.is_library());
    let e = helm::prepare(lib, &family_options()).unwrap_err();
    assert!(
        e.to_string().contains("library charts are not installable"),
        "{e}"
    );
}

/// `.Capabilities` through the engine follows `--kube-version` and
/// `--api-versions`; `semverCompare` reads it as charts do.
#[test]
fn capabilities_follow_the_flags() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("Chart.yaml"),
        "apiVersion: v2\nname: kv\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("templates/a.yaml"),
        "a: {{ .Capabilities.KubeVersion.GitVersion }}\nb: {{ .Capabilities.KubeVersion.Minor }}\n\
         c: {{ semverCompare \">=1.30-0\" .Capabilities.KubeVersion.Version }}\n\
         d: {{ has \"example.com/v1\" .Capabilities.APIVersions }}\n",
    )
    .unwrap();
    let opts = TemplateOptions {
        release_name: "r".into(),
        kube_version: Some("1.29.3".into()),
        api_versions: vec!["example.com/v1".into()],
        ..Default::default()
    };
    let chart = Chart::load(dir.path(), &Default::default()).unwrap();
    let mut exec = helm::engine::GoTemplates::default();
    let (out, _) = helm::template(chart, &opts, &mut exec).unwrap();
    assert!(
        out.ends_with("a: v1.29.3\nb: 29\nc: false\nd: true\n"),
        "{out}"
    );
}
