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

/// A full node that bounded loads walked past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Skip {
    pub vnode: Vnode,
    pub load: u64,
}
