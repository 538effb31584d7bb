//! The screens: each is a [`Screen`]: state plus `handle(Input) -> Effect` and `render`.

pub mod cards;
pub mod coming_up;
pub mod custom_study;
pub mod dashboard;
pub mod diagnostics;
pub mod finder;
pub mod help;
pub mod home;
pub mod item;
pub mod labs;
pub mod library;
pub mod note;
pub mod plan;
pub mod quiz;
pub mod review;
pub mod settings;
pub mod stats;
pub mod topic;

use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::keymap::{Action, Scope};
use super::nav::{Effect, Input};
use super::shared::Shared;

/// One screen: its state, what it does with an input, and how it draws. A new screen is a
/// new file implementing this and one arm in [`crate::tui::app::App::go`].
///
/// `render` is pure: it draws from the screen's state and never reads or writes progress.
pub trait Screen {
    /// What the input does here; [`Effect::Ignored`] leaves it to the app's global meaning.
    fn handle(&mut self, input: Input) -> Effect;

    fn render(&self, area: Rect, buf: &mut Buffer);

    /// Which keymap scopes apply, most specific first.
    fn scopes(&self) -> &'static [Scope];

    /// Re-points the screen at freshly loaded packs, keeping its place where it can.
    fn reload(&mut self, shared: Rc<Shared>);

    /// Finishes work deferred while keys were arriving; true when the screen changed.
    fn settle(&mut self) -> bool {
        false
    }

    /// Called when the screen is on top again after the one above it closed.
    fn on_show(&mut self) {}

    /// How often the screen wants `Input::Tick` (animation, countdown); `None` when idle.
    fn tick_interval(&self) -> Option<std::time::Duration> {
        None
    }

    /// Whether printable keys are text for a field rather than commands.
    fn typing(&self) -> bool {
        false
    }

    /// Whether `action` does something in the screen's current state; the footer offers only
    /// those.
    fn enabled(&self, action: Action) -> bool {
        let _ = action;
        true
    }
}
