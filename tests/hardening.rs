//! Limits and sandbox, through the built binary: YAML bombs, the template
//! sandbox and budget, secrets, and `-o` (names that try to escape, writes
//! that fail half way).
//!
//! No test here measures wall-clock time (a runaway would hang the test
//! instead of failing it); memory is measured with GNU time (the Debian
//! package `time`, which `.ci/run` installs where it is missing; without it
//! the memory limits are skipped, saying so, and the rest still runs).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{Run, Sandbox, line_of, require_gnu_time};

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_msvc")
}

/// A run with its peak resident memory in KiB, by GNU `time -f %M`;
/// without GNU time, the run alone (the skip is said on stderr).
fn max_rss_kib(dir: &Sandbox, args: &[&str]) -> (Run, Option<u64>) {
    let Some(time) = require_gnu_time() else {
        return (dir.run(args), None);
    };
    let out = Command::new(time)
        .args(["-f", "MSVC_MAX_RSS_KIB=%M", bin()])
        .args(args)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("running GNU time");
    let mut run = Run::from(out);
    let (rest, last) = run
        .stderr
        .trim_end()
        .rsplit_once('\n')
        .unwrap_or(("", run.stderr.trim_end()));
    let kib = last
        .strip_prefix("MSVC_MAX_RSS_KIB=")
        .and_then(|n| n.trim().parse().ok());
    let Some(kib) = kib else {
        panic!("GNU time printed no %M:\n{}", run.stderr);
    };
    run.stderr = format!("{rest}\n").trim_start().to_string();
    (run, Some(kib))
}

/// A few MB: what a refused 1 KB input may cost at most.
const MAX_RSS_KIB: u64 = 64 * 1024;

/// `msvc render ms.yaml base.yaml` fails with every needle (exit 2, the
/// error on stderr) within [`MAX_RSS_KIB`]; the peak, in KiB, when GNU
/// time is there to measure it.
fn refused_in_a_few_mb(dir: &Sandbox, needles: &[String]) -> Option<u64> {
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    let (run, kib) = max_rss_kib(dir, &["render", "ms.yaml", "base.yaml"]);
    run.error(&needles);
    if let Some(kib) = kib {
        assert!(kib < MAX_RSS_KIB, "{needles:?}: {kib} KiB max RSS");
    }
    kib
}

const MS: &str = r#"apiVersion: llm-d.ai/v1alpha1
kind: ModelService
metadata:
  name: tiny
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
    authSecretName: hf-token
  decode:
    replicas: 1
    containers:
      - name: vllm
        args: ["{{ .HFModelName }}"]
        mountModelVolume: true
"#;

const BASE: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: tiny-base
data:
  decodeDeployment: |
    apiVersion: apps/v1
    kind: Deployment
    spec:
      replicas: 1
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
"#;

/// `BASE` with `line` added to the Deployment's spec (6 spaces in).
fn base_with(line: &str) -> String {
    BASE.replacen(
        "      replicas: 1\n",
        &format!("      replicas: 1\n      {line}\n"),
        1,
    )
}

// ---------------------------------------------------------------------------
// YAML bombs and nesting
// ---------------------------------------------------------------------------

/// A "billion laughs" of 1 KB: eighteen levels of ten aliases, 10^18 nodes
/// expanded.
fn alias_bomb() -> String {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..19 {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 10].join(",");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text
}

#[test]
fn a_1kb_alias_bomb_is_refused_in_a_few_mb() {
    let bomb = alias_bomb();
    assert!((900..=1200).contains(&bomb.len()), "{} bytes", bomb.len());
    let dir = Sandbox::new("bomb");
    dir.write("bomb.yaml", &bomb);
    // a3 is the first anchor past the 10,000-node budget (11,111 nodes).
    let line = line_of(&bomb, "a3:");
    let needles = [
        format!("error: bomb.yaml:{line}:"),
        "YAML aliases expand to more than 10000 nodes".to_string(),
        "billion laughs".to_string(),
    ];
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    dir.run(&["render", "bomb.yaml"]).error(&needles);
    let (run, kib) = max_rss_kib(&dir, &["render", "bomb.yaml"]);
    run.error(&needles);
    if let Some(kib) = kib {
        eprintln!(
            "refusing a {} byte alias bomb: {kib} KiB max RSS",
            bomb.len()
        );
        assert!(
            kib < MAX_RSS_KIB,
            "refusing a 1 KB bomb took {kib} KiB of memory"
        );
    }
}

#[test]
fn an_alias_bomb_in_a_rendered_baseconfig_value_is_refused_at_its_line() {
    let dir = Sandbox::new("bomb-base");
    let indented: String = alias_bomb().lines().map(|l| format!("    {l}\n")).collect();
    let base = format!("{BASE}{indented}");
    dir.write("ms.yaml", MS);
    dir.write("base.yaml", &base);
    let line = line_of(&base, "a3:");
    dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
        &format!("error: base.yaml:{line}:"),
        "data key `decodeService` is not valid YAML after rendering",
        "more than 10000 nodes",
    ]);
}

#[test]
fn deep_nesting_is_refused_in_a_few_mb() {
    let dir = Sandbox::new("deep");
    // 100 KB of brackets: a recursive parser would overflow its stack.
    let deep = format!("a: {}{}\n", "[".repeat(50_000), "]".repeat(50_000));
    dir.write("deep.yaml", &deep);
    let needles = ["error: deep.yaml:1:", "YAML nested deeper than 64 levels"];
    dir.run(&["render", "deep.yaml"]).error(&needles);
    let (run, kib) = max_rss_kib(&dir, &["render", "deep.yaml"]);
    run.error(&needles);
    if let Some(kib) = kib {
        eprintln!("refusing 100 KB of nesting: {kib} KiB max RSS");
        assert!(kib < MAX_RSS_KIB, "refusing deep nesting took {kib} KiB");
    }
    // The same from block indentation.
    let mut block = String::new();
    for i in 0..100 {
        block.push_str(&format!("{}k{i}:\n", "  ".repeat(i)));
    }
    dir.write("block.yaml", &block);
    dir.run(&["render", "block.yaml"])
        .error(&["error: block.yaml:", "nested deeper than 64 levels"]);
}

// ---------------------------------------------------------------------------
// Template sandbox: no environment, no files, no other templates
// ---------------------------------------------------------------------------

/// A value only the environment of the msvc process holds.
const ENV_SECRET: &str = "msvc-hardening-env-value-7f3a";

#[test]
fn templates_cannot_read_the_environment_or_files_or_other_templates() {
    let dir = Sandbox::new("sandbox");
    dir.write("ms.yaml", MS);
    dir.write("secret.txt", ENV_SECRET);
    let cases: &[(&str, &str)] = &[
        (
            r#"x: "{{ get_env(name="MSVC_HARDENING") }}""#,
            "templates cannot read the environment, files or the clock",
        ),
        (
            r#"x: "{{ get_env(name="HOME", default="x") }}""#,
            "Unknown function `get_env`",
        ),
        (
            r#"x: "{{ "MSVC_HARDENING" | env }}""#,
            "Unknown filter `env`",
        ),
        (
            r#"x: "{{ read_file(path="secret.txt") }}""#,
            "Unknown function `read_file`",
        ),
        (
            r#"x: "{{ load_data(path="secret.txt") }}""#,
            "Unknown function `load_data`",
        ),
        (
            r#"x: "{{ now() }}""#,
            "templates cannot read the environment, files or the clock",
        ),
        (
            r#"{% include "secret.txt" %}"#,
            "`{% include %}` is not supported",
        ),
        (
            r#"{% include "decodeService" %}"#,
            "`{% include %}` is not supported",
        ),
        (
            r#"{% import "decodeService" as m %}"#,
            "`{% import %}` is not supported",
        ),
        (
            r#"{% extends "decodeService" %}"#,
            "`{% extends %}` is not supported",
        ),
        (
            r#"{% macro m() %}x{% endmacro %}"#,
            "`{% macro %}` is not supported",
        ),
        (
            r#"x: "{{ template "decodeService" }}""#,
            "Go-template construct `{{ template }}` is not supported",
        ),
        (
            r#"x: "{{ include "decodeService" . }}""#,
            "Go-template construct `{{ include }}` is not supported",
        ),
        (
            r#"x: "{{ tpl "{{ .HOME }}" . }}""#,
            "Go-template construct `{{ tpl }}` is not supported",
        ),
    ];
    for (construct, expected) in cases {
        let base = base_with(construct);
        dir.write("base.yaml", &base);
        let line = line_of(&base, construct);
        let run = Run::from(
            dir.command(&["render", "ms.yaml", "base.yaml"])
                .env("MSVC_HARDENING", ENV_SECRET)
                .output()
                .expect("running msvc"),
        );
        run.error(&[
            &format!("error: base.yaml:{line}:"),
            "decodeDeployment",
            expected,
        ]);
        assert!(
            !run.stderr.contains(ENV_SECRET),
            "{construct} leaked:\n{}",
            run.stderr
        );
    }
}

// ---------------------------------------------------------------------------
// Template budget
// ---------------------------------------------------------------------------

#[test]
fn nested_loops_stop_at_the_budget_naming_file_key_line_and_limit() {
    let dir = Sandbox::new("budget");
    dir.write("ms.yaml", MS);
    // 10^15 iterations without the budget.
    let loops = "{%- for a in range(end=100000) %}{% for b in range(end=100000) %}{% for c in range(end=100000) %}{% endfor %}{% endfor %}{% endfor %}";
    let base = base_with(loops);
    dir.write("base.yaml", &base);
    let line = line_of(&base, loops);
    let needles = [
        format!("error: base.yaml:{line}:"),
        "in template decodeDeployment".to_string(),
        "template budget exceeded: more than 100000 loop iterations".to_string(),
    ];
    if let Some(kib) = refused_in_a_few_mb(&dir, &needles) {
        eprintln!("stopping 10^15 loop iterations: {kib} KiB max RSS");
    }

    // A list made once and looped over in three levels counts every pass.
    let reuse = "{%- set r = range(end=100) %}{% for a in r %}{% for b in r %}{% for c in r %}{% endfor %}{% endfor %}{% endfor %}";
    dir.write("base.yaml", &base_with(reuse));
    dir.run(&["render", "ms.yaml", "base.yaml"])
        .error(&["template budget exceeded"]);

    // Just under the budget renders.
    let fine =
        "{%- for a in range(end=200) %}{% for b in range(end=200) %}{% endfor %}{% endfor %}";
    dir.write("base.yaml", &base_with(fine));
    dir.run(&["render", "ms.yaml", "base.yaml"]).ok();
}

/// Loops that Tera runs however they are spelled: `in` glued to the
/// iterable, and loops after a raw block that holds a quote (msvc once read
/// past `{% endraw %}` and counted none of them: 160,000 iterations, and
/// 10^9 that ran for ever).
#[test]
fn loops_are_counted_however_they_are_spelled() {
    let dir = Sandbox::new("budget-spelling");
    dir.write("ms.yaml", MS);
    for construct in [
        "{%- set r = range(end=400) %}{% for a in(r) %}{% for b in(r) %}{% endfor %}{% endfor %}",
        "{%- set r = range(end=400) %}{{ [[y for y in(r)] for x in(r)] | length }}",
        "{%- set r = range(end=400) %}{{ [[1for y in r] for x in r] | length }}",
        r#"# {%- set r = range(end=1000) %}{% raw %}{{ "{% endraw %}{% for a in r %}{% for b in r %}{% for c in r %}{% endfor %}{% endfor %}{% endfor %}" }}"#,
    ] {
        let base = base_with(construct);
        dir.write("base.yaml", &base);
        let line = line_of(&base, construct);
        dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
            &format!("error: base.yaml:{line}:"),
            "in template decodeDeployment",
            "template budget exceeded: more than 100000 loop iterations",
        ]);
    }
}

/// Thirty doublings of a string (8 GiB) in 700 bytes of template, nested
/// lists, and chained `replace` and `quote` (which doubles backslashes: 20
/// of them made 64 GiB of 64 KiB): stopped at 1 MiB per value.
#[test]
fn template_values_cannot_grow_to_gigabytes() {
    let dir = Sandbox::new("value-cap");
    dir.write("ms.yaml", MS);
    for (construct, expected) in [
        (
            format!(
                "{{%- set a = \"xxxxxxxx\" %}}{}",
                "{% set a = a ~ a %}".repeat(30)
            ),
            "a value kept with `set` is larger than 1048576 bytes",
        ),
        (
            format!(
                "{{%- set a = [1] %}}{}{{{{ a | str }}}}",
                "{% set a = [a, a] %}".repeat(40)
            ),
            "a list or map written in the template is larger than",
        ),
        (
            format!(
                "{{%- set a = \"\\\\\\\\\" %}}{}{{{{ a {}| length }}}}",
                "{% set a = a ~ a %}".repeat(15),
                "| quote ".repeat(20)
            ),
            "the result of `quote` is larger than 1048576 bytes",
        ),
        (
            format!(
                "x: \"{{{{ \"a\" {}}}}}\"",
                "| replace(from=\"a\", to=\"aaaaaaaaaa\") ".repeat(12)
            ),
            "the result of `replace` is larger than 1048576 bytes",
        ),
    ] {
        let base = base_with(&construct);
        dir.write("base.yaml", &base);
        let line = line_of(&base, &construct);
        let needles = [
            format!("error: base.yaml:{line}:"),
            "in template decodeDeployment".to_string(),
            expected.to_string(),
        ];
        refused_in_a_few_mb(&dir, &needles);
    }
}

/// A 1 MiB string (17 doublings, each kept with `set`) multiplied by what
/// no `set` weighs: a list comprehension (3 GB when msvc weighed only `set`
/// values), `~` on a list, a list written out, a `{% filter %}` body.
#[test]
fn values_built_without_set_are_weighed_too() {
    let dir = Sandbox::new("value-cap-unset");
    dir.write("ms.yaml", MS);
    let mib = format!(
        "{{%- set a = \"xxxxxxxx\" %}}{}",
        "{% set a = a ~ a %}".repeat(17)
    );
    let many_a = vec!["a"; 2000].join(", ");
    for (construct, expected) in [
        (
            "minReadySeconds: {{ [a ~ a for x in range(end=1500)] | length }}".to_string(),
            "the list a comprehension makes is larger than 1048576 bytes",
        ),
        (
            "minReadySeconds: {{ ([a for x in range(end=1500)] ~ \"\") | length }}".to_string(),
            "the list a comprehension makes is larger than 1048576 bytes",
        ),
        (
            format!("minReadySeconds: {{{{ [{many_a}] | join(sep=\"\") | length }}}}"),
            "a list or map written in the template is larger than 1048576 bytes",
        ),
        (
            format!("minReadySeconds: {{{{ ({{\"k\": [{many_a}]}} | go_print) | length }}}}"),
            "a list or map written in the template is larger than 1048576 bytes",
        ),
        (
            "minReadySeconds: {{ ((a ~ a) ~ \"\") | length }}".to_string(),
            "an operand of `~` is larger than 1048576 bytes",
        ),
        (
            "# {% filter length %}{% for i in range(end=1500) %}{{ a }}{% endfor %}{% endfilter %}"
                .to_string(),
            "the block form `{% filter NAME %}...{% endfilter %}` is not supported",
        ),
    ] {
        let base = base_with(&format!("# {mib}\n      {construct}"));
        dir.write("base.yaml", &base);
        let line = line_of(&base, &construct);
        let needles = [
            format!("error: base.yaml:{line}:"),
            "in template decodeDeployment".to_string(),
            expected.to_string(),
        ];
        if let Some(kib) = refused_in_a_few_mb(&dir, &needles) {
            let short: String = construct.chars().take(60).collect();
            eprintln!("refusing {short}...: {kib} KiB max RSS");
        }
    }
    // A 1 MiB value is still fine where it stays 1 MiB: `["x...x"]` and
    // `1048576` joined.
    let base = base_with(&format!(
        "# {mib}\n      minReadySeconds: {{{{ ([a for x in range(end=1)] ~ (a ~ \"\") | length) | length }}}}"
    ));
    dir.write("base.yaml", &base);
    let out = dir.run(&["render", "ms.yaml", "base.yaml"]);
    assert!(
        out.ok().contains("minReadySeconds: 1048587\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_template_cannot_render_more_than_1_mib() {
    let dir = Sandbox::new("output-cap");
    dir.write("ms.yaml", MS);
    // 40,000 x 40 bytes: 1.6 MB, well inside the loop budget.
    let big = format!(
        "{{%- for a in range(end=40000) %}}{}{{% endfor %}}",
        "#".repeat(40)
    );
    let base = base_with(&big);
    dir.write("base.yaml", &base);
    dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
        "error: base.yaml:7:",
        "in template decodeDeployment",
        "larger than 1048576 bytes (1 MiB)",
    ]);
    // A ModelService arg is a template too, with the same limits.
    let ms = MS.replace(
        r#"args: ["{{ .HFModelName }}"]"#,
        r#"args: ["{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}"]"#,
    );
    dir.write("ms.yaml", &ms);
    dir.write("base.yaml", BASE);
    let line = line_of(&ms, "range(end=100000)");
    dir.run(&["render", "ms.yaml", "base.yaml"]).error(&[
        &format!("error: ms.yaml:{line}:"),
        "spec.decode.containers[0].args[0]",
        "template budget exceeded",
    ]);
    // An arg that prints a 1 MiB value 2,500 times stops at 1 MiB of
    // output, as it is written (it once built all 2.5 GB first and aborted:
    // "memory allocation of 4294967296 bytes failed").
    let arg = format!(
        "{{%- set a = \\\"xxxxxxxx\\\" %}}{}{{% for i in range(end=2500) %}}{{{{ a }}}}{{% endfor %}}",
        "{% set a = a ~ a %}".repeat(17)
    );
    let ms = MS.replace(r#""{{ .HFModelName }}""#, &format!("\"{arg}\""));
    dir.write("ms.yaml", &ms);
    let line = line_of(&ms, "range(end=2500)");
    let needles = [
        format!("error: ms.yaml:{line}:"),
        "in template spec.decode.containers[0].args[0]".to_string(),
        "the rendered text is larger than 1048576 bytes (1 MiB)".to_string(),
    ];
    if let Some(kib) = refused_in_a_few_mb(&dir, &needles) {
        eprintln!("stopping 2.5 GB of arg output: {kib} KiB max RSS");
    }
}

// ---------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------

/// A secret value, as it would sit in a Secret next to the models.
const SECRET_VALUE: &str = "hf_SeCrEtTokenValue0123456789";

fn secret_doc() -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(SECRET_VALUE);
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: hf-token\ntype: Opaque\ndata:\n  HF_TOKEN: {b64}\nstringData:\n  HF_TOKEN_PLAIN: {SECRET_VALUE}\n"
    )
}

fn assert_no_secret(what: &str, text: &str) {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(SECRET_VALUE);
    assert!(
        !text.contains(SECRET_VALUE) && !text.contains(&b64),
        "{what} holds the secret value:\n{text}"
    );
}

/// `authSecretName` is only ever a reference: the output names the Secret
/// in `secretKeyRef`s and holds no Secret object.
#[test]
fn auth_secret_name_is_only_referenced() {
    let dir = Sandbox::new("secret-ref");
    dir.write("ms.yaml", MS);
    dir.write("base.yaml", BASE);
    let out = dir.run(&["render", "ms.yaml", "base.yaml"]);
    let stdout = out.ok();
    assert!(!stdout.contains("kind: Secret"), "{stdout}");
    let refs = stdout.matches("secretKeyRef:").count();
    assert!(refs >= 1, "no secretKeyRef:\n{stdout}");
    // Every mention of the Secret's name is the name line of a secretKeyRef.
    let lines: Vec<&str> = stdout.lines().collect();
    let mentions: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].contains("hf-token"))
        .collect();
    assert_eq!(mentions.len(), refs, "{stdout}");
    for i in mentions {
        assert_eq!(lines[i].trim(), "name: hf-token", "{stdout}");
        assert!(
            lines[i - 1].trim() == "secretKeyRef:" || lines[i + 1].trim() == "key: HF_TOKEN",
            "`hf-token` outside a secretKeyRef:\n{stdout}"
        );
    }
}

/// msvc has no code path that reads a Secret's data: a Secret among the
/// inputs is skipped, by kind, before any of its fields is looked at, and
/// its values appear nowhere, not in the output, a warning or an error.
#[test]
fn secret_values_never_reach_the_output_or_a_message() {
    let dir = Sandbox::new("secret-values");
    dir.write("ms.yaml", MS);
    dir.write("base.yaml", BASE);
    dir.write("secret.yaml", &secret_doc());
    let run = dir.run(&["render", "ms.yaml", "base.yaml", "secret.yaml"]);
    run.ok();
    assert!(
        run.stderr.contains("skipping Secret `hf-token`"),
        "{}",
        run.stderr
    );
    assert_no_secret("stdout", &run.stdout);
    assert_no_secret("stderr", &run.stderr);
    // --strict makes the skip an error; it still does not quote the value.
    let run = dir.run(&["render", "ms.yaml", "base.yaml", "secret.yaml", "--strict"]);
    run.error(&["secret.yaml:1:1", "skipping Secret `hf-token`"]);
    assert_no_secret("stderr", &run.stderr);
    // explain and lint read the same inputs.
    for args in [
        &["explain", "ms.yaml", "base.yaml", "secret.yaml"][..],
        &["lint", "ms.yaml", "base.yaml", "secret.yaml"][..],
    ] {
        let run = dir.run(args);
        run.ok();
        assert_no_secret(&format!("{args:?} stdout"), &run.stdout);
        assert_no_secret(&format!("{args:?} stderr"), &run.stderr);
    }
    // A Secret that is not valid YAML: the error points at the line and
    // does not quote it.
    let broken = secret_doc().replace(
        &format!("HF_TOKEN_PLAIN: {SECRET_VALUE}"),
        &format!("HF_TOKEN_PLAIN: [{SECRET_VALUE}"),
    );
    dir.write("secret.yaml", &broken);
    let run = dir.run(&["render", "ms.yaml", "base.yaml", "secret.yaml"]);
    run.error(&["error: secret.yaml:"]);
    assert_no_secret("stderr", &run.stderr);
    // A Secret-ish value where a name is expected: the message quotes the
    // name it rejects (names are not secret), and nothing else.
    let ms = MS.replace("authSecretName: hf-token", "authSecretName: hf_token");
    dir.write("ms.yaml", &ms);
    dir.write("secret.yaml", &secret_doc());
    let run = dir.run(&["render", "ms.yaml", "base.yaml", "secret.yaml"]);
    run.error(&["`hf_token` is not a valid object name"]);
    assert_no_secret("stderr", &run.stderr);
}

// ---------------------------------------------------------------------------
// -o: names cannot escape, writes are atomic
// ---------------------------------------------------------------------------

/// `BASE` with a `configMaps` entry named `name` (a template).
fn base_with_config_map(name: &str) -> String {
    format!(
        "{BASE}  configMaps: |\n    - metadata:\n        name: \"{name}\"\n      data:\n        a: b\n"
    )
}

#[test]
fn object_names_cannot_escape_the_output_directory() {
    for name in [
        "{{ ModelServiceName }}/../../escape",
        "../../escape",
        "..",
        ".hidden",
        "a/b",
        "/etc/escape",
        "a\\\\b",
        "a b",
        "{{ ModelName }}",
    ] {
        let dir = Sandbox::new("escape");
        dir.write("ms.yaml", MS);
        let base = base_with_config_map(name);
        dir.write("base.yaml", &base);
        dir.write("work/keep.txt", "kept\n");
        let before = dir.snapshot("");
        let line = line_of(&base, "        name: ");
        for args in [
            &["render", "ms.yaml", "base.yaml", "-o", "work/out"][..],
            &["render", "ms.yaml", "base.yaml"][..],
        ] {
            dir.run(args).error(&[
                &format!("error: base.yaml:{line}:"),
                "is not a valid object name",
                "data.configMaps[0].metadata.name",
            ]);
            assert_eq!(dir.snapshot(""), before, "{name}: files changed");
        }
        assert!(!Path::new("/etc/escape.yaml").exists());
    }
}

/// Runs `msvc ARGS` under `sh` with a file size limit of `blocks` 512-byte
/// blocks; `ignore_xfsz` makes a too-large write fail (EFBIG) instead of
/// killing the process (SIGXFSZ).
fn run_with_file_size_limit(
    dir: &Sandbox,
    blocks: u32,
    ignore_xfsz: bool,
    args: &[&str],
) -> Output {
    let trap = if ignore_xfsz { "trap '' XFSZ; " } else { "" };
    Command::new("/bin/sh")
        .arg("-c")
        .arg(format!("{trap}ulimit -f {blocks} && exec \"$0\" \"$@\""))
        .arg(bin())
        .args(args)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("running msvc under sh")
}

/// Renders `ms.yaml` (replicas 1) into `out`, then changes it to replicas 3
/// and returns the first render's files.
fn previous_render(dir: &Sandbox) -> BTreeMap<PathBuf, Vec<u8>> {
    dir.write("ms.yaml", MS);
    dir.write("base.yaml", BASE);
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "out"])
        .ok();
    let before = dir.snapshot("out");
    assert!(before.len() > 3, "{before:?}");
    dir.write("ms.yaml", &MS.replace("replicas: 1", "replicas: 3"));
    before
}

fn leftovers(dir: &Sandbox) -> Vec<String> {
    std::fs::read_dir(dir.path())
        .expect("reading the test dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("msvc-tmp") || n.contains("msvc-old"))
        .collect()
}

#[test]
fn a_write_that_fails_half_way_leaves_the_old_directory_intact() {
    let dir = Sandbox::new("atomic-efbig");
    let before = previous_render(&dir);
    // Files up to 1 KB are written, the first larger one fails mid-write.
    let out = run_with_file_size_limit(
        &dir,
        2,
        true,
        &["render", "ms.yaml", "base.yaml", "-o", "out"],
    );
    let run = Run::from(out);
    run.error(&[
        "error: out: file too large while writing `tiny/",
        "the output directory was left as it was",
    ]);
    assert_eq!(dir.snapshot("out"), before, "the old render changed");
    assert_eq!(leftovers(&dir), Vec::<String>::new(), "staging left behind");
    // Without the limit the new render replaces the old one whole.
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "out"])
        .ok();
    assert_ne!(dir.snapshot("out"), before);
}

#[test]
fn a_process_killed_mid_write_leaves_the_old_directory_intact() {
    use std::os::unix::process::ExitStatusExt as _;
    let dir = Sandbox::new("atomic-kill");
    let before = previous_render(&dir);
    // SIGXFSZ kills msvc in the middle of writing a file.
    let out = run_with_file_size_limit(
        &dir,
        2,
        false,
        &["render", "ms.yaml", "base.yaml", "-o", "out"],
    );
    assert_eq!(
        out.status.signal(),
        Some(25), // SIGXFSZ
        "msvc was not killed mid-write: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(dir.snapshot("out"), before, "the old render changed");
    // The next render still works, and replaces the old one whole.
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "out"])
        .ok();
    let after = dir.snapshot("out");
    assert_ne!(after, before);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
}

/// SIGKILL at a random point of a long write: the directory is the old
/// render or the new one, never a mix.
#[test]
fn sigkill_during_a_large_render_never_leaves_a_mix() {
    let dir = Sandbox::new("atomic-sigkill");
    let mut models = String::new();
    for i in 0..400 {
        models.push_str("---\n");
        models.push_str(
            &MS.replace("name: tiny\n", &format!("name: m{i}\n"))
                .replace("org/tiny", &format!("org/m{i}")),
        );
    }
    let new_models = models.replace("replicas: 1", "replicas: 3");
    let check = Sandbox::new("atomic-sigkill-new");
    check.write("models.yaml", &new_models);
    check.write("base.yaml", BASE);
    check
        .run(&["render", "models.yaml", "base.yaml", "-o", "out"])
        .ok();
    let new = check.snapshot("out");
    dir.write("base.yaml", BASE);
    // A render that finished before it was seen writing proves nothing:
    // try again.
    for _ in 0..5 {
        dir.write("models.yaml", &models);
        dir.run(&["render", "models.yaml", "base.yaml", "-o", "out"])
            .ok();
        let old = dir.snapshot("out");
        dir.write("models.yaml", &new_models);
        let before = write_marks(&dir);
        let mut child = dir
            .command(&["render", "models.yaml", "base.yaml", "-o", "out"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawning msvc");
        // Kill it at the first sign of writing, wherever it writes.
        let killed = loop {
            if write_marks(&dir) != before {
                child.kill().expect("killing msvc");
                child.wait().expect("reaping msvc");
                break true;
            }
            if child.try_wait().expect("polling msvc").is_some() {
                break false;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        };
        let now = dir.snapshot("out");
        assert!(now == old || now == new, "a mix of two renders");
        if killed {
            return;
        }
    }
    panic!("msvc finished five times before it was seen writing");
}

/// What writing into `dir` changes first: the entries of the test dir, of
/// `out/`, and of the first manifest's folder, with inode and mtime.
fn write_marks(dir: &Sandbox) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let mut marks = Vec::new();
    for sub in ["", "out", "out/m0"] {
        let Ok(entries) = std::fs::read_dir(dir.path().join(sub)) else {
            marks.push((PathBuf::from(sub), 0, std::time::UNIX_EPOCH));
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            if let Ok(m) = e.metadata() {
                marks.push((e.path(), m.ino(), m.modified().expect("mtime")));
            }
        }
    }
    marks.sort();
    marks
}

/// A run killed between its renames leaves hidden siblings behind, named
/// after its process id; a later run with the same id (PID 1 in a
/// container) once failed every time on them. Runs now pick names no one
/// uses and leave others' alone.
#[test]
fn leftovers_of_a_killed_run_with_the_same_pid_do_not_block_the_next() {
    let dir = Sandbox::new("atomic-stale");
    let before = previous_render(&dir);
    let script = "for s in old tmp old-$$ tmp-$$ old-$$-0 tmp-$$-0; do \
                  mkdir -p .out.msvc-$s/x; done; exec \"$0\" \"$@\"";
    let out = Command::new("/bin/sh")
        .arg("-c")
        .arg(script)
        .arg(bin())
        .args(["render", "ms.yaml", "base.yaml", "-o", "out"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("running msvc under sh");
    let run = Run::from(out);
    run.ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let after = dir.snapshot("out");
    assert_ne!(after, before, "the new render is not in place");
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    // The stale directories are someone else's: left as they were.
    let mut left = leftovers(&dir);
    left.sort();
    assert_eq!(left.len(), 6, "{left:?}");
    for name in &left {
        assert!(dir.path().join(name).join("x").is_dir(), "{name}");
    }
}

/// `-o LINK`, where LINK is a symbolic link to a directory: the directory
/// it points to gets the new render, and the link stays a link.
#[test]
fn an_output_directory_given_through_a_symlink_is_replaced_where_it_is() {
    let dir = Sandbox::new("atomic-symlink");
    dir.write("ms.yaml", MS);
    dir.write("base.yaml", BASE);
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "real"])
        .ok();
    std::os::unix::fs::symlink("real", dir.path().join("link")).expect("symlink");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    std::os::unix::fs::symlink("../real", dir.path().join("sub/link")).expect("symlink");
    for (i, link) in ["link", "sub/link"].into_iter().enumerate() {
        let replicas = format!("replicas: {}", i + 2);
        dir.write("ms.yaml", &MS.replace("replicas: 1", &replicas));
        dir.run(&["render", "ms.yaml", "base.yaml", "-o", link])
            .ok();
        let meta = std::fs::symlink_metadata(dir.path().join(link)).expect("the link");
        assert!(meta.file_type().is_symlink(), "{link} is no longer a link");
        let real = dir.snapshot("real");
        let decode = real
            .iter()
            .find(|(p, _)| p.to_string_lossy().contains("deployment-tiny-decode"))
            .map(|(_, text)| String::from_utf8_lossy(text).into_owned())
            .expect("the decode Deployment");
        assert!(decode.contains(&replicas), "{link}: real/ has\n{decode}");
        assert_eq!(dir.snapshot(link), real, "{link}");
        assert_eq!(leftovers(&dir), Vec::<String>::new());
    }
    // A link that leads nowhere is an error that says so.
    std::os::unix::fs::symlink("nowhere", dir.path().join("dangling")).expect("symlink");
    dir.run(&["render", "ms.yaml", "base.yaml", "-o", "dangling"])
        .error(&[
            "error: dangling: is a symbolic link to `nowhere` that does not lead to a directory",
        ]);
}

/// Chart values (`msvc template`) are Helm's templates: Tera's `{% %}` in
/// them is text, as Helm prints it; it once ran, with no budget (10^10
/// iterations, for ever).
#[test]
fn tera_tags_in_chart_values_are_text() {
    let dir = Sandbox::new("chart-tags");
    let loops =
        "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}";
    dir.write(
        "values.yaml",
        &format!(
            "modelArtifacts:\n  uri: hf://org/m\n  name: org/m\ndecode:\n  create: true\n  replicas: 1\n  containers:\n    - name: vllm\n      image: vllm/vllm-openai:v0.10.0\n      command: [vllm]\n      env:\n        - name: X\n          value: \"{{{{ .Values.decode.replicas }}}}{loops}{{# c #}}\"\n"
        ),
    );
    let run = dir.run(&["template", "m", "-f", "values.yaml"]);
    let out = run.ok();
    assert!(
        out.contains(&format!("value: \"1{loops}{{# c #}}\"")),
        "{out}"
    );
}
