//! Learning days: when a day starts, and which day a moment belongs to.
//!
//! Dates and zones come from `jiff`: it ships the IANA time zone database handling (DST gaps
//! and folds included) behind a small, well-documented API, is actively maintained, and its
//! `Timestamp` is an exact UTC instant, which is what the store keeps. The clock itself is
//! never read here: every function takes the moment it is about.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// Splits time into learning days that start at a local hour (4 am by default), so a late-night
/// session still counts as "today".
#[derive(Debug, Clone)]
pub struct DayClock {
    tz: TimeZone,
    start_hour: i8,
}

impl DayClock {
    /// `start_hour` is clamped to 0..=23.
    pub fn new(tz: TimeZone, start_hour: u8) -> Self {
        DayClock {
            tz,
            start_hour: start_hour.min(23) as i8,
        }
    }

    /// UTC with days starting at `start_hour`, for tests and benchmarks.
    pub fn utc(start_hour: u8) -> Self {
        Self::new(TimeZone::UTC, start_hour)
    }

    /// The learning day `at` belongs to.
    pub fn day_of(&self, at: Timestamp) -> Date {
        let local = self.tz.to_datetime(at);
        if local.hour() < self.start_hour {
            local.date().yesterday().unwrap_or(local.date())
        } else {
            local.date()
        }
    }

    /// The instant learning day `day` starts.
    pub fn start_of(&self, day: Date) -> Timestamp {
        self.tz
            .to_timestamp(day.at(self.start_hour, 0, 0, 0))
            .unwrap_or(Timestamp::MAX)
    }

    /// The instant the learning day after `at`'s starts.
    pub fn next_day_start(&self, at: Timestamp) -> Timestamp {
        self.start_of(add_days(self.day_of(at), 1))
    }

    /// Whole learning days from `earlier`'s day to `later`'s (0 when on the same day).
    pub fn days_between(&self, earlier: Timestamp, later: Timestamp) -> i64 {
        day_number(self.day_of(later)) - day_number(self.day_of(earlier))
    }
}

/// `day` moved by `n` days (saturating at the ends of the calendar).
pub fn add_days(day: Date, n: i64) -> Date {
    day.saturating_add(SignedDuration::from_hours(24 * n))
}

/// Days since 1970-01-01: a cheap, ordered number for a civil date.
pub fn day_number(day: Date) -> i64 {
    day.duration_since(Date::constant(1970, 1, 1)).as_secs() / 86_400
}

/// `at` moved by `d`, saturating at the ends of time.
pub fn shift(at: Timestamp, d: SignedDuration) -> Timestamp {
    at.checked_add(d).unwrap_or(if d.is_negative() {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

/// A timestamp cut to whole milliseconds, the precision the store keeps, so a state computed
/// live and the same state replayed from the log compare equal.
pub fn to_millis(at: Timestamp) -> Timestamp {
    Timestamp::from_millisecond(at.as_millisecond()).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::offset;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn late_night_belongs_to_the_previous_day() {
        let c = DayClock::utc(4);
        assert_eq!(
            c.day_of(ts("2026-03-10T03:59:00Z")),
            Date::constant(2026, 3, 9)
        );
        assert_eq!(
            c.day_of(ts("2026-03-10T04:00:00Z")),
            Date::constant(2026, 3, 10)
        );
        assert_eq!(
            c.next_day_start(ts("2026-03-10T03:00:00Z")),
            ts("2026-03-10T04:00:00Z")
        );
        assert_eq!(
            c.days_between(ts("2026-03-09T23:00:00Z"), ts("2026-03-10T03:00:00Z")),
            0
        );
    }

    #[test]
    fn day_start_is_local() {
        let c = DayClock::new(offset(-5).to_time_zone(), 4);
        assert_eq!(
            c.start_of(Date::constant(2026, 1, 2)),
            ts("2026-01-02T09:00:00Z")
        );
        assert_eq!(day_number(Date::constant(1970, 1, 2)), 1);
    }
}
