//! `sysdeck sim KIND ARGS` on the real binary, for the tests of each simulation's command.

#[path = "fifo.rs"]
mod fifo;

use std::path::Path;
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
#[allow(
    dead_code,
    reason = "the ring and limiter tests read figures by JSON pointer"
)]
pub fn number(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("a number: {value}"))
}

/// `sysdeck sim KIND FLAG PATH`, which must fail; its error output.
#[allow(dead_code, reason = "only the simulations that read a file use it")]
pub fn failure(kind: &str, flag: &str, path: &Path) -> String {
    let out = sim(kind, &[flag]).arg(path).output().unwrap();
    assert!(!out.status.success(), "{}", path.display());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A folder, a FIFO (named `name`) and a device given as the file to read: each is refused
/// at once as not a regular file, where reading a FIFO would hang.
#[allow(dead_code, reason = "only the simulations that read a file use it")]
pub fn refuses_special_files(kind: &str, flag: &str, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join(name);
    fifo::make(&fifo);
    for path in [dir.path(), fifo.as_path(), Path::new("/dev/zero")] {
        let err = failure(kind, flag, path);
        assert!(err.contains("not a regular file"), "{err}");
    }
}

/// A 64 MiB file given as the file to read is refused unread, over the 16 MiB bound.
#[allow(dead_code, reason = "only the simulations that read a file use it")]
pub fn refuses_huge_files(kind: &str, flag: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(64 * 1024 * 1024).unwrap();
    let err = failure(kind, flag, &path);
    assert!(err.contains("over the 16777216-byte limit"), "{err}");
}
