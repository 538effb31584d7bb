//! The learner's progress: the one API through which the app and the command line read and
//! change it. It owns the store and a copy of the schedule in memory, so the figures a screen
//! shows (today's queue, statistics, readiness) are computed without re-reading the database,
//! and it tells subscribers what changed so they redraw only then.
//!
//! Every change is committed to the store first, in its own transaction, and only then applied
//! to memory: a crash never leaves memory ahead of the file. Another process's commits are
//! noticed by SQLite's `data_version` and make the next read load the copy again.

mod admin;
mod cards;
mod exam;
pub mod exam_words;
mod memory;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use std::collections::HashMap;

use crate::content::{Library, Pack};
use crate::quiz::readiness::readiness;
use crate::quiz::{
    AttemptSnapshot, CardRecall, DomainAnswer, DomainWeight, Outcome, PastAnswer, QuestionKey,
    Readiness, UnixMillis,
};
use crate::srs::{Answer, Catalog, Queue, Scheduler, Scope, Session, Stats};
use crate::store::Store;

pub use crate::store::{
    AttemptRecord, Checkup, DB_FILE, ImportReport, MAX_GOAL_DAYS, PackProgress, ParametersImport,
    Problem, Progress as Exported, Repair, StoreError as Error, Table,
};
use exam::PlanCache;
pub use exam::{ExamPlan, ExamPlanError, Planning, Reading};
use memory::{Memory, Stored};

type Result<T> = std::result::Result<T, Error>;

/// What changed, for screens that show figures derived from progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A card was graded, or a grade taken back.
    Reviewed,
    /// Questions were sent to review.
    Enrolled(usize),
    /// A quiz attempt was saved, finished or set aside.
    Attempt,
    /// A card was suspended, buried, released or reset, or today's new-card limit raised.
    Cards,
    /// An exam goal was set or removed.
    Goal,
}

/// The progress of one learner: the store and what is derived from it.
pub struct Progress {
    store: RefCell<Store>,
    /// The reviewable items of the loaded packs, before any question is enrolled.
    catalog: Catalog,
    tz: TimeZone,
    /// Read on first use; `None` again after a failed read, so the next use retries.
    memory: RefCell<Option<Memory>>,
    /// How many times `memory` was read from the store (see [`Progress::full_reads`]).
    full_reads: std::cell::Cell<u32>,
    subscribers: RefCell<Vec<Sender<Event>>>,
    /// Exam plans made today, kept for the day.
    plans: RefCell<PlanCache>,
}

/// Leaving stores the goals whose plans are still being made ([`Progress::begin_exam_goal`]).
impl Drop for Progress {
    fn drop(&mut self) {
        self.finish_new_goals(Timestamp::now());
    }
}

impl Progress {
    pub fn new(store: Store, catalog: Catalog, tz: TimeZone) -> Progress {
        Progress {
            store: RefCell::new(store),
            catalog,
            tz,
            memory: RefCell::new(None),
            full_reads: std::cell::Cell::new(0),
            subscribers: RefCell::new(Vec::new()),
            plans: RefCell::new(PlanCache::default()),
        }
    }

    /// Opens `<dir>/sysdeck.db` (created when missing) for these items.
    pub fn open_in(dir: &Path, catalog: Catalog, tz: TimeZone) -> Result<Progress> {
        Ok(Progress::new(Store::open_in(dir)?, catalog, tz))
    }

    /// Opens `<dir>/sysdeck.db` (created when missing) over the items of `library`, with
    /// learning days in the system's time zone. The catalog is built while the database opens
    /// and the learner's progress is read, itself while the file's integrity is checked: none
    /// of them needs another, and a start waits for all of them. A read that fails is left to
    /// the first screen to retry and report.
    pub fn open_for(dir: &Path, library: &Library) -> Result<Progress> {
        let (catalog, (opened, tz)) = rayon::join(
            || Catalog::from_library(library),
            || {
                let tz = TimeZone::system();
                let read = |s: &Store| Stored::read(s, tz.clone()).ok();
                (Store::open_reading(&dir.join(DB_FILE), read), tz)
            },
        );
        let (store, stored) = opened?;
        let progress = Progress::new(store, catalog, tz);
        if let Some(stored) = stored {
            progress.full_reads.set(1);
            *progress.memory.borrow_mut() = Some(Memory::over(stored, &progress.catalog));
        }
        Ok(progress)
    }

    /// The same database opened again over the items of `library` (packs reloaded), with the
    /// same busy timeout and the plans of goals begun here stored first.
    pub fn reopen(&self, library: &Library) -> Result<Progress> {
        self.finish_new_goals(Timestamp::now());
        let store = self.store.borrow();
        let mut again = Store::open(store.path())?;
        again.set_busy_timeout(store.busy_timeout())?;
        Ok(Progress::new(
            again,
            Catalog::from_library(library),
            self.tz.clone(),
        ))
    }

    /// Opens `<dir>/sysdeck.db` for work on the stored history alone (settings, export,
    /// checks), with no pack loaded.
    pub fn open_history(dir: &Path) -> Result<Progress> {
        Progress::open_in(dir, Catalog::default(), TimeZone::system())
    }

    /// How long a change waits for another process's write lock before failing as busy.
    pub fn set_busy_timeout(&self, wait: Duration) -> Result<()> {
        self.store.borrow_mut().set_busy_timeout(wait)
    }

    /// The items of the loaded packs, questions sent to review not included.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// Where the database lives.
    pub fn path(&self) -> PathBuf {
        self.store.borrow().path().to_path_buf()
    }

    /// Why changes cannot be saved, when the database could only be opened for reading.
    pub fn read_only_reason(&self) -> Option<String> {
        self.store.borrow().read_only_reason()
    }

    /// What reads so far had to leave out, one sentence each (see [`Store::warnings`]).
    pub fn warnings(&self) -> Vec<String> {
        self.store.borrow().warnings()
    }

    /// A receiver of every [`Event`] from now on. Dropping it unsubscribes.
    pub fn subscribe(&self) -> Receiver<Event> {
        let (tx, rx) = channel();
        self.subscribers.borrow_mut().push(tx);
        rx
    }

    fn emit(&self, event: Event) {
        self.subscribers
            .borrow_mut()
            .retain(|s| s.send(event.clone()).is_ok());
    }

    /// Runs `read` over the copy in memory, reading it first when missing or when another
    /// process has committed since.
    fn with_memory<T>(&self, read: impl FnOnce(&Memory) -> T) -> Result<T> {
        let store = self.store.borrow();
        let mut slot = self.memory.borrow_mut();
        let memory = match slot.take() {
            Some(m) if !m.is_stale(&store)? => m,
            _ => {
                self.full_reads.set(self.full_reads.get() + 1);
                Memory::read(&store, &self.catalog, self.tz.clone())?
            }
        };
        Ok(read(slot.insert(memory)))
    }

    /// How many times the whole progress (states, log, answers) was read from the store: once
    /// per process, again only after another process commits. Each change this process makes
    /// updates the copy in memory instead, so screens never wait on a re-read.
    pub fn full_reads(&self) -> u32 {
        self.full_reads.get()
    }

    /// The scheduler with the learner's settings and parameters.
    pub fn scheduler(&self) -> Result<Scheduler> {
        self.with_memory(|m| m.scheduler.clone())
    }

    /// Today's review session over `scope`.
    pub fn session(&self, scope: &Scope, now: Timestamp) -> Result<Session> {
        let exams = self.exam_days(now);
        self.with_memory(|m| {
            let today = crate::srs::Today {
                exams,
                ..m.today(now)
            };
            let queue = Queue::build(
                &m.catalog,
                &m.states,
                &today,
                scope,
                m.scheduler.settings(),
                m.scheduler.clock(),
                now,
            );
            Session::new(m.scheduler.clone(), queue)
        })
    }

    /// Every statistic at `now`.
    pub fn stats(&self, now: Timestamp) -> Result<Stats> {
        self.with_memory(|m| Stats::compute(&m.catalog, &m.states, &m.log, &m.scheduler, now))
    }

    /// How ready the learner is for `pack`'s exam as of `now` (see [`crate::quiz::readiness`]):
    /// every quiz answer to the pack's questions and the recall of each domain's cards,
    /// weighted by the blueprint.
    pub fn readiness(&self, pack: &Pack, now: Timestamp) -> Result<Readiness> {
        let domains: Vec<DomainWeight> = pack
            .manifest
            .domains
            .iter()
            .map(|d| DomainWeight {
                domain: d.id.clone(),
                weight: d.weight,
            })
            .collect();
        self.with_memory(|m| {
            let recall = card_recall(m, pack, &domains, now);
            let answers = domain_answers(&m.answers, pack);
            readiness(&domains, &answers, &recall, now.as_millisecond())
        })
    }

    /// Commits a grade, then takes it into memory. Returns the answer as committed: when
    /// another process graded the card meanwhile, the store merges the two. An answer that
    /// makes the card a leech ([`Progress::made_leech`]) also suspends it, as Anki does by
    /// default.
    pub fn grade(&self, answer: &Answer, scheduler: &Scheduler) -> Result<Answer> {
        let committed = self.store.borrow_mut().record(answer, scheduler)?;
        self.update_memory(|m, store| m.graded(&committed, store));
        if self.made_leech(&committed)? {
            self.suspend(&committed.key, committed.log.at)?;
        }
        self.emit(Event::Reviewed);
        Ok(committed)
    }

    /// Takes a grade back in the store, then in memory; a suspension the grade caused (it
    /// made the card a leech) is taken back too.
    pub fn undo(&self, answer: &Answer, scheduler: &Scheduler) -> Result<()> {
        self.store.borrow_mut().undo(answer, scheduler)?;
        self.update_memory(|m, store| m.undone(answer, store));
        if self.made_leech(answer)? {
            self.unsuspend(&answer.key)?;
        }
        self.emit(Event::Reviewed);
        Ok(())
    }

    /// Applies a committed change to memory; if that fails, memory is dropped and read again
    /// on next use, since the file is the truth.
    fn update_memory(&self, change: impl FnOnce(&mut Memory, &Store) -> Result<()>) {
        let store = self.store.borrow();
        let mut memory = self.memory.borrow_mut();
        if let Some(m) = memory.as_mut()
            && change(m, &store).is_err()
        {
            *memory = None;
        }
    }

    /// Sends questions to spaced repetition; returns how many were not there already.
    pub fn enroll_questions(&self, keys: &[QuestionKey], now: UnixMillis) -> Result<usize> {
        let added = self.store.borrow_mut().enroll_questions(keys, now)?;
        if let Some(m) = self.memory.borrow_mut().as_mut() {
            m.catalog.enroll(keys.iter().map(crate::store::review_key));
        }
        self.emit(Event::Enrolled(added));
        Ok(added)
    }

    /// Saves an attempt in progress.
    pub fn save_attempt(&self, snapshot: &AttemptSnapshot) -> Result<()> {
        self.store.borrow_mut().save_attempt(snapshot)?;
        self.emit(Event::Attempt);
        Ok(())
    }

    /// Records a submitted attempt with its score and answers.
    pub fn finish_attempt(&self, outcome: &Outcome) -> Result<()> {
        self.store.borrow_mut().finish_attempt(outcome)?;
        self.update_memory(|m, store| {
            m.answers = store.past_answers()?;
            Ok(())
        });
        self.emit(Event::Attempt);
        Ok(())
    }

    /// Sets an unfinished attempt aside, so a new one can start.
    pub fn abandon_attempt(&self, snapshot: &AttemptSnapshot, now: UnixMillis) -> Result<()> {
        self.store.borrow_mut().abandon_attempt(snapshot, now)?;
        self.emit(Event::Attempt);
        Ok(())
    }

    /// The pack's exam that was left unfinished, if any.
    pub fn unfinished_exam(&self, pack: &str) -> Result<Option<AttemptSnapshot>> {
        self.store.borrow().unfinished_exam(pack)
    }

    /// Every answer given in a finished attempt, for question selection.
    pub fn past_answers(&self) -> Result<Vec<PastAnswer>> {
        self.store.borrow().past_answers()
    }

    /// Every attempt, for history and trends.
    pub fn attempts(&self) -> Result<Vec<AttemptRecord>> {
        self.store.borrow().attempts()
    }

    /// One stored attempt, for its results and review.
    pub fn attempt_snapshot(&self, id: i64) -> Result<Option<AttemptSnapshot>> {
        self.store.borrow().attempt_snapshot(id)
    }
}

/// The retrievability now of every flashcard of each of `pack`'s domains; a card never
/// studied has none and counts 0. Questions sent to review are left out: their quiz answers
/// already count.
fn card_recall(
    m: &Memory,
    pack: &Pack,
    domains: &[DomainWeight],
    now: Timestamp,
) -> Vec<CardRecall> {
    domains
        .iter()
        .map(|d| {
            let id = format!("{}:{}", pack.id(), d.domain);
            let retrievability = m
                .catalog
                .entries()
                .iter()
                .filter(|e| e.domain.as_deref() == Some(id.as_str()) && !e.is_question())
                .map(|e| {
                    m.catalog
                        .state(e, &m.states)
                        .map_or(0.0, |s| f64::from(m.scheduler.retrievability(s, now)))
                })
                .collect();
            CardRecall {
                domain: d.domain.clone(),
                retrievability,
            }
        })
        .collect()
}

/// The quiz answers to `pack`'s questions, by the question's domain; an answer given under a
/// question's former id counts for the question it became.
fn domain_answers(answers: &[PastAnswer], pack: &Pack) -> Vec<DomainAnswer> {
    let mut domain_of: HashMap<&str, &str> = HashMap::new();
    for q in pack.questions.heads() {
        if let Some(domain) = q.domain {
            for id in std::iter::once(q.id.as_str()).chain(q.aliases.iter().map(String::as_str)) {
                domain_of.insert(id, domain);
            }
        }
    }
    answers
        .iter()
        .filter(|a| a.key.pack == pack.id())
        .filter_map(|a| {
            Some(DomainAnswer {
                domain: domain_of.get(a.key.id.as_str())?.to_string(),
                answered_at: a.answered_at,
                correct: a.correct,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
