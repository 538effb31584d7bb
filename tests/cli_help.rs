//! Every command's `--help` offers exactly the shared options that command uses: where the data
//! and packs come from, the clock, and the app's own switches. Walks clap's command tree, so a
//! command added without a row here fails until it is classified.

use std::collections::BTreeSet;

use assert_cmd::Command;
use clap::CommandFactory;
use predicates::prelude::*;
use sysdeck::cli::Cli;

/// The options that may also be given before a command.
const SHARED: [&str; 7] = [
    "data-dir",
    "cache-dir",
    "pack",
    "no-builtin",
    "now",
    "no-mouse",
    "watch",
];

const APP: &[&str] = &[
    "data-dir",
    "cache-dir",
    "pack",
    "no-builtin",
    "now",
    "no-mouse",
    "watch",
];
const LEARNER: &[&str] = &["data-dir", "cache-dir", "pack", "no-builtin", "now"];
const LIBRARY: &[&str] = &["data-dir", "cache-dir", "pack", "no-builtin"];
const STORE: &[&str] = &["data-dir", "now"];
const DATA: &[&str] = &["data-dir"];
const NONE: &[&str] = &[];

/// Each command, by its path, and the shared options it takes.
const EXPECTED: &[(&str, &[&str])] = &[
    ("", APP),
    ("pack", NONE),
    ("pack check", &["data-dir", "pack", "no-builtin", "watch"]),
    ("pack new", NONE),
    ("pack list", LIBRARY),
    ("pack ids", LIBRARY),
    ("pack preview", LIBRARY),
    ("pack install", LIBRARY),
    ("pack update", LIBRARY),
    ("pack uninstall", DATA),
    ("pack export", LIBRARY),
    ("sim", NONE),
    ("sim ring", NONE),
    ("sim limiter", NONE),
    ("sim cache", NONE),
    ("sim quorum", NONE),
    ("sim balancer", NONE),
    ("review", APP),
    ("quiz", APP),
    ("quiz history", DATA),
    ("stats", LEARNER),
    ("plan", LEARNER),
    ("cards", LEARNER),
    ("optimize", STORE),
    ("progress", NONE),
    ("progress export", DATA),
    ("progress import", STORE),
    ("progress check", DATA),
    ("settings", DATA),
    ("snapshot", LEARNER),
    ("import", NONE),
    ("import anki", DATA),
    ("import csv", NONE),
    ("export", NONE),
    ("export anki", LEARNER),
    ("completions", NONE),
    ("man", NONE),
];

/// Every command in the tree with its path, the root as "".
fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, clap::Command)>) {
    out.push((path.to_string(), cmd.clone()));
    for sub in cmd.get_subcommands() {
        let name = sub.get_name();
        let child = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path} {name}")
        };
        walk(sub, &child, out);
    }
}

#[test]
fn every_command_lists_only_the_shared_options_it_uses() {
    let mut commands = Vec::new();
    walk(&Cli::command(), "", &mut commands);
    let listed: BTreeSet<&str> = EXPECTED.iter().map(|(path, _)| *path).collect();
    for (path, cmd) in &mut commands {
        assert!(
            listed.contains(path.as_str()),
            "`sysdeck {path}` is not classified in EXPECTED"
        );
        let expected: BTreeSet<&str> = EXPECTED
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, opts)| opts.iter().copied().collect())
            .unwrap_or_default();
        let offered: BTreeSet<&str> = cmd
            .get_arguments()
            .filter(|a| !a.is_hide_set())
            .filter_map(|a| a.get_long())
            .filter(|long| SHARED.contains(long))
            .collect();
        assert_eq!(offered, expected, "`sysdeck {path} --help`");
        let help = cmd.render_long_help().to_string();
        for long in SHARED {
            let shown = help.lines().any(|l| {
                l.trim_start().starts_with(&format!("--{long} "))
                    || l.trim_start() == format!("--{long}")
            });
            assert_eq!(
                shown,
                expected.contains(long),
                "--{long} in `sysdeck {path} --help`:\n{help}"
            );
        }
    }
    assert_eq!(
        commands.len(),
        EXPECTED.len(),
        "a row of EXPECTED names no command"
    );
}

fn sysdeck() -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.env_remove("SYSDECK_DATA_DIR").env_remove("SYSDECK_NOW");
    cmd
}

#[test]
fn pack_new_help_offers_no_app_or_data_options() {
    sysdeck()
        .args(["pack", "new", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("--watch")
                .or(predicate::str::contains("--no-mouse"))
                .or(predicate::str::contains("--data-dir"))
                .not(),
        );
}

#[test]
fn an_option_a_command_does_not_take_is_a_usage_error_after_it() {
    sysdeck()
        .args(["pack", "new", "demo", "--watch"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unexpected argument '--watch'"));
    sysdeck()
        .args(["sim", "ring", "--data-dir", "x"])
        .assert()
        .code(2);
}

#[test]
fn shared_options_work_before_and_after_the_command() {
    let data = tempfile::tempdir().unwrap();
    let before = data.path().join("before");
    let after = data.path().join("after");
    sysdeck()
        .arg("--data-dir")
        .arg(&before)
        .args(["settings", "--json"])
        .assert()
        .success();
    sysdeck()
        .args(["settings", "--json", "--data-dir"])
        .arg(&after)
        .assert()
        .success();
    assert!(before.join("sysdeck.db").exists());
    assert!(after.join("sysdeck.db").exists());
}

#[test]
fn a_data_dir_after_the_command_wins_over_one_before_it_and_the_environment() {
    let data = tempfile::tempdir().unwrap();
    let (env, before, after) = (
        data.path().join("env"),
        data.path().join("before"),
        data.path().join("after"),
    );
    sysdeck()
        .env("SYSDECK_DATA_DIR", &env)
        .arg("--data-dir")
        .arg(&before)
        .args(["settings", "--data-dir"])
        .arg(&after)
        .assert()
        .success();
    assert!(after.exists() && !before.exists() && !env.exists());
    sysdeck()
        .env("SYSDECK_DATA_DIR", &env)
        .arg("--data-dir")
        .arg(&before)
        .arg("settings")
        .assert()
        .success();
    assert!(before.exists() && !env.exists());
    sysdeck()
        .env("SYSDECK_DATA_DIR", &env)
        .arg("settings")
        .assert()
        .success();
    assert!(env.exists());
}
