//! Library: packs on the left, the selected pack's topics on the right, with their summary,
//! domain and tags.

use crate::tui::screens::Screen;
use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::content::Pack;
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input, Nav};
use crate::tui::screens::dashboard::panel;
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{fit_line, marker, put_line, row_style, truncate, visible_rows};

pub const SCOPES: &[Scope] = &[Scope::List];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    Packs,
    Topics,
}

pub struct LibraryScreen {
    shared: Rc<Shared>,
    packs: Cursor,
    topics: Cursor,
    focus: Focus,
}

impl LibraryScreen {
    pub fn new(shared: Rc<Shared>, pack: Option<&str>) -> Self {
        let mut packs = Cursor::default();
        let mut focus = Focus::Packs;
        if let Some(i) = pack.and_then(|id| shared.library.packs.iter().position(|p| p.id() == id))
        {
            packs.selected = i;
            focus = Focus::Topics;
        }
        LibraryScreen {
            shared,
            packs,
            topics: Cursor::default(),
            focus,
        }
    }

    fn pack(&self) -> Option<&Pack> {
        self.shared.library.packs.get(self.packs.selected)
    }
}

impl LibraryScreen {
    /// A review of the selected pack, or of the selected topic when the topics have focus.
    fn review(&self) -> Effect {
        let Some(pack) = self.pack() else {
            return Effect::None;
        };
        let topic = match self.focus {
            Focus::Packs => None,
            Focus::Topics => pack
                .reading_order()
                .get(self.topics.selected)
                .map(|n| n.id.to_string()),
        };
        Effect::Go(Nav::Review(
            crate::srs::Scope {
                pack: Some(pack.id().to_string()),
                topic,
                tag: None,
            }
            .into(),
        ))
    }
}

impl Screen for LibraryScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        let Input::Action(action) = input else {
            return Effect::Ignored;
        };
        let npacks = self.shared.library.packs.len();
        let ntopics = self.pack().map_or(0, |p| p.notes.len());
        let page = self.shared.body_height().saturating_sub(2).max(1) as isize;
        let (cursor, len) = match self.focus {
            Focus::Packs => (&mut self.packs, npacks),
            Focus::Topics => (&mut self.topics, ntopics),
        };
        match action {
            Action::Up => cursor.step(-1, len),
            Action::Down => cursor.step(1, len),
            Action::PageUp | Action::HalfPageUp => cursor.step(-page, len),
            Action::PageDown | Action::HalfPageDown => cursor.step(page, len),
            Action::Top => cursor.first(),
            Action::Bottom => cursor.last(len),
            Action::Right if self.focus == Focus::Packs => self.focus = Focus::Topics,
            Action::Left if self.focus == Focus::Topics => self.focus = Focus::Packs,
            Action::Open if self.focus == Focus::Packs => self.focus = Focus::Topics,
            Action::Open => {
                let Some(pack) = self.pack() else {
                    return Effect::None;
                };
                return match pack.reading_order().get(self.topics.selected) {
                    Some(n) => Effect::Go(Nav::Topic {
                        pack: pack.id().to_string(),
                        id: n.id.to_string(),
                    }),
                    None => Effect::None,
                };
            }
            Action::Back if self.focus == Focus::Topics => self.focus = Focus::Packs,
            Action::Review => return self.review(),
            _ => return Effect::Ignored,
        }
        if self.focus == Focus::Packs
            && matches!(
                action,
                Action::Up | Action::Down | Action::Top | Action::Bottom
            )
        {
            self.topics = Cursor::default();
        }
        let height = self.shared.body_height().saturating_sub(2);
        self.packs.settle(height);
        self.topics.settle(height);
        Effect::Redraw
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
        self.packs.step(0, self.shared.library.packs.len());
        let n = self.pack().map_or(0, |p| p.notes.len());
        self.topics.step(0, n);
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let crumb = self.pack().map(|p| p.manifest.name.as_str()).unwrap_or("");
        let body = frame(area, buf, shared, Chrome::new(&["library", crumb]));
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(30), Constraint::Percentage(70)])
                .areas(body);

        let inner = panel(left, buf, theme, "Packs", self.focus == Focus::Packs);
        let packs = &shared.library.packs;
        for (i, y) in visible_rows(inner, &self.packs, packs.len(), 1) {
            let sel = i == self.packs.selected;
            let style = row_style(buf, inner, y, 1, sel, theme);
            let name = truncate(
                &packs[i].manifest.name,
                usize::from(inner.width).saturating_sub(2),
            );
            let line = Line::from(vec![
                Span::styled(marker(sel), theme.accent),
                Span::styled(name, style),
            ]);
            put_line(buf, inner, y, &line);
        }

        let Some(pack) = self.pack() else {
            panel(right, buf, theme, "Topics", self.focus == Focus::Topics);
            return;
        };
        let [about, right] =
            Layout::vertical([Constraint::Length(5), Constraint::Min(0)]).areas(right);
        render_about(pack, about, buf, shared);
        let inner = panel(right, buf, theme, "Topics", self.focus == Focus::Topics);
        let list = pack.reading_order();
        // Each topic takes two rows: title with domain and tags, then its summary.
        for (i, y) in visible_rows(inner, &self.topics, list.len(), 2) {
            let note = list[i];
            let sel = i == self.topics.selected && self.focus == Focus::Topics;
            let style = row_style(buf, inner, y, 2, sel, theme);
            let domain = note
                .domain
                .as_deref()
                .and_then(|d| pack.domain(d))
                .map(|d| d.name.as_str())
                .unwrap_or("");
            let tags = if note.tags.is_empty() {
                String::new()
            } else {
                format!(" #{}", note.tags.join(" #"))
            };
            let w = usize::from(inner.width);
            let title = Line::from(vec![
                Span::styled(marker(sel), theme.accent),
                Span::styled(
                    truncate(&note.title, w.saturating_sub(2)),
                    style.patch(theme.strong),
                ),
                Span::styled(format!("  {domain}"), theme.info),
                Span::styled(tags, theme.muted),
            ]);
            put_line(buf, inner, y, &fit_line(&title, w));
            let summary = Line::styled(
                format!("  {}", truncate(&note.summary, w.saturating_sub(3))),
                theme.muted,
            );
            put_line(buf, inner, y + 1, &summary);
        }
    }
}

/// What a pack is: version, license, authors and requirements on one line, then its
/// description in as many lines as fit.
fn render_about(pack: &Pack, area: Rect, buf: &mut Buffer, shared: &Shared) {
    let theme = &shared.theme;
    let inner = panel(area, buf, theme, "About", false);
    let m = &pack.manifest;
    let mut facts = vec![format!("version {}", m.version)];
    if !m.license.is_empty() {
        facts.push(m.license.clone());
    }
    if !m.authors.is_empty() {
        facts.push(format!("by {}", m.authors.join(", ")));
    }
    if !m.requires.is_empty() {
        let needs: Vec<String> = m.requires.iter().map(ToString::to_string).collect();
        facts.push(format!("needs {}", needs.join(", ")));
    }
    let w = usize::from(inner.width);
    put_line(
        buf,
        inner,
        inner.y,
        &Line::styled(truncate(&facts.join(" · "), w), theme.info),
    );
    let rest = Rect {
        y: inner.y.saturating_add(1),
        height: inner.height.saturating_sub(1),
        ..inner
    };
    Paragraph::new(m.description.as_str())
        .style(theme.muted)
        .wrap(Wrap { trim: true })
        .render(rest, buf);
}
