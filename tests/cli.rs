//! `msvc` through the built binary: inputs (files, directories, stdin),
//! output modes (stream, `-o DIR`, `--diff`, `--check`), the render flags,
//! error reporting and exit codes, and the small subcommands.
//!
//! Each case gets its own temporary directory (`msvctest!`, after
//! ripgrep's `rgtest!`), writes its inputs there and runs `msvc` in it, so
//! cases are independent and paths in messages are short and stable.

mod common;

use common::*;
use msvc::objects::ObjectExt;
use msvc::yaml::Node;

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

/// A BaseConfig with every object kind.
const BASE: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: tiny-base
data:
  decodeDeployment: |
    apiVersion: apps/v1
    kind: Deployment
    spec:
      replicas: 4
      template:
        spec:
          containers:
            - name: vllm
              image: vllm/vllm-openai:v0.10.0
              args: ["--port", "{{ "app_port" | getPort }}"]
  decodeService: |
    apiVersion: v1
    kind: Service
    spec:
      ports:
        - name: http
          port: {{ "app_port" | getPort }}
  eppDeployment: |
    apiVersion: apps/v1
    kind: Deployment
    spec:
      template:
        spec:
          containers:
            - name: epp
              image: epp:v1
              args: ["--poolName", "{{ .InferencePoolName }}"]
  eppService: |
    apiVersion: v1
    kind: Service
    spec:
      ports:
        - name: grpc
          port: 9002
  inferencePool: |
    apiVersion: inference.networking.x-k8s.io/v1alpha2
    kind: InferencePool
    spec:
      targetPortNumber: {{ "app_port" | getPort }}
  httpRoute: |
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    spec:
      parentRefs:
        - name: gw
          port: 12345
          sectionName: http
"#;

/// `BASE` with an InferenceModel too.
fn base_with_model() -> String {
    format!(
        "{BASE}  inferenceModel: |\n    apiVersion: inference.networking.x-k8s.io/v1alpha2\n    kind: InferenceModel\n"
    )
}

/// A ModelService `tiny` in `team-a` over `tiny-base`.
const MS: &str = r#"apiVersion: llm-d.ai/v1alpha1
kind: ModelService
metadata:
  name: tiny
  namespace: team-a
spec:
  baseConfigMapRef:
    name: tiny-base
  routing:
    modelName: org/tiny
    ports:
      - name: app_port
        port: 8000
  modelArtifacts:
    uri: hf://org/tiny
  decode:
    replicas: 1
    containers:
      - name: vllm
        args: ["{{ .HFModelName }}"]
        mountModelVolume: true
"#;

/// The same ModelService under another name and model.
fn ms_named(name: &str) -> String {
    MS.replace("name: tiny\n", &format!("name: {name}\n"))
        .replace("org/tiny", &format!("org/{name}"))
}

/// A ModelService with no baseConfigMapRef: the built-in default preset.
const MS_PRESET: &str = r#"apiVersion: llm-d.ai/v1alpha1
kind: ModelService
metadata:
  name: small
spec:
  routing:
    modelName: facebook/opt-125m
    ports:
      - name: app_port
        port: 8000
  modelArtifacts:
    uri: hf://facebook/opt-125m
  decode:
    replicas: 1
    containers:
      - name: vllm
        args: ["{{ .HFModelName }}"]
        mountModelVolume: true
"#;

/// `tiny` and `tiny-base` written to `ms.yaml` and `base.yaml`.
fn tiny(dir: &Sandbox) {
    dir.write("ms.yaml", MS);
    dir.write("base.yaml", BASE);
}

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

msvctest!(stdin_input_renders_like_a_file, |dir| {
    tiny(dir);
    let from_file = dir.run(&["render", "ms.yaml", "base.yaml"]);
    from_file.objects();
    let from_stdin = dir.run_stdin(&["render", "-", "base.yaml"], MS);
    let objs = from_stdin.objects();
    assert_eq!(from_stdin.stdout, from_file.stdout);
    find(&objs, "Deployment", "tiny-decode");
});

msvctest!(
    stdin_stream_holds_base_configs_and_several_model_services,
    |dir| {
        let stream = format!("{BASE}---\n{}---\n{}", ms_named("one"), ms_named("two"));
        let run = dir.run_stdin(&["render", "-"], &stream);
        let objs = run.objects();
        for ms in ["one", "two"] {
            find(&objs, "Deployment", &format!("{ms}-decode"));
            find(&objs, "HTTPRoute", &format!("{ms}-http-route"));
        }
    }
);

msvctest!(stdin_errors_name_stdin_with_line_and_column, |dir| {
    let bad = MS.replace("  decode:\n", "  decodeScaling: true\n  decode:\n");
    let line = line_of(&bad, "decodeScaling");
    let run = dir.run_stdin(&["render", "-"], &bad);
    run.error(&[
        &format!("<stdin>:{line}:"),
        "unknown field `decodeScaling`",
        "spec.decodeScaling",
    ]);
});

msvctest!(empty_stdin_exits_2, |dir| {
    dir.run_stdin(&["render", "-"], "")
        .error(&["standard input is empty"]);
    dir.run_stdin(&["render", "-"], "\n  \n")
        .error(&["standard input is empty"]);
});

msvctest!(no_input_exits_2, |dir| {
    dir.run(&["render"]).error(&["no input"]);
});

msvctest!(missing_input_file_exits_2, |dir| {
    dir.run(&["render", "nope.yaml"]).error(&["nope.yaml"]);
});

msvctest!(directory_input_renders_every_model_service, |dir| {
    dir.write("models/base.yaml", BASE);
    dir.write("models/b/zeta.yaml", &ms_named("zeta"));
    dir.write("models/alpha.yml", &ms_named("alpha"));
    dir.write("models/README.md", "not yaml");
    dir.write("models/.hidden.yaml", "{ not: [valid");
    let run = dir.run(&["render", "models"]);
    let objs = run.objects();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    // Sorted by ModelService: every object of `alpha`, then every one of `zeta`.
    let owners: Vec<&str> = objs
        .iter()
        .map(|o| {
            if o.name().starts_with("alpha") {
                "alpha"
            } else {
                "zeta"
            }
        })
        .collect();
    let split = owners
        .iter()
        .position(|o| *o == "zeta")
        .expect("zeta rendered");
    assert!(
        split > 0 && owners[split..].iter().all(|o| *o == "zeta"),
        "{owners:?}"
    );
    assert_eq!(objs.len(), 2 * split);
    for ms in ["alpha", "zeta"] {
        find(&objs, "Deployment", &format!("{ms}-decode"));
        find(&objs, "RoleBinding", &format!("{ms}-epp-rolebinding"));
    }
    // The same bytes as naming the files one by one.
    let files = dir.run(&[
        "render",
        "models/b/zeta.yaml",
        "models/base.yaml",
        "models/alpha.yml",
    ]);
    assert_eq!(files.stdout, run.stdout);
});

msvctest!(directory_walk_is_sorted, |dir| {
    // The same ModelService twice: the error says which file came first.
    dir.write("models/base.yaml", BASE);
    dir.write("models/b.yaml", MS);
    dir.write("models/a/x.yaml", MS);
    dir.run(&["render", "models"]).error(&[
        "models/b.yaml:",
        "ModelService `tiny` in namespace `team-a` is defined twice",
        "first at models/a/x.yaml:",
    ]);
});

msvctest!(directory_without_yaml_exits_2, |dir| {
    dir.write("empty/notes.txt", "hi");
    dir.run(&["render", "empty"])
        .error(&["empty", "no *.yaml or *.yml"]);
});

msvctest!(m_and_b_flags_work_like_positional_inputs, |dir| {
    tiny(dir);
    let positional = dir.run(&["render", "ms.yaml", "base.yaml"]);
    positional.objects();
    let flags = dir.run(&["render", "-m", "ms.yaml", "-b", "base.yaml"]);
    flags.objects();
    assert_eq!(flags.stdout, positional.stdout);
    let long = dir.run(&[
        "render",
        "--modelservice",
        "ms.yaml",
        "--baseconfig",
        "base.yaml",
    ]);
    assert_eq!(long.stdout, positional.stdout);
    // -b BaseConfig used by a ModelService that names none.
    dir.write(
        "noref.yaml",
        &MS.replace("  baseConfigMapRef:\n    name: tiny-base\n", ""),
    );
    let noref = dir.run(&["render", "-m", "noref.yaml", "-b", "base.yaml"]);
    assert_eq!(noref.stdout, positional.stdout);
});

msvctest!(model_service_given_with_b_is_an_error, |dir| {
    tiny(dir);
    dir.run(&["render", "base.yaml", "-b", "ms.yaml"])
        .error(&["ms.yaml:", "ModelService was given as a BaseConfig"]);
});

msvctest!(input_order_does_not_matter, |dir| {
    tiny(dir);
    let a = dir.run(&["render", "ms.yaml", "base.yaml"]);
    let b = dir.run(&["render", "base.yaml", "ms.yaml"]);
    a.objects();
    assert_eq!(a.stdout, b.stdout);
});

msvctest!(default_preset_applies_without_a_base_config, |dir| {
    dir.write("ms.yaml", MS_PRESET);
    let objs = dir.run(&["render", "ms.yaml"]).objects();
    let explicit = dir.run(&["render", "ms.yaml", "--preset", "vllm-hf"]);
    assert_eq!(parse(&explicit.stdout), objs);
    let dep = find(&objs, "Deployment", "small-decode");
    assert_eq!(
        strings(container(dep, "vllm"), "args")[0],
        "facebook/opt-125m"
    );
    find(&objs, "InferencePool", "small-inference-pool");
    find(&objs, "HTTPRoute", "small-http-route");
});

msvctest!(unknown_preset_exits_2, |dir| {
    dir.write("ms.yaml", MS_PRESET);
    dir.run(&["render", "ms.yaml", "--preset", "vllm-fh"])
        .error(&["unknown preset `vllm-fh`", "vllm-hf"]);
});

// ---------------------------------------------------------------------------
// -o DIR, --diff, --check
// ---------------------------------------------------------------------------

msvctest!(output_dir_writes_one_file_per_object, |dir| {
    tiny(dir);
    dir.write("two.yaml", &ms_named("two"));
    let stream = dir.run(&["render", "ms.yaml", "two.yaml", "base.yaml"]);
    let objs = stream.objects();
    let run = dir.run(&["render", "ms.yaml", "two.yaml", "base.yaml", "-o", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "-o prints nothing: {}", run.stdout);

    let mut want: Vec<String> = objs
        .iter()
        .map(|o| {
            let ms = if o.name().starts_with("two") {
                "two"
            } else {
                "tiny"
            };
            format!("{ms}/{}-{}.yaml", o.kind().to_ascii_lowercase(), o.name())
        })
        .collect();
    want.push(".msvc-output".into());
    want.sort();
    assert_eq!(dir.tree("out"), want);
    assert!(
        dir.tree("out")
            .contains(&"tiny/deployment-tiny-decode.yaml".to_string())
    );
    assert!(
        dir.tree("out")
            .contains(&"two/httproute-two-http-route.yaml".to_string())
    );

    // Each file holds its object, as in the stream.
    for o in &objs {
        let ms = if o.name().starts_with("two") {
            "two"
        } else {
            "tiny"
        };
        let file = dir.read(&format!(
            "out/{ms}/{}-{}.yaml",
            o.kind().to_ascii_lowercase(),
            o.name()
        ));
        assert_eq!(parse(&file), vec![o.clone()], "{file}");
    }
});

msvctest!(check_after_output_is_clean, |dir| {
    tiny(dir);
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "out"])
        .objects();
    let before = dir.snapshot("out");
    let run = dir.run(&["render", "ms.yaml", "base.yaml", "--check", "--diff", "out"]);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("0 changed, 0 added, 0 removed"),
        "{}",
        run.stdout
    );
    // --check with -o compares with that directory.
    let run = dir.run(&["render", "ms.yaml", "base.yaml", "--check", "-o", "out"]);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("0 changed, 0 added, 0 removed"),
        "{}",
        run.stdout
    );
    assert_eq!(
        dir.snapshot("out"),
        before,
        "--check wrote to the directory"
    );
});

msvctest!(check_after_edit_exits_1_and_shows_the_field, |dir| {
    tiny(dir);
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "out"])
        .objects();
    let before = dir.snapshot("out");
    dir.write(
        "ms.yaml",
        &MS.replace("    replicas: 1\n", "    replicas: 3\n"),
    );
    let run = dir.run(&["render", "ms.yaml", "base.yaml", "--check", "--diff", "out"]);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("-  replicas: 1\n"), "{}", run.stdout);
    assert!(run.stdout.contains("+  replicas: 3\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Deployment team-a/tiny-decode"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("1 changed, 0 added, 0 removed"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("\x1b["),
        "no colour when stdout is not a terminal"
    );
    assert_eq!(
        dir.snapshot("out"),
        before,
        "--check wrote to the directory"
    );
});

msvctest!(check_reports_added_and_removed_objects, |dir| {
    tiny(dir);
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "out"])
        .objects();
    // Binding a ClusterRole drops the Role msvc would emit.
    let run = dir.run(&[
        "render",
        "ms.yaml",
        "base.yaml",
        "--epp-cluster-role",
        "epp-reader",
        "--check",
        "--diff",
        "out",
    ]);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("removed: Role team-a/tiny-epp-role"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("changed: RoleBinding team-a/tiny-epp-rolebinding"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("1 changed, 0 added, 1 removed"),
        "{}",
        run.stdout
    );
    // A second ModelService adds objects.
    dir.write("two.yaml", &ms_named("two"));
    let run = dir.run(&[
        "render",
        "ms.yaml",
        "two.yaml",
        "base.yaml",
        "--check",
        "--diff",
        "out",
    ]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout.contains("added: Deployment team-a/two-decode"),
        "{}",
        run.stdout
    );
});

msvctest!(diff_against_a_stream_file, |dir| {
    tiny(dir);
    let first = dir.run(&["render", "ms.yaml", "base.yaml"]);
    first.objects();
    dir.write("previous.yaml", &first.stdout);
    // Unchanged: exit 0, no diff, no stream.
    let same = dir.run(&["render", "ms.yaml", "base.yaml", "--diff", "previous.yaml"]);
    assert_eq!(same.code, Some(0), "{}\n{}", same.stdout, same.stderr);
    assert!(!same.stdout.contains("+++"), "{}", same.stdout);
    assert!(
        !same.stdout.contains("apiVersion:"),
        "--diff does not print the stream: {}",
        same.stdout
    );
    // Changed: exit 1 and a unified diff naming the field.
    dir.write(
        "ms.yaml",
        &MS.replace("uri: hf://org/tiny", "uri: hf://org/tiny-v2"),
    );
    let changed = dir.run(&["render", "ms.yaml", "base.yaml", "--diff", "previous.yaml"]);
    assert_eq!(changed.code, Some(1), "{}", changed.stderr);
    assert!(
        changed
            .stdout
            .contains("--- a: Deployment team-a/tiny-decode"),
        "{}",
        changed.stdout
    );
    assert!(
        changed
            .stdout
            .contains("+++ b: Deployment team-a/tiny-decode"),
        "{}",
        changed.stdout
    );
    assert!(
        changed.stdout.contains("-            - org/tiny\n"),
        "{}",
        changed.stdout
    );
    assert!(
        changed.stdout.contains("+            - org/tiny-v2\n"),
        "{}",
        changed.stdout
    );
    assert!(changed.stdout.contains("@@ "), "{}", changed.stdout);
    // --check against the file: the summary.
    let check = dir.run(&[
        "render",
        "ms.yaml",
        "base.yaml",
        "--check",
        "--diff",
        "previous.yaml",
    ]);
    assert_eq!(check.code, Some(1));
    assert!(
        check.stdout.contains("1 changed, 0 added, 0 removed"),
        "{}",
        check.stdout
    );
    assert_eq!(
        dir.read("previous.yaml"),
        first.stdout,
        "--diff must not write"
    );
});

msvctest!(check_against_a_missing_previous_render_exits_2, |dir| {
    tiny(dir);
    dir.run(&[
        "render",
        "ms.yaml",
        "base.yaml",
        "--check",
        "--diff",
        "nothing-here",
    ])
    .error(&["nothing-here"]);
});

msvctest!(check_needs_something_to_compare_with, |dir| {
    tiny(dir);
    dir.run(&["render", "ms.yaml", "base.yaml", "--check"])
        .error(&["--check", "--diff"]);
});

msvctest!(output_dir_refuses_a_foreign_directory, |dir| {
    tiny(dir);
    dir.write("mine/notes.txt", "keep me");
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "mine"])
        .error(&["mine", "did not create"]);
    assert_eq!(dir.tree("mine"), vec!["notes.txt"]);
    assert_eq!(dir.read("mine/notes.txt"), "keep me");
});

msvctest!(output_dir_refuses_a_file, |dir| {
    tiny(dir);
    dir.write("out", "a file");
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "out"])
        .error(&["out", "not a directory"]);
    assert_eq!(dir.read("out"), "a file");
});

msvctest!(output_dir_may_be_new_or_empty, |dir| {
    tiny(dir);
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "empty"])
        .objects();
    assert!(dir.tree("empty").contains(&".msvc-output".to_string()));
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "deep/new/out"])
        .objects();
    assert_eq!(dir.tree("deep/new/out"), dir.tree("empty"));
    // Nothing but the output is left beside it (no temporary siblings).
    let siblings: Vec<String> = std::fs::read_dir(dir.path().join("deep/new"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(siblings, vec!["out"]);
});

msvctest!(failed_render_keeps_the_old_output, |dir| {
    tiny(dir);
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "out"])
        .objects();
    let before = dir.snapshot("out");
    dir.write(
        "ms.yaml",
        &MS.replace("uri: hf://org/tiny", "uri: s3://bucket/tiny"),
    );
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "out"])
        .error(&["s3://bucket/tiny"]);
    assert_eq!(dir.snapshot("out"), before);
});

msvctest!(
    objects_removed_from_the_input_disappear_from_the_output_dir,
    |dir| {
        tiny(dir);
        dir.write("two.yaml", &ms_named("two"));
        dir.run(&["render", "ms.yaml", "two.yaml", "base.yaml", "-o", "out"])
            .objects();
        assert!(
            dir.tree("out")
                .contains(&"tiny/role-tiny-epp-role.yaml".to_string())
        );
        assert!(dir.tree("out").iter().any(|f| f.starts_with("two/")));
        // Drop `two` and bind a ClusterRole: its files and the Role's go.
        dir.run(&[
            "render",
            "ms.yaml",
            "base.yaml",
            "--epp-cluster-role",
            "epp-reader",
            "-o",
            "out",
        ])
        .objects();
        let files = dir.tree("out");
        assert!(
            !files.contains(&"tiny/role-tiny-epp-role.yaml".to_string()),
            "{files:?}"
        );
        assert!(!files.iter().any(|f| f.starts_with("two/")), "{files:?}");
        assert!(files.contains(&"tiny/rolebinding-tiny-epp-rolebinding.yaml".to_string()));
        let check = dir.run(&[
            "render",
            "ms.yaml",
            "base.yaml",
            "--epp-cluster-role",
            "epp-reader",
            "--check",
            "--diff",
            "out",
        ]);
        assert_eq!(check.code, Some(0), "{}", check.stdout);
    }
);

msvctest!(
    /// One name in two namespaces is a valid input for the stream, but `-o`
    /// lays files out by ModelService name: it refuses, saying why, and
    /// writes nothing.
    output_dir_refuses_same_named_model_services_of_two_namespaces,
    |dir| {
        dir.write("base.yaml", BASE);
        dir.write("a.yaml", MS);
        dir.write("b.yaml", &MS.replace("namespace: team-a", "namespace: team-b"));
        let stream = dir.run(&["render", "a.yaml", "b.yaml", "base.yaml"]);
        stream.objects();
        let run = dir.run(&["render", "a.yaml", "b.yaml", "base.yaml", "-o", "out"]);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
        assert!(run.stderr.contains("two ModelServices are named"), "{}", run.stderr);
        assert!(run.stderr.contains("distinct names"), "{}", run.stderr);
        assert!(run.stdout.is_empty());
        assert!(!dir.path().join("out").exists());
    }
);

msvctest!(output_and_diff_together_show_and_write, |dir| {
    tiny(dir);
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "out"])
        .objects();
    dir.write(
        "ms.yaml",
        &MS.replace("    replicas: 1\n", "    replicas: 2\n"),
    );
    let run = dir.run(&[
        "render",
        "ms.yaml",
        "base.yaml",
        "-o",
        "out",
        "--diff",
        "out",
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stdout.contains("+  replicas: 2"), "{}", run.stdout);
    assert!(
        dir.read("out/tiny/deployment-tiny-decode.yaml")
            .contains("replicas: 2")
    );
    let again = dir.run(&["render", "ms.yaml", "base.yaml", "--check", "-o", "out"]);
    assert_eq!(again.code, Some(0), "{}", again.stdout);
});

// ---------------------------------------------------------------------------
// Bad inputs: exit 2, `error: FILE:LINE:COL: ...`, nothing on stdout
// ---------------------------------------------------------------------------

msvctest!(
    unknown_port_names_the_port_the_template_and_the_line,
    |dir| {
        dir.write("ms.yaml", MS);
        let base = BASE.replace(
            r#"port: {{ "app_port" | getPort }}"#,
            r#"port: {{ "api_port" | getPort }}"#,
        );
        dir.write("base.yaml", &base);
        let line = line_of(&base, "api_port");
        dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
            &format!("error: base.yaml:{line}:"),
            "`api_port`",
            "decodeService",
            "app_port",
        ]);
    }
);

msvctest!(unknown_port_in_model_service_args_names_the_arg, |dir| {
    dir.write("base.yaml", BASE);
    let ms = MS.replace(
        r#"args: ["{{ .HFModelName }}"]"#,
        r#"args: ['{{ "nope_port" | getPort }}']"#,
    );
    dir.write("ms.yaml", &ms);
    let line = line_of(&ms, "nope_port");
    dir.run(&["render", "ms.yaml", "base.yaml"])
        .error(&[&format!("ms.yaml:{line}:"), "`nope_port`"]);
});

msvctest!(
    missing_base_config_names_it_and_lists_what_was_found,
    |dir| {
        dir.write("base.yaml", BASE);
        let ms = MS.replace("name: tiny-base", "name: tiny-bsae");
        dir.write("ms.yaml", &ms);
        let line = line_of(&ms, "tiny-bsae");
        dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
            &format!("error: ms.yaml:{line}:"),
            "`tiny-bsae` not found",
            "tiny-base",
            "spec.baseConfigMapRef.name",
        ]);
        // Nothing found at all: says so, and names the built-in presets.
        dir.run(&["render", "ms.yaml"]).error(&[
            "`tiny-bsae` not found",
            "no BaseConfig",
            "vllm-hf",
        ]);
    }
);

msvctest!(bad_model_uris_are_quoted_with_the_accepted_forms, |dir| {
    dir.write("base.yaml", BASE);
    for uri in [
        "s3://bucket/model",
        "hf://only-repo",
        "hf://a/b/c",
        "pvc://claim",
        "model-without-scheme",
    ] {
        let ms = MS.replace("uri: hf://org/tiny", &format!("uri: \"{uri}\""));
        dir.write("ms.yaml", &ms);
        let line = line_of(&ms, uri);
        dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
            &format!("error: ms.yaml:{line}:"),
            &format!("`{uri}`"),
            "hf://",
            "pvc://",
        ]);
    }
});

msvctest!(unknown_field_names_the_field_and_its_line, |dir| {
    dir.write("base.yaml", BASE);
    let ms = MS.replace("  decode:\n", "  decoupleScalng: true\n  decode:\n");
    dir.write("ms.yaml", &ms);
    let line = line_of(&ms, "decoupleScalng");
    dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
        &format!("error: ms.yaml:{line}:"),
        "unknown field `decoupleScalng`",
        "decoupleScaling",
    ]);
});

msvctest!(
    /// The column of the unknown key, not of its value.
    unknown_field_error_points_at_the_key, |dir| {
    dir.write("base.yaml", BASE);
    let ms = MS.replace("  decode:\n", "  decoupleScalng: true\n  decode:\n");
    dir.write("ms.yaml", &ms);
    let line = line_of(&ms, "decoupleScalng");
    // `  decoupleScalng: true`: the key starts in column 3.
    dir.run(&["render", "ms.yaml", "base.yaml"])
        .error(&[&format!("error: ms.yaml:{line}:3: unknown field")]);
});

msvctest!(yaml_syntax_error_names_the_line, |dir| {
    dir.write("base.yaml", BASE);
    dir.write(
        "ms.yaml",
        &MS.replace("modelName: org/tiny", "modelName: [org/tiny"),
    );
    let run = dir.run(&["render", "ms.yaml", "base.yaml"]);
    run.error(&["error: ms.yaml:"]);
    let loc = run.stderr["error: ms.yaml:".len()..]
        .split(':')
        .take(2)
        .collect::<Vec<_>>();
    assert!(
        loc.iter().all(|n| n.parse::<u32>().is_ok()),
        "no line:col in {}",
        run.stderr
    );
});

msvctest!(unknown_base_config_key_is_an_error, |dir| {
    dir.write("ms.yaml", MS);
    dir.write(
        "base.yaml",
        &BASE.replace("  httpRoute: |", "  httpRoutes: |"),
    );
    dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
        "error: base.yaml:",
        "unknown BaseConfig data key `httpRoutes`",
        "`httpRoute`",
    ]);
});

msvctest!(
    /// The key's own line, not the first line of its `|` value.
    unknown_base_config_key_error_names_the_key_line,
    |dir| {
        dir.write("ms.yaml", MS);
        let base = BASE.replace("  httpRoute: |", "  httpRoutes: |");
        dir.write("base.yaml", &base);
        let line = line_of(&base, "httpRoutes");
        dir.run(&["render", "ms.yaml", "base.yaml"])
            .error(&[&format!("error: base.yaml:{line}:3: unknown BaseConfig data key")]);
    }
);

/// `BASE` with the vllm image replaced by a template construct.
fn base_with_image(construct: &str) -> String {
    let base = BASE.replace(
        "image: vllm/vllm-openai:v0.10.0",
        &format!("image: 'v{construct}'"),
    );
    assert_ne!(base, BASE);
    base
}

msvctest!(templates_have_no_environment_or_file_access, |dir| {
    dir.write("ms.yaml", MS);
    for construct in [
        r#"{{ get_env(name="HOME") }}"#,
        r#"{{ get_env(name="HOME", default="x") }}"#,
        r#"{{ "HOME" | env }}"#,
        r#"{{ env "HOME" }}"#,
        r#"{{ expandenv "$HOME" }}"#,
        r#"{{ readFile "/etc/hostname" }}"#,
        r#"{% include "/etc/hostname" %}"#,
        r#"{{ now() }}"#,
    ] {
        dir.write("base.yaml", &base_with_image(construct));
        let run = dir.run(&["render", "ms.yaml", "base.yaml"]);
        assert_eq!(run.code, Some(2), "{construct} rendered:\n{}", run.stdout);
        run.error(&["error: base.yaml:", "decodeDeployment"]);
    }
});

msvctest!(template_errors_name_the_data_key_and_line, |dir| {
    dir.write("ms.yaml", MS);
    let base = base_with_image("{{ .NoSuchVariable }}");
    dir.write("base.yaml", &base);
    let line = line_of(&base, "NoSuchVariable");
    dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
        &format!("error: base.yaml:{line}:"),
        "decodeDeployment",
        "NoSuchVariable",
        "HFModelName",
    ]);
});

msvctest!(
    /// Like an unknown variable, an unknown function is reported where it is.
    template_unknown_function_names_its_line,
    |dir| {
        dir.write("ms.yaml", MS);
        let base = base_with_image("{{ now() }}");
        dir.write("base.yaml", &base);
        let line = line_of(&base, "now()");
        dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
            &format!("error: base.yaml:{line}:"),
            "decodeDeployment",
            "`now`",
        ]);
    }
);

msvctest!(empty_accelerator_values_are_an_error, |dir| {
    dir.write("base.yaml", BASE);
    let ms = MS.replace(
        "    replicas: 1\n",
        "    replicas: 1\n    acceleratorTypes:\n      labelKey: gpu\n      labelValues: []\n",
    );
    dir.write("ms.yaml", &ms);
    dir.run(&["render", "ms.yaml", "base.yaml"])
        .error(&["ms.yaml:", "labelValues"]);
});

msvctest!(
    strict_turns_the_upstream_type_warning_into_an_error,
    |dir| {
        let Some(samples) = require_shared("upstream/operator/samples/test") else {
            return;
        };
        let (ms, base) = (samples.join("msvc.yaml"), samples.join("baseconfig.yaml"));
        let (ms, base) = (ms.to_str().unwrap(), base.to_str().unwrap());
        let lenient = dir.run(&["render", ms, base]);
        lenient.objects();
        assert!(
            lenient.stderr.starts_with("warning: "),
            "{}",
            lenient.stderr
        );
        assert!(
            lenient.stderr.contains("baseconfig.yaml:106:"),
            "{}",
            lenient.stderr
        );
        let strict = dir.run(&["render", "--strict", ms, base]);
        strict.error(&["baseconfig.yaml:106:", "eppService", "`type`"]);
        assert!(!strict.stderr.contains("warning: "), "{}", strict.stderr);
    }
);

// ---------------------------------------------------------------------------
// The render flags
// ---------------------------------------------------------------------------

/// The RoleBinding's roleRef as (apiGroup, kind, name).
fn role_ref(objs: &[Node], ms: &str) -> (String, String, String) {
    let rb = find(objs, "RoleBinding", &format!("{ms}-epp-rolebinding"));
    (
        text(rb, "roleRef.apiGroup"),
        text(rb, "roleRef.kind"),
        text(rb, "roleRef.name"),
    )
}

fn subject(objs: &[Node], ms: &str) -> (String, String, String) {
    let rb = find(objs, "RoleBinding", &format!("{ms}-epp-rolebinding"));
    let subjects = list(rb, "subjects");
    assert_eq!(subjects.len(), 1, "{}", show(rb));
    let s = subjects[0];
    (text(s, "kind"), text(s, "name"), text(s, "namespace"))
}

msvctest!(epp_binds_to_the_role_msvc_emits, |dir| {
    dir.write("ms.yaml", MS);
    dir.write("base.yaml", &base_with_model());
    let objs = dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
    assert_eq!(
        role_ref(&objs, "tiny"),
        (
            "rbac.authorization.k8s.io".into(),
            "Role".into(),
            "tiny-epp-role".into()
        )
    );
    assert_eq!(
        subject(&objs, "tiny"),
        (
            "ServiceAccount".into(),
            "tiny-epp-sa".into(),
            "team-a".into()
        )
    );
    let role = find(&objs, "Role", "tiny-epp-role");
    assert_eq!(role.namespace(), Some("team-a"));
    let mut grants = Vec::new();
    for rule in list(role, "rules") {
        assert_eq!(strings(rule, "verbs"), ["get", "list", "watch"]);
        for g in strings(rule, "apiGroups") {
            for r in strings(rule, "resources") {
                grants.push(format!("{g}/{r}"));
            }
        }
    }
    grants.sort();
    let mut want = vec![
        "/pods",
        "inference.networking.k8s.io/inferencepools",
        "inference.networking.x-k8s.io/inferencepools",
    ];
    // inferencemodels only when an InferenceModel is emitted.
    if !all(&objs, "InferenceModel").is_empty() {
        want.insert(2, "inference.networking.x-k8s.io/inferencemodels");
    }
    assert_eq!(grants, want);
    let epp = find(&objs, "Deployment", "tiny-epp");
    assert_eq!(text(pod_spec(epp), "serviceAccountName"), "tiny-epp-sa");
    assert!(all(&objs, "ClusterRole").is_empty());
});

msvctest!(
    epp_without_inference_model_gets_no_inferencemodels_grant,
    |dir| {
        tiny(dir);
        let objs = dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
        assert!(all(&objs, "InferenceModel").is_empty());
        let role = show(find(&objs, "Role", "tiny-epp-role"));
        assert!(!role.contains("inferencemodels"), "{role}");
    }
);

msvctest!(epp_cluster_role_binds_to_the_cluster_role, |dir| {
    tiny(dir);
    let objs = dir
        .run(&[
            "render",
            "ms.yaml",
            "base.yaml",
            "--epp-cluster-role",
            "llm-d-epp",
        ])
        .objects();
    assert_eq!(
        role_ref(&objs, "tiny"),
        (
            "rbac.authorization.k8s.io".into(),
            "ClusterRole".into(),
            "llm-d-epp".into()
        )
    );
    assert_eq!(
        subject(&objs, "tiny"),
        (
            "ServiceAccount".into(),
            "tiny-epp-sa".into(),
            "team-a".into()
        )
    );
    assert!(
        all(&objs, "Role").is_empty(),
        "no Role with --epp-cluster-role"
    );
    assert!(
        all(&objs, "ClusterRole").is_empty(),
        "the ClusterRole is pre-installed, not emitted"
    );
});

msvctest!(no_epp_no_rbac, |dir| {
    dir.write("ms.yaml", MS);
    let base: String = BASE.split("  eppDeployment: |").next().unwrap().to_string();
    dir.write("base.yaml", &base);
    let objs = dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
    assert_eq!(
        kinds_and_names(&objs),
        vec![
            ("ServiceAccount".to_string(), "tiny-sa".to_string()),
            ("Service".into(), "tiny-service-decode".into()),
            ("Deployment".into(), "tiny-decode".into()),
        ]
    );
});

msvctest!(pull_secrets_go_on_the_service_accounts, |dir| {
    tiny(dir);
    let objs = dir
        .run(&[
            "render",
            "ms.yaml",
            "base.yaml",
            "--pd-pull-secrets",
            "a,b",
            "--epp-pull-secrets",
            "c",
        ])
        .objects();
    let names = |sa: &str| -> Vec<String> {
        list(find(&objs, "ServiceAccount", sa), "imagePullSecrets")
            .iter()
            .map(|s| text(s, "name"))
            .collect()
    };
    assert_eq!(names("tiny-sa"), ["a", "b"]);
    assert_eq!(names("tiny-epp-sa"), ["c"]);
    // Repeating the flag adds up; without flags there are none.
    let objs2 = dir
        .run(&[
            "render",
            "ms.yaml",
            "base.yaml",
            "--pd-pull-secrets",
            "a",
            "--pd-pull-secrets",
            "b",
        ])
        .objects();
    let sa = find(&objs2, "ServiceAccount", "tiny-sa");
    assert_eq!(
        list(sa, "imagePullSecrets")
            .iter()
            .map(|s| text(s, "name"))
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    let plain = dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
    for sa in all(&plain, "ServiceAccount") {
        assert!(sa.get("imagePullSecrets").is_none(), "{}", show(sa));
    }
});

msvctest!(namespace_flag_overrides_every_namespace, |dir| {
    tiny(dir);
    let objs = dir
        .run(&["render", "ms.yaml", "base.yaml", "--namespace", "prod"])
        .objects();
    for o in &objs {
        assert_eq!(o.namespace(), Some("prod"), "{} {}", o.kind(), o.name());
    }
    assert_eq!(subject(&objs, "tiny").2, "prod");
    let short = dir
        .run(&["render", "ms.yaml", "base.yaml", "-n", "prod"])
        .objects();
    assert_eq!(short, objs);
    // Without the flag: the ModelService's namespace...
    let own = dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
    assert!(own.iter().all(|o| o.namespace() == Some("team-a")));
    // ...else `default`.
    dir.write("ms.yaml", &MS.replace("  namespace: team-a\n", ""));
    let dflt = dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
    assert!(dflt.iter().all(|o| o.namespace() == Some("default")));
});

msvctest!(template_variables_follow_the_namespace_flag, |dir| {
    dir.write("ms.yaml", MS);
    dir.write(
        "base.yaml",
        &BASE.replace(
            r#"args: ["--poolName", "{{ .InferencePoolName }}"]"#,
            r#"args: ["--poolName", "{{ .InferencePoolName }}", "--poolNamespace", "{{ .ModelServiceNamespace }}"]"#,
        ),
    );
    let objs = dir
        .run(&["render", "ms.yaml", "base.yaml", "--namespace", "prod"])
        .objects();
    let args = strings(
        container(find(&objs, "Deployment", "tiny-epp"), "epp"),
        "args",
    );
    assert_eq!(
        args,
        [
            "--poolName",
            "tiny-inference-pool",
            "--poolNamespace",
            "prod"
        ]
    );
});

msvctest!(http_route_parent_refs_merge_by_name, |dir| {
    dir.write("base.yaml", BASE);
    let ms = MS.replace(
        "        port: 8000\n",
        "        port: 8000\n    gatewayRefs:\n      - name: gw\n        port: 1112\n      - name: other\n        namespace: gateways\n",
    );
    dir.write("ms.yaml", &ms);
    let objs = dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
    let route = find(&objs, "HTTPRoute", "tiny-http-route");
    let refs: Vec<_> = list(route, "spec.parentRefs")
        .iter()
        .map(|p| string_map(Some(p)))
        .collect();
    assert_eq!(
        refs,
        vec![
            label_map(&[("name", "gw"), ("port", "1112"), ("sectionName", "http")]),
            label_map(&[("name", "other"), ("namespace", "gateways")]),
        ]
    );
});

msvctest!(
    replicas_win_over_the_base_and_vanish_with_decouple_scaling,
    |dir| {
        tiny(dir);
        let objs = dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
        assert_eq!(
            text(find(&objs, "Deployment", "tiny-decode"), "spec.replicas"),
            "1"
        );
        dir.write(
            "ms.yaml",
            &MS.replace("spec:\n", "spec:\n  decoupleScaling: true\n"),
        );
        let objs = dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
        assert!(at(find(&objs, "Deployment", "tiny-decode"), "spec.replicas").is_none());
    }
);

// ---------------------------------------------------------------------------
// msvc.llm-d.ai/* annotations: one file, one result, whichever door
// ---------------------------------------------------------------------------

/// `MS_PRESET` carrying `annotations` (YAML lines, indented 4).
fn annotated(annotations: &str) -> String {
    MS_PRESET.replace(
        "  name: small\n",
        &format!("  name: small\n  annotations:\n{annotations}"),
    )
}

/// `items` of a `msvc krm` ResourceList output, without the ModelService.
fn krm_objects(out: &str) -> Vec<Node> {
    let list = parse(out).remove(0);
    let items = list.get("items").and_then(Node::as_seq).expect("items");
    items
        .iter()
        .filter(|o| o.kind() != "ModelService")
        .cloned()
        .collect()
}

msvctest!(annotations_render_alike_through_every_door, |dir| {
    let ms = annotated(
        "    msvc.llm-d.ai/preset: vllm-hf,medium\n    msvc.llm-d.ai/gie-api: v1alpha2\n    msvc.llm-d.ai/pd-pull-secrets: regcred\n",
    );
    dir.write("ms.yaml", &ms);
    let render = dir.run(&["render", "ms.yaml"]);
    let objs = render.objects();
    // The annotations took effect: the size preset, the API, the secret.
    let dep = find(&objs, "Deployment", "small-decode");
    assert_eq!(
        text(container(dep, "vllm"), "resources.limits.memory"),
        "32Gi"
    );
    find(&objs, "InferenceModel", "small");
    let sa = find(&objs, "ServiceAccount", "small-sa");
    assert_eq!(text(list(sa, "imagePullSecrets")[0], "name"), "regcred");
    // The same objects from the kustomize plugin, msvc krm and explain.
    let plugin = dir.run(&["kustomize-plugin", "run", "ms.yaml"]);
    assert_eq!(plugin.ok(), render.stdout);
    let list = format!(
        "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n{}",
        ms.lines().map(|l| format!("  {l}\n")).collect::<String>()
    );
    let krm = dir.run_stdin(&["krm"], &list);
    assert_eq!(krm.code, Some(0), "{}", krm.stdout);
    assert_eq!(krm_objects(&krm.stdout), objs);
    let explain = dir.run(&["explain", "ms.yaml", "--path", "InferenceModel/small"]);
    assert!(
        explain.ok().contains("InferenceModel/small"),
        "{}",
        explain.stdout
    );
    let lint = dir.run(&["lint", "ms.yaml"]);
    assert_eq!(lint.code, Some(0), "{}", lint.stdout);
});

msvctest!(
    misspelled_annotation_is_one_error_through_every_door,
    |dir| {
        let ms = annotated("    msvc.llm-d.ai/presets: vllm-hf\n");
        let line = line_of(&ms, "msvc.llm-d.ai/presets");
        dir.write("ms.yaml", &ms);
        let want = [
            &format!("ms.yaml:{line}:28:") as &str,
            "unknown annotation `msvc.llm-d.ai/presets`",
            "did you mean `msvc.llm-d.ai/preset`?",
        ];
        dir.run(&["render", "ms.yaml"]).error(&want);
        dir.run(&["explain", "ms.yaml"]).error(&want);
        let lint = dir.run(&["lint", "ms.yaml"]);
        assert_eq!(lint.code, Some(2), "{}", lint.stdout);
        for needle in want {
            assert!(lint.stdout.contains(needle), "{needle}: {}", lint.stdout);
        }
        let plugin = dir.run(&["kustomize-plugin", "run", "ms.yaml"]);
        assert_eq!(plugin.code, Some(2));
        assert!(plugin.stderr.contains(want[2]), "{}", plugin.stderr);
    }
);

msvctest!(annotation_and_flag_must_agree, |dir| {
    let ms = annotated("    msvc.llm-d.ai/preset: vllm-hf\n    msvc.llm-d.ai/gie-api: v1alpha2\n");
    let preset_line = line_of(&ms, "msvc.llm-d.ai/preset");
    let api_line = line_of(&ms, "msvc.llm-d.ai/gie-api");
    dir.write("ms.yaml", &ms);
    // Saying the same thing twice is fine.
    dir.run(&[
        "render",
        "ms.yaml",
        "--preset",
        "vllm-hf",
        "--gie-api",
        "v1alpha2",
    ])
    .objects();
    dir.run(&["render", "ms.yaml", "--preset", "sglang"])
        .error(&[
            &format!("ms.yaml:{preset_line}:"),
            "annotation `msvc.llm-d.ai/preset: vllm-hf` conflicts with `--preset sglang`",
        ]);
    dir.run(&["render", "ms.yaml", "--gie-api", "v1"]).error(&[
        &format!("ms.yaml:{api_line}:"),
        "annotation `msvc.llm-d.ai/gie-api: v1alpha2` conflicts with `--gie-api v1`",
    ]);
    let lint = dir.run(&["lint", "ms.yaml", "--gie-api", "v1"]);
    assert_eq!(lint.code, Some(2), "{}", lint.stdout);
    assert!(
        lint.stdout.contains("conflicts with `--gie-api v1`"),
        "{}",
        lint.stdout
    );
});

msvctest!(
    annotated_baseconfig_is_read_beside_the_model_service,
    |dir| {
        let ms = annotated("    msvc.llm-d.ai/baseconfig: base.yaml\n");
        dir.write("models/ms.yaml", &ms);
        dir.write("models/base.yaml", BASE);
        let one = dir.run(&["render", "models/ms.yaml"]);
        let objs = one.objects();
        // tiny-base's image, not the default preset's.
        let dep = find(&objs, "Deployment", "small-decode");
        assert_eq!(
            text(container(dep, "vllm"), "image"),
            "vllm/vllm-openai:v0.10.0"
        );
        // The directory holds the BaseConfig too: the same one, not a second.
        let all = dir.run(&["render", "models"]);
        assert_eq!(all.ok(), one.stdout);
        // A missing file names the annotation's line in the ModelService.
        dir.write("models/ms.yaml", &ms.replace("base.yaml", "nope.yaml"));
        let line = line_of(&ms, "msvc.llm-d.ai/baseconfig");
        dir.run(&["render", "models/ms.yaml"]).error(&[
            &format!("models/ms.yaml:{line}:"),
            "cannot read BaseConfig file `nope.yaml`",
        ]);
    }
);

// ---------------------------------------------------------------------------
// The BaseConfig must fit the model URI
// ---------------------------------------------------------------------------

/// The model server's `command` and `args` of `dep`.
fn serve_line(dep: &Node) -> Vec<String> {
    let c = container(dep, "vllm");
    let mut line = strings(c, "command");
    line.extend(strings(c, "args"));
    line
}

msvctest!(default_preset_follows_the_model_uri_scheme, |dir| {
    let root = crate_root();
    for (file, name, model) in [
        (
            "examples/tenant-medium-qwen3-32b.yaml",
            "qwen3-32b-decode",
            "/model-cache",
        ),
        (
            "examples/tenant-large-llama-3.3-70b.yaml",
            "llama-3-3-70b-decode",
            "/model-cache/",
        ),
    ] {
        let run = dir.run(&["render", root.join(file).to_str().unwrap()]);
        let objs = run.objects();
        let dep = find(&objs, "Deployment", name);
        let line = serve_line(dep);
        assert!(
            line.len() > 2 && line[..2] == ["vllm", "serve"] && line[2].starts_with(model),
            "{file}: {line:?}"
        );
    }
    // And lint agrees: nothing to report.
    let lint = dir.run(&["lint", root.join("examples").to_str().unwrap()]);
    assert_eq!(lint.code, Some(0), "{}", lint.stdout);
});

msvctest!(
    preset_for_another_scheme_is_an_error_naming_the_one_that_fits,
    |dir| {
        dir.write("ms.yaml", MS_PRESET);
        let line = line_of(MS_PRESET, "uri: hf://");
        let want = [
            &format!("ms.yaml:{line}:10:") as &str,
            "preset `vllm-pvc` loads pvc:// models, not `hf://facebook/opt-125m`",
            "use preset `vllm-hf`",
        ];
        dir.run(&["render", "ms.yaml", "--preset", "vllm-pvc"])
            .error(&want);
        let lint = dir.run(&["lint", "ms.yaml", "--preset", "vllm-pvc"]);
        assert_eq!(lint.code, Some(2), "{}", lint.stdout);
        for needle in want {
            assert!(lint.stdout.contains(needle), "{needle}: {}", lint.stdout);
        }
        // An oci:// model on the hf:// preset, through the annotation.
        let oci = MS_PRESET
            .replace("hf://facebook/opt-125m", "oci://registry.example.com/opt:1")
            .replace(
                "  name: small\n",
                "  name: small\n  annotations:\n    msvc.llm-d.ai/preset: vllm-hf\n",
            );
        dir.write("oci.yaml", &oci);
        dir.run(&["render", "oci.yaml"]).error(&[
            "preset `vllm-hf` loads hf:// models",
            "use preset `vllm-oci`",
        ]);
    }
);

msvctest!(a_base_config_declares_the_schemes_it_loads, |dir| {
    let base = BASE.replace(
        "  name: tiny-base\n",
        "  name: tiny-base\n  annotations:\n    msvc.llm-d.ai/model-uri-schemes: pvc\n",
    );
    dir.write("ms.yaml", MS);
    dir.write("base.yaml", &base);
    dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
        "BaseConfig `tiny-base` loads pvc:// models, not `hf://org/tiny`",
        "add hf to msvc.llm-d.ai/model-uri-schemes of `tiny-base` (base.yaml:1:1)",
    ]);
    dir.write("base.yaml", &base.replace(": pvc\n", ": pvc,hf\n"));
    dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
    dir.write("base.yaml", &base.replace(": pvc\n", ": hff\n"));
    dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
        "base.yaml:6:38:",
        "msvc.llm-d.ai/model-uri-schemes: unknown scheme `hff`",
        "did you mean `hf`?",
    ]);
});

msvctest!(a_container_that_serves_no_model_is_an_error, |dir| {
    // The default preset's vllm without the model in its args.
    let bare = MS_PRESET.replace("        args: [\"{{ .HFModelName }}\"]\n", "");
    dir.write("ms.yaml", &bare);
    let want = [
        "ms.yaml:",
        "Deployment `small-decode` serves no model: with preset `vllm-hf`",
        "`args: [\"{{ .HFModelName }}\"]`",
    ];
    dir.run(&["render", "ms.yaml"]).error(&want);
    let lint = dir.run(&["lint", "ms.yaml"]);
    assert_eq!(lint.code, Some(2), "{}", lint.stdout);
    assert!(lint.stdout.contains(want[1]), "{}", lint.stdout);
    // The cpu preset's simulator loads no weights, and says so.
    dir.run(&[
        "render", "ms.yaml", "--preset", "vllm-hf", "--preset", "cpu",
    ])
    .objects();
    // A BaseConfig of one's own that hands the model over in env is fine.
    let ms = MS.replace(
        "        args: [\"{{ .HFModelName }}\"]\n",
        "        env:\n          - name: MODEL_ID\n            value: \"{{ .HFModelName }}\"\n",
    );
    dir.write("ms.yaml", &ms);
    dir.write("base.yaml", BASE);
    let objs = dir.run(&["render", "ms.yaml", "base.yaml"]).objects();
    let dep = find(&objs, "Deployment", "tiny-decode");
    assert_eq!(
        env_value(container(dep, "vllm"), "MODEL_ID").as_deref(),
        Some("org/tiny")
    );
    // Without it, the same error names that BaseConfig.
    dir.write(
        "ms.yaml",
        &MS.replace("        args: [\"{{ .HFModelName }}\"]\n", ""),
    );
    dir.run(&["render", "ms.yaml", "base.yaml"])
        .error(&["serves no model: with BaseConfig `tiny-base`"]);
});

// ---------------------------------------------------------------------------
// Errors met in a built-in preset point at the user's file
// ---------------------------------------------------------------------------

msvctest!(
    preset_errors_name_the_model_service_then_the_preset_line,
    |dir| {
        let ms = MS_PRESET.replace("name: app_port", "name: http_port");
        let line = line_of(&ms, "    ports:");
        dir.write("ms.yaml", &ms);
        let run = dir.run(&["render", "ms.yaml"]);
        run.error(&[
            &format!("error: ms.yaml:{line}:5: "),
            "unknown port `app_port`; spec.routing.ports names http_port",
            "name a port `app_port` in spec.routing.ports",
        ]);
        assert!(!run.stderr.contains("presets/"), "{}", run.stderr);
        // The second line names the preset line, as `presets show` prints it.
        let note = run.stderr.lines().nth(1).unwrap_or_default();
        let at = note
            .strip_prefix("  note: preset vllm-hf (`msvc presets show vllm-hf`) line ")
            .and_then(|rest| rest.strip_suffix(" uses port `app_port`"))
            .unwrap_or_else(|| panic!("{}", run.stderr));
        let (l, c) = at.split_once(':').unwrap();
        let (l, c): (usize, usize) = (l.parse().unwrap(), c.parse().unwrap());
        let shown = dir.run(&["presets", "show", "vllm-hf"]);
        let preset_line = shown.ok().lines().nth(l - 1).unwrap();
        assert!(
            preset_line.contains("\"app_port\" | getPort")
                && preset_line[c - 1..].starts_with("getPort"),
            "{preset_line}"
        );
        // lint annotates a file that is in the repository.
        let github = dir.run(&["lint", "ms.yaml", "--format", "github"]);
        assert_eq!(github.code, Some(2));
        assert!(
            github
                .stdout
                .starts_with(&format!("::error file=ms.yaml,line={line},col=5,")),
            "{}",
            github.stdout
        );
        assert!(
            github.stdout.contains("note: preset vllm-hf"),
            "{}",
            github.stdout
        );
        let json = dir.run(&["lint", "ms.yaml", "--format", "json"]);
        let findings: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(findings[0]["file"], "ms.yaml", "{}", json.stdout);
        assert_eq!(findings[0]["line"], line, "{}", json.stdout);
        // A BaseConfig of one's own keeps its own position: the user has it.
        let base = BASE.replace("\"app_port\" | getPort", "\"other_port\" | getPort");
        dir.write("base.yaml", &base);
        dir.write("ms.yaml", MS);
        dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
            &format!("error: base.yaml:{}:", line_of(&base, "other_port")),
            "unknown port `other_port`",
        ]);
    }
);

// ---------------------------------------------------------------------------
// Other subcommands
// ---------------------------------------------------------------------------

msvctest!(presets_list_names_every_preset, |dir| {
    let run = dir.run(&["presets", "list"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let names: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(names.contains(&"vllm-hf"), "{}", run.stdout);
    for line in run.stdout.lines() {
        assert!(
            line.split_whitespace().count() > 1,
            "no description: {line}"
        );
    }
    let files: Vec<String> = std::fs::read_dir(crate_root().join("presets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for f in &files {
        assert!(
            names.contains(&f.as_str()),
            "presets/{f}.yaml is not listed:\n{}",
            run.stdout
        );
    }
});

msvctest!(presets_show_prints_the_preset_file, |dir| {
    let file = read(&crate_root().join("presets/vllm-hf.yaml"));
    let old_api = dir.run(&["presets", "show", "vllm-hf", "--gie-api", "v1alpha2"]);
    assert_eq!(old_api.ok(), file);
    // For the v1 API (the default) the file without its InferenceModel,
    // which v1 does not have: the file's lines, in order, but those.
    let run = dir.run(&["presets", "show", "vllm-hf"]);
    assert!(!run.ok().contains("inferenceModel"), "{}", run.stdout);
    let mut file_lines = file.lines();
    for line in run.stdout.lines() {
        assert!(
            file_lines.any(|l| l == line),
            "`{line}` is not the preset's"
        );
    }
    assert!(run.stdout.lines().count() >= file.lines().count() - 8);
    // What it prints is a BaseConfig msvc can use with -b, without a warning.
    dir.write("vllm-hf.yaml", &run.stdout);
    dir.write("ms.yaml", MS_PRESET);
    let via_b = dir.run(&["render", "ms.yaml", "-b", "vllm-hf.yaml"]);
    let via_preset = dir.run(&["render", "ms.yaml", "--preset", "vllm-hf"]);
    via_preset.objects();
    assert_eq!(via_b.stdout, via_preset.stdout, "{}", via_b.stderr);
    assert_eq!(via_b.stderr, "");
});

msvctest!(presets_show_unknown_exits_2, |dir| {
    dir.run(&["presets", "show", "nope"])
        .error(&["unknown preset `nope`"]);
});

msvctest!(completions_bash, |dir| {
    let run = dir.run(&["completions", "bash"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("_msvc()"), "{}", run.stdout);
    assert!(
        run.stdout.contains("complete -F _msvc"),
        "not a bash completion script"
    );
    for word in ["render", "presets", "--epp-cluster-role", "--check"] {
        assert!(run.stdout.contains(word), "completion lacks {word}");
    }
});

msvctest!(usage_errors_exit_2, |dir| {
    let run = dir.run(&["render", "--no-such-flag"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stdout.is_empty());
    let run = dir.run(&["frobnicate"]);
    assert_eq!(run.code, Some(2));
    let help = dir.run(&["render", "--help"]);
    assert_eq!(help.code, Some(0));
    assert!(help.stdout.contains("--epp-cluster-role"));
});
