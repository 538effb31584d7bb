//! `sysdeck sim ring`: places keys with one scheme, then reports balance, the cost of a
//! membership change and the reasoning behind one key's placement.

use std::io::Write;

use crate::sim::hash_ring::{
    self, Algo, Balance, Change, Config, DEFAULT_TABLE_SIZE, Explanation, Loads, Movement, NodeId,
    Placement, Why, assign, hash_keys, key_name, node_names, relative_std_dev, top_scores,
};
use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::{emit, heading, optional, percent, row};
use crate::cli::sim::RingArgs;

/// More ring points than this would take seconds to build and hundreds of megabytes.
const MAX_POINTS: u64 = 10_000_000;

#[derive(Debug, Serialize)]
struct RingReport {
    algo: Algo,
    title: &'static str,
    nodes: usize,
    vnodes: Option<u32>,
    epsilon: Option<f64>,
    table_size: Option<u64>,
    keys: usize,
    seed: u64,
    balance: BalanceReport,
    change: Option<ChangeReport>,
    explain: ExplainReport,
}

#[derive(Debug, Serialize)]
struct BalanceReport {
    #[serde(flatten)]
    measured: Balance,
    /// What theory predicts for `rsd`; absent where the scheme bounds load instead.
    expected_rsd: Option<f64>,
    /// Spread of the nodes' shares of the key space, before any key is drawn.
    share_rsd: f64,
    /// 1/sqrt(vnodes), for the schemes that place virtual nodes.
    expected_share_rsd: Option<f64>,
    /// The load cap, for bounded loads.
    max_load: Option<u64>,
    keys_per_node: Vec<NodeLoad>,
}

#[derive(Debug, Serialize)]
struct NodeLoad {
    node: String,
    keys: u64,
    share: f64,
}

#[derive(Debug, Serialize)]
struct ChangeReport {
    added: Vec<String>,
    removed: Vec<String>,
    nodes_after: usize,
    #[serde(flatten)]
    movement: Movement,
    /// N/(N+1) for one node joining N (a key stays only if hash mod N = hash mod N+1), and
    /// (N-1)/N for one leaving; absent for larger changes.
    modulo_expected_share: Option<f64>,
    balance_after: Balance,
}

#[derive(Debug, Serialize)]
struct ExplainReport {
    key: String,
    hash: u64,
    node: String,
    why: Why,
}

/// Runs `sysdeck sim ring`.
pub(super) fn run(args: &RingArgs, out: &mut dyn Write) -> Result<()> {
    let algo = args.algo;
    if args.vnodes.is_some() && !algo.uses_vnodes() {
        bail!(
            "--vnodes applies to --algo ring and bounded; {} has no virtual nodes",
            algo.name()
        );
    }
    if args.epsilon.is_some() && algo != Algo::Bounded {
        bail!("--epsilon applies to --algo bounded only");
    }
    let config = Config {
        vnodes: args.vnodes.unwrap_or(Config::default().vnodes),
        seed: args.seed,
        epsilon: args.epsilon.unwrap_or(Config::default().epsilon),
        table_size: DEFAULT_TABLE_SIZE,
    };
    let total_nodes = u64::from(args.nodes) + u64::from(args.add.unwrap_or(0));
    if algo.uses_vnodes() && total_nodes * u64::from(config.vnodes) > MAX_POINTS {
        bail!(
            "{total_nodes} nodes x {} vnodes is more than {MAX_POINTS} ring points; use fewer",
            config.vnodes
        );
    }

    let placement = hash_ring::build(algo, node_names(args.nodes as usize), &config)
        .context("cannot build the placement")?;
    let keys = hash_keys(args.keys as usize, args.seed);
    let (owners, loads, explain) = place_explaining_last(placement.as_ref(), &keys);

    let change = match (&args.add, &args.remove) {
        (Some(count), _) => Some(Change::Add(*count)),
        (None, Some(name)) => Some(Change::Remove(name.clone())),
        (None, None) => None,
    };
    let change = change
        .map(|change| measure_change(placement.as_ref(), &owners, &keys, &change, &config))
        .transpose()?;

    let report = RingReport {
        algo,
        title: algo.title(),
        nodes: placement.nodes().len(),
        vnodes: algo.uses_vnodes().then_some(config.vnodes),
        epsilon: (algo == Algo::Bounded).then_some(config.epsilon),
        table_size: (algo == Algo::Maglev).then_some(config.table_size),
        keys: keys.len(),
        seed: args.seed,
        balance: balance_report(placement.as_ref(), &loads, config.vnodes),
        change,
        explain,
    };
    emit(&report, args.json, out, |report, out| {
        write_report(report, placement.as_ref(), out)
    })
}

/// Places every key, explaining the last one against the loads it saw: for bounded loads the
/// last key is the likeliest to find its node full.
fn place_explaining_last(
    placement: &dyn Placement,
    keys: &[u64],
) -> (Vec<NodeId>, Loads, ExplainReport) {
    let (last, rest) = keys.split_last().expect("clap requires at least one key");
    let (mut owners, mut loads) = assign(placement, rest);
    let Explanation { key, node, why } = placement.explain(*last, &loads);
    owners.push(node);
    loads.add(node);
    let explain = ExplainReport {
        key: key_name(rest.len()),
        hash: key,
        node: placement.nodes()[node.index()].clone(),
        why,
    };
    (owners, loads, explain)
}

fn balance_report(placement: &dyn Placement, loads: &Loads, vnodes: u32) -> BalanceReport {
    let shares = placement.shares();
    let keys = loads.total();
    BalanceReport {
        measured: Balance::of(loads),
        expected_rsd: placement.expected_rsd(keys as usize),
        share_rsd: relative_std_dev(&shares),
        expected_share_rsd: placement
            .algo()
            .uses_vnodes()
            .then(|| 1.0 / f64::from(vnodes).sqrt()),
        max_load: placement.max_load(keys),
        keys_per_node: placement
            .nodes()
            .iter()
            .zip(loads.counts())
            .zip(shares)
            .map(|((node, &keys), share)| NodeLoad {
                node: node.clone(),
                keys,
                share,
            })
            .collect(),
    }
}

fn measure_change(
    before: &dyn Placement,
    owners: &[NodeId],
    keys: &[u64],
    change: &Change,
    config: &Config,
) -> Result<ChangeReport> {
    let nodes_after = change
        .apply(before.nodes())
        .context("cannot change the membership")?;
    let after = hash_ring::build(before.algo(), nodes_after, config)
        .context("cannot build the placement after the change")?;
    let (owners_after, loads_after) = assign(after.as_ref(), keys);
    let missing_from = |nodes: &[String], other: &[String]| -> Vec<String> {
        nodes
            .iter()
            .filter(|name| !other.contains(name))
            .cloned()
            .collect()
    };
    let (old, new) = (before.nodes().len(), after.nodes().len());
    Ok(ChangeReport {
        modulo_expected_share: (old.abs_diff(new) == 1).then(|| 1.0 - 1.0 / old.max(new) as f64),
        added: missing_from(after.nodes(), before.nodes()),
        removed: missing_from(before.nodes(), after.nodes()),
        nodes_after: after.nodes().len(),
        movement: Movement::between(keys, (before, owners), (after.as_ref(), &owners_after)),
        balance_after: Balance::of(&loads_after),
    })
}

/// Per-node lines are listed up to this many nodes; past it the summary says enough.
const MAX_LISTED_NODES: usize = 24;

fn write_report(report: &RingReport, placement: &dyn Placement, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "{}", report.title)?;
    let mut setup = format!("{} nodes", report.nodes);
    if let Some(vnodes) = report.vnodes {
        setup += &format!(" x {vnodes} vnodes");
    }
    if let Some(size) = report.table_size {
        setup += &format!(", table of {size} slots");
    }
    if let Some(epsilon) = report.epsilon {
        setup += &format!(", epsilon {epsilon}");
    }
    writeln!(out, "  {setup}, {} keys, seed {}", report.keys, report.seed)?;

    let balance = &report.balance;
    let measured = &balance.measured;
    writeln!(out)?;
    heading(out, "balance")?;
    row(
        out,
        "keys per node, mean",
        &format!("{:.1}", measured.mean),
        "",
        "",
    )?;
    row(
        out,
        "keys per node, min .. max",
        &format!("{} .. {}", measured.min, measured.max),
        "",
        "",
    )?;
    match balance.max_load {
        Some(cap) => row(
            out,
            "max / mean",
            &format!("{:.3}", measured.max_over_mean),
            &format!("<= {:.3}", cap as f64 / measured.mean),
            &format!("cap {cap} keys = ceil((1+e)K/N)"),
        )?,
        None => row(
            out,
            "max / mean",
            &format!("{:.3}", measured.max_over_mean),
            "",
            "",
        )?,
    }
    row(
        out,
        "relative std dev of keys",
        &format!("{:.4}", measured.rsd),
        &optional(balance.expected_rsd, |rsd| format!("{rsd:.4}")),
        match (balance.expected_rsd, report.vnodes) {
            (None, _) => "bounded by the cap instead",
            (Some(_), Some(_)) => "sqrt(1/v + (N-1)/K)",
            (Some(_), None) => "sqrt((N-1)/K), key noise only",
        },
    )?;
    row(
        out,
        "relative std dev of shares",
        &format!("{:.4}", balance.share_rsd),
        &optional(balance.expected_share_rsd, |rsd| format!("{rsd:.4}")),
        match balance.expected_share_rsd {
            Some(_) => "1/sqrt(v): each node's arcs of the ring",
            None => "the scheme's own unevenness",
        },
    )?;
    if balance.keys_per_node.len() <= MAX_LISTED_NODES {
        writeln!(out)?;
        let widest = balance
            .keys_per_node
            .iter()
            .map(|n| n.keys)
            .max()
            .unwrap_or(1)
            .max(1);
        for node in &balance.keys_per_node {
            let bar = "#".repeat((node.keys * 30 / widest) as usize);
            writeln!(
                out,
                "  {:<12}{:>10}  {:>6.2}%  {bar}",
                node.node,
                node.keys,
                100.0 * node.keys as f64 / report.keys as f64
            )?;
        }
    }

    if let Some(change) = &report.change {
        let movement = &change.movement;
        writeln!(out)?;
        let mut what = Vec::new();
        if !change.added.is_empty() {
            what.push(format!("add {}", change.added.join(", ")));
        }
        if !change.removed.is_empty() {
            what.push(format!("remove {}", change.removed.join(", ")));
        }
        heading(out, &format!("change: {}", what.join(", ")))?;
        row(
            out,
            "keys moved",
            &movement.moved.to_string(),
            &format!("{:.0}", movement.ideal_share * movement.keys as f64),
            &format!("of {}", movement.keys),
        )?;
        row(
            out,
            "share moved",
            &percent(movement.share),
            &percent(movement.ideal_share),
            "ideal: only the joining or leaving nodes' keys",
        )?;
        row(
            out,
            "modulo hashing would move",
            &percent(movement.modulo_share),
            &optional(change.modulo_expected_share, percent),
            "hash mod N on the same keys",
        )?;
        row(
            out,
            "moved between surviving nodes",
            &movement.between_survivors.to_string(),
            "0",
            "",
        )?;
        row(
            out,
            "relative std dev after",
            &format!("{:.4}", change.balance_after.rsd),
            "",
            &format!("{} nodes", change.nodes_after),
        )?;
    }

    writeln!(out)?;
    write_explanation(&report.explain, placement, out)
}

fn write_explanation(
    explain: &ExplainReport,
    placement: &dyn Placement,
    out: &mut dyn Write,
) -> Result<()> {
    let nodes = placement.nodes();
    let name = |node: NodeId| nodes[node.index()].as_str();
    writeln!(out, "explain {}", explain.key)?;
    writeln!(out, "  hash        {:#018x}", explain.hash)?;
    match &explain.why {
        Why::Ring {
            point,
            index,
            vnode,
            ..
        } => {
            writeln!(
                out,
                "  clockwise   first point at or after the hash{}: {point:#018x} (point {index})",
                explain.why.wrap_clause()
            )?;
            writeln!(out, "  vnode       {}#{}", name(vnode.node), vnode.replica)?;
        }
        Why::Jump { buckets, steps } => {
            let walk: Vec<String> = steps.iter().map(u32::to_string).collect();
            writeln!(
                out,
                "  jumps       {} (the next jump lands past {})",
                walk.join(" -> "),
                buckets - 1
            )?;
        }
        Why::Rendezvous { scores } => {
            let top: Vec<String> = top_scores(scores, 3)
                .into_iter()
                .map(|(node, score)| format!("{} {score:.6}", name(node)))
                .collect();
            writeln!(out, "  top scores  {}", top.join(", "))?;
        }
        Why::Maglev { table_size, slot } => {
            writeln!(out, "  slot        hash mod {table_size} = {slot}")?;
        }
        Why::Bounded {
            preferred,
            capacity,
            skipped,
        } => {
            writeln!(
                out,
                "  ring says   {} (cap {capacity} keys per node)",
                name(*preferred)
            )?;
            if !skipped.is_empty() {
                let full: Vec<String> = skipped
                    .iter()
                    .map(|skip| {
                        format!(
                            "{}#{} ({} keys)",
                            name(skip.vnode.node),
                            skip.vnode.replica,
                            skip.load
                        )
                    })
                    .collect();
                writeln!(out, "  full, so    walked past {}", full.join(", "))?;
            }
        }
    }
    writeln!(out, "  node        {}", explain.node)?;
    Ok(())
}
