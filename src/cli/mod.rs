//! Command-line definitions (clap derive). No behaviour lives here.

use std::path::PathBuf;

use crate::tui::snapshot::{ScreenSpec, parse_size};
use clap::{Args, Parser, Subcommand, ValueEnum};
pub use pack::{CheckArgs, IdsArgs, ListArgs, NewArgs, PackCommand, PreviewArgs};

#[derive(Debug, Parser)]
#[command(
    name = "sysdeck",
    version,
    about = "Learn system design and AWS in the terminal",
    long_about = "Learn system design and AWS in the terminal: read topic notes, drill flashcards on a \
spaced-repetition schedule, sit timed exam-style quizzes and play with live simulations.\n\n\
Run without a command to open the app on the built-in packs plus your own.",
    after_help = "Packs: built-in ones are part of the binary; your own live in <data dir>/packs/ or are \
given with --pack. Run `sysdeck pack new NAME` to start one."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Where progress and user packs live [default: the platform's data directory]
    #[arg(long, global = true, env = "SYSDECK_DATA_DIR", value_name = "PATH")]
    pub data_dir: Option<PathBuf>,

    /// Where compiled pack indexes are kept for fast starts [default: the platform's cache
    /// directory, or <data dir>/cache when --data-dir is given]
    #[arg(long, global = true, env = "SYSDECK_CACHE_DIR", value_name = "PATH")]
    pub cache_dir: Option<PathBuf>,

    /// Load an extra pack folder (repeatable)
    #[arg(long = "pack", global = true, value_name = "PATH")]
    pub packs: Vec<PathBuf>,

    /// Do not load the built-in packs
    #[arg(long, global = true)]
    pub no_builtin: bool,

    /// Do not capture the mouse (lets the terminal select text)
    #[arg(long, global = true)]
    pub no_mouse: bool,

    /// Reload packs when their files change (for authors; watches --pack folders and user packs)
    #[arg(long, global = true)]
    pub watch: bool,

    /// Run as if it were TIME (RFC 3339, e.g. 2026-03-10T09:00:00Z); the clock runs on from there
    #[arg(long, global = true, env = crate::clock::NOW_ENV, value_name = "TIME",
          value_parser = crate::clock::parse_time)]
    pub now: Option<jiff::Timestamp>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check, create and list content packs
    #[command(subcommand)]
    Pack(PackCommand),
    /// Run the simulations headless, for scripts
    Sim(crate::cli::sim::SimArgs),
    /// Review the cards due today, optionally of one pack, topic or tag
    Review(crate::cli::review::ReviewArgs),
    /// Take an exam, practice or drill; `quiz history` lists past attempts
    Quiz(crate::cli::quiz::QuizArgs),
    /// Review statistics: due forecast, retention, mastery, streak
    Stats(crate::cli::progress::StatsArgs),
    /// Fit the scheduler to your own review history
    Optimize(crate::cli::progress::OptimizeArgs),
    /// Export or import your review history
    #[command(subcommand)]
    Progress(crate::cli::progress::ProgressCommand),
    /// Show or change how reviews are scheduled (daily limits, day start, retention, steps)
    Settings(crate::cli::settings::SettingsArgs),
    /// Render a screen as plain text, without a terminal
    Snapshot(SnapshotArgs),
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// home, library, help, find:QUERY, note:PACK:ID, labs, lab:hash-ring or lab:rate-limiter
    /// (add :compare for a lab's compare mode), review[:PACK], stats, quiz[:PACK] or
    /// quiz-history
    #[arg(long, default_value = "home", value_parser = clap::value_parser!(ScreenSpec))]
    pub screen: ScreenSpec,

    /// Width x height in cells
    #[arg(long, default_value = "100x30", value_parser = parse_size)]
    pub size: (u16, u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub mod pack;
pub mod progress;
pub mod quiz;
pub mod review;
pub mod settings;
pub mod sim;
