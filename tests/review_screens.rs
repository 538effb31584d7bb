//! The review and statistics screens: snapshots at 80x24 and 120x40 of every stage of a
//! session and of the statistics with some history, the behaviour the issue asks for (a grade
//! is in the log before the next card shows, undo, the note and back, the wait for a learning
//! card, a store that refuses a write), and a sweep over terminal sizes.

#[macro_use]
#[path = "support/app.rs"]
mod support;

use jiff::{SignedDuration, Timestamp};
use support::{Fixture, NOW, Setup, demo, run};
use sysdeck::srs::{Grade, ItemKey, Scope, Settings};
use sysdeck::tui::app::App;
use sysdeck::tui::keymap::Action;
use sysdeck::tui::nav::Nav;
use sysdeck::tui::snapshot::{ScreenSpec, app_at, render_text};

/// How long the learner looks at each card in these tests.
const THINK: SignedDuration = SignedDuration::from_secs(8);

fn open_review(app: &mut App) {
    app.go(Nav::Review(Scope::default().into()), false);
}

/// Looks at the card for [`THINK`], reveals it and grades it.
fn answer(fx: &Fixture, app: &mut App, grade: Action) {
    fx.advance(THINK);
    app.press(Action::Reveal);
    app.press(grade);
}

/// Grades `key` at `at` straight through the store, from whatever state it has.
fn record(fx: &Fixture, key: &str, grade: Grade, at: Timestamp) {
    let key = ItemKey::new(key);
    let mut store = fx.store();
    let scheduler = store.scheduler(jiff::tz::TimeZone::UTC).unwrap();
    let before = store.state(&key).unwrap();
    let a = scheduler
        .grade(&key, before.as_ref(), grade, at, 6_000)
        .unwrap();
    store.record(&a, &scheduler).unwrap();
}

fn days_ago(days: i64) -> Timestamp {
    NOW.parse::<Timestamp>().unwrap() - SignedDuration::from_hours(24 * days)
}

/// The question answered yesterday into its learning steps, so it is due now and comes first.
fn question_due(fx: &Fixture) {
    record(fx, "demo/q-stampede", Grade::Good, days_ago(1));
}

/// No learning card is shown early, so a session can run out of cards and wait.
fn no_learn_ahead(fx: &Fixture) {
    let settings = Settings {
        learn_ahead_minutes: 0,
        ..Settings::default()
    };
    fx.store().save_settings(&settings).unwrap();
}

/// Three months of reviews on most cards, some forgotten, for the statistics.
fn history(fx: &Fixture) {
    let keys = [
        "demo/cache-aside",
        "demo/hit-ratio",
        "demo/stampede#c1",
        "demo/at-least-once",
    ];
    let grades = [
        Grade::Good,
        Grade::Easy,
        Grade::Again,
        Grade::Good,
        Grade::Hard,
    ];
    for (i, day) in [
        101, 86, 72, 58, 51, 44, 37, 30, 26, 21, 17, 13, 10, 8, 6, 5, 3, 2, 1,
    ]
    .into_iter()
    .enumerate()
    {
        for (j, key) in keys.iter().enumerate().skip(i % 2) {
            record(fx, key, grades[(i + j) % grades.len()], days_ago(day));
        }
    }
}

/// One card left in its 10-minute learning step, every other card done for today.
fn waiting(fx: &Fixture, app: &mut App) {
    no_learn_ahead(fx);
    open_review(app);
    answer(fx, app, Action::GradeGood);
    for _ in 0..3 {
        answer(fx, app, Action::GradeEasy);
    }
}

fn scenarios() -> Vec<(&'static str, Setup)> {
    vec![
        ("review_front", |_, a| open_review(a)),
        ("review_back", |_, a| {
            open_review(a);
            a.press(Action::Reveal);
        }),
        ("review_cloze", |fx, a| {
            open_review(a);
            answer(fx, a, Action::GradeEasy);
            answer(fx, a, Action::GradeEasy);
        }),
        ("review_cloze_back", |fx, a| {
            open_review(a);
            answer(fx, a, Action::GradeEasy);
            answer(fx, a, Action::GradeEasy);
            a.press(Action::Reveal);
        }),
        ("review_question", |fx, a| {
            question_due(fx);
            open_review(a);
            a.press(Action::Reveal);
        }),
        ("review_waiting", waiting),
        ("review_summary", |fx, a| {
            open_review(a);
            answer(fx, a, Action::GradeAgain);
            for _ in 0..4 {
                answer(fx, a, Action::GradeEasy);
            }
        }),
        ("review_nothing_due", |fx, a| {
            open_review(a);
            for _ in 0..4 {
                answer(fx, a, Action::GradeEasy);
            }
            a.press(Action::Back);
            open_review(a);
        }),
        ("stats", |fx, a| {
            history(fx);
            a.go(Nav::Stats, false);
        }),
        ("stats_scrolled", |fx, a| {
            history(fx);
            a.go(Nav::Stats, false);
            a.press(Action::Bottom);
        }),
        ("stats_empty", |_, a| a.go(Nav::Stats, false)),
    ]
}

#[test]
fn every_stage_at_two_sizes() {
    snapshot_at_two_sizes!(scenarios());
}

#[test]
fn any_size_renders_without_panicking() {
    let mut sizes = vec![(1, 1), (10, 3), (59, 17), (60, 18), (61, 19), (200, 60)];
    sizes.extend(
        (1..=200)
            .step_by(19)
            .flat_map(|w| (1..=60).step_by(9).map(move |h| (w, h))),
    );
    for (name, setup) in scenarios() {
        let (_fx, mut app) = run(setup, 100, 30);
        for &(w, h) in &sizes {
            app.resize(w, h);
            let text = render_text(&app, w, h);
            assert_eq!(text.lines().count(), usize::from(h), "{name} at {w}x{h}");
        }
    }
}

#[test]
fn a_grade_is_in_the_log_before_the_next_card_shows() {
    let (fx, mut app) = run(|_, a| open_review(a), 100, 30);
    assert!(render_text(&app, 100, 30).contains("who loads a missing key"));
    answer(&fx, &mut app, Action::GradeGood);
    let log = fx.store().log().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].item.as_str(), "demo/cache-aside");
    assert_eq!(log[0].grade, Grade::Good);
    assert_eq!(log[0].duration_ms, 8_000, "the time from front to grade");
    let state = fx.store().state(&log[0].item).unwrap();
    assert!(state.is_some(), "the state is committed with the log row");
    let screen = render_text(&app, 100, 30);
    assert!(screen.contains("Hit ratio"), "{screen}");
    assert!(screen.contains("1 of 5 answered"), "{screen}");
}

#[test]
fn grades_wait_for_the_answer() {
    let (fx, mut app) = run(|_, a| open_review(a), 100, 30);
    app.press(Action::GradeEasy);
    assert!(fx.store().log().unwrap().is_empty());
    assert!(render_text(&app, 100, 30).contains("Show the answer first (space)"));
}

#[test]
fn grade_then_undo_leaves_the_progress_line_as_it_was() {
    let (fx, mut app) = run(|_, a| open_review(a), 100, 30);
    let header = |app: &App| {
        let screen = render_text(app, 100, 30);
        screen.lines().nth(1).unwrap_or_default().trim().to_string()
    };
    let before = header(&app);
    for grade in [Action::GradeAgain, Action::GradeGood, Action::GradeEasy] {
        answer(&fx, &mut app, grade);
        app.press(Action::Undo);
        assert_eq!(header(&app), before, "after {grade:?} and undo");
    }
    // Two grades, the first into learning, then two undos.
    answer(&fx, &mut app, Action::GradeAgain);
    let one = header(&app);
    answer(&fx, &mut app, Action::GradeGood);
    app.press(Action::Undo);
    assert_eq!(header(&app), one);
    app.press(Action::Undo);
    assert_eq!(header(&app), before);
}

#[test]
fn undo_removes_the_log_row_and_restores_the_state() {
    let (fx, mut app) = run(
        |fx, a| {
            question_due(fx);
            open_review(a);
        },
        100,
        30,
    );
    let store = || fx.store();
    let question = ItemKey::new("demo/q-stampede");
    let before = store().state(&question).unwrap().unwrap();
    answer(&fx, &mut app, Action::GradeEasy);
    answer(&fx, &mut app, Action::GradeHard);
    assert_eq!(store().log().unwrap().len(), 3);
    assert_ne!(store().state(&question).unwrap().unwrap(), before);

    app.press(Action::Undo);
    let screen = render_text(&app, 100, 30);
    assert!(screen.contains("who loads a missing key"), "{screen}");
    assert!(screen.contains("Took back “Hard”"), "{screen}");
    assert_eq!(store().log().unwrap().len(), 2);
    assert_eq!(
        store().state(&ItemKey::new("demo/cache-aside")).unwrap(),
        None
    );

    app.press(Action::Undo);
    assert!(render_text(&app, 100, 30).contains("A product page's cache key"));
    assert_eq!(store().log().unwrap().len(), 1, "yesterday's answer stays");
    assert_eq!(store().state(&question).unwrap(), Some(before));

    app.press(Action::Undo);
    assert!(render_text(&app, 100, 30).contains("Nothing to undo"));
    assert_eq!(store().log().unwrap().len(), 1);
}

#[test]
fn the_note_opens_and_esc_returns_to_the_same_card() {
    let (_fx, mut app) = run(
        |_, a| {
            open_review(a);
            a.press(Action::Reveal);
        },
        100,
        30,
    );
    let card = render_text(&app, 100, 30);
    app.press(Action::OpenNote);
    let note = render_text(&app, 100, 30);
    assert!(note.contains("Demo Pack › Caching"), "{note}");
    app.press(Action::Back);
    assert_eq!(render_text(&app, 100, 30), card);
}

#[test]
fn the_wait_ticks_until_the_learning_card_is_due() {
    let (fx, mut app) = run(waiting, 100, 30);
    // Graded at 10:00:08 into the 10-minute step; three more cards took until 10:00:32.
    let screen = render_text(&app, 100, 30);
    assert!(screen.contains("due in 9m 36s (at 10:10)"), "{screen}");
    assert!(app.tick_interval().is_some());
    fx.advance(SignedDuration::from_secs(61));
    app.tick();
    assert!(render_text(&app, 100, 30).contains("due in 8m 35s"));
    fx.advance(SignedDuration::from_mins(10));
    app.tick();
    let screen = render_text(&app, 100, 30);
    assert!(screen.contains("who loads a missing key"), "{screen}");
    assert!(screen.contains("LEARNING"), "{screen}");
    assert_eq!(app.tick_interval(), None);
}

#[test]
fn a_refused_write_keeps_the_card_and_says_so() {
    let (fx, mut app) = run(|_, a| open_review(a), 120, 30);
    let path = fx.store().path().to_path_buf();
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON review_log \
             BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;",
        )
        .unwrap();
    answer(&fx, &mut app, Action::GradeGood);
    let screen = render_text(&app, 120, 30);
    assert!(screen.contains("Your grade was not saved"), "{screen}");
    assert!(screen.contains("disk full (simulated)"), "{screen}");
    assert!(screen.contains("who loads a missing key"), "{screen}");
    assert!(screen.contains("0 of 4 answered"), "{screen}");
    assert!(fx.store().log().unwrap().is_empty());

    other.execute_batch("DROP TRIGGER refuse").unwrap();
    app.press(Action::GradeGood);
    assert_eq!(fx.store().log().unwrap().len(), 1);
    assert!(render_text(&app, 120, 30).contains("Hit ratio"));
}

#[test]
fn home_library_and_topic_open_reviews_and_stats() {
    let (_fx, mut app) = run(|_, _| {}, 100, 30);
    app.press(Action::Review);
    assert!(render_text(&app, 100, 30).contains("review › all packs"));
    app.press(Action::Back);
    app.press(Action::Stats);
    assert!(render_text(&app, 100, 30).contains("Due in the next 30 days"));
    app.go(
        Nav::Topic {
            pack: "demo".into(),
            id: "queues".into(),
        },
        false,
    );
    // Rows: read the note, open its lab, review its cards.
    app.press(Action::Down);
    app.press(Action::Down);
    app.press(Action::Open);
    let screen = render_text(&app, 100, 30);
    assert!(screen.contains("review › Message Queues"), "{screen}");
    assert!(
        screen.contains("consumers of an at-least-once queue"),
        "{screen}"
    );
    app.go(
        Nav::Library {
            pack: Some("demo".into()),
        },
        false,
    );
    app.press(Action::Review);
    assert!(render_text(&app, 100, 30).contains("review › Demo Pack · Caching"));
}

#[test]
fn a_card_that_becomes_a_leech_is_suspended_and_the_screen_says_so() {
    let (fx, mut app) = run(
        |fx, _| {
            let settings = sysdeck::srs::Settings {
                leech_threshold: 1,
                ..sysdeck::srs::Settings::default()
            };
            fx.shared.progress.save_settings(&settings).unwrap();
            // Learned a year ago with Easy: a review card, due long since.
            record(fx, "demo/cache-aside", Grade::Easy, days_ago(365));
        },
        100,
        30,
    );
    open_review(&mut app);
    let first = render_text(&app, 100, 30);
    assert!(first.contains("who loads a missing key"), "{first}");
    // Forgotten: its first lapse reaches the threshold of one.
    answer(&fx, &mut app, Action::GradeAgain);
    let screen = render_text(&app, 100, 30);
    assert!(
        screen.contains("That card is a leech (1 lapses) and is suspended"),
        "{screen}"
    );
}

#[test]
fn home_after_a_review_is_drawn_from_memory_without_reading_the_store_again() {
    let fx = demo();
    let mut app = app_at(fx.shared.clone(), &ScreenSpec::Home, 80, 24);
    render_text(&app, 80, 24);
    let reads = fx.shared.progress.full_reads();
    assert_eq!(reads, 1, "home reads the progress once");
    open_review(&mut app);
    answer(&fx, &mut app, Action::GradeEasy);
    answer(&fx, &mut app, Action::GradeGood);
    app.press(Action::Back);
    let home = render_text(&app, 80, 24);
    assert!(home.contains("sysdeck › home"), "{home}");
    assert_eq!(
        fx.shared.progress.full_reads(),
        reads,
        "two grades and home again, no re-read"
    );
    // Another process's commit is noticed, and costs one read.
    fx.advance(SignedDuration::from_mins(1));
    record(&fx, "demo/hit-ratio", Grade::Good, fx.shared.now());
    app.go(Nav::Stats, false);
    render_text(&app, 80, 24);
    assert_eq!(fx.shared.progress.full_reads(), reads + 1);
}
