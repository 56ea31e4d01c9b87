//! `cargo bench`: what a render costs, from one example to a repository
//! of 1,000 ModelServices.
//!
//! The corpus comes from `scripts/gen-corpus` (deterministic), written to
//! a temporary directory once per run.

use std::path::{Path, PathBuf};
use std::process::Command;

use divan::Bencher;
use msvc::load::{Source, read_paths};
use msvc::objects::ObjectExt;
use msvc::yaml::{Node, Origin, parse_one};
use msvc::{RenderRequest, render, render_printed};

fn main() {
    divan::main();
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn request(paths: &[PathBuf]) -> RenderRequest {
    RenderRequest {
        inputs: read_paths(paths).expect("inputs read"),
        ..RenderRequest::default()
    }
}

/// One decode-only ModelService on the default preset (vllm-hf): 10 objects.
#[divan::bench]
fn small_render(b: Bencher) {
    let req = request(&[root().join("examples/llama2-7b.yaml")]);
    b.bench(|| render_printed(divan::black_box(&req)).expect("renders"));
}

/// Prefill/decode with NIXL and an endpoint picker (vllm-pd-nixl).
#[divan::bench]
fn pd_render_with_epp(b: Bencher) {
    let req = request(&[root().join("examples/opt-125m-nixl-pd.yaml")]);
    b.bench(|| render_printed(divan::black_box(&req)).expect("renders"));
}

/// The merge alone: a ModelService's decode overlay over the preset's
/// rendered decode Deployment.
#[divan::bench]
fn merge_alone(b: Bencher) {
    let req = request(&[root().join("examples/llama2-7b.yaml")]);
    let rendered = render(&req).expect("renders");
    let base = rendered.manifests[0]
        .objects
        .iter()
        .find(|o| o.kind() == "Deployment")
        .expect("a Deployment")
        .clone();
    let overlay = parse_one(OVERLAY, &Origin::file("overlay.yaml")).expect("overlay parses");
    b.with_inputs(|| base.clone())
        .bench_local_values(|mut base: Node| {
            msvc::merge::merge(&mut base, divan::black_box(&overlay));
            base
        });
}

const OVERLAY: &str = r#"
spec:
  replicas: 4
  template:
    metadata:
      labels:
        team: research
    spec:
      nodeSelector:
        nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3
      containers:
        - name: vllm
          args: ["--max-model-len", "32768", "--enable-prefix-caching"]
          env:
            - name: VLLM_LOGGING_LEVEL
              value: DEBUG
            - name: HF_TOKEN
              valueFrom:
                secretKeyRef: {name: hf-token, key: HF_TOKEN}
          resources:
            limits: {nvidia.com/gpu: "4", memory: 200Gi}
            requests: {nvidia.com/gpu: "4", memory: 200Gi}
          volumeMounts:
            - name: model-storage
              mountPath: /model-cache
      volumes:
        - name: model-storage
          emptyDir: {sizeLimit: 100Gi}
"#;

/// Writes the corpus of `n` ModelServices with scripts/gen-corpus.
fn corpus(n: usize) -> (tempfile::TempDir, Vec<Source>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let status = Command::new("python3")
        .arg(root().join("scripts/gen-corpus"))
        .arg(n.to_string())
        .arg(dir.path())
        .status()
        .expect("python3 runs scripts/gen-corpus");
    assert!(status.success(), "scripts/gen-corpus failed");
    let sources = read_paths(&[dir.path().to_path_buf()]).expect("corpus read");
    (dir, sources)
}

/// 1,000 ModelServices over five presets, on every CPU and on one thread;
/// the files are read before timing starts.
#[divan::bench(args = ["all-cpus", "one-thread"], sample_count = 10)]
fn corpus_1000(b: Bencher, threads: &str) {
    let (_dir, inputs) = corpus(1000);
    let mut req = RenderRequest {
        inputs,
        ..RenderRequest::default()
    };
    req.options.jobs = (threads == "one-thread").then_some(1);
    b.bench(|| {
        let r = render_printed(divan::black_box(&req)).expect("renders");
        assert_eq!(r.manifests.len(), 1000);
        r
    });
}
