//! The card-state cache: read for the queue and statistics, written with each answer, and
//! rebuilt from the log by replay.

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::{Connection, Row, params};

use super::{Result, Store, StoreError};
use crate::srs::{CardState, ItemKey, Memory, Phase, Scheduler, replay};

const COLUMNS: &str =
    "item, phase, step, stability, difficulty, due, last_review, scheduled_days, reps, lapses";

impl Store {
    /// Every cached state.
    pub fn states(&self) -> Result<HashMap<ItemKey, CardState>> {
        let ctx = "reading card states";
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM card_state"))
            .map_err(|e| StoreError::sql(ctx, e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((ItemKey::new(r.get::<_, String>(0)?), from_row(r)?))
            })
            .map_err(|e| StoreError::sql(ctx, e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| StoreError::sql(ctx, e))
    }

    /// One item's cached state; `None` for a card never reviewed.
    pub fn state(&self, key: &ItemKey) -> Result<Option<CardState>> {
        let ctx = || format!("reading the state of {key}");
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM card_state WHERE item = ?1"))
            .map_err(|e| StoreError::sql(ctx(), e))?;
        let mut rows = stmt
            .query_map([key.as_str()], from_row)
            .map_err(|e| StoreError::sql(ctx(), e))?;
        rows.next()
            .transpose()
            .map_err(|e| StoreError::sql(ctx(), e))
    }

    /// Replays the whole log with `scheduler` and replaces every cached state (for example
    /// after new FSRS parameters). Returns the number of states.
    pub fn rebuild(&mut self, scheduler: &Scheduler) -> Result<usize> {
        let ctx = "rebuilding card states";
        let tx = self.write().map_err(|e| StoreError::sql(ctx, e))?;
        let n = rebuild_in(&tx, scheduler)?;
        tx.commit().map_err(|e| StoreError::sql(ctx, e))?;
        Ok(n)
    }
}

/// Replays the log inside an open transaction.
pub(crate) fn rebuild_in(conn: &Connection, scheduler: &Scheduler) -> Result<usize> {
    let ctx = "rebuilding card states";
    let log = {
        let mut stmt = conn
            .prepare_cached("SELECT item, reviewed_at, grade, kind, elapsed_days, scheduled_days, duration_ms FROM review_log")
            .map_err(|e| StoreError::sql(ctx, e))?;
        let rows = stmt
            .query_map([], super::log::from_row)
            .map_err(|e| StoreError::sql(ctx, e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| StoreError::sql(ctx, e))?
    };
    let states = replay(scheduler, &log).map_err(|e| StoreError::srs(ctx, e))?;
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

fn from_row(row: &Row) -> rusqlite::Result<CardState> {
    let bad = |i: usize, what: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Integer, what.into())
    };
    let time = |i: usize| -> rusqlite::Result<Timestamp> {
        Timestamp::from_millisecond(row.get(i)?).map_err(|e| bad(i, e.to_string()))
    };
    let phase: u8 = row.get(1)?;
    Ok(CardState {
        phase: Phase::from_code(phase).ok_or_else(|| bad(1, format!("phase {phase}")))?,
        step: row.get(2)?,
        memory: Memory {
            stability: row.get::<_, f64>(3)? as f32,
            difficulty: row.get::<_, f64>(4)? as f32,
        },
        due: time(5)?,
        last_review: time(6)?,
        scheduled_days: row.get(7)?,
        reps: row.get(8)?,
        lapses: row.get(9)?,
    })
}
