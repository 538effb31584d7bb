//! Every screen rendered to a buffer and snapshotted at 80x24 and 120x40, on a small fixed pack
//! so content edits elsewhere never change these pictures; plus a sweep over terminal sizes.

#[path = "support/app.rs"]
mod support;

use std::rc::Rc;

use support::{demo, fixture};
use sysdeck::search::Target;
use sysdeck::tui::app::App;
use sysdeck::tui::keymap::Action;
use sysdeck::tui::nav::Nav;
use sysdeck::tui::shared::Shared;
use sysdeck::tui::snapshot::{ScreenSpec, app_at, render_text};

/// The demo pack's caching note, which has every Markdown element.
fn caching_note() -> Nav {
    Nav::Note {
        pack: "demo".into(),
        id: "caching".into(),
        anchor: None,
    }
}

/// How a test brings the app to a screen.
type Setup = Box<dyn Fn(&mut App)>;

/// The screens reachable without a progress database, each as a way to get there.
fn screens() -> Vec<(&'static str, Setup)> {
    vec![
        ("home", Box::new(|_| {})),
        (
            "library",
            Box::new(|a| {
                a.go(
                    Nav::Library {
                        pack: Some("demo".into()),
                    },
                    false,
                )
            }),
        ),
        (
            "topic",
            Box::new(|a| {
                a.go(
                    Nav::Topic {
                        pack: "demo".into(),
                        id: "caching".into(),
                    },
                    false,
                )
            }),
        ),
        (
            "finder",
            Box::new(|a| {
                a.go(Nav::Finder, false);
                "cach".chars().for_each(|c| a.type_char(c));
            }),
        ),
        ("help", Box::new(|a| a.press(Action::Help))),
        ("note", Box::new(|a| a.go(caching_note(), false))),
        (
            "note_toc",
            Box::new(|a| {
                a.go(caching_note(), false);
                a.press(Action::Toc);
            }),
        ),
        (
            "note_search",
            Box::new(|a| {
                a.go(caching_note(), false);
                a.press(Action::Search);
                "cache".chars().for_each(|c| a.type_char(c));
            }),
        ),
        (
            "card",
            Box::new(|a| {
                a.go(
                    Nav::Item(Target::Card {
                        pack: "demo".into(),
                        id: "stampede".into(),
                    }),
                    false,
                )
            }),
        ),
        (
            "question",
            Box::new(|a| {
                a.go(
                    Nav::Item(Target::Question {
                        pack: "demo".into(),
                        id: "q-write-patterns".into(),
                    }),
                    false,
                )
            }),
        ),
        ("diagnostics", Box::new(|a| a.go(Nav::Diagnostics, false))),
        ("settings", Box::new(|a| a.go(Nav::Settings, false))),
    ]
}

fn app(shared: &Rc<Shared>, w: u16, h: u16, setup: &dyn Fn(&mut App)) -> App {
    let mut app = app_at(shared.clone(), &ScreenSpec::Home, w, h);
    setup(&mut app);
    app
}

#[test]
fn every_screen_at_two_sizes() {
    let fx = demo();
    let shared = &fx.shared;
    for (name, setup) in screens() {
        for (w, h) in [(80, 24), (120, 40)] {
            let text = render_text(&app(shared, w, h, &*setup), w, h);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
        }
    }
}

#[test]
fn any_size_renders_without_panicking() {
    let fx = demo();
    let shared = &fx.shared;
    let mut sizes = vec![
        (1, 1),
        (10, 3),
        (10, 5),
        (59, 17),
        (60, 18),
        (61, 19),
        (200, 60),
    ];
    sizes.extend(
        (1..=200)
            .step_by(17)
            .flat_map(|w| (1..=60).step_by(7).map(move |h| (w, h))),
    );
    for (name, setup) in screens() {
        for &(w, h) in &sizes {
            let text = render_text(&app(shared, w, h, &*setup), w, h);
            assert_eq!(text.lines().count(), usize::from(h), "{name} at {w}x{h}");
        }
    }
}

#[test]
fn small_terminals_say_what_they_need() {
    let fx = demo();
    let shared = &fx.shared;
    let text = render_text(&app(shared, 59, 17, &|_| {}), 59, 17);
    assert!(text.contains("at least 60×18"), "{text}");
    assert!(text.contains("59×17"), "{text}");
    let text = render_text(&app(shared, 60, 18, &|_| {}), 60, 18);
    assert!(text.contains("Packs"), "{text}");
}

#[test]
fn broken_packs_get_a_notice_on_home() {
    let fx = fixture(&["tests/packs/demo", "tests/packs/broken/toml-syntax"]);
    let mut app = app_at(fx.shared.clone(), &ScreenSpec::Home, 100, 30);
    let text = render_text(&app, 100, 30);
    assert!(text.contains("1 pack with problems"), "{text}");
    app.press(Action::Diagnostics);
    let text = render_text(&app, 100, 30);
    assert!(text.contains("error[toml-syntax]"), "{text}");
}

#[test]
fn typing_in_the_finder_shows_at_once_and_searches_when_keys_stop() {
    let fx = demo();
    let mut app = app_at(fx.shared.clone(), &ScreenSpec::Home, 100, 30);
    app.go(Nav::Finder, false);
    for c in "queue".chars() {
        app.key(ratatui::crossterm::event::KeyEvent::from(
            ratatui::crossterm::event::KeyCode::Char(c),
        ));
    }
    let typing = render_text(&app, 100, 30);
    assert!(typing.contains("› queue"), "{typing}");
    assert!(typing.contains("searching…"), "{typing}");
    app.settle();
    let settled = render_text(&app, 100, 30);
    assert!(settled.contains("Message Queues"), "{settled}");
    assert!(!settled.contains("searching…"), "{settled}");
}

#[test]
fn a_card_and_a_question_show_their_source_under_them() {
    let fx = fixture(&["tests/packs/exams"]);
    assert_eq!(fx.shared.library.error_count(), 0);
    let (w, h) = (80, 24);
    let card = Target::Card {
        pack: "exams".into(),
        id: "quorum".into(),
    };
    let text = render_text(
        &app(&fx.shared, w, h, &|a| a.go(Nav::Item(card.clone()), false)),
        w,
        h,
    );
    insta::assert_snapshot!("card_with_source_80x24", text);
    assert!(
        text.contains("Source: https://example.org/docs/quorums.html"),
        "{text}"
    );
    let question = Target::Question {
        pack: "exams".into(),
        id: "d3".into(),
    };
    // A question asks first: its source comes with the key, once it is answered.
    let mut asked = app(&fx.shared, w, h, &|a| {
        a.go(Nav::Item(question.clone()), false)
    });
    let text = render_text(&asked, w, h);
    assert!(text.contains("Question 1 of 1"), "{text}");
    assert!(!text.contains("Source:"), "{text}");
    asked.type_char('a');
    asked.press(Action::Check);
    let text = render_text(&asked, w, h);
    assert!(
        text.contains("Source: https://example.org/docs/d3.html"),
        "{text}"
    );
    // Too short for the text and its source: the text keeps the room.
    let text = render_text(
        &app(&fx.shared, 40, 6, &|a| a.go(Nav::Item(card.clone()), false)),
        40,
        6,
    );
    assert!(!text.contains("Source:"), "{text}");
}
