//! What the labs measure about a placement: keys per node and their spread, and how many keys
//! move when the membership changes, next to the ideal and to naive modulo hashing.

use serde::Serialize;

use super::{NodeId, Placement, PlacementError, hash};

/// The name of the `index`-th synthetic key; keys are named so a learner can ask about one.
pub fn key_name(index: usize) -> String {
    format!("key-{index}")
}

/// Hashes of keys `key-0 .. key-{count-1}` under `seed`.
pub fn hash_keys(count: usize, seed: u64) -> Vec<u64> {
    (0..count)
        .map(|index| hash(key_name(index).as_bytes(), seed))
        .collect()
}

/// The name of the `index`-th synthetic node.
pub fn node_name(index: usize) -> String {
    format!("node-{index}")
}

/// Node names `node-0 .. node-{count-1}`.
pub fn node_names(count: usize) -> Vec<String> {
    (0..count).map(node_name).collect()
}

/// Keys held per node so far; bounded loads reads it to find full nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Loads {
    counts: Vec<u64>,
    total: u64,
}

impl Loads {
    /// No keys on any of `nodes` nodes.
    pub fn new(nodes: usize) -> Loads {
        Loads {
            counts: vec![0; nodes],
            total: 0,
        }
    }

    /// Loads already counted elsewhere, indexed by [`NodeId`]: a load balancer's outstanding
    /// requests per server, which go down as well as up.
    pub fn from_counts(counts: Vec<u64>) -> Loads {
        Loads {
            total: counts.iter().sum(),
            counts,
        }
    }

    /// Records one more key on `node`.
    pub fn add(&mut self, node: NodeId) {
        self.counts[node.index()] += 1;
        self.total += 1;
    }

    /// Keys on `node`; zero for a node never seen.
    pub fn of(&self, node: NodeId) -> u64 {
        self.counts.get(node.index()).copied().unwrap_or(0)
    }

    /// Keys per node, indexed by [`NodeId`].
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Keys placed in all.
    pub fn total(&self) -> u64 {
        self.total
    }
}

/// Places `keys` in order, each seeing the loads left by those before it.
pub fn assign(placement: &dyn Placement, keys: &[u64]) -> (Vec<NodeId>, Loads) {
    let mut loads = Loads::new(placement.nodes().len());
    let owners = keys
        .iter()
        .map(|&key| {
            let node = placement.node_for_loaded(key, &loads);
            loads.add(node);
            node
        })
        .collect();
    (owners, loads)
}

/// How evenly keys spread over the nodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Balance {
    pub mean: f64,
    pub min: u64,
    pub max: u64,
    /// The busiest node's load relative to the average: what sizes every node in practice.
    pub max_over_mean: f64,
    /// Standard deviation over mean (population form): the figure 1/sqrt(vnodes) predicts.
    pub rsd: f64,
}

impl Balance {
    /// The spread of `loads`; all zero when no key was placed.
    pub fn of(loads: &Loads) -> Balance {
        let counts = loads.counts();
        let values: Vec<f64> = counts.iter().map(|&count| count as f64).collect();
        let mean = loads.total() as f64 / counts.len().max(1) as f64;
        let max = counts.iter().copied().max().unwrap_or(0);
        Balance {
            mean,
            min: counts.iter().copied().min().unwrap_or(0),
            max,
            max_over_mean: if mean > 0.0 { max as f64 / mean } else { 0.0 },
            rsd: relative_std_dev(&values),
        }
    }
}

/// Population standard deviation over the mean; zero for an empty or all-zero list.
pub fn relative_std_dev(values: &[f64]) -> f64 {
    let count = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / count;
    if mean == 0.0 {
        return 0.0;
    }
    let variance = values
        .iter()
        .map(|value| (value - mean).powi(2))
        .sum::<f64>()
        / count;
    variance.sqrt() / mean
}

/// A change of membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Add this many nodes, named `node-K` for the first unused numbers K.
    Add(u32),
    /// Remove the node with this name.
    Remove(String),
}

impl Change {
    /// The node list after the change; survivors keep their order.
    pub fn apply(&self, nodes: &[String]) -> Result<Vec<String>, PlacementError> {
        match self {
            Change::Add(count) => {
                let mut after = nodes.to_vec();
                let fresh = (0..)
                    .map(node_name)
                    .filter(|name| !nodes.contains(name))
                    .take(*count as usize);
                after.extend(fresh);
                Ok(after)
            }
            Change::Remove(name) => {
                if !nodes.contains(name) {
                    return Err(PlacementError::UnknownNode {
                        name: name.clone(),
                        known: describe_names(nodes),
                    });
                }
                if nodes.len() == 1 {
                    return Err(PlacementError::LastNode { name: name.clone() });
                }
                Ok(nodes.iter().filter(|node| *node != name).cloned().collect())
            }
        }
    }
}

/// A short list of names for error messages: all of them, or the ends of a long list.
fn describe_names(nodes: &[String]) -> String {
    match nodes {
        [] => "none".to_string(),
        [first, .., last] if nodes.len() > 4 => format!("{first} … {last}"),
        _ => nodes.join(", "),
    }
}

/// How many keys changed owner between two placements of the same keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Movement {
    pub keys: u64,
    pub moved: u64,
    /// `moved / keys`.
    pub share: f64,
    /// The least any scheme can move: the keys the joining nodes must take or the leaving
    /// nodes must hand over, |after - before| / max(before, after); 1/(N+1) for one new node.
    pub ideal_share: f64,
    /// What `hash mod N` would move on the same keys: about N/(N+1) for one new node.
    pub modulo_share: f64,
    /// Keys that moved between two nodes present both before and after; a minimal scheme
    /// moves none.
    pub between_survivors: u64,
}

impl Movement {
    /// Compares owners by node name, since ids shift when nodes leave.
    pub fn between(
        keys: &[u64],
        before: (&dyn Placement, &[NodeId]),
        after: (&dyn Placement, &[NodeId]),
    ) -> Movement {
        let (before_nodes, after_nodes) = (before.0.nodes(), after.0.nodes());
        // Whether each node, by id on its own side, is also a member on the other side.
        let stays = |nodes: &[String], other: &[String]| -> Vec<bool> {
            nodes.iter().map(|name| other.contains(name)).collect()
        };
        let (stays_after, was_before) = (
            stays(before_nodes, after_nodes),
            stays(after_nodes, before_nodes),
        );
        let mut moved = 0;
        let mut between_survivors = 0;
        for (old, new) in before.1.iter().zip(after.1) {
            if before_nodes[old.index()] != after_nodes[new.index()] {
                moved += 1;
                if stays_after[old.index()] && was_before[new.index()] {
                    between_survivors += 1;
                }
            }
        }
        let (old_count, new_count) = (before_nodes.len() as u64, after_nodes.len() as u64);
        let modulo_moved = keys
            .iter()
            .filter(|&&key| {
                before_nodes[(key % old_count) as usize] != after_nodes[(key % new_count) as usize]
            })
            .count();
        let total = keys.len().max(1) as f64;
        let (old, new) = (old_count as f64, new_count as f64);
        Movement {
            keys: keys.len() as u64,
            moved,
            share: moved as f64 / total,
            ideal_share: (new - old).abs() / old.max(new),
            modulo_share: modulo_moved as f64 / total,
            between_survivors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::hash_ring::{Config, JumpHash, Ring, build};

    #[test]
    fn balance_of_known_loads() {
        let mut loads = Loads::new(2);
        for node in [0, 0, 0, 1] {
            loads.add(NodeId(node));
        }
        let balance = Balance::of(&loads);
        assert_eq!((balance.min, balance.max, balance.mean), (1, 3, 2.0));
        assert_eq!(balance.max_over_mean, 1.5);
        assert_eq!(balance.rsd, 0.5);
        assert_eq!(Balance::of(&Loads::new(3)).rsd, 0.0);
    }

    #[test]
    fn changes_add_fresh_names_and_remove_named_nodes() {
        let nodes = node_names(3);
        assert_eq!(
            Change::Add(2).apply(&nodes).unwrap(),
            ["node-0", "node-1", "node-2", "node-3", "node-4"]
        );
        assert_eq!(
            Change::Remove("node-1".into()).apply(&nodes).unwrap(),
            ["node-0", "node-2"]
        );
        let unknown = Change::Remove("web-9".into())
            .apply(&node_names(9))
            .unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "no node named `web-9` (nodes are node-0 … node-8)"
        );
        let last = Change::Remove("node-0".into()).apply(&node_names(1));
        assert!(matches!(last, Err(PlacementError::LastNode { .. })));
    }

    #[test]
    fn adding_a_ring_node_moves_only_keys_to_it() {
        let keys = hash_keys(20_000, 3);
        let config = Config {
            vnodes: 200,
            seed: 3,
            ..Config::default()
        };
        let before = build(super::super::Algo::Ring, node_names(9), &config).unwrap();
        let after_nodes = Change::Add(1).apply(before.nodes()).unwrap();
        let after = Ring::new(after_nodes, 200, 3).unwrap();
        let (owners_before, _) = assign(before.as_ref(), &keys);
        let (owners_after, _) = assign(&after, &keys);
        let movement = Movement::between(
            &keys,
            (before.as_ref(), &owners_before),
            (&after, &owners_after),
        );
        assert_eq!(movement.between_survivors, 0);
        assert!((movement.share - 0.1).abs() < 0.03, "{movement:?}");
        assert_eq!(movement.ideal_share, 0.1);
        assert!((movement.modulo_share - 0.9).abs() < 0.02, "{movement:?}");
    }

    #[test]
    fn removing_a_middle_jump_bucket_renumbers_the_rest() {
        let keys = hash_keys(10_000, 1);
        let before = JumpHash::new(node_names(10)).unwrap();
        let after = JumpHash::new(
            Change::Remove("node-2".into())
                .apply(before.nodes())
                .unwrap(),
        )
        .unwrap();
        let (owners_before, _) = assign(&before, &keys);
        let (owners_after, _) = assign(&after, &keys);
        let movement = Movement::between(&keys, (&before, &owners_before), (&after, &owners_after));
        assert!(movement.between_survivors > 0);
        assert!(movement.share > 2.0 * movement.ideal_share, "{movement:?}");
    }
}
