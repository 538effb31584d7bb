//! `sysdeck sim cache` on the real binary: the report, its JSON, the figures theory expects,
//! and trace files that are missing, special, huge or malformed.

#[path = "support/sim.rs"]
mod sim;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use sim::number;

fn cache(args: &[&str]) -> Command {
    sim::sim("cache", args)
}

fn json(args: &[&str]) -> Value {
    sim::json("cache", args)
}

/// The report of each policy, by its command-line name.
fn policy<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["policy"] == name)
        .unwrap_or_else(|| panic!("{name} in {report}"))
}

#[test]
fn the_default_run_prints_every_policy_beside_its_expectation() {
    cache(&[])
        .assert()
        .success()
        .stdout(predicate::str::contains("cache eviction, capacity 100"))
        .stdout(predicate::str::contains("Zipf over 1000 keys, skew 0.9"))
        .stdout(predicate::str::contains(
            "100000 requests, 1000 distinct keys, seed 42",
        ))
        .stdout(predicate::str::contains("Che's approximation"))
        .stdout(predicate::str::contains("the bound: no policy hits more"))
        .stdout(predicate::str::contains(
            "hit ratio over time, % per 10000 requests",
        ))
        .stdout(predicate::str::contains("2Q   2Q (full version)"))
        .stderr(predicate::str::is_empty());
}

#[test]
fn json_gives_counts_ratios_windows_and_expectations() {
    let report = json(&["--length", "50000", "--windows", "5"]);
    assert_eq!(report["capacity"], 100);
    assert_eq!(report["trace"]["requests"], 50000);
    assert_eq!(report["trace"]["skew"], 0.9);
    assert_eq!(report["window"], 10000);
    let names: Vec<&str> = report["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["policy"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["opt", "lru", "fifo", "lfu", "arc", "2q"]);
    let opt = number(&policy(&report, "opt")["hit_ratio"]);
    for p in report["policies"].as_array().unwrap() {
        let (hits, misses) = (p["hits"].as_u64().unwrap(), p["misses"].as_u64().unwrap());
        assert_eq!(hits + misses, 50000);
        assert!(number(&p["hit_ratio"]) <= opt, "{p}");
        assert_eq!(p["window_hit_ratios"].as_array().unwrap().len(), 5);
    }
    // Che's approximation is within a point of LRU on a long Zipf trace (Fricker, Robert &
    // Roberts, ITC 2012, find it accurate for Zipf popularity); the FIFO form likewise.
    for name in ["lru", "fifo"] {
        let p = policy(&report, name);
        assert_eq!(p["expected"]["relation"], "about");
        let (measured, expected) = (number(&p["hit_ratio"]), number(&p["expected"]["hit_ratio"]));
        assert!(
            (measured - expected).abs() < 0.01,
            "{name}: {measured} vs {expected}"
        );
    }
    assert_eq!(policy(&report, "arc")["expected"]["relation"], "at-most");
    let top = number(&report["top_keys_share"]);
    assert!(top > number(&policy(&report, "lru")["hit_ratio"]) && top < opt);
}

#[test]
fn a_loop_longer_than_the_cache_is_expected_to_never_hit_lru() {
    let report = json(&[
        "--trace",
        "loop",
        "--keys",
        "12",
        "--capacity",
        "10",
        "--length",
        "120",
    ]);
    let lru = policy(&report, "lru");
    assert_eq!(lru["hits"], 0);
    assert_eq!(lru["expected"]["relation"], "exactly");
    assert_eq!(number(&lru["expected"]["hit_ratio"]), 0.0);
    assert!(report["trace"]["seed"].is_null());
    assert!(policy(&report, "opt")["hits"].as_u64().unwrap() > 0);
}

#[test]
fn with_room_for_every_key_only_cold_misses_are_expected() {
    let report = json(&[
        "--keys",
        "50",
        "--capacity",
        "50",
        "--length",
        "1000",
        "--policies",
        "lru,arc",
    ]);
    for name in ["lru", "arc"] {
        let p = policy(&report, name);
        assert_eq!(p["misses"], report["trace"]["distinct"]);
        assert_eq!(p["expected"]["relation"], "exactly");
        assert_eq!(number(&p["expected"]["hit_ratio"]), number(&p["hit_ratio"]));
    }
}

#[test]
fn policies_are_chosen_in_order_once_each() {
    let report = json(&["--policies", "fifo,lru,fifo", "--length", "1000"]);
    assert_eq!(report["policies"].as_array().unwrap().len(), 2);
    assert_eq!(report["policies"][0]["policy"], "fifo");
    // Without OPT in the list its bound is still worked out for the others.
    assert_eq!(report["policies"][1]["expected"]["relation"], "about");
}

#[test]
fn the_same_seed_gives_the_same_numbers() {
    let run = |seed: &str| json(&["--length", "5000", "--seed", seed]);
    assert_eq!(run("7"), run("7"));
    assert_ne!(run("7")["policies"], run("8")["policies"]);
}

#[test]
fn trace_files_are_read_one_key_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trace.txt");
    // The anomaly string of Belady, Nelson & Shedler (1969): FIFO hits 3 times with 3 slots.
    std::fs::write(&path, "# keys\n1\n2\n3\n4\n1\n2\n5\n1\n2\n3\n4\n5\n").unwrap();
    let path = path.to_str().unwrap();
    let report = json(&[
        "--trace",
        path,
        "--capacity",
        "3",
        "--policies",
        "fifo,lru,opt",
    ]);
    assert_eq!(report["trace"]["source"], path);
    assert_eq!(report["trace"]["requests"], 12);
    assert_eq!(report["trace"]["distinct"], 5);
    assert_eq!(policy(&report, "fifo")["hits"], 3);
    assert_eq!(policy(&report, "lru")["hits"], 2);
    assert_eq!(policy(&report, "opt")["hits"], 5);
}

/// Runs with `--trace path` and returns the error it fails with.
fn failure(path: &Path) -> String {
    sim::failure("cache", "--trace", path)
}

#[test]
fn a_missing_trace_names_the_shapes() {
    let err = failure(Path::new("zpif"));
    assert!(err.contains("cannot read trace file zpif"), "{err}");
    assert!(err.contains("zipf, scan, loop"), "{err}");
}

#[test]
fn folders_fifos_and_devices_are_refused_at_once() {
    sim::refuses_special_files("cache", "--trace", "trace");
}

#[test]
fn a_huge_trace_file_is_refused_unread() {
    sim::refuses_huge_files("cache", "--trace");
}

#[test]
fn malformed_traces_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "escape",
            b"a\nb\x1b[2J\n",
            "line 2: a key may not hold control characters",
        ),
        (
            "long",
            &[b'k'; 300],
            "line 1: a key of 300 bytes, over the 256-byte limit",
        ),
        ("empty", b"\n# nothing\n\n", "the trace lists no keys"),
        ("binary", b"a\n\xff\xfe\n", "cannot read trace file"),
    ];
    for (name, bytes, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = failure(&path);
        assert!(err.contains(message), "{name}: {err}");
        assert!(
            !err.contains('\u{1b}'),
            "{name}: the error never echoes the key"
        );
    }
}

#[test]
fn bad_flags_are_refused() {
    for bad in [
        &["--capacity", "0"][..],
        &["--policies", "clock"],
        &["--skew", "-0.5"],
        &["--length", "3000000"],
        &["--windows", "0"],
    ] {
        cache(bad)
            .assert()
            .failure()
            .stderr(predicate::str::contains("error"));
    }
}

#[test]
fn a_file_named_with_an_escape_sequence_is_reported_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trace\u{1b}[31m.txt");
    std::fs::write(&path, "a\nb\na\n").unwrap();
    let out = cache(&["--policies", "lru"])
        .arg("--trace")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("keys read from"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
}
