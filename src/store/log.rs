//! The review log: appending answers (each with its state, in one transaction), undo, reading
//! it back, and merging another machine's log.

use jiff::Timestamp;
use rusqlite::{Transaction, params};

use super::renames::carried_in;
use super::rows::{LOG_COLUMNS as COLUMNS, card_log, read_log, whole_log};
use super::states::{delete_state, put_state, state_in};
use super::{Result, Skipped, Store, StoreError};
use crate::srs::replay::fold;
use crate::srs::{Answer, DayClock, ReviewLog, Scheduler, Today};

impl Store {
    /// Commits one answer: its log row and the card's new state, together or not at all.
    ///
    /// The card is re-read inside the transaction. When another instance graded it since
    /// `answer` was worked out (its cached state is no longer `answer.before`, or the log has a
    /// later row), the grade is applied with `scheduler` to the card as the log has it and the
    /// state is derived from the card's rows, so the cached state stays equal to a replay of
    /// the log. Returns the answer as committed.
    pub fn record(&mut self, answer: &Answer, scheduler: &Scheduler) -> Result<Answer> {
        let key = &answer.key;
        let log = &answer.log;
        self.save("your grade", |tx| {
            let rows = card_log(tx, key)?;
            let cached = state_in(tx, key)?;
            let first = rows.first().map_or(log.at, |r| r.at.min(log.at));
            // A renamed item answered for the first time starts from its former ids' state.
            let start = carried_in(tx, scheduler, key, first)?;
            let latest = rows.last().map(|r| r.at);
            let current = if rows.is_empty() && cached.is_none() {
                answer.before == start && start.as_ref().is_none_or(|s| s.last_review < log.at)
            } else {
                cached == answer.before
                    && latest == cached.as_ref().map(|s| s.last_review)
                    && latest < Some(log.at)
            };
            if current {
                insert(tx, log, false)?;
                put_state(tx, key, &answer.after)?;
                return Ok(answer.clone());
            }
            let (earlier, later): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.at < log.at);
            let before = fold(scheduler, start, &earlier)?;
            let mine = scheduler.grade(key, before.as_ref(), log.grade, log.at, log.duration_ms)?;
            insert(tx, &mine.log, false)?;
            if let Some(state) = fold(scheduler, Some(mine.after.clone()), &later)? {
                put_state(tx, key, &state)?;
            }
            Ok(mine)
        })
    }

    /// Takes an answer back: deletes its own log row, never another's, and derives the card's
    /// state from the rows left, so a grade another instance gave the card meanwhile stays.
    pub fn undo(&mut self, answer: &Answer, scheduler: &Scheduler) -> Result<()> {
        let key = &answer.key;
        self.save("the undo", |tx| {
            tx.execute(
                "DELETE FROM review_log WHERE item = ?1 AND reviewed_at = ?2 AND grade = ?3",
                params![
                    key.as_str(),
                    answer.log.at.as_millisecond(),
                    answer.log.grade.number()
                ],
            )?;
            let rows = card_log(tx, key)?;
            let untouched = state_in(tx, key)?.as_ref() == Some(&answer.after)
                && rows.last().map(|r| r.at) == answer.before.as_ref().map(|s| s.last_review);
            let state = match rows.first() {
                _ if untouched => answer.before.clone(),
                Some(first) => {
                    let start = carried_in(tx, scheduler, key, first.at)?;
                    fold(scheduler, start, &rows)?
                }
                None => None,
            };
            match state {
                Some(s) => put_state(tx, key, &s)?,
                None => delete_state(tx, key)?,
            }
            Ok(())
        })
    }

    /// The whole log, oldest first.
    pub fn log(&self) -> Result<Vec<ReviewLog>> {
        self.usable(whole_log(&self.conn))
    }

    /// Rows at or after `since`, oldest first.
    pub fn log_since(&self, since: Timestamp) -> Result<Vec<ReviewLog>> {
        self.usable(read_log(
            &self.conn,
            "reviewed_at >= ?1",
            since.as_millisecond(),
        ))
    }

    /// The usable rows of a read; those that cannot be used are counted for
    /// [`Store::warnings`].
    fn usable(&self, read: rusqlite::Result<(Vec<ReviewLog>, usize)>) -> Result<Vec<ReviewLog>> {
        let (rows, bad) = read.map_err(|e| StoreError::sql("reading the review log", e))?;
        Skipped::rows(&self.skipped.log, bad);
        Ok(rows)
    }

    /// What was done today, for the daily limits and sibling burying.
    pub fn today(&self, clock: &DayClock, now: Timestamp) -> Result<Today> {
        let start = clock.start_of(clock.day_of(now));
        Ok(Today::from_log(&self.log_since(start)?))
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
