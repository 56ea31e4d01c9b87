//! Man pages (`man/`), generated from the command definitions with
//! clap_mangen: `msvc.1` and one page per subcommand (`msvc-render.1`,
//! `msvc-presets-list.1`, ...). Regenerate them with
//! `MSVC_UPDATE_MAN=1 cargo test man_pages`.

use std::path::Path;

use clap::CommandFactory;

use super::Cli;

/// `(file name, roff text)` of every page. The VERSION section says the
/// crate version only (the presets' versions are `msvc --version`'s), so
/// that editing a preset does not touch the pages.
pub fn pages() -> Vec<(String, String)> {
    let mut cmd = Cli::command()
        .long_version(None::<&str>)
        .disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, &mut out);
    out.sort();
    out
}

fn walk(cmd: &clap::Command, out: &mut Vec<(String, String)>) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        walk(sub, out);
    }
    let mut sub = cmd.clone();
    if cmd.get_long_version().is_some() {
        sub = sub.long_version(None::<&str>);
    }
    let man = clap_mangen::Man::new(sub);
    let mut buf = Vec::new();
    man.render(&mut buf).expect("rendering to memory");
    out.push((
        man.get_filename(),
        String::from_utf8_lossy(&buf).into_owned(),
    ));
}

#[test]
fn man_pages_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let pages = pages();
    let update = std::env::var_os("MSVC_UPDATE_MAN").is_some();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".1") && !pages.iter().any(|(n, _)| *n == name) {
                std::fs::remove_file(e.path()).unwrap();
            }
        }
    }
    for (name, text) in &pages {
        let path = dir.join(name);
        if update {
            std::fs::write(&path, text).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == *text,
            "{} is stale: run MSVC_UPDATE_MAN=1 cargo test man_pages",
            path.display()
        );
    }
    let shipped: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".1"))
                .collect()
        })
        .unwrap_or_default();
    for name in shipped {
        assert!(
            pages.iter().any(|(n, _)| *n == name),
            "man/{name} has no command any more: run MSVC_UPDATE_MAN=1 cargo test man_pages"
        );
    }
    assert!(pages.iter().any(|(n, _)| n == "msvc-explain.1"));
    let top = &pages.iter().find(|(n, _)| n == "msvc.1").unwrap().1;
    assert!(
        top.starts_with(".ie \\n(.g .ds Aq \\(aq") || top.contains(".TH msvc 1"),
        "{top}"
    );
    assert!(
        !top.contains("presets:"),
        "the page does not list preset versions"
    );
}
