//! What theory expects of a cache under independent requests with fixed popularities (the
//! "independent reference model"), the setting of the Zipf trace. Each figure ignores cold
//! misses, so it is approached as the trace grows long against the number of keys.

/// The probability of each key of Zipf(keys, skew), most popular first.
pub fn zipf_popularity(keys: u64, skew: f64) -> Vec<f64> {
    let weights: Vec<f64> = (1..=keys.max(1))
        .map(|rank| (rank as f64).powf(-skew))
        .collect();
    let total: f64 = weights.iter().sum();
    weights.into_iter().map(|w| w / total).collect()
}

/// The best hit ratio of a cache that knows the popularities but not the future: hold the
/// `capacity` most popular keys. An LFU that counts every request tends to it.
pub fn top_mass(popularity: &[f64], capacity: usize) -> f64 {
    popularity.iter().take(capacity).sum()
}

/// LRU's hit ratio by Che's approximation (Che, Tung & Wang, "Hierarchical Web caching systems:
/// modeling, design and experimental results", IEEE JSAC 20(7), 2002): a key stays cached for a
/// characteristic time T after its last request, with T chosen so that on average `capacity`
/// keys are cached, `sum(1 - exp(-p_i T)) = C`; key i then hits with probability 1 - exp(-p_i T).
pub fn che_lru(popularity: &[f64], capacity: usize) -> f64 {
    characteristic(popularity, capacity, |p, t| 1.0 - (-p * t).exp())
}

/// FIFO's (and random eviction's) hit ratio by the same method (Martina, Garetto & Leonardi, "A
/// unified approach to the performance analysis of caching systems", INFOCOM 2014): key i hits
/// with probability p_i T / (1 + p_i T), with `sum` of those equal to `capacity`.
pub fn fifo_approx(popularity: &[f64], capacity: usize) -> f64 {
    characteristic(popularity, capacity, |p, t| p * t / (1.0 + p * t))
}

/// Solves `sum(occupancy(p_i, T)) = capacity` for T by bisection and returns the hit ratio
/// `sum(p_i * occupancy(p_i, T))`; a cache that holds every key hits every time.
fn characteristic(popularity: &[f64], capacity: usize, occupancy: impl Fn(f64, f64) -> f64) -> f64 {
    if capacity >= popularity.len() {
        return 1.0;
    }
    let filled = |t: f64| popularity.iter().map(|&p| occupancy(p, t)).sum::<f64>();
    let target = capacity as f64;
    let mut high = 1.0;
    while filled(high) < target && high < 1e300 {
        high *= 2.0;
    }
    let mut low = 0.0;
    for _ in 0..200 {
        let mid = (low + high) / 2.0;
        if filled(mid) < target {
            low = mid;
        } else {
            high = mid;
        }
    }
    let t = (low + high) / 2.0;
    popularity.iter().map(|&p| p * occupancy(p, t)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_popularity_hits_in_proportion_to_the_cache() {
        // With every key equally likely, any policy holding C of N keys hits C/N.
        let uniform = zipf_popularity(100, 0.0);
        assert!((uniform.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!((che_lru(&uniform, 25) - 0.25).abs() < 1e-9);
        assert!((fifo_approx(&uniform, 25) - 0.25).abs() < 1e-9);
        assert!((top_mass(&uniform, 25) - 0.25).abs() < 1e-9);
        assert_eq!(che_lru(&uniform, 100), 1.0);
    }

    #[test]
    fn skew_orders_the_approximations() {
        // Under skewed popularity: holding the top keys beats LRU, which beats FIFO.
        let zipf = zipf_popularity(1000, 0.9);
        let (top, lru, fifo) = (
            top_mass(&zipf, 100),
            che_lru(&zipf, 100),
            fifo_approx(&zipf, 100),
        );
        assert!(top > lru && lru > fifo, "{top} {lru} {fifo}");
    }
}
