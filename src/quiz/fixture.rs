//! Hand-made packs for the quiz tests.

use crate::content::{Choice, Domain, Exam, Manifest, NoteRef, Origin, Pack, Question};

use super::session::QuizSession;
use super::spec::SessionSpec;
use super::{QuizItem, UnixMillis};

/// One minute in [`UnixMillis`].
pub const MINUTE: UnixMillis = 60_000;

/// The SAA-like domains: id and weight.
pub const SAA: [(&str, u32); 4] = [
    ("secure", 30),
    ("resilient", 26),
    ("performant", 24),
    ("cost", 20),
];

/// A question whose choices `correct` are right, out of `choices`; explanations name the choice.
pub fn question(id: &str, domain: &str, choices: usize, correct: &[usize]) -> Question {
    Question {
        id: id.into(),
        domain: Some(domain.to_string()),
        difficulty: Some(2),
        stem: format!("Stem of {id}?").into(),
        explanation: format!("Why {id}.").into(),
        tags: Vec::new(),
        note: Some(NoteRef::parse(&format!("note-{domain}"))),
        choices: (0..choices)
            .map(|i| Choice {
                text: format!("choice {i}").into(),
                correct: correct.contains(&i),
                why: Some(format!("why {i}").into()),
            })
            .collect(),
        exam: None,
        source: None,
        aliases: Vec::new(),
        lab: None,
    }
}

/// A pack with an exam of `questions` in `minutes` (pass 720) over the given domains, each
/// holding `count` single-answer questions `<domain>-<n>` whose first choice is right.
pub fn pack(domains: &[(&str, u32, usize)], questions: u32, minutes: u32) -> Pack {
    Pack {
        manifest: Manifest {
            id: "p".to_string(),
            name: "Test pack".to_string(),
            version: semver::Version::new(1, 0, 0),
            description: "For tests.".to_string(),
            authors: Vec::new(),
            license: "MIT".to_string(),
            requires: Vec::new(),
            exam: Some(Exam {
                name: "Test exam".to_string(),
                questions,
                minutes,
                pass_score: 720,
            }),
            domains: domains
                .iter()
                .map(|&(id, weight, _)| Domain {
                    id: id.to_string(),
                    name: format!("Domain {id}"),
                    weight: Some(weight),
                })
                .collect(),
        },
        origin: Origin::Builtin,
        notes: Vec::new(),
        cards: Vec::new().into(),
        questions: domains
            .iter()
            .flat_map(|&(d, _, count)| {
                (0..count).map(move |n| question(&format!("{d}-{n}"), d, 4, &[0]))
            })
            .collect(),
    }
}

/// The SAA-like pack with plenty of questions in every domain.
pub fn saa_pack(per_domain: usize) -> Pack {
    let domains: Vec<(&str, u32, usize)> = SAA.iter().map(|&(d, w)| (d, w, per_domain)).collect();
    pack(&domains, 65, 130)
}

/// Four questions in pack `p`: `s1` (secure, A right), `m2` (secure, choose two of five:
/// 1 and 3), `c3` and `c4` (cost, A right).
pub fn small_pack() -> Pack {
    let mut pack = pack(&[("secure", 60, 0), ("cost", 40, 0)], 4, 10);
    pack.questions = vec![
        question("s1", "secure", 4, &[0]),
        question("m2", "secure", 5, &[1, 3]),
        question("c3", "cost", 4, &[0]),
        question("c4", "cost", 4, &[0]),
    ]
    .into();
    pack
}

/// [`small_pack`] with `r5`, a hash-ring lab question (cost): 4 to 6 nodes, one joins.
pub fn lab_pack() -> Pack {
    let mut pack = small_pack();
    let mut ring = question("r5", "cost", 0, &[]);
    ring.stem = "A ring of 4–6 nodes gains one.".into();
    ring.lab = Some(crate::content::LabQuestion {
        lab: crate::content::Lab::HashRing,
        ask: crate::sim::ask::Ask::KeysMovedOnJoin,
        ranges: crate::sim::ask::Ranges(vec![(4, 6), (50, 100)]),
        template: Some("A ring of {nodes} nodes with {vnodes} vnodes each gains one.".into()),
    });
    pack.questions.push(ring);
    pack
}

/// A session over [`small_pack`] in its order.
pub fn session(spec: SessionSpec, now: UnixMillis) -> QuizSession {
    let pack = small_pack();
    let items = pack
        .questions
        .iter()
        .map(|q| QuizItem::new(&pack, q))
        .collect();
    QuizSession::new(spec, items, SEED, now).unwrap()
}

/// The seed of [`session`].
pub const SEED: u64 = 42;

/// The pack indexes of question `q`'s choices in the order shown, to compare seeded shuffles.
pub fn shown_order(session: &QuizSession, q: usize) -> Vec<usize> {
    session
        .question(q)
        .unwrap()
        .choices
        .iter()
        .map(|c| c.pack_index)
        .collect()
}

/// Where the current question shows the pack's choice `pack_index`.
pub fn shown(session: &QuizSession, pack_index: usize) -> usize {
    let view = session.current_question();
    view.choices
        .iter()
        .position(|c| c.pack_index == pack_index)
        .unwrap()
}
