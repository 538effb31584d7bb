//! `sysdeck cards`: every card of a pack, topic or tag with its state, due date, lapses and
//! reviews, the rows of the card browser.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::cli::GlobalArgs;
use crate::cli::cards::CardsArgs;
use crate::clock::Clock;
use crate::srs::{CardRow, Filter};

/// One row as printed: the browser's row with the card's front on one line.
#[derive(Serialize)]
struct Row<'a> {
    front: String,
    #[serde(flatten)]
    card: &'a CardRow,
}

pub fn run(args: &CardsArgs, global: &GlobalArgs, clock: Clock) -> Result<ExitCode> {
    let library = super::load_library(global);
    let progress = super::open_progress(global, &library)?;
    let scope = args.filters.scope();
    let filter = match (args.missed, args.leeches) {
        (true, _) => Filter::Missed,
        (_, true) => Filter::Leeches,
        _ => Filter::All,
    };
    let cards = progress.browse(&scope, filter, clock.now())?;
    super::progress_check::print_warnings(&progress);
    let rows: Vec<Row> = cards
        .iter()
        .map(|card| {
            let front = progress
                .catalog()
                .get(&card.key)
                .and_then(|e| e.item().face(&library))
                .map(|f| crate::words::one_line(&f.front))
                .unwrap_or_default();
            Row { front, card }
        })
        .collect();
    let mut out = crate::safe_text::stdout();
    if args.json {
        crate::safe_text::write_json(&mut out, &rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    for r in &rows {
        let due = r
            .card
            .due
            .map_or_else(|| "-".to_string(), |d| d.strftime("%Y-%m-%d").to_string());
        let front: String = r.front.chars().take(50).collect();
        let cut = if r.front.chars().count() > 50 {
            "…"
        } else {
            ""
        };
        writeln!(
            out,
            "{:<11} {:<10} lapses {:>2} reviews {:>3}{}  {}  {front}{cut}",
            r.card.status.label(),
            due,
            r.card.lapses,
            r.card.reviews,
            if r.card.leech { " leech" } else { "" },
            r.card.key,
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
