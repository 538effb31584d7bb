//! Spaced repetition on top of the `fsrs` crate. FSRS gives memory states and intervals; this
//! module adds learning steps, fuzz, day boundaries, daily limits, sibling burying, the daily
//! queue and review session, replay of the log, statistics and the optimiser.
//!
//! Pure: the clock and every seed are parameters, and nothing here touches the store or the
//! terminal. The review screen drives a [`Session`] and commits each [`Answer`] through
//! `store::Store::record`; the stats screen shows a [`Stats`].

pub mod browse;
pub mod exam_day;
pub mod fuzz;
pub mod hold;
pub mod item;
pub mod key;
pub mod optimize;
pub mod planner;
pub mod queue;
pub mod replay;
pub mod scheduler;
pub mod session;
pub mod settings;
pub mod state;
pub mod stats;
mod steps;
pub mod time;

pub use browse::{CardRow, CardStatus, Filter};
pub use exam_day::ExamDay;
pub use hold::Hold;
pub use item::{Blueprint, BlueprintDomain, Catalog, Entry, Face, Place, ReviewItem, Scope, Side};
pub use key::ItemKey;
pub use optimize::{Evaluation, Fit, FitOutcome, optimize};
pub use queue::{Class, Counts, Queue, QueueEntry, Today};
pub use replay::{Renames, replay, replay_with};
pub use scheduler::{Answer, Outcome, Preview, Scheduler};
pub use session::{Next, Progress, Session, Summary};
pub use settings::{Knob, NewOrder, Settings};
pub use state::{CardState, Grade, Interval, Memory, Phase, ReviewLog};
pub use stats::Stats;
pub use steps::{StepError, format_steps, parse_step};
pub use time::DayClock;

/// What can go wrong in scheduling; each message says which input was at fault.
#[derive(Debug, thiserror::Error)]
pub enum SrsError {
    #[error("invalid setting {0}")]
    Setting(String),
    #[error("invalid FSRS parameters")]
    Parameters(#[source] fsrs::FSRSError),
    #[error("the memory model rejected a state of {key}")]
    Model {
        key: String,
        #[source]
        source: fsrs::FSRSError,
    },
    #[error("there is no card on screen to answer")]
    NoCard,
    #[error("{step} failed")]
    Optimize {
        /// What the optimizer was doing, such as "fitting FSRS parameters".
        step: &'static str,
        #[source]
        source: fsrs::FSRSError,
    },
}
