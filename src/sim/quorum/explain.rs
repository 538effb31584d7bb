//! Each step's outcome in one line, with the numbers behind it: "stale: R=1 read replica-2
//! (v2), which missed v3 (held by replica-1)".

use super::{Client, Config, Outcome, Record, Step};

/// Names of the nodes at these flat indexes, comma-separated.
fn names(config: &Config, nodes: impl IntoIterator<Item = usize>) -> String {
    let names: Vec<String> = nodes.into_iter().map(|i| config.name(i)).collect();
    match names.is_empty() {
        true => "none".to_string(),
        false => names.join(", "),
    }
}

/// Who is on which side of a partition.
pub fn describe_partition(config: &Config) -> String {
    let side = |client: Client| {
        let nodes = (0..config.nodes()).filter(|&i| config.side(i) == client);
        format!("{} + {}", client.name(), names(config, nodes))
    };
    format!("{} | {}", side(Client::A), side(Client::B))
}

/// Why the step came out as it did.
pub fn why(record: &Record, config: &Config) -> String {
    let mut line = match record.step {
        Step::Write(client) => write(record, config, client),
        Step::Read(client) => read(record, config, client),
        _ => event(record, config),
    };
    for &(node, version) in &record.delivered {
        line.push_str(&format!("; v{version} reaches {}", config.name(node)));
    }
    for &(node, version) in &record.dropped {
        line.push_str(&format!(
            "; {} misses v{version} (unreachable)",
            config.name(node)
        ));
    }
    for &(spare, home, version) in &record.handed_off {
        line.push_str(&format!(
            "; {} hands v{version} back to {}",
            config.name(spare),
            config.name(home)
        ));
    }
    for version in &record.lost {
        line.push_str(&format!("; v{version} is lost"));
    }
    line
}

fn too_few(record: &Record, config: &Config, client: Client, needed: String) -> String {
    format!(
        "failed: {needed} but {} reaches {} ({})",
        client.name(),
        record.reachable.len(),
        names(config, record.reachable.iter().copied())
    )
}

fn write(record: &Record, config: &Config, client: Client) -> String {
    let Some(version) = record.version else {
        return too_few(record, config, client, format!("W={}", config.writes));
    };
    let quorum = names(config, record.quorum.iter().map(|&(i, _)| i));
    let mut line = format!("acked: W={} stored v{version} on {quorum}", config.writes);
    if !record.later.is_empty() {
        let later = names(config, record.later.iter().copied());
        match config.lag {
            Some(0) => line.push_str(&format!(", then on {later}")),
            Some(lag) => line.push_str(&format!("; {later} in {lag} steps")),
            None => line.push_str(&format!("; {later} never")),
        }
    }
    for &(spare, home) in &record.hinted {
        line.push_str(&format!(
            "; {} holds it for {}",
            config.name(spare),
            config.name(home)
        ));
    }
    line
}

fn replies(record: &Record, config: &Config) -> String {
    let replies: Vec<String> = record
        .quorum
        .iter()
        .map(|&(i, v)| format!("{} (v{v})", config.name(i)))
        .collect();
    replies.join(", ")
}

fn read(record: &Record, config: &Config, client: Client) -> String {
    let Some(version) = record.version else {
        return too_few(record, config, client, format!("R={}", config.reads));
    };
    let read = format!("R={} read {}", config.reads, replies(record, config));
    let latest = record.latest;
    let mut line = match record.outcome {
        Outcome::Stale if record.holders.is_empty() => {
            format!("stale: {read}; v{latest} was lost, no node holds it")
        }
        Outcome::Stale => {
            let missed = match record.quorum.len() {
                1 => "which missed",
                _ => "which all missed",
            };
            format!(
                "stale: {read}, {missed} v{latest} (held by {})",
                names(config, record.holders.iter().copied())
            )
        }
        _ if latest == 0 => format!("fresh: {read}; nothing acked yet"),
        _ => format!("fresh: {read}; v{version} is the latest acked"),
    };
    if !record.repaired.is_empty() {
        line.push_str(&format!(
            "; read repair sends v{version} to {}",
            names(config, record.repaired.iter().copied())
        ));
    }
    line
}

fn event(record: &Record, config: &Config) -> String {
    if let Some(node) = record.missing {
        return format!(
            "{} does not exist with N={} and {} spares; nothing happens",
            node.name(),
            config.replicas,
            config.spares
        );
    }
    let named = |node: super::NodeRef| node.name();
    match record.step {
        Step::Crash(node) => format!("{} crashes; its disk keeps what it stored", named(node)),
        Step::Recover(node) => format!("{} is back with what it stored", named(node)),
        Step::Wipe(node) => format!("{}'s disk is replaced by an empty one", named(node)),
        Step::Partition => format!("partition: {}", describe_partition(config)),
        Step::Heal => "the network heals".to_string(),
        Step::Write(_) | Step::Read(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::quorum::cluster::run;
    use crate::sim::quorum::{Client::*, NodeRef::Replica};

    #[test]
    fn a_stale_read_names_what_it_read_and_who_holds_the_latest() {
        // N=3, W=1, R=1, no propagation: with replica-2 and replica-3 down the write can only
        // land on replica-1; once they are back and replica-1 is down, the read misses it.
        let config = Config {
            lag: None,
            ..Config::new(3, 1, 1).unwrap()
        };
        let steps = [
            Step::Crash(Replica(1)),
            Step::Crash(Replica(2)),
            Step::Write(A),
            Step::Recover(Replica(1)),
            Step::Recover(Replica(2)),
            Step::Crash(Replica(0)),
            Step::Read(B),
        ];
        let (records, _) = run(config, 1, &steps).unwrap();
        assert_eq!(
            why(&records[2], &config),
            "acked: W=1 stored v1 on replica-1"
        );
        let read = why(&records[6], &config);
        assert!(
            read.starts_with("stale: R=1 read replica-")
                && read.ends_with("(v0), which missed v1 (held by replica-1)"),
            "{read}"
        );
        assert_eq!(
            describe_partition(&config),
            "client A + replica-1, spare-1, spare-2 | client B + replica-2, replica-3"
        );
    }
}
