//! The `sysdeck` binary: parse the command line, load packs, hand over to a command.

mod cli;
mod commands;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use sysdeck::clock::Clock;
use sysdeck::content::{Library, LoadOptions};

use cli::{Cli, Command, GlobalArgs, PackCommand};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // The reader went away (`sysdeck stats | head -1`): stop quietly, as other tools do;
        // stderr may be the same closed pipe.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(sysdeck::safe_text::stderr(), "error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The data directory: the flag or environment variable, else the platform default.
fn data_dir(global: &GlobalArgs) -> Result<PathBuf> {
    global
        .data_dir
        .clone()
        .or_else(sysdeck::paths::default_data_dir)
        .context("cannot find a home directory for sysdeck's data; pass --data-dir PATH or set SYSDECK_DATA_DIR")
}

/// The progress database in the data directory; a file that cannot be used stops the program
/// with the store's message, and is left as it was.
fn open_store(global: &GlobalArgs) -> Result<sysdeck::store::Store> {
    Ok(sysdeck::store::Store::open_in(&data_dir(global)?)?)
}

fn load_options(global: &GlobalArgs) -> LoadOptions {
    LoadOptions {
        builtin: !global.no_builtin,
        user_dir: data_dir(global).ok().map(|d| d.join("packs")),
        extra: global.packs.clone(),
    }
}

/// Loads every pack and tells the user, on stderr, about any that have errors.
fn load_library(global: &GlobalArgs) -> Library {
    let lib = Library::load(&load_options(global));
    let mut err = sysdeck::safe_text::stderr();
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
    lib
}

fn run(cli: Cli) -> Result<ExitCode> {
    let global = &cli.global;
    let clock = Clock::from_start(global.now);
    match &cli.command {
        None => {
            let store = open_store(global)?;
            commands::app::run(global, load_library(global), store, clock)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Snapshot(args)) => {
            let store = open_store(global)?;
            commands::app::snapshot(args, load_library(global), store, clock)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Pack(PackCommand::Check(args))) => {
            let data = data_dir(global).ok();
            let sources = commands::pack::Sources {
                opts: &load_options(global),
                data_dir: data.as_deref(),
            };
            match commands::pack::check::check(args, &sources, global.watch)? {
                commands::pack::Outcome::Clean => Ok(ExitCode::SUCCESS),
                commands::pack::Outcome::Failed => Ok(ExitCode::FAILURE),
            }
        }
        Some(Command::Pack(PackCommand::Ids(args))) => {
            commands::pack::ids::run(args, &load_options(global))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Pack(PackCommand::Preview(args))) => {
            commands::pack::preview::run(args, &load_options(global))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Pack(PackCommand::New(args))) => {
            let path = commands::pack::new(args)?;
            let path = path.display();
            let mut out = sysdeck::safe_text::stdout();
            writeln!(out, "Created {path}")?;
            writeln!(out, "Check it with: sysdeck pack check {path}")?;
            writeln!(out, "Study it with: sysdeck --pack {path}")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Pack(PackCommand::List(args))) => {
            let lib = Library::load(&load_options(global));
            commands::pack::list(args, &lib)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Sim(args)) => {
            commands::sim::run(args, &mut sysdeck::safe_text::stdout())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Review(args)) => commands::review::run(args, global, clock),
        Some(Command::Quiz(args)) => commands::quiz::run(args, global, clock),
        Some(Command::Stats(args)) => {
            commands::progress::stats(args, &data_dir(global)?, &load_library(global), clock)
        }
        Some(Command::Optimize(args)) => {
            commands::progress::optimize(args, &data_dir(global)?, clock)
        }
        Some(Command::Progress(cmd)) => {
            commands::progress::transfer(cmd, &data_dir(global)?, clock)
        }
        Some(Command::Settings(args)) => commands::settings::run(args, &data_dir(global)?),
    }
}
