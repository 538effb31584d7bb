//! The review log: appending answers (each with its state, in one transaction), undo, reading
//! it back, and merging another machine's log.

use jiff::Timestamp;
use rusqlite::{Row, Transaction, params};

use super::states::{delete_state, put_state};
use super::{Result, Store, StoreError};
use crate::srs::{Answer, DayClock, Grade, ItemKey, Phase, ReviewLog, Today};

const COLUMNS: &str = "item, reviewed_at, grade, kind, elapsed_days, scheduled_days, duration_ms";

impl Store {
    /// Commits one answer: its log row and the card's new state, together or not at all.
    pub fn record(&mut self, answer: &Answer) -> Result<()> {
        let ctx = || format!("saving the answer to {}", answer.key);
        let tx = self.write().map_err(|e| StoreError::sql(ctx(), e))?;
        insert(&tx, &answer.log, false).map_err(|e| StoreError::sql(ctx(), e))?;
        put_state(&tx, &answer.key, &answer.after).map_err(|e| StoreError::sql(ctx(), e))?;
        tx.commit().map_err(|e| StoreError::sql(ctx(), e))
    }

    /// Takes an answer back: deletes its log row and restores the state before it.
    pub fn undo(&mut self, answer: &Answer) -> Result<()> {
        let ctx = || format!("undoing the answer to {}", answer.key);
        let run = |tx: &Transaction| -> rusqlite::Result<()> {
            tx.execute(
                "DELETE FROM review_log WHERE item = ?1 AND reviewed_at = ?2",
                params![answer.key.as_str(), answer.log.at.as_millisecond()],
            )?;
            match &answer.before {
                Some(s) => put_state(tx, &answer.key, s),
                None => delete_state(tx, &answer.key),
            }
        };
        let tx = self.write().map_err(|e| StoreError::sql(ctx(), e))?;
        run(&tx).map_err(|e| StoreError::sql(ctx(), e))?;
        tx.commit().map_err(|e| StoreError::sql(ctx(), e))
    }

    /// The whole log, oldest first.
    pub fn log(&self) -> Result<Vec<ReviewLog>> {
        self.log_since(Timestamp::MIN)
    }

    /// Rows at or after `since`, oldest first.
    pub fn log_since(&self, since: Timestamp) -> Result<Vec<ReviewLog>> {
        let ctx = "reading the review log";
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM review_log WHERE reviewed_at >= ?1 ORDER BY reviewed_at, item"
            ))
            .map_err(|e| StoreError::sql(ctx, e))?;
        let rows = stmt
            .query_map([since.as_millisecond()], from_row)
            .map_err(|e| StoreError::sql(ctx, e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| StoreError::sql(ctx, e))
    }

    /// What was done today, for the daily limits and sibling burying.
    pub fn today(&self, clock: &DayClock, now: Timestamp) -> Result<Today> {
        let start = clock.start_of(clock.day_of(now));
        Ok(Today::from_log(&self.log_since(start)?))
    }

    pub(crate) fn write(&mut self) -> rusqlite::Result<Transaction<'_>> {
        self.conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
    }
}

/// Merges rows from another log inside an open transaction, skipping any with an item and time
/// already present, so importing twice changes nothing. Returns the number added.
pub(super) fn import_rows(tx: &Transaction, rows: &[ReviewLog]) -> rusqlite::Result<usize> {
    rows.iter().map(|r| insert(tx, r, true)).sum()
}

/// Inserts one row; with `skip_existing`, a row already present is left alone. Returns the
/// number of rows added.
fn insert(tx: &Transaction, r: &ReviewLog, skip_existing: bool) -> rusqlite::Result<usize> {
    let verb = if skip_existing {
        "INSERT OR IGNORE"
    } else {
        "INSERT"
    };
    tx.prepare_cached(&format!(
        "{verb} INTO review_log ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    ))?
    .execute(params![
        r.item.as_str(),
        r.at.as_millisecond(),
        r.grade.number(),
        r.kind.code(),
        r.elapsed_days,
        r.scheduled_days,
        r.duration_ms,
    ])
}

pub(crate) fn from_row(row: &Row) -> rusqlite::Result<ReviewLog> {
    let bad = |i: usize, what: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Integer, what.into())
    };
    let at: i64 = row.get(1)?;
    let grade: u8 = row.get(2)?;
    let kind: u8 = row.get(3)?;
    Ok(ReviewLog {
        item: ItemKey::new(row.get::<_, String>(0)?),
        at: Timestamp::from_millisecond(at).map_err(|e| bad(1, e.to_string()))?,
        grade: Grade::from_number(grade).ok_or_else(|| bad(2, format!("grade {grade}")))?,
        kind: Phase::from_code(kind).ok_or_else(|| bad(3, format!("kind {kind}")))?,
        elapsed_days: row.get(4)?,
        scheduled_days: row.get(5)?,
        duration_ms: row.get(6)?,
    })
}
