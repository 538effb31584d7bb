//! The app: a stack of screens, the help overlay, and the translation of key and mouse events
//! into inputs through the keymap. It carries out the effects screens ask for.

use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

use crate::content::Lab;
use crate::quiz::QuestionKey;
use crate::quiz::plan::QuizStart;
use crate::search::Target;

use super::keymap::{Action, Key, Scope};
use super::nav::{Effect, Input, Nav, Problem};
use super::screens::Screen;
use super::screens::cards::CardsScreen;
use super::screens::custom_study::CustomStudyScreen;
use super::screens::diagnostics::DiagnosticsScreen;
use super::screens::finder::FinderScreen;
use super::screens::help::{self, HelpOverlay};
use super::screens::home::HomeScreen;
use super::screens::item::ItemScreen;
use super::screens::labs::LabsScreen;
use super::screens::labs::balancer::BalancerLab;
use super::screens::labs::cache::CacheLab;
use super::screens::labs::limiter::LimiterLab;
use super::screens::labs::quorum::QuorumLab;
use super::screens::labs::ring::RingLab;
use super::screens::library::LibraryScreen;
use super::screens::note::NoteScreen;
use super::screens::plan::PlanScreen;
use super::screens::quiz::{self, HistoryScreen, LauncherScreen};
use super::screens::review::ReviewScreen;
use super::screens::settings::SettingsScreen;
use super::screens::stats::StatsScreen;
use super::screens::topic::TopicScreen;
use super::shared::Shared;
use super::widgets::chrome::{
    fits, footer, footer_area, problems_bar, problems_bar_text, too_small,
};
use super::widgets::problem::ProblemPanel;

pub struct App {
    shared: Rc<Shared>,
    stack: Vec<Box<dyn Screen>>,
    /// Scroll position of the help overlay when it is open.
    help: Option<usize>,
    toast: Option<String>,
    /// A failure shown over the screen until the learner closes it.
    problem: Option<Problem>,
    quit: bool,
    dirty: bool,
    /// Packs are reloaded as they are edited (`--watch`): their problems stay in view.
    watching: bool,
}

impl App {
    pub fn new(shared: Rc<Shared>) -> App {
        let home: Box<dyn Screen> = Box::new(HomeScreen::new(shared.clone()));
        App {
            shared,
            stack: vec![home],
            help: None,
            toast: None,
            problem: None,
            quit: false,
            dirty: true,
            watching: false,
        }
    }

    /// Shows the packs' problems on every screen, for authors editing them (`--watch`).
    pub fn set_watching(&mut self, on: bool) {
        self.watching = on;
        self.dirty = true;
    }

    pub fn shared(&self) -> &Rc<Shared> {
        &self.shared
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Whether something changed since the last draw; clears the flag.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.shared.viewport.set(Rect::new(0, 0, width, height));
        self.dirty = true;
    }

    fn top(&mut self) -> &mut dyn Screen {
        let last = self.stack.len() - 1;
        self.stack[last].as_mut()
    }

    /// Opens a place: builds its screen and puts it on the stack.
    pub fn go(&mut self, nav: Nav, replace: bool) {
        let shared = self.shared.clone();
        let screen: Box<dyn Screen> = match nav {
            Nav::Home => {
                self.stack.truncate(1);
                self.top().on_show();
                self.dirty = true;
                return;
            }
            Nav::Library { pack } => Box::new(LibraryScreen::new(shared, pack.as_deref())),
            Nav::Topic { pack, id } => Box::new(TopicScreen::new(shared, &pack, &id)),
            Nav::Finder => Box::new(FinderScreen::new(shared)),
            Nav::Diagnostics => Box::new(DiagnosticsScreen::new(shared)),
            Nav::Note { pack, id, anchor } => {
                Box::new(NoteScreen::new(shared, &pack, &id, anchor.as_deref()))
            }
            // A question is asked before its answer is shown: a practice of one.
            Nav::Item(Target::Question { pack, id }) => {
                quiz::open(shared, QuizStart::Question(QuestionKey::new(&pack, &id)))
            }
            Nav::Item(target) => Box::new(ItemScreen::new(shared, target)),
            Nav::Labs => Box::new(LabsScreen::new(shared)),
            Nav::Lab(Lab::HashRing) => Box::new(RingLab::new(shared)),
            Nav::Lab(Lab::RateLimiter) => Box::new(LimiterLab::new(shared)),
            Nav::Lab(Lab::CacheEviction) => Box::new(CacheLab::new(shared)),
            Nav::Lab(Lab::Quorum) => Box::new(QuorumLab::new(shared)),
            Nav::LabAt(setup) => super::screens::labs::open_at(shared, setup),
            Nav::Lab(Lab::LoadBalancer) => Box::new(BalancerLab::new(shared)),
            Nav::Review(study) => Box::new(ReviewScreen::new(shared, study)),
            Nav::Cards(scope) => Box::new(CardsScreen::new(shared, scope)),
            Nav::CustomStudy(scope) => Box::new(CustomStudyScreen::new(shared, scope)),
            Nav::Stats => Box::new(StatsScreen::new(shared)),
            Nav::Settings => Box::new(SettingsScreen::new(shared)),
            Nav::Plan { pack } => Box::new(PlanScreen::new(shared, pack)),
            Nav::QuizSetup { pack } => Box::new(LauncherScreen::for_pack(shared, pack.as_deref())),
            Nav::Quiz(start) => quiz::open(shared, start),
            Nav::QuizHistory => Box::new(HistoryScreen::new(shared)),
        };
        if replace && self.stack.len() > 1 {
            self.stack.pop();
        }
        self.stack.push(screen);
        self.dirty = true;
    }

    /// Swaps in freshly loaded packs (watch mode) and keeps every screen's place.
    pub fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared.clone();
        for s in &mut self.stack {
            s.reload(shared.clone());
        }
        self.dirty = true;
    }

    pub fn key(&mut self, ev: KeyEvent) {
        self.dirty = true;
        self.toast = None;
        let key = Key::from_event(&ev);
        if key.ctrl && matches!(key.code, KeyCode::Char('c')) {
            self.quit = true;
            return;
        }
        if self.problem.is_some() {
            if let Some(Action::Back | Action::Open | Action::Quit) =
                self.shared.keymap.lookup(key, &[Scope::List])
            {
                self.problem = None;
            }
            return;
        }
        if let Some(scroll) = self.help {
            if let Some(action) = self.shared.keymap.lookup(key, &[]) {
                let shared = &self.shared;
                let area = shared.viewport.get();
                self.help = help::scroll(&shared.keymap, &shared.theme, area, scroll, action);
            }
            return;
        }
        if !fits(self.shared.viewport.get()) {
            // The screen cannot be seen: nothing may be answered or changed blind.
            match self.shared.keymap.lookup(key, &[]) {
                Some(Action::Quit) => self.quit = true,
                Some(Action::Help) => self.help = Some(0),
                _ => {}
            }
            return;
        }
        let Some(input) = self.input_for(&ev, key) else {
            return;
        };
        let effect = self.top().handle(input);
        self.apply(effect, input);
    }

    /// The input a key means on the current screen: text while typing, else a keymap action.
    fn input_for(&mut self, ev: &KeyEvent, key: Key) -> Option<Input> {
        let scopes = self.top().scopes();
        if self.top().typing() {
            let plain = !ev
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            return match ev.code {
                KeyCode::Char(c) if plain => Some(Input::Char(c)),
                KeyCode::Backspace => Some(Input::Backspace),
                KeyCode::Esc => Some(Input::Action(Action::Back)),
                KeyCode::Enter => Some(Input::Action(Action::Open)),
                KeyCode::Up => Some(Input::Action(Action::Up)),
                KeyCode::Down => Some(Input::Action(Action::Down)),
                KeyCode::PageUp => Some(Input::Action(Action::PageUp)),
                KeyCode::PageDown => Some(Input::Action(Action::PageDown)),
                _ => self.shared.keymap.lookup(key, scopes).map(Input::Action),
            };
        }
        let found = self.shared.keymap.lookup(key, scopes);
        // The problems bar offers the diagnostics key on every screen.
        let bar_key = self.watching
            && problems_bar_text(&self.shared).is_some()
            && self.shared.keymap.key_for(Action::Diagnostics) == Some(key);
        match found {
            None if bar_key => Some(Input::Action(Action::Diagnostics)),
            found => found.map(Input::Action),
        }
    }

    /// Shows a short message at the bottom of the screen.
    pub fn notify(&mut self, message: String) {
        self.toast = Some(message);
        self.dirty = true;
    }

    /// Performs an action as if its key had been pressed (snapshots, tests).
    pub fn press(&mut self, action: Action) {
        if let Some(key) = self.shared.keymap.key_for(action) {
            let code = key.code;
            let mut mods = KeyModifiers::empty();
            if key.ctrl {
                mods |= KeyModifiers::CONTROL;
            }
            self.key(KeyEvent::new(code, mods));
        }
    }

    /// Pasted text goes into the current screen's text field as typed characters, line breaks
    /// and tabs as spaces. A screen without a text field ignores it: pasted letters must never
    /// act as commands (a `q` in a paste would quit).
    pub fn paste(&mut self, text: &str) {
        if self.help.is_some() || !self.top().typing() {
            return;
        }
        for c in text.chars() {
            let c = if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            };
            if !crate::safe_text::is_forbidden(c) {
                let effect = self.top().handle(Input::Char(c));
                self.apply(effect, Input::Char(c));
            }
        }
        self.dirty = true;
    }

    /// Ends the app as Ctrl-C does: everything is already saved action by action.
    pub fn quit(&mut self) {
        self.quit = true;
    }

    /// Types a character into the current screen's text field, as a pause after the key would.
    pub fn type_char(&mut self, c: char) {
        self.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::empty()));
        self.settle();
    }

    /// Lets the current screen finish deferred work; the loop calls it when no input waits.
    pub fn settle(&mut self) {
        // Plans that arrived: a goal set on the plan screen is stored and announced even
        // when the learner has gone on to another screen.
        if self.shared.progress.settle_plans(self.shared.now()) {
            self.dirty = true;
        }
        if self.top().settle() {
            self.dirty = true;
        }
    }

    /// How often the current screen wants ticks, if at all.
    pub fn tick_interval(&self) -> Option<std::time::Duration> {
        if self.help.is_some() {
            return None;
        }
        self.stack.last().and_then(|s| s.tick_interval())
    }

    /// Lets the current screen advance its animation or countdown.
    pub fn tick(&mut self) {
        let effect = self.top().handle(Input::Tick);
        if effect != Effect::Ignored && effect != Effect::None {
            self.dirty = true;
        }
        self.apply(effect, Input::Tick);
    }

    pub fn mouse(&mut self, ev: MouseEvent) {
        let input = match ev.kind {
            MouseEventKind::ScrollUp => Input::ScrollUp,
            MouseEventKind::ScrollDown => Input::ScrollDown,
            _ => return,
        };
        if self.help.is_some() {
            return;
        }
        let effect = self.top().handle(input);
        self.apply(effect, input);
        self.dirty = true;
    }

    fn apply(&mut self, effect: Effect, input: Input) {
        match effect {
            Effect::Ignored => self.global(input),
            Effect::Redraw | Effect::None => {}
            Effect::Back => self.back(),
            Effect::Quit => self.quit = true,
            Effect::Go(nav) => self.go(nav, false),
            Effect::Replace(nav) => self.go(nav, true),
            Effect::Toast(t) => self.toast = Some(t),
            Effect::Error(problem) => self.problem = Some(problem),
        }
    }

    fn back(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
            self.top().on_show();
        }
    }

    /// What an input means when the screen had no use for it.
    fn global(&mut self, input: Input) {
        let Input::Action(action) = input else {
            return;
        };
        match action {
            // Deep inside (an exam, a review, a lab) q goes back one level; it quits on home.
            Action::Quit if self.stack.len() > 1 => self.back(),
            Action::Quit => self.quit = true,
            Action::Back => self.back(),
            Action::Help => self.help = Some(0),
            Action::Finder => self.go(Nav::Finder, false),
            Action::GoHome => self.go(Nav::Home, false),
            Action::Library => self.go(Nav::Library { pack: None }, false),
            Action::Diagnostics => self.go(Nav::Diagnostics, false),
            _ => {}
        }
    }

    /// Draws the current screen, the help overlay and any message; never panics on any size.
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        if !fits(area) {
            too_small(area, buf, theme.base);
            return;
        }
        if let Some(screen) = self.stack.last() {
            screen.render(area, buf);
            let home = self.stack.len() == 1;
            let hints = self
                .shared
                .keymap
                .hints(screen.scopes(), screen.typing(), |a| {
                    screen.enabled(a) && (a != Action::Quit || home)
                });
            footer(footer_area(area), buf, theme, hints);
        }
        if self.watching {
            problems_bar(area, buf, &self.shared);
        }
        if let Some(scroll) = self.help {
            HelpOverlay {
                keymap: &self.shared.keymap,
                theme,
                scroll,
            }
            .render(area, buf);
        }
        if let Some(problem) = &self.problem {
            ProblemPanel { problem, theme }.render(area, buf);
        }
        if let Some(t) = &self.toast {
            let w = (t.chars().count() as u16 + 4).min(area.width);
            let rect = Rect {
                x: area.x + area.width.saturating_sub(w) / 2,
                y: area.bottom().saturating_sub(3),
                width: w,
                height: 1,
            };
            Clear.render(rect, buf);
            Line::from(Span::styled(format!("  {t}  "), theme.selection)).render(rect, buf);
        }
    }
}
