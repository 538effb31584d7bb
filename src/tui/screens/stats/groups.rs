//! The bar sections of the statistics screen: items by state, and mastery per pack, domain and
//! topic. Each is a list of text lines for a given width.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::srs::stats::{Group, StateCounts};
use crate::tui::theme::Theme;
use crate::tui::widgets::{bar, truncate};

/// The widest a bar gets: longer ones add length, not information.
const MAX_BAR: usize = 30;
/// The widest a name column gets before names are cut.
const MAX_NAME: usize = 32;

/// One labelled bar: `label  bar  value`.
fn bar_line(
    label: &str,
    label_w: usize,
    ratio: f64,
    bar_w: usize,
    value: String,
    style: Style,
    theme: &Theme,
) -> Line<'static> {
    let label = truncate(label, label_w);
    let pad = label_w.saturating_sub(label.width());
    Line::from(vec![
        Span::styled(format!("{label}{}  ", " ".repeat(pad)), theme.base),
        Span::styled(bar(ratio, bar_w), style),
        Span::styled(format!(" {value}"), theme.muted),
    ])
}

/// Items by state, each bar a share of all items; mature cards are a part of review.
pub fn states(c: &StateCounts, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let total = f64::from((c.new + c.learning + c.review + c.relearning).max(1));
    let label_w = 12;
    let bar_w = width.saturating_sub(label_w + 9).min(MAX_BAR);
    [
        ("New", c.new, theme.info),
        ("Learning", c.learning, theme.warn),
        ("Review", c.review, theme.ok),
        ("  mature", c.mature, theme.ok),
        ("Relearning", c.relearning, theme.error),
    ]
    .into_iter()
    .map(|(label, n, style)| {
        let value = format!("{n:>5}");
        bar_line(
            label,
            label_w,
            f64::from(n) / total,
            bar_w,
            value,
            style,
            theme,
        )
    })
    .collect()
}

/// Mastery of each group: a bar of the mean recall probability, the percentage, how many
/// items were started and how many are mature.
pub fn mastery(groups: &[Group], width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let longest = groups.iter().map(|g| g.name.width()).max().unwrap_or(0);
    let label_w = longest.clamp(8, MAX_NAME).min(width / 3);
    let bar_w = width.saturating_sub(label_w + 37).clamp(4, MAX_BAR);
    groups
        .iter()
        .map(|g| {
            let value = format!(
                "{:>3.0}%  {}/{} started · {} mature",
                g.mastery * 100.0,
                g.started,
                g.items,
                g.mature
            );
            bar_line(&g.name, label_w, g.mastery, bar_w, value, theme.ok, theme)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mastery_lines_fit_the_width_and_cut_long_names() {
        let g = Group {
            id: "p".into(),
            name: "A very long pack name that goes on and on".into(),
            items: 10,
            started: 4,
            mature: 1,
            mastery: 0.5,
        };
        let theme = Theme::dark();
        let lines = mastery(std::slice::from_ref(&g), 80, &theme);
        let text = lines[0].to_string();
        assert!(text.width() <= 80, "{text}");
        assert!(
            text.contains('…') && text.contains(" 50%  4/10 started · 1 mature"),
            "{text}"
        );
        let s = states(
            &StateCounts {
                new: 3,
                review: 1,
                ..StateCounts::default()
            },
            60,
            &theme,
        );
        assert_eq!(s.len(), 5);
        assert!(s[0].to_string().starts_with("New "));
    }
}
