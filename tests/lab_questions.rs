//! Questions the labs write, on screen: asked with the numbers of the attempt, checked, and
//! opened in their lab on those numbers with `l`, then back to the quiz where it was. Also the
//! missed-question queue giving a lab question back with fresh numbers.

#[path = "support/app.rs"]
mod support;

use jiff::SignedDuration;
use support::{Fixture, fixture};
use sysdeck::quiz::Mode;
use sysdeck::tui::app::App;
use sysdeck::tui::keymap::Action;
use sysdeck::tui::nav::Nav;
use sysdeck::tui::screens::quiz::{QuizOptions, QuizStart};
use sysdeck::tui::snapshot::{ScreenSpec, app_at, render_text};

const PACK: &str = "tests/packs/lab-questions";

fn labs() -> Fixture {
    let fx = fixture(&[PACK]);
    assert_eq!(fx.shared.library.error_count(), 0);
    fx
}

/// The question `id` asked on its own, answered with `letter` when given.
fn question(fx: &Fixture, id: &str, letter: Option<u8>, (w, h): (u16, u16)) -> App {
    let spec = ScreenSpec::Question {
        pack: "lab-questions".into(),
        id: id.into(),
        answer: letter,
    };
    app_at(fx.shared.clone(), &spec, w, h)
}

/// The first number after `before` in `text`.
fn number_after(text: &str, before: &str) -> u32 {
    let at = text
        .find(before)
        .unwrap_or_else(|| panic!("no {before:?} in:\n{text}"))
        + before.len();
    let digits: String = text[at..]
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

/// The footer: the last line.
fn footer(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

#[test]
fn a_lab_question_before_and_after_answering() {
    let fx = labs();
    for (w, h) in [(80, 24), (120, 40)] {
        let before = render_text(&question(&fx, "ring-join", None, (w, h)), w, h);
        assert!(!footer(&before).contains("lab"), "{before}");
        insta::assert_snapshot!(format!("ring_question_{w}x{h}"), before);
        let after = render_text(&question(&fx, "ring-join", Some(0), (w, h)), w, h);
        assert!(footer(&after).contains("l lab"), "{after}");
        insta::assert_snapshot!(format!("ring_question_answered_{w}x{h}"), after);
    }
    // A written question has no lab to open.
    let written = question(&fx, "written", Some(0), (80, 24));
    assert!(!footer(&render_text(&written, 80, 24)).contains("lab"));
}

#[test]
fn l_opens_the_ring_lab_on_the_questions_numbers_and_esc_comes_back() {
    let fx = labs();
    let size = (120, 40);
    let mut app = question(&fx, "ring-join", Some(0), size);
    let asked = render_text(&app, size.0, size.1);
    let nodes = number_after(&asked, "A ring of ");
    let vnodes = number_after(&asked, "nodes with ");
    app.type_char('l');
    let lab = render_text(&app, size.0, size.1);
    insta::assert_snapshot!("ring_lab_from_question_120x40", lab);
    // The lab shows the ring after the join, with the join measured.
    assert!(
        lab.contains(&format!("{} nodes × {vnodes} vnodes", nodes + 1)),
        "{lab}"
    );
    assert!(lab.contains(&format!("add node-{nodes}")), "{lab}");
    app.press(Action::Back);
    assert_eq!(
        render_text(&app, size.0, size.1),
        asked,
        "back where it was"
    );
}

#[test]
fn l_opens_the_limiter_lab_on_the_questions_bucket_and_traffic() {
    let fx = labs();
    let size = (120, 40);
    let mut app = question(&fx, "bucket-admits", Some(1), size);
    let asked = render_text(&app, size.0, size.1);
    let burst = number_after(&asked, "capacity of ");
    app.type_char('l');
    let lab = render_text(&app, size.0, size.1);
    assert!(lab.contains("token bucket"), "{lab}");
    assert!(
        lab.contains(&format!("capacity {burst}, 1 token every 100ms")),
        "{lab}"
    );
    assert!(lab.contains("steady, 1 request every 50ms"), "{lab}");
    app.press(Action::Back);
    assert_eq!(render_text(&app, size.0, size.1), asked);
    // Before the answer is checked, l does nothing: the lab would give the key away.
    let mut unanswered = question(&fx, "bucket-admits", None, size);
    let still = render_text(&unanswered, size.0, size.1);
    unanswered.type_char('l');
    assert_eq!(render_text(&unanswered, size.0, size.1), still);
}

#[test]
fn the_busiest_window_question_opens_a_comparison() {
    let fx = labs();
    let mut app = question(&fx, "busiest", Some(0), (120, 40));
    app.type_char('l');
    let lab = render_text(&app, 120, 40);
    assert!(lab.contains("4 limiters"), "{lab}");
}

/// Chooses A on every question of a practice round, checking each, and leaves it.
fn practise_all_wrong_or_right(app: &mut App) -> String {
    let mut seen = String::new();
    for _ in 0..4 {
        app.press(Action::Choose(0));
        app.press(Action::Check);
        seen += &render_text(app, 120, 40);
        app.press(Action::NextQuestion);
    }
    seen
}

#[test]
fn a_missed_lab_question_comes_back_in_a_drill_with_fresh_numbers() {
    let fx = labs();
    let mut app = app_at(fx.shared.clone(), &ScreenSpec::Home, 120, 40);
    let options = QuizOptions::new(Some("lab-questions".into()), Mode::Practice);
    app.go(Nav::Quiz(QuizStart::New(options)), false);
    let first = practise_all_wrong_or_right(&mut app);
    assert!(first.contains("Incorrect"), "some A is wrong:\n{first}");
    app.press(Action::Back);
    fx.advance(SignedDuration::from_mins(10));
    // The drill asks the missed questions first.
    let options = QuizOptions::new(Some("lab-questions".into()), Mode::Drill);
    app.go(Nav::Quiz(QuizStart::New(options)), false);
    let drill = render_text(&app, 120, 40);
    let stem = |text: &str| {
        text.lines()
            .skip(3)
            .take(2)
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let asked = stem(&drill);
    assert!(first.contains("Incorrect"));
    // A lab question asked again is not the same text: new attempt, new numbers.
    let lab_stem = ["A ring of", "A token bucket", "Four limiters"]
        .iter()
        .any(|s| asked.starts_with(s));
    if lab_stem {
        assert!(!first.contains(&asked), "the same numbers again: {asked}");
    }
}

#[test]
fn any_size_renders_a_lab_question_and_its_lab() {
    let fx = labs();
    for (w, h) in [(1, 1), (10, 3), (40, 12), (80, 24), (200, 60)] {
        let mut app = question(&fx, "ring-join", Some(0), (w, h));
        render_text(&app, w, h);
        app.type_char('l');
        render_text(&app, w, h);
    }
}
