//! The authoring guide's example pack is complete and clean: its manifest, note and deck,
//! taken from docs/pack-format.md, pass the checker with warnings denied. And the guide lists
//! every diagnostic code.

use std::path::Path;

use sysdeck::content::diagnostic::Code;
use sysdeck::content::{Candidate, Library, LoadOptions, Origin, library::candidates};

/// The fenced blocks of a language in a Markdown file, in order.
fn blocks<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
    let fence = format!("```{lang}\n");
    text.split(&fence)
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .collect()
}

#[test]
fn the_guides_example_pack_passes_with_warnings_denied() {
    let guide = std::fs::read_to_string("docs/pack-format.md").unwrap();
    let toml = blocks(&guide, "toml");
    let md = blocks(&guide, "markdown");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("kafka-basics");
    std::fs::create_dir_all(root.join("notes")).unwrap();
    std::fs::create_dir_all(root.join("decks")).unwrap();
    std::fs::write(root.join("pack.toml"), toml[0]).unwrap();
    std::fs::write(root.join("notes/partitions.md"), md[0]).unwrap();
    std::fs::write(root.join("decks/partitions.toml"), toml[1]).unwrap();

    // In the company of the built-in packs, which the example links into.
    let mut cands = candidates(&LoadOptions {
        builtin: true,
        ..Default::default()
    });
    cands.push(Candidate::disk(&root, Origin::Extra(root.clone())));
    let lib = Library::from_candidates(cands);
    let report = lib.reports.last().unwrap();
    assert!(report.diagnostics.is_empty(), "{}", report.render());
    assert_eq!(
        (
            report.counts.notes,
            report.counts.cards,
            report.counts.questions
        ),
        (1, 3, 1)
    );
    assert!(Path::new(&report.label).ends_with("kafka-basics"));
}

#[test]
fn the_guide_lists_every_diagnostic_code() {
    let guide = std::fs::read_to_string("docs/pack-format.md").unwrap();
    for code in Code::ALL {
        let row = format!("| `{}` |", code.as_str());
        assert!(
            guide.contains(&row),
            "the guide's table has no row for {row}"
        );
    }
}
