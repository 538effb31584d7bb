//! No input makes the loader panic: random and mutated manifests, notes and decks.

use proptest::prelude::*;
use sysdeck::content::parse::parse_pack;
use sysdeck::content::source::{Listing, RawFile};

#[path = "support/mutate.rs"]
mod mutate;
use mutate::{apply, edit};

const MANIFEST: &str = include_str!("packs/broken/bad-weights/pack.toml");
const NOTE: &str = include_str!("../assets/pack-template/notes/getting-started.md");
const DECK: &str = include_str!("../assets/pack-template/decks/getting-started.toml");

fn file(rel: &str, bytes: Vec<u8>) -> RawFile {
    RawFile::in_memory(rel, bytes)
}

fn listing(manifest: Vec<u8>, note: Vec<u8>, deck: Vec<u8>) -> Listing {
    Listing {
        manifest: Some(file("pack.toml", manifest)),
        files: vec![file("decks/d.toml", deck), file("notes/n.md", note)],
        problems: Vec::new(),
        ..Listing::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn mutated_packs_never_panic(
        m in prop::collection::vec(edit(), 0..4),
        n in prop::collection::vec(edit(), 0..6),
        d in prop::collection::vec(edit(), 0..6),
    ) {
        let parsed = parse_pack("fuzz", listing(apply(MANIFEST, &m), apply(NOTE, &n), apply(DECK, &d)));
        // Every diagnostic must render: spans always fall inside their file.
        for diag in &parsed.diagnostics {
            let text = diag.render(&parsed.sources);
            prop_assert!(!text.is_empty());
        }
    }

    #[test]
    fn random_bytes_never_panic(
        m in prop::collection::vec(any::<u8>(), 0..300),
        n in ".{0,300}",
        d in "(\\[\\[cards\\]\\]\n|id = \"x\"\n|cloze = \"\\{\\{c1::|front = |\"|\n|[a-z ]{1,8}){0,40}",
    ) {
        let parsed = parse_pack("fuzz", listing(m, n.into_bytes(), d.into_bytes()));
        for diag in &parsed.diagnostics {
            diag.render(&parsed.sources);
        }
    }
}
