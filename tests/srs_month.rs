//! A simulated month of daily reviews through the real store: one session a day at 9:00 UTC,
//! seeded answers, an injected clock. The per-day queue sizes are snapshot-tested and the
//! daily limits and sibling rule are checked on the log.

#[path = "srs_common/mod.rs"]
mod srs_common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use jiff::{SignedDuration, Timestamp};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use sysdeck::srs::time::{add_days, shift};
use sysdeck::srs::{
    Catalog, DayClock, Grade, Next, Phase, Queue, Scheduler, Scope, Session, Settings,
};
use sysdeck::store::Store;

const NEW_PER_DAY: u32 = 15;
const REVIEWS_PER_DAY: u32 = 25;

/// New and review answers of one day, and the items answered per sibling group.
type DayLog = (u32, u32, BTreeMap<String, BTreeSet<String>>);

/// Again 12%, Hard 8%, Good 70%, Easy 10%.
fn answer(rng: &mut Pcg64) -> Grade {
    match rng.random_range(0..100) {
        0..12 => Grade::Again,
        12..20 => Grade::Hard,
        20..90 => Grade::Good,
        _ => Grade::Easy,
    }
}

#[test]
fn a_month_of_daily_reviews() {
    let lib = srs_common::library(120);
    let catalog = Catalog::from_library(&lib);
    let settings = Settings {
        new_per_day: NEW_PER_DAY,
        reviews_per_day: REVIEWS_PER_DAY,
        ..Settings::default()
    };
    let scheduler = Scheduler::new(&[], settings, DayClock::utc(4)).unwrap();
    let clock = scheduler.clock().clone();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let mut rng = Pcg64::seed_from_u64(2026);
    let first: Timestamp = "2026-02-02T09:00:00Z".parse().unwrap();

    let mut table = String::from("day  queued(new/learn/review)  answers  again\n");
    for day in 0..30 {
        let mut now = clock.start_of(add_days(clock.day_of(first), day));
        now = shift(now, SignedDuration::from_hours(5));
        let today = store.today(&clock, now).unwrap();
        let states = store.states().unwrap();
        let queue = Queue::build(
            &catalog,
            &states,
            &today,
            &Scope::default(),
            scheduler.settings(),
            &clock,
            now,
        );
        let c = queue.counts();
        let mut session = Session::new(scheduler.clone(), queue);
        loop {
            match session.next(now) {
                Next::Card(_) => {}
                Next::Wait(until) => {
                    now = until;
                    continue;
                }
                Next::Done => break,
            }
            let a = session.answer(answer(&mut rng), now, 8_000).unwrap();
            store.record(&a, session.scheduler()).unwrap();
            now = shift(now, SignedDuration::from_secs(8));
        }
        let s = session.summary();
        writeln!(
            table,
            "{day:>3}  {:>5} /{:>3} /{:>4}          {:>5}  {:>5}",
            c.new, c.learning, c.review, s.answered, s.grades[0]
        )
        .unwrap();
    }

    // The limits and the sibling rule, read back from the log.
    let mut per_day: BTreeMap<_, DayLog> = BTreeMap::new();
    for row in store.log().unwrap() {
        let day = per_day.entry(clock.day_of(row.at)).or_default();
        day.0 += u32::from(row.kind == Phase::New);
        day.1 += u32::from(row.kind == Phase::Review);
        day.2
            .entry(row.item.sibling_group().to_string())
            .or_default()
            .insert(row.item.to_string());
    }
    assert_eq!(per_day.len(), 30);
    for (day, (new, reviews, groups)) in &per_day {
        assert!(*new <= NEW_PER_DAY, "{day}: {new} new");
        assert!(*reviews <= REVIEWS_PER_DAY, "{day}: {reviews} reviews");
        for (group, items) in groups {
            assert_eq!(
                items.len(),
                1,
                "{day}: siblings {items:?} of {group} on one day"
            );
        }
    }
    assert!(
        per_day.values().any(|d| d.1 == REVIEWS_PER_DAY),
        "the review limit is reached at least once"
    );
    insta::assert_snapshot!(table);
}
