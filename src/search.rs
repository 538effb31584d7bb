//! The fuzzy finder's index: note titles, headings, note text, cards and questions of every
//! loaded pack, matched with `fuzzy-matcher`'s skim scoring.
//!
//! Typing must stay instant on large packs. The results are chosen with skim's simple
//! algorithm, each entry scored on the one window it is meant to score, found with byte
//! searches ([`span`]), and only the entries whose bound could enter the results scored; a
//! query that extends the previous one only searches the previous survivors (a fuzzy match
//! of `abcd` implies one of `abc`). Only the chosen results are scored by skim's full
//! algorithm, which orders them and marks the matched characters. In the app,
//! queries run on a worker thread ([`Searcher::worker`]) that builds the index on the first
//! query and always answers the latest one: the screen never waits for a search.

use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::{SkimMatcherV2, SkimScoreConfig};
use rayon::prelude::*;

use crate::content::markdown::{Block, Document, plain_text};
use crate::content::{CardKind, Library, cloze};

mod span;

/// Longest text indexed for one entry: matching cost grows with length, and the list shows
/// one line anyway.
const MAX_HAYSTACK: usize = 160;

/// How many kinds there are, for sorting by kind: `Text` is the last.
const KINDS: usize = Kind::Text as usize + 1;

/// In the order results of equal score rank in; keep `Text` last (see [`KINDS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Note,
    Heading,
    Card,
    Question,
    Text,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Note => "note",
            Kind::Heading => "heading",
            Kind::Card => "card",
            Kind::Question => "question",
            Kind::Text => "text",
        }
    }
}

/// What opening a result shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A note, optionally scrolled to the first line containing `anchor`.
    Note {
        pack: String,
        id: String,
        anchor: Option<String>,
    },
    Card {
        pack: String,
        id: String,
    },
    Question {
        pack: String,
        id: String,
    },
}

impl Target {
    /// The topic the result belongs to, as (pack, note): a note's own, or the note a card or
    /// question names.
    pub fn topic(&self, lib: &Library) -> Option<(String, String)> {
        let (pack, note) = match self {
            Target::Note { pack, id, .. } => return Some((pack.clone(), id.clone())),
            Target::Card { pack, id } => {
                let card = lib.pack(pack)?.cards.heads().find(|c| c.id == id)?;
                (pack, card.note?)
            }
            Target::Question { pack, id } => {
                let q = lib.pack(pack)?.questions.heads().find(|q| q.id == id)?;
                (pack, q.note?)
            }
        };
        Some((note.pack_or(pack).to_string(), note.id.to_string()))
    }
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: Kind,
    pub pack: String,
    /// The matched and displayed text.
    pub text: String,
    /// Where it lives, e.g. the note title of a heading.
    pub context: String,
    pub target: Target,
}

/// One result: the entry, its score, and the char positions in `text` that matched.
#[derive(Debug, Clone)]
pub struct Hit {
    pub entry: usize,
    pub score: i64,
    pub positions: Vec<usize>,
}

pub struct Index {
    entries: Vec<Entry>,
    /// The set of ASCII letters and digits in each entry's text, so most entries are rejected
    /// by a bit test before any scan.
    masks: Vec<u64>,
    /// Every entry's text end to end, in entry order, and where each one ends: a keystroke
    /// scans tens of thousands of texts, and reads them in order from one block rather than
    /// each from an allocation of its own.
    texts: String,
    ends: Vec<u32>,
    kinds: Vec<Kind>,
    /// Skim's simple algorithm, which chooses the results.
    matcher: SkimMatcherV2,
    /// Skim's full algorithm, which orders the chosen results and marks their matches: it
    /// weighs each character by the one really before it, where the simple algorithm gives
    /// every window's first character a word-start bonus.
    ranker: SkimMatcherV2,
    /// The most a window of a given length can score ([`Bound`]).
    bound: Bound,
    /// The last query and the entries it fits, for incremental narrowing.
    last: Option<(String, Vec<Fit>)>,
}

/// An entry to match, and where the match of the query's start ended in it, if known.
type Candidate = (u32, Option<u16>);

/// An entry the query fits: where its greedy match ends (unless not looked for yet), and
/// the most its window can score. Small, since a keystroke makes one per fitting entry:
/// texts are clipped to [`MAX_HAYSTACK`] characters, so an end fits in 16 bits.
#[derive(Debug, Clone, Copy)]
struct Fit {
    entry: u32,
    end: Option<u16>,
    bound: i32,
}

impl Fit {
    fn candidate(&self) -> Candidate {
        (self.entry, self.end)
    }
}

/// Entries are scored in chunks, best bound first, until no later one can enter the results;
/// the chunks start at twice the results asked for and double up to this many.
const CHUNK: usize = 4096;

/// The highest score skim's simple algorithm can give a window, from its scoring rule: each
/// matched character earns the match score and at most the largest bonus; each unmatched
/// one costs a gap extension, and a gap's start costs more. A match right after a gap earns
/// no bonus at all, and some matches are sure to come after one. A one-character query
/// scores only the bonus of where it matched.
#[derive(Debug, Clone, Copy)]
struct Bound {
    per_match: i64,
    best_bonus: i64,
    gap_start: i64,
    gap_extension: i64,
}

impl Bound {
    fn new(c: &SkimScoreConfig) -> Bound {
        let best_bonus = [
            c.bonus_head,
            c.bonus_break,
            c.bonus_camel,
            c.bonus_consecutive,
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        Bound {
            per_match: i64::from(c.score_match + best_bonus),
            best_bonus: i64::from(best_bonus),
            gap_start: i64::from(c.gap_start),
            gap_extension: i64::from(c.gap_extension),
        }
    }

    /// For a query of `m` characters matched in a window of `len` characters, `after_gaps`
    /// of them known to come right after a gap (see [`span::matches_after_gaps`]); a window
    /// with gaps has at least one.
    fn of(self, m: i64, len: i64, after_gaps: i64) -> i64 {
        if m == 1 {
            return self.best_bonus;
        }
        let gaps = len - m;
        let after_gaps = after_gaps.max(i64::from(gaps > 0));
        m * self.per_match + gaps * self.gap_extension + if gaps > 0 { self.gap_start } else { 0 }
            - after_gaps * self.best_bonus
    }
}

/// One bit per ASCII letter (either case) or digit present.
fn char_mask(text: &str) -> u64 {
    text.bytes().fold(0, |m, b| match b.to_ascii_lowercase() {
        b @ b'a'..=b'z' => m | 1 << (b - b'a'),
        b @ b'0'..=b'9' => m | 1 << (26 + b - b'0'),
        _ => m,
    })
}

fn clip(text: &str) -> String {
    let one_line = crate::words::one_line(text);
    match one_line.char_indices().nth(MAX_HAYSTACK) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

/// Headings and paragraph-sized chunks of a note body, as the reader shows them: Markdown
/// parsed, so a result reads "Consistent hashing maps keys" rather than `**Consistent hashing**`,
/// and the reader finds the same words when it scrolls to the result.
fn note_parts(body: &str) -> (Vec<String>, Vec<String>) {
    let (mut headings, mut text) = (Vec::new(), Vec::new());
    collect_parts(&Document::parse(body).blocks, &mut headings, &mut text);
    (headings, text)
}

/// Walks blocks into headings and prose; code, tables and rules are not prose to search.
fn collect_parts(blocks: &[Block], headings: &mut Vec<String>, text: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Heading { content, .. } => headings.push(plain_text(content)),
            Block::Paragraph(inlines) => {
                let plain = plain_text(inlines);
                if plain.len() > 20 {
                    text.extend(chunks(&plain));
                }
            }
            Block::List(list) => {
                for item in &list.items {
                    collect_parts(&item.blocks, headings, text);
                }
            }
            Block::Quote(inner) => collect_parts(inner, headings, text),
            Block::Code { .. } | Block::Rule | Block::Table(_) => {}
        }
    }
}

impl Index {
    pub fn build(lib: &Library) -> Index {
        let mut entries = Vec::new();
        for pack in &lib.packs {
            let pid = pack.id().to_string();
            for note in &pack.notes {
                let target = |anchor: Option<String>| Target::Note {
                    pack: pid.clone(),
                    id: note.id.to_string(),
                    anchor,
                };
                entries.push(Entry {
                    kind: Kind::Note,
                    pack: pid.clone(),
                    text: clip(&note.title),
                    context: clip(&note.summary),
                    target: target(None),
                });
                let (headings, text) = note_parts(&note.body);
                for h in headings.into_iter().skip(1) {
                    entries.push(Entry {
                        kind: Kind::Heading,
                        pack: pid.clone(),
                        text: clip(&h),
                        context: note.title.clone(),
                        target: target(Some(h)),
                    });
                }
                for t in text {
                    let anchor = t.chars().take(40).collect::<String>();
                    entries.push(Entry {
                        kind: Kind::Text,
                        pack: pid.clone(),
                        text: clip(&t),
                        context: note.title.clone(),
                        target: target(Some(anchor)),
                    });
                }
            }
            for card in &pack.cards {
                let text = match &card.kind {
                    CardKind::Basic { front, .. } => front.to_string(),
                    CardKind::Cloze { text } => match cloze::parse(text) {
                        Ok(d) => cloze::back(text, &d, 0),
                        Err(_) => text.to_string(),
                    },
                };
                entries.push(Entry {
                    kind: Kind::Card,
                    pack: pid.clone(),
                    text: clip(&text),
                    context: card
                        .note
                        .as_ref()
                        .map(std::string::ToString::to_string)
                        .unwrap_or_default(),
                    target: Target::Card {
                        pack: pid.clone(),
                        id: card.id.to_string(),
                    },
                });
            }
            for q in &pack.questions {
                entries.push(Entry {
                    kind: Kind::Question,
                    pack: pid.clone(),
                    text: clip(&q.stem),
                    context: q.domain.clone().unwrap_or_default(),
                    target: Target::Question {
                        pack: pid.clone(),
                        id: q.id.to_string(),
                    },
                });
            }
        }
        let mut texts = String::new();
        let mut ends = Vec::with_capacity(entries.len());
        for e in &entries {
            texts.push_str(&e.text);
            // Texts are clipped to MAX_HAYSTACK characters: four billion bytes is out of reach.
            ends.push(u32::try_from(texts.len()).unwrap_or(u32::MAX));
        }
        Index {
            masks: entries.iter().map(|e| char_mask(&e.text)).collect(),
            kinds: entries.iter().map(|e| e.kind).collect(),
            texts,
            ends,
            entries,
            // An element limit of 1 selects skim's simple algorithm for every entry: a
            // greedy match scored on one window (what fzf calls v1), linear in the entry
            // where the full one fills a matrix; `span` finds that window.
            matcher: SkimMatcherV2::default().ignore_case().element_limit(1),
            ranker: SkimMatcherV2::default().ignore_case(),
            bound: Bound::new(&SkimScoreConfig::default()),
            last: None,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The candidates the query fits, with their bounds, found on all cores; they keep the
    /// candidates' order. Each candidate is an entry and the byte its match of the query's
    /// start ended at, if known; `rest` is the part of the query after that start.
    ///
    /// A one-letter or one-digit query fits wherever the entry's mask has it, and every
    /// window of one character has the same bound, so the first keystroke reads no text:
    /// only the fits that get scored are searched.
    fn fits(
        &self,
        candidates: impl IndexedParallelIterator<Item = Candidate>,
        query: &str,
        rest: &str,
    ) -> Vec<Fit> {
        let wanted = char_mask(query);
        let m = query.chars().count() as i64;
        let masked = m == 1 && query.chars().all(|c| c.is_ascii_alphanumeric());
        let bound = |kind, m, len, after_gaps| {
            // Bounds are a few hundred at most.
            (self.bound.of(m, len, after_gaps) + kind_bonus(kind)) as i32
        };
        candidates
            .with_min_len(2048)
            .filter_map(|(entry, from)| {
                let i = entry as usize;
                if wanted & !self.masks[i] != 0 {
                    return None;
                }
                let (text, kind) = (self.text(i), self.kinds[i]);
                if masked {
                    return Some(Fit {
                        entry,
                        end: None,
                        bound: bound(kind, 1, 1, 0),
                    });
                }
                let end = match from {
                    Some(from) => span::forward(text, rest, usize::from(from))?,
                    None => span::forward(text, query, 0)?,
                };
                let window = &text[span::window_ending(text, query, end)?];
                let after_gaps = span::matches_after_gaps(window, query);
                let len = window.chars().count() as i64;
                Some(Fit {
                    entry,
                    // Never out of range (see `Fit`); if it were, it is found again.
                    end: u16::try_from(end).ok(),
                    bound: bound(kind, m, len, after_gaps),
                })
            })
            .collect()
    }

    /// Every entry, as a candidate for a query not narrowed from the last one.
    fn every_entry(&self) -> impl IndexedParallelIterator<Item = Candidate> {
        // Entries are counted from a list built in memory: far fewer than four billion.
        (0..self.entries.len() as u32)
            .into_par_iter()
            .map(|i| (i, Some(0)))
    }

    /// Skim's score of `query` on entry `i`'s window, with the entry's kind bonus.
    fn score(&self, fit: &Fit, query: &str) -> Option<(usize, i64)> {
        let i = fit.entry as usize;
        let text = self.text(i);
        let end = fit
            .end
            .map(usize::from)
            .or_else(|| span::forward(text, query, 0))?;
        let window = span::window_ending(text, query, end)?;
        let score = self.matcher.fuzzy_match(&text[window], query)?;
        Some((i, score + kind_bonus(self.kinds[i])))
    }

    /// The order results rank in, for (entry, score) pairs: higher scores first, then by
    /// kind (in the order `Kind` lists them), then in entry order.
    fn rank(&self, (a, a_score): (usize, i64), (b, b_score): (usize, i64)) -> Ordering {
        b_score
            .cmp(&a_score)
            .then(self.kinds[a].cmp(&self.kinds[b]))
            .then(a.cmp(&b))
    }

    /// Entry `i`'s text, from the block of all of them.
    #[inline]
    fn text(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j] as usize);
        &self.texts[start..self.ends[i] as usize]
    }

    /// The `limit` best fits, best first. Fits are scored in order of their bounds (equal
    /// bounds in the order results rank in) and the scoring stops once the worst result kept
    /// ranks above the next fit even if that one scored its bound: the result is the same as
    /// scoring every fit, at a fraction of the cost when many fit.
    fn best(&self, fits: &[Fit], query: &str, limit: usize, chunk_max: usize) -> Vec<(usize, i64)> {
        let by_rank = |a: &(usize, i64), b: &(usize, i64)| self.rank(*a, *b);
        let mut top: Vec<(usize, i64)> = Vec::with_capacity(limit + chunk_max);
        let order = by_bound(fits, &self.kinds);
        let mut rest = order.as_slice();
        let mut size = chunk_max.min(limit.max(1) * 2);
        while !rest.is_empty() {
            let (chunk, after) = rest.split_at(size.min(rest.len()));
            (rest, size) = (after, (size * 2).min(chunk_max));
            let next = &fits[chunk[0] as usize];
            let best_next = (next.entry as usize, i64::from(next.bound));
            if limit == 0 || top.len() == limit && by_rank(&top[limit - 1], &best_next).is_lt() {
                break;
            }
            top.par_extend(
                chunk
                    .par_iter()
                    .filter_map(|&k| self.score(&fits[k as usize], query)),
            );
            if top.len() > limit {
                top.select_nth_unstable_by(limit, by_rank);
                top.truncate(limit);
            }
            top.sort_by(by_rank);
        }
        top
    }

    /// The best `limit` results for a query, best first. An empty query lists notes.
    pub fn query(&mut self, query: &str, limit: usize) -> Vec<Hit> {
        let query = query.trim();
        if query.is_empty() {
            self.last = None;
            return self
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == Kind::Note)
                .take(limit)
                .map(|(i, _)| Hit {
                    entry: i,
                    score: 0,
                    positions: Vec::new(),
                })
                .collect();
        }
        let fits = match self.last.take() {
            Some((prev, survivors)) if query.starts_with(prev.as_str()) => self.fits(
                survivors.par_iter().map(Fit::candidate),
                query,
                &query[prev.len()..],
            ),
            _ => self.fits(self.every_entry(), query, query),
        };
        let top = self.best(&fits, query, limit, CHUNK);
        self.last = Some((query.to_string(), fits));
        let mut hits: Vec<Hit> = top
            .into_par_iter()
            .filter_map(|(i, _)| {
                let e = &self.entries[i];
                let (score, positions) = self.ranker.fuzzy_indices(&e.text, query)?;
                Some(Hit {
                    entry: i,
                    score: score + kind_bonus(e.kind),
                    positions,
                })
            })
            .collect();
        hits.sort_by(|a, b| self.rank((a.entry, a.score), (b.entry, b.score)));
        hits
    }
}

/// One result ready to draw: a copy of its entry and the char positions that matched.
#[derive(Debug, Clone)]
pub struct Found {
    pub entry: Entry,
    pub score: i64,
    pub positions: Vec<usize>,
}

/// The answer to one query.
#[derive(Debug, Clone)]
pub struct Results {
    pub query: String,
    pub found: Vec<Found>,
    /// Entries searched, for "N of M".
    pub total: usize,
}

impl Index {
    /// The best `limit` results for a query, with their entries, ready to send to the screen.
    pub fn results(&mut self, query: &str, limit: usize) -> Results {
        let hits = self.query(query, limit);
        Results {
            query: query.to_string(),
            found: hits
                .into_iter()
                .map(|h| Found {
                    entry: self.entries[h.entry].clone(),
                    score: h.score,
                    positions: h.positions,
                })
                .collect(),
            total: self.len(),
        }
    }
}

/// A query for the worker, numbered so that answers to superseded ones can be told apart.
struct Request {
    serial: u64,
    query: String,
    limit: usize,
}

/// Runs the finder's queries: on a worker thread in the app, inline in tests and snapshots
/// (where every answer must be there when the next frame is drawn).
pub struct Searcher {
    mode: Mode,
    /// The serial number of the latest request.
    latest: Cell<u64>,
}

enum Mode {
    Inline {
        library: Arc<Library>,
        /// Boxed: the matcher makes an index large.
        index: RefCell<Option<Box<Index>>>,
        ready: RefCell<Option<Results>>,
    },
    Worker {
        requests: Sender<Request>,
        answers: Receiver<(u64, Results)>,
    },
}

impl Searcher {
    /// Answers each request at once, on the caller's thread.
    pub fn inline(library: Arc<Library>) -> Searcher {
        Searcher {
            mode: Mode::Inline {
                library,
                index: RefCell::new(None),
                ready: RefCell::new(None),
            },
            latest: Cell::new(0),
        }
    }

    /// Answers requests on a thread of its own, which ends when the searcher is dropped. The
    /// index is built there on the first request, so opening the app costs nothing for it.
    pub fn worker(library: Arc<Library>) -> Searcher {
        let (requests, inbox) = channel::<Request>();
        let (outbox, answers) = channel();
        let lib = library.clone();
        let spawned = std::thread::Builder::new()
            .name("finder".to_string())
            .spawn(move || {
                let mut index: Option<Index> = None;
                while let Ok(mut request) = inbox.recv() {
                    // Latest query wins: whatever was typed meanwhile supersedes this one.
                    while let Ok(newer) = inbox.try_recv() {
                        request = newer;
                    }
                    let index = index.get_or_insert_with(|| Index::build(&lib));
                    let results = index.results(&request.query, request.limit);
                    if outbox.send((request.serial, results)).is_err() {
                        break;
                    }
                }
            });
        match spawned {
            Ok(_) => Searcher {
                mode: Mode::Worker { requests, answers },
                latest: Cell::new(0),
            },
            // No thread to be had: search inline, slower but correct.
            Err(_) => Searcher::inline(library),
        }
    }

    /// Asks for the results of `query`; the answer to any earlier request will be dropped.
    pub fn request(&self, query: &str, limit: usize) {
        let serial = self.latest.get() + 1;
        self.latest.set(serial);
        match &self.mode {
            Mode::Inline {
                library,
                index,
                ready,
            } => {
                let mut index = index.borrow_mut();
                let index = index.get_or_insert_with(|| Box::new(Index::build(library)));
                *ready.borrow_mut() = Some(index.results(query, limit));
            }
            Mode::Worker { requests, .. } => {
                let request = Request {
                    serial,
                    query: query.to_string(),
                    limit,
                };
                let _ = requests.send(request);
            }
        }
    }

    /// The answer to the latest request, once it is ready.
    pub fn poll(&self) -> Option<Results> {
        match &self.mode {
            Mode::Inline { ready, .. } => ready.borrow_mut().take(),
            Mode::Worker { answers, .. } => {
                let mut newest = None;
                while let Ok((serial, results)) = answers.try_recv() {
                    if serial == self.latest.get() {
                        newest = Some(results);
                    }
                }
                newest
            }
        }
    }

    /// Waits (at most `limit`) for the answer to the latest request: for opening a result
    /// the learner chose while the list was still catching up with the query.
    pub fn wait(&self, limit: std::time::Duration) -> Option<Results> {
        match &self.mode {
            Mode::Inline { .. } => self.poll(),
            Mode::Worker { answers, .. } => {
                let deadline = std::time::Instant::now() + limit;
                loop {
                    let left = deadline.saturating_duration_since(std::time::Instant::now());
                    match answers.recv_timeout(left) {
                        Ok((serial, results)) if serial == self.latest.get() => {
                            return Some(results);
                        }
                        Ok(_) => {}
                        Err(_) => return None,
                    }
                }
            }
        }
    }
}

/// A paragraph in pieces that each fit in [`MAX_HAYSTACK`], cut after whole sentences where
/// possible (else between words), so every part of a long paragraph can be found and each
/// piece starts at words the reader can scroll to.
fn chunks(paragraph: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut piece = String::new();
    let mut flush = |piece: &mut String| {
        if !piece.is_empty() {
            out.push(std::mem::take(piece));
        }
    };
    for sentence in paragraph.split_inclusive(". ") {
        for word in sentence.split_inclusive(' ') {
            if piece.chars().count() + word.chars().count() > MAX_HAYSTACK {
                flush(&mut piece);
            }
            piece.push_str(word);
        }
        if piece.chars().count() > MAX_HAYSTACK / 2 {
            flush(&mut piece);
        }
    }
    flush(&mut piece);
    out.into_iter().map(|p| p.trim_end().to_string()).collect()
}

/// Indices of `fits`, highest bound first, and within a bound in the order results rank in
/// (by kind, then entry): a counting sort, since bounds span a few hundred values.
fn by_bound(fits: &[Fit], kinds: &[Kind]) -> Vec<u32> {
    let (Some(lo), Some(hi)) = (
        fits.iter().map(|f| f.bound).min(),
        fits.iter().map(|f| f.bound).max(),
    ) else {
        return Vec::new();
    };
    // Fits are in entry order, and keep it within a slot.
    let slot = |f: &Fit| (hi - f.bound) as usize * KINDS + kinds[f.entry as usize] as usize;
    let mut next = vec![0usize; (hi - lo) as usize * KINDS + KINDS];
    for f in fits {
        next[slot(f)] += 1;
    }
    let mut sum = 0;
    for n in &mut next {
        (*n, sum) = (sum, sum + *n);
    }
    let mut order = vec![0u32; fits.len()];
    for (k, f) in fits.iter().enumerate() {
        let at = &mut next[slot(f)];
        order[*at] = k as u32;
        *at += 1;
    }
    order
}

/// Titles rank above body text when the match quality is similar.
fn kind_bonus(kind: Kind) -> i64 {
    match kind {
        Kind::Note => 30,
        Kind::Heading => 15,
        Kind::Card | Kind::Question => 5,
        Kind::Text => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::LoadOptions;

    fn builtin() -> Index {
        Index::build(&Library::load(&LoadOptions {
            builtin: true,
            ..Default::default()
        }))
    }

    #[test]
    fn finds_a_note_by_a_sloppy_title() {
        let mut idx = builtin();
        let hits = idx.query("cnsstnt hshng", 5);
        let first = &idx.entries()[hits[0].entry];
        assert_eq!(first.kind, Kind::Note);
        assert_eq!(first.text, "Consistent Hashing");
        assert!(!hits[0].positions.is_empty());
    }

    #[test]
    fn scoring_by_bound_ranks_as_scoring_every_fit_would() {
        let idx = builtin();
        let rank = |a: &(usize, i64), b: &(usize, i64)| idx.rank(*a, *b);
        for q in [
            "c",
            "ca",
            "replica",
            "qrm",
            "token bucket",
            "s3 ia",
            "z",
            "é",
            "-",
        ] {
            let fits = idx.fits(idx.every_entry(), q, q);
            let mut every: Vec<(usize, i64)> =
                fits.iter().filter_map(|f| idx.score(f, q)).collect();
            every.sort_by(rank);
            every.truncate(25);
            // Small chunks, so that most fits are left unscored.
            assert_eq!(idx.best(&fits, q, 25, 64), every, "{q:?}");
        }
    }

    /// Skim's simple score of a gapped window, worked by hand from its rule (fuzzy-matcher
    /// 0.3.7, `calculate_score_with_pos`, default scores: match 16, head bonus 8, gap start
    /// -3, gap extension -1; a match right after a gap earns no bonus). The bound meets it.
    #[test]
    fn the_bound_of_a_gapped_window_is_its_score_worked_by_hand() {
        let bound = Bound::new(&SkimScoreConfig::default());
        let skim = SkimMatcherV2::default().ignore_case().element_limit(1);
        // "quor" for "qr": q 16 + 8, u gap -3 -1, o -1, r 16 and no bonus: 35.
        let w = span::window_ending("quorum", "qr", 4).unwrap();
        assert_eq!(span::matches_after_gaps(&"quorum"[w], "qr"), 1);
        assert_eq!(skim.fuzzy_match("quor", "qr"), Some(35));
        assert_eq!(bound.of(2, 4, 1), 35);
        // "quorum" for "qrm": q 24, u -4, o -1, r 16, u -4, m 16: 47. The bound knows both
        // matches after gaps, but charges one gap's start, not two: 50.
        let w = span::window_ending("quorum", "qrm", 6).unwrap();
        assert_eq!(span::matches_after_gaps(&"quorum"[w], "qrm"), 2);
        assert_eq!(skim.fuzzy_match("quorum", "qrm"), Some(47));
        assert_eq!(bound.of(3, 6, 2), 50);
        // "repl" whole: every match keeps the head bonus, 4 x 24, and no gap.
        let w = span::window_ending("replica", "repl", 4).unwrap();
        assert_eq!(span::matches_after_gaps(&"replica"[w], "repl"), 0);
        assert_eq!(skim.fuzzy_match("repl", "repl"), Some(96));
        assert_eq!(bound.of(4, 4, 0), 96);
    }

    proptest::proptest! {
        /// The bound is never below what skim's simple algorithm scores a window.
        #[test]
        fn no_window_scores_above_its_bound(
            text in "[abAB _\\-é1]{1,40}",
            query in "[abAB _é1]{1,5}",
        ) {
            let bound = Bound::new(&SkimScoreConfig::default());
            let matcher = SkimMatcherV2::default().ignore_case().element_limit(1);
            if let Some(w) = span::forward(&text, &query, 0).and_then(|end| span::window_ending(&text, &query, end)) {
                let len = text[w.clone()].chars().count() as i64;
                let after_gaps = span::matches_after_gaps(&text[w.clone()], &query);
                let score = matcher.fuzzy_match(&text[w], &query).unwrap();
                let m = query.chars().count() as i64;
                proptest::prop_assert!(score <= bound.of(m, len, after_gaps));
            }
        }
    }

    #[test]
    fn narrowing_gives_the_same_results_as_a_fresh_query() {
        let mut idx = builtin();
        idx.query("rep", 20);
        let narrowed: Vec<usize> = idx.query("replica", 20).iter().map(|h| h.entry).collect();
        let mut fresh = builtin();
        let direct: Vec<usize> = fresh.query("replica", 20).iter().map(|h| h.entry).collect();
        assert_eq!(narrowed, direct);
    }

    fn builtin_library() -> Arc<Library> {
        Arc::new(Library::load(&LoadOptions {
            builtin: true,
            ..Default::default()
        }))
    }

    #[test]
    fn the_worker_answers_only_the_latest_query() {
        let searcher = Searcher::worker(builtin_library());
        for end in 1..="consistent".len() {
            searcher.request(&"consistent"[..end], 20);
        }
        let results = searcher
            .wait(std::time::Duration::from_secs(30))
            .expect("an answer");
        assert_eq!(results.query, "consistent");
        assert!(
            results
                .found
                .iter()
                .any(|f| f.entry.text == "Consistent Hashing")
        );
        // Answers to the earlier queries, if the worker got to any, are never handed out.
        assert!(searcher.poll().is_none());
    }

    #[test]
    fn a_superseded_answer_is_dropped_even_when_it_arrives_last() {
        let searcher = Searcher::worker(builtin_library());
        searcher.request("cache", 5);
        let first = searcher.wait(std::time::Duration::from_secs(30));
        assert_eq!(first.map(|r| r.query), Some("cache".to_string()));
        searcher.request("quorum", 5);
        searcher.request("replica", 5);
        let answer = searcher.wait(std::time::Duration::from_secs(30));
        assert_eq!(answer.map(|r| r.query), Some("replica".to_string()));
    }

    #[test]
    fn inline_and_worker_answer_alike() {
        let lib = builtin_library();
        let inline = Searcher::inline(lib.clone());
        let worker = Searcher::worker(lib);
        for q in ["", "cnsstnt hshng", "token bucket", "zzzzqqq"] {
            inline.request(q, 50);
            worker.request(q, 50);
            let a = inline.poll().expect("inline answers at once");
            let b = worker
                .wait(std::time::Duration::from_secs(30))
                .expect("worker answers");
            let texts = |r: &Results| {
                r.found
                    .iter()
                    .map(|f| f.entry.text.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(texts(&a), texts(&b), "{q}");
            assert_eq!(a.total, b.total);
        }
    }

    #[test]
    fn note_text_is_indexed_as_the_reader_shows_it() {
        let (headings, text) = note_parts(
            "# Title\n\n## The `LRU` rule\n\n**Consistent hashing** maps keys to [nodes](ring.md) on a ring.\n\n\
             - A bullet with *emphasis* long enough to count\n\n```\nlet code = \"never indexed at all\";\n```\n\n\
             | a table | row that is long |\n|---|---|\n| x | y |\n",
        );
        assert_eq!(headings, ["Title", "The LRU rule"]);
        assert_eq!(
            text,
            [
                "Consistent hashing maps keys to nodes on a ring.",
                "A bullet with emphasis long enough to count"
            ]
        );
    }

    #[test]
    fn a_long_paragraph_is_found_to_its_end_in_sentence_sized_pieces() {
        let sentence =
            |n: usize| format!("Sentence {n} says something about caches and replicas here.");
        let paragraph: Vec<String> = (0..8).map(sentence).collect();
        let (_, text) = note_parts(&paragraph.join(" "));
        assert!(text.len() > 1, "{text:?}");
        assert!(
            text.iter().all(|t| t.chars().count() <= MAX_HAYSTACK),
            "{text:?}"
        );
        assert!(text.iter().all(|t| t.starts_with("Sentence ")), "{text:?}");
        assert!(
            text.last()
                .unwrap()
                .ends_with("Sentence 7 says something about caches and replicas here.")
        );
        // One sentence longer than a piece is cut between words.
        let long = vec!["word"; 100].join(" ");
        let (_, text) = note_parts(&long);
        assert!(text.len() > 1 && text.iter().all(|t| t.chars().count() <= MAX_HAYSTACK));
    }

    #[test]
    fn text_deep_in_a_built_in_paragraph_is_found() {
        let mut idx = builtin();
        let hits = idx.query("A Note on Distributed Computing", 5);
        let texts: Vec<&str> = hits
            .iter()
            .map(|h| idx.entries()[h.entry].text.as_str())
            .collect();
        assert!(
            texts
                .iter()
                .any(|t| t.contains("The 1994 paper A Note on Distributed Computing argued")),
            "{texts:?}"
        );
    }

    #[test]
    fn empty_query_lists_notes() {
        let mut idx = builtin();
        let hits = idx.query("  ", 10);
        assert_eq!(hits.len(), 10);
        assert!(
            hits.iter()
                .all(|h| idx.entries()[h.entry].kind == Kind::Note)
        );
    }
}
