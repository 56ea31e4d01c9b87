//! The Argo CD Config Management Plugin (`integrations/argocd/`), run the
//! way Argo CD's cmp-server runs it: the `discover` and `generate` commands
//! of plugin.yaml, exactly as written there, with the application's path as
//! working directory, stdin closed, and Argo CD's environment
//! (`ARGOCD_APP_NAME`, `ARGOCD_APP_NAMESPACE`, `ARGOCD_ENV_*`, `PARAM_*`).
//! The repo-server sidecar patch is applied with the real kubectl's
//! kustomize. The parts that need kubectl or `../shared` skip without it
//! (see `tests/common/gate.rs`).

mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use msvc::objects::ObjectExt;
use msvc::yaml::{Node, Origin, parse_one};
use tools::*;

fn argocd_dir() -> PathBuf {
    root().join("integrations/argocd")
}

fn plugin() -> Node {
    let text = read(&argocd_dir().join("plugin.yaml"));
    parse_one(&text, &Origin::file("plugin.yaml")).expect("plugin.yaml is YAML")
}

fn strings(node: Option<&Node>) -> Vec<String> {
    node.and_then(Node::as_seq)
        .map(|s| {
            s.iter()
                .map(|n| n.as_str().expect("a string").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// `command` + `args` of plugin.yaml at `path` (generate, discover.find).
fn command(path: &[&str]) -> Vec<String> {
    let p = plugin();
    let node = p
        .get_path(path)
        .unwrap_or_else(|| panic!("{path:?} in plugin.yaml"));
    let mut cmd = strings(node.get("command"));
    cmd.extend(strings(node.get("args")));
    assert!(!cmd.is_empty(), "{path:?} has a command");
    cmd
}

/// PATH with msvc's directory first, as in the sidecar image.
fn path_with_msvc() -> std::ffi::OsString {
    let dir = msvc().parent().unwrap().to_path_buf();
    let mut dirs = vec![dir];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

/// Runs a plugin command as the cmp-server does: in `app`, stdin closed,
/// nothing but PATH, HOME and `env` in the environment.
fn argo(cmd: &[String], app: &Path, env: &[(&str, &str)]) -> Run {
    let mut c = Command::new(&cmd[0]);
    c.args(&cmd[1..])
        .current_dir(app)
        .env_clear()
        .env("PATH", path_with_msvc())
        .env("HOME", app)
        .stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    run(&mut c)
}

fn generate(app: &Path, env: &[(&str, &str)]) -> Run {
    argo(&command(&["spec", "generate"]), app, env)
}

fn discover(app: &Path) -> Run {
    argo(&command(&["spec", "discover", "find"]), app, &[])
}

/// An application directory: two ModelServices (one names its namespace),
/// the way a Git repository path holds them.
fn app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("llama2-7b.msvc.yaml", &example("llama2-7b.yaml")),
            ("opt.msvc.yaml", &example("opt-125m-nixl-pd.yaml")),
            // Argo CD's own file and Git's directory are not inputs.
            (".argocd-source-llama.yaml", "not: [valid"),
            (".git/config.yaml", "not: [valid"),
        ],
    );
    dir
}

fn base_env<'a>() -> Vec<(&'a str, &'a str)> {
    vec![
        ("ARGOCD_APP_NAME", "models"),
        ("ARGOCD_APP_NAMESPACE", "argo-dest"),
        ("ARGOCD_APP_REVISION", "0123456789abcdef"),
        ("ARGOCD_APP_SOURCE_PATH", "models"),
        ("KUBE_VERSION", "1.33.0"),
    ]
}

/// A valid stream: every document a Kubernetes object with apiVersion,
/// kind, metadata.name and a namespace.
#[track_caller]
fn objects(stdout: &str) -> Vec<Node> {
    assert!(stdout.starts_with("---\n"), "a YAML stream: {stdout}");
    let objs = docs(stdout);
    assert!(!objs.is_empty());
    for o in &objs {
        assert!(!o.api_version().is_empty() && !o.kind().is_empty() && !o.name().is_empty());
        assert!(
            o.namespace().is_some(),
            "{}/{} has a namespace",
            o.kind(),
            o.name()
        );
    }
    objs
}

#[test]
fn generate_renders_the_app_path() {
    let app = app();
    let r = generate(app.path(), &base_env());
    r.expect_ok("generate");
    assert_eq!(r.stderr, "");
    let objs = objects(&r.stdout);
    // The ModelService without a namespace lands in the destination
    // namespace; the one that names its own keeps it.
    for o in &objs {
        let want = if o.name().starts_with("llama2-7b") {
            "argo-dest"
        } else {
            "llm-d"
        };
        assert_eq!(o.namespace(), Some(want), "{}/{}", o.kind(), o.name());
    }
    find(&objs, "Deployment", "llama2-7b-decode");
    find(&objs, "Deployment", "opt-125m-nixl-prefill");
    // Byte for byte what msvc render gives with the same settings.
    let direct = msvc_in(
        app.path(),
        &["render", ".", "--default-namespace", "argo-dest"],
    );
    direct.expect_ok("msvc render");
    assert_eq!(r.stdout, direct.stdout);
}

#[test]
fn generate_without_argo_namespace_uses_default() {
    let app = app();
    let r = generate(app.path(), &[("ARGOCD_APP_NAME", "models")]);
    r.expect_ok("generate");
    let objs = objects(&r.stdout);
    assert_eq!(
        find(&objs, "Deployment", "llama2-7b-decode").namespace(),
        Some("default")
    );
}

#[test]
fn generate_takes_env_and_parameters() {
    let app = app();
    let mut env = base_env();
    env.extend([
        ("ARGOCD_ENV_EPP_CLUSTER_ROLE", "pod-read"),
        ("ARGOCD_ENV_GIE_API", "v1alpha2"),
        ("PARAM_PD_PULL_SECRETS", "ghcr, nvcr"),
        ("PARAM_EPP_PULL_SECRETS", "ghcr"),
        // A parameter loses to the env entry of the same setting.
        ("PARAM_GIE_API", "v1"),
        ("ARGOCD_ENV_NAMESPACE", "everything-here"),
    ]);
    let r = generate(app.path(), &env);
    r.expect_ok("generate");
    let objs = objects(&r.stdout);
    assert!(
        objs.iter()
            .all(|o| o.namespace() == Some("everything-here"))
    );
    let binding = find(&objs, "RoleBinding", "llama2-7b-epp-rolebinding");
    assert_eq!(str_at(binding, &["roleRef", "kind"]), Some("ClusterRole"));
    assert_eq!(str_at(binding, &["roleRef", "name"]), Some("pod-read"));
    assert_eq!(
        find(&objs, "InferencePool", "llama2-7b-inference-pool").api_version(),
        "inference.networking.x-k8s.io/v1alpha2"
    );
    let sa = find(&objs, "ServiceAccount", "llama2-7b-sa");
    let secrets: Vec<&str> = sa
        .get("imagePullSecrets")
        .and_then(Node::as_seq)
        .unwrap()
        .iter()
        .filter_map(|s| s.get("name").and_then(Node::as_str))
        .collect();
    assert_eq!(secrets, ["ghcr", "nvcr"]);
    let direct = msvc_in(
        app.path(),
        &[
            "render",
            ".",
            "--default-namespace",
            "argo-dest",
            "--namespace",
            "everything-here",
            "--epp-cluster-role",
            "pod-read",
            "--pd-pull-secrets",
            "ghcr,nvcr",
            "--epp-pull-secrets",
            "ghcr",
            "--gie-api",
            "v1alpha2",
        ],
    );
    direct.expect_ok("msvc render");
    assert_eq!(r.stdout, direct.stdout);
}

#[test]
fn generate_presets_and_baseconfig_files() {
    let dir = tempfile::tempdir().unwrap();
    let no_ref = example("opt-125m-nixl-pd.yaml").replacen(
        "  baseConfigMapRef:\n    name: vllm-pd-nixl\n",
        "",
        1,
    );
    write_files(dir.path(), &[("opt.msvc.yaml", &no_ref)]);
    let mut env = base_env();
    env.push(("ARGOCD_ENV_PRESET", "nvidia, vllm-pd-nixl"));
    let r = generate(dir.path(), &env);
    r.expect_ok("generate");
    let direct = msvc_in(
        dir.path(),
        &[
            "render",
            ".",
            "--preset",
            "nvidia",
            "--preset",
            "vllm-pd-nixl",
        ],
    );
    direct.expect_ok("render");
    assert_eq!(r.stdout, direct.stdout);

    // BaseConfigs in the app path are inputs: a ModelService names its own.
    let Some(samples) = require_shared("upstream/operator/samples/simple-model") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("granite.msvc.yaml", &read(&samples.join("granite3.2.yaml"))),
            (
                "bases/simple.yaml",
                &read(&samples.join("simple-baseconfig.yaml")),
            ),
        ],
    );
    let r = generate(dir.path(), &base_env());
    r.expect_ok("generate");
    let direct = msvc_in(
        dir.path(),
        &["render", ".", "--default-namespace", "argo-dest"],
    );
    assert_eq!(r.stdout, direct.stdout);
    assert!(docs(&r.stdout).iter().any(|o| o.kind() == "Deployment"));
}

/// The plugin runs `msvc render .`: a ModelService's own annotations count
/// there as under kustomize, and a setting that contradicts one fails.
#[test]
fn generate_honours_model_service_annotations() {
    let no_ref = example("opt-125m-nixl-pd.yaml").replacen(
        "  baseConfigMapRef:\n    name: vllm-pd-nixl\n",
        "",
        1,
    );
    let plain = tempfile::tempdir().unwrap();
    write_files(plain.path(), &[("opt.msvc.yaml", &no_ref)]);
    let mut env = base_env();
    env.push(("ARGOCD_ENV_PRESET", "vllm-pd-nixl"));
    let by_setting = generate(plain.path(), &env);
    by_setting.expect_ok("generate with PRESET");

    let annotated = no_ref.replacen(
        "metadata:\n",
        "metadata:\n  annotations:\n    msvc.llm-d.ai/preset: vllm-pd-nixl\n",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("opt.msvc.yaml", &annotated)]);
    let by_annotation = generate(dir.path(), &base_env());
    by_annotation.expect_ok("generate with the annotation");
    assert_eq!(by_annotation.stdout, by_setting.stdout);

    let mut env = base_env();
    env.push(("ARGOCD_ENV_PRESET", "vllm-hf"));
    let r = generate(dir.path(), &env);
    assert!(!r.ok(), "{}", r.stdout);
    assert!(
        r.stderr.contains(
            "annotation `msvc.llm-d.ai/preset: vllm-pd-nixl` conflicts with `--preset vllm-hf`"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn generate_fails_loudly_with_the_app_name() {
    let app = app();
    let mut env = base_env();
    env.push(("ARGOCD_ENV_PRESET", "no-such-preset"));
    let r = generate(app.path(), &env);
    assert!(!r.ok());
    assert_eq!(r.stdout, "", "nothing on stdout when it fails");
    assert!(
        r.stderr.contains("unknown preset `no-such-preset`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("Argo CD application models"),
        "{}",
        r.stderr
    );

    let mut env = base_env();
    env.push(("ARGOCD_ENV_STRICT", "true"));
    let dir = tempfile::tempdir().unwrap();
    // The upstream test sample has a BaseConfig field msvc drops with a warning.
    let Some(samples) = require_shared("upstream/operator/samples/test") else {
        return;
    };
    write_files(
        dir.path(),
        &[
            ("msvc.yaml", &read(&samples.join("msvc.yaml"))),
            ("baseconfig.yaml", &read(&samples.join("baseconfig.yaml"))),
        ],
    );
    let r = generate(dir.path(), &env);
    assert!(!r.ok(), "strict turns the warning into an error");
    let r = generate(dir.path(), &base_env());
    r.expect_ok("not strict");
}

#[test]
fn discover_finds_model_services() {
    // *.msvc.yaml
    let a = app();
    let r = discover(a.path());
    assert!(r.ok() && !r.stdout.trim().is_empty(), "{r:?}");
    // A plain YAML file holding a ModelService, below a subdirectory.
    let b = tempfile::tempdir().unwrap();
    write_files(
        b.path(),
        &[("models/llama.yaml", &example("llama2-7b.yaml"))],
    );
    let r = discover(b.path());
    assert_eq!(r.stdout.trim(), "./models/llama.yaml", "{r:?}");
    // Nothing of ours: not discovered (no output, non-zero).
    let c = tempfile::tempdir().unwrap();
    write_files(
        c.path(),
        &[
            (
                "deploy.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n",
            ),
            (".hidden/m.msvc.yaml", &example("llama2-7b.yaml")),
            (".hidden/m.yaml", &example("llama2-7b.yaml")),
            ("notes.md", "kind: ModelService\n"),
        ],
    );
    let r = discover(c.path());
    assert!(!r.ok() && r.stdout.trim().is_empty(), "{r:?}");
}

#[test]
fn application_example_names_the_plugin() {
    let p = plugin();
    assert_eq!(p.kind(), "ConfigManagementPlugin");
    assert_eq!(p.api_version(), "argoproj.io/v1alpha1");
    let name = format!("{}-{}", p.name(), str_at(&p, &["spec", "version"]).unwrap());
    let app = parse_one(
        &read(&argocd_dir().join("application.yaml")),
        &Origin::file("application.yaml"),
    )
    .unwrap();
    assert_eq!(
        str_at(&app, &["spec", "source", "plugin", "name"]),
        Some(name.as_str())
    );
    // Every parameter the application sets is declared, and generate reads it.
    let declared: Vec<String> = p
        .get_path(&["spec", "parameters", "static"])
        .and_then(Node::as_seq)
        .unwrap()
        .iter()
        .map(|s| str_at(s, &["name"]).unwrap().to_string())
        .collect();
    let script = command(&["spec", "generate"]).join(" ");
    for d in &declared {
        let var = d.to_ascii_uppercase().replace('-', "_");
        assert!(
            script.contains(&format!("setting {var}")),
            "generate reads {d}"
        );
    }
    for param in app
        .get_path(&["spec", "source", "plugin", "parameters"])
        .and_then(Node::as_seq)
        .unwrap()
    {
        let n = str_at(param, &["name"]).unwrap();
        assert!(declared.iter().any(|d| d == n), "{n} is declared");
    }
}

/// The patch puts the sidecar into a repo-server Deployment shaped like
/// Argo CD's, with kustomize doing the merge.
#[test]
fn repo_server_patch_applies_with_kustomize() {
    if require_kubectl().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo_server = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: argocd-repo-server\nspec:\n  selector:\n    matchLabels: {app.kubernetes.io/name: argocd-repo-server}\n  template:\n    metadata:\n      labels: {app.kubernetes.io/name: argocd-repo-server}\n    spec:\n      containers:\n      - name: argocd-repo-server\n        image: quay.io/argoproj/argocd:v2.14.0\n        volumeMounts:\n        - {name: var-files, mountPath: /var/run/argocd}\n        - {name: plugins, mountPath: /home/argocd/cmp-server/plugins}\n      volumes:\n      - {name: var-files, emptyDir: {}}\n      - {name: plugins, emptyDir: {}}\n";
    write_files(
        dir.path(),
        &[
            ("repo-server.yaml", repo_server),
            ("plugin.yaml", &read(&argocd_dir().join("plugin.yaml"))),
            (
                "repo-server-patch.yaml",
                &read(&argocd_dir().join("repo-server-patch.yaml")),
            ),
            (
                "kustomization.yaml",
                "namespace: argocd\nresources:\n  - repo-server.yaml\nconfigMapGenerator:\n  - name: msvc-cmp-plugin\n    files: [plugin.yaml]\n    options: {disableNameSuffixHash: true}\npatches:\n  - path: repo-server-patch.yaml\n",
            ),
        ],
    );
    let r = run(Command::new(kubectl())
        .arg("kustomize")
        .arg(dir.path())
        .stdin(Stdio::null()));
    r.expect_ok("kubectl kustomize");
    let objs = docs(&r.stdout);
    let cm = find(&objs, "ConfigMap", "msvc-cmp-plugin");
    assert_eq!(
        str_at(cm, &["data", "plugin.yaml"]),
        Some(read(&argocd_dir().join("plugin.yaml")).as_str())
    );
    let dep = find(&objs, "Deployment", "argocd-repo-server");
    let spec = dep.get_path(&["spec", "template", "spec"]).unwrap();
    let containers = spec.get("containers").and_then(Node::as_seq).unwrap();
    assert_eq!(containers.len(), 2);
    let sidecar = containers
        .iter()
        .find(|c| str_at(c, &["name"]) == Some("msvc-cmp"))
        .expect("the sidecar");
    assert_eq!(
        strings(sidecar.get("command")),
        ["/var/run/argocd/argocd-cmp-server"]
    );
    let volumes: Vec<&str> = spec
        .get("volumes")
        .and_then(Node::as_seq)
        .unwrap()
        .iter()
        .filter_map(|v| str_at(v, &["name"]))
        .collect();
    for m in sidecar.get("volumeMounts").and_then(Node::as_seq).unwrap() {
        let name = str_at(m, &["name"]).unwrap();
        assert!(volumes.contains(&name), "volume {name} exists: {volumes:?}");
    }
    let config = sidecar
        .get("volumeMounts")
        .and_then(Node::as_seq)
        .unwrap()
        .iter()
        .find(|m| str_at(m, &["name"]) == Some("msvc-cmp-plugin"))
        .unwrap();
    assert_eq!(
        str_at(config, &["mountPath"]),
        Some("/home/argocd/cmp-server/config/plugin.yaml")
    );
    assert_eq!(str_at(config, &["subPath"]), Some("plugin.yaml"));
    assert_eq!(
        sidecar
            .get_path(&["securityContext", "runAsUser"])
            .and_then(Node::as_i64),
        Some(999)
    );
}
