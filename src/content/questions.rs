//! A pack's questions, left encoded by a start that reads them from the pack index (see
//! [`super::lazy_items`]): their heads add each question's exam domain.

use std::ops::Deref;

use serde::{Deserialize, Serialize};

use super::lazy_items::{Common, Encoded, Heads, Lazy};
use super::lazy_text::{Text, UNAVAILABLE};
use super::model::{Choice, Question};

/// A pack's questions.
pub type Questions = Lazy<Question>;

/// What the catalog and the readiness figures need of a question, decoded or not: what every
/// item's head holds (its id, note, tags and former ids), and its exam domain.
#[derive(Clone, Copy)]
pub struct QuestionHead<'a> {
    common: Common<'a>,
    pub domain: Option<&'a str>,
}

impl<'a> Deref for QuestionHead<'a> {
    type Target = Common<'a>;

    fn deref(&self) -> &Common<'a> {
        &self.common
    }
}

/// `domain_of` for a question with no domain.
const NO_DOMAIN: u32 = u32::MAX;

/// The column only a question's head has: its domain, as a place in `domains`.
#[derive(Default, Serialize, Deserialize)]
pub struct QuestionDomains {
    domains: Vec<String>,
    domain_of: Vec<u32>,
}

impl QuestionDomains {
    fn of(&self, i: usize) -> Option<&str> {
        self.domains
            .get(self.domain_of[i] as usize)
            .map(String::as_str)
    }
}

impl Encoded for Question {
    type Own = QuestionDomains;

    fn common(&self) -> Common<'_> {
        Common::new(&self.id, self.note.as_ref(), &self.tags, &self.aliases)
    }

    fn texts_mut(&mut self, f: &mut dyn FnMut(&mut Text)) {
        Question::texts_mut(self, f);
    }

    fn add_own(&self, _: u32, own: &mut QuestionDomains) {
        let place = self.domain.as_deref().map_or(NO_DOMAIN, |d| {
            match own.domains.iter().position(|known| known == d) {
                Some(at) => at as u32,
                None => {
                    own.domains.push(d.to_string());
                    (own.domains.len() - 1) as u32
                }
            }
        });
        own.domain_of.push(place);
    }

    fn own_fit(own: &QuestionDomains, n: usize) -> bool {
        own.domain_of.len() == n
            && (own.domain_of.iter()).all(|&d| d == NO_DOMAIN || (d as usize) < own.domains.len())
    }

    fn unavailable(heads: &Heads<Question>, i: usize) -> Question {
        let c = heads.common(i);
        let text = || Text::from(UNAVAILABLE);
        Question {
            id: c.id.clone(),
            domain: heads.own.of(i).map(str::to_string),
            difficulty: None,
            stem: text(),
            explanation: text(),
            tags: c.tags.to_vec(),
            note: c.note.cloned(),
            choices: vec![Choice {
                text: text(),
                correct: true,
                why: None,
            }],
            exam: None,
            source: None,
            aliases: c.aliases.to_vec(),
            lab: None,
        }
    }
}

impl Lazy<Question> {
    /// The head of the question at `i`; panics past the last question, as indexing does.
    pub fn head(&self, i: usize) -> QuestionHead<'_> {
        match self.encoded_heads() {
            Some(heads) => QuestionHead {
                common: heads.common(i),
                domain: heads.own.of(i),
            },
            None => {
                let q = &self[i];
                QuestionHead {
                    common: q.common(),
                    domain: q.domain.as_deref(),
                }
            }
        }
    }

    /// Every question's head, in order, without decoding any question.
    pub fn heads(&self) -> impl Iterator<Item = QuestionHead<'_>> {
        (0..self.len()).map(|i| self.head(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::lazy_items::encode;
    use crate::content::lazy_text::Heap;
    use crate::content::model::NoteRef;
    use std::sync::Arc;

    fn question(id: &str, domain: Option<&str>) -> Question {
        Question {
            id: id.into(),
            domain: domain.map(str::to_string),
            difficulty: Some(2),
            stem: "Which?".into(),
            explanation: "Because.".into(),
            tags: vec!["exam".into()],
            note: Some(NoteRef::parse("caching")),
            choices: vec![Choice {
                text: "This.".into(),
                correct: true,
                why: None,
            }],
            exam: Some(1),
            source: None,
            aliases: vec![format!("old-{id}")],
            lab: None,
        }
    }

    #[test]
    fn a_questions_head_gives_its_domain_and_a_damaged_one_is_refused() {
        let qs = vec![
            question("a", Some("secure")),
            question("b", None),
            question("c", Some("cost")),
            question("d", Some("secure")),
        ];
        let (bytes, heads) = encode(&qs).unwrap();
        assert_eq!(
            heads.own.domains,
            ["secure", "cost"],
            "each domain written once"
        );
        let heads = postcard::to_allocvec(&heads).unwrap();
        let decoded = |f: fn(&mut Heads<Question>)| {
            let mut h = postcard::from_bytes::<Heads<Question>>(&heads).unwrap();
            f(&mut h);
            Questions::encoded(h, Arc::new(bytes.clone()), 0..bytes.len())
        };
        let mut lazy = decoded(|_| {}).unwrap();
        let heap = Arc::new(Heap::in_memory(String::new()));
        assert!(lazy.attach(&[(0, 4)], &|_| Some(heap.clone())));
        let domains: Vec<_> = lazy.heads().map(|q| q.domain).collect();
        assert_eq!(
            domains,
            [Some("secure"), None, Some("cost"), Some("secure")]
        );
        assert_eq!(lazy.head(2).aliases, ["old-c"]);
        assert_eq!(lazy.find("c").unwrap().stem, "Which?");
        assert!(!lazy.are_decoded());
        assert!(
            decoded(|h| h.own.domain_of[1] = 2).is_none(),
            "past the domains"
        );
        assert!(
            decoded(|h| h.own.domain_of.truncate(3)).is_none(),
            "one row short"
        );
    }
}
