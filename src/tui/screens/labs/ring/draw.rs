//! The ring in braille: the hash space as a circle coloured by the node that owns each stretch,
//! virtual nodes as ticks outside it, a sample of keys inside coloured by the node that got
//! them, and the looked-up key as a spoke from the centre.

use std::f64::consts::TAU;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::widgets::Widget;
use ratatui::widgets::canvas::{Canvas, Context, Line as Segment, Points};

use super::model::Model;
use crate::sim::hash_ring::Algo;
use crate::tui::screens::labs::common::{colour, series, square};
use crate::tui::theme::{Theme, ThemeName};

/// Keys drawn: a sample is enough to show who owns what; all of them would be one smear.
const SAMPLE_KEYS: usize = 600;
/// Points probed around the rim to colour it by owner; more than the dots it covers.
const RIM_PROBES: u64 = 1024;
/// Canvas coordinates reach past the unit circle so the ticks fit.
const BOUND: f64 = 1.3;
/// Owner labels around the rim in monochrome: one per stretch of the ring.
const MONO_LABELS: u64 = 32;

/// The number in a node's name (`node-7` is 7), or 0: its colour and its monochrome label.
fn node_number(name: &str) -> usize {
    name.rsplit('-')
        .next()
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0)
}

/// The colour of a node, by the number in its name, so it keeps its colour when others leave.
pub fn node_style(theme: &Theme, name: &str) -> Style {
    series(theme, node_number(name))
}

/// One line under the ring saying what the picture means for this scheme. Without colours the
/// rim is written as node numbers instead, and the caption says so.
pub fn caption(algo: Algo, theme: &Theme) -> &'static str {
    match algo {
        Algo::Ring if theme.name == ThemeName::Mono => "ticks vnodes · digits owners",
        Algo::Ring => "ticks vnodes · dots keys",
        Algo::Bounded => "full nodes pass keys on",
        Algo::Jump => "no ring: jumps by hash",
        Algo::Rendezvous => "no ring: top score wins",
        Algo::Maglev => "no ring: table lookup",
    }
}

/// The ring canvas for one frame.
pub struct RingView<'a> {
    pub model: &'a Model,
    pub theme: &'a Theme,
    /// The node whose ticks stand out (the one `x` would remove).
    pub selected: Option<&'a str>,
    /// The hash of the key being looked up.
    pub lookup: Option<u64>,
}

/// Where a hash sits on a circle of radius `r`: zero at the top, growing clockwise.
fn at(hash: u64, r: f64) -> (f64, f64) {
    let angle = hash as f64 / 2f64.powi(64) * TAU;
    (r * angle.sin(), r * angle.cos())
}

impl RingView<'_> {
    /// Points grouped by node, so each group is drawn in one colour.
    fn by_node(&self, items: impl Iterator<Item = (usize, (f64, f64))>) -> Vec<Vec<(f64, f64)>> {
        let mut groups = vec![Vec::new(); self.model.setup.nodes.len()];
        for (node, point) in items {
            if let Some(group) = groups.get_mut(node) {
                group.push(point);
            }
        }
        groups
    }

    fn draw_groups(&self, ctx: &mut Context<'_>, groups: &[Vec<(f64, f64)>]) {
        for (node, coords) in groups.iter().enumerate() {
            let style = node_style(self.theme, &self.model.setup.nodes[node]);
            ctx.draw(&Points::new(coords, colour(style)));
        }
    }

    fn paint(&self, ctx: &mut Context<'_>) {
        let mono = self.theme.name == ThemeName::Mono;
        if mono {
            self.label_rim(ctx);
        } else {
            self.colour_rim(ctx);
        }
        self.paint_ticks(ctx);
        // Keys only tell their owner by colour: without colours they would be one grey smear.
        if !mono {
            self.paint_keys(ctx);
        }
        if let Some(hash) = self.lookup {
            ctx.layer();
            let (x, y) = at(hash, 1.0);
            ctx.draw(&Segment::new(0.0, 0.0, x, y, colour(self.theme.base)));
        }
    }

    /// The rim in the colour of the node that owns each point of it.
    fn colour_rim(&self, ctx: &mut Context<'_>) {
        let model = self.model;
        let step = u64::MAX / RIM_PROBES;
        let rim = (0..RIM_PROBES).map(|i| {
            let hash = i * step;
            (model.placement.node_for(hash).index(), at(hash, 1.0))
        });
        self.draw_groups(ctx, &self.by_node(rim));
        ctx.layer();
    }

    /// The rim as node numbers, one per stretch: the owner of the stretch's middle, so the
    /// interleaving of virtual nodes reads without colour.
    fn label_rim(&self, ctx: &mut Context<'_>) {
        let model = self.model;
        let step = u64::MAX / MONO_LABELS;
        for i in 0..MONO_LABELS {
            let hash = i * step + step / 2;
            let owner = &model.setup.nodes[model.placement.node_for(hash).index()];
            let (x, y) = at(hash, 0.92);
            ctx.print(x, y, node_number(owner).to_string());
        }
        ctx.layer();
    }

    fn paint_ticks(&self, ctx: &mut Context<'_>) {
        let model = self.model;

        if let Some(ring) = &model.ring {
            for (&point, vnode) in ring.points().iter().zip(ring.owners()) {
                let name = &model.setup.nodes[vnode.node.index()];
                let outer = if self.selected == Some(name.as_str()) {
                    1.28
                } else {
                    1.16
                };
                let (x1, y1) = at(point, 1.06);
                let (x2, y2) = at(point, outer);
                let style = node_style(self.theme, name);
                ctx.draw(&Segment::new(x1, y1, x2, y2, colour(style)));
            }
            ctx.layer();
        }
    }

    /// A sample of keys inside the rim, in their owner's colour. Keys spread over a band by a
    /// few hash bits, so neighbours do not hide each other.
    fn paint_keys(&self, ctx: &mut Context<'_>) {
        let model = self.model;
        let keys = model.keys.iter().zip(&model.owners).take(SAMPLE_KEYS);
        let dots = keys.map(|(&key, owner)| {
            let r = 0.5 + 0.38 * ((key >> 7) & 0xff) as f64 / 255.0;
            (owner.index(), at(key, r))
        });
        self.draw_groups(ctx, &self.by_node(dots));
    }
}

impl Widget for RingView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = square(area);
        if area.is_empty() {
            return;
        }
        Canvas::default()
            .marker(Marker::Braille)
            .x_bounds([-BOUND, BOUND])
            .y_bounds([-BOUND, BOUND])
            .paint(|ctx| self.paint(ctx))
            .render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_go_clockwise_from_the_top() {
        let (x, y) = at(0, 1.0);
        assert!(x.abs() < 1e-9 && (y - 1.0).abs() < 1e-9);
        let (x, y) = at(u64::MAX / 4, 1.0);
        assert!((x - 1.0).abs() < 1e-6 && y.abs() < 1e-6);
    }

    /// The ring drawn `theme`'s way into a 40x20 buffer, as text.
    fn drawn(theme: &Theme) -> String {
        let model = Model::new(super::super::model::Setup::default()).unwrap();
        let area = Rect::new(0, 0, 40, 20);
        let mut buf = Buffer::empty(area);
        RingView {
            model: &model,
            theme,
            selected: None,
            lookup: None,
        }
        .render(area, &mut buf);
        buf.content()
            .iter()
            .map(ratatui::buffer::Cell::symbol)
            .collect()
    }

    #[test]
    fn without_colours_the_rim_names_its_owners() {
        let digits = |text: &str| text.chars().filter(char::is_ascii_digit).count();
        // In colour the owners are hues and the keys are dots; the rim has no numbers.
        assert_eq!(digits(&drawn(&Theme::dark())), 0);
        let mono = drawn(&Theme::mono());
        assert_eq!(
            digits(&mono),
            MONO_LABELS as usize,
            "one owner per stretch:\n{mono}"
        );
        let owners: std::collections::HashSet<char> =
            mono.chars().filter(char::is_ascii_digit).collect();
        assert!(owners.len() >= 4, "several nodes own stretches: {owners:?}");
        assert_eq!(
            caption(Algo::Ring, &Theme::mono()),
            "ticks vnodes · digits owners"
        );
    }

    #[test]
    fn nodes_keep_their_colour_by_name() {
        let theme = Theme::dark();
        assert_eq!(node_style(&theme, "node-7"), series(&theme, 7));
        assert_eq!(node_style(&theme, "web"), series(&theme, 0));
    }
}
