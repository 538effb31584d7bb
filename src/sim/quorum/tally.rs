//! Running counts of the outcomes, for reports and the lab's totals.

use serde::Serialize;

use super::{Outcome, Record};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub acked: u64,
    pub write_failed: u64,
    pub fresh: u64,
    pub stale: u64,
    pub read_failed: u64,
    pub events: u64,
    /// Acknowledged writes found lost.
    pub lost: u64,
}

impl Tally {
    pub fn record(&mut self, record: &Record) {
        let count = match record.outcome {
            Outcome::Acked => &mut self.acked,
            Outcome::WriteFailed => &mut self.write_failed,
            Outcome::Fresh => &mut self.fresh,
            Outcome::Stale => &mut self.stale,
            Outcome::ReadFailed => &mut self.read_failed,
            Outcome::Event => &mut self.events,
        };
        *count += 1;
        self.lost += record.lost.len() as u64;
    }

    pub fn writes(&self) -> u64 {
        self.acked + self.write_failed
    }

    pub fn reads(&self) -> u64 {
        self.fresh + self.stale + self.read_failed
    }
}
