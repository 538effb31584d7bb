//! Leaky bucket as a queue (the shaper, like nginx's `limit_req` with a burst): requests wait in
//! a bounded queue and leave one per drain interval, so bursts become delay instead of errors.

use serde::Serialize;

use super::{Algo, Decision, Gauge, Limiter, Quota};
use crate::sim::time::{Nanos, format_duration};

/// A queue of up to `capacity` waiting requests, drained one every `drain_interval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LeakyQueue {
    capacity: u32,
    drain_interval: Nanos,
}

/// When the most recently accepted request leaves; queued requests leave back to back before
/// it, so this one time determines the whole queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LeakyQueueState {
    pub last_departure: Option<Nanos>,
}

impl LeakyQueue {
    /// Room for `quota.limit()` waiting requests, one leaving every `quota.interval()`.
    pub fn new(quota: Quota) -> LeakyQueue {
        LeakyQueue {
            capacity: quota.limit(),
            drain_interval: quota.interval(),
        }
    }

    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    pub fn drain_interval(&self) -> Nanos {
        self.drain_interval
    }

    /// Requests still waiting at `now`: departures after `now`, spaced one interval apart.
    pub fn waiting(&self, state: &LeakyQueueState, now: Nanos) -> u64 {
        match state.last_departure {
            Some(last) if last > now => (last - now).div_ceil(self.drain_interval),
            _ => 0,
        }
    }
}

impl Limiter for LeakyQueue {
    type State = LeakyQueueState;

    fn algo(&self) -> Algo {
        Algo::LeakyQueue
    }

    fn initial_state(&self) -> LeakyQueueState {
        LeakyQueueState {
            last_departure: None,
        }
    }

    fn step(&self, state: LeakyQueueState, now: Nanos) -> (Decision, LeakyQueueState) {
        if self.waiting(&state, now) >= u64::from(self.capacity) {
            return (Decision::Rejected, state);
        }
        let departure = match state.last_departure {
            Some(last) => now.max(last + self.drain_interval),
            None => now,
        };
        let decision = match departure - now {
            0 => Decision::Admitted,
            delay => Decision::Queued { delay },
        };
        let state = LeakyQueueState {
            last_departure: Some(departure),
        };
        (decision, state)
    }

    fn gauges(&self, state: &LeakyQueueState, now: Nanos) -> Vec<Gauge> {
        let wait = state
            .last_departure
            .map_or(0, |last| (last + self.drain_interval).saturating_sub(now));
        vec![
            Gauge::requests(
                "waiting",
                self.waiting(state, now) as f64,
                Some(f64::from(self.capacity)),
            ),
            Gauge::seconds("delay for the next request", wait, Some(self.max_delay())),
        ]
    }

    /// Departures are at least one interval apart.
    fn bound(&self, span: Nanos) -> u64 {
        span.div_ceil(self.drain_interval)
    }

    /// A request joining a queue with capacity - 1 ahead of it leaves after `capacity` intervals.
    fn max_delay(&self) -> Nanos {
        u64::from(self.capacity) * self.drain_interval
    }

    fn describe(&self) -> String {
        format!(
            "queue of {}, 1 request leaves every {}",
            self.capacity,
            format_duration(self.drain_interval)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::limiter::run;
    use crate::sim::time::MILLISECOND;

    #[test]
    fn queues_a_burst_and_rejects_past_capacity() {
        let queue = LeakyQueue::new(Quota::new(2, 200 * MILLISECOND).unwrap());
        let at = |ms: u64| ms * MILLISECOND;
        let (decisions, state) = run(&queue, &[0, 0, 0, 0, at(150), at(500)]);
        use Decision::{Admitted as A, Queued as Q, Rejected as R};
        assert_eq!(
            decisions,
            [
                A,
                Q { delay: at(100) },
                Q { delay: at(200) },
                R,
                Q { delay: at(150) },
                A
            ]
        );
        assert_eq!(state.last_departure, Some(at(500)));
        assert_eq!(
            queue.waiting(
                &LeakyQueueState {
                    last_departure: Some(at(300))
                },
                at(150)
            ),
            2
        );
        assert_eq!(queue.waiting(&state, at(500)), 0);
    }

    #[test]
    fn departures_respect_the_bound() {
        let queue = LeakyQueue::new(Quota::new(5, 50).unwrap());
        assert_eq!(queue.bound(50), 5);
        assert_eq!(queue.bound(51), 6);
        assert_eq!(queue.max_delay(), 50);
    }
}
