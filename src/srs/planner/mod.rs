//! The exam-date planner: from the learner's FSRS states, each domain's unseen cards and the
//! exam blueprint's weights, how many new cards a day each domain needs so that expected recall
//! on exam day reaches the target, what that costs in reviews and minutes, and when to sit the
//! practice exams. Re-planned from the real states each day, so it follows what happened.
//!
//! Pure: the states, the day and the seeds are parameters. The method follows the FSRS
//! simulator (`fsrs::simulate`) with one addition shared with the daily queue: a card due after
//! the exam that would be weak there is refreshed in the week before it
//! ([`crate::srs::exam_day`]).

pub mod forecast;
mod search;

pub use forecast::{Forecast, Known, Model};
#[cfg(test)]
mod tests;

pub use search::{DayPlan, DomainInput, DomainPlan, Goal, Plan, Shortfall, plan, practice_days};

/// The exam-day recall a goal aims for when none is given.
pub const DEFAULT_TARGET: f64 = 0.90;
/// Minutes a day a goal allows when none are given.
pub const DEFAULT_MINUTES: u32 = 60;

/// What keeps a plan from being made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("the exam day has passed or is today: nothing can be planned")]
    NoDaysLeft,
    #[error("the target {0} is not a share between 0.5 and 0.99")]
    Target(f64),
    #[error("the FSRS simulator failed")]
    Simulation(#[source] fsrs::FSRSError),
}
