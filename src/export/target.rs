//! Where an export may go: never over the progress database, its journal files or any other
//! SQLite database, and over an existing file only when it is a progress file already, unless
//! the learner says `--force`.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::read::looks_like_progress;

/// The first 16 bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";
/// How much of an existing file is read to recognise a progress file.
const SNIFF: u64 = 64 << 10;

/// Why an export will not write to a path; nothing was written.
#[derive(Debug, Error)]
pub enum TargetError {
    #[error(
        "{} is the progress database{}; an export must go to a file of its own, e.g. \
         progress.jsonl", path.display(), if *journal { "'s journal" } else { "" }
    )]
    Database { path: PathBuf, journal: bool },
    #[error(
        "{} is an SQLite database; an export never overwrites one (choose another file)",
        path.display()
    )]
    Sqlite { path: PathBuf },
    #[error("{} is a folder; name a file to export to", path.display())]
    Folder { path: PathBuf },
    #[error(
        "{} exists and is not a sysdeck progress file; choose another name, or pass --force to \
         replace it", path.display()
    )]
    NotProgress { path: PathBuf },
    #[error("cannot check {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Checks that an export may write to `target`, given the progress database at `database`.
/// `force` allows replacing a file that is not a progress file, never a database.
pub fn check_target(target: &Path, database: &Path, force: bool) -> Result<(), TargetError> {
    let path = || target.to_path_buf();
    let io = |source| TargetError::Io {
        path: path(),
        source,
    };
    let resolved = resolve(target);
    let database = fs::canonicalize(database).unwrap_or_else(|_| database.to_path_buf());
    for (suffix, journal) in [
        ("", false),
        ("-wal", true),
        ("-shm", true),
        ("-journal", true),
    ] {
        let mut name = database.clone().into_os_string();
        name.push(suffix);
        if resolved.as_os_str() == name {
            return Err(TargetError::Database {
                path: path(),
                journal,
            });
        }
    }
    let meta = match fs::metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(e)),
    };
    if meta.is_dir() {
        return Err(TargetError::Folder { path: path() });
    }
    if meta.len() == 0 {
        return Ok(());
    }
    let mut start = Vec::new();
    BufReader::new(File::open(target).map_err(io)?)
        .take(SNIFF)
        .read_until(b'\n', &mut start)
        .map_err(io)?;
    if start.starts_with(SQLITE_HEADER) {
        return Err(TargetError::Sqlite { path: path() });
    }
    match force || looks_like_progress(&start) {
        true => Ok(()),
        false => Err(TargetError::NotProgress { path: path() }),
    }
}

/// `path` with links and `..` resolved, also when the file does not exist yet.
fn resolve(path: &Path) -> PathBuf {
    if let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (fs::canonicalize(parent), path.file_name()) {
        (Ok(folder), Some(name)) => folder.join(name),
        _ => path.to_path_buf(),
    }
}
