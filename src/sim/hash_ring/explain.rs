//! Why a key landed where it did, in each scheme's own terms, for the "explain" views.

use serde::Serialize;

use super::{NodeId, Vnode};

/// Where one key landed and the steps that put it there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The key's 64-bit hash, the only thing the schemes see.
    pub key: u64,
    pub node: NodeId,
    pub why: Why,
}

/// The scheme-specific reasoning behind an [`Explanation`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "scheme", rename_all = "kebab-case")]
pub enum Why {
    /// The first point at or after the hash; `wrapped` when the hash was past the last point.
    Ring {
        point: u64,
        index: usize,
        vnode: Vnode,
        wrapped: bool,
    },
    /// The buckets the key jumped through, ending at the last one below `buckets`.
    Jump { buckets: u32, steps: Vec<u32> },
    /// Every node's score for this key, indexed by node; the highest wins.
    Rendezvous { scores: Vec<f64> },
    /// The lookup-table slot `hash mod table_size` and who filled it.
    Maglev { table_size: u64, slot: u64 },
    /// The ring's choice, then the full nodes walked past clockwise until one had room.
    Bounded {
        preferred: NodeId,
        capacity: u64,
        skipped: Vec<Skip>,
    },
}

impl Why {
    /// The clause both explain views add when a ring lookup wrapped past the last point.
    pub fn wrap_clause(&self) -> &'static str {
        match self {
            Why::Ring { wrapped: true, .. } => ", wrapping past the top",
            _ => "",
        }
    }
}

/// Rendezvous's `n` highest scores with their nodes, best first (ties in node order): the
/// ranking both explain views show.
pub fn top_scores(scores: &[f64], n: usize) -> Vec<(NodeId, f64)> {
    let mut ranked: Vec<(usize, f64)> = scores.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked
        .into_iter()
        .take(n)
        .map(|(node, score)| (NodeId(node as u32), score))
        .collect()
}

/// A full node that bounded loads walked past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Skip {
    pub vnode: Vnode,
    pub load: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_scores_ranks_highest_first_and_keeps_node_order_on_ties() {
        let top = top_scores(&[0.2, 0.9, 0.5, 0.9], 3);
        assert_eq!(top, [(NodeId(1), 0.9), (NodeId(3), 0.9), (NodeId(2), 0.5)]);
        assert_eq!(top_scores(&[0.1], 3), [(NodeId(0), 0.1)]);
    }
}
