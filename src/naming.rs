//! Object names and labels, as the ModelService controller chose them.

use crate::error::{Diagnostic, Span, Stage};

/// Lower-case; runs of characters outside `[a-z0-9-]` become `-`; `-._`
/// trimmed at both ends; cut to 63 characters (and trimmed again).
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_run = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('-');
            in_run = true;
        }
    }
    let trimmed = out.trim_matches(['-', '.', '_']);
    let cut: String = trimmed.chars().take(63).collect();
    cut.trim_matches(['-', '.', '_']).to_string()
}

/// Every name derived from a ModelService's `metadata.name`.
#[derive(Clone, Debug)]
pub struct Names {
    pub model_service: String,
    pub decode_deployment: String,
    pub prefill_deployment: String,
    pub decode_service: String,
    pub prefill_service: String,
    pub service_account: String,
    pub epp_deployment: String,
    pub epp_service: String,
    pub epp_service_account: String,
    pub epp_role: String,
    pub epp_role_binding: String,
    pub inference_pool: String,
    pub inference_model: String,
    pub http_route: String,
}

impl Names {
    pub fn new(ms: &str) -> Self {
        Names {
            model_service: ms.to_string(),
            decode_deployment: format!("{ms}-decode"),
            prefill_deployment: format!("{ms}-prefill"),
            decode_service: format!("{ms}-service-decode"),
            prefill_service: format!("{ms}-service-prefill"),
            service_account: format!("{ms}-sa"),
            epp_deployment: format!("{ms}-epp"),
            epp_service: format!("{ms}-epp-service"),
            epp_service_account: format!("{ms}-epp-sa"),
            epp_role: format!("{ms}-epp-role"),
            epp_role_binding: format!("{ms}-epp-rolebinding"),
            inference_pool: format!("{ms}-inference-pool"),
            inference_model: ms.to_string(),
            http_route: format!("{ms}-http-route"),
        }
    }

    /// Services must be DNS-1035 labels (63 characters, starting with a
    /// letter); msvc holds every derived name to 63 so none is cut by the
    /// API server or a label value.
    pub fn check(&self, span: &Span) -> Result<(), Diagnostic> {
        let all = [
            ("decode Service", &self.decode_service),
            ("prefill Service", &self.prefill_service),
            ("EPP Service", &self.epp_service),
            ("EPP RoleBinding", &self.epp_role_binding),
            ("InferencePool", &self.inference_pool),
            ("prefill Deployment", &self.prefill_deployment),
            ("HTTPRoute", &self.http_route),
        ];
        for (what, name) in all {
            if name.len() > 63 {
                return Err(Diagnostic::new(
                    Stage::Build,
                    span.clone(),
                    format!(
                        "the {what} name `{name}` is {} characters long; at most 63 are allowed",
                        name.len()
                    ),
                )
                .with_path("metadata.name")
                .with_help(format!(
                    "shorten metadata.name to at most {} characters",
                    63 - (name.len() - self.model_service.len())
                )));
            }
        }
        // Service names are DNS-1035 labels: a letter first, then
        // lower-case letters, digits and `-`; no dots.
        let ms = &self.model_service;
        let dns_1035 = ms.starts_with(|c: char| c.is_ascii_lowercase())
            && ms
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !dns_1035 {
            return Err(Diagnostic::new(
                Stage::Build,
                span.clone(),
                format!(
                    "`{ms}` cannot name the ModelService's Services (`{}`): a Service name starts with a letter and holds only lower-case letters, digits and `-`",
                    self.decode_service
                ),
            )
            .with_path("metadata.name")
            .with_help(format!(
                "rename it, e.g. `{}`",
                sanitize(ms).replace('.', "-").trim_start_matches(|c: char| c.is_ascii_digit() || c == '-')
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_table() {
        let cases = [
            ("meta-llama/Llama-2-7b-hf", "meta-llama-llama-2-7b-hf"),
            (
                "ibm-granite/granite-3.3-2b-base",
                "ibm-granite-granite-3-3-2b-base",
            ),
            ("facebook/opt-125m", "facebook-opt-125m"),
            ("--Weird__Name..", "weird-name"),
            ("a//b", "a-b"),
            ("!!!", ""),
            (
                "Qwen/Qwen3-VL-235B-A22B-Instruct",
                "qwen-qwen3-vl-235b-a22b-instruct",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize(input), want, "{input}");
        }
        let long = "a".repeat(70) + "/b";
        assert_eq!(sanitize(&long).len(), 63);
        assert_eq!(sanitize(&("a".repeat(62) + "/b")), "a".repeat(62));
    }

    #[test]
    fn service_names_must_be_dns_1035() {
        let e = Names::new("llama-3.1-8b").check(&Span::none()).unwrap_err();
        assert!(e.message.contains("llama-3.1-8b-service-decode"), "{e}");
        assert!(e.help.unwrap().contains("llama-3-1-8b"));
        assert!(Names::new("8b-model").check(&Span::none()).is_err());
        assert!(Names::new("llama-3-1-8b").check(&Span::none()).is_ok());
    }

    #[test]
    fn long_names_say_which_object() {
        let names = Names::new(&"m".repeat(50));
        let e = names.check(&Span::none()).unwrap_err();
        assert!(e.message.contains("decode Service"), "{e}");
        assert!(e.help.unwrap().contains("at most 48"));
    }
}
