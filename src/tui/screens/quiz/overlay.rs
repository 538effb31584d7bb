//! The two boxes drawn over a question: the navigator grid of every question, and the submit
//! confirmation that lists what is still open.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::format::key;
use crate::quiz::label::clock;
use crate::quiz::{AnswerStatus, Confirmation, NavCell};
use crate::tui::keymap::{Action, Keymap};
use crate::tui::theme::Theme;
use crate::tui::widgets::chrome::{centered, overlay_box};
use crate::tui::widgets::put_line;

/// Columns of a navigator cell: the number, a space, a status glyph, a flag, a gap of two.
fn cell_width(count: usize) -> usize {
    count.to_string().len() + 5
}

/// Cells per row of the navigator at `width` (inner width of its box).
pub fn columns(count: usize, width: u16) -> usize {
    (usize::from(width) / cell_width(count)).clamp(1, 10)
}

/// The navigator's box inside `area`, sized to its grid.
fn navigator_rect(area: Rect, count: usize) -> Rect {
    let inner_w = area.width.saturating_sub(4);
    let cols = columns(count, inner_w);
    let rows = count.div_ceil(cols) as u16;
    let w = (cols * cell_width(count)) as u16 + 4;
    centered(area, w.max(40), rows + 5)
}

/// The inner width the navigator grid is laid out in, for moving its cursor by rows.
pub fn navigator_columns(area: Rect, count: usize) -> usize {
    let rect = navigator_rect(area, count);
    columns(count, rect.width.saturating_sub(4))
}

/// The grid of every question: status (or right/wrong once marked), flag, the current one
/// underlined and the selected one highlighted.
pub fn draw_navigator(
    area: Rect,
    buf: &mut Buffer,
    cells: &[NavCell],
    selected: usize,
    keymap: &Keymap,
    theme: &Theme,
) {
    let rect = navigator_rect(area, cells.len());
    let title = format!(
        " All questions — {} go · {} close ",
        key(keymap, Action::Check),
        key(keymap, Action::Navigator)
    );
    let inner = overlay_box(rect, buf, &title, theme);
    // A blank row above the grid, the legend below it.
    let grid = Rect {
        x: inner.x + 1,
        y: inner.y + 1,
        width: inner.width.saturating_sub(2),
        height: inner.height.saturating_sub(3),
    };
    let cols = columns(cells.len(), grid.width);
    let w = cell_width(cells.len());
    let digits = cells.len().to_string().len();
    for (i, cell) in cells.iter().enumerate() {
        let (row, col) = ((i / cols) as u16, (i % cols) as u16);
        let y = grid.y + row;
        let x = grid.x + col * w as u16;
        if y >= grid.bottom() || x >= grid.right() {
            continue;
        }
        let (glyph, style) = glyph(cell, theme);
        let mut number = theme.base;
        if cell.current {
            number = number.add_modifier(Modifier::UNDERLINED);
        }
        let mut spans = vec![
            Span::styled(format!("{:>digits$}", cell.index + 1), number),
            Span::raw(" "),
            Span::styled(glyph, style),
            Span::styled(if cell.flagged { "⚑" } else { " " }, theme.warn),
        ];
        if i == selected {
            for s in &mut spans {
                s.style = s.style.patch(theme.selection);
            }
        }
        let cell_rect = Rect::new(x, y, (w as u16 - 2).min(grid.right() - x), 1);
        put_line(buf, cell_rect, y, &Line::from(spans));
    }
    let legend = if cells.iter().any(|c| c.correct.is_some()) {
        "✓ right  ✗ wrong  ⚑ flagged  underlined: on screen"
    } else {
        "● answered  ◐ choose more  ○ unanswered  ⚑ flagged"
    };
    let y = inner.bottom().saturating_sub(1);
    if y > grid.y {
        put_line(
            buf,
            Rect {
                y,
                height: 1,
                ..grid
            },
            y,
            &Line::styled(legend, theme.muted),
        );
    }
}

fn glyph(cell: &NavCell, theme: &Theme) -> (&'static str, ratatui::style::Style) {
    match (cell.correct, cell.status) {
        (Some(true), _) => ("✓", theme.ok),
        (Some(false), _) => ("✗", theme.error),
        (None, AnswerStatus::Answered) => ("●", theme.accent),
        (None, AnswerStatus::Incomplete) => ("◐", theme.warn),
        (None, AnswerStatus::Unanswered) => ("○", theme.muted),
    }
}

/// The submit confirmation: what is unanswered, incomplete and flagged, the time left, and
/// the keys to submit or keep working.
pub fn draw_confirmation(
    area: Rect,
    buf: &mut Buffer,
    open: &Confirmation,
    remaining: Option<i64>,
    keymap: &Keymap,
    theme: &Theme,
) {
    let list = |label: &str, items: &[usize]| {
        let numbers: Vec<String> = items.iter().map(|i| (i + 1).to_string()).collect();
        Line::from(vec![
            Span::styled(format!("{label} ({}): ", items.len()), theme.warn),
            Span::styled(numbers.join(", "), theme.base),
        ])
    };
    let mut lines = Vec::new();
    if open.is_clear() {
        lines.push(Line::styled("Every question is answered.", theme.ok));
    }
    for (label, items) in [
        ("Unanswered", &open.unanswered),
        ("Choose more", &open.incomplete),
        ("Flagged", &open.flagged),
    ] {
        if !items.is_empty() {
            lines.push(list(label, items));
        }
    }
    lines.push(Line::default());
    let left = remaining.map_or(String::new(), |ms| format!("{} left. ", clock(ms)));
    lines.push(Line::styled(
        format!("{left}Answers cannot change after submitting."),
        theme.muted,
    ));
    lines.push(Line::from(vec![
        Span::styled(key(keymap, Action::Check), theme.key_hint),
        Span::raw(" submit   "),
        Span::styled(key(keymap, Action::Back), theme.key_hint),
        Span::raw(" keep working"),
    ]));
    let rect = centered(area, 64, lines.len() as u16 + 4);
    let inner = overlay_box(rect, buf, " Submit? ", theme);
    Paragraph::new(lines)
        .style(theme.base)
        .wrap(Wrap { trim: false })
        .render(
            Rect {
                x: inner.x + 1,
                y: inner.y + 1,
                width: inner.width.saturating_sub(2),
                height: inner.height.saturating_sub(1),
            },
            buf,
        );
}
