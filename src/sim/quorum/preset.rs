//! The scenarios the lab opens with: a configuration and a timeline that shows one lesson.

use super::schedule::generate;
use super::{Client, Config, NodeRef, Step};

/// Operations in a preset's timeline, besides its events.
const OPERATIONS: usize = 36;
/// The seed of the preset timelines' operations.
const SEED: u64 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Strict,
    FastStale,
    Partition,
    Sloppy,
    LostWrite,
}

impl Preset {
    pub const ALL: [Preset; 5] = [
        Preset::Strict,
        Preset::FastStale,
        Preset::Partition,
        Preset::Sloppy,
        Preset::LostWrite,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Preset::Strict => "strict quorum",
            Preset::FastStale => "fast but stale",
            Preset::Partition => "partition",
            Preset::Sloppy => "sloppy quorum",
            Preset::LostWrite => "lost write",
        }
    }

    /// The lesson, in a line.
    pub fn lesson(self) -> &'static str {
        match self {
            Preset::Strict => {
                "R + W > N: every read meets the last write, even with a replica down"
            }
            Preset::FastStale => "R + W <= N: one reply is enough, and it may be an old one",
            Preset::Partition => "A is cut off with a minority: its operations fail, B's go on",
            Preset::Sloppy => "spares stand in for A: its writes succeed, and B reads stale",
            Preset::LostWrite => "W=1 and the only disk holding a write is replaced",
        }
    }

    pub fn config(self) -> Config {
        let (reads, writes) = match self {
            Preset::FastStale | Preset::LostWrite => (1, 1),
            _ => (2, 2),
        };
        Config {
            sloppy: self == Preset::Sloppy,
            lag: Some(match self {
                Preset::FastStale => 3,
                _ => 2,
            }),
            ..Config::new(3, reads, writes).expect("3 replicas, quorums of 1 or 2")
        }
    }

    pub fn steps(self) -> Vec<Step> {
        let config = self.config();
        let mut steps = generate(&config, OPERATIONS, 0.5, 0.0, SEED);
        let replica = |i| NodeRef::Replica(i);
        let events: Vec<(usize, Step)> = match self {
            Preset::Strict => vec![
                (8, Step::Crash(replica(2))),
                (20, Step::Recover(replica(2))),
            ],
            Preset::FastStale => Vec::new(),
            Preset::Partition | Preset::Sloppy => vec![(8, Step::Partition), (24, Step::Heal)],
            Preset::LostWrite => {
                // Everyone holds v1; then a write can reach replica-1 alone, which is wiped.
                let head = [
                    Step::Write(Client::A),
                    Step::Read(Client::B),
                    Step::Read(Client::A),
                    Step::Read(Client::B),
                    Step::Crash(replica(1)),
                    Step::Crash(replica(2)),
                    Step::Write(Client::A),
                    Step::Read(Client::A),
                    Step::Wipe(replica(0)),
                    Step::Recover(replica(1)),
                    Step::Recover(replica(2)),
                    Step::Read(Client::B),
                ];
                steps.splice(0..0, head);
                Vec::new()
            }
        };
        for (at, step) in events.into_iter().rev() {
            steps.insert(at, step);
        }
        steps
    }
}
