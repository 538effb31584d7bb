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
        }
    }
}

impl Settings {
    /// Rejects values the scheduler cannot honour, naming the setting.
    pub fn validate(&self) -> Result<(), SrsError> {
        let bad = |name: &str, why: &str| Err(SrsError::Setting(format!("{name}: {why}")));
        if self
            .learning_steps
            .iter()
            .chain(&self.relearning_steps)
            .any(|&m| m == 0)
        {
            return bad("learning steps", "every step must be at least 1 minute");
        }
        if [&self.learning_steps, &self.relearning_steps]
            .iter()
            .any(|steps| steps.windows(2).any(|w| w[0] > w[1]))
        {
            return bad(
                "learning steps",
                "each step must be at least as long as the one before",
            );
        }
        if !(0.70..=0.99).contains(&self.desired_retention) {
            return bad("desired_retention", "must be between 0.70 and 0.99");
        }
        if self.maximum_interval == 0 {
            return bad("maximum_interval", "must be at least 1 day");
        }
        if self.day_start_hour > 23 {
            return bad("day_start_hour", "must be an hour from 0 to 23");
        }
        Ok(())
    }
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
    fn missing_fields_take_defaults() {
        let s: Settings = serde_json::from_str(r#"{"new_per_day": 5}"#).unwrap();
        assert_eq!(s.new_per_day, 5);
        assert_eq!(s.learning_steps, vec![1, 10]);
    }
}
