//! `sysdeck quiz history` on a temporary data directory holding attempts made through the
//! library, and `sysdeck quiz` refusing options that cannot start a quiz (before any terminal
//! is touched).

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use sysdeck::content::{Candidate, Library, Origin};
use sysdeck::quiz::select;
use sysdeck::quiz::{Action, Effect, History, QuizSession, SessionSpec, UnixMillis};
use sysdeck::store::Store;

const DEMO: &str = "tests/packs/demo";
/// 2026-11-23T10:00:00Z.
const T0: UnixMillis = 1_795_428_000_000;

/// `sysdeck` over the demo pack alone.
fn sysdeck(data: &Path) -> Command {
    sysdeck_on(data, DEMO)
}

fn sysdeck_on(data: &Path, pack: &str) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .args(["--no-builtin", "--pack", pack])
        .env_remove("SYSDECK_DATA_DIR")
        .env("TZ", "UTC");
    cmd
}

fn library(pack: &str) -> Library {
    let path = Path::new(pack);
    Library::from_candidates(vec![Candidate::disk(
        path,
        Origin::Extra(path.to_path_buf()),
    )])
}

fn exam(library: &Library, seed: u64, at: UnixMillis) -> QuizSession {
    let pack = library.pack("demo").unwrap();
    let draw = select::exam(pack, None, &History::default(), seed).unwrap();
    QuizSession::new(SessionSpec::exam(pack, None).unwrap(), draw.items, seed, at).unwrap()
}

/// A finished exam (choice A everywhere, 95 s) and, later, one left open after one answer.
fn two_attempts(data: &Path) {
    let library = library(DEMO);
    let mut store = Store::open_in(data).unwrap();
    let mut done = exam(&library, 1, T0);
    for q in 0..5 {
        done.handle(Action::Goto(q), T0 + 10_000 * q as i64);
        done.handle(Action::Choose(0), T0 + 10_000 * q as i64 + 5_000);
    }
    done.handle(Action::RequestSubmit, T0 + 95_000);
    let effects = done.handle(Action::ConfirmSubmit, T0 + 95_000);
    let Some(Effect::Finished(outcome)) = effects.first() else {
        panic!("{effects:?}")
    };
    store.finish_attempt(outcome).unwrap();
    let mut open = exam(&library, 2, T0 + 3_600_000);
    for effect in open.handle(Action::Choose(1), T0 + 3_630_000) {
        if let Effect::Save(snapshot) = effect {
            store.save_attempt(&snapshot).unwrap();
        }
    }
}

#[test]
fn history_as_json_lists_every_attempt_with_its_answers() {
    let data = tempfile::tempdir().unwrap();
    let out = sysdeck(data.path())
        .args(["quiz", "history", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "[]");

    two_attempts(data.path());
    let out = sysdeck(data.path())
        .args(["quiz", "history", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let attempts = json.as_array().unwrap();
    assert_eq!(attempts.len(), 2);
    let done = &attempts[0];
    assert_eq!(done["mode"], "exam");
    assert_eq!(done["pack"], "demo");
    assert_eq!(done["seed"], 1);
    assert_eq!(done["started_at"], "2026-11-23T10:00:00Z");
    assert_eq!(done["finished_at"], "2026-11-23T10:01:35Z");
    assert_eq!(done["used_ms"], 95_000);
    assert_eq!(done["questions"], 5);
    let scaled = done["score"]["scaled"].as_u64().unwrap();
    assert!((100..=1000).contains(&scaled));
    assert_eq!(done["passed"], scaled >= 700);
    assert_eq!(done["score"]["domains"][0]["domain"], "core");
    let answers = done["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 5);
    assert!(
        answers[0]["question"]
            .as_str()
            .unwrap()
            .starts_with("demo/q-")
    );
    assert_eq!(answers[0]["chosen"].as_array().unwrap().len(), 1);
    assert_eq!(
        answers[0]["time_ms"], 10_000,
        "on screen until the next question"
    );
    assert_eq!(
        answers[4]["time_ms"], 55_000,
        "the last one until submitting"
    );
    let open = &attempts[1];
    assert_eq!(open["finished_at"], serde_json::Value::Null);
    assert_eq!(open["score"], serde_json::Value::Null);
    assert_eq!(open["answers"].as_array().unwrap().len(), 0);
}

#[test]
fn history_as_text_is_a_table_and_a_trend() {
    let data = tempfile::tempdir().unwrap();
    sysdeck(data.path())
        .args(["quiz", "history"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No quiz attempts yet"));
    two_attempts(data.path());
    sysdeck(data.path())
        .args(["quiz", "history"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Started"))
        .stdout(predicate::str::contains("2026-11-23 10:00  Exam"))
        .stdout(predicate::str::contains("open"))
        .stdout(predicate::str::contains("1:35"))
        .stdout(predicate::str::contains("Exam scores per pack"));
}

#[test]
fn options_that_cannot_start_a_quiz_are_refused_with_the_way_out() {
    let data = tempfile::tempdir().unwrap();
    sysdeck(data.path())
        .args(["quiz", "--pack-id", "nope"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "no loaded pack has the id `nope`; the loaded packs are: demo",
        ));
    sysdeck(data.path())
        .args([
            "quiz",
            "--mode",
            "practice",
            "--pack-id",
            "demo",
            "--domain",
            "x",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "pack `demo` has no domain `x`; its domains are: core, ops",
        ));
    sysdeck(data.path())
        .args(["quiz", "--mode", "drill", "--pack-id", "demo"])
        .args(["--domain", "ops", "--difficulty", "3"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no questions match"));
    sysdeck(data.path())
        .args(["quiz", "--difficulty", "4"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("4 is not in 1..=3"));
}

/// Two practice exams of four questions.
const EXAMS: &str = "tests/packs/exams";

#[test]
fn a_practice_exam_that_cannot_start_is_refused_with_the_way_out() {
    let data = tempfile::tempdir().unwrap();
    let refusals: [(&str, &[&str], &str); 5] = [
        (
            EXAMS,
            &["--practice-exam", "3"],
            "pack `exams` has practice exams 1 to 2; there is no practice exam 3",
        ),
        (
            EXAMS,
            &["--mode", "practice", "--practice-exam", "1"],
            "--practice-exam takes an exam; leave out --mode or give --mode exam",
        ),
        (
            EXAMS,
            &["--practice-exam", "1", "--count", "3"],
            "cannot be used with '--count <N>'",
        ),
        (EXAMS, &["--practice-exam", "0"], "0 is not in 1..=20"),
        // The demo pack's five questions make exactly one exam of 3 + 2.
        (
            DEMO,
            &["--practice-exam", "2"],
            "pack `demo` has only practice exam 1; there is no practice exam 2",
        ),
    ];
    for (pack, args, message) in refusals {
        sysdeck_on(data.path(), pack)
            .arg("quiz")
            .args(args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn history_says_which_practice_exam_an_attempt_was() {
    let data = tempfile::tempdir().unwrap();
    let library = library(EXAMS);
    let pack = library.pack("exams").unwrap();
    let draw = select::practice_exam(pack, 2, 5).unwrap();
    let spec = SessionSpec {
        practice_exam: draw.practice_exam,
        ..SessionSpec::exam(pack, None).unwrap()
    };
    let mut session = QuizSession::new(spec, draw.items, 5, T0).unwrap();
    session.handle(Action::RequestSubmit, T0 + 30_000);
    let effects = session.handle(Action::ConfirmSubmit, T0 + 30_000);
    let Some(Effect::Finished(outcome)) = effects.first() else {
        panic!("{effects:?}")
    };
    Store::open_in(data.path())
        .unwrap()
        .finish_attempt(outcome)
        .unwrap();
    sysdeck_on(data.path(), EXAMS)
        .args(["quiz", "history"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2026-11-23 10:00  Practice exam 2 of 2  exams",
        ));
    let out = sysdeck_on(data.path(), EXAMS)
        .args(["quiz", "history", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json[0]["practice_exam"],
        serde_json::json!({"number": 2, "of": 2})
    );
}

/// `stats --json` gives each exam pack's readiness as the README defines it, worked out here by
/// hand from the exams' own scores: all answers are from `now` (full weight), no card has been
/// studied (recall 0), so a domain with cards is 0.7 × its accuracy, and the pack is the mean
/// weighted by the blueprint (core 60, ops 40).
#[test]
fn stats_json_gives_readiness_by_the_readme_formula() {
    let data = tempfile::tempdir().unwrap();
    let stats = || -> serde_json::Value {
        let out = sysdeck(data.path())
            .args(["stats", "--json"])
            .env("SYSDECK_NOW", "2026-11-23T10:00:00Z")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let fresh = &stats()["readiness"][0];
    assert_eq!(fresh["pack"], "demo");
    assert_eq!(fresh["overall"], serde_json::Value::Null, "no evidence yet");
    assert_eq!(fresh["half_life_days"], 14.0);
    assert_eq!(fresh["answer_share"], 0.7);
    assert_eq!(fresh["min_answers_per_domain"], 10);
    let weights: Vec<f64> = fresh["domains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["weight"].as_f64().unwrap())
        .collect();
    assert_eq!(weights, [0.6, 0.4]);

    // Five exams of the demo's five questions (3 core, 2 ops), choice A everywhere: 15 and 10
    // answers, enough in both domains.
    let library = library(DEMO);
    let mut store = Store::open_in(data.path()).unwrap();
    let mut right = std::collections::HashMap::<String, (usize, usize)>::new();
    for seed in 0..5 {
        let mut s = exam(&library, seed, T0);
        for q in 0..5 {
            s.handle(Action::Goto(q), T0);
            s.handle(Action::Choose(0), T0);
        }
        s.handle(Action::RequestSubmit, T0);
        let effects = s.handle(Action::ConfirmSubmit, T0);
        let Some(Effect::Finished(outcome)) = effects.first() else {
            panic!("{effects:?}")
        };
        for d in &outcome.score.domains {
            let e = right.entry(d.domain.clone().unwrap()).or_default();
            *e = (e.0 + d.correct, e.1 + d.total);
        }
        store.finish_attempt(outcome).unwrap();
    }
    let ready = &stats()["readiness"][0];
    let mut expected_overall = 0.0;
    for (d, weight) in ready["domains"].as_array().unwrap().iter().zip([0.6, 0.4]) {
        let (correct, total) = right[d["domain"].as_str().unwrap()];
        assert_eq!(d["answers"], total);
        let accuracy = correct as f64 / total as f64;
        let has_cards = d["cards"].as_u64().unwrap() > 0;
        let expected = if has_cards { 0.7 * accuracy } else { accuracy };
        let estimate = d["estimate"].as_f64().unwrap();
        assert!((estimate - expected).abs() < 1e-9, "{d}: {expected}");
        expected_overall += weight * expected;
    }
    let overall = ready["overall"].as_f64().unwrap();
    assert!((overall - expected_overall).abs() < 1e-9, "{ready}");
}
