//! The labs: live simulations of the mechanisms the notes teach. This module is the small menu
//! that lists them; each lab is its own screen.

pub mod balancer;
pub mod cache;
mod common;
pub mod limiter;
pub mod quorum;
pub mod ring;

use crate::tui::screens::Screen;
use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use self::common::{boxed, panel};
use crate::content::Lab;
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input, Nav};
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{marker, put_line, row_style, truncate, visible_rows};

pub const SCOPES: &[Scope] = &[Scope::List];

/// A lab's name as menus and breadcrumbs show it.
pub fn title(lab: Lab) -> &'static str {
    match lab {
        Lab::HashRing => "Hash ring",
        Lab::RateLimiter => "Rate limiter",
        Lab::CacheEviction => "Cache eviction",
        Lab::Quorum => "Replication and quorums",
        Lab::LoadBalancer => "Load balancer",
    }
}

/// What a lab lets you do, in one line.
pub fn summary(lab: Lab) -> &'static str {
    match lab {
        Lab::HashRing => "five consistent-hashing schemes: add and remove nodes, see what moves",
        Lab::RateLimiter => "seven rate limiters on live or hand-fired traffic, side by side",
        Lab::CacheEviction => "LRU, FIFO, LFU, ARC and 2Q against Belady's optimum on one trace",
        Lab::Quorum => {
            "N, R and W on a replicated register: crash nodes, split the network, read stale"
        }
        Lab::LoadBalancer => "six balancers, one fleet: latency tails, slow and failing servers",
    }
}

/// The lab a question was made in, opened in that question's configuration.
pub fn open_at(shared: Rc<Shared>, setup: crate::sim::ask::LabSetup) -> Box<dyn Screen> {
    use crate::sim::ask::LabSetup;
    match setup {
        LabSetup::Ring {
            nodes,
            vnodes,
            keys,
            seed,
            change,
        } => Box::new(ring::RingLab::at(
            shared,
            (nodes, vnodes, keys, seed),
            change,
        )),
        LabSetup::Limiter {
            algos,
            limit,
            window,
            traffic,
        } => Box::new(limiter::LimiterLab::at(
            shared,
            algos,
            (limit, window),
            traffic,
        )),
    }
}

/// The menu of labs: a list to pick one from.
pub struct LabsScreen {
    shared: Rc<Shared>,
    cursor: Cursor,
}

impl LabsScreen {
    pub fn new(shared: Rc<Shared>) -> Self {
        LabsScreen {
            shared,
            cursor: Cursor::default(),
        }
    }
}

impl Screen for LabsScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        let Input::Action(action) = input else {
            return Effect::Ignored;
        };
        let len = Lab::ALL.len();
        match action {
            Action::Up => self.cursor.step(-1, len),
            Action::Down => self.cursor.step(1, len),
            Action::Top => self.cursor.first(),
            Action::Bottom => self.cursor.last(len),
            Action::Open => {
                return match Lab::ALL.get(self.cursor.selected) {
                    Some(&lab) => Effect::Go(Nav::Lab(lab)),
                    None => Effect::None,
                };
            }
            _ => return Effect::Ignored,
        }
        Effect::Redraw
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let body = frame(area, buf, shared, Chrome::new(&["labs"]));
        let inner = boxed(panel(" Labs ", theme, true), body, buf);
        let width = usize::from(inner.width);
        let list = Rect {
            height: inner.height.saturating_sub(1),
            ..inner
        };
        for (i, y) in visible_rows(list, &self.cursor, Lab::ALL.len(), 3) {
            let lab = Lab::ALL[i];
            let sel = i == self.cursor.selected;
            let style = row_style(buf, list, y, 2, sel, theme);
            let name = Line::from(vec![
                Span::styled(marker(sel), theme.accent),
                Span::styled(title(lab), style.patch(theme.strong)),
            ]);
            put_line(buf, list, y, &name);
            let about = truncate(summary(lab), width.saturating_sub(3));
            put_line(
                buf,
                list,
                y + 1,
                &Line::styled(format!("  {about}"), theme.muted),
            );
        }
        let key = shared
            .keymap
            .key_for(Action::OpenLab)
            .map(|k| k.to_string())
            .unwrap_or_default();
        let hint = format!("  Notes about these mechanisms open their lab with {key}.");
        // Under the list, or on the last row when the list fills the panel.
        let y = (inner.y + 3 * Lab::ALL.len() as u16).min(inner.bottom().saturating_sub(1));
        put_line(buf, inner, y, &Line::styled(hint, theme.muted));
    }
}
