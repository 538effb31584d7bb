//! The quiz screens on the demo pack (an exam of 5 questions in 10 minutes, pass mark 700):
//! snapshots of every stage at 80x24 and 120x40, the store behind them (saving, resuming,
//! finishing, sending misses to review), the timer, a short exam, and a size sweep.

#[path = "support/app.rs"]
mod support;

use std::path::Path;

use jiff::SignedDuration;
use support::{Fixture, demo, fixture};
use sysdeck::quiz::Mode;
use sysdeck::srs::{ItemKey, Scope};
use sysdeck::tui::app::App;
use sysdeck::tui::keymap::Action;
use sysdeck::tui::nav::Nav;
use sysdeck::tui::screens::quiz::{QuizOptions, QuizStart};
use sysdeck::tui::snapshot::{ScreenSpec, app_at, render_text};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn app(fx: &Fixture, w: u16, h: u16) -> App {
    app_at(fx.shared.clone(), &ScreenSpec::Home, w, h)
}

fn start(app: &mut App, mode: Mode) {
    let options = QuizOptions::new(Some("demo".into()), mode);
    app.go(Nav::Quiz(QuizStart::New(options)), false);
}

/// A screen as text at the app's size.
fn screen(app: &App, (w, h): (u16, u16)) -> String {
    render_text(app, w, h)
}

/// Moves to the next question that says "Choose two" (the demo pack has one).
fn go_to_multiple(app: &mut App, size: (u16, u16)) {
    for _ in 0..5 {
        if screen(app, size).contains("Choose two") {
            return;
        }
        app.press(Action::NextQuestion);
    }
    panic!("no multiple-response question:\n{}", screen(app, size));
}

/// Answers every question with A (and B where two are asked), flags the first, then opens the
/// confirmation.
fn answer_all(app: &mut App, size: (u16, u16)) {
    app.press(Action::Flag);
    for _ in 0..5 {
        app.type_char('a');
        if screen(app, size).contains("Choose two") {
            app.type_char('b');
        }
        app.press(Action::NextQuestion);
    }
}

/// The start of each demo question's right choice (two for the multiple-response one).
const RIGHT: [&str; 6] = [
    "Coalesce concurrent misses",
    "Write-through",
    "Write-back",
    "Put a queue",
    "Record processed message ids",
    "The account id",
];

/// Chooses the choice whose text starts with `text`, by the letter it is shown under.
fn choose(app: &mut App, size: (u16, u16), text: &str) {
    let shown = screen(app, size);
    let line = shown
        .lines()
        .find(|l| l.contains(&format!("  {text}")))
        .unwrap_or_else(|| panic!("no choice {text:?} in:\n{shown}"));
    let before = &line[..line.find(text).unwrap()];
    let letter = before.trim_end().chars().last().unwrap();
    app.type_char(letter.to_ascii_lowercase());
}

/// Chooses the right answer to the question on screen (a single-answer one).
fn choose_right(app: &mut App, size: (u16, u16)) {
    let shown = screen(app, size);
    let right = RIGHT
        .iter()
        .find(|r| shown.contains(&format!("  {r}")))
        .expect("a demo question");
    choose(app, size, right);
}

#[test]
fn exam_stages_at_two_sizes() {
    for size @ (w, h) in SIZES {
        let fx = demo();
        let mut app = app(&fx, w, h);
        start(&mut app, Mode::Exam);
        fx.advance(SignedDuration::from_secs(19));
        // Three right, the two-answer question half right, the last left open.
        let mut flagged = false;
        for _ in 0..4 {
            if screen(&app, size).contains("Choose two") {
                choose(&mut app, size, "Write-back");
                choose(&mut app, size, "Cache-aside");
                let text = screen(&app, size);
                assert_eq!(text.matches("Choose two").count(), 1, "said once:\n{text}");
                insta::assert_snapshot!(format!("question_multiple_{w}x{h}"), screen(&app, size));
            } else {
                choose_right(&mut app, size);
                if !flagged {
                    app.press(Action::Flag);
                    flagged = true;
                    insta::assert_snapshot!(format!("question_single_{w}x{h}"), screen(&app, size));
                }
            }
            app.press(Action::NextQuestion);
        }
        app.press(Action::Navigator);
        app.press(Action::PrevQuestion);
        insta::assert_snapshot!(format!("navigator_{w}x{h}"), screen(&app, size));
        app.press(Action::Navigator);
        app.press(Action::Submit);
        insta::assert_snapshot!(format!("confirmation_{w}x{h}"), screen(&app, size));
        fx.advance(SignedDuration::from_secs(140));
        app.press(Action::Check);
        insta::assert_snapshot!(format!("results_{w}x{h}"), screen(&app, size));
        app.press(Action::Check);
        go_to_multiple(&mut app, size);
        insta::assert_snapshot!(format!("review_{w}x{h}"), screen(&app, size));
    }
}

#[test]
fn practice_feedback_and_history_at_two_sizes() {
    for size @ (w, h) in SIZES {
        let fx = demo();
        let mut app = app(&fx, w, h);
        start(&mut app, Mode::Exam);
        answer_all(&mut app, size);
        app.press(Action::Submit);
        app.press(Action::Check);
        app.press(Action::Back);
        fx.advance(SignedDuration::from_mins(5));
        start(&mut app, Mode::Practice);
        app.type_char('a');
        app.press(Action::Check);
        insta::assert_snapshot!(format!("practice_feedback_{w}x{h}"), screen(&app, size));
        app.press(Action::Check);
        assert!(
            screen(&app, size).contains("Question 2 of 5"),
            "enter moves on"
        );
        app.press(Action::Submit);
        app.press(Action::Check);
        app.go(Nav::QuizHistory, false);
        insta::assert_snapshot!(format!("history_{w}x{h}"), screen(&app, size));
    }
}

#[test]
fn a_drill_asks_the_questions_missed_last_first() {
    let size = (100, 30);
    let fx = demo();
    let mut app = app(&fx, size.0, size.1);
    start(&mut app, Mode::Exam);
    // Only the first question is answered right; the other four are missed.
    let first = screen(&app, size);
    if first.contains("Choose two") {
        choose(&mut app, size, "Write-through");
        choose(&mut app, size, "Write-back");
    } else {
        choose_right(&mut app, size);
    }
    app.press(Action::Submit);
    app.press(Action::Check);
    app.press(Action::Back);
    fx.advance(SignedDuration::from_mins(1));
    start(&mut app, Mode::Drill);
    let stem = |text: &str| text.lines().nth(3).unwrap_or_default().trim().to_string();
    for n in 1..=4 {
        let shown = screen(&app, size);
        assert!(shown.contains(&format!("Question {n} of 5")), "{shown}");
        assert_ne!(
            stem(&shown),
            stem(&first),
            "a miss comes before the right answer"
        );
        app.press(Action::NextQuestion);
    }
    assert_eq!(stem(&screen(&app, size)), stem(&first));
}

#[test]
fn quitting_an_exam_saves_it_and_the_launcher_offers_to_resume() {
    let size = (100, 30);
    let fx = demo();
    let mut app = app(&fx, size.0, size.1);
    start(&mut app, Mode::Exam);
    app.type_char('a');
    app.press(Action::Flag);
    fx.advance(SignedDuration::from_secs(30));
    app.press(Action::Back);
    let launcher = screen(&app, size);
    insta::assert_snapshot!("launcher_resume_100x30", launcher);
    assert!(
        launcher.contains("Resume the unfinished exam: 1 of 5 answered, 9:30 left"),
        "{launcher}"
    );
    let saved = fx.store().unfinished_exam("demo").unwrap();
    assert_eq!(saved.expect("saved").used_ms, 30_000);

    // A day later the clock has not moved while the exam was closed.
    fx.advance(SignedDuration::from_hours(24));
    app.press(Action::Open);
    let resumed = screen(&app, size);
    assert!(resumed.contains("⏱ 9:30 left"), "{resumed}");
    assert!(resumed.contains("Question 1 of 5"), "{resumed}");
    assert!(resumed.contains("⚑ flagged"), "{resumed}");
    // The first question asks for two; the one choice made survived the day.
    assert!(resumed.contains("choose more"), "{resumed}");

    // `sysdeck quiz` for the same pack offers the resume rather than starting over.
    app.press(Action::Back);
    start(&mut app, Mode::Exam);
    assert!(screen(&app, size).contains("Resume the unfinished exam"));

    // `sysdeck quiz --mode exam` names no pack: the offer is the same, on the exam's pack,
    // and enter resumes it.
    app.press(Action::Back);
    let any_pack = QuizOptions::new(None, Mode::Exam);
    app.go(Nav::Quiz(QuizStart::New(any_pack)), false);
    let offer = screen(&app, size);
    assert!(
        offer.contains("▸ ▶ Resume the unfinished exam: 1 of 5 answered, 9:30 left"),
        "{offer}"
    );
    assert!(offer.contains("Demo"), "{offer}");
    app.press(Action::Open);
    let resumed = screen(&app, size);
    assert!(resumed.contains("⏱ 9:30 left"), "{resumed}");
    assert!(resumed.contains("Question 1 of 5"), "{resumed}");
}

#[test]
fn a_finished_exam_is_recorded_with_every_answer() {
    let size = (100, 30);
    let fx = demo();
    let mut app = app(&fx, size.0, size.1);
    start(&mut app, Mode::Exam);
    fx.advance(SignedDuration::from_secs(65));
    answer_all(&mut app, size);
    app.press(Action::Submit);
    app.press(Action::Check);
    let results = screen(&app, size);
    assert!(results.contains("/ 1000"), "{results}");
    assert!(results.contains("time used 1:05 of 10:00"), "{results}");

    let store = fx.store();
    assert_eq!(store.unfinished_exam("demo").unwrap(), None);
    let attempts = store.attempts().unwrap();
    assert_eq!(attempts.len(), 1);
    let score = attempts[0].score.as_ref().expect("scored");
    assert_eq!(score.total, 5);
    assert!(results.contains(&format!("Score {} / 1000", score.scaled)));
    assert_eq!(store.attempt_answers(attempts[0].id).unwrap().len(), 5);
    let past = store.past_answers().unwrap();
    assert_eq!(past.len(), 5);
    assert_eq!(
        past.iter().filter(|a| a.correct).count(),
        score.correct,
        "{results}"
    );
}

#[test]
fn missed_questions_are_sent_to_spaced_repetition_with_one_key() {
    let size = (100, 30);
    let fx = demo();
    let mut app = app(&fx, size.0, size.1);
    start(&mut app, Mode::Exam);
    // Nothing answered: every question is missed.
    app.press(Action::Submit);
    app.press(Action::Check);
    assert!(screen(&app, size).contains("send 5 missed questions to spaced repetition"));
    app.press(Action::SendToReview);
    assert!(screen(&app, size).contains("5 of 5 missed questions sent"));

    let shared = &fx.shared;
    let enrolled = fx.store().enrolled_questions().unwrap();
    assert!(
        enrolled.contains(&ItemKey::new("demo/q-burst")),
        "{enrolled:?}"
    );
    let session = shared
        .progress
        .session(&Scope::default(), shared.now())
        .unwrap();
    let cards_alone = {
        let fresh = fixture(&["tests/packs/demo"]);
        let s = fresh
            .shared
            .progress
            .session(&Scope::default(), shared.now());
        s.unwrap().counts()
    };
    assert_eq!(
        session.counts().new,
        cards_alone.new,
        "not spent from the new cards"
    );
    assert_eq!(
        session.counts().learning,
        cards_alone.learning + 5,
        "due at once"
    );
    let entry = shared.catalog().get(&ItemKey::new("demo/q-burst")).unwrap();
    let face = entry.item().face(&shared.library).unwrap();
    assert!(face.front.contains("A. Put a queue"), "{}", face.front);
    assert!(face.back.contains("**A. Put a queue"), "{}", face.back);
}

#[test]
fn the_exam_clock_ticks_and_submits_at_zero() {
    let size = (100, 30);
    let fx = demo();
    let mut app = app(&fx, size.0, size.1);
    let options = QuizOptions {
        limit_ms: Some(60_000),
        ..QuizOptions::new(Some("demo".into()), Mode::Exam)
    };
    app.go(Nav::Quiz(QuizStart::New(options)), false);
    assert_eq!(app.tick_interval(), Some(std::time::Duration::from_secs(1)));
    fx.advance(SignedDuration::from_secs(20));
    app.tick();
    assert!(screen(&app, size).contains("⏱ 0:40 left"));
    fx.advance(SignedDuration::from_secs(40));
    app.tick();
    let results = screen(&app, size);
    assert!(
        results.contains("Submitted automatically when the time ran out"),
        "{results}"
    );
    assert!(results.contains("FAIL"), "{results}");
    assert_eq!(app.tick_interval(), None);
}

#[test]
fn an_exam_bigger_than_its_domains_is_built_with_what_exists_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("demo");
    copy_dir(Path::new("tests/packs/demo"), &pack);
    let manifest = std::fs::read_to_string(pack.join("pack.toml")).unwrap();
    let manifest = manifest.replace("questions = 5", "questions = 10");
    std::fs::write(pack.join("pack.toml"), manifest).unwrap();
    let fx = fixture(&[pack.to_str().unwrap()]);
    let size = (120, 40);
    let mut app = app(&fx, size.0, size.1);
    app.go(Nav::QuizSetup { pack: None }, false);
    let launcher = screen(&app, size);
    insta::assert_snapshot!("launcher_short_exam_120x40", launcher);
    assert!(
        launcher.contains("Core ideas has 3 of 6, Operations has 2 of 4"),
        "{launcher}"
    );
    start(&mut app, Mode::Exam);
    let question = screen(&app, size);
    assert!(question.contains("Question 1 of 5"), "{question}");
    assert!(
        question.contains("This exam has 5 of the 10 questions"),
        "{question}"
    );
}

#[test]
fn a_filter_that_matches_nothing_is_explained_on_the_launcher() {
    let fx = demo();
    let size = (100, 30);
    let mut app = app(&fx, size.0, size.1);
    let options = QuizOptions {
        difficulty: Some(3),
        domain: Some("ops".into()),
        ..QuizOptions::new(Some("demo".into()), Mode::Practice)
    };
    app.go(Nav::Quiz(QuizStart::New(options)), false);
    let text = screen(&app, size);
    assert!(text.contains("no questions match"), "{text}");
    assert!(text.contains("› quiz"), "{text}");
}

/// The right choice of each question of the exams pack.
const EXAMS_RIGHT: [&str; 10] = [
    "Three.",
    "Consistent hashing.",
    "R + W > N.",
    "Cache-aside.",
    "A token bucket.",
    "At least once.",
    "A load balancer.",
    "Free space trend.",
    "Roll back to the last good version.",
    "Assess the impact.",
];

#[test]
fn practice_exams_are_chosen_on_the_launcher_which_shows_how_each_went() {
    let size = (100, 30);
    let (fx, mut app) = exams_app(size);
    app.go(Nav::QuizSetup { pack: None }, false);
    let launcher = screen(&app, size);
    assert!(
        launcher.contains("▸ ▶ Start exam: a random draw"),
        "{launcher}"
    );
    assert!(
        launcher.contains("▶ Practice exam 2 of 2     not taken yet"),
        "{launcher}"
    );

    // Practice exam 1, every answer right.
    app.press(Action::Down);
    app.press(Action::Open);
    for n in 1..=4 {
        let shown = screen(&app, size);
        assert!(shown.contains("› Practice exam 1 of 2"), "{shown}");
        assert!(shown.contains(&format!("Question {n} of 4")), "{shown}");
        let right = EXAMS_RIGHT
            .iter()
            .find(|r| shown.contains(&format!("  {r}")))
            .expect("a question of the exams pack");
        choose(&mut app, size, right);
        app.press(Action::NextQuestion);
    }
    app.press(Action::Submit);
    app.press(Action::Check);
    let results = screen(&app, size);
    assert!(
        results.contains("Mock exam · Practice exam 1 of 2"),
        "{results}"
    );
    assert!(results.contains("PASS"), "{results}");
    app.press(Action::Check);
    insta::assert_snapshot!("practice_exam_review_100x30", screen(&app, size));
    assert!(screen(&app, size).contains("Source: https://example.org/docs/"));
    app.press(Action::Back);
    app.press(Action::Back);

    // Practice exam 2, left after one answer.
    fx.advance(SignedDuration::from_mins(10));
    app.press(Action::Down);
    app.press(Action::Down);
    app.press(Action::Open);
    assert!(screen(&app, size).contains("› Practice exam 2 of 2"));
    app.type_char('a');
    app.press(Action::Back);
    let launcher = screen(&app, size);
    insta::assert_snapshot!("launcher_practice_exams_100x30", launcher);
    assert!(
        launcher.contains("▶ Resume practice exam 2 of 2: 1 of 4 answered"),
        "{launcher}"
    );
    assert!(
        launcher.contains("▶ Practice exam 1 of 2     best 1000 pass · taken once"),
        "{launcher}"
    );
    assert!(
        launcher.contains("▶ Practice exam 2 of 2     in progress"),
        "{launcher}"
    );

    let store = fx.store();
    let kinds: Vec<String> = store
        .attempts()
        .unwrap()
        .iter()
        .map(|a| a.practice_exam.map(|p| p.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(kinds, ["Practice exam 1 of 2", "Practice exam 2 of 2"]);
    drop(store);
    app.go(Nav::QuizHistory, false);
    let history = screen(&app, size);
    assert!(
        history.contains("Practice exam 2 of 2 Exam Pack"),
        "{history}"
    );
    assert!(
        history.contains("Practice exam 1 of 2 Exam Pack"),
        "{history}"
    );
}

#[test]
fn practice_feedback_shows_the_source() {
    let size = (100, 30);
    let (_fx, mut app) = exams_app(size);
    let options = QuizOptions::new(Some("exams".into()), Mode::Practice);
    app.go(Nav::Quiz(QuizStart::New(options)), false);
    assert!(!screen(&app, size).contains("Source:"));
    app.type_char('a');
    app.press(Action::Check);
    let shown = screen(&app, size);
    assert!(
        shown.contains("Source: https://example.org/docs/"),
        "{shown}"
    );
}

#[test]
fn a_practice_exam_asked_for_while_an_exam_is_open_is_selected_on_the_launcher() {
    let size = (100, 30);
    let (_fx, mut app) = exams_app(size);
    start_exams(&mut app, None);
    app.press(Action::Back);
    start_exams(&mut app, Some(2));
    let launcher = screen(&app, size);
    assert!(
        launcher.contains("▸ ▶ Resume the unfinished exam"),
        "{launcher}"
    );
    app.press(Action::Bottom);
    app.press(Action::Up);
    assert!(screen(&app, size).contains("▸ ▶ Practice exam 2 of 2"));
    app.press(Action::Open);
    assert!(screen(&app, size).contains("› Practice exam 2 of 2"));
}

/// The app over the exams pack (two practice exams of four questions, every one with a source).
fn exams_app((w, h): (u16, u16)) -> (Fixture, App) {
    let fx = fixture(&["tests/packs/exams"]);
    let app = app(&fx, w, h);
    (fx, app)
}

/// An exam of the exams pack: a random draw, or a practice exam.
fn start_exams(app: &mut App, practice_exam: Option<u8>) {
    let options = QuizOptions {
        practice_exam,
        ..QuizOptions::new(Some("exams".into()), Mode::Exam)
    };
    app.go(Nav::Quiz(QuizStart::New(options)), false);
}

#[test]
fn quiz_screens_render_at_any_size() {
    let fx = demo();
    let mut sizes = vec![(1, 1), (10, 3), (59, 17), (60, 18), (61, 19), (200, 60)];
    sizes.extend(
        (1..=200)
            .step_by(23)
            .flat_map(|w| (1..=60).step_by(9).map(move |h| (w, h))),
    );
    type Setup = fn(&mut App);
    let setups: [(&str, Setup); 7] = [
        ("launcher", |a| a.go(Nav::QuizSetup { pack: None }, false)),
        ("question", |a| start(a, Mode::Exam)),
        ("navigator", |a| {
            start(a, Mode::Exam);
            a.press(Action::Navigator);
        }),
        ("confirmation", |a| {
            start(a, Mode::Exam);
            a.press(Action::Submit);
        }),
        ("results", |a| {
            start(a, Mode::Exam);
            a.press(Action::Submit);
            a.press(Action::Check);
        }),
        ("practice", |a| {
            start(a, Mode::Practice);
            a.type_char('a');
            a.press(Action::Check);
        }),
        ("history", |a| a.go(Nav::QuizHistory, false)),
    ];
    for (name, setup) in setups {
        for &(w, h) in &sizes {
            let mut app = app(&fx, w, h);
            setup(&mut app);
            let text = render_text(&app, w, h);
            assert_eq!(text.lines().count(), usize::from(h), "{name} at {w}x{h}");
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_refused_save_stays_on_screen_with_its_cause_until_closed() {
    let size = (100, 30);
    let fx = demo();
    let mut app = app(&fx, size.0, size.1);
    start(&mut app, Mode::Exam);
    let path = fx.store().path().to_path_buf();
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE UPDATE ON quiz_attempt \
             BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;
             CREATE TRIGGER refuse_new BEFORE INSERT ON quiz_attempt \
             BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;",
        )
        .unwrap();
    app.press(Action::Choose(0));
    let shown = screen(&app, size);
    assert!(shown.contains("Something went wrong"), "{shown}");
    assert!(shown.contains("This attempt was not saved"), "{shown}");
    assert!(shown.contains("disk full (simulated)"), "{shown}");
    app.press(Action::Down);
    app.press(Action::Choose(1));
    assert!(
        screen(&app, size).contains("disk full (simulated)"),
        "other keys leave the panel up"
    );
    app.press(Action::Back);
    assert!(!screen(&app, size).contains("Something went wrong"));
}

#[test]
fn a_running_exam_hides_the_domain_which_the_review_shows() {
    let size = (120, 30);
    let fx = demo();
    let mut app = app(&fx, size.0, size.1);
    start(&mut app, Mode::Exam);
    let header = |app: &App| {
        screen(app, size)
            .lines()
            .find(|l| l.contains("Question 1 of"))
            .unwrap_or_default()
            .to_string()
    };
    let running = header(&app);
    assert!(
        !running.contains("Core ideas") && !running.contains("Operations"),
        "{running}"
    );
    app.press(Action::Submit);
    app.press(Action::Check);
    app.press(Action::Check);
    let reviewed = header(&app);
    assert!(
        reviewed.contains("Core ideas") || reviewed.contains("Operations"),
        "{reviewed}"
    );
}

#[test]
fn q_inside_an_exam_goes_back_and_keeps_it_to_resume() {
    let size = (100, 30);
    let fx = demo();
    let mut app = app(&fx, size.0, size.1);
    start(&mut app, Mode::Exam);
    app.press(Action::Choose(0));
    app.press(Action::Quit);
    assert!(!app.should_quit(), "q deep inside never quits the app");
    assert!(
        screen(&app, size).contains("Resume"),
        "{}",
        screen(&app, size)
    );
    assert!(fx.store().unfinished_exam("demo").unwrap().is_some());
    app.press(Action::Quit);
    app.press(Action::Quit);
    assert!(app.should_quit(), "q on home quits");
}

#[test]
fn a_terminal_too_small_to_see_the_exam_takes_no_answers() {
    let fx = demo();
    let mut app = app(&fx, 100, 30);
    start(&mut app, Mode::Exam);
    app.resize(40, 10);
    app.press(Action::Choose(0));
    app.press(Action::Submit);
    app.resize(100, 30);
    let shown = screen(&app, (100, 30));
    assert!(shown.contains("Question 1 of"), "{shown}");
    assert!(
        !shown.contains("answered  "),
        "nothing was chosen blind: {shown}"
    );
    app.resize(40, 10);
    app.press(Action::Quit);
    assert!(app.should_quit(), "quit still works");
}

#[test]
fn five_questions_get_the_time_of_five_at_the_packs_pace() {
    let size = (100, 30);
    let fx = demo();
    let mut app = app(&fx, size.0, size.1);
    let options = QuizOptions {
        count: Some(2),
        ..QuizOptions::new(Some("demo".into()), Mode::Exam)
    };
    app.go(Nav::Quiz(QuizStart::New(options)), false);
    // The demo exam: 5 questions in 10 minutes, so 2 get 4.
    assert!(
        screen(&app, size).contains("4:00 left"),
        "{}",
        screen(&app, size)
    );
}

#[test]
fn a_question_found_in_the_finder_asks_first_then_explains_each_choice() {
    for size @ (w, h) in SIZES {
        let fx = demo();
        let mut app = app(&fx, w, h);
        app.go(Nav::Finder, false);
        "Which two patterns write"
            .chars()
            .for_each(|c| app.type_char(c));
        app.settle();
        app.press(Action::Open);
        let asked = screen(&app, size);
        assert!(asked.contains("Question 1 of 1"), "{asked}");
        assert!(asked.contains("not answered"), "{asked}");
        for key in [
            "✓",
            "Writes go to cache and database together",
            "Explanation",
        ] {
            assert!(
                !asked.contains(key),
                "{key} shown before an answer:\n{asked}"
            );
        }
        insta::assert_snapshot!(format!("finder_question_asks_{w}x{h}"), asked);
        choose(&mut app, size, "Write-through");
        choose(&mut app, size, "Cache-aside");
        app.press(Action::Check);
        let marked = screen(&app, size);
        assert!(marked.contains("✗ Incorrect"), "{marked}");
        assert!(
            marked.contains("Writes go to cache and database together"),
            "each choice says why:\n{marked}"
        );
        insta::assert_snapshot!(format!("finder_question_marked_{w}x{h}"), marked);
        // Leaving goes back to where the finder was opened from, with the answer recorded.
        app.press(Action::Back);
        let back = screen(&app, size);
        assert!(!back.contains("Question 1 of 1"), "{back}");
        let attempts = fx.store().attempts().unwrap();
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].mode, Mode::Practice);
        let score = attempts[0].score.as_ref().expect("recorded");
        assert_eq!((score.correct, score.total), (0, 1));
    }
}

/// Finishes an exam of the demo pack with the first question right and flagged, the others
/// missed, having spent `secs` seconds on the first.
fn finish_with_one_right(fx: &Fixture, app: &mut App, size: (u16, u16), secs: i64) {
    start(app, Mode::Exam);
    fx.advance(SignedDuration::from_secs(secs));
    if screen(app, size).contains("Choose two") {
        choose(app, size, "Write-through");
        choose(app, size, "Write-back");
    } else {
        choose_right(app, size);
    }
    app.press(Action::Flag);
    app.press(Action::Submit);
    app.press(Action::Check);
}

#[test]
fn the_review_narrows_to_the_incorrect_the_flagged_and_a_domain() {
    for size @ (w, h) in SIZES {
        let fx = demo();
        let mut app = app(&fx, w, h);
        finish_with_one_right(&fx, &mut app, size, 42);
        let results = screen(&app, size);
        assert!(results.contains("i incorrect"), "footer: {results}");
        app.type_char('i');
        let incorrect = screen(&app, size);
        assert!(
            incorrect.contains("Reviewing 4 of 5: incorrect"),
            "{incorrect}"
        );
        assert!(incorrect.contains("Question 2 of 5"), "{incorrect}");
        assert!(incorrect.contains("✗ Incorrect"), "{incorrect}");
        insta::assert_snapshot!(format!("review_incorrect_{w}x{h}"), incorrect);
        // Stepping back stays among the incorrect: question 1 was right.
        app.press(Action::PrevQuestion);
        assert!(screen(&app, size).contains("Question 2 of 5"));
        app.type_char('i');
        app.type_char('F');
        let flagged = screen(&app, size);
        assert!(flagged.contains("Reviewing 1 of 5: flagged"), "{flagged}");
        assert!(flagged.contains("Question 1 of 5"), "{flagged}");
        assert!(
            flagged.contains("✓ Correct · 0:42 on it"),
            "time spent: {flagged}"
        );
        insta::assert_snapshot!(format!("review_flagged_{w}x{h}"), flagged);
        app.press(Action::NextQuestion);
        assert!(
            screen(&app, size).contains("Question 1 of 5"),
            "the only one"
        );
        app.type_char('F');
        app.type_char('D');
        let domain = screen(&app, size);
        assert!(domain.contains("Reviewing 3 of 5: Core ideas"), "{domain}");
        insta::assert_snapshot!(format!("review_domain_{w}x{h}"), domain);
        app.type_char('D');
        assert!(screen(&app, size).contains("Reviewing 2 of 5: Operations"));
        app.type_char('D');
        assert!(!screen(&app, size).contains("Reviewing"), "all again");
    }
}

#[test]
fn o_in_the_review_reads_the_questions_note_and_comes_back_to_it() {
    let size = (100, 30);
    let fx = demo();
    let mut app = app(&fx, size.0, size.1);
    finish_with_one_right(&fx, &mut app, size, 5);
    assert!(
        !screen(&app, size).contains("o note"),
        "no note on the results"
    );
    app.press(Action::Check);
    app.press(Action::NextQuestion);
    app.press(Action::NextQuestion);
    let review = screen(&app, size);
    assert!(review.contains("Question 3 of 5"), "{review}");
    assert!(review.contains("o note"), "{review}");
    app.type_char('o');
    let note = screen(&app, size);
    assert!(note.contains("sysdeck › Demo Pack ›"), "{note}");
    assert!(!note.contains("Question 3 of 5"), "{note}");
    app.press(Action::Back);
    assert_eq!(screen(&app, size), review, "back at the same question");
}

/// The number on the line that starts "Readiness": the same on every screen.
fn readiness_figure(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.contains("Readiness ") && l.contains('%'))
        .unwrap_or_else(|| panic!("no readiness figure in:\n{text}"));
    line.split_whitespace()
        .find(|w| w.ends_with('%'))
        .unwrap()
        .to_string()
}

#[test]
fn readiness_is_one_number_on_home_stats_the_launcher_and_results() {
    for size @ (w, h) in SIZES {
        let fx = demo();
        let mut app = app(&fx, w, h);
        // Five exams of the demo pack's five questions: 15 answers to core, 10 to ops, the
        // minimum for a number.
        for round in 0..5 {
            fx.advance(SignedDuration::from_mins(10));
            start(&mut app, Mode::Exam);
            answer_all(&mut app, size);
            app.press(Action::Submit);
            app.press(Action::Check);
            if round < 4 {
                app.press(Action::Back);
                app.press(Action::Back);
            }
        }
        app.press(Action::Bottom);
        let results = screen(&app, size);
        let figure = readiness_figure(&results);
        insta::assert_snapshot!(format!("readiness_results_{w}x{h}"), results);
        app.press(Action::Back);
        let launcher = screen(&app, size);
        assert!(launcher.contains("Readiness · Demo Pack"), "{launcher}");
        assert_eq!(readiness_figure(&launcher), figure);
        insta::assert_snapshot!(format!("readiness_launcher_{w}x{h}"), launcher);
        app.go(Nav::Home, false);
        let home = screen(&app, size);
        assert_eq!(readiness_figure(&home), figure);
        insta::assert_snapshot!(format!("readiness_home_{w}x{h}"), home);
        app.go(Nav::Stats, false);
        app.press(Action::Bottom);
        let stats = screen(&app, size);
        assert_eq!(readiness_figure(&stats), figure);
        insta::assert_snapshot!(format!("readiness_stats_{w}x{h}"), stats);
    }
}

/// The SAA-C03 blueprint's domain names, up to 36 columns long.
const SAA_DOMAINS: [&str; 4] = [
    "Design Secure Architectures",
    "Design Resilient Architectures",
    "Design High-Performing Architectures",
    "Design Cost-Optimized Architectures",
];

#[test]
fn long_domain_names_are_whole_wherever_there_is_room() {
    let fx = fixture(&["content/system-design", "content/aws-saa"]);
    for size @ (w, h) in [(120, 40), (200, 50)] {
        let mut app = app(&fx, w, h);
        app.go(
            Nav::QuizSetup {
                pack: Some("aws-saa".into()),
            },
            false,
        );
        let launcher = screen(&app, size);
        for name in SAA_DOMAINS {
            assert!(launcher.contains(name), "{name}:\n{launcher}");
        }
        // An exam long enough to draw from every domain, submitted unanswered.
        let mut options = QuizOptions::new(Some("aws-saa".into()), Mode::Exam);
        options.count = Some(20);
        app.go(Nav::Quiz(QuizStart::New(options)), false);
        app.press(Action::Submit);
        app.press(Action::Check);
        let results = screen(&app, size);
        assert!(results.contains("By domain"), "{results}");
        for name in SAA_DOMAINS {
            assert!(results.contains(name), "{name}:\n{results}");
        }
    }
}

#[test]
fn at_80_columns_a_long_domain_gives_way_to_the_question_state() {
    let fx = fixture(&["content/system-design", "content/aws-saa"]);
    let size = (80, 24);
    let mut app = app(&fx, size.0, size.1);
    let mut options = QuizOptions::new(Some("aws-saa".into()), Mode::Practice);
    options.domain = Some("performant".into());
    app.go(Nav::Quiz(QuizStart::New(options)), false);
    app.press(Action::Flag);
    let shown = screen(&app, size);
    let header = shown
        .lines()
        .find(|l| l.contains("Question 1 of"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(header.contains("· Design High-"), "{header}");
    assert!(
        header.trim_end().ends_with("⚑ flagged  not answered"),
        "{header}"
    );
}

#[test]
fn an_empty_history_says_how_to_make_one() {
    let fx = demo();
    let mut app = app(&fx, 80, 24);
    app.go(Nav::QuizHistory, false);
    let text = screen(&app, (80, 24));
    assert!(
        text.contains("No attempts yet: e on home takes an exam."),
        "{text}"
    );
}

#[test]
fn readiness_lines_cut_at_80_columns_end_in_an_ellipsis() {
    let fx = fixture(&["content/system-design", "content/aws-saa"]);
    let mut app = app(&fx, 80, 24);
    // The exam pack selected: home shows its readiness.
    for _ in 0..2 {
        if !screen(&app, (80, 24)).contains("Exam readiness") {
            app.press(Action::Down);
        }
    }
    let home = screen(&app, (80, 24));
    let rows: Vec<&str> = home
        .lines()
        .filter(|l| l.contains("not enough evidence:"))
        .collect();
    assert_eq!(rows.len(), 4, "{home}");
    for row in rows {
        assert!(row.ends_with("…│"), "{row}");
    }
}
