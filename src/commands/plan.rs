//! `sysdeck plan`: sets, shows or removes an exam goal, and prints its plan.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::cli::GlobalArgs;
use crate::cli::plan::PlanArgs;
use crate::clock::Clock;
use crate::progress::exam_words::{Said, day_name, percent, shortfall_words};
use crate::progress::{ExamPlan, Progress};
use crate::srs::planner::{DEFAULT_MINUTES, DEFAULT_TARGET};

pub fn run(args: &PlanArgs, global: &GlobalArgs, clock: Clock) -> Result<ExitCode> {
    let library = super::load_library(global);
    let progress = super::open_progress(global, &library)?;
    let now = clock.now();
    let pack = exam_pack(args.exam.as_deref(), &progress)?;
    let mut out = crate::safe_text::stdout();
    if args.clear {
        let removed = progress.clear_exam_goal(&pack)?;
        let said = if removed {
            format!("Removed the exam date of {pack}; the daily limits apply again.")
        } else {
            format!("{pack} had no exam date.")
        };
        writeln!(out, "{said}")?;
        return Ok(ExitCode::SUCCESS);
    }
    let plan = match args.date {
        Some(date) => {
            let before = progress.exam_goal(&pack)?;
            let target = args
                .target
                .or(before.as_ref().map(|g| g.target))
                .unwrap_or(DEFAULT_TARGET);
            let minutes = args
                .minutes
                .or(before.as_ref().map(|g| g.minutes))
                .unwrap_or(DEFAULT_MINUTES);
            progress
                .set_exam_goal(&pack, date, target, minutes, now)
                .with_context(|| format!("cannot plan for {date}"))?
        }
        None => match progress.exam_plan(&pack, now)? {
            Some(plan) => plan,
            None => {
                let mut err = crate::safe_text::stderr();
                writeln!(
                    err,
                    "No exam date is set for {pack}. Set one: sysdeck plan --exam {pack} --date YYYY-MM-DD"
                )?;
                return Ok(ExitCode::FAILURE);
            }
        },
    };
    super::progress_check::print_warnings(&progress);
    if args.json {
        crate::safe_text::write_json(&mut out, &*plan)?;
    } else {
        write_plan(&mut out, &plan, args.days as usize)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The pack asked for, which must be loaded and have an exam; without one, the only such pack.
fn exam_pack(asked: Option<&str>, progress: &Progress) -> Result<String> {
    let blueprints = progress.catalog().blueprints();
    if let Some(id) = asked {
        if progress.catalog().blueprint(id).is_none() {
            let have: Vec<&str> = blueprints.iter().map(|b| b.pack.as_str()).collect();
            bail!(
                "no loaded pack {id} has an [exam] (packs with one: {})",
                if have.is_empty() {
                    "none".to_string()
                } else {
                    have.join(", ")
                }
            );
        }
        return Ok(id.to_string());
    }
    match blueprints {
        [one] => Ok(one.pack.clone()),
        [] => bail!("no loaded pack has an [exam] to plan for"),
        many => {
            let ids: Vec<&str> = many.iter().map(|b| b.pack.as_str()).collect();
            bail!(
                "several packs have an exam ({}); choose one with --exam PACK",
                ids.join(", ")
            )
        }
    }
}

/// The plan in words: the goal, today's work, each domain, the practice exams, what falls
/// short and the next days.
pub fn write_plan(out: &mut impl Write, plan: &ExamPlan, rows: usize) -> std::io::Result<()> {
    let p = &plan.plan;
    let g = &plan.goal;
    writeln!(
        out,
        "Exam plan: {} ({}) on {}, {} day{} away",
        plan.exam_name,
        g.pack,
        day_name(g.exam),
        p.days_left,
        if p.days_left == 1 { "" } else { "s" }
    )?;
    writeln!(
        out,
        "Target: {} expected recall in every domain on exam day · {} min a day",
        percent(g.target),
        g.minutes
    )?;
    writeln!(
        out,
        "Readiness now {}, forecast on exam day {} (weighted by the blueprint)",
        percent(p.now),
        percent(p.on_exam_day)
    )?;
    if let Some(today) = p.today() {
        let new: f64 = today.new.iter().sum();
        writeln!(
            out,
            "Today: {:.0} new · about {:.0} reviews · about {:.0} min{}",
            new,
            today.reviews,
            today.minutes,
            if plan.practice_today() {
                " · practice exam day"
            } else {
                ""
            }
        )?;
    }
    writeln!(out)?;
    let name_width = p
        .domains
        .iter()
        .map(|d| d.name.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    writeln!(
        out,
        "{:<name_width$}  weight  cards  new left  new/day   now  exam day",
        "Domain"
    )?;
    for d in &p.domains {
        writeln!(
            out,
            "{:<name_width$}  {:>6}  {:>5}  {:>8}  {:>7}  {:>4}  {:>8} {}",
            d.name,
            percent(d.weight),
            d.cards,
            d.new_left,
            d.new_per_day,
            percent(d.now),
            percent(d.on_exam_day),
            if d.reaches_target { "ok" } else { "short" }
        )?;
    }
    let practice: Vec<String> = plan
        .practice
        .iter()
        .map(|d| {
            let mark = if *d < plan.today { " (past)" } else { "" };
            format!("{}{mark}", day_name(*d))
        })
        .collect();
    if !practice.is_empty() {
        writeln!(
            out,
            "\nPractice exams (sysdeck quiz --mode exam): {}",
            practice.join(", ")
        )?;
    }
    for s in &p.shortfalls {
        writeln!(out, "\nwarning: {}", shortfall_words(s, plan, Said::Cli))?;
    }
    if rows > 0 {
        writeln!(out, "\nDay              new  reviews  minutes  readiness")?;
        for d in p.days.iter().take(rows) {
            let day = crate::srs::time::add_days(plan.today, d.day);
            writeln!(
                out,
                "{:<15} {:>4.0}  {:>7.0}  {:>7.0}  {:>9}",
                day_name(day),
                d.new.iter().sum::<f64>(),
                d.reviews,
                d.minutes,
                percent(d.readiness)
            )?;
        }
    }
    Ok(())
}
