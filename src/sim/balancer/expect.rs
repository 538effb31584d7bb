//! What queueing theory expects of the two randomised balancers on a fleet of identical
//! servers with Poisson arrivals and exponential service times.

/// Random assignment splits a Poisson stream of rate lambda into N independent Poisson streams
/// of rate lambda/N, so each server is an M/M/1 queue at utilisation rho: its mean time in
/// system is 1/(mu - lambda/N), the mean service time over 1 - rho (Harchol-Balter,
/// "Performance Modeling and Design of Computer Systems", 2013, ch. 13).
pub fn mm1_mean_response(mean_service: f64, rho: f64) -> Option<f64> {
    (rho < 1.0).then(|| mean_service / (1.0 - rho))
}

/// In an M/M/1 queue the number in system is geometric: P(more than k) = rho^(k+1).
pub fn mm1_more_than(rho: f64, k: u32) -> f64 {
    rho.powi(k as i32 + 1)
}

/// The supermarket model (Mitzenmacher, "The Power of Two Choices in Randomized Load
/// Balancing", IEEE TPDS 12(10), 2001): as the number of servers grows, the share of servers
/// with at least i requests tends to lambda^((d^i - 1)/(d - 1)), which for d = 2 choices is
/// rho^(2^i - 1), falling doubly exponentially instead of geometrically.
pub fn two_choices_at_least(rho: f64, i: u32) -> f64 {
    rho.powf(2f64.powi(i as i32) - 1.0)
}

/// The same model's mean time in system, in units of the mean service time: by Little's law
/// the mean queue length sum_{i>=1} rho^(2^i - 1) over the arrival rate rho, that is
/// sum_{i>=1} rho^(2^i - 2).
pub fn two_choices_mean_response(mean_service: f64, rho: f64) -> Option<f64> {
    if rho >= 1.0 {
        return None;
    }
    let terms = (1..64).map(|i| rho.powf(2f64.powi(i) - 2.0));
    Some(mean_service * terms.take_while(|&t| t > 1e-15).sum::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_values() {
        // M/M/1 at rho = 0.5 doubles the service time; at 0.9 it is ten times.
        assert_eq!(mm1_mean_response(10.0, 0.5), Some(20.0));
        assert!((mm1_mean_response(10.0, 0.9).unwrap() - 100.0).abs() < 1e-9);
        assert_eq!(mm1_mean_response(10.0, 1.0), None);
        assert!((mm1_more_than(0.9, 2) - 0.729).abs() < 1e-12);
        // Two choices at 0.9: 0.9, 0.9^3 = 0.729, 0.9^7 = 0.4783 of servers hold 1, 2, 3+.
        assert!((two_choices_at_least(0.9, 1) - 0.9).abs() < 1e-12);
        assert!((two_choices_at_least(0.9, 2) - 0.729).abs() < 1e-12);
        assert!((two_choices_at_least(0.9, 3) - 0.478_296_9).abs() < 1e-7);
        // 1 + 0.9^2 + 0.9^6 + 0.9^14 + 0.9^30 + ... = 2.6141 service times.
        let two = two_choices_mean_response(1.0, 0.9).unwrap();
        assert!((two - 2.6141).abs() < 1e-4, "{two}");
    }
}
