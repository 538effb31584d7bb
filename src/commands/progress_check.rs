//! `sysdeck progress check [--fix]`: lists what in the progress database cannot be used and,
//! with --fix, drops it (after saving a copy) and rebuilds every card state. Also the warning
//! other commands print when their reads had to leave something out.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::progress::{Checkup, Problem, Progress, Table};
use anyhow::Result;

use crate::cli::progress::ProgressCheckArgs;

pub fn run(args: &ProgressCheckArgs, data_dir: &Path) -> Result<ExitCode> {
    let store = Progress::open_history(data_dir)?;
    let mut out = io::stdout().lock();
    if args.fix {
        let repair = store.repair()?;
        write_checkup(&mut out, &store.path(), &repair.checkup)?;
        if let Some(backup) = &repair.backup {
            writeln!(
                out,
                "A copy of the database was saved as {} first.",
                backup.display()
            )?;
            let problems = &repair.checkup.problems;
            let settings = problems
                .iter()
                .filter(|p| p.table == Table::Settings)
                .count();
            let dropped = problems
                .iter()
                .filter(|p| matches!(p.table, Table::ReviewLog | Table::FsrsParameters))
                .count();
            writeln!(
                out,
                "Dropped {dropped} row(s), reset {settings} setting(s) to the default, and rebuilt {} card state(s) from the review log.",
                repair.states
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let checkup = store.check()?;
    write_checkup(&mut out, &store.path(), &checkup)?;
    if checkup.is_clean() {
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "Run `sysdeck progress check --fix` to drop them and rebuild the card states; a copy of the database is saved first."
    )?;
    Ok(ExitCode::FAILURE)
}

fn write_checkup(out: &mut impl Write, path: &Path, c: &Checkup) -> io::Result<()> {
    if c.is_clean() {
        return writeln!(out, "No problems found in {}.", path.display());
    }
    for p in &c.problems {
        writeln!(out, "{}", describe(p))?;
    }
    if c.stale_states > 0 {
        writeln!(
            out,
            "{} cached card state(s) differ from a replay of the review log.",
            c.stale_states
        )?;
    }
    Ok(())
}

/// `review_log row 12 "pack/item": reviewed_at is …`.
fn describe(p: &Problem) -> String {
    let mut place = p.table.to_string();
    if let Some(id) = p.id {
        place.push_str(&format!(" row {id}"));
    }
    if let Some(key) = &p.key {
        place.push_str(&format!(" \"{}\"", shown(key)));
    }
    format!("{place}: {}", shown(&p.problem))
}

/// Prints on stderr what `store`'s reads had to leave out, and how to look into it.
pub fn print_warnings(store: &Progress) {
    let warnings = store.warnings();
    if warnings.is_empty() {
        return;
    }
    let mut err = crate::safe_text::stderr();
    for w in &warnings {
        let _ = writeln!(err, "warning: {}", shown(w));
    }
    let _ = writeln!(
        err,
        "hint: `sysdeck progress check` lists them; `sysdeck progress check --fix` drops them after saving a copy of the database"
    );
}

/// Text from the database made safe for a terminal by [`crate::safe_text::escape`], on one
/// line: a stored key cannot move the cursor, reorder the line or break the listing.
fn shown(text: &str) -> String {
    crate::safe_text::escape(text)
        .replace('\n', "\\n")
        .replace('\t', "\\t")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_cannot_steer_the_terminal() {
        assert_eq!(
            shown("p/a\u{1b}[2J\u{202e}x\n"),
            "p/a\\u{1b}[2J\\u{202e}x\\n"
        );
        assert_eq!(shown("système/carte"), "système/carte");
    }
}
