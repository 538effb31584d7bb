//! The schema and its ordered migrations, tracked in `PRAGMA user_version`.
//!
//! To change the schema, append a [`Migration`] with the next version; never edit one that has
//! shipped (version 2, the quiz tables, was added this way).
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
pub const MIGRATIONS: &[Migration] = &[
    Migration {
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
    },
    Migration {
        version: 2,
        name: "quiz attempts and answers, questions sent to review",
        sql: "
        -- One row per attempt, upserted on every save. An attempt is identified by its start
        -- time and seed (what the quiz engine stores in the snapshot); `id` is for joins.
        CREATE TABLE quiz_attempt (
            id INTEGER PRIMARY KEY,
            started_at INTEGER NOT NULL,            -- Unix milliseconds, UTC
            seed INTEGER NOT NULL,                  -- the u64 seed's bits as i64
            mode TEXT NOT NULL CHECK (mode IN ('exam', 'practice', 'drill')),
            pack TEXT,                              -- NULL when drawn from several packs
            updated_at INTEGER NOT NULL,
            finished_at INTEGER,                    -- NULL while in progress
            abandoned_at INTEGER,                   -- an unfinished exam a new one replaced
            used_ms INTEGER NOT NULL,
            questions INTEGER NOT NULL,
            correct INTEGER,                        -- the score, once finished
            total INTEGER,
            scaled INTEGER,
            score TEXT,                             -- JSON quiz::Score, once finished
            snapshot TEXT NOT NULL,                 -- JSON quiz::AttemptSnapshot
            UNIQUE (started_at, seed)
        );
        CREATE INDEX quiz_attempt_open ON quiz_attempt (mode, pack, finished_at);
        -- The final answer to each question an attempt marked, written when it finishes.
        CREATE TABLE quiz_answer (
            attempt INTEGER NOT NULL REFERENCES quiz_attempt (id) ON DELETE CASCADE,
            question TEXT NOT NULL,                 -- pack/question
            chosen TEXT NOT NULL,                   -- JSON array of the pack's choice indexes
            correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
            time_ms INTEGER NOT NULL,
            answered_at INTEGER NOT NULL,
            PRIMARY KEY (attempt, question)
        ) WITHOUT ROWID;
        CREATE INDEX quiz_answer_question ON quiz_answer (question, answered_at);
        -- Questions the learner sent to spaced repetition; they join the queue as new cards.
        CREATE TABLE enrolled_question (
            item TEXT PRIMARY KEY,                  -- pack/question, the review item key
            enrolled_at INTEGER NOT NULL
        ) WITHOUT ROWID;
    ",
    },
    Migration {
        version: 3,
        name: "renamed items",
        sql: "
        -- Former item keys (from the packs' `aliases`) and the keys they became: replays start
        -- a renamed item from what its former keys learnt. Every pair ever seen is kept, so a
        -- rebuild agrees with what was graded even after the pack drops an alias.
        CREATE TABLE renamed_item (
            former TEXT NOT NULL,
            current TEXT NOT NULL,
            PRIMARY KEY (former, current)
        ) WITHOUT ROWID;
    ",
    },
    Migration {
        version: 4,
        name: "suspended and buried cards, card resets, extra new cards",
        sql: "
        -- Cards held out of the queue. Values are checked when read (a bad row is left out
        -- with a warning and listed by `progress check`), not by constraints.
        CREATE TABLE card_hold (
            id INTEGER PRIMARY KEY,
            item TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,                     -- 'suspended' or 'buried'
            held_at INTEGER NOT NULL,               -- Unix milliseconds, UTC
            until INTEGER                           -- a burial's end; NULL for a suspension
        );
        -- Cards the learner reset to new (\"forget\"). Their review-log rows stay; the card's
        -- schedule is replayed from the rows after its latest reset only.
        CREATE TABLE card_reset (
            id INTEGER PRIMARY KEY,
            item TEXT NOT NULL,
            reset_at INTEGER NOT NULL,
            UNIQUE (item, reset_at)
        );
        -- New cards added to one learning day's limit for a pack (custom study).
        CREATE TABLE extra_new (
            id INTEGER PRIMARY KEY,
            pack TEXT NOT NULL,
            day INTEGER NOT NULL,                   -- days since 1970-01-01 of the learning day
            cards INTEGER NOT NULL,
            UNIQUE (pack, day)
        );
    ",
    },
    Migration {
        version: 5,
        name: "exam goals",
        sql: "
        -- An exam date the learner plans for, one per pack with an [exam], and the weighted
        -- readiness the plan forecast for each day when the goal was set.
        CREATE TABLE exam_goal (
            pack TEXT PRIMARY KEY,
            exam_day INTEGER NOT NULL,              -- days since 1970-01-01
            target REAL NOT NULL,                   -- expected recall wanted, 0.5 to 0.99
            minutes INTEGER NOT NULL,               -- minutes a day the learner gives
            set_day INTEGER NOT NULL,               -- days since 1970-01-01
            forecast TEXT NOT NULL                  -- JSON array, one value per day from set_day
        ) WITHOUT ROWID;
    ",
    },
];

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
