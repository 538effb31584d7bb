//! The note reader's text: a [`Document`] laid out for one width as styled lines, with where
//! its headings and links landed, plus search over those lines and the widget that draws them.
//!
//! Layout is the expensive part and depends only on the note, the width and the theme, so it
//! runs once per width ([`LayoutCache`]); a frame then only copies the visible lines.

mod table;
mod view;
mod wrap;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use crate::content::markdown::{Block, Document, Inline, LinkTarget, List, plain_text};
use crate::tui::theme::Theme;
use wrap::{Row, Run, hard_wrap, wrap};

pub use view::{LayoutCache, Match, NoteView, find};

/// Bullets of unordered lists by nesting depth, repeating.
const BULLETS: [&str; 3] = ["•", "◦", "▪"];

/// A note laid out for one width.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub lines: Vec<Line<'static>>,
    /// In document order: the table of contents.
    pub headings: Vec<HeadingSpot>,
    /// Every fragment of every link, in line order.
    pub links: Vec<LinkSpot>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingSpot {
    pub level: u8,
    pub title: String,
    /// The line the heading starts on.
    pub line: usize,
}

/// Where (part of) a link is drawn. A link wrapped over two lines has two spots with the same
/// `link`, so Tab can cycle by link rather than by fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSpot {
    pub line: usize,
    pub start_col: u16,
    /// Exclusive.
    pub end_col: u16,
    /// The link's number, counted in reading order from 0.
    pub link: usize,
    pub target: LinkTarget,
}

impl Rendered {
    /// How many links there are; their numbers are `0..link_count()`.
    pub fn link_count(&self) -> usize {
        self.links.iter().map(|s| s.link + 1).max().unwrap_or(0)
    }

    /// The first fragment of link number `link`: where to scroll and what Enter follows.
    pub fn link(&self, link: usize) -> Option<&LinkSpot> {
        self.links.iter().find(|s| s.link == link)
    }

    /// The index in `headings` of the section `line` belongs to, for the table of contents.
    pub fn heading_at(&self, line: usize) -> Option<usize> {
        self.headings
            .partition_point(|h| h.line <= line)
            .checked_sub(1)
    }
}

/// Lays `doc` out `width` cells wide. No line is wider than `width`; nested content that
/// cannot afford its indent at tiny widths loses the indent, never the text.
pub fn layout(doc: &Document, width: u16, theme: &Theme) -> Rendered {
    if width == 0 {
        return Rendered::default();
    }
    let mut layouter = Layouter {
        theme,
        targets: Vec::new(),
    };
    let ctx = Ctx {
        width: usize::from(width),
        base: theme.base,
        list_depth: 0,
    };
    let rows = layouter.blocks(&doc.blocks, ctx, true);
    finish(rows, &layouter.targets)
}

/// What a block is laid out into.
#[derive(Debug, Clone, Copy)]
struct Ctx {
    width: usize,
    /// The style text starts from (quotes make it the quote style).
    base: Style,
    list_depth: usize,
}

struct Layouter<'t> {
    theme: &'t Theme,
    /// Every link met so far; runs refer to links by index into this.
    targets: Vec<LinkTarget>,
}

impl Layouter<'_> {
    /// Blocks one after another; `spaced` puts a blank line between them (and only between:
    /// a block that draws nothing, like an empty table, adds none).
    fn blocks(&mut self, blocks: &[Block], ctx: Ctx, spaced: bool) -> Vec<Row> {
        let mut rows = Vec::new();
        for block in blocks {
            let block_rows = self.block(block, ctx);
            if block_rows.is_empty() {
                continue;
            }
            if spaced && !rows.is_empty() {
                rows.push(Row::default());
            }
            rows.extend(block_rows);
        }
        rows
    }

    fn block(&mut self, block: &Block, ctx: Ctx) -> Vec<Row> {
        match block {
            Block::Heading { level, content } => self.heading(*level, content, ctx),
            Block::Paragraph(inlines) => wrap(&self.flatten(inlines, ctx.base), ctx.width),
            Block::Code { language, lines } => self.code(language.as_deref(), lines, ctx),
            Block::List(list) => self.list(list, ctx),
            Block::Quote(blocks) => self.quote(blocks, ctx),
            Block::Rule => vec![Row::filled("─", ctx.width, self.theme.border)],
            Block::Table(table) => self.table(table, ctx),
        }
    }

    /// Content laid out beside a prefix: `first` in front of the first row, `rest` in front of
    /// the others (trailing spaces trimmed on blank rows). Always at least one row, so a marker
    /// shows even for empty content. Too narrow for the prefix: the content alone.
    fn beside(
        &mut self,
        first: &Row,
        rest: &Row,
        ctx: Ctx,
        content: impl FnOnce(&mut Self, Ctx) -> Vec<Row>,
    ) -> Vec<Row> {
        let Some(width) = ctx.width.checked_sub(first.width).filter(|&w| w > 0) else {
            return at_least_one(content(self, ctx));
        };
        let mut rows = at_least_one(content(self, Ctx { width, ..ctx }));
        for (i, row) in rows.iter_mut().enumerate() {
            let prefix = if i == 0 { first } else { rest };
            if row.is_empty() {
                row.prepend(&prefix.trimmed());
            } else {
                row.prepend(prefix);
            }
        }
        rows
    }

    /// H1 underlined with a rule, H2 and H3 with a marker, the rest with a small arrow; each in
    /// its level's style.
    fn heading(&mut self, level: u8, content: &[Inline], ctx: Ctx) -> Vec<Row> {
        let style = ctx.base.patch(self.theme.heading(level));
        let runs = self.flatten(content, style);
        let marker = Row::from_text(heading_marker(level), style);
        let indent = spaces(marker.width);
        let mut rows = self.beside(&marker, &indent, ctx, |_, c| wrap(&runs, c.width));
        rows[0].heading = Some((level, plain_text(content)));
        if level == 1 {
            let underline = rows.iter().map(|r| r.width).max().unwrap_or(0).max(1);
            rows.push(Row::filled("━", underline, style));
        }
        rows
    }

    /// Code on its own background across the whole width, a language label on top, long lines
    /// cut and continued after a `↪`.
    fn code(&self, language: Option<&str>, lines: &[String], ctx: Ctx) -> Vec<Row> {
        let style = self.theme.code_block;
        let muted = style.patch(self.theme.muted);
        let pad = if ctx.width >= 4 { 1 } else { 0 };
        let inner = ctx.width - 2 * pad;
        let margin = Row::from_text(&" ".repeat(pad), style);
        let continued = if pad > 0 {
            Row::from_text("↪", muted)
        } else {
            Row::default()
        };
        let code_row = |lead: &Row, content: Row| {
            let mut row = lead.clone();
            row.append(content);
            row.pad(ctx.width - row.width, style);
            row
        };
        let mut rows = Vec::new();
        if let Some(label) = language {
            let label = hard_wrap(label, inner, muted).swap_remove(0);
            rows.push(code_row(&margin, label));
        }
        for line in lines {
            for (i, piece) in hard_wrap(line, inner, style).into_iter().enumerate() {
                rows.push(code_row(if i == 0 { &margin } else { &continued }, piece));
            }
        }
        if rows.is_empty() {
            rows.push(code_row(&margin, Row::default()));
        }
        rows
    }

    fn list(&mut self, list: &List, ctx: Ctx) -> Vec<Row> {
        let last_number = list
            .start
            .map(|start| start.saturating_add(list.items.len().saturating_sub(1) as u64));
        let number_width = last_number.map_or(0, |n| n.to_string().len());
        let inner = Ctx {
            list_depth: ctx.list_depth + 1,
            ..ctx
        };
        let mut rows = Vec::new();
        for (i, item) in list.items.iter().enumerate() {
            if i > 0 && !list.tight {
                rows.push(Row::default());
            }
            let mut marker = Row::default();
            if let Some(start) = list.start {
                let number = start.saturating_add(i as u64);
                let label = format!("{number:>number_width$}. ");
                marker.push(&label, label.len(), self.theme.accent, None);
            }
            match item.task {
                Some(true) => marker.append(Row::from_text("☑ ", self.theme.ok)),
                Some(false) => marker.append(Row::from_text("☐ ", self.theme.muted)),
                None if list.start.is_none() => {
                    let bullet = BULLETS[ctx.list_depth % BULLETS.len()];
                    marker.append(Row::from_text(&format!("{bullet} "), self.theme.accent));
                }
                None => {}
            }
            let indent = spaces(marker.width);
            rows.extend(self.beside(&marker, &indent, inner, |l, c| {
                l.blocks(&item.blocks, c, !list.tight)
            }));
        }
        rows
    }

    fn quote(&mut self, blocks: &[Block], ctx: Ctx) -> Vec<Row> {
        let gutter = Row::from_text("▌ ", self.theme.quote);
        let inner = Ctx {
            base: ctx.base.patch(self.theme.quote),
            ..ctx
        };
        self.beside(&gutter, &gutter, inner, |l, c| l.blocks(blocks, c, true))
    }

    /// Inline content as styled runs, registering its links.
    fn flatten(&mut self, inlines: &[Inline], style: Style) -> Vec<Run> {
        let mut runs = Vec::new();
        self.flatten_into(inlines, style, None, &mut runs);
        runs
    }

    fn flatten_into(
        &mut self,
        inlines: &[Inline],
        style: Style,
        link: Option<usize>,
        out: &mut Vec<Run>,
    ) {
        let theme = self.theme;
        for (i, inline) in inlines.iter().enumerate() {
            match inline {
                Inline::Text(text) => out.push(Run::new(text.as_str(), style, link)),
                Inline::Emphasis(inner) => {
                    self.flatten_into(inner, style.patch(theme.emphasis), link, out)
                }
                Inline::Strong(inner) => {
                    self.flatten_into(inner, style.patch(theme.strong), link, out)
                }
                Inline::Strike(inner) => {
                    self.flatten_into(inner, style.patch(theme.strike), link, out)
                }
                Inline::Code(code) => out.push(Run::new(
                    code.as_str(),
                    style.patch(theme.inline_code),
                    link,
                )),
                Inline::Link { target, content } => self.link(target, content, style, out),
                Inline::Image { alt, url } => {
                    let label = if alt.is_empty() {
                        "[image]".to_string()
                    } else {
                        format!("[image: {alt}]")
                    };
                    out.push(Run::new(label, style.patch(theme.emphasis), link));
                    self.address(url, style, link, out);
                }
                // Chinese and Japanese put no spaces between words, so a line break in their
                // source is no space either.
                Inline::SoftBreak
                    if ends_wide(out) && inlines.get(i + 1).is_some_and(starts_wide) => {}
                Inline::SoftBreak => out.push(Run::new(" ", style, link)),
                Inline::HardBreak => out.push(Run::new("\n", style, link)),
            }
        }
    }

    /// A link in the link style. A web link is followed by its address unless its text is the
    /// address; a link without text shows where it goes.
    fn link(&mut self, target: &LinkTarget, content: &[Inline], style: Style, out: &mut Vec<Run>) {
        let index = self.targets.len();
        self.targets.push(target.clone());
        let text_style = style.patch(self.theme.link);
        let text = plain_text(content);
        if text.trim().is_empty() {
            out.push(Run::new(target.label(), text_style, Some(index)));
            return;
        }
        self.flatten_into(content, text_style, Some(index), out);
        if let LinkTarget::Web(url) | LinkTarget::File(url) = target
            && !same_address(&text, url)
        {
            self.address(url, style, Some(index), out);
        }
    }

    /// ` ⟨url⟩`, muted.
    fn address(&self, url: &str, style: Style, link: Option<usize>, out: &mut Vec<Run>) {
        out.push(Run::new(" ", style, link));
        out.push(Run::new(
            format!("⟨{url}⟩"),
            style.patch(self.theme.muted),
            link,
        ));
    }
}

fn heading_marker(level: u8) -> &'static str {
    match level {
        1 => "",
        2 => "◆ ",
        3 => "◇ ",
        _ => "▸ ",
    }
}

fn is_wide(c: char) -> bool {
    c.width() == Some(2)
}

fn ends_wide(runs: &[Run]) -> bool {
    runs.last()
        .and_then(|r| r.text.chars().next_back())
        .is_some_and(is_wide)
}

fn starts_wide(inline: &Inline) -> bool {
    matches!(inline, Inline::Text(t) if t.chars().next().is_some_and(is_wide))
}

fn spaces(count: usize) -> Row {
    Row::from_text(&" ".repeat(count), Style::new())
}

fn at_least_one(mut rows: Vec<Row>) -> Vec<Row> {
    if rows.is_empty() {
        rows.push(Row::default());
    }
    rows
}

/// Whether link text already is the address (autolinks, `<a@b.c>` as `mailto:`).
fn same_address(text: &str, url: &str) -> bool {
    text == url || url.strip_prefix("mailto:") == Some(text)
}

/// Rows to lines, with heading and link positions; links are renumbered in reading order so
/// Tab visits them top to bottom.
fn finish(rows: Vec<Row>, targets: &[LinkTarget]) -> Rendered {
    let mut rendered = Rendered::default();
    let mut numbers: Vec<Option<usize>> = vec![None; targets.len()];
    let mut next = 0;
    for (line, row) in rows.into_iter().enumerate() {
        if let Some((level, title)) = row.heading {
            rendered.headings.push(HeadingSpot { level, title, line });
        }
        let mut col = 0;
        let mut spans = Vec::with_capacity(row.segs.len());
        for seg in row.segs {
            let start = col;
            col += seg.width;
            if let Some(index) = seg.link {
                let link = *numbers[index].get_or_insert_with(|| {
                    next += 1;
                    next - 1
                });
                add_fragment(&mut rendered.links, line, start, col, link, &targets[index]);
            }
            spans.push(Span::styled(seg.text, seg.style));
        }
        rendered.lines.push(Line::from(spans));
    }
    rendered
}

/// Records a piece of a link, joining it to the previous piece when they touch.
fn add_fragment(
    spots: &mut Vec<LinkSpot>,
    line: usize,
    start: usize,
    end: usize,
    link: usize,
    target: &LinkTarget,
) {
    let (start, end) = (to_col(start), to_col(end));
    match spots.last_mut() {
        Some(last) if last.line == line && last.link == link && last.end_col == start => {
            last.end_col = end;
        }
        _ => spots.push(LinkSpot {
            line,
            start_col: start,
            end_col: end,
            link,
            target: target.clone(),
        }),
    }
}

/// Columns fit in `u16` because no line is wider than the `u16` width it was laid out for.
fn to_col(col: usize) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::NoteRef;

    fn render(md: &str, width: u16) -> Rendered {
        layout(&Document::parse(md), width, &Theme::dark())
    }

    fn text(r: &Rendered) -> Vec<String> {
        r.lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn blocks_are_separated_by_one_blank_line() {
        let r = render("para one\n\npara two\n\n---\n", 20);
        assert_eq!(text(&r), ["para one", "", "para two", "", &"─".repeat(20)]);
    }

    #[test]
    fn empty_blocks_add_no_blank_lines() {
        let doc = Document {
            blocks: vec![
                Block::Paragraph(Vec::new()),
                Block::Paragraph(vec![Inline::Text("a".into())]),
                Block::Paragraph(Vec::new()),
            ],
        };
        assert_eq!(text(&layout(&doc, 10, &Theme::dark())), ["a"]);
    }

    #[test]
    fn headings_are_marked_and_recorded() {
        let r = render("# Top\n\n## Second\n\ntext\n\n### Third\n", 30);
        assert_eq!(
            text(&r),
            ["Top", "━━━", "", "◆ Second", "", "text", "", "◇ Third"]
        );
        let spots: Vec<_> = r.headings.iter().map(|h| (h.level, h.line)).collect();
        assert_eq!(spots, [(1, 0), (2, 3), (3, 7)]);
        assert_eq!(r.headings[1].title, "Second");
        assert_eq!(r.heading_at(5), Some(1));
        assert_eq!(r.heading_at(0), Some(0));
        let theme = Theme::dark();
        assert_eq!(
            r.lines[3].spans[0].style,
            theme.base.patch(theme.heading(2))
        );
    }

    #[test]
    fn nested_lists_use_bullets_per_depth() {
        let r = render("- a\n  - b\n    - c\n      - d\n1. one\n2. two\n", 30);
        assert_eq!(
            text(&r),
            [
                "• a",
                "  ◦ b",
                "    ▪ c",
                "      • d",
                "",
                "1. one",
                "2. two"
            ]
        );
    }

    #[test]
    fn list_items_wrap_under_their_text() {
        let r = render("- [ ] one two three four\n- [x] done\n", 12);
        assert_eq!(text(&r), ["☐ one two", "  three four", "☑ done"]);
        let numbered = render("8. a\n9. b\n10. c\n", 20);
        assert_eq!(text(&numbered), [" 8. a", " 9. b", "10. c"]);
    }

    #[test]
    fn quotes_have_a_gutter_on_every_line() {
        let r = render("> one two three\n>\n> four\n", 9);
        assert_eq!(text(&r), ["▌ one two", "▌ three", "▌", "▌ four"]);
        let theme = Theme::dark();
        let quoted = theme.base.patch(theme.quote);
        assert!(r.lines[0].spans.iter().all(|s| s.style == quoted));
    }

    #[test]
    fn code_blocks_fill_the_width_on_the_code_background() {
        let r = render("```sql\nselect 1234567890;\n```\n", 12);
        assert_eq!(text(&r), [" sql        ", " select 123 ", "↪4567890;   "]);
        let bg = Theme::dark().code_block.bg;
        for line in &r.lines {
            assert_eq!(line.width(), 12);
            assert!(line.spans.iter().all(|s| s.style.bg == bg), "{line:?}");
        }
    }

    #[test]
    fn web_links_show_their_address_and_note_links_do_not() {
        let r = render(
            "[ring](note:hashing) and [docs](https://e.com) <https://x.y>",
            80,
        );
        assert_eq!(text(&r), ["ring and docs ⟨https://e.com⟩ https://x.y"]);
        let spots: Vec<_> = r
            .links
            .iter()
            .map(|s| (s.link, s.start_col, s.end_col))
            .collect();
        assert_eq!(spots, [(0, 0, 4), (1, 9, 29), (2, 30, 41)]);
        assert_eq!(
            r.links[0].target,
            LinkTarget::Note(NoteRef::parse("hashing"), None)
        );
        let theme = Theme::dark();
        assert_eq!(r.lines[0].spans[0].style, theme.base.patch(theme.link));
        assert_eq!(r.link_count(), 3);
        assert_eq!(r.link(1).map(|s| s.start_col), Some(9));
    }

    #[test]
    fn a_wrapped_link_is_one_link_in_two_spots() {
        let r = render("intro [the consistent hashing note](note:ring) end", 20);
        assert_eq!(text(&r), ["intro the consistent", "hashing note end"]);
        let spots: Vec<_> = r
            .links
            .iter()
            .map(|s| (s.line, s.start_col, s.end_col, s.link))
            .collect();
        assert_eq!(spots, [(0, 6, 20, 0), (1, 0, 12, 0)]);
        assert_eq!(r.link_count(), 1);
    }

    #[test]
    fn empty_links_show_their_target() {
        let r = render("[](note:aws:vpc)", 20);
        assert_eq!(text(&r), ["aws:vpc"]);
    }

    #[test]
    fn line_breaks_in_cjk_source_add_no_space() {
        let r = render("日本語の\n文章 and\nEnglish", 40);
        assert_eq!(text(&r), ["日本語の文章 and English"]);
    }

    #[test]
    fn images_show_alt_and_address() {
        let r = render("![a ring](ring.png)", 40);
        assert_eq!(text(&r), ["[image: a ring] ⟨ring.png⟩"]);
    }

    #[test]
    fn narrow_widths_drop_indents_not_text() {
        let doc = Document::parse("> - - deep item\n");
        for width in 1..12 {
            let r = layout(&doc, width, &Theme::dark());
            assert!(r.lines.iter().all(|l| l.width() <= usize::from(width)));
            let all: String = text(&r).concat();
            assert!(all.contains('d'), "width {width}: {all}");
        }
        assert!(layout(&doc, 0, &Theme::dark()).lines.is_empty());
    }
}
