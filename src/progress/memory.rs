//! The learner's progress as the app reads it, held in memory: read from the store once, kept
//! current by each change this process makes, and read again only when another process has
//! committed to the database since.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::quiz::ExamDomainResult;
use crate::srs::{Answer, CardState, Catalog, ItemKey, ReviewLog, Scheduler, Today};
use crate::store::{Store, StoreError};

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
    /// Each domain's result in every finished exam, by pack, for readiness.
    pub exams: HashMap<String, Vec<ExamDomainResult>>,
}

impl Memory {
    pub fn read(store: &Store, catalog: &Catalog, tz: TimeZone) -> Result<Memory, StoreError> {
        let version = store.data_version()?;
        let mut catalog = catalog.clone();
        catalog.enroll(store.enrolled_questions()?);
        Ok(Memory {
            version,
            scheduler: store.scheduler(tz)?,
            states: store.states()?,
            log: store.log()?,
            catalog,
            exams: store.exam_domain_results()?,
        })
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
        Today::from_log(&self.log[first..])
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
