//! The install record: a small file in an installed pack's folder saying where the pack was
//! installed from (what `pack update` installs again) and, until the app has announced it
//! once, the version an update replaced. The loader never reads hidden files, so the record is
//! invisible to the pack itself.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic_write::{AtomicWriteError, write_atomically};

/// The record's file name inside an installed pack's folder.
pub const RECORD_FILE: &str = ".sysdeck-source";

/// Largest record read; a real one is a few lines.
const MAX_RECORD_BYTES: u64 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The folder or archive the pack was installed from, absolute.
    pub source: PathBuf,
    /// The version installed.
    pub version: String,
    /// The version this install replaced, until the app has shown the update once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_from: Option<String>,
}

impl Record {
    /// The record of an installed pack; `None` for a folder sysdeck did not install (or a
    /// record that cannot be read, which is treated the same).
    pub fn read(pack_dir: &Path) -> Option<Record> {
        let text =
            crate::bounded_read::read_to_string(&pack_dir.join(RECORD_FILE), MAX_RECORD_BYTES)
                .ok()?;
        toml::from_str(&text).ok()
    }

    pub fn write(&self, pack_dir: &Path) -> Result<(), AtomicWriteError> {
        let text = toml::to_string(self).unwrap_or_default();
        write_atomically(&pack_dir.join(RECORD_FILE), |w| {
            w.write_all(text.as_bytes())
        })
    }
}

/// Installed packs updated since the app last started, as (folder, record); each one's
/// `updated_from` is cleared, so the update is announced once.
pub fn take_updates(packs_dir: &Path) -> Vec<(PathBuf, Record)> {
    let Ok(entries) = std::fs::read_dir(packs_dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    dirs.sort();
    let mut out = Vec::new();
    for dir in dirs {
        let Some(record) = Record::read(&dir).filter(|r| r.updated_from.is_some()) else {
            continue;
        };
        let cleared = Record {
            updated_from: None,
            ..record.clone()
        };
        // A record that cannot be rewritten (a read-only folder) is announced every start
        // rather than never.
        let _ = cleared.write(&dir);
        out.push((dir, record));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_is_taken_once() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("k8s");
        std::fs::create_dir(&pack).unwrap();
        let record = Record {
            source: "/tmp/k8s.tar.gz".into(),
            version: "1.2.0".into(),
            updated_from: Some("1.1.0".into()),
        };
        record.write(&pack).unwrap();
        assert_eq!(Record::read(&pack), Some(record.clone()));
        let taken = take_updates(dir.path());
        assert_eq!(taken, [(pack.clone(), record)]);
        assert!(take_updates(dir.path()).is_empty());
        assert_eq!(Record::read(&pack).unwrap().updated_from, None);
    }
}
