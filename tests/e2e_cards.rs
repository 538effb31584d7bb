//! End to end: the real binary in tmux. A learner answers a card, opens the card browser
//! from home, filters it, suspends the card and finds it under "suspended", unsuspends it,
//! resets it after saying no once and then yes, reads its note and comes back, and quits.

#[path = "support/tmux.rs"]
mod tmux;

use sysdeck::srs::ItemKey;
use sysdeck::store::Store;
use tmux::Tmux;

const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/packs/demo");

#[test]
fn a_learner_browses_suspends_resets_and_reads_a_cards_note() {
    let data = tempfile::tempdir().unwrap();
    // Mid-morning: a card graded Good comes back in 10 minutes, the same learning day.
    let args = [
        "--now",
        "2026-11-23T10:00:00Z",
        "--no-builtin",
        "--pack",
        PACK,
    ];
    let t = Tmux::start("sysdeck-e2e-cards", data.path(), &args, 80, 24);
    let home = t.wait_for("Packs");
    assert!(
        home.contains("c  browse the selected pack's cards"),
        "{home}"
    );

    // One card answered, so it has a schedule to forget.
    t.keys(&["r"]);
    t.wait_for("0 of 4 answered");
    t.keys(&["Space"]);
    t.wait_for("Again");
    t.keys(&["3"]);
    t.wait_for("1 of 5 answered");
    t.escape("sysdeck › home");

    t.keys(&["c"]);
    let all = t.wait_for("cards › Demo Pack");
    assert!(all.contains("Demo Pack · 6 cards · 1 due"), "{all}");
    assert!(all.contains("▸ In cache-aside"), "{all}");

    t.keys(&["f"]);
    let due = t.wait_for("[due]");
    assert!(due.contains("▸ In cache-aside"), "{due}");
    assert!(due.contains("today"), "{due}");

    t.keys(&["s"]);
    let after = t.wait_for("Suspended: In cache-aside");
    assert!(after.contains("Nothing is due today"), "{after}");
    t.keys(&["f", "f", "f"]);
    let suspended = t.wait_for("[suspended]");
    assert!(suspended.contains("▸ In cache-aside"), "{suspended}");
    assert!(suspended.contains("u unsuspend"), "{suspended}");

    t.keys(&["u"]);
    let released = t.wait_for("Unsuspended: In cache-aside");
    assert!(released.contains("Nothing suspended"), "{released}");

    t.keys(&["f"]);
    t.wait_for("[buried]");
    t.keys(&["f"]);
    t.wait_for("[all]");
    t.keys(&["R"]);
    let question = t.wait_for("Reset this card?");
    assert!(
        question.contains("forgets the card's schedule"),
        "{question}"
    );
    t.keys(&["n"]);
    t.wait_gone("Reset this card?");
    t.keys(&["R"]);
    t.wait_for("Reset this card?");
    t.keys(&["y"]);
    let reset = t.wait_for("Reset to new: In cache-aside");
    assert!(reset.contains("Demo Pack · 6 cards · 0 due"), "{reset}");

    t.keys(&["Enter"]);
    t.wait_for("Demo Pack › Caching");
    t.escape("cards › Demo Pack");
    t.quit();

    let store = Store::open_in(data.path()).unwrap();
    assert_eq!(
        store.state(&ItemKey::new("demo/cache-aside")).unwrap(),
        None,
        "the reset card is new again"
    );
    assert_eq!(store.log().unwrap().len(), 1, "its review stays in the log");
}
