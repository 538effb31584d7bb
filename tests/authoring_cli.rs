//! The authoring commands through the real binary: `pack check --explain`, `--watch`, the
//! renamed-id warnings that need the learner's history, `pack ids` and `pack preview`.

#[path = "support/packs.rs"]
mod packs;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use jiff::Timestamp;
use packs::copy_demo;
use predicates::prelude::*;
use sysdeck::srs::{Grade, ItemKey};
use sysdeck::store::Store;

fn sysdeck(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.env("SYSDECK_DATA_DIR", data).env("NO_COLOR", "1");
    cmd
}

/// Gives `keys` (`pack/item`) one review each in the progress database under `data`.
fn review(data: &Path, keys: &[&str]) {
    let mut store = Store::open_in(data).unwrap();
    let scheduler = store.scheduler(jiff::tz::TimeZone::UTC).unwrap();
    let now: Timestamp = "2026-11-01T10:00:00Z".parse().unwrap();
    for key in keys {
        let answer = scheduler
            .grade(&ItemKey::new(*key), None, Grade::Good, now, 0)
            .unwrap();
        store.record(&answer, &scheduler).unwrap();
    }
}

#[test]
fn explain_describes_a_code_with_an_example() {
    let data = tempfile::tempdir().unwrap();
    sysdeck(data.path())
        .args(["pack", "check", "--explain", "toml-syntax"])
        .assert()
        .success()
        .stdout(predicate::str::contains("toml-syntax (error)"))
        .stdout(predicate::str::contains("For example:"));
    sysdeck(data.path())
        .args(["pack", "check", "--explain", "toml-sintax"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean `toml-syntax`?"));
    sysdeck(data.path())
        .args(["pack", "check", "--explain", "nonsense"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the codes are: toml-syntax"));
}

#[test]
fn skipped_content_fails_the_check_and_is_counted() {
    let data = tempfile::tempdir().unwrap();
    let pack = "tests/packs/broken/toml-inner-quote";
    sysdeck(data.path())
        .args(["pack", "check", "--no-builtin", pack])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "decks/alpha.toml: skipped card `a-middle`; loaded 3 cards and 2 questions",
        ))
        .stdout(predicate::str::contains(
            "3 cards (4 to review), 2 questions; skipped 1 card: 1 error, 0 warnings",
        ))
        .stdout(predicate::str::contains("empty-domain").not());
}

#[test]
fn json_diagnostics_have_ends_and_related_places() {
    let data = tempfile::tempdir().unwrap();
    let out = sysdeck(data.path())
        .args(["pack", "check", "--no-builtin", "--format", "json"])
        .arg("tests/packs/broken/duplicate-id")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["packs"][0]["diagnostics"][0];
    for key in ["end_line", "end_column", "label", "related", "notes"] {
        assert!(d.get(key).is_some(), "missing {key} in {d}");
    }
    assert_eq!(d["related"][0]["message"], "first defined here");
}

#[test]
fn a_renamed_id_with_history_is_warned_about_until_it_has_an_alias() {
    let data = tempfile::tempdir().unwrap();
    let pack = tempfile::tempdir().unwrap();
    copy_demo(pack.path());
    // The learner reviewed `cache-aside` before it was called that, and a card now gone.
    review(
        data.path(),
        &["demo/cache-aside-pattern", "demo/gone-card#reverse"],
    );
    let check = || {
        let mut cmd = sysdeck(data.path());
        cmd.args(["pack", "check", "--no-builtin"]).arg(pack.path());
        cmd
    };
    check()
        .assert()
        .success()
        .stdout(predicate::str::contains("warning[renamed-id]"))
        .stdout(predicate::str::contains(
            "add aliases = [\"cache-aside-pattern\"] to this item",
        ))
        .stdout(predicate::str::contains(
            "1 id with review history is no longer in this pack: `gone-card`",
        ));
    let deck = pack.path().join("decks/caching.toml");
    let text = std::fs::read_to_string(&deck).unwrap().replace(
        "id = \"cache-aside\"\n",
        "id = \"cache-aside\"\naliases = [\"cache-aside-pattern\"]\n",
    );
    std::fs::write(&deck, text).unwrap();
    check()
        .assert()
        .success()
        .stdout(predicate::str::contains("renamed-id").not());
}

#[test]
fn ids_lists_every_id_and_former_id() {
    let data = tempfile::tempdir().unwrap();
    sysdeck(data.path())
        .args(["pack", "ids", "--no-builtin", "tests/packs/links"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "links: 2 notes, 1 card, 0 questions",
        ))
        .stdout(predicate::str::contains("note      services"))
        .stdout(predicate::str::contains("(was: svc)"));
    let out = sysdeck(data.path())
        .args([
            "--pack",
            "tests/packs/demo",
            "pack",
            "ids",
            "demo",
            "--json",
        ])
        .output()
        .unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 11, "2 notes, 4 cards, 5 questions");
    assert!(rows.iter().all(|r| r["pack"] == "demo"));
    sysdeck(data.path())
        .args(["pack", "ids", "no-such-pack"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no pack `no-such-pack` is loaded"));
}

#[test]
fn preview_shows_every_generated_card() {
    let data = tempfile::tempdir().unwrap();
    sysdeck(data.path())
        .args(["pack", "preview", "--no-builtin", "tests/packs/demo"])
        .assert()
        .success()
        .stdout(predicate::str::contains("demo: 4 cards (6 to review), 5 questions"))
        .stdout(predicate::str::contains("[demo/hit-ratio#reverse]"))
        .stdout(predicate::str::contains("[demo/stampede#c2]"))
        .stdout(predicate::str::contains("Q: When a hot key expires and many requests miss at once, it is a cache stampede; [...]"));
}

/// Lines of a child's stdout, read on a thread.
fn lines(child: &mut Child) -> Receiver<String> {
    let out = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Reads lines until one contains `text`, failing after a deadline; returns what was read.
fn wait_for(rx: &Receiver<String>, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = String::new();
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            seen.push_str(&line);
            seen.push('\n');
            if line.contains(text) {
                return seen;
            }
        }
    }
    panic!("no `{text}` within 20 s; got:\n{seen}");
}

#[test]
fn watch_checks_again_when_a_file_changes() {
    let data = tempfile::tempdir().unwrap();
    let pack = tempfile::tempdir().unwrap();
    copy_demo(pack.path());
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("sysdeck"))
        .env("SYSDECK_DATA_DIR", data.path())
        .env("NO_COLOR", "1")
        .args(["pack", "check", "--watch", "--no-builtin"])
        .arg(pack.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rx = lines(&mut child);
    let first = wait_for(&rx, "watching 1 folder");
    assert!(first.contains(": ok"), "{first}");
    let deck = pack.path().join("decks/caching.toml");
    let text = std::fs::read_to_string(&deck).unwrap();
    std::fs::write(&deck, text.replacen("front = \"", "front = \"\"", 1)).unwrap();
    wait_for(&rx, "files changed; checking again");
    let again = wait_for(&rx, "watching 1 folder");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(again.contains("error[toml-syntax]"), "{again}");
    assert!(again.contains("skipped 1 card"), "{again}");
}

#[test]
fn a_former_ids_progress_carries_over_to_the_review_session() {
    use sysdeck::content::{Candidate, Library, Origin};
    use sysdeck::srs::{Catalog, Next, Scope};
    let data = tempfile::tempdir().unwrap();
    let pack = tempfile::tempdir().unwrap();
    copy_demo(pack.path());
    review(data.path(), &["demo/cache-aside-pattern"]);
    let deck = pack.path().join("decks/caching.toml");
    let text = std::fs::read_to_string(&deck).unwrap().replace(
        "id = \"cache-aside\"\n",
        "id = \"cache-aside\"\naliases = [\"cache-aside-pattern\"]\n",
    );
    std::fs::write(&deck, text).unwrap();
    let lib = Library::from_candidates(vec![Candidate::disk(
        pack.path(),
        Origin::Extra(pack.path().into()),
    )]);
    let progress = sysdeck::progress::Progress::open_in(
        data.path(),
        Catalog::from_library(&lib),
        jiff::tz::TimeZone::UTC,
    )
    .unwrap();
    let later: Timestamp = "2026-11-02T10:00:00Z".parse().unwrap();
    let mut session = progress.session(&Scope::default(), later).unwrap();
    // Learnt yesterday under its old id: due again as a learning card, not offered as new.
    let Next::Card(first) = session.next(later) else {
        panic!("nothing due");
    };
    assert_eq!(first.key.as_str(), "demo/cache-aside");
    assert!(first.state.is_some(), "{first:?}");
}
