//! The note reader's Markdown rendering, end to end: a fixture note with every element drawn
//! through `NoteView` into a buffer and snapshotted as text at 80 and 120 columns (and its wide
//! table at 60), plus a property test that no input at any width draws past the width.

use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use sysdeck::content::markdown::{Block, Document};
use sysdeck::tui::markdown::{NoteView, Rendered, find, layout};
use sysdeck::tui::snapshot::buffer_text;
use sysdeck::tui::theme::Theme;
use unicode_width::UnicodeWidthStr;

const FIXTURE: &str = include_str!("fixtures/markdown-all.md");

/// Draws every line of a layout into a buffer exactly as wide as it was laid out for.
fn draw(rendered: &Rendered, width: u16, theme: &Theme) -> Buffer {
    let height = u16::try_from(rendered.lines.len()).expect("the fixture fits a buffer");
    let mut buf = Buffer::empty(Rect::new(0, 0, width, height));
    NoteView {
        rendered,
        scroll: 0,
        selected_link: None,
        matches: &[],
        current_match: None,
        theme,
    }
    .render(buf.area, &mut buf);
    buf
}

fn picture(doc: &Document, width: u16) -> String {
    let theme = Theme::dark();
    buffer_text(&draw(&layout(doc, width, &theme), width, &theme))
}

/// Headings and link spots as text, so the positions the screen navigates by are reviewed too.
fn spots(rendered: &Rendered) -> String {
    let mut out = String::from("headings:\n");
    for h in &rendered.headings {
        out.push_str(&format!("  H{} line {}: {}\n", h.level, h.line, h.title));
    }
    out.push_str("links:\n");
    for s in &rendered.links {
        out.push_str(&format!(
            "  #{} line {} cols {}..{} -> {:?}\n",
            s.link, s.line, s.start_col, s.end_col, s.target
        ));
    }
    out
}

#[test]
fn every_element_at_80_and_120_columns() {
    let doc = Document::parse(FIXTURE);
    for width in [80, 120] {
        insta::assert_snapshot!(format!("all_{width}"), picture(&doc, width));
    }
}

#[test]
fn heading_and_link_positions_at_80_columns() {
    let rendered = layout(&Document::parse(FIXTURE), 80, &Theme::dark());
    insta::assert_snapshot!("spots_80", spots(&rendered));
}

#[test]
fn the_wide_table_at_60_columns() {
    let doc = Document::parse(FIXTURE);
    let table = doc
        .blocks
        .iter()
        .find(|b| matches!(b, Block::Table(t) if t.header.len() == 5))
        .expect("the fixture has a five-column table")
        .clone();
    let only_table = Document {
        blocks: vec![table],
    };
    let text = picture(&only_table, 60);
    assert!(text.lines().all(|l| l.width() <= 60));
    insta::assert_snapshot!("wide_table_60", text);
}

#[test]
fn code_block_cells_have_the_code_background() {
    let theme = Theme::dark();
    let rendered = layout(&Document::parse(FIXTURE), 80, &theme);
    let buf = draw(&rendered, 80, &theme);
    let line = rendered
        .lines
        .iter()
        .position(|l| l.to_string().contains("fn owner"))
        .expect("the code block is drawn");
    let y = u16::try_from(line).unwrap();
    // The whole row, padding included, is on the code background.
    for x in 0..80 {
        assert_eq!(buf[(x, y)].bg, theme.code_block.bg.unwrap(), "column {x}");
    }
}

#[test]
fn search_finds_text_as_drawn() {
    let rendered = layout(&Document::parse(FIXTURE), 80, &Theme::dark());
    let matches = find(&rendered, "VIRTUAL NODES");
    assert!(matches.len() >= 2, "{matches:?}");
    let first = &matches[0];
    let line = rendered.lines[first.line].to_string();
    let before: String = line.chars().take(usize::from(first.start_col)).collect();
    assert_eq!(before.width(), usize::from(first.start_col));
}

/// Markdown-shaped input: structure, inline markup, wide and zero-width text, long words.
fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(vec![
            "# ", "## ", "#### ", "- ", "  - ", "    - ", "1. ", "10. ", "> ", "> > ", "- [ ] ",
            "- [x] ", "```rust\n", "```\n", "    ", "---\n", "***", "**", "*", "~~", "`", "\\\n",
            "| a | b | c |\n|:--|:-:|--:|\n", "| x | y |", "|", "[ring](note:ring) ",
            "[aws](note:aws-saa:vpc)", "[web](https://example.com/a/very/long/path/that/wraps) ",
            "<https://a.b/c>", "![alt](p.png)", "<b>html</b>", "日本語の文章", "👨‍👩‍👧", "🚀",
            "e\u{301}", "ﾞ", "\u{200d}", "word ", "longwordwithoutanyspacesatallthatmustbecut",
            " ", "\n", "\n\n", "\t", "\r\n", "\u{1b}[31m", "\u{202e}",
        ]).prop_map(str::to_string),
        1 => "\\PC{0,12}",
    ];
    prop::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn no_line_is_wider_than_the_width(md in markdown(), width in 1u16..200) {
        let theme = Theme::dark();
        let rendered = layout(&Document::parse(&md), width, &theme);
        for line in &rendered.lines {
            prop_assert!(line.width() <= usize::from(width), "{line:?} at {width}");
        }
        for spot in &rendered.links {
            prop_assert!(spot.start_col < spot.end_col && spot.end_col <= width);
            prop_assert!(spot.line < rendered.lines.len());
        }
        // Drawn into a wider buffer, nothing reaches past `width`.
        let height = rendered.lines.len().min(400) as u16;
        let mut buf = Buffer::empty(Rect::new(0, 0, width + 8, height));
        NoteView {
            rendered: &rendered,
            scroll: 0,
            selected_link: Some(0),
            matches: &find(&rendered, "a"),
            current_match: Some(0),
            theme: &theme,
        }
        .render(buf.area, &mut buf);
        for y in 0..height {
            for x in 0..width + 8 {
                let symbol = buf[(x, y)].symbol();
                if symbol != " " {
                    prop_assert!(x + symbol.width() as u16 <= width, "{symbol:?} at {x},{y}");
                }
            }
        }
    }
}
