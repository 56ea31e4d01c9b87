//! Golden (snapshot) tests: every example and each upstream operator sample,
//! rendered by the real binary and compared byte for byte with
//! `tests/golden/<case>/expected.yaml` (stdout) and `expected.stderr`
//! (stderr; a missing file means stderr must be empty).
//!
//! A case is a folder holding `cmd`: the arguments, one per line (a flag
//! with a value as `--flag=value`), with paths relative to the crate root (the upstream samples are reached as
//! `../shared/upstream/operator/samples/...`, `shared/` being beside the
//! crate). The `example-*` cases are project tests; the `upstream-*` ones
//! are conformance tests, skipped (saying so) when `../shared` is missing.
//!
//! `MSVC_UPDATE_GOLDEN=1 cargo test --test golden` rewrites the expected
//! files; review the diff before committing it.
//!
//! Besides the bytes, each case asserts the contract's properties
//! (`/shared/spec/modelservice-render.md`) on the parsed objects, so a
//! snapshot that is rewritten into something wrong still fails.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use msvc::objects::ObjectExt;
use msvc::yaml::Node;

/// Every case folder under `tests/golden/`.
const CASES: &[&str] = &[
    "example-llama2-7b",
    "example-llama2-70b-pd",
    "example-opt-125m-nixl-pd",
    "example-granite-autoscaled",
    "upstream-test-msvc",
    "upstream-test-msvc-v1alpha2",
    "upstream-test-msvc-hf",
    "upstream-simple-model",
    "upstream-nixl-xpyd",
    "controller-migration",
];

/// Labels msvc adds for ownership: metadata only, never in a selector or a
/// pod template (selectors are immutable in a cluster).
const OWNERSHIP_LABELS: &[&str] = &[
    "app.kubernetes.io/managed-by",
    "llm-d.ai/model-service",
    "applyset.kubernetes.io/part-of",
];
const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

// ---------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------

/// One rendered case.
struct Golden {
    stdout: String,
    stderr: String,
    objs: Vec<Node>,
}

fn golden_dir() -> PathBuf {
    crate_root().join("tests").join("golden")
}

fn updating() -> bool {
    std::env::var_os("MSVC_UPDATE_GOLDEN").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The arguments of a case.
fn read_cmd(case_dir: &Path) -> Vec<String> {
    let text = read(&case_dir.join("cmd"));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Runs the binary from the crate root; returns (exit code, stdout, stderr).
fn run(args: &[String]) -> (Option<i32>, String, String) {
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

/// Compares `have` with the file at `path` (absent = empty), or rewrites
/// the file in update mode (removing it when `have` is empty and
/// `optional`).
fn compare_or_update(path: &Path, have: &str, optional: bool) {
    if updating() {
        if optional && have.is_empty() {
            let _ = std::fs::remove_file(path);
        } else {
            std::fs::write(path, have)
                .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        }
        return;
    }
    let want = if optional && !path.exists() {
        String::new()
    } else {
        read(path)
    };
    if want != have {
        let diff = similar::TextDiff::from_lines(&want, have)
            .unified_diff()
            .context_radius(3)
            .header("expected", "actual")
            .to_string();
        panic!(
            "{} differs from the output (review, then `MSVC_UPDATE_GOLDEN=1 cargo test --test golden` rewrites it):\n{diff}",
            path.display()
        );
    }
}

/// Renders a case, checks determinism and input-order independence, and
/// compares with (or rewrites) the expected files. `None`: the case reads
/// `../shared`, which is missing (a skip, see `tests/common/gate.rs`).
fn run_case(case: &str) -> Option<Golden> {
    let dir = golden_dir().join(case);
    let args = read_cmd(&dir);
    assert_eq!(
        args.first().map(String::as_str),
        Some("render"),
        "{case}: cmd must start with `render`"
    );
    for a in &args {
        if let Some(rel) = a.strip_prefix("../shared/")
            && require_shared(rel).is_none()
        {
            return None;
        }
    }
    for a in args.iter().skip(1).filter(|a| !a.starts_with('-')) {
        assert!(
            crate_root().join(a).exists(),
            "{case}: input {a} does not exist"
        );
    }

    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, Some(0), "{case}: msvc failed:\n{stderr}");
    assert!(!stdout.is_empty(), "{case}: no output");

    // Determinism: the same inputs give the same bytes.
    let (code2, stdout2, stderr2) = run(&args);
    assert_eq!(code2, Some(0));
    assert!(
        stdout == stdout2,
        "{case}: two renders of the same inputs differ"
    );
    assert_eq!(
        stderr, stderr2,
        "{case}: two renders give different warnings"
    );

    // Input order does not matter (a BaseConfig may come before its ModelService).
    let inputs: Vec<String> = args[1..].to_vec();
    if inputs.len() > 1 && inputs.iter().all(|a| !a.starts_with('-')) {
        let mut reversed = vec!["render".to_string()];
        reversed.extend(inputs.iter().rev().cloned());
        let (code3, stdout3, _) = run(&reversed);
        assert_eq!(code3, Some(0));
        assert!(
            stdout == stdout3,
            "{case}: the output depends on the order of the inputs"
        );
    }

    compare_or_update(&dir.join("expected.yaml"), &stdout, false);
    compare_or_update(&dir.join("expected.stderr"), &stderr, true);

    let objs = parse(&stdout);
    Some(Golden {
        stdout,
        stderr,
        objs,
    })
}

// ---------------------------------------------------------------------------
// The contract's properties, for any case
// ---------------------------------------------------------------------------

/// What a case must contain.
struct Expect<'a> {
    /// metadata.name of the ModelService.
    ms: &'a str,
    namespace: &'a str,
    /// spec.routing.modelName.
    model_name: &'a str,
    /// sanitize(modelName), worked out by hand.
    model_label: &'a str,
    /// `(kind, name)` of every object, in output order.
    objects: &'a [(&'a str, &'a str)],
    /// spec.decoupleScaling.
    decouple_scaling: bool,
}

/// The spec's apply order.
fn kind_rank(kind: &str) -> usize {
    const ORDER: &[&str] = &[
        "ServiceAccount",
        "ConfigMap",
        "Role",
        "RoleBinding",
        "Service",
        "Deployment",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "InferencePool",
        "InferenceModel",
        "HTTPRoute",
    ];
    ORDER
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_else(|| panic!("unexpected kind `{kind}` in the output"))
}

fn expected_api_versions(kind: &str) -> &'static [&'static str] {
    match kind {
        "ServiceAccount" | "ConfigMap" | "Service" => &["v1"],
        "Role" | "RoleBinding" => &["rbac.authorization.k8s.io/v1"],
        "Deployment" => &["apps/v1"],
        "HorizontalPodAutoscaler" => &["autoscaling/v2"],
        "PodDisruptionBudget" => &["policy/v1"],
        "InferencePool" => &[
            "inference.networking.x-k8s.io/v1alpha2",
            "inference.networking.k8s.io/v1",
        ],
        "InferenceModel" => &["inference.networking.x-k8s.io/v1alpha2"],
        "HTTPRoute" => &["gateway.networking.k8s.io/v1"],
        _ => &[],
    }
}

fn check_spec(g: &Golden, e: &Expect) {
    let objs = &g.objs;
    // One multi-document stream, every document opened by `---`.
    assert!(
        g.stdout.starts_with("---\n"),
        "the stream does not open with `---`"
    );
    assert_eq!(
        g.stdout.lines().filter(|l| *l == "---").count(),
        objs.len(),
        "one `---` per object"
    );
    let ms = e.ms;
    let common = label_map(&[
        ("llm-d.ai/inferenceServing", "true"),
        ("llm-d.ai/model", e.model_label),
    ]);
    let role_labels = |role: &str| {
        let mut l = common.clone();
        l.insert("llm-d.ai/role".into(), role.into());
        l
    };
    let epp_labels = label_map(&[("llm-d.ai/epp", &format!("{ms}-epp"))]);

    // Which objects, with the names of the naming table, in the spec's order.
    let want: Vec<(String, String)> = e
        .objects
        .iter()
        .map(|(k, n)| ((*k).to_string(), (*n).to_string()))
        .collect();
    assert_eq!(
        kinds_and_names(objs),
        want,
        "objects (kind, name) in output order"
    );
    let ranks: Vec<usize> = objs.iter().map(|o| kind_rank(o.kind())).collect();
    assert!(
        ranks.windows(2).all(|w| w[0] <= w[1]),
        "objects are not in the spec's kind order: {:?}",
        kinds_and_names(objs)
    );

    // Identity of every object; nothing a server would own.
    for o in objs {
        let what = format!("{} {}", o.kind(), o.name());
        assert!(
            expected_api_versions(o.kind()).contains(&o.api_version()),
            "{what}: apiVersion `{}`",
            o.api_version()
        );
        assert!(!o.name().is_empty(), "{what}: no metadata.name");
        assert_eq!(
            o.namespace(),
            Some(e.namespace),
            "{what}: metadata.namespace"
        );
        assert!(o.get("status").is_none(), "{what}: has a status");
        assert!(
            at(o, "metadata.ownerReferences").is_none(),
            "{what}: has ownerReferences"
        );
        for f in [
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "managedFields",
        ] {
            assert!(
                at(o, &format!("metadata.{f}")).is_none(),
                "{what}: has metadata.{f}"
            );
        }
    }

    // No ownership label in anything a selector or a pod sees.
    for o in objs {
        for path in [
            "spec.selector",
            "spec.selector.matchLabels",
            "spec.template.metadata.labels",
        ] {
            let labels = labels_at(o, path);
            for l in OWNERSHIP_LABELS {
                assert!(
                    !labels.contains_key(*l),
                    "{} {}: `{l}` in {path}",
                    o.kind(),
                    o.name()
                );
            }
        }
    }

    // Deployments: labels, selectors, service accounts, containers, volumes.
    let has_inference_model = !all(objs, "InferenceModel").is_empty();
    for dep in all(objs, "Deployment") {
        let name = dep.name().to_string();
        let (want_labels, sa, is_pd) = if name == format!("{ms}-decode") {
            (role_labels("decode"), format!("{ms}-sa"), true)
        } else if name == format!("{ms}-prefill") {
            (role_labels("prefill"), format!("{ms}-sa"), true)
        } else if name == format!("{ms}-epp") {
            (epp_labels.clone(), format!("{ms}-epp-sa"), false)
        } else {
            panic!("Deployment `{name}` is not in the naming table");
        };
        let meta = labels_at(dep, "metadata.labels");
        let selector = labels_at(dep, "spec.selector.matchLabels");
        let pod = labels_at(dep, "spec.template.metadata.labels");
        assert!(
            is_subset(&want_labels, &meta),
            "{name}: metadata.labels {meta:?} lack {want_labels:?}"
        );
        assert!(
            is_subset(&want_labels, &selector),
            "{name}: selector {selector:?} lacks {want_labels:?}"
        );
        assert!(
            is_subset(&want_labels, &pod),
            "{name}: pod labels {pod:?} lack {want_labels:?}"
        );
        assert!(
            is_subset(&selector, &pod),
            "{name}: selector {selector:?} does not match the pod labels {pod:?}"
        );

        assert_eq!(
            text(pod_spec(dep), "serviceAccountName"),
            sa,
            "{name}: serviceAccountName"
        );
        find(objs, "ServiceAccount", &sa);

        if is_pd && e.decouple_scaling {
            assert!(
                at(dep, "spec.replicas").is_none(),
                "{name}: decoupleScaling: true, yet spec.replicas is set"
            );
        }

        // Volumes unique by name; every mount names a pod volume.
        let volumes: Vec<String> = list(pod_spec(dep), "volumes")
            .iter()
            .map(|v| text(v, "name"))
            .collect();
        let unique: BTreeSet<&String> = volumes.iter().collect();
        assert_eq!(
            unique.len(),
            volumes.len(),
            "{name}: duplicate volume names {volumes:?}"
        );
        if is_pd {
            assert!(
                volumes.iter().any(|v| v == "model-storage"),
                "{name}: no model-storage volume"
            );
        }

        for c in all_containers(dep) {
            let cname = text(c, "name");
            let envs: Vec<String> = list(c, "env").iter().map(|v| text(v, "name")).collect();
            let unique: BTreeSet<&String> = envs.iter().collect();
            assert_eq!(
                unique.len(),
                envs.len(),
                "{name}/{cname}: duplicate env names {envs:?}"
            );

            let mounts: Vec<String> = list(c, "volumeMounts")
                .iter()
                .map(|m| text(m, "mountPath"))
                .collect();
            let unique: BTreeSet<&String> = mounts.iter().collect();
            assert_eq!(
                unique.len(),
                mounts.len(),
                "{name}/{cname}: duplicate mountPaths {mounts:?}"
            );
            for m in list(c, "volumeMounts") {
                let vol = text(m, "name");
                assert!(
                    volumes.contains(&vol),
                    "{name}/{cname}: mounts `{vol}`, which is not a pod volume"
                );
            }

            let ports: Vec<String> = list(c, "ports")
                .iter()
                .map(|p| text(p, "containerPort"))
                .collect();
            let unique: BTreeSet<&String> = ports.iter().collect();
            assert_eq!(
                unique.len(),
                ports.len(),
                "{name}/{cname}: duplicate containerPorts {ports:?}"
            );

            // The model's token is only ever referenced.
            if is_pd && let Some(tok) = env(c, "HF_TOKEN") {
                assert!(
                    at(tok, "value").is_none(),
                    "{name}/{cname}: HF_TOKEN has a literal value"
                );
                assert_eq!(
                    text(tok, "valueFrom.secretKeyRef.key"),
                    "HF_TOKEN",
                    "{name}/{cname}"
                );
            }
        }
    }

    // Services select on the role (or EPP) labels, added to the base's.
    for svc in all(objs, "Service") {
        let name = svc.name().to_string();
        let want_labels = if name == format!("{ms}-service-decode") {
            role_labels("decode")
        } else if name == format!("{ms}-service-prefill") {
            role_labels("prefill")
        } else if name == format!("{ms}-epp-service") {
            epp_labels.clone()
        } else {
            panic!("Service `{name}` is not in the naming table");
        };
        let selector = labels_at(svc, "spec.selector");
        assert!(
            is_subset(&want_labels, &selector),
            "{name}: selector {selector:?} lacks {want_labels:?}"
        );
        let role = want_labels.get("llm-d.ai/role").cloned();
        if let Some(role) = role {
            find(objs, "Deployment", &format!("{ms}-{role}"));
        }
    }

    // InferencePool: the two common labels, and the EPP Service (in the
    // shape of its API version).
    for pool in all(objs, "InferencePool") {
        assert_eq!(pool.name(), format!("{ms}-inference-pool"));
        let (selector, epp_ref) = if pool.api_version() == "inference.networking.k8s.io/v1" {
            ("spec.selector.matchLabels", "spec.endpointPickerRef.name")
        } else {
            ("spec.selector", "spec.extensionRef.name")
        };
        assert_eq!(labels_at(pool, selector), common, "InferencePool selector");
        assert_eq!(text(pool, epp_ref), format!("{ms}-epp-service"));
    }

    // HPA and PDB: aimed at a prefill/decode Deployment, which then leaves
    // replicas to the HPA.
    for hpa in all(objs, "HorizontalPodAutoscaler") {
        assert_eq!(text(hpa, "spec.scaleTargetRef.kind"), "Deployment");
        assert_eq!(text(hpa, "spec.scaleTargetRef.apiVersion"), "apps/v1");
        let target = text(hpa, "spec.scaleTargetRef.name");
        assert!(
            target == format!("{ms}-decode") || target == format!("{ms}-prefill"),
            "HPA targets {target}"
        );
        let dep = find(objs, "Deployment", &target);
        assert!(
            at(dep, "spec.replicas").is_none(),
            "{target} has an HPA, yet spec.replicas is set"
        );
    }
    for pdb in all(objs, "PodDisruptionBudget") {
        let role = if pdb.name() == format!("{ms}-decode") {
            "decode"
        } else if pdb.name() == format!("{ms}-prefill") {
            "prefill"
        } else {
            panic!(
                "PodDisruptionBudget `{}` is not named for a role",
                pdb.name()
            );
        };
        let selector = labels_at(pdb, "spec.selector.matchLabels");
        assert!(
            is_subset(&role_labels(role), &selector),
            "{}: selector {selector:?}",
            pdb.name()
        );
        find(objs, "Deployment", &format!("{ms}-{role}"));
    }

    // InferenceModel: common labels, the model name, the pool.
    for model in all(objs, "InferenceModel") {
        assert_eq!(model.name(), ms);
        let meta = labels_at(model, "metadata.labels");
        assert!(is_subset(&common, &meta), "InferenceModel labels {meta:?}");
        assert_eq!(text(model, "spec.modelName"), e.model_name);
        assert_eq!(
            text(model, "spec.poolRef.name"),
            format!("{ms}-inference-pool")
        );
    }

    // HTTPRoute: parentRefs unique by name; routes to the pool when there is one.
    for route in all(objs, "HTTPRoute") {
        assert_eq!(route.name(), format!("{ms}-http-route"));
        let parents: Vec<String> = list(route, "spec.parentRefs")
            .iter()
            .map(|p| text(p, "name"))
            .collect();
        let unique: BTreeSet<&String> = parents.iter().collect();
        assert_eq!(
            unique.len(),
            parents.len(),
            "HTTPRoute parentRefs repeat a name: {parents:?}"
        );
        if try_find(objs, "InferencePool", &format!("{ms}-inference-pool")).is_some() {
            let backends: Vec<String> = list(route, "spec.rules")
                .iter()
                .flat_map(|r| list(r, "backendRefs"))
                .map(|b| text(b, "name"))
                .collect();
            assert!(
                backends.contains(&format!("{ms}-inference-pool")),
                "HTTPRoute does not route to the pool: {backends:?}"
            );
        }
    }

    // EPP RBAC: the RoleBinding binds <ms>-epp-sa to the Role msvc emits.
    let epp = try_find(objs, "Deployment", &format!("{ms}-epp"));
    let bindings = all(objs, "RoleBinding");
    assert_eq!(
        bindings.len(),
        usize::from(epp.is_some()),
        "one RoleBinding exactly when there is an EPP"
    );
    for rb in bindings {
        assert_eq!(rb.name(), format!("{ms}-epp-rolebinding"));
        let subjects = list(rb, "subjects");
        assert_eq!(subjects.len(), 1, "RoleBinding subjects:\n{}", show(rb));
        assert_eq!(text(subjects[0], "kind"), "ServiceAccount");
        assert_eq!(text(subjects[0], "name"), format!("{ms}-epp-sa"));
        assert_eq!(text(subjects[0], "namespace"), e.namespace);
        assert_eq!(text(rb, "roleRef.apiGroup"), RBAC_GROUP);
        assert_eq!(text(rb, "roleRef.kind"), "Role");
        assert_eq!(text(rb, "roleRef.name"), format!("{ms}-epp-role"));
        // A preset's EPP that reads msvc's EndpointPickerConfig has the
        // inferencepool chart's Role.
        let chart = try_find(objs, "ConfigMap", &format!("{ms}-epp")).is_some();
        check_epp_role(
            find(objs, "Role", &format!("{ms}-epp-role")),
            has_inference_model,
            chart,
        );
    }
}

/// `get, list, watch` on pods and on inferencepools in both inference API
/// groups (and inferencemodels when one is emitted); nothing more. With
/// `chart`, the inferencepool chart v1.4.0's: pods, v1 inferencepools,
/// inferenceobjectives and inferencemodelrewrites.
fn check_epp_role(role: &Node, with_models: bool, chart: bool) {
    let mut granted: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for rule in list(role, "rules") {
        for group in strings(rule, "apiGroups") {
            for res in strings(rule, "resources") {
                granted
                    .entry((group.clone(), res))
                    .or_default()
                    .extend(strings(rule, "verbs"));
            }
        }
    }
    let read: BTreeSet<String> = ["get", "list", "watch"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut want = if chart {
        vec![
            ("", "pods"),
            ("inference.networking.k8s.io", "inferencepools"),
            ("inference.networking.x-k8s.io", "inferenceobjectives"),
            ("inference.networking.x-k8s.io", "inferencemodelrewrites"),
        ]
    } else {
        vec![
            ("", "pods"),
            ("inference.networking.k8s.io", "inferencepools"),
            ("inference.networking.x-k8s.io", "inferencepools"),
        ]
    };
    if with_models {
        want.push(("inference.networking.x-k8s.io", "inferencemodels"));
    }
    let want: BTreeSet<(String, String)> = want
        .iter()
        .map(|(g, r)| (g.to_string(), r.to_string()))
        .collect();
    let have: BTreeSet<(String, String)> = granted.keys().cloned().collect();
    assert_eq!(have, want, "Role resources:\n{}", show(role));
    for (key, verbs) in &granted {
        assert_eq!(verbs, &read, "Role verbs on {key:?}");
    }
}

/// The port the InferencePool targets, in either API version's shape.
fn pool_target_port(pool: &Node) -> String {
    if pool.api_version() == "inference.networking.k8s.io/v1" {
        let ports = list(pool, "spec.targetPorts");
        assert_eq!(ports.len(), 1, "{}", show(pool));
        text(ports[0], "number")
    } else {
        text(pool, "spec.targetPortNumber")
    }
}

/// `(name, port)` of the HTTPRoute's parentRefs, as text.
fn parent_refs(route: &Node) -> Vec<BTreeMap<String, String>> {
    list(route, "spec.parentRefs")
        .iter()
        .map(|p| string_map(Some(p)))
        .collect()
}

fn strs(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------

macro_rules! golden {
    ($test:ident, $case:literal, |$g:ident| $body:block) => {
        #[test]
        fn $test() {
            assert!(CASES.contains(&$case), "add {} to CASES", $case);
            let Some($g) = run_case($case) else {
                return;
            };
            $body
        }
    };
}

golden!(golden_example_llama2_7b, "example-llama2-7b", |g| {
    let ms = "llama2-7b";
    check_spec(
        &g,
        &Expect {
            ms,
            namespace: "default",
            model_name: "meta-llama/Llama-2-7b-hf",
            model_label: "meta-llama-llama-2-7b-hf",
            objects: &[
                ("ServiceAccount", "llama2-7b-sa"),
                ("ServiceAccount", "llama2-7b-epp-sa"),
                // The EPP's EndpointPickerConfig.
                ("ConfigMap", "llama2-7b-epp"),
                ("Role", "llama2-7b-epp-role"),
                ("RoleBinding", "llama2-7b-epp-rolebinding"),
                ("Service", "llama2-7b-service-decode"),
                ("Service", "llama2-7b-epp-service"),
                ("Deployment", "llama2-7b-decode"),
                ("Deployment", "llama2-7b-epp"),
                ("InferencePool", "llama2-7b-inference-pool"),
                ("HTTPRoute", "llama2-7b-http-route"),
            ],
            decouple_scaling: false,
        },
    );
    assert!(g.stderr.is_empty(), "warnings: {}", g.stderr);
    let decode = find(&g.objs, "Deployment", "llama2-7b-decode");
    assert_eq!(text(decode, "spec.replicas"), "1");
    let vllm = container(decode, "vllm");
    // ModelService args before the preset's.
    assert_eq!(
        strings(vllm, "args"),
        strs(&["meta-llama/Llama-2-7b-hf", "--port", "8000"])
    );
    assert_eq!(strings(vllm, "command"), strs(&["vllm", "serve"]));
    assert_eq!(env_value(vllm, "HF_HOME").as_deref(), Some("/model-cache"));
    let tok = env(vllm, "HF_TOKEN").expect("HF_TOKEN env");
    assert_eq!(text(tok, "valueFrom.secretKeyRef.name"), "hf-token");
    assert_eq!(text(tok, "valueFrom.secretKeyRef.key"), "HF_TOKEN");
    let mount = mount_at(vllm, "/model-cache").expect("model mount");
    assert_eq!(text(mount, "name"), "model-storage");
    let vol = volume(decode, "model-storage").unwrap();
    assert_eq!(text(vol, "emptyDir.sizeLimit"), "50Gi");
    assert!(
        node_affinity(decode).is_empty(),
        "no acceleratorTypes, no affinity"
    );
    let svc = find(&g.objs, "Service", "llama2-7b-service-decode");
    assert_eq!(text(list(svc, "spec.ports")[0], "port"), "8000");
    let pool = find(&g.objs, "InferencePool", "llama2-7b-inference-pool");
    assert_eq!(pool_target_port(pool), "8000");
    let epp = find(&g.objs, "Deployment", "llama2-7b-epp");
    let args = strings(container(epp, "epp"), "args");
    assert!(
        args.windows(2)
            .any(|w| w == ["--pool-name", "llama2-7b-inference-pool"]),
        "{args:?}"
    );
    assert!(
        args.windows(2)
            .any(|w| w == ["--pool-namespace", "default"]),
        "{args:?}"
    );
});

golden!(golden_example_llama2_70b_pd, "example-llama2-70b-pd", |g| {
    let ms = "llama2-70b";
    check_spec(
        &g,
        &Expect {
            ms,
            namespace: "llm-d",
            model_name: "meta-llama/Llama-2-70b-hf",
            model_label: "meta-llama-llama-2-70b-hf",
            objects: &[
                ("ServiceAccount", "llama2-70b-sa"),
                ("ServiceAccount", "llama2-70b-epp-sa"),
                ("Role", "llama2-70b-epp-role"),
                ("RoleBinding", "llama2-70b-epp-rolebinding"),
                ("Service", "llama2-70b-service-decode"),
                ("Service", "llama2-70b-service-prefill"),
                ("Service", "llama2-70b-epp-service"),
                ("Deployment", "llama2-70b-decode"),
                ("Deployment", "llama2-70b-prefill"),
                ("Deployment", "llama2-70b-epp"),
                ("InferencePool", "llama2-70b-inference-pool"),
                ("HTTPRoute", "llama2-70b-http-route"),
            ],
            decouple_scaling: true,
        },
    );
    assert!(g.stderr.is_empty(), "warnings: {}", g.stderr);
    let decode = find(&g.objs, "Deployment", "llama2-70b-decode");
    let prefill = find(&g.objs, "Deployment", "llama2-70b-prefill");
    let epp = find(&g.objs, "Deployment", "llama2-70b-epp");
    // decoupleScaling: no replicas on prefill/decode; the EPP keeps its 3.
    assert!(at(decode, "spec.replicas").is_none());
    assert!(at(prefill, "spec.replicas").is_none());
    assert_eq!(text(epp, "spec.replicas"), "3");
    // acceleratorTypes -> required node affinity.
    let key = "nvidia.com/gpu.product".to_string();
    assert_eq!(
        node_affinity(prefill),
        vec![(key.clone(), "In".into(), strs(&["A100-80GB"]))]
    );
    assert_eq!(
        node_affinity(decode),
        vec![(key, "In".into(), strs(&["A10G"]))]
    );
    // ModelService args before the base's `--port`.
    assert_eq!(
        strings(container(prefill, "vllm"), "args"),
        strs(&[
            "/model-cache/models/llama2-70b",
            "--served-model-name",
            "meta-llama/Llama-2-70b-hf",
            "--tensor-parallel-size",
            "8",
            "--port",
            "8000",
        ])
    );
    // The pool targets app_port on every pod: prefill's vLLM and decode's
    // routing sidecar serve it; decode's vLLM sits behind on decode_port.
    let sidecar = &at(decode, "spec.template.spec.initContainers")
        .unwrap()
        .as_seq()
        .unwrap()[0];
    assert_eq!(
        strings(sidecar, "args"),
        strs(&["--port=8000", "--vllm-port=9001"])
    );
    assert_eq!(
        strings(container(decode, "vllm"), "args"),
        strs(&[
            "/model-cache/models/llama2-70b",
            "--served-model-name",
            "meta-llama/Llama-2-70b-hf",
            "--port",
            "9001",
        ])
    );
    // pvc:// -> a read-only claim, mounted read-only.
    for dep in [decode, prefill] {
        let vol = volume(dep, "model-storage").unwrap();
        assert_eq!(
            text(vol, "persistentVolumeClaim.claimName"),
            "llama2-70b-pvc"
        );
        assert_eq!(text(vol, "persistentVolumeClaim.readOnly"), "true");
        let vllm = container(dep, "vllm");
        let mount = mount_at(vllm, "/model-cache").expect("model mount");
        assert_eq!(text(mount, "name"), "model-storage");
        assert_eq!(text(mount, "readOnly"), "true");
        assert!(
            env(vllm, "HF_TOKEN").is_none() && env(vllm, "HF_HOME").is_none(),
            "no HF env for pvc://"
        );
    }
    let gpus = container(prefill, "vllm").get_path(&["resources", "limits", "nvidia.com/gpu"]);
    assert_eq!(gpus.and_then(Node::scalar_text).as_deref(), Some("8"));
    // The EPP learns the prefill Service and port from template variables.
    let epp_c = container(epp, "epp");
    assert_eq!(
        env_value(epp_c, "PREFILL_SERVICE").as_deref(),
        Some("llama2-70b-service-prefill")
    );
    assert_eq!(env_value(epp_c, "PREFILL_PORT").as_deref(), Some("9000"));
    assert_eq!(env_value(epp_c, "PD_ENABLED").as_deref(), Some("true"));
    let args = strings(epp_c, "args");
    assert!(
        args.windows(2)
            .any(|w| w == ["--poolName", "llama2-70b-inference-pool"]),
        "{args:?}"
    );
    assert!(
        args.windows(2).any(|w| w == ["--poolNamespace", "llm-d"]),
        "{args:?}"
    );
    // Services: decode on app_port (the sidecar); prefill on prefill_port,
    // forwarding to prefill's vLLM on app_port.
    for (role, port_no, target) in [("decode", "8000", "8000"), ("prefill", "9000", "8000")] {
        let svc = find(&g.objs, "Service", &format!("llama2-70b-service-{role}"));
        let port = list(svc, "spec.ports")[0];
        assert_eq!(
            (text(port, "port"), text(port, "targetPort")),
            (port_no.into(), target.into())
        );
    }
    let pool = find(&g.objs, "InferencePool", "llama2-70b-inference-pool");
    assert_eq!(text(list(pool, "spec.targetPorts")[0], "number"), "8000");
    // gatewayRefs become the HTTPRoute's parentRefs.
    let route = find(&g.objs, "HTTPRoute", "llama2-70b-http-route");
    assert_eq!(
        parent_refs(route),
        vec![label_map(&[
            ("name", "inference-gateway"),
            ("namespace", "gateways")
        ])]
    );
});

golden!(
    golden_example_opt_125m_nixl_pd,
    "example-opt-125m-nixl-pd",
    |g| {
        let ms = "opt-125m-nixl";
        check_spec(
            &g,
            &Expect {
                ms,
                namespace: "llm-d",
                model_name: "facebook/opt-125m",
                model_label: "facebook-opt-125m",
                objects: &[
                    ("ServiceAccount", "opt-125m-nixl-sa"),
                    ("ServiceAccount", "opt-125m-nixl-epp-sa"),
                    // The EPP's EndpointPickerConfig.
                    ("ConfigMap", "opt-125m-nixl-epp"),
                    ("Role", "opt-125m-nixl-epp-role"),
                    ("RoleBinding", "opt-125m-nixl-epp-rolebinding"),
                    ("Service", "opt-125m-nixl-epp-service"),
                    ("Deployment", "opt-125m-nixl-decode"),
                    ("Deployment", "opt-125m-nixl-prefill"),
                    ("Deployment", "opt-125m-nixl-epp"),
                    ("InferencePool", "opt-125m-nixl-inference-pool"),
                    ("HTTPRoute", "opt-125m-nixl-http-route"),
                ],
                decouple_scaling: false,
            },
        );
        assert!(g.stderr.is_empty(), "warnings: {}", g.stderr);
        let decode = find(&g.objs, "Deployment", "opt-125m-nixl-decode");
        let prefill = find(&g.objs, "Deployment", "opt-125m-nixl-prefill");
        assert_eq!(text(decode, "spec.replicas"), "2");
        assert_eq!(text(prefill, "spec.replicas"), "1");
        // The routing sidecar listens on app_port and forwards to decode_port.
        let proxy = container(decode, "routing-proxy");
        let proxy_args = strings(proxy, "args");
        assert!(
            proxy_args.contains(&"--port=8000".to_string()),
            "{proxy_args:?}"
        );
        assert!(
            proxy_args.contains(&"--vllm-port=8200".to_string()),
            "{proxy_args:?}"
        );
        let decode_args = strings(container(decode, "vllm"), "args");
        assert_eq!(
            decode_args[..4],
            strs(&["facebook/opt-125m", "--enforce-eager", "--port", "8200"])
        );
        let prefill_args = strings(container(prefill, "vllm"), "args");
        assert_eq!(
            prefill_args[..4],
            strs(&["facebook/opt-125m", "--enforce-eager", "--port", "8000"])
        );
        for dep in [decode, prefill] {
            let vol = volume(dep, "model-storage").unwrap();
            assert_eq!(text(vol, "emptyDir.sizeLimit"), "2Gi");
            let vllm = container(dep, "vllm");
            assert_eq!(env_value(vllm, "HF_HOME").as_deref(), Some("/model-cache"));
            assert!(
                env(vllm, "HF_TOKEN").is_none(),
                "no authSecretName, no HF_TOKEN"
            );
            assert!(node_affinity(dep).is_empty());
        }
        let epp = find(&g.objs, "Deployment", "opt-125m-nixl-epp");
        let epp_args = strings(container(epp, "epp"), "args");
        assert!(
            epp_args
                .windows(2)
                .any(|w| w == ["--config-file", "/config/pd-config.yaml"]),
            "{epp_args:?}"
        );
        let pool = find(&g.objs, "InferencePool", "opt-125m-nixl-inference-pool");
        assert_eq!(pool_target_port(pool), "8000");
    }
);

/// test/msvc.yaml over test/baseconfig.yaml, with either Inference
/// Extension API.
fn check_upstream_test_msvc(g: &Golden, v1alpha2: bool) {
    let ms = "busybox";
    check_spec(
        g,
        &Expect {
            ms,
            namespace: "default",
            model_name: "llama-2075",
            model_label: "llama-2075",
            objects: &[
                ("ServiceAccount", "busybox-sa"),
                ("ServiceAccount", "busybox-epp-sa"),
                ("Role", "busybox-epp-role"),
                ("RoleBinding", "busybox-epp-rolebinding"),
                // No prefill Service: the ModelService has no prefill.
                ("Service", "busybox-service-decode"),
                ("Service", "busybox-epp-service"),
                ("Deployment", "busybox-decode"),
                // The base names it `epp`; the naming table wins.
                ("Deployment", "busybox-epp"),
                ("InferencePool", "busybox-inference-pool"),
                ("InferenceModel", "busybox"),
                ("HTTPRoute", "busybox-http-route"),
            ][..]
                .iter()
                .copied()
                .filter(|(k, _)| v1alpha2 || *k != "InferenceModel")
                .collect::<Vec<_>>(),
            decouple_scaling: false,
        },
    );
    let decode = find(&g.objs, "Deployment", "busybox-decode");
    // The ModelService's replicas (1) win over the base's (2).
    assert_eq!(text(decode, "spec.replicas"), "1");
    assert_eq!(container_names(decode), strs(&["llm"]));
    let llm = container(decode, "llm");
    assert_eq!(
        strings(llm, "command"),
        strs(&["sleep"]),
        "base command kept"
    );
    assert_eq!(text(llm, "image"), "busybox");
    assert_eq!(strings(llm, "args"), strs(&["llama-2075"]));
    assert!(
        mount_at(llm, "/model-cache").is_none(),
        "llm has no mountModelVolume"
    );
    // The initContainer asked for the model: pvc mount, read-only.
    let proxy = container(decode, "proxy");
    assert_eq!(strings(proxy, "args"), strs(&["path/to/llama-2075"]));
    let mount = mount_at(proxy, "/model-cache").expect("proxy mounts the model");
    assert_eq!(text(mount, "name"), "model-storage");
    assert_eq!(text(mount, "readOnly"), "true");
    let vol = volume(decode, "model-storage").unwrap();
    assert_eq!(
        text(vol, "persistentVolumeClaim.claimName"),
        "llama-of-the-future"
    );
    assert_eq!(text(vol, "persistentVolumeClaim.readOnly"), "true");
    // The base's selector label stays, ours are added.
    let svc = find(&g.objs, "Service", "busybox-service-decode");
    let sel = labels_at(svc, "spec.selector");
    assert_eq!(
        sel.get("app.kubernetes.io/name").map(String::as_str),
        Some("decodeServiceLabelInBaseConfig")
    );
    let port = list(svc, "spec.ports")[0];
    assert_eq!(
        (text(port, "port"), text(port, "targetPort")),
        ("80".into(), "9376".into())
    );
    // EPP env merged by name, the ModelService winning.
    let epp = find(&g.objs, "Deployment", "busybox-epp");
    let epp_c = container(epp, "epp");
    assert_eq!(env_value(epp_c, "USE_STREAMING").as_deref(), Some("false"));
    assert_eq!(
        env_value(epp_c, "HF_TOKEN").as_deref(),
        Some("hello"),
        "the ModelService's own literal"
    );
    assert_eq!(list(epp_c, "env").len(), 2);
    // The sloppy `type:` beside `spec` is dropped, not moved.
    let epp_svc = find(&g.objs, "Service", "busybox-epp-service");
    assert!(
        epp_svc.get("type").is_none() && at(epp_svc, "spec.type").is_none(),
        "{}",
        show(epp_svc)
    );
    let pool = find(&g.objs, "InferencePool", "busybox-inference-pool");
    assert_eq!(pool_target_port(pool), "9376");
    if v1alpha2 {
        // The base's criticality stays; modelName and poolRef are ours.
        let model = find(&g.objs, "InferenceModel", "busybox");
        assert_eq!(text(model, "spec.criticality"), "Standard");
        assert_eq!(pool.api_version(), "inference.networking.x-k8s.io/v1alpha2");
    } else {
        assert_eq!(pool.api_version(), "inference.networking.k8s.io/v1");
    }
    // parentRefs merged by name: the gatewayRef's port 1112 beats the base's 12345.
    let route = find(&g.objs, "HTTPRoute", "busybox-http-route");
    assert_eq!(
        parent_refs(route),
        vec![label_map(&[
            ("name", "inference-gateway-name"),
            ("port", "1112")
        ])]
    );
    let backend = list(route, "spec.rules")
        .into_iter()
        .flat_map(|r| list(r, "backendRefs"))
        .next()
        .expect("a backendRef");
    assert_eq!(
        (text(backend, "name"), text(backend, "port")),
        ("busybox-inference-pool".into(), "9376".into())
    );
    // The warning names the data key, the field and its line.
    assert!(
        g.stderr
            .starts_with("warning: ../shared/upstream/operator/samples/test/baseconfig.yaml:106:"),
        "{}",
        g.stderr
    );
    assert!(
        g.stderr.contains("eppService") && g.stderr.contains("`type`"),
        "{}",
        g.stderr
    );
    if v1alpha2 {
        assert_eq!(g.stderr.lines().count(), 1, "{}", g.stderr);
    } else {
        // With the v1 API the base's inferenceModel is dropped, with a warning.
        assert_eq!(g.stderr.lines().count(), 2, "{}", g.stderr);
        assert!(
            g.stderr.contains("inferenceModel: not rendered"),
            "{}",
            g.stderr
        );
    }
}

golden!(golden_upstream_test_msvc, "upstream-test-msvc", |g| {
    check_upstream_test_msvc(&g, false);
});

golden!(
    golden_upstream_test_msvc_v1alpha2,
    "upstream-test-msvc-v1alpha2",
    |g| {
        check_upstream_test_msvc(&g, true);
    }
);

golden!(golden_upstream_test_msvc_hf, "upstream-test-msvc-hf", |g| {
    let ms = "busybox";
    check_spec(
        &g,
        &Expect {
            ms,
            namespace: "default",
            model_name: "ibm-granite/granite-3.3-2b-instruct",
            model_label: "ibm-granite-granite-3-3-2b-instruct",
            objects: &[
                ("ServiceAccount", "busybox-sa"),
                ("ServiceAccount", "busybox-epp-sa"),
                ("Role", "busybox-epp-role"),
                ("RoleBinding", "busybox-epp-rolebinding"),
                ("Service", "busybox-service-decode"),
                ("Service", "busybox-epp-service"),
                ("Deployment", "busybox-decode"),
                ("Deployment", "busybox-epp"),
                ("InferencePool", "busybox-inference-pool"),
                ("HTTPRoute", "busybox-http-route"),
            ],
            decouple_scaling: false,
        },
    );
    let decode = find(&g.objs, "Deployment", "busybox-decode");
    assert_eq!(text(decode, "spec.replicas"), "1");
    // The base's `llm` is merged; the new `sidecar` is appended.
    assert_eq!(container_names(decode), strs(&["llm", "sidecar"]));
    let llm = container(decode, "llm");
    assert_eq!(strings(llm, "command"), strs(&["sleep"]));
    assert_eq!(
        strings(llm, "args"),
        strs(&["ibm-granite/granite-3.3-2b-instruct", "/model-cache"])
    );
    assert_eq!(env_value(llm, "HF_HOME").as_deref(), Some("/model-cache"));
    let tok = env(llm, "HF_TOKEN").expect("HF_TOKEN from the secret");
    assert_eq!(text(tok, "valueFrom.secretKeyRef.name"), "hf-secret");
    assert_eq!(
        text(mount_at(llm, "/model-cache").unwrap(), "name"),
        "model-storage"
    );
    let sidecar = container(decode, "sidecar");
    assert_eq!(text(sidecar, "image"), "nginx");
    assert!(list(sidecar, "env").is_empty() && list(sidecar, "volumeMounts").is_empty());
    let vol = volume(decode, "model-storage").unwrap();
    assert_eq!(text(vol, "emptyDir.sizeLimit"), "5Gi");
    // No gatewayRefs: the base's parentRef as it is.
    let route = find(&g.objs, "HTTPRoute", "busybox-http-route");
    assert_eq!(
        parent_refs(route),
        vec![label_map(&[
            ("name", "inference-gateway-name"),
            ("port", "12345")
        ])]
    );
    let epp_c = container(find(&g.objs, "Deployment", "busybox-epp"), "epp");
    assert_eq!(env_value(epp_c, "USE_STREAMING").as_deref(), Some("true"));
    assert!(env(epp_c, "HF_TOKEN").is_none());
    assert!(
        g.stderr.contains("baseconfig.yaml:106:") && g.stderr.contains("eppService"),
        "{}",
        g.stderr
    );
});

golden!(golden_upstream_simple_model, "upstream-simple-model", |g| {
    let ms = "granite-base-model";
    check_spec(
        &g,
        &Expect {
            ms,
            namespace: "default",
            model_name: "ibm-granite/granite-3.3-2b-base",
            model_label: "ibm-granite-granite-3-3-2b-base",
            objects: &[
                ("ServiceAccount", "granite-base-model-sa"),
                ("Service", "granite-base-model-service-decode"),
                ("Deployment", "granite-base-model-decode"),
            ],
            decouple_scaling: false,
        },
    );
    assert!(g.stderr.is_empty(), "warnings: {}", g.stderr);
    let decode = find(&g.objs, "Deployment", "granite-base-model-decode");
    assert_eq!(text(decode, "spec.replicas"), "1");
    let vllm = container(decode, "vllm");
    assert_eq!(
        strings(vllm, "args"),
        strs(&["ibm-granite/granite-3.3-2b-base", "--port", "8000"])
    );
    // No mountModelVolume: the base's own cache stays, model-storage is added unmounted.
    assert_eq!(env_value(vllm, "HF_HOME").as_deref(), Some("/cache"));
    assert_eq!(
        text(mount_at(vllm, "/cache").unwrap(), "name"),
        "model-cache"
    );
    assert!(mount_at(vllm, "/model-cache").is_none());
    let volumes: Vec<String> = list(pod_spec(decode), "volumes")
        .iter()
        .map(|v| text(v, "name"))
        .collect();
    assert_eq!(volumes, strs(&["model-cache", "model-storage"]));
    assert!(at(volume(decode, "model-storage").unwrap(), "emptyDir").is_some());
    let svc = find(&g.objs, "Service", "granite-base-model-service-decode");
    assert_eq!(text(svc, "spec.clusterIP"), "None");
    assert_eq!(text(list(svc, "spec.ports")[0], "port"), "8000");
});

golden!(golden_upstream_nixl_xpyd, "upstream-nixl-xpyd", |g| {
    let ms = "facebook-opt-125m-nixl";
    check_spec(
        &g,
        &Expect {
            ms,
            namespace: "default",
            model_name: "facebook/opt-125m",
            model_label: "facebook-opt-125m",
            objects: &[
                ("ServiceAccount", "facebook-opt-125m-nixl-sa"),
                ("ServiceAccount", "facebook-opt-125m-nixl-epp-sa"),
                ("Role", "facebook-opt-125m-nixl-epp-role"),
                ("RoleBinding", "facebook-opt-125m-nixl-epp-rolebinding"),
                ("Service", "facebook-opt-125m-nixl-epp-service"),
                ("Deployment", "facebook-opt-125m-nixl-decode"),
                ("Deployment", "facebook-opt-125m-nixl-prefill"),
                ("Deployment", "facebook-opt-125m-nixl-epp"),
                ("InferencePool", "facebook-opt-125m-nixl-inference-pool"),
                ("HTTPRoute", "facebook-opt-125m-nixl-http-route"),
            ],
            decouple_scaling: false,
        },
    );
    let decode = find(&g.objs, "Deployment", "facebook-opt-125m-nixl-decode");
    let prefill = find(&g.objs, "Deployment", "facebook-opt-125m-nixl-prefill");
    assert_eq!(text(decode, "spec.replicas"), "1");
    assert_eq!(text(prefill, "spec.replicas"), "1");
    assert_eq!(
        strings(container(decode, "routing-proxy"), "args"),
        strs(&[
            "--port=8000",
            "--vllm-port=8200",
            "--connector=nixlv2",
            "-v=6"
        ])
    );
    let decode_args = strings(container(decode, "vllm"), "args");
    assert_eq!(
        decode_args[..3],
        strs(&["facebook/opt-125m", "--port", "8200"])
    );
    let prefill_args = strings(container(prefill, "vllm"), "args");
    assert_eq!(
        prefill_args[..3],
        strs(&["facebook/opt-125m", "--port", "8000"])
    );
    assert_eq!(decode_args.len(), 6);
    // No size in the ModelService: the base's sizeLimit stays.
    for dep in [decode, prefill] {
        let vol = volume(dep, "model-storage").unwrap();
        assert_eq!(text(vol, "emptyDir.sizeLimit"), "20Gi");
    }
    let epp_args = strings(
        container(
            find(&g.objs, "Deployment", "facebook-opt-125m-nixl-epp"),
            "epp",
        ),
        "args",
    );
    assert!(
        epp_args
            .windows(2)
            .any(|w| w == ["-poolName", "facebook-opt-125m-nixl-inference-pool"])
    );
    assert!(
        epp_args
            .windows(2)
            .any(|w| w == ["-poolNamespace", "default"])
    );
    let route = find(&g.objs, "HTTPRoute", "facebook-opt-125m-nixl-http-route");
    assert!(
        parent_refs(route).is_empty(),
        "neither the base nor the ModelService names a gateway"
    );
    // The base repeats `imagePullPolicy: Always` in routing-proxy: a warning, not an error.
    assert!(
        g.stderr.starts_with(
            "warning: ../shared/upstream/operator/samples/nixl-xpyd/universal-baseconfig-hf.yaml:"
        ),
        "{}",
        g.stderr
    );
    assert!(g.stderr.contains("imagePullPolicy"), "{}", g.stderr);
    assert!(
        g.stderr.contains("inferenceModel: not rendered"),
        "{}",
        g.stderr
    );
    assert_eq!(g.stderr.lines().count(), 2, "{}", g.stderr);
});

golden!(
    golden_example_granite_autoscaled,
    "example-granite-autoscaled",
    |g| {
        let ms = "granite-3-8b";
        check_spec(
            &g,
            &Expect {
                ms,
                namespace: "llm-d",
                model_name: "ibm-granite/granite-3.3-8b-instruct",
                model_label: "ibm-granite-granite-3-3-8b-instruct",
                objects: &[
                    ("ServiceAccount", "granite-3-8b-sa"),
                    ("ServiceAccount", "granite-3-8b-epp-sa"),
                    // The EPP's EndpointPickerConfig.
                    ("ConfigMap", "granite-3-8b-epp"),
                    ("Role", "granite-3-8b-epp-role"),
                    ("RoleBinding", "granite-3-8b-epp-rolebinding"),
                    ("Service", "granite-3-8b-service-decode"),
                    ("Service", "granite-3-8b-epp-service"),
                    ("Deployment", "granite-3-8b-decode"),
                    ("Deployment", "granite-3-8b-epp"),
                    ("HorizontalPodAutoscaler", "granite-3-8b-decode"),
                    ("PodDisruptionBudget", "granite-3-8b-decode"),
                    ("InferencePool", "granite-3-8b-inference-pool"),
                    ("HTTPRoute", "granite-3-8b-http-route"),
                ],
                decouple_scaling: false,
            },
        );
        assert!(g.stderr.is_empty(), "warnings: {}", g.stderr);
        let decode = find(&g.objs, "Deployment", "granite-3-8b-decode");
        // The HPA owns the replica count.
        assert!(at(decode, "spec.replicas").is_none(), "{}", show(decode));
        let hpa = find(&g.objs, "HorizontalPodAutoscaler", "granite-3-8b-decode");
        assert_eq!(text(hpa, "spec.minReplicas"), "2");
        assert_eq!(text(hpa, "spec.maxReplicas"), "10");
        let metric = list(hpa, "spec.metrics")[0];
        assert_eq!(text(metric, "type"), "Pods");
        assert_eq!(
            text(metric, "pods.metric.name"),
            "vllm:num_requests_waiting"
        );
        assert_eq!(text(metric, "pods.target.averageValue"), "5");
        assert_eq!(
            text(hpa, "spec.behavior.scaleDown.stabilizationWindowSeconds"),
            "300"
        );
        let pdb = find(&g.objs, "PodDisruptionBudget", "granite-3-8b-decode");
        assert_eq!(text(pdb, "spec.maxUnavailable"), "1");
        let vllm = container(decode, "vllm");
        assert_eq!(
            strings(vllm, "args"),
            strs(&["ibm-granite/granite-3.3-8b-instruct", "--port", "8000"])
        );
        assert!(
            env(vllm, "HF_TOKEN").is_none(),
            "no authSecretName, no HF_TOKEN"
        );
        assert_eq!(
            text(
                volume(decode, "model-storage").unwrap(),
                "emptyDir.sizeLimit"
            ),
            "40Gi"
        );
    }
);

// ---------------------------------------------------------------------------
// The case list itself
// ---------------------------------------------------------------------------

/// Every folder under tests/golden is a listed case, and the reverse.
#[test]
fn golden_cases_match_the_folders() {
    let mut dirs: Vec<String> = std::fs::read_dir(golden_dir())
        .expect("tests/golden")
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let mut cases: Vec<String> = CASES.iter().map(|s| s.to_string()).collect();
    cases.sort();
    assert_eq!(dirs, cases);
    for case in CASES {
        assert!(golden_dir().join(case).join("cmd").is_file(), "{case}/cmd");
    }
}

/// Every file in examples/ has a snapshot: here, a case `example-<stem>`
/// that renders it alone; examples on built-in presets are tests/presets.rs's
/// (its `example_header_commands_are_cases` holds them to the same rule).
#[test]
fn every_example_has_a_golden_case() {
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(crate_root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            continue;
        }
        if uses_builtin_presets(&read(&path)) {
            continue;
        }
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let case = format!("example-{stem}");
        let want = vec!["render".to_string(), format!("examples/{file}")];
        if !CASES.contains(&case.as_str()) || read_cmd(&golden_dir().join(&case)) != want {
            missing.push(case);
        }
    }
    assert!(
        missing.is_empty(),
        "examples without a golden case: {missing:?}"
    );
}

/// The token value never appears: only the secret's name and key.
#[test]
fn golden_outputs_reference_secrets_only() {
    for case in CASES {
        let path = golden_dir().join(case).join("expected.yaml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for obj in parse(&text) {
            if obj.kind() == "Secret" {
                panic!("{case}: emits a Secret");
            }
        }
    }
}

golden!(golden_controller_migration, "controller-migration", |g| {
    // `generate -m -b`: the -b file answers a reference to another name.
    assert!(
        g.stderr.contains("names BaseConfig `llama-base`, which is not among the inputs; the -b file's BaseConfig `base-config`"),
        "{}",
        g.stderr
    );
    // Dotted names sanitized; the InferenceModel keeps the name.
    let hf = find(&g.objs, "Deployment", "llama-3-1-8b-decode");
    find(&g.objs, "Service", "llama-3-1-8b-service-decode");
    find(&g.objs, "InferenceModel", "llama-3.1-8b");
    let pool = find(&g.objs, "InferencePool", "llama-3-1-8b-inference-pool");
    assert_eq!(
        text(pool, "spec.extensionRef.name"),
        "llama-3-1-8b-epp-service"
    );
    // HF_HOME is the mounted cache, over the BaseConfig's.
    let vllm = container(hf, "vllm");
    assert_eq!(env_value(vllm, "HF_HOME").as_deref(), Some("/model-cache"));
    // The claim's root.
    let local = find(&g.objs, "Deployment", "llama-3-1-8b-local-decode");
    let vllm = container(local, "vllm");
    assert_eq!(strings(vllm, "args")[0], "/model-cache/");
    assert_eq!(
        text(
            volume(local, "model-storage").unwrap(),
            "persistentVolumeClaim.claimName"
        ),
        "llama-weights"
    );
    // The shared ConfigMap once.
    assert_eq!(all(&g.objs, "ConfigMap").len(), 1);
    for obj in &g.objs {
        assert_eq!(obj.namespace(), Some("llm-d"), "{}", obj.name());
    }
});
