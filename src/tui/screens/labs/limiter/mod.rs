//! The rate-limiter lab: pick an algorithm, its quota and the traffic (or fire requests by
//! hand), and watch decisions and state unfold in simulated time; or stack two to four
//! algorithms on the same traffic.

mod panels;
mod run;
mod timeline;
mod view;

use crate::tui::screens::Screen;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::rc::Rc;
use std::time::Duration;

use self::run::Run;
use super::common::{Playback, cycle, step};
use crate::sim::limiter::{Algo, Quota};
use crate::sim::time::{MILLISECOND, Nanos, SECOND};
use crate::sim::traffic::{Pattern, Traffic};
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input};
use crate::tui::shared::Shared;

pub const SCOPES: &[Scope] = &[Scope::Lab];
/// Requests per window.
const LIMITS: [u32; 8] = [1, 2, 3, 5, 10, 20, 50, 100];
/// Window lengths, from fast enough to see a boundary burst to a minute.
const WINDOWS: [Nanos; 9] = [
    100 * MILLISECOND,
    250 * MILLISECOND,
    500 * MILLISECOND,
    SECOND,
    2 * SECOND,
    5 * SECOND,
    10 * SECOND,
    30 * SECOND,
    60 * SECOND,
];
/// Simulated seconds per real second.
const SPEEDS: [f64; 9] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0];
/// About 30 frames a second while playing.
const TICK: Duration = Duration::from_millis(33);
/// A longer gap between ticks (a suspended terminal) counts as this much, so time never leaps.
const MAX_GAP: Nanos = 250 * MILLISECOND;
/// Poisson traffic's seed: the same arrivals on every run, so runs compare.
const SEED: u64 = 1;
/// The order lanes join a comparison in: the sharpest contrasts first.
const COMPARE_ORDER: [Algo; 7] = [
    Algo::TokenBucket,
    Algo::FixedWindow,
    Algo::SlidingLog,
    Algo::SlidingCounter,
    Algo::LeakyQueue,
    Algo::Gcra,
    Algo::LeakyMeter,
];
/// More stacked lanes than this leave each too few rows to read.
const MAX_LANES: usize = 4;
/// The traffic `t` steps through; `None` is requests by hand only.
const TRAFFIC: [Option<Pattern>; 5] = [
    Some(Pattern::Steady),
    Some(Pattern::Bursty),
    Some(Pattern::Poisson),
    Some(Pattern::Boundary),
    None,
];

/// The lab's settings, its run in simulated time, and the playback state.
pub struct LimiterLab {
    shared: Rc<Shared>,
    /// One algorithm, or two to four when comparing.
    algos: Vec<Algo>,
    compare: bool,
    /// The lane whose algorithm Tab changes.
    focus: usize,
    quota: Quota,
    /// `None`: requests come only by hand.
    pattern: Option<Pattern>,
    /// Traffic a lab question opened the lab with; it stands in for `pattern` until `t`
    /// picks a named one.
    fixed: Option<Traffic>,
    run: Run,
    /// Simulated seconds per real second, from [`SPEEDS`].
    playback: Playback<f64>,
    /// The real time of the last tick, from the injected clock.
    last_tick: jiff::Timestamp,
}

impl LimiterLab {
    pub fn new(shared: Rc<Shared>) -> Self {
        let quota = Quota::new(10, SECOND).expect("10 per second is a valid quota");
        let algos = vec![Algo::TokenBucket];
        let pattern = Some(Pattern::Bursty);
        let last_tick = shared.now();
        LimiterLab {
            run: Run::new(&algos, quota, pattern.map(|p| p.shaped_for(quota)), SEED),
            shared,
            algos,
            compare: false,
            focus: 0,
            quota,
            pattern,
            fixed: None,
            playback: Playback::new(&SPEEDS, 3, true),
            last_tick,
        }
    }

    /// The lab running `algos` (compared when more than one) at `limit` per `window` on
    /// `traffic`: the configuration a lab question was made from.
    pub fn at(
        shared: Rc<Shared>,
        algos: Vec<Algo>,
        (limit, window): (u32, Nanos),
        traffic: Traffic,
    ) -> Self {
        let mut lab = LimiterLab::new(shared);
        if let (Ok(quota), false) = (Quota::new(limit, window), algos.is_empty()) {
            lab.compare = algos.len() > 1;
            lab.algos = algos;
            lab.quota = quota;
            lab.fixed = Some(traffic);
            lab.restart();
        }
        lab
    }

    /// Starts the run over at time zero with the current settings.
    fn restart(&mut self) -> Effect {
        let traffic = match &self.fixed {
            Some(t) => Some(t.clone()),
            None => self.pattern.map(|p| p.shaped_for(self.quota)),
        };
        self.run = Run::new(&self.algos, self.quota, traffic, SEED);
        self.last_tick = self.shared.now();
        Effect::Redraw
    }

    fn set_quota(&mut self, limit: u32, window: Nanos) -> Effect {
        match Quota::new(limit, window) {
            Ok(quota) => {
                self.quota = quota;
                self.restart()
            }
            Err(e) => Effect::Toast(e.to_string()),
        }
    }

    /// Advances simulated time by the real time since the last tick, times the speed.
    fn tick(&mut self) -> Effect {
        let now = self.shared.now();
        let gap = (now.as_nanosecond() - self.last_tick.as_nanosecond()).max(0);
        self.last_tick = now;
        if !self.playback.playing() || gap == 0 {
            return Effect::None;
        }
        let gap = u64::try_from(gap).unwrap_or(MAX_GAP).min(MAX_GAP);
        let dt = (gap as f64 * self.playback.speed()).round() as Nanos;
        self.run.advance_to(self.run.now.saturating_add(dt.max(1)));
        Effect::Redraw
    }

    /// The focused lane's next (or previous) algorithm that no other lane runs.
    fn cycle_algo(&mut self, forward: bool) -> Effect {
        let current = self.algos[self.focus];
        match cycle(&Algo::ALL, current, forward, |a| !self.algos.contains(&a)) {
            Some(a) => {
                self.algos[self.focus] = a;
                self.restart()
            }
            None => Effect::None,
        }
    }

    /// Into compare mode with the current algorithm and two contrasting ones; out of it with
    /// the selected one.
    fn toggle_compare(&mut self) -> Effect {
        self.compare = !self.compare;
        let current = self.algos[self.focus];
        self.algos = vec![current];
        self.focus = 0;
        if self.compare {
            let others = COMPARE_ORDER.into_iter().filter(|&a| a != current);
            self.algos.extend(others.take(2));
        }
        self.restart()
    }

    fn add_lane(&mut self) -> Effect {
        if !self.compare {
            return Effect::Toast("Press c to compare limiters side by side.".into());
        }
        let unused = COMPARE_ORDER.into_iter().find(|a| !self.algos.contains(a));
        match unused {
            Some(a) if self.algos.len() < MAX_LANES => {
                self.algos.push(a);
                self.focus = self.algos.len() - 1;
                self.restart()
            }
            _ => Effect::Toast(format!("Up to {MAX_LANES} limiters compare at once.")),
        }
    }

    fn remove_lane(&mut self) -> Effect {
        if !self.compare || self.algos.len() <= 2 {
            return Effect::Toast("A comparison keeps at least two limiters.".into());
        }
        self.algos.remove(self.focus);
        self.focus = self.focus.min(self.algos.len() - 1);
        self.restart()
    }

    fn next_pattern(&mut self) -> Effect {
        self.fixed = None;
        self.pattern = cycle(&TRAFFIC, self.pattern, true, |_| true).unwrap_or(self.pattern);
        self.restart()
    }
}

impl Screen for LimiterLab {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        let action = match input {
            Input::Tick => return self.tick(),
            Input::Action(action) => action,
            _ => return Effect::Ignored,
        };
        let (limit, window) = (self.quota.limit(), self.quota.window());
        match action {
            Action::NextAlgo => self.cycle_algo(true),
            Action::PrevAlgo => self.cycle_algo(false),
            Action::More => self.set_quota(step(&LIMITS, limit, true), window),
            Action::Less => self.set_quota(step(&LIMITS, limit, false), window),
            Action::Longer => self.set_quota(limit, step(&WINDOWS, window, true)),
            Action::Shorter => self.set_quota(limit, step(&WINDOWS, window, false)),
            Action::Traffic => self.next_pattern(),
            Action::PlayPause => {
                self.playback.toggle();
                self.last_tick = self.shared.now();
                Effect::Redraw
            }
            Action::Step => {
                self.playback.pause();
                let next = self.run.now.saturating_add(self.quota.interval());
                self.run.advance_to(next);
                Effect::Redraw
            }
            Action::Faster => self.playback.faster(),
            Action::Slower => self.playback.slower(),
            Action::Fire => {
                self.run.fire(1);
                Effect::Redraw
            }
            Action::Burst => {
                self.run.fire(limit);
                Effect::Redraw
            }
            Action::Compare => self.toggle_compare(),
            Action::AddItem => self.add_lane(),
            Action::RemoveItem => self.remove_lane(),
            Action::Up if self.compare => {
                self.focus = self.focus.saturating_sub(1);
                Effect::Redraw
            }
            Action::Down if self.compare => {
                self.focus = (self.focus + 1).min(self.algos.len() - 1);
                Effect::Redraw
            }
            Action::Restart => self.restart(),
            _ => Effect::Ignored,
        }
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
    }

    /// Ticks while playing; nothing moves while paused.
    fn tick_interval(&self) -> Option<Duration> {
        self.playback.interval(TICK)
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        self.draw(area, buf);
    }
}
