use super::*;
use crate::quiz::QuestionKey;
use crate::srs::item::tests::library;
use crate::srs::{Grade, Next};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn open(dir: &Path) -> Progress {
    Progress::open_in(dir, Catalog::from_library(&library()), TimeZone::UTC).unwrap()
}

/// Grades the first card of today's session with `grade` and returns its key.
fn grade_first(progress: &Progress, grade: Grade, now: Timestamp) -> Answer {
    let mut session = progress.session(&Scope::default(), now).unwrap();
    assert!(matches!(session.next(now), Next::Card(_)));
    let answer = session.answer(grade, now, 0).unwrap();
    progress.grade(&answer, session.scheduler()).unwrap()
}

#[test]
fn a_session_resumes_from_what_was_committed() {
    let dir = tempfile::tempdir().unwrap();
    let progress = open(dir.path());
    let now = at("2026-03-10T12:00:00Z");
    let first = grade_first(&progress, Grade::Easy, now);
    assert_eq!(first.key.as_str(), "sd/a");
    let mut again = progress.session(&Scope::default(), now).unwrap();
    assert!(matches!(again.next(now), Next::Card(e) if e.key.as_str() == "sd/b"));
    let stats = progress.stats(now).unwrap();
    assert_eq!((stats.total_reviews, stats.states.review), (1, 1));
}

#[test]
fn memory_matches_the_file_after_grades_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let progress = open(dir.path());
    let now = at("2026-03-10T12:00:00Z");
    let kept = grade_first(&progress, Grade::Good, now);
    let taken_back = grade_first(&progress, Grade::Again, now);
    progress
        .undo(&taken_back, &progress.scheduler().unwrap())
        .unwrap();
    let file = Store::open_in(dir.path()).unwrap();
    progress
        .with_memory(|m| {
            assert_eq!(m.states, file.states().unwrap());
            assert_eq!(m.log, file.log().unwrap());
            assert_eq!(m.log.len(), 1);
            assert_eq!(m.log[0].item, kept.key);
        })
        .unwrap();
}

#[test]
fn another_process_commits_are_seen_on_the_next_read() {
    let dir = tempfile::tempdir().unwrap();
    let progress = open(dir.path());
    let now = at("2026-03-10T12:00:00Z");
    assert_eq!(progress.stats(now).unwrap().total_reviews, 0);
    let other = open(dir.path());
    grade_first(&other, Grade::Good, now);
    assert_eq!(progress.stats(now).unwrap().total_reviews, 1);
}

#[test]
fn subscribers_hear_each_change_and_missed_questions_join_the_queue_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let progress = open(dir.path());
    let now = at("2026-03-10T12:00:00Z");
    let events = progress.subscribe();
    let before = progress.stats(now).unwrap();
    let added = progress
        .enroll_questions(&[QuestionKey::new("sd", "q")], now.as_millisecond())
        .unwrap();
    assert_eq!(added, 1);
    assert_eq!(events.try_recv(), Ok(Event::Enrolled(1)));
    let after = progress.stats(now).unwrap();
    assert_eq!(after.states.new, before.states.new, "not a new card");
    assert_eq!(after.states.learning, before.states.learning + 1);
    assert_eq!(
        after.forecast[0].count,
        before.forecast[0].count + 1,
        "due today"
    );
    let mut session = progress.session(&Scope::default(), now).unwrap();
    assert_eq!(session.counts().learning, 1);
    assert!(
        matches!(session.next(now), Next::Card(e) if e.key.as_str() == "sd/q"),
        "the missed question comes first"
    );
    grade_first(&progress, Grade::Good, now);
    assert_eq!(events.try_recv(), Ok(Event::Reviewed));
    assert!(events.try_recv().is_err(), "one event per change");
}
