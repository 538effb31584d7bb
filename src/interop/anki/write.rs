//! Writing a deck as a legacy `.apkg`: a schema-11 `collection.anki2`, no `meta`, and a JSON
//! `media` list, as genanki writes them (`genanki/package.py`, `apkg_schema.py`). Every Anki
//! since 2.1 opens schema 11 and upgrades it (`anki/rslib/src/storage/upgrades/mod.rs`).

use std::io::{Cursor, Write};

use rusqlite::{Connection, params};
use serde_json::json;
use zip::write::SimpleFileOptions;

use super::AnkiError;

/// The note types sysdeck writes, with ids fixed so a re-export matches the same note types
/// (Anki matches note types by id; genanki picks ids between 2^30 and 2^31).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    Basic,
    BasicReversed,
    Cloze,
}

impl NoteKind {
    const ALL: [NoteKind; 3] = [NoteKind::Basic, NoteKind::BasicReversed, NoteKind::Cloze];

    fn id(self) -> i64 {
        match self {
            NoteKind::Basic => 1_740_000_001,
            NoteKind::BasicReversed => 1_740_000_002,
            NoteKind::Cloze => 1_740_000_003,
        }
    }

    /// The stock note type's JSON (`anki/rslib/src/notetype/stock.rs`), with every key
    /// schema 11 requires (`notetype/schema11.rs`).
    fn model(self, deck_id: i64, mtime: i64) -> serde_json::Value {
        let base = self.id();
        let field = |ord: i64, name: &str| {
            json!({"name": name, "ord": ord, "sticky": false, "rtl": false, "font": "Arial",
                   "size": 20, "media": [], "id": base * 10 + ord})
        };
        let template = |ord: i64, name: &str, q: &str, a: &str| {
            json!({"name": name, "ord": ord, "qfmt": q, "afmt": a, "bqfmt": "", "bafmt": "",
                   "did": null, "id": base * 10 + 5 + ord})
        };
        let front_back = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}";
        let (name, kind, fields, templates, req) = match self {
            NoteKind::Basic => (
                "sysdeck Basic",
                0,
                vec![field(0, "Front"), field(1, "Back")],
                vec![template(0, "Card 1", "{{Front}}", front_back)],
                json!([[0, "any", [0]]]),
            ),
            NoteKind::BasicReversed => (
                "sysdeck Basic (and reversed card)",
                0,
                vec![field(0, "Front"), field(1, "Back")],
                vec![
                    template(0, "Card 1", "{{Front}}", front_back),
                    template(
                        1,
                        "Card 2",
                        "{{Back}}",
                        "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}",
                    ),
                ],
                json!([[0, "any", [0]], [1, "any", [1]]]),
            ),
            NoteKind::Cloze => (
                "sysdeck Cloze",
                1,
                vec![field(0, "Text"), field(1, "Back Extra")],
                vec![template(
                    0,
                    "Cloze",
                    "{{cloze:Text}}",
                    "{{cloze:Text}}<br>\n{{Back Extra}}",
                )],
                json!([[0, "any", [0]]]),
            ),
        };
        json!({
            "id": base, "name": name, "type": kind, "mod": mtime, "usn": -1, "sortf": 0,
            "did": deck_id, "flds": fields, "tmpls": templates, "req": req, "tags": [],
            "vers": [],
            "css": ".card {\n font-family: arial;\n font-size: 20px;\n text-align: center;\n color: black;\n background-color: white;\n}\n",
            "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
            "latexPost": "\\end{document}",
            "latexsvg": false
        })
    }
}

/// One note to write, its fields already HTML.
#[derive(Debug, Clone)]
pub struct OutNote {
    pub guid: String,
    pub kind: NoteKind,
    pub fields: [String; 2],
    pub tags: Vec<String>,
    /// The card ords the note makes: 0 (and 1 reversed), or cloze number − 1.
    pub ords: Vec<u32>,
}

/// A deck to write.
#[derive(Debug, Clone)]
pub struct OutDeck {
    pub name: String,
    pub id: i64,
    pub notes: Vec<OutNote>,
    /// Media files by the name the fields use.
    pub media: Vec<(String, Vec<u8>)>,
    /// The time of the export, seconds since the epoch: notes' `mod` and the id base.
    pub now: i64,
}

fn db_err(e: rusqlite::Error) -> AnkiError {
    AnkiError::Write(e.to_string())
}

const SCHEMA: &str = "
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
  ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null,
  time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
";

/// The deck's `col` row JSON: `conf` (with `schedVer` 2, so Anki does not treat the package
/// as a v1 scheduler's), `decks` with the default deck 1, and the default options group.
fn col_json(deck: &OutDeck) -> (String, String, String) {
    let conf = json!({
        "activeDecks": [1], "curDeck": 1, "newSpread": 0, "collapseTime": 1200,
        "timeLim": 0, "estTimes": true, "dueCounts": true, "curModel": null, "nextPos": 1,
        "sortType": "noteFld", "sortBackwards": false, "addToCur": true,
        "schedVer": 2, "rollover": 4, "creationOffset": 0
    });
    let deck_json = |id: i64, name: &str| {
        json!({"id": id, "name": name, "usn": -1, "mod": deck.now, "collapsed": false,
               "browserCollapsed": false, "dyn": 0, "conf": 1, "desc": "",
               "extendNew": 0, "extendRev": 0, "lrnToday": [0, 0], "revToday": [0, 0],
               "newToday": [0, 0], "timeToday": [0, 0]})
    };
    let decks = json!({
        "1": deck_json(1, "Default"),
        deck.id.to_string(): deck_json(deck.id, &deck.name),
    });
    let dconf = json!({"1": {
        "id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": true,
        "timer": 0, "replayq": true, "dyn": false,
        "new": {"bury": false, "delays": [1.0, 10.0], "initialFactor": 2500,
                "ints": [1, 4, 0], "order": 1, "perDay": 20},
        "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1,
                  "mult": 0.0},
        "rev": {"bury": false, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200,
                "hardFactor": 1.2}
    }});
    (conf.to_string(), decks.to_string(), dconf.to_string())
}

/// The first four bytes of SHA-1 would be Anki's checksum; 0 is accepted and recomputed on
/// import (genanki writes 0), so the sort field is all that is filled in.
fn insert_notes(db: &Connection, deck: &OutDeck) -> Result<(), AnkiError> {
    // Ids are creation times in ms; ids past now + 1 day are renumbered on import
    // (`anki/rslib/src/dbcheck.rs`), so they count up from a day before the export.
    let base = (deck.now - 86_400) * 1000;
    let mut note_stmt = db
        .prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, 0, 0, '')")
        .map_err(db_err)?;
    let mut card_stmt = db
        .prepare(
            "INSERT INTO cards VALUES (?1, ?2, ?3, ?4, ?5, -1, 0, 0, ?6, 0, 0, 0, 0, 0, 0, 0, 0, '')",
        )
        .map_err(db_err)?;
    let mut card_id = base;
    for (i, note) in deck.notes.iter().enumerate() {
        let note_id = base + i as i64;
        let tags = if note.tags.is_empty() {
            String::new()
        } else {
            format!(" {} ", note.tags.join(" "))
        };
        let sort = super::super::html::strip_tags(&note.fields[0]);
        note_stmt
            .execute(params![
                note_id,
                note.guid,
                note.kind.id(),
                deck.now,
                tags,
                note.fields.join("\u{1f}"),
                sort,
            ])
            .map_err(db_err)?;
        for &ord in &note.ords {
            card_stmt
                .execute(params![
                    card_id,
                    note_id,
                    deck.id,
                    ord,
                    deck.now,
                    i as i64 + 1
                ])
                .map_err(db_err)?;
            card_id += 1;
        }
    }
    Ok(())
}

/// The `.apkg` bytes for `deck`.
pub fn package(deck: &OutDeck) -> Result<Vec<u8>, AnkiError> {
    let dir = tempfile::tempdir().map_err(|e| AnkiError::Write(e.to_string()))?;
    let path = dir.path().join("collection.anki2");
    {
        let db = Connection::open(&path).map_err(db_err)?;
        db.execute_batch(SCHEMA).map_err(db_err)?;
        let models: serde_json::Map<String, serde_json::Value> = NoteKind::ALL
            .iter()
            .map(|k| (k.id().to_string(), k.model(deck.id, deck.now)))
            .collect();
        let (conf, decks, dconf) = col_json(deck);
        let crt = deck.now - deck.now.rem_euclid(86_400);
        db.execute(
            "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
            params![
                crt,
                deck.now * 1000,
                conf,
                serde_json::Value::Object(models).to_string(),
                decks,
                dconf
            ],
        )
        .map_err(db_err)?;
        let tx = db.unchecked_transaction().map_err(db_err)?;
        insert_notes(&tx, deck)?;
        tx.commit().map_err(db_err)?;
    }
    let collection = std::fs::read(&path).map_err(|e| AnkiError::Write(e.to_string()))?;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let zerr = |e: zip::result::ZipError| AnkiError::Write(e.to_string());
    let ioerr = |e: std::io::Error| AnkiError::Write(e.to_string());
    // Anki deflates a legacy collection and stores everything else (`colpkg/export.rs`).
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("collection.anki2", deflated).map_err(zerr)?;
    zip.write_all(&collection).map_err(ioerr)?;
    let list: serde_json::Map<String, serde_json::Value> = deck
        .media
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (i.to_string(), json!(name)))
        .collect();
    zip.start_file("media", stored).map_err(zerr)?;
    zip.write_all(serde_json::Value::Object(list).to_string().as_bytes())
        .map_err(ioerr)?;
    for (i, (_, bytes)) in deck.media.iter().enumerate() {
        zip.start_file(i.to_string(), stored).map_err(zerr)?;
        zip.write_all(bytes).map_err(ioerr)?;
    }
    Ok(zip.finish().map_err(zerr)?.into_inner())
}
