//! The requests every balancer is offered: seeded arrival times, each request's service demand
//! and its key, drawn once so that every algorithm sees exactly the same work.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use serde::Serialize;

use crate::sim::hash_ring::hash_keys;
use crate::sim::time::Nanos;

/// One request: when it arrives, how long it takes on a server of normal speed, and the hash
/// of its key (for the hashing balancers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Request {
    pub at: Nanos,
    pub service: Nanos,
    pub key: u64,
}

/// How requests arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arrivals {
    /// Memoryless: exponential gaps, the usual model of many independent clients.
    Poisson,
    /// Evenly spaced, one request every mean gap.
    Steady,
}

impl Arrivals {
    pub const ALL: [Arrivals; 2] = [Arrivals::Poisson, Arrivals::Steady];

    pub fn name(self) -> &'static str {
        match self {
            Arrivals::Poisson => "poisson",
            Arrivals::Steady => "steady",
        }
    }
}

/// How long requests take, as a distribution with the chosen mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    /// Exponential: the M/M/1 model's service time.
    Exponential,
    /// Every request takes exactly the mean.
    Constant,
    /// Nine in ten requests are short and one in ten takes ten times as long, keeping the mean:
    /// the mix of quick reads and slow exports that round robin handles badly.
    Bimodal,
}

/// Bimodal: the long requests' share, and how many times longer they are than the short ones.
const LONG_SHARE: f64 = 0.1;
const LONG_FACTOR: f64 = 10.0;

impl Service {
    pub const ALL: [Service; 3] = [Service::Exponential, Service::Constant, Service::Bimodal];

    pub fn name(self) -> &'static str {
        match self {
            Service::Exponential => "exp",
            Service::Constant => "const",
            Service::Bimodal => "bimodal",
        }
    }

    /// The distribution in a word or two, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Service::Exponential => "exponential",
            Service::Constant => "constant",
            Service::Bimodal => "bimodal (10% take 10x longer)",
        }
    }

    /// A demand in units of the mean, from a uniform draw in [0, 1).
    fn demand(self, uniform: f64) -> f64 {
        match self {
            Service::Exponential => -(1.0 - uniform).ln(),
            Service::Constant => 1.0,
            Service::Bimodal => {
                let short = 1.0 / (1.0 - LONG_SHARE + LONG_SHARE * LONG_FACTOR);
                match uniform < LONG_SHARE {
                    true => LONG_FACTOR * short,
                    false => short,
                }
            }
        }
    }
}

/// Everything a generated workload is made from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shape {
    pub requests: usize,
    /// Offered load over the capacity of `servers` servers of normal speed (0.9 = 90%).
    pub utilisation: f64,
    pub servers: usize,
    #[serde(rename = "mean_service_ns")]
    pub mean_service: Nanos,
    pub arrivals: Arrivals,
    pub service: Service,
    /// Distinct keys requests are drawn from, uniformly.
    pub keys: u64,
    pub seed: u64,
}

impl Shape {
    /// The mean gap between arrivals: the mean service time over `utilisation * servers`.
    pub fn mean_gap(&self) -> f64 {
        self.mean_service as f64 / (self.utilisation * self.servers.max(1) as f64)
    }

    /// Requests offered per second.
    pub fn offered_per_second(&self) -> f64 {
        crate::sim::time::SECOND as f64 / self.mean_gap()
    }
}

/// The requests in arrival order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    requests: Vec<Request>,
}

impl Workload {
    /// Draws `shape.requests` requests; the same shape always gives the same requests.
    pub fn generate(shape: &Shape) -> Workload {
        let mut rng = Pcg64::seed_from_u64(shape.seed);
        let keys = hash_keys(usize::try_from(shape.keys.max(1)).unwrap_or(1), shape.seed);
        let gap = shape.mean_gap();
        let mean = shape.mean_service as f64;
        let mut clock = 0.0f64;
        let requests = (0..shape.requests)
            .map(|_| {
                clock += match shape.arrivals {
                    Arrivals::Poisson => -(1.0 - rng.random::<f64>()).ln() * gap,
                    Arrivals::Steady => gap,
                };
                let demand = shape.service.demand(rng.random::<f64>());
                let key = keys[uniform_index(rng.random::<u64>(), keys.len())];
                Request {
                    at: clock.round() as Nanos,
                    service: ((demand * mean).round() as Nanos).max(1),
                    key,
                }
            })
            .collect();
        Workload { requests }
    }

    /// Requests given one by one (sorted by arrival): for hand-worked cases.
    pub fn from_requests(mut requests: Vec<Request>) -> Workload {
        requests.sort_by_key(|r| r.at);
        Workload { requests }
    }

    pub fn requests(&self) -> &[Request] {
        &self.requests
    }

    /// When the last request arrives: the window over which utilisation is measured.
    pub fn span(&self) -> Nanos {
        self.requests.last().map_or(0, |r| r.at)
    }
}

/// Maps a uniform 64-bit draw onto `0..len` by multiplication (Lemire), so the mapping is
/// ours and not a library's, which may change between versions.
pub(super) fn uniform_index(draw: u64, len: usize) -> usize {
    ((u128::from(draw) * len as u128) >> 64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::time::MILLISECOND;

    fn shape(arrivals: Arrivals, service: Service) -> Shape {
        Shape {
            requests: 20_000,
            utilisation: 0.5,
            servers: 4,
            mean_service: 10 * MILLISECOND,
            arrivals,
            service,
            keys: 100,
            seed: 3,
        }
    }

    #[test]
    fn poisson_exponential_is_seeded_and_near_its_means() {
        let shape = shape(Arrivals::Poisson, Service::Exponential);
        let work = Workload::generate(&shape);
        assert_eq!(work, Workload::generate(&shape));
        let requests = work.requests();
        assert!(requests.is_sorted_by_key(|r| r.at));
        // 4 servers at 50%: 200 requests a second, a mean gap of 5ms.
        assert_eq!(shape.offered_per_second(), 200.0);
        let gap = work.span() as f64 / requests.len() as f64;
        assert!(
            (gap / (5.0 * MILLISECOND as f64) - 1.0).abs() < 0.03,
            "{gap}"
        );
        let service = requests.iter().map(|r| r.service as f64).sum::<f64>() / 20_000.0;
        assert!(
            (service / (10.0 * MILLISECOND as f64) - 1.0).abs() < 0.03,
            "{service}"
        );
        let mut keys: Vec<u64> = requests.iter().map(|r| r.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 100);
    }

    #[test]
    fn steady_constant_is_exact_and_bimodal_keeps_the_mean() {
        let steady = Workload::generate(&shape(Arrivals::Steady, Service::Constant));
        let times: Vec<Nanos> = steady.requests()[..3].iter().map(|r| r.at).collect();
        assert_eq!(times, [5 * MILLISECOND, 10 * MILLISECOND, 15 * MILLISECOND]);
        assert!(
            steady
                .requests()
                .iter()
                .all(|r| r.service == 10 * MILLISECOND)
        );
        let bimodal = Workload::generate(&shape(Arrivals::Poisson, Service::Bimodal));
        let long = bimodal
            .requests()
            .iter()
            .filter(|r| r.service > 10 * MILLISECOND)
            .count();
        assert!((1_800..2_200).contains(&long), "{long}");
        // Short ones take 1/1.9 of the mean, long ones 10/1.9.
        let short = Service::Bimodal.demand(0.5);
        assert!((short - 1.0 / 1.9).abs() < 1e-12);
        assert!((Service::Bimodal.demand(0.05) - 10.0 / 1.9).abs() < 1e-12);
    }

    #[test]
    fn indices_cover_the_range() {
        assert_eq!(uniform_index(0, 8), 0);
        assert_eq!(uniform_index(u64::MAX, 8), 7);
        assert_eq!(uniform_index(u64::MAX / 2, 2), 0);
        assert_eq!(uniform_index(u64::MAX / 2 + 1, 2), 1);
    }
}
