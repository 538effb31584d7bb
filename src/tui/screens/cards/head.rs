//! The lines above the browser's table: the scope with its counts and the filters; and what
//! an empty list means.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::CardsScreen;
use crate::srs::Filter;
use crate::tui::keymap::Action;
use crate::tui::widgets::{put_line, truncate, wrap_line};

impl CardsScreen {
    /// "Caching · 42 cards · 3 due · 1 leech · 2 suspended": missed questions, leeches,
    /// suspended and buried cards only when there are some. Cut to `width`.
    pub(super) fn summary(&self, width: usize) -> Line<'static> {
        let theme = &self.shared.theme;
        let mut parts = vec![
            crate::words::count(self.count(Filter::All), "card"),
            format!("{} due", self.count(Filter::Due)),
        ];
        let leeches = self.count(Filter::Leeches);
        for (n, text) in [
            (self.count(Filter::Missed), "missed".to_string()),
            (
                leeches,
                format!("leech{}", if leeches == 1 { "" } else { "es" }),
            ),
            (self.count(Filter::Suspended), "suspended".to_string()),
            (self.count(Filter::Buried), "buried".to_string()),
        ] {
            if n > 0 {
                parts.push(format!("{n} {text}"));
            }
        }
        let line = Line::from(vec![
            Span::styled(format!(" {}", truncate(&self.title, 40)), theme.strong),
            Span::styled(format!(" · {}", parts.join(" · ")), theme.base),
        ]);
        crate::tui::widgets::fit_line(&line, width)
    }

    /// The filters, the one shown in brackets (visible without colour too).
    pub(super) fn filters(&self) -> Line<'static> {
        let theme = &self.shared.theme;
        let mut spans = vec![Span::styled(" Filter:", theme.muted)];
        for f in Filter::ALL {
            spans.push(Span::raw(" "));
            if f == self.filter {
                spans.push(Span::styled(format!("[{}]", f.label()), theme.selection));
            } else {
                spans.push(Span::styled(format!(" {} ", f.label()), theme.muted));
            }
        }
        Line::from(spans)
    }

    /// What an empty list means and how a card gets into it.
    pub(super) fn empty_message(&self) -> String {
        let key = |a: Action| self.shared.keymap.key_text(a);
        match self.filter {
            Filter::All => format!("No cards in {}.", self.title),
            Filter::Due => "Nothing is due today: every card here is scheduled for later, new, \
                            or held."
                .into(),
            Filter::Missed => "No missed questions: a question missed in an exam or a practice \
                               round is listed here once its results send it to review."
                .into(),
            Filter::Leeches => format!(
                "No leeches: a card becomes one after {} lapses (setting leech_threshold).",
                self.leech_threshold
            ),
            Filter::Suspended => format!(
                "Nothing suspended: {} on a card suspends it until {} unsuspends it.",
                key(Action::Suspend),
                key(Action::Unsuspend)
            ),
            Filter::Buried => format!(
                "Nothing buried: {} on a card keeps it out of today's queue until tomorrow.",
                key(Action::Bury)
            ),
        }
    }

    /// A message in place of the table, wrapped to the width.
    pub(super) fn say(&self, area: Rect, buf: &mut Buffer, line: &Line<'_>) {
        let inner = Rect {
            x: area.x + 1,
            width: area.width.saturating_sub(2),
            ..area
        };
        for (i, l) in wrap_line(line, usize::from(inner.width)).iter().enumerate() {
            put_line(buf, inner, inner.y + 1 + i as u16, l);
        }
    }
}
