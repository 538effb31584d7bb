//! Key placement: which node owns a key, under five consistent-hashing schemes that share one
//! [`Placement`] trait, so the labs and the CLI can swap them and compare the same statistics.

mod bounded;
mod explain;
mod jump;
mod maglev;
mod rendezvous;
mod ring;
mod stats;

pub use bounded::BoundedLoads;
pub use explain::{Explanation, Skip, Why, top_scores};
pub use jump::{JumpHash, JumpSteps};
pub use maglev::{DEFAULT_TABLE_SIZE, Maglev};
pub use rendezvous::Rendezvous;
pub use ring::{Ring, Span, Vnode};
pub use stats::{
    Balance, Change, Loads, Movement, assign, hash_keys, key_name, node_name, node_names,
    relative_std_dev,
};

use serde::Serialize;
use thiserror::Error;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Index of a node in its placement's [`Placement::nodes`] list.
///
/// Indices shift when a node is removed, so compare placements by node name, not by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The id as a slice index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Maps 64-bit key hashes to nodes; one implementation per scheme.
pub trait Placement {
    /// Which scheme this is.
    fn algo(&self) -> Algo;

    /// Node names, indexed by [`NodeId`].
    fn nodes(&self) -> &[String];

    /// The scheme's pure mapping: where `key` goes when no node is full.
    fn node_for(&self, key: u64) -> NodeId;

    /// Where `key` goes given the keys already placed; only bounded loads looks at them.
    fn node_for_loaded(&self, key: u64, _loads: &Loads) -> NodeId {
        self.node_for(key)
    }

    /// Where `key` lands and why, step by step, given the keys already placed.
    fn explain(&self, key: u64, loads: &Loads) -> Explanation;

    /// Each node's share of the key space before any key is drawn (sums to 1): where the
    /// scheme itself is uneven, as opposed to the luck of which keys arrive.
    fn shares(&self) -> Vec<f64> {
        vec![1.0 / self.nodes().len() as f64; self.nodes().len()]
    }

    /// The relative standard deviation of keys per node that theory predicts for `keys` keys,
    /// or `None` where the scheme bounds the load instead (bounded loads).
    fn expected_rsd(&self, keys: usize) -> Option<f64> {
        Some(key_noise(self.nodes().len(), keys))
    }

    /// The most keys any node can hold once `keys` are placed, for schemes that cap it.
    fn max_load(&self, _keys: u64) -> Option<u64> {
        None
    }
}

/// Relative standard deviation of multinomial key counts over `nodes` equal shares: the
/// imbalance left even by a perfect scheme, sqrt((N-1)/K).
fn key_noise(nodes: usize, keys: usize) -> f64 {
    ((nodes.saturating_sub(1)) as f64 / keys.max(1) as f64).sqrt()
}

/// The placement schemes, spelled as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Algo {
    Ring,
    Jump,
    Rendezvous,
    Maglev,
    Bounded,
}

impl Algo {
    /// Every scheme, in the order the labs present them.
    pub const ALL: [Algo; 5] = [
        Algo::Ring,
        Algo::Jump,
        Algo::Rendezvous,
        Algo::Maglev,
        Algo::Bounded,
    ];

    /// The command-line spelling.
    pub fn name(self) -> &'static str {
        match self {
            Algo::Ring => "ring",
            Algo::Jump => "jump",
            Algo::Rendezvous => "rendezvous",
            Algo::Maglev => "maglev",
            Algo::Bounded => "bounded",
        }
    }

    /// A human title for reports and screens.
    pub fn title(self) -> &'static str {
        match self {
            Algo::Ring => "consistent hash ring with virtual nodes",
            Algo::Jump => "jump consistent hash",
            Algo::Rendezvous => "rendezvous (highest random weight) hashing",
            Algo::Maglev => "Maglev lookup table",
            Algo::Bounded => "consistent hashing with bounded loads",
        }
    }

    /// Whether the scheme places virtual nodes on a ring (and so reads `vnodes`).
    pub fn uses_vnodes(self) -> bool {
        matches!(self, Algo::Ring | Algo::Bounded)
    }
}

/// Everything [`build`] needs beyond the node names; each scheme reads only its own fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    /// Virtual nodes per node on a ring.
    pub vnodes: u32,
    /// Seed of every hash, so a run can be repeated or varied.
    pub seed: u64,
    /// Bounded loads: a node may hold up to ceil((1+epsilon) * keys / nodes) keys.
    pub epsilon: f64,
    /// Maglev lookup table size; must be prime.
    pub table_size: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            vnodes: 100,
            seed: 0,
            epsilon: 0.25,
            table_size: DEFAULT_TABLE_SIZE,
        }
    }
}

/// Why a placement could not be built or changed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PlacementError {
    #[error("a placement needs at least one node")]
    NoNodes,
    #[error("a ring needs at least one virtual node per node")]
    NoVnodes,
    #[error("node `{name}` appears twice")]
    DuplicateNode { name: String },
    #[error("no node named `{name}` (nodes are {known})")]
    UnknownNode { name: String, known: String },
    #[error("removing `{name}` would leave no nodes")]
    LastNode { name: String },
    #[error("Maglev table size {size} is not prime (65537 is the usual choice)")]
    TableSizeNotPrime { size: u64 },
    #[error("Maglev table size {size} is smaller than the {nodes} nodes it must share out")]
    TableTooSmall { size: u64, nodes: usize },
    #[error("epsilon must be between 0.000001 and 1000000, got {epsilon}")]
    BadEpsilon { epsilon: f64 },
    #[error("{weights} weights given for {nodes} nodes; give one per node")]
    WeightCount { weights: usize, nodes: usize },
    #[error("weight of node `{node}` must be a finite number above 0, got {weight}")]
    BadWeight { node: String, weight: f64 },
}

/// Builds the scheme `algo` over `nodes` (names must be distinct).
pub fn build(
    algo: Algo,
    nodes: Vec<String>,
    config: &Config,
) -> Result<Box<dyn Placement>, PlacementError> {
    Ok(match algo {
        Algo::Ring => Box::new(Ring::new(nodes, config.vnodes, config.seed)?),
        Algo::Jump => Box::new(JumpHash::new(nodes)?),
        Algo::Rendezvous => Box::new(Rendezvous::new(nodes, config.seed)?),
        Algo::Maglev => Box::new(Maglev::new(nodes, config.table_size, config.seed)?),
        Algo::Bounded => Box::new(BoundedLoads::new(
            Ring::new(nodes, config.vnodes, config.seed)?,
            config.epsilon,
        )?),
    })
}

/// Checks the node list every scheme relies on: not empty, no name twice.
fn check_nodes(nodes: &[String]) -> Result<(), PlacementError> {
    if nodes.is_empty() {
        return Err(PlacementError::NoNodes);
    }
    let mut sorted: Vec<&String> = nodes.iter().collect();
    sorted.sort();
    match sorted.windows(2).find(|pair| pair[0] == pair[1]) {
        Some(pair) => Err(PlacementError::DuplicateNode {
            name: pair[0].clone(),
        }),
        None => Ok(()),
    }
}

/// The one seeded hash behind every scheme: xxh3, never the process-random std hasher.
pub fn hash(bytes: &[u8], seed: u64) -> u64 {
    xxh3_64_with_seed(bytes, seed)
}

/// The node id for position `index` of a node list.
fn node_id(index: usize) -> NodeId {
    NodeId(u32::try_from(index).expect("node lists are far smaller than u32::MAX"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheme_builds_and_is_deterministic() {
        let config = Config {
            vnodes: 20,
            seed: 7,
            table_size: 101,
            ..Config::default()
        };
        for algo in Algo::ALL {
            let first = build(algo, node_names(5), &config).unwrap();
            let second = build(algo, node_names(5), &config).unwrap();
            assert_eq!(first.algo(), algo);
            for key in hash_keys(200, 7) {
                assert_eq!(first.node_for(key), second.node_for(key), "{algo:?}");
            }
        }
    }

    #[test]
    fn rejects_empty_and_duplicate_node_lists() {
        for algo in Algo::ALL {
            let empty = build(algo, Vec::new(), &Config::default()).err();
            assert_eq!(empty, Some(PlacementError::NoNodes), "{algo:?}");
            let twice = vec!["a".to_string(), "b".to_string(), "a".to_string()];
            let duplicate = build(algo, twice, &Config::default()).err();
            assert_eq!(
                duplicate,
                Some(PlacementError::DuplicateNode { name: "a".into() })
            );
        }
    }
}
