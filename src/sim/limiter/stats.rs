//! What a limiter run is judged by: how much got through, how bursty what got through was, and
//! how long the queue made requests wait.

use serde::Serialize;

use super::Decision;
use crate::sim::time::Nanos;

/// The outcome of offering a sequence of requests to a limiter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tally {
    pub offered: u64,
    /// Let through, at once or after queueing.
    pub admitted: u64,
    /// The admitted requests that waited first.
    pub queued: u64,
    pub rejected: u64,
    /// The window length the next figure is measured over.
    #[serde(rename = "window_ns")]
    pub window: Nanos,
    /// Most requests let through in any interval `[a, a + window)`: fixed window's 2x burst
    /// shows up here.
    pub max_in_window: u64,
    /// Longest wait of an admitted request.
    #[serde(rename = "max_delay_ns")]
    pub max_delay: Nanos,
    /// Average wait over admitted requests, zeros included.
    #[serde(rename = "mean_delay_ns")]
    pub mean_delay: Nanos,
}

impl Tally {
    /// Tallies `decisions`, which answer `arrivals` one for one (arrivals in time order).
    pub fn of(arrivals: &[Nanos], decisions: &[Decision], window: Nanos) -> Tally {
        debug_assert_eq!(arrivals.len(), decisions.len());
        let forwarded: Vec<Nanos> = arrivals
            .iter()
            .zip(decisions)
            .filter_map(|(&arrival, decision)| decision.forwarded_at(arrival))
            .collect();
        let delays = decisions.iter().filter_map(|decision| match decision {
            Decision::Queued { delay } => Some(*delay),
            _ => None,
        });
        let admitted = forwarded.len() as u64;
        let queued = delays.clone().count() as u64;
        let total_delay: u128 = delays.clone().map(u128::from).sum();
        Tally {
            offered: arrivals.len() as u64,
            admitted,
            queued,
            rejected: arrivals.len() as u64 - admitted,
            window,
            max_in_window: max_in_window(&forwarded, window),
            max_delay: delays.max().unwrap_or(0),
            mean_delay: match admitted {
                0 => 0,
                n => (total_delay / u128::from(n)) as Nanos,
            },
        }
    }
}

/// Most of the sorted `times` inside any interval `[a, a + window)`, by two pointers.
pub fn max_in_window(times: &[Nanos], window: Nanos) -> u64 {
    debug_assert!(times.is_sorted(), "times must be in order");
    if window == 0 {
        return 0;
    }
    let mut start = 0;
    let mut best = 0;
    for (end, &time) in times.iter().enumerate() {
        while time - times[start] >= window {
            start += 1;
        }
        best = best.max(end + 1 - start);
    }
    best as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_densest_window() {
        assert_eq!(max_in_window(&[], 10), 0);
        assert_eq!(max_in_window(&[1, 2], 0), 0);
        assert_eq!(max_in_window(&[5], 10), 1);
        assert_eq!(max_in_window(&[0, 9, 10, 11, 19, 30], 10), 3);
        assert_eq!(max_in_window(&[0, 0, 0, 10], 10), 3);
        assert_eq!(max_in_window(&[0, 0, 0, 10], 11), 4);
    }

    #[test]
    fn tallies_decisions_and_delays() {
        let arrivals = [0, 0, 0, 5];
        let decisions = [
            Decision::Admitted,
            Decision::Queued { delay: 10 },
            Decision::Rejected,
            Decision::Queued { delay: 20 },
        ];
        let tally = Tally::of(&arrivals, &decisions, 10);
        assert_eq!(
            (tally.offered, tally.admitted, tally.queued, tally.rejected),
            (4, 3, 2, 1)
        );
        assert_eq!((tally.max_delay, tally.mean_delay), (20, 10));
        // Forwarded at 0, 10, 25: no two within 10ns of each other.
        assert_eq!(tally.max_in_window, 1);
    }
}
