//! How ready the learner is for a pack's exam: one definition, computed here and nowhere else,
//! so home, statistics, the quiz launcher, results and `sysdeck stats --json` all show the
//! same number with the same words.
//!
//! Per domain, two kinds of evidence:
//! - **Answers**: every question of the domain answered in an exam, a practice or a drill.
//!   Each counts 1 if right and 0 if wrong, weighted by its age with a half-life of
//!   [`HALF_LIFE_DAYS`] days (an answer two weeks old counts half as much as one from today),
//!   because what was missed a month ago says little about today.
//! - **Cards**: the mean FSRS retrievability (the scheduler's chance of recall now) of the
//!   domain's flashcards, a card never studied counting 0: facts not yet learned are not known.
//!
//! The domain's readiness is [`ANSWER_SHARE`] of the answers' accuracy plus the rest of the
//! cards' recall (the answers alone when the domain has no cards), and the pack's readiness is
//! the mean of its domains weighted by the exam blueprint's domain weights. Until every domain
//! has [`MIN_ANSWERS`] answers there is no number at all, only "not enough evidence": a few
//! lucky answers or twenty cards just learned must not read as 100%.

use serde::Serialize;

use super::UnixMillis;

/// Answer evidence halves in weight every this many days.
pub const HALF_LIFE_DAYS: f64 = 14.0;
/// The answers' share of a domain's readiness when it has cards too.
pub const ANSWER_SHARE: f64 = 0.7;
/// Answers every domain needs before readiness is given as a number.
pub const MIN_ANSWERS: usize = 10;

const DAY_MS: f64 = 86_400_000.0;

/// A domain of the exam and its share of the blueprint.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainWeight {
    pub domain: String,
    /// The blueprint's weight (a percentage; only relative sizes matter). Domains without one
    /// weigh alike.
    pub weight: Option<u32>,
}

/// One question answered in a quiz of any mode, by domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainAnswer {
    pub domain: String,
    pub answered_at: UnixMillis,
    pub correct: bool,
}

/// The FSRS retrievability of each of a domain's flashcards now (0 for one never studied).
#[derive(Debug, Clone, PartialEq)]
pub struct CardRecall {
    pub domain: String,
    pub retrievability: Vec<f64>,
}

/// One domain's readiness and the evidence behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainReadiness {
    pub domain: String,
    /// Its share of the exam (0..1; the shares add up to 1).
    pub weight: f64,
    /// Questions of the domain answered, of any age.
    pub answers: usize,
    /// Recency-weighted share of them answered right.
    pub accuracy: Option<f64>,
    /// The domain's flashcards.
    pub cards: usize,
    /// Their mean retrievability now; `None` without cards.
    pub recall: Option<f64>,
    /// 0..1, once the domain has [`MIN_ANSWERS`] answers.
    pub estimate: Option<f64>,
}

impl DomainReadiness {
    /// Answers still needed before the domain has an estimate.
    pub fn answers_short(&self) -> usize {
        MIN_ANSWERS.saturating_sub(self.answers)
    }
}

/// A pack's readiness for its exam.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Readiness {
    /// 0..1, the blueprint-weighted mean of the domains; `None` ("not enough evidence") while
    /// any domain has fewer than [`MIN_ANSWERS`] answers.
    pub overall: Option<f64>,
    /// In the pack's domain order.
    pub domains: Vec<DomainReadiness>,
}

impl Readiness {
    /// Domains that still need answers before there is an overall number.
    pub fn short_domains(&self) -> usize {
        self.domains.iter().filter(|d| d.estimate.is_none()).count()
    }
}

/// Readiness over `domains` from every quiz answer and the cards' recall, as of `now`.
/// Answers and cards of other domains are ignored.
pub fn readiness(
    domains: &[DomainWeight],
    answers: &[DomainAnswer],
    recall: &[CardRecall],
    now: UnixMillis,
) -> Readiness {
    let weigh_alike = domains.iter().all(|d| d.weight.unwrap_or(0) == 0);
    let raw = |d: &DomainWeight| {
        if weigh_alike {
            1.0
        } else {
            f64::from(d.weight.unwrap_or(0))
        }
    };
    let total_weight: f64 = domains.iter().map(raw).sum();
    let per_domain: Vec<DomainReadiness> = domains
        .iter()
        .map(|d| {
            let own = answers.iter().filter(|a| a.domain == d.domain);
            let (right, weight, count) = own.fold((0.0, 0.0, 0), |(r, w, n), a| {
                let age = decay(now - a.answered_at);
                (r + if a.correct { age } else { 0.0 }, w + age, n + 1)
            });
            let accuracy = (weight > 0.0).then(|| right / weight);
            let cards: Vec<f64> = recall
                .iter()
                .filter(|r| r.domain == d.domain)
                .flat_map(|r| r.retrievability.iter().map(|v| v.clamp(0.0, 1.0)))
                .collect();
            let recall =
                (!cards.is_empty()).then(|| cards.iter().sum::<f64>() / cards.len() as f64);
            let estimate = accuracy
                .filter(|_| count >= MIN_ANSWERS)
                .map(|a| match recall {
                    Some(r) => ANSWER_SHARE * a + (1.0 - ANSWER_SHARE) * r,
                    None => a,
                });
            DomainReadiness {
                domain: d.domain.clone(),
                weight: if total_weight > 0.0 {
                    raw(d) / total_weight
                } else {
                    0.0
                },
                answers: count,
                accuracy,
                cards: cards.len(),
                recall,
                estimate,
            }
        })
        .collect();
    let overall = if per_domain.is_empty() {
        None
    } else {
        per_domain
            .iter()
            .map(|d| d.estimate.map(|e| d.weight * e))
            .sum::<Option<f64>>()
    };
    Readiness {
        overall,
        domains: per_domain,
    }
}

/// The weight of evidence `age` old; answers from the future (a skewed clock) count as new.
fn decay(age: UnixMillis) -> f64 {
    0.5f64.powf(age.max(0) as f64 / (HALF_LIFE_DAYS * DAY_MS))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: UnixMillis = 86_400_000;
    const NOW: UnixMillis = 1_000 * DAY;

    fn weights(pairs: &[(&str, Option<u32>)]) -> Vec<DomainWeight> {
        pairs
            .iter()
            .map(|&(domain, weight)| DomainWeight {
                domain: domain.into(),
                weight,
            })
            .collect()
    }

    /// `right` right and `wrong` wrong answers in `domain`, all `days_ago` old.
    fn answers(domain: &str, days_ago: i64, right: usize, wrong: usize) -> Vec<DomainAnswer> {
        let answer = |correct| DomainAnswer {
            domain: domain.into(),
            answered_at: NOW - days_ago * DAY,
            correct,
        };
        std::iter::repeat_n(answer(true), right)
            .chain(std::iter::repeat_n(answer(false), wrong))
            .collect()
    }

    fn cards(domain: &str, retrievability: &[f64]) -> CardRecall {
        CardRecall {
            domain: domain.into(),
            retrievability: retrievability.to_vec(),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn older_answers_count_for_less() {
        // 10 wrong answers 28 days ago (two half-lives: weight 1/4 each) and 10 right today
        // (weight 1 each): accuracy = 10 / (10 + 10 * 1/4) = 10 / 12.5 = 0.8, where a plain
        // count would give 0.5.
        let mut all = answers("secure", 28, 0, 10);
        all.extend(answers("secure", 0, 10, 0));
        let r = readiness(&weights(&[("secure", Some(100))]), &all, &[], NOW);
        let d = &r.domains[0];
        assert_eq!(d.answers, 20);
        assert!(close(d.accuracy.unwrap(), 0.8), "{d:?}");
        // No cards: the estimate is the accuracy alone, and one domain is the whole exam.
        assert_eq!(d.recall, None);
        assert!(close(d.estimate.unwrap(), 0.8));
        assert!(close(r.overall.unwrap(), 0.8));
    }

    #[test]
    fn answers_and_cards_blend_and_the_blueprint_weighs_the_domains() {
        // secure (weight 30): 12 answers today, 9 right: accuracy 9/12 = 0.75; cards 1.0,
        // 0.5 and one never studied (0): recall 1.5/3 = 0.5; estimate 0.7*0.75 + 0.3*0.5
        // = 0.525 + 0.15 = 0.675.
        // cost (weight 10): 10 answers, 5 right: accuracy 0.5; no cards: estimate 0.5.
        // Overall: (30*0.675 + 10*0.5) / 40 = (20.25 + 5) / 40 = 0.63125.
        let mut all = answers("secure", 0, 9, 3);
        all.extend(answers("cost", 0, 5, 5));
        let domains = weights(&[("secure", Some(30)), ("cost", Some(10))]);
        let recall = [cards("secure", &[1.0, 0.5, 0.0])];
        let r = readiness(&domains, &all, &recall, NOW);
        let (secure, cost) = (&r.domains[0], &r.domains[1]);
        assert!(close(secure.weight, 0.75) && close(cost.weight, 0.25));
        assert!(close(secure.recall.unwrap(), 0.5));
        assert_eq!(secure.cards, 3);
        assert!(close(secure.estimate.unwrap(), 0.675), "{secure:?}");
        assert!(close(cost.estimate.unwrap(), 0.5));
        assert!(close(r.overall.unwrap(), 0.63125), "{r:?}");
    }

    #[test]
    fn there_is_no_number_until_every_domain_has_enough_answers() {
        // Twenty cards just learned (retrievability 1) and nine right answers: that is 100%
        // of what was seen, but not evidence of readiness.
        let domains = weights(&[("secure", Some(50)), ("cost", Some(50))]);
        let mut all = answers("secure", 0, 9, 0);
        all.extend(answers("cost", 0, 10, 0));
        let recall = [cards("secure", &[1.0; 20]), cards("cost", &[1.0; 20])];
        let r = readiness(&domains, &all, &recall, NOW);
        assert_eq!(r.overall, None);
        assert_eq!(r.short_domains(), 1);
        let secure = &r.domains[0];
        assert_eq!((secure.estimate, secure.answers_short()), (None, 1));
        assert!(
            close(secure.accuracy.unwrap(), 1.0),
            "the evidence is still shown"
        );
        // cost has its ten: 0.7*1 + 0.3*1 = 1.
        assert!(close(r.domains[1].estimate.unwrap(), 1.0));
        // The tenth answer to secure, wrong: accuracy 9/10, estimate 0.7*0.9 + 0.3 = 0.93;
        // overall (0.93 + 1) / 2 = 0.965.
        all.extend(answers("secure", 0, 0, 1));
        let r = readiness(&domains, &all, &recall, NOW);
        assert!(close(r.overall.unwrap(), 0.965), "{r:?}");
    }

    #[test]
    fn domains_without_weights_weigh_alike_and_nothing_is_no_number() {
        // 10 right in a, 10 wrong in b, equal weights: (1 + 0) / 2 = 0.5.
        let domains = weights(&[("a", None), ("b", None)]);
        let mut all = answers("a", 3, 10, 0);
        all.extend(answers("b", 3, 0, 10));
        // Answers to another pack's domain change nothing.
        all.extend(answers("elsewhere", 0, 50, 0));
        let r = readiness(&domains, &all, &[], NOW);
        assert!(close(r.domains[0].weight, 0.5));
        assert!(close(r.overall.unwrap(), 0.5));
        let empty = readiness(&[], &all, &[], NOW);
        assert_eq!(empty.overall, None);
        // An answer from the future (a clock set back) counts as today's: weight 1.
        let future = [DomainAnswer {
            domain: "a".into(),
            answered_at: NOW + DAY,
            correct: true,
        }];
        assert!(close(decay(NOW - future[0].answered_at), 1.0));
        assert!(close(decay(14 * DAY), 0.5));
    }
}
