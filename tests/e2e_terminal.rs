//! End to end: the terminal is left as the shell had it after every way out (each terminating
//! signal, Ctrl-C), a job-control stop hands it back and takes it again with a full redraw and
//! without applying keys typed meanwhile, and bursts of input (a long paste, thousands of queued
//! keys) are read whole and promptly. Each test runs the real binary from a shell in tmux.

#[path = "support/tmux.rs"]
mod tmux;

use std::process::Command;
use std::time::{Duration, Instant};

use tempfile::TempDir;
use tmux::Tmux;

const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/packs/demo");

/// A shell in tmux that has started sysdeck on the demo pack and shows its home screen.
fn started(name: &str) -> (Tmux, TempDir) {
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::shell(name, 100, 30);
    t.run(&format!(
        "env SYSDECK_DATA_DIR='{}' NO_COLOR=1 '{}' --no-builtin --pack '{PACK}'; echo \"exit=$?\"",
        data.path().display(),
        env!("CARGO_BIN_EXE_sysdeck"),
    ));
    t.wait_for("sysdeck › home");
    (t, data)
}

fn signal(pid: u32, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name} {pid}");
}

/// Waits until a pane flag has the given value.
fn wait_flag(t: &Tmux, format: &str, want: &str) {
    t.poll(&format!("{format} to be {want}"), || {
        (t.flag(format) == want).then_some(())
    });
}

/// The terminal as a shell wants it: main screen, cursor shown, no mouse reporting, and the
/// line discipline cooked (canonical input, echo, signals from keys).
fn assert_shell_terminal(t: &Tmux, data: &TempDir) {
    wait_flag(t, "#{alternate_on}", "0");
    assert_eq!(t.flag("#{cursor_flag}"), "1", "cursor hidden");
    assert_eq!(t.flag("#{mouse_any_flag}"), "0", "mouse still reported");
    let file = data.path().join("stty.txt");
    t.run(&format!(
        "stty -a > '{}'; echo stty-\"\"done",
        file.display()
    ));
    t.wait_for("stty-done");
    let modes = std::fs::read_to_string(&file).unwrap();
    for mode in ["icanon", "echo", "isig"] {
        let on = modes.split([' ', ';', '\n']).any(|word| word == mode);
        assert!(on, "terminal left raw, {mode} is off: {modes}");
    }
}

#[test]
fn every_terminating_signal_restores_the_terminal() {
    for sig in ["TERM", "INT", "HUP", "QUIT"] {
        let (t, data) = started(&format!("sig-{sig}"));
        assert_eq!(t.flag("#{alternate_on}"), "1");
        signal(t.sysdeck_pid(), sig);
        t.wait_for("exit=");
        assert_shell_terminal(&t, &data);
    }
}

#[test]
fn ctrl_c_restores_the_terminal() {
    let (t, data) = started("ctrl-c");
    t.keys(&["C-c"]);
    t.wait_for("exit=0");
    assert_shell_terminal(&t, &data);
}

#[test]
fn ctrl_z_suspends_and_fg_redraws_without_stale_keys() {
    let (t, data) = started("ctrl-z");
    t.keys(&["C-z"]);
    t.wait_for("Stopped");
    assert_shell_terminal(&t, &data);
    t.run("fg");
    t.wait_for("sysdeck › home");
    wait_flag(&t, "#{alternate_on}", "1");
    // Keys work again, in raw mode: `/` opens the finder at once, no Enter needed.
    t.keys(&["/"]);
    t.wait_for("sysdeck › find");
}

#[test]
fn a_stop_from_outside_drops_keys_typed_while_stopped() {
    // No shell: nothing resets the terminal while the program is stopped, and the keys typed
    // meanwhile wait in the terminal's input queue for the program.
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "stop-cont",
        data.path(),
        &["--no-builtin", "--pack", PACK],
        100,
        30,
    );
    t.wait_for("sysdeck › home");
    let pid = t.sysdeck_pid();
    signal(pid, "STOP");
    // `b` would open the library and Enter a topic: the learner never saw what they hit.
    t.text("b");
    t.keys(&["Enter"]);
    signal(pid, "CONT");
    // Keys pressed from now on count; the first may land while the queue is being dropped.
    t.poll("`/` to open the finder", || {
        t.keys(&["/"]);
        t.screen().contains("sysdeck › find").then_some(())
    });
    t.keys(&["Escape"]);
    let home = t.wait_for("sysdeck › home");
    assert!(!home.contains("sysdeck › library"), "{home}");
}

#[test]
fn fg_after_a_stop_from_outside_takes_the_terminal_back() {
    let (t, _data) = started("stop-fg");
    signal(t.sysdeck_pid(), "STOP");
    t.wait_for("Stopped");
    // The shell puts the terminal in cooked mode; the program must make it raw again, so
    // that `/` acts at once instead of waiting for Enter.
    t.run("fg");
    wait_flag(&t, "#{alternate_on}", "1");
    t.wait_for("sysdeck › home");
    t.keys(&["/"]);
    t.wait_for("sysdeck › find");
}

#[test]
fn a_long_paste_reaches_the_finder_whole() {
    let (t, _data) = started("paste");
    t.keys(&["/"]);
    t.wait_for("sysdeck › find");
    // 1,200 spaces and then the query: a reader that stops after 1 KiB never sees the words.
    t.paste(&format!("{}cache aside", " ".repeat(1200)));
    // The words at the end narrow the results: fewer shown than the index holds.
    t.wait_until("the pasted query's results", |s| {
        let count = s.lines().next().unwrap_or_default().split_whitespace();
        let figures: Vec<u32> = count.filter_map(|w| w.parse().ok()).collect();
        s.contains("Orders arrive in bursts") && matches!(figures[..], [shown, all] if shown < all)
    });
}

#[test]
fn ctrl_c_behind_a_burst_of_keys_quits_promptly() {
    let (t, data) = started("burst");
    t.keys(&["/"]);
    t.wait_for("sysdeck › find");
    t.text(&"x".repeat(3000));
    t.keys(&["C-c"]);
    let start = Instant::now();
    t.wait_for("exit=0");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "Ctrl-C took {:?} behind the burst",
        start.elapsed()
    );
    assert_shell_terminal(&t, &data);
}
