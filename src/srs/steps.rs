//! Learning and relearning steps as Anki applies them: where each grade moves a card that is
//! still on its steps. Delays are whole seconds, as in Anki, so a Hard between a 1m and a 10m
//! step waits 5.5 minutes rather than a rounded-down 5. Also how steps are written: `1m 10m 1h
//! 1d`, in jiff's friendly duration format.

use jiff::{Span, SpanRelativeTo, SpanRound, Unit};
use thiserror::Error;

use super::state::Grade;

const MINUTE: u32 = 60;
/// Seconds in a day: a step's delay is counted in seconds.
pub(crate) const DAY: u32 = 86_400;

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

/// Why a written step was refused; each message names the text.
#[derive(Debug, Error)]
pub enum StepError {
    #[error("`{text}` is not a step; write minutes (10) or a duration (10m, 1h, 1d)")]
    Syntax {
        text: String,
        #[source]
        source: jiff::Error,
    },
    #[error("`{text}` is not a whole number of minutes")]
    NotWholeMinutes { text: String },
    #[error("`{text}` is not a step: steps run from 0 minutes up, and not for years")]
    OutOfRange { text: String },
}

/// Parses one step: a bare number of minutes (`10`, as steps were always written) or a
/// duration in jiff's friendly format (`10m`, `1h`, `1h 30m`, `1d`, `2 days`), a day being 24
/// hours. Whether the step is a sensible length is for the settings to judge.
pub fn parse_step(text: &str) -> Result<u32, StepError> {
    let text = text.trim();
    let named = || text.escape_debug().to_string();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse()
            .map_err(|_| StepError::OutOfRange { text: named() });
    }
    let duration = text
        .parse::<Span>()
        .and_then(|span| span.to_duration(SpanRelativeTo::days_are_24_hours()))
        .map_err(|source| StepError::Syntax {
            text: named(),
            source,
        })?;
    if duration.is_negative() {
        return Err(StepError::OutOfRange { text: named() });
    }
    if duration.subsec_nanos() != 0 || duration.as_secs() % 60 != 0 {
        return Err(StepError::NotWholeMinutes { text: named() });
    }
    u32::try_from(duration.as_secs() / 60).map_err(|_| StepError::OutOfRange { text: named() })
}

/// Steps as a learner writes them, each in its largest units: `1m 10m 1h 1d`.
pub fn format_steps(steps: &[u32]) -> String {
    let step = |minutes: u32| {
        let balanced = SpanRound::new().largest(Unit::Day).days_are_24_hours();
        Span::new()
            .try_minutes(i64::from(minutes))
            .and_then(|span| span.round(balanced))
            .map_or_else(|_| format!("{minutes}m"), |span| format!("{span:#}"))
    };
    steps.iter().map(|&m| step(m)).collect::<Vec<_>>().join(" ")
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

    #[test]
    fn steps_are_read_as_minutes_or_friendly_durations() {
        for (text, minutes) in [
            ("10", 10),
            (" 1 ", 1),
            ("1m", 1),
            ("10m", 10),
            ("1h", 60),
            ("1.5h", 90),
            ("1h 30m", 90),
            ("1h30m", 90),
            ("90 minutes", 90),
            ("120s", 2),
            ("1d", 1440),
            ("2 days", 2880),
            ("1w", 10_080),
            ("0", 0),
        ] {
            assert_eq!(parse_step(text).ok(), Some(minutes), "{text}");
        }
    }

    #[test]
    fn steps_that_are_not_whole_minutes_or_durations_are_refused_by_name() {
        for text in ["", "ten", "5 fortnights", "1mo", "1y"] {
            assert!(
                matches!(parse_step(text), Err(StepError::Syntax { .. })),
                "{text}"
            );
        }
        for text in ["30s", "1.5m", "61s"] {
            assert!(
                matches!(parse_step(text), Err(StepError::NotWholeMinutes { .. })),
                "{text}"
            );
        }
        for text in ["-5m", "99999999999", "1000000w"] {
            assert!(
                matches!(parse_step(text), Err(StepError::OutOfRange { .. })),
                "{text}"
            );
        }
        let message = parse_step("1\u{1b}[2Jm").unwrap_err().to_string();
        assert!(!message.contains('\u{1b}'), "{message}");
    }

    #[test]
    fn steps_print_in_their_largest_units_and_read_back() {
        let steps = [1, 10, 60, 90, 1440, 2880 + 30];
        let shown = format_steps(&steps);
        assert_eq!(shown, "1m 10m 1h 1h 30m 1d 2d 30m");
        assert_eq!(format_steps(&[1, 10]), "1m 10m");
        assert_eq!(format_steps(&[]), "");
        for step in steps {
            assert_eq!(parse_step(&format_steps(&[step])).ok(), Some(step));
        }
    }
}
