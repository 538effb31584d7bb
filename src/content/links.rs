//! Where the links of a note lead: other notes by id (`note:services#headless`), note files by
//! relative path as mdBook writes them (`../services.md`), headings by anchor, files in
//! `assets/`; and the `{{#include ../assets/diagram.txt}}` lines that pull a file into a note.
//!
//! The checker and the note reader both resolve links here, so what the checker accepts is
//! what the reader can follow.

use std::ops::Range;

use super::markdown::{Block, Document, Item, plain_text};

pub use super::link_target::LinkTarget;
/// A path written relative to the file `from` (`notes/a/b.md`), as a path inside the pack
/// (`notes/c.md`); `None` when it climbs out of the pack.
pub fn resolve(from: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// How a note at `from` (`notes/a/b.md`) reaches `to` (`notes/c.md`) by a relative path
/// (`../c.md`).
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts = vec![".."; from_dirs.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// The anchor GitHub and mdBook give a heading: lowercase, spaces to dashes, punctuation
/// other than `-` and `_` dropped.
pub fn slug(title: &str) -> String {
    title
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

/// The anchors of headings in document order; a repeated one gets `-1`, `-2`... as on GitHub.
pub fn unique_slugs<'a>(titles: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    titles
        .into_iter()
        .map(|t| {
            let base = slug(t);
            let n = seen.entry(base.clone()).or_insert(0);
            let out = if *n == 0 { base } else { format!("{base}-{n}") };
            *n += 1;
            out
        })
        .collect()
}

/// Every heading anchor of a note body, in document order.
pub fn anchors(body: &str) -> Vec<String> {
    let doc = Document::parse(body);
    let mut titles = Vec::new();
    collect_titles(&doc.blocks, &mut titles);
    unique_slugs(titles.iter().map(String::as_str))
}

fn collect_titles(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Heading { content, .. } => out.push(plain_text(content)),
            Block::Quote(inner) => collect_titles(inner, out),
            Block::List(list) => {
                for Item { blocks, .. } in &list.items {
                    collect_titles(blocks, out);
                }
            }
            _ => {}
        }
    }
}

/// One `{{#include path}}` in a note body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The whole `{{#include ...}}`, in body bytes.
    pub span: Range<usize>,
    /// The path as written, relative to the note.
    pub path: String,
}

/// Every `{{#include path}}` of a body, as mdBook writes them; `\{{#include` is literal text.
pub fn includes(body: &str) -> Vec<Include> {
    const OPEN: &str = "{{#include";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) =
        memchr::memmem::find(&body.as_bytes()[from..], OPEN.as_bytes()).map(|i| from + i)
    {
        from = i + OPEN.len();
        if body[..i].ends_with('\\') {
            continue;
        }
        let Some(close) = memchr::memmem::find(&body.as_bytes()[from..], b"}}").map(|c| from + c)
        else {
            break;
        };
        let inner = &body[from..close];
        if inner.contains('\n') {
            continue;
        }
        out.push(Include {
            span: i..close + 2,
            path: inner.trim().to_string(),
        });
        from = close + 2;
    }
    out
}

/// The body with each include replaced by its text (`None` leaves the line as written).
pub fn expand(body: &str, includes: &[Include], texts: &[Option<String>]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (inc, text) in includes.iter().zip(texts) {
        let Some(text) = text else {
            continue;
        };
        out.push_str(&body[at..inc.span.start]);
        out.push_str(text.strip_suffix('\n').unwrap_or(text));
        at = inc.span.end;
    }
    out.push_str(&body[at..]);
    out.replace("\\{{#include", "{{#include")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::NoteRef;

    #[test]
    fn destinations() {
        assert_eq!(
            LinkTarget::parse("note:services#headless"),
            LinkTarget::Note(NoteRef::parse("services"), Some("headless".into()))
        );
        assert_eq!(
            LinkTarget::parse("note:k8s:pods"),
            LinkTarget::Note(NoteRef::parse("k8s:pods"), None)
        );
        assert_eq!(
            LinkTarget::parse("../services.md#ports"),
            LinkTarget::Relative {
                path: "../services.md".into(),
                anchor: Some("ports".into())
            }
        );
        assert_eq!(
            LinkTarget::parse("#below"),
            LinkTarget::Relative {
                path: String::new(),
                anchor: Some("below".into())
            }
        );
        assert_eq!(
            LinkTarget::parse("../assets/ring.png"),
            LinkTarget::File("../assets/ring.png".into())
        );
        for web in ["https://e.com/a.md", "mailto:a@b.c", "/etc/passwd"] {
            assert_eq!(LinkTarget::parse(web), LinkTarget::Web(web.into()));
        }
    }

    #[test]
    fn relative_paths_stay_inside_the_pack() {
        assert_eq!(
            resolve("notes/net/dns.md", "../services.md").as_deref(),
            Some("notes/services.md")
        );
        assert_eq!(
            resolve("notes/a.md", "./b.md").as_deref(),
            Some("notes/b.md")
        );
        assert_eq!(
            resolve("notes/a.md", "../assets/x.txt").as_deref(),
            Some("assets/x.txt")
        );
        assert_eq!(resolve("notes/a.md", "../../../etc/passwd"), None);
        assert_eq!(
            relative("notes/net/dns.md", "notes/services.md"),
            "../services.md"
        );
        assert_eq!(relative("notes/a.md", "notes/b.md"), "b.md");
        assert_eq!(relative("notes/a.md", "notes/x/b.md"), "x/b.md");
    }

    #[test]
    fn slugs_follow_github() {
        // GitHub's rule (github/cmark-gfm's toc filter, as mdBook copies it): lowercase, drop
        // punctuation but `-` and `_`, spaces become dashes, repeats get -1, -2.
        assert_eq!(slug("Headless Services"), "headless-services");
        assert_eq!(slug("What's new in C++?"), "whats-new-in-c");
        assert_eq!(slug("TTL & jitter: 2 ways"), "ttl--jitter-2-ways");
        assert_eq!(
            unique_slugs(["Setup", "Setup", "Setup"]),
            ["setup", "setup-1", "setup-2"]
        );
        assert_eq!(
            anchors("# Title\n\ntext\n\n## Ports `80`\n\n> ### Quoted\n"),
            ["title", "ports-80", "quoted"]
        );
    }

    #[test]
    fn includes_are_found_and_expanded() {
        let body = "```text\n{{#include ../assets/d.txt}}\n```\n\\{{#include literal}}\n";
        let found = includes(body);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "../assets/d.txt");
        let out = expand(body, &found, &[Some("+--+\n|  |\n+--+\n".into())]);
        assert_eq!(
            out,
            "```text\n+--+\n|  |\n+--+\n```\n{{#include literal}}\n"
        );
    }
}
