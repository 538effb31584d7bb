//! What the learner answered before, as the store hands it over, and the questions selection
//! asks of it: when was this question last seen, is it still missed, how accurate is a domain.

use std::collections::HashMap;

use super::{QuestionKey, UnixMillis};
use crate::content::Library;

/// How many of a domain's latest answers its accuracy is measured over: recent enough to
/// follow improvement, many enough not to swing on one answer.
pub const RECENT_ANSWERS: usize = 30;

/// Every former id of a loaded question (its `aliases`) with the question it became.
pub fn renamed_questions(library: &Library) -> HashMap<QuestionKey, QuestionKey> {
    let mut out = HashMap::new();
    for pack in &library.packs {
        for q in &pack.questions {
            for alias in &q.aliases {
                out.insert(
                    QuestionKey::new(pack.id(), alias),
                    QuestionKey::new(pack.id(), &q.id),
                );
            }
        }
    }
    out
}

/// One past answer to one question, from any attempt of any mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastAnswer {
    pub key: QuestionKey,
    pub answered_at: UnixMillis,
    pub correct: bool,
}

/// The latest answer per question.
#[derive(Debug, Clone, Copy)]
struct Latest {
    at: UnixMillis,
    correct: bool,
}

/// Past answers, indexed for selection.
#[derive(Debug, Clone, Default)]
pub struct History {
    latest: HashMap<QuestionKey, Latest>,
    /// Newest first.
    answers: Vec<PastAnswer>,
}

impl History {
    pub fn new(answers: impl IntoIterator<Item = PastAnswer>) -> Self {
        let mut answers: Vec<PastAnswer> = answers.into_iter().collect();
        answers.sort_by(|a, b| b.answered_at.cmp(&a.answered_at).then(a.key.cmp(&b.key)));
        let mut latest = HashMap::new();
        for a in &answers {
            latest.entry(a.key.clone()).or_insert(Latest {
                at: a.answered_at,
                correct: a.correct,
            });
        }
        History { latest, answers }
    }

    /// The same answers with each one given under a question's former id (`aliases`) counted
    /// as an answer to the question it became, so a renamed question keeps its past.
    pub fn following(&self, renamed: &HashMap<QuestionKey, QuestionKey>) -> History {
        if renamed.is_empty() {
            return self.clone();
        }
        History::new(self.answers.iter().map(|a| PastAnswer {
            key: renamed.get(&a.key).unwrap_or(&a.key).clone(),
            ..a.clone()
        }))
    }

    /// When the question was last answered, if ever.
    pub fn last_seen(&self, key: &QuestionKey) -> Option<UnixMillis> {
        self.latest.get(key).map(|l| l.at)
    }

    /// When the question was missed, if its latest answer is a miss; a later right answer
    /// clears it.
    pub fn open_miss(&self, key: &QuestionKey) -> Option<UnixMillis> {
        self.latest.get(key).filter(|l| !l.correct).map(|l| l.at)
    }

    /// Accuracy over the latest [`RECENT_ANSWERS`] answers to questions in a group, with one
    /// imagined right and one imagined wrong answer added (Laplace smoothing), so a group with
    /// no answers reads 0.5 and a single answer cannot make it look perfect or hopeless.
    pub fn recent_accuracy(&self, in_group: impl Fn(&QuestionKey) -> bool) -> f64 {
        let recent = self.answers.iter().filter(|a| in_group(&a.key));
        let (right, total) = recent
            .take(RECENT_ANSWERS)
            .fold((0u32, 0u32), |(r, t), a| (r + u32::from(a.correct), t + 1));
        f64::from(right + 1) / f64::from(total + 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(id: &str, at: UnixMillis, correct: bool) -> PastAnswer {
        PastAnswer {
            key: QuestionKey::new("p", id),
            answered_at: at,
            correct,
        }
    }

    #[test]
    fn the_latest_answer_decides_seen_and_missed() {
        let h = History::new([
            answer("a", 10, false),
            answer("a", 20, true),
            answer("b", 15, true),
            answer("b", 30, false),
        ]);
        let key = |id| QuestionKey::new("p", id);
        assert_eq!(h.last_seen(&key("a")), Some(20));
        assert_eq!(h.open_miss(&key("a")), None);
        assert_eq!(h.open_miss(&key("b")), Some(30));
        assert_eq!(h.last_seen(&key("c")), None);
    }

    #[test]
    fn answers_under_a_former_id_count_for_the_renamed_question() {
        // `b` was called `a` when it was missed; then another question took no answers.
        let h = History::new([answer("a", 10, false), answer("z", 12, true)]);
        let renamed = HashMap::from([(QuestionKey::new("p", "a"), QuestionKey::new("p", "b"))]);
        let h = h.following(&renamed);
        assert_eq!(h.open_miss(&QuestionKey::new("p", "b")), Some(10));
        assert_eq!(h.last_seen(&QuestionKey::new("p", "a")), None);
        assert_eq!(h.last_seen(&QuestionKey::new("p", "z")), Some(12));
    }

    #[test]
    fn accuracy_is_smoothed_and_recent() {
        let h = History::default();
        assert_eq!(h.recent_accuracy(|_| true), 0.5);
        // 40 old misses, then 30 right answers: only the recent 30 count.
        let old = (0..40).map(|t| answer("a", t, false));
        let new = (100..130).map(|t| answer("a", t, true));
        let h = History::new(old.chain(new));
        assert_eq!(h.recent_accuracy(|_| true), 31.0 / 32.0);
        assert_eq!(h.recent_accuracy(|k| k.id == "z"), 0.5);
    }
}
