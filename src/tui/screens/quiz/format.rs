//! Small text pieces the quiz screens share: clocks, sparklines, Markdown beside a prefix, and
//! display names for packs and domains.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};
use unicode_width::UnicodeWidthStr;

use crate::content::Library;
use crate::content::markdown::Document;
use crate::quiz::Readiness;
use crate::quiz::readiness::MIN_ANSWERS;
use crate::safe_text::escape;
use crate::tui::keymap::{Action, Keymap};
use crate::tui::markdown::layout;
use crate::tui::theme::Theme;
use crate::tui::widgets::{bar, fit_line, truncate};

/// One block character per value (0..1), low to high: a trend in a line.
pub fn spark(values: &[f64]) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| {
            let v = if v.is_finite() {
                v.clamp(0.0, 1.0)
            } else {
                0.0
            };
            LEVELS[(v * 7.0).round() as usize]
        })
        .collect()
}

/// Readiness as every screen shows it, in the same words: a headline with the pack's number
/// (or why there is none yet), then each domain's number or the answers it still needs, with
/// the evidence behind it. `pack` names the domains; `width` is the room the lines get.
pub fn readiness_lines(
    r: &Readiness,
    library: &Library,
    pack: &str,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let names: Vec<String> = r
        .domains
        .iter()
        .map(|d| domain_name(library, Some(pack), &d.domain))
        .collect();
    // Names come first: the bar shrinks to its minimum before a name is cut.
    let longest = names.iter().map(|n| n.width()).max().unwrap_or(0);
    let name_w = longest.min(width.saturating_sub(34 + 4)).max(1);
    let bar_w = width.saturating_sub(name_w + 34).clamp(4, 20);
    let mut headline = vec![Span::styled("Readiness ", theme.strong)];
    match r.overall {
        Some(overall) => {
            headline.extend(meter(overall, bar_w, theme));
            headline.push(Span::styled(
                format!(" {:>3.0}%", overall * 100.0),
                theme.strong,
            ));
            headline.push(Span::styled(
                "  answers and card recall, by exam weight",
                theme.muted,
            ));
        }
        None if r.domains.is_empty() => {
            headline.push(Span::styled("needs a pack with exam domains", theme.muted));
        }
        None => {
            headline.push(Span::styled("not enough evidence yet", theme.warn));
            headline.push(Span::styled(
                format!(
                    ": {MIN_ANSWERS} answers in each domain ({} of {} short)",
                    r.short_domains(),
                    r.domains.len()
                ),
                theme.muted,
            ));
        }
    }
    let mut out = vec![Line::from(headline)];
    for (d, name) in r.domains.iter().zip(&names) {
        let mut spans = vec![Span::raw(format!("  {:<name_w$} ", truncate(name, name_w)))];
        let cards = match d.recall {
            Some(recall) => format!(" · cards {:.0}%", recall * 100.0),
            None => String::new(),
        };
        match d.estimate {
            Some(e) => {
                spans.extend(meter(e, bar_w, theme));
                spans.push(Span::styled(format!(" {:>3.0}%", e * 100.0), theme.strong));
                spans.push(Span::styled(
                    format!("  {}{cards}", count(d.answers, "answer")),
                    theme.muted,
                ));
            }
            None => spans.push(Span::styled(
                format!(
                    "not enough evidence: {} of {MIN_ANSWERS} answers{cards}",
                    d.answers
                ),
                theme.muted,
            )),
        }
        out.push(fit_line(&Line::from(spans), width));
    }
    out
}

/// A bar filled to `ratio` on a faint track, so an empty bar still shows its length.
pub fn meter(ratio: f64, width: usize, theme: &Theme) -> Vec<Span<'static>> {
    let filled = bar(ratio, width).trim_end().to_string();
    let track = "─".repeat(width.saturating_sub(filled.chars().count()));
    vec![
        Span::styled(filled, theme.accent),
        Span::styled(track, theme.border),
    ]
}

/// Draws a titled box and returns its inside less a cell of margin each side.
pub fn section(title: &str, border: Style, area: Rect, buf: &mut Buffer, theme: &Theme) -> Rect {
    let block = Block::bordered()
        .title(Span::styled(title.to_string(), theme.title))
        .border_style(border);
    let inner = block.inner(area);
    block.render(area, buf);
    padded(inner)
}

/// `area` less a cell each side.
pub fn padded(area: Rect) -> Rect {
    Rect {
        x: area.x.saturating_add(1).min(area.right()),
        width: area.width.saturating_sub(2),
        ..area
    }
}

/// "1 exam", "2 exams".
pub fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A pack's display name, or "All packs" for a quiz over every pack. Names come from packs,
/// so control characters are stripped here, once for every screen that shows them.
pub fn pack_name(library: &Library, pack: Option<&str>) -> String {
    match pack {
        Some(id) => escape(library.pack(id).map_or(id, |p| &p.manifest.name)).into_owned(),
        None => "All packs".to_string(),
    }
}

/// A domain's display name in its pack, else its id; stripped like [`pack_name`].
pub fn domain_name(library: &Library, pack: Option<&str>, domain: &str) -> String {
    let name = pack
        .and_then(|p| library.pack(p))
        .and_then(|p| p.domain(domain))
        .map_or(domain, |d| &d.name);
    escape(name).into_owned()
}

/// The first key bound to an action, as the help shows it (so user overrides are respected).
pub fn key(keymap: &Keymap, action: Action) -> String {
    keymap.key_text(action)
}

/// Pack Markdown laid out `width` cells wide.
pub fn markdown(text: &str, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    layout(&Document::parse(text), width.max(1), theme).lines
}

/// Markdown laid out beside a prefix: the prefix before the first line, blanks of its width
/// before the others, and `style` patched over everything (a selected choice).
pub fn beside(
    prefix: Vec<Span<'static>>,
    text: &str,
    width: u16,
    theme: &Theme,
    style: Style,
) -> Vec<Line<'static>> {
    let lead: usize = prefix.iter().map(|s| s.content.width()).sum();
    let room = (usize::from(width).saturating_sub(lead)).max(1) as u16;
    let mut lines = markdown(text, room, theme);
    if lines.is_empty() {
        lines.push(Line::default());
    }
    let indent = " ".repeat(lead);
    for (i, line) in lines.iter_mut().enumerate() {
        let head = if i == 0 {
            prefix.clone()
        } else {
            vec![Span::raw(indent.clone())]
        };
        line.spans.splice(0..0, head);
        for span in &mut line.spans {
            span.style = span.style.patch(style);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meters_show_their_track() {
        let theme = Theme::dark();
        let text: String = meter(0.5, 4, &theme)
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(text, "██──");
        let empty: String = meter(0.0, 3, &theme)
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(empty, "───");
    }

    #[test]
    fn sparks_rise_with_the_value() {
        assert_eq!(spark(&[0.0, 0.5, 1.0, f64::NAN]), "▁▅█▁");
    }

    #[test]
    fn markdown_beside_a_prefix_keeps_its_indent() {
        let theme = Theme::dark();
        let lines = beside(
            vec![Span::raw("(•) A  ")],
            "one two three four",
            14,
            &theme,
            Style::new(),
        );
        let text: Vec<String> = lines.iter().map(std::string::ToString::to_string).collect();
        assert_eq!(text, ["(•) A  one two", "       three", "       four"]);
    }
}
