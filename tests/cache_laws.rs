//! Analytic laws of cache eviction, checked on random traces with proptest.

use std::num::NonZeroUsize;

use proptest::prelude::*;
use sysdeck::sim::cache::{Policy, Shape, hits, run};

fn cap(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).unwrap()
}

/// Short traces over a small alphabet, where evictions and re-references are frequent.
fn traces() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(0u64..10, 0..300)
}

fn distinct(trace: &[u64]) -> usize {
    let mut keys = trace.to_vec();
    keys.sort_unstable();
    keys.dedup();
    keys.len()
}

proptest! {
    /// Belady's MIN is optimal among demand policies: none hits more often.
    #[test]
    fn opt_hits_at_least_as_often_as_every_policy(trace in traces(), c in 1usize..8) {
        let bound = hits(Policy::Opt, cap(c), &trace);
        for policy in Policy::ALL {
            prop_assert!(hits(policy, cap(c), &trace) <= bound, "{policy:?}");
        }
    }

    /// LRU is a stack algorithm (Mattson et al., IBM Systems Journal 9(2), 1970): a larger
    /// cache holds everything a smaller one does, so hits never fall as capacity grows.
    #[test]
    fn lru_is_a_stack_algorithm(trace in traces(), c in 1usize..8) {
        let (mut small, mut large) = (Policy::Lru.build(cap(c), &trace), Policy::Lru.build(cap(c + 1), &trace));
        for &key in &trace {
            let (a, b) = (small.access(key), large.access(key));
            prop_assert!(!a || b, "a hit in the small cache is a hit in the large one");
            let larger = large.contents();
            prop_assert!(small.contents().iter().all(|k| larger.contains(k)));
        }
        prop_assert!(hits(Policy::Lru, cap(c), &trace) <= hits(Policy::Lru, cap(c + 1), &trace));
        prop_assert!(hits(Policy::Opt, cap(c), &trace) <= hits(Policy::Opt, cap(c + 1), &trace));
    }

    /// Every request is a hit or a miss; every distinct key misses at least once (cold); a
    /// cache never holds more than its capacity.
    #[test]
    fn counts_add_up_and_caches_stay_within_capacity(trace in traces(), c in 1usize..8) {
        for policy in Policy::ALL {
            let tally = run(policy, cap(c), &trace, 16);
            prop_assert_eq!(tally.requests(), trace.len() as u64);
            prop_assert!(tally.misses >= distinct(&trace) as u64);
            prop_assert!((0.0..=1.0).contains(&tally.hit_ratio()));
            prop_assert!(tally.window_ratios().iter().all(|r| (0.0..=1.0).contains(r)));
            prop_assert_eq!(tally.window_hits.iter().sum::<u64>(), tally.hits);
            let mut cache = policy.build(cap(c), &trace);
            for &key in &trace {
                cache.access(key);
                prop_assert!(cache.contents().len() <= c, "{policy:?}");
            }
        }
    }

    /// A cache that can hold every key misses only the first request of each.
    #[test]
    fn a_large_enough_cache_misses_only_cold(trace in traces()) {
        let c = distinct(&trace).max(1);
        for policy in Policy::ALL {
            let tally = run(policy, cap(c), &trace, 16);
            prop_assert_eq!(tally.misses, distinct(&trace) as u64, "{:?}", policy);
        }
    }

    /// A loop over more keys than fit evicts each key just before it is needed again under
    /// LRU and FIFO: not one hit.
    #[test]
    fn lru_and_fifo_never_hit_a_loop_larger_than_the_cache(c in 1usize..20, extra in 1u64..10, rounds in 1usize..6) {
        let keys = c as u64 + extra;
        let trace = Shape::Loop.generate(keys, 0.0, keys as usize * rounds, 0).unwrap().requests;
        prop_assert_eq!(hits(Policy::Lru, cap(c), &trace), 0);
        prop_assert_eq!(hits(Policy::Fifo, cap(c), &trace), 0);
    }
}
