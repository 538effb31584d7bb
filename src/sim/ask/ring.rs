//! Hash-ring questions: the share of keys a join or a leave moves, measured on a ring with
//! virtual nodes, next to the 1/(N+1) (join) and 1/N (leave) that theory predicts.

use rand::Rng;
use rand_pcg::Pcg64;

use super::choices::{Numeric, pick};
use super::{LabSetup, Made, draw};
use crate::sim::hash_ring::{Change, Movement, Ring, assign, hash_keys, node_name, node_names};
use crate::words::thousands;

/// Keys placed: the lab's default, so the lab opened on the question shows the same count.
pub(super) const KEYS: usize = 10_000;
/// Choices differ by at least this many percentage points; half of it is the tolerance.
const GAP: f64 = 3.0;

/// The share of keys moved when one node joins (`leave` false) or one leaves a ring of
/// `values = [nodes, vnodes]`.
pub(super) fn moved(values: &[u32], leave: bool, rng: &mut Pcg64) -> Made {
    let (n, vnodes) = (values[0], values[1]);
    let seed = rng.next_u64();
    let before = node_names(n as usize);
    let change = if leave {
        Change::Remove(node_name(draw(rng, 0, n - 1) as usize))
    } else {
        Change::Add(1)
    };
    let measured = measure(&before, vnodes, seed, &change);
    let share = 100.0 * measured.share;
    let nf = f64::from(n);
    let pct = |x: f64| format!("{:.1}%", 100.0 * x);
    let after = if leave { n - 1 } else { n + 1 };
    let k = thousands(KEYS as u64);
    let (ideal, why_key, mistakes) = if leave {
        let ideal = 1.0 / nf;
        (
            ideal,
            format!(
                "Right: the simulation moved {} of {k} keys. Only the keys the leaving node \
                 held move, and it held about one share in {n}: 1/{n} = {}.",
                thousands(measured.moved),
                pct(ideal)
            ),
            vec![
                Numeric::new(
                    100.0 / f64::from(n - 1),
                    format!(
                        "1/{} divides by the {} nodes left; but what moves is the share the \
                         leaving node held, one in {n}.",
                        n - 1,
                        n - 1
                    ),
                ),
                Numeric::new(
                    100.0 * (nf - 1.0) / nf,
                    format!(
                        "({n}-1)/{n} is what `hash mod N` moves when N drops from {n} to {}: \
                         nearly every key. A ring moves only the leaving node's keys.",
                        n - 1
                    ),
                ),
                Numeric::new(
                    200.0 / nf,
                    format!(
                        "2/{n} counts each moved key twice, once leaving and once arriving; \
                         each key moves once."
                    ),
                ),
                Numeric::new(
                    50.0,
                    "Half is a guess with no model behind it; the share depends on the number \
                     of nodes."
                        .to_string(),
                ),
                Numeric::new(
                    100.0,
                    "All keys move only when every key is rehashed, as modulo hashing does \
                     when N changes; a ring keeps the survivors' keys."
                        .to_string(),
                ),
            ],
        )
    } else {
        let ideal = 1.0 / (nf + 1.0);
        (
            ideal,
            format!(
                "Right: the simulation moved {} of {k} keys. The new node takes about one \
                 share of the {after} now on the ring, 1/{after} = {}, and every moved key goes \
                 to it.",
                thousands(measured.moved),
                pct(ideal)
            ),
            vec![
                Numeric::new(
                    100.0 / nf,
                    format!(
                        "1/{n} divides by the nodes before the join; the newcomer gets one share \
                         of the {after} after it."
                    ),
                ),
                Numeric::new(
                    100.0 * nf / (nf + 1.0),
                    format!(
                        "{n}/{after} is what `hash mod N` moves when N grows from {n} to \
                         {after}: nearly every key. A ring moves only the keys the new node \
                         takes."
                    ),
                ),
                Numeric::new(
                    200.0 / (nf + 1.0),
                    format!(
                        "2/{after} counts each moved key twice, once leaving and once \
                         arriving; each key moves once."
                    ),
                ),
                Numeric::new(
                    50.0,
                    "Half is a guess with no model behind it; the share depends on the number \
                     of nodes."
                        .to_string(),
                ),
                Numeric::new(
                    100.0,
                    "All keys move only when every key is rehashed, as modulo hashing does \
                     when N changes; a ring keeps every key the new node does not take."
                        .to_string(),
                ),
            ],
        )
    };
    let choices = pick(Numeric::new(share, why_key), mistakes, GAP, |v| {
        format!("About {v:.1}% of the keys")
    });
    let explanation = format!(
        "On a consistent hash ring a membership change moves only the keys on the arcs that \
         change hands (Karger et al., 1997): about 1/{} = {} here. With {vnodes} virtual nodes \
         per node each node's share wanders by roughly 1/sqrt({vnodes}) of itself, so the \
         measured {share:.1}% ({} of {k} keys) is close to the theory but not equal. Answers \
         within {:.1} percentage points of the measured share count as this one; every other \
         choice is at least {GAP:.0} points away.",
        if leave { n } else { n + 1 },
        pct(ideal),
        thousands(measured.moved),
        GAP / 2.0,
    );
    let leaving = match &change {
        Change::Remove(name) => name.clone(),
        Change::Add(_) => String::new(),
    };
    Made {
        fills: vec![
            ("nodes", n.to_string()),
            ("vnodes", vnodes.to_string()),
            ("keys", thousands(KEYS as u64)),
            ("after", after.to_string()),
            ("leaving", leaving),
        ],
        choices,
        explanation,
        setup: LabSetup::Ring {
            nodes: n,
            vnodes,
            keys: KEYS,
            seed,
            change,
        },
    }
}

/// What `change` moves among [`KEYS`] keys on a ring of `before` with `vnodes` each.
fn measure(before: &[String], vnodes: u32, seed: u64, change: &Change) -> Movement {
    let keys = hash_keys(KEYS, seed);
    let after = change
        .apply(before)
        .expect("a join, or a leave of a member of at least three nodes");
    let old = Ring::new(before.to_vec(), vnodes, seed).expect("named nodes and vnodes >= 1");
    let new = Ring::new(after, vnodes, seed).expect("named nodes and vnodes >= 1");
    let (old_owners, _) = assign(&old, &keys);
    let (new_owners, _) = assign(&new, &keys);
    Movement::between(&keys, (&old, &old_owners), (&new, &new_owners))
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::sim::ask::{Ask, Ranges, generate};

    fn key_share(asked: &super::super::Asked) -> f64 {
        let key = asked.choices.iter().find(|c| c.correct).unwrap();
        key.text
            .trim_start_matches("About ")
            .trim_end_matches("% of the keys")
            .parse()
            .unwrap()
    }

    #[test]
    fn a_join_moves_about_one_share_in_n_plus_one() {
        // Karger et al. 1997 ("Consistent hashing and random trees", STOC), section 4: when a
        // node joins, only the keys it now owns move, an expected 1/(N+1) of them. With 200
        // virtual nodes the new node's share deviates by about 1/sqrt(200) ~ 7% of itself.
        for (n, expected) in [(3u32, 25.0), (4, 20.0), (7, 12.5), (9, 10.0)] {
            let ranges = Ranges(vec![(n, n), (200, 200)]);
            for seed in 0..5 {
                let q = generate(Ask::KeysMovedOnJoin, &ranges, None, seed);
                let share = key_share(&q);
                assert!(
                    (share - expected).abs() < expected * 0.25,
                    "N = {n}: {share} vs {expected}"
                );
                let LabSetup::Ring {
                    nodes,
                    vnodes,
                    change,
                    ..
                } = &q.setup
                else {
                    panic!("{:?}", q.setup)
                };
                assert_eq!((*nodes, *vnodes, change), (n, 200, &Change::Add(1)));
            }
        }
    }

    #[test]
    fn a_leave_moves_the_leaving_nodes_share() {
        // Karger et al. 1997: a leaving node's keys go to its successors; nothing else moves.
        // Its expected share is 1/N.
        let ranges = Ranges(vec![(5, 5), (500, 500)]);
        for seed in 0..5 {
            let q = generate(Ask::KeysMovedOnLeave, &ranges, None, seed);
            let share = key_share(&q);
            assert!((share - 20.0).abs() < 5.0, "{share}");
            assert!(q.stem.contains("The node node-"), "{}", q.stem);
        }
    }

    #[test]
    fn the_key_is_what_the_ring_measures_and_the_lab_reproduces() {
        let q = generate(
            Ask::KeysMovedOnJoin,
            &Ranges(vec![(6, 6), (50, 50)]),
            None,
            11,
        );
        let LabSetup::Ring {
            nodes,
            vnodes,
            seed,
            change,
            ..
        } = &q.setup
        else {
            panic!()
        };
        let measured = measure(&node_names(*nodes as usize), *vnodes, *seed, change);
        assert_eq!(
            format!("{:.1}", 100.0 * measured.share),
            format!("{:.1}", key_share(&q))
        );
        assert!(
            q.explanation
                .contains(&format!("{} of 10,000 keys", thousands(measured.moved)))
        );
    }

    #[test]
    fn choices_stay_apart_over_the_whole_range() {
        for leave in [false, true] {
            for n in [3, 4, 5, 8, 12, 20] {
                for vnodes in [10, 50, 1000] {
                    let mut rng = Pcg64::seed_from_u64(u64::from(n * vnodes));
                    let made = moved(&[n, vnodes], leave, &mut rng);
                    assert_eq!(made.choices.len(), 4, "n {n} v {vnodes} leave {leave}");
                }
            }
        }
    }
}
