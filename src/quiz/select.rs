//! Which questions a quiz asks, and in what order.
//!
//! Every mode orders its candidates "not seen recently first": questions never answered come
//! first in a seeded random order, then the rest from the longest ago. Within an attempt no
//! question repeats, and the same seed with the same history always gives the same quiz.

use std::cmp::Reverse;
use std::collections::HashMap;

use rand_pcg::Pcg64;

use super::blueprint::{Blueprint, DomainSupply, Shortfall};
use super::history::History;
use super::partition::{PracticeExamRef, PracticeExams};
use super::{QuestionKey, QuizError, QuizItem, exam_section, seeded};
use crate::content::{NoteRef, Pack, Question};

/// Narrows practice and drill; every field left `None` accepts everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub pack: Option<String>,
    pub domain: Option<String>,
    /// The note a question belongs to; a bare id means a note of the question's own pack.
    pub topic: Option<NoteRef>,
    /// 1..3.
    pub difficulty: Option<u8>,
}

impl Filter {
    fn accepts(&self, pack: &Pack, q: &Question) -> bool {
        let home = pack.id();
        let same = |want: &Option<String>, have: Option<&str>| {
            want.as_deref().is_none_or(|w| have == Some(w))
        };
        same(&self.pack, Some(home))
            && same(&self.domain, q.domain.as_deref())
            && self.difficulty.is_none_or(|d| q.difficulty == Some(d))
            && self.topic.as_ref().is_none_or(|t| {
                q.note
                    .as_ref()
                    .is_some_and(|n| n.id == t.id && n.pack_or(home) == t.pack_or(home))
            })
    }
}

/// An exam's questions and the blueprint they were drawn by.
#[derive(Debug, Clone)]
pub struct ExamDraw {
    /// Shuffled across domains.
    pub items: Vec<QuizItem>,
    pub blueprint: Blueprint,
    /// Which practice exam this is; `None` for a random draw.
    pub practice_exam: Option<PracticeExamRef>,
}

impl ExamDraw {
    /// Domains that hold fewer questions than their weight asks for; when the pack as a whole
    /// is too small, the exam is shorter than `blueprint.requested`.
    pub fn shortfalls(&self) -> Vec<Shortfall> {
        self.blueprint.shortfalls()
    }
}

/// Draws an exam from a pack with an `[exam]` section: `questions` (default: the pack's
/// count) spread over the domains by weight, each domain's share taken not-seen-first.
///
/// Questions without a domain of the pack are not exam material and are left out.
pub fn exam(
    pack: &Pack,
    questions: Option<usize>,
    history: &History,
    seed: u64,
) -> Result<ExamDraw, QuizError> {
    let exam = exam_section(pack)?;
    let requested = questions.unwrap_or(exam.questions as usize);
    let mut rng = seeded::rng(seed);
    let everything = candidates(std::slice::from_ref(pack), &Filter::default());
    let mut pools: Vec<Vec<Candidate>> = pack
        .manifest
        .domains
        .iter()
        .map(|d| {
            let mut pool: Vec<Candidate> = everything
                .iter()
                .filter(|c| c.question.domain.as_deref() == Some(&d.id))
                .cloned()
                .collect();
            stale_first(&mut pool, history, &mut rng);
            pool
        })
        .collect();
    let supply = pack
        .manifest
        .domains
        .iter()
        .zip(&pools)
        .map(|(d, pool)| DomainSupply {
            domain: d.id.clone(),
            weight: d.weight.unwrap_or(0),
            available: pool.len(),
        })
        .collect();
    let blueprint = Blueprint::plan(requested, supply);
    for (pool, plan) in pools.iter_mut().zip(&blueprint.domains) {
        pool.truncate(plan.count);
    }
    let mut chosen: Vec<Candidate> = pools.into_iter().flatten().collect();
    seeded::shuffle(&mut chosen, &mut rng);
    Ok(ExamDraw {
        items: into_items(chosen)?,
        blueprint,
        practice_exam: None,
    })
}

/// Practice exam `number` of the pack (see [`PracticeExams`]): always the same questions,
/// shuffled by the seed.
pub fn practice_exam(pack: &Pack, number: u8, seed: u64) -> Result<ExamDraw, QuizError> {
    let exams = PracticeExams::of(pack)?;
    let (Some(questions), Some(reference)) = (exams.exam(number), exams.reference(number)) else {
        return Err(match exams.len() {
            0 => QuizError::NoPracticeExams {
                pack: pack.id().to_string(),
            },
            count => QuizError::NoSuchPracticeExam {
                pack: pack.id().to_string(),
                number,
                count,
            },
        });
    };
    let supply = exams
        .counts
        .iter()
        .zip(&pack.manifest.domains)
        .map(|((domain, count), d)| DomainSupply {
            domain: domain.clone(),
            weight: d.weight.unwrap_or(0),
            available: *count,
        })
        .collect();
    let blueprint = Blueprint::plan(questions.len(), supply);
    let mut chosen: Vec<Candidate> = questions
        .iter()
        .map(|&question| Candidate {
            key: QuestionKey::new(pack.id(), &question.id),
            pack,
            question,
        })
        .collect();
    seeded::shuffle(&mut chosen, &mut seeded::rng(seed));
    Ok(ExamDraw {
        items: into_items(chosen)?,
        blueprint,
        practice_exam: Some(reference),
    })
}

/// Up to `limit` questions that pass the filter, not seen recently first.
pub fn practice(
    packs: &[Pack],
    filter: &Filter,
    history: &History,
    seed: u64,
    limit: usize,
) -> Result<Vec<QuizItem>, QuizError> {
    let mut pool = candidates(packs, filter);
    stale_first(&mut pool, history, &mut seeded::rng(seed));
    pool.truncate(limit);
    into_items(pool)
}

/// Up to `limit` questions for drilling weaknesses: first the questions whose latest answer
/// was wrong, most recent miss first; then, for the room left, questions from every domain in
/// proportion to its recent error rate (so the weakest domains get the most), not seen
/// recently first.
pub fn drill(
    packs: &[Pack],
    filter: &Filter,
    history: &History,
    seed: u64,
    limit: usize,
) -> Result<Vec<QuizItem>, QuizError> {
    let pool = candidates(packs, filter);
    let mut rng = seeded::rng(seed);
    let groups = domain_groups(&pool);
    let mut group_of: HashMap<&QuestionKey, usize> = HashMap::new();
    for (g, (_, members)) in groups.iter().enumerate() {
        group_of.extend(members.iter().map(|&i| (&pool[i].key, g)));
    }
    let mut missed: Vec<&Candidate> = pool
        .iter()
        .filter(|c| history.open_miss(&c.key).is_some())
        .collect();
    missed.sort_by_key(|c| (Reverse(history.open_miss(&c.key)), &c.key));
    missed.truncate(limit);
    let mut pools: Vec<Vec<Candidate>> = groups
        .iter()
        .map(|(_, members)| {
            let mut rest: Vec<Candidate> = members
                .iter()
                .map(|&i| pool[i].clone())
                .filter(|c| history.open_miss(&c.key).is_none())
                .collect();
            stale_first(&mut rest, history, &mut rng);
            rest
        })
        .collect();
    let supply = groups
        .iter()
        .enumerate()
        .zip(&pools)
        .map(|((g, (label, _)), rest)| {
            let accuracy = history.recent_accuracy(|k| group_of.get(k) == Some(&g));
            DomainSupply {
                domain: label.clone(),
                weight: ((1.0 - accuracy) * 1000.0).round() as u32,
                available: rest.len(),
            }
        })
        .collect();
    let blueprint = Blueprint::plan(limit - missed.len(), supply);
    for (rest, plan) in pools.iter_mut().zip(&blueprint.domains) {
        rest.truncate(plan.count);
    }
    let mut weak: Vec<Candidate> = pools.into_iter().flatten().collect();
    seeded::shuffle(&mut weak, &mut rng);
    into_items(missed.into_iter().cloned().chain(weak).collect())
}

/// A question that passed the filter, with its key made once.
#[derive(Debug, Clone)]
struct Candidate<'a> {
    key: QuestionKey,
    pack: &'a Pack,
    question: &'a Question,
}

/// Every question that passes the filter, in pack order.
fn candidates<'a>(packs: &'a [Pack], filter: &Filter) -> Vec<Candidate<'a>> {
    packs
        .iter()
        .flat_map(|pack| pack.questions.iter().map(move |q| (pack, q)))
        .filter(|(pack, q)| filter.accepts(pack, q))
        .map(|(pack, question)| Candidate {
            key: QuestionKey::new(pack.id(), &question.id),
            pack,
            question,
        })
        .collect()
}

/// Shuffles, then stably sorts by last answer time (never answered first), so ties stay in
/// seeded random order.
fn stale_first(pool: &mut [Candidate], history: &History, rng: &mut Pcg64) {
    seeded::shuffle(pool, rng);
    pool.sort_by_key(|c| history.last_seen(&c.key));
}

/// Indexes into `pool` grouped by pack and domain, labelled `pack/domain` (or just `pack` for
/// questions without a domain), in order of first appearance.
fn domain_groups(pool: &[Candidate]) -> Vec<(String, Vec<usize>)> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, c) in pool.iter().enumerate() {
        let label = match &c.question.domain {
            Some(d) => format!("{}/{d}", c.pack.id()),
            None => c.pack.id().to_string(),
        };
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, members)) => members.push(i),
            None => groups.push((label, vec![i])),
        }
    }
    groups
}

fn into_items(chosen: Vec<Candidate>) -> Result<Vec<QuizItem>, QuizError> {
    if chosen.is_empty() {
        return Err(QuizError::NoQuestions);
    }
    Ok(chosen
        .into_iter()
        .map(|c| QuizItem {
            key: c.key,
            question: c.question.clone(),
            setup: None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::content::{Library, LoadOptions};
    use crate::quiz::PastAnswer;
    use crate::quiz::fixture::{self, SAA};

    fn per_domain(items: &[QuizItem]) -> Vec<usize> {
        SAA.iter()
            .map(|(d, _)| items.iter().filter(|i| i.domain() == Some(d)).count())
            .collect()
    }

    fn keys(items: &[QuizItem]) -> Vec<String> {
        items.iter().map(|i| i.key.to_string()).collect()
    }

    fn seen(ids: impl IntoIterator<Item = (String, i64, bool)>) -> History {
        History::new(ids.into_iter().map(|(id, at, correct)| PastAnswer {
            key: QuestionKey::new("p", &id),
            answered_at: at,
            correct,
        }))
    }

    #[test]
    fn exam_follows_the_blueprint_without_repeats_and_is_seeded() {
        let pack = fixture::saa_pack(30);
        let draw = exam(&pack, None, &History::default(), 9).unwrap();
        assert_eq!(per_domain(&draw.items), [19, 17, 16, 13]);
        let unique: HashSet<_> = keys(&draw.items).into_iter().collect();
        assert_eq!(unique.len(), 65);
        let again = exam(&pack, None, &History::default(), 9).unwrap();
        assert_eq!(keys(&draw.items), keys(&again.items));
        let other = exam(&pack, None, &History::default(), 10).unwrap();
        assert_ne!(keys(&draw.items), keys(&other.items));
        // Domains are interleaved, not in blocks.
        let first = draw.items[0].domain();
        assert!(draw.items[..19].iter().any(|i| i.domain() != first));
        let short = exam(&pack, Some(20), &History::default(), 9).unwrap();
        assert_eq!(per_domain(&short.items), [6, 5, 5, 4]);
    }

    #[test]
    fn an_exam_bigger_than_a_domain_is_built_with_what_exists_and_says_so() {
        let pack = fixture::pack(
            &[
                ("secure", 30, 5),
                ("resilient", 26, 40),
                ("performant", 24, 40),
                ("cost", 20, 40),
            ],
            65,
            130,
        );
        let draw = exam(&pack, None, &History::default(), 1).unwrap();
        assert_eq!(per_domain(&draw.items), [5, 22, 21, 17]);
        assert_eq!(draw.items.len(), 65);
        let shortfalls = draw.shortfalls();
        assert_eq!(shortfalls.len(), 1);
        assert_eq!((shortfalls[0].wanted, shortfalls[0].available), (19, 5));
        let tiny = fixture::pack(&[("secure", 50, 3), ("cost", 50, 2)], 65, 130);
        let draw = exam(&tiny, None, &History::default(), 1).unwrap();
        assert_eq!(draw.items.len(), 5);
        assert_eq!(draw.blueprint.requested, 65);
        assert_eq!(draw.shortfalls().len(), 2);
    }

    #[test]
    fn exam_needs_an_exam_section_and_questions() {
        let mut pack = fixture::saa_pack(3);
        pack.manifest.exam = None;
        assert_eq!(
            exam(&pack, None, &History::default(), 1).unwrap_err(),
            QuizError::NoExam { pack: "p".into() }
        );
        let empty = fixture::saa_pack(0);
        assert_eq!(
            exam(&empty, None, &History::default(), 1).unwrap_err(),
            QuizError::NoQuestions
        );
    }

    #[test]
    fn questions_not_seen_recently_come_first() {
        let pack = fixture::pack(&[("secure", 100, 30)], 19, 30);
        // 11 of the 30 were answered yesterday: the 19 others make the exam.
        let history = seen((0..11).map(|n| (format!("secure-{n}"), 1_000, true)));
        let draw = exam(&pack, None, &history, 3).unwrap();
        assert!(
            draw.items
                .iter()
                .all(|i| history.last_seen(&i.key).is_none())
        );
        // In practice, the oldest-seen come right after the never-seen.
        let history = seen((0..30).map(|n| (format!("secure-{n}"), 1_000 + n, true)));
        let all = practice(&[pack], &Filter::default(), &history, 3, 5).unwrap();
        assert_eq!(
            keys(&all),
            [
                "p/secure-0",
                "p/secure-1",
                "p/secure-2",
                "p/secure-3",
                "p/secure-4"
            ]
        );
    }

    #[test]
    fn practice_filters_by_pack_domain_topic_and_difficulty() {
        let mut pack = fixture::saa_pack(4);
        pack.questions[0].difficulty = Some(3);
        let packs = [pack];
        let history = History::default();
        let run = |filter: Filter| practice(&packs, &filter, &history, 5, 100);
        let by_domain = run(Filter {
            domain: Some("cost".into()),
            ..Filter::default()
        })
        .unwrap();
        assert_eq!(per_domain(&by_domain), [0, 0, 0, 4]);
        let by_topic = run(Filter {
            topic: Some(NoteRef::parse("p:note-secure")),
            ..Filter::default()
        })
        .unwrap();
        assert_eq!(per_domain(&by_topic), [4, 0, 0, 0]);
        let hard = run(Filter {
            difficulty: Some(3),
            ..Filter::default()
        })
        .unwrap();
        assert_eq!(keys(&hard), ["p/secure-0"]);
        let other_pack = run(Filter {
            pack: Some("other".into()),
            ..Filter::default()
        });
        assert_eq!(other_pack.unwrap_err(), QuizError::NoQuestions);
        assert_eq!(run(Filter::default()).unwrap().len(), 16);
    }

    #[test]
    fn drill_takes_recent_misses_first_then_weak_domains() {
        let pack = fixture::saa_pack(20);
        let mut answers: Vec<(String, i64, bool)> = vec![
            ("cost-1".into(), 50, false),
            ("cost-2".into(), 70, false),
            ("secure-3".into(), 60, false),
            // Missed, then answered right: not an open miss.
            ("secure-4".into(), 10, false),
            ("secure-4".into(), 20, true),
        ];
        // Resilient is weak (2 of 10), performant strong (10 of 10), the rest unknown.
        answers.extend((0..10).map(|n| (format!("resilient-{n}"), 5, n < 2)));
        answers.extend((0..10).map(|n| (format!("performant-{n}"), 5, true)));
        let history = seen(answers);
        let items = drill(&[pack], &Filter::default(), &history, 4, 30).unwrap();
        assert_eq!(keys(&items[..3]), ["p/cost-2", "p/secure-3", "p/cost-1"]);
        let misses = items
            .iter()
            .filter(|i| history.open_miss(&i.key).is_some())
            .count();
        assert_eq!(misses, 11, "3 plus the 8 resilient misses");
        let fill = per_domain(&items[misses..]);
        assert!(
            fill[1] > fill[2],
            "weak resilient beats strong performant: {fill:?}"
        );
        assert_eq!(fill.iter().sum::<usize>(), 19);
        let unique: HashSet<_> = keys(&items).into_iter().collect();
        assert_eq!(unique.len(), 30);
    }

    #[test]
    fn a_practice_exam_is_the_same_questions_in_a_seeded_order() {
        let pack = fixture::saa_pack(40);
        let first = practice_exam(&pack, 2, 1).unwrap();
        let again = practice_exam(&pack, 2, 2).unwrap();
        assert_eq!(per_domain(&first.items), [19, 17, 16, 13]);
        assert!(first.shortfalls().is_empty());
        assert_eq!(
            first.practice_exam.unwrap().to_string(),
            "Practice exam 2 of 2"
        );
        let set = |d: &ExamDraw| keys(&d.items).into_iter().collect::<HashSet<_>>();
        assert_eq!(set(&first), set(&again));
        assert_ne!(keys(&first.items), keys(&again.items));
        let other = practice_exam(&pack, 1, 1).unwrap();
        assert!(set(&first).is_disjoint(&set(&other)));
        assert_eq!(
            practice_exam(&pack, 3, 1).unwrap_err().to_string(),
            "pack `p` has practice exams 1 to 2; there is no practice exam 3"
        );
        assert_eq!(
            practice_exam(&fixture::saa_pack(5), 1, 1).unwrap_err(),
            QuizError::NoPracticeExams { pack: "p".into() }
        );
    }

    #[test]
    fn the_real_saa_pack_draws_a_19_17_16_13_exam() {
        let library = Library::load(&LoadOptions {
            builtin: true,
            ..Default::default()
        });
        let pack = library.pack("aws-saa").expect("built-in aws-saa pack");
        let exam_spec = pack.manifest.exam.as_ref().unwrap();
        assert_eq!((exam_spec.questions, exam_spec.minutes), (65, 130));
        let weights: Vec<u32> = pack
            .manifest
            .domains
            .iter()
            .map(|d| d.weight.unwrap())
            .collect();
        assert_eq!(
            crate::quiz::blueprint::largest_remainder(65, &weights),
            [19, 17, 16, 13]
        );
        // Content is still being written: check the real draw only as far as supply allows.
        let draw = exam(pack, None, &History::default(), 2024).unwrap();
        for plan in &draw.blueprint.domains {
            let drawn = draw
                .items
                .iter()
                .filter(|i| i.domain() == Some(&plan.domain))
                .count();
            assert_eq!(drawn, plan.count, "{}", plan.domain);
            if plan.available >= plan.wanted {
                assert_eq!(plan.count, plan.wanted, "{}", plan.domain);
            }
        }
        if draw.shortfalls().is_empty() {
            let counts: Vec<usize> = draw.blueprint.domains.iter().map(|d| d.count).collect();
            assert_eq!(counts, [19, 17, 16, 13]);
        }
    }
}
