//! Request arrival patterns to offer a limiter: the classic shapes, sized relative to the
//! limiter's quota so every pattern stresses it, plus a scripted list read from a text file.

use rand::{Rng, RngExt};
use serde::Serialize;
use thiserror::Error;

use crate::sim::limiter::Quota;
use crate::sim::time::{DurationError, Nanos, SECOND, format_duration, parse_duration};

/// A source of arrival times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "shape", rename_all = "kebab-case")]
pub enum Traffic {
    /// One request every `interval`, starting at zero.
    Steady {
        #[serde(rename = "interval_ns")]
        interval: Nanos,
    },
    /// `size` requests at the same instant, every `period`, starting at zero.
    Bursts {
        size: u32,
        #[serde(rename = "period_ns")]
        period: Nanos,
    },
    /// Memoryless arrivals averaging one per `mean_interval`: exponential gaps.
    Poisson {
        #[serde(rename = "mean_interval_ns")]
        mean_interval: Nanos,
    },
    /// The window-boundary attack: `limit` requests just before every other boundary of a
    /// `window`-aligned grid and `limit` just after, so a fixed window admits 2L within one
    /// window's length.
    Boundary {
        limit: u32,
        #[serde(rename = "window_ns")]
        window: Nanos,
    },
    /// Times read from a script.
    Script {
        #[serde(rename = "times_ns")]
        times: Vec<Nanos>,
    },
}

/// The named shapes, spelled as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pattern {
    Steady,
    Bursty,
    Poisson,
    Boundary,
}

impl Pattern {
    /// Every named shape.
    pub const ALL: [Pattern; 4] = [
        Pattern::Steady,
        Pattern::Bursty,
        Pattern::Poisson,
        Pattern::Boundary,
    ];

    /// The command-line spelling.
    pub fn name(self) -> &'static str {
        match self {
            Pattern::Steady => "steady",
            Pattern::Bursty => "bursty",
            Pattern::Poisson => "poisson",
            Pattern::Boundary => "boundary",
        }
    }

    /// The shape sized against `quota` (L per W): steady at twice the limit, bursts of 2L every
    /// 2W (the limit on average), Poisson at the limit, and the boundary attack on L and W.
    pub fn shaped_for(self, quota: Quota) -> Traffic {
        let (limit, window) = (quota.limit(), quota.window());
        match self {
            Pattern::Steady => Traffic::Steady {
                interval: (window / (2 * u64::from(limit))).max(1),
            },
            Pattern::Bursty => Traffic::Bursts {
                size: limit.saturating_mul(2),
                period: window.saturating_mul(2),
            },
            Pattern::Poisson => Traffic::Poisson {
                mean_interval: quota.interval(),
            },
            Pattern::Boundary => Traffic::Boundary { limit, window },
        }
    }
}

/// Why a traffic script could not be read; line numbers count from 1.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScriptError {
    #[error("line {line}: {source}")]
    BadTime {
        line: usize,
        #[source]
        source: DurationError,
    },
    #[error("line {line}: {time} comes before the previous time {previous}; list times in order")]
    OutOfOrder {
        line: usize,
        time: String,
        previous: String,
    },
    #[error("the script lists no times (write one per line, e.g. `250ms`; `#` starts a comment)")]
    Empty,
}

impl Traffic {
    /// Reads a script: one arrival time per line (`0`, `250ms`, `1.5s`), in order; blank lines
    /// and `#` comments are skipped.
    pub fn script(text: &str) -> Result<Traffic, ScriptError> {
        let mut times: Vec<Nanos> = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let content = line.split('#').next().unwrap_or("").trim();
            if content.is_empty() {
                continue;
            }
            let line = index + 1;
            let time =
                parse_duration(content).map_err(|source| ScriptError::BadTime { line, source })?;
            if let Some(&previous) = times.last().filter(|&&previous| previous > time) {
                return Err(ScriptError::OutOfOrder {
                    line,
                    time: format_duration(time),
                    previous: format_duration(previous),
                });
            }
            times.push(time);
        }
        match times.is_empty() {
            true => Err(ScriptError::Empty),
            false => Ok(Traffic::Script { times }),
        }
    }

    /// Arrival times before `duration`, in order; only Poisson draws from `rng`.
    pub fn arrivals<R: Rng + ?Sized>(&self, duration: Nanos, rng: &mut R) -> Vec<Nanos> {
        match self {
            Traffic::Steady { interval } => (0..duration).step_by(step(*interval)).collect(),
            Traffic::Bursts { size, period } => (0..duration)
                .step_by(step(*period))
                .flat_map(|start| std::iter::repeat_n(start, *size as usize))
                .collect(),
            Traffic::Poisson { mean_interval } => {
                let mean = *mean_interval as f64;
                std::iter::successors(Some(0u64), |&time| {
                    let gap = -(1.0 - rng.random::<f64>()).ln() * mean;
                    Some(time.saturating_add(gap.round() as Nanos))
                })
                .skip(1)
                .take_while(|&time| time < duration)
                .collect()
            }
            Traffic::Boundary { limit, window } => boundary_attack(*limit, *window, duration),
            Traffic::Script { times } => times.iter().copied().filter(|&t| t < duration).collect(),
        }
    }

    /// About how many requests [`Traffic::arrivals`] yields over `duration`, without making
    /// them: for refusing runs too large to hold in memory, and for the offered rate.
    pub fn expected_count(&self, duration: Nanos) -> u64 {
        let u = u64::from;
        match self {
            Traffic::Steady { interval } => duration.div_ceil(step(*interval) as u64),
            Traffic::Bursts { size, period } => {
                u(*size).saturating_mul(duration.div_ceil(step(*period) as u64))
            }
            Traffic::Poisson { mean_interval } => duration / (*mean_interval).max(1),
            Traffic::Boundary { limit, window } => {
                (2 * u(*limit)).saturating_mul(duration.div_ceil(window.saturating_mul(2)))
            }
            Traffic::Script { times } => times.iter().filter(|&&t| t < duration).count() as u64,
        }
    }

    /// The shape in a phrase, e.g. "bursts of 20 every 2s".
    pub fn describe(&self) -> String {
        let per_second = |interval: Nanos| SECOND as f64 / interval as f64;
        match self {
            Traffic::Steady { interval } => format!(
                "steady, 1 request every {} ({:.1}/s)",
                format_duration(*interval),
                per_second(*interval)
            ),
            Traffic::Bursts { size, period } => {
                format!("bursts of {size} every {}", format_duration(*period))
            }
            Traffic::Poisson { mean_interval } => format!(
                "Poisson, mean gap {} ({:.1}/s)",
                format_duration(*mean_interval),
                per_second(*mean_interval)
            ),
            Traffic::Boundary { limit, window } => format!(
                "boundary attack, {limit} just before and {limit} just after every other {} boundary",
                format_duration(*window)
            ),
            Traffic::Script { times } => format!("scripted, {} requests", times.len()),
        }
    }
}

/// A period as an iterator step; a zero period would never advance, so it counts as 1ns.
fn step(period: Nanos) -> usize {
    usize::try_from(period.max(1)).unwrap_or(usize::MAX)
}

/// `limit` requests ending just before each odd multiple of `window` and `limit` starting at
/// it, spaced a quarter window over 2L apart so each pair of batches spans under half a window.
fn boundary_attack(limit: u32, window: Nanos, duration: Nanos) -> Vec<Nanos> {
    let limit = u64::from(limit.max(1));
    let spacing = (window / (4 * limit)).max(1);
    let lead = limit * spacing;
    (0..)
        .map(|pair: u64| (2 * pair + 1) * window)
        .take_while(|&boundary| boundary - lead < duration)
        .flat_map(|boundary| (0..2 * limit).map(move |i| boundary - lead + i * spacing))
        .take_while(|&time| time < duration)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::time::MILLISECOND;
    use rand::SeedableRng;
    use rand_pcg::Pcg64;

    fn rng() -> Pcg64 {
        Pcg64::seed_from_u64(1)
    }

    #[test]
    fn steady_and_bursts() {
        let steady = Traffic::Steady { interval: 3 };
        assert_eq!(steady.arrivals(10, &mut rng()), [0, 3, 6, 9]);
        assert_eq!(steady.expected_count(10), 4);
        let degenerate = Traffic::Steady { interval: 0 };
        assert_eq!(degenerate.arrivals(3, &mut rng()), [0, 1, 2]);
        assert_eq!(degenerate.expected_count(3), 3);
        let bursts = Traffic::Bursts { size: 2, period: 5 };
        assert_eq!(bursts.arrivals(11, &mut rng()), [0, 0, 5, 5, 10, 10]);
        assert_eq!(bursts.expected_count(11), 6);
    }

    #[test]
    fn poisson_is_seeded_and_near_its_mean() {
        let poisson = Traffic::Poisson {
            mean_interval: MILLISECOND,
        };
        let first = poisson.arrivals(10 * SECOND, &mut rng());
        assert_eq!(first, poisson.arrivals(10 * SECOND, &mut rng()));
        assert!(first.is_sorted());
        assert!((9_700..10_300).contains(&first.len()), "{}", first.len());
        assert_eq!(poisson.expected_count(10 * SECOND), 10_000);
    }

    #[test]
    fn boundary_attack_straddles_every_other_boundary() {
        let quota = Quota::new(2, 100 * MILLISECOND).unwrap();
        let attack = Pattern::Boundary.shaped_for(quota);
        let ms = |n: u64| n * MILLISECOND;
        // Spacing 100ms / 8 = 12.5ms.
        let spacing = ms(25) / 2;
        let expected = [
            ms(100) - 2 * spacing,
            ms(100) - spacing,
            ms(100),
            ms(100) + spacing,
        ];
        assert_eq!(attack.arrivals(ms(200), &mut rng()), expected);
        assert_eq!(attack.arrivals(ms(400), &mut rng()).len(), 8);
        assert_eq!(attack.expected_count(ms(400)), 8);
    }

    #[test]
    fn shapes_are_sized_from_the_quota() {
        let quota = Quota::new(10, SECOND).unwrap();
        assert_eq!(
            Pattern::Steady.shaped_for(quota),
            Traffic::Steady {
                interval: 50 * MILLISECOND
            }
        );
        assert_eq!(
            Pattern::Bursty.shaped_for(quota).describe(),
            "bursts of 20 every 2s"
        );
        assert_eq!(
            Pattern::Poisson.shaped_for(quota),
            Traffic::Poisson {
                mean_interval: 100 * MILLISECOND
            }
        );
    }

    #[test]
    fn scripts_parse_with_comments_and_blank_lines() {
        let script = Traffic::script("# warm-up\n0\n\n250ms  # second\n1.5s\n1.5s\n").unwrap();
        assert_eq!(
            script,
            Traffic::Script {
                times: vec![
                    0,
                    250 * MILLISECOND,
                    1_500 * MILLISECOND,
                    1_500 * MILLISECOND
                ]
            }
        );
        assert_eq!(script.arrivals(SECOND, &mut rng()), [0, 250 * MILLISECOND]);
        assert_eq!(script.describe(), "scripted, 4 requests");
    }

    #[test]
    fn script_errors_name_the_line() {
        let bad = Traffic::script("0\n1s\nsoon\n").unwrap_err();
        assert!(matches!(bad, ScriptError::BadTime { line: 3, .. }));
        assert!(bad.to_string().starts_with("line 3: `soon`"), "{bad}");
        let unordered = Traffic::script("1s\n500ms\n").unwrap_err();
        assert_eq!(
            unordered.to_string(),
            "line 2: 500ms comes before the previous time 1s; list times in order"
        );
        assert_eq!(Traffic::script("# nothing\n\n"), Err(ScriptError::Empty));
    }
}
