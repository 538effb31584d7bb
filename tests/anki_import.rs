//! `sysdeck import anki`: packages built here from the documented schema, friendly and hostile.

#[path = "support/anki.rs"]
mod anki;
#[path = "support/fifo.rs"]
mod fifo;

use std::path::{Path, PathBuf};

use anki::{BASIC, CLOZE, REVERSED, latest, legacy, note};
use assert_cmd::Command;
use predicates::prelude::*;
use sysdeck::interop::InteropError;
use sysdeck::interop::anki::{AnkiError, Limits, import};

fn sysdeck(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.env("SYSDECK_DATA_DIR", data).env("NO_COLOR", "1");
    cmd
}

/// The cards of the pack's one deck file, as TOML tables.
fn cards(pack: &Path) -> Vec<toml::Table> {
    let decks: Vec<PathBuf> = std::fs::read_dir(pack.join("decks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(decks.len(), 1, "{decks:?}");
    let deck: toml::Table = toml::from_str(&std::fs::read_to_string(&decks[0]).unwrap()).unwrap();
    deck["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_table().unwrap().clone())
        .collect()
}

fn get<'a>(card: &'a toml::Table, key: &str) -> &'a str {
    card.get(key).and_then(toml::Value::as_str).unwrap_or("")
}

/// The pack passes `sysdeck pack check` with warnings denied.
fn checks_clean(data: &Path, pack: &Path) {
    sysdeck(data)
        .args(["pack", "check", "--no-builtin", "--deny-warnings"])
        .arg(pack)
        .assert()
        .success();
}

fn three_notes() -> Vec<anki::Note> {
    vec![
        note(
            "Gq8~x1",
            BASIC,
            " geo europe ",
            &[
                "Capital of <b>France</b>?",
                "<div>Paris</div><div>on the Seine&nbsp;&amp; <i>big</i></div><img src=\"paris.jpg\">",
            ],
        ),
        note("r2", REVERSED, " vocab ", &["der Hund", "the dog"]),
        note(
            "c3",
            CLOZE,
            "",
            &[
                "{{c1::Canberra::city}} is the capital of {{c2::Australia}}.",
                "Not Sydney.",
            ],
        ),
    ]
}

#[test]
fn a_legacy_package_becomes_a_pack_that_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let apkg = anki::write(
        tmp.path(),
        "geo.apkg",
        &legacy(
            &three_notes(),
            &[("paris.jpg", b"JPEG bytes"), ("unused.mp3", b"x")],
        ),
    );
    let out = tmp.path().join("geo");
    sysdeck(tmp.path())
        .args(["import", "anki"])
        .arg(&apkg)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("Imported 3 cards"))
        .stdout(predicate::str::contains("with 1 media file"));
    checks_clean(tmp.path(), &out);
    let cards = cards(&out);
    assert_eq!(cards.len(), 3);
    // Anki's editor writes a line per <div>; <b>/<i> become Markdown emphasis.
    assert_eq!(get(&cards[0], "front"), "Capital of **France**?");
    assert_eq!(
        get(&cards[0], "back"),
        "Paris\\\non the Seine & *big*\\\n![](../assets/paris.jpg)"
    );
    assert_eq!(cards[0]["tags"].as_array().unwrap().len(), 2);
    assert_eq!(cards[1]["reverse"].as_bool(), Some(true));
    assert_eq!(
        get(&cards[2], "cloze"),
        "{{c1::Canberra::city}} is the capital of {{c2::Australia}}."
    );
    assert_eq!(get(&cards[2], "extra"), "Not Sydney.");
    let manifest = std::fs::read_to_string(out.join("pack.toml")).unwrap();
    assert!(
        manifest.contains("name = \"Geography::Capitals\""),
        "{manifest}"
    );
    // Only media a note shows is copied (as Anki's importer does).
    assert_eq!(
        std::fs::read(out.join("assets/paris.jpg")).unwrap(),
        b"JPEG bytes"
    );
    assert!(!out.join("assets/unused.mp3").exists());
}

#[test]
fn a_newer_package_is_read_from_its_zstd_collection_not_the_dummy() {
    let tmp = tempfile::tempdir().unwrap();
    let apkg = anki::write(
        tmp.path(),
        "geo.apkg",
        &latest(&three_notes(), &[("paris.jpg", b"JPEG bytes")]),
    );
    let imported = import(&apkg, "geo", Limits::default()).unwrap();
    let texts: Vec<String> = imported
        .draft
        .cards
        .iter()
        .map(|c| format!("{:?}", c.kind))
        .collect();
    assert_eq!(imported.draft.cards.len(), 3, "{texts:?}");
    assert!(
        !texts.iter().any(|t| t.contains("Please update")),
        "{texts:?}"
    );
    assert_eq!(imported.deck.as_deref(), Some("Geography::Capitals"));
    assert_eq!(
        imported.draft.assets,
        [("paris.jpg".to_string(), b"JPEG bytes".to_vec())]
    );
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
}

#[test]
fn without_meta_the_anki21_file_wins_over_anki2() {
    let tmp = tempfile::tempdir().unwrap();
    let real = anki::collection_11(&three_notes());
    let dummy = anki::collection_11(&[note("d", BASIC, "", &["Please update", "x"])]);
    let apkg = anki::write(
        tmp.path(),
        "x.apkg",
        &anki::zip(&[
            ("collection.anki2", dummy, true),
            ("collection.anki21", real, true),
        ]),
    );
    let imported = import(&apkg, "x", Limits::default()).unwrap();
    assert_eq!(imported.draft.cards.len(), 3);
}

#[test]
fn hostile_media_names_never_leave_the_assets_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let names = [
        "../../escape.txt",
        "/tmp/absolute.txt",
        "nul\0.png",
        ".hidden",
        "ok.png",
        "with space.png",
    ];
    let back: String = names.iter().map(|n| format!("<img src=\"{n}\">")).collect();
    let media: Vec<(&str, &[u8])> = names.iter().map(|n| (*n, &b"data"[..])).collect();
    let apkg = anki::write(
        tmp.path(),
        "evil.apkg",
        &legacy(&[note("e1", BASIC, "", &["front", &back])], &media),
    );
    let out = tmp.path().join("deep/er/pack");
    sysdeck(tmp.path())
        .args(["import", "anki"])
        .arg(&apkg)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "\"../../escape.txt\": skipped: a path",
        ))
        .stderr(predicate::str::contains("\"/tmp/absolute.txt\": skipped"))
        .stderr(predicate::str::contains("nul\\0.png\": skipped"));
    let mut assets: Vec<String> = std::fs::read_dir(out.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assets.sort();
    // A name with a space is kept, linked in angle brackets (CommonMark 0.31 §6.3).
    assert_eq!(assets, ["ok.png", "with space.png"]);
    assert!(get(&cards(&out)[0], "back").contains("![](<../assets/with space.png>)"));
    assert!(!tmp.path().join("deep/escape.txt").exists());
    assert!(!tmp.path().join("escape.txt").exists());
    assert!(!Path::new("/tmp/absolute.txt").exists());
    checks_clean(tmp.path(), &out);
}

#[test]
fn zip_bombs_stop_at_the_limits() {
    let tmp = tempfile::tempdir().unwrap();
    let small = Limits {
        entries: 10,
        collection: 1 << 20,
        media_file: 1 << 16,
        media_total: 1 << 20,
    };
    // A collection that inflates to 8 MiB of zeros from a few KiB.
    let bomb = anki::write(
        tmp.path(),
        "bomb.apkg",
        &anki::zip(&[("collection.anki2", vec![0; 8 << 20], true)]),
    );
    assert!(std::fs::metadata(&bomb).unwrap().len() < 64 << 10);
    let err = import(&bomb, "x", small).unwrap_err();
    assert!(
        matches!(err, InteropError::Anki(AnkiError::TooLarge { .. })),
        "{err}"
    );

    // A media file over its limit is left out; the note still comes in.
    let big = vec![7u8; 1 << 17];
    let apkg = anki::write(
        tmp.path(),
        "media.apkg",
        &legacy(
            &[note("m", BASIC, "", &["f", "<img src=\"big.png\">"])],
            &[("big.png", &big)],
        ),
    );
    let imported = import(&apkg, "x", small).unwrap();
    assert_eq!(imported.draft.cards.len(), 1);
    assert!(imported.draft.assets.is_empty());
    assert!(
        imported.problems[0].contains("big.png"),
        "{:?}",
        imported.problems
    );

    // More entries than the limit: refused before any is read.
    let many: Vec<(String, Vec<u8>, bool)> =
        (0..11).map(|i| (i.to_string(), vec![], false)).collect();
    let many: Vec<(&str, Vec<u8>, bool)> = many
        .iter()
        .map(|(n, b, d)| (n.as_str(), b.clone(), *d))
        .collect();
    let apkg = anki::write(tmp.path(), "many.apkg", &anki::zip(&many));
    let err = import(&apkg, "x", small).unwrap_err();
    assert!(
        matches!(
            err,
            InteropError::Anki(AnkiError::TooManyEntries { count: 11, .. })
        ),
        "{err}"
    );
}

#[test]
fn what_is_not_an_anki_collection_is_refused_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let not_zip = anki::write(tmp.path(), "a.apkg", b"just text");
    let err = import(&not_zip, "x", Limits::default()).unwrap_err();
    assert!(
        matches!(err, InteropError::Anki(AnkiError::NotAPackage(_))),
        "{err}"
    );

    let garbage = anki::write(
        tmp.path(),
        "b.apkg",
        &anki::zip(&[(
            "collection.anki2",
            b"SQLite format 2 and garbage".repeat(100),
            true,
        )]),
    );
    assert!(import(&garbage, "x", Limits::default()).is_err());

    // A SQLite file without the notes table.
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("c");
    rusqlite::Connection::open(&db_path)
        .unwrap()
        .execute_batch("CREATE TABLE col (models text); CREATE TABLE cards (id integer);")
        .unwrap();
    let tables = anki::write(
        tmp.path(),
        "c.apkg",
        &anki::zip(&[("collection.anki2", std::fs::read(&db_path).unwrap(), true)]),
    );
    let err = import(&tables, "x", Limits::default()).unwrap_err();
    assert!(err.to_string().contains("no `notes` table"), "{err}");

    // A package from a future Anki (meta version 4).
    let future = anki::write(
        tmp.path(),
        "d.apkg",
        &anki::zip(&[("meta", vec![0x08, 0x04], false)]),
    );
    let err = import(&future, "x", Limits::default()).unwrap_err();
    assert!(
        matches!(err, InteropError::Anki(AnkiError::UnknownVersion(4))),
        "{err}"
    );
}

#[test]
fn each_bad_note_is_reported_and_the_rest_imported() {
    let tmp = tempfile::tempdir().unwrap();
    let mut non_utf8 = note("bad-utf8", BASIC, "", &[]);
    non_utf8.flds = b"caf\xe9\x1fback".to_vec();
    let notes = vec![
        note("good", BASIC, "ok", &["What is DNS?", "Names to addresses"]),
        note("three", BASIC, "", &["a", "b", "c"]),
        non_utf8,
        note("nomodel", 999, "", &["a", "b"]),
        note("nocloze", CLOZE, "", &["no deletion here", ""]),
        note("nested", CLOZE, "", &["{{c1::a {{c2::b}}}}", ""]),
        note("empty", BASIC, "", &["<br>", "back"]),
        note("good", BASIC, "", &["same guid", "again"]),
        note(
            "esc",
            BASIC,
            "",
            &["bell\u{7}\u{1b}[2J front", "back\u{202e}"],
        ),
    ];
    let apkg = anki::write(tmp.path(), "mixed.apkg", &legacy(&notes, &[]));
    let imported = import(&apkg, "mixed", Limits::default()).unwrap();
    let problems = imported.problems.join("\n");
    assert_eq!(imported.draft.cards.len(), 2, "{problems}");
    assert_eq!(imported.problems.len(), 7, "{problems}");
    for expected in [
        "has 2",
        "not UTF-8",
        "note type 999 is missing",
        "no deletion",
        "cannot be nested",
        "front is empty",
        "same GUID",
    ] {
        assert!(problems.contains(expected), "{expected}: {problems}");
    }
    // Control characters and bidirectional overrides are taken out of the text.
    let out = tmp.path().join("mixed");
    sysdeck(tmp.path())
        .args(["import", "anki"])
        .arg(&apkg)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("7 items left out"));
    checks_clean(tmp.path(), &out);
    assert_eq!(get(&cards(&out)[1], "front"), "bell[2J front");
}

#[test]
fn an_imported_deck_opens_in_the_app() {
    let tmp = tempfile::tempdir().unwrap();
    let apkg = anki::write(tmp.path(), "geo.apkg", &legacy(&three_notes(), &[]));
    let out = tmp.path().join("geo");
    sysdeck(tmp.path())
        .args(["import", "anki"])
        .arg(&apkg)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    sysdeck(tmp.path())
        .args(["--no-builtin", "--pack"])
        .arg(&out)
        .args(["snapshot", "--screen", "review", "--size", "80x24"])
        .env("SYSDECK_NOW", "2026-03-10T09:00:00Z")
        .assert()
        .success()
        .stdout(predicate::str::contains("Capital of France?"));
}

#[test]
fn the_output_folder_must_be_new_or_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let apkg = anki::write(tmp.path(), "geo.apkg", &legacy(&three_notes(), &[]));
    std::fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
    sysdeck(tmp.path())
        .args(["import", "anki"])
        .arg(&apkg)
        .arg("-o")
        .arg(tmp.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not empty"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn with_history_the_review_log_continues_the_schedule() {
    let tmp = tempfile::tempdir().unwrap();
    let day = 86_400_000i64;
    let t0 = 1_772_000_000_000i64; // 2026-02-25
    let review = |note, ord, at_ms, ease, ivl, kind, factor| anki::Review {
        note,
        ord,
        at_ms,
        ease,
        ivl,
        kind,
        factor,
    };
    let log = [
        // The basic card: learned, then two reviews with growing intervals.
        review(0, 0, t0, 3, -600, 0, 0),
        review(0, 0, t0 + 600_000, 3, 1, 0, 2500),
        review(0, 0, t0 + day, 3, 4, 1, 2500),
        review(0, 0, t0 + 5 * day, 3, 12, 1, 2500),
        // The reversed side (ord 1) and cloze c2 (ord 1), once each.
        review(1, 1, t0 + 2 * day, 4, 4, 0, 2500),
        review(2, 1, t0 + 3 * day, 1, -60, 0, 2500),
        // Left out: a manual change (ease 0), cramming (filtered, factor 0), a card whose
        // template the note does not make (basic ord 1).
        review(0, 0, t0 + 6 * day, 0, 0, 4, 0),
        review(0, 0, t0 + 7 * day, 3, 0, 3, 0),
        review(0, 1, t0 + 8 * day, 3, 1, 0, 2500),
        // A note skipped for reusing the first one's GUID: its history is not the first's.
        review(3, 0, t0 + 9 * day, 3, 1, 1, 2500),
    ];
    let mut notes = three_notes();
    notes.push(note("Gq8~x1", BASIC, "", &["a copy", "with its own log"]));
    let collection = anki::collection_11_with_log(&notes, &log);
    let apkg = anki::write(
        tmp.path(),
        "log.apkg",
        &anki::zip(&[("collection.anki2", collection, true)]),
    );
    let out = tmp.path().join("geo");
    let data = tmp.path().join("data");
    sysdeck(&data)
        .args(["import", "anki", "--with-history"])
        .arg(&apkg)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Review history: 6 new reviews (0 already here; 4 manual, cram or unmatched rows left out)",
        ));
    // Importing again adds nothing: rows are keyed by item and time.
    let again = tmp.path().join("geo2");
    sysdeck(&data)
        .args(["import", "anki", "--with-history", "--id", "geo"])
        .arg(&apkg)
        .arg("-o")
        .arg(&again)
        .assert()
        .success()
        .stdout(predicate::str::contains("0 new reviews (6 already here"));
    let cards = sysdeck(&data)
        .args(["--no-builtin", "--pack"])
        .arg(&out)
        .args(["cards", "--json", "--now", "2026-03-05T09:00:00Z"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&cards.get_output().stdout).unwrap();
    let text = json.to_string();
    let rows = json
        .as_array()
        .cloned()
        .unwrap_or_else(|| json["cards"].as_array().cloned().unwrap_or_default());
    let reviewed: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| r["reviews"].as_u64().unwrap_or(0) > 0)
        .collect();
    assert_eq!(reviewed.len(), 3, "{text}");
    assert!(
        rows.iter().any(|r| r["reviews"].as_u64() == Some(4)),
        "{text}"
    );
}

#[test]
fn a_fifo_named_as_the_package_is_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("deck.apkg");
    fifo::make(&fifo);
    let start = std::time::Instant::now();
    let err = import(&fifo, "x", Limits::default()).unwrap_err();
    assert!(matches!(err, InteropError::Read { .. }), "{err}");
    let err = sysdeck::interop::csv::import(&fifo, None).unwrap_err();
    assert!(matches!(err, InteropError::Read { .. }), "{err}");
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
}
