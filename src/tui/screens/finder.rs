//! The fuzzy finder: one query over every note, heading, paragraph, card and question.

use crate::tui::screens::Screen;
use std::rc::Rc;
use std::time::Duration;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};
use unicode_width::UnicodeWidthStr;

use crate::search::{Kind, Results, Target};
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input, Nav};
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{highlighted, put_line, row_style, truncate, visible_rows};

pub const SCOPES: &[Scope] = &[Scope::Find];
/// Results kept per query; more than a screen's worth so paging has something to show.
const LIMIT: usize = 200;
/// How often the screen looks for an answer while a search is under way.
const POLL: Duration = Duration::from_millis(4);
/// Longest wait for the answer when a result is opened before the list caught up.
const OPEN_WAIT: Duration = Duration::from_secs(2);

pub struct FinderScreen {
    shared: Rc<Shared>,
    query: String,
    /// The query last sent to the searcher.
    requested: Option<String>,
    /// What the list shows: the answer to `results.query`, behind `query` while a search is
    /// under way.
    results: Option<Results>,
    cursor: Cursor,
}

impl FinderScreen {
    pub fn new(shared: Rc<Shared>) -> Self {
        let mut s = FinderScreen {
            shared,
            query: String::new(),
            requested: None,
            results: None,
            cursor: Cursor::default(),
        };
        s.settle();
        s
    }

    fn show(&mut self, results: Results) {
        self.results = Some(results);
        self.cursor = Cursor::default();
    }

    /// Whether the list answers the query as typed.
    fn current(&self) -> bool {
        self.results.as_ref().is_some_and(|r| r.query == self.query)
    }

    /// Brings the list up to the query as typed before a result is acted on, waiting a
    /// moment for the search under way.
    fn catch_up(&mut self) {
        if !self.current()
            && let Some(results) = self.shared.search.wait(OPEN_WAIT)
        {
            self.show(results);
        }
    }

    /// The hits the list shows.
    fn hits(&self) -> &[crate::search::Found] {
        self.results.as_ref().map_or(&[][..], |r| &r.found[..])
    }
}

impl FinderScreen {
    /// Studies the topic of the selected result now: a note's own, or the note a card or
    /// question belongs to.
    fn study(&mut self) -> Effect {
        self.catch_up();
        let Some(hit) = self.hits().get(self.cursor.selected) else {
            return Effect::None;
        };
        let topic = hit.entry.target.topic(&self.shared.library);
        match topic {
            Some((pack, note)) => Effect::Replace(Nav::study(&pack, &note)),
            None => Effect::Toast("This result belongs to no topic.".into()),
        }
    }
}

/// Where a result leads: notes open in the reader, cards in their preview, and questions
/// are asked (the app opens them as a practice of one).
fn open(target: &Target) -> Nav {
    match target {
        Target::Note { pack, id, anchor } => Nav::Note {
            pack: pack.clone(),
            id: id.clone(),
            anchor: anchor.clone(),
        },
        other => Nav::Item(other.clone()),
    }
}

impl Screen for FinderScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    /// The query field always has the keys.
    fn typing(&self) -> bool {
        true
    }

    fn handle(&mut self, input: Input) -> Effect {
        let len = self.hits().len();
        let page = self.shared.body_height().saturating_sub(4).max(1) as isize;
        match input {
            Input::Char(c) => self.query.push(c),
            Input::Backspace => {
                if self.query.pop().is_none() {
                    return Effect::None;
                }
            }
            Input::Action(Action::Up) | Input::ScrollUp => self.cursor.step(-1, len),
            Input::Action(Action::Down) | Input::ScrollDown => self.cursor.step(1, len),
            Input::Action(Action::PageUp) => self.cursor.step(-page, len),
            Input::Action(Action::PageDown) => self.cursor.step(page, len),
            Input::Action(Action::Open) => {
                self.catch_up();
                return match self.hits().get(self.cursor.selected) {
                    Some(hit) => Effect::Replace(open(&hit.entry.target)),
                    None => Effect::None,
                };
            }
            Input::Action(Action::Review) => return self.study(),
            Input::Tick => {
                return if self.settle() {
                    Effect::Redraw
                } else {
                    Effect::None
                };
            }
            _ => return Effect::Ignored,
        }
        self.cursor
            .settle(self.shared.body_height().saturating_sub(4));
        Effect::Redraw
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
        self.requested = None;
        self.settle();
    }

    /// Sends the query to the searcher if it changed, and takes its answer if one is ready.
    /// The app calls this when no key is waiting, so a burst of typing costs one search, and
    /// the typed text always shows at once; true when the list changed.
    fn settle(&mut self) -> bool {
        if self.requested.as_deref() != Some(self.query.as_str()) {
            self.shared.search.request(&self.query, LIMIT);
            self.requested = Some(self.query.clone());
        }
        match self.shared.search.poll() {
            Some(results) => {
                self.show(results);
                true
            }
            None => false,
        }
    }

    /// Ticks only while a search is under way, to show its answer as soon as it comes.
    fn tick_interval(&self) -> Option<Duration> {
        (!self.current()).then_some(POLL)
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let status = match &self.results {
            Some(r) if self.current() => format!("{} of {} ", r.found.len(), r.total),
            _ => "searching… ".to_string(),
        };
        let hits = self.hits();
        let body = frame(area, buf, shared, Chrome::new(&["find"]).status(&status));
        let [input, results] =
            Layout::vertical([Constraint::Length(3), Constraint::Min(0)]).areas(body);
        let block = Block::bordered()
            .title(Span::styled(
                " Find notes, headings, text, cards, questions ",
                theme.title,
            ))
            .border_style(theme.border_focus);
        let inner = block.inner(input);
        block.render(input, buf);
        let shown = truncate(&self.query, usize::from(inner.width).saturating_sub(3));
        let prompt = Line::from(vec![
            Span::styled("› ", theme.accent),
            Span::styled(shown, theme.base),
            Span::styled("▏", theme.accent),
        ]);
        put_line(buf, inner, inner.y, &prompt);
        if self.query.is_empty() {
            let hint = Line::styled("type to search · enter opens · esc goes back", theme.muted);
            let x = inner.x + 3;
            if inner.width > 3 {
                buf.set_line(x, inner.y, &hint, inner.width - 3);
            }
        }

        let block = Block::bordered().border_style(theme.border);
        let inner = block.inner(results);
        block.render(results, buf);
        if hits.is_empty() {
            if !self.current() {
                return;
            }
            put_line(
                buf,
                inner,
                inner.y,
                &Line::styled(" No matches.", theme.muted),
            );
            return;
        }
        let w = usize::from(inner.width);
        for (i, y) in visible_rows(inner, &self.cursor, hits.len(), 1) {
            let hit = &hits[i];
            let entry = &hit.entry;
            let sel = i == self.cursor.selected;
            let style = row_style(buf, inner, y, 1, sel, theme);
            let kind_style = match entry.kind {
                Kind::Note | Kind::Heading => theme.accent,
                Kind::Card => theme.ok,
                Kind::Question => theme.warn,
                Kind::Text => theme.muted,
            };
            let label = format!(" {:<8} ", entry.kind.label());
            let context = format!("  {} · {}", entry.context, entry.pack);
            let text_w = w
                .saturating_sub(label.len() + 2)
                .saturating_sub(context.width().min(w / 3));
            let text = truncate(&entry.text, text_w);
            let mut line = highlighted(&text, &hit.positions, style, theme.fuzzy_match);
            line.spans.insert(
                0,
                Span::styled(
                    label,
                    kind_style.patch(if sel {
                        theme.selection
                    } else {
                        Default::default()
                    }),
                ),
            );
            line.spans
                .insert(0, Span::styled(if sel { "▸" } else { " " }, theme.accent));
            line.spans
                .push(Span::styled(truncate(&context, w / 3), theme.muted));
            put_line(buf, inner, y, &line);
        }
    }
}
