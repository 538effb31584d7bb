//! End to end: one learner's day with the real binary in tmux at 80x24, on the demo pack.
//! Read a note found with the finder, study its topic at once, take the 5-question exam and miss
//! one question on purpose, look at it again with its note, send it to review, find it due on
//! home, under "missed" in the card browser and in the review, start a second exam and leave it mid-way, then resume it from the
//! command line the next time.

#[path = "support/tmux.rs"]
mod tmux;

use std::path::Path;

use sysdeck::content::{Candidate, Library, Origin, Question};
use sysdeck::store::Store;
use tmux::Tmux;

const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/packs/demo");
const SIZE: (u16, u16) = (80, 24);
/// When the day starts, and when the learner comes back to the unfinished exam.
const MORNING: &str = "2026-11-23T09:00:00Z";
const EVENING: &str = "2026-11-23T20:00:00Z";

fn demo_questions() -> Vec<Question> {
    let path = Path::new(PACK);
    let library = Library::from_candidates(vec![Candidate::disk(
        path,
        Origin::Extra(path.to_path_buf()),
    )]);
    library.pack("demo").unwrap().questions.to_vec()
}

/// The start of a stem as the first screen line shows it.
fn opening(q: &Question) -> String {
    q.stem.chars().take(30).collect()
}

/// The question on screen.
fn shown<'a>(questions: &'a [Question], screen: &str) -> &'a Question {
    questions
        .iter()
        .find(|q| screen.contains(&opening(q)))
        .unwrap_or_else(|| panic!("no demo question on:\n{screen}"))
}

/// Presses the letter a choice is shown under (`  ( ) B  text` or `  [ ] B  text`).
fn choose(t: &Tmux, screen: &str, text: &str) {
    let start: String = text.chars().take(25).collect();
    let line = screen
        .lines()
        .find(|l| l.contains(&start))
        .unwrap_or_else(|| panic!("no choice {start:?} on:\n{screen}"));
    let before = &line[..line.find(&start).unwrap()];
    let letter = before.trim_end().chars().last().unwrap();
    t.text(&letter.to_ascii_lowercase().to_string());
}

/// How many cards the review's header says the session holds.
fn session_size(screen: &str) -> usize {
    let header = screen
        .lines()
        .find(|l| l.contains(" answered "))
        .unwrap_or_else(|| panic!("no session header on:\n{screen}"));
    let of = header.split(" of ").nth(1).unwrap_or_default();
    of.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn a_learners_day_read_study_exam_miss_review_leave_resume() {
    let data = tempfile::tempdir().unwrap();
    let questions = demo_questions();
    // One clock for the whole day, starting mid-morning.
    let args = ["--now", MORNING, "--no-builtin", "--pack", PACK];
    let t = Tmux::start("sysdeck-e2e-day", data.path(), &args, SIZE.0, SIZE.1);
    t.wait_for("Demo Pack");

    // Morning: find the caching note and read it.
    t.keys(&["C-p"]);
    t.wait_for("Find notes");
    t.text("caching");
    t.wait_for("note     Caching");
    t.keys(&["Enter"]);
    t.wait_for("sysdeck › Demo Pack › Caching");

    // Study exactly that topic now: every card of it, past the daily limit if need be.
    t.keys(&["r"]);
    let first = t.wait_for("sysdeck › review › Caching");
    let cards = session_size(&first);
    assert!(cards >= 3, "the caching topic's cards:\n{first}");
    for n in 0..cards {
        t.wait_for(&format!("{n} of {cards} answered"));
        t.keys(&["Space"]);
        t.wait_for("4 Easy");
        t.keys(&["4"]);
    }
    t.wait_for("Session complete");
    t.keys(&["Enter"]);
    t.wait_for("sysdeck › Demo Pack › Caching");

    // The exam: the first question missed on purpose, the others right.
    t.keys(&["H"]);
    t.wait_for("sysdeck › home");
    t.keys(&["e"]);
    t.wait_for("Start exam");
    t.keys(&["Enter"]);
    let mut missed = None;
    for n in 1..=5 {
        let screen = t.wait_for(&format!("Question {n} of 5"));
        let q = shown(&questions, &screen);
        let picks: Vec<&str> = if n == 1 {
            // As many wrong choices as the question asks for, so it counts as answered.
            missed = Some(opening(q));
            q.choices
                .iter()
                .filter(|c| !c.correct)
                .take(q.correct_count())
                .map(|c| c.text.as_str())
                .collect()
        } else {
            q.choices
                .iter()
                .filter(|c| c.correct)
                .map(|c| c.text.as_str())
                .collect()
        };
        for text in picks {
            let screen = t.screen();
            choose(&t, &screen, text);
        }
        t.wait_until("the answer", |s| {
            s.lines()
                .any(|l| l.contains("Question ") && l.trim_end().ends_with(" answered"))
                && !s.contains("not answered")
        });
        if n < 5 {
            t.keys(&["n"]);
        }
    }
    let missed = missed.unwrap();
    t.keys(&["s"]);
    t.wait_for("Submit?");
    t.keys(&["Enter"]);
    let results = t.wait_for("4 of 5 right");
    assert!(results.contains("/ 1000"), "{results}");

    // Only the incorrect one, then its note, then back to it.
    t.keys(&["i"]);
    let review = t.wait_for(&missed);
    assert!(review.contains("✗ Incorrect"), "{review}");
    t.keys(&["o"]);
    t.wait_for("sysdeck › Demo Pack ›");
    t.keys(&["Escape"]);
    t.wait_for(&missed);
    t.keys(&["Escape"]);
    t.wait_for("4 of 5 right");

    // Send it to review: it is due at once, on home and in the review.
    t.keys(&["r"]);
    t.wait_for("sent to spaced repetition");
    t.keys(&["H"]);
    t.wait_until("the missed question due on home", |s| {
        s.lines().any(|l| l.contains("Due") && l.contains("1 card"))
    });
    // The card browser lists it under "missed".
    t.keys(&["c"]);
    t.wait_for("sysdeck › cards › Demo Pack");
    t.keys(&["f", "f"]);
    let listed = t.wait_for("[missed]");
    let row = listed
        .lines()
        .find(|l| l.contains("missed") && !l.contains("Filter") && !l.contains("·"))
        .unwrap_or_else(|| panic!("no missed row:\n{listed}"));
    assert!(
        row.contains("learning"),
        "due at once, as a learning card: {row}"
    );
    t.keys(&["Escape"]);
    t.wait_for("sysdeck › home");
    t.keys(&["r"]);
    let due = t.wait_for("sysdeck › review");
    assert!(due.contains(&missed), "the missed question first:\n{due}");
    assert!(due.contains("Exam question"), "{due}");
    t.keys(&["Escape"]);
    t.wait_for("sysdeck › home");

    // Evening: a second exam, left after one answer; q goes back one level and keeps it.
    t.keys(&["e"]);
    t.wait_for("Start exam");
    t.keys(&["Enter"]);
    t.wait_for("Question 1 of 5");
    t.text("a");
    t.wait_until("the answer", |s| !s.contains("not answered"));
    t.keys(&["n"]);
    t.wait_for("Question 2 of 5");
    t.keys(&["q"]);
    t.wait_for("Resume the unfinished exam: 1 of 5 answered");
    t.quit();

    // The next run resumes it from the command line.
    let args = [
        "--now",
        EVENING,
        "--no-builtin",
        "--pack",
        PACK,
        "quiz",
        "--mode",
        "exam",
    ];
    let t = Tmux::start("sysdeck-e2e-day-2", data.path(), &args, SIZE.0, SIZE.1);
    t.wait_for("Resume the unfinished exam: 1 of 5 answered");
    t.keys(&["Enter"]);
    t.wait_for("Question 2 of 5");
    t.quit();

    let store = Store::open_in(data.path()).unwrap();
    let attempts = store.attempts().unwrap();
    assert_eq!(attempts.len(), 2, "one exam finished, one resumed");
    assert!(attempts[0].score.is_some());
    assert!(attempts[1].score.is_none(), "still open");
    let reviews = store.log().unwrap();
    assert_eq!(reviews.len(), cards, "the topic's cards, graded once each");
}
