//! Rate limiters as pure step functions: `(state, request time) -> (decision, state)`, with the
//! state in plain public fields so a screen can draw tokens, queues, counters and TATs.
//!
//! Time is integer nanoseconds ([`Nanos`]), so the analytic laws (2L at a fixed-window boundary,
//! B + r*T for a token bucket, GCRA = token bucket) hold exactly, not approximately.

mod fixed_window;
mod gcra;
mod leaky_meter;
mod leaky_queue;
mod quota;
mod sliding_counter;
mod sliding_log;
mod stats;
mod token_bucket;
mod window;

pub use fixed_window::{FixedWindow, FixedWindowState};
pub use gcra::{Gcra, GcraState};
pub use leaky_meter::{LeakyMeter, LeakyMeterState};
pub use leaky_queue::{LeakyQueue, LeakyQueueState};
pub use quota::{Quota, QuotaError};
pub use sliding_counter::{SlidingCounter, SlidingCounterState};
pub use sliding_log::{SlidingLog, SlidingLogState};
pub use stats::{Tally, max_in_window};
pub use token_bucket::{TokenBucket, TokenBucketState};

use std::fmt;

use serde::Serialize;

use crate::sim::time::Nanos;

/// What a limiter did with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "kebab-case")]
pub enum Decision {
    /// Let through at once.
    Admitted,
    /// Turned away.
    Rejected,
    /// Let through after waiting `delay` in a queue.
    Queued { delay: Nanos },
}

impl Decision {
    /// When the request leaves the limiter, if it does.
    pub fn forwarded_at(self, arrival: Nanos) -> Option<Nanos> {
        match self {
            Decision::Admitted => Some(arrival),
            Decision::Queued { delay } => Some(arrival + delay),
            Decision::Rejected => None,
        }
    }
}

/// A rate limiter: parameters in `self`, everything that changes in [`Limiter::State`].
///
/// Request times must not go backwards; an earlier time counts as no time passing.
pub trait Limiter {
    /// Everything the limiter remembers between requests.
    type State: Clone + fmt::Debug + PartialEq;

    /// Which algorithm this is.
    fn algo(&self) -> Algo;

    /// The state before the first request: buckets full, counters and queues empty.
    fn initial_state(&self) -> Self::State;

    /// Decides on a request arriving at `now` and returns the state after it.
    fn step(&self, state: Self::State, now: Nanos) -> (Decision, Self::State);

    /// The state as labelled numbers at time `now` (tokens refilled, windows rolled, and so on),
    /// for reports and for screens that draw a bar per gauge.
    fn gauges(&self, state: &Self::State, now: Nanos) -> Vec<Gauge>;

    /// An upper bound on requests forwarded in any interval `[a, a + span)`, from the
    /// parameters alone: the analytic figure the measured maximum is compared with.
    fn bound(&self, span: Nanos) -> u64;

    /// The longest a request can wait before it is forwarded; only a queue makes it wait.
    fn max_delay(&self) -> Nanos {
        0
    }

    /// The parameters in a phrase, e.g. "capacity 10, 1 token every 100ms".
    fn describe(&self) -> String;
}

/// One labelled number of a limiter's state, with its ceiling where it has one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gauge {
    pub label: &'static str,
    pub value: f64,
    pub max: Option<f64>,
    pub unit: Unit,
}

/// What a [`Gauge`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Requests,
    Seconds,
}

impl Gauge {
    fn requests(label: &'static str, value: f64, max: Option<f64>) -> Gauge {
        Gauge {
            label,
            value,
            max,
            unit: Unit::Requests,
        }
    }

    fn seconds(label: &'static str, nanos: Nanos, max: Option<Nanos>) -> Gauge {
        use crate::sim::time::as_seconds;
        Gauge {
            label,
            value: as_seconds(nanos),
            max: max.map(as_seconds),
            unit: Unit::Seconds,
        }
    }
}

/// The limiter algorithms, spelled as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Algo {
    TokenBucket,
    LeakyQueue,
    LeakyMeter,
    FixedWindow,
    SlidingLog,
    SlidingCounter,
    Gcra,
}

impl Algo {
    /// Every algorithm, in the order the labs present them.
    pub const ALL: [Algo; 7] = [
        Algo::TokenBucket,
        Algo::LeakyQueue,
        Algo::LeakyMeter,
        Algo::FixedWindow,
        Algo::SlidingLog,
        Algo::SlidingCounter,
        Algo::Gcra,
    ];

    /// The command-line spelling.
    pub fn name(self) -> &'static str {
        match self {
            Algo::TokenBucket => "token-bucket",
            Algo::LeakyQueue => "leaky-queue",
            Algo::LeakyMeter => "leaky-meter",
            Algo::FixedWindow => "fixed-window",
            Algo::SlidingLog => "sliding-log",
            Algo::SlidingCounter => "sliding-counter",
            Algo::Gcra => "gcra",
        }
    }

    /// A human title for reports and screens.
    pub fn title(self) -> &'static str {
        match self {
            Algo::TokenBucket => "token bucket",
            Algo::LeakyQueue => "leaky bucket as a queue",
            Algo::LeakyMeter => "leaky bucket as a meter",
            Algo::FixedWindow => "fixed window counter",
            Algo::SlidingLog => "sliding window log",
            Algo::SlidingCounter => "sliding window counter",
            Algo::Gcra => "generic cell rate algorithm (GCRA)",
        }
    }
}

/// A limiter together with its current state, for callers that feed requests one at a time.
#[derive(Debug, Clone)]
pub struct Session<L: Limiter> {
    pub limiter: L,
    pub state: L::State,
}

impl<L: Limiter> Session<L> {
    /// The limiter in its initial state.
    pub fn new(limiter: L) -> Session<L> {
        let state = limiter.initial_state();
        Session { limiter, state }
    }

    /// Decides on a request at `now`, advancing the state.
    pub fn offer(&mut self, now: Nanos) -> Decision {
        let state = std::mem::replace(&mut self.state, self.limiter.initial_state());
        let (decision, state) = self.limiter.step(state, now);
        self.state = state;
        decision
    }

    /// The current state as gauges at `now`.
    pub fn gauges(&self, now: Nanos) -> Vec<Gauge> {
        self.limiter.gauges(&self.state, now)
    }
}

/// Any limiter, chosen at run time; match on it to reach the concrete limiter and state.
#[derive(Debug, Clone)]
pub enum AnyLimiter {
    TokenBucket(Session<TokenBucket>),
    LeakyQueue(Session<LeakyQueue>),
    LeakyMeter(Session<LeakyMeter>),
    FixedWindow(Session<FixedWindow>),
    SlidingLog(Session<SlidingLog>),
    SlidingCounter(Session<SlidingCounter>),
    Gcra(Session<Gcra>),
}

/// Runs `$body` with `$session` bound to whichever session `$any` holds.
macro_rules! each_session {
    ($any:expr, $session:ident => $body:expr) => {
        match $any {
            AnyLimiter::TokenBucket($session) => $body,
            AnyLimiter::LeakyQueue($session) => $body,
            AnyLimiter::LeakyMeter($session) => $body,
            AnyLimiter::FixedWindow($session) => $body,
            AnyLimiter::SlidingLog($session) => $body,
            AnyLimiter::SlidingCounter($session) => $body,
            AnyLimiter::Gcra($session) => $body,
        }
    };
}

impl AnyLimiter {
    /// `algo` configured from `quota`: a bucket's capacity is the limit, its rate limit/window.
    pub fn new(algo: Algo, quota: Quota) -> AnyLimiter {
        match algo {
            Algo::TokenBucket => AnyLimiter::TokenBucket(Session::new(TokenBucket::new(quota))),
            Algo::LeakyQueue => AnyLimiter::LeakyQueue(Session::new(LeakyQueue::new(quota))),
            Algo::LeakyMeter => AnyLimiter::LeakyMeter(Session::new(LeakyMeter::new(quota))),
            Algo::FixedWindow => AnyLimiter::FixedWindow(Session::new(FixedWindow::new(quota))),
            Algo::SlidingLog => AnyLimiter::SlidingLog(Session::new(SlidingLog::new(quota))),
            Algo::SlidingCounter => {
                AnyLimiter::SlidingCounter(Session::new(SlidingCounter::new(quota)))
            }
            Algo::Gcra => AnyLimiter::Gcra(Session::new(Gcra::new(quota))),
        }
    }

    /// Which algorithm this is.
    pub fn algo(&self) -> Algo {
        each_session!(self, session => session.limiter.algo())
    }

    /// Decides on a request at `now`, advancing the state.
    pub fn offer(&mut self, now: Nanos) -> Decision {
        each_session!(self, session => session.offer(now))
    }

    /// The current state as gauges at `now`.
    pub fn gauges(&self, now: Nanos) -> Vec<Gauge> {
        each_session!(self, session => session.gauges(now))
    }

    /// See [`Limiter::bound`].
    pub fn bound(&self, span: Nanos) -> u64 {
        each_session!(self, session => session.limiter.bound(span))
    }

    /// See [`Limiter::max_delay`].
    pub fn max_delay(&self) -> Nanos {
        each_session!(self, session => session.limiter.max_delay())
    }

    /// See [`Limiter::describe`].
    pub fn describe(&self) -> String {
        each_session!(self, session => session.limiter.describe())
    }

    /// Offers every arrival in order and returns the decisions.
    pub fn offer_all(&mut self, arrivals: &[Nanos]) -> Vec<Decision> {
        arrivals.iter().map(|&now| self.offer(now)).collect()
    }
}

/// Runs `limiter` from its initial state over `arrivals`; returns the decisions and final state.
pub fn run<L: Limiter>(limiter: &L, arrivals: &[Nanos]) -> (Vec<Decision>, L::State) {
    let mut state = limiter.initial_state();
    let mut decisions = Vec::with_capacity(arrivals.len());
    for &now in arrivals {
        let (decision, next) = limiter.step(state, now);
        state = next;
        decisions.push(decision);
    }
    (decisions, state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::time::MILLISECOND;

    #[test]
    fn every_algorithm_runs_the_same_through_any_limiter_and_run() {
        let quota = Quota::new(3, 30 * MILLISECOND).unwrap();
        let arrivals: Vec<Nanos> = (0..40).map(|i| i * 4 * MILLISECOND).collect();
        for algo in Algo::ALL {
            let mut any = AnyLimiter::new(algo, quota);
            assert_eq!(any.algo(), algo);
            let decisions = any.offer_all(&arrivals);
            assert!(decisions.contains(&Decision::Rejected), "{algo:?} limits");
            assert!(!any.gauges(160 * MILLISECOND).is_empty());
            assert!(!any.describe().is_empty());
            let direct = each_session!(&any, session => run(&session.limiter, &arrivals).0);
            assert_eq!(decisions, direct, "{algo:?}");
        }
    }

    #[test]
    fn forwarded_time_includes_the_queue_delay() {
        assert_eq!(Decision::Admitted.forwarded_at(5), Some(5));
        assert_eq!(Decision::Queued { delay: 3 }.forwarded_at(5), Some(8));
        assert_eq!(Decision::Rejected.forwarded_at(5), None);
    }
}
