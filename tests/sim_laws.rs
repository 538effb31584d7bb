//! The analytic laws the simulations must obey, checked on random inputs: each is a textbook
//! property of the mechanism, so a failure here means the simulation teaches something false.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::FakeRelativeClock;
use governor::{Quota as GovernorQuota, RateLimiter};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_pcg::Pcg64;
use sysdeck::sim::hash_ring::{
    Algo as PlacementAlgo, Balance, Change, Config, JumpHash, Maglev, Movement, Placement, Ring,
    assign, build, hash_keys, node_names,
};
use sysdeck::sim::limiter::{
    Algo, AnyLimiter, Decision, FixedWindow, Gcra, LeakyMeter, Limiter, Quota, SlidingCounter,
    SlidingLog, Tally, TokenBucket, max_in_window, run,
};
use sysdeck::sim::time::{MICROSECOND, Nanos};
use sysdeck::sim::traffic::Pattern;

/// Arrival times built from random gaps of whole microseconds, so that requests often land
/// exactly on a refill or window boundary, where off-by-one mistakes live (zero gaps make
/// simultaneous requests).
fn arrivals(max_gap: Nanos, max_len: usize) -> impl Strategy<Value = Vec<Nanos>> {
    let max_units = (max_gap / MICROSECOND).max(1);
    prop::collection::vec(prop_oneof![Just(0), 0..=max_units], 1..max_len).prop_map(|gaps| {
        gaps.into_iter()
            .scan(0, |time, gap| {
                *time += gap * MICROSECOND;
                Some(*time)
            })
            .collect()
    })
}

/// A quota of whole microseconds per request, small enough that bursts and refills interleave.
fn quota() -> impl Strategy<Value = Quota> {
    (1u32..20, 1u64..20).prop_map(|(limit, per_request)| {
        Quota::new(limit, u64::from(limit) * per_request * MICROSECOND).unwrap()
    })
}

/// A quota and traffic whose gaps are on the scale of the quota's interval.
fn quota_and_traffic() -> impl Strategy<Value = (Quota, Vec<Nanos>)> {
    quota().prop_flat_map(|quota| (Just(quota), arrivals(3 * quota.interval(), 300)))
}

/// Times of the requests `decisions` let through, in order.
fn forwarded(arrivals: &[Nanos], decisions: &[Decision]) -> Vec<Nanos> {
    arrivals
        .iter()
        .zip(decisions)
        .filter_map(|(&arrival, decision)| decision.forwarded_at(arrival))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn fixed_window_lets_2l_through_at_the_boundary((quota, noise) in quota_and_traffic()) {
        let limiter = FixedWindow::new(quota);
        let attack = Pattern::Boundary.shaped_for(quota).arrivals(4 * quota.window(), &mut Pcg64::seed_from_u64(0));
        let (decisions, _) = run(&limiter, &attack);
        let through = max_in_window(&forwarded(&attack, &decisions), quota.window());
        prop_assert_eq!(through, 2 * u64::from(quota.limit()));

        let (decisions, _) = run(&limiter, &noise);
        let through = max_in_window(&forwarded(&noise, &decisions), quota.window());
        prop_assert!(through <= 2 * u64::from(quota.limit()));
    }

    #[test]
    fn sliding_log_never_exceeds_the_limit_in_any_window((quota, traffic) in quota_and_traffic()) {
        let (decisions, _) = run(&SlidingLog::new(quota), &traffic);
        let through = max_in_window(&forwarded(&traffic, &decisions), quota.window());
        prop_assert!(through <= u64::from(quota.limit()));
    }

    /// The lab's worst case for the sliding counter, 2L in one window's length, is its true
    /// maximum: with L admitted in the last nanosecond of a window, the next window admits its
    /// i-th request (i from 0) as soon as L * (1 - e/W) + i < L, i.e. at e = floor(i * W / L) + 1,
    /// all within a window's length of the first L. Random traffic never does better.
    #[test]
    fn sliding_counter_reaches_and_keeps_its_2l_bound((quota, traffic) in quota_and_traffic()) {
        let counter = SlidingCounter::new(quota);
        let (limit, window) = (u64::from(quota.limit()), quota.window());
        let mut attack = vec![window - 1; quota.limit() as usize];
        attack.extend((0..limit).map(|i| window + i * window / limit + 1));
        let (decisions, _) = run(&counter, &attack);
        prop_assert!(decisions.iter().all(|d| *d == Decision::Admitted), "{:?}", decisions);
        let through = max_in_window(&forwarded(&attack, &decisions), window);
        prop_assert_eq!(counter.bound(window), 2 * limit);
        prop_assert_eq!(through, counter.bound(window));

        let (decisions, _) = run(&counter, &traffic);
        let through = max_in_window(&forwarded(&traffic, &decisions), window);
        prop_assert!(through <= counter.bound(window));
    }

    /// In any interval of length T a bucket of B refilled every I admits at most B + T/I:
    /// checked over every pair of admissions, as (n - B) * I <= T.
    #[test]
    fn token_bucket_admits_at_most_b_plus_rt((quota, traffic) in quota_and_traffic()) {
        let bucket = TokenBucket::new(quota);
        let (decisions, _) = run(&bucket, &traffic);
        let admitted = forwarded(&traffic, &decisions);
        let burst = u64::from(bucket.capacity());
        for (i, first) in admitted.iter().enumerate() {
            for (j, last) in admitted.iter().enumerate().skip(i) {
                let count = (j - i + 1) as u64;
                prop_assert!(count.saturating_sub(burst) * bucket.refill_interval() <= last - first);
            }
        }
    }

    #[test]
    fn gcra_token_bucket_and_leaky_meter_decide_identically((quota, traffic) in quota_and_traffic()) {
        let (bucket, _) = run(&TokenBucket::new(quota), &traffic);
        prop_assert_eq!(&run(&Gcra::new(quota), &traffic).0, &bucket);
        prop_assert_eq!(&run(&LeakyMeter::new(quota), &traffic).0, &bucket);
    }

    #[test]
    fn gcra_agrees_with_governor(
        (interval, burst, traffic) in (1u64..50, 1u32..30).prop_flat_map(|(micros, burst)| {
            let interval = micros * MICROSECOND;
            (Just(interval), Just(burst), arrivals(2 * interval, 400))
        })
    ) {
        let ours = Gcra::with_tolerance(interval, interval * u64::from(burst - 1));
        let (decisions, _) = run(&ours, &traffic);
        let clock = FakeRelativeClock::default();
        let quota = GovernorQuota::with_period(Duration::from_nanos(interval))
            .unwrap()
            .allow_burst(NonZeroU32::new(burst).unwrap());
        let theirs = RateLimiter::direct_with_clock(quota, clock.clone());
        let mut now = 0;
        for (&time, decision) in traffic.iter().zip(&decisions) {
            clock.advance(Duration::from_nanos(time - now));
            now = time;
            prop_assert_eq!(theirs.check().is_ok(), *decision == Decision::Admitted, "at {}ns", time);
        }
    }

    /// Every limiter stays within its own stated bound in every window, and the queue within
    /// its stated delay.
    #[test]
    fn every_limiter_keeps_its_bound((quota, traffic) in quota_and_traffic()) {
        for algo in Algo::ALL {
            let mut limiter = AnyLimiter::new(algo, quota);
            let decisions = limiter.offer_all(&traffic);
            let tally = Tally::of(&traffic, &decisions, quota.window());
            prop_assert!(tally.max_in_window <= limiter.bound(quota.window()), "{:?}: {:?}", algo, tally);
            prop_assert!(tally.max_delay <= limiter.max_delay(), "{:?}: {:?}", algo, tally);
            prop_assert_eq!(tally.admitted + tally.rejected, traffic.len() as u64);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Adding one node to N moves about 1/(N+1) of the keys (removing one of N about 1/N), all
    /// to or from the changed node: within 25% with 1000 vnodes and 20,000 keys.
    #[test]
    fn ring_moves_about_the_ideal_share(nodes in 5usize..40, seed in any::<u64>(), remove in any::<bool>()) {
        let keys = hash_keys(20_000, seed);
        let before = Ring::new(node_names(nodes), 1000, seed).unwrap();
        let change = match remove {
            true => Change::Remove(format!("node-{}", seed as usize % nodes)),
            false => Change::Add(1),
        };
        let after = Ring::new(change.apply(before.nodes()).unwrap(), 1000, seed).unwrap();
        let (owners_before, _) = assign(&before, &keys);
        let (owners_after, _) = assign(&after, &keys);
        let movement = Movement::between(&keys, (&before, &owners_before), (&after, &owners_after));
        let ideal = if remove { 1.0 / nodes as f64 } else { 1.0 / (nodes + 1) as f64 };
        prop_assert_eq!(movement.ideal_share, ideal);
        prop_assert!((movement.share / ideal - 1.0).abs() < 0.25, "{:?}", movement);
        prop_assert_eq!(movement.between_survivors, 0);
        prop_assert!(movement.modulo_share > 0.5);
    }

    #[test]
    fn jump_moves_keys_only_to_the_new_bucket(nodes in 1usize..2000, seed in any::<u64>()) {
        let before = JumpHash::new(node_names(nodes)).unwrap();
        let after = JumpHash::new(node_names(nodes + 1)).unwrap();
        for key in hash_keys(2_000, seed) {
            let (old, new) = (before.node_for(key), after.node_for(key));
            prop_assert!(new == old || new.index() == nodes, "key {} went {:?} -> {:?}", key, old, new);
        }
    }

    #[test]
    fn maglev_gives_every_node_floor_or_ceil_of_m_over_n(
        size in prop::sample::select(vec![251u64, 1_009, 4_099, 65_537]),
        nodes in 1usize..300,
        seed in any::<u64>(),
    ) {
        prop_assume!(nodes as u64 <= size);
        let maglev = Maglev::new(node_names(nodes), size, seed).unwrap();
        let mut slots = vec![0u64; nodes];
        for owner in maglev.table() {
            slots[owner.index()] += 1;
        }
        let floor = size / nodes as u64;
        let ceil = size.div_ceil(nodes as u64);
        prop_assert!(slots.iter().all(|&count| count == floor || count == ceil), "{:?}", slots);
    }
}

/// With v vnodes a node's share of the ring is a sum of v spacings, so loads spread with
/// relative standard deviation 1/sqrt(v). 100 nodes and 1M keys keep the key noise (0.01) small
/// beside even v = 1000 (0.032).
#[test]
fn ring_spread_tracks_one_over_root_v() {
    let keys = hash_keys(1_000_000, 7);
    for vnodes in [10, 100, 1000] {
        let config = Config {
            vnodes,
            seed: 7,
            ..Config::default()
        };
        let ring = build(PlacementAlgo::Ring, node_names(100), &config).unwrap();
        let (_, loads) = assign(ring.as_ref(), &keys);
        let rsd = Balance::of(&loads).rsd;
        let expected = 1.0 / f64::from(vnodes).sqrt();
        assert!(
            (rsd / expected - 1.0).abs() < 0.25,
            "v = {vnodes}: rsd {rsd}, expected {expected}"
        );
    }
}
