//! End to end: two `sysdeck review` processes on one database, in tmux, grade the same card
//! (the second from its stale copy), and the first takes its grade back. The second's row
//! survives, and every cached state equals a replay of the log afterwards.

#[path = "support/tmux.rs"]
mod tmux;

use jiff::tz::TimeZone;
use sysdeck::srs::replay;
use sysdeck::store::Store;
use tmux::Tmux;

const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/packs/demo");
/// `sysdeck review` over the demo pack alone.
const REVIEW: [&str; 6] = [
    "--no-builtin",
    "--pack",
    PACK,
    "review",
    "--pack-id",
    "demo",
];

/// Shows the answer of the card on screen and grades it Good.
fn grade_good(t: &Tmux) {
    t.keys(&["Space"]);
    t.wait_for("Again");
    t.keys(&["3"]);
    t.wait_for("1 of ");
}

#[test]
fn two_reviews_grading_one_card_agree_with_the_log_and_undo_keeps_the_others_row() {
    let data = tempfile::tempdir().unwrap();
    let one = Tmux::start("sysdeck-two-one", data.path(), &REVIEW, 100, 30);
    one.wait_for("0 of 4 answered");
    let two = Tmux::start("sysdeck-two-two", data.path(), &REVIEW, 100, 30);
    two.wait_for("0 of 4 answered");
    let card = |t: &Tmux| t.screen().lines().nth(3).unwrap_or_default().to_string();
    assert_eq!(card(&one), card(&two), "both show the same first card");

    grade_good(&one);
    // The second still shows the card as new, and grades it from that stale copy.
    grade_good(&two);
    one.keys(&["u"]);
    one.wait_for("Took back");
    for t in [&one, &two] {
        t.escape("sysdeck › home");
        t.keys(&["q"]);
    }
    one.wait_exit();
    two.wait_exit();

    let store = Store::open_in(data.path()).unwrap();
    let log = store.log().unwrap();
    assert_eq!(
        log.len(),
        1,
        "only the second process's grade is left: {log:?}"
    );
    // The binary's learning days follow the system time zone; so must the replay.
    let scheduler = store.scheduler(TimeZone::system()).unwrap();
    let states = store.states().unwrap();
    assert_eq!(states, replay(&scheduler, &log).unwrap());
    assert_eq!(states.len(), 1, "the card keeps the second's schedule");
    assert!(store.check(TimeZone::system()).unwrap().is_clean());
}

#[test]
fn a_grade_meeting_another_instances_lock_says_it_waits_and_is_saved_when_the_lock_goes() {
    let data = tempfile::tempdir().unwrap();
    // Mid-morning: the card graded Good comes back in 10 minutes, the same learning day (at
    // 03:55 with the day starting at 04:00, it would wait for tomorrow's session).
    let args = [&["--now", "2026-11-23T10:00:00Z"][..], &REVIEW[..]].concat();
    let t = Tmux::start("sysdeck-busy", data.path(), &args, 100, 30);
    t.wait_for("0 of 4 answered");
    // Another program holds the write lock, as a second sysdeck does mid-transaction.
    let mut other = rusqlite::Connection::open(data.path().join("sysdeck.db")).unwrap();
    let lock = other
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    t.keys(&["Space"]);
    t.wait_for("Again");
    t.keys(&["3"]);
    t.wait_for("Waiting for another sysdeck");
    // The screen still answers while it waits.
    t.keys(&["?"]);
    t.wait_for("Keys — esc closes");
    t.keys(&["Escape"]);
    t.wait_gone("Keys — esc closes");
    lock.rollback().unwrap();
    // Saved: the count moves on (Good on a new card adds its next learning step).
    t.wait_for("1 of 5 answered");
    t.escape("sysdeck › home");
    t.keys(&["q"]);
    t.wait_exit();
    assert_eq!(Store::open_in(data.path()).unwrap().log().unwrap().len(), 1);
}
