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
    /// A card forgotten this many times is a leech: flagged and suspended (Anki's default,
    /// see [`super::hold`]).
    pub leech_threshold: u32,
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
