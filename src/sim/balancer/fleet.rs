//! The servers behind the balancer: how fast each one is, when the failing ones are down, and
//! the health checks that take a failing server out of rotation and bring it back.

use serde::Serialize;
use thiserror::Error;

use crate::sim::time::{MILLISECOND, Nanos, SECOND};

/// How a down server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Failure {
    /// Refuses at once: the request fails after [`FAST_FAIL`], and the server looks idle.
    Fast,
    /// Hangs: the request fails only when the client's timeout runs out, holding a connection.
    Timeout,
}

impl Failure {
    pub const ALL: [Failure; 2] = [Failure::Fast, Failure::Timeout];

    pub fn name(self) -> &'static str {
        match self {
            Failure::Fast => "fast",
            Failure::Timeout => "timeout",
        }
    }
}

/// How long a refused request takes to come back as an error.
pub const FAST_FAIL: Nanos = MILLISECOND;

/// Active health checks: every `interval`, each server is probed; `fall` failed probes in a row
/// take it out of rotation and `rise` passed ones put it back (HAProxy's `fall` and `rise`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Health {
    #[serde(rename = "interval_ns")]
    pub interval: Nanos,
    pub fall: u32,
    pub rise: u32,
}

impl Default for Health {
    fn default() -> Health {
        Health {
            interval: SECOND,
            fall: 2,
            rise: 2,
        }
    }
}

/// The fleet: `servers` servers, the first `failing` of them down for `outage` in every
/// `period`, the next `slow` of them `slowdown` times slower than the rest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fleet {
    pub servers: usize,
    pub slow: usize,
    pub slowdown: u32,
    pub failing: usize,
    pub failure: Failure,
    #[serde(rename = "timeout_ns")]
    pub timeout: Nanos,
    #[serde(rename = "outage_ns")]
    pub outage: Nanos,
    #[serde(rename = "period_ns")]
    pub period: Nanos,
    pub health: Health,
}

/// Why a fleet cannot be simulated.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FleetError {
    #[error("a fleet needs at least one server")]
    NoServers,
    #[error("{slow} slow and {failing} failing servers do not fit in a fleet of {servers}")]
    TooManyMarked {
        slow: usize,
        failing: usize,
        servers: usize,
    },
    #[error("a slow server must be at least 2 times slower, got {0}")]
    Slowdown(u32),
    #[error("an outage of {outage} must be shorter than its period of {period} (both in ns)")]
    Outage { outage: Nanos, period: Nanos },
    #[error("the health-check interval, fall, rise and timeout must all be above zero")]
    Health,
}

/// What a server is, for labels: failing servers also have normal speed while up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Normal,
    Slow,
    Failing,
}

impl Fleet {
    /// `servers` healthy servers of equal speed, with the default failure settings for later.
    pub fn healthy(servers: usize) -> Fleet {
        Fleet {
            servers,
            slow: 0,
            slowdown: 4,
            failing: 0,
            failure: Failure::Fast,
            timeout: SECOND,
            outage: 10 * SECOND,
            period: 30 * SECOND,
            health: Health::default(),
        }
    }

    pub fn check(&self) -> Result<(), FleetError> {
        if self.servers == 0 {
            return Err(FleetError::NoServers);
        }
        if self.slow.saturating_add(self.failing) > self.servers {
            return Err(FleetError::TooManyMarked {
                slow: self.slow,
                failing: self.failing,
                servers: self.servers,
            });
        }
        if self.slowdown < 2 {
            return Err(FleetError::Slowdown(self.slowdown));
        }
        if self.outage == 0 || self.outage >= self.period {
            return Err(FleetError::Outage {
                outage: self.outage,
                period: self.period,
            });
        }
        let h = &self.health;
        if h.interval == 0 || h.fall == 0 || h.rise == 0 || self.timeout == 0 {
            return Err(FleetError::Health);
        }
        Ok(())
    }

    pub fn kind(&self, server: usize) -> Kind {
        if server < self.failing {
            Kind::Failing
        } else if server < self.failing + self.slow {
            Kind::Slow
        } else {
            Kind::Normal
        }
    }

    /// How long `service` (at normal speed) takes on `server`.
    pub fn service_time(&self, server: usize, service: Nanos) -> Nanos {
        match self.kind(server) {
            Kind::Slow => service.saturating_mul(u64::from(self.slowdown)),
            _ => service,
        }
    }

    /// When the `index`-th failing server's first outage starts: five seconds in, staggered
    /// across the period so two failing servers are not down at the same moment.
    pub fn first_outage(&self, index: usize) -> Nanos {
        let stagger = self.period / self.failing.max(1) as u64;
        (5 * SECOND).min(self.period - self.outage) + stagger * index as u64
    }

    /// Whether `server` is down at `time`: failing servers are down for `outage` from their
    /// first outage and then once every `period`.
    pub fn is_down(&self, server: usize, time: Nanos) -> bool {
        if self.kind(server) != Kind::Failing {
            return false;
        }
        match time.checked_sub(self.first_outage(server)) {
            Some(since) => since % self.period < self.outage,
            None => false,
        }
    }

    /// The fleet's capacity in units of one normal server: a slow server counts 1/slowdown.
    pub fn capacity(&self) -> f64 {
        let normal = (self.servers - self.slow) as f64;
        normal + self.slow as f64 / f64::from(self.slowdown)
    }
}

/// A server's name as reports show it.
pub fn server_name(index: usize) -> String {
    format!("server-{index}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_servers_are_down_on_their_schedule() {
        let fleet = Fleet {
            failing: 2,
            slow: 1,
            ..Fleet::healthy(4)
        };
        assert_eq!(fleet.check(), Ok(()));
        assert_eq!(
            (0..4).map(|s| fleet.kind(s)).collect::<Vec<_>>(),
            [Kind::Failing, Kind::Failing, Kind::Slow, Kind::Normal]
        );
        // Server 0: down 5s..15s, 35s..45s; server 1 starts 15s later.
        assert!(!fleet.is_down(0, 4 * SECOND));
        assert!(fleet.is_down(0, 5 * SECOND));
        assert!(fleet.is_down(0, 15 * SECOND - 1));
        assert!(!fleet.is_down(0, 15 * SECOND));
        assert!(fleet.is_down(0, 35 * SECOND));
        assert!(!fleet.is_down(1, 10 * SECOND));
        assert!(fleet.is_down(1, 20 * SECOND));
        assert!(!fleet.is_down(2, 10 * SECOND) && !fleet.is_down(3, 10 * SECOND));
        assert_eq!(fleet.service_time(2, 10), 40);
        assert_eq!(fleet.service_time(3, 10), 10);
        assert_eq!(fleet.capacity(), 3.25);
    }

    #[test]
    fn impossible_fleets_are_refused() {
        assert_eq!(Fleet::healthy(0).check(), Err(FleetError::NoServers));
        let crowded = Fleet {
            slow: 2,
            failing: 2,
            ..Fleet::healthy(3)
        };
        assert!(matches!(
            crowded.check(),
            Err(FleetError::TooManyMarked { .. })
        ));
        let slowdown = Fleet {
            slowdown: 1,
            ..Fleet::healthy(3)
        };
        assert_eq!(slowdown.check(), Err(FleetError::Slowdown(1)));
        let outage = Fleet {
            outage: 30 * SECOND,
            ..Fleet::healthy(3)
        };
        assert!(matches!(outage.check(), Err(FleetError::Outage { .. })));
        let mut health = Fleet::healthy(3);
        health.health.fall = 0;
        assert_eq!(health.check(), Err(FleetError::Health));
    }
}
