//! Studying exactly what was just read: from the note reader, the topic page or the finder, one
//! key opens that topic's due cards and then all its new ones, past today's new-card limit, and
//! the screen says so. The settings screen changes the limit and the new-card order in place.

#[path = "support/app.rs"]
mod support;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use support::demo;
use sysdeck::srs::{NewOrder, Settings};
use sysdeck::tui::app::App;
use sysdeck::tui::keymap::Action;
use sysdeck::tui::nav::Nav;
use sysdeck::tui::snapshot::{ScreenSpec, app_at, render_text};

const W: u16 = 100;
const H: u16 = 30;

/// The demo pack with a daily limit of one new card.
fn one_new_a_day() -> support::Fixture {
    let fx = demo();
    let settings = Settings {
        new_per_day: 1,
        ..Settings::default()
    };
    fx.shared.progress.save_settings(&settings).unwrap();
    fx
}

fn caching_note(app: &mut App) {
    app.go(
        Nav::Note {
            pack: "demo".into(),
            id: "caching".into(),
            anchor: None,
        },
        false,
    );
}

#[test]
fn r_in_the_note_reader_studies_that_topic_past_the_daily_limit() {
    let fx = one_new_a_day();
    let mut app = app_at(fx.shared.clone(), &ScreenSpec::Home, W, H);
    // Everything at once keeps the limit: one new card.
    app.press(Action::Review);
    let everything = render_text(&app, W, H);
    assert!(everything.contains("1 new · 0 learning"), "{everything}");
    app.press(Action::Back);

    caching_note(&mut app);
    app.press(Action::Review);
    let topic = render_text(&app, W, H);
    assert!(topic.contains("review › Caching"), "{topic}");
    // The caching deck offers three new cards today (a reverse side and a second deletion
    // wait for another day); two are past the limit of one.
    assert!(topic.contains("3 new · 0 learning · 0 review"), "{topic}");
    assert!(
        topic.contains("Studying Caching now: 2 new cards past today's limit of 1 new."),
        "{topic}"
    );
}

#[test]
fn the_topic_page_says_what_studying_it_now_brings() {
    let fx = one_new_a_day();
    let mut app = app_at(fx.shared.clone(), &ScreenSpec::Home, W, H);
    app.go(
        Nav::Topic {
            pack: "demo".into(),
            id: "caching".into(),
        },
        false,
    );
    let page = render_text(&app, W, H);
    assert!(page.contains("Study this topic now: 3 new"), "{page}");
    app.press(Action::Review);
    app.press(Action::Reveal);
    app.press(Action::GradeGood);
    app.press(Action::Back);
    let back = render_text(&app, W, H);
    assert!(
        back.contains("Study this topic now: 1 due, then 2 new"),
        "{back}"
    );
}

#[test]
fn ctrl_r_in_the_finder_studies_the_selected_results_topic() {
    let fx = one_new_a_day();
    let mut app = app_at(fx.shared.clone(), &ScreenSpec::Home, W, H);
    app.go(Nav::Finder, false);
    "stampede".chars().for_each(|c| app.type_char(c));
    app.settle();
    app.key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    let review = render_text(&app, W, H);
    assert!(review.contains("review › Caching"), "{review}");
}

#[test]
fn the_settings_screen_turns_a_setting_and_saves_it() {
    let fx = demo();
    let mut app = app_at(fx.shared.clone(), &ScreenSpec::Home, W, H);
    app.press(Action::Settings);
    assert!(render_text(&app, W, H).contains("New cards per day    20"));
    app.press(Action::Right);
    let saved = render_text(&app, W, H);
    assert!(saved.contains("New cards per day    25"), "{saved}");
    assert!(saved.contains("Saved;"), "{saved}");
    app.press(Action::Down);
    app.press(Action::Right);
    let stored = fx.shared.progress.settings().unwrap();
    assert_eq!(
        (stored.new_per_day, stored.new_order),
        (25, NewOrder::TopicByTopic)
    );
    // Learning steps are typed on the command line; the row says how instead of changing.
    for _ in 0..7 {
        app.press(Action::Down);
    }
    let steps = render_text(&app, W, H);
    assert!(steps.contains("--learning-steps 1m,10m"), "{steps}");
    assert!(
        !steps.contains("h less"),
        "no change keys on a row they do not change:\n{steps}"
    );
}

#[test]
fn a_snapshot_can_show_a_topic_studied_now() {
    let fx = one_new_a_day();
    let spec: ScreenSpec = "review:demo:caching".parse().unwrap();
    let text = render_text(&app_at(fx.shared.clone(), &spec, W, H), W, H);
    assert!(text.contains("sysdeck › review › Caching"), "{text}");
    assert!(text.contains("past today's limit of 1 new"), "{text}");
}
