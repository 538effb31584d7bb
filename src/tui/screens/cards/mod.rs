//! The card browser: every card of a pack or topic with its state, due date, lapses and
//! reviews, filtered (all, due, missed, leeches, suspended), and what can be done to one card:
//! suspend, unsuspend, bury until tomorrow, reset to new, read its note.

mod head;
mod table;

use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::progress;
use crate::srs::{self, CardRow, CardStatus, DayClock, Filter, ItemKey};
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input, Nav, Problem};
use crate::tui::screens::Screen;
use crate::tui::screens::review::{explain, scope_label};
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{put_line, truncate};

pub const SCOPES: &[Scope] = &[Scope::Browser];

/// Rows of the body above the cards: the counts, the filters and the column titles.
const HEAD_ROWS: usize = 3;

/// How much of a card's front a message quotes.
const QUOTE: usize = 40;

/// One card as listed: its row, with what the table shows worked out when it was read.
#[derive(Debug, Clone)]
struct Listed {
    card: CardRow,
    /// The front on one line.
    front: String,
    /// The title of the card's note, or nothing.
    topic: String,
    /// "today", "in 3 d", "overdue 2 d", "—".
    due: String,
    /// The note Enter opens: (pack id, note id).
    note: Option<(String, String)>,
}

impl Listed {
    /// Held out of the queue: suspended, or buried for today.
    fn held(&self) -> bool {
        matches!(self.card.status, CardStatus::Suspended | CardStatus::Buried)
    }
}

pub struct CardsScreen {
    shared: Rc<Shared>,
    scope: srs::Scope,
    /// The scope in words: "Caching", "Demo Pack", "all packs".
    title: String,
    filter: Filter,
    /// How many cards each filter of [`Filter::ALL`] lists.
    counts: [usize; Filter::ALL.len()],
    /// The cards the filter admits, in pack order.
    rows: Vec<Listed>,
    cursor: Cursor,
    /// A reset of the selected card waits for a yes or a no.
    confirming: bool,
    /// Lapses that make a card a leech, for the empty leech list's explanation.
    leech_threshold: u32,
    /// Why the cards could not be read, shown instead of the table.
    failed: Option<String>,
}

impl CardsScreen {
    pub fn new(shared: Rc<Shared>, scope: srs::Scope) -> Self {
        let mut s = CardsScreen {
            title: scope_label(shared.catalog(), &scope),
            shared,
            scope,
            filter: Filter::All,
            counts: [0; Filter::ALL.len()],
            rows: Vec::new(),
            cursor: Cursor::default(),
            confirming: false,
            leech_threshold: 0,
            failed: None,
        };
        s.show_refresh();
        s
    }

    /// Reads the cards again from progress, keeping the selected card selected while the
    /// filter still lists it.
    fn refresh(&mut self) -> Result<(), progress::Error> {
        let progress = &self.shared.progress;
        let now = self.shared.now();
        let scheduler = progress.scheduler()?;
        self.leech_threshold = scheduler.settings().leech_threshold;
        let keep = self.selected().map(|l| l.card.key.clone());
        // One walk over the cards; each filter's count comes from the same rows.
        let all = progress.browse(&self.scope, Filter::All, now)?;
        for (count, filter) in self.counts.iter_mut().zip(Filter::ALL) {
            *count = all.iter().filter(|row| filter.admits(row)).count();
        }
        self.rows = all
            .into_iter()
            .filter(|row| self.filter.admits(row))
            .map(|card| self.listed(card, scheduler.clock(), now))
            .collect();
        if let Some(at) = keep.and_then(|k| self.rows.iter().position(|l| l.card.key == k)) {
            self.cursor.selected = at;
        }
        self.cursor.step(0, self.rows.len());
        self.cursor.settle(self.list_height());
        self.failed = None;
        Ok(())
    }

    /// [`CardsScreen::refresh`], a failure shown in place of the table.
    fn show_refresh(&mut self) {
        if let Err(e) = self.refresh() {
            self.rows.clear();
            self.failed = Some(format!("The cards could not be read: {}", explain(&e)));
        }
    }

    fn listed(&self, card: CardRow, clock: &DayClock, now: jiff::Timestamp) -> Listed {
        let face = self
            .shared
            .catalog()
            .get(&card.key)
            .and_then(|e| e.item().face(&self.shared.library));
        let topic = card
            .topic
            .as_deref()
            .map_or(String::new(), |t| self.shared.catalog().name(t).to_string());
        Listed {
            front: face.as_ref().map_or_else(
                || card.key.to_string(),
                |f| crate::words::one_line(&f.front),
            ),
            note: face.and_then(|f| f.note),
            topic,
            due: table::due_label(clock, card.due, now),
            card,
        }
    }

    fn selected(&self) -> Option<&Listed> {
        self.rows.get(self.cursor.selected)
    }

    fn list_height(&self) -> usize {
        self.shared.body_height().saturating_sub(HEAD_ROWS)
    }

    fn count(&self, filter: Filter) -> usize {
        Filter::ALL
            .iter()
            .position(|f| *f == filter)
            .map_or(0, |i| self.counts[i])
    }

    /// Changes the selected card through `change`, then lists the cards again and says
    /// `done` with the card's front; `failed` heads the error panel if the change fails.
    fn act(
        &mut self,
        change: impl FnOnce(&progress::Progress, &ItemKey) -> Result<(), progress::Error>,
        done: &str,
        failed: &str,
    ) -> Effect {
        let Some(listed) = self.selected() else {
            return Effect::None;
        };
        let key = listed.card.key.clone();
        let front = truncate(&listed.front, QUOTE);
        if let Err(e) = change(&self.shared.progress, &key) {
            return Effect::Error(Problem::new(failed, &e));
        }
        if let Err(e) = self.refresh() {
            return Effect::Error(Problem::new("The cards could not be listed again", &e));
        }
        Effect::Toast(format!("{done}: {front}"))
    }

    fn suspend(&mut self) -> Effect {
        if self.selected().is_some_and(Listed::held) {
            return self.unsuspend();
        }
        let now = self.shared.now();
        self.act(
            |p, k| p.suspend(k, now),
            "Suspended",
            "The card was not suspended",
        )
    }

    fn unsuspend(&mut self) -> Effect {
        let buried = self
            .selected()
            .is_some_and(|l| l.card.status == CardStatus::Buried);
        self.act(
            |p, k| p.unsuspend(k).map(|_| ()),
            if buried { "Unburied" } else { "Unsuspended" },
            "The card was not released",
        )
    }

    fn bury(&mut self) -> Effect {
        let now = self.shared.now();
        self.act(
            |p, k| p.bury(k, now),
            "Buried until tomorrow",
            "The card was not buried",
        )
    }

    fn reset(&mut self) -> Effect {
        self.confirming = false;
        let now = self.shared.now();
        self.act(
            |p, k| p.reset(k, now),
            "Reset to new",
            "The card was not reset",
        )
    }

    /// While the reset question is open: yes resets, no (or esc, or q) keeps the card.
    fn answer(&mut self, input: Input) -> Effect {
        match input {
            Input::Action(Action::Confirm) => self.reset(),
            Input::Action(Action::Cancel | Action::Back | Action::Quit) => {
                self.confirming = false;
                Effect::Redraw
            }
            Input::Action(Action::Help) => Effect::Ignored,
            _ => Effect::None,
        }
    }

    fn open_note(&self) -> Effect {
        match self.selected().and_then(|l| l.note.clone()) {
            Some((pack, id)) => Effect::Go(Nav::Note {
                pack,
                id,
                anchor: None,
            }),
            None => Effect::None,
        }
    }
}

impl Screen for CardsScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn enabled(&self, action: Action) -> bool {
        if self.confirming {
            return matches!(
                action,
                Action::Confirm | Action::Cancel | Action::Back | Action::Help
            );
        }
        let card = self.selected();
        match action {
            Action::Confirm | Action::Cancel => false,
            Action::Suspend | Action::Bury => card.is_some_and(|l| !l.held()),
            Action::Unsuspend => card.is_some_and(Listed::held),
            // A card never answered has no schedule to forget.
            Action::Reset => card.is_some_and(|l| l.card.reviews > 0),
            Action::OpenNote => card.is_some_and(|l| l.note.is_some()),
            _ => true,
        }
    }

    fn handle(&mut self, input: Input) -> Effect {
        if self.confirming {
            return self.answer(input);
        }
        let len = self.rows.len();
        let page = self.list_height().max(1) as isize;
        let delta = match input {
            Input::ScrollUp | Input::Action(Action::Up) => -1,
            Input::ScrollDown | Input::Action(Action::Down) => 1,
            Input::Action(Action::PageUp | Action::HalfPageUp) => -page,
            Input::Action(Action::PageDown | Action::HalfPageDown) => page,
            Input::Action(Action::Top) => -(len as isize),
            Input::Action(Action::Bottom) => len as isize,
            Input::Action(Action::NextFilter) => {
                self.filter = self.filter.next();
                self.cursor = Cursor::default();
                return match self.refresh() {
                    Ok(()) => Effect::Redraw,
                    Err(e) => Effect::Error(Problem::new("The cards could not be listed", &e)),
                };
            }
            Input::Action(Action::Suspend) => return self.suspend(),
            Input::Action(Action::Unsuspend) if self.selected().is_some_and(Listed::held) => {
                return self.unsuspend();
            }
            Input::Action(Action::Bury) if self.selected().is_some_and(|l| !l.held()) => {
                return self.bury();
            }
            Input::Action(Action::Reset) if self.enabled(Action::Reset) => {
                self.confirming = true;
                return Effect::Redraw;
            }
            Input::Action(Action::OpenNote) => return self.open_note(),
            _ => return Effect::Ignored,
        };
        self.cursor.step(delta, len);
        self.cursor.settle(self.list_height());
        Effect::Redraw
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
        self.title = scope_label(self.shared.catalog(), &self.scope);
        self.show_refresh();
    }

    /// Back from a card's note: the cards may have changed meanwhile (another process).
    fn on_show(&mut self) {
        self.show_refresh();
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let place = match self.rows.len() {
            0 => String::new(),
            n => format!("{} of {n} ", self.cursor.selected + 1),
        };
        let crumbs = ["cards", self.title.as_str()];
        let body = frame(area, buf, shared, Chrome::new(&crumbs).status(&place));
        let w = usize::from(body.width);
        put_line(buf, body, body.y, &self.summary(w));
        put_line(buf, body, body.y + 1, &self.filters());
        let list = Rect {
            y: body.y + 2,
            height: body.height.saturating_sub(2),
            ..body
        };
        if let Some(failed) = &self.failed {
            self.say(list, buf, &Line::styled(failed.clone(), theme.error));
        } else if self.rows.is_empty() {
            self.say(list, buf, &Line::styled(self.empty_message(), theme.muted));
        } else {
            table::draw(list, buf, &self.rows, &self.cursor, theme);
        }
        if self.confirming
            && let Some(listed) = self.selected()
        {
            table::draw_reset_question(body, buf, &listed.front, &shared.keymap, theme);
        }
    }
}
