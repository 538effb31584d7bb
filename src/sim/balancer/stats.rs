//! What a balancer run measures: latency percentiles, errors, and each server's requests, peak
//! queue, busy time and how long it spent at each queue length.

use serde::Serialize;

use crate::sim::time::Nanos;

/// Queue lengths counted separately in [`ServerStats::occupancy`]; longer ones share the last.
pub const LEVELS: usize = 64;

/// Latency of the requests that succeeded, by the nearest-rank percentile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Latency {
    pub count: u64,
    pub mean_ns: f64,
    pub p50_ns: Nanos,
    pub p90_ns: Nanos,
    pub p99_ns: Nanos,
    pub p999_ns: Nanos,
    pub max_ns: Nanos,
}

impl Latency {
    /// The summary of `latencies` (reordered in place); all zero when there are none.
    pub fn of(latencies: &mut [Nanos]) -> Latency {
        if latencies.is_empty() {
            return Latency::default();
        }
        latencies.sort_unstable();
        let total: u128 = latencies.iter().map(|&l| u128::from(l)).sum();
        Latency {
            count: latencies.len() as u64,
            mean_ns: total as f64 / latencies.len() as f64,
            p50_ns: nearest_rank(latencies, 50.0),
            p90_ns: nearest_rank(latencies, 90.0),
            p99_ns: nearest_rank(latencies, 99.0),
            p999_ns: nearest_rank(latencies, 99.9),
            max_ns: latencies[latencies.len() - 1],
        }
    }
}

/// The nearest-rank percentile of sorted, non-empty `values`: the smallest value with at least
/// `p` percent of the values at or below it, the value at rank ceil(p/100 * n).
pub fn nearest_rank(sorted: &[Nanos], p: f64) -> Nanos {
    let n = sorted.len();
    // In thousandths of a percent, so 99.9 is exact.
    let milli = (p * 1000.0).round() as u128;
    let rank = (milli * n as u128).div_ceil(100_000).max(1) as usize;
    sorted[rank.min(n) - 1]
}

/// One server over a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerStats {
    /// Requests sent to it, failed ones included.
    pub requests: u64,
    pub errors: u64,
    /// The most requests it had outstanding at once (queued, in service or hanging).
    pub peak: u32,
    /// Time spent serving within the arrival window.
    #[serde(rename = "busy_ns")]
    pub busy: Nanos,
    /// Time spent with 0, 1, 2, ... requests outstanding within the arrival window; the last
    /// entry counts [`LEVELS`] - 1 or more.
    #[serde(skip)]
    pub occupancy: Vec<Nanos>,
}

impl ServerStats {
    pub fn new() -> ServerStats {
        ServerStats {
            requests: 0,
            errors: 0,
            peak: 0,
            busy: 0,
            occupancy: vec![0; LEVELS],
        }
    }

    /// Counts `span` of time at `level` outstanding requests.
    pub(super) fn dwell(&mut self, level: u32, span: Nanos) {
        let index = (level as usize).min(LEVELS - 1);
        self.occupancy[index] += span;
    }
}

impl Default for ServerStats {
    fn default() -> Self {
        ServerStats::new()
    }
}

/// The time-average share of `servers` with at least `i` requests outstanding, for i = 0, 1,
/// ..., `LEVELS` - 1: the quantity the queueing laws predict.
pub fn at_least(servers: &[ServerStats]) -> Vec<f64> {
    let mut time = vec![0u128; LEVELS];
    for server in servers {
        for (level, &span) in server.occupancy.iter().enumerate() {
            time[level] += u128::from(span);
        }
    }
    let total: u128 = time.iter().sum();
    if total == 0 {
        return vec![0.0; LEVELS];
    }
    let mut tail = 0u128;
    let mut shares: Vec<f64> = time
        .iter()
        .rev()
        .map(|&t| {
            tail += t;
            tail as f64 / total as f64
        })
        .collect();
    shares.reverse();
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_matches_its_definition() {
        // The nearest-rank method: of n = 10 values, the 90th percentile is rank ceil(9) = 9.
        let values: Vec<Nanos> = (1..=10).collect();
        assert_eq!(nearest_rank(&values, 90.0), 9);
        assert_eq!(nearest_rank(&values, 50.0), 5);
        assert_eq!(nearest_rank(&values, 99.9), 10);
        assert_eq!(nearest_rank(&values, 0.0), 1);
        let thousand: Vec<Nanos> = (1..=1000).collect();
        assert_eq!(nearest_rank(&thousand, 99.9), 999);
        assert_eq!(nearest_rank(&thousand, 99.0), 990);
        let mut shuffled = vec![5, 1, 4, 2, 3];
        let summary = Latency::of(&mut shuffled);
        assert_eq!((summary.p50_ns, summary.max_ns, summary.count), (3, 5, 5));
        assert_eq!(summary.mean_ns, 3.0);
        assert_eq!(Latency::of(&mut []), Latency::default());
    }

    #[test]
    fn shares_count_time_at_or_above_each_level() {
        let mut a = ServerStats::new();
        a.dwell(0, 1);
        a.dwell(2, 3);
        let mut b = ServerStats::new();
        b.dwell(1, 4);
        b.dwell(500, 2);
        let shares = at_least(&[a, b]);
        assert_eq!(shares[0], 1.0);
        assert_eq!(shares[1], 0.9);
        assert_eq!(shares[2], 0.5);
        assert_eq!(shares[3], 0.2);
        assert_eq!(shares[LEVELS - 1], 0.2);
    }
}
