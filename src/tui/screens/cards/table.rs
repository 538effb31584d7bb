//! The browser's table: which columns fit the width, each card's cells, and the question a
//! reset asks first.

use jiff::Timestamp;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::Listed;
use crate::srs::DayClock;
use crate::tui::keymap::{Action, Keymap};
use crate::tui::theme::Theme;
use crate::tui::widgets::chrome::{centered, overlay_box};
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{marker, put_line, row_style, truncate, visible_rows, wrap_line};

/// The front keeps at least this many cells; columns beside it go first.
const MIN_FRONT: usize = 28;
/// From this width the flags column has room for both flags.
const WIDE: usize = 110;

/// When a card is due, in learning days from today: "today", "in 3 d", "overdue 2 d"; "—"
/// for a card never answered.
pub fn due_label(clock: &DayClock, due: Option<Timestamp>, now: Timestamp) -> String {
    let Some(due) = due else {
        return "—".into();
    };
    let days = clock.days_between(now, due);
    let span = |d: i64| match d {
        ..100 => format!("{d} d"),
        100..730 => format!("{} mo", d / 30),
        _ => format!("{} y", d / 365),
    };
    match days {
        0 => "today".into(),
        d if d > 0 => format!("in {}", span(d)),
        d => format!("overdue {}", span(-d)),
    }
}

/// A column beside the card's front.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Topic,
    Status,
    Due,
    Lapses,
    Reviews,
    /// "leech", "missed": words, so they show without colour.
    Flags,
}

impl Column {
    fn title(self) -> &'static str {
        match self {
            Column::Topic => "Topic",
            Column::Status => "Status",
            Column::Due => "Due",
            Column::Lapses => "Lapses",
            Column::Reviews => "Reviews",
            Column::Flags => "Flags",
        }
    }

    fn width(self, total: usize) -> usize {
        match self {
            Column::Topic => 18,
            Column::Status => 10,
            Column::Due => 12,
            Column::Lapses => 6,
            Column::Reviews => 7,
            Column::Flags if total >= WIDE => 13,
            Column::Flags => 6,
        }
    }

    fn cell(self, l: &Listed) -> String {
        match self {
            Column::Topic => l.topic.clone(),
            Column::Status => l.card.status.label().into(),
            Column::Due => l.due.clone(),
            Column::Lapses => l.card.lapses.to_string(),
            Column::Reviews => l.card.reviews.to_string(),
            Column::Flags => {
                let flags: Vec<&str> = [(l.card.leech, "leech"), (l.card.missed, "missed")]
                    .into_iter()
                    .filter_map(|(on, word)| on.then_some(word))
                    .collect();
                flags.join(", ")
            }
        }
    }

    fn numeric(self) -> bool {
        matches!(self, Column::Lapses | Column::Reviews)
    }
}

/// The columns that fit `width`, in the order they are drawn: status, due and flags always;
/// then lapses, reviews and the topic, each while the front keeps [`MIN_FRONT`] cells.
fn columns(width: usize) -> Vec<Column> {
    let used = |cols: &[Column]| 2 + cols.iter().map(|c| c.width(width) + 1).sum::<usize>();
    let mut chosen = vec![Column::Status, Column::Due, Column::Flags];
    for extra in [Column::Lapses, Column::Reviews, Column::Topic] {
        let mut with = chosen.clone();
        with.push(extra);
        if width.saturating_sub(used(&with)) >= MIN_FRONT {
            chosen = with;
        }
    }
    let order = [
        Column::Topic,
        Column::Status,
        Column::Due,
        Column::Lapses,
        Column::Reviews,
        Column::Flags,
    ];
    order.into_iter().filter(|c| chosen.contains(c)).collect()
}

/// `text` cut and padded to `width` cells, numbers to the right.
fn cell(text: &str, width: usize, right: bool) -> String {
    let text = truncate(text, width);
    if right {
        format!("{text:>width$}")
    } else {
        format!("{text:<width$}")
    }
}

/// The column titles and the cards, the selection kept in view.
pub fn draw(area: Rect, buf: &mut Buffer, rows: &[Listed], cursor: &Cursor, theme: &Theme) {
    let width = usize::from(area.width);
    let cols = columns(width);
    let front_w = width.saturating_sub(2 + cols.iter().map(|c| c.width(width) + 1).sum::<usize>());
    let mut titles = vec![Span::styled(
        format!("  {}", cell("Card", front_w, false)),
        theme.table_header,
    )];
    for c in &cols {
        titles.push(Span::styled(
            format!(" {}", cell(c.title(), c.width(width), c.numeric())),
            theme.table_header,
        ));
    }
    put_line(buf, area, area.y, &Line::from(titles));
    let list = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    for (i, y) in visible_rows(list, cursor, rows.len(), 1) {
        let l = &rows[i];
        let selected = i == cursor.selected;
        let style = row_style(buf, list, y, 1, selected, theme);
        let mut spans = vec![
            Span::styled(marker(selected), theme.accent),
            Span::styled(cell(&l.front, front_w, false), style),
        ];
        for c in &cols {
            let flag = *c == Column::Flags && l.card.leech;
            spans.push(Span::styled(
                format!(" {}", cell(&c.cell(l), c.width(width), c.numeric())),
                if flag { style.patch(theme.warn) } else { style },
            ));
        }
        put_line(buf, list, y, &Line::from(spans));
    }
}

/// "Reset this card?": what a reset forgets, and the keys to answer.
pub fn draw_reset_question(
    area: Rect,
    buf: &mut Buffer,
    front: &str,
    keymap: &Keymap,
    theme: &Theme,
) {
    let key = |a: Action| keymap.key_text(a);
    let width = area.width.min(64);
    let text_w = usize::from(width.saturating_sub(4));
    let warning = Line::styled(
        "A reset forgets the card's schedule: it becomes new again, its lapses and reviews \
         count from zero. Past reviews stay in the statistics. It cannot be undone.",
        theme.base,
    );
    let mut lines = vec![
        Line::styled(truncate(front, text_w), theme.strong),
        Line::default(),
    ];
    lines.extend(wrap_line(&warning, text_w));
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled(key(Action::Confirm), theme.key_hint),
        Span::styled(" reset it   ", theme.base),
        Span::styled(key(Action::Cancel), theme.key_hint),
        Span::styled(" keep it", theme.base),
    ]));
    let rect = centered(area, width, lines.len() as u16 + 2);
    let inner = overlay_box(rect, buf, " Reset this card? ", theme);
    let text = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    for (i, line) in lines.iter().enumerate() {
        put_line(buf, text, text.y + i as u16, line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_count_learning_days_from_today() {
        let clock = DayClock::utc(4);
        let now: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let at = |s: &str| Some(s.parse::<Timestamp>().unwrap());
        assert_eq!(due_label(&clock, None, now), "—");
        assert_eq!(due_label(&clock, at("2026-03-11T03:00:00Z"), now), "today");
        assert_eq!(due_label(&clock, at("2026-03-13T12:00:00Z"), now), "in 3 d");
        assert_eq!(
            due_label(&clock, at("2026-03-08T12:00:00Z"), now),
            "overdue 2 d"
        );
        assert_eq!(
            due_label(&clock, at("2026-09-10T12:00:00Z"), now),
            "in 6 mo"
        );
        assert_eq!(
            due_label(&clock, at("2023-03-10T12:00:00Z"), now),
            "overdue 3 y"
        );
    }

    #[test]
    fn narrow_widths_drop_the_topic_then_reviews_and_lapses() {
        use Column::*;
        assert_eq!(columns(120), [Topic, Status, Due, Lapses, Reviews, Flags]);
        assert_eq!(columns(80), [Status, Due, Lapses, Reviews, Flags]);
        assert_eq!(columns(60), [Status, Due, Flags]);
        assert!(columns(200).contains(&Topic));
    }
}
