//! Custom study in the app: the screen (`C` on home and on a topic page) with its live counts,
//! snapshotted at 80x24 and 120x40 with the cram and review-ahead sessions it starts; a cram's
//! grades never reach the store, review ahead saves them, extra new cards raise today's limit,
//! and an empty choice says why instead of starting.

#[macro_use]
#[path = "support/app.rs"]
mod support;

use jiff::SignedDuration;
use support::{Fixture, Setup, run};
use sysdeck::srs::{Scope, Settings};
use sysdeck::tui::app::App;
use sysdeck::tui::keymap::Action;
use sysdeck::tui::nav::{Nav, Study, StudyKind};
use sysdeck::tui::snapshot::{ScreenSpec, app_at, render_text};

/// How long the learner looks at each card.
const THINK: SignedDuration = SignedDuration::from_secs(5);
const SIZE: (u16, u16) = (100, 30);

fn answer(fx: &Fixture, app: &mut App, grade: Action) {
    fx.advance(THINK);
    app.press(Action::Reveal);
    app.press(grade);
}

/// Every card of today's review answered Easy: review cards due in a few days, none today.
fn learn_all(fx: &Fixture, app: &mut App) {
    app.go(Nav::Review(Scope::default().into()), false);
    while render_text(app, SIZE.0, SIZE.1).contains("show the answer") {
        answer(fx, app, Action::GradeEasy);
    }
    app.press(Action::Back);
}

fn cram(app: &mut App) {
    let scope = Scope {
        pack: Some("demo".into()),
        ..Scope::default()
    };
    let kind = StudyKind::Cram;
    app.go(Nav::Review(Study { scope, kind }), false);
}

/// Custom study of the pack selected on home, its review-ahead days turned to 30.
fn ahead_30(app: &mut App) {
    app.press(Action::CustomStudy);
    for _ in 0..30 {
        app.press(Action::Right);
    }
}

fn scenarios() -> Vec<(&'static str, Setup)> {
    vec![
        ("custom_study", |_, a| a.press(Action::CustomStudy)),
        ("custom_study_learned", |fx, a| {
            learn_all(fx, a);
            ahead_30(a);
        }),
        ("custom_study_topic", |_, a| {
            a.go(
                Nav::Topic {
                    pack: "demo".into(),
                    id: "caching".into(),
                },
                false,
            );
            a.press(Action::CustomStudy);
            a.press(Action::Bottom);
        }),
        ("cram_front", |_, a| cram(a)),
        ("cram_back", |fx, a| {
            cram(a);
            answer(fx, a, Action::GradeGood);
            a.press(Action::Reveal);
        }),
        ("cram_summary", |fx, a| {
            cram(a);
            while render_text(a, SIZE.0, SIZE.1).contains("show the answer") {
                answer(fx, a, Action::GradeGood);
            }
        }),
        ("ahead_front", |fx, a| {
            learn_all(fx, a);
            ahead_30(a);
            a.press(Action::Open);
        }),
    ]
}

#[test]
fn every_stage_at_two_sizes() {
    snapshot_at_two_sizes!(scenarios());
}

#[test]
fn any_size_renders_without_panicking() {
    let sizes = [
        (1, 1),
        (10, 3),
        (59, 17),
        (60, 18),
        (61, 19),
        (70, 20),
        (200, 60),
    ];
    for (name, setup) in scenarios() {
        let (_fx, mut app) = run(setup, SIZE.0, SIZE.1);
        for (w, h) in sizes {
            app.resize(w, h);
            let text = render_text(&app, w, h);
            assert_eq!(text.lines().count(), usize::from(h), "{name} at {w}x{h}");
        }
    }
}

#[test]
fn a_cram_leaves_the_schedule_the_log_and_the_statistics_alone() {
    let (fx, mut app) = run(learn_all, SIZE.0, SIZE.1);
    let now = || fx.shared.now();
    let log = fx.store().log().unwrap();
    let states = fx.store().states().unwrap();
    let stats = fx.shared.progress.stats(now()).unwrap();
    assert!(!log.is_empty());

    // From home: custom study, down to the cram, enter.
    app.press(Action::CustomStudy);
    app.press(Action::Bottom);
    app.press(Action::Open);
    let screen = render_text(&app, SIZE.0, SIZE.1);
    assert!(
        screen.contains("Cram · Demo Pack · grades are not saved"),
        "{screen}"
    );
    for grade in [Action::GradeAgain, Action::GradeHard, Action::GradeEasy] {
        answer(&fx, &mut app, grade);
        let screen = render_text(&app, SIZE.0, SIZE.1);
        assert!(screen.contains("grades are not saved"), "{screen}");
    }
    app.press(Action::Undo);
    assert!(render_text(&app, SIZE.0, SIZE.1).contains("Took back “Easy”"));
    while render_text(&app, SIZE.0, SIZE.1).contains("show the answer") {
        answer(&fx, &mut app, Action::GradeGood);
    }
    let summary = render_text(&app, SIZE.0, SIZE.1);
    assert!(summary.contains("your schedule is unchanged"), "{summary}");

    assert_eq!(fx.store().log().unwrap(), log, "no log row written");
    assert_eq!(fx.store().states().unwrap(), states, "no state changed");
    let after = fx.shared.progress.stats(now()).unwrap();
    assert_eq!(after.total_reviews, stats.total_reviews);
    assert_eq!(after.forecast, stats.forecast);
}

#[test]
fn review_ahead_saves_its_grades() {
    let (fx, mut app) = run(learn_all, SIZE.0, SIZE.1);
    let before = fx.store().log().unwrap().len();
    ahead_30(&mut app);
    let screen = render_text(&app, SIZE.0, SIZE.1);
    assert!(screen.contains("due in the next ‹ 30 › days: "), "{screen}");
    app.press(Action::Open);
    let screen = render_text(&app, SIZE.0, SIZE.1);
    assert!(
        screen.contains("Reviewing ahead · Demo Pack · due in the next 30 days"),
        "{screen}"
    );
    assert!(screen.contains("REVIEW"), "{screen}");
    answer(&fx, &mut app, Action::GradeGood);
    assert_eq!(fx.store().log().unwrap().len(), before + 1);
    app.press(Action::Undo);
    assert_eq!(
        fx.store().log().unwrap().len(),
        before,
        "undo works as usual"
    );
}

#[test]
fn an_empty_choice_says_why_and_stays() {
    let (_fx, mut app) = run(|_, a| a.press(Action::CustomStudy), SIZE.0, SIZE.1);
    app.press(Action::Open);
    let screen = render_text(&app, SIZE.0, SIZE.1);
    assert!(
        screen.contains("No review cards of Demo Pack come due in the next 1 day"),
        "{screen}"
    );
    assert!(screen.contains("custom study › Demo Pack"), "{screen}");
}

#[test]
fn extra_new_cards_raise_todays_limit_and_open_the_packs_review() {
    let (fx, mut app) = run(
        |fx, _| {
            let one = Settings {
                new_per_day: 1,
                ..Settings::default()
            };
            fx.shared.progress.save_settings(&one).unwrap();
        },
        SIZE.0,
        SIZE.1,
    );
    app.press(Action::CustomStudy);
    app.press(Action::Down);
    let screen = render_text(&app, SIZE.0, SIZE.1);
    assert!(
        screen.contains("‹ 10 › more for Demo Pack: today's limit becomes 11"),
        "{screen}"
    );
    app.press(Action::Left);
    assert!(render_text(&app, SIZE.0, SIZE.1).contains("‹ 5 › more"));
    app.press(Action::Open);
    let screen = render_text(&app, SIZE.0, SIZE.1);
    assert!(screen.contains("review › Demo Pack"), "{screen}");
    assert!(
        screen.contains("5 more new cards today for Demo Pack: today's limit is 6."),
        "{screen}"
    );
    assert!(
        !screen.contains(" 1 new "),
        "more than one new card: {screen}"
    );
    let now = fx.shared.now();
    assert_eq!(fx.shared.progress.extra_new_today("demo", now).unwrap(), 5);
    app.press(Action::Back);
    let screen = render_text(&app, SIZE.0, SIZE.1);
    assert!(screen.contains("Added 5 new cards"), "{screen}");
    assert!(screen.contains("Demo Pack: 6 today."), "{screen}");
    // The limit of 1, the 5 added, and the 5 offered again.
    assert!(screen.contains("today's limit becomes 11"), "{screen}");
}

#[test]
fn the_topic_page_offers_custom_study_of_its_topic() {
    let (_fx, mut app) = run(|_, _| {}, SIZE.0, SIZE.1);
    app.go(
        Nav::Topic {
            pack: "demo".into(),
            id: "queues".into(),
        },
        false,
    );
    assert!(render_text(&app, SIZE.0, SIZE.1).contains("Custom study (C)"));
    app.press(Action::CustomStudy);
    let screen = render_text(&app, SIZE.0, SIZE.1);
    assert!(screen.contains("custom study › Message Queues"), "{screen}");
    assert!(
        screen.contains("every card of Message Queues once, grades not saved: 1 card"),
        "{screen}"
    );
}

#[test]
fn a_long_scope_gives_way_in_the_title_bar_to_what_kind_of_study_it_is() {
    let fx = support::fixture(&["content/system-design", "content/aws-saa"]);
    let scope = Scope::topic("aws-saa", "hybrid-storage-transfer");
    for kind in [StudyKind::Ahead(30), StudyKind::Cram] {
        let mut app = app_at(fx.shared.clone(), &ScreenSpec::Home, 80, 24);
        app.go(
            Nav::Review(Study {
                scope: scope.clone(),
                kind,
            }),
            false,
        );
        let title = render_text(&app, 80, 24)
            .lines()
            .next()
            .unwrap()
            .to_string();
        let tail = match kind {
            StudyKind::Ahead(_) => " · due in the next 30 days",
            _ => " · grades are not saved",
        };
        assert!(title.trim_end().ends_with(tail), "{title}");
        assert!(title.contains('…'), "the topic is cut short: {title}");
    }
}
