//! A learner's upgrade in the real binary: install a pack, update it to a version with a
//! changelog, and see home announce it once.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/packs.rs"]
mod packs;
#[path = "support/tmux.rs"]
mod tmux;

use cli::{install, sysdeck};
use tmux::Tmux;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/packs/demo");

#[test]
fn home_announces_an_update_once() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let pack = src.path().join("demo");
    packs::copy_demo(&pack);
    install(data.path(), &pack).success();
    let manifest = pack.join("pack.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("1.2.0", "1.3.0")).unwrap();
    std::fs::write(
        pack.join("CHANGELOG.md"),
        "## [1.3.0]\n\n- Twelve new cards on eviction\n\n## [1.2.0]\n\n- First\n",
    )
    .unwrap();
    sysdeck(data.path())
        .args(["pack", "update", "demo"])
        .assert()
        .success();

    let start = |name| Tmux::start(name, data.path(), &["--no-builtin"], 120, 40);
    let t = start("sysdeck-e2e-packs-first");
    let screen = t.wait_for("demo updated 1.2.0 → 1.3.0: Twelve new cards on eviction");
    assert!(screen.contains("Demo Pack"), "{screen}");
    t.quit();

    let t = start("sysdeck-e2e-packs-again");
    let screen = t.wait_for("Demo Pack");
    assert!(!screen.contains("updated 1.2.0"), "said once:\n{screen}");
    t.quit();
}

/// A first start shows home before it writes the pack's index, writes it before it exits,
/// and a cache that cannot hold it costs one warning, on the shell after the app has gone.
#[test]
fn a_first_start_writes_its_index_after_home_and_warns_after_leaving() {
    let data = tempfile::tempdir().unwrap();
    let blocked = data.path().join("not-a-folder");
    std::fs::write(&blocked, "").unwrap();
    let t = Tmux::shell("sysdeck-e2e-packs-index", 200, 30);
    let start = |extra: &str| {
        t.run(&format!(
            "env SYSDECK_DATA_DIR='{}' NO_COLOR=1 '{}' --no-builtin --pack '{DEMO}' {extra}; echo \"exit=$?\"",
            data.path().display(),
            env!("CARGO_BIN_EXE_sysdeck"),
        ));
        t.wait_for("sysdeck › home");
        t.keys(&["q"]);
    };
    start("");
    t.wait_for("exit=0");
    let indexes = std::fs::read_dir(data.path().join("cache/packs")).unwrap();
    assert_eq!(
        indexes.count(),
        1,
        "the index is written by the time the app exits"
    );
    t.run("clear");
    t.wait_gone("exit=0");
    start(&format!("--cache-dir '{}'", blocked.display()));
    let screen = t.wait_for("exit=0");
    assert_eq!(
        screen
            .matches("warning: cannot write the pack index")
            .count(),
        1,
        "{screen}"
    );
    assert!(
        screen.contains("packs load from their sources, more slowly"),
        "{screen}"
    );
}
