//! Cache policies against cases worked by hand from their published descriptions.

use std::num::NonZeroUsize;

use sysdeck::sim::cache::{Arc, Cache, Policy, TwoQ, hits};

fn cap(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).unwrap()
}

/// Hits of `policy` over `trace` with `capacity` keys.
fn hits_of(policy: Policy, capacity: usize, trace: &[u64]) -> u64 {
    hits(policy, cap(capacity), trace)
}

/// The reference string of Belady, Nelson & Shedler, "An anomaly in space-time characteristics
/// of certain programs running in a paging machine" (CACM 12(6), 1969).
const ANOMALY: [u64; 12] = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];

#[test]
fn fifo_shows_beladys_anomaly_where_lru_and_opt_do_not() {
    // FIFO: 9 faults with 3 frames, 10 with 4: more memory, more misses.
    assert_eq!(hits_of(Policy::Fifo, 3, &ANOMALY), 3);
    assert_eq!(hits_of(Policy::Fifo, 4, &ANOMALY), 2);
    // LRU: 10 faults with 3 frames, 8 with 4 (a stack algorithm cannot show the anomaly).
    assert_eq!(hits_of(Policy::Lru, 3, &ANOMALY), 2);
    assert_eq!(hits_of(Policy::Lru, 4, &ANOMALY), 4);
    // MIN: 7 faults with 3 frames, 6 with 4.
    assert_eq!(hits_of(Policy::Opt, 3, &ANOMALY), 5);
    assert_eq!(hits_of(Policy::Opt, 4, &ANOMALY), 6);
}

/// The reference string of the page-replacement chapter of Silberschatz, Galvin & Gagne,
/// "Operating System Concepts" (10th ed., section 10.4), with three frames: FIFO 15 faults,
/// OPT 9, LRU 12.
const TEXTBOOK: [u64; 20] = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1];

#[test]
fn the_textbook_reference_string_gives_the_textbook_fault_counts() {
    assert_eq!(20 - hits_of(Policy::Fifo, 3, &TEXTBOOK), 15);
    assert_eq!(20 - hits_of(Policy::Opt, 3, &TEXTBOOK), 9);
    assert_eq!(20 - hits_of(Policy::Lru, 3, &TEXTBOOK), 12);
}

#[test]
fn lfu_keeps_the_key_used_most_and_breaks_ties_by_recency() {
    // Capacity 2, worked by hand: 1 miss, 1 hit (count 2), 2 miss, 3 miss evicts 2 (count 1,
    // lower than 1's 2), 1 hit, 2 miss evicts 3 (count 1). LRU instead evicts 1 at the 3.
    let trace = [1, 1, 2, 3, 1, 2];
    assert_eq!(hits_of(Policy::Lfu, 2, &trace), 2);
    assert_eq!(hits_of(Policy::Lru, 2, &trace), 1);
    // Equal counts: the least recently used goes.
    let mut lfu = Policy::Lfu.build(cap(2), &[]);
    [1, 2, 3].into_iter().for_each(|k| {
        lfu.access(k);
    });
    assert_eq!(lfu.contents(), [2, 3]);
}

#[test]
fn arc_moves_its_target_on_ghost_hits_as_figure_4_prescribes() {
    // Megiddo & Modha (FAST 2003), Figure 4, c = 2, worked by hand.
    let mut arc = Arc::new(cap(2));
    let outcomes: Vec<bool> = [1, 1, 2, 3].into_iter().map(|k| arc.access(k)).collect();
    assert_eq!(outcomes, [false, true, false, false]);
    // 1 was seen twice (T2); 3 pushed 2 out of T1 into the ghost list B1 (Case IV, REPLACE).
    assert_eq!(arc.lists(), [vec![3], vec![1], vec![2], vec![]]);
    assert_eq!(arc.target(), 0.0);
    // Case II: a B1 ghost raises p by max(|B2|/|B1|, 1) = 1; REPLACE takes T2's LRU into B2.
    assert!(!arc.access(2));
    assert_eq!(arc.target(), 1.0);
    assert_eq!(arc.lists(), [vec![3], vec![2], vec![], vec![1]]);
    // Case III: a B2 ghost lowers p by max(|B1|/|B2|, 1) = 1; |T1| = 1 > p = 0, so T1 gives way.
    assert!(!arc.access(1));
    assert_eq!(arc.target(), 0.0);
    assert_eq!(arc.lists(), [vec![], vec![2, 1], vec![3], vec![]]);
}

/// Two keys used twice, then a one-time scan of ten fresh keys, then the two keys again.
fn warm_scan_return() -> Vec<u64> {
    let mut trace = vec![1, 2, 1, 2];
    trace.extend(10..20);
    trace.extend([1, 2]);
    trace
}

#[test]
fn arc_resists_a_one_time_scan_that_flushes_lru_and_fifo() {
    // ARC keeps keys seen twice in T2, which a scan through T1 never touches ("scan-resistant",
    // Megiddo & Modha section I-B). (2Q needs a key to come back from A1out; see below.)
    let trace = warm_scan_return();
    let returning = |policy: Policy| {
        let mut cache = policy.build(cap(4), &trace);
        let outcomes: Vec<bool> = trace.iter().map(|&k| cache.access(k)).collect();
        outcomes[outcomes.len() - 2..].to_vec()
    };
    assert_eq!(returning(Policy::Lru), [false, false]);
    assert_eq!(returning(Policy::Fifo), [false, false]);
    assert_eq!(returning(Policy::Arc), [true, true]);
}

#[test]
fn two_q_promotes_a_key_seen_again_while_its_ghost_is_remembered() {
    // Johnson & Shasha (VLDB 1994), full 2Q, c = 4: Kin = 1, Kout = 2, worked by hand.
    let mut q = TwoQ::new(cap(4));
    for k in [1, 2, 3, 4, 5] {
        assert!(!q.access(k));
    }
    // 5 made room by moving A1in's oldest (1) to A1out.
    assert_eq!(q.lists(), [vec![2, 3, 4, 5], vec![1], vec![]]);
    // 1 is in A1out: reclaim pushes 2 out of A1in, then 1 goes to Am.
    assert!(!q.access(1));
    assert_eq!(q.lists(), [vec![3, 4, 5], vec![2], vec![1]]);
    // A scan of fresh keys passes through A1in and A1out; Am keeps 1.
    for k in 10..20 {
        assert!(!q.access(k));
    }
    assert_eq!(q.lists()[2], [1]);
    assert!(q.access(1));
}
