//! First in, first out: a hit changes nothing; a miss evicts the key that came in first.

use std::num::NonZeroUsize;

use super::queue::Queue;
use super::{Cache, Key, Policy};

#[derive(Debug, Clone)]
pub struct Fifo {
    capacity: usize,
    queue: Queue,
}

impl Fifo {
    pub fn new(capacity: NonZeroUsize) -> Fifo {
        Fifo {
            capacity: capacity.get(),
            queue: Queue::default(),
        }
    }
}

impl Cache for Fifo {
    fn policy(&self) -> Policy {
        Policy::Fifo
    }

    fn access(&mut self, key: Key) -> bool {
        if self.queue.contains(key) {
            return true;
        }
        if self.queue.len() == self.capacity {
            self.queue.pop_front();
        }
        self.queue.push_back(key);
        false
    }

    fn contents(&self) -> Vec<Key> {
        self.queue.iter().collect()
    }
}
