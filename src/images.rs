//! The container images the built-in presets deploy: the one place to bump
//! them for a new llm-d release. Presets name them through template
//! variables (`image: "{{ .CudaImage }}"`), and `msvc --version` lists them.

/// The llm-d release the images below come from.
pub const LLM_D_RELEASE: &str = "v0.6.0";

/// `(template variable, image)`. Never `:latest`: a render must say which
/// build it deploys (a test holds every entry to a pinned tag).
pub const IMAGES: &[(&str, &str)] = &[
    // The EPP, as llm-d's scheduler recipe installs it with the GAIE
    // inferencepool chart v1.4.0 (guides/recipes/scheduler/base.values.yaml).
    (
        "SchedulerImage",
        "ghcr.io/llm-d/llm-d-inference-scheduler:v0.7.0",
    ),
    (
        "RoutingSidecarImage",
        "ghcr.io/llm-d/llm-d-routing-sidecar:v0.7.1",
    ),
    ("CudaImage", "ghcr.io/llm-d/llm-d-cuda:v0.6.0"),
    ("XpuImage", "ghcr.io/llm-d/llm-d-xpu:v0.6.0"),
    ("HpuImage", "ghcr.io/llm-d/llm-d-hpu:v0.6.0"),
    ("RocmImage", "ghcr.io/llm-d/llm-d-rocm:v0.6.0"),
    ("AwsImage", "ghcr.io/llm-d/llm-d-aws:v0.6.0"),
    (
        "InferenceSimImage",
        "ghcr.io/llm-d/llm-d-inference-sim:v0.8.2",
    ),
    // llm-d builds no TPU or SGLang image: the upstream projects' builds.
    ("TpuImage", "vllm/vllm-tpu:v0.13.2-ironwood"),
    ("SglangImage", "lmsysorg/sglang:v0.5.2-cu126"),
];

/// The image a template variable names.
pub fn get(var: &str) -> Option<&'static str> {
    IMAGES.iter().find(|(v, _)| *v == var).map(|(_, i)| *i)
}

/// `text` with every `{{ .XImage }}` (or `{{ XImage }}`) of the table
/// replaced by its image, for reading a preset's images without rendering it.
pub fn expand(text: &str) -> String {
    let mut out = text.to_string();
    for (var, image) in IMAGES {
        for form in [format!("{{{{ .{var} }}}}"), format!("{{{{ {var} }}}}")] {
            out = out.replace(&form, image);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_image_is_pinned() {
        for (var, image) in IMAGES {
            let tag = image.rsplit_once(':').map(|(_, t)| t).unwrap_or("");
            assert!(
                !tag.is_empty() && tag != "latest" && !tag.contains('/'),
                "{var}: {image} has no pinned tag"
            );
        }
    }

    /// The one place: a current preset names every image through the table.
    #[test]
    fn presets_name_images_through_the_table() {
        for (name, text) in crate::preset::PRESETS {
            if name.contains('@') {
                continue;
            }
            for line in text.lines() {
                let l = line.trim_start().trim_start_matches("- ").trim_start();
                if let Some(v) = l.strip_prefix("image:") {
                    let var = v.trim().trim_matches('"').trim_start_matches("{{ .");
                    let var = var.trim_end_matches(" }}");
                    assert!(
                        get(var).is_some(),
                        "{name}: `{line}` is not an image of the table"
                    );
                }
            }
        }
    }

    #[test]
    fn expand_replaces_both_spellings() {
        assert_eq!(
            expand("a: {{ .CudaImage }}\nb: \"{{ SchedulerImage }}\"\nc: {{ .Other }}"),
            "a: ghcr.io/llm-d/llm-d-cuda:v0.6.0\nb: \"ghcr.io/llm-d/llm-d-inference-scheduler:v0.7.0\"\nc: {{ .Other }}"
        );
        assert_eq!(get("HpuImage"), Some("ghcr.io/llm-d/llm-d-hpu:v0.6.0"));
    }
}
