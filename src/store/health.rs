//! Checking and repairing a database: every stored row or setting that the lenient reads leave
//! out, and cached card states that no longer equal a replay of the log; the repair drops the
//! bad rows and settings (after saving a copy of the database) and rebuilds every state.

use std::collections::HashSet;
use std::fmt;
use std::path::PathBuf;

use jiff::tz::TimeZone;
use serde::Serialize;

use super::rows::{self, LOG_COLUMNS, STATE_COLUMNS};
use super::settings::merged;
use super::states::rebuild_in;
use super::{Result, Store, StoreError, files};
use crate::srs::replay_with;

/// A table that can hold a bad row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    ReviewLog,
    CardState,
    Settings,
    FsrsParameters,
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Table::ReviewLog => "review_log",
            Table::CardState => "card_state",
            Table::Settings => "settings",
            Table::FsrsParameters => "fsrs_parameters",
        })
    }
}

/// One stored row or setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub table: Table,
    /// The row's id, in tables that have one.
    pub id: Option<i64>,
    /// The item or setting the row is about, as stored: untrusted text, to be made safe
    /// before it is shown.
    pub key: Option<String>,
    /// What is wrong, naming the column.
    pub problem: String,
}

/// What [`Store::check`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Checkup {
    pub problems: Vec<Problem>,
    /// Cards whose cached state differs from a replay of their log rows.
    pub stale_states: usize,
}

impl Checkup {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty() && self.stale_states == 0
    }
}

/// What [`Store::repair`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repair {
    /// What was wrong, now put right.
    pub checkup: Checkup,
    /// The copy of the database saved before anything was changed (none when nothing was).
    pub backup: Option<PathBuf>,
    /// Card states after the rebuild.
    pub states: usize,
}

impl Store {
    /// Lists every row and setting the reads leave out, and counts the cached states that
    /// differ from a replay of the log with the scheduler for `tz`. Changes nothing.
    pub fn check(&self, tz: TimeZone) -> Result<Checkup> {
        let mut problems = self.bad_rows(Table::ReviewLog)?;
        problems.extend(self.bad_rows(Table::CardState)?);
        let (_, settings) = merged(&self.stored_settings()?);
        problems.extend(settings.into_iter().map(|(key, problem)| Problem {
            table: Table::Settings,
            id: None,
            key: Some(key),
            problem,
        }));
        for (id, fit) in self.stored_parameters()? {
            if let Err(problem) = fit {
                problems.push(Problem {
                    table: Table::FsrsParameters,
                    id: Some(id),
                    key: None,
                    problem,
                });
            }
        }
        let stale_states = self.stale_states(tz)?;
        Ok(Checkup {
            problems,
            stale_states,
        })
    }

    /// Puts right what [`Store::check`] finds, in one transaction: drops the bad log and
    /// parameter rows, resets bad settings to their defaults, and rebuilds every card state
    /// from the log. A copy of the database is saved first; without one nothing is changed.
    pub fn repair(&mut self, tz: TimeZone) -> Result<Repair> {
        let checkup = self.check(tz.clone())?;
        if checkup.is_clean() {
            return Ok(Repair {
                states: self.states()?.len(),
                checkup,
                backup: None,
            });
        }
        // The lenient reads already pass over what is dropped, so this is the scheduler the
        // repaired database will have.
        let scheduler = self.scheduler(tz)?;
        let backup = self.backup()?;
        let states = self.save("the repair", |tx| {
            for p in &checkup.problems {
                match (p.table, p.id, &p.key) {
                    (Table::ReviewLog, Some(id), _) => {
                        tx.execute("DELETE FROM review_log WHERE id = ?1", [id])?
                    }
                    (Table::FsrsParameters, Some(id), _) => {
                        tx.execute("DELETE FROM fsrs_parameters WHERE id = ?1", [id])?
                    }
                    (Table::Settings, _, Some(key)) => {
                        tx.execute("DELETE FROM settings WHERE key = ?1", [key])?
                    }
                    // Every card state is rebuilt below.
                    _ => 0,
                };
            }
            Ok(rebuild_in(tx, &scheduler)?)
        })?;
        Ok(Repair {
            checkup,
            backup: Some(backup),
            states,
        })
    }

    /// Saves a consistent copy of the database beside it, as `<name>.before-fix-N`.
    fn backup(&self) -> Result<PathBuf> {
        let context = "no copy of the database could be saved, so nothing was changed";
        let copy = files::free_name(&self.path, "before-fix").map_err(|e| StoreError::Io {
            context: context.into(),
            source: Box::new(e),
        })?;
        self.conn
            .execute("VACUUM INTO ?1", [copy.to_string_lossy()])
            .map_err(|e| StoreError::sql(context, e))?;
        Ok(copy)
    }

    /// The rows of `table` (the log or the state cache) that cannot be read.
    fn bad_rows(&self, table: Table) -> Result<Vec<Problem>> {
        let ctx = format!("checking {table}");
        let (sql, id_column): (String, Option<usize>) = match table {
            Table::ReviewLog => (
                format!("SELECT {LOG_COLUMNS}, id FROM review_log ORDER BY id"),
                Some(7),
            ),
            _ => (
                format!("SELECT {STATE_COLUMNS} FROM card_state ORDER BY item"),
                None,
            ),
        };
        let mut stmt = self
            .conn
            .prepare(&sql)
            .map_err(|e| StoreError::sql(&ctx, e))?;
        let found = stmt
            .query_map([], |r| {
                let problem = match table {
                    Table::ReviewLog => rows::review(r).err(),
                    _ => rows::state(r).err(),
                };
                Ok(problem.map(|problem| Problem {
                    table,
                    id: id_column.and_then(|i| r.get(i).ok()),
                    key: rows::text_of(r, 0),
                    problem,
                }))
            })
            .map_err(|e| StoreError::sql(&ctx, e))?;
        let mut out = Vec::new();
        for row in found {
            out.extend(row.map_err(|e| StoreError::sql(&ctx, e))?);
        }
        Ok(out)
    }

    /// Cards whose cached state is missing, extra or different from a replay of the log.
    fn stale_states(&self, tz: TimeZone) -> Result<usize> {
        let scheduler = self.scheduler(tz)?;
        let replayed = replay_with(&scheduler, &self.log()?, &self.renames()?)
            .map_err(|e| StoreError::srs("replaying the review log", e))?;
        let cached = self.states()?;
        let keys: HashSet<_> = replayed.keys().chain(cached.keys()).collect();
        Ok(keys
            .into_iter()
            .filter(|k| replayed.get(*k) != cached.get(*k))
            .count())
    }
}
