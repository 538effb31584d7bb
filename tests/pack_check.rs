//! The checker against a corpus of broken packs: one mistake per folder under
//! `tests/packs/broken/`, each with a snapshot of the exact diagnostics.

use std::path::Path;

use sysdeck::content::library::Candidate;
use sysdeck::content::{Library, Origin};

/// Each corpus folder and the diagnostic code it must produce.
const CASES: &[(&str, &str)] = &[
    ("bad-id", "bad-id"),
    ("bad-pack-id", "bad-id"),
    ("bad-version", "bad-version"),
    ("bad-weights", "bad-weights"),
    ("bidi-override", "control-character"),
    ("cloze-no-deletion", "bad-cloze"),
    ("cloze-unbalanced", "bad-cloze"),
    ("cloze-with-front", "bad-value"),
    ("control-character-markdown", "control-character"),
    ("control-character-toml", "control-character"),
    ("dangling-card-note", "dangling-reference"),
    ("dangling-link", "dangling-reference"),
    ("dangling-related", "dangling-reference"),
    ("difficulty-out-of-range", "bad-value"),
    ("duplicate-domain", "duplicate-id"),
    ("duplicate-id", "duplicate-id"),
    ("empty-domain", "empty-domain"),
    ("empty-text", "empty-text"),
    ("exam-without-weights", "missing-key"),
    ("front-matter-syntax", "toml-syntax"),
    ("ignored-file", "ignored-file"),
    ("missing-back", "missing-key"),
    ("missing-front-matter", "front-matter"),
    ("missing-manifest", "missing-manifest"),
    ("missing-question-domain", "missing-key"),
    ("missing-title", "missing-key"),
    ("missing-why", "missing-why"),
    ("multi-response-four-choices", "choice-count"),
    ("no-correct-choice", "bad-choices"),
    ("not-utf8", "not-utf8"),
    ("single-answer-three-choices", "choice-count"),
    ("symlink-escape", "symlink-escape"),
    ("toml-syntax", "toml-syntax"),
    ("too-few-choices", "bad-choices"),
    ("unknown-domain", "unknown-domain"),
    ("unknown-key-card", "unknown-key"),
    ("unknown-key-manifest", "unknown-key"),
    ("unknown-key-note", "unknown-key"),
    ("unknown-lab", "unknown-lab"),
    ("unloaded-pack", "unloaded-pack"),
    ("unsupported-format", "unsupported-format"),
    ("wrong-type-choices", "wrong-type"),
    ("wrong-type-difficulty", "wrong-type"),
    ("wrong-type-tags", "wrong-type"),
];

fn check(dir: &Path) -> Library {
    Library::from_candidates(vec![Candidate::disk(dir, Origin::Extra(dir.to_path_buf()))])
}

#[test]
fn every_corpus_folder_is_a_case() {
    let mut on_disk: Vec<String> = std::fs::read_dir("tests/packs/broken")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let listed: Vec<String> = CASES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn broken_packs_produce_their_diagnostics() {
    for (name, code) in CASES {
        let dir = Path::new("tests/packs/broken").join(name);
        let lib = check(&dir);
        let report = &lib.reports[0];
        assert!(
            report.diagnostics.iter().any(|d| d.code.as_str() == *code),
            "{name}: expected a `{code}` diagnostic, got:\n{}",
            report.render()
        );
        insta::assert_snapshot!(*name, report.render());
    }
}

#[test]
fn a_file_over_one_mebibyte_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("big");
    std::fs::create_dir_all(root.join("notes")).unwrap();
    std::fs::copy(
        "tests/packs/broken/missing-why/pack.toml",
        root.join("pack.toml"),
    )
    .unwrap();
    let big = format!(
        "+++\nid = \"big\"\ntitle = \"Big\"\n+++\n{}",
        "x".repeat(1024 * 1024)
    );
    std::fs::write(root.join("notes/big.md"), big).unwrap();
    let lib = check(&root);
    let report = &lib.reports[0];
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "file-too-large")
        .expect("a file-too-large error");
    assert!(d.message.contains("1048576 bytes"), "{}", d.message);
    assert!(lib.packs[0].notes.is_empty());
}

#[test]
fn a_broken_pack_does_not_take_the_others_down() {
    let good = Path::new("tests/packs/broken/missing-why");
    let bad = Path::new("tests/packs/broken/missing-manifest");
    let lib = Library::from_candidates(vec![
        Candidate::disk(bad, Origin::Extra(bad.to_path_buf())),
        Candidate::disk(good, Origin::Extra(good.to_path_buf())),
    ]);
    assert_eq!(lib.packs.len(), 1);
    assert_eq!(lib.packs[0].id(), "missing-why");
    assert_eq!(lib.broken().count(), 1);
}

#[test]
fn a_pack_with_item_errors_keeps_its_valid_items() {
    let lib = check(Path::new("tests/packs/broken/missing-back"));
    let pack = &lib.packs[0];
    assert_eq!(pack.notes.len(), 2);
    assert!(pack.cards.is_empty(), "the card without a back is dropped");
    assert_eq!(pack.questions.len(), 1);
}

#[test]
fn json_diagnostics_carry_line_and_column() {
    let lib = check(Path::new("tests/packs/broken/unknown-key-card"));
    let r = &lib.reports[0];
    let json: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| d.to_json(&r.sources))
        .collect();
    let d = json.iter().find(|d| d.code == "unknown-key").unwrap();
    assert_eq!((d.line, d.column), (5, 1));
    assert_eq!(d.hint.as_deref(), Some("did you mean `front`?"));
    assert!(d.file.ends_with("unknown-key-card/decks/alpha.toml"));
}
