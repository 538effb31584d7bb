//! `sysdeck plan` as a learner uses it: set an exam date, read the plan, move it, remove it;
//! mistakes refused with the reason; and exam-goal rows damaged on disk cost only themselves.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use sysdeck::store::DB_FILE;

const NOW: &str = "2026-12-06T09:00:00Z";

/// `sysdeck --data-dir DATA plan` on a clock set to [`NOW`].
fn plan(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("SYSDECK_DATA_DIR")
        .env("SYSDECK_NOW", NOW)
        .arg("plan");
    cmd
}

fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = plan(data).args(args).arg("--json").assert().success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn an_exam_date_gives_each_domain_its_new_cards_and_the_plan_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path();
    plan(data)
        .args(["--exam", "aws-saa", "--date", "2027-01-20", "--days", "3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("on Wed 2027-01-20, 45 days away"))
        .stdout(predicate::str::contains("Design Secure Architectures"))
        .stdout(predicate::str::contains("Practice exams"))
        .stdout(predicate::str::contains("Tue 2026-12-08"))
        .stdout(predicate::str::contains("Wed 2026-12-09").not());

    // Without --date the saved goal is planned again; aws-saa is the only pack with an exam.
    let saved = json(data, &[]);
    assert_eq!(saved["goal"]["pack"], "aws-saa");
    assert_eq!(saved["goal"]["exam"], "2027-01-20");
    assert_eq!(saved["goal"]["target"], 0.9);
    assert_eq!(saved["goal"]["minutes"], 60);
    let domains = saved["plan"]["domains"].as_array().unwrap();
    assert_eq!(domains.len(), 4, "the SAA-C03 blueprint has four domains");
    let weights: f64 = domains.iter().map(|d| d["weight"].as_f64().unwrap()).sum();
    assert!((weights - 1.0).abs() < 1e-9);
    let today: f64 = saved["plan"]["days"][0]["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_f64().unwrap())
        .sum();
    let per_day: u64 = domains
        .iter()
        .map(|d| d["new_per_day"].as_u64().unwrap())
        .sum();
    assert_eq!(today, per_day as f64, "today introduces the plan's rates");
    assert_eq!(
        saved["goal"]["forecast"].as_array().unwrap().len(),
        45,
        "one forecast a day, today to the eve of the exam"
    );

    // Moving the date keeps the target and minutes given before.
    plan(data)
        .args(["--date", "2027-03-01", "--target", "85%", "--minutes", "30"])
        .assert()
        .success();
    let moved = json(data, &["--date", "2027-03-10"]);
    assert_eq!(moved["goal"]["exam"], "2027-03-10");
    assert_eq!(moved["goal"]["target"], 0.85);
    assert_eq!(moved["goal"]["minutes"], 30);

    plan(data)
        .arg("--clear")
        .assert()
        .success()
        .stdout(predicate::str::contains("Removed the exam date of aws-saa"));
    plan(data)
        .assert()
        .failure()
        .stderr(predicate::str::contains("No exam date is set for aws-saa"));
}

#[test]
fn a_date_that_cannot_work_is_refused_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path();
    plan(data)
        .args(["--date", "2026-12-01"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("the exam day has passed"));
    plan(data)
        .args(["--exam", "system-design", "--date", "2027-01-20"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("packs with one: aws-saa"));
    plan(data)
        .args(["--date", "2027-01-20", "--target", "40%"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("not between 0.5 and 0.99"));
    plan(data)
        .args(["--date", "2029-12-31"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("730"));
    plan(data)
        .arg("--json")
        .assert()
        .failure()
        .stderr(predicate::str::contains("No exam date"));
}

#[test]
fn a_date_too_close_says_which_date_would_reach_the_target() {
    let tmp = tempfile::tempdir().unwrap();
    let out = json(tmp.path(), &["--date", "2026-12-09", "--target", "0.95"]);
    let shortfalls = out["plan"]["shortfalls"].as_array().unwrap();
    let not_in_time = shortfalls
        .iter()
        .find(|s| s["kind"] == "not-in-time")
        .expect("three days cannot reach 95%");
    assert!(not_in_time["reachable_in_days"].as_i64().unwrap() > 3);
    plan(tmp.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "the earliest exam date that reaches it is",
        ))
        .stdout(predicate::str::contains("sysdeck plan --date 20"));
}

#[test]
fn damaged_exam_goal_rows_are_left_out_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path();
    plan(data).args(["--date", "2027-01-20"]).assert().success();
    // A target of 7, a forecast that is not a list, and a pack name that steers the terminal
    // on a row with no minutes.
    rusqlite::Connection::open(data.join(DB_FILE))
        .unwrap()
        .execute_batch(
            "INSERT INTO exam_goal (pack, exam_day, target, minutes, set_day, forecast) VALUES
                 ('big-target', 20500, 7.0, 60, 20480, '[]'),
                 ('not-a-list', 20500, 0.9, 60, 20480, '{\"a\": 1}'),
                 (char(27) || ']0;owned' || char(7), 20500, 0.9, 0, 20480, '[]');",
        )
        .unwrap();
    let out = plan(data).assert().success();
    let out = out.get_output();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("2027-01-20"),
        "the good goal still plans: {stdout}"
    );
    assert!(
        stderr.contains("3 exam goals could not be used"),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{1b}') && !stdout.contains('\u{1b}'));
}
