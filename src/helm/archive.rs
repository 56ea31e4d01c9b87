//! A chart's files as Helm's loader sees them: from a directory (minus what
//! `.helmignore` names) or from a packaged `.tgz` (whose first path element
//! is the chart's folder), as `(relative path, bytes)` pairs, within limits.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::error::HelmError;
use super::glob::path_match;

/// Caps on what a chart may hold (Helm caps a decompressed chart at 100 MiB
/// and a file at 5 MiB).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_files: usize,
    pub max_file_bytes: u64,
    pub max_total_bytes: u64,
    /// Subcharts within subcharts.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_files: 10_000,
            max_file_bytes: 5 << 20,
            max_total_bytes: 100 << 20,
            max_depth: 10,
        }
    }
}

/// One file of a chart, its name relative to the chart's root with `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BufferedFile {
    pub name: String,
    pub data: Vec<u8>,
}

struct Budget<'a> {
    limits: &'a Limits,
    origin: String,
    files: usize,
    bytes: u64,
}

impl Budget<'_> {
    fn take(&mut self, size: u64) -> Result<(), HelmError> {
        self.files += 1;
        self.bytes += size;
        let over = if self.files > self.limits.max_files {
            Some(format!("{} files", self.limits.max_files))
        } else if size > self.limits.max_file_bytes {
            Some(format!("{} bytes in a file", self.limits.max_file_bytes))
        } else if self.bytes > self.limits.max_total_bytes {
            Some(format!("{} bytes in all", self.limits.max_total_bytes))
        } else {
            None
        };
        match over {
            Some(limit) => Err(HelmError::Limit {
                origin: self.origin.clone(),
                limit,
            }),
            None => Ok(()),
        }
    }
}

fn io(path: &Path, e: std::io::Error) -> HelmError {
    HelmError::Io {
        path: path.to_path_buf(),
        reason: crate::error::io_reason(&e),
    }
}

/// Reads CHART: a directory, or a `.tgz` file.
pub fn read_path(path: &Path, limits: &Limits) -> Result<Vec<BufferedFile>, HelmError> {
    let meta = std::fs::metadata(path).map_err(|e| io(path, e))?;
    if meta.is_dir() {
        read_dir(path, limits)
    } else {
        let data = std::fs::read(path).map_err(|e| io(path, e))?;
        read_archive(&data, &path.display().to_string(), limits)
    }
}

/// Reads a chart directory as Helm's `LoadDir` does: every regular file
/// below it, less what `.helmignore` (and Helm's default `templates/.?*`)
/// excludes. Symbolic links are followed only within the chart.
pub fn read_dir(dir: &Path, limits: &Limits) -> Result<Vec<BufferedFile>, HelmError> {
    let root = dir.canonicalize().map_err(|e| io(dir, e))?;
    let mut rules = Ignore::defaults();
    let ignore_file = dir.join(".helmignore");
    if ignore_file.is_file() {
        let text = std::fs::read_to_string(&ignore_file).map_err(|e| io(&ignore_file, e))?;
        rules.parse(&text);
    }
    let mut budget = Budget {
        limits,
        origin: dir.display().to_string(),
        files: 0,
        bytes: 0,
    };
    let mut out = Vec::new();
    walk(&root, &root, "", &rules, &mut budget, &mut out)?;
    Ok(out)
}

fn walk(
    root: &Path,
    dir: &Path,
    rel: &str,
    rules: &Ignore,
    budget: &mut Budget,
    out: &mut Vec<BufferedFile>,
) -> Result<(), HelmError> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let name_rel = if rel.is_empty() {
            name.to_string()
        } else {
            format!("{rel}/{name}")
        };
        let real = path.canonicalize().map_err(|e| io(&path, e))?;
        if !real.starts_with(root) {
            return Err(HelmError::Archive {
                origin: path.display().to_string(),
                message: "a symbolic link points outside the chart".into(),
            });
        }
        let meta = std::fs::metadata(&real).map_err(|e| io(&path, e))?;
        if meta.is_dir() {
            if rules.ignored(&name_rel, true) {
                continue;
            }
            walk(root, &real, &name_rel, rules, budget, out)?;
        } else if meta.is_file() {
            if rules.ignored(&name_rel, false) {
                continue;
            }
            budget.take(meta.len())?;
            let data = std::fs::read(&real).map_err(|e| io(&path, e))?;
            out.push(BufferedFile {
                name: name_rel,
                data,
            });
        }
    }
    Ok(())
}

/// Reads a packaged chart (gzip'd tar) as Helm's `LoadArchiveFiles` does:
/// the first path element (the chart's folder) is dropped; absolute paths,
/// `..` and links are refused; only regular files are kept.
pub fn read_archive(
    data: &[u8],
    origin: &str,
    limits: &Limits,
) -> Result<Vec<BufferedFile>, HelmError> {
    let bad = |message: String| HelmError::Archive {
        origin: origin.to_string(),
        message,
    };
    let gz = flate2::read::GzDecoder::new(data);
    let mut tar = tar::Archive::new(gz);
    let mut budget = Budget {
        limits,
        origin: origin.to_string(),
        files: 0,
        bytes: 0,
    };
    let mut out: Vec<BufferedFile> = Vec::new();
    let entries = tar
        .entries()
        .map_err(|e| bad(format!("not a gzip'd tar archive: {e}")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| bad(format!("unreadable archive entry: {e}")))?;
        let kind = entry.header().entry_type();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        let raw = entry.path_bytes().into_owned();
        let path = String::from_utf8_lossy(&raw).replace('\\', "/");
        if !kind.is_file() {
            return Err(bad(format!(
                "`{path}`: only regular files may be in a chart archive"
            )));
        }
        if path.starts_with('/') || path.split('/').any(|p| p == "..") {
            return Err(bad(format!("`{path}`: the path leaves the chart")));
        }
        let Some((_, rest)) = path.split_once('/') else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        let size = entry.header().size().unwrap_or(u64::MAX);
        budget.take(size)?;
        let mut buf = Vec::with_capacity(size.min(limits.max_file_bytes) as usize);
        entry
            .by_ref()
            .take(limits.max_file_bytes + 1)
            .read_to_end(&mut buf)
            .map_err(|e| bad(format!("`{path}`: {e}")))?;
        if buf.len() as u64 > limits.max_file_bytes {
            return Err(HelmError::Limit {
                origin: origin.to_string(),
                limit: format!("{} bytes in a file", limits.max_file_bytes),
            });
        }
        let name = rest.to_string();
        // Helm keeps the last of two entries with one name.
        out.retain(|f| f.name != name);
        out.push(BufferedFile { name, data: buf });
    }
    if out.is_empty() {
        return Err(bad("no files in chart archive".into()));
    }
    Ok(out)
}

/// `.helmignore` rules (Helm's `pkg/ignore`): one glob a line, `#`
/// comments, `!` negates, a trailing `/` matches directories only, a
/// pattern with a `/` matches the whole relative path, else the base name.
#[derive(Debug, Default)]
pub struct Ignore {
    rules: Vec<Rule>,
}

#[derive(Debug)]
struct Rule {
    pattern: String,
    negate: bool,
    dir_only: bool,
    whole_path: bool,
}

impl Ignore {
    pub fn defaults() -> Ignore {
        let mut i = Ignore::default();
        i.parse("templates/.?*");
        i
    }

    pub fn parse(&mut self, text: &str) {
        for line in text.lines() {
            let mut p = line.trim();
            if p.is_empty() || p.starts_with('#') || p == "!" {
                continue;
            }
            let negate = p.starts_with('!');
            if negate {
                p = &p[1..];
            }
            let dir_only = p.ends_with('/');
            let p = p.trim_end_matches('/').trim_start_matches('/');
            if p.is_empty() {
                continue;
            }
            self.rules.push(Rule {
                pattern: p.to_string(),
                negate,
                dir_only,
                whole_path: p.contains('/'),
            });
        }
    }

    /// Whether `rel` (relative path, `/`-separated) is ignored; the last
    /// matching rule decides.
    pub fn ignored(&self, rel: &str, is_dir: bool) -> bool {
        let base = rel.rsplit('/').next().unwrap_or(rel);
        let mut out = false;
        for r in &self.rules {
            if r.dir_only && !is_dir {
                continue;
            }
            let hit = if r.whole_path {
                path_match(&r.pattern, rel)
            } else {
                path_match(&r.pattern, base)
            };
            if hit {
                out = !r.negate;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(flate2::write::GzEncoder::new(
            Vec::new(),
            flate2::Compression::fast(),
        ));
        for (name, data) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_entry_type(tar::EntryType::Regular);
            // set_path refuses `..`; write the raw name to test the reader.
            let bytes = name.as_bytes();
            h.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
            h.set_cksum();
            b.append(&h, *data).unwrap();
        }
        b.into_inner().unwrap().finish().unwrap()
    }

    #[test]
    fn archive_drops_the_chart_folder() {
        let data = tgz(&[
            ("c/Chart.yaml", b"name: c"),
            ("c/templates/a.yaml", b"a: 1"),
        ]);
        let files = read_archive(&data, "c.tgz", &Limits::default()).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Chart.yaml", "templates/a.yaml"]);
    }

    #[test]
    fn archive_refuses_escapes_and_limits() {
        let data = tgz(&[("c/../../etc/x", b"x")]);
        let e = read_archive(&data, "c.tgz", &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("leaves the chart"), "{e}");
        let data = tgz(&[("c/a", b"1"), ("c/b", b"2"), ("c/c", b"3")]);
        let small = Limits {
            max_files: 2,
            ..Limits::default()
        };
        let e = read_archive(&data, "c.tgz", &small).unwrap_err();
        assert!(matches!(e, HelmError::Limit { .. }), "{e}");
        let tiny = Limits {
            max_file_bytes: 0,
            ..Limits::default()
        };
        assert!(read_archive(&data, "c.tgz", &tiny).is_err());
        let e = read_archive(b"not gzip", "x.tgz", &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("x.tgz"), "{e}");
    }

    #[test]
    fn helmignore_rules() {
        let mut i = Ignore::defaults();
        i.parse("# c\n*.swp\n.git/\nsecret/*.key\n!keep.swp\n");
        assert!(i.ignored("a.swp", false));
        assert!(i.ignored("x/a.swp", false));
        assert!(!i.ignored("keep.swp", false));
        assert!(i.ignored(".git", true));
        assert!(!i.ignored(".git", false));
        assert!(i.ignored("secret/a.key", false));
        assert!(i.ignored("templates/.hidden", false));
        assert!(!i.ignored("templates/a.yaml", false));
    }
}
