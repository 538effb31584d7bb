//! The plan's readiness chart as text lines: what the plan forecast when the exam date was set
//! (`·`), what the log says happened (`●`), and the target (`┄`), from that day to the exam.
//! The glyphs differ, so the chart reads without colour.

use ratatui::text::{Line, Span};

use crate::progress::Reading;
use crate::tui::theme::Theme;

const FORECAST: char = '·';
const ACTUAL: char = '●';
const TARGET: char = '┄';

/// `readings` (one a day) as a chart `width` × `height` cells, axis and labels included.
pub fn readiness(
    readings: &[Reading],
    target: f64,
    width: usize,
    height: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let plot_h = height.saturating_sub(2).max(2);
    let axis = 5; // "100% "
    let plot_w = width.saturating_sub(axis + 1).max(1);
    let days = readings.len().max(1);
    // Column of each reading; several days share a column when the runway is long.
    let col = |i: usize| i * plot_w.min(days) / days;
    let cols = plot_w.min(days);
    let row_of = |v: f64| ((1.0 - v.clamp(0.0, 1.0)) * (plot_h - 1) as f64).round() as usize;
    let mut grid = vec![vec![(' ', 0u8); cols]; plot_h];
    let target_row = row_of(target);
    for cell in &mut grid[target_row] {
        *cell = (TARGET, 1);
    }
    for (i, r) in readings.iter().enumerate() {
        if let Some(f) = r.forecast {
            grid[row_of(f)][col(i)] = (FORECAST, 2);
        }
    }
    for (i, r) in readings.iter().enumerate() {
        if let Some(a) = r.actual {
            grid[row_of(a)][col(i)] = (ACTUAL, 3);
        }
    }
    let mut lines = Vec::new();
    for (y, row) in grid.iter().enumerate() {
        let label = if y == target_row {
            format!("{:.0}%", target * 100.0)
        } else if y == 0 {
            "100%".to_string()
        } else if y == plot_h - 1 {
            "0%".to_string()
        } else {
            String::new()
        };
        let mut spans = vec![Span::styled(format!("{label:>4} │"), theme.muted)];
        spans.extend(row.iter().map(|&(c, kind)| {
            let style = match kind {
                1 => theme.muted,
                2 => theme.info,
                3 => theme.accent,
                _ => theme.base,
            };
            Span::styled(c.to_string(), style)
        }));
        lines.push(Line::from(spans));
    }
    lines.push(Line::styled(
        format!("{:>4} └{}", "", "─".repeat(cols)),
        theme.muted,
    ));
    let first = readings
        .first()
        .map(|r| r.day.strftime("%b %d").to_string())
        .unwrap_or_default();
    let last = readings
        .last()
        .map(|r| format!("exam {}", r.day.strftime("%b %d")))
        .unwrap_or_default();
    let gap = (cols + 1).saturating_sub(first.len() + last.len()).max(1);
    lines.push(Line::styled(
        format!("{:>axis$}{first}{}{last}", "", " ".repeat(gap)),
        theme.muted,
    ));
    lines
}

/// The chart's key, one line.
pub fn legend(theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!(" {FORECAST} "), theme.info),
        Span::styled("forecast when the date was set   ", theme.muted),
        Span::styled(format!("{ACTUAL} "), theme.accent),
        Span::styled("your readiness   ", theme.muted),
        Span::styled(format!("{TARGET} "), theme.muted),
        Span::styled("target", theme.muted),
    ])
}
