//! `sysdeck progress export` and `import` as a learner moving machines uses them: a data
//! directory with every kind of progress goes through export, import into a fresh directory and
//! export again, and every screen must show the same figures on both. Also where an export may
//! write, and one test per attack on the import's untrusted input.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use predicates::prelude::*;
use sysdeck::content::{Candidate, Library, Origin};
use sysdeck::quiz::{
    Action, Effect, History, QuestionKey, QuizSession, SessionSpec, UnixMillis, select,
};
use sysdeck::srs::{Catalog, Evaluation, Fit, FitOutcome, Grade, Settings};
use sysdeck::store::{ExamGoal, Store};

const DEMO: &str = "tests/packs/demo";
/// The clock every command runs at: a week after the learner's first session.
const NOW: &str = "2026-11-30T09:00:00Z";
/// 2026-11-23T10:00:00Z.
const T0: UnixMillis = 1_795_428_000_000;
const DAY: UnixMillis = 86_400_000;

fn sysdeck(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .args(["--no-builtin", "--pack", DEMO, "--now", NOW])
        .env_remove("SYSDECK_DATA_DIR")
        .env_remove("SYSDECK_NOW")
        .env("TZ", "UTC");
    cmd
}

/// Runs a command that must succeed; returns its standard output.
fn stdout(data: &Path, args: &[&str]) -> String {
    let out = sysdeck(data).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn demo() -> Library {
    let path = Path::new(DEMO);
    Library::from_candidates(vec![Candidate::disk(
        path,
        Origin::Extra(path.to_path_buf()),
    )])
}

fn time(ms: UnixMillis) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap()
}

fn exam(library: &Library, seed: u64, at: UnixMillis) -> QuizSession {
    let pack = library.pack("demo").unwrap();
    let draw = select::exam(pack, None, &History::default(), seed).unwrap();
    QuizSession::new(SessionSpec::exam(pack, None).unwrap(), draw.items, seed, at).unwrap()
}

/// A learner's week: changed settings, fitted parameters, three cards reviewed over several
/// days, two questions sent to review, a finished exam, an exam left open and one set aside.
fn learner(data: &Path) {
    let library = demo();
    let mut store = Store::open_in(data).unwrap();
    store
        .save_settings(&Settings {
            new_per_day: 7,
            fuzz_seed: 99,
            ..Settings::default()
        })
        .unwrap();
    let mut parameters = store
        .scheduler(TimeZone::UTC)
        .unwrap()
        .parameters()
        .to_vec();
    parameters[0] = 0.3;
    let fit = Fit {
        outcome: FitOutcome::Improved,
        items: 120,
        before: None,
        after: Some(Evaluation {
            log_loss: 0.25,
            rmse: 0.04,
        }),
        parameters,
    };
    store.save_parameters(&fit, time(T0 - DAY)).unwrap();
    store
        .set_exam_goal(&ExamGoal {
            pack: "demo".into(),
            exam: jiff::civil::date(2026, 12, 30),
            target: 0.85,
            minutes: 40,
            set_on: jiff::civil::date(2026, 11, 23),
            forecast: vec![0.1, 0.2, 0.3],
        })
        .unwrap();

    let scheduler = store.scheduler(TimeZone::UTC).unwrap();
    let catalog = Catalog::from_library(&library);
    for (i, entry) in catalog.entries().iter().take(3).enumerate() {
        for (day, grade) in [(0, Grade::Good), (1, Grade::Again), (3, Grade::Easy)] {
            let at = time(T0 + day * DAY + i as i64 * 60_000 + 7);
            let before = store.state(&entry.key).unwrap();
            let answer = scheduler
                .grade(&entry.key, before.as_ref(), grade, at, 3_000 + day as u32)
                .unwrap();
            store.record(&answer, &scheduler).unwrap();
        }
    }
    let questions = [
        QuestionKey::new("demo", "q-burst"),
        QuestionKey::new("demo", "q-stampede"),
    ];
    store.enroll_questions(&questions, T0 + 2 * DAY).unwrap();

    let mut done = exam(&library, 1, T0);
    for q in 0..5 {
        done.handle(Action::Goto(q), T0 + 10_000 * q as i64);
        done.handle(Action::Choose(q % 2), T0 + 10_000 * q as i64 + 5_000);
    }
    done.handle(Action::RequestSubmit, T0 + 95_000);
    let effects = done.handle(Action::ConfirmSubmit, T0 + 95_000);
    let Some(Effect::Finished(outcome)) = effects.first() else {
        panic!("{effects:?}")
    };
    store.finish_attempt(outcome).unwrap();
    for (seed, at, abandon) in [(2, T0 + DAY, true), (3, T0 + 2 * DAY, false)] {
        let mut open = exam(&library, seed, at);
        for effect in open.handle(Action::Choose(1), at + 30_000) {
            if let Effect::Save(snapshot) = effect {
                store.save_attempt(&snapshot).unwrap();
                if abandon {
                    store.abandon_attempt(&snapshot, at + 60_000).unwrap();
                }
            }
        }
    }
}

/// Exports `data` to `file`; returns the file's text.
fn export(data: &Path, file: &Path) -> String {
    sysdeck(data)
        .args(["progress", "export"])
        .arg(file)
        .assert()
        .success();
    fs::read_to_string(file).unwrap()
}

fn import(data: &Path, file: &Path) -> assert_cmd::assert::Assert {
    sysdeck(data)
        .args(["progress", "import"])
        .arg(file)
        .assert()
}

#[test]
fn export_import_export_is_identical_and_every_screen_agrees() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    learner(&a);
    let first = tmp.path().join("a.jsonl");
    sysdeck(&a)
        .args(["progress", "export"])
        .arg(&first)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "Exported 9 reviews, 2 questions sent to review, 3 quiz attempts, 1 exam date, \
             settings and FSRS parameters to",
        ));
    let exported = fs::read_to_string(&first).unwrap();

    import(&b, &first).success().stdout(
        predicate::str::contains("Imported 9 new reviews (0 already here); 3 card states")
            .and(predicate::str::contains("Questions sent to review: 2 new"))
            .and(predicate::str::contains("Quiz attempts: 3 new"))
            .and(predicate::str::contains(
                "Exam dates: 1 taken from the file",
            ))
            .and(predicate::str::contains("Settings: replaced"))
            .and(predicate::str::contains("FSRS parameters: the file's")),
    );
    let second = tmp.path().join("b.jsonl");
    assert_eq!(export(&b, &second), exported, "export, import, export");

    // Both machines count the same cards; the questions sent to review are extra cards, due
    // at once as learning cards, so only the 3 reviewed cards left the new pile.
    let states = |data: &Path| {
        let stats: serde_json::Value =
            serde_json::from_str(&stdout(data, &["stats", "--json"])).unwrap();
        let count = |k: &str| stats["states"][k].as_u64().unwrap();
        let all = ["new", "learning", "review", "relearning"]
            .map(count)
            .iter()
            .sum::<u64>();
        (count("new"), count("learning"), all)
    };
    assert_eq!(states(&b), states(&a));
    let (untouched, _, before) = states(&tmp.path().join("fresh"));
    let (new, learning, all) = states(&a);
    assert_eq!(new, untouched - 3, "3 reviewed");
    assert_eq!(all, before + 2, "2 questions enrolled");
    assert!(
        learning >= 2,
        "the enrolled questions are learning cards: {learning}"
    );

    for screen in [
        "home",
        "library",
        "review",
        "stats",
        "quiz",
        "quiz:demo",
        "quiz-history",
    ] {
        let args = ["snapshot", "--screen", screen, "--size", "120x40"];
        assert_eq!(stdout(&b, &args), stdout(&a, &args), "screen {screen}");
    }
    for args in [
        &["stats"][..],
        &["quiz", "history", "--json"],
        &["settings"],
        &["plan", "--json"],
    ] {
        assert_eq!(stdout(&b, args), stdout(&a, args), "{args:?}");
    }

    import(&b, &first).success().stdout(
        predicate::str::contains("Imported 0 new reviews (9 already here)").and(
            predicate::str::contains("Quiz attempts: 0 new or brought up to date (3 already here)")
                .and(predicate::str::contains(
                    "Exam dates: 0 taken from the file (1 kept",
                )),
        ),
    );
    assert_eq!(
        export(&b, &second),
        exported,
        "importing twice changes nothing"
    );
}

#[test]
fn export_never_writes_over_the_database_or_a_file_that_is_not_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    learner(&data);
    let db = data.join("sysdeck.db");
    let export_to = |target: &Path, force: bool| {
        let mut cmd = sysdeck(&data);
        cmd.args(["progress", "export"]).arg(target);
        if force {
            cmd.arg("--force");
        }
        cmd.assert()
    };
    for (target, says) in [
        (db.clone(), "is the progress database;"),
        (
            data.join("sysdeck.db-wal"),
            "is the progress database's journal",
        ),
        (
            data.join("sysdeck.db-shm"),
            "is the progress database's journal",
        ),
    ] {
        for force in [false, true] {
            export_to(&target, force)
                .failure()
                .stderr(predicate::str::contains(says));
        }
    }
    assert!(fs::read(&db).unwrap().starts_with(b"SQLite format 3\0"));
    assert!(
        stdout(&data, &["stats"]).contains("9 in all"),
        "progress intact"
    );

    let copy = tmp.path().join("backup.sqlite");
    fs::copy(&db, &copy).unwrap();
    let notes = tmp.path().join("notes.txt");
    fs::write(&notes, "my notes\n").unwrap();
    export_to(&copy, true)
        .failure()
        .stderr(predicate::str::contains("is an SQLite database"));
    export_to(&notes, false).failure().stderr(
        predicate::str::contains("is not a sysdeck progress file")
            .and(predicate::str::contains("--force")),
    );
    assert_eq!(fs::read_to_string(&notes).unwrap(), "my notes\n");
    export_to(tmp.path(), false)
        .failure()
        .stderr(predicate::str::contains("is a folder"));

    export_to(&notes, true).success();
    let progress = tmp.path().join("progress.jsonl");
    export_to(&progress, false).success();
    export_to(&progress, false).success();
    assert_eq!(fs::read(&notes).unwrap(), fs::read(&progress).unwrap());
    let leftovers = fs::read_dir(tmp.path()).unwrap().count();
    assert_eq!(
        leftovers, 4,
        "data, the copy, and two exports; no temporary files"
    );
}

#[test]
fn a_failed_export_says_the_file_was_left_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("missing-folder").join("progress.jsonl");
    sysdeck(tmp.path())
        .args(["progress", "export"])
        .arg(&target)
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("could not create a temporary file")
                .and(predicate::str::contains("the file there is left as it was")),
        );
}

/// A review-log row of the demo pack as version 1 files hold them.
fn row(item: &str, at: &str) -> String {
    serde_json::json!({
        "item": item, "at": at, "grade": 3, "kind": "review",
        "elapsed_days": 1, "scheduled_days": 2, "duration_ms": 4000,
    })
    .to_string()
}

fn good_rows() -> String {
    [
        row("demo/cache-aside", "2026-11-20T09:00:00Z"),
        row("demo/hit-ratio", "2026-11-21T09:00:00Z"),
    ]
    .join("\n")
}

/// Imports `text` as `in.jsonl` into a fresh data directory, with `flags`; returns the
/// directory, whether the import succeeded, and what it printed on standard error.
fn import_text(text: &str, flags: &[&str]) -> (tempfile::TempDir, bool, String) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.jsonl");
    fs::write(&input, text).unwrap();
    let out = sysdeck(tmp.path())
        .args(["progress", "import"])
        .args(flags)
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        !out.stderr.iter().any(|&b| b == 0x1b || b == 0x07),
        "raw control bytes echoed"
    );
    (
        tmp,
        out.status.success(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_review_dated_9999_is_refused_and_every_later_command_still_works() {
    let attack = row("demo/stampede", "9999-12-30T00:00:00Z");
    let (tmp, ok, stderr) = import_text(&format!("{}\n{attack}\n", good_rows()), &[]);
    assert!(!ok);
    assert!(
        stderr.contains("in.jsonl:3: field `row.at`: 9999-12-30T00:00:00Z is outside"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert!(stdout(tmp.path(), &["stats"]).contains("0 in all"));
    stdout(tmp.path(), &["snapshot", "--screen", "review"]);
    stdout(tmp.path(), &["progress", "export", "-"]);

    let input = tmp.path().join("in.jsonl");
    fs::write(&input, format!("{}\n", good_rows())).unwrap();
    import(tmp.path(), &input).success();
    assert!(stdout(tmp.path(), &["stats"]).contains("2 in all"));
}

#[test]
fn a_huge_key_is_refused_and_the_database_stays_small() {
    let huge = row(
        &format!("demo/{}", "a".repeat(2 << 20)),
        "2026-11-20T09:00:00Z",
    );
    let long = row(&format!("demo/{}", "b".repeat(300)), "2026-11-20T09:00:00Z");
    let text = format!("{}\n{huge}\n{long}\n", good_rows());
    let (_, ok, stderr) = import_text(&text, &[]);
    assert!(!ok);
    assert!(
        stderr.contains("in.jsonl:3: longer than 1048576 bytes"),
        "{stderr}"
    );
    assert!(stderr.contains("in.jsonl:4: field `row.item`"), "{stderr}");
    assert!(stderr.contains("longer than 256 bytes"), "{stderr}");

    let (tmp, ok, stderr) = import_text(&text, &["--skip-bad"]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("warning: skipped 2 bad lines"), "{stderr}");
    assert!(stdout(tmp.path(), &["stats"]).contains("2 in all"));
    let size: u64 = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().starts_with("sysdeck.db"))
        .map(|e| e.metadata().unwrap().len())
        .sum();
    assert!(
        size < 1 << 20,
        "the database and its journal take {size} bytes"
    );
}

#[test]
fn keys_of_the_wrong_shape_are_refused_by_name() {
    let bad = [
        "/",
        "demo",
        "demo/",
        "/cache-aside",
        "Demo/cache-aside",
        "demo/cache aside",
        "demo/cache-aside#c0",
        "demo/cache-aside#front",
        "../../etc/passwd",
    ];
    let mut lines = vec![good_rows()];
    lines.extend(bad.iter().map(|key| row(key, "2026-11-20T09:00:00Z")));
    let (_, ok, stderr) = import_text(&lines.join("\n"), &[]);
    assert!(!ok);
    for (i, key) in bad.iter().enumerate() {
        let expected = format!(
            "in.jsonl:{}: field `row.item`: `{key}` is not a progress key",
            i + 3
        );
        assert!(stderr.contains(&expected), "{key}: {stderr}");
    }
    assert!(
        stderr.contains("has 9 bad lines; nothing was imported"),
        "{stderr}"
    );
}

#[test]
fn control_characters_from_the_file_are_escaped_in_messages() {
    let attack = row("demo/x\u{1b}]0;owned\u{7}\u{1b}[2J", "2026-11-20T09:00:00Z");
    let (_, ok, stderr) = import_text(&format!("{attack}\n"), &[]);
    assert!(!ok);
    assert!(
        stderr.contains("demo/x\\u{1b}]0;owned\\u{7}\\u{1b}[2J"),
        "{stderr}"
    );
}

#[test]
fn a_byte_order_mark_and_windows_line_ends_are_accepted() {
    let text = format!("\u{feff}{}\r\n", good_rows().replace('\n', "\r\n"));
    let (tmp, ok, stderr) = import_text(&text, &[]);
    assert!(ok, "{stderr}");
    assert!(stdout(tmp.path(), &["stats"]).contains("2 in all"));
}

#[test]
fn bad_values_are_named_by_field_and_all_reported() {
    let with = |field: &str, value: serde_json::Value| {
        let mut v: serde_json::Value =
            serde_json::from_str(&row("demo/stampede", "2026-11-20T09:00:00Z")).unwrap();
        v[field] = value;
        v.to_string()
    };
    let lines = [
        good_rows(),
        with("grade", 0.into()),
        with("grade", 5.into()),
        with("duration_ms", (-1).into()),
        with("at", "2001-02-30T00:00:00Z".into()),
        with("at", "1970-01-01T00:00:00Z".into()),
        with("at", "2026-12-02T09:00:01Z".into()),
        with("elapsed_days", 1_000_000.into()),
    ];
    let (_, ok, stderr) = import_text(&lines.join("\n"), &[]);
    assert!(!ok);
    for (line, field) in [
        (3, "grade"),
        (4, "grade"),
        (5, "duration_ms"),
        (6, "at"),
        (7, "at"),
        (8, "at"),
        (9, "elapsed_days"),
    ] {
        let expected = format!("in.jsonl:{line}: field `row.{field}`");
        assert!(stderr.contains(&expected), "line {line}: {stderr}");
    }
    assert!(
        stderr.contains("has 7 bad lines; nothing was imported"),
        "{stderr}"
    );
}

#[test]
fn a_file_from_a_newer_sysdeck_is_refused_with_the_way_out() {
    let (_, ok, stderr) = import_text("{\"format\":\"sysdeck-progress\",\"version\":9}\n", &[]);
    assert!(!ok);
    assert!(
        stderr.contains("written by a newer sysdeck (format version 9"),
        "{stderr}"
    );
    assert!(stderr.contains("update sysdeck"), "{stderr}");
}

#[test]
fn exam_goals_out_of_range_are_refused_by_field() {
    let goal = |pack: &str, target: f64, exam: &str| {
        serde_json::json!({"exam_goal": {
            "pack": pack, "exam": exam, "target": target, "minutes": 30,
            "set_on": "2026-11-29", "forecast": [0.5],
        }})
        .to_string()
    };
    let lines = [
        r#"{"format":"sysdeck-progress","version":2}"#.to_string(),
        goal("demo", 0.9, "2027-01-10"),
        goal("demo", 7.0, "2027-01-10"),
        goal("\u{1b}]0;owned\u{7}", 0.9, "2027-01-10"),
        goal("demo", 0.9, "2031-01-10"),
        goal("demo", 0.9, "2026-02-30"),
    ];
    let (_, ok, stderr) = import_text(&lines.join("\n"), &[]);
    assert!(!ok);
    for line in 3..=6 {
        assert!(
            stderr.contains(&format!("in.jsonl:{line}: ")),
            "line {line}: {stderr}"
        );
    }
    assert!(
        stderr.contains("target 7 is not between 0.5 and 0.99"),
        "{stderr}"
    );
    assert!(stderr.contains("exam_goal.pack"), "{stderr}");
    assert!(stderr.contains("not 1 to 730"), "{stderr}");
    assert!(stderr.contains("has 4 bad lines"), "{stderr}");

    let (tmp, ok, _) = import_text(&lines[..2].join("\n"), &[]);
    assert!(ok);
    let plan = stdout(tmp.path(), &["plan", "--json"]);
    assert!(plan.contains("\"exam\": \"2027-01-10\""), "{plan}");
}
