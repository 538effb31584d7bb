use super::*;
use crate::quiz::QuestionKey;
use crate::srs::item::tests::library;
use crate::srs::{Filter, Grade, ItemKey, Next};

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
    assert!(matches!(again.next(now), Next::Card(e) if e.key.as_str() == "sd/c#c1"));
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
fn a_start_reads_the_progress_while_the_catalog_is_built_and_not_again() {
    let dir = tempfile::tempdir().unwrap();
    let now = at("2026-03-10T12:00:00Z");
    let graded = grade_first(&open(dir.path()), Grade::Good, now);
    let progress = Progress::open_for(dir.path(), &library()).unwrap();
    assert_eq!(progress.full_reads(), 1, "read as the database opened");
    progress
        .with_memory(|m| {
            assert_eq!(m.log.len(), 1);
            assert_eq!(m.log[0].item, graded.key);
            assert!(m.states.contains_key(&graded.key));
        })
        .unwrap();
    let stats = progress.stats(now).unwrap();
    assert_eq!(stats.total_reviews, 1);
    assert_eq!(
        progress.full_reads(),
        1,
        "the first screen reads nothing more"
    );
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

/// Everything the store holds, as `progress export` writes it.
fn exported(progress: &Progress) -> Vec<u8> {
    let mut out = Vec::new();
    crate::export::write(&progress.export().unwrap(), &mut out).unwrap();
    out
}

#[test]
fn a_suspended_card_leaves_the_queue_and_the_due_counts_until_unsuspended() {
    let dir = tempfile::tempdir().unwrap();
    let progress = open(dir.path());
    let now = at("2026-03-10T12:00:00Z");
    let events = progress.subscribe();
    let due = |p: &Progress| p.session(&Scope::default(), now).unwrap().counts();
    assert_eq!(due(&progress).new, 3);
    let key = ItemKey::new("sd/a");
    progress.suspend(&key, now).unwrap();
    assert_eq!(events.try_recv(), Ok(Event::Cards));
    assert!(
        progress
            .session(&Scope::default(), now)
            .unwrap()
            .next(now)
            .ne(&Next::Card(&crate::srs::QueueEntry {
                key: key.clone(),
                state: None,
                class: crate::srs::Class::New
            }))
    );
    let suspended = progress
        .browse(&Scope::default(), Filter::Suspended, now)
        .unwrap();
    assert_eq!(suspended.len(), 1);
    // Another process reading the file sees the same.
    let other = open(dir.path());
    assert_eq!(
        other
            .browse(&Scope::default(), Filter::Suspended, now)
            .unwrap(),
        suspended
    );
    assert!(progress.unsuspend(&key).unwrap());
    assert_eq!(due(&progress).new, 3);
}

#[test]
fn a_card_becoming_a_leech_is_suspended_and_undo_takes_that_back() {
    let dir = tempfile::tempdir().unwrap();
    let progress = open(dir.path());
    progress
        .save_settings(&crate::srs::Settings {
            leech_threshold: 1,
            ..crate::srs::Settings::default()
        })
        .unwrap();
    let s = progress.scheduler().unwrap();
    let key = ItemKey::new("sd/a");
    let mut now = at("2026-03-10T12:00:00Z");
    let mut state = None;
    // Learn the card to a review interval, then forget it once: its first lapse.
    for grade in [Grade::Easy, Grade::Again] {
        let answer = s.grade(&key, state.as_ref(), grade, now, 0).unwrap();
        let committed = progress.grade(&answer, &s).unwrap();
        now = committed.after.due;
        state = Some(committed.after.clone());
        if grade == Grade::Again {
            assert!(progress.made_leech(&committed).unwrap());
            let leeches = progress.browse(&Scope::default(), Filter::Leeches, now);
            assert_eq!(
                leeches.unwrap()[0].status,
                crate::srs::CardStatus::Suspended
            );
            progress.undo(&committed, &s).unwrap();
        }
    }
    let held = progress.browse(&Scope::default(), Filter::Suspended, now);
    assert!(held.unwrap().is_empty(), "the undo unsuspended it");
}

#[test]
fn cram_leaves_the_database_byte_for_byte_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let progress = open(dir.path());
    let now = at("2026-03-10T12:00:00Z");
    grade_first(&progress, Grade::Good, now);
    let db = dir.path().join(DB_FILE);
    let before = (exported(&progress), std::fs::read(&db).unwrap());
    let mut cram = progress.cram(&Scope::default(), now).unwrap();
    let mut answered = 0;
    while let Next::Card(_) = cram.next(now) {
        cram.answer(Grade::Good, now, 0).unwrap();
        answered += 1;
    }
    assert_eq!(answered, 5, "every card, the one already learnt too");
    assert!(cram.is_cram());
    assert_eq!((exported(&progress), std::fs::read(&db).unwrap()), before);
}

#[test]
fn review_ahead_grades_land_with_the_real_elapsed_days() {
    let dir = tempfile::tempdir().unwrap();
    let progress = open(dir.path());
    let t0 = at("2026-03-10T12:00:00Z");
    let first = grade_first(&progress, Grade::Easy, t0);
    let due = first.after.due;
    let days = progress.scheduler().unwrap().clock().days_between(t0, due) as u32;
    assert!(days >= 2, "an easy first answer waits days: {days}");
    // The next day, nothing is due, but reviewing ahead over the interval offers the card.
    let t1 = at("2026-03-11T12:00:00Z");
    assert_eq!(
        progress
            .session(&Scope::default(), t1)
            .unwrap()
            .counts()
            .review,
        0
    );
    assert_eq!(
        progress
            .session_ahead(&Scope::default(), 1, t1)
            .unwrap()
            .counts()
            .review,
        0
    );
    let mut ahead = progress.session_ahead(&Scope::default(), days, t1).unwrap();
    assert!(matches!(ahead.next(t1), Next::Card(e) if e.key == first.key));
    let answer = ahead.answer(Grade::Good, t1, 0).unwrap();
    let committed = progress.grade(&answer, ahead.scheduler()).unwrap();
    assert_eq!(
        committed.log.elapsed_days, 1,
        "a day after the first answer"
    );
    assert!(committed.after.due > t1);
    assert_eq!(progress.log().unwrap().len(), 2);
}

#[test]
fn extra_new_cards_raise_only_todays_limit() {
    let dir = tempfile::tempdir().unwrap();
    let progress = open(dir.path());
    progress
        .save_settings(&crate::srs::Settings {
            new_per_day: 1,
            ..crate::srs::Settings::default()
        })
        .unwrap();
    let now = at("2026-03-10T12:00:00Z");
    let new = |p: &Progress, t| p.session(&Scope::default(), t).unwrap().counts().new;
    assert_eq!(new(&progress, now), 1);
    assert_eq!(progress.add_extra_new("sd", 1, now).unwrap(), 1);
    assert_eq!(new(&progress, now), 2);
    assert_eq!(new(&open(dir.path()), now), 2, "kept in the file");
    let tomorrow = at("2026-03-11T12:00:00Z");
    assert_eq!(new(&progress, tomorrow), 1, "today only");
    assert_eq!(progress.extra_new_today("sd", now).unwrap(), 1);
    assert_eq!(progress.extra_new_today("sd", tomorrow).unwrap(), 0);
}

#[test]
fn a_reset_card_is_new_again_with_its_reviews_kept() {
    let dir = tempfile::tempdir().unwrap();
    let progress = open(dir.path());
    let now = at("2026-03-10T12:00:00Z");
    let first = grade_first(&progress, Grade::Easy, now);
    let later = at("2026-03-10T12:01:00Z");
    progress.reset(&first.key, later).unwrap();
    let rows = progress
        .browse(&Scope::default(), Filter::All, later)
        .unwrap();
    let row = rows.iter().find(|r| r.key == first.key).unwrap();
    assert_eq!((row.status, row.reviews), (crate::srs::CardStatus::New, 0));
    assert_eq!(
        progress.stats(later).unwrap().total_reviews,
        1,
        "history kept"
    );
    assert!(progress.check().unwrap().is_clean());
}

/// Answers the pack's question `q` right in a practice of its own, started at `at`.
fn practice_q(progress: &Progress, lib: &Library, at: UnixMillis) {
    use crate::quiz::{Action, Effect, QuizItem, QuizSession, SessionSpec};
    let item = QuizItem::find(&lib.packs, &QuestionKey::new("sd", "q")).unwrap();
    let spec = SessionSpec::practice(Some("sd"), None);
    let mut s = QuizSession::new(spec, vec![item], 1, at).unwrap();
    let right = s
        .current_question()
        .choices
        .iter()
        .position(|c| c.pack_index == 0)
        .unwrap();
    s.handle(Action::Choose(right), at);
    s.handle(Action::Reveal, at);
    for effect in s.handle(Action::Quit, at) {
        if let Effect::Finished(outcome) = effect {
            progress.finish_attempt(&outcome).unwrap();
        }
    }
}

#[test]
fn readiness_counts_quiz_answers_and_the_domains_cards() {
    let mut lib = library();
    lib.packs[0].manifest.domains = vec![crate::content::Domain {
        id: "design".into(),
        name: "Design".into(),
        weight: None,
    }];
    let dir = tempfile::tempdir().unwrap();
    let progress =
        Progress::open_in(dir.path(), Catalog::from_library(&lib), TimeZone::UTC).unwrap();
    let now = at("2026-03-10T12:00:00Z");
    // Card `a` (note caching, domain design) learned now: retrievability 1. The cloze's two
    // deletions are of the same note and not studied: 0. Card `b` has no note, so no domain,
    // and the question is not a card. Recall = (1 + 0 + 0) / 3.
    let first = grade_first(&progress, Grade::Good, now);
    assert_eq!(first.key.as_str(), "sd/a");
    for i in 0..9 {
        practice_q(&progress, &lib, now.as_millisecond() - 1_000 * (i + 1));
    }
    let r = progress.readiness(&lib.packs[0], now).unwrap();
    let design = &r.domains[0];
    assert_eq!((design.answers, design.cards), (9, 3));
    assert!(
        (design.recall.unwrap() - 1.0 / 3.0).abs() < 1e-6,
        "{design:?}"
    );
    assert_eq!(r.overall, None, "nine answers are not enough");
    // The tenth: 10 right, accuracy 1; 0.7 * 1 + 0.3 * 1/3 = 0.8.
    practice_q(&progress, &lib, now.as_millisecond() - 20_000);
    let r = progress.readiness(&lib.packs[0], now).unwrap();
    assert_eq!(r.domains[0].answers, 10);
    assert!((r.overall.unwrap() - 0.8).abs() < 1e-6, "{r:?}");
}
