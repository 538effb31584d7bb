//! Parsing one pack's files into the model, with every in-pack rule checked on the way.
//!
//! References to notes (which may point into other packs) are collected here and resolved
//! later by [`super::library`], once every pack is known.

use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::cards::Cards;
use super::cloze;
use super::context::Ctx;
use super::diagnostic::{Code, Diagnostic, FileId, SourceMap, did_you_mean};
use super::diagnostic::{SourceText, decoded};
use super::lazy_text::{self, Heap};
use super::links::{self, LinkTarget};
use super::model::LabQuestion;
use super::model::{
    Card, CardKind, Choice, Counts, Domain, Exam, Id, Lab, Manifest, Note, NoteRef, Question,
};
use super::pack_image::{self, Image, ImageRef, Kind, Runs};
use super::questions::Questions;
pub use super::refs::{PathLink, PendingRef, RefKind};
use super::requires::RequirementSite;
use super::source::{
    Assets, FileKind, FileProblem, Listing, MAX_DEPTH, MAX_FILE_BYTES, RawFile, Stamp, Unread,
};
use super::syntax;
use super::text::{self, check_entities, check_raw, is_valid_id, suggest_id};
use super::toml_read::{Table, Text};
use crate::bounded_read;
use crate::sim::ask::{Ask, Ranges, placeholders, scan};
use std::borrow::Cow;
use toml::de::DeTable;

const MANIFEST_KEYS: &[&str] = &["pack", "exam", "domains"];
const PACK_KEYS: &[&str] = &[
    "id",
    "name",
    "version",
    "format",
    "description",
    "authors",
    "license",
    "requires",
];
const EXAM_KEYS: &[&str] = &["name", "questions", "minutes", "pass_score"];
const DOMAIN_KEYS: &[&str] = &["id", "name", "weight"];
const NOTE_KEYS: &[&str] = &[
    "id", "title", "summary", "tags", "domain", "related", "lab", "order", "aliases",
];
const DECK_KEYS: &[&str] = &["note", "cards", "questions"];
const CARD_KEYS: &[&str] = &[
    "id", "front", "back", "reverse", "cloze", "extra", "tags", "note", "source", "aliases",
];
const QUESTION_KEYS: &[&str] = &[
    "id",
    "domain",
    "difficulty",
    "stem",
    "explanation",
    "note",
    "tags",
    "choices",
    "source",
    "exam",
    "aliases",
    "lab",
    "ask",
    "params",
];
const CHOICE_KEYS: &[&str] = &["text", "correct", "why"];

/// The highest practice-exam number a question may name with `exam = N`.
pub const MAX_PRACTICE_EXAMS: i64 = 20;

/// The pack format version this build reads.
pub const FORMAT_VERSION: i64 = 1;

/// Everything one pack's files yielded.
#[derive(Debug, Default)]
pub struct Parsed {
    pub manifest: Option<Manifest>,
    /// Where the manifest's `id` is written, for duplicate-pack errors.
    pub manifest_site: Option<(FileId, Range<usize>)>,
    pub notes: Vec<Note>,
    pub cards: Cards,
    pub questions: Questions,
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    pub refs: Vec<PendingRef>,
    pub path_links: Vec<PathLink>,
    /// Where each exam domain is declared, for empty-domain warnings.
    pub domain_sites: Vec<(String, FileId, Range<usize>)>,
    /// Ids of notes that were reported and dropped: references to them are not reported again.
    pub dropped_notes: Vec<String>,
    /// Items left out because of an error, by kind.
    pub skipped: Counts,
    /// The manifest's `requires`, with where each is written.
    pub requires: Vec<RequirementSite>,
    /// Where each item id (and former id) of the pack is written; `None` when the pack came
    /// whole from its image in the index, which leaves them out: only `pack check` looks ids
    /// up, and it always reads sources.
    pub sites: Option<HashMap<Id, (FileId, Range<usize>)>>,
    /// What every file's work depends on besides its own bytes (domains, assets), once the
    /// manifest is read.
    pub context: Option<u64>,
    /// Notes and decks parsed and checked now rather than taken from the pack index.
    pub compiled_files: usize,
    /// Which file each item came from, for the pack image.
    pub(crate) runs: Runs,
    /// Where the findings of the notes and decks start in `diagnostics`: those before are the
    /// listing's and the manifest's.
    pub(crate) files_from: usize,
    /// Whether the items came from the pack image in the index rather than file by file.
    pub from_image: bool,
    /// What identifies the files this pack was loaded from, for the pack image.
    pub(crate) roster: u64,
}

impl Parsed {
    /// Encodes the pack image: what the notes and decks yielded, with every id claimed. Its
    /// texts must already be spans of their files' heaps (or inline), as they are once the
    /// files' works are encoded for the index.
    pub(crate) fn image(&self) -> Option<Vec<u8>> {
        let image = ImageRef {
            notes: &self.notes,
            cards: &self.cards,
            questions: &self.questions,
            runs: &self.runs,
            diagnostics: self.diagnostics.get(self.files_from..)?,
            refs: &self.refs,
            path_links: &self.path_links,
            dropped_notes: &self.dropped_notes,
            skipped: self.skipped,
        };
        image.encode()
    }

    /// Takes a pack image in place of the notes' and decks' works, after the findings of the
    /// listing and the manifest.
    fn take_image(&mut self, image: Image) {
        self.notes = image.notes;
        self.cards = image.cards;
        self.questions = image.questions;
        self.runs = image.runs;
        self.diagnostics.extend(image.diagnostics);
        self.refs = image.refs;
        self.path_links = image.path_links;
        self.dropped_notes = image.dropped_notes;
        self.skipped = image.skipped;
        self.sites = None;
        self.from_image = true;
    }
}

/// Parses a listed pack. `label` prefixes file names in diagnostics (the pack's folder).
pub fn parse_pack(label: &str, listing: Listing) -> Parsed {
    compile_pack(label, listing, Cache::Off).0
}

/// What an earlier compile of this pack can give back: the compiled pack index.
pub(crate) trait Reuse: Sync {
    /// Whether the index was compiled under the same domains and assets.
    fn context(&self) -> u64;
    /// Tells the index what this load compiles files in, for compiling one again later.
    fn compiled_in(&self, domains: &[String], assets: &Assets);
    /// The work of a file with this stamp, if the index knows the stamp: the file need not
    /// be read.
    fn by_stamp(&self, rel: &str, stamp: Stamp) -> Option<Compiled>;
    /// The work of a file of `len` bytes with this content hash.
    fn by_hash(&self, rel: &str, hash: u64, len: u64) -> Option<Compiled>;
    /// The whole pack, if the index holds an image of this roster and knows every file's
    /// stamp: `files` are the content files with their ids in this load.
    fn image(&self, roster: u64, files: &[(FileId, &str, Stamp)]) -> Option<Image>;
}

/// Whether a pack is loaded for the compiled pack index, and what an earlier one gives back.
#[derive(Clone, Copy)]
pub(crate) enum Cache<'a> {
    /// Straight from the sources (`pack check`, tests).
    Off,
    /// Encode each file's work for the index, reusing the earlier index's where it fits.
    On(Option<&'a dyn Reuse>),
}

/// One content file as the compiled pack index records it.
pub(crate) struct Outcome {
    pub rel: String,
    pub stamp: Option<Stamp>,
    /// The content hash, when the file was read.
    pub hash: Option<u64>,
    /// The work encoded for the index, when it was compiled now; `None` when it was reused.
    pub encoded: Option<Encoded>,
    /// Whether the file was parsed and checked now rather than taken from the index.
    pub compiled: bool,
}

impl Outcome {
    /// A file whose work the index gave back: hashed only when its stamp was not enough.
    fn reused(rel: String, stamp: Option<Stamp>, hash: Option<u64>) -> Outcome {
        Outcome {
            rel,
            stamp,
            hash,
            encoded: None,
            compiled: false,
        }
    }
}

/// A file's work as the index stores it: the encoded work, and the heap of its long texts.
pub(crate) struct Encoded {
    pub work: Vec<u8>,
    pub heap: Arc<Heap>,
}

/// A content file as it reaches the compiler: read, or left unread for the index to supply.
enum Input {
    Read(RawFile),
    Unread(Unread),
}

impl Input {
    fn rel(&self) -> &str {
        match self {
            Input::Read(r) => &r.rel,
            Input::Unread(u) => &u.rel,
        }
    }

    fn into_rel(self) -> String {
        match self {
            Input::Read(r) => r.rel,
            Input::Unread(u) => u.rel,
        }
    }

    fn stamp(&self) -> Option<Stamp> {
        match self {
            Input::Read(r) => r.stamp,
            Input::Unread(u) => Some(u.stamp),
        }
    }
}

/// The context the work of a pack's files depends on besides their own bytes.
pub(crate) fn context(domains: &[String], assets: &Assets) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for d in domains {
        h.update(d.as_bytes());
        h.update(&[0]);
    }
    h.update(&assets.stamp().to_le_bytes());
    h.digest()
}

/// Parses a listed pack, taking each file's work from `reuse` where it is unchanged; with
/// `reuse`, also returns what the index needs to record each content file.
pub(crate) fn compile_pack(label: &str, listing: Listing, cache: Cache) -> (Parsed, Vec<Outcome>) {
    let mut p = PackParser {
        label,
        out: Parsed::default(),
        ids: HashMap::new(),
    };
    for (rel, problem) in &listing.problems {
        p.file_problem(rel, problem);
    }
    match &listing.manifest {
        Some(raw) => p.manifest(raw),
        None => {
            let file = p.out.sources.add(p.name("pack.toml"), "");
            let d = Diagnostic::error(Code::MissingManifest, file, "the pack has no pack.toml")
                .hint("every pack folder starts with a pack.toml manifest; `sysdeck pack new NAME` writes one");
            p.out.diagnostics.push(d);
        }
    }
    let Some(manifest) = &p.out.manifest else {
        p.out.sites = Some(p.ids);
        return (p.out, Vec::new());
    };
    let domains: Vec<String> = manifest.domains.iter().map(|d| d.id.clone()).collect();
    let ctx = context(&domains, &listing.assets);
    p.out.context = Some(ctx);
    let (encode, reuse) = match cache {
        Cache::Off => (false, None),
        Cache::On(reuse) => (true, reuse.filter(|r| r.context() == ctx)),
    };
    if let Some(r) = reuse {
        r.compiled_in(&domains, &listing.assets);
    }
    let mut inputs: Vec<Input> = listing.files.into_iter().map(Input::Read).collect();
    inputs.extend(listing.unread.into_iter().map(Input::Unread));
    inputs.sort_by(|a, b| a.rel().cmp(b.rel()));
    let mut files: Vec<(FileId, Input)> = inputs
        .into_iter()
        .map(|input| (p.register(&input), input))
        .collect();
    p.out.files_from = p.out.diagnostics.len();
    let problems = listing.problems.iter().map(|(rel, _)| rel.as_str());
    let roster = pack_image::roster(label, problems, files.iter().map(|(_, i)| i.rel()));
    p.out.roster = roster;
    if let Some(image) = reuse.and_then(|r| whole_pack(r, roster, &files)) {
        p.out.take_image(image);
        let outcomes = files.into_iter().map(|(_, input)| {
            let stamp = input.stamp();
            Outcome::reused(input.into_rel(), stamp, None)
        });
        return (p.out, outcomes.collect());
    }
    // Notes claim their ids first: a note is the natural "first definition" of an id it
    // shares with a card. Then decks, each kind in file order.
    files.sort_by_key(|(_, input)| FileKind::of(input.rel()) != Some(FileKind::Note));
    // Files are checked a chunk at a time and each chunk's items moved into the pack at
    // once, so the items of a large pack are never held twice (in their files' works and
    // in the pack) and the workers' memory is reused from chunk to chunk. Claiming is
    // serial, so the next chunk is checked on the other cores while this one is claimed.
    let mut outcomes = Vec::with_capacity(files.len());
    let mut aliases = Vec::new();
    let mut files = files.into_iter().peekable();
    let mut next_chunk = || {
        files
            .peek()
            .is_some()
            .then(|| files.by_ref().take(CHUNK_FILES).collect::<Vec<_>>())
    };
    let check = |chunk: Option<Vec<_>>| {
        chunk.map(|c| check_all(c, &domains, &listing.assets, encode, reuse))
    };
    let mut checked = check(next_chunk());
    while let Some((works, done)) = checked {
        outcomes.extend(done);
        let chunk = next_chunk();
        checked = rayon::join(|| check(chunk), || p.absorb(works, &mut aliases)).0;
    }
    p.claim_aliases(aliases);
    p.out.sites = Some(p.ids);
    p.out.compiled_files = outcomes.iter().filter(|o| o.compiled).count();
    (p.out, outcomes)
}

/// The pack image for this roster, when every content file has a stamp the index knows.
fn whole_pack(reuse: &dyn Reuse, roster: u64, files: &[(FileId, Input)]) -> Option<Image> {
    let stamped: Option<Vec<_>> = files
        .iter()
        .map(|(file, input)| Some((*file, input.rel(), input.stamp()?)))
        .collect();
    reuse.image(roster, &stamped?)
}

/// How many files are checked side by side before their items join the pack.
const CHUNK_FILES: usize = 64;

/// Checks every note and deck on all cores, or takes its work from the index: parsing and
/// checking a file needs nothing from the others, and it is most of the loading time. Only id
/// claims wait for [`PackParser::claim`].
fn check_all(
    files: Vec<(FileId, Input)>,
    domains: &[String],
    assets: &Assets,
    encode: bool,
    reuse: Option<&dyn Reuse>,
) -> (Vec<Compiled>, Vec<Outcome>) {
    files
        .into_par_iter()
        .with_min_len(8)
        .map(|(file, input)| {
            // A file whose stamp the index knows is neither read nor hashed: on a warm start
            // that is every file, those built into the binary included.
            if let Some(stamp) = input.stamp()
                && let Some(mut work) = reuse.and_then(|r| r.by_stamp(input.rel(), stamp))
            {
                work.relocate(file);
                return (work, Outcome::reused(input.into_rel(), Some(stamp), None));
            }
            let (stamp, raw) = match input {
                Input::Unread(u) => {
                    let bytes = bounded_read::read(&u.path, MAX_FILE_BYTES);
                    (
                        Some(u.stamp),
                        bytes
                            .map(|b| RawFile {
                                rel: u.rel.clone(),
                                bytes: Cow::Owned(b),
                                path: Some(u.path),
                                stamp: Some(u.stamp),
                            })
                            .map_err(|e| (u.rel, e)),
                    )
                }
                Input::Read(raw) => (raw.stamp, Ok(raw)),
            };
            let raw = match raw {
                Ok(raw) => raw,
                Err((rel, e)) => {
                    let mut work = Compiled::default();
                    let d = problem_diagnostic(file, &rel, &super::source::problem(e));
                    work.diagnostics.push(d);
                    let outcome = Outcome {
                        rel,
                        stamp: None,
                        hash: None,
                        encoded: None,
                        compiled: true,
                    };
                    return (work, outcome);
                }
            };
            let hash = encode.then(|| xxhash_rust::xxh3::xxh3_64(&raw.bytes));
            let len = raw.bytes.len() as u64;
            if let Some(mut work) = reuse
                .zip(hash)
                .and_then(|(r, h)| r.by_hash(&raw.rel, h, len))
            {
                work.relocate(file);
                return (work, Outcome::reused(raw.rel, stamp, hash));
            }
            let mut work = compile_file(file, &raw, domains, assets);
            let encoded = encode.then(|| work.encode()).flatten();
            let outcome = Outcome {
                rel: raw.rel,
                stamp,
                hash,
                encoded,
                compiled: true,
            };
            (work, outcome)
        })
        .unzip()
}

/// What the checker says about a file it could not take in.
fn problem_diagnostic(file: FileId, rel: &str, problem: &FileProblem) -> Diagnostic {
    match problem {
        FileProblem::TooLarge(size) => Diagnostic::error(
            Code::FileTooLarge,
            file,
            format!(
                "file is {size} bytes; pack files may be at most {MAX_FILE_BYTES} bytes (1 MiB)"
            ),
        )
        .hint("split it into several notes or decks"),
        FileProblem::SymlinkEscape(target) => Diagnostic::error(
            Code::SymlinkEscape,
            file,
            format!("symlink leads outside the pack, to {}", target.display()),
        )
        .hint("packs may only read their own files; copy the file into the pack instead"),
        FileProblem::NotRegular(kind) => Diagnostic::warning(
            Code::SpecialFile,
            file,
            format!("skipped: a {kind}, not a regular file"),
        )
        .hint("packs hold regular files only; remove it or replace it with a real file"),
        FileProblem::Loop => Diagnostic::warning(
            Code::SymlinkLoop,
            file,
            "skipped: this folder was already read under another name (a symlink loop)",
        )
        .hint("remove the symlink that points back into the pack"),
        FileProblem::TooDeep => Diagnostic::error(
            Code::TooDeep,
            file,
            format!("skipped: folders nested more than {MAX_DEPTH} deep are not read"),
        )
        .hint("move its notes or decks closer to the pack's top"),
        FileProblem::Unreadable(e) => {
            Diagnostic::error(Code::IoError, file, format!("cannot read: {e}"))
        }
        FileProblem::Ignored => match misplaced(rel) {
            Some((message, hint)) => Diagnostic::error(Code::IgnoredFile, file, message)
                .note("its content is not loaded")
                .hint(hint),
            None => Diagnostic::warning(
                Code::IgnoredFile,
                file,
                "file ignored: notes are `notes/**/*.md`, decks are `decks/**/*.toml`",
            )
            .hint("rename it with the right extension, or move it to assets/"),
        },
    }
}

/// Parses and checks one note or deck.
fn compile_file(file: FileId, raw: &RawFile, domains: &[String], assets: &Assets) -> Compiled {
    let mut work = FileWork::new(domains, assets);
    match std::str::from_utf8(&raw.bytes) {
        Ok(text) => match FileKind::of(&raw.rel) {
            Some(FileKind::Note) => work.note(file, raw, text),
            Some(FileKind::Deck) => work.deck(file, &raw.rel, text),
            None => {}
        },
        Err(e) => {
            let at = e.valid_up_to();
            let d = Diagnostic::error(Code::NotUtf8, file, "file is not valid UTF-8")
                .at(at..at + 3, "invalid byte sequence here")
                .hint("save the file as UTF-8");
            work.diagnostics.push(d);
        }
    }
    work.into_compiled()
}

/// The heap of long texts that compiling one content file now yields (see
/// [`Compiled::encode`]).
pub(crate) fn heap_of(raw: &RawFile, domains: &[String], assets: &Assets) -> Option<String> {
    let encoded = compile_file(0, raw, domains, assets).encode()?;
    String::from_utf8(encoded.heap.bytes().to_vec()).ok()
}

/// What checking one note or deck yields on its own, before ids are claimed across the pack:
/// the unit the compiled pack index stores for each file.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Compiled {
    diagnostics: Vec<Diagnostic>,
    refs: Vec<PendingRef>,
    path_links: Vec<PathLink>,
    dropped_notes: Vec<String>,
    claims: Vec<Claim>,
    skipped: Counts,
}

impl Compiled {
    /// Points everything at the file's id in this load (ids follow the listing's order).
    fn relocate(&mut self, file: FileId) {
        for d in &mut self.diagnostics {
            d.file = file;
            if let Some(r) = &mut d.related {
                r.file = file;
            }
        }
        self.refs.iter_mut().for_each(|r| r.file = file);
        self.path_links.iter_mut().for_each(|l| l.file = file);
        self.claims.iter_mut().for_each(|c| c.file = file);
    }

    /// Calls `f` on every long text of the file's items (see [`lazy_text`]).
    fn texts_mut(&mut self, f: &mut dyn FnMut(&mut lazy_text::Text)) {
        for claim in &mut self.claims {
            match &mut claim.item {
                Item::Note(n) => n.texts_mut(f),
                Item::Card(c) => c.texts_mut(f),
                Item::Question(q) => q.texts_mut(f),
            }
        }
    }

    /// Encodes the work for the pack index, its long texts moved to a heap of their own so a
    /// later load can leave them unread. This work's texts are then read from that heap too.
    fn encode(&mut self) -> Option<Encoded> {
        let mut text = String::new();
        self.texts_mut(&mut |t| t.move_into(&mut text));
        let heap = Arc::new(Heap::in_memory(text));
        self.texts_mut(&mut |t| {
            t.attach(&heap);
        });
        let work = postcard::to_allocvec(self).ok()?;
        Some(Encoded { work, heap })
    }

    /// Points the texts of a work decoded from the index at their heap; `false` when a text
    /// lies outside it (a damaged index).
    pub(crate) fn attach(&mut self, heap: &Arc<Heap>) -> bool {
        let mut fits = true;
        self.texts_mut(&mut |t| fits &= t.attach(heap));
        fits
    }

    /// Whether every span lies inside a file of `len` bytes: decoded work from the index must
    /// point into its file before diagnostics quote it.
    pub(crate) fn spans_within(&self, len: u64) -> bool {
        let ok = |r: &Range<usize>| pack_image::span_fits(r, len);
        let any_file = |_| Some(len);
        pack_image::findings_fit(&self.diagnostics, &self.refs, &self.path_links, &any_file)
            && self
                .claims
                .iter()
                .all(|c| ok(&c.id_span) && c.alias_spans.iter().all(ok))
    }
}

/// An item that passed its checks and waits for its id to be claimed.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Claim {
    kind: FileKind,
    file: FileId,
    /// Where the item's id is written (the id itself is the item's).
    id_span: Range<usize>,
    /// Where each of the item's former ids is written; they are claimed once every live id is.
    alias_spans: Vec<Range<usize>>,
    item: Item,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
enum Item {
    Note(Note),
    Card(Card),
    Question(Question),
}

/// What checking some files produced, before ids are claimed across the pack.
struct FileWork<'d> {
    /// The pack's domain ids, for `domain` references.
    domains: &'d [String],
    /// The pack's assets/ folder, for image links and includes.
    assets: &'d Assets,
    diagnostics: Vec<Diagnostic>,
    refs: Vec<PendingRef>,
    path_links: Vec<PathLink>,
    dropped_notes: Vec<String>,
    claims: Vec<Claim>,
    skipped: Counts,
}

struct PackParser<'l> {
    label: &'l str,
    out: Parsed,
    /// First definition of every item id: notes, cards and questions share one namespace.
    ids: HashMap<Id, (FileId, Range<usize>)>,
}

impl PackParser<'_> {
    fn name(&self, rel: &str) -> String {
        format!("{}/{rel}", self.label)
    }

    fn file_problem(&mut self, rel: &str, problem: &FileProblem) {
        let file = self.out.sources.add(self.name(rel), "");
        self.out
            .diagnostics
            .push(problem_diagnostic(file, rel, problem));
    }

    /// Registers a content file for diagnostics without keeping a copy of its text: it is
    /// read again from where it came from if a diagnostic needs it.
    fn register(&mut self, input: &Input) -> FileId {
        let name = self.name(input.rel());
        let source = match input {
            Input::Unread(u) => SourceText::Disk(u.path.clone()),
            Input::Read(raw) => match (&raw.path, &raw.bytes) {
                (Some(path), _) => SourceText::Disk(path.clone()),
                (None, Cow::Borrowed(bytes)) => SourceText::Static(bytes),
                (None, Cow::Owned(bytes)) => {
                    SourceText::Text(std::sync::Arc::from(decoded(bytes).as_ref()))
                }
            },
        };
        self.out.sources.register(name, source)
    }

    /// Claims the ids of the items of some files, in their order, and keeps the rest of
    /// each file's work. Former ids wait in `aliases` for [`PackParser::claim_aliases`].
    fn absorb(&mut self, works: Vec<Compiled>, aliases: &mut Vec<(FileId, String, Text)>) {
        for work in works {
            for claim in work.claims {
                aliases.extend(self.claim(claim));
            }
            self.out.diagnostics.extend(work.diagnostics);
            self.out.refs.extend(work.refs);
            self.out.path_links.extend(work.path_links);
            self.out.dropped_notes.extend(work.dropped_notes);
            self.out.skipped.add(work.skipped);
        }
    }

    /// Former ids come last: a live id always wins over an alias that repeats it.
    fn claim_aliases(&mut self, aliases: Vec<(FileId, String, Text)>) {
        for (file, owner, alias) in aliases {
            self.claim_alias(file, &owner, alias);
        }
    }

    /// Decodes a file as UTF-8, registering it for diagnostics either way.
    fn decode<'r>(&mut self, raw: &'r RawFile) -> (FileId, Option<&'r str>) {
        match std::str::from_utf8(&raw.bytes) {
            Ok(text) => (self.out.sources.add(self.name(&raw.rel), text), Some(text)),
            Err(e) => {
                let at = e.valid_up_to();
                let file = self
                    .out
                    .sources
                    .add(self.name(&raw.rel), &decoded(&raw.bytes));
                let d = Diagnostic::error(Code::NotUtf8, file, "file is not valid UTF-8")
                    .at(at..at + 3, "invalid byte sequence here")
                    .hint("save the file as UTF-8");
                self.out.diagnostics.push(d);
                (file, None)
            }
        }
    }

    fn ctx<'a>(&'a mut self, file: FileId, offset: usize, source: &'a str) -> Ctx<'a> {
        Ctx {
            file,
            offset,
            source,
            diags: &mut self.out.diagnostics,
        }
    }

    /// Claims a checked item's id and adds the item to the pack, unless the id is invalid or
    /// already taken. Returns the item's aliases, to claim once every live id is known.
    fn claim(&mut self, claim: Claim) -> Vec<(FileId, String, Text)> {
        let Claim {
            file,
            id_span,
            item,
            alias_spans,
            ..
        } = claim;
        let (id, aliases) = match &item {
            Item::Note(n) => (&n.id, &n.aliases),
            Item::Card(c) => (&c.id, &c.aliases),
            Item::Question(q) => (&q.id, &q.aliases),
        };
        let aliases: Vec<Text> = aliases
            .iter()
            .zip(alias_spans)
            .map(|(value, span)| Text {
                value: value.clone(),
                span,
            })
            .collect();
        let owner = id.clone();
        if !self.claim_id(file, id, id_span) {
            match item {
                Item::Note(_) => self.out.skipped.notes += 1,
                Item::Card(_) => self.out.skipped.cards += 1,
                Item::Question(_) => self.out.skipped.questions += 1,
            }
            return Vec::new();
        }
        let kind = match item {
            Item::Note(n) => {
                self.out.notes.push(n);
                Kind::Note
            }
            Item::Card(c) => {
                self.out.cards.push(c);
                Kind::Card
            }
            Item::Question(q) => {
                self.out.questions.push(q);
                Kind::Question
            }
        };
        self.out.runs.add(kind, file);
        aliases
            .into_iter()
            .map(|a| (file, owner.to_string(), a))
            .collect()
    }

    /// Records a former id. One that is not a valid id or that another item uses is reported
    /// and dropped from the item's aliases; the item itself stays.
    fn claim_alias(&mut self, file: FileId, owner: &str, alias: Text) {
        let taken = self.ids.get(alias.value.as_str()).cloned();
        let problem = if !is_valid_id(&alias.value) {
            Some(
                Diagnostic::error(
                    Code::BadId,
                    file,
                    format!("`{}` is not a valid id", alias.value),
                )
                .at(
                    alias.span.clone(),
                    "ids are lowercase letters, digits and dashes",
                )
                .hint("an alias is a former id of this item, exactly as it was written"),
            )
        } else if let Some((first_file, first_span)) = taken {
            Some(
                Diagnostic::error(
                    Code::DuplicateId,
                    file,
                    format!("the alias `{}` is also an id in this pack", alias.value),
                )
                .at(alias.span.clone(), "alias")
                .related(first_file, first_span, "in use here")
                .hint("an alias is a former id that nothing else uses; remove it from `aliases`"),
            )
        } else {
            None
        };
        if let Some(d) = problem {
            self.out.diagnostics.push(d);
            self.drop_alias(owner, &alias.value);
            return;
        }
        self.ids.insert(Id::new(&alias.value), (file, alias.span));
    }

    fn drop_alias(&mut self, owner: &str, alias: &str) {
        let keep = |aliases: &mut Vec<String>| aliases.retain(|a| a != alias);
        let out = &mut self.out;
        out.notes
            .iter_mut()
            .filter(|n| n.id == owner)
            .for_each(|n| keep(&mut n.aliases));
        out.cards
            .iter_mut()
            .filter(|c| c.id == owner)
            .for_each(|c| keep(&mut c.aliases));
        out.questions
            .iter_mut()
            .filter(|q| q.id == owner)
            .for_each(|q| keep(&mut q.aliases));
    }

    /// Validates an id and records it; returns it when usable.
    fn claim_id(&mut self, file: FileId, id: &str, span: Range<usize>) -> bool {
        if !is_valid_id(id) {
            let d = Diagnostic::error(Code::BadId, file, format!("`{id}` is not a valid id"))
                .at(span, "ids are lowercase letters, digits and dashes")
                .hint(format!("try `{}`", suggest_id(id)));
            self.out.diagnostics.push(d);
            return false;
        }
        if let Some((first_file, first_span)) = self.ids.get(id).cloned() {
            let place = self.out.sources.position(first_file, first_span.start);
            let d = Diagnostic::error(
                Code::DuplicateId,
                file,
                format!("the id `{id}` is used twice in this pack"),
            )
            .at(span, "defined again here")
            .related(first_file, first_span, "first defined here")
            .hint(format!(
                "first defined here: {place}; notes, cards and questions share one id namespace"
            ));
            self.out.diagnostics.push(d);
            return false;
        }
        self.ids.insert(Id::new(id), (file, span));
        true
    }

    fn manifest(&mut self, raw: &RawFile) {
        let (file, Some(text)) = self.decode(raw) else {
            return;
        };
        let mut ctx = self.ctx(file, 0, text);
        let Some(doc) = ctx.parse(text, "nothing of this pack loads until pack.toml is fixed")
        else {
            return;
        };
        let root = Table::new(&doc, 0..text.len(), "manifest", MANIFEST_KEYS);
        root.check_unknown(&mut ctx);
        let pack = root.table(&mut ctx, "pack", "[pack] table", PACK_KEYS);
        let Some(pack) = pack else {
            if !root.has("pack") {
                let d = Diagnostic::error(Code::MissingKey, file, "pack.toml has no [pack] table")
                    .at(ctx.first_line(0..text.len()), "expected `[pack]` here")
                    .hint("start the file with [pack] and id, name, version, format");
                ctx.push(d);
            }
            return;
        };
        pack.check_unknown(&mut ctx);
        let id = pack.raw_str(&mut ctx, "id", true);
        let name = pack.text(&mut ctx, "name", true);
        let version = pack.raw_str(&mut ctx, "version", true);
        let format = pack.int(&mut ctx, "format", true);
        let description = pack.text(&mut ctx, "description", false);
        let authors = pack.str_list(&mut ctx, "authors");
        let license = pack.text(&mut ctx, "license", false);
        let requires = pack.str_list(&mut ctx, "requires");
        if let Some(d) = license
            .as_ref()
            .and_then(|l| super::license::check(l, file))
        {
            ctx.push(d);
        }

        let version = version.and_then(|v| match semver::Version::parse(&v.value) {
            Ok(ver) => Some(ver),
            Err(e) => {
                let d = Diagnostic::error(
                    Code::BadVersion,
                    file,
                    format!("`{}` is not a semantic version: {e}", v.value),
                )
                .at(v.span, "expected MAJOR.MINOR.PATCH")
                .hint("for example \"1.0.0\"");
                ctx.push(d);
                None
            }
        });
        let format_ok = match format {
            Some((FORMAT_VERSION, _)) => true,
            Some((n, span)) => {
                let d = Diagnostic::error(
                    Code::UnsupportedFormat,
                    file,
                    format!("pack format {n} is not supported by this sysdeck"),
                )
                .at(span, "unsupported format")
                .hint(format!("this build reads format {FORMAT_VERSION}; upgrade sysdeck or set format = {FORMAT_VERSION}"));
                ctx.push(d);
                false
            }
            None => false,
        };

        let exam = root
            .table(&mut ctx, "exam", "[exam] table", EXAM_KEYS)
            .and_then(|t| {
                t.check_unknown(&mut ctx);
                let name = t.text(&mut ctx, "name", true);
                let questions = t.int_in(&mut ctx, "questions", true, 1..=1000);
                let minutes = t.int_in(&mut ctx, "minutes", true, 1..=1440);
                let pass = t.int_in(&mut ctx, "pass_score", true, 100..=1000);
                Some((
                    Exam {
                        name: name?.value,
                        questions: u32::try_from(questions?).ok()?,
                        minutes: u32::try_from(minutes?).ok()?,
                        pass_score: u32::try_from(pass?).ok()?,
                    },
                    t.header(&ctx),
                ))
            });

        let mut domains: Vec<(Domain, Range<usize>)> = Vec::new();
        for t in root.tables(&mut ctx, "domains", "domain", DOMAIN_KEYS) {
            t.check_unknown(&mut ctx);
            let id = t.raw_str(&mut ctx, "id", true);
            let name = t.text(&mut ctx, "name", true);
            let weight = t.int_in(&mut ctx, "weight", false, 0..=100);
            let (Some(id), Some(name)) = (id, name) else {
                continue;
            };
            if !is_valid_id(&id.value) {
                let d = Diagnostic::error(
                    Code::BadId,
                    file,
                    format!("`{}` is not a valid domain id", id.value),
                )
                .at(id.span, "ids are lowercase letters, digits and dashes")
                .hint(format!("try `{}`", suggest_id(&id.value)));
                ctx.push(d);
                continue;
            }
            if let Some((_, first)) = domains.iter().find(|(d, _)| d.id == id.value) {
                let first = first.clone();
                let d = Diagnostic::error(
                    Code::DuplicateId,
                    file,
                    format!("domain `{}` is declared twice", id.value),
                )
                .at(id.span, "declared again here")
                .related(file, first, "first declared here");
                ctx.push(d);
                continue;
            }
            domains.push((
                Domain {
                    id: id.value,
                    name: name.value,
                    weight: weight.and_then(|w| u32::try_from(w).ok()),
                },
                id.span,
            ));
        }
        if let Some((_, header)) = &exam {
            let header = header.clone();
            if domains.is_empty() {
                let d = Diagnostic::error(
                    Code::MissingKey,
                    file,
                    "a pack with an [exam] needs [[domains]] with weights",
                )
                .at(header, "exam declared here")
                .hint("add [[domains]] tables with id, name and weight (percent)");
                ctx.push(d);
            } else if let Some((d, span)) = domains.iter().find(|(d, _)| d.weight.is_none()) {
                let diag = Diagnostic::error(
                    Code::MissingKey,
                    file,
                    format!("domain `{}` has no weight, which the exam needs", d.id),
                )
                .at(span.clone(), "no `weight`")
                .hint("give every domain a weight in percent; the weights sum to 100");
                ctx.push(diag);
            } else {
                let sum: u32 = domains.iter().filter_map(|(d, _)| d.weight).sum();
                if sum != 100 {
                    let d = Diagnostic::error(
                        Code::BadWeights,
                        file,
                        format!("domain weights sum to {sum}, not 100"),
                    )
                    .at(header, "this exam draws questions by domain weight")
                    .hint("adjust the `weight` of the [[domains]] so they add up to 100");
                    ctx.push(d);
                }
            }
        }

        let (Some(id), Some(name), Some(version), true) = (id, name, version, format_ok) else {
            return;
        };
        if !is_valid_id(&id.value) {
            let d = Diagnostic::error(
                Code::BadId,
                file,
                format!("`{}` is not a valid pack id", id.value),
            )
            .at(id.span, "ids are lowercase letters, digits and dashes")
            .hint(format!("try `{}`", suggest_id(&id.value)));
            ctx.push(d);
            return;
        }
        let mut required = Vec::new();
        for r in &requires {
            match super::requires::parse(r, &id.value, file) {
                Ok(site)
                    if required
                        .iter()
                        .any(|s: &RequirementSite| s.requirement.pack == site.requirement.pack) =>
                {
                    let d = Diagnostic::error(
                        Code::DuplicateId,
                        file,
                        format!("`{}` is required twice", site.requirement.pack),
                    )
                    .at(site.span, "required again here")
                    .hint("keep one entry with the versions the pack needs");
                    ctx.push(d);
                }
                Ok(site) => required.push(site),
                Err(d) => ctx.push(*d),
            }
        }
        self.out.domain_sites = domains
            .iter()
            .map(|(d, span)| (d.id.clone(), file, span.clone()))
            .collect();
        self.out.manifest_site = Some((file, id.span.clone()));
        self.out.requires = required.clone();
        self.out.manifest = Some(Manifest {
            id: id.value,
            name: name.value,
            version,
            description: description.map(|d| d.value).unwrap_or_default(),
            authors: authors.into_iter().map(|a| a.value).collect(),
            license: license.map(|l| l.value).unwrap_or_default(),
            requires: required.iter().map(|s| s.requirement.clone()).collect(),
            exam: exam.map(|(e, _)| e),
            domains: domains.into_iter().map(|(d, _)| d).collect(),
        });
    }
}

impl<'d> FileWork<'d> {
    fn into_compiled(self) -> Compiled {
        Compiled {
            diagnostics: self.diagnostics,
            refs: self.refs,
            path_links: self.path_links,
            dropped_notes: self.dropped_notes,
            claims: self.claims,
            skipped: self.skipped,
        }
    }

    fn new(domains: &'d [String], assets: &'d Assets) -> Self {
        FileWork {
            domains,
            assets,
            diagnostics: Vec::new(),
            refs: Vec::new(),
            path_links: Vec::new(),
            dropped_notes: Vec::new(),
            claims: Vec::new(),
            skipped: Counts::default(),
        }
    }

    fn ctx<'a>(&'a mut self, file: FileId, offset: usize, source: &'a str) -> Ctx<'a> {
        Ctx {
            file,
            offset,
            source,
            diags: &mut self.diagnostics,
        }
    }

    /// Checks a `domain` value against the manifest; `cost` says what an error leaves out.
    fn domain_ref(
        &mut self,
        file: FileId,
        domain: Option<Text>,
        required: Option<Range<usize>>,
        cost: &str,
    ) -> Result<Option<String>, ()> {
        let domains = self.domains;
        match domain {
            Some(d) if domains.contains(&d.value) => Ok(Some(d.value)),
            Some(d) => {
                let hint = if domains.is_empty() {
                    "this pack declares no [[domains]] in pack.toml".to_string()
                } else {
                    match did_you_mean(&d.value, domains.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the pack's domains are: {}", domains.join(", ")),
                    }
                };
                let diag = Diagnostic::error(
                    Code::UnknownDomain,
                    file,
                    format!("unknown domain `{}`", d.value),
                )
                .at(d.span, "not a domain of this pack")
                .hint(hint)
                .note(format!("{cost} until this is fixed"));
                self.diagnostics.push(diag);
                Err(())
            }
            None => match required {
                Some(span) if !domains.is_empty() => {
                    let d = Diagnostic::error(
                        Code::MissingKey,
                        file,
                        "question is missing the required key `domain`",
                    )
                    .at(span, "this question has no `domain`")
                    .hint(format!(
                        "questions of this pack need a domain: {}",
                        domains.join(", ")
                    ))
                    .note(format!("{cost} until this is fixed"));
                    self.diagnostics.push(d);
                    Err(())
                }
                _ => Ok(None),
            },
        }
    }

    fn pending(&mut self, kind: RefKind, text: &Text, file: FileId) -> Option<NoteRef> {
        self.pending_at(kind, text, None, file)
    }

    /// A note reference, with the heading a link names.
    fn pending_at(
        &mut self,
        kind: RefKind,
        text: &Text,
        anchor: Option<String>,
        file: FileId,
    ) -> Option<NoteRef> {
        let target = NoteRef::parse(&text.value);
        let valid = target.pack.as_deref().is_none_or(is_valid_id) && is_valid_id(&target.id);
        if !valid {
            let d = Diagnostic::error(
                Code::DanglingReference,
                file,
                format!("`{}` is not a note reference", text.value),
            )
            .at(text.span.clone(), "expected `note-id` or `pack:note-id`")
            .hint(format!(
                "a reference names a note by its id, not its title: ids are lowercase, like `{}`",
                suggest_id(&text.value)
            ));
            self.diagnostics.push(d);
            return None;
        }
        self.refs.push(PendingRef {
            kind,
            target: target.clone(),
            anchor,
            file,
            span: text.span.clone(),
        });
        Some(target)
    }

    fn note(&mut self, file: FileId, raw: &RawFile, text: &str) {
        let (front, offset, body_start) = match split_front_matter(text) {
            Ok(parts) => parts,
            Err(problem) => {
                let d = problem.diagnostic(file, text);
                self.diagnostics.push(d);
                self.skip_note(&raw.rel, None);
                return;
            }
        };
        let body = text[body_start..].to_string();
        let mut ctx = self.ctx(file, offset, text);
        let body_ok =
            check_raw(&mut ctx, &body, body_start) & check_entities(&mut ctx, &body, body_start);
        let Some(doc) = ctx.parse(front, "the note is skipped until this is fixed") else {
            self.skip_note(&raw.rel, None);
            return;
        };
        let t = Table::new(&doc, 0..front.len(), "note", NOTE_KEYS);
        t.check_unknown(&mut ctx);
        let id = t.raw_str(&mut ctx, "id", true);
        let title = t.text(&mut ctx, "title", true);
        let summary = t.text(&mut ctx, "summary", false);
        let tags = t.str_list(&mut ctx, "tags");
        let domain = t.raw_str(&mut ctx, "domain", false);
        let related = t.str_list(&mut ctx, "related");
        let lab = t.raw_str(&mut ctx, "lab", false);
        let order = t.int(&mut ctx, "order", false);
        let aliases = t.str_list(&mut ctx, "aliases");
        if summary.is_none() && !t.has("summary") {
            let span = ctx.first_line(ctx.span(0..front.len()));
            let d = Diagnostic::warning(Code::MissingSummary, file, "note has no `summary`")
                .at(span, "front matter starts here")
                .hint("a one-line summary is shown in lists and search results");
            ctx.push(d);
        }
        // A wrong `lab` or `domain` costs that key only: the note and its text still load.
        let lab = lab.and_then(|l| lab_ref(&mut ctx, &l, "the note loads without a lab"));
        let domain = self
            .domain_ref(file, domain, None, "the note loads without a domain")
            .ok()
            .flatten();
        let related: Vec<NoteRef> = related
            .iter()
            .filter_map(|r| self.pending(RefKind::Related, r, file))
            .collect();
        self.links(file, &raw.rel, &body, body_start);
        let includes = links::includes(&body);
        let included: Vec<Option<String>> = includes
            .iter()
            .map(|inc| self.include(file, &raw.rel, inc, body_start))
            .collect();
        let body = if includes.is_empty() {
            body
        } else {
            links::expand(&body, &includes, &included)
        };
        let (Some(id), Some(title), true) = (id.clone(), title, body_ok) else {
            self.skip_note(&raw.rel, id.map(|i| i.value));
            return;
        };
        self.claims.push(Claim {
            kind: FileKind::Note,
            file,
            item: Item::Note(Note {
                id: id.value.into(),
                title: title.value,
                summary: summary.map(|s| s.value).unwrap_or_default(),
                tags: tags.into_iter().map(|t| t.value).collect(),
                domain,
                related,
                lab,
                order: order.map(|(n, _)| n),
                aliases: aliases.iter().map(|a| a.value.clone()).collect(),
                body: body.into(),
                path: raw.rel.clone(),
            }),
            id_span: id.span,
            alias_spans: aliases.into_iter().map(|a| a.span).collect(),
        });
    }

    /// Checks the links and images of a note body (at `base` in the file): note links are
    /// resolved later against every pack, relative links once the pack's notes are known,
    /// in-page anchors and files in assets/ now.
    fn links(&mut self, file: FileId, rel: &str, body: &str, base: usize) {
        let mut own_anchors: Option<Vec<String>> = None;
        for (dest, span) in body_links(body) {
            let span = span.start + base..span.end + base;
            match LinkTarget::parse(&dest) {
                LinkTarget::Note(target, anchor) => {
                    let text = Text {
                        value: target.to_string(),
                        span,
                    };
                    self.pending_at(RefKind::Link, &text, anchor, file);
                }
                LinkTarget::Relative { path, anchor } if path.is_empty() => {
                    let anchor = anchor.unwrap_or_default();
                    let anchors = own_anchors.get_or_insert_with(|| links::anchors(body));
                    if let Some(d) = unknown_anchor(file, span, "this note", &anchor, anchors) {
                        self.diagnostics.push(d);
                    }
                }
                LinkTarget::Relative { path, anchor } => self.path_links.push(PathLink {
                    path: links::resolve(rel, &path),
                    written: path,
                    from: rel.to_string(),
                    anchor,
                    file,
                    span,
                }),
                LinkTarget::File(path) => {
                    let target = links::resolve(rel, &path);
                    let found = target
                        .as_deref()
                        .is_some_and(|t| t.starts_with("assets/") && self.assets.exists(t));
                    if !found {
                        let d = Diagnostic::warning(
                            Code::MissingAsset,
                            file,
                            format!("`{path}` is not a file in this pack's assets/ folder"),
                        )
                        .at(span, "links to a missing file")
                        .hint("paths are relative to the note: a note in notes/ reaches ../assets/NAME");
                        self.diagnostics.push(d);
                    }
                }
                LinkTarget::Web(_) => {}
            }
        }
    }

    /// The text of one `{{#include ...}}`, or `None` (reported) when it cannot be included;
    /// the note then keeps the line as written.
    fn include(
        &mut self,
        file: FileId,
        rel: &str,
        inc: &links::Include,
        base: usize,
    ) -> Option<String> {
        let span = inc.span.start + base..inc.span.end + base;
        let target = links::resolve(rel, &inc.path).filter(|t| t.starts_with("assets/"));
        let problem = if inc.path.contains(':') {
            Err(
                "line ranges and anchors (`file:2:10`) are not supported; include the whole file"
                    .to_string(),
            )
        } else if let Some(target) = &target {
            match self.assets.read(target) {
                Ok(bytes) => match String::from_utf8(bytes.into_owned()) {
                    Ok(content) => {
                        let bad = text::forbidden_in_file(&content).next().map(|(_, c)| c);
                        match bad {
                            Some(c) => Err(format!("the file contains {}", text::describe(c))),
                            None => Ok(content),
                        }
                    }
                    Err(_) => Err("the file is not UTF-8".to_string()),
                },
                Err(FileProblem::TooLarge(size)) => Err(format!(
                    "the file is {size} bytes; pack files may be at most {MAX_FILE_BYTES} bytes"
                )),
                Err(FileProblem::SymlinkEscape(_)) => {
                    Err("a symlink that leads outside the pack".to_string())
                }
                Err(FileProblem::NotRegular(kind)) => Err(format!("a {kind}, not a regular file")),
                Err(_) => Err(format!("there is no file `{target}`")),
            }
        } else {
            Err("includes are read from the pack's assets/ folder".to_string())
        };
        match problem {
            Ok(text) => Some(text),
            Err(why) => {
                let d = Diagnostic::error(
                    Code::BadInclude,
                    file,
                    format!("cannot include `{}`: {why}", inc.path),
                )
                .at(span, "not included")
                .note("the note shows this line as written until it is fixed")
                .hint(
                    "include files from assets/, relative to the note: {{#include ../assets/NAME}}",
                );
                self.diagnostics.push(d);
                None
            }
        }
    }

    /// Counts a note left out and remembers its id (or its likely id, the file's name), so
    /// references to it are not reported a second time.
    fn skip_note(&mut self, rel: &str, id: Option<String>) {
        self.skipped.notes += 1;
        self.dropped_notes
            .push(id.unwrap_or_else(|| file_stem(rel)));
    }

    /// A deck file. One that does not parse is read table by table: a broken card or question
    /// is reported and skipped, the items before and after it still load.
    fn deck(&mut self, file: FileId, rel: &str, text: &str) {
        let (doc, errors) = DeTable::parse_recoverable(text);
        if errors.is_empty() {
            self.deck_table(file, text, 0..text.len(), &doc.into_inner(), None);
            return;
        }
        let before = self.claims.len();
        let mut default_note = None;
        let mut skipped = Counts::default();
        let mut names = Vec::new();
        let mut first = None;
        for piece in syntax::pieces(text) {
            if text[piece.clone()].trim().is_empty() {
                continue;
            }
            let ctx = self.ctx(file, 0, text);
            match ctx.parse_piece(text, piece.clone()) {
                Ok(doc) => default_note = self.deck_table(file, text, piece, &doc, default_note),
                Err(d) => {
                    let slice = &text[piece];
                    let id = syntax::piece_id(slice).map(|i| format!(" `{i}`"));
                    let name = match syntax::header_name(slice) {
                        Some("cards") => {
                            skipped.cards += 1;
                            format!("card{}", id.unwrap_or_default())
                        }
                        Some("questions") => {
                            skipped.questions += 1;
                            format!("question{}", id.unwrap_or_default())
                        }
                        Some(other) => format!("table [{other}]"),
                        None => "the keys before the first table".to_string(),
                    };
                    first.get_or_insert(self.diagnostics.len());
                    self.diagnostics.push((*d).note(format!("{name} skipped")));
                    names.push(name);
                }
            }
        }
        if first.is_none() {
            // Every table parses alone: the slip is between them.
            let d = self.ctx(file, 0, text).syntax_error(text, 0, &errors);
            self.diagnostics.push(*d);
        }
        let loaded = self.claims[before..]
            .iter()
            .fold(Counts::default(), |mut c, claim| {
                match claim.item {
                    Item::Card(_) => c.cards += 1,
                    Item::Question(_) => c.questions += 1,
                    Item::Note(_) => c.notes += 1,
                }
                c
            });
        self.skipped.add(skipped);
        // The first error of the file says everything the file lost, and what it still gave.
        if let Some(d) = first.and_then(|i| self.diagnostics.get_mut(i)) {
            d.notes = vec![format!(
                "{rel}: skipped {}; loaded {} and {}",
                names.join(", "),
                crate::words::count(loaded.cards, "card"),
                crate::words::count(loaded.questions, "question"),
            )];
        }
    }

    /// The items of one parsed deck table (the whole file, or one piece of a broken one);
    /// returns the file's default note for the pieces after it.
    fn deck_table(
        &mut self,
        file: FileId,
        text: &str,
        piece: Range<usize>,
        doc: &DeTable<'_>,
        default_note: Option<NoteRef>,
    ) -> Option<NoteRef> {
        let offset = piece.start;
        let mut ctx = self.ctx(file, offset, text);
        let root = Table::new(doc, 0..piece.len(), "deck", DECK_KEYS);
        root.check_unknown(&mut ctx);
        let own_note = root.raw_str(&mut ctx, "note", false);
        let cards = root.tables(&mut ctx, "cards", "card", CARD_KEYS);
        let questions = root.tables(&mut ctx, "questions", "question", QUESTION_KEYS);
        let default_note = match own_note {
            Some(n) => self.pending(RefKind::ItemNote, &n, file),
            None => default_note,
        };
        for t in cards {
            match self.card(file, text, offset, &t, default_note.as_ref()) {
                Some(claim) => self.claims.push(claim),
                None => self.skipped.cards += 1,
            }
        }
        for t in questions {
            match self.question(file, text, offset, &t, default_note.as_ref()) {
                Some(claim) => self.claims.push(claim),
                None => self.skipped.questions += 1,
            }
        }
        default_note
    }

    fn item_note(
        &mut self,
        file: FileId,
        note: Option<Text>,
        default: Option<&NoteRef>,
    ) -> Option<NoteRef> {
        match note {
            Some(n) => self.pending(RefKind::ItemNote, &n, file),
            None => default.cloned(),
        }
    }

    fn card(
        &mut self,
        file: FileId,
        text: &str,
        offset: usize,
        t: &Table<'_, '_>,
        default_note: Option<&NoteRef>,
    ) -> Option<Claim> {
        let mut ctx = self.ctx(file, offset, text);
        t.check_unknown(&mut ctx);
        let id = t.raw_str(&mut ctx, "id", true);
        let cloze_text = t.text(&mut ctx, "cloze", false);
        let is_cloze = cloze_text.is_some() || t.has("cloze");
        let kind = if is_cloze {
            for key in ["front", "back", "reverse"] {
                if let Some(span) = t.key_span(&ctx, key) {
                    let d = Diagnostic::error(
                        Code::BadValue,
                        file,
                        format!("a card has both `cloze` and `{key}`"),
                    )
                    .at(span, format!("`{key}` is for basic cards"))
                    .hint("a card is either basic (front/back) or cloze; split it in two")
                    .note(format!(
                        "the card loads as a cloze card; its `{key}` is not used"
                    ));
                    ctx.push(d);
                }
            }
            cloze_text.and_then(|c| match cloze::parse(&c.value) {
                Ok(_) => Some(CardKind::Cloze {
                    text: c.value.into(),
                }),
                Err(e) => {
                    let whole = e.range == (0..c.value.len());
                    let span = locate(text, &c, e.range.clone());
                    let label = if whole { "in this cloze text" } else { "here" };
                    let d = Diagnostic::error(Code::BadCloze, file, e.message.clone())
                        .at(span, label)
                        .hint("write deletions as {{c1::answer}} or {{c1::answer::hint}}");
                    ctx.push(d);
                    None
                }
            })
        } else {
            let front = t.text(&mut ctx, "front", true);
            let back = t.text(&mut ctx, "back", true);
            let reverse = t.bool(&mut ctx, "reverse").unwrap_or(false);
            match (front, back) {
                (Some(f), Some(b)) => Some(CardKind::Basic {
                    front: f.value.into(),
                    back: b.value.into(),
                    reverse,
                }),
                _ => None,
            }
        };
        let extra = t.text(&mut ctx, "extra", false);
        let source = t.text(&mut ctx, "source", false);
        let tags = t.str_list(&mut ctx, "tags");
        let note = t.raw_str(&mut ctx, "note", false);
        let aliases = t.str_list(&mut ctx, "aliases");
        let note = self.item_note(file, note, default_note);
        let (id, kind) = (id?, kind?);
        Some(Claim {
            kind: FileKind::Deck,
            file,
            item: Item::Card(Card {
                id: id.value.into(),
                kind,
                extra: extra.map(|e| e.value.into()),
                tags: tags.into_iter().map(|t| t.value).collect(),
                note,
                source: source.map(|s| s.value),
                aliases: aliases.iter().map(|a| a.value.clone()).collect(),
            }),
            id_span: id.span,
            alias_spans: aliases.into_iter().map(|a| a.span).collect(),
        })
    }

    fn question(
        &mut self,
        file: FileId,
        text: &str,
        offset: usize,
        t: &Table<'_, '_>,
        default_note: Option<&NoteRef>,
    ) -> Option<Claim> {
        let mut ctx = self.ctx(file, offset, text);
        t.check_unknown(&mut ctx);
        let header = t.header(&ctx);
        let id = t.raw_str(&mut ctx, "id", true);
        let domain = t.raw_str(&mut ctx, "domain", false);
        let difficulty = t.int_in(&mut ctx, "difficulty", false, 1..=3);
        let exam = t.int_in(&mut ctx, "exam", false, 1..=MAX_PRACTICE_EXAMS);
        let source = t.text(&mut ctx, "source", false);
        let is_lab = ["lab", "ask", "params"].iter().any(|k| t.has(k));
        let stem = t.text(&mut ctx, "stem", !is_lab);
        let explanation = t.text(&mut ctx, "explanation", false);
        let lab = is_lab.then(|| lab_question(&mut ctx, t, text, stem.as_ref()));
        if is_lab {
            for key in ["explanation", "choices"] {
                if let Some(span) = t.key_span(&ctx, key) {
                    let d = Diagnostic::error(
                        Code::BadValue,
                        file,
                        format!("a lab question has `{key}`, which the lab works out"),
                    )
                    .at(span, format!("the lab writes the {key}"))
                    .hint(format!(
                        "remove `{key}`: the simulation computes the key, the distractors, a why \
                         for each and the explanation from the numbers it draws"
                    ))
                    .note(format!("the question loads with the lab's own {key}"));
                    ctx.push(d);
                }
            }
        } else if explanation.is_none() && !t.has("explanation") {
            let d = Diagnostic::warning(Code::MissingWhy, file, "question has no `explanation`")
                .at(header.clone(), "this question")
                .hint("say why the key is right; learners read it after answering");
            ctx.push(d);
        }
        let tags = t.str_list(&mut ctx, "tags");
        let note = t.raw_str(&mut ctx, "note", false);
        let aliases = t.str_list(&mut ctx, "aliases");
        let mut choices = Vec::new();
        let mut choices_ok = true;
        let choice_tables = match is_lab {
            true => Vec::new(),
            false => t.tables(&mut ctx, "choices", "choice", CHOICE_KEYS),
        };
        for c in &choice_tables {
            c.check_unknown(&mut ctx);
            let text = c.text(&mut ctx, "text", true);
            let correct = c.bool(&mut ctx, "correct").unwrap_or(false);
            let why = c.text(&mut ctx, "why", false);
            if why.is_none() && !c.has("why") {
                let d = Diagnostic::warning(Code::MissingWhy, file, "choice has no `why`")
                    .at(c.header(&ctx), "this choice")
                    .hint("explain why this choice is right or wrong; learners read it in review");
                ctx.push(d);
            }
            match text {
                Some(text) => choices.push(Choice {
                    text: text.value.into(),
                    correct,
                    why: why.map(|w| w.value.into()),
                }),
                None => choices_ok = false,
            }
        }
        let count = choice_tables.len();
        let correct = choices.iter().filter(|c| c.correct).count();
        if is_lab {
            // The lab makes four choices, one correct, each with a why.
        } else if !(2..=8).contains(&count) {
            let d = Diagnostic::error(
                Code::BadChoices,
                file,
                format!("question has {count} choices; a question needs 2 to 8"),
            )
            .at(header.clone(), "this question")
            .hint("add [[questions.choices]] tables with text, correct and why");
            ctx.push(d);
            choices_ok = false;
        } else if correct == 0 && choices_ok {
            let d = Diagnostic::error(Code::BadChoices, file, "question has no correct choice")
                .at(header.clone(), "this question")
                .hint("mark the key with `correct = true`");
            ctx.push(d);
            choices_ok = false;
        } else if correct == 1 && count != 4 {
            let d = Diagnostic::warning(
                Code::ChoiceCount,
                file,
                format!("single-answer question has {count} choices; the convention is 4"),
            )
            .at(header.clone(), "this question")
            .hint("exam-style single-answer questions offer four options");
            ctx.push(d);
        } else if correct > 1 && count < 5 {
            let d = Diagnostic::warning(
                Code::ChoiceCount,
                file,
                format!(
                    "multiple-response question has {count} choices; the convention is 5 or more"
                ),
            )
            .at(header.clone(), "this question")
            .hint("multiple-response questions offer at least five options");
            ctx.push(d);
        }
        if let Some(stem) = &stem
            && let Some(phrase) = choose_phrase(&stem.value)
        {
            let span = locate(text, stem, phrase);
            let message = if correct > 1 {
                "the stem says how many to choose, which the app already shows".to_string()
            } else {
                format!("the stem says how many to choose, but {correct} choice is correct")
            };
            let d = Diagnostic::warning(Code::ChooseInStem, file, message)
                .at(span, "said by the app")
                .hint("remove it from the stem: the app adds \"Choose two\" (or three...) itself, from the choices marked correct");
            ctx.push(d);
        }
        let domain = self.domain_ref(file, domain, Some(header), "the question is skipped");
        let note = self.item_note(file, note, default_note);
        let lab = match lab {
            Some(Some(lab)) => Some(lab),
            Some(None) => return None,
            None => None,
        };
        let stem = match &lab {
            Some(l) => Some(l.preview()),
            None => stem.map(|s| s.value),
        };
        let (Some(id), Some(stem), Ok(domain), true) = (id, stem, domain, choices_ok) else {
            return None;
        };
        Some(Claim {
            kind: FileKind::Deck,
            file,
            item: Item::Question(Question {
                id: id.value.into(),
                domain,
                difficulty: difficulty.and_then(|d| u8::try_from(d).ok()),
                stem: stem.into(),
                explanation: match lab {
                    Some(_) => String::new(),
                    None => explanation.map(|e| e.value).unwrap_or_default(),
                }
                .into(),
                tags: tags.into_iter().map(|t| t.value).collect(),
                note,
                choices,
                exam: exam.and_then(|n| u8::try_from(n).ok()),
                source: source.map(|s| s.value),
                aliases: aliases.iter().map(|a| a.value.clone()).collect(),
                lab,
            }),
            id_span: id.span,
            alias_spans: aliases.into_iter().map(|a| a.span).collect(),
        })
    }
}

/// A `lab` value: one of the built-in labs, or an error that costs `cost`.
fn lab_ref(ctx: &mut Ctx<'_>, l: &Text, cost: &str) -> Option<Lab> {
    let lab = Lab::from_id(&l.value);
    if lab.is_none() {
        let ids = Lab::ALL.map(Lab::id);
        let hint = match did_you_mean(&l.value, ids) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("the labs are: {}", ids.join(", ")),
        };
        let d = Diagnostic::error(
            Code::UnknownLab,
            ctx.file,
            format!("unknown lab `{}`", l.value),
        )
        .at(l.span.clone(), "not a built-in lab")
        .hint(hint)
        .note(format!("{cost} until this is fixed"));
        ctx.push(d);
    }
    lab
}

/// The generator, parameter ranges and stem template of a question with `lab` and `ask`;
/// `None` when any of them is wrong (each mistake reported), which skips the question.
fn lab_question(
    ctx: &mut Ctx<'_>,
    t: &Table<'_, '_>,
    source: &str,
    stem: Option<&Text>,
) -> Option<LabQuestion> {
    const COST: &str = "the question is skipped";
    let lab_text = t.raw_str(ctx, "lab", true);
    let ask_text = t.raw_str(ctx, "ask", true);
    let lab = lab_ref(ctx, lab_text.as_ref()?, COST)?;
    let ask_text = ask_text?;
    let Some(ask) = Ask::find(lab.id(), &ask_text.value) else {
        let offered: Vec<&str> = Ask::of_lab(lab.id()).map(Ask::id).collect();
        let hint = match (
            offered.is_empty(),
            did_you_mean(&ask_text.value, offered.iter().copied()),
        ) {
            (true, _) => {
                let writers: Vec<&str> = Lab::ALL
                    .into_iter()
                    .filter(|l| Ask::of_lab(l.id()).next().is_some())
                    .map(Lab::id)
                    .collect();
                format!(
                    "the {} lab writes no questions yet; {} do",
                    lab.id(),
                    writers.join(" and ")
                )
            }
            (false, Some(s)) => format!("did you mean `{s}`?"),
            (false, None) => format!("the {} lab writes: {}", lab.id(), offered.join(", ")),
        };
        let d = Diagnostic::error(
            Code::UnknownGenerator,
            ctx.file,
            format!(
                "the {} lab writes no `{}` question",
                lab.id(),
                ask_text.value
            ),
        )
        .at(ask_text.span, "not a question this lab writes")
        .hint(hint)
        .note(format!("{COST} until this is fixed"));
        ctx.push(d);
        return None;
    };
    let mut ok = true;
    let mut given = Vec::new();
    if let Some(params) = t.table(ctx, "params", "parameter table", ask.param_names()) {
        let before = ctx.diags.len();
        params.check_unknown(ctx);
        for d in &mut ctx.diags[before..] {
            d.notes.push(format!("{COST} until this is fixed"));
        }
        ok &= ctx.diags.len() == before;
        for p in ask.params() {
            let Some(((lo, hi), span)) = params.int_range(ctx, p.name) else {
                ok &= !params.has(p.name);
                continue;
            };
            let problem = if lo > hi {
                Some((
                    format!("`{}` is [{lo}, {hi}]: the low end comes first", p.name),
                    "inverted range",
                    format!("write [{hi}, {lo}]"),
                ))
            } else if lo < i64::from(p.min) || hi > i64::from(p.max) {
                Some((
                    format!(
                        "`{}` is {}; `{}` accepts {} from {} to {}",
                        p.name,
                        if lo == hi {
                            lo.to_string()
                        } else {
                            format!("[{lo}, {hi}]")
                        },
                        ask.id(),
                        p.name,
                        p.min,
                        p.max
                    ),
                    "out of range",
                    format!("{}: {} to {}", p.about, p.min, p.max),
                ))
            } else {
                None
            };
            match problem {
                Some((message, label, hint)) => {
                    let d = Diagnostic::error(Code::BadValue, ctx.file, message)
                        .at(span, label)
                        .hint(hint)
                        .note(format!("{COST} until this is fixed"));
                    ctx.push(d);
                    ok = false;
                }
                // In range, so both ends fit a u32.
                None => given.push((p.name, (lo as u32, hi as u32))),
            }
        }
    }
    let known = placeholders(ask);
    for (range, name) in stem.map(|s| scan(&s.value)).unwrap_or_default() {
        if known.contains(&name) {
            continue;
        }
        let stem = stem.expect("placeholders come from the stem");
        let hint = match did_you_mean(name, known.iter().copied()) {
            Some(s) => format!("did you mean `{{{s}}}`?"),
            None => format!(
                "`{}` fills: {}",
                ask.id(),
                known
                    .iter()
                    .map(|k| format!("{{{k}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let d = Diagnostic::error(
            Code::UnknownPlaceholder,
            ctx.file,
            format!("`{{{name}}}` is not a placeholder of `{}`", ask.id()),
        )
        .at(locate(source, stem, range), "not filled by the lab")
        .hint(hint)
        .note(format!("{COST} until this is fixed"));
        ctx.push(d);
        ok = false;
    }
    ok.then(|| LabQuestion {
        lab,
        ask,
        ranges: Ranges::with(ask, &given),
        template: stem.map(|s| s.value.as_str().into()),
    })
}

/// The file span of `range` inside a string value: the value's own bytes when the source
/// spells them out unescaped (so a caret can sit under one cloze deletion), else the whole
/// value.
fn locate(source: &str, value: &Text, range: Range<usize>) -> Range<usize> {
    let Some(needle) = value.value.get(range.clone()).filter(|n| !n.is_empty()) else {
        return value.span.clone();
    };
    let raw = source.get(value.span.clone()).unwrap_or("");
    // Unescaped text appears in the source once per occurrence in the value: take the same one.
    let nth = value.value[..range.start].matches(needle).count();
    raw.match_indices(needle)
        .nth(nth)
        .map(|(i, _)| value.span.start + i..value.span.start + i + needle.len())
        .unwrap_or_else(|| value.span.clone())
}

/// "Choose two", "(Select THREE.)" and the like in a stem: the app shows it already.
fn choose_phrase(stem: &str) -> Option<Range<usize>> {
    let lower = stem.to_ascii_lowercase();
    ["choose", "select", "pick"].iter().find_map(|verb| {
        memchr::memmem::find_iter(lower.as_bytes(), verb).find_map(|i| {
            let rest = lower[i + verb.len()..].trim_start();
            let number = ["two", "three", "four", "five", "2", "3", "4", "5"]
                .iter()
                .find(|n| {
                    rest.strip_prefix(**n)
                        .is_some_and(|after| !after.starts_with(|c: char| c.is_alphanumeric()))
                })?;
            let end = lower.len() - rest.len() + number.len();
            Some(i..end)
        })
    })
}

/// Why a note's front matter could not be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrontMatterProblem {
    /// No `+++` on the first line.
    Missing,
    /// `---` YAML front matter, as static-site generators write it.
    Yaml,
    /// `+++` further down, after blank lines.
    NotFirst(usize),
    /// An opening `+++` with no closing one.
    Unclosed,
}

impl FrontMatterProblem {
    fn diagnostic(self, file: FileId, text: &str) -> Diagnostic {
        let first_line = |at: usize| {
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            at..end.max(at + 1).min(text.len().max(at + 1))
        };
        let start = usize::from(text.starts_with('\u{FEFF}')) * 3;
        let (message, at, label, hint) = match self {
            FrontMatterProblem::Missing => (
                "a note starts with TOML front matter between `+++` lines",
                start,
                "expected `+++` on the first line",
                "begin the file with +++, then id = \"...\" and title = \"...\", then +++",
            ),
            FrontMatterProblem::Yaml => (
                "this front matter is YAML (`---`); notes use TOML between `+++` lines",
                start,
                "YAML front matter",
                "replace both `---` lines with `+++`, and write `key = \"value\"` for `key: value`",
            ),
            FrontMatterProblem::NotFirst(at) => (
                "the front matter must start on the first line",
                at,
                "front matter starts here",
                "remove the lines above the opening +++",
            ),
            FrontMatterProblem::Unclosed => (
                "the front matter is never closed: the second `+++` line is missing",
                start,
                "opened here, never closed",
                "end the front matter with a line holding only +++, before the note's text",
            ),
        };
        Diagnostic::error(Code::FrontMatter, file, message)
            .at(first_line(at), label)
            .note("the note is skipped until this is fixed")
            .hint(hint)
    }
}

/// What an ignored file is when it looks like content in the wrong format or folder (a deck
/// saved as YAML, a note in decks/): content an author expects to load, so an error.
fn misplaced(rel: &str) -> Option<(&'static str, &'static str)> {
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    let in_decks = rel.starts_with("decks/");
    Some(match ext.as_str() {
        "yaml" | "yml" if in_decks => (
            "a deck saved as YAML: decks are TOML files",
            "write it in TOML (see the deck example in the authoring guide) and rename it to .toml",
        ),
        "json" if in_decks => (
            "a deck saved as JSON: decks are TOML files",
            "write it in TOML (see the deck example in the authoring guide) and rename it to .toml",
        ),
        "md" | "markdown" if in_decks => (
            "a Markdown file in decks/: notes belong in notes/, decks are TOML",
            "move a note to notes/; write a deck as TOML with a .toml name",
        ),
        "toml" if !in_decks => (
            "a TOML file in notes/: decks belong in decks/",
            "move it to decks/; a note is Markdown with a .md name",
        ),
        "markdown" | "mdown" | "mkd" => (
            "a note with the wrong extension: notes end in .md",
            "rename it to .md",
        ),
        _ => return None,
    })
}

/// A note's file name without folder and extension: its likely id when the front matter is broken.
fn file_stem(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.strip_suffix(".md").unwrap_or(name).to_string()
}

/// Splits `+++\n<toml>\n+++\n<body>`; returns (front matter, its offset, body offset). A UTF-8
/// byte-order mark before the first `+++` is allowed.
fn split_front_matter(text: &str) -> Result<(&str, usize, usize), FrontMatterProblem> {
    let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let first_end = text[bom..].find('\n').map_or(text.len(), |i| bom + i);
    let first = text[bom..first_end].trim_end();
    if first != "+++" {
        if first == "---" {
            return Err(FrontMatterProblem::Yaml);
        }
        let mut at = bom;
        for line in text[bom..].split_inclusive('\n') {
            if line.trim_end() == "+++" && text[bom..at].trim().is_empty() {
                return Err(FrontMatterProblem::NotFirst(at));
            }
            if !line.trim().is_empty() {
                break;
            }
            at += line.len();
        }
        return Err(FrontMatterProblem::Missing);
    }
    let start = (first_end + 1).min(text.len());
    let mut at = start;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        if text[at..end].trim_end() == "+++" {
            let body = (end + 1).min(text.len());
            return Ok((&text[start..at], start, body));
        }
        at = end + 1;
    }
    Err(FrontMatterProblem::Unclosed)
}

/// Every link and image destination in a Markdown body, with the span of the link.
fn body_links(body: &str) -> Vec<(String, Range<usize>)> {
    Parser::new_ext(body, markdown_options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some((dest_url.to_string(), range))
            }
            _ => None,
        })
        .collect()
}

/// A warning for an `#anchor` that `anchors` (a note's headings) does not have.
pub(crate) fn unknown_anchor(
    file: FileId,
    span: Range<usize>,
    note: &str,
    anchor: &str,
    anchors: &[String],
) -> Option<Diagnostic> {
    if anchors.iter().any(|a| a == anchor) {
        return None;
    }
    let hint = match did_you_mean(anchor, anchors.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if anchors.is_empty() => format!("{note} has no headings"),
        None => format!(
            "anchors are headings in lowercase with dashes: {}",
            anchors
                .iter()
                .take(8)
                .map(|a| format!("#{a}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Some(
        Diagnostic::warning(
            Code::UnknownAnchor,
            file,
            format!("{note} has no heading `#{anchor}`"),
        )
        .at(span, "the link opens the note at its top")
        .hint(hint),
    )
}

/// The Markdown dialect of notes: CommonMark plus GitHub tables, strikethrough and task lists.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split() {
        let t = "+++\nid = \"a\"\n+++\n# Body\n";
        let (front, off, body) = split_front_matter(t).unwrap();
        assert_eq!(front, "id = \"a\"\n");
        assert_eq!(off, 4);
        assert_eq!(&t[body..], "# Body\n");
        let problem = |t| split_front_matter(t).err();
        assert_eq!(
            problem("# no front matter\n"),
            Some(FrontMatterProblem::Missing)
        );
        assert_eq!(problem("+++\nid = 1\n"), Some(FrontMatterProblem::Unclosed));
        assert_eq!(problem("---\nid: 1\n---\n"), Some(FrontMatterProblem::Yaml));
        assert_eq!(
            problem("\n\n+++\nid = 1\n+++\n"),
            Some(FrontMatterProblem::NotFirst(2))
        );
        assert!(split_front_matter("\u{FEFF}+++\nid = 1\n+++\n").is_ok());
    }

    #[test]
    fn finds_links_and_images() {
        let links = body_links(
            "See [ring](note:consistent-hashing) and [aws](note:aws-saa:vpc), ![d](../assets/d.txt).",
        );
        let targets: Vec<_> = links.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            targets,
            [
                "note:consistent-hashing",
                "note:aws-saa:vpc",
                "../assets/d.txt"
            ]
        );
    }

    /// An index that knows one stamp and counts the files it is asked about by hash.
    struct KnowsOne {
        stamp: Stamp,
        by_hash: std::sync::atomic::AtomicUsize,
    }

    impl Reuse for KnowsOne {
        fn context(&self) -> u64 {
            context(&[], &Assets::None)
        }
        fn compiled_in(&self, _: &[String], _: &Assets) {}
        fn by_stamp(&self, _: &str, stamp: Stamp) -> Option<Compiled> {
            (stamp == self.stamp).then(Compiled::default)
        }
        fn by_hash(&self, _: &str, _: u64, _: u64) -> Option<Compiled> {
            self.by_hash
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            None
        }
        fn image(&self, _: u64, _: &[(FileId, &str, Stamp)]) -> Option<Image> {
            None
        }
    }

    #[test]
    fn a_file_in_memory_with_a_known_stamp_is_taken_from_the_index_unhashed() {
        // Files built into the binary come read (they are in memory already) and stamped
        // with the binary's stamp: on a warm start their bytes are not even hashed.
        let stamp = |size| Stamp {
            size,
            mtime_ns: 7,
            ctime_ns: 7,
        };
        let deck = "[[cards]]\nid = \"a\"\nfront = \"Q?\"\nback = \"A.\"\n";
        let file = |rel: &str, size| RawFile {
            rel: rel.to_string(),
            bytes: Cow::Owned(deck.as_bytes().to_vec()),
            path: None,
            stamp: Some(stamp(size)),
        };
        let manifest = "[pack]\nid = \"t\"\nname = \"T\"\nversion = \"1.0.0\"\nformat = 1\n";
        let listing = Listing {
            manifest: Some(RawFile::in_memory("pack.toml", manifest.into())),
            files: vec![file("decks/known.toml", 1), file("decks/new.toml", 2)],
            ..Listing::default()
        };
        let index = KnowsOne {
            stamp: stamp(1),
            by_hash: 0.into(),
        };
        let (parsed, outcomes) = compile_pack("t", listing, Cache::On(Some(&index)));
        let known = outcomes
            .iter()
            .find(|o| o.rel == "decks/known.toml")
            .unwrap();
        assert!(!known.compiled && known.hash.is_none());
        assert_eq!(known.stamp, Some(stamp(1)));
        // The other is hashed, asked for by hash, and compiled.
        let new = outcomes.iter().find(|o| o.rel == "decks/new.toml").unwrap();
        assert!(new.compiled && new.hash.is_some());
        assert_eq!(index.by_hash.into_inner(), 1);
        assert_eq!(parsed.cards.len(), 1, "{:?}", parsed.diagnostics);
    }
}
