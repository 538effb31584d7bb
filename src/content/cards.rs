//! A pack's cards, left encoded by a start that reads them from the pack index (see
//! [`super::lazy_items`]): their heads add the faces each card is reviewed by.

use std::borrow::Cow;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

use super::cloze;
use super::lazy_items::{Common, Encoded, Heads, Lazy, in_item_order, of_item};
use super::lazy_text::{Text, UNAVAILABLE};
use super::model::{Card, CardKind};

/// A pack's cards.
pub type Cards = Lazy<Card>;

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

/// What the catalog needs of a card, whether the card is decoded or not: what every item's
/// head holds (its id, note, tags and former ids), and its faces.
#[derive(Clone, Copy)]
pub struct Head<'a> {
    common: Common<'a>,
    faces: HeadFaces<'a>,
}

impl<'a> Deref for Head<'a> {
    type Target = Common<'a>;

    fn deref(&self) -> &Common<'a> {
        &self.common
    }
}

#[derive(Clone, Copy)]
enum HeadFaces<'a> {
    Card(&'a Card),
    Stored(u8, &'a [u32]),
}

impl<'a> Head<'a> {
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

/// The columns only a card's head has: its faces, and a cloze card's numbers.
#[derive(Default, Serialize, Deserialize)]
pub struct CardFaces {
    faces: Vec<u8>,
    /// The cloze numbers of the cloze cards, by card, in card order.
    clozes: Vec<(u32, Vec<u32>)>,
}

impl Encoded for Card {
    type Own = CardFaces;

    fn common(&self) -> Common<'_> {
        Common::new(&self.id, self.note.as_ref(), &self.tags, &self.aliases)
    }

    fn texts_mut(&mut self, f: &mut dyn FnMut(&mut Text)) {
        Card::texts_mut(self, f);
    }

    fn add_own(&self, i: u32, own: &mut CardFaces) {
        own.faces.push(match self.faces() {
            Faces::Front => FRONT,
            Faces::FrontAndReverse => FRONT_AND_REVERSE,
            Faces::Cloze(numbers) => {
                own.clozes.push((i, numbers.into_owned()));
                CLOZE
            }
        });
    }

    fn own_fit(own: &CardFaces, n: usize) -> bool {
        own.faces.len() == n
            && own.faces.iter().all(|&f| f <= CLOZE)
            && in_item_order(&own.clozes, n)
            && own.faces.iter().filter(|&&f| f == CLOZE).count() == own.clozes.len()
            && (own.clozes.iter()).all(|(i, _)| own.faces[*i as usize] == CLOZE)
    }

    fn unavailable(heads: &Heads<Card>, i: usize) -> Card {
        let c = heads.common(i);
        let text = || Text::from(UNAVAILABLE);
        Card {
            id: c.id.clone(),
            kind: match heads.own.faces[i] {
                CLOZE => CardKind::Cloze { text: text() },
                faces => CardKind::Basic {
                    front: text(),
                    back: text(),
                    reverse: faces == FRONT_AND_REVERSE,
                },
            },
            extra: None,
            tags: c.tags.to_vec(),
            note: c.note.cloned(),
            source: None,
            aliases: c.aliases.to_vec(),
        }
    }
}

impl Lazy<Card> {
    /// The head of the card at `i`; panics past the last card, as indexing does.
    pub fn head(&self, i: usize) -> Head<'_> {
        match self.encoded_heads() {
            Some(heads) => Head {
                common: heads.common(i),
                faces: HeadFaces::Stored(heads.own.faces[i], of_item(&heads.own.clozes, i)),
            },
            None => {
                let card = &self[i];
                Head {
                    common: card.common(),
                    faces: HeadFaces::Card(card),
                }
            }
        }
    }

    /// Every card's head, in order, without decoding any card.
    pub fn heads(&self) -> impl Iterator<Item = Head<'_>> {
        (0..self.len()).map(|i| self.head(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::diagnostic::FileId;
    use crate::content::lazy_items::encode;
    use crate::content::lazy_text::Heap;
    use crate::content::model::NoteRef;
    use std::io::Write;
    use std::path::Path;
    use std::sync::Arc;

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
        let damaged = |f: fn(&mut Heads<Card>)| {
            let mut h =
                postcard::from_bytes::<Heads<Card>>(&postcard::to_allocvec(&heads).unwrap())
                    .unwrap();
            f(&mut h);
            Cards::encoded(h, image.clone(), all.clone()).is_none()
        };
        assert!(!damaged(|_| {}), "the heads as written fit");
        assert!(damaged(|h| h.ids.truncate(3)));
        assert!(damaged(|h| h.ends[3] += 1), "the cards end elsewhere");
        assert!(damaged(|h| h.ends.swap(0, 1)));
        assert!(damaged(|h| h.note_of[0] = 9));
        assert!(damaged(|h| h.tags_of[1] = 9));
        assert!(damaged(|h| h.own.faces[0] = 7));
        assert!(
            damaged(|h| h.own.faces[0] = CLOZE),
            "a cloze card without its numbers"
        );
        assert!(damaged(|h| h.aliases[0].0 = 4), "past the last card");
        assert!(
            damaged(|h| h.own.clozes.push((2, vec![5]))),
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
            let heads = postcard::from_bytes::<Heads<Card>>(&heads).unwrap();
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
