//! The database's files as the file system sees them: SQLite's `-wal` and `-shm` files beside
//! it, whether its disk has room, why it cannot be written, and numbered copies made before a
//! file is given up on or repaired.

use std::ffi::OsString;
use std::fs;
use std::io::{self, ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

/// What a probe writes to learn whether the disk has room: more than SQLite needs to open a
/// database (its 32 KiB shared-memory file) and append a few pages.
const PROBE_BYTES: usize = 64 * 1024;

/// Numbered copies stop here; past it the directory is full of them and something else is wrong.
const MAX_COPIES: u32 = 999;

/// `path` with `suffix` appended to its file name: `sysdeck.db-wal`, `sysdeck.db.damaged-1`.
pub(crate) fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}

/// True when `path` is there and not empty.
fn has_content(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.len() > 0)
}

/// The write-ahead log holds commits not yet copied into the database file.
pub(crate) fn log_has_content(path: &Path) -> bool {
    has_content(&beside(path, "-wal"))
}

/// The shared-memory index is there but its write-ahead log is gone: someone deleted the log
/// while another program had the database open (SQLite removes both when the last one closes).
pub(crate) fn log_deleted(path: &Path) -> bool {
    beside(path, "-shm").exists() && !beside(path, "-wal").exists()
}

/// Whether `dir`'s disk has room, learned by writing (and removing) a small file: the only test
/// that sees quotas, reserved blocks and full inode tables alike.
pub(crate) fn probe_space(dir: &Path) -> io::Result<()> {
    let probe = dir.join(format!(".sysdeck-space-check-{}", std::process::id()));
    let mut file = fs::File::options()
        .write(true)
        .create_new(true)
        .open(&probe)?;
    let wrote = file
        .write_all(&[0; PROBE_BYTES])
        .and_then(|()| file.sync_all());
    drop(file);
    let _ = fs::remove_file(&probe);
    wrote
}

/// True for the errors a full disk or an exhausted quota gives.
pub(crate) fn is_full(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded)
}

/// Why the database at `path` can be read but not written, in words for a refusal.
#[derive(Debug)]
pub(crate) enum Refusal {
    DiskFull,
    ReadOnly(String),
}

impl Refusal {
    /// The reason, as the end of a sentence.
    pub(crate) fn words(&self) -> String {
        match self {
            Refusal::DiskFull => "its disk is full".into(),
            Refusal::ReadOnly(why) => why.clone(),
        }
    }

    /// Looks for the reason SQLite could not write: the file, its directory, its disk.
    /// `sqlite` is what SQLite said, for when none of them shows a problem.
    pub(crate) fn find(path: &Path, sqlite: &str) -> Refusal {
        let shown = path.display();
        // Opening to append never changes the file.
        if let Err(e) = fs::File::options().append(true).open(path) {
            return Refusal::ReadOnly(match e.kind() {
                ErrorKind::ReadOnlyFilesystem => {
                    format!("{shown} is on a file system mounted read-only")
                }
                _ => format!("this user may not write {shown} ({e})"),
            });
        }
        let dir = parent(path);
        match probe_space(dir) {
            Err(e) if is_full(&e) => Refusal::DiskFull,
            Err(e) if e.kind() == ErrorKind::ReadOnlyFilesystem => Refusal::ReadOnly(format!(
                "{} is on a file system mounted read-only",
                dir.display()
            )),
            Err(e) => Refusal::ReadOnly(format!(
                "this user may not create files in {} ({e}); SQLite keeps its journal beside the database",
                dir.display()
            )),
            Ok(()) => Refusal::ReadOnly(format!("{shown} cannot be opened for writing ({sqlite})")),
        }
    }
}

/// The directory holding `path` (`.` for a bare file name).
pub(crate) fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Copies `path` (with its write-ahead log, if any) to the first free `<name>.<tag>-N`, or
/// returns an earlier copy with the same bytes, so running again does not pile up copies.
pub(crate) fn keep_copy(path: &Path, tag: &str) -> io::Result<PathBuf> {
    for n in 1..=MAX_COPIES {
        let copy = beside(path, &format!(".{tag}-{n}"));
        if !copy.exists() {
            fs::copy(path, &copy)?;
            let log = beside(path, "-wal");
            if has_content(&log) {
                fs::copy(&log, beside(&copy, "-wal"))?;
            }
            return Ok(copy);
        }
        if same_bytes(path, &copy)? {
            return Ok(copy);
        }
    }
    Err(too_many(path, tag))
}

/// The first free `<name>.<tag>-N` beside `path`, for a copy SQLite writes itself.
pub(crate) fn free_name(path: &Path, tag: &str) -> io::Result<PathBuf> {
    (1..=MAX_COPIES)
        .map(|n| beside(path, &format!(".{tag}-{n}")))
        .find(|p| !p.exists())
        .ok_or_else(|| too_many(path, tag))
}

fn too_many(path: &Path, tag: &str) -> io::Error {
    io::Error::other(format!(
        "{MAX_COPIES} copies named {}.{tag}-N already exist",
        path.display()
    ))
}

fn same_bytes(a: &Path, b: &Path) -> io::Result<bool> {
    if fs::metadata(a)?.len() != fs::metadata(b)?.len() {
        return Ok(false);
    }
    let (mut x, mut y) = (Vec::new(), Vec::new());
    fs::File::open(a)?.read_to_end(&mut x)?;
    fs::File::open(b)?.read_to_end(&mut y)?;
    Ok(x == y)
}

/// An SQLite URI opening `path` as a file nothing can change, which needs no lock and no
/// shared-memory file: how a database is read on a full disk or a read-only mount. `None` for a
/// path that is not UTF-8.
pub(crate) fn immutable_uri(path: &Path) -> Option<String> {
    let mut uri = String::from("file:");
    for c in path.to_str()?.chars() {
        match c {
            '%' | '?' | '#' => uri.push_str(&format!("%{:02X}", c as u32)),
            _ => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    Some(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_numbered_and_not_repeated() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        fs::write(&db, b"one").unwrap();
        let first = keep_copy(&db, "damaged").unwrap();
        assert_eq!(first, dir.path().join("x.db.damaged-1"));
        assert_eq!(keep_copy(&db, "damaged").unwrap(), first, "same bytes");
        fs::write(&db, b"two").unwrap();
        assert_eq!(
            keep_copy(&db, "damaged").unwrap(),
            dir.path().join("x.db.damaged-2")
        );
        assert_eq!(fs::read(&first).unwrap(), b"one");
        assert_eq!(
            free_name(&db, "damaged").unwrap(),
            dir.path().join("x.db.damaged-3")
        );
    }

    #[test]
    fn uris_escape_what_sqlite_would_read_as_syntax() {
        assert_eq!(
            immutable_uri(Path::new("/a b/50%?#.db")).unwrap(),
            "file:/a b/50%25%3F%23.db?immutable=1"
        );
    }
}
