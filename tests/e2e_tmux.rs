//! End to end: the real binary in tmux, driven by keys, asserted on the captured screen.

#[path = "support/tmux.rs"]
mod tmux;

use tmux::Tmux;

/// How far down the note the reader is, from the percentage at the end of its title bar.
fn position(screen: &str) -> Option<u32> {
    let title = screen.lines().next()?.trim_end().strip_suffix('%')?;
    title.rsplit(' ').next()?.parse().ok()
}

#[test]
fn find_read_follow_back_help_quit() {
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::start("sysdeck-e2e-notes", data.path(), &[], 120, 40);
    t.wait_for("Packs");
    t.wait_for("System Design");

    // Fuzzy-find a note with a sloppy query and open it.
    t.keys(&["C-p"]);
    t.wait_for("Find notes");
    t.text("cnsstnt hshng");
    t.wait_for("Consistent Hashing");
    t.keys(&["Enter"]);
    let screen = t.wait_until("the note and its position", |s| {
        s.contains("› Consistent Hashing") && position(s).is_some()
    });
    let top = position(&screen).unwrap_or_default();

    // Scroll down and back to the top, then follow the first note link (to Caching).
    t.keys(&["j", "j", "C-d"]);
    t.wait_until("the note to scroll down", |s| {
        position(s).is_some_and(|p| p > top)
    });
    t.keys(&["g"]);
    t.wait_until("the note back at the top", |s| position(s) == Some(top));
    t.keys(&["Tab", "Enter"]);
    let other = t.wait_for("System Design › Caching");
    assert!(!other.contains("› Consistent Hashing"), "{other}");
    // Back in history returns to the first note.
    t.keys(&["BSpace"]);
    t.wait_for("System Design › Consistent Hashing");

    // Help overlay opens and closes.
    t.keys(&["?"]);
    t.wait_for("Keys — esc closes");
    t.keys(&["Escape"]);
    t.wait_gone("Keys — esc closes");

    t.quit();
}

#[test]
fn tiny_terminal_says_what_it_needs_and_quits_cleanly() {
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::start("sysdeck-e2e-tiny", data.path(), &[], 40, 10);
    t.wait_for("60×18");
    t.keys(&["C-c"]);
    t.wait_exit();
}
