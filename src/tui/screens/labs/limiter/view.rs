//! Drawing the rate-limiter lab: the header, one limiter in full (timeline, gauges,
//! statistics) or two to four stacked on one time axis.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use super::run::{self, Lane};
use super::{LimiterLab, panels, timeline};
use crate::content::Lab;
use crate::sim::time::format_duration;
use crate::tui::keymap::Action;
use crate::tui::screens::labs::common::{Control, boxed, lab_frame, panel, series};
use crate::tui::screens::labs::title;
use crate::tui::widgets::chrome::Chrome;
use crate::tui::widgets::put_line;

impl LimiterLab {
    fn traffic_text(&self) -> String {
        match &self.run.traffic {
            Some(t) => t.describe(),
            None => "by hand only".to_string(),
        }
    }

    fn setup_line(&self) -> Line<'static> {
        let theme = &self.shared.theme;
        let what = if self.compare {
            Span::styled(format!(" {} limiters", self.algos.len()), theme.title)
        } else {
            Span::styled(format!(" {}", self.algos[0].title()), theme.title)
        };
        let params = match self.run.lanes.as_slice() {
            [only] => format!(" · {}", only.limiter.describe()),
            _ => String::new(),
        };
        // The parameters last: a narrow terminal cuts them rather than the traffic.
        Line::from(vec![
            what,
            Span::styled(format!(" · {}", self.quota.describe()), theme.base),
            Span::styled(format!(" · {}", self.traffic_text()), theme.base),
            Span::styled(params, theme.muted),
        ])
    }

    fn controls(&self) -> Vec<Control> {
        use Action::*;
        let mut controls = vec![
            Control::new(&[NextAlgo], "algorithm"),
            Control::new(&[More, Less], "limit"),
            Control::new(&[Longer, Shorter], "window"),
            Control::new(&[Traffic], "traffic"),
            Control::new(&[PlayPause], "play"),
            Control::new(&[Step], "step"),
            Control::new(&[Faster, Slower], "speed"),
            Control::new(&[Fire], "fire"),
            Control::new(&[Burst], "burst"),
            Control::new(&[Compare], "compare"),
        ];
        if self.compare {
            controls.push(Control::new(&[AddItem, RemoveItem], "lane"));
            controls.push(Control::new(&[Down, Up], "select"));
        }
        controls.push(Control::new(&[Restart], "restart"));
        controls
    }

    fn status(&self) -> String {
        let state = if self.playback.playing() {
            format!("▶ {}×", self.playback.speed())
        } else {
            "⏸ paused".to_string()
        };
        format!("{state} · t = {}", format_duration(self.run.now))
    }

    /// One limiter in full: its timeline on the left, its gauges and statistics on the right.
    fn render_single(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let Some(lane) = self.run.lanes.first() else {
            return;
        };
        let side_w = if area.width >= 100 { 38 } else { 32 };
        let [left, side] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(side_w)]).areas(area);
        let title = Line::from(vec![
            Span::styled(" Requests ", theme.title),
            Span::styled(format!("{} admitted ", timeline::ADMITTED), theme.ok),
            Span::styled(format!("{} queued ", timeline::QUEUED), theme.warn),
            Span::styled(format!("{} rejected ", timeline::REJECTED), theme.error),
        ]);
        let inner = boxed(panel(title, theme, true), left, buf);
        let [marks, label, level, axis] = Layout::vertical([
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(3),
            Constraint::Length(2),
        ])
        .areas(inner);
        timeline::marks(marks, buf, &self.run, lane, theme);
        self.gauge_label(label, buf, lane);
        timeline::level(level, buf, &self.run, lane, theme.accent);
        timeline::axis(axis, buf, &self.run, Some(lane.limiter.algo()), theme);

        let state_h = panels::gauge_rows(&self.run, lane) + 2;
        let [state, stats] =
            Layout::vertical([Constraint::Length(state_h), Constraint::Min(0)]).areas(side);
        let inner = boxed(panel(" State ", theme, false), state, buf);
        panels::gauges(inner, buf, &self.run, lane, theme);
        let inner = boxed(panel(" Statistics ", theme, false), stats, buf);
        panels::statistics(inner, buf, &self.run, lane, theme);
    }

    /// What the level line plots, over the line.
    fn gauge_label(&self, area: Rect, buf: &mut Buffer, lane: &Lane) {
        let theme = &self.shared.theme;
        let gauges = lane.limiter.gauges(self.run.now);
        if let Some(g) = run::plotted(&gauges) {
            let text = format!(
                "{} over time, 0 to {} · now {}",
                g.label,
                panels::amount(g.max.unwrap_or(0.0), g.unit),
                panels::amount(g.value, g.unit)
            );
            put_line(buf, area, area.y, &Line::styled(text, theme.muted));
        }
    }

    /// Two to four limiters stacked on one time axis, the focused one marked.
    fn render_compare(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let inner = boxed(panel(" Same traffic, stacked ", theme, true), area, buf);
        let [lanes, axis] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(2)]).areas(inner);
        let n = self.run.lanes.len().max(1) as u16;
        let each = lanes.height / n;
        for (i, lane) in self.run.lanes.iter().enumerate() {
            let area = Rect {
                y: lanes.y + i as u16 * each,
                height: each,
                ..lanes
            };
            if area.height == 0 {
                continue;
            }
            let style = series(theme, i);
            let focused = i == self.focus;
            let mut heading = panels::summary(&self.run, lane, theme, style);
            heading.spans.insert(
                0,
                Span::styled(if focused { "▸ " } else { "  " }, theme.accent),
            );
            if focused {
                buf.set_style(Rect { height: 1, ..area }, theme.selection);
            }
            put_line(buf, area, area.y, &heading);
            let rows = area.height - 1;
            let level_h = match rows {
                0 | 1 => 0,
                2 | 3 => 1,
                _ => 2,
            };
            let [marks, level] =
                Layout::vertical([Constraint::Min(0), Constraint::Length(level_h)]).areas(Rect {
                    y: area.y + 1,
                    height: rows,
                    ..area
                });
            timeline::marks(marks, buf, &self.run, lane, theme);
            timeline::level(level, buf, &self.run, lane, style);
        }
        timeline::axis(axis, buf, &self.run, None, theme);
    }
}

impl LimiterLab {
    /// Draws the screen; the [`Screen`](crate::tui::screens::Screen) impl calls it.
    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let crumbs = ["labs", title(Lab::RateLimiter)];
        let status = self.status();
        let chrome = Chrome::new(&crumbs).status(&status);
        let (setup, controls) = (self.setup_line(), self.controls());
        let rest = lab_frame(area, buf, shared, chrome, setup, &controls);
        if self.compare {
            self.render_compare(rest, buf);
        } else {
            self.render_single(rest, buf);
        }
    }
}
