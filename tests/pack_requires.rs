//! `requires` between packs and `license` checking, through `pack check` and `pack install`.

#[path = "support/cli.rs"]
mod cli;

use std::path::{Path, PathBuf};

use cli::{install, sysdeck};
use predicates::prelude::*;

/// A pack `id` at `version` with one note `intro` whose body is `body`, and `extra` lines in
/// its [pack] table.
fn pack(root: &Path, id: &str, version: &str, extra: &str, body: &str) -> PathBuf {
    let dir = root.join(id);
    std::fs::create_dir_all(dir.join("notes")).unwrap();
    std::fs::write(
        dir.join("pack.toml"),
        format!(
            "[pack]\nid = \"{id}\"\nname = \"{id}\"\nversion = \"{version}\"\nformat = 1\nlicense = \"MIT\"\n{extra}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("notes/intro.md"),
        format!("+++\nid = \"intro\"\ntitle = \"Intro\"\nsummary = \"s\"\n+++\n\n{body}\n"),
    )
    .unwrap();
    dir
}

const NEEDS_BASE: &str = "requires = [\"base >= 1.0\"]";
const LINKS: &str = "See [one](note:base:intro), [two](note:base:intro) and [other](note:other:x).";

#[test]
fn a_missing_requirement_is_one_error_naming_what_to_install() {
    let root = tempfile::tempdir().unwrap();
    let k8s = pack(root.path(), "k8s", "1.0.0", NEEDS_BASE, LINKS);
    let out = sysdeck(&root.path().join("data"))
        .args(["pack", "check"])
        .arg(&k8s)
        .assert()
        .failure()
        .stdout(predicate::str::contains(
            "error[missing-requirement]: this pack requires `base >=1.0`, which is not installed",
        ))
        .stdout(predicate::str::contains("sysdeck pack install PATH"))
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.matches("error[").count(), 1, "{out}");
    // A pack that is not required stays a warning per reference, as before.
    assert_eq!(out.matches("warning[unloaded-pack]").count(), 1, "{out}");
    assert!(out.contains("`other:x`"), "{out}");
}

#[test]
fn a_too_old_requirement_names_the_update() {
    let root = tempfile::tempdir().unwrap();
    let base = pack(root.path(), "base", "0.9.0", "", "Base.");
    let k8s = pack(root.path(), "k8s", "1.0.0", NEEDS_BASE, LINKS);
    sysdeck(&root.path().join("data"))
        .arg("--pack")
        .arg(&base)
        .args(["pack", "check"])
        .arg(&k8s)
        .assert()
        .failure()
        .stdout(predicate::str::contains(
            "this pack requires `base >=1.0`, but `base` 0.9.0 is installed",
        ))
        .stdout(predicate::str::contains("sysdeck pack update base"));
}

#[test]
fn references_into_a_required_pack_are_checked() {
    let root = tempfile::tempdir().unwrap();
    let base = pack(root.path(), "base", "1.2.0", "", "Base.");
    let good = pack(
        root.path(),
        "k8s",
        "1.0.0",
        NEEDS_BASE,
        "See [it](note:base:intro).",
    );
    sysdeck(&root.path().join("data"))
        .arg("--pack")
        .arg(&base)
        .args(["pack", "check", "--deny-warnings"])
        .arg(&good)
        .assert()
        .success();
    let bad = pack(
        &root.path().join("bad"),
        "k8s",
        "1.0.0",
        NEEDS_BASE,
        "See [it](note:base:intrp).",
    );
    sysdeck(&root.path().join("data"))
        .arg("--pack")
        .arg(&base)
        .args(["pack", "check"])
        .arg(&bad)
        .assert()
        .failure()
        .stdout(predicate::str::contains("error[dangling-reference]"))
        .stdout(predicate::str::contains("did you mean `base:intro`?"));
}

#[test]
fn malformed_requirements_are_reported() {
    let root = tempfile::tempdir().unwrap();
    let k8s = pack(
        root.path(),
        "k8s",
        "1.0.0",
        "requires = [\"Base Pack >= 1\", \"base >= one\", \"k8s\"]",
        "Text.",
    );
    sysdeck(&root.path().join("data"))
        .args(["pack", "check"])
        .arg(&k8s)
        .assert()
        .failure()
        .stdout(predicate::str::contains(
            "`Base Pack >= 1` does not start with a pack id",
        ))
        .stdout(predicate::str::contains(
            "`>= one` is not a version requirement",
        ))
        .stdout(predicate::str::contains("pack `k8s` requires itself"));
}

#[test]
fn install_refuses_a_pack_whose_requirement_is_missing() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let base = pack(root.path(), "base", "1.0.0", "", "Base.");
    let k8s = pack(
        root.path(),
        "k8s",
        "1.0.0",
        NEEDS_BASE,
        "See [it](note:base:intro).",
    );
    install(&data, &k8s)
        .failure()
        .stdout(predicate::str::contains("missing-requirement"));
    install(&data, &base).success();
    install(&data, &k8s).success();
}

#[test]
fn a_license_that_is_not_spdx_is_a_warning_with_a_suggestion() {
    let root = tempfile::tempdir().unwrap();
    let p = pack(root.path(), "lic", "1.0.0", "", "Text.");
    let manifest = p.join("pack.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("\"MIT\"", "\"CC-BY-4\"")).unwrap();
    sysdeck(&root.path().join("data"))
        .args(["pack", "check"])
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains("warning[bad-license]"))
        .stdout(predicate::str::contains("did you mean \"CC-BY-4.0\"?"));
}
