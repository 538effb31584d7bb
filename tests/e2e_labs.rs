//! End to end: the real binary in tmux opens each lab from home, changes a parameter and sees
//! the numbers follow.

#[path = "support/tmux.rs"]
mod tmux;

use tmux::Tmux;

#[test]
fn open_each_lab_change_a_parameter_quit() {
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::start("sysdeck-e2e-labs", data.path(), &[], 120, 40);
    t.wait_for("Packs");

    // Home → labs menu → the hash ring.
    t.keys(&["a"]);
    t.wait_for("Notes about these mechanisms");
    t.keys(&["Enter"]);
    t.wait_for("› Hash ring");
    t.wait_for("6 nodes × 10 vnodes");
    t.keys(&["+"]);
    t.wait_for("6 nodes × 20 vnodes");
    t.keys(&["a"]);
    t.wait_for("7 nodes × 20 vnodes");
    t.wait_for("of keys on add node-6");
    // Look up a key: typed letters are text, not commands.
    t.keys(&["/"]);
    t.text("quux");
    t.wait_for("key quux");
    t.keys(&["Escape"]);
    t.wait_gone("Look up a key");

    // Back in the menu, the rate limiter.
    t.escape("Notes about these mechanisms");
    t.keys(&["j", "Enter"]);
    t.wait_for("› Rate limiter");
    t.wait_for("10 per 1s · bursts of 20 every 2s · capacity 10,");
    t.keys(&["+"]);
    t.wait_for("20 per 1s · bursts of 40 every 2s · capacity 20,");
    t.keys(&["p"]);
    t.wait_for("paused");
    t.keys(&["c"]);
    t.wait_for("3 limiters");

    // q goes back one level at a time: lab, labs menu, home, then quits.
    t.keys(&["q"]);
    t.wait_for("Notes about these mechanisms");
    t.keys(&["q"]);
    t.wait_for("Packs");
    t.keys(&["q"]);
    t.wait_exit();
}
