//! The statistics screen: the overview (cards, reviews, streak, true retention), the due
//! forecast, the review calendar, cards by state and mastery per pack, domain and topic.
//!
//! The figures are read from the store when the screen opens (rendering does no I/O); the
//! page is laid out as lines for the width it gets and scrolls when it is taller than that.

mod charts;
mod groups;

use crate::tui::screens::Screen;
use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::quiz::readiness::DomainReadiness;
use crate::srs::Stats;
use crate::srs::stats::Group;
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input};
use crate::tui::screens::dashboard::exam_readiness;
use crate::tui::screens::quiz::format::readiness_line;
use crate::tui::screens::review::explain;
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::put_line;

pub const SCOPES: &[Scope] = &[];

/// The page never gets wider than this: charts stretched further are no easier to read.
const MAX_WIDTH: u16 = 110;
/// Forecast bar rows on a terminal shorter than [`TALL`], and on a taller one.
const CHART_ROWS: usize = 5;
const CHART_ROWS_TALL: usize = 8;
const TALL: u16 = 36;

pub struct StatsScreen {
    shared: Rc<Shared>,
    /// The error text when the store could not be read.
    stats: Result<Stats, String>,
    /// Exam readiness per domain, by pack id.
    readiness: Vec<(String, Vec<DomainReadiness>)>,
    scroll: usize,
}

impl StatsScreen {
    pub fn new(shared: Rc<Shared>) -> Self {
        let stats = compute(&shared);
        let readiness = exam_readiness(&shared);
        StatsScreen {
            shared,
            stats,
            readiness,
            scroll: 0,
        }
    }

    /// The whole page laid out for `area`.
    fn lines(&self, area: Rect) -> Vec<Line<'static>> {
        let theme = &self.shared.theme;
        match &self.stats {
            Ok(stats) => {
                let mut lines = page(stats, area, theme);
                self.readiness_sections(&mut lines, area);
                lines
            }
            Err(e) => vec![Line::styled(e.clone(), theme.error)],
        }
    }
}

impl StatsScreen {
    /// One "Exam readiness" section per pack with an exam.
    fn readiness_sections(&self, out: &mut Vec<Line<'static>>, area: Rect) {
        let theme = &self.shared.theme;
        let width = usize::from(area.width);
        let name_w = width.saturating_sub(30).min(36);
        let bar_w = width.saturating_sub(name_w + 30).clamp(4, 20);
        for (id, domains) in &self.readiness {
            let Some(pack) = self.shared.library.pack(id) else {
                continue;
            };
            section(
                out,
                &format!("Exam readiness · {}", pack.manifest.name),
                theme,
            );
            for r in domains {
                let name = pack
                    .domain(&r.domain)
                    .map_or(r.domain.as_str(), |d| d.name.as_str());
                out.push(readiness_line(r, name, name_w, bar_w, theme));
            }
        }
    }
}

fn compute(shared: &Shared) -> Result<Stats, String> {
    shared
        .progress
        .stats(shared.now())
        .map_err(|e| format!("The statistics could not be read: {}", explain(&e)))
}

/// What [`frame`] leaves of `area` between the title bar and the footer.
fn body_of(area: Rect) -> Rect {
    Rect {
        y: area.y.saturating_add(1),
        height: area.height.saturating_sub(2),
        ..area
    }
}

/// The page's column: centred, at most [`MAX_WIDTH`] wide, one cell of margin.
fn column(body: Rect) -> Rect {
    crate::tui::widgets::text_column(body, MAX_WIDTH)
}

/// Every section, one after another.
fn page(s: &Stats, area: Rect, theme: &Theme) -> Vec<Line<'static>> {
    let width = usize::from(area.width);
    let rows = if area.height + 2 >= TALL {
        CHART_ROWS_TALL
    } else {
        CHART_ROWS
    };
    let mut out = overview(s, theme);
    section(&mut out, "Due in the next 30 days", theme);
    out.push(forecast_totals(s, theme));
    out.extend(charts::forecast(&s.forecast, width, rows, theme));
    let weeks = s.heatmap.len().div_ceil(7);
    section(
        &mut out,
        &format!("Reviews in the last {weeks} weeks"),
        theme,
    );
    out.extend(charts::heatmap(&s.heatmap, width, theme));
    section(&mut out, "Cards by state", theme);
    out.extend(groups::states(&s.states, width, theme));
    for (title, list) in [
        ("Mastery by pack", &s.mastery.packs),
        ("Mastery by domain", &s.mastery.domains),
        ("Mastery by topic", &s.mastery.topics),
    ] {
        mastery_section(&mut out, title, list, width, theme);
    }
    out
}

fn section(out: &mut Vec<Line<'static>>, title: &str, theme: &Theme) {
    out.push(Line::raw(""));
    out.push(Line::styled(title.to_string(), theme.heading(2)));
}

fn mastery_section(
    out: &mut Vec<Line<'static>>,
    title: &str,
    list: &[Group],
    width: usize,
    theme: &Theme,
) {
    if !list.is_empty() {
        section(out, title, theme);
        out.extend(groups::mastery(list, width, theme));
    }
}

/// Cards, reviews and streak, and true retention: the numbers at a glance.
fn overview(s: &Stats, theme: &Theme) -> Vec<Line<'static>> {
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<11}"), theme.muted),
            Span::styled(value, theme.base),
        ])
    };
    let c = &s.states;
    let streak = &s.streak;
    let retention = match s.retention.rate {
        Some(rate) => format!(
            "{:.1}% of {} review{} recalled in the last {} days",
            rate * 100.0,
            s.retention.reviews,
            crate::words::s(s.retention.reviews as usize),
            s.retention.days
        ),
        None => format!(
            "no reviews of review cards in the last {} days",
            s.retention.days
        ),
    };
    vec![
        row(
            "Cards",
            format!(
                "{} new · {} learning · {} review ({} mature) · {} relearning",
                c.new, c.learning, c.review, c.mature, c.relearning
            ),
        ),
        row(
            "Reviews",
            format!(
                "{} in all{}",
                s.total_reviews,
                if streak.reviewed_today {
                    "; some today"
                } else {
                    "; none yet today"
                }
            ),
        ),
        row(
            "Streak",
            format!(
                "{} day{} (longest {})",
                streak.current,
                crate::words::s(streak.current as usize),
                streak.longest
            ),
        ),
        row("Retention", retention),
    ]
}

/// Today, tomorrow, the week and the month in numbers, above the chart.
fn forecast_totals(s: &Stats, theme: &Theme) -> Line<'static> {
    let sum = |n: usize| s.forecast.iter().take(n).map(|d| d.count).sum::<u32>();
    let tomorrow = s.forecast.get(1).map_or(0, |d| d.count);
    Line::styled(
        format!(
            "today {} · tomorrow {tomorrow} · next 7 days {} · next 30 days {}",
            sum(1),
            sum(7),
            sum(30)
        ),
        theme.muted,
    )
}

impl Screen for StatsScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        let page = (self.shared.body_height() / 2).max(1) as isize;
        let delta = match input {
            Input::ScrollUp | Input::Action(Action::Up) => -1,
            Input::ScrollDown | Input::Action(Action::Down) => 1,
            Input::Action(Action::PageUp | Action::HalfPageUp) => -page,
            Input::Action(Action::PageDown | Action::HalfPageDown) => page,
            Input::Action(Action::Top) => isize::MIN / 2,
            Input::Action(Action::Bottom) => isize::MAX / 2,
            _ => return Effect::Ignored,
        };
        let area = column(body_of(self.shared.viewport.get()));
        let max = self
            .lines(area)
            .len()
            .saturating_sub(usize::from(area.height));
        self.scroll = self.scroll.saturating_add_signed(delta).min(max);
        Effect::Redraw
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
        self.stats = compute(&self.shared);
        self.readiness = exam_readiness(&self.shared);
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let page_area = column(body_of(area));
        let lines = self.lines(page_area);
        let max = lines.len().saturating_sub(usize::from(page_area.height));
        let scroll = self.scroll.min(max);
        // How far down the page is, when it scrolls at all.
        let status = (scroll * 100)
            .checked_div(max)
            .map_or_else(String::new, |percent| format!("{percent}% "));
        frame(
            area,
            buf,
            shared,
            Chrome::new(&["statistics"]).status(&status),
        );
        for (y, line) in (page_area.y..page_area.bottom()).zip(lines.iter().skip(scroll)) {
            put_line(buf, page_area, y, line);
        }
    }
}
