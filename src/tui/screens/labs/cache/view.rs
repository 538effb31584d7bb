//! Drawing the cache lab: the header, a table of the policies (each with its chart glyph, its
//! counts, the latest outcome and what it holds), and the hit ratio over time as glyphs on a
//! grid, so the chart reads without colour.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::CacheLab;
use super::run::Lane;
use crate::content::Lab;
use crate::sim::cache::Policy;
use crate::tui::keymap::Action;
use crate::tui::screens::labs::common::{
    Control, boxed, lab_frame, panel, percent, series, thousands,
};
use crate::tui::screens::labs::title;
use crate::tui::widgets::chrome::Chrome;
use crate::tui::widgets::{put_line, truncate};

/// Caches larger than this show a count instead of their keys.
const LISTED: usize = 16;
/// Columns of the chart's y-axis labels.
const AXIS: u16 = 5;
/// Fewer rows than this (axis included) cannot tell one hit ratio from another.
const MIN_CHART_ROWS: u16 = 4;

/// The glyph a policy is plotted with, distinct without colour.
fn glyph(policy: Policy) -> &'static str {
    match policy {
        Policy::Opt => "O",
        Policy::Lru => "L",
        Policy::Fifo => "F",
        Policy::Lfu => "U",
        Policy::Arc => "A",
        Policy::TwoQ => "2",
    }
}

impl CacheLab {
    fn setup_line(&self) -> Line<'static> {
        let theme = &self.shared.theme;
        let setup = &self.setup;
        Line::from(vec![
            Span::styled(format!(" capacity {}", setup.capacity), theme.title),
            Span::styled(
                format!(" · {}", setup.shape.describe(setup.keys, setup.skew)),
                theme.base,
            ),
            Span::styled(
                format!(" · {} requests", thousands(setup.length as u64)),
                theme.muted,
            ),
        ])
    }

    fn controls() -> Vec<Control> {
        use Action::*;
        vec![
            Control::new(&[More, Less], "capacity"),
            Control::new(&[Longer, Shorter], "skew"),
            Control::new(&[Traffic], "trace"),
            Control::new(&[PlayPause], "play"),
            Control::new(&[Step], "step"),
            Control::new(&[Faster, Slower], "speed"),
            Control::new(&[Restart], "restart"),
        ]
    }

    fn status(&self) -> String {
        let state = match (self.playback.playing(), self.run.finished()) {
            (true, _) => format!("▶ {}/tick", self.playback.speed()),
            (false, true) => "■ done".to_string(),
            (false, false) => "⏸ paused".to_string(),
        };
        format!(
            "{state} · {}/{}",
            thousands(self.run.position as u64),
            thousands(self.run.trace.requests.len() as u64)
        )
    }

    /// One row per policy: glyph, name, hits, misses, hit ratio, the latest outcome, contents.
    fn render_table(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let title = match self.run.last_key() {
            Some(key) => format!(" Policies · request {}: key {key} ", self.run.position),
            None => " Policies ".to_string(),
        };
        let inner = boxed(panel(title, theme, true), area, buf);
        if inner.is_empty() {
            return;
        }
        let header = "  policy    hits  misses   ratio  last  holds";
        put_line(buf, inner, inner.y, &Line::styled(header, theme.muted));
        for (i, lane) in self.run.lanes.iter().enumerate() {
            let y = inner.y + 1 + i as u16;
            put_line(
                buf,
                inner,
                y,
                &self.lane_line(lane, series(theme, i), inner.width),
            );
        }
    }

    fn lane_line(&self, lane: &Lane, style: Style, width: u16) -> Line<'static> {
        let theme = &self.shared.theme;
        let policy = lane.cache.policy();
        let tally = &lane.tally;
        let (last, last_style) = match lane.last {
            Some(true) => ("hit ", theme.ok),
            Some(false) => ("miss", theme.error),
            None => ("    ", theme.muted),
        };
        let figures = format!(
            " {:<5}{:>7} {:>7} {:>7}  ",
            policy.label(),
            thousands(tally.hits),
            thousands(tally.misses),
            percent(tally.hit_ratio())
        );
        let contents = lane.cache.contents();
        let holds = match self.setup.capacity.get() <= LISTED {
            true => contents
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(" "),
            false => format!("{} keys", contents.len()),
        };
        let used = 2 + figures.chars().count() + 6;
        let room = usize::from(width).saturating_sub(used);
        Line::from(vec![
            Span::styled(format!(" {}", glyph(policy)), style.patch(theme.strong)),
            Span::styled(figures, theme.base),
            Span::styled(last, last_style),
            Span::raw("  "),
            Span::styled(truncate(&holds, room), theme.muted),
        ])
    }

    /// The hit ratio of each window so far, each policy as its glyph, over a 0–100% axis.
    fn render_chart(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let title = format!(" Hit ratio per {} requests ", self.run.window);
        let inner = boxed(panel(title, theme, false), area, buf);
        if inner.width <= AXIS || inner.is_empty() {
            return;
        }
        if inner.height < MIN_CHART_ROWS {
            let note = Line::styled("a taller terminal shows the chart", theme.muted);
            put_line(buf, inner, inner.y, &note);
            return;
        }
        let rows = inner.height - 1;
        for (label, row) in [("100%", 0), (" 50%", (rows - 1) / 2), ("  0%", rows - 1)] {
            put_line(buf, inner, inner.y + row, &Line::styled(label, theme.muted));
        }
        let plot = Rect {
            x: inner.x + AXIS,
            width: inner.width - AXIS,
            height: rows,
            ..inner
        };
        let axis = "─".repeat(usize::from(plot.width));
        put_line(
            buf,
            Rect {
                y: plot.bottom(),
                height: 1,
                ..plot
            },
            plot.bottom(),
            &Line::styled(axis, theme.border),
        );
        let points = self.setup.points.max(1);
        // OPT last, so the bound is never hidden under another policy's glyph.
        for (i, lane) in self.run.lanes.iter().enumerate().rev() {
            let style = series(theme, i).patch(theme.strong);
            for (w, ratio) in lane.tally.window_ratios().into_iter().enumerate() {
                let x = plot.x + (w as u64 * u64::from(plot.width) / points) as u16;
                let up = (ratio.clamp(0.0, 1.0) * f64::from(rows - 1)).round() as u16;
                if x < plot.right() {
                    buf[(x, plot.bottom() - 1 - up)]
                        .set_symbol(glyph(lane.cache.policy()))
                        .set_style(style);
                }
            }
        }
    }

    /// Draws the screen; the [`Screen`](crate::tui::screens::Screen) impl calls it.
    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let crumbs = ["labs", title(Lab::CacheEviction)];
        let status = self.status();
        let chrome = Chrome::new(&crumbs).status(&status);
        let controls = Self::controls();
        let rest = lab_frame(area, buf, shared, chrome, self.setup_line(), &controls);
        let table_h = (self.run.lanes.len() as u16 + 3).min(rest.height);
        let [table, chart] =
            Layout::vertical([Constraint::Length(table_h), Constraint::Min(0)]).areas(rest);
        self.render_table(table, buf);
        self.render_chart(chart, buf);
    }
}
