//! Maglev hashing (Google, NSDI 2016): nodes take turns claiming slots of a prime-sized lookup
//! table along their own permutation, so each ends up with floor or ceil of M/N slots.

use super::{
    Algo, Explanation, Loads, NodeId, Placement, PlacementError, Why, check_nodes, hash, node_id,
};

/// The table size the Maglev paper uses: prime, and large enough for a few hundred backends.
pub const DEFAULT_TABLE_SIZE: u64 = 65_537;

/// A filled Maglev lookup table; a lookup is one modulo and one read.
#[derive(Debug, Clone)]
pub struct Maglev {
    nodes: Vec<String>,
    /// Which node owns each slot.
    table: Vec<NodeId>,
}

impl Maglev {
    /// Fills a table of `table_size` slots (prime, at least the node count).
    pub fn new(nodes: Vec<String>, table_size: u64, seed: u64) -> Result<Maglev, PlacementError> {
        check_nodes(&nodes)?;
        if !is_prime(table_size) {
            return Err(PlacementError::TableSizeNotPrime { size: table_size });
        }
        if table_size < nodes.len() as u64 {
            return Err(PlacementError::TableTooSmall {
                size: table_size,
                nodes: nodes.len(),
            });
        }
        let table = populate(&nodes, table_size, seed);
        Ok(Maglev { nodes, table })
    }

    /// The lookup table, slot by slot: what a screen draws as the strip of owners.
    pub fn table(&self) -> &[NodeId] {
        &self.table
    }

    fn size(&self) -> u64 {
        self.table.len() as u64
    }
}

/// The paper's population loop: each node walks its permutation `offset, offset + skip, ...`
/// (mod M) and claims its next free slot, round-robin, until the table is full.
fn populate(nodes: &[String], size: u64, seed: u64) -> Vec<NodeId> {
    // Two independent hashes of the name give the permutation's offset and skip; with M prime,
    // any skip in 1..M visits every slot.
    let skips: Vec<u64> = nodes
        .iter()
        .map(|name| hash(name.as_bytes(), !seed) % (size - 1) + 1)
        .collect();
    let mut positions: Vec<u64> = nodes
        .iter()
        .map(|name| hash(name.as_bytes(), seed) % size)
        .collect();
    let mut table: Vec<Option<NodeId>> = vec![None; size as usize];
    let mut filled = 0;
    'fill: loop {
        for (node, position) in positions.iter_mut().enumerate() {
            while table[*position as usize].is_some() {
                *position = (*position + skips[node]) % size;
            }
            table[*position as usize] = Some(node_id(node));
            filled += 1;
            if filled == size {
                break 'fill;
            }
        }
    }
    table
        .into_iter()
        .map(|owner| owner.expect("the loop stops only when every slot is filled"))
        .collect()
}

/// Trial division; table sizes are small enough that anything cleverer is wasted.
fn is_prime(n: u64) -> bool {
    n >= 2
        && (2..)
            .take_while(|d| d * d <= n)
            .all(|d| !n.is_multiple_of(d))
}

impl Placement for Maglev {
    fn algo(&self) -> Algo {
        Algo::Maglev
    }

    fn nodes(&self) -> &[String] {
        &self.nodes
    }

    fn node_for(&self, key: u64) -> NodeId {
        self.table[(key % self.size()) as usize]
    }

    /// Slots owned over table size: within one slot of equal.
    fn shares(&self) -> Vec<f64> {
        let mut slots = vec![0u64; self.nodes.len()];
        for owner in &self.table {
            slots[owner.index()] += 1;
        }
        slots
            .into_iter()
            .map(|count| count as f64 / self.size() as f64)
            .collect()
    }

    fn explain(&self, key: u64, _loads: &Loads) -> Explanation {
        Explanation {
            key,
            node: self.node_for(key),
            why: Why::Maglev {
                table_size: self.size(),
                slot: key % self.size(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::hash_ring::node_names;

    #[test]
    fn primes() {
        let small: Vec<u64> = (0..30).filter(|&n| is_prime(n)).collect();
        assert_eq!(small, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
        assert!(is_prime(DEFAULT_TABLE_SIZE));
        assert!(!is_prime(65_535));
    }

    #[test]
    fn table_is_shared_evenly() {
        let maglev = Maglev::new(node_names(7), 101, 4).unwrap();
        let mut slots = [0; 7];
        for owner in maglev.table() {
            slots[owner.index()] += 1;
        }
        assert!(
            slots.iter().all(|&count| count == 14 || count == 15),
            "{slots:?}"
        );
        let explanation = maglev.explain(1234, &Loads::default());
        assert_eq!(
            explanation.why,
            Why::Maglev {
                table_size: 101,
                slot: 1234 % 101
            }
        );
        assert_eq!(explanation.node, maglev.table()[(1234 % 101) as usize]);
    }

    #[test]
    fn rejects_bad_table_sizes() {
        assert_eq!(
            Maglev::new(node_names(3), 100, 0).err(),
            Some(PlacementError::TableSizeNotPrime { size: 100 })
        );
        assert_eq!(
            Maglev::new(node_names(5), 3, 0).err(),
            Some(PlacementError::TableTooSmall { size: 3, nodes: 5 })
        );
    }
}
