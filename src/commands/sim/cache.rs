//! `sysdeck sim cache`: replays one trace through several eviction policies and reports their
//! hit ratios beside what theory expects: OPT's bound for every policy, Che's approximation for
//! LRU and its FIFO counterpart on Zipf traces, and only cold misses once everything fits.

use std::io::Write;
use std::num::NonZeroUsize;

use anyhow::{Context, Result};
use serde::Serialize;

use super::{emit, heading, percent, row};
use crate::bounded_read;
use crate::cli::sim::{CacheArgs, TraceSource};
use crate::sim::cache::{self, Policy, Shape, Tally, Trace};

/// Largest trace file read: two million short keys fit under it, and `--trace /dev/zero` or a
/// huge file must not be read into memory.
const MAX_TRACE_BYTES: u64 = 16 * 1024 * 1024;
/// Most requests a trace file may list; as many as `--length` allows.
const MAX_FILE_REQUESTS: usize = 2_000_000;

#[derive(Debug, Serialize)]
struct CacheReport {
    capacity: u64,
    trace: TraceReport,
    /// Requests per window of `window_hit_ratios`.
    window: u64,
    policies: Vec<PolicyReport>,
    /// Under fixed Zipf popularities: the share of requests for the `capacity` most popular
    /// keys, the best any policy that does not know the future can expect.
    top_keys_share: Option<f64>,
}

#[derive(Debug, Serialize)]
struct TraceReport {
    source: String,
    description: String,
    requests: u64,
    distinct: u64,
    seed: Option<u64>,
    skew: Option<f64>,
}

#[derive(Debug, Serialize)]
struct PolicyReport {
    policy: Policy,
    label: &'static str,
    title: &'static str,
    hits: u64,
    misses: u64,
    hit_ratio: f64,
    /// What theory gives for this policy and trace, if anything.
    expected: Option<Expected>,
    window_hit_ratios: Vec<f64>,
}

/// An expected hit ratio and where it comes from.
#[derive(Debug, Clone, Serialize)]
struct Expected {
    /// `at-most` for a bound, `about` for an approximation, `exactly` for a law.
    relation: Relation,
    hit_ratio: f64,
    basis: &'static str,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Relation {
    AtMost,
    About,
    Exactly,
}

/// Runs `sysdeck sim cache`.
pub(super) fn run(args: &CacheArgs, out: &mut dyn Write) -> Result<()> {
    let (trace, source, shape) = load(args)?;
    let policies = match args.policies.is_empty() {
        true => Policy::ALL.to_vec(),
        false => dedup(&args.policies),
    };
    let capacity = NonZeroUsize::new(usize::try_from(args.capacity)?).context("capacity 0")?;
    let window = (trace.requests.len() as u64).div_ceil(args.windows).max(1);
    let tallies: Vec<(Policy, Tally)> = policies
        .iter()
        .map(|&p| (p, cache::run(p, capacity, &trace.requests, window)))
        .collect();
    let opt = match tallies.iter().find(|(p, _)| *p == Policy::Opt) {
        Some((_, tally)) => tally.hit_ratio(),
        None => cache::run(Policy::Opt, capacity, &trace.requests, window).hit_ratio(),
    };
    let popularity =
        (shape == Some(Shape::Zipf)).then(|| cache::zipf_popularity(args.keys, args.skew));
    let context = Theory {
        trace: &trace,
        capacity: capacity.get(),
        shape,
        keys: args.keys,
        popularity: popularity.as_deref(),
        opt,
    };
    let report = CacheReport {
        capacity: args.capacity,
        trace: TraceReport {
            description: match shape {
                Some(shape) => shape.describe(args.keys, args.skew),
                None => format!("keys read from {source}"),
            },
            source,
            requests: trace.requests.len() as u64,
            distinct: trace.distinct as u64,
            seed: shape.filter(|s| s.skewed()).map(|_| args.seed),
            skew: shape.filter(|s| s.skewed()).map(|_| args.skew),
        },
        window,
        policies: tallies
            .into_iter()
            .map(|(policy, tally)| PolicyReport {
                policy,
                label: policy.label(),
                title: policy.title(),
                hits: tally.hits,
                misses: tally.misses,
                hit_ratio: tally.hit_ratio(),
                expected: context.expected(policy),
                window_hit_ratios: tally.window_ratios(),
            })
            .collect(),
        top_keys_share: popularity.map(|p| cache::top_mass(&p, capacity.get())),
    };
    emit(&report, args.json, out, write_report)
}

/// The trace the arguments name, its source for the report, and its shape if generated.
fn load(args: &CacheArgs) -> Result<(Trace, String, Option<Shape>)> {
    match &args.trace {
        TraceSource::Shape(shape) => {
            let length = usize::try_from(args.length)?;
            let trace = shape.generate(args.keys, args.skew, length, args.seed)?;
            Ok((trace, shape.name().to_string(), Some(*shape)))
        }
        TraceSource::File(path) => {
            let text = bounded_read::read_to_string(path, MAX_TRACE_BYTES).with_context(|| {
                format!(
                    "cannot read trace file {} (--trace takes zipf, scan, loop or a file with one \
                     key per line)",
                    path.display()
                )
            })?;
            let trace = Trace::parse(&text, MAX_FILE_REQUESTS)
                .with_context(|| format!("bad trace file {}", path.display()))?;
            Ok((trace, path.display().to_string(), None))
        }
    }
}

/// The policies in the order given, each once.
fn dedup(policies: &[Policy]) -> Vec<Policy> {
    let mut seen = Vec::new();
    for &p in policies {
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    seen
}

/// What the expectations are computed from.
struct Theory<'a> {
    trace: &'a Trace,
    capacity: usize,
    shape: Option<Shape>,
    keys: u64,
    popularity: Option<&'a [f64]>,
    opt: f64,
}

impl Theory<'_> {
    /// The strongest expectation theory gives for `policy` on this trace.
    fn expected(&self, policy: Policy) -> Option<Expected> {
        let requests = self.trace.requests.len() as f64;
        let expect = |relation, hit_ratio, basis| {
            Some(Expected {
                relation,
                hit_ratio,
                basis,
            })
        };
        if self.capacity >= self.trace.distinct {
            let cold = 1.0 - self.trace.distinct as f64 / requests;
            return expect(Relation::Exactly, cold, "every key fits: only cold misses");
        }
        let looping = self.shape == Some(Shape::Loop) && self.keys > self.capacity as u64;
        match (policy, self.popularity) {
            (Policy::Opt, _) => None,
            (Policy::Lru | Policy::Fifo, _) if looping => expect(
                Relation::Exactly,
                0.0,
                "a loop longer than the cache never hits",
            ),
            (Policy::Lru, Some(p)) => expect(
                Relation::About,
                cache::che_lru(p, self.capacity),
                "Che's approximation",
            ),
            (Policy::Fifo, Some(p)) => expect(
                Relation::About,
                cache::fifo_approx(p, self.capacity),
                "characteristic time, FIFO form",
            ),
            _ => expect(
                Relation::AtMost,
                self.opt,
                "OPT's hit ratio bounds every policy",
            ),
        }
    }
}

fn write_report(report: &CacheReport, out: &mut dyn Write) -> Result<()> {
    let trace = &report.trace;
    writeln!(out, "cache eviction, capacity {}", report.capacity)?;
    writeln!(out, "  trace: {}", trace.description)?;
    let seed = trace
        .seed
        .map(|s| format!(", seed {s}"))
        .unwrap_or_default();
    writeln!(
        out,
        "  {} requests, {} distinct keys{seed}",
        trace.requests, trace.distinct
    )?;
    writeln!(out)?;
    heading(out, "hit ratio")?;
    for p in &report.policies {
        let (expected, note) = match &p.expected {
            Some(e) => {
                let sign = match e.relation {
                    Relation::AtMost => "<= ",
                    Relation::About => "~ ",
                    Relation::Exactly => "",
                };
                (format!("{sign}{}", percent(e.hit_ratio)), e.basis)
            }
            None if p.policy == Policy::Opt => (String::new(), "the bound: no policy hits more"),
            None => (String::new(), ""),
        };
        let label = format!("{:<5}{}", p.label, p.title);
        row(out, &label, &percent(p.hit_ratio), &expected, note)?;
    }
    if let Some(share) = report.top_keys_share {
        row(
            out,
            &format!("top {} keys' share of requests", report.capacity),
            "",
            &percent(share),
            "the best without knowing the future",
        )?;
    }
    writeln!(out)?;
    heading(out, "misses")?;
    for p in &report.policies {
        row(
            out,
            p.label,
            &p.misses.to_string(),
            &format!(">= {}", trace.distinct),
            "each distinct key misses once, cold",
        )?;
    }
    writeln!(out)?;
    writeln!(out, "hit ratio over time, % per {} requests", report.window)?;
    for p in &report.policies {
        let windows: Vec<String> = p
            .window_hit_ratios
            .iter()
            .map(|r| format!("{:>3.0}", 100.0 * r))
            .collect();
        writeln!(out, "  {:<5}{}", p.label, windows.join(" "))?;
    }
    Ok(())
}
