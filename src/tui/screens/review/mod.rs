//! The review screen: today's cards of a scope, one at a time. The front shows first; space or
//! enter reveals the back with the wait each grade would give; a grade (1-4) is committed to
//! the store in its own transaction before the next card appears, so a crash never loses an
//! answer; `u` takes the last grade back, in the store too; `o` reads the card's note.
//!
//! Custom study runs here too: review ahead (saved as usual) and cram, whose grades stay in
//! the session and never reach the store, as the title bar says throughout.

mod card;
mod draw;

use crate::tui::screens::Screen;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::rc::Rc;
use std::time::Duration;

use jiff::Timestamp;

use crate::content::markdown::Document;
use crate::progress::Error as StoreError;
use crate::srs::{self, Catalog, Grade, Next, Session};
use crate::tui::keymap::{Action, Scope};
use crate::tui::markdown::{LayoutCache, Rendered};
use crate::tui::nav::{Effect, Input, Nav, Study, StudyKind};
use crate::tui::shared::Shared;

use card::Shown;

pub const SCOPES: &[Scope] = &[Scope::Cards];

/// How often the waiting screen counts down to the next learning card.
const WAIT_TICK: Duration = Duration::from_secs(1);
/// How often a grade waiting for another instance's write is tried again.
const RETRY_TICK: Duration = Duration::from_millis(250);

/// Where the session is.
#[derive(Debug)]
enum Stage {
    Card(Box<Shown>),
    /// Only learning cards are left; the first comes due at this time.
    Wait(Timestamp),
    /// Nothing left: the summary (or why the session could not start).
    Done,
}

/// A line above the grade buttons: what just happened, or what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Message {
    text: String,
    error: bool,
}

pub struct ReviewScreen {
    shared: Rc<Shared>,
    /// The scope in words, for the title bar and the summary.
    label: String,
    /// Today's cards, cards due ahead, or a cram.
    kind: StudyKind,
    /// The error text when the store could not open the session.
    session: Result<Session, String>,
    stage: Stage,
    message: Option<Message>,
    /// First line of the card shown, for cards taller than the screen.
    scroll: usize,
    layout: LayoutCache,
    /// A grade waiting for another instance's write to finish; tried again on each tick.
    retry: Option<Grade>,
}

impl ReviewScreen {
    pub fn new(shared: Rc<Shared>, study: Study) -> Self {
        let now = shared.now();
        let Study { scope, kind } = study;
        let progress = &shared.progress;
        let session = match kind {
            StudyKind::Today => progress.session(&scope, now),
            StudyKind::Ahead(days) => progress.session_ahead(&scope, days, now),
            StudyKind::Cram => progress.cram(&scope, now),
        }
        .map_err(|e| format!("The review could not start: {}", explain(&e)));
        let mut screen = ReviewScreen {
            label: scope_label(shared.catalog(), &scope),
            kind,
            shared,
            session,
            stage: Stage::Done,
            message: None,
            scroll: 0,
            layout: LayoutCache::new(),
            retry: None,
        };
        screen.advance(now);
        screen.message = screen
            .past_limit_note()
            .or_else(|| screen.extra_new_note(&scope, now));
        screen
    }

    /// Whether the grades of this session are kept in the session only.
    fn cramming(&self) -> bool {
        self.session.as_ref().is_ok_and(Session::is_cram)
    }

    /// Says so when today's new-card limit of the reviewed pack was raised (custom study).
    fn extra_new_note(&self, scope: &srs::Scope, now: Timestamp) -> Option<Message> {
        let pack = scope
            .pack
            .as_deref()
            .filter(|_| self.kind == StudyKind::Today)?;
        let extra = self.shared.progress.extra_new_today(pack, now).ok()?;
        let limit = self
            .session
            .as_ref()
            .ok()?
            .scheduler()
            .settings()
            .new_per_day;
        (extra > 0).then(|| {
            Message::info(format!(
                "{} today for {}: today's limit is {}.",
                crate::words::count(extra as usize, "more new card"),
                self.label,
                limit + extra
            ))
        })
    }

    /// Says so when a chosen topic or tag brings new cards past today's limit.
    fn past_limit_note(&self) -> Option<Message> {
        let session = self.session.as_ref().ok()?;
        let past = session.past_limit();
        (past > 0).then(|| {
            Message::info(format!(
                "Studying {} now: {} past today's limit of {} new.",
                self.label,
                crate::words::count(past, "new card"),
                session.scheduler().settings().new_per_day
            ))
        })
    }

    /// Shows what the session offers at `now`: the next card, a wait, or the end.
    fn advance(&mut self, now: Timestamp) {
        self.scroll = 0;
        self.stage = match &mut self.session {
            Ok(session) => match session.next(now) {
                Next::Card(entry) => Stage::Card(Box::new(Shown::new(&self.shared, entry, now))),
                Next::Wait(at) => Stage::Wait(at),
                Next::Done => Stage::Done,
            },
            Err(_) => Stage::Done,
        };
    }

    fn reveal(&mut self) -> Effect {
        let now = self.shared.now();
        match (&mut self.stage, &self.session) {
            (Stage::Card(shown), Ok(session)) if !shown.revealed => {
                shown.revealed = true;
                self.scroll = 0;
                if session.is_cram() {
                    // No wait to show: a cram grade schedules nothing.
                    return Effect::Redraw;
                }
                match session.preview(now) {
                    Ok(preview) => {
                        shown.intervals =
                            preview.map(|p| p.outcomes().each_ref().map(|o| o.interval));
                    }
                    Err(e) => {
                        self.message = Some(Message::error(format!(
                            "The next intervals could not be worked out: {e}"
                        )));
                    }
                }
                Effect::Redraw
            }
            // Enter on the summary closes it, as it would close any finished page.
            (Stage::Done, _) => Effect::Back,
            _ => Effect::None,
        }
    }

    /// Grades the card and commits the answer before moving on. If the store refuses it, the
    /// session takes the answer back so the same card stays up to be graded again.
    fn grade(&mut self, grade: Grade) -> Effect {
        let (Stage::Card(shown), Ok(session)) = (&self.stage, &mut self.session) else {
            return Effect::None;
        };
        if !shown.revealed {
            let key = self.shared.keymap.key_for(Action::Reveal);
            let key = key.map_or_else(String::new, |k| format!(" ({k})"));
            self.message = Some(Message::info(format!("Show the answer first{key}.")));
            return Effect::Redraw;
        }
        let now = self.shared.now();
        let answer = match session.answer(grade, now, shown.elapsed_ms(now)) {
            Ok(answer) => answer,
            Err(e) => return self.fail(format!("This card could not be graded: {e}")),
        };
        if session.is_cram() {
            // The answer stays in the session: the schedule and the log are left alone.
            self.message = None;
            self.advance(now);
            return Effect::Redraw;
        }
        let saved = self.shared.progress.grade(&answer, session.scheduler());
        if let Err(e) = saved {
            session.undo();
            if matches!(e, StoreError::Busy { .. }) {
                // Another sysdeck holds the write lock: say so and keep trying, instead of
                // freezing the screen for the whole busy timeout.
                self.retry = Some(grade);
                self.message = Some(Message::info(
                    "Waiting for another sysdeck to finish writing; your grade is saved as soon as it does.".into(),
                ));
                return Effect::Redraw;
            }
            self.retry = None;
            return self.fail(format!(
                "Your grade was not saved: {}. The card stays; grade it again to retry.",
                explain(&e)
            ));
        }
        self.retry = None;
        // A card forgotten once too often is a leech and was suspended with this grade.
        self.message = self
            .shared
            .progress
            .made_leech(&answer)
            .unwrap_or(false)
            .then(|| {
                Message::info(format!(
                    "That card is a leech ({} lapses) and is suspended; u takes the grade back, `sysdeck cards --leeches` lists leeches.",
                    answer.after.lapses
                ))
            });
        self.advance(now);
        Effect::Redraw
    }

    /// Takes back the last grade: its log row and state in the store, then the card on screen.
    fn undo(&mut self) -> Effect {
        let Ok(session) = &mut self.session else {
            return Effect::None;
        };
        let before = session.clone();
        let Some(answer) = session.undo() else {
            self.message = Some(Message::info("Nothing to undo in this session.".into()));
            return Effect::Redraw;
        };
        let undone = if session.is_cram() {
            Ok(())
        } else {
            self.shared.progress.undo(&answer, session.scheduler())
        };
        if let Err(e) = undone {
            *session = before;
            return self.fail(format!("The grade could not be undone: {}", explain(&e)));
        }
        self.advance(self.shared.now());
        self.message = Some(Message::info(format!(
            "Took back “{}”; grade this card again.",
            answer.log.grade.label()
        )));
        Effect::Redraw
    }

    fn open_note(&self) -> Effect {
        let Stage::Card(shown) = &self.stage else {
            return Effect::None;
        };
        match &shown.note {
            Some((pack, id)) => Effect::Go(Nav::Note {
                pack: pack.clone(),
                id: id.clone(),
                anchor: None,
            }),
            None => Effect::Toast("This card has no note.".into()),
        }
    }

    fn tick(&mut self) -> Effect {
        if let Some(grade) = self.retry.take() {
            return self.grade(grade);
        }
        let Stage::Wait(due) = self.stage else {
            return Effect::None;
        };
        let now = self.shared.now();
        if now >= due {
            self.advance(now);
        }
        Effect::Redraw
    }

    fn fail(&mut self, text: String) -> Effect {
        self.message = Some(Message::error(text));
        Effect::Redraw
    }

    fn scroll_by(&mut self, delta: isize) -> Effect {
        let Stage::Card(shown) = &self.stage else {
            return Effect::Ignored;
        };
        let text = draw::text_area(self.body_from_viewport(), self.message.is_some());
        let max = self
            .rendered(shown.layout_id(), shown.document(), text.width)
            .lines
            .len()
            .saturating_sub(usize::from(text.height));
        self.scroll = self.scroll.saturating_add_signed(delta).min(max);
        Effect::Redraw
    }

    /// The body area the last frame had, from the terminal size (title bar and footer off).
    fn body_from_viewport(&self) -> ratatui::layout::Rect {
        let v = self.shared.viewport.get();
        ratatui::layout::Rect::new(0, 1, v.width, v.height.saturating_sub(2))
    }

    /// The card laid out `width` cells wide, from the cache when the width is unchanged.
    fn rendered(&self, id: String, doc: &Document, width: u16) -> Rc<Rendered> {
        self.layout.get(&id, width.max(1), doc, &self.shared.theme)
    }
}

impl Message {
    fn info(text: String) -> Message {
        Message { text, error: false }
    }

    fn error(text: String) -> Message {
        Message { text, error: true }
    }
}

/// A store error with its causes, since its own message only says what was being done.
pub fn explain(e: &StoreError) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The scope in words: "all packs", a pack's name, a topic's title, `#tag`; escaped, since
/// names and tags come from packs.
pub fn scope_label(catalog: &Catalog, scope: &srs::Scope) -> String {
    let mut parts = Vec::new();
    if let Some(pack) = &scope.pack {
        parts.push(catalog.name(pack).to_string());
    }
    if let Some(topic) = &scope.topic {
        let qualified = match (&scope.pack, topic.contains(':')) {
            (Some(pack), false) => format!("{pack}:{topic}"),
            _ => topic.clone(),
        };
        let name = catalog.name(&qualified);
        parts.push(if name == qualified {
            topic.clone()
        } else {
            name.to_string()
        });
    }
    if let Some(tag) = &scope.tag {
        parts.push(format!("#{tag}"));
    }
    if parts.is_empty() {
        "all packs".into()
    } else {
        crate::safe_text::escape(&parts.join(" · ")).into_owned()
    }
}

impl Screen for ReviewScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn enabled(&self, action: Action) -> bool {
        let shown = match &self.stage {
            Stage::Card(shown) => Some(shown),
            Stage::Wait(_) | Stage::Done => None,
        };
        let revealed = shown.is_some_and(|s| s.revealed);
        match action {
            Action::Reveal => shown.is_some() && !revealed,
            Action::GradeAgain | Action::GradeHard | Action::GradeGood | Action::GradeEasy => {
                revealed
            }
            Action::OpenNote => shown.is_some_and(|s| s.note.is_some()),
            Action::Undo => self.session.as_ref().is_ok_and(Session::can_undo),
            _ => true,
        }
    }

    fn handle(&mut self, input: Input) -> Effect {
        let page = (self.shared.body_height() / 2).max(1) as isize;
        match input {
            Input::Tick => self.tick(),
            Input::ScrollUp | Input::Action(Action::Up) => self.scroll_by(-1),
            Input::ScrollDown | Input::Action(Action::Down) => self.scroll_by(1),
            Input::Action(Action::PageUp | Action::HalfPageUp) => self.scroll_by(-page),
            Input::Action(Action::PageDown | Action::HalfPageDown) => self.scroll_by(page),
            Input::Action(Action::Top) => self.scroll_by(isize::MIN / 2),
            Input::Action(Action::Bottom) => self.scroll_by(isize::MAX / 2),
            Input::Action(Action::Reveal) => self.reveal(),
            Input::Action(Action::GradeAgain) => self.grade(Grade::Again),
            Input::Action(Action::GradeHard) => self.grade(Grade::Hard),
            Input::Action(Action::GradeGood) => self.grade(Grade::Good),
            Input::Action(Action::GradeEasy) => self.grade(Grade::Easy),
            Input::Action(Action::Undo) => self.undo(),
            Input::Action(Action::OpenNote) => self.open_note(),
            _ => Effect::Ignored,
        }
    }

    /// Keeps the session (it is progress, not content) and re-reads the card's face.
    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
        if let Stage::Card(shown) = &mut self.stage {
            shown.refresh(&self.shared);
        }
        self.layout.clear();
    }

    /// Ticks while waiting for a learning card (to count down and then show it) or for
    /// another instance's write to finish (to save the grade then).
    fn tick_interval(&self) -> Option<Duration> {
        if self.retry.is_some() {
            return Some(RETRY_TICK);
        }
        matches!(self.stage, Stage::Wait(_)).then_some(WAIT_TICK)
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        self.draw(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::item::tests::library;

    #[test]
    fn scopes_are_named_by_their_titles() {
        let catalog = Catalog::from_library(&library());
        let label = |pack: Option<&str>, topic: Option<&str>, tag: Option<&str>| {
            let scope = srs::Scope {
                pack: pack.map(Into::into),
                topic: topic.map(Into::into),
                tag: tag.map(Into::into),
            };
            scope_label(&catalog, &scope)
        };
        assert_eq!(label(None, None, None), "all packs");
        assert_eq!(label(Some("sd"), None, None), "System Design");
        assert_eq!(
            label(Some("sd"), Some("caching"), None),
            "System Design · Caching"
        );
        assert_eq!(
            label(None, Some("sd:caching"), Some("perf")),
            "Caching · #perf"
        );
        assert_eq!(label(None, Some("caching"), None), "caching");
    }
}
