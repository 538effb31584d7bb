//! Rebuilding card states from the review log. The log is the truth; states are a cache of
//! this fold, so replaying gives exactly what live grading stored (same scheduler, same rows).

use std::collections::HashMap;

use super::SrsError;
use super::key::ItemKey;
use super::scheduler::Scheduler;
use super::state::{CardState, ReviewLog};

/// Every item's state after its log rows, applied in time order.
pub fn replay(
    scheduler: &Scheduler,
    log: &[ReviewLog],
) -> Result<HashMap<ItemKey, CardState>, SrsError> {
    let mut rows: Vec<&ReviewLog> = log.iter().collect();
    rows.sort_by(|a, b| (&a.item, a.at).cmp(&(&b.item, b.at)));
    let mut states: HashMap<ItemKey, CardState> = HashMap::new();
    for row in rows {
        let before = states.get(&row.item);
        let answer = scheduler.grade(&row.item, before, row.grade, row.at, row.duration_ms)?;
        states.insert(answer.key, answer.after);
    }
    Ok(states)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::time::shift;
    use crate::srs::{DayClock, Grade, Settings};
    use jiff::{SignedDuration, Timestamp};

    #[test]
    fn replay_matches_live_grading_in_any_row_order() {
        let s = Scheduler::new(&[], Settings::default(), DayClock::utc(4)).unwrap();
        let key = ItemKey::new("p/c");
        let mut now: Timestamp = "2026-02-01T10:00:00Z".parse().unwrap();
        let mut state = None;
        let mut log = Vec::new();
        for g in [
            Grade::Good,
            Grade::Good,
            Grade::Again,
            Grade::Hard,
            Grade::Easy,
        ] {
            let a = s.grade(&key, state.as_ref(), g, now, 0).unwrap();
            now = shift(a.after.due, SignedDuration::from_mins(3));
            log.push(a.log);
            state = Some(a.after);
        }
        log.reverse();
        assert_eq!(replay(&s, &log).unwrap().get(&key), state.as_ref());
    }
}
