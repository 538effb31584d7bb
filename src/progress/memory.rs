//! The learner's progress as the app reads it, held in memory: read from the store once, kept
//! current by each change this process makes, and read again only when another process has
//! committed to the database since.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::quiz::PastAnswer;
use crate::srs::time::day_number;
use crate::srs::{Answer, CardState, Catalog, ItemKey, ReviewLog, Scheduler, Today};
use crate::store::{ExamGoal, HeldCard, Store, StoreError};

/// One consistent read of what the schedule and statistics are computed from.
#[derive(Debug, Clone)]
pub struct Memory {
    /// The store's `data_version` when this was read.
    version: i64,
    pub scheduler: Scheduler,
    pub states: HashMap<ItemKey, CardState>,
    /// The whole review log, oldest first.
    pub log: Vec<ReviewLog>,
    /// The catalog with the questions sent to review enrolled.
    pub catalog: Catalog,
    /// New cards added to a day's limit, by learning day (days since 1970-01-01) then pack.
    pub extra_new: HashMap<i64, HashMap<String, u32>>,
    /// Every answer marked in a finished quiz of any mode, for readiness.
    pub answers: Vec<PastAnswer>,
    /// The exam dates planned for.
    pub goals: Vec<ExamGoal>,
}

/// What a [`Memory`] is made of that comes from the store alone: a start reads it while the
/// catalog is built.
pub struct Stored {
    version: i64,
    enrolled: HashSet<ItemKey>,
    holds: Vec<HeldCard>,
    scheduler: Scheduler,
    states: HashMap<ItemKey, CardState>,
    log: Vec<ReviewLog>,
    extra_new: HashMap<i64, HashMap<String, u32>>,
    answers: Vec<PastAnswer>,
    goals: Vec<ExamGoal>,
}

impl Stored {
    pub fn read(store: &Store, tz: TimeZone) -> Result<Stored, StoreError> {
        Ok(Stored {
            version: store.data_version()?,
            enrolled: store.enrolled_questions()?,
            holds: store.holds()?,
            scheduler: store.scheduler(tz)?,
            states: store.states()?,
            log: store.log()?,
            extra_new: store.extra_new(0)?,
            answers: store.past_answers()?,
            goals: store.exam_goals()?,
        })
    }
}

impl Memory {
    pub fn read(store: &Store, catalog: &Catalog, tz: TimeZone) -> Result<Memory, StoreError> {
        Ok(Memory::over(Stored::read(store, tz)?, catalog))
    }

    /// The progress `stored` over the items of `catalog`, with the questions sent to review
    /// and the cards on hold marked in its copy.
    pub fn over(stored: Stored, catalog: &Catalog) -> Memory {
        let mut catalog = catalog.clone();
        catalog.enroll(stored.enrolled);
        for held in stored.holds {
            catalog.set_hold(held.item, Some(held.hold));
        }
        Memory {
            version: stored.version,
            scheduler: stored.scheduler,
            states: stored.states,
            log: stored.log,
            catalog,
            extra_new: stored.extra_new,
            answers: stored.answers,
            goals: stored.goals,
        }
    }

    /// Whether another process changed the database since this was read.
    pub fn is_stale(&self, store: &Store) -> Result<bool, StoreError> {
        Ok(store.data_version()? != self.version)
    }

    /// What was done on the learning day of `now`, for the daily limits.
    pub fn today(&self, now: Timestamp) -> Today {
        let clock = self.scheduler.clock();
        let start = clock.start_of(clock.day_of(now));
        let first = self.log.partition_point(|r| r.at < start);
        Today {
            extra_new: self
                .extra_new
                .get(&day_number(clock.day_of(now)))
                .cloned()
                .unwrap_or_default(),
            ..Today::from_log(&self.log[first..])
        }
    }

    /// Takes in an answer the store committed. The card's state is read back when the store
    /// merged it with another process's grade, so memory never disagrees with the file.
    pub fn graded(&mut self, committed: &Answer, store: &Store) -> Result<(), StoreError> {
        let at = self.log.partition_point(|r| r.at <= committed.log.at);
        self.log.insert(at, committed.log.clone());
        self.refresh_state(&committed.key, store)
    }

    /// Takes out an answer the store took back.
    pub fn undone(&mut self, answer: &Answer, store: &Store) -> Result<(), StoreError> {
        let log = &answer.log;
        if let Some(i) = self
            .log
            .iter()
            .rposition(|r| r.item == answer.key && r.at == log.at && r.grade == log.grade)
        {
            self.log.remove(i);
        }
        self.refresh_state(&answer.key, store)
    }

    fn refresh_state(&mut self, key: &ItemKey, store: &Store) -> Result<(), StoreError> {
        match store.state(key)? {
            Some(state) => self.states.insert(key.clone(), state),
            None => self.states.remove(key),
        };
        Ok(())
    }
}
