//! The binary on a data directory, and a review history brought in as a learner would.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

/// `sysdeck --data-dir DATA`, the environment's data directory ignored.
pub fn sysdeck(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("SYSDECK_DATA_DIR");
    cmd
}

/// Imports one review each of `n` built-in cards, `system-design/card-0` onwards, and leaves
/// the database closed (no `-wal` or `-shm` beside it).
pub fn import_reviews(data: &Path, n: usize) {
    let input = data.with_extension("jsonl");
    let rows: String = (0..n)
        .map(|i| format!("{{\"item\":\"system-design/card-{i}\",\"at\":\"2026-01-05T09:{:02}:00Z\",\"grade\":3,\"kind\":\"new\",\"elapsed_days\":0,\"scheduled_days\":0,\"duration_ms\":4000}}\n", i % 60))
        .collect();
    fs::write(&input, rows).unwrap();
    sysdeck(data)
        .args(["progress", "import"])
        .arg(&input)
        .assert()
        .success();
    assert!(!data.join("sysdeck.db-wal").exists());
}
