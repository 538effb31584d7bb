//! Questions the labs write: a pack names a generator and ranges for its parameters, and the
//! simulation draws the numbers from a seed, runs, and works out the key, distractors taken
//! from real mistakes, a `why` for every choice and the explanation.
//!
//! A question's seed fixes everything it shows, so an attempt that records its seed shows the
//! same numbers on resume and review, and a new attempt (a new seed) gets fresh ones.

mod choices;
mod limiter;
mod ring;
mod template;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use serde::{Deserialize, Serialize};

use crate::sim::hash_ring::Change;
use crate::sim::limiter::Algo as LimiterAlgo;
use crate::sim::traffic::Traffic;

pub use template::{placeholders, scan};

/// The generators, each offered by one lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ask {
    /// Hash ring: which share of the keys moves when one node joins.
    KeysMovedOnJoin,
    /// Hash ring: which share of the keys moves when one node leaves.
    KeysMovedOnLeave,
    /// Rate limiter: how many of a run of requests a token bucket admits.
    TokenBucketAdmits,
    /// Rate limiter: which of four algorithms lets the most through in one window.
    BusiestWindow,
}

/// One parameter a generator draws, with the widest range it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    pub min: u32,
    pub max: u32,
    /// Used when the pack gives no range.
    pub default: (u32, u32),
    /// What it is, for diagnostics and the authoring guide.
    pub about: &'static str,
}

const fn param(
    name: &'static str,
    (min, max): (u32, u32),
    default: (u32, u32),
    about: &'static str,
) -> Param {
    Param {
        name,
        min,
        max,
        default,
        about,
    }
}

const RING_PARAMS: &[Param] = &[
    param(
        "nodes",
        (3, 20),
        (3, 8),
        "nodes on the ring before the change",
    ),
    param("vnodes", (10, 1000), (50, 200), "virtual nodes per node"),
];
const BUCKET_PARAMS: &[Param] = &[
    param("rate", (1, 100), (5, 20), "tokens added per second"),
    param(
        "burst",
        (1, 100),
        (5, 30),
        "bucket capacity, full at the start",
    ),
    param(
        "requests",
        (5, 200),
        (20, 60),
        "requests offered, evenly spaced",
    ),
    param(
        "overload",
        (2, 5),
        (2, 4),
        "offered rate as a multiple of the token rate",
    ),
];
const WINDOW_PARAMS: &[Param] = &[param(
    "limit",
    (2, 50),
    (5, 20),
    "requests allowed per one-second window",
)];

impl Ask {
    pub const ALL: [Ask; 4] = [
        Ask::KeysMovedOnJoin,
        Ask::KeysMovedOnLeave,
        Ask::TokenBucketAdmits,
        Ask::BusiestWindow,
    ];

    /// The name a pack writes in `ask`.
    pub fn id(self) -> &'static str {
        match self {
            Ask::KeysMovedOnJoin => "keys-moved-on-join",
            Ask::KeysMovedOnLeave => "keys-moved-on-leave",
            Ask::TokenBucketAdmits => "token-bucket-admits",
            Ask::BusiestWindow => "busiest-window",
        }
    }

    /// The id of the lab that offers it, as a note's `lab` names it.
    pub fn lab(self) -> &'static str {
        match self {
            Ask::KeysMovedOnJoin | Ask::KeysMovedOnLeave => "hash-ring",
            Ask::TokenBucketAdmits | Ask::BusiestWindow => "rate-limiter",
        }
    }

    /// The generator of `lab` called `id`.
    pub fn find(lab: &str, id: &str) -> Option<Ask> {
        Ask::ALL
            .into_iter()
            .find(|a| a.lab() == lab && a.id() == id)
    }

    /// The generators `lab` offers.
    pub fn of_lab(lab: &str) -> impl Iterator<Item = Ask> + '_ {
        Ask::ALL.into_iter().filter(move |a| a.lab() == lab)
    }

    pub fn params(self) -> &'static [Param] {
        match self {
            Ask::KeysMovedOnJoin | Ask::KeysMovedOnLeave => RING_PARAMS,
            Ask::TokenBucketAdmits => BUCKET_PARAMS,
            Ask::BusiestWindow => WINDOW_PARAMS,
        }
    }

    /// The names of [`Ask::params`], in order.
    pub fn param_names(self) -> &'static [&'static str] {
        match self {
            Ask::KeysMovedOnJoin | Ask::KeysMovedOnLeave => &["nodes", "vnodes"],
            Ask::TokenBucketAdmits => &["rate", "burst", "requests", "overload"],
            Ask::BusiestWindow => &["limit"],
        }
    }

    /// The stem when the pack gives none; its placeholders are those [`placeholders`] lists.
    pub fn default_stem(self) -> &'static str {
        match self {
            Ask::KeysMovedOnJoin => {
                "A consistent hash ring holds {keys} keys on {nodes} nodes with {vnodes} virtual \
                 nodes each. One more node joins. About which share of the keys changes owner?"
            }
            Ask::KeysMovedOnLeave => {
                "A consistent hash ring holds {keys} keys on {nodes} nodes with {vnodes} virtual \
                 nodes each. The node {leaving} leaves. About which share of the keys changes owner?"
            }
            Ask::TokenBucketAdmits => {
                "A token bucket adds {rate} tokens per second up to a capacity of {burst}, and \
                 starts full. Requests arrive evenly at {offered} per second, one every {gap}. \
                 How many of the first {requests} requests are admitted?"
            }
            Ask::BusiestWindow => {
                "Four limiters each allow {limit} requests per second: a token bucket \
                 (capacity {limit}, refilled at {limit}/s), a fixed window counter, a sliding \
                 window log and a sliding window counter. The traffic is {traffic}. Which one \
                 lets the most requests through in some one-second span?"
            }
        }
    }
}

/// Ranges for a generator's parameters, in the order of [`Ask::params`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranges(pub Vec<(u32, u32)>);

impl Ranges {
    /// The defaults of `ask`, with `given` (by name) in their place.
    pub fn with(ask: Ask, given: &[(&str, (u32, u32))]) -> Ranges {
        Ranges(
            ask.params()
                .iter()
                .map(|p| {
                    given
                        .iter()
                        .find(|(n, _)| *n == p.name)
                        .map_or(p.default, |(_, r)| *r)
                })
                .collect(),
        )
    }
}

/// The configuration a lab opens in to show what a question asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabSetup {
    Ring {
        nodes: u32,
        vnodes: u32,
        keys: usize,
        seed: u64,
        /// The join or leave the question asked about, made once the ring is built.
        change: Change,
    },
    Limiter {
        /// One algorithm, or several compared side by side.
        algos: Vec<LimiterAlgo>,
        /// Requests per window; a bucket's capacity.
        limit: u32,
        window: crate::sim::time::Nanos,
        traffic: Traffic,
    },
}

/// One computed choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskedChoice {
    pub text: String,
    pub correct: bool,
    pub why: String,
}

/// A question as one seed makes it: Markdown texts and the lab configuration behind them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub stem: String,
    /// In a seeded order, so the key is not always first.
    pub choices: Vec<AskedChoice>,
    pub explanation: String,
    pub setup: LabSetup,
}

/// Makes the question `ask` with parameters drawn from `ranges` by `seed`; `stem` is the
/// pack's template, or `None` for the generator's own.
///
/// Ranges outside what the generator accepts are clamped to it (the checker reports them).
pub fn generate(ask: Ask, ranges: &Ranges, stem: Option<&str>, seed: u64) -> Asked {
    let mut rng = Pcg64::seed_from_u64(seed);
    let values: Vec<u32> = ask
        .params()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (lo, hi) = ranges.0.get(i).copied().unwrap_or(p.default);
            let lo = lo.clamp(p.min, p.max);
            draw(&mut rng, lo, hi.clamp(lo, p.max))
        })
        .collect();
    let made = match ask {
        Ask::KeysMovedOnJoin => ring::moved(&values, false, &mut rng),
        Ask::KeysMovedOnLeave => ring::moved(&values, true, &mut rng),
        Ask::TokenBucketAdmits => limiter::admitted(&values),
        Ask::BusiestWindow => limiter::busiest(&values, &mut rng),
    };
    let stem = template::fill(stem.unwrap_or(ask.default_stem()), &made.fills);
    let mut choices = made.choices;
    shuffle(&mut choices, &mut rng);
    Asked {
        stem,
        choices,
        explanation: made.explanation,
        setup: made.setup,
    }
}

/// What one generator worked out, before the stem is filled and the choices shuffled.
struct Made {
    fills: Vec<(&'static str, String)>,
    choices: Vec<AskedChoice>,
    explanation: String,
    setup: LabSetup,
}

/// A uniform integer in `lo..=hi`, by rejection so no value is favoured, and independent of
/// `rand`'s own range algorithms, which may change between versions.
fn draw(rng: &mut Pcg64, lo: u32, hi: u32) -> u32 {
    let span = u64::from(hi - lo) + 1;
    let zone = u64::MAX - u64::MAX % span;
    loop {
        let x = rng.next_u64();
        if x < zone {
            return lo + (x % span) as u32;
        }
    }
}

/// Fisher-Yates over [`draw`], so the order is pinned by the seed alone.
fn shuffle<T>(items: &mut [T], rng: &mut Pcg64) {
    for i in (1..items.len()).rev() {
        let j = draw(rng, 0, i as u32) as usize;
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_makes_the_same_question_and_others_vary() {
        for ask in Ask::ALL {
            let ranges = Ranges::with(ask, &[]);
            let a = generate(ask, &ranges, None, 7);
            assert_eq!(a, generate(ask, &ranges, None, 7), "{}", ask.id());
            let stems: std::collections::HashSet<String> = (0..12)
                .map(|s| generate(ask, &ranges, None, s).stem)
                .collect();
            assert!(stems.len() > 3, "{}: {stems:?}", ask.id());
        }
    }

    #[test]
    fn every_question_has_four_choices_one_key_and_a_why_each() {
        for ask in Ask::ALL {
            let ranges = Ranges::with(ask, &[]);
            for seed in 0..40 {
                let q = generate(ask, &ranges, None, seed);
                assert_eq!(q.choices.len(), 4, "{} seed {seed}: {q:#?}", ask.id());
                assert_eq!(q.choices.iter().filter(|c| c.correct).count(), 1);
                let texts: std::collections::HashSet<&str> =
                    q.choices.iter().map(|c| c.text.as_str()).collect();
                assert_eq!(texts.len(), 4, "{} seed {seed}: {q:#?}", ask.id());
                assert!(q.choices.iter().all(|c| !c.why.is_empty()));
                assert!(!q.stem.contains('{') && !q.explanation.is_empty());
            }
        }
    }

    #[test]
    fn parameter_names_follow_the_parameters() {
        for ask in Ask::ALL {
            let names: Vec<&str> = ask.params().iter().map(|p| p.name).collect();
            assert_eq!(names, ask.param_names());
            assert!(ask.params().iter().all(|p| p.min <= p.default.0
                && p.default.0 <= p.default.1
                && p.default.1 <= p.max));
            assert_eq!(Ask::find(ask.lab(), ask.id()), Some(ask));
        }
    }

    #[test]
    fn draws_stay_in_range_and_reach_both_ends() {
        let mut rng = Pcg64::seed_from_u64(3);
        let seen: Vec<u32> = (0..200).map(|_| draw(&mut rng, 4, 6)).collect();
        assert!(seen.iter().all(|v| (4..=6).contains(v)));
        assert!(seen.contains(&4) && seen.contains(&6));
        assert_eq!(draw(&mut rng, 9, 9), 9);
    }

    #[test]
    fn questions_are_pinned_across_versions() {
        // Reviews of old attempts regenerate from the seed; a change here changes them.
        let q = generate(
            Ask::TokenBucketAdmits,
            &Ranges::with(Ask::TokenBucketAdmits, &[]),
            None,
            42,
        );
        let key = q.choices.iter().find(|c| c.correct).unwrap();
        assert_eq!((q.stem.as_str(), key.text.as_str()), PINNED);
    }

    const PINNED: (&str, &str) = (
        "A token bucket adds 14 tokens per second up to a capacity of 18, and starts full. \
         Requests arrive evenly at 42 per second, one every 23.81ms. How many of the first 48 \
         requests are admitted?",
        "33 of the 48",
    );
}
