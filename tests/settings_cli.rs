//! `sysdeck settings`: print, change with validation, and keep across runs.

use assert_cmd::Command;
use predicates::prelude::*;

fn sysdeck(data: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.env("SYSDECK_DATA_DIR", data);
    cmd
}

#[test]
fn settings_change_persist_and_refuse_bad_values() {
    let data = tempfile::tempdir().unwrap();
    sysdeck(data.path())
        .arg("settings")
        .assert()
        .success()
        .stdout(predicate::str::contains("new cards per day  20"))
        .stdout(predicate::str::contains("day starts at      04:00"));
    sysdeck(data.path())
        .args([
            "settings",
            "--new-per-day",
            "35",
            "--learning-steps",
            "1,10,60",
        ])
        .assert()
        .success();
    let out = sysdeck(data.path())
        .args(["settings", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["new_per_day"], 35);
    assert_eq!(v["learning_steps"], serde_json::json!([1, 10, 60]));
    sysdeck(data.path())
        .args(["settings", "--retention", "1.2"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("desired_retention"));
    sysdeck(data.path())
        .args(["settings", "--json"])
        .assert()
        .stdout(predicate::str::contains("0.9"));
}

#[test]
fn steps_are_given_and_shown_as_durations() {
    let data = tempfile::tempdir().unwrap();
    sysdeck(data.path())
        .args(["settings", "--learning-steps", "1m,10m,1h,1d"])
        .args(["--relearning-steps", "10"])
        .assert()
        .success()
        .stdout(predicate::str::contains("learning steps     1m 10m 1h 1d"))
        .stdout(predicate::str::contains("relearning steps   10m"));
    let out = sysdeck(data.path())
        .args(["settings", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["learning_steps"], serde_json::json!([1, 10, 60, 1440]));
    sysdeck(data.path())
        .args(["settings", "--learning-steps", "30s"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`30s` is not a whole number of minutes",
        ));
}
