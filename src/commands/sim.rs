//! `sysdeck sim`: runs a simulation from the core and prints the numbers that explain it, each
//! beside the figure theory expects, as an aligned report or as JSON.

mod balancer;
mod cache;
mod limiter;
mod quorum;
mod ring;

use std::io::Write;

use anyhow::Result;

use crate::cli::sim::{SimArgs, SimCommand};

/// Runs `sysdeck sim ring`, `limiter`, `cache`, `quorum` or `balancer`, writing the report to `out`.
pub fn run(args: &SimArgs, out: &mut dyn Write) -> Result<()> {
    match &args.command {
        SimCommand::Ring(args) => ring::run(args, out),
        SimCommand::Limiter(args) => limiter::run(args, out),
        SimCommand::Cache(args) => cache::run(args, out),
        SimCommand::Quorum(args) => quorum::run(args, out),
        SimCommand::Balancer(args) => balancer::run(args, out),
    }
}

/// Writes `report` as pretty JSON, or as text with `write_text`.
fn emit<T: serde::Serialize>(
    report: &T,
    json: bool,
    out: &mut dyn Write,
    write_text: impl FnOnce(&T, &mut dyn Write) -> Result<()>,
) -> Result<()> {
    if json {
        crate::safe_text::write_json(&mut *out, report)?;
        Ok(())
    } else {
        write_text(report, out)
    }
}

// Report layout: a label, the measured figure, the expected one, and a note on where the
// expectation comes from.

const LABEL: usize = 34;
const COLUMN: usize = 14;

/// A section title over the measured and expected columns.
fn heading(out: &mut dyn Write, title: &str) -> Result<()> {
    let width = LABEL + 2;
    writeln!(
        out,
        "{title:<width$}{:>COLUMN$}{:>COLUMN$}",
        "measured", "expected"
    )?;
    Ok(())
}

fn row(out: &mut dyn Write, label: &str, measured: &str, expected: &str, note: &str) -> Result<()> {
    let line = format!("  {label:<LABEL$}{measured:>COLUMN$}{expected:>COLUMN$}  {note}");
    writeln!(out, "{}", line.trim_end())?;
    Ok(())
}

fn optional<T>(value: Option<T>, show: impl FnOnce(T) -> String) -> String {
    value.map(show).unwrap_or_default()
}

fn percent(share: f64) -> String {
    format!("{:.2}%", 100.0 * share)
}
