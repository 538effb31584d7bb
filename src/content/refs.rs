//! What a pack's notes and decks point at that is checked only once every pack is loaded:
//! note references and relative links to note files.

use std::ops::Range;

use super::diagnostic::FileId;
use super::model::NoteRef;

/// What a reference points from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RefKind {
    Related,
    Link,
    ItemNote,
}

/// A note reference waiting to be resolved against every loaded pack.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PendingRef {
    pub kind: RefKind,
    pub target: NoteRef,
    /// The heading a `note:id#anchor` link names.
    pub anchor: Option<String>,
    pub file: FileId,
    pub span: Range<usize>,
}

/// A relative link to a note file (`../services.md#ports`), resolved once the pack's notes
/// are known.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PathLink {
    /// The linked file inside the pack (`notes/services.md`); `None` when it climbs out.
    pub path: Option<String>,
    /// As the author wrote it.
    pub written: String,
    /// The note the link is in (`notes/dns.md`).
    pub from: String,
    pub anchor: Option<String>,
    pub file: FileId,
    pub span: Range<usize>,
}
