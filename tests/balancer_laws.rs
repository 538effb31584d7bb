//! Analytic laws of load balancing, checked on long seeded runs and with proptest.

use proptest::prelude::*;
use sysdeck::sim::balancer::{
    Algo, Arrivals, Config, Fleet, Hashing, Picker, Run, Service, Shape, at_least,
    mm1_mean_response, mm1_more_than, two_choices_at_least, two_choices_mean_response,
};
use sysdeck::sim::time::MILLISECOND;

/// Poisson arrivals and exponential service of mean 10ms on `servers` identical servers.
fn textbook(servers: usize, rho: f64, requests: usize, seed: u64) -> Config {
    Config {
        shape: Shape {
            requests,
            utilisation: rho,
            servers,
            mean_service: 10 * MILLISECOND,
            arrivals: Arrivals::Poisson,
            service: Service::Exponential,
            keys: 10_000,
            seed,
        },
        fleet: Fleet::healthy(servers),
        hashing: Hashing {
            vnodes: 100,
            epsilon: 0.25,
            seed,
        },
    }
}

fn run(config: Config, algos: &[Algo]) -> Run {
    let mut run = Run::new(config, algos).expect("a valid configuration");
    run.run_to_end();
    run
}

/// Random assignment of a Poisson stream makes each of N servers an M/M/1 queue at rho
/// (Harchol-Balter, "Performance Modeling and Design of Computer Systems", 2013, ch. 13): mean
/// time in system 1/(mu - lambda/N) and P(more than k in system) = rho^(k+1).
#[test]
fn random_assignment_makes_each_server_an_mm1_queue() {
    for rho in [0.5, 0.8] {
        let run = run(textbook(8, rho, 400_000, 7), &[Algo::Random]);
        let lane = &run.lanes[0];
        let expected = mm1_mean_response(10.0, rho).unwrap();
        let measured = lane.latency().mean_ns / MILLISECOND as f64;
        println!("rho {rho}: mean {measured:.3}ms, expected {expected:.3}ms");
        assert!(
            (measured / expected - 1.0).abs() < 0.05,
            "rho {rho}: mean {measured}ms, expected {expected}ms"
        );
        let shares = at_least(&lane.stats);
        for k in 0..4u32 {
            let (measured, expected) = (shares[k as usize + 1], mm1_more_than(rho, k));
            println!("  P(N > {k}) {measured:.4} expected {expected:.4}");
            assert!(
                (measured - expected).abs() < 0.02,
                "rho {rho}: P(N > {k}) = {measured}, expected {expected}"
            );
        }
    }
}

/// The supermarket model (Mitzenmacher, "The Power of Two Choices in Randomized Load
/// Balancing", IEEE TPDS 12(10), 2001, Theorem 3.6 and Table 1): with two choices, the share of
/// servers holding at least i requests tends to rho^(2^i - 1) as the fleet grows; at rho = 0.9
/// that is 0.9, 0.729 and 0.478 for i = 1, 2, 3, and the mean time in system is
/// sum_{i>=1} rho^(2^i - 2) = 2.614 service times.
#[test]
fn two_choices_follow_the_supermarket_model() {
    let run = run(textbook(200, 0.9, 1_000_000, 11), &[Algo::TwoChoices]);
    let lane = &run.lanes[0];
    let shares = at_least(&lane.stats);
    for i in 1..=3u32 {
        let (measured, expected) = (shares[i as usize], two_choices_at_least(0.9, i));
        println!("s_{i} {measured:.4} expected {expected:.4}");
        assert!(
            (measured - expected).abs() < 0.02,
            "s_{i} = {measured}, expected {expected}"
        );
    }
    let mean = lane.latency().mean_ns / MILLISECOND as f64;
    let expected = two_choices_mean_response(10.0, 0.9).unwrap();
    println!("mean {mean:.3} expected {expected:.3}");
    assert!((mean / expected - 1.0).abs() < 0.05, "{mean} vs {expected}");
}

/// Looking at load pays most when the fleet is busy: at 90% utilisation, least connections
/// and two choices cut random assignment's 99th-percentile latency.
#[test]
fn load_aware_algorithms_beat_random_on_the_tail_at_high_load() {
    let algos = [
        Algo::Random,
        Algo::RoundRobin,
        Algo::LeastConnections,
        Algo::TwoChoices,
    ];
    let run = run(textbook(8, 0.9, 200_000, 3), &algos);
    let p99: Vec<u64> = run.lanes.iter().map(|l| l.latency().p99_ns).collect();
    println!("p99 {p99:?}");
    assert!(p99[2] < p99[0] && p99[3] < p99[0], "{p99:?}");
    assert!(
        p99[2] * 2 < p99[0],
        "least connections halves the tail: {p99:?}"
    );
}

/// Round robin on a fleet where no server leaves rotation deals requests in turn, so any two
/// servers' counts differ by at most one, whatever the servers' speeds.
#[test]
fn round_robin_counts_differ_by_at_most_one() {
    for (servers, requests) in [(8, 10_001), (7, 999), (1, 5), (13, 12)] {
        let mut config = textbook(servers, 0.7, requests, 1);
        config.fleet.slow = servers / 2;
        let run = run(config, &[Algo::RoundRobin]);
        let counts: Vec<u64> = run.lanes[0].stats.iter().map(|s| s.requests).collect();
        let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
        assert!(max - min <= 1, "{counts:?}");
        assert_eq!(counts.iter().sum::<u64>(), requests as u64);
    }
}

proptest! {
    /// Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, "Consistent
    /// Hashing with Bounded Loads", SODA 2018): with m requests outstanding on n servers, the
    /// new one included, no server is given more than ceil((1+epsilon) * m / n).
    #[test]
    fn bounded_loads_never_exceed_the_cap(
        loads in prop::collection::vec(0u32..40, 1..12),
        key in any::<u64>(),
        epsilon in 0.05f64..2.0,
    ) {
        let hashing = Hashing { vnodes: 20, epsilon, seed: 5 };
        let mut picker = Picker::new(Algo::Bounded, hashing, 5);
        let n = loads.len();
        let candidates: Vec<usize> = (0..n).collect();
        let m: u64 = loads.iter().map(|&l| u64::from(l)).sum::<u64>() + 1;
        let cap = ((1.0 + epsilon) * m as f64 / n as f64).ceil() as u64;
        // Only when a server under the cap exists can the rule be kept; it always does, since
        // the caps add up to at least m.
        let chosen = picker.pick(key, &loads, &candidates);
        prop_assert!(u64::from(loads[chosen]) < cap, "{loads:?} -> {chosen}, cap {cap}");
    }

    /// Every request is answered once: successes plus errors is the workload, and each server's
    /// requests add up to it too; latency never falls below the shortest service.
    #[test]
    fn every_request_is_answered_once(
        servers in 1usize..10,
        rho in 0.1f64..1.2,
        failing in 0usize..3,
        algo in prop::sample::select(Algo::ALL.to_vec()),
    ) {
        let mut config = textbook(servers, rho, 3_000, 9);
        config.fleet.failing = failing.min(servers);
        let run = run(config, &[algo]);
        let lane = &run.lanes[0];
        prop_assert!(lane.finished());
        prop_assert_eq!(lane.completed() + lane.errors, 3_000);
        prop_assert_eq!(lane.stats.iter().map(|s| s.requests).sum::<u64>(), 3_000);
        prop_assert!(lane.servers.iter().all(|s| s.outstanding == 0));
    }
}
