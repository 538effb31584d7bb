//! Adaptive Replacement Cache, as in Figure 4 of Megiddo & Modha, "ARC: A Self-Tuning, Low
//! Overhead Replacement Cache" (FAST 2003).
//!
//! T1 holds keys seen once recently, T2 keys seen at least twice; B1 and B2 remember (as
//! "ghosts", without the data) keys recently evicted from T1 and T2. A miss that hits a ghost
//! moves the target size `p` of T1: towards recency after a B1 ghost, towards frequency after a
//! B2 ghost. Cached keys never exceed `c`; cached plus ghosts never exceed `2c`.

use std::num::NonZeroUsize;

use super::queue::Queue;
use super::{Cache, Key, Policy};

#[derive(Debug, Clone)]
pub struct Arc {
    c: usize,
    /// The target size of T1, between 0 and c (a real number in the paper).
    p: f64,
    t1: Queue,
    t2: Queue,
    b1: Queue,
    b2: Queue,
}

impl Arc {
    pub fn new(capacity: NonZeroUsize) -> Arc {
        Arc {
            c: capacity.get(),
            p: 0.0,
            t1: Queue::default(),
            t2: Queue::default(),
            b1: Queue::default(),
            b2: Queue::default(),
        }
    }

    /// The target size of T1 now.
    pub fn target(&self) -> f64 {
        self.p
    }

    /// The four lists, each LRU first: T1, T2, B1, B2.
    pub fn lists(&self) -> [Vec<Key>; 4] {
        [&self.t1, &self.t2, &self.b1, &self.b2].map(|q| q.iter().collect())
    }

    /// The paper's REPLACE(x, p): evicts the LRU key of T1 into B1, or of T2 into B2. When T2
    /// is empty T1 gives way whatever `p` says, so a full cache always frees a slot.
    fn replace(&mut self, in_b2: bool) {
        let t1 = self.t1.len() as f64;
        let from_t1 =
            !self.t1.is_empty() && ((in_b2 && t1 == self.p) || t1 > self.p || self.t2.is_empty());
        if from_t1 {
            if let Some(key) = self.t1.pop_front() {
                self.b1.push_back(key);
            }
        } else if let Some(key) = self.t2.pop_front() {
            self.b2.push_back(key);
        }
    }
}

impl Cache for Arc {
    fn policy(&self) -> Policy {
        Policy::Arc
    }

    fn access(&mut self, key: Key) -> bool {
        let c = self.c as f64;
        // Case I: a hit in T1 or T2 moves the key to the MRU end of T2.
        if self.t1.remove(key) || self.t2.contains(key) {
            self.t2.push_back(key);
            return true;
        }
        // Case II: a ghost of a key seen once: favour recency.
        if self.b1.contains(key) {
            let delta = (self.b2.len() as f64 / self.b1.len() as f64).max(1.0);
            self.p = (self.p + delta).min(c);
            self.replace(false);
            self.b1.remove(key);
            self.t2.push_back(key);
            return false;
        }
        // Case III: a ghost of a key seen twice: favour frequency.
        if self.b2.contains(key) {
            let delta = (self.b1.len() as f64 / self.b2.len() as f64).max(1.0);
            self.p = (self.p - delta).max(0.0);
            self.replace(true);
            self.b2.remove(key);
            self.t2.push_back(key);
            return false;
        }
        // Case IV: a key in no list.
        let l1 = self.t1.len() + self.b1.len();
        let total = l1 + self.t2.len() + self.b2.len();
        if l1 == self.c {
            if self.t1.len() < self.c {
                self.b1.pop_front();
                self.replace(false);
            } else {
                self.t1.pop_front();
            }
        } else if total >= self.c {
            if total == 2 * self.c {
                self.b2.pop_front();
            }
            self.replace(false);
        }
        self.t1.push_back(key);
        false
    }

    fn contents(&self) -> Vec<Key> {
        self.t1.iter().chain(self.t2.iter()).collect()
    }
}
