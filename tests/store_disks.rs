//! The progress database on disks that cannot be written: an immutable file or directory, a
//! read-only mount, another user's file, a full disk. A healthy database is read as usual,
//! each change is refused with the real reason, and nothing suggests moving it aside.
//!
//! These set up real conditions (`chattr +i`, bind mounts, a small tmpfs, another user), which
//! needs root; where this machine cannot, each test says so and skips. Root ignores permission
//! bits, so plain `chmod` would not simulate anything here.

#[path = "support/progress.rs"]
mod progress;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use progress::{import_reviews, sysdeck};
use sysdeck::srs::{DayClock, Grade, ItemKey, Scheduler, Settings};
use sysdeck::store::{DB_FILE, Store, StoreError};

/// Runs a setup command; false (after printing why the test skips) when it fails.
fn run(program: &str, args: &[&str]) -> bool {
    match Process::new(program).args(args).output() {
        Ok(out) if out.status.success() => true,
        Ok(out) => {
            println!(
                "skipped: `{program} {}` failed here: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            );
            false
        }
        Err(e) => {
            println!("skipped: cannot run {program}: {e}");
            false
        }
    }
}

/// Commands that undo a setup step, run when the test ends, even by a panic.
struct Undo(Vec<(&'static str, Vec<String>)>);

impl Undo {
    fn push(&mut self, program: &'static str, args: &[&str]) {
        self.0.push((
            program,
            args.iter().map(std::string::ToString::to_string).collect(),
        ));
    }
}

impl Drop for Undo {
    fn drop(&mut self) {
        for (program, args) in self.0.iter().rev() {
            let _ = Process::new(program).args(args).status();
        }
    }
}

fn text(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn scheduler() -> Scheduler {
    Scheduler::new(&[], Settings::default(), DayClock::utc(4)).unwrap()
}

/// Grades a new card through the library, as the review screen does.
fn grade(store: &mut Store, key: &str) -> Result<(), StoreError> {
    let s = scheduler();
    let now = "2026-02-01T10:00:00Z".parse().unwrap();
    let a = s
        .grade(&ItemKey::new(key), None, Grade::Good, now, 0)
        .unwrap();
    store.record(&a, &s).map(drop)
}

/// Reading works through the binary; a change is refused with a message containing `reason`,
/// and nothing says the database is damaged or should be moved aside.
fn reads_work_and_changes_are_refused(data: &Path, reviews: usize, reason: &str) {
    let out = sysdeck(data).args(["stats", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["total_reviews"], reviews);
    sysdeck(data).arg("settings").assert().success();
    sysdeck(data)
        .args(["snapshot", "--screen", "home"])
        .assert()
        .success();
    let refused = sysdeck(data)
        .args(["settings", "--new-per-day", "5"])
        .assert()
        // The documented status for a database that cannot be used as it is.
        .code(4);
    let said = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        said.contains("was not saved") && said.contains(reason),
        "{said}"
    );
    for wrong in ["damaged", "aside", "not a readable"] {
        assert!(!said.contains(wrong), "{said}");
    }
}

#[test]
fn an_immutable_database_file_is_read_and_changes_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    import_reviews(&data, 3);
    let db = data.join(DB_FILE);
    let mut undo = Undo(Vec::new());
    if !run("chattr", &["+i", text(&db)]) {
        return;
    }
    undo.push("chattr", &["-i", text(&db)]);
    reads_work_and_changes_are_refused(&data, 3, "this user may not write");

    let mut store = Store::open(&db).unwrap();
    assert!(store.read_only_reason().is_some());
    let err = grade(&mut store, "system-design/new").unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("your grade was not saved: "),
        "{err}"
    );
}

#[test]
fn a_database_in_an_immutable_directory_is_read_and_changes_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    import_reviews(&data, 2);
    let names = || {
        let mut names: Vec<_> = fs::read_dir(&data)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    // The database and the `packs/` folder every run makes.
    let before = names();
    assert!(before.iter().any(|n| n == DB_FILE), "{before:?}");
    let mut undo = Undo(Vec::new());
    if !run("chattr", &["+i", text(&data)]) {
        return;
    }
    undo.push("chattr", &["-i", text(&data)]);
    reads_work_and_changes_are_refused(&data, 2, "may not create files in");
    assert_eq!(names(), before, "nothing was written beside it");
}

#[test]
fn a_database_on_a_read_only_mount_is_read_and_changes_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    import_reviews(&data, 4);
    let mount = tmp.path().join("mnt");
    fs::create_dir(&mount).unwrap();
    let mut undo = Undo(Vec::new());
    if !run("mount", &["--bind", text(&data), text(&mount)]) {
        return;
    }
    undo.push("umount", &[text(&mount)]);
    if !run("mount", &["-o", "remount,bind,ro", text(&mount)]) {
        return;
    }
    reads_work_and_changes_are_refused(&mount, 4, "mounted read-only");
}

/// `sysdeck ARGS` run as the user `nobody`.
fn as_nobody(data: &Path, args: &[&str]) -> std::process::Output {
    Process::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_sysdeck"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("SYSDECK_DATA_DIR")
        .output()
        .unwrap()
}

#[test]
fn another_users_database_is_named_as_a_permission_problem() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let data = tmp.path().join("data");
    import_reviews(&data, 2);
    fs::set_permissions(&data, fs::Permissions::from_mode(0o755)).unwrap();
    let db = data.join(DB_FILE);
    if !run(
        "setpriv",
        &["--reuid=65534", "--regid=65534", "--clear-groups", "true"],
    ) {
        return;
    }
    let before = fs::read(&db).unwrap();

    // Readable by its owner only: a permission problem, never damage.
    fs::set_permissions(&db, fs::Permissions::from_mode(0o600)).unwrap();
    let out = as_nobody(&data, &["stats"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(said.contains("permission denied"), "{said}");
    assert!(
        !said.contains("damaged") && !said.contains("aside"),
        "{said}"
    );

    // Readable by all: read as usual, changes refused as not this user's to write.
    fs::set_permissions(&db, fs::Permissions::from_mode(0o644)).unwrap();
    let out = as_nobody(&data, &["stats", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = as_nobody(&data, &["settings", "--new-per-day", "5"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("this user may not write"), "{said}");
    assert!(
        !said.contains("damaged") && !said.contains("aside"),
        "{said}"
    );
    assert_eq!(fs::read(&db).unwrap(), before);
}

/// Fills the file system holding `dir` until a write fails for want of space, in a new file.
fn fill(dir: &Path) -> PathBuf {
    let path = (0..)
        .map(|n| dir.join(format!("filler-{n}")))
        .find(|p| !p.exists())
        .unwrap();
    let mut f = fs::File::create(&path).unwrap();
    for chunk in [64 * 1024, 4096, 512, 1] {
        let block = vec![0u8; chunk];
        while f.write_all(&block).and_then(|()| f.sync_all()).is_ok() {}
    }
    path
}

#[test]
fn a_full_disk_is_named_as_a_full_disk_and_reads_still_work() {
    let tmp = tempfile::tempdir().unwrap();
    let mount = tmp.path().join("small");
    fs::create_dir(&mount).unwrap();
    let mut undo = Undo(Vec::new());
    if !run(
        "mount",
        &["-t", "tmpfs", "-o", "size=2M", "tmpfs", text(&mount)],
    ) {
        return;
    }
    undo.push("umount", &[text(&mount)]);
    let data = mount.join("data");
    import_reviews(&data, 5);
    let full = |e: StoreError| {
        assert!(matches!(e, StoreError::DiskFull { .. }), "{e:?}");
        assert!(
            e.to_string()
                .starts_with("disk full: your grade was not saved. "),
            "{e}"
        );
    };
    // An instance already running when the disk fills up.
    let mut running = Store::open_in(&data).unwrap();
    let filler = fill(&mount);
    full(grade(&mut running, "system-design/a").unwrap_err());
    // Closing it removes SQLite's working files, which frees a little: fill that too.
    drop(running);
    let more = fill(&data);

    reads_work_and_changes_are_refused(
        &data,
        5,
        "disk full: the change to your settings was not saved",
    );
    let export = tmp.path().join("export.jsonl");
    sysdeck(&data)
        .args(["progress", "export"])
        .arg(&export)
        .assert()
        .success();
    // The format's header line, then the five reviews.
    assert_eq!(fs::read_to_string(&export).unwrap().lines().count(), 1 + 5);
    // The export's own connection left a little room behind when it closed: fill that too.
    let rest = fill(&data);

    let mut opened = Store::open_in(&data).unwrap();
    assert_eq!(
        opened.read_only_reason().as_deref(),
        Some("its disk is full")
    );
    assert_eq!(opened.log().unwrap().len(), 5);
    full(grade(&mut opened, "system-design/a").unwrap_err());

    // Space freed: the same store saves again, with nothing lost.
    fs::remove_file(filler).unwrap();
    fs::remove_file(more).unwrap();
    fs::remove_file(rest).unwrap();
    grade(&mut opened, "system-design/a").unwrap();
    sysdeck(&data)
        .args(["settings", "--new-per-day", "5"])
        .assert()
        .success();
    assert_eq!(Store::open_in(&data).unwrap().log().unwrap().len(), 6);
}
