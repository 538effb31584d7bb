//! `sysdeck sim balancer`: one seeded stream of requests offered to a fleet through each chosen
//! algorithm; reports latency percentiles, errors and per-server load, and, where the fleet is
//! the textbook one, the figures queueing theory expects beside the measured ones.

use std::io::Write;

use anyhow::{Result, bail};
use serde::Serialize;

use super::{emit, heading, percent, row};
use crate::cli::sim::BalancerArgs;
use crate::sim::balancer::{
    self, Algo, Config, Fleet, Hashing, Health, Kind, Lane, Latency, Run, Shape, server_name,
};
use crate::sim::time::{Nanos, SECOND, as_seconds, format_duration, format_short};

/// More health checks than this over a run would take longer than the requests themselves.
const MAX_CHECKS: u64 = 10_000_000;
/// Fleets larger than this get a summary line instead of a column per server.
const SERVER_COLUMNS: usize = 12;
/// The queue lengths whose time-share is reported.
const LEVELS_SHOWN: usize = 8;

#[derive(Debug, Serialize)]
struct BalancerReport {
    #[serde(flatten)]
    config: Config,
    offered_per_second: f64,
    /// What the fleet can serve per second, slow servers counted at their speed.
    capacity_per_second: f64,
    algorithms: Vec<AlgoReport>,
    /// Theory's figures, when the fleet is identical servers with Poisson arrivals and
    /// exponential service.
    expected: Vec<Expectation>,
}

#[derive(Debug, Serialize)]
struct AlgoReport {
    algo: Algo,
    label: &'static str,
    title: &'static str,
    latency: Latency,
    completed: u64,
    errors: u64,
    /// Successful requests per second from the first arrival to the last answer.
    throughput_per_second: f64,
    /// Times a health check took a server out of rotation.
    removals: u64,
    /// Bounded loads: the highest load given to a server over its cap (at most 1).
    peak_bound_ratio: Option<f64>,
    /// The time-average share of servers with at least 0, 1, 2, ... requests outstanding.
    servers_with_at_least: Vec<f64>,
    servers: Vec<ServerReport>,
}

#[derive(Debug, Serialize)]
struct ServerReport {
    name: String,
    kind: Kind,
    requests: u64,
    errors: u64,
    peak_outstanding: u32,
    /// Busy time over the arrival window.
    utilisation: f64,
}

#[derive(Debug, Serialize)]
struct Expectation {
    algo: Algo,
    measure: String,
    measured: f64,
    expected: f64,
    /// `about` for a model's prediction, `at-most` for a bound.
    relation: &'static str,
    basis: &'static str,
}

/// Runs `sysdeck sim balancer`.
pub(super) fn run(args: &BalancerArgs, out: &mut dyn Write) -> Result<()> {
    let config = config(args);
    config.check()?;
    let algos = match args.algos.is_empty() {
        true => Algo::ALL.to_vec(),
        false => dedup(&args.algos),
    };
    let mut run = Run::new(config, &algos)?;
    if run.config.fleet.failing > 0 {
        let checks = run.workload.span() / run.config.fleet.health.interval;
        if checks > MAX_CHECKS {
            bail!(
                "the run would make {checks} rounds of health checks, more than {MAX_CHECKS}; \
                 lengthen --check-interval or offer fewer --requests"
            );
        }
    }
    run.run_to_end();
    let span = run.workload.span();
    let algorithms = run
        .lanes
        .iter()
        .map(|lane| algo_report(lane, &run.config.fleet, span))
        .collect();
    let shape = &run.config.shape;
    let report = BalancerReport {
        offered_per_second: shape.offered_per_second(),
        capacity_per_second: run.config.fleet.capacity() * SECOND as f64
            / shape.mean_service as f64,
        expected: expectations(&run),
        algorithms,
        config: run.config.clone(),
    };
    emit(&report, args.json, out, write_report)
}

fn config(args: &BalancerArgs) -> Config {
    let servers = args.servers as usize;
    Config {
        shape: Shape {
            requests: args.requests as usize,
            utilisation: args.utilisation,
            servers,
            mean_service: args.mean_service,
            arrivals: args.arrivals,
            service: args.service,
            keys: args.keys,
            seed: args.seed,
        },
        fleet: Fleet {
            servers,
            slow: args.slow as usize,
            slowdown: args.slowdown,
            failing: args.failing as usize,
            failure: args.failure,
            timeout: args.timeout,
            outage: args.outage,
            period: args.period,
            health: Health {
                interval: args.check_interval,
                fall: args.fall,
                rise: args.rise,
            },
        },
        hashing: Hashing {
            vnodes: args.vnodes,
            epsilon: args.epsilon,
            seed: args.seed,
        },
    }
}

/// The algorithms in the order given, each once.
fn dedup(algos: &[Algo]) -> Vec<Algo> {
    let mut seen = Vec::new();
    for &algo in algos {
        if !seen.contains(&algo) {
            seen.push(algo);
        }
    }
    seen
}

fn algo_report(lane: &Lane, fleet: &Fleet, span: Nanos) -> AlgoReport {
    let algo = lane.algo();
    let completed = lane.completed();
    AlgoReport {
        algo,
        label: algo.label(),
        title: algo.title(),
        latency: lane.latency(),
        completed,
        errors: lane.errors,
        throughput_per_second: match lane.last_done {
            0 => 0.0,
            end => completed as f64 / as_seconds(end),
        },
        removals: lane.removals,
        peak_bound_ratio: lane.peak_bound_ratio,
        servers_with_at_least: balancer::at_least(&lane.stats)[..LEVELS_SHOWN].to_vec(),
        servers: lane
            .stats
            .iter()
            .enumerate()
            .map(|(index, stats)| ServerReport {
                name: server_name(index),
                kind: fleet.kind(index),
                requests: stats.requests,
                errors: stats.errors,
                peak_outstanding: stats.peak,
                utilisation: match span {
                    0 => 0.0,
                    _ => stats.busy as f64 / span as f64,
                },
            })
            .collect(),
    }
}

/// Theory's figures for the algorithms that have them on this run.
fn expectations(run: &Run) -> Vec<Expectation> {
    let config = &run.config;
    let rho = config.shape.utilisation;
    let mean_ms = config.shape.mean_service as f64 / 1e6;
    let mut out = Vec::new();
    for lane in &run.lanes {
        let algo = lane.algo();
        let shares = balancer::at_least(&lane.stats);
        let measured_ms = lane.latency().mean_ns / 1e6;
        let mut expect = |measure: String, measured, expected, relation, basis| {
            out.push(Expectation {
                algo,
                measure,
                measured,
                expected,
                relation,
                basis,
            })
        };
        // The mean time in system where a queueing model gives one.
        let mut expect_mean = |mean: Option<f64>, basis| {
            if let Some(mean) = mean {
                expect(
                    "mean time in system, ms".into(),
                    measured_ms,
                    mean,
                    "about",
                    basis,
                );
            }
        };
        match algo {
            Algo::Random if config.textbook() && rho < 1.0 => {
                expect_mean(
                    balancer::mm1_mean_response(mean_ms, rho),
                    "M/M/1 per server: 1/(mu - lambda/N)",
                );
                for k in 0..3u32 {
                    let measure = format!("servers with more than {k}");
                    let expected = balancer::mm1_more_than(rho, k);
                    let basis = "M/M/1: rho^(k+1)";
                    expect(measure, shares[k as usize + 1], expected, "about", basis);
                }
            }
            Algo::TwoChoices if config.textbook() && rho < 1.0 => {
                expect_mean(
                    balancer::two_choices_mean_response(mean_ms, rho),
                    "supermarket model, as N grows",
                );
                for i in 1..=3u32 {
                    let measure = format!("servers with at least {i}");
                    let expected = balancer::two_choices_at_least(rho, i);
                    let basis = "rho^(2^i - 1), as N grows";
                    expect(measure, shares[i as usize], expected, "about", basis);
                }
            }
            Algo::Bounded => {
                if let Some(ratio) = lane.peak_bound_ratio {
                    let basis = "load <= ceil((1+e) m / n)";
                    expect(
                        "highest load over its cap".into(),
                        ratio,
                        1.0,
                        "at-most",
                        basis,
                    );
                }
            }
            _ => {}
        }
    }
    out
}

fn write_report(report: &BalancerReport, out: &mut dyn Write) -> Result<()> {
    let (shape, fleet) = (&report.config.shape, &report.config.fleet);
    writeln!(
        out,
        "load balancing: {} servers at {:.0}% utilisation, {} requests, seed {}",
        fleet.servers,
        100.0 * shape.utilisation,
        shape.requests,
        shape.seed
    )?;
    writeln!(
        out,
        "  offered {:.1} requests/s; the fleet serves up to {:.1}/s while every server is up",
        report.offered_per_second, report.capacity_per_second
    )?;
    writeln!(
        out,
        "  arrivals {}; service {}, mean {}",
        shape.arrivals.name(),
        shape.service.describe(),
        format_duration(shape.mean_service)
    )?;
    writeln!(out, "  fleet: {}", describe_fleet(fleet))?;
    if report.offered_per_second >= report.capacity_per_second {
        writeln!(
            out,
            "  more is offered than the fleet can serve: queues grow for as long as the run lasts"
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<18}{:>9}{:>9}{:>9}{:>9}{:>9}{:>9}{:>8}{:>9}",
        "latency", "p50", "p90", "p99", "p99.9", "max", "mean", "errors", "req/s"
    )?;
    for a in &report.algorithms {
        let l = &a.latency;
        writeln!(
            out,
            "  {:<16}{:>9}{:>9}{:>9}{:>9}{:>9}{:>9}{:>8}{:>9.1}",
            a.label,
            format_short(l.p50_ns),
            format_short(l.p90_ns),
            format_short(l.p99_ns),
            format_short(l.p999_ns),
            format_short(l.max_ns),
            format_short(l.mean_ns.round() as Nanos),
            a.errors,
            a.throughput_per_second
        )?;
    }
    if !report.expected.is_empty() {
        writeln!(out)?;
        heading(out, "against theory")?;
        for e in &report.expected {
            let show = |value: f64| match e.measure.ends_with("ms") {
                true => format!("{value:.2}"),
                false => format!("{value:.3}"),
            };
            let sign = if e.relation == "at-most" { "<= " } else { "~ " };
            let label = format!("{}: {}", e.algo.label(), e.measure);
            let expected = format!("{sign}{}", show(e.expected));
            row(out, &label, &show(e.measured), &expected, e.basis)?;
        }
    }
    writeln!(out)?;
    write_servers(report, out)
}

fn describe_fleet(fleet: &Fleet) -> String {
    let mut parts = Vec::new();
    if fleet.failing > 0 {
        let how = match fleet.failure {
            balancer::Failure::Fast => "refusing at once".to_string(),
            balancer::Failure::Timeout => format!("hanging for {}", format_duration(fleet.timeout)),
        };
        parts.push(format!(
            "{} failing ({how}, down {} in every {})",
            fleet.failing,
            format_duration(fleet.outage),
            format_duration(fleet.period)
        ));
    }
    if fleet.slow > 0 {
        parts.push(format!("{} slow ({}x)", fleet.slow, fleet.slowdown));
    }
    let normal = fleet.servers - fleet.slow - fleet.failing;
    parts.push(format!("{normal} normal"));
    let mut text = parts.join(", ");
    if fleet.failing > 0 {
        let h = &fleet.health;
        text.push_str(&format!(
            "; health checks every {}, out after {} failed, back after {} passed",
            format_duration(h.interval),
            h.fall,
            h.rise
        ));
    }
    text
}

/// Requests, peak outstanding and utilisation of each server under each algorithm; a large
/// fleet gets the spread instead.
fn write_servers(report: &BalancerReport, out: &mut dyn Write) -> Result<()> {
    let servers = report.config.fleet.servers;
    if servers > SERVER_COLUMNS {
        writeln!(
            out,
            "per-server load: fewest..most requests, highest peak, busy"
        )?;
        for a in &report.algorithms {
            let requests = a.servers.iter().map(|s| s.requests);
            let busy = a.servers.iter().map(|s| s.utilisation);
            writeln!(
                out,
                "  {:<16}{}..{} requests, peak {}, busy {}..{}",
                a.label,
                requests.clone().min().unwrap_or(0),
                requests.max().unwrap_or(0),
                a.servers
                    .iter()
                    .map(|s| s.peak_outstanding)
                    .max()
                    .unwrap_or(0),
                percent(busy.clone().fold(f64::INFINITY, f64::min)),
                percent(busy.fold(0.0, f64::max)),
            )?;
        }
        return Ok(());
    }
    let mut head = format!("{:<28}", "per-server load");
    for (i, s) in report.algorithms[0].servers.iter().enumerate() {
        let mark = match s.kind {
            Kind::Normal => "",
            Kind::Slow => "~",
            Kind::Failing => "!",
        };
        head.push_str(&format!("{:>8}", format!("{mark}s{i}")));
    }
    writeln!(out, "{}", head.trim_end())?;
    for a in &report.algorithms {
        let lines: [(&str, Vec<String>); 3] = [
            (
                "requests",
                a.servers.iter().map(|s| s.requests.to_string()).collect(),
            ),
            (
                "peak queue",
                a.servers
                    .iter()
                    .map(|s| s.peak_outstanding.to_string())
                    .collect(),
            ),
            (
                "busy",
                a.servers
                    .iter()
                    .map(|s| format!("{:.0}%", 100.0 * s.utilisation))
                    .collect(),
            ),
        ];
        for (i, (name, cells)) in lines.iter().enumerate() {
            let label = if i == 0 { a.label } else { "" };
            let cells: String = cells.iter().map(|c| format!("{c:>8}")).collect();
            writeln!(out, "  {label:<14}{name:<12}{cells}")?;
        }
    }
    if report.config.fleet.slow + report.config.fleet.failing > 0 {
        writeln!(out, "  (! failing, ~ slow)")?;
    }
    Ok(())
}
