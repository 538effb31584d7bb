//! `sysdeck import anki | csv` and `sysdeck export anki`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::atomic_write::{NewFile, write_new};
use crate::cli::GlobalArgs;
use crate::cli::interop::{ExportAnkiArgs, ImportAnkiArgs, ImportCommand, ImportCsvArgs, NewPack};
use crate::clock::Clock;
use crate::content::text::is_valid_id;
use crate::interop::pack_out::{self, Draft};
use crate::interop::{anki, csv, id_from_name};
use crate::progress::{Exported, Progress};
use crate::words;

/// Problems listed one per line at most; the rest are counted.
const MAX_LISTED: usize = 40;

pub fn import(cmd: &ImportCommand, global: &GlobalArgs) -> Result<ExitCode> {
    match cmd {
        ImportCommand::Anki(args) => import_anki(args, global),
        ImportCommand::Csv(args) => import_csv(args),
    }
}

/// The pack id the options give, checked.
fn pack_id(pack: &NewPack) -> Result<String> {
    match &pack.id {
        Some(id) if is_valid_id(id) => Ok(id.clone()),
        Some(id) => bail!("`{id}` is not a valid pack id (lowercase letters, digits and dashes)"),
        None => Ok(id_from_name(
            &pack
                .output
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )),
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Imported".into())
}

/// Writes the pack and says what came in and what was left out.
fn finish(
    draft: &Draft,
    from: &Path,
    out: &Path,
    what: &str,
    problems: &[String],
) -> Result<ExitCode> {
    pack_out::write(draft, out)?;
    let mut stdout = crate::safe_text::stdout();
    writeln!(
        stdout,
        "Imported {} from {} into {} (pack {}){}.",
        words::count(draft.cards.len(), "card"),
        from.display(),
        out.display(),
        draft.id,
        if draft.assets.is_empty() {
            String::new()
        } else {
            format!(" with {}", words::count(draft.assets.len(), "media file"))
        }
    )?;
    if !problems.is_empty() {
        let mut err = crate::safe_text::stderr();
        writeln!(err, "{} left out:", words::count(problems.len(), what))?;
        for p in problems.iter().take(MAX_LISTED) {
            writeln!(err, "  {p}")?;
        }
        if problems.len() > MAX_LISTED {
            writeln!(err, "  ... and {} more", problems.len() - MAX_LISTED)?;
        }
    }
    writeln!(
        stdout,
        "Check it with: sysdeck pack check {}",
        out.display()
    )?;
    writeln!(stdout, "Study it with: sysdeck --pack {}", out.display())?;
    Ok(ExitCode::SUCCESS)
}

fn import_anki(args: &ImportAnkiArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let id = pack_id(&args.pack)?;
    let imported = anki::import(&args.file, &id, anki::Limits::default())
        .with_context(|| format!("cannot import {}", args.file.display()))?;
    if imported.draft.cards.is_empty() {
        bail!(
            "{} has no note sysdeck can use ({} read{})",
            args.file.display(),
            words::count(imported.notes, "note"),
            imported
                .problems
                .first()
                .map(|p| format!("; {p}"))
                .unwrap_or_default()
        );
    }
    let mut draft = imported.draft;
    draft.name = args
        .pack
        .name
        .clone()
        .or(imported
            .deck
            .filter(|d| !d.trim().is_empty() && d != "Default"))
        .unwrap_or_else(|| file_stem(&args.file));
    draft.name = pack_out::clean_text(&draft.name);
    draft.description = format!(
        "Imported from the Anki deck {}.",
        pack_out::clean_text(&file_stem(&args.file))
    );
    let status = finish(
        &draft,
        &args.file,
        &args.pack.output,
        "item",
        &imported.problems,
    )?;
    if args.with_history {
        let progress = Progress::open_history(&super::data_dir(global)?)?;
        let report = progress.import(&Exported {
            reviews: imported.reviews,
            ..Exported::default()
        })?;
        writeln!(
            crate::safe_text::stdout(),
            "Review history: {} new reviews ({} already here; {} manual, cram or unmatched rows left out); {} card states replayed.",
            report.reviews_added,
            report.reviews_present,
            imported.reviews_skipped,
            report.states
        )?;
    }
    Ok(status)
}

fn import_csv(args: &ImportCsvArgs) -> Result<ExitCode> {
    let id = pack_id(&args.pack)?;
    let rows = csv::import(&args.file, args.delimiter)
        .with_context(|| format!("cannot import {}", args.file.display()))?;
    let name = pack_out::clean_text(
        &args
            .pack
            .name
            .clone()
            .unwrap_or_else(|| file_stem(&args.file)),
    );
    let draft = Draft {
        id,
        description: format!("Imported from the spreadsheet {name}."),
        name,
        cards: rows.cards,
        assets: Vec::new(),
    };
    finish(&draft, &args.file, &args.pack.output, "row", &rows.problems)
}

pub fn export_anki(args: &ExportAnkiArgs, global: &GlobalArgs, clock: &Clock) -> Result<ExitCode> {
    let (lib, ids) = super::pack::select(Some(&args.pack), &super::load_options(global))?;
    let pack = lib.pack(&ids[0]).context("the pack did not load")?;
    // As `pack export`: a pack with errors would go out with only its valid parts.
    let broken = lib
        .reports
        .iter()
        .find(|r| r.loaded && r.id.as_deref() == Some(pack.id()) && r.errors() > 0);
    if let Some(r) = broken {
        bail!(
            "{} has {}; fix them before exporting it (`sysdeck pack check {}`)",
            r.label,
            words::count(r.errors(), "error"),
            args.pack
        );
    }
    if pack.cards.is_empty() {
        bail!("{} has no cards to export", pack.id());
    }
    let bytes = anki::export(
        pack,
        pack.origin.path().map(std::path::PathBuf::as_path),
        clock.now().as_second(),
    )?;
    write_new(&args.output, NewFile::Shared, |w| w.write_all(&bytes))?;
    writeln!(
        crate::safe_text::stdout(),
        "Exported {} of {} to {}. In Anki: File > Import; importing it again updates the same notes.",
        words::count(pack.cards.len(), "card"),
        pack.id(),
        args.output.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
