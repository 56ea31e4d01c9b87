//! The preset library and the examples that use it, through the real binary.
//!
//! Every built-in preset (as `msvc presets list` names them, so a new
//! preset without a case fails `every_preset_has_a_case`) is rendered with a
//! matching example, and every `msvc render` command written in an example's
//! header is a case here, so the documented commands are the tested ones.
//! Each case's output is compared byte for byte with
//! `tests/golden_presets/<case>/expected.yaml`, and, so that a snapshot
//! rewritten into something wrong still fails, checked for what makes the
//! stack what it is: the accelerator resource and its count, the image, the
//! args and the env.
//!
//! `MSVC_UPDATE_GOLDEN=1 cargo test --test presets` rewrites the expected
//! files; read the diff before committing it.
//!
//! The layering tests at the end state the rules the presets rely on:
//! hardware under the topology, size over it, patch-only layers creating
//! nothing, nvidia as the hardware default.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use msvc::objects::ObjectExt;
use msvc::yaml::Node;

// ---------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------

/// The P/D test input (not an example: alone it would render on vllm-hf).
const PD_INPUT: &str = "tests/golden_presets/inputs/pd-llama-3.1-8b.yaml";

struct Case {
    /// The folder under `tests/golden_presets/`.
    name: &'static str,
    /// `msvc` arguments, relative to the crate root.
    args: &'static [&'static str],
    /// The presets this case renders (named with --preset, by
    /// baseConfigMapRef, or laid in as the default / hardware default).
    covers: &'static [&'static str],
    check: fn(&Out),
}

const CASES: &[Case] = &[
    Case {
        name: "vllm-hf",
        args: &["render", "examples/llama2-7b.yaml"],
        covers: &["vllm-hf", "nvidia"],
        check: check_vllm_hf,
    },
    Case {
        name: "vllm-pd-nixl",
        args: &["render", "examples/opt-125m-nixl-pd.yaml"],
        covers: &["vllm-pd-nixl", "nvidia"],
        check: check_vllm_pd_nixl,
    },
    Case {
        name: "vllm-pvc",
        args: &["render", "examples/qwen3-vl-235b-a22b-vllm.yaml"],
        covers: &["vllm-pvc", "nvidia"],
        check: check_vllm_pvc,
    },
    Case {
        name: "vllm-oci-medium",
        args: &[
            "render",
            "examples/tenant-medium-qwen3-32b.yaml",
            "--preset",
            "vllm-oci",
            "--preset",
            "medium",
        ],
        covers: &["vllm-oci", "medium", "nvidia"],
        check: check_vllm_oci_medium,
    },
    Case {
        name: "sglang",
        args: &["render", "examples/deepseek-v3.1-sglang.yaml"],
        covers: &["sglang"],
        check: check_sglang,
    },
    Case {
        name: "small",
        args: &[
            "render",
            "examples/tenant-small-qwen3-8b.yaml",
            "--preset",
            "vllm-hf",
            "--preset",
            "small",
        ],
        covers: &["small", "vllm-hf", "nvidia"],
        check: check_small,
    },
    Case {
        name: "large",
        args: &[
            "render",
            "examples/tenant-large-llama-3.3-70b.yaml",
            "--preset",
            "vllm-pvc",
            "--preset",
            "large",
        ],
        covers: &["large", "vllm-pvc", "nvidia"],
        check: check_large,
    },
    Case {
        name: "decoupled",
        args: &["render", "examples/qwen3-14b-decoupled-keda.yaml"],
        covers: &["vllm-hf", "nvidia"],
        check: check_decoupled,
    },
    Case {
        name: "amd-rocm",
        args: &[
            "render",
            "examples/tenant-large-llama-3.3-70b.yaml",
            "--preset",
            "amd-rocm",
            "--preset",
            "vllm-pvc",
            "--preset",
            "large",
        ],
        covers: &["amd-rocm", "vllm-pvc", "large"],
        check: check_amd_rocm,
    },
    Case {
        name: "google-tpu",
        args: &[
            "render",
            "examples/tenant-large-llama-3.3-70b.yaml",
            "--preset",
            "google-tpu",
            "--preset",
            "vllm-pvc",
            "--preset",
            "large",
        ],
        covers: &["google-tpu", "vllm-pvc", "large"],
        check: check_google_tpu,
    },
    Case {
        name: "intel-xpu",
        args: &[
            "render",
            "examples/tenant-small-qwen3-8b.yaml",
            "--preset",
            "intel-xpu",
            "--preset",
            "vllm-hf",
            "--preset",
            "small",
        ],
        covers: &["intel-xpu", "vllm-hf", "small"],
        check: check_intel_xpu,
    },
    Case {
        name: "intel-xpu-xe",
        args: &[
            "render",
            "examples/tenant-small-qwen3-8b.yaml",
            "--preset",
            "intel-xpu-xe",
            "--preset",
            "vllm-hf",
        ],
        covers: &["intel-xpu-xe", "vllm-hf"],
        check: check_intel_xpu_xe,
    },
    Case {
        name: "intel-gaudi-pd",
        args: &[
            "render",
            PD_INPUT,
            "--preset",
            "intel-gaudi",
            "--preset",
            "vllm-pd-nixl",
        ],
        covers: &["intel-gaudi", "vllm-pd-nixl"],
        check: check_intel_gaudi_pd,
    },
    Case {
        name: "intel-gaudi-pd-medium",
        args: &[
            "render",
            PD_INPUT,
            "--preset",
            "intel-gaudi",
            "--preset",
            "vllm-pd-nixl",
            "--preset",
            "medium",
        ],
        covers: &["intel-gaudi", "vllm-pd-nixl", "medium"],
        check: check_intel_gaudi_pd_medium,
    },
    Case {
        name: "aws-efa-pd",
        args: &[
            "render",
            PD_INPUT,
            "--preset",
            "aws-efa",
            "--preset",
            "vllm-pd-nixl",
        ],
        covers: &["aws-efa", "vllm-pd-nixl"],
        check: check_aws_efa_pd,
    },
    Case {
        name: "cpu",
        args: &[
            "render",
            "examples/tenant-small-qwen3-8b.yaml",
            "--preset",
            "vllm-hf",
            "--preset",
            "cpu",
        ],
        covers: &["cpu", "vllm-hf"],
        check: check_cpu,
    },
    Case {
        name: "guide-inference-scheduling",
        args: &[
            "render",
            "examples/guide-inference-scheduling.yaml",
            "--preset",
            "vllm-hf",
            "--preset",
            "monitoring",
            "--preset",
            "graceful-shutdown",
        ],
        covers: &["vllm-hf", "nvidia", "monitoring", "graceful-shutdown"],
        check: check_guide_inference_scheduling,
    },
    Case {
        name: "guide-pd-disaggregation",
        args: &["render", "examples/guide-pd-disaggregation.yaml"],
        covers: &["vllm-pd-nixl", "nvidia"],
        check: check_guide_pd_disaggregation,
    },
    Case {
        name: "guide-precise-prefix-cache-aware",
        args: &[
            "render",
            "examples/guide-precise-prefix-cache-aware.yaml",
            "--preset",
            "vllm-hf",
            "--preset",
            "precise-prefix-cache",
        ],
        covers: &["vllm-hf", "nvidia", "precise-prefix-cache"],
        check: check_guide_precise_prefix_cache,
    },
    Case {
        name: "guide-precise-prefix-cache-aware-tracing",
        args: &[
            "render",
            "examples/guide-precise-prefix-cache-aware.yaml",
            "--preset",
            "vllm-hf",
            "--preset",
            "precise-prefix-cache",
            "--preset",
            "tracing",
        ],
        covers: &["vllm-hf", "nvidia", "precise-prefix-cache", "tracing"],
        check: check_guide_precise_prefix_cache_tracing,
    },
    Case {
        name: "own-scheduling-config",
        args: &[
            "render",
            "examples/own-scheduling-config.yaml",
            "--preset",
            "vllm-hf",
            "--preset",
            "monitoring",
        ],
        covers: &["vllm-hf", "nvidia", "monitoring"],
        check: check_own_scheduling_config,
    },
    // The v0.3 presets render what v0.3 rendered: the snapshot is the one
    // the case without `@v0.3` had then.
    Case {
        name: "v0.3-vllm-hf",
        args: &[
            "render",
            "examples/llama2-7b.yaml",
            "--preset",
            "vllm-hf@v0.3",
        ],
        covers: &["vllm-hf@v0.3", "nvidia@v0.3"],
        check: check_v0_3,
    },
    // The v0.3 presets render what v0.3 rendered: the snapshot is the one
    // the case without `@v0.3` had then.
    Case {
        name: "v0.3-vllm-oci-medium",
        args: &[
            "render",
            "examples/tenant-medium-qwen3-32b.yaml",
            "--preset",
            "vllm-oci@v0.3",
            "--preset",
            "medium",
        ],
        covers: &["vllm-oci@v0.3", "nvidia@v0.3"],
        check: check_v0_3,
    },
    // The v0.3 presets render what v0.3 rendered: the snapshot is the one
    // the case without `@v0.3` had then.
    Case {
        name: "v0.3-large",
        args: &[
            "render",
            "examples/tenant-large-llama-3.3-70b.yaml",
            "--preset",
            "vllm-pvc@v0.3",
            "--preset",
            "large",
        ],
        covers: &["vllm-pvc@v0.3", "nvidia@v0.3"],
        check: check_v0_3,
    },
    // The v0.3 presets render what v0.3 rendered: the snapshot is the one
    // the case without `@v0.3` had then.
    Case {
        name: "v0.3-sglang",
        args: &[
            "render",
            "tests/golden_presets/inputs/deepseek-v3.1-sglang-v0.3.yaml",
        ],
        covers: &["sglang@v0.3"],
        check: check_v0_3,
    },
    // The v0.3 presets render what v0.3 rendered: the snapshot is the one
    // the case without `@v0.3` had then.
    Case {
        name: "v0.3-amd-rocm",
        args: &[
            "render",
            "examples/tenant-large-llama-3.3-70b.yaml",
            "--preset",
            "amd-rocm@v0.3",
            "--preset",
            "vllm-pvc@v0.3",
            "--preset",
            "large",
        ],
        covers: &["amd-rocm@v0.3", "vllm-pvc@v0.3"],
        check: check_v0_3,
    },
    // The v0.3 presets render what v0.3 rendered: the snapshot is the one
    // the case without `@v0.3` had then.
    Case {
        name: "v0.3-intel-xpu",
        args: &[
            "render",
            "examples/tenant-small-qwen3-8b.yaml",
            "--preset",
            "intel-xpu@v0.3",
            "--preset",
            "vllm-hf@v0.3",
            "--preset",
            "small",
        ],
        covers: &["intel-xpu@v0.3", "vllm-hf@v0.3"],
        check: check_v0_3,
    },
    // The v0.3 presets render what v0.3 rendered: the snapshot is the one
    // the case without `@v0.3` had then.
    Case {
        name: "v0.3-intel-xpu-xe",
        args: &[
            "render",
            "examples/tenant-small-qwen3-8b.yaml",
            "--preset",
            "intel-xpu-xe@v0.3",
            "--preset",
            "vllm-hf@v0.3",
        ],
        covers: &["intel-xpu-xe@v0.3", "vllm-hf@v0.3"],
        check: check_v0_3,
    },
    // The v0.3 presets render what v0.3 rendered: the snapshot is the one
    // the case without `@v0.3` had then.
    Case {
        name: "v0.3-intel-gaudi-pd",
        args: &[
            "render",
            PD_INPUT,
            "--preset",
            "intel-gaudi@v0.3",
            "--preset",
            "vllm-pd-nixl@v0.3",
        ],
        covers: &["intel-gaudi@v0.3", "vllm-pd-nixl@v0.3"],
        check: check_v0_3,
    },
    // The v0.3 presets render what v0.3 rendered: the snapshot is the one
    // the case without `@v0.3` had then.
    Case {
        name: "v0.3-aws-efa-pd",
        args: &[
            "render",
            PD_INPUT,
            "--preset",
            "aws-efa@v0.3",
            "--preset",
            "vllm-pd-nixl@v0.3",
        ],
        covers: &["aws-efa@v0.3", "vllm-pd-nixl@v0.3"],
        check: check_v0_3,
    },
    // The v0.3 presets render what v0.3 rendered: the snapshot is the one
    // the case without `@v0.3` had then.
    Case {
        name: "v0.3-cpu",
        args: &[
            "render",
            "examples/tenant-small-qwen3-8b.yaml",
            "--preset",
            "vllm-hf@v0.3",
            "--preset",
            "cpu@v0.3",
        ],
        covers: &["cpu@v0.3", "vllm-hf@v0.3"],
        check: check_v0_3,
    },
];

// ---------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------

/// One render: the parsed objects and the raw streams.
struct Out {
    stdout: String,
    stderr: String,
    objs: Vec<Node>,
}

fn golden_dir() -> PathBuf {
    crate_root().join("tests").join("golden_presets")
}

fn updating() -> bool {
    std::env::var_os("MSVC_UPDATE_GOLDEN").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Runs `msvc` from the crate root: (exit code, stdout, stderr).
fn msvc(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_msvc"))
        .args(args)
        .current_dir(crate_root())
        .env_remove("MSVC_UPDATE_GOLDEN")
        .output()
        .expect("running msvc");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// A render that must succeed.
fn render(args: &[&str]) -> Out {
    let (code, stdout, stderr) = msvc(args);
    assert_eq!(code, Some(0), "msvc {}:\n{stderr}", args.join(" "));
    let objs = parse(&stdout);
    Out {
        stdout,
        stderr,
        objs,
    }
}

/// The names `msvc presets list` prints, one per line, first word.
fn preset_names() -> Vec<String> {
    let (code, stdout, stderr) = msvc(&["presets", "list"]);
    assert_eq!(code, Some(0), "{stderr}");
    stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

fn compare_or_update(path: &Path, have: &str) {
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, have).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        return;
    }
    let want = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (a new case? `MSVC_UPDATE_GOLDEN=1 cargo test --test presets` writes it; review it)",
            path.display()
        )
    });
    if want != have {
        let diff = similar::TextDiff::from_lines(&want, have)
            .unified_diff()
            .context_radius(3)
            .header("expected", "actual")
            .to_string();
        panic!(
            "{} differs from the output (review, then `MSVC_UPDATE_GOLDEN=1 cargo test --test presets` rewrites it):\n{diff}",
            path.display()
        );
    }
}

// ---------------------------------------------------------------------------
// Reading the output
// ---------------------------------------------------------------------------

fn deployment<'a>(o: &'a Out, name: &str) -> &'a Node {
    find(&o.objs, "Deployment", name)
}

/// `resources.<kind>.<resource>` of a container as text (resource names
/// hold dots, so no dotted path).
fn resource(c: &Node, kind: &str, name: &str) -> Option<String> {
    c.get_path(&["resources", kind, name])
        .and_then(Node::scalar_text)
}

/// Asserts limits and requests both hold `name: want` (`None`: neither
/// holds it).
fn assert_resource(c: &Node, name: &str, want: Option<&str>) {
    for kind in ["limits", "requests"] {
        assert_eq!(
            resource(c, kind, name).as_deref(),
            want,
            "resources.{kind}.{name} of\n{}",
            show(c)
        );
    }
}

fn image(c: &Node) -> String {
    text(c, "image")
}

/// The value after `flag` in a container's args.
fn arg_value(c: &Node, flag: &str) -> Option<String> {
    let args = strings(c, "args");
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1).cloned())
}

fn has_arg(c: &Node, flag: &str) -> bool {
    strings(c, "args").iter().any(|a| a == flag)
}

/// Every (container, resource name) in every Deployment of the output.
fn resource_names(o: &Out) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for dep in all(&o.objs, "Deployment") {
        for c in all_containers(dep) {
            for kind in ["limits", "requests"] {
                if let Some(m) = c.get_path(&["resources", kind]).and_then(Node::as_map) {
                    out.extend(m.keys().cloned());
                }
            }
        }
    }
    out
}

/// The model-server Deployments (decode, prefill) of a ModelService.
fn model_servers<'a>(o: &'a Out, ms: &str) -> Vec<&'a Node> {
    ["decode", "prefill"]
        .iter()
        .filter_map(|r| try_find(&o.objs, "Deployment", &format!("{ms}-{r}")))
        .collect()
}

// ---------------------------------------------------------------------------
// The cases' properties
// ---------------------------------------------------------------------------

const CUDA: &str = "ghcr.io/llm-d/llm-d-cuda:v0.6.0";

/// What holds for every case: every container of every Deployment has a
/// pinned image (a patch layer never leaves an image-less container
/// behind), and nothing is emitted twice.
fn check_common(case: &str, o: &Out) {
    for dep in all(&o.objs, "Deployment") {
        for c in all_containers(dep) {
            let what = format!("{case}: {} container {}", dep.name(), text(c, "name"));
            let img = at(c, "image")
                .and_then(Node::as_str)
                .unwrap_or_else(|| panic!("{what} has no image:\n{}", show(c)));
            let tag = img.rsplit_once(':').map(|(_, t)| t).unwrap_or("");
            assert!(
                !tag.is_empty() && !tag.contains('/') && tag != "latest",
                "{what}: image `{img}` is not pinned to a tag"
            );
        }
    }
    let names = kinds_and_names(&o.objs);
    let unique: BTreeSet<_> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "{case}: an object twice");
}

fn check_vllm_hf(o: &Out) {
    let dep = deployment(o, "llama2-7b-decode");
    assert_eq!(container_names(dep), ["vllm"]);
    let c = container(dep, "vllm");
    assert_eq!(image(c), CUDA, "the nvidia layer under vllm-hf");
    assert_resource(c, "nvidia.com/gpu", Some("1"));
    assert_eq!(
        strings(c, "args"),
        ["meta-llama/Llama-2-7b-hf", "--port", "8000"],
        "parallelism.tensor 1: no --tensor-parallel-size"
    );
    assert_eq!(env_value(c, "HF_HOME").as_deref(), Some("/model-cache"));
    assert!(try_find(&o.objs, "Deployment", "llama2-7b-prefill").is_none());
}

fn check_vllm_pd_nixl(o: &Out) {
    for role in ["decode", "prefill"] {
        let dep = deployment(o, &format!("opt-125m-nixl-{role}"));
        let c = container(dep, "vllm");
        assert_eq!(image(c), CUDA, "{role}");
        assert_resource(c, "nvidia.com/gpu", Some("1"));
        assert!(has_arg(c, "--kv-transfer-config"), "{role}");
    }
    let decode = deployment(o, "opt-125m-nixl-decode");
    assert_eq!(
        arg_value(container(decode, "vllm"), "--port").as_deref(),
        Some("8200")
    );
    let proxy = container(decode, "routing-proxy");
    assert!(strings(proxy, "args").contains(&"--connector=nixlv2".to_string()));
    // The EPP reads the P/D profile from the ConfigMap msvc writes.
    let epp = container(deployment(o, "opt-125m-nixl-epp"), "epp");
    assert_eq!(
        arg_value(epp, "--config-file").as_deref(),
        Some("/config/pd-config.yaml")
    );
    let cm = find(&o.objs, "ConfigMap", "opt-125m-nixl-epp");
    let pd = at(cm, "data")
        .and_then(|d| d.get("pd-config.yaml"))
        .and_then(Node::as_str)
        .expect("pd-config.yaml");
    assert!(pd.contains("- type: pd-profile-handler"), "{pd}");
}

fn check_vllm_pvc(o: &Out) {
    let dep = deployment(o, "qwen3-vl-235b-decode");
    assert_eq!(text(dep, "spec.replicas"), "2");
    let c = container(dep, "vllm");
    assert_eq!(image(c), CUDA);
    assert_eq!(
        strings(c, "command"),
        [
            "vllm",
            "serve",
            "/model-cache/Qwen/Qwen3-VL-235B-A22B-Instruct"
        ],
        "the model path from MountedModelPath, right after `vllm serve`"
    );
    assert_eq!(
        strings(c, "args"),
        [
            "--max-model-len",
            "262144",
            "--enable-chunked-prefill",
            "--gpu-memory-utilization",
            "0.85",
            "--kv-cache-dtype",
            "fp8",
            "--enable-prefix-caching",
            "--served-model-name",
            "Qwen/Qwen3-VL-235B-A22B-Instruct",
            "--port",
            "8000",
            "--tensor-parallel-size",
            "4",
        ]
    );
    assert_resource(c, "nvidia.com/gpu", Some("4"));
    assert_eq!(resource(c, "limits", "memory").as_deref(), Some("1Ti"));
    assert_eq!(resource(c, "requests", "memory").as_deref(), Some("512Gi"));
    assert_eq!(env_value(c, "HF_HUB_OFFLINE").as_deref(), Some("1"));
    let mount = mount_at(c, "/model-cache").expect("model mount");
    assert_eq!(text(mount, "readOnly"), "true");
    assert!(mount_at(c, "/dev/shm").is_some());
    let vol = volume(dep, "model-storage").expect("model volume");
    assert_eq!(text(vol, "persistentVolumeClaim.claimName"), "llm-model");
    assert_eq!(
        node_affinity(dep),
        [(
            "nvidia.com/gpu.product".to_string(),
            "In".to_string(),
            vec!["NVIDIA-B200".to_string()]
        )]
    );
}

fn check_vllm_oci_medium(o: &Out) {
    let dep = deployment(o, "qwen3-32b-decode");
    assert_eq!(dep.namespace(), Some("tenant-b"));
    let c = container(dep, "vllm");
    assert_eq!(image(c), CUDA);
    assert_eq!(strings(c, "command"), ["vllm", "serve", "/model-cache"]);
    assert_eq!(arg_value(c, "--tensor-parallel-size").as_deref(), Some("2"));
    assert_eq!(
        arg_value(c, "--served-model-name").as_deref(),
        Some("Qwen/Qwen3-32B")
    );
    let vol = volume(dep, "model-storage").expect("model volume");
    assert_eq!(
        text(vol, "image.reference"),
        "registry.example.com/models/qwen3-32b:v1"
    );
    // medium: 2 GPUs, 16 CPUs, 32Gi, limits equal to requests.
    assert_resource(c, "nvidia.com/gpu", Some("2"));
    assert_resource(c, "cpu", Some("16"));
    assert_resource(c, "memory", Some("32Gi"));
}

fn check_sglang(o: &Out) {
    let dep = deployment(o, "deepseek-v3-1-decode");
    assert_eq!(
        container_names(dep),
        ["sglang"],
        "one model-server container, no nvidia `vllm` patch beside it"
    );
    let c = container(dep, "sglang");
    assert_eq!(image(c), "lmsysorg/sglang:v0.5.2-cu126");
    assert_eq!(
        strings(c, "command"),
        ["python3", "-m", "sglang.launch_server"]
    );
    for (flag, want) in [
        ("--model-path", "/model-cache/deepseek-ai/DeepSeek-V3.1"),
        ("--served-model-name", "deepseek-ai/DeepSeek-V3.1"),
        ("--port", "8000"),
        ("--tp", "8"),
        ("--quantization", "fp8"),
        ("--context-length", "131072"),
        ("--mem-fraction-static", "0.82"),
        ("--chunked-prefill-size", "4096"),
    ] {
        assert_eq!(arg_value(c, flag).as_deref(), Some(want), "{flag}");
    }
    assert_resource(c, "nvidia.com/gpu", Some("8"));
    assert_eq!(resource(c, "limits", "memory").as_deref(), Some("2Ti"));
    let vol = volume(dep, "model-storage").expect("model volume");
    assert_eq!(text(vol, "persistentVolumeClaim.claimName"), "llm-model");
    assert!(mount_at(c, "/model-cache").is_some());
    assert!(
        !o.stdout.contains("llm-d-cuda"),
        "no vLLM image in an SGLang stack"
    );
    let epp = container(deployment(o, "deepseek-v3-1-epp"), "epp");
    for arg in [
        "--total-queued-requests-metric=sglang:num_queue_reqs",
        "--kv-cache-usage-percentage-metric=sglang:token_usage",
    ] {
        assert!(has_arg(epp, arg), "{arg}");
    }
}

fn check_small(o: &Out) {
    let dep = deployment(o, "qwen3-8b-decode");
    assert_eq!(dep.namespace(), Some("tenant-a"));
    let c = container(dep, "vllm");
    assert_eq!(image(c), CUDA);
    assert_resource(c, "nvidia.com/gpu", Some("1"));
    assert_resource(c, "cpu", Some("8"));
    assert_resource(c, "memory", Some("16Gi"));
    assert_eq!(
        strings(c, "args"),
        [
            "Qwen/Qwen3-8B",
            "--max-model-len",
            "32768",
            "--port",
            "8000"
        ]
    );
}

fn check_large(o: &Out) {
    let dep = deployment(o, "llama-3-3-70b-decode");
    assert_eq!(dep.namespace(), Some("tenant-c"));
    let c = container(dep, "vllm");
    assert_eq!(image(c), CUDA);
    assert_resource(c, "nvidia.com/gpu", Some("8"));
    assert_resource(c, "cpu", Some("64"));
    assert_resource(c, "memory", Some("256Gi"));
    assert_eq!(arg_value(c, "--tensor-parallel-size").as_deref(), Some("8"));
    assert_eq!(
        strings(c, "command"),
        [
            "vllm",
            "serve",
            "/model-cache/meta-llama/Llama-3.3-70B-Instruct"
        ]
    );
}

fn check_decoupled(o: &Out) {
    let dep = deployment(o, "qwen3-14b-decode");
    assert!(
        at(dep, "spec.replicas").is_none(),
        "decoupleScaling: the autoscaler owns spec.replicas"
    );
    assert!(
        all(&o.objs, "HorizontalPodAutoscaler").is_empty(),
        "no HPA: the autoscaler is not msvc's"
    );
    assert_eq!(text(deployment(o, "qwen3-14b-epp"), "spec.replicas"), "1");
    let c = container(dep, "vllm");
    assert_eq!(image(c), CUDA);
    assert_resource(c, "nvidia.com/gpu", Some("1"));
    assert_eq!(
        strings(c, "args").first().map(String::as_str),
        Some("Qwen/Qwen3-14B")
    );
}

fn check_amd_rocm(o: &Out) {
    let c = container(deployment(o, "llama-3-3-70b-decode"), "vllm");
    assert_eq!(image(c), "ghcr.io/llm-d/llm-d-rocm:v0.6.0");
    assert_resource(c, "amd.com/gpu", Some("8"));
    assert_resource(c, "cpu", Some("64"));
    assert!(!resource_names(o).contains("nvidia.com/gpu"));
    assert!(!o.stdout.contains("llm-d-cuda"));
}

fn check_google_tpu(o: &Out) {
    let dep = deployment(o, "llama-3-3-70b-decode");
    let c = container(dep, "vllm");
    assert_eq!(image(c), "vllm/vllm-tpu:v0.13.2-ironwood");
    // TP 8 on the 4 chips of one Ironwood host: the count is the slice's,
    // neither parallelism.tensor's nor the size's.
    assert_eq!(arg_value(c, "--tensor-parallel-size").as_deref(), Some("8"));
    assert_resource(c, "google.com/tpu", Some("4"));
    assert_resource(c, "cpu", Some("64"));
    assert_resource(c, "memory", Some("256Gi"));
    let selector = pod_spec(dep).get("nodeSelector").expect("nodeSelector");
    assert_eq!(
        string_map(Some(selector)),
        label_map(&[
            ("cloud.google.com/gke-tpu-accelerator", "tpu7x"),
            ("cloud.google.com/gke-tpu-topology", "2x2x1"),
        ])
    );
    let tolerations = list(pod_spec(dep), "tolerations");
    assert!(
        tolerations
            .iter()
            .any(|t| text(t, "key") == "google.com/tpu" && text(t, "effect") == "NoSchedule"),
        "toleration for the TPU node taint"
    );
    assert!(!resource_names(o).contains("nvidia.com/gpu"));
}

fn check_intel_xpu(o: &Out) {
    let c = container(deployment(o, "qwen3-8b-decode"), "vllm");
    assert_eq!(image(c), "ghcr.io/llm-d/llm-d-xpu:v0.6.0");
    assert_resource(c, "gpu.intel.com/i915", Some("1"));
    assert_resource(c, "cpu", Some("8"));
    for (name, value) in [
        ("VLLM_USE_V1", "1"),
        ("TORCH_LLM_ALLREDUCE", "1"),
        ("VLLM_WORKER_MULTIPROC_METHOD", "spawn"),
    ] {
        assert_eq!(env_value(c, name).as_deref(), Some(value), "{name}");
    }
    let names = resource_names(o);
    assert!(!names.contains("nvidia.com/gpu") && !names.contains("gpu.intel.com/xe"));
}

fn check_intel_xpu_xe(o: &Out) {
    let c = container(deployment(o, "qwen3-8b-decode"), "vllm");
    assert_eq!(image(c), "ghcr.io/llm-d/llm-d-xpu:v0.6.0");
    assert_resource(c, "gpu.intel.com/xe", Some("1"));
    assert_eq!(
        env_value(c, "VLLM_WORKER_MULTIPROC_METHOD").as_deref(),
        Some("spawn")
    );
    let names = resource_names(o);
    assert!(!names.contains("nvidia.com/gpu") && !names.contains("gpu.intel.com/i915"));
}

const PD_MS: &str = "llama-3-1-8b-pd";

/// Hardware under vllm-pd-nixl: the hardware's image and device on both
/// roles, the topology's sidecar, args and ports kept.
fn check_pd_on(o: &Out, image_want: &str, resource_name: &str, counts: [&str; 2]) {
    let deps = model_servers(o, PD_MS);
    assert_eq!(deps.len(), 2, "decode and prefill");
    for (dep, count) in deps.into_iter().zip(counts) {
        let c = container(dep, "vllm");
        assert_eq!(image(c), image_want, "{}", dep.name());
        assert_resource(c, resource_name, Some(count));
        assert!(has_arg(c, "--kv-transfer-config"), "{}", dep.name());
        assert_eq!(
            env_value(c, "VLLM_NIXL_SIDE_CHANNEL_PORT").as_deref(),
            Some("5557")
        );
    }
    let decode = deployment(o, &format!("{PD_MS}-decode"));
    assert_eq!(
        image(container(decode, "routing-proxy")),
        "ghcr.io/llm-d/llm-d-routing-sidecar:v0.7.1"
    );
    assert_eq!(container_names(decode), ["vllm"]);
}

fn check_intel_gaudi_pd(o: &Out) {
    // decode: parallelism 1 -> 1 card; prefill: parallelism 2 -> 2 cards.
    check_pd_on(
        o,
        "ghcr.io/llm-d/llm-d-hpu:v0.6.0",
        "habana.ai/gaudi",
        ["1", "2"],
    );
    for dep in model_servers(o, PD_MS) {
        let c = container(dep, "vllm");
        assert_eq!(
            env_value(c, "PT_HPU_ENABLE_LAZY_COLLECTIVES").as_deref(),
            Some("true")
        );
        assert_eq!(
            env_value(c, "HABANA_LOGS").as_deref(),
            Some("/tmp/habana_logs")
        );
    }
    assert!(!resource_names(o).contains("nvidia.com/gpu"));
    assert!(!o.stdout.contains("llm-d-cuda"));
}

fn check_intel_gaudi_pd_medium(o: &Out) {
    // medium over the stack: 2 cards on both roles, 16 CPUs, 32Gi.
    check_pd_on(
        o,
        "ghcr.io/llm-d/llm-d-hpu:v0.6.0",
        "habana.ai/gaudi",
        ["2", "2"],
    );
    for dep in model_servers(o, PD_MS) {
        let c = container(dep, "vllm");
        assert_resource(c, "cpu", Some("16"));
        assert_resource(c, "memory", Some("32Gi"));
    }
    assert!(!resource_names(o).contains("nvidia.com/gpu"));
}

fn check_aws_efa_pd(o: &Out) {
    check_pd_on(
        o,
        "ghcr.io/llm-d/llm-d-aws:v0.6.0",
        "nvidia.com/gpu",
        ["1", "2"],
    );
    for dep in model_servers(o, PD_MS) {
        let c = container(dep, "vllm");
        assert_resource(c, "vpc.amazonaws.com/efa", Some("1"));
        assert_eq!(env_value(c, "FI_PROVIDER").as_deref(), Some("efa"));
        assert_eq!(env_value(c, "FI_EFA_USE_DEVICE_RDMA").as_deref(), Some("1"));
    }
}

fn check_cpu(o: &Out) {
    let c = container(deployment(o, "qwen3-8b-decode"), "vllm");
    assert_eq!(image(c), "ghcr.io/llm-d/llm-d-inference-sim:v0.8.2");
    assert_eq!(strings(c, "command"), ["/app/llm-d-inference-sim"]);
    assert_eq!(arg_value(c, "--model").as_deref(), Some("Qwen/Qwen3-8B"));
    assert_eq!(arg_value(c, "--port").as_deref(), Some("8000"));
    assert_eq!(resource(c, "requests", "cpu").as_deref(), Some("1"));
    assert_resource(c, "memory", Some("1Gi"));
    let names = resource_names(o);
    assert!(
        names.iter().all(|n| n == "cpu" || n == "memory"),
        "no accelerator on cpu: {names:?}"
    );
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

/// Every case: the snapshot, determinism, the common and the case's checks.
#[test]
fn cases_match_their_snapshots_and_properties() {
    let mut failures = Vec::new();
    for case in CASES {
        let result = std::panic::catch_unwind(|| {
            let o = render(case.args);
            assert!(
                o.stderr.is_empty(),
                "{}: warnings:\n{}",
                case.name,
                o.stderr
            );
            let again = render(case.args);
            assert!(o.stdout == again.stdout, "{}: not deterministic", case.name);
            compare_or_update(
                &golden_dir().join(case.name).join("expected.yaml"),
                &o.stdout,
            );
            check_common(case.name, &o);
            (case.check)(&o);
        });
        if result.is_err() {
            failures.push(case.name);
        }
    }
    assert!(failures.is_empty(), "failing cases: {failures:?}");
}

/// A preset without a case fails here: the list comes from the binary.
#[test]
fn every_preset_has_a_case() {
    let covered: BTreeSet<&str> = CASES
        .iter()
        .flat_map(|c| c.covers.iter().copied())
        .collect();
    let names = preset_names();
    assert!(names.len() >= 16, "presets list: {names:?}");
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !covered.contains(n.as_str()))
        .collect();
    assert!(missing.is_empty(), "presets without a case: {missing:?}");
    for c in covered {
        assert!(
            names.iter().any(|n| n == c),
            "a case covers `{c}`, which `msvc presets list` does not show"
        );
    }
}

/// The case folders and the table agree (no stale snapshot left behind).
#[test]
fn golden_folders_match_the_cases() {
    let mut dirs: Vec<String> = std::fs::read_dir(golden_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "inputs")
        .collect();
    dirs.sort();
    let mut cases: Vec<String> = CASES.iter().map(|c| c.name.to_string()).collect();
    cases.sort();
    if !updating() {
        assert_eq!(dirs, cases);
    }
}

/// Each preset's header says what it is for, which ports it needs and
/// which template variables it uses; the first line is its description.
#[test]
fn preset_headers_document_ports_and_variables() {
    for name in preset_names() {
        let (code, text, _) = msvc(&["presets", "show", &name]);
        assert_eq!(code, Some(0));
        let header: String = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(
            header.lines().next().is_some_and(|l| l.len() > 10),
            "{name}: no description line"
        );
        let lower = header.to_lowercase();
        assert!(lower.contains("port"), "{name}: header names no ports");
        assert!(
            header.contains("Template variables"),
            "{name}: header names no template variables"
        );
    }
}

/// Every `msvc render` command an example's header shows is a case here,
/// so what the documentation says to run is what is rendered and checked.
#[test]
fn example_header_commands_are_cases() {
    let mut seen = 0;
    for entry in std::fs::read_dir(crate_root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        let file = format!("examples/{}", path.file_name().unwrap().to_string_lossy());
        let text = read(&path);
        // Examples with their own BaseConfig, or on the default preset
        // alone, are golden.rs's.
        if !uses_builtin_presets(&text) {
            continue;
        }
        let commands: Vec<Vec<String>> = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .filter_map(|l| {
                l.trim_start_matches('#')
                    .trim()
                    .strip_prefix("msvc render ")
            })
            .map(|c| {
                let c = c.split(" |").next().unwrap();
                std::iter::once("render")
                    .chain(c.split_whitespace())
                    .map(str::to_string)
                    .collect()
            })
            .collect();
        assert!(
            !commands.is_empty(),
            "{file}: no `msvc render` command in its header"
        );
        assert!(
            commands[0].contains(&file),
            "{file}: its first command renders another file"
        );
        for cmd in commands {
            seen += 1;
            assert!(
                CASES.iter().any(|c| c.args == cmd.as_slice()),
                "{file}: `msvc {}` is not a case in tests/presets.rs",
                cmd.join(" ")
            );
        }
    }
    assert!(seen >= 10, "{seen} header commands");
}

/// Every example renders on its own (what `msvc render examples/X.yaml`
/// gives without the stack its header names), without a warning.
#[test]
fn every_example_renders_alone() {
    for entry in std::fs::read_dir(crate_root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        let file = format!("examples/{}", path.file_name().unwrap().to_string_lossy());
        let o = render(&["render", &file]);
        assert!(o.stderr.is_empty(), "{file}:\n{}", o.stderr);
        check_common(&file, &o);
    }
}

/// The EPP's config file (`--config-file /config/<file>`) and its text in
/// the ConfigMap the EPP mounts.
fn epp_config(o: &Out, ms: &str) -> (String, String) {
    let epp = container(deployment(o, &format!("{ms}-epp")), "epp");
    let path = arg_value(epp, "--config-file").expect("--config-file");
    let file = path
        .strip_prefix("/config/")
        .expect("under /config")
        .to_string();
    let cm = find(&o.objs, "ConfigMap", &format!("{ms}-epp"));
    let text = at(cm, "data")
        .and_then(|d| d.get(&file))
        .and_then(Node::as_str)
        .unwrap_or_else(|| panic!("the EPP's ConfigMap has no {file}"))
        .to_string();
    (file, text)
}

fn check_guide_inference_scheduling(o: &Out) {
    let (file, config) = epp_config(o, "qwen3-32b");
    assert_eq!(file, "default-plugins.yaml");
    assert!(config.contains("- type: prefix-cache-scorer"));
    let dep = deployment(o, "qwen3-32b-decode");
    let c = container(dep, "vllm");
    assert_eq!(image(c), CUDA);
    assert_resource(c, "nvidia.com/gpu", Some("2"));
    // graceful-shutdown
    assert_eq!(
        text(dep, "spec.template.spec.terminationGracePeriodSeconds"),
        "75"
    );
    assert_eq!(
        strings(c, "lifecycle.preStop.exec.command"),
        ["/bin/sleep", "15"]
    );
    // monitoring
    let pm = find(&o.objs, "PodMonitor", "qwen3-32b-pod-monitor");
    assert_eq!(
        labels_at(pm, "spec.selector.matchLabels"),
        label_map(&[
            ("llm-d.ai/inferenceServing", "true"),
            ("llm-d.ai/model", "qwen-qwen3-32b"),
        ])
    );
    let sm = find(&o.objs, "ServiceMonitor", "qwen3-32b-epp-monitor");
    assert_eq!(
        labels_at(sm, "spec.selector.matchLabels"),
        label_map(&[("llm-d.ai/epp", "qwen3-32b-epp")])
    );
}

fn check_guide_pd_disaggregation(o: &Out) {
    let (file, config) = epp_config(o, "qwen3-pd");
    assert_eq!(file, "pd-config.yaml");
    for plugin in ["pd-profile-handler", "prefill-filter", "decode-filter"] {
        assert!(config.contains(&format!("- type: {plugin}")), "{plugin}");
    }
    let decode = deployment(o, "qwen3-pd-decode");
    let proxy = container(decode, "routing-proxy");
    assert_eq!(image(proxy), "ghcr.io/llm-d/llm-d-routing-sidecar:v0.7.1");
    assert_eq!(
        text(deployment(o, "qwen3-pd-prefill"), "spec.replicas"),
        "2"
    );
}

fn check_guide_precise_prefix_cache(o: &Out) {
    let (file, text) = epp_config(o, "qwen3-32b-precise");
    assert_eq!(file, "precise-prefix-cache-aware-plugins.yaml");
    assert!(text.contains("modelName: \"Qwen/Qwen3-32B\""), "{text}");
    assert!(text.contains("zmqEndpoint: \"tcp://*:5556\""), "{text}");
    let svc = find(&o.objs, "Service", "qwen3-32b-precise-epp-service");
    assert!(
        list(svc, "spec.ports")
            .iter()
            .any(|p| p.get("port").and_then(Node::as_i64) == Some(5556)),
        "the EPP Service's zmq port"
    );
    let c = container(deployment(o, "qwen3-32b-precise-decode"), "vllm");
    let events = arg_value(c, "--kv-events-config").expect("--kv-events-config");
    assert!(
        events.contains("tcp://qwen3-32b-precise-epp-service.llm-d-precise.svc.cluster.local:5556"),
        "{events}"
    );
    assert_eq!(arg_value(c, "--block-size").as_deref(), Some("64"));
    assert_eq!(env_value(c, "PYTHONHASHSEED").as_deref(), Some("42"));
}

fn check_guide_precise_prefix_cache_tracing(o: &Out) {
    check_guide_precise_prefix_cache(o);
    let epp = container(deployment(o, "qwen3-32b-precise-epp"), "epp");
    assert!(has_arg(epp, "--tracing=true"));
    assert!(!has_arg(epp, "--tracing=false"));
    assert_eq!(
        env_value(epp, "OTEL_SERVICE_NAME").as_deref(),
        Some("gateway-api-inference-extension")
    );
    let c = container(deployment(o, "qwen3-32b-precise-decode"), "vllm");
    assert!(has_arg(c, "--collect-detailed-traces=all"));
    assert_eq!(
        strings(c, "args")[0],
        "Qwen/Qwen3-32B",
        "the model stays vLLM's first arg"
    );
}

fn check_own_scheduling_config(o: &Out) {
    let (file, text) = epp_config(o, "granite-8b");
    assert_eq!(file, "custom-plugins.yaml");
    assert!(
        text.contains("- pluginRef: prefix-cache-scorer\n    weight: 2"),
        "{text}"
    );
    // The chart's default file is there too, as the chart always writes it.
    let cm = find(&o.objs, "ConfigMap", "granite-8b-epp");
    assert!(
        at(cm, "data")
            .and_then(|d| d.get("default-plugins.yaml"))
            .is_some()
    );
}

/// A stack of v0.3 presets deploys none of today's images and the old
/// EPP (camelCase flags, no EndpointPickerConfig).
fn check_v0_3(o: &Out) {
    for (var, image) in msvc::images::IMAGES {
        if !["TpuImage", "SglangImage"].contains(var) {
            assert!(!o.stdout.contains(image), "{var}: {image}");
        }
    }
    let epp = all(&o.objs, "Deployment")
        .into_iter()
        .find(|d| d.name().ends_with("-epp"))
        .expect("an EPP");
    let args = strings(container(epp, "epp"), "args");
    assert!(args.contains(&"--poolName".to_string()), "{args:?}");
    assert!(all(&o.objs, "ConfigMap").is_empty());
}

/// Without the tracing layer the EPP traces nothing.
#[test]
fn tracing_is_off_without_its_layer() {
    let o = render(&["render", "examples/llama2-7b.yaml"]);
    let epp = container(deployment(&o, "llama2-7b-epp"), "epp");
    assert!(has_arg(epp, "--tracing=false"));
    assert!(env_value(epp, "OTEL_SERVICE_NAME").is_none());
}

// ---------------------------------------------------------------------------
// Layering
// ---------------------------------------------------------------------------

/// nvidia is the hardware default: naming it changes nothing.
#[test]
fn nvidia_is_the_default_hardware() {
    // Each topology on a model it loads.
    for (topology, file) in [
        ("vllm-hf", "examples/tenant-small-qwen3-8b.yaml"),
        ("vllm-pvc", "examples/tenant-large-llama-3.3-70b.yaml"),
        ("vllm-oci", "examples/tenant-medium-qwen3-32b.yaml"),
    ] {
        let plain = render(&["render", file, "--preset", topology]);
        let named = render(&["render", file, "--preset", "nvidia", "--preset", topology]);
        assert!(plain.stdout == named.stdout, "{topology}");
        assert!(plain.stdout.contains(CUDA), "{topology}");
    }
}

/// `--preset intel-gaudi --preset vllm-pd-nixl`: Gaudi on both roles and no
/// NVIDIA resource anywhere; a size over it changes CPU, memory and count.
#[test]
fn gaudi_under_pd_nixl_and_a_size_over_it() {
    let base = render(&[
        "render",
        PD_INPUT,
        "--preset",
        "intel-gaudi",
        "--preset",
        "vllm-pd-nixl",
    ]);
    check_intel_gaudi_pd(&base);
    for (size, count, cpu, memory) in [
        ("small", "1", "8", "16Gi"),
        ("medium", "2", "16", "32Gi"),
        ("large", "8", "64", "256Gi"),
    ] {
        let sized = render(&[
            "render",
            PD_INPUT,
            "--preset",
            "intel-gaudi",
            "--preset",
            "vllm-pd-nixl",
            "--preset",
            size,
        ]);
        for dep in model_servers(&sized, PD_MS) {
            let c = container(dep, "vllm");
            assert_resource(c, "habana.ai/gaudi", Some(count));
            assert_resource(c, "cpu", Some(cpu));
            assert_resource(c, "memory", Some(memory));
            assert_eq!(image(c), "ghcr.io/llm-d/llm-d-hpu:v0.6.0", "{size}");
        }
        assert!(!resource_names(&sized).contains("nvidia.com/gpu"), "{size}");
        // Only the model servers change.
        for kind in ["Service", "InferencePool", "HTTPRoute"] {
            for (a, b) in all(&base.objs, kind).iter().zip(all(&sized.objs, kind)) {
                assert_eq!(show(a), show(b), "{size}: {kind}");
            }
        }
    }
}

/// Patch-only layers create nothing: a size or hardware preset over a
/// decode-only topology adds no prefill Deployment, though both patch one.
#[test]
fn patch_only_layers_create_nothing() {
    let o = render(&[
        "render",
        "examples/tenant-small-qwen3-8b.yaml",
        "--preset",
        "intel-gaudi",
        "--preset",
        "vllm-hf",
        "--preset",
        "small",
    ]);
    let deps: Vec<String> = all(&o.objs, "Deployment")
        .iter()
        .map(|d| d.name().to_string())
        .collect();
    assert_eq!(deps, ["qwen3-8b-decode", "qwen3-8b-epp"]);
}

/// The size presets follow the stack's accelerator: its resource name on
/// any hardware, no device on cpu, the slice's chip count on TPUs.
#[test]
fn sizes_follow_the_hardware() {
    let file = "examples/tenant-small-qwen3-8b.yaml";
    for (hardware, resource_name) in [
        ("nvidia", Some("nvidia.com/gpu")),
        ("amd-rocm", Some("amd.com/gpu")),
        ("intel-gaudi", Some("habana.ai/gaudi")),
        ("intel-xpu", Some("gpu.intel.com/i915")),
        ("intel-xpu-xe", Some("gpu.intel.com/xe")),
        ("aws-efa", Some("nvidia.com/gpu")),
        ("google-tpu", None),
    ] {
        let o = render(&[
            "render", file, "--preset", hardware, "--preset", "vllm-hf", "--preset", "medium",
        ]);
        let c = container(deployment(&o, "qwen3-8b-decode"), "vllm");
        assert_resource(c, "cpu", Some("16"));
        match resource_name {
            Some(r) => assert_resource(c, r, Some("2")),
            None => assert_resource(c, "google.com/tpu", Some("4")),
        }
    }
    let o = render(&[
        "render", file, "--preset", "vllm-hf", "--preset", "cpu", "--preset", "medium",
    ]);
    let c = container(deployment(&o, "qwen3-8b-decode"), "vllm");
    assert_resource(c, "cpu", Some("16"));
    assert!(
        resource_names(&o)
            .iter()
            .all(|n| n == "cpu" || n == "memory")
    );
}

// ---------------------------------------------------------------------------
// Limits of the current layering (src/), stated as the behaviour wanted
// ---------------------------------------------------------------------------

/// SGLang's container is `sglang`; the size presets name `vllm`, and msvc
/// aims a patch at the model server whatever its name. (A ModelService
/// written for vLLM, naming a `vllm` container, would add an image-less
/// container there, which render refuses; see the second half.)
#[test]
fn a_size_patches_the_sglang_container() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(crate_root().join("examples/tenant-small-qwen3-8b.yaml")).unwrap();
    let sglang = dir.path().join("sglang.yaml");
    std::fs::write(&sglang, text.replace("- name: vllm", "- name: sglang")).unwrap();
    let o = render(&[
        "render",
        sglang.to_str().unwrap(),
        "--preset",
        "sglang",
        "--preset",
        "small",
    ]);
    let dep = deployment(&o, "qwen3-8b-decode");
    assert_eq!(container_names(dep), ["sglang"]);
    assert_resource(container(dep, "sglang"), "cpu", Some("8"));

    let (code, _, stderr) = msvc(&[
        "render",
        "examples/tenant-small-qwen3-8b.yaml",
        "--preset",
        "sglang",
    ]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("container `vllm` of Deployment `qwen3-8b-decode` has no image"),
        "{stderr}"
    );
}

/// A hardware layer under the topology loses every field both set: the
/// cpu preset must go over vllm-hf, or `vllm serve` stays the command.
#[test]
fn hardware_order_does_not_matter() {
    let file = "examples/tenant-small-qwen3-8b.yaml";
    let over = render(&["render", file, "--preset", "vllm-hf", "--preset", "cpu"]);
    let under = render(&["render", file, "--preset", "cpu", "--preset", "vllm-hf"]);
    assert!(over.stdout == under.stdout);
}

/// A ModelService that names a baseConfigMapRef ignores `--preset` without
/// a word: `--preset intel-gaudi` on the opt-125m P/D example renders NVIDIA.
#[test]
fn preset_flags_are_not_silently_dropped() {
    let (code, stdout, stderr) = msvc(&[
        "render",
        "examples/opt-125m-nixl-pd.yaml",
        "--preset",
        "intel-gaudi",
    ]);
    let layered = stdout.contains("habana.ai/gaudi");
    let told = code != Some(0) || stderr.contains("preset");
    assert!(layered || told, "stderr: {stderr}");
}

/// `msvc presets show NAME > mine.yaml` then `-b mine.yaml` renders what
/// `--preset NAME` renders, without a warning, for either Inference
/// Extension API (the copy for v1 leaves out the v1alpha2-only
/// InferenceModel).
#[test]
fn a_shown_preset_renders_as_the_preset_does() {
    let dir = tempfile::tempdir().unwrap();
    for (preset, example) in [
        ("vllm-hf", "examples/llama2-7b.yaml"),
        ("vllm-pvc", "examples/qwen3-vl-235b-a22b-vllm.yaml"),
        ("vllm-oci", "examples/tenant-medium-qwen3-32b.yaml"),
        ("vllm-pd-nixl", "examples/opt-125m-nixl-pd.yaml"),
        ("sglang", "examples/deepseek-v3.1-sglang.yaml"),
    ] {
        for api in ["v1", "v1alpha2"] {
            let (code, shown, stderr) = msvc(&["presets", "show", preset, "--gie-api", api]);
            assert_eq!(code, Some(0), "{stderr}");
            let copy = dir.path().join(format!("{preset}-{api}.yaml"));
            std::fs::write(&copy, &shown).unwrap();
            let copy = copy.to_str().unwrap();
            let want = render(&["render", example, "--preset", preset, "--gie-api", api]);
            let have = render(&["render", example, "-b", copy, "--gie-api", api]);
            assert_eq!(
                have.stderr, "",
                "{preset} shown for {api}, rendered with -b"
            );
            assert!(
                have.stdout == want.stdout,
                "{preset} shown for {api} renders otherwise than --preset {preset}"
            );
        }
    }
}
