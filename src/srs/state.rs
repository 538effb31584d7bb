//! What the scheduler works on: grades, card states and review-log rows.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::key::ItemKey;

/// The learner's answer. The numbers are FSRS's ratings and the keys on the review screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum Grade {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy];

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(n: u8) -> Option<Grade> {
        Grade::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    pub fn label(self) -> &'static str {
        match self {
            Grade::Again => "Again",
            Grade::Hard => "Hard",
            Grade::Good => "Good",
            Grade::Easy => "Easy",
        }
    }

    /// Position in [`Grade::ALL`] and in per-grade arrays.
    pub fn index(self) -> usize {
        self as usize - 1
    }
}

impl From<Grade> for u8 {
    fn from(g: Grade) -> u8 {
        g.number()
    }
}

impl TryFrom<u8> for Grade {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Grade::from_number(n).ok_or_else(|| format!("grade {n} is not 1 to 4"))
    }
}

/// Where a card is in its life. A card with no state yet is `New`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    New,
    Learning,
    Review,
    Relearning,
}

impl Phase {
    pub const ALL: [Phase; 4] = [
        Phase::New,
        Phase::Learning,
        Phase::Review,
        Phase::Relearning,
    ];

    /// Stable code for the database.
    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(n: u8) -> Option<Phase> {
        Phase::ALL.get(usize::from(n)).copied()
    }
}

/// FSRS memory state; our own type because `fsrs::MemoryState` cannot be deserialized.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    pub stability: f32,
    pub difficulty: f32,
}

impl From<fsrs::MemoryState> for Memory {
    fn from(m: fsrs::MemoryState) -> Self {
        Memory {
            stability: m.stability,
            difficulty: m.difficulty,
        }
    }
}

impl From<Memory> for fsrs::MemoryState {
    fn from(m: Memory) -> Self {
        fsrs::MemoryState {
            stability: m.stability,
            difficulty: m.difficulty,
        }
    }
}

/// A reviewed card's schedule, derived from its log rows and cached in the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardState {
    /// Never `New`: an unreviewed card has no state.
    pub phase: Phase,
    /// Index into the learning or relearning steps while in those phases.
    pub step: u8,
    pub memory: Memory,
    pub due: Timestamp,
    pub last_review: Timestamp,
    /// Days of the interval last given; 0 while in (re)learning steps.
    pub scheduled_days: u32,
    pub reps: u32,
    pub lapses: u32,
}

/// One row of the append-only review log: the truth every state is derived from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewLog {
    pub item: ItemKey,
    /// When the grade was given, to the millisecond; with `item`, the row's identity.
    pub at: Timestamp,
    pub grade: Grade,
    /// The card's phase before this answer.
    pub kind: Phase,
    /// Learning days since the card's previous review.
    pub elapsed_days: u32,
    /// Days until the card is due again (0 for a learning step).
    pub scheduled_days: u32,
    /// How long the learner took to answer.
    pub duration_ms: u32,
}

/// The wait until a card comes back, as printed on a grade button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "unit", content = "value", rename_all = "lowercase")]
pub enum Interval {
    /// A learning step: whole seconds, as Anki keeps them (a Hard step can be 5.5 minutes).
    Seconds(u32),
    Days(u32),
}

impl Interval {
    /// Length in seconds, so steps and day intervals can be compared.
    pub fn seconds(self) -> u64 {
        match self {
            Interval::Seconds(s) => u64::from(s),
            Interval::Days(d) => u64::from(d) * 86_400,
        }
    }
}

impl PartialOrd for Interval {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Interval {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.seconds().cmp(&other.seconds())
    }
}

impl fmt::Display for Interval {
    /// Short forms for buttons: `30s`, `1m`, `5.5m`, `2h`, `3d`, `1.5mo`, `2.1y`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Interval::Seconds(s) if s < 60 => write!(f, "{s}s"),
            Interval::Seconds(s) if s < 3_600 => write!(f, "{}m", round1(f64::from(s) / 60.0)),
            Interval::Seconds(s) if s < 86_400 => {
                write!(f, "{}h", round1(f64::from(s) / 3_600.0))
            }
            Interval::Seconds(s) => write!(f, "{}d", round1(f64::from(s) / 86_400.0)),
            Interval::Days(d) if d < 30 => write!(f, "{d}d"),
            Interval::Days(d) if d < 365 => write!(f, "{}mo", round1(f64::from(d) / 30.0)),
            Interval::Days(d) => write!(f, "{}y", round1(f64::from(d) / 365.0)),
        }
    }
}

/// One decimal, without a trailing `.0`.
fn round1(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_round_trip_their_numbers() {
        for g in Grade::ALL {
            assert_eq!(Grade::from_number(g.number()), Some(g));
            assert_eq!(Grade::ALL[g.index()], g);
        }
        assert_eq!(Grade::from_number(0), None);
        assert_eq!(Grade::from_number(5), None);
        assert_eq!(serde_json::to_string(&Grade::Good).unwrap(), "3");
        assert!(serde_json::from_str::<Grade>("7").is_err());
    }

    #[test]
    fn intervals_print_short_and_compare_by_length() {
        let shown: Vec<String> = [
            Interval::Seconds(30),
            Interval::Seconds(60),
            Interval::Seconds(330),
            Interval::Seconds(5_400),
            Interval::Days(3),
            Interval::Days(45),
            Interval::Days(800),
        ]
        .iter()
        .map(Interval::to_string)
        .collect();
        assert_eq!(shown, ["30s", "1m", "5.5m", "1.5h", "3d", "1.5mo", "2.2y"]);
        assert!(Interval::Seconds(86_399) < Interval::Days(1));
        assert!(Interval::Seconds(172_800) > Interval::Days(1));
        assert_eq!(
            Phase::from_code(Phase::Relearning.code()),
            Some(Phase::Relearning)
        );
    }
}
