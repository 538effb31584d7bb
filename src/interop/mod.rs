//! Decks from and to other tools: Anki packages both ways, and spreadsheets (CSV/TSV) in.
//! Each import turns a file a stranger made into a pack folder; one bad note or row is
//! reported and skipped, never blocking the rest.

pub mod anki;
pub mod csv;
pub mod html;
pub mod pack_out;

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum InteropError {
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        source: crate::bounded_read::ReadError,
    },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} is not empty; name a new folder for the pack")]
    NotEmpty(PathBuf),
    #[error("cannot write the pack's TOML: {0}")]
    Toml(String),
    #[error("refusing the file name {name:?}: {why}")]
    UnsafeName { name: String, why: &'static str },
    #[error(transparent)]
    Anki(#[from] anki::AnkiError),
    #[error("{0}")]
    Csv(String),
    #[error("nothing to import: {0}")]
    Empty(String),
}

/// A pack id from a folder or file name: `My Deck (2)` -> `my-deck-2`; `imported` if nothing
/// usable is left.
pub fn id_from_name(name: &str) -> String {
    let id = crate::content::text::suggest_id(name);
    let id: String = id.chars().take(48).collect();
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() || !crate::content::text::is_valid_id(&id) {
        "imported".to_string()
    } else {
        id
    }
}
