//! Laws of the scheduler, checked on random histories: button intervals never go down, due
//! times are never in the past, and the log alone rebuilds every state, through replay, the
//! store, and an export/import round trip.

use std::collections::HashMap;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use sysdeck::srs::time::shift;
use sysdeck::srs::{CardState, DayClock, Grade, ItemKey, ReviewLog, Scheduler, Settings, replay};
use sysdeck::store::Store;

fn grade() -> impl Strategy<Value = Grade> {
    (1u8..=4).prop_map(|n| Grade::from_number(n).unwrap())
}

/// Steps in minutes, each at least as long as the one before (what settings accept).
fn steps(most: usize) -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(1u32..3000, 0..most).prop_map(|mut v| {
        v.sort_unstable();
        v
    })
}

/// Settings across their whole valid range.
fn settings() -> impl Strategy<Value = Settings> {
    (
        steps(4),
        steps(3),
        0.70f32..0.99,
        1u32..=sysdeck::srs::settings::MAX_INTERVAL_DAYS,
        any::<bool>(),
        any::<u64>(),
        0u8..24,
    )
        .prop_map(
            |(learn, relearn, retention, max, fuzz, seed, hour)| Settings {
                learning_steps: learn,
                relearning_steps: relearn,
                desired_retention: retention,
                maximum_interval: max,
                fuzz,
                fuzz_seed: seed,
                day_start_hour: hour,
                ..Settings::default()
            },
        )
}

/// Answers to one card: a grade and how long after the card fell due (or, negative, before)
/// it was given, in minutes.
fn answers() -> impl Strategy<Value = Vec<(Grade, i64)>> {
    prop::collection::vec((grade(), -2000i64..200_000), 1..25)
}

const START: &str = "2026-01-05T09:30:00.123Z";

/// Grades one card through `answers`, returning the log and the final state.
fn walk(
    s: &Scheduler,
    key: &ItemKey,
    answers: &[(Grade, i64)],
    mut check: impl FnMut(&Option<CardState>, Timestamp),
) -> (Vec<ReviewLog>, Option<CardState>) {
    let mut now: Timestamp = START.parse().unwrap();
    let mut state: Option<CardState> = None;
    let mut log = Vec::new();
    for &(g, offset) in answers {
        check(&state, now);
        let a = s.grade(key, state.as_ref(), g, now, 1234).unwrap();
        log.push(a.log);
        state = Some(a.after);
        let due = state.as_ref().unwrap().due;
        // Never go back in time: answer at the due time moved by `offset`, but after `now`.
        now = shift(due, SignedDuration::from_mins(offset))
            .max(shift(now, SignedDuration::from_secs(1)));
    }
    (log, state)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn intervals_rise_with_the_grade_and_due_times_are_ahead(
        settings in settings(),
        answers in answers(),
    ) {
        let hour = settings.day_start_hour;
        let s = Scheduler::new(&[], settings, DayClock::utc(hour)).unwrap();
        let key = ItemKey::new("p/card");
        walk(&s, &key, &answers, |state, now| {
            let p = s.preview(&key, state.as_ref(), now).unwrap();
            let iv: Vec<_> = p.outcomes().iter().map(|o| o.interval).collect();
            assert!(iv.windows(2).all(|w| w[0] <= w[1]), "{iv:?} from {state:?}");
            for o in p.outcomes() {
                assert!(o.state.due > now, "{:?} due {} at {now}", o.grade, o.state.due);
                assert!(o.state.scheduled_days <= s.settings().maximum_interval);
            }
        });
    }

    #[test]
    fn replaying_the_log_gives_the_stored_states(
        settings in settings(),
        cards in prop::collection::vec(answers(), 1..6),
    ) {
        let s = Scheduler::new(&[], settings, DayClock::utc(4)).unwrap();
        let mut log = Vec::new();
        let mut live = HashMap::new();
        for (i, answers) in cards.iter().enumerate() {
            let key = ItemKey::new(format!("p/card-{i}"));
            let (rows, state) = walk(&s, &key, answers, |_, _| {});
            log.extend(rows);
            live.insert(key, state.unwrap());
        }
        log.sort_by_key(|r| r.at);
        prop_assert_eq!(replay(&s, &log).unwrap(), live);
    }
}

/// A store holding the answers of `cards`, committed one by one as the review screen does.
fn filled_store(dir: &std::path::Path, s: &Scheduler, cards: &[Vec<(Grade, i64)>]) -> Store {
    let mut store = Store::open_in(dir).unwrap();
    for (i, answers) in cards.iter().enumerate() {
        let key = ItemKey::new(format!("p/card-{i}"));
        let mut now: Timestamp = START.parse().unwrap();
        for &(g, offset) in answers {
            let before = store.state(&key).unwrap();
            let a = s.grade(&key, before.as_ref(), g, now, 0).unwrap();
            store.record(&a, s).unwrap();
            now = shift(a.after.due, SignedDuration::from_mins(offset))
                .max(shift(now, SignedDuration::from_secs(1)));
        }
    }
    store
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn the_store_rebuilds_and_round_trips_its_states(
        cards in prop::collection::vec(answers(), 1..5),
    ) {
        let s = Scheduler::new(&[], Settings::default(), DayClock::utc(4)).unwrap();
        let a = tempfile::tempdir().unwrap();
        let mut store = filled_store(a.path(), &s, &cards);
        let recorded = store.states().unwrap();

        store.rebuild(&s).unwrap();
        prop_assert_eq!(&store.states().unwrap(), &recorded, "rebuild");

        let exported = store.export_progress().unwrap();
        let b = tempfile::tempdir().unwrap();
        let mut other = Store::open_in(b.path()).unwrap();
        let first = other.import_progress(&exported, TimeZone::UTC).unwrap();
        prop_assert_eq!(first.reviews_added, exported.reviews.len());
        prop_assert_eq!(&other.states().unwrap(), &recorded, "export then import");

        let again = other.import_progress(&exported, TimeZone::UTC).unwrap();
        prop_assert_eq!(again.reviews_added, 0);
        prop_assert_eq!(&other.states().unwrap(), &recorded, "import twice");
        prop_assert_eq!(other.export_progress().unwrap(), exported);
    }
}
