//! Rate-limiter questions: how many requests a token bucket admits, and which algorithm lets
//! the most through in one window, both counted by running the limiters.

use rand_pcg::Pcg64;

use super::choices::{Numeric, pick};
use super::{AskedChoice, LabSetup, Made, draw};
use crate::sim::limiter::{Algo, AnyLimiter, Quota, Tally};
use crate::sim::time::{Nanos, SECOND, format_duration};
use crate::sim::traffic::{Pattern, Traffic};

/// The algorithms the busiest-window question compares, in the lab's comparison order.
const COMPARED: [Algo; 4] = [
    Algo::TokenBucket,
    Algo::FixedWindow,
    Algo::SlidingLog,
    Algo::SlidingCounter,
];
/// Simulated time the busiest-window question runs: three periods of the boundary attack.
const RUN: Nanos = 6 * SECOND;

/// Offers `arrivals` to `algo` under `quota` and tallies what happened.
fn tally(algo: Algo, quota: Quota, arrivals: &[Nanos]) -> Tally {
    let mut limiter = AnyLimiter::new(algo, quota);
    let decisions: Vec<_> = arrivals.iter().map(|&t| limiter.offer(t)).collect();
    Tally::of(arrivals, &decisions, quota.window())
}

/// How many of `requests` evenly spaced requests a full token bucket admits, for `values =
/// [rate, burst, requests, overload]`.
pub(super) fn admitted(values: &[u32]) -> Made {
    let [rate, burst, n, k] = [values[0], values[1], values[2], values[3]];
    let quota = Quota::from_rate(f64::from(rate), burst).expect("rate and burst within range");
    let gap = (SECOND as f64 / f64::from(k * rate)).round() as Nanos;
    let arrivals: Vec<Nanos> = (0..u64::from(n)).map(|i| i * gap).collect();
    let key = tally(Algo::TokenBucket, quota, &arrivals).admitted as u32;
    let on_burst = burst.min(n);
    let refilled = key - on_burst;
    let span = format_duration(arrivals.last().copied().unwrap_or(0));
    let interval = format_duration(quota.interval());
    let num = |v: u32, why: String| Numeric::new(f64::from(v), why);
    let mistakes = vec![
        num(
            n,
            format!(
                "All {n} would pass only if tokens kept up, but requests come {k} times \
                 faster than the {rate} tokens a second the bucket earns."
            ),
        ),
        num(
            burst,
            format!(
                "{burst} counts only the tokens the bucket starts with and forgets that it \
                 earns one every {interval} while the requests arrive."
            ),
        ),
        num(
            (n - 1) / k,
            format!(
                "{} counts only the tokens earned during the {span}, as if the bucket \
                 started empty; it starts full with {burst}.",
                (n - 1) / k
            ),
        ),
        num(
            n.div_ceil(k),
            format!(
                "{} passes one request in {k}, the long-run share, and forgets the {burst} \
                 stored tokens that let the first requests through at once.",
                n.div_ceil(k)
            ),
        ),
        num(
            key + 1,
            format!(
                "{} counts one token too many: the fencepost slip of counting refills at both \
                 ends of the {span}.",
                key + 1
            ),
        ),
        num(
            key.saturating_sub(1),
            format!(
                "{} counts one token too few: the first request at time zero already finds \
                 the bucket full.",
                key.saturating_sub(1)
            ),
        ),
    ]
    .into_iter()
    .filter(|m| m.value <= f64::from(n) && m.value >= 0.0)
    .collect();
    let why_key = format!(
        "Right: the simulation admits {key}. {on_burst} pass on the tokens the full bucket \
         starts with, and {refilled} more on tokens earned, one every {interval}, during the \
         {span} from the first request to the last."
    );
    let choices = pick(Numeric::new(f64::from(key), why_key), mistakes, 1.0, |v| {
        format!("{v:.0} of the {n}")
    });
    let explanation = format!(
        "A token bucket holds at most {burst} tokens and gains one every {interval} ({rate} a \
         second); a request passes only if it can take a token (the same meter RFC 2697 \
         describes with a committed burst size). Starting full, the first {on_burst} requests \
         pass at once; after that requests arrive {k} times faster than tokens, so only about \
         one in {k} finds one. Counted request by request, {key} of the {n} pass. This is an \
         exact count: no tolerance."
    );
    let offered = k * rate;
    Made {
        fills: vec![
            ("rate", rate.to_string()),
            ("burst", burst.to_string()),
            ("requests", n.to_string()),
            ("overload", k.to_string()),
            ("offered", offered.to_string()),
            ("gap", format_duration(gap)),
            ("interval", interval),
        ],
        choices,
        explanation,
        setup: LabSetup::Limiter {
            algos: vec![Algo::TokenBucket],
            limit: quota.limit(),
            window: quota.window(),
            traffic: Traffic::Steady { interval: gap },
        },
    }
}

/// Which of [`COMPARED`] lets the most requests through in one second, for `values =
/// [limit]` and traffic drawn between the boundary attack and steady overload.
pub(super) fn busiest(values: &[u32], rng: &mut Pcg64) -> Made {
    let limit = values[0];
    let quota = Quota::new(limit, SECOND).expect("a limit of at least 1 per second");
    let pattern = [Pattern::Boundary, Pattern::Steady][draw(rng, 0, 1) as usize];
    let traffic = pattern.shaped_for(quota);
    let arrivals = traffic.arrivals(RUN, rng);
    let peaks: Vec<u64> = COMPARED
        .iter()
        .map(|&a| tally(a, quota, &arrivals).max_in_window)
        .collect();
    let top = peaks.iter().copied().max().unwrap_or(0);
    let described = match pattern {
        Pattern::Boundary => format!(
            "the window-boundary attack: {limit} requests just before every other one-second \
             boundary and {limit} just after it"
        ),
        _ => format!(
            "a steady {} requests a second, twice the limit, starting after a quiet spell",
            2 * limit
        ),
    };
    let choices: Vec<AskedChoice> = COMPARED
        .iter()
        .zip(&peaks)
        .map(|(&algo, &peak)| {
            let correct = peak == top;
            let verdict = if correct {
                "Right"
            } else {
                "Not the most here"
            };
            AskedChoice {
                text: capitalized(algo.title()),
                correct,
                why: format!(
                    "{verdict}: its busiest second held {peak} requests. {}",
                    behaviour(algo, limit)
                ),
            }
        })
        .collect();
    let counts: Vec<String> = COMPARED
        .iter()
        .zip(&peaks)
        .map(|(a, p)| format!("{} {p}", a.title()))
        .collect();
    let why = match pattern {
        Pattern::Boundary => format!(
            "Requests bunched around a window boundary fall into two counting windows, so the \
             fixed window counter passes {limit} on each side of it."
        ),
        _ => format!(
            "After a quiet spell the token bucket is full: it passes {limit} at once and then \
             one per refill, so the first second holds nearly twice the limit."
        ),
    };
    let explanation = format!(
        "All four enforce {limit} a second on average but differ over short spans. Measured \
         over {} of this traffic, the busiest one-second span held: {}. {why} The key is the \
         one the simulation measured most for; the counts are exact.",
        format_duration(RUN),
        counts.join(", ")
    );
    Made {
        fills: vec![("limit", limit.to_string()), ("traffic", described)],
        choices,
        explanation,
        setup: LabSetup::Limiter {
            algos: COMPARED.to_vec(),
            limit,
            window: SECOND,
            traffic,
        },
    }
}

/// How an algorithm behaves over a short span, in a sentence.
fn behaviour(algo: Algo, limit: u32) -> String {
    match algo {
        Algo::TokenBucket => format!(
            "A full bucket passes {limit} at once and refills at {limit} a second, so a burst \
             after a quiet spell plus the refill can reach twice {limit} in one second."
        ),
        Algo::FixedWindow => format!(
            "It resets its count at every window boundary, so {limit} just before a boundary \
             and {limit} just after it both pass: up to twice {limit} in one second."
        ),
        Algo::SlidingLog => format!(
            "It counts exactly the requests of the last second, so no one-second span ever \
             holds more than {limit}."
        ),
        _ => format!(
            "It weights the previous window's count by how much of it still overlaps, which \
             keeps any one second close to {limit}."
        ),
    }
}

/// "token bucket" as "Token bucket".
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    fn key(made: &Made) -> &str {
        &made.choices.iter().find(|c| c.correct).unwrap().text
    }

    #[test]
    fn a_token_bucket_admits_its_burst_then_one_per_refill() {
        // The token bucket as RFC 2697 (section 3) meters it: the bucket starts full and a
        // request conforms while a token is left; tokens come one per 1/rate seconds. So by
        // time t a full bucket of B has handed out at most B + floor(t * rate) tokens, and
        // with requests arriving faster than tokens every token is taken as soon as it
        // exists. Counted by hand for the last request's time t:
        // rate 10/s, burst 20, 30 requests every 50 ms (t = 1450 ms): 20 + 14 = 34 >= 30, so
        // all 30 pass.
        let all = admitted(&[10, 20, 30, 2]);
        assert_eq!(key(&all), "30 of the 30");
        // Burst 5, the same pace: 5 + floor(1450 ms / 100 ms) = 5 + 14 = 19 pass.
        let some = admitted(&[10, 5, 30, 2]);
        assert_eq!(key(&some), "19 of the 30");
        // Rate 4/s (a token every 250 ms), burst 3, 12 requests at 16/s (every 62.5 ms,
        // t = 0 .. 687.5 ms): 3 + floor(687.5 / 250) = 3 + 2 = 5.
        let slow = admitted(&[4, 3, 12, 4]);
        assert_eq!(key(&slow), "5 of the 12");
        assert!(some.explanation.contains("exact count"));
        let LabSetup::Limiter {
            algos,
            limit,
            window,
            traffic,
        } = &some.setup
        else {
            panic!()
        };
        assert_eq!((algos.as_slice(), *limit), (&[Algo::TokenBucket][..], 5));
        assert_eq!(*window, 500_000_000, "5 tokens at 10 a second");
        assert_eq!(
            traffic,
            &Traffic::Steady {
                interval: 50_000_000
            }
        );
    }

    #[test]
    fn the_distractors_are_the_named_mistakes() {
        let made = admitted(&[10, 5, 30, 2]);
        let mut texts: Vec<&str> = made.choices.iter().map(|c| c.text.as_str()).collect();
        texts.sort_unstable();
        // All 30, only the burst (5), only the refills (14).
        assert_eq!(
            texts,
            [
                "14 of the 30",
                "19 of the 30",
                "30 of the 30",
                "5 of the 30"
            ]
        );
    }

    #[test]
    fn the_busiest_window_depends_on_the_traffic() {
        // Fixed window under the boundary attack passes L before and L after a boundary: 2L
        // in one second (the 2x burst of fixed windows). A token bucket after a quiet spell
        // passes L at once, then L more over the next second.
        let mut winners = std::collections::HashSet::new();
        for limit in 2..=50 {
            for seed in 0..16 {
                let made = busiest(&[limit], &mut Pcg64::seed_from_u64(seed));
                let keys = made.choices.iter().filter(|c| c.correct).count();
                assert_eq!(keys, 1, "limit {limit}: {:#?}", made.choices);
                winners.insert(key(&made).to_string());
            }
        }
        let mut winners: Vec<String> = winners.into_iter().collect();
        winners.sort();
        assert_eq!(winners, ["Fixed window counter", "Token bucket"]);
    }

    #[test]
    fn token_bucket_choices_stay_distinct_over_the_whole_range() {
        for rate in [1, 2, 7, 50, 100] {
            for burst in [1, 2, 9, 50, 100] {
                for n in [5, 6, 17, 200] {
                    for k in 2..=5 {
                        let made = admitted(&[rate, burst, n, k]);
                        assert_eq!(made.choices.len(), 4, "{rate} {burst} {n} {k}");
                    }
                }
            }
        }
    }
}
