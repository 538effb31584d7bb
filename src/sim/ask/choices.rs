//! Numeric choices: the simulated key and distractors from real mistakes, kept far enough
//! apart that a stated tolerance around the key never takes in another choice.

use super::AskedChoice;

/// A value a choice stands for, and why a learner would pick it.
pub(super) struct Numeric {
    pub value: f64,
    pub why: String,
}

impl Numeric {
    pub fn new(value: f64, why: String) -> Numeric {
        Numeric { value, why }
    }
}

/// The key and the first three `mistakes` (in order of preference) at least `gap` away from
/// the key and from each other; `text` words a value. Fewer come back only when the mistakes
/// run out, which the generators' tests rule out over their whole parameter ranges.
pub(super) fn pick(
    key: Numeric,
    mistakes: Vec<Numeric>,
    gap: f64,
    text: impl Fn(f64) -> String,
) -> Vec<AskedChoice> {
    let mut taken = vec![key.value];
    let mut out = vec![AskedChoice {
        text: text(key.value),
        correct: true,
        why: key.why,
    }];
    for m in mistakes {
        if out.len() == 4 {
            break;
        }
        if taken.iter().all(|&t| (t - m.value).abs() >= gap) {
            taken.push(m.value);
            out.push(AskedChoice {
                text: text(m.value),
                correct: false,
                why: m.why,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_mistakes_give_way_to_the_next() {
        let n = |v: f64| Numeric::new(v, format!("why {v}"));
        let picked = pick(
            n(10.0),
            vec![n(12.0), n(20.0), n(21.0), n(30.0), n(40.0), n(50.0)],
            5.0,
            |v| format!("{v}"),
        );
        let values: Vec<&str> = picked.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(values, ["10", "20", "30", "40"]);
        assert!(picked[0].correct && picked[1..].iter().all(|c| !c.correct));
    }
}
