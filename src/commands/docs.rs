//! `sysdeck completions SHELL` and `sysdeck man [--out DIR]`, generated from the command
//! definitions so they never drift from `--help`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_mangen::Man;

use crate::cli::Cli;
use crate::cli::docs::{CompletionsArgs, ManArgs};

/// Writes the completion script for the shell to `out`.
pub fn completions(args: &CompletionsArgs, out: &mut dyn Write) -> Result<()> {
    // Rendered whole first: the generators panic on a failed write, and a closed pipe
    // (`sysdeck completions zsh | head`) must end quietly instead.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "sysdeck", &mut script);
    out.write_all(&script)?;
    Ok(())
}

/// Prints the main page, or writes one page per command into `--out` and lists them.
pub fn man(args: &ManArgs, out: &mut dyn Write) -> Result<()> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let Some(dir) = &args.out else {
        page(root).render(out)?;
        return Ok(());
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    write_pages(root, dir, &mut written)?;
    for path in written {
        writeln!(out, "Wrote {}", path.display())?;
    }
    Ok(())
}

/// The page of one command, titled in capitals as man pages are (`SYSDECK-PACK-NEW`), and
/// from this version of sysdeck (a subcommand has no version of its own).
fn page(cmd: clap::Command) -> Man {
    let title = cmd
        .get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_uppercase();
    Man::new(cmd)
        .title(title)
        .source(concat!("sysdeck ", env!("CARGO_PKG_VERSION")))
        .manual("sysdeck manual")
}

fn write_pages(cmd: clap::Command, dir: &Path, written: &mut Vec<PathBuf>) -> Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub.clone(), dir, written)?;
    }
    let path = page(cmd)
        .generate_to(dir)
        .with_context(|| format!("cannot write a manual page into {}", dir.display()))?;
    written.push(path);
    Ok(())
}
