//! Reading stored rows leniently: every value is checked against what its column must hold, and
//! a row with a value that cannot be used is described instead of failing the whole read. One
//! damaged or hostile row then costs only itself: the rest of the log still reads, and
//! `sysdeck progress check` lists it.

use std::ops::RangeInclusive;

use jiff::Timestamp;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row, ToSql};

use super::StoredParameters;
use super::goals::ExamGoal;
use crate::srs::settings::MAX_NEW_PER_DAY;
use crate::srs::time::add_days;
use crate::srs::{
    CardState, DayClock, Grade, Hold, ItemKey, Memory, Phase, ReviewLog, Scheduler, Settings,
};

/// The review times a row may have: none predates 2000-01-01, and none after 9000-01-01 is
/// kept, so every due date derived from a row (at most a hundred years on) stays far inside
/// what a timestamp can hold (9999-12-30).
pub(crate) const REVIEW_TIMES: RangeInclusive<i64> = 946_684_800_000..=221_845_392_000_000;

/// Every time a timestamp can hold, to the millisecond.
const ANY_TIME: RangeInclusive<i64> = -377_705_023_201_000..=253_402_207_200_000;

/// The log columns `review` reads, in order.
pub(crate) const LOG_COLUMNS: &str =
    "item, reviewed_at, grade, kind, elapsed_days, scheduled_days, duration_ms";

/// The card-state columns `state` reads, in order.
pub(crate) const STATE_COLUMNS: &str =
    "item, phase, step, stability, difficulty, due, last_review, scheduled_days, reps, lapses";

/// Runs `sql` (one parameter) and reads each row with `read`: the usable rows, and how many
/// were not.
pub(crate) fn lenient<T>(
    conn: &Connection,
    sql: &str,
    param: impl ToSql,
    read: fn(&Row) -> Result<T, String>,
) -> rusqlite::Result<(Vec<T>, usize)> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut good = Vec::new();
    let mut bad = 0;
    for row in stmt.query_map([param], |r| Ok(read(r)))? {
        match row? {
            Ok(value) => good.push(value),
            Err(_) => bad += 1,
        }
    }
    Ok((good, bad))
}

/// A review-log row (columns as in [`LOG_COLUMNS`]), or what is wrong with it.
pub(crate) fn review(row: &Row) -> Result<ReviewLog, String> {
    let r = Fields(row);
    let grade = r.int(2, "grade", 1..=4)?;
    let kind = r.int(3, "kind", 0..=3)?;
    Ok(ReviewLog {
        item: r.item(0)?,
        at: r.time(1, "reviewed_at", REVIEW_TIMES)?,
        grade: Grade::from_number(grade as u8).ok_or("grade out of range")?,
        kind: Phase::from_code(kind as u8).ok_or("kind out of range")?,
        elapsed_days: r.count(4, "elapsed_days")?,
        scheduled_days: r.count(5, "scheduled_days")?,
        duration_ms: r.count(6, "duration_ms")?,
    })
}

/// A cached card state (columns as in [`STATE_COLUMNS`]), or what is wrong with it.
pub(crate) fn state(row: &Row) -> Result<(ItemKey, CardState), String> {
    let r = Fields(row);
    // A reviewed card is never New, and FSRS keeps difficulty between 1 and 10.
    let phase = r.int(1, "phase", 1..=3)?;
    let stability = r.real(3, "stability")?;
    if stability <= 0.0 {
        return Err(format!("stability is {stability}, not above 0"));
    }
    let difficulty = r.real(4, "difficulty")?;
    if !(1.0..=10.0).contains(&difficulty) {
        return Err(format!("difficulty is {difficulty}, not between 1 and 10"));
    }
    let state = CardState {
        phase: Phase::from_code(phase as u8).ok_or("phase out of range")?,
        step: r.int(2, "step", 0..=i64::from(u8::MAX))? as u8,
        memory: Memory {
            stability: stability as f32,
            difficulty: difficulty as f32,
        },
        due: r.time(5, "due", ANY_TIME)?,
        last_review: r.time(6, "last_review", ANY_TIME)?,
        scheduled_days: r.count(7, "scheduled_days")?,
        reps: r.count(8, "reps")?,
        lapses: r.count(9, "lapses")?,
    };
    Ok((r.item(0)?, state))
}

/// A card on hold (`item, kind, held_at, until`), or what is wrong with it.
pub(crate) fn hold(row: &Row) -> Result<super::holds::HeldCard, String> {
    let r = Fields(row);
    let hold = match r.value(1)? {
        ValueRef::Text(b"suspended") => Hold::Suspended,
        ValueRef::Text(b"buried") => Hold::Buried {
            until: r.time(3, "until", ANY_TIME)?,
        },
        other => {
            return Err(format!(
                "kind is {}, not suspended or buried",
                describe(other)
            ));
        }
    };
    Ok(super::holds::HeldCard {
        item: r.item(0)?,
        hold,
        at: r.time(2, "held_at", REVIEW_TIMES)?,
    })
}

/// A card reset (`item, reset_at`), or what is wrong with it.
pub(crate) fn reset(row: &Row) -> Result<(ItemKey, Timestamp), String> {
    let r = Fields(row);
    Ok((r.item(0)?, r.time(1, "reset_at", REVIEW_TIMES)?))
}

/// A day's extra new cards for a pack (`pack, day, cards`), or what is wrong with it.
pub(crate) fn extra_new(row: &Row) -> Result<(String, i64, u32), String> {
    let r = Fields(row);
    let pack = r.item(0)?.as_str().to_string();
    let day = r.int(1, "day", 0..=i64::from(u32::MAX))?;
    let cards = r.int(2, "cards", 0..=i64::from(MAX_NEW_PER_DAY))? as u32;
    Ok((pack, day, cards))
}

/// A stored fit (`id, parameters, fitted_at, items, log_loss, rmse`), or what is wrong with it:
/// its weights must be finite and accepted by the scheduler.
pub(crate) fn parameters(row: &Row) -> Result<StoredParameters, String> {
    let r = Fields(row);
    let weights: Vec<f32> = match r.value(1)? {
        ValueRef::Text(t) => {
            serde_json::from_slice(t).map_err(|e| format!("the weights are not a list: {e}"))?
        }
        other => return Err(format!("the weights are {}, not a list", describe(other))),
    };
    if weights.iter().any(|w| !w.is_finite()) {
        return Err("a weight is not a finite number".into());
    }
    Scheduler::new(&weights, Settings::default(), DayClock::utc(0)).map_err(|e| e.to_string())?;
    let error = |i: usize, name: &str| match r.value(i)? {
        ValueRef::Null => Ok(None),
        _ => r.real(i, name).map(|x| Some(x as f32)),
    };
    Ok(StoredParameters {
        parameters: weights,
        fitted_at: r.time(2, "fitted_at", ANY_TIME)?,
        items: r.int(3, "items", 0..=i64::MAX)? as usize,
        log_loss: error(4, "log_loss")?,
        rmse: error(5, "rmse")?,
    })
}

/// An exam-goal row (columns as in `GOAL_COLUMNS`), or what is wrong with it.
pub(crate) fn exam_goal(row: &Row) -> Result<ExamGoal, String> {
    let r = Fields(row);
    let day = |i: usize, name: &str| {
        // 1970 to 2200: a date a learner could mean.
        r.int(i, name, 0..=84_000)
            .map(|n| add_days(jiff::civil::Date::constant(1970, 1, 1), n))
    };
    let forecast: Vec<f64> = match r.value(5)? {
        ValueRef::Text(t) if t.len() <= 64 * 1024 => serde_json::from_slice(t)
            .map_err(|e| format!("the forecast is not a list of numbers: {e}"))?,
        _ => return Err("the forecast is not a short JSON list".into()),
    };
    let goal = ExamGoal {
        pack: r.item(0)?.as_str().to_string(),
        exam: day(1, "exam_day")?,
        target: r.real(2, "target")?,
        minutes: r.int(3, "minutes", 0..=10_000)? as u32,
        set_on: day(4, "set_day")?,
        forecast,
    };
    match goal.problem() {
        Some(why) => Err(why),
        None => Ok(goal),
    }
}

/// The text of column `i` when it is text, for naming a row that is otherwise unusable.
pub(crate) fn text_of(row: &Row, i: usize) -> Option<String> {
    match row.get_ref(i).ok()? {
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        _ => None,
    }
}

/// One row's columns, each read as what it must be.
struct Fields<'a, 'b>(&'a Row<'b>);

impl Fields<'_, '_> {
    fn value(&self, i: usize) -> Result<ValueRef<'_>, String> {
        self.0.get_ref(i).map_err(|e| e.to_string())
    }

    fn int(&self, i: usize, name: &str, range: RangeInclusive<i64>) -> Result<i64, String> {
        match self.value(i)? {
            ValueRef::Integer(n) if range.contains(&n) => Ok(n),
            ValueRef::Integer(n) => Err(format!(
                "{name} is {n}, not between {} and {}",
                range.start(),
                range.end()
            )),
            other => Err(format!("{name} is {}, not a whole number", describe(other))),
        }
    }

    /// A count or length stored as a `u32`.
    fn count(&self, i: usize, name: &str) -> Result<u32, String> {
        self.int(i, name, 0..=i64::from(u32::MAX)).map(|n| n as u32)
    }

    fn real(&self, i: usize, name: &str) -> Result<f64, String> {
        match self.value(i)? {
            ValueRef::Real(x) if x.is_finite() => Ok(x),
            ValueRef::Integer(n) => Ok(n as f64),
            other => Err(format!(
                "{name} is {}, not a finite number",
                describe(other)
            )),
        }
    }

    fn time(&self, i: usize, name: &str, range: RangeInclusive<i64>) -> Result<Timestamp, String> {
        let ms = self.int(i, name, range.clone()).map_err(|_| {
            let bounds = [range.start(), range.end()].map(|&b| {
                Timestamp::from_millisecond(b).map_or_else(|_| b.to_string(), |t| t.to_string())
            });
            let found = self.value(i).map(describe).unwrap_or_default();
            format!(
                "{name} is {found}, not a time from {} to {}",
                bounds[0], bounds[1]
            )
        })?;
        Timestamp::from_millisecond(ms).map_err(|e| format!("{name}: {e}"))
    }

    fn item(&self, i: usize) -> Result<ItemKey, String> {
        match self.value(i)? {
            ValueRef::Text(t) if !t.is_empty() => std::str::from_utf8(t)
                .map(ItemKey::new)
                .map_err(|_| "the item is not valid UTF-8 text".to_string()),
            other => Err(format!("the item is {}, not a key", describe(other))),
        }
    }
}

/// A stored value in words, for a message.
fn describe(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => "empty (NULL)".into(),
        ValueRef::Integer(n) => n.to_string(),
        ValueRef::Real(x) => x.to_string(),
        ValueRef::Text(t) => {
            let text = String::from_utf8_lossy(t);
            let short: String = text.chars().take(40).collect();
            format!("the text {short:?}")
        }
        ValueRef::Blob(b) => format!("a blob of {} bytes", b.len()),
    }
}

/// The usable rows matching `filter` (an SQL condition on `?1`), oldest first (by time, then
/// item), and how many rows matched but could not be used. They are sorted here rather than
/// by SQLite, which breaks ties on item in a temporary B-tree: about 40 ms of a 68 ms read of
/// 150,000 rows, where sorting them here takes 2 ms.
pub(crate) fn read_log(
    conn: &Connection,
    filter: &str,
    param: impl ToSql,
) -> rusqlite::Result<(Vec<ReviewLog>, usize)> {
    let sql = format!("SELECT {LOG_COLUMNS} FROM review_log WHERE {filter}");
    let (mut rows, bad) = lenient(conn, &sql, param, review)?;
    rows.sort_by(|a, b| (a.at, &a.item).cmp(&(b.at, &b.item)));
    Ok((rows, bad))
}

/// [`read_log`] of the whole log, read in table order: the unary `+` keeps SQLite from walking
/// the time index, which fetches each row from the table in turn (150,000 rows: 27 against
/// 22 ms when they were written in time order, 155 against 21 ms when not, as an import may
/// write them). A day's rows keep the index.
pub(crate) fn whole_log(conn: &Connection) -> rusqlite::Result<(Vec<ReviewLog>, usize)> {
    read_log(conn, "+reviewed_at >= ?1", Timestamp::MIN.as_millisecond())
}

/// One card's usable rows after its latest reset (the rows its schedule is replayed from),
/// oldest first.
pub(crate) fn card_log(conn: &Connection, key: &ItemKey) -> rusqlite::Result<Vec<ReviewLog>> {
    let reset = super::holds::latest_reset(conn, key)?;
    read_log(conn, "item = ?1", key.as_str()).map(|(rows, _)| {
        rows.into_iter()
            .filter(|r| reset.is_none_or(|at| r.at > at))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_time_is_what_a_timestamp_holds() {
        assert!(Timestamp::from_millisecond(*ANY_TIME.start()).is_ok());
        assert!(Timestamp::from_millisecond(*ANY_TIME.end()).is_ok());
        assert!(Timestamp::from_millisecond(ANY_TIME.start() - 1).is_err());
        assert!(Timestamp::from_millisecond(ANY_TIME.end() + 1).is_err());
    }

    /// Rows written out of time order (as an import writes them), two of them at one time,
    /// come back by time and then item from every reader, the whole log's table scan included.
    #[test]
    fn log_rows_come_back_by_time_then_item_whatever_order_they_were_written_in() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open_in(dir.path()).unwrap();
        store
            .conn
            .execute_batch(
                "INSERT INTO review_log (item, reviewed_at, grade, kind, elapsed_days, scheduled_days, duration_ms)
                 VALUES ('p/b', 1772359300000, 3, 2, 1, 1, 1),
                        ('p/c', 1772359200000, 3, 0, 0, 0, 1),
                        ('p/a', 1772359300000, 3, 0, 0, 0, 1),
                        ('p/b', 1772359100000, 3, 0, 0, 0, 1);",
            )
            .unwrap();
        let order = |rows: Vec<ReviewLog>| -> Vec<(String, i64)> {
            rows.iter()
                .map(|r| (r.item.to_string(), r.at.as_millisecond()))
                .collect()
        };
        let whole = vec![
            ("p/b".to_string(), 1772359100000),
            ("p/c".to_string(), 1772359200000),
            ("p/a".to_string(), 1772359300000),
            ("p/b".to_string(), 1772359300000),
        ];
        assert_eq!(order(store.log().unwrap()), whole);
        let since = Timestamp::from_millisecond(1772359200000).unwrap();
        assert_eq!(order(store.log_since(since).unwrap()), whole[1..]);
        let b = card_log(&store.conn, &ItemKey::new("p/b")).unwrap();
        assert_eq!(order(b), [whole[0].clone(), whole[3].clone()]);
    }

    #[test]
    fn review_times_are_2000_to_9000() {
        let at = |ms: i64| Timestamp::from_millisecond(ms).unwrap().to_string();
        assert_eq!(at(*REVIEW_TIMES.start()), "2000-01-01T00:00:00Z");
        assert_eq!(at(*REVIEW_TIMES.end()), "9000-01-01T00:00:00Z");
    }

    #[test]
    fn each_bad_value_is_named() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let read = |values: &str| -> String {
            c.query_row(&format!("SELECT {values}"), [], |r| Ok(review(r)))
                .unwrap()
                .unwrap_err()
        };
        let ok = "'p/a', 1772359200000, 3, 0, 0, 0, 10";
        assert!(
            c.query_row(&format!("SELECT {ok}"), [], |r| Ok(review(r)))
                .unwrap()
                .is_ok()
        );
        assert_eq!(
            read("'p/a', 253402128000000, 3, 0, 0, 0, 10"),
            "reviewed_at is 253402128000000, not a time from 2000-01-01T00:00:00Z to 9000-01-01T00:00:00Z"
        );
        assert_eq!(
            read("'p/a', 1772359200000, 3, 0, 'x', 0, 10"),
            "elapsed_days is the text \"x\", not a whole number"
        );
        assert_eq!(
            read("'p/a', 1772359200000, 9, 0, 0, 0, 10"),
            "grade is 9, not between 1 and 4"
        );
        assert_eq!(
            read("'p/a', 1772359200000, 3, 0, 0, 0, -1"),
            "duration_ms is -1, not between 0 and 4294967295"
        );
        assert_eq!(
            read("NULL, 1772359200000, 3, 0, 0, 0, 1"),
            "the item is empty (NULL), not a key"
        );
    }
}
