//! Render options beyond the controller's: the Inference Extension API,
//! ApplySet labels, ownership labels, autoscaling and disruption budgets.

mod common;

use std::process::Command;

use msvc::objects::ObjectExt;
use msvc::yaml::{Node, Origin, parse_documents};

fn msvc(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_msvc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run msvc");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn objects(stream: &str) -> Vec<Node> {
    parse_documents(stream, &Origin::file("stdout"))
        .expect("output parses")
        .into_iter()
        .filter(|d| !d.is_null())
        .collect()
}

fn find<'a>(objs: &'a [Node], kind: &str) -> Vec<&'a Node> {
    objs.iter().filter(|o| o.kind() == kind).collect()
}

#[test]
fn inference_extension_v1_is_the_default() {
    let (code, out, err) = msvc(&["render", "examples/llama2-7b.yaml"]);
    assert_eq!(code, 0, "{err}");
    let objs = objects(&out);
    let pools = find(&objs, "InferencePool");
    assert_eq!(pools.len(), 1);
    let pool = pools[0];
    assert_eq!(pool.api_version(), "inference.networking.k8s.io/v1");
    let spec = pool.get("spec").unwrap();
    assert!(
        spec.get_path(&["selector", "matchLabels", "llm-d.ai/model"])
            .is_some()
    );
    assert_eq!(
        spec.get("targetPorts").unwrap().as_seq().unwrap()[0]
            .get("number")
            .unwrap()
            .as_i64(),
        Some(8000)
    );
    // v1's CEL rule: a Service reference needs its port.
    assert_eq!(
        spec.get_path(&["endpointPickerRef", "port", "number"])
            .and_then(Node::as_i64),
        Some(9002)
    );
    assert_eq!(
        spec.get_path(&["endpointPickerRef", "name"])
            .and_then(Node::as_str),
        Some("llama2-7b-epp-service")
    );
    assert!(
        find(&objs, "InferenceModel").is_empty(),
        "v1 has no InferenceModel"
    );
    assert!(
        !err.contains("InferenceModel"),
        "built-in presets drop it silently: {err}"
    );
    let route = find(&objs, "HTTPRoute")[0];
    let backend = &route
        .get_path(&["spec", "rules"])
        .unwrap()
        .as_seq()
        .unwrap()[0]
        .get("backendRefs")
        .unwrap()
        .as_seq()
        .unwrap()[0];
    assert_eq!(
        backend.get("group").and_then(Node::as_str),
        Some("inference.networking.k8s.io")
    );
}

#[test]
fn v1alpha2_keeps_the_controllers_shape() {
    let (code, out, err) = msvc(&["render", "examples/llama2-7b.yaml", "--gie-api", "v1alpha2"]);
    assert_eq!(code, 0, "{err}");
    let objs = objects(&out);
    let pool = find(&objs, "InferencePool")[0];
    assert_eq!(pool.api_version(), "inference.networking.x-k8s.io/v1alpha2");
    assert_eq!(
        pool.get_path(&["spec", "targetPortNumber"])
            .and_then(Node::as_i64),
        Some(8000)
    );
    assert_eq!(
        pool.get_path(&["spec", "extensionRef", "name"])
            .and_then(Node::as_str),
        Some("llama2-7b-epp-service")
    );
    assert!(
        pool.get_path(&["spec", "selector", "llm-d.ai/model"])
            .is_some()
    );
    let model = find(&objs, "InferenceModel");
    assert_eq!(model.len(), 1);
    assert_eq!(
        model[0]
            .get_path(&["spec", "poolRef", "name"])
            .and_then(Node::as_str),
        Some("llama2-7b-inference-pool")
    );
    // The EPP may read InferenceModels.
    assert!(out.contains("inferencemodels"));
}

#[test]
fn a_users_inference_model_is_dropped_under_v1_with_a_reason() {
    if common::require_shared("upstream/operator/samples/test").is_none() {
        return;
    }
    let samples = "../shared/upstream/operator/samples/test";
    let (code, out, err) = msvc(&[
        "render",
        &format!("{samples}/msvc.yaml"),
        &format!("{samples}/baseconfig.yaml"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(find(&objects(&out), "InferenceModel").is_empty());
    assert!(err.contains("inferenceModel: not rendered"), "{err}");
    assert!(err.contains("--gie-api v1alpha2"), "{err}");
}

#[test]
fn ownership_and_applyset_labels_are_on_metadata_only() {
    let (code, out, err) = msvc(&[
        "render",
        "examples/opt-125m-nixl-pd.yaml",
        "--applyset",
        "models",
        "-n",
        "llm-d",
    ]);
    assert_eq!(code, 0, "{err}");
    let objs = objects(&out);
    let part_of = objs[0]
        .get_path(&["metadata", "labels", "applyset.kubernetes.io/part-of"])
        .and_then(Node::as_str)
        .expect("part-of label")
        .to_string();
    assert!(part_of.starts_with("applyset-") && part_of.ends_with("-v1") && part_of.len() <= 63);
    for o in &objs {
        let labels = o.get_path(&["metadata", "labels"]).unwrap();
        assert_eq!(
            labels.get("llm-d.ai/model-service").and_then(Node::as_str),
            Some("opt-125m-nixl"),
            "{}",
            o.name()
        );
        assert_eq!(
            labels
                .get("applyset.kubernetes.io/part-of")
                .and_then(Node::as_str),
            Some(part_of.as_str())
        );
        for sel in [
            o.get_path(&["spec", "selector", "matchLabels"]),
            o.get_path(&["spec", "template", "metadata", "labels"]),
        ]
        .into_iter()
        .flatten()
        {
            for key in [
                "llm-d.ai/model-service",
                "applyset.kubernetes.io/part-of",
                "app.kubernetes.io/managed-by",
            ] {
                assert!(
                    sel.get(key).is_none(),
                    "{key} in a selector of {}",
                    o.name()
                );
            }
        }
    }
    // Same name and namespace, same ID; another namespace, another ID.
    let (_, again, _) = msvc(&[
        "render",
        "examples/opt-125m-nixl-pd.yaml",
        "--applyset",
        "models",
        "-n",
        "other",
    ]);
    assert!(!again.contains(&part_of));
}

#[test]
fn bad_applyset_kind_is_a_usage_error() {
    let (code, out, err) = msvc(&[
        "render",
        "examples/llama2-7b.yaml",
        "--applyset",
        "deployments/x",
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("--applyset kind `deployments`"), "{err}");
}

#[test]
fn autoscaling_emits_an_hpa_and_a_pdb_and_no_replicas() {
    let (code, out, err) = msvc(&["render", "examples/granite-autoscaled.yaml"]);
    assert_eq!(code, 0, "{err}");
    let objs = objects(&out);
    let decode = objs
        .iter()
        .find(|o| o.name() == "granite-3-8b-decode" && o.kind() == "Deployment")
        .unwrap();
    assert!(decode.get_path(&["spec", "replicas"]).is_none());
    let hpa = find(&objs, "HorizontalPodAutoscaler");
    assert_eq!(hpa.len(), 1);
    let spec = hpa[0].get("spec").unwrap();
    assert_eq!(
        spec.get_path(&["scaleTargetRef", "name"])
            .and_then(Node::as_str),
        Some("granite-3-8b-decode")
    );
    assert_eq!(spec.get("minReplicas").and_then(Node::as_i64), Some(2));
    assert_eq!(spec.get("maxReplicas").and_then(Node::as_i64), Some(10));
    assert_eq!(
        spec.get_path(&["behavior", "scaleDown", "stabilizationWindowSeconds"])
            .and_then(Node::as_i64),
        Some(300)
    );
    let pdb = find(&objs, "PodDisruptionBudget");
    assert_eq!(pdb.len(), 1);
    assert_eq!(pdb[0].name(), "granite-3-8b-decode");
    assert_eq!(
        pdb[0]
            .get_path(&["spec", "selector", "matchLabels", "llm-d.ai/role"])
            .and_then(Node::as_str),
        Some("decode")
    );
    // HPA and PDB come after the Deployments, before the InferencePool.
    let pos = |k: &str| objs.iter().position(|o| o.kind() == k).unwrap();
    assert!(pos("Deployment") < pos("HorizontalPodAutoscaler"));
    assert!(pos("PodDisruptionBudget") < pos("InferencePool"));
}

#[test]
fn autoscaling_without_metrics_points_at_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/granite-autoscaled.yaml"
    ))
    .unwrap();
    let start = text.find("      metrics:").unwrap();
    let end = text.find("      behavior:").unwrap();
    let broken = format!("{}{}", &text[..start], &text[end..]);
    let path = dir.path().join("m.yaml");
    std::fs::write(&path, broken).unwrap();
    let (code, out, err) = msvc(&["render", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("m.yaml:"), "{err}");
    assert!(err.contains("missing required field `metrics`"), "{err}");
    assert!(err.contains("spec.decode.autoscaling.metrics"), "{err}");
}

#[test]
fn command_line_names_are_checked_and_trimmed() {
    let (code, out, err) = msvc(&["render", "examples/llama2-7b.yaml", "-n", "Bad_NS"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("--namespace: `Bad_NS` is not a valid namespace"),
        "{err}"
    );
    let (code, _, err) = msvc(&[
        "render",
        "examples/llama2-7b.yaml",
        "--epp-pull-secrets",
        "ok,Not Ok",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pull secret"), "{err}");
    let (code, out, err) = msvc(&[
        "render",
        "examples/llama2-7b.yaml",
        "--pd-pull-secrets",
        "a, b,",
    ]);
    assert_eq!(code, 0, "{err}");
    let sa = objects(&out)
        .into_iter()
        .find(|o| o.name() == "llama2-7b-sa")
        .unwrap();
    let names: Vec<&str> = sa
        .get("imagePullSecrets")
        .unwrap()
        .as_seq()
        .unwrap()
        .iter()
        .filter_map(|s| s.get("name").and_then(Node::as_str))
        .collect();
    assert_eq!(names, ["a", "b"]);
}

fn msvc_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_msvc"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run msvc");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn symlinked_directories_are_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir_all(&real).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/llama2-7b.yaml"),
        real.join("m.yaml"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("models")).unwrap();
    std::os::unix::fs::symlink("../real", dir.path().join("models/linked")).unwrap();
    // A loop back up must end.
    std::os::unix::fs::symlink("..", real.join("up")).unwrap();
    let (code, out, err) = msvc_in(dir.path(), &["render", "models"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        find(&objects(&out), "Deployment").len(),
        2,
        "decode and EPP, once"
    );
}

#[test]
fn output_dir_can_be_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/llama2-7b.yaml");
    let (code, _, err) = msvc_in(&out, &["render", example, "-o", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(out.join(".msvc-output").is_file());
    assert!(
        out.join("llama2-7b/deployment-llama2-7b-decode.yaml")
            .is_file()
    );
    let (code, stdout, err) = msvc_in(&out, &["render", example, "--check", "-o", "."]);
    assert_eq!(code, 0, "{err}{stdout}");
}

#[test]
fn a_gpu_limit_alone_sets_the_request_too() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/llama2-7b.yaml"
    ))
    .unwrap();
    let text = text.replace(
        "        mountModelVolume: true\n",
        "        mountModelVolume: true\n        resources:\n          limits:\n            nvidia.com/gpu: \"2\"\n",
    );
    std::fs::write(dir.path().join("m.yaml"), text).unwrap();
    let (code, out, err) = msvc_in(dir.path(), &["render", "m.yaml"]);
    assert_eq!(code, 0, "{err}");
    let objs = objects(&out);
    let dep = objs
        .iter()
        .find(|o| o.name() == "llama2-7b-decode")
        .unwrap();
    let c = &dep
        .get_path(&["spec", "template", "spec", "containers"])
        .unwrap()
        .as_seq()
        .unwrap()[0];
    for kind in ["limits", "requests"] {
        assert_eq!(
            c.get_path(&["resources", kind, "nvidia.com/gpu"])
                .and_then(Node::scalar_text)
                .as_deref(),
            Some("2"),
            "{kind}"
        );
    }
}

#[test]
fn names_kubernetes_would_refuse_are_errors_at_render() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/llama2-7b.yaml"
    ))
    .unwrap();
    for (what, from, to, want) in [
        (
            "a Service name starting with a digit",
            "name: llama2-7b\n",
            "name: 8b-model\n",
            "a Service name starts with a letter",
        ),
        (
            "a bad container name",
            "- name: vllm",
            "- name: Side Car",
            "not a valid container name",
        ),
        (
            "a bad secret name",
            "authSecretName: hf-token",
            "authSecretName: Bad Secret",
            "not a valid object name",
        ),
        (
            "a quote in the model name",
            "modelName: meta-llama/Llama-2-7b-hf",
            "modelName: 'a\"b'",
            "holds the character",
        ),
    ] {
        std::fs::write(dir.path().join("m.yaml"), base.replacen(from, to, 1)).unwrap();
        let (code, out, err) = msvc_in(dir.path(), &["render", "m.yaml"]);
        assert_eq!(code, 2, "{what}: {err}");
        assert!(out.is_empty(), "{what}");
        assert!(err.contains(want), "{what}: {err}");
        assert!(err.starts_with("error: m.yaml:"), "{what}: {err}");
    }
}

#[test]
fn one_object_from_two_model_services_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/llama2-7b.yaml"
    ))
    .unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        base.replace("name: llama2-7b\n", "name: x\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        base.replace("name: llama2-7b\n", "name: x-epp\n").replace(
            "modelName: meta-llama/Llama-2-7b-hf",
            "modelName: other/model",
        ),
    )
    .unwrap();
    let (code, out, err) = msvc_in(dir.path(), &["render", "a.yaml", "b.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("both render ServiceAccount `x-epp-sa`"),
        "{err}"
    );
}

#[test]
fn model_names_that_share_a_label_are_a_warning_and_an_error_with_strict() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/llama2-7b.yaml"
    ))
    .unwrap();
    std::fs::write(dir.path().join("a.yaml"), &base).unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        base.replace("name: llama2-7b\n", "name: other\n").replace(
            "modelName: meta-llama/Llama-2-7b-hf",
            "modelName: Meta-Llama/llama-2-7b-hf",
        ),
    )
    .unwrap();
    let label = "share the pod label `llm-d.ai/model: meta-llama-llama-2-7b-hf`";
    let (code, out, err) = msvc_in(dir.path(), &["render", "a.yaml", "b.yaml"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("name: other-decode"), "{out}");
    assert!(
        err.starts_with("warning: b.yaml:") && err.contains(label),
        "{err}"
    );
    let (code, out, err) = msvc_in(dir.path(), &["render", "--strict", "a.yaml", "b.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.starts_with("error: b.yaml:") && err.contains(label),
        "{err}"
    );
}

#[test]
fn an_apps_config_map_beside_the_models_is_skipped_unless_named() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/llama2-7b.yaml"
    ))
    .unwrap();
    std::fs::write(dir.path().join("model.yaml"), &example).unwrap();
    std::fs::write(
        dir.path().join("app-config.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  LOG_LEVEL: debug\n",
    )
    .unwrap();
    let (code, out, err) = msvc_in(dir.path(), &["render", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.is_empty());
    assert!(err.contains("warning: ./app-config.yaml:"), "{err}");
    assert!(err.contains("skipping ConfigMap `app-config`"), "{err}");

    // Named by a ModelService, it is an error that says why.
    std::fs::write(
        dir.path().join("model.yaml"),
        example.replace(
            "spec:\n",
            "spec:\n  baseConfigMapRef:\n    name: app-config\n",
        ),
    )
    .unwrap();
    let (code, out, err) = msvc_in(dir.path(), &["render", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("unknown BaseConfig data key `LOG_LEVEL`"),
        "{err}"
    );
}
