//! The quorum lab's timeline, run once from the start whenever a setting changes: every step's
//! record with the cluster and the running counts after it, so stepping back is a lookup.

use crate::sim::quorum::{Cluster, Config, Record, Step, Tally};

/// The seed of which replicas answer first: the same on every run, so settings compare.
const SEED: u64 = 1;

/// One step and the state it left.
pub struct Frame {
    pub record: Record,
    pub cluster: Cluster,
    pub tally: Tally,
}

/// A whole timeline, run.
pub struct Run {
    pub start: Cluster,
    pub frames: Vec<Frame>,
}

impl Run {
    /// Runs `steps` on `config`; a configuration the cluster refuses runs nothing.
    pub fn new(config: Config, steps: &[Step]) -> Run {
        let start = Cluster::new(config, SEED).unwrap_or_else(|_| {
            Cluster::new(Config::new(1, 1, 1).expect("1-1-1 is valid"), SEED)
                .expect("1-1-1 is valid")
        });
        let mut cluster = start.clone();
        let mut tally = Tally::default();
        let frames = steps
            .iter()
            .map(|&step| {
                let record = cluster.apply(step);
                tally.record(&record);
                Frame {
                    record,
                    cluster: cluster.clone(),
                    tally: tally.clone(),
                }
            })
            .collect();
        Run { start, frames }
    }

    /// The cluster after `position` steps.
    pub fn cluster(&self, position: usize) -> &Cluster {
        match position.checked_sub(1).and_then(|i| self.frames.get(i)) {
            Some(frame) => &frame.cluster,
            None => &self.start,
        }
    }

    /// The step that led to `position`, if any.
    pub fn frame(&self, position: usize) -> Option<&Frame> {
        position.checked_sub(1).and_then(|i| self.frames.get(i))
    }
}
