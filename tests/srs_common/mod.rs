//! A synthetic library for the scheduler's tests and benchmarks: basic, reverse and cloze
//! cards spread over a few notes, so siblings and topics exist.
#![allow(dead_code)]

use sysdeck::content::{Card, CardKind, Library, Manifest, Note, NoteRef, Origin, Pack};

/// One pack `p` with `cards` cards: every third has a reverse side, every fifth is a
/// two-deletion cloze; ten notes share them.
pub fn library(cards: usize) -> Library {
    let notes = (0..10)
        .map(|i| Note {
            id: format!("note-{i}").into(),
            title: format!("Note {i}"),
            summary: String::new(),
            tags: vec![],
            domain: None,
            related: vec![],
            lab: None,
            order: None,
            aliases: vec![],
            body: String::new().into(),
            path: format!("notes/note-{i}.md"),
        })
        .collect();
    let cards = (0..cards)
        .map(|i| Card {
            id: format!("card-{i}").into(),
            kind: if i % 5 == 4 {
                CardKind::Cloze {
                    text: format!("{{{{c1::a{i}}}}} and {{{{c2::b{i}}}}}").into(),
                }
            } else {
                CardKind::Basic {
                    front: format!("front {i}").into(),
                    back: format!("back {i}").into(),
                    reverse: i % 3 == 0,
                }
            },
            extra: None,
            tags: vec![if i % 2 == 0 { "even" } else { "odd" }.to_string()],
            note: Some(NoteRef::parse(&format!("note-{}", i % 10))),
            source: None,
            aliases: vec![],
        })
        .collect();
    Library {
        packs: vec![Pack {
            manifest: Manifest {
                id: "p".into(),
                name: "Synthetic".into(),
                version: semver::Version::new(1, 0, 0),
                description: String::new(),
                authors: vec![],
                license: String::new(),
                requires: Vec::new(),
                exam: None,
                domains: vec![],
            },
            origin: Origin::Builtin,
            notes,
            cards,
            questions: Vec::new().into(),
        }],
        ..Library::default()
    }
}
