//! Least recently used: a hit moves the key to the back; a miss evicts the front.

use std::num::NonZeroUsize;

use super::queue::Queue;
use super::{Cache, Key, Policy};

#[derive(Debug, Clone)]
pub struct Lru {
    capacity: usize,
    queue: Queue,
}

impl Lru {
    pub fn new(capacity: NonZeroUsize) -> Lru {
        Lru {
            capacity: capacity.get(),
            queue: Queue::default(),
        }
    }
}

impl Cache for Lru {
    fn policy(&self) -> Policy {
        Policy::Lru
    }

    fn access(&mut self, key: Key) -> bool {
        let hit = self.queue.contains(key);
        if !hit && self.queue.len() == self.capacity {
            self.queue.pop_front();
        }
        self.queue.push_back(key);
        hit
    }

    fn contents(&self) -> Vec<Key> {
        self.queue.iter().collect()
    }
}
