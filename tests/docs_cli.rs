//! `sysdeck completions SHELL` and `sysdeck man`: scripts for every shell clap_complete knows,
//! and man pages that man can read, all generated from the command definitions.

use std::process::Stdio;

use assert_cmd::Command;

/// Every top-level command, and a nested one, that a completion script must offer.
const COMMANDS: [&str; 11] = [
    "pack",
    "sim",
    "review",
    "quiz",
    "stats",
    "optimize",
    "progress",
    "settings",
    "snapshot",
    "completions",
    "preview",
];

fn sysdeck() -> Command {
    Command::cargo_bin("sysdeck").unwrap()
}

#[test]
fn each_shells_script_offers_every_command() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = sysdeck().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for command in COMMANDS {
            assert!(script.contains(command), "{shell} script lacks `{command}`");
        }
        assert!(
            script.contains("data-dir"),
            "{shell} script lacks --data-dir"
        );
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    sysdeck().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn a_reader_that_went_away_ends_the_script_quietly() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_sysdeck"))
        .args(["completions", "zsh"])
        .stdout(Stdio::from(writer))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn the_man_page_is_roff_with_a_title_and_every_command() {
    let out = sysdeck().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH SYSDECK 1"), "{page}");
    assert!(page.contains(".SH NAME"), "{page}");
    assert!(page.contains("sysdeck\\-pack(1)"), "{page}");
    assert!(page.contains("Exit status:"), "{page}");
}

#[test]
fn man_out_writes_one_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    let out = sysdeck()
        .args(["man", "--out"])
        .arg(&pages)
        .output()
        .unwrap();
    assert!(out.status.success());
    let listed = String::from_utf8(out.stdout).unwrap();
    for name in ["sysdeck.1", "sysdeck-pack-new.1", "sysdeck-quiz-history.1"] {
        assert!(listed.contains(name), "{listed}");
        assert!(pages.join(name).is_file(), "{name}");
    }
    let new = std::fs::read_to_string(pages.join("sysdeck-pack-new.1")).unwrap();
    assert!(new.contains(".TH SYSDECK-PACK-NEW 1"), "{new}");
    assert!(new.contains("\"sysdeck 0.1.0\""), "{new}");
    assert!(!new.contains("watch"), "{new}");
}
