//! Opening the database safely: the directory is checked, and an existing file is inspected
//! through a read-only connection (header, `PRAGMA quick_check`, application id, schema
//! version) before the first write, so a file we cannot use is never touched.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::schema::{self, APPLICATION_ID, SCHEMA_VERSION};
use super::{Result, Store, StoreError};

/// How long a write waits for another instance's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

impl Store {
    /// Opens the database at `path`, creating it (and its directory) when missing, and brings
    /// its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        ensure_dir(dir)?;
        if path.exists() {
            inspect(path)?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| unusable(dir, path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| StoreError::sql("setting the busy timeout", e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure().map_err(|e| unusable(dir, path, e))?;
        let found = schema::migrate(&mut store.conn).map_err(|e| unusable(dir, path, e))?;
        if found > SCHEMA_VERSION {
            return Err(newer(path, found));
        }
        Ok(store)
    }

    /// WAL lets readers and one writer work at once; NORMAL sync is durable across process
    /// crashes (a power cut may lose the last commits, never corrupt the file).
    fn configure(&self) -> rusqlite::Result<()> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(rusqlite::Error::InvalidParameterName(format!(
                "journal mode {mode}, WAL needed"
            )));
        }
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Reading every state at start is the slow path; a larger page cache and memory-mapped
        // reads keep it short.
        self.conn.pragma_update(None, "cache_size", -16_000)?;
        self.conn
            .pragma_update(None, "mmap_size", 256 * 1024 * 1024)?;
        self.conn.pragma_update(None, "foreign_keys", "ON")
    }

    /// Sets `PRAGMA synchronous` (`NORMAL` or `FULL`), for measuring what durability costs.
    pub fn set_synchronous(&self, mode: &str) -> Result<()> {
        self.conn
            .pragma_update(None, "synchronous", mode)
            .map_err(|e| StoreError::sql(format!("setting synchronous = {mode}"), e))
    }
}

/// Creates the directory when missing; refuses one that is not a directory or is read-only.
fn ensure_dir(dir: &Path) -> Result<()> {
    let fail = |reason: String| StoreError::DataDir {
        path: dir.to_path_buf(),
        reason,
    };
    match fs::metadata(dir) {
        Ok(m) if !m.is_dir() => Err(fail("it is not a directory".into())),
        Ok(m) if m.permissions().readonly() => Err(fail("it is read-only".into())),
        Ok(_) => Ok(()),
        Err(_) => fs::create_dir_all(dir).map_err(|e| fail(format!("it cannot be created ({e})"))),
    }
}

/// Checks an existing file without writing to it.
fn inspect(path: &Path) -> Result<()> {
    let corrupt = |detail: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    let mut header = Vec::with_capacity(16);
    fs::File::open(path)
        .and_then(|f| f.take(16).read_to_end(&mut header))
        .map_err(|e| corrupt(format!("cannot read it: {e}")))?;
    if header.is_empty() {
        return Ok(()); // an empty file is an empty database to SQLite
    }
    if header != SQLITE_HEADER {
        return Err(corrupt("it is not an SQLite database".into()));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| corrupt(e.to_string()))?;
    let _ = conn.busy_timeout(BUSY_TIMEOUT);
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| corrupt(e.to_string()))?;
    if check != "ok" {
        return Err(corrupt(format!("integrity check: {check}")));
    }
    let read = |sql: &str| -> Result<i64> {
        conn.query_row(sql, [], |r| r.get(0))
            .map_err(|e| corrupt(e.to_string()))
    };
    let app = read("PRAGMA application_id")?;
    let version = read("PRAGMA user_version")?;
    let tables = read("SELECT count(*) FROM sqlite_schema")?;
    if app != i64::from(APPLICATION_ID) && (app != 0 || version != 0 || tables != 0) {
        return Err(corrupt("it belongs to another program".into()));
    }
    let version = u32::try_from(version).map_err(|_| corrupt(format!("schema {version}")))?;
    if version > SCHEMA_VERSION {
        return Err(newer(path, version));
    }
    Ok(())
}

fn newer(path: &Path, found: u32) -> StoreError {
    StoreError::NewerSchema {
        path: path.to_path_buf(),
        found,
        supported: SCHEMA_VERSION,
    }
}

/// Classifies a failure to open or set up the file: permissions point at the directory,
/// a damaged file is corrupt, anything else keeps SQLite's words.
fn unusable(dir: &Path, path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
            StoreError::DataDir {
                path: dir.to_path_buf(),
                reason: format!("cannot write {} ({e})", path.display()),
            }
        }
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => StoreError::sql(format!("opening {}", path.display()), e),
    }
}
