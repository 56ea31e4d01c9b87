//! Where rendered objects go: stdout, a directory, or a comparison.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result, bail};
use msvc::diff;
use msvc::emit;
use msvc::objects::PrintedManifest;

use super::args::OutputArgs;
use super::{EXIT_DIFFERENT, EXIT_OK};

/// Delivers `manifests` as the output flags ask; returns the exit code.
/// `jobs` threads read a previous render (`None`: one per CPU).
pub fn deliver(manifests: &[PrintedManifest], out: &OutputArgs, jobs: Option<usize>) -> Result<u8> {
    let compare_with = match (&out.diff, out.check, &out.output_dir) {
        (Some(p), _, _) => Some(p.clone()),
        (None, true, Some(dir)) => Some(dir.clone()),
        (None, true, None) => {
            bail!("--check needs something to compare with: --diff PATH or -o DIR")
        }
        (None, false, _) => None,
    };
    // Build the files first: an unsafe object name fails before anything is written.
    let files = match &out.output_dir {
        Some(_) => Some(emit::files(manifests)?),
        None => None,
    };
    let mut code = EXIT_OK;
    if let Some(previous) = compare_with {
        let before = diff::load_previous(&previous, jobs)
            .with_context(|| format!("reading the previous render at {}", previous.display()))?;
        let changes = diff::compare(&before, manifests);
        let color = std::io::stdout().is_terminal();
        let mut text = String::new();
        for ch in &changes {
            text.push_str(&diff::unified(ch, color));
        }
        if out.check || !changes.is_empty() {
            text.push_str(&diff::summary(&changes));
        }
        write_stdout(&text)?;
        if !changes.is_empty() {
            code = EXIT_DIFFERENT;
        }
        if out.check {
            return Ok(code);
        }
    }
    match (&out.output_dir, files) {
        (Some(dir), Some(files)) => {
            for w in emit::write_dir(dir, &files)? {
                eprintln!("warning: {w}");
            }
        }
        _ if out.diff.is_none() => {
            to_stdout(|w| emit::write_stream(&mut std::io::BufWriter::new(w), manifests))?;
        }
        _ => {}
    }
    Ok(code)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(text: &str) -> Result<()> {
    to_stdout(|w| w.write_all(text.as_bytes()))
}

fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing to standard output"),
    }
}
