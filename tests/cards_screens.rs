//! The card browser: snapshots at 80x24 and 120x40 of a pack with a leech, a suspended card
//! and a missed question, under each filter, empty and asking before a reset; filters and
//! actions change what is listed, the footer offers only what works on the selected card.

#[macro_use]
#[path = "support/app.rs"]
mod support;

use jiff::{SignedDuration, Timestamp};
use support::{Fixture, NOW, Setup, demo, run};
use sysdeck::quiz::QuestionKey;
use sysdeck::srs::{Grade, ItemKey, Scope};
use sysdeck::tui::app::App;
use sysdeck::tui::keymap::Action;
use sysdeck::tui::nav::Nav;
use sysdeck::tui::snapshot::{ScreenSpec, app_at, render_text};

fn days_ago(days: i64) -> Timestamp {
    NOW.parse::<Timestamp>().unwrap() - SignedDuration::from_hours(24 * days)
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

/// The demo pack a learner has worked on: `cache-aside` forgotten eight times (a leech,
/// unsuspended), `hit-ratio` suspended, `at-least-once` learned a week ago, and the
/// stampede question missed in an exam and sent to review.
fn worked_on(fx: &Fixture) {
    record(fx, "demo/cache-aside", Grade::Easy, days_ago(300));
    for lapse in 0..8 {
        let at = days_ago(280 - lapse * 30);
        record(fx, "demo/cache-aside", Grade::Again, at);
        record(
            fx,
            "demo/cache-aside",
            Grade::Good,
            at + SignedDuration::from_mins(15),
        );
    }
    record(fx, "demo/at-least-once", Grade::Good, days_ago(7));
    record(fx, "demo/hit-ratio", Grade::Good, days_ago(2));
    let progress = &fx.shared.progress;
    progress
        .suspend(&ItemKey::new("demo/hit-ratio"), fx.shared.now())
        .unwrap();
    progress
        .enroll_questions(
            &[QuestionKey::new("demo", "q-stampede")],
            fx.shared.now().as_millisecond(),
        )
        .unwrap();
}

fn demo_pack() -> Nav {
    Nav::Cards(Scope {
        pack: Some("demo".into()),
        ..Scope::default()
    })
}

fn filtered(fx: &Fixture, app: &mut App, presses: usize) {
    worked_on(fx);
    app.go(demo_pack(), false);
    (0..presses).for_each(|_| app.press(Action::NextFilter));
}

fn scenarios() -> Vec<(&'static str, Setup)> {
    vec![
        ("cards_all", |fx, a| filtered(fx, a, 0)),
        ("cards_due", |fx, a| filtered(fx, a, 1)),
        ("cards_missed", |fx, a| filtered(fx, a, 2)),
        ("cards_leeches", |fx, a| filtered(fx, a, 3)),
        ("cards_suspended", |fx, a| filtered(fx, a, 4)),
        ("cards_no_leeches", |_, a| {
            a.go(demo_pack(), false);
            (0..3).for_each(|_| a.press(Action::NextFilter));
        }),
        ("cards_reset_question", |fx, a| {
            filtered(fx, a, 0);
            a.press(Action::Reset);
        }),
        ("cards_topic", |fx, a| {
            worked_on(fx);
            a.go(
                Nav::Topic {
                    pack: "demo".into(),
                    id: "caching".into(),
                },
                false,
            );
            a.press(Action::BrowseCards);
        }),
    ]
}

#[test]
fn every_state_at_two_sizes() {
    snapshot_at_two_sizes!(scenarios());
}

#[test]
fn any_size_renders_without_panicking() {
    for (name, setup) in scenarios() {
        for (w, h) in [(1, 1), (10, 5), (60, 18), (61, 19), (200, 60), (300, 20)] {
            let (_fx, app) = run(setup, w, h);
            let text = render_text(&app, w, h);
            assert_eq!(text.lines().count(), usize::from(h), "{name} at {w}x{h}");
        }
    }
}

fn footer(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

/// The row of the card whose front starts with `front`.
fn row<'a>(screen: &'a str, front: &str) -> Option<&'a str> {
    screen.lines().find(|l| {
        let text = l.strip_prefix("▸ ").or_else(|| l.strip_prefix("  "));
        text.is_some_and(|t| t.starts_with(front))
    })
}

#[test]
fn home_and_the_topic_page_open_the_browser() {
    let (_fx, mut app) = run(|_, _| {}, 100, 30);
    let home = render_text(&app, 100, 30);
    assert!(
        home.contains("c  browse the selected pack's cards"),
        "{home}"
    );
    app.press(Action::BrowseCards);
    let screen = render_text(&app, 100, 30);
    assert!(screen.contains("cards › Demo Pack"), "{screen}");
    assert!(screen.contains("Demo Pack · 6 cards"), "{screen}");
    app.go(
        Nav::Topic {
            pack: "demo".into(),
            id: "queues".into(),
        },
        false,
    );
    let topic = render_text(&app, 100, 30);
    assert!(footer(&topic).contains("c cards"), "{topic}");
    app.press(Action::BrowseCards);
    let screen = render_text(&app, 100, 30);
    assert!(
        screen.contains("Message Queues · 1 card · 0 due\n"),
        "{screen}"
    );
    assert!(row(&screen, "What must consumers").is_some(), "{screen}");
    assert!(row(&screen, "Hit ratio").is_none(), "{screen}");
}

#[test]
fn filters_list_their_cards_and_say_what_an_empty_one_means() {
    let (_fx, mut app) = run(|fx, a| filtered(fx, a, 0), 120, 40);
    let all = render_text(&app, 120, 40);
    assert!(
        all.contains("Demo Pack · 7 cards · 3 due · 1 missed · 1 leech · 1 suspended"),
        "{all}"
    );
    let leech = row(&all, "In cache-aside").unwrap();
    assert!(leech.contains("leech"), "{leech}");
    assert!(leech.contains(" 8 "), "eight lapses: {leech}");
    let missed = row(&all, "A product page").unwrap();
    assert!(missed.contains("missed"), "{missed}");
    assert!(row(&all, "Hit ratio").unwrap().contains("suspended"));
    app.press(Action::NextFilter);
    let due = render_text(&app, 120, 40);
    assert!(due.contains("[due]"), "{due}");
    assert!(
        row(&due, "Hit ratio").is_none(),
        "held cards are not due: {due}"
    );
    assert!(row(&due, "What must consumers").is_some(), "{due}");
    app.press(Action::NextFilter);
    let missed = render_text(&app, 120, 40);
    assert!(row(&missed, "A product page").is_some(), "{missed}");
    assert!(row(&missed, "In cache-aside").is_none(), "{missed}");
    app.press(Action::NextFilter);
    let leeches = render_text(&app, 120, 40);
    assert!(row(&leeches, "In cache-aside").is_some(), "{leeches}");
    assert!(row(&leeches, "A product page").is_none(), "{leeches}");
    app.press(Action::NextFilter);
    let suspended = render_text(&app, 120, 40);
    assert!(row(&suspended, "Hit ratio").is_some(), "{suspended}");
    assert!(row(&suspended, "In cache-aside").is_none(), "{suspended}");
    app.press(Action::NextFilter);
    assert!(render_text(&app, 120, 40).contains("[buried]"));
    app.press(Action::NextFilter);
    assert!(render_text(&app, 120, 40).contains("[all]"));

    let (_fx, mut fresh) = run(|_, a| a.go(demo_pack(), false), 120, 40);
    for _ in 0..3 {
        fresh.press(Action::NextFilter);
    }
    let none = render_text(&fresh, 120, 40);
    assert!(
        none.contains("No leeches: a card becomes one after 8 lapses (setting leech_threshold)"),
        "{none}"
    );
}

#[test]
fn suspend_bury_and_reset_change_the_card_and_say_so() {
    let (fx, mut app) = run(|fx, a| filtered(fx, a, 0), 120, 40);
    // The first card is the leech.
    app.press(Action::Suspend);
    let text = render_text(&app, 120, 40);
    assert!(text.contains("Suspended: In cache-aside"), "{text}");
    assert!(row(&text, "In cache-aside").unwrap().contains("suspended"));
    assert!(text.contains("· 2 suspended"), "{text}");
    app.press(Action::Unsuspend);
    let text = render_text(&app, 120, 40);
    assert!(text.contains("Unsuspended: In cache-aside"), "{text}");
    assert!(!row(&text, "In cache-aside").unwrap().contains("suspended"));
    app.press(Action::Bury);
    let text = render_text(&app, 120, 40);
    assert!(
        text.contains("Buried until tomorrow: In cache-aside"),
        "{text}"
    );
    assert!(row(&text, "In cache-aside").unwrap().contains("buried"));
    assert!(text.contains("· 1 buried"), "{text}");
    // A card buried by mistake is found under its own filter.
    while !render_text(&app, 120, 40).contains("[buried]") {
        app.press(Action::NextFilter);
    }
    let text = render_text(&app, 120, 40);
    assert!(row(&text, "In cache-aside").is_some(), "{text}");
    app.press(Action::NextFilter);
    assert!(render_text(&app, 120, 40).contains("[all]"));
    // s toggles: on a held card it releases it.
    app.press(Action::Suspend);
    let text = render_text(&app, 120, 40);
    assert!(text.contains("Unburied: In cache-aside"), "{text}");
    // A reset asks first; no keeps the card, yes forgets its schedule.
    app.press(Action::Reset);
    let text = render_text(&app, 120, 40);
    assert!(text.contains("Reset this card?"), "{text}");
    assert!(footer(&text).contains("y yes"), "{text}");
    assert!(!footer(&text).contains("suspend"), "{text}");
    app.press(Action::Cancel);
    let text = render_text(&app, 120, 40);
    assert!(!text.contains("Reset this card?"), "{text}");
    assert!(row(&text, "In cache-aside").unwrap().contains("leech"));
    app.press(Action::Reset);
    app.press(Action::Confirm);
    let text = render_text(&app, 120, 40);
    assert!(text.contains("Reset to new: In cache-aside"), "{text}");
    let reset = row(&text, "In cache-aside").unwrap();
    assert!(
        reset.contains(" new ") && !reset.contains("leech"),
        "{reset}"
    );
    assert!(!text.contains("1 leech"), "{text}");
    let store = fx.store();
    assert_eq!(
        store.state(&ItemKey::new("demo/cache-aside")).unwrap(),
        None
    );
}

#[test]
fn the_footer_offers_only_what_works_on_the_selected_card() {
    let (_fx, mut app) = run(|fx, a| filtered(fx, a, 0), 120, 40);
    let keys = |app: &App| footer(&render_text(app, 120, 40)).to_string();
    // The leech: reviewed, not held, with a note.
    let first = keys(&app);
    for shown in ["s suspend", "b bury", "R reset", "enter note", "f filter"] {
        assert!(first.contains(shown), "{shown}: {first}");
    }
    assert!(!first.contains("unsuspend"), "{first}");
    assert!(!first.contains("y yes"), "{first}");
    // The suspended card.
    app.press(Action::Down);
    let held = keys(&app);
    assert!(held.contains("u unsuspend"), "{held}");
    assert!(
        !held.contains("s suspend") && !held.contains("b bury"),
        "{held}"
    );
    // A card never answered has no schedule to reset.
    app.press(Action::Down);
    let new = keys(&app);
    assert!(!new.contains("R reset"), "{new}");
    // An empty list: no card actions at all.
    let (_fx, mut fresh) = run(|_, a| a.go(demo_pack(), false), 120, 40);
    for _ in 0..4 {
        fresh.press(Action::NextFilter);
    }
    let empty = keys(&fresh);
    for hidden in ["suspend", "bury", "reset", "note"] {
        assert!(!empty.contains(hidden), "{hidden}: {empty}");
    }
    assert!(empty.contains("f filter"), "{empty}");
}

#[test]
fn enter_opens_the_cards_note_and_esc_comes_back() {
    let (_fx, mut app) = run(|fx, a| filtered(fx, a, 0), 120, 40);
    app.press(Action::OpenNote);
    let note = render_text(&app, 120, 40);
    assert!(note.contains("Demo Pack › Caching"), "{note}");
    app.press(Action::Back);
    let back = render_text(&app, 120, 40);
    assert!(back.contains("cards › Demo Pack"), "{back}");
}

#[test]
fn the_selection_stays_in_view() {
    let (_fx, mut app) = run(|fx, a| filtered(fx, a, 0), 80, 18);
    app.press(Action::Bottom);
    let text = render_text(&app, 80, 18);
    assert!(text.contains("▸ "), "{text}");
    app.press(Action::Top);
    let text = render_text(&app, 80, 18);
    assert!(text.contains("▸ In cache-aside"), "{text}");
}

#[test]
fn snapshots_render_the_browser_and_custom_study_of_a_pack() {
    let fx = demo();
    for (spec, crumb) in [
        ("cards:demo", "sysdeck › cards › Demo Pack"),
        ("custom-study:demo", "sysdeck › custom study › Demo Pack"),
    ] {
        let spec: ScreenSpec = spec.parse().unwrap();
        let text = render_text(&app_at(fx.shared.clone(), &spec, 80, 24), 80, 24);
        assert!(text.contains(crumb), "{text}");
    }
    assert!("cards:demo:extra".parse::<ScreenSpec>().is_err());
}

#[test]
fn home_and_the_browser_count_the_same_cards() {
    let fx = demo();
    let home = render_text(
        &app_at(fx.shared.clone(), &ScreenSpec::Home, 80, 24),
        80,
        24,
    );
    let spec: ScreenSpec = "cards:demo".parse().unwrap();
    let browser = render_text(&app_at(fx.shared.clone(), &spec, 80, 24), 80, 24);
    // A reversed card is two cards and a cloze one per gap, on both screens.
    assert!(home.contains("6 cards · 5 questions"), "{home}");
    assert!(browser.contains("Demo Pack · 6 cards"), "{browser}");
}
