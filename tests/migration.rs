//! Migrating off the ModelService controller (issue 15): inputs the
//! controller accepted render as it rendered them, through the binary.
//! Each test is one row of the README's migration table ("Render as the
//! controller did"); the controller's behaviour is read from its source
//! (llm-d/llm-d-model-service, `internal/controller/`).

mod common;

use common::*;
use msvc::objects::ObjectExt;
use msvc::yaml::Node;

macro_rules! msvctest {
    ($(#[$meta:meta])* $name:ident, |$dir:ident| $body:block) => {
        #[test]
        $(#[$meta])*
        fn $name() {
            let sandbox = Sandbox::new(stringify!($name));
            let $dir = &sandbox;
            $body
        }
    };
}

/// A BaseConfig `base` with decode and prefill (the model server setting
/// its own `HF_HOME` and `HF_TOKEN`), their Services, an EPP and the
/// routing objects; `NS` is replaced by a `namespace:` line or nothing.
const BASE: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: base
NS
data:
  decodeDeployment: |
    spec:
      template:
        spec:
          containers:
            - name: vllm
              image: vllm:IMAGE
              args: ["--port", "8000", "--model-path={{ .MountedModelPath }}", "--path={{ .ModelPath }}", "--label={{ .SanitizedModelName }}", "--hf={{ .HFModelName }}"]
              env:
                - name: HF_HOME
                  value: /root/.cache/huggingface
                - name: HF_TOKEN
                  value: not-a-secret
                - name: KEEP
                  value: "1"
  prefillDeployment: |
    spec:
      template:
        spec:
          containers:
            - name: vllm
              image: vllm:IMAGE
              args: ["--model-path={{ .MountedModelPath }}", "--path={{ .ModelPath }}", "--hf={{ .HFModelName }}"]
  decodeService: |
    spec:
      ports:
        - port: 8000
  prefillService: |
    spec:
      ports:
        - port: 8000
  eppDeployment: |
    spec:
      template:
        spec:
          containers:
            - name: epp
              image: epp:v1
              args: ["--decode", "{{ .DecodeServiceName }}", "--pool", "{{ .InferencePoolName }}"]
  eppService: |
    spec:
      ports:
        - port: 9002
  inferencePool: |
    spec:
      targetPortNumber: 8000
  httpRoute: |
    spec:
      parentRefs:
        - name: gw
"#;

fn base(ns: Option<&str>, image: &str) -> String {
    let ns = ns.map_or(String::new(), |n| format!("  namespace: {n}"));
    BASE.replace("NS\n", &if ns.is_empty() { ns } else { ns + "\n" })
        .replace("IMAGE", image)
}

/// A BaseConfig `base` with only a decode Deployment.
const DECODE_ONLY: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\ndata:\n  decodeDeployment: |\n    spec:\n      template:\n        spec:\n          containers:\n            - name: vllm\n              image: vllm:v1\n              args: [\"{{ .MountedModelPath }}\", \"{{ .ModelPath }}\", \"{{ .HFModelName }}\"]\n";

/// A ModelService `NAME` over BaseConfig `base` serving `MODEL` from `URI`,
/// with decode (mounting the model) and prefill.
const MS: &str = r#"apiVersion: llm-d.ai/v1alpha1
kind: ModelService
metadata:
  name: NAME
spec:
  baseConfigMapRef:
    name: base
  routing:
    modelName: MODEL
  modelArtifacts:
    uri: URI
    authSecretName: hf-secret
  decode:
    replicas: 1
    containers:
      - name: vllm
        mountModelVolume: true
  prefill:
    replicas: 1
"#;

fn ms(name: &str, model: &str, uri: &str) -> String {
    MS.replace("NAME", name)
        .replace("MODEL", model)
        .replace("URI", uri)
}

/// `ms` placed in a namespace.
fn in_namespace(ms: &str, ns: &str) -> String {
    ms.replacen("metadata:\n", &format!("metadata:\n  namespace: {ns}\n"), 1)
}

fn warnings(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect()
}

fn decode_vllm(objs: &[Node], ms: &str) -> Node {
    let dep = find(objs, "Deployment", &format!("{ms}-decode"));
    container(dep, "vllm").clone()
}

msvctest!(hf_home_is_the_model_cache_over_the_base_configs, |dir| {
    dir.write("base.yaml", &base(None, "v1"));
    dir.write("ms.yaml", &ms("llama", "org/llama", "hf://org/llama"));
    let run = dir.run(&["render", "ms.yaml", "base.yaml"]);
    let objs = run.objects();
    let vllm = decode_vllm(&objs, "llama");
    // The controller's env went over the BaseConfig's: the model is cached
    // in the mounted volume, and the token comes from the Secret alone
    // (an entry with both `value` and `valueFrom` is refused by the API).
    assert_eq!(env_value(&vllm, "HF_HOME").as_deref(), Some("/model-cache"));
    let token = env(&vllm, "HF_TOKEN").expect("HF_TOKEN");
    assert!(token.get("value").is_none(), "{}", show(token));
    assert_eq!(
        text(token, "valueFrom.secretKeyRef.name"),
        "hf-secret",
        "{}",
        show(token)
    );
    // In the BaseConfig's order; other entries stay.
    let names: Vec<String> = list(&vllm, "env").iter().map(|e| text(e, "name")).collect();
    assert_eq!(names, ["HF_HOME", "HF_TOKEN", "KEEP"]);
    assert!(warnings(&run).is_empty(), "{}", run.stderr);

    // The ModelService's own entry is the user's word on it.
    let own = ms("llama", "org/llama", "hf://org/llama").replace(
        "        mountModelVolume: true\n",
        "        mountModelVolume: true\n        env:\n          - name: HF_HOME\n            value: /scratch\n",
    );
    dir.write("ms.yaml", &own);
    let objs = dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
    let vllm = decode_vllm(&objs, "llama");
    assert_eq!(env_value(&vllm, "HF_HOME").as_deref(), Some("/scratch"));
});

msvctest!(
    dotted_names_render_sanitized_and_the_inference_model_keeps_the_name,
    |dir| {
        let with_model = format!(
            "{}  inferenceModel: |\n    spec:\n      criticality: Critical\n",
            base(None, "v1")
        );
        dir.write("base.yaml", &with_model);
        dir.write(
            "ms.yaml",
            &ms(
                "llama-3.1-8b",
                "meta-llama/Llama-3.1-8B",
                "hf://meta-llama/Llama-3.1-8B",
            ),
        );
        let run = dir.run(&["render", "ms.yaml", "base.yaml", "--gie-api", "v1alpha2"]);
        let objs = run.objects();
        assert!(warnings(&run).is_empty(), "{}", run.stderr);
        for (kind, name) in [
            ("ServiceAccount", "llama-3-1-8b-sa"),
            ("ServiceAccount", "llama-3-1-8b-epp-sa"),
            ("Role", "llama-3-1-8b-epp-role"),
            ("RoleBinding", "llama-3-1-8b-epp-rolebinding"),
            ("Service", "llama-3-1-8b-service-decode"),
            ("Service", "llama-3-1-8b-service-prefill"),
            ("Service", "llama-3-1-8b-epp-service"),
            ("Deployment", "llama-3-1-8b-decode"),
            ("Deployment", "llama-3-1-8b-prefill"),
            ("Deployment", "llama-3-1-8b-epp"),
            ("InferencePool", "llama-3-1-8b-inference-pool"),
            ("HTTPRoute", "llama-3-1-8b-http-route"),
            // The controller named the InferenceModel after the ModelService.
            ("InferenceModel", "llama-3.1-8b"),
        ] {
            let obj = find(&objs, kind, name);
            assert_eq!(
                labels_at(obj, "metadata.labels")
                    .get("llm-d.ai/model-service")
                    .map(String::as_str),
                Some("llama-3.1-8b"),
                "{kind} {name}"
            );
        }
        assert_eq!(objs.len(), 13, "{:?}", kinds_and_names(&objs));
        // Templates see the sanitized names.
        let epp = find(&objs, "Deployment", "llama-3-1-8b-epp");
        assert_eq!(
            strings(container(epp, "epp"), "args"),
            [
                "--decode",
                "llama-3-1-8b-service-decode",
                "--pool",
                "llama-3-1-8b-inference-pool"
            ]
        );
    }
);

msvctest!(
    long_names_are_shortened_with_a_warning_and_refused_with_strict,
    |dir| {
        // 50 characters: `<ms>-decode` fits, `<ms>-service-decode` does not.
        let name = format!("{}-model", "l".repeat(44));
        assert_eq!(name.len(), 50);
        dir.write("base.yaml", &base(None, "v1"));
        dir.write("ms.yaml", &ms(&name, "org/m", "hf://org/m"));
        let run = dir.run(&["render", "ms.yaml", "base.yaml"]);
        let objs = run.objects();
        let full = format!("{name}-service-decode");
        let short = &full[..63];
        let svc = find(&objs, "Service", short);
        assert_eq!(svc.name().len(), 63);
        find(&objs, "Deployment", &format!("{name}-decode"));
        // `trunc 63 | trimSuffix "-"`: `<ms>-epp-rolebinding` cut at 63 ends
        // in `-rolebind`, `<ms>-service-prefill` in `-service-pref`.
        find(&objs, "Service", &format!("{name}-service-pref"));
        find(&objs, "RoleBinding", &format!("{name}-epp-rolebind"));
        // The EPP is told the shortened name.
        let epp = find(&objs, "Deployment", &format!("{name}-epp"));
        assert_eq!(strings(container(epp, "epp"), "args")[1], short);
        let w = warnings(&run);
        let decode_warning = w
            .iter()
            .find(|l| l.contains("decode Service"))
            .unwrap_or_else(|| panic!("{}", run.stderr));
        assert!(
            decode_warning.contains(&format!("`{full}`")),
            "{decode_warning}"
        );
        assert!(
            decode_warning.contains(&format!("`{short}`")),
            "{decode_warning}"
        );
        assert!(
            decode_warning.starts_with("warning: ms.yaml:4:9:"),
            "{decode_warning}"
        );
        // One warning per shortened object, none for those that fit.
        assert!(!run.stderr.contains("decode Deployment"), "{}", run.stderr);
        assert_eq!(w.len(), 4, "{}", run.stderr);

        dir.run(&["render", "--strict", "ms.yaml", "base.yaml"])
            .error(&["ms.yaml:4:9:", &full, "shortened"]);
    }
);

msvctest!(only_names_of_emitted_objects_matter, |dir| {
    // A 60-character name is fine when only the decode Deployment (and
    // its ServiceAccount) are emitted.
    let name = "m".repeat(56);
    dir.write("base.yaml", DECODE_ONLY);
    dir.write(
        "ms.yaml",
        &ms(&name, "org/m", "hf://org/m").replace("  prefill:\n    replicas: 1\n", ""),
    );
    let run = dir.run(&["render", "--strict", "ms.yaml", "base.yaml"]);
    let objs = run.objects();
    assert_eq!(
        kinds_and_names(&objs),
        [
            ("ServiceAccount".to_string(), format!("{name}-sa")),
            ("Deployment".to_string(), format!("{name}-decode")),
        ]
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
});

msvctest!(two_objects_shortened_to_one_name_are_an_error, |dir| {
    // 62 characters: `<ms>-decode` and `<ms>-prefill` both become `<ms>`.
    let name = "m".repeat(62);
    dir.write("base.yaml", &base(None, "v1"));
    dir.write("ms.yaml", &ms(&name, "org/m", "hf://org/m"));
    dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
        "ms.yaml:4:9:",
        &format!("the decode Deployment `{name}-decode` and the prefill Deployment `{name}-prefill` are both shortened to `{name}`"),
    ]);
    // With the decode Deployment alone, nothing collides.
    dir.write("base.yaml", DECODE_ONLY);
    dir.write(
        "ms.yaml",
        &ms(&name, "org/m", "hf://org/m").replace("  prefill:\n    replicas: 1\n", ""),
    );
    let objs = dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
    find(&objs, "Deployment", &name);
});

msvctest!(pvc_claim_root_and_file_names_with_plus_and_at, |dir| {
    dir.write("base.yaml", &base(None, "v1"));
    for (uri, path, mounted) in [
        ("pvc://models/", "", "/model-cache/"),
        (
            "pvc://models/org/Llama+3.1@v2",
            "org/Llama+3.1@v2",
            "/model-cache/org/Llama+3.1@v2",
        ),
    ] {
        dir.write("ms.yaml", &ms("llama", "org/llama", uri));
        let objs = dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
        let dep = find(&objs, "Deployment", "llama-decode");
        let vol = volume(dep, "model-storage").expect("model-storage");
        assert_eq!(
            text(vol, "persistentVolumeClaim.claimName"),
            "models",
            "{uri}"
        );
        let args = strings(container(dep, "vllm"), "args");
        assert!(
            args.contains(&format!("--model-path={mounted}")),
            "{uri}: {args:?}"
        );
        assert!(args.contains(&format!("--path={path}")), "{uri}: {args:?}");
        let mount = mount_at(container(dep, "vllm"), "/model-cache").expect("mount");
        assert_eq!(text(mount, "readOnly"), "true");
    }
});

msvctest!(base_configs_are_found_by_name_and_namespace, |dir| {
    // One name in two namespaces: no conflict, each serves its own.
    dir.write("a/base.yaml", &base(Some("team-a"), "a"));
    dir.write("b/base.yaml", &base(Some("team-b"), "b"));
    dir.write(
        "a/ms.yaml",
        &in_namespace(&ms("one", "org/one", "hf://org/one"), "team-a"),
    );
    dir.write(
        "b/ms.yaml",
        &in_namespace(&ms("two", "org/two", "hf://org/two"), "team-b"),
    );
    // `baseConfigMapRef.namespace` points elsewhere.
    dir.write(
        "c/ms.yaml",
        &in_namespace(&ms("three", "org/three", "hf://org/three"), "team-c").replace(
            "    name: base\n",
            "    name: base\n    namespace: team-b\n",
        ),
    );
    let run = dir.run(&["render", "a", "b", "c"]);
    let objs = run.objects();
    let image = |ms: &str| text(&decode_vllm(&objs, ms), "image");
    assert_eq!(image("one"), "vllm:a");
    assert_eq!(image("two"), "vllm:b");
    assert_eq!(image("three"), "vllm:b");
    assert_eq!(
        find(&objs, "Deployment", "three-decode").namespace(),
        Some("team-c")
    );

    // A BaseConfig of another namespace is not used silently.
    dir.write(
        "d/ms.yaml",
        &in_namespace(&ms("four", "org/four", "hf://org/four"), "team-d"),
    );
    dir.run(&["render", "a", "d"]).error(&[
        "d/ms.yaml:8:11:",
        "BaseConfig `base` is in namespace `team-a`, not in `team-d` where ModelService `four` looks for it",
        "spec.baseConfigMapRef.namespace: team-a",
    ]);
    // One without a namespace, like -b files and presets, serves every one.
    dir.write("e/base.yaml", &base(None, "e"));
    let objs = dir.run(&["render", "e", "d"]).objects();
    assert_eq!(text(&decode_vllm(&objs, "four"), "image"), "vllm:e");
    let objs = dir.run(&["render", "d", "-b", "e/base.yaml"]).objects();
    assert_eq!(text(&decode_vllm(&objs, "four"), "image"), "vllm:e");
    // Two of one name in one namespace are still a conflict.
    dir.write("a/again.yaml", &base(Some("team-a"), "x"));
    dir.run(&["render", "a"])
        .error(&["BaseConfig `base` is defined twice"]);
});

/// `BASE` with a ConfigMap in `configMaps`; `DATA` is its data.
fn base_with_config_map(data: &str) -> String {
    format!(
        "{}  configMaps: |\n    - metadata:\n        name: shared-config\n      data:\n        {data}\n",
        base(None, "v1")
    )
}

msvctest!(shared_config_maps_are_emitted_once, |dir| {
    dir.write("base.yaml", &base_with_config_map("mode: fast"));
    dir.write("one.yaml", &ms("one", "org/one", "hf://org/one"));
    dir.write("two.yaml", &ms("two", "org/two", "hf://org/two"));
    let run = dir.run(&["render", "two.yaml", "one.yaml", "base.yaml"]);
    let objs = run.objects();
    let cms = all(&objs, "ConfigMap");
    assert_eq!(cms.len(), 1, "{:?}", kinds_and_names(&objs));
    // With the first ModelService's objects, and its label.
    assert_eq!(
        labels_at(cms[0], "metadata.labels")
            .get("llm-d.ai/model-service")
            .map(String::as_str),
        Some("one")
    );
    let first_of_two = objs
        .iter()
        .position(|o| o.name().starts_with("two"))
        .unwrap();
    let cm_at = objs.iter().position(|o| o.kind() == "ConfigMap").unwrap();
    assert!(cm_at < first_of_two);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    // `-o`: one file, in the first ModelService's folder.
    dir.run(&["render", "one.yaml", "two.yaml", "base.yaml", "-o", "out"])
        .ok();
    let files: Vec<String> = dir
        .tree("out")
        .into_iter()
        .filter(|f| f.contains("configmap"))
        .collect();
    assert_eq!(files, ["one/configmap-shared-config.yaml"]);

    // Different content under one name: an error naming both.
    dir.write(
        "base.yaml",
        &base_with_config_map("owner: \"{{ .ModelServiceName }}\""),
    );
    dir.run(&["render", "one.yaml", "two.yaml", "base.yaml"]).error(&[
        "ModelServices `one` and `two` both render ConfigMap `shared-config` in namespace `default` with different content",
    ]);
});

msvctest!(
    one_model_name_twice_is_a_warning_and_an_error_with_strict,
    |dir| {
        dir.write("base.yaml", &base(None, "v1"));
        dir.write("one.yaml", &ms("one", "org/same", "hf://org/same"));
        dir.write("two.yaml", &ms("two", "org/same", "hf://org/same"));
        let run = dir.run(&["render", "one.yaml", "two.yaml", "base.yaml"]);
        let objs = run.objects();
        find(&objs, "Deployment", "one-decode");
        find(&objs, "Deployment", "two-decode");
        let w = warnings(&run);
        assert_eq!(w.len(), 1, "{}", run.stderr);
        assert!(
        w[0].starts_with("warning: two.yaml:9:16: routing conflict: ModelServices `one` (one.yaml:9:16) and `two` both serve modelName `org/same` in namespace `default`"),
        "{}",
        w[0]
    );
        dir.run(&["render", "--strict", "one.yaml", "two.yaml", "base.yaml"])
            .error(&["two.yaml:9:16: routing conflict"]);
        // In different namespaces, nothing to say.
        dir.write(
            "two.yaml",
            &in_namespace(&ms("two", "org/same", "hf://org/same"), "other"),
        );
        let run = dir.run(&["render", "--strict", "one.yaml", "two.yaml", "base.yaml"]);
        run.objects();
    }
);

msvctest!(
    dash_b_stands_in_for_a_differently_named_base_config,
    |dir| {
        // The controller's `generate -m MS -b FILE` used FILE whatever it was named.
        dir.write(
            "base.yaml",
            &base(None, "v1").replace("  name: base\n", "  name: my-base\n"),
        );
        dir.write("ms.yaml", &ms("llama", "org/llama", "hf://org/llama"));
        let run = dir.run(&["render", "-m", "ms.yaml", "-b", "base.yaml"]);
        let objs = run.objects();
        assert_eq!(text(&decode_vllm(&objs, "llama"), "image"), "vllm:v1");
        let w = warnings(&run);
        assert_eq!(w.len(), 1, "{}", run.stderr);
        assert!(w[0].starts_with("warning: ms.yaml:7:11:"), "{}", w[0]);
        assert!(
        w[0].contains("names BaseConfig `base`, which is not among the inputs; the -b file's BaseConfig `my-base` (base.yaml:1:1) is used instead"),
        "{}",
        w[0]
    );
        // A BaseConfig of that name among the inputs is still the one used.
        dir.write("named.yaml", &base(None, "named"));
        let objs = dir
            .run(&["render", "-m", "ms.yaml", "named.yaml", "-b", "base.yaml"])
            .objects();
        assert_eq!(text(&decode_vllm(&objs, "llama"), "image"), "vllm:named");
    }
);

/// The `llm-d.ai/model` pod label of `llama-decode`, and the vllm arg
/// showing `SanitizedModelName`.
fn label_and_variable(objs: &[Node]) -> [String; 2] {
    let dep = find(objs, "Deployment", "llama-decode");
    let label = labels_at(dep, "spec.template.metadata.labels")
        .get("llm-d.ai/model")
        .cloned()
        .unwrap_or_else(|| panic!("no model label:\n{}", show(dep)));
    let arg = strings(container(dep, "vllm"), "args")
        .into_iter()
        .find(|a| a.starts_with("--label="))
        .unwrap_or_default();
    [label, arg]
}

msvctest!(
    model_names_lower_case_as_go_and_fall_back_as_the_controller,
    |dir| {
        dir.write("base.yaml", &base(None, "v1"));
        // Go's strings.ToLower makes `İ` an `i` (Rust's lower-casing adds a
        // combining dot, which would become `-`).
        dir.write("ms.yaml", &ms("llama", "İzmir/Llama", "hf://org/llama"));
        let run = dir.run(&["render", "--strict", "ms.yaml", "base.yaml"]);
        let objs = run.objects();
        assert_eq!(
            label_and_variable(&objs),
            ["izmir-llama", "--label=izmir-llama"]
        );

        // Cut to 63 characters it ends in `-`: the controller labelled pods
        // `llm-d.ai/model: ""` and templates saw `default-modelName`.
        let model = format!("{}/x", "a".repeat(62));
        dir.write("ms.yaml", &ms("llama", &model, "hf://org/llama"));
        let run = dir.run(&["render", "ms.yaml", "base.yaml"]);
        let objs = run.objects();
        assert_eq!(label_and_variable(&objs), ["", "--label=default-modelName"]);
        let w = warnings(&run);
        assert_eq!(w.len(), 1, "{}", run.stderr);
        assert!(
            w[0].contains("does not sanitize into a label value"),
            "{}",
            w[0]
        );
        dir.run(&["render", "--strict", "ms.yaml", "base.yaml"])
            .error(&["ms.yaml:9:16:", "default-modelName"]);
    }
);
