//! End to end: the real binary in tmux takes the demo pack's 5-question exam with keys
//! (answers, a flag, the navigator, submit and confirm), shows a scaled score with pass or
//! fail, and the attempt is in the store afterwards.

#[path = "support/tmux.rs"]
mod tmux;

use sysdeck::store::Store;
use tmux::Tmux;

const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/packs/demo");

/// The line of the screen that says which question is shown and its state.
fn header(screen: &str) -> &str {
    screen
        .lines()
        .find(|l| l.contains("Question "))
        .unwrap_or_default()
}

#[test]
fn a_five_question_exam_is_answered_flagged_submitted_and_scored() {
    let data = tempfile::tempdir().unwrap();
    let args = ["--no-builtin", "--pack", PACK, "quiz", "--pack-id", "demo"];
    let t = Tmux::start("sysdeck-e2e-quiz", data.path(), &args, 100, 30);
    t.wait_for("⏱ 9:5");
    for n in 1..=5 {
        let screen = t.wait_for(&format!("Question {n} of 5"));
        if screen.contains("Choose two") {
            t.keys(&["a", "b"]);
        } else {
            t.text("a");
        }
        t.wait_until("the answer", |s| {
            let h = header(s);
            h.contains("answered") && !h.contains("not answered")
        });
        if n == 2 {
            t.keys(&["m"]);
            t.wait_for("⚑ flagged");
        }
        if n < 5 {
            t.keys(&["n"]);
        }
    }
    t.keys(&["Tab"]);
    let grid = t.wait_for("All questions");
    assert!(grid.contains("2 ●⚑"), "{grid}");
    t.keys(&["Tab"]);
    t.wait_until("the grid to close", |s| !s.contains("All questions"));

    t.keys(&["s"]);
    let confirm = t.wait_for("Submit?");
    assert!(confirm.contains("Flagged (1): 2"), "{confirm}");
    assert!(!confirm.contains("Unanswered"), "{confirm}");
    t.keys(&["Enter"]);
    let results = t.wait_for("/ 1000");
    assert!(
        results.contains("PASS") || results.contains("FAIL"),
        "{results}"
    );
    assert!(results.contains("pass mark 700"), "{results}");
    let scaled: u32 = results
        .split("Score ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no score on:\n{results}"));
    assert!((100..=1000).contains(&scaled), "{scaled}");
    assert_eq!(
        results.contains("PASS"),
        scaled >= 700,
        "pass mark 700:\n{results}"
    );
    t.quit();

    let store = Store::open_in(data.path()).unwrap();
    let attempts = store.attempts().unwrap();
    assert_eq!(attempts.len(), 1);
    let score = attempts[0].score.as_ref().expect("the exam was recorded");
    assert_eq!((score.scaled, score.total), (scaled, 5));
    assert_eq!(store.attempt_answers(attempts[0].id).unwrap().len(), 5);
}

#[test]
fn a_practice_exam_started_from_the_command_line_is_kept_as_that_exam() {
    let pack = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/packs/exams");
    let data = tempfile::tempdir().unwrap();
    let args = [
        "--no-builtin",
        "--pack",
        pack,
        "quiz",
        "--practice-exam",
        "2",
    ];
    let t = Tmux::start("sysdeck-e2e-practice-exam", data.path(), &args, 100, 30);
    let screen = t.wait_for("Question 1 of 4");
    assert!(screen.contains("› Practice exam 2 of 2"), "{screen}");
    t.text("a");
    t.wait_until("the answer", |s| {
        header(s).contains("answered") && !header(s).contains("not answered")
    });
    // Leaving keeps the exam; the launcher offers it back by name.
    t.keys(&["Escape"]);
    t.wait_for("Resume practice exam 2 of 2: 1 of 4 answered");
    t.keys(&["Enter"]);
    t.wait_for("› Practice exam 2 of 2");
    t.keys(&["s"]);
    t.wait_for("Submit?");
    t.keys(&["Enter"]);
    let results = t.wait_for("/ 1000");
    assert!(
        results.contains("Mock exam · Practice exam 2 of 2"),
        "{results}"
    );
    t.quit();

    let store = Store::open_in(data.path()).unwrap();
    let attempts = store.attempts().unwrap();
    assert_eq!(attempts.len(), 1);
    let practice = attempts[0]
        .practice_exam
        .expect("recorded as a practice exam");
    assert_eq!((practice.number, practice.of), (2, 2));
    assert!(attempts[0].score.is_some());
}
