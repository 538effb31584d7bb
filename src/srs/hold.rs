//! Cards held out of the queue, and leeches.
//!
//! A card is held when the learner suspends it (until they unsuspend it) or buries it (until
//! the next learning day starts, at the scheduler's day boundary, see [`DayClock`]). A held
//! card keeps its schedule; it is only left out of today's queue and the due counts.
//!
//! A leech is a card forgotten again and again. This follows Anki's default
//! (<https://docs.ankiweb.net/leeches.html>): when a review card's lapses reach the leech
//! threshold (8 by default) the card is flagged a leech and suspended, and if it keeps
//! lapsing after it is unsuspended it is flagged and suspended again every half threshold
//! (at 12, 16 and so on). Anki tags the note `leech`; here a leech is simply a card with at
//! least the threshold's lapses, so the browser and `sysdeck cards --leeches` list it.

use jiff::Timestamp;
use serde::Serialize;

use super::time::DayClock;

/// Why a card is out of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum Hold {
    /// Until the learner unsuspends it.
    Suspended,
    /// Until this moment: the start of the learning day after the one it was buried on.
    Buried { until: Timestamp },
}

impl Hold {
    /// A card buried at `now` stays buried for the rest of that learning day.
    pub fn bury(clock: &DayClock, now: Timestamp) -> Hold {
        Hold::Buried {
            until: clock.next_day_start(now),
        }
    }

    /// Whether the hold still applies at `now`.
    pub fn applies(&self, now: Timestamp) -> bool {
        match self {
            Hold::Suspended => true,
            Hold::Buried { until } => now < *until,
        }
    }
}

/// Whether a card with `lapses` lapses is a leech.
pub fn is_leech(lapses: u32, threshold: u32) -> bool {
    threshold > 0 && lapses >= threshold
}

/// Whether an answer that took a card from `before` to `after` lapses made it a leech (again):
/// it reached the threshold, or another half threshold past it.
pub fn became_leech(before: u32, after: u32, threshold: u32) -> bool {
    if after <= before || !is_leech(after, threshold) {
        return false;
    }
    let step = threshold.div_ceil(2).max(1);
    (before + 1..=after).any(|n| n >= threshold && (n - threshold).is_multiple_of(step))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_leech_is_flagged_at_the_threshold_and_every_half_threshold_after() {
        assert!(!is_leech(7, 8));
        assert!(is_leech(8, 8));
        let flagged: Vec<u32> = (0..20).filter(|&n| became_leech(n, n + 1, 8)).collect();
        assert_eq!(flagged, [7, 11, 15, 19], "at 8, 12, 16 and 20 lapses");
        assert!(!became_leech(8, 8, 8), "no new lapse, no new flag");
        assert!(became_leech(2, 3, 3));
        assert!(
            became_leech(3, 5, 3),
            "odd thresholds round the step up: 3, 5, 7"
        );
    }

    #[test]
    fn a_burial_ends_at_the_next_day_boundary() {
        let clock = DayClock::utc(4);
        // Buried late at night: the learning day started at 04:00 the day before.
        let hold = Hold::bury(&clock, ts("2026-03-11T02:30:00Z"));
        assert_eq!(
            hold,
            Hold::Buried {
                until: ts("2026-03-11T04:00:00Z")
            }
        );
        assert!(hold.applies(ts("2026-03-11T03:59:59Z")));
        assert!(!hold.applies(ts("2026-03-11T04:00:00Z")));
        assert!(Hold::Suspended.applies(ts("2099-01-01T00:00:00Z")));
    }
}
