//! Token bucket: tokens drip in at a steady rate up to a capacity; a request spends one or is
//! rejected. Allows bursts up to the capacity, then the refill rate.

use serde::Serialize;

use super::{Algo, Decision, Gauge, Limiter, Quota};
use crate::sim::time::{Nanos, format_duration};

/// A bucket of `capacity` tokens refilled by one every `refill_interval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TokenBucket {
    capacity: u32,
    refill_interval: Nanos,
}

/// Tokens held, measured in nanoseconds of refill (tokens x refill interval) so that refilling
/// is exact integer addition of elapsed time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TokenBucketState {
    pub credit: Nanos,
    /// When `credit` was last brought up to date.
    pub updated: Nanos,
}

impl TokenBucket {
    /// Capacity `quota.limit()`, one token every `quota.interval()`.
    pub fn new(quota: Quota) -> TokenBucket {
        TokenBucket {
            capacity: quota.limit(),
            refill_interval: quota.interval(),
        }
    }

    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    pub fn refill_interval(&self) -> Nanos {
        self.refill_interval
    }

    fn full(&self) -> Nanos {
        u64::from(self.capacity) * self.refill_interval
    }

    /// Credit after refilling up to `now`.
    fn credit_at(&self, state: &TokenBucketState, now: Nanos) -> Nanos {
        let elapsed = now.saturating_sub(state.updated);
        state.credit.saturating_add(elapsed).min(self.full())
    }

    /// Tokens in the bucket at `now`, fractions included.
    pub fn tokens(&self, state: &TokenBucketState, now: Nanos) -> f64 {
        self.credit_at(state, now) as f64 / self.refill_interval as f64
    }
}

impl Limiter for TokenBucket {
    type State = TokenBucketState;

    fn algo(&self) -> Algo {
        Algo::TokenBucket
    }

    fn initial_state(&self) -> TokenBucketState {
        TokenBucketState {
            credit: self.full(),
            updated: 0,
        }
    }

    fn step(&self, state: TokenBucketState, now: Nanos) -> (Decision, TokenBucketState) {
        let credit = self.credit_at(&state, now);
        let updated = now.max(state.updated);
        match credit.checked_sub(self.refill_interval) {
            Some(left) => (
                Decision::Admitted,
                TokenBucketState {
                    credit: left,
                    updated,
                },
            ),
            None => (Decision::Rejected, TokenBucketState { credit, updated }),
        }
    }

    fn gauges(&self, state: &TokenBucketState, now: Nanos) -> Vec<Gauge> {
        vec![Gauge::requests(
            "tokens",
            self.tokens(state, now),
            Some(f64::from(self.capacity)),
        )]
    }

    /// The bucket's contents plus one token per interval: B + span / interval.
    fn bound(&self, span: Nanos) -> u64 {
        u64::from(self.capacity) + span / self.refill_interval
    }

    fn describe(&self) -> String {
        format!(
            "capacity {}, 1 token every {}",
            self.capacity,
            format_duration(self.refill_interval)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::limiter::run;
    use crate::sim::time::{MILLISECOND, SECOND};

    #[test]
    fn spends_the_burst_then_refills_at_the_rate() {
        let bucket = TokenBucket::new(Quota::new(3, 300 * MILLISECOND).unwrap());
        let at = |ms: u64| ms * MILLISECOND;
        let (decisions, state) = run(&bucket, &[0, 0, 0, 0, at(99), at(100), at(150), at(200)]);
        use Decision::{Admitted as A, Rejected as R};
        assert_eq!(decisions, [A, A, A, R, R, A, R, A]);
        assert_eq!(bucket.tokens(&state, at(200)), 0.0);
        assert_eq!(bucket.tokens(&state, at(250)), 0.5);
        assert_eq!(bucket.tokens(&state, 10 * SECOND), 3.0);
    }

    #[test]
    fn describes_itself() {
        let bucket = TokenBucket::new(Quota::new(10, SECOND).unwrap());
        assert_eq!(bucket.describe(), "capacity 10, 1 token every 100ms");
        assert_eq!(bucket.bound(SECOND), 20);
        let gauges = bucket.gauges(&bucket.initial_state(), 0);
        assert_eq!((gauges[0].value, gauges[0].max), (10.0, Some(10.0)));
    }
}
