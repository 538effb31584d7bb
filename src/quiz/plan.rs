//! What a quiz is asked for (pack, mode, filters, length, time) and how that becomes a session:
//! the questions drawn against the learner's history with a seed from the app's clock.

use thiserror::Error;

use crate::content::{Library, NoteRef, Pack};
use crate::quiz::history::renamed_questions;
use crate::quiz::select::{self, Filter};
use crate::quiz::{
    History, Mode, QuestionKey, QuizError, QuizItem, QuizSession, SessionSpec, Shortfall, Timer,
    UnixMillis,
};

/// Questions in a practice or drill round when no count is given: a sitting of a few minutes.
pub const DEFAULT_ROUND: usize = 10;

/// The settings of a quiz, as the launcher and `sysdeck quiz` give them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizOptions {
    /// A pack id; practice and drill may range over every pack.
    pub pack: Option<String>,
    pub mode: Mode,
    /// Exam: default the pack's count; practice and drill: [`DEFAULT_ROUND`].
    pub count: Option<usize>,
    /// Exam: the whole exam (default the pack's minutes); practice and drill: each question
    /// (default untimed).
    pub limit_ms: Option<UnixMillis>,
    /// Practice and drill only; an exam follows the pack's domain weights.
    pub domain: Option<String>,
    /// A note id, or `pack:note`.
    pub topic: Option<String>,
    pub difficulty: Option<u8>,
    /// Exam only: this practice exam (from 1) instead of a random draw; `count` is then the
    /// practice exam's.
    pub practice_exam: Option<u8>,
}

impl QuizOptions {
    /// A quiz of the mode with every other setting at its default.
    pub fn new(pack: Option<String>, mode: Mode) -> Self {
        QuizOptions {
            pack,
            mode,
            count: None,
            limit_ms: None,
            domain: None,
            topic: None,
            difficulty: None,
            practice_exam: None,
        }
    }

    fn filter(&self) -> Filter {
        Filter {
            pack: self.pack.clone(),
            domain: self.domain.clone(),
            topic: self.topic.as_deref().map(NoteRef::parse),
            difficulty: self.difficulty,
        }
    }
}

/// How a quiz screen opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuizStart {
    /// A fresh attempt.
    New(QuizOptions),
    /// The pack's exam that was left unfinished.
    Resume { pack: String },
    /// A stored attempt, for its results and review.
    Review { attempt: i64 },
    /// One question on its own (opened from the finder or a topic page), asked as a practice
    /// of one: the key is shown after the learner answers, never before.
    Question(QuestionKey),
}

/// Why a quiz could not start; each message says what to change.
#[derive(Debug, Error)]
pub enum StartError {
    #[error("no pack `{0}` is loaded")]
    UnknownPack(String),
    #[error("no loaded pack has an [exam] section; practice and drill work on any pack")]
    NoExamPack,
    #[error("there is no unfinished exam of `{0}` to resume")]
    NothingToResume(String),
    #[error("attempt {0} is not in the progress store")]
    NoAttempt(i64),
    #[error("your progress could not be read")]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Quiz(#[from] QuizError),
}

/// A session ready to run, with what the learner should know about how it was built.
pub struct Planned {
    pub session: QuizSession,
    /// Domains that could not supply their share of an exam.
    pub shortfalls: Vec<Shortfall>,
    /// The exam length asked for, when fewer questions exist.
    pub requested: Option<usize>,
}

/// The seed of a new attempt, from the app's clock (never an OS random source), so a fixed
/// clock gives the same quiz every time.
pub fn seed_from(now: jiff::Timestamp) -> u64 {
    let nanos = now.as_nanosecond();
    (nanos as u64) ^ ((nanos >> 64) as u64)
}

/// The pack an exam is of: the one asked for, else the first pack with an exam.
pub fn exam_pack<'a>(library: &'a Library, pack: Option<&str>) -> Result<&'a Pack, StartError> {
    match pack {
        Some(id) => library
            .pack(id)
            .ok_or_else(|| StartError::UnknownPack(id.to_string())),
        None => library
            .packs
            .iter()
            .find(|p| p.manifest.exam.is_some())
            .ok_or(StartError::NoExamPack),
    }
}

/// Draws the questions and opens the session.
pub fn plan(
    library: &Library,
    history: &History,
    options: &QuizOptions,
    seed: u64,
    now: UnixMillis,
) -> Result<Planned, StartError> {
    if let Some(id) = &options.pack
        && library.pack(id).is_none()
    {
        return Err(StartError::UnknownPack(id.clone()));
    }
    // Past answers under a question's former id count for the question it became.
    let history = &history.following(&renamed_questions(library));
    let count = options.count.unwrap_or(DEFAULT_ROUND);
    let per_question = options.limit_ms;
    let packs = &library.packs;
    let (spec, items, shortfalls, requested) = match options.mode {
        Mode::Exam => {
            let pack = exam_pack(library, options.pack.as_deref())?;
            let draw = match options.practice_exam {
                Some(number) => select::practice_exam(pack, number, seed)?,
                None => select::exam(pack, options.count, history, seed)?,
            };
            let mut spec = SessionSpec::exam(pack, None)?;
            spec.practice_exam = draw.practice_exam;
            let ms = options
                .limit_ms
                .or_else(|| paced_ms(pack, draw.items.len()));
            if let Some(ms) = ms {
                spec.timer = Timer::Total { ms };
            }
            let requested = draw.blueprint.requested;
            let short = (draw.items.len() < requested).then_some(requested);
            let shortfalls = draw.shortfalls();
            (spec, draw.items, shortfalls, short)
        }
        Mode::Practice => {
            let items = select::practice(packs, &options.filter(), history, seed, count)?;
            let spec = SessionSpec::practice(options.pack.as_deref(), per_question);
            (spec, items, Vec::new(), None)
        }
        Mode::Drill => {
            let items = select::drill(packs, &options.filter(), history, seed, count)?;
            let spec = SessionSpec::drill(options.pack.as_deref(), per_question);
            (spec, items, Vec::new(), None)
        }
    };
    Ok(Planned {
        session: QuizSession::new(spec, items, seed, now)?,
        shortfalls,
        requested,
    })
}

/// A practice of the one question `key` names, untimed: it asks first and marks the answer
/// with every choice's explanation, as any practice does.
pub fn one_question(
    library: &Library,
    key: &QuestionKey,
    seed: u64,
    now: UnixMillis,
) -> Result<QuizSession, QuizError> {
    let item = QuizItem::find(&library.packs, key)?;
    let spec = SessionSpec::practice(Some(&key.pack), None);
    QuizSession::new(spec, vec![item], seed, now)
}

/// The time for an exam of `questions` at the pace of the pack's real one (130 minutes for 65
/// questions gives 10 minutes for 5), rounded up to a whole minute; `None` when it has the real
/// exam's length, which keeps the pack's own minutes.
fn paced_ms(pack: &Pack, questions: usize) -> Option<UnixMillis> {
    let exam = pack.manifest.exam.as_ref()?;
    let real = usize::try_from(exam.questions).ok().filter(|&n| n > 0)?;
    if questions == real {
        return None;
    }
    let minutes = (u64::from(exam.minutes) * questions as u64).div_ceil(real as u64);
    UnixMillis::try_from(minutes.max(1) * 60_000).ok()
}

/// The note of an exam built short: how many questions it has and which domains ran out,
/// by their names in the pack.
pub fn shortfall_notice(pack: Option<&Pack>, planned: &Planned) -> Option<String> {
    if planned.shortfalls.is_empty() {
        return None;
    }
    let name = |id: &str| {
        pack.and_then(|p| p.domain(id))
            .map_or(id.to_string(), |d| d.name.clone())
    };
    let domains: Vec<String> = planned
        .shortfalls
        .iter()
        .map(|s| format!("{} has {} of {}", name(&s.domain), s.available, s.wanted))
        .collect();
    let length = match planned.requested {
        Some(asked) => format!(
            "This exam has {} of the {asked} questions asked for",
            planned.session.len()
        ),
        None => "The other domains make up the difference".to_string(),
    };
    Some(format!(
        "Not the real mix: {}. {length}.",
        domains.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::QuestionKey;

    #[test]
    fn seeds_follow_the_clock() {
        let a: jiff::Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
        let b: jiff::Timestamp = "2026-11-23T10:00:00.000000001Z".parse().unwrap();
        assert_eq!(seed_from(a), seed_from(a));
        assert_ne!(seed_from(a), seed_from(b));
    }

    /// The pace of AWS's SAA-C03: 65 questions in 130 minutes, two minutes each.
    #[test]
    fn a_shorter_exam_keeps_the_real_ones_pace() {
        let mut pack = crate::srs::item::tests::library().packs.remove(0);
        pack.manifest.exam = Some(crate::content::Exam {
            name: "SAA-C03".into(),
            questions: 65,
            minutes: 130,
            pass_score: 720,
        });
        assert_eq!(paced_ms(&pack, 5), Some(10 * 60_000));
        assert_eq!(paced_ms(&pack, 1), Some(2 * 60_000));
        assert_eq!(paced_ms(&pack, 7), Some(14 * 60_000));
        assert_eq!(
            paced_ms(&pack, 65),
            None,
            "the real length keeps the pack's minutes"
        );
    }

    #[test]
    fn one_question_is_asked_before_its_key_is_shown() {
        let library = Library {
            packs: vec![crate::quiz::fixture::small_pack()],
            ..Library::default()
        };
        let key = QuestionKey::new("p", "c3");
        let mut session = one_question(&library, &key, 7, 100).unwrap();
        assert_eq!(session.len(), 1);
        assert_eq!(session.spec().mode, Mode::Practice);
        assert!(session.current_question().marking.is_none(), "asks first");
        session.handle(crate::quiz::Action::Choose(0), 200);
        session.handle(crate::quiz::Action::Reveal, 300);
        let view = session.current_question();
        assert!(view.marking.is_some(), "marked once answered");
        assert!(view.choices.iter().all(|c| c.key.is_some()));
        let gone = QuestionKey::new("p", "no-such");
        assert!(matches!(
            one_question(&library, &gone, 7, 100),
            Err(QuizError::MissingQuestion { .. })
        ));
    }

    #[test]
    fn practice_counts_answers_under_a_former_id_as_seen() {
        let mut pack = crate::quiz::fixture::small_pack();
        pack.questions[3].aliases.push("c-old".into());
        let library = Library {
            packs: vec![pack],
            ..Library::default()
        };
        // `c4` was answered last, as `c-old` before the rename: the stalest question is `s1`.
        let answer = |id: &str, at| crate::quiz::PastAnswer {
            key: QuestionKey::new("p", id),
            answered_at: at,
            correct: true,
        };
        let history = History::new([
            answer("s1", 10),
            answer("m2", 20),
            answer("c3", 30),
            answer("c-old", 50),
        ]);
        let mut options = QuizOptions::new(Some("p".into()), Mode::Practice);
        options.count = Some(1);
        let planned = plan(&library, &history, &options, 7, 100).unwrap();
        let ids: Vec<&str> = planned
            .session
            .items()
            .iter()
            .map(|i| i.key.id.as_str())
            .collect();
        assert_eq!(ids, ["s1"]);
    }
}
