//! The rate-limiter lab's simulation: the same arrivals offered to one to four limiters in
//! simulated time, keeping what is in view (requests, a gauge's history) and a running tally.

use std::collections::VecDeque;

use rand::SeedableRng;
use rand_pcg::Pcg64;

use crate::sim::limiter::{Algo, AnyLimiter, Decision, Gauge, Quota, Tally, Unit};
use crate::sim::time::Nanos;
use crate::sim::traffic::Traffic;

/// The timeline shows this many windows, so window effects always have room to show.
pub const VIEW_WINDOWS: u64 = 8;
/// Gauge samples per view: about one per column on a wide terminal.
const SAMPLES_PER_VIEW: u64 = 240;
/// Generated traffic comes in blocks of about this many windows.
const BLOCK_WINDOWS: u64 = 16;
/// At most this many requests per advance, so a fast speed on heavy traffic slows the
/// simulation instead of stalling the screen.
const MAX_OFFERS_PER_ADVANCE: usize = 50_000;

/// One request in view and what a limiter did with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub at: Nanos,
    pub decision: Decision,
}

/// One limiter of the run.
#[derive(Debug, Clone)]
pub struct Lane {
    pub limiter: AnyLimiter,
    /// Requests inside the view, oldest first.
    pub events: VecDeque<Event>,
    /// The plotted gauge as a fraction of its ceiling, sampled over the view.
    pub samples: VecDeque<(Nanos, f64)>,
    /// Everything offered since the start.
    pub tally: Tally,
    total_delay: u128,
    /// Forwarding times within the last window, for the running densest-window count.
    recent: VecDeque<Nanos>,
}

/// The gauge drawn over time: the last request count with a ceiling (tokens, level, waiting,
/// the sliding estimate), else the last gauge with one (GCRA's TAT ahead of now).
pub fn plotted(gauges: &[Gauge]) -> Option<&Gauge> {
    let capped = |g: &&Gauge| g.max.is_some_and(|m| m > 0.0);
    gauges
        .iter()
        .rev()
        .find(|g| capped(g) && g.unit == Unit::Requests)
        .or_else(|| gauges.iter().rev().find(capped))
}

impl Lane {
    fn new(algo: Algo, quota: Quota) -> Lane {
        Lane {
            limiter: AnyLimiter::new(algo, quota),
            events: VecDeque::new(),
            samples: VecDeque::new(),
            tally: Tally::of(&[], &[], quota.window()),
            total_delay: 0,
            recent: VecDeque::new(),
        }
    }

    fn offer(&mut self, at: Nanos) {
        let decision = self.limiter.offer(at);
        self.events.push_back(Event { at, decision });
        let t = &mut self.tally;
        t.offered += 1;
        match decision {
            Decision::Rejected => t.rejected += 1,
            Decision::Admitted => t.admitted += 1,
            Decision::Queued { delay } => {
                t.admitted += 1;
                t.queued += 1;
                t.max_delay = t.max_delay.max(delay);
                self.total_delay += u128::from(delay);
            }
        }
        if t.admitted > 0 {
            t.mean_delay = (self.total_delay / u128::from(t.admitted)) as Nanos;
        }
        // Forwarding times never go backwards: a queue releases in order, the rest at once.
        if let Some(out) = decision.forwarded_at(at) {
            self.recent.push_back(out);
            while self.recent.front().is_some_and(|&f| out - f >= t.window) {
                self.recent.pop_front();
            }
            t.max_in_window = t.max_in_window.max(self.recent.len() as u64);
        }
    }

    fn sample(&mut self, at: Nanos) {
        let gauges = self.limiter.gauges(at);
        if let Some(g) = plotted(&gauges) {
            let ratio = g.value / g.max.unwrap_or(1.0);
            self.samples.push_back((at, ratio.clamp(0.0, 1.0)));
        }
    }
}

/// About [`BLOCK_WINDOWS`] windows, rounded up to whole periods of the pattern so that blocks
/// of arrivals join without a seam.
fn block_length(traffic: &Traffic, window: Nanos) -> Nanos {
    let period = match traffic {
        Traffic::Steady { interval } => *interval,
        Traffic::Bursts { period, .. } => *period,
        Traffic::Boundary { window, .. } => window.saturating_mul(2),
        Traffic::Poisson { .. } | Traffic::Script { .. } => window,
    }
    .max(1);
    let target = window.saturating_mul(BLOCK_WINDOWS);
    period.saturating_mul(target.div_ceil(period).max(1))
}

/// The run: shared traffic, the lanes, and simulated time.
#[derive(Debug, Clone)]
pub struct Run {
    pub quota: Quota,
    /// Generated arrivals, or `None` when requests come only by hand.
    pub traffic: Option<Traffic>,
    rng: Pcg64,
    pending: VecDeque<Nanos>,
    generated_until: Nanos,
    next_sample: Nanos,
    pub now: Nanos,
    pub lanes: Vec<Lane>,
}

impl Run {
    pub fn new(algos: &[Algo], quota: Quota, traffic: Option<Traffic>, seed: u64) -> Run {
        let mut run = Run {
            quota,
            traffic,
            rng: Pcg64::seed_from_u64(seed),
            pending: VecDeque::new(),
            generated_until: 0,
            next_sample: 0,
            now: 0,
            lanes: algos.iter().map(|&a| Lane::new(a, quota)).collect(),
        };
        run.sample_all(0);
        run.next_sample = run.quantum();
        run
    }

    /// How much simulated time the timeline shows.
    pub fn span(&self) -> Nanos {
        self.quota.window().saturating_mul(VIEW_WINDOWS)
    }

    /// Where the timeline starts: zero until the view fills, then it scrolls with `now`.
    pub fn view_start(&self) -> Nanos {
        self.now.saturating_sub(self.span())
    }

    fn quantum(&self) -> Nanos {
        (self.span() / SAMPLES_PER_VIEW).max(1)
    }

    /// A block of generated arrivals, appended to the pending ones.
    fn generate(&mut self) {
        let Some(traffic) = &self.traffic else {
            return;
        };
        let length = block_length(traffic, self.quota.window());
        let start = self.generated_until;
        let arrivals = traffic.arrivals(length, &mut self.rng);
        self.pending
            .extend(arrivals.into_iter().map(|t| t.saturating_add(start)));
        self.generated_until = start.saturating_add(length);
    }

    fn offer_all(&mut self, at: Nanos) {
        for lane in &mut self.lanes {
            lane.offer(at);
        }
    }

    fn sample_all(&mut self, at: Nanos) {
        for lane in &mut self.lanes {
            lane.sample(at);
        }
    }

    /// Plays the traffic up to `until` (exclusive), sampling gauges on the way.
    pub fn advance_to(&mut self, until: Nanos) {
        let mut offered = 0;
        loop {
            if self.pending.is_empty() && self.traffic.is_some() && self.generated_until < until {
                self.generate();
            }
            let next = self.pending.front().copied().filter(|&t| t < until);
            if self.next_sample < until && next.is_none_or(|t| self.next_sample <= t) {
                let at = self.next_sample;
                self.sample_all(at);
                self.next_sample = at + self.quantum();
                continue;
            }
            let Some(at) = next else {
                self.now = self.now.max(until);
                break;
            };
            if offered == MAX_OFFERS_PER_ADVANCE {
                self.now = self.now.max(at);
                break;
            }
            self.pending.pop_front();
            self.offer_all(at);
            offered += 1;
        }
        self.trim();
    }

    /// Offers `count` requests at the current time to every lane.
    pub fn fire(&mut self, count: u32) {
        for _ in 0..count {
            self.offer_all(self.now);
        }
        self.sample_all(self.now);
    }

    /// Forgets what scrolled out of view (one sample more, so the line reaches the edge).
    fn trim(&mut self) {
        let start = self.view_start();
        let keep_from = start.saturating_sub(self.quantum());
        for lane in &mut self.lanes {
            while lane.events.front().is_some_and(|e| e.at < start) {
                lane.events.pop_front();
            }
            while lane.samples.front().is_some_and(|&(t, _)| t < keep_from) {
                lane.samples.pop_front();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::time::SECOND;
    use crate::sim::traffic::Pattern;

    fn quota() -> Quota {
        Quota::new(10, SECOND).unwrap()
    }

    #[test]
    fn running_tally_matches_the_batch_tally() {
        for pattern in Pattern::ALL {
            let traffic = pattern.shaped_for(quota());
            let mut run = Run::new(&Algo::ALL, quota(), Some(traffic.clone()), 7);
            // Uneven steps, so block joins and step ends fall anywhere.
            let mut t = 0;
            for i in 0..40 {
                t += 137_000_000 + i * 3_000_000;
                run.advance_to(t);
            }
            let mut rng = Pcg64::seed_from_u64(7);
            let mut arrivals = Vec::new();
            let mut start = 0;
            while arrivals.last().is_none_or(|&a| a < t) {
                let length = block_length(&traffic, quota().window());
                arrivals.extend(traffic.arrivals(length, &mut rng).iter().map(|a| a + start));
                start += length;
            }
            arrivals.retain(|&a| a < t);
            for lane in &run.lanes {
                let mut limiter = AnyLimiter::new(lane.limiter.algo(), quota());
                let decisions = limiter.offer_all(&arrivals);
                let batch = Tally::of(&arrivals, &decisions, quota().window());
                assert_eq!(lane.tally, batch, "{pattern:?} {:?}", lane.limiter.algo());
            }
        }
    }

    #[test]
    fn view_keeps_only_recent_requests() {
        let traffic = Pattern::Steady.shaped_for(quota());
        let mut run = Run::new(&[Algo::TokenBucket], quota(), Some(traffic), 0);
        run.advance_to(30 * SECOND);
        let lane = &run.lanes[0];
        assert_eq!(run.view_start(), 22 * SECOND);
        assert!(lane.events.iter().all(|e| e.at >= run.view_start()));
        assert_eq!(lane.events.len(), 160);
        assert_eq!(lane.tally.offered, 600);
        assert!(lane.samples.len() >= SAMPLES_PER_VIEW as usize);
    }

    #[test]
    fn requests_by_hand_spend_the_bucket() {
        let mut run = Run::new(&[Algo::TokenBucket, Algo::FixedWindow], quota(), None, 0);
        run.advance_to(SECOND / 2);
        run.fire(12);
        for lane in &run.lanes {
            assert_eq!((lane.tally.admitted, lane.tally.rejected), (10, 2));
        }
        let tokens = run.lanes[0].samples.back().unwrap().1;
        assert_eq!(tokens, 0.0);
    }

    #[test]
    fn gcra_plots_its_tat_and_counters_their_estimate() {
        let gauges = AnyLimiter::new(Algo::Gcra, quota()).gauges(0);
        assert_eq!(plotted(&gauges).unwrap().label, "TAT ahead of now");
        let gauges = AnyLimiter::new(Algo::SlidingCounter, quota()).gauges(0);
        assert_eq!(plotted(&gauges).unwrap().label, "estimate");
    }
}
