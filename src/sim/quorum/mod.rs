//! Replication with quorums, after Dynamo (DeCandia et al., "Dynamo: Amazon's Highly Available
//! Key-value Store", SOSP 2007): N replicas hold one register; a write is acknowledged once W of
//! them stored it, a read answers with the newest version among the first R replies. Versions
//! come from one counter, so the newest version is the last write (last writer wins).
//!
//! Two clients, A and B, issue the operations. Crashes, wiped disks and a network partition are
//! steps on the same timeline. With a sloppy quorum, spare nodes stand in for unreachable
//! replicas and hand their hinted copies back later; read repair pushes the newest version a
//! read saw to the replicas that answered with older ones.

mod cluster;
mod explain;
mod pbs;
mod preset;
mod schedule;
mod tally;

pub use cluster::{Cluster, Outcome, Record, Replica, run};
pub use explain::{describe_partition, why};
pub use pbs::{measure_misses, miss_probability};
pub use preset::Preset;
pub use schedule::{Script, ScriptError, generate};
pub use tally::Tally;

use serde::Serialize;
use thiserror::Error;

/// A write's version: the coordinator's counter, 1 for the first write; 0 is "never written".
pub type Version = u64;

/// Most replicas a key may have; enough to show every quorum law, few enough to draw.
pub const MAX_REPLICAS: usize = 20;
/// Most spare nodes behind the replicas.
pub const MAX_SPARES: usize = 10;

/// One of the two clients; each acts as the coordinator of its own operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Client {
    A,
    B,
}

impl Client {
    pub fn name(self) -> &'static str {
        match self {
            Client::A => "client A",
            Client::B => "client B",
        }
    }
}

/// A node by role: the key's `Replica(i)` (its home replicas, the first N of its preference list)
/// or `Spare(i)`, next on the list, used only by a sloppy quorum. Both count from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeRef {
    Replica(usize),
    Spare(usize),
}

impl NodeRef {
    /// `replica-1`, `spare-2`: counted from 1, as screens and scripts spell them.
    pub fn name(self) -> String {
        match self {
            NodeRef::Replica(i) => format!("replica-{}", i + 1),
            NodeRef::Spare(i) => format!("spare-{}", i + 1),
        }
    }
}

/// One step of the timeline: an operation by a client, or something happening to the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "by", rename_all = "kebab-case")]
pub enum Step {
    Write(Client),
    Read(Client),
    /// The node stops answering; its disk keeps what it stored.
    Crash(NodeRef),
    /// A crashed node answers again, with what it held when it crashed.
    Recover(NodeRef),
    /// The node's disk is replaced by an empty one.
    Wipe(NodeRef),
    /// The network splits: client A with the minority of the replicas and the spares, client B
    /// with the majority (see [`Config::side`]).
    Partition,
    /// The network is whole again.
    Heal,
}

impl Step {
    /// The step as scripts spell it: `write a`, `crash replica-2`, `heal`.
    pub fn script(self) -> String {
        let client = |c: Client| match c {
            Client::A => "a",
            Client::B => "b",
        };
        match self {
            Step::Write(c) => format!("write {}", client(c)),
            Step::Read(c) => format!("read {}", client(c)),
            Step::Crash(n) => format!("crash {}", n.name()),
            Step::Recover(n) => format!("recover {}", n.name()),
            Step::Wipe(n) => format!("wipe {}", n.name()),
            Step::Partition => "partition".to_string(),
            Step::Heal => "heal".to_string(),
        }
    }
}

/// Why a configuration cannot run.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error("N must be from 1 to {MAX_REPLICAS} replicas, not {0}")]
    Replicas(usize),
    #[error("R must be from 1 to N = {replicas}, not {reads}")]
    Reads { reads: usize, replicas: usize },
    #[error("W must be from 1 to N = {replicas}, not {writes}")]
    Writes { writes: usize, replicas: usize },
    #[error("at most {MAX_SPARES} spare nodes, not {0}")]
    Spares(usize),
}

/// The quorum settings and the switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Config {
    /// N: the key's home replicas.
    pub replicas: usize,
    /// R: replies a read waits for.
    pub reads: usize,
    /// W: acknowledgements a write waits for.
    pub writes: usize,
    /// Nodes after the replicas on the preference list, for a sloppy quorum's stand-ins.
    pub spares: usize,
    /// Sloppy quorum with hinted handoff: the first N reachable nodes of the preference list
    /// count, spares included, instead of the home replicas alone.
    pub sloppy: bool,
    /// After a read, the replicas that answered with an older version are sent the newest.
    pub read_repair: bool,
    /// Steps after a write before the replicas outside its W acknowledgements store it; `None`
    /// for never, so a write stays on exactly W replicas.
    pub lag: Option<u32>,
}

impl Config {
    /// N, R and W with two spares, a strict quorum, no read repair and a lag of two steps.
    pub fn new(replicas: usize, reads: usize, writes: usize) -> Result<Config, ConfigError> {
        let config = Config {
            replicas,
            reads,
            writes,
            spares: 2,
            sloppy: false,
            read_repair: false,
            lag: Some(2),
        };
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let replicas = self.replicas;
        if !(1..=MAX_REPLICAS).contains(&replicas) {
            return Err(ConfigError::Replicas(replicas));
        }
        if !(1..=replicas).contains(&self.reads) {
            return Err(ConfigError::Reads {
                reads: self.reads,
                replicas,
            });
        }
        if !(1..=replicas).contains(&self.writes) {
            return Err(ConfigError::Writes {
                writes: self.writes,
                replicas,
            });
        }
        if self.spares > MAX_SPARES {
            return Err(ConfigError::Spares(self.spares));
        }
        Ok(())
    }

    /// Every node: the replicas, then the spares.
    pub fn nodes(&self) -> usize {
        self.replicas + self.spares
    }

    /// The flat index of a node, if it exists in this configuration.
    pub fn index(&self, node: NodeRef) -> Option<usize> {
        match node {
            NodeRef::Replica(i) if i < self.replicas => Some(i),
            NodeRef::Spare(i) if i < self.spares => Some(self.replicas + i),
            _ => None,
        }
    }

    /// The node at a flat index.
    pub fn node(&self, index: usize) -> NodeRef {
        match index < self.replicas {
            true => NodeRef::Replica(index),
            false => NodeRef::Spare(index - self.replicas),
        }
    }

    /// The name of the node at a flat index.
    pub fn name(&self, index: usize) -> String {
        self.node(index).name()
    }

    /// Every read set of R replicas meets every write set of W: R + W > N.
    pub fn reads_overlap_writes(&self) -> bool {
        self.reads + self.writes > self.replicas
    }

    /// Every two write sets meet: W > N/2.
    pub fn writes_overlap(&self) -> bool {
        2 * self.writes > self.replicas
    }

    /// Home replicas on client A's side of a partition: a minority, ⌊(N-1)/2⌋ of them.
    pub fn minority(&self) -> usize {
        (self.replicas - 1) / 2
    }

    /// The side of a partition a node is on: the first [`minority`](Config::minority) replicas
    /// and every spare with client A, the rest of the replicas with client B.
    pub fn side(&self, index: usize) -> Client {
        match index < self.minority() || index >= self.replicas {
            true => Client::A,
            false => Client::B,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configurations_are_checked() {
        assert!(Config::new(3, 2, 2).is_ok());
        assert_eq!(Config::new(0, 1, 1), Err(ConfigError::Replicas(0)));
        assert_eq!(
            Config::new(3, 4, 1),
            Err(ConfigError::Reads {
                reads: 4,
                replicas: 3
            })
        );
        assert_eq!(
            Config::new(3, 1, 0),
            Err(ConfigError::Writes {
                writes: 0,
                replicas: 3
            })
        );
        let spares = Config {
            spares: MAX_SPARES + 1,
            ..Config::new(3, 1, 1).unwrap()
        };
        assert_eq!(spares.validate(), Err(ConfigError::Spares(MAX_SPARES + 1)));
    }

    #[test]
    fn nodes_are_numbered_replicas_first() {
        let config = Config::new(3, 2, 2).unwrap();
        assert_eq!(config.index(NodeRef::Spare(1)), Some(4));
        assert_eq!(config.index(NodeRef::Replica(3)), None);
        assert_eq!(config.name(3), "spare-1");
        assert_eq!(config.name(0), "replica-1");
        // N = 3: replica-1 and the spares with A, replica-2 and replica-3 with B.
        let sides: Vec<Client> = (0..5).map(|i| config.side(i)).collect();
        assert_eq!(
            sides,
            [Client::A, Client::B, Client::B, Client::A, Client::A]
        );
    }
}
