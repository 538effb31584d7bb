//! Replacing a file all at once: the new contents go to a temporary file in the target's own
//! folder, are flushed to disk, and then renamed over the target. A reader sees the old file or
//! the new one, never half of either, and any failure leaves the old file as it was.
//!
//! `tempfile` makes the temporary file (a fresh name, created exclusively, deleted if anything
//! fails) and does the replacing rename the right way on each platform.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;
use thiserror::Error;

/// Why a file could not be replaced; the file at `target` is as it was before.
#[derive(Debug, Error)]
#[error("could not {step} {}; the file there is left as it was", target.display())]
pub struct AtomicWriteError {
    pub target: PathBuf,
    step: &'static str,
    #[source]
    source: io::Error,
}

/// Who may read a file that did not exist before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewFile {
    /// Its owner only: progress and records about the learner.
    Private,
    /// Everyone may read it (0644): a pack archive made to be shared.
    Shared,
}

/// Replaces `target` with what `write` produces. The new file keeps the old one's permissions
/// (a new file is readable by its owner only).
pub fn write_atomically(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), AtomicWriteError> {
    write_new(target, NewFile::Private, write)
}

/// [`write_atomically`], choosing who may read `target` when it is a new file.
pub fn write_new(
    target: &Path,
    new: NewFile,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), AtomicWriteError> {
    replace(target, new, Flush::ToDisk, write)
}

/// [`write_atomically`] without waiting for the disk: for a file that is checked whenever it
/// is read and rebuilt when it fails (the compiled pack index). After a crash the target is
/// the old file, the new one, or one that fails its checks; never half of one that passes.
pub fn write_unflushed(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), AtomicWriteError> {
    replace(target, NewFile::Private, Flush::Skip, write)
}

/// Whether a replacement waits until its contents and folder are on disk.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flush {
    ToDisk,
    Skip,
}

fn replace(
    target: &Path,
    new: NewFile,
    flush: Flush,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), AtomicWriteError> {
    let fail = |step: &'static str| {
        move |source: io::Error| AtomicWriteError {
            target: target.to_path_buf(),
            step,
            source,
        }
    };
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp =
        NamedTempFile::new_in(folder).map_err(fail("create a temporary file in the folder of"))?;
    let mut out = BufWriter::new(temp.as_file_mut());
    write(&mut out)
        .and_then(|()| out.flush())
        .map_err(fail("write the new contents of"))?;
    drop(out);
    if let Ok(old) = fs::metadata(target) {
        fs::set_permissions(temp.path(), old.permissions())
            .map_err(fail("copy the permissions of"))?;
    } else if new == NewFile::Shared {
        share(temp.path()).map_err(fail("set the permissions of"))?;
    }
    if flush == Flush::ToDisk {
        temp.as_file()
            .sync_all()
            .map_err(fail("flush to disk the new contents of"))?;
    }
    temp.persist(target)
        .map_err(|e| e.error)
        .map_err(fail("replace"))?;
    match flush {
        Flush::ToDisk => sync_folder(folder).map_err(fail("flush to disk the folder of")),
        Flush::Skip => Ok(()),
    }
}

#[cfg(unix)]
fn share(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn share(_: &Path) -> io::Result<()> {
    Ok(())
}

/// Makes the rename itself durable; only Unix lets a folder be opened and flushed.
#[cfg(unix)]
fn sync_folder(folder: &Path) -> io::Result<()> {
    File::open(folder)?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_nothing_else() {
        for flush in [Flush::ToDisk, Flush::Skip] {
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("out.txt");
            fs::write(&target, "old").unwrap();
            replace(&target, NewFile::Private, flush, |w| w.write_all(b"new")).unwrap();
            assert_eq!(fs::read_to_string(&target).unwrap(), "new");
            assert_eq!(entries(dir.path()), ["out.txt"]);
        }
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
        for flush in [Flush::ToDisk, Flush::Skip] {
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("out.txt");
            fs::write(&target, "old").unwrap();
            let err = replace(&target, NewFile::Private, flush, |w| {
                w.write_all(b"half")?;
                Err(io::Error::other("disk full"))
            })
            .unwrap_err();
            assert!(err.to_string().contains("left as it was"), "{err}");
            assert_eq!(fs::read_to_string(&target).unwrap(), "old");
            assert_eq!(entries(dir.path()), ["out.txt"]);
        }
    }

    #[test]
    fn a_target_that_cannot_be_replaced_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a-folder");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("inside"), "kept").unwrap();
        let err = write_atomically(&target, |w| w.write_all(b"new")).unwrap_err();
        assert!(err.to_string().starts_with("could not replace"), "{err}");
        assert_eq!(fs::read_to_string(target.join("inside")).unwrap(), "kept");
        assert_eq!(entries(dir.path()), ["a-folder"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_shared_file_is_readable_by_everyone_and_a_private_one_by_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |name: &str, new: NewFile| {
            let target = dir.path().join(name);
            write_new(&target, new, |w| w.write_all(b"pack")).unwrap();
            fs::metadata(&target).unwrap().permissions().mode() & 0o777
        };
        assert_eq!(mode("pack.tar.gz", NewFile::Shared), 0o644);
        assert_eq!(mode("progress.jsonl", NewFile::Private), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_permissions_of_the_file_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).unwrap();
        write_atomically(&target, |w| w.write_all(b"new")).unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }
}
