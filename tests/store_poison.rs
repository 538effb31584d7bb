//! A hostile or damaged row or setting costs only itself: written straight into the database
//! with SQL, it is left out of stats, the review queue and export (with a warning), listed by
//! `progress check`, and dropped by `progress check --fix` after a copy is saved. A setting out
//! of range is refused by `settings`, naming it, and one stored anyway falls back to its
//! default.

#[path = "support/progress.rs"]
mod progress;

use std::path::Path;

use predicates::prelude::*;
use progress::{import_reviews, sysdeck};
use sysdeck::store::DB_FILE;

fn sql(data: &Path, batch: &str) {
    rusqlite::Connection::open(data.join(DB_FILE))
        .unwrap()
        .execute_batch(batch)
        .unwrap();
}

#[test]
fn a_poisoned_log_row_is_left_out_listed_and_dropped() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    import_reviews(&data, 1);
    // A row dated 9999-12-30 with the state an import of it used to cache (its due time past
    // what a timestamp can hold), and a row whose key steers the terminal and whose
    // elapsed_days is text.
    sql(
        &data,
        "INSERT INTO review_log (item, reviewed_at, grade, kind, elapsed_days, scheduled_days, duration_ms)
         VALUES ('system-design/far', 253402128000000, 3, 0, 0, 0, 1),
                (char(27) || '[2J' || char(8238) || 'x/y', 1767600000000, 3, 0, 'abc', 0, 1);
         INSERT INTO card_state VALUES
                ('system-design/far', 1, 1, 2.3, 5.0, 253402207200999, 253402128000000, 0, 1, 0);",
    );

    let stats = sysdeck(&data).args(["stats", "--json"]).assert().success();
    let out = stats.get_output();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["total_reviews"], 1, "only the good row counts");
    let warned = String::from_utf8_lossy(&out.stderr);
    assert!(
        warned.contains("2 review-log rows could not be used")
            && warned.contains("1 cached card state could not be used")
            && warned.contains("sysdeck progress check"),
        "{warned}"
    );

    sysdeck(&data)
        .args(["progress", "export", "-"])
        .assert()
        .success()
        .stdout(predicate::str::contains("system-design/card-0"))
        .stdout(predicate::str::contains("far").not());
    sysdeck(&data)
        .args(["snapshot", "--screen", "review", "--size", "100x20"])
        .assert()
        .success()
        .stdout(predicate::str::contains("answered"));

    let listed = sysdeck(&data)
        .args(["progress", "check"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "review_log row 2 \"system-design/far\": reviewed_at is 253402128000000, not a time from 2000-01-01T00:00:00Z to 9000-01-01T00:00:00Z",
        ))
        .stdout(predicate::str::contains(
            "review_log row 3 \"\\u{1b}[2J\\u{202e}x/y\": elapsed_days is the text \"abc\", not a whole number",
        ))
        .stdout(predicate::str::contains("card_state \"system-design/far\": due is"));
    let printed = String::from_utf8_lossy(&listed.get_output().stdout).into_owned();
    assert!(!printed.contains('\u{1b}') && !printed.contains('\u{202e}'));

    sysdeck(&data)
        .args(["progress", "check", "--fix"])
        .assert()
        .success()
        .stdout(predicate::str::contains("sysdeck.db.before-fix-1"))
        .stdout(predicate::str::contains(
            "Dropped 2 row(s), reset 0 setting(s) to the default, and rebuilt 1 card state(s)",
        ));
    assert!(data.join("sysdeck.db.before-fix-1").is_file());
    sysdeck(&data)
        .args(["progress", "check"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No problems found"));
    sysdeck(&data)
        .args(["stats"])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

#[test]
fn a_poisoned_setting_is_refused_by_name_and_a_stored_one_falls_back() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    import_reviews(&data, 1);
    sysdeck(&data)
        .args(["settings", "--learning-steps", "4294967295"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--learning-steps (learning_steps): each step must be 1 to 10080 minutes (a week), got 4294967295; nothing was saved",
        ));
    for (option, value, field) in [
        ("--max-interval", "0", "maximum_interval"),
        ("--new-per-day", "4294967295", "new_per_day"),
        ("--reviews-per-day", "4294967295", "reviews_per_day"),
        ("--relearning-steps", "10,99999", "relearning_steps"),
    ] {
        sysdeck(&data)
            .args(["settings", option, value])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("{option} ({field}): ")));
    }
    sysdeck(&data)
        .args(["settings", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("4294967295").not());

    // Stored anyway, behind sysdeck's back: each bad value costs only itself.
    sql(
        &data,
        "INSERT OR REPLACE INTO settings VALUES ('learning_steps', '[4294967295]');
         INSERT OR REPLACE INTO settings VALUES ('maximum_interval', '\"x\"');
         INSERT OR REPLACE INTO settings VALUES ('new_per_day', '7');",
    );
    let shown = sysdeck(&data)
        .args(["settings", "--json"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&shown.get_output().stdout).unwrap();
    assert_eq!(json["learning_steps"], serde_json::json!([1, 10]));
    assert_eq!(json["maximum_interval"], 36500);
    assert_eq!(json["new_per_day"], 7, "the good setting stays");
    sysdeck(&data)
        .args(["stats"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "the stored setting learning_steps cannot be used (each step must be 1 to 10080 minutes (a week), got 4294967295); its default is used",
        ));
    sysdeck(&data)
        .args(["snapshot", "--screen", "review"])
        .assert()
        .success();
    sysdeck(&data)
        .args(["progress", "check"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "settings \"learning_steps\": each step",
        ))
        .stdout(predicate::str::contains(
            "settings \"maximum_interval\": invalid type: string \"x\", expected u32",
        ));
    sysdeck(&data)
        .args(["progress", "check", "--fix"])
        .assert()
        .success()
        .stdout(predicate::str::contains("reset 2 setting(s)"));
    sysdeck(&data)
        .args(["settings"])
        .assert()
        .success()
        .stderr(predicate::str::is_empty())
        .stdout(predicate::str::contains("new cards per day  7"));
}
