//! The card browser's rows: every card of a scope with its state, due date, lapses and
//! reviews, filtered the way the learner asks (all, due, missed, leeches, suspended).

use std::collections::HashMap;

use jiff::Timestamp;
use serde::Serialize;

use super::hold::{Hold, is_leech};
use super::item::{Catalog, Scope};
use super::key::ItemKey;
use super::state::{CardState, Phase};
use super::time::DayClock;

/// Where a card is, as the browser shows it: its phase, or why it is out of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CardStatus {
    New,
    Learning,
    Review,
    Relearning,
    Suspended,
    Buried,
}

impl CardStatus {
    pub fn label(self) -> &'static str {
        match self {
            CardStatus::New => "new",
            CardStatus::Learning => "learning",
            CardStatus::Review => "review",
            CardStatus::Relearning => "relearning",
            CardStatus::Suspended => "suspended",
            CardStatus::Buried => "buried",
        }
    }
}

/// Which cards the browser lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Filter {
    #[default]
    All,
    /// Due today (overdue included), held cards aside.
    Due,
    /// Questions sent to review from an exam or practice result.
    Missed,
    /// Cards with at least the leech threshold's lapses.
    Leeches,
    Suspended,
    /// Buried until the next learning day.
    Buried,
}

impl Filter {
    pub const ALL: [Filter; 6] = [
        Filter::All,
        Filter::Due,
        Filter::Missed,
        Filter::Leeches,
        Filter::Suspended,
        Filter::Buried,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Due => "due",
            Filter::Missed => "missed",
            Filter::Leeches => "leeches",
            Filter::Suspended => "suspended",
            Filter::Buried => "buried",
        }
    }

    /// The filter after this one, wrapping around.
    pub fn next(self) -> Filter {
        let at = Filter::ALL.iter().position(|f| *f == self).unwrap_or(0);
        Filter::ALL[(at + 1) % Filter::ALL.len()]
    }

    /// Whether the filter lists `row`; a held card is never due.
    pub fn admits(self, row: &CardRow) -> bool {
        let held = matches!(row.status, CardStatus::Suspended | CardStatus::Buried);
        match self {
            Filter::All => true,
            Filter::Due => row.due_today && !held,
            Filter::Missed => row.missed,
            Filter::Leeches => row.leech,
            Filter::Suspended => row.status == CardStatus::Suspended,
            Filter::Buried => row.status == CardStatus::Buried,
        }
    }
}

/// One card in the browser.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardRow {
    pub key: ItemKey,
    /// The card's note, as `pack:note`.
    pub topic: Option<String>,
    pub status: CardStatus,
    /// When it is next due; `None` for a card never reviewed (a missed question is due now).
    pub due: Option<Timestamp>,
    /// Whether it would be in today's queue were it not held (due by the end of today, or a
    /// missed question not answered yet).
    pub due_today: bool,
    pub lapses: u32,
    pub reviews: u32,
    pub leech: bool,
    /// A question sent to review from an exam or practice result.
    pub missed: bool,
}

/// The cards of `scope` that `filter` admits, in pack order. Questions appear once they are
/// sent to review (or were reviewed under an earlier id).
pub fn rows(
    catalog: &Catalog,
    states: &HashMap<ItemKey, CardState>,
    scope: &Scope,
    filter: Filter,
    leech_threshold: u32,
    clock: &DayClock,
    now: Timestamp,
) -> Vec<CardRow> {
    let day_end = clock.next_day_start(now);
    catalog
        .entries()
        .iter()
        .filter(|e| e.in_scope(scope))
        .filter_map(|e| {
            let state = catalog.state(e, states);
            let missed = catalog.is_missed(e);
            if state.is_none() && !catalog.offers_new(e) {
                return None;
            }
            // A missed question is due at once as a learning card, as the queue takes it.
            let phase = match state {
                Some(s) => s.phase,
                None if missed => Phase::Learning,
                None => Phase::New,
            };
            let status = match catalog.hold(&e.key).filter(|h| h.applies(now)) {
                Some(Hold::Suspended) => CardStatus::Suspended,
                Some(Hold::Buried { .. }) => CardStatus::Buried,
                None => match phase {
                    Phase::New => CardStatus::New,
                    Phase::Learning => CardStatus::Learning,
                    Phase::Review => CardStatus::Review,
                    Phase::Relearning => CardStatus::Relearning,
                },
            };
            let lapses = state.map_or(0, |s| s.lapses);
            Some(CardRow {
                key: e.key.clone(),
                topic: e.topic.as_deref().map(str::to_string),
                status,
                due: state.map(|s| s.due).or(missed.then_some(now)),
                due_today: state.map_or(missed, |s| s.due < day_end),
                lapses,
                reviews: state.map_or(0, |s| s.reps),
                leech: is_leech(lapses, leech_threshold),
                missed,
            })
        })
        .filter(|row| filter.admits(row))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::item::tests::library;
    use crate::srs::{Grade, Scheduler, Settings};

    #[test]
    fn filters_pick_missed_leeches_suspended_and_due_cards() {
        let s = Scheduler::new(&[], Settings::default(), DayClock::utc(4)).unwrap();
        let now: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let mut cat = Catalog::from_library(&library());
        cat.enroll([ItemKey::new("sd/q")]);
        let mut a = s
            .grade(&ItemKey::new("sd/a"), None, Grade::Again, now, 0)
            .unwrap()
            .after;
        a.lapses = 9;
        let states = HashMap::from([(ItemKey::new("sd/a"), a)]);
        cat.set_hold(ItemKey::new("sd/b"), Some(Hold::Suspended));
        let keys = |filter| -> Vec<String> {
            rows(&cat, &states, &Scope::default(), filter, 8, s.clock(), now)
                .iter()
                .map(|r| format!("{} {}", r.key, r.status.label()))
                .collect()
        };
        assert_eq!(
            keys(Filter::All),
            [
                "sd/a learning",
                "sd/b suspended",
                "sd/b#reverse new",
                "sd/c#c1 new",
                "sd/c#c2 new",
                "sd/q learning"
            ]
        );
        assert_eq!(keys(Filter::Missed), ["sd/q learning"]);
        assert_eq!(keys(Filter::Leeches), ["sd/a learning"]);
        assert_eq!(keys(Filter::Suspended), ["sd/b suspended"]);
        assert_eq!(keys(Filter::Due), ["sd/a learning", "sd/q learning"]);
        assert_eq!(keys(Filter::Buried), Vec::<String>::new());
        assert_eq!(Filter::Suspended.next(), Filter::Buried);
        assert_eq!(Filter::Buried.next(), Filter::All);
    }
}
