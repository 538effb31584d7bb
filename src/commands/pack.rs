//! `sysdeck pack check | new | list`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use include_dir::{Dir, include_dir};
use serde::Serialize;
use sysdeck::content::diagnostic::JsonDiagnostic;
use sysdeck::content::library::candidates;
use sysdeck::content::text::{is_valid_id, suggest_id};
use sysdeck::content::{Candidate, Counts, Library, LoadOptions, Origin, PackReport};
use sysdeck::safe_text::SafeWriter;

use crate::cli::{CheckArgs, Format, ListArgs, NewArgs};

static TEMPLATE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets/pack-template");

/// Placeholders in the template, replaced by the new pack's id and name.
const ID_PLACEHOLDER: &str = "__PACK_ID__";
const NAME_PLACEHOLDER: &str = "__PACK_NAME__";

/// What `pack check` decided; the caller turns it into the exit status.
pub enum Outcome {
    Clean,
    Failed,
}

pub fn check(args: &CheckArgs, opts: &LoadOptions) -> Result<Outcome> {
    let (lib, checked) = if args.paths.is_empty() {
        let lib = Library::load(opts);
        let n = lib.reports.len();
        (lib, (0..n).collect::<Vec<_>>())
    } else {
        check_paths(&args.paths, opts)?
    };
    let reports: Vec<&PackReport> = checked.iter().map(|&i| &lib.reports[i]).collect();
    match args.format {
        Format::Text => print_text(&reports)?,
        Format::Json => print_json(&reports)?,
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

/// Checks the given folders in the company of the other loaded packs, so references into
/// them resolve; a checked folder takes the place of a loaded pack with the same id.
fn check_paths(paths: &[PathBuf], opts: &LoadOptions) -> Result<(Library, Vec<usize>)> {
    for p in paths {
        if !p.is_dir() {
            bail!(
                "{} is not a folder; pass the folder that holds pack.toml",
                p.display()
            );
        }
    }
    let mut cands: Vec<Candidate> = candidates(opts);
    let company = cands.len();
    cands.extend(
        paths
            .iter()
            .map(|p| Candidate::disk(p, Origin::Extra(p.clone()))),
    );
    let lib = Library::from_candidates(cands);
    let checked = (company..lib.reports.len()).collect();
    Ok((lib, checked))
}

fn print_text(reports: &[&PackReport]) -> Result<()> {
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
        writeln!(out, "{}", summary_line(r))?;
    }
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn summary_line(r: &PackReport) -> String {
    let who = match (&r.id, &r.version) {
        (Some(id), Some(v)) => format!("{id} {v}"),
        _ => "(no usable manifest)".to_string(),
    };
    let Counts {
        notes,
        cards,
        questions,
    } = r.counts;
    let verdict = match (r.errors(), r.warnings()) {
        (0, 0) => "ok".to_string(),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    };
    format!(
        "checked {} ({who}): {}, {}, {}: {verdict}",
        r.label,
        plural(notes, "note"),
        plural(cards, "card"),
        plural(questions, "question"),
    )
}

#[derive(Serialize)]
struct JsonPack<'a> {
    path: &'a str,
    id: Option<&'a str>,
    notes: usize,
    cards: usize,
    questions: usize,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic>,
}

fn print_json(reports: &[&PackReport]) -> Result<()> {
    let packs: Vec<JsonPack> = reports
        .iter()
        .map(|r| JsonPack {
            path: &r.label,
            id: r.id.as_deref(),
            notes: r.counts.notes,
            cards: r.counts.cards,
            questions: r.counts.questions,
            errors: r.errors(),
            warnings: r.warnings(),
            diagnostics: r
                .diagnostics
                .iter()
                .map(|d| d.to_json(&r.sources))
                .collect(),
        })
        .collect();
    let mut out = sysdeck::safe_text::stdout();
    sysdeck::safe_text::write_json(&mut out, &serde_json::json!({ "packs": packs }))?;
    Ok(())
}

pub fn new(args: &NewArgs) -> Result<PathBuf> {
    if !is_valid_id(&args.name) {
        bail!(
            "`{}` is not a valid pack id (lowercase letters, digits and dashes); try `{}`",
            args.name,
            suggest_id(&args.name)
        );
    }
    let target = args.dir.join(&args.name);
    if target.exists() {
        bail!(
            "{} already exists; choose another name or --dir",
            target.display()
        );
    }
    let title = title_case(&args.name);
    write_template(&TEMPLATE, &target, &args.name, &title)
        .with_context(|| format!("writing the new pack to {}", target.display()))?;
    Ok(target)
}

fn write_template(dir: &Dir<'_>, target: &Path, id: &str, name: &str) -> Result<()> {
    std::fs::create_dir_all(target)?;
    for file in dir.files() {
        let text = file
            .contents_utf8()
            .context("template files are UTF-8")?
            .replace(ID_PLACEHOLDER, id)
            .replace(NAME_PLACEHOLDER, name);
        let rel = file
            .path()
            .strip_prefix(TEMPLATE.path())
            .unwrap_or(file.path());
        std::fs::write(target.join(rel), text)?;
    }
    for sub in dir.dirs() {
        let rel = sub
            .path()
            .strip_prefix(TEMPLATE.path())
            .unwrap_or(sub.path());
        std::fs::create_dir_all(target.join(rel))?;
        write_template(sub, target, id, name)?;
    }
    Ok(())
}

/// `my-first-pack` -> `My First Pack`, the new pack's display name.
fn title_case(id: &str) -> String {
    id.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Serialize)]
struct ListRow<'a> {
    id: Option<&'a str>,
    name: Option<&'a str>,
    version: Option<&'a str>,
    source: &'static str,
    path: &'a str,
    notes: usize,
    cards: usize,
    questions: usize,
    errors: usize,
    warnings: usize,
    loaded: bool,
}

pub fn list(args: &ListArgs, lib: &Library) -> Result<()> {
    let rows: Vec<ListRow> = lib
        .reports
        .iter()
        .map(|r| ListRow {
            id: r.id.as_deref(),
            name: r.name.as_deref(),
            version: r.version.as_deref(),
            source: r.origin.label(),
            path: &r.label,
            notes: r.counts.notes,
            cards: r.counts.cards,
            questions: r.counts.questions,
            errors: r.errors(),
            warnings: r.warnings(),
            loaded: r.loaded,
        })
        .collect();
    let mut out = sysdeck::safe_text::stdout();
    if args.format == Format::Json {
        sysdeck::safe_text::write_json(&mut out, &rows)?;
        return Ok(());
    }
    if rows.is_empty() {
        writeln!(
            out,
            "No packs loaded. Create one with `sysdeck pack new NAME`."
        )?;
        return Ok(());
    }
    let header = [
        "ID",
        "NAME",
        "VERSION",
        "SOURCE",
        "NOTES",
        "CARDS",
        "QUESTIONS",
        "STATUS",
    ];
    let table: Vec<[String; 8]> = rows
        .iter()
        .map(|r| {
            let status = match (r.loaded, r.errors) {
                (false, _) if r.id.is_none() => format!("BROKEN ({})", plural(r.errors, "error")),
                (false, _) => "shadowed".to_string(),
                (true, 0) => "ok".to_string(),
                (true, e) => format!("BROKEN ({})", plural(e, "error")),
            };
            [
                r.id.unwrap_or(r.path).to_string(),
                r.name.unwrap_or("-").to_string(),
                r.version.unwrap_or("-").to_string(),
                r.source.to_string(),
                r.notes.to_string(),
                r.cards.to_string(),
                r.questions.to_string(),
                status,
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..8)
        .map(|i| {
            table
                .iter()
                .map(|row| row[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                if (4..7).contains(&i) {
                    format!("{c:>w$}")
                } else {
                    format!("{c:<w$}")
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in &table {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    let broken = rows.iter().filter(|r| r.errors > 0).count();
    if broken > 0 {
        writeln!(
            out,
            "\n{} with errors: run `sysdeck pack check` for the details.",
            plural(broken, "pack")
        )?;
    }
    Ok(())
}
