//! The diagnostics of packs with problems, as `pack check` would print them, scrollable.

use crate::tui::screens::Screen;
use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::content::Severity;
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input};
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::put_line;

pub const SCOPES: &[Scope] = &[];

pub struct DiagnosticsScreen {
    shared: Rc<Shared>,
    /// Rendered text with each line's severity (for colour), built once per reload.
    lines: Vec<(String, Option<Severity>)>,
    scroll: usize,
}

fn render_reports(shared: &Shared) -> Vec<(String, Option<Severity>)> {
    let mut out = Vec::new();
    for r in shared
        .library
        .reports
        .iter()
        .filter(|r| !r.diagnostics.is_empty())
    {
        out.push((
            format!(
                "{}: {} error(s), {} warning(s)",
                r.label,
                r.errors(),
                r.warnings()
            ),
            None,
        ));
        out.push((String::new(), None));
        for d in &r.diagnostics {
            for (i, line) in d.render(&r.sources).lines().enumerate() {
                out.push((line.to_string(), (i == 0).then_some(d.severity)));
            }
        }
    }
    if out.is_empty() {
        out.push(("Every loaded pack is fine.".to_string(), None));
    }
    out
}

impl DiagnosticsScreen {
    pub fn new(shared: Rc<Shared>) -> Self {
        let lines = render_reports(&shared);
        DiagnosticsScreen {
            shared,
            lines,
            scroll: 0,
        }
    }

    fn max_scroll(&self) -> usize {
        self.lines.len().saturating_sub(self.shared.body_height())
    }
}

impl Screen for DiagnosticsScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        let page = self.shared.body_height().max(1);
        let max = self.max_scroll();
        self.scroll = match input {
            Input::Action(Action::Up) | Input::ScrollUp => self.scroll.saturating_sub(1),
            Input::Action(Action::Down) | Input::ScrollDown => (self.scroll + 1).min(max),
            Input::Action(Action::PageUp) => self.scroll.saturating_sub(page),
            Input::Action(Action::PageDown) => (self.scroll + page).min(max),
            Input::Action(Action::HalfPageUp) => self.scroll.saturating_sub(page / 2),
            Input::Action(Action::HalfPageDown) => (self.scroll + page / 2).min(max),
            Input::Action(Action::Top) => 0,
            Input::Action(Action::Bottom) => max,
            _ => return Effect::Ignored,
        };
        Effect::Redraw
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.lines = render_reports(&shared);
        self.shared = shared;
        self.scroll = self.scroll.min(self.max_scroll());
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let body = frame(area, buf, shared, Chrome::new(&["pack problems"]));
        for (row, (text, sev)) in self.lines.iter().skip(self.scroll).enumerate() {
            let y = body.y + row as u16;
            if y >= body.bottom() {
                break;
            }
            let style = match sev {
                Some(Severity::Error) => theme.error,
                Some(Severity::Warning) => theme.warn,
                None => theme.base,
            };
            put_line(buf, body, y, &Line::styled(text.clone(), style));
        }
    }
}
