//! Learning and relearning steps as Anki applies them: where each grade moves a card that is
//! still on its steps. Delays are whole seconds, as in Anki, so a Hard between a 1m and a 10m
//! step waits 5.5 minutes rather than a rounded-down 5.

use super::state::Grade;

const MINUTE: u32 = 60;
const DAY: u32 = 86_400;

/// Where a grade moves a card: to a step some seconds away, or out to a day-based interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Move {
    Step { index: usize, seconds: u32 },
    Graduate,
}

/// Anki's step rules for `steps` (minutes) with the card on step `step`: Again restarts, Hard
/// repeats the step (on the first step it waits the mean of the first two, or half again as
/// long, at most a day more, when there is one), Good advances or graduates, Easy graduates.
pub(crate) fn step_move(steps: &[u32], step: usize, grade: Grade) -> Move {
    let step = step.min(steps.len().saturating_sub(1));
    let seconds = |i: usize| steps[i].saturating_mul(MINUTE);
    match (grade, steps.len()) {
        (_, 0) | (Grade::Easy, _) => Move::Graduate,
        (Grade::Again, _) => Move::Step {
            index: 0,
            seconds: seconds(0),
        },
        (Grade::Hard, 1) if step == 0 => {
            let first = seconds(0);
            Move::Step {
                index: 0,
                seconds: whole_days_past_one(
                    (first.saturating_mul(3) / 2).min(first.saturating_add(DAY)),
                ),
            }
        }
        (Grade::Hard, _) if step == 0 => {
            let (first, second) = (seconds(0), seconds(1));
            // Rounding to days must not put Hard before Again or after Good.
            let mean = whole_days_past_one(first.saturating_add(second) / 2);
            Move::Step {
                index: 0,
                seconds: mean.max(first).min(second),
            }
        }
        (Grade::Hard, _) => Move::Step {
            index: step,
            seconds: seconds(step),
        },
        (Grade::Good, count) if step + 1 < count => Move::Step {
            index: step + 1,
            seconds: seconds(step + 1),
        },
        (Grade::Good, _) => Move::Graduate,
    }
}

/// A delay past one day rounded to whole days, so the card comes back at the same time of day
/// whenever it was answered (as Anki does).
fn whole_days_past_one(seconds: u32) -> u32 {
    match seconds > DAY {
        true => (f64::from(seconds) / f64::from(DAY)).round() as u32 * DAY,
        false => seconds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: u32 = 3_600;

    fn step(index: usize, seconds: u32) -> Move {
        Move::Step { index, seconds }
    }

    /// The Anki manual (Deck Options, Learning Steps) and its scheduler's `LearningSteps`: per
    /// step, what Again, Hard, Good and Easy do. Worked by hand: Hard on the first of 1m 10m is
    /// (60 + 600) / 2 = 330s; on a lone 10m step 1.5 x 600 = 900s; on a lone 3-day step
    /// min(4.5, 3 + 1) = 4 days; on 1d 2d, 1.5 days rounds to 2. Where rounding would put Hard
    /// outside Again and Good (1441m 1441m: 1 day), it stays between them, so buttons keep order.
    #[test]
    fn every_grade_on_every_step_follows_anki() {
        use Grade::{Again, Easy, Good, Hard};
        let cases: &[(&[u32], usize, [Move; 4])] = &[
            (
                &[1, 10],
                0,
                [step(0, 60), step(0, 330), step(1, 600), Move::Graduate],
            ),
            (
                &[1, 10],
                1,
                [step(0, 60), step(1, 600), Move::Graduate, Move::Graduate],
            ),
            (
                &[1, 10, 60],
                0,
                [step(0, 60), step(0, 330), step(1, 600), Move::Graduate],
            ),
            (
                &[1, 10, 60],
                1,
                [step(0, 60), step(1, 600), step(2, HOUR), Move::Graduate],
            ),
            (
                &[1, 10, 60],
                2,
                [step(0, 60), step(2, HOUR), Move::Graduate, Move::Graduate],
            ),
            (
                &[10],
                0,
                [step(0, 600), step(0, 900), Move::Graduate, Move::Graduate],
            ),
            (
                &[3 * 1440],
                0,
                [
                    step(0, 3 * DAY),
                    step(0, 4 * DAY),
                    Move::Graduate,
                    Move::Graduate,
                ],
            ),
            (
                &[1440, 2 * 1440],
                0,
                [
                    step(0, DAY),
                    step(0, 2 * DAY),
                    step(1, 2 * DAY),
                    Move::Graduate,
                ],
            ),
            (
                &[1441, 1441],
                0,
                [
                    step(0, 86_460),
                    step(0, 86_460),
                    step(1, 86_460),
                    Move::Graduate,
                ],
            ),
            (&[], 0, [Move::Graduate; 4]),
        ];
        for (steps, on, expected) in cases {
            for (grade, want) in [Again, Hard, Good, Easy].into_iter().zip(expected) {
                assert_eq!(
                    step_move(steps, *on, grade),
                    *want,
                    "{grade:?} on step {on} of {steps:?}"
                );
            }
        }
    }

    #[test]
    fn a_step_index_past_the_end_counts_as_the_last_step() {
        assert_eq!(step_move(&[1, 10], 5, Grade::Hard), step(1, 600));
        assert_eq!(step_move(&[1, 10], 5, Grade::Good), Move::Graduate);
    }
}
