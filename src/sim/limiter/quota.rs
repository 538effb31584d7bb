//! The one way every limiter is configured: `limit` requests per `window`.

use serde::Serialize;
use thiserror::Error;

use crate::sim::time::{Nanos, SECOND, format_duration};

/// `limit` requests per `window`. Counters allow `limit` per window; buckets hold `limit` and
/// refill one every `window / limit`, so all seven algorithms agree on the long-run rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quota {
    limit: u32,
    #[serde(rename = "window_ns")]
    window: Nanos,
}

/// Why a quota is unusable.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum QuotaError {
    #[error("the limit must be at least 1 request")]
    ZeroLimit,
    #[error(
        "a window of {window}ns is shorter than one nanosecond per request for {limit} requests"
    )]
    WindowTooShort { window: Nanos, limit: u32 },
    #[error(
        "the rate must be a positive number of requests per second no higher than 1e9, got {rate}"
    )]
    BadRate { rate: f64 },
    #[error(
        "a burst of {burst} at {rate} requests per second makes a window longer than 584 years"
    )]
    TooLong { rate: f64, burst: u32 },
}

impl Quota {
    /// `limit` requests per `window`; the window must allow at least a nanosecond per request.
    pub fn new(limit: u32, window: Nanos) -> Result<Quota, QuotaError> {
        if limit == 0 {
            return Err(QuotaError::ZeroLimit);
        }
        if window < u64::from(limit) {
            return Err(QuotaError::WindowTooShort { window, limit });
        }
        Ok(Quota { limit, window })
    }

    /// `per_second` on average with bursts of `burst`: a window of `burst` emission intervals.
    ///
    /// The interval is rounded to whole nanoseconds, so every derived figure stays exact.
    pub fn from_rate(per_second: f64, burst: u32) -> Result<Quota, QuotaError> {
        if !(per_second.is_finite() && per_second > 0.0 && per_second <= 1e9) {
            return Err(QuotaError::BadRate { rate: per_second });
        }
        if burst == 0 {
            return Err(QuotaError::ZeroLimit);
        }
        let interval = (SECOND as f64 / per_second).round() as Nanos;
        let window = interval
            .checked_mul(u64::from(burst))
            .ok_or(QuotaError::TooLong {
                rate: per_second,
                burst,
            })?;
        Quota::new(burst, window)
    }

    /// Requests allowed per window; also the bucket capacity.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The window length.
    pub fn window(&self) -> Nanos {
        self.window
    }

    /// Time between requests at the long-run rate, `window / limit` rounded down to whole
    /// nanoseconds: a bucket's refill or drain interval, GCRA's emission interval.
    pub fn interval(&self) -> Nanos {
        self.window / u64::from(self.limit)
    }

    /// Requests per second at the long-run rate.
    pub fn per_second(&self) -> f64 {
        SECOND as f64 / self.interval() as f64
    }

    /// "10 per 1s".
    pub fn describe(&self) -> String {
        format!("{} per {}", self.limit, format_duration(self.window))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::time::MILLISECOND;

    #[test]
    fn derives_the_interval() {
        let quota = Quota::new(10, SECOND).unwrap();
        assert_eq!(quota.interval(), 100 * MILLISECOND);
        assert_eq!(quota.per_second(), 10.0);
        assert_eq!(quota.describe(), "10 per 1s");
        assert_eq!(Quota::new(3, SECOND).unwrap().interval(), 333_333_333);
    }

    #[test]
    fn rate_and_burst_make_a_window() {
        let quota = Quota::from_rate(4.0, 8).unwrap();
        assert_eq!((quota.limit(), quota.window()), (8, 2 * SECOND));
        assert_eq!(quota.interval(), 250 * MILLISECOND);
    }

    #[test]
    fn rejects_unusable_quotas() {
        assert_eq!(Quota::new(0, SECOND), Err(QuotaError::ZeroLimit));
        assert!(matches!(
            Quota::new(10, 5),
            Err(QuotaError::WindowTooShort { .. })
        ));
        assert!(matches!(
            Quota::from_rate(0.0, 1),
            Err(QuotaError::BadRate { .. })
        ));
        assert!(matches!(
            Quota::from_rate(f64::NAN, 1),
            Err(QuotaError::BadRate { .. })
        ));
        assert!(matches!(
            Quota::from_rate(1e-9, u32::MAX),
            Err(QuotaError::TooLong { .. })
        ));
        assert_eq!(Quota::from_rate(1.0, 0), Err(QuotaError::ZeroLimit));
    }
}
