//! Interval fuzz: a small random spread of day-based intervals so cards learned together drift
//! apart. The draw comes from an RNG seeded by the card, its history and the settings' seed, so
//! a preview, the grade that follows it and every later replay agree.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg32;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::key::ItemKey;

/// The fraction (0..1) that places an interval inside its fuzz range, one per answer.
pub fn factor(seed: u64, key: &ItemKey, last_review_ms: i64, reps: u32) -> f64 {
    let history = (last_review_ms as u64).rotate_left(17) ^ u64::from(reps);
    let mut rng = Pcg32::seed_from_u64(xxh3_64_with_seed(key.as_str().as_bytes(), seed ^ history));
    rng.random::<f64>()
}

/// FSRS's fuzz ranges: 15% of the part of the interval between 2.5 and 7 days, 10% up to 20
/// days and 5% beyond, plus a day; intervals under 2.5 days are left alone.
pub fn apply(days: f64, factor: f64, maximum: u32) -> u32 {
    let max = f64::from(maximum);
    if days < 2.5 {
        return days.round().clamp(1.0, max) as u32;
    }
    const RANGES: [(f64, f64, f64); 3] =
        [(2.5, 7.0, 0.15), (7.0, 20.0, 0.10), (20.0, f64::MAX, 0.05)];
    let delta = 1.0
        + RANGES
            .iter()
            .map(|&(start, end, f)| f * (days.min(end) - start).max(0.0))
            .sum::<f64>();
    let hi = (days + delta).round().min(max);
    let lo = (days - delta).round().max(2.0).min(hi);
    (factor * (hi - lo + 1.0) + lo).floor().min(hi) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_in_range_and_is_reproducible() {
        let key = ItemKey::new("p/c");
        assert_eq!(factor(1, &key, 5, 2), factor(1, &key, 5, 2));
        assert_ne!(factor(1, &key, 5, 2), factor(2, &key, 5, 2));
        assert_eq!(apply(1.4, 0.99, 100), 1);
        for f in [0.0, 0.5, 0.999] {
            let d = apply(30.0, f, 36500);
            assert!((27..=33).contains(&d), "{d}");
        }
        assert_eq!(apply(400.0, 0.99, 365), 365);
        assert!(apply(10.0, 0.0, 36500) < apply(10.0, 0.999, 36500));
    }
}
