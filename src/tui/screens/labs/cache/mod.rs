//! The cache-eviction lab: one trace replayed through LRU, FIFO, LFU, ARC, 2Q and Belady's
//! optimum side by side; change the capacity, the trace and its skew, and watch the hit ratios
//! and each cache's contents.

mod run;
mod view;

use crate::tui::screens::Screen;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::num::NonZeroUsize;
use std::rc::Rc;
use std::time::Duration;

use self::run::{Run, Setup};
use super::common::{Playback, cycle, step};
use crate::sim::cache::Shape;
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input};
use crate::tui::shared::Shared;

pub const SCOPES: &[Scope] = &[Scope::Lab];
/// Cache sizes, small enough to read the contents at the bottom of the ladder.
const CAPACITIES: [usize; 12] = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32];
/// Zipf skews, from uniform to a few keys taking nearly every request.
const SKEWS: [f64; 8] = [0.0, 0.5, 0.7, 0.9, 1.0, 1.2, 1.5, 2.0];
/// Requests replayed per tick while playing.
const SPEEDS: [usize; 7] = [1, 2, 5, 10, 20, 50, 100];
/// About 20 frames a second while playing.
const TICK: Duration = Duration::from_millis(50);
/// Distinct keys of the generated traces: few enough that keys stay short on screen.
const KEYS: u64 = 40;
/// Requests in a trace.
const LENGTH: usize = 2000;
/// Points on the hit-ratio chart over the whole trace.
const POINTS: u64 = 40;
/// The traces' seed: the same requests on every run, so settings compare.
const SEED: u64 = 1;

/// The lab's settings, its replay and the playback state.
pub struct CacheLab {
    shared: Rc<Shared>,
    setup: Setup,
    run: Run,
    /// Requests replayed per tick, from [`SPEEDS`].
    playback: Playback<usize>,
}

impl CacheLab {
    pub fn new(shared: Rc<Shared>) -> Self {
        let setup = Setup {
            capacity: NonZeroUsize::new(8).expect("8 is not zero"),
            shape: Shape::Zipf,
            skew: 0.9,
            keys: KEYS,
            length: LENGTH,
            seed: SEED,
            points: POINTS,
        };
        CacheLab {
            run: Run::new(&setup),
            shared,
            setup,
            playback: Playback::new(&SPEEDS, 2, true),
        }
    }

    /// Starts the replay over with the current settings.
    fn restart(&mut self) -> Effect {
        self.run = Run::new(&self.setup);
        Effect::Redraw
    }

    fn set_capacity(&mut self, up: bool) -> Effect {
        let next = step(&CAPACITIES, self.setup.capacity.get(), up);
        self.setup.capacity = NonZeroUsize::new(next).unwrap_or(self.setup.capacity);
        self.restart()
    }

    fn set_skew(&mut self, up: bool) -> Effect {
        if !self.setup.shape.skewed() {
            return Effect::Toast("A loop has no skew; press t for a Zipf trace.".into());
        }
        self.setup.skew = step(&SKEWS, self.setup.skew, up);
        self.restart()
    }

    fn next_shape(&mut self) -> Effect {
        self.setup.shape =
            cycle(&Shape::ALL, self.setup.shape, true, |_| true).unwrap_or(self.setup.shape);
        self.restart()
    }

    /// Replays the next requests while playing; stops at the end of the trace.
    fn tick(&mut self) -> Effect {
        if !self.playback.playing() {
            return Effect::None;
        }
        self.run.advance(self.playback.speed());
        if self.run.finished() {
            self.playback.pause();
        }
        Effect::Redraw
    }
}

impl Screen for CacheLab {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    /// The lab keys of the other labs (algorithms, nodes, firing requests) do nothing here,
    /// so the footer and help leave them out.
    fn enabled(&self, action: Action) -> bool {
        !matches!(
            action,
            Action::NextAlgo
                | Action::PrevAlgo
                | Action::Compare
                | Action::AddItem
                | Action::RemoveItem
                | Action::Search
                | Action::Fire
                | Action::Burst
        )
    }

    fn handle(&mut self, input: Input) -> Effect {
        let action = match input {
            Input::Tick => return self.tick(),
            Input::Action(action) => action,
            _ => return Effect::Ignored,
        };
        match action {
            Action::More => self.set_capacity(true),
            Action::Less => self.set_capacity(false),
            Action::Longer => self.set_skew(true),
            Action::Shorter => self.set_skew(false),
            Action::Traffic => self.next_shape(),
            Action::PlayPause => {
                if self.run.finished() {
                    self.restart();
                }
                self.playback.toggle();
                Effect::Redraw
            }
            Action::Step => {
                self.playback.pause();
                self.run.advance(1);
                Effect::Redraw
            }
            Action::Faster => self.playback.faster(),
            Action::Slower => self.playback.slower(),
            Action::Restart => self.restart(),
            _ => Effect::Ignored,
        }
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
    }

    /// Ticks while playing; nothing moves while paused or at the end of the trace.
    fn tick_interval(&self) -> Option<Duration> {
        self.playback.interval(TICK)
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        self.draw(area, buf);
    }
}
