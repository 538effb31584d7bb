//! How ready the learner is, per domain, for the home and stats screens.
//!
//! Two kinds of evidence feed the estimate. Recent exam results measure the skill that is
//! tested directly, so they weigh most; older results fade with a two-week half-life, because
//! what was missed a month ago says little about today. The average retrievability of the
//! domain's flashcards (from the scheduler) measures whether the facts are still remembered.
//! With both, the estimate is 70% exam and 30% recall; with one, it is that one.
//!
//! The confidence flag keeps a number from looking more certain than it is: a handful of
//! exam questions is "not enough data", however good the score.

use super::UnixMillis;

/// Exam evidence halves in weight every this long.
pub const HALF_LIFE_MS: UnixMillis = 14 * 24 * 3_600_000;
/// The exam's share of the estimate when card recall is known too.
pub const EXAM_SHARE: f64 = 0.7;
/// Recency-weighted exam questions for [`Confidence::High`].
pub const HIGH_EVIDENCE: f64 = 20.0;
/// Recency-weighted exam questions for [`Confidence::Low`] without enough cards.
pub const LOW_EVIDENCE: f64 = 5.0;
/// Cards with a retrievability for [`Confidence::Low`] without enough exam questions.
pub const LOW_CARDS: usize = 20;

/// A domain's result in one finished exam, from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamDomainResult {
    pub domain: String,
    pub finished_at: UnixMillis,
    pub correct: usize,
    pub total: usize,
}

/// The average retrievability (0..1) of a domain's cards that have been reviewed.
#[derive(Debug, Clone, PartialEq)]
pub struct CardRecall {
    pub domain: String,
    pub mean_retrievability: f64,
    pub cards: usize,
}

/// How far an estimate can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    NotEnoughData,
    Low,
    High,
}

/// One domain's readiness.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainReadiness {
    pub domain: String,
    /// 0..1; `None` when there is no evidence at all.
    pub estimate: Option<f64>,
    /// Recency-weighted share of exam questions right.
    pub exam_accuracy: Option<f64>,
    pub recall: Option<f64>,
    /// Recency-weighted number of exam questions behind `exam_accuracy`.
    pub exam_evidence: f64,
    pub confidence: Confidence,
}

/// Readiness for each of `domains`, in that order, as of `now`.
pub fn readiness(
    domains: &[String],
    exams: &[ExamDomainResult],
    recall: &[CardRecall],
    now: UnixMillis,
) -> Vec<DomainReadiness> {
    domains
        .iter()
        .map(|domain| {
            let (right, evidence) = exams
                .iter()
                .filter(|e| &e.domain == domain)
                .map(|e| {
                    let weight = decay(now - e.finished_at);
                    (weight * e.correct as f64, weight * e.total as f64)
                })
                .fold((0.0, 0.0), |(r, t), (er, et)| (r + er, t + et));
            let exam_accuracy = (evidence > 0.0).then(|| right / evidence);
            let cards = recall.iter().find(|r| &r.domain == domain && r.cards > 0);
            let recall = cards.map(|r| r.mean_retrievability.clamp(0.0, 1.0));
            let estimate = match (exam_accuracy, recall) {
                (Some(e), Some(r)) => Some(EXAM_SHARE * e + (1.0 - EXAM_SHARE) * r),
                (one, other) => one.or(other),
            };
            let card_count = cards.map_or(0, |r| r.cards);
            let confidence = if evidence >= HIGH_EVIDENCE {
                Confidence::High
            } else if evidence >= LOW_EVIDENCE || card_count >= LOW_CARDS {
                Confidence::Low
            } else {
                Confidence::NotEnoughData
            };
            DomainReadiness {
                domain: domain.clone(),
                estimate,
                exam_accuracy,
                recall,
                exam_evidence: evidence,
                confidence,
            }
        })
        .collect()
}

/// The weight of evidence `age` old; results from the future (a skewed clock) count as new.
fn decay(age: UnixMillis) -> f64 {
    0.5f64.powf(age.max(0) as f64 / HALF_LIFE_MS as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: UnixMillis = 24 * 3_600_000;
    const NOW: UnixMillis = 1_000 * DAY;

    fn exam(domain: &str, days_ago: i64, correct: usize, total: usize) -> ExamDomainResult {
        ExamDomainResult {
            domain: domain.into(),
            finished_at: NOW - days_ago * DAY,
            correct,
            total,
        }
    }

    fn domains() -> Vec<String> {
        ["secure", "cost"].map(String::from).to_vec()
    }

    #[test]
    fn recent_exams_weigh_more_than_old_ones() {
        // 0% two half-lives ago, 100% today: weights 1/4 and 1.
        let exams = [exam("secure", 28, 0, 20), exam("secure", 0, 20, 20)];
        let r = &readiness(&domains(), &exams, &[], NOW)[0];
        let accuracy = r.exam_accuracy.unwrap();
        assert!((accuracy - 0.8).abs() < 1e-9, "{accuracy}");
        assert_eq!(r.estimate, r.exam_accuracy);
        assert_eq!(r.confidence, Confidence::High);
        assert!((r.exam_evidence - 25.0).abs() < 1e-9);
    }

    #[test]
    fn exams_and_recall_blend_and_confidence_follows_evidence() {
        let exams = [exam("secure", 0, 3, 6)];
        let recall = [CardRecall {
            domain: "secure".into(),
            mean_retrievability: 0.9,
            cards: 3,
        }];
        let all = readiness(&domains(), &exams, &recall, NOW);
        let secure = &all[0];
        assert!((secure.estimate.unwrap() - (0.7 * 0.5 + 0.3 * 0.9)).abs() < 1e-9);
        assert_eq!(secure.confidence, Confidence::Low);
        let cost = &all[1];
        assert_eq!(cost.estimate, None);
        assert_eq!(cost.confidence, Confidence::NotEnoughData);
        // Four questions and a few cards are not enough to say anything firm.
        let thin = readiness(&domains(), &[exam("cost", 0, 4, 4)], &[], NOW);
        assert_eq!(thin[1].estimate, Some(1.0));
        assert_eq!(thin[1].confidence, Confidence::NotEnoughData);
        let cards_only = [CardRecall {
            domain: "cost".into(),
            mean_retrievability: 0.6,
            cards: 25,
        }];
        let by_cards = readiness(&domains(), &[], &cards_only, NOW);
        assert_eq!(by_cards[1].estimate, Some(0.6));
        assert_eq!(by_cards[1].confidence, Confidence::Low);
    }
}
