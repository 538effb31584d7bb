//! Questions the labs write (`lab` and `ask` in a deck): the pack holds the generator and its
//! parameter ranges; the numbers, choices and explanation are made per attempt from a seed.

use super::model::{Choice, LabQuestion, Question};
use crate::sim::ask::{self, LabSetup};

impl LabQuestion {
    /// The stem with each parameter shown as its range ("3–8 nodes"): what lists, search and
    /// the topic page show for a question whose numbers change with every attempt.
    pub fn preview(&self) -> String {
        let template = self
            .template
            .as_deref()
            .unwrap_or_else(|| self.ask.default_stem());
        let mut out = String::with_capacity(template.len());
        let mut at = 0;
        for (range, name) in ask::scan(template) {
            out.push_str(&template[at..range.start]);
            let shown = self
                .ask
                .params()
                .iter()
                .zip(&self.ranges.0)
                .find(|(p, _)| p.name == name)
                .map(|(_, &(lo, hi))| match lo == hi {
                    true => lo.to_string(),
                    false => format!("{lo}–{hi}"),
                });
            out.push_str(&shown.unwrap_or_else(|| "…".to_string()));
            at = range.end;
        }
        out.push_str(&template[at..]);
        out
    }
}

impl Question {
    /// The question as the seed `seed` makes it, with the lab configuration behind its
    /// numbers; `None` for a question the author wrote out.
    pub fn generated(&self, seed: u64) -> Option<(Question, LabSetup)> {
        let lab = self.lab.as_ref()?;
        let asked = ask::generate(lab.ask, &lab.ranges, lab.template.as_deref(), seed);
        let question = Question {
            stem: asked.stem.into(),
            explanation: asked.explanation.into(),
            choices: asked
                .choices
                .into_iter()
                .map(|c| Choice {
                    text: c.text.into(),
                    correct: c.correct,
                    why: Some(c.why.into()),
                })
                .collect(),
            ..self.clone()
        };
        Some((question, asked.setup))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::{Lab, Text};
    use crate::sim::ask::{Ask, Ranges};

    fn ring_question(template: Option<&str>) -> Question {
        Question {
            id: "ring-join".into(),
            domain: None,
            difficulty: None,
            stem: Text::default(),
            explanation: Text::default(),
            tags: Vec::new(),
            note: None,
            choices: Vec::new(),
            exam: None,
            source: None,
            aliases: Vec::new(),
            lab: Some(LabQuestion {
                lab: Lab::HashRing,
                ask: Ask::KeysMovedOnJoin,
                ranges: Ranges(vec![(4, 4), (50, 200)]),
                template: template.map(Text::from),
            }),
        }
    }

    #[test]
    fn previews_show_ranges_and_generated_questions_numbers() {
        let q = ring_question(Some("{nodes} nodes with {vnodes} vnodes; one joins."));
        let lab = q.lab.as_ref().unwrap();
        assert_eq!(lab.preview(), "4 nodes with 50–200 vnodes; one joins.");
        let (made, setup) = q.generated(3).unwrap();
        assert!(made.stem.starts_with("4 nodes with "), "{}", made.stem);
        assert_eq!(made.choices.len(), 4);
        assert_eq!(made.correct_count(), 1);
        assert!(made.choices.iter().all(|c| c.why.is_some()));
        assert_eq!(made.id, "ring-join");
        assert!(matches!(setup, LabSetup::Ring { nodes: 4, .. }));
        assert_eq!(q.generated(3).unwrap().0.stem, made.stem);
    }

    #[test]
    fn a_written_question_generates_nothing() {
        let mut q = ring_question(None);
        q.lab = None;
        assert!(q.generated(1).is_none());
    }
}
