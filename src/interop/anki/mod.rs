//! Anki packages (`.apkg`): reading basic, basic-and-reversed and cloze notes into a pack,
//! and writing a pack's cards as a package Anki imports. The container is in [`package`],
//! the SQLite collection in [`collection`] (read) and [`write`].

pub mod collection;
pub mod package;
pub mod proto;
pub mod write;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use sha2::{Digest, Sha256};
use thiserror::Error;

use super::html::{self, MediaNames};
use super::pack_out::{
    Draft, DraftCard, DraftKind, clean_tag, clean_text, safe_file_name, validate,
};
use crate::content::{CardKind, Pack, cloze};
use crate::srs::{Grade, Phase, ReviewItem, ReviewLog};
use collection::{Kind, NoteType, RawNote};
pub use package::Limits;
use write::{NoteKind, OutDeck, OutNote};

#[derive(Debug, Error)]
pub enum AnkiError {
    #[error("not an Anki package: {0}")]
    NotAPackage(String),
    #[error("the package is damaged: {0}")]
    Corrupt(String),
    #[error("not an Anki collection: {0}")]
    NotACollection(String),
    #[error(
        "the package is of version {0}, which this sysdeck does not know; export it from Anki with \"Support older Anki versions\""
    )]
    UnknownVersion(u64),
    #[error("the package holds {count} files, over the limit of {limit}")]
    TooManyEntries { count: usize, limit: usize },
    #[error("{what} is over the {limit}-byte limit")]
    TooLarge { what: String, limit: u64 },
    #[error("cannot write the package: {0}")]
    Write(String),
}

/// What an import made, and what it left out and why.
#[derive(Debug, Default)]
pub struct Imported {
    pub draft: Draft,
    /// The name of the deck most cards were in.
    pub deck: Option<String>,
    pub notes: usize,
    /// One line per note or media file skipped.
    pub problems: Vec<String>,
    /// The review log of the imported cards, keyed to the pack, oldest first.
    pub reviews: Vec<ReviewLog>,
    /// Review-log rows left out: manual changes, cramming, cards not imported.
    pub reviews_skipped: usize,
}

/// The card id for an Anki note: `anki-` and its GUID in hex, so ids stay valid pack ids and
/// a re-export gives the note its GUID back (Anki then updates it rather than adding a copy).
fn card_id(note: &RawNote) -> String {
    if note.guid.is_empty() || note.guid.len() > 40 {
        format!("anki-n{}", note.id.unsigned_abs())
    } else {
        let hex: String = note.guid.bytes().map(|b| format!("{b:02x}")).collect();
        format!("anki-{hex}")
    }
}

/// The GUID a card id made by [`card_id`] came from.
fn guid_of_id(id: &str) -> Option<String> {
    let hex = id.strip_prefix("anki-")?;
    if hex.len() % 2 != 0 || hex.is_empty() {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect();
    let guid = String::from_utf8(bytes?).ok()?;
    guid.chars().all(|c| c.is_ascii_graphic()).then_some(guid)
}

/// genanki's `guid_for`: the first 8 bytes of SHA-256 of the values joined by `__`, as a
/// big-endian number written in Anki's base 91 (`genanki/util.py`).
pub fn guid_for(values: &[&str]) -> String {
    const TABLE: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~";
    let digest = Sha256::digest(values.join("__").as_bytes());
    let mut n = u64::from_be_bytes(digest[..8].try_into().unwrap_or_default());
    let mut out = Vec::new();
    while n > 0 {
        out.push(TABLE[(n % 91) as usize]);
        n /= 91;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The text of a field as Markdown, cleaned of what a pack may not hold.
fn field(html_text: &str, media: &MediaNames) -> String {
    clean_text(&html::to_markdown(html_text, media))
}

/// One note as a card, or why it is skipped.
fn convert(note: &RawNote, nt: &NoteType, media: &MediaNames) -> Result<DraftCard, String> {
    let fields = note.fields.as_ref().map_err(Clone::clone)?;
    if fields.len() != nt.fields.len() {
        return Err(format!(
            "it has {} fields where its note type \"{}\" has {}",
            fields.len(),
            nt.name,
            nt.fields.len()
        ));
    }
    let texts: Vec<String> = fields.iter().map(|f| field(f, media)).collect();
    // Fields past the first two (a custom note type's) are kept after the answer.
    let rest: Vec<&str> = texts
        .iter()
        .skip(if nt.kind == Kind::Cloze { 1 } else { 2 })
        .map(String::as_str)
        .filter(|t| !t.is_empty())
        .collect();
    let extra = (!rest.is_empty()).then(|| rest.join("\n\n"));
    let kind = match nt.kind {
        Kind::Cloze => DraftKind::Cloze {
            text: texts.first().cloned().unwrap_or_default(),
        },
        Kind::Standard if texts.len() < 2 => {
            return Err(format!(
                "its note type \"{}\" has one field; a card needs a front and a back",
                nt.name
            ));
        }
        Kind::Standard => DraftKind::Basic {
            front: texts[0].clone(),
            back: texts[1].clone(),
            reverse: nt.templates >= 2,
        },
    };
    let mut tags: Vec<String> = note.tags.split_whitespace().filter_map(clean_tag).collect();
    tags.sort();
    tags.dedup();
    let card = DraftCard {
        id: card_id(note),
        kind,
        extra,
        tags,
    };
    validate(&card)?;
    Ok(card)
}

/// The asset names the cards' text refers to: `](../assets/NAME)` and `[sound:NAME]`.
fn referenced(cards: &[DraftCard]) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut scan = |text: &str| {
        for (open, close) in [
            ("](../assets/", ')'),
            ("](<../assets/", '>'),
            ("[sound:", ']'),
        ] {
            for (at, _) in text.match_indices(open) {
                let rest = &text[at + open.len()..];
                if let Some(end) = rest.find(close) {
                    out.insert(rest[..end].to_string());
                }
            }
        }
    };
    for card in cards {
        match &card.kind {
            DraftKind::Basic { front, back, .. } => {
                scan(front);
                scan(back);
            }
            DraftKind::Cloze { text } => scan(text),
        }
        if let Some(extra) = &card.extra {
            scan(extra);
        }
    }
    out
}

/// Reads the package at `path` into a pack draft with id `id`.
pub fn import(path: &Path, id: &str, limits: Limits) -> Result<Imported, super::InteropError> {
    let read_err = |source| super::InteropError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = crate::bounded_read::open_regular(path).map_err(read_err)?;
    let mut pkg = package::Package::open(file, limits)?;
    let dir = tempfile::tempdir().map_err(|e| read_err(e.into()))?;
    let db_path = dir.path().join("collection.sqlite");
    std::fs::write(&db_path, &pkg.collection).map_err(|e| read_err(e.into()))?;
    let col = collection::read(&db_path)?;
    let mut out = Imported {
        deck: col.deck.clone(),
        notes: col.notes.len(),
        ..Imported::default()
    };

    // Anki's media names to asset names; a refused name is reported and its file left out.
    let mut media = MediaNames::new();
    let mut taken = HashSet::new();
    for m in &pkg.media {
        match safe_file_name(&m.name) {
            Ok(name) if taken.insert(name.to_lowercase()) => {
                media.insert(m.name.clone(), name);
            }
            Ok(_) => out.problems.push(format!(
                "media {:?}: skipped: a second file of that name",
                m.name
            )),
            Err(why) => out
                .problems
                .push(format!("media {:?}: skipped: {why}", m.name)),
        }
    }

    let mut ids = HashSet::new();
    // The notes that became cards, by note id (not GUID: a second note with a taken GUID is
    // skipped, and so is its history).
    let mut kept: HashMap<i64, usize> = HashMap::new();
    for note in &col.notes {
        let label = format!("note {}", note.id);
        let card = match col.notetypes.get(&note.notetype) {
            None => Err(format!("its note type {} is missing", note.notetype)),
            Some(nt) => convert(note, nt, &media),
        };
        match card {
            Ok(card) if ids.insert(card.id.clone()) => {
                kept.insert(note.id, out.draft.cards.len());
                out.draft.cards.push(card);
            }
            Ok(card) => out.problems.push(format!(
                "{label}: skipped: another note has the same GUID ({})",
                card.id
            )),
            Err(why) => out.problems.push(format!("{label}: skipped: {why}")),
        }
    }

    out.draft.id = id.to_string();
    (out.reviews, out.reviews_skipped) = history(&col.reviews, &kept, &out.draft);

    let used = referenced(&out.draft.cards);
    let mut total = 0u64;
    for m in pkg.media.clone() {
        let Some(name) = media.get(&m.name).filter(|n| used.contains(*n)) else {
            continue;
        };
        match pkg.media_bytes(&m) {
            Ok(bytes) if total + bytes.len() as u64 > pkg.limits().media_total => {
                out.problems.push(format!(
                    "media {:?}: skipped: the media would pass {} MiB in all",
                    m.name,
                    pkg.limits().media_total >> 20
                ));
            }
            Ok(bytes) => {
                total += bytes.len() as u64;
                out.draft.assets.push((name.clone(), bytes));
            }
            Err(e) => out
                .problems
                .push(format!("media {:?}: skipped: {e}", m.name)),
        }
    }
    Ok(out)
}

/// The review log of the cards `draft` holds, as sysdeck's log rows. Anki → FSRS: rows with
/// ease 0 (manual), of type 4 or 5 (manual, rescheduled) and cramming (filtered with factor 0)
/// are left out (`anki/rslib/src/revlog/mod.rs`; FSRS's own conversion does the same).
fn history(
    reviews: &[collection::RawReview],
    kept: &HashMap<i64, usize>,
    draft: &Draft,
) -> (Vec<ReviewLog>, usize) {
    let mut last: HashMap<String, i64> = HashMap::new();
    let mut out = Vec::new();
    let mut skipped = 0;
    for r in reviews {
        let item = kept
            .get(&r.note)
            .map(|&i| &draft.cards[i])
            .and_then(|card| {
                let (pack, id) = (draft.id.as_str().into(), card.id.as_str().into());
                match (&card.kind, r.ord) {
                    (DraftKind::Basic { .. }, 0) => Some(ReviewItem::Card { pack, card: id }),
                    (DraftKind::Basic { reverse: true, .. }, 1) => {
                        Some(ReviewItem::Reverse { pack, card: id })
                    }
                    (DraftKind::Cloze { text }, ord) => {
                        let number = u32::try_from(ord + 1).ok()?;
                        let numbers = cloze::numbers(&cloze::parse(text).ok()?);
                        numbers.contains(&number).then_some(ReviewItem::Cloze {
                            pack,
                            card: id,
                            number,
                        })
                    }
                    _ => None,
                }
            });
        let grade = usize::try_from(r.ease - 1)
            .ok()
            .and_then(|i| Grade::ALL.get(i).copied());
        let at = jiff::Timestamp::from_millisecond(r.at_ms).ok();
        let cram = r.kind == 3 && r.factor == 0;
        let (Some(item), Some(grade), Some(at), false, 0..=3) = (item, grade, at, cram, r.kind)
        else {
            skipped += 1;
            continue;
        };
        let key = item.key();
        let previous = last.insert(key.as_str().to_string(), r.at_ms);
        let kind = match (r.kind, previous) {
            (0, None) => Phase::New,
            (0, Some(_)) => Phase::Learning,
            (2, _) => Phase::Relearning,
            _ => Phase::Review,
        };
        let elapsed_days = previous.map_or(0, |p| ((r.at_ms - p) / 86_400_000).max(0));
        out.push(ReviewLog {
            item: key,
            at,
            grade,
            kind,
            elapsed_days: u32::try_from(elapsed_days).unwrap_or(u32::MAX),
            scheduled_days: u32::try_from(r.ivl.max(0)).unwrap_or(u32::MAX),
            duration_ms: u32::try_from(r.time_ms.clamp(0, 3_600_000)).unwrap_or(0),
        });
    }
    (out, skipped)
}

/// The fields and card ords of one pack card as an Anki note.
fn out_note(pack: &str, card: &crate::content::Card) -> OutNote {
    let guid = guid_of_id(&card.id)
        .unwrap_or_else(|| guid_for(&["sysdeck", &format!("{pack}/{}", card.id)]));
    let extra = card.extra.as_deref().map(html::to_html);
    let (kind, fields, ords) = match &card.kind {
        CardKind::Basic {
            front,
            back,
            reverse,
        } => {
            // A basic note has no field for the extra text: it follows the back.
            let mut back = html::to_html(back);
            if let Some(extra) = &extra {
                back = format!("{back}<br><br>{extra}");
            }
            let (kind, ords) = if *reverse {
                (NoteKind::BasicReversed, vec![0, 1])
            } else {
                (NoteKind::Basic, vec![0])
            };
            (kind, [html::to_html(front), back], ords)
        }
        CardKind::Cloze { text } => {
            // Card ord is the cloze number − 1, capped at 499 (`notetype/cardgen.rs`).
            let numbers: BTreeSet<u32> = cloze::parse(text)
                .map(|d| cloze::numbers(&d))
                .unwrap_or_default();
            let ords = numbers
                .into_iter()
                .map(|n| (n - 1).min(499))
                .collect::<BTreeSet<_>>();
            (
                NoteKind::Cloze,
                [html::to_html(text), extra.unwrap_or_default()],
                ords.into_iter().collect(),
            )
        }
    };
    OutNote {
        guid,
        kind,
        fields,
        tags: card
            .tags
            .iter()
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join("_"))
            .filter(|t| !t.is_empty())
            .collect(),
        ords,
    }
}

/// The `.apkg` bytes for a pack's cards; media are the files under the pack's `assets/`
/// that the cards show, read from `root` when the pack has a folder. `now` is seconds since
/// the epoch.
pub fn export(pack: &Pack, root: Option<&Path>, now: i64) -> Result<Vec<u8>, AnkiError> {
    let notes: Vec<OutNote> = pack.cards.iter().map(|c| out_note(pack.id(), c)).collect();
    let mut names: Vec<String> = notes
        .iter()
        .flat_map(|n| n.fields.iter())
        .flat_map(|f| {
            f.match_indices("<img src=\"")
                .filter_map(|(at, _)| {
                    let rest = &f[at + 10..];
                    rest.find('"')
                        .map(|end| html::decode_entities(&rest[..end]))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    names.sort();
    names.dedup();
    let media = match root {
        Some(root) => names
            .into_iter()
            .filter(|n| safe_file_name(n).is_ok())
            .filter_map(|n| {
                let bytes =
                    crate::bounded_read::read(&root.join("assets").join(&n), 16 << 20).ok()?;
                Some((n, bytes))
            })
            .collect(),
        None => Vec::new(),
    };
    let digest = Sha256::digest(pack.id().as_bytes());
    let deck_id = (1 << 30)
        + i64::from(u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) >> 2);
    write::package(&OutDeck {
        name: pack.manifest.name.clone(),
        id: deck_id,
        notes,
        media,
        now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_follow_genanki() {
        // genanki/util.py `guid_for("a", "b")`, run as published: SHA-256 of "a__b" starts
        // 63e5c1c455d01d5c, whose base-91 digits are 16 74 67 82 14 64 60 43 26 40.
        assert_eq!(guid_for(&["a", "b"]), "q/([o$8RAO");
    }

    #[test]
    fn card_ids_give_the_guid_back() {
        let note = RawNote {
            id: 5,
            guid: "f<&Zq]9Yx".into(),
            notetype: 1,
            tags: String::new(),
            fields: Ok(vec![]),
        };
        let id = card_id(&note);
        assert!(crate::content::text::is_valid_id(&id), "{id}");
        assert_eq!(guid_of_id(&id).as_deref(), Some("f<&Zq]9Yx"));
        assert_eq!(guid_of_id("anki-zz"), None);
        assert_eq!(guid_of_id("plain-id"), None);
    }
}
