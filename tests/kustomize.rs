//! kustomize with the real kubectl: msvc as a legacy exec generator plugin
//! (`msvc kustomize-plugin install`), kustomize's transformers over its
//! objects, and msvc as a KRM exec function (kubectl's kustomize where it
//! can run one, and kpt).
//!
//! Conformance tests: without kubectl whose kustomize runs plugins (or
//! kpt) they skip, saying so, unless `MSVC_REQUIRE_TOOLS=1` (CI) makes that
//! a failure; the `install` tests need msvc alone.

mod tools;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use msvc::objects::ObjectExt;
use msvc::yaml::Node;
use tools::*;

const KUSTOMIZATION_WITH_GENERATOR: &str = "generators:\n  - model.yaml\n";

/// The example ModelService with extra annotations.
fn model_service(annotations: &[(&str, &str)]) -> String {
    let mut text = example("llama2-7b.yaml");
    if !annotations.is_empty() {
        let mut a = String::from("  name: llama2-7b\n  annotations:\n");
        for (k, v) in annotations {
            a.push_str(&format!("    {k}: \"{v}\"\n"));
        }
        text = text.replacen("  name: llama2-7b\n", &a, 1);
    }
    text
}

fn rendered(args: &[&str], input: &str) -> Vec<Node> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.yaml"), input).unwrap();
    let mut all = vec!["render", "m.yaml"];
    all.extend_from_slice(args);
    let r = msvc_in(dir.path(), &all);
    r.expect_ok("msvc render");
    docs(&r.stdout)
}

#[test]
fn install_writes_an_executable_wrapper_where_kustomize_looks() {
    let home = tempfile::tempdir().unwrap();
    let path = install_plugin(home.path());
    assert_eq!(
        path,
        home.path()
            .join("llm-d.ai/v1alpha1/modelservice/ModelService")
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o111, 0o111, "executable: {mode:o}");
    let script = read(&path);
    assert!(script.starts_with("#!/bin/sh\n"), "{script}");
    assert!(
        script.contains(&format!(
            "'{}' kustomize-plugin run",
            msvc().canonicalize().unwrap().display()
        )),
        "{script}"
    );
    // Installing again replaces it; no stray temporary file is left.
    install_plugin(home.path());
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["ModelService"]);
}

#[test]
fn install_follows_kustomize_plugin_home_then_xdg() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let r = run(Command::new(msvc())
        .args(["kustomize-plugin", "install"])
        .env("KUSTOMIZE_PLUGIN_HOME", a.path())
        .env("XDG_CONFIG_HOME", b.path())
        .stdin(Stdio::null()));
    r.expect_ok("install");
    assert!(
        a.path()
            .join("llm-d.ai/v1alpha1/modelservice/ModelService")
            .is_file()
    );
    let r = run(Command::new(msvc())
        .args([
            "kustomize-plugin",
            "install",
            "--msvc",
            "/usr/local/bin/msvc",
        ])
        .env_remove("KUSTOMIZE_PLUGIN_HOME")
        .env("XDG_CONFIG_HOME", b.path())
        .stdin(Stdio::null()));
    r.expect_ok("install");
    let p = b
        .path()
        .join("kustomize/plugin/llm-d.ai/v1alpha1/modelservice/ModelService");
    assert!(read(&p).contains("exec '/usr/local/bin/msvc' kustomize-plugin run"));
}

/// The same objects as `msvc render`, compared as data (kustomize sorts keys).
#[test]
fn kubectl_kustomize_runs_the_generator_plugin() {
    if require_kubectl_with_plugins().is_none() {
        return;
    }
    let plugins = tempfile::tempdir().unwrap();
    install_plugin(plugins.path());
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("kustomization.yaml", KUSTOMIZATION_WITH_GENERATOR),
            ("model.yaml", &model_service(&[])),
        ],
    );
    let built = kustomize_build(plugins.path(), dir.path());
    built.expect_ok("kubectl kustomize");
    let got = docs(&built.stdout);
    let want = rendered(&[], &model_service(&[]));
    let mut got_ids = ids(&got);
    let mut want_ids = ids(&want);
    got_ids.sort();
    want_ids.sort();
    assert_eq!(got_ids, want_ids);
    assert!(got_ids.contains(&"Deployment/llama2-7b-decode".to_string()));
    assert!(got_ids.contains(&"Deployment/llama2-7b-epp".to_string()));
    for w in &want {
        let g = find(&got, w.kind(), w.name());
        assert_eq!(g.to_json(), w.to_json(), "{}/{}", w.kind(), w.name());
    }
}

#[test]
fn kustomize_transformers_apply_on_top() {
    if require_kubectl_with_plugins().is_none() {
        return;
    }
    let plugins = tempfile::tempdir().unwrap();
    install_plugin(plugins.path());
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "kustomization.yaml",
                "namePrefix: team-\nnamespace: serving\ncommonLabels:\n  team: a\ngenerators:\n  - model.yaml\n",
            ),
            ("model.yaml", &model_service(&[])),
        ],
    );
    let built = kustomize_build(plugins.path(), dir.path());
    built.expect_ok("kubectl kustomize");
    let got = docs(&built.stdout);
    let want = rendered(&[], &model_service(&[]));
    assert_eq!(got.len(), want.len());
    for o in &got {
        assert!(o.name().starts_with("team-llama2-7b"), "{}", o.name());
        assert_eq!(o.namespace(), Some("serving"), "{}", o.name());
        assert_eq!(str_at(o, &["metadata", "labels", "team"]), Some("a"));
        // msvc's own labels stay.
        assert_eq!(
            str_at(o, &["metadata", "labels", "app.kubernetes.io/managed-by"]),
            Some("msvc")
        );
    }
    let decode = find(&got, "Deployment", "team-llama2-7b-decode");
    assert_eq!(
        str_at(decode, &["spec", "selector", "matchLabels", "team"]),
        Some("a")
    );
    assert_eq!(
        str_at(
            decode,
            &["spec", "template", "metadata", "labels", "llm-d.ai/role"]
        ),
        Some("decode")
    );
    // References kustomize knows are renamed with the objects.
    assert_eq!(
        str_at(decode, &["spec", "template", "spec", "serviceAccountName"]),
        Some("team-llama2-7b-sa")
    );
    let binding = find(&got, "RoleBinding", "team-llama2-7b-epp-rolebinding");
    let subject = &binding.get("subjects").and_then(Node::as_seq).unwrap()[0];
    assert_eq!(str_at(subject, &["name"]), Some("team-llama2-7b-epp-sa"));
    assert_eq!(str_at(subject, &["namespace"]), Some("serving"));
    assert_eq!(
        str_at(binding, &["roleRef", "name"]),
        Some("team-llama2-7b-epp-role")
    );
    // What the README warns of: names inside the EPP's args and in CRD
    // fields kustomize does not know keep msvc's names.
    let epp = find(&got, "Deployment", "team-llama2-7b-epp");
    let args = epp
        .get_path(&["spec", "template", "spec", "containers"])
        .and_then(Node::as_seq)
        .unwrap()[0]
        .get("args")
        .and_then(Node::as_seq)
        .unwrap();
    assert!(
        args.iter()
            .any(|a| a.as_str() == Some("llama2-7b-inference-pool"))
    );
    let pool = find(&got, "InferencePool", "team-llama2-7b-inference-pool");
    assert_eq!(
        str_at(pool, &["spec", "endpointPickerRef", "name"]),
        Some("llama2-7b-epp-service")
    );
}

/// The pattern the README recommends with `namespace:`: the ModelService
/// names the same namespace, so what msvc writes inside the objects (the
/// EPP's `--pool-namespace`) agrees with what kustomize sets.
#[test]
fn model_service_namespace_matches_the_kustomization() {
    if require_kubectl_with_plugins().is_none() {
        return;
    }
    let plugins = tempfile::tempdir().unwrap();
    install_plugin(plugins.path());
    let dir = tempfile::tempdir().unwrap();
    let ms = model_service(&[]).replacen(
        "  name: llama2-7b\n",
        "  name: llama2-7b\n  namespace: serving\n",
        1,
    );
    write_files(
        dir.path(),
        &[
            (
                "kustomization.yaml",
                "namespace: serving\ngenerators:\n  - model.yaml\n",
            ),
            ("model.yaml", &ms),
        ],
    );
    let built = kustomize_build(plugins.path(), dir.path());
    built.expect_ok("kubectl kustomize");
    let got = docs(&built.stdout);
    let epp = find(&got, "Deployment", "llama2-7b-epp");
    let args = epp
        .get_path(&["spec", "template", "spec", "containers"])
        .and_then(Node::as_seq)
        .unwrap()[0]
        .get("args")
        .and_then(Node::as_seq)
        .unwrap()
        .iter()
        .filter_map(Node::as_str)
        .collect::<Vec<_>>();
    let at = args
        .iter()
        .position(|a| *a == "--pool-namespace")
        .expect("--pool-namespace");
    assert_eq!(args[at + 1], "serving");
}

#[test]
fn annotations_name_the_preset() {
    if require_kubectl_with_plugins().is_none() {
        return;
    }
    let plugins = tempfile::tempdir().unwrap();
    install_plugin(plugins.path());
    let dir = tempfile::tempdir().unwrap();
    // The example names its preset; without that the annotation picks it.
    let ms = example("opt-125m-nixl-pd.yaml").replacen(
        "  baseConfigMapRef:\n    name: vllm-pd-nixl\n",
        "",
        1,
    );
    // Without a preset the default (vllm-hf, decode only) has no prefill
    // model server, so the render fails: the annotation must change that.
    let plain = {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("m.yaml"), &ms).unwrap();
        msvc_in(d.path(), &["render", "m.yaml"])
    };
    assert!(plain.stderr.contains("has no image"), "{}", plain.stderr);
    let ms = ms.replacen(
        "metadata:\n",
        "metadata:\n  annotations:\n    msvc.llm-d.ai/preset: vllm-pd-nixl\n    msvc.llm-d.ai/epp-cluster-role: pod-read\n",
        1,
    );
    write_files(
        dir.path(),
        &[
            ("kustomization.yaml", KUSTOMIZATION_WITH_GENERATOR),
            ("model.yaml", &ms),
        ],
    );
    let built = kustomize_build(plugins.path(), dir.path());
    built.expect_ok("kubectl kustomize");
    let got = docs(&built.stdout);
    let want = rendered(
        &["--preset", "vllm-pd-nixl", "--epp-cluster-role", "pod-read"],
        &ms,
    );
    let mut a = ids(&got);
    let mut b = ids(&want);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    for w in &want {
        assert_eq!(find(&got, w.kind(), w.name()).to_json(), w.to_json());
    }
    assert!(got.iter().any(
        |o| o.kind() == "RoleBinding" && str_at(o, &["roleRef", "kind"]) == Some("ClusterRole")
    ));
}

const BASE: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team-base\ndata:\n  decodeDeployment: |\n    apiVersion: apps/v1\n    kind: Deployment\n    spec:\n      template:\n        spec:\n          containers:\n          - name: vllm\n            image: registry.example.com/vllm:from-base-file\n            command: [vllm, serve]\n  decodeService: |\n    apiVersion: v1\n    kind: Service\n    spec:\n      ports:\n      - name: http\n        port: {{ \"app_port\" | getPort }}\n";

#[test]
fn baseconfig_annotation_is_a_file_beside_the_kustomization() {
    if require_kubectl_with_plugins().is_none() {
        return;
    }
    let plugins = tempfile::tempdir().unwrap();
    install_plugin(plugins.path());
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("kustomization.yaml", "generators:\n  - models/model.yaml\n"),
            (
                "models/model.yaml",
                &model_service(&[("msvc.llm-d.ai/baseconfig", "bases/base.yaml")]),
            ),
            ("bases/base.yaml", BASE),
        ],
    );
    let built = kustomize_build(plugins.path(), dir.path());
    built.expect_ok("kubectl kustomize");
    let got = docs(&built.stdout);
    let mut kinds: Vec<&str> = got.iter().map(|o| o.kind()).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        ["Deployment", "Service", "ServiceAccount"],
        "{:?}",
        ids(&got)
    );
    assert!(
        built
            .stdout
            .contains("registry.example.com/vllm:from-base-file")
    );
}

#[test]
fn baseconfig_outside_the_kustomization_is_refused() {
    if require_kubectl_with_plugins().is_none() {
        return;
    }
    let plugins = tempfile::tempdir().unwrap();
    install_plugin(plugins.path());
    let top = tempfile::tempdir().unwrap();
    write_files(
        top.path(),
        &[
            ("app/kustomization.yaml", KUSTOMIZATION_WITH_GENERATOR),
            (
                "app/model.yaml",
                &model_service(&[("msvc.llm-d.ai/baseconfig", "../base.yaml")]),
            ),
            ("base.yaml", BASE),
        ],
    );
    let built = kustomize_build(plugins.path(), &top.path().join("app"));
    assert!(!built.ok(), "{}", built.stdout);
    assert!(
        built
            .stderr
            .contains("`../base.yaml` is outside the kustomization directory"),
        "{}",
        built.stderr
    );
}

#[test]
fn a_bad_model_service_fails_the_build_with_msvc_message() {
    if require_kubectl_with_plugins().is_none() {
        return;
    }
    let plugins = tempfile::tempdir().unwrap();
    install_plugin(plugins.path());
    let dir = tempfile::tempdir().unwrap();
    let bad = model_service(&[]).replacen("    replicas: 1\n", "    replica: 1\n", 1);
    write_files(
        dir.path(),
        &[
            ("kustomization.yaml", KUSTOMIZATION_WITH_GENERATOR),
            ("model.yaml", &bad),
        ],
    );
    let built = kustomize_build(plugins.path(), dir.path());
    assert!(!built.ok());
    assert!(
        built.stderr.contains("unknown field `replica`")
            && built.stderr.contains("did you mean `replicas`"),
        "{}",
        built.stderr
    );
    // A typo in msvc's own annotations is an error too.
    write_files(
        dir.path(),
        &[(
            "model.yaml",
            &model_service(&[("msvc.llm-d.ai/presets", "vllm-hf")]),
        )],
    );
    let built = kustomize_build(plugins.path(), dir.path());
    assert!(!built.ok());
    assert!(
        built.stderr.contains("did you mean `msvc.llm-d.ai/preset`"),
        "{}",
        built.stderr
    );
}

/// Two ModelServices, the second (`bee`) with `replica:` for `replicas:`
/// on `line` of its file.
fn two_generators() -> (String, String, usize) {
    let a = model_service(&[]);
    let b = a
        .replacen("  name: llama2-7b\n", "  name: bee\n", 1)
        .replacen("    replicas: 1\n", "    replica: 1\n", 1);
    let line = 1 + b.lines().position(|l| l == "    replica: 1").unwrap();
    (a, b, line)
}

/// The `file:line:col` words of a message.
fn positions(stderr: &str) -> Vec<&str> {
    stderr
        .split_whitespace()
        .filter(|w| {
            let parts: Vec<&str> = w.trim_end_matches(':').rsplitn(3, ':').collect();
            parts.len() == 3 && parts[..2].iter().all(|p| p.parse::<u32>().is_ok())
        })
        .collect()
}

/// No `file:line:col` but the one given.
#[track_caller]
fn only_position(stderr: &str, want: &str) {
    assert_eq!(positions(stderr), [want], "{stderr}");
}

/// kustomize hands the plugin a rewritten copy of the config; the error
/// names the user's file and line, the ModelService and the kustomization.
#[test]
fn generator_error_names_the_users_file_and_line() {
    if require_kubectl_with_plugins().is_none() {
        return;
    }
    let plugins = tempfile::tempdir().unwrap();
    install_plugin(plugins.path());
    let dir = tempfile::tempdir().unwrap();
    let (a, b, line) = two_generators();
    write_files(
        dir.path(),
        &[
            (
                "base/kustomization.yaml",
                "generators:\n  - a.yaml\n  - models/b.yaml\n",
            ),
            ("base/a.yaml", &a),
            ("base/models/b.yaml", &b),
            ("kustomization.yaml", "resources:\n  - base\n"),
        ],
    );
    let built = kustomize_build(plugins.path(), dir.path());
    assert!(!built.ok());
    let err = &built.stderr;
    assert!(
        err.contains(&format!(
            "models/b.yaml:{line}:5: unknown field `replica` (at spec.decode.replica)"
        )),
        "{err}"
    );
    assert!(err.contains("ModelService `bee`"), "{err}");
    assert!(err.contains("base/kustomization.yaml"), "{err}");
    assert!(!err.contains("generator config:"), "{err}");
    only_position(err, &format!("models/b.yaml:{line}:5:"));

    // Both in one file: the line is the file's.
    let both = format!("{a}---\n{b}");
    let line = 1 + both.lines().position(|l| l == "    replica: 1").unwrap();
    write_files(
        dir.path(),
        &[
            ("base/kustomization.yaml", "generators:\n  - both.yaml\n"),
            ("base/both.yaml", &both),
        ],
    );
    let built = kustomize_build(plugins.path(), dir.path());
    assert!(!built.ok());
    only_position(&built.stderr, &format!("both.yaml:{line}:5:"));
    assert!(
        built.stderr.contains("ModelService `bee`"),
        "{}",
        built.stderr
    );
}

/// The plugin run by hand on a config that no generator file holds: the
/// ModelService and the YAML path, no line.
#[test]
fn generator_error_without_its_file_gives_no_line() {
    let dir = tempfile::tempdir().unwrap();
    let (_, b, _) = two_generators();
    // Keys reordered, comments gone: as kustomize writes the config.
    let copy = format!(
        "kind: ModelService\napiVersion: llm-d.ai/v1alpha1\n{}",
        b.lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .filter(|l| !l.starts_with("kind:") && !l.starts_with("apiVersion:"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    );
    write_files(dir.path(), &[("config", &copy)]);
    let r = msvc_in(dir.path(), &["kustomize-plugin", "run", "config"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.starts_with(
            "error: kustomize generator ModelService `bee`: unknown field `replica` (at spec.decode.replica)"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("not lines"), "{}", r.stderr);
    assert!(
        positions(&r.stderr).is_empty(),
        "a line number: {}",
        r.stderr
    );

    // With the kustomization beside it, the same copy is found in b.yaml.
    write_files(
        dir.path(),
        &[
            ("kustomization.yaml", "generators:\n  - b.yaml\n"),
            ("b.yaml", &b),
        ],
    );
    let r = msvc_in(dir.path(), &["kustomize-plugin", "run", "config"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let line = 1 + b.lines().position(|l| l == "    replica: 1").unwrap();
    only_position(&r.stderr, &format!("b.yaml:{line}:5:"));
}

/// `dir/msvc-krm`, a script that runs `msvc krm` (an exec function takes
/// no arguments in kustomize).
fn krm_wrapper(dir: &std::path::Path) -> std::path::PathBuf {
    let script = dir.join("msvc-krm");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nexec '{}' krm\n", msvc().display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// A KRM function in `generators:` runs only where kustomize has
/// `--enable-exec` (standalone kustomize). kubectl's built-in kustomize
/// has no such flag and leaves exec functions out without a word; this
/// test pins whichever the installed kubectl does, so the README's
/// statement stays true.
#[test]
fn krm_exec_function_in_kubectl_kustomize() {
    if require_kubectl_with_plugins().is_none() {
        return;
    }
    let help = kustomize_help();
    let dir = tempfile::tempdir().unwrap();
    krm_wrapper(dir.path());
    let ms = model_service(&[(
        "config.kubernetes.io/function",
        "exec:\\n  path: ./msvc-krm\\n",
    )]);
    write_files(
        dir.path(),
        &[
            (
                "kustomization.yaml",
                "generators:\n  - model.yaml\nresources:\n  - cm.yaml\n",
            ),
            ("model.yaml", &ms),
            (
                "cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  a: \"1\"\n",
            ),
        ],
    );
    let mut cmd = Command::new(kubectl_with_plugins());
    cmd.args(["kustomize", "--enable-alpha-plugins"]);
    let exec = help.contains("--enable-exec");
    if exec {
        cmd.arg("--enable-exec");
    }
    let built = run(cmd.arg(dir.path()).stdin(Stdio::null()));
    built.expect_ok("kubectl kustomize");
    let got = docs(&built.stdout);
    if exec {
        find(&got, "Deployment", "llama2-7b-decode");
        find(&got, "ConfigMap", "other");
    } else {
        eprintln!(
            "note: this kubectl's kustomize has no --enable-exec; it skips exec KRM functions (kpt_runs_msvc_krm covers KRM mode)"
        );
        assert_eq!(ids(&got), ["ConfigMap/other"]);
    }
}

/// kpt (the Google Cloud CLI's, on this machine kind) runs `msvc krm` as an
/// exec function over a package, writes the new objects as files and
/// leaves the others as they were.
#[test]
fn kpt_runs_msvc_krm() {
    if require_kpt().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cm =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other # a comment\ndata: {a: \"1\"}\n";
    write_files(
        dir.path(),
        &[("pkg/cm.yaml", cm), ("fn/model.yaml", &model_service(&[]))],
    );
    let r = kpt_eval(dir.path());
    r.expect_ok("kpt fn eval");
    assert_eq!(read(&dir.path().join("pkg/cm.yaml")), cm);
    let mut written = Vec::new();
    for e in walk(&dir.path().join("pkg")) {
        written.extend(docs(&read(&e)));
    }
    let want = rendered(&[], &model_service(&[]));
    for w in &want {
        let g = find(&written, w.kind(), w.name());
        assert_eq!(g.namespace(), w.namespace());
    }
    // An error: kpt fails and shows msvc's result.
    write_files(
        dir.path(),
        &[(
            "fn/model.yaml",
            &model_service(&[]).replacen("    replicas: 1\n", "    replica: 1\n", 1),
        )],
    );
    let r = kpt_eval(dir.path());
    assert!(!r.ok());
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(
        all.contains("[error]") && all.contains("unknown field `replica`"),
        "{all}"
    );
}

/// The kpt binary. Machines of this project's kind ship kpt
/// (google-cloud-cli-kpt); a missing kpt is a failure, not a silent pass.
fn kpt() -> std::path::PathBuf {
    require_kpt().expect("kpt is missing: start the test with `require_kpt()`")
}

/// `kpt fn eval pkg --exec "msvc krm" --fn-config fn/model.yaml` in `dir`.
fn kpt_eval(dir: &std::path::Path) -> Run {
    let exec = format!("{} krm", msvc().display());
    run(Command::new(kpt())
        .args(["fn", "eval", "pkg", "--exec", &exec])
        .args(["--fn-config", "fn/model.yaml"])
        .current_dir(dir)
        .stdin(Stdio::null()))
}

/// Every file below `dir` with its text.
fn snapshot(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String)> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                files.push((p.strip_prefix(dir).unwrap().to_path_buf(), read(&p)));
            }
        }
    }
    files.sort();
    files
}

/// kpt writes what `msvc krm` returns: block YAML, and on the second run
/// the same files, not a second copy of every object.
#[test]
fn kpt_fn_eval_twice_leaves_the_package_unchanged() {
    if require_kpt().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("fn/model.yaml", &model_service(&[]))]);
    std::fs::create_dir(dir.path().join("pkg")).unwrap();
    let eval = || {
        kpt_eval(dir.path()).expect_ok("kpt fn eval");
    };
    eval();
    let first = snapshot(&dir.path().join("pkg"));
    let want = rendered(&[], &model_service(&[]));
    assert_eq!(first.len(), want.len(), "{first:?}");
    for (path, text) in &first {
        assert!(
            text.starts_with("apiVersion: "),
            "{}: {text}",
            path.display()
        );
        assert_eq!(docs(text).len(), 1, "{}: {text}", path.display());
    }
    eval();
    assert_eq!(snapshot(&dir.path().join("pkg")), first);
}

/// The kpt way to keep a generator in a package: a Kptfile pipeline whose
/// configPath is a ModelService in the package. kpt sends it as the
/// functionConfig and as an item; it renders once. Rendering again changes
/// nothing; renaming the ModelService replaces its objects.
#[test]
fn kpt_fn_render_pipeline_is_idempotent_and_follows_a_rename() {
    if require_kpt().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    let model = model_service(&[("config.kubernetes.io/local-config", "true")]);
    let script = krm_wrapper(dir.path());
    let kptfile = format!(
        "apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: pkg\n  annotations:\n    config.kubernetes.io/local-config: \"true\"\npipeline:\n  mutators:\n  - exec: {}\n    configPath: model.yaml\n",
        script.display()
    );
    write_files(&pkg, &[("Kptfile", &kptfile), ("model.yaml", &model)]);
    let render = || {
        let r = run(Command::new(kpt())
            .args(["fn", "render", "pkg", "--allow-exec"])
            .current_dir(dir.path())
            .stdin(Stdio::null()));
        r.expect_ok("kpt fn render");
        // kpt fn render passes when a function reports an error.
        assert!(!r.stderr.contains("[error]"), "{}", r.stderr);
    };
    render();
    let first = snapshot(&pkg);
    let objects: Vec<Node> = first.iter().flat_map(|(_, t)| docs(t)).collect();
    let want = rendered(&[], &model_service(&[]));
    for w in &want {
        find(&objects, w.kind(), w.name());
    }
    assert_eq!(objects.len(), want.len() + 2, "{:?}", ids(&objects));
    render();
    assert_eq!(snapshot(&pkg), first);
    write_files(
        &pkg,
        &[(
            "model.yaml",
            &model.replacen("  name: llama2-7b\n", "  name: llama3\n", 1),
        )],
    );
    render();
    let objects: Vec<Node> = snapshot(&pkg).iter().flat_map(|(_, t)| docs(t)).collect();
    let mut names: Vec<&str> = objects.iter().map(|o| o.name()).collect();
    names.retain(|n| n.starts_with("llama2-7b"));
    assert!(names.is_empty(), "left over: {names:?}");
    find(&objects, "Deployment", "llama3-decode");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
    out.sort();
    out
}
