//! End to end: a learner plans for an exam in the real binary. On the plan screen they set a
//! date, home counts the days to it, the day's review takes its new cards from the plan's
//! budgets instead of the daily limit, and the next day the plan is made again from what they
//! studied; removing the date removes it everywhere.

#[path = "support/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::{Command, Output};

use tmux::Tmux;

const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/packs/demo");
const NOW: &str = "2026-11-23T10:00:00Z";
const TOMORROW: &str = "2026-11-24T10:00:00Z";

/// `sysdeck plan ARGS` on the demo pack at `now`, run to the end.
fn plan(data: &Path, now: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sysdeck"))
        .args(["--no-builtin", "--pack", PACK, "--data-dir"])
        .arg(data)
        .args(["--now", now, "plan"])
        .args(args)
        .env_remove("SYSDECK_DATA_DIR")
        .env_remove("SYSDECK_NOW")
        .output()
        .unwrap()
}

/// `sysdeck plan --json` on the demo pack at `now`.
fn plan_json(data: &Path, now: &str) -> serde_json::Value {
    let out = plan(data, now, &["--json"]);
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Reveals the card on screen and grades it Easy (so it leaves today's learning steps), then
/// waits for the `n`th answer.
fn grade(t: &Tmux, n: usize) {
    t.keys(&["Space"]);
    t.wait_for("Again");
    t.keys(&["4"]);
    t.wait_for(&format!("{n} of"));
}

#[test]
fn an_exam_date_set_on_the_plan_screen_steers_the_days_review() {
    let data = tempfile::tempdir().unwrap();
    let args = ["--no-builtin", "--pack", PACK, "--now", NOW];
    let t = Tmux::start("sysdeck-e2e-plan", data.path(), &args, 80, 24);
    t.wait_for("Packs");
    t.keys(&["p"]);
    t.wait_for("No exam date yet");
    // A week earlier than offered, then plan: one new card a day in each of the two domains.
    t.keys(&["PageUp"]);
    t.wait_for("(63 days)");
    t.keys(&["Enter"]);
    let planned = t.wait_for("new/day");
    assert!(planned.contains("Core ideas") && planned.contains("Operations"));
    assert!(planned.contains("Today  2 new"), "{planned}");
    t.escape("sysdeck › home");
    t.wait_for("exam in 63 days");
    // The plan's two new cards, not the four the daily limit would give.
    t.keys(&["r"]);
    t.wait_for("0 of 2 answered");
    grade(&t, 1);
    grade(&t, 2);
    t.wait_for("Session complete");
    t.quit();

    let saved = plan_json(data.path(), NOW);
    assert_eq!(saved["goal"]["exam"], "2027-01-25");
    let next_day = plan_json(data.path(), TOMORROW);
    assert_eq!(next_day["plan"]["days_left"], 62);
    let now: f64 = next_day["plan"]["now"].as_f64().unwrap();
    assert!(now > 0.0, "the two cards studied count the next day: {now}");
    let history = next_day["history"].as_array().unwrap();
    assert!(!history.is_empty(), "the chart has a day behind it");

    // The plan screen's x removes the date; the daily limit is back.
    let args = ["--no-builtin", "--pack", PACK, "--now", TOMORROW];
    let t = Tmux::start("sysdeck-e2e-plan-clear", data.path(), &args, 120, 40);
    t.wait_for("exam in 62 days");
    t.keys(&["p"]);
    t.wait_for("new/day");
    t.keys(&["x"]);
    t.wait_for("No exam date yet");
    t.escape("sysdeck › home");
    t.wait_gone("exam in");
    t.quit();
    let out = plan(data.path(), TOMORROW, &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("No exam date is set for demo"));
}
