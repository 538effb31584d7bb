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
