//! The load-balancer lab's run: every algorithm on one workload, advanced in simulated time,
//! with each server's outstanding requests sampled at a fixed simulated interval for the
//! history bars, and each algorithm's latency summary kept up to date.

use crate::sim::balancer::{
    Algo, Arrivals, Config, Failure, Fleet, Hashing, Lane, Latency, Run, Service, Shape,
};
use crate::sim::time::{MILLISECOND, Nanos};

/// Simulated time between two samples of the servers' load.
pub const SLICE: Nanos = 100 * MILLISECOND;
/// Samples kept per server: the bars show at most this many.
const HISTORY: usize = 200;
/// Requests in the lab's workload: about 28 simulated seconds at the default load, enough for
/// a failing server's first outage, and few enough to summarise on every frame.
const REQUESTS: usize = 20_000;
/// The mean service time of a normal server.
pub const MEAN_SERVICE: Nanos = 10 * MILLISECOND;

/// The settings a run is made from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setup {
    pub servers: usize,
    pub utilisation: f64,
    pub service: Service,
    pub slow: usize,
    pub failing: usize,
    pub failure: Failure,
    pub seed: u64,
}

impl Setup {
    pub fn config(&self) -> Config {
        Config {
            shape: Shape {
                requests: REQUESTS,
                utilisation: self.utilisation,
                servers: self.servers,
                mean_service: MEAN_SERVICE,
                arrivals: Arrivals::Poisson,
                service: self.service,
                keys: 1_000,
                seed: self.seed,
            },
            fleet: Fleet {
                slow: self.slow,
                failing: self.failing,
                failure: self.failure,
                ..Fleet::healthy(self.servers)
            },
            hashing: Hashing {
                vnodes: 100,
                epsilon: 0.25,
                seed: self.seed,
            },
        }
    }
}

/// Every algorithm's lane, the simulated clock, the load history and the latency summaries.
pub struct LabRun {
    pub run: Run,
    pub now: Nanos,
    /// Per lane, per server: outstanding requests at each sample, oldest first.
    pub history: Vec<Vec<Vec<u32>>>,
    pub latency: Vec<Latency>,
    next_sample: Nanos,
}

impl LabRun {
    /// A run at time zero; `None` if the setup is not a valid fleet (the lab never makes one).
    pub fn new(setup: &Setup) -> Option<LabRun> {
        let run = Run::new(setup.config(), &Algo::ALL).ok()?;
        let lanes = run.lanes.len();
        Some(LabRun {
            history: vec![vec![Vec::new(); setup.servers]; lanes],
            latency: vec![Latency::default(); lanes],
            run,
            now: 0,
            next_sample: SLICE,
        })
    }

    /// Advances every lane by `span` of simulated time, sampling on the way.
    pub fn advance(&mut self, span: Nanos) {
        let target = self.now.saturating_add(span);
        while self.next_sample <= target {
            self.run.advance_to(self.next_sample);
            self.sample();
            self.next_sample += SLICE;
        }
        self.run.advance_to(target);
        self.now = target;
        self.latency = self.run.lanes.iter().map(Lane::latency).collect();
    }

    fn sample(&mut self) {
        for (lane, history) in self.run.lanes.iter().zip(&mut self.history) {
            for (server, samples) in lane.servers.iter().zip(history.iter_mut()) {
                if samples.len() == 2 * HISTORY {
                    samples.drain(..HISTORY);
                }
                samples.push(server.outstanding);
            }
        }
    }

    pub fn finished(&self) -> bool {
        self.run.finished()
    }

    /// Requests that have arrived so far (the same in every lane).
    pub fn arrived(&self) -> usize {
        self.run.lanes.first().map_or(0, |lane| lane.arrived)
    }

    pub fn total(&self) -> usize {
        self.run.workload.requests().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_samples_every_slice_and_keeps_the_history_bounded() {
        let setup = Setup {
            servers: 4,
            utilisation: 0.9,
            service: Service::Exponential,
            slow: 1,
            failing: 1,
            failure: Failure::Fast,
            seed: 1,
        };
        let mut run = LabRun::new(&setup).unwrap();
        run.advance(SLICE * 3 + 1);
        assert_eq!(run.history[0][0].len(), 3);
        assert!(run.latency[0].count > 0);
        for _ in 0..500 {
            run.advance(SLICE);
        }
        assert!(run.history.iter().flatten().all(|h| h.len() <= 2 * HISTORY));
        assert_eq!(run.now, 503 * SLICE + 1);
    }
}
