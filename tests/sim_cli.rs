//! `sysdeck sim` on the real binary: the reports, their JSON, and the errors for bad flags.

#[path = "support/sim.rs"]
mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// `sysdeck sim ARGS`: the kind is the first argument.
fn sim(args: &[&str]) -> Command {
    support::sim(args[0], &args[1..])
}

fn json(args: &[&str]) -> Value {
    support::json(args[0], &args[1..])
}

fn number(value: &Value, pointer: &str) -> f64 {
    value
        .pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("{pointer} is a number in {value}"))
}

#[test]
fn ring_alone_prints_a_report() {
    sim(&["ring"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "consistent hash ring with virtual nodes",
        ))
        .stdout(predicate::str::contains(
            "10 nodes x 100 vnodes, 100000 keys, seed 42",
        ))
        .stdout(predicate::str::contains("relative std dev of keys"))
        .stdout(predicate::str::contains("sqrt(1/v + (N-1)/K)"))
        .stdout(predicate::str::contains("explain key-99999"))
        .stderr(predicate::str::is_empty());
}

#[test]
fn ring_json_reports_balance_and_movement() {
    let report = json(&[
        "ring", "--nodes", "20", "--vnodes", "400", "--keys", "50000", "--add", "1",
    ]);
    assert_eq!(report["algo"], "ring");
    assert_eq!(
        report["balance"]["keys_per_node"].as_array().unwrap().len(),
        20
    );
    let rsd = number(&report, "/balance/rsd");
    let expected = number(&report, "/balance/expected_rsd");
    assert!((rsd / expected - 1.0).abs() < 0.4, "{rsd} vs {expected}");
    assert_eq!(number(&report, "/change/ideal_share"), 1.0 / 21.0);
    let share = number(&report, "/change/share");
    assert!((share * 21.0 - 1.0).abs() < 0.3, "{share}");
    assert_eq!(number(&report, "/change/between_survivors"), 0.0);
    assert!(number(&report, "/change/modulo_share") > 0.9);
    let modulo_expected = number(&report, "/change/modulo_expected_share");
    assert!((modulo_expected - 20.0 / 21.0).abs() < 1e-12);
    assert_eq!(report["change"]["added"][0], "node-20");
    assert_eq!(report["explain"]["key"], "key-49999");
    assert_eq!(report["explain"]["why"]["scheme"], "ring");
    assert!(report["explain"]["hash"].is_u64());
}

#[test]
fn every_scheme_runs_and_explains() {
    for (algo, scheme_line) in [
        ("ring", "vnode"),
        ("jump", "jumps"),
        ("rendezvous", "top scores"),
        ("maglev", "hash mod 65537"),
        ("bounded", "ring says"),
    ] {
        sim(&["ring", "--algo", algo, "--keys", "2000"])
            .assert()
            .success()
            .stdout(predicate::str::contains(scheme_line));
    }
}

#[test]
fn bounded_loads_respect_the_cap() {
    let report = json(&[
        "ring",
        "--algo",
        "bounded",
        "--vnodes",
        "3",
        "--epsilon",
        "0.1",
        "--keys",
        "10000",
    ]);
    assert_eq!(number(&report, "/balance/max_load"), 1100.0);
    assert!(number(&report, "/balance/max") <= 1100.0);
    assert_eq!(number(&report, "/epsilon"), 0.1);
}

#[test]
fn removing_a_jump_bucket_shows_the_renumbering_cost() {
    sim(&["ring", "--algo", "jump", "--remove", "node-3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("change: remove node-3"))
        .stdout(predicate::str::contains("moved between surviving nodes"));
}

#[test]
fn limiter_alone_prints_a_report() {
    sim(&["limiter"])
        .assert()
        .success()
        .stdout(predicate::str::contains("token bucket"))
        .stdout(predicate::str::contains("capacity 10, 1 token every 100ms"))
        .stdout(predicate::str::contains("bursts of 20 every 2s for 10s"))
        .stdout(predicate::str::contains("max admitted in any 1s"))
        .stdout(predicate::str::contains("tokens"));
}

#[test]
fn fixed_window_shows_the_double_burst_and_sliding_log_does_not() {
    let args = [
        "limiter",
        "--traffic",
        "boundary",
        "--limit",
        "10",
        "--window",
        "1s",
    ];
    let fixed = json(&[&args[..], &["--algo", "fixed-window"]].concat());
    assert_eq!(number(&fixed, "/max_in_window"), 20.0);
    assert_eq!(number(&fixed, "/max_in_window_bound"), 20.0);
    let log = json(&[&args[..], &["--algo", "sliding-log"]].concat());
    assert_eq!(number(&log, "/max_in_window"), 10.0);
}

#[test]
fn leaky_queue_reports_delay() {
    let report = json(&[
        "limiter",
        "--algo",
        "leaky-queue",
        "--rate",
        "5",
        "--burst",
        "4",
        "--traffic",
        "bursty",
    ]);
    assert_eq!(number(&report, "/quota/limit"), 4.0);
    assert_eq!(number(&report, "/quota/window_ns"), 800_000_000.0);
    assert!(number(&report, "/queued") > 0.0);
    assert!(number(&report, "/max_delay_ns") <= number(&report, "/max_delay_bound_ns"));
    assert!(number(&report, "/mean_delay_ns") > 0.0);
    sim(&["limiter", "--algo", "leaky-queue"])
        .assert()
        .success()
        .stdout(predicate::str::contains("queue delay, max"));
}

#[test]
fn every_algorithm_runs_on_every_pattern() {
    for algo in [
        "token-bucket",
        "leaky-queue",
        "leaky-meter",
        "fixed-window",
        "sliding-log",
        "sliding-counter",
        "gcra",
    ] {
        for traffic in ["steady", "bursty", "poisson", "boundary"] {
            let report = json(&[
                "limiter",
                "--algo",
                algo,
                "--traffic",
                traffic,
                "--duration",
                "3s",
            ]);
            assert_eq!(report["algo"], algo);
            let (offered, admitted) = (number(&report, "/offered"), number(&report, "/admitted"));
            assert_eq!(admitted + number(&report, "/rejected"), offered);
            assert!(number(&report, "/max_in_window") <= number(&report, "/max_in_window_bound"));
        }
    }
}

#[test]
fn runs_are_repeatable_by_seed() {
    let run = |seed: &str| json(&["limiter", "--traffic", "poisson", "--seed", seed]);
    assert_eq!(run("7"), run("7"));
    assert_ne!(run("7")["offered"], run("8")["offered"]);
    let ring = |seed: &str| json(&["ring", "--keys", "1000", "--seed", seed]);
    assert_eq!(ring("1"), ring("1"));
    assert_ne!(ring("1")["balance"], ring("2")["balance"]);
}

#[test]
fn traffic_scripts_are_read_from_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("times.txt");
    std::fs::write(&path, "# three at once, then one late\n0\n0\n0\n2.5s\n").unwrap();
    let path = path.to_str().unwrap();
    let report = json(&[
        "limiter",
        "--algo",
        "fixed-window",
        "--limit",
        "2",
        "--traffic",
        path,
    ]);
    assert_eq!(number(&report, "/offered"), 4.0);
    assert_eq!(number(&report, "/admitted"), 3.0);
    assert_eq!(report["traffic"]["source"], path);

    std::fs::write(dir.path().join("bad.txt"), "0\nsoon\n").unwrap();
    sim(&[
        "limiter",
        "--traffic",
        dir.path().join("bad.txt").to_str().unwrap(),
    ])
    .assert()
    .failure()
    .stderr(predicate::str::contains(
        "bad.txt: line 2: `soon` is not a number",
    ));
}

/// The reproduction: 1 per 100ms, requests at 0 and 150ms. At 150ms the sliding
/// counter's estimate is 1 x 0.5 + 0 = 0.5, below the limit, so both get through.
#[test]
fn sliding_counter_admits_while_the_estimate_is_below_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("times.txt");
    std::fs::write(&path, "0\n150ms\n").unwrap();
    let report = json(&[
        "limiter",
        "--algo",
        "sliding-counter",
        "--limit",
        "1",
        "--window",
        "100ms",
        "--traffic",
        path.to_str().unwrap(),
    ]);
    assert_eq!(number(&report, "/admitted"), 2.0);
    assert_eq!(number(&report, "/rejected"), 0.0);
}

#[test]
fn a_missing_traffic_file_names_the_patterns() {
    sim(&["limiter", "--traffic", "stedy"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot read traffic file stedy"))
        .stderr(predicate::str::contains(
            "steady, bursty, poisson, boundary",
        ));
}

#[test]
fn bad_flags_are_refused_with_a_reason() {
    for (args, reason) in [
        (
            &["ring", "--algo", "modulo"][..],
            "possible values: ring, jump, rendezvous, maglev, bounded",
        ),
        (&["ring", "--nodes", "0"], "0 is not in 1..=10000"),
        (
            &["ring", "--add", "1", "--remove", "node-1"],
            "cannot be used with",
        ),
        (&["ring", "--remove", "node-99"], "no node named `node-99`"),
        (
            &["ring", "--algo", "jump", "--vnodes", "10"],
            "jump has no virtual nodes",
        ),
        (
            &["ring", "--epsilon", "0.5"],
            "--epsilon applies to --algo bounded only",
        ),
        (
            &["ring", "--algo", "bounded", "--epsilon", "-1"],
            "must be a number above zero",
        ),
        (
            &["ring", "--nodes", "5000", "--vnodes", "5000"],
            "ring points",
        ),
        (
            &["limiter", "--algo", "token"],
            "possible values: token-bucket",
        ),
        (
            &["limiter", "--limit", "5", "--rate", "2", "--burst", "3"],
            "cannot be used with",
        ),
        (&["limiter", "--rate", "2"], "--burst <B>"),
        (&["limiter", "--window", "1"], "has no unit"),
        (&["limiter", "--duration", "0s"], "must be longer than zero"),
        (
            &["limiter", "--limit", "10", "--window", "5ns"],
            "shorter than one nanosecond per request",
        ),
        (
            &[
                "limiter",
                "--limit",
                "100000",
                "--window",
                "1ms",
                "--traffic",
                "steady",
                "--duration",
                "1h",
            ],
            "shorten --duration",
        ),
    ] {
        sim(args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(reason));
    }
}
