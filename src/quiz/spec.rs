//! How an attempt runs, as chosen before it starts and saved with it: the mode, the clock and
//! what it is drawn from.

use serde::{Deserialize, Serialize};

use super::partition::PracticeExamRef;
use super::{QuizError, UnixMillis, exam_section};
use crate::content::Pack;

/// What kind of attempt this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    Exam,
    Practice,
    Drill,
}

impl Mode {
    /// Whether each question is marked as soon as it is answered.
    pub fn immediate_feedback(self) -> bool {
        self != Mode::Exam
    }
}

/// The clock of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Timer {
    Untimed,
    /// One countdown for the attempt; at zero it is submitted.
    Total {
        ms: UnixMillis,
    },
    /// A countdown per question; at zero the question is locked as answered so far.
    PerQuestion {
        ms: UnixMillis,
    },
}

/// How an attempt runs; saved with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSpec {
    pub mode: Mode,
    /// The pack the attempt was drawn from, when it was one pack.
    pub pack: Option<String>,
    pub timer: Timer,
    /// On the 100..1000 scale.
    pub pass_score: Option<u32>,
    /// The pack's domain ids in its order, so results list them the way the pack does.
    pub domains: Vec<String>,
    /// The practice exam an exam is; absent for a random draw (and in attempts saved before
    /// practice exams existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practice_exam: Option<PracticeExamRef>,
}

impl SessionSpec {
    /// An exam of the pack, timed by its `[exam]` minutes unless `minutes` overrides them.
    pub fn exam(pack: &Pack, minutes: Option<u32>) -> Result<Self, QuizError> {
        let exam = exam_section(pack)?;
        let minutes = minutes.unwrap_or(exam.minutes);
        Ok(SessionSpec {
            mode: Mode::Exam,
            pack: Some(pack.id().to_string()),
            timer: Timer::Total {
                ms: UnixMillis::from(minutes) * 60_000,
            },
            pass_score: Some(exam.pass_score),
            domains: pack.manifest.domains.iter().map(|d| d.id.clone()).collect(),
            practice_exam: None,
        })
    }

    /// Practice: immediate feedback, untimed or timed per question.
    pub fn practice(pack: Option<&str>, per_question_ms: Option<UnixMillis>) -> Self {
        Self::self_paced(Mode::Practice, pack, per_question_ms)
    }

    /// Drill: like practice, over questions chosen by `select::drill`.
    pub fn drill(pack: Option<&str>, per_question_ms: Option<UnixMillis>) -> Self {
        Self::self_paced(Mode::Drill, pack, per_question_ms)
    }

    fn self_paced(mode: Mode, pack: Option<&str>, per_question_ms: Option<UnixMillis>) -> Self {
        SessionSpec {
            mode,
            pack: pack.map(str::to_string),
            timer: per_question_ms.map_or(Timer::Untimed, |ms| Timer::PerQuestion { ms }),
            pass_score: None,
            domains: Vec::new(),
            practice_exam: None,
        }
    }
}
