//! `stats`, `optimize` and `progress export|import`: the progress store from the command line.
//! The clock and the local time zone are read here, at the edge, and passed into the core.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use sysdeck::content::Library;
use sysdeck::srs::stats::{DayCount, Group};
use sysdeck::srs::time::to_millis;
use sysdeck::srs::{Catalog, FitOutcome, ReviewLog, Stats, optimize as fit};
use sysdeck::store::Store;

use crate::cli::progress::{ExportArgs, ImportArgs, OptimizeArgs, ProgressCommand, StatsArgs};

pub fn stats(args: &StatsArgs, data_dir: &Path, lib: &Library) -> Result<ExitCode> {
    let store = Store::open_in(data_dir)?;
    let stats = store.stats(
        &Catalog::from_library(lib),
        TimeZone::system(),
        Timestamp::now(),
    )?;
    super::progress_check::print_warnings(&store);
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        write_stats(&mut out, &stats)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_stats(out: &mut impl Write, s: &Stats) -> io::Result<()> {
    let c = &s.states;
    writeln!(out, "Progress on {}", s.today)?;
    writeln!(
        out,
        "  Cards      {} new, {} learning, {} review ({} mature), {} relearning",
        c.new, c.learning, c.review, c.mature, c.relearning
    )?;
    let streak = &s.streak;
    writeln!(
        out,
        "  Reviews    {} in all; streak {} day{} (longest {}){}",
        s.total_reviews,
        streak.current,
        plural(streak.current),
        streak.longest,
        if streak.reviewed_today {
            ""
        } else {
            "; none yet today"
        }
    )?;
    let r = &s.retention;
    match r.rate {
        Some(rate) => writeln!(
            out,
            "  Retention  {:.1}% of {} review{} recalled in the last {} days",
            rate * 100.0,
            r.reviews,
            plural(r.reviews),
            r.days
        )?,
        None => writeln!(out, "  Retention  no reviews in the last {} days", r.days)?,
    }

    writeln!(out, "\nDue in the next {} days", s.forecast.len())?;
    let most = s.forecast.iter().map(|d| d.count).max().unwrap_or(0).max(1);
    for d in &s.forecast {
        let bar = "█".repeat((d.count as usize * 40).div_ceil(most as usize));
        writeln!(
            out,
            "  {}  {:>5}  {bar}",
            d.date.strftime("%a %b %d"),
            d.count
        )?;
    }

    writeln!(
        out,
        "\nReviews per day, last {} weeks (columns are weeks)",
        s.heatmap.len().div_ceil(7)
    )?;
    write_heatmap(out, &s.heatmap)?;

    for (title, groups) in [
        ("pack", &s.mastery.packs),
        ("domain", &s.mastery.domains),
        ("topic", &s.mastery.topics),
    ] {
        if !groups.is_empty() {
            writeln!(out, "\nMastery by {title}")?;
            write_groups(out, groups)?;
        }
    }
    Ok(())
}

/// Seven rows (Monday to Sunday), one column per week, shaded by quartile of the busiest day.
fn write_heatmap(out: &mut impl Write, days: &[DayCount]) -> io::Result<()> {
    const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];
    let most = days.iter().map(|d| d.count).max().unwrap_or(0);
    for (row, name) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .enumerate()
    {
        let cells: String = days
            .iter()
            .skip(row)
            .step_by(7)
            .map(|d| match d.count {
                0 => SHADES[0],
                n => SHADES[1 + ((n * 4 - 1) / most.max(1)).min(3) as usize],
            })
            .collect();
        writeln!(out, "  {name}  {cells}")?;
    }
    writeln!(out, "  ({} reviews at most in a day; · none)", most)
}

fn write_groups(out: &mut impl Write, groups: &[Group]) -> io::Result<()> {
    let width = groups
        .iter()
        .map(|g| g.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    for g in groups {
        let name: String = g.name.chars().take(width).collect();
        writeln!(
            out,
            "  {name:<width$}  {:>5.1}%   {:>5}/{:<5} started  {:>5} mature",
            g.mastery * 100.0,
            g.started,
            g.items,
            g.mature
        )?;
    }
    Ok(())
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub fn optimize(args: &OptimizeArgs, data_dir: &Path) -> Result<ExitCode> {
    let mut store = Store::open_in(data_dir)?;
    let tz = TimeZone::system();
    let scheduler = store.scheduler(tz.clone())?;
    let result = fit(&store.log()?, scheduler.clock(), scheduler.parameters())
        .context("optimizing FSRS parameters")?;
    if result.outcome == FitOutcome::Improved {
        store.save_parameters(&result, Timestamp::now())?;
        store.rebuild(&store.scheduler(tz)?)?;
    }
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &result)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let FitOutcome::NotEnoughData { have, need } = result.outcome {
        writeln!(
            out,
            "Not enough history to fit your own parameters yet: {have} of {need} usable reviews, \
             {} more needed.\nA review is usable when it comes on a later day than the card's \
             previous one. Keeping the current parameters.",
            need - have
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "Fitted to {} reviews.", result.items)?;
    writeln!(out, "            log loss      RMSE")?;
    for (label, e) in [("before", result.before), ("after", result.after)] {
        if let Some(e) = e {
            writeln!(out, "  {label:<8}  {:>8.4}  {:>8.4}", e.log_loss, e.rmse)?;
        }
    }
    let verdict = match result.outcome {
        FitOutcome::Improved => "Saved the new parameters and replayed every card state with them.",
        _ => "The fit predicts no better than the current parameters, so they stay.",
    };
    writeln!(out, "{verdict}")?;
    Ok(ExitCode::SUCCESS)
}

pub fn transfer(cmd: &ProgressCommand, data_dir: &Path) -> Result<ExitCode> {
    match cmd {
        ProgressCommand::Export(args) => export(args, data_dir),
        ProgressCommand::Import(args) => import(args, data_dir),
        ProgressCommand::Check(args) => super::progress_check::run(args, data_dir),
    }
}

fn export(args: &ExportArgs, data_dir: &Path) -> Result<ExitCode> {
    let store = Store::open_in(data_dir)?;
    let log = store.log()?;
    super::progress_check::print_warnings(&store);
    let write = |w: &mut dyn Write| -> io::Result<()> {
        for row in &log {
            serde_json::to_writer(&mut *w, row)?;
            writeln!(w)?;
        }
        w.flush()
    };
    if args.file == Path::new("-") {
        write(&mut io::stdout().lock())?;
    } else {
        let file = File::create(&args.file)
            .with_context(|| format!("cannot create {}", args.file.display()))?;
        write(&mut BufWriter::new(file))
            .with_context(|| format!("writing {}", args.file.display()))?;
        eprintln!("Exported {} reviews to {}", log.len(), args.file.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn import(args: &ImportArgs, data_dir: &Path) -> Result<ExitCode> {
    let name = args.file.display().to_string();
    let reader: Box<dyn BufRead> = if args.file == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        let file = File::open(&args.file).with_context(|| format!("cannot open {name}"))?;
        Box::new(BufReader::new(file))
    };
    let rows = parse_log(reader, &name)?;
    let mut store = Store::open_in(data_dir)?;
    let scheduler = store.scheduler(TimeZone::system())?;
    let report = store.import(&rows, &scheduler)?;
    println!(
        "Imported {} new reviews ({} already here); {} card states replayed.",
        report.added, report.present, report.states
    );
    Ok(ExitCode::SUCCESS)
}

/// Reads JSON lines of review-log rows; blank lines are skipped, and any bad line refuses the
/// whole file, naming the line.
fn parse_log(reader: impl BufRead, name: &str) -> Result<Vec<ReviewLog>> {
    let mut rows = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("reading {name}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let mut row: ReviewLog = match serde_json::from_str(&line) {
            Ok(r) => r,
            Err(e) => bail!(
                "{name}:{}: not a review-log row ({e}); nothing was imported",
                i + 1
            ),
        };
        if !row.item.as_str().contains('/') {
            bail!(
                "{name}:{}: item `{}` is not a `pack/item` key; nothing was imported",
                i + 1,
                row.item
            );
        }
        row.at = to_millis(row.at);
        rows.push(row);
    }
    Ok(rows)
}
