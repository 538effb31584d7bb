//! `pack check --watch`: check, then check again after every burst of file changes.

use std::path::PathBuf;
use std::sync::mpsc::channel;
use std::time::Duration;

use anyhow::{Context, Result};
use notify::{RecursiveMode, Watcher};

/// How long the folders must stay quiet before checking again: an editor's save is often
/// several events (write, rename, chmod) in a few milliseconds.
const SETTLE: Duration = Duration::from_millis(150);

/// Runs `check` now and after each burst of changes under `folders`, until the process is
/// stopped (or the watcher fails).
pub fn run(folders: &[PathBuf], mut check: impl FnMut() -> Result<()>) -> Result<()> {
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if res.is_ok_and(|e| !e.kind.is_access()) {
            let _ = tx.send(());
        }
    })
    .context("cannot watch for file changes")?;
    for folder in folders {
        watcher
            .watch(folder, RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch {}", folder.display()))?;
    }
    check()?;
    while rx.recv().is_ok() {
        while rx.recv_timeout(SETTLE).is_ok() {}
        check()?;
    }
    Ok(())
}
