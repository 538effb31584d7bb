//! Changes: each learner action is one immediate transaction, committed whole or not at all,
//! and a change that fails says what was not saved and why (disk full, read-only, another
//! instance holding the lock).

use std::time::Duration;

use rusqlite::{Transaction, TransactionBehavior};

use super::files::{self, Refusal};
use super::{Result, Store, StoreError, open};
use crate::srs::SrsError;

/// What can stop a change inside its transaction.
pub(crate) enum Failure {
    Sql(rusqlite::Error),
    Srs(SrsError),
    Store(StoreError),
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Failure::Sql(e)
    }
}

impl From<SrsError> for Failure {
    fn from(e: SrsError) -> Self {
        Failure::Srs(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

impl Store {
    /// Runs `change` in one immediate transaction and commits it. `what` names the change for
    /// a refusal: "disk full: your grade was not saved".
    pub(crate) fn save<T>(
        &mut self,
        what: &str,
        change: impl FnOnce(&Transaction) -> Result<T, Failure>,
    ) -> Result<T> {
        let context = format!("{what} was not saved");
        if self.read_only.is_some() {
            self.reopen_for_writing(&context)?;
        }
        let outcome = self.transact(change);
        outcome.map_err(|f| self.failure(context, f))
    }

    fn transact<T>(
        &mut self,
        change: impl FnOnce(&Transaction) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = change(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// A failed change as the error to show. SQLite reports a write that found no room as an
    /// input/output error as often as a full disk; a probe of the disk tells them apart.
    fn failure(&self, context: String, failure: Failure) -> StoreError {
        match failure {
            Failure::Sql(e) => match StoreError::sql(context, e) {
                StoreError::Io { context, .. } if self.disk_is_full() => {
                    StoreError::DiskFull { context }
                }
                other => other,
            },
            Failure::Srs(e) => StoreError::srs(context, e),
            Failure::Store(e) => e,
        }
    }

    fn disk_is_full(&self) -> bool {
        files::probe_space(files::parent(&self.path)).is_err_and(|e| files::is_full(&e))
    }

    /// A store opened for reading only tries again to open for writing, since the disk may
    /// have room again or the mount be writable; if it still cannot, the change is refused
    /// with the reason.
    fn reopen_for_writing(&mut self, context: &str) -> Result<()> {
        if let Ok(conn) = open::writer(&self.path, self.busy_timeout) {
            self.conn = conn;
            self.read_only = None;
            return Ok(());
        }
        let context = context.to_string();
        Err(match &self.read_only {
            Some(Refusal::DiskFull) | None => StoreError::DiskFull { context },
            Some(refusal) => StoreError::ReadOnly {
                context,
                reason: refusal.words(),
            },
        })
    }

    /// How long a change waits for another instance's transaction before it fails with
    /// [`StoreError::Busy`]. A screen sets it short, says "waiting for another sysdeck", and
    /// tries again, rather than freezing for the default [`open::BUSY_TIMEOUT`].
    pub fn set_busy_timeout(&mut self, wait: Duration) -> Result<()> {
        self.conn
            .busy_timeout(wait)
            .map_err(|e| StoreError::sql("setting the busy timeout", e))?;
        self.busy_timeout = wait;
        Ok(())
    }

    /// How long a change waits for another connection's write lock.
    pub fn busy_timeout(&self) -> Duration {
        self.busy_timeout
    }

    /// An immediate transaction, for a change that maps its own errors.
    pub(crate) fn write(&mut self) -> rusqlite::Result<Transaction<'_>> {
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
    }
}
