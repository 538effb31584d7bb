//! `stats`, `optimize` and `progress export|import`: the progress store from the command line.
//! The clock and the local time zone are read here, at the edge, and passed into the core.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::atomic_write::write_atomically;
use crate::bounded_read;
use crate::clock::Clock;
use crate::content::Library;
use crate::export::{self, Limits};
use crate::progress::{Exported, ImportReport, ParametersImport, Progress};
use crate::quiz::Readiness;
use crate::quiz::readiness::{ANSWER_SHARE, HALF_LIFE_DAYS, MIN_ANSWERS};
use crate::srs::stats::{DayCount, Group};
use crate::srs::{FitOutcome, Stats, optimize as fit};
use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::cli::progress::{ExportArgs, ImportArgs, OptimizeArgs, ProgressCommand, StatsArgs};

/// `stats --json`: the statistics with each exam pack's readiness beside them.
#[derive(Serialize)]
struct StatsJson<'a> {
    #[serde(flatten)]
    stats: &'a Stats,
    readiness: Vec<PackReadiness<'a>>,
}

/// One pack's readiness and the constants of its definition, so the numbers can be checked.
#[derive(Serialize)]
struct PackReadiness<'a> {
    pack: &'a str,
    #[serde(flatten)]
    readiness: Readiness,
    half_life_days: f64,
    answer_share: f64,
    min_answers_per_domain: usize,
}

pub fn stats(args: &StatsArgs, data_dir: &Path, lib: &Library, clock: Clock) -> Result<ExitCode> {
    let progress = Progress::open_for(data_dir, lib)?;
    let now = clock.now();
    let stats = progress.stats(now)?;
    let readiness = lib
        .packs
        .iter()
        .filter(|p| p.manifest.exam.is_some())
        .map(|p| {
            Ok(PackReadiness {
                pack: p.id(),
                readiness: progress.readiness(p, now)?,
                half_life_days: HALF_LIFE_DAYS,
                answer_share: ANSWER_SHARE,
                min_answers_per_domain: MIN_ANSWERS,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    super::progress_check::print_warnings(&progress);
    let mut out = crate::safe_text::stdout();
    if args.json {
        let json = StatsJson {
            stats: &stats,
            readiness,
        };
        crate::safe_text::write_json(&mut out, &json)?;
    } else {
        write_stats(&mut out, &stats)?;
        write_readiness(&mut out, lib, &readiness)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Each exam pack's readiness, and each domain's, in the app's words.
fn write_readiness(
    out: &mut impl Write,
    lib: &Library,
    packs: &[PackReadiness<'_>],
) -> io::Result<()> {
    let percent = |v: f64| format!("{:.0}%", v * 100.0);
    for p in packs {
        let Some(pack) = lib.pack(p.pack) else {
            continue;
        };
        let r = &p.readiness;
        let headline = match r.overall {
            Some(v) => format!("{} (answers and card recall, by exam weight)", percent(v)),
            None => format!(
                "not enough evidence yet: {MIN_ANSWERS} answers in each domain ({} of {} short)",
                r.short_domains(),
                r.domains.len()
            ),
        };
        writeln!(out, "\nReadiness for {}: {headline}", pack.manifest.name)?;
        for d in &r.domains {
            let name = pack
                .domain(&d.domain)
                .map_or(d.domain.as_str(), |x| &x.name);
            let figure = match d.estimate {
                Some(e) => format!("{:>4}  {} answers", percent(e), d.answers),
                None => format!(
                    "not enough evidence: {} of {MIN_ANSWERS} answers",
                    d.answers
                ),
            };
            let cards = d
                .recall
                .map_or(String::new(), |c| format!(" · cards {}", percent(c)));
            writeln!(out, "  {name:<40}  {figure}{cards}")?;
        }
    }
    Ok(())
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
        crate::words::s(streak.current as usize),
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
            crate::words::s(r.reviews as usize),
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
    writeln!(out, "  ({most} reviews at most in a day; · none)")
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

pub fn optimize(args: &OptimizeArgs, data_dir: &Path, clock: Clock) -> Result<ExitCode> {
    let progress = Progress::open_history(data_dir)?;
    let scheduler = progress.scheduler()?;
    let result = fit(&progress.log()?, scheduler.clock(), scheduler.parameters())
        .context("optimizing FSRS parameters")?;
    if result.outcome == FitOutcome::Improved {
        progress.save_parameters(&result, clock.now())?;
    }
    let mut out = crate::safe_text::stdout();
    if args.json {
        crate::safe_text::write_json(&mut out, &result)?;
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

pub fn transfer(cmd: &ProgressCommand, data_dir: &Path, clock: Clock) -> Result<ExitCode> {
    match cmd {
        ProgressCommand::Export(args) => export(args, data_dir),
        ProgressCommand::Import(args) => import(args, data_dir, clock),
        ProgressCommand::Check(args) => super::progress_check::run(args, data_dir),
    }
}

fn export(args: &ExportArgs, data_dir: &Path) -> Result<ExitCode> {
    let store = Progress::open_history(data_dir)?;
    let progress = store.export()?;
    super::progress_check::print_warnings(&store);
    if args.file == Path::new("-") {
        let mut out = io::stdout().lock();
        export::write(&progress, &mut out).and_then(|()| out.flush())?;
        return Ok(ExitCode::SUCCESS);
    }
    export::check_target(&args.file, &store.path(), args.force)?;
    write_atomically(&args.file, |out| export::write(&progress, out))?;
    writeln!(
        crate::safe_text::stderr(),
        "Exported {} to {}",
        contents(&progress),
        args.file.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// "12 reviews, 2 questions sent to review, 1 quiz attempt, settings and FSRS parameters".
fn contents(p: &Exported) -> String {
    let counted = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    let mut parts = vec![counted(p.reviews.len(), "review", "reviews")];
    if !p.enrolments.is_empty() {
        parts.push(counted(
            p.enrolments.len(),
            "question sent to review",
            "questions sent to review",
        ));
    }
    if !p.attempts.is_empty() {
        parts.push(counted(p.attempts.len(), "quiz attempt", "quiz attempts"));
    }
    if !p.goals.is_empty() {
        parts.push(counted(p.goals.len(), "exam date", "exam dates"));
    }
    if p.settings.is_some() {
        parts.push("settings".into());
    }
    if p.parameters.is_some() {
        parts.push("FSRS parameters".into());
    }
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => parts.join(""),
    }
}

/// Bad lines listed before the import gives up or goes on without them.
const BAD_LINES_SHOWN: usize = 20;

fn import(args: &ImportArgs, data_dir: &Path, clock: Clock) -> Result<ExitCode> {
    let name = args.file.display().to_string();
    let reader: Box<dyn BufRead> = if args.file == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        // Only a regular file: a FIFO or device named here would block or never end.
        let file = bounded_read::open_regular(&args.file)
            .with_context(|| format!("cannot open {name}"))?;
        Box::new(BufReader::new(file))
    };
    let parsed = export::read(reader, Limits::default(), clock.now())
        .with_context(|| format!("cannot import {name}; nothing was imported"))?;
    if !parsed.bad.is_empty() {
        let mut err = crate::safe_text::stderr();
        let prefix = if args.skip_bad { "warning: " } else { "" };
        for bad in parsed.bad.iter().take(BAD_LINES_SHOWN) {
            writeln!(err, "{prefix}{name}:{}: {}", bad.line, bad.problem)?;
        }
        let count = parsed.bad.len();
        if count > BAD_LINES_SHOWN {
            writeln!(
                err,
                "{prefix}... and {} more bad lines",
                count - BAD_LINES_SHOWN
            )?;
        }
        let lines = if count == 1 { "line" } else { "lines" };
        if !args.skip_bad {
            bail!(
                "{name} has {count} bad {lines}; nothing was imported (correct them, or pass \
                 --skip-bad to import the rest)"
            );
        }
        writeln!(err, "warning: skipped {count} bad {lines} of {name}")?;
    }
    let progress = Progress::open_history(data_dir)?;
    let report = progress.import(&parsed.progress)?;
    print_report(&mut crate::safe_text::stdout(), &report, &parsed.progress)?;
    Ok(ExitCode::SUCCESS)
}

fn print_report(out: &mut impl Write, r: &ImportReport, p: &Exported) -> io::Result<()> {
    writeln!(
        out,
        "Imported {} new reviews ({} already here); {} card states replayed.",
        r.reviews_added, r.reviews_present, r.states
    )?;
    if !p.enrolments.is_empty() {
        writeln!(
            out,
            "Questions sent to review: {} new ({} already here).",
            r.enrolments_added, r.enrolments_present
        )?;
    }
    if !p.attempts.is_empty() {
        writeln!(
            out,
            "Quiz attempts: {} new or brought up to date ({} already here).",
            r.attempts_changed, r.attempts_present
        )?;
    }
    if !p.goals.is_empty() {
        writeln!(
            out,
            "Exam dates: {} taken from the file ({} kept, set here on the same day or later).",
            r.goals_taken,
            p.goals.len() - r.goals_taken
        )?;
    }
    if r.settings_replaced {
        writeln!(out, "Settings: replaced by the file's.")?;
    }
    match (r.parameters, &p.parameters) {
        (ParametersImport::Adopted, Some(theirs)) => writeln!(
            out,
            "FSRS parameters: the file's, fitted {}, are now in force.",
            theirs.fitted_at.strftime("%Y-%m-%d %H:%M UTC")
        ),
        (ParametersImport::KeptOurs, _) => writeln!(
            out,
            "FSRS parameters: this machine's stay in force (fitted at the same time or later)."
        ),
        _ => Ok(()),
    }
}
