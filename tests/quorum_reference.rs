//! Quorum replication checked against hand-worked cases from the published descriptions:
//! Dynamo's sloppy quorum and hinted handoff (DeCandia et al., "Dynamo: Amazon's Highly
//! Available Key-value Store", SOSP 2007, sections 4.5-4.6), the partial-quorum staleness of
//! Bailis et al. ("Probabilistically Bounded Staleness for Practical Partial Quorums", VLDB
//! 2012, section 3.1), and Gifford's rule that write quorums must overlap ("Weighted Voting for
//! Replicated Data", SOSP 1979).

use sysdeck::sim::quorum::{
    Client::{A, B},
    Config, NodeRef, Outcome, Preset, Step, miss_probability, run, why,
};

const R1: NodeRef = NodeRef::Replica(0);
const R2: NodeRef = NodeRef::Replica(1);
const R3: NodeRef = NodeRef::Replica(2);
const R4: NodeRef = NodeRef::Replica(3);

fn outcomes(config: Config, steps: &[Step]) -> Vec<Outcome> {
    let (records, _) = run(config, 1, steps).unwrap();
    records.iter().map(|r| r.outcome).collect()
}

/// Bailis et al. 2012, section 3.1: with N replicas, a write held by exactly W of them and a
/// read of R chosen uniformly, the read misses the write with probability C(N-W, R) / C(N, R).
/// Worked by hand: N=3, R=1, W=1: C(2,1)/C(3,1) = 2/3. N=5, R=2, W=2: C(3,2)/C(5,2) = 3/10.
/// N=3, R=2, W=1: C(2,2)/C(3,2) = 1/3. N=5, R=1, W=1: 4/5. R + W > N: the sets always meet.
#[test]
fn pbs_miss_probabilities_worked_by_hand() {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    assert!(close(miss_probability(3, 1, 1), 2.0 / 3.0));
    assert!(close(miss_probability(5, 2, 2), 3.0 / 10.0));
    assert!(close(miss_probability(3, 2, 1), 1.0 / 3.0));
    assert!(close(miss_probability(5, 1, 1), 4.0 / 5.0));
    assert_eq!(miss_probability(3, 2, 2), 0.0);
    assert_eq!(miss_probability(1, 1, 1), 0.0);
}

/// A strict quorum N=3, R=2, W=2 with read repair and no propagation, traced by hand: with
/// replica-3 down the write can only go to replica-1 and replica-2; a read from replica-2 and
/// replica-3 returns v1 and repairs replica-3; with two replicas down nothing succeeds.
#[test]
fn a_strict_quorum_traced_by_hand() {
    let config = Config {
        read_repair: true,
        lag: None,
        ..Config::new(3, 2, 2).unwrap()
    };
    let steps = [
        Step::Crash(R3),
        Step::Write(A),
        Step::Recover(R3),
        Step::Crash(R1),
        Step::Read(B),
        Step::Crash(R2),
        Step::Read(A),
        Step::Write(B),
        Step::Recover(R1),
        Step::Recover(R2),
        Step::Read(A),
    ];
    let (records, cluster) = run(config, 1, &steps).unwrap();
    use Outcome::*;
    let got: Vec<Outcome> = records.iter().map(|r| r.outcome).collect();
    assert_eq!(
        got,
        [
            Event,
            Acked,
            Event,
            Event,
            Fresh,
            Event,
            ReadFailed,
            WriteFailed,
            Event,
            Event,
            Fresh
        ]
    );
    assert_eq!(records[1].quorum, [(0, 1), (1, 1)]);
    assert_eq!(records[4].quorum, [(1, 1), (2, 0)]);
    assert_eq!(records[4].repaired, [2]);
    assert_eq!(
        why(&records[4], &config),
        "fresh: R=2 read replica-2 (v1), replica-3 (v0); v1 is the latest acked; \
         read repair sends v1 to replica-3"
    );
    assert_eq!(
        why(&records[7], &config),
        "failed: W=2 but client B reaches 1 (replica-3)"
    );
    let versions: Vec<u64> = cluster.nodes().iter().map(|n| n.version).collect();
    assert_eq!(versions, [1, 1, 1, 0, 0]);
}

/// Dynamo, section 4.6: when a home replica is unreachable, the write goes to the next node on
/// the preference list with a hint naming the replica it was meant for, and that node hands it
/// back once the replica is reachable. So R + W > N no longer guarantees a fresh read: during
/// a partition, A's write lands on replica-1 and the spares, and B's read of replica-2 and
/// replica-3 cannot see it. With a strict quorum the same write fails instead.
#[test]
fn a_sloppy_quorum_reads_stale_across_a_partition_and_hands_off_after() {
    let steps = [
        Step::Partition,
        Step::Write(A),
        Step::Read(B),
        Step::Heal,
        Step::Read(B),
    ];
    let sloppy = Config {
        sloppy: true,
        lag: Some(0),
        ..Config::new(3, 2, 2).unwrap()
    };
    assert!(sloppy.reads_overlap_writes());
    let (records, cluster) = run(sloppy, 1, &steps).unwrap();
    assert_eq!(records[1].outcome, Outcome::Acked);
    assert_eq!(records[1].reachable, [0, 3, 4]);
    assert_eq!(records[1].hinted, [(3, 1), (4, 2)]);
    assert_eq!(records[2].outcome, Outcome::Stale);
    assert_eq!(records[2].quorum, [(1, 0), (2, 0)]);
    assert_eq!(records[3].handed_off, [(3, 1, 1), (4, 2, 1)]);
    assert_eq!(records[4].outcome, Outcome::Fresh);
    assert!(cluster.nodes().iter().all(|n| n.hints.is_empty()));

    let strict = Config {
        sloppy: false,
        ..sloppy
    };
    assert_eq!(
        outcomes(strict, &steps),
        [
            Outcome::Event,
            Outcome::WriteFailed,
            Outcome::Fresh,
            Outcome::Event,
            Outcome::Fresh
        ]
    );
}

/// Gifford 1979: write quorums must overlap (2W > N) or two writes can be accepted by disjoint
/// sets. N=4, W=2: with replica-3 and replica-4 down one write lands on replica-1 and -2; with
/// those down the next lands on replica-3 and -4. Neither set saw the other write.
#[test]
fn half_sized_write_quorums_can_be_disjoint() {
    let config = Config {
        lag: None,
        ..Config::new(4, 3, 2).unwrap()
    };
    assert!(!config.writes_overlap());
    let steps = [
        Step::Crash(R3),
        Step::Crash(R4),
        Step::Write(A),
        Step::Recover(R3),
        Step::Recover(R4),
        Step::Crash(R1),
        Step::Crash(R2),
        Step::Write(B),
    ];
    let (records, _) = run(config, 1, &steps).unwrap();
    assert_eq!(records[2].quorum, [(0, 1), (1, 1)]);
    assert_eq!(records[7].quorum, [(2, 2), (3, 2)]);
}

/// The lost-write preset: everyone holds v1; with two replicas down, v2 is acknowledged by
/// replica-1 alone (W=1); replacing replica-1's disk loses it, and the next read returns v1,
/// older than the latest acknowledged write.
#[test]
fn the_lost_write_preset_loses_v2() {
    let preset = Preset::LostWrite;
    let (records, cluster) = run(preset.config(), 1, &preset.steps()).unwrap();
    assert_eq!(records[6].outcome, Outcome::Acked);
    assert_eq!(records[6].quorum, [(0, 2)]);
    assert_eq!(records[8].lost, [2]);
    assert_eq!(records[11].outcome, Outcome::Stale);
    assert_eq!(records[11].version, Some(1));
    assert_eq!(cluster.lost(), [2]);
    assert!(why(&records[11], &preset.config()).contains("v2 was lost, no node holds it"));
}

/// Each preset shows what its name promises.
#[test]
fn presets_show_their_lesson() {
    let count = |preset: Preset, outcome: Outcome| {
        outcomes(preset.config(), &preset.steps())
            .into_iter()
            .filter(|&o| o == outcome)
            .count()
    };
    assert_eq!(count(Preset::Strict, Outcome::Stale), 0);
    assert_eq!(count(Preset::Strict, Outcome::WriteFailed), 0);
    assert!(count(Preset::FastStale, Outcome::Stale) > 0);
    assert!(count(Preset::Partition, Outcome::WriteFailed) > 0);
    assert_eq!(count(Preset::Partition, Outcome::Stale), 0);
    assert!(count(Preset::Sloppy, Outcome::Stale) > 0);
    assert_eq!(count(Preset::Sloppy, Outcome::WriteFailed), 0);
}
