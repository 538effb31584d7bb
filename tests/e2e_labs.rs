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

/// The row of the policy table that starts with `row`, from a captured screen.
fn table_row(screen: &str, row: &str) -> String {
    screen
        .lines()
        .find(|line| line.contains(row))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn cache_lab_replays_the_trace_and_follows_the_capacity() {
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::start("sysdeck-e2e-cache-lab", data.path(), &[], 80, 24);
    t.wait_for("Packs");
    t.keys(&["a"]);
    t.wait_for("Notes about these mechanisms");
    t.keys(&["j", "j", "Enter"]);
    t.wait_for("› Cache eviction");
    t.wait_for("capacity 8 · Zipf over 40 keys, skew 0.9");
    // Faster, up to 100 requests a tick, until the whole trace is replayed.
    t.keys(&["]", "]", "]", "]"]);
    t.wait_for("100/tick");
    let eight = table_row(&t.wait_for("■ done · 2,000/2,000"), "│ L LRU");
    // A larger cache starts the replay over; play it to the end again.
    t.keys(&["+"]);
    t.wait_for("capacity 10 ·");
    t.wait_for("paused · 0/2,000");
    t.keys(&["p"]);
    let ten = table_row(&t.wait_for("■ done · 2,000/2,000"), "│ L LRU");
    assert!(
        eight.contains("L LRU") && ten.contains("L LRU"),
        "{eight} / {ten}"
    );
    assert_ne!(eight, ten, "the hit counts follow the capacity");
    // A loop longer than the cache: LRU never hits.
    t.keys(&["t", "t"]);
    t.wait_for("loop over 40 keys");
    t.keys(&["p"]);
    t.wait_for("■ done");
    t.wait_for("│ L LRU        0   2,000    0.0%");

    t.keys(&["q"]);
    t.wait_for("Notes about these mechanisms");
    t.keys(&["q"]);
    t.wait_for("Packs");
    t.keys(&["q"]);
    t.wait_exit();
}

#[test]
fn quorum_lab_reads_stale_at_r1_w1_and_fresh_once_r_plus_w_exceeds_n() {
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::start("sysdeck-e2e-quorum-lab", data.path(), &[], 80, 24);
    t.wait_for("Packs");
    t.keys(&["a"]);
    t.wait_for("Notes about these mechanisms");
    t.keys(&["j", "j", "j", "Enter"]);
    t.wait_for("› Replication and quorums");
    t.wait_for("strict quorum ·[N=3] R=2  W=2 · R+W=4 > N");
    t.wait_for("step 0/38");
    // The fast-but-stale preset: its second step reads a replica the first write missed.
    t.keys(&["m"]);
    t.wait_for("fast but stale ·[N=3] R=1  W=1 · R+W=2 ≤ N");
    t.keys(&[".", "."]);
    t.wait_for("stale: R=1 read replica-");
    t.wait_for("reads    0 fresh     1 stale");
    // R up to 3: R + W > N, and the same step now reads the latest write.
    t.keys(&["l", "+", "+"]);
    t.wait_for("N=3 [R=3] W=1 · R+W=4 > N");
    t.wait_for("fresh: R=3 read");
    t.wait_for("reads    1 fresh     0 stale");
    // Crash the selected node: a step joins the timeline.
    t.keys(&["f"]);
    t.wait_for("crash replica-1");

    t.keys(&["q"]);
    t.wait_for("Notes about these mechanisms");
    t.keys(&["q"]);
    t.wait_for("Packs");
    t.keys(&["q"]);
    t.wait_exit();
}

#[test]
fn balancer_lab_follows_the_load_and_a_failing_server() {
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::start("sysdeck-e2e-balancer-lab", data.path(), &[], 120, 40);
    t.wait_for("Packs");
    t.keys(&["a"]);
    t.wait_for("Notes about these mechanisms");
    t.keys(&["j", "j", "j", "j", "Enter"]);
    t.wait_for("› Load balancer");
    t.wait_for("8 servers · 90% load · 720 req/s");
    t.wait_for("10ms/(1-0.9) = 100ms");
    // Less load: the run starts over and the M/M/1 figure follows.
    t.keys(&["-"]);
    t.wait_for("8 servers · 80% load · 640 req/s");
    t.wait_for("10ms/(1-0.8) = 50ms");
    // One refusing server: at 4 simulated seconds a frame, health checks take it out soon
    // after its outage starts at 5s, and the balancers have counted errors.
    t.keys(&["d", "]", "]"]);
    t.wait_for("1 refusing");
    t.wait_for("200ms/tick");
    t.wait_for("│s0  ! out");
    t.keys(&["p"]);
    let screen = t.wait_for("⏸ paused");
    let random = table_row(&screen, "│  random");
    let errors = random.split_whitespace().rev().nth(1).unwrap_or_default();
    assert!(
        errors.parse::<u64>().is_ok_and(|n| n > 0),
        "random sent requests to the refusing server: {random}"
    );

    t.keys(&["q"]);
    t.wait_for("Notes about these mechanisms");
    t.keys(&["q"]);
    t.wait_for("Packs");
    t.keys(&["q"]);
    t.wait_exit();
}
