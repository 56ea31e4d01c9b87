//! Object names and labels, as the ModelService controller chose them.

use crate::error::{Diagnostic, Span, Stage};

/// Kubernetes' limit on a label value, a Service name and most of the
/// names derived here.
pub const MAX_LEN: usize = 63;

/// Go's `unicode.ToLower`, which `strings.ToLower` maps over a string: the
/// simple one-to-one case mapping. Rust's `char::to_lowercase` uses the full
/// mapping, which differs only for `İ` (U+0130): Go gives `i`, Rust `i̇`.
fn go_to_lower(c: char) -> char {
    if c == '\u{130}' {
        return 'i';
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The controller's `sanitizeName` before its length cut: trimmed,
/// lower-cased as Go does, runs of characters outside `[a-z0-9-]` become
/// `-`, `-._` trimmed at both ends.
fn sanitize_uncut(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_run = false;
    for c in s.trim().chars().map(go_to_lower) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('-');
            in_run = true;
        }
    }
    out.trim_matches(['-', '.', '_']).to_string()
}

/// The controller's `sanitizeName`: [`sanitize_uncut`] cut to 63
/// characters, or `None` when the cut ends in `-` (not a valid label value:
/// the controller then fell back to a fixed name).
pub fn sanitize(s: &str) -> Option<String> {
    let mut out = sanitize_uncut(s);
    // Only ASCII is left, so a byte cut is a character cut.
    out.truncate(MAX_LEN);
    if out.ends_with('-') {
        return None;
    }
    Some(out)
}

/// The controller's fallback for `SanitizedModelName` when the model name
/// does not sanitize.
pub const FALLBACK_MODEL_NAME: &str = "default-modelName";

/// What a `routing.modelName` becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelLabel {
    /// The `llm-d.ai/model` label value (empty when the name does not
    /// sanitize, as the controller labelled it).
    pub label: String,
    /// The `SanitizedModelName` template variable.
    pub variable: String,
    /// The name did not sanitize, and the controller's fallback applies.
    pub fallback: bool,
}

impl ModelLabel {
    pub fn of(model_name: &str) -> Self {
        match sanitize(model_name) {
            Some(s) => ModelLabel {
                label: s.clone(),
                variable: s,
                fallback: false,
            },
            None => ModelLabel {
                label: String::new(),
                variable: FALLBACK_MODEL_NAME.to_string(),
                fallback: true,
            },
        }
    }

    /// A warning for a model name that gives no usable label, else `None`.
    pub fn check(&self, model_name: &str, span: &Span) -> Option<Diagnostic> {
        if !self.label.is_empty() {
            return None;
        }
        let why = if self.fallback {
            format!(
                "cut to {MAX_LEN} characters it ends in `-`, which is not a label value, so (as the controller did) pods get `llm-d.ai/model: \"\"` and SanitizedModelName is `{FALLBACK_MODEL_NAME}`"
            )
        } else {
            "it holds no letter or digit, so (as the controller did) pods get `llm-d.ai/model: \"\"`"
                .to_string()
        };
        Some(
            Diagnostic::new(
                Stage::Build,
                span.clone(),
                format!("routing.modelName `{model_name}` does not sanitize into a label value: {why}"),
            )
            .with_path("spec.routing.modelName")
            .with_help(
                "every such model shares the empty label and selects the others' pods; use letters or digits, at most 62 characters before a `/`",
            ),
        )
    }
}

/// One name derived from a ModelService's `metadata.name`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Derived {
    DecodeDeployment,
    PrefillDeployment,
    DecodeService,
    PrefillService,
    ServiceAccount,
    EppDeployment,
    EppService,
    EppServiceAccount,
    EppRole,
    EppRoleBinding,
    InferencePool,
    HttpRoute,
    PodMonitor,
    EppServiceMonitor,
}

impl Derived {
    pub const ALL: [Derived; 14] = [
        Derived::DecodeDeployment,
        Derived::PrefillDeployment,
        Derived::DecodeService,
        Derived::PrefillService,
        Derived::ServiceAccount,
        Derived::EppDeployment,
        Derived::EppService,
        Derived::EppServiceAccount,
        Derived::EppRole,
        Derived::EppRoleBinding,
        Derived::InferencePool,
        Derived::HttpRoute,
        Derived::PodMonitor,
        Derived::EppServiceMonitor,
    ];

    /// The suffix after the ModelService name.
    fn suffix(self) -> &'static str {
        match self {
            Derived::DecodeDeployment => "-decode",
            Derived::PrefillDeployment => "-prefill",
            Derived::DecodeService => "-service-decode",
            Derived::PrefillService => "-service-prefill",
            Derived::ServiceAccount => "-sa",
            Derived::EppDeployment => "-epp",
            Derived::EppService => "-epp-service",
            Derived::EppServiceAccount => "-epp-sa",
            Derived::EppRole => "-epp-role",
            Derived::EppRoleBinding => "-epp-rolebinding",
            Derived::InferencePool => "-inference-pool",
            Derived::HttpRoute => "-http-route",
            Derived::PodMonitor => "-pod-monitor",
            Derived::EppServiceMonitor => "-epp-monitor",
        }
    }

    /// The object, for messages.
    pub fn what(self) -> &'static str {
        match self {
            Derived::DecodeDeployment => "decode Deployment",
            Derived::PrefillDeployment => "prefill Deployment",
            Derived::DecodeService => "decode Service",
            Derived::PrefillService => "prefill Service",
            Derived::ServiceAccount => "prefill/decode ServiceAccount",
            Derived::EppDeployment => "EPP Deployment",
            Derived::EppService => "EPP Service",
            Derived::EppServiceAccount => "EPP ServiceAccount",
            Derived::EppRole => "EPP Role",
            Derived::EppRoleBinding => "EPP RoleBinding",
            Derived::InferencePool => "InferencePool",
            Derived::HttpRoute => "HTTPRoute",
            Derived::PodMonitor => "PodMonitor",
            Derived::EppServiceMonitor => "EPP ServiceMonitor",
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Derived::DecodeDeployment | Derived::PrefillDeployment | Derived::EppDeployment => {
                "Deployment"
            }
            Derived::DecodeService | Derived::PrefillService | Derived::EppService => "Service",
            Derived::ServiceAccount | Derived::EppServiceAccount => "ServiceAccount",
            Derived::EppRole => "Role",
            Derived::EppRoleBinding => "RoleBinding",
            Derived::InferencePool => "InferencePool",
            Derived::HttpRoute => "HTTPRoute",
            Derived::PodMonitor => "PodMonitor",
            Derived::EppServiceMonitor => "ServiceMonitor",
        }
    }
}

/// `<ms><suffix>` sanitized as the controller sanitized it (`.` becomes
/// `-`), and shortened as charts shorten names (`trunc 63 | trimSuffix
/// "-"`). Returns the name and, when shortened, the full one.
fn derive(ms: &str, suffix: &str) -> (String, Option<String>) {
    let full = sanitize_uncut(&format!("{ms}{suffix}"));
    if full.len() <= MAX_LEN {
        return (full, None);
    }
    let short = full[..MAX_LEN].trim_end_matches('-').to_string();
    (short, Some(full))
}

/// A label value naming the ModelService: its name, shortened to 63
/// characters when longer (a ModelService name may have 253).
pub fn model_service_label(ms: &str) -> String {
    if ms.len() <= MAX_LEN {
        return ms.to_string();
    }
    ms[..MAX_LEN]
        .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
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
    /// The ModelService's name as is, as the controller named it.
    pub inference_model: String,
    pub http_route: String,
    pub pod_monitor: String,
    pub epp_service_monitor: String,
    /// The full names of those shortened to 63 characters.
    shortened: Vec<(Derived, String)>,
}

impl Names {
    pub fn new(ms: &str) -> Self {
        let mut shortened = Vec::new();
        let mut name = |d: Derived| {
            let (name, full) = derive(ms, d.suffix());
            if let Some(full) = full {
                shortened.push((d, full));
            }
            name
        };
        Names {
            model_service: ms.to_string(),
            decode_deployment: name(Derived::DecodeDeployment),
            prefill_deployment: name(Derived::PrefillDeployment),
            decode_service: name(Derived::DecodeService),
            prefill_service: name(Derived::PrefillService),
            service_account: name(Derived::ServiceAccount),
            epp_deployment: name(Derived::EppDeployment),
            epp_service: name(Derived::EppService),
            epp_service_account: name(Derived::EppServiceAccount),
            epp_role: name(Derived::EppRole),
            epp_role_binding: name(Derived::EppRoleBinding),
            inference_pool: name(Derived::InferencePool),
            inference_model: ms.to_string(),
            http_route: name(Derived::HttpRoute),
            pod_monitor: name(Derived::PodMonitor),
            epp_service_monitor: name(Derived::EppServiceMonitor),
            shortened,
        }
    }

    pub fn get(&self, d: Derived) -> &str {
        match d {
            Derived::DecodeDeployment => &self.decode_deployment,
            Derived::PrefillDeployment => &self.prefill_deployment,
            Derived::DecodeService => &self.decode_service,
            Derived::PrefillService => &self.prefill_service,
            Derived::ServiceAccount => &self.service_account,
            Derived::EppDeployment => &self.epp_deployment,
            Derived::EppService => &self.epp_service,
            Derived::EppServiceAccount => &self.epp_service_account,
            Derived::EppRole => &self.epp_role,
            Derived::EppRoleBinding => &self.epp_role_binding,
            Derived::InferencePool => &self.inference_pool,
            Derived::HttpRoute => &self.http_route,
            Derived::PodMonitor => &self.pod_monitor,
            Derived::EppServiceMonitor => &self.epp_service_monitor,
        }
    }

    /// The name before shortening, when it was shortened.
    pub fn full(&self, d: Derived) -> Option<&str> {
        self.shortened
            .iter()
            .find(|(x, _)| *x == d)
            .map(|(_, f)| f.as_str())
    }

    /// Checks the names of the objects a render emits (`emitted`): a
    /// warning for each shortened name, an error for two objects of one
    /// kind shortened to the same name, or a Service whose name does not
    /// start with a letter (the API server refuses it). Names of objects
    /// not emitted do not matter.
    pub fn check_emitted(
        &self,
        emitted: &[Derived],
        span: &Span,
    ) -> Result<Vec<Diagnostic>, Diagnostic> {
        let at = |message: String, help: &str| {
            Diagnostic::new(Stage::Build, span.clone(), message)
                .with_path("metadata.name")
                .with_help(help)
        };
        for (i, a) in emitted.iter().enumerate() {
            for b in &emitted[i + 1..] {
                if a.kind() == b.kind() && self.get(*a) == self.get(*b) {
                    let full = |d: Derived| self.full(d).unwrap_or(self.get(d)).to_string();
                    return Err(at(
                        format!(
                            "the {} `{}` and the {} `{}` are both shortened to `{}` ({MAX_LEN} characters at most)",
                            a.what(),
                            full(*a),
                            b.what(),
                            full(*b),
                            self.get(*a)
                        ),
                        &format!(
                            "shorten metadata.name to at most {} characters",
                            self.room(emitted)
                        ),
                    ));
                }
            }
        }
        for d in emitted {
            let name = self.get(*d);
            if d.kind() == "Service" && !name.starts_with(|c: char| c.is_ascii_lowercase()) {
                return Err(at(
                    format!(
                        "`{}` cannot name the ModelService's {} (`{name}`): a Service name starts with a letter",
                        self.model_service,
                        d.what()
                    ),
                    "rename the ModelService so that its name starts with a letter",
                ));
            }
        }
        let mut warnings = Vec::new();
        for d in emitted {
            if let Some(full) = self.full(*d) {
                warnings.push(at(
                    format!(
                        "the {} name `{full}` has {} characters; it is shortened to `{}` ({MAX_LEN} at most), as the controller shortened it",
                        d.what(),
                        full.len(),
                        self.get(*d)
                    ),
                    &format!(
                        "shorten metadata.name to at most {} characters to keep the full names",
                        self.room(emitted)
                    ),
                ));
            }
        }
        Ok(warnings)
    }

    /// How long `metadata.name` may be for no emitted name to be shortened.
    fn room(&self, emitted: &[Derived]) -> usize {
        let longest = emitted.iter().map(|d| d.suffix().len()).max().unwrap_or(0);
        MAX_LEN - longest
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
            ("  Spaced Out  ", "spaced-out"),
            (
                "Qwen/Qwen3-VL-235B-A22B-Instruct",
                "qwen-qwen3-vl-235b-a22b-instruct",
            ),
            // Go's strings.ToLower: `İ` is `i`, the Kelvin sign `k`;
            // other letters are not ASCII and become `-`.
            ("İstanbul/Model", "istanbul-model"),
            ("\u{212A}elvin", "kelvin"),
            ("Ünicode-Modèl", "nicode-mod-l"),
            ("ΑΒΓ/x", "x"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize(input).as_deref(), Some(want), "{input}");
        }
        assert_eq!(sanitize(&("a".repeat(70) + "/b")), Some("a".repeat(63)));
        // A cut that ends in `-` is not a label value: the controller
        // refused it (and fell back).
        assert_eq!(sanitize(&("a".repeat(62) + "/b")), None);
        assert_eq!(sanitize(&("a".repeat(61) + "/b")).unwrap().len(), 63);
    }

    #[test]
    fn model_label_falls_back_as_the_controller_did() {
        let ok = ModelLabel::of("Org/Model");
        assert_eq!(
            (ok.label.as_str(), ok.variable.as_str()),
            ("org-model", "org-model")
        );
        assert!(ok.check("Org/Model", &Span::none()).is_none());
        let cut = ModelLabel::of(&("a".repeat(62) + "/b"));
        assert_eq!(cut.label, "");
        assert_eq!(cut.variable, FALLBACK_MODEL_NAME);
        let w = cut.check("x", &Span::none()).unwrap();
        assert!(w.message.contains(FALLBACK_MODEL_NAME), "{w}");
        let empty = ModelLabel::of("///");
        assert_eq!((empty.label.as_str(), empty.variable.as_str()), ("", ""));
        assert!(empty.check("///", &Span::none()).is_some());
    }

    #[test]
    fn dotted_names_are_sanitized_but_the_inference_model_keeps_the_name() {
        let n = Names::new("llama-3.1-8b");
        assert_eq!(n.decode_deployment, "llama-3-1-8b-decode");
        assert_eq!(n.decode_service, "llama-3-1-8b-service-decode");
        assert_eq!(n.epp_role_binding, "llama-3-1-8b-epp-rolebinding");
        assert_eq!(n.inference_model, "llama-3.1-8b");
        assert!(
            n.check_emitted(&Derived::ALL, &Span::none())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn long_names_are_shortened_with_a_warning_for_emitted_objects_only() {
        let ms = "m".repeat(50);
        let n = Names::new(&ms);
        let full = format!("{ms}-service-decode");
        assert_eq!(n.decode_service, full[..63]);
        assert_eq!(n.full(Derived::DecodeService), Some(full.as_str()));
        assert_eq!(n.decode_deployment, format!("{ms}-decode"));
        assert_eq!(n.full(Derived::DecodeDeployment), None);
        // Only the decode Deployment emitted: nothing was shortened.
        assert!(
            n.check_emitted(&[Derived::DecodeDeployment], &Span::none())
                .unwrap()
                .is_empty()
        );
        let w = n
            .check_emitted(
                &[Derived::DecodeDeployment, Derived::DecodeService],
                &Span::none(),
            )
            .unwrap();
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("decode Service"), "{}", w[0]);
        assert!(w[0].message.contains(&full), "{}", w[0]);
        assert!(
            w[0].help.as_deref().unwrap().contains("at most 48"),
            "{}",
            w[0]
        );
        // A cut ending in `-` loses it.
        let n = Names::new(&"m".repeat(62));
        assert_eq!(n.decode_deployment, "m".repeat(62));
    }

    #[test]
    fn two_objects_shortened_alike_are_an_error() {
        let n = Names::new(&"m".repeat(62));
        // Both Deployments become `mmm...m`; with only one emitted, fine.
        assert_eq!(n.decode_deployment, n.prefill_deployment);
        assert!(
            n.check_emitted(&[Derived::DecodeDeployment], &Span::none())
                .is_ok()
        );
        let e = n
            .check_emitted(
                &[Derived::DecodeDeployment, Derived::PrefillDeployment],
                &Span::none(),
            )
            .unwrap_err();
        assert!(e.message.contains("decode Deployment"), "{e}");
        assert!(e.message.contains("prefill Deployment"), "{e}");
        assert!(
            e.message.contains(&format!("{}-prefill", "m".repeat(62))),
            "{e}"
        );
        // Different kinds may share a name.
        assert!(
            n.check_emitted(
                &[Derived::DecodeDeployment, Derived::DecodeService],
                &Span::none()
            )
            .is_ok()
        );
    }

    #[test]
    fn service_names_must_start_with_a_letter() {
        let n = Names::new("8b-model");
        assert!(
            n.check_emitted(&[Derived::DecodeDeployment], &Span::none())
                .is_ok()
        );
        let e = n
            .check_emitted(&[Derived::DecodeService], &Span::none())
            .unwrap_err();
        assert!(e.message.contains("8b-model-service-decode"), "{e}");
    }

    #[test]
    fn model_service_label_fits_a_label_value() {
        assert_eq!(model_service_label("short.name"), "short.name");
        let long = format!("{}.{}", "a".repeat(62), "b".repeat(10));
        assert_eq!(model_service_label(&long), "a".repeat(62));
    }
}
