//! Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, 2018): a ring
//! whose nodes refuse keys past a capacity, so a key walks clockwise to the next node with room.

use super::{Algo, Explanation, Loads, NodeId, Placement, PlacementError, Ring, Skip, Why};

/// A ring plus the rule that no node holds more than ceil((1+epsilon) * keys / nodes) keys.
#[derive(Debug, Clone)]
pub struct BoundedLoads {
    ring: Ring,
    /// Epsilon in millionths, so capacities are exact integers (1.1 is not exact in binary).
    epsilon_ppm: u64,
}

const PPM: u64 = 1_000_000;

impl BoundedLoads {
    /// Bounds `ring`; `epsilon` is the overload allowed above the mean (0.25 = 25%), rounded to
    /// millionths.
    pub fn new(ring: Ring, epsilon: f64) -> Result<BoundedLoads, PlacementError> {
        let ppm = (epsilon * PPM as f64).round();
        if !(1.0..=1e12).contains(&ppm) {
            return Err(PlacementError::BadEpsilon { epsilon });
        }
        Ok(BoundedLoads {
            ring,
            epsilon_ppm: ppm as u64,
        })
    }

    /// The ring underneath, for drawing.
    pub fn ring(&self) -> &Ring {
        &self.ring
    }

    /// The allowed overload above the mean.
    pub fn epsilon(&self) -> f64 {
        self.epsilon_ppm as f64 / PPM as f64
    }

    /// The most keys a node may hold once `keys` keys are placed: ceil((1+epsilon)*keys/nodes).
    ///
    /// Counting the key being placed keeps the total capacity above the keys placed, so the
    /// walk always finds a node with room.
    pub fn capacity(&self, keys: u64) -> u64 {
        let nodes = self.ring.nodes().len() as u128;
        let allowed = u128::from(keys) * u128::from(PPM + self.epsilon_ppm);
        u64::try_from(allowed.div_ceil(u128::from(PPM) * nodes)).unwrap_or(u64::MAX)
    }

    /// Walks clockwise from the key's point to the first node under capacity, reporting each
    /// full node passed; the one walk serves both placement and explanation.
    fn walk(&self, key: u64, loads: &Loads, mut skipped: impl FnMut(Skip)) -> NodeId {
        let capacity = self.capacity(loads.total() + 1);
        let owners = self.ring.owners();
        let start = self.ring.successor(key);
        (0..owners.len())
            .map(|step| owners[(start + step) % owners.len()])
            .find(|vnode| {
                let load = loads.of(vnode.node);
                let full = load >= capacity;
                if full {
                    skipped(Skip {
                        vnode: *vnode,
                        load,
                    });
                }
                !full
            })
            .map_or(owners[start].node, |vnode| vnode.node)
    }
}

impl Placement for BoundedLoads {
    fn algo(&self) -> Algo {
        Algo::Bounded
    }

    fn nodes(&self) -> &[String] {
        self.ring.nodes()
    }

    /// The ring's choice, which is where the key goes while its node has room.
    fn node_for(&self, key: u64) -> NodeId {
        self.ring.node_for(key)
    }

    fn node_for_loaded(&self, key: u64, loads: &Loads) -> NodeId {
        self.walk(key, loads, |_| {})
    }

    fn explain(&self, key: u64, loads: &Loads) -> Explanation {
        let mut skipped = Vec::new();
        let node = self.walk(key, loads, |skip| skipped.push(skip));
        Explanation {
            key,
            node,
            why: Why::Bounded {
                preferred: self.ring.node_for(key),
                capacity: self.capacity(loads.total() + 1),
                skipped,
            },
        }
    }

    /// The ring's shares: where keys would go if no node filled up.
    fn shares(&self) -> Vec<f64> {
        self.ring.shares()
    }

    /// The bound, not a spread, is the guarantee here: see [`BoundedLoads::capacity`].
    fn expected_rsd(&self, _keys: usize) -> Option<f64> {
        None
    }

    fn max_load(&self, keys: u64) -> Option<u64> {
        Some(self.capacity(keys))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::hash_ring::{assign, hash_keys, node_names};

    #[test]
    fn no_node_exceeds_capacity() {
        let ring = Ring::new(node_names(8), 5, 11).unwrap();
        let keys = hash_keys(10_000, 11);
        let unbounded_max = *assign(&ring, &keys).1.counts().iter().max().unwrap();
        let bounded = BoundedLoads::new(ring, 0.1).unwrap();
        let (_, loads) = assign(&bounded, &keys);
        let capacity = bounded.capacity(10_000);
        assert_eq!(capacity, 1_375);
        assert!(loads.counts().iter().all(|&load| load <= capacity));
        assert!(
            unbounded_max > capacity,
            "five vnodes should overload someone"
        );
        assert_eq!(loads.total(), 10_000);
    }

    #[test]
    fn explains_the_walk_past_full_nodes() {
        let bounded = BoundedLoads::new(Ring::new(node_names(3), 1, 2).unwrap(), 0.5).unwrap();
        let key = 42;
        let preferred = bounded.node_for(key);
        let mut loads = Loads::new(3);
        for _ in 0..4 {
            loads.add(preferred);
        }
        // Five keys with this one: capacity ceil(1.5 * 5 / 3) = 3, and the preferred node has 4.
        let explanation = bounded.explain(key, &loads);
        let Why::Bounded {
            preferred: first,
            capacity,
            skipped,
        } = &explanation.why
        else {
            panic!("bounded explains with its walk")
        };
        assert_eq!((*first, *capacity), (preferred, 3));
        assert_eq!(skipped.len(), 1);
        assert_eq!((skipped[0].vnode.node, skipped[0].load), (preferred, 4));
        assert_ne!(explanation.node, preferred);
        assert_eq!(explanation.node, bounded.node_for_loaded(key, &loads));
    }

    #[test]
    fn rejects_bad_epsilon() {
        for epsilon in [0.0, 1e-9, -1.0, f64::NAN, f64::INFINITY] {
            let ring = Ring::new(node_names(2), 1, 0).unwrap();
            assert!(matches!(
                BoundedLoads::new(ring, epsilon),
                Err(PlacementError::BadEpsilon { .. })
            ));
        }
    }
}
