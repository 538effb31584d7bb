//! The long texts of a pack (note bodies, card faces, question stems, choices, explanations)
//! kept out of memory until a screen reads them.
//!
//! A pack loaded through its compiled index holds, for each of these texts, only where it
//! lies in its file's *text heap*: the file's texts laid end to end in the index. The first
//! read of any of them reads and checks that one heap, and every text of the file is then
//! served from it. A warm start that shows one card therefore reads one deck's texts instead
//! of all of them, and a large pack costs memory only for what the learner opened.
//!
//! A heap is checked against its hash when it is read. One that is damaged is compiled again
//! from its file: while the file is unchanged, that yields the same heap, which the hash
//! confirms. Only when that fails too is a text shown as [`UNAVAILABLE`].
//!
//! A text straight from the sources (`pack check`, a pack loaded without an index) is simply
//! owned.

use std::fmt;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

/// Shown in place of a text whose heap can no longer be read or no longer matches its hash,
/// and whose file no longer compiles to it either: the index was damaged and the file changed.
/// The index is removed then, so the next start compiles the pack again.
pub const UNAVAILABLE: &str =
    "(this text could not be read back from the pack index; restart sysdeck to rebuild it)";

/// A pack text: owned, or a span of a file's text heap read on first use.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Owned(Box<str>),
    /// `heap` is `None` only between decoding a work and [`Text::attach`].
    Span {
        heap: Option<Arc<Heap>>,
        at: u32,
        len: u32,
    },
}

impl Text {
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Owned(s) => s,
            Repr::Span {
                heap: Some(heap),
                at,
                len,
            } => heap.get(*at, *len),
            Repr::Span { heap: None, .. } => UNAVAILABLE,
        }
    }

    /// Whether the text is in memory: owned, or its heap already read.
    pub fn is_read(&self) -> bool {
        match &self.0 {
            Repr::Owned(_) => true,
            Repr::Span { heap, .. } => heap.as_ref().is_some_and(|h| h.text.get().is_some()),
        }
    }

    /// Moves an owned text to the end of `heap`, leaving a span of it to [`Text::attach`].
    /// A text past a span's 4 GiB reach stays owned, and is written inline.
    pub(crate) fn move_into(&mut self, heap: &mut String) {
        if let Repr::Owned(s) = &self.0
            && let (Ok(at), Ok(len)) = (u32::try_from(heap.len()), u32::try_from(s.len()))
            && at.checked_add(len).is_some()
        {
            heap.push_str(s);
            self.0 = Repr::Span {
                heap: None,
                at,
                len,
            };
        }
    }

    /// Points a decoded span at its heap; `false` when the span does not lie inside it.
    pub(crate) fn attach(&mut self, to: &Arc<Heap>) -> bool {
        match &mut self.0 {
            Repr::Owned(_) => true,
            Repr::Span { heap, at, len } => {
                let fits = u64::from(*at) + u64::from(*len) <= to.len;
                if fits {
                    *heap = Some(to.clone());
                }
                fits
            }
        }
    }
}

impl Default for Text {
    fn default() -> Self {
        Text(Repr::Owned(Box::from("")))
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text(Repr::Owned(s.into_boxed_str()))
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text(Repr::Owned(Box::from(s)))
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        match t.0 {
            Repr::Owned(s) => s.into_string(),
            Repr::Span { .. } => t.as_str().to_string(),
        }
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

/// How a text is written in the compiled index: inline, or as a span of its file's heap.
#[derive(Serialize, Deserialize)]
enum Wire<S> {
    Inline(S),
    Span(u32, u32),
}

impl Serialize for Text {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        match &self.0 {
            Repr::Span { at, len, .. } => Wire::<&str>::Span(*at, *len),
            Repr::Owned(text) => Wire::Inline(&**text),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Wire::<String>::deserialize(d)? {
            Wire::Inline(s) => Text::from(s),
            Wire::Span(at, len) => Text(Repr::Span {
                heap: None,
                at,
                len,
            }),
        })
    }
}

/// One file's texts laid end to end: in memory, or in the index file until first read.
pub(crate) struct Heap {
    len: u64,
    source: Option<Stored>,
    text: OnceLock<Box<str>>,
}

/// Where a heap lies in an index file, and the hash its bytes must have.
struct Stored {
    file: Arc<File>,
    /// The index's path, to remove it when the heap turns out damaged.
    path: Arc<Path>,
    offset: u64,
    hash: u64,
    /// How to compile the heap again from its file (by its path in the pack), if damaged.
    rebuild: Option<(Arc<dyn Rebuild>, Box<str>)>,
}

/// Compiles the heap of one content file of a pack again: what a damaged heap falls back to.
pub(crate) trait Rebuild: Send + Sync {
    /// The heap compiling the file at `rel` in the pack yields now, if it can be read.
    fn heap(&self, rel: &str) -> Option<String>;
}

impl Heap {
    /// A heap already in memory: the texts of a file compiled now.
    pub(crate) fn in_memory(text: String) -> Heap {
        Heap {
            len: text.len() as u64,
            source: None,
            text: OnceLock::from(text.into_boxed_str()),
        }
    }

    /// A heap of `len` bytes at `offset` in an open index file at `path`, read on first use;
    /// `rebuild` compiles it again from its file if it turns out damaged.
    pub(crate) fn in_file(
        file: Arc<File>,
        path: Arc<Path>,
        (offset, len, hash): (u64, u64, u64),
        rebuild: Option<(Arc<dyn Rebuild>, Box<str>)>,
    ) -> Heap {
        Heap {
            len,
            source: Some(Stored {
                file,
                path,
                offset,
                hash,
                rebuild,
            }),
            text: OnceLock::new(),
        }
    }

    /// Removes the index this heap lies in, when something read from that index turned out
    /// damaged: the next start compiles the pack again. Gone already is as good.
    pub(crate) fn discard_index(&self) {
        if let Some(s) = &self.source {
            let _ = std::fs::remove_file(&s.path);
        }
    }

    /// The whole heap, as written to the index.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.text().as_bytes()
    }

    fn text(&self) -> &str {
        self.text.get_or_init(|| {
            let source = self.source.as_ref();
            let read = source.and_then(|s| s.read(self.len));
            if read.is_none()
                && let Some(s) = source
            {
                // A start that trusts every stamp reads heaps only here: the index must go,
                // or the next start would show the same damage.
                self.discard_index();
                return s.rebuilt(self.len).unwrap_or_default();
            }
            read.unwrap_or_default()
        })
    }

    fn get(&self, at: u32, len: u32) -> &str {
        let (at, len) = (at as usize, len as usize);
        self.text().get(at..at + len).unwrap_or(UNAVAILABLE)
    }
}

impl Stored {
    /// The heap's text, if it can be read whole and still has its hash.
    fn read(&self, len: u64) -> Option<Box<str>> {
        let mut buf = vec![0u8; usize::try_from(len).ok()?];
        self.file.read_exact_at(&mut buf, self.offset).ok()?;
        if xxh3_64(&buf) != self.hash {
            return None;
        }
        String::from_utf8(buf).ok().map(String::into_boxed_str)
    }

    /// The heap compiled again from its file, if that gives the very heap the index held.
    fn rebuilt(&self, len: u64) -> Option<Box<str>> {
        let (rebuild, rel) = self.rebuild.as_ref()?;
        let text = rebuild.heap(rel)?;
        (text.len() as u64 == len && xxh3_64(text.as_bytes()) == self.hash)
            .then(|| text.into_boxed_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn spans(texts: &mut [Text]) -> String {
        let mut heap = String::new();
        for t in texts.iter_mut() {
            t.move_into(&mut heap);
        }
        heap
    }

    #[test]
    fn a_moved_text_reads_back_from_its_heap() {
        let mut texts = [
            Text::from("front ünïcode"),
            Text::from(""),
            Text::from("back"),
        ];
        let heap = Arc::new(Heap::in_memory(spans(&mut texts)));
        for t in &mut texts {
            assert!(t.attach(&heap));
        }
        assert_eq!(texts.map(|t| t.to_string()), ["front ünïcode", "", "back"]);
    }

    #[test]
    fn spans_survive_the_wire_and_read_lazily_from_a_file() {
        let mut texts = vec![Text::from("alpha"), Text::from("beta")];
        let heap = spans(&mut texts);
        let wire = postcard::to_allocvec(&texts).unwrap();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(b"header").unwrap();
        file.write_all(heap.as_bytes()).unwrap();
        let stored = Heap::in_file(
            Arc::new(file.reopen().unwrap()),
            Arc::from(file.path()),
            (6, heap.len() as u64, xxh3_64(heap.as_bytes())),
            None,
        );
        let stored = Arc::new(stored);
        let mut back: Vec<Text> = postcard::from_bytes(&wire).unwrap();
        assert!(back.iter_mut().all(|t| t.attach(&stored)));
        assert!(
            stored.text.get().is_none(),
            "nothing is read before a text is"
        );
        assert_eq!(back[1], "beta");
        assert_eq!(back[0], "alpha");
        assert!(file.path().exists(), "a sound index stays");
    }

    /// Compiles every file to the same text, as an unchanged file compiles to its heap.
    struct Compiles(&'static str);

    impl Rebuild for Compiles {
        fn heap(&self, rel: &str) -> Option<String> {
            assert_eq!(rel, "decks/a.toml");
            Some(self.0.to_string())
        }
    }

    /// A heap of "alpha" whose bytes in the index read "alphX", with `rebuild` to fall back on;
    /// returns the text "alpha" was, attached to it, and the index file.
    fn damaged(rebuild: Option<Compiles>) -> (Text, tempfile::NamedTempFile) {
        let mut texts = vec![Text::from("alpha")];
        let heap = spans(&mut texts);
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(b"alphX").unwrap();
        let rebuild = rebuild.map(|r| (Arc::new(r) as Arc<dyn Rebuild>, "decks/a.toml".into()));
        let stored = Arc::new(Heap::in_file(
            Arc::new(file.reopen().unwrap()),
            Arc::from(file.path()),
            (0, heap.len() as u64, xxh3_64(heap.as_bytes())),
            rebuild,
        ));
        let mut text = texts.remove(0);
        assert!(text.attach(&stored));
        (text, file)
    }

    #[test]
    fn a_damaged_heap_reads_as_unavailable_never_as_other_text_and_drops_its_index() {
        for rebuild in [None, Some(Compiles("alphY")), Some(Compiles("alpha!"))] {
            let (text, file) = damaged(rebuild);
            assert_eq!(text, UNAVAILABLE);
            assert!(
                !file.path().exists(),
                "the damaged index is removed, so the next start rebuilds it"
            );
        }
    }

    #[test]
    fn a_damaged_heap_is_compiled_again_from_its_unchanged_file() {
        let (text, file) = damaged(Some(Compiles("alpha")));
        assert_eq!(text, "alpha");
        assert!(!file.path().exists(), "the index is still rebuilt");
    }

    #[test]
    fn a_span_outside_its_heap_is_refused() {
        let mut wire = postcard::to_allocvec(&Wire::<&str>::Span(3, 10)).unwrap();
        let mut text: Text = postcard::from_bytes(&wire).unwrap();
        assert!(!text.attach(&Arc::new(Heap::in_memory("short".into()))));
        // A span ending inside a character cannot split it.
        wire = postcard::to_allocvec(&Wire::<&str>::Span(0, 1)).unwrap();
        let mut text: Text = postcard::from_bytes(&wire).unwrap();
        assert!(text.attach(&Arc::new(Heap::in_memory("é".into()))));
        assert_eq!(text, UNAVAILABLE);
    }
}
