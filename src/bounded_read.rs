//! Reading a file a stranger may have named: only regular files, and never more than a limit.
//!
//! A FIFO or a device named like a note would block a plain `read` forever (or, like
//! `/dev/zero`, never end), and a multi-gigabyte file would fill memory. The file is opened
//! without blocking, checked to be a regular file through the open handle (so it cannot be
//! swapped between the check and the read), and read through `take`, so a file that grows
//! after the check still stops at the limit.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ReadError {
    #[error("not a regular file (a {0}); only regular files are read")]
    NotRegular(&'static str),
    #[error("{size} bytes, over the {limit}-byte limit")]
    TooLarge { size: u64, limit: u64 },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// What kind of file system object `meta` describes, for messages.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "folder"
    } else if t.is_fifo() {
        "named pipe"
    } else if t.is_socket() {
        "socket"
    } else if t.is_char_device() || t.is_block_device() {
        "device"
    } else {
        "special file"
    }
}

/// Opens `path` for reading if it is a regular file, without blocking on a FIFO.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta)));
    }
    Ok(file)
}

/// Reads a regular file of at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    if read > limit {
        return Err(ReadError::TooLarge { size: read, limit });
    }
    Ok(bytes)
}

/// Reads a regular UTF-8 text file of at most `limit` bytes.
pub fn read_to_string(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not UTF-8 text ({})", e.utf8_error()),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn a_fifo_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("note.md");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let start = Instant::now();
        let err = read(&fifo, 1024).unwrap_err();
        assert!(matches!(err, ReadError::NotRegular("named pipe")), "{err}");
        assert!(start.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn devices_and_folders_are_refused() {
        assert!(matches!(
            read(Path::new("/dev/zero"), 1024),
            Err(ReadError::NotRegular("device"))
        ));
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read(dir.path(), 1024),
            Err(ReadError::NotRegular("folder"))
        ));
    }

    #[test]
    fn files_over_the_limit_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 2048]).unwrap();
        assert!(matches!(
            read(&path, 1024),
            Err(ReadError::TooLarge {
                size: 2048,
                limit: 1024
            })
        ));
        assert_eq!(read(&path, 2048).unwrap().len(), 2048);
    }
}
