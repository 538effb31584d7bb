//! Quiz attempts: saved on every change while in progress (so quitting or a crash loses at most
//! a few seconds of an exam), finished with their score and one row per answer, and read back
//! for resuming, selection history, trends and readiness.
//!
//! An attempt is identified by its start time and seed, the pair the engine's snapshot carries,
//! so every save of the same attempt lands on the same row.

use std::collections::HashMap;

use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Result, Store, StoreError};
use crate::quiz::{
    AnswerRecord, AttemptSnapshot, ExamDomainResult, Mode, Outcome, PastAnswer, PracticeExamRef,
    QuestionKey, Score, UnixMillis,
};

/// A stored attempt as history and trends list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttemptRecord {
    pub id: i64,
    pub mode: Mode,
    pub pack: Option<String>,
    pub seed: u64,
    pub started_at: UnixMillis,
    pub updated_at: UnixMillis,
    pub finished_at: Option<UnixMillis>,
    pub used_ms: UnixMillis,
    /// Questions in the attempt.
    pub questions: usize,
    /// Present once finished.
    pub score: Option<Score>,
    /// The practice exam it was, if any; read from the saved snapshot.
    pub practice_exam: Option<PracticeExamRef>,
}

/// An attempt with everything stored about it, as an export carries it: the engine's snapshot,
/// the score once finished, when it was set aside, and the answers it marked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredAttempt {
    pub snapshot: AttemptSnapshot,
    pub score: Option<Score>,
    pub abandoned_at: Option<UnixMillis>,
    pub answers: Vec<AnswerRecord>,
}

const ATTEMPT_COLUMNS: &str =
    "id, mode, pack, seed, started_at, updated_at, finished_at, used_ms, questions, score,
     json_extract(snapshot, '$.spec.practice_exam.number'),
     json_extract(snapshot, '$.spec.practice_exam.of')";

impl Store {
    /// Saves an attempt in progress (an upsert). A finished attempt is never overwritten, so a
    /// second instance holding a stale copy cannot undo a submission.
    pub fn save_attempt(&mut self, snapshot: &AttemptSnapshot) -> Result<()> {
        self.save("the quiz attempt", |tx| {
            upsert(tx, snapshot, None)?;
            Ok(())
        })
    }

    /// Records a finished attempt: its final snapshot and score, and one row per marked answer.
    pub fn finish_attempt(&mut self, outcome: &Outcome) -> Result<()> {
        self.save("the finished quiz", |tx| {
            let id = upsert(tx, &outcome.snapshot, Some(&outcome.score))?;
            insert_answers(tx, id, &outcome.answers)?;
            Ok(())
        })
    }

    /// Sets an unfinished attempt aside (the learner started a new exam instead of resuming);
    /// it stays in the database but is no longer offered.
    pub fn abandon_attempt(&mut self, snapshot: &AttemptSnapshot, now: UnixMillis) -> Result<()> {
        self.save("the choice to set the unfinished exam aside", |tx| {
            tx.execute(
                "UPDATE quiz_attempt SET abandoned_at = ?3
                 WHERE started_at = ?1 AND seed = ?2 AND finished_at IS NULL",
                params![snapshot.started_at, seed_to_sql(snapshot.seed), now],
            )?;
            Ok(())
        })
    }

    /// The latest exam of `pack` that was left unfinished, to offer resuming it.
    pub fn unfinished_exam(&self, pack: &str) -> Result<Option<AttemptSnapshot>> {
        let ctx = || format!("looking for an unfinished exam of {pack}");
        self.conn
            .prepare_cached(
                "SELECT snapshot FROM quiz_attempt
                 WHERE mode = 'exam' AND pack = ?1 AND finished_at IS NULL AND abandoned_at IS NULL
                 ORDER BY updated_at DESC LIMIT 1",
            )
            .and_then(|mut stmt| stmt.query_row([pack], |r| json(r, 0)).optional())
            .map_err(|e| StoreError::sql(ctx(), e))
    }

    /// Every answer ever marked, for choosing what to ask next.
    pub fn past_answers(&self) -> Result<Vec<PastAnswer>> {
        let ctx = "reading past quiz answers";
        let mut stmt = self
            .conn
            .prepare_cached("SELECT question, answered_at, correct FROM quiz_answer")
            .map_err(|e| StoreError::sql(ctx, e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(PastAnswer {
                    key: question_key(r, 0)?,
                    answered_at: r.get(1)?,
                    correct: r.get(2)?,
                })
            })
            .map_err(|e| StoreError::sql(ctx, e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| StoreError::sql(ctx, e))
    }

    /// Every attempt not set aside, oldest first.
    pub fn attempts(&self) -> Result<Vec<AttemptRecord>> {
        let ctx = "reading quiz attempts";
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempt WHERE abandoned_at IS NULL
                 ORDER BY started_at, id"
            ))
            .map_err(|e| StoreError::sql(ctx, e))?;
        let rows = stmt
            .query_map([], attempt_from_row)
            .map_err(|e| StoreError::sql(ctx, e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| StoreError::sql(ctx, e))
    }

    /// One attempt's snapshot, to review it again.
    pub fn attempt_snapshot(&self, id: i64) -> Result<Option<AttemptSnapshot>> {
        let ctx = || format!("reading quiz attempt {id}");
        self.conn
            .prepare_cached("SELECT snapshot FROM quiz_attempt WHERE id = ?1")
            .and_then(|mut stmt| stmt.query_row([id], |r| json(r, 0)).optional())
            .map_err(|e| StoreError::sql(ctx(), e))
    }

    /// The answers recorded for a finished attempt, in the order asked.
    pub fn attempt_answers(&self, id: i64) -> Result<Vec<AnswerRecord>> {
        let ctx = || format!("reading the answers of quiz attempt {id}");
        let snapshot = self.attempt_snapshot(id)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT question, chosen, correct, time_ms, answered_at FROM quiz_answer
                 WHERE attempt = ?1",
            )
            .map_err(|e| StoreError::sql(ctx(), e))?;
        let rows = stmt
            .query_map([id], answer_from_row)
            .map_err(|e| StoreError::sql(ctx(), e))?;
        let mut answers: Vec<AnswerRecord> = rows
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| StoreError::sql(ctx(), e))?;
        let position = |key: &QuestionKey| {
            snapshot
                .as_ref()
                .and_then(|s| s.questions.iter().position(|q| &q.key == key))
        };
        answers.sort_by_key(|a| position(&a.key));
        Ok(answers)
    }

    /// Each domain's result in every finished exam, by pack.
    pub fn exam_domain_results(&self) -> Result<HashMap<String, Vec<ExamDomainResult>>> {
        let ctx = "reading the exam results";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT pack, finished_at, score FROM quiz_attempt
                 WHERE mode = 'exam' AND pack IS NOT NULL AND finished_at IS NOT NULL",
            )
            .map_err(|e| StoreError::sql(ctx, e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    json::<Score>(r, 2)?,
                ))
            })
            .map_err(|e| StoreError::sql(ctx, e))?;
        let mut out: HashMap<String, Vec<ExamDomainResult>> = HashMap::new();
        for row in rows {
            let (pack, finished_at, score) = row.map_err(|e| StoreError::sql(ctx, e))?;
            out.entry(pack)
                .or_default()
                .extend(score.domains.into_iter().filter_map(|d| {
                    Some(ExamDomainResult {
                        domain: d.domain?,
                        finished_at,
                        correct: d.correct,
                        total: d.total,
                    })
                }));
        }
        Ok(out)
    }
}

/// Every attempt, set aside or not, oldest first, with its answers ordered by question.
pub(super) fn all_attempts(conn: &Connection) -> rusqlite::Result<Vec<StoredAttempt>> {
    let mut answers = conn.prepare_cached(
        "SELECT question, chosen, correct, time_ms, answered_at FROM quiz_answer
         WHERE attempt = ?1 ORDER BY question",
    )?;
    let mut attempts = conn.prepare_cached(
        "SELECT id, snapshot, score, abandoned_at FROM quiz_attempt ORDER BY started_at, seed",
    )?;
    let rows = attempts.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            json::<AttemptSnapshot>(r, 1)?,
            r.get::<_, Option<String>>(2)?
                .map(|text| from_json::<Score>(2, &text))
                .transpose()?,
            r.get::<_, Option<UnixMillis>>(3)?,
        ))
    })?;
    rows.map(|row| {
        let (id, snapshot, score, abandoned_at) = row?;
        let answers = answers
            .query_map([id], answer_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(StoredAttempt {
            snapshot,
            score,
            abandoned_at,
            answers,
        })
    })
    .collect()
}

/// Merges an attempt from another machine: added when new here, brought up to date when it is
/// unfinished here and further along there, left alone when this machine's copy is finished or
/// as recent. Returns whether anything changed.
pub(super) fn import_attempt(conn: &Connection, a: &StoredAttempt) -> rusqlite::Result<bool> {
    let s = &a.snapshot;
    let here: Option<(Option<UnixMillis>, UnixMillis)> = conn
        .query_row(
            "SELECT finished_at, updated_at FROM quiz_attempt WHERE started_at = ?1 AND seed = ?2",
            params![s.started_at, seed_to_sql(s.seed)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match here {
        Some((Some(_), _)) => return Ok(false),
        Some((None, updated)) if s.finished_at.is_none() && s.updated_at <= updated => {
            return Ok(false);
        }
        _ => {}
    }
    let id = upsert(conn, s, a.score.as_ref())?;
    insert_answers(conn, id, &a.answers)?;
    if let Some(at) = a.abandoned_at {
        conn.execute(
            "UPDATE quiz_attempt SET abandoned_at = ?2 WHERE id = ?1 AND finished_at IS NULL",
            params![id, at],
        )?;
    }
    Ok(true)
}

/// Inserts or updates the attempt row; returns its id. `score` marks it finished.
fn upsert(conn: &Connection, s: &AttemptSnapshot, score: Option<&Score>) -> rusqlite::Result<i64> {
    let (correct, total, scaled) = match score {
        Some(sc) => (
            Some(count(sc.correct)),
            Some(count(sc.total)),
            Some(sc.scaled),
        ),
        None => (None, None, None),
    };
    let score = score.map(to_json).transpose()?;
    conn.prepare_cached(
        "INSERT INTO quiz_attempt (started_at, seed, mode, pack, updated_at, finished_at,
             used_ms, questions, correct, total, scaled, score, snapshot)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (started_at, seed) DO UPDATE SET
             updated_at = excluded.updated_at, finished_at = excluded.finished_at,
             used_ms = excluded.used_ms, correct = excluded.correct, total = excluded.total,
             scaled = excluded.scaled, score = excluded.score, snapshot = excluded.snapshot
         WHERE quiz_attempt.finished_at IS NULL
         RETURNING id",
    )?
    .query_row(
        params![
            s.started_at,
            seed_to_sql(s.seed),
            mode_name(s.spec.mode),
            s.spec.pack,
            s.updated_at,
            s.finished_at,
            s.used_ms,
            count(s.questions.len()),
            correct,
            total,
            scaled,
            score,
            to_json(s)?,
        ],
        |r| r.get(0),
    )
    .optional()?
    // Already finished: the row is left as it was; find it for the caller.
    .map_or_else(
        || {
            conn.query_row(
                "SELECT id FROM quiz_attempt WHERE started_at = ?1 AND seed = ?2",
                params![s.started_at, seed_to_sql(s.seed)],
                |r| r.get(0),
            )
        },
        Ok,
    )
}

fn insert_answers(
    conn: &Connection,
    attempt: i64,
    answers: &[AnswerRecord],
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR REPLACE INTO quiz_answer (attempt, question, chosen, correct, time_ms, answered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for a in answers {
        stmt.execute(params![
            attempt,
            a.key.to_string(),
            to_json(&a.chosen)?,
            a.correct,
            a.time_ms,
            a.answered_at,
        ])?;
    }
    Ok(())
}

/// A `quiz_answer` row read as `question, chosen, correct, time_ms, answered_at`.
fn answer_from_row(r: &Row) -> rusqlite::Result<AnswerRecord> {
    Ok(AnswerRecord {
        key: question_key(r, 0)?,
        chosen: json(r, 1)?,
        correct: r.get(2)?,
        time_ms: r.get(3)?,
        answered_at: r.get(4)?,
    })
}

fn attempt_from_row(r: &Row) -> rusqlite::Result<AttemptRecord> {
    let mode: String = r.get(1)?;
    Ok(AttemptRecord {
        id: r.get(0)?,
        mode: parse_mode(&mode).ok_or_else(|| bad(1, Type::Text, format!("mode {mode}")))?,
        pack: r.get(2)?,
        seed: seed_from_sql(r.get(3)?),
        started_at: r.get(4)?,
        updated_at: r.get(5)?,
        finished_at: r.get(6)?,
        used_ms: r.get(7)?,
        questions: usize::try_from(r.get::<_, i64>(8)?)
            .map_err(|e| bad(8, Type::Integer, e.to_string()))?,
        score: r
            .get::<_, Option<String>>(9)?
            .map(|text| from_json(9, &text))
            .transpose()?,
        practice_exam: practice_exam(r.get(10)?, r.get(11)?),
    })
}

/// A practice exam reference from its two stored numbers; anything out of range reads as a
/// random exam rather than making the whole history unreadable.
fn practice_exam(number: Option<i64>, of: Option<i64>) -> Option<PracticeExamRef> {
    let number = u8::try_from(number?).ok()?;
    let of = u8::try_from(of?).ok()?;
    (1..=of)
        .contains(&number)
        .then_some(PracticeExamRef { number, of })
}

/// A count as SQLite stores it.
fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// SQLite integers are signed; the seed keeps its 64 bits through the cast both ways.
fn seed_to_sql(seed: u64) -> i64 {
    seed as i64
}

fn seed_from_sql(stored: i64) -> u64 {
    stored as u64
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Exam => "exam",
        Mode::Practice => "practice",
        Mode::Drill => "drill",
    }
}

fn parse_mode(name: &str) -> Option<Mode> {
    [Mode::Exam, Mode::Practice, Mode::Drill]
        .into_iter()
        .find(|&m| mode_name(m) == name)
}

fn question_key(r: &Row, i: usize) -> rusqlite::Result<QuestionKey> {
    let text: String = r.get(i)?;
    text.parse()
        .map_err(|e: crate::quiz::QuizError| bad(i, Type::Text, e.to_string()))
}

fn json<T: DeserializeOwned>(r: &Row, i: usize) -> rusqlite::Result<T> {
    from_json(i, &r.get::<_, String>(i)?)
}

fn from_json<T: DeserializeOwned>(i: usize, text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| bad(i, Type::Text, e.to_string()))
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> rusqlite::Result<String> {
    serde_json::to_string(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

fn bad(i: usize, t: Type, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, t, what.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Domain, Exam, Library};
    use crate::quiz::{Action, Effect, QuizItem, QuizSession, SessionSpec};
    use crate::srs::item::tests::library;

    const T0: UnixMillis = 1_790_000_000_000;

    /// The srs test library with an exam over its one question (domain `design`).
    fn exam_library() -> Library {
        let mut lib = library();
        let pack = &mut lib.packs[0];
        pack.manifest.exam = Some(Exam {
            name: "Test exam".into(),
            questions: 1,
            minutes: 10,
            pass_score: 700,
        });
        pack.manifest.domains = vec![Domain {
            id: "design".into(),
            name: "Design".into(),
            weight: Some(100),
        }];
        lib
    }

    fn exam(lib: &Library) -> QuizSession {
        let pack = &lib.packs[0];
        let items = vec![QuizItem::new(pack, &pack.questions[0])];
        QuizSession::new(SessionSpec::exam(pack, None).unwrap(), items, 7, T0).unwrap()
    }

    fn saved(effects: &[Effect]) -> &AttemptSnapshot {
        effects
            .iter()
            .find_map(|e| match e {
                Effect::Save(s) => Some(s.as_ref()),
                _ => None,
            })
            .expect("a save")
    }

    #[test]
    fn an_exam_is_saved_resumed_and_finished_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let lib = exam_library();
        let mut s = exam(&lib);
        store
            .save_attempt(saved(&s.handle(Action::Flag, T0 + 1_000)))
            .unwrap();
        store
            .save_attempt(saved(&s.handle(Action::Quit, T0 + 2_000)))
            .unwrap();
        let open = store.unfinished_exam("sd").unwrap().expect("offered");
        assert_eq!(open.used_ms, 2_000);
        assert!(open.questions[0].flagged);
        assert_eq!(store.attempts().unwrap().len(), 1, "saves update one row");

        let mut r = QuizSession::resume(open, &lib.packs, T0 + 60_000).unwrap();
        r.handle(Action::Choose(0), T0 + 61_000);
        r.handle(Action::RequestSubmit, T0 + 62_000);
        let effects = r.handle(Action::ConfirmSubmit, T0 + 62_000);
        let Some(Effect::Finished(outcome)) = effects.first() else {
            panic!("{effects:?}")
        };
        store.finish_attempt(outcome).unwrap();
        assert_eq!(store.unfinished_exam("sd").unwrap(), None);
        // A stale save of the same attempt cannot reopen it.
        store.save_attempt(r.snapshot()).unwrap();
        store
            .save_attempt(&AttemptSnapshot {
                finished_at: None,
                ..outcome.snapshot.clone()
            })
            .unwrap();
        assert_eq!(store.unfinished_exam("sd").unwrap(), None);

        let attempts = store.attempts().unwrap();
        assert_eq!(attempts.len(), 1);
        let a = &attempts[0];
        assert_eq!(
            (a.mode, a.pack.as_deref(), a.seed),
            (Mode::Exam, Some("sd"), 7)
        );
        assert_eq!(a.finished_at, Some(T0 + 62_000));
        assert_eq!(a.score.as_ref(), Some(&outcome.score));
        assert_eq!(store.attempt_answers(a.id).unwrap(), outcome.answers);
        assert_eq!(
            store.attempt_snapshot(a.id).unwrap().as_ref(),
            Some(&outcome.snapshot)
        );
        let past = store.past_answers().unwrap();
        assert_eq!(past.len(), 1);
        assert_eq!(past[0].key, QuestionKey::new("sd", "q"));
        assert_eq!(past[0].correct, outcome.answers[0].correct);
    }

    #[test]
    fn attempts_say_which_practice_exam_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let lib = exam_library();
        let mut s = exam(&lib);
        let mut snapshot = saved(&s.handle(Action::Flag, T0 + 1_000)).clone();
        store.save_attempt(&snapshot).unwrap();
        let practice = PracticeExamRef { number: 2, of: 3 };
        snapshot.seed = 8;
        snapshot.spec.practice_exam = Some(practice);
        store.save_attempt(&snapshot).unwrap();
        let kinds: Vec<_> = store
            .attempts()
            .unwrap()
            .iter()
            .map(|a| a.practice_exam)
            .collect();
        assert_eq!(kinds, [None, Some(practice)]);
        assert_eq!(practice_exam(Some(4), Some(3)), None);
        assert_eq!(practice_exam(Some(300), Some(400)), None);
        assert_eq!(practice_exam(Some(1), None), None);
    }

    #[test]
    fn an_abandoned_exam_is_no_longer_offered() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let lib = exam_library();
        let mut s = exam(&lib);
        let snapshot = saved(&s.handle(Action::Quit, T0 + 1_000)).clone();
        store.save_attempt(&snapshot).unwrap();
        store.abandon_attempt(&snapshot, T0 + 5_000).unwrap();
        assert_eq!(store.unfinished_exam("sd").unwrap(), None);
        assert!(store.attempts().unwrap().is_empty());
    }

    #[test]
    fn finished_exams_give_their_domain_results() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let lib = exam_library();
        let mut s = exam(&lib);
        let key = &lib.packs[0].questions[0];
        let right = s
            .current_question()
            .choices
            .iter()
            .position(|c| key.choices[c.pack_index].correct)
            .unwrap();
        s.handle(Action::Choose(right), T0);
        s.handle(Action::RequestSubmit, T0);
        let effects = s.handle(Action::ConfirmSubmit, T0);
        let Some(Effect::Finished(outcome)) = effects.first() else {
            panic!("{effects:?}")
        };
        store.finish_attempt(outcome).unwrap();
        let by_pack = store.exam_domain_results().unwrap();
        assert_eq!(by_pack.len(), 1);
        let r = &by_pack["sd"];
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].domain, "design");
        assert_eq!((r[0].correct, r[0].total), (1, 1));
    }
}
