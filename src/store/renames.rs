//! Renamed items: the (former key, current key) pairs the loaded packs' `aliases` give, kept
//! so that every replay in the store (a rebuild, an undo, a grade that meets another
//! instance's) starts a renamed item from what its former keys learnt, as live grading did.

use rusqlite::{Connection, params};

use super::log::card_log;
use super::{Result, Store, StoreError, rows};
use crate::srs::replay::carried;
use crate::srs::{CardState, ItemKey, Renames, Scheduler};

impl Store {
    /// Adds the pairs of `renames` not stored yet; returns how many were added.
    pub fn remember_renames(&mut self, renames: &Renames) -> Result<usize> {
        if renames.is_empty() {
            return Ok(0);
        }
        self.save("the renamed ids", |tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO renamed_item (former, current) VALUES (?1, ?2)",
            )?;
            let mut added = 0;
            for (former, current) in renames.pairs() {
                added += stmt.execute(params![former.as_str(), current.as_str()])?;
            }
            Ok(added)
        })
    }

    /// Every stored rename.
    pub fn renames(&self) -> Result<Renames> {
        renames_in(&self.conn).map_err(|e| StoreError::sql("reading the renamed ids", e))
    }
}

/// The stored renames (rows whose keys are not text are passed over).
pub(crate) fn renames_in(conn: &Connection) -> rusqlite::Result<Renames> {
    let mut stmt = conn.prepare_cached("SELECT former, current FROM renamed_item")?;
    let pairs = stmt.query_map([], |r| Ok(rows::text_of(r, 0).zip(rows::text_of(r, 1))))?;
    let mut out = Vec::new();
    for pair in pairs {
        if let Some((former, current)) = pair? {
            out.push((ItemKey::new(former), ItemKey::new(current)));
        }
    }
    Ok(Renames::new(out))
}

/// What `key` carries over from its former keys when its first answer is at `before`.
pub(crate) fn carried_in(
    conn: &Connection,
    scheduler: &Scheduler,
    key: &ItemKey,
    before: jiff::Timestamp,
) -> std::result::Result<Option<CardState>, super::write::Failure> {
    let renames = renames_in(conn)?;
    if renames.formers(key).is_empty() {
        return Ok(None);
    }
    carried(scheduler, &renames, key, before, &|k| Ok(card_log(conn, k)?))
}
