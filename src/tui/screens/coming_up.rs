//! Home's "Coming up" panel, drawn when the terminal is tall enough: today's cards by pack,
//! the next week's forecast, and the weakest exam domain with the key that drills it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::quiz::plan::{QuizOptions, QuizStart};
use crate::quiz::{DomainReadiness, Mode};
use crate::tui::keymap::Action;
use crate::tui::nav::Nav;
use crate::tui::screens::dashboard::{Dashboard, panel};
use crate::tui::shared::Shared;
use crate::tui::widgets::{put_line, truncate};

/// Rows inside the panel: a line per pack (at most [`PACK_ROWS`]), a gap, the forecast's two
/// lines, a gap, the weakest domain.
const PACK_ROWS: usize = 3;

/// The panel's height with its borders, for `packs` packs.
pub fn height(packs: usize) -> u16 {
    packs.clamp(1, PACK_ROWS) as u16 + 5 + 2
}

/// The exam domain of `pack` with the lowest readiness among those with enough evidence (an
/// estimate).
pub fn weakest<'d>(d: &'d Dashboard, pack: &str) -> Option<&'d DomainReadiness> {
    let (_, readiness) = d.readiness.iter().find(|(p, _)| p == pack)?;
    readiness
        .domains
        .iter()
        .filter_map(|r| Some((r, r.estimate?)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(r, _)| r)
}

/// A drill of `pack`'s weakest domain, when there is one to drill.
pub fn drill_weakest(d: &Dashboard, pack: &str) -> Option<Nav> {
    let domain = weakest(d, pack)?.domain.clone();
    Some(Nav::Quiz(QuizStart::New(QuizOptions {
        domain: Some(domain),
        ..QuizOptions::new(Some(pack.to_string()), Mode::Drill)
    })))
}

pub fn render(d: &Dashboard, shared: &Shared, pack: Option<&str>, area: Rect, buf: &mut Buffer) {
    let theme = &shared.theme;
    let inner = panel(area, buf, theme, "Coming up", false);
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    if d.by_pack.is_empty() {
        lines.push(Line::styled(
            " Nothing due today, and no new cards left.",
            theme.muted,
        ));
    }
    for (id, c) in d.by_pack.iter().take(PACK_ROWS) {
        let name = shared.catalog().name(id);
        let due = c.learning + c.review;
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<28}", truncate(name, 27)), theme.base),
            Span::styled(
                format!("{due:>4} due"),
                if due > 0 { theme.warn } else { theme.ok },
            ),
            Span::styled(" · ", theme.muted),
            Span::styled(format!("{} new", c.new), theme.info),
        ]));
    }
    lines.push(Line::raw(""));
    let (days, counts): (Vec<Span>, Vec<Span>) = d
        .forecast
        .iter()
        .map(|day| {
            (
                Span::styled(
                    format!("{:>5}", day.date.strftime("%a").to_string()),
                    theme.muted,
                ),
                Span::styled(format!("{:>5}", day.count), theme.accent),
            )
        })
        .unzip();
    let mut head = vec![Span::styled(" Next 7 days   ", theme.muted)];
    head.extend(days);
    let mut figures = vec![Span::styled(" cards due     ", theme.muted)];
    figures.extend(counts);
    lines.push(Line::from(head));
    lines.push(Line::from(figures));
    lines.push(Line::raw(""));
    lines.push(weakest_line(d, shared, pack));
    for (row, line) in lines.iter().enumerate() {
        let y = inner.y + row as u16;
        if y >= inner.bottom() {
            break;
        }
        put_line(buf, inner, y, &crate::tui::widgets::fit_line(line, width));
    }
}

fn weakest_line(d: &Dashboard, shared: &Shared, pack: Option<&str>) -> Line<'static> {
    let theme = &shared.theme;
    let label = Span::styled(" Weakest       ", theme.muted);
    let Some(pack) = pack.and_then(|id| shared.library.pack(id)) else {
        return Line::from(label);
    };
    if pack.manifest.exam.is_none() {
        return Line::from(vec![
            label,
            Span::styled("this pack has no exam", theme.muted),
        ]);
    }
    let Some(r) = weakest(d, pack.id()) else {
        return Line::from(vec![
            label,
            Span::styled(
                "not enough evidence yet: an exam or a practice round tells",
                theme.muted,
            ),
        ]);
    };
    let name = pack
        .domain(&r.domain)
        .map_or(r.domain.as_str(), |d| d.name.as_str());
    let key = shared
        .keymap
        .key_for(Action::DrillWeakest)
        .map(|k| k.to_string())
        .unwrap_or_default();
    Line::from(vec![
        label,
        Span::styled(name.to_string(), theme.base),
        Span::styled(
            format!(" {:.0}%", r.estimate.unwrap_or(0.0) * 100.0),
            theme.strong,
        ),
        Span::styled(format!("  {key} drills it"), theme.key_hint),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::Readiness;

    fn domain(id: &str, estimate: Option<f64>) -> DomainReadiness {
        DomainReadiness {
            domain: id.into(),
            weight: 0.25,
            answers: 0,
            accuracy: None,
            cards: 0,
            recall: None,
            estimate,
        }
    }

    #[test]
    fn the_weakest_domain_is_the_lowest_with_enough_evidence() {
        let domains = vec![
            domain("secure", Some(0.80)),
            domain("resilient", Some(0.55)),
            // No estimate yet: too few answers to call it weak.
            domain("cost", None),
        ];
        let d = Dashboard {
            readiness: vec![(
                "aws".into(),
                Readiness {
                    overall: None,
                    domains,
                },
            )],
            ..Dashboard::default()
        };
        assert_eq!(
            weakest(&d, "aws").map(|r| r.domain.as_str()),
            Some("resilient")
        );
        let Some(Nav::Quiz(QuizStart::New(o))) = drill_weakest(&d, "aws") else {
            panic!("a drill");
        };
        assert_eq!(
            (o.mode, o.domain.as_deref()),
            (Mode::Drill, Some("resilient"))
        );
        assert!(drill_weakest(&d, "other").is_none());
    }
}
