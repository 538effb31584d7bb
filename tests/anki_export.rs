//! `sysdeck export anki`: a package Anki imports (schema 11, as genanki writes it), stable
//! GUIDs, and a round trip export -> import that keeps the cards.

#[path = "support/anki.rs"]
mod anki;

use std::io::Read;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use rusqlite::Connection;

fn sysdeck(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.env("SYSDECK_DATA_DIR", data).env("NO_COLOR", "1");
    cmd
}

const DECK: &str = r#"
[[cards]]
id = "dns"
front = "What does **DNS** map?"
back = "Names to addresses: `a < b && c`.\\\nSecond line.\n\nA paragraph."
tags = ["net", "basics"]

[[cards]]
id = "hund"
front = "der Hund"
back = "the dog"
reverse = true

[[cards]]
id = "ring"
cloze = "A ring of {{c1::N}} nodes moves about {{c2::1/(N+1)::a share}} of keys."
extra = "![](../assets/ring.png)"
tags = ["hashing"]
"#;

fn make_pack(dir: &Path) {
    std::fs::create_dir_all(dir.join("decks")).unwrap();
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("pack.toml"),
        "[pack]\nid = \"trip\"\nname = \"Round Trip\"\nversion = \"1.0.0\"\nformat = 1\ndescription = \"d\"\nlicense = \"MIT\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("decks/cards.toml"), DECK).unwrap();
    std::fs::write(dir.join("assets/ring.png"), b"PNG ring").unwrap();
}

fn export(data: &Path, pack: &Path, out: &Path, now: &str) {
    sysdeck(data)
        .args(["--no-builtin", "export", "anki"])
        .arg(pack)
        .arg("-o")
        .arg(out)
        .args(["--now", now])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exported 3 cards of trip"));
}

/// The collection inside a package, opened from a copy.
fn collection(apkg: &Path, tmp: &Path) -> Connection {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(apkg).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name("collection.anki2")
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    let path = tmp.join(format!(
        "col-{}",
        apkg.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&path, bytes).unwrap();
    Connection::open(path).unwrap()
}

fn cards(pack: &Path) -> Vec<toml::Table> {
    let dir = std::fs::read_dir(pack.join("decks")).unwrap();
    let path = dir.map(|e| e.unwrap().path()).next().unwrap();
    let deck: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    deck["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_table().unwrap().clone())
        .collect()
}

#[test]
fn a_pack_survives_export_and_import() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("trip");
    make_pack(&pack);
    let apkg = tmp.path().join("trip.apkg");
    export(tmp.path(), &pack, &apkg, "2026-03-10T09:00:00Z");
    let back = tmp.path().join("back");
    sysdeck(tmp.path())
        .args(["import", "anki"])
        .arg(&apkg)
        .arg("-o")
        .arg(&back)
        .assert()
        .success()
        .stdout(predicate::str::contains("Imported 3 cards"));
    sysdeck(tmp.path())
        .args(["pack", "check", "--no-builtin", "--deny-warnings"])
        .arg(&back)
        .assert()
        .success();
    let original: toml::Table = toml::from_str(DECK).unwrap();
    let original = original["cards"].as_array().unwrap();
    let imported = cards(&back);
    assert_eq!(imported.len(), original.len());
    for (before, after) in original.iter().zip(&imported) {
        let before = before.as_table().unwrap();
        for key in ["front", "back", "reverse", "cloze", "extra", "tags"] {
            let mut b = before.get(key).cloned();
            let mut a = after.get(key).cloned();
            if key == "tags" {
                // Anki keeps tags as a set; sysdeck writes them sorted.
                let sorted = |v: Option<toml::Value>| {
                    v.map(|v| {
                        let mut t: Vec<String> = v
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|s| s.as_str().unwrap().to_string())
                            .collect();
                        t.sort();
                        t
                    })
                };
                assert_eq!(sorted(b.take()), sorted(a.take()), "{key} of {before:?}");
            } else {
                assert_eq!(b, a, "{key} of {before:?}");
            }
        }
    }
    assert_eq!(
        std::fs::read(back.join("assets/ring.png")).unwrap(),
        b"PNG ring"
    );
}

#[test]
fn guids_are_stable_so_a_second_export_updates_the_same_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("trip");
    make_pack(&pack);
    let (first, second) = (tmp.path().join("a.apkg"), tmp.path().join("b.apkg"));
    export(tmp.path(), &pack, &first, "2026-03-10T09:00:00Z");
    export(tmp.path(), &pack, &second, "2026-04-01T09:00:00Z");
    let guids = |apkg: &Path| -> Vec<String> {
        let db = collection(apkg, tmp.path());
        let mut stmt = db.prepare("SELECT guid FROM notes ORDER BY id").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let a = guids(&first);
    assert_eq!(a, guids(&second));
    // genanki's guid_for("sysdeck", "trip/dns"): SHA-256 of "sysdeck__trip/dns", first 8
    // bytes big-endian in its base-91 table (genanki/util.py, run as published).
    assert_eq!(
        a[0],
        sysdeck::interop::anki::guid_for(&["sysdeck", "trip/dns"])
    );
    assert_eq!(a.iter().collect::<std::collections::HashSet<_>>().len(), 3);
    // Notes are updated on import only when their `mod` is newer (apkg/import/notes.rs).
    let modified = |apkg: &Path| -> i64 {
        collection(apkg, tmp.path())
            .query_row("SELECT max(mod) FROM notes", [], |r| r.get(0))
            .unwrap()
    };
    assert!(modified(&second) > modified(&first));
}

#[test]
fn a_deck_from_anki_goes_back_with_its_own_guids() {
    let tmp = tempfile::tempdir().unwrap();
    let apkg = anki::write(
        tmp.path(),
        "in.apkg",
        &anki::legacy(
            &[anki::note("Xy#1|q~", anki::BASIC, "", &["front", "back"])],
            &[],
        ),
    );
    let pack = tmp.path().join("from-anki");
    sysdeck(tmp.path())
        .args(["import", "anki"])
        .arg(&apkg)
        .arg("-o")
        .arg(&pack)
        .assert()
        .success();
    let out = tmp.path().join("out.apkg");
    sysdeck(tmp.path())
        .args(["--no-builtin", "export", "anki"])
        .arg(&pack)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let guid: String = collection(&out, tmp.path())
        .query_row("SELECT guid FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(guid, "Xy#1|q~");
}

#[test]
fn the_collection_has_what_anki_requires() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("trip");
    make_pack(&pack);
    let apkg = tmp.path().join("trip.apkg");
    export(tmp.path(), &pack, &apkg, "2026-03-10T09:00:00Z");
    let db = collection(&apkg, tmp.path());
    let (ver, conf, models, decks, dconf): (i64, String, String, String, String) = db
        .query_row("SELECT ver, conf, models, decks, dconf FROM col", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap();
    assert_eq!(ver, 11);
    // Without schedVer 2 Anki treats the package as a v1 scheduler's (scheduler/upgrade.rs).
    let conf: serde_json::Value = serde_json::from_str(&conf).unwrap();
    assert_eq!(conf["schedVer"], 2);
    // Keys without serde defaults in notetype/schema11.rs and decks/schema11.rs.
    let models: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&models).unwrap();
    for m in models.values() {
        for key in [
            "id", "name", "type", "mod", "usn", "sortf", "did", "flds", "tmpls", "css",
        ] {
            assert!(m.get(key).is_some(), "model lacks {key}: {m}");
        }
        for f in m["flds"].as_array().unwrap() {
            for key in ["name", "sticky", "rtl", "font", "size"] {
                assert!(f.get(key).is_some(), "field lacks {key}");
            }
        }
        for t in m["tmpls"].as_array().unwrap() {
            assert!(t.get("name").is_some() && t.get("qfmt").is_some());
        }
    }
    let decks: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&decks).unwrap();
    for d in decks.values() {
        for key in [
            "id",
            "name",
            "usn",
            "collapsed",
            "dyn",
            "conf",
            "lrnToday",
            "revToday",
            "newToday",
            "timeToday",
        ] {
            assert!(d.get(key).is_some(), "deck lacks {key}: {d}");
        }
    }
    assert!(decks.values().any(|d| d["name"] == "Round Trip"));
    let dconf: serde_json::Value = serde_json::from_str(&dconf).unwrap();
    assert!(dconf.get("1").is_some());
    // Each card's deck exists; the cloze note makes cards c1 and c2 (ords 0 and 1); the
    // reversed note two cards.
    let dids: Vec<i64> = db
        .prepare("SELECT DISTINCT did FROM cards")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for did in dids {
        assert!(decks.contains_key(&did.to_string()), "deck {did}");
    }
    let count: i64 = db
        .query_row("SELECT count(*) FROM cards", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 5);
    // Ids past now + 1 day are renumbered by Anki (dbcheck.rs): none here.
    let now_ms = 1_773_133_200_000i64; // 2026-03-10T09:00:00Z
    let max_id: i64 = db
        .query_row(
            "SELECT max(m) FROM (SELECT max(id) m FROM notes UNION SELECT max(id) FROM cards)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(max_id <= now_ms + 86_400_000, "{max_id}");
    // The media map names the picture the cloze note shows.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&apkg).unwrap()).unwrap();
    let mut media = String::new();
    zip.by_name("media")
        .unwrap()
        .read_to_string(&mut media)
        .unwrap();
    assert_eq!(media, r#"{"0":"ring.png"}"#);
}

#[test]
fn a_pack_with_errors_is_not_exported() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("trip");
    make_pack(&pack);
    std::fs::write(
        pack.join("decks/broken.toml"),
        "[[cards]]\nid = \"bad\"\nfrnt = \"typo\"\nback = \"b\"\n",
    )
    .unwrap();
    let out = tmp.path().join("trip.apkg");
    sysdeck(tmp.path())
        .args(["--no-builtin", "export", "anki"])
        .arg(&pack)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("fix them before exporting"));
    assert!(!out.exists());
}
