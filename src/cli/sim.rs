//! `sysdeck sim`: the simulations headless, for scripts and for checking the labs' numbers.

use std::path::PathBuf;

use crate::sim::time::{MICROSECOND, MILLISECOND, Nanos, SECOND, parse_duration};
use crate::sim::traffic::Pattern;
use crate::sim::{balancer, cache, hash_ring, limiter, quorum};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
#[command(after_help = "JSON output gives times in nanoseconds.")]
pub struct SimArgs {
    #[command(subcommand)]
    pub command: SimCommand,
}

#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Place keys on nodes with a consistent-hashing scheme; measure balance and movement
    Ring(RingArgs),
    /// Offer traffic to a rate limiter; measure what gets through
    Limiter(LimiterArgs),
    /// Replay a request trace through cache eviction policies; measure their hit ratios
    Cache(CacheArgs),
    /// Replicate a register with read and write quorums; count stale reads and lost writes
    Quorum(QuorumArgs),
    /// Offer one stream of requests to a fleet through load-balancing algorithms; measure latency
    Balancer(BalancerArgs),
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Ring")]
pub struct RingArgs {
    /// Placement scheme
    #[arg(long, default_value = "ring", value_parser = choice(&hash_ring::Algo::ALL, hash_ring::Algo::name))]
    pub algo: hash_ring::Algo,

    /// Number of nodes, named node-0, node-1, ...
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub nodes: u32,

    /// Virtual nodes per node (ring and bounded only) [default: 100]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub vnodes: Option<u32>,

    /// Number of keys to place, named key-0, key-1, ...
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub keys: u64,

    /// Then add this many nodes and measure how many keys move
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub add: Option<u32>,

    /// Then remove the named node (e.g. node-3) and measure how many keys move
    #[arg(long, value_name = "NAME", conflicts_with = "add")]
    pub remove: Option<String>,

    /// Allowed overload above the mean for bounded loads (0.25 = 25%) [default: 0.25]
    #[arg(long, value_name = "E", allow_negative_numbers = true, value_parser = positive_number)]
    pub epsilon: Option<f64>,

    /// Seed of every hash
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Print JSON instead of a report
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Limiter")]
pub struct LimiterArgs {
    /// Rate-limiting algorithm
    #[arg(long, default_value = "token-bucket", value_parser = choice(&limiter::Algo::ALL, limiter::Algo::name))]
    pub algo: limiter::Algo,

    /// Requests allowed per window; also a bucket's capacity [default: 10]
    #[arg(long, value_name = "L", conflicts_with_all = ["rate", "burst"], value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub limit: Option<u32>,

    /// Window length, e.g. 1s, 500ms, 2m [default: 1s]
    #[arg(long, value_name = "W", conflicts_with_all = ["rate", "burst"], value_parser = positive_duration)]
    pub window: Option<Nanos>,

    /// Sustained rate in requests per second (with --burst, instead of --limit/--window)
    #[arg(long, value_name = "R", requires = "burst", allow_negative_numbers = true, value_parser = positive_number)]
    pub rate: Option<f64>,

    /// Largest burst: a bucket's capacity; counters allow this many per burst/rate window
    #[arg(long, value_name = "B", requires = "rate", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub burst: Option<u32>,

    /// Arrival pattern (steady, bursty, poisson, boundary) or a file with one time per line
    #[arg(long, value_name = "PATTERN|FILE", default_value = "bursty", value_parser = traffic_source)]
    pub traffic: TrafficSource,

    /// How long to simulate, e.g. 10s, 2m
    #[arg(long, value_name = "D", default_value = "10s", value_parser = positive_duration)]
    pub duration: Nanos,

    /// Seed of the Poisson arrivals
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Print JSON instead of a report
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Cache")]
pub struct CacheArgs {
    /// Policies to compare, comma-separated [default: all]
    #[arg(long, value_delimiter = ',', value_parser = choice(&cache::Policy::ALL, cache::Policy::name))]
    pub policies: Vec<cache::Policy>,

    /// Trace shape (zipf, scan, loop) or a file with one key per line
    #[arg(long, value_name = "SHAPE|FILE", default_value = "zipf", value_parser = trace_source)]
    pub trace: TraceSource,

    /// Keys the cache holds
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub capacity: u64,

    /// Distinct keys of a generated trace (a scan adds fresh ones)
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub keys: u64,

    /// Requests in a generated trace
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=2_000_000))]
    pub length: u64,

    /// Zipf skew: the key of rank i is requested with weight 1/i^skew (0 is uniform)
    #[arg(long, default_value_t = 0.9, allow_negative_numbers = true, value_parser = skew)]
    pub skew: f64,

    /// Seed of the Zipf draws
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Windows the hit ratio over time is reported in
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub windows: u64,

    /// Print JSON instead of a report
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Quorum")]
pub struct QuorumArgs {
    /// N: replicas of the register
    #[arg(short = 'N', long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=quorum::MAX_REPLICAS as u64))]
    pub replicas: u64,

    /// R: replies a read waits for (at most N)
    #[arg(short = 'R', long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=quorum::MAX_REPLICAS as u64))]
    pub read_quorum: u64,

    /// W: acknowledgements a write waits for (at most N)
    #[arg(short = 'W', long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=quorum::MAX_REPLICAS as u64))]
    pub write_quorum: u64,

    /// Spare nodes after the replicas, which a sloppy quorum writes to
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(0..=quorum::MAX_SPARES as u64))]
    pub spares: u64,

    /// Sloppy quorum with hinted handoff: spares stand in for unreachable replicas
    #[arg(long)]
    pub sloppy: bool,

    /// Read repair: a read sends the newest version it saw to replicas that answered older
    #[arg(long)]
    pub read_repair: bool,

    /// Steps before a write reaches the replicas outside its W, or `never`
    #[arg(long, value_name = "STEPS|never", default_value = "2", value_parser = lag)]
    pub lag: Lag,

    /// Steps of a generated timeline
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub steps: u64,

    /// Share of a generated timeline's operations that are writes
    #[arg(long, default_value_t = 0.5, value_parser = share)]
    pub write_share: f64,

    /// Chance that a generated step is a fault (crash, recovery, partition, heal)
    #[arg(long, default_value_t = 0.0, value_parser = share)]
    pub faults: f64,

    /// A timeline file instead, one step a line: write a|b, read a|b, crash|recover|wipe NODE,
    /// partition, heal
    #[arg(long, value_name = "FILE", conflicts_with_all = ["steps", "write_share", "faults"])]
    pub script: Option<PathBuf>,

    /// Write-then-read trials measuring how often a read misses a write held by exactly W
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    pub trials: u64,

    /// Seed of the timeline and of which replicas answer first
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Print JSON instead of a report
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Balancer")]
pub struct BalancerArgs {
    /// Algorithms to compare, comma-separated [default: all]
    #[arg(long, value_delimiter = ',', value_parser = choice(&balancer::Algo::ALL, balancer::Algo::name))]
    pub algos: Vec<balancer::Algo>,

    /// Servers behind the balancer, named server-0, server-1, ...
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub servers: u32,

    /// Offered load over what that many normal-speed servers can serve (0.9 = 90%)
    #[arg(long, default_value_t = 0.9, alias = "utilization", allow_negative_numbers = true, value_parser = utilisation)]
    pub utilisation: f64,

    /// Requests to simulate
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=2_000_000))]
    pub requests: u64,

    /// Arrival process
    #[arg(long, default_value = "poisson", value_parser = choice(&balancer::Arrivals::ALL, balancer::Arrivals::name))]
    pub arrivals: balancer::Arrivals,

    /// Service-time distribution: exponential, constant, or 10% of requests 10x longer
    #[arg(long, default_value = "exp", value_parser = choice(&balancer::Service::ALL, balancer::Service::name))]
    pub service: balancer::Service,

    /// Mean service time on a normal server, from 1us to 10s
    #[arg(long, value_name = "D", default_value = "10ms", value_parser = mean_service)]
    pub mean_service: Nanos,

    /// Slow servers (those after the failing ones)
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=1000))]
    pub slow: u32,

    /// How many times slower a slow server is
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(2..=100))]
    pub slowdown: u32,

    /// Failing servers (server-0, server-1, ...): down for --outage in every --period
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=1000))]
    pub failing: u32,

    /// How a down server answers: refuses at once, or hangs until the client's --timeout
    #[arg(long, default_value = "fast", value_parser = choice(&balancer::Failure::ALL, balancer::Failure::name))]
    pub failure: balancer::Failure,

    /// How long a client waits on a hanging server before giving up
    #[arg(long, value_name = "D", default_value = "1s", value_parser = positive_duration)]
    pub timeout: Nanos,

    /// How long each outage of a failing server lasts
    #[arg(long, value_name = "D", default_value = "10s", value_parser = positive_duration)]
    pub outage: Nanos,

    /// A failing server goes down once every this long
    #[arg(long, value_name = "D", default_value = "30s", value_parser = positive_duration)]
    pub period: Nanos,

    /// Time between health checks, from 1ms
    #[arg(long, value_name = "D", default_value = "1s", value_parser = check_interval)]
    pub check_interval: Nanos,

    /// Failed health checks in a row that take a server out of rotation
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub fall: u32,

    /// Passed health checks in a row that bring it back
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub rise: u32,

    /// Distinct request keys, which the hash and bounded algorithms route by
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub keys: u64,

    /// Virtual nodes per server on the hash ring
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub vnodes: u32,

    /// Bounded loads: a server may hold (1+E) times its share of the outstanding requests
    #[arg(long, value_name = "E", default_value_t = 0.25, allow_negative_numbers = true, value_parser = positive_number)]
    pub epsilon: f64,

    /// Seed of the arrivals, service times, keys and random choices
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Print JSON instead of a report
    #[arg(long)]
    pub json: bool,
}

/// Steps before a write's remaining copies arrive, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lag(pub Option<u32>);

fn lag(text: &str) -> Result<Lag, String> {
    if text == "never" {
        return Ok(Lag(None));
    }
    match text.parse::<u32>() {
        Ok(steps) if steps <= 1000 => Ok(Lag(Some(steps))),
        _ => Err("must be a number of steps from 0 to 1000, or `never`".to_string()),
    }
}

fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() && (0.0..=1.0).contains(&value) => Ok(value),
        Ok(_) => Err("must be a number from 0 to 1".to_string()),
        Err(error) => Err(format!("not a number: {error}")),
    }
}

fn utilisation(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() && (0.01..=1.5).contains(&value) => Ok(value),
        Ok(_) => Err("must be a number from 0.01 to 1.5".to_string()),
        Err(error) => Err(format!("not a number: {error}")),
    }
}

fn mean_service(text: &str) -> Result<Nanos, String> {
    match parse_duration(text) {
        Ok(nanos) if (MICROSECOND..=10 * SECOND).contains(&nanos) => Ok(nanos),
        Ok(_) => Err("must be from 1us to 10s".to_string()),
        Err(error) => Err(error.to_string()),
    }
}

fn check_interval(text: &str) -> Result<Nanos, String> {
    match parse_duration(text) {
        Ok(nanos) if nanos >= MILLISECOND => Ok(nanos),
        Ok(_) => Err("must be 1ms or longer".to_string()),
        Err(error) => Err(error.to_string()),
    }
}

/// A generated trace shape or a file of keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceSource {
    Shape(cache::Shape),
    File(PathBuf),
}

fn trace_source(text: &str) -> Result<TraceSource, String> {
    if text.is_empty() {
        return Err("name a shape (zipf, scan, loop) or a file".to_string());
    }
    Ok(cache::Shape::ALL
        .into_iter()
        .find(|shape| shape.name() == text)
        .map_or_else(|| TraceSource::File(text.into()), TraceSource::Shape))
}

fn skew(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() && (0.0..=10.0).contains(&value) => Ok(value),
        Ok(_) => Err("must be a number from 0 to 10".to_string()),
        Err(error) => Err(format!("not a number: {error}")),
    }
}

/// A named traffic shape or a script file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrafficSource {
    Pattern(Pattern),
    File(PathBuf),
}

/// Parses one of the core's named values, listing them in help and errors.
fn choice<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    name: fn(T) -> &'static str,
) -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(all.iter().map(|&value| name(value))).map(move |chosen| {
        *all.iter()
            .find(|&&value| name(value) == chosen)
            .expect("clap only passes listed names")
    })
}

fn positive_duration(text: &str) -> Result<Nanos, String> {
    match parse_duration(text) {
        Ok(0) => Err("must be longer than zero".to_string()),
        Ok(nanos) => Ok(nanos),
        Err(error) => Err(error.to_string()),
    }
}

fn positive_number(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() && value > 0.0 => Ok(value),
        Ok(_) => Err("must be a number above zero".to_string()),
        Err(error) => Err(format!("not a number: {error}")),
    }
}

fn traffic_source(text: &str) -> Result<TrafficSource, String> {
    if text.is_empty() {
        return Err("name a pattern (steady, bursty, poisson, boundary) or a file".to_string());
    }
    Ok(Pattern::ALL
        .into_iter()
        .find(|pattern| pattern.name() == text)
        .map_or_else(|| TrafficSource::File(text.into()), TrafficSource::Pattern))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Harness {
        #[command(flatten)]
        sim: SimArgs,
    }

    fn parse(args: &[&str]) -> Result<SimCommand, clap::Error> {
        let argv = std::iter::once("sim").chain(args.iter().copied());
        Harness::try_parse_from(argv).map(|harness| harness.sim.command)
    }

    #[test]
    fn defaults_make_a_runnable_command() {
        let Ok(SimCommand::Ring(ring)) = parse(&["ring"]) else {
            panic!("ring parses")
        };
        assert_eq!(
            (ring.algo, ring.nodes, ring.keys),
            (hash_ring::Algo::Ring, 10, 100_000)
        );
        let Ok(SimCommand::Limiter(limiter)) = parse(&["limiter"]) else {
            panic!("limiter parses")
        };
        assert_eq!(limiter.algo, limiter::Algo::TokenBucket);
        assert_eq!(limiter.traffic, TrafficSource::Pattern(Pattern::Bursty));
        assert_eq!(limiter.duration, 10_000_000_000);
    }

    #[test]
    fn parses_names_durations_and_files() {
        let Ok(SimCommand::Limiter(limiter)) = parse(&[
            "limiter",
            "--algo",
            "gcra",
            "--window",
            "250ms",
            "--traffic",
            "times.txt",
        ]) else {
            panic!("limiter parses")
        };
        assert_eq!(limiter.algo, limiter::Algo::Gcra);
        assert_eq!(limiter.window, Some(250_000_000));
        assert_eq!(limiter.traffic, TrafficSource::File("times.txt".into()));
    }

    #[test]
    fn rejects_bad_flags() {
        for bad in [
            &["ring", "--algo", "modulo"][..],
            &["ring", "--nodes", "0"],
            &["ring", "--add", "1", "--remove", "node-1"],
            &["ring", "--epsilon", "-1"],
            &["limiter", "--limit", "5", "--rate", "2", "--burst", "3"],
            &["limiter", "--rate", "2"],
            &["limiter", "--window", "0s"],
            &["limiter", "--duration", "ten"],
            &["limiter", "--traffic", ""],
            &["cache", "--policies", "lru,clock"],
            &["cache", "--capacity", "0"],
            &["cache", "--skew", "-1"],
            &["cache", "--skew", "NaN"],
            &["cache", "--trace", ""],
            &["quorum", "-N", "0"],
            &["quorum", "-N", "21"],
            &["quorum", "--lag", "soon"],
            &["quorum", "--faults", "1.5"],
            &["quorum", "--write-share", "NaN"],
            &["quorum", "--script", "s.txt", "--steps", "5"],
            &["balancer", "--algos", "random,weighted"],
            &["balancer", "--servers", "0"],
            &["balancer", "--utilisation", "0"],
            &["balancer", "--utilisation", "2"],
            &["balancer", "--utilization", "NaN"],
            &["balancer", "--mean-service", "0s"],
            &["balancer", "--mean-service", "1m"],
            &["balancer", "--slowdown", "1"],
            &["balancer", "--check-interval", "10us"],
            &["balancer", "--epsilon", "-0.5"],
            &["balancer", "--failure", "slow"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
    }
}
