//! A note body as a document tree: Markdown parsed once into blocks and inlines that the reader
//! lays out for whatever width the terminal has.
//!
//! The tree is the boundary between the pack format and the terminal: it holds no styles, only
//! structure, and every string in it is already safe to draw (control characters stripped, tabs
//! expanded), so the layout never has to think about hostile input.

use std::iter::Peekable;

use pulldown_cmark::{
    Alignment as CmarkAlignment, CodeBlockKind, Event, HeadingLevel, Parser, Tag,
};

pub use super::link_target::LinkTarget;
use super::parse::markdown_options;
use crate::safe_text::escape;

/// Containers nested deeper than this are flattened into their parent, so a hostile note
/// (`>>>>>>…` a million levels deep) can neither overflow the stack nor push text off-screen.
const MAX_DEPTH: usize = 32;

/// Code blocks expand tabs to stops this far apart: terminals disagree on tabs, columns do not.
const TAB_STOP: usize = 4;

/// A parsed note body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `level` is 1..=6.
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    /// One string per source line, tabs expanded; `language` is the first word of the fence info.
    Code {
        language: Option<String>,
        lines: Vec<String>,
    },
    List(List),
    Quote(Vec<Block>),
    Rule,
    Table(Table),
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// The first number of an ordered list; `None` for bullets.
    pub start: Option<u64>,
    /// Tight lists (no blank lines between items in the source) are drawn without blank lines.
    pub tight: bool,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `Some(done)` for a task-list item (`- [ ]`, `- [x]`).
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq, Copy)]
pub enum Alignment {
    /// Also the alignment of columns that do not say.
    Left,
    Center,
    Right,
}

/// A GitHub table. Rows may have fewer cells than the header; the layout pads them.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub alignments: Vec<Alignment>,
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
}

pub type Cell = Vec<Inline>;

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    Code(String),
    Link {
        target: LinkTarget,
        content: Vec<Inline>,
    },
    /// A terminal cannot show the picture, so the reader gets the description and the address.
    Image {
        alt: String,
        url: String,
    },
    SoftBreak,
    HardBreak,
}

impl Document {
    /// Parses a note body in the pack dialect ([`markdown_options`]). Never fails: anything
    /// Markdown cannot express as structure ends up as text.
    pub fn parse(body: &str) -> Document {
        let mut builder = Builder {
            events: Parser::new_ext(body, markdown_options()).peekable(),
            depth: 0,
            tasks: Vec::new(),
        };
        Document {
            blocks: builder.blocks().0,
        }
    }
}

/// The text of inlines without any formatting: heading titles, alt text, link labels.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strike(c) => push_plain(c, out),
            Inline::Link { content, .. } => push_plain(content, out),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
        }
    }
}

/// Inline text made drawable: control characters shown escaped, and line breaks and tabs (which only the
/// layout may decide about) become spaces.
fn inline_text(text: &str) -> String {
    escape(text).replace(['\t', '\n'], " ")
}

/// A code line made drawable: control characters shown escaped, tabs expanded to [`TAB_STOP`].
fn code_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut col = 0;
    for c in escape(line).chars() {
        if c == '\t' {
            let n = TAB_STOP - col % TAB_STOP;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
        } else {
            out.push(c);
            col += 1;
        }
    }
    out
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alignment(a: CmarkAlignment) -> Alignment {
    match a {
        CmarkAlignment::None | CmarkAlignment::Left => Alignment::Left,
        CmarkAlignment::Center => Alignment::Center,
        CmarkAlignment::Right => Alignment::Right,
    }
}

/// Builds the tree from pulldown-cmark's balanced event stream. Each method consumes events up
/// to the first `End` it did not open itself, which is the end of the container it was called
/// for, so no method needs to know which tag it is closing.
struct Builder<'a, I: Iterator<Item = Event<'a>>> {
    events: Peekable<I>,
    /// Containers currently open, for [`MAX_DEPTH`].
    depth: usize,
    /// One slot per open list item: the task marker, when pulldown reports one.
    tasks: Vec<Option<bool>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Builder<'a, I> {
    /// Blocks up to the end of the current container, and whether any paragraph was explicit
    /// (pulldown only emits paragraph tags inside list items of loose lists).
    fn blocks(&mut self) -> (Vec<Block>, bool) {
        let mut blocks = Vec::new();
        let mut loose = false;
        let mut pending: Vec<Inline> = Vec::new();
        let mut flattened = 0usize;
        while let Some(event) = self.events.next() {
            let block = match event {
                Event::End(_) if flattened == 0 => break,
                Event::End(_) => {
                    flattened -= 1;
                    continue;
                }
                Event::Start(tag) if is_block(&tag) => {
                    flush_paragraph(&mut pending, &mut blocks);
                    if matches!(tag, Tag::Paragraph) {
                        loose = true;
                    }
                    match self.nested(|b| b.block(tag)) {
                        Some(block) => block,
                        None => {
                            flattened += 1;
                            continue;
                        }
                    }
                }
                Event::Rule => Block::Rule,
                event => {
                    self.inline(event, &mut pending, &mut flattened);
                    continue;
                }
            };
            flush_paragraph(&mut pending, &mut blocks);
            blocks.push(block);
        }
        flush_paragraph(&mut pending, &mut blocks);
        (blocks, loose)
    }

    /// Runs `f` one container deeper, or returns `None` (the caller flattens the container)
    /// when that would pass [`MAX_DEPTH`].
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        Some(out)
    }

    /// The block a start tag opens, consuming everything up to its end.
    fn block(&mut self, tag: Tag<'a>) -> Block {
        match tag {
            Tag::Heading { level, .. } => Block::Heading {
                level: heading_level(level),
                content: self.inlines(),
            },
            Tag::BlockQuote(_) => Block::Quote(self.blocks().0),
            Tag::CodeBlock(kind) => self.code(kind),
            Tag::HtmlBlock => Block::Paragraph(self.html()),
            Tag::List(start) => self.list(start),
            Tag::Table(aligns) => self.table(aligns),
            // Paragraphs, and block containers this dialect does not enable: their text.
            _ => Block::Paragraph(self.inlines()),
        }
    }

    fn code(&mut self, kind: CodeBlockKind<'a>) -> Block {
        let language = match kind {
            CodeBlockKind::Fenced(info) => info
                .split_whitespace()
                .next()
                .map(inline_text)
                .filter(|word| !word.is_empty()),
            CodeBlockKind::Indented => None,
        };
        let text = self.raw_text();
        let text = text.strip_suffix('\n').unwrap_or(&text);
        let lines = if text.is_empty() {
            Vec::new()
        } else {
            text.split('\n').map(code_line).collect()
        };
        Block::Code { language, lines }
    }

    /// HTML is shown as the text it is, line by line.
    fn html(&mut self) -> Vec<Inline> {
        let text = self.raw_text();
        let mut inlines = Vec::new();
        for (i, line) in text.trim_end_matches('\n').split('\n').enumerate() {
            if i > 0 {
                inlines.push(Inline::HardBreak);
            }
            inlines.push(Inline::Text(inline_text(line)));
        }
        inlines
    }

    /// The concatenated text of a container that holds only text (code and HTML blocks).
    fn raw_text(&mut self) -> String {
        let mut text = String::new();
        for event in self.events.by_ref() {
            match event {
                Event::Text(t) | Event::Html(t) => text.push_str(&t),
                Event::End(_) => break,
                _ => {}
            }
        }
        text
    }

    fn list(&mut self, start: Option<u64>) -> Block {
        let mut items = Vec::new();
        let mut tight = true;
        while let Some(event) = self.events.next() {
            match event {
                Event::Start(Tag::Item) => {
                    self.tasks.push(None);
                    let (blocks, loose) = self.blocks();
                    let task = self.tasks.pop().flatten();
                    tight &= !loose;
                    items.push(Item { task, blocks });
                }
                Event::End(_) => break,
                _ => {}
            }
        }
        Block::List(List {
            start,
            tight,
            items,
        })
    }

    fn table(&mut self, aligns: Vec<CmarkAlignment>) -> Block {
        let mut table = Table {
            alignments: aligns.into_iter().map(alignment).collect(),
            header: Vec::new(),
            rows: Vec::new(),
        };
        while let Some(event) = self.events.next() {
            match event {
                Event::Start(Tag::TableHead) => table.header = self.cells(),
                Event::Start(Tag::TableRow) => table.rows.push(self.cells()),
                Event::End(_) => break,
                _ => {}
            }
        }
        Block::Table(table)
    }

    fn cells(&mut self) -> Vec<Cell> {
        let mut cells = Vec::new();
        while let Some(event) = self.events.next() {
            match event {
                Event::Start(Tag::TableCell) => cells.push(self.inlines()),
                Event::End(_) => break,
                _ => {}
            }
        }
        cells
    }

    /// Inlines up to the end of the current container.
    fn inlines(&mut self) -> Vec<Inline> {
        let mut out = Vec::new();
        let mut flattened = 0usize;
        while let Some(event) = self.events.next() {
            match event {
                Event::End(_) if flattened == 0 => break,
                Event::End(_) => flattened -= 1,
                event => self.inline(event, &mut out, &mut flattened),
            }
        }
        out
    }

    /// Adds one inline event to `out`. A start tag that is not nested (too deep, or a block tag
    /// where only inlines can be) counts in `flattened`, and its contents join `out`.
    fn inline(&mut self, event: Event<'a>, out: &mut Vec<Inline>, flattened: &mut usize) {
        let inline = match event {
            Event::Start(tag) => match self.nested(|b| b.inline_container(tag)) {
                Some(Some(inline)) => inline,
                _ => {
                    *flattened += 1;
                    return;
                }
            },
            Event::Text(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => Inline::Text(inline_text(&t)),
            Event::Code(t) => Inline::Code(inline_text(&t)),
            Event::FootnoteReference(t) => Inline::Text(format!("[^{}]", inline_text(&t))),
            Event::SoftBreak => Inline::SoftBreak,
            Event::HardBreak => Inline::HardBreak,
            Event::TaskListMarker(done) => {
                if let Some(slot) = self.tasks.last_mut() {
                    *slot = Some(done);
                }
                return;
            }
            Event::Rule | Event::End(_) => return,
        };
        push_merged(out, inline);
    }

    /// The inline a start tag opens, or `None` for a tag that only groups its contents.
    fn inline_container(&mut self, tag: Tag<'a>) -> Option<Inline> {
        Some(match tag {
            Tag::Emphasis => Inline::Emphasis(self.inlines()),
            Tag::Strong => Inline::Strong(self.inlines()),
            Tag::Strikethrough => Inline::Strike(self.inlines()),
            Tag::Link { dest_url, .. } => Inline::Link {
                target: LinkTarget::parse(&inline_text(&dest_url)),
                content: self.inlines(),
            },
            Tag::Image { dest_url, .. } => Inline::Image {
                alt: plain_text(&self.inlines()),
                url: inline_text(&dest_url),
            },
            _ => return None,
        })
    }
}

/// Whether a start tag opens a block (handled by [`Builder::block`]) rather than an inline.
fn is_block(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// Pushes an inline, joining text to text: pulldown splits text at every character it had to
/// look at twice, and one inline per stretch of text keeps the tree small and comparable.
fn push_merged(out: &mut Vec<Inline>, inline: Inline) {
    match (out.last_mut(), inline) {
        (Some(Inline::Text(last)), Inline::Text(text)) => last.push_str(&text),
        (_, inline) => out.push(inline),
    }
}

/// Text outside any paragraph tag (items of tight lists) becomes a paragraph of its own.
fn flush_paragraph(pending: &mut Vec<Inline>, blocks: &mut Vec<Block>) {
    if !pending.is_empty() {
        blocks.push(Block::Paragraph(std::mem::take(pending)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::NoteRef;

    fn text(t: &str) -> Inline {
        Inline::Text(t.into())
    }

    #[test]
    fn headings_paragraphs_and_emphasis() {
        let doc = Document::parse("# Title\n\nSome *em* **strong** ~~gone~~ `code`.\n");
        assert_eq!(
            doc.blocks,
            [
                Block::Heading {
                    level: 1,
                    content: vec![text("Title")]
                },
                Block::Paragraph(vec![
                    text("Some "),
                    Inline::Emphasis(vec![text("em")]),
                    text(" "),
                    Inline::Strong(vec![text("strong")]),
                    text(" "),
                    Inline::Strike(vec![text("gone")]),
                    text(" "),
                    Inline::Code("code".into()),
                    text("."),
                ])
            ]
        );
    }

    #[test]
    fn links_are_notes_or_web() {
        let doc = Document::parse("[a](note:x) [b](note:aws:vpc) [c](https://e.com)");
        let Block::Paragraph(inlines) = &doc.blocks[0] else {
            panic!("not a paragraph: {doc:?}");
        };
        let targets: Vec<_> = inlines
            .iter()
            .filter_map(|i| match i {
                Inline::Link { target, .. } => Some(target.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            targets,
            [
                LinkTarget::Note(NoteRef::parse("x"), None),
                LinkTarget::Note(NoteRef::parse("aws:vpc"), None),
                LinkTarget::Web("https://e.com".into()),
            ]
        );
    }

    #[test]
    fn nested_task_lists() {
        let doc = Document::parse("- [ ] todo\n- [x] done\n  1. one\n  2. two\n");
        let Block::List(list) = &doc.blocks[0] else {
            panic!("not a list: {doc:?}");
        };
        assert!(list.tight);
        assert_eq!(list.start, None);
        assert_eq!(list.items[0].task, Some(false));
        assert_eq!(list.items[1].task, Some(true));
        let Block::List(inner) = &list.items[1].blocks[1] else {
            panic!("no nested list: {list:?}");
        };
        assert_eq!(inner.start, Some(1));
        assert_eq!(inner.items.len(), 2);
        assert_eq!(inner.items[0].task, None);
    }

    #[test]
    fn loose_lists_are_marked() {
        let doc = Document::parse("- a\n\n- b\n");
        let Block::List(list) = &doc.blocks[0] else {
            panic!("not a list: {doc:?}");
        };
        assert!(!list.tight);
    }

    #[test]
    fn code_blocks_keep_lines_and_language() {
        let doc = Document::parse("```rust ignore\nfn main() {\n\tx\n}\n```\n\n    indented\n");
        assert_eq!(
            doc.blocks,
            [
                Block::Code {
                    language: Some("rust".into()),
                    lines: vec!["fn main() {".into(), "    x".into(), "}".into()]
                },
                Block::Code {
                    language: None,
                    lines: vec!["indented".into()]
                }
            ]
        );
    }

    #[test]
    fn tables_keep_alignment_and_cells() {
        let doc = Document::parse("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 |\n");
        let Block::Table(t) = &doc.blocks[0] else {
            panic!("not a table: {doc:?}");
        };
        assert_eq!(
            t.alignments,
            [Alignment::Left, Alignment::Center, Alignment::Right]
        );
        assert_eq!(t.header.len(), 3);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0][0], vec![text("1")]);
    }

    #[test]
    fn quotes_rules_images_and_html() {
        let doc = Document::parse("> quoted\n\n---\n\n![a cat](cat.png)\n\n<div>\nhi\n</div>\n");
        assert_eq!(
            doc.blocks,
            [
                Block::Quote(vec![Block::Paragraph(vec![text("quoted")])]),
                Block::Rule,
                Block::Paragraph(vec![Inline::Image {
                    alt: "a cat".into(),
                    url: "cat.png".into()
                }]),
                Block::Paragraph(vec![
                    text("<div>"),
                    Inline::HardBreak,
                    text("hi"),
                    Inline::HardBreak,
                    text("</div>")
                ]),
            ]
        );
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let doc = Document::parse("a\u{1b}[31mb\tc &#27;]52;c;Zm9v&#7;\n\n```\n\u{1b}x\n```\n");
        assert_eq!(
            doc.blocks[0],
            Block::Paragraph(vec![text("a\\u{1b}[31mb c \\u{1b}]52;c;Zm9v\\u{7}")])
        );
        assert_eq!(
            doc.blocks[1],
            Block::Code {
                language: None,
                lines: vec!["\\u{1b}x".into()]
            }
        );
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let body = format!("{}deep\n", "> ".repeat(10_000));
        let doc = Document::parse(&body);
        let mut depth = 0;
        let mut blocks = &doc.blocks;
        while let Some(Block::Quote(inner)) = blocks.first() {
            depth += 1;
            blocks = inner;
        }
        assert!(depth <= MAX_DEPTH, "depth {depth}");
        assert_eq!(blocks[0], Block::Paragraph(vec![text("deep")]));
    }
}
