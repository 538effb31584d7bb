//! Request traces: Zipf-distributed popularity (seeded), Zipf traffic cut by one-time scans, a
//! loop over a fixed set, and a list of keys read from a file.

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand_distr::{Distribution, Zipf};
use rand_pcg::Pcg64;
use serde::Serialize;
use thiserror::Error;

use super::Key;

/// Longest key a trace file may hold, in bytes.
pub const MAX_KEY_BYTES: usize = 256;

/// The generated shapes, spelled as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// Independent requests over `keys` keys, the key of rank i drawn with weight 1/i^skew.
    Zipf,
    /// Zipf requests in blocks of `keys`, each followed by `keys` fresh keys read once in order:
    /// the one-time scan that flushes an LRU cache.
    Scan,
    /// 0, 1, ..., keys-1, over and over.
    Loop,
}

impl Shape {
    pub const ALL: [Shape; 3] = [Shape::Zipf, Shape::Scan, Shape::Loop];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Zipf => "zipf",
            Shape::Scan => "scan",
            Shape::Loop => "loop",
        }
    }

    /// Whether the skew changes this shape.
    pub fn skewed(self) -> bool {
        self != Shape::Loop
    }

    /// `length` requests of this shape over `keys` keys (at least one); the same seed gives
    /// the same trace.
    pub fn generate(
        self,
        keys: u64,
        skew: f64,
        length: usize,
        seed: u64,
    ) -> Result<Trace, TraceError> {
        let keys = keys.max(1);
        let requests = match self {
            Shape::Loop => (0..keys).cycle().take(length).collect(),
            Shape::Zipf => zipf(keys, skew, seed)?.take(length).collect(),
            Shape::Scan => {
                let mut popular = zipf(keys, skew, seed)?;
                let mut fresh = keys..;
                (0..length as u64)
                    .map(|i| match (i / keys) % 2 {
                        0 => popular.next().unwrap_or(0),
                        _ => fresh.next().unwrap_or(0),
                    })
                    .collect()
            }
        };
        Ok(Trace::new(requests))
    }

    /// The shape in a phrase, e.g. "Zipf over 1,000 keys, skew 0.9".
    pub fn describe(self, keys: u64, skew: f64) -> String {
        match self {
            Shape::Zipf => format!("Zipf over {keys} keys, skew {skew}"),
            Shape::Scan => {
                format!(
                    "Zipf over {keys} keys, skew {skew}, each {keys} followed by a scan of {keys} new keys"
                )
            }
            Shape::Loop => format!("loop over {keys} keys"),
        }
    }
}

/// Keys drawn from Zipf(keys, skew), rank 1 as key 0.
fn zipf(keys: u64, skew: f64, seed: u64) -> Result<impl Iterator<Item = Key>, TraceError> {
    let distribution = Zipf::new(keys as f64, skew).map_err(|_| TraceError::Skew(skew))?;
    let mut rng = Pcg64::seed_from_u64(seed);
    Ok(std::iter::repeat_with(move || {
        let rank: f64 = distribution.sample(&mut rng);
        (rank as Key).saturating_sub(1)
    }))
}

/// Why a trace could not be made or read; line numbers count from 1.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TraceError {
    #[error("skew {0} is not a number of zero or more")]
    Skew(f64),
    #[error("line {line}: a key of {bytes} bytes, over the {MAX_KEY_BYTES}-byte limit")]
    KeyTooLong { line: usize, bytes: usize },
    #[error("line {line}: a key may not hold control characters")]
    ControlCharacter { line: usize },
    #[error("more than {limit} requests; shorten the trace")]
    TooLong { limit: usize },
    #[error(
        "the trace lists no keys (write one key per line; lines starting with `#` are skipped)"
    )]
    Empty,
}

/// A sequence of requests, and how many distinct keys it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    pub requests: Vec<Key>,
    pub distinct: usize,
}

impl Trace {
    pub fn new(requests: Vec<Key>) -> Trace {
        let mut keys = requests.clone();
        keys.sort_unstable();
        keys.dedup();
        Trace {
            distinct: keys.len(),
            requests,
        }
    }

    /// Reads one key per line (surrounding spaces trimmed; blank lines and lines starting with
    /// `#` skipped), at most `limit` requests. Keys are numbered in order of first appearance.
    pub fn parse(text: &str, limit: usize) -> Result<Trace, TraceError> {
        let mut numbers: BTreeMap<&str, Key> = BTreeMap::new();
        let mut requests = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let key = line.trim();
            if key.is_empty() || key.starts_with('#') {
                continue;
            }
            let line = index + 1;
            if key.len() > MAX_KEY_BYTES {
                return Err(TraceError::KeyTooLong {
                    line,
                    bytes: key.len(),
                });
            }
            if key.chars().any(char::is_control) {
                return Err(TraceError::ControlCharacter { line });
            }
            if requests.len() == limit {
                return Err(TraceError::TooLong { limit });
            }
            let next = numbers.len() as Key;
            requests.push(*numbers.entry(key).or_insert(next));
        }
        match requests.is_empty() {
            true => Err(TraceError::Empty),
            false => Ok(Trace::new(requests)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_number_keys_in_order_of_first_use() {
        let trace = Trace::parse("# a comment\nb\n a \n\nb\nc\n", 10).unwrap();
        assert_eq!(trace.requests, [0, 1, 0, 2]);
        assert_eq!(trace.distinct, 3);
    }

    #[test]
    fn hostile_files_are_refused_with_the_line() {
        let long = "k".repeat(MAX_KEY_BYTES + 1);
        assert_eq!(
            Trace::parse(&format!("a\n{long}\n"), 10),
            Err(TraceError::KeyTooLong {
                line: 2,
                bytes: MAX_KEY_BYTES + 1
            })
        );
        assert_eq!(
            Trace::parse("a\nb\u{1b}[2J\n", 10),
            Err(TraceError::ControlCharacter { line: 2 })
        );
        assert_eq!(
            Trace::parse("a\nb\nc\n", 2),
            Err(TraceError::TooLong { limit: 2 })
        );
        assert_eq!(Trace::parse("\n# only\n", 2), Err(TraceError::Empty));
    }

    #[test]
    fn shapes_are_seeded_and_bounded() {
        let a = Shape::Zipf.generate(50, 1.0, 1000, 7).unwrap();
        assert_eq!(a, Shape::Zipf.generate(50, 1.0, 1000, 7).unwrap());
        assert_ne!(a, Shape::Zipf.generate(50, 1.0, 1000, 8).unwrap());
        assert!(a.requests.iter().all(|&k| k < 50));
        let scan = Shape::Scan.generate(4, 1.0, 16, 1).unwrap();
        assert!(scan.requests[..4].iter().all(|&k| k < 4));
        assert_eq!(scan.requests[4..8], [4, 5, 6, 7]);
        assert_eq!(scan.requests[12..16], [8, 9, 10, 11]);
        let looped = Shape::Loop.generate(3, 0.0, 7, 0).unwrap();
        assert_eq!(looped.requests, [0, 1, 2, 0, 1, 2, 0]);
        assert!(Shape::Zipf.generate(5, -1.0, 3, 0).is_err());
        assert!(Shape::Zipf.generate(5, f64::NAN, 3, 0).is_err());
    }
}
