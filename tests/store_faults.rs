//! The progress store under bad input and contention: damaged, foreign or newer files are
//! refused and left byte for byte as they were; unusable directories are named with the way
//! out; two instances on one database both get their writes in.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sysdeck::srs::time::shift;
use sysdeck::srs::{DayClock, Grade, ItemKey, Scheduler, Settings};
use sysdeck::store::{DB_FILE, SCHEMA_VERSION, Store, StoreError};

fn scheduler() -> Scheduler {
    Scheduler::new(&[], Settings::default(), DayClock::utc(4)).unwrap()
}

/// Records one answer to a new card `key` at `now`.
fn answer(store: &mut Store, key: &str, now: Timestamp) {
    let s = scheduler();
    let a = s
        .grade(&ItemKey::new(key), None, Grade::Good, now, 0)
        .unwrap();
    store.record(&a, &s).unwrap();
}

fn t0() -> Timestamp {
    "2026-03-01T10:00:00Z".parse().unwrap()
}

/// A closed, checkpointed database with a few reviews, as the file a learner would have.
fn real_database(dir: &Path) -> std::path::PathBuf {
    let mut store = Store::open_in(dir).unwrap();
    for i in 0..50 {
        answer(&mut store, &format!("p/card-{i}"), t0());
    }
    drop(store);
    dir.join(DB_FILE)
}

/// Opening fails as `check` expects, and the file is unchanged to the byte.
fn refused_unchanged(path: &Path, check: impl Fn(&StoreError) -> bool) -> String {
    let before = fs::read(path).unwrap();
    let err = Store::open(path).expect_err("the file must be refused");
    assert!(check(&err), "unexpected error: {err:?}");
    assert_eq!(fs::read(path).unwrap(), before, "the file was modified");
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("left unchanged"), "{message}");
    message
}

/// Scribbles over the second page's b-tree header and cells; the SQLite header stays intact.
fn scribble_over_page_two(path: &Path) {
    let mut bytes = fs::read(path).unwrap();
    assert!(bytes.len() > 8192, "several pages");
    for b in &mut bytes[4096..4096 + 600] {
        *b = 0xA5;
    }
    fs::write(path, &bytes).unwrap();
}

/// The write-ahead log beside the database in `dir`.
fn write_ahead_log(dir: &Path) -> std::path::PathBuf {
    dir.join(format!("{DB_FILE}-wal"))
}

#[test]
fn a_file_that_is_not_a_database_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    fs::write(&path, b"these are my notes, not a database\n".repeat(100)).unwrap();
    refused_unchanged(&path, |e| matches!(e, StoreError::Corrupt { .. }));
}

#[test]
fn garbage_is_copied_before_moving_it_aside_is_suggested() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    // Bytes of no format at all, from a fixed xorshift so the test is the same every run.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let garbage: Vec<u8> = (0..20_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    fs::write(&path, &garbage).unwrap();
    let msg = refused_unchanged(&path, |e| matches!(e, StoreError::Corrupt { .. }));
    let copy = dir.path().join("sysdeck.db.damaged-1");
    assert_eq!(
        fs::read(&copy).unwrap(),
        garbage,
        "the copy has the same bytes"
    );
    let saved = msg.find("a copy was saved as").expect(&msg);
    let aside = msg.find("Move the damaged file aside").expect(&msg);
    assert!(saved < aside, "the copy is named before the advice: {msg}");
    assert!(msg.contains(&copy.display().to_string()), "{msg}");
    // Trying again does not pile up copies.
    refused_unchanged(&path, |e| matches!(e, StoreError::Corrupt { .. }));
    assert!(!dir.path().join("sysdeck.db.damaged-2").exists());
}

#[test]
fn a_damaged_database_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = real_database(dir.path());
    scribble_over_page_two(&path);
    refused_unchanged(&path, |e| matches!(e, StoreError::Corrupt { .. }));
}

/// Opening for writing and checking the file's integrity overlap when the file looks like
/// ours. A damaged file whose write-ahead log still holds committed work (as after a crash)
/// must be refused with neither changed: closing the writer must not checkpoint the log in.
#[test]
fn a_damaged_database_with_work_in_its_write_ahead_log_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = real_database(dir.path());
    let log = write_ahead_log(dir.path());
    // A second connection keeps the store's close from checkpointing, and the copy taken while
    // it is open is the file and log a crash leaves behind.
    let keep = rusqlite::Connection::open(&path).unwrap();
    keep.execute("INSERT INTO settings (key, value) VALUES ('note', 'x')", [])
        .unwrap();
    let crashed = tempfile::tempdir().unwrap();
    let (copy, copy_log) = (
        crashed.path().join(DB_FILE),
        write_ahead_log(crashed.path()),
    );
    fs::copy(&path, &copy).unwrap();
    fs::copy(&log, &copy_log).unwrap();
    drop(keep);
    scribble_over_page_two(&copy);
    let log_before = fs::read(&copy_log).unwrap();
    assert!(!log_before.is_empty(), "the log holds the insert");
    let check: String =
        rusqlite::Connection::open_with_flags(&copy, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap()
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .unwrap();
    assert_ne!(check, "ok", "the damage is not hidden by the log");
    refused_unchanged(&copy, |e| matches!(e, StoreError::Corrupt { .. }));
    assert_eq!(
        fs::read(&copy_log).unwrap(),
        log_before,
        "the log was changed"
    );
}

/// A healthy database read while its integrity is checked is then written and closed as
/// usual: closing checkpoints the write-ahead log into the file and removes it.
#[test]
fn a_healthy_database_read_while_checked_is_written_and_closed_as_usual() {
    let dir = tempfile::tempdir().unwrap();
    let path = real_database(dir.path());
    let (mut store, states) = Store::open_reading(&path, |s| s.states().unwrap().len()).unwrap();
    assert_eq!(states, 50);
    answer(&mut store, "p/card-new", t0());
    drop(store);
    assert!(
        !write_ahead_log(dir.path()).exists(),
        "closing left the write-ahead log behind"
    );
    assert_eq!(Store::open(&path).unwrap().states().unwrap().len(), 51);
}

#[test]
fn another_programs_database_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
        .unwrap();
    drop(c);
    let msg = refused_unchanged(&path, |e| matches!(e, StoreError::Corrupt { .. }));
    assert!(msg.contains("another program"), "{msg}");
}

#[test]
fn a_newer_schema_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = real_database(dir.path());
    let c = rusqlite::Connection::open(&path).unwrap();
    c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(c);
    let msg = refused_unchanged(&path, |e| {
        matches!(e, StoreError::NewerSchema { found, supported, .. }
            if *found == SCHEMA_VERSION + 1 && *supported == SCHEMA_VERSION)
    });
    assert!(msg.contains("newer sysdeck"), "{msg}");
}

#[test]
fn an_empty_file_becomes_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    fs::write(&path, b"").unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
}

/// The error names the directory and both ways to choose another.
fn assert_names_the_way_out(err: &StoreError, dir: &Path) {
    let msg = err.to_string();
    assert!(matches!(err, StoreError::DataDir { .. }), "{err:?}");
    assert!(msg.contains(&dir.display().to_string()), "{msg}");
    assert!(
        msg.contains("--data-dir") && msg.contains("SYSDECK_DATA_DIR"),
        "{msg}"
    );
}

#[test]
fn a_read_only_directory_is_named_with_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    fs::set_permissions(&data, fs::Permissions::from_mode(0o555)).unwrap();
    let err = Store::open_in(&data).unwrap_err();
    fs::set_permissions(&data, fs::Permissions::from_mode(0o755)).unwrap();
    assert_names_the_way_out(&err, &data);
    assert!(err.to_string().contains("read-only"), "{err}");
    assert!(!data.join(DB_FILE).exists());
}

#[test]
fn a_directory_that_cannot_be_created_is_named_with_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, b"x").unwrap();
    let data = file.join("data");
    assert_names_the_way_out(&Store::open_in(&data).unwrap_err(), &data);
    assert_names_the_way_out(&Store::open_in(&file).unwrap_err(), &file);
}

#[test]
fn a_missing_directory_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("new/nested/data");
    Store::open_in(&data).unwrap();
    assert!(data.join(DB_FILE).is_file());
}

#[test]
fn two_instances_write_at_once_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    Store::open_in(dir.path()).unwrap();
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let mut store = Store::open_in(&path).unwrap();
                for i in 0..150 {
                    let now = shift(t0(), SignedDuration::from_millis(i));
                    answer(&mut store, &format!("p/w{w}-{i}"), now);
                    // A reader in between, as the other instance's screens would be.
                    store.states().unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.log().unwrap().len(), 300);
    assert_eq!(store.states().unwrap().len(), 300);
}

#[test]
fn a_writer_waits_out_another_instances_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let other = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        other.execute_batch("COMMIT").unwrap();
    });
    answer(&mut store, "p/waited", t0());
    holder.join().unwrap();
    assert_eq!(store.log().unwrap().len(), 1);
}

#[test]
fn a_deleted_write_ahead_log_is_named_and_never_called_damage() {
    let dir = tempfile::tempdir().unwrap();
    let mut holder = Store::open_in(dir.path()).unwrap();
    for i in 0..5 {
        answer(&mut holder, &format!("p/card-{i}"), t0());
    }
    let path = dir.path().join(DB_FILE);
    let wal = write_ahead_log(dir.path());
    assert!(
        fs::metadata(&wal).unwrap().len() > 0,
        "commits wait in the log"
    );
    fs::remove_file(&wal).unwrap();

    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::LogMissing { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("sysdeck.db-wal was deleted"), "{msg}");
    assert!(msg.contains("do not move the database aside"), "{msg}");
    assert!(
        !msg.contains("is damaged") && !msg.contains("Move"),
        "{msg}"
    );
    assert!(!dir.path().join("sysdeck.db.damaged-1").exists());

    // The instance holding the log writes it back as it closes: nothing is lost.
    drop(holder);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.log().unwrap().len(), 5);
}

#[test]
fn a_held_write_lock_is_a_busy_error_after_a_short_wait() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store.set_busy_timeout(Duration::from_millis(50)).unwrap();
    let other = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let s = scheduler();
    let a = s
        .grade(&ItemKey::new("p/c"), None, Grade::Good, t0(), 0)
        .unwrap();
    let err = store.record(&a, &s).unwrap_err();
    assert!(matches!(err, StoreError::Busy { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "your grade was not saved: another sysdeck is writing to the progress database; try again in a moment"
    );
    other.execute_batch("COMMIT").unwrap();
    store.record(&a, &s).unwrap();
    assert_eq!(store.log().unwrap().len(), 1);
}

/// Every cached state equals a replay of the whole log.
fn assert_cache_is_a_replay(store: &Store) {
    let replayed = sysdeck::srs::replay(&scheduler(), &store.log().unwrap()).unwrap();
    assert_eq!(store.states().unwrap(), replayed);
}

#[test]
fn two_instances_grading_one_card_agree_and_undo_takes_back_only_its_own_row() {
    let dir = tempfile::tempdir().unwrap();
    let (mut one, mut two) = (
        Store::open_in(dir.path()).unwrap(),
        Store::open_in(dir.path()).unwrap(),
    );
    let s = scheduler();
    let key = ItemKey::new("p/c");
    // Both show the new card; one grades it, then two grades it from its stale copy.
    let first = s.grade(&key, None, Grade::Good, t0(), 0).unwrap();
    one.record(&first, &s).unwrap();
    let later = shift(t0(), SignedDuration::from_mins(2));
    let stale = s.grade(&key, None, Grade::Easy, later, 0).unwrap();
    let saved = two.record(&stale, &s).unwrap();
    assert_eq!(
        saved.before,
        Some(first.after.clone()),
        "graded from the log"
    );
    assert_eq!(saved.log.kind, sysdeck::srs::Phase::Learning);
    assert_cache_is_a_replay(&one);

    // One takes its grade back: two's row and the schedule it gives stay.
    one.undo(&first, &s).unwrap();
    assert_eq!(one.log().unwrap(), vec![saved.log.clone()]);
    assert_eq!(one.state(&key).unwrap(), Some(stale.after.clone()));
    assert_cache_is_a_replay(&one);

    // A grade stamped earlier than a row already there (another clock) still ends in a replay.
    let earliest = shift(t0(), SignedDuration::from_mins(1));
    let early = s.grade(&key, None, Grade::Hard, earliest, 0).unwrap();
    one.record(&early, &s).unwrap();
    assert_cache_is_a_replay(&two);
    two.undo(&stale, &s).unwrap();
    assert_eq!(two.log().unwrap(), vec![early.log.clone()]);
    assert_cache_is_a_replay(&two);
}

#[test]
fn undo_removes_the_row_and_restores_the_state() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let s = scheduler();
    let key = ItemKey::new("p/c");
    let first = s.grade(&key, None, Grade::Good, t0(), 0).unwrap();
    store.record(&first, &s).unwrap();
    let later = shift(t0(), SignedDuration::from_mins(11));
    let second = s
        .grade(&key, Some(&first.after), Grade::Good, later, 0)
        .unwrap();
    store.record(&second, &s).unwrap();
    store.undo(&second, &s).unwrap();
    assert_eq!(store.log().unwrap(), vec![first.log.clone()]);
    assert_eq!(store.state(&key).unwrap(), Some(first.after.clone()));
    store.undo(&first, &s).unwrap();
    assert!(store.log().unwrap().is_empty());
    assert_eq!(store.state(&key).unwrap(), None);
}

#[test]
fn an_unclean_exit_keeps_every_committed_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    for i in 0..20 {
        answer(&mut store, &format!("p/card-{i}"), t0());
    }
    // No close, no checkpoint: what a killed process leaves behind (the WAL holds the commits).
    std::mem::forget(store);
    let store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.log().unwrap().len(), 20);
    assert_eq!(store.states().unwrap().len(), 20);
}

#[test]
fn settings_and_parameters_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.settings().unwrap(), Settings::default());
    assert_eq!(store.parameters().unwrap(), None);
    let settings = Settings {
        new_per_day: 7,
        learning_steps: vec![2, 20, 60],
        ..Settings::default()
    };
    store.save_settings(&settings).unwrap();
    let bad = Settings {
        desired_retention: 2.0,
        ..Settings::default()
    };
    assert!(store.save_settings(&bad).is_err());
    let fit = sysdeck::srs::Fit {
        outcome: sysdeck::srs::FitOutcome::Improved,
        items: 100,
        before: None,
        after: Some(sysdeck::srs::Evaluation {
            log_loss: 0.3,
            rmse: 0.05,
        }),
        parameters: fsrs::DEFAULT_PARAMETERS.iter().map(|p| p * 1.01).collect(),
    };
    store.save_parameters(&fit, t0()).unwrap();
    drop(store);
    let store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.settings().unwrap(), settings);
    let saved = store.parameters().unwrap().unwrap();
    assert_eq!(saved.parameters, fit.parameters);
    assert_eq!((saved.items, saved.log_loss), (100, Some(0.3)));
    assert_eq!(
        store
            .scheduler(jiff::tz::TimeZone::UTC)
            .unwrap()
            .parameters(),
        &fit.parameters[..]
    );
}
