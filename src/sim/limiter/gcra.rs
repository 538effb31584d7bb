//! GCRA, the generic cell rate algorithm from ATM networks: one timestamp, the theoretical
//! arrival time (TAT), does the work of a token bucket's counter and clock.

use serde::Serialize;

use super::{Algo, Decision, Gauge, Limiter, Quota};
use crate::sim::time::{Nanos, format_duration};

/// GCRA with emission interval `T` (time per request at the sustained rate) and tolerance
/// `tau` (how far ahead of schedule a request may be); a burst of `tau / T + 1` fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Gcra {
    emission_interval: Nanos,
    tolerance: Nanos,
}

/// The theoretical arrival time: when the next request would be exactly on schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GcraState {
    pub tat: Nanos,
}

impl Gcra {
    /// `T = quota.interval()` and `tau = (limit - 1) * T`: the same limits as a token bucket
    /// of capacity `limit`.
    pub fn new(quota: Quota) -> Gcra {
        let interval = quota.interval();
        Gcra::with_tolerance(interval, interval * u64::from(quota.limit() - 1))
    }

    /// GCRA from its own parameters; the emission interval is at least one nanosecond.
    pub fn with_tolerance(emission_interval: Nanos, tolerance: Nanos) -> Gcra {
        Gcra {
            emission_interval: emission_interval.max(1),
            tolerance,
        }
    }

    pub fn emission_interval(&self) -> Nanos {
        self.emission_interval
    }

    pub fn tolerance(&self) -> Nanos {
        self.tolerance
    }
}

impl Limiter for Gcra {
    type State = GcraState;

    fn algo(&self) -> Algo {
        Algo::Gcra
    }

    fn initial_state(&self) -> GcraState {
        GcraState { tat: 0 }
    }

    /// Conforming unless the request is more than `tau` ahead of the TAT; a conforming request
    /// pushes the TAT one emission interval past max(TAT, now).
    fn step(&self, state: GcraState, now: Nanos) -> (Decision, GcraState) {
        if now < state.tat.saturating_sub(self.tolerance) {
            return (Decision::Rejected, state);
        }
        let tat = state.tat.max(now) + self.emission_interval;
        (Decision::Admitted, GcraState { tat })
    }

    fn gauges(&self, state: &GcraState, now: Nanos) -> Vec<Gauge> {
        let ceiling = self.tolerance + self.emission_interval;
        vec![
            Gauge::seconds("TAT", state.tat, None),
            Gauge::seconds(
                "TAT ahead of now",
                state.tat.saturating_sub(now),
                Some(ceiling),
            ),
        ]
    }

    /// n requests push the TAT n*T past the first, and the last may be tau early:
    /// (n - 1) * T <= span + tau.
    fn bound(&self, span: Nanos) -> u64 {
        (span + self.tolerance) / self.emission_interval + 1
    }

    fn describe(&self) -> String {
        format!(
            "emission interval {}, tolerance {}",
            format_duration(self.emission_interval),
            format_duration(self.tolerance)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::limiter::run;
    use crate::sim::time::{MILLISECOND, SECOND};

    #[test]
    fn admits_a_burst_then_one_per_interval() {
        let gcra = Gcra::new(Quota::new(2, 200 * MILLISECOND).unwrap());
        assert_eq!(
            (gcra.emission_interval(), gcra.tolerance()),
            (100 * MILLISECOND, 100 * MILLISECOND)
        );
        let at = |ms: u64| ms * MILLISECOND;
        let (decisions, state) = run(&gcra, &[0, 0, 0, at(99), at(100), at(150)]);
        use Decision::{Admitted as A, Rejected as R};
        assert_eq!(decisions, [A, A, R, R, A, R]);
        assert_eq!(state.tat, at(300));
        let gauges = gcra.gauges(&state, at(150));
        assert_eq!(gauges[1].value, 0.15);
        assert_eq!(gcra.bound(SECOND), 12);
    }
}
