//! The exam-date planner in the app: the exam, its date, the target and the minutes a day,
//! each turned in place, Enter to plan for them; then today's work, each domain's pace and
//! forecast, the practice exam days, any shortfall with what would meet it, and the forecast
//! beside what actually happened. The same plan as `sysdeck plan`.

mod chart;

use std::rc::Rc;
use std::sync::Arc;

use jiff::civil::Date;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::progress::MAX_GOAL_DAYS;
use crate::progress::exam_words::{Said, shortfall_words};
use crate::progress::{ExamPlan, ExamPlanError, Planning};
use crate::srs::planner::{DEFAULT_MINUTES, DEFAULT_TARGET};
use crate::srs::time::add_days;
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input, Nav, Problem};
use crate::tui::screens::Screen;
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{fit_line, marker, put_line, row_style, text_column};

pub const SCOPES: &[Scope] = &[Scope::Plan, Scope::Form];

/// The values the learner turns before planning.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Draft {
    exam: Date,
    target: f64,
    minutes: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Pack,
    Date,
    Target,
    Minutes,
}

const ROWS: [Row; 4] = [Row::Pack, Row::Date, Row::Target, Row::Minutes];

pub struct PlanScreen {
    shared: Rc<Shared>,
    /// Packs with an exam.
    packs: Vec<String>,
    pack: usize,
    draft: Draft,
    cursor: Cursor,
    plan: Option<Arc<ExamPlan>>,
    /// Whether a plan is being worked out for the selected pack (shown when it arrives).
    making: bool,
    /// Why there is no plan to show, when there should be one.
    trouble: Option<String>,
}

/// How often a screen waiting for a plan looks for it.
const POLL: std::time::Duration = std::time::Duration::from_millis(30);

impl PlanScreen {
    pub fn new(shared: Rc<Shared>, pack: Option<String>) -> Self {
        let packs: Vec<String> = shared
            .catalog()
            .blueprints()
            .iter()
            .map(|b| b.pack.clone())
            .collect();
        let at = pack
            .and_then(|p| packs.iter().position(|x| *x == p))
            .unwrap_or(0);
        let mut screen = PlanScreen {
            draft: default_draft(&shared),
            shared,
            packs,
            pack: at,
            cursor: Cursor::default(),
            plan: None,
            making: false,
            trouble: None,
        };
        screen.load();
        screen.cursor.selected = 1;
        screen
    }

    fn today(&self) -> Date {
        learning_day(&self.shared)
    }

    /// The selected pack's goal and plan, the draft following the goal.
    fn load(&mut self) {
        self.plan = None;
        self.making = false;
        self.trouble = None;
        let Some(pack) = self.packs.get(self.pack) else {
            return;
        };
        self.draft = match self.shared.progress.exam_goal(pack) {
            Ok(Some(goal)) => Draft {
                exam: goal.exam,
                target: goal.target,
                minutes: goal.minutes,
            },
            _ => default_draft(&self.shared),
        };
        self.settle_plan();
    }

    /// Takes the selected pack's plan if it is ready, or why it could not be made.
    fn settle_plan(&mut self) {
        if let Err(e) = self.take_plan() {
            self.trouble = Some(crate::safe_text::escape(&e.to_string()).into_owned());
        }
    }

    /// Takes the selected pack's plan if it is ready.
    fn take_plan(&mut self) -> Result<(), ExamPlanError> {
        let Some(pack) = self.packs.get(self.pack) else {
            return Ok(());
        };
        self.making = false;
        match self.shared.progress.planning(pack, self.shared.now())? {
            // The draft stays: it already shows the goal, or what was turned since.
            Planning::Ready(plan) => {
                self.plan = Some(plan);
                self.trouble = None;
            }
            Planning::Making => self.making = true,
            Planning::NoGoal => self.plan = None,
        }
        Ok(())
    }

    fn selected(&self) -> Row {
        ROWS[self.cursor.selected.min(ROWS.len() - 1)]
    }

    fn turn(&mut self, steps: i64) -> Effect {
        let today = self.today();
        match self.selected() {
            Row::Pack if !self.packs.is_empty() => {
                let n = self.packs.len() as i64;
                self.pack = (self.pack as i64 + steps.signum()).rem_euclid(n) as usize;
                self.load();
            }
            Row::Pack => return Effect::None,
            Row::Date => {
                let latest = add_days(today, MAX_GOAL_DAYS);
                self.draft.exam =
                    add_days(self.draft.exam, steps).clamp(add_days(today, 1), latest);
            }
            Row::Target => {
                let t = (self.draft.target * 100.0).round() + 5.0 * steps.signum() as f64;
                self.draft.target = (t.clamp(50.0, 95.0)) / 100.0;
            }
            Row::Minutes => {
                let m = i64::from(self.draft.minutes) + 5 * steps.signum();
                self.draft.minutes = m.clamp(5, 600) as u32;
            }
        }
        Effect::Redraw
    }

    /// Whether the values shown differ from the goal the plan was made for.
    fn changed(&self) -> bool {
        self.plan.as_ref().is_none_or(|p| {
            Draft {
                exam: p.goal.exam,
                target: p.goal.target,
                minutes: p.goal.minutes,
            } != self.draft
        })
    }

    /// Plans for the values shown; the plan is shown (and the goal saved) when it is made.
    fn set_goal(&mut self) -> Effect {
        let Some(pack) = self.packs.get(self.pack).cloned() else {
            return Effect::None;
        };
        let d = self.draft;
        match self.shared.progress.begin_exam_goal(
            &pack,
            d.exam,
            d.target,
            d.minutes,
            self.shared.now(),
        ) {
            Ok(()) => match self.take_plan() {
                Ok(()) => Effect::Redraw,
                Err(e) => Effect::Error(Problem::new("The exam date was not saved", &e)),
            },
            Err(e) => Effect::Error(Problem::new("The exam date was not saved", &e)),
        }
    }

    fn clear_goal(&mut self) -> Effect {
        let Some(pack) = self.packs.get(self.pack).cloned() else {
            return Effect::None;
        };
        match self.shared.progress.clear_exam_goal(&pack) {
            Ok(_) => {
                self.load();
                Effect::Toast("Exam date removed: the daily limits apply again.".into())
            }
            Err(e) => Effect::Error(Problem::new("The exam date was not removed", &e)),
        }
    }

    fn row_value(&self, row: Row) -> String {
        match row {
            Row::Pack => self
                .packs
                .get(self.pack)
                .and_then(|p| self.shared.catalog().blueprint(p))
                .map_or("no pack has an exam".into(), |b| {
                    format!("{} ({})", b.exam, self.shared.catalog().name(&b.pack))
                }),
            Row::Date => {
                let days = match (self.draft.exam - self.today()).get_days() {
                    1 => "tomorrow".to_string(),
                    n => format!("{n} days"),
                };
                format!("{}  ({days})", self.draft.exam.strftime("%a %Y-%m-%d"))
            }
            Row::Target => format!(
                "{:.0}% expected recall in every domain",
                self.draft.target * 100.0
            ),
            Row::Minutes => format!("{} min a day", self.draft.minutes),
        }
    }
}

/// Today's learning day; the calendar day if the progress cannot be read.
fn learning_day(shared: &Shared) -> Date {
    let now = shared.now();
    shared
        .progress
        .learning_day(now)
        .unwrap_or_else(|_| shared.tz().to_datetime(now).date())
}

/// Ten weeks from now, the default target and minutes: a common runway for a certification.
fn default_draft(shared: &Shared) -> Draft {
    let today = learning_day(shared);
    Draft {
        exam: add_days(today, 70),
        target: DEFAULT_TARGET,
        minutes: DEFAULT_MINUTES,
    }
}

impl Screen for PlanScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        match input {
            Input::Action(Action::Up) | Input::ScrollUp => self.cursor.step(-1, ROWS.len()),
            Input::Action(Action::Down) | Input::ScrollDown => self.cursor.step(1, ROWS.len()),
            Input::Action(Action::Left) => return self.turn(-1),
            Input::Action(Action::Right) => return self.turn(1),
            Input::Action(Action::PageUp) if self.selected() == Row::Date => return self.turn(-7),
            Input::Action(Action::PageDown) if self.selected() == Row::Date => return self.turn(7),
            Input::Action(Action::Open) => return self.set_goal(),
            Input::Action(Action::ClearGoal) if self.plan.is_some() => return self.clear_goal(),
            Input::Action(Action::Review) => {
                let pack = self.packs.get(self.pack).cloned();
                return Effect::Go(Nav::Review(
                    crate::srs::Scope {
                        pack,
                        ..Default::default()
                    }
                    .into(),
                ));
            }
            Input::Action(Action::Exam) => {
                let pack = self.packs.get(self.pack).cloned();
                return Effect::Go(Nav::QuizSetup { pack });
            }
            _ => return Effect::Ignored,
        }
        Effect::Redraw
    }

    fn enabled(&self, action: Action) -> bool {
        match action {
            Action::Open => !self.packs.is_empty() && self.changed(),
            Action::ClearGoal => self.plan.is_some(),
            Action::Review | Action::Exam => !self.packs.is_empty(),
            Action::Left | Action::Right => {
                !self.packs.is_empty() && (self.selected() != Row::Pack || self.packs.len() > 1)
            }
            _ => true,
        }
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        let pack = self.packs.get(self.pack).cloned();
        *self = PlanScreen::new(shared, pack);
    }

    /// Shows the plan once it is made.
    fn settle(&mut self) -> bool {
        if !self.making {
            return false;
        }
        self.settle_plan();
        !self.making
    }

    fn tick_interval(&self) -> Option<std::time::Duration> {
        self.making.then_some(POLL)
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let body = frame(area, buf, shared, Chrome::new(&["exam plan"]));
        let column = text_column(body, 100);
        let width = usize::from(column.width);
        let mut lines: Vec<Line<'static>> = Vec::new();
        let label_w = 10;
        let mut y = column.y;
        for (i, row) in ROWS.iter().enumerate() {
            if y >= column.bottom() {
                break;
            }
            let selected = i == self.cursor.selected;
            let style = row_style(buf, column, y, 1, selected, theme);
            let label = match row {
                Row::Pack => "Exam",
                Row::Date => "Date",
                Row::Target => "Target",
                Row::Minutes => "Time",
            };
            let line = Line::from(vec![
                Span::styled(format!("{}{label:<label_w$}", marker(selected)), style),
                Span::styled(self.row_value(*row), style.patch(theme.accent)),
            ]);
            put_line(buf, column, y, &fit_line(&line, width));
            y += 1;
        }
        let enter = shared
            .keymap
            .key_for(Action::Open)
            .map(|k| k.to_string())
            .unwrap_or_default();
        let hint = if self.packs.is_empty() {
            Line::styled(" Load a pack with an [exam] to plan for it.", theme.muted)
        } else if self.making {
            Line::styled(
                " Working out the plan: simulating each domain's days to the exam…",
                theme.info,
            )
        } else if self.changed() {
            Line::styled(
                format!(
                    " {enter} plans for these values; ←/→ turn the selected one (PgUp/PgDn: a week)."
                ),
                theme.key_hint,
            )
        } else {
            Line::styled(
                " Planned for these values; made again each day from what you studied.",
                theme.muted,
            )
        };
        lines.push(hint);
        lines.push(Line::raw(""));
        if let Some(t) = &self.trouble {
            lines.push(Line::styled(
                format!(" The plan could not be made: {t}"),
                theme.error,
            ));
        }
        if let Some(plan) = &self.plan {
            plan_lines(plan, theme, width, &mut lines);
        } else if self.trouble.is_none() && !self.packs.is_empty() && !self.making {
            let line = Line::styled(
                " No exam date yet. Choose one above and press enter: the plan gives each domain the new cards a day that make it ready on the day.",
                theme.muted,
            );
            lines.extend(crate::tui::widgets::wrap_line(&line, width));
        }
        let room = usize::from(column.bottom().saturating_sub(y));
        let chart_rows = room.saturating_sub(lines.len() + 1);
        for line in lines.iter().take(room) {
            put_line(buf, column, y, &fit_line(line, width));
            y += 1;
        }
        if let Some(plan) = &self.plan
            && chart_rows >= 6
        {
            y += 1;
            put_line(buf, column, y - 1, &fit_line(&chart::legend(theme), width));
            let rows = chart_rows.min(16);
            for line in chart::readiness(&plan.history, plan.goal.target, width, rows - 1, theme) {
                if y >= column.bottom() {
                    break;
                }
                put_line(buf, column, y, &fit_line(&line, width));
                y += 1;
            }
        }
    }
}

/// Today's work, the domains, the practice exams and any shortfall.
fn plan_lines(
    plan: &ExamPlan,
    theme: &crate::tui::theme::Theme,
    width: usize,
    out: &mut Vec<Line<'static>>,
) {
    let p = &plan.plan;
    if let Some(today) = p.today() {
        let new: f64 = today.new.iter().sum();
        let mut spans = vec![
            Span::styled(" Today  ", theme.muted),
            Span::styled(format!("{new:.0} new"), theme.info),
            Span::styled(
                format!(
                    " · about {:.0} reviews · about {:.0} min",
                    today.reviews, today.minutes
                ),
                theme.base,
            ),
        ];
        if plan.practice_today() {
            spans.push(Span::styled(" · practice exam today", theme.warn));
        }
        out.push(Line::from(spans));
    }
    out.push(Line::from(vec![
        Span::styled(" Ready  ", theme.muted),
        Span::styled(format!("{:.0}% now", p.now * 100.0), theme.base),
        Span::styled(" → ", theme.muted),
        Span::styled(
            format!("{:.0}% on exam day", p.on_exam_day * 100.0),
            if p.on_exam_day >= p.target {
                theme.ok
            } else {
                theme.warn
            },
        ),
        Span::styled(
            format!(" (target {:.0}%, by exam weight)", p.target * 100.0),
            theme.muted,
        ),
    ]));
    let name_w = width.saturating_sub(36).clamp(8, 40);
    out.push(Line::styled(
        format!(
            " {:<name_w$} {:>6} {:>7} {:>5} {:>8}",
            "Domain", "weight", "new/day", "now", "exam day"
        ),
        theme.muted,
    ));
    for d in &p.domains {
        out.push(Line::from(vec![
            Span::styled(
                format!(
                    " {:<name_w$}",
                    crate::tui::widgets::truncate(&d.name, name_w)
                ),
                theme.base,
            ),
            Span::styled(format!(" {:>5.0}%", d.weight * 100.0), theme.muted),
            Span::styled(format!(" {:>7}", d.new_per_day), theme.info),
            Span::styled(format!(" {:>4.0}%", d.now * 100.0), theme.base),
            Span::styled(
                format!(
                    " {:>7.0}% {}",
                    d.on_exam_day * 100.0,
                    if d.reaches_target { "ok" } else { "short" }
                ),
                if d.reaches_target {
                    theme.ok
                } else {
                    theme.warn
                },
            ),
        ]));
    }
    if let Some(next) = plan.next_practice() {
        out.push(Line::styled(
            format!(" Next practice exam {} (e)", next.strftime("%a %b %d")),
            theme.muted,
        ));
    }
    for s in &p.shortfalls {
        let line = Line::styled(
            format!(" ! {}", shortfall_words(s, plan, Said::Screen)),
            theme.warn,
        );
        out.extend(crate::tui::widgets::wrap_line(&line, width));
    }
}
