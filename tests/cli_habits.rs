//! What users of kubectl and Helm type out of habit, through the binary:
//! each either works as it does there or is refused with a hint, never
//! silently taken to mean something else.

mod common;

use common::*;

const VALUES: &str = "tests/chart/accel-amd/values.yaml";

fn example(name: &str) -> String {
    crate_root()
        .join("examples")
        .join(name)
        .display()
        .to_string()
}

fn values() -> String {
    crate_root().join(VALUES).display().to_string()
}

/// `kubectl get -o yaml` habits: `-o` is msvc's output directory, so an
/// output format there would write a directory named `yaml` and print
/// nothing. It is refused, and nothing is written.
#[test]
fn output_formats_given_to_dash_o_are_refused_with_a_hint() {
    let dir = Sandbox::new("o-formats");
    let ms = example("llama2-7b.yaml");
    for (format, hint) in [
        ("yaml", "give -o ./yaml"),
        ("json", "it writes YAML only"),
        ("-", "standard output when -o is left out"),
        ("jsonpath={.items}", "`kubectl -o jsonpath`"),
    ] {
        let run = dir.run(&["render", &ms, "-o", format]);
        run.error(&["-o takes a directory", hint]);
        assert!(
            dir.tree(".").is_empty(),
            "-o {format} wrote {:?}",
            dir.tree(".")
        );
    }
    for format in ["yaml", "json"] {
        dir.run(&["template", "m", "-f", &values(), "-o", format])
            .error(&["-o takes a directory"]);
    }
    // A directory of that name is one `./` away.
    dir.run(&["render", &ms, "-o", "./yaml"]).ok();
    assert!(
        dir.tree("yaml")
            .iter()
            .any(|f| f.ends_with("deployment-llama2-7b-decode.yaml"))
    );
}

/// `kubectl apply -f FILE`: `-f`/`--filename` names inputs as INPUT does.
#[test]
fn dash_f_names_inputs_as_kubectl_does() {
    let dir = Sandbox::new("dash-f");
    let ms = example("llama2-7b.yaml");
    let positional = dir.run(&["render", &ms]);
    let dash_f = dir.run(&["render", "-f", &ms]);
    let long = dir.run(&["render", "--filename", &ms]);
    assert_eq!(dash_f.ok(), positional.ok());
    assert_eq!(long.ok(), positional.ok());
    assert!(dir.run(&["lint", "-f", &ms]).code == Some(0));
    assert!(
        dir.run(&["explain", "-f", &ms, "--path", "spec.replicas"])
            .ok()
            .contains("spec.replicas")
    );
}

/// `helm template --version`: in `template` it is the chart's version,
/// checked against the chart msvc renders, not msvc's own version.
#[test]
fn template_version_is_the_chart_version() {
    let dir = Sandbox::new("template-version");
    let plain = dir.run(&["template", "m", "-f", &values()]);
    for wanted in ["0.4.12", "v0.4.12", "^0.4", ">= 0.4, < 0.5"] {
        let run = dir.run(&["template", "m", "-f", &values(), "--version", wanted]);
        assert_eq!(run.ok(), plain.ok(), "--version {wanted}");
    }
    dir.run(&["template", "m", "-f", &values(), "--version", "0.4.5"])
        .error(&[
            "--version",
            "0.4.5 is not the chart msvc renders",
            "v0.4.12",
        ]);
    dir.run(&["template", "m", "-f", &values(), "--version", "latest"])
        .error(&["`latest` is not a version or a range"]);
    // msvc's own version is still `msvc --version` and `msvc render --version`.
    let own = dir.run(&["--version"]);
    assert!(own.ok().starts_with("msvc "), "{}", own.stdout);
    assert!(
        dir.run(&["render", "--version"])
            .ok()
            .starts_with("msvc-render ")
    );
}

/// `msvc render . -o manifests`, run twice: the second run does not read
/// the first one's output (it would warn about, or with --strict refuse,
/// every Deployment in it).
#[test]
fn a_render_does_not_read_its_own_output_directory() {
    let dir = Sandbox::new("own-output");
    dir.write(
        "models/llama.yaml",
        &read(&crate_root().join("examples/llama2-7b.yaml")),
    );
    let first = dir.run(&["render", ".", "-o", "manifests", "--strict"]);
    first.ok();
    assert_eq!(first.stderr, "");
    let before = dir.snapshot("manifests");
    let second = dir.run(&["render", ".", "-o", "manifests", "--strict"]);
    second.ok();
    assert_eq!(second.stderr, "", "the second run read its own output");
    assert_eq!(dir.snapshot("manifests"), before);
    // Named as an input, the output directory is refused with a hint.
    dir.run(&["render", "manifests"])
        .error(&["manifests", "msvc's own output", "--diff"]);
}

/// Shell completions offer preset names for `--preset` and `presets show`.
#[test]
fn completions_offer_preset_names() {
    let dir = Sandbox::new("completions");
    let bash = dir.run(&["completions", "bash"]);
    let script = bash.ok();
    let names = "amd-rocm aws-efa cpu google-tpu";
    let render = script
        .split("msvc__subcmd__render)")
        .nth(1)
        .expect("a render section");
    let preset_case = render.split("--preset)").nth(1).expect("a --preset case");
    assert!(
        preset_case.lines().take(3).any(|l| l.contains(names)),
        "--preset does not complete preset names:\n{}",
        &preset_case[..preset_case.len().min(400)]
    );
    let show = script
        .split("msvc__subcmd__presets__subcmd__show)")
        .nth(1)
        .expect("a presets show section");
    assert!(show.lines().take(3).any(|l| l.contains(names)));
    let fish = dir.run(&["completions", "fish"]);
    let fish = fish.ok();
    let preset = fish.split("-l preset").nth(1).expect("a --preset line");
    assert!(
        preset.contains("vllm-hf\\t'vLLM decode for a Hugging Face model"),
        "{preset}"
    );
}

/// `-b FILE` that cannot be read says it was the `-b` file.
#[test]
fn an_unreadable_baseconfig_names_dash_b() {
    let dir = Sandbox::new("dash-b");
    dir.run(&["render", &example("llama2-7b.yaml"), "-b", "nope.yaml"])
        .error(&["the BaseConfig given with -b", "nope.yaml", "no such file"]);
}

/// The Argo CD image builds from the repository root: its build context
/// leaves out build output (`target/` is gigabytes) and fuzzing state.
#[test]
fn the_docker_build_context_leaves_out_build_output() {
    let ignore = read(&crate_root().join(".dockerignore"));
    let ignored: Vec<&str> = ignore
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(str::trim)
        .collect();
    for dir in ["target", "fuzz/target", "fuzz/corpus", ".git"] {
        assert!(ignored.contains(&dir), ".dockerignore lacks {dir}");
    }
    let dockerfile = read(&crate_root().join("integrations/argocd/Dockerfile"));
    assert!(dockerfile.contains("docker build -f integrations/argocd/Dockerfile"));
}

/// Words of a sample command line, with '...' quoting as a shell reads it.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The README's samples of `msvc --version`, `msvc explain` and `--diff`
/// are what the binary prints: every `$ msvc --version` and `$ msvc
/// explain` sample, run from the crate root, prints the lines below it.
#[test]
fn readme_samples_are_what_msvc_prints() {
    let readme = read(&crate_root().join("README.md"));
    let lines: Vec<&str> = readme.lines().collect();
    let mut checked = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(cmd) = line.strip_prefix("    $ msvc ") else {
            continue;
        };
        if !(cmd.starts_with("explain ") || cmd == "--version") {
            continue;
        }
        let sample: String = lines[i + 1..]
            .iter()
            .take_while(|l| l.starts_with("    ") && !l.starts_with("    $ "))
            .map(|l| format!("{}\n", &l[4..]))
            .collect();
        let args = shell_words(cmd);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_msvc"))
            .args(&args)
            .current_dir(crate_root())
            .output()
            .expect("running msvc");
        let out = String::from_utf8_lossy(&run.stdout);
        assert_eq!(out, sample, "README.md line {}: `msvc {cmd}`", i + 1);
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} samples found");
    let dir = Sandbox::new("readme-samples");

    // --diff: a diff and a `changed:` line per object, then the summary.
    let ms = read(&crate_root().join("examples/llama2-7b.yaml"));
    dir.write("m.yaml", &ms);
    let before = dir.run(&["render", "m.yaml"]);
    dir.write("prev.yaml", before.ok());
    assert_eq!(
        dir.run(&["render", "m.yaml", "--diff", "prev.yaml"]).stdout,
        ""
    );
    dir.write("m.yaml", &ms.replace("replicas: 1", "replicas: 2"));
    let diff = dir.run(&["render", "m.yaml", "--diff", "prev.yaml"]);
    assert_eq!(diff.code, Some(1));
    assert!(
        diff.stdout
            .contains("changed: Deployment default/llama2-7b-decode\n")
    );
    assert!(diff.stdout.ends_with("1 changed, 0 added, 0 removed\n"));
    assert!(readme.contains("a summary (`1 changed, 0 added, 0 removed`)"));
}
