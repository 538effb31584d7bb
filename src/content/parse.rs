//! Parsing one pack's files into the model, with every in-pack rule checked on the way.
//!
//! References to notes (which may point into other packs) are collected here and resolved
//! later by [`super::library`], once every pack is known.

use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::cloze;
use super::diagnostic::{Code, Diagnostic, FileId, SourceMap, did_you_mean};
use super::model::{Card, CardKind, Choice, Domain, Exam, Lab, Manifest, Note, NoteRef, Question};
use super::source::{FileKind, FileProblem, Listing, MAX_DEPTH, MAX_FILE_BYTES, RawFile};
use super::text::{check_entities, check_raw, is_valid_id, suggest_id};
use super::toml_read::{Ctx, Table, Text};

const MANIFEST_KEYS: &[&str] = &["pack", "exam", "domains"];
const PACK_KEYS: &[&str] = &[
    "id",
    "name",
    "version",
    "format",
    "description",
    "authors",
    "license",
];
const EXAM_KEYS: &[&str] = &["name", "questions", "minutes", "pass_score"];
const DOMAIN_KEYS: &[&str] = &["id", "name", "weight"];
const NOTE_KEYS: &[&str] = &[
    "id", "title", "summary", "tags", "domain", "related", "lab", "order",
];
const DECK_KEYS: &[&str] = &["note", "cards", "questions"];
const CARD_KEYS: &[&str] = &[
    "id", "front", "back", "reverse", "cloze", "extra", "tags", "note", "source",
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
];
const CHOICE_KEYS: &[&str] = &["text", "correct", "why"];

/// The highest practice-exam number a question may name with `exam = N`.
pub const MAX_PRACTICE_EXAMS: i64 = 20;

/// The pack format version this build reads.
pub const FORMAT_VERSION: i64 = 1;

/// What a reference points from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Related,
    Link,
    ItemNote,
}

/// A note reference waiting to be resolved against every loaded pack.
#[derive(Debug, Clone)]
pub struct PendingRef {
    pub kind: RefKind,
    pub target: NoteRef,
    pub file: FileId,
    pub span: Range<usize>,
}

/// Everything one pack's files yielded.
#[derive(Debug, Default)]
pub struct Parsed {
    pub manifest: Option<Manifest>,
    /// Where the manifest's `id` is written, for duplicate-pack errors.
    pub manifest_site: Option<(FileId, Range<usize>)>,
    pub notes: Vec<Note>,
    pub cards: Vec<Card>,
    pub questions: Vec<Question>,
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    pub refs: Vec<PendingRef>,
    /// Where each exam domain is declared, for empty-domain warnings.
    pub domain_sites: Vec<(String, FileId, Range<usize>)>,
    /// Ids of notes that were reported and dropped: references to them are not reported again.
    pub dropped_notes: Vec<String>,
}

/// Parses a listed pack. `label` prefixes file names in diagnostics (the pack's folder).
pub fn parse_pack(label: &str, listing: Listing) -> Parsed {
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
    if let Some(manifest) = &p.out.manifest {
        let domains: Vec<String> = manifest.domains.iter().map(|d| d.id.clone()).collect();
        let files: Vec<(FileId, &RawFile, Option<&str>)> = listing
            .files
            .iter()
            .map(|raw| {
                let (file, text) = p.decode(raw);
                (file, raw, text)
            })
            .collect();
        let mut works = check_all(&files, &domains);
        // Notes first: a note is the natural "first definition" of an id it shares with a card.
        for kind in [FileKind::Note, FileKind::Deck] {
            for work in &mut works {
                let claims = std::mem::take(&mut work.claims);
                let (now, later): (Vec<_>, Vec<_>) =
                    claims.into_iter().partition(|c| c.kind == kind);
                work.claims = later;
                for claim in now {
                    p.claim(claim);
                }
            }
        }
        for work in works {
            p.out.diagnostics.extend(work.diagnostics);
            p.out.refs.extend(work.refs);
            p.out.dropped_notes.extend(work.dropped_notes);
        }
    }
    p.out
}

/// Checks every note and deck on all cores: parsing and checking a file needs nothing from the
/// others, and it is most of the loading time. Only id claims wait for [`PackParser::claim`].
fn check_all<'f, 'd>(
    files: &[(FileId, &'f RawFile, Option<&'f str>)],
    domains: &'d [String],
) -> Vec<FileWork<'d>> {
    files
        .par_chunks(32)
        .map(|chunk| {
            let mut work = FileWork::new(domains);
            for &(file, raw, text) in chunk {
                if let Some(text) = text {
                    match FileKind::of(&raw.rel) {
                        Some(FileKind::Note) => work.note(file, raw, text),
                        Some(FileKind::Deck) => work.deck(file, text),
                        None => {}
                    }
                }
            }
            work
        })
        .collect()
}

/// An item that passed its checks and waits for its id to be claimed.
struct Claim {
    kind: FileKind,
    file: FileId,
    id: Text,
    item: Item,
}

enum Item {
    Note(Note),
    Card(Card),
    Question(Question),
}

/// What checking some files produced, before ids are claimed across the pack.
struct FileWork<'d> {
    /// The pack's domain ids, for `domain` references.
    domains: &'d [String],
    diagnostics: Vec<Diagnostic>,
    refs: Vec<PendingRef>,
    dropped_notes: Vec<String>,
    claims: Vec<Claim>,
}

struct PackParser<'l> {
    label: &'l str,
    out: Parsed,
    /// First definition of every item id: notes, cards and questions share one namespace.
    ids: HashMap<String, (FileId, Range<usize>)>,
}

impl PackParser<'_> {
    fn name(&self, rel: &str) -> String {
        format!("{}/{rel}", self.label)
    }

    fn file_problem(&mut self, rel: &str, problem: &FileProblem) {
        let file = self.out.sources.add(self.name(rel), "");
        let d = match problem {
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
            FileProblem::TooDeep => Diagnostic::warning(
                Code::TooDeep,
                file,
                format!("skipped: folders nested more than {MAX_DEPTH} deep are not read"),
            )
            .hint("move its notes or decks closer to the pack's top"),
            FileProblem::Unreadable(e) => {
                Diagnostic::error(Code::IoError, file, format!("cannot read: {e}"))
            }
            FileProblem::Ignored => Diagnostic::warning(
                Code::IgnoredFile,
                file,
                "file ignored: notes are `notes/**/*.md`, decks are `decks/**/*.toml`",
            )
            .hint("rename it with the right extension, or move it to assets/"),
        };
        self.out.diagnostics.push(d);
    }

    /// Decodes a file as UTF-8, registering it for diagnostics either way.
    fn decode<'r>(&mut self, raw: &'r RawFile) -> (FileId, Option<&'r str>) {
        match std::str::from_utf8(&raw.bytes) {
            Ok(text) => (self.out.sources.add(self.name(&raw.rel), text), Some(text)),
            Err(e) => {
                let lossy = String::from_utf8_lossy(&raw.bytes[..e.valid_up_to()]).into_owned();
                let at = lossy.len();
                let shown = format!("{lossy}\u{FFFD}");
                let file = self.out.sources.add(self.name(&raw.rel), &shown);
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
    /// already taken.
    fn claim(&mut self, claim: Claim) {
        let Claim { file, id, item, .. } = claim;
        if self.claim_id(file, id).is_none() {
            return;
        }
        match item {
            Item::Note(n) => self.out.notes.push(n),
            Item::Card(c) => self.out.cards.push(c),
            Item::Question(q) => self.out.questions.push(q),
        }
    }

    /// Validates an id and records it; returns it when usable.
    fn claim_id(&mut self, file: FileId, id: Text) -> Option<String> {
        if !is_valid_id(&id.value) {
            let d = Diagnostic::error(
                Code::BadId,
                file,
                format!("`{}` is not a valid id", id.value),
            )
            .at(id.span, "ids are lowercase letters, digits and dashes")
            .hint(format!("try `{}`", suggest_id(&id.value)));
            self.out.diagnostics.push(d);
            return None;
        }
        if let Some((first_file, first_span)) = self.ids.get(&id.value).cloned() {
            let place = self.out.sources.position(first_file, first_span.start);
            let d = Diagnostic::error(
                Code::DuplicateId,
                file,
                format!("the id `{}` is used twice in this pack", id.value),
            )
            .at(id.span, "defined again here")
            .related(first_file, first_span, "first defined here")
            .hint(format!(
                "first defined here: {place}; notes, cards and questions share one id namespace"
            ));
            self.out.diagnostics.push(d);
            return None;
        }
        self.ids.insert(id.value.clone(), (file, id.span));
        Some(id.value)
    }

    fn manifest(&mut self, raw: &RawFile) {
        let (file, Some(text)) = self.decode(raw) else {
            return;
        };
        let mut ctx = self.ctx(file, 0, text);
        let Some(doc) = ctx.parse(text) else {
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
                    t.span(),
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
        if let Some((_, exam_span)) = &exam {
            let header = ctx.first_line(exam_span.clone());
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
        self.out.domain_sites = domains
            .iter()
            .map(|(d, span)| (d.id.clone(), file, span.clone()))
            .collect();
        self.out.manifest_site = Some((file, id.span.clone()));
        self.out.manifest = Some(Manifest {
            id: id.value,
            name: name.value,
            version,
            description: description.map(|d| d.value).unwrap_or_default(),
            authors: authors.into_iter().map(|a| a.value).collect(),
            license: license.map(|l| l.value).unwrap_or_default(),
            exam: exam.map(|(e, _)| e),
            domains: domains.into_iter().map(|(d, _)| d).collect(),
        });
    }
}

impl<'d> FileWork<'d> {
    fn new(domains: &'d [String]) -> Self {
        FileWork {
            domains,
            diagnostics: Vec::new(),
            refs: Vec::new(),
            dropped_notes: Vec::new(),
            claims: Vec::new(),
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

    /// Checks a `domain` value against the manifest.
    fn domain_ref(
        &mut self,
        file: FileId,
        domain: Option<Text>,
        required: Option<Range<usize>>,
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
                .hint(hint);
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
                    ));
                    self.diagnostics.push(d);
                    Err(())
                }
                _ => Ok(None),
            },
        }
    }

    fn pending(&mut self, kind: RefKind, text: &Text, file: FileId) -> Option<NoteRef> {
        let target = NoteRef::parse(&text.value);
        let valid = target.pack.as_deref().is_none_or(is_valid_id) && is_valid_id(&target.id);
        if !valid {
            let d = Diagnostic::error(
                Code::DanglingReference,
                file,
                format!("`{}` is not a note reference", text.value),
            )
            .at(text.span.clone(), "expected `note-id` or `pack:note-id`");
            self.diagnostics.push(d);
            return None;
        }
        self.refs.push(PendingRef {
            kind,
            target: target.clone(),
            file,
            span: text.span.clone(),
        });
        Some(target)
    }

    fn note(&mut self, file: FileId, raw: &RawFile, text: &str) {
        let Some((front, offset, body_start)) = split_front_matter(text) else {
            let d = Diagnostic::error(
                Code::FrontMatter,
                file,
                "a note starts with TOML front matter between `+++` lines",
            )
            .at(
                0..text
                    .len()
                    .min(text.find('\n').unwrap_or(text.len()))
                    .max(1)
                    .min(text.len().max(1)),
                "expected `+++` on the first line",
            )
            .hint("begin the file with +++, then id = \"...\" and title = \"...\", then +++");
            self.diagnostics.push(d);
            self.dropped_notes.push(file_stem(&raw.rel));
            return;
        };
        let body = text[body_start..].to_string();
        let mut ctx = self.ctx(file, offset, text);
        let body_ok =
            check_raw(&mut ctx, &body, body_start) & check_entities(&mut ctx, &body, body_start);
        let Some(doc) = ctx.parse(front) else {
            self.dropped_notes.push(file_stem(&raw.rel));
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
        if summary.is_none() && !t.has("summary") {
            let span = ctx.first_line(ctx.span(0..front.len()));
            let d = Diagnostic::warning(Code::MissingSummary, file, "note has no `summary`")
                .at(span, "front matter starts here")
                .hint("a one-line summary is shown in lists and search results");
            ctx.push(d);
        }
        let lab = match lab {
            None => Ok(None),
            Some(l) => match Lab::from_id(&l.value) {
                Some(lab) => Ok(Some(lab)),
                None => {
                    let ids = Lab::ALL.map(Lab::id);
                    let hint = match did_you_mean(&l.value, ids) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the labs are: {}", ids.join(", ")),
                    };
                    let d = Diagnostic::error(
                        Code::UnknownLab,
                        file,
                        format!("unknown lab `{}`", l.value),
                    )
                    .at(l.span, "not a built-in lab")
                    .hint(hint);
                    ctx.push(d);
                    Err(())
                }
            },
        };
        let domain = self.domain_ref(file, domain, None);
        let related: Vec<NoteRef> = related
            .iter()
            .filter_map(|r| self.pending(RefKind::Related, r, file))
            .collect();
        for (target, span) in note_links(&body) {
            let text = Text {
                value: target,
                span: span.start + body_start..span.end + body_start,
            };
            self.pending(RefKind::Link, &text, file);
        }
        let (Some(id), Some(title), Ok(domain), Ok(lab), true) =
            (id.clone(), title, domain, lab, body_ok)
        else {
            self.dropped_notes.extend(id.map(|i| i.value));
            return;
        };
        self.claims.push(Claim {
            kind: FileKind::Note,
            file,
            item: Item::Note(Note {
                id: id.value.clone(),
                title: title.value,
                summary: summary.map(|s| s.value).unwrap_or_default(),
                tags: tags.into_iter().map(|t| t.value).collect(),
                domain,
                related,
                lab,
                order: order.map(|(n, _)| n),
                body,
                path: raw.rel.clone(),
            }),
            id,
        });
    }

    fn deck(&mut self, file: FileId, text: &str) {
        let mut ctx = self.ctx(file, 0, text);
        let Some(doc) = ctx.parse(text) else {
            return;
        };
        let root = Table::new(&doc, 0..text.len(), "deck", DECK_KEYS);
        root.check_unknown(&mut ctx);
        let default_note = root.raw_str(&mut ctx, "note", false);
        let cards = root.tables(&mut ctx, "cards", "card", CARD_KEYS);
        let questions = root.tables(&mut ctx, "questions", "question", QUESTION_KEYS);
        let default_note = default_note.and_then(|n| self.pending(RefKind::ItemNote, &n, file));
        for t in cards {
            self.card(file, text, &t, default_note.as_ref());
        }
        for t in questions {
            self.question(file, text, &t, default_note.as_ref());
        }
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
        t: &Table<'_, '_>,
        default_note: Option<&NoteRef>,
    ) {
        let mut ctx = self.ctx(file, 0, text);
        t.check_unknown(&mut ctx);
        let id = t.raw_str(&mut ctx, "id", true);
        let cloze_text = t.text(&mut ctx, "cloze", false);
        let is_cloze = cloze_text.is_some() || t.has("cloze");
        let kind = if is_cloze {
            for key in ["front", "back", "reverse"] {
                if t.has(key) {
                    let d = Diagnostic::error(
                        Code::BadValue,
                        file,
                        format!("a cloze card has no `{key}`"),
                    )
                    .at(
                        ctx.first_line(t.span()),
                        "this card has both `cloze` and `{key}`",
                    )
                    .hint("a card is either basic (front/back) or cloze; split it in two");
                    ctx.push(d);
                }
            }
            cloze_text.and_then(|c| match cloze::parse(&c.value) {
                Ok(_) => Some(CardKind::Cloze { text: c.value }),
                Err(e) => {
                    let d = Diagnostic::error(Code::BadCloze, file, e.message.clone())
                        .at(c.span, "in this cloze text")
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
                    front: f.value,
                    back: b.value,
                    reverse,
                }),
                _ => None,
            }
        };
        let extra = t.text(&mut ctx, "extra", false);
        let source = t.text(&mut ctx, "source", false);
        let tags = t.str_list(&mut ctx, "tags");
        let note = t.raw_str(&mut ctx, "note", false);
        let note = self.item_note(file, note, default_note);
        let (Some(id), Some(kind)) = (id, kind) else {
            return;
        };
        self.claims.push(Claim {
            kind: FileKind::Deck,
            file,
            item: Item::Card(Card {
                id: id.value.clone(),
                kind,
                extra: extra.map(|e| e.value),
                tags: tags.into_iter().map(|t| t.value).collect(),
                note,
                source: source.map(|s| s.value),
            }),
            id,
        });
    }

    fn question(
        &mut self,
        file: FileId,
        text: &str,
        t: &Table<'_, '_>,
        default_note: Option<&NoteRef>,
    ) {
        let mut ctx = self.ctx(file, 0, text);
        t.check_unknown(&mut ctx);
        let header = ctx.first_line(t.span());
        let id = t.raw_str(&mut ctx, "id", true);
        let domain = t.raw_str(&mut ctx, "domain", false);
        let difficulty = t.int_in(&mut ctx, "difficulty", false, 1..=3);
        let exam = t.int_in(&mut ctx, "exam", false, 1..=MAX_PRACTICE_EXAMS);
        let source = t.text(&mut ctx, "source", false);
        let stem = t.text(&mut ctx, "stem", true);
        let explanation = t.text(&mut ctx, "explanation", false);
        if explanation.is_none() && !t.has("explanation") {
            let d = Diagnostic::warning(Code::MissingWhy, file, "question has no `explanation`")
                .at(header.clone(), "this question")
                .hint("say why the key is right; learners read it after answering");
            ctx.push(d);
        }
        let tags = t.str_list(&mut ctx, "tags");
        let note = t.raw_str(&mut ctx, "note", false);
        let mut choices = Vec::new();
        let mut choices_ok = true;
        let choice_tables = t.tables(&mut ctx, "choices", "choice", CHOICE_KEYS);
        for c in &choice_tables {
            c.check_unknown(&mut ctx);
            let text = c.text(&mut ctx, "text", true);
            let correct = c.bool(&mut ctx, "correct").unwrap_or(false);
            let why = c.text(&mut ctx, "why", false);
            if why.is_none() && !c.has("why") {
                let d = Diagnostic::warning(Code::MissingWhy, file, "choice has no `why`")
                    .at(ctx.first_line(c.span()), "this choice")
                    .hint("explain why this choice is right or wrong; learners read it in review");
                ctx.push(d);
            }
            match text {
                Some(text) => choices.push(Choice {
                    text: text.value,
                    correct,
                    why: why.map(|w| w.value),
                }),
                None => choices_ok = false,
            }
        }
        let count = choice_tables.len();
        let correct = choices.iter().filter(|c| c.correct).count();
        if !(2..=8).contains(&count) {
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
        let domain = self.domain_ref(file, domain, Some(header));
        let note = self.item_note(file, note, default_note);
        let (Some(id), Some(stem), Ok(domain), true) = (id, stem, domain, choices_ok) else {
            return;
        };
        self.claims.push(Claim {
            kind: FileKind::Deck,
            file,
            item: Item::Question(Question {
                id: id.value.clone(),
                domain,
                difficulty: difficulty.and_then(|d| u8::try_from(d).ok()),
                stem: stem.value,
                explanation: explanation.map(|e| e.value).unwrap_or_default(),
                tags: tags.into_iter().map(|t| t.value).collect(),
                note,
                choices,
                exam: exam.and_then(|n| u8::try_from(n).ok()),
                source: source.map(|s| s.value),
            }),
            id,
        });
    }
}

/// A note's file name without folder and extension: its likely id when the front matter is broken.
fn file_stem(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.strip_suffix(".md").unwrap_or(name).to_string()
}

/// Splits `+++\n<toml>\n+++\n<body>`; returns (front matter, its offset, body offset).
fn split_front_matter(text: &str) -> Option<(&str, usize, usize)> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "+++" {
        return None;
    }
    let start = first_end + 1;
    let mut at = start;
    loop {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        if text[at..end].trim_end() == "+++" {
            let body = (end + 1).min(text.len());
            return Some((&text[start..at], start, body));
        }
        if end >= text.len() {
            return None;
        }
        at = end + 1;
    }
}

/// Every `note:` link target in a Markdown body, with the span of the link.
fn note_links(body: &str) -> Vec<(String, Range<usize>)> {
    Parser::new_ext(body, markdown_options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => dest_url
                .strip_prefix("note:")
                .map(|t| (t.to_string(), range)),
            _ => None,
        })
        .collect()
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
        assert!(split_front_matter("# no front matter\n").is_none());
        assert!(split_front_matter("+++\nid = 1\n").is_none());
    }

    #[test]
    fn finds_note_links() {
        let links = note_links(
            "See [ring](note:consistent-hashing) and [aws](note:aws-saa:vpc), [web](https://x.y).",
        );
        let targets: Vec<_> = links.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(targets, ["consistent-hashing", "aws-saa:vpc"]);
    }
}
