//! The load-balancer lab: six algorithms offered the same requests by the same fleet, side by
//! side; change the load, the fleet size, slow and failing servers and the service times, and
//! watch the latency percentiles and each server's queue over time.

mod run;
mod view;

use crate::tui::screens::Screen;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::rc::Rc;
use std::time::Duration;

use self::run::{LabRun, SLICE, Setup};
use super::common::{Playback, cycle, step};
use crate::sim::balancer::{Algo, Failure, Service};
use crate::sim::time::{MILLISECOND, Nanos};
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input};
use crate::tui::shared::Shared;

pub const SCOPES: &[Scope] = &[Scope::Lab];
/// Offered load over the fleet's capacity, up to past saturation.
const UTILISATIONS: [f64; 9] = [0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.05, 1.2];
/// Fleet sizes: every server gets a row on a large terminal.
const MIN_SERVERS: usize = 2;
const MAX_SERVERS: usize = 16;
/// Slow servers the `w` key cycles through.
const MAX_SLOW: usize = 3;
/// Simulated time per tick, in milliseconds; at 50ms a tick plays in real time.
const SPEEDS: [u64; 8] = [5, 10, 20, 50, 100, 200, 500, 1000];
/// About 20 frames a second while playing.
const TICK: Duration = Duration::from_millis(50);
/// The workload's seed: the same requests on every run, so settings compare.
const SEED: u64 = 1;

/// The lab's settings, its run, the focused algorithm and the playback state.
pub struct BalancerLab {
    shared: Rc<Shared>,
    setup: Setup,
    run: Option<LabRun>,
    /// Index into [`Algo::ALL`] of the algorithm whose servers are drawn.
    focus: usize,
    /// Simulated milliseconds per tick, from [`SPEEDS`].
    playback: Playback<u64>,
}

impl BalancerLab {
    pub fn new(shared: Rc<Shared>) -> Self {
        let setup = Setup {
            servers: 8,
            utilisation: 0.9,
            service: Service::Exponential,
            slow: 0,
            failing: 0,
            failure: Failure::Fast,
            seed: SEED,
        };
        BalancerLab {
            run: LabRun::new(&setup),
            shared,
            setup,
            focus: Algo::ALL
                .iter()
                .position(|&a| a == Algo::TwoChoices)
                .unwrap_or(0),
            playback: Playback::new(&SPEEDS, 3, true),
        }
    }

    /// Starts the run over with the current settings.
    fn restart(&mut self) -> Effect {
        self.run = LabRun::new(&self.setup);
        Effect::Redraw
    }

    fn set_utilisation(&mut self, up: bool) -> Effect {
        self.setup.utilisation = step(&UTILISATIONS, self.setup.utilisation, up);
        self.restart()
    }

    /// One server more or fewer; slow and failing servers give way when the fleet shrinks.
    fn set_servers(&mut self, up: bool) -> Effect {
        let setup = &mut self.setup;
        setup.servers = match up {
            true => (setup.servers + 1).min(MAX_SERVERS),
            false => setup.servers.saturating_sub(1).max(MIN_SERVERS),
        };
        // Keep one normal server, so the fleet always has somewhere healthy to send work.
        setup.failing = setup.failing.min(setup.servers - 1);
        setup.slow = setup.slow.min(setup.servers - 1 - setup.failing);
        self.restart()
    }

    /// 0, 1, ... slow servers, then none again.
    fn next_slow(&mut self) -> Effect {
        let room = (self.setup.servers - 1 - self.setup.failing).min(MAX_SLOW);
        self.setup.slow = match self.setup.slow >= room {
            true => 0,
            false => self.setup.slow + 1,
        };
        self.restart()
    }

    /// None, one refusing, one hanging, two refusing, two hanging, then none again.
    fn next_failing(&mut self) -> Effect {
        let setup = &mut self.setup;
        let room = (setup.servers - 1 - setup.slow).min(2);
        (setup.failing, setup.failure) = match (setup.failing, setup.failure) {
            (0, _) if room > 0 => (1, Failure::Fast),
            (n, Failure::Fast) if n > 0 => (n, Failure::Timeout),
            (n, Failure::Timeout) if n < room => (n + 1, Failure::Fast),
            _ => (0, Failure::Fast),
        };
        self.restart()
    }

    fn next_service(&mut self) -> Effect {
        self.setup.service =
            cycle(&Service::ALL, self.setup.service, true, |_| true).unwrap_or(self.setup.service);
        self.restart()
    }

    fn advance(&mut self, span: Nanos) {
        if let Some(run) = &mut self.run {
            run.advance(span);
            if run.finished() {
                self.playback.pause();
            }
        }
    }

    fn finished(&self) -> bool {
        self.run.as_ref().is_none_or(LabRun::finished)
    }

    /// Plays `speed` simulated milliseconds while playing; stops once every request is answered.
    fn tick(&mut self) -> Effect {
        if !self.playback.playing() {
            return Effect::None;
        }
        self.advance(self.playback.speed() * MILLISECOND);
        Effect::Redraw
    }
}

impl Screen for BalancerLab {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    /// The other labs' keys (compare, lookup, firing requests, the second size) do nothing
    /// here, so the footer and help leave them out.
    fn enabled(&self, action: Action) -> bool {
        !matches!(
            action,
            Action::Compare
                | Action::Search
                | Action::Fire
                | Action::Burst
                | Action::Longer
                | Action::Shorter
        )
    }

    fn handle(&mut self, input: Input) -> Effect {
        let action = match input {
            Input::Tick => return self.tick(),
            Input::Action(action) => action,
            _ => return Effect::Ignored,
        };
        match action {
            Action::More => self.set_utilisation(true),
            Action::Less => self.set_utilisation(false),
            Action::AddItem => self.set_servers(true),
            Action::RemoveItem => self.set_servers(false),
            Action::SlowServer => self.next_slow(),
            Action::FailServer => self.next_failing(),
            Action::Traffic => self.next_service(),
            Action::NextAlgo | Action::PrevAlgo => {
                let n = Algo::ALL.len();
                self.focus = match action == Action::NextAlgo {
                    true => (self.focus + 1) % n,
                    false => (self.focus + n - 1) % n,
                };
                Effect::Redraw
            }
            Action::PlayPause => {
                if self.finished() {
                    self.restart();
                }
                self.playback.toggle();
                Effect::Redraw
            }
            Action::Step => {
                self.playback.pause();
                self.advance(SLICE);
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

    /// Ticks while playing; nothing moves while paused or once every request is answered.
    fn tick_interval(&self) -> Option<Duration> {
        self.playback.interval(TICK)
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        self.draw(area, buf);
    }
}
