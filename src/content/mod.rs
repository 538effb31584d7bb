//! Content packs: the model, loading from disk or the binary, and the checker's diagnostics.
//!
//! The contract is the pack format, version 1 (see `docs/pack-format.md`).

pub mod builtin;
pub mod cache;
pub mod cards;
pub mod cloze;
mod context;
pub mod diagnostic;
pub mod explain;
pub mod history;
pub mod lab_question;
pub mod lazy_items;
pub mod lazy_text;
pub mod library;
mod license;
pub mod link_target;
pub mod links;
pub mod markdown;
pub mod model;
pub mod pack;
mod pack_image;
pub mod parse;
pub mod questions;
mod refs;
pub mod requires;
pub mod source;
mod syntax;
pub mod text;
mod toml_read;

pub use cards::{Cards, Faces, Head};
pub use diagnostic::{Diagnostic, Severity, SourceMap};
pub use library::{Candidate, Counts, Library, LoadOptions, PackReport, PendingIndexes};
pub use model::{
    Card, CardKind, Choice, Domain, Exam, Id, Lab, LabQuestion, Manifest, Note, NoteRef, Origin,
    Question, Text,
};
pub use pack::Pack;
pub use questions::{QuestionHead, Questions};
