//! End to end: the real binary in tmux reviews cards and is killed with SIGKILL mid-session;
//! every grade given before the kill is in the log, and the app starts again afterwards. Also
//! `sysdeck review` refusing filters that match nothing, before any terminal setup.

#[path = "support/tmux.rs"]
mod tmux;

use std::process::Command;

use sysdeck::srs::Grade;
use sysdeck::store::Store;
use tmux::Tmux;

const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/packs/demo");

#[test]
fn grades_given_before_a_sigkill_are_in_the_log() {
    let data = tempfile::tempdir().unwrap();
    // Mid-morning, so the learning steps of the grades stay within the learning day.
    let args = [
        "--now",
        "2026-11-23T10:00:00Z",
        "--no-builtin",
        "--pack",
        PACK,
        "review",
        "--pack-id",
        "demo",
    ];
    let t = Tmux::start("sysdeck-e2e-review", data.path(), &args, 100, 30);
    t.wait_for("0 of 4 answered");
    for (n, key) in ["3", "4", "1"].iter().enumerate() {
        t.keys(&["Space"]);
        t.wait_for("Again");
        t.keys(&[key]);
        t.wait_for(&format!("{} of", n + 1));
    }

    let status = Command::new("kill")
        .args(["-9", &t.sysdeck_pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    t.wait_exit();

    let store = Store::open_in(data.path()).unwrap();
    let grades: Vec<Grade> = store.log().unwrap().iter().map(|r| r.grade).collect();
    assert_eq!(grades, [Grade::Good, Grade::Easy, Grade::Again]);
    drop(store);

    let again = Tmux::start(
        "sysdeck-e2e-review-restart",
        data.path(),
        &[
            "--now",
            "2026-11-23T10:01:00Z",
            "--no-builtin",
            "--pack",
            PACK,
        ],
        100,
        30,
    );
    again.wait_for("Packs");
    again.keys(&["r"]);
    // The cards graded Good and Again are in their learning steps, due again today.
    again.wait_for("2 learning");
    again.escape("sysdeck › home");
    again.keys(&["q"]);
    again.wait_exit();
}

#[test]
fn filters_that_match_nothing_are_refused_before_the_app_opens() {
    let data = tempfile::tempdir().unwrap();
    let run = |filter: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_sysdeck"))
            .args(["--no-builtin", "--pack", PACK, "--data-dir"])
            .arg(data.path())
            .arg("review")
            .args(filter)
            .env_remove("SYSDECK_DATA_DIR")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{filter:?} must fail");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = run(&["--pack-id", "nope"]);
    assert!(err.contains("no loaded pack has the id `nope`"), "{err}");
    assert!(err.contains("the loaded packs are: demo"), "{err}");
    let err = run(&["--topic", "caching", "--tag", "messaging"]);
    assert!(
        err.contains("no card matches --topic caching --tag messaging"),
        "{err}"
    );
}
