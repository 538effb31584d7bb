//! The progress store: one SQLite database (`<data dir>/sysdeck.db`) holding the append-only
//! review log, the cached card states derived from it, settings and FSRS parameters, quiz
//! attempts with their answers, and the questions sent to review.
//!
//! WAL mode, a busy timeout and one short transaction per learner action let two instances
//! share a database; a grade or undo derives the card's state inside its transaction, so two
//! instances never overwrite each other's schedule. A file that is not a readable sysdeck
//! database, or that a newer sysdeck wrote, is refused before anything is written to it: it
//! stays byte for byte as it was. A file that can be read but not written (read-only mount,
//! another user's file, full disk) is opened for reading, and every change is refused with the
//! reason. Reading is lenient: a stored row or setting that cannot be used is left out with a
//! warning (see [`Store::warnings`]) and listed by [`Store::check`].

mod enrolled;
mod error;
mod files;
mod forget;
mod goals;
mod health;
mod holds;
mod log;
mod open;
mod quiz;
mod renames;
mod rows;
mod schema;
mod settings;
mod states;
mod transfer;
mod write;

pub use enrolled::review_key;
pub use error::StoreError;
pub use forget::PackProgress;
pub use goals::{ExamGoal, MAX_GOAL_DAYS};
pub use health::{Checkup, Problem, Repair, Table};
pub use holds::HeldCard;
pub use quiz::{AttemptRecord, StoredAttempt};
pub use schema::{MIGRATIONS, Migration, SCHEMA_VERSION};
pub use settings::StoredParameters;
pub use transfer::{Enrolment, ImportReport, ParametersImport, Progress};

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use files::Refusal;

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "sysdeck.db";

/// An open progress database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Why changes are refused, when the file could only be opened for reading.
    read_only: Option<Refusal>,
    /// Kept to apply again when the connection is reopened.
    busy_timeout: Duration,
    skipped: Skipped,
}

/// What lenient reads left out, for [`Store::warnings`].
#[derive(Debug, Default)]
struct Skipped {
    /// The most review-log rows one read left out.
    log: Cell<usize>,
    /// The most cached states one read left out.
    states: Cell<usize>,
    /// The most card holds, card resets and extra new-card rows one read left out.
    holds: Cell<usize>,
    resets: Cell<usize>,
    extras: Cell<usize>,
    goals: Cell<usize>,
    /// Settings and parameters that could not be used.
    notes: RefCell<BTreeSet<String>>,
}

impl Skipped {
    fn rows(counter: &Cell<usize>, n: usize) {
        counter.set(counter.get().max(n));
    }

    fn note(&self, text: String) {
        self.notes.borrow_mut().insert(text);
    }
}

type Result<T, E = StoreError> = std::result::Result<T, E>;

impl Store {
    fn new(conn: Connection, path: &Path, read_only: Option<Refusal>) -> Store {
        Store {
            conn,
            path: path.to_path_buf(),
            read_only,
            busy_timeout: open::BUSY_TIMEOUT,
            skipped: Skipped::default(),
        }
    }

    /// Opens `<dir>/sysdeck.db`, creating the directory and database when missing.
    pub fn open_in(dir: &Path) -> Result<Store> {
        Store::open(&dir.join(DB_FILE))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why changes cannot be saved, when the database could only be opened for reading.
    pub fn read_only_reason(&self) -> Option<String> {
        self.read_only.as_ref().map(Refusal::words)
    }

    /// The schema version the file is at.
    pub fn schema_version(&self) -> Result<u32> {
        schema::version(&self.conn).map_err(|e| StoreError::sql("reading the schema version", e))
    }

    /// What the reads so far left out or replaced by defaults, one sentence each: stored rows
    /// and settings that cannot be used. Empty for a healthy database.
    pub fn warnings(&self) -> Vec<String> {
        let rows = |n: usize, what: &str| match n {
            0 => None,
            1 => Some(format!("1 {what} could not be used and was left out")),
            n => Some(format!("{n} {what}s could not be used and were left out")),
        };
        rows(self.skipped.log.get(), "review-log row")
            .into_iter()
            .chain(rows(self.skipped.states.get(), "cached card state"))
            .chain(rows(self.skipped.holds.get(), "card hold"))
            .chain(rows(self.skipped.resets.get(), "card reset"))
            .chain(rows(self.skipped.extras.get(), "extra new-card row"))
            .chain(rows(self.skipped.goals.get(), "exam goal"))
            .chain(self.skipped.notes.borrow().iter().cloned())
            .collect()
    }
}
