//! Questions sent to spaced repetition. A question becomes a review item only when the
//! learner asks (a missed exam question, say); this table remembers which, and the queue and
//! statistics read the catalog with them enrolled.

use std::collections::HashSet;

use rusqlite::params;

use super::{Result, Store, StoreError, rows};
use crate::quiz::{QuestionKey, UnixMillis};
use crate::srs::ItemKey;

impl Store {
    /// Sends questions to review; returns how many were not there already. One transaction.
    pub fn enroll_questions(&mut self, keys: &[QuestionKey], now: UnixMillis) -> Result<usize> {
        self.save("sending the questions to review", |tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO enrolled_question (item, enrolled_at) VALUES (?1, ?2)",
            )?;
            let mut added = 0;
            for key in keys {
                added += stmt.execute(params![review_key(key).as_str(), now])?;
            }
            Ok(added)
        })
    }

    /// The review keys of every question sent to review (rows whose key is not text are
    /// passed over).
    pub fn enrolled_questions(&self) -> Result<HashSet<ItemKey>> {
        let ctx = "reading the questions sent to review";
        let mut stmt = self
            .conn
            .prepare_cached("SELECT item FROM enrolled_question")
            .map_err(|e| StoreError::sql(ctx, e))?;
        let rows = stmt
            .query_map([], |r| Ok(rows::text_of(r, 0).map(ItemKey::new)))
            .map_err(|e| StoreError::sql(ctx, e))?;
        let mut out = HashSet::new();
        for row in rows {
            out.extend(row.map_err(|e| StoreError::sql(ctx, e))?);
        }
        Ok(out)
    }
}

/// A question's review item key: the same `pack/question` string.
pub fn review_key(key: &QuestionKey) -> ItemKey {
    ItemKey::new(key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_is_sent_to_review_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let key = QuestionKey::new("sd", "q");
        assert_eq!(
            store
                .enroll_questions(std::slice::from_ref(&key), 0)
                .unwrap(),
            1
        );
        assert_eq!(store.enroll_questions(&[key], 5).unwrap(), 0, "once only");
        assert!(
            store
                .enrolled_questions()
                .unwrap()
                .contains(&ItemKey::new("sd/q"))
        );
    }
}
