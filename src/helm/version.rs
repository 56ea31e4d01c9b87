//! Versions as Masterminds semver (Helm's) reads them: `v` allowed,
//! missing minor/patch read as 0 (`1.2` is `1.2.0`). Constraints go through
//! [`crate::chart::version::satisfies`].

use semver::Version;

/// Masterminds' `NewVersion`: `v1.2.3`, `1.2`, `1`, with pre-release and
/// build parts.
pub fn parse_loose(s: &str) -> Option<Version> {
    let s = s.trim();
    let s = s.strip_prefix('v').unwrap_or(s);
    if let Ok(v) = Version::parse(s) {
        return Some(v);
    }
    let cut = s.find(['-', '+']).unwrap_or(s.len());
    let (core, rest) = s.split_at(cut);
    let mut parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    while parts.len() < 3 {
        parts.push("0");
    }
    let nums: Vec<String> = parts
        .iter()
        .map(|p| p.trim_start_matches('0'))
        .map(|p| {
            if p.is_empty() {
                "0".to_string()
            } else {
                p.to_string()
            }
        })
        .collect();
    Version::parse(&format!("{}{rest}", nums.join("."))).ok()
}

/// Helm's `IsCompatibleRange`: false when either side cannot be read.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    let Some(v) = parse_loose(version) else {
        return false;
    };
    crate::chart::version::satisfies(constraint, &v.to_string()).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_versions() {
        assert_eq!(parse_loose("v1.2").unwrap().to_string(), "1.2.0");
        assert_eq!(parse_loose("1").unwrap().to_string(), "1.0.0");
        assert_eq!(parse_loose("v1.36.0").unwrap().to_string(), "1.36.0");
        assert_eq!(parse_loose("1.2.3-rc.1").unwrap().to_string(), "1.2.3-rc.1");
        assert!(parse_loose("latest").is_none());
        assert!(parse_loose("1.2.3.4").is_none());
    }

    #[test]
    fn compatible_ranges() {
        assert!(is_compatible_range(">= 1.28.0-0", "v1.36.0"));
        assert!(!is_compatible_range(">= 1.28.0-0", "v1.27.3"));
        assert!(is_compatible_range("2.27.0", "2.27.0"));
        assert!(!is_compatible_range("2.27.0", "2.26.0"));
        assert!(is_compatible_range("0.0.0", "0.0.0"));
        assert!(!is_compatible_range("nonsense", "1.0.0"));
    }
}
