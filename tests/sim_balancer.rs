//! `sysdeck sim balancer` on the real binary: the report, its JSON, the figures theory expects,
//! slow and failing servers, and arguments out of range.

#[path = "support/sim.rs"]
mod sim;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use sim::number;

fn balancer(args: &[&str]) -> Command {
    sim::sim("balancer", args)
}

fn json(args: &[&str]) -> Value {
    sim::json("balancer", args)
}

/// The report of one algorithm, by its command-line name.
fn algo<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["algorithms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["algo"] == name)
        .unwrap_or_else(|| panic!("{name} in {report}"))
}

#[test]
fn the_default_run_compares_every_algorithm_against_theory() {
    balancer(&["--requests", "20000"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "load balancing: 8 servers at 90% utilisation, 20000 requests, seed 42",
        ))
        .stdout(predicate::str::contains("offered 720.0 requests/s"))
        .stdout(predicate::str::contains("  two choices "))
        .stdout(predicate::str::contains(
            "M/M/1 per server: 1/(mu - lambda/N)",
        ))
        .stdout(predicate::str::contains("rho^(2^i - 1), as N grows"))
        .stdout(predicate::str::contains("per-server load"))
        .stderr(predicate::str::is_empty());
}

#[test]
fn json_gives_percentiles_servers_and_expectations() {
    let report = json(&[
        "--requests",
        "30000",
        "--algos",
        "random,two-choices,bounded",
    ]);
    let names: Vec<&str> = report["algorithms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["algo"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["random", "two-choices", "bounded"]);
    assert_eq!(report["shape"]["requests"], 30000);
    assert_eq!(report["fleet"]["servers"], 8);
    assert!((number(&report["offered_per_second"]) - 720.0).abs() < 1e-6);
    for name in names {
        let a = algo(&report, name);
        let l = &a["latency"];
        let p: Vec<f64> = ["p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns"]
            .iter()
            .map(|k| number(&l[k]))
            .collect();
        assert!(p.is_sorted(), "{name}: percentiles rise: {p:?}");
        assert_eq!(a["completed"], 30000);
        assert_eq!(a["servers"].as_array().unwrap().len(), 8);
        let sent: u64 = a["servers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["requests"].as_u64().unwrap())
            .sum();
        assert_eq!(sent, 30000);
    }
    // Random: the M/M/1 mean at 90% is 10ms / (1 - 0.9) = 100ms.
    let expected = report["expected"].as_array().unwrap();
    let mean = expected
        .iter()
        .find(|e| e["algo"] == "random" && e["measure"] == "mean time in system, ms")
        .unwrap();
    assert!((number(&mean["expected"]) - 100.0).abs() < 1e-9);
    assert!(
        (number(&mean["measured"]) / 100.0 - 1.0).abs() < 0.15,
        "{mean}"
    );
    let bound = expected.iter().find(|e| e["algo"] == "bounded").unwrap();
    assert!(number(&bound["measured"]) <= 1.0, "{bound}");
}

#[test]
fn the_same_seed_gives_the_same_report_and_another_seed_another() {
    let run = |seed: &str| {
        balancer(&["--requests", "5000", "--seed", seed, "--json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    assert_eq!(run("7"), run("7"));
    assert_ne!(run("7"), run("8"));
}

#[test]
fn theory_is_left_out_where_its_assumptions_fail() {
    let report = json(&[
        "--requests",
        "5000",
        "--service",
        "bimodal",
        "--algos",
        "random",
    ]);
    assert_eq!(report["expected"].as_array().unwrap().len(), 0);
    balancer(&["--requests", "5000", "--slow", "1", "--algos", "random"])
        .assert()
        .success()
        .stdout(predicate::str::contains("against theory").not())
        .stdout(predicate::str::contains("1 slow (4x), 7 normal"))
        .stdout(predicate::str::contains("~s0"));
}

#[test]
fn a_failing_server_costs_errors_and_least_connections_draws_its_traffic() {
    // Refused requests come back at once, so a down server looks idle to least connections,
    // which sends it more than twice random's share until the health checks take it out.
    let report = json(&[
        "--requests",
        "30000",
        "--failing",
        "1",
        "--algos",
        "random,least-connections",
    ]);
    let random = algo(&report, "random");
    let least = algo(&report, "least-connections");
    let errors = |a: &Value| a["errors"].as_u64().unwrap();
    assert!(errors(random) > 0, "{random}");
    assert!(errors(least) > 2 * errors(random), "{least} / {random}");
    assert!(random["removals"].as_u64().unwrap() >= 1);
    assert_eq!(random["servers"][0]["kind"], "failing");
    // Hanging instead: the outstanding requests pile up on the down server and least
    // connections steers away from it.
    let hanging = json(&[
        "--requests",
        "30000",
        "--failing",
        "1",
        "--failure",
        "timeout",
        "--algos",
        "least-connections",
    ]);
    assert!(errors(algo(&hanging, "least-connections")) < errors(least));
}

#[test]
fn an_overloaded_fleet_is_named() {
    balancer(&[
        "--requests",
        "2000",
        "--utilisation",
        "1.2",
        "--algos",
        "round-robin",
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains(
        "more is offered than the fleet can serve",
    ));
}

#[test]
fn a_large_fleet_gets_a_summary_per_algorithm() {
    balancer(&[
        "--requests",
        "3000",
        "--servers",
        "40",
        "--algos",
        "two-choices",
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains(
        "per-server load: fewest..most requests",
    ));
}

#[test]
fn bad_arguments_are_refused_with_a_reason() {
    for (args, reason) in [
        (&["--servers", "0"][..], "0 is not in 1..=1000"),
        (&["--utilisation", "3"], "from 0.01 to 1.5"),
        (&["--utilization", "inf"], "from 0.01 to 1.5"),
        (&["--algos", "fastest"], "possible values"),
        (&["--mean-service", "1h"], "from 1us to 10s"),
        (&["--check-interval", "5us"], "1ms or longer"),
        (&["--requests", "3000000"], "not in 1..=2000000"),
        (
            &["--slow", "5", "--failing", "4"],
            "do not fit in a fleet of 8",
        ),
        (&["--outage", "40s"], "must be shorter than its period"),
        (&["--epsilon", "0"], "above zero"),
    ] {
        balancer(args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(reason));
    }
    balancer(&[
        "--failing",
        "1",
        "--check-interval",
        "1ms",
        "--utilisation",
        "0.01",
        "--mean-service",
        "10s",
    ])
    .assert()
    .failure()
    .stderr(predicate::str::contains("rounds of health checks"));
}
