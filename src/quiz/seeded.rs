//! The attempt seed turned into orders that must never change.
//!
//! A saved attempt stores only its seed, and a review months later must show the choices in the
//! order the learner saw. `rand`'s `shuffle` and `random_range` may change their algorithms in a
//! new major version, so the shuffle here is a plain Fisher-Yates over PCG64's raw output, whose
//! stream (and `seed_from_u64`) is fixed by its specification.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::QuestionKey;

/// The generator for everything drawn from an attempt seed.
pub(crate) fn rng(seed: u64) -> Pcg64 {
    Pcg64::seed_from_u64(seed)
}

/// Shuffles in place, uniformly.
pub(crate) fn shuffle<T>(items: &mut [T], rng: &mut Pcg64) {
    for i in (1..items.len()).rev() {
        items.swap(i, below(rng, i + 1));
    }
}

/// The displayed order of a question's choices: `order[shown] = index in the pack`.
///
/// Seeded by the attempt seed and the question's key, not its position, so the order holds
/// however the questions around it were drawn.
pub(crate) fn choice_order(seed: u64, key: &QuestionKey, choices: usize) -> Vec<usize> {
    let mut rng = rng(xxh3_64_with_seed(key.to_string().as_bytes(), seed));
    let mut order: Vec<usize> = (0..choices).collect();
    shuffle(&mut order, &mut rng);
    order
}

/// The seed a lab question's numbers are drawn from: fixed by the attempt seed and the
/// question's key, so resuming or reviewing the attempt regenerates what the learner saw, and
/// another attempt gets other numbers.
pub(crate) fn lab_seed(seed: u64, key: &QuestionKey) -> u64 {
    xxh3_64_with_seed(format!("{key}#lab").as_bytes(), seed)
}

/// A uniform integer in `0..n` (`n > 0`) by rejection, so no value is favoured.
fn below(rng: &mut Pcg64, n: usize) -> usize {
    let n = n as u64;
    let zone = u64::MAX - u64::MAX % n;
    loop {
        let x = rng.next_u64();
        if x < zone {
            return (x % n) as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_orders_are_permutations_fixed_by_seed_and_key() {
        let key = QuestionKey::new("p", "q1");
        let order = choice_order(7, &key, 5);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 1, 2, 3, 4]);
        assert_eq!(order, choice_order(7, &key, 5));
        // Some seed moves it: the shuffle is not the identity for every seed.
        assert!((0..20).any(|s| choice_order(s, &key, 5) != order));
    }

    #[test]
    fn orders_are_pinned_across_versions() {
        // Reviews of old attempts depend on this exact output; a change here breaks them.
        let key = QuestionKey::new("aws-saa", "q-dr-pilot-light");
        assert_eq!(choice_order(42, &key, 4), [2, 1, 0, 3]);
    }

    #[test]
    fn shuffle_is_roughly_uniform() {
        let mut rng = rng(1);
        let mut firsts = [0u32; 4];
        for _ in 0..4_000 {
            let mut v = [0, 1, 2, 3];
            shuffle(&mut v, &mut rng);
            firsts[v[0]] += 1;
        }
        assert!(
            firsts.iter().all(|&n| (850..1_150).contains(&n)),
            "{firsts:?}"
        );
    }
}
