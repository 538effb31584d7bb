//! `sysdeck stats`, `sysdeck optimize` and `sysdeck progress export|import`: the learner's
//! progress from the command line.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{DataDir, LearnerArgs, StoreArgs};

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub learner: LearnerArgs,
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

    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum ProgressCommand {
    /// Write all your progress to a file (to move to, or merge with, another machine)
    Export(ExportArgs),
    /// Merge a progress file into this machine's progress, then replay every card state
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

    #[command(flatten)]
    pub data: DataDir,
}

#[derive(Debug, Args)]
#[command(
    after_help = "The file holds everything another machine needs: the review log, questions sent \
to review, quiz attempts with their answers, settings and FSRS parameters, as versioned JSON lines. \
It is written beside FILE and renamed over it, so FILE is either complete or as it was. An export \
never replaces the progress database or any SQLite file, and replaces an existing file only if it \
is a sysdeck progress file (or with --force)."
)]
pub struct ExportArgs {
    /// File to write; `-` for standard output
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Replace FILE even if it is not a sysdeck progress file (never a database)
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub data: DataDir,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Every field of every line is checked: keys are pack/item ids, times lie between \
2000 and a day from now, grades are 1 to 4, durations are not negative. A file with any bad line \
is refused whole, listing each bad line and field; with --skip-bad the good lines are imported and \
the bad ones reported. Rows already present are skipped, so importing twice changes nothing. The \
file's settings replace this machine's, and its FSRS parameters do if they were fitted later. \
Files written by older sysdeck versions import too."
)]
pub struct ImportArgs {
    /// File to read; `-` for standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Import the good lines of a file that has bad ones, and report the bad ones
    #[arg(long)]
    pub skip_bad: bool,

    #[command(flatten)]
    pub store: StoreArgs,
}
