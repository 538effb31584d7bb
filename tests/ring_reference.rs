//! Each placement scheme against the properties its paper proves, on random node counts and
//! seeds. Key counts are binomial, so "about 1/N" is checked within five standard deviations:
//! a correct scheme fails such a check about once in a million runs, a wrong one at once.

use proptest::prelude::*;
use sysdeck::sim::hash_ring::{
    BoundedLoads, DEFAULT_TABLE_SIZE, JumpHash, Loads, Maglev, Movement, NodeId, Placement,
    PlacementError, Rendezvous, Ring, assign, hash_keys, node_names,
};

const KEYS: usize = 20_000;

/// Whether `count` of `trials` is within five standard deviations of a binomial's mean.
fn binomially_near(count: u64, trials: usize, p: f64) -> bool {
    let mean = trials as f64 * p;
    let sd = (trials as f64 * p * (1.0 - p)).sqrt();
    (count as f64 - mean).abs() <= 5.0 * sd
}

/// Places the same keys before and after a change and compares owners by node name.
fn movement(
    keys: &[u64],
    before: &dyn Placement,
    after: &dyn Placement,
) -> (Movement, Vec<NodeId>) {
    let (owners_before, _) = assign(before, keys);
    let (owners_after, _) = assign(after, keys);
    (
        Movement::between(keys, (before, &owners_before), (after, &owners_after)),
        owners_after,
    )
}

/// Trial division, written out here so the test does not lean on the code it checks.
fn prime(n: u64) -> bool {
    n >= 2
        && (2..)
            .take_while(|d| d * d <= n)
            .all(|d| !n.is_multiple_of(d))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014):
    /// balance — each of the n buckets gets 1/n of the keys — and monotonicity — going from n to
    /// n + 1 buckets moves only the keys that must move, 1/(n + 1) of them, all to the new one.
    #[test]
    fn jump_is_balanced_and_moves_the_minimum(buckets in 2usize..60, seed in any::<u64>()) {
        let keys = hash_keys(KEYS, seed);
        let before = JumpHash::new(node_names(buckets)).unwrap();
        let (_, loads) = assign(&before, &keys);
        for (bucket, &load) in loads.counts().iter().enumerate() {
            prop_assert!(binomially_near(load, KEYS, 1.0 / buckets as f64), "bucket {} has {}", bucket, load);
        }
        let after = JumpHash::new(node_names(buckets + 1)).unwrap();
        let (moved, owners) = movement(&keys, &before, &after);
        prop_assert_eq!(moved.between_survivors, 0);
        prop_assert!(binomially_near(moved.moved, KEYS, 1.0 / (buckets + 1) as f64), "{:?}", moved);
        let to_new = owners.iter().filter(|n| n.index() == buckets).count() as u64;
        prop_assert_eq!(to_new, moved.moved);
    }

    /// Thaler and Ravishankar, "Using Name-Based Mappings to Increase Hit Rates" (1998): with
    /// highest random weight, adding a server moves to it exactly the keys it now scores highest
    /// on, 1/(N + 1) of them, and no key moves between the old servers.
    #[test]
    fn rendezvous_moves_one_in_n_plus_one_on_add(nodes in 1usize..40, seed in any::<u64>()) {
        let keys = hash_keys(KEYS, seed);
        let before = Rendezvous::new(node_names(nodes), seed).unwrap();
        let after = Rendezvous::new(node_names(nodes + 1), seed).unwrap();
        let (moved, owners) = movement(&keys, &before, &after);
        prop_assert_eq!(moved.between_survivors, 0);
        prop_assert!(binomially_near(moved.moved, KEYS, 1.0 / (nodes + 1) as f64), "{:?}", moved);
        let to_new = owners.iter().filter(|n| n.index() == nodes).count() as u64;
        prop_assert_eq!(to_new, moved.moved);
    }

    /// Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer" (NSDI
    /// 2016), section 3.4: the lookup table's size M is prime, and the population loop gives
    /// each of N backends M/N entries to within one, so with M = 65537 and up to 655 backends
    /// (M/N above 100) every backend is within 1% of M/N.
    #[test]
    fn maglev_gives_each_backend_m_over_n_within_one_percent(nodes in 1usize..=655, seed in any::<u64>()) {
        prop_assert!(prime(DEFAULT_TABLE_SIZE));
        let maglev = Maglev::new(node_names(nodes), DEFAULT_TABLE_SIZE, seed).unwrap();
        let mut slots = vec![0u64; nodes];
        for owner in maglev.table() {
            slots[owner.index()] += 1;
        }
        let fair = DEFAULT_TABLE_SIZE as f64 / nodes as f64;
        for (node, &count) in slots.iter().enumerate() {
            prop_assert!((count as f64 - fair).abs() <= 0.01 * fair, "node {} has {} of {}", node, count, fair);
        }
    }

    /// Mirrokni, Thorup and Zadimoghaddam, "Consistent Hashing with Bounded Loads" (SODA 2018):
    /// with capacity ceil(c * m / n) for m keys on n servers, no server ever holds more, whatever
    /// the ring's imbalance (few virtual nodes make it large).
    #[test]
    fn bounded_loads_never_exceed_ceil_c_times_the_mean(
        nodes in 2usize..30,
        vnodes in 1u32..8,
        percent in prop::sample::select(vec![1u64, 10, 25, 50, 100]),
        keys in 1usize..5_000,
        seed in any::<u64>(),
    ) {
        let ring = Ring::new(node_names(nodes), vnodes, seed).unwrap();
        let bounded = BoundedLoads::new(ring, percent as f64 / 100.0).unwrap();
        let (_, loads) = assign(&bounded, &hash_keys(keys, seed));
        // ceil(c * m / n) with c = 1 + percent/100, in integers.
        let cap = (keys as u64 * (100 + percent)).div_ceil(100 * nodes as u64);
        prop_assert_eq!(loads.total(), keys as u64);
        prop_assert!(loads.counts().iter().all(|&load| load <= cap), "{:?} over {}", loads.counts(), cap);
    }
}

/// Maglev's table must be prime for every skip to visit every slot (section 3.4): a composite
/// size is refused.
#[test]
fn maglev_refuses_a_table_size_that_is_not_prime() {
    assert_eq!(
        Maglev::new(node_names(3), 65_535, 0).err(),
        Some(PlacementError::TableSizeNotPrime { size: 65_535 })
    );
}

/// Bounded loads by hand: three nodes with one vnode each, epsilon 0.5. The fifth key's capacity
/// is ceil(1.5 * 5 / 3) = 3, so a node already holding 3 is passed over.
#[test]
fn bounded_loads_skips_a_node_at_capacity() {
    let ring = Ring::new(node_names(3), 1, 2).unwrap();
    let bounded = BoundedLoads::new(ring, 0.5).unwrap();
    assert_eq!(bounded.capacity(5), 3);
    let key = 42;
    let preferred = bounded.node_for(key);
    let mut loads = Loads::new(3);
    for _ in 0..3 {
        loads.add(preferred);
    }
    loads.add(NodeId((preferred.0 + 1) % 3));
    assert_ne!(bounded.node_for_loaded(key, &loads), preferred);
}
