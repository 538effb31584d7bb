//! The progress store: one SQLite database (`<data dir>/sysdeck.db`) holding the append-only
//! review log, the cached card states derived from it, settings and FSRS parameters, quiz
//! attempts with their answers, and the questions sent to review.
//!
//! WAL mode, a busy timeout and one short transaction per learner action let two instances
//! share a database. A file that is not a readable sysdeck database, or that a newer sysdeck
//! wrote, is refused before anything is written to it: it stays byte for byte as it was.

mod enrolled;
mod error;
mod log;
mod open;
mod quiz;
mod schema;
mod settings;
mod states;
mod transfer;
mod views;

pub use enrolled::review_key;
pub use error::StoreError;
pub use quiz::{AttemptRecord, StoredAttempt};
pub use schema::{MIGRATIONS, Migration, SCHEMA_VERSION};
pub use settings::StoredParameters;
pub use transfer::{Enrolment, ImportReport, ParametersImport, Progress};

use std::path::{Path, PathBuf};

use rusqlite::Connection;

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "sysdeck.db";

/// An open progress database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

type Result<T, E = StoreError> = std::result::Result<T, E>;

impl Store {
    /// Opens `<dir>/sysdeck.db`, creating the directory and database when missing.
    pub fn open_in(dir: &Path) -> Result<Store> {
        Store::open(&dir.join(DB_FILE))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version the file is at.
    pub fn schema_version(&self) -> Result<u32> {
        schema::version(&self.conn).map_err(|e| StoreError::sql("reading the schema version", e))
    }
}
