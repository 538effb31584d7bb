//! `sysdeck sim KIND ARGS` on the real binary, for the tests of each simulation's command.

use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// The command, given a minute to finish.
pub fn sim(kind: &str, args: &[&str]) -> Command {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("sysdeck");
    command
        .args(["sim", kind])
        .args(args)
        .timeout(Duration::from_secs(60));
    command
}

/// The command's `--json` report, which it must print successfully.
pub fn json(kind: &str, args: &[&str]) -> Value {
    let output = sim(kind, args)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&output).expect("--json prints JSON")
}

/// A figure of the report, which must be a number.
pub fn number(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("a number: {value}"))
}
