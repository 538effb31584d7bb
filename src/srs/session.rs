//! A review session: the state machine the review screen drives. It picks the next card,
//! grades it, puts learning cards back for later today, and undoes. It never touches the
//! store: each [`Answer`] it returns is committed by the caller before the next card shows.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::SrsError;
use super::queue::{Class, Counts, Queue, QueueEntry};
use super::scheduler::{Answer, Preview, Scheduler};
use super::state::{Grade, Phase};
use super::time::shift;

/// What to show next.
#[derive(Debug, Clone, PartialEq)]
pub enum Next<'a> {
    Card(&'a QueueEntry),
    /// Only learning cards are left, the first due at this time.
    Wait(Timestamp),
    /// Nothing left today.
    Done,
}

/// How far the session has come, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    pub done: usize,
    pub remaining: usize,
}

impl Progress {
    /// 0.0 to 1.0.
    pub fn fraction(&self) -> f64 {
        let total = self.done + self.remaining;
        if total == 0 {
            1.0
        } else {
            self.done as f64 / total as f64
        }
    }
}

/// The end-of-session summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub answered: usize,
    /// Answers per grade: Again, Hard, Good, Easy.
    pub grades: [usize; 4],
    /// Cards seen for the first time.
    pub new_cards: usize,
    /// Cards of this session still in learning steps.
    pub learning_left: usize,
    pub time_ms: u64,
}

#[derive(Debug, Clone)]
struct Answered {
    answer: Answer,
    class: Class,
}

/// One sitting over a [`Queue`].
#[derive(Debug, Clone)]
pub struct Session {
    scheduler: Scheduler,
    queue: Queue,
    current: Option<QueueEntry>,
    history: Vec<Answered>,
    /// A cram session: its answers are for the learner only and are never saved, so a card
    /// answered Again comes back at the end of the session as it was, not on a schedule.
    cram: bool,
}

impl Session {
    pub fn new(scheduler: Scheduler, queue: Queue) -> Self {
        Session {
            scheduler,
            queue,
            current: None,
            history: Vec::new(),
            cram: false,
        }
    }

    /// A cram session over `queue` (see [`Queue::cram`]): the caller shows and grades the
    /// cards but must not commit the answers.
    pub fn cram(scheduler: Scheduler, queue: Queue) -> Self {
        Session {
            cram: true,
            ..Session::new(scheduler, queue)
        }
    }

    /// Whether this is a cram session, whose grades are not saved.
    pub fn is_cram(&self) -> bool {
        self.cram
    }

    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// The card to show at `now`; the same card until it is answered.
    pub fn next(&mut self, now: Timestamp) -> Next<'_> {
        if self.current.is_none() {
            let ahead =
                SignedDuration::from_mins(i64::from(self.scheduler.settings().learn_ahead_minutes));
            self.current = self.queue.pop(now, shift(now, ahead));
        }
        match (&self.current, self.queue.next_learning_due()) {
            (Some(e), _) => Next::Card(e),
            (None, Some(due)) => Next::Wait(due),
            (None, None) => Next::Done,
        }
    }

    /// The card being shown, if [`Session::next`] picked one.
    pub fn current(&self) -> Option<&QueueEntry> {
        self.current.as_ref()
    }

    /// The interval each grade would give the current card, for the buttons.
    pub fn preview(&self, now: Timestamp) -> Result<Option<Preview>, SrsError> {
        self.current
            .as_ref()
            .map(|e| self.scheduler.preview(&e.key, e.state.as_ref(), now))
            .transpose()
    }

    /// Grades the current card. A card still in learning steps comes back later today.
    pub fn answer(
        &mut self,
        grade: Grade,
        now: Timestamp,
        duration_ms: u32,
    ) -> Result<Answer, SrsError> {
        let e = self.current.as_ref().ok_or(SrsError::NoCard)?;
        let answer = self
            .scheduler
            .grade(&e.key, e.state.as_ref(), grade, now, duration_ms)?;
        let class = e.class;
        let shown = self.current.take();
        let after = &answer.after;
        if self.cram {
            if let Some(again) = shown.filter(|_| grade == Grade::Again) {
                self.queue.review.push_back(again);
            }
        } else if matches!(after.phase, Phase::Learning | Phase::Relearning)
            && after.due < self.scheduler.clock().next_day_start(now)
        {
            self.queue.insert_learning(QueueEntry {
                key: answer.key.clone(),
                state: Some(after.clone()),
                class: Class::Learning,
            });
        }
        self.history.push(Answered {
            answer: answer.clone(),
            class,
        });
        Ok(answer)
    }

    /// Takes back the last answer: that card is shown again with its old state. Returns the
    /// answer so the caller can delete its log row and restore `before` in the store.
    /// Whether there is a grade to take back.
    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }

    pub fn undo(&mut self) -> Option<Answer> {
        let Answered { answer, class } = self.history.pop()?;
        self.queue.remove(&answer.key);
        if self.cram && answer.log.grade == Grade::Again {
            // The forgotten card went back to the end of the queue, and may be on screen again
            // already (it was the last one): take that copy away, wherever it is.
            if self.current.as_ref().is_some_and(|c| c.key == answer.key) {
                self.current = None;
            } else if let Some(at) = self.queue.review.iter().rposition(|e| e.key == answer.key) {
                self.queue.review.remove(at);
            }
        }
        if let Some(shown) = self.current.take() {
            self.queue.put_back(shown);
        }
        self.current = Some(QueueEntry {
            key: answer.key.clone(),
            state: answer.before.clone(),
            class,
        });
        Some(answer)
    }

    /// Cards left by class, the one on screen included.
    pub fn counts(&self) -> Counts {
        let mut c = self.queue.counts();
        if let Some(e) = &self.current {
            c.add(e.class);
        }
        c
    }

    /// Cards left by pack, before the first card is shown.
    pub fn counts_by_pack(&self) -> Vec<(String, Counts)> {
        self.queue.counts_by_pack()
    }

    /// New cards in this session beyond today's limit: a chosen topic or tag studied now.
    pub fn past_limit(&self) -> usize {
        self.queue.past_limit()
    }

    pub fn progress(&self) -> Progress {
        Progress {
            done: self.history.len(),
            remaining: self.counts().total(),
        }
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            answered: self.history.len(),
            learning_left: self.queue.counts().learning,
            ..Summary::default()
        };
        for a in &self.history {
            s.grades[a.answer.log.grade.index()] += 1;
            s.new_cards += usize::from(a.answer.before.is_none());
            s.time_ms += u64::from(a.answer.log.duration_ms);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::srs::item::tests::library;
    use crate::srs::queue::tests::{build_queue, counts};
    use crate::srs::{Catalog, DayClock, Settings, Today};

    fn session(now: Timestamp) -> Session {
        let s = Scheduler::new(&[], Settings::default(), DayClock::utc(4)).unwrap();
        let cat = Catalog::from_library(&library());
        let q = build_queue(&cat, &s, &HashMap::new(), &Today::default(), now);
        Session::new(s, q)
    }

    fn key(n: Next<'_>) -> String {
        match n {
            Next::Card(e) => e.key.to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn learning_cards_come_back_and_the_session_ends() {
        let t0: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let mut s = session(t0);
        assert_eq!(s.counts(), counts(3, 0, 0));
        assert_eq!(key(s.next(t0)), "sd/a");
        s.answer(Grade::Again, t0, 10).unwrap();
        assert_eq!(s.counts(), counts(2, 1, 0));
        // The syllabus: the caching note's other card, then the card without a note.
        assert_eq!(key(s.next(t0)), "sd/c#c1");
        s.answer(Grade::Easy, t0, 10).unwrap();
        assert_eq!(key(s.next(t0)), "sd/b");
        s.answer(Grade::Easy, t0, 10).unwrap();
        // Only sd/a is left, due in a minute: within the learn-ahead window.
        assert_eq!(key(s.next(t0)), "sd/a");
        s.answer(Grade::Easy, t0, 10).unwrap();
        assert_eq!(s.next(t0), Next::Done);
        let sum = s.summary();
        assert_eq!(
            (sum.answered, sum.new_cards, sum.grades),
            (4, 3, [1, 0, 0, 3])
        );
        assert_eq!(s.progress().fraction(), 1.0);
    }

    #[test]
    fn undoing_again_on_the_last_cram_card_leaves_one_copy_of_it() {
        let t0: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let s = Scheduler::new(&[], Settings::default(), DayClock::utc(4)).unwrap();
        let cat = Catalog::from_library(&library());
        let q = Queue::cram(&cat, &HashMap::new(), &crate::srs::Scope::default(), t0);
        let mut s = Session::cram(s, q);
        let total = s.counts().total();
        for _ in 1..total {
            let Next::Card(_) = s.next(t0) else {
                panic!("a card")
            };
            s.answer(Grade::Good, t0, 0).unwrap();
        }
        let Next::Card(last) = s.next(t0) else {
            panic!("the last card")
        };
        let last = last.key.to_string();
        s.answer(Grade::Again, t0, 0).unwrap();
        // Forgotten, it comes straight back: it is the only card left.
        assert_eq!(key(s.next(t0)), last);
        s.undo();
        assert_eq!(s.counts().total(), 1, "one copy, not two");
        assert_eq!(key(s.next(t0)), last);
        s.answer(Grade::Good, t0, 0).unwrap();
        assert_eq!(s.next(t0), Next::Done);
    }

    #[test]
    fn cram_brings_a_forgotten_card_back_at_the_end_without_waiting() {
        let t0: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let s = Scheduler::new(&[], Settings::default(), DayClock::utc(4)).unwrap();
        let cat = Catalog::from_library(&library());
        let q = Queue::cram(&cat, &HashMap::new(), &crate::srs::Scope::default(), t0);
        let mut s = Session::cram(s, q);
        assert!(s.is_cram());
        let mut seen = Vec::new();
        let mut first = true;
        while let Next::Card(e) = s.next(t0) {
            seen.push(e.key.to_string());
            let grade = if first { Grade::Again } else { Grade::Good };
            first = false;
            s.answer(grade, t0, 0).unwrap();
        }
        assert_eq!(
            seen.first(),
            seen.last(),
            "the forgotten card comes last: {seen:?}"
        );
        assert_eq!(s.next(t0), Next::Done, "no learning step to wait for");
        s.undo();
        assert_eq!(key(s.next(t0)), "sd/a");
    }

    #[test]
    fn undo_shows_the_card_again_with_its_old_state() {
        let t0: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let mut s = session(t0);
        s.next(t0);
        let first = s.answer(Grade::Good, t0, 0).unwrap();
        assert_eq!(key(s.next(t0)), "sd/c#c1");
        let undone = s.undo().unwrap();
        assert_eq!(undone, first);
        assert_eq!(s.current().unwrap().key.as_str(), "sd/a");
        assert_eq!(s.current().unwrap().state, None);
        assert_eq!(s.counts(), counts(3, 0, 0));
        assert_eq!(s.progress().done, 0);
        assert!(s.undo().is_none());
        assert!(matches!(s.answer(Grade::Good, t0, 0), Ok(a) if a.key.as_str() == "sd/a"));
    }

    #[test]
    fn waits_for_a_learning_card_beyond_the_learn_ahead_window() {
        let t0: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let mut s = session(t0);
        let no_ahead = Settings {
            learn_ahead_minutes: 0,
            ..Settings::default()
        };
        s.scheduler = Scheduler::new(&[], no_ahead, DayClock::utc(4)).unwrap();
        s.next(t0);
        s.answer(Grade::Good, t0, 0).unwrap(); // to the 10m step
        for _ in 0..2 {
            s.next(t0);
            s.answer(Grade::Easy, t0, 0).unwrap();
        }
        let due = shift(t0, SignedDuration::from_mins(10));
        assert_eq!(s.next(t0), Next::Wait(due));
        assert_eq!(s.counts().learning, 1);
        assert!(matches!(s.next(due), Next::Card(_)));
    }
}
