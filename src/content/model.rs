//! The content model: what a loaded pack holds once it has been parsed and checked.

use std::path::PathBuf;

use semver::VersionReq;
use serde::{Deserialize, Serialize};

use crate::sim::ask::{Ask, Ranges};

pub use super::lazy_text::Text;

/// An item or note id. Most ids are short enough to be kept inline, so a large pack loads
/// without an allocation per id.
pub type Id = compact_str::CompactString;

/// Where a pack came from; shown by `pack list` and used to find its files again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary from `content/`.
    Builtin,
    /// A folder under `<data dir>/packs/`.
    User(PathBuf),
    /// A folder given with `--pack`.
    Extra(PathBuf),
}

impl Origin {
    pub fn label(&self) -> &'static str {
        match self {
            Origin::Builtin => "built-in",
            Origin::User(_) => "user",
            Origin::Extra(_) => "--pack",
        }
    }

    /// The folder on disk, if the pack has one.
    pub fn path(&self) -> Option<&PathBuf> {
        match self {
            Origin::Builtin => None,
            Origin::User(p) | Origin::Extra(p) => Some(p),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Manifest {
    pub id: String,
    pub name: String,
    pub version: semver::Version,
    pub description: String,
    pub authors: Vec<String>,
    pub license: String,
    /// Packs this one builds on (`requires`), with the versions it works with.
    pub requires: Vec<Requirement>,
    pub exam: Option<Exam>,
    pub domains: Vec<Domain>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exam {
    pub name: String,
    pub questions: u32,
    pub minutes: u32,
    pub pass_score: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub id: String,
    pub name: String,
    /// Exam share in percent; present for every domain of a pack with an exam.
    pub weight: Option<u32>,
}

/// A reference to a note, possibly in another pack (`pack:id`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct NoteRef {
    pub pack: Option<Id>,
    pub id: Id,
}

impl NoteRef {
    pub fn parse(text: &str) -> Self {
        match text.split_once(':') {
            Some((pack, id)) => NoteRef {
                pack: Some(Id::new(pack)),
                id: Id::new(id),
            },
            None => NoteRef {
                pack: None,
                id: Id::new(text),
            },
        }
    }

    /// The pack this reference points into, given the pack it was written in.
    pub fn pack_or<'a>(&'a self, home: &'a str) -> &'a str {
        self.pack.as_deref().unwrap_or(home)
    }
}

impl std::fmt::Display for NoteRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.pack {
            Some(p) => write!(f, "{p}:{}", self.id),
            None => f.write_str(&self.id),
        }
    }
}

/// The interactive labs a note can open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Lab {
    HashRing,
    RateLimiter,
    CacheEviction,
    Quorum,
    LoadBalancer,
}

impl Lab {
    pub const ALL: [Lab; 5] = [
        Lab::HashRing,
        Lab::RateLimiter,
        Lab::CacheEviction,
        Lab::Quorum,
        Lab::LoadBalancer,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Lab::HashRing => "hash-ring",
            Lab::RateLimiter => "rate-limiter",
            Lab::CacheEviction => "cache-eviction",
            Lab::Quorum => "quorum",
            Lab::LoadBalancer => "load-balancer",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.id() == id)
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Note {
    pub id: Id,
    pub title: String,
    pub summary: String,
    pub tags: Vec<String>,
    pub domain: Option<String>,
    pub related: Vec<NoteRef>,
    pub lab: Option<Lab>,
    pub order: Option<i64>,
    /// Former ids (`aliases = ["old-id"]`): references and review progress under them follow
    /// the note to its new id.
    pub aliases: Vec<String>,
    /// Markdown after the front matter.
    pub body: Text,
    /// Path inside the pack, e.g. `notes/caching.md`.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CardKind {
    Basic {
        front: Text,
        back: Text,
        reverse: bool,
    },
    Cloze {
        text: Text,
    },
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Card {
    pub id: Id,
    pub kind: CardKind,
    pub extra: Option<Text>,
    pub tags: Vec<String>,
    pub note: Option<NoteRef>,
    /// Where the fact comes from (a documentation page or paper), for readers who check.
    pub source: Option<String>,
    /// Former ids whose review progress carries over to this card.
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Choice {
    pub text: Text,
    pub correct: bool,
    pub why: Option<Text>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Question {
    pub id: Id,
    pub domain: Option<String>,
    pub difficulty: Option<u8>,
    pub stem: Text,
    pub explanation: Text,
    pub tags: Vec<String>,
    pub note: Option<NoteRef>,
    pub choices: Vec<Choice>,
    /// The practice exam this question belongs to (`exam = N`); `None` is the shared pool.
    pub exam: Option<u8>,
    /// Where the fact comes from (a documentation page or paper), for readers who check.
    pub source: Option<String>,
    /// Former ids whose review progress carries over to this question.
    pub aliases: Vec<String>,
    /// A question the labs write: its stem, choices and explanation are made per attempt
    /// (see [`Question::generated`]); until then `stem` previews it with its ranges.
    pub lab: Option<LabQuestion>,
}

/// The generator part of a lab question; [`Question::generated`] makes one attempt of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabQuestion {
    pub lab: Lab,
    pub ask: Ask,
    pub ranges: Ranges,
    /// The author's stem with `{name}` placeholders; `None` uses the generator's own.
    pub template: Option<Text>,
}

impl Note {
    /// Calls `f` on each of the note's long texts: those the pack index keeps out of memory.
    pub(crate) fn texts_mut(&mut self, f: &mut dyn FnMut(&mut Text)) {
        f(&mut self.body);
    }
}

impl Card {
    /// Calls `f` on each of the card's long texts.
    pub(crate) fn texts_mut(&mut self, f: &mut dyn FnMut(&mut Text)) {
        match &mut self.kind {
            CardKind::Basic { front, back, .. } => {
                f(front);
                f(back);
            }
            CardKind::Cloze { text } => f(text),
        }
        self.extra.iter_mut().for_each(f);
    }
}

impl Question {
    /// Calls `f` on each of the question's long texts.
    pub(crate) fn texts_mut(&mut self, f: &mut dyn FnMut(&mut Text)) {
        f(&mut self.stem);
        f(&mut self.explanation);
        if let Some(template) = self.lab.as_mut().and_then(|l| l.template.as_mut()) {
            f(template);
        }
        for c in &mut self.choices {
            f(&mut c.text);
            c.why.iter_mut().for_each(&mut *f);
        }
    }

    pub fn correct_count(&self) -> usize {
        self.choices.iter().filter(|c| c.correct).count()
    }

    pub fn is_multiple_response(&self) -> bool {
        self.correct_count() > 1
    }
}

/// Item counts of a pack, for summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub notes: usize,
    pub cards: usize,
    pub questions: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.notes + self.cards + self.questions
    }

    pub fn add(&mut self, other: Counts) {
        self.notes += other.notes;
        self.cards += other.cards;
        self.questions += other.questions;
    }
}

/// One entry of `requires`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub pack: String,
    /// `*` when only the id is written.
    pub versions: VersionReq,
}

impl std::fmt::Display for Requirement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.versions == VersionReq::STAR {
            f.write_str(&self.pack)
        } else {
            write!(f, "{} {}", self.pack, self.versions)
        }
    }
}
