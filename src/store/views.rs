//! What the screens open, read from the store in one call: today's review session and the
//! statistics, both over the catalog with the questions sent to review enrolled.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::{Result, Store};
use crate::srs::{Catalog, Queue, Scope, Session, Stats};

impl Store {
    /// Today's session over `scope`, from the stored settings, parameters and states.
    pub fn session(
        &self,
        catalog: &Catalog,
        scope: &Scope,
        tz: TimeZone,
        now: Timestamp,
    ) -> Result<Session> {
        let scheduler = self.scheduler(tz)?;
        let today = self.today(scheduler.clock(), now)?;
        let catalog = self.with_enrolled(catalog)?;
        let queue = Queue::build(
            &catalog,
            &self.states()?,
            &today,
            scope,
            scheduler.settings(),
            scheduler.clock(),
            now,
        );
        Ok(Session::new(scheduler, queue))
    }

    /// Every statistic at `now`.
    pub fn stats(&self, catalog: &Catalog, tz: TimeZone, now: Timestamp) -> Result<Stats> {
        let scheduler = self.scheduler(tz)?;
        Ok(Stats::compute(
            &*self.with_enrolled(catalog)?,
            &self.states()?,
            &self.log()?,
            &scheduler,
            now,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::item::tests::library;
    use crate::srs::{Grade, Next};

    #[test]
    fn a_session_resumes_from_what_was_committed() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let catalog = Catalog::from_library(&library());
        let now: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let mut session = store
            .session(&catalog, &Scope::default(), TimeZone::UTC, now)
            .unwrap();
        assert!(matches!(session.next(now), Next::Card(e) if e.key.as_str() == "sd/a"));
        let answer = session.answer(Grade::Easy, now, 0).unwrap();
        store.record(&answer, session.scheduler()).unwrap();
        let mut again = store
            .session(&catalog, &Scope::default(), TimeZone::UTC, now)
            .unwrap();
        assert!(matches!(again.next(now), Next::Card(e) if e.key.as_str() == "sd/b"));
        let stats = store.stats(&catalog, TimeZone::UTC, now).unwrap();
        assert_eq!((stats.total_reviews, stats.states.review), (1, 1));
    }
}
