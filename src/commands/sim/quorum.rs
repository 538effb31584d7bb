//! `sysdeck sim quorum`: runs a generated or scripted timeline on a quorum-replicated register
//! and reports how writes and reads came out beside what the quorum laws promise: no stale read
//! when strict quorums overlap (R + W > N) and no disk is wiped, nothing lost without a wiped
//! disk, and the probabilistic staleness of partial quorums (Bailis et al., VLDB 2012).

use std::io::Write;

use anyhow::{Context, Result};
use serde::Serialize;

use super::{emit, heading, percent, row};
use crate::bounded_read;
use crate::cli::sim::QuorumArgs;
use crate::sim::quorum::{
    self, Cluster, Config, Script, Step, Tally, measure_misses, miss_probability,
};

/// Largest script file read: a million short lines fit under it.
const MAX_SCRIPT_BYTES: u64 = 16 * 1024 * 1024;
/// Most steps a script may list; as many as `--steps` allows.
const MAX_SCRIPT_STEPS: usize = 1_000_000;

#[derive(Debug, Serialize)]
struct QuorumReport {
    config: Config,
    /// R + W > N: every read set meets every write set.
    reads_overlap_writes: bool,
    /// W > N/2: every two write sets meet.
    writes_overlap: bool,
    timeline: Timeline,
    tally: Tally,
    /// Stale reads over reads that succeeded.
    stale_share: f64,
    /// Stale reads the laws allow: zero for overlapping strict quorums without a wiped disk.
    expected_stale: Option<u64>,
    /// Lost writes the laws allow: zero without a wiped disk.
    expected_lost: Option<u64>,
    pbs: Pbs,
}

#[derive(Debug, Serialize)]
struct Timeline {
    source: String,
    steps: u64,
    /// Generated timelines only: their seed, write share and fault chance.
    seed: Option<u64>,
    write_share: Option<f64>,
    faults: Option<f64>,
    wipes: u64,
}

/// Write-then-read trials on fresh clusters: how often the read misses the write.
#[derive(Debug, Serialize)]
struct Pbs {
    trials: u64,
    misses: u64,
    measured: f64,
    /// C(N-W, R) / C(N, R).
    expected: f64,
}

/// Runs `sysdeck sim quorum`.
pub(super) fn run(args: &QuorumArgs, out: &mut dyn Write) -> Result<()> {
    let config = Config {
        replicas: usize::try_from(args.replicas)?,
        reads: usize::try_from(args.read_quorum)?,
        writes: usize::try_from(args.write_quorum)?,
        spares: usize::try_from(args.spares)?,
        sloppy: args.sloppy,
        read_repair: args.read_repair,
        lag: args.lag.0,
    };
    config.validate()?;
    let (steps, timeline) = load(args, &config)?;
    let mut cluster = Cluster::new(config, args.seed)?;
    let mut tally = Tally::default();
    for &step in &steps {
        tally.record(&cluster.apply(step));
    }
    let misses = measure_misses(&config, args.trials, args.seed)?;
    let succeeded = tally.fresh + tally.stale;
    let no_wipes = timeline.wipes == 0;
    let report = QuorumReport {
        reads_overlap_writes: config.reads_overlap_writes(),
        writes_overlap: config.writes_overlap(),
        stale_share: match succeeded {
            0 => 0.0,
            n => tally.stale as f64 / n as f64,
        },
        expected_stale: (config.reads_overlap_writes() && !config.sloppy && no_wipes).then_some(0),
        expected_lost: no_wipes.then_some(0),
        pbs: Pbs {
            trials: args.trials,
            misses,
            measured: match args.trials {
                0 => 0.0,
                n => misses as f64 / n as f64,
            },
            expected: miss_probability(config.replicas, config.reads, config.writes),
        },
        config,
        timeline,
        tally,
    };
    emit(&report, args.json, out, write_report)
}

/// The timeline the arguments name, and how to describe it.
fn load(args: &QuorumArgs, config: &Config) -> Result<(Vec<Step>, Timeline)> {
    let (steps, source, generated) = match &args.script {
        None => {
            let steps = quorum::generate(
                config,
                usize::try_from(args.steps)?,
                args.write_share,
                args.faults,
                args.seed,
            );
            (steps, "generated".to_string(), true)
        }
        Some(path) => {
            let text = bounded_read::read_to_string(path, MAX_SCRIPT_BYTES).with_context(|| {
                format!(
                    "cannot read script {} (--script takes a file with one step a line)",
                    path.display()
                )
            })?;
            let script = Script::parse(&text, config, MAX_SCRIPT_STEPS)
                .with_context(|| format!("bad script {}", path.display()))?;
            (script.steps, path.display().to_string(), false)
        }
    };
    let timeline = Timeline {
        source,
        steps: steps.len() as u64,
        seed: generated.then_some(args.seed),
        write_share: generated.then_some(args.write_share),
        faults: generated.then_some(args.faults),
        wipes: steps.iter().filter(|s| matches!(s, Step::Wipe(_))).count() as u64,
    };
    Ok((steps, timeline))
}

fn write_report(report: &QuorumReport, out: &mut dyn Write) -> Result<()> {
    let c = &report.config;
    let lag = match c.lag {
        Some(steps) => format!("the rest after {steps} steps"),
        None => "no further copies".to_string(),
    };
    let mode = match c.sloppy {
        true => "sloppy quorum with hinted handoff",
        false => "strict quorum",
    };
    let repair = match c.read_repair {
        true => "read repair on",
        false => "read repair off",
    };
    writeln!(
        out,
        "quorum replication: N={}, R={}, W={}, {} spares; {mode}, {repair}",
        c.replicas, c.reads, c.writes, c.spares
    )?;
    writeln!(out, "  a write goes to W replicas at once, {lag}")?;
    let sum = c.reads + c.writes;
    let (relation, meaning) = match report.reads_overlap_writes {
        true => (">", "every read set meets every write set"),
        false => ("<=", "a read can miss the latest write"),
    };
    writeln!(
        out,
        "  R + W = {sum} {relation} N = {}: {meaning}",
        c.replicas
    )?;
    let (relation, meaning) = match report.writes_overlap {
        true => (">", "no two writes are acknowledged by disjoint sets"),
        false => ("<=", "two writes can be acknowledged by disjoint sets"),
    };
    writeln!(
        out,
        "  2W = {} {relation} N = {}: {meaning}",
        2 * c.writes,
        c.replicas
    )?;
    let t = &report.timeline;
    match (t.seed, t.write_share, t.faults) {
        (Some(seed), Some(share), Some(faults)) => writeln!(
            out,
            "  timeline: {} generated steps, {} writes, {} faults, seed {seed}",
            t.steps,
            percent(share),
            percent(faults)
        )?,
        _ => writeln!(out, "  timeline: {} steps from {}", t.steps, t.source)?,
    }
    writeln!(out)?;

    let tally = &report.tally;
    let zero = |expected: Option<u64>| expected.map(|e| e.to_string()).unwrap_or_default();
    heading(out, "writes")?;
    row(out, "acknowledged", &tally.acked.to_string(), "", "")?;
    row(
        out,
        "failed: fewer than W reachable",
        &tally.write_failed.to_string(),
        "",
        "",
    )?;
    let lost_note = match report.expected_lost {
        Some(_) => "no disk was wiped",
        None => "a wiped disk can take the only copies",
    };
    row(
        out,
        "lost: no node holds them",
        &tally.lost.to_string(),
        &zero(report.expected_lost),
        lost_note,
    )?;
    writeln!(out)?;
    heading(out, "reads")?;
    row(out, "fresh", &tally.fresh.to_string(), "", "")?;
    let stale_note = match (report.expected_stale, c.sloppy, report.reads_overlap_writes) {
        (Some(_), _, _) => "R + W > N with a strict quorum",
        (None, true, true) => "a sloppy quorum can miss even with R + W > N",
        (None, _, true) => "a wiped disk can take the latest write",
        (None, _, false) => "R + W <= N",
    };
    row(
        out,
        "stale: older than the latest acked",
        &tally.stale.to_string(),
        &zero(report.expected_stale),
        stale_note,
    )?;
    row(
        out,
        "failed: fewer than R reachable",
        &tally.read_failed.to_string(),
        "",
        "",
    )?;
    row(
        out,
        "stale share of answered reads",
        &percent(report.stale_share),
        "",
        "",
    )?;
    writeln!(out)?;
    let pbs = &report.pbs;
    heading(out, "a read just after a write held by W")?;
    row(
        out,
        &format!("misses it, in {} trials", pbs.trials),
        &percent(pbs.measured),
        &percent(pbs.expected),
        "C(N-W,R) / C(N,R), Bailis et al. 2012",
    )?;
    Ok(())
}
