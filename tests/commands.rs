//! The everyday commands through the real binary: `explain`, `lint`,
//! `schema`, `--version` and `completions`. Paths in arguments are
//! relative to the crate root, where every command runs.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn msvc() -> Command {
    let mut c = Command::cargo_bin("msvc").unwrap();
    c.current_dir(root());
    c
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

/// A ModelService on the vllm-hf preset; `{extra}` goes at the end of spec.
const MODEL: &str = "\
apiVersion: llm-d.ai/v1alpha1
kind: ModelService
metadata:
  name: qwen
spec:
  routing:
    modelName: Qwen/Qwen3-8B
    ports:
      - name: app_port
        port: 8000
  modelArtifacts:
    uri: hf://Qwen/Qwen3-8B
    size: 40Gi
  decode:
    replicas: 2
    containers:
      - name: vllm
        args: [\"{{ .HFModelName }}\"]
        mountModelVolume: true
";

// ---------------------------------------------------------------------------
// explain
// ---------------------------------------------------------------------------

#[test]
fn explain_names_the_origin_of_every_field() {
    let out = msvc()
        .args(["explain", "examples/llama2-7b.yaml"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for want in [
        // The ModelService, by file and line.
        "Deployment/llama2-7b-decode:spec.replicas = 1  <- ModelService llama2-7b (examples/llama2-7b.yaml:23:15, spec.decode.replicas, copied by msvc)",
        "Deployment/llama2-7b-decode:spec.template.spec.containers[vllm].args[0] = meta-llama/Llama-2-7b-hf  <- ModelService llama2-7b (examples/llama2-7b.yaml:27:13, template {{ .HFModelName }})",
        // The preset (a BaseConfig), by file and line.
        "Deployment/llama2-7b-decode:spec.template.spec.containers[vllm].image = ghcr.io/llm-d/llm-d-cuda:",
        "<- BaseConfig nvidia (presets/nvidia.yaml:",
        // msvc's rules.
        "Deployment/llama2-7b-decode:metadata.name = llama2-7b-decode  <- msvc naming:",
        "Deployment/llama2-7b-decode:spec.template.spec.containers[vllm].env[HF_HOME].value = /model-cache  <- msvc model artifacts:",
        "Deployment/llama2-7b-decode:spec.template.spec.containers[vllm].resources.limits[\"nvidia.com/gpu\"] = \"1\"  <- msvc accelerator:",
        "Role/llama2-7b-epp-role:rules[0].verbs[0] = get  <- msvc RBAC:",
        "Deployment/llama2-7b-decode:spec.template.spec.serviceAccountName = llama2-7b-sa  <- msvc service accounts:",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    // Every line is one field with an origin.
    for line in text.lines() {
        assert!(line.contains(":") && line.contains("  <- "), "{line}");
    }
}

#[test]
fn explain_one_path() {
    let dir = tempfile::tempdir().unwrap();
    let model = write(dir.path(), "qwen.yaml", MODEL);
    msvc()
        .arg("explain")
        .arg(&model)
        .args(["--path", "Deployment/qwen-decode:spec.replicas"])
        .assert()
        .success()
        .stdout(format!(
            "Deployment/qwen-decode:spec.replicas = 2  <- ModelService qwen ({}:15:15, spec.decode.replicas, copied by msvc)\n",
            model.display()
        ));
    // A container: all its fields, and nothing else.
    let out = msvc()
        .arg("explain")
        .arg(&model)
        .args([
            "--path",
            "Deployment/qwen-decode:spec.template.spec.containers[vllm].args",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 3, "{text}");
    assert!(lines.iter().all(|l| {
        l.starts_with("Deployment/qwen-decode:spec.template.spec.containers[vllm].args[")
    }));
    // A path in every object, and the kind without the name.
    let out = msvc()
        .arg("explain")
        .arg(&model)
        .args(["--path", "spec.replicas", "--path", "Role"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Deployment/qwen-decode:spec.replicas = 2"),
        "{text}"
    );
    assert!(
        text.contains("Deployment/qwen-epp:spec.replicas = 1  <- BaseConfig vllm-hf"),
        "{text}"
    );
    assert!(text.contains("Role/qwen-epp-role:rules[0]"), "{text}");
}

#[test]
fn explain_says_why_a_field_is_absent() {
    let dir = tempfile::tempdir().unwrap();
    let model = write(
        dir.path(),
        "qwen.yaml",
        &MODEL.replace("  decode:\n", "  decoupleScaling: true\n  decode:\n"),
    );
    msvc()
        .arg("explain")
        .arg(&model)
        .args(["--path", "Deployment/qwen-decode:spec.replicas"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Deployment/qwen-decode:spec.replicas (absent)  <- msvc decoupleScaling: decoupleScaling: true leaves spec.replicas to an autoscaler",
        ))
        .stdout(predicate::str::contains(format!(
            "(spec.decoupleScaling at {}:14:20)",
            model.display()
        )));
}

#[test]
fn explain_with_a_baseconfig_file_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(
        dir.path(),
        "base.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mine\ndata:\n  decodeDeployment: |\n    spec:\n      replicas: 5\n      template:\n        spec:\n          containers:\n            - name: vllm\n              image: vllm/vllm-openai:v0.10.2\n",
    );
    let model = write(
        dir.path(),
        "m.yaml",
        &MODEL.replace("    replicas: 2\n", ""),
    );
    let out = msvc()
        .arg("explain")
        .arg(&model)
        .arg("-b")
        .arg(&base)
        .args(["--path", "Deployment/qwen-decode:spec", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let fields = json(&out);
    let fields = fields.as_array().unwrap();
    let find = |path: &str| {
        fields
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("no {path} in {fields:?}"))
    };
    let replicas = find("spec.replicas");
    assert_eq!(replicas["value"], 5);
    assert_eq!(replicas["object"], "Deployment/qwen-decode");
    assert_eq!(replicas["origin"]["source"], "baseconfig");
    assert_eq!(replicas["origin"]["name"], "mine");
    assert_eq!(
        replicas["origin"]["location"]["file"],
        base.display().to_string()
    );
    assert_eq!(replicas["origin"]["location"]["line"], 8);
    let label = find("spec.selector.matchLabels[\"llm-d.ai/model\"]");
    assert_eq!(label["origin"]["source"], "msvc");
    assert_eq!(label["origin"]["rule"], "labels");
    assert_eq!(label["origin"]["cite"]["path"], "spec.routing.modelName");
    assert_eq!(label["origin"]["cite"]["location"]["line"], 7);
}

#[test]
fn explain_errors() {
    // A path that matches nothing names the closest one.
    msvc()
        .args(["explain", "examples/llama2-7b.yaml", "--path", "Deployment/llama2-7b-decode:spec.replica"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no field of the output matches `Deployment/llama2-7b-decode:spec.replica`; closest: `Deployment/llama2-7b-decode:spec.replicas`",
        ));
    msvc()
        .args(["explain", "examples/llama2-7b.yaml", "--path", "spec[vllm"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--path `spec[vllm`: unclosed `[`"));
    // Bad input: render's own error, with its position.
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.yaml",
        &MODEL.replace("    replicas: 2", "    replica: 2"),
    );
    msvc()
        .arg("explain")
        .arg(&bad)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "{}:15:5: unknown field `replica`",
            bad.display()
        )));
    msvc()
        .arg("explain")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no input"));
}

// ---------------------------------------------------------------------------
// lint
// ---------------------------------------------------------------------------

#[test]
fn lint_clean_examples() {
    for example in [
        "examples/llama2-7b.yaml",
        "examples/granite-autoscaled.yaml",
        "examples/llama2-70b-pd.yaml",
    ] {
        msvc()
            .args(["lint", example])
            .assert()
            .success()
            .stdout("msvc lint: 0 errors, 0 warnings\n");
    }
}

const HPA: &str = "\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: qwen
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: qwen-decode
  minReplicas: 1
  maxReplicas: 4
";

#[test]
fn lint_warnings_like_a_compiler() {
    let dir = tempfile::tempdir().unwrap();
    let model = write(
        dir.path(),
        "qwen.yaml",
        &MODEL.replace(
            "        mountModelVolume: true\n",
            "        mountModelVolume: true\n        image: vllm/vllm-openai:latest\n",
        ),
    );
    let hpa = write(dir.path(), "hpa.yaml", HPA);
    let f = model.display();
    let out = msvc()
        .arg("lint")
        .arg(&model)
        .arg(&hpa)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains(&format!(
            "{f}:5:1: warning: HorizontalPodAutoscaler `qwen` ({}:9:11) scales Deployment `qwen-decode`, but decoupleScaling is false",
            hpa.display()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{f}:20:16: warning: image `vllm/vllm-openai:latest` of container `vllm` (Deployment `qwen-decode`) uses the `:latest` tag"
        )),
        "{text}"
    );
    assert!(
        text.contains("[hpa-replicas]\n  help: set spec.decoupleScaling: true"),
        "{text}"
    );
    assert!(
        text.ends_with("msvc lint: 0 errors, 2 warnings\n"),
        "{text}"
    );
    // The HPA is lint's input, not a skipped document.
    assert!(!text.contains("skipping"), "{text}");

    msvc()
        .arg("lint")
        .arg(&model)
        .arg(&hpa)
        .arg("--deny-warnings")
        .assert()
        .code(1);
}

#[test]
fn lint_errors_exit_2_and_report_every_modelservice() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.yaml",
        &MODEL.replace("    replicas: 2", "    replica: 2"),
    );
    let b = write(
        dir.path(),
        "b.yaml",
        &MODEL
            .replace("name: qwen", "name: other")
            .replace("modelName: Qwen/Qwen3-8B", "modelName: other")
            .replace("hf://Qwen/Qwen3-8B", "s3://bucket/qwen"),
    );
    let c = write(
        dir.path(),
        "c.yaml",
        &MODEL.replace("name: qwen", "name: third"),
    );
    let d = write(
        dir.path(),
        "d.yaml",
        &MODEL
            .replace("name: qwen", "name: fourth")
            .replace("    size: 40Gi\n", ""),
    );
    let out = msvc()
        .arg("lint")
        .args([&a, &b, &c, &d])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains(&format!(
            "{}:15:5: error: unknown field `replica`",
            a.display()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}:12:10: error: model URI `s3://bucket/qwen` has an unsupported scheme",
            b.display()
        )),
        "{text}"
    );
    // c and d both serve Qwen/Qwen3-8B: the later one is warned about
    // (render warns too; the controller deployed both).
    assert!(
        text.contains(&format!(
            "{}:7:16: warning: ModelServices `third`",
            d.display()
        )),
        "{text}"
    );
    assert!(text.contains("[duplicate-model-name]"), "{text}");
    assert!(text.ends_with("msvc lint: 2 errors, 1 warning\n"), "{text}");
}

#[test]
fn lint_json_and_github() {
    let dir = tempfile::tempdir().unwrap();
    let model = write(
        dir.path(),
        "qwen.yaml",
        &MODEL.replace(
            "        mountModelVolume: true\n",
            "        mountModelVolume: true\n        resources:\n          limits:\n            nvidia.com/gpu: \"1\"\n",
        )
        .replace("    replicas: 2\n", "    replicas: 2\n    parallelism:\n      tensor: 4\n"),
    );
    let out = msvc()
        .arg("lint")
        .arg(&model)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let findings = json(&out);
    let f = &findings[0];
    assert_eq!(findings.as_array().unwrap().len(), 1, "{findings}");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["rule"], "tensor-parallelism");
    assert_eq!(f["file"], model.display().to_string());
    assert_eq!(f["line"], 17);
    assert_eq!(f["column"], 15);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("requests 1 nvidia.com/gpu, but tensor parallelism 4"),
        "{f}"
    );
    assert!(
        f["help"].as_str().unwrap().contains("parallelism.tensor"),
        "{f}"
    );

    msvc()
        .arg("lint")
        .arg(&model)
        .args(["--format", "github"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "::warning file={},line=17,col=15,title=msvc lint [tensor-parallelism]::container `vllm`",
            model.display()
        )));
}

// ---------------------------------------------------------------------------
// schema, --version, completions
// ---------------------------------------------------------------------------

#[test]
fn schema_prints_the_shipped_files() {
    for (arg, file) in [
        ("modelservice", "schemas/modelservice.schema.json"),
        ("baseconfig", "schemas/baseconfig.schema.json"),
    ] {
        let want = std::fs::read_to_string(root().join(file)).unwrap();
        let out = msvc()
            .args(["schema", arg])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert_eq!(String::from_utf8(out).unwrap(), want, "{file}");
        let schema = json(want.as_bytes());
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    }
    let default = msvc()
        .arg("schema")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        json(&default)["properties"]["kind"]["const"],
        "ModelService"
    );
    msvc()
        .args(["schema", "deployment"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "possible values: modelservice, baseconfig",
        ));
}

#[test]
fn version_lists_the_presets() {
    let out = msvc()
        .arg("--version")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with(concat!("msvc ", env!("CARGO_PKG_VERSION"), "\npresets:\n")),
        "{text}"
    );
    assert!(text.contains("\n  nvidia "), "{text}");
    assert!(text.contains("llm-d-cuda:v"), "{text}");
    assert!(text.contains("\n  vllm-hf "), "{text}");
    msvc()
        .arg("-V")
        .assert()
        .success()
        .stdout(concat!("msvc ", env!("CARGO_PKG_VERSION"), "\n"));
}

#[test]
fn completions_match_the_shipped_scripts() {
    for (shell, file) in [
        ("bash", "completions/msvc.bash"),
        ("zsh", "completions/_msvc"),
        ("fish", "completions/msvc.fish"),
        ("powershell", "completions/_msvc.ps1"),
        ("elvish", "completions/msvc.elv"),
    ] {
        let want = std::fs::read_to_string(root().join(file)).unwrap();
        msvc()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(want);
    }
}

/// `MODEL` with `msvc.llm-d.ai/scheduling-profile: {value}` (a block when
/// it spans lines).
fn with_profile(value: &str) -> String {
    let annotation = if value.contains('\n') {
        let body: String = value.lines().map(|l| format!("      {l}\n")).collect();
        format!("    msvc.llm-d.ai/scheduling-profile: |\n{body}")
    } else {
        format!("    msvc.llm-d.ai/scheduling-profile: {value}\n")
    };
    MODEL.replacen(
        "  name: qwen\n",
        &format!("  name: qwen\n  annotations:\n{annotation}"),
        1,
    )
}

/// `msvc ARGS`: (exit code, stdout, stderr).
fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let out = msvc().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const OWN_CONFIG: &str = "\
apiVersion: inference.networking.x-k8s.io/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: queue-scorer
- type: prefix-cache-scorer
schedulingProfiles:
- name: default
  plugins:
  - pluginRef: queue-scorer
  - pluginRef: prefix-cache-scorrer
    weight: 2
";

/// A dangling pluginRef is an error at its line, in lint as in render,
/// whether the config is written in the annotation or in a file beside
/// the ModelService; fixed, it renders into the EPP's ConfigMap.
#[test]
fn lint_checks_scheduling_config_plugin_refs() {
    let dir = tempfile::tempdir().unwrap();
    let inline = write(dir.path(), "inline.yaml", &with_profile(OWN_CONFIG));
    let (code, text, _) = run(&["lint".as_ref(), inline.as_ref()]);
    assert_eq!(code, Some(2), "{text}");
    // The annotation is line 6; the bad ref is line 10 of its block.
    assert!(
        text.contains(&format!(
            "{}:16:22: error: pluginRef `prefix-cache-scorrer` names no plugin of this EndpointPickerConfig",
            inline.display()
        )),
        "{text}"
    );
    assert!(
        text.contains("did you mean `prefix-cache-scorer`?"),
        "{text}"
    );

    write(dir.path(), "mine.yaml", OWN_CONFIG);
    let by_file = write(dir.path(), "by-file.yaml", &with_profile("mine.yaml"));
    let (code, _, text) = run(&["render".as_ref(), by_file.as_ref()]);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains(&format!(
            "{}:10:16:",
            dir.path().join("mine.yaml").display()
        )) && text.contains("pluginRef `prefix-cache-scorrer`"),
        "{text}"
    );

    write(
        dir.path(),
        "mine.yaml",
        &OWN_CONFIG.replace("scorrer", "scorer"),
    );
    let (code, text, err) = run(&["render".as_ref(), by_file.as_ref()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.contains("  custom-plugins.yaml: |\n"), "{text}");
    assert!(text.contains("- /config/custom-plugins.yaml\n"), "{text}");
    msvc().arg("lint").arg(&by_file).assert().success();
}

/// A profile by name; an unknown one, a missing file, or a profile over a
/// BaseConfig whose EPP reads no config, is an error saying what to do.
#[test]
fn scheduling_profile_by_name_and_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    let pd = write(dir.path(), "pd.yaml", &with_profile("pd"));
    let (code, text, err) = run(&["render".as_ref(), pd.as_ref()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.contains("  pd-config.yaml: |\n"), "{text}");
    assert!(text.contains("- /config/pd-config.yaml\n"), "{text}");

    let typo = write(dir.path(), "typo.yaml", &with_profile("precise"));
    msvc()
        .arg("render")
        .arg(&typo)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "error: {}:6:39: annotation `msvc.llm-d.ai/scheduling-profile`: unknown scheduling profile `precise`",
            typo.display()
        )))
        .stderr(predicate::str::contains(
            "did you mean `precise-prefix-cache`?",
        ));

    let missing = write(dir.path(), "missing.yaml", &with_profile("nope.yaml"));
    msvc()
        .arg("render")
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read EndpointPickerConfig file",
        ))
        .stderr(predicate::str::contains(
            "relative to the ModelService's file",
        ));

    let base = write(
        dir.path(),
        "base.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mine\ndata:\n  eppDeployment: |\n    spec:\n      template:\n        spec:\n          containers:\n            - name: epp\n              image: example.com/epp:1\n",
    );
    msvc()
        .arg("render")
        .arg(&pd)
        .arg("-b")
        .arg(&base)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "BaseConfig `mine` has no EPP that reads a scheduling config",
        ));
}
