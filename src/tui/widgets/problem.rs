//! The error panel: what failed and why, cause by cause, over the screen until closed.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use crate::tui::nav::Problem;
use crate::tui::theme::Theme;
use crate::tui::widgets::chrome::centered;

pub struct ProblemPanel<'a> {
    pub problem: &'a Problem,
    pub theme: &'a Theme,
}

impl Widget for ProblemPanel<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let mut lines = vec![
            Line::styled(self.problem.summary.clone(), theme.error),
            Line::raw(""),
        ];
        for (i, cause) in self.problem.causes.iter().enumerate() {
            let lead = if i == 0 {
                "because "
            } else {
                "  which is because "
            };
            lines.push(Line::from(vec![
                Span::styled(lead, theme.muted),
                Span::styled(cause.clone(), theme.base),
            ]));
        }
        let width = area.width.saturating_sub(4).min(76);
        let inner_w = usize::from(width.saturating_sub(2)).max(1);
        let rows: usize = lines
            .iter()
            .map(|l| l.width().div_ceil(inner_w).max(1))
            .sum();
        let rect = centered(area, width, (rows as u16).saturating_add(2));
        Clear.render(rect, buf);
        let block = Block::bordered()
            .title(Span::styled(
                " Something went wrong — esc closes ",
                theme.title,
            ))
            .border_style(theme.error)
            .style(theme.base);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block)
            .render(rect, buf);
    }
}
