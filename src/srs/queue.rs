//! Today's queue: which cards a session will show, honouring the daily limits and keeping
//! siblings (the sides and deletions of one card) on different days.

use std::collections::{HashMap, HashSet, VecDeque};

use jiff::Timestamp;
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::exam_day::ExamDay;
use super::item::{Catalog, Entry, Scope};
use super::key::ItemKey;
use super::settings::{NewOrder, Settings};
use super::state::{CardState, Phase, ReviewLog};
use super::time::DayClock;
use super::time::day_number;

/// What has already happened today, from today's log rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Today {
    /// New cards introduced.
    pub new_done: u32,
    /// Review cards answered.
    pub reviews_done: u32,
    /// Sibling groups answered, whose other members wait for another day.
    pub groups: HashSet<String>,
    /// New cards the learner added to today's limit, by pack (custom study); they are counted
    /// against today only, since tomorrow's `Today` starts without them.
    pub extra_new: HashMap<String, u32>,
    /// Cards introduced today (their first answer was today), for per-domain budgets.
    pub introduced: Vec<ItemKey>,
    /// Exam plans in force: their packs' new cards come from the plan's per-domain budgets
    /// instead of the daily limit, and weak cards are refreshed in the week before the exam.
    pub exams: Vec<ExamDay>,
}

impl Today {
    /// Summarises rows from the start of today on (see [`DayClock::start_of`]).
    pub fn from_log<'a>(rows: impl IntoIterator<Item = &'a ReviewLog>) -> Today {
        let mut t = Today::default();
        for r in rows {
            match r.kind {
                Phase::New => {
                    t.new_done += 1;
                    t.introduced.push(r.item.clone());
                }
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
/// time then key, new cards in the order the settings choose ([`NewOrder`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Queue {
    pub(crate) learning: Vec<QueueEntry>,
    pub(crate) review: VecDeque<QueueEntry>,
    pub(crate) new: VecDeque<QueueEntry>,
    /// New cards queued beyond what today's limit had left, because the learner chose to
    /// study this scope now.
    past_limit: usize,
}

impl Queue {
    /// Today's cards in `scope` at `now`. Items no longer in the catalog (removed from their
    /// pack) keep their state but are left out; questions join only once sent to review
    /// ([`Catalog::enroll`]).
    ///
    /// A chosen topic or tag is studied now: all its due cards, then all its new cards, past
    /// today's limits. Everything at once, or one pack (a daily habit), keeps the limits.
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
        let today_number = day_number(clock.day_of(now));
        let mut q = Queue::default();
        let chosen = scope.topic.is_some() || scope.tag.is_some();
        // A chosen topic or tag is studied now, whatever an exam plan budgets.
        let exams: &[ExamDay] = if chosen { &[] } else { &today.exams };
        let exam_of = |key: &ItemKey| exams.iter().find(|x| x.covers(key));
        let mut reviews = Vec::new();
        let mut fresh = Vec::new();
        let mut started: HashMap<&str, Timestamp> = HashMap::new();
        let entries = catalog.entries().iter();
        for e in entries.filter(|e| e.in_scope(scope) && !catalog.is_held(e, now)) {
            let state = catalog.state(e, states);
            if let (Some(s), Some(topic)) = (state, &e.topic) {
                let last = started.entry(topic).or_insert(s.last_review);
                *last = (*last).max(s.last_review);
            }
            match state {
                // A missed question comes back today, whatever the new-card limit.
                None if catalog.is_missed(e) => {
                    q.learning.push(entry(&e.key, None, Class::Learning))
                }
                None if catalog.offers_new(e) => fresh.push(e),
                None => {}
                Some(s)
                    if s.due >= day_end
                        && exam_of(&e.key)
                            .is_some_and(|x| x.refreshes_today(&e.key, s, clock, today_number)) =>
                {
                    reviews.push((s, &e.key))
                }
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
        let room = |limit: u32, done: u32| {
            let left = limit.saturating_sub(done) as usize;
            if chosen { usize::MAX } else { left }
        };
        let review_room = room(settings.reviews_per_day, today.reviews_done);
        for (s, key) in reviews {
            if q.review.len() >= review_room {
                break;
            }
            if busy.insert(key.sibling_group()) {
                q.review.push_back(entry(key, Some(s), Class::Review));
            }
        }
        // An exam plan's new cards have their own per-domain budgets, weakest domain first;
        // the daily limit is for the other packs.
        let (planned, fresh): (Vec<&Entry>, Vec<&Entry>) =
            fresh.into_iter().partition(|e| exam_of(&e.key).is_some());
        let planned_done = today
            .introduced
            .iter()
            .filter(|k| exam_of(k).is_some())
            .count();
        let new_done = today.new_done.saturating_sub(planned_done as u32);
        let mut budget: HashMap<&str, u32> = HashMap::new();
        for x in exams {
            for (domain, n) in &x.new_cards {
                let done = today
                    .introduced
                    .iter()
                    .filter(|k| catalog.get(k).and_then(|e| e.domain.as_deref()) == Some(domain))
                    .count() as u32;
                budget.insert(domain, n.saturating_sub(done));
            }
        }
        let rank = |e: &Entry| {
            let x = exam_of(&e.key);
            x.and_then(|x| x.new_for(e.domain.as_deref()))
                .map_or(usize::MAX, |(i, _)| i)
        };
        let mut planned = in_order(planned, settings, &started);
        planned.sort_by_key(|e| rank(e));
        for e in planned {
            let Some(left) = e.domain.as_deref().and_then(|d| budget.get_mut(d)) else {
                continue;
            };
            if *left > 0 && busy.insert(e.key.sibling_group()) {
                *left -= 1;
                q.new.push_back(entry(&e.key, None, Class::New));
            }
        }
        let planned_queued = q.new.len();
        let new_room = room(settings.new_per_day, new_done);
        // Past the daily limit, only packs given extra new cards for today offer more, until
        // the extra is used up (new cards past the limit count against it).
        let extra: u32 = today.extra_new.values().sum();
        let mut extra_room =
            extra.saturating_sub(new_done.saturating_sub(settings.new_per_day)) as usize;
        for e in in_order(fresh, settings, &started) {
            let key = &e.key;
            let within = q.new.len() - planned_queued < new_room;
            let as_extra = !within && extra_room > 0 && today.extra_new.contains_key(key.pack());
            if !(within || as_extra) || !busy.insert(key.sibling_group()) {
                continue;
            }
            extra_room -= usize::from(as_extra);
            q.new.push_back(entry(key, None, Class::New));
        }
        if chosen {
            let daily = settings.new_per_day.saturating_sub(today.new_done) as usize;
            q.past_limit = q.new.len().saturating_sub(daily);
        }
        q
    }

    /// Cards left by pack, in the order the packs first appear in the queue.
    pub fn counts_by_pack(&self) -> Vec<(String, Counts)> {
        let mut out: Vec<(String, Counts)> = Vec::new();
        for e in self.learning.iter().chain(&self.review).chain(&self.new) {
            let pack = e.key.pack();
            match out.iter_mut().find(|(p, _)| p == pack) {
                Some((_, c)) => c.add(e.class),
                None => {
                    let mut c = Counts::default();
                    c.add(e.class);
                    out.push((pack.to_string(), c));
                }
            }
        }
        out
    }

    /// New cards queued beyond today's limit (a chosen topic or tag studied now).
    pub fn past_limit(&self) -> usize {
        self.past_limit
    }

    /// Custom study, review ahead: the review cards in `scope` that come due in the `days`
    /// learning days after today, earliest first, to answer now. They are graded as usual:
    /// the scheduler takes the real time since the last review, so an early answer gives a
    /// shorter interval than one on the due day.
    pub fn ahead(
        catalog: &Catalog,
        states: &HashMap<ItemKey, CardState>,
        scope: &Scope,
        days: u32,
        clock: &DayClock,
        now: Timestamp,
    ) -> Queue {
        let from = clock.next_day_start(now);
        let until = clock.start_of(super::time::add_days(clock.day_of(from), i64::from(days)));
        let mut cards: Vec<(&CardState, &ItemKey)> = catalog
            .entries()
            .iter()
            .filter(|e| e.in_scope(scope) && !catalog.is_held(e, now))
            .filter_map(|e| Some((catalog.state(e, states)?, &e.key)))
            .filter(|(s, _)| s.phase == Phase::Review && s.due >= from && s.due < until)
            .collect();
        cards.sort_by(|a, b| (a.0.due, a.1).cmp(&(b.0.due, b.1)));
        Queue {
            review: cards
                .into_iter()
                .map(|(s, key)| entry(key, Some(s), Class::Review))
                .collect(),
            ..Queue::default()
        }
    }

    /// Custom study, cram: every card in `scope` in pack order, in whatever state, held ones
    /// and questions never sent to review aside. A cram session never saves its grades.
    pub fn cram(
        catalog: &Catalog,
        states: &HashMap<ItemKey, CardState>,
        scope: &Scope,
        now: Timestamp,
    ) -> Queue {
        let review = catalog
            .entries()
            .iter()
            .filter(|e| e.in_scope(scope) && !catalog.is_held(e, now))
            .filter_map(|e| match catalog.state(e, states) {
                Some(s) => Some(entry(&e.key, Some(s), Class::Review)),
                None if catalog.offers_new(e) => Some(entry(&e.key, None, Class::New)),
                None => None,
            })
            .collect();
        Queue {
            review,
            ..Queue::default()
        }
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

/// New cards in the order `settings` choose. `started` holds, for each topic with a reviewed
/// card, when it was last studied.
fn in_order<'c>(
    mut fresh: Vec<&'c Entry>,
    settings: &Settings,
    started: &HashMap<&str, Timestamp>,
) -> Vec<&'c Entry> {
    match settings.new_order {
        NewOrder::Syllabus => take_turns(sorted_by_place(fresh)),
        NewOrder::TopicByTopic => {
            let last = |e: &Entry| e.topic.as_deref().and_then(|t| started.get(t)).copied();
            let (mut begun, rest): (Vec<_>, Vec<_>) = sorted_by_place(fresh)
                .into_iter()
                .partition(|e| last(e).is_some());
            // Latest first; the sort is stable, so each topic keeps its cards' order.
            begun.sort_by_key(|e| std::cmp::Reverse(last(e)));
            begun.extend(take_turns(rest));
            begun
        }
        NewOrder::Random => {
            fresh.sort_by_cached_key(|e| {
                xxh3_64_with_seed(e.key.as_str().as_bytes(), settings.fuzz_seed)
            });
            fresh
        }
    }
}

fn sorted_by_place(mut entries: Vec<&Entry>) -> Vec<&Entry> {
    entries.sort_by_key(|e| e.place);
    entries
}

/// Entries sorted by place, with the packs taking turns: the first of each pack, then the
/// second of each, and so on.
fn take_turns(sorted: Vec<&Entry>) -> Vec<&Entry> {
    let mut by_pack: Vec<VecDeque<&Entry>> = Vec::new();
    for e in sorted {
        match by_pack.last_mut() {
            Some(run) if run.front().is_some_and(|f| f.place.pack == e.place.pack) => {
                run.push_back(e);
            }
            _ => by_pack.push(VecDeque::from([e])),
        }
    }
    let mut out = Vec::new();
    while !by_pack.is_empty() {
        by_pack.retain_mut(|run| {
            out.extend(run.pop_front());
            !run.is_empty()
        });
    }
    out
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
    use crate::srs::{Grade, Hold, Scheduler};

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
        // The note's cards first (syllabus order), then the card without a note.
        assert_eq!(keys(&q), ["sd/a", "sd/c#c1", "sd/b"]);
    }

    #[test]
    fn a_question_sent_to_review_is_due_at_once_past_the_new_limit() {
        let (mut cat, s, now) = setup();
        cat.enroll([ItemKey::new("sd/q")]);
        let q = build_queue(&cat, &s, &HashMap::new(), &Today::default(), now);
        assert_eq!(keys(&q), ["sd/q", "sd/a", "sd/c#c1", "sd/b"]);
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
        assert_eq!(keys(&q), ["sd/a", "sd/c#c1"]);
        assert_eq!(q.counts(), counts(1, 1, 0));
    }

    /// Two packs of three topics each: `later` (order 20), `sooner` (order 10) and `loose`
    /// (no order, so last), written in that order, with two cards each.
    fn syllabus() -> Catalog {
        let base = library().packs[0].clone();
        let mut lib = library();
        lib.packs.clear();
        for id in ["sd", "aws"] {
            let mut pack = base.clone();
            pack.manifest.id = id.into();
            pack.questions.clear();
            pack.cards.clear();
            pack.notes.clear();
            for (note, order) in [("later", Some(20)), ("sooner", Some(10)), ("loose", None)] {
                let mut n = base.notes[0].clone();
                (n.id, n.title, n.order) = (note.into(), note.into(), order);
                pack.notes.push(n);
                for i in 1..=2 {
                    let mut c = base.cards[0].clone();
                    c.id = format!("{note}-{i}").into();
                    c.note = Some(crate::content::NoteRef::parse(note));
                    pack.cards.push(c);
                }
            }
            lib.packs.push(pack);
        }
        Catalog::from_library(&lib)
    }

    fn with_order(new_order: NewOrder) -> Settings {
        Settings {
            new_order,
            ..Settings::default()
        }
    }

    /// The new cards of today's queue over everything.
    fn new_keys(
        cat: &Catalog,
        settings: &Settings,
        states: &HashMap<ItemKey, CardState>,
        now: Timestamp,
    ) -> Vec<String> {
        let clock = DayClock::utc(4);
        let q = Queue::build(
            cat,
            states,
            &Today::default(),
            &Scope::default(),
            settings,
            &clock,
            now,
        );
        q.new.iter().map(|e| e.key.as_str().to_string()).collect()
    }

    #[test]
    fn cards_left_are_counted_by_pack() {
        let (_, _, now) = setup();
        let settings = Settings {
            new_per_day: 3,
            ..Settings::default()
        };
        let clock = DayClock::utc(4);
        let q = Queue::build(
            &syllabus(),
            &HashMap::new(),
            &Today::default(),
            &Scope::default(),
            &settings,
            &clock,
            now,
        );
        // Three new cards, the packs taking turns: sd, aws, sd.
        assert_eq!(
            q.counts_by_pack(),
            [
                ("sd".to_string(), counts(2, 0, 0)),
                ("aws".to_string(), counts(1, 0, 0))
            ]
        );
    }

    #[test]
    fn new_cards_follow_the_syllabus_and_packs_take_turns() {
        let (_, _, now) = setup();
        let order = new_keys(
            &syllabus(),
            &with_order(NewOrder::Syllabus),
            &HashMap::new(),
            now,
        );
        assert_eq!(
            order,
            [
                "sd/sooner-1",
                "aws/sooner-1",
                "sd/sooner-2",
                "aws/sooner-2",
                "sd/later-1",
                "aws/later-1",
                "sd/later-2",
                "aws/later-2",
                "sd/loose-1",
                "aws/loose-1",
                "sd/loose-2",
                "aws/loose-2",
            ]
        );
    }

    #[test]
    fn topic_by_topic_finishes_started_topics_latest_first() {
        let (_, s, now) = setup();
        let studied = |key: &str, mins_ago: i64| {
            let at = now - jiff::SignedDuration::from_mins(mins_ago);
            let a = s
                .grade(&ItemKey::new(key), None, Grade::Good, at, 0)
                .unwrap();
            (a.key, a.after)
        };
        let states = HashMap::from([studied("aws/loose-1", 60), studied("sd/later-1", 30)]);
        let order = new_keys(
            &syllabus(),
            &with_order(NewOrder::TopicByTopic),
            &states,
            now,
        );
        assert_eq!(
            order,
            [
                // sd:later was studied last, then aws:loose.
                "sd/later-2",
                "aws/loose-2",
                // The rest in the syllabus, the packs taking turns.
                "sd/sooner-1",
                "aws/sooner-1",
                "sd/sooner-2",
                "aws/sooner-2",
                "sd/loose-1",
                "aws/later-1",
                "sd/loose-2",
                "aws/later-2",
            ]
        );
    }

    #[test]
    fn random_order_is_a_fixed_shuffle_of_the_same_cards() {
        let (_, _, now) = setup();
        let cat = syllabus();
        let none = HashMap::new();
        let random = new_keys(&cat, &with_order(NewOrder::Random), &none, now);
        let syllabus = new_keys(&cat, &with_order(NewOrder::Syllabus), &none, now);
        assert_eq!(
            random,
            new_keys(&cat, &with_order(NewOrder::Random), &none, now)
        );
        assert_ne!(random, syllabus);
        let (mut a, mut b) = (random.clone(), syllabus);
        a.sort();
        b.sort();
        assert_eq!(a, b, "the same cards");
        let reseeded = Settings {
            fuzz_seed: 7,
            ..with_order(NewOrder::Random)
        };
        assert_ne!(new_keys(&cat, &reseeded, &none, now), random);
    }

    #[test]
    fn a_chosen_topic_or_tag_is_studied_now_past_the_new_limit() {
        let (_, s, now) = setup();
        let cat = syllabus();
        let settings = Settings {
            new_per_day: 1,
            ..Settings::default()
        };
        let build = |scope: Scope| {
            let q = Queue::build(
                &cat,
                &HashMap::new(),
                &Today::default(),
                &scope,
                &settings,
                s.clock(),
                now,
            );
            (q.counts().new, q.past_limit())
        };
        assert_eq!(
            build(Scope::default()),
            (1, 0),
            "everything keeps the limit"
        );
        let pack = Scope {
            pack: Some("sd".into()),
            ..Scope::default()
        };
        assert_eq!(build(pack), (1, 0), "a pack is studied day by day");
        let tag = Scope {
            tag: Some("t".into()),
            ..Scope::default()
        };
        assert_eq!(build(tag), (12, 11), "every card has the tag `t`");
        let topic = Scope {
            topic: Some("aws:later".into()),
            ..Scope::default()
        };
        assert_eq!(build(topic), (2, 1));
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
    fn suspended_and_buried_cards_leave_the_queue() {
        let (mut cat, s, now) = setup();
        cat.set_hold(ItemKey::new("sd/a"), Some(Hold::Suspended));
        cat.set_hold(ItemKey::new("sd/b"), Some(Hold::bury(s.clock(), now)));
        let q = build_queue(&cat, &s, &HashMap::new(), &Today::default(), now);
        // The reverse side of the held card is its own card, and still offered (after the
        // note's card: the syllabus order).
        assert_eq!(keys(&q), ["sd/c#c1", "sd/b#reverse"]);
        // The burial ends when the next learning day starts; the suspension does not.
        let tomorrow = s.clock().next_day_start(now);
        let q = build_queue(&cat, &s, &HashMap::new(), &Today::default(), tomorrow);
        assert_eq!(keys(&q), ["sd/c#c1", "sd/b"]);
    }

    #[test]
    fn extra_new_cards_raise_only_todays_limit_of_their_pack() {
        let (cat, s, now) = setup();
        let settings = Settings {
            new_per_day: 1,
            ..Settings::default()
        };
        let build = |today: &Today| {
            Queue::build(
                &cat,
                &HashMap::new(),
                today,
                &Scope::default(),
                &settings,
                s.clock(),
                now,
            )
        };
        assert_eq!(keys(&build(&Today::default())), ["sd/a"]);
        let mut today = Today::default();
        today.extra_new.insert("sd".into(), 1);
        assert_eq!(keys(&build(&today)), ["sd/a", "sd/c#c1"]);
        // Another pack's extra does not open this pack's cards.
        let mut other = Today::default();
        other.extra_new.insert("k8s".into(), 5);
        assert_eq!(keys(&build(&other)), ["sd/a"]);
        // Two new cards done today: the limit and the extra are used up.
        today.new_done = 2;
        assert!(build(&today).new.is_empty());
    }

    #[test]
    fn review_ahead_takes_the_next_days_reviews_only() {
        let (cat, s, now) = setup();
        let mut states = HashMap::new();
        for (key, days) in [("sd/a", 1), ("sd/b", 3)] {
            let mut a = s
                .grade(&ItemKey::new(key), None, Grade::Easy, now, 0)
                .unwrap()
                .after;
            a.due = crate::srs::time::shift(now, jiff::SignedDuration::from_hours(24 * days));
            states.insert(ItemKey::new(key), a);
        }
        let ahead = |days| Queue::ahead(&cat, &states, &Scope::default(), days, s.clock(), now);
        assert_eq!(keys(&ahead(1)), ["sd/a"]);
        assert_eq!(keys(&ahead(3)), ["sd/a", "sd/b"]);
        assert!(
            build_queue(&cat, &s, &states, &Today::default(), now)
                .review
                .is_empty()
        );
    }

    #[test]
    fn cram_takes_every_card_in_any_state() {
        let (cat, s, now) = setup();
        let a = s
            .grade(&ItemKey::new("sd/a"), None, Grade::Easy, now, 0)
            .unwrap();
        let states = HashMap::from([(a.key.clone(), a.after)]);
        let q = Queue::cram(&cat, &states, &Scope::default(), now);
        assert_eq!(
            keys(&q),
            ["sd/a", "sd/b", "sd/b#reverse", "sd/c#c1", "sd/c#c2"]
        );
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
