//! The quiz history: the score trend of each pack (exams on the 100..1000 scale, practice and
//! drill by share right), each domain's trend for the selected attempt's pack, and every
//! attempt, newest first; enter opens a finished attempt's results and review.

use crate::tui::screens::Screen;
use std::collections::BTreeMap;
use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use super::format::{count, domain_name, key, pack_name, section, spark};
use crate::progress::AttemptRecord;
use crate::quiz::label::{attempt_label, clock, mode_label};
use crate::quiz::plan::QuizStart;
use crate::quiz::score::{SCALED_MAX, SCALED_MIN};
use crate::quiz::{Mode, QuizSession};
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input, Nav, Problem};
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{marker, put_line, row_style, truncate, visible_rows};

pub const SCOPES: &[Scope] = &[Scope::List];
/// Points a trend line shows: the latest attempts.
const TREND_POINTS: usize = 24;

pub struct HistoryScreen {
    shared: Rc<Shared>,
    /// Newest first.
    attempts: Vec<AttemptRecord>,
    cursor: Cursor,
    problem: Option<String>,
}

/// One trend line: what it is of and its points, oldest first, as 0..1.
struct Trend {
    label: String,
    points: Vec<f64>,
    /// The latest point as the learner reads it (a scaled score or a percentage).
    last: String,
    extra: String,
}

impl HistoryScreen {
    pub fn new(shared: Rc<Shared>) -> Self {
        let mut s = HistoryScreen {
            shared,
            attempts: Vec::new(),
            cursor: Cursor::default(),
            problem: None,
        };
        s.load();
        s
    }

    fn load(&mut self) {
        match self.shared.progress.attempts() {
            Ok(mut attempts) => {
                attempts.reverse();
                self.attempts = attempts;
                self.problem = None;
            }
            Err(e) => self.problem = Some(format!("History unavailable: {e}")),
        }
        self.cursor.step(0, self.attempts.len());
    }

    /// A finished attempt opens for review; an unfinished exam resumes.
    fn open(&self) -> Effect {
        let Some(a) = self.attempts.get(self.cursor.selected) else {
            return Effect::None;
        };
        match (a.finished_at, a.mode, &a.pack) {
            (Some(_), _, _) => self.review(a.id),
            (None, Mode::Exam, Some(pack)) => {
                Effect::Go(Nav::Quiz(QuizStart::Resume { pack: pack.clone() }))
            }
            (None, _, _) => Effect::Toast("This attempt was not finished.".into()),
        }
    }

    /// Opens a past attempt, after checking its questions are still in the loaded packs.
    fn review(&self, attempt: i64) -> Effect {
        let shared = &self.shared;
        let snapshot = shared.progress.attempt_snapshot(attempt);
        let now = shared.now().as_millisecond();
        match snapshot {
            Ok(Some(s)) => match QuizSession::resume(s, &shared.library.packs, now) {
                Ok(_) => Effect::Go(Nav::Quiz(QuizStart::Review { attempt })),
                Err(e) => Effect::Error(Problem::new("This attempt cannot be shown", &e)),
            },
            Ok(None) => Effect::Toast(format!("Attempt {attempt} is gone.")),
            Err(e) => Effect::Error(Problem::new("This attempt cannot be shown", &e)),
        }
    }

    /// Per pack and mode, the finished attempts' scores, oldest first.
    fn pack_trends(&self) -> Vec<Trend> {
        let mut groups: BTreeMap<(String, &'static str), Vec<&AttemptRecord>> = BTreeMap::new();
        for a in self.attempts.iter().rev().filter(|a| a.score.is_some()) {
            let pack = pack_name(&self.shared.library, a.pack.as_deref());
            groups
                .entry((pack, mode_label(a.mode)))
                .or_default()
                .push(a);
        }
        groups
            .into_iter()
            .map(|((pack, mode), attempts)| {
                let scores: Vec<_> = attempts.iter().filter_map(|a| a.score.as_ref()).collect();
                let exam = attempts[0].mode == Mode::Exam;
                let value = |s: &crate::quiz::Score| {
                    if exam {
                        f64::from(s.scaled - SCALED_MIN) / f64::from(SCALED_MAX - SCALED_MIN)
                    } else {
                        f64::from(s.percent()) / 100.0
                    }
                };
                let last = scores.last().map_or(String::new(), |s| {
                    if exam {
                        s.scaled.to_string()
                    } else {
                        format!("{}%", s.percent())
                    }
                });
                let passed = scores.iter().filter(|s| s.passed() == Some(true)).count();
                let extra = if exam {
                    format!("{}, {passed} passed", count(scores.len(), "exam"))
                } else {
                    count(scores.len(), "round")
                };
                Trend {
                    label: format!("{pack} · {mode}"),
                    points: tail(scores.iter().map(|s| value(s)).collect()),
                    last,
                    extra,
                }
            })
            .collect()
    }

    /// The domains of the selected attempt's pack, each with its percentage over the pack's
    /// finished attempts.
    fn domain_trends(&self) -> (Option<String>, Vec<Trend>) {
        let pack = self
            .attempts
            .get(self.cursor.selected)
            .and_then(|a| a.pack.clone());
        let Some(p) = pack.as_deref().and_then(|id| self.shared.library.pack(id)) else {
            return (pack, Vec::new());
        };
        let finished: Vec<_> = self
            .attempts
            .iter()
            .rev()
            .filter(|a| a.pack.as_deref() == Some(p.id()))
            .filter_map(|a| a.score.as_ref())
            .collect();
        let trends = p
            .manifest
            .domains
            .iter()
            .map(|d| {
                let points: Vec<(usize, usize)> = finished
                    .iter()
                    .filter_map(|s| {
                        s.domains
                            .iter()
                            .find(|x| x.domain.as_deref() == Some(&d.id))
                            .map(|x| (x.correct, x.total))
                    })
                    .collect();
                let last = points
                    .last()
                    .map_or("no answers yet".to_string(), |&(c, t)| {
                        format!("{}%", (100 * c + t / 2) / t.max(1))
                    });
                Trend {
                    label: domain_name(&self.shared.library, Some(p.id()), &d.id),
                    points: tail(
                        points
                            .iter()
                            .map(|&(c, t)| c as f64 / t.max(1) as f64)
                            .collect(),
                    ),
                    last,
                    extra: count(points.len(), "attempt"),
                }
            })
            .collect();
        (pack, trends)
    }

    /// `kind_w` is the width of the attempt-kind column ("Exam", "Practice exam 3 of 6").
    fn attempt_line(&self, a: &AttemptRecord, kind_w: usize, width: usize) -> Line<'static> {
        let theme = &self.shared.theme;
        let when = jiff::Timestamp::from_millisecond(a.started_at)
            .map(|t| {
                let local = self.shared.tz().to_datetime(t);
                local.strftime("%Y-%m-%d %H:%M").to_string()
            })
            .unwrap_or_default();
        let pack = pack_name(&self.shared.library, a.pack.as_deref());
        let mut spans = vec![
            Span::styled(format!("{when}  "), theme.muted),
            Span::raw(format!(
                "{:<kind_w$} ",
                attempt_label(a.mode, a.practice_exam)
            )),
            Span::raw(format!("{:<20} ", truncate(&pack, 19))),
        ];
        match &a.score {
            Some(s) => {
                // Exams read on their scale, practice and drill as the share right.
                let (score, verdict) = match s.passed() {
                    Some(true) => (s.scaled.to_string(), Span::styled("PASS ", theme.ok)),
                    Some(false) => (s.scaled.to_string(), Span::styled("FAIL ", theme.error)),
                    None => (format!("{}%", s.percent()), Span::raw("     ")),
                };
                spans.push(Span::styled(format!("{score:>4} "), theme.strong));
                spans.push(verdict);
                spans.push(Span::raw(format!("{:>3}/{:<3} ", s.correct, s.total)));
                spans.push(Span::styled(clock(s.used_ms), theme.muted));
            }
            None => spans.push(Span::styled(
                format!("in progress, {} questions", a.questions),
                theme.warn,
            )),
        }
        let line = Line::from(spans);
        if line.width() > width {
            Line::raw(truncate(&line.to_string(), width))
        } else {
            line
        }
    }
}

/// The latest [`TREND_POINTS`] of a series.
fn tail(mut points: Vec<f64>) -> Vec<f64> {
    let skip = points.len().saturating_sub(TREND_POINTS);
    points.drain(..skip);
    points
}

fn draw_trends(area: Rect, buf: &mut Buffer, trends: &[Trend], shared: &Shared) {
    let theme = &shared.theme;
    let label_w = trends
        .iter()
        .map(|t| t.label.chars().count())
        .max()
        .unwrap_or(0)
        .min(usize::from(area.width) / 3);
    for (i, t) in trends.iter().enumerate() {
        let y = area.y + i as u16;
        if y >= area.bottom() {
            break;
        }
        let line = Line::from(vec![
            Span::raw(format!("{:<label_w$}  ", truncate(&t.label, label_w))),
            Span::styled(
                format!("{:<w$}", spark(&t.points), w = TREND_POINTS),
                theme.accent,
            ),
            Span::styled(format!("  {:>5}", t.last), theme.strong),
            Span::styled(format!("  {}", t.extra), theme.muted),
        ]);
        put_line(buf, area, y, &line);
    }
}

impl Screen for HistoryScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        let len = self.attempts.len();
        match input {
            Input::Action(Action::Up) | Input::ScrollUp => self.cursor.step(-1, len),
            Input::Action(Action::Down) | Input::ScrollDown => self.cursor.step(1, len),
            Input::Action(Action::Top) => self.cursor.first(),
            Input::Action(Action::Bottom) => self.cursor.last(len),
            Input::Action(Action::Open) => return self.open(),
            _ => return Effect::Ignored,
        }
        Effect::Redraw
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
        self.load();
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let status = format!("{} ", count(self.attempts.len(), "attempt"));
        let body = frame(
            area,
            buf,
            shared,
            Chrome::new(&["quiz", "history"]).status(&status),
        );
        let packs = self.pack_trends();
        let (pack, domains) = self.domain_trends();
        let [top, middle, bottom] = Layout::vertical([
            Constraint::Length(packs.len().max(1) as u16 + 2),
            Constraint::Length(domains.len().max(1) as u16 + 2),
            Constraint::Min(3),
        ])
        .areas(body);
        let inner = section(" Score trend per pack ", theme.border, top, buf, theme);
        if packs.is_empty() {
            let text = self
                .problem
                .clone()
                .unwrap_or_else(|| "No finished quizzes yet.".to_string());
            put_line(buf, inner, inner.y, &Line::styled(text, theme.muted));
        }
        draw_trends(inner, buf, &packs, shared);
        let title = match &pack {
            Some(id) => format!(" By domain · {} ", pack_name(&shared.library, Some(id))),
            None => " By domain ".to_string(),
        };
        let inner = section(&title, theme.border, middle, buf, theme);
        if domains.is_empty() {
            let text = "Select an attempt of a pack with domains.";
            put_line(buf, inner, inner.y, &Line::styled(text, theme.muted));
        }
        draw_trends(inner, buf, &domains, shared);
        let inner = section(" Attempts — enter opens ", theme.border, bottom, buf, theme);
        let width = usize::from(inner.width).saturating_sub(2);
        let kind_w = self
            .attempts
            .iter()
            .map(|a| attempt_label(a.mode, a.practice_exam).len())
            .max()
            .unwrap_or(0)
            .max(8);
        if self.attempts.is_empty() {
            let start = key(&shared.keymap, Action::Exam);
            let text = format!("No attempts yet: {start} on home takes an exam.");
            put_line(buf, inner, inner.y, &Line::styled(text, theme.muted));
        }
        for (i, y) in visible_rows(inner, &self.cursor, self.attempts.len(), 1) {
            let selected = i == self.cursor.selected;
            let style = row_style(buf, inner, y, 1, selected, theme);
            let mut line = self.attempt_line(&self.attempts[i], kind_w, width);
            line.spans
                .insert(0, Span::styled(marker(selected), theme.accent));
            put_line(buf, inner, y, &line.patch_style(style));
        }
    }
}
