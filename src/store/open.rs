//! Opening the database safely. An existing file is inspected through a read-only connection
//! (header, `PRAGMA quick_check`, application id, schema version) before the first write, so a
//! file we cannot use is never touched; a failed check is told apart as damage, permission,
//! another instance's lock, a missing write-ahead log or a disk fault. A file that can be read
//! but not written is opened for reading only; where SQLite cannot even create its
//! shared-memory file (a full disk, a read-only mount or directory), it is read as an
//! immutable file.
//!
//! The integrity check reads the whole file, tens of milliseconds on a long history, so in
//! the common case (a sysdeck database in WAL mode at this schema version, which opening for
//! writing leaves as it is) it runs on another thread while the caller reads its progress,
//! and the store is handed over only after the verdict.

use std::fs;
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::ffi::SQLITE_IOERR_SHORT_READ;
use rusqlite::types::FromSql;
use rusqlite::{Connection, ErrorCode, MAIN_DB, OpenFlags};

use super::error::Cause;
use super::files::{self, Refusal};
use super::schema::{self, APPLICATION_ID, SCHEMA_VERSION};
use super::{Result, Store, StoreError};

/// How long a write waits for another instance's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

impl Store {
    /// Opens the database at `path`, creating it (and its directory) when missing, and brings
    /// its schema up to date. A file that can be read but not written opens for reading; its
    /// changes are refused with the reason.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_reading(path, |_| ()).map(|(store, ())| store)
    }

    /// Opens the database at `path` as [`Store::open`] does and runs `read` on it, while the
    /// file's integrity check runs on another thread when it can. `read` gets the store only
    /// to read, and the store is returned only once the check passed, so nothing is written to
    /// a file that fails it. A file that cannot take that quick way in, or fails its check, is
    /// opened the careful way and read again.
    pub fn open_reading<T>(path: &Path, mut read: impl FnMut(&Store) -> T) -> Result<(Store, T)> {
        if let Some((store, check)) = quick_open(path) {
            let value = read(&store);
            let passed = check.join().unwrap_or(false);
            if passed && checkpoint_on_close(&store.conn, true).is_ok() {
                return Ok((store, value));
            }
        }
        let store = Store::open_carefully(path)?;
        let value = read(&store);
        Ok((store, value))
    }

    /// Inspects, then opens: every outcome of opening, for any file.
    fn open_carefully(path: &Path) -> Result<Store> {
        let dir = files::parent(path);
        let exists = exists(path, dir)?;
        ensure_dir(dir, exists)?;
        if !exists {
            return match writer(path, BUSY_TIMEOUT) {
                Ok(conn) => Ok(Store::new(conn, path, None)),
                Err(e) => Err(cannot_create(dir, path, e)),
            };
        }
        let reader = reader(path)?;
        let why = match &reader.limited {
            Some(why) => why.clone(),
            None => match writer(path, BUSY_TIMEOUT) {
                Ok(conn) => return Ok(Store::new(conn, path, None)),
                Err(Opening::Newer(found)) => return Err(newer(path, found)),
                Err(Opening::Sql(e)) if reading_will_do(&e) => e.to_string(),
                Err(Opening::Sql(e)) => {
                    return Err(StoreError::sql(format!("opening {}", path.display()), e));
                }
            },
        };
        let refusal = Refusal::find(path, &why);
        let version = schema::version(&reader.conn)
            .map_err(|e| StoreError::sql(format!("reading {}", path.display()), e))?;
        if version < SCHEMA_VERSION {
            return Err(StoreError::ReadOnly {
                context: format!(
                    "{} needs its schema upgraded (version {version} to {SCHEMA_VERSION}) before this sysdeck can read it",
                    path.display()
                ),
                reason: refusal.words(),
            });
        }
        Ok(Store::new(reader.conn, path, Some(refusal)))
    }

    /// Sets `PRAGMA synchronous` (`NORMAL` or `FULL`), for measuring what durability costs.
    pub fn set_synchronous(&self, mode: &str) -> Result<()> {
        self.conn
            .pragma_update(None, "synchronous", mode)
            .map_err(|e| StoreError::sql(format!("setting synchronous = {mode}"), e))
    }

    /// A number that changes when another connection commits to the database (SQLite's
    /// `PRAGMA data_version`): a copy of the progress kept in memory is stale when it moves.
    /// Costs no table read.
    pub fn data_version(&self) -> Result<i64> {
        self.conn
            .pragma_query_value(None, "data_version", |r| r.get(0))
            .map_err(|e| StoreError::sql("checking for changes by another sysdeck", e))
    }
}

/// Whether the database file is there; a directory this user may not look into is a
/// permission problem, not a missing file.
fn exists(path: &Path, dir: &Path) -> Result<bool> {
    match path.try_exists() {
        Ok(found) => Ok(found),
        Err(e) if e.kind() == ErrorKind::PermissionDenied => Err(StoreError::Permission {
            path: path.to_path_buf(),
            detail: format!("cannot look into {}: {e}", dir.display()),
        }),
        Err(_) => Ok(false),
    }
}

/// Creates the directory when missing; refuses one that is not a directory, or a read-only one
/// when the database would have to be created in it.
fn ensure_dir(dir: &Path, exists: bool) -> Result<()> {
    let fail = |reason: &str, source: Option<Cause>| StoreError::DataDir {
        path: dir.to_path_buf(),
        reason: reason.to_string(),
        source,
    };
    match fs::metadata(dir) {
        Ok(m) if !m.is_dir() => Err(fail("it is not a directory", None)),
        Ok(m) if !exists && m.permissions().readonly() => Err(fail("it is read-only", None)),
        Ok(_) => Ok(()),
        Err(_) => {
            fs::create_dir_all(dir).map_err(|e| fail("it cannot be created", Some(Box::new(e))))
        }
    }
}

/// Why opening for writing failed.
pub(crate) enum Opening {
    Sql(rusqlite::Error),
    /// Another instance upgraded the file to a newer schema meanwhile.
    Newer(u32),
}

impl From<rusqlite::Error> for Opening {
    fn from(e: rusqlite::Error) -> Self {
        Opening::Sql(e)
    }
}

/// A connection for reading and writing, configured, with the schema up to date.
pub(crate) fn writer(path: &Path, busy: Duration) -> Result<Connection, Opening> {
    let conn = connect_writer(path, busy)?;
    prepare(conn)
}

/// A connection for reading and writing, before anything is read or written through it.
fn connect_writer(path: &Path, busy: Duration) -> Result<Connection, Opening> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(busy)?;
    // SQLite quietly opens a file it may not write for reading only.
    if conn.is_readonly(MAIN_DB)? {
        return Err(Opening::Sql(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
            Some("the file is not writable".into()),
        )));
    }
    Ok(conn)
}

/// Configures `conn` and brings the schema up to date.
fn prepare(mut conn: Connection) -> Result<Connection, Opening> {
    configure(&conn)?;
    let found = schema::migrate(&mut conn)?;
    if found > SCHEMA_VERSION {
        return Err(Opening::Newer(found));
    }
    Ok(conn)
}

/// The quick way in: a sysdeck database in WAL mode at this schema version, whose header and
/// first page read well. Opening such a file for writing writes nothing to it (the journal
/// mode is already set, no migration runs), and the writer is kept from checkpointing when it
/// closes, so until the integrity check running on the returned thread passes, the file stays
/// byte for byte as it was. `None` when any of this does not hold.
fn quick_open(path: &Path) -> Option<(Store, JoinHandle<bool>)> {
    if !fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0) || check_header(path).is_err()
    {
        return None;
    }
    let reader = shared_reader(path).ok()?;
    let number = |sql: &str| value::<i64>(&reader, sql).ok();
    let ours = number("PRAGMA application_id")? == i64::from(APPLICATION_ID)
        && number("PRAGMA user_version")? == i64::from(SCHEMA_VERSION)
        && value::<String>(&reader, "PRAGMA journal_mode")
            .ok()?
            .eq_ignore_ascii_case("wal");
    if !ours {
        return None;
    }
    let conn = connect_writer(path, BUSY_TIMEOUT).ok()?;
    checkpoint_on_close(&conn, false).ok()?;
    let conn = prepare(conn).ok()?;
    // A process that may not start another thread takes the careful way.
    let check = thread::Builder::new()
        .name("database check".into())
        .spawn(move || {
            value::<String>(&reader, "PRAGMA quick_check").is_ok_and(|verdict| verdict == "ok")
        })
        .ok()?;
    Some((Store::new(conn, path, None), check))
}

/// The one value `sql` (a pragma or a count) gives.
fn value<T: FromSql>(conn: &Connection, sql: &str) -> rusqlite::Result<T> {
    conn.query_row(sql, [], |r| r.get(0))
}

/// Whether closing `conn` checkpoints the write-ahead log into the file, as SQLite does by
/// default; off only while the file's integrity check is pending.
fn checkpoint_on_close(conn: &Connection, on: bool) -> rusqlite::Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, !on)
        .map(drop)
}

/// WAL lets readers and one writer work at once; NORMAL sync is durable across process
/// crashes (a power cut may lose the last commits, never corrupt the file).
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    let mode: String = value(conn, "PRAGMA journal_mode = WAL")?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "journal mode {mode}, WAL needed"
        )));
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Reading every state at start is the slow path; a larger page cache and memory-mapped
    // reads keep it short.
    conn.pragma_update(None, "cache_size", -16_000)?;
    conn.pragma_update(None, "mmap_size", 256 * 1024 * 1024)?;
    conn.pragma_update(None, "foreign_keys", "ON")
}

/// Failures that mean "not writable here" rather than "not usable": the file can still be read.
fn reading_will_do(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(
            ErrorCode::ReadOnly
                | ErrorCode::CannotOpen
                | ErrorCode::PermissionDenied
                | ErrorCode::DiskFull
                | ErrorCode::SystemIoFailure
        )
    )
}

/// Why a new database could not be created in `dir`.
fn cannot_create(dir: &Path, path: &Path, e: Opening) -> StoreError {
    let (reason, source) = match e {
        Opening::Newer(found) => return newer(path, found),
        Opening::Sql(e) => match Refusal::find(path, &e.to_string()) {
            Refusal::DiskFull => ("its disk is full".to_string(), None),
            Refusal::ReadOnly(_) => (format!("cannot write {}", path.display()), Some(e)),
        },
    };
    StoreError::DataDir {
        path: dir.to_path_buf(),
        reason,
        source: source.map(|e| Box::new(e) as Cause),
    }
}

/// A checked read-only connection.
struct Reader {
    conn: Connection,
    /// Why a plain read-only connection failed, when this one reads the file as immutable.
    limited: Option<String>,
}

/// What went wrong inspecting through one kind of connection.
enum Trouble {
    /// The file cannot be used: damaged, foreign, newer, or not this user's to read.
    Fatal(StoreError),
    /// SQLite could not set up its working files (or read through them): the file may still
    /// be readable another way.
    Storage {
        why: String,
        /// The write-ahead log was shorter than its index says: it was deleted or cut.
        short_read: bool,
    },
}

/// Opens `path` for reading and checks it is a usable sysdeck database, without writing to it.
fn reader(path: &Path) -> Result<Reader> {
    check_header(path)?;
    // Looked at before connecting: a reader recreates a missing log, empty.
    let deleted = files::log_deleted(path);
    let trouble = match shared_reader(path) {
        Ok(conn) => match inspect(&conn, path) {
            Ok(()) => {
                return Ok(Reader {
                    conn,
                    limited: None,
                });
            }
            Err(t) => t,
        },
        Err(e) => trouble(path, e),
    };
    let first = match trouble {
        Trouble::Fatal(e) => return Err(e),
        Trouble::Storage { short_read, .. } if deleted || short_read => {
            return Err(StoreError::LogMissing {
                path: path.to_path_buf(),
            });
        }
        Trouble::Storage { why, .. } => why,
    };
    // Read as immutable, SQLite ignores the write-ahead log: only right when it is empty.
    if !files::log_has_content(path)
        && let Some(conn) = immutable_reader(path)
    {
        match inspect(&conn, path) {
            Ok(()) => {
                return Ok(Reader {
                    conn,
                    limited: Some(first),
                });
            }
            Err(Trouble::Fatal(e)) => return Err(e),
            Err(Trouble::Storage { .. }) => {}
        }
    }
    Err(cannot_read(path, first))
}

fn shared_reader(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

fn immutable_reader(path: &Path) -> Option<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(files::immutable_uri(path)?, flags).ok()
}

/// The file's first bytes: it must be empty (SQLite's empty database) or an SQLite file.
fn check_header(path: &Path) -> Result<()> {
    let mut header = Vec::with_capacity(16);
    fs::File::open(path)
        .and_then(|f| f.take(16).read_to_end(&mut header))
        .map_err(|e| match e.kind() {
            ErrorKind::PermissionDenied => StoreError::Permission {
                path: path.to_path_buf(),
                detail: e.to_string(),
            },
            _ => StoreError::Io {
                context: format!("{} cannot be read", path.display()),
                source: Box::new(e),
            },
        })?;
    if !header.is_empty() && header != SQLITE_HEADER {
        return Err(corrupt(path, "it is not an SQLite database".into()));
    }
    Ok(())
}

/// Checks the file through `conn`: its integrity, that it is sysdeck's, and not newer.
fn inspect(conn: &Connection, path: &Path) -> Result<(), Trouble> {
    let check: String = value(conn, "PRAGMA quick_check").map_err(|e| trouble(path, e))?;
    if check != "ok" {
        let codes = result_codes(&check);
        let why = format!("integrity check: {check}");
        // An input/output, full-disk or cannot-open code is a fault of the disk or of the
        // files beside the database, not damage to it.
        return Err(if codes.iter().any(|c| matches!(c & 0xff, 10 | 13 | 14)) {
            Trouble::Storage {
                why,
                short_read: codes.contains(&SQLITE_IOERR_SHORT_READ),
            }
        } else {
            Trouble::Fatal(corrupt(path, why))
        });
    }
    let read =
        |sql: &str| -> Result<i64, Trouble> { value(conn, sql).map_err(|e| trouble(path, e)) };
    let app = read("PRAGMA application_id")?;
    let version = read("PRAGMA user_version")?;
    let tables = read("SELECT count(*) FROM sqlite_schema")?;
    let fatal = |e| Err(Trouble::Fatal(e));
    if app != i64::from(APPLICATION_ID) && (app != 0 || version != 0 || tables != 0) {
        return fatal(corrupt(path, "it belongs to another program".into()));
    }
    match u32::try_from(version) {
        Ok(v) if v > SCHEMA_VERSION => fatal(newer(path, v)),
        Ok(_) => Ok(()),
        Err(_) => fatal(corrupt(path, format!("schema version {version}"))),
    }
}

/// The SQLite result codes `PRAGMA quick_check` gives for pages it could not read.
fn result_codes(check: &str) -> Vec<i32> {
    check
        .split("error code=")
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

/// An SQLite failure while inspecting, named for what it is.
fn trouble(path: &Path, e: rusqlite::Error) -> Trouble {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            Trouble::Fatal(corrupt(path, e.to_string()))
        }
        Some(ErrorCode::PermissionDenied | ErrorCode::AuthorizationForStatementDenied) => {
            Trouble::Fatal(StoreError::Permission {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            Trouble::Fatal(StoreError::sql(format!("opening {}", path.display()), e))
        }
        _ => Trouble::Storage {
            short_read: matches!(&e, rusqlite::Error::SqliteFailure(f, _)
                if f.extended_code == SQLITE_IOERR_SHORT_READ),
            why: e.to_string(),
        },
    }
}

/// A file SQLite could not read even as immutable: a full disk (SQLite needs a little room for
/// its working files), or a disk fault.
fn cannot_read(path: &Path, why: String) -> StoreError {
    let context = format!("{} cannot be read", path.display());
    match files::probe_space(files::parent(path)) {
        Err(e) if files::is_full(&e) => StoreError::DiskFull {
            context: format!("{context}: SQLite needs a little free space beside it ({why})"),
        },
        _ => StoreError::Io {
            context,
            source: why.into(),
        },
    }
}

/// A damaged or foreign file: a copy is kept before the learner is told to move it aside.
fn corrupt(path: &Path, detail: String) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        detail,
        copy: files::keep_copy(path, "damaged").map_err(|e| e.to_string()),
    }
}

fn newer(path: &Path, found: u32) -> StoreError {
    StoreError::NewerSchema {
        path: path.to_path_buf(),
        found,
        supported: SCHEMA_VERSION,
    }
}
