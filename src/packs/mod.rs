//! Packs people share: the one-file archives `pack export` writes, installing an archive or a
//! folder into `<data dir>/packs/<id>/`, updating it from where it came from, uninstalling it,
//! and the changelog an update shows.
//!
//! Archives and folders are untrusted input: every entry is checked (a relative path that
//! stays inside, a regular file or a folder) and counted against fixed limits before a byte is
//! written, and what is written goes to a fresh staging folder that replaces the installed
//! pack in one rename.

pub mod archive;
pub mod changelog;
pub mod files;
pub mod install;
pub mod record;

use std::path::PathBuf;

use thiserror::Error;

/// Most entries (files and folders) a pack may hold when it is installed or exported.
pub const MAX_ENTRIES: usize = 10_000;
/// Most bytes, unpacked, a pack may hold when it is installed or exported.
pub const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;

/// Why a pack could not be exported, read or installed.
#[derive(Debug, Error)]
pub enum ShareError {
    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("refused `{name}`: {why}")]
    UnsafeEntry { name: String, why: &'static str },
    #[error("more than {MAX_ENTRIES} files and folders; a pack holds fewer")]
    TooManyEntries,
    #[error("more than {} MiB unpacked; a pack holds less", MAX_TOTAL_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("`{0}` appears twice")]
    Duplicate(String),
    #[error("no pack.toml at the top, or in one folder at the top")]
    NoManifest,
    #[error("{} is not a pack folder or an archive ending in .tar.gz, .tgz or .zip", .0.display())]
    UnknownSource(PathBuf),
    #[error("not a readable {format} archive: {why}")]
    Corrupt { format: &'static str, why: String },
}

impl ShareError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ShareError {
        let path = path.into();
        move |source| ShareError::Io { path, source }
    }
}
