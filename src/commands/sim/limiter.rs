//! `sysdeck sim limiter`: offers generated or scripted traffic to one limiter and reports what
//! got through, against the bounds its parameters imply.

use std::io::Write;

use crate::bounded_read;
use crate::sim::limiter::{Algo, AnyLimiter, Gauge, Quota, Tally, Unit};
use crate::sim::time::{Nanos, SECOND, as_seconds, format_duration};
use crate::sim::traffic::Traffic;
use anyhow::{Context, Result, bail};
use rand::SeedableRng;
use rand_pcg::Pcg64;
use serde::Serialize;

use super::{emit, heading, optional, row};
use crate::cli::sim::{LimiterArgs, TrafficSource};

/// More arrivals than this would take seconds to simulate and hundreds of megabytes.
const MAX_ARRIVALS: u64 = 10_000_000;
/// Largest traffic file read: a million arrival times fit well under it, and
/// `--traffic /dev/zero` or a huge file must not be read into memory.
const MAX_TRAFFIC_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Serialize)]
struct LimiterReport {
    algo: Algo,
    title: &'static str,
    parameters: String,
    quota: Quota,
    traffic: TrafficReport,
    duration_ns: Nanos,
    seed: u64,
    #[serde(flatten)]
    tally: Tally,
    /// The analytic most that can get through in any one window.
    max_in_window_bound: u64,
    /// The analytic most that can get through over the whole run, or all offered if fewer.
    admitted_bound: u64,
    /// The longest a request can wait in the limiter.
    max_delay_bound_ns: Nanos,
    final_state: Vec<Gauge>,
}

#[derive(Debug, Serialize)]
struct TrafficReport {
    source: String,
    description: String,
    offered_per_second: f64,
}

/// Runs `sysdeck sim limiter`.
pub(super) fn run(args: &LimiterArgs, out: &mut dyn Write) -> Result<()> {
    let quota = match (args.rate, args.burst) {
        (Some(rate), Some(burst)) => Quota::from_rate(rate, burst).context("bad --rate/--burst")?,
        _ => Quota::new(args.limit.unwrap_or(10), args.window.unwrap_or(SECOND))
            .context("bad --limit/--window")?,
    };
    let (traffic, source) = match &args.traffic {
        TrafficSource::Pattern(pattern) => (pattern.shaped_for(quota), pattern.name().to_string()),
        TrafficSource::File(path) => {
            let text =
                bounded_read::read_to_string(path, MAX_TRAFFIC_BYTES).with_context(|| {
                    format!(
                        "cannot read traffic file {} (--traffic takes steady, bursty, poisson, \
                     boundary or a file with one time per line)",
                        path.display()
                    )
                })?;
            let traffic = Traffic::script(&text)
                .with_context(|| format!("bad traffic file {}", path.display()))?;
            (traffic, path.display().to_string())
        }
    };
    let expected = traffic.expected_count(args.duration);
    if expected > MAX_ARRIVALS {
        bail!(
            "{} over {} would offer about {expected} requests, more than {MAX_ARRIVALS}; \
             shorten --duration or lower the limit",
            traffic.describe(),
            format_duration(args.duration)
        );
    }
    let mut rng = Pcg64::seed_from_u64(args.seed);
    let arrivals = traffic.arrivals(args.duration, &mut rng);
    let mut limiter = AnyLimiter::new(args.algo, quota);
    let decisions = limiter.offer_all(&arrivals);
    let tally = Tally::of(&arrivals, &decisions, quota.window());

    let report = LimiterReport {
        algo: args.algo,
        title: args.algo.title(),
        parameters: limiter.describe(),
        quota,
        traffic: TrafficReport {
            source,
            description: traffic.describe(),
            offered_per_second: arrivals.len() as f64 / as_seconds(args.duration),
        },
        duration_ns: args.duration,
        seed: args.seed,
        max_in_window_bound: limiter.bound(quota.window()),
        // Queued requests leave up to one maximum delay after the run's last arrival.
        admitted_bound: limiter
            .bound(args.duration + limiter.max_delay())
            .min(tally.offered),
        max_delay_bound_ns: limiter.max_delay(),
        final_state: limiter.gauges(args.duration),
        tally,
    };
    emit(&report, args.json, out, write_report)
}

/// How each algorithm's window bound comes about, in the report's words.
fn bound_reason(algo: Algo) -> &'static str {
    match algo {
        Algo::TokenBucket => "B + W/T: a full bucket, then the refill",
        Algo::LeakyMeter => "C + W/T: an empty bucket, then the leak",
        Algo::Gcra => "(W + tau)/T + 1: the tolerance, then the rate",
        Algo::LeakyQueue => "W/T: departures are T apart",
        Algo::FixedWindow => "2L: one window's length spans two windows",
        Algo::SlidingLog => "L: the log holds the last window",
        Algo::SlidingCounter => "2L at worst; near L in practice",
    }
}

fn write_report(report: &LimiterReport, out: &mut dyn Write) -> Result<()> {
    let tally = &report.tally;
    let window = format_duration(report.quota.window());
    writeln!(out, "{}", report.title)?;
    writeln!(
        out,
        "  {} (quota {}, {:.1}/s)",
        report.parameters,
        report.quota.describe(),
        report.quota.per_second()
    )?;
    writeln!(
        out,
        "  traffic: {} for {}, seed {}",
        report.traffic.description,
        format_duration(report.duration_ns),
        report.seed
    )?;
    writeln!(out)?;
    heading(out, "requests")?;
    row(
        out,
        "offered",
        &tally.offered.to_string(),
        "",
        &format!("{:.1}/s", report.traffic.offered_per_second),
    )?;
    row(
        out,
        "admitted",
        &tally.admitted.to_string(),
        &format!("<= {}", report.admitted_bound),
        "over the whole run",
    )?;
    row(out, "rejected", &tally.rejected.to_string(), "", "")?;
    row(
        out,
        &format!("max admitted in any {window}"),
        &tally.max_in_window.to_string(),
        &format!("<= {}", report.max_in_window_bound),
        bound_reason(report.algo),
    )?;
    if report.algo == Algo::LeakyQueue {
        row(out, "queued", &tally.queued.to_string(), "", "")?;
        row(
            out,
            "queue delay, max",
            &format_duration(tally.max_delay),
            &format!("<= {}", format_duration(report.max_delay_bound_ns)),
            "a full queue drains in capacity x T",
        )?;
        row(
            out,
            "queue delay, mean",
            &format_duration(tally.mean_delay),
            "",
            "",
        )?;
    }
    writeln!(out)?;
    writeln!(out, "state at {}", format_duration(report.duration_ns))?;
    for gauge in &report.final_state {
        let value = |value: f64| match gauge.unit {
            Unit::Requests if value.fract() == 0.0 => format!("{value}"),
            Unit::Requests => format!("{value:.2}"),
            Unit::Seconds => format_duration((value * SECOND as f64).round() as Nanos),
        };
        let of = optional(gauge.max, |max| format!("of {}", value(max)));
        row(out, gauge.label, &value(gauge.value), "", &of)?;
    }
    Ok(())
}
