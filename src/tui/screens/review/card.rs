//! The card on screen: its face as Markdown documents, what kind of item it is, when it was
//! shown (for the answer time) and, once revealed, what each grade would do.

use jiff::Timestamp;

use crate::content::markdown::{Block, Document};
use crate::srs::{Class, Face, Grade, Interval, ItemKey, QueueEntry, Side};
use crate::tui::shared::Shared;

/// What sort of item the card is, for the line above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Card,
    Reverse,
    Cloze,
    Question,
    /// The item left the loaded packs after the session started (a reload).
    Missing,
}

impl Kind {
    fn of(side: Option<Side>) -> Kind {
        match side {
            Some(Side::Card) => Kind::Card,
            Some(Side::Reverse) => Kind::Reverse,
            Some(Side::Cloze(_)) => Kind::Cloze,
            Some(Side::Question) => Kind::Question,
            None => Kind::Missing,
        }
    }

    /// What the learner is asked to do with the front.
    pub fn prompt(self) -> &'static str {
        match self {
            Kind::Card => "Card · recall the answer",
            Kind::Reverse => "Card, asked the other way round · recall the answer",
            Kind::Cloze => "Cloze · fill in the blank",
            Kind::Question => "Exam question · pick your answer, then check it",
            Kind::Missing => "No longer in its pack",
        }
    }
}

/// The card being reviewed.
#[derive(Debug, Clone)]
pub struct Shown {
    pub key: ItemKey,
    pub class: Class,
    pub kind: Kind,
    /// The front alone.
    pub front: Document,
    /// The front, a rule, the back, and the extra as a quote: what the revealed card shows.
    pub full: Document,
    /// The note `o` opens: (pack id, note id).
    pub note: Option<(String, String)>,
    /// When the front appeared; the answer time runs from here to the grade.
    pub shown_at: Timestamp,
    pub revealed: bool,
    /// The wait each grade would give (Again, Hard, Good, Easy), known once revealed.
    pub intervals: Option<[Interval; 4]>,
}

impl Shown {
    pub fn new(shared: &Shared, entry: &QueueEntry, now: Timestamp) -> Shown {
        let mut shown = Shown {
            key: entry.key.clone(),
            class: entry.class,
            kind: Kind::Missing,
            front: Document::default(),
            full: Document::default(),
            note: None,
            shown_at: now,
            revealed: false,
            intervals: None,
        };
        shown.refresh(shared);
        shown
    }

    /// Reads the face from the library again, so a pack edit shows on the card at once.
    pub fn refresh(&mut self, shared: &Shared) {
        let entry = shared.catalog().get(&self.key);
        self.kind = Kind::of(entry.map(|e| e.side));
        let face = entry.and_then(|e| e.item().face(&shared.library));
        let (front, full) = face.as_ref().map_or_else(missing, documents);
        self.front = front;
        self.full = full;
        self.note = face.and_then(|f| f.note);
    }

    /// The document on screen now.
    pub fn document(&self) -> &Document {
        if self.revealed {
            &self.full
        } else {
            &self.front
        }
    }

    /// Identifies the document for the layout cache: the item, and which side is up.
    pub fn layout_id(&self) -> String {
        format!("{}|{}", self.key, self.revealed)
    }

    /// Milliseconds from the front appearing to `now`, saturating.
    pub fn elapsed_ms(&self, now: Timestamp) -> u32 {
        let ms = now.duration_since(self.shown_at).as_millis().max(0);
        u32::try_from(ms).unwrap_or(u32::MAX)
    }

    pub fn interval(&self, grade: Grade) -> Option<Interval> {
        self.intervals.map(|i| i[grade.index()])
    }
}

/// The front, and the whole revealed card. Each part is parsed on its own and the blocks are
/// joined, so a stray fence or list in one field cannot swallow the next.
fn documents(face: &Face) -> (Document, Document) {
    let front = Document::parse(&face.front);
    let mut blocks = front.blocks.clone();
    blocks.push(Block::Rule);
    blocks.extend(Document::parse(&face.back).blocks);
    if let Some(extra) = &face.extra {
        blocks.push(Block::Quote(Document::parse(extra).blocks));
    }
    (front, Document { blocks })
}

fn missing() -> (Document, Document) {
    let doc = Document::parse(
        "*This item is no longer in the loaded packs.* Grading it keeps its schedule; \
         esc leaves the review.",
    );
    (doc.clone(), doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_revealed_card_joins_front_back_and_extra() {
        let face = Face {
            front: "```\nunclosed".into(),
            back: "**B**".into(),
            extra: Some("why".into()),
            note: None,
        };
        let (front, full) = documents(&face);
        assert_eq!(front.blocks.len(), 1);
        assert_eq!(full.blocks.len(), 4, "{full:?}");
        assert_eq!(full.blocks[1], Block::Rule);
        assert!(matches!(full.blocks[3], Block::Quote(_)));
    }
}
