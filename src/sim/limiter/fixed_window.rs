//! Fixed window counter: count requests per aligned window and reset at each boundary. Cheap,
//! but a burst straddling a boundary gets twice the limit through in one window's time.

use serde::Serialize;

use super::window::WindowQuota;
use super::{Algo, Decision, Gauge, Limiter, Quota};
use crate::sim::time::Nanos;

/// `limit` requests per window `[k * window, (k + 1) * window)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FixedWindow {
    #[serde(flatten)]
    quota: WindowQuota,
}

/// The current window and how many requests it has admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FixedWindowState {
    pub window_start: Nanos,
    pub count: u32,
}

impl FixedWindow {
    pub fn new(quota: Quota) -> FixedWindow {
        FixedWindow {
            quota: WindowQuota::new(quota),
        }
    }

    pub fn limit(&self) -> u32 {
        self.quota.limit
    }

    pub fn window(&self) -> Nanos {
        self.quota.window
    }

    /// The state with the window rolled forward to the one containing `now`.
    fn rolled(&self, state: FixedWindowState, now: Nanos) -> FixedWindowState {
        let window_start = self.quota.aligned_start(now);
        match window_start > state.window_start {
            true => FixedWindowState {
                window_start,
                count: 0,
            },
            false => state,
        }
    }
}

impl Limiter for FixedWindow {
    type State = FixedWindowState;

    fn algo(&self) -> Algo {
        Algo::FixedWindow
    }

    fn initial_state(&self) -> FixedWindowState {
        FixedWindowState {
            window_start: 0,
            count: 0,
        }
    }

    fn step(&self, state: FixedWindowState, now: Nanos) -> (Decision, FixedWindowState) {
        let state = self.rolled(state, now);
        match state.count < self.quota.limit {
            true => (
                Decision::Admitted,
                FixedWindowState {
                    count: state.count + 1,
                    ..state
                },
            ),
            false => (Decision::Rejected, state),
        }
    }

    fn gauges(&self, state: &FixedWindowState, now: Nanos) -> Vec<Gauge> {
        let state = self.rolled(*state, now);
        let window = self.quota.window;
        let ends_in = (state.window_start + window).saturating_sub(now);
        vec![
            Gauge::requests("count", f64::from(state.count), self.quota.ceiling()),
            Gauge::seconds("window resets in", ends_in, Some(window)),
        ]
    }

    /// An interval of `span` touches at most ceil(span / window) + 1 windows, each worth
    /// `limit`: 2L for one window's length.
    fn bound(&self, span: Nanos) -> u64 {
        self.quota.aligned_bound(span)
    }

    fn describe(&self) -> String {
        self.quota.per_window()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::limiter::run;
    use crate::sim::time::MILLISECOND;

    #[test]
    fn resets_at_the_boundary() {
        let fixed = FixedWindow::new(Quota::new(2, 100 * MILLISECOND).unwrap());
        let at = |ms: u64| ms * MILLISECOND;
        let (decisions, state) = run(&fixed, &[at(90), at(95), at(99), at(100), at(101), at(102)]);
        use Decision::{Admitted as A, Rejected as R};
        assert_eq!(decisions, [A, A, R, A, A, R]);
        assert_eq!(
            state,
            FixedWindowState {
                window_start: at(100),
                count: 2
            }
        );
        assert_eq!(fixed.bound(at(100)), 4);
        assert_eq!(fixed.gauges(&state, at(250))[0].value, 0.0);
    }
}
