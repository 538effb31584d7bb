//! `sysdeck pack preview PACK`: every card a pack generates, as the review screen asks it.

use std::io::Write;

use crate::content::{Library, LoadOptions, Pack};
use crate::srs::ReviewItem;
use anyhow::Result;
use serde::Serialize;

use super::{select, to_review};
use crate::cli::{Format, PreviewArgs};
use crate::words;

#[derive(Serialize)]
struct Face {
    /// The key progress is stored under: `pack/card`, `pack/card#reverse`, `pack/card#c2`.
    key: String,
    front: String,
    back: String,
    extra: Option<String>,
}

fn faces(lib: &Library, pack: &Pack) -> Vec<Face> {
    pack.cards
        .iter()
        .flat_map(|c| ReviewItem::of_card(pack.id(), c))
        .filter_map(|item| {
            let face = item.face(lib)?;
            Some(Face {
                key: item.key().to_string(),
                front: face.front,
                back: face.back,
                extra: face.extra,
            })
        })
        .collect()
}

pub fn run(args: &PreviewArgs, opts: &LoadOptions) -> Result<()> {
    let (lib, ids) = select(Some(&args.pack), opts)?;
    let mut out = crate::safe_text::stdout();
    for pack in ids.iter().filter_map(|id| lib.pack(id)) {
        let faces = faces(&lib, pack);
        if args.format == Format::Json {
            crate::safe_text::write_json(&mut out, &faces)?;
            continue;
        }
        writeln!(
            out,
            "{}: {} ({} to review), {}",
            pack.id(),
            words::count(pack.cards.len(), "card"),
            to_review(pack),
            words::count(pack.questions.len(), "question"),
        )?;
        for f in &faces {
            writeln!(out, "\n[{}]", f.key)?;
            writeln!(out, "  Q: {}", indent(&f.front))?;
            writeln!(out, "  A: {}", indent(&f.back))?;
            if let Some(extra) = &f.extra {
                writeln!(out, "  +: {}", indent(extra))?;
            }
        }
    }
    Ok(())
}

/// Continuation lines of a multi-line text, lined up under the first.
fn indent(text: &str) -> String {
    text.trim().replace('\n', "\n     ")
}
