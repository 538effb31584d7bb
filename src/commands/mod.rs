//! What each subcommand does, on top of the library; [`run`] dispatches a parsed command line.

pub mod app;
pub mod cards;
pub mod docs;
pub mod exit;
pub mod interop;
pub mod pack;
pub mod plan;
pub mod progress;
pub mod progress_check;
pub mod quiz;
pub mod review;
pub mod settings;
pub mod sim;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{Cli, Command, GlobalArgs, PackCommand};
use crate::clock::Clock;
use crate::content::{Library, LoadOptions, PendingIndexes};
use crate::progress::Progress;

/// The data directory: the flag or environment variable, else the platform default.
pub fn data_dir(global: &GlobalArgs) -> Result<PathBuf> {
    let dir = global
        .data_dir
        .clone()
        .or_else(crate::paths::default_data_dir)
        .context("cannot find a home directory for sysdeck's data; pass --data-dir PATH or set SYSDECK_DATA_DIR")?;
    // `packs/` is made on first use, so learners find where installed packs go. One that
    // cannot be made (a read-only disk) is left to the command that needs it to report.
    let _ = std::fs::create_dir_all(dir.join("packs"));
    Ok(dir)
}

/// The progress over `library`'s items, from the data directory; a database that cannot be
/// used stops the program with the store's message, and is left as it was.
pub fn open_progress(global: &GlobalArgs, library: &Library) -> Result<Progress> {
    Ok(Progress::open_for(&data_dir(global)?, library)?)
}

/// [`open_progress`] over a catalog the caller already built from the loaded packs.
pub fn open_progress_over(global: &GlobalArgs, catalog: crate::srs::Catalog) -> Result<Progress> {
    let tz = jiff::tz::TimeZone::system();
    Ok(Progress::open_in(&data_dir(global)?, catalog, tz)?)
}

/// Where compiled pack indexes go: the flag or environment variable; else beside the data
/// when the data directory is given (so a separate data directory shares nothing); else the
/// platform's cache directory.
pub fn cache_dir(global: &GlobalArgs) -> Option<PathBuf> {
    global
        .cache_dir
        .clone()
        .or_else(|| global.data_dir.as_ref().map(|d| d.join("cache")))
        .or_else(crate::paths::default_cache_dir)
}

pub fn load_options(global: &GlobalArgs) -> LoadOptions {
    LoadOptions {
        builtin: !global.no_builtin,
        user_dir: data_dir(global).ok().map(|d| d.join("packs")),
        extra: global.packs.clone(),
        cache_dir: cache_dir(global),
    }
}

/// Loads every pack and tells the user, on stderr, about any that have errors.
pub fn load_library(global: &GlobalArgs) -> Library {
    let lib = Library::load(&load_options(global));
    if let Some(problem) = &lib.cache_problem {
        warn_cache(problem);
    }
    warn_broken(&lib);
    lib
}

/// [`load_library`] for the app, which writes the pack indexes after its first frame.
pub fn load_library_for_app(global: &GlobalArgs) -> (Library, PendingIndexes) {
    let (lib, pending) = Library::load_deferring_indexes(&load_options(global));
    warn_broken(&lib);
    (lib, pending)
}

/// The one warning a pack index that could not be written is worth.
pub fn warn_cache(problem: &str) {
    let _ = writeln!(
        crate::safe_text::stderr(),
        "warning: {problem}; packs load from their sources, more slowly"
    );
}

fn warn_broken(lib: &Library) {
    let mut err = crate::safe_text::stderr();
    for r in lib.broken() {
        let _ = writeln!(
            err,
            "warning: pack {} has {} error(s) and {}; run `sysdeck pack check {}` for details",
            r.label,
            r.errors(),
            if r.loaded {
                "loads only its valid parts"
            } else {
                "is not loaded"
            },
            r.origin
                .path()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        );
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let global = &cli.options();
    let clock = Clock::from_start(global.now);
    match &cli.command {
        None => {
            let (library, pending) = load_library_for_app(global);
            let progress = open_progress(global, &library)?;
            self::app::run(global, library, pending, progress, clock)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Snapshot(args)) => {
            let library = load_library(global);
            let progress = open_progress(global, &library)?;
            self::app::snapshot(args, library, progress, clock)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Pack(PackCommand::Check(args))) => {
            let data = data_dir(global).ok();
            // A check always reads every source: it is what authors trust to find problems.
            let opts = LoadOptions {
                cache_dir: None,
                ..load_options(global)
            };
            let sources = self::pack::Sources {
                opts: &opts,
                data_dir: data.as_deref(),
            };
            match self::pack::check::check(args, &sources, global.watch || args.watch)? {
                self::pack::Outcome::Clean => Ok(ExitCode::SUCCESS),
                self::pack::Outcome::Failed => Ok(ExitCode::FAILURE),
            }
        }
        Some(Command::Pack(PackCommand::Ids(args))) => {
            self::pack::ids::run(args, &load_options(global))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Pack(PackCommand::Preview(args))) => {
            self::pack::preview::run(args, &load_options(global))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Pack(PackCommand::New(args))) => {
            let path = self::pack::new(args)?;
            let path = path.display();
            let mut out = crate::safe_text::stdout();
            writeln!(out, "Created {path}")?;
            writeln!(out, "Check it with: sysdeck pack check {path}")?;
            writeln!(out, "Study it with: sysdeck --pack {path}")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Pack(PackCommand::Install(args))) => self::pack::share::install(args, global),
        Some(Command::Pack(PackCommand::Update(args))) => self::pack::share::update(args, global),
        Some(Command::Pack(PackCommand::Uninstall(args))) => {
            self::pack::share::uninstall(args, global)
        }
        Some(Command::Pack(PackCommand::Export(args))) => self::pack::share::export(args, global),
        Some(Command::Pack(PackCommand::List(args))) => {
            let lib = Library::load(&load_options(global));
            self::pack::list(args, &lib)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Sim(args)) => {
            self::sim::run(args, &mut crate::safe_text::stdout())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Review(args)) => self::review::run(args, global, clock),
        Some(Command::Cards(args)) => self::cards::run(args, global, clock),
        Some(Command::Quiz(args)) => self::quiz::run(args, global, clock),
        Some(Command::Stats(args)) => {
            self::progress::stats(args, &data_dir(global)?, &load_library(global), clock)
        }
        Some(Command::Plan(args)) => self::plan::run(args, global, clock),
        Some(Command::Optimize(args)) => self::progress::optimize(args, &data_dir(global)?, clock),
        Some(Command::Progress(cmd)) => self::progress::transfer(cmd, &data_dir(global)?, clock),
        Some(Command::Settings(args)) => self::settings::run(args, &data_dir(global)?),
        Some(Command::Import(cmd)) => self::interop::import(cmd, global),
        Some(Command::Export(crate::cli::interop::ExportCommand::Anki(args))) => {
            self::interop::export_anki(args, global, &clock)
        }
        Some(Command::Completions(args)) => {
            self::docs::completions(args, &mut std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man(args)) => {
            self::docs::man(args, &mut std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
