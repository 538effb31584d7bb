//! The learner's scheduling settings, with the defaults the issue asks for.

use serde::{Deserialize, Serialize};

use super::SrsError;

/// How reviews are scheduled. Stored field by field in the settings table, so a setting added
/// later simply takes its default for an older database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Delays, in minutes, a new card steps through before its first day-based interval.
    pub learning_steps: Vec<u32>,
    /// Delays, in minutes, a forgotten review card steps through before it graduates again.
    pub relearning_steps: Vec<u32>,
    /// The recall probability intervals aim for when a card comes due.
    pub desired_retention: f32,
    /// No interval grows past this many days.
    pub maximum_interval: u32,
    /// New cards introduced per learning day.
    pub new_per_day: u32,
    /// Review-card answers per learning day (learning steps are never limited).
    pub reviews_per_day: u32,
    /// Local hour at which a learning day begins.
    pub day_start_hour: u8,
    /// Spread day-based intervals a little so cards learned together do not stay together.
    pub fuzz: bool,
    /// Seed of the fuzz; the draw also depends on the card and its history, so it is the same
    /// on every replay.
    pub fuzz_seed: u64,
    /// With nothing else left, a learning card due within this many minutes is shown early.
    pub learn_ahead_minutes: u32,
    /// The order new cards are introduced in.
    pub new_order: NewOrder,
    /// A card forgotten this many times is a leech: flagged and suspended (Anki's default,
    /// see [`super::hold`]).
    pub leech_threshold: u32,
}

/// The order new cards are introduced in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NewOrder {
    /// Each pack's syllabus: its topics in reading order, each topic's cards as written; with
    /// several packs, they take turns so every pack moves on.
    #[default]
    Syllabus,
    /// The topics already started first, the one studied last at the head, so a topic is
    /// finished before another begins; then the syllabus.
    TopicByTopic,
    /// A shuffle, fixed by the settings' seed, so tomorrow continues today's order.
    Random,
}

impl NewOrder {
    pub const ALL: [NewOrder; 3] = [NewOrder::Syllabus, NewOrder::TopicByTopic, NewOrder::Random];

    /// The name stored and typed on the command line.
    pub fn name(self) -> &'static str {
        match self {
            NewOrder::Syllabus => "syllabus",
            NewOrder::TopicByTopic => "topic-by-topic",
            NewOrder::Random => "random",
        }
    }

    /// One line for the settings screen.
    pub fn describe(self) -> &'static str {
        match self {
            NewOrder::Syllabus => "each pack's topics in reading order",
            NewOrder::TopicByTopic => "finish the topics you started first",
            NewOrder::Random => "shuffled",
        }
    }
}

impl std::str::FromStr for NewOrder {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NewOrder::ALL
            .into_iter()
            .find(|o| o.name() == s)
            .ok_or_else(|| format!("`{s}` is not one of syllabus, topic-by-topic, random"))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            learning_steps: vec![1, 10],
            relearning_steps: vec![10],
            desired_retention: 0.90,
            maximum_interval: 36_500,
            new_per_day: 20,
            reviews_per_day: 200,
            day_start_hour: 4,
            fuzz: true,
            fuzz_seed: 0,
            learn_ahead_minutes: 20,
            new_order: NewOrder::Syllabus,
            leech_threshold: 8,
        }
    }
}

/// The ranges a learner would use. Anything outside is a typo or a damaged file, and values far
/// outside would push due dates past what a timestamp can hold, so they are refused.
pub const MAX_STEPS: usize = 10;
/// A week: a longer wait is a day-based interval, not a step.
pub const MAX_STEP_MINUTES: u32 = 7 * 24 * 60;
/// A hundred years.
pub const MAX_INTERVAL_DAYS: u32 = 36_500;
pub const MAX_NEW_PER_DAY: u32 = 10_000;
pub const MAX_REVIEWS_PER_DAY: u32 = 100_000;
pub const MAX_LEARN_AHEAD_MINUTES: u32 = 24 * 60;
/// More lapses than anyone would tolerate before calling a card a leech.
pub const MAX_LEECH_THRESHOLD: u32 = 99;

/// One setting outside its range: the field, as stored and printed by `--json`, and what it
/// must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub problem: String,
}

impl Settings {
    /// Rejects values the scheduler cannot honour, naming the first bad setting.
    pub fn validate(&self) -> Result<(), SrsError> {
        match self.problems().into_iter().next() {
            Some(bad) => Err(SrsError::Setting(format!("{}: {}", bad.field, bad.problem))),
            None => Ok(()),
        }
    }

    /// Every setting outside its range. Each check reads one field only, so a stored settings
    /// table can keep its good fields and fall back to the default for a bad one.
    pub fn problems(&self) -> Vec<Invalid> {
        let mut out = Vec::new();
        steps(&mut out, "learning_steps", &self.learning_steps);
        steps(&mut out, "relearning_steps", &self.relearning_steps);
        let r = self.desired_retention;
        if !(0.70..=0.99).contains(&r) {
            out.push(Invalid {
                field: "desired_retention",
                problem: format!("must be between 0.70 and 0.99, got {r}"),
            });
        }
        let ranges = [
            (
                "maximum_interval",
                self.maximum_interval,
                1,
                MAX_INTERVAL_DAYS,
                "days",
            ),
            ("new_per_day", self.new_per_day, 0, MAX_NEW_PER_DAY, "cards"),
            (
                "reviews_per_day",
                self.reviews_per_day,
                0,
                MAX_REVIEWS_PER_DAY,
                "cards",
            ),
            (
                "day_start_hour",
                u32::from(self.day_start_hour),
                0,
                23,
                "o'clock",
            ),
            (
                "learn_ahead_minutes",
                self.learn_ahead_minutes,
                0,
                MAX_LEARN_AHEAD_MINUTES,
                "minutes",
            ),
            (
                "leech_threshold",
                self.leech_threshold,
                1,
                MAX_LEECH_THRESHOLD,
                "lapses",
            ),
        ];
        for (field, value, low, high, unit) in ranges {
            if !(low..=high).contains(&value) {
                out.push(Invalid {
                    field,
                    problem: format!("must be {low} to {high} {unit}, got {value}"),
                });
            }
        }
        out
    }
}

/// Learning or relearning steps: at most [`MAX_STEPS`], each 1 minute to a week, none shorter
/// than the one before.
fn steps(out: &mut Vec<Invalid>, field: &'static str, steps: &[u32]) {
    let problem = if steps.len() > MAX_STEPS {
        format!("at most {MAX_STEPS} steps, got {}", steps.len())
    } else if let Some(m) = steps.iter().find(|m| !(1..=MAX_STEP_MINUTES).contains(*m)) {
        format!("each step must be 1 to {MAX_STEP_MINUTES} minutes (a week), got {m}")
    } else if steps.windows(2).any(|w| w[0] > w[1]) {
        "each step must be at least as long as the one before".to_string()
    } else {
        return;
    };
    out.push(Invalid { field, problem });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        assert!(Settings::default().validate().is_ok());
        let s = Settings {
            desired_retention: 1.5,
            ..Settings::default()
        };
        let e = s.validate().unwrap_err().to_string();
        assert!(e.contains("desired_retention"), "{e}");
        let s = Settings {
            relearning_steps: vec![0],
            ..Settings::default()
        };
        assert!(s.validate().is_err());
        let s = Settings {
            learning_steps: vec![10, 1],
            ..Settings::default()
        };
        assert!(s.validate().is_err());
    }

    #[test]
    fn every_setting_has_a_range_and_each_problem_names_its_field() {
        let bad = Settings {
            learning_steps: vec![4_294_967_295],
            relearning_steps: vec![1; 11],
            maximum_interval: 36_501,
            new_per_day: 10_001,
            reviews_per_day: 100_001,
            day_start_hour: 24,
            learn_ahead_minutes: 1_441,
            leech_threshold: 0,
            ..Settings::default()
        };
        let found: Vec<(&str, String)> = bad
            .problems()
            .into_iter()
            .map(|p| (p.field, p.problem))
            .collect();
        let want = [
            (
                "learning_steps",
                "each step must be 1 to 10080 minutes (a week), got 4294967295",
            ),
            ("relearning_steps", "at most 10 steps, got 11"),
            ("maximum_interval", "must be 1 to 36500 days, got 36501"),
            ("new_per_day", "must be 0 to 10000 cards, got 10001"),
            ("reviews_per_day", "must be 0 to 100000 cards, got 100001"),
            ("day_start_hour", "must be 0 to 23 o'clock, got 24"),
            ("learn_ahead_minutes", "must be 0 to 1440 minutes, got 1441"),
            ("leech_threshold", "must be 1 to 99 lapses, got 0"),
        ];
        assert_eq!(
            found,
            want.map(|(f, p)| (f, p.to_string())).to_vec(),
            "one problem per bad field, in field order"
        );
        // The largest values a person would use are accepted.
        let edge = Settings {
            learning_steps: vec![1, MAX_STEP_MINUTES],
            maximum_interval: MAX_INTERVAL_DAYS,
            new_per_day: MAX_NEW_PER_DAY,
            reviews_per_day: MAX_REVIEWS_PER_DAY,
            learn_ahead_minutes: MAX_LEARN_AHEAD_MINUTES,
            leech_threshold: MAX_LEECH_THRESHOLD,
            ..Settings::default()
        };
        assert_eq!(edge.problems(), []);
    }

    #[test]
    fn missing_fields_take_defaults() {
        let s: Settings = serde_json::from_str(r#"{"new_per_day": 5}"#).unwrap();
        assert_eq!(s.new_per_day, 5);
        assert_eq!(s.learning_steps, vec![1, 10]);
    }
}

/// A setting the settings screen changes one notch at a time, always within its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knob {
    NewPerDay,
    NewOrder,
    ReviewsPerDay,
    DayStart,
    Retention,
    MaxInterval,
    LearnAhead,
    Fuzz,
}

impl Knob {
    pub const ALL: [Knob; 8] = [
        Knob::NewPerDay,
        Knob::NewOrder,
        Knob::ReviewsPerDay,
        Knob::DayStart,
        Knob::Retention,
        Knob::MaxInterval,
        Knob::LearnAhead,
        Knob::Fuzz,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Knob::NewPerDay => "New cards per day",
            Knob::NewOrder => "New card order",
            Knob::ReviewsPerDay => "Reviews per day",
            Knob::DayStart => "Day starts at",
            Knob::Retention => "Desired retention",
            Knob::MaxInterval => "Maximum interval",
            Knob::LearnAhead => "Learn ahead",
            Knob::Fuzz => "Interval fuzz",
        }
    }

    /// What the setting does, in a line.
    pub fn help(self) -> &'static str {
        match self {
            Knob::NewPerDay => {
                "How many new cards a day brings; studying a chosen topic goes past it."
            }
            Knob::NewOrder => {
                "Syllabus: each pack's topics in reading order. Topic by topic: finish what you started. Random: shuffled."
            }
            Knob::ReviewsPerDay => {
                "At most this many review cards a day; learning steps are never held back."
            }
            Knob::DayStart => {
                "The local hour a new learning day begins, so late study counts for the evening."
            }
            Knob::Retention => {
                "The chance of recall intervals aim for: higher means shorter intervals and more reviews."
            }
            Knob::MaxInterval => "No card waits longer than this between reviews.",
            Knob::LearnAhead => {
                "With nothing else left, a learning card due this soon is shown early."
            }
            Knob::Fuzz => "Spreads intervals a little so cards learned together drift apart.",
        }
    }

    /// The setting's value as shown.
    pub fn value(self, s: &Settings) -> String {
        match self {
            Knob::NewPerDay => s.new_per_day.to_string(),
            Knob::NewOrder => s.new_order.describe().to_string(),
            Knob::ReviewsPerDay => s.reviews_per_day.to_string(),
            Knob::DayStart => format!("{:02}:00", s.day_start_hour),
            Knob::Retention => format!("{:.0}%", s.desired_retention * 100.0),
            Knob::MaxInterval => format!("{} days", s.maximum_interval),
            Knob::LearnAhead => format!("{} minutes", s.learn_ahead_minutes),
            Knob::Fuzz => if s.fuzz { "on" } else { "off" }.to_string(),
        }
    }

    /// `s` with this setting one notch up (or down), held inside its range; the order and
    /// the switch go round.
    pub fn turn(self, s: &Settings, up: bool) -> Settings {
        let mut s = s.clone();
        let step = |v: u32, by: u32, max: u32| {
            if up {
                v.saturating_add(by).min(max)
            } else {
                v.saturating_sub(by)
            }
        };
        match self {
            Knob::NewPerDay => s.new_per_day = step(s.new_per_day, 5, MAX_NEW_PER_DAY),
            Knob::NewOrder => {
                let all = NewOrder::ALL;
                let at = all.iter().position(|o| *o == s.new_order).unwrap_or(0);
                let next = if up { at + 1 } else { at + all.len() - 1 };
                s.new_order = all[next % all.len()];
            }
            Knob::ReviewsPerDay => {
                s.reviews_per_day = step(s.reviews_per_day, 50, MAX_REVIEWS_PER_DAY);
            }
            Knob::DayStart => {
                s.day_start_hour = step(u32::from(s.day_start_hour), 1, 23) as u8;
            }
            Knob::Retention => {
                // In whole percent, so repeated steps land on round numbers.
                let percent = (s.desired_retention * 100.0).round() as u32;
                s.desired_retention = step(percent, 1, 99).max(70) as f32 / 100.0;
            }
            Knob::MaxInterval => {
                s.maximum_interval = step(s.maximum_interval, 365, MAX_INTERVAL_DAYS).max(1);
            }
            Knob::LearnAhead => {
                s.learn_ahead_minutes = step(s.learn_ahead_minutes, 5, MAX_LEARN_AHEAD_MINUTES);
            }
            Knob::Fuzz => s.fuzz = !s.fuzz,
        }
        s
    }
}

#[cfg(test)]
mod knob_tests {
    use super::*;

    #[test]
    fn every_knob_stays_in_range_however_far_it_is_turned() {
        for knob in Knob::ALL {
            for up in [true, false] {
                let mut s = Settings::default();
                for _ in 0..30_000 {
                    s = knob.turn(&s, up);
                }
                assert_eq!(s.problems(), [], "{knob:?} turned {up} 30,000 times");
            }
        }
    }

    #[test]
    fn a_notch_is_a_round_step() {
        let s = Settings::default();
        assert_eq!(Knob::NewPerDay.turn(&s, true).new_per_day, 25);
        assert_eq!(Knob::Retention.turn(&s, false).desired_retention, 0.89);
        assert_eq!(Knob::Retention.turn(&s, true).desired_retention, 0.91);
        assert_eq!(Knob::DayStart.turn(&s, false).day_start_hour, 3);
        let order = |up| Knob::NewOrder.turn(&s, up).new_order;
        assert_eq!(
            (order(true), order(false)),
            (NewOrder::TopicByTopic, NewOrder::Random)
        );
        assert!(!Knob::Fuzz.turn(&s, true).fuzz);
    }
}
