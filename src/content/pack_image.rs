//! A whole pack as loading leaves it once every file's items are claimed: the pack index keeps
//! it beside the files' works, so a start on which no file changed reads and decodes one part
//! instead of decoding each file's work and claiming its ids again.
//!
//! An image stands only for the exact roster it was made from (the pack's label, the listing's
//! problems and its content files); the index's rows vouch for each file's stamp. Like the rest
//! of the index it is hostile input: every file id, span and text it holds is checked against
//! the files of this load before it is used, and anything that does not fit makes the load
//! fall back to the files' own works.

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::cards::Cards;
use super::diagnostic::{Diagnostic, FileId};
use super::lazy_items::{self, Encoded, Heads};
use super::lazy_text::{Heap, Text};
use super::model::{Card, Counts, Note, Question};
use super::questions::Questions;
use super::refs::{PathLink, PendingRef};

/// Which file each item of a pack came from, as runs of items from one file in the order the
/// items were claimed: enough to point every text at its file's heap.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct Runs {
    notes: Vec<(FileId, u32)>,
    cards: Vec<(FileId, u32)>,
    questions: Vec<(FileId, u32)>,
}

/// The kinds of items a run counts.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Note,
    Card,
    Question,
}

impl Runs {
    /// Records one more item of `kind` from `file`, claimed after every item recorded so far.
    pub(crate) fn add(&mut self, kind: Kind, file: FileId) {
        let runs = match kind {
            Kind::Note => &mut self.notes,
            Kind::Card => &mut self.cards,
            Kind::Question => &mut self.questions,
        };
        match runs.last_mut() {
            Some((f, n)) if *f == file => *n += 1,
            _ => runs.push((file, 1)),
        }
    }
}

/// What identifies the files an image was made from: the label diagnostics name files with,
/// the listing's problems (they take the first file ids) and the content files, in order.
pub(crate) fn roster<'a>(
    label: &str,
    problems: impl Iterator<Item = &'a str>,
    files: impl Iterator<Item = &'a str>,
) -> u64 {
    let mut h = Xxh3::new();
    h.update(label.as_bytes());
    for (tag, rel) in problems.map(|p| (0u8, p)).chain(files.map(|f| (1u8, f))) {
        h.update(&[tag]);
        h.update(&(rel.len() as u64).to_le_bytes());
        h.update(rel.as_bytes());
    }
    h.digest()
}

/// What a pack's notes and decks yielded once every id is claimed, borrowed for writing.
#[derive(Serialize)]
pub(crate) struct ImageRef<'a> {
    /// Written as a part of their own (see [`Parts`]).
    #[serde(skip)]
    pub cards: &'a [Card],
    pub notes: &'a [Note],
    /// Written as a part of their own (see [`Parts`]).
    #[serde(skip)]
    pub questions: &'a [Question],
    pub runs: &'a Runs,
    pub diagnostics: &'a [Diagnostic],
    pub refs: &'a [PendingRef],
    pub path_links: &'a [PathLink],
    pub dropped_notes: &'a [String],
    pub skipped: Counts,
}

/// A pack image read back from the index: [`ImageRef`] owned, with the cards and questions
/// left encoded until a screen reads them (see [`super::lazy_items`]).
#[derive(Deserialize)]
pub(crate) struct Image {
    #[serde(skip)]
    pub cards: Cards,
    pub notes: Vec<Note>,
    #[serde(skip)]
    pub questions: Questions,
    pub runs: Runs,
    pub diagnostics: Vec<Diagnostic>,
    pub refs: Vec<PendingRef>,
    pub path_links: Vec<PathLink>,
    pub dropped_notes: Vec<String>,
    pub skipped: Counts,
}

/// An image as written: the cards' heads, the questions' heads and the rest apart, so the
/// three decode side by side with the listing of the pack's folder; then the items
/// themselves, which a start does not decode (see [`super::lazy_items`]): `cards` bytes of
/// cards, and the questions in the rest of the image.
#[derive(Serialize, Deserialize)]
struct Parts<'a> {
    card_heads: &'a [u8],
    question_heads: &'a [u8],
    rest: &'a [u8],
    cards: u64,
}

impl ImageRef<'_> {
    /// The three parts are encoded side by side: a first run waits for this before its first
    /// frame, while the pack's items are at hand.
    pub(crate) fn encode(&self) -> Option<Vec<u8>> {
        /// Items one after another, and their heads encoded.
        fn items<T: Encoded>(items: &[T]) -> Option<(Vec<u8>, Vec<u8>)> {
            let (bytes, heads) = lazy_items::encode(items)?;
            Some((bytes, postcard::to_allocvec(&heads).ok()?))
        }
        let (cards, questions, rest) = join3(
            || items(self.cards),
            || items(self.questions),
            || postcard::to_allocvec(self).ok(),
        );
        let ((cards, card_heads), (questions, question_heads), rest) = (cards?, questions?, rest?);
        let mut image = postcard::to_allocvec(&Parts {
            card_heads: &card_heads,
            question_heads: &question_heads,
            rest: &rest,
            cards: cards.len() as u64,
        })
        .ok()?;
        image.extend_from_slice(&cards);
        image.extend_from_slice(&questions);
        Some(image)
    }
}

/// Whether a span lies in a file of `len` bytes; an error may point just past the end.
pub(crate) fn span_fits(span: &Range<usize>, len: u64) -> bool {
    span.start <= span.end && (span.end as u64) <= len.saturating_add(3)
}

/// Whether every diagnostic, reference and path link points into a file of this load, within
/// its length (`len` gives it, `None` for a file id that is not a content file).
pub(crate) fn findings_fit(
    diagnostics: &[Diagnostic],
    refs: &[PendingRef],
    path_links: &[PathLink],
    len: &dyn Fn(FileId) -> Option<u64>,
) -> bool {
    let fits = |file: FileId, span: &Range<usize>| len(file).is_some_and(|n| span_fits(span, n));
    diagnostics.iter().all(|d| {
        len(d.file).is_some_and(|n| d.span.as_ref().is_none_or(|s| span_fits(s, n)))
            && d.related.as_ref().is_none_or(|r| fits(r.file, &r.span))
    }) && refs.iter().all(|r| fits(r.file, &r.span))
        && path_links.iter().all(|l| fits(l.file, &l.span))
}

/// Runs three closures on the pool side by side: an image is three parts, each worked on at
/// once.
fn join3<A: Send, B: Send, C: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
    c: impl FnOnce() -> C + Send,
) -> (A, B, C) {
    let (a, (b, c)) = rayon::join(a, || rayon::join(b, c));
    (a, b, c)
}

impl Image {
    /// Decodes an image written by [`ImageRef::encode`]; `None` for bytes that are not one.
    pub(crate) fn decode(bytes: Vec<u8>) -> Option<Image> {
        let (parts, items) = postcard::take_from_bytes::<Parts>(&bytes).ok()?;
        let start = bytes.len() - items.len();
        let split = start.checked_add(usize::try_from(parts.cards).ok()?)?;
        let (card_heads, question_heads, rest) = join3(
            || postcard::from_bytes::<Heads<Card>>(parts.card_heads).ok(),
            || postcard::from_bytes::<Heads<Question>>(parts.question_heads).ok(),
            || postcard::from_bytes::<Image>(parts.rest).ok(),
        );
        let (mut image, len) = (rest?, bytes.len());
        let bytes = Arc::new(bytes);
        image.cards = Cards::encoded(card_heads?, bytes.clone(), start..split)?;
        image.questions = Questions::encoded(question_heads?, bytes, split..len)?;
        Some(image)
    }

    /// Checks the image against the content files of this load (`len` gives each one's
    /// length) and points every text at its file's heap (`heap`); `None` when anything does
    /// not fit, as in a damaged or foreign index.
    pub(crate) fn checked(
        mut self,
        len: &dyn Fn(FileId) -> Option<u64>,
        heap: &(dyn Fn(FileId) -> Option<Arc<Heap>> + Sync),
    ) -> Option<Image> {
        if !findings_fit(&self.diagnostics, &self.refs, &self.path_links, len) {
            return None;
        }
        // The cards and questions only learn their files' heaps: each attaches its texts when
        // it is decoded.
        let runs = &self.runs;
        (attach(&mut self.notes, &runs.notes, heap, Note::texts_mut)
            && self.cards.attach(&runs.cards, heap)
            && self.questions.attach(&runs.questions, heap))
        .then_some(self)
    }
}

/// How an item hands each of its long texts to a function.
type TextsMut<T> = fn(&mut T, &mut dyn FnMut(&mut Text));

/// Points the texts of each run of items at its file's heap; `false` when the runs do not
/// cover the items exactly, a file has no heap, or a text lies outside its heap.
fn attach<T>(
    items: &mut [T],
    runs: &[(FileId, u32)],
    heap: &(dyn Fn(FileId) -> Option<Arc<Heap>> + Sync),
    texts_mut: TextsMut<T>,
) -> bool {
    let mut rest = items;
    for &(file, count) in runs {
        let Some((run, after)) = rest.split_at_mut_checked(count as usize) else {
            return false;
        };
        let Some(heap) = heap(file) else {
            return false;
        };
        let mut fits = true;
        for item in run.iter_mut() {
            texts_mut(item, &mut |t| fits &= t.attach(&heap));
        }
        if !fits {
            return false;
        }
        rest = after;
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(label: &str, problems: &[&str], files: &[&str]) -> u64 {
        roster(label, problems.iter().copied(), files.iter().copied())
    }

    #[test]
    fn a_roster_tells_apart_everything_that_moves_a_file_id_or_a_name() {
        let base = key("packs/demo", &[], &["decks/a.toml", "notes/b.md"]);
        assert_eq!(
            base,
            key("packs/demo", &[], &["decks/a.toml", "notes/b.md"])
        );
        for other in [
            key("packs/./demo", &[], &["decks/a.toml", "notes/b.md"]),
            // A refused file takes the first id: every content file's id moves up.
            key(
                "packs/demo",
                &["decks/fifo.toml"],
                &["decks/a.toml", "notes/b.md"],
            ),
            key("packs/demo", &[], &["decks/a.toml"]),
            key(
                "packs/demo",
                &[],
                &["decks/a.toml", "notes/b.md", "notes/c.md"],
            ),
            // Where one name ends and the next begins counts, as does which list it is in.
            key("packs/demo", &[], &["decks/a.tomlnotes/b.md"]),
            key("packs/demo", &["decks/a.toml"], &["notes/b.md"]),
        ] {
            assert_ne!(base, other);
        }
    }

    #[test]
    fn runs_count_consecutive_items_of_one_file() {
        let mut runs = Runs::default();
        for (kind, file) in [
            (Kind::Note, 3),
            (Kind::Card, 4),
            (Kind::Card, 4),
            (Kind::Note, 3),
            (Kind::Card, 5),
            (Kind::Card, 4),
            (Kind::Question, 5),
        ] {
            runs.add(kind, file);
        }
        assert_eq!(runs.notes, [(3, 2)]);
        assert_eq!(runs.cards, [(4, 2), (5, 1), (4, 1)]);
        assert_eq!(runs.questions, [(5, 1)]);
    }
}
