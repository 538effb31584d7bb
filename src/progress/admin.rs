//! Looking after the progress as a whole: settings and fitted parameters (both replay every
//! card), export and import, the health check and its repair. Each change drops the copy in
//! memory, since it may touch every card.

use std::collections::HashSet;

use jiff::Timestamp;

use super::{Progress, Result};
use crate::quiz::AnswerRecord;
use crate::srs::replay::Renames;
use crate::srs::{Fit, ItemKey, ReviewLog, Settings};
use crate::store::{Checkup, ImportReport, PackProgress, Progress as Exported, Repair};

impl Progress {
    /// The whole review log, oldest first.
    pub fn log(&self) -> Result<Vec<ReviewLog>> {
        self.store.borrow().log()
    }

    /// Every item with a review, for telling authors which ids carry history.
    pub fn reviewed_items(&self) -> Result<HashSet<ItemKey>> {
        Ok(self.store.borrow().states()?.into_keys().collect())
    }

    /// The answers of one attempt, in question order.
    pub fn attempt_answers(&self, id: i64) -> Result<Vec<AnswerRecord>> {
        self.store.borrow().attempt_answers(id)
    }

    pub fn settings(&self) -> Result<Settings> {
        self.store.borrow().settings()
    }

    /// Saves settings and replays every card with them; returns how many states there are.
    pub fn save_settings(&self, settings: &Settings) -> Result<usize> {
        self.store.borrow_mut().save_settings(settings)?;
        self.replay_all()
    }

    /// Saves fitted FSRS parameters and replays every card with them.
    pub fn save_parameters(&self, fit: &Fit, at: Timestamp) -> Result<usize> {
        self.store.borrow_mut().save_parameters(fit, at)?;
        self.replay_all()
    }

    fn replay_all(&self) -> Result<usize> {
        let scheduler = self.store.borrow().scheduler(self.tz.clone())?;
        let states = self.store.borrow_mut().rebuild(&scheduler)?;
        self.memory.replace(None);
        Ok(states)
    }

    /// Records the loaded packs' renamed ids, so replays carry a card's history to its new id.
    pub fn remember_renames(&self, renames: &Renames) -> Result<usize> {
        let added = self.store.borrow_mut().remember_renames(renames)?;
        if added > 0 {
            self.memory.replace(None);
        }
        Ok(added)
    }

    /// How much progress is stored for the pack `id`.
    pub fn pack_progress(&self, id: &str) -> Result<PackProgress> {
        self.store.borrow().pack_progress(id)
    }

    /// Deletes the pack's progress in one transaction; returns what was deleted.
    pub fn forget_pack(&self, id: &str) -> Result<PackProgress> {
        let gone = self.store.borrow_mut().forget_pack(id)?;
        self.memory.replace(None);
        Ok(gone)
    }

    /// Everything stored, for `progress export`.
    pub fn export(&self) -> Result<Exported> {
        self.store.borrow().export_progress()
    }

    /// Merges an export in; importing the same file twice changes nothing.
    pub fn import(&self, exported: &Exported) -> Result<ImportReport> {
        let report = self
            .store
            .borrow_mut()
            .import_progress(exported, self.tz.clone())?;
        self.memory.replace(None);
        Ok(report)
    }

    /// Lists stored rows that cannot be used and card states that disagree with the log.
    pub fn check(&self) -> Result<Checkup> {
        self.store.borrow().check(self.tz.clone())
    }

    /// Puts right what [`Progress::check`] finds, after saving a copy of the database.
    pub fn repair(&self) -> Result<Repair> {
        let repair = self.store.borrow_mut().repair(self.tz.clone())?;
        self.memory.replace(None);
        Ok(repair)
    }
}
