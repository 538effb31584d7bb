//! The results of a finished attempt: the scaled score against the pass mark, pass or fail,
//! one bar per domain with its percentage, the time used, the keys to review and to send
//! the missed questions to spaced repetition, and the pack's readiness now.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::format::{domain_name, key, meter, pack_name, readiness_lines};
use crate::quiz::label::clock;
use crate::quiz::score::{SCALED_MAX, SCALED_MIN};
use crate::quiz::{QuizSession, Readiness, Timer};
use crate::tui::keymap::Action;
use crate::tui::shared::Shared;
use crate::tui::widgets::truncate;

/// Narrowest a domain's bar gets, so names can have the rest of the line.
const MIN_BAR: usize = 8;

/// The results as lines `width` cells wide, with the pack's readiness now when given.
pub fn results_lines(
    shared: &Shared,
    session: &QuizSession,
    readiness: Option<&Readiness>,
    width: u16,
) -> Vec<Line<'static>> {
    let theme = &shared.theme;
    let score = session.score();
    let spec = session.spec();
    let mut out = Vec::new();
    let mut headline = vec![Span::styled(
        format!("Score {} / {SCALED_MAX}", score.scaled),
        theme.strong,
    )];
    match score.passed() {
        Some(passed) => {
            let (word, style) = if passed {
                ("  PASS  ", theme.ok)
            } else {
                ("  FAIL  ", theme.error)
            };
            headline.insert(
                0,
                Span::styled(word, style.add_modifier(Modifier::REVERSED)),
            );
            headline.insert(1, Span::raw("  "));
            if let Some(pass) = score.pass_score {
                headline.push(Span::styled(format!("   pass mark {pass}"), theme.muted));
            }
        }
        None => headline.push(Span::styled("   practice: no pass mark", theme.muted)),
    }
    out.push(Line::from(headline));
    out.push(Line::default());
    let limit = match spec.timer {
        Timer::Total { ms } => format!(" of {}", clock(ms)),
        Timer::Untimed | Timer::PerQuestion { .. } => String::new(),
    };
    out.push(Line::styled(
        format!(
            "{} of {} right ({}%) · time used {}{limit}",
            score.correct,
            score.total,
            score.percent(),
            clock(score.used_ms),
        ),
        theme.base,
    ));
    if session.snapshot().auto_submitted {
        out.push(Line::styled(
            "Submitted automatically when the time ran out.",
            theme.warn,
        ));
    }
    out.push(Line::styled(
        format!("The scale is linear: {SCALED_MIN} with none right, {SCALED_MAX} with all right."),
        theme.muted,
    ));
    out.push(Line::default());
    out.push(Line::styled("By domain", theme.heading(3)));
    let names: Vec<String> = score
        .domains
        .iter()
        .map(|d| match &d.domain {
            Some(id) => domain_name(&shared.library, spec.pack.as_deref(), id),
            None => "No domain".to_string(),
        })
        .collect();
    // Names come first: the bar shrinks to its minimum before a name is cut.
    let name_w = names
        .iter()
        .map(|n| n.width())
        .max()
        .unwrap_or(0)
        .min(usize::from(width).saturating_sub(18 + MIN_BAR));
    let bar_w = usize::from(width)
        .saturating_sub(name_w + 18)
        .clamp(MIN_BAR, 40);
    for (d, name) in score.domains.iter().zip(&names) {
        let ratio = d.correct as f64 / d.total.max(1) as f64;
        let mut spans = vec![Span::raw(format!("  {:<name_w$} ", truncate(name, name_w)))];
        spans.extend(meter(ratio, bar_w, theme));
        spans.push(Span::styled(format!(" {:>3}%", d.percent()), theme.strong));
        spans.push(Span::styled(
            format!("  {} of {}", d.correct, d.total),
            theme.muted,
        ));
        out.push(Line::from(spans));
    }
    out.push(Line::default());
    let missed = missed_count(session);
    let keymap = &shared.keymap;
    let mut keys = vec![
        (
            key(keymap, Action::Check),
            "review every question".to_string(),
        ),
        (key(keymap, Action::Navigator), "jump to one".to_string()),
        (
            [
                Action::FilterIncorrect,
                Action::FilterFlagged,
                Action::FilterDomain,
            ]
            .map(|a| key(keymap, a))
            .join("/"),
            "review only the incorrect, the flagged, or one domain".to_string(),
        ),
    ];
    if missed > 0 {
        keys.push((
            key(keymap, Action::SendToReview),
            format!(
                "send {missed} missed question{} to spaced repetition",
                if missed == 1 { "" } else { "s" }
            ),
        ));
    }
    for (k, what) in keys {
        out.push(Line::from(vec![
            Span::styled(format!("  {k:>5}  "), theme.key_hint),
            Span::styled(what, theme.base),
        ]));
    }
    if let (Some(r), Some(pack)) = (readiness, spec.pack.as_deref()) {
        let name = pack_name(&shared.library, Some(pack));
        out.push(Line::default());
        out.push(Line::styled(
            format!("Readiness now · {name}"),
            theme.heading(3),
        ));
        out.extend(readiness_lines(
            r,
            &shared.library,
            pack,
            usize::from(width),
            theme,
        ));
    }
    out
}

/// Questions marked wrong (in an exam, unanswered ones too).
pub fn missed_count(session: &QuizSession) -> usize {
    session
        .navigator()
        .iter()
        .filter(|c| c.correct == Some(false))
        .count()
}
