//! Cards held out of the queue (suspended, or buried until the next learning day), cards reset
//! to new, and new cards added to one day's limit. Every row is checked when read: one that
//! cannot be used is left out, counted for [`Store::warnings`], and listed by
//! [`Store::check`].

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::{Connection, ToSql, params};

use super::rows;
use super::{Result, Skipped, Store, StoreError};
use crate::srs::{Hold, ItemKey};

/// A card on hold, and since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldCard {
    pub item: ItemKey,
    pub hold: Hold,
    pub at: Timestamp,
}

/// The hold columns [`rows::hold`] reads, in order.
pub(crate) const HOLD_COLUMNS: &str = "item, kind, held_at, until";
/// The reset columns [`rows::reset`] reads, in order.
pub(crate) const RESET_COLUMNS: &str = "item, reset_at";
/// The extra-new columns [`rows::extra_new`] reads, in order.
pub(crate) const EXTRA_COLUMNS: &str = "pack, day, cards";

impl Store {
    /// Puts a card on hold (replacing any hold it had), in one transaction.
    pub fn hold_card(&mut self, key: &ItemKey, hold: Hold, at: Timestamp) -> Result<()> {
        let (kind, until) = match hold {
            Hold::Suspended => ("suspended", None),
            Hold::Buried { until } => ("buried", Some(until.as_millisecond())),
        };
        self.save(&format!("the {kind} card"), |tx| {
            tx.prepare_cached(&format!(
                "INSERT OR REPLACE INTO card_hold ({HOLD_COLUMNS}) VALUES (?1, ?2, ?3, ?4)"
            ))?
            .execute(params![key.as_str(), kind, at.as_millisecond(), until])?;
            Ok(())
        })
    }

    /// Takes a card off hold; returns whether it was held.
    pub fn release_card(&mut self, key: &ItemKey) -> Result<bool> {
        self.save("the released card", |tx| {
            Ok(tx.execute("DELETE FROM card_hold WHERE item = ?1", [key.as_str()])? > 0)
        })
    }

    /// Every card on hold, whether or not a burial has ended yet.
    pub fn holds(&self) -> Result<Vec<HeldCard>> {
        let sql = format!("SELECT {HOLD_COLUMNS} FROM card_hold WHERE 1 = ?1 ORDER BY item");
        let (held, bad) = rows::lenient(&self.conn, &sql, 1, rows::hold)
            .map_err(|e| StoreError::sql("reading the cards on hold", e))?;
        Skipped::rows(&self.skipped.holds, bad);
        Ok(held)
    }

    /// Resets a card to new at `at`: records the reset and drops its cached state, in one
    /// transaction. Its review-log rows stay; replays start after the reset.
    pub fn reset_card(&mut self, key: &ItemKey, at: Timestamp) -> Result<()> {
        self.save("the reset of the card", |tx| {
            tx.prepare_cached(&format!(
                "INSERT OR IGNORE INTO card_reset ({RESET_COLUMNS}) VALUES (?1, ?2)"
            ))?
            .execute(params![key.as_str(), at.as_millisecond()])?;
            tx.execute("DELETE FROM card_state WHERE item = ?1", [key.as_str()])?;
            Ok(())
        })
    }

    /// Every reset, by item then time.
    pub fn resets(&self) -> Result<Vec<(ItemKey, Timestamp)>> {
        let (found, bad) = read_resets(&self.conn, "1 = ?1", 1)
            .map_err(|e| StoreError::sql("reading the card resets", e))?;
        Skipped::rows(&self.skipped.resets, bad);
        Ok(found)
    }

    /// Adds `cards` to the new-card limit of `pack` for the learning day `day` (days since
    /// 1970-01-01); returns the day's extra for the pack now.
    pub fn add_extra_new(&mut self, pack: &str, day: i64, cards: u32) -> Result<u32> {
        self.save("the extra new cards", |tx| {
            tx.execute(
                "INSERT INTO extra_new (pack, day, cards) VALUES (?1, ?2, ?3)
                 ON CONFLICT (pack, day) DO UPDATE SET cards = min(cards + excluded.cards, 10000)",
                params![pack, day, cards],
            )?;
            Ok(tx.query_row(
                "SELECT cards FROM extra_new WHERE pack = ?1 AND day = ?2",
                params![pack, day],
                |r| r.get(0),
            )?)
        })
    }

    /// The extra new cards of the learning day `day` and later, by day then pack.
    pub fn extra_new(&self, day: i64) -> Result<HashMap<i64, HashMap<String, u32>>> {
        let sql = format!("SELECT {EXTRA_COLUMNS} FROM extra_new WHERE day >= ?1");
        let (found, bad) = rows::lenient(&self.conn, &sql, day, rows::extra_new)
            .map_err(|e| StoreError::sql("reading the extra new cards", e))?;
        Skipped::rows(&self.skipped.extras, bad);
        let mut out: HashMap<i64, HashMap<String, u32>> = HashMap::new();
        for (pack, day, cards) in found {
            out.entry(day).or_default().insert(pack, cards);
        }
        Ok(out)
    }
}

/// The readable resets matching `filter` (an SQL condition on `?1`), and how many were not.
fn read_resets(
    conn: &Connection,
    filter: &str,
    param: impl ToSql,
) -> rusqlite::Result<(Vec<(ItemKey, Timestamp)>, usize)> {
    let sql =
        format!("SELECT {RESET_COLUMNS} FROM card_reset WHERE {filter} ORDER BY item, reset_at");
    rows::lenient(conn, &sql, param, rows::reset)
}

/// Each item's latest reset, for replays.
pub(crate) fn latest_resets(conn: &Connection) -> rusqlite::Result<HashMap<ItemKey, Timestamp>> {
    let (found, _) = read_resets(conn, "1 = ?1", 1)?;
    Ok(found.into_iter().collect())
}

/// One item's latest reset, if any.
pub(crate) fn latest_reset(
    conn: &Connection,
    key: &ItemKey,
) -> rusqlite::Result<Option<Timestamp>> {
    let (found, _) = read_resets(conn, "item = ?1", key.as_str())?;
    Ok(found.into_iter().map(|(_, at)| at).max())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::{DayClock, Grade};

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn holds_resets_and_extras_read_back_and_bad_rows_are_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let now = ts("2026-03-10T12:00:00Z");
        let bury = Hold::bury(&DayClock::utc(4), now);
        store
            .hold_card(&ItemKey::new("p/a"), Hold::Suspended, now)
            .unwrap();
        store.hold_card(&ItemKey::new("p/b"), bury, now).unwrap();
        store
            .hold_card(&ItemKey::new("p/b"), Hold::Suspended, now)
            .unwrap();
        assert!(store.release_card(&ItemKey::new("p/b")).unwrap());
        assert!(!store.release_card(&ItemKey::new("p/b")).unwrap());
        store.reset_card(&ItemKey::new("p/a"), now).unwrap();
        assert_eq!(store.add_extra_new("p", 20_522, 5).unwrap(), 5);
        assert_eq!(store.add_extra_new("p", 20_522, 5).unwrap(), 10);
        store
            .conn
            .execute_batch(
                "INSERT INTO card_hold (item, kind, held_at, until) VALUES ('p/x', 'frozen', 1772359200000, NULL);
                 INSERT INTO card_hold (item, kind, held_at, until) VALUES ('p/y', 'buried', 1772359200000, 'soon');
                 INSERT INTO card_reset (item, reset_at) VALUES ('p/z', 'yesterday');
                 INSERT INTO extra_new (pack, day, cards) VALUES ('q', 20522, -3);",
            )
            .unwrap();
        let held = store.holds().unwrap();
        assert_eq!(
            held,
            [HeldCard {
                item: ItemKey::new("p/a"),
                hold: Hold::Suspended,
                at: now
            }]
        );
        assert_eq!(store.resets().unwrap(), [(ItemKey::new("p/a"), now)]);
        assert_eq!(
            store.extra_new(20_522).unwrap(),
            HashMap::from([(20_522, HashMap::from([("p".to_string(), 10)]))])
        );
        assert!(store.extra_new(20_523).unwrap().is_empty(), "that day only");
        let warnings = store.warnings().join("\n");
        assert!(warnings.contains("2 card holds"), "{warnings}");
        assert!(warnings.contains("1 card reset"), "{warnings}");
        assert!(warnings.contains("1 extra new-card row"), "{warnings}");
    }

    #[test]
    fn a_reset_card_is_replayed_from_its_rows_after_the_reset_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let s = store.scheduler(jiff::tz::TimeZone::UTC).unwrap();
        let key = ItemKey::new("p/a");
        let t0 = ts("2026-03-10T12:00:00Z");
        let first = s.grade(&key, None, Grade::Again, t0, 0).unwrap();
        store.record(&first, &s).unwrap();
        store.reset_card(&key, ts("2026-03-10T12:05:00Z")).unwrap();
        assert_eq!(store.state(&key).unwrap(), None, "new again");
        assert_eq!(store.log().unwrap().len(), 1, "the log is kept");
        let t1 = ts("2026-03-10T12:10:00Z");
        let again = s.grade(&key, None, Grade::Good, t1, 0).unwrap();
        let committed = store.record(&again, &s).unwrap();
        assert_eq!(committed, again, "graded as a new card");
        assert_eq!(store.rebuild(&s).unwrap(), 1);
        assert_eq!(store.state(&key).unwrap(), Some(again.after));
        assert!(store.check(jiff::tz::TimeZone::UTC).unwrap().is_clean());
    }
}
