//! An ordered set of keys with O(log n) insert, remove, move-to-back and pop-front: the LRU and
//! FIFO lists every policy here is built from (ARC's T1/T2/B1/B2, 2Q's A1in/A1out/Am).
//!
//! Ordered maps rather than hash maps: iteration order is part of what a screen draws, and the
//! simulation must not depend on a randomly seeded hasher.

use std::collections::BTreeMap;

use super::Key;

/// Keys from oldest (front, the next to go) to newest (back).
#[derive(Debug, Clone, Default)]
pub struct Queue {
    /// key -> its position stamp.
    stamps: BTreeMap<Key, u64>,
    /// position stamp -> key, oldest first.
    order: BTreeMap<u64, Key>,
    next: u64,
}

impl Queue {
    pub fn len(&self) -> usize {
        self.stamps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stamps.is_empty()
    }

    pub fn contains(&self, key: Key) -> bool {
        self.stamps.contains_key(&key)
    }

    /// Puts `key` at the back (newest end), moving it there if it is already queued.
    pub fn push_back(&mut self, key: Key) {
        self.remove(key);
        self.stamps.insert(key, self.next);
        self.order.insert(self.next, key);
        self.next += 1;
    }

    /// Takes `key` out; returns whether it was there.
    pub fn remove(&mut self, key: Key) -> bool {
        match self.stamps.remove(&key) {
            Some(stamp) => {
                self.order.remove(&stamp);
                true
            }
            None => false,
        }
    }

    /// Takes out the oldest key.
    pub fn pop_front(&mut self) -> Option<Key> {
        let (_, key) = self.order.pop_first()?;
        self.stamps.remove(&key);
        Some(key)
    }

    /// Oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Key> + '_ {
        self.order.values().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_insertion_order_and_moves_on_push() {
        let mut q = Queue::default();
        [1, 2, 3].into_iter().for_each(|k| q.push_back(k));
        q.push_back(1);
        assert_eq!(q.iter().collect::<Vec<_>>(), [2, 3, 1]);
        assert!(q.remove(3));
        assert!(!q.remove(3));
        assert_eq!(q.pop_front(), Some(2));
        assert_eq!(q.pop_front(), Some(1));
        assert_eq!(q.pop_front(), None);
        assert!(q.is_empty());
    }
}
