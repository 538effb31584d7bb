//! Timelines: seeded random ones (operations with occasional faults) and scripts, one step a
//! line (`write a`, `read b`, `crash replica-2`, `recover replica-2`, `wipe spare-1`,
//! `partition`, `heal`).

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use thiserror::Error;

use super::{Client, Config, NodeRef, Step};

/// Longest script line read, in bytes.
const MAX_LINE_BYTES: usize = 200;

/// `steps` steps: each a fault with probability `faults` (a crash, a recovery, a partition or
/// its healing), otherwise a write with probability `write_share` or a read, by client A or B
/// alike. Faults only crash nodes that are up and recover nodes that are down.
pub fn generate(
    config: &Config,
    steps: usize,
    write_share: f64,
    faults: f64,
    seed: u64,
) -> Vec<Step> {
    let mut rng = Pcg64::seed_from_u64(seed);
    let mut down = vec![false; config.nodes()];
    let mut partitioned = false;
    let mut out = Vec::with_capacity(steps);
    for _ in 0..steps {
        if rng.random_bool(faults.clamp(0.0, 1.0)) {
            let node = rng.random_range(0..config.nodes());
            let step = match rng.random_range(0..3) {
                0 if partitioned => Step::Heal,
                0 => Step::Partition,
                _ if down[node] => Step::Recover(config.node(node)),
                _ => Step::Crash(config.node(node)),
            };
            match step {
                Step::Partition | Step::Heal => partitioned = !partitioned,
                _ => down[node] = !down[node],
            }
            out.push(step);
            continue;
        }
        let client = match rng.random_bool(0.5) {
            true => Client::A,
            false => Client::B,
        };
        out.push(match rng.random_bool(write_share.clamp(0.0, 1.0)) {
            true => Step::Write(client),
            false => Step::Read(client),
        });
    }
    out
}

/// Why a script could not be read; lines count from 1.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScriptError {
    #[error("line {line}: over {MAX_LINE_BYTES} bytes")]
    LineTooLong { line: usize },
    #[error("line {line}: a step may not hold control characters")]
    ControlCharacter { line: usize },
    #[error(
        "line {line}: `{text}` is not a step (write a|b, read a|b, crash|recover|wipe NODE, \
         partition, heal)"
    )]
    Unknown { line: usize, text: String },
    #[error(
        "line {line}: no node `{name}` (replica-1..replica-{replicas}, spare-1..spare-{spares})"
    )]
    NoNode {
        line: usize,
        name: String,
        replicas: usize,
        spares: usize,
    },
    #[error("more than {limit} steps; shorten the script")]
    TooLong { limit: usize },
    #[error("the script lists no steps (one a line; lines starting with `#` are skipped)")]
    Empty,
}

/// A parsed script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub steps: Vec<Step>,
}

impl Script {
    /// Reads one step per line (blank lines and `#` comments skipped), at most `limit` steps;
    /// nodes must exist in `config`.
    pub fn parse(text: &str, config: &Config, limit: usize) -> Result<Script, ScriptError> {
        let mut steps = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            if raw.len() > MAX_LINE_BYTES {
                return Err(ScriptError::LineTooLong { line });
            }
            if raw.chars().any(|c| c.is_control() && c != '\t') {
                return Err(ScriptError::ControlCharacter { line });
            }
            let text = raw.trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            if steps.len() == limit {
                return Err(ScriptError::TooLong { limit });
            }
            steps.push(parse_step(text, line, config)?);
        }
        match steps.is_empty() {
            true => Err(ScriptError::Empty),
            false => Ok(Script { steps }),
        }
    }
}

fn parse_step(text: &str, line: usize, config: &Config) -> Result<Step, ScriptError> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let unknown = || ScriptError::Unknown {
        line,
        text: text.to_string(),
    };
    let client = |word: &str| match word.to_ascii_lowercase().as_str() {
        "a" => Ok(Client::A),
        "b" => Ok(Client::B),
        _ => Err(unknown()),
    };
    let node = |name: &str| {
        let missing = || ScriptError::NoNode {
            line,
            name: name.to_string(),
            replicas: config.replicas,
            spares: config.spares,
        };
        let number = |rest: &str| rest.parse::<usize>().ok().filter(|&n| n >= 1);
        let node = if let Some(rest) = name.strip_prefix("replica-") {
            NodeRef::Replica(number(rest).ok_or_else(missing)? - 1)
        } else if let Some(rest) = name.strip_prefix("spare-") {
            NodeRef::Spare(number(rest).ok_or_else(missing)? - 1)
        } else {
            return Err(missing());
        };
        config.index(node).map(|_| node).ok_or_else(missing)
    };
    match words.as_slice() {
        ["write", who] => Ok(Step::Write(client(who)?)),
        ["read", who] => Ok(Step::Read(client(who)?)),
        ["crash", name] => Ok(Step::Crash(node(name)?)),
        ["recover", name] => Ok(Step::Recover(node(name)?)),
        ["wipe", name] => Ok(Step::Wipe(node(name)?)),
        ["partition"] => Ok(Step::Partition),
        ["heal"] => Ok(Step::Heal),
        _ => Err(unknown()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::new(3, 2, 2).unwrap()
    }

    #[test]
    fn scripts_read_every_step_and_round_trip() {
        let text = "# demo\nwrite a\n read B \n\ncrash replica-2\nrecover replica-2\nwipe spare-1\npartition\nheal\n";
        let script = Script::parse(text, &config(), 100).unwrap();
        assert_eq!(script.steps.len(), 7);
        let again: String = script.steps.iter().map(|s| s.script() + "\n").collect();
        assert_eq!(Script::parse(&again, &config(), 100).unwrap(), script);
    }

    #[test]
    fn hostile_scripts_are_refused_with_the_line() {
        let parse = |text: &str| Script::parse(text, &config(), 2);
        assert_eq!(
            parse("write a\ncrash replica-4\n"),
            Err(ScriptError::NoNode {
                line: 2,
                name: "replica-4".into(),
                replicas: 3,
                spares: 2
            })
        );
        assert!(matches!(
            parse("crash replica-0"),
            Err(ScriptError::NoNode { .. })
        ));
        assert!(matches!(
            parse("crash replica-99999999999999999999999"),
            Err(ScriptError::NoNode { .. })
        ));
        assert_eq!(
            parse("read a\nwrite \u{1b}[2J\n"),
            Err(ScriptError::ControlCharacter { line: 2 })
        );
        assert_eq!(
            parse(&"x".repeat(MAX_LINE_BYTES + 1)),
            Err(ScriptError::LineTooLong { line: 1 })
        );
        assert!(matches!(
            parse("delete a"),
            Err(ScriptError::Unknown { line: 1, .. })
        ));
        assert_eq!(
            parse("heal\nheal\nheal\n"),
            Err(ScriptError::TooLong { limit: 2 })
        );
        assert_eq!(parse("# nothing\n\n"), Err(ScriptError::Empty));
    }

    #[test]
    fn generated_timelines_are_seeded() {
        let a = generate(&config(), 500, 0.5, 0.1, 7);
        assert_eq!(a, generate(&config(), 500, 0.5, 0.1, 7));
        assert_ne!(a, generate(&config(), 500, 0.5, 0.1, 8));
        let faults = a
            .iter()
            .filter(|s| !matches!(s, Step::Write(_) | Step::Read(_)))
            .count();
        assert!((20..=80).contains(&faults), "{faults} faults in 500 steps");
        assert!(
            generate(&config(), 100, 1.0, 0.0, 1)
                .iter()
                .all(|s| matches!(s, Step::Write(_)))
        );
    }
}
