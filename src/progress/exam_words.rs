//! An exam plan's figures and shortfalls in words, shared by `sysdeck plan` and the plan
//! screen so both say the same thing the same way.

use jiff::civil::Date;

use super::ExamPlan;
use crate::srs::planner::Shortfall;
use crate::srs::time::add_days;

/// A share as a whole percentage: `0.9` is `90%`.
pub fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// A day as the plan prints it: `Sun 2026-12-06`.
pub fn day_name(d: Date) -> String {
    d.strftime("%a %Y-%m-%d").to_string()
}

/// Where the words are read: the command line names its flags, the plan screen its form rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Said {
    Cli,
    Screen,
}

/// A shortfall and what would remove it, in words.
pub fn shortfall_words(s: &Shortfall, plan: &ExamPlan, said: Said) -> String {
    let cli = said == Said::Cli;
    let g = &plan.goal;
    let name = |id: &str| {
        plan.plan
            .domains
            .iter()
            .find(|d| d.id == id)
            .map_or(id.to_string(), |d| d.name.clone())
    };
    match s {
        Shortfall::NotInTime {
            domains,
            reachable_in_days,
        } => {
            let names: Vec<String> = domains.iter().map(|d| name(d)).collect();
            let when = match reachable_in_days {
                Some(days) => {
                    let day = add_days(plan.today, *days);
                    let how = if cli {
                        format!(" (sysdeck plan --date {day})")
                    } else {
                        String::new()
                    };
                    format!(
                        "the earliest exam date that reaches it is {}{how}",
                        day_name(day)
                    )
                }
                None => "no date within two years reaches it".to_string(),
            };
            let lower = if cli { " (--target)" } else { "" };
            format!(
                "even at the fastest pace, {} will be below {} on exam day; {when}, or lower the target{lower}.",
                names.join(", "),
                percent(g.target)
            )
        }
        Shortfall::OverBudget {
            peak_minutes,
            day,
            fits_in_days,
        } => {
            let later = match fits_in_days {
                Some(days) => format!(
                    "or move the exam to {} or later, whose plan fits {} min a day",
                    add_days(plan.today, *days),
                    g.minutes
                ),
                None => "no date within two years fits that time".to_string(),
            };
            let needed = ((peak_minutes / 5.0).ceil() as u32 * 5).min(600);
            let more = if cli {
                format!("--minutes {needed}")
            } else {
                format!("{needed} min a day")
            };
            format!(
                "the plan needs up to {:.0} minutes on {}, more than your {} a day; give it more time ({more}), {later}.",
                peak_minutes,
                day_name(add_days(plan.today, *day)),
                g.minutes,
            )
        }
    }
}
