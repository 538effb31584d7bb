//! The quorum lab: one register on N replicas, two clients writing and reading it, crashes and a
//! partition on the same timeline. Step through it, change N, R and W, crash nodes, split the
//! network, switch on a sloppy quorum or read repair, and see which reads come back stale.

mod run;
mod view;

use crate::tui::screens::Screen;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::rc::Rc;
use std::time::Duration;

use self::run::Run;
use super::common::{Playback, cycle, step};
use crate::sim::quorum::{Config, Preset, Step};
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input};
use crate::tui::shared::Shared;

pub const SCOPES: &[Scope] = &[Scope::Lab];
/// Most replicas the lab draws.
const MAX_REPLICAS: usize = 7;
/// Time between steps while playing, slowest first.
const SPEEDS: [Duration; 5] = [
    Duration::from_millis(2000),
    Duration::from_millis(1000),
    Duration::from_millis(500),
    Duration::from_millis(250),
    Duration::from_millis(100),
];

/// The setting the ←/→ keys choose and +/- change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Knob {
    N,
    R,
    W,
}

/// The lab's settings, its timeline and where the learner is on it.
pub struct QuorumLab {
    shared: Rc<Shared>,
    preset: Preset,
    config: Config,
    steps: Vec<Step>,
    run: Run,
    /// Steps applied: 0 is before the first.
    position: usize,
    knob: Knob,
    /// The node `f` crashes or recovers, as a flat index.
    selected: usize,
    /// Time between steps, from [`SPEEDS`].
    playback: Playback<Duration>,
}

impl QuorumLab {
    pub fn new(shared: Rc<Shared>) -> Self {
        let preset = Preset::Strict;
        let (config, steps) = (preset.config(), preset.steps());
        QuorumLab {
            run: Run::new(config, &steps),
            shared,
            preset,
            config,
            steps,
            position: 0,
            knob: Knob::N,
            selected: 0,
            playback: Playback::new(&SPEEDS, 2, false),
        }
    }

    /// Runs the timeline again after a change, keeping the position.
    fn rerun(&mut self) -> Effect {
        self.run = Run::new(self.config, &self.steps);
        self.position = self.position.min(self.steps.len());
        self.selected = self.selected.min(self.config.nodes() - 1);
        Effect::Redraw
    }

    fn load(&mut self, preset: Preset) -> Effect {
        self.preset = preset;
        self.config = preset.config();
        self.steps = preset.steps();
        self.position = 0;
        self.playback.pause();
        self.rerun()
    }

    /// Moves +1 or -1 along the timeline; stops playing at the end.
    fn walk(&mut self, forward: bool) {
        self.position = match forward {
            true => (self.position + 1).min(self.steps.len()),
            false => self.position.saturating_sub(1),
        };
    }

    /// Changes the chosen knob; R and W stay within N.
    fn turn(&mut self, up: bool) -> Effect {
        let c = &mut self.config;
        let ladder: Vec<usize> = match self.knob {
            Knob::N => (1..=MAX_REPLICAS).collect(),
            Knob::R | Knob::W => (1..=c.replicas).collect(),
        };
        match self.knob {
            Knob::N => {
                c.replicas = step(&ladder, c.replicas, up);
                c.reads = c.reads.min(c.replicas);
                c.writes = c.writes.min(c.replicas);
            }
            Knob::R => c.reads = step(&ladder, c.reads, up),
            Knob::W => c.writes = step(&ladder, c.writes, up),
        }
        self.rerun()
    }

    /// Inserts an event as the next step and moves onto it.
    fn insert(&mut self, event: Step) -> Effect {
        self.playback.pause();
        self.steps.insert(self.position, event);
        self.position += 1;
        self.rerun()
    }

    fn fail_or_recover(&mut self) -> Effect {
        let node = self.config.node(self.selected);
        let up = self.run.cluster(self.position).nodes()[self.selected].up;
        self.insert(match up {
            true => Step::Crash(node),
            false => Step::Recover(node),
        })
    }

    fn partition(&mut self) -> Effect {
        self.insert(match self.run.cluster(self.position).partitioned() {
            true => Step::Heal,
            false => Step::Partition,
        })
    }

    fn tick(&mut self) -> Effect {
        if !self.playback.playing() {
            return Effect::None;
        }
        self.walk(true);
        if self.position == self.steps.len() {
            self.playback.pause();
        }
        Effect::Redraw
    }
}

impl Screen for QuorumLab {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    /// The other labs' keys (algorithms, comparing, adding and removing items, lookup, traffic,
    /// firing) do nothing here, so the footer leaves them out.
    fn enabled(&self, action: Action) -> bool {
        !matches!(
            action,
            Action::NextAlgo
                | Action::PrevAlgo
                | Action::Compare
                | Action::AddItem
                | Action::RemoveItem
                | Action::Search
                | Action::Traffic
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
            Action::Step | Action::StepBack => {
                self.playback.pause();
                self.walk(action == Action::Step);
                Effect::Redraw
            }
            Action::PlayPause => {
                if self.position == self.steps.len() {
                    self.position = 0;
                }
                self.playback.toggle();
                Effect::Redraw
            }
            Action::Faster => self.playback.faster(),
            Action::Slower => self.playback.slower(),
            Action::Left | Action::Right => {
                let all = [Knob::N, Knob::R, Knob::W];
                let forward = action == Action::Right;
                self.knob = cycle(&all, self.knob, forward, |_| true).unwrap_or(self.knob);
                Effect::Redraw
            }
            Action::More => self.turn(true),
            Action::Less => self.turn(false),
            Action::Up | Action::Down => {
                let n = self.config.nodes();
                self.selected = match action == Action::Down {
                    true => (self.selected + 1) % n,
                    false => (self.selected + n - 1) % n,
                };
                Effect::Redraw
            }
            Action::FailRecover => self.fail_or_recover(),
            Action::Partition => self.partition(),
            Action::Sloppy => {
                self.config.sloppy = !self.config.sloppy;
                self.rerun()
            }
            Action::ReadRepair => {
                self.config.read_repair = !self.config.read_repair;
                self.rerun()
            }
            Action::NextPreset => {
                let next = cycle(&Preset::ALL, self.preset, true, |_| true);
                self.load(next.unwrap_or(self.preset))
            }
            Action::Restart => self.load(self.preset),
            _ => Effect::Ignored,
        }
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
    }

    /// Ticks while playing, one step a tick.
    fn tick_interval(&self) -> Option<Duration> {
        self.playback.interval(self.playback.speed())
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        self.draw(area, buf);
    }
}
