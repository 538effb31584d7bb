//! `sysdeck settings`: how reviews are scheduled.

use clap::Args;

use super::DataDir;
use crate::srs::parse_step;

#[derive(Debug, Args)]
#[command(
    after_help = "Without options, prints the current settings. Changes are checked, \
saved, and every card's schedule is replayed from the review log with them."
)]
pub struct SettingsArgs {
    /// New cards introduced per learning day
    #[arg(long, value_name = "N")]
    pub new_per_day: Option<u32>,

    /// Review cards per learning day (learning steps are never limited)
    #[arg(long, value_name = "N")]
    pub reviews_per_day: Option<u32>,

    /// Local hour at which a learning day begins (0-23)
    #[arg(long, value_name = "HOUR", value_parser = clap::value_parser!(u8).range(0..=23))]
    pub day_start: Option<u8>,

    /// Recall probability intervals aim for (0.70-0.99)
    #[arg(long, value_name = "R")]
    pub retention: Option<f32>,

    /// Longest interval, in days
    #[arg(long, value_name = "DAYS")]
    pub max_interval: Option<u32>,

    /// Learning steps, comma-separated: minutes or durations (e.g. 1,10 or 1m,10m,1h,1d)
    #[arg(long, value_name = "STEPS", value_delimiter = ',', value_parser = parse_step)]
    pub learning_steps: Option<Vec<u32>>,

    /// Relearning steps, comma-separated: minutes or durations (e.g. 10 or 10m,1h)
    #[arg(long, value_name = "STEPS", value_delimiter = ',', value_parser = parse_step)]
    pub relearning_steps: Option<Vec<u32>>,

    /// Spread intervals slightly so cards learned together drift apart
    #[arg(long, value_name = "on|off", value_parser = parse_switch)]
    pub fuzz: Option<bool>,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub data: DataDir,
}

fn parse_switch(s: &str) -> Result<bool, String> {
    match s {
        "on" | "true" | "yes" => Ok(true),
        "off" | "false" | "no" => Ok(false),
        _ => Err(format!("`{s}` is not on or off")),
    }
}
