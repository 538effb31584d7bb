//! Cache eviction policies as step functions over a trace of keys: LRU, FIFO, LFU, ARC, 2Q and
//! Belady's MIN (OPT), the bound no policy can beat. Each request is a hit or a miss; a miss
//! admits the key, evicting one when the cache is full.
//!
//! Every structure is an ordered map, so the same trace always gives the same hits and the
//! same contents on screen.

mod arc;
mod expect;
mod fifo;
mod lfu;
mod lru;
mod opt;
mod queue;
mod trace;
mod two_q;

pub use arc::Arc;
pub use expect::{che_lru, fifo_approx, top_mass, zipf_popularity};
pub use fifo::Fifo;
pub use lfu::Lfu;
pub use lru::Lru;
pub use opt::Opt;
pub use trace::{MAX_KEY_BYTES, Shape, Trace, TraceError};
pub use two_q::TwoQ;

use std::num::NonZeroUsize;

use serde::Serialize;

/// A requested key; traces read from files number their distinct keys in order of first use.
pub type Key = u64;

/// A cache: what it does with one request, and what it holds.
pub trait Cache {
    fn policy(&self) -> Policy;

    /// Requests `key`: true on a hit. A miss admits the key, evicting one if the cache is full.
    fn access(&mut self, key: Key) -> bool;

    /// The keys held, the next to be evicted first where the policy has such an order.
    fn contents(&self) -> Vec<Key>;
}

/// The policies, spelled as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    Opt,
    Lru,
    Fifo,
    Lfu,
    Arc,
    #[serde(rename = "2q")]
    TwoQ,
}

impl Policy {
    /// Every policy, the bound first.
    pub const ALL: [Policy; 6] = [
        Policy::Opt,
        Policy::Lru,
        Policy::Fifo,
        Policy::Lfu,
        Policy::Arc,
        Policy::TwoQ,
    ];

    /// The command-line spelling.
    pub fn name(self) -> &'static str {
        match self {
            Policy::Opt => "opt",
            Policy::Lru => "lru",
            Policy::Fifo => "fifo",
            Policy::Lfu => "lfu",
            Policy::Arc => "arc",
            Policy::TwoQ => "2q",
        }
    }

    /// The short name reports and screens show.
    pub fn label(self) -> &'static str {
        match self {
            Policy::Opt => "OPT",
            Policy::Lru => "LRU",
            Policy::Fifo => "FIFO",
            Policy::Lfu => "LFU",
            Policy::Arc => "ARC",
            Policy::TwoQ => "2Q",
        }
    }

    /// A human title.
    pub fn title(self) -> &'static str {
        match self {
            Policy::Opt => "Belady's optimal (MIN)",
            Policy::Lru => "least recently used",
            Policy::Fifo => "first in, first out",
            Policy::Lfu => "least frequently used",
            Policy::Arc => "adaptive replacement cache",
            Policy::TwoQ => "2Q (full version)",
        }
    }

    /// A cache of `capacity` keys; OPT is given the `trace` it will be asked.
    pub fn build(self, capacity: NonZeroUsize, trace: &[Key]) -> Box<dyn Cache> {
        match self {
            Policy::Opt => Box::new(Opt::new(capacity, trace)),
            Policy::Lru => Box::new(Lru::new(capacity)),
            Policy::Fifo => Box::new(Fifo::new(capacity)),
            Policy::Lfu => Box::new(Lfu::new(capacity)),
            Policy::Arc => Box::new(Arc::new(capacity)),
            Policy::TwoQ => Box::new(TwoQ::new(capacity)),
        }
    }
}

/// What one policy did over a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tally {
    pub hits: u64,
    pub misses: u64,
    /// Hits in each window of `window` requests (the last may be shorter).
    pub window_hits: Vec<u64>,
    /// The requests per window.
    pub window: u64,
}

impl Tally {
    /// An empty tally counting hits in windows of `window` requests (at least one).
    pub fn new(window: u64) -> Tally {
        Tally {
            hits: 0,
            misses: 0,
            window_hits: Vec::new(),
            window: window.max(1),
        }
    }

    /// Counts one request.
    pub fn record(&mut self, hit: bool) {
        let index = (self.requests() / self.window) as usize;
        if self.window_hits.len() <= index {
            self.window_hits.push(0);
        }
        if hit {
            self.hits += 1;
            self.window_hits[index] += 1;
        } else {
            self.misses += 1;
        }
    }

    pub fn requests(&self) -> u64 {
        self.hits + self.misses
    }

    /// Hits over requests; zero before the first request.
    pub fn hit_ratio(&self) -> f64 {
        ratio(self.hits, self.requests())
    }

    /// The hit ratio of each window, the last over the requests it has so far.
    pub fn window_ratios(&self) -> Vec<f64> {
        let requests = self.requests();
        let windows = self.window_hits.len() as u64;
        self.window_hits
            .iter()
            .enumerate()
            .map(|(i, &hits)| {
                let size = match i as u64 + 1 == windows {
                    true => requests - self.window * (windows - 1),
                    false => self.window,
                };
                ratio(hits, size)
            })
            .collect()
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    match whole {
        0 => 0.0,
        _ => part as f64 / whole as f64,
    }
}

/// Runs `policy` with `capacity` over the whole `trace`, counting hits in windows of `window`.
pub fn run(policy: Policy, capacity: NonZeroUsize, trace: &[Key], window: u64) -> Tally {
    let mut cache = policy.build(capacity, trace);
    let mut tally = Tally::new(window);
    for &key in trace {
        tally.record(cache.access(key));
    }
    tally
}

/// Hits alone, for tests and laws.
pub fn hits(policy: Policy, capacity: NonZeroUsize, trace: &[Key]) -> u64 {
    let mut cache = policy.build(capacity, trace);
    trace.iter().filter(|&&key| cache.access(key)).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_split_the_run_and_the_last_counts_its_own_requests() {
        let mut tally = Tally::new(4);
        for hit in [true, true, false, false, true, false] {
            tally.record(hit);
        }
        assert_eq!((tally.hits, tally.misses), (3, 3));
        assert_eq!(tally.window_hits, [2, 1]);
        assert_eq!(tally.window_ratios(), [0.5, 0.5]);
        assert_eq!(Tally::new(3).hit_ratio(), 0.0);
    }
}
