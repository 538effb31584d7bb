//! `sysdeck cards`: list cards with their state, for the card browser's rows on the CLI.

use clap::Args;

use super::LearnerArgs;

#[derive(Debug, Args)]
pub struct CardsArgs {
    /// Only this pack's cards, by pack id
    #[arg(long, value_name = "ID")]
    pub pack_id: Option<String>,

    /// Only this topic's cards: a note id (`caching`) or PACK:NOTE
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,

    /// Only cards with this tag (their own or their note's)
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,

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
