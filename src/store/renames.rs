//! Renamed items: the (former key, current key) pairs the loaded packs' `aliases` give, kept
//! so that every replay in the store (a rebuild, an undo, a grade that meets another
//! instance's) starts a renamed item from what its former keys learnt, as live grading did.

use rusqlite::{Connection, params};

use super::rows::card_log;
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
    carried(scheduler, &renames, key, before, &|k| {
        Ok(card_log(conn, k)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::{Answer, Grade};
    use jiff::tz::TimeZone;
    use jiff::{SignedDuration, Timestamp};

    /// Grades `key` from `before` a few minutes after its last review (or at `start`).
    fn answer(s: &Scheduler, key: &str, before: Option<&CardState>, start: Timestamp) -> Answer {
        let at = before.map_or(start, |b| {
            b.due.max(b.last_review) + SignedDuration::from_mins(5)
        });
        s.grade(&ItemKey::new(key), before, Grade::Good, at, 0)
            .unwrap()
    }

    #[test]
    fn a_renamed_card_keeps_its_progress_through_grades_undo_and_rebuilds() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let s = store.scheduler(TimeZone::UTC).unwrap();
        let start: Timestamp = "2026-03-01T09:00:00Z".parse().unwrap();
        let mut old = None;
        for _ in 0..3 {
            let a = answer(&s, "p/old", old.as_ref(), start);
            store.record(&a, &s).unwrap();
            old = Some(a.after);
        }
        let renames = Renames::new([(ItemKey::new("p/old"), ItemKey::new("p/new"))]);
        assert_eq!(store.remember_renames(&renames).unwrap(), 1);
        assert_eq!(store.remember_renames(&renames).unwrap(), 0, "kept once");
        assert_eq!(store.renames().unwrap(), renames);

        // The first answer under the new id starts from the old id's state, as the queue
        // offers it (`Catalog::state`), and is stored as graded.
        let first = answer(&s, "p/new", old.as_ref(), start);
        assert_eq!(first.before, old);
        assert_eq!(store.record(&first, &s).unwrap(), first);
        let second = answer(&s, "p/new", Some(&first.after), start);
        store.record(&second, &s).unwrap();
        let key = ItemKey::new("p/new");
        assert_eq!(store.state(&key).unwrap(), Some(second.after.clone()));

        // A rebuild replays the same, and the check finds nothing stale.
        store.rebuild(&s).unwrap();
        assert_eq!(store.state(&key).unwrap(), Some(second.after.clone()));
        assert_eq!(store.check(TimeZone::UTC).unwrap().stale_states, 0);

        // Another instance's undo path: the state is derived from the rows left, carried over.
        let mut other = second.clone();
        other.after = first.after.clone();
        store.undo(&other, &s).unwrap();
        assert_eq!(store.state(&key).unwrap(), Some(first.after.clone()));
    }
}
