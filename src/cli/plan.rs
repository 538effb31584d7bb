//! `sysdeck plan`: an exam date, and the daily plan that reaches it.

use clap::Args;

use super::LearnerArgs;

#[derive(Debug, Args)]
#[command(
    after_help = "With --date, sets the exam date for the pack's exam and prints the plan; \
without it, prints today's plan for the date set before. The plan gives each exam domain the new \
cards a day that bring its expected recall on exam day to --target, from your FSRS memory states \
and the exam's domain weights, and says what that costs in reviews and minutes a day. Reviews that \
would fall after the exam come back in its last week instead. It is made again each day from what \
you actually studied, and the daily review follows it: the pack's new cards come from the plan's \
budgets, weakest domain first, instead of the daily new-card limit.\n\n\
When the date cannot be reached, the plan says what would be: the earliest date, or the minutes a \
day needed. Practice exams are planned at one half, three quarters and nine tenths of the way: \
`sysdeck quiz --mode exam` on those days.\n\n\
Examples:\n  sysdeck plan --exam aws-saa --date 2027-02-15\n  sysdeck plan --minutes 45 --target 0.85 --date 2027-02-15\n  sysdeck plan --json\n  sysdeck plan --clear"
)]
pub struct PlanArgs {
    /// The pack whose exam to plan for, by pack id [default: the only loaded pack with an exam]
    #[arg(long, value_name = "PACK")]
    pub exam: Option<String>,

    /// The exam date (YYYY-MM-DD): sets or moves the goal
    #[arg(long, value_name = "DATE", conflicts_with = "clear")]
    pub date: Option<jiff::civil::Date>,

    /// Expected recall wanted on exam day in every domain [default: 0.90, or the goal's]
    #[arg(long, value_name = "SHARE", requires = "date", value_parser = target)]
    pub target: Option<f64>,

    /// Minutes a day you can study [default: 60, or the goal's]
    #[arg(long, value_name = "MIN", requires = "date", value_parser = clap::value_parser!(u32).range(5..=600))]
    pub minutes: Option<u32>,

    /// Remove the exam date; the daily limits apply again
    #[arg(long)]
    pub clear: bool,

    /// Days of the day-by-day table to print
    #[arg(long, value_name = "N", default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..=730))]
    pub days: u32,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub learner: LearnerArgs,
}

/// A target share: 0.5 to 0.99, or a percentage 50 to 99.
fn target(text: &str) -> Result<f64, String> {
    let x: f64 = text
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    let share = if x > 1.0 { x / 100.0 } else { x };
    if (0.5..=0.99).contains(&share) {
        Ok(share)
    } else {
        Err(format!("{text} is not between 0.5 and 0.99 (50% to 99%)"))
    }
}
