//! The scheduler: FSRS memory states and intervals from the `fsrs` crate, and around them what
//! that crate leaves out: learning and relearning steps, fuzz, the maximum interval, and due
//! times on learning-day boundaries.

use std::collections::HashMap;

use fsrs::{FSRS, NextStates};
use jiff::{SignedDuration, Timestamp};

use super::SrsError;
use super::fuzz;
use super::key::ItemKey;
use super::settings::Settings;
use super::state::{CardState, Grade, Interval, Phase, ReviewLog};
use super::steps::{DAY, Move, step_move};
use super::time::{DayClock, add_days, shift, to_millis};

/// Schedules answers for one learner: their FSRS parameters, settings and day boundaries.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: FSRS,
    parameters: Vec<f32>,
    settings: Settings,
    clock: DayClock,
}

/// What one grade would do to a card.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub grade: Grade,
    /// The wait to print on the grade's button.
    pub interval: Interval,
    pub state: CardState,
}

/// The outcome of each grade, for the four buttons; `grade` applies exactly one of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub elapsed_days: u32,
    outcomes: [Outcome; 4],
}

impl Preview {
    pub fn get(&self, grade: Grade) -> &Outcome {
        &self.outcomes[grade.index()]
    }

    /// Again, Hard, Good, Easy.
    pub fn outcomes(&self) -> &[Outcome; 4] {
        &self.outcomes
    }
}

/// A graded card: its state before and after and the log row to append. The store commits
/// `log` and `after` together; undo deletes `log` and restores `before`.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub key: ItemKey,
    /// `None` for a card seen for the first time.
    pub before: Option<CardState>,
    pub after: CardState,
    pub log: ReviewLog,
}

impl Answer {
    /// Applies the answer to an in-memory copy of the states, as the store applies it to its
    /// own: the app keeps such a copy so building a queue never has to re-read the store.
    pub fn apply(&self, states: &mut HashMap<ItemKey, CardState>) {
        states.insert(self.key.clone(), self.after.clone());
    }

    /// Takes the answer back out of an in-memory copy of the states (see [`Answer::apply`]).
    pub fn revert(&self, states: &mut HashMap<ItemKey, CardState>) {
        match &self.before {
            Some(s) => states.insert(self.key.clone(), s.clone()),
            None => states.remove(&self.key),
        };
    }
}

impl Scheduler {
    /// `parameters` are FSRS weights (empty for the defaults); `settings` are validated.
    pub fn new(parameters: &[f32], settings: Settings, clock: DayClock) -> Result<Self, SrsError> {
        settings.validate()?;
        let parameters =
            fsrs::check_and_fill_parameters(parameters).map_err(SrsError::Parameters)?;
        let fsrs = FSRS::new(&parameters).map_err(SrsError::Parameters)?;
        Ok(Scheduler {
            fsrs,
            parameters,
            settings,
            clock,
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn clock(&self) -> &DayClock {
        &self.clock
    }

    pub fn parameters(&self) -> &[f32] {
        &self.parameters
    }

    /// The probability the learner recalls the card at `now`.
    pub fn retrievability(&self, state: &CardState, now: Timestamp) -> f32 {
        let days = now.duration_since(state.last_review).as_secs_f64().max(0.0) / 86_400.0;
        fsrs::current_retrievability(state.memory.into(), days as f32, self.parameters[20])
    }

    /// What each grade would do to the card at `now`.
    pub fn preview(
        &self,
        key: &ItemKey,
        state: Option<&CardState>,
        now: Timestamp,
    ) -> Result<Preview, SrsError> {
        let now = to_millis(now);
        let s = &self.settings;
        let phase = state.map_or(Phase::New, |c| c.phase);
        let step = state.map_or(0, |c| usize::from(c.step));
        let elapsed = state.map_or(0, |c| {
            self.clock
                .days_between(c.last_review, now)
                .clamp(0, i64::from(u32::MAX)) as u32
        });
        let next = self
            .fsrs
            .next_states(state.map(|c| c.memory.into()), s.desired_retention, elapsed)
            .map_err(|source| SrsError::Model {
                key: key.to_string(),
                source,
            })?;
        let fuzz = s.fuzz.then(|| {
            let (last, reps) = state.map_or((0, 0), |c| (c.last_review.as_millisecond(), c.reps));
            fuzz::factor(s.fuzz_seed, key, last, reps)
        });
        let moves = Grade::ALL.map(|g| self.move_for(phase, step, g));
        let mut intervals = [Interval::Seconds(0); 4];
        for g in Grade::ALL {
            let i = g.index();
            intervals[i] = match moves[i] {
                Move::Step { seconds, .. } => Interval::Seconds(seconds),
                Move::Graduate => {
                    let raw = f64::from(memory_of(&next, g).interval);
                    let days = match fuzz {
                        Some(f) => fuzz::apply(raw, f, s.maximum_interval),
                        None => raw.round().clamp(1.0, f64::from(s.maximum_interval)) as u32,
                    };
                    let floor = i.checked_sub(1).map_or(1, |p| days_after(intervals[p], i));
                    Interval::Days(days.max(floor).min(s.maximum_interval))
                }
            };
        }
        let outcomes = Grade::ALL.map(|g| {
            let i = g.index();
            let (phase_after, step_after, due, scheduled_days) = match (moves[i], intervals[i]) {
                (Move::Step { index, seconds }, _) => {
                    let relearn = matches!(phase, Phase::Review | Phase::Relearning);
                    let p = if relearn {
                        Phase::Relearning
                    } else {
                        Phase::Learning
                    };
                    let due = shift(now, SignedDuration::from_secs(i64::from(seconds)));
                    (p, index as u8, due, 0u32)
                }
                (Move::Graduate, iv) => {
                    let days = match iv {
                        Interval::Days(d) => d,
                        Interval::Seconds(_) => 1,
                    };
                    let due_day = add_days(self.clock.day_of(now), i64::from(days));
                    (Phase::Review, 0, self.clock.start_of(due_day), days)
                }
            };
            let lapsed = phase == Phase::Review && g == Grade::Again;
            Outcome {
                grade: g,
                interval: intervals[i],
                state: CardState {
                    phase: phase_after,
                    step: step_after,
                    memory: memory_of(&next, g).memory.into(),
                    due,
                    last_review: now,
                    scheduled_days,
                    reps: state.map_or(0, |c| c.reps) + 1,
                    lapses: state.map_or(0, |c| c.lapses) + u32::from(lapsed),
                },
            }
        });
        Ok(Preview {
            elapsed_days: elapsed,
            outcomes,
        })
    }

    /// Applies `grade` at `now`: the new state and the log row that records it.
    pub fn grade(
        &self,
        key: &ItemKey,
        state: Option<&CardState>,
        grade: Grade,
        now: Timestamp,
        duration_ms: u32,
    ) -> Result<Answer, SrsError> {
        let preview = self.preview(key, state, now)?;
        let after = preview.get(grade).state.clone();
        let log = ReviewLog {
            item: key.clone(),
            at: after.last_review,
            grade,
            kind: state.map_or(Phase::New, |c| c.phase),
            elapsed_days: preview.elapsed_days,
            scheduled_days: after.scheduled_days,
            duration_ms,
        };
        Ok(Answer {
            key: key.clone(),
            before: state.cloned(),
            after,
            log,
        })
    }

    /// Where `grade` moves a card. A step never waits longer than the maximum interval: with
    /// a 2-day step and a 1-day maximum, Again on the step would otherwise wait longer than
    /// Good's graduation, and the buttons would go down.
    fn move_for(&self, phase: Phase, step: usize, grade: Grade) -> Move {
        let s = &self.settings;
        let moved = match phase {
            Phase::New | Phase::Learning => step_move(&s.learning_steps, step, grade),
            Phase::Relearning => step_move(&s.relearning_steps, step, grade),
            Phase::Review => match grade {
                Grade::Again => step_move(&s.relearning_steps, 0, grade),
                _ => Move::Graduate,
            },
        };
        match moved {
            Move::Step { index, seconds } => Move::Step {
                index,
                seconds: seconds.min(s.maximum_interval.saturating_mul(DAY)),
            },
            Move::Graduate => Move::Graduate,
        }
    }
}

fn memory_of(next: &NextStates, grade: Grade) -> &fsrs::ItemState {
    match grade {
        Grade::Again => &next.again,
        Grade::Hard => &next.hard,
        Grade::Good => &next.good,
        Grade::Easy => &next.easy,
    }
}

/// The least number of days grade `index` may get after the previous grade's interval, so the
/// buttons never go down: Good and Easy each beat a day-based interval before them by a day.
fn days_after(previous: Interval, index: usize) -> u32 {
    match previous {
        Interval::Days(d) if index >= Grade::Good.index() => d + 1,
        Interval::Days(d) => d.max(1),
        Interval::Seconds(seconds) => seconds.div_ceil(DAY).max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn scheduler() -> Scheduler {
        Scheduler::new(&[], Settings::default(), DayClock::utc(4)).unwrap()
    }

    fn shown(p: &Preview) -> Vec<String> {
        p.outcomes()
            .iter()
            .map(|o| o.interval.to_string())
            .collect()
    }

    #[test]
    fn a_new_card_walks_the_learning_steps() {
        let s = scheduler();
        let key = ItemKey::new("p/c");
        let now = at("2026-03-10T12:00:00Z");
        let p = s.preview(&key, None, now).unwrap();
        assert_eq!(&shown(&p)[..3], ["1m", "5.5m", "10m"]);
        assert!(matches!(p.get(Grade::Easy).interval, Interval::Days(d) if d >= 2));
        let a = s.grade(&key, None, Grade::Good, now, 1500).unwrap();
        assert_eq!((a.after.phase, a.after.step), (Phase::Learning, 1));
        assert_eq!(a.after.due, at("2026-03-10T12:10:00Z"));
        assert_eq!(
            (a.log.kind, a.log.scheduled_days, a.log.duration_ms),
            (Phase::New, 0, 1500)
        );
        let later = at("2026-03-10T12:11:00Z");
        let b = s
            .grade(&key, Some(&a.after), Grade::Good, later, 0)
            .unwrap();
        assert_eq!(b.after.phase, Phase::Review);
        assert!(b.after.scheduled_days >= 1);
        let due_day = add_days(s.clock().day_of(later), i64::from(b.after.scheduled_days));
        assert_eq!(
            b.after.due,
            s.clock().start_of(due_day),
            "due at a day start"
        );
    }

    #[test]
    fn a_lapse_relearns_and_counts() {
        let s = scheduler();
        let key = ItemKey::new("p/c");
        let t0 = at("2026-03-10T12:00:00Z");
        let a = s.grade(&key, None, Grade::Easy, t0, 0).unwrap();
        let t1 = shift(a.after.due, SignedDuration::from_hours(9));
        let p = s.preview(&key, Some(&a.after), t1).unwrap();
        assert_eq!(shown(&p)[0], "10m");
        let lapse = &p.get(Grade::Again).state;
        assert_eq!((lapse.phase, lapse.lapses), (Phase::Relearning, 1));
        let b = s.grade(&key, Some(lapse), Grade::Good, t1, 0).unwrap();
        assert_eq!(b.after.phase, Phase::Review);
    }

    #[test]
    fn answers_apply_to_and_revert_from_a_state_map() {
        let s = scheduler();
        let key = ItemKey::new("p/c");
        let now = at("2026-03-10T12:00:00Z");
        let first = s.grade(&key, None, Grade::Good, now, 0).unwrap();
        let second = s
            .grade(&key, Some(&first.after), Grade::Easy, now, 0)
            .unwrap();
        let mut states = HashMap::new();
        first.apply(&mut states);
        second.apply(&mut states);
        assert_eq!(states.get(&key), Some(&second.after));
        second.revert(&mut states);
        assert_eq!(states.get(&key), Some(&first.after));
        first.revert(&mut states);
        assert!(states.is_empty());
    }

    /// A 40-hour learning step under a 1-day maximum interval. Anki's step rules give Again
    /// 40 h and Hard min(1.5 x 40 h, 40 h + 1 d) = 60 h, rounded to 3 days; Good graduates to
    /// at most 1 day. Capped at the maximum, every button waits one day, in order.
    #[test]
    fn steps_longer_than_the_maximum_interval_wait_the_maximum() {
        let settings = Settings {
            learning_steps: vec![2_400],
            relearning_steps: vec![3_000],
            maximum_interval: 1,
            fuzz: false,
            ..Settings::default()
        };
        let s = Scheduler::new(&[], settings, DayClock::utc(0)).unwrap();
        let key = ItemKey::new("p/c");
        let now = at("2026-01-05T09:30:00Z");
        let p = s.preview(&key, None, now).unwrap();
        assert_eq!(shown(&p), ["1d", "1d", "1d", "1d"]);
        let again = &p.get(Grade::Again).state;
        assert_eq!(again.due, at("2026-01-06T09:30:00Z"));
        let graduated = s.grade(&key, None, Grade::Easy, now, 0).unwrap().after;
        let lapse = s.preview(&key, Some(&graduated), graduated.due).unwrap();
        assert_eq!(shown(&lapse), ["1d", "1d", "1d", "1d"]);
    }

    #[test]
    fn the_maximum_interval_caps_every_button() {
        let settings = Settings {
            maximum_interval: 3,
            ..Settings::default()
        };
        let s = Scheduler::new(&[], settings, DayClock::utc(4)).unwrap();
        let key = ItemKey::new("p/c");
        let a = s
            .grade(&key, None, Grade::Easy, at("2026-01-01T12:00:00Z"), 0)
            .unwrap();
        let p = s.preview(&key, Some(&a.after), a.after.due).unwrap();
        for o in p.outcomes() {
            assert!(o.interval <= Interval::Days(3), "{o:?}");
        }
    }
}
