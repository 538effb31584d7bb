//! The classic consistent-hash ring: each node hashed to `vnodes` points on a 64-bit circle, a
//! key owned by the first point clockwise from its hash.

use serde::Serialize;

use super::{
    Algo, Explanation, Loads, NodeId, Placement, PlacementError, Why, check_nodes, hash, key_noise,
    node_id,
};

/// One virtual node: which node placed the point and which of its replicas it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Vnode {
    pub node: NodeId,
    pub replica: u32,
}

/// The stretch of the circle one point owns: hashes in `(start, end]`, wrapping past zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// The previous point clockwise (exclusive).
    pub start: u64,
    /// This point (inclusive).
    pub end: u64,
    pub vnode: Vnode,
}

impl Span {
    /// How many hash values the span covers; a lone point covers the whole circle, 2^64.
    pub fn width(&self) -> u128 {
        match self.end.wrapping_sub(self.start) {
            0 => 1u128 << 64,
            len => u128::from(len),
        }
    }
}

/// A ring of sorted points; lookups are one binary search.
#[derive(Debug, Clone)]
pub struct Ring {
    nodes: Vec<String>,
    vnodes_per_node: u32,
    /// Sorted point hashes, kept apart from their owners so the search touches fewer cache lines.
    points: Vec<u64>,
    /// `owners[i]` placed `points[i]`.
    owners: Vec<Vnode>,
}

impl Ring {
    /// Places `vnodes` points per node at `hash("name#replica", seed)`.
    ///
    /// A point depends only on its node's name, so adding or removing a node leaves every other
    /// point where it was: that is what keeps key movement minimal.
    pub fn new(nodes: Vec<String>, vnodes: u32, seed: u64) -> Result<Ring, PlacementError> {
        check_nodes(&nodes)?;
        if vnodes == 0 {
            return Err(PlacementError::NoVnodes);
        }
        let mut placed: Vec<(u64, Vnode)> = nodes
            .iter()
            .enumerate()
            .flat_map(|(index, name)| {
                (0..vnodes).map(move |replica| {
                    let label = format!("{name}#{replica}");
                    let vnode = Vnode {
                        node: node_id(index),
                        replica,
                    };
                    (hash(label.as_bytes(), seed), vnode)
                })
            })
            .collect();
        placed.sort_unstable();
        let (points, owners) = placed.into_iter().unzip();
        Ok(Ring {
            nodes,
            vnodes_per_node: vnodes,
            points,
            owners,
        })
    }

    /// Virtual nodes per node.
    pub fn vnodes_per_node(&self) -> u32 {
        self.vnodes_per_node
    }

    /// The points in clockwise order.
    pub fn points(&self) -> &[u64] {
        &self.points
    }

    /// Who placed each point, parallel to [`Ring::points`].
    pub fn owners(&self) -> &[Vnode] {
        &self.owners
    }

    /// Index of the first point clockwise from `key` (at or after it, wrapping to the first).
    pub fn successor(&self, key: u64) -> usize {
        match self.points.partition_point(|&point| point < key) {
            index if index == self.points.len() => 0,
            index => index,
        }
    }

    /// The spans between consecutive points, in clockwise order: what a screen draws as arcs.
    pub fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        let last = self.points.len() - 1;
        (0..self.points.len()).map(move |index| Span {
            start: self.points[if index == 0 { last } else { index - 1 }],
            end: self.points[index],
            vnode: self.owners[index],
        })
    }
}

impl Placement for Ring {
    fn algo(&self) -> Algo {
        Algo::Ring
    }

    fn nodes(&self) -> &[String] {
        &self.nodes
    }

    fn node_for(&self, key: u64) -> NodeId {
        self.owners[self.successor(key)].node
    }

    /// Each node's part of the circle, which varies with relative deviation about 1/sqrt(vnodes).
    fn shares(&self) -> Vec<f64> {
        let mut owned = vec![0u128; self.nodes.len()];
        for span in self.spans() {
            owned[span.vnode.node.index()] += span.width();
        }
        let circle = (1u128 << 64) as f64;
        owned.into_iter().map(|len| len as f64 / circle).collect()
    }

    fn explain(&self, key: u64, _loads: &Loads) -> Explanation {
        let index = self.successor(key);
        let vnode = self.owners[index];
        Explanation {
            key,
            node: vnode.node,
            why: Why::Ring {
                point: self.points[index],
                index,
                vnode,
                wrapped: key > self.points[index],
            },
        }
    }

    /// Arc shares vary by 1/sqrt(v) and key counts add their own noise on top.
    fn expected_rsd(&self, keys: usize) -> Option<f64> {
        let arcs = 1.0 / f64::from(self.vnodes_per_node);
        Some((arcs + key_noise(self.nodes.len(), keys).powi(2)).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::hash_ring::node_names;

    #[test]
    fn key_goes_to_first_point_clockwise_and_wraps() {
        let ring = Ring::new(node_names(3), 4, 1).unwrap();
        let points = ring.points();
        assert!(points.windows(2).all(|pair| pair[0] <= pair[1]));
        assert_eq!(ring.successor(points[2]), 2);
        assert_eq!(ring.successor(points[2] + 1), 3);
        assert_eq!(ring.successor(points[points.len() - 1] + 1), 0);
        assert_eq!(ring.successor(0), 0);
        let past_end = points[points.len() - 1] + 1;
        let explanation = ring.explain(past_end, &Loads::default());
        assert!(matches!(
            explanation.why,
            Why::Ring {
                wrapped: true,
                index: 0,
                ..
            }
        ));
        assert_eq!(explanation.node, ring.owners()[0].node);
    }

    #[test]
    fn spans_cover_the_circle_once() {
        let ring = Ring::new(node_names(4), 8, 3).unwrap();
        let total: u128 = ring.spans().map(|span| span.width()).sum();
        assert_eq!(total, 1u128 << 64);
        let shares: f64 = ring.shares().iter().sum();
        assert!((shares - 1.0).abs() < 1e-9);
    }

    #[test]
    fn lone_point_owns_everything() {
        let ring = Ring::new(node_names(1), 1, 0).unwrap();
        assert_eq!(ring.spans().next().unwrap().width(), 1u128 << 64);
        assert_eq!(ring.shares(), vec![1.0]);
        assert_eq!(ring.node_for(12345), NodeId(0));
    }

    #[test]
    fn zero_vnodes_is_an_error() {
        assert_eq!(
            Ring::new(node_names(2), 0, 0).err(),
            Some(PlacementError::NoVnodes)
        );
    }
}
