//! Drawing the review screen: the progress header, the card with its grade buttons, the wait
//! for a learning card, and the end-of-session summary.

use jiff::{SignedDuration, Timestamp};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};
use unicode_width::UnicodeWidthStr;

use super::card::Shown;
use super::{Message, ReviewScreen, Stage};
use crate::srs::{Class, Grade, Session, Summary};
use crate::tui::keymap::Action;
use crate::tui::markdown::NoteView;
use crate::tui::nav::StudyKind;
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::{bar, put_line, truncate, wrap_line};

/// The widest the card text gets: long lines are hard to read.
const MAX_WIDTH: u16 = 100;
/// Rows of the grade buttons (a bordered line).
const BUTTONS_HEIGHT: u16 = 3;

/// The column everything is drawn in: centred, at most [`MAX_WIDTH`] wide, one cell of margin.
fn column(body: Rect) -> Rect {
    crate::tui::widgets::text_column(body, MAX_WIDTH)
}

/// The rows of the card stage.
struct Parts {
    header: Rect,
    label: Rect,
    text: Rect,
    message: Rect,
    buttons: Rect,
}

fn parts(body: Rect, message: bool) -> Parts {
    let [header, _, label, text, message, buttons] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(u16::from(message)),
        Constraint::Length(BUTTONS_HEIGHT),
    ])
    .areas(column(body));
    Parts {
        header,
        label,
        text,
        message,
        buttons,
    }
}

/// Where the card's text goes in `body`; the screen scrolls against its height.
pub(super) fn text_area(body: Rect, message: bool) -> Rect {
    parts(body, message).text
}

impl ReviewScreen {
    /// Draws the screen; the [`Screen`](crate::tui::screens::Screen) impl calls it.
    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let crumbs = self.crumbs(area.width);
        let crumbs: Vec<&str> = crumbs.iter().map(String::as_str).collect();
        let body = frame(area, buf, shared, Chrome::new(&crumbs));
        let parts = parts(body, self.message.is_some());
        if let Ok(session) = &self.session {
            header(session, parts.header, buf, &shared.theme);
        }
        if let Some(m) = &self.message {
            message(m, parts.message, buf, &shared.theme);
        }
        let main = Rect {
            height: parts.message.y.saturating_sub(parts.label.y),
            ..parts.label
        };
        match &self.stage {
            Stage::Card(shown) => self.card(shown, &parts, buf),
            Stage::Wait(due) => centred(&waiting(shared, *due), main, buf),
            Stage::Done => {
                let lines = match &self.session {
                    Ok(session) => summary(shared, &session.summary(), &self.label, self.kind),
                    Err(e) => vec![Line::styled(e.clone(), shared.theme.error)],
                };
                centred(&lines, main, buf);
            }
        }
    }

    /// The title bar: the scope, and what kind of session this is. Review ahead and cram say
    /// so whole, the scope cut short if need be.
    fn crumbs(&self, width: u16) -> Vec<String> {
        let (before, after) = match self.kind {
            StudyKind::Today => return vec!["review".into(), self.label.clone()],
            StudyKind::Ahead(days) => (
                "Reviewing ahead · ".to_string(),
                format!(
                    " · due in the next {}",
                    crate::words::count(days as usize, "day")
                ),
            ),
            StudyKind::Cram => ("Cram · ".to_string(), " · grades are not saved".to_string()),
        };
        let around = " sysdeck › review ›  ".width() + before.width() + after.width();
        let room = usize::from(width).saturating_sub(around).max(1);
        let label = truncate(&self.label, room);
        vec!["review".into(), format!("{before}{label}{after}")]
    }
}

impl ReviewScreen {
    fn card(&self, shown: &Shown, parts: &Parts, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let rendered = self.rendered(shown.layout_id(), shown.document(), parts.text.width);
        let max = rendered
            .lines
            .len()
            .saturating_sub(usize::from(parts.text.height));
        let scroll = self.scroll.min(max);
        let (badge, style) = match shown.class {
            Class::New => ("NEW", theme.info),
            Class::Learning => ("LEARNING", theme.warn),
            Class::Review => ("REVIEW", theme.ok),
        };
        let more = if scroll < max { "  ↓ more (j)" } else { "" };
        let room = usize::from(parts.label.width).saturating_sub(badge.len() + 2 + more.width());
        let label = Line::from(vec![
            Span::styled(badge, style.patch(theme.strong)),
            Span::styled(
                format!("  {}", truncate(shown.kind.prompt(), room)),
                theme.muted,
            ),
            Span::styled(more, theme.accent),
        ]);
        put_line(buf, parts.label, parts.label.y, &label);
        NoteView {
            rendered: &rendered,
            scroll,
            selected_link: None,
            matches: &[],
            current_match: None,
            theme,
        }
        .render(parts.text, buf);
        if shown.revealed {
            self.grade_buttons(shown, parts.buttons, buf);
        } else {
            self.reveal_button(parts.buttons, buf);
        }
    }

    /// Before the answer: one wide button naming the keys that reveal it.
    fn reveal_button(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let keys = keys_of(&self.shared, Action::Reveal);
        let inner = boxed(area, buf, theme.border_focus);
        let line = Line::from(vec![
            Span::styled(keys, theme.key_hint),
            Span::styled("  show the answer", theme.base),
        ]);
        centred_line(line, inner, buf);
    }

    /// After the answer: Again, Hard, Good, Easy, each with its key and the wait it gives.
    fn grade_buttons(&self, shown: &Shown, area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let cells = Layout::horizontal([Constraint::Ratio(1, 4); 4]).split(area);
        for (grade, &cell) in Grade::ALL.iter().zip(cells.iter()) {
            let style = grade_style(*grade, theme);
            let inner = boxed(cell, buf, style);
            let key = keys_of(&self.shared, action_of(*grade));
            // A cram schedules nothing, so its buttons show no wait.
            let wait = match shown.interval(*grade) {
                _ if self.cramming() => String::new(),
                Some(i) => i.to_string(),
                None => "?".to_string(),
            };
            let full = [
                Span::styled(key.clone(), theme.key_hint),
                Span::styled(format!(" {} ", grade.label()), style.patch(theme.strong)),
                Span::styled(wait.clone(), theme.muted),
            ];
            let width: usize = full.iter().map(|s| s.content.width()).sum();
            let line = if width <= usize::from(inner.width) {
                Line::from(full.to_vec())
            } else {
                Line::from(vec![
                    Span::styled(key, theme.key_hint),
                    Span::styled(format!(" {wait}"), theme.muted),
                ])
            };
            centred_line(line, inner, buf);
        }
    }
}

/// Progress on the left, what is left by kind on the right; nothing for an empty session.
fn header(session: &Session, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let progress = session.progress();
    let total = progress.done + progress.remaining;
    if total == 0 {
        return;
    }
    let counts = session.counts();
    let right = if session.is_cram() {
        // A cram goes through every card once, whatever its state: only the count matters.
        Line::styled(format!("{} to go", progress.remaining), theme.accent)
    } else {
        Line::from(vec![
            Span::styled(format!("{} new", counts.new), theme.info),
            Span::styled(" · ", theme.muted),
            Span::styled(format!("{} learning", counts.learning), theme.warn),
            Span::styled(" · ", theme.muted),
            Span::styled(format!("{} review", counts.review), theme.ok),
        ])
    };
    let done = format!(" {} of {total} answered", progress.done);
    let right_w = right.width() as u16;
    let room = usize::from(area.width.saturating_sub(right_w + 2)).saturating_sub(done.width());
    let bar_w = room.min(40);
    let filled = bar(progress.fraction(), bar_w).trim_end().to_string();
    let track = "─".repeat(bar_w.saturating_sub(filled.chars().count()));
    let left = Line::from(vec![
        Span::styled(filled, theme.accent),
        Span::styled(track, theme.border),
        Span::styled(done, theme.base),
    ]);
    put_line(buf, area, area.y, &left);
    if right_w + 2 < area.width {
        let r = Rect {
            x: area.right() - right_w,
            width: right_w,
            ..area
        };
        put_line(buf, r, r.y, &right);
    }
}

fn message(m: &Message, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let style = if m.error { theme.error } else { theme.muted };
    let text = truncate(&m.text, usize::from(area.width));
    put_line(buf, area, area.y, &Line::styled(text, style));
}

/// What the screen says while only learning cards are left, none due yet.
fn waiting(shared: &Shared, due: Timestamp) -> Vec<Line<'static>> {
    let theme = &shared.theme;
    let left = due.duration_since(shared.now());
    let at = shared.tz().to_datetime(due).strftime("%H:%M").to_string();
    vec![
        Line::styled("All caught up for now.", theme.heading(2)),
        Line::raw(""),
        Line::from(vec![
            Span::styled("The next learning card is due in ", theme.base),
            Span::styled(span(left), theme.accent.patch(theme.strong)),
            Span::styled(format!(" (at {at})."), theme.base),
        ]),
        Line::styled(
            "It shows here by itself; esc leaves, and it waits for later today.",
            theme.muted,
        ),
    ]
}

/// Why a session had no card at all, by kind.
fn nothing(label: &str, kind: StudyKind) -> (&'static str, String) {
    match kind {
        StudyKind::Today => (
            "Nothing to review right now.",
            format!("No cards are due in {label}. The statistics show when the next ones are."),
        ),
        StudyKind::Ahead(days) => (
            "Nothing to review ahead.",
            format!(
                "No review cards of {label} come due in the next {}.",
                crate::words::count(days as usize, "day")
            ),
        ),
        StudyKind::Cram => (
            "Nothing to cram.",
            format!("{label} has no cards to go through (suspended ones are left out)."),
        ),
    }
}

/// The end of the session: how many, how well, how long, and what it did to the schedule.
fn summary(shared: &Shared, s: &Summary, label: &str, kind: StudyKind) -> Vec<Line<'static>> {
    let theme = &shared.theme;
    if s.answered == 0 {
        let (heading, why) = nothing(label, kind);
        return vec![
            Line::styled(heading, theme.heading(2)),
            Line::raw(""),
            Line::styled(why, theme.muted),
        ];
    }
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<12}"), theme.muted),
            Span::styled(value, theme.base),
        ])
    };
    let per_card = s.time_ms / s.answered as u64;
    let (heading, outcome) = match kind {
        StudyKind::Today => ("Session complete", None),
        StudyKind::Ahead(_) => (
            "Reviewed ahead",
            Some(format!(
                "{} answered early and rescheduled from today.",
                crate::words::count(s.answered, "card")
            )),
        ),
        StudyKind::Cram => (
            "Cram complete",
            Some(format!(
                "{} crammed; your schedule is unchanged.",
                crate::words::count(s.answered, "card")
            )),
        ),
    };
    let mut lines = vec![Line::styled(heading, theme.heading(2)), Line::raw("")];
    if let Some(outcome) = outcome {
        lines.extend([Line::styled(outcome, theme.base), Line::raw("")]);
    }
    lines.extend([
        row(
            "Answered",
            format!(
                "{} in {} ({} a card)",
                crate::words::count(s.answered, "card"),
                span(SignedDuration::from_millis(s.time_ms as i64)),
                span(SignedDuration::from_millis(per_card as i64))
            ),
        ),
        row("New cards", s.new_cards.to_string()),
        Line::raw(""),
    ]);
    let most = s.grades.iter().copied().max().unwrap_or(0).max(1);
    for grade in Grade::ALL {
        let n = s.grades[grade.index()];
        lines.push(Line::from(vec![
            Span::styled(format!("{:<12}", grade.label()), grade_style(grade, theme)),
            Span::styled(bar(n as f64 / most as f64, 20), grade_style(grade, theme)),
            Span::styled(format!(" {n:>4}"), theme.base),
        ]));
    }
    if s.learning_left > 0 {
        lines.push(Line::raw(""));
        let text = match s.learning_left {
            1 => "1 card is still learning and comes back later today.".to_string(),
            n => format!("{n} cards are still learning and come back later today."),
        };
        lines.push(Line::styled(text, theme.muted));
    }
    lines
}

/// Lines in the middle of `area`, each left-aligned in a column as wide as the widest.
fn centred(lines: &[Line<'_>], area: Rect, buf: &mut Buffer) {
    let lines: Vec<Line<'_>> = lines
        .iter()
        .flat_map(|l| wrap_line(l, usize::from(area.width)))
        .collect();
    let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16;
    let width = width.min(area.width);
    let height = (lines.len() as u16).min(area.height);
    let r = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 3,
        width,
        height,
    };
    for (y, line) in (r.y..r.bottom()).zip(&lines) {
        put_line(buf, r, y, line);
    }
}

/// One line in the middle of the first row of `area`.
fn centred_line(line: Line<'_>, area: Rect, buf: &mut Buffer) {
    if area.height > 0 {
        line.centered().render(Rect { height: 1, ..area }, buf);
    }
}

/// A bordered box; returns its inside.
fn boxed(area: Rect, buf: &mut Buffer, style: Style) -> Rect {
    let block = Block::bordered().border_style(style);
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// Every key bound to `action`, as `space / enter`.
fn keys_of(shared: &Shared, action: Action) -> String {
    shared
        .keymap
        .bindings()
        .iter()
        .find(|b| b.action == action)
        .map(|b| {
            b.keys
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .unwrap_or_default()
}

fn action_of(grade: Grade) -> Action {
    match grade {
        Grade::Again => Action::GradeAgain,
        Grade::Hard => Action::GradeHard,
        Grade::Good => Action::GradeGood,
        Grade::Easy => Action::GradeEasy,
    }
}

fn grade_style(grade: Grade, theme: &Theme) -> Style {
    match grade {
        Grade::Again => theme.error,
        Grade::Hard => theme.warn,
        Grade::Good => theme.ok,
        Grade::Easy => theme.info,
    }
}

/// A duration in jiff's friendly format, `45s`, `3m 5s`, `1h 20m`: seconds round up, so a
/// countdown never shows `0s` early, and from an hour on only hours and minutes are shown.
fn span(d: SignedDuration) -> String {
    let secs = u64::try_from(d.as_millis().max(0))
        .unwrap_or(u64::MAX)
        .div_ceil(1000);
    let shown = if secs >= 3600 { secs - secs % 60 } else { secs };
    let shown = i64::try_from(shown).unwrap_or(i64::MAX);
    format!("{:#}", SignedDuration::from_secs(shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_round_up_and_drop_zero_parts() {
        let ms = SignedDuration::from_millis;
        assert_eq!(span(ms(0)), "0s");
        assert_eq!(span(ms(1)), "1s");
        assert_eq!(span(ms(45_000)), "45s");
        assert_eq!(span(ms(180_000)), "3m");
        assert_eq!(span(ms(185_000)), "3m 5s");
        assert_eq!(span(ms(4_800_000)), "1h 20m");
        assert_eq!(span(ms(4_805_000)), "1h 20m");
        // Zero parts are dropped from the hours too, where `1h 0m` was shown.
        assert_eq!(span(ms(3_600_000)), "1h");
        assert_eq!(span(ms(-5)), "0s");
    }
}
