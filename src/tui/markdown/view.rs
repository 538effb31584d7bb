//! Using a laid-out note: searching it, drawing the visible part, and keeping the layout for
//! as long as the width stays the same.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Widget;

use super::wrap::graphemes;
use super::{Rendered, layout};
use crate::content::markdown::Document;
use crate::tui::theme::Theme;

/// A search hit: columns on one rendered line (`end_col` exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub line: usize,
    pub start_col: u16,
    pub end_col: u16,
}

/// Every case-insensitive occurrence of `query`, in reading order. Lines are searched as
/// drawn, so text wrapped across two lines is found only in pieces.
pub fn find(rendered: &Rendered, query: &str) -> Vec<Match> {
    let needle = lowercase(query);
    let mut matches = Vec::new();
    if needle.is_empty() {
        return matches;
    }
    for (index, line) in rendered.lines.iter().enumerate() {
        find_in_line(line, index, &needle, &mut matches);
    }
    matches
}

/// Character by character, unlike `str::to_lowercase`, so a piece lowercases the same alone
/// as inside its line.
fn lowercase(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Searches one line's lowercased text, mapping byte offsets back to screen columns through
/// the grapheme each lowercased piece came from (lowercasing can change byte lengths). Most
/// lines do not match, so that mapping is built only for lines that do.
fn find_in_line(line: &Line<'_>, index: usize, needle: &str, out: &mut Vec<Match>) {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let haystack = lowercase(&text);
    if !haystack.contains(needle) {
        return;
    }
    // (byte offset in `haystack`, column) where each grapheme starts, and the end.
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let (mut byte, mut col) = (0, 0);
    for (g, width) in graphemes(&text) {
        starts.push((byte, col));
        byte += g
            .chars()
            .flat_map(char::to_lowercase)
            .map(char::len_utf8)
            .sum::<usize>();
        col += width;
    }
    starts.push((byte, col));
    for (start, found) in haystack.match_indices(needle) {
        let end = start + found.len();
        let first = starts.partition_point(|&(byte, _)| byte <= start) - 1;
        let after = starts.partition_point(|&(byte, _)| byte < end);
        out.push(Match {
            line: index,
            start_col: super::to_col(starts[first].1),
            end_col: super::to_col(starts[after].1),
        });
    }
}

/// Draws the lines of a [`Rendered`] note from `scroll` down, as many as fit, with the
/// selected link and the search matches highlighted. Nothing outside the visible lines is
/// touched, so a frame costs the same for a short note and a long one.
pub struct NoteView<'a> {
    pub rendered: &'a Rendered,
    /// The first line shown.
    pub scroll: usize,
    /// A link number (see [`super::LinkSpot::link`]).
    pub selected_link: Option<usize>,
    /// As returned by [`find`]: sorted by line.
    pub matches: &'a [Match],
    /// Index into `matches` of the match n/N moved to.
    pub current_match: Option<usize>,
    pub theme: &'a Theme,
}

impl NoteView<'_> {
    /// Lines shown in `area`.
    fn visible(&self, area: Rect) -> Range<usize> {
        let total = self.rendered.lines.len();
        let start = self.scroll.min(total);
        start..(start + usize::from(area.height)).min(total)
    }

    /// Restyles columns of a visible line, clipped to the area.
    fn highlight(&self, area: Rect, buf: &mut Buffer, line: usize, cols: Range<u16>, style: Style) {
        let Ok(row) = u16::try_from(line - self.scroll) else {
            return;
        };
        let rect = Rect::new(
            area.x.saturating_add(cols.start),
            area.y.saturating_add(row),
            cols.end.saturating_sub(cols.start),
            1,
        );
        buf.set_style(rect.intersection(area), style);
    }
}

impl Widget for NoteView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let visible = self.visible(area);
        for (y, line) in (area.y..).zip(&self.rendered.lines[visible.clone()]) {
            buf.set_line(area.x, y, line, area.width);
        }
        if let Some(selected) = self.selected_link {
            let links = &self.rendered.links;
            let from = links.partition_point(|s| s.line < visible.start);
            for spot in links[from..].iter().take_while(|s| s.line < visible.end) {
                if spot.link == selected {
                    let cols = spot.start_col..spot.end_col;
                    self.highlight(area, buf, spot.line, cols, self.theme.link_selected);
                }
            }
        }
        let current = self
            .theme
            .search_match
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        let from = self.matches.partition_point(|m| m.line < visible.start);
        for (i, m) in self.matches.iter().enumerate().skip(from) {
            if m.line >= visible.end {
                break;
            }
            let style = if self.current_match == Some(i) {
                current
            } else {
                self.theme.search_match
            };
            self.highlight(area, buf, m.line, m.start_col..m.end_col, style);
        }
    }
}

/// The layout of the note on screen, kept until the note or the width changes.
///
/// It works through `&self` so that the screen's `impl Widget for &Screen`, which is the first
/// to learn the width after a resize, can ask for the layout of exactly the area it draws:
/// what it stores is a memo of a pure function, not state the learner can see.
#[derive(Debug, Default)]
pub struct LayoutCache {
    entry: RefCell<Option<Entry>>,
}

#[derive(Debug)]
struct Entry {
    note: String,
    width: u16,
    rendered: Rc<Rendered>,
}

impl LayoutCache {
    pub fn new() -> LayoutCache {
        LayoutCache::default()
    }

    /// The layout of `doc` (identified by `note`, e.g. `pack:id`) at `width`, computed only
    /// when the note or the width differs from the last call.
    pub fn get(&self, note: &str, width: u16, doc: &Document, theme: &Theme) -> Rc<Rendered> {
        let mut entry = self.entry.borrow_mut();
        if let Some(e) = entry.as_ref()
            && e.note == note
            && e.width == width
        {
            return e.rendered.clone();
        }
        let rendered = Rc::new(layout(doc, width, theme));
        *entry = Some(Entry {
            note: note.to_string(),
            width,
            rendered: rendered.clone(),
        });
        rendered
    }

    /// Forgets the layout: the packs were reloaded or the theme changed.
    pub fn clear(&self) {
        self.entry.take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    fn rendered(md: &str, width: u16) -> Rendered {
        layout(&Document::parse(md), width, &Theme::dark())
    }

    fn draw(view: NoteView<'_>, width: u16, height: u16) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, width, height));
        view.render(buf.area, &mut buf);
        buf
    }

    #[test]
    fn finds_case_insensitively_with_columns() {
        let r = rendered("Cache the CACHE\n\n日本 cache", 40);
        let found = find(&r, "cache");
        let spots: Vec<_> = found
            .iter()
            .map(|m| (m.line, m.start_col, m.end_col))
            .collect();
        assert_eq!(spots, [(0, 0, 5), (0, 10, 15), (2, 5, 10)]);
        assert!(find(&r, "").is_empty());
        assert!(find(&r, "absent").is_empty());
    }

    #[test]
    fn finds_text_whose_lowercase_is_longer() {
        // 'İ' lowercases to two chars; the column after it must still be right.
        let r = rendered("İx ab", 20);
        let found = find(&r, "ab");
        assert_eq!((found[0].start_col, found[0].end_col), (3, 5));
        let found = find(&r, "i̇x");
        assert_eq!((found[0].start_col, found[0].end_col), (0, 2));
    }

    #[test]
    fn draws_only_from_the_scroll_position() {
        let r = rendered("one\n\ntwo\n\nthree", 10);
        let theme = Theme::dark();
        let view = NoteView {
            rendered: &r,
            scroll: 2,
            selected_link: None,
            matches: &[],
            current_match: None,
            theme: &theme,
        };
        let buf = draw(view, 10, 2);
        assert_eq!(buf[(0, 0)].symbol(), "t");
        assert_eq!(buf[(0, 1)].symbol(), " ");
        // Scrolled past the end: nothing drawn, no panic.
        let view = NoteView {
            rendered: &r,
            scroll: 99,
            selected_link: None,
            matches: &[],
            current_match: None,
            theme: &theme,
        };
        assert_eq!(draw(view, 10, 2)[(0, 0)].symbol(), " ");
    }

    #[test]
    fn highlights_the_selected_link_and_matches() {
        let r = rendered("[a b](note:x) [c](note:y) find me", 40);
        let theme = Theme::dark();
        let matches = find(&r, "me");
        let view = NoteView {
            rendered: &r,
            scroll: 0,
            selected_link: Some(1),
            matches: &matches,
            current_match: Some(0),
            theme: &theme,
        };
        let buf = draw(view, 40, 1);
        let bg = |x: u16| buf[(x, 0)].bg;
        let Some(Color::Rgb(..)) = theme.link_selected.bg else {
            panic!("the dark theme selects links with a background");
        };
        assert_ne!(bg(0), theme.link_selected.bg.unwrap());
        assert_eq!(bg(4), theme.link_selected.bg.unwrap());
        assert_eq!(bg(11), theme.search_match.bg.unwrap());
        assert!(buf[(11, 0)].modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn the_cache_lays_out_once_per_width() {
        let doc = Document::parse("some text");
        let theme = Theme::dark();
        let cache = LayoutCache::new();
        let a = cache.get("p:a", 40, &doc, &theme);
        let b = cache.get("p:a", 40, &doc, &theme);
        assert!(Rc::ptr_eq(&a, &b));
        let c = cache.get("p:a", 41, &doc, &theme);
        assert!(!Rc::ptr_eq(&a, &c));
        let d = cache.get("p:b", 41, &doc, &theme);
        assert!(!Rc::ptr_eq(&c, &d));
        cache.clear();
        assert!(!Rc::ptr_eq(&d, &cache.get("p:b", 41, &doc, &theme)));
    }
}
