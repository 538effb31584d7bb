//! The `?` overlay: every binding of the keymap, grouped by where it applies.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::tui::keymap::{Action, Keymap, Scope};
use crate::tui::theme::Theme;
use crate::tui::widgets::chrome::{centered, overlay_box};
use crate::tui::widgets::{fit_line, put_line};

pub struct HelpOverlay<'a> {
    pub keymap: &'a Keymap,
    pub theme: &'a Theme,
    pub scroll: usize,
}

fn scope_title(scope: Scope) -> &'static str {
    match scope {
        Scope::Global => "Everywhere",
        Scope::Home => "Home",
        Scope::List => "Lists",
        Scope::Note => "Note reader",
        Scope::Find => "Finder",
        Scope::Form => "Settings, custom study and the exam plan",
        Scope::Lab => "Labs",
        Scope::Cards => "Review",
        Scope::Quiz => "Quizzes",
        Scope::Topic => "Topic page",
        Scope::Browser => "Card browser",
        Scope::Plan => "Exam plan",
    }
}

/// The help text as lines, so the overlay can scroll and the snapshot can print it.
pub fn help_lines(keymap: &Keymap, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for scope in [
        Scope::Global,
        Scope::Home,
        Scope::List,
        Scope::Topic,
        Scope::Note,
        Scope::Find,
        Scope::Form,
        Scope::Cards,
        Scope::Browser,
        Scope::Plan,
        Scope::Quiz,
        Scope::Lab,
    ] {
        out.push(Line::styled(scope_title(scope), theme.heading(2)));
        for b in keymap.bindings().iter().filter(|b| b.scope == scope) {
            let keys = b
                .keys
                .iter()
                .map(std::string::ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            out.push(Line::from(vec![
                Span::styled(format!("  {keys:<16}"), theme.key_hint),
                Span::styled(b.description, theme.base),
            ]));
        }
        out.push(Line::raw(""));
    }
    out.push(Line::styled(
        "  ctrl-c          quit at once (cannot be rebound)",
        theme.muted,
    ));
    out.push(Line::styled(
        "  Keys can be changed in config.toml under [keys].",
        theme.muted,
    ));
    out
}

/// Rows of help the overlay shows at once in `area`: its lines, less the border, at most.
fn visible_rows(lines: usize, area: Rect) -> usize {
    usize::from(area.height.saturating_sub(2)).min(lines)
}

/// The scroll position after `action` from `scroll`, kept so the last line stays at the
/// bottom of the overlay; `None` when the action closes it.
pub fn scroll(
    keymap: &Keymap,
    theme: &Theme,
    area: Rect,
    scroll: usize,
    action: Action,
) -> Option<usize> {
    let lines = help_lines(keymap, theme).len();
    let page = visible_rows(lines, area).max(1);
    let max = lines - visible_rows(lines, area);
    let next = match action {
        Action::Quit | Action::Back | Action::Help => return None,
        Action::Down => scroll + 1,
        Action::Up => scroll.saturating_sub(1),
        Action::PageDown => scroll + page,
        Action::PageUp => scroll.saturating_sub(page),
        Action::HalfPageDown => scroll + page / 2,
        Action::HalfPageUp => scroll.saturating_sub(page / 2),
        Action::Top => 0,
        Action::Bottom => max,
        _ => scroll,
    };
    Some(next.min(max))
}

impl Widget for HelpOverlay<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let lines = help_lines(self.keymap, self.theme);
        let h = (lines.len() as u16 + 2).min(area.height);
        // As wide as the longest line where the terminal allows; lines cut end in "…".
        let longest = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 2;
        let rect = centered(area, longest.max(64).min(area.width.saturating_sub(2)), h);
        let inner = overlay_box(rect, buf, " Keys — esc closes ", self.theme);
        for (row, line) in lines.iter().skip(self.scroll).enumerate() {
            let y = inner.y + row as u16;
            if y >= inner.bottom() {
                break;
            }
            put_line(buf, inner, y, &fit_line(line, usize::from(inner.width)));
        }
    }
}
