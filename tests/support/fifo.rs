//! Named pipes for the hostile-input tests: a FIFO where a file is expected must be refused,
//! never opened in a way that waits for a writer.

use std::path::Path;

/// Makes a FIFO at `path` with the system's `mkfifo`.
pub fn make(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}
