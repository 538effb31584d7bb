//! The quiz state machine: actions and the current time in, effects out.
//!
//! One type drives all three modes. An exam hides the key until the end, runs one clock for
//! the whole attempt and submits itself when it reaches zero. Practice and drill lock and mark
//! a question when the learner asks (or when its own clock runs out) and show the key at once.
//!
//! Time is counted from the `now` of one call to the next while the session is open, so the
//! clock stops while an attempt is saved and closed, and resuming restores the time left. A
//! clock that steps backwards counts as no time passing.

use super::score::{AnswerRecord, Score, is_correct};
use super::seeded;
use super::snapshot::{AnswerState, AttemptSnapshot};
use super::spec::{Mode, SessionSpec, Timer};
use super::{QuizError, QuizItem, UnixMillis};
use crate::content::Pack;

/// How much attempt time may pass between saves while the learner only reads, so a crash
/// loses at most this much of an exam.
pub const AUTOSAVE_MS: UnixMillis = 15_000;

/// What the learner does. Choice positions are as displayed, not as in the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Selects a choice of a single-answer question, or toggles one of a multiple-response one.
    Choose(usize),
    Next,
    Prev,
    Goto(usize),
    /// Toggles the review flag of the current question.
    Flag,
    /// Asks to submit: opens the confirmation ([`Phase::Confirming`]).
    RequestSubmit,
    ConfirmSubmit,
    /// Closes the confirmation.
    Cancel,
    /// Time passed; send it about once a second so the clocks move and expire.
    Tick,
    /// Practice and drill: lock the current answer and mark it.
    Reveal,
    /// Leave: an exam is saved to resume later, practice and drill finish with what was marked.
    Quit,
}

/// Where the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Answering,
    /// The submit confirmation is open; only confirm, cancel, tick and quit apply.
    Confirming,
    /// Submitted; only navigation applies, for the review.
    Finished,
}

/// A question just marked in practice or drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feedback {
    pub index: usize,
    pub correct: bool,
    /// Locked by its own clock rather than by the learner.
    pub timed_out: bool,
}

/// A finished attempt: what the store records and the results screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub snapshot: AttemptSnapshot,
    pub score: Score,
    /// One per marked question (every question of an exam), for the history.
    pub answers: Vec<AnswerRecord>,
}

/// What the caller must do after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Persist the attempt (an upsert: the same attempt is saved many times).
    Save(Box<AttemptSnapshot>),
    /// Show the marking of a question.
    Feedback(Feedback),
    /// Record the finished attempt and show its results.
    Finished(Box<Outcome>),
    /// Close the quiz screen.
    Exit,
}

/// One attempt in progress or under review.
#[derive(Debug, Clone)]
pub struct QuizSession {
    pub(super) items: Vec<QuizItem>,
    /// Per question: `orders[q][shown] = pack choice index`.
    pub(super) orders: Vec<Vec<usize>>,
    pub(super) state: AttemptSnapshot,
    pub(super) phase: Phase,
    /// The last `now` accounted for.
    mark: UnixMillis,
    /// `used_ms` at the last save.
    saved_used_ms: UnixMillis,
}

impl QuizSession {
    /// Starts an attempt over `items` in the order given (as drawn by `select`).
    ///
    /// `seed` is the one the items were drawn with; it also orders each question's choices
    /// and draws the numbers of lab questions.
    pub fn new(
        spec: SessionSpec,
        items: Vec<QuizItem>,
        seed: u64,
        now: UnixMillis,
    ) -> Result<Self, QuizError> {
        if items.is_empty() {
            return Err(QuizError::NoQuestions);
        }
        let items: Vec<QuizItem> = items.into_iter().map(|i| i.generated(seed)).collect();
        let state = AttemptSnapshot {
            spec,
            seed,
            started_at: now,
            updated_at: now,
            finished_at: None,
            auto_submitted: false,
            used_ms: 0,
            current: 0,
            questions: items
                .iter()
                .map(|i| AnswerState::new(i.key.clone()))
                .collect(),
        };
        Ok(Self::open(items, state, now))
    }

    /// Reopens a saved attempt: in progress with its answers, flags and time left, or
    /// finished for review. Questions are looked up in `packs` by key; answers to choices a
    /// pack edit has since removed are dropped.
    pub fn resume(
        mut snapshot: AttemptSnapshot,
        packs: &[Pack],
        now: UnixMillis,
    ) -> Result<Self, QuizError> {
        let items = snapshot
            .questions
            .iter()
            .map(|a| QuizItem::find(packs, &a.key).map(|i| i.generated(snapshot.seed)))
            .collect::<Result<Vec<_>, _>>()?;
        if items.is_empty() {
            return Err(QuizError::NoQuestions);
        }
        for (answer, item) in snapshot.questions.iter_mut().zip(&items) {
            answer.chosen.retain(|&c| c < item.question.choices.len());
        }
        snapshot.current = snapshot.current.min(items.len() - 1);
        Ok(Self::open(items, snapshot, now))
    }

    fn open(items: Vec<QuizItem>, state: AttemptSnapshot, now: UnixMillis) -> Self {
        let orders = items
            .iter()
            .map(|i| seeded::choice_order(state.seed, &i.key, i.question.choices.len()))
            .collect();
        let phase = match state.finished_at {
            Some(_) => Phase::Finished,
            None => Phase::Answering,
        };
        QuizSession {
            items,
            orders,
            saved_used_ms: state.used_ms,
            state,
            phase,
            mark: now,
        }
    }

    /// Applies one action at time `now`.
    ///
    /// Time runs out before the action applies: an action that arrives after the exam clock
    /// reached zero submits the exam and is itself ignored.
    pub fn handle(&mut self, action: Action, now: UnixMillis) -> Vec<Effect> {
        if self.phase == Phase::Finished {
            self.navigate(action);
            return Vec::new();
        }
        self.account(now);
        if self.time_up() {
            return vec![self.finish(now, true)];
        }
        let mut effects = Vec::new();
        let mut changed = false;
        if let Some(feedback) = self.expire_question() {
            effects.extend(self.feedback(feedback));
            changed = true;
        }
        match (self.phase, action) {
            (_, Action::Quit) => {
                if self.state.spec.mode == Mode::Exam {
                    effects.push(self.save(now));
                } else {
                    effects.push(self.finish(now, false));
                }
                effects.push(Effect::Exit);
                return effects;
            }
            (Phase::Confirming, Action::ConfirmSubmit) => {
                effects.push(self.finish(now, false));
                return effects;
            }
            (Phase::Confirming, Action::Cancel) => self.phase = Phase::Answering,
            (_, Action::Tick) => changed |= self.state.used_ms - self.saved_used_ms >= AUTOSAVE_MS,
            (Phase::Answering, Action::Choose(shown)) => changed |= self.choose(shown, now),
            (Phase::Answering, Action::Flag) => {
                let answer = &mut self.state.questions[self.state.current];
                answer.flagged = !answer.flagged;
                changed = true;
            }
            (Phase::Answering, Action::RequestSubmit) => self.phase = Phase::Confirming,
            (Phase::Answering, Action::Reveal) if self.state.spec.mode.immediate_feedback() => {
                if let Some(feedback) = self.lock(self.state.current, now, false) {
                    effects.extend(self.feedback(feedback));
                    changed = true;
                }
            }
            (Phase::Answering, _) => changed |= self.navigate(action),
            (Phase::Confirming | Phase::Finished, _) => {}
        }
        if changed {
            effects.push(self.save(now));
        }
        effects
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn spec(&self) -> &SessionSpec {
        &self.state.spec
    }

    /// The attempt as it would be saved now.
    pub fn snapshot(&self) -> &AttemptSnapshot {
        &self.state
    }

    pub fn items(&self) -> &[QuizItem] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Never true: a session has at least one question.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn current(&self) -> usize {
        self.state.current
    }

    /// Time on the clock that applies now: the exam's, or the current question's (while it is
    /// still open). For drawing; does not change the session.
    pub fn remaining_ms(&self, now: UnixMillis) -> Option<UnixMillis> {
        let pending = self.pending(now);
        let current = &self.state.questions[self.state.current];
        match self.state.spec.timer {
            Timer::Total { ms } => Some((ms - self.state.used_ms - pending).max(0)),
            Timer::PerQuestion { ms } if !current.locked && self.phase == Phase::Answering => {
                Some((ms - current.time_ms - pending).max(0))
            }
            Timer::PerQuestion { .. } | Timer::Untimed => None,
        }
    }

    /// Time spent in the attempt up to `now`.
    pub fn used_ms(&self, now: UnixMillis) -> UnixMillis {
        let used = self.state.used_ms + self.pending(now);
        match self.state.spec.timer {
            Timer::Total { ms } => used.min(ms),
            Timer::PerQuestion { .. } | Timer::Untimed => used,
        }
    }

    /// The results so far: every question of an exam, the marked ones of practice and drill.
    pub fn score(&self) -> Score {
        let marks = self
            .counted()
            .map(|i| (self.items[i].question.domain.clone(), self.is_correct(i)));
        let spec = &self.state.spec;
        Score::new(marks, &spec.domains, spec.pass_score, self.state.used_ms)
    }

    pub(super) fn is_correct(&self, index: usize) -> bool {
        is_correct(
            &self.items[index].question,
            &self.state.questions[index].chosen,
        )
    }

    /// Whether a question's key may be shown: after the end, or once marked in practice.
    pub(super) fn key_shown(&self, index: usize) -> bool {
        self.phase == Phase::Finished
            || self.state.spec.mode.immediate_feedback() && self.state.questions[index].locked
    }

    /// The questions a score covers.
    fn counted(&self) -> impl Iterator<Item = usize> + '_ {
        let all = self.state.spec.mode == Mode::Exam;
        (0..self.items.len()).filter(move |&i| all || self.state.questions[i].locked)
    }

    fn pending(&self, now: UnixMillis) -> UnixMillis {
        match self.phase {
            Phase::Finished => 0,
            Phase::Answering | Phase::Confirming => (now - self.mark).max(0),
        }
    }

    /// Charges the time since the last call to the attempt and to the question on screen,
    /// never past the exam clock.
    fn account(&mut self, now: UnixMillis) {
        let mut elapsed = (now - self.mark).max(0);
        self.mark = self.mark.max(now);
        if let Timer::Total { ms } = self.state.spec.timer {
            elapsed = elapsed.min((ms - self.state.used_ms).max(0));
        }
        self.state.used_ms += elapsed;
        if self.phase == Phase::Answering {
            self.state.questions[self.state.current].time_ms += elapsed;
        }
    }

    fn time_up(&self) -> bool {
        matches!(self.state.spec.timer, Timer::Total { ms } if self.state.used_ms >= ms)
    }

    /// Locks the current question when its own clock has run out.
    fn expire_question(&mut self) -> Option<Feedback> {
        let Timer::PerQuestion { ms } = self.state.spec.timer else {
            return None;
        };
        let current = self.state.current;
        let answer = &self.state.questions[current];
        if self.phase != Phase::Answering || answer.time_ms < ms {
            return None;
        }
        self.lock(current, self.mark, true)
    }

    /// Makes a question's answer final and marks it.
    fn lock(&mut self, index: usize, now: UnixMillis, timed_out: bool) -> Option<Feedback> {
        let answer = &mut self.state.questions[index];
        if answer.locked {
            return None;
        }
        answer.locked = true;
        answer.answered_at.get_or_insert(now);
        Some(Feedback {
            index,
            correct: self.is_correct(index),
            timed_out,
        })
    }

    /// Feedback is an effect only where it is shown; an exam keeps its marking to the end.
    fn feedback(&self, feedback: Feedback) -> Option<Effect> {
        self.state
            .spec
            .mode
            .immediate_feedback()
            .then_some(Effect::Feedback(feedback))
    }

    /// Selects or toggles the choice shown at `shown` of the current question.
    fn choose(&mut self, shown: usize, now: UnixMillis) -> bool {
        let current = self.state.current;
        let Some(&choice) = self.orders[current].get(shown) else {
            return false;
        };
        let multiple = self.items[current].question.is_multiple_response();
        let answer = &mut self.state.questions[current];
        if answer.locked || !multiple && answer.chosen == [choice] {
            return false;
        }
        match (multiple, answer.chosen.binary_search(&choice)) {
            (false, _) => answer.chosen = vec![choice],
            (true, Ok(at)) => {
                answer.chosen.remove(at);
            }
            (true, Err(at)) => answer.chosen.insert(at, choice),
        }
        answer.answered_at = (!answer.chosen.is_empty()).then_some(now);
        true
    }

    /// Moves between questions; whether the current question changed.
    fn navigate(&mut self, action: Action) -> bool {
        let current = self.state.current;
        let target = match action {
            Action::Next => current + 1,
            Action::Prev => current.wrapping_sub(1),
            Action::Goto(i) => i,
            _ => return false,
        };
        if target >= self.items.len() || target == current {
            return false;
        }
        self.state.current = target;
        true
    }

    fn save(&mut self, now: UnixMillis) -> Effect {
        self.state.updated_at = now;
        self.saved_used_ms = self.state.used_ms;
        Effect::Save(Box::new(self.state.clone()))
    }

    fn finish(&mut self, now: UnixMillis, auto_submitted: bool) -> Effect {
        self.phase = Phase::Finished;
        self.state.finished_at = Some(now);
        self.state.updated_at = now;
        self.state.auto_submitted = auto_submitted;
        let answers = self
            .counted()
            .map(|i| {
                let answer = &self.state.questions[i];
                AnswerRecord {
                    key: answer.key.clone(),
                    chosen: answer.chosen.clone(),
                    correct: self.is_correct(i),
                    time_ms: answer.time_ms,
                    answered_at: answer.answered_at.unwrap_or(now),
                }
            })
            .collect();
        Effect::Finished(Box::new(Outcome {
            snapshot: self.state.clone(),
            score: self.score(),
            answers,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::fixture::{MINUTE, SEED, lab_pack, session, shown, shown_order, small_pack};
    use crate::quiz::view::AnswerStatus;

    const T0: UnixMillis = 1_700_000_000_000;

    fn exam(minutes: u32) -> QuizSession {
        session(SessionSpec::exam(&small_pack(), Some(minutes)).unwrap(), T0)
    }

    fn practice(per_question_ms: Option<UnixMillis>) -> QuizSession {
        session(SessionSpec::practice(Some("p"), per_question_ms), T0)
    }

    fn finished(effects: &[Effect]) -> Option<&Outcome> {
        effects.iter().find_map(|e| match e {
            Effect::Finished(outcome) => Some(outcome.as_ref()),
            _ => None,
        })
    }

    fn saves(effects: &[Effect]) -> usize {
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Save(_)))
            .count()
    }

    /// Answers the current question with pack choices `choices`.
    fn answer(s: &mut QuizSession, choices: &[usize], now: UnixMillis) {
        for &c in choices {
            let at = shown(s, c);
            s.handle(Action::Choose(at), now);
        }
    }

    #[test]
    fn the_spec_comes_from_the_pack() {
        let spec = SessionSpec::exam(&small_pack(), None).unwrap();
        assert_eq!(spec.timer, Timer::Total { ms: 10 * MINUTE });
        assert_eq!(spec.pass_score, Some(720));
        assert_eq!(spec.domains, ["secure", "cost"]);
        let mut no_exam = small_pack();
        no_exam.manifest.exam = None;
        assert!(SessionSpec::exam(&no_exam, None).is_err());
        assert!(QuizSession::new(spec, Vec::new(), 1, T0).is_err());
    }

    #[test]
    fn timer_expiry_auto_submits_at_the_next_tick() {
        let mut s = exam(1);
        answer(&mut s, &[0], T0 + 1_000);
        assert_eq!(s.remaining_ms(T0 + 20_000), Some(40_000));
        assert!(finished(&s.handle(Action::Tick, T0 + 59_999)).is_none());
        assert_eq!(s.phase(), Phase::Answering);
        let effects = s.handle(Action::Tick, T0 + 60_000);
        let outcome = finished(&effects).expect("auto-submitted");
        assert!(outcome.snapshot.auto_submitted);
        assert_eq!(outcome.snapshot.finished_at, Some(T0 + 60_000));
        assert_eq!(outcome.score.used_ms, MINUTE);
        assert_eq!((outcome.score.correct, outcome.score.total), (1, 4));
        assert_eq!(
            outcome.answers.len(),
            4,
            "unanswered questions are recorded as wrong"
        );
        assert_eq!(s.phase(), Phase::Finished);
        assert_eq!(s.remaining_ms(T0 + 90_000), Some(0));
    }

    #[test]
    fn an_action_after_time_is_up_submits_instead_of_applying() {
        let mut s = exam(1);
        s.handle(Action::Next, T0 + 10_000);
        // The app was suspended past the deadline; the late key press must not count.
        let effects = s.handle(Action::Choose(0), T0 + 5 * MINUTE);
        let outcome = finished(&effects).expect("auto-submitted");
        assert!(outcome.snapshot.questions[1].chosen.is_empty());
        assert_eq!(outcome.snapshot.used_ms, MINUTE, "capped at the limit");
        assert_eq!(s.used_ms(T0 + 10 * MINUTE), MINUTE);
        // Finished: only review navigation applies.
        assert!(s.handle(Action::Flag, T0 + 6 * MINUTE).is_empty());
        s.handle(Action::Goto(3), T0 + 6 * MINUTE);
        assert_eq!(s.current(), 3);
        assert!(!s.current_question().flagged);
    }

    #[test]
    fn choices_map_back_to_pack_indexes_in_a_seeded_order() {
        let a = exam(10);
        let b = exam(10);
        for q in 0..4 {
            assert_eq!(shown_order(&a, q), shown_order(&b, q));
        }
        let pack = small_pack();
        let items: Vec<QuizItem> = pack
            .questions
            .iter()
            .map(|q| QuizItem::new(&pack, q))
            .collect();
        let shuffled = (SEED + 1..SEED + 20).any(|seed| {
            let other = QuizSession::new(a.spec().clone(), items.clone(), seed, T0).unwrap();
            (0..4).any(|q| shown_order(&other, q) != shown_order(&a, q))
        });
        assert!(shuffled);
        // Choosing the displayed position stores the pack's index.
        let mut s = exam(10);
        let first = shown_order(&s, 0)[0];
        s.handle(Action::Choose(0), T0);
        assert_eq!(s.snapshot().questions[0].chosen, [first]);
        let labels: String = s
            .current_question()
            .choices
            .iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(labels, "ABCD");
    }

    #[test]
    fn multiple_response_says_how_many_and_scores_all_or_nothing() {
        let mut s = exam(10);
        s.handle(Action::Next, T0);
        let view = s.current_question();
        assert_eq!(view.choose, 2);
        assert_eq!(view.choose_prompt().as_deref(), Some("Choose two"));
        assert!(view.marking.is_none() && view.choices.iter().all(|c| c.key.is_none()));
        answer(&mut s, &[1], T0);
        assert_eq!(s.current_question().status, AnswerStatus::Incomplete);
        answer(&mut s, &[4, 3], T0);
        assert_eq!(s.snapshot().questions[1].chosen, [1, 3, 4]);
        assert_eq!(s.current_question().status, AnswerStatus::Incomplete);
        answer(&mut s, &[4], T0);
        assert_eq!(s.current_question().status, AnswerStatus::Answered);
        s.handle(Action::Next, T0);
        answer(&mut s, &[1], T0);
        answer(&mut s, &[2], T0);
        assert_eq!(
            s.snapshot().questions[2].chosen,
            [2],
            "single answer replaces"
        );
        assert_eq!(s.current_question().choose_prompt(), None);
        s.handle(Action::RequestSubmit, T0);
        let outcome = finished(&s.handle(Action::ConfirmSubmit, T0))
            .unwrap()
            .clone();
        let right: Vec<bool> = outcome.answers.iter().map(|a| a.correct).collect();
        assert_eq!(right, [false, true, false, false]);
        assert_eq!(outcome.score.scaled, 325);
        assert_eq!(outcome.score.passed(), Some(false));
    }

    #[test]
    fn navigator_and_confirmation_list_what_is_open() {
        let mut s = exam(10);
        answer(&mut s, &[0], T0);
        s.handle(Action::Flag, T0);
        s.handle(Action::Goto(1), T0);
        answer(&mut s, &[1], T0);
        s.handle(Action::Goto(3), T0);
        s.handle(Action::Flag, T0);
        let cells: Vec<(AnswerStatus, bool, bool)> = s
            .navigator()
            .iter()
            .map(|c| (c.status, c.flagged, c.current))
            .collect();
        use AnswerStatus::*;
        assert_eq!(
            cells,
            [
                (Answered, true, false),
                (Incomplete, false, false),
                (Unanswered, false, false),
                (Unanswered, true, true)
            ]
        );
        assert!(s.handle(Action::RequestSubmit, T0).is_empty());
        assert_eq!(s.phase(), Phase::Confirming);
        let c = s.confirmation();
        assert_eq!(
            (c.unanswered, c.incomplete, c.flagged),
            (vec![2, 3], vec![1], vec![0, 3])
        );
        // The dialog is modal, and cancel returns to the questions.
        s.handle(Action::Choose(0), T0);
        s.handle(Action::Next, T0);
        assert_eq!(s.current(), 3);
        s.handle(Action::Cancel, T0);
        assert_eq!(s.phase(), Phase::Answering);
        assert!(finished(&s.handle(Action::ConfirmSubmit, T0)).is_none());
    }

    #[test]
    fn time_is_charged_to_the_question_on_screen() {
        let mut s = exam(10);
        s.handle(Action::Next, T0 + 5_000);
        s.handle(Action::Prev, T0 + 7_000);
        s.handle(Action::Goto(2), T0 + 8_000);
        s.handle(Action::RequestSubmit, T0 + 9_000);
        // Time in the confirmation counts for the attempt, not for a question.
        s.handle(Action::Cancel, T0 + 12_000);
        // A clock stepping backwards adds nothing.
        s.handle(Action::Tick, T0 + 1_000);
        s.handle(Action::Tick, T0 + 13_000);
        let times: Vec<UnixMillis> = s.snapshot().questions.iter().map(|a| a.time_ms).collect();
        assert_eq!(times, [6_000, 2_000, 2_000, 0]);
        assert_eq!(s.snapshot().used_ms, 13_000);
    }

    #[test]
    fn changes_are_saved_and_reading_autosaves() {
        let mut s = exam(10);
        assert_eq!(saves(&s.handle(Action::Choose(1), T0)), 1);
        assert_eq!(saves(&s.handle(Action::Flag, T0)), 1);
        assert_eq!(saves(&s.handle(Action::Next, T0)), 1);
        assert_eq!(saves(&s.handle(Action::Prev, T0)), 1);
        assert_eq!(saves(&s.handle(Action::Prev, T0)), 0, "already first");
        assert_eq!(saves(&s.handle(Action::Goto(9), T0)), 0, "out of range");
        assert_eq!(
            saves(&s.handle(Action::Reveal, T0)),
            0,
            "no reveal in an exam"
        );
        assert_eq!(saves(&s.handle(Action::Tick, T0 + AUTOSAVE_MS - 1)), 0);
        let effects = s.handle(Action::Tick, T0 + AUTOSAVE_MS);
        let Some(Effect::Save(snapshot)) = effects.first() else {
            panic!("{effects:?}")
        };
        assert_eq!(snapshot.updated_at, T0 + AUTOSAVE_MS);
        assert_eq!(snapshot.used_ms, AUTOSAVE_MS);
    }

    #[test]
    fn quitting_an_exam_saves_it_and_practice_finishes() {
        let mut s = exam(10);
        answer(&mut s, &[0], T0 + 1_000);
        let effects = s.handle(Action::Quit, T0 + 2_000);
        assert_eq!(effects.len(), 2);
        assert!(matches!(&effects[0], Effect::Save(snap) if snap.finished_at.is_none()));
        assert_eq!(effects[1], Effect::Exit);

        let mut p = practice(None);
        answer(&mut p, &[0], T0);
        p.handle(Action::Reveal, T0);
        p.handle(Action::Next, T0);
        answer(&mut p, &[1], T0);
        let effects = p.handle(Action::Quit, T0 + 3_000);
        let outcome = finished(&effects).expect("practice finishes on quit");
        assert_eq!(effects.last(), Some(&Effect::Exit));
        // Only the marked question counts; the one answered but not revealed does not.
        assert_eq!(outcome.answers.len(), 1);
        assert_eq!((outcome.score.correct, outcome.score.total), (1, 1));
        assert_eq!(outcome.score.passed(), None);
    }

    #[test]
    fn practice_marks_at_once_and_locks_the_answer() {
        let mut p = practice(None);
        assert_eq!(p.remaining_ms(T0 + 5_000), None);
        answer(&mut p, &[2], T0 + 1_000);
        let effects = p.handle(Action::Reveal, T0 + 2_000);
        assert_eq!(
            effects[0],
            Effect::Feedback(Feedback {
                index: 0,
                correct: false,
                timed_out: false
            })
        );
        assert_eq!(saves(&effects), 1);
        let view = p.current_question();
        assert!(view.locked);
        let marking = view.marking.expect("key shown after reveal");
        assert!(!marking.correct);
        assert_eq!(marking.explanation, "Why s1.");
        let mut keyed: Vec<(bool, bool, Option<&str>)> = view
            .choices
            .iter()
            .map(|c| {
                let key = c.key.unwrap();
                (c.selected, key.correct, key.why)
            })
            .filter(|&(selected, correct, _)| selected || correct)
            .collect();
        keyed.sort_by_key(|k| k.2);
        assert_eq!(
            keyed,
            [(false, true, Some("why 0")), (true, false, Some("why 2"))]
        );
        answer(&mut p, &[0], T0 + 3_000);
        assert_eq!(p.snapshot().questions[0].chosen, [2], "locked");
        assert!(p.handle(Action::Reveal, T0 + 3_000).is_empty());
        assert_eq!(p.navigator()[0].correct, Some(false));
        assert_eq!(p.navigator()[1].correct, None);
    }

    #[test]
    fn a_per_question_clock_locks_the_question_when_it_runs_out() {
        let mut p = practice(Some(30_000));
        answer(&mut p, &[0], T0 + 10_000);
        assert_eq!(p.remaining_ms(T0 + 10_000), Some(20_000));
        let effects = p.handle(Action::Tick, T0 + 30_000);
        assert_eq!(
            effects[0],
            Effect::Feedback(Feedback {
                index: 0,
                correct: true,
                timed_out: true
            })
        );
        assert_eq!(p.remaining_ms(T0 + 31_000), None);
        // The next question has a fresh clock.
        p.handle(Action::Next, T0 + 32_000);
        assert_eq!(p.remaining_ms(T0 + 32_000), Some(30_000));
    }

    /// A practice of the lab pack's ring question alone, with attempt seed `seed`.
    fn ring_practice(seed: u64) -> QuizSession {
        let pack = lab_pack();
        let ring = pack.questions.iter().find(|q| q.id == "r5").unwrap();
        let items = vec![QuizItem::new(&pack, ring)];
        QuizSession::new(SessionSpec::practice(Some("p"), None), items, seed, T0).unwrap()
    }

    #[test]
    fn a_lab_question_is_made_from_the_attempt_seed_and_marked_on_its_key() {
        let s = ring_practice(SEED);
        let item = &s.items()[0];
        let stem = item.question.stem.to_string();
        assert!(
            stem.starts_with("A ring of ") && !stem.contains('{'),
            "{stem}"
        );
        assert_eq!(item.question.choices.len(), 4);
        assert!(matches!(
            item.setup,
            Some(crate::sim::ask::LabSetup::Ring { nodes: 4..=6, .. })
        ));
        // The same seed, the same numbers; other attempts, other numbers.
        assert_eq!(ring_practice(SEED).items()[0].question.stem.as_str(), stem);
        let others: std::collections::HashSet<String> = (0..10)
            .map(|seed| ring_practice(seed).items()[0].question.stem.to_string())
            .collect();
        assert!(others.len() > 1, "{others:?}");
        // Choosing the generated key marks the answer right.
        let mut p = ring_practice(SEED);
        let key = p.items()[0].question.choices.iter().position(|c| c.correct);
        answer(&mut p, &[key.unwrap()], T0);
        let effects = p.handle(Action::Reveal, T0);
        assert!(matches!(
            effects[0],
            Effect::Feedback(Feedback { correct: true, .. })
        ));
        let marking = p.current_question().marking.unwrap();
        assert!(
            marking.explanation.contains("Karger"),
            "{}",
            marking.explanation
        );
    }

    #[test]
    fn a_resumed_or_reviewed_attempt_shows_the_numbers_the_learner_saw() {
        let mut p = ring_practice(SEED + 7);
        answer(&mut p, &[2], T0);
        p.handle(Action::Reveal, T0);
        let seen = p.current_question().stem.to_string();
        let shown: Vec<String> = p
            .current_question()
            .choices
            .iter()
            .map(|c| c.text.to_string())
            .collect();
        let outcome = p.handle(Action::Quit, T0 + 1_000);
        let Some(Effect::Finished(outcome)) = outcome.first() else {
            panic!("{outcome:?}")
        };
        let review = QuizSession::resume(outcome.snapshot.clone(), &[lab_pack()], T0).unwrap();
        let view = review.current_question();
        assert_eq!(view.stem, seen);
        let again: Vec<String> = view.choices.iter().map(|c| c.text.to_string()).collect();
        assert_eq!(again, shown);
        assert_eq!(view.choices.iter().filter(|c| c.selected).count(), 1);
        assert_eq!(review.items()[0].setup, p.items()[0].setup);
    }
}
