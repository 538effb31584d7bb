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
