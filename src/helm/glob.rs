//! Go's `path.Match` (helmignore, `--show-only`) and gobwas/glob with `/`
//! as separator (`.Files.Glob`, where `**` crosses directories).

/// Go's `path.Match`: `*` and `?` stop at `/`, `[a-z]`, `[^x]`, `\` escapes.
/// A malformed pattern matches nothing (Go returns an error).
pub fn path_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    matches(&p, &n, false)
}

/// gobwas/glob with separator `/`: as [`path_match`], and `**` matches any
/// run of characters, `/` included; `{a,b}` alternatives.
pub fn files_glob(pattern: &str, name: &str) -> bool {
    for alt in expand_braces(pattern) {
        let p: Vec<char> = alt.chars().collect();
        let n: Vec<char> = name.chars().collect();
        if matches(&p, &n, true) {
            return true;
        }
    }
    false
}

fn expand_braces(pattern: &str) -> Vec<String> {
    let Some(open) = pattern.find('{') else {
        return vec![pattern.to_string()];
    };
    let Some(close) = pattern[open..].find('}').map(|c| c + open) else {
        return vec![pattern.to_string()];
    };
    let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
    pattern[open + 1..close]
        .split(',')
        .flat_map(|alt| expand_braces(&format!("{head}{alt}{tail}")))
        .collect()
}

fn matches(p: &[char], n: &[char], double_star: bool) -> bool {
    match p.first() {
        None => n.is_empty(),
        Some('*') => {
            let super_star = double_star && p.get(1) == Some(&'*');
            let rest = if super_star { &p[2..] } else { &p[1..] };
            // Try every split; `*` may not eat a separator, `**` may.
            for i in 0..=n.len() {
                if matches(rest, &n[i..], double_star) {
                    return true;
                }
                if i < n.len() && n[i] == '/' && !super_star {
                    return false;
                }
            }
            false
        }
        Some('?') => match n.first() {
            Some(c) if *c != '/' => matches(&p[1..], &n[1..], double_star),
            _ => false,
        },
        Some('[') => {
            let Some(c) = n.first() else { return false };
            match class(&p[1..], *c) {
                Some((ok, used)) if ok && *c != '/' => {
                    matches(&p[1 + used..], &n[1..], double_star)
                }
                _ => false,
            }
        }
        Some('\\') => match (p.get(1), n.first()) {
            (Some(a), Some(b)) if a == b => matches(&p[2..], &n[1..], double_star),
            _ => false,
        },
        Some(a) => match n.first() {
            Some(b) if a == b => matches(&p[1..], &n[1..], double_star),
            _ => false,
        },
    }
}

/// A `[...]` class after the `[`: whether `c` is in it, and how many
/// pattern characters it used (through the `]`). `None` if malformed.
fn class(p: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 0;
    let negate = matches!(p.first(), Some('^') | Some('!'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    loop {
        let ch = *p.get(i)?;
        if ch == ']' && !first {
            return Some((hit != negate, i + 1));
        }
        first = false;
        let lo = if ch == '\\' {
            i += 1;
            *p.get(i)?
        } else {
            ch
        };
        i += 1;
        if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|x| *x != ']') {
            let hi = *p.get(i + 1)?;
            i += 2;
            hit |= lo <= c && c <= hi;
        } else {
            hit |= lo == c;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_match_table() {
        let cases = [
            ("*.yaml", "a.yaml", true),
            ("*.yaml", "t/a.yaml", false),
            ("templates/*.yaml", "templates/a.yaml", true),
            ("templates/*", "templates/x/a.yaml", false),
            ("a?c", "abc", true),
            ("a?c", "a/c", false),
            ("[a-c]x", "bx", true),
            ("[^a-c]x", "bx", false),
            ("\\*", "*", true),
            ("*~", "values.yaml~", true),
        ];
        for (p, n, want) in cases {
            assert_eq!(path_match(p, n), want, "{p} {n}");
        }
    }

    #[test]
    fn files_glob_table() {
        let cases = [
            ("files/*", "files/a.txt", true),
            ("files/*", "files/x/a.txt", false),
            ("files/**", "files/x/a.txt", true),
            ("**.json", "a/b/c.json", true),
            ("files/*.{yaml,json}", "files/a.json", true),
            ("files/*.{yaml,json}", "files/a.txt", false),
        ];
        for (p, n, want) in cases {
            assert_eq!(files_glob(p, n), want, "{p} {n}");
        }
    }
}
