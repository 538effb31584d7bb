//! Reading an Anki collection's SQLite file: note types, notes and deck names, for schema 11
//! (`anki/rslib/src/storage/schema11.sql`, note types as JSON in `col.models`) and schema 18
//! (tables `notetypes`, `fields`, `templates`, `decks` with protobuf configs).
//!
//! This and [`super::write`] are the only places besides `store/` that use rusqlite: an Anki
//! collection is a file format to convert, not the learner's progress store.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::{AnkiError, proto};

/// Notes read from one collection at most; a bigger one is refused rather than half-read.
const MAX_NOTES: usize = 200_000;
/// Review-log rows read at most.
const MAX_REVIEWS: usize = 2_000_000;
/// One note's fields, joined, at most this many bytes: written as TOML, escapes and all, a
/// card stays well inside the 1 MiB a pack file may hold.
const MAX_NOTE_BYTES: usize = 256 << 10;

/// Whether a note type makes one card per template or one per cloze number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Standard,
    Cloze,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteType {
    pub name: String,
    pub kind: Kind,
    pub fields: Vec<String>,
    pub templates: usize,
}

/// A note as stored: its fields still HTML. A field that is not UTF-8 leaves `fields` as the
/// error, so the note is reported and skipped.
#[derive(Debug, Clone)]
pub struct RawNote {
    pub id: i64,
    pub guid: String,
    pub notetype: i64,
    pub tags: String,
    pub fields: Result<Vec<String>, String>,
}

/// One answer from the review log (`revlog`), with the note and template of its card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawReview {
    /// When the answer was given, ms since the epoch (the row's id).
    pub at_ms: i64,
    pub note: i64,
    /// The card's template, or cloze number − 1.
    pub ord: i64,
    /// 1–4 = Again/Hard/Good/Easy; 0 = a manual change.
    pub ease: i64,
    /// Days when positive; seconds when negative.
    pub ivl: i64,
    pub time_ms: i64,
    /// 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled.
    pub kind: i64,
    pub factor: i64,
}

pub struct Collection {
    pub notetypes: HashMap<i64, NoteType>,
    pub notes: Vec<RawNote>,
    /// The review log, oldest first; empty when the collection has none.
    pub reviews: Vec<RawReview>,
    /// The name of the deck most of the cards are in, `::` between levels.
    pub deck: Option<String>,
}

fn corrupt(e: impl std::fmt::Display) -> AnkiError {
    AnkiError::Corrupt(e.to_string())
}

/// Reads the collection file at `path` (a copy the caller made; it is opened read-only).
pub fn read(path: &Path) -> Result<Collection, AnkiError> {
    let db = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(corrupt)?;
    // Schema 18 names are `COLLATE unicase`; without the collation every query fails
    // (`anki/rslib/src/storage/sqlite.rs`).
    db.create_collation("unicase", |a: &str, b: &str| {
        a.to_lowercase().cmp(&b.to_lowercase())
    })
    .map_err(corrupt)?;
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| AnkiError::NotACollection(e.to_string()))?;
    let has = |t: &str| tables.iter().any(|n| n == t);
    for needed in ["notes", "cards", "col"] {
        if !has(needed) {
            return Err(AnkiError::NotACollection(format!("no `{needed}` table")));
        }
    }
    let notetypes = if has("notetypes") {
        notetypes_18(&db)?
    } else {
        notetypes_11(&db)?
    };
    let decks = if has("decks") {
        decks_18(&db)?
    } else {
        decks_11(&db)?
    };
    let deck: Option<i64> = db
        .query_row(
            "SELECT did FROM cards GROUP BY did ORDER BY count(*) DESC, did LIMIT 1",
            [],
            |r| r.get(0),
        )
        .ok();
    Ok(Collection {
        notetypes,
        notes: notes(&db)?,
        reviews: if has("revlog") {
            reviews(&db)?
        } else {
            Vec::new()
        },
        deck: deck.and_then(|d| decks.get(&d).cloned()),
    })
}

fn text(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Text(t) | ValueRef::Blob(t) => std::str::from_utf8(t).ok().map(str::to_string),
        ValueRef::Integer(i) => Some(i.to_string()),
        _ => None,
    }
}

fn notes(db: &Connection) -> Result<Vec<RawNote>, AnkiError> {
    let mut stmt = db
        .prepare("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")
        .map_err(|e| AnkiError::NotACollection(e.to_string()))?;
    let mut rows = stmt.query([]).map_err(corrupt)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(corrupt)? {
        if out.len() == MAX_NOTES {
            return Err(AnkiError::TooLarge {
                what: "the collection's notes".into(),
                limit: MAX_NOTES as u64,
            });
        }
        let int = |i| match row.get_ref(i) {
            Ok(ValueRef::Integer(v)) => v,
            _ => 0,
        };
        let value = |i| row.get_ref(i).ok().and_then(text);
        let fields = match row.get_ref(4).map_err(corrupt)? {
            ValueRef::Text(t) | ValueRef::Blob(t) if t.len() > MAX_NOTE_BYTES => Err(format!(
                "its fields hold {} bytes, over the {MAX_NOTE_BYTES}-byte limit",
                t.len()
            )),
            ValueRef::Text(t) | ValueRef::Blob(t) => std::str::from_utf8(t)
                .map(|s| s.split('\u{1f}').map(str::to_string).collect())
                .map_err(|e| format!("its fields are not UTF-8 ({e})")),
            _ => Err("it has no fields".to_string()),
        };
        out.push(RawNote {
            id: int(0),
            guid: value(1).unwrap_or_default(),
            notetype: int(2),
            tags: value(3).unwrap_or_default(),
            fields,
        });
    }
    Ok(out)
}

fn reviews(db: &Connection) -> Result<Vec<RawReview>, AnkiError> {
    let mut stmt = db
        .prepare(
            "SELECT r.id, c.nid, c.ord, r.ease, r.ivl, r.time, r.type, r.factor
             FROM revlog r JOIN cards c ON c.id = r.cid ORDER BY r.id",
        )
        .map_err(|e| AnkiError::NotACollection(e.to_string()))?;
    let mut rows = stmt.query([]).map_err(corrupt)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(corrupt)? {
        if out.len() == MAX_REVIEWS {
            return Err(AnkiError::TooLarge {
                what: "the review log".into(),
                limit: MAX_REVIEWS as u64,
            });
        }
        let int = |i| match row.get_ref(i) {
            Ok(ValueRef::Integer(v)) => v,
            _ => -1,
        };
        out.push(RawReview {
            at_ms: int(0),
            note: int(1),
            ord: int(2),
            ease: int(3),
            ivl: int(4),
            time_ms: int(5),
            kind: int(6),
            factor: int(7),
        });
    }
    Ok(out)
}

/// Schema 11: `col.models`, a JSON object of note types keyed by id.
fn notetypes_11(db: &Connection) -> Result<HashMap<i64, NoteType>, AnkiError> {
    let json: String = db
        .query_row("SELECT models FROM col", [], |r| r.get(0))
        .map_err(|e| AnkiError::NotACollection(format!("col.models: {e}")))?;
    let models: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&json)
        .map_err(|e| AnkiError::NotACollection(format!("col.models: {e}")))?;
    let mut out = HashMap::new();
    for (id, m) in models {
        let Ok(id) = id.parse::<i64>() else { continue };
        let mut fields: Vec<(i64, String)> = m["flds"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, f)| {
                let ord = f["ord"].as_i64().unwrap_or(i as i64);
                (ord, f["name"].as_str().unwrap_or_default().to_string())
            })
            .collect();
        fields.sort();
        out.insert(
            id,
            NoteType {
                name: m["name"].as_str().unwrap_or_default().to_string(),
                kind: if m["type"].as_i64() == Some(1) {
                    Kind::Cloze
                } else {
                    Kind::Standard
                },
                fields: fields.into_iter().map(|(_, n)| n).collect(),
                templates: m["tmpls"].as_array().map_or(0, Vec::len),
            },
        );
    }
    Ok(out)
}

/// A row of `notetypes`, `fields` or `templates`: owner id, name, protobuf config.
type Row = (i64, Option<String>, Vec<u8>);

/// Schema 18: `notetypes` with the kind in field 1 of its protobuf config, `fields` and
/// `templates` rows by note type id and ord.
fn notetypes_18(db: &Connection) -> Result<HashMap<i64, NoteType>, AnkiError> {
    let query = |sql: &str| -> Result<Vec<Row>, AnkiError> {
        let mut stmt = db
            .prepare(sql)
            .map_err(|e| AnkiError::NotACollection(e.to_string()))?;
        stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get_ref(1).ok().and_then(text),
                match r.get_ref(2)? {
                    ValueRef::Blob(b) | ValueRef::Text(b) => b.to_vec(),
                    _ => Vec::new(),
                },
            ))
        })
        .and_then(Iterator::collect)
        .map_err(corrupt)
    };
    let mut out: HashMap<i64, NoteType> = HashMap::new();
    for (id, name, config) in query("SELECT id, name, config FROM notetypes")? {
        let kind = match proto::varint_field(&config, 1) {
            Some(1) => Kind::Cloze,
            _ => Kind::Standard,
        };
        out.insert(
            id,
            NoteType {
                name: name.unwrap_or_default(),
                kind,
                fields: Vec::new(),
                templates: 0,
            },
        );
    }
    for (ntid, name, _) in query("SELECT ntid, name, config FROM fields ORDER BY ntid, ord")? {
        if let Some(nt) = out.get_mut(&ntid) {
            nt.fields.push(name.unwrap_or_default());
        }
    }
    for (ntid, _, _) in query("SELECT ntid, name, config FROM templates")? {
        if let Some(nt) = out.get_mut(&ntid) {
            nt.templates += 1;
        }
    }
    Ok(out)
}

fn decks_11(db: &Connection) -> Result<HashMap<i64, String>, AnkiError> {
    let json: String = db
        .query_row("SELECT decks FROM col", [], |r| r.get(0))
        .map_err(|e| AnkiError::NotACollection(format!("col.decks: {e}")))?;
    let decks: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&json).unwrap_or_default();
    Ok(decks
        .into_iter()
        .filter_map(|(id, d)| Some((id.parse().ok()?, d["name"].as_str()?.to_string())))
        .collect())
}

fn decks_18(db: &Connection) -> Result<HashMap<i64, String>, AnkiError> {
    let mut stmt = db
        .prepare("SELECT id, name FROM decks")
        .map_err(|e| AnkiError::NotACollection(e.to_string()))?;
    stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            // Schema 18 separates levels with U+001F where schema 11 writes `::`.
            r.get_ref(1)
                .ok()
                .and_then(text)
                .unwrap_or_default()
                .replace('\u{1f}', "::"),
        ))
    })
    .and_then(Iterator::collect)
    .map_err(corrupt)
}
