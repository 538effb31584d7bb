//! Analytic laws of quorum replication, checked on random timelines with proptest: the quorum
//! intersection properties of Gifford ("Weighted Voting for Replicated Data", SOSP 1979) as
//! Dynamo uses them (DeCandia et al., SOSP 2007, section 4.5), the availability rule (an
//! operation needs W or R reachable nodes), and the staleness of partial quorums measured
//! against Bailis et al. ("Probabilistically Bounded Staleness for Practical Partial
//! Quorums", VLDB 2012).

use proptest::prelude::*;
use sysdeck::sim::quorum::{
    Client, Cluster, Config, Outcome, Step, measure_misses, miss_probability,
};

/// N from 1 to 7, any R and W, up to three spares, any lag, both switches as asked.
fn configs(sloppy: bool) -> impl Strategy<Value = Config> {
    (
        1usize..=7,
        0usize..=3,
        prop::option::of(0u32..4),
        any::<bool>(),
    )
        .prop_flat_map(move |(n, spares, lag, read_repair)| {
            (1..=n, 1..=n).prop_map(move |(reads, writes)| Config {
                replicas: n,
                reads,
                writes,
                spares,
                sloppy,
                read_repair,
                lag,
            })
        })
}

/// Random timelines for `config`: operations by either client, crashes and recoveries of any
/// node, partitions and heals; wiped disks only when `wipes`.
fn timelines(config: Config, wipes: bool) -> impl Strategy<Value = Vec<Step>> {
    let node = (0..config.nodes()).prop_map(move |i| config.node(i));
    let client = prop_oneof![Just(Client::A), Just(Client::B)];
    let kinds = if wipes { 8u8 } else { 7 };
    prop::collection::vec((0..kinds, client, node), 1..120).prop_map(|picks| {
        picks
            .into_iter()
            .map(|(kind, client, node)| match kind {
                0 | 1 => Step::Write(client),
                2 | 3 => Step::Read(client),
                4 => Step::Crash(node),
                5 => Step::Recover(node),
                6 => match client {
                    Client::A => Step::Partition,
                    Client::B => Step::Heal,
                },
                _ => Step::Wipe(node),
            })
            .collect()
    })
}

fn scenario(sloppy: bool, wipes: bool) -> impl Strategy<Value = (Config, Vec<Step>, u64)> {
    configs(sloppy)
        .prop_flat_map(move |config| (Just(config), timelines(config, wipes), any::<u64>()))
}

/// Whom each client reaches, worked out from the timeline alone, independently of the cluster:
/// a node is reachable when it is up and, during a partition, on the client's side (the first
/// ⌊(N-1)/2⌋ replicas and the spares with A).
struct Network {
    down: Vec<bool>,
    partitioned: bool,
    replicas: usize,
}

impl Network {
    fn new(config: &Config) -> Network {
        Network {
            down: vec![false; config.nodes()],
            partitioned: false,
            replicas: config.replicas,
        }
    }

    fn follow(&mut self, config: &Config, step: Step) {
        match step {
            Step::Crash(node) => self.down[config.index(node).unwrap()] = true,
            Step::Recover(node) => self.down[config.index(node).unwrap()] = false,
            Step::Partition => self.partitioned = true,
            Step::Heal => self.partitioned = false,
            _ => {}
        }
    }

    fn reaches(&self, client: Client, i: usize) -> bool {
        let with_a = i < (self.replicas - 1) / 2 || i >= self.replicas;
        let side = if with_a { Client::A } else { Client::B };
        !self.down[i] && (!self.partitioned || side == client)
    }

    /// Nodes an operation can count: reachable replicas, plus (sloppy) reachable spares, one
    /// per unreachable replica.
    fn usable(&self, client: Client, sloppy: bool) -> usize {
        let homes = (0..self.replicas)
            .filter(|&i| self.reaches(client, i))
            .count();
        let spares = (self.replicas..self.down.len())
            .filter(|&i| self.reaches(client, i))
            .count();
        match sloppy {
            true => homes + spares.min(self.replicas - homes),
            false => homes,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Strict quorums with R + W > N: any R replicas share one with the W that acknowledged the
    /// latest write, and a replica's version never goes back without a wiped disk, so every
    /// read that succeeds returns the latest acknowledged write.
    #[test]
    fn overlapping_strict_quorums_read_the_latest_write((config, steps, seed) in scenario(false, false)) {
        prop_assume!(config.reads_overlap_writes());
        let mut cluster = Cluster::new(config, seed).unwrap();
        for step in steps {
            let latest = cluster.latest();
            let record = cluster.apply(step);
            if let Step::Read(_) = step {
                prop_assert_ne!(record.outcome, Outcome::Stale, "{:?}", record);
                if record.outcome == Outcome::Fresh {
                    prop_assert_eq!(record.version, Some(latest));
                }
            }
        }
    }

    /// W > N/2: two write sets of W replicas out of N must meet, so no two acknowledged writes
    /// were stored by disjoint sets.
    #[test]
    fn majority_writes_never_use_disjoint_sets((config, steps, seed) in scenario(false, true)) {
        prop_assume!(config.writes_overlap());
        let mut cluster = Cluster::new(config, seed).unwrap();
        let mut sets: Vec<Vec<usize>> = Vec::new();
        for step in steps {
            let record = cluster.apply(step);
            if record.outcome == Outcome::Acked {
                let set: Vec<usize> = record.quorum.iter().map(|&(i, _)| i).collect();
                for earlier in &sets {
                    prop_assert!(earlier.iter().any(|i| set.contains(i)), "{earlier:?} and {set:?}");
                }
                sets.push(set);
            }
        }
    }

    /// A write succeeds exactly when W nodes are reachable, a read exactly when R are (the
    /// reachable set worked out here from the timeline, not by the cluster); a write is stored
    /// by exactly W of them and a read waits for exactly R replies.
    #[test]
    fn operations_succeed_iff_enough_nodes_are_reachable(
        (config, steps, seed) in (any::<bool>()).prop_flat_map(|sloppy| scenario(sloppy, true))
    ) {
        let mut cluster = Cluster::new(config, seed).unwrap();
        let mut network = Network::new(&config);
        for step in steps {
            let record = cluster.apply(step);
            match step {
                Step::Write(client) => {
                    let usable = network.usable(client, config.sloppy);
                    prop_assert_eq!(record.reachable.len(), usable);
                    prop_assert_eq!(record.outcome == Outcome::Acked, usable >= config.writes);
                    if record.outcome == Outcome::Acked {
                        prop_assert_eq!(record.quorum.len(), config.writes);
                    }
                }
                Step::Read(client) => {
                    let usable = network.usable(client, config.sloppy);
                    prop_assert_eq!(record.reachable.len(), usable);
                    prop_assert_eq!(record.outcome != Outcome::ReadFailed, usable >= config.reads);
                    if record.outcome != Outcome::ReadFailed {
                        prop_assert_eq!(record.quorum.len(), config.reads);
                    }
                }
                _ => network.follow(&config, step),
            }
        }
    }

    /// Without a wiped disk nothing acknowledged is lost: W nodes stored it, and a copy is only
    /// ever replaced by a newer version or moved (a hint handed back).
    #[test]
    fn nothing_is_lost_without_a_wiped_disk(
        (config, steps, seed) in (any::<bool>()).prop_flat_map(|sloppy| scenario(sloppy, false))
    ) {
        let mut cluster = Cluster::new(config, seed).unwrap();
        for step in steps {
            prop_assert!(cluster.apply(step).lost.is_empty());
        }
        prop_assert!(cluster.lost().is_empty());
    }

    /// Read repair: after a read, every reachable replica it was sent to holds at least the
    /// version it returned.
    #[test]
    fn read_repair_brings_the_replicas_read_up_to_date((config, steps, seed) in scenario(false, true)) {
        let config = Config { read_repair: true, ..config };
        let mut cluster = Cluster::new(config, seed).unwrap();
        for step in steps {
            let record = cluster.apply(step);
            if let (Step::Read(_), Some(version)) = (step, record.version) {
                for &i in &record.reachable {
                    prop_assert!(cluster.nodes()[i].version >= version);
                }
            }
        }
    }

    /// Hinted handoff: once the network is whole and every node is up, no spare still holds a
    /// hinted copy; each went back to its replica.
    #[test]
    fn hints_go_home_once_everyone_can_talk((config, steps, seed) in scenario(true, false)) {
        let mut cluster = Cluster::new(Config { lag: Some(0), ..config }, seed).unwrap();
        for step in steps {
            cluster.apply(step);
        }
        cluster.apply(Step::Heal);
        for i in 0..config.nodes() {
            cluster.apply(Step::Recover(config.node(i)));
        }
        prop_assert!(cluster.nodes().iter().all(|n| n.hints.is_empty()));
    }
}

/// Partial quorums (R + W <= N) read stale right after a write held by exactly W replicas with
/// probability C(N-W, R) / C(N, R) (Bailis et al. 2012, section 3.1); the measured share must
/// lie within four standard deviations of it. Overlapping quorums never do.
#[test]
fn partial_quorums_miss_a_fresh_write_as_often_as_pbs_predicts() {
    const TRIALS: u64 = 20_000;
    for (n, r, w) in [(3, 1, 1), (5, 2, 2), (5, 1, 2), (7, 2, 3), (10, 3, 3)] {
        let config = Config::new(n, r, w).unwrap();
        let p = miss_probability(n, r, w);
        let measured = measure_misses(&config, TRIALS, 11).unwrap() as f64 / TRIALS as f64;
        let sigma = (p * (1.0 - p) / TRIALS as f64).sqrt();
        assert!(
            (measured - p).abs() <= 4.0 * sigma,
            "N={n} R={r} W={w}: measured {measured}, expected {p}"
        );
    }
    for (n, r, w) in [(3, 2, 2), (3, 1, 3), (5, 3, 3)] {
        let config = Config::new(n, r, w).unwrap();
        assert_eq!(miss_probability(n, r, w), 0.0);
        assert_eq!(measure_misses(&config, 2_000, 5).unwrap(), 0);
    }
}

/// Any node named in a timeline exists, so the generated events are always valid.
#[test]
fn generated_faults_name_real_nodes() {
    let config = Config::new(5, 2, 2).unwrap();
    for step in sysdeck::sim::quorum::generate(&config, 2_000, 0.5, 0.2, 9) {
        if let Step::Crash(node) | Step::Recover(node) = step {
            assert!(config.index(node).is_some(), "{node:?}");
        }
    }
}
