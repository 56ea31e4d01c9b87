//! Embeds every `presets/*.yaml` in the binary: adding a preset is adding a
//! file. `presets/<version>/<name>.yaml` is the preset `<name>@<version>`,
//! an earlier release kept for stacks pinned to it.

use std::fmt::Write;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=presets");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("presets");
    let yaml_files = |dir: &Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                    .collect()
            })
            .unwrap_or_default()
    };
    // (name, path) of every preset.
    let mut names: Vec<(String, std::path::PathBuf)> = yaml_files(&dir)
        .into_iter()
        .map(|p| (stem(&p), p))
        .collect();
    let mut versions: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_else(|_| Vec::new());
    versions.sort();
    for v in versions {
        println!("cargo:rerun-if-changed={}", v.display());
        let version = stem(&v);
        names.extend(
            yaml_files(&v)
                .into_iter()
                .map(|p| (format!("{}@{version}", stem(&p)), p)),
        );
    }
    // Current presets first, then each version's, each by name.
    names.sort_by(|(a, _), (b, _)| (a.contains('@'), a).cmp(&(b.contains('@'), b)));
    let mut out = String::from(
        "/// `(name, file text)` of every embedded preset, by name.\npub static PRESETS: &[(&str, &str)] = &[\n",
    );
    for (stem, path) in names {
        writeln!(
            out,
            "    ({stem:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
        println!("cargo:rerun-if-changed={}", path.display());
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("presets.rs");
    std::fs::write(dest, out).unwrap();
}

/// A file's name without its extension (a directory's whole name).
fn stem(path: &Path) -> String {
    let name = path
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    name.strip_suffix(".yaml").unwrap_or(name).to_string()
}
