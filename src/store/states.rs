//! The card-state cache: read for the queue and statistics, written with each answer, and
//! rebuilt from the log by replay.

use std::collections::HashMap;

use rusqlite::{Connection, ToSql, params};

use super::renames::renames_in;
use super::rows::{self, STATE_COLUMNS as COLUMNS, whole_log};
use super::{Result, Skipped, Store, StoreError};
use crate::srs::replay::after_resets;
use crate::srs::{CardState, ItemKey, Scheduler, replay_with};

impl Store {
    /// Every cached state. A row that cannot be read is left out (the card shows as new until
    /// `progress check --fix` rebuilds it) and counted for [`Store::warnings`].
    pub fn states(&self) -> Result<HashMap<ItemKey, CardState>> {
        let (states, bad) = read_states(&self.conn, "1 = ?1", 1)
            .map_err(|e| StoreError::sql("reading card states", e))?;
        Skipped::rows(&self.skipped.states, bad);
        Ok(states.into_iter().collect())
    }

    /// One item's cached state; `None` for a card never reviewed.
    pub fn state(&self, key: &ItemKey) -> Result<Option<CardState>> {
        state_in(&self.conn, key)
            .map_err(|e| StoreError::sql(format!("reading the state of {key}"), e))
    }

    /// Replays the whole log with `scheduler` and replaces every cached state (for example
    /// after new FSRS parameters). Returns the number of states.
    pub fn rebuild(&mut self, scheduler: &Scheduler) -> Result<usize> {
        self.save("the rebuild of the card states", |tx| {
            Ok(rebuild_in(tx, scheduler)?)
        })
    }
}

/// The readable cached states matching `filter` (an SQL condition on `?1`), and how many rows
/// matched but could not be read.
fn read_states(
    conn: &Connection,
    filter: &str,
    param: impl ToSql,
) -> rusqlite::Result<(Vec<(ItemKey, CardState)>, usize)> {
    let sql = format!("SELECT {COLUMNS} FROM card_state WHERE {filter}");
    rows::lenient(conn, &sql, param, rows::state)
}

/// One item's cached state, `None` when there is none or it cannot be read.
pub(crate) fn state_in(conn: &Connection, key: &ItemKey) -> rusqlite::Result<Option<CardState>> {
    let (mut found, _) = read_states(conn, "item = ?1", key.as_str())?;
    Ok(found.pop().map(|(_, s)| s))
}

/// Replays the usable log rows inside an open transaction, following the stored renames.
pub(crate) fn rebuild_in(conn: &Connection, scheduler: &Scheduler) -> Result<usize> {
    let ctx = "rebuilding card states";
    let (log, _) = whole_log(conn).map_err(|e| StoreError::sql(ctx, e))?;
    let renames = renames_in(conn).map_err(|e| StoreError::sql(ctx, e))?;
    let resets = super::holds::latest_resets(conn).map_err(|e| StoreError::sql(ctx, e))?;
    let log = after_resets(log, &resets);
    let states = replay_with(scheduler, &log, &renames).map_err(|e| StoreError::srs(ctx, e))?;
    conn.execute("DELETE FROM card_state", [])
        .map_err(|e| StoreError::sql(ctx, e))?;
    for (key, s) in &states {
        put_state(conn, key, s).map_err(|e| StoreError::sql(ctx, e))?;
    }
    Ok(states.len())
}

pub(crate) fn put_state(conn: &Connection, key: &ItemKey, s: &CardState) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO card_state ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    ))?
    .execute(params![
        key.as_str(),
        s.phase.code(),
        s.step,
        f64::from(s.memory.stability),
        f64::from(s.memory.difficulty),
        s.due.as_millisecond(),
        s.last_review.as_millisecond(),
        s.scheduled_days,
        s.reps,
        s.lapses,
    ])?;
    Ok(())
}

pub(crate) fn delete_state(conn: &Connection, key: &ItemKey) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM card_state WHERE item = ?1")?
        .execute([key.as_str()])?;
    Ok(())
}
