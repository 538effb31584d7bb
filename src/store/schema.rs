//! The schema and its ordered migrations, tracked in `PRAGMA user_version`.
//!
//! To change the schema, append a [`Migration`] with the next version; never edit one that has
//! shipped. The quiz work adds its attempts table this way, for example:
//!
//! ```text
//! Migration {
//!     version: 2,
//!     name: "quiz attempts",
//!     sql: "CREATE TABLE quiz_attempt (id INTEGER PRIMARY KEY, mode TEXT NOT NULL,
//!           pack TEXT NOT NULL, seed INTEGER NOT NULL, started_at INTEGER NOT NULL,
//!           ended_at INTEGER, snapshot TEXT NOT NULL);",
//! },
//! ```
//!
//! Every migration runs inside the same write transaction as the version bump, so a database
//! is always at exactly one version, and an older sysdeck refuses a newer file unchanged.

use rusqlite::{Connection, TransactionBehavior};

/// `PRAGMA application_id` of a sysdeck database ("SYDK"), to tell it from other SQLite files.
pub const APPLICATION_ID: i32 = 0x5359_444B;

/// One step of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, in version order starting at 1.
pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "review log, card states, settings, FSRS parameters",
    sql: "
        CREATE TABLE review_log (
            id INTEGER PRIMARY KEY,
            item TEXT NOT NULL,
            reviewed_at INTEGER NOT NULL,          -- Unix milliseconds, UTC
            grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4),
            kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),  -- phase before the answer
            elapsed_days INTEGER NOT NULL,
            scheduled_days INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            UNIQUE (item, reviewed_at)
        );
        CREATE INDEX review_log_time ON review_log (reviewed_at);
        CREATE TABLE card_state (
            item TEXT PRIMARY KEY,
            phase INTEGER NOT NULL,
            step INTEGER NOT NULL,
            stability REAL NOT NULL,
            difficulty REAL NOT NULL,
            due INTEGER NOT NULL,
            last_review INTEGER NOT NULL,
            scheduled_days INTEGER NOT NULL,
            reps INTEGER NOT NULL,
            lapses INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL                     -- JSON
        ) WITHOUT ROWID;
        CREATE TABLE fsrs_parameters (
            id INTEGER PRIMARY KEY,                 -- the latest row is in force
            parameters TEXT NOT NULL,               -- JSON array of the 21 weights
            fitted_at INTEGER NOT NULL,
            items INTEGER NOT NULL,
            log_loss REAL,
            rmse REAL
        );
    ",
}];

/// The version this build writes and reads.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

pub(crate) fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Brings the schema up to [`SCHEMA_VERSION`]. Returns the version found, which the caller
/// checks is not newer (another instance may have upgraded the file in the meantime).
pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<u32> {
    let found = version(conn)?;
    if found >= SCHEMA_VERSION {
        return Ok(found);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found = version(&tx)?;
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        tx.execute_batch(m.sql)?;
        tx.pragma_update(None, "user_version", m.version)?;
    }
    if found == 0 {
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    tx.commit()?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "{}", m.name);
        }
    }

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut c = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut c).unwrap(), 0);
        assert_eq!(migrate(&mut c).unwrap(), SCHEMA_VERSION);
        assert_eq!(version(&c).unwrap(), SCHEMA_VERSION);
    }
}
