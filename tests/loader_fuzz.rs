//! No input makes the loader panic: random and mutated manifests, notes and decks.

use std::borrow::Cow;

use proptest::prelude::*;
use sysdeck::content::parse::parse_pack;
use sysdeck::content::source::{Listing, RawFile};

const MANIFEST: &str = include_str!("packs/broken/bad-weights/pack.toml");
const NOTE: &str = include_str!("../assets/pack-template/notes/getting-started.md");
const DECK: &str = include_str!("../assets/pack-template/decks/getting-started.toml");

fn file(rel: &str, bytes: Vec<u8>) -> RawFile {
    RawFile {
        rel: rel.to_string(),
        bytes: Cow::Owned(bytes),
    }
}

fn listing(manifest: Vec<u8>, note: Vec<u8>, deck: Vec<u8>) -> Listing {
    Listing {
        manifest: Some(file("pack.toml", manifest)),
        files: vec![file("decks/d.toml", deck), file("notes/n.md", note)],
        problems: Vec::new(),
    }
}

/// One edit to a byte string: insert, delete, overwrite, or duplicate a slice.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Overwrite(usize, u8),
    Duplicate(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let interesting = prop::sample::select(vec![
        b"{{".to_vec(),
        b"}}".to_vec(),
        b"\"".to_vec(),
        b"\"\"\"".to_vec(),
        b"[[".to_vec(),
        b"]]".to_vec(),
        b"+++\n".to_vec(),
        b"\n".to_vec(),
        b"=".to_vec(),
        b"\x1b[31m".to_vec(),
        b"\xff\xfe".to_vec(),
        "\u{202e}".as_bytes().to_vec(),
        b"note:".to_vec(),
        b"{{c1::".to_vec(),
        b"[[questions.choices]]\n".to_vec(),
    ]);
    prop_oneof![
        (
            any::<usize>(),
            prop_oneof![interesting, prop::collection::vec(any::<u8>(), 1..8)]
        )
            .prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Overwrite(at, b)),
        (any::<usize>(), 1usize..80).prop_map(|(at, n)| Edit::Duplicate(at, n)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> Vec<u8> {
    let mut b = text.as_bytes().to_vec();
    for e in edits {
        let len = b.len().max(1);
        match e {
            Edit::Insert(at, bytes) => {
                let at = at % (b.len() + 1);
                b.splice(at..at, bytes.iter().copied());
            }
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(b.len());
                if at < end {
                    b.drain(at..end);
                }
            }
            Edit::Overwrite(at, byte) => {
                if !b.is_empty() {
                    let at = at % b.len();
                    b[at] = *byte;
                }
            }
            Edit::Duplicate(at, n) => {
                let at = at % len;
                let end = (at + n).min(b.len());
                if at < end {
                    let slice = b[at..end].to_vec();
                    b.splice(end..end, slice);
                }
            }
        }
    }
    b
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
