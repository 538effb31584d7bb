//! Sliding window log: remember the time of every admitted request and admit a new one only if
//! fewer than `limit` fall in the last window. Exact, at the cost of memory per request.

use std::collections::VecDeque;

use serde::Serialize;

use super::window::WindowQuota;
use super::{Algo, Decision, Gauge, Limiter, Quota};
use crate::sim::time::{Nanos, format_duration};

/// At most `limit` admitted requests in any window-long interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SlidingLog {
    #[serde(flatten)]
    quota: WindowQuota,
}

/// Times of admitted requests still inside the window, oldest first. Rejected requests are
/// not logged, so a flood does not lock out a client forever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlidingLogState {
    pub log: VecDeque<Nanos>,
}

impl SlidingLog {
    pub fn new(quota: Quota) -> SlidingLog {
        SlidingLog {
            quota: WindowQuota::new(quota),
        }
    }

    pub fn limit(&self) -> u32 {
        self.quota.limit
    }

    pub fn window(&self) -> Nanos {
        self.quota.window
    }

    /// Entries still inside the window `(now - window, now]`.
    fn live<'a>(&self, state: &'a SlidingLogState, now: Nanos) -> impl Iterator<Item = Nanos> + 'a {
        let window = self.quota.window;
        state
            .log
            .iter()
            .copied()
            .filter(move |&time| time + window > now)
    }
}

impl Limiter for SlidingLog {
    type State = SlidingLogState;

    fn algo(&self) -> Algo {
        Algo::SlidingLog
    }

    fn initial_state(&self) -> SlidingLogState {
        SlidingLogState {
            log: VecDeque::new(),
        }
    }

    fn step(&self, mut state: SlidingLogState, now: Nanos) -> (Decision, SlidingLogState) {
        while state
            .log
            .front()
            .is_some_and(|&oldest| oldest + self.quota.window <= now)
        {
            state.log.pop_front();
        }
        if state.log.len() >= self.quota.limit as usize {
            return (Decision::Rejected, state);
        }
        state.log.push_back(now);
        (Decision::Admitted, state)
    }

    fn gauges(&self, state: &SlidingLogState, now: Nanos) -> Vec<Gauge> {
        let mut live = self.live(state, now);
        let oldest = live.next();
        let in_window = oldest.map_or(0, |_| 1 + live.count());
        let window = self.quota.window;
        let frees_in = oldest.map_or(0, |time| time + window - now);
        vec![
            Gauge::requests("in window", in_window as f64, self.quota.ceiling()),
            Gauge::seconds("oldest entry expires in", frees_in, Some(window)),
        ]
    }

    /// `limit` per window-long interval, and a longer span is covered by ceil(span / window)
    /// such intervals.
    fn bound(&self, span: Nanos) -> u64 {
        u64::from(self.quota.limit) * span.div_ceil(self.quota.window)
    }

    fn describe(&self) -> String {
        format!(
            "{} per sliding {}",
            self.quota.limit,
            format_duration(self.quota.window)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::limiter::run;
    use crate::sim::time::MILLISECOND;

    #[test]
    fn slides_instead_of_resetting() {
        let log = SlidingLog::new(Quota::new(2, 100 * MILLISECOND).unwrap());
        let at = |ms: u64| ms * MILLISECOND;
        let (decisions, state) = run(&log, &[at(90), at(95), at(100), at(189), at(190), at(196)]);
        use Decision::{Admitted as A, Rejected as R};
        assert_eq!(decisions, [A, A, R, R, A, A]);
        assert_eq!(state.log, [at(190), at(196)]);
        let gauges = log.gauges(&state, at(200));
        assert_eq!(gauges[0].value, 2.0);
        assert_eq!(gauges[1].value, 0.09);
        assert_eq!(log.gauges(&state, at(300))[0].value, 0.0);
    }
}
