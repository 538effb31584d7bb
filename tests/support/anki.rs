//! Anki packages built by the tests themselves, from the documented schema: schema 11
//! (`anki/rslib/src/storage/schema11.sql`, note types as JSON in `col.models`) and schema 18
//! (`storage/upgrades/schema1*_upgrade.sql`: `notetypes`, `fields`, `templates`, `decks`
//! tables), in the zip layout of `anki/rslib/src/import_export/package/`.
#![allow(dead_code)]

use std::io::{Cursor, Write};
use std::path::Path;

use rusqlite::{Connection, params};
use zip::write::SimpleFileOptions;

pub const BASIC: i64 = 1_001;
pub const REVERSED: i64 = 1_002;
pub const CLOZE: i64 = 1_003;
pub const DECK: i64 = 1_500;

/// A note row: guid, note type id, tags as Anki stores them, fields joined by U+001F.
pub struct Note {
    pub guid: String,
    pub mid: i64,
    pub tags: String,
    pub flds: Vec<u8>,
}

pub fn note(guid: &str, mid: i64, tags: &str, fields: &[&str]) -> Note {
    Note {
        guid: guid.into(),
        mid,
        tags: tags.into(),
        flds: fields.join("\u{1f}").into_bytes(),
    }
}

const TABLES: &str = "
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
  scm integer not null, ver integer not null, dty integer not null, usn integer not null,
  ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
  mod integer not null, usn integer not null, tags text not null, flds text not null,
  sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,
  ord integer not null, mod integer not null, usn integer not null, type integer not null,
  queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null,
  ease integer not null, ivl integer not null, lastIvl integer not null,
  factor integer not null, time integer not null, type integer not null);
";

/// Stock note types (`anki/rslib/src/notetype/stock.rs`) as schema-11 JSON.
fn models() -> String {
    let fld = |n: &str, ord: u32| serde_json::json!({"name": n, "ord": ord});
    let tmpl =
        |n: &str, q: &str| serde_json::json!({"name": n, "qfmt": q, "afmt": "{{FrontSide}}"});
    serde_json::json!({
        BASIC.to_string(): {"id": BASIC, "name": "Basic", "type": 0,
            "flds": [fld("Front", 0), fld("Back", 1)], "tmpls": [tmpl("Card 1", "{{Front}}")]},
        REVERSED.to_string(): {"id": REVERSED, "name": "Basic (and reversed card)", "type": 0,
            "flds": [fld("Front", 0), fld("Back", 1)],
            "tmpls": [tmpl("Card 1", "{{Front}}"), tmpl("Card 2", "{{Back}}")]},
        CLOZE.to_string(): {"id": CLOZE, "name": "Cloze", "type": 1,
            "flds": [fld("Text", 0), fld("Back Extra", 1)],
            "tmpls": [tmpl("Cloze", "{{cloze:Text}}")]},
    })
    .to_string()
}

fn insert_notes(db: &Connection, notes: &[Note]) {
    for (i, n) in notes.iter().enumerate() {
        let id = 1_600_000_000_000 + i as i64;
        db.execute(
            "INSERT INTO notes VALUES (?1, ?2, ?3, 0, 0, ?4, ?5, '', 0, 0, '')",
            params![id, n.guid, n.mid, n.tags, n.flds],
        )
        .unwrap();
        db.execute(
            "INSERT INTO cards VALUES (?1, ?1, ?2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, '')",
            params![id, DECK],
        )
        .unwrap();
    }
}

/// A review-log row (`revlog`, `anki/rslib/src/revlog/mod.rs`) of the card (note, ord).
pub struct Review {
    pub note: usize,
    pub ord: i64,
    pub at_ms: i64,
    /// 1–4 Again/Hard/Good/Easy, 0 manual.
    pub ease: i64,
    pub ivl: i64,
    /// 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual.
    pub kind: i64,
    pub factor: i64,
}

/// A schema-11 collection with a review log; cards besides each note's ord 0 are added.
pub fn collection_11_with_log(notes: &[Note], reviews: &[Review]) -> Vec<u8> {
    let bytes = collection_11(notes);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.anki2");
    std::fs::write(&path, bytes).unwrap();
    {
        let db = Connection::open(&path).unwrap();
        for r in reviews {
            let nid = 1_600_000_000_000 + r.note as i64;
            let cid = nid + r.ord * 1_000_000;
            db.execute(
                "INSERT OR IGNORE INTO cards VALUES (?1, ?2, ?3, ?4, 0, 0, 2, 2, 1, 1, 2500, 1, 0, 0, 0, 0, 0, '')",
                params![cid, nid, DECK, r.ord],
            )
            .unwrap();
            db.execute(
                "INSERT INTO revlog VALUES (?1, ?2, 0, ?3, ?4, 0, ?5, 8000, ?6)",
                params![r.at_ms, cid, r.ease, r.ivl, r.factor, r.kind],
            )
            .unwrap();
        }
    }
    std::fs::read(&path).unwrap()
}

/// A schema-11 collection file's bytes.
pub fn collection_11(notes: &[Note]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.anki2");
    {
        let db = Connection::open(&path).unwrap();
        db.execute_batch(TABLES).unwrap();
        let decks = serde_json::json!({"1": {"id": 1, "name": "Default"},
            DECK.to_string(): {"id": DECK, "name": "Geography::Capitals"}});
        db.execute(
            "INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', ?1, ?2, '{}', '{}')",
            params![models(), decks.to_string()],
        )
        .unwrap();
        insert_notes(&db, notes);
    }
    std::fs::read(&path).unwrap()
}

/// protobuf: a varint field (wire type 0) and a length-delimited one (wire type 2).
fn pb_varint(out: &mut Vec<u8>, field: u8, v: u8) {
    out.extend([field << 3, v]);
}
fn pb_bytes(out: &mut Vec<u8>, field: u8, bytes: &[u8]) {
    assert!(bytes.len() < 128);
    out.extend([(field << 3) | 2, bytes.len() as u8]);
    out.extend_from_slice(bytes);
}

/// `MediaEntries { repeated MediaEntry entries = 1 }` with `MediaEntry { string name = 1;
/// uint32 size = 2; ... }` (`anki/proto/anki/import_export.proto`).
fn media_entries(entries: &[(&str, u64)]) -> Vec<u8> {
    fn varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }
    let mut out = Vec::new();
    for (name, size) in entries {
        let mut entry = vec![0x0a];
        varint(&mut entry, name.len() as u64);
        entry.extend_from_slice(name.as_bytes());
        entry.push(0x10);
        varint(&mut entry, *size);
        out.push(0x0a);
        varint(&mut out, entry.len() as u64);
        out.extend(entry);
    }
    out
}

/// A schema-18 collection: names `COLLATE unicase`, note type kind in field 1 of
/// `Notetype.Config`, deck levels separated by U+001F.
pub fn collection_18(notes: &[Note]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.anki21b");
    {
        let db = Connection::open(&path).unwrap();
        db.create_collation("unicase", |a: &str, b: &str| {
            a.to_lowercase().cmp(&b.to_lowercase())
        })
        .unwrap();
        db.execute_batch(TABLES).unwrap();
        db.execute_batch(
            "CREATE TABLE notetypes (id integer not null primary key,
               name text not null COLLATE unicase, mtime_secs integer not null,
               usn integer not null, config blob not null);
             CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name);
             CREATE TABLE fields (ntid integer not null, ord integer not null,
               name text not null COLLATE unicase, config blob not null,
               PRIMARY KEY (ntid, ord)) without rowid;
             CREATE TABLE templates (ntid integer not null, ord integer not null,
               name text not null COLLATE unicase, mtime_secs integer not null,
               usn integer not null, config blob not null, PRIMARY KEY (ntid, ord)) without rowid;
             CREATE TABLE decks (id integer primary key not null,
               name text not null COLLATE unicase, mtime_secs integer not null,
               usn integer not null, common blob not null, kind blob not null);",
        )
        .unwrap();
        db.execute(
            "INSERT INTO col VALUES (1, 0, 0, 0, 18, 0, 0, 0, '', '', '', '', '')",
            [],
        )
        .unwrap();
        for (id, name, kind, fields, templates) in [
            (BASIC, "Basic", 0u8, ["Front", "Back"], 1),
            (
                REVERSED,
                "Basic (and reversed card)",
                0,
                ["Front", "Back"],
                2,
            ),
            (CLOZE, "Cloze", 1, ["Text", "Back Extra"], 1),
        ] {
            let mut config = Vec::new();
            pb_varint(&mut config, 1, kind);
            pb_bytes(&mut config, 3, b".card {}");
            db.execute(
                "INSERT INTO notetypes VALUES (?1, ?2, 0, 0, ?3)",
                params![id, name, config],
            )
            .unwrap();
            for (ord, f) in fields.iter().enumerate() {
                db.execute(
                    "INSERT INTO fields VALUES (?1, ?2, ?3, x'')",
                    params![id, ord as i64, f],
                )
                .unwrap();
            }
            for ord in 0..templates {
                let mut t = Vec::new();
                pb_bytes(&mut t, 1, b"{{Front}}");
                db.execute(
                    "INSERT INTO templates VALUES (?1, ?2, ?3, 0, 0, ?4)",
                    params![id, ord, format!("Card {}", ord + 1), t],
                )
                .unwrap();
            }
        }
        db.execute(
            "INSERT INTO decks VALUES (?1, ?2, 0, 0, x'', x'')",
            params![DECK, "Geography\u{1f}Capitals"],
        )
        .unwrap();
        insert_notes(&db, notes);
    }
    std::fs::read(&path).unwrap()
}

/// A zip of `(name, bytes, deflated)` members.
pub fn zip(members: &[(&str, Vec<u8>, bool)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes, deflated) in members {
        let method = if *deflated {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        zip.start_file(
            *name,
            SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A legacy package: a deflated `collection.anki2`, a JSON `media` map, stored blobs.
pub fn legacy(notes: &[Note], media: &[(&str, &[u8])]) -> Vec<u8> {
    let map: serde_json::Map<String, serde_json::Value> = media
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (i.to_string(), serde_json::json!(name)))
        .collect();
    let mut members = vec![
        ("collection.anki2".to_string(), collection_11(notes), true),
        (
            "media".to_string(),
            serde_json::Value::Object(map).to_string().into_bytes(),
            false,
        ),
    ];
    for (i, (_, bytes)) in media.iter().enumerate() {
        members.push((i.to_string(), bytes.to_vec(), false));
    }
    let refs: Vec<(&str, Vec<u8>, bool)> = members
        .iter()
        .map(|(n, b, d)| (n.as_str(), b.clone(), *d))
        .collect();
    zip(&refs)
}

/// A newer package: `meta` = version 3, zstd `collection.anki21b`, zstd protobuf media list
/// and zstd blobs, beside the dummy `collection.anki2` modern exports add.
pub fn latest(notes: &[Note], media: &[(&str, &[u8])]) -> Vec<u8> {
    let dummy = collection_11(&[note(
        "dummy",
        BASIC,
        "",
        &["Please update to the latest Anki version", ""],
    )]);
    let entries: Vec<(&str, u64)> = media.iter().map(|(n, b)| (*n, b.len() as u64)).collect();
    let list = media_entries(&entries);
    let mut members: Vec<(String, Vec<u8>, bool)> = vec![
        ("collection.anki2".into(), dummy, true),
        (
            "collection.anki21b".into(),
            zstd::encode_all(&collection_18(notes)[..], 0).unwrap(),
            false,
        ),
        (
            "media".into(),
            zstd::encode_all(&list[..], 0).unwrap(),
            false,
        ),
        ("meta".into(), vec![0x08, 0x03], false),
    ];
    for (i, (_, bytes)) in media.iter().enumerate() {
        members.push((i.to_string(), zstd::encode_all(*bytes, 0).unwrap(), false));
    }
    let refs: Vec<(&str, Vec<u8>, bool)> = members
        .iter()
        .map(|(n, b, d)| (n.as_str(), b.clone(), *d))
        .collect();
    zip(&refs)
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}
