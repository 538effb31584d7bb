//! `sysdeck cards`: list cards with their state, for the card browser's rows on the CLI.

use clap::Args;

use super::ScopeArgs;

use super::LearnerArgs;

#[derive(Debug, Args)]
pub struct CardsArgs {
    #[command(flatten)]
    pub filters: ScopeArgs,

    /// Only questions sent to review from an exam or practice result
    #[arg(long, conflicts_with = "leeches")]
    pub missed: bool,

    /// Only leeches (cards with at least the leech threshold's lapses)
    #[arg(long)]
    pub leeches: bool,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub learner: LearnerArgs,
}
