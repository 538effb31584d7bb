//! Custom study of a pack or topic, as Anki offers it: review ahead, extra new cards today, or
//! a cram that leaves the schedule alone. Each choice shows what it would hold, counted by the
//! library as the numbers are turned, and enter starts it; an empty choice says why instead.

use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::srs::Scope as Cards;
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input, Nav, Problem, Study, StudyKind};
use crate::tui::screens::Screen;
use crate::tui::screens::review::{explain, scope_label};
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{fit_line, marker, put_line, row_style, text_column, wrap_line};
use crate::words::count;

pub const SCOPES: &[Scope] = &[Scope::Form, Scope::List];

/// How far ahead a review may reach, in learning days, and where it starts.
const DAYS: (u32, u32) = (1, 30);
/// Extra new cards: the fewest, the most, and the step between.
const EXTRA: (u32, u32, u32) = (5, 100, 5);
const EXTRA_START: u32 = 10;

/// The three kinds of custom study, in the order they are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Ahead,
    ExtraNew,
    Cram,
}

const CHOICES: [Choice; 3] = [Choice::Ahead, Choice::ExtraNew, Choice::Cram];

impl Choice {
    fn explanation(self) -> &'static str {
        match self {
            Choice::Ahead => "Answer reviews before they are due; each is rescheduled from today.",
            Choice::ExtraNew => "More new cards than the daily limit, today only; saved as usual.",
            Choice::Cram => "For the night before an exam: nothing you grade here is saved.",
        }
    }

    /// Whether the choice has a number turned with the form keys.
    fn turns(self) -> bool {
        self != Choice::Cram
    }
}

/// What each choice would hold, as the library counts it.
#[derive(Debug, Clone, Default)]
struct Counts {
    /// Review cards due in the next `days` days.
    ahead: usize,
    /// Every card of the scope a cram goes through.
    cram: usize,
    /// Cards of the pack never studied.
    new_left: usize,
    /// The daily new-card limit, and what custom study already added to it today.
    new_per_day: u32,
    extra_today: u32,
}

/// A line under the choices: why a choice cannot start, or what was just saved.
struct Status {
    text: String,
    error: bool,
}

pub struct CustomStudyScreen {
    shared: Rc<Shared>,
    scope: Cards,
    /// The scope in words.
    label: String,
    /// The pack whose new-card limit extra new cards raise, with its name.
    pack: Option<(String, String)>,
    cursor: Cursor,
    days: u32,
    extra: u32,
    counts: Result<Counts, String>,
    status: Option<Status>,
}

impl CustomStudyScreen {
    pub fn new(shared: Rc<Shared>, scope: Cards) -> Self {
        let catalog = shared.catalog();
        let label = scope_label(catalog, &scope);
        let pack = pack_of(&scope).map(|id| {
            let name = crate::safe_text::escape(catalog.name(&id)).into_owned();
            (id, name)
        });
        let mut screen = CustomStudyScreen {
            shared,
            scope,
            label,
            pack,
            cursor: Cursor::default(),
            days: DAYS.0,
            extra: EXTRA_START,
            counts: Ok(Counts::default()),
            status: None,
        };
        screen.recount();
        screen
    }

    fn selected(&self) -> Choice {
        CHOICES[self.cursor.selected.min(CHOICES.len() - 1)]
    }

    /// Counts every choice again from the progress in memory.
    fn recount(&mut self) {
        let progress = &self.shared.progress;
        let now = self.shared.now();
        let counts = || -> Result<Counts, crate::progress::Error> {
            let mut c = Counts {
                ahead: progress
                    .session_ahead(&self.scope, self.days, now)?
                    .counts()
                    .total(),
                cram: progress.cram(&self.scope, now)?.counts().total(),
                new_per_day: progress.settings()?.new_per_day,
                ..Counts::default()
            };
            if let Some((pack, _)) = &self.pack {
                c.new_left = progress.new_left(pack, now)?;
                c.extra_today = progress.extra_new_today(pack, now)?;
            }
            Ok(c)
        };
        self.counts = counts().map_err(|e| explain(&e));
    }

    /// Counts the review cards due in the next `days` again, after the days were turned.
    fn recount_ahead(&mut self) {
        let now = self.shared.now();
        let ahead = self
            .shared
            .progress
            .session_ahead(&self.scope, self.days, now);
        match (&mut self.counts, ahead) {
            (Ok(c), Ok(session)) => c.ahead = session.counts().total(),
            (counts, Err(e)) => *counts = Err(explain(&e)),
            (Err(_), Ok(_)) => self.recount(),
        }
    }

    /// Turns the selected choice's number down or up, within its bounds.
    fn turn(&mut self, up: bool) -> Effect {
        let (value, (low, high, step)) = match self.selected() {
            Choice::Ahead => (&mut self.days, (DAYS.0, DAYS.1, 1)),
            Choice::ExtraNew => (&mut self.extra, EXTRA),
            Choice::Cram => return Effect::None,
        };
        let next = if up {
            value.saturating_add(step).min(high)
        } else {
            value.saturating_sub(step).max(low)
        };
        if next == *value {
            return Effect::None;
        }
        *value = next;
        self.status = None;
        // Only the days change what a choice holds; the extra cards only change the limit shown.
        if self.selected() == Choice::Ahead {
            self.recount_ahead();
        }
        Effect::Redraw
    }

    /// Starts the selected choice, or says why it cannot.
    fn start(&mut self) -> Effect {
        let counts = match &self.counts {
            Ok(c) => c.clone(),
            Err(e) => return self.refuse(format!("Custom study is not available: {e}")),
        };
        let study = |kind| {
            Effect::Go(Nav::Review(Study {
                scope: self.scope.clone(),
                kind,
            }))
        };
        match self.selected() {
            Choice::Ahead if counts.ahead == 0 => self.refuse(format!(
                "No review cards of {} come due in the next {}; try more days.",
                self.label,
                count(self.days as usize, "day")
            )),
            Choice::Ahead => study(StudyKind::Ahead(self.days)),
            Choice::Cram if counts.cram == 0 => self.refuse(format!(
                "{} has no cards to cram (suspended cards are left out).",
                self.label
            )),
            Choice::Cram => study(StudyKind::Cram),
            Choice::ExtraNew => self.extra_new(&counts),
        }
    }

    /// Raises today's new-card limit of the pack, then opens today's review of the pack.
    fn extra_new(&mut self, counts: &Counts) -> Effect {
        let Some((pack, name)) = self.pack.clone() else {
            return self.refuse(
                "Extra new cards are counted per pack: open custom study from a pack on home."
                    .into(),
            );
        };
        if counts.new_left == 0 {
            return self.refuse(format!("{name} has no new cards left to learn."));
        }
        match self
            .shared
            .progress
            .add_extra_new(&pack, self.extra, self.shared.now())
        {
            Ok(total) => {
                self.status = Some(Status {
                    text: format!(
                        "Added {} to today's limit for {name}: {} today.",
                        count(self.extra as usize, "new card"),
                        counts.new_per_day + total
                    ),
                    error: false,
                });
                self.recount();
                Effect::Go(Nav::Review(
                    Cards {
                        pack: Some(pack),
                        ..Cards::default()
                    }
                    .into(),
                ))
            }
            Err(e) => Effect::Error(Problem::new("The extra new cards were not saved", &e)),
        }
    }

    fn refuse(&mut self, text: String) -> Effect {
        self.status = Some(Status { text, error: true });
        Effect::Redraw
    }

    /// The selected choice's line: what it would hold, the number it turns in brackets.
    fn choice_line(&self, choice: Choice, counts: &Counts, selected: bool) -> Vec<Span<'static>> {
        let theme = &self.shared.theme;
        let number = |n: u32| {
            let style = if selected {
                theme.accent.patch(theme.strong)
            } else {
                theme.accent
            };
            Span::styled(format!("‹ {n} ›"), style)
        };
        let plain = |text: String| Span::styled(text, theme.base);
        let title = |text: &'static str| Span::styled(format!("{text} — "), theme.strong);
        match choice {
            Choice::Ahead => vec![
                title("Review ahead"),
                plain("cards due in the next ".into()),
                number(self.days),
                plain(format!(
                    " day{}: {}",
                    crate::words::s(self.days as usize),
                    count(counts.ahead, "card")
                )),
            ],
            Choice::ExtraNew => match &self.pack {
                Some((_, name)) => vec![
                    title("Extra new cards today"),
                    number(self.extra),
                    plain(format!(
                        " more for {name}: today's limit becomes {}",
                        counts.new_per_day + counts.extra_today + self.extra
                    )),
                ],
                None => vec![
                    title("Extra new cards today"),
                    plain("choose a pack on home first".into()),
                ],
            },
            Choice::Cram => vec![
                title("Cram"),
                plain(format!(
                    "every card of {} once, grades not saved: {}",
                    self.label,
                    count(counts.cram, "card")
                )),
            ],
        }
    }
}

/// The pack of a scope: its own, or its topic's when the topic is written `pack:note`.
fn pack_of(scope: &Cards) -> Option<String> {
    scope.pack.clone().or_else(|| {
        let (pack, _) = scope.topic.as_deref()?.split_once(':')?;
        Some(pack.to_string())
    })
}

impl Screen for CustomStudyScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        match input {
            Input::Action(Action::Up) | Input::ScrollUp => self.cursor.step(-1, CHOICES.len()),
            Input::Action(Action::Down) | Input::ScrollDown => self.cursor.step(1, CHOICES.len()),
            Input::Action(Action::Top) => self.cursor.first(),
            Input::Action(Action::Bottom) => self.cursor.last(CHOICES.len()),
            Input::Action(Action::Left) => return self.turn(false),
            Input::Action(Action::Right) => return self.turn(true),
            Input::Action(Action::Open) => return self.start(),
            _ => return Effect::Ignored,
        }
        self.status = None;
        Effect::Redraw
    }

    fn enabled(&self, action: Action) -> bool {
        match action {
            Action::Left | Action::Right => self.selected().turns(),
            _ => true,
        }
    }

    /// Back from a review: what is due ahead, and today's limit, may have changed.
    fn on_show(&mut self) {
        self.recount();
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
        self.recount();
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let body = frame(
            area,
            buf,
            shared,
            Chrome::new(&["custom study", &self.label]),
        );
        let column = text_column(body, 100);
        let counts = self.counts.as_ref().ok().cloned().unwrap_or_default();
        // Each choice: its line, wrapped under the marker so its count is never cut, then
        // its explanation and a gap.
        let width = usize::from(column.width);
        let blocks: Vec<(Vec<Line<'static>>, Line<'static>)> = CHOICES
            .iter()
            .enumerate()
            .map(|(i, &choice)| {
                let selected = i == self.cursor.selected;
                let line = Line::from(self.choice_line(choice, &counts, selected));
                let wrapped = wrap_line(&line, width.saturating_sub(2).max(1));
                let why = Line::styled(format!("  {}", choice.explanation()), theme.muted);
                (wrapped, fit_line(&why, width))
            })
            .collect();
        let list_h: usize = blocks.iter().map(|(lines, _)| lines.len() + 2).sum();
        let [heading, _, list, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Max(u16::try_from(list_h).unwrap_or(u16::MAX)),
            Constraint::Length(3),
        ])
        .areas(column);
        put_line(
            buf,
            heading,
            heading.y,
            &fit_line(
                &Line::styled(
                    format!("Study {} beyond today's schedule:", self.label),
                    theme.heading(2),
                ),
                usize::from(heading.width),
            ),
        );
        let mut y = list.y;
        for (i, (lines, why)) in blocks.iter().enumerate() {
            let selected = i == self.cursor.selected;
            let height = u16::try_from(lines.len() + 1).unwrap_or(u16::MAX);
            let style = row_style(buf, list, y, height, selected, theme);
            for (n, line) in lines.iter().enumerate() {
                let lead = if n == 0 { marker(selected) } else { "  " };
                let mut spans = vec![Span::styled(lead, style.patch(theme.accent))];
                spans.extend(line.spans.iter().cloned());
                put_line(buf, list, y, &Line::from(spans));
                y = y.saturating_add(1);
            }
            put_line(buf, list, y, why);
            y = y.saturating_add(2);
        }
        let line = match (&self.status, &self.counts) {
            (Some(s), _) => {
                Line::styled(s.text.clone(), if s.error { theme.warn } else { theme.ok })
            }
            (None, Err(e)) => {
                Line::styled(format!("The counts could not be read: {e}"), theme.error)
            }
            (None, Ok(_)) => Line::styled(
                "Review ahead and extra new cards are saved as usual; a cram is not.",
                theme.muted,
            ),
        };
        Paragraph::new(line)
            .wrap(Wrap { trim: true })
            .render(status, buf);
    }
}
