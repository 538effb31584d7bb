//! The card browser's and custom study's operations: listing cards with their state,
//! suspending, burying and resetting them, raising today's new-card limit, and the sessions
//! of custom study (review ahead, cram). Each change is committed to the store first, then
//! applied to memory, and announced with [`Event::Cards`].

use jiff::Timestamp;

use super::{Event, Progress, Result};
use crate::srs::time::day_number;
use crate::srs::{Answer, CardRow, Filter, Hold, ItemKey, Queue, Scope, Session, browse};

impl Progress {
    /// The cards of `scope` that `filter` admits, as of `now`.
    pub fn browse(&self, scope: &Scope, filter: Filter, now: Timestamp) -> Result<Vec<CardRow>> {
        self.with_memory(|m| {
            browse::rows(
                &m.catalog,
                &m.states,
                scope,
                filter,
                m.scheduler.settings().leech_threshold,
                m.scheduler.clock(),
                now,
            )
        })
    }

    /// Suspends a card until the learner unsuspends it: it leaves the queue and the due
    /// counts, and keeps its schedule.
    pub fn suspend(&self, key: &ItemKey, now: Timestamp) -> Result<()> {
        self.hold(key, Hold::Suspended, now)
    }

    /// Buries a card for the rest of the learning day of `now`; it comes back when the next
    /// learning day starts (at the day-start hour setting).
    pub fn bury(&self, key: &ItemKey, now: Timestamp) -> Result<()> {
        let hold = Hold::bury(self.scheduler()?.clock(), now);
        self.hold(key, hold, now)
    }

    fn hold(&self, key: &ItemKey, hold: Hold, now: Timestamp) -> Result<()> {
        self.store.borrow_mut().hold_card(key, hold, now)?;
        self.update_memory(|m, _| {
            m.catalog.set_hold(key.clone(), Some(hold));
            Ok(())
        });
        self.emit(Event::Cards);
        Ok(())
    }

    /// Takes a card off hold (suspended or buried); returns whether it was held.
    pub fn unsuspend(&self, key: &ItemKey) -> Result<bool> {
        let was = self.store.borrow_mut().release_card(key)?;
        self.update_memory(|m, _| {
            m.catalog.set_hold(key.clone(), None);
            Ok(())
        });
        self.emit(Event::Cards);
        Ok(was)
    }

    /// Resets a card to new, as Anki's "Forget" does (<https://docs.ankiweb.net/browsing.html>):
    /// the card is offered again among the new cards (in pack order, as every new card is),
    /// and its review history is kept, so statistics and the heatmap still count those
    /// reviews; a reset is recorded, and the schedule is worked out from the answers after it
    /// only, as Anki's FSRS ignores the reviews before a reset entry. Unlike Anki's default,
    /// the repetition and lapse counts start again at zero (they are derived from the answers
    /// since the reset), so a reset leech is no longer one. It cannot be undone.
    pub fn reset(&self, key: &ItemKey, now: Timestamp) -> Result<()> {
        self.store.borrow_mut().reset_card(key, now)?;
        self.update_memory(|m, _| {
            m.states.remove(key);
            Ok(())
        });
        self.emit(Event::Cards);
        Ok(())
    }

    /// Custom study: raises the new-card limit of `pack` by `cards` for the learning day of
    /// `now` only. Returns that day's extra for the pack.
    pub fn add_extra_new(&self, pack: &str, cards: u32, now: Timestamp) -> Result<u32> {
        let clock = self.scheduler()?.clock().clone();
        let day = day_number(clock.day_of(now));
        let total = self.store.borrow_mut().add_extra_new(pack, day, cards)?;
        self.update_memory(|m, _| {
            m.extra_new
                .entry(day)
                .or_default()
                .insert(pack.to_string(), total);
            Ok(())
        });
        self.emit(Event::Cards);
        Ok(total)
    }

    /// The cards of `pack` never studied and not held: what extra new cards can draw on.
    /// Questions count only once sent to review, and a missed one is due, not new.
    pub fn new_left(&self, pack: &str, now: Timestamp) -> Result<usize> {
        let whole = Scope {
            pack: Some(pack.to_string()),
            ..Scope::default()
        };
        let rows = self.browse(&whole, Filter::All, now)?;
        Ok(rows
            .iter()
            .filter(|r| r.status == crate::srs::CardStatus::New && !r.missed)
            .count())
    }

    /// The new cards added to `pack`'s limit for the learning day of `now` (custom study).
    pub fn extra_new_today(&self, pack: &str, now: Timestamp) -> Result<u32> {
        self.with_memory(|m| m.today(now).extra_new.get(pack).copied().unwrap_or(0))
    }

    /// Custom study: the review cards of `scope` due in the next `days` learning days, to
    /// answer now. Grades are saved as usual ([`Progress::grade`]).
    pub fn session_ahead(&self, scope: &Scope, days: u32, now: Timestamp) -> Result<Session> {
        self.with_memory(|m| {
            let queue = Queue::ahead(&m.catalog, &m.states, scope, days, m.scheduler.clock(), now);
            Session::new(m.scheduler.clone(), queue)
        })
    }

    /// Custom study: every card of `scope`, in any state, to go through the night before an
    /// exam. The session's grades must not be saved: it leaves the schedule and the log alone.
    pub fn cram(&self, scope: &Scope, now: Timestamp) -> Result<Session> {
        self.with_memory(|m| {
            let queue = Queue::cram(&m.catalog, &m.states, scope, now);
            Session::cram(m.scheduler.clone(), queue)
        })
    }

    /// Whether `answer` made its card a leech: then [`Progress::grade`] suspended it.
    pub fn made_leech(&self, answer: &Answer) -> Result<bool> {
        let threshold = self.scheduler()?.settings().leech_threshold;
        let before = answer.before.as_ref().map_or(0, |s| s.lapses);
        Ok(crate::srs::hold::became_leech(
            before,
            answer.after.lapses,
            threshold,
        ))
    }
}
