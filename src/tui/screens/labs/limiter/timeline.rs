//! A limiter's recent past on a shared time axis: each request as a mark stacked in its column
//! (admitted, queued, rejected), the plotted gauge as a braille line, and the axis with window
//! boundaries and the window the limiter is counting in.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::widgets::Widget;
use ratatui::widgets::canvas::{Canvas, Line as Segment};

use super::run::{Lane, Run};
use crate::sim::limiter::{Algo, Decision};
use crate::sim::time::{Nanos, format_duration};
use crate::tui::screens::labs::common::colour;
use crate::tui::theme::Theme;

/// Glyphs for the three outcomes, distinct even without colour.
pub const ADMITTED: &str = "●";
pub const QUEUED: &str = "◐";
pub const REJECTED: &str = "✕";

/// The column of time `at` in a view of `width` columns.
fn column(run: &Run, at: Nanos, width: u16) -> Option<u16> {
    let offset = at.checked_sub(run.view_start())?;
    let col = u128::from(offset) * u128::from(width) / u128::from(run.span().max(1));
    u16::try_from(col).ok().filter(|&c| c < width)
}

/// Shares `rows` among the outcome counts: all of them when they fit, else in proportion with
/// at least one row for each outcome that happened.
fn fit(counts: [u32; 3], rows: u32) -> [u32; 3] {
    let total: u32 = counts.iter().sum();
    if total <= rows {
        return counts;
    }
    let mut shown = counts.map(|c| match c {
        0 => 0,
        c => ((u64::from(c) * u64::from(rows)) / u64::from(total)).max(1) as u32,
    });
    while shown.iter().sum::<u32>() > rows {
        let (i, _) = shown
            .iter()
            .enumerate()
            .max_by_key(|&(_, &n)| n)
            .unwrap_or((0, &0));
        shown[i] -= 1;
    }
    shown
}

/// Requests per column, stacked from the bottom: admitted, then queued, then rejected.
pub fn marks(area: Rect, buf: &mut Buffer, run: &Run, lane: &Lane, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let mut columns = vec![[0u32; 3]; usize::from(area.width)];
    for event in &lane.events {
        let Some(col) = column(run, event.at, area.width) else {
            continue;
        };
        let kind = match event.decision {
            Decision::Admitted => 0,
            Decision::Queued { .. } => 1,
            Decision::Rejected => 2,
        };
        columns[usize::from(col)][kind] += 1;
    }
    let styles = [
        (ADMITTED, theme.ok),
        (QUEUED, theme.warn),
        (REJECTED, theme.error),
    ];
    for (x, counts) in columns.into_iter().enumerate() {
        let mut y = area.bottom();
        for (n, (glyph, style)) in fit(counts, u32::from(area.height)).into_iter().zip(styles) {
            for _ in 0..n {
                y -= 1;
                buf[(area.x + x as u16, y)]
                    .set_symbol(glyph)
                    .set_style(style);
            }
        }
    }
}

/// The plotted gauge over the view, from 0 (bottom) to its ceiling (top).
pub fn level(area: Rect, buf: &mut Buffer, run: &Run, lane: &Lane, style: Style) {
    if area.is_empty() {
        return;
    }
    let start = run.view_start() as f64;
    let end = start + run.span() as f64;
    let color = colour(style);
    Canvas::default()
        .marker(Marker::Braille)
        .x_bounds([start, end])
        .y_bounds([0.0, 1.0])
        .paint(|ctx| {
            for (&(t0, v0), &(t1, v1)) in lane.samples.iter().zip(lane.samples.iter().skip(1)) {
                ctx.draw(&Segment::new(t0 as f64, v0, t1 as f64, v1, color));
            }
        })
        .render(area, buf);
}

/// The stretch of time the limiter is counting in at `now`, if it counts in windows: the
/// aligned window for a fixed window, the last window for the sliding ones.
fn counting_window(algo: Algo, now: Nanos, window: Nanos) -> Option<(Nanos, Nanos)> {
    match algo {
        Algo::FixedWindow => {
            let start = now - now % window.max(1);
            Some((start, start + window))
        }
        Algo::SlidingLog | Algo::SlidingCounter => Some((now.saturating_sub(window), now)),
        _ => None,
    }
}

/// Two rows: the axis with a tick at every window boundary (and the counting window drawn
/// heavy when `algo` counts in windows), then time labels under the ticks that have room.
pub fn axis(area: Rect, buf: &mut Buffer, run: &Run, algo: Option<Algo>, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let width = area.width;
    let window = run.quota.window().max(1);
    buf.set_stringn(
        area.x,
        area.y,
        "─".repeat(usize::from(width)),
        usize::from(width),
        theme.border,
    );
    if let Some((from, to)) = algo.and_then(|a| counting_window(a, run.now, window)) {
        let first = column(run, from.max(run.view_start()), width).unwrap_or(0);
        let last = column(run, to, width).unwrap_or(width - 1);
        for x in first..=last.max(first) {
            buf[(area.x + x, area.y)]
                .set_symbol("━")
                .set_style(theme.accent);
        }
    }
    let mut boundary = run.view_start().div_ceil(window) * window;
    let mut free_from = 0u16;
    while let Some(col) = column(run, boundary, width) {
        buf[(area.x + col, area.y)]
            .set_symbol("┼")
            .set_style(theme.border);
        let label = format_duration(boundary);
        let label_w = label.len() as u16;
        if area.height > 1 && col >= free_from && col + label_w <= width {
            buf.set_string(area.x + col, area.y + 1, &label, theme.muted);
            free_from = col + label_w + 1;
        }
        boundary += window;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_share_the_rows_they_have() {
        assert_eq!(fit([2, 0, 1], 5), [2, 0, 1]);
        assert_eq!(fit([10, 0, 10], 6), [3, 0, 3]);
        assert_eq!(fit([19, 0, 1], 4), [3, 0, 1]);
        assert_eq!(fit([5, 5, 5], 2).iter().sum::<u32>(), 2);
        assert_eq!(fit([1, 1, 1], 0), [0, 0, 0]);
    }

    #[test]
    fn windows_in_force() {
        assert_eq!(counting_window(Algo::FixedWindow, 25, 10), Some((20, 30)));
        assert_eq!(counting_window(Algo::SlidingLog, 25, 10), Some((15, 25)));
        assert_eq!(counting_window(Algo::TokenBucket, 25, 10), None);
    }
}
