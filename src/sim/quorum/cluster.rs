//! The cluster as a step function: each [`Step`] changes the nodes and returns a [`Record`] of
//! what happened, in enough detail to explain it (who was reachable, who answered, with what).
//!
//! Within a step the operation or event comes first; then writes whose lag is up reach the
//! remaining replicas, and spares hand hinted copies back to replicas they can reach again.

use std::collections::{BTreeMap, BTreeSet};

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_pcg::Pcg64;
use serde::Serialize;

use super::{Client, Config, ConfigError, NodeRef, Step, Version};

/// One node's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replica {
    pub up: bool,
    /// The newest version stored as the node's own copy.
    pub version: Version,
    /// On a spare: copies held for unreachable replicas (replica index → version), to hand back.
    pub hints: BTreeMap<usize, Version>,
}

impl Replica {
    /// What the node answers a read with: its own copy or the newest hinted one.
    pub fn readable(&self) -> Version {
        self.hints
            .values()
            .copied()
            .fold(self.version, Version::max)
    }

    fn store(&mut self, version: Version, hint_for: Option<usize>) {
        let slot = match hint_for {
            Some(home) => self.hints.entry(home).or_insert(0),
            None => &mut self.version,
        };
        *slot = (*slot).max(version);
    }
}

/// What an operation or event came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// W nodes stored the write.
    Acked,
    /// Fewer than W nodes were reachable; nothing was stored.
    WriteFailed,
    /// The read returned the latest acknowledged version, or a newer one.
    Fresh,
    /// The read returned an older version than the latest acknowledged write.
    Stale,
    /// Fewer than R nodes were reachable.
    ReadFailed,
    /// A crash, recovery, wipe, partition or heal.
    Event,
}

/// A copy that is still to reach a node: the rest of a write after its lag.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Delivery {
    due: u64,
    from: Client,
    to: usize,
    hint_for: Option<usize>,
    version: Version,
}

/// What one step did. Node numbers are flat indexes (see [`Config::name`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The step's number, from 0.
    pub index: u64,
    pub step: Step,
    pub outcome: Outcome,
    /// The nodes an operation was sent to: those of its preference list it could reach.
    pub reachable: Vec<usize>,
    /// A write's W acknowledgements, or a read's first R replies, each with the version it
    /// stored or answered.
    pub quorum: Vec<(usize, Version)>,
    /// Spares that stood in for replicas: (spare, replica).
    pub hinted: Vec<(usize, usize)>,
    /// A write's other reachable nodes, which store it after the lag (if ever).
    pub later: Vec<usize>,
    /// The version written, or the one a read returned.
    pub version: Option<Version>,
    /// The latest acknowledged version when the step began.
    pub latest: Version,
    /// Nodes holding the latest acknowledged version (or newer) when a read began.
    pub holders: Vec<usize>,
    /// Replicas read repair brought up to the version read.
    pub repaired: Vec<usize>,
    /// Copies that reached their node at the end of the step: (node, version).
    pub delivered: Vec<(usize, Version)>,
    /// Copies that could not reach their node when due, and are dropped: (node, version).
    pub dropped: Vec<(usize, Version)>,
    /// Hinted copies handed back: (spare, replica, version).
    pub handed_off: Vec<(usize, usize, Version)>,
    /// Acknowledged versions that no node holds any more, newly so after this step.
    pub lost: Vec<Version>,
    /// An event naming a node this configuration does not have: it did nothing.
    pub missing: Option<NodeRef>,
}

/// The nodes, the network and the coordinators' counter.
#[derive(Debug, Clone)]
pub struct Cluster {
    config: Config,
    nodes: Vec<Replica>,
    partitioned: bool,
    /// The last version handed out.
    clock: Version,
    /// Every acknowledged version, ascending.
    acked: Vec<Version>,
    /// Acknowledged versions found lost so far.
    lost: BTreeSet<Version>,
    pending: Vec<Delivery>,
    steps: u64,
    rng: Pcg64,
}

impl Cluster {
    /// Every node up and empty; `seed` decides which replicas answer first.
    pub fn new(config: Config, seed: u64) -> Result<Cluster, ConfigError> {
        config.validate()?;
        let empty = Replica {
            up: true,
            version: 0,
            hints: BTreeMap::new(),
        };
        Ok(Cluster {
            nodes: vec![empty; config.nodes()],
            config,
            partitioned: false,
            clock: 0,
            acked: Vec::new(),
            lost: BTreeSet::new(),
            pending: Vec::new(),
            steps: 0,
            rng: Pcg64::seed_from_u64(seed),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn nodes(&self) -> &[Replica] {
        &self.nodes
    }

    pub fn partitioned(&self) -> bool {
        self.partitioned
    }

    /// The latest acknowledged version, 0 before the first.
    pub fn latest(&self) -> Version {
        self.acked.last().copied().unwrap_or(0)
    }

    /// Every acknowledged version, ascending.
    pub fn acked(&self) -> &[Version] {
        &self.acked
    }

    /// Acknowledged versions that at some step no node, hint or copy on its way held, nor
    /// anything newer: the register forgot them.
    pub fn lost(&self) -> Vec<Version> {
        self.lost.iter().copied().collect()
    }

    /// Copies on their way: (node, version, step it is due).
    pub fn in_flight(&self) -> Vec<(usize, Version, u64)> {
        self.pending
            .iter()
            .map(|d| (d.to, d.version, d.due))
            .collect()
    }

    /// Steps taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Whether `client` can reach node `index`: it is up and, during a partition, on its side.
    pub fn reaches(&self, client: Client, index: usize) -> bool {
        self.nodes[index].up && (!self.partitioned || self.config.side(index) == client)
    }

    /// Whether two nodes can talk: both up and, during a partition, on the same side.
    fn connected(&self, a: usize, b: usize) -> bool {
        let side = |i| self.config.side(i);
        self.nodes[a].up && self.nodes[b].up && (!self.partitioned || side(a) == side(b))
    }

    /// The nodes an operation by `client` is sent to, each with the replica it stands in for
    /// when it is a spare. Strict: the reachable replicas. Sloppy: the first N reachable nodes
    /// of the preference list, spares standing in for the unreachable replicas in order.
    fn targets(&self, client: Client) -> Vec<(usize, Option<usize>)> {
        let replicas = self.config.replicas;
        let mut targets: Vec<(usize, Option<usize>)> = (0..replicas)
            .filter(|&i| self.reaches(client, i))
            .map(|i| (i, None))
            .collect();
        if self.config.sloppy {
            let mut missing = (0..replicas).filter(|&i| !self.reaches(client, i));
            let spares = (replicas..self.config.nodes()).filter(|&s| self.reaches(client, s));
            for spare in spares {
                let Some(home) = missing.next() else { break };
                targets.push((spare, Some(home)));
            }
        }
        targets
    }

    /// Applies one step.
    pub fn apply(&mut self, step: Step) -> Record {
        let mut record = Record {
            index: self.steps,
            step,
            outcome: Outcome::Event,
            reachable: Vec::new(),
            quorum: Vec::new(),
            hinted: Vec::new(),
            later: Vec::new(),
            version: None,
            latest: self.latest(),
            holders: Vec::new(),
            repaired: Vec::new(),
            delivered: Vec::new(),
            dropped: Vec::new(),
            handed_off: Vec::new(),
            lost: Vec::new(),
            missing: None,
        };
        match step {
            Step::Write(client) => self.write(client, &mut record),
            Step::Read(client) => self.read(client, &mut record),
            Step::Crash(node) | Step::Recover(node) | Step::Wipe(node) => {
                match self.config.index(node) {
                    Some(i) => match step {
                        Step::Crash(_) => self.nodes[i].up = false,
                        Step::Recover(_) => self.nodes[i].up = true,
                        _ => {
                            self.nodes[i].version = 0;
                            self.nodes[i].hints.clear();
                        }
                    },
                    None => record.missing = Some(node),
                }
            }
            Step::Partition => self.partitioned = true,
            Step::Heal => self.partitioned = false,
        }
        self.deliver(&mut record);
        self.hand_off(&mut record);
        self.mark_lost(&mut record);
        self.steps += 1;
        record
    }

    fn write(&mut self, client: Client, record: &mut Record) {
        let mut targets = self.targets(client);
        record.reachable = targets.iter().map(|&(i, _)| i).collect();
        if targets.len() < self.config.writes {
            record.outcome = Outcome::WriteFailed;
            return;
        }
        self.clock += 1;
        let version = self.clock;
        let (first, rest) = targets.partial_shuffle(&mut self.rng, self.config.writes);
        let mut quorum: Vec<(usize, Option<usize>)> = first.to_vec();
        let mut later: Vec<(usize, Option<usize>)> = rest.to_vec();
        quorum.sort_unstable();
        later.sort_unstable();
        for &(node, hint_for) in &quorum {
            self.nodes[node].store(version, hint_for);
        }
        for &(node, hint_for) in &later {
            if let Some(lag) = self.config.lag {
                self.pending.push(Delivery {
                    due: self.steps + u64::from(lag),
                    from: client,
                    to: node,
                    hint_for,
                    version,
                });
            }
        }
        self.acked.push(version);
        record.outcome = Outcome::Acked;
        record.version = Some(version);
        record.quorum = quorum.iter().map(|&(i, _)| (i, version)).collect();
        record.hinted = quorum
            .iter()
            .chain(&later)
            .filter_map(|&(i, home)| home.map(|h| (i, h)))
            .collect();
        record.hinted.sort_unstable();
        record.later = later.iter().map(|&(i, _)| i).collect();
    }

    fn read(&mut self, client: Client, record: &mut Record) {
        let latest = self.latest();
        record.holders = (0..self.nodes.len())
            .filter(|&i| latest > 0 && self.nodes[i].readable() >= latest)
            .collect();
        let mut targets = self.targets(client);
        record.reachable = targets.iter().map(|&(i, _)| i).collect();
        if targets.len() < self.config.reads {
            record.outcome = Outcome::ReadFailed;
            return;
        }
        let (first, _) = targets.partial_shuffle(&mut self.rng, self.config.reads);
        let mut quorum: Vec<(usize, Version)> = first
            .iter()
            .map(|&(i, _)| (i, self.nodes[i].readable()))
            .collect();
        quorum.sort_unstable();
        let version = quorum.iter().map(|&(_, v)| v).max().unwrap_or(0);
        record.outcome = match version < latest {
            true => Outcome::Stale,
            false => Outcome::Fresh,
        };
        record.version = Some(version);
        record.quorum = quorum;
        if self.config.read_repair {
            for &(node, hint_for) in &targets {
                if hint_for.is_none() && self.nodes[node].version < version {
                    self.nodes[node].version = version;
                    record.repaired.push(node);
                }
            }
            record.repaired.sort_unstable();
        }
    }

    /// Copies whose lag is up reach their node if the writer can still reach it; otherwise
    /// they are dropped (the node has missed the write).
    fn deliver(&mut self, record: &mut Record) {
        let now = self.steps;
        let (due, waiting): (Vec<Delivery>, Vec<Delivery>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|d| d.due <= now);
        self.pending = waiting;
        for d in due {
            match self.reaches(d.from, d.to) {
                true => {
                    self.nodes[d.to].store(d.version, d.hint_for);
                    record.delivered.push((d.to, d.version));
                }
                false => record.dropped.push((d.to, d.version)),
            }
        }
    }

    /// Hinted handoff: a spare that can reach the replica it held a copy for hands it over and
    /// forgets it.
    fn hand_off(&mut self, record: &mut Record) {
        for spare in self.config.replicas..self.nodes.len() {
            let hints: Vec<(usize, Version)> = self.nodes[spare]
                .hints
                .iter()
                .map(|(&h, &v)| (h, v))
                .collect();
            for (home, version) in hints {
                if self.connected(spare, home) {
                    self.nodes[home].store(version, None);
                    self.nodes[spare].hints.remove(&home);
                    record.handed_off.push((spare, home, version));
                }
            }
        }
    }

    /// Finds acknowledged versions that nothing holds any more. Versions only grow, so they
    /// are the acknowledged ones above the newest version held anywhere.
    fn mark_lost(&mut self, record: &mut Record) {
        let held = self
            .nodes
            .iter()
            .map(Replica::readable)
            .chain(self.pending.iter().map(|d| d.version))
            .max()
            .unwrap_or(0);
        for &version in self.acked.iter().rev().take_while(|&&v| v > held) {
            if self.lost.insert(version) {
                record.lost.push(version);
            }
        }
        record.lost.sort_unstable();
    }
}

/// Runs every step from a fresh cluster, returning the records and the cluster at the end.
pub fn run(
    config: Config,
    seed: u64,
    steps: &[Step],
) -> Result<(Vec<Record>, Cluster), ConfigError> {
    let mut cluster = Cluster::new(config, seed)?;
    let records = steps.iter().map(|&s| cluster.apply(s)).collect();
    Ok((records, cluster))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::quorum::NodeRef::Replica as R;

    fn config(n: usize, r: usize, w: usize) -> Config {
        Config::new(n, r, w).unwrap()
    }

    #[test]
    fn a_write_reaches_w_now_and_the_rest_after_the_lag() {
        let mut cluster = Cluster::new(config(3, 1, 1), 1).unwrap();
        let write = cluster.apply(Step::Write(Client::A));
        assert_eq!(write.outcome, Outcome::Acked);
        assert_eq!((write.quorum.len(), write.later.len()), (1, 2));
        let held = |c: &Cluster| c.nodes().iter().filter(|n| n.version == 1).count();
        assert_eq!(held(&cluster), 1);
        cluster.apply(Step::Heal);
        assert_eq!(held(&cluster), 1);
        let third = cluster.apply(Step::Heal);
        assert_eq!(third.delivered.len(), 2);
        assert_eq!(held(&cluster), 3);
    }

    #[test]
    fn a_write_lost_with_the_only_disk_that_held_it() {
        let lone = Config {
            lag: None,
            ..config(3, 1, 1)
        };
        let mut cluster = Cluster::new(lone, 1).unwrap();
        cluster.apply(Step::Crash(R(1)));
        cluster.apply(Step::Crash(R(2)));
        let write = cluster.apply(Step::Write(Client::B));
        assert_eq!(write.quorum, [(0, 1)]);
        let wipe = cluster.apply(Step::Wipe(R(0)));
        assert_eq!(wipe.lost, [1]);
        assert_eq!(cluster.lost(), [1]);
        let missing = cluster.apply(Step::Wipe(R(7)));
        assert_eq!(missing.missing, Some(R(7)));
    }
}
