//! `sysdeck pack check | new | list | ids | preview | install | update | uninstall | export`.

pub mod check;
mod history;
pub mod ids;
pub mod preview;
pub mod share;
mod watch;

pub use check::{Outcome, Sources};

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::content::text::{is_valid_id, suggest_id};
use crate::content::{Library, LoadOptions, Pack};
use crate::srs::ReviewItem;
use anyhow::{Context, Result, bail};
use include_dir::{Dir, include_dir};
use serde::Serialize;

use crate::cli::{Format, ListArgs, NewArgs};

static TEMPLATE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets/pack-template");

/// Placeholders in the template, replaced by the new pack's id and name.
const ID_PLACEHOLDER: &str = "__PACK_ID__";
const NAME_PLACEHOLDER: &str = "__PACK_NAME__";

/// Cards as asked: a reverse side and each cloze deletion count apart.
fn to_review(pack: &Pack) -> usize {
    pack.cards
        .iter()
        .map(|c| ReviewItem::of_card(pack.id(), c).len())
        .sum()
}

/// The packs a `PACK` argument names: a folder (checked in the company of the loaded packs)
/// or the id of a loaded pack; every loaded pack without one.
pub(crate) fn select(arg: Option<&str>, opts: &LoadOptions) -> Result<(Library, Vec<String>)> {
    let Some(arg) = arg else {
        let lib = Library::load(opts);
        let ids = lib.packs.iter().map(|p| p.id().to_string()).collect();
        return Ok((lib, ids));
    };
    let path = Path::new(arg);
    if !path.is_dir() && arg.contains(['/', '\\']) {
        bail!("{arg} is not a folder; pass a pack folder or the id of a loaded pack");
    }
    if path.is_dir() {
        let (lib, checked) = check::check_paths(&[path.to_path_buf()], opts);
        let report = &lib.reports[checked[0]];
        let Some(id) = report.id.clone().filter(|_| report.loaded) else {
            bail!(
                "{arg} does not load ({}); run `sysdeck pack check {arg}`",
                crate::words::count(report.errors(), "error")
            );
        };
        return Ok((lib, vec![id]));
    }
    let lib = Library::load(opts);
    if lib.pack(arg).is_none() {
        let loaded: Vec<&str> = lib.packs.iter().map(Pack::id).collect();
        bail!(
            "no pack `{arg}` is loaded (loaded: {}); pass a pack id or a pack folder",
            loaded.join(", ")
        );
    }
    Ok((lib, vec![arg.to_string()]))
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

/// `aws-saa: Preparation for ... (by A, B; requires x >=1.0)`, the line under the table.
fn about_line(r: &ListRow) -> String {
    let mut extra = Vec::new();
    if !r.authors.is_empty() {
        extra.push(format!("by {}", r.authors.join(", ")));
    }
    if !r.requires.is_empty() {
        extra.push(format!("requires {}", r.requires.join(", ")));
    }
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(" ({})", extra.join("; "))
    };
    format!(
        "{}: {}{extra}",
        r.id.unwrap_or(r.path),
        r.description.unwrap_or("no description")
    )
}

#[derive(Serialize)]
struct ListRow<'a> {
    id: Option<&'a str>,
    name: Option<&'a str>,
    version: Option<&'a str>,
    description: Option<&'a str>,
    authors: &'a [String],
    license: Option<&'a str>,
    /// The packs it builds on, as `id >=1.0`.
    requires: Vec<String>,
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
        .map(|r| {
            let manifest =
                r.id.as_deref()
                    .filter(|_| r.loaded)
                    .and_then(|id| lib.pack(id))
                    .map(|p| &p.manifest);
            let text = |f: fn(&crate::content::Manifest) -> &String| {
                manifest
                    .map(f)
                    .map(String::as_str)
                    .filter(|t| !t.is_empty())
            };
            ListRow {
                id: r.id.as_deref(),
                name: r.name.as_deref(),
                version: r.version.as_deref(),
                description: text(|m| &m.description),
                authors: manifest.map_or(&[][..], |m| &m.authors),
                license: text(|m| &m.license),
                requires: manifest
                    .map(|m| m.requires.iter().map(ToString::to_string).collect())
                    .unwrap_or_default(),
                source: r.origin.label(),
                path: &r.label,
                notes: r.counts.notes,
                cards: r.counts.cards,
                questions: r.counts.questions,
                errors: r.errors(),
                warnings: r.warnings(),
                loaded: r.loaded,
            }
        })
        .collect();
    let mut out = crate::safe_text::stdout();
    if args.format == Format::Json {
        crate::safe_text::write_json(&mut out, &rows)?;
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
        "LICENSE",
        "SOURCE",
        "NOTES",
        "CARDS",
        "QUESTIONS",
        "STATUS",
    ];
    let table: Vec<[String; 9]> = rows
        .iter()
        .map(|r| {
            let status = match (r.loaded, r.errors) {
                (false, _) if r.id.is_none() => {
                    format!("BROKEN ({})", crate::words::count(r.errors, "error"))
                }
                (false, _) => "shadowed".to_string(),
                (true, 0) => "ok".to_string(),
                (true, e) => format!("BROKEN ({})", crate::words::count(e, "error")),
            };
            [
                r.id.unwrap_or(r.path).to_string(),
                r.name.unwrap_or("-").to_string(),
                r.version.unwrap_or("-").to_string(),
                r.license.unwrap_or("-").to_string(),
                r.source.to_string(),
                r.notes.to_string(),
                r.cards.to_string(),
                r.questions.to_string(),
                status,
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..9)
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
                if (5..8).contains(&i) {
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
    let mut about = rows
        .iter()
        .filter(|r| r.description.is_some() || !r.authors.is_empty());
    if let Some(first) = about.next() {
        writeln!(out)?;
        for r in std::iter::once(first).chain(about) {
            writeln!(out, "{}", about_line(r))?;
        }
    }
    let broken = rows.iter().filter(|r| r.errors > 0).count();
    if broken > 0 {
        writeln!(
            out,
            "\n{} with errors: run `sysdeck pack check` for the details.",
            crate::words::count(broken, "pack")
        )?;
    }
    Ok(())
}
