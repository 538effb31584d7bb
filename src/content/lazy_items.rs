//! A pack's cards or questions. Loaded from the pack's sources, every item is in memory.
//! Loaded through the pack index, a start holds only each item's head: what the catalog, the
//! review queue and the home screen need (its id, note, tags, former ids, and a card's faces
//! or a question's domain). The items themselves stay encoded until a screen asks for one,
//! which is decoded alone, or for all of them, decoded once and kept. A review of a
//! 20,000-card pack then decodes the few cards it shows.
//!
//! The encoded items come from the pack index, which is hostile input: heads that do not fit
//! their items refuse the pack image; an item that does not decode, whose id differs from its
//! head's, or whose texts do not lie in its file's heap is shown as [`UNAVAILABLE`] and the
//! index is removed, so the next start compiles the pack again.
//!
//! [`UNAVAILABLE`]: super::lazy_text::UNAVAILABLE

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::ops::{Deref, DerefMut, Range};
use std::sync::{Arc, OnceLock};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::diagnostic::FileId;
use super::lazy_text::{Heap, Text};
use super::model::{Id, NoteRef};

/// An item a pack keeps encoded in its index: a card or a question.
pub trait Encoded: Sized + Serialize + DeserializeOwned + Send + Sync {
    /// The columns of the heads only this kind of item has.
    type Own: Default + Serialize + DeserializeOwned + Send + Sync;

    fn common(&self) -> Common<'_>;
    fn texts_mut(&mut self, f: &mut dyn FnMut(&mut Text));
    /// Adds this item, the `i`th, to its own columns.
    fn add_own(&self, i: u32, own: &mut Self::Own);
    /// Whether the own columns hold a row per item of `n`, each pointing inside its list.
    fn own_fit(own: &Self::Own, n: usize) -> bool;
    /// The `i`th item as its head gives it, its texts unavailable: one that could not be read
    /// back from the index.
    fn unavailable(heads: &Heads<Self>, i: usize) -> Self;
}

/// What every item's head holds.
#[derive(Clone, Copy)]
pub struct Common<'a> {
    pub id: &'a Id,
    pub note: Option<&'a NoteRef>,
    pub tags: &'a [String],
    /// Former ids whose progress carries over to this item.
    pub aliases: &'a [String],
}

impl<'a> Common<'a> {
    pub fn new(
        id: &'a Id,
        note: Option<&'a NoteRef>,
        tags: &'a [String],
        aliases: &'a [String],
    ) -> Common<'a> {
        Common {
            id,
            note,
            tags,
            aliases,
        }
    }
}

/// `note_of` for an item that names no note.
const NO_NOTE: u32 = u32::MAX;

/// Every item's head, column by column: the notes and tag lists that many items share are
/// written once. Written to the pack image beside the encoded items.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Heads<T: Encoded> {
    pub(super) ids: Vec<Id>,
    /// Where each item's encoding ends in the encoded items; the first starts at 0.
    pub(super) ends: Vec<u32>,
    pub(super) notes: Vec<NoteRef>,
    /// Each item's note, as a place in `notes`, or [`NO_NOTE`].
    pub(super) note_of: Vec<u32>,
    pub(super) tag_lists: Vec<Vec<String>>,
    pub(super) tags_of: Vec<u32>,
    /// The former ids of the items that have any, by item, in item order.
    pub(super) aliases: Vec<(u32, Vec<String>)>,
    pub(crate) own: T::Own,
}

impl<T: Encoded> Heads<T> {
    /// The heads of `items`, whose encodings end at `ends`.
    pub(crate) fn of(items: &[T], ends: Vec<u32>) -> Heads<T> {
        let mut heads = Heads {
            ids: Vec::with_capacity(items.len()),
            ends,
            notes: Vec::new(),
            note_of: Vec::with_capacity(items.len()),
            // The first list is the empty one.
            tag_lists: vec![Vec::new()],
            tags_of: Vec::with_capacity(items.len()),
            aliases: Vec::new(),
            own: T::Own::default(),
        };
        let mut notes = HashMap::new();
        let mut tag_lists = HashMap::new();
        for (i, item) in (0u32..).zip(items) {
            let c = item.common();
            heads.ids.push(c.id.clone());
            heads.note_of.push(c.note.map_or(NO_NOTE, |n| {
                *notes.entry(n).or_insert_with(|| {
                    heads.notes.push(n.clone());
                    (heads.notes.len() - 1) as u32
                })
            }));
            heads.tags_of.push(if c.tags.is_empty() {
                0
            } else {
                *tag_lists.entry(c.tags).or_insert_with(|| {
                    heads.tag_lists.push(c.tags.to_vec());
                    (heads.tag_lists.len() - 1) as u32
                })
            });
            if !c.aliases.is_empty() {
                heads.aliases.push((i, c.aliases.to_vec()));
            }
            item.add_own(i, &mut heads.own);
        }
        heads
    }

    /// Whether every column has a row per item, every place points inside its list, and the
    /// sparse columns are in item order: what a damaged or foreign image may break.
    fn fit(&self, bytes: usize) -> bool {
        let n = self.ids.len();
        [self.ends.len(), self.note_of.len(), self.tags_of.len()]
            .iter()
            .all(|&len| len == n)
            && self.ends.is_sorted()
            && self.ends.last().map_or(0, |&e| e as usize) == bytes
            && (self.note_of.iter()).all(|&i| i == NO_NOTE || (i as usize) < self.notes.len())
            && (self.tags_of.iter()).all(|&i| (i as usize) < self.tag_lists.len())
            && in_item_order(&self.aliases, n)
            && T::own_fit(&self.own, n)
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    pub(crate) fn common(&self, i: usize) -> Common<'_> {
        Common {
            id: &self.ids[i],
            note: self.notes.get(self.note_of[i] as usize),
            tags: &self.tag_lists[self.tags_of[i] as usize],
            aliases: of_item(&self.aliases, i),
        }
    }

    fn span(&self, i: usize) -> Range<usize> {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        start..self.ends[i] as usize
    }
}

/// Whether the rows of a sparse column name items below `n`, each once, in item order.
pub(crate) fn in_item_order<T>(rows: &[(u32, T)], n: usize) -> bool {
    rows.windows(2).all(|w| w[0].0 < w[1].0) && rows.last().is_none_or(|(i, _)| (*i as usize) < n)
}

/// The row of item `i` in a sparse column of lists, or an empty list.
pub(crate) fn of_item<T>(rows: &[(u32, Vec<T>)], i: usize) -> &[T] {
    match rows.binary_search_by_key(&i, |(at, _)| *at as usize) {
        Ok(at) => &rows[at].1,
        Err(_) => &[],
    }
}

/// The items one after another, each decodable alone, and their heads; `None` past 4 GiB.
pub(crate) fn encode<T: Encoded>(items: &[T]) -> Option<(Vec<u8>, Heads<T>)> {
    let mut bytes = Vec::new();
    let mut ends = Vec::with_capacity(items.len());
    for item in items {
        bytes = postcard::to_extend(item, bytes).ok()?;
        ends.push(u32::try_from(bytes.len()).ok()?);
    }
    Some((bytes, Heads::of(items, ends)))
}

/// Items kept encoded, as the pack image holds them.
struct Stored<T: Encoded> {
    heads: Heads<T>,
    /// The image the items were read from, and where the encoded items lie in it.
    image: Arc<Vec<u8>>,
    at: Range<usize>,
    /// The heap each run of items points its texts at, with the number of items before the
    /// run ends.
    heaps: Vec<(usize, Arc<Heap>)>,
}

impl<T: Encoded> Stored<T> {
    fn item(&self, i: usize) -> T {
        let bytes = self
            .image
            .get(self.at.clone())
            .and_then(|b| b.get(self.heads.span(i)));
        let run = self.heaps.partition_point(|(end, _)| *end <= i);
        let heap = self.heaps.get(run).map(|(_, h)| h);
        let item = bytes
            .and_then(|b| postcard::take_from_bytes::<T>(b).ok())
            .filter(|(item, rest)| rest.is_empty() && *item.common().id == self.heads.ids[i])
            .and_then(|(mut item, _)| {
                let heap = heap?;
                let mut fits = true;
                item.texts_mut(&mut |t| fits &= t.attach(heap));
                fits.then_some(item)
            });
        item.unwrap_or_else(|| {
            if let Some(heap) = heap {
                heap.discard_index();
            }
            T::unavailable(&self.heads, i)
        })
    }
}

/// A pack's cards or questions: all in memory, or their heads with the items encoded (see
/// the module). Reading them as a vector decodes every one of them, once.
#[derive(Clone)]
pub struct Lazy<T: Encoded> {
    all: OnceLock<Vec<T>>,
    stored: Option<Arc<Stored<T>>>,
}

impl<T: Encoded> Lazy<T> {
    /// Encoded items, as [`Lazy::attach`] leaves them: `image[at]` holds the items, one after
    /// another, and `heads` their heads. `None` when the two do not fit each other.
    pub(crate) fn encoded(heads: Heads<T>, image: Arc<Vec<u8>>, at: Range<usize>) -> Option<Self> {
        (at.end <= image.len() && heads.fit(at.len())).then(|| Lazy {
            all: OnceLock::new(),
            stored: Some(Arc::new(Stored {
                heads,
                image,
                at,
                heaps: Vec::new(),
            })),
        })
    }

    /// Points encoded items at their files' heaps: `runs` gives the file of each run of
    /// items, `heap` each file's heap. `false` when the runs do not cover the items exactly or
    /// a file has no heap. Items in memory have nothing to attach.
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
        end == stored.heads.len()
    }

    pub fn len(&self) -> usize {
        match self.still_encoded() {
            Some(stored) => stored.heads.len(),
            None => self.all.get().map_or(0, Vec::len),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The encoded items, while none has been decoded as part of all of them.
    fn still_encoded(&self) -> Option<&Stored<T>> {
        self.stored.as_deref().filter(|_| self.all.get().is_none())
    }

    /// The heads, while the items are still encoded.
    pub(crate) fn encoded_heads(&self) -> Option<&Heads<T>> {
        self.still_encoded().map(|stored| &stored.heads)
    }

    /// The item with this id: decoded alone if the items are still encoded.
    pub fn find(&self, id: &str) -> Option<Cow<'_, T>>
    where
        T: Clone,
    {
        match self.still_encoded() {
            Some(stored) => {
                let i = stored.heads.ids.iter().position(|c| c == id)?;
                Some(Cow::Owned(stored.item(i)))
            }
            None => self.iter().find(|c| c.common().id == id).map(Cow::Borrowed),
        }
    }

    fn decode_all(&self) -> Vec<T> {
        match &self.stored {
            Some(stored) => (0..stored.heads.len()).map(|i| stored.item(i)).collect(),
            None => Vec::new(),
        }
    }

    /// Whether the items are in memory rather than encoded.
    pub fn are_decoded(&self) -> bool {
        self.encoded_heads().is_none()
    }
}

impl<T: Encoded> Default for Lazy<T> {
    fn default() -> Self {
        Lazy::from(Vec::new())
    }
}

impl<T: Encoded> Deref for Lazy<T> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        self.all.get_or_init(|| self.decode_all())
    }
}

impl<T: Encoded> DerefMut for Lazy<T> {
    /// The items to change: decoded first, and no longer tied to their encoding.
    fn deref_mut(&mut self) -> &mut Vec<T> {
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

impl<T: Encoded> From<Vec<T>> for Lazy<T> {
    fn from(all: Vec<T>) -> Self {
        Lazy {
            all: OnceLock::from(all),
            stored: None,
        }
    }
}

impl<T: Encoded> FromIterator<T> for Lazy<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Lazy::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl<'a, T: Encoded> IntoIterator for &'a Lazy<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Every item, decoded if need be: a pack from its index reads as one from its sources.
impl<T: Encoded + fmt::Debug> fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
