//! The keymap as the learner meets it: footers offer only the keys that work right now, the
//! help overlay scrolls to its last line and no further, and no two bindings of one screen
//! share a key.

#[path = "support/app.rs"]
mod support;

use std::collections::HashMap;

use jiff::SignedDuration;
use support::demo;
use sysdeck::quiz::Mode;
use sysdeck::quiz::plan::{QuizOptions, QuizStart};
use sysdeck::srs::Scope as Cards;
use sysdeck::tui::keymap::{Action, Key, Keymap, Scope};
use sysdeck::tui::nav::Nav;
use sysdeck::tui::snapshot::{ScreenSpec, app_at, render_text};

const SIZE: (u16, u16) = (120, 30);

fn footer(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

#[test]
fn the_review_footer_follows_the_card() {
    let fx = demo();
    let mut app = app_at(fx.shared.clone(), &ScreenSpec::Home, SIZE.0, SIZE.1);
    app.go(Nav::Review(Cards::default().into()), false);
    let front = render_text(&app, SIZE.0, SIZE.1);
    assert!(footer(&front).contains("show answer"), "{front}");
    assert!(
        !footer(&front).contains("undo"),
        "nothing to undo yet: {front}"
    );
    fx.advance(SignedDuration::from_secs(5));
    app.press(Action::Reveal);
    let back = render_text(&app, SIZE.0, SIZE.1);
    assert!(!footer(&back).contains("show answer"), "{back}");
    app.press(Action::GradeGood);
    let next = render_text(&app, SIZE.0, SIZE.1);
    assert!(footer(&next).contains("undo"), "{next}");
}

#[test]
fn exam_results_offer_result_keys_not_answer_keys() {
    let fx = demo();
    let mut app = app_at(fx.shared.clone(), &ScreenSpec::Home, SIZE.0, SIZE.1);
    let options = QuizOptions::new(Some("demo".into()), Mode::Exam);
    app.go(Nav::Quiz(QuizStart::New(options)), false);
    let answering = render_text(&app, SIZE.0, SIZE.1);
    assert!(footer(&answering).contains("submit"), "{answering}");
    app.press(Action::Submit);
    app.press(Action::Check);
    let results = render_text(&app, SIZE.0, SIZE.1);
    for stale in ["s submit", "m flag", "a choose"] {
        assert!(!footer(&results).contains(stale), "{stale}: {results}");
    }
}

#[test]
fn help_scrolls_to_its_last_line_and_stops() {
    let fx = demo();
    let (w, h) = (80, 24);
    let mut app = app_at(fx.shared.clone(), &ScreenSpec::Help, w, h);
    let last = "Keys can be changed in config.toml";
    assert!(!render_text(&app, w, h).contains(last));
    app.press(Action::Bottom);
    let bottom = render_text(&app, w, h);
    assert!(bottom.contains(last), "{bottom}");
    for _ in 0..5 {
        app.press(Action::Down);
        app.press(Action::PageDown);
    }
    assert_eq!(render_text(&app, w, h), bottom, "no scrolling past the end");
    app.press(Action::Top);
    assert!(render_text(&app, w, h).contains("Everywhere"));
}

/// Every screen's scopes as the app consults them: its own, most specific first, then the
/// global ones. A key bound to two actions in one of these sets would do one and hide the other.
#[test]
fn no_key_means_two_things_on_one_screen() {
    let screens: [&[Scope]; 11] = [
        &[Scope::Home, Scope::List],
        &[Scope::List],
        &[Scope::Topic, Scope::List],
        &[Scope::Browser],
        &[Scope::Form],
        &[Scope::Form, Scope::List],
        &[Scope::Note],
        &[Scope::Lab],
        &[Scope::Cards],
        &[Scope::Quiz],
        &[],
    ];
    let map = Keymap::default();
    for scopes in screens {
        let mut seen: HashMap<Key, (&str, Action)> = HashMap::new();
        for scope in scopes.iter().copied() {
            for b in map.bindings().iter().filter(|b| b.scope == scope) {
                for k in &b.keys {
                    match seen.insert(*k, (b.name, b.action)) {
                        Some((other, action)) if action != b.action => {
                            panic!("{k} is both {other} and {} on {scopes:?}", b.name)
                        }
                        _ => {}
                    }
                }
            }
        }
        let own: Vec<Key> = seen.keys().copied().collect();
        for b in map.bindings().iter().filter(|b| b.scope == Scope::Global) {
            for k in b.keys.iter().filter(|k| !own.contains(k)) {
                if let Some((other, _)) = seen.insert(*k, (b.name, b.action)) {
                    panic!("{k} is both {other} and {} everywhere", b.name);
                }
            }
        }
    }
}

#[test]
fn an_override_that_takes_another_actions_key_is_reported() {
    let mut o = HashMap::new();
    o.insert("undo".to_string(), vec!["1".to_string()]);
    let (_, problems) = Keymap::with_overrides(&o);
    assert_eq!(
        problems,
        vec!["[keys] `undo` = \"1\" is already `again` on the same screen; one of them would never run".to_string()]
    );
}
