//! Practice exams: a pack's questions split once into fixed exams that never share a question,
//! so a learner can sit "Practice exam 3 of 6" and know it is not the exam before again.
//!
//! Every exam has the blueprint's per-domain counts (largest remainder, as in [`blueprint`]).
//! A question with `exam = N` goes to exam N; the others fill the slots left, domain by domain,
//! in the order of a fixed hash of their id. Walking one ordered list and cutting it into the
//! exams' slots means a new question only shifts the questions ranked after it by one place:
//! at most one question crosses each cut, so adding one question moves at most one question per
//! exam. There are as many exams as can be complete: the domain that runs out first decides.
//!
//! [`blueprint`]: super::blueprint

use std::fmt;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::blueprint::largest_remainder;
use super::{QuizError, exam_section};
use crate::content::parse::MAX_PRACTICE_EXAMS;
use crate::content::{Pack, Question};

/// The seed of the question order; changing it would reshuffle every pack's practice exams.
const RANK_SEED: u64 = 0x7072_6163_7469_6365;

/// Which practice exam an attempt is, and how many the pack had when it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PracticeExamRef {
    pub number: u8,
    pub of: u8,
}

impl fmt::Display for PracticeExamRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Practice exam {} of {}", self.number, self.of)
    }
}

/// A pack's questions cut into practice exams.
#[derive(Debug, Clone)]
pub struct PracticeExams<'a> {
    /// Exam `n` is `exams[n - 1]`: its questions by domain in pack domain order, each domain's
    /// pinned questions first, then in rank order.
    exams: Vec<Vec<&'a Question>>,
    /// Questions of the pack's domains in no exam: more than the complete exams need, pinned to
    /// an exam that cannot be completed, or pinned beyond their domain's count in their exam.
    pub unplaced: Vec<&'a Question>,
    /// Each domain's questions per exam, in pack domain order.
    pub counts: Vec<(String, usize)>,
}

impl<'a> PracticeExams<'a> {
    /// Splits the pack's questions; a pack without an `[exam]` has no practice exams.
    pub fn of(pack: &'a Pack) -> Result<Self, QuizError> {
        let size = exam_section(pack)?.questions as usize;
        let domains = &pack.manifest.domains;
        let weights: Vec<u32> = domains.iter().map(|d| d.weight.unwrap_or(0)).collect();
        let quota = largest_remainder(size, &weights);
        let max = MAX_PRACTICE_EXAMS as usize;
        let pools: Vec<DomainPool> = domains
            .iter()
            .map(|d| DomainPool::new(pack, &d.id, max))
            .collect();
        let needs = |exam: usize| -> Vec<usize> {
            pools
                .iter()
                .zip(&quota)
                .map(|(pool, &q)| q - pool.pinned[exam].len().min(q))
                .collect()
        };
        // Each exam needs `need` free questions per domain; stop at the first that cannot get them.
        let mut taken = vec![0; pools.len()];
        let mut count = 0;
        while size > 0 && count < max {
            let need = needs(count);
            let fits = pools
                .iter()
                .zip(&taken)
                .zip(&need)
                .all(|((pool, &t), &n)| t + n <= pool.free.len());
            if !fits {
                break;
            }
            taken.iter_mut().zip(&need).for_each(|(t, n)| *t += n);
            count += 1;
        }
        let mut exams = vec![Vec::new(); count];
        let mut unplaced = Vec::new();
        for (pool, &q) in pools.iter().zip(&quota) {
            let mut free = pool.free.iter();
            for (n, pinned) in pool.pinned.iter().enumerate() {
                let Some(exam) = exams.get_mut(n) else {
                    unplaced.extend(pinned);
                    continue;
                };
                let kept = pinned.len().min(q);
                exam.extend(&pinned[..kept]);
                unplaced.extend(&pinned[kept..]);
                exam.extend(free.by_ref().take(q - kept));
            }
            unplaced.extend(free);
        }
        Ok(PracticeExams {
            exams,
            unplaced,
            counts: domains.iter().map(|d| d.id.clone()).zip(quota).collect(),
        })
    }

    /// How many practice exams the pack has.
    pub fn len(&self) -> usize {
        self.exams.len()
    }

    pub fn is_empty(&self) -> bool {
        self.exams.is_empty()
    }

    /// The questions of exam `number` (from 1).
    pub fn exam(&self, number: u8) -> Option<&[&'a Question]> {
        let index = usize::from(number).checked_sub(1)?;
        self.exams.get(index).map(Vec::as_slice)
    }

    /// The reference an attempt of exam `number` carries; `None` when there is no such exam.
    pub fn reference(&self, number: u8) -> Option<PracticeExamRef> {
        self.exam(number)?;
        let of = u8::try_from(self.len()).ok()?;
        Some(PracticeExamRef { number, of })
    }
}

/// One domain's questions: those pinned to each exam and the free ones, each in rank order.
struct DomainPool<'a> {
    /// `pinned[n]` holds the questions with `exam = n + 1`.
    pinned: Vec<Vec<&'a Question>>,
    free: Vec<&'a Question>,
}

impl<'a> DomainPool<'a> {
    fn new(pack: &'a Pack, domain: &str, max: usize) -> Self {
        let mut questions: Vec<&Question> = pack
            .questions
            .iter()
            .filter(|q| q.domain.as_deref() == Some(domain))
            .collect();
        questions.sort_by_cached_key(|q| (rank(&q.id), q.id.clone()));
        let mut pool = DomainPool {
            pinned: vec![Vec::new(); max],
            free: Vec::new(),
        };
        for q in questions {
            let slot = q
                .exam
                .and_then(|n| usize::from(n).checked_sub(1))
                .and_then(|i| pool.pinned.get_mut(i));
            match slot {
                Some(pinned) => pinned.push(q),
                None => pool.free.push(q),
            }
        }
        pool
    }
}

/// Where a question falls in its domain's order: a hash of its id alone, so neither the file
/// it is in nor the questions around it change its place.
pub fn rank(id: &str) -> u64 {
    xxh3_64_with_seed(id.as_bytes(), RANK_SEED)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::quiz::fixture::{self, SAA};

    fn ids(questions: &[&Question]) -> Vec<String> {
        questions.iter().map(|q| q.id.to_string()).collect()
    }

    fn exam_ids(exams: &PracticeExams, number: u8) -> Vec<String> {
        ids(exams.exam(number).unwrap())
    }

    /// Per exam, how many questions each SAA domain has.
    fn per_domain(exams: &PracticeExams) -> Vec<Vec<usize>> {
        (1..=exams.len() as u8)
            .map(|n| {
                let exam = exams.exam(n).unwrap();
                SAA.iter()
                    .map(|(d, _)| {
                        exam.iter()
                            .filter(|q| q.domain.as_deref() == Some(d))
                            .count()
                    })
                    .collect()
            })
            .collect()
    }

    /// Domain `a` (weight 60) and `b` (weight 40), 5-question exams: 3 + 2 per exam.
    fn small(a: usize, b: usize) -> Pack {
        fixture::pack(&[("a", 60, a), ("b", 40, b)], 5, 10)
    }

    #[test]
    fn the_rank_order_is_pinned_across_versions() {
        // XXH3-64 with seed 0x7072616374696365, as the reference xxHash 0.8.1 C library
        // (`XXH3_64bits_withSeed`) computes it; see https://github.com/Cyan4973/xxHash and its
        // doc/xxhash_spec.md. The hand-worked cases below start from this order, and a change
        // here would reshuffle every pack's practice exams.
        assert_eq!(rank("a-4"), 0x06e4_c251_06b1_b47b);
        assert_eq!(rank("b-1"), 0x7389_2748_90eb_dc59);
        let mut a: Vec<&str> = vec!["a-0", "a-1", "a-2", "a-3", "a-4", "a-5", "a-6"];
        a.sort_by_key(|id| rank(id));
        assert_eq!(a, ["a-4", "a-3", "a-5", "a-2", "a-1", "a-0", "a-6"]);
        let mut b: Vec<&str> = vec!["b-0", "b-1", "b-2", "b-3", "b-4"];
        b.sort_by_key(|id| rank(id));
        assert_eq!(b, ["b-4", "b-2", "b-0", "b-3", "b-1"]);
    }

    #[test]
    fn a_small_pack_is_cut_in_rank_order_by_hand() {
        // 5 questions at 60/40 is 3 + 2 per exam. Domain a has 7 questions: 7 / 3 = 2 exams;
        // domain b has 5: 5 / 2 = 2 exams. In rank order (above), exam 1 takes the first three
        // of a and the first two of b, exam 2 the next ones, and a-6 and b-1 are left over.
        let pack = small(7, 5);
        let exams = PracticeExams::of(&pack).unwrap();
        assert_eq!(exams.len(), 2);
        assert_eq!(exams.counts, [("a".into(), 3), ("b".into(), 2)]);
        assert_eq!(exam_ids(&exams, 1), ["a-4", "a-3", "a-5", "b-4", "b-2"]);
        assert_eq!(exam_ids(&exams, 2), ["a-2", "a-1", "a-0", "b-0", "b-3"]);
        assert_eq!(ids(&exams.unplaced), ["a-6", "b-1"]);
        assert!(exams.exam(3).is_none() && exams.exam(0).is_none());
        assert_eq!(
            exams.reference(2).map(|r| r.to_string()).as_deref(),
            Some("Practice exam 2 of 2")
        );
        assert_eq!(exams.reference(3), None);
    }

    #[test]
    fn pinned_questions_go_to_their_exam_and_the_rest_fill_around_them() {
        // a-6 (last in rank) pinned to exam 1 and b-4 (first in rank) pinned to exam 2.
        // Exam 1 needs two free a's (a-4, a-3) and two free b's (b-2, b-0); exam 2 three a's
        // (a-5, a-2, a-1) and one b (b-3). Left over: a-0 and b-1.
        let mut pack = small(7, 5);
        let pin = |pack: &mut Pack, id: &str, exam: u8| {
            let q = pack.questions.iter_mut().find(|q| q.id == id).unwrap();
            q.exam = Some(exam);
        };
        pin(&mut pack, "a-6", 1);
        pin(&mut pack, "b-4", 2);
        let exams = PracticeExams::of(&pack).unwrap();
        assert_eq!(exams.len(), 2);
        assert_eq!(exam_ids(&exams, 1), ["a-6", "a-4", "a-3", "b-2", "b-0"]);
        assert_eq!(exam_ids(&exams, 2), ["a-5", "a-2", "a-1", "b-4", "b-3"]);
        assert_eq!(ids(&exams.unplaced), ["a-0", "b-1"]);

        // Pinned to an exam that cannot be completed, or beyond the domain's count: left out.
        pin(&mut pack, "a-0", 3);
        for id in ["b-2", "b-0", "b-3"] {
            pin(&mut pack, id, 1);
        }
        // b: exam 1 has three pinned for two places (b-3 is last in rank, so it is left out)
        // and needs no free one; exam 2 has b-4 and takes the one free b, b-1; an exam 3 would
        // need two more b's. So two exams, and a-0 waits for an exam 3 that does not exist.
        let exams = PracticeExams::of(&pack).unwrap();
        assert_eq!(exams.len(), 2);
        assert_eq!(exam_ids(&exams, 1), ["a-6", "a-4", "a-3", "b-2", "b-0"]);
        assert_eq!(exam_ids(&exams, 2), ["a-5", "a-2", "a-1", "b-4", "b-1"]);
        assert_eq!(ids(&exams.unplaced), ["a-0", "b-3"]);
    }

    #[test]
    fn saa_exams_are_19_17_16_13_and_the_shortest_domain_sets_the_count() {
        // 65 at 30/26/24/20 by largest remainder: 19.5, 16.9, 15.6, 13.0 -> 19 + 16 + 15 + 13
        // = 63, the two left go to the largest remainders (.9 and .6): 19/17/16/13.
        let pack = fixture::pack(
            &[
                ("secure", 30, 6 * 19),
                ("resilient", 26, 6 * 17),
                ("performant", 24, 6 * 16),
                ("cost", 20, 6 * 13 + 5),
            ],
            65,
            130,
        );
        let exams = PracticeExams::of(&pack).unwrap();
        assert_eq!(exams.len(), 6);
        assert!(per_domain(&exams).iter().all(|c| c == &[19, 17, 16, 13]));
        assert_eq!(exams.unplaced.len(), 5);
        let mut seen = HashSet::new();
        for n in 1..=6 {
            for q in exams.exam(n).unwrap() {
                assert!(seen.insert(&q.id), "{} is in two exams", q.id);
            }
        }
        assert_eq!(seen.len(), 6 * 65);

        // One secure question short of six exams: five, whatever the other domains hold.
        let short = fixture::pack(
            &[
                ("secure", 30, 6 * 19 - 1),
                ("resilient", 26, 200),
                ("performant", 24, 200),
                ("cost", 20, 200),
            ],
            65,
            130,
        );
        assert_eq!(PracticeExams::of(&short).unwrap().len(), 5);
        // A domain with no questions at all: no complete exam.
        let empty = fixture::pack(&[("secure", 30, 0), ("cost", 70, 100)], 65, 130);
        assert!(PracticeExams::of(&empty).unwrap().is_empty());
    }

    #[test]
    fn no_exam_section_no_practice_exams_and_never_more_than_the_maximum() {
        let mut pack = fixture::saa_pack(10);
        pack.manifest.exam = None;
        assert!(matches!(
            PracticeExams::of(&pack),
            Err(QuizError::NoExam { .. })
        ));
        let one_question = fixture::pack(&[("a", 100, 50)], 1, 10);
        let exams = PracticeExams::of(&one_question).unwrap();
        assert_eq!(exams.len(), MAX_PRACTICE_EXAMS as usize);
        assert_eq!(exams.unplaced.len(), 50 - MAX_PRACTICE_EXAMS as usize);
        let no_questions = fixture::pack(&[("a", 100, 50)], 0, 10);
        assert!(PracticeExams::of(&no_questions).unwrap().is_empty());
    }

    #[test]
    fn adding_a_question_moves_at_most_one_per_exam() {
        let before_pack = fixture::saa_pack(100);
        let before = PracticeExams::of(&before_pack).unwrap();
        let home = |exams: &PracticeExams, id: &str| {
            (1..=exams.len() as u8).find(|&n| exams.exam(n).unwrap().iter().any(|q| q.id == id))
        };
        for extra in 0..20 {
            let mut pack = before_pack.clone();
            pack.questions
                .push(fixture::question(&format!("new-{extra}"), "cost", 4, &[0]));
            let after = PracticeExams::of(&pack).unwrap();
            assert_eq!(after.len(), before.len());
            let moved = before_pack
                .questions
                .iter()
                .filter(|q| home(&before, &q.id) != home(&after, &q.id))
                .count();
            assert!(moved <= before.len(), "{moved} moved for new-{extra}");
        }
    }

    #[test]
    fn the_real_saa_pack_splits_into_complete_disjoint_exams() {
        let library = crate::content::Library::load(&crate::content::LoadOptions {
            builtin: true,
            ..Default::default()
        });
        let pack = library.pack("aws-saa").expect("built-in aws-saa pack");
        let exams = PracticeExams::of(pack).unwrap();
        assert!(!exams.is_empty());
        assert!(per_domain(&exams).iter().all(|c| c == &[19, 17, 16, 13]));
        let placed: HashSet<&str> = (1..=exams.len() as u8)
            .flat_map(|n| exams.exam(n).unwrap().iter().map(|q| q.id.as_str()))
            .collect();
        assert_eq!(placed.len(), exams.len() * 65);
    }
}
