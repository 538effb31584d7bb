//! Loading every pack (built-in, user, `--pack`) into one library, and the checks that need all
//! of them at once: duplicate pack ids and references between packs.
//!
//! A broken pack never takes the others down: each pack gets its own report, and whatever of
//! it could be read is still loaded unless its manifest is unusable.

use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::builtin;
use super::cache::IndexWrite;
use super::diagnostic::{Code, Diagnostic, FileId, Severity, SourceMap, did_you_mean};
use super::links;
use super::model::{Note, NoteRef, Origin};
use super::pack::Pack;
use super::parse::{Parsed, PathLink, RefKind, parse_pack, unknown_anchor};
use super::requires;
pub use super::source::Candidate;
use super::source::PackDir;

/// Which packs to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub builtin: bool,
    /// `<data dir>/packs`: every sub-folder is a user pack.
    pub user_dir: Option<PathBuf>,
    /// Folders given with `--pack`.
    pub extra: Vec<PathBuf>,
    /// Where compiled pack indexes are kept for fast starts; `None` reads every source.
    pub cache_dir: Option<PathBuf>,
}

pub use super::model::Counts;

/// What loading one pack folder produced.
#[derive(Debug, Clone)]
pub struct PackReport {
    /// How the pack's folder is shown in messages.
    pub label: String,
    pub origin: Origin,
    pub id: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    pub counts: Counts,
    /// Items left out because of an error, by kind.
    pub skipped: Counts,
    /// Where each item id (and former id) is written, for diagnostics made after loading;
    /// `None` for a pack that came whole from its image in the index (see [`Parsed::sites`]).
    pub sites: Option<HashMap<super::Id, (FileId, Range<usize>)>>,
    /// Where the manifest's `id` is written.
    pub manifest_site: Option<(FileId, Range<usize>)>,
    /// Whether the pack is in [`Library::packs`]; false when its manifest is unusable or its id
    /// is taken by a pack of higher precedence.
    pub loaded: bool,
    /// Notes and decks parsed and checked in this load; the others came from the pack index.
    pub compiled_files: usize,
    /// Whether every item came from the pack image in the index at once (no file changed)
    /// rather than file by file.
    pub from_image: bool,
}

impl PackReport {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }

    /// The report's diagnostics as text, in file order.
    pub fn render(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.render(&self.sources))
            .collect()
    }
}

/// Every loaded pack plus one report per pack folder tried.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub packs: Vec<Pack>,
    pub reports: Vec<PackReport>,
    /// The first problem writing a compiled pack index, worth one warning: the packs loaded
    /// from their sources all the same. Always `None` for a load that left the writes to
    /// its caller ([`Library::load_deferring_indexes`]).
    pub cache_problem: Option<String>,
    /// Where each note id (and former id) is, built on first use: the catalogue looks up a
    /// note for every card at start.
    pub note_index: NoteIndex,
}

/// Note positions by pack id and note id (or former id), for [`Library::note`].
#[derive(Debug, Clone, Default)]
pub struct NoteIndex(OnceLock<Vec<HashMap<String, usize>>>);

/// The pack folders the options name, lowest precedence first.
pub fn candidates(opts: &LoadOptions) -> Vec<Candidate> {
    let mut out = Vec::new();
    if opts.builtin {
        for (name, dir) in builtin::packs() {
            out.push(Candidate {
                dir: PackDir::Embedded(dir),
                origin: Origin::Builtin,
                label: format!("builtin:{name}"),
            });
        }
    }
    if let Some(user) = &opts.user_dir
        && let Ok(entries) = std::fs::read_dir(user)
    {
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for d in dirs {
            out.push(Candidate::disk(&d, Origin::User(d.clone())));
        }
    }
    for p in &opts.extra {
        out.push(Candidate::disk(p, Origin::Extra(p.clone())));
    }
    out
}

/// Pack indexes a load found missing or out of date, not written yet. Dropping them writes
/// them, so no way out of a command loses them; [`PendingIndexes::write`] also tells why one
/// could not be written.
#[derive(Default)]
pub struct PendingIndexes(Vec<IndexWrite>);

impl PendingIndexes {
    /// Writes the indexes side by side; the first problem, worth one warning (the packs
    /// loaded from their sources all the same).
    pub fn write(mut self) -> Option<String> {
        write_all(std::mem::take(&mut self.0))
    }
}

impl Drop for PendingIndexes {
    fn drop(&mut self) {
        write_all(std::mem::take(&mut self.0));
    }
}

fn write_all(writes: Vec<IndexWrite>) -> Option<String> {
    let problems: Vec<String> = writes
        .into_par_iter()
        .filter_map(|w| w.write().err().map(|e| e.to_string()))
        .collect();
    problems.into_iter().next()
}

impl Library {
    pub fn load(opts: &LoadOptions) -> Library {
        Library::from_candidates_in(candidates(opts), opts.cache_dir.as_deref())
    }

    /// [`Library::load`], leaving the pack indexes to write to the caller: the app writes them
    /// once its first frame is on screen.
    pub fn load_deferring_indexes(opts: &LoadOptions) -> (Library, PendingIndexes) {
        Library::from_candidates_deferring(candidates(opts), opts.cache_dir.as_deref())
    }

    /// Loads candidates from their sources; when two share a pack id the later one (higher
    /// precedence) wins.
    pub fn from_candidates(candidates: Vec<Candidate>) -> Library {
        Library::from_candidates_in(candidates, None)
    }

    /// Loads candidates through the compiled pack indexes in `cache` when given, and writes
    /// the indexes that were missing or out of date.
    pub fn from_candidates_in(candidates: Vec<Candidate>, cache: Option<&Path>) -> Library {
        let (mut lib, pending) = Library::from_candidates_deferring(candidates, cache);
        lib.cache_problem = pending.write();
        lib
    }

    fn from_candidates_deferring(
        candidates: Vec<Candidate>,
        cache: Option<&Path>,
    ) -> (Library, PendingIndexes) {
        // Packs are independent until references are resolved: load them side by side.
        let (parsed_packs, writes): (Vec<Parsed>, Vec<Option<IndexWrite>>) = candidates
            .par_iter()
            .map(|c| match cache {
                Some(dir) => super::cache::load(c, dir),
                None => (parse_pack(&c.label, c.dir.list()), None),
            })
            .unzip();
        let parsed: Vec<(Candidate, Parsed)> = candidates.into_iter().zip(parsed_packs).collect();
        let mut winners: HashMap<String, usize> = HashMap::new();
        for (i, (_, p)) in parsed.iter().enumerate() {
            if let Some(m) = &p.manifest {
                winners.insert(m.id.clone(), i);
            }
        }
        let labels: Vec<String> = parsed.iter().map(|(c, _)| c.label.clone()).collect();
        let mut lib = Library::default();
        let mut kept: Vec<Parsed> = Vec::new();
        for (i, (cand, mut p)) in parsed.into_iter().enumerate() {
            let shadowed_by = p
                .manifest
                .as_ref()
                .and_then(|m| winners.get(&m.id))
                .filter(|&&w| w != i)
                .map(|&w| labels[w].clone());
            if let (Some(by), Some((file, span))) = (&shadowed_by, p.manifest_site.clone()) {
                let id = p
                    .manifest
                    .as_ref()
                    .map(|m| m.id.clone())
                    .unwrap_or_default();
                let d = Diagnostic::warning(
                    Code::DuplicatePack,
                    file,
                    format!("pack `{id}` is also loaded from {by}, which takes its place"),
                )
                .at(span, "same pack id")
                .hint("give one of them another id to load both");
                p.diagnostics.push(d);
            }
            let loaded = p.manifest.is_some() && shadowed_by.is_none();
            let report = PackReport {
                label: cand.label.clone(),
                origin: cand.origin.clone(),
                id: p.manifest.as_ref().map(|m| m.id.clone()),
                name: p.manifest.as_ref().map(|m| m.name.clone()),
                version: p.manifest.as_ref().map(|m| m.version.to_string()),
                sources: SourceMap::default(),
                diagnostics: Vec::new(),
                counts: Counts {
                    notes: p.notes.len(),
                    cards: p.cards.len(),
                    questions: p.questions.len(),
                },
                skipped: p.skipped,
                sites: p.sites.take(),
                manifest_site: p.manifest_site.clone(),
                loaded,
                compiled_files: p.compiled_files,
                from_image: p.from_image,
            };
            lib.reports.push(report);
            if loaded && let Some(manifest) = p.manifest.take() {
                lib.packs.push(Pack {
                    manifest,
                    origin: cand.origin,
                    notes: std::mem::take(&mut p.notes),
                    cards: std::mem::take(&mut p.cards),
                    questions: std::mem::take(&mut p.questions),
                });
            }
            kept.push(p);
        }
        lib.resolve(&mut kept);
        for (report, p) in lib.reports.iter_mut().zip(kept) {
            let mut diags = p.diagnostics;
            let sources = p.sources;
            diags.sort_by_key(|d| (d.file, d.span.as_ref().map_or(0, |s| s.start)));
            report.diagnostics = cap_per_file(diags);
            report.sources = sources;
        }
        (lib, PendingIndexes(writes.into_iter().flatten().collect()))
    }

    /// Cross-pack checks: every note reference resolves, and exam domains have questions.
    fn resolve(&self, parsed: &mut [Parsed]) {
        let notes: HashMap<&str, HashSet<&str>> = self
            .packs
            .iter()
            .map(|p| {
                let ids = p.notes.iter().flat_map(|n| {
                    std::iter::once(n.id.as_str()).chain(n.aliases.iter().map(String::as_str))
                });
                (p.id(), ids.collect())
            })
            .collect();
        for (report, p) in self.reports.iter().zip(parsed.iter_mut()) {
            let Some(home) = report.id.as_deref() else {
                continue;
            };
            let mut diags: Vec<Diagnostic> = p
                .requires
                .iter()
                .filter_map(|site| requires::check(site, self.pack(&site.requirement.pack)))
                .collect();
            let required = |pack: &str| p.requires.iter().any(|s| s.requirement.pack == pack);
            for r in &p.refs {
                let pack = r.target.pack_or(home);
                if pack == home && p.dropped_notes.iter().any(|d| *d == r.target.id) {
                    continue; // the note itself is already reported
                }
                let what = match r.kind {
                    RefKind::Related => "related note",
                    RefKind::Link => "linked note",
                    RefKind::ItemNote => "note",
                };
                match notes.get(pack) {
                    // A missing required pack is one `missing-requirement` error.
                    None if required(pack) => {}
                    None => diags.push(
                        Diagnostic::warning(
                            Code::UnloadedPack,
                            r.file,
                            format!(
                                "{what} `{}` is in pack `{pack}`, which is not loaded",
                                r.target
                            ),
                        )
                        .at(r.span.clone(), "cannot be checked")
                        .hint(format!("load `{pack}` with --pack to check this reference")),
                    ),
                    Some(ids) if !ids.contains(r.target.id.as_str()) => {
                        let hint = did_you_mean(&r.target.id, ids.iter().copied())
                            .map(|s| format!("did you mean `{}`?", relabel(&r.target, s)))
                            .unwrap_or_else(|| format!("pack `{pack}` has no note with this id"));
                        diags.push(
                            Diagnostic::error(
                                Code::DanglingReference,
                                r.file,
                                format!("{what} `{}` does not exist", r.target),
                            )
                            .at(r.span.clone(), "no such note")
                            .hint(hint),
                        );
                    }
                    Some(_) => {
                        if let (Some(anchor), Some((_, note))) =
                            (&r.anchor, self.note(home, &r.target))
                        {
                            let name = format!("note `{}`", r.target);
                            diags.extend(unknown_anchor(
                                r.file,
                                r.span.clone(),
                                &name,
                                anchor,
                                &links::anchors(&note.body),
                            ));
                        }
                    }
                }
            }
            if let Some(pack) = self.pack(home).filter(|_| report.loaded) {
                diags.extend(
                    p.path_links
                        .iter()
                        .filter_map(|l| path_link(pack, l, &p.dropped_notes)),
                );
            }
            // With questions skipped for errors, an empty domain may only look empty: the
            // errors are reported, the warning would be noise.
            if report.loaded
                && p.skipped.questions == 0
                && let Some(pack) = self.pack(home)
                && !pack.questions.is_empty()
            {
                for (domain, file, span) in &p.domain_sites {
                    if !pack
                        .questions
                        .heads()
                        .any(|q| q.domain == Some(domain.as_str()))
                    {
                        diags.push(
                            Diagnostic::warning(
                                Code::EmptyDomain,
                                *file,
                                format!("domain `{domain}` has no questions"),
                            )
                            .at(span.clone(), "declared here")
                            .hint("exams and drills cannot draw from it; add questions with this domain"),
                        );
                    }
                }
            }
            p.diagnostics.extend(diags);
        }
    }

    pub fn pack(&self, id: &str) -> Option<&Pack> {
        self.packs.iter().find(|p| p.id() == id)
    }

    /// The note a reference written in pack `home` points to (as [`Pack::note`] finds it).
    pub fn note(&self, home: &str, r: &NoteRef) -> Option<(&Pack, &Note)> {
        let (p, n) = self.note_place(home, r)?;
        let pack = self.packs.get(p)?;
        Some((pack, pack.notes.get(n)?))
    }

    /// Where that note lies: its pack's place in [`Library::packs`] and its own in the pack's
    /// notes, for tables kept beside the library.
    pub fn note_place(&self, home: &str, r: &NoteRef) -> Option<(usize, usize)> {
        let want = r.pack_or(home);
        let p = self.packs.iter().position(|p| p.id() == want)?;
        let index = self.note_index.0.get_or_init(|| {
            self.packs
                .iter()
                .map(|p| {
                    let mut ids = HashMap::new();
                    // The first note wins, and an id wins over another note's former id.
                    for (i, n) in p.notes.iter().enumerate().rev() {
                        for a in &n.aliases {
                            ids.insert(a.clone(), i);
                        }
                    }
                    for (i, n) in p.notes.iter().enumerate().rev() {
                        ids.insert(n.id.to_string(), i);
                    }
                    ids
                })
                .collect()
        });
        Some((p, *index.get(p)?.get(r.id.as_str())?))
    }

    pub fn error_count(&self) -> usize {
        self.reports.iter().map(PackReport::errors).sum()
    }

    /// Reports with errors, for the "packs with problems" notice. A pack whose manifest is
    /// unusable always has one.
    pub fn broken(&self) -> impl Iterator<Item = &PackReport> {
        self.reports.iter().filter(|r| r.errors() > 0)
    }
}

/// The problem with a relative link to a note file, if it has one: no such note, or no such
/// heading in it. Links to notes dropped for their own errors are not reported again.
fn path_link(pack: &Pack, link: &PathLink, dropped: &[String]) -> Option<Diagnostic> {
    let written = &link.written;
    let Some(path) = &link.path else {
        return Some(
            Diagnostic::warning(
                Code::UnresolvedLink,
                link.file,
                format!("`{written}` leads outside the pack"),
            )
            .at(link.span.clone(), "not a note of this pack")
            .hint("link to notes of other packs with note:pack:id"),
        );
    };
    match pack.notes.iter().find(|n| &n.path == path) {
        Some(note) => {
            let anchor = link.anchor.as_deref()?;
            let name = format!("note `{}`", note.id);
            unknown_anchor(
                link.file,
                link.span.clone(),
                &name,
                anchor,
                &links::anchors(&note.body),
            )
        }
        None => {
            let stem = path
                .rsplit('/')
                .next()
                .unwrap_or(path)
                .trim_end_matches(".md");
            if dropped.iter().any(|d| d == stem) {
                return None;
            }
            let hint = did_you_mean(path, pack.notes.iter().map(|n| n.path.as_str()))
                .map(|s| {
                    let s = links::relative(&link.from, s);
                    format!("did you mean `{s}`? paths are relative to the note")
                })
                .unwrap_or_else(|| {
                    "paths are relative to the note; `note:id` links do not depend on files"
                        .to_string()
                });
            Some(
                Diagnostic::warning(
                    Code::UnresolvedLink,
                    link.file,
                    format!("`{written}` is not a note of this pack (no {path})"),
                )
                .at(link.span.clone(), "the reader cannot follow this link")
                .hint(hint),
            )
        }
    }
}

/// A suggestion written the way the author wrote the reference (with or without `pack:`).
fn relabel(original: &NoteRef, id: &str) -> String {
    NoteRef {
        pack: original.pack.clone(),
        id: id.into(),
    }
    .to_string()
}

/// The most diagnostics shown for one file: a file of a million `[` would otherwise print
/// hundreds of megabytes. The rest are counted in one closing diagnostic.
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 25;

/// Keeps the first [`MAX_DIAGNOSTICS_PER_FILE`] of each file's (sorted) diagnostics and says how
/// many more there were, with the worst severity among them so a failing check still fails.
fn cap_per_file(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out = Vec::with_capacity(diags.len().min(256));
    let mut iter = diags.into_iter().peekable();
    while let Some(first) = iter.next() {
        let file = first.file;
        out.push(first);
        let mut shown = 1;
        let (mut errors, mut warnings) = (0usize, 0usize);
        while let Some(d) = iter.next_if(|d| d.file == file) {
            if shown < MAX_DIAGNOSTICS_PER_FILE {
                out.push(d);
                shown += 1;
            } else if d.is_error() {
                errors += 1;
            } else {
                warnings += 1;
            }
        }
        if errors + warnings > 0 {
            let message = format!(
                "and {} more in this file ({errors} errors, {warnings} warnings) not shown",
                errors + warnings
            );
            let more = if errors > 0 {
                Diagnostic::error(Code::TooManyProblems, file, message)
            } else {
                Diagnostic::warning(Code::TooManyProblems, file, message)
            };
            out.push(
                more.hint(
                    "fix the first problems and check again; later ones often follow from them",
                ),
            );
        }
    }
    out
}
