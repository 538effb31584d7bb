//! Home: the packs with their size and progress, what to do next, and notices about problems.

use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input, Nav};
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{put_line, truncate};

pub struct HomeScreen {
    shared: Rc<Shared>,
    cursor: Cursor,
}

pub const SCOPES: &[Scope] = &[Scope::Home, Scope::List];

impl HomeScreen {
    pub fn new(shared: Rc<Shared>) -> Self {
        HomeScreen {
            shared,
            cursor: Cursor::default(),
        }
    }

    pub fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
        let len = self.shared.library.packs.len();
        self.cursor.step(0, len);
    }

    pub fn handle(&mut self, input: Input) -> Effect {
        let packs = &self.shared.library.packs;
        let Input::Action(action) = input else {
            return Effect::Ignored;
        };
        match action {
            Action::Up => self.cursor.step(-1, packs.len()),
            Action::Down => self.cursor.step(1, packs.len()),
            Action::Top => self.cursor.first(),
            Action::Bottom => self.cursor.last(packs.len()),
            Action::Open => {
                return match packs.get(self.cursor.selected) {
                    Some(p) => Effect::Go(Nav::Library {
                        pack: Some(p.id().to_string()),
                    }),
                    None => Effect::None,
                };
            }
            Action::Diagnostics if self.shared.library.broken().next().is_some() => {
                return Effect::Go(Nav::Diagnostics);
            }
            _ => return Effect::Ignored,
        }
        Effect::Redraw
    }
}

impl Widget for &HomeScreen {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let body = frame(area, buf, shared, Chrome::new(&["home"], SCOPES));
        let notices = notices(shared);
        let [packs_area, start_area, notice_area] = Layout::vertical([
            Constraint::Min(4),
            Constraint::Length(6),
            Constraint::Length(notices.len().min(3) as u16),
        ])
        .areas(body);

        let block = Block::bordered()
            .title(Span::styled(" Packs ", theme.title))
            .border_style(theme.border_focus);
        let inner = block.inner(packs_area);
        block.render(packs_area, buf);
        let packs = &shared.library.packs;
        if packs.is_empty() {
            put_line(
                buf,
                inner,
                inner.y,
                &Line::styled(
                    "No packs loaded. Create one with `sysdeck pack new NAME`.",
                    theme.muted,
                ),
            );
        }
        let offset = self.cursor.scrolled(usize::from(inner.height));
        for (row, (i, pack)) in packs.iter().enumerate().skip(offset).enumerate() {
            let y = inner.y + row as u16;
            if y >= inner.y + inner.height {
                break;
            }
            let selected = i == self.cursor.selected;
            let style = if selected {
                theme.selection
            } else {
                theme.base
            };
            let counts = format!(
                "{:>3} topics  {:>4} cards  {:>4} questions",
                pack.notes.len(),
                pack.cards.len(),
                pack.questions.len()
            );
            let name_w = usize::from(inner.width).saturating_sub(counts.len() + 4);
            let exam = if pack.manifest.exam.is_some() {
                " exam"
            } else {
                ""
            };
            let line = Line::from(vec![
                Span::styled(if selected { "▸ " } else { "  " }, theme.accent),
                Span::styled(
                    format!("{:<name_w$}", truncate(&pack.manifest.name, name_w)),
                    style,
                ),
                Span::styled(counts, theme.muted),
                Span::styled(exam, theme.info),
            ]);
            buf.set_style(
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
                style,
            );
            put_line(buf, inner, y, &line);
        }

        let block = Block::bordered()
            .title(Span::styled(" Start ", theme.title))
            .border_style(theme.border);
        let inner = block.inner(start_area);
        block.render(start_area, buf);
        let actions = [
            (Action::Open, "open the selected pack's topics"),
            (Action::Finder, "find any note, card or question"),
            (Action::Library, "browse every pack"),
        ];
        for (row, (action, what)) in actions.iter().enumerate() {
            let key = shared
                .keymap
                .key_for(*action)
                .map(|k| k.to_string())
                .unwrap_or_default();
            let line = Line::from(vec![
                Span::styled(format!("{key:>7}  "), theme.key_hint),
                Span::styled(*what, theme.base),
            ]);
            put_line(buf, inner, inner.y + row as u16, &line);
        }

        for (row, n) in notices.iter().take(3).enumerate() {
            put_line(buf, notice_area, notice_area.y + row as u16, n);
        }
    }
}

/// Warnings worth a line on home: packs with errors and config problems.
fn notices(shared: &Shared) -> Vec<Line<'static>> {
    let theme = &shared.theme;
    let mut out = Vec::new();
    let broken: Vec<&str> = shared.library.broken().map(|r| r.label.as_str()).collect();
    if !broken.is_empty() {
        let key = shared
            .keymap
            .key_for(Action::Diagnostics)
            .map(|k| k.to_string())
            .unwrap_or_default();
        out.push(Line::from(vec![
            Span::styled(" ⚠ ", theme.warn),
            Span::styled(
                format!(
                    "{} with problems: {}. ",
                    plural(broken.len(), "pack"),
                    broken.join(", ")
                ),
                theme.warn,
            ),
            Span::styled(format!("Press {key} for details."), theme.muted),
        ]));
    }
    for n in &shared.notices {
        out.push(Line::from(vec![
            Span::styled(" ⚠ ", theme.warn),
            Span::styled(n.clone(), theme.warn),
        ]));
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
