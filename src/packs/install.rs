//! Installing a pack folder or archive into `<data dir>/packs/<id>/`: unpack into a staging
//! folder (on the same disk, so the last step is a rename), let the caller check it, then put
//! it in place of any pack installed under the same id, in one rename each way.

use std::fs;
use std::path::{Path, PathBuf};

use semver::Version;
use tempfile::TempDir;
use thiserror::Error;

use super::ShareError;
use super::archive::{self, Format};
use super::files::PackFiles;
use super::record::{RECORD_FILE, Record};
use crate::content::{Candidate, Library, Manifest, Origin};

/// Where staging folders go, inside the data directory and beside `packs/` (never in it:
/// every folder in `packs/` is loaded as a pack).
const STAGING: &str = ".staging";

/// What a pack is installed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Absolute.
    pub path: PathBuf,
    /// `None` for a folder.
    pub archive: Option<Format>,
}

impl Source {
    /// A folder, or a file whose extension names an archive format.
    pub fn resolve(path: &Path) -> Result<Source, ShareError> {
        let abs = path.canonicalize().map_err(ShareError::io(path))?;
        if abs.is_dir() {
            return Ok(Source {
                path: abs,
                archive: None,
            });
        }
        match Format::of(path) {
            Some(format) if abs.is_file() => Ok(Source {
                path: abs,
                archive: Some(format),
            }),
            _ => Err(ShareError::UnknownSource(path.to_path_buf())),
        }
    }

    pub fn files(&self) -> Result<PackFiles, ShareError> {
        match self.archive {
            Some(format) => archive::read(&self.path, format),
            None => PackFiles::from_folder(&self.path),
        }
    }
}

/// A pack unpacked into a fresh folder, waiting to be checked and put in place. Dropping it
/// removes the folder.
pub struct Staged {
    dir: TempDir,
    pub files: usize,
    pub bytes: u64,
}

impl Staged {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// A fresh folder named `<prefix>...` in `root`, made first if need be.
fn fresh_folder(root: &Path, prefix: &str) -> Result<TempDir, ShareError> {
    fs::create_dir_all(root).map_err(ShareError::io(root))?;
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(root)
        .map_err(ShareError::io(root))
}

/// Unpacks `source` into a staging folder of the data directory.
pub fn stage(source: &Source, data_dir: &Path) -> Result<Staged, ShareError> {
    let files = source.files()?;
    let dir = fresh_folder(&data_dir.join(STAGING), "install-")?;
    files.write_to(dir.path())?;
    Ok(Staged {
        dir,
        files: files.len(),
        bytes: files.size(),
    })
}

/// What is installed under an id now.
#[derive(Debug)]
pub enum Existing {
    Nothing,
    /// A folder without an install record: made by hand, perhaps the learner's own work.
    Unrecorded(PathBuf),
    Installed {
        record: Record,
        /// `None` when its pack.toml no longer loads.
        manifest: Option<Box<Manifest>>,
    },
}

/// What stands at `<packs_dir>/<id>`.
pub fn existing(packs_dir: &Path, id: &str) -> Existing {
    let dir = packs_dir.join(id);
    if dir.symlink_metadata().is_err() {
        return Existing::Nothing;
    }
    let Some(record) = Record::read(&dir) else {
        return Existing::Unrecorded(dir);
    };
    let lib = Library::from_candidates(vec![Candidate::disk(&dir, Origin::User(dir.clone()))]);
    let manifest = lib.packs.into_iter().next().map(|p| Box::new(p.manifest));
    Existing::Installed { record, manifest }
}

/// Why an install would not replace what is installed (without `--force`).
#[derive(Debug, Error, PartialEq, Eq)]
pub enum Refusal {
    #[error("{} exists and was not installed with `sysdeck pack install`; it may be your own work", .0.display())]
    NotInstalled(PathBuf),
    #[error("a different pack with the id `{id}` is installed: \"{installed}\" by {by}")]
    DifferentPack {
        id: String,
        installed: String,
        by: String,
    },
    #[error("`{id}` {installed} is installed, which is newer than {new}")]
    Downgrade {
        id: String,
        installed: Version,
        new: Version,
    },
}

/// Whether `new` may replace what is installed: nothing; the same pack (same source, or the
/// same name and authors) at the same or an older version. Anything else needs `--force`.
pub fn may_replace(existing: &Existing, new: &Manifest, source: &Path) -> Result<(), Refusal> {
    let (record, manifest) = match existing {
        Existing::Nothing => return Ok(()),
        Existing::Unrecorded(dir) => return Err(Refusal::NotInstalled(dir.clone())),
        Existing::Installed { record, manifest } => (record, manifest),
    };
    if record.source == source {
        return Ok(());
    }
    let Some(old) = manifest else {
        return Ok(());
    };
    if old.name != new.name || old.authors != new.authors {
        let by = if old.authors.is_empty() {
            "no named author".to_string()
        } else {
            old.authors.join(", ")
        };
        return Err(Refusal::DifferentPack {
            id: new.id.clone(),
            installed: old.name.clone(),
            by,
        });
    }
    if old.version > new.version {
        return Err(Refusal::Downgrade {
            id: new.id.clone(),
            installed: old.version.clone(),
            new: new.version.clone(),
        });
    }
    Ok(())
}

/// Puts a checked pack in place as `<packs_dir>/<id>` with its install record. Whatever was
/// there is moved aside first and removed last, so the id always names a whole pack.
pub fn commit(
    staged: Staged,
    packs_dir: &Path,
    id: &str,
    record: &Record,
) -> Result<PathBuf, ShareError> {
    let record_path = staged.path().join(RECORD_FILE);
    record
        .write(staged.path())
        .map_err(|e| ShareError::io(&record_path)(std::io::Error::other(e)))?;
    fs::create_dir_all(packs_dir).map_err(ShareError::io(packs_dir))?;
    let target = packs_dir.join(id);
    let staging_root = staged
        .path()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| packs_dir.to_path_buf());
    let old = if target.symlink_metadata().is_ok() {
        let aside = fresh_folder(&staging_root, "replaced-")?.keep().join(id);
        fs::rename(&target, &aside).map_err(ShareError::io(&target))?;
        Some(aside)
    } else {
        None
    };
    let from = staged.dir.keep();
    if let Err(e) = fs::rename(&from, &target) {
        // Put the old pack back; the new one stays in staging for the next try to clean.
        if let Some(old) = &old {
            let _ = fs::rename(old, &target);
        }
        return Err(ShareError::io(&target)(e));
    }
    if let Some(old) = old.as_ref().and_then(|o| o.parent()) {
        let _ = fs::remove_dir_all(old);
    }
    Ok(target)
}

/// Removes `<packs_dir>/<id>`: moved aside in one rename (so no half-removed pack is ever
/// loaded), then deleted.
pub fn remove(packs_dir: &Path, data_dir: &Path, id: &str) -> Result<(), ShareError> {
    let target = packs_dir.join(id);
    let aside = fresh_folder(&data_dir.join(STAGING), "removed-")?;
    fs::rename(&target, aside.path().join(id)).map_err(ShareError::io(&target))?;
    fs::remove_dir_all(aside.path()).map_err(ShareError::io(aside.path()))
}
