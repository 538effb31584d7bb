//! A pack's progress, counted and (when the learner asks) deleted: the rows of its items in
//! the review log, the cached states and the questions sent to review. Quiz attempts are a
//! record of exams taken and stay.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Result, Store, StoreError};

/// How many rows of a pack's progress there are (or were deleted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PackProgress {
    pub reviews: usize,
    pub states: usize,
    pub enrolments: usize,
}

impl PackProgress {
    pub fn is_empty(&self) -> bool {
        *self == PackProgress::default()
    }
}

/// The tables holding a pack's progress, by the column naming the item (`pack/item...`).
const TABLES: [&str; 3] = ["review_log", "card_state", "enrolled_question"];

/// Rows whose item belongs to the pack: the key starts with `pack/`, compared as text so no
/// character of a stored key is taken as a pattern.
const OF_PACK: &str = "substr(item, 1, length(?1)) = ?1";

fn count(conn: &Connection, table: &str, prefix: &str) -> rusqlite::Result<usize> {
    conn.query_row(
        &format!("SELECT count(*) FROM {table} WHERE {OF_PACK}"),
        params![prefix],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| usize::try_from(n).unwrap_or(0))
}

fn tally(
    mut per_table: impl FnMut(&str) -> rusqlite::Result<usize>,
) -> rusqlite::Result<PackProgress> {
    let [reviews, states, enrolments] = TABLES;
    Ok(PackProgress {
        reviews: per_table(reviews)?,
        states: per_table(states)?,
        enrolments: per_table(enrolments)?,
    })
}

impl Store {
    /// How much progress is stored for the pack `id`.
    pub fn pack_progress(&self, id: &str) -> Result<PackProgress> {
        let prefix = format!("{id}/");
        tally(|t| count(&self.conn, t, &prefix))
            .map_err(|e| StoreError::sql(format!("counting the progress of {id}"), e))
    }

    /// Deletes the pack's progress in one transaction; returns what was deleted.
    pub fn forget_pack(&mut self, id: &str) -> Result<PackProgress> {
        let prefix = format!("{id}/");
        self.save(&format!("forgetting the progress of {id}"), |tx| {
            Ok(tally(|t| {
                tx.execute(&format!("DELETE FROM {t} WHERE {OF_PACK}"), params![prefix])
            })?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::QuestionKey;
    use crate::srs::{Grade, ItemKey};

    #[test]
    fn only_the_packs_own_rows_are_counted_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let s = store.scheduler(jiff::tz::TimeZone::UTC).unwrap();
        let now: jiff::Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        // `k8s-x/a` shares a prefix with `k8s` as text but is another pack's item.
        for key in ["k8s/a", "k8s/b#reverse", "k8s-x/a", "other/a"] {
            let a = s
                .grade(&ItemKey::new(key), None, Grade::Good, now, 0)
                .unwrap();
            store.record(&a, &s).unwrap();
        }
        store
            .enroll_questions(
                &[QuestionKey::new("k8s", "q"), QuestionKey::new("other", "q")],
                0,
            )
            .unwrap();
        let before = store.pack_progress("k8s").unwrap();
        assert_eq!(
            before,
            PackProgress {
                reviews: 2,
                states: 2,
                enrolments: 1
            }
        );
        assert_eq!(store.forget_pack("k8s").unwrap(), before);
        assert!(store.pack_progress("k8s").unwrap().is_empty());
        assert_eq!(store.pack_progress("k8s-x").unwrap().reviews, 1);
        assert_eq!(store.pack_progress("other").unwrap().enrolments, 1);
    }
}
