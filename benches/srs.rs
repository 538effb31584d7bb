//! The review loop's costs at scale: a catalog of 20,000 cards (about 30,000 items with their
//! reverse sides and cloze deletions) and a store holding 200,000 review-log rows.
//!
//! - a grade committed and the next card ready, with `synchronous` NORMAL and FULL (the
//!   median and p99 of single answers are printed before criterion's runs);
//! - building today's queue, from the store (states and today's log read) and in memory;
//! - a full replay of the log, in memory and into the store;
//! - a start's progress: the database opened and checked and all of it read, beside the
//!   catalog.

#[path = "../tests/srs_common/mod.rs"]
mod srs_common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use sysdeck::content::Library;
use sysdeck::srs::time::shift;
use sysdeck::srs::{
    CardState, Catalog, DayClock, Grade, ItemKey, Next, Queue, ReviewLog, Scheduler, Scope,
    Session, Settings, Today, replay,
};
use sysdeck::store::{Progress, Store};

const CARDS: usize = 20_000;
const LOG_ROWS: usize = 200_000;

fn now() -> Timestamp {
    "2026-06-01T09:00:00Z".parse().unwrap()
}

fn scheduler(new_per_day: u32) -> Scheduler {
    let settings = Settings {
        new_per_day,
        ..Settings::default()
    };
    Scheduler::new(&[], settings, DayClock::utc(4)).unwrap()
}

/// A history ending before `now()`: items studied from up to three years back, each answered
/// when due (a few hours late), mostly Good, until the log has [`LOG_ROWS`] rows.
fn history(catalog: &Catalog, s: &Scheduler) -> Vec<ReviewLog> {
    let mut rng = Pcg64::seed_from_u64(7);
    let mut log = Vec::with_capacity(LOG_ROWS);
    for e in catalog.entries().iter().cycle() {
        let start = shift(
            now(),
            SignedDuration::from_hours(-24 * rng.random_range(30..1100)),
        );
        let mut at = shift(start, SignedDuration::from_millis(log.len() as i64));
        let mut state: Option<CardState> = None;
        for _ in 0..10 {
            if at >= now() || log.len() == LOG_ROWS {
                break;
            }
            let grade = match rng.random_range(0..100) {
                0..10 => Grade::Again,
                10..20 => Grade::Hard,
                20..95 => Grade::Good,
                _ => Grade::Easy,
            };
            let a = s.grade(&e.key, state.as_ref(), grade, at, 5_000).unwrap();
            log.push(a.log);
            at = shift(
                a.after.due,
                SignedDuration::from_mins(rng.random_range(0..600)),
            );
            state = Some(a.after);
        }
        if log.len() == LOG_ROWS {
            break;
        }
    }
    log
}

struct Fixture {
    library: Library,
    catalog: Catalog,
    log: Vec<ReviewLog>,
    dir: tempfile::TempDir,
    store: Store,
}

fn fixture() -> Fixture {
    let library = srs_common::library(CARDS);
    let catalog = Catalog::from_library(&library);
    let s = scheduler(20);
    let log = history(&catalog, &s);
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let progress = Progress {
        reviews: log.clone(),
        ..Progress::default()
    };
    store.import_progress(&progress, TimeZone::UTC).unwrap();
    eprintln!(
        "fixture: {} cards, {} items, {} log rows, {} states",
        CARDS,
        catalog.len(),
        log.len(),
        store.states().unwrap().len()
    );
    Fixture {
        library,
        catalog,
        log,
        dir,
        store,
    }
}

/// A session with every new card available, so it never runs dry during a measurement.
fn big_session(f: &Fixture) -> Session {
    // The most new cards a day the settings allow: the session outlasts any measurement.
    let s = scheduler(10_000);
    let q = queue_from_store(f, &s);
    Session::new(s, q)
}

/// Today's queue over the whole catalog at `now()`: every measurement builds it the same way.
fn build_queue(
    f: &Fixture,
    s: &Scheduler,
    states: &HashMap<ItemKey, CardState>,
    today: &Today,
) -> Queue {
    Queue::build(
        &f.catalog,
        states,
        today,
        &Scope::default(),
        s.settings(),
        s.clock(),
        now(),
    )
}

/// Reads the states and today's log from the store, then builds today's queue from them.
fn queue_from_store(f: &Fixture, s: &Scheduler) -> Queue {
    let states = f.store.states().unwrap();
    let today = f.store.today(s.clock(), now()).unwrap();
    build_queue(f, s, &states, &today)
}

/// Answers the card on screen, commits it, and gets the next one ready. Again keeps every card
/// in the session (back in a minute, inside the learn-ahead window), so it never runs dry.
fn grade_and_next(session: &mut Session, store: &mut Store, at: Timestamp) {
    let a = session.answer(Grade::Again, at, 3_000).unwrap();
    store.record(&a, session.scheduler()).unwrap();
    assert!(matches!(session.next(at), Next::Card(_)));
}

fn answer_latency(c: &mut Criterion, f: &mut Fixture) {
    // One clock for both modes: a card answered twice at the same millisecond is one row.
    let mut at = now();
    for mode in ["NORMAL", "FULL"] {
        f.store.set_synchronous(mode).unwrap();
        let mut session = big_session(f);
        session.next(at);
        let mut times: Vec<Duration> = (0..2_000)
            .map(|_| {
                at = shift(at, SignedDuration::from_millis(1));
                let t = Instant::now();
                grade_and_next(&mut session, &mut f.store, at);
                t.elapsed()
            })
            .collect();
        times.sort();
        eprintln!(
            "grade committed + next card, synchronous={mode}: median {:?}, p99 {:?} over {} answers",
            times[times.len() / 2],
            times[times.len() * 99 / 100],
            times.len()
        );
        c.bench_function(
            &format!("grade committed + next card ready (synchronous={mode})"),
            |b| {
                b.iter(|| {
                    at = shift(at, SignedDuration::from_millis(1));
                    grade_and_next(&mut session, &mut f.store, at);
                })
            },
        );
    }
    f.store.set_synchronous("NORMAL").unwrap();
}

fn queue(c: &mut Criterion, f: &Fixture) {
    let s = scheduler(20);
    c.bench_function(
        "today's queue from the store (20k cards, 200k log rows)",
        |b| b.iter(|| queue_from_store(f, &s)),
    );
    for _ in 0..3 {
        let t = Instant::now();
        let states = f.store.states().unwrap();
        let loaded = t.elapsed();
        let t = Instant::now();
        f.store.today(s.clock(), now()).unwrap();
        eprintln!(
            "states() {loaded:?} for {}; today() {:?}",
            states.len(),
            t.elapsed()
        );
    }
    let states: HashMap<ItemKey, CardState> = f.store.states().unwrap();
    let today = f.store.today(s.clock(), now()).unwrap();
    let q = build_queue(f, &s, &states, &today);
    eprintln!("today's queue: {:?}", q.counts());
    c.bench_function("today's queue in memory (states loaded)", |b| {
        b.iter(|| build_queue(f, &s, &states, &today))
    });
}

fn replays(c: &mut Criterion, f: &mut Fixture) {
    let s = scheduler(20);
    c.bench_function("replay 200k log rows in memory", |b| {
        b.iter(|| replay(&s, &f.log).unwrap())
    });
    c.bench_function("rebuild: replay 200k log rows into the store", |b| {
        b.iter(|| f.store.rebuild(&s).unwrap())
    });
}

/// What a start waits for besides the packs: the catalog built, the database opened and its
/// integrity checked, and the whole progress read (states, log, answers, settings).
fn start(c: &mut Criterion, f: &Fixture) {
    c.bench_function(
        "start: catalog, database checked, progress read (20k cards, 200k log rows)",
        |b| {
            b.iter(|| {
                let progress = sysdeck::progress::Progress::open_for(f.dir.path(), &f.library);
                assert_eq!(
                    progress.unwrap().full_reads(),
                    1,
                    "the start read the progress"
                );
            })
        },
    );
}

fn all(c: &mut Criterion) {
    let mut f = fixture();
    start(c, &f);
    queue(c, &f);
    replays(c, &mut f);
    answer_latency(c, &mut f);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = all
}
criterion_main!(benches);
