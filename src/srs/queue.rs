//! Today's queue: which cards a session will show, honouring the daily limits and keeping
//! siblings (the sides and deletions of one card) on different days.

use std::collections::{HashMap, HashSet, VecDeque};

use jiff::Timestamp;
use serde::Serialize;

use super::item::{Catalog, Scope};
use super::key::ItemKey;
use super::settings::Settings;
use super::state::{CardState, Phase, ReviewLog};
use super::time::DayClock;

/// What has already happened today, from today's log rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Today {
    /// New cards introduced.
    pub new_done: u32,
    /// Review cards answered.
    pub reviews_done: u32,
    /// Sibling groups answered, whose other members wait for another day.
    pub groups: HashSet<String>,
}

impl Today {
    /// Summarises rows from the start of today on (see [`DayClock::start_of`]).
    pub fn from_log<'a>(rows: impl IntoIterator<Item = &'a ReviewLog>) -> Today {
        let mut t = Today::default();
        for r in rows {
            match r.kind {
                Phase::New => t.new_done += 1,
                Phase::Review => t.reviews_done += 1,
                Phase::Learning | Phase::Relearning => {}
            }
            t.groups.insert(r.item.sibling_group().to_string());
        }
        t
    }
}

/// Which count a queued card belongs to on the review screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    New,
    Learning,
    Review,
}

/// A card waiting in the queue, with the state it will be graded from.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueEntry {
    pub key: ItemKey,
    pub state: Option<CardState>,
    pub class: Class,
}

impl QueueEntry {
    fn due(&self) -> Timestamp {
        self.state.as_ref().map_or(Timestamp::MIN, |s| s.due)
    }
}

/// Cards left, by class: the three numbers on the review screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub new: usize,
    pub learning: usize,
    pub review: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.new + self.learning + self.review
    }

    pub(crate) fn add(&mut self, class: Class) {
        match class {
            Class::New => self.new += 1,
            Class::Learning => self.learning += 1,
            Class::Review => self.review += 1,
        }
    }
}

/// The cards of one session, by class. Learning cards are ordered by due time, reviews by due
/// time then key, new cards in pack order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Queue {
    pub(crate) learning: Vec<QueueEntry>,
    pub(crate) review: VecDeque<QueueEntry>,
    pub(crate) new: VecDeque<QueueEntry>,
}

impl Queue {
    /// Today's cards in `scope` at `now`. Items no longer in the catalog (removed from their
    /// pack) keep their state but are left out; questions join only once sent to review
    /// ([`Catalog::enroll`]).
    pub fn build(
        catalog: &Catalog,
        states: &HashMap<ItemKey, CardState>,
        today: &Today,
        scope: &Scope,
        settings: &Settings,
        clock: &DayClock,
        now: Timestamp,
    ) -> Queue {
        let day_end = clock.next_day_start(now);
        let mut q = Queue::default();
        let mut reviews = Vec::new();
        let mut fresh = Vec::new();
        for e in catalog.entries().iter().filter(|e| e.in_scope(scope)) {
            match catalog.state(e, states) {
                // A missed question comes back today, whatever the new-card limit.
                None if catalog.is_missed(e) => {
                    q.learning.push(entry(&e.key, None, Class::Learning))
                }
                None if catalog.offers_new(e) => fresh.push(&e.key),
                None => {}
                Some(s) if s.due >= day_end => {}
                Some(s) if s.phase == Phase::Review => reviews.push((s, &e.key)),
                Some(s) => q.learning.push(entry(&e.key, Some(s), Class::Learning)),
            }
        }
        q.learning
            .sort_by(|a, b| (a.due(), &a.key).cmp(&(b.due(), &b.key)));
        reviews.sort_by(|a, b| (a.0.due, a.1).cmp(&(b.0.due, b.1)));
        let mut busy: HashSet<&str> = today.groups.iter().map(String::as_str).collect();
        busy.extend(q.learning.iter().map(|e| e.key.sibling_group()));
        let review_room = settings.reviews_per_day.saturating_sub(today.reviews_done) as usize;
        for (s, key) in reviews {
            if q.review.len() >= review_room {
                break;
            }
            if busy.insert(key.sibling_group()) {
                q.review.push_back(entry(key, Some(s), Class::Review));
            }
        }
        let new_room = settings.new_per_day.saturating_sub(today.new_done) as usize;
        for key in fresh {
            if q.new.len() >= new_room {
                break;
            }
            if busy.insert(key.sibling_group()) {
                q.new.push_back(entry(key, None, Class::New));
            }
        }
        q
    }

    pub fn counts(&self) -> Counts {
        Counts {
            new: self.new.len(),
            learning: self.learning.len(),
            review: self.review.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.counts().total() == 0
    }

    /// Puts a card back: learning cards by due time, others at the front of their list.
    pub(crate) fn put_back(&mut self, e: QueueEntry) {
        match e.class {
            Class::Learning => self.insert_learning(e),
            Class::Review => self.review.push_front(e),
            Class::New => self.new.push_front(e),
        }
    }

    pub(crate) fn insert_learning(&mut self, e: QueueEntry) {
        let at = self.learning.partition_point(|x| x.due() <= e.due());
        self.learning.insert(at, e);
    }

    /// The next card at `now`: a learning card that is due, else a review, else a new card,
    /// else a learning card due within `learn_ahead`.
    pub(crate) fn pop(&mut self, now: Timestamp, learn_ahead: Timestamp) -> Option<QueueEntry> {
        let due_by = |q: &Queue, t: Timestamp| q.learning.first().is_some_and(|e| e.due() <= t);
        if due_by(self, now) {
            return Some(self.learning.remove(0));
        }
        if let Some(e) = self.review.pop_front().or_else(|| self.new.pop_front()) {
            return Some(e);
        }
        due_by(self, learn_ahead).then(|| self.learning.remove(0))
    }

    /// When the next learning card comes due, if any is left.
    pub(crate) fn next_learning_due(&self) -> Option<Timestamp> {
        self.learning.first().map(QueueEntry::due)
    }

    pub(crate) fn remove(&mut self, key: &ItemKey) {
        self.learning.retain(|e| &e.key != key);
    }
}

fn entry(key: &ItemKey, state: Option<&CardState>, class: Class) -> QueueEntry {
    QueueEntry {
        key: key.clone(),
        state: state.cloned(),
        class,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::srs::item::tests::library;
    use crate::srs::{Grade, Scheduler};

    fn setup() -> (Catalog, Scheduler, Timestamp) {
        let s = Scheduler::new(&[], Settings::default(), DayClock::utc(4)).unwrap();
        (
            Catalog::from_library(&library()),
            s,
            "2026-03-10T12:00:00Z".parse().unwrap(),
        )
    }

    /// Today's queue over every pack with the scheduler's own settings, as most tests want it.
    pub(crate) fn build_queue(
        cat: &Catalog,
        s: &Scheduler,
        states: &HashMap<ItemKey, CardState>,
        today: &Today,
        now: Timestamp,
    ) -> Queue {
        Queue::build(
            cat,
            states,
            today,
            &Scope::default(),
            s.settings(),
            s.clock(),
            now,
        )
    }

    /// Expected queue sizes in one line, so tests read as the numbers they check.
    pub(crate) fn counts(new: usize, learning: usize, review: usize) -> Counts {
        Counts {
            new,
            learning,
            review,
        }
    }

    fn keys(q: &Queue) -> Vec<&str> {
        q.learning
            .iter()
            .chain(&q.review)
            .chain(&q.new)
            .map(|e| e.key.as_str())
            .collect()
    }

    #[test]
    fn new_cards_skip_siblings_and_questions() {
        let (cat, s, now) = setup();
        let q = build_queue(&cat, &s, &HashMap::new(), &Today::default(), now);
        assert_eq!(keys(&q), ["sd/a", "sd/b", "sd/c#c1"]);
    }

    #[test]
    fn a_question_sent_to_review_is_due_at_once_past_the_new_limit() {
        let (mut cat, s, now) = setup();
        cat.enroll([ItemKey::new("sd/q")]);
        let q = build_queue(&cat, &s, &HashMap::new(), &Today::default(), now);
        assert_eq!(keys(&q), ["sd/q", "sd/a", "sd/b", "sd/c#c1"]);
        assert_eq!((q.counts().learning, q.counts().new), (1, 3));
    }

    #[test]
    fn limits_and_today_are_respected() {
        let (cat, s, now) = setup();
        let settings = Settings {
            new_per_day: 2,
            ..Settings::default()
        };
        let answered = s
            .grade(&ItemKey::new("sd/a"), None, Grade::Good, now, 0)
            .unwrap();
        let today = Today::from_log([&answered.log]);
        assert_eq!(today.new_done, 1);
        let states = HashMap::from([(answered.key.clone(), answered.after)]);
        let q = Queue::build(
            &cat,
            &states,
            &today,
            &Scope::default(),
            &settings,
            s.clock(),
            now,
        );
        assert_eq!(keys(&q), ["sd/a", "sd/b"]);
        assert_eq!(q.counts(), counts(1, 1, 0));
    }

    #[test]
    fn a_removed_card_leaves_the_queue_but_keeps_its_state() {
        let (cat, s, now) = setup();
        let gone = s
            .grade(&ItemKey::new("sd/removed"), None, Grade::Again, now, 0)
            .unwrap();
        let states = HashMap::from([(gone.key.clone(), gone.after)]);
        let q = build_queue(&cat, &s, &states, &Today::default(), now);
        assert!(!keys(&q).contains(&"sd/removed"));
        assert_eq!(states.len(), 1);
    }

    #[test]
    fn a_renamed_card_keeps_the_progress_of_its_former_id() {
        let (_, s, now) = setup();
        let mut lib = library();
        // Card `a` was called `old-a` when it was first learnt.
        lib.packs[0].cards[0].aliases.push("old-a".into());
        let cat = Catalog::from_library(&lib);
        let learnt = s
            .grade(&ItemKey::new("sd/old-a"), None, Grade::Good, now, 0)
            .unwrap();
        let states = HashMap::from([(learnt.key.clone(), learnt.after.clone())]);
        let q = build_queue(&cat, &s, &states, &Today::default(), now);
        // Not offered as new: it is in learning, under its new key, from the old state.
        assert!(q.new.iter().all(|e| e.key.as_str() != "sd/a"));
        let a = q
            .learning
            .iter()
            .find(|e| e.key.as_str() == "sd/a")
            .unwrap();
        assert_eq!(a.state.as_ref(), Some(&learnt.after));
        // Once answered under the new id, its own state wins.
        let again = s
            .grade(&a.key, a.state.as_ref(), Grade::Good, learnt.after.due, 0)
            .unwrap();
        let states = HashMap::from([
            (learnt.key.clone(), learnt.after.clone()),
            (again.key.clone(), again.after.clone()),
        ]);
        let entry = cat.get(&ItemKey::new("sd/a")).unwrap();
        assert_eq!(cat.state(entry, &states), Some(&again.after));
    }

    #[test]
    fn a_sibling_answered_today_buries_the_others() {
        let (cat, s, now) = setup();
        let a = s
            .grade(&ItemKey::new("sd/c#c2"), None, Grade::Easy, now, 0)
            .unwrap();
        let today = Today::from_log([&a.log]);
        let states = HashMap::from([(a.key.clone(), a.after)]);
        let q = build_queue(&cat, &s, &states, &today, now);
        assert_eq!(keys(&q), ["sd/a", "sd/b"]);
    }
}
