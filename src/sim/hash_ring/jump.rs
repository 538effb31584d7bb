//! Jump consistent hash (Lamping and Veach, 2014): no ring and no memory, just a short walk of
//! pseudo-random jumps; buckets must be numbered 0..N, so only the last can leave cheaply.

use super::{
    Algo, Explanation, Loads, NodeId, Placement, PlacementError, Why, check_nodes, node_id,
};

/// Jump hash over named buckets: bucket `i` is `nodes[i]`.
#[derive(Debug, Clone)]
pub struct JumpHash {
    nodes: Vec<String>,
}

impl JumpHash {
    /// Numbers the nodes in list order; removing one from the middle renumbers all after it.
    pub fn new(nodes: Vec<String>) -> Result<JumpHash, PlacementError> {
        check_nodes(&nodes)?;
        Ok(JumpHash { nodes })
    }

    fn buckets(&self) -> u32 {
        u32::try_from(self.nodes.len()).expect("node lists are far smaller than u32::MAX")
    }
}

/// The buckets a key visits on its way to its final bucket, which is the last item.
///
/// Each step asks "would this key move to a bucket added after b?" and jumps straight to the
/// next bucket where the answer is yes; growing N to N+1 only ever moves keys into bucket N.
#[derive(Debug, Clone)]
pub struct JumpSteps {
    key: u64,
    next: i64,
    buckets: i64,
}

impl JumpSteps {
    /// The walk for `key` over `buckets` buckets.
    pub fn new(key: u64, buckets: u32) -> JumpSteps {
        JumpSteps {
            key,
            next: 0,
            buckets: i64::from(buckets),
        }
    }
}

impl Iterator for JumpSteps {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.next >= self.buckets {
            return None;
        }
        let bucket = self.next;
        self.key = self
            .key
            .wrapping_mul(2_862_933_555_777_941_757)
            .wrapping_add(1);
        let scale = (1u64 << 31) as f64 / ((self.key >> 33) + 1) as f64;
        self.next = ((bucket + 1) as f64 * scale) as i64;
        Some(u32::try_from(bucket).expect("bucket is below a u32 bucket count"))
    }
}

impl Placement for JumpHash {
    fn algo(&self) -> Algo {
        Algo::Jump
    }

    fn nodes(&self) -> &[String] {
        &self.nodes
    }

    fn node_for(&self, key: u64) -> NodeId {
        let bucket = JumpSteps::new(key, self.buckets()).last().unwrap_or(0);
        node_id(bucket as usize)
    }

    fn explain(&self, key: u64, _loads: &Loads) -> Explanation {
        let steps: Vec<u32> = JumpSteps::new(key, self.buckets()).collect();
        Explanation {
            key,
            node: node_id(*steps.last().unwrap_or(&0) as usize),
            why: Why::Jump {
                buckets: self.buckets(),
                steps,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::hash_ring::node_names;

    /// Values from the reference implementation in the paper (C++ `JumpConsistentHash`).
    #[test]
    fn matches_reference_values() {
        let bucket = |key, n| JumpSteps::new(key, n).last().unwrap();
        assert_eq!(bucket(0, 1), 0);
        assert_eq!(bucket(0, 100), 0);
        assert_eq!(bucket(1, 100), 55);
        assert_eq!(bucket(0xDEAD_BEEF, 1000), 285);
        assert_eq!(bucket(u64::MAX, 10), 9);
    }

    #[test]
    fn steps_rise_and_end_at_the_bucket() {
        let jump = JumpHash::new(node_names(50)).unwrap();
        for key in [3u64, 77, 1 << 40, u64::MAX / 3] {
            let explanation = jump.explain(key, &Loads::default());
            let Why::Jump { steps, buckets } = &explanation.why else {
                panic!("jump explains with steps")
            };
            assert_eq!(*buckets, 50);
            assert_eq!(steps[0], 0);
            assert!(steps.windows(2).all(|pair| pair[0] < pair[1]));
            assert_eq!(node_id(*steps.last().unwrap() as usize), jump.node_for(key));
        }
    }
}
