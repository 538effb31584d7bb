//! How each algorithm picks a server for one request, given the servers in rotation and the
//! requests each one has outstanding.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use serde::Serialize;

use super::Algo;
use super::fleet::server_name;
use super::workload::uniform_index;
use crate::sim::hash_ring::{BoundedLoads, Loads, Placement, Ring};

/// Where a hashing balancer's ring comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Hashing {
    pub vnodes: u32,
    /// Bounded loads: a server may hold up to ceil((1+epsilon) * outstanding / servers).
    pub epsilon: f64,
    pub seed: u64,
}

/// One algorithm's choice and the little state it keeps between requests.
pub struct Picker {
    algo: Algo,
    /// Round robin's next server; least connections' first server to look at on a tie.
    cursor: usize,
    rng: Pcg64,
    hashing: Hashing,
    /// The servers in rotation when the ring was built, and the ring (or bounded ring) over them.
    members: Vec<usize>,
    ring: Option<Ring>,
    bounded: Option<BoundedLoads>,
}

impl Picker {
    /// A picker for `algo`, its random draws seeded by `seed` and the algorithm.
    pub fn new(algo: Algo, hashing: Hashing, seed: u64) -> Picker {
        Picker {
            algo,
            cursor: 0,
            rng: Pcg64::seed_from_u64(seed ^ (algo as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
            hashing,
            members: Vec::new(),
            ring: None,
            bounded: None,
        }
    }

    pub fn algo(&self) -> Algo {
        self.algo
    }

    /// Picks a server for a request with key hash `key`. `candidates` are the servers in
    /// rotation, ascending and not empty; `outstanding` is indexed by server.
    pub fn pick(&mut self, key: u64, outstanding: &[u32], candidates: &[usize]) -> usize {
        match self.algo {
            Algo::Random => candidates[self.draw(candidates.len())],
            Algo::RoundRobin => self.round_robin(outstanding.len(), candidates),
            Algo::LeastConnections => self.least(outstanding, candidates),
            Algo::TwoChoices => self.two_choices(outstanding, candidates),
            Algo::Hash | Algo::Bounded => self.hash(key, outstanding, candidates),
        }
    }

    fn draw(&mut self, len: usize) -> usize {
        uniform_index(self.rng.random::<u64>(), len)
    }

    /// The next server in turn at or after the cursor that is in rotation.
    fn round_robin(&mut self, servers: usize, candidates: &[usize]) -> usize {
        let chosen = (0..servers)
            .map(|k| (self.cursor + k) % servers)
            .find(|s| candidates.binary_search(s).is_ok())
            .unwrap_or(candidates[0]);
        self.cursor = (chosen + 1) % servers;
        chosen
    }

    /// The fewest outstanding; ties go to the first found from a starting point that moves on
    /// each request, so an idle fleet is used in turn rather than server 0 every time.
    fn least(&mut self, outstanding: &[u32], candidates: &[usize]) -> usize {
        let n = candidates.len();
        let start = self.cursor % n;
        self.cursor = self.cursor.wrapping_add(1);
        (0..n)
            .map(|k| candidates[(start + k) % n])
            .min_by_key(|&s| outstanding[s])
            .unwrap_or(candidates[0])
    }

    /// Two different servers drawn at random; the one with fewer outstanding, the first on a tie.
    fn two_choices(&mut self, outstanding: &[u32], candidates: &[usize]) -> usize {
        let n = candidates.len();
        if n == 1 {
            return candidates[0];
        }
        let a = self.draw(n);
        let mut b = self.draw(n - 1);
        if b >= a {
            b += 1;
        }
        let (a, b) = (candidates[a], candidates[b]);
        if outstanding[b] < outstanding[a] {
            b
        } else {
            a
        }
    }

    /// The key's server on a ring over the servers in rotation; bounded loads skips servers
    /// holding their share of the outstanding requests times (1 + epsilon).
    fn hash(&mut self, key: u64, outstanding: &[u32], candidates: &[usize]) -> usize {
        if self.members != candidates || self.ring.is_none() {
            self.rebuild(candidates);
        }
        let node = match (&self.bounded, &self.ring) {
            (Some(bounded), _) => {
                let loads = Loads::from_counts(
                    self.members
                        .iter()
                        .map(|&s| u64::from(outstanding[s]))
                        .collect(),
                );
                bounded.node_for_loaded(key, &loads)
            }
            (None, Some(ring)) => ring.node_for(key),
            (None, None) => return candidates[0],
        };
        self.members[node.index()]
    }

    /// A ring over `candidates`, named by server so a server keeps its points when another
    /// leaves or returns.
    fn rebuild(&mut self, candidates: &[usize]) {
        self.members = candidates.to_vec();
        let names = candidates.iter().map(|&s| server_name(s)).collect();
        let ring = Ring::new(names, self.hashing.vnodes.max(1), self.hashing.seed).ok();
        self.bounded = match self.algo {
            Algo::Bounded => ring
                .clone()
                .and_then(|ring| BoundedLoads::new(ring, self.hashing.epsilon).ok()),
            _ => None,
        };
        self.ring = ring;
    }

    /// Bounded loads' cap on any server once `outstanding` requests (the new one included) are
    /// spread over the ring's servers, if this picker bounds loads.
    pub fn capacity(&self, outstanding: u64) -> Option<u64> {
        self.bounded.as_ref().map(|b| b.capacity(outstanding))
    }
}
