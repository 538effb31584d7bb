//! Full 2Q, as in Johnson & Shasha, "2Q: A Low Overhead High Performance Buffer Management
//! Replacement Algorithm" (VLDB 1994), with the paper's recommended sizes: A1in (a FIFO of keys
//! seen once) holds a quarter of the cache, A1out (ghosts of keys pushed out of A1in) remembers
//! half a cache's worth, and Am (an LRU) holds keys seen again while their ghost was remembered.
//!
//! A one-time scan passes through A1in and A1out without disturbing Am.

use std::num::NonZeroUsize;

use super::queue::Queue;
use super::{Cache, Key, Policy};

#[derive(Debug, Clone)]
pub struct TwoQ {
    capacity: usize,
    k_in: usize,
    k_out: usize,
    a1in: Queue,
    a1out: Queue,
    am: Queue,
}

impl TwoQ {
    pub fn new(capacity: NonZeroUsize) -> TwoQ {
        let capacity = capacity.get();
        TwoQ {
            capacity,
            k_in: (capacity / 4).max(1),
            k_out: (capacity / 2).max(1),
            a1in: Queue::default(),
            a1out: Queue::default(),
            am: Queue::default(),
        }
    }

    /// The paper's `reclaimfor`: frees a slot if the cache is full, from A1in (into A1out)
    /// while A1in is over its share, else from Am. An empty Am gives way to A1in whatever its
    /// size, which only happens in caches too small for the quarter to be meaningful.
    fn reclaim(&mut self) {
        if self.a1in.len() + self.am.len() < self.capacity {
            return;
        }
        if self.a1in.len() > self.k_in || self.am.is_empty() {
            if let Some(key) = self.a1in.pop_front() {
                self.a1out.push_back(key);
                if self.a1out.len() > self.k_out {
                    self.a1out.pop_front();
                }
            }
        } else {
            self.am.pop_front();
        }
    }

    /// The three lists, oldest first: A1in, A1out (ghosts), Am.
    pub fn lists(&self) -> [Vec<Key>; 3] {
        [&self.a1in, &self.a1out, &self.am].map(|q| q.iter().collect())
    }
}

impl Cache for TwoQ {
    fn policy(&self) -> Policy {
        Policy::TwoQ
    }

    fn access(&mut self, key: Key) -> bool {
        if self.am.contains(key) {
            self.am.push_back(key);
            return true;
        }
        if self.a1in.contains(key) {
            return true;
        }
        self.reclaim();
        if self.a1out.remove(key) {
            self.am.push_back(key);
        } else {
            self.a1in.push_back(key);
        }
        false
    }

    fn contents(&self) -> Vec<Key> {
        self.a1in.iter().chain(self.am.iter()).collect()
    }
}
