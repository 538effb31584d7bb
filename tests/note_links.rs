//! The note reader follows `note:id#anchor` links, relative `.md` links and in-page anchors
//! to the heading they name, and shows included files, on the links example pack.

#[path = "support/app.rs"]
mod support;

use support::fixture;
use sysdeck::tui::app::App;
use sysdeck::tui::keymap::Action;
use sysdeck::tui::nav::Nav;
use sysdeck::tui::snapshot::{ScreenSpec, app_at, render_text};

const SIZE: (u16, u16) = (80, 18);

fn open(id: &str) -> (support::Fixture, App) {
    let f = fixture(&["tests/packs/links"]);
    assert_eq!(f.shared.library.error_count(), 0);
    let mut app = app_at(f.shared.clone(), &ScreenSpec::Home, SIZE.0, SIZE.1);
    app.go(
        Nav::Note {
            pack: "links".into(),
            id: id.into(),
            anchor: None,
        },
        false,
    );
    (f, app)
}

/// The first line of the note's text under the title bar.
fn top_line(app: &App) -> String {
    let text = render_text(app, SIZE.0, SIZE.1);
    text.lines().nth(1).unwrap_or_default().trim().to_string()
}

/// Follows the `n`th link of the note (counting from 1).
fn follow(app: &mut App, n: usize) {
    for _ in 0..n {
        app.press(Action::NextLink);
    }
    app.press(Action::Open);
}

#[test]
fn a_note_link_with_an_anchor_opens_at_that_heading() {
    let (_f, mut app) = open("dns");
    follow(&mut app, 1);
    let text = render_text(&app, SIZE.0, SIZE.1);
    assert!(text.contains("Services"), "{text}");
    assert!(top_line(&app).contains("Headless Services"), "{text}");
}

#[test]
fn a_relative_md_link_opens_the_note_it_names() {
    let (_f, mut app) = open("dns");
    follow(&mut app, 2);
    let text = render_text(&app, SIZE.0, SIZE.1);
    assert!(top_line(&app).contains("Ports"), "{text}");
}

#[test]
fn a_link_to_a_former_id_opens_the_note() {
    let (_f, mut app) = open("dns");
    follow(&mut app, 3);
    let text = render_text(&app, SIZE.0, SIZE.1);
    assert!(
        text.contains("A service gives pods a stable name"),
        "{text}"
    );
}

#[test]
fn an_in_page_anchor_scrolls_and_includes_are_shown() {
    let (_f, mut app) = open("services");
    let before = render_text(&app, SIZE.0, SIZE.1);
    assert!(!before.contains("targetPort"), "{before}");
    follow(&mut app, 1);
    let text = render_text(&app, SIZE.0, SIZE.1);
    assert!(top_line(&app).contains("Ports"), "{text}");
    let (_f, app) = open("services");
    let whole = render_text(&app, SIZE.0, 40);
    assert!(whole.contains("[pod-b 10.0.0.7]"), "{whole}");
    assert!(!whole.contains("{{#include"), "{whole}");
}
