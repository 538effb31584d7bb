//! Statistics for the stats screen and `sysdeck stats`: plain data, computed from the catalog,
//! the cached states and the log at a given moment.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::item::{Catalog, Entry};
use super::key::ItemKey;
use super::scheduler::Scheduler;
use super::state::{CardState, Grade, Phase, ReviewLog};
use super::time::{add_days, day_number};

/// Days of the due forecast.
pub const FORECAST_DAYS: usize = 30;
/// Weeks of the review heatmap.
pub const HEATMAP_WEEKS: i64 = 26;
/// Days true retention looks back.
pub const RETENTION_DAYS: i64 = 30;
/// A review card whose interval reached this many days counts as mature.
pub const MATURE_DAYS: u32 = 21;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// The learning day the figures are for.
    pub today: Date,
    /// Cards due on each of the next [`FORECAST_DAYS`] days; today's count includes overdue.
    pub forecast: Vec<DayCount>,
    /// Reviews per day from the Monday [`HEATMAP_WEEKS`] weeks back through today.
    pub heatmap: Vec<DayCount>,
    pub retention: Retention,
    pub states: StateCounts,
    pub mastery: Mastery,
    pub streak: Streak,
    /// Every review ever logged.
    pub total_reviews: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayCount {
    pub date: Date,
    pub count: u32,
}

/// Share of review-card answers that were not Again: the retention actually achieved.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Retention {
    pub days: i64,
    pub reviews: u32,
    pub passed: u32,
    /// `None` without reviews.
    pub rate: Option<f64>,
}

/// Current items by phase (new cards included; questions once sent to review).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StateCounts {
    pub new: u32,
    pub learning: u32,
    pub review: u32,
    pub relearning: u32,
    /// Review cards with intervals of [`MATURE_DAYS`] or more.
    pub mature: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mastery {
    pub packs: Vec<Group>,
    /// Per note the cards belong to.
    pub topics: Vec<Group>,
    pub domains: Vec<Group>,
}

/// How well a group of items is known.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// `pack`, `pack:note` or `pack:domain`.
    pub id: String,
    pub name: String,
    pub items: u32,
    /// Items reviewed at least once.
    pub started: u32,
    pub mature: u32,
    /// Mean probability of recall now, unseen items counting 0: 0.0 to 1.0.
    pub mastery: f64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Streak {
    /// Consecutive days with reviews, ending today (or yesterday, if today has none yet).
    pub current: u32,
    pub longest: u32,
    pub reviewed_today: bool,
}

impl Stats {
    pub fn compute(
        catalog: &Catalog,
        states: &HashMap<ItemKey, CardState>,
        log: &[ReviewLog],
        scheduler: &Scheduler,
        now: Timestamp,
    ) -> Stats {
        let clock = scheduler.clock();
        let today = clock.day_of(now);
        let items: Vec<(&Entry, Option<&CardState>)> = catalog
            .entries()
            .iter()
            .map(|e| (e, catalog.state(e, states)))
            .filter(|(e, s)| s.is_some() || catalog.offers_new(e))
            .collect();
        // Suspended and buried cards are not due: they stay out of the forecast.
        let waiting = |e: &Entry| !catalog.is_held(e, now);

        let mut forecast: Vec<DayCount> = (0..FORECAST_DAYS as i64)
            .map(|d| DayCount {
                date: add_days(today, d),
                count: 0,
            })
            .collect();
        let mut counts = StateCounts::default();
        for (e, s) in &items {
            let Some(s) = s else {
                if catalog.is_missed(e) {
                    // Sent to review and not seen since: due today, as a learning card.
                    counts.learning += 1;
                    forecast[0].count += u32::from(waiting(e));
                } else {
                    counts.new += 1;
                }
                continue;
            };
            match s.phase {
                Phase::New | Phase::Learning => counts.learning += 1,
                Phase::Review => counts.review += 1,
                Phase::Relearning => counts.relearning += 1,
            }
            counts.mature += u32::from(is_mature(s));
            if !waiting(e) {
                continue;
            }
            let offset = day_number(clock.day_of(s.due)) - day_number(today);
            if let Some(slot) = forecast.get_mut(offset.max(0) as usize) {
                slot.count += 1;
            }
        }

        let mut per_day: BTreeMap<i64, u32> = BTreeMap::new();
        let since = day_number(today) - RETENTION_DAYS;
        let mut retention = Retention {
            days: RETENTION_DAYS,
            reviews: 0,
            passed: 0,
            rate: None,
        };
        for row in log {
            let day = day_number(clock.day_of(row.at));
            *per_day.entry(day).or_default() += 1;
            if row.kind == Phase::Review && day > since {
                retention.reviews += 1;
                retention.passed += u32::from(row.grade != Grade::Again);
            }
        }
        retention.rate = (retention.reviews > 0)
            .then(|| f64::from(retention.passed) / f64::from(retention.reviews));

        let monday = add_days(today, -i64::from(today.weekday().to_monday_zero_offset()));
        let start = add_days(monday, -7 * (HEATMAP_WEEKS - 1));
        let heatmap = (0..=day_number(today) - day_number(start))
            .map(|d| {
                let date = add_days(start, d);
                let count = per_day.get(&day_number(date)).copied().unwrap_or(0);
                DayCount { date, count }
            })
            .collect();

        Stats {
            today,
            forecast,
            heatmap,
            retention,
            states: counts,
            mastery: mastery(catalog, &items, scheduler, now),
            streak: streak(&per_day.keys().copied().collect(), day_number(today)),
            total_reviews: log.len(),
        }
    }
}

fn is_mature(s: &CardState) -> bool {
    s.phase == Phase::Review && s.scheduled_days >= MATURE_DAYS
}

fn mastery(
    catalog: &Catalog,
    items: &[(&Entry, Option<&CardState>)],
    scheduler: &Scheduler,
    now: Timestamp,
) -> Mastery {
    #[derive(Default)]
    struct Acc {
        items: u32,
        started: u32,
        mature: u32,
        recall: f64,
    }
    let mut groups: [BTreeMap<&str, Acc>; 3] = Default::default();
    for (e, s) in items {
        let ids = [Some(e.key.pack()), e.topic.as_deref(), e.domain.as_deref()];
        for (map, id) in groups.iter_mut().zip(ids) {
            let Some(id) = id else { continue };
            let acc = map.entry(id).or_default();
            acc.items += 1;
            if let Some(s) = s {
                acc.started += 1;
                acc.mature += u32::from(is_mature(s));
                acc.recall += f64::from(scheduler.retrievability(s, now));
            }
        }
    }
    let [packs, topics, domains] = groups.map(|map| {
        map.into_iter()
            .map(|(id, a)| Group {
                id: id.to_string(),
                name: catalog.name(id).to_string(),
                items: a.items,
                started: a.started,
                mature: a.mature,
                mastery: a.recall / f64::from(a.items.max(1)),
            })
            .collect()
    });
    Mastery {
        packs,
        topics,
        domains,
    }
}

/// Streaks over the day numbers that have reviews.
fn streak(days: &BTreeSet<i64>, today: i64) -> Streak {
    let mut longest = 0;
    let mut run = 0;
    let mut prev = None;
    for &d in days {
        run = if prev == Some(d - 1) { run + 1 } else { 1 };
        longest = longest.max(run);
        prev = Some(d);
    }
    let reviewed_today = days.contains(&today);
    let mut current = 0;
    let mut d = if reviewed_today { today } else { today - 1 };
    while days.contains(&d) {
        current += 1;
        d -= 1;
    }
    Streak {
        current,
        longest,
        reviewed_today,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::item::tests::library;
    use crate::srs::time::shift;
    use crate::srs::{DayClock, Settings};
    use jiff::SignedDuration;
    use jiff::civil::Weekday;

    #[test]
    fn streaks_count_back_from_today_or_yesterday() {
        let days: BTreeSet<i64> = [1, 2, 3, 7, 8].into();
        assert_eq!(
            streak(&days, 9),
            Streak {
                current: 2,
                longest: 3,
                reviewed_today: false
            }
        );
        assert_eq!(streak(&days, 8).current, 2);
        assert_eq!(streak(&days, 10).current, 0);
    }

    #[test]
    fn figures_come_from_states_and_log() {
        let s = Scheduler::new(&[], Settings::default(), DayClock::utc(4)).unwrap();
        let cat = Catalog::from_library(&library());
        let t0: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let key = ItemKey::new("sd/a");
        let a = s.grade(&key, None, Grade::Easy, t0, 0).unwrap();
        let t1 = shift(a.after.due, SignedDuration::from_hours(1));
        let b = s.grade(&key, Some(&a.after), Grade::Again, t1, 0).unwrap();
        let states = HashMap::from([(key.clone(), b.after.clone())]);
        let log = vec![a.log, b.log];
        let st = Stats::compute(&cat, &states, &log, &s, t1);
        assert_eq!(st.states.new, 4);
        assert_eq!(st.states.relearning, 1);
        assert_eq!(st.forecast.len(), FORECAST_DAYS);
        assert_eq!(st.forecast[0].count, 1, "relearning today");
        assert_eq!(st.retention.reviews, 1);
        assert_eq!(st.retention.rate, Some(0.0));
        assert_eq!(st.heatmap.last().unwrap().date, st.today);
        assert_eq!(st.heatmap[0].date.weekday(), Weekday::Monday);
        assert!(st.heatmap.len() > 25 * 7 && st.heatmap.len() <= 26 * 7);
        assert_eq!(st.heatmap.iter().map(|d| d.count).sum::<u32>(), 2);
        let sd = &st.mastery.packs[0];
        assert_eq!((sd.id.as_str(), sd.items, sd.started), ("sd", 5, 1));
        // Just answered, so recalled with near certainty: one item of five.
        assert!((sd.mastery - 0.2).abs() < 0.01, "{}", sd.mastery);
        assert_eq!(st.mastery.topics[0].name, "Caching");
        assert_eq!(st.streak.current, 1);
    }
}
