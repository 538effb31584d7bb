//! `sysdeck quiz`: checks the options by building the quiz once, then opens the app on it;
//! `sysdeck quiz history`: every attempt as a table or JSON. The clock and time zone are read
//! here, at the edge.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use crate::clock::Clock;
use crate::content::Library;
use crate::progress::{AttemptRecord, Progress};
use crate::quiz::label::{attempt_label, clock};
use crate::quiz::plan::{QuizOptions, QuizStart};
use crate::quiz::plan::{plan, seed_from};
use crate::quiz::{History, Mode, PracticeExamRef, Score, UnixMillis};
use crate::tui::nav::Nav;
use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::cli::GlobalArgs;
use crate::cli::quiz::{HistoryArgs, ModeArg, QuizArgs, QuizCommand, StartArgs};

pub fn run(args: &QuizArgs, global: &GlobalArgs, clock: Clock) -> Result<ExitCode> {
    match &args.command {
        Some(QuizCommand::History(h)) => history(h, global),
        None => start(&args.start, global, clock),
    }
}

fn start(args: &StartArgs, global: &GlobalArgs, clock: Clock) -> Result<ExitCode> {
    let (library, pending) = crate::commands::load_library_for_app(global);
    let options = options(args, &library)?;
    let store = crate::commands::open_progress(global, &library)?;
    // Build it once here, so a filter that matches nothing is an error on the command line
    // rather than a message inside the app.
    let history = History::new(store.past_answers()?);
    let now = clock.now();
    plan(
        &library,
        &history,
        &options,
        seed_from(now),
        now.as_millisecond(),
    )?;
    let start = Nav::Quiz(QuizStart::New(options));
    super::app::run_at(global, library, pending, store, clock, Some(start))?;
    Ok(ExitCode::SUCCESS)
}

/// The options as the quiz screens take them; a pack or domain that is not loaded is refused
/// with the ids that are.
fn options(args: &StartArgs, library: &Library) -> Result<QuizOptions> {
    let mode = match args.mode {
        ModeArg::Exam => Mode::Exam,
        ModeArg::Practice => Mode::Practice,
        ModeArg::Drill => Mode::Drill,
    };
    if args.practice_exam.is_some() && mode != Mode::Exam {
        bail!("--practice-exam takes an exam; leave out --mode or give --mode exam");
    }
    if let Some(id) = &args.pack_id
        && library.pack(id).is_none()
    {
        let ids: Vec<&str> = library
            .packs
            .iter()
            .map(super::super::content::Pack::id)
            .collect();
        bail!(
            "no loaded pack has the id `{id}`; the loaded packs are: {}",
            list(&ids)
        );
    }
    if let (Some(domain), Some(pack)) = (&args.domain, args.pack_id.as_deref()) {
        let pack = library.pack(pack).context("the pack was just found")?;
        if pack.domain(domain).is_none() {
            let ids: Vec<&str> = pack
                .manifest
                .domains
                .iter()
                .map(|d| d.id.as_str())
                .collect();
            bail!(
                "pack `{}` has no domain `{domain}`; its domains are: {}",
                pack.id(),
                list(&ids)
            );
        }
    }
    let minute_ms = UnixMillis::from(args.minutes.unwrap_or_default()) * 60_000;
    Ok(QuizOptions {
        count: args.count.map(|n| n as usize),
        limit_ms: args.minutes.map(|_| minute_ms),
        domain: args.domain.clone(),
        topic: args.topic.clone(),
        difficulty: args.difficulty,
        practice_exam: args.practice_exam,
        ..QuizOptions::new(args.pack_id.clone(), mode)
    })
}

fn list(ids: &[&str]) -> String {
    if ids.is_empty() {
        "none".to_string()
    } else {
        ids.join(", ")
    }
}

/// One attempt as `quiz history --json` prints it.
#[derive(Serialize)]
struct AttemptJson<'a> {
    id: i64,
    mode: Mode,
    pack: Option<&'a str>,
    /// Which practice exam, and of how many; absent for a random exam.
    #[serde(skip_serializing_if = "Option::is_none")]
    practice_exam: Option<PracticeExamRef>,
    seed: u64,
    started_at: Timestamp,
    finished_at: Option<Timestamp>,
    used_ms: UnixMillis,
    questions: usize,
    score: Option<&'a Score>,
    passed: Option<bool>,
    answers: Vec<AnswerJson>,
}

#[derive(Serialize)]
struct AnswerJson {
    question: String,
    /// The pack's choice indexes, from 0.
    chosen: Vec<usize>,
    correct: bool,
    time_ms: UnixMillis,
    answered_at: Timestamp,
}

fn history(args: &HistoryArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let store = Progress::open_history(&crate::commands::data_dir(global)?)?;
    let attempts = store.attempts()?;
    let mut out = crate::safe_text::stdout();
    if args.json {
        let rows = attempts
            .iter()
            .map(|a| to_json(&store, a))
            .collect::<Result<Vec<_>>>()?;
        crate::safe_text::write_json(&mut out, &rows)?;
    } else {
        write_table(&mut out, &attempts, &TimeZone::system())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn to_json<'a>(store: &Progress, a: &'a AttemptRecord) -> Result<AttemptJson<'a>> {
    let answers = store
        .attempt_answers(a.id)?
        .into_iter()
        .map(|r| {
            Ok(AnswerJson {
                question: r.key.to_string(),
                chosen: r.chosen,
                correct: r.correct,
                time_ms: r.time_ms,
                answered_at: timestamp(r.answered_at)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(AttemptJson {
        id: a.id,
        mode: a.mode,
        pack: a.pack.as_deref(),
        practice_exam: a.practice_exam,
        seed: a.seed,
        started_at: timestamp(a.started_at)?,
        finished_at: a.finished_at.map(timestamp).transpose()?,
        used_ms: a.used_ms,
        questions: a.questions,
        score: a.score.as_ref(),
        passed: a.score.as_ref().and_then(Score::passed),
        answers,
    })
}

fn timestamp(ms: UnixMillis) -> Result<Timestamp> {
    Timestamp::from_millisecond(ms).with_context(|| format!("{ms} is not a time"))
}

fn write_table(out: &mut impl Write, attempts: &[AttemptRecord], tz: &TimeZone) -> Result<()> {
    if attempts.is_empty() {
        writeln!(out, "No quiz attempts yet. Start one with `sysdeck quiz`.")?;
        return Ok(());
    }
    let kinds: Vec<String> = attempts
        .iter()
        .map(|a| attempt_label(a.mode, a.practice_exam))
        .collect();
    let kind_w = kinds.iter().map(String::len).max().unwrap_or(0).max(8);
    writeln!(
        out,
        "{:<16}  {:<kind_w$}  {:<20}  {:>5}  {:<6}  {:>7}  {:>7}",
        "Started", "Mode", "Pack", "Score", "Result", "Right", "Time"
    )?;
    for (a, kind) in attempts.iter().zip(&kinds) {
        let when = tz
            .to_datetime(timestamp(a.started_at)?)
            .strftime("%Y-%m-%d %H:%M")
            .to_string();
        let pack = a.pack.as_deref().unwrap_or("(all packs)");
        let (scaled, result, right) = match &a.score {
            Some(s) => (
                s.scaled.to_string(),
                match s.passed() {
                    Some(true) => "pass",
                    Some(false) => "fail",
                    None => "-",
                },
                format!("{}/{}", s.correct, s.total),
            ),
            None => ("-".into(), "open", format!("-/{}", a.questions)),
        };
        writeln!(
            out,
            "{when:<16}  {kind:<kind_w$}  {pack:<20}  {scaled:>5}  {result:<6}  {right:>7}  {:>7}",
            clock(a.used_ms)
        )?;
    }
    write_trends(out, attempts)
}

/// Per pack, the exam scores in order: the trend in numbers.
fn write_trends(out: &mut impl Write, attempts: &[AttemptRecord]) -> Result<()> {
    let mut exams: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for a in attempts.iter().filter(|a| a.mode == Mode::Exam) {
        if let (Some(pack), Some(score)) = (a.pack.as_deref(), &a.score) {
            exams.entry(pack).or_default().push(score.scaled);
        }
    }
    if exams.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nExam scores per pack, oldest first")?;
    for (pack, scores) in exams {
        let best = scores.iter().max().copied().unwrap_or_default();
        let trend: Vec<String> = scores.iter().map(u32::to_string).collect();
        writeln!(out, "  {pack:<20}  {}  (best {best})", trend.join(" → "))?;
    }
    Ok(())
}
