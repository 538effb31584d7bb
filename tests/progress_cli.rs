//! `sysdeck stats`, `optimize` and `progress export|import` run as a learner would, on a
//! temporary data directory.

use std::fs;
use std::io::BufRead;
use std::path::Path;

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use predicates::prelude::*;

fn sysdeck(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("SYSDECK_DATA_DIR");
    cmd
}

/// `progress import FILE` on `data`: every test brings its history in this way.
fn import(data: &Path, file: &Path) -> Assert {
    sysdeck(data)
        .args(["progress", "import"])
        .arg(file)
        .assert()
}

/// Writes `cards` cards' history to `input` and imports it into `data`, which must succeed.
fn import_history(data: &Path, input: &Path, cards: usize) {
    fs::write(input, history(cards)).unwrap();
    import(data, input).success();
}

/// Runs a command that must succeed and parses the JSON it prints.
fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = sysdeck(data).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A review log as JSON lines: `cards` cards of the built-in system-design pack, each reviewed
/// on days 0, 1, 4, 10 and 25 of January 2026, mostly recalled.
fn history(cards: usize) -> String {
    let mut out = String::new();
    for c in 0..cards {
        for (n, day) in [0, 1, 4, 10, 25].into_iter().enumerate() {
            let grade = if (c * 7 + n * 3) % 10 == 0 { 1 } else { 3 };
            out.push_str(&format!(
                "{{\"item\":\"system-design/card-{c}\",\"at\":\"2026-01-{:02}T09:{:02}:00Z\",\"grade\":{grade},\"kind\":\"review\",\"elapsed_days\":0,\"scheduled_days\":0,\"duration_ms\":4000}}\n",
                day + 1,
                c % 60
            ));
        }
    }
    out
}

#[test]
fn export_then_import_round_trips_and_import_is_idempotent() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let input = tmp.path().join("in.jsonl");
    fs::write(&input, history(10)).unwrap();
    import(&a, &input)
        .success()
        .stdout(predicate::str::contains(
            "Imported 50 new reviews (0 already here); 10 card states",
        ));

    let out_a = tmp.path().join("a.jsonl");
    sysdeck(&a)
        .args(["progress", "export"])
        .arg(&out_a)
        .assert()
        .success();
    let exported = fs::read_to_string(&out_a).unwrap();
    assert_eq!(exported.lines().count(), 51, "a header and 50 reviews");

    import(&b, &out_a).success();
    import(&b, &out_a)
        .success()
        .stdout(predicate::str::contains(
            "Imported 0 new reviews (50 already here)",
        ));
    let from_b = sysdeck(&b)
        .args(["progress", "export", "-"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(from_b.stdout).unwrap(), exported);
}

#[test]
fn a_bad_line_refuses_the_whole_file() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.jsonl");
    fs::write(
        &input,
        format!("{}{{\"item\":\"p/x\",\"grade\":9}}\n", history(1)),
    )
    .unwrap();
    import(tmp.path(), &input).failure().stderr(
        predicate::str::contains("in.jsonl:6: field `row.at`: is missing")
            .and(predicate::str::contains("nothing was imported")),
    );
    let export = sysdeck(tmp.path())
        .args(["progress", "export", "-"])
        .output()
        .unwrap();
    assert_eq!(export.stdout.lines().count(), 1, "only the header");
}

#[test]
fn stats_report_the_log_as_json_and_text() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.jsonl");
    import_history(tmp.path(), &input, 3);
    let v = json(tmp.path(), &["stats", "--json"]);
    assert_eq!(v["total_reviews"], 15);
    assert_eq!(v["forecast"].as_array().unwrap().len(), 30);
    assert!(
        v["states"]["new"].as_u64().unwrap() > 100,
        "built-in cards are new"
    );
    assert!(v["mastery"]["packs"].as_array().unwrap().len() >= 2);
    for key in ["heatmap", "retention", "streak"] {
        assert!(!v[key].is_null(), "{key}");
    }
    sysdeck(tmp.path()).arg("stats").assert().success().stdout(
        predicate::str::contains("Due in the next 30 days")
            .and(predicate::str::contains("Mastery by pack"))
            .and(predicate::str::contains("15 in all")),
    );
}

#[test]
fn optimize_asks_for_more_history_then_fits() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.jsonl");
    import_history(tmp.path(), &input, 5);
    sysdeck(tmp.path())
        .arg("optimize")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "20 of 64 usable reviews, 44 more needed",
        ));

    import_history(tmp.path(), &input, 40);
    let v = json(tmp.path(), &["optimize", "--json"]);
    assert_eq!(v["items"], 160);
    assert!(v["before"]["log_loss"].as_f64().unwrap() > 0.0);
    assert!(v["after"]["rmse"].as_f64().is_some());
    assert_eq!(v["parameters"].as_array().unwrap().len(), 21);
}

#[test]
fn a_corrupt_database_fails_clearly_and_stays_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sysdeck.db");
    fs::write(&db, b"not a database").unwrap();
    for args in [&["stats"][..], &["optimize"], &["progress", "export", "-"]] {
        sysdeck(tmp.path())
            .args(args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(
                "is damaged and cannot be read as a sysdeck database",
            ));
    }
    assert_eq!(fs::read(&db).unwrap(), b"not a database");
}

#[test]
fn an_unusable_data_directory_names_the_way_out() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    fs::write(&file, b"").unwrap();
    sysdeck(&file.join("data"))
        .arg("stats")
        .assert()
        .failure()
        .stderr(
            predicate::str::contains(file.join("data").display().to_string())
                .and(predicate::str::contains("--data-dir"))
                .and(predicate::str::contains("SYSDECK_DATA_DIR")),
        );
}
