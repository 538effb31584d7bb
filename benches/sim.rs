//! Simulation speed: ring lookups (goal: under 100 ns a key at 100 nodes x 1000 vnodes),
//! placement statistics over a million keys, and limiter decisions (goal: over 20 million a
//! second for the token bucket).

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use sysdeck::sim::hash_ring::{
    Algo as PlacementAlgo, Balance, Config, Placement, Ring, assign, build, hash_keys, node_names,
};
use sysdeck::sim::limiter::{Algo, AnyLimiter, Decision, Limiter, Quota, TokenBucket};
use sysdeck::sim::time::{MICROSECOND, Nanos, SECOND};

fn ring_lookup(c: &mut Criterion) {
    let ring = Ring::new(node_names(100), 1000, 1).unwrap();
    let keys = hash_keys(10_000, 2);
    let mut group = c.benchmark_group("ring lookup, 100 nodes x 1000 vnodes");
    group.throughput(Throughput::Elements(keys.len() as u64));
    group.bench_function("node_for", |b| {
        b.iter(|| {
            keys.iter()
                .map(|&key| ring.node_for(black_box(key)).0)
                .fold(0u32, u32::wrapping_add)
        })
    });
    group.finish();
}

fn placement_stats(c: &mut Criterion) {
    let keys = hash_keys(1_000_000, 3);
    let mut group = c.benchmark_group("assign + balance, 1M keys, 100 nodes");
    group.sample_size(10);
    group.throughput(Throughput::Elements(keys.len() as u64));
    let config = Config {
        vnodes: 1000,
        seed: 1,
        ..Config::default()
    };
    for algo in [
        PlacementAlgo::Ring,
        PlacementAlgo::Jump,
        PlacementAlgo::Maglev,
        PlacementAlgo::Bounded,
    ] {
        let placement = build(algo, node_names(100), &config).unwrap();
        group.bench_function(algo.name(), |b| {
            b.iter(|| Balance::of(&assign(placement.as_ref(), black_box(&keys)).1))
        });
    }
    group.finish();
}

fn limiter_decisions(c: &mut Criterion) {
    // A request every 50us against 10,000 a second: about half are rejected.
    let arrivals: Vec<Nanos> = (0..1_000_000).map(|i| i * 50 * MICROSECOND).collect();
    let quota = Quota::new(10_000, SECOND).unwrap();
    let mut group = c.benchmark_group("limiter decisions, 1M requests");
    group.throughput(Throughput::Elements(arrivals.len() as u64));
    let bucket = TokenBucket::new(quota);
    group.bench_function("token-bucket step", |b| {
        b.iter(|| {
            let mut state = bucket.initial_state();
            let mut admitted = 0u32;
            for &now in &arrivals {
                let (decision, next) = bucket.step(state, black_box(now));
                state = next;
                admitted += u32::from(decision == Decision::Admitted);
            }
            admitted
        })
    });
    for algo in Algo::ALL {
        group.bench_function(format!("{} via AnyLimiter", algo.name()), |b| {
            b.iter_batched_ref(
                || AnyLimiter::new(algo, quota),
                |limiter| {
                    arrivals
                        .iter()
                        .filter(|&&now| limiter.offer(black_box(now)) != Decision::Rejected)
                        .count()
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, ring_lookup, placement_stats, limiter_decisions);
criterion_main!(benches);
