//! `sysdeck quiz`: open the app straight on a quiz, and `sysdeck quiz history`.

use crate::content::parse::MAX_PRACTICE_EXAMS;
use clap::{Args, Subcommand, ValueEnum};

use super::{AppArgs, DataDir};

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    long_about = "Open the app on a quiz. An exam draws questions to match the pack's domain \
weights and runs one clock (the pack's minutes unless --minutes says otherwise); practice marks \
each answer at once; drill asks your recent misses first, then your weakest domains. Keys: a-h \
or 1-8 choose, n/p move, m flags, tab shows every question, s submits, enter checks a practice \
answer, esc leaves (an exam is kept to resume).",
    after_help = "--pack-id picks one of the loaded packs by its id (see `sysdeck pack list`); \
--pack PATH instead loads an extra pack folder. An exam left unfinished is offered again \
when the next one of its pack starts."
)]
pub struct QuizArgs {
    #[command(subcommand)]
    pub command: Option<QuizCommand>,

    #[command(flatten)]
    pub start: StartArgs,
}

#[derive(Debug, Subcommand)]
pub enum QuizCommand {
    /// Every attempt with its score, and the score trend per pack
    History(HistoryArgs),
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Print JSON (every attempt with its answers) instead of a table
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub data: DataDir,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// The pack, by id [default: an exam takes the first pack with one; practice and drill
    /// take every pack]
    #[arg(long, value_name = "ID")]
    pub pack_id: Option<String>,

    /// What kind of quiz
    #[arg(long, value_enum, default_value_t = ModeArg::Exam)]
    pub mode: ModeArg,

    /// How many questions [default: the exam's count; 10 for practice and drill]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=500))]
    pub count: Option<u32>,

    /// Exam: take the pack's practice exam N, a fixed set of questions no other practice exam
    /// shares, instead of a random draw
    #[arg(long, value_name = "N", conflicts_with = "count",
          value_parser = clap::value_parser!(u8).range(1..=MAX_PRACTICE_EXAMS))]
    pub practice_exam: Option<u8>,

    /// Exam: minutes for the whole exam [default: the pack's]; practice and drill: minutes per
    /// question [default: untimed]
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub minutes: Option<u32>,

    /// Practice and drill: only this domain's questions (a domain id of the pack)
    #[arg(long, value_name = "DOMAIN")]
    pub domain: Option<String>,

    /// Practice and drill: only this topic's questions: a note id or PACK:NOTE
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,

    /// Practice and drill: only questions of this difficulty
    #[arg(long, value_name = "1-3", value_parser = clap::value_parser!(u8).range(1..=3))]
    pub difficulty: Option<u8>,

    #[command(flatten)]
    pub app: AppArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    Exam,
    Practice,
    Drill,
}
