//! The frame every screen shares: a title bar with breadcrumbs, the body, and a footer of key
//! hints from the keymap. Screens draw the title bar; the app draws the footer, from the
//! keymap and what works on the screen on top right now.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::tui::shared::Shared;
use crate::tui::theme::Theme;

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;

/// What the title bar shows for a screen.
pub struct Chrome<'a> {
    pub crumbs: &'a [&'a str],
    /// Right-aligned in the title bar (counts, scroll position).
    pub status: &'a str,
}

impl<'a> Chrome<'a> {
    pub fn new(crumbs: &'a [&'a str]) -> Self {
        Chrome { crumbs, status: "" }
    }

    pub fn status(mut self, status: &'a str) -> Self {
        self.status = status;
        self
    }
}

/// Draws the title bar and clears the footer row; returns the body area between them.
pub fn frame(area: Rect, buf: &mut Buffer, shared: &Shared, chrome: Chrome<'_>) -> Rect {
    let Chrome { crumbs, status } = chrome;
    let theme = &shared.theme;
    buf.set_style(area, theme.base);
    let [top, body, _footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut spans = vec![Span::styled(" sysdeck ", theme.title)];
    for c in crumbs {
        spans.push(Span::styled("› ", theme.muted));
        spans.push(Span::styled(format!("{c} "), theme.base));
    }
    Line::from(spans).render(top, buf);
    if !status.is_empty() {
        let w = status.width() as u16 + 1;
        if w < top.width {
            let r = Rect {
                x: top.x + top.width - w,
                width: w,
                ..top
            };
            Span::styled(status.to_string(), theme.muted).render(r, buf);
        }
    }
    body
}

/// The bottom row of a screen drawn by [`frame`].
pub fn footer_area(area: Rect) -> Rect {
    Rect {
        y: area.bottom().saturating_sub(1),
        height: area.height.min(1),
        ..area
    }
}

/// Draws key hints, as many as fit, in the footer row.
pub fn footer(area: Rect, buf: &mut Buffer, theme: &Theme, hints: Vec<(String, &'static str)>) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    for (key, what) in hints {
        let piece = key.width() + what.width() + 3;
        if used + piece > area.width as usize {
            break;
        }
        used += piece;
        spans.push(Span::styled(format!(" {key}"), theme.key_hint));
        spans.push(Span::styled(format!(" {what} "), theme.muted));
    }
    Line::from(spans).render(area, buf);
}

/// "demo: 2 errors · press ! for details" for the packs with problems, `None` when every pack
/// is clean.
pub fn problems_bar_text(shared: &Shared) -> Option<String> {
    let count = |n: usize, word: &str| match n {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    };
    let packs: Vec<String> = shared
        .library
        .reports
        .iter()
        .filter(|r| !r.diagnostics.is_empty())
        .map(|r| {
            let name = r.id.as_deref().unwrap_or(&r.label);
            match (r.errors(), r.warnings()) {
                (0, w) => format!("{name}: {}", count(w, "warning")),
                (e, 0) => format!("{name}: {}", count(e, "error")),
                (e, w) => format!("{name}: {}, {}", count(e, "error"), count(w, "warning")),
            }
        })
        .collect();
    if packs.is_empty() {
        return None;
    }
    let key = shared
        .keymap
        .key_for(crate::tui::keymap::Action::Diagnostics)
        .map(|k| format!(" · press {k} for details"))
        .unwrap_or_default();
    Some(format!("{}{key}", packs.join(" · ")))
}

/// Draws the problems bar over the last row of the body, just above the footer, in the
/// colour of the worst problem; draws nothing when every pack is clean.
pub fn problems_bar(area: Rect, buf: &mut Buffer, shared: &Shared) {
    let Some(text) = problems_bar_text(shared) else {
        return;
    };
    let theme = &shared.theme;
    let style = if shared.library.error_count() > 0 {
        theme.error
    } else {
        theme.warn
    };
    let row = Rect {
        y: area.bottom().saturating_sub(2),
        height: 1,
        ..area
    };
    ratatui::widgets::Clear.render(row, buf);
    buf.set_style(row, style);
    let text = crate::tui::widgets::truncate(&format!(" ⚠ {text}"), usize::from(row.width));
    Span::styled(text, style).render(row, buf);
}

/// What a terminal below the minimum size shows instead of a cramped screen.
pub fn too_small(area: Rect, buf: &mut Buffer, style: Style) {
    buf.set_style(area, style);
    let text = format!(
        "sysdeck needs a terminal of at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}.",
        area.width, area.height
    );
    let h = area.height.min(3);
    let y = area.y + area.height.saturating_sub(h) / 2;
    Paragraph::new(text)
        .style(style)
        .centered()
        .wrap(Wrap { trim: true })
        .render(
            Rect {
                y,
                height: h,
                ..area
            },
            buf,
        );
}

pub fn fits(area: Rect) -> bool {
    area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT
}

/// A centred rectangle of at most `w`×`h` inside `area`, for overlays.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A box over the screen at `rect`: cleared, bordered in the focus colour, titled. Returns its
/// inside. Dialogs, the contents list and the help draw in one.
pub fn overlay_box(rect: Rect, buf: &mut Buffer, title: &str, theme: &Theme) -> Rect {
    ratatui::widgets::Clear.render(rect, buf);
    let block = ratatui::widgets::Block::bordered()
        .title(Span::styled(title.to_string(), theme.title))
        .border_style(theme.border_focus)
        .style(theme.base);
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}
