//! Failures exit with the status `sysdeck --help` documents, and print their whole chain of
//! causes: 1 a failed command, 2 a wrong command line, 3 a progress database another sysdeck is
//! writing, 4 a data directory or database that cannot be used.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

const DEMO: &str = "tests/packs/demo";

fn sysdeck(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("SYSDECK_DATA_DIR")
        .env_remove("SYSDECK_NOW");
    cmd
}

#[test]
fn the_help_documents_every_exit_status() {
    let out = Command::cargo_bin("sysdeck")
        .unwrap()
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let status = help.split("Exit status:").nth(1).expect(&help);
    for code in ["0", "1", "2", "3", "4"] {
        assert!(
            status
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{code}  "))),
            "{help}"
        );
    }
}

#[test]
fn a_data_directory_that_cannot_be_created_exits_4_with_its_cause() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "not a folder").unwrap();
    sysdeck(&file.join("data"))
        .arg("settings")
        .assert()
        .code(4)
        .stderr(
            predicate::str::contains("cannot use the data directory")
                .and(predicate::str::contains("it cannot be created"))
                // The operating system's own words, from the chain of causes.
                .and(predicate::str::contains("Not a directory")),
        );
}

#[test]
fn a_data_directory_that_is_a_file_exits_4() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "not a folder").unwrap();
    sysdeck(&file)
        .args(["stats", "--no-builtin", "--pack", DEMO])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("it is not a directory"));
}

#[test]
fn a_damaged_database_exits_4() {
    let data = tempfile::tempdir().unwrap();
    fs::write(
        data.path().join("sysdeck.db"),
        "this is not a database at all",
    )
    .unwrap();
    sysdeck(data.path())
        .args(["quiz", "history"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("is damaged"));
}

#[test]
fn a_database_another_program_is_writing_exits_3() {
    let data = tempfile::tempdir().unwrap();
    sysdeck(data.path()).arg("settings").assert().success();
    let mut other = rusqlite::Connection::open(data.path().join("sysdeck.db")).unwrap();
    let lock = other
        .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)
        .unwrap();
    // Changing a setting must write, and waits out the store's busy timeout first.
    sysdeck(data.path())
        .args(["settings", "--new-per-day", "5"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("another sysdeck is writing"));
    lock.rollback().unwrap();
}

#[test]
fn a_failed_command_exits_1() {
    let data = tempfile::tempdir().unwrap();
    sysdeck(data.path())
        .args([
            "review",
            "--no-builtin",
            "--pack",
            DEMO,
            "--pack-id",
            "nope",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no loaded pack has the id `nope`"));
}
