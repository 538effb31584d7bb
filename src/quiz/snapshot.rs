//! The attempt as it is saved: everything needed to resume it mid-exam, to review it later in
//! the order the learner saw, and to keep it in the history.
//!
//! Answers are stored as the pack's choice indexes, not displayed positions, so they stay
//! meaningful to anything that reads them without replaying the shuffle; the displayed order
//! is recomputed from `seed`.

use serde::{Deserialize, Serialize};

use super::spec::{SessionSpec, Timer};
use super::{QuestionKey, UnixMillis};

/// One question of an attempt and the learner's answer to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerState {
    pub key: QuestionKey,
    /// Pack choice indexes, ascending.
    pub chosen: Vec<usize>,
    pub flagged: bool,
    /// Time spent on this question's screen.
    pub time_ms: UnixMillis,
    /// When the answer last changed; `None` while nothing is chosen.
    pub answered_at: Option<UnixMillis>,
    /// The answer is final: its feedback was shown (practice) or its own time ran out.
    pub locked: bool,
}

impl AnswerState {
    pub(crate) fn new(key: QuestionKey) -> Self {
        AnswerState {
            key,
            chosen: Vec::new(),
            flagged: false,
            time_ms: 0,
            answered_at: None,
            locked: false,
        }
    }
}

/// A whole attempt; serialize it with `serde_json` to store it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptSnapshot {
    /// Mode, pack, timer and pass mark.
    pub spec: SessionSpec,
    pub seed: u64,
    pub started_at: UnixMillis,
    /// When this snapshot was taken.
    pub updated_at: UnixMillis,
    pub finished_at: Option<UnixMillis>,
    /// Finished by the timer rather than by the learner.
    pub auto_submitted: bool,
    /// Time spent in the attempt; time while it was closed does not count.
    pub used_ms: UnixMillis,
    /// The question on screen, so a resumed attempt opens where it was left.
    pub current: usize,
    /// In the order asked.
    pub questions: Vec<AnswerState>,
}

impl AttemptSnapshot {
    /// Time left on an exam clock, for "resume with 1:12:40 left".
    pub fn remaining_ms(&self) -> Option<UnixMillis> {
        match self.spec.timer {
            Timer::Total { ms } => Some((ms - self.used_ms).max(0)),
            Timer::Untimed | Timer::PerQuestion { .. } => None,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.finished_at.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::QuizError;
    use crate::quiz::fixture::{MINUTE, session, shown, shown_order, small_pack};
    use crate::quiz::session::{Action, Effect, Phase, QuizSession};

    const T0: UnixMillis = 1_700_000_000_000;
    const DAY: UnixMillis = 86_400_000;

    fn exam() -> QuizSession {
        session(SessionSpec::exam(&small_pack(), None).unwrap(), T0)
    }

    fn saved(effects: Vec<Effect>) -> AttemptSnapshot {
        effects
            .into_iter()
            .find_map(|e| match e {
                Effect::Save(s) => Some(*s),
                _ => None,
            })
            .expect("a save")
    }

    fn orders(s: &QuizSession) -> Vec<Vec<usize>> {
        (0..s.len()).map(|q| shown_order(s, q)).collect()
    }

    /// Through JSON, as the store keeps it.
    fn stored(snapshot: &AttemptSnapshot) -> AttemptSnapshot {
        serde_json::from_str(&serde_json::to_string(snapshot).unwrap()).unwrap()
    }

    #[test]
    fn resume_restores_answers_flags_and_remaining_time() {
        let mut s = exam();
        let at = shown(&s, 0);
        s.handle(Action::Choose(at), T0 + MINUTE);
        s.handle(Action::Goto(1), T0 + MINUTE);
        s.handle(Action::Flag, T0 + 2 * MINUTE);
        let at = shown(&s, 3);
        s.handle(Action::Choose(at), T0 + 3 * MINUTE);
        let snapshot = stored(&saved(s.handle(Action::Quit, T0 + 4 * MINUTE)));
        assert_eq!(snapshot.remaining_ms(), Some(6 * MINUTE));
        assert!(!snapshot.is_finished());

        // A day later the clock has not moved while the attempt was closed.
        let later = T0 + DAY;
        let mut r = QuizSession::resume(snapshot.clone(), &[small_pack()], later).unwrap();
        assert_eq!(r.phase(), Phase::Answering);
        assert_eq!(r.current(), 1);
        assert_eq!(r.remaining_ms(later), Some(6 * MINUTE));
        assert_eq!(r.snapshot(), &snapshot);
        assert_eq!(orders(&r), orders(&s));
        assert!(r.question(1).unwrap().flagged);
        let chosen: Vec<Vec<usize>> = r
            .snapshot()
            .questions
            .iter()
            .map(|a| a.chosen.clone())
            .collect();
        assert_eq!(chosen, [vec![0], vec![3], vec![], vec![]]);
        let times: Vec<UnixMillis> = r.snapshot().questions.iter().map(|a| a.time_ms).collect();
        assert_eq!(times, [MINUTE, 3 * MINUTE, 0, 0]);

        // And the restored clock still runs out.
        r.handle(Action::Tick, later + 6 * MINUTE - 1);
        assert_eq!(r.phase(), Phase::Answering);
        let effects = r.handle(Action::Tick, later + 6 * MINUTE);
        let Some(Effect::Finished(outcome)) = effects.first() else {
            panic!("{effects:?}")
        };
        assert!(outcome.snapshot.auto_submitted);
        assert_eq!(outcome.score.used_ms, 10 * MINUTE);
    }

    #[test]
    fn a_finished_attempt_reopens_for_review_in_the_same_order() {
        let mut s = exam();
        s.handle(Action::RequestSubmit, T0 + MINUTE);
        let effects = s.handle(Action::ConfirmSubmit, T0 + MINUTE);
        let Some(Effect::Finished(outcome)) = effects.first() else {
            panic!("{effects:?}")
        };
        let snapshot = stored(&outcome.snapshot);
        assert!(snapshot.is_finished());
        let r = QuizSession::resume(snapshot, &[small_pack()], T0 + DAY).unwrap();
        assert_eq!(r.phase(), Phase::Finished);
        assert_eq!(orders(&r), orders(&s));
        assert_eq!(r.score(), outcome.score);
        let review = r.question(1).unwrap();
        assert!(review.marking.is_some());
        assert!(review.choices.iter().all(|c| c.key.is_some()));
    }

    #[test]
    fn the_practice_exam_is_saved_and_attempts_saved_without_it_still_load() {
        let practice = crate::quiz::PracticeExamRef { number: 3, of: 6 };
        let spec = SessionSpec {
            practice_exam: Some(practice),
            ..SessionSpec::exam(&small_pack(), None).unwrap()
        };
        let mut s = session(spec, T0);
        let snapshot = stored(&saved(s.handle(Action::Quit, T0 + MINUTE)));
        assert_eq!(snapshot.spec.practice_exam, Some(practice));
        let r = QuizSession::resume(snapshot, &[small_pack()], T0 + DAY).unwrap();
        assert_eq!(r.spec().practice_exam, Some(practice));

        // A random exam is saved as attempts were before practice exams: without the key.
        let json = serde_json::to_value(exam().snapshot()).unwrap();
        assert!(json["spec"].get("practice_exam").is_none(), "{json}");
        let old: AttemptSnapshot = serde_json::from_value(json).unwrap();
        assert_eq!(old.spec.practice_exam, None);
    }

    #[test]
    fn resume_needs_the_questions_and_drops_choices_since_removed() {
        let mut s = exam();
        s.handle(Action::Goto(1), T0);
        let at = shown(&s, 4);
        let snapshot = saved(s.handle(Action::Choose(at), T0));
        let mut edited = small_pack();
        edited.questions[1].choices.truncate(4);
        let r = QuizSession::resume(snapshot.clone(), &[edited], T0).unwrap();
        assert!(r.snapshot().questions[1].chosen.is_empty());
        let mut removed = small_pack();
        removed.questions.remove(2);
        let err = QuizSession::resume(snapshot, &[removed], T0).unwrap_err();
        assert_eq!(
            err,
            QuizError::MissingQuestion {
                key: "p/c3".parse().unwrap()
            }
        );
        assert_eq!(
            err.to_string(),
            "question `p/c3` of the saved attempt is no longer in the loaded packs"
        );
    }
}
