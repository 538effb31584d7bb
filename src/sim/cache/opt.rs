//! Belady's MIN (L. A. Belady, "A study of replacement algorithms for a virtual-storage
//! computer", IBM Systems Journal 5(2), 1966): on a miss with the cache full, evict the key whose
//! next request is furthest in the future. It needs the whole trace in advance, so no real cache
//! can run it; it is the bound every policy is measured against.

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroUsize;

use super::{Cache, Key, Policy};

/// Position of a key's next request; `NEVER` when it is not requested again.
const NEVER: usize = usize::MAX;

#[derive(Debug, Clone)]
pub struct Opt {
    capacity: usize,
    trace: Vec<Key>,
    /// For each position, where the same key is requested next.
    next_use: Vec<usize>,
    /// How far through the trace the requests have come.
    position: usize,
    resident: BTreeMap<Key, usize>,
    /// (next use, key) of every resident key: the last is the victim.
    by_next_use: BTreeSet<(usize, Key)>,
}

impl Opt {
    /// A cache that knows `trace` is what it will be asked, in order.
    pub fn new(capacity: NonZeroUsize, trace: &[Key]) -> Opt {
        let mut next_use = vec![NEVER; trace.len()];
        let mut seen: BTreeMap<Key, usize> = BTreeMap::new();
        for (i, &key) in trace.iter().enumerate().rev() {
            if let Some(later) = seen.insert(key, i) {
                next_use[i] = later;
            }
        }
        Opt {
            capacity: capacity.get(),
            trace: trace.to_vec(),
            next_use,
            position: 0,
            resident: BTreeMap::new(),
            by_next_use: BTreeSet::new(),
        }
    }
}

impl Cache for Opt {
    fn policy(&self) -> Policy {
        Policy::Opt
    }

    /// Requests must follow the trace the cache was built with; a request off the trace (or
    /// past its end) counts as one whose key is never requested again.
    fn access(&mut self, key: Key) -> bool {
        let next = match self.trace.get(self.position) {
            Some(&expected) if expected == key => self.next_use[self.position],
            _ => NEVER,
        };
        self.position += 1;
        let hit = match self.resident.get(&key) {
            Some(&old) => {
                self.by_next_use.remove(&(old, key));
                true
            }
            None => {
                if self.resident.len() == self.capacity
                    && let Some((_, victim)) = self.by_next_use.pop_last()
                {
                    self.resident.remove(&victim);
                }
                false
            }
        };
        self.resident.insert(key, next);
        self.by_next_use.insert((next, key));
        hit
    }

    /// The next victim (needed last, or never) first.
    fn contents(&self) -> Vec<Key> {
        self.by_next_use.iter().rev().map(|&(_, key)| key).collect()
    }
}
