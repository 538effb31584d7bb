//! Command-line definitions (clap derive). No behaviour lives here.
//!
//! Each command takes only the options that apply to it. The options that say where progress
//! and packs come from, what time it is and how the app runs may also be given before the
//! command (so an alias such as `sysdeck --data-dir ~/notes` serves every command); there they
//! are used by the commands that take them. [`Cli::options`] merges the two places.

use std::path::PathBuf;

use crate::tui::snapshot::{ScreenSpec, parse_size};
use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};
pub use pack::{
    CheckArgs, ExportArgs, IdsArgs, InstallArgs, ListArgs, NewArgs, PackCommand, PreviewArgs,
    UninstallArgs, UpdateArgs,
};

/// The environment variable naming the data directory, like `--data-dir`.
pub const DATA_DIR_ENV: &str = "SYSDECK_DATA_DIR";
/// The environment variable naming the pack index directory, like `--cache-dir`.
pub const CACHE_DIR_ENV: &str = "SYSDECK_CACHE_DIR";

#[derive(Debug, Parser)]
#[command(
    name = "sysdeck",
    version,
    about = "Learn system design and AWS in the terminal",
    long_about = "Learn system design and AWS in the terminal: read topic notes, drill flashcards on a \
spaced-repetition schedule, sit timed exam-style quizzes and play with live simulations.\n\n\
Run without a command to open the app on the built-in packs plus your own. The options below may \
also come before a command; each command uses those it takes (see its --help).",
    after_help = "Packs: built-in ones are part of the binary; your own live in <data dir>/packs/ or are \
given with --pack. Run `sysdeck pack new NAME` to start one.\n\n\
Exit status:\n  \
0  success\n  \
1  the command failed, or a check found problems\n  \
2  the command line is wrong\n  \
3  another sysdeck is writing to the progress database; try again in a moment\n  \
4  the data directory or progress database cannot be used as it is (damaged, from a newer \
sysdeck, no permission, read-only, disk full or failing)",
    mut_arg("data_dir", |a| a.env(DATA_DIR_ENV).hide_env(true)),
    mut_arg("cache_dir", |a| a.env(CACHE_DIR_ENV).hide_env(true)),
    mut_arg("now", |a| a.env(crate::clock::NOW_ENV).hide_env(true))
)]
pub struct Cli {
    #[command(flatten)]
    pub app: AppArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The options in force for one run, from before and after the command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GlobalArgs {
    pub data_dir: Option<PathBuf>,
    pub cache_dir: Option<PathBuf>,
    pub packs: Vec<PathBuf>,
    pub no_builtin: bool,
    pub no_mouse: bool,
    pub watch: bool,
    pub now: Option<jiff::Timestamp>,
}

impl Cli {
    /// The options given before the command, with those given after it added: packs add up,
    /// switches add up, and a data directory or time after the command wins.
    pub fn options(&self) -> GlobalArgs {
        let mut options = GlobalArgs::default();
        self.app.apply_to(&mut options);
        if let Some(after) = self.command.as_ref().and_then(Command::given) {
            after.apply_to(&mut options);
        }
        options
    }
}

/// Options that may be given before a command as well as after it.
pub trait Given {
    fn apply_to(&self, options: &mut GlobalArgs);
}

/// Where the progress database and the user's packs live.
#[derive(Debug, Clone, Default, Args)]
pub struct DataDir {
    /// Where progress and user packs live [default: $SYSDECK_DATA_DIR, else the platform's
    /// data directory]
    #[arg(long, value_name = "PATH", value_hint = ValueHint::DirPath)]
    pub data_dir: Option<PathBuf>,
}

impl Given for DataDir {
    fn apply_to(&self, options: &mut GlobalArgs) {
        if let Some(dir) = &self.data_dir {
            options.data_dir = Some(dir.clone());
        }
    }
}

/// Where compiled pack indexes are kept.
#[derive(Debug, Clone, Default, Args)]
pub struct CacheDir {
    /// Where compiled pack indexes are kept for fast starts [default: $SYSDECK_CACHE_DIR, else
    /// <data dir>/cache when a data directory is given, else the platform's cache directory]
    #[arg(long, value_name = "PATH", value_hint = ValueHint::DirPath)]
    pub cache_dir: Option<PathBuf>,
}

impl Given for CacheDir {
    fn apply_to(&self, options: &mut GlobalArgs) {
        if let Some(dir) = &self.cache_dir {
            options.cache_dir = Some(dir.clone());
        }
    }
}

/// Which packs load besides the user's own.
#[derive(Debug, Clone, Default, Args)]
pub struct PackSources {
    /// Load an extra pack folder (repeatable)
    #[arg(long = "pack", value_name = "PATH", value_hint = ValueHint::DirPath)]
    pub packs: Vec<PathBuf>,

    /// Do not load the built-in packs
    #[arg(long)]
    pub no_builtin: bool,
}

impl Given for PackSources {
    fn apply_to(&self, options: &mut GlobalArgs) {
        options.packs.extend(self.packs.iter().cloned());
        options.no_builtin |= self.no_builtin;
    }
}

/// A clock set to another time, for demos and for previewing another day.
#[derive(Debug, Clone, Default, Args)]
pub struct SetClock {
    /// Run as if it were TIME (RFC 3339, e.g. 2026-03-10T09:00:00Z); the clock runs on from
    /// there [default: $SYSDECK_NOW, else the system clock]
    #[arg(long, value_name = "TIME", value_parser = crate::clock::parse_time)]
    pub now: Option<jiff::Timestamp>,
}

impl Given for SetClock {
    fn apply_to(&self, options: &mut GlobalArgs) {
        if self.now.is_some() {
            options.now = self.now;
        }
    }
}

/// How the interactive app runs.
#[derive(Debug, Clone, Default, Args)]
pub struct Interactive {
    /// Do not capture the mouse (lets the terminal select text)
    #[arg(long)]
    pub no_mouse: bool,

    /// Reload packs when their files change (for authors; watches --pack folders and user packs)
    #[arg(long)]
    pub watch: bool,
}

impl Given for Interactive {
    fn apply_to(&self, options: &mut GlobalArgs) {
        options.no_mouse |= self.no_mouse;
        options.watch |= self.watch;
    }
}

/// The options of a command that reads packs.
#[derive(Debug, Clone, Default, Args)]
pub struct LibraryArgs {
    #[command(flatten)]
    pub data: DataDir,
    #[command(flatten)]
    pub packs: PackSources,
    #[command(flatten)]
    pub cache: CacheDir,
}

impl Given for LibraryArgs {
    fn apply_to(&self, options: &mut GlobalArgs) {
        self.data.apply_to(options);
        self.packs.apply_to(options);
        self.cache.apply_to(options);
    }
}

/// The options of a command that reads packs and progress at a time.
#[derive(Debug, Clone, Default, Args)]
pub struct LearnerArgs {
    #[command(flatten)]
    pub library: LibraryArgs,
    #[command(flatten)]
    pub clock: SetClock,
}

impl Given for LearnerArgs {
    fn apply_to(&self, options: &mut GlobalArgs) {
        self.library.apply_to(options);
        self.clock.apply_to(options);
    }
}

/// Which cards a command covers: `--pack-id`, `--topic`, `--tag`, combined.
#[derive(Debug, Args)]
pub struct ScopeArgs {
    /// Only this pack's cards, by pack id
    #[arg(long, value_name = "ID")]
    pub pack_id: Option<String>,

    /// Only this topic's cards: a note id (`caching`) or PACK:NOTE
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,

    /// Only cards with this tag (their own or their note's)
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
}

impl ScopeArgs {
    pub fn scope(&self) -> crate::srs::Scope {
        crate::srs::Scope {
            pack: self.pack_id.clone(),
            topic: self.topic.clone(),
            tag: self.tag.clone(),
        }
    }
}

/// The options of a command that opens the app.
#[derive(Debug, Clone, Default, Args)]
pub struct AppArgs {
    #[command(flatten)]
    pub learner: LearnerArgs,
    #[command(flatten)]
    pub interactive: Interactive,
}

impl Given for AppArgs {
    fn apply_to(&self, options: &mut GlobalArgs) {
        self.learner.apply_to(options);
        self.interactive.apply_to(options);
    }
}

/// The options of a command that changes progress at a time, without reading packs.
#[derive(Debug, Clone, Default, Args)]
pub struct StoreArgs {
    #[command(flatten)]
    pub data: DataDir,
    #[command(flatten)]
    pub clock: SetClock,
}

impl Given for StoreArgs {
    fn apply_to(&self, options: &mut GlobalArgs) {
        self.data.apply_to(options);
        self.clock.apply_to(options);
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check, create and list content packs
    #[command(subcommand)]
    Pack(PackCommand),
    /// Run the simulations headless, for scripts
    Sim(crate::cli::sim::SimArgs),
    /// Review today's cards, or study one topic or tag now
    Review(crate::cli::review::ReviewArgs),
    /// List cards with their state, due date, lapses and reviews (missed questions, leeches)
    Cards(crate::cli::cards::CardsArgs),
    /// Take an exam, practice or drill; `quiz history` lists past attempts
    Quiz(crate::cli::quiz::QuizArgs),
    /// Review statistics: due forecast, retention, mastery, streak
    Stats(crate::cli::progress::StatsArgs),
    /// Plan for an exam date: new cards a day per domain to be ready on the day
    Plan(crate::cli::plan::PlanArgs),
    /// Fit the scheduler to your own review history
    Optimize(crate::cli::progress::OptimizeArgs),
    /// Export or import your review history
    #[command(subcommand)]
    Progress(crate::cli::progress::ProgressCommand),
    /// Show or change how reviews are scheduled (daily limits, day start, retention, steps)
    Settings(crate::cli::settings::SettingsArgs),
    /// Render a screen as plain text, without a terminal
    Snapshot(SnapshotArgs),
    /// Make a pack from an Anki deck or a spreadsheet
    #[command(subcommand)]
    Import(crate::cli::interop::ImportCommand),
    /// Write a pack as an Anki deck
    #[command(subcommand)]
    Export(crate::cli::interop::ExportCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(crate::cli::docs::CompletionsArgs),
    /// Print the manual page, or write one page per command with --out
    Man(crate::cli::docs::ManArgs),
}

impl Command {
    /// The options given after the command, of those that may also come before it.
    fn given(&self) -> Option<&dyn Given> {
        use crate::cli::progress::ProgressCommand;
        use crate::cli::quiz::QuizCommand;
        Some(match self {
            Command::Pack(PackCommand::Check(a)) => &a.library,
            Command::Pack(PackCommand::Ids(a)) => &a.library,
            Command::Pack(PackCommand::Preview(a)) => &a.library,
            Command::Pack(PackCommand::List(a)) => &a.library,
            Command::Pack(PackCommand::Install(a)) => &a.library,
            Command::Pack(PackCommand::Update(a)) => &a.library,
            Command::Pack(PackCommand::Export(a)) => &a.library,
            Command::Pack(PackCommand::Uninstall(a)) => &a.data,
            Command::Pack(PackCommand::New(_))
            | Command::Sim(_)
            | Command::Import(crate::cli::interop::ImportCommand::Csv(_))
            | Command::Completions(_)
            | Command::Man(_) => return None,
            Command::Import(crate::cli::interop::ImportCommand::Anki(a)) => &a.data,
            Command::Export(crate::cli::interop::ExportCommand::Anki(a)) => &a.learner,
            Command::Review(a) => &a.app,
            Command::Quiz(a) => match &a.command {
                Some(QuizCommand::History(h)) => &h.data,
                None => &a.start.app,
            },
            Command::Stats(a) => &a.learner,
            Command::Plan(a) => &a.learner,
            Command::Cards(a) => &a.learner,
            Command::Optimize(a) => &a.store,
            Command::Progress(ProgressCommand::Export(a)) => &a.data,
            Command::Progress(ProgressCommand::Import(a)) => &a.store,
            Command::Progress(ProgressCommand::Check(a)) => &a.data,
            Command::Settings(a) => &a.data,
            Command::Snapshot(a) => &a.learner,
        })
    }
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// home, library, help, find:QUERY, note:PACK:ID, labs, lab:hash-ring, lab:rate-limiter, lab:cache-eviction, lab:quorum or lab:load-balancer
    /// (add :compare for a lab's compare mode), review[:PACK[:TOPIC]], cards[:PACK],
    /// custom-study[:PACK], stats, settings, plan[:PACK], quiz[:PACK] or
    /// quiz-history
    #[arg(long, default_value = "home", value_parser = clap::value_parser!(ScreenSpec))]
    pub screen: ScreenSpec,

    /// Width x height in cells
    #[arg(long, default_value = "100x30", value_parser = parse_size)]
    pub size: (u16, u16),

    #[command(flatten)]
    pub learner: LearnerArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub mod cards;
pub mod docs;
pub mod interop;
pub mod pack;
pub mod plan;
pub mod progress;
pub mod quiz;
pub mod review;
pub mod settings;
pub mod sim;
