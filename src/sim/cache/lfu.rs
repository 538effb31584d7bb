//! Least frequently used, in-cache: a resident key counts its hits; a miss evicts the key with
//! the lowest count, the least recently used among equal counts. A key's count starts again at
//! one when it comes back after eviction (no history of evicted keys is kept).

use std::collections::BTreeMap;
use std::num::NonZeroUsize;

use super::{Cache, Key, Policy};

/// (uses, last-use stamp): the smallest is the next victim.
type Rank = (u64, u64);

#[derive(Debug, Clone)]
pub struct Lfu {
    capacity: usize,
    ranks: BTreeMap<Key, Rank>,
    victims: BTreeMap<Rank, Key>,
    clock: u64,
}

impl Lfu {
    pub fn new(capacity: NonZeroUsize) -> Lfu {
        Lfu {
            capacity: capacity.get(),
            ranks: BTreeMap::new(),
            victims: BTreeMap::new(),
            clock: 0,
        }
    }
}

impl Cache for Lfu {
    fn policy(&self) -> Policy {
        Policy::Lfu
    }

    fn access(&mut self, key: Key) -> bool {
        self.clock += 1;
        let previous = self.ranks.get(&key).copied();
        let uses = match previous {
            Some(rank) => {
                self.victims.remove(&rank);
                rank.0 + 1
            }
            None => {
                if self.ranks.len() == self.capacity
                    && let Some((_, victim)) = self.victims.pop_first()
                {
                    self.ranks.remove(&victim);
                }
                1
            }
        };
        let rank = (uses, self.clock);
        self.ranks.insert(key, rank);
        self.victims.insert(rank, key);
        previous.is_some()
    }

    fn contents(&self) -> Vec<Key> {
        self.victims.values().copied().collect()
    }
}
