//! End to end: custom study in the real binary. `sysdeck review --cram` says its grades are not
//! saved and keeps its word (the statistics count no review afterwards); home's `C` reviews
//! ahead the cards learned earlier; and the command line refuses custom-study flags that do not
//! go together, or a pack that is not loaded, before the app opens.

#[path = "support/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::{Command, Output};

use tmux::Tmux;

const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/packs/demo");
/// The morning every run here happens at.
const NOW: &str = "2026-11-23T10:00:00Z";

/// `sysdeck --no-builtin --pack demo --data-dir DATA ARGS`, run to the end.
fn sysdeck(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sysdeck"))
        .args(["--no-builtin", "--pack", PACK, "--data-dir"])
        .arg(data)
        .args(args)
        .env_remove("SYSDECK_DATA_DIR")
        .env_remove("SYSDECK_NOW")
        .output()
        .unwrap()
}

/// Every review ever logged, as `sysdeck stats --json` counts them.
fn total_reviews(data: &Path) -> u64 {
    let out = sysdeck(data, &["stats", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["total_reviews"].as_u64().unwrap()
}

/// Reveals the card on screen and grades it with `key`, then waits for the `n`th answer.
fn grade(t: &Tmux, key: &str, n: usize) {
    t.keys(&["Space"]);
    t.wait_for("Again");
    t.keys(&[key]);
    t.wait_for(&format!("{n} of"));
}

#[test]
fn a_cram_from_the_command_line_records_no_review() {
    let data = tempfile::tempdir().unwrap();
    let args = [
        "--no-builtin",
        "--pack",
        PACK,
        "review",
        "--cram",
        "--pack-id",
        "demo",
    ];
    let t = Tmux::start("sysdeck-e2e-cram", data.path(), &args, 80, 24);
    let screen = t.wait_for("grades are not saved");
    assert!(screen.contains("Cram · Demo Pack"), "{screen}");
    for (n, key) in ["3", "1", "4"].iter().enumerate() {
        grade(&t, key, n + 1);
        assert!(t.screen().contains("grades are not saved"));
    }
    t.quit();
    assert_eq!(total_reviews(data.path()), 0, "a cram saves no grade");
}

#[test]
fn home_custom_study_reviews_ahead_the_cards_learned_today() {
    let data = tempfile::tempdir().unwrap();
    let args = ["--no-builtin", "--pack", PACK, "--now", NOW];
    let t = Tmux::start("sysdeck-e2e-ahead", data.path(), &args, 120, 40);
    t.wait_for("Packs");
    t.keys(&["r"]);
    // The demo pack's four cards of the day, their siblings left for another day.
    let total = 4;
    t.wait_for("0 of 4 answered");
    for n in 1..=total {
        grade(&t, "4", n);
    }
    t.wait_for("Session complete");
    t.escape("sysdeck › home");
    // Learned with Easy, the cards are due in a few days: nothing ahead tomorrow, all in 30.
    t.keys(&["C"]);
    t.wait_for("Review ahead");
    t.keys(&["Enter"]);
    t.wait_for("try more days");
    t.keys(&["+"; 29]);
    t.wait_for("‹ 30 › days");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Reviewing ahead · Demo Pack · due in the next 30 days");
    assert!(screen.contains("REVIEW"), "{screen}");
    grade(&t, "3", 1);
    t.quit();
    assert_eq!(total_reviews(data.path()), total as u64 + 1);
}

#[test]
fn custom_study_flags_that_clash_or_match_nothing_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let refused = |args: &[&str], code: i32| {
        let out = sysdeck(data.path(), args);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = refused(&["review", "--cram", "--ahead", "3"], 2);
    assert!(err.contains("cannot be used with"), "{err}");
    let err = refused(&["review", "--ahead", "0"], 2);
    assert!(err.contains("--ahead"), "{err}");
    let err = refused(&["review", "--extra-new", "10"], 2);
    assert!(err.contains("--pack-id"), "{err}");
    let err = refused(&["review", "--cram", "--pack-id", "nope"], 1);
    assert!(err.contains("no loaded pack has the id `nope`"), "{err}");
    let err = refused(&["review", "--ahead", "3", "--topic", "nope"], 1);
    assert!(err.contains("no card matches --topic nope"), "{err}");
    assert!(
        !data.path().join("sysdeck.db").exists(),
        "refused before any progress is opened"
    );
}

#[test]
fn a_review_with_no_cards_loaded_is_refused_before_any_progress_is_opened() {
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sysdeck"))
        .args(["--no-builtin", "--data-dir"])
        .arg(data.path())
        .arg("review")
        .env_remove("SYSDECK_DATA_DIR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no card matches (no cards are loaded)"),
        "{err}"
    );
    assert!(!data.path().join("sysdeck.db").exists());
}

#[test]
fn extra_new_cards_are_refused_for_a_pack_with_none_left() {
    let data = tempfile::tempdir().unwrap();
    let path = Path::new(PACK);
    let library =
        sysdeck::content::Library::from_candidates(vec![sysdeck::content::Candidate::disk(
            path,
            sysdeck::content::Origin::Extra(path.into()),
        )]);
    let progress = sysdeck::progress::Progress::open_for(data.path(), &library).unwrap();
    let now: jiff::Timestamp = NOW.parse().unwrap();
    assert!(progress.new_left("demo", now).unwrap() > 0);
    for entry in progress.catalog().entries() {
        progress.suspend(&entry.key, now).unwrap();
    }
    assert_eq!(progress.new_left("demo", now).unwrap(), 0);
    drop(progress);
    let out = sysdeck(
        data.path(),
        &["review", "--extra-new", "10", "--pack-id", "demo"],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`demo` has no new cards left to learn"),
        "{err}"
    );
}
