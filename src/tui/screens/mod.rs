//! The screens: each is state plus `handle(Input) -> Effect` and `impl Widget for &Screen`.

pub mod dashboard;
pub mod diagnostics;
pub mod finder;
pub mod help;
pub mod home;
pub mod item;
pub mod labs;
pub mod library;
pub mod note;
pub mod quiz;
pub mod review;
pub mod stats;
pub mod topic;

use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::keymap::Scope;
use super::nav::{Effect, Input};
use super::shared::Shared;

pub enum Screen {
    Home(home::HomeScreen),
    Library(library::LibraryScreen),
    Topic(topic::TopicScreen),
    Finder(finder::FinderScreen),
    Diagnostics(diagnostics::DiagnosticsScreen),
    Note(note::NoteScreen),
    Item(item::ItemScreen),
    Labs(labs::LabsScreen),
    RingLab(labs::ring::RingLab),
    LimiterLab(labs::limiter::LimiterLab),
    Review(review::ReviewScreen),
    Stats(stats::StatsScreen),
    QuizSetup(quiz::LauncherScreen),
    Quiz(quiz::QuizScreen),
    QuizHistory(quiz::HistoryScreen),
}

impl Screen {
    pub fn handle(&mut self, input: Input) -> Effect {
        match self {
            Screen::Home(s) => s.handle(input),
            Screen::Library(s) => s.handle(input),
            Screen::Topic(s) => s.handle(input),
            Screen::Finder(s) => s.handle(input),
            Screen::Diagnostics(s) => s.handle(input),
            Screen::Note(s) => s.handle(input),
            Screen::Item(s) => s.handle(input),
            Screen::Labs(s) => s.handle(input),
            Screen::RingLab(s) => s.handle(input),
            Screen::LimiterLab(s) => s.handle(input),
            Screen::Review(s) => s.handle(input),
            Screen::Stats(s) => s.handle(input),
            Screen::QuizSetup(s) => s.handle(input),
            Screen::Quiz(s) => s.handle(input),
            Screen::QuizHistory(s) => s.handle(input),
        }
    }

    /// Which keymap scopes apply, most specific first.
    pub fn scopes(&self) -> &'static [Scope] {
        match self {
            Screen::Home(_) => home::SCOPES,
            Screen::Library(_) => library::SCOPES,
            Screen::Topic(_) => topic::SCOPES,
            Screen::Finder(_) => finder::SCOPES,
            Screen::Diagnostics(_) => diagnostics::SCOPES,
            Screen::Note(_) => note::SCOPES,
            Screen::Item(_) => item::SCOPES,
            Screen::Labs(_) => labs::SCOPES,
            Screen::RingLab(_) => labs::ring::SCOPES,
            Screen::LimiterLab(_) => labs::limiter::SCOPES,
            Screen::Review(_) => review::SCOPES,
            Screen::Stats(_) => stats::SCOPES,
            Screen::QuizSetup(_) => quiz::launcher::SCOPES,
            Screen::Quiz(_) => quiz::screen::SCOPES,
            Screen::QuizHistory(_) => quiz::history::SCOPES,
        }
    }

    /// Finishes work deferred while keys were arriving; true when the screen changed.
    pub fn settle(&mut self) -> bool {
        match self {
            Screen::Finder(s) => s.settle(),
            _ => false,
        }
    }

    /// Called when the screen is on top again after the one above it closed.
    pub fn on_show(&mut self) {
        if let Screen::Home(s) = self {
            s.refresh();
        }
    }

    /// How often the screen wants `Input::Tick` (animation, countdown); `None` when idle.
    pub fn tick_interval(&self) -> Option<std::time::Duration> {
        match self {
            Screen::LimiterLab(s) => s.tick_interval(),
            Screen::Review(s) => s.tick_interval(),
            Screen::Quiz(s) => s.tick_interval(),
            Screen::Finder(s) => s.tick_interval(),
            _ => None,
        }
    }

    /// Whether printable keys are text for a field rather than commands.
    pub fn typing(&self) -> bool {
        match self {
            Screen::Finder(_) => true,
            Screen::Note(s) => s.typing(),
            Screen::RingLab(s) => s.typing(),
            _ => false,
        }
    }

    /// Re-points the screen at freshly loaded packs, keeping its place where it can.
    pub fn reload(&mut self, shared: Rc<Shared>) {
        match self {
            Screen::Home(s) => s.reload(shared),
            Screen::Library(s) => s.reload(shared),
            Screen::Topic(s) => s.reload(shared),
            Screen::Finder(s) => s.reload(shared),
            Screen::Diagnostics(s) => s.reload(shared),
            Screen::Note(s) => s.reload(shared),
            Screen::Item(s) => s.reload(shared),
            Screen::Labs(s) => s.reload(shared),
            Screen::RingLab(s) => s.reload(shared),
            Screen::LimiterLab(s) => s.reload(shared),
            Screen::Review(s) => s.reload(shared),
            Screen::Stats(s) => s.reload(shared),
            Screen::QuizSetup(s) => s.reload(shared),
            Screen::Quiz(s) => s.reload(shared),
            Screen::QuizHistory(s) => s.reload(shared),
        }
    }
}

impl Widget for &Screen {
    fn render(self, area: Rect, buf: &mut Buffer) {
        match self {
            Screen::Home(s) => s.render(area, buf),
            Screen::Library(s) => s.render(area, buf),
            Screen::Topic(s) => s.render(area, buf),
            Screen::Finder(s) => s.render(area, buf),
            Screen::Diagnostics(s) => s.render(area, buf),
            Screen::Note(s) => s.render(area, buf),
            Screen::Item(s) => s.render(area, buf),
            Screen::Labs(s) => s.render(area, buf),
            Screen::RingLab(s) => s.render(area, buf),
            Screen::LimiterLab(s) => s.render(area, buf),
            Screen::Review(s) => s.render(area, buf),
            Screen::Stats(s) => s.render(area, buf),
            Screen::QuizSetup(s) => s.render(area, buf),
            Screen::Quiz(s) => s.render(area, buf),
            Screen::QuizHistory(s) => s.render(area, buf),
        }
    }
}
