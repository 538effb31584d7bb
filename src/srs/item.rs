//! What can be reviewed: each side of a card, each cloze deletion, and exam questions sent to
//! review, each under a stable key built from pack and item ids (never from content, so an
//! edited card keeps its schedule).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::BuildHasher;
use std::sync::{Arc, OnceLock};

use compact_str::CompactString;
use hashbrown::HashTable;
use hashbrown::hash_table::Entry as Slot;
use jiff::Timestamp;
use rayon::prelude::*;

use super::hold::Hold;
use super::key::ItemKey;
use super::replay::Renames;
use super::state::CardState;
use crate::content::{Card, CardKind, Faces, Library, NoteRef, Pack, Question, cloze};

/// One reviewable face of a pack item.
#[derive(Debug, Clone, PartialEq, Eq)]
///
/// Ids are compact strings: a short id is kept inline, so a catalog of many items is built
/// without an allocation per id.
pub enum ReviewItem {
    /// A basic card asked front to back.
    Card {
        pack: CompactString,
        card: CompactString,
    },
    /// A basic card with `reverse = true`, asked back to front.
    Reverse {
        pack: CompactString,
        card: CompactString,
    },
    /// Deletion `number` of a cloze card.
    Cloze {
        pack: CompactString,
        card: CompactString,
        number: u32,
    },
    /// An exam question the learner sent to review.
    Question {
        pack: CompactString,
        question: CompactString,
    },
}

impl ReviewItem {
    pub fn key(&self) -> ItemKey {
        key_of(self.pack(), self.id(), self.side())
    }

    /// Face `side` of item `id` of `pack`.
    pub fn of_side(pack: &str, id: &str, side: Side) -> ReviewItem {
        let (pack, id) = (CompactString::new(pack), CompactString::new(id));
        match side {
            Side::Card => ReviewItem::Card { pack, card: id },
            Side::Reverse => ReviewItem::Reverse { pack, card: id },
            Side::Cloze(number) => ReviewItem::Cloze {
                pack,
                card: id,
                number,
            },
            Side::Question => ReviewItem::Question { pack, question: id },
        }
    }

    /// The card's or question's id.
    fn id(&self) -> &str {
        match self {
            ReviewItem::Card { card, .. }
            | ReviewItem::Reverse { card, .. }
            | ReviewItem::Cloze { card, .. } => card,
            ReviewItem::Question { question, .. } => question,
        }
    }

    pub fn pack(&self) -> &str {
        match self {
            ReviewItem::Card { pack, .. }
            | ReviewItem::Reverse { pack, .. }
            | ReviewItem::Cloze { pack, .. }
            | ReviewItem::Question { pack, .. } => pack,
        }
    }

    pub fn is_question(&self) -> bool {
        matches!(self, ReviewItem::Question { .. })
    }

    pub fn side(&self) -> Side {
        match self {
            ReviewItem::Card { .. } => Side::Card,
            ReviewItem::Reverse { .. } => Side::Reverse,
            ReviewItem::Cloze { number, .. } => Side::Cloze(*number),
            ReviewItem::Question { .. } => Side::Question,
        }
    }

    /// The same face of the item under another id: where a former id's progress is stored.
    pub fn renamed(&self, id: &str) -> ReviewItem {
        let mut item = self.clone();
        match &mut item {
            ReviewItem::Card { card, .. }
            | ReviewItem::Reverse { card, .. }
            | ReviewItem::Cloze { card, .. } => *card = CompactString::new(id),
            ReviewItem::Question { question, .. } => *question = CompactString::new(id),
        }
        item
    }

    /// Every face a card produces, in the order it is written.
    pub fn of_card(pack: &str, card: &Card) -> Vec<ReviewItem> {
        let mut out = Vec::new();
        each_side(&card.faces(), |side| {
            out.push(ReviewItem::of_side(pack, &card.id, side))
        });
        out
    }

    /// The text to show, read from the library now so content edits appear at once. `None`
    /// when the item is no longer in the loaded packs.
    pub fn face(&self, lib: &Library) -> Option<Face> {
        let pack = lib.pack(self.pack())?;
        // One card decoded, not the pack's cards: a start shows one.
        let find_card = |id: &str| pack.cards.find(id);
        match self {
            ReviewItem::Card { card, .. } | ReviewItem::Reverse { card, .. } => {
                let card = find_card(card)?;
                let CardKind::Basic { front, back, .. } = &card.kind else {
                    return None;
                };
                let (front, back) = if matches!(self, ReviewItem::Reverse { .. }) {
                    (back, front)
                } else {
                    (front, back)
                };
                Some(Face::of_card(
                    pack,
                    &card,
                    front.to_string(),
                    back.to_string(),
                ))
            }
            ReviewItem::Cloze { card, number, .. } => {
                let card = find_card(card)?;
                let CardKind::Cloze { text } = &card.kind else {
                    return None;
                };
                let deletions = cloze::parse(text).ok()?;
                if !deletions.iter().any(|d| d.number == *number) {
                    return None;
                }
                let front = cloze::front(text, &deletions, *number);
                let back = cloze::back(text, &deletions, *number);
                Some(Face::of_card(pack, &card, front, back))
            }
            ReviewItem::Question { question, .. } => {
                let q = pack.questions.find(question)?;
                Some(Face::of_question(pack, &q))
            }
        }
    }
}

/// What the review screen shows for an item; every field is Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Face {
    /// The prompt. For a cloze card the asked deletion is a `[hint]` or `[...]` blank.
    pub front: String,
    /// The answer. For a cloze card the full text with the answer in bold.
    pub back: String,
    /// Shown after the answer.
    pub extra: Option<String>,
    /// The note `o` opens: (pack id, note id).
    pub note: Option<(String, String)>,
}

/// The key of face `side` of item `id` of `pack`, joined by hand rather than formatted: a
/// warm start builds one per item.
fn key_of(pack: &str, id: &str, side: Side) -> ItemKey {
    let mut key = CompactString::with_capacity(pack.len() + id.len() + 1);
    key.push_str(pack);
    key.push('/');
    key.push_str(id);
    match side {
        Side::Card | Side::Question => {}
        Side::Reverse => key.push_str("#reverse"),
        Side::Cloze(number) => {
            // Writing to a compact string cannot fail.
            let _ = write!(key, "#c{number}");
        }
    }
    ItemKey::from_compact(key)
}

/// Calls `f` with every face a card produces, in the order it is written.
fn each_side(faces: &Faces, mut f: impl FnMut(Side)) {
    match faces {
        Faces::Front => f(Side::Card),
        Faces::FrontAndReverse => {
            f(Side::Card);
            f(Side::Reverse);
        }
        Faces::Cloze(numbers) => numbers.iter().for_each(|&number| f(Side::Cloze(number))),
    }
}

impl Face {
    fn of_card(pack: &Pack, card: &Card, front: String, back: String) -> Face {
        Face {
            front,
            back,
            extra: card.extra.as_deref().map(str::to_string),
            note: note_target(pack, card.note.as_ref()),
        }
    }

    /// A lab question is shown with numbers drawn from its key: the same each time it is
    /// reviewed, so its answer stays checkable against the stored grade.
    fn of_question(pack: &Pack, q: &Question) -> Face {
        let key = format!("{}/{}", pack.id(), q.id);
        let generated = q.generated(xxhash_rust::xxh3::xxh3_64(key.as_bytes()));
        let q = generated.as_ref().map_or(q, |(made, _)| made);
        let letter = |i: usize| char::from(b'A' + (i % 26) as u8);
        let choices: Vec<String> = q
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{}. {}", letter(i), c.text))
            .collect();
        let key: Vec<String> = q
            .choices
            .iter()
            .enumerate()
            .filter(|(_, c)| c.correct)
            .map(|(i, c)| format!("**{}. {}**", letter(i), c.text))
            .collect();
        Face {
            front: format!("{}\n\n{}", q.stem.trim_end(), choices.join("\n\n")),
            back: key.join("\n\n"),
            extra: (!q.explanation.is_empty()).then(|| q.explanation.to_string()),
            note: note_target(pack, q.note.as_ref()),
        }
    }
}

fn note_target(pack: &Pack, note: Option<&NoteRef>) -> Option<(String, String)> {
    note.map(|n| (n.pack_or(pack.id()).to_string(), n.id.to_string()))
}

/// Which items a review session or a statistic covers. Empty means everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub pack: Option<String>,
    /// A note id (`caching`) or a qualified one (`system-design:caching`).
    pub topic: Option<String>,
    pub tag: Option<String>,
}

impl Scope {
    /// One topic: the note `note` of `pack`.
    pub fn topic(pack: &str, note: &str) -> Scope {
        Scope {
            topic: Some(format!("{pack}:{note}")),
            ..Scope::default()
        }
    }
}

/// Which face of its item an entry is. With the entry's key it gives the [`ReviewItem`]
/// back, so the catalog keeps the pack and item ids once, in the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Card,
    Reverse,
    Cloze(u32),
    Question,
}

/// One item of the catalog with what scopes and statistics group it by.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: ItemKey,
    pub side: Side,
    /// The card's or question's note, as `pack:note`. Shared by the items of one note.
    pub topic: Option<Arc<str>>,
    /// The exam domain, as `pack:domain`: the question's own, or the note's for a card.
    pub domain: Option<Arc<str>>,
    /// The item's tags plus its note's; shared by the faces of an item.
    pub tags: Arc<[String]>,
    /// Where the item comes in its pack's syllabus, for ordering new cards.
    pub place: Place,
}

/// An item's place in the syllabus: its pack's position in the library, then its note's in
/// the pack's reading order (items without a note after every note), then its own position.
/// Positions are u32s, saturating: a catalog holds one per item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Place {
    pub pack: u32,
    pub topic: u32,
    pub seq: u32,
}

impl Place {
    fn new(pack: usize, topic: usize, seq: usize) -> Place {
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Place {
            pack: small(pack),
            topic: small(topic),
            seq: small(seq),
        }
    }
}

impl Entry {
    /// The face this entry is, rebuilt from its key.
    pub fn item(&self) -> ReviewItem {
        ReviewItem::of_side(self.key.pack(), self.key.item_id(), self.side)
    }

    pub fn is_question(&self) -> bool {
        self.side == Side::Question
    }

    pub fn in_scope(&self, scope: &Scope) -> bool {
        let pack_ok = scope.pack.as_deref().is_none_or(|p| p == self.key.pack());
        let topic_ok = scope.topic.as_deref().is_none_or(|t| {
            self.topic
                .as_deref()
                .is_some_and(|own| own == t || own.split_once(':').is_some_and(|(_, id)| id == t))
        });
        let tag_ok = scope
            .tag
            .as_deref()
            .is_none_or(|t| self.tags.iter().any(|x| x == t));
        pack_ok && topic_ok && tag_ok
    }
}

/// Every reviewable item of a library, in pack order, plus display names for grouping.
///
/// The items themselves never change once built and are shared between copies, so a copy (the
/// learner's progress keeps one with their enrolled questions and holds) costs only those.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    items: Arc<Items>,
    /// Questions the learner sent to review. Questions are exam material first, so only these
    /// are offered as new cards; the rest stay out of the queue.
    enrolled: HashSet<ItemKey>,
    /// Cards the learner suspended or buried (the store keeps the list).
    holds: HashMap<ItemKey, Hold>,
}

/// What a library's packs define: the part of a catalog every copy shares.
#[derive(Debug, Default)]
struct Items {
    entries: Vec<Entry>,
    /// Each entry's position by key, made on the pool as soon as the entries are (or by the
    /// first lookup, if that comes sooner). It holds positions only, hashed by the entries'
    /// keys, so the keys are not copied.
    index: OnceLock<KeyIndex>,
    /// Pack, `pack:note` and `pack:domain` ids to their display names.
    names: HashMap<String, String>,
    /// The keys an item's progress may be stored under from before a rename (its `aliases`).
    former: HashMap<ItemKey, Vec<ItemKey>>,
    /// The exam blueprints of the packs that have an exam, for exam plans.
    blueprints: Vec<Blueprint>,
}

/// Positions in the entries, hashed by each entry's key. A warm start's first lookup waits for
/// the whole index, so it uses foldhash rather than SipHash: several times faster on short
/// keys, and seeded at random per process, so a pack cannot aim its ids at one bucket.
#[derive(Debug, Default)]
struct KeyIndex {
    table: HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl KeyIndex {
    fn new(entries: &[Entry]) -> KeyIndex {
        let hasher = foldhash::fast::RandomState::default();
        let mut table = HashTable::with_capacity(entries.len());
        let key = |j: &u32| &entries[*j as usize].key;
        // Entries past u32::MAX are not indexed: no library comes near four billion items.
        for (i, e) in (0..u32::MAX).zip(entries) {
            let hash = hasher.hash_one(&e.key);
            match table.entry(hash, |j| *key(j) == e.key, |j| hasher.hash_one(key(j))) {
                // As a map collected from the entries would, the last of equal keys wins.
                Slot::Occupied(mut o) => *o.get_mut() = i,
                Slot::Vacant(v) => {
                    v.insert(i);
                }
            }
        }
        KeyIndex { table, hasher }
    }

    fn find<'e>(&self, entries: &'e [Entry], key: &ItemKey) -> Option<&'e Entry> {
        let hash = self.hasher.hash_one(key);
        let &i = self
            .table
            .find(hash, |&j| entries[j as usize].key == *key)?;
        entries.get(i as usize)
    }
}

/// A pack's exam: its domains and their weights, which an exam plan balances.
#[derive(Debug, Clone, PartialEq)]
pub struct Blueprint {
    pub pack: String,
    /// The exam's name, e.g. "SAA-C03 practice exam".
    pub exam: String,
    pub domains: Vec<BlueprintDomain>,
}

/// One domain of a [`Blueprint`].
#[derive(Debug, Clone, PartialEq)]
pub struct BlueprintDomain {
    /// `pack:domain`, as entries name their domain.
    pub id: String,
    pub name: String,
    /// Share of the exam in percent.
    pub weight: u32,
}

/// Items built from a pack are made on all cores, straight into the catalog's vector (an
/// indexed parallel iterator writes each one in its place): with thousands of cards this is
/// most of a warm start's catalog, and no worker holds a part of it to be copied after.
const PAR_ITEMS: usize = 1024;

impl Items {
    /// The entries of a pack's cards: which faces each card has is listed first, in order,
    /// then each face's entry is made.
    fn add_cards(&mut self, lib: &Library, topics: &[Vec<Topic>], pi: usize, pack: &Pack) {
        let mut faces: Vec<(u32, Side)> = Vec::with_capacity(pack.cards.len());
        // Cards past u32::MAX are not listed: no pack comes near four billion cards. Only the
        // cards' heads are read: a pack from its index keeps its cards encoded.
        for (ci, card) in (0..u32::MAX).zip(pack.cards.heads()) {
            each_side(&card.faces(), |side| {
                faces.push((ci, side));
                self.push_former(pack.id(), card.id, side, card.aliases);
            });
        }
        let base = self.entries.len();
        // The cards of a deck mostly name one note: its place is looked up once per run.
        type Last<'a> = Option<(&'a NoteRef, Option<(usize, usize)>)>;
        let entries = faces
            .par_iter()
            .enumerate()
            .with_min_len(PAR_ITEMS)
            .map_init(
                || Last::None,
                |last, (i, &(ci, side))| {
                    let card = pack.cards.head(ci as usize);
                    let place = card.note.and_then(|r| match *last {
                        Some((prev, place)) if prev == r => place,
                        _ => {
                            let place = lib.note_place(pack.id(), r);
                            *last = Some((r, place));
                            place
                        }
                    });
                    let topic = place.map(|(p, n)| &topics[p][n]);
                    let tags = match topic {
                        Some(t) if card.tags.is_empty() => t.tags.clone(),
                        _ => {
                            let own = card.tags.iter();
                            own.chain(topic.iter().flat_map(|t| t.tags.iter()))
                                .cloned()
                                .collect()
                        }
                    };
                    Entry {
                        key: key_of(pack.id(), card.id, side),
                        side,
                        topic: topic.map(|t| t.id.clone()),
                        domain: topic.and_then(|t| t.domain.clone()),
                        tags,
                        place: Place::new(pi, rank(topic), base + i),
                    }
                },
            );
        self.entries.par_extend(entries);
    }

    /// The entries of a pack's questions. A question's topic is the note it names by id, not
    /// one whose former id it is.
    fn add_questions(&mut self, lib: &Library, topics: &[Vec<Topic>], pi: usize, pack: &Pack) {
        for q in pack.questions.heads() {
            self.push_former(pack.id(), q.id, Side::Question, q.aliases);
        }
        // Questions share their domains' ids, and one empty tag list.
        let domain_id = |d: &str| Arc::<str>::from(format!("{}:{d}", pack.id()));
        let domains: HashMap<&str, Arc<str>> = (pack.manifest.domains.iter())
            .map(|d| (d.id.as_str(), domain_id(&d.id)))
            .collect();
        let no_tags: Arc<[String]> = Arc::from([]);
        let base = self.entries.len();
        let entries = (0..pack.questions.len())
            .into_par_iter()
            .with_min_len(PAR_ITEMS)
            .map(|i| {
                let q = pack.questions.head(i);
                let topic = q.note.and_then(|r| {
                    let (p, n) = lib.note_place(pack.id(), r)?;
                    (lib.packs[p].notes[n].id == r.id).then(|| &topics[p][n])
                });
                let domain = q.domain.map(|d| match domains.get(d) {
                    Some(id) => id.clone(),
                    None => domain_id(d),
                });
                let id = topic.map(|t| t.id.clone()).or_else(|| {
                    let r = q.note?;
                    Some(Arc::from(format!("{}:{}", r.pack_or(pack.id()), r.id)))
                });
                let tags = if q.tags.is_empty() {
                    no_tags.clone()
                } else {
                    Arc::from(q.tags)
                };
                Entry {
                    key: key_of(pack.id(), q.id, Side::Question),
                    side: Side::Question,
                    topic: id,
                    domain,
                    tags,
                    place: Place::new(pi, rank(topic), base + i),
                }
            });
        self.entries.par_extend(entries);
    }

    /// Records the keys face `side` of item `id` went by under its former ids (`aliases`).
    fn push_former(&mut self, pack: &str, id: &str, side: Side, aliases: &[String]) {
        if !aliases.is_empty() {
            let keys = aliases.iter().map(|a| key_of(pack, a, side)).collect();
            self.former.insert(key_of(pack, id, side), keys);
        }
    }
}

/// Where items of a topic of this rank come in their pack; items without a topic come last.
fn rank(topic: Option<&Topic>) -> usize {
    topic.map_or(usize::MAX, |t| t.rank)
}

/// What the items of one note share: worked out once per note rather than once per card.
struct Topic {
    id: Arc<str>,
    domain: Option<Arc<str>>,
    tags: Arc<[String]>,
    rank: usize,
}

/// Every note of the library, by pack and note as [`Library::note_place`] finds them, with
/// its place in its pack's reading order.
fn topics(lib: &Library) -> Vec<Vec<Topic>> {
    lib.packs
        .iter()
        .map(|p| {
            let mut ranks = vec![0; p.notes.len()];
            for (rank, at) in p.reading_places().into_iter().enumerate() {
                ranks[at] = rank;
            }
            p.notes
                .iter()
                .zip(ranks)
                .map(|(n, rank)| Topic {
                    id: Arc::from(format!("{}:{}", p.id(), n.id)),
                    domain: n
                        .domain
                        .as_ref()
                        .map(|d| Arc::from(format!("{}:{d}", p.id()))),
                    tags: Arc::from(n.tags.as_slice()),
                    rank,
                })
                .collect()
        })
        .collect()
}

impl Catalog {
    pub fn from_library(lib: &Library) -> Catalog {
        let mut cat = Items::default();
        // At least one face per card and question; reserving it saves regrowing the largest
        // allocation of a warm start.
        let items: usize = lib
            .packs
            .iter()
            .map(|p| p.cards.len() + p.questions.len())
            .sum();
        cat.entries.reserve(items);
        let topics = topics(lib);
        for (pi, pack) in lib.packs.iter().enumerate() {
            if let Some(exam) = &pack.manifest.exam {
                cat.blueprints.push(Blueprint {
                    pack: pack.id().to_string(),
                    exam: exam.name.clone(),
                    domains: pack
                        .manifest
                        .domains
                        .iter()
                        .map(|d| BlueprintDomain {
                            id: format!("{}:{}", pack.id(), d.id),
                            name: d.name.clone(),
                            weight: d.weight.unwrap_or(0),
                        })
                        .collect(),
                });
            }
            cat.names
                .insert(pack.id().to_string(), pack.manifest.name.clone());
            for d in &pack.manifest.domains {
                cat.names
                    .insert(format!("{}:{}", pack.id(), d.id), d.name.clone());
            }
            for n in &pack.notes {
                cat.names
                    .insert(format!("{}:{}", pack.id(), n.id), n.title.clone());
            }
            cat.add_cards(lib, &topics, pi, pack);
            cat.add_questions(lib, &topics, pi, pack);
        }
        let items = Arc::new(cat);
        // The key index is made on the pool at once: the review screen looks its first card up
        // while the store opens, and would otherwise wait for the whole index then.
        let ahead = Arc::clone(&items);
        rayon::spawn(move || {
            ahead.index.get_or_init(|| KeyIndex::new(&ahead.entries));
        });
        Catalog {
            items,
            ..Catalog::default()
        }
    }

    /// An entry's progress: its own state, or, for an item that was renamed and not reviewed
    /// since, the latest state stored under one of its former ids. Rows are never rewritten:
    /// the first answer under the new id starts from the carried-over state.
    pub fn state<'s>(
        &self,
        entry: &Entry,
        states: &'s HashMap<ItemKey, CardState>,
    ) -> Option<&'s CardState> {
        states.get(&entry.key).or_else(|| {
            self.items
                .former
                .get(&entry.key)?
                .iter()
                .filter_map(|k| states.get(k))
                .max_by_key(|s| s.last_review)
        })
    }

    /// Every former key of the loaded items with the key it now goes by, for replays.
    pub fn renames(&self) -> Renames {
        Renames::new(self.items.former.iter().flat_map(|(current, formers)| {
            formers.iter().map(move |f| (f.clone(), current.clone()))
        }))
    }

    /// Marks questions as sent to review (the store keeps the list), so they join the queue
    /// as new cards.
    pub fn enroll(&mut self, keys: impl IntoIterator<Item = ItemKey>) {
        self.enrolled.extend(keys);
    }

    /// Puts a card on hold, or (with `None`) releases it.
    pub fn set_hold(&mut self, key: ItemKey, hold: Option<Hold>) {
        match hold {
            Some(h) => self.holds.insert(key, h),
            None => self.holds.remove(&key),
        };
    }

    /// The card's hold, whether or not it still applies.
    pub fn hold(&self, key: &ItemKey) -> Option<Hold> {
        self.holds.get(key).copied()
    }

    /// Whether the entry is suspended, or buried until later than `now`: such a card stays out
    /// of the queue and the due counts.
    pub fn is_held(&self, entry: &Entry, now: Timestamp) -> bool {
        self.holds.get(&entry.key).is_some_and(|h| h.applies(now))
    }

    /// Whether an item with no review yet is offered: every card face, and the questions sent
    /// to review.
    pub fn offers_new(&self, entry: &Entry) -> bool {
        !entry.is_question() || self.is_missed(entry)
    }

    /// Whether the item is a question the learner sent to review (a missed exam question),
    /// under its id or a former one. Such a question is due at once, as a learning card.
    pub fn is_missed(&self, entry: &Entry) -> bool {
        let enrolled = |k: &ItemKey| self.enrolled.contains(k);
        entry.is_question()
            && (enrolled(&entry.key)
                || self
                    .items
                    .former
                    .get(&entry.key)
                    .is_some_and(|keys| keys.iter().any(enrolled)))
    }

    /// The exam blueprint of `pack`, if the pack is loaded and has an exam.
    pub fn blueprint(&self, pack: &str) -> Option<&Blueprint> {
        self.items.blueprints.iter().find(|b| b.pack == pack)
    }

    /// Every loaded pack's exam blueprint.
    pub fn blueprints(&self) -> &[Blueprint] {
        &self.items.blueprints
    }

    pub fn get(&self, key: &ItemKey) -> Option<&Entry> {
        let entries = &self.items.entries;
        let index = self.items.index.get_or_init(|| KeyIndex::new(entries));
        index.find(entries, key)
    }

    pub fn entries(&self) -> &[Entry] {
        &self.items.entries
    }

    pub fn len(&self) -> usize {
        self.items.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.entries.is_empty()
    }

    /// The display name of a pack, `pack:note` or `pack:domain` id, or the id itself.
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.items.names.get(id).map_or(id, String::as_str)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::content::{Choice, Manifest, Note, Origin, Text};

    fn card(id: &str, kind: CardKind, note: Option<&str>) -> Card {
        Card {
            id: id.into(),
            kind,
            extra: None,
            tags: vec!["t".into()],
            note: note.map(NoteRef::parse),
            source: None,
            aliases: Vec::new(),
        }
    }

    /// A small pack: a basic card, a reverse card, a two-deletion cloze and a question.
    pub(crate) fn library() -> Library {
        let note = Note {
            id: "caching".into(),
            title: "Caching".into(),
            summary: String::new(),
            tags: vec!["perf".into()],
            domain: Some("design".into()),
            related: vec![],
            lab: None,
            order: None,
            aliases: Vec::new(),
            body: Text::default(),
            path: "notes/caching.md".into(),
        };
        let basic = |reverse| CardKind::Basic {
            front: "F".into(),
            back: "B".into(),
            reverse,
        };
        let pack = Pack {
            manifest: Manifest {
                id: "sd".into(),
                name: "System Design".into(),
                version: semver::Version::new(1, 0, 0),
                description: String::new(),
                authors: vec![],
                license: String::new(),
                requires: Vec::new(),
                exam: None,
                domains: vec![],
            },
            origin: Origin::Builtin,
            notes: vec![note],
            cards: vec![
                card("a", basic(false), Some("caching")),
                card("b", basic(true), None),
                card(
                    "c",
                    CardKind::Cloze {
                        text: "{{c1::x::hint}} and {{c2::y}}".into(),
                    },
                    Some("caching"),
                ),
            ]
            .into(),
            questions: vec![Question {
                id: "q".into(),
                domain: Some("design".into()),
                difficulty: None,
                stem: "Stem?".into(),
                explanation: "Because.".into(),
                tags: vec![],
                note: None,
                choices: vec![
                    Choice {
                        text: "yes".into(),
                        correct: true,
                        why: None,
                    },
                    Choice {
                        text: "no".into(),
                        correct: false,
                        why: None,
                    },
                ],
                exam: None,
                source: None,
                aliases: Vec::new(),
                lab: None,
            }]
            .into(),
        };
        Library {
            packs: vec![pack],
            ..Library::default()
        }
    }

    /// A pack large enough that its entries are made in parts on several threads: every
    /// entry must still come in the order the items are written, with its place counting
    /// from the pack's first item, and its note's topic, domain and tags.
    #[test]
    fn a_large_pack_keeps_its_written_order_and_places() {
        let mut lib = library();
        let pack = &mut lib.packs[0];
        pack.manifest.domains = vec![crate::content::Domain {
            id: "design".into(),
            name: "Design".into(),
            weight: None,
        }];
        pack.cards = (0..3000)
            .map(|i| {
                let kind = CardKind::Basic {
                    front: "F".into(),
                    back: "B".into(),
                    reverse: i % 4 == 0,
                };
                let mut c = card(&format!("k{i}"), kind, (i % 2 == 0).then_some("caching"));
                if i == 2500 {
                    c.aliases = vec!["old-2500".into()];
                }
                c
            })
            .collect();
        let question = pack.questions[0].clone();
        pack.questions = (0..1500)
            .map(|j| Question {
                id: format!("q{j}").into(),
                domain: (j % 2 == 0).then(|| "design".into()),
                tags: if j % 7 == 0 { vec!["x".into()] } else { vec![] },
                ..question.clone()
            })
            .collect();
        let cat = Catalog::from_library(&lib);

        // What each entry should be, item by item as written: key, topic, domain, tags and
        // the rank of its topic.
        type Want<'a> = (String, Option<&'a str>, Option<&'a str>, Vec<&'a str>, u32);
        let mut expected: Vec<Want> = vec![];
        for i in 0..3000 {
            let noted = i % 2 == 0;
            let (topic, domain) = if noted {
                (Some("sd:caching"), Some("sd:design"))
            } else {
                (None, None)
            };
            let tags = if noted { vec!["t", "perf"] } else { vec!["t"] };
            let rank = if noted { 0 } else { u32::MAX };
            expected.push((format!("sd/k{i}"), topic, domain, tags.clone(), rank));
            if i % 4 == 0 {
                expected.push((format!("sd/k{i}#reverse"), topic, domain, tags, rank));
            }
        }
        for j in 0..1500 {
            let domain = (j % 2 == 0).then_some("sd:design");
            let tags = if j % 7 == 0 { vec!["x"] } else { vec![] };
            expected.push((format!("sd/q{j}"), None, domain, tags, u32::MAX));
        }
        assert_eq!(cat.entries().len(), expected.len());
        for (seq, (e, want)) in (0u32..).zip(cat.entries().iter().zip(&expected)) {
            let got = (
                e.key.as_str().to_string(),
                e.topic.as_deref(),
                e.domain.as_deref(),
                e.tags.iter().map(String::as_str).collect::<Vec<_>>(),
                e.place.topic,
            );
            assert_eq!(&got, want, "entry {seq}");
            assert_eq!(
                e.place,
                Place {
                    pack: 0,
                    topic: want.4,
                    seq
                }
            );
        }
        let renames = cat.renames();
        let pairs: Vec<(&str, &str)> = renames
            .pairs()
            .map(|(f, c)| (f.as_str(), c.as_str()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(
            pairs,
            [
                ("sd/old-2500", "sd/k2500"),
                ("sd/old-2500#reverse", "sd/k2500#reverse")
            ]
        );
    }

    #[test]
    fn keys_follow_the_pack_format() {
        let cat = Catalog::from_library(&library());
        let keys: Vec<&str> = cat.entries().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            ["sd/a", "sd/b", "sd/b#reverse", "sd/c#c1", "sd/c#c2", "sd/q"]
        );
        let k = ItemKey::new("sd/c#c2");
        assert_eq!(
            (k.pack(), k.sibling_group(), k.item_id()),
            ("sd", "sd/c", "c")
        );
        assert_eq!(ItemKey::new("sd/b").item_id(), "b");
        let e = cat.get(&ItemKey::new("sd/a")).unwrap();
        assert_eq!(e.topic.as_deref(), Some("sd:caching"));
        assert_eq!(e.domain.as_deref(), Some("sd:design"));
        assert_eq!(*e.tags, ["t", "perf"]);
        assert_eq!(cat.name("sd:caching"), "Caching");
    }

    #[test]
    fn each_entry_gives_back_its_face_and_is_found_by_its_key() {
        let cat = Catalog::from_library(&library());
        let (p, c) = (CompactString::new("sd"), CompactString::new("c"));
        let expected = [
            ReviewItem::Card {
                pack: p.clone(),
                card: CompactString::new("a"),
            },
            ReviewItem::Card {
                pack: p.clone(),
                card: CompactString::new("b"),
            },
            ReviewItem::Reverse {
                pack: p.clone(),
                card: CompactString::new("b"),
            },
            ReviewItem::Cloze {
                pack: p.clone(),
                card: c.clone(),
                number: 1,
            },
            ReviewItem::Cloze {
                pack: p.clone(),
                card: c,
                number: 2,
            },
            ReviewItem::Question {
                pack: p,
                question: CompactString::new("q"),
            },
        ];
        let items: Vec<ReviewItem> = cat.entries().iter().map(Entry::item).collect();
        assert_eq!(items, expected);
        for e in cat.entries() {
            assert!(std::ptr::eq(cat.get(&e.key).unwrap(), e), "{}", e.key);
            assert_eq!(e.is_question(), e.key.as_str() == "sd/q");
        }
        assert!(cat.get(&ItemKey::new("sd/c#c3")).is_none());
        assert!(cat.get(&ItemKey::new("other/a")).is_none());
    }

    #[test]
    fn faces_read_the_library() {
        let lib = library();
        let cat = Catalog::from_library(&lib);
        let face = |k: &str| {
            cat.get(&ItemKey::new(k))
                .unwrap()
                .item()
                .face(&lib)
                .unwrap()
        };
        assert_eq!(face("sd/b#reverse").front, "B");
        let c1 = face("sd/c#c1");
        assert_eq!(c1.front, "[hint] and y");
        assert_eq!(c1.back, "**x** and y");
        assert_eq!(c1.note, Some(("sd".into(), "caching".into())));
        let q = face("sd/q");
        assert!(
            q.front.contains("A. yes") && q.back == "**A. yes**",
            "{q:?}"
        );
        let gone = ReviewItem::Card {
            pack: "sd".into(),
            card: "deleted".into(),
        };
        assert_eq!(gone.face(&lib), None);
    }

    #[test]
    fn scopes_match_pack_topic_and_tag() {
        let cat = Catalog::from_library(&library());
        let count = |s: Scope| cat.entries().iter().filter(|e| e.in_scope(&s)).count();
        assert_eq!(count(Scope::default()), 6);
        let topic = |t: &str| Scope {
            topic: Some(t.into()),
            ..Scope::default()
        };
        assert_eq!(count(topic("caching")), 3);
        assert_eq!(count(topic("sd:caching")), 3);
        let tag = Scope {
            tag: Some("perf".into()),
            ..Scope::default()
        };
        assert_eq!(count(tag), 3);
        let other = Scope {
            pack: Some("aws".into()),
            ..Scope::default()
        };
        assert_eq!(count(other), 0);
    }
}
