//! `--version` of `msvc template`: a chart version constraint as Helm
//! reads it (Masterminds semver): an exact version (`0.4.12`, `v0.4.12`) or
//! a range (`^0.4`, `~0.4.5`, `>= 0.4, < 0.5`, `0.4.x`, `1.0 - 1.4`,
//! alternatives joined by `||`).

use semver::{Version, VersionReq};

/// Whether `version` (a Chart.yaml `version`) satisfies `constraint`.
/// `Err` says why the constraint or the version cannot be read.
pub fn satisfies(constraint: &str, version: &str) -> Result<bool, String> {
    let version = Version::parse(strip_v(version.trim()))
        .map_err(|e| format!("the chart's version `{version}` is not semver: {e}"))?;
    let mut any = false;
    for alternative in constraint.split("||") {
        let req = requirement(alternative.trim()).map_err(|e| {
            format!(
                "`{constraint}` is not a version or a range (e.g. 0.4.12, ^0.4, >=0.4 <0.5): {e}"
            )
        })?;
        any |= req.matches(&version);
    }
    Ok(any)
}

/// One `||` alternative in Rust semver's syntax. A bare version is exact,
/// as Helm takes it (Rust semver would read it as `^`).
fn requirement(text: &str) -> Result<VersionReq, semver::Error> {
    if let Some((low, high)) = text.split_once(" - ") {
        return VersionReq::parse(&format!(
            ">={}, <={}",
            strip_v(low.trim()),
            strip_v(high.trim())
        ));
    }
    // Comparators are separated by commas or spaces; an operator may be
    // followed by a space (`>= 1.2`).
    let mut parts: Vec<String> = Vec::new();
    let mut pending_op: Option<String> = None;
    for word in text.split([',', ' ']).filter(|w| !w.is_empty()) {
        let is_op = word.chars().all(|c| "<>=!~^".contains(c));
        if is_op {
            pending_op = Some(word.to_string());
            continue;
        }
        let op = pending_op.take().unwrap_or_default();
        let (inner_op, ver) = split_op(word);
        let op = if op.is_empty() { inner_op } else { op.as_str() };
        let ver = strip_v(ver);
        let exact = op.is_empty() && !ver.contains(['*', 'x', 'X']);
        parts.push(format!("{}{ver}", if exact { "=" } else { op }));
    }
    if parts.is_empty() {
        return VersionReq::parse("");
    }
    VersionReq::parse(&parts.join(", "))
}

fn split_op(word: &str) -> (&str, &str) {
    let end = word
        .find(|c: char| !"<>=!~^".contains(c))
        .unwrap_or(word.len());
    word.split_at(end)
}

fn strip_v(v: &str) -> &str {
    v.strip_prefix('v').unwrap_or(v)
}

#[cfg(test)]
mod tests {
    use super::satisfies;

    #[test]
    fn constraints_as_helm_reads_them() {
        for (c, v, want) in [
            ("0.4.12", "v0.4.12", true),
            ("v0.4.12", "v0.4.12", true),
            ("0.4.5", "v0.4.12", false),
            ("^0.4", "v0.4.12", true),
            ("^0.5", "v0.4.12", false),
            ("~0.4.5", "0.4.12", true),
            (">= 0.4, < 0.5", "0.4.12", true),
            (">=0.4 <0.4.10", "0.4.12", false),
            ("0.4.x", "0.4.12", true),
            ("0.3.x || 0.4.x", "0.4.12", true),
            ("0.1 - 0.4.11", "0.4.12", false),
            ("0.1 - 0.4.12", "0.4.12", true),
            ("*", "0.4.12", true),
        ] {
            assert_eq!(satisfies(c, v), Ok(want), "{c} against {v}");
        }
    }

    #[test]
    fn nonsense_is_an_error_that_says_what_is_expected() {
        let e = satisfies("latest", "0.4.12").unwrap_err();
        assert!(e.contains("`latest` is not a version or a range"), "{e}");
    }
}
