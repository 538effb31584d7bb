//! Drawing the load-balancer lab: the header, a table of every algorithm's latency percentiles
//! and errors, the focused algorithm's servers with their queue over time as block heights (so
//! the picture reads without colour), and, when there is room, what theory expects.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};

use super::BalancerLab;
use super::run::{LabRun, MEAN_SERVICE, SLICE};
use crate::content::Lab;
use crate::sim::balancer::{
    Algo, Failure, Kind, Latency, mm1_mean_response, two_choices_mean_response,
};
use crate::sim::time::{Nanos, format_duration, format_short};
use crate::tui::keymap::Action;
use crate::tui::screens::labs::common::{Control, boxed, lab_frame, panel, percent, thousands};
use crate::tui::screens::labs::title;
use crate::tui::widgets::chrome::Chrome;
use crate::tui::widgets::{marker, put_line};

/// Block heights for a queue length, from empty to the panel's scale.
const RAMP: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
/// Columns left and right of a server's history: name, kind and state; outstanding,
/// requests and busy share.
const LEFT: u16 = 10;
const RIGHT: u16 = 19;
/// Rows the theory panel needs to be worth drawing (borders included).
const NOTES_ROWS: u16 = 5;

/// A server's kind as a glyph, so slow and failing servers read without colour.
fn kind_glyph(kind: Kind) -> &'static str {
    match kind {
        Kind::Normal => " ",
        Kind::Slow => "~",
        Kind::Failing => "!",
    }
}

impl BalancerLab {
    fn setup_line(&self) -> Line<'static> {
        let theme = &self.shared.theme;
        let setup = &self.setup;
        let config = setup.config();
        let fleet = &config.fleet;
        let mut marked = Vec::new();
        if fleet.slow > 0 {
            marked.push(format!("{} slow {}x", fleet.slow, fleet.slowdown));
        }
        if fleet.failing > 0 {
            marked.push(match fleet.failure {
                Failure::Fast => format!("{} refusing", fleet.failing),
                Failure::Timeout => {
                    format!(
                        "{} hanging {}",
                        fleet.failing,
                        format_duration(fleet.timeout)
                    )
                }
            });
        }
        let fleet = marked;
        let fleet = match fleet.is_empty() {
            true => "all healthy".to_string(),
            false => fleet.join(", "),
        };
        Line::from(vec![
            Span::styled(
                format!(
                    " {} servers · {:.0}% load",
                    setup.servers,
                    100.0 * setup.utilisation
                ),
                theme.title,
            ),
            Span::styled(
                format!(
                    " · {:.0} req/s · {} {} service",
                    config.shape.offered_per_second(),
                    format_duration(MEAN_SERVICE),
                    setup.service.name()
                ),
                theme.base,
            ),
            Span::styled(format!(" · {fleet}"), theme.muted),
        ])
    }

    fn controls() -> Vec<Control> {
        use Action::*;
        vec![
            Control::new(&[More, Less], "load"),
            Control::new(&[AddItem, RemoveItem], "server"),
            Control::new(&[SlowServer], "slow"),
            Control::new(&[FailServer], "failing"),
            Control::new(&[Traffic], "service"),
            Control::new(&[NextAlgo], "focus"),
            Control::new(&[PlayPause], "play"),
            Control::new(&[Step], "step"),
            Control::new(&[Faster, Slower], "speed"),
            Control::new(&[Restart], "restart"),
        ]
    }

    fn status(&self) -> String {
        let Some(run) = &self.run else {
            return String::new();
        };
        let state = match (self.playback.playing(), run.finished()) {
            (true, _) => format!(
                "▶ {}/tick",
                format_duration(self.playback.speed() * 1_000_000)
            ),
            (false, true) => "■ done".to_string(),
            (false, false) => "⏸ paused".to_string(),
        };
        format!(
            "{state} · t = {} · {}/{}",
            format_short(run.now),
            thousands(run.arrived() as u64),
            thousands(run.total() as u64)
        )
    }

    /// One row per algorithm: latency percentiles of the answered requests and the errors.
    fn render_table(&self, run: &LabRun, area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let inner = boxed(panel(" Latency ", theme, true), area, buf);
        if inner.is_empty() {
            return;
        }
        let header = format!(
            "  {:<13}{:>7}{:>7}{:>7}{:>7}{:>7}{:>7}{:>7}",
            "algorithm", "p50", "p90", "p99", "p99.9", "max", "mean", "errors"
        );
        put_line(buf, inner, inner.y, &Line::styled(header, theme.muted));
        for (i, (lane, latency)) in run.run.lanes.iter().zip(&run.latency).enumerate() {
            let focused = i == self.focus;
            let style = match focused {
                true => theme.strong,
                false => theme.base,
            };
            let line = Line::from(vec![
                Span::styled(marker(focused), theme.accent),
                Span::styled(format!("{:<13}", lane.algo().label()), style),
                Span::styled(figures(latency), style),
                Span::styled(format!("{:>7}", thousands(lane.errors)), theme.base),
            ]);
            put_line(buf, inner, inner.y + 1 + i as u16, &line);
        }
    }

    /// The focused algorithm's servers: kind, whether in rotation, outstanding requests over
    /// time as block heights against a shared scale, and the figures now.
    fn render_servers(&self, run: &LabRun, area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let lane = &run.run.lanes[self.focus];
        let history = &run.history[self.focus];
        let inner_width = area.width.saturating_sub(2);
        let shown = usize::from(inner_width.saturating_sub(LEFT + RIGHT));
        let scale = history
            .iter()
            .flat_map(|h| h.iter().rev().take(shown))
            .copied()
            .max()
            .unwrap_or(0)
            .max(4);
        let title = format!(
            " Servers under {} · queue every {}, █ = {scale}+ ",
            lane.algo().label(),
            format_duration(SLICE)
        );
        let block = panel(title, theme, false).title_bottom(
            Line::styled(
                " ~ slow · ! failing · in flight · requests · busy ",
                theme.muted,
            )
            .right_aligned(),
        );
        let inner = boxed(block, area, buf);
        if inner.is_empty() {
            return;
        }
        let fleet = &run.run.config.fleet;
        let rows = usize::from(inner.height);
        let servers = lane.servers.len();
        let fit = match servers > rows {
            true => rows.saturating_sub(1),
            false => servers,
        };
        let elapsed = run.now.min(run.run.workload.span()).max(1);
        for (index, server) in lane.servers.iter().enumerate().take(fit) {
            let stats = &lane.stats[index];
            let kind = fleet.kind(index);
            let state = match server.in_rotation {
                true => "   ",
                false => "out",
            };
            let samples = &history[index];
            let bars: String = samples[samples.len().saturating_sub(shown)..]
                .iter()
                .map(|&q| RAMP[((q as usize * 8).div_ceil(scale as usize)).min(8)])
                .collect();
            let busy = (stats.busy as f64 / elapsed as f64).min(1.0);
            let line = Line::from(vec![
                Span::styled(format!("s{index:<3}"), theme.base),
                Span::styled(format!("{} {state} ", kind_glyph(kind)), theme.warn),
                Span::styled(format!("{bars:<shown$}"), theme.accent),
                Span::styled(
                    format!(
                        " {:>4} {:>7} {:>5}",
                        server.outstanding,
                        thousands(stats.requests),
                        percent(busy)
                    ),
                    theme.base,
                ),
            ]);
            put_line(buf, inner, inner.y + index as u16, &line);
        }
        if fit < servers {
            let more = format!(
                "  {} more servers: a taller terminal shows them",
                servers - fit
            );
            put_line(
                buf,
                inner,
                inner.y + fit as u16,
                &Line::styled(more, theme.muted),
            );
        }
    }

    /// What theory and the fleet's settings say, next to the measured figures.
    fn notes(&self, run: &LabRun) -> Vec<String> {
        let setup = &self.setup;
        let config = &run.run.config;
        let rho = setup.utilisation;
        let mean = |algo: Algo| {
            let i = Algo::ALL.iter().position(|&a| a == algo).unwrap_or(0);
            format_short(run.latency[i].mean_ns.round() as Nanos)
        };
        let service = MEAN_SERVICE as f64;
        let mut notes = Vec::new();
        if config.textbook() {
            if let Some(m) = mm1_mean_response(service, rho) {
                notes.push(format!(
                    "random: each server is an M/M/1 queue at {:.0}%, mean 10ms/(1-{rho}) = {}; measured {}",
                    100.0 * rho,
                    format_short(m.round() as Nanos),
                    mean(Algo::Random)
                ));
            }
            if let Some(m) = two_choices_mean_response(service, rho) {
                notes.push(format!(
                    "two choices: the supermarket model gives a mean of {} as the fleet grows; measured {}",
                    format_short(m.round() as Nanos),
                    mean(Algo::TwoChoices)
                ));
            }
        } else {
            notes.push(
                "slow servers, failures or non-exponential service: no textbook formula applies"
                    .to_string(),
            );
        }
        let fleet = &config.fleet;
        if fleet.slow > 0 {
            let capacity = fleet.capacity();
            notes.push(format!(
                "{} slow: the fleet serves like {capacity} normal servers, so the real load is {:.0}%",
                fleet.slow,
                100.0 * rho * setup.servers as f64 / capacity
            ));
        }
        for server in 0..fleet.failing {
            let down = fleet.first_outage(server);
            notes.push(format!(
                "s{server} down {}–{}, again every {}; checks every {}: out after {} fails, back after {} passes",
                format_short(down),
                format_short(down + fleet.outage),
                format_short(fleet.period),
                format_duration(fleet.health.interval),
                fleet.health.fall,
                fleet.health.rise
            ));
        }
        if rho >= 1.0 {
            notes.push("more is offered than the fleet can serve: every queue grows".to_string());
        }
        notes
    }

    fn render_notes(&self, notes: &[String], area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let inner = boxed(panel(" What theory says ", theme, false), area, buf);
        for (i, note) in notes.iter().enumerate().take(usize::from(inner.height)) {
            let line = Line::styled(format!(" {note}"), theme.muted);
            put_line(buf, inner, inner.y + i as u16, &line);
        }
    }

    /// Draws the screen; the [`Screen`](crate::tui::screens::Screen) impl calls it.
    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let crumbs = ["labs", title(Lab::LoadBalancer)];
        let status = self.status();
        let chrome = Chrome::new(&crumbs).status(&status);
        let controls = Self::controls();
        let rest = lab_frame(area, buf, shared, chrome, self.setup_line(), &controls);
        let Some(run) = &self.run else {
            return;
        };
        let table_h = (Algo::ALL.len() as u16 + 3).min(rest.height);
        let servers_h =
            (run.run.lanes[self.focus].servers.len() as u16 + 2).min(rest.height - table_h);
        let notes = self.notes(run);
        // The theory panel only when every server still gets its row, and no taller than its
        // lines; what is left over stays blank below.
        let notes_h = match rest.height >= table_h + servers_h + NOTES_ROWS {
            true => (notes.len() as u16 + 2).min(rest.height - table_h - servers_h),
            false => 0,
        };
        let [table, servers, notes_area] = Layout::vertical([
            Constraint::Length(table_h),
            Constraint::Length(servers_h),
            Constraint::Length(notes_h),
        ])
        .flex(Flex::Start)
        .areas(rest);
        self.render_table(run, table, buf);
        self.render_servers(run, servers, buf);
        if notes_h > 0 {
            self.render_notes(&notes, notes_area, buf);
        }
    }
}

/// Percentiles, maximum and mean in fixed columns; blanks before the first answer.
fn figures(latency: &Latency) -> String {
    if latency.count == 0 {
        return format!("{:>7}", "–").repeat(6);
    }
    [
        latency.p50_ns,
        latency.p90_ns,
        latency.p99_ns,
        latency.p999_ns,
        latency.max_ns,
        latency.mean_ns.round() as Nanos,
    ]
    .iter()
    .map(|&n| format!("{:>7}", format_short(n)))
    .collect()
}
