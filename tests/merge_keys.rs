//! YAML merge keys (`<<: *anchor`) as kubectl, Helm and kustomize read
//! them (go-yaml): in a ModelService, a BaseConfig's data, chart values and
//! KRM input, through the binary.

mod common;

use common::*;

const PD: &str = r#"apiVersion: llm-d.ai/v1alpha1
kind: ModelService
metadata:
  name: pd
spec:
  routing:
    modelName: m
    ports:
      - name: app_port
        port: 8000
      - name: decode_port
        port: 8200
  modelArtifacts:
    uri: hf://org/m
  decode: &role
    replicas: 3
    containers:
      - name: vllm
        args: ["{{ .HFModelName }}", "--enforce-eager"]
  prefill:
    <<: *role
    replicas: 1
"#;

use msvc::yaml::Node;

fn args(dep: &Node) -> Vec<String> {
    strings(container(dep, "vllm"), "args")
}

#[test]
fn a_model_service_role_merges_another() {
    let dir = Sandbox::new("merge-ms");
    dir.write("ms.yaml", PD);
    let objs = dir
        .run(&["render", "ms.yaml", "--preset", "vllm-pd-nixl"])
        .objects();
    let decode = find(&objs, "Deployment", "pd-decode");
    let prefill = find(&objs, "Deployment", "pd-prefill");
    assert_eq!(text(decode, "spec.replicas"), "3");
    // The explicit key wins over the merged one.
    assert_eq!(text(prefill, "spec.replicas"), "1");
    // The merged container: the ModelService's args, then the preset's
    // (whose port differs between the roles).
    assert_eq!(args(prefill)[..2], args(decode)[..2]);
    assert_eq!(args(prefill)[..2], ["org/m", "--enforce-eager"]);
    // explain names the line the merged value is written on.
    let explain = dir.run(&[
        "explain",
        "ms.yaml",
        "--preset",
        "vllm-pd-nixl",
        "--path",
        "Deployment/pd-prefill:spec.replicas",
    ]);
    let line = line_of(PD, "    replicas: 1");
    assert!(
        explain.ok().contains(&format!("ms.yaml:{line}:")),
        "{}",
        explain.stdout
    );
}

#[test]
fn merging_a_non_mapping_is_an_error_at_its_line() {
    let dir = Sandbox::new("merge-bad");
    let bad = PD.replace("    <<: *role\n", "    <<: [*role, 3]\n");
    dir.write("ms.yaml", &bad);
    let line = line_of(&bad, "<<:");
    dir.run(&["render", "ms.yaml", "--preset", "vllm-pd-nixl"])
        .error(&[
            &format!("ms.yaml:{line}:"),
            "a merge key `<<` takes a mapping or a list of mappings",
        ]);
}

#[test]
fn a_base_config_data_value_merges() {
    let dir = Sandbox::new("merge-base");
    let shown = dir.run(&["presets", "show", "vllm-hf"]);
    // The decode container's resources, shared through an anchor inside
    // the data value.
    let base = shown.ok().replacen(
        "    spec:\n      replicas: 1\n",
        "    x-defaults: &d\n      replicas: 2\n    spec:\n      <<: *d\n",
        1,
    );
    assert_ne!(
        base, shown.stdout,
        "the preset's decodeDeployment changed shape"
    );
    dir.write("base.yaml", &base);
    let ms = read(&crate_root().join("examples/llama2-7b.yaml")).replace("    replicas: 1\n", "");
    dir.write("ms.yaml", &ms);
    let run = dir.run(&["render", "ms.yaml", "-b", "base.yaml"]);
    let objs = run.objects();
    assert_eq!(
        text(
            find(&objs, "Deployment", "llama2-7b-decode"),
            "spec.replicas"
        ),
        "2"
    );
}

#[test]
fn chart_values_merge() {
    let dir = Sandbox::new("merge-values");
    let values = read(&crate_root().join("tests/chart/accel-amd/values.yaml"));
    dir.write("values.yaml", &values);
    let plain = dir.run(&["template", "r", "-f", "values.yaml"]).objects();
    let decode_name = all(&plain, "Deployment")
        .into_iter()
        .map(|d| text(d, "metadata.name"))
        .find(|n| n.ends_with("-decode"))
        .expect("a decode Deployment");
    // Set the replicas through an anchor, as a values file shared between
    // roles does.
    let merged = format!(
        "x-common: &c\n  replicas: 3\n{}",
        values.replacen("decode:\n", "decode:\n  <<: *c\n", 1)
    );
    assert_ne!(merged.matches("<<").count(), 0);
    dir.write("values.yaml", &merged);
    let objs = dir.run(&["template", "r", "-f", "values.yaml"]).objects();
    assert_eq!(
        text(find(&objs, "Deployment", &decode_name), "spec.replicas"),
        "3"
    );
}

#[test]
fn krm_input_merges() {
    let dir = Sandbox::new("merge-krm");
    let item: String = PD.lines().map(|l| format!("    {l}\n")).collect();
    let list = format!(
        "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n{item}"
    );
    let list = list.replace(
        "    metadata:\n      name: pd\n",
        "    metadata:\n      name: pd\n      annotations:\n        msvc.llm-d.ai/preset: vllm-pd-nixl\n",
    );
    let run = dir.run_stdin(&["krm"], &list);
    let docs = parse(run.ok());
    let items = common::list(&docs[0], "items");
    let prefill = items
        .iter()
        .find(|o| text(o, "kind") == "Deployment" && text(o, "metadata.name") == "pd-prefill")
        .expect("pd-prefill in the items");
    assert_eq!(text(prefill, "spec.replicas"), "1");
    assert!(args(prefill).contains(&"--enforce-eager".to_string()));
}
