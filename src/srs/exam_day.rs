//! An exam day the learner plans for, as the daily queue applies it: each domain's new cards
//! for today, weakest domain first, and the rule that refreshes a card in the week before the
//! exam when its next review would fall after it. The planner's simulation applies the same
//! rule (`crate::srs::planner`), so what the plan predicts is what the queue does.

use xxhash_rust::xxh3::xxh3_64;

use super::key::ItemKey;
use super::state::{CardState, Phase};
use super::time::{DayClock, day_number};

/// Today's share of an exam plan for one pack.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamDay {
    pub pack: String,
    /// The exam's learning day, in days since 1970-01-01.
    pub exam_day: i64,
    /// The forgetting curve's decay (FSRS parameter `w[20]`).
    pub decay: f32,
    /// New cards for today by domain (`pack:domain`), weakest domain first.
    pub new_cards: Vec<(String, u32)>,
}

impl ExamDay {
    /// Whether the card belongs to the planned pack.
    pub fn covers(&self, key: &ItemKey) -> bool {
        key.pack() == self.pack
    }

    /// Where the domain comes in today's new cards (weakest first) and how many it gets;
    /// `None` for a domain the plan gives no new cards.
    pub fn new_for(&self, domain: Option<&str>) -> Option<(usize, u32)> {
        let domain = domain?;
        self.new_cards
            .iter()
            .position(|(d, _)| d == domain)
            .map(|i| (i, self.new_cards[i].1))
    }

    /// Whether a review card not due today is refreshed today: it is due on or after the exam
    /// and weak there, and today is its day in the week before.
    pub fn refreshes_today(
        &self,
        key: &ItemKey,
        state: &CardState,
        clock: &DayClock,
        today: i64,
    ) -> bool {
        if state.phase != Phase::Review || !self.covers(key) {
            return false;
        }
        let last = day_number(clock.day_of(state.last_review));
        let due = day_number(clock.day_of(state.due));
        needs_refresh(last, due, self.exam_day, state.memory.stability, self.decay)
            && refresh_day(last, self.exam_day, salt_of(key.as_str())).is_some_and(|d| d <= today)
            && today < self.exam_day
    }
}

/// A card due after the exam is refreshed before it when its recall on exam day would be below
/// this.
pub const REFRESH_BELOW: f64 = 0.95;

/// How many days before the exam refreshes may fall: a week, so they are spread thin.
pub const REFRESH_WINDOW: i64 = 7;

/// The probability of recall `days` after a review at stability `stability`, on FSRS's power
/// forgetting curve with the parameters' decay (`w[20]`).
pub fn recall(days: f64, stability: f32, decay: f32) -> f64 {
    let state = fsrs::MemoryState {
        stability,
        difficulty: 5.0,
    };
    f64::from(fsrs::current_retrievability(
        state,
        days.max(0.0) as f32,
        decay,
    ))
}

/// Whether a card last reviewed on day `last`, next due on day `due`, must be refreshed before
/// an exam on day `exam` (any day numbering): it is due on or after the exam and would be
/// recalled with probability below [`REFRESH_BELOW`] there.
pub fn needs_refresh(last: i64, due: i64, exam: i64, stability: f32, decay: f32) -> bool {
    due >= exam && recall((exam - last) as f64, stability, decay) < REFRESH_BELOW
}

/// The day such a card is refreshed: in the last [`REFRESH_WINDOW`] days before the exam and
/// after its last review, spread by `salt` (a hash of the card) so no day takes them all.
/// `None` when no day is left between the last review and the exam.
pub fn refresh_day(last: i64, exam: i64, salt: u64) -> Option<i64> {
    let first = (last + 1).max(exam - REFRESH_WINDOW);
    let end = exam - 1;
    let span = u64::try_from(end - first + 1).ok().filter(|&n| n > 0)?;
    Some(first + (salt % span) as i64)
}

/// The salt of a card for [`refresh_day`], from a stable name (an item key).
pub fn salt_of(name: &str) -> u64 {
    xxh3_64(name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECAY: f32 = fsrs::FSRS6_DEFAULT_DECAY;

    /// FSRS-6's curve, R(t, S) = (1 + f·t/S)^(-w20) with f = 0.9^(-1/w20) - 1, recalls 90% at
    /// t = S by construction; at S = 10 the published curve gives 0.9857, 0.9403 and 0.8094
    /// at t = 1, 5 and 30 (fsrs-rs `power_forgetting_curve`, default w20 = 0.1542; worked
    /// out by hand from the formula).
    #[test]
    fn the_curve_matches_the_published_formula() {
        for s in [1.0, 10.0, 365.0] {
            assert!(
                (recall(f64::from(s), s, DECAY) - 0.9).abs() < 1e-4,
                "S = {s}"
            );
        }
        for (t, want) in [(1.0, 0.9857), (5.0, 0.9403), (30.0, 0.8094)] {
            assert!((recall(t, 10.0, DECAY) - want).abs() < 5e-4, "t = {t}");
        }
        assert_eq!(recall(0.0, 10.0, DECAY), 1.0);
    }

    #[test]
    fn only_cards_due_after_the_exam_and_weak_there_are_refreshed() {
        // S = 10 reviewed 10 days before the exam: R = 0.90 < 0.95.
        assert!(needs_refresh(0, 12, 10, 10.0, DECAY));
        // Due before the exam: its own review comes first.
        assert!(!needs_refresh(0, 9, 10, 10.0, DECAY));
        // Strong enough on exam day: R(10, 400) ≈ 0.997.
        assert!(!needs_refresh(0, 30, 10, 400.0, DECAY));
    }

    #[test]
    fn refreshes_fall_in_the_last_week_after_the_last_review() {
        for salt in 0..50 {
            let d = refresh_day(0, 30, salt).unwrap();
            assert!((23..=29).contains(&d), "{d}");
            let late = refresh_day(26, 30, salt).unwrap();
            assert!((27..=29).contains(&late), "{late}");
        }
        assert_eq!(refresh_day(29, 30, 7), None, "no day between");
        let days: std::collections::HashSet<i64> =
            (0..200).filter_map(|s| refresh_day(0, 30, s)).collect();
        assert_eq!(days.len(), 7, "every day of the window is used");
    }

    /// The daily queue under an exam plan, on the test library: pack `sd`, whose note
    /// `caching` (domain `sd:design`) has `sd/a` and the cloze `sd/c`; `sd/b` has no domain.
    mod in_the_queue {
        use std::collections::HashMap;

        use jiff::{Timestamp, ToSpan};

        use super::super::*;
        use super::DECAY;
        use crate::srs::item::{Catalog, Scope};
        use crate::srs::queue::tests::build_queue;
        use crate::srs::queue::{Queue, Today};
        use crate::srs::state::Memory;
        use crate::srs::{Scheduler, Settings};

        fn setup(new_per_day: u32) -> (Catalog, Scheduler, Timestamp) {
            let settings = Settings {
                new_per_day,
                ..Settings::default()
            };
            let s = Scheduler::new(&[], settings, DayClock::utc(4)).unwrap();
            let cat = Catalog::from_library(&crate::srs::item::tests::library());
            (cat, s, "2026-03-10T12:00:00Z".parse().unwrap())
        }

        fn plan(s: &Scheduler, now: Timestamp, exam_in: i64, design: u32) -> ExamDay {
            ExamDay {
                pack: "sd".into(),
                exam_day: day_number(s.clock().day_of(now)) + exam_in,
                decay: DECAY,
                new_cards: vec![("sd:design".into(), design)],
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
        fn the_planned_pack_takes_new_cards_by_domain_budget_not_the_daily_limit() {
            let (cat, s, now) = setup(0);
            let mut today = Today {
                exams: vec![plan(&s, now, 30, 1)],
                ..Today::default()
            };
            let q = build_queue(&cat, &s, &HashMap::new(), &today, now);
            assert_eq!(keys(&q), ["sd/a"], "a budget of one, though the limit is 0");
            today.exams = vec![plan(&s, now, 30, 5)];
            let q = build_queue(&cat, &s, &HashMap::new(), &today, now);
            // One cloze sibling a day; sd/b has no domain, so no budget.
            assert_eq!(keys(&q), ["sd/a", "sd/c#c1"]);
            today.introduced = vec![ItemKey::new("sd/a")];
            today.new_done = 1;
            today.exams = vec![plan(&s, now, 30, 1)];
            let q = build_queue(&cat, &s, &HashMap::new(), &today, now);
            assert!(
                keys(&q).is_empty(),
                "today's introduced card used the budget"
            );
        }

        #[test]
        fn a_chosen_topic_is_studied_whatever_the_plan_budgets() {
            let (cat, s, now) = setup(0);
            let today = Today {
                exams: vec![plan(&s, now, 30, 0)],
                ..Today::default()
            };
            let scope = Scope {
                topic: Some("sd:caching".into()),
                ..Scope::default()
            };
            let q = Queue::build(
                &cat,
                &HashMap::new(),
                &today,
                &scope,
                s.settings(),
                s.clock(),
                now,
            );
            assert_eq!(keys(&q), ["sd/a", "sd/c#c1"]);
        }

        #[test]
        fn a_card_weak_on_exam_day_comes_back_on_its_day_in_the_last_week() {
            let (cat, s, now) = setup(0);
            // Stability 10, last seen 20 days ago, due in 40 days: on an exam 5 days away
            // recall would be R(25, 10) = 0.82 < 0.95, so it is refreshed before.
            let state = CardState {
                phase: Phase::Review,
                step: 0,
                memory: Memory {
                    stability: 10.0,
                    difficulty: 5.0,
                },
                due: now + (40 * 24).hours(),
                last_review: now - (20 * 24).hours(),
                scheduled_days: 60,
                reps: 3,
                lapses: 0,
            };
            let states = HashMap::from([(ItemKey::new("sd/a"), state)]);
            let today = day_number(s.clock().day_of(now));
            let exam = plan(&s, now, 5, 0);
            let refresh = refresh_day(today - 20, exam.exam_day, salt_of("sd/a")).unwrap();
            assert!((today - 2..today + 5).contains(&refresh));
            for ahead in 0..7 {
                let at = now + (ahead * 24).hours();
                let q = build_queue(
                    &cat,
                    &s,
                    &states,
                    &Today {
                        exams: vec![exam.clone()],
                        ..Today::default()
                    },
                    at,
                );
                let reviewed = q.review.iter().any(|e| e.key.as_str() == "sd/a");
                let day = today + ahead;
                assert_eq!(
                    reviewed,
                    day >= refresh && day < exam.exam_day,
                    "day {ahead} from now"
                );
            }
            let q = build_queue(&cat, &s, &states, &Today::default(), now);
            assert!(
                q.review.is_empty(),
                "without a plan it waits for its due day"
            );
        }
    }
}
