//! Where a link in a note points, as written, before it is resolved against the loaded packs.

use super::model::NoteRef;

/// Where a link destination points, before it is resolved against the loaded packs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// `note:id` or `note:pack:id`, with an optional `#anchor`.
    Note(NoteRef, Option<String>),
    /// A relative path to a note file (`services.md`, `../x/services.md#anchor`), or `#anchor`
    /// alone for a heading of the same note.
    Relative {
        path: String,
        anchor: Option<String>,
    },
    /// A relative path to any other file of the pack (an image in `assets/`).
    File(String),
    /// Anything with a scheme (`https:`, `mailto:`) or otherwise not inside the pack.
    Web(String),
}

impl LinkTarget {
    pub fn parse(url: &str) -> LinkTarget {
        if let Some(reference) = url.strip_prefix("note:") {
            let (id, anchor) = split_anchor(reference);
            return LinkTarget::Note(NoteRef::parse(id), anchor);
        }
        let has_scheme = url
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains(['/', '.', '#']));
        if has_scheme || url.starts_with('/') || url.is_empty() {
            return LinkTarget::Web(url.to_string());
        }
        let (path, anchor) = split_anchor(url);
        if path.is_empty() || path.ends_with(".md") {
            return LinkTarget::Relative {
                path: path.to_string(),
                anchor,
            };
        }
        LinkTarget::File(path.to_string())
    }
}

impl LinkTarget {
    /// How a link without text is shown: where it goes, as written.
    pub fn label(&self) -> String {
        let with_anchor = |base: String, anchor: &Option<String>| match anchor {
            Some(a) => format!("{base}#{a}"),
            None => base,
        };
        match self {
            LinkTarget::Note(r, anchor) => with_anchor(r.to_string(), anchor),
            LinkTarget::Relative { path, anchor } => with_anchor(path.clone(), anchor),
            LinkTarget::File(path) | LinkTarget::Web(path) => path.clone(),
        }
    }
}

fn split_anchor(text: &str) -> (&str, Option<String>) {
    match text.split_once('#') {
        Some((before, anchor)) => (before, Some(anchor.to_string()).filter(|a| !a.is_empty())),
        None => (text, None),
    }
}
