//! The hash-ring lab: place keys with any of the five schemes, change the membership and the
//! settings, and read the balance and movement against what theory predicts.

mod draw;
mod model;
mod panels;

use crate::tui::screens::Screen;
use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use self::draw::{RingView, caption};
use self::model::{KEYS, MAX_NODES, Model, Setup, VNODES};
use super::common::{Control, boxed, cycle, lab_frame, panel, step, thousands};
use crate::content::Lab;
use crate::sim::hash_ring::{Algo, Change, PlacementError, node_names};
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input};
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::Chrome;

pub const SCOPES: &[Scope] = &[Scope::Lab];
/// Longest key a learner can type; the hash does not care, the panel width does.
const MAX_KEY_LEN: usize = 64;

/// The key being looked up, and whether keys still go into it.
struct Lookup {
    text: String,
    typing: bool,
}

/// The lab's model plus what the learner is pointing at.
pub struct RingLab {
    shared: Rc<Shared>,
    model: Model,
    /// Index of the node the load list highlights and `x` removes.
    selected: usize,
    lookup: Option<Lookup>,
}

/// The lab as it opens: the default setup, which always builds.
fn first_model() -> Model {
    Model::new(Setup::default()).expect("the default setup is a valid placement")
}

impl RingLab {
    pub fn new(shared: Rc<Shared>) -> Self {
        RingLab {
            shared,
            selected: 0,
            model: first_model(),
            lookup: None,
        }
    }

    /// The lab on `nodes` nodes with `vnodes` each, `keys` keys hashed with `seed`, after
    /// `change`: the configuration a lab question was made from, its movement on show.
    pub fn at(
        shared: Rc<Shared>,
        (nodes, vnodes, keys, seed): (u32, u32, usize, u64),
        change: Change,
    ) -> Self {
        let setup = Setup {
            algo: Algo::Ring,
            nodes: node_names(nodes as usize),
            vnodes,
            keys,
            seed,
        };
        let mut lab = RingLab::new(shared);
        let built = Model::new(setup).and_then(|mut model| {
            model.change(change)?;
            Ok(model)
        });
        // A question only makes setups that build; should one not, the lab opens as usual.
        if let Ok(model) = built {
            lab.model = model;
            lab.selected = lab.model.setup.nodes.len().saturating_sub(1);
        }
        lab
    }

    /// Applies new settings, or says why they cannot apply.
    fn set(&mut self, edit: impl FnOnce(&mut Setup)) -> Effect {
        let mut setup = self.model.setup.clone();
        edit(&mut setup);
        let result = self.model.set(setup);
        self.settled(result)
    }

    fn settled(&mut self, result: Result<(), PlacementError>) -> Effect {
        self.selected = self
            .selected
            .min(self.model.setup.nodes.len().saturating_sub(1));
        match result {
            Ok(()) => Effect::Redraw,
            Err(e) => Effect::Toast(e.to_string()),
        }
    }

    fn cycle_algo(&mut self, forward: bool) -> Effect {
        match cycle(&Algo::ALL, self.model.setup.algo, forward, |_| true) {
            Some(algo) => self.set(|s| s.algo = algo),
            None => Effect::None,
        }
    }

    fn vnodes(&mut self, up: bool) -> Effect {
        let algo = self.model.setup.algo;
        if !algo.uses_vnodes() {
            return Effect::Toast(format!(
                "{} has no virtual nodes; ring and bounded do",
                algo.name()
            ));
        }
        self.set(|s| s.vnodes = step(&VNODES, s.vnodes, up))
    }

    fn add_node(&mut self) -> Effect {
        if self.model.setup.nodes.len() >= MAX_NODES {
            return Effect::Toast(format!("The lab stops at {MAX_NODES} nodes."));
        }
        let result = self.model.change(Change::Add(1));
        self.selected = self.model.setup.nodes.len().saturating_sub(1);
        self.settled(result)
    }

    fn remove_node(&mut self) -> Effect {
        let Some(name) = self.model.setup.nodes.get(self.selected).cloned() else {
            return Effect::None;
        };
        let result = self.model.change(Change::Remove(name));
        self.settled(result)
    }

    /// Keys typed into the lookup field.
    fn edit_lookup(&mut self, input: Input) -> Option<Effect> {
        let lookup = self.lookup.as_mut().filter(|l| l.typing)?;
        match input {
            Input::Char(c) if !c.is_control() && lookup.text.chars().count() < MAX_KEY_LEN => {
                lookup.text.push(c)
            }
            Input::Char(_) => {}
            Input::Backspace => {
                lookup.text.pop();
            }
            Input::Action(Action::Open) => lookup.typing = false,
            _ => return None,
        }
        Some(Effect::Redraw)
    }

    fn setup_line(&self) -> Line<'static> {
        let theme = &self.shared.theme;
        let s = &self.model.setup;
        let mut shape = format!("{} nodes", s.nodes.len());
        if s.algo.uses_vnodes() {
            shape += &format!(" × {} vnodes", s.vnodes);
        }
        // The title last: a narrow terminal cuts it rather than the numbers.
        Line::from(vec![
            Span::styled(format!(" {}", s.algo.name()), theme.title),
            Span::styled(
                format!(" · {shape} · {} keys", thousands(s.keys as u64)),
                theme.base,
            ),
            Span::styled(format!(" · {}", s.algo.title()), theme.muted),
        ])
    }

    fn controls(&self) -> Vec<Control> {
        use Action::*;
        let mut controls = vec![
            Control::new(&[NextAlgo], "algorithm"),
            Control::new(&[AddItem, RemoveItem], "node"),
            Control::new(&[Down, Up], "select"),
        ];
        if self.model.setup.algo.uses_vnodes() {
            controls.push(Control::new(&[More, Less], "vnodes"));
        }
        controls.extend([
            Control::new(&[Longer, Shorter], "keys"),
            Control::new(&[Search], "look up"),
            Control::new(&[Compare], "compare"),
            Control::new(&[Restart], "reset"),
        ]);
        controls
    }
}

impl Screen for RingLab {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        if let Some(effect) = self.edit_lookup(input) {
            return effect;
        }
        let Input::Action(action) = input else {
            return Effect::Ignored;
        };
        let nodes = self.model.setup.nodes.len();
        match action {
            Action::NextAlgo => self.cycle_algo(true),
            Action::PrevAlgo => self.cycle_algo(false),
            Action::More => self.vnodes(true),
            Action::Less => self.vnodes(false),
            Action::Longer => self.set(|s| s.keys = step(&KEYS, s.keys, true)),
            Action::Shorter => self.set(|s| s.keys = step(&KEYS, s.keys, false)),
            Action::AddItem => self.add_node(),
            Action::RemoveItem => self.remove_node(),
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                Effect::Redraw
            }
            Action::Down => {
                self.selected = (self.selected + 1).min(nodes.saturating_sub(1));
                Effect::Redraw
            }
            Action::Compare => {
                let on = self.model.comparison.is_none();
                let result = self.model.compare(on);
                self.settled(result)
            }
            Action::Search => {
                let text = self.lookup.take().map(|l| l.text).unwrap_or_default();
                self.lookup = Some(Lookup { text, typing: true });
                Effect::Redraw
            }
            Action::Back if self.lookup.is_some() => {
                self.lookup = None;
                Effect::Redraw
            }
            Action::Restart => {
                let compare = self.model.comparison.is_some();
                self.model = first_model();
                let result = self.model.compare(compare);
                self.selected = 0;
                self.settled(result)
            }
            _ => Effect::Ignored,
        }
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
    }

    fn typing(&self) -> bool {
        self.lookup.as_ref().is_some_and(|l| l.typing)
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let crumbs = ["labs", super::title(Lab::HashRing)];
        let theme = &shared.theme;
        let chrome = Chrome::new(&crumbs);
        let (setup, controls) = (self.setup_line(), self.controls());
        let rest = lab_frame(area, buf, shared, chrome, setup, &controls);
        let lookup_h = if self.lookup.is_some() { 5 } else { 0 };
        let [main, bottom] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(lookup_h)]).areas(rest);
        // The ring gets a square; the comparison table needs more of the width than the bars.
        let share = if self.model.comparison.is_some() {
            35
        } else {
            45
        };
        let canvas_w = (main.height.saturating_sub(2) * 2 + 2).min(main.width * share / 100);
        let [left, right] =
            Layout::horizontal([Constraint::Length(canvas_w), Constraint::Min(0)]).areas(main);

        let model = &self.model;
        let ring = panel(" Ring ", theme, false).title_bottom(Line::styled(
            format!(" {} ", caption(model.setup.algo, theme)),
            theme.muted,
        ));
        let canvas = boxed(ring, left, buf);
        let lookup = self
            .lookup
            .as_ref()
            .filter(|l| !l.text.is_empty())
            .map(|l| crate::sim::hash_ring::hash(l.text.as_bytes(), model.setup.seed));
        RingView {
            model,
            theme,
            selected: model.setup.nodes.get(self.selected).map(String::as_str),
            lookup,
        }
        .render(canvas, buf);

        if model.comparison.is_some() {
            panels::compare(right, buf, model, theme);
        } else {
            let [top, below] =
                Layout::vertical([Constraint::Min(3), Constraint::Length(panels::BALANCE_ROWS)])
                    .areas(right);
            panels::loads(top, buf, model, theme, self.selected);
            panels::balance(below, buf, model, theme);
        }
        if let Some(l) = &self.lookup {
            panels::lookup(bottom, buf, model, theme, (&l.text, l.typing));
        }
    }
}
