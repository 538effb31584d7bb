//! Leaky bucket as a meter (the policer): each request pours one unit into a bucket that leaks
//! at a steady rate, and a request that would overflow it is rejected. The mirror image of a
//! token bucket: the level here is the capacity minus the tokens there.

use serde::Serialize;

use super::{Algo, Decision, Gauge, Limiter, Quota};
use crate::sim::time::{Nanos, format_duration};

/// A bucket holding up to `capacity` requests' worth, leaking one every `leak_interval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LeakyMeter {
    capacity: u32,
    leak_interval: Nanos,
}

/// The water level in nanoseconds of leaking (requests x leak interval), so that leaking is
/// exact integer subtraction of elapsed time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LeakyMeterState {
    pub level: Nanos,
    /// When `level` was last brought up to date.
    pub updated: Nanos,
}

impl LeakyMeter {
    /// Capacity `quota.limit()`, leaking one every `quota.interval()`.
    pub fn new(quota: Quota) -> LeakyMeter {
        LeakyMeter {
            capacity: quota.limit(),
            leak_interval: quota.interval(),
        }
    }

    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    pub fn leak_interval(&self) -> Nanos {
        self.leak_interval
    }

    fn level_at(&self, state: &LeakyMeterState, now: Nanos) -> Nanos {
        state
            .level
            .saturating_sub(now.saturating_sub(state.updated))
    }

    /// Requests' worth of water in the bucket at `now`, fractions included.
    pub fn fill(&self, state: &LeakyMeterState, now: Nanos) -> f64 {
        self.level_at(state, now) as f64 / self.leak_interval as f64
    }
}

impl Limiter for LeakyMeter {
    type State = LeakyMeterState;

    fn algo(&self) -> Algo {
        Algo::LeakyMeter
    }

    fn initial_state(&self) -> LeakyMeterState {
        LeakyMeterState {
            level: 0,
            updated: 0,
        }
    }

    fn step(&self, state: LeakyMeterState, now: Nanos) -> (Decision, LeakyMeterState) {
        let level = self.level_at(&state, now);
        let updated = now.max(state.updated);
        let poured = level + self.leak_interval;
        if poured > u64::from(self.capacity) * self.leak_interval {
            return (Decision::Rejected, LeakyMeterState { level, updated });
        }
        let state = LeakyMeterState {
            level: poured,
            updated,
        };
        (Decision::Admitted, state)
    }

    fn gauges(&self, state: &LeakyMeterState, now: Nanos) -> Vec<Gauge> {
        vec![Gauge::requests(
            "level",
            self.fill(state, now),
            Some(f64::from(self.capacity)),
        )]
    }

    /// Same as the token bucket it mirrors: capacity + span / interval.
    fn bound(&self, span: Nanos) -> u64 {
        u64::from(self.capacity) + span / self.leak_interval
    }

    fn describe(&self) -> String {
        format!(
            "capacity {}, leaks 1 every {}",
            self.capacity,
            format_duration(self.leak_interval)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::limiter::run;
    use crate::sim::time::MILLISECOND;

    #[test]
    fn fills_then_leaks() {
        let meter = LeakyMeter::new(Quota::new(2, 200 * MILLISECOND).unwrap());
        let at = |ms: u64| ms * MILLISECOND;
        let (decisions, state) = run(&meter, &[0, 0, 0, at(50), at(100)]);
        use Decision::{Admitted as A, Rejected as R};
        assert_eq!(decisions, [A, A, R, R, A]);
        assert_eq!(meter.fill(&state, at(100)), 2.0);
        assert_eq!(meter.fill(&state, at(150)), 1.5);
        assert_eq!(meter.fill(&state, at(900)), 0.0);
    }
}
