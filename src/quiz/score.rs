//! Marking and the scaled score.
//!
//! Every question is all-or-nothing: a multiple-response question counts only when exactly the
//! right set is chosen, as on the real exam, so there is no partial credit to scale.
//!
//! The scale is linear from 100 (nothing right) to 1000 (everything right). AWS scales with a
//! model it does not publish (it equates question sets of different difficulty), so a straight
//! line is the honest choice: it keeps the pass mark meaningful (720 needs 69% right) and can be
//! explained in one sentence on the results screen.

use serde::{Deserialize, Serialize};

use super::{QuestionKey, UnixMillis};
use crate::content::Question;

/// The bottom of the scaled range, scored with no right answers.
pub const SCALED_MIN: u32 = 100;
/// The top of the scaled range, scored with every answer right.
pub const SCALED_MAX: u32 = 1000;

/// Whether `chosen` (pack choice indexes) is exactly the set of correct choices.
pub fn is_correct(question: &Question, chosen: &[usize]) -> bool {
    let mut chosen = chosen.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    let key = question
        .choices
        .iter()
        .enumerate()
        .filter(|(_, c)| c.correct)
        .map(|(i, _)| i);
    chosen.into_iter().eq(key)
}

/// `correct` of `total` on the 100..1000 scale, rounded to the nearest point.
pub fn scaled(correct: usize, total: usize) -> u32 {
    if total == 0 {
        return SCALED_MIN;
    }
    let span = u64::from(SCALED_MAX - SCALED_MIN);
    let (correct, total) = (correct as u64, total as u64);
    SCALED_MIN + ((span * correct + total / 2) / total) as u32
}

/// Right answers in one domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainScore {
    /// `None` gathers questions without a domain.
    pub domain: Option<String>,
    pub correct: usize,
    pub total: usize,
}

impl DomainScore {
    /// Rounded to a whole percent; 0 for an empty domain.
    pub fn percent(&self) -> u32 {
        percent(self.correct, self.total)
    }
}

/// The results of an attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub correct: usize,
    pub total: usize,
    /// 100..1000, see the module docs.
    pub scaled: u32,
    /// The pack's pass mark on the same scale, for exams.
    pub pass_score: Option<u32>,
    /// In the pack's domain order, then any other domain in order of first appearance.
    pub domains: Vec<DomainScore>,
    /// Time spent in the attempt, never more than its limit.
    pub used_ms: UnixMillis,
}

impl Score {
    /// Tallies marked questions; `domain_order` puts the pack's domains first, in its order.
    pub fn new(
        marks: impl IntoIterator<Item = (Option<String>, bool)>,
        domain_order: &[String],
        pass_score: Option<u32>,
        used_ms: UnixMillis,
    ) -> Self {
        let mut domains: Vec<DomainScore> = Vec::new();
        for (domain, correct) in marks {
            let index = match domains.iter().position(|d| d.domain == domain) {
                Some(i) => i,
                None => {
                    domains.push(DomainScore {
                        domain,
                        correct: 0,
                        total: 0,
                    });
                    domains.len() - 1
                }
            };
            domains[index].total += 1;
            domains[index].correct += usize::from(correct);
        }
        let rank = |d: &DomainScore| {
            let position = d
                .domain
                .as_ref()
                .and_then(|id| domain_order.iter().position(|o| o == id));
            position.unwrap_or(domain_order.len())
        };
        domains.sort_by_key(rank);
        let correct = domains.iter().map(|d| d.correct).sum();
        let total = domains.iter().map(|d| d.total).sum();
        Score {
            correct,
            total,
            scaled: scaled(correct, total),
            pass_score,
            domains,
            used_ms,
        }
    }

    /// Pass or fail against the pass mark, for attempts that have one.
    pub fn passed(&self) -> Option<bool> {
        self.pass_score.map(|pass| self.scaled >= pass)
    }

    pub fn percent(&self) -> u32 {
        percent(self.correct, self.total)
    }
}

/// One question's final answer, as the store records it for history and drills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRecord {
    pub key: QuestionKey,
    /// Pack choice indexes, ascending; empty when left unanswered.
    pub chosen: Vec<usize>,
    pub correct: bool,
    pub time_ms: UnixMillis,
    /// When the answer was last changed; the end of the attempt for unanswered questions.
    pub answered_at: UnixMillis,
}

fn percent(correct: usize, total: usize) -> u32 {
    match total {
        0 => 0,
        _ => ((100 * correct + total / 2) / total) as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::fixture::question;

    #[test]
    fn multiple_response_is_all_or_nothing() {
        let q = question("q", "d", 5, &[1, 3]);
        assert!(is_correct(&q, &[1, 3]));
        assert!(is_correct(&q, &[3, 1]));
        assert!(!is_correct(&q, &[1]), "half right is wrong");
        assert!(!is_correct(&q, &[1, 3, 4]), "one too many is wrong");
        assert!(!is_correct(&q, &[]));
        let single = question("s", "d", 4, &[2]);
        assert!(is_correct(&single, &[2]));
        assert!(!is_correct(&single, &[0]));
    }

    #[test]
    fn the_scale_is_linear_from_100_to_1000() {
        assert_eq!(scaled(0, 65), 100);
        assert_eq!(scaled(65, 65), 1000);
        assert_eq!(scaled(1, 2), 550);
        // 720 on a 65-question exam needs 45 right.
        assert_eq!(scaled(44, 65), 709);
        assert_eq!(scaled(45, 65), 723);
        assert_eq!(scaled(0, 0), 100);
    }

    #[test]
    fn domains_follow_the_pack_order_with_percentages() {
        let marks = [
            (Some("cost"), true),
            (None, false),
            (Some("secure"), true),
            (Some("secure"), false),
            (Some("cost"), true),
            (Some("secure"), false),
        ]
        .map(|(d, c)| (d.map(String::from), c));
        let order = ["secure".to_string(), "cost".to_string()];
        let score = Score::new(marks, &order, Some(720), 5_000);
        let domains: Vec<(Option<&str>, usize, usize, u32)> = score
            .domains
            .iter()
            .map(|d| (d.domain.as_deref(), d.correct, d.total, d.percent()))
            .collect();
        assert_eq!(
            domains,
            [
                (Some("secure"), 1, 3, 33),
                (Some("cost"), 2, 2, 100),
                (None, 0, 1, 0)
            ]
        );
        assert_eq!((score.correct, score.total, score.percent()), (3, 6, 50));
        assert_eq!(score.scaled, 550);
        assert_eq!(score.passed(), Some(false));
        assert_eq!(Score::new([], &[], None, 0).passed(), None);
    }
}
