//! How often a partial quorum (R + W <= N) reads stale right after a write, by the formula of
//! Bailis et al., "Probabilistically Bounded Staleness for Practical Partial Quorums" (VLDB
//! 2012), and measured on the cluster.

use super::{Client, Cluster, Config, ConfigError, Outcome, Step};

/// C(n, k), exactly for the small n here (as f64 to avoid overflow).
fn choose(n: usize, k: usize) -> f64 {
    if k > n {
        return 0.0;
    }
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// The probability that R replicas chosen uniformly all miss a write held by exactly W of the
/// N: C(N-W, R) / C(N, R). Zero when R + W > N: the sets must meet.
pub fn miss_probability(replicas: usize, reads: usize, writes: usize) -> f64 {
    match reads + writes > replicas || replicas == 0 {
        true => 0.0,
        false => choose(replicas - writes, reads) / choose(replicas, reads),
    }
}

/// Runs `trials` fresh clusters of `config`'s N, R and W, each a write that stays on exactly
/// its W acknowledgements (no propagation, no sloppy quorum, no read repair) followed at once
/// by a read; returns how many reads were stale.
pub fn measure_misses(config: &Config, trials: u64, seed: u64) -> Result<u64, ConfigError> {
    let config = Config {
        sloppy: false,
        read_repair: false,
        lag: None,
        ..*config
    };
    let mut stale = 0;
    for trial in 0..trials {
        let mut cluster = Cluster::new(config, seed.wrapping_add(trial))?;
        cluster.apply(Step::Write(Client::A));
        if cluster.apply(Step::Read(Client::B)).outcome == Outcome::Stale {
            stale += 1;
        }
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomials() {
        assert_eq!(choose(5, 2), 10.0);
        assert_eq!(choose(3, 0), 1.0);
        assert_eq!(choose(2, 3), 0.0);
    }
}
