//! End to end: the real binary in tmux runs a practice round of lab questions, answers the
//! hash-ring one, presses `l` to open the ring lab on the question's numbers, and comes back
//! to the question as it was.

#[path = "support/tmux.rs"]
mod tmux;

use tmux::Tmux;

const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/packs/lab-questions");

/// The first number after `before` on the screen.
fn number_after(screen: &str, before: &str) -> u32 {
    let at = screen
        .find(before)
        .unwrap_or_else(|| panic!("no {before:?} on:\n{screen}"))
        + before.len();
    let digits: String = screen[at..]
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

#[test]
fn a_practised_lab_question_opens_its_lab_on_the_same_numbers_and_comes_back() {
    let data = tempfile::tempdir().unwrap();
    let args = [
        "--no-builtin",
        "--pack",
        PACK,
        "quiz",
        "--pack-id",
        "lab-questions",
        "--mode",
        "practice",
    ];
    let t = Tmux::start("sysdeck-e2e-labq", data.path(), &args, 120, 40);
    let mut screen = t.wait_for("Question 1 of 4");
    for n in 2..=4 {
        if screen.contains("A ring of") {
            break;
        }
        t.keys(&["n"]);
        screen = t.wait_for(&format!("Question {n} of 4"));
    }
    assert!(screen.contains("A ring of"), "{screen}");
    assert!(
        !screen.contains("l lab"),
        "no lab before the answer:\n{screen}"
    );
    let nodes = number_after(&screen, "A ring of ");
    let vnodes = number_after(&screen, "nodes with ");
    t.text("a");
    t.keys(&["Enter"]);
    let checked = t.wait_for("l lab");
    assert!(checked.contains("Correct") || checked.contains("Incorrect"));
    t.text("l");
    // The ring after the join, with the join's movement measured.
    let lab = t.wait_for(&format!("add node-{nodes}"));
    assert!(
        lab.contains(&format!("{} nodes × {vnodes} vnodes", nodes + 1)),
        "{lab}"
    );
    t.keys(&["Escape"]);
    let back = t.wait_for("l lab");
    assert_eq!(number_after(&back, "A ring of "), nodes, "{back}");
    assert_eq!(number_after(&back, "nodes with "), vnodes, "{back}");
    t.quit();
}
