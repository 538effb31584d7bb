//! Home's progress panels: what is due today, each pack's mastery, and the last week's work.
//! Computed from the store when home is shown, not on every frame.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use crate::quiz::Readiness;
use crate::srs::stats::DayCount;
use crate::srs::{Counts, Scope, Stats};
use crate::tui::screens::quiz::format::readiness_lines;
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::{bar, put_line, truncate};

/// One pack's progress line.
#[derive(Debug, Clone)]
pub struct PackProgress {
    pub id: String,
    /// Share of the pack's items that are mature (0..1).
    pub mastery: f64,
    pub started: u32,
    pub items: u32,
}

/// Everything home shows about the learner's progress.
#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    pub due: Counts,
    pub packs: Vec<PackProgress>,
    /// Reviews per day for the last seven days, oldest first.
    pub week: Vec<u32>,
    pub streak: u32,
    pub retention: Option<f64>,
    pub total_reviews: usize,
    /// Why the numbers are missing, if the store could not be read.
    pub problem: Option<String>,
    /// Exam readiness, for every pack with an exam.
    pub readiness: Vec<(String, Readiness)>,
    /// Today's cards left by pack.
    pub by_pack: Vec<(String, Counts)>,
    /// Cards due on each of the next seven days, today first.
    pub forecast: Vec<DayCount>,
    /// Days left to each planned exam, by pack.
    pub exams: Vec<(String, i64)>,
}

impl Dashboard {
    pub fn compute(shared: &Shared) -> Dashboard {
        let now = shared.now();
        let stats = shared.progress.stats(now);
        let session = shared.progress.session(&Scope::default(), now);
        let readiness = exam_readiness(shared);
        let today = shared.progress.learning_day(now);
        let exams = shared
            .progress
            .exam_goals()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|g| Some((g.pack, (g.exam - *today.as_ref().ok()?).get_days().into())))
            .collect();
        match (stats, session) {
            (Ok(stats), Ok(session)) => Dashboard {
                readiness,
                exams,
                by_pack: session.counts_by_pack(),
                forecast: stats.forecast.iter().take(7).cloned().collect(),
                ..Dashboard::from_parts(&stats, session.counts())
            },
            (Err(e), _) | (_, Err(e)) => Dashboard {
                problem: Some(format!("Progress unavailable: {e}")),
                ..Dashboard::default()
            },
        }
    }

    fn from_parts(stats: &Stats, due: Counts) -> Dashboard {
        let week = stats
            .heatmap
            .iter()
            .rev()
            .take(7)
            .rev()
            .map(|d| d.count)
            .collect();
        Dashboard {
            due,
            packs: stats
                .mastery
                .packs
                .iter()
                .map(|g| PackProgress {
                    id: g.id.clone(),
                    mastery: g.mastery,
                    started: g.started,
                    items: g.items,
                })
                .collect(),
            week,
            streak: stats.streak.current,
            retention: stats.retention.rate,
            total_reviews: stats.total_reviews,
            problem: None,
            readiness: Vec::new(),
            by_pack: Vec::new(),
            forecast: Vec::new(),
            exams: Vec::new(),
        }
    }

    pub fn pack(&self, id: &str) -> Option<&PackProgress> {
        self.packs.iter().find(|p| p.id == id)
    }
}

/// A bordered panel with a title; returns the inner area.
pub fn panel(area: Rect, buf: &mut Buffer, theme: &Theme, title: &str, focus: bool) -> Rect {
    let block = Block::bordered()
        .title(Span::styled(format!(" {title} "), theme.title))
        .border_style(if focus {
            theme.border_focus
        } else {
            theme.border
        });
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// The "Today" panel: cards due by kind, reviews this week, streak and retention.
pub fn render_today(d: &Dashboard, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "Today", false);
    if let Some(p) = &d.problem {
        put_line(
            buf,
            inner,
            inner.y,
            &Line::styled(truncate(p, usize::from(inner.width)), theme.warn),
        );
        return;
    }
    let row = |label: &str, value: String, style| {
        Line::from(vec![
            Span::styled(format!(" {label:<12}"), theme.muted),
            Span::styled(value, style),
        ])
    };
    let due = d.due.review + d.due.learning;
    let lines = [
        row(
            "Due",
            format!("{due} card{}", if due == 1 { "" } else { "s" }),
            if due > 0 { theme.warn } else { theme.ok },
        ),
        row("New today", d.due.new.to_string(), theme.info),
        row(
            "Streak",
            format!("{} day{}", d.streak, if d.streak == 1 { "" } else { "s" }),
            theme.base,
        ),
        row(
            "Retention",
            d.retention.map_or("–".to_string(), |r| {
                format!("{:.0}% (30 days)", r * 100.0)
            }),
            theme.base,
        ),
        Line::from(vec![
            Span::styled(" This week   ", theme.muted),
            Span::styled(sparkline(&d.week), theme.accent),
        ]),
    ];
    for (i, line) in lines.iter().enumerate() {
        put_line(buf, inner, inner.y + i as u16, line);
    }
}

/// The readiness of every pack with an exam, by pack id; packs whose numbers cannot be read
/// are left out.
pub fn exam_readiness(shared: &Shared) -> Vec<(String, Readiness)> {
    let now = shared.now();
    shared
        .library
        .packs
        .iter()
        .filter(|p| p.manifest.exam.is_some())
        .filter_map(|p| {
            let r = shared.progress.readiness(p, now).ok()?;
            Some((p.id().to_string(), r))
        })
        .collect()
}

/// The "Exam readiness" panel for one pack: the pack's number and each domain's, or what
/// evidence is missing.
pub fn render_readiness(d: &Dashboard, shared: &Shared, pack: &str, area: Rect, buf: &mut Buffer) {
    let theme = &shared.theme;
    let Some((_, readiness)) = d.readiness.iter().find(|(p, _)| p == pack) else {
        return;
    };
    let Some(pack) = shared.library.pack(pack) else {
        return;
    };
    let exam = match d.exams.iter().find(|(p, _)| p == pack.id()) {
        Some((_, days)) if *days > 0 => {
            format!(" · exam in {}", crate::words::count(*days as usize, "day"))
        }
        Some(_) => " · exam date passed".to_string(),
        None => String::new(),
    };
    let inner = panel(
        area,
        buf,
        theme,
        &format!("Exam readiness · {}{exam}", pack.manifest.name),
        false,
    );
    let width = usize::from(inner.width);
    let lines = readiness_lines(readiness, &shared.library, pack.id(), width, theme);
    for (y, line) in (inner.y..inner.bottom()).zip(&lines) {
        put_line(buf, inner, y, line);
    }
}

/// One cell per day, height by count.
fn sparkline(counts: &[u32]) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    counts
        .iter()
        .map(|&c| {
            if c == 0 {
                '·'
            } else {
                LEVELS[((c * 7) / max) as usize]
            }
        })
        .collect()
}

/// A pack's progress as a short bar and percentage, or a prompt to start.
pub fn progress_spans(p: Option<&PackProgress>, width: usize, theme: &Theme) -> Vec<Span<'static>> {
    match p {
        Some(p) if p.started > 0 => vec![
            Span::styled(bar(p.mastery, width), theme.ok),
            Span::styled(
                format!(" {:>3.0}% mastered", p.mastery * 100.0),
                theme.muted,
            ),
        ],
        _ => vec![Span::styled("not started", theme.muted)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_to_the_busiest_day() {
        assert_eq!(sparkline(&[0, 1, 2, 4]), "·▂▄█");
        assert_eq!(sparkline(&[]), "");
    }
}
