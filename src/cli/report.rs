//! The one place that turns errors and warnings into text on stderr.

use msvc::error::{Diagnostic, Error};

/// Prints an error and its causes: every located diagnostic on its own line.
pub fn error(err: &anyhow::Error) {
    if let Some(lib) = err.downcast_ref::<Error>()
        && let Error::Input(diags) = lib
    {
        for d in diags {
            eprintln!("error: {d}");
            notes(d);
        }
        return;
    }
    let mut text = format!("error: {err}");
    for cause in err.chain().skip(1) {
        // Library errors already print their source; say each thing once.
        let cause = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => msvc::error::io_text(io),
            None => cause.to_string(),
        };
        if !text.contains(&cause) {
            text.push_str(&format!(": {cause}"));
        }
    }
    eprintln!("{text}");
}

pub fn warnings(list: &[Diagnostic]) {
    for w in list {
        eprintln!("warning: {w}");
        notes(w);
    }
}

fn notes(d: &Diagnostic) {
    for n in &d.notes {
        eprintln!("  note: {n}");
    }
}
