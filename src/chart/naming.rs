//! Release and object names as the chart forms them.

use crate::error::{Diagnostic, Span, Stage};
use crate::yaml::Node;

use super::{CHART_NAME, CHART_VERSION, go_text, truthy};

/// Longest release name Helm accepts.
pub const MAX_RELEASE: usize = 53;
/// Names are cut here so that `-prefill` still fits in 63.
pub const MAX_FULLNAME: usize = 55;

/// Helm's release-name rule: a DNS subdomain of at most 53 characters.
pub fn check_release(name: &str) -> Result<(), Diagnostic> {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if name.len() <= MAX_RELEASE && name.split('.').all(label_ok) {
        return Ok(());
    }
    Err(Diagnostic::new(Stage::Values, Span::none(), format!("invalid release name `{name}`"))
        .with_path("RELEASE")
        .with_help(format!(
            "use at most {MAX_RELEASE} lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit"
        )))
}

/// sprig's `trunc N | trimSuffix "-"`.
fn cut(s: &str, n: usize) -> String {
    let s = if s.len() > n {
        s.get(..n).unwrap_or(s)
    } else {
        s
    };
    s.strip_suffix('-').unwrap_or(s).to_string()
}

/// `fullnameOverride`, else the release name when it contains the chart
/// name, else `RELEASE-llm-d-modelservice`; at most 55 characters.
pub fn fullname(values: &Node, release: &str) -> String {
    if let Some(o) = values.get("fullnameOverride").filter(|n| truthy(Some(n))) {
        return cut(&go_text(o), MAX_FULLNAME);
    }
    let name = values
        .get("nameOverride")
        .filter(|n| truthy(Some(n)))
        .map_or_else(|| CHART_NAME.to_string(), go_text);
    if release.contains(&name) {
        cut(release, MAX_FULLNAME)
    } else {
        cut(&format!("{release}-{name}"), MAX_FULLNAME)
    }
}

/// The `helm.sh/chart` label value.
pub fn chart_label() -> String {
    cut(
        &format!("{CHART_NAME}-{CHART_VERSION}").replace('+', "_"),
        63,
    )
}

/// The chart's name helper (`nameOverride` or the chart name, 63 chars).
pub fn name(values: &Node) -> String {
    let n = values
        .get("nameOverride")
        .filter(|n| truthy(Some(n)))
        .map_or_else(|| CHART_NAME.to_string(), go_text);
    cut(&n, 63)
}

/// The release name made DNS-safe (the chart's `sanitizedModelName`).
pub fn sanitized_model_name(release: &str) -> String {
    let lower = release.trim().to_lowercase();
    let mapped: String = lower
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = mapped
        .trim_start_matches(['-', '.', '_'])
        .trim_end_matches(['-', '.', '_']);
    let dashed = trimmed.replace('.', "-");
    dashed.chars().take(63).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Origin, parse_one};

    fn v(s: &str) -> Node {
        parse_one(s, &Origin::file("v")).unwrap()
    }

    #[test]
    fn fullnames() {
        let cases = [
            ("{}", "pd", "pd-llm-d-modelservice"),
            ("{}", "my-llm-d-modelservice", "my-llm-d-modelservice"),
            ("fullnameOverride: custom", "pd", "custom"),
            ("nameOverride: ms", "pd", "pd-ms"),
            (
                "{}",
                "a-very-long-release-name-that-goes-on-and-on-x",
                "a-very-long-release-name-that-goes-on-and-on-x-llm-d-mo",
            ),
            (
                "fullnameOverride: abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd-xyz",
                "pd",
                "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd",
            ),
        ];
        for (values, release, want) in cases {
            assert_eq!(fullname(&v(values), release), want, "{values} {release}");
        }
    }

    #[test]
    fn release_names() {
        for ok in ["pd", "cpu-sim", "a.b", "x1"] {
            assert!(check_release(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Upper", "-x", "x-", "a_b", &"x".repeat(54)] {
            assert!(check_release(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn labels_and_sanitizing() {
        assert_eq!(chart_label(), "llm-d-modelservice-v0.4.12");
        assert_eq!(sanitized_model_name("My.Model_x"), "my-model_x");
    }
}
