//! Small drawing helpers shared by the screens.

pub mod chrome;
pub mod cursor;
pub mod problem;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::safe_text::escape;
use crate::tui::theme::Theme;

/// A line of pack text with the given char positions highlighted (fuzzy-finder matches).
pub fn highlighted(text: &str, positions: &[usize], base: Style, hl: Style) -> Line<'static> {
    let text = escape(text);
    if positions.is_empty() {
        return Line::from(Span::styled(text.into_owned(), base));
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_hl = false;
    for (i, c) in text.chars().enumerate() {
        let is_hl = positions.binary_search(&i).is_ok();
        if is_hl != run_hl && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_hl { base.patch(hl) } else { base },
            ));
        }
        run_hl = is_hl;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(
            run,
            if run_hl { base.patch(hl) } else { base },
        ));
    }
    Line::from(spans)
}

/// Cuts pack text to `width` columns, ending with `…` when something was cut. Control
/// characters are shown escaped, so nothing drawn through here can drive the terminal.
pub fn truncate(text: &str, width: usize) -> String {
    let text = escape(text);
    if text.width() <= width {
        return text.into_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// "Source: URL", muted, on one line cut to `width`: where a card's or question's facts come
/// from. The URL is pack text, so it goes through [`truncate`] like any other, and line breaks
/// in it become spaces.
pub fn source_line(url: &str, width: u16, theme: &Theme) -> Line<'static> {
    const LABEL: &str = "Source: ";
    let url = url.split_whitespace().collect::<Vec<_>>().join(" ");
    let room = usize::from(width).saturating_sub(LABEL.len());
    Line::styled(format!("{LABEL}{}", truncate(&url, room)), theme.muted)
}

/// Writes a line clipped to the area's width at row `y`.
pub fn put_line(buf: &mut Buffer, area: Rect, y: u16, line: &Line<'_>) {
    if y < area.y + area.height {
        buf.set_line(area.x, y, line, area.width);
    }
}

/// The rows of a scrolling list that fit in `area`: (item index, y of its first line), keeping
/// the cursor's selection in view. `per_row` is how many lines each item takes.
pub fn visible_rows(
    area: Rect,
    cursor: &cursor::Cursor,
    len: usize,
    per_row: u16,
) -> impl Iterator<Item = (usize, u16)> {
    let per_row = per_row.max(1);
    let fit = usize::from(area.height / per_row).max(1);
    let offset = cursor.scrolled(fit);
    (offset..len)
        .map(move |i| (i, area.y + ((i - offset) as u16) * per_row))
        .take_while(move |&(_, y)| y + per_row <= area.bottom())
}

/// Paints an item's lines with the selection highlight (or the base style) and returns the
/// style its text should use.
pub fn row_style(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    height: u16,
    selected: bool,
    theme: &Theme,
) -> Style {
    let style = if selected {
        theme.selection
    } else {
        theme.base
    };
    buf.set_style(Rect { y, height, ..area }.intersection(area), style);
    style
}

/// The marker in front of a list item.
pub fn marker(selected: bool) -> &'static str {
    if selected { "▸ " } else { "  " }
}

/// A column for reading text: centred in `body`, at most `max` cells wide, one cell of margin.
pub fn text_column(body: Rect, max: u16) -> Rect {
    let width = body.width.saturating_sub(2).min(max);
    Rect {
        x: body.x + (body.width - width) / 2,
        width,
        ..body
    }
}

/// A horizontal bar of `width` cells filled to `ratio` with eighth-block precision.
pub fn bar(ratio: f64, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let ratio = if ratio.is_finite() {
        ratio.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let eighths = (ratio * width as f64 * 8.0).round() as usize;
    let full = eighths / 8;
    let mut s = "█".repeat(full.min(width));
    if full < width {
        let part = PARTS[eighths % 8];
        if part != ' ' {
            s.push(part);
        }
    }
    let pad = width.saturating_sub(s.chars().count());
    s.push_str(&" ".repeat(pad));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate("hello", 10), "hello");
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("日本語テキスト", 7).width(), 7);
    }

    #[test]
    fn a_source_is_one_muted_line_without_control_characters() {
        let theme = Theme::dark();
        let line = source_line("https://docs.example/\u{1b}[31ma\nb", 80, &theme);
        assert_eq!(
            line.to_string(),
            "Source: https://docs.example/\\u{1b}[31ma b"
        );
        assert_eq!(line.style, theme.muted);
        let cut = source_line("https://docs.example/a/long/path", 20, &theme);
        assert_eq!(cut.to_string(), "Source: https://doc…");
    }

    #[test]
    fn bars_fill_to_ratio() {
        assert_eq!(bar(0.5, 4), "██  ");
        assert_eq!(bar(1.0, 3), "███");
        assert_eq!(bar(f64::NAN, 2), "  ");
        assert_eq!(bar(0.0625, 2).chars().next(), Some('▏'));
    }

    #[test]
    fn visible_rows_follow_the_selection_and_fit_the_area() {
        let area = Rect::new(0, 2, 10, 5);
        let mut c = cursor::Cursor::default();
        c.step(6, 20);
        let rows: Vec<_> = visible_rows(area, &c, 20, 2).collect();
        assert_eq!(rows, vec![(5, 2), (6, 4)]);
        assert_eq!(visible_rows(area, &c, 0, 1).count(), 0);
        assert_eq!(
            text_column(Rect::new(0, 0, 200, 5), 100),
            Rect::new(50, 0, 100, 5)
        );
    }

    #[test]
    fn highlights_split_runs() {
        let l = highlighted("abc", &[1], Style::new(), Style::new().bold());
        assert_eq!(l.spans.len(), 3);
    }
}
