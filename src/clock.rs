//! Where "now" comes from: the wall clock, or a clock set to a given time (`--now` or
//! `SYSDECK_NOW`) for tests, demos and previewing another day's queue.
//!
//! A set clock runs on from the given time at normal speed, as a wall clock set to that time
//! would: timers and animations move, and two answers a moment apart get different times.

use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use thiserror::Error;

/// The environment variable that sets the clock, like `--now`.
pub const NOW_ENV: &str = "SYSDECK_NOW";

/// The earliest and latest times the clock may be set to: far enough to preview any schedule,
/// near enough that nothing written under a set clock is absurd.
const EARLIEST: Timestamp = Timestamp::constant(946_684_800, 0); // 2000-01-01T00:00:00Z
const LATEST: Timestamp = Timestamp::constant(4_102_444_800, 0); // 2100-01-01T00:00:00Z

/// The app's clock; copy it freely, every copy tells the same time.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// The time it was set to and the moment it was set, or `None` for the wall clock.
    set: Option<(Timestamp, Instant)>,
}

/// Why a `--now` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ClockError {
    #[error(
        "`{text}` is not an RFC 3339 time; write e.g. 2026-03-10T09:00:00Z or 2026-03-10T09:00:00+01:00"
    )]
    Syntax { text: String },
    #[error("{time} is outside the years 2000 to 2099 the clock can be set to")]
    OutOfRange { time: Timestamp },
}

impl Clock {
    /// The wall clock.
    pub fn system() -> Clock {
        Clock { set: None }
    }

    /// A clock that reads `start` now and runs on from it.
    pub fn starting_at(start: Timestamp) -> Clock {
        Clock {
            set: Some((start, Instant::now())),
        }
    }

    /// The wall clock, or a clock started at `start` when one is given.
    pub fn from_start(start: Option<Timestamp>) -> Clock {
        start.map_or(Clock::system(), Clock::starting_at)
    }

    pub fn now(&self) -> Timestamp {
        match self.set {
            None => Timestamp::now(),
            Some((start, at)) => {
                let elapsed = SignedDuration::try_from(at.elapsed()).unwrap_or(SignedDuration::MAX);
                start.saturating_add(elapsed).unwrap_or(start)
            }
        }
    }
}

/// Parses a `--now` value: an RFC 3339 time with its offset, between 2000 and 2099.
pub fn parse_time(text: &str) -> Result<Timestamp, ClockError> {
    let time: Timestamp = text.trim().parse().map_err(|_| ClockError::Syntax {
        text: text.escape_debug().to_string(),
    })?;
    if !(EARLIEST..LATEST).contains(&time) {
        return Err(ClockError::OutOfRange { time });
    }
    Ok(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_starts_at_its_time_and_runs_on() {
        let start: Timestamp = "2026-03-10T09:00:00Z".parse().unwrap();
        let clock = Clock::starting_at(start);
        let first = clock.now();
        let copy = clock;
        assert!(first >= start);
        assert!(first < start + SignedDuration::from_secs(60));
        assert!(copy.now() >= first, "copies share the start");
    }

    #[test]
    fn the_wall_clock_is_the_default() {
        let before = Timestamp::now();
        assert!(Clock::from_start(None).now() >= before);
    }

    #[test]
    fn parses_rfc_3339_within_range() {
        assert_eq!(
            parse_time("2026-03-10T10:00:00+01:00"),
            Ok("2026-03-10T09:00:00Z".parse().unwrap())
        );
        assert!(matches!(
            parse_time("2026-03-10"),
            Err(ClockError::Syntax { .. })
        ));
        assert!(matches!(
            parse_time("tomorrow\u{1b}[2J"),
            Err(ClockError::Syntax { text }) if !text.contains('\u{1b}')
        ));
        assert!(matches!(
            parse_time("9999-12-30T00:00:00Z"),
            Err(ClockError::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_time("1999-12-31T23:59:59Z"),
            Err(ClockError::OutOfRange { .. })
        ));
    }
}
