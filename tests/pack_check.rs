//! The checker against a corpus of broken packs: one realistic mistake per folder under
//! `tests/packs/broken/`, each with its `expect.toml` (the diagnostic's code, file, line and
//! column, and the ids the mistake may cost) and a snapshot of the exact diagnostics.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use sysdeck::content::library::Candidate;
use sysdeck::content::{Library, Origin};

const CORPUS: &str = "tests/packs/broken";

/// What one corpus folder's mistake must produce.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    code: String,
    /// The file inside the pack the diagnostic is about.
    file: String,
    /// Where the diagnostic points (one-based, columns in characters); absent for problems
    /// with a whole file.
    line: Option<usize>,
    column: Option<usize>,
    /// Ids the mistake leaves out; every other id written in the pack must load.
    skipped: Vec<String>,
    /// False when the mistake is in the manifest and the pack cannot load at all.
    #[serde(default = "yes")]
    loads: bool,
}

fn yes() -> bool {
    true
}

fn check(dir: &Path) -> Library {
    Library::from_candidates(vec![Candidate::disk(dir, Origin::Extra(dir.to_path_buf()))])
}

fn cases() -> Vec<(String, Expect)> {
    let mut names: Vec<String> = std::fs::read_dir(CORPUS)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let path = Path::new(CORPUS).join(&name).join("expect.toml");
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let expect = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, expect)
        })
        .collect()
}

/// The ids an author wrote in a pack's notes and decks, read line by line (`id = "x"`, or
/// `id: x` in a file in the wrong format), however broken the files are: what a perfect loader
/// would load.
fn written_ids(dir: &Path) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for folder in ["notes", "decks"] {
        let mut stack = vec![dir.join(folder)];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for entry in entries.map(Result::unwrap) {
                let path = entry.path();
                if entry.file_type().unwrap().is_symlink() {
                    continue;
                }
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
                for id in text.lines().filter_map(id_on_line) {
                    *out.entry(id).or_default() += 1;
                }
            }
        }
    }
    out
}

fn id_on_line(line: &str) -> Option<String> {
    let l = line.trim_start();
    let l = l.strip_prefix("- ").map_or(l, str::trim_start);
    let l = l.strip_prefix("id")?.trim_start();
    let l = l.strip_prefix(['=', ':'])?.trim_start();
    let l = l.strip_prefix(['"', '\'']).unwrap_or(l);
    let id: String = l
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    (!id.is_empty()).then_some(id)
}

#[test]
fn the_corpus_is_large_enough() {
    assert!(cases().len() >= 80, "{} cases", cases().len());
}

#[test]
fn each_mistake_is_reported_where_it_is() {
    let mut wrong = Vec::new();
    for (name, expect) in cases() {
        let dir = Path::new(CORPUS).join(&name);
        let lib = check(&dir);
        let report = &lib.reports[0];
        let file = format!("{}/{}", dir.display(), expect.file);
        let found = report.diagnostics.iter().find(|d| {
            let json = d.to_json(&report.sources);
            json.code == expect.code
                && json.file == file
                && expect
                    .line
                    .is_none_or(|l| (json.line, Some(json.column)) == (l, expect.column))
        });
        if found.is_none() {
            wrong.push(format!(
                "{name}: expected `{}` at {file}:{:?}:{:?}, got:\n{}",
                expect.code,
                expect.line,
                expect.column,
                report.render()
            ));
        }
        insta::assert_snapshot!(name.as_str(), report.render());
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn nothing_but_the_broken_item_is_dropped() {
    let mut wrong = Vec::new();
    for (name, expect) in cases() {
        let dir = Path::new(CORPUS).join(&name);
        let lib = check(&dir);
        if !expect.loads {
            assert!(
                lib.packs.is_empty(),
                "{name}: a broken manifest loads nothing"
            );
            continue;
        }
        let pack = &lib.packs[0];
        let mut loaded: BTreeMap<String, usize> = BTreeMap::new();
        let ids = pack
            .notes
            .iter()
            .map(|n| &n.id)
            .chain(pack.cards.iter().map(|c| &c.id))
            .chain(pack.questions.iter().map(|q| &q.id));
        for id in ids {
            *loaded.entry(id.to_string()).or_default() += 1;
        }
        for id in &expect.skipped {
            *loaded.entry(id.clone()).or_default() += 1;
        }
        let written = written_ids(&dir);
        if loaded != written {
            wrong.push(format!(
                "{name}: loaded ids plus the expected skipped ones are {loaded:?}, but the files \
                 hold {written:?}"
            ));
        }
        // A syntax error costs exactly the items it breaks, and the report counts them.
        let counted = lib.reports[0].skipped.total();
        if expect.code == "toml-syntax" && counted != expect.skipped.len() {
            wrong.push(format!(
                "{name}: the report counts {counted} skipped, not {:?}",
                expect.skipped
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
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
    assert_eq!(
        (d.end_line, d.end_column),
        (5, 6),
        "`fornt` is five characters"
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `front`?"));
    assert!(d.file.ends_with("unknown-key-card/decks/alpha.toml"));
}

#[test]
fn json_diagnostics_carry_secondary_spans() {
    let lib = check(Path::new("tests/packs/broken/toml-duplicate-key"));
    let r = &lib.reports[0];
    let d = r
        .diagnostics
        .iter()
        .map(|d| d.to_json(&r.sources))
        .find(|d| d.code == "toml-syntax")
        .unwrap();
    let first = &d.related[0];
    assert_eq!(first.message.as_deref(), Some("first set here"));
    assert_eq!((first.line, first.end_line), (d.line - 1, d.line - 1));
    assert_eq!((first.column, first.end_column), (1, 6));
    assert!(
        d.notes[0].contains("skipped card `a-reverse`"),
        "{:?}",
        d.notes
    );
}
