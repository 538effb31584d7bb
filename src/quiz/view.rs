//! What the quiz screens draw, read from a session without changing it: the question with its
//! choices in displayed order, the navigator grid, the submit confirmation, and (once marked)
//! the key with every choice's explanation for feedback and review.

use super::QuestionKey;
use super::session::{Phase, QuizSession};
use crate::content::NoteRef;

/// How far a question has been answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerStatus {
    Unanswered,
    /// A multiple-response question with a different number of choices than it asks for.
    Incomplete,
    Answered,
}

/// A choice as displayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceView<'a> {
    /// `A`, `B`, ... in displayed order.
    pub label: char,
    pub text: &'a str,
    /// Its index in the pack, as answers are stored.
    pub pack_index: usize,
    pub selected: bool,
    /// Present only once the key may be shown.
    pub key: Option<ChoiceKey<'a>>,
}

/// Whether a choice is right, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChoiceKey<'a> {
    pub correct: bool,
    pub why: Option<&'a str>,
}

/// The marking of a whole question, once the key may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marking<'a> {
    pub correct: bool,
    pub explanation: &'a str,
    /// Where the question's facts come from, for the learner to check.
    pub source: Option<&'a str>,
}

/// One question as the question, feedback and review screens show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionView<'a> {
    pub index: usize,
    pub count: usize,
    pub id: &'a QuestionKey,
    pub domain: Option<&'a str>,
    pub difficulty: Option<u8>,
    pub note: Option<&'a NoteRef>,
    pub stem: &'a str,
    /// How many choices to select: 1, or 2 for "Choose two".
    pub choose: usize,
    pub choices: Vec<ChoiceView<'a>>,
    pub status: AnswerStatus,
    pub flagged: bool,
    /// Whether the answer can no longer change.
    pub locked: bool,
    pub time_ms: i64,
    pub marking: Option<Marking<'a>>,
}

impl QuestionView<'_> {
    /// "Choose two" for multiple-response questions, nothing for single-answer ones.
    pub fn choose_prompt(&self) -> Option<String> {
        const WORDS: [&str; 7] = ["two", "three", "four", "five", "six", "seven", "eight"];
        match self.choose {
            0 | 1 => None,
            n => Some(match WORDS.get(n - 2) {
                Some(word) => format!("Choose {word}"),
                None => format!("Choose {n}"),
            }),
        }
    }
}

/// One cell of the navigator grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavCell {
    pub index: usize,
    pub status: AnswerStatus,
    pub flagged: bool,
    pub current: bool,
    /// Right or wrong, once the key may be shown.
    pub correct: Option<bool>,
}

/// What the submit confirmation lists (question indexes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Confirmation {
    pub unanswered: Vec<usize>,
    pub incomplete: Vec<usize>,
    pub flagged: Vec<usize>,
}

impl Confirmation {
    /// Nothing left open: the dialog can be a plain "Submit?".
    pub fn is_clear(&self) -> bool {
        self.unanswered.is_empty() && self.incomplete.is_empty() && self.flagged.is_empty()
    }
}

impl QuizSession {
    /// The question at `index`, if there is one.
    pub fn question(&self, index: usize) -> Option<QuestionView<'_>> {
        let item = self.items.get(index)?;
        let q = &item.question;
        let answer = &self.state.questions[index];
        let shown = self.key_shown(index);
        let choices = self.orders[index]
            .iter()
            .zip('A'..='Z')
            .map(|(&pack_index, label)| {
                let choice = &q.choices[pack_index];
                ChoiceView {
                    label,
                    text: &choice.text,
                    pack_index,
                    selected: answer.chosen.contains(&pack_index),
                    key: shown.then_some(ChoiceKey {
                        correct: choice.correct,
                        why: choice.why.as_deref(),
                    }),
                }
            })
            .collect();
        Some(QuestionView {
            index,
            count: self.items.len(),
            id: &item.key,
            domain: q.domain.as_deref(),
            difficulty: q.difficulty,
            note: q.note.as_ref(),
            stem: &q.stem,
            choose: q.correct_count(),
            choices,
            status: self.status(index),
            flagged: answer.flagged,
            locked: answer.locked || self.phase == Phase::Finished,
            time_ms: answer.time_ms,
            marking: shown.then(|| Marking {
                correct: self.is_correct(index),
                explanation: &q.explanation,
                source: q.source.as_deref(),
            }),
        })
    }

    /// The question on screen.
    pub fn current_question(&self) -> QuestionView<'_> {
        self.question(self.current())
            .expect("the current index is always in range")
    }

    /// Every question's cell, in order.
    pub fn navigator(&self) -> Vec<NavCell> {
        (0..self.items.len())
            .map(|index| NavCell {
                index,
                status: self.status(index),
                flagged: self.state.questions[index].flagged,
                current: index == self.current(),
                correct: self.key_shown(index).then(|| self.is_correct(index)),
            })
            .collect()
    }

    /// What is still open before submitting.
    pub fn confirmation(&self) -> Confirmation {
        let mut c = Confirmation::default();
        for cell in self.navigator() {
            match cell.status {
                AnswerStatus::Unanswered => c.unanswered.push(cell.index),
                AnswerStatus::Incomplete => c.incomplete.push(cell.index),
                AnswerStatus::Answered => {}
            }
            if cell.flagged {
                c.flagged.push(cell.index);
            }
        }
        c
    }

    fn status(&self, index: usize) -> AnswerStatus {
        let chosen = self.state.questions[index].chosen.len();
        match chosen {
            0 => AnswerStatus::Unanswered,
            n if n == self.items[index].question.correct_count() => AnswerStatus::Answered,
            _ => AnswerStatus::Incomplete,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::fixture::{session, small_pack};
    use crate::quiz::session::Action;
    use crate::quiz::spec::SessionSpec;

    #[test]
    fn the_prompt_says_how_many_to_choose() {
        let s = session(SessionSpec::practice(None, None), 0);
        let mut view = s.current_question();
        let prompts: Vec<Option<String>> = [1, 2, 3, 8, 9]
            .map(|n| {
                view.choose = n;
                view.choose_prompt()
            })
            .to_vec();
        assert_eq!(
            prompts,
            [
                None,
                Some("Choose two".into()),
                Some("Choose three".into()),
                Some("Choose eight".into()),
                Some("Choose 9".into())
            ]
        );
    }

    #[test]
    fn a_question_view_carries_what_the_screen_needs() {
        let mut s = session(SessionSpec::exam(&small_pack(), None).unwrap(), 0);
        s.handle(Action::Tick, 2_500);
        let view = s.current_question();
        assert_eq!((view.index, view.count), (0, 4));
        assert_eq!(view.id.to_string(), "p/s1");
        assert_eq!(view.domain, Some("secure"));
        assert_eq!(view.stem, "Stem of s1?");
        assert_eq!(view.time_ms, 2_500);
        assert_eq!(view.status, AnswerStatus::Unanswered);
        assert!(!view.locked);
        assert!(s.question(4).is_none());
        assert!(s.confirmation().flagged.is_empty());
        assert!(!s.confirmation().is_clear());
    }
}
