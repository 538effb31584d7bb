//! `sysdeck pack ids [PACK]`: the ids an author links to and references, one per line.

use std::io::Write;

use crate::content::{CardKind, LoadOptions, Pack};
use anyhow::Result;
use serde::Serialize;

use super::select;
use crate::cli::{Format, IdsArgs};
use crate::words;

/// Longest excerpt of an item's text shown beside its id.
const EXCERPT: usize = 60;

#[derive(Serialize)]
struct Row<'a> {
    pack: &'a str,
    kind: &'static str,
    id: &'a str,
    aliases: &'a [String],
    /// A note's title, a card's front or cloze text, a question's stem: its first line.
    text: String,
}

fn rows(pack: &Pack) -> Vec<Row<'_>> {
    let row = |kind, id, aliases, text| Row {
        pack: pack.id(),
        kind,
        id,
        aliases,
        text: excerpt(text),
    };
    let notes = pack
        .notes
        .iter()
        .map(|n| row("note", &n.id, &n.aliases, &n.title));
    let cards = pack.cards.iter().map(|c| {
        let text = match &c.kind {
            CardKind::Basic { front, .. } => front,
            CardKind::Cloze { text } => text,
        };
        row("card", &c.id, &c.aliases, text)
    });
    let questions = pack
        .questions
        .iter()
        .map(|q| row("question", &q.id, &q.aliases, &q.stem));
    notes.chain(cards).chain(questions).collect()
}

/// The first line of a text, cut to [`EXCERPT`] characters.
fn excerpt(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or_default();
    match line.char_indices().nth(EXCERPT) {
        Some((cut, _)) => format!("{}...", &line[..cut]),
        None => line.to_string(),
    }
}

pub fn run(args: &IdsArgs, opts: &LoadOptions) -> Result<()> {
    let (lib, ids) = select(args.pack.as_deref(), opts)?;
    let packs: Vec<&Pack> = ids.iter().filter_map(|id| lib.pack(id)).collect();
    let mut out = crate::safe_text::stdout();
    if args.format() == Format::Json {
        let all: Vec<Row> = packs.iter().flat_map(|p| rows(p)).collect();
        crate::safe_text::write_json(&mut out, &all)?;
        return Ok(());
    }
    for (i, pack) in packs.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{}: {}, {}, {}",
            pack.id(),
            words::count(pack.notes.len(), "note"),
            words::count(pack.cards.len(), "card"),
            words::count(pack.questions.len(), "question"),
        )?;
        let rows = rows(pack);
        let width = rows.iter().map(|r| r.id.chars().count()).max().unwrap_or(0);
        for r in &rows {
            let aliases = if r.aliases.is_empty() {
                String::new()
            } else {
                format!("  (was: {})", r.aliases.join(", "))
            };
            writeln!(
                out,
                "  {:<8}  {:<width$}  {}{aliases}",
                r.kind, r.id, r.text
            )?;
        }
    }
    Ok(())
}
