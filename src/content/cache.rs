//! The compiled pack index: what checking each note and deck of a pack yielded, kept in the
//! cache directory so the next start reads it instead of parsing TOML and Markdown again.
//!
//! One file per pack folder: a fixed header, a table of contents (one row per content file:
//! its path, stamp, content hash, where its work lies and that work's own hash), the work of
//! each file, encoded with postcard, and the pack image: the whole pack once its ids are
//! claimed, which a start where no file changed reads instead of every work (see
//! [`super::pack_image`]). A file whose stamp (size, times; for a file built into the
//! binary, its size and the binary's times) is unchanged is neither read nor hashed; one whose
//! stamp changed but whose bytes hash the same keeps its work; any other is compiled again
//! alone, and only its row and work are new in the rewritten index. Each row's
//! work is read on its own with a bounded positioned read, so the whole index is never in
//! memory at once. A work's long texts (note bodies, card faces, question texts) follow it as
//! a heap of their own, read only when a screen first shows one of them (see
//! [`super::lazy_text`]).
//!
//! The index is hostile input like any file: every length and offset is checked against the
//! file, every part against its hash, and anything that does not fit is ignored so that part of
//! the pack is compiled from its sources again. It is written beside its final name and
//! renamed over it, so two instances compiling at once never leave a torn index. It is not
//! flushed to disk before the rename: after a crash it may fail its hashes, and is rebuilt.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::diagnostic::FileId;
use super::lazy_text::{Heap, Rebuild};
use super::pack_image::Image;
use super::parse::{Cache, Compiled, Encoded, Outcome, Parsed, Reuse, compile_pack, heap_of};
use super::source::{Assets, Candidate, PackDir, Stamp};

const MAGIC: &[u8; 8] = b"SYSDKIDX";
/// Raised whenever what [`Compiled`] or the pack image holds, or how either is encoded, changes.
const FORMAT: u32 = 8;
/// Magic, format, build, context, table length and table hash.
const HEADER_LEN: usize = 8 + 4 + 8 + 8 + 8 + 8;
/// Largest table of contents read; a pack of a million files stays well below it.
const MAX_TOC_BYTES: u64 = 64 << 20;
/// Largest work of one file read; a file is at most 1 MiB, its work a few times that.
const MAX_WORK_BYTES: u64 = 16 << 20;
/// Largest pack image read or written: a pack of 20,000 cards and 5,000 questions makes
/// 1.7 MiB.
const MAX_IMAGE_BYTES: u64 = 512 << 20;
/// A file changed this close to the index being written may change again within the same
/// clock tick without its stamp changing: its row is marked to be checked by hash.
const RACY_NS: i64 = 2_000_000_000;

/// One content file's row in the table of contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Row {
    rel: String,
    stamp: Option<Stamp>,
    hash: u64,
    /// Changed too close to the writing of the index for its stamp to be trusted.
    racy: bool,
    /// Where its work lies, from the start of the works.
    offset: u64,
    len: u64,
    work_hash: u64,
    /// The heap of the work's long texts, right after the work.
    heap_len: u64,
    heap_hash: u64,
}

impl Row {
    /// Whether a file with this stamp is the file this row was made from.
    fn vouches_for(&self, stamp: Stamp) -> bool {
        !self.racy && self.stamp == Some(stamp)
    }

    /// Where the heap starts, from the start of the works.
    fn heap_at(&self) -> u64 {
        self.offset + self.len
    }
}

/// The table of contents: a row per content file, and where the pack image lies.
#[derive(Debug, Serialize, Deserialize)]
struct Toc {
    rows: Vec<Row>,
    image: Option<ImageRow>,
}

/// Where the pack image lies (from the start of the works, after every file's work), and the
/// roster it was made from (see [`super::pack_image`]).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct ImageRow {
    roster: u64,
    offset: u64,
    len: u64,
    hash: u64,
}

/// The rows of an index, sorted by path with no path twice: a start looks files up by binary
/// search, and checks a whole listing (sorted the same way) against them in one pass, without
/// a hash map of 2,000 paths built first.
struct Rows(Vec<Row>);

impl Rows {
    /// `None` for rows out of order or repeated, which no index this build wrote has.
    fn sorted(rows: Vec<Row>) -> Option<Rows> {
        rows.windows(2)
            .all(|w| w[0].rel < w[1].rel)
            .then_some(Rows(rows))
    }

    fn get(&self, rel: &str) -> Option<&Row> {
        let at = self.0.binary_search_by(|r| r.rel.as_str().cmp(rel)).ok()?;
        self.0.get(at)
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// An index read from the cache: its table, and the open file to read works from.
pub(crate) struct PackIndex {
    /// Shared with the heaps of the works read from it, which read their texts later.
    file: Arc<File>,
    /// Where it was opened from: a heap found damaged later removes it, to be rebuilt.
    path: Arc<Path>,
    works_at: u64,
    file_len: u64,
    context: u64,
    rows: Rows,
    image: Option<ImageRow>,
    /// What decoding the image while the pack was listed gave ([`PackIndex::decode_early`]):
    /// `None` until it ran, then the image, or `None` for one that is missing or damaged.
    early: std::sync::Mutex<Option<Option<Image>>>,
    /// The pack's files, which the heaps fall back on when damaged.
    sources: Arc<Sources>,
}

/// Why an index could not be used or kept; only write problems are worth telling the user.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot write the pack index {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// What identifies this build: an index written by another version (or another build of the
/// same version) is compiled again, since what checking a file yields may have changed.
fn build_key() -> u64 {
    static KEY: OnceLock<u64> = OnceLock::new();
    *KEY.get_or_init(|| {
        let mut h = Xxh3::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(&FORMAT.to_le_bytes());
        if let Some(s) = Stamp::of_exe() {
            h.update(&s.size.to_le_bytes());
            h.update(&s.mtime_ns.to_le_bytes());
        }
        h.digest()
    })
}

/// The index file of a pack folder in `dir`.
pub fn index_path(dir: &Path, cand: &Candidate) -> PathBuf {
    let key = match &cand.dir {
        PackDir::Embedded(_) => format!("builtin\0{}", cand.label),
        PackDir::Disk(p) => {
            let real = p.canonicalize().unwrap_or_else(|_| p.clone());
            format!("disk\0{}", real.display())
        }
    };
    dir.join("packs")
        .join(format!("{:016x}.idx", xxh3_64(key.as_bytes())))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The fixed start of an index file.
struct Header {
    build: u64,
    context: u64,
    toc_len: u64,
    toc_hash: u64,
}

impl Header {
    /// The header, if the bytes start with one of this format.
    fn parse(b: &[u8]) -> Option<Header> {
        let format = u32::from_le_bytes(b.get(8..12)?.try_into().ok()?);
        if b.get(..8)? != MAGIC || format != FORMAT {
            return None;
        }
        Some(Header {
            build: u64_at(b, 12)?,
            context: u64_at(b, 20)?,
            toc_len: u64_at(b, 28)?,
            toc_hash: u64_at(b, 36)?,
        })
    }

    /// Where the works start, if the table fits in a file of `file_len` bytes.
    fn works_at(&self, file_len: u64) -> Option<u64> {
        let at = (HEADER_LEN as u64).checked_add(self.toc_len)?;
        (self.toc_len <= MAX_TOC_BYTES && at <= file_len).then_some(at)
    }
}

/// A table, if every row's work and heap and the image lie inside `works_len` bytes.
fn read_toc(bytes: &[u8], works_len: u64) -> Option<Toc> {
    let toc: Toc = postcard::from_bytes(bytes).ok()?;
    let fits = |r: &Row| {
        r.len <= MAX_WORK_BYTES
            && r.heap_len <= MAX_WORK_BYTES
            && r.offset
                .checked_add(r.len)
                .and_then(|e| e.checked_add(r.heap_len))
                .is_some_and(|e| e <= works_len)
    };
    let image_fits = toc.image.is_none_or(|i| {
        i.len <= MAX_IMAGE_BYTES && i.offset.checked_add(i.len).is_some_and(|e| e <= works_len)
    });
    (image_fits && toc.rows.iter().all(fits)).then_some(toc)
}

/// Decodes an index held in memory as [`PackIndex::open`] and the loader read one, but past
/// its build key and hashes, and returns how many works decoded and fit their files: lets
/// fuzzing reach the decoder behind the hashes.
pub fn probe(bytes: &[u8]) -> usize {
    let Some(header) = Header::parse(bytes) else {
        return 0;
    };
    let Some(works_at) = header.works_at(bytes.len() as u64) else {
        return 0;
    };
    let (toc, works) = bytes[HEADER_LEN..].split_at((works_at as usize) - HEADER_LEN);
    let Some(Toc { rows, image }) = read_toc(toc, works.len() as u64) else {
        return 0;
    };
    let image = image
        .and_then(|i| works.get(i.offset as usize..(i.offset + i.len) as usize))
        .and_then(|bytes| Image::decode(bytes.to_vec()))
        .and_then(|image| {
            let heap = Arc::new(Heap::in_memory(String::new()));
            image.checked(&|_| Some(MAX_WORK_BYTES), &|_| Some(heap.clone()))
        })
        // The cards are decoded only when read: read them, for the decoder to be reached.
        .inspect(|image| {
            let _ = image.cards.iter().count();
        });
    usize::from(image.is_some())
        + rows
            .iter()
            .filter_map(|r| {
                let work = works.get(r.offset as usize..r.heap_at() as usize)?;
                let heap = works.get(r.heap_at() as usize..(r.heap_at() + r.heap_len) as usize)?;
                let mut work = postcard::from_bytes::<Compiled>(work).ok()?;
                let heap = Heap::in_memory(String::from_utf8(heap.to_vec()).ok()?);
                work.attach(&Arc::new(heap)).then_some(work)
            })
            .filter(|w| w.spans_within(MAX_WORK_BYTES))
            .count()
}

impl PackIndex {
    /// Opens the index of the pack in `dir`; `None` for a missing, foreign, stale, truncated
    /// or damaged one.
    pub(crate) fn open(path: &Path, dir: &PackDir) -> Option<PackIndex> {
        let file = crate::bounded_read::open_regular(path).ok()?;
        let file_len = file.metadata().ok()?.len();
        let mut head = [0u8; HEADER_LEN];
        file.read_exact_at(&mut head, 0).ok()?;
        let header = Header::parse(&head).filter(|h| h.build == build_key())?;
        let works_at = header.works_at(file_len)?;
        let mut toc = vec![0u8; usize::try_from(header.toc_len).ok()?];
        file.read_exact_at(&mut toc, HEADER_LEN as u64).ok()?;
        if xxh3_64(&toc) != header.toc_hash {
            return None;
        }
        let toc = read_toc(&toc, file_len - works_at)?;
        Some(PackIndex {
            file: Arc::new(file),
            path: Arc::from(path),
            works_at,
            file_len,
            context: header.context,
            rows: Rows::sorted(toc.rows)?,
            image: toc.image,
            early: std::sync::Mutex::new(None),
            sources: Arc::new(Sources {
                dir: dir.clone(),
                context: OnceLock::new(),
            }),
        })
    }

    /// Whether a file with this stamp can be left unread.
    fn knows(&self, rel: &str, stamp: Stamp) -> bool {
        self.rows.get(rel).is_some_and(|r| r.vouches_for(stamp))
    }

    /// `len` bytes at `offset` from the start of the works, checked against their hash.
    fn checked_bytes(&self, offset: u64, len: u64, hash: u64) -> Option<Vec<u8>> {
        let mut buf = vec![0u8; usize::try_from(len).ok()?];
        let at = self.works_at.checked_add(offset)?;
        if at.checked_add(len)? > self.file_len {
            return None;
        }
        self.file.read_exact_at(&mut buf, at).ok()?;
        (xxh3_64(&buf) == hash).then_some(buf)
    }

    /// The encoded work of a row, checked against its hash.
    fn work_bytes(&self, row: &Row) -> Option<Vec<u8>> {
        self.checked_bytes(row.offset, row.len, row.work_hash)
    }

    /// The heap of a row's work, checked against its hash.
    fn heap_bytes(&self, row: &Row) -> Option<Vec<u8>> {
        self.checked_bytes(row.heap_at(), row.heap_len, row.heap_hash)
    }

    /// A row's work, its texts left in the index until read. Their heap is checked against
    /// its hash now, so a damaged index is compiled again at once rather than found out when
    /// a text is shown; its bytes are not kept. Work and heap come in one read into a buffer
    /// the thread keeps, so a warm start allocates nothing per file for reading.
    fn work(&self, row: &Row, len: u64) -> Option<Compiled> {
        thread_local! {
            static READ: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let (work_len, heap_len) = (
            usize::try_from(row.len).ok()?,
            usize::try_from(row.heap_len).ok()?,
        );
        let at = self.works_at.checked_add(row.offset)?;
        if at.checked_add(row.len)?.checked_add(row.heap_len)? > self.file_len {
            return None;
        }
        let mut work: Compiled = READ.with_borrow_mut(|buf| {
            let both = work_len + heap_len;
            if buf.len() < both {
                buf.resize(both, 0);
            }
            self.file.read_exact_at(&mut buf[..both], at).ok()?;
            let (work, heap) = buf[..both].split_at(work_len);
            if xxh3_64(work) != row.work_hash || xxh3_64(heap) != row.heap_hash {
                return None;
            }
            postcard::from_bytes(work).ok()
        })?;
        (work.spans_within(len) && work.attach(&self.heap(row))).then_some(work)
    }

    /// The image, if the index has one and it still has its hash.
    fn checked_image(&self) -> Option<Image> {
        let at = self.image?;
        Image::decode(self.checked_bytes(at.offset, at.len, at.hash)?)
    }

    /// Decodes the image ahead, for [`Reuse::image`] to take if it stands for the pack as
    /// listed.
    fn decode_early(&self) {
        let image = self.checked_image();
        if let Ok(mut early) = self.early.lock() {
            *early = Some(image);
        }
    }

    /// A row's heap, left in the index until one of its texts is read, and compiled again
    /// from its file then if it turns out damaged.
    fn heap(&self, row: &Row) -> Arc<Heap> {
        let rebuild: Arc<dyn Rebuild> = self.sources.clone();
        Arc::new(Heap::in_file(
            self.file.clone(),
            self.path.clone(),
            (self.works_at + row.heap_at(), row.heap_len, row.heap_hash),
            Some((rebuild, row.rel.as_str().into())),
        ))
    }
}

/// The pack's own files, for compiling one again when its heap in the index turns out
/// damaged. What its files are compiled in (the manifest's domains, the assets) is known once
/// the manifest is read, before any text is.
struct Sources {
    dir: PackDir,
    context: OnceLock<(Vec<String>, Assets)>,
}

impl Rebuild for Sources {
    fn heap(&self, rel: &str) -> Option<String> {
        let (domains, assets) = self.context.get()?;
        heap_of(&self.dir.read_file(rel)?, domains, assets)
    }
}

impl Reuse for PackIndex {
    fn context(&self) -> u64 {
        self.context
    }

    fn compiled_in(&self, domains: &[String], assets: &Assets) {
        let _ = self.sources.context.set((domains.to_vec(), assets.clone()));
    }

    fn by_stamp(&self, rel: &str, stamp: Stamp) -> Option<Compiled> {
        let row = self.rows.get(rel).filter(|_| self.knows(rel, stamp))?;
        self.work(row, stamp.size)
    }

    fn by_hash(&self, rel: &str, hash: u64, len: u64) -> Option<Compiled> {
        let row = self.rows.get(rel).filter(|r| r.hash == hash)?;
        self.work(row, len)
    }

    /// The image is read only when the index describes exactly these files, each with its
    /// current stamp. Their heaps are checked only when a text is read: a start reads the
    /// few that its first screen shows, not the whole pack's text, and a damaged one is
    /// compiled again from its file then (see [`Rebuild`]).
    fn image(&self, roster: u64, files: &[(FileId, &str, Stamp)]) -> Option<Image> {
        let early = self.early.lock().ok().and_then(|mut e| e.take());
        self.image.filter(|i| i.roster == roster)?;
        // Both sorted by path: row and file pair up in order, or the image does not stand.
        let rows = &self.rows.0;
        let paired = rows.len() == files.len()
            && rows
                .iter()
                .zip(files)
                .all(|(row, (_, rel, stamp))| row.rel == *rel && row.vouches_for(*stamp));
        if !paired {
            return None;
        }
        // A damaged image found ahead is not read and hashed a second time.
        let image = early.unwrap_or_else(|| self.checked_image())?;
        // Content files have consecutive ids in a load; one heap each, shared by its items.
        let first = files.iter().map(|(f, ..)| *f).min()?;
        let mut by_file: Vec<Option<(Arc<Heap>, u64)>> = vec![None; files.len()];
        for ((file, _, stamp), row) in files.iter().zip(rows) {
            let slot = by_file.get_mut(file.checked_sub(first)?)?;
            *slot = Some((self.heap(row), stamp.size));
        }
        let of = |file: FileId| by_file.get(file.checked_sub(first)?)?.as_ref();
        image.checked(&|file| Some(of(file)?.1), &|file| Some(of(file)?.0.clone()))
    }
}

/// Loads one pack through the index in `dir`: reusing what is unchanged and compiling the
/// rest. When anything changed, the index to write is returned beside the pack rather than
/// written, so the app can draw its first frame before it spends time on the write.
pub(crate) fn load(cand: &Candidate, dir: &Path) -> (Parsed, Option<IndexWrite>) {
    let path = index_path(dir, cand);
    // The index is opened and its image decoded while the folder is listed: on most starts
    // nothing changed, and the listing then only confirms that the image stands for the pack.
    let (listing, old) = rayon::join(
        || cand.dir.list(),
        || PackIndex::open(&path, &cand.dir).inspect(PackIndex::decode_early),
    );
    // Taken before any file is read: a file changed closer to it than a clock tick may change
    // again unseen.
    let racy_after = now_ns().saturating_sub(RACY_NS);
    let reuse = old.as_ref().map(|i| i as &dyn Reuse);
    let (parsed, outcomes) = compile_pack(&cand.label, listing, Cache::On(reuse));
    let Some(context) = parsed.context else {
        return (parsed, None);
    };
    if !stale(old.as_ref(), &parsed, &outcomes) {
        return (parsed, None);
    }
    // The image stands for the whole pack, so only for an index that records every file. It
    // is encoded now, while the pack's items are at hand; the rest waits for the write.
    let image = outcomes
        .iter()
        .all(|o| source_of(o, old.as_ref()).is_some())
        .then(|| parsed.image())
        .flatten()
        .filter(|bytes| bytes.len() as u64 <= MAX_IMAGE_BYTES);
    let write = IndexWrite {
        path,
        context,
        racy_after,
        outcomes,
        old,
        image: image.map(|bytes| (parsed.roster, bytes)),
    };
    (parsed, Some(write))
}

/// Whether the index on disk no longer describes the pack, or could not give it whole: with
/// every file stamped, a start that could not use the image (missing, damaged, or made for
/// another roster) writes the index again, so the next start can.
fn stale(old: Option<&PackIndex>, parsed: &Parsed, outcomes: &[Outcome]) -> bool {
    let Some(old) = old else { return true };
    if parsed.from_image {
        return false;
    }
    outcomes.iter().all(|o| o.stamp.is_some())
        || Some(old.context) != parsed.context
        || old.rows.len() != outcomes.len()
        || outcomes.iter().any(|o| {
            o.encoded.is_some()
                || old
                    .rows
                    .get(&o.rel)
                    .is_none_or(|r| r.racy || (o.stamp.is_some() && r.stamp != o.stamp))
        })
}

/// Nanoseconds since the epoch, for telling racy stamps.
fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Where the bytes of a row of the index being written come from.
enum Part<'a> {
    /// A file compiled now.
    New(&'a Encoded),
    /// A file whose work the index already held, checked when the pack loaded.
    Old(&'a PackIndex, &'a Row),
}

/// What a file's row in the index being written is made from.
struct Source<'a> {
    part: Part<'a>,
    /// The file's content hash.
    hash: u64,
    /// Its stamp, from this load or else from the earlier index's row.
    stamp: Option<Stamp>,
}

/// Where a file's row in the index being written comes from; `None` leaves the file out, to
/// be compiled again on the next start.
fn source_of<'a>(o: &'a Outcome, old: Option<&'a PackIndex>) -> Option<Source<'a>> {
    let prior = old.and_then(|i| i.rows.get(&o.rel).map(|r| (i, r)));
    let (part, hash) = match (&o.encoded, prior) {
        (Some(e), _) => (Part::New(e), o.hash?),
        // Only a reused work stands for the file: one compiled now that could not be
        // encoded is left out, to be compiled again, never paired with the old work.
        (None, Some((index, row))) if !o.compiled && (o.hash.is_some() || o.stamp.is_some()) => {
            (Part::Old(index, row), o.hash.unwrap_or(row.hash))
        }
        (None, _) => return None,
    };
    let stamp = o.stamp.or(prior.and_then(|(_, r)| r.stamp));
    Some(Source { part, hash, stamp })
}

/// A pack index that a load found missing or out of date, with everything writing it needs.
pub(crate) struct IndexWrite {
    path: PathBuf,
    context: u64,
    /// Stamps changed after this instant are marked racy.
    racy_after: i64,
    outcomes: Vec<Outcome>,
    /// The index read at load, whose works the new one keeps for unchanged files.
    old: Option<PackIndex>,
    /// The pack image with the roster it stands for. [`load`] encodes it only when every file
    /// has a source ([`source_of`]), so every file then has a row.
    image: Option<(u64, Vec<u8>)>,
}

impl IndexWrite {
    /// Writes the index: new work for files compiled now, the old bytes for the rest. The
    /// rows are laid out first, so each part is then streamed to the file without gathering
    /// the whole index in memory (a first run of a large pack writes megabytes).
    pub(crate) fn write(self) -> Result<(), CacheError> {
        self.write_file().map_err(|source| CacheError::Write {
            path: self.path.clone(),
            source,
        })
    }

    fn write_file(&self) -> io::Result<()> {
        let old = self.old.as_ref();
        let mut rows = Vec::with_capacity(self.outcomes.len());
        let mut parts = Vec::with_capacity(self.outcomes.len());
        let mut offset = 0;
        for o in &self.outcomes {
            let Some(Source { part, hash, stamp }) = source_of(o, old) else {
                continue;
            };
            let (len, work_hash, heap_len, heap_hash) = match part {
                Part::New(e) => (
                    e.work.len() as u64,
                    xxh3_64(&e.work),
                    e.heap.bytes().len() as u64,
                    xxh3_64(e.heap.bytes()),
                ),
                Part::Old(_, row) => (row.len, row.work_hash, row.heap_len, row.heap_hash),
            };
            rows.push(Row {
                rel: o.rel.clone(),
                stamp,
                hash,
                racy: stamp.is_some_and(|s| s.mtime_ns.max(s.ctime_ns) >= self.racy_after),
                offset,
                len,
                work_hash,
                heap_len,
                heap_hash,
            });
            offset += len + heap_len;
            parts.push(part);
        }
        let image = self.image.as_ref();
        // Offsets are each row's own, so the rows can be sorted for the reader's lookups.
        rows.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
        let toc = Toc {
            rows,
            image: image.map(|(roster, bytes)| ImageRow {
                roster: *roster,
                offset,
                len: bytes.len() as u64,
                hash: xxh3_64(bytes),
            }),
        };
        let toc = postcard::to_allocvec(&toc).map_err(io::Error::other)?;
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&FORMAT.to_le_bytes());
        header.extend_from_slice(&build_key().to_le_bytes());
        header.extend_from_slice(&self.context.to_le_bytes());
        header.extend_from_slice(&(toc.len() as u64).to_le_bytes());
        header.extend_from_slice(&xxh3_64(&toc).to_le_bytes());
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        crate::atomic_write::write_unflushed(&self.path, |w| {
            w.write_all(&header)?;
            w.write_all(&toc)?;
            for part in &parts {
                match part {
                    Part::New(e) => {
                        w.write_all(&e.work)?;
                        w.write_all(e.heap.bytes())?;
                    }
                    Part::Old(index, row) => {
                        // Read back as it was checked at load; failing now means the old index
                        // was damaged since, and this one is not written.
                        let (work, heap) = index
                            .work_bytes(row)
                            .zip(index.heap_bytes(row))
                            .ok_or_else(|| {
                                io::Error::other("the earlier pack index changed while it was read")
                            })?;
                        w.write_all(&work)?;
                        w.write_all(&heap)?;
                    }
                }
            }
            if let Some((_, image)) = image {
                w.write_all(image)?;
            }
            Ok(())
        })
        .map_err(io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(rel: &str) -> Row {
        Row {
            rel: rel.to_string(),
            stamp: None,
            hash: 0,
            racy: false,
            offset: 0,
            len: 0,
            work_hash: 0,
            heap_len: 0,
            heap_hash: 0,
        }
    }

    #[test]
    fn rows_are_taken_only_in_strict_path_order_and_found_by_path() {
        let paths = ["decks/a.toml", "decks/b.toml", "notes/a.md", "pack.toml"];
        let rows = Rows::sorted(paths.iter().map(|p| row(p)).collect()).unwrap();
        for p in paths {
            assert_eq!(rows.get(p).map(|r| r.rel.as_str()), Some(p));
        }
        assert!(rows.get("decks/c.toml").is_none());
        assert!(rows.get("").is_none());
        // Written out of order, or a path twice: not an index this build wrote.
        let swapped = ["decks/b.toml", "decks/a.toml"];
        assert!(Rows::sorted(swapped.iter().map(|p| row(p)).collect()).is_none());
        let twice = ["decks/a.toml", "decks/a.toml"];
        assert!(Rows::sorted(twice.iter().map(|p| row(p)).collect()).is_none());
        assert!(Rows::sorted(Vec::new()).is_some());
    }
}
