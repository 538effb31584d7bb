//! Load balancing: one seeded stream of requests offered to a fleet of servers, each with its
//! own first-come-first-served queue, by several algorithms side by side. Servers can be slow or
//! fail; health checks take failing ones out and bring them back. Each algorithm runs on its own
//! copy of the fleet, so their latencies compare request for request.

mod expect;
mod fleet;
mod lane;
mod pick;
mod stats;
mod workload;

pub use expect::{
    mm1_mean_response, mm1_more_than, two_choices_at_least, two_choices_mean_response,
};
pub use fleet::{FAST_FAIL, Failure, Fleet, FleetError, Health, Kind, server_name};
pub use lane::{Lane, Server};
pub use pick::{Hashing, Picker};
pub use stats::{LEVELS, Latency, ServerStats, at_least, nearest_rank};
pub use workload::{Arrivals, Request, Service, Shape, Workload};

use std::rc::Rc;

use serde::Serialize;
use thiserror::Error;

use crate::sim::time::Nanos;

/// The balancing algorithms, spelled as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Algo {
    Random,
    RoundRobin,
    LeastConnections,
    TwoChoices,
    Hash,
    Bounded,
}

impl Algo {
    /// Every algorithm, the baseline first.
    pub const ALL: [Algo; 6] = [
        Algo::Random,
        Algo::RoundRobin,
        Algo::LeastConnections,
        Algo::TwoChoices,
        Algo::Hash,
        Algo::Bounded,
    ];

    /// The command-line spelling.
    pub fn name(self) -> &'static str {
        match self {
            Algo::Random => "random",
            Algo::RoundRobin => "round-robin",
            Algo::LeastConnections => "least-connections",
            Algo::TwoChoices => "two-choices",
            Algo::Hash => "hash",
            Algo::Bounded => "bounded",
        }
    }

    /// The short name tables show.
    pub fn label(self) -> &'static str {
        match self {
            Algo::Random => "random",
            Algo::RoundRobin => "round robin",
            Algo::LeastConnections => "least conn",
            Algo::TwoChoices => "two choices",
            Algo::Hash => "hash ring",
            Algo::Bounded => "bounded",
        }
    }

    /// What the algorithm does, in a phrase.
    pub fn title(self) -> &'static str {
        match self {
            Algo::Random => "a server drawn at random",
            Algo::RoundRobin => "each server in turn",
            Algo::LeastConnections => "the server with the fewest outstanding requests",
            Algo::TwoChoices => "the less busy of two servers drawn at random",
            Algo::Hash => "the key's server on a consistent-hash ring",
            Algo::Bounded => "the key's ring server unless it holds (1+e) times its share",
        }
    }

    /// Whether the algorithm reads the request's key.
    pub fn uses_keys(self) -> bool {
        matches!(self, Algo::Hash | Algo::Bounded)
    }
}

/// Everything a run is made from besides the algorithms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    pub shape: Shape,
    pub fleet: Fleet,
    pub hashing: Hashing,
}

/// Why a run could not be set up.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConfigError {
    #[error(transparent)]
    Fleet(#[from] FleetError),
    #[error("the workload's {workload} servers differ from the fleet's {fleet}")]
    Servers { workload: usize, fleet: usize },
    #[error("utilisation must be a number above 0, got {0}")]
    Utilisation(f64),
    #[error("the mean service time must be above zero")]
    MeanService,
    #[error("epsilon must be between 0.000001 and 1000000, got {0}")]
    Epsilon(f64),
    #[error("a ring needs at least one virtual node per server")]
    Vnodes,
}

impl Config {
    pub fn check(&self) -> Result<(), ConfigError> {
        self.fleet.check()?;
        if self.shape.servers != self.fleet.servers {
            return Err(ConfigError::Servers {
                workload: self.shape.servers,
                fleet: self.fleet.servers,
            });
        }
        let rho = self.shape.utilisation;
        if !(rho.is_finite() && rho > 0.0) {
            return Err(ConfigError::Utilisation(rho));
        }
        if self.shape.mean_service == 0 {
            return Err(ConfigError::MeanService);
        }
        let epsilon = self.hashing.epsilon;
        if !(epsilon.is_finite() && (1e-6..=1e6).contains(&epsilon)) {
            return Err(ConfigError::Epsilon(epsilon));
        }
        if self.hashing.vnodes == 0 {
            return Err(ConfigError::Vnodes);
        }
        Ok(())
    }

    /// Whether the queueing models apply: identical healthy servers, Poisson arrivals and
    /// exponential service.
    pub fn textbook(&self) -> bool {
        self.fleet.slow == 0
            && self.fleet.failing == 0
            && self.shape.arrivals == Arrivals::Poisson
            && self.shape.service == Service::Exponential
    }
}

/// Every chosen algorithm on the same workload, each in its own lane.
pub struct Run {
    pub config: Config,
    pub workload: Rc<Workload>,
    pub lanes: Vec<Lane>,
}

impl Run {
    /// Checks `config`, draws the workload, and sets up one lane per algorithm at time zero.
    pub fn new(config: Config, algos: &[Algo]) -> Result<Run, ConfigError> {
        config.check()?;
        let workload = Rc::new(Workload::generate(&config.shape));
        Ok(Run::with_workload(config, workload, algos))
    }

    /// Lanes over a given workload (hand-made cases); `config.shape` is then only a label.
    pub fn with_workload(config: Config, workload: Rc<Workload>, algos: &[Algo]) -> Run {
        let fleet = Rc::new(config.fleet.clone());
        let lanes = algos
            .iter()
            .map(|&algo| {
                let picker = Picker::new(algo, config.hashing, config.shape.seed);
                Lane::new(picker, fleet.clone(), workload.clone())
            })
            .collect();
        Run {
            config,
            workload,
            lanes,
        }
    }

    /// Runs every lane until its last request has finished or failed.
    pub fn run_to_end(&mut self) {
        for lane in &mut self.lanes {
            lane.run_to_end();
            lane.settle();
        }
    }

    /// Advances every lane to `time`.
    pub fn advance_to(&mut self, time: Nanos) {
        for lane in &mut self.lanes {
            lane.advance_to(time);
        }
    }

    pub fn finished(&self) -> bool {
        self.lanes.iter().all(Lane::finished)
    }
}
