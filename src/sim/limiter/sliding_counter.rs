//! Sliding window counter: two fixed-window counters, with the previous one weighted by how
//! much of it the sliding window still overlaps. Constant memory, close to the sliding log.

use serde::Serialize;

use super::window::WindowQuota;
use super::{Algo, Decision, Gauge, Limiter, Quota};
use crate::sim::time::Nanos;

/// Admits while `previous * (1 - elapsed/window) + current < limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SlidingCounter {
    #[serde(flatten)]
    quota: WindowQuota,
}

/// The aligned window holding the latest request, its count and the count of the window before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SlidingCounterState {
    pub window_start: Nanos,
    pub previous: u32,
    pub current: u32,
}

impl SlidingCounter {
    pub fn new(quota: Quota) -> SlidingCounter {
        SlidingCounter {
            quota: WindowQuota::new(quota),
        }
    }

    pub fn limit(&self) -> u32 {
        self.quota.limit
    }

    pub fn window(&self) -> Nanos {
        self.quota.window
    }

    /// The state with its windows rolled forward to the one containing `now`.
    fn rolled(&self, state: SlidingCounterState, now: Nanos) -> SlidingCounterState {
        let window_start = self.quota.aligned_start(now);
        if window_start <= state.window_start {
            return state;
        }
        let previous = match window_start - state.window_start == self.quota.window {
            true => state.current,
            false => 0,
        };
        SlidingCounterState {
            window_start,
            previous,
            current: 0,
        }
    }

    /// The estimate times the window length, kept integral so the comparison is exact.
    fn weighted(&self, state: &SlidingCounterState, now: Nanos) -> u128 {
        let window = self.quota.window;
        let elapsed = now.saturating_sub(state.window_start).min(window);
        let overlap = window - elapsed;
        u128::from(state.previous) * u128::from(overlap)
            + u128::from(state.current) * u128::from(window)
    }

    /// The estimated requests in the sliding window ending at `now`.
    pub fn estimate(&self, state: &SlidingCounterState, now: Nanos) -> f64 {
        let state = self.rolled(*state, now);
        self.weighted(&state, now) as f64 / self.quota.window as f64
    }
}

impl Limiter for SlidingCounter {
    type State = SlidingCounterState;

    fn algo(&self) -> Algo {
        Algo::SlidingCounter
    }

    fn initial_state(&self) -> SlidingCounterState {
        SlidingCounterState {
            window_start: 0,
            previous: 0,
            current: 0,
        }
    }

    fn step(&self, state: SlidingCounterState, now: Nanos) -> (Decision, SlidingCounterState) {
        let state = self.rolled(state, now);
        let window = u128::from(self.quota.window);
        // Admit while the estimate is below the limit, as the algorithm is described; not
        // while estimate + 1 fits, which turns away requests a fractional estimate allows.
        if self.weighted(&state, now) >= u128::from(self.quota.limit) * window {
            return (Decision::Rejected, state);
        }
        let state = SlidingCounterState {
            current: state.current + 1,
            ..state
        };
        (Decision::Admitted, state)
    }

    fn gauges(&self, state: &SlidingCounterState, now: Nanos) -> Vec<Gauge> {
        let rolled = self.rolled(*state, now);
        let limit = self.quota.ceiling();
        vec![
            Gauge::requests("previous window", f64::from(rolled.previous), limit),
            Gauge::requests("current window", f64::from(rolled.current), limit),
            Gauge::requests("estimate", self.estimate(state, now), limit),
        ]
    }

    /// Each aligned window admits at most `limit` (the estimate never undercounts the current
    /// window), so like the fixed window: limit * (ceil(span / window) + 1). For one window's
    /// length the 2L is reached: L at the very end of a window, then in the next one a request
    /// each time the previous window's weight has fallen by another 1/L.
    fn bound(&self, span: Nanos) -> u64 {
        self.quota.aligned_bound(span)
    }

    fn describe(&self) -> String {
        format!(
            "{}, previous window weighted by overlap",
            self.quota.per_window()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::limiter::run;
    use crate::sim::time::MILLISECOND;

    #[test]
    fn weights_the_previous_window_by_overlap() {
        let counter = SlidingCounter::new(Quota::new(4, 100 * MILLISECOND).unwrap());
        let at = |ms: u64| ms * MILLISECOND;
        // Four at the end of window 0; at 125ms the estimate is 4 * 0.75 = 3 and at 126ms
        // 4 * 0.74 + 1 = 3.96, both below 4; at 150ms it is 4 * 0.5 + 2 = 4.
        let arrivals = [
            at(96),
            at(97),
            at(98),
            at(99),
            at(100),
            at(125),
            at(126),
            at(150),
        ];
        let (decisions, state) = run(&counter, &arrivals);
        use Decision::{Admitted as A, Rejected as R};
        assert_eq!(decisions, [A, A, A, A, R, A, A, R]);
        assert_eq!(
            state,
            SlidingCounterState {
                window_start: at(100),
                previous: 4,
                current: 2
            }
        );
        assert_eq!(counter.estimate(&state, at(150)), 4.0);
        assert_eq!(counter.estimate(&state, at(200)), 2.0);
        assert_eq!(counter.estimate(&state, at(400)), 0.0);
    }
}
