//! `sysdeck pack check | new | list` through the real binary.

#[path = "support/packs.rs"]
mod packs;

use assert_cmd::Command;
use packs::copy_demo;
use predicates::prelude::*;

fn sysdeck(data: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.env("SYSDECK_DATA_DIR", data).env("NO_COLOR", "1");
    cmd
}

#[test]
fn built_in_packs_pass_with_warnings_denied() {
    let data = tempfile::tempdir().unwrap();
    sysdeck(data.path())
        .args(["pack", "check", "--deny-warnings"])
        .assert()
        .success()
        .stdout(predicate::str::contains("checked builtin:aws-saa (aws-saa"))
        .stdout(predicate::str::contains(
            "checked builtin:system-design (system-design",
        ))
        .stdout(predicate::str::contains(": ok"));
}

#[test]
fn errors_fail_the_check_and_name_the_place() {
    let data = tempfile::tempdir().unwrap();
    sysdeck(data.path())
        .args([
            "pack",
            "check",
            "--no-builtin",
            "tests/packs/broken/unknown-key-card",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[unknown-key]"))
        .stdout(predicate::str::contains("decks/alpha.toml:5:1"))
        .stdout(predicate::str::contains("did you mean `front`?"));
}

#[test]
fn warnings_fail_only_when_denied() {
    let data = tempfile::tempdir().unwrap();
    let pack = "tests/packs/broken/missing-why";
    sysdeck(data.path())
        .args(["pack", "check", "--no-builtin", pack])
        .assert()
        .success()
        .stdout(predicate::str::contains("warning[missing-why]"));
    sysdeck(data.path())
        .args(["pack", "check", "--no-builtin", "--deny-warnings", pack])
        .assert()
        .code(1);
}

#[test]
fn json_output_is_machine_readable() {
    let data = tempfile::tempdir().unwrap();
    let out = sysdeck(data.path())
        .args([
            "pack",
            "check",
            "--no-builtin",
            "--format",
            "json",
            "tests/packs/broken/duplicate-id",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["packs"][0]["diagnostics"][0];
    for key in [
        "file", "line", "column", "severity", "code", "message", "hint",
    ] {
        assert!(d.get(key).is_some(), "missing {key} in {d}");
    }
    assert_eq!(d["code"], "duplicate-id");
    assert!(d["hint"].as_str().unwrap().contains("first defined here"));
}

#[test]
fn a_new_pack_passes_and_is_never_overwritten() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    sysdeck(data.path())
        .args(["pack", "new", "my-pack", "--dir", dir_arg])
        .assert()
        .success()
        .stdout(predicate::str::contains("Created"));
    let pack = dir.path().join("my-pack");
    sysdeck(data.path())
        .args(["pack", "check", "--deny-warnings"])
        .arg(&pack)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1 note, 3 cards (5 to review), 2 questions: ok",
        ));
    std::fs::write(
        pack.join("notes/mine.md"),
        "+++\nid = \"mine\"\ntitle = \"Mine\"\nsummary = \"s\"\n+++\n",
    )
    .unwrap();
    sysdeck(data.path())
        .args(["pack", "new", "my-pack", "--dir", dir_arg])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
    assert!(
        pack.join("notes/mine.md").exists(),
        "the existing pack is untouched"
    );
    sysdeck(data.path())
        .args(["pack", "new", "Bad Name", "--dir", dir_arg])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("try `bad-name`"));
}

#[test]
fn list_shows_sources_and_marks_broken_packs() {
    let data = tempfile::tempdir().unwrap();
    let user = data.path().join("packs");
    std::fs::create_dir_all(&user).unwrap();
    let out = sysdeck(data.path())
        .args([
            "pack",
            "list",
            "--pack",
            "tests/packs/demo",
            "--pack",
            "tests/packs/broken/toml-syntax",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(
        text.contains("aws-saa") && text.contains("built-in"),
        "{text}"
    );
    assert!(text.contains("demo") && text.contains("--pack"), "{text}");
    assert!(text.contains("BROKEN (1 error)"), "{text}");
    assert!(text.contains("1 pack with errors"), "{text}");
}

#[test]
fn user_packs_load_from_the_data_directory() {
    let data = tempfile::tempdir().unwrap();
    copy_demo(&data.path().join("packs/demo"));
    sysdeck(data.path())
        .args(["pack", "list", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"source\": \"user\""));
}

#[test]
fn unknown_flags_get_a_clear_error() {
    let data = tempfile::tempdir().unwrap();
    sysdeck(data.path())
        .args(["pack", "check", "--strict"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unexpected argument '--strict'"));
    sysdeck(data.path())
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains("sysdeck"));
}
