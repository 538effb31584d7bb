//! A pack's files in memory, as they are exported or installed: each with its path inside the
//! pack (`notes/a.md`, `/`-separated), checked and counted as it is added.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Component, Path};

use include_dir::{Dir, DirEntry};

use super::{MAX_ENTRIES, MAX_TOTAL_BYTES, ShareError};

/// Files of one pack, in the order they were added, within [`MAX_ENTRIES`] and
/// [`MAX_TOTAL_BYTES`].
#[derive(Debug, Default)]
pub struct PackFiles {
    files: Vec<(String, Cow<'static, [u8]>)>,
    names: HashSet<String>,
    entries: usize,
    bytes: u64,
}

/// The path of an archive entry or folder member as a path inside the pack, or why it cannot
/// be one: absolute, climbing out with `..`, or holding characters no pack file name needs.
pub fn inside_path(name: &str) -> Result<String, ShareError> {
    let refuse = |why| ShareError::UnsafeEntry {
        name: name.to_string(),
        why,
    };
    if name.contains('\\') || name.chars().any(crate::safe_text::is_forbidden) {
        return Err(refuse("backslashes and control characters are not allowed"));
    }
    let mut parts = Vec::new();
    for c in Path::new(name).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str().ok_or_else(|| refuse("not UTF-8"))?),
            Component::CurDir => {}
            Component::ParentDir => return Err(refuse("`..` leads outside the pack")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(refuse("an absolute path leads outside the pack"));
            }
        }
    }
    if parts.is_empty() {
        return Err(refuse("an empty path"));
    }
    Ok(parts.join("/"))
}

impl PackFiles {
    /// Counts a folder against the entry limit.
    pub fn folder(&mut self) -> Result<(), ShareError> {
        self.entries += 1;
        if self.entries > MAX_ENTRIES {
            return Err(ShareError::TooManyEntries);
        }
        Ok(())
    }

    /// The most bytes the next file may have before the total is over the limit.
    pub fn budget(&self) -> u64 {
        MAX_TOTAL_BYTES - self.bytes
    }

    /// Reads a file of unknown size, stopping one byte past the budget so a compressed entry
    /// that inflates without end is refused after [`MAX_TOTAL_BYTES`], not after the disk fills.
    pub fn read(&mut self, rel: &str, reader: impl Read) -> Result<(), ShareError> {
        let mut bytes = Vec::new();
        reader
            .take(self.budget() + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ShareError::Corrupt {
                format: "pack",
                why: format!("reading `{rel}`: {e}"),
            })?;
        self.add(rel, Cow::Owned(bytes))
    }

    /// Adds a file at `rel` (already an [`inside_path`]).
    pub fn add(&mut self, rel: &str, bytes: Cow<'static, [u8]>) -> Result<(), ShareError> {
        self.folder()?;
        self.bytes += bytes.len() as u64;
        if self.bytes > MAX_TOTAL_BYTES {
            return Err(ShareError::TooLarge);
        }
        if !self.names.insert(rel.to_string()) {
            return Err(ShareError::Duplicate(rel.to_string()));
        }
        self.files.push((rel.to_string(), bytes));
        Ok(())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(r, b)| (r.as_str(), &b[..]))
    }

    /// Total bytes of the files.
    pub fn size(&self) -> u64 {
        self.bytes
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The pack's files when they sit under one folder at the top (`k8s-basics/pack.toml`),
    /// as most archives have them; unchanged when pack.toml is at the top already.
    pub fn unwrap_top(self) -> Result<PackFiles, ShareError> {
        if self.names.contains("pack.toml") {
            return Ok(self);
        }
        let top = self
            .files
            .first()
            .and_then(|(r, _)| r.split_once('/'))
            .map(|(t, _)| format!("{t}/"))
            .ok_or(ShareError::NoManifest)?;
        if !self.names.contains(&format!("{top}pack.toml"))
            || !self.files.iter().all(|(r, _)| r.starts_with(&top))
        {
            return Err(ShareError::NoManifest);
        }
        let mut out = PackFiles {
            entries: self.entries,
            bytes: self.bytes,
            ..PackFiles::default()
        };
        for (rel, bytes) in self.files {
            let rel = rel[top.len()..].to_string();
            out.names.insert(rel.clone());
            out.files.push((rel, bytes));
        }
        Ok(out)
    }

    /// A pack folder's files. Hidden files and folders (`.git`, the install record) are left
    /// out; a symlink or a special file refuses the whole folder, as it would an archive.
    pub fn from_folder(root: &Path) -> Result<PackFiles, ShareError> {
        let mut out = PackFiles::default();
        out.walk(root, "")?;
        Ok(out)
    }

    fn walk(&mut self, dir: &Path, rel: &str) -> Result<(), ShareError> {
        let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)
            .map_err(ShareError::io(dir))?
            .collect::<Result<_, _>>()
            .map_err(ShareError::io(dir))?;
        entries.sort_by_key(fs::DirEntry::file_name);
        for entry in entries {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let child = format!("{rel}{name}");
            let path = entry.path();
            let kind = entry.file_type().map_err(ShareError::io(&path))?;
            if kind.is_dir() {
                self.folder()?;
                self.walk(&path, &format!("{child}/"))?;
            } else if kind.is_file() {
                let rel = inside_path(&child)?;
                let file = crate::bounded_read::open_regular(&path)
                    .map_err(|e| ShareError::io(&path)(std::io::Error::other(e)))?;
                self.read(&rel, file)?;
            } else {
                return Err(ShareError::UnsafeEntry {
                    name: child,
                    why: if kind.is_symlink() {
                        "symlinks are not installed or exported; copy the file into the pack"
                    } else {
                        "only regular files and folders are installed or exported"
                    },
                });
            }
        }
        Ok(())
    }

    /// The files of a pack built into the binary.
    pub fn from_embedded(dir: &'static Dir<'static>) -> Result<PackFiles, ShareError> {
        let mut out = PackFiles::default();
        let root = dir.path();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for entry in d.entries() {
                match entry {
                    DirEntry::Dir(sub) => {
                        out.folder()?;
                        stack.push(sub);
                    }
                    DirEntry::File(f) => {
                        let rel = f.path().strip_prefix(root).unwrap_or(f.path());
                        let rel = inside_path(&rel.to_string_lossy())?;
                        out.add(&rel, Cow::Borrowed(f.contents()))?;
                    }
                }
            }
        }
        out.files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// Writes the files under `dir`, which must be new and empty: files are created, never
    /// opened if they exist, so nothing outside `dir` can be reached through a planted link.
    pub fn write_to(&self, dir: &Path) -> Result<(), ShareError> {
        for (rel, bytes) in &self.files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(ShareError::io(parent))?;
            }
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .map_err(ShareError::io(&path))?;
            std::io::Write::write_all(&mut file, bytes).map_err(ShareError::io(&path))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        assert_eq!(inside_path("./notes//a.md").unwrap(), "notes/a.md");
        for bad in [
            "/etc/passwd",
            "../x",
            "notes/../../x",
            "",
            "a\\..\\b",
            "a\u{1b}b",
        ] {
            assert!(inside_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn one_top_folder_is_unwrapped() {
        let mut f = PackFiles::default();
        f.add("p/pack.toml", Cow::Borrowed(b"x")).unwrap();
        f.add("p/notes/a.md", Cow::Borrowed(b"y")).unwrap();
        let f = f.unwrap_top().unwrap();
        let names: Vec<&str> = f.iter().map(|(r, _)| r).collect();
        assert_eq!(names, ["pack.toml", "notes/a.md"]);
        let mut f = PackFiles::default();
        f.add("p/notes/a.md", Cow::Borrowed(b"y")).unwrap();
        assert!(matches!(f.unwrap_top(), Err(ShareError::NoManifest)));
    }
}
