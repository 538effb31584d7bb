//! Store errors. Each one a learner can hit says what happened to which file and what to do,
//! and each kind of trouble is named as what it is: a damaged file, a permission, a read-only
//! or full disk, another instance holding the lock. Only a damaged file is ever called damaged,
//! and only then is moving it aside suggested, after a copy was made.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

use crate::srs::SrsError;

const ELSEWHERE: &str = "or use another data directory with --data-dir PATH or the SYSDECK_DATA_DIR environment variable";

pub(crate) type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Not an SQLite file, another program's database, or one that fails `PRAGMA quick_check`.
    #[error("{}", damaged(path, detail, copy))]
    Corrupt {
        path: PathBuf,
        detail: String,
        /// Where the copy made before suggesting to move the file aside went, or why none
        /// could be made.
        copy: Result<PathBuf, String>,
    },

    #[error("{} was written by a newer sysdeck (schema version {found}; this build supports up to {supported}); it was left unchanged. Upgrade sysdeck, {ELSEWHERE}", path.display())]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error("cannot use the data directory {}: {reason}. Choose another with --data-dir PATH or the SYSDECK_DATA_DIR environment variable", path.display())]
    DataDir {
        path: PathBuf,
        reason: String,
        /// The operating system's or SQLite's own error, when there is one.
        #[source]
        source: Option<Cause>,
    },

    /// This user may not read the file (or look into its directory).
    #[error("permission denied: this user cannot read {} ({detail}); it was left unchanged. Run sysdeck as the user who owns it or give this user access, {ELSEWHERE}", path.display())]
    Permission { path: PathBuf, detail: String },

    /// The `-wal` file was deleted while another program still has the database open.
    #[error("{} cannot be read right now: its write-ahead log {}-wal was deleted while another program still has the database open. The database itself is not damaged. Close every other sysdeck using it (the one holding it writes its changes back as it closes), then try again; do not move the database aside", path.display(), path.display())]
    LogMissing { path: PathBuf },

    /// A change refused because the database could only be opened for reading.
    #[error("{context}: {reason}. Everything saved before is intact")]
    ReadOnly { context: String, reason: String },

    /// The disk is full; the database is fine and works again once space is freed.
    #[error(
        "disk full: {context}. The progress database is intact; free some space on its disk and try again"
    )]
    DiskFull { context: String },

    /// Another instance holds the write lock for longer than the busy timeout.
    #[error(
        "{context}: another sysdeck is writing to the progress database; try again in a moment"
    )]
    Busy { context: String },

    /// The disk reported an error reading or writing: a disk fault, not a damaged database.
    #[error(
        "{context}: the disk reported an input/output error. That is a fault of the disk (or of a disk that was removed), not a damaged database; check the disk and try again"
    )]
    Io {
        context: String,
        #[source]
        source: Cause,
    },

    #[error("{context}")]
    Sql {
        context: String,
        #[source]
        source: rusqlite::Error,
    },

    #[error("{context}")]
    Srs {
        context: String,
        #[source]
        source: SrsError,
    },

    /// A value refused before it reached the database, with the reason.
    #[error("{0}")]
    Invalid(String),
}

fn damaged(path: &Path, detail: &str, copy: &Result<PathBuf, String>) -> String {
    let path = path.display();
    let kept = match copy {
        Ok(copy) => format!(
            "it was left unchanged, and a copy was saved as {}. Move the damaged file aside to start over with an empty database",
            copy.display()
        ),
        Err(why) => format!(
            "it was left unchanged, but no copy of it could be made ({why}). Copy it somewhere safe, then move it aside to start over with an empty database"
        ),
    };
    format!(
        "{path} is damaged and cannot be read as a sysdeck database ({detail}); {kept}, {ELSEWHERE}"
    )
}

impl StoreError {
    /// An SQLite failure while doing `context`, named for what it is: busy, disk full,
    /// read-only and input/output failures get their own kinds.
    pub(crate) fn sql(context: impl Into<String>, source: rusqlite::Error) -> Self {
        let context = context.into();
        match source.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                StoreError::Busy { context }
            }
            Some(ErrorCode::DiskFull) => StoreError::DiskFull { context },
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly {
                context,
                reason: format!("the database cannot be written ({source})"),
            },
            Some(ErrorCode::SystemIoFailure) => StoreError::Io {
                context,
                source: Box::new(source),
            },
            _ => StoreError::Sql { context, source },
        }
    }

    pub(crate) fn srs(context: impl Into<String>, source: SrsError) -> Self {
        StoreError::Srs {
            context: context.into(),
            source,
        }
    }
}
