//! Exam, practice and drill sessions as a pure state machine.
//!
//! Nothing here touches a terminal, a database, the clock or a random source: the screens feed
//! [`session::Action`]s in with the current time and carry out the [`session::Effect`]s that come
//! back (save the attempt, show feedback, show results). That keeps every exam reproducible from
//! its seed and every timer testable with a hand-made clock.
//!
//! Time is [`UnixMillis`]: the crate has no wall-clock type yet, and milliseconds since the Unix
//! epoch are what SQLite stores as an integer and what the shell gets from `SystemTime` without
//! a conversion library.
//!
//! - [`blueprint`]: how many questions each domain gets (largest remainder, shortfalls).
//! - [`history`] and [`select`]: which questions, in what order, for exam / practice / drill.
//! - [`partition`]: the pack's questions cut into fixed, disjoint practice exams.
//! - [`session`] and [`view`]: the state machine and what its screens draw.
//! - [`score`]: all-or-nothing marking and the 100..1000 scale.
//! - [`snapshot`]: the serializable attempt, for saving, resuming and history.
//! - [`plan`]: what a quiz is asked for and how that becomes a session; [`label`]: names.
//! - [`readiness`]: the one definition of exam readiness, from quiz answers and card recall.

pub mod blueprint;
pub mod history;
pub mod label;
pub mod partition;
pub mod plan;
pub mod readiness;
pub mod score;
pub mod select;
pub mod session;
pub mod snapshot;
pub mod spec;
pub mod view;

#[cfg(test)]
mod fixture;
mod seeded;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::content::{Exam, Pack, Question};
use crate::sim::ask::LabSetup;

pub use blueprint::{Blueprint, DomainPlan, DomainSupply, Shortfall};
pub use history::{History, PastAnswer};
pub use partition::{PracticeExamRef, PracticeExams};
pub use readiness::{CardRecall, DomainAnswer, DomainReadiness, DomainWeight, Readiness};
pub use score::{AnswerRecord, DomainScore, Score};
pub use select::{ExamDraw, Filter};
pub use session::{Action, Effect, Feedback, Outcome, Phase, QuizSession};
pub use snapshot::{AnswerState, AttemptSnapshot};
pub use spec::{Mode, SessionSpec, Timer};
pub use view::{AnswerStatus, Confirmation, NavCell, QuestionView, ReviewFilter};

/// Milliseconds since the Unix epoch; also used for spans of time (`*_ms` fields).
pub type UnixMillis = i64;

/// What went wrong building or resuming a quiz.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QuizError {
    #[error("pack `{pack}` has no [exam] section, so it has no exam mode")]
    NoExam { pack: String },
    #[error("no questions match, so there is nothing to quiz on")]
    NoQuestions,
    #[error(
        "pack `{pack}` has too few questions in some domain for one complete practice exam; \
         a random exam still works"
    )]
    NoPracticeExams { pack: String },
    #[error(
        "pack `{pack}` has {}; there is no practice exam {number}",
        practice_exams(*count)
    )]
    NoSuchPracticeExam {
        pack: String,
        number: u8,
        count: usize,
    },
    #[error("question `{key}` of the saved attempt is no longer in the loaded packs")]
    MissingQuestion { key: QuestionKey },
    #[error("`{text}` is not a question key (expected `pack/question-id`)")]
    BadKey { text: String },
}

/// "practice exams 1 to 6", or "only practice exam 1".
fn practice_exams(count: usize) -> String {
    match count {
        1 => "only practice exam 1".to_string(),
        n => format!("practice exams 1 to {n}"),
    }
}

/// The pack's `[exam]` section: drawing an exam and timing one both refuse a pack without it.
fn exam_section(pack: &Pack) -> Result<&Exam, QuizError> {
    pack.manifest
        .exam
        .as_ref()
        .ok_or_else(|| QuizError::NoExam {
            pack: pack.id().to_string(),
        })
}

/// A question's identity across packs, `pack/id`, the form progress is keyed by.
///
/// Serialized as that one string so saved attempts stay readable and a store can index it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct QuestionKey {
    pub pack: String,
    pub id: String,
}

impl QuestionKey {
    pub fn new(pack: &str, id: &str) -> Self {
        QuestionKey {
            pack: pack.to_string(),
            id: id.to_string(),
        }
    }
}

impl fmt::Display for QuestionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.pack, self.id)
    }
}

impl FromStr for QuestionKey {
    type Err = QuizError;

    fn from_str(text: &str) -> Result<Self, QuizError> {
        match text.split_once('/') {
            Some((pack, id)) if !pack.is_empty() && !id.is_empty() => {
                Ok(QuestionKey::new(pack, id))
            }
            _ => Err(QuizError::BadKey {
                text: text.to_string(),
            }),
        }
    }
}

impl From<QuestionKey> for String {
    fn from(key: QuestionKey) -> String {
        key.to_string()
    }
}

impl TryFrom<String> for QuestionKey {
    type Error = QuizError;

    fn try_from(text: String) -> Result<Self, QuizError> {
        text.parse()
    }
}

/// A question taken into a quiz, with the key its answers are stored under.
///
/// The session owns a copy so it does not borrow the library while a screen holds it; a quiz
/// is at most a few hundred questions.
#[derive(Debug, Clone)]
pub struct QuizItem {
    pub key: QuestionKey,
    /// For a lab question, as the attempt's seed made it (see [`QuizItem::generated`]).
    pub question: Question,
    /// The lab configuration behind a lab question's numbers, to open the lab on.
    pub setup: Option<LabSetup>,
}

impl QuizItem {
    pub fn new(pack: &Pack, question: &Question) -> Self {
        QuizItem {
            key: QuestionKey::new(pack.id(), &question.id),
            question: question.clone(),
            setup: None,
        }
    }

    /// A lab question made with the numbers the attempt seed `seed` draws for it; any other
    /// question as it is.
    pub fn generated(self, seed: u64) -> Self {
        match self.question.generated(seeded::lab_seed(seed, &self.key)) {
            Some((question, setup)) => QuizItem {
                question,
                setup: Some(setup),
                ..self
            },
            None => self,
        }
    }

    /// Finds the question a key names among the loaded packs.
    pub fn find(packs: &[Pack], key: &QuestionKey) -> Result<Self, QuizError> {
        packs
            .iter()
            .filter(|p| p.id() == key.pack)
            .flat_map(|p| p.questions.iter().map(move |q| (p, q)))
            .find(|(_, q)| q.id == key.id)
            .map(|(p, q)| QuizItem::new(p, q))
            .ok_or_else(|| QuizError::MissingQuestion { key: key.clone() })
    }

    pub fn domain(&self) -> Option<&str> {
        self.question.domain.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_as_one_string() {
        let key = QuestionKey::new("aws-saa", "q-dr-pilot-light");
        let json = serde_json::to_string(&key).unwrap();
        assert_eq!(json, "\"aws-saa/q-dr-pilot-light\"");
        assert_eq!(serde_json::from_str::<QuestionKey>(&json).unwrap(), key);
        assert!(matches!(
            "no-slash".parse::<QuestionKey>(),
            Err(QuizError::BadKey { .. })
        ));
        assert!("/id".parse::<QuestionKey>().is_err());
    }
}
