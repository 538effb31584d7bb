//! `sysdeck sim quorum` on the real binary: the report, its JSON, the figures the quorum laws
//! expect, and script files that are missing, special, huge or malformed.

#[path = "support/sim.rs"]
mod sim;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use sim::number;

fn quorum(args: &[&str]) -> Command {
    sim::sim("quorum", args)
}

fn json(args: &[&str]) -> Value {
    sim::json("quorum", args)
}

#[test]
fn the_default_run_reports_outcomes_beside_the_laws() {
    quorum(&[])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "quorum replication: N=3, R=2, W=2, 2 spares; strict quorum, read repair off",
        ))
        .stdout(predicate::str::contains(
            "R + W = 4 > N = 3: every read set meets every write set",
        ))
        .stdout(predicate::str::contains(
            "timeline: 10000 generated steps, 50.00% writes, 0.00% faults, seed 42",
        ))
        .stdout(predicate::str::is_match(r"stale: older than the latest acked\s+0\s+0").unwrap())
        .stdout(predicate::str::contains("Bailis et al. 2012"));
}

#[test]
fn json_counts_every_step_and_the_pbs_trials() {
    let report = json(&["-R", "1", "-W", "1", "--steps", "2000", "--trials", "5000"]);
    let tally = &report["tally"];
    let total: u64 = [
        "acked",
        "write_failed",
        "fresh",
        "stale",
        "read_failed",
        "events",
    ]
    .iter()
    .map(|k| tally[k].as_u64().unwrap())
    .sum();
    assert_eq!(total, 2000);
    assert_eq!(report["config"]["reads"], 1);
    assert_eq!(report["reads_overlap_writes"], false);
    assert_eq!(report["expected_stale"], Value::Null);
    assert!(tally["stale"].as_u64().unwrap() > 0, "R=1 W=1 reads stale");
    // N=3, R=1, W=1: C(2,1)/C(3,1) = 2/3; 5,000 trials put the share within 0.03 of it.
    let pbs = &report["pbs"];
    assert!((number(&pbs["expected"]) - 2.0 / 3.0).abs() < 1e-12);
    assert!((number(&pbs["measured"]) - 2.0 / 3.0).abs() < 0.03, "{pbs}");
}

#[test]
fn overlapping_strict_quorums_read_no_stale_value_even_with_faults() {
    let report = json(&["--faults", "0.1", "--lag", "never", "--steps", "5000"]);
    assert_eq!(report["expected_stale"], 0);
    assert_eq!(report["tally"]["stale"], 0);
    assert!(report["tally"]["write_failed"].as_u64().unwrap() > 0);
}

#[test]
fn the_same_seed_gives_the_same_numbers() {
    let args = ["--faults", "0.05", "--sloppy", "--steps", "3000"];
    assert_eq!(json(&args), json(&args));
    let mut other = args.to_vec();
    other.extend(["--seed", "7"]);
    assert_ne!(json(&args)["tally"], json(&other)["tally"]);
}

#[test]
fn a_script_shows_a_sloppy_quorum_reading_stale() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("partition.txt");
    std::fs::write(
        &path,
        "# A writes during a partition; B reads the other side\npartition\nwrite a\nread b\nheal\nread b\n",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let sloppy = json(&["--script", path, "--sloppy", "--lag", "0"]);
    assert_eq!(sloppy["timeline"]["steps"], 5);
    assert_eq!(sloppy["tally"]["acked"], 1);
    assert_eq!(sloppy["tally"]["stale"], 1);
    assert_eq!(sloppy["tally"]["fresh"], 1);
    assert_eq!(sloppy["expected_stale"], Value::Null);
    let strict = json(&["--script", path, "--lag", "0"]);
    assert_eq!(strict["tally"]["write_failed"], 1);
    assert_eq!(strict["tally"]["stale"], 0);
    quorum(&["--script", path, "--sloppy"])
        .assert()
        .success()
        .stdout(predicate::str::contains("timeline: 5 steps from"))
        .stdout(predicate::str::contains(
            "a sloppy quorum can miss even with R + W > N",
        ));
}

#[test]
fn a_wiped_disk_loses_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wipe.txt");
    std::fs::write(
        &path,
        "crash replica-2\ncrash replica-3\nwrite a\nwipe replica-1\nrecover replica-2\nrecover replica-3\nread b\n",
    )
    .unwrap();
    let report = json(&["-R", "1", "-W", "1", "--script", path.to_str().unwrap()]);
    assert_eq!(report["tally"]["lost"], 1);
    assert_eq!(report["tally"]["stale"], 1);
    assert_eq!(report["expected_lost"], Value::Null);
}

/// Runs with `--script path` and returns the error it fails with.
fn failure(path: &Path) -> String {
    sim::failure("quorum", "--script", path)
}

#[test]
fn a_missing_script_says_what_it_takes() {
    let err = failure(Path::new("no-such-script.txt"));
    assert!(
        err.contains("cannot read script no-such-script.txt"),
        "{err}"
    );
    assert!(err.contains("one step a line"), "{err}");
}

#[test]
fn folders_fifos_and_devices_are_refused_at_once() {
    sim::refuses_special_files("quorum", "--script", "script");
}

#[test]
fn a_huge_script_is_refused_unread() {
    sim::refuses_huge_files("quorum", "--script");
}

#[test]
fn malformed_scripts_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 6] = [
        (
            "escape",
            b"write a\nread \x1b[2J\n",
            "line 2: a step may not hold control characters",
        ),
        ("long", &[b'w'; 300], "line 1: over 200 bytes"),
        (
            "unknown",
            b"write a\nwrite c\n",
            "line 2: `write c` is not a step",
        ),
        (
            "node",
            b"crash replica-9\n",
            "line 1: no node `replica-9` (replica-1..replica-3, spare-1..spare-2)",
        ),
        ("empty", b"\n# nothing\n\n", "the script lists no steps"),
        ("binary", b"write a\n\xff\xfe\n", "cannot read script"),
    ];
    for (name, bytes, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = failure(&path);
        assert!(err.contains(message), "{name}: {err}");
        assert!(!err.contains('\u{1b}'), "{name}: no raw escape in {err}");
    }
}

#[test]
fn bad_flags_are_refused() {
    for bad in [
        &["-N", "0"][..],
        &["-N", "21"],
        &["-R", "4"],
        &["-W", "0"],
        &["--spares", "11"],
        &["--lag", "-1"],
        &["--lag", "soon"],
        &["--faults", "2"],
        &["--write-share", "-0.1"],
        &["--steps", "0"],
        &["--trials", "2000000"],
        &["--script", "x.txt", "--faults", "0.1"],
    ] {
        quorum(bad)
            .assert()
            .failure()
            .stderr(predicate::str::contains("error").or(predicate::str::contains("R must be")));
    }
}

#[test]
fn a_script_named_with_an_escape_sequence_is_reported_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("script\u{1b}[31m.txt");
    std::fs::write(&path, "write a\nread b\n").unwrap();
    let out = quorum(&[]).arg("--script").arg(&path).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("timeline: 2 steps from"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
}
