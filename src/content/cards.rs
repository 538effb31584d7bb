//! A pack's cards. Loaded from the pack's sources, every card is in memory. Loaded through the
//! pack index, a start holds only each card's head: what the catalog and the review queue need
//! (its id, note, tags, former ids and faces). The cards themselves stay encoded until a
//! screen asks for one, which is decoded alone, or for all of them, decoded once and kept. A
//! review of a 20,000-card pack then decodes the few cards it shows.
//!
//! The encoded cards come from the pack index, which is hostile input: a card that does not
//! decode, or whose texts do not lie in its file's heap, is shown as [`UNAVAILABLE`] and the
//! index is removed, so the next start compiles the pack again.

use std::borrow::Cow;
use std::fmt;
use std::ops::{Deref, DerefMut, Range};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::cloze;
use super::diagnostic::FileId;
use super::lazy_text::{Heap, Text, UNAVAILABLE};
use super::model::{Card, CardKind, Id, NoteRef};

/// The faces a card is reviewed by: its front, its reverse too, or one per cloze number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Faces<'a> {
    Front,
    FrontAndReverse,
    Cloze(Cow<'a, [u32]>),
}

impl Card {
    /// The faces of this card. A cloze card's are read from its text: one per number.
    pub fn faces(&self) -> Faces<'static> {
        match &self.kind {
            CardKind::Basic { reverse: false, .. } => Faces::Front,
            CardKind::Basic { reverse: true, .. } => Faces::FrontAndReverse,
            CardKind::Cloze { text } => Faces::Cloze(Cow::Owned(
                cloze::parse(text)
                    .map(|d| cloze::numbers(&d).into_iter().collect())
                    .unwrap_or_default(),
            )),
        }
    }
}

/// What the catalog needs of a card, whether the card is decoded or not.
#[derive(Clone, Copy)]
pub struct Head<'a> {
    pub id: &'a Id,
    pub note: Option<&'a NoteRef>,
    pub tags: &'a [String],
    /// Former ids whose review progress carries over to this card.
    pub aliases: &'a [String],
    faces: HeadFaces<'a>,
}

#[derive(Clone, Copy)]
enum HeadFaces<'a> {
    Card(&'a Card),
    Stored(u8, &'a [u32]),
}

impl<'a> Head<'a> {
    fn of(card: &'a Card) -> Head<'a> {
        Head {
            id: &card.id,
            note: card.note.as_ref(),
            tags: &card.tags,
            aliases: &card.aliases,
            faces: HeadFaces::Card(card),
        }
    }

    pub fn faces(&self) -> Faces<'a> {
        match self.faces {
            HeadFaces::Card(card) => card.faces(),
            HeadFaces::Stored(FRONT_AND_REVERSE, _) => Faces::FrontAndReverse,
            HeadFaces::Stored(CLOZE, numbers) => Faces::Cloze(Cow::Borrowed(numbers)),
            HeadFaces::Stored(..) => Faces::Front,
        }
    }
}

const FRONT: u8 = 0;
const FRONT_AND_REVERSE: u8 = 1;
const CLOZE: u8 = 2;
/// `note_of` for a card that names no note.
const NO_NOTE: u32 = u32::MAX;

/// Every card's head, column by column: the notes and tag lists that many cards share are
/// written once. Written to the pack image beside the encoded cards.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct Heads {
    ids: Vec<Id>,
    /// Where each card's encoding ends in the encoded cards; the first starts at 0.
    ends: Vec<u32>,
    notes: Vec<NoteRef>,
    /// Each card's note, as a place in `notes`, or [`NO_NOTE`].
    note_of: Vec<u32>,
    /// The first list is the empty one.
    tag_lists: Vec<Vec<String>>,
    tags_of: Vec<u32>,
    faces: Vec<u8>,
    /// The cloze numbers of the cloze cards, by card, in card order.
    clozes: Vec<(u32, Vec<u32>)>,
    /// The former ids of the cards that have any, by card, in card order.
    aliases: Vec<(u32, Vec<String>)>,
}

impl Heads {
    /// The heads of `cards`, whose encodings end at `ends`.
    fn of(cards: &[Card], ends: Vec<u32>) -> Heads {
        let mut heads = Heads {
            ids: Vec::with_capacity(cards.len()),
            ends,
            tag_lists: vec![Vec::new()],
            ..Heads::default()
        };
        let mut notes = std::collections::HashMap::new();
        let mut tag_lists = std::collections::HashMap::new();
        for (i, card) in (0u32..).zip(cards) {
            heads.ids.push(card.id.clone());
            heads.note_of.push(card.note.as_ref().map_or(NO_NOTE, |n| {
                *notes.entry(n.clone()).or_insert_with(|| {
                    heads.notes.push(n.clone());
                    (heads.notes.len() - 1) as u32
                })
            }));
            heads.tags_of.push(if card.tags.is_empty() {
                0
            } else {
                *tag_lists.entry(card.tags.clone()).or_insert_with(|| {
                    heads.tag_lists.push(card.tags.clone());
                    (heads.tag_lists.len() - 1) as u32
                })
            });
            heads.faces.push(match card.faces() {
                Faces::Front => FRONT,
                Faces::FrontAndReverse => FRONT_AND_REVERSE,
                Faces::Cloze(numbers) => {
                    heads.clozes.push((i, numbers.into_owned()));
                    CLOZE
                }
            });
            if !card.aliases.is_empty() {
                heads.aliases.push((i, card.aliases.clone()));
            }
        }
        heads
    }

    /// Whether every column has a row per card, every place points inside its list, and the
    /// sparse lists are in card order: what a damaged or foreign image may break.
    fn fit(&self, bytes: usize) -> bool {
        let n = self.ids.len();
        [
            self.ends.len(),
            self.note_of.len(),
            self.tags_of.len(),
            self.faces.len(),
        ]
        .iter()
        .all(|&len| len == n)
            && self.ends.is_sorted()
            && self.ends.last().map_or(0, |&e| e as usize) == bytes
            && (self.note_of.iter()).all(|&i| i == NO_NOTE || (i as usize) < self.notes.len())
            && (self.tags_of.iter()).all(|&i| (i as usize) < self.tag_lists.len())
            && self.faces.iter().all(|&f| f <= CLOZE)
            && in_card_order(&self.clozes, n)
            && in_card_order(&self.aliases, n)
            && self.faces.iter().filter(|&&f| f == CLOZE).count() == self.clozes.len()
            && (self.clozes.iter()).all(|(i, _)| self.faces[*i as usize] == CLOZE)
    }

    fn head(&self, i: usize) -> Head<'_> {
        Head {
            id: &self.ids[i],
            note: self.notes.get(self.note_of[i] as usize),
            tags: &self.tag_lists[self.tags_of[i] as usize],
            aliases: of_card(&self.aliases, i),
            faces: HeadFaces::Stored(self.faces[i], of_card(&self.clozes, i)),
        }
    }

    fn span(&self, i: usize) -> Range<usize> {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        start..self.ends[i] as usize
    }
}

/// Whether the rows of a sparse column name cards below `n`, each once, in card order.
fn in_card_order<T>(rows: &[(u32, Vec<T>)], n: usize) -> bool {
    rows.windows(2).all(|w| w[0].0 < w[1].0) && rows.last().is_none_or(|(i, _)| (*i as usize) < n)
}

/// The row of card `i` in a sparse column, or nothing.
fn of_card<T>(rows: &[(u32, Vec<T>)], i: usize) -> &[T] {
    match rows.binary_search_by_key(&i, |(at, _)| *at as usize) {
        Ok(at) => &rows[at].1,
        Err(_) => &[],
    }
}

/// The cards one after another, each decodable alone, and their heads; `None` past 4 GiB.
pub(crate) fn encode(cards: &[Card]) -> Option<(Vec<u8>, Heads)> {
    let mut bytes = Vec::new();
    let mut ends = Vec::with_capacity(cards.len());
    for card in cards {
        bytes = postcard::to_extend(card, bytes).ok()?;
        ends.push(u32::try_from(bytes.len()).ok()?);
    }
    Some((bytes, Heads::of(cards, ends)))
}

/// Cards kept encoded, as the pack image holds them.
struct Stored {
    heads: Heads,
    /// The image the cards were read from, and where the encoded cards lie in it.
    image: Arc<Vec<u8>>,
    at: Range<usize>,
    /// The heap each run of cards points its texts at, with the number of cards before the
    /// run ends.
    heaps: Vec<(usize, Arc<Heap>)>,
}

impl Stored {
    fn card(&self, i: usize) -> Card {
        let bytes = self
            .image
            .get(self.at.clone())
            .and_then(|b| b.get(self.heads.span(i)));
        let run = self.heaps.partition_point(|(end, _)| *end <= i);
        let heap = self.heaps.get(run).map(|(_, h)| h);
        let card = bytes
            .and_then(|b| postcard::take_from_bytes::<Card>(b).ok())
            .filter(|(card, rest)| rest.is_empty() && card.id == self.heads.ids[i])
            .and_then(|(mut card, _)| {
                let heap = heap?;
                let mut fits = true;
                card.texts_mut(&mut |t| fits &= t.attach(heap));
                fits.then_some(card)
            });
        card.unwrap_or_else(|| {
            if let Some(heap) = heap {
                heap.discard_index();
            }
            self.unavailable(i)
        })
    }

    /// A card that could not be read back: its head, with [`UNAVAILABLE`] for its texts.
    fn unavailable(&self, i: usize) -> Card {
        let head = self.heads.head(i);
        let text = || Text::from(UNAVAILABLE);
        Card {
            id: head.id.clone(),
            kind: match head.faces() {
                Faces::Cloze(_) => CardKind::Cloze { text: text() },
                faces => CardKind::Basic {
                    front: text(),
                    back: text(),
                    reverse: faces == Faces::FrontAndReverse,
                },
            },
            extra: None,
            tags: head.tags.to_vec(),
            note: head.note.cloned(),
            source: None,
            aliases: head.aliases.to_vec(),
        }
    }
}

/// A pack's cards: all in memory, or their heads with the cards encoded (see the module).
/// Reading the cards as a vector decodes every one of them, once.
#[derive(Default, Clone)]
pub struct Cards {
    all: OnceLock<Vec<Card>>,
    stored: Option<Arc<Stored>>,
}

impl Cards {
    /// Encoded cards, as [`Cards::attach`] leaves them: `image[at]` holds the cards, one
    /// after another, and `heads` their heads. `None` when the two do not fit each other.
    pub(crate) fn encoded(heads: Heads, image: Arc<Vec<u8>>, at: Range<usize>) -> Option<Cards> {
        (at.end <= image.len() && heads.fit(at.len())).then(|| Cards {
            all: OnceLock::new(),
            stored: Some(Arc::new(Stored {
                heads,
                image,
                at,
                heaps: Vec::new(),
            })),
        })
    }

    /// Points encoded cards at their files' heaps: `runs` gives the file of each run of
    /// cards, `heap` each file's heap. `false` when the runs do not cover the cards exactly or
    /// a file has no heap. Cards in memory have nothing to attach.
    pub(crate) fn attach(
        &mut self,
        runs: &[(FileId, u32)],
        heap: &dyn Fn(FileId) -> Option<Arc<Heap>>,
    ) -> bool {
        let Some(stored) = self.stored.as_mut().and_then(Arc::get_mut) else {
            return self.stored.is_none();
        };
        let mut end = 0usize;
        for &(file, count) in runs {
            let Some(h) = heap(file) else {
                return false;
            };
            end += count as usize;
            stored.heaps.push((end, h));
        }
        end == stored.heads.ids.len()
    }

    pub fn len(&self) -> usize {
        match (self.all.get(), &self.stored) {
            (Some(all), _) => all.len(),
            (None, Some(stored)) => stored.heads.ids.len(),
            (None, None) => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The head of the card at `i`; panics past the last card, as indexing does.
    pub fn head(&self, i: usize) -> Head<'_> {
        match (self.all.get(), &self.stored) {
            (None, Some(stored)) => stored.heads.head(i),
            _ => Head::of(&self[i]),
        }
    }

    /// Every card's head, in order, without decoding any card.
    pub fn heads(&self) -> impl Iterator<Item = Head<'_>> {
        (0..self.len()).map(|i| self.head(i))
    }

    /// The card with this id: decoded alone if the cards are still encoded.
    pub fn find(&self, id: &str) -> Option<Cow<'_, Card>> {
        match (self.all.get(), &self.stored) {
            (None, Some(stored)) => {
                let i = stored.heads.ids.iter().position(|c| c == id)?;
                Some(Cow::Owned(stored.card(i)))
            }
            _ => self.iter().find(|c| c.id == id).map(Cow::Borrowed),
        }
    }

    fn decode_all(&self) -> Vec<Card> {
        match &self.stored {
            Some(stored) => (0..stored.heads.ids.len())
                .map(|i| stored.card(i))
                .collect(),
            None => Vec::new(),
        }
    }

    /// Whether the cards are in memory rather than encoded.
    pub fn are_decoded(&self) -> bool {
        self.all.get().is_some() || self.stored.is_none()
    }
}

impl Deref for Cards {
    type Target = Vec<Card>;

    fn deref(&self) -> &Vec<Card> {
        self.all.get_or_init(|| self.decode_all())
    }
}

impl DerefMut for Cards {
    /// The cards to change: decoded first, and no longer tied to their encoding.
    fn deref_mut(&mut self) -> &mut Vec<Card> {
        if self.all.get().is_none() {
            self.all = OnceLock::from(self.decode_all());
        }
        self.stored = None;
        match self.all.get_mut() {
            Some(all) => all,
            None => unreachable!("set just above"),
        }
    }
}

impl From<Vec<Card>> for Cards {
    fn from(all: Vec<Card>) -> Cards {
        Cards {
            all: OnceLock::from(all),
            stored: None,
        }
    }
}

impl FromIterator<Card> for Cards {
    fn from_iter<I: IntoIterator<Item = Card>>(iter: I) -> Cards {
        Cards::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a Cards {
    type Item = &'a Card;
    type IntoIter = std::slice::Iter<'a, Card>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Every card, decoded if need be: a pack from its index reads as one from its sources.
impl fmt::Debug for Cards {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::path::Path;

    fn card(id: &str, kind: CardKind, note: Option<&str>, tags: &[&str]) -> Card {
        Card {
            id: id.into(),
            kind,
            extra: Some("More.".into()),
            tags: tags.iter().map(ToString::to_string).collect(),
            note: note.map(NoteRef::parse),
            source: None,
            aliases: Vec::new(),
        }
    }

    /// Cards have no equality of their own: their debug form holds every field and text.
    fn shown(cards: &[Card]) -> String {
        format!("{cards:?}")
    }

    fn basic(front: &str, reverse: bool) -> CardKind {
        CardKind::Basic {
            front: front.into(),
            back: "Back.".into(),
            reverse,
        }
    }

    /// Four cards as a deck compiles them: texts moved into one heap.
    fn deck() -> (Vec<Card>, Arc<Heap>) {
        let mut cards = vec![
            card("a", basic("A?", false), Some("caching"), &[]),
            card("b", basic("B?", true), Some("caching"), &["exam"]),
            card(
                "c",
                CardKind::Cloze {
                    text: "{{c1::x}} then {{c3::y}}".into(),
                },
                Some("other:queues"),
                &["exam"],
            ),
            card("d", basic("D?", false), None, &[]),
        ];
        cards[3].aliases = vec!["old-d".into()];
        let mut heap = String::new();
        for c in &mut cards {
            c.texts_mut(&mut |t| t.move_into(&mut heap));
        }
        let heap = Arc::new(Heap::in_memory(heap));
        for c in &mut cards {
            c.texts_mut(&mut |t| assert!(t.attach(&heap)));
        }
        (cards, heap)
    }

    /// `cards` encoded as the pack image holds them, behind 3 bytes of something else.
    fn encoded(cards: &[Card], heap: &Arc<Heap>) -> Cards {
        let (bytes, heads) = encode(cards).unwrap();
        let image = [b"xyz".as_slice(), &bytes].concat();
        let at = 3..image.len();
        let mut out = Cards::encoded(heads, Arc::new(image), at).unwrap();
        assert!(out.attach(&[(7, cards.len() as u32)], &|f| {
            (f == 7).then(|| heap.clone())
        }));
        out
    }

    #[test]
    fn heads_answer_without_decoding_a_card() {
        let (cards, heap) = deck();
        let lazy = encoded(&cards, &heap);
        assert_eq!(lazy.len(), 4);
        let heads: Vec<_> = lazy.heads().collect();
        let ids: Vec<&str> = heads.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d"]);
        assert_eq!(heads[1].faces(), Faces::FrontAndReverse);
        assert_eq!(heads[2].faces(), Faces::Cloze(Cow::Borrowed(&[1, 3])));
        assert_eq!(heads[3].faces(), Faces::Front);
        assert_eq!(heads[2].note, Some(&NoteRef::parse("other:queues")));
        assert_eq!(heads[3].note, None);
        assert_eq!(heads[1].tags, ["exam"]);
        assert!(heads[0].tags.is_empty());
        assert_eq!(heads[3].aliases, ["old-d"]);
        assert!(heads[2].aliases.is_empty());
        assert!(!lazy.are_decoded());
    }

    #[test]
    fn one_card_is_decoded_alone_and_all_of_them_once() {
        let (cards, heap) = deck();
        let lazy = encoded(&cards, &heap);
        let c = lazy.find("c").unwrap();
        assert!(matches!(c, Cow::Owned(_)));
        assert_eq!(shown(&[c.into_owned()]), shown(&cards[2..3]));
        assert!(lazy.find("zz").is_none());
        assert!(!lazy.are_decoded(), "finding one card decodes no other");
        assert_eq!(shown(&lazy), shown(&cards));
        assert!(lazy.are_decoded());
        assert!(matches!(lazy.find("c"), Some(Cow::Borrowed(_))));
    }

    #[test]
    fn cards_changed_are_decoded_first_and_leave_their_encoding() {
        let (cards, heap) = deck();
        let mut lazy = encoded(&cards, &heap);
        lazy.push(card("e", basic("E?", false), None, &[]));
        assert_eq!(lazy.len(), 5);
        assert_eq!(lazy.head(4).id, "e");
        assert_eq!(shown(&lazy[..4]), shown(&cards));
    }

    #[test]
    fn heads_that_do_not_fit_their_cards_are_refused() {
        let (cards, _) = deck();
        let (bytes, heads) = encode(&cards).unwrap();
        let image = Arc::new(bytes);
        let all = 0..image.len();
        let damaged = |f: fn(&mut Heads)| {
            let mut h =
                postcard::from_bytes::<Heads>(&postcard::to_allocvec(&heads).unwrap()).unwrap();
            f(&mut h);
            Cards::encoded(h, image.clone(), all.clone()).is_none()
        };
        assert!(!damaged(|_| {}), "the heads as written fit");
        assert!(damaged(|h| h.ids.pop().map(drop).unwrap_or(())));
        assert!(damaged(|h| h.ends[3] += 1), "the cards end elsewhere");
        assert!(damaged(|h| h.ends.swap(0, 1)));
        assert!(damaged(|h| h.note_of[0] = 9));
        assert!(damaged(|h| h.tags_of[1] = 9));
        assert!(damaged(|h| h.faces[0] = 7));
        assert!(
            damaged(|h| h.faces[0] = CLOZE),
            "a cloze card without its numbers"
        );
        assert!(damaged(|h| h.aliases[0].0 = 4), "past the last card");
        assert!(
            damaged(|h| h.clozes.push((2, vec![5]))),
            "twice for one card"
        );
        assert!(Cards::encoded(heads, image.clone(), 0..image.len() + 1).is_none());
    }

    #[test]
    fn runs_must_cover_the_cards_and_name_files_with_heaps() {
        let (cards, heap) = deck();
        let (bytes, heads) = encode(&cards).unwrap();
        let heads = postcard::to_allocvec(&heads).unwrap();
        let fresh = || {
            let heads = postcard::from_bytes::<Heads>(&heads).unwrap();
            let image = Arc::new(bytes.clone());
            Cards::encoded(heads, image, 0..bytes.len()).unwrap()
        };
        let heap_of = |f: FileId| (f == 7).then(|| heap.clone());
        assert!(fresh().attach(&[(7, 2), (7, 2)], &heap_of));
        assert!(!fresh().attach(&[(7, 3)], &heap_of), "one card in no run");
        assert!(!fresh().attach(&[(7, 5)], &heap_of), "a card too many");
        assert!(
            !fresh().attach(&[(7, 2), (8, 2)], &heap_of),
            "a file with no heap"
        );
    }

    /// An index file with one heap in it, and that heap.
    fn index_with_heap(dir: &Path, text: &str) -> (std::path::PathBuf, Arc<Heap>) {
        let path = dir.join("pack.idx");
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(text.as_bytes()).unwrap();
        let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        let file = Arc::new(std::fs::File::open(&path).unwrap());
        let heap = Heap::in_file(
            file,
            Arc::from(path.as_path()),
            (0, text.len() as u64, hash),
            None,
        );
        (path, Arc::new(heap))
    }

    #[test]
    fn a_card_that_cannot_be_read_back_shows_unavailable_and_discards_the_index() {
        let (cards, heap) = deck();
        let heap_text = heap.bytes().to_vec();
        let (mut bytes, heads) = encode(&cards).unwrap();
        // Card "b" cut short: its last byte (the empty alias list) becomes a stray 0xff.
        let b_end = heads.ends[1] as usize;
        bytes[b_end - 1] = 0xff;
        let dir = tempfile::tempdir().unwrap();
        let (index, heap) = index_with_heap(dir.path(), std::str::from_utf8(&heap_text).unwrap());
        let mut lazy = Cards::encoded(heads, Arc::new(bytes.clone()), 0..bytes.len()).unwrap();
        assert!(lazy.attach(&[(1, 4)], &|_| Some(heap.clone())));
        let b = lazy.find("b").unwrap();
        assert_eq!(b.id, "b");
        let unavailable = CardKind::Basic {
            front: UNAVAILABLE.into(),
            back: UNAVAILABLE.into(),
            reverse: true,
        };
        assert_eq!(b.kind, unavailable);
        assert_eq!(b.tags, ["exam"]);
        assert!(
            !index.exists(),
            "the index is removed, to be compiled again"
        );
        let a = lazy.find("a").unwrap().into_owned();
        assert_eq!(
            shown(&[a]),
            shown(&cards[..1]),
            "the other cards still read"
        );
    }

    #[test]
    fn a_card_is_refused_whose_id_or_texts_do_not_match_its_head_and_heap() {
        let (cards, heap) = deck();
        // What the image holds: card "a" under another id, and card "d" with a text past the
        // end of its heap; the heads are those of the cards as compiled.
        let mut written = cards.clone();
        written[0].id = "z".into();
        let mut far = Text::from("D?");
        far.move_into(&mut "x".repeat(heap.bytes().len()));
        written[3].kind = basic("", false);
        if let CardKind::Basic { front, .. } = &mut written[3].kind {
            *front = far;
        }
        let (bytes, written_heads) = encode(&written).unwrap();
        let heads = Heads::of(&cards, written_heads.ends);
        let mut lazy = Cards::encoded(heads, Arc::new(bytes.clone()), 0..bytes.len()).unwrap();
        assert!(lazy.attach(&[(1, 4)], &|_| Some(heap.clone())));
        let unavailable = CardKind::Basic {
            front: UNAVAILABLE.into(),
            back: UNAVAILABLE.into(),
            reverse: false,
        };
        assert_eq!(lazy.find("a").unwrap().kind, unavailable);
        assert!(lazy.find("z").is_none(), "found by its head's id only");
        assert_eq!(lazy.find("d").unwrap().kind, unavailable);
        let c = lazy.find("c").unwrap().into_owned();
        assert_eq!(shown(&[c]), shown(&cards[2..3]));
    }
}
