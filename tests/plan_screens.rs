//! The exam-plan screen on the demo pack (two domains, weights 60 and 40), at 80x24 and
//! 120x40: before a date is chosen, after one is planned with the keys, a date too close for
//! the target, and the goal removed again. The plan is saved where `sysdeck plan` reads it.

#[path = "support/app.rs"]
mod support;

use support::{Fixture, demo};
use sysdeck::tui::app::App;
use sysdeck::tui::keymap::Action;
use sysdeck::tui::nav::Nav;
use sysdeck::tui::snapshot::{ScreenSpec, app_at, render_text};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn plan_screen(fx: &Fixture, w: u16, h: u16) -> App {
    let mut app = app_at(fx.shared.clone(), &ScreenSpec::Home, w, h);
    app.press(Action::ExamPlan);
    app
}

#[test]
fn a_date_chosen_with_the_keys_is_planned_and_saved() {
    for (w, h) in SIZES {
        let fx = demo();
        let mut app = plan_screen(&fx, w, h);
        let fresh = render_text(&app, w, h);
        assert!(fresh.contains("No exam date yet"), "{fresh}");
        insta::assert_snapshot!(format!("plan_unset_{w}x{h}"), fresh);
        // The date row is selected: a week earlier, then plan.
        app.press(Action::PageUp);
        app.press(Action::Open);
        let planned = render_text(&app, w, h);
        assert!(planned.contains("Core ideas") && planned.contains("Operations"));
        assert!(planned.contains("new/day"), "{planned}");
        insta::assert_snapshot!(format!("plan_set_{w}x{h}"), planned);
        let goals = fx.store().exam_goals().unwrap();
        assert_eq!(goals.len(), 1);
        assert_eq!(goals[0].pack, "demo");
        assert_eq!(goals[0].target, 0.9);
        // Home counts the days to it.
        app.go(Nav::Home, false);
        let home = render_text(&app, w, h);
        assert!(home.contains("exam in"), "{home}");
    }
}

#[test]
fn a_date_too_close_says_what_would_reach_the_target() {
    for (w, h) in SIZES {
        let fx = demo();
        let mut app = plan_screen(&fx, w, h);
        // Down to the target, raise it to the top; up to the date, bring it to tomorrow.
        app.press(Action::Down);
        for _ in 0..20 {
            app.press(Action::Right);
        }
        app.press(Action::Up);
        for _ in 0..20 {
            app.press(Action::PageUp);
        }
        app.press(Action::Open);
        let short = render_text(&app, w, h);
        assert!(
            short.contains("tomorrow") || short.contains("(1 day)"),
            "{short}"
        );
        assert!(short.contains("reaches it is"), "{short}");
        assert!(
            !short.contains("--"),
            "the screen names no command-line flags: {short}"
        );
        insta::assert_snapshot!(format!("plan_short_{w}x{h}"), short);
        app.press(Action::ClearGoal);
        assert!(fx.store().exam_goals().unwrap().is_empty());
        let cleared = render_text(&app, w, h);
        assert!(cleared.contains("No exam date yet"), "{cleared}");
    }
}
