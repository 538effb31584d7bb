//! The cache lab's replay: one trace offered to every policy, a request at a time, with each
//! policy's tally and the outcome of the latest request.

use std::num::NonZeroUsize;

use crate::sim::cache::{Cache, Key, Policy, Shape, Tally, Trace};

/// Every policy on the same trace, `position` requests in.
pub struct Run {
    pub trace: Trace,
    pub lanes: Vec<Lane>,
    pub position: usize,
    /// Requests per point of the hit-ratio chart.
    pub window: u64,
}

/// One policy's cache and what it has done so far.
pub struct Lane {
    pub cache: Box<dyn Cache>,
    pub tally: Tally,
    /// Whether the latest request hit.
    pub last: Option<bool>,
}

/// The settings a run is made from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setup {
    pub capacity: NonZeroUsize,
    pub shape: Shape,
    pub skew: f64,
    pub keys: u64,
    pub length: usize,
    pub seed: u64,
    /// Points on the chart over the whole trace.
    pub points: u64,
}

impl Run {
    /// A run at request zero; a setting the trace cannot be made from gives an empty trace.
    pub fn new(setup: &Setup) -> Run {
        let trace = setup
            .shape
            .generate(setup.keys, setup.skew, setup.length, setup.seed)
            .unwrap_or_else(|_| Trace::new(Vec::new()));
        let window = (setup.length as u64).div_ceil(setup.points).max(1);
        let lanes = Policy::ALL
            .into_iter()
            .map(|policy| Lane {
                cache: policy.build(setup.capacity, &trace.requests),
                tally: Tally::new(window),
                last: None,
            })
            .collect();
        Run {
            trace,
            lanes,
            position: 0,
            window,
        }
    }

    /// Offers up to `n` more requests to every policy.
    pub fn advance(&mut self, n: usize) {
        let end = (self.position + n).min(self.trace.requests.len());
        for &key in &self.trace.requests[self.position..end] {
            for lane in &mut self.lanes {
                let hit = lane.cache.access(key);
                lane.tally.record(hit);
                lane.last = Some(hit);
            }
        }
        self.position = end;
    }

    pub fn finished(&self) -> bool {
        self.position >= self.trace.requests.len()
    }

    /// The key requested last, if any.
    pub fn last_key(&self) -> Option<Key> {
        self.position
            .checked_sub(1)
            .and_then(|i| self.trace.requests.get(i).copied())
    }
}
