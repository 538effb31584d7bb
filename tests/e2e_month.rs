//! End to end: thirty days of study with the real binary in tmux. Each morning's session opens
//! with `--now` set to that morning, so the app's own clock, not the machine's, decides what is
//! due; every answer lands in the log on its simulated day, and the streak counts all thirty.

#[path = "support/tmux.rs"]
mod tmux;

use std::collections::BTreeMap;

use assert_cmd::Command;
use jiff::{SignedDuration, Timestamp};
use sysdeck::store::Store;
use tmux::Tmux;

const DAYS: i64 = 30;
const FIRST_MORNING: &str = "2026-03-02T12:00:00Z";
/// Longer than any one session takes, so an answer outside it came from the wrong clock.
const SESSION: SignedDuration = SignedDuration::from_mins(30);

fn morning(day: i64) -> Timestamp {
    let first: Timestamp = FIRST_MORNING.parse().unwrap();
    first + SignedDuration::from_hours(24 * day)
}

fn sysdeck(data: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("SYSDECK_DATA_DIR")
        .env_remove("SYSDECK_NOW");
    cmd
}

/// Mostly Good, with some Again, Hard and Easy mixed in by position.
fn grade_key(answer: usize) -> &'static str {
    match answer {
        n if n % 7 == 3 => "1",
        n if n % 11 == 5 => "2",
        n if n % 13 == 8 => "4",
        _ => "3",
    }
}

/// Answers every card the session shows until it says there is nothing left; returns how many.
fn study(t: &Tmux, answered_before: usize) -> usize {
    let mut answered = 0;
    loop {
        let (seen, _) = t.wait_for_any(&[
            "show the answer",
            "Session complete",
            "Nothing to review right now",
            "All caught up for now",
        ]);
        if seen != "show the answer" {
            return answered;
        }
        t.keys(&["Space"]);
        t.wait_for("Again");
        t.keys(&[grade_key(answered_before + answered)]);
        answered += 1;
        t.wait_for(&format!(" {answered} of "));
    }
}

#[test]
fn thirty_days_of_study_under_a_set_clock() {
    let data = tempfile::tempdir().unwrap();
    sysdeck(data.path())
        .args(["settings", "--new-per-day", "2", "--learning-steps", "1"])
        .args(["--relearning-steps", "1"])
        .assert()
        .success();

    let mut answers = 0;
    for day in 0..DAYS {
        let now = morning(day).to_string();
        let args = ["--now", &now, "review", "--pack-id", "system-design"];
        let t = Tmux::start(
            &format!("sysdeck-e2e-month-{day}"),
            data.path(),
            &args,
            100,
            30,
        );
        let today = study(&t, answers);
        assert!(today > 0, "day {day}: there are new cards every day");
        answers += today;
        t.quit();
    }

    let store = Store::open_in(data.path()).unwrap();
    let log = store.log().unwrap();
    assert_eq!(log.len(), answers);
    let mut per_day: BTreeMap<i64, usize> = BTreeMap::new();
    for row in &log {
        let since = row.at.duration_since(morning(0));
        let day = since.as_hours().div_euclid(24);
        let start = morning(day);
        assert!(
            (0..DAYS).contains(&day) && row.at >= start && row.at < start + SESSION,
            "{} answered at {}, outside every simulated session",
            row.item,
            row.at
        );
        *per_day.entry(day).or_default() += 1;
    }
    assert_eq!(per_day.len(), DAYS as usize, "{per_day:?}");
    drop(store);

    let evening = (morning(DAYS - 1) + SignedDuration::from_hours(8)).to_string();
    let out = sysdeck(data.path())
        .args(["stats", "--json", "--now", &evening])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["total_reviews"], answers);
    assert_eq!(stats["streak"]["current"], DAYS);
    assert_eq!(stats["streak"]["reviewed_today"], true);
}
