//! Reading a pack's files from a folder on disk or from the copy embedded in the binary.
//!
//! Only `pack.toml`, `notes/**/*.md` and `decks/**/*.toml` are read. Files over 1 MiB, special
//! files (FIFOs, sockets, devices) and symlinks that lead outside the pack are refused before any
//! byte is read; a folder reached twice (a symlink loop) or nested too deep is reported, not walked.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fs::{self, Metadata};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use include_dir::{Dir, DirEntry};
use rayon::prelude::*;

use super::model::Origin;
use crate::bounded_read::{self, ReadError};

/// Largest file a pack may hold.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Deepest folder nesting followed below `notes/` or `decks/`.
pub const MAX_DEPTH: usize = 16;
/// Most entries of assets/ looked at for [`Assets::stamp`]; a symlink loop ends there.
const MAX_ASSET_ENTRIES: usize = 100_000;

/// One pack folder to load.
pub struct Candidate {
    pub dir: PackDir,
    pub origin: Origin,
    pub label: String,
}

impl Candidate {
    pub fn disk(path: &Path, origin: Origin) -> Self {
        Candidate {
            dir: PackDir::Disk(path.to_path_buf()),
            origin,
            label: path.display().to_string().trim_end_matches('/').to_string(),
        }
    }
}

/// Where a pack's files are.
#[derive(Debug, Clone)]
pub enum PackDir {
    Disk(PathBuf),
    Embedded(&'static Dir<'static>),
}

/// One file of a pack, with its path inside the pack (`decks/a.toml`, always `/`-separated).
#[derive(Debug, Clone)]
pub struct RawFile {
    pub rel: String,
    pub bytes: Cow<'static, [u8]>,
    /// Where it was read on disk, so diagnostics can read it again instead of keeping a copy.
    pub path: Option<PathBuf>,
    /// Its size and times when read from disk (or built into the binary), for the compiled
    /// pack index.
    pub stamp: Option<Stamp>,
}

impl RawFile {
    /// A file held in memory only (tests, fuzzing).
    pub fn in_memory(rel: &str, bytes: Vec<u8>) -> RawFile {
        RawFile {
            rel: rel.to_string(),
            bytes: Cow::Owned(bytes),
            path: None,
            stamp: None,
        }
    }
}

/// What tells a changed file from an unchanged one without reading it: its size and its
/// modification and status-change times, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
}

impl Stamp {
    /// The stamp of a file built into this binary: its size with the binary's own times,
    /// since it changes only with the binary. `None` when the binary cannot be looked at;
    /// such files are then told apart by their bytes.
    pub fn built_in(size: u64) -> Option<Stamp> {
        let exe = Stamp::of_exe()?;
        Some(Stamp { size, ..exe })
    }

    /// The stamp of the running binary, looked at once.
    pub fn of_exe() -> Option<Stamp> {
        static EXE: OnceLock<Option<Stamp>> = OnceLock::new();
        *EXE.get_or_init(|| {
            let meta = std::env::current_exe().and_then(fs::metadata).ok()?;
            Some(Stamp::of(&meta))
        })
    }

    pub fn of(meta: &fs::Metadata) -> Stamp {
        let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
        Stamp {
            size: meta.len(),
            mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// A regular content file the listing only stamped: the checker reads it, on all cores, unless
/// the compiled pack index already holds what it yields.
#[derive(Debug, Clone)]
pub struct Unread {
    pub rel: String,
    pub path: PathBuf,
    pub stamp: Stamp,
}

/// A file that could not be read, and why.
#[derive(Debug, Clone)]
pub enum FileProblem {
    TooLarge(u64),
    /// A FIFO, socket, device or other non-regular file, by kind.
    NotRegular(&'static str),
    SymlinkEscape(PathBuf),
    /// A folder already walked under another name: a symlink loop.
    Loop,
    /// A folder nested deeper than [`MAX_DEPTH`].
    TooDeep,
    Unreadable(String),
    /// A file in `notes/` or `decks/` with the wrong extension.
    Ignored,
}

#[derive(Debug, Default)]
pub struct Listing {
    pub manifest: Option<RawFile>,
    pub files: Vec<RawFile>,
    /// Content files stamped but not read, for the checker to read or take from the index.
    pub unread: Vec<Unread>,
    pub problems: Vec<(String, FileProblem)>,
    pub assets: Assets,
}

/// A pack's `assets/` folder. Nothing in it is read while listing: a file is looked at only
/// when a note links to it or includes it, with the same limits as notes and decks.
#[derive(Debug, Clone, Default)]
pub enum Assets {
    /// No folder to read from (packs built in memory, as tests do).
    #[default]
    None,
    /// The pack folder, canonicalized.
    Disk(PathBuf),
    Embedded(&'static Dir<'static>),
}

impl Assets {
    /// A hash of the assets/ folder's listing (paths, sizes, times): notes that link to or
    /// include an asset are compiled again when it changes.
    pub fn stamp(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        match self {
            Assets::None => {}
            Assets::Embedded(dir) => {
                if let Some(assets) = dir.get_dir(dir.path().join("assets")) {
                    let mut stack = vec![assets];
                    while let Some(d) = stack.pop() {
                        for e in d.entries() {
                            h.update(e.path().as_os_str().as_encoded_bytes());
                            match e {
                                DirEntry::Dir(sub) => stack.push(sub),
                                DirEntry::File(f) => h.update(&f.contents().len().to_le_bytes()),
                            }
                        }
                    }
                }
            }
            Assets::Disk(root) => {
                let mut stack = vec![(root.join("assets"), 0)];
                let mut seen = 0usize;
                while let Some((d, depth)) = stack.pop() {
                    let Ok(rd) = fs::read_dir(&d) else { continue };
                    let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
                    entries.sort_by_key(fs::DirEntry::file_name);
                    for e in entries {
                        seen += 1;
                        if seen > MAX_ASSET_ENTRIES {
                            return h.digest();
                        }
                        let path = e.path();
                        h.update(path.as_os_str().as_encoded_bytes());
                        let Ok(meta) = fs::metadata(&path) else {
                            continue;
                        };
                        if meta.is_dir() {
                            if depth < MAX_DEPTH {
                                stack.push((path, depth + 1));
                            }
                        } else {
                            let st = Stamp::of(&meta);
                            h.update(&st.size.to_le_bytes());
                            h.update(&st.mtime_ns.to_le_bytes());
                            h.update(&st.ctime_ns.to_le_bytes());
                        }
                    }
                }
            }
        }
        h.digest()
    }

    /// Whether `rel` (`assets/...`) is a regular file inside the pack.
    pub fn exists(&self, rel: &str) -> bool {
        match self {
            Assets::None => false,
            Assets::Disk(root) => inside(root, &root.join(rel)).is_some_and(|p| p.is_file()),
            Assets::Embedded(dir) => dir.get_file(dir.path().join(rel)).is_some(),
        }
    }

    /// The bytes of `rel` (`assets/...`), refused like any pack file when it is too large, not
    /// a regular file or outside the pack.
    pub fn read(&self, rel: &str) -> Result<Cow<'static, [u8]>, FileProblem> {
        let missing = || FileProblem::Unreadable("no such file".to_string());
        match self {
            Assets::None => Err(missing()),
            Assets::Embedded(dir) => {
                let file = dir.get_file(dir.path().join(rel)).ok_or_else(missing)?;
                let size = file.contents().len() as u64;
                if size > MAX_FILE_BYTES {
                    return Err(FileProblem::TooLarge(size));
                }
                Ok(Cow::Borrowed(file.contents()))
            }
            Assets::Disk(root) => {
                let path = root.join(rel);
                if path.symlink_metadata().is_err() {
                    return Err(missing());
                }
                let real = inside(root, &path).ok_or_else(|| {
                    FileProblem::SymlinkEscape(fs::read_link(&path).unwrap_or(path.clone()))
                })?;
                bounded_read::read(&real, MAX_FILE_BYTES)
                    .map(Cow::Owned)
                    .map_err(problem)
            }
        }
    }
}

/// `path` with symlinks resolved, if it stays inside `root`.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    path.canonicalize().ok().filter(|p| p.starts_with(root))
}

pub(crate) fn problem(e: ReadError) -> FileProblem {
    match e {
        ReadError::TooLarge { size, .. } => FileProblem::TooLarge(size),
        ReadError::NotRegular(kind) => FileProblem::NotRegular(kind),
        ReadError::Io(e) => FileProblem::Unreadable(e.to_string()),
    }
}

/// Which kind of content a path inside a pack holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FileKind {
    Note,
    Deck,
}

impl FileKind {
    fn folder(self) -> &'static str {
        match self {
            FileKind::Note => "notes",
            FileKind::Deck => "decks",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            FileKind::Note => "md",
            FileKind::Deck => "toml",
        }
    }

    pub fn of(rel: &str) -> Option<Self> {
        [FileKind::Note, FileKind::Deck]
            .into_iter()
            .find(|k| rel.starts_with(k.folder()) && rel.ends_with(&format!(".{}", k.extension())))
    }
}

fn hidden(name: &str) -> bool {
    name.starts_with('.')
}

impl PackDir {
    pub fn list(&self) -> Listing {
        match self {
            PackDir::Disk(root) => list_disk(root),
            PackDir::Embedded(dir) => list_embedded(dir),
        }
    }

    /// One file of a listing read again by its path in the pack, bounded like every read
    /// (see [`bounded_read`]): for compiling it again after the listing.
    pub(crate) fn read_file(&self, rel: &str) -> Option<RawFile> {
        let (bytes, path) = match self {
            PackDir::Disk(root) => {
                let path = root.join(rel);
                let bytes = bounded_read::read(&path, MAX_FILE_BYTES).ok()?;
                (Cow::Owned(bytes), Some(path))
            }
            PackDir::Embedded(dir) => {
                let file = dir.get_file(dir.path().join(rel))?;
                (Cow::Borrowed(file.contents()), None)
            }
        };
        Some(RawFile {
            rel: rel.to_string(),
            bytes,
            path,
            stamp: None,
        })
    }
}

fn list_embedded(dir: &'static Dir<'static>) -> Listing {
    let mut listing = Listing::default();
    let root = dir.path();
    let mut stack: Vec<&'static Dir<'static>> = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in d.entries() {
            match entry {
                DirEntry::Dir(sub) => stack.push(sub),
                DirEntry::File(f) => {
                    let rel = f
                        .path()
                        .strip_prefix(root)
                        .unwrap_or(f.path())
                        .to_string_lossy()
                        .replace('\\', "/");
                    let size = f.contents().len() as u64;
                    if size > MAX_FILE_BYTES {
                        listing.problems.push((rel, FileProblem::TooLarge(size)));
                        continue;
                    }
                    let raw = RawFile {
                        rel,
                        bytes: Cow::Borrowed(f.contents()),
                        path: None,
                        stamp: Stamp::built_in(size),
                    };
                    classify(&mut listing, raw);
                }
            }
        }
    }
    listing.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    listing.assets = Assets::Embedded(dir);
    listing
}

/// Sorts a file into the listing: manifest, content file, or an ignored stray.
fn classify(listing: &mut Listing, raw: RawFile) {
    if raw.rel == "pack.toml" {
        listing.manifest = Some(raw);
    } else if FileKind::of(&raw.rel).is_some() {
        listing.files.push(raw);
    } else if raw.rel.starts_with("notes/") || raw.rel.starts_with("decks/") {
        let name = raw.rel.rsplit('/').next().unwrap_or_default();
        if !hidden(name) {
            listing.problems.push((raw.rel, FileProblem::Ignored));
        }
    }
}

fn list_disk(root: &Path) -> Listing {
    let mut listing = Listing::default();
    let canon_root = match root.canonicalize() {
        Ok(p) => p,
        Err(e) => {
            listing
                .problems
                .push((String::new(), FileProblem::Unreadable(e.to_string())));
            return listing;
        }
    };
    let top = [root.to_path_buf(), root.join("notes"), root.join("decks")];
    let walker = DiskWalker {
        root: &canon_root,
        seen: RefCell::new(
            top.iter()
                .filter_map(|p| fs::metadata(p).ok())
                .map(|m| (m.dev(), m.ino()))
                .collect(),
        ),
    };
    walker.visit_file(
        &mut listing,
        &root.join("pack.toml"),
        "pack.toml",
        false,
        None,
    );
    for folder in ["notes", "decks"] {
        let path = root.join(folder);
        if path.exists() {
            walker.visit_dir(&mut listing, &path, folder, 0);
        }
    }
    listing.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    listing.unread.sort_by(|a, b| a.rel.cmp(&b.rel));
    listing.assets = Assets::Disk(canon_root);
    listing
}

struct DiskWalker<'a> {
    /// The pack folder, canonicalized: nothing outside it is read.
    root: &'a Path,
    /// Folders walked so far, by device and inode: a link back to one of them is a loop.
    seen: RefCell<HashSet<(u64, u64)>>,
}

impl DiskWalker<'_> {
    /// Resolves symlinks and refuses targets outside the pack. A path that is not a symlink is
    /// inside by construction (the walk starts at the root and only enters checked folders),
    /// so only links pay for resolving.
    fn inside(&self, listing: &mut Listing, path: &Path, rel: &str) -> Option<PathBuf> {
        let is_link = path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            return Some(path.to_path_buf());
        }
        match path.canonicalize() {
            Ok(real) if real.starts_with(self.root) => Some(real),
            Ok(real) => {
                // Name the target as the link spells it: stable, and what the author wrote.
                let target = std::fs::read_link(path).unwrap_or(real);
                listing
                    .problems
                    .push((rel.to_string(), FileProblem::SymlinkEscape(target)));
                None
            }
            Err(e) => {
                listing
                    .problems
                    .push((rel.to_string(), FileProblem::Unreadable(e.to_string())));
                None
            }
        }
    }

    fn visit_dir(&self, listing: &mut Listing, dir: &Path, rel: &str, depth: usize) {
        if self.inside(listing, dir, rel).is_none() {
            return;
        }
        if depth > MAX_DEPTH {
            listing
                .problems
                .push((rel.to_string(), FileProblem::TooDeep));
            return;
        }
        match fs::metadata(dir) {
            // The top folders are marked seen before the walk (so a link to them is a loop).
            Ok(meta) if depth > 0 && !self.seen.borrow_mut().insert((meta.dev(), meta.ino())) => {
                listing.problems.push((rel.to_string(), FileProblem::Loop));
                return;
            }
            Ok(_) => {}
            Err(e) => {
                listing
                    .problems
                    .push((rel.to_string(), FileProblem::Unreadable(e.to_string())));
                return;
            }
        }
        let mut entries = match fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(Result::ok).collect::<Vec<_>>(),
            Err(e) => {
                listing
                    .problems
                    .push((rel.to_string(), FileProblem::Unreadable(e.to_string())));
                return;
            }
        };
        entries.sort_by_key(std::fs::DirEntry::file_name);
        // A warm start's listing is one stat per file: regular files are stamped side by
        // side, each relative to the open folder rather than by walking its whole path.
        let stamps: Vec<Option<Metadata>> = entries
            .par_iter()
            .with_min_len(64)
            .map(|e| {
                let regular = e.file_type().is_ok_and(|t| t.is_file());
                regular.then(|| e.metadata().ok()).flatten()
            })
            .collect();
        for (entry, meta) in entries.into_iter().zip(stamps) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if hidden(&name) {
                continue;
            }
            let child_rel = format!("{rel}/{name}");
            let path = entry.path();
            // The entry's type comes with the listing; only a link needs a stat to tell.
            let kind = entry.file_type().ok();
            let is_dir = match kind {
                Some(t) if t.is_symlink() => path.is_dir(),
                Some(t) => t.is_dir(),
                None => path.is_dir(),
            };
            if is_dir {
                self.visit_dir(listing, &path, &child_rel, depth + 1);
            } else {
                let plain = kind.is_some_and(|t| !t.is_symlink());
                self.visit_file(listing, &path, &child_rel, plain, meta);
            }
        }
    }

    /// Lists one file. `plain` says the folder's listing showed it is no symlink: then it
    /// needs no look beyond its one stat, which a large pack pays once per file, and which
    /// `meta` holds when the folder's walk took it already.
    fn visit_file(
        &self,
        listing: &mut Listing,
        path: &Path,
        rel: &str,
        plain: bool,
        meta: Option<Metadata>,
    ) {
        if rel != "pack.toml" && FileKind::of(rel).is_none() {
            listing
                .problems
                .push((rel.to_string(), FileProblem::Ignored));
            return;
        }
        if !plain && !path.exists() && path.symlink_metadata().is_err() {
            return; // a missing pack.toml is reported by the parser
        }
        let real = if plain {
            path.to_path_buf()
        } else {
            let Some(real) = self.inside(listing, path, rel) else {
                return;
            };
            real
        };
        // Only a regular file within the size limit is left for the checker to read: anything
        // else is refused by the read below, with the same diagnostic as always.
        let stamp = meta
            .filter(|_| plain)
            .or_else(|| fs::metadata(&real).ok())
            .filter(|m| m.is_file() && m.len() <= MAX_FILE_BYTES)
            .map(|m| Stamp::of(&m));
        if let Some(stamp) = stamp
            && rel != "pack.toml"
        {
            listing.unread.push(Unread {
                rel: rel.to_string(),
                path: real,
                stamp,
            });
            return;
        }
        match bounded_read::read(&real, MAX_FILE_BYTES) {
            Ok(bytes) => classify(
                listing,
                RawFile {
                    rel: rel.to_string(),
                    bytes: Cow::Owned(bytes),
                    path: Some(real),
                    stamp,
                },
            ),
            Err(e) => listing.problems.push((rel.to_string(), problem(e))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every content file a listing names reads back whole by its path in the pack.
    #[test]
    fn a_listed_file_reads_again_by_its_path_on_disk_and_built_in() {
        let disk = PackDir::Disk(PathBuf::from("tests/packs/demo"));
        let built_in = super::super::builtin::packs().map(|(_, dir)| PackDir::Embedded(dir));
        for dir in std::iter::once(disk).chain(built_in) {
            let listing = dir.list();
            let listed: Vec<(String, Vec<u8>)> = (listing.files.iter())
                .map(|f| (f.rel.clone(), f.bytes.to_vec()))
                .chain((listing.unread.iter()).map(|u| (u.rel.clone(), fs::read(&u.path).unwrap())))
                .collect();
            assert!(listed.len() > 2, "{dir:?}");
            for (rel, bytes) in listed {
                let again = dir.read_file(&rel).unwrap();
                assert_eq!((again.rel.as_str(), &*again.bytes), (rel.as_str(), &*bytes));
            }
            assert!(dir.read_file("decks/no-such-deck.toml").is_none());
        }
    }
}
