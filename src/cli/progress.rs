//! `sysdeck stats`, `sysdeck optimize` and `sysdeck progress export|import`: the learner's
//! progress from the command line.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Needs 64 reviews that each came on a later day than the card's previous one. \
The new parameters are kept only if they predict your recall better, and every card state is \
then replayed with them."
)]
pub struct OptimizeArgs {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProgressCommand {
    /// Write the review log as JSON lines (to move to, or merge with, another machine)
    Export(ExportArgs),
    /// Merge a JSON-lines review log into this one, then replay every card state
    Import(ImportArgs),
    /// List stored rows and settings that cannot be used; --fix drops them
    Check(ProgressCheckArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Lists every review-log row, cached card state, setting and parameter fit that \
cannot be used (reading leaves them out with a warning), and cached card states that differ from \
a replay of the review log. Exits with 1 when it finds any and --fix is not given."
)]
pub struct ProgressCheckArgs {
    /// Save a copy of the database, then drop the bad rows, reset bad settings to their
    /// defaults and rebuild every card state from the review log
    #[arg(long)]
    pub fix: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// File to write; `-` for standard output
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Rows already present (same item and time) are skipped, so importing twice \
changes nothing. A file with any bad line is refused whole."
)]
pub struct ImportArgs {
    /// File to read; `-` for standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}
