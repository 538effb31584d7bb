//! The two time charts of the statistics screen, drawn as text lines so they scroll with the
//! rest: the due forecast as vertical bars, and the review calendar as shaded cells.

use jiff::civil::Date;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::srs::stats::DayCount;
use crate::tui::theme::Theme;

/// Vertical bar heights in eighths of a row.
const EIGHTHS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// Calendar cells from no reviews to the busiest quarter.
const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/// Forecast days between date labels.
const LABEL_EVERY: usize = 7;

/// Cards due per day as bars `height` rows tall, with the busiest day's count on the axis
/// and a date under every week. Fits `width` by narrowing the bars, down to one cell a day.
pub fn forecast(
    days: &[DayCount],
    width: usize,
    height: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let most = days.iter().map(|d| d.count).max().unwrap_or(0);
    let axis = most.to_string().len();
    let plot = width.saturating_sub(axis + 2);
    let cell = (plot / days.len().max(1)).clamp(1, 3);
    let height = height.max(1);
    let mut lines = Vec::new();
    for row in 0..height {
        let from_bottom = height - 1 - row;
        let label = if row == 0 {
            most.to_string()
        } else {
            String::new()
        };
        let mut spans = vec![Span::styled(format!("{label:>axis$} │"), theme.muted)];
        for (i, d) in days.iter().enumerate() {
            let filled = bar_eighths(d.count, most, height).saturating_sub(from_bottom * 8);
            let glyph = EIGHTHS[filled.min(8)];
            let style = if i == 0 { theme.warn } else { theme.accent };
            spans.push(Span::styled(column_cell(glyph, cell), style));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::styled(
        format!("{:>axis$} └{}", 0, "─".repeat(days.len() * cell)),
        theme.muted,
    ));
    let mut labels = " ".repeat(axis + 2);
    for (i, d) in days.iter().enumerate().step_by(LABEL_EVERY) {
        let text = if i == 0 {
            "today".to_string()
        } else {
            d.date.strftime("%b %d").to_string()
        };
        pad_to(&mut labels, axis + 2 + i * cell);
        if labels.chars().count() == axis + 2 + i * cell {
            labels.push_str(&text);
        }
    }
    lines.push(Line::styled(labels, theme.muted));
    lines
}

/// How many eighths of `rows` rows a bar for `count` fills; any count shows at least one.
fn bar_eighths(count: u32, most: u32, rows: usize) -> usize {
    if count == 0 || most == 0 {
        return 0;
    }
    let full = rows as u64 * 8;
    (u64::from(count) * full).div_ceil(u64::from(most)).max(1) as usize
}

/// One day's column: the glyph repeated, with a gap after it when there is room.
fn column_cell(glyph: char, cell: usize) -> String {
    let mut s: String = std::iter::repeat_n(glyph, cell.saturating_sub(1).max(1)).collect();
    if cell > 1 {
        s.push(' ');
    }
    s
}

/// Reviews per day as a calendar: a row per weekday, a column per week, month names above.
/// `days` starts on a Monday (see [`crate::srs::stats::Stats::heatmap`]).
pub fn heatmap(days: &[DayCount], width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let weeks = days.len().div_ceil(7);
    let gutter = 4;
    let cell = if width >= gutter + weeks * 2 { 2 } else { 1 };
    let most = days.iter().map(|d| d.count).max().unwrap_or(0);
    let mut lines = vec![Line::styled(
        format!("{}{}", " ".repeat(gutter), month_labels(days, cell)),
        theme.muted,
    )];
    for (row, name) in WEEKDAYS.iter().enumerate() {
        let mut spans = vec![Span::styled(format!("{name} "), theme.muted)];
        for week in 0..weeks {
            let Some(d) = days.get(week * 7 + row) else {
                break;
            };
            let (glyph, style) = shade(d.count, most, theme);
            let text = if cell == 2 {
                format!("{glyph} ")
            } else {
                glyph.to_string()
            };
            spans.push(Span::styled(text, style));
        }
        lines.push(Line::from(spans));
    }
    let mut legend = vec![Span::styled(
        format!("{}less ", " ".repeat(gutter)),
        theme.muted,
    )];
    for n in 0..SHADES.len() as u32 {
        let (glyph, style) = shade(n, SHADES.len() as u32 - 1, theme);
        legend.push(Span::styled(format!("{glyph} "), style));
    }
    let busiest = match most {
        0 => "no reviews yet".to_string(),
        1 => "busiest day: 1 review".to_string(),
        n => format!("busiest day: {n} reviews"),
    };
    legend.push(Span::styled(format!("more   ({busiest})"), theme.muted));
    lines.push(Line::from(legend));
    lines
}

/// A cell's glyph and style: none, or the quarter of the busiest day's count it falls in.
fn shade(count: u32, most: u32, theme: &Theme) -> (char, Style) {
    match count {
        0 => (SHADES[0], theme.muted),
        n => {
            let quarter = ((n * 4 - 1) / most.max(1)).min(3) as usize;
            (SHADES[1 + quarter], theme.ok)
        }
    }
}

/// Month names over the week columns where a month begins, skipped when they would collide.
fn month_labels(days: &[DayCount], cell: usize) -> String {
    let mut out = String::new();
    let mut last_month = None;
    for (week, chunk) in days.chunks(7).enumerate() {
        let month = month_of(chunk);
        if last_month == Some(month.1) {
            continue;
        }
        last_month = Some(month.1);
        let at = week * cell;
        let used = out.chars().count();
        if used != 0 && used >= at {
            continue;
        }
        pad_to(&mut out, at);
        out.push_str(&month.0);
    }
    out
}

/// The month a week column is labelled with: the month of its last day, so a column is named
/// for the month that starts in it. Returns the short name and a comparable number.
fn month_of(week: &[DayCount]) -> (String, i8) {
    let date: Date = week.last().map_or(Date::constant(1970, 1, 1), |d| d.date);
    (date.strftime("%b").to_string(), date.month())
}

/// Pads `s` with spaces to `len` characters.
fn pad_to(s: &mut String, len: usize) {
    let have = s.chars().count();
    s.extend(std::iter::repeat_n(' ', len.saturating_sub(have)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::time::add_days;

    fn days(counts: &[u32]) -> Vec<DayCount> {
        let start = Date::constant(2026, 6, 1); // a Monday
        counts
            .iter()
            .enumerate()
            .map(|(i, &count)| DayCount {
                date: add_days(start, i as i64),
                count,
            })
            .collect()
    }

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.to_string().trim_end().to_string())
            .collect()
    }

    #[test]
    fn bars_scale_to_the_busiest_day_and_show_any_count() {
        assert_eq!(bar_eighths(4, 4, 2), 16);
        assert_eq!(bar_eighths(1, 100, 2), 1);
        assert_eq!(bar_eighths(0, 5, 2), 0);
        let t = text(&forecast(&days(&[4, 0, 2]), 20, 2, &Theme::dark()));
        assert_eq!(t[0], "4 │██");
        assert_eq!(t[1], "  │██    ██");
        assert!(t[3].contains("today"));
    }

    #[test]
    fn the_calendar_has_a_row_per_weekday_and_month_names() {
        let mut counts = vec![0; 35];
        counts[0] = 8;
        counts[9] = 1;
        let t = text(&heatmap(&days(&counts), 80, &Theme::dark()));
        assert_eq!(t.len(), 9);
        assert!(t[0].trim_start().starts_with("Jun"), "{t:?}");
        assert!(t[0].contains("Jul"), "{t:?}");
        assert!(t[1].starts_with("Mon █ "), "{t:?}");
        assert!(t[3].starts_with("Wed · ░ "), "{t:?}");
        assert!(t[8].contains("busiest day: 8 reviews"));
    }
}
