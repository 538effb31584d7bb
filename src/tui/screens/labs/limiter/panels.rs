//! The rate-limiter lab's text: the limiter's state as live gauges, the run's statistics next
//! to the bounds the parameters imply, and the one-line summary each compared lane gets.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::run::{Lane, Run, plotted};
use super::timeline::{ADMITTED, QUEUED, REJECTED};
use crate::sim::limiter::{Gauge, Unit};
use crate::sim::time::{Nanos, SECOND, as_seconds, format_duration};
use crate::tui::screens::labs::common::{labelled, marked_bar, thousands};
use crate::tui::theme::Theme;
use crate::tui::widgets::put_line;
use unicode_width::UnicodeWidthStr;

/// A gauge's value in its unit: `3.2` requests or `450ms`.
pub fn amount(value: f64, unit: Unit) -> String {
    match unit {
        Unit::Requests => {
            if value.fract().abs() < 1e-9 {
                format!("{value:.0}")
            } else {
                format!("{value:.1}")
            }
        }
        Unit::Seconds => format_duration((value * SECOND as f64).round() as Nanos),
    }
}

/// `tokens 3.2/10`.
pub fn gauge_text(g: &Gauge) -> String {
    format!("{} {}", g.label, gauge_value(g))
}

/// `3.2/10`, or `1.5s` for a gauge without a ceiling.
fn gauge_value(g: &Gauge) -> String {
    match g.max {
        Some(max) => format!("{}/{}", amount(g.value, g.unit), amount(max, g.unit)),
        None => amount(g.value, g.unit),
    }
}

/// Rows each gauge takes in [`gauges`].
const ROWS_PER_GAUGE: u16 = 2;

/// Every gauge of the lane's limiter at the current time: its label, then a bar (when it has
/// a ceiling) with the value after it.
pub fn gauges(area: Rect, buf: &mut Buffer, run: &Run, lane: &Lane, theme: &Theme) {
    for (i, g) in lane.limiter.gauges(run.now).iter().enumerate() {
        let y = area.y + ROWS_PER_GAUGE * i as u16;
        put_line(buf, area, y, &Line::styled(g.label, theme.muted));
        if y + 1 >= area.bottom() {
            break;
        }
        let value = format!(" {}", gauge_value(g));
        let value_w = (value.width() as u16).min(area.width);
        let bar = Rect {
            y: y + 1,
            height: 1,
            width: area.width - value_w,
            ..area
        };
        if let Some(max) = g.max {
            marked_bar(buf, bar, (g.value, None, max), theme.accent, theme.base);
        }
        buf.set_stringn(bar.right(), bar.y, &value, usize::from(value_w), theme.base);
    }
}

/// The rows [`gauges`] draws for this lane.
pub fn gauge_rows(run: &Run, lane: &Lane) -> u16 {
    ROWS_PER_GAUGE * lane.limiter.gauges(run.now).len() as u16
}

/// A row of the statistics panel: a label, a figure right-aligned, a note.
fn row(theme: &Theme, label: &str, value: String, note: String) -> Line<'static> {
    let figures = vec![
        Span::styled(format!("{value:>9}"), theme.strong),
        Span::styled(format!(" {note}"), theme.muted),
    ];
    labelled(theme, label, 12, figures)
}

/// What got through, and how bursty and late it was, against the analytic bounds.
pub fn statistics(area: Rect, buf: &mut Buffer, run: &Run, lane: &Lane, theme: &Theme) {
    let t = &lane.tally;
    let window = format_duration(run.quota.window());
    let elapsed = as_seconds(run.now);
    let rate = |n: u64| {
        if elapsed > 0.0 {
            format!("{:.1}/s", n as f64 / elapsed)
        } else {
            String::new()
        }
    };
    let share = |n: u64| {
        if t.offered > 0 {
            format!("{:.0}%", 100.0 * n as f64 / t.offered as f64)
        } else {
            String::new()
        }
    };
    let lines = [
        row(theme, "offered", thousands(t.offered), rate(t.offered)),
        row(theme, "admitted", thousands(t.admitted), rate(t.admitted)),
        row(theme, "  queued", thousands(t.queued), share(t.queued)),
        row(theme, "rejected", thousands(t.rejected), share(t.rejected)),
        row(
            theme,
            &format!("max in {window}"),
            thousands(t.max_in_window),
            format!(
                "bound {}",
                thousands(lane.limiter.bound(run.quota.window()))
            ),
        ),
        row(
            theme,
            "max delay",
            format_duration(t.max_delay),
            format!("bound {}", format_duration(lane.limiter.max_delay())),
        ),
        row(
            theme,
            "mean delay",
            format_duration(t.mean_delay),
            String::new(),
        ),
    ];
    for (i, line) in lines.iter().enumerate() {
        put_line(buf, area, area.y + i as u16, line);
    }
}

/// One line for a compared lane: its name, its plotted gauge now, and the tally.
pub fn summary(run: &Run, lane: &Lane, theme: &Theme, style: Style) -> Line<'static> {
    let t = &lane.tally;
    let gauges = lane.limiter.gauges(run.now);
    let now = plotted(&gauges).map(gauge_text).unwrap_or_default();
    let count = |glyph: &str, n: u64, style: Style| {
        [
            Span::styled(format!("{glyph} "), style),
            Span::styled(format!("{}  ", thousands(n)), theme.base),
        ]
    };
    let mut spans = vec![
        Span::styled(format!("{} ", lane.limiter.algo().name()), style),
        Span::styled(format!("{now}  "), theme.muted),
    ];
    spans.extend(count(ADMITTED, t.admitted, theme.ok));
    spans.extend(count(QUEUED, t.queued, theme.warn));
    spans.extend(count(REJECTED, t.rejected, theme.error));
    spans.push(Span::styled(
        format!(
            "max in {} {}, bound {}",
            format_duration(run.quota.window()),
            t.max_in_window,
            lane.limiter.bound(run.quota.window())
        ),
        theme.muted,
    ));
    Line::from(spans)
}
