//! Rendezvous or highest-random-weight hashing (Thaler and Ravishankar, 1996): every node scores
//! every key and the highest score wins, so a departing node only gives up the keys it won.

use super::{
    Algo, Explanation, Loads, NodeId, Placement, PlacementError, Why, check_nodes, hash, node_id,
};

/// HRW over named nodes, optionally weighted.
#[derive(Debug, Clone)]
pub struct Rendezvous {
    nodes: Vec<String>,
    /// Per-node hash seeds derived from the names, so a node's scores survive membership changes.
    seeds: Vec<u64>,
    /// `None` when all weights are equal: then raw hashes compare, with no logarithm per node.
    weights: Option<Vec<f64>>,
}

impl Rendezvous {
    /// Equal-weight HRW.
    pub fn new(nodes: Vec<String>, seed: u64) -> Result<Rendezvous, PlacementError> {
        check_nodes(&nodes)?;
        let seeds = nodes
            .iter()
            .map(|name| hash(name.as_bytes(), seed))
            .collect();
        Ok(Rendezvous {
            nodes,
            seeds,
            weights: None,
        })
    }

    /// Weighted HRW: a node with weight w wins a share of keys proportional to w, by scoring
    /// `w / -ln(u)` with `u` the key-node hash mapped into (0, 1) (Schindler and Resch).
    pub fn weighted(
        nodes: Vec<String>,
        weights: Vec<f64>,
        seed: u64,
    ) -> Result<Rendezvous, PlacementError> {
        let mut rendezvous = Rendezvous::new(nodes, seed)?;
        if weights.len() != rendezvous.nodes.len() {
            return Err(PlacementError::WeightCount {
                weights: weights.len(),
                nodes: rendezvous.nodes.len(),
            });
        }
        if let Some((node, &weight)) = rendezvous
            .nodes
            .iter()
            .zip(&weights)
            .find(|(_, weight)| !(weight.is_finite() && **weight > 0.0))
        {
            return Err(PlacementError::BadWeight {
                node: node.clone(),
                weight,
            });
        }
        rendezvous.weights = Some(weights);
        Ok(rendezvous)
    }

    fn raw(&self, key: u64, node: usize) -> u64 {
        hash(&key.to_le_bytes(), self.seeds[node])
    }

    /// The score of `node` for `key`: the raw hash scaled into (0, 1), or the weighted score.
    pub fn score(&self, key: u64, node: NodeId) -> f64 {
        let unit = ((self.raw(key, node.index()) >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        match &self.weights {
            None => unit,
            Some(weights) => weights[node.index()] / -unit.ln(),
        }
    }
}

impl Placement for Rendezvous {
    fn algo(&self) -> Algo {
        Algo::Rendezvous
    }

    fn nodes(&self) -> &[String] {
        &self.nodes
    }

    fn node_for(&self, key: u64) -> NodeId {
        let winner = match &self.weights {
            None => (0..self.nodes.len()).max_by_key(|&node| self.raw(key, node)),
            Some(_) => (0..self.nodes.len())
                .map(node_id)
                .max_by(|&a, &b| self.score(key, a).total_cmp(&self.score(key, b)))
                .map(NodeId::index),
        };
        node_id(winner.expect("a placement has at least one node"))
    }

    /// Weights over their total: each node wins keys in proportion to its weight.
    fn shares(&self) -> Vec<f64> {
        match &self.weights {
            None => vec![1.0 / self.nodes.len() as f64; self.nodes.len()],
            Some(weights) => {
                let total: f64 = weights.iter().sum();
                weights.iter().map(|weight| weight / total).collect()
            }
        }
    }

    fn explain(&self, key: u64, _loads: &Loads) -> Explanation {
        let scores = (0..self.nodes.len())
            .map(|node| self.score(key, node_id(node)))
            .collect();
        Explanation {
            key,
            node: self.node_for(key),
            why: Why::Rendezvous { scores },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::hash_ring::{assign, hash_keys, node_names};

    #[test]
    fn winner_has_the_top_score() {
        let hrw = Rendezvous::new(node_names(7), 5).unwrap();
        for key in hash_keys(100, 5) {
            let explanation = hrw.explain(key, &Loads::default());
            let Why::Rendezvous { scores } = &explanation.why else {
                panic!("rendezvous explains with scores")
            };
            let best = scores.iter().copied().fold(f64::MIN, f64::max);
            assert_eq!(scores[explanation.node.index()], best);
        }
    }

    #[test]
    fn weights_set_the_share() {
        let hrw = Rendezvous::weighted(node_names(3), vec![1.0, 2.0, 1.0], 9).unwrap();
        let (_, loads) = assign(&hrw, &hash_keys(40_000, 9));
        let share = loads.counts()[1] as f64 / 40_000.0;
        assert!((share - 0.5).abs() < 0.02, "{share}");
    }

    #[test]
    fn equal_weights_match_the_unweighted_scheme() {
        let plain = Rendezvous::new(node_names(6), 2).unwrap();
        let weighted = Rendezvous::weighted(node_names(6), vec![3.0; 6], 2).unwrap();
        for key in hash_keys(500, 2) {
            assert_eq!(plain.node_for(key), weighted.node_for(key));
        }
    }

    #[test]
    fn rejects_non_positive_weights() {
        let error = Rendezvous::weighted(node_names(2), vec![1.0, 0.0], 0).unwrap_err();
        assert_eq!(
            error,
            PlacementError::BadWeight {
                node: "node-1".into(),
                weight: 0.0
            }
        );
    }
}
