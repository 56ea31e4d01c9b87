//! `msvc --version`: msvc's version and what each built-in preset deploys.
//!
//! A preset's version is its `msvc.llm-d.ai/version` annotation when it
//! has one; the images it names (`image:` lines without templates, as
//! `name:tag`, the image table's variables read as their images) follow,
//! and then the image table itself ([`msvc::images`]), so `--version`
//! answers "which llm-d release do these presets run?" without reading them.

use std::sync::LazyLock;

use msvc::yaml::{Node, Origin, parse_documents};
use msvc::{images, preset};

/// The annotation a preset may carry to name its own version.
pub const ANNOTATION_VERSION: &str = "msvc.llm-d.ai/version";

static LONG_VERSION: LazyLock<String> =
    LazyLock::new(|| long_version_of(env!("CARGO_PKG_VERSION"), preset::PRESETS));

/// What `msvc --version` prints after `msvc `.
pub fn long_version() -> &'static str {
    LONG_VERSION.as_str()
}

fn long_version_of(version: &str, presets: &[(&str, &str)]) -> String {
    let mut out = format!("{version}\npresets:");
    let width = presets.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, text) in presets {
        let images = images(text);
        let mut line = format!("\n  {name:width$}  ");
        match annotation(text) {
            Some(v) if images.is_empty() => line.push_str(&v),
            Some(v) => line.push_str(&format!("{v} ({})", images.join(", "))),
            None if images.is_empty() => line.push_str("(names no image)"),
            None => line.push_str(&images.join(", ")),
        }
        out.push_str(line.trim_end());
    }
    out.push_str(&format!("\nimages (llm-d {}):", images::LLM_D_RELEASE));
    let width = images::IMAGES
        .iter()
        .map(|(v, _)| v.len())
        .max()
        .unwrap_or(0);
    for (var, image) in images::IMAGES {
        out.push_str(&format!("\n  {var:width$}  {image}"));
    }
    out
}

/// The preset's `msvc.llm-d.ai/version` annotation.
fn annotation(text: &str) -> Option<String> {
    let docs = parse_documents(text, &Origin::file("preset")).ok()?;
    docs.iter().find_map(|d| {
        d.get_path(&["metadata", "annotations", ANNOTATION_VERSION])
            .and_then(Node::scalar_text)
            .filter(|v| !v.is_empty())
    })
}

/// The distinct literal images of a preset, in order, as `name:tag`.
fn images(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in images::expand(text).lines() {
        let l = line.trim_start().trim_start_matches("- ").trim_start();
        let Some(v) = l.strip_prefix("image:") else {
            continue;
        };
        let v = v
            .split(" #")
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'']);
        if v.is_empty() || v.contains("{{") || v.contains("{%") {
            continue;
        }
        let short = v.rsplit('/').next().unwrap_or(v).to_string();
        if !out.contains(&short) {
            out.push(short);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_their_images() {
        let a = "# a\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  decodeDeployment: |\n    spec:\n      template:\n        spec:\n          containers:\n            - name: vllm\n              image: ghcr.io/llm-d/llm-d-cuda:v0.3.0\n            - image: \"{{ .Image }}\"\n            - image: \"{{ .SchedulerImage }}\"\n            - image: docker.io/x/y:1 # pinned\n  eppDeployment: |\n    image: ghcr.io/llm-d/llm-d-cuda:v0.3.0\n";
        let b = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bb\n  annotations:\n    msvc.llm-d.ai/version: \"2025.10\"\ndata: {}\n";
        assert!(
            long_version_of("1.2.3", &[("a", a), ("bb", b)]).starts_with(&format!(
                "1.2.3\npresets:\n  a   llm-d-cuda:v0.3.0, llm-d-inference-scheduler:v0.7.0, y:1\n  bb  2025.10\nimages (llm-d {}):",
                images::LLM_D_RELEASE
            ))
        );
    }

    #[test]
    fn every_builtin_preset_is_listed() {
        let v = long_version();
        assert!(v.starts_with(concat!(env!("CARGO_PKG_VERSION"), "\npresets:")));
        for name in preset::names() {
            assert!(v.contains(&format!("\n  {name} ")), "{name}: {v}");
        }
    }
}
