//! Rebuilding card states from the review log. The log is the truth; states are a cache of
//! this fold, so replaying gives exactly what live grading stored (same scheduler, same rows).
//!
//! An item renamed with `aliases` keeps its progress: its first answer under the new id starts
//! from the latest state of its former ids (see `Catalog::state`), and the replay does the same
//! with [`Renames`], so a rebuild never drops what a rename carried over. Rows are never
//! rewritten: each stays under the key it was given.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;

use super::SrsError;
use super::key::ItemKey;
use super::scheduler::Scheduler;
use super::state::{CardState, ReviewLog};

/// Former item keys and the keys they became (from the packs' `aliases`), both ways.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    formers: HashMap<ItemKey, Vec<ItemKey>>,
}

impl Renames {
    /// From (former, current) pairs.
    pub fn new(pairs: impl IntoIterator<Item = (ItemKey, ItemKey)>) -> Renames {
        let mut formers: HashMap<ItemKey, Vec<ItemKey>> = HashMap::new();
        for (former, current) in pairs {
            let list = formers.entry(current).or_default();
            if !list.contains(&former) {
                list.push(former);
                list.sort();
            }
        }
        Renames { formers }
    }

    /// Every (former, current) pair.
    pub fn pairs(&self) -> impl Iterator<Item = (&ItemKey, &ItemKey)> {
        self.formers
            .iter()
            .flat_map(|(current, formers)| formers.iter().map(move |f| (f, current)))
    }

    /// The keys `key` was stored under before it was renamed.
    pub fn formers(&self, key: &ItemKey) -> &[ItemKey] {
        self.formers.get(key).map_or(&[], Vec::as_slice)
    }

    pub fn is_empty(&self) -> bool {
        self.formers.is_empty()
    }
}

/// Every item's state after its log rows, applied in time order; renames are not followed.
pub fn replay(
    scheduler: &Scheduler,
    log: &[ReviewLog],
) -> Result<HashMap<ItemKey, CardState>, SrsError> {
    replay_with(scheduler, log, &Renames::default())
}

/// Every item's state after its log rows, applied in time order, an item's first row starting
/// from what it carried over from its former keys (see [`carried`]).
pub fn replay_with(
    scheduler: &Scheduler,
    log: &[ReviewLog],
    renames: &Renames,
) -> Result<HashMap<ItemKey, CardState>, SrsError> {
    let mut by_key: HashMap<&ItemKey, Vec<ReviewLog>> = HashMap::new();
    for row in log {
        by_key.entry(&row.item).or_default().push(row.clone());
    }
    for rows in by_key.values_mut() {
        rows.sort_by_key(|r| r.at);
    }
    let rows_of = |k: &ItemKey| Ok(by_key.get(k).cloned().unwrap_or_default());
    let mut states = HashMap::new();
    for (key, rows) in &by_key {
        let start = carried(scheduler, renames, key, rows[0].at, &rows_of)?;
        if let Some(state) = fold(scheduler, start, rows)? {
            states.insert((*key).clone(), state);
        }
    }
    Ok(states)
}

/// A card's state after `rows` (its own, oldest first), starting from `start`.
pub fn fold(
    scheduler: &Scheduler,
    start: Option<CardState>,
    rows: &[ReviewLog],
) -> Result<Option<CardState>, SrsError> {
    rows.iter().try_fold(start, |state, r| {
        scheduler
            .grade(&r.item, state.as_ref(), r.grade, r.at, r.duration_ms)
            .map(|a| Some(a.after))
    })
}

/// The state `key` starts from when its first answer is at `before`: the latest (by last
/// review) of its former keys' states from their rows before then, each former key carrying
/// over from its own former keys in turn. `None` for an item never renamed, or whose former
/// ids were never reviewed. `rows_of` gives a key's rows, oldest first.
pub fn carried<E>(
    scheduler: &Scheduler,
    renames: &Renames,
    key: &ItemKey,
    before: Timestamp,
    rows_of: &dyn Fn(&ItemKey) -> Result<Vec<ReviewLog>, E>,
) -> Result<Option<CardState>, E>
where
    E: From<SrsError>,
{
    carried_inner(
        scheduler,
        renames,
        key,
        before,
        rows_of,
        &HashSet::from([key.clone()]),
    )
}

fn carried_inner<E: From<SrsError>>(
    scheduler: &Scheduler,
    renames: &Renames,
    key: &ItemKey,
    before: Timestamp,
    rows_of: &dyn Fn(&ItemKey) -> Result<Vec<ReviewLog>, E>,
    path: &HashSet<ItemKey>,
) -> Result<Option<CardState>, E> {
    let mut best: Option<CardState> = None;
    for former in renames.formers(key) {
        if path.contains(former) {
            continue; // a rename cycle
        }
        let rows: Vec<ReviewLog> = rows_of(former)?
            .into_iter()
            .filter(|r| r.at < before)
            .collect();
        let Some(first) = rows.first().map(|r| r.at) else {
            continue;
        };
        let mut deeper = path.clone();
        deeper.insert(former.clone());
        let start = carried_inner(scheduler, renames, former, first, rows_of, &deeper)?;
        let state = fold(scheduler, start, &rows)?;
        if let Some(s) =
            state.filter(|s| best.as_ref().is_none_or(|b| s.last_review > b.last_review))
        {
            best = Some(s);
        }
    }
    Ok(best)
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
