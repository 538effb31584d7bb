//! `sysdeck pack check`: every diagnostic of the checked packs, a summary line per pack, and
//! with `--watch` the same again whenever a file changes.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::content::diagnostic::{JsonDiagnostic, did_you_mean};
use crate::content::library::candidates;
use crate::content::{Candidate, Counts, Library, LoadOptions, Origin, PackReport};
use crate::safe_text::SafeWriter;
use anyhow::{Result, bail};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use serde::Serialize;

use super::{history, to_review, watch};
use crate::cli::{CheckArgs, Format};
use crate::words;

/// What `pack check` decided; the caller turns it into the exit status.
pub enum Outcome {
    Clean,
    Failed,
}

/// Where a check finds packs and the learner's history.
pub struct Sources<'a> {
    pub opts: &'a LoadOptions,
    /// The data directory, for review history; `None` when there is none.
    pub data_dir: Option<&'a Path>,
}

pub fn check(args: &CheckArgs, sources: &Sources<'_>, watching: bool) -> Result<Outcome> {
    if let Some(code) = &args.explain {
        return explain(code);
    }
    for p in &args.paths {
        if !p.is_dir() {
            bail!(
                "{} is not a folder; pass the folder that holds pack.toml",
                p.display()
            );
        }
    }
    if !watching {
        return check_once(args, sources);
    }
    let folders: Vec<PathBuf> = if args.paths.is_empty() {
        let opts = sources.opts;
        opts.user_dir
            .iter()
            .filter(|d| d.is_dir())
            .chain(&opts.extra)
            .cloned()
            .collect()
    } else {
        args.paths.clone()
    };
    if folders.is_empty() {
        bail!("nothing to watch: pass the pack folders to check, or --pack PATH");
    }
    let mut first = true;
    watch::run(&folders, || {
        let mut out = crate::safe_text::stdout();
        if !std::mem::take(&mut first) {
            writeln!(out, "\n--- files changed; checking again ---\n")?;
            out.flush()?;
        }
        check_once(args, sources)?;
        writeln!(
            out,
            "watching {} for changes; Ctrl-C to stop",
            words::count(folders.len(), "folder")
        )?;
        out.flush()?;
        Ok(())
    })?;
    Ok(Outcome::Clean)
}

fn check_once(args: &CheckArgs, sources: &Sources<'_>) -> Result<Outcome> {
    let (mut lib, checked) = if args.paths.is_empty() {
        let lib = Library::load(sources.opts);
        let n = lib.reports.len();
        (lib, (0..n).collect::<Vec<_>>())
    } else {
        check_paths(&args.paths, sources.opts)
    };
    if let Some(dir) = sources.data_dir {
        history::add_warnings(&mut lib, &checked, dir);
    }
    let reports: Vec<&PackReport> = checked.iter().map(|&i| &lib.reports[i]).collect();
    match args.format {
        Format::Text => print_text(&lib, &reports)?,
        Format::Json => print_json(&lib, &reports)?,
    }
    let errors: usize = reports.iter().map(|r| r.errors()).sum();
    let warnings: usize = reports.iter().map(|r| r.warnings()).sum();
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    Ok(if failed {
        Outcome::Failed
    } else {
        Outcome::Clean
    })
}

/// Loads the given folders in the company of the other loaded packs, so references into
/// them resolve; a checked folder takes the place of a loaded pack with the same id. Returns
/// the library and the indices of the given folders' reports.
pub fn check_paths(paths: &[PathBuf], opts: &LoadOptions) -> (Library, Vec<usize>) {
    let mut cands: Vec<Candidate> = candidates(opts);
    let company = cands.len();
    cands.extend(
        paths
            .iter()
            .map(|p| Candidate::disk(p, Origin::Extra(p.clone()))),
    );
    let lib = Library::from_candidates(cands);
    let checked = (company..lib.reports.len()).collect();
    (lib, checked)
}

fn explain(code: &str) -> Result<Outcome> {
    let Some(text) = crate::content::explain::explain(code) else {
        let codes = crate::content::explain::codes();
        match did_you_mean(&code.to_ascii_lowercase(), codes.iter().copied()) {
            Some(close) => bail!("`{code}` is not a diagnostic code; did you mean `{close}`?"),
            None => bail!(
                "`{code}` is not a diagnostic code; the codes are: {}",
                codes.join(", ")
            ),
        }
    };
    let mut out = crate::safe_text::stdout();
    out.write_all(text.as_bytes())?;
    Ok(Outcome::Clean)
}

pub(super) fn print_text(lib: &Library, reports: &[&PackReport]) -> Result<()> {
    let color = if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut out = SafeWriter::new(StandardStream::stdout(color));
    for r in reports {
        for d in &r.diagnostics {
            d.emit_colored(&r.sources, &mut out)?;
        }
    }
    for r in reports {
        writeln!(out, "{}", summary_line(lib, r))?;
    }
    Ok(())
}

/// The faces a loaded pack's cards produce (a reverse side, each cloze deletion).
fn faces(lib: &Library, r: &PackReport) -> Option<usize> {
    let id = r.id.as_deref().filter(|_| r.loaded)?;
    lib.pack(id).map(to_review)
}

/// `checked my-pack (my-pack 1.0.0): 2 notes, 15 cards (24 to review), 3 questions; skipped
/// 1 card: 1 error, 0 warnings`.
fn summary_line(lib: &Library, r: &PackReport) -> String {
    let who = match (&r.id, &r.version) {
        (Some(id), Some(v)) => format!("{id} {v}"),
        _ => "no usable manifest".to_string(),
    };
    let Counts {
        notes,
        cards,
        questions,
    } = r.counts;
    let cards = match faces(lib, r) {
        Some(n) if n != cards => format!("{} ({n} to review)", words::count(cards, "card")),
        _ => words::count(cards, "card"),
    };
    let skipped = skipped_text(r.skipped)
        .map(|s| format!("; skipped {s}"))
        .unwrap_or_default();
    let verdict = match (r.errors(), r.warnings()) {
        (0, 0) => "ok".to_string(),
        (e, w) => format!(
            "{}, {}",
            words::count(e, "error"),
            words::count(w, "warning")
        ),
    };
    format!(
        "checked {} ({who}): {}, {cards}, {}{skipped}: {verdict}",
        r.label,
        words::count(notes, "note"),
        words::count(questions, "question"),
    )
}

/// "1 note, 2 cards" for what errors left out, or `None` when nothing was.
fn skipped_text(c: Counts) -> Option<String> {
    let parts: Vec<String> = [
        (c.notes, "note"),
        (c.cards, "card"),
        (c.questions, "question"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, w)| words::count(n, w))
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[derive(Serialize)]
struct JsonPack<'a> {
    path: &'a str,
    id: Option<&'a str>,
    notes: usize,
    cards: usize,
    /// Cards as asked: reverse sides and each cloze deletion count apart.
    to_review: Option<usize>,
    questions: usize,
    skipped: Counts,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic>,
}

fn print_json(lib: &Library, reports: &[&PackReport]) -> Result<()> {
    let packs: Vec<JsonPack> = reports
        .iter()
        .map(|r| JsonPack {
            path: &r.label,
            id: r.id.as_deref(),
            notes: r.counts.notes,
            cards: r.counts.cards,
            to_review: faces(lib, r),
            questions: r.counts.questions,
            skipped: r.skipped,
            errors: r.errors(),
            warnings: r.warnings(),
            diagnostics: r
                .diagnostics
                .iter()
                .map(|d| d.to_json(&r.sources))
                .collect(),
        })
        .collect();
    let mut out = crate::safe_text::stdout();
    crate::safe_text::write_json(&mut out, &serde_json::json!({ "packs": packs }))?;
    Ok(())
}
