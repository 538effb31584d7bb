//! Study settings in the app: each row turned up or down in place and saved at once, with a
//! line saying what the selected one does. The same settings as `sysdeck settings`.

use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::srs::{Knob, Settings, format_steps};
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input, Problem};
use crate::tui::screens::Screen;
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{marker, put_line, row_style, text_column, truncate, visible_rows};

pub const SCOPES: &[Scope] = &[Scope::Form];

/// A row: a setting changed here, or learning steps, which are typed on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Knob(Knob),
    Steps { relearning: bool },
}

const ROWS: [Row; 10] = [
    Row::Knob(Knob::NewPerDay),
    Row::Knob(Knob::NewOrder),
    Row::Knob(Knob::ReviewsPerDay),
    Row::Knob(Knob::DayStart),
    Row::Knob(Knob::Retention),
    Row::Knob(Knob::MaxInterval),
    Row::Knob(Knob::LearnAhead),
    Row::Knob(Knob::Fuzz),
    Row::Steps { relearning: false },
    Row::Steps { relearning: true },
];

impl Row {
    fn label(self) -> &'static str {
        match self {
            Row::Knob(k) => k.label(),
            Row::Steps { relearning: false } => "Learning steps",
            Row::Steps { relearning: true } => "Relearning steps",
        }
    }

    fn value(self, s: &Settings) -> String {
        match self {
            Row::Knob(k) => k.value(s),
            Row::Steps { relearning: false } => format_steps(&s.learning_steps),
            Row::Steps { relearning: true } => format_steps(&s.relearning_steps),
        }
    }

    fn help(self) -> &'static str {
        match self {
            Row::Knob(k) => k.help(),
            Row::Steps { relearning: false } => {
                "The waits a new card steps through before days. Change them with `sysdeck settings --learning-steps 1m,10m`."
            }
            Row::Steps { relearning: true } => {
                "The waits a forgotten card steps through. Change them with `sysdeck settings --relearning-steps 10m`."
            }
        }
    }
}

/// What the last change did, shown under the help line.
enum Status {
    Saved(usize),
    /// The settings could not be read; the defaults are shown and nothing can be saved.
    Unreadable(String),
}

pub struct SettingsScreen {
    shared: Rc<Shared>,
    settings: Settings,
    cursor: Cursor,
    status: Option<Status>,
}

impl SettingsScreen {
    pub fn new(shared: Rc<Shared>) -> Self {
        let (settings, status) = match shared.progress.settings() {
            Ok(s) => (s, None),
            Err(e) => (Settings::default(), Some(Status::Unreadable(e.to_string()))),
        };
        SettingsScreen {
            shared,
            settings,
            cursor: Cursor::default(),
            status,
        }
    }

    fn selected(&self) -> Row {
        ROWS[self.cursor.selected.min(ROWS.len() - 1)]
    }

    /// Turns the selected setting and saves it; every card's schedule is replayed with it.
    fn turn(&mut self, up: bool) -> Effect {
        let Row::Knob(knob) = self.selected() else {
            return Effect::Toast(self.selected().help().into());
        };
        if matches!(self.status, Some(Status::Unreadable(_))) {
            return Effect::None;
        }
        let next = knob.turn(&self.settings, up);
        if next == self.settings {
            return Effect::None;
        }
        match self.shared.progress.save_settings(&next) {
            Ok(replayed) => {
                self.settings = next;
                self.status = Some(Status::Saved(replayed));
                Effect::Redraw
            }
            Err(e) => Effect::Error(Problem::new(
                format!("{} was not changed", knob.label()),
                &e,
            )),
        }
    }
}

impl Screen for SettingsScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        match input {
            Input::Action(Action::Up) | Input::ScrollUp => self.cursor.step(-1, ROWS.len()),
            Input::Action(Action::Down) | Input::ScrollDown => self.cursor.step(1, ROWS.len()),
            Input::Action(Action::Top) => self.cursor.first(),
            Input::Action(Action::Bottom) => self.cursor.last(ROWS.len()),
            Input::Action(Action::Left) => return self.turn(false),
            Input::Action(Action::Right | Action::Open) => return self.turn(true),
            _ => return Effect::Ignored,
        }
        Effect::Redraw
    }

    fn enabled(&self, action: Action) -> bool {
        match action {
            Action::Left | Action::Right => {
                matches!(self.selected(), Row::Knob(_))
                    && !matches!(self.status, Some(Status::Unreadable(_)))
            }
            _ => true,
        }
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let body = frame(area, buf, shared, Chrome::new(&["settings"]));
        let column = text_column(body, 90);
        let [list, _, help, status] = Layout::vertical([
            Constraint::Max(ROWS.len() as u16),
            Constraint::Length(1),
            Constraint::Length(3),
            Constraint::Length(1),
        ])
        .areas(column);
        let label_w = ROWS.iter().map(|r| r.label().len()).max().unwrap_or(0) + 4;
        for (i, y) in visible_rows(list, &self.cursor, ROWS.len(), 1) {
            let row = ROWS[i];
            let selected = i == self.cursor.selected;
            let style = row_style(buf, list, y, 1, selected, theme);
            let value = row.value(&self.settings);
            let value_style = match row {
                Row::Knob(_) => style.patch(theme.accent),
                Row::Steps { .. } => style.patch(theme.muted),
            };
            let label = format!("{}{:<w$}", marker(selected), row.label(), w = label_w);
            let room = usize::from(list.width).saturating_sub(label.len());
            put_line(
                buf,
                list,
                y,
                &Line::from(vec![
                    Span::styled(label, style),
                    Span::styled(truncate(&value, room), value_style),
                ]),
            );
        }
        Paragraph::new(Line::styled(self.selected().help(), theme.muted))
            .wrap(Wrap { trim: true })
            .render(help, buf);
        let line = match &self.status {
            None => Line::styled("Changes are saved at once.", theme.muted),
            Some(Status::Saved(n)) => Line::styled(
                format!(
                    "Saved; {} replayed with the new settings.",
                    crate::words::count(*n, "card schedule")
                ),
                theme.ok,
            ),
            Some(Status::Unreadable(e)) => Line::styled(
                truncate(
                    &format!("The settings could not be read, so they cannot be changed here: {e}"),
                    usize::from(status.width),
                ),
                theme.error,
            ),
        };
        put_line(buf, status, status.y, &line);
    }
}
